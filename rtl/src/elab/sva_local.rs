//! Local variables of sequences and properties (IEEE 1800-2017 16.10), in
//! the form where every read is a fixed number of cycles after the
//! assignment it reads: `(valid, x = in) ##4 (out == x + 4)` reads at
//! offset 4 the value `in` had at offset 0, which is `$past(in, 4)`. Such
//! a read becomes `T'($past(value, distance))` (`T` the variable's type)
//! before the property is compiled, so each attempt keeps its own value
//! exactly, without per-attempt storage.
//!
//! The distance is tracked through the sequence: fixed `##n` delays and
//! operands whose matches all have one length add to it; a variable
//! delay or length makes it unknown, and a read at an unknown distance is
//! refused with a message, as are assignments inside `and`/`or`/
//! `intersect`/`within`/`throughout` operands, repetitions with a variable
//! count and local variables passed to other sequence instances.

use super::err_sva as err;
use super::sva::{named, subst_expr, Bindings, Cx};
use super::Elaborator;
use crate::ast::{self, ExprKind, Prop, RepKind};
use crate::diag::Result;
use crate::lower::lets::map_names;
use crate::source::Span;
use std::collections::HashMap;

/// Largest count of a repetition unrolled because its operand uses a
/// local variable.
const MAX_UNROLL: i64 = 32;

#[derive(Clone)]
struct Var {
    ty: ast::DataType,
    /// The assigned value (read at the assignment), if assigned.
    value: Option<ast::Expr>,
    /// Cycles from the assignment to the current point, if fixed.
    age: Option<i64>,
}

/// Local variables at one point of a sequence.
type Env = HashMap<String, Var>;

fn advance(env: &Env, k: Option<i64>) -> Env {
    env.iter()
        .map(|(n, v)| {
            let age = match (v.age, k) {
                (Some(a), Some(k)) => Some(a + k),
                _ => None,
            };
            (n.clone(), Var { age, ..v.clone() })
        })
        .collect()
}

fn names_in(e: &ast::Expr) -> Vec<String> {
    let mut out = Vec::new();
    map_names(e, &mut |n| {
        if n.package.is_none() {
            out.push(n.name.name.clone());
        }
        None
    });
    out
}

fn number(v: i64, span: Span) -> ast::Expr {
    ast::Expr {
        kind: ExprKind::Number(ast::Number {
            width: None,
            signed: true,
            value: num_bigint::BigUint::from(v as u64),
            xz: num_bigint::BigUint::from(0u32),
            based: false,
        }),
        span,
    }
}

struct Rw {
    /// Assignments seen so far (to spot them inside operands).
    assigns: usize,
}

impl<'a> Elaborator<'a> {
    /// `body` with its local variables replaced by the values they read.
    pub(super) fn sva_locals(
        &mut self,
        cx: &mut Cx,
        locals: &[ast::LocalVar],
        body: &Prop,
    ) -> Result<Prop> {
        let mut env = Env::new();
        for l in locals {
            env.insert(
                l.name.name.clone(),
                Var {
                    ty: l.ty.clone(),
                    value: l.init.clone(),
                    age: Some(0),
                },
            );
        }
        let mut rw = Rw { assigns: 0 };
        let saved = cx.unbounded;
        let r = self.local_rw(cx, &mut rw, body, &env);
        cx.unbounded = saved;
        Ok(r?.0)
    }

    /// Whether all matches of `p` (already rewritten) have one length:
    /// the offset of its last cycle.
    fn fixed_len(&mut self, cx: &mut Cx, p: &Prop) -> Option<i64> {
        let depth = cx.depth;
        let s = self.sva_seq(cx, p);
        cx.depth = depth;
        let s = s.ok()?;
        let e = s.first()?.0;
        (e >= 0 && s.iter().all(|(x, _)| *x == e)).then_some(e)
    }

    /// A boolean expression read at a point with local variables `env`.
    fn local_expr(&mut self, e: &ast::Expr, env: &Env) -> Result<ast::Expr> {
        if let Some(x) = selected_local(e, env) {
            return Err(err(
                x.span,
                "unsupported construct: bit, part or member select of a local variable (compare the whole variable, or capture the selected bits)",
            ));
        }
        let mut b = Bindings::new();
        for n in names_in(e) {
            let Some(v) = env.get(&n) else { continue };
            let Some(value) = &v.value else {
                return Err(err(
                    e.span,
                    format!("local variable `{n}` is read before any assignment to it"),
                ));
            };
            let Some(age) = v.age else {
                return Err(err(
                    e.span,
                    format!("unsupported construct: local variable `{n}` is read a variable number of cycles after its assignment (verify supports local variables read at a fixed distance from the assignment: fixed `##n` delays and fixed-length operands in between)"),
                ));
            };
            let past = if age == 0 {
                value.clone()
            } else {
                ast::Expr {
                    kind: ExprKind::SysCall(
                        "$past".into(),
                        vec![value.clone(), number(age, e.span)],
                    ),
                    span: value.span,
                }
            };
            let typed = ast::Expr {
                kind: ExprKind::Cast(ast::CastKind::Type(v.ty.clone()), Box::new(past)),
                span: value.span,
            };
            b.insert(n, Prop::Expr(typed));
        }
        if b.is_empty() {
            return Ok(e.clone());
        }
        subst_expr(e, &b)
    }

