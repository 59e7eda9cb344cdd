//! Lowering of expressions, numbers and assignment targets.

use super::Cx;
use crate::ast::*;
use crate::diag::Result;

pub fn lower_expr(cx: &mut Cx, e: &sv_parser::Expression) -> Result<Expr> {
    Err(cx.unsupported(e, "expression"))
}

pub fn lower_const_expr(cx: &mut Cx, e: &sv_parser::ConstantExpression) -> Result<Expr> {
    Err(cx.unsupported(e, "constant expression"))
}

/// Procedural assignment target (`a`, `a[3:0]`, `{a, b}`, `s.f[i]`).
pub fn lower_variable_lvalue(cx: &mut Cx, e: &sv_parser::VariableLvalue) -> Result<Expr> {
    Err(cx.unsupported(e, "assignment target"))
}

/// Continuous assignment target.
pub fn lower_net_lvalue(cx: &mut Cx, e: &sv_parser::NetLvalue) -> Result<Expr> {
    Err(cx.unsupported(e, "assignment target"))
}
