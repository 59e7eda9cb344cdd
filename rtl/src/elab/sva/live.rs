//! Liveness assertions (`s_eventually`, `eventually [m:$]`,
//! `strong(##[m:$] b)`, under implications, `if` and `always`): compiled
//! to a "pending" node, 1 in each cycle where an obligation is outstanding
//! (IR `PropKind::Live`, or `Fair` for an assumption). The property fails
//! on an infinite run where the node stays 1 from some cycle on; the
//! solver looks for such runs as lassos (`ir::passes::l2s`).
//!
//! The operand of the eventuality must be a boolean: every outstanding
//! obligation is then met by the same cycle, so one register tracks them
//! all exactly. A sequence operand would need one tracker per attempt and
//! is refused, never approximated.

use super::super::graph::Gid;
use super::super::{err_sva as err, Elaborator};
use super::Cx;
use crate::ast::{ExprKind, Prop, RepKind};
use crate::diag::Result;

impl<'a> Elaborator<'a> {
    /// True if `p` (after expanding named properties) is a liveness
    /// property this module compiles: an eventuality reached through
    /// implications, `if`, clocks and `disable iff`.
    pub(in super::super) fn is_live(&mut self, cx: &mut Cx, p: &Prop) -> Result<bool> {
        Ok(match p {
            Prop::Expr(_) | Prop::Instance { .. } => match self.expand(cx, p, true)? {
                Some(body) => {
                    let r = self.is_live(cx, &body);
                    cx.depth -= 1;
                    r?
                }
                None => false,
            },
            Prop::Eventually { .. } => true,
            Prop::Strength {
                strong: true, seq, ..
            } => {
                matches!(&**seq, Prop::Delay { lhs: None, range, .. } if matches!(range.max, Some(None)))
                    || until_parts(seq).is_some()
            }
            Prop::Implies { consequent, .. } => self.is_live(cx, consequent)?,
            Prop::IfElse { then, els, .. } => {
                self.is_live(cx, then)? || matches!(els, Some(e) if self.is_live(cx, e)?)
            }
            Prop::Clocked(_, inner, _) | Prop::DisableIff(_, inner, _) => {
                self.is_live(cx, inner)?
            }
            _ => false,
        })
    }

    /// The pending node of liveness property `p` for attempts started in
    /// cycles where `trig` holds; `dis` (`disable iff`) drops every
    /// outstanding obligation.
    pub(in super::super) fn live_pending(
        &mut self,
        cx: &mut Cx,
        p: &Prop,
        trig: Gid,
        dis: Option<Gid>,
    ) -> Result<Gid> {
        match p {
            Prop::Expr(_) | Prop::Instance { .. } => match self.expand(cx, p, true)? {
                Some(body) => {
                    let r = self.live_pending(cx, &body, trig, dis);
                    cx.depth -= 1;
                    r
                }
                None => Err(not_live(p)),
            },
            Prop::Clocked(ev, inner, _) => {
                self.sva_clock(cx.scope, ev)?;
                self.live_pending(cx, inner, trig, dis)
            }
            Prop::DisableIff(e, inner, _) => {
                let d = self.sva_bool(cx.scope, e)?;
                let d = match dis {
                    Some(x) => self.g.or(x, d),
                    None => d,
                };
                self.live_pending(cx, inner, trig, Some(d))
            }
            Prop::Implies {
                antecedent,
                overlapping,
                consequent,
                ..
            } => {
                let t = self.consequent_trigger(cx, antecedent, *overlapping, trig, dis)?;
                self.live_pending(cx, consequent, t, dis)
            }
            Prop::IfElse {
                cond,
                then,
                els: None,
                ..
            } => {
                let c = self.sva_bool(cx.scope, cond)?;
                let t = self.g.and(trig, c);
                self.live_pending(cx, then, t, dis)
            }
            Prop::IfElse { span, .. } => Err(err(
                *span,
                "a liveness property inside `if`/`else` with an `else` branch is not supported (one pending obligation per assertion): split it into two assertions",
            )),
            Prop::Eventually { prop, .. } => {
                let b = self.live_operand(cx, prop, "s_eventually")?;
                Ok(self.pending(trig, b, dis))
            }
            Prop::Strength {
                strong: true, seq, ..
            } => match &**seq {
                // `strong(##[m:$] b)`: `b` in some cycle from `m` on.
                Prop::Delay {
                    lhs: None,
                    range,
                    rhs,
                    ..
                } => {
                    let (m, _) = self.sva_range_open(cx.scope, range, "##")?;
                    let t = self.delayed(trig, m);
                    let b = self.live_operand(cx, rhs, "strong(##[m:$] ...)")?;
                    Ok(self.pending(t, b, dis))
                }
                // `a s_until b` (`strong(a[*0:$] ##1 b)`): `b` must come,
                // and `a` hold in every cycle before it.
                other => match until_parts(other) {
                    Some((a, b)) => {
                        let a = self.live_operand(cx, a, "s_until")?;
                        let b = self.live_operand(cx, b, "s_until")?;
                        Ok(self.until_pending(trig, a, b, dis))
                    }
                    None => Err(not_live(other)),
                },
            },
            other => Err(not_live(other)),
        }
    }