    /// Rewrite `p` starting at a point with locals `env`; also gives the
    /// locals at its last cycle (a property's is its start's).
    fn local_rw(&mut self, cx: &mut Cx, rw: &mut Rw, p: &Prop, env: &Env) -> Result<(Prop, Env)> {
        let bx = Box::new;
        Ok(match p {
            Prop::Expr(_) | Prop::Instance { .. } => {
                if let Some((name, args)) = named(p) {
                    let key = name.name.clone();
                    let declared = self.sva_has_decl(cx.scope, &key);
                    if declared {
                        for a in &args {
                            let v = match a {
                                ast::SvaArg::Positional(v) | ast::SvaArg::Named(_, v) => v,
                            };
                            let uses = match v {
                                None => false,
                                Some(Prop::Expr(e)) => {
                                    names_in(e).iter().any(|n| env.contains_key(n))
                                }
                                Some(_) => !env.is_empty(),
                            };
                            if uses {
                                return Err(err(
                                    p.span(),
                                    format!("unsupported construct: local variable passed as an argument to `{key}`"),
                                ));
                            }
                        }
                        let len = self.fixed_len(cx, p);
                        return Ok((p.clone(), advance(env, len)));
                    }
                }
                match p {
                    Prop::Expr(e) => (Prop::Expr(self.local_expr(e, env)?), env.clone()),
                    _ => (p.clone(), env.clone()),
                }
            }
            Prop::Match { seq, assigns, .. } => {
                let (s, mut e) = self.local_rw(cx, rw, seq, env)?;
                for (x, v) in assigns {
                    let value = self.local_expr(v, &e)?;
                    let Some(var) = e.get_mut(&x.name) else {
                        return Err(err(
                            x.span,
                            format!(
                                "`{}` is not a local variable of this sequence or property",
                                x.name
                            ),
                        ));
                    };
                    var.value = Some(value);
                    var.age = Some(0);
                    rw.assigns += 1;
                }
                (s, e)
            }
            Prop::Delay {
                lhs,
                range,
                rhs,
                span,
            } => {
                let (l, el) = match lhs {
                    Some(l) => {
                        let (l, e) = self.local_rw(cx, rw, l, env)?;
                        (Some(bx(l)), e)
                    }
                    None => (None, env.clone()),
                };
                let k = match &range.max {
                    None => Some(self.sva_int(cx.scope, &range.min)?),
                    Some(_) => None,
                };
                let (r, er) = self.local_rw(cx, rw, rhs, &advance(&el, k))?;
                let out = Prop::Delay {
                    lhs: l,
                    range: range.clone(),
                    rhs: bx(r),
                    span: *span,
                };
                (out, er)
            }
            Prop::Repeat {
                seq,
                kind,
                range,
                span,
            } => {
                let before = rw.assigns;
                let reads = self.local_reads(seq, env);
                let (s, _) = self.local_rw(cx, rw, seq, env)?;
                if rw.assigns == before && !reads {
                    let out = Prop::Repeat {
                        seq: bx(s),
                        kind: *kind,
                        range: range.clone(),
                        span: *span,
                    };
                    let len = self.fixed_len(cx, &out);
                    return Ok((out, advance(env, len)));
                }
                // The operand uses a local variable: `s[*n]` is
                // `s ##1 s ... ##1 s`, each copy at its own distance.
                let n = match (kind, &range.max) {
                    (RepKind::Consecutive, None) => self.sva_int(cx.scope, &range.min)?,
                    _ => 0,
                };
                if !(1..=MAX_UNROLL).contains(&n) {
                    return Err(err(
                        *span,
                        format!("unsupported construct: local variable inside a repetition other than `[*n]` with 1 <= n <= {MAX_UNROLL}"),
                    ));
                }
                let mut chain = (**seq).clone();
                for _ in 1..n {
                    chain = Prop::Delay {
                        lhs: Some(bx(chain)),
                        range: ast::CycleRange {
                            min: number(1, *span),
                            max: None,
                        },
                        rhs: seq.clone(),
                        span: *span,
                    };
                }
                self.local_rw(cx, rw, &chain, env)?
            }
            Prop::And(a, b, s) | Prop::Or(a, b, s) | Prop::Intersect(a, b, s) => {
                let before = rw.assigns;
                let (x, _) = self.local_rw(cx, rw, a, env)?;
                let (y, _) = self.local_rw(cx, rw, b, env)?;
                if rw.assigns != before {
                    return Err(err(
                        *s,
                        "unsupported construct: local variable assigned inside an operand of `and`/`or`/`intersect`",
                    ));
                }
                let out = match p {
                    Prop::And(..) => Prop::And(bx(x), bx(y), *s),
                    Prop::Or(..) => Prop::Or(bx(x), bx(y), *s),
                    _ => Prop::Intersect(bx(x), bx(y), *s),
                };
                let len = self.fixed_len(cx, &out);
                (out, advance(env, len))
            }
            Prop::Throughout(a, b, s) | Prop::Within(a, b, s) => {
                let before = rw.assigns;
                let within = matches!(p, Prop::Within(..));
                // The inner sequence of `within` starts at no fixed offset.
                let ea = if within {
                    advance(env, None)
                } else {
                    env.clone()
                };
                let (x, _) = self.local_rw(cx, rw, a, &ea)?;
                let (y, _) = self.local_rw(cx, rw, b, env)?;
                if rw.assigns != before {
                    return Err(err(
                        *s,
                        "unsupported construct: local variable assigned inside an operand of `throughout`/`within`",
                    ));
                }
                let out = if within {
                    Prop::Within(bx(x), bx(y), *s)
                } else {
                    Prop::Throughout(bx(x), bx(y), *s)
                };
                let len = self.fixed_len(cx, &out);
                (out, advance(env, len))
            }
            Prop::FirstMatch(a, s) => {
                let (x, e) = self.local_rw(cx, rw, a, env)?;
                (Prop::FirstMatch(bx(x), *s), e)
            }
            Prop::Implies {
                antecedent,
                overlapping,
                consequent,
                span,
            }
            | Prop::FollowedBy {
                antecedent,
                overlapping,
                consequent,
                span,
            } => {
                let (a, ea) = self.local_rw(cx, rw, antecedent, env)?;
                let k = if *overlapping { 0 } else { 1 };
                let (c, _) = self.local_rw(cx, rw, consequent, &advance(&ea, Some(k)))?;
                let (antecedent, consequent) = (bx(a), bx(c));
                let out = match p {
                    Prop::Implies { .. } => Prop::Implies {
                        antecedent,
                        overlapping: *overlapping,
                        consequent,
                        span: *span,
                    },
                    _ => Prop::FollowedBy {
                        antecedent,
                        overlapping: *overlapping,
                        consequent,
                        span: *span,
                    },
                };
                (out, env.clone())
            }
            Prop::IfElse {
                cond,
                then,
                els,
                span,
            } => {
                let cond = self.local_expr(cond, env)?;
                let (t, _) = self.local_rw(cx, rw, then, env)?;
                let e = match els {
                    Some(e) => Some(bx(self.local_rw(cx, rw, e, env)?.0)),
                    None => None,
                };
                let out = Prop::IfElse {
                    cond,
                    then: bx(t),
                    els: e,
                    span: *span,
                };
                (out, env.clone())
            }
            Prop::Not(a, s) => (
                Prop::Not(bx(self.local_rw(cx, rw, a, env)?.0), *s),
                env.clone(),
            ),
            Prop::Strength { strong, seq, span } => {
                let (x, e) = self.local_rw(cx, rw, seq, env)?;
                let out = Prop::Strength {
                    strong: *strong,
                    seq: bx(x),
                    span: *span,
                };
                (out, e)
            }
            Prop::Iff(a, b, s) | Prop::LogicImplies(a, b, s) => {
                let (x, _) = self.local_rw(cx, rw, a, env)?;
                let (y, _) = self.local_rw(cx, rw, b, env)?;
                let out = match p {
                    Prop::Iff(..) => Prop::Iff(bx(x), bx(y), *s),
                    _ => Prop::LogicImplies(bx(x), bx(y), *s),
                };
                (out, env.clone())
            }
            Prop::Clocked(ev, a, s) => {
                let (x, e) = self.local_rw(cx, rw, a, env)?;
                (Prop::Clocked(ev.clone(), bx(x), *s), e)
            }
            Prop::DisableIff(d, a, s) => {
                let (x, e) = self.local_rw(cx, rw, a, env)?;
                (Prop::DisableIff(d.clone(), bx(x), *s), e)
            }
            // Unbounded property operators are refused when compiled; a
            // local variable read inside them has no fixed distance.
            Prop::Eventually { .. } | Prop::Always(..) => {
                if self.local_reads(p, env) {
                    return Err(err(
                        p.span(),
                        "unsupported construct: local variable read under an unbounded property operator",
                    ));
                }
                (p.clone(), env.clone())
            }
        })
    }

