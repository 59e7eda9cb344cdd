//! Lowering of generate constructs: generate regions, blocks, loops and conditionals.

use super::items::lower_mogi;
use super::{expr, Cx};
use crate::ast::*;
use crate::diag::Result;
use crate::source::Span;
use num_bigint::BigUint;
use sv_parser as sv;

// ------------------------------------------------------------------ generate

pub(super) fn lower_generate_item(
    cx: &mut Cx,
    g: &sv::GenerateItem,
    out: &mut Vec<Item>,
    overridable: bool,
) -> Result<()> {
    match g {
        sv::GenerateItem::ModuleOrGenerateItem(m) => lower_mogi(cx, m, out, overridable),
        sv::GenerateItem::InterfaceOrGenerateItem(x) => {
            Err(cx.unsupported(x.as_ref(), "interface item"))
        }
        sv::GenerateItem::CheckerOrGenerateItem(x) => {
            Err(cx.unsupported(x.as_ref(), "checker item"))
        }
    }
}

fn lower_generate_block(cx: &mut Cx, b: &sv::GenerateBlock) -> Result<GenBlock> {
    let span = cx.span_ends(b, super::gen_block_tail(b));
    match b {
        sv::GenerateBlock::GenerateItem(gi) => {
            let mut items = Vec::new();
            lower_generate_item(cx, gi, &mut items, false)?;
            Ok(GenBlock {
                label: None,
                items,
                span,
            })
        }
        sv::GenerateBlock::Multiple(m) => {
            let (l1, _, l2, gis, _, _) = &m.nodes;
            let label = match (l1, l2) {
                (Some((id, _)), _) => Some(cx.ident(&id.nodes.0)),
                (None, Some((_, id))) => Some(cx.ident(&id.nodes.0)),
                (None, None) => None,
            };
            let mut items = Vec::new();
            for gi in gis {
                lower_generate_item(cx, gi, &mut items, false)?;
            }
            Ok(GenBlock { label, items, span })
        }
    }
}

pub(super) fn lower_loop_generate(cx: &mut Cx, l: &sv::LoopGenerateConstruct) -> Result<GenFor> {
    let (_, paren, block) = &l.nodes;
    let (init, _, cond, _, iter) = &paren.nodes.1;
    let (gv, id, _, init_e) = &init.nodes;
    let genvar = cx.ident(&id.nodes.0);
    let init = expr::lower_const_expr(cx, init_e)?;
    let cond = expr::lower_const_expr(cx, &cond.nodes.0)?;
    let (step_id, step) = match iter {
        sv::GenvarIteration::Assignment(a) => {
            let (sid, op, e) = &a.nodes;
            let sid = cx.ident(&sid.nodes.0);
            let rhs = expr::lower_const_expr(cx, &e.nodes.0)?;
            let op_text = cx.text(&op.nodes.0.nodes.0);
            let bin = match op_text.as_str() {
                "=" => None,
                "+=" => Some(BinaryOp::Add),
                "-=" => Some(BinaryOp::Sub),
                "*=" => Some(BinaryOp::Mul),
                "/=" => Some(BinaryOp::Div),
                "%=" => Some(BinaryOp::Mod),
                "&=" => Some(BinaryOp::BitAnd),
                "|=" => Some(BinaryOp::BitOr),
                "^=" => Some(BinaryOp::BitXor),
                "<<=" => Some(BinaryOp::Shl),
                ">>=" => Some(BinaryOp::Shr),
                "<<<=" => Some(BinaryOp::AShl),
                ">>>=" => Some(BinaryOp::AShr),
                _ => return Err(cx.unsupported(op, "assignment operator in a generate loop")),
            };
            let span = cx.span(a.as_ref());
            let step = match bin {
                None => rhs,
                Some(op) => binary(op, ident_expr(sid.clone()), rhs, span),
            };
            (sid, step)
        }
        sv::GenvarIteration::Prefix(p) => {
            let (op, sid) = &p.nodes;
            let sid = cx.ident(&sid.nodes.0);
            let span = cx.span(p.as_ref());
            let step = inc_dec(cx, op, &sid, span);
            (sid, step)
        }
        sv::GenvarIteration::Suffix(s) => {
            let (sid, op) = &s.nodes;
            let sid = cx.ident(&sid.nodes.0);
            let span = cx.span(s.as_ref());
            let step = inc_dec(cx, op, &sid, span);
            (sid, step)
        }
    };
    if step_id.name != genvar.name {
        let msg = format!(
            "generate loop steps `{}` but its variable is `{}`",
            step_id.name, genvar.name
        );
        return Err(cx.error(step_id.span, msg));
    }
    let block = lower_generate_block(cx, block)?;
    let span = cx.span(l);
    Ok(GenFor {
        genvar,
        declares: gv.is_some(),
        init,
        cond,
        step,
        block,
        span,
    })
}

