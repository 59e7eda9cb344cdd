//! Assignments inside expressions (IEEE 1800-2017 11.3.6): `d = (b +=
//! (a += 1) + 1)`, `if ((x = y))`. Each embedded assignment (or prefix
//! `++`/`--`) runs before the statement that holds it, in source order, and
//! is read as its target. This keeps the meaning only when the order of
//! evaluation cannot matter, so the following are refused: an assignment
//! that is evaluated conditionally (an operand of `?:`, `&&`, `||`, `->`,
//! `<->`), a postfix `++`/`--` (it yields the old value), and a statement
//! where an assigned variable is also mentioned elsewhere.

use super::{expr, Cx};
use crate::ast::*;
use crate::diag::Result;
use crate::source::Span;
use sv_parser as sv;

/// `e` lowered with the assignments inside it taken out: the statements
/// that run first, and the expression (reading their targets).
pub(super) fn hoisted(cx: &mut Cx, e: &sv::Expression) -> Result<(Vec<Stmt>, Expr)> {
    if !contains_assignment(e.into()) {
        return Ok((Vec::new(), expr::lower_expr(cx, e)?));
    }
    reject_conditional(cx, e)?;
    let outer = cx.hoist.replace(Vec::new());
    let r = expr::lower_expr(cx, e);
    let steps = std::mem::replace(&mut cx.hoist, outer).unwrap_or_default();
    Ok((steps, r?))
}

/// An assignment met while lowering an expression: run first (when
/// hoisting is on), read as its target.
pub(super) fn embedded_assign(cx: &mut Cx, x: &sv::ExpressionOperatorAssignment) -> Result<Expr> {
    if cx.hoist.is_none() {
        return Err(cx.unsupported(x, "assignment inside an expression here (a loop condition, a declaration, a continuous assignment...)"));
    }
    let span = cx.span(x);
    let (steps, target) = super::stmt::assignment_steps(cx, &x.nodes.0.nodes.1, span)?;
    cx.hoist.get_or_insert_with(Vec::new).extend(steps);
    Ok(target)
}

/// `++a`/`--a` met while lowering an expression (hoisting on).
pub(super) fn embedded_inc_dec(cx: &mut Cx, x: &sv::IncOrDecExpression) -> Result<Expr> {
    if cx.hoist.is_none() || matches!(x, sv::IncOrDecExpression::Suffix(_)) {
        return Err(cx.unsupported(x, "`++`/`--` inside an expression"));
    }
    let span = cx.span(x);
    let st = super::stmt::inc_or_dec(cx, x, span)?;
    let Stmt::Blocking { lhs, .. } = &st else {
        return Err(cx.error(span, "internal: `++`/`--` is not an assignment"));
    };
    let target = lhs.clone();
    cx.hoist.get_or_insert_with(Vec::new).push(st);
    Ok(target)
}

/// After hoisting `steps` out of the statement `last` (whose own target,
/// if any, is `own`): refuse when a variable one of the steps assigns is
/// mentioned anywhere but where its value is read once.
pub(super) fn check_order(cx: &mut Cx, steps: &[Stmt], last: &[&Expr], span: Span) -> Result<()> {
    for (i, s) in steps.iter().enumerate() {
        let Stmt::Blocking { lhs, .. } = s else {
            continue;
        };
        let Some(name) = root_name(lhs) else {
            return Err(cx.error(span, "unsupported construct: assignment inside an expression to a target that is not a variable name"));
        };
        let mut n = 0;
        for (j, other) in steps.iter().enumerate() {
            if j != i {
                if let Stmt::Blocking { lhs, rhs, .. } = other {
                    n += mentions(lhs, &name) + mentions(rhs, &name);
                }
            }
        }
        for e in last {
            n += mentions(e, &name);
        }
        if n != 1 {
            return Err(cx.error(
                span,
                format!("unsupported construct: assignment inside an expression to `{name}`, which the statement also reads or writes elsewhere (the order of evaluation would decide the result)"),
            ));
        }
    }
    Ok(())
}

fn root_name(e: &Expr) -> Option<String> {
    match &e.kind {
        ExprKind::Ident(n) => Some(n.name.name.clone()),
        ExprKind::Index(b, _) | ExprKind::Range(b, _, _) | ExprKind::Member(b, _) => root_name(b),
        ExprKind::IndexedRange { base, .. } => root_name(base),
        _ => None,
    }
}

fn mentions(e: &Expr, name: &str) -> usize {
    let mut n = 0;
    super::lets::map_names(e, &mut |s: &ScopedName| {
        if s.package.is_none() && s.name.name == name {
            n += 1;
        }
        None
    });
    n
}

fn contains_assignment(node: sv::RefNode) -> bool {
    node.into_iter().any(|n| {
        matches!(
            n,
            sv::RefNode::OperatorAssignment(_) | sv::RefNode::IncOrDecExpression(_)
        )
    })
}

/// Refuse an assignment under `?:` or a short-circuit operator.
fn reject_conditional(cx: &mut Cx, e: &sv::Expression) -> Result<()> {
    let r: sv::RefNode = e.into();
    for n in r.into_iter() {
        let conditional = match n {
            sv::RefNode::ConditionalExpression(c) => contains_assignment(c.into()),
            sv::RefNode::ExpressionBinary(b) => {
                let op = cx.text(&b.nodes.1.nodes.0.nodes.0);
                matches!(op.as_str(), "&&" | "||" | "->" | "<->")
                    && contains_assignment((&b.nodes.3).into())
            }
            _ => false,
        };
        if conditional {
            let span = match n {
                sv::RefNode::ConditionalExpression(c) => cx.span(c),
                sv::RefNode::ExpressionBinary(b) => cx.span(b),
                _ => cx.span(e),
            };
            return Err(cx.error(
                span,
                "unsupported construct: assignment inside an operand that may not be evaluated (`?:`, `&&`, `||`, `->`, `<->`)",
            ));
        }
    }
    Ok(())
}