    /// Whether `p` reads one of the variables of `env` (conservatively:
    /// any name of one in any expression of `p`).
    fn local_reads(&self, p: &Prop, env: &Env) -> bool {
        let mut found = false;
        let mut visit = |e: &ast::Expr| {
            if names_in(e).iter().any(|n| env.contains_key(n)) {
                found = true;
            }
        };
        walk_exprs(p, &mut visit);
        found
    }
}

/// A select (`x[i]`, `x[a:b]`, `x.f`) whose base is a local variable.
fn selected_local<'e>(e: &'e ast::Expr, env: &Env) -> Option<&'e ast::Expr> {
    let is_local = |b: &ast::Expr| matches!(&b.kind, ExprKind::Ident(n) if n.package.is_none() && env.contains_key(&n.name.name));
    let kids: Vec<&ast::Expr> = match &e.kind {
        ExprKind::Index(b, i) => {
            if is_local(b) {
                return Some(e);
            }
            vec![b, i]
        }
        ExprKind::Range(b, x, y) => {
            if is_local(b) {
                return Some(e);
            }
            vec![b, x, y]
        }
        ExprKind::IndexedRange {
            base, start, width, ..
        } => {
            if is_local(base) {
                return Some(e);
            }
            vec![base, start, width]
        }
        ExprKind::Member(b, _) => {
            if is_local(b) {
                return Some(e);
            }
            vec![b]
        }
        ExprKind::Unary(_, x) | ExprKind::Cast(_, x) => vec![x],
        ExprKind::Binary(_, x, y) => vec![x, y],
        ExprKind::Cond(c, x, y) => vec![c, x, y],
        ExprKind::Concat(xs) | ExprKind::Call(_, xs) | ExprKind::SysCall(_, xs) => {
            xs.iter().collect()
        }
        ExprKind::Repl(n, xs) => std::iter::once(&**n).chain(xs.iter()).collect(),
        ExprKind::Inside(x, items) => {
            let mut v = vec![&**x];
            for i in items {
                match i {
                    ast::InsideItem::Value(a) => v.push(a),
                    ast::InsideItem::Range(a, b) => {
                        v.push(a);
                        v.push(b);
                    }
                }
            }
            v
        }
        ExprKind::Pattern(ps) => ps.iter().map(|(_, x)| x).collect(),
        _ => Vec::new(),
    };
    kids.into_iter().find_map(|k| selected_local(k, env))
}