fn inc_dec(cx: &mut Cx, op: &sv::IncOrDecOperator, id: &Ident, span: Span) -> Expr {
    let op = if cx.text(&op.nodes.0.nodes.0) == "--" {
        BinaryOp::Sub
    } else {
        BinaryOp::Add
    };
    binary(op, ident_expr(id.clone()), one(span), span)
}

pub(super) fn lower_cond_generate(
    cx: &mut Cx,
    c: &sv::ConditionalGenerateConstruct,
) -> Result<Item> {
    match c {
        sv::ConditionalGenerateConstruct::If(x) => {
            let (_, cond, then, els) = &x.nodes;
            let cond = expr::lower_const_expr(cx, &cond.nodes.1)?;
            let then = lower_generate_block(cx, then)?;
            let els = match els {
                Some((_, b)) => Some(lower_generate_block(cx, b)?),
                None => None,
            };
            let tail = match &x.nodes.3 {
                Some((_, b)) => super::gen_block_tail(b),
                None => super::gen_block_tail(&x.nodes.2),
            };
            let span = cx.span_ends(x.as_ref(), tail);
            Ok(Item::GenIf(GenIf {
                cond,
                then,
                els,
                span,
            }))
        }
        sv::ConditionalGenerateConstruct::Case(x) => {
            let (_, e, arms, _) = &x.nodes;
            let e = expr::lower_const_expr(cx, &e.nodes.1)?;
            let mut out = Vec::new();
            for arm in arms {
                match arm {
                    sv::CaseGenerateItem::Nondefault(n) => {
                        let (labels, _, b) = &n.nodes;
                        let mut ls = Vec::new();
                        for l in labels.contents() {
                            ls.push(expr::lower_const_expr(cx, l)?);
                        }
                        out.push((ls, lower_generate_block(cx, b)?));
                    }
                    sv::CaseGenerateItem::Default(d) => {
                        out.push((Vec::new(), lower_generate_block(cx, &d.nodes.2)?));
                    }
                }
            }
            let span = cx.span_ends(x.as_ref(), (&x.nodes.3).into());
            Ok(Item::GenCase(GenCase {
                expr: e,
                arms: out,
                span,
            }))
        }
    }
}

// ------------------------------------------------------------ small builders

pub(super) fn ident_expr(id: Ident) -> Expr {
    let span = id.span;
    Expr {
        kind: ExprKind::Ident(ScopedName {
            package: None,
            name: id,
        }),
        span,
    }
}

fn one(span: Span) -> Expr {
    Expr {
        kind: ExprKind::Number(Number {
            width: None,
            signed: true,
            value: BigUint::from(1u32),
            xz: BigUint::from(0u32),
            based: false,
        }),
        span,
    }
}

fn binary(op: BinaryOp, a: Expr, b: Expr, span: Span) -> Expr {
    Expr {
        kind: ExprKind::Binary(op, Box::new(a), Box::new(b)),
        span,
    }
}
