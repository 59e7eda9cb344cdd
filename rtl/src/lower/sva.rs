//! Lowering of concurrent assertions, properties and sequences.
//! Until the SVA compiler exists these are refused with their location.

use super::Cx;
use crate::ast::*;
use crate::diag::Result;

pub fn lower_concurrent_assertion(
    cx: &mut Cx,
    a: &sv_parser::ConcurrentAssertionItem,
) -> Result<ConcurrentAssertion> {
    Err(cx.unsupported(a, "concurrent assertion (SVA)"))
}

pub fn lower_concurrent_assertion_statement(
    cx: &mut Cx,
    a: &sv_parser::ConcurrentAssertionStatement,
) -> Result<ConcurrentAssertion> {
    Err(cx.unsupported(a, "concurrent assertion (SVA)"))
}

pub fn lower_property_decl(
    cx: &mut Cx,
    d: &sv_parser::PropertyDeclaration,
) -> Result<PropertyDecl> {
    Err(cx.unsupported(d, "property declaration (SVA)"))
}

pub fn lower_sequence_decl(
    cx: &mut Cx,
    d: &sv_parser::SequenceDeclaration,
) -> Result<SequenceDecl> {
    Err(cx.unsupported(d, "sequence declaration (SVA)"))
}