/// Every expression of `p` (operands, conditions, assignments, arguments).
fn walk_exprs(p: &Prop, f: &mut dyn FnMut(&ast::Expr)) {
    match p {
        Prop::Expr(e) => f(e),
        Prop::Instance { args, .. } => {
            for a in args {
                if let ast::SvaArg::Positional(Some(x)) | ast::SvaArg::Named(_, Some(x)) = a {
                    walk_exprs(x, f);
                }
            }
        }
        Prop::Match { seq, assigns, .. } => {
            walk_exprs(seq, f);
            for (_, v) in assigns {
                f(v);
            }
        }
        Prop::Delay { lhs, rhs, .. } => {
            if let Some(l) = lhs {
                walk_exprs(l, f);
            }
            walk_exprs(rhs, f);
        }
        Prop::Repeat { seq, .. } => walk_exprs(seq, f),
        Prop::And(a, b, _)
        | Prop::Or(a, b, _)
        | Prop::Intersect(a, b, _)
        | Prop::Throughout(a, b, _)
        | Prop::Within(a, b, _)
        | Prop::Iff(a, b, _)
        | Prop::LogicImplies(a, b, _) => {
            walk_exprs(a, f);
            walk_exprs(b, f);
        }
        Prop::Implies {
            antecedent,
            consequent,
            ..
        }
        | Prop::FollowedBy {
            antecedent,
            consequent,
            ..
        } => {
            walk_exprs(antecedent, f);
            walk_exprs(consequent, f);
        }
        Prop::IfElse {
            cond, then, els, ..
        } => {
            f(cond);
            walk_exprs(then, f);
            if let Some(e) = els {
                walk_exprs(e, f);
            }
        }
        Prop::FirstMatch(a, _)
        | Prop::Not(a, _)
        | Prop::Always(a, _)
        | Prop::Clocked(_, a, _)
        | Prop::DisableIff(_, a, _) => walk_exprs(a, f),
        Prop::Eventually { prop, .. } => walk_exprs(prop, f),
        Prop::Strength { seq, .. } => walk_exprs(seq, f),
    }
}
