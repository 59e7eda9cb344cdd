//! Operator precedence.
//!
//! sv-parser parses `expression binary_operator expression` right-recursively
//! without precedence or associativity: `a - b - c` arrives as
//! `a - (b - c)`, `j % 2 == 0` as `j % (2 == 0)` and `a == b ? c : d` as
//! `a == (b ? c : d)`. So each unparenthesised chain of binary operators,
//! `?:` and `inside` is flattened back into source order here and parsed
//! again by precedence climbing with the levels and associativity of IEEE
//! 1800-2017 Table 11-2. Parenthesised sub-expressions are primaries and
//! keep their grouping.

use super::expr::{binary_op, lower_const_expr, lower_expr, open_range_list};
use super::Cx;
use crate::ast::{BinaryOp, Expr, ExprKind, InsideItem};
use crate::diag::Result;
use crate::source::Span;
use sv_parser as sv;

enum Tok {
    Operand(Expr),
    Bin(BinaryOp),
    /// `?` followed by the already-lowered middle operand.
    Cond(Expr),
    Inside(Vec<InsideItem>, Span),
}

/// Binding strength (higher binds tighter).
fn level(op: BinaryOp) -> u8 {
    use BinaryOp::*;
    match op {
        Pow => 12,
        Mul | Div | Mod => 11,
        Add | Sub => 10,
        Shl | Shr | AShl | AShr => 9,
        Lt | Le | Gt | Ge => 8,
        Eq | Ne | CaseEq | CaseNe | WildEq | WildNe => 7,
        BitAnd => 6,
        BitXor | BitXnor => 5,
        BitOr => 4,
        LogAnd => 3,
        LogOr => 2,
        LogImpl | LogEquiv => 0,
    }
}

const INSIDE: u8 = 8;
const TERNARY: u8 = 1;

/// Lower a binary, conditional or inside expression by precedence.
pub(crate) fn lower_chain(cx: &mut Cx, e: &sv::Expression) -> Result<Expr> {
    let mut toks = Vec::new();
    flatten(cx, e, &mut toks)?;
    let span = cx.span(e);
    climb_all(cx, toks, span)
}

/// The same for constant expressions.
pub(crate) fn lower_const_chain(cx: &mut Cx, e: &sv::ConstantExpression) -> Result<Expr> {
    let mut toks = Vec::new();
    flatten_const(cx, e, &mut toks)?;
    let span = cx.span(e);
    climb_all(cx, toks, span)
}

fn climb_all(cx: &mut Cx, toks: Vec<Tok>, span: Span) -> Result<Expr> {
    let mut it = toks.into_iter().peekable();
    let e = climb(&mut it, 0);
    match (e, it.next()) {
        (Some(e), None) => Ok(e),
        _ => Err(cx.error(
            span,
            "unsupported construct: expression shape (operator chain)",
        )),
    }
}

fn flatten(cx: &mut Cx, e: &sv::Expression, out: &mut Vec<Tok>) -> Result<()> {
    match e {
        sv::Expression::Binary(b) => {
            let (l, op, _, r) = &b.nodes;
            flatten(cx, l, out)?;
            out.push(Tok::Bin(op_of(cx, op)?));
            flatten(cx, r, out)
        }
        sv::Expression::ConditionalExpression(c) => {
            let (pred, _, _, a, _, b) = &c.nodes;
            let parts: Vec<&sv::ExpressionOrCondPattern> = pred.nodes.0.contents();
            match parts.as_slice() {
                [sv::ExpressionOrCondPattern::Expression(p)] => flatten(cx, p, out)?,
                _ => return Err(cx.unsupported(pred, "`&&&` or pattern in a condition")),
            }
            let mid = lower_expr(cx, a)?;
            out.push(Tok::Cond(mid));
            flatten(cx, b, out)
        }
        sv::Expression::InsideExpression(i) => {
            let (lhs, _, list) = &i.nodes;
            flatten(cx, lhs, out)?;
            let items = open_range_list(cx, &list.nodes.1)?;
            let end = cx.loc(&list.nodes.2.nodes.0);
            out.push(Tok::Inside(items, end));
            Ok(())
        }
        other => {
            out.push(Tok::Operand(lower_expr(cx, other)?));
            Ok(())
        }
    }
}

fn flatten_const(cx: &mut Cx, e: &sv::ConstantExpression, out: &mut Vec<Tok>) -> Result<()> {
    match e {
        sv::ConstantExpression::Binary(b) => {
            let (l, op, _, r) = &b.nodes;
            flatten_const(cx, l, out)?;
            out.push(Tok::Bin(op_of(cx, op)?));
            flatten_const(cx, r, out)
        }
        sv::ConstantExpression::Ternary(t) => {
            let (c, _, _, a, _, b) = &t.nodes;
            flatten_const(cx, c, out)?;
            let mid = lower_const_expr(cx, a)?;
            out.push(Tok::Cond(mid));
            flatten_const(cx, b, out)
        }
        sv::ConstantExpression::Inside(i) => {
            let (lhs, _, list) = &i.nodes;
            flatten_const(cx, lhs, out)?;
            let items = open_range_list(cx, &list.nodes.1)?;
            let end = cx.loc(&list.nodes.2.nodes.0);
            out.push(Tok::Inside(items, end));
            Ok(())
        }
        other => {
            out.push(Tok::Operand(lower_const_expr(cx, other)?));
            Ok(())
        }
    }
}

fn op_of(cx: &mut Cx, op: &sv::BinaryOperator) -> Result<BinaryOp> {
    let text = cx.text(&op.nodes.0.nodes.0);
    binary_op(&text).ok_or_else(|| cx.unsupported(op, &format!("binary operator `{text}`")))
}

/// Precedence climbing over the flattened chain: operators at `min` or
/// above are taken here, left-associative except `?:`, `->` and `<->`.
fn climb(it: &mut std::iter::Peekable<std::vec::IntoIter<Tok>>, min: u8) -> Option<Expr> {
    let mut lhs = match it.next()? {
        Tok::Operand(e) => e,
        _ => return None,
    };
    loop {
        let (lv, right_assoc) = match it.peek() {
            Some(Tok::Bin(op)) => (
                level(*op),
                matches!(op, BinaryOp::LogImpl | BinaryOp::LogEquiv),
            ),
            Some(Tok::Inside(..)) => (INSIDE, false),
            Some(Tok::Cond(_)) => (TERNARY, true),
            Some(Tok::Operand(_)) => return None,
            None => break,
        };
        if lv < min {
            break;
        }
        match it.next()? {
            Tok::Bin(op) => {
                let rhs = climb(it, if right_assoc { lv } else { lv + 1 })?;
                let span = lhs.span.to(rhs.span);
                lhs = Expr {
                    kind: ExprKind::Binary(op, Box::new(lhs), Box::new(rhs)),
                    span,
                };
            }
            Tok::Inside(items, end) => {
                let span = lhs.span.to(end);
                lhs = Expr {
                    kind: ExprKind::Inside(Box::new(lhs), items),
                    span,
                };
            }
            Tok::Cond(mid) => {
                let els = climb(it, TERNARY)?;
                let span = lhs.span.to(els.span);
                lhs = Expr {
                    kind: ExprKind::Cond(Box::new(lhs), Box::new(mid), Box::new(els)),
                    span,
                };
            }
            Tok::Operand(_) => return None,
        }
    }
    Some(lhs)
}
