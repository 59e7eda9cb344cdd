//! Lowering of procedural statements.

use super::Cx;
use crate::ast::*;
use crate::diag::Result;

pub fn lower_stmt_or_null(cx: &mut Cx, s: &sv_parser::StatementOrNull) -> Result<Stmt> {
    Err(cx.unsupported(s, "statement"))
}

pub fn lower_stmt(cx: &mut Cx, s: &sv_parser::Statement) -> Result<Stmt> {
    Err(cx.unsupported(s, "statement"))
}