    /// The boolean an eventuality waits for.
    fn live_operand(&mut self, cx: &mut Cx, p: &Prop, op: &str) -> Result<Gid> {
        let f = match self.sva_seq(cx, p).as_deref() {
            Ok([(0, f)]) => f.clone(),
            Ok([]) => super::F::Fz,
            _ => {
                return Err(err(
                    p.span(),
                    format!("the operand of `{op}` must be a boolean expression: eventualities over sequences or properties need one tracker per attempt, which verify does not build (write the boolean that ends the wait, e.g. `req |-> s_eventually gnt`)"),
                ))
            }
        };
        Ok(self.possibly(cx, &f, 0, 0, true))
    }

    /// `a s_until b`: pending while an obligation waits for `b`; a cycle
    /// with neither `a` nor `b` breaks it for good, so from there the node
    /// stays 1 (a failure is a run on which it never drops again).
    fn until_pending(&mut self, trig: Gid, a: Gid, b: Gid, dis: Option<Gid>) -> Gid {
        let (id, reg) = self.monitor_reg("live");
        let (fid, failed) = self.monitor_reg("live_failed");
        let mut active = self.g.or(trig, reg);
        if let Some(d) = dis {
            let nd = self.g.not(d);
            active = self.g.and(active, nd);
        }
        let nb = self.g.not(b);
        let open = self.g.and(active, nb);
        let na = self.g.not(a);
        let broken = self.g.and(open, na);
        let failed_now = self.g.or(failed, broken);
        self.net.regs[id].next = open;
        self.net.regs[fid].next = failed_now;
        self.g.or(open, failed_now)
    }

    /// 1 while an obligation raised by `trig` has not yet seen `b`: an
    /// obligation raised in a cycle where `b` holds is met at once.
    fn pending(&mut self, trig: Gid, b: Gid, dis: Option<Gid>) -> Gid {
        let (id, reg) = self.monitor_reg("live");
        let open = self.g.or(trig, reg);
        let nb = self.g.not(b);
        let mut out = self.g.and(open, nb);
        if let Some(d) = dis {
            let nd = self.g.not(d);
            out = self.g.and(out, nd);
        }
        self.net.regs[id].next = out;
        out
    }
}

/// `a` and the end `b` of `a[*0:$] ##1 b` (how `until` is lowered).
fn until_parts(p: &Prop) -> Option<(&Prop, &Prop)> {
    match p {
        Prop::Delay {
            lhs: Some(l),
            range,
            rhs,
            ..
        } if range.max.is_none() && is_const(&range.min, 1) => match &**l {
            Prop::Repeat {
                seq,
                kind: RepKind::Consecutive,
                range: r,
                ..
            } if matches!(r.max, Some(None)) && is_const(&r.min, 0) => Some((seq, rhs)),
            _ => None,
        },
        _ => None,
    }
}

fn is_const(e: &crate::ast::Expr, v: u32) -> bool {
    matches!(&e.kind, ExprKind::Number(n) if n.value == v.into() && n.xz == 0u32.into())
}

fn not_live(p: &Prop) -> crate::diag::Error {
    err(
        p.span(),
        "unsupported liveness property: verify compiles an eventuality (`s_eventually b`, `eventually [m:$] b`, `strong(##[m:$] b)`, `a s_until b`) over booleans, reached through `|->`/`|=>`, `if`, `always`, clocks and `disable iff`",
    )
}
