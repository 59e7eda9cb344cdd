//! Concurrent assertions (IEEE 1800-2017 clause 16) compiled into monitor
//! logic, so the simulator and the model checker check the same thing.
//!
//! Every supported sequence and property is bounded: a property attempt
//! started at cycle t is decided by cycle t+H for a fixed horizon H. So an
//! attempt is compiled to a boolean formula over "leaf b at offset i"
//! atoms; each age d in 0..=H is one attempt in flight (the one started d
//! cycles ago), and its atoms read `b` delayed by d-i cycles through shared
//! delay registers. All overlapping attempts are therefore tracked exactly.
//! An attempt's failure is reported in the first cycle where three-valued
//! evaluation (atoms of future offsets unknown) shows it can no longer hold.
//! Sequences with unbounded forms (`$`, goto and non-consecutive
//! repetition) go to the automaton monitors of `sva_nfa.rs` instead (in
//! covers, antecedents and weak sequences); liveness (`strong`,
//! `eventually`, `always`) is refused with a message, never approximated.

mod live;

use super::expr::Env;
use super::graph::Gid;
use super::sva_nfa::{Dfa, Nfa, MAX_DFA, MAX_NFA};
use super::types::Ty;
use super::{err_sva as err, is_global_clock, ClockRef, Elaborator, ScopeId};
use crate::ast::{self, AssertKind, ExprKind, Prop, RepKind};
use crate::bits::Bits;
use crate::diag::Result;
use crate::ir::PropKind;
use crate::source::Span;
use std::collections::HashMap;
use std::rc::Rc;

/// Upper bound on a sequence's number of match alternatives, to keep the
/// unrolled monitor small; larger ones are refused.
const MAX_ALTS: usize = 4096;
/// Upper bound on the horizon (cycles an attempt may stay in flight).
const MAX_HORIZON: i64 = 256;

/// SVA declarations and defaults of one scope.
#[derive(Default)]
pub(super) struct SvaScope<'a> {
    props: HashMap<String, &'a ast::PropertyDecl>,
    seqs: HashMap<String, &'a ast::SequenceDecl>,
    clock: Option<&'a ast::EventExpr>,
    disable: Option<&'a ast::Expr>,
}

/// A boolean formula over atoms `(leaf, offset)`.
#[derive(Clone, Debug, PartialEq)]
pub(super) enum F {
    T,
    Fz,
    Atom(usize, i64),
    Not(Rc<F>),
    And(Rc<F>, Rc<F>),
    Or(Rc<F>, Rc<F>),
}

pub(super) fn and(a: F, b: F) -> F {
    match (&a, &b) {
        (F::Fz, _) | (_, F::Fz) => F::Fz,
        (F::T, _) => b,
        (_, F::T) => a,
        _ if a == b => a,
        _ => F::And(Rc::new(a), Rc::new(b)),
    }
}

pub(super) fn or(a: F, b: F) -> F {
    match (&a, &b) {
        (F::T, _) | (_, F::T) => F::T,
        (F::Fz, _) => b,
        (_, F::Fz) => a,
        _ if a == b => a,
        _ => F::Or(Rc::new(a), Rc::new(b)),
    }
}

pub(super) fn not(a: F) -> F {
    match a {
        F::T => F::Fz,
        F::Fz => F::T,
        F::Not(x) => (*x).clone(),
        x => F::Not(Rc::new(x)),
    }
}

fn shift(f: &F, k: i64) -> F {
    match f {
        F::T | F::Fz => f.clone(),
        F::Atom(l, i) => F::Atom(*l, i + k),
        F::Not(a) => not(shift(a, k)),
        F::And(a, b) => and(shift(a, k), shift(b, k)),
        F::Or(a, b) => or(shift(a, k), shift(b, k)),
    }
}

fn horizon(f: &F) -> i64 {
    match f {
        F::T | F::Fz => 0,
        F::Atom(_, i) => *i,
        F::Not(a) => horizon(a),
        F::And(a, b) | F::Or(a, b) => horizon(a).max(horizon(b)),
    }
}

/// Guarded transitions of a subset construction (`None`: the empty set).
type Trans = (F, Option<usize>);

/// Match alternatives of a sequence: (end offset, condition). End -1 is the
/// empty match.
pub(super) type Seq = Vec<(i64, F)>;

fn normalize(mut s: Seq) -> Seq {
    s.sort_by_key(|(e, _)| *e);
    let mut out: Seq = Vec::new();
    for (e, f) in s {
        if f == F::Fz {
            continue;
        }
        match out.last_mut() {
            Some((le, lf)) if *le == e => *lf = or(lf.clone(), f),
            _ => out.push((e, f)),
        }
    }
    out
}

/// `s1 ##k s2` with the empty-match rules of 16.9.2.1.
fn concat(s1: &Seq, k: i64, s2: &Seq) -> Seq {
    let mut out = Vec::new();
    for (e1, f1) in s1 {
        for (e2, f2) in s2 {
            let start2 = e1 + k;
            if k == 0 && (*e1 < 0 || *e2 < 0) {
                continue; // fusion with an empty match never matches
            }
            if start2 < 0 && *e2 >= 0 {
                continue;
            }
            let end = if *e2 < 0 { start2 - 1 } else { start2 + e2 };
            let f = if *e2 < 0 {
                f1.clone()
            } else {
                and(f1.clone(), shift(f2, start2))
            };
            out.push((end, f));
        }
    }
    normalize(out)
}

/// Formal argument names bound to the actual arguments (already
/// substituted in the caller's context) while expanding a declaration.
pub(super) type Bindings = HashMap<String, Prop>;

/// Nesting limit of sequence/property instances (catches recursion).
const MAX_DEPTH: usize = 64;

pub(super) struct Cx {
    pub(super) scope: ScopeId,
    leaves: Vec<Gid>,
    /// Instances being expanded (recursion guard).
    pub(super) depth: usize,
    /// Set when the bounded compiler refused an unbounded form, so the
    /// caller retries with an automaton monitor.
    pub(super) unbounded: bool,
}

/// A named instance: `name`, `name(args)` (expression form) or
/// `Prop::Instance`; its name and arguments.
pub(super) fn named(p: &Prop) -> Option<(&ast::Ident, Vec<ast::SvaArg>)> {
    match p {
        Prop::Expr(e) => match &e.kind {
            ExprKind::Ident(n) if n.package.is_none() => Some((&n.name, Vec::new())),
            ExprKind::Call(n, args) if n.package.is_none() => Some((
                &n.name,
                args.iter()
                    .map(|a| ast::SvaArg::Positional(Some(Prop::Expr(a.clone()))))
                    .collect(),
            )),
            _ => None,
        },
        Prop::Instance { name, args, .. } if name.package.is_none() => {
            Some((&name.name, args.clone()))
        }
        _ => None,
    }
}

/// Bind actual arguments to formals: positional, then named, then defaults.
fn bind(formals: &[ast::SvaFormal], actuals: &[ast::SvaArg], span: Span) -> Result<Bindings> {
    let mut vals: Vec<Option<Prop>> = vec![None; formals.len()];
    let mut pos = 0;
    for a in actuals {
        match a {
            ast::SvaArg::Positional(v) => {
                if pos >= formals.len() {
                    return Err(err(span, "too many arguments to sequence/property"));
                }
                vals[pos] = v.clone();
                pos += 1;
            }
            ast::SvaArg::Named(id, v) => {
                let i = formals
                    .iter()
                    .position(|f| f.name.name == id.name)
                    .ok_or_else(|| err(id.span, format!("no formal argument `{}`", id.name)))?;
                vals[i] = v.clone();
            }
        }
    }
    let mut out = Bindings::new();
    for (f, v) in formals.iter().zip(vals) {
        let v = match (v, &f.default) {
            (Some(v), _) => v,
            (None, Some(d)) => d.clone(),
            (None, None) => return Err(err(span, format!("missing argument `{}`", f.name.name))),
        };
        out.insert(f.name.name.clone(), v);
    }
    Ok(out)
}

/// Replace formal names by their actual arguments in a declaration body
/// (IEEE 1800-2017 16.8.2: an instance is its body with the actuals
/// substituted for the formals).
fn subst_prop(p: &Prop, b: &Bindings) -> Result<Prop> {
    let sp = |x: &Prop| subst_prop(x, b).map(Box::new);
    let se = |x: &ast::Expr| subst_expr(x, b);
    let sr = |r: &ast::CycleRange| -> Result<ast::CycleRange> {
        Ok(ast::CycleRange {
            min: subst_expr(&r.min, b)?,
            max: match &r.max {
                None => None,
                Some(None) => Some(None),
                Some(Some(e)) => Some(Some(subst_expr(e, b)?)),
            },
        })
    };
    let sa = |a: &ast::SvaArg| -> Result<ast::SvaArg> {
        Ok(match a {
            ast::SvaArg::Positional(v) => {
                ast::SvaArg::Positional(v.as_ref().map(|v| subst_prop(v, b)).transpose()?)
            }
            ast::SvaArg::Named(id, v) => ast::SvaArg::Named(
                id.clone(),
                v.as_ref().map(|v| subst_prop(v, b)).transpose()?,
            ),
        })
    };
    Ok(match p {
        Prop::Expr(e) => {
            if let ExprKind::Ident(n) = &e.kind {
                if n.package.is_none() {
                    if let Some(v) = b.get(&n.name.name) {
                        return Ok(v.clone());
                    }
                }
            }
            // An instance written in expression form: its arguments may
            // be sequences bound to formals.
            if let ExprKind::Call(n, args) = &e.kind {
                if n.package.is_none()
                    && args.iter().any(|a| {
                        matches!(&a.kind, ExprKind::Ident(x)
                            if x.package.is_none() && matches!(b.get(&x.name.name), Some(v) if !matches!(v, Prop::Expr(_))))
                    })
                {
                    let args = args
                        .iter()
                        .map(|a| sa(&ast::SvaArg::Positional(Some(Prop::Expr(a.clone())))))
                        .collect::<Result<Vec<_>>>()?;
                    return Ok(Prop::Instance {
                        name: n.clone(),
                        args,
                        span: e.span,
                    });
                }
            }
            Prop::Expr(se(e)?)
        }
        Prop::Instance { name, args, span } => Prop::Instance {
            name: name.clone(),
            args: args.iter().map(sa).collect::<Result<_>>()?,
            span: *span,
        },
        Prop::Delay {
            lhs,
            range,
            rhs,
            span,
        } => Prop::Delay {
            lhs: lhs.as_ref().map(|l| sp(l)).transpose()?,
            range: sr(range)?,
            rhs: sp(rhs)?,
            span: *span,
        },
        Prop::Repeat {
            seq,
            kind,
            range,
            span,
        } => Prop::Repeat {
            seq: sp(seq)?,
            kind: *kind,
            range: sr(range)?,
            span: *span,
        },
        Prop::And(x, y, s) => Prop::And(sp(x)?, sp(y)?, *s),
        Prop::Or(x, y, s) => Prop::Or(sp(x)?, sp(y)?, *s),
        Prop::Intersect(x, y, s) => Prop::Intersect(sp(x)?, sp(y)?, *s),
        Prop::Throughout(x, y, s) => Prop::Throughout(sp(x)?, sp(y)?, *s),
        Prop::Within(x, y, s) => Prop::Within(sp(x)?, sp(y)?, *s),
        Prop::FirstMatch(x, s) => Prop::FirstMatch(sp(x)?, *s),
        Prop::Not(x, s) => Prop::Not(sp(x)?, *s),
        Prop::Always(x, s) => Prop::Always(sp(x)?, *s),
        Prop::Iff(x, y, s) => Prop::Iff(sp(x)?, sp(y)?, *s),
        Prop::LogicImplies(x, y, s) => Prop::LogicImplies(sp(x)?, sp(y)?, *s),
        Prop::Match { seq, assigns, span } => Prop::Match {
            seq: sp(seq)?,
            assigns: assigns
                .iter()
                .map(|(x, v)| Ok((x.clone(), se(v)?)))
                .collect::<Result<_>>()?,
            span: *span,
        },
        Prop::Implies {
            antecedent,
            overlapping,
            consequent,
            span,
        } => Prop::Implies {
            antecedent: sp(antecedent)?,
            overlapping: *overlapping,
            consequent: sp(consequent)?,
            span: *span,
        },
        Prop::FollowedBy {
            antecedent,
            overlapping,
            consequent,
            span,
        } => Prop::FollowedBy {
            antecedent: sp(antecedent)?,
            overlapping: *overlapping,
            consequent: sp(consequent)?,
            span: *span,
        },
        Prop::IfElse {
            cond,
            then,
            els,
            span,
        } => Prop::IfElse {
            cond: se(cond)?,
            then: sp(then)?,
            els: els.as_ref().map(|e| sp(e)).transpose()?,
            span: *span,
        },
        Prop::Eventually { strong, prop, span } => Prop::Eventually {
            strong: *strong,
            prop: sp(prop)?,
            span: *span,
        },
        Prop::Strength { strong, seq, span } => Prop::Strength {
            strong: *strong,
            seq: sp(seq)?,
            span: *span,
        },
        Prop::Clocked(ev, x, s) => Prop::Clocked(
            ast::EventExpr {
                edge: ev.edge,
                expr: se(&ev.expr)?,
                span: ev.span,
            },
            sp(x)?,
            *s,
        ),
        Prop::DisableIff(e, x, s) => Prop::DisableIff(se(e)?, sp(x)?, *s),
    })
}

/// Substitute formals inside a boolean expression: each must be bound to
/// an expression (a formal bound to a sequence cannot stand in one).
pub(super) fn subst_expr(e: &ast::Expr, b: &Bindings) -> Result<ast::Expr> {
    use ast::{CastKind, InsideItem};
    let s = |x: &ast::Expr| subst_expr(x, b);
    let bx = |x: &ast::Expr| subst_expr(x, b).map(Box::new);
    let v = |xs: &[ast::Expr]| {
        xs.iter()
            .map(|x| subst_expr(x, b))
            .collect::<Result<Vec<_>>>()
    };
    let items = |xs: &[InsideItem]| {
        xs.iter()
            .map(|i| {
                Ok(match i {
                    InsideItem::Value(x) => InsideItem::Value(subst_expr(x, b)?),
                    InsideItem::Range(x, y) => {
                        InsideItem::Range(subst_expr(x, b)?, subst_expr(y, b)?)
                    }
                })
            })
            .collect::<Result<Vec<_>>>()
    };
    // A name in a constant position (`##[1:max]`) comes as a call with no
    // arguments: it is a formal all the same.
    let name = match &e.kind {
        ExprKind::Ident(n) => Some(n),
        ExprKind::Call(n, xs) if xs.is_empty() => Some(n),
        _ => None,
    };
    let kind = match name {
        Some(n) if n.package.is_none() && b.contains_key(&n.name.name) => match b.get(&n.name.name) {
            Some(Prop::Expr(x)) => return Ok(x.clone()),
            Some(_) => {
                return Err(err(
                    e.span,
                    format!(
                        "formal argument `{}` is bound to a sequence or property but used inside a boolean expression",
                        n.name.name
                    ),
                ))
            }
            None => e.kind.clone(),
        },
        _ => match &e.kind {
        ExprKind::Number(_)
        | ExprKind::Unbased(_)
        | ExprKind::String(_)
        | ExprKind::Ident(_)
        | ExprKind::Real(_)
        | ExprKind::Dollar
        | ExprKind::Type(_) => e.kind.clone(),
        ExprKind::New { size, init } => ExprKind::New {
            size: bx(size)?,
            init: match init {
                Some(x) => Some(bx(x)?),
                None => None,
            },
        },
        ExprKind::Member(x, id) => ExprKind::Member(bx(x)?, id.clone()),
        ExprKind::Index(x, i) => ExprKind::Index(bx(x)?, bx(i)?),
        ExprKind::Range(x, m, l) => ExprKind::Range(bx(x)?, bx(m)?, bx(l)?),
        ExprKind::IndexedRange {
            base,
            start,
            up,
            width,
        } => ExprKind::IndexedRange {
            base: bx(base)?,
            start: bx(start)?,
            up: *up,
            width: bx(width)?,
        },
        ExprKind::Unary(op, x) => ExprKind::Unary(*op, bx(x)?),
        ExprKind::Binary(op, x, y) => ExprKind::Binary(*op, bx(x)?, bx(y)?),
        ExprKind::Cond(c, x, y) => ExprKind::Cond(bx(c)?, bx(x)?, bx(y)?),
        ExprKind::Concat(xs) => ExprKind::Concat(v(xs)?),
        ExprKind::Repl(n, xs) => ExprKind::Repl(bx(n)?, v(xs)?),
        ExprKind::Call(n, xs) => ExprKind::Call(n.clone(), v(xs)?),
        ExprKind::SysCall(n, xs) => ExprKind::SysCall(n.clone(), v(xs)?),
        ExprKind::Method(x, n, xs) => ExprKind::Method(bx(x)?, n.clone(), v(xs)?),
        ExprKind::Stream { left, slice, items } => ExprKind::Stream {
            left: *left,
            slice: match slice {
                Some(x) => Some(bx(x)?),
                None => None,
            },
            items: v(items)?,
        },
        ExprKind::Cast(k, x) => {
            let k = match k {
                CastKind::Width(w) => CastKind::Width(bx(w)?),
                other => other.clone(),
            };
            ExprKind::Cast(k, bx(x)?)
        }
        ExprKind::Inside(x, is) => ExprKind::Inside(bx(x)?, items(is)?),
        ExprKind::Pattern(ps) => ExprKind::Pattern(
            ps.iter()
                .map(|(k, x)| Ok((k.clone(), s(x)?)))
                .collect::<Result<Vec<_>>>()?,
        ),
        },
    };
    Ok(ast::Expr { kind, span: e.span })
}

impl<'a> Elaborator<'a> {
    fn sva_scope(&mut self, scope: ScopeId) -> &mut SvaScope<'a> {
        self.sva.scopes.entry(scope).or_default()
    }

    /// Walk the scope chain for an SVA declaration or default.
    fn sva_find<T>(&self, scope: ScopeId, f: impl Fn(&SvaScope<'a>) -> Option<T>) -> Option<T> {
        let mut s = Some(scope);
        while let Some(i) = s {
            if let Some(v) = self.sva.scopes.get(&i).and_then(&f) {
                return Some(v);
            }
            s = self.syms.scopes[i].parent;
        }
        None
    }

    /// Whether `key` names a sequence or property declared in scope.
    pub(super) fn sva_has_decl(&self, scope: ScopeId, key: &str) -> bool {
        self.sva_find(scope, |s| {
            (s.seqs.contains_key(key) || s.props.contains_key(key)).then_some(())
        })
        .is_some()
    }

    pub(super) fn sva_item(&mut self, scope: ScopeId, item: &'a ast::Item) -> Result<()> {
        match item {
            ast::Item::Assertion(a) => self.sva_assertion(scope, a),
            ast::Item::PropertyDecl(d) => {
                self.sva_scope(scope).props.insert(d.name.name.clone(), d);
                Ok(())
            }
            ast::Item::SequenceDecl(d) => {
                self.sva_scope(scope).seqs.insert(d.name.name.clone(), d);
                Ok(())
            }
            ast::Item::DefaultClocking(e) => {
                self.sva_scope(scope).clock = Some(e);
                Ok(())
            }
            ast::Item::DefaultDisable(e) => {
                self.sva_scope(scope).disable = Some(e);
                Ok(())
            }
            _ => Ok(()),
        }
    }

    /// Compile one concurrent assertion into a monitor and add its property.
    pub(super) fn sva_assertion(
        &mut self,
        scope: ScopeId,
        a: &ast::ConcurrentAssertion,
    ) -> Result<()> {
        let (kind, node, clock) = self.sva_monitor(scope, a, None, None, false)?;
        self.add_prop(scope, a.label.as_ref(), kind, node, a.span, clock);
        Ok(())
    }

    /// The monitor of one concurrent assertion: its kind and its "bad"
    /// (assert/assume) or "hit" (cover) node. For an assertion inside a
    /// procedural block (16.14.6), `block_clock` is the block's event
    /// control (it comes before `default clocking`) and `enable` the
    /// block's path condition: attempts start only in cycles where it
    /// holds, as in `enable |-> p`.
    pub(super) fn sva_monitor(
        &mut self,
        scope: ScopeId,
        a: &ast::ConcurrentAssertion,
        block_clock: Option<&ast::EventExpr>,
        enable: Option<Gid>,
        once: bool,
    ) -> Result<(PropKind, Gid, Option<ClockRef>)> {
        let mut body = a.spec.body.clone();
        let mut clock = a.spec.clock.clone();
        let mut disable = a.spec.disable_iff.clone();
        let mut cx = Cx {
            scope,
            leaves: Vec::new(),
            depth: 0,
            unbounded: false,
        };
        // `@(clk) disable iff (e) p` may also come nested in the body, or
        // in the declaration of a property or sequence named at the top
        // (its clock is the assertion's leading clock, 16.16.1).
        for _ in 0..MAX_DEPTH {
            match body {
                Prop::Clocked(c, p, _) if clock.is_none() => {
                    clock = Some(c);
                    body = *p;
                }
                Prop::DisableIff(e, p, _) if disable.is_none() => {
                    disable = Some(e);
                    body = *p;
                }
                _ => match self.expand(&mut cx, &body, true)? {
                    Some(x @ (Prop::Clocked(..) | Prop::DisableIff(..))) => body = x,
                    _ => break,
                },
            }
        }
        cx.depth = 0;
        let default_clock = self.sva_find(scope, |s| s.clock);
        let clock = clock.or(block_clock.cloned()).or(default_clock.cloned());
        let cref = match &clock {
            Some(c) => self.sva_clock(scope, c)?,
            // No clock written: the design's one clock (the SymbiYosys
            // convention). Elaboration checks at the end that the design
            // has exactly one (`sva_unclocked_check`); with several clocks
            // it is checked on every tick of the global clock.
            None => {
                self.sva.unclocked.push(a.span);
                None
            }
        };
        // The monitor's registers run on the assertion's clock.
        let outer = std::mem::replace(&mut self.clk.cur_clock, cref);
        // `once` (`expect`): a single attempt, at the clock's first edge.
        let enable = if once {
            let (id, started) = self.monitor_reg("expect_started");
            self.net.regs[id].next = self.g.one_bit(true);
            let fresh = self.g.not(started);
            Some(match enable {
                Some(e) => self.g.and(e, fresh),
                None => fresh,
            })
        } else {
            enable
        };
        let r = self.sva_monitor_on(&mut cx, a, &body, disable, enable);
        self.clk.cur_clock = outer;
        let (kind, node) = r?;
        Ok((kind, node, cref))
    }

    fn sva_monitor_on(
        &mut self,
        cx: &mut Cx,
        a: &ast::ConcurrentAssertion,
        body: &Prop,
        disable: Option<ast::Expr>,
        enable: Option<Gid>,
    ) -> Result<(PropKind, Gid)> {
        let scope = cx.scope;
        let default_disable = self.sva_find(scope, |s| s.disable);
        let disable = disable.as_ref().or(default_disable);
        let dis = match disable {
            Some(e) => Some(self.sva_bool(scope, e)?),
            None => None,
        };
        if self.is_live(cx, body)? {
            cx.depth = 0;
            let kind = match a.kind {
                AssertKind::Assert => PropKind::Live,
                AssertKind::Assume => PropKind::Fair,
                AssertKind::Cover => {
                    return Err(err(
                        a.span,
                        "a `cover` of a liveness property is not supported: cover the event itself (`cover property (b)`)",
                    ))
                }
            };
            let trig = enable.unwrap_or_else(|| self.g.one_bit(true));
            let node = self.live_pending(cx, body, trig, dis)?;
            return Ok((kind, node));
        }
        cx.depth = 0;
        let node = match self.bounded_monitor(cx, a.kind, body, dis, enable, a.span) {
            Ok(n) => n,
            // Refused only for an unbounded form: try the automaton monitor,
            // whose own refusals say what is not supported.
            Err(_) if cx.unbounded => {
                cx.depth = 0;
                self.automaton_monitor(cx, a.kind, body, dis, enable, a.span)?
            }
            Err(e) => return Err(e),
        };
        let kind = match a.kind {
            AssertKind::Assert => PropKind::Assert,
            AssertKind::Assume => PropKind::Assume,
            AssertKind::Cover => PropKind::Cover,
        };
        Ok((kind, node))
    }

    /// A clocking event of an assertion or of a sequence inside one, an
    /// edge of a signal. One nested in a property must be the assertion's
    /// own clock when the design runs on a global tick (multi-clocked
    /// properties are not supported); with a single clock every clock is
    /// that one (`clocking` checks it).
    fn sva_clock(&mut self, scope: ScopeId, clock: &ast::EventExpr) -> Result<Option<ClockRef>> {
        if clock.edge == ast::Edge::Any && is_global_clock(&clock.expr) {
            return Ok(self.sva_global_tick(clock.span));
        }
        if matches!(clock.edge, ast::Edge::Any | ast::Edge::Both) {
            return Err(err(
                clock.span,
                "assertion clocks must be `posedge` or `negedge` of a signal (both edges are not supported)",
            ));
        }
        let clk = self.sva_bool(scope, &clock.expr)?;
        if self.is_gclk(clk) {
            return Ok(self.sva_global_tick(clock.span));
        }
        let cref = ClockRef {
            signal: clk,
            edge: clock.edge,
        };
        self.clk.clocks.push((cref, clock.span));
        if self.clk.cur_clock.is_some_and(|c| c != cref) {
            self.clk.nested_clocks.push(clock.span);
        }
        Ok(Some(cref))
    }

    /// The global clock as an assertion's clock (`$global_clock`, a
    /// `(* gclk *)` signal): every tick, no clock of its own; inside a
    /// property clocked otherwise, a second clock.
    fn sva_global_tick(&mut self, span: Span) -> Option<ClockRef> {
        self.clk.global_tick_used = true;
        if self.clk.cur_clock.is_some() {
            self.clk.nested_clocks.push(span);
        }
        None
    }

    /// Assertions written without any clock take the design's clock; a
    /// design with no clock at all gives them none.
    pub(super) fn sva_unclocked_check(&self) -> Result<()> {
        match self.sva.unclocked.first() {
            Some(&span) if self.clk.clocks.is_empty() && !self.clk.global_tick_used => Err(err(
                span,
                "concurrent assertion has no clock, and the design has no clock to take (write `@(posedge clk)` or a `default clocking`)",
            )),
            _ => Ok(()),
        }
    }

    /// The unrolled monitor of a property whose sequences are all bounded.
    fn bounded_monitor(
        &mut self,
        cx: &mut Cx,
        kind: AssertKind,
        body: &Prop,
        dis: Option<Gid>,
        trig: Option<Gid>,
        span: Span,
    ) -> Result<Gid> {
        // A cover of a pure sequence hits at every match end.
        if kind == AssertKind::Cover {
            match self.sva_seq(cx, body) {
                Ok(s) => {
                    let s: Seq = s.into_iter().filter(|(e, _)| *e >= 0).collect();
                    self.cover_seq_node(cx, &s, dis, trig, span)
                }
                Err(_) => {
                    let f = self.sva_prop(cx, body)?;
                    self.decided_node(cx, &f, true, dis, trig, span)
                }
            }
        } else {
            let f = self.sva_prop(cx, body)?;
            self.decided_node(cx, &f, false, dis, trig, span)
        }
    }

    /// The monitor of a property with unbounded sequences (see
    /// `sva_nfa.rs`): a cover of a sequence, or an assert/assume built from
    /// antecedents, weak sequences, `if`/`else` and property `and`.
    fn automaton_monitor(
        &mut self,
        cx: &mut Cx,
        kind: AssertKind,
        body: &Prop,
        dis: Option<Gid>,
        enable: Option<Gid>,
        span: Span,
    ) -> Result<Gid> {
        let trig = enable.unwrap_or_else(|| self.g.one_bit(true));
        if kind == AssertKind::Cover {
            let n = self.sva_nfa(cx, body).map_err(|e| {
                if self.nfa_operator(body).is_some() {
                    err(span, "a `cover` of a property with unbounded sequences is supported only when the property is a sequence (`cover property (s)`, `cover sequence (s)`)")
                } else {
                    e
                }
            })?;
            return Ok(self.nfa_match(cx, &n, trig, dis));
        }
        self.auto_fail(cx, body, trig, dis)
    }

    /// A property operator the automaton cannot build a sequence from.
    fn nfa_operator(&self, p: &Prop) -> Option<&'static str> {
        match p {
            Prop::Implies { .. }
            | Prop::FollowedBy { .. }
            | Prop::IfElse { .. }
            | Prop::Not(..)
            | Prop::Eventually { .. }
            | Prop::Always(..)
            | Prop::Iff(..)
            | Prop::LogicImplies(..)
            | Prop::DisableIff(..) => Some(prop_op(p)),
            _ => None,
        }
    }

    /// 1 when an attempt of `p`, started in a cycle where `trig` holds,
    /// fails (assert/assume).
    fn auto_fail(&mut self, cx: &mut Cx, p: &Prop, trig: Gid, dis: Option<Gid>) -> Result<Gid> {
        // A bounded part goes through the unrolled monitor.
        cx.unbounded = false;
        match self.sva_prop(cx, p) {
            Ok(f) => return self.decided_node(cx, &f, false, dis, Some(trig), p.span()),
            Err(e) if !cx.unbounded => return Err(e),
            Err(_) => cx.unbounded = false,
        }
        let refuse = |what: &str| {
            Err(err(
                p.span(),
                format!("`{what}` over an unbounded sequence is not supported in an assertion: {}", match what {
                    "s_eventually" | "eventually" | "always" | "strong(...)" => "the sequence must happen, which makes it a liveness property that a safety monitor cannot decide",
                    _ => "its failure depends on every attempt of an unbounded sequence, which verify's automaton monitors do not track (supported: antecedents, weak sequences, `if`/`else`, property `and`)",
                }),
            ))
        };
        match p {
            Prop::Expr(_) | Prop::Instance { .. } => {
                if let Some(body) = self.expand(cx, p, true)? {
                    let r = self.auto_fail(cx, &body, trig, dis);
                    cx.depth -= 1;
                    return r;
                }
                self.weak_fail(cx, p, trig, dis)
            }
            Prop::Implies {
                antecedent,
                overlapping,
                consequent,
                ..
            } => {
                let t = self.consequent_trigger(cx, antecedent, *overlapping, trig, dis)?;
                self.auto_fail(cx, consequent, t, dis)
            }
            Prop::IfElse {
                cond, then, els, ..
            } => {
                let c = self.sva_bool(cx.scope, cond)?;
                let tt = self.g.and(trig, c);
                let f = self.auto_fail(cx, then, tt, dis)?;
                match els {
                    Some(e) => {
                        let nc = self.g.not(c);
                        let te = self.g.and(trig, nc);
                        let g = self.auto_fail(cx, e, te, dis)?;
                        Ok(self.g.or(f, g))
                    }
                    None => Ok(f),
                }
            }
            // Property `and` and sequence `and` both hold iff both operands
            // do: an attempt fails when either fails. Two sequences go
            // through one subset construction when it fits, so an attempt
            // is reported once (at the earlier operand's failure), not once
            // per operand.
            Prop::And(a, b, _) => {
                // (`sva_nfa` refuses operands that are not sequences.)
                if let Ok(f) = self.weak_fail(cx, p, trig, dis) {
                    return Ok(f);
                }
                let x = self.auto_fail(cx, a, trig, dis)?;
                let y = self.auto_fail(cx, b, trig, dis)?;
                Ok(self.g.or(x, y))
            }
            Prop::Or(..) => match self.sva_nfa(cx, p) {
                Ok(n) => self.dfa_fail(cx, &n, trig, dis, p.span()),
                Err(_) => refuse("or"),
            },
            Prop::Strength { strong: true, .. } => refuse("strong(...)"),
            Prop::Strength { seq, .. } => self.weak_fail(cx, seq, trig, dis),
            Prop::Clocked(ev, inner, _) => {
                self.sva_clock(cx.scope, ev)?;
                self.auto_fail(cx, inner, trig, dis)
            }
            Prop::Not(..)
            | Prop::FollowedBy { .. }
            | Prop::Eventually { .. }
            | Prop::Iff(..)
            | Prop::LogicImplies(..)
            | Prop::Always(..) => refuse(prop_op(p)),
            _ => self.weak_fail(cx, p, trig, dis),
        }
    }

    /// Where the consequent's attempts start: each match of `antecedent`
    /// (attempts started where `trig` holds), or the cycle after it (`|=>`).
    fn consequent_trigger(
        &mut self,
        cx: &mut Cx,
        antecedent: &Prop,
        overlapping: bool,
        trig: Gid,
        dis: Option<Gid>,
    ) -> Result<Gid> {
        let n = self.sva_nfa(cx, antecedent)?;
        let m = self.nfa_match(cx, &n, trig, dis);
        Ok(if overlapping { m } else { self.delayed(m, 1) })
    }

    /// Failure of a weak sequence property (16.12.2): an attempt fails when
    /// no continuation can match any more.
    fn weak_fail(&mut self, cx: &mut Cx, p: &Prop, trig: Gid, dis: Option<Gid>) -> Result<Gid> {
        let n = self.sva_nfa(cx, p)?;
        self.dfa_fail(cx, &n, trig, dis, p.span())
    }

    /// A sequence's NFA (see `sva_nfa.rs`).
    fn sva_nfa(&mut self, cx: &mut Cx, p: &Prop) -> Result<Nfa> {
        let span = p.span();
        let big = |_| {
            err(
                span,
                format!("sequence too large to compile into an automaton monitor (more than {MAX_NFA} states)"),
            )
        };
        let u = |x: i64| x as u32;
        Ok(match p {
            Prop::Expr(_) | Prop::Instance { .. } => {
                if let Some(body) = self.expand(cx, p, false)? {
                    let r = self.sva_nfa(cx, &body);
                    cx.depth -= 1;
                    return r;
                }
                match p {
                    Prop::Expr(e) => Nfa::boolean(self.leaf(cx, e)?),
                    _ => return Err(err(span, "unknown sequence")),
                }
            }
            Prop::Delay {
                lhs, range, rhs, ..
            } => {
                let (lo, hi) = self.sva_range_open(cx.scope, range, "##")?;
                let l = match lhs {
                    Some(l) => self.sva_nfa(cx, l)?,
                    None => Nfa::boolean(F::T),
                };
                let r = self.sva_nfa(cx, rhs)?;
                Nfa::delay(&l, u(lo), hi.map(u), &r).map_err(big)?
            }
            Prop::Repeat {
                seq, kind, range, ..
            } => {
                let op = match kind {
                    RepKind::Consecutive => "[*]",
                    RepKind::Goto => "[->]",
                    RepKind::NonConsecutive => "[=]",
                };
                let (lo, hi) = self.sva_range_open(cx.scope, range, op)?;
                let (lo, hi) = (u(lo), hi.map(u));
                match kind {
                    RepKind::Consecutive => {
                        let s = self.sva_nfa(cx, seq)?;
                        Nfa::repeat(&s, lo, hi).map_err(big)?
                    }
                    RepKind::Goto => {
                        let b = self.bool_operand(cx, seq, op)?;
                        Nfa::goto(&b, lo, hi).map_err(big)?
                    }
                    RepKind::NonConsecutive => {
                        let b = self.bool_operand(cx, seq, op)?;
                        Nfa::nonconsec(&b, lo, hi).map_err(big)?
                    }
                }
            }
            Prop::Or(a, b, _) => {
                let (x, y) = (self.sva_nfa(cx, a)?, self.sva_nfa(cx, b)?);
                Nfa::or(&x, &y).map_err(big)?
            }
            Prop::And(a, b, _) => {
                let (x, y) = (self.sva_nfa(cx, a)?, self.sva_nfa(cx, b)?);
                Nfa::and(&x, &y).map_err(big)?
            }
            Prop::Intersect(a, b, _) => {
                let (x, y) = (self.sva_nfa(cx, a)?, self.sva_nfa(cx, b)?);
                Nfa::intersect(&x.non_empty(), &y.non_empty()).map_err(big)?
            }
            Prop::Within(a, b, _) => {
                let (x, y) = (self.sva_nfa(cx, a)?, self.sva_nfa(cx, b)?);
                Nfa::within(&x, &y).map_err(big)?
            }
            Prop::Throughout(c, s, _) => {
                let c = self.bool_operand(cx, c, "throughout")?;
                let s = self.sva_nfa(cx, s)?;
                Nfa::throughout(&c, &s)
            }
            Prop::FirstMatch(s, _) => {
                let s = self.sva_nfa(cx, s)?;
                Nfa::first_match(&s).map_err(|_| {
                    err(
                        span,
                        format!("`first_match` operand too large for an automaton monitor (more than {MAX_DFA} state sets)"),
                    )
                })?
            }
            Prop::Strength { seq, .. } => self.sva_nfa(cx, seq)?,
            Prop::Clocked(ev, inner, _) => {
                self.sva_clock(cx.scope, ev)?;
                self.sva_nfa(cx, inner)?
            }
            Prop::Match { span, .. } => return Err(stray_match(*span)),
            other => {
                return Err(err(
                    other.span(),
                    format!(
                        "`{}` is a property operator, not allowed in a sequence",
                        prop_op(other)
                    ),
                ))
            }
        })
    }

    /// The boolean operand of `[->]`, `[=]` or `throughout`.
    fn bool_operand(&mut self, cx: &mut Cx, p: &Prop, op: &str) -> Result<F> {
        let s = self.sva_seq(cx, p);
        match s.as_deref() {
            Ok([(0, f)]) => Ok(f.clone()),
            Ok([]) => Ok(F::Fz),
            _ => Err(err(
                p.span(),
                format!("the operand of `{op}` must be a boolean expression"),
            )),
        }
    }

    /// One synthetic 1-bit register, 0 at the start; its `next` is set later.
    fn monitor_reg(&mut self, what: &str) -> (usize, Gid) {
        let name = format!("{}.$sva_{what}{}", self.net.top_name, self.net.regs.len());
        let (id, node) = self.new_reg(
            name,
            &Ty::bit(false),
            1,
            Some(Bits::from_bool(false)),
            Span::NONE,
        );
        self.net.regs[id.index()].synthetic = true;
        (id.index(), node)
    }

    /// 1 in each cycle where a match of `n` ends, for attempts started in
    /// cycles where `trig` holds; one register per NFA state.
    fn nfa_match(&mut self, cx: &Cx, n: &Nfa, trig: Gid, dis: Option<Gid>) -> Gid {
        let regs: Vec<(usize, Gid)> = (0..n.n).map(|_| self.monitor_reg("nfa")).collect();
        let zero = self.g.zero(1);
        let mut new = vec![zero; n.n];
        for (g, q) in &n.init {
            let c = self.possibly(cx, g, 0, 0, true);
            let x = self.g.and(trig, c);
            new[*q] = self.g.or(new[*q], x);
        }
        for (p, g, q) in &n.edges {
            let c = self.possibly(cx, g, 0, 0, true);
            let x = self.g.and(regs[*p].1, c);
            new[*q] = self.g.or(new[*q], x);
        }
        let mut hit = zero;
        for (q, &(id, _)) in regs.iter().enumerate() {
            if let Some(d) = dis {
                // `disable iff` clears every attempt in flight.
                let nd = self.g.not(d);
                new[q] = self.g.and(new[q], nd);
            }
            self.net.regs[id].next = new[q];
            if n.accept[q] {
                hit = self.g.or(hit, new[q]);
            }
        }
        hit
    }

    /// 1 in each cycle where an attempt of weak sequence `n` (started where
    /// `trig` holds) fails: its set of NFA states becomes empty before any
    /// match. One register per set of the subset construction, meaning
    /// "some attempt in flight is in this set"; attempts in one set have
    /// the same future, so they merge exactly.
    fn dfa_fail(
        &mut self,
        cx: &Cx,
        n: &Nfa,
        trig: Gid,
        dis: Option<Gid>,
        span: Span,
    ) -> Result<Gid> {
        let d = Dfa::build(n).map_err(|_| {
            err(
                span,
                format!("sequence too large for a weak-sequence monitor (its subset construction exceeds {MAX_DFA} state sets)"),
            )
        })?;
        let accepting: Vec<bool> = d
            .sets
            .iter()
            .map(|s| s.iter().any(|&q| n.accept[q]))
            .collect();
        // Accepting sets end the attempt (success): no register.
        let regs: Vec<Option<(usize, Gid)>> = accepting
            .iter()
            .map(|&a| {
                if a {
                    None
                } else {
                    Some(self.monitor_reg("dfa"))
                }
            })
            .collect();
        let zero = self.g.zero(1);
        let mut new = vec![zero; d.sets.len()];
        let mut fail = zero;
        let mut from: Vec<(Gid, &[Trans])> = vec![(trig, &d.init)];
        for (i, r) in regs.iter().enumerate() {
            if let Some((_, node)) = r {
                from.push((*node, &d.trans[i]));
            }
        }
        for (active, trans) in from {
            for (g, to) in trans {
                let c = self.possibly(cx, g, 0, 0, true);
                let x = self.g.and(active, c);
                match to {
                    None => fail = self.g.or(fail, x),
                    Some(t) if !accepting[*t] => new[*t] = self.g.or(new[*t], x),
                    Some(_) => {}
                }
            }
        }
        let nd = dis.map(|d| self.g.not(d));
        if let Some(nd) = nd {
            fail = self.g.and(fail, nd);
        }
        for (i, r) in regs.iter().enumerate() {
            if let Some((id, _)) = r {
                let v = match nd {
                    Some(nd) => self.g.and(new[i], nd),
                    None => new[i],
                };
                self.net.regs[*id].next = v;
            }
        }
        Ok(fail)
    }

    fn sva_bool(&mut self, scope: ScopeId, e: &ast::Expr) -> Result<Gid> {
        let mut env = Env::cont(scope);
        let (w, s) = self.self_type(&mut env, e)?;
        let g = self.gen(&mut env, e, w, s)?;
        Ok(self.g.bool(g))
    }

    pub(super) fn sva_int(&mut self, scope: ScopeId, e: &ast::Expr) -> Result<i64> {
        let v = self.const_int(scope, e)?;
        if !(0..=MAX_HORIZON).contains(&v) {
            return Err(err(
                e.span,
                format!("SVA delay or repetition count {v} is out of range 0..={MAX_HORIZON}"),
            ));
        }
        Ok(v)
    }

    /// A range's bounds for the bounded compiler; `$` is refused here (and
    /// flagged, so the assertion is retried with an automaton monitor).
    fn sva_range(&mut self, cx: &mut Cx, r: &ast::CycleRange, op: &str) -> Result<(i64, i64)> {
        match self.sva_range_open(cx.scope, r, op)? {
            (lo, Some(hi)) => Ok((lo, hi)),
            (_, None) => {
                cx.unbounded = true;
                Err(err(
                    r.min.span,
                    format!("unbounded `{op}` range with `$` is not supported here: it is accepted in a cover, in an antecedent and as a weak sequence (automaton monitor), not combined with `not`, `#-#`/`#=#`, property `or`, or `strong(...)`, where it is a liveness property or needs per-attempt bookkeeping verify does not build; use a bounded range `[m:n]`"),
                ))
            }
        }
    }

    /// A range's bounds, `None` for `$`.
    fn sva_range_open(
        &mut self,
        scope: ScopeId,
        r: &ast::CycleRange,
        op: &str,
    ) -> Result<(i64, Option<i64>)> {
        let lo = self.sva_int(scope, &r.min)?;
        let hi = match &r.max {
            None => Some(lo),
            Some(Some(e)) => Some(self.sva_int(scope, e)?),
            Some(None) => None,
        };
        if matches!(hi, Some(h) if h < lo) {
            return Err(err(
                r.min.span,
                format!("empty `{op}` range: max is below min"),
            ));
        }
        Ok((lo, hi))
    }

    fn leaf(&mut self, cx: &mut Cx, e: &ast::Expr) -> Result<F> {
        let g = self.sva_bool(cx.scope, e)?;
        if let Some(c) = self.g.as_const(g) {
            return Ok(if c.is_zero() { F::Fz } else { F::T });
        }
        let i = match cx.leaves.iter().position(|&l| l == g) {
            Some(i) => i,
            None => {
                cx.leaves.push(g);
                cx.leaves.len() - 1
            }
        };
        Ok(F::Atom(i, 0))
    }

    /// If `p` names a declared sequence (or, when `prop`, a property),
    /// its body with the arguments substituted; `cx.depth` is raised and
    /// the caller lowers it after compiling the body.
    pub(super) fn expand(&mut self, cx: &mut Cx, p: &Prop, prop: bool) -> Result<Option<Prop>> {
        let Some((name, args)) = named(p) else {
            return Ok(None);
        };
        let key = name.name.clone();
        let span = p.span();
        let (formals, body, decl_span, what, locals) =
            if let Some(d) = self.sva_find(cx.scope, |s| s.seqs.get(&key).copied()) {
                (&d.args, &d.spec, d.span, "sequence", &d.locals)
            } else if let Some(d) = self.sva_find(cx.scope, |s| s.props.get(&key).copied()) {
                if !prop {
                    return Err(err(
                        span,
                        format!("property `{key}` used where a sequence is expected"),
                    ));
                }
                (&d.args, &d.spec, d.span, "property", &d.locals)
            } else {
                if matches!(p, Prop::Instance { .. }) {
                    return Err(err(span, format!("unknown sequence or property `{key}`")));
                }
                return Ok(None);
            };
        let _ = decl_span;
        if cx.depth >= MAX_DEPTH {
            return Err(err(
                span,
                format!("{what} `{key}` is instantiated recursively"),
            ));
        }
        let b = bind(formals, &args, span)?;
        let mut out = subst_prop(&body.body, &b)?;
        cx.depth += 1;
        if !locals.is_empty() {
            let locals = locals
                .iter()
                .map(|l| {
                    Ok(ast::LocalVar {
                        init: l.init.as_ref().map(|e| subst_expr(e, &b)).transpose()?,
                        ..l.clone()
                    })
                })
                .collect::<Result<Vec<_>>>()?;
            out = match self.sva_locals(cx, &locals, &out) {
                Ok(p) => p,
                Err(e) => {
                    cx.depth -= 1;
                    return Err(e);
                }
            };
        }
        // The declaration's own clock and `disable iff` stay with its body.
        if let Some(d) = &body.disable_iff {
            out = Prop::DisableIff(subst_expr(d, &b)?, Box::new(out), body.span);
        }
        if let Some(c) = &body.clock {
            let ev = ast::EventExpr {
                edge: c.edge,
                expr: subst_expr(&c.expr, &b)?,
                span: c.span,
            };
            out = Prop::Clocked(ev, Box::new(out), body.span);
        }
        Ok(Some(out))
    }

    pub(super) fn sva_seq(&mut self, cx: &mut Cx, p: &Prop) -> Result<Seq> {
        let s = match p {
            Prop::Expr(_) | Prop::Instance { .. } => {
                if let Some(body) = self.expand(cx, p, false)? {
                    let r = self.sva_seq(cx, &body);
                    cx.depth -= 1;
                    return r;
                }
                match p {
                    Prop::Expr(e) => vec![(0, self.leaf(cx, e)?)],
                    _ => return Err(err(p.span(), "unknown sequence")),
                }
            }
            Prop::Delay {
                lhs, range, rhs, ..
            } => {
                let (lo, hi) = self.sva_range(cx, range, "##")?;
                let l = match lhs {
                    Some(l) => self.sva_seq(cx, l)?,
                    // `##n s` is `1 ##n s`.
                    None => vec![(0, F::T)],
                };
                let r = self.sva_seq(cx, rhs)?;
                let mut out = Vec::new();
                for k in lo..=hi {
                    out.extend(concat(&l, k, &r));
                }
                normalize(out)
            }
            Prop::Repeat {
                seq,
                kind,
                range,
                span,
            } => {
                if *kind != RepKind::Consecutive {
                    let op = if *kind == RepKind::Goto {
                        "[->n]"
                    } else {
                        "[=n]"
                    };
                    cx.unbounded = true;
                    return Err(err(
                        *span,
                        format!("`{op}` repetition waits an unbounded number of cycles for its operand: it is accepted in a cover, in an antecedent and as a weak sequence (automaton monitor), not combined with `not`, `#-#`/`#=#`, property `or`, or `strong(...)`, where it is a liveness property or needs per-attempt bookkeeping verify does not build"),
                    ));
                }
                let (lo, hi) = self.sva_range(cx, range, "[*]")?;
                let s = self.sva_seq(cx, seq)?;
                let mut out = Vec::new();
                let mut acc: Seq = vec![(-1, F::T)]; // s[*0] is the empty match
                for n in 0..=hi {
                    if n >= lo {
                        out.extend(acc.iter().cloned());
                    }
                    acc = if n == 0 {
                        s.clone()
                    } else {
                        concat(&acc, 1, &s)
                    };
                    self.check_size(&acc, *span)?;
                }
                normalize(out)
            }
            Prop::Or(a, b, _) => {
                let mut s = self.sva_seq(cx, a)?;
                s.extend(self.sva_seq(cx, b)?);
                normalize(s)
            }
            Prop::And(a, b, _) | Prop::Intersect(a, b, _) => {
                let same = matches!(p, Prop::Intersect(..));
                let x = self.sva_seq(cx, a)?;
                let y = self.sva_seq(cx, b)?;
                let mut out = Vec::new();
                for (e1, f1) in &x {
                    for (e2, f2) in &y {
                        if *e1 < 0 || *e2 < 0 || (same && e1 != e2) {
                            continue;
                        }
                        out.push(((*e1).max(*e2), and(f1.clone(), f2.clone())));
                    }
                }
                normalize(out)
            }
            Prop::Throughout(c, s, _) => {
                let c = self.sva_seq(cx, c)?;
                let cond = match c.as_slice() {
                    [(0, f)] => f.clone(),
                    _ => {
                        return Err(err(
                            p.span(),
                            "the left operand of `throughout` must be a boolean expression",
                        ))
                    }
                };
                let s = self.sva_seq(cx, s)?;
                s.into_iter()
                    .map(|(e, f)| {
                        let mut g = f;
                        for i in 0..=e {
                            g = and(g, shift(&cond, i));
                        }
                        (e, g)
                    })
                    .collect()
            }
            Prop::Within(a, b, _) => {
                let x = self.sva_seq(cx, a)?;
                let y = self.sva_seq(cx, b)?;
                let mut out = Vec::new();
                for (e2, f2) in &y {
                    let mut inner = F::Fz;
                    for (e1, f1) in &x {
                        for i in 0..=(*e2 - (*e1).max(0)) {
                            inner = or(inner, shift(f1, i));
                        }
                    }
                    out.push((*e2, and(f2.clone(), inner)));
                }
                normalize(out)
            }
            Prop::FirstMatch(s, _) => {
                let s = self.sva_seq(cx, s)?;
                let mut earlier = F::Fz;
                let mut out = Vec::new();
                for (e, f) in s {
                    out.push((e, and(f.clone(), not(earlier.clone()))));
                    earlier = or(earlier, f);
                }
                normalize(out)
            }
            Prop::Strength { seq, .. } => self.sva_seq(cx, seq)?,
            Prop::Clocked(ev, inner, _) => {
                self.sva_clock(cx.scope, ev)?;
                self.sva_seq(cx, inner)?
            }
            Prop::Match { span, .. } => return Err(stray_match(*span)),
            other => {
                return Err(err(
                    other.span(),
                    format!(
                        "`{}` is a property operator, not allowed in a sequence",
                        prop_op(other)
                    ),
                ))
            }
        };
        self.check_size(&s, p.span())?;
        Ok(s)
    }

    fn check_size(&self, s: &Seq, span: Span) -> Result<()> {
        if s.len() > MAX_ALTS || s.iter().any(|(e, _)| *e > MAX_HORIZON) {
            return Err(err(span, "sequence too large to compile into a monitor"));
        }
        Ok(())
    }

    /// The formula that holds iff an attempt of property `p` succeeds.
    fn sva_prop(&mut self, cx: &mut Cx, p: &Prop) -> Result<F> {
        Ok(match p {
            Prop::Expr(_) | Prop::Instance { .. } => {
                if let Some(body) = self.expand(cx, p, true)? {
                    let r = self.sva_prop(cx, &body);
                    cx.depth -= 1;
                    return r;
                }
                self.seq_holds(cx, p)?
            }
            Prop::Not(a, _) => not(self.sva_prop(cx, a)?),
            Prop::And(a, b, _) if !self.is_seq(cx, p) => {
                and(self.sva_prop(cx, a)?, self.sva_prop(cx, b)?)
            }
            Prop::Or(a, b, _) if !self.is_seq(cx, p) => {
                or(self.sva_prop(cx, a)?, self.sva_prop(cx, b)?)
            }
            Prop::Implies {
                antecedent,
                overlapping,
                consequent,
                ..
            }
            | Prop::FollowedBy {
                antecedent,
                overlapping,
                consequent,
                ..
            } => {
                let imp = matches!(p, Prop::Implies { .. });
                let a = self.sva_seq(cx, antecedent)?;
                let c = self.sva_prop(cx, consequent)?;
                let k = if *overlapping { 0 } else { 1 };
                let mut acc = if imp { F::T } else { F::Fz };
                for (e, m) in a.into_iter().filter(|(e, _)| *e >= 0) {
                    let rest = shift(&c, e + k);
                    acc = if imp {
                        and(acc, or(not(m), rest))
                    } else {
                        or(acc, and(m, rest))
                    };
                }
                acc
            }
            Prop::IfElse {
                cond, then, els, ..
            } => {
                let c = self.leaf(cx, cond)?;
                let t = self.sva_prop(cx, then)?;
                let e = match els {
                    Some(e) => self.sva_prop(cx, e)?,
                    None => F::T,
                };
                or(and(c.clone(), t), and(not(c), e))
            }
            Prop::Strength { seq, .. } => self.seq_holds(cx, seq)?,
            Prop::Eventually { span, .. } | Prop::Always(_, span) => {
                return Err(err(
                    *span,
                    format!("`{}` is an unbounded property operator: it is a liveness property (or, for `always`, an unbounded safety one), which verify's bounded monitors cannot decide; write the bounded form with `##[m:n]`", prop_op(p)),
                ))
            }
            Prop::Iff(a, b, _) => {
                let (x, y) = (self.sva_prop(cx, a)?, self.sva_prop(cx, b)?);
                or(and(x.clone(), y.clone()), and(not(x), not(y)))
            }
            Prop::LogicImplies(a, b, _) => {
                let (x, y) = (self.sva_prop(cx, a)?, self.sva_prop(cx, b)?);
                or(not(x), y)
            }
            // One clock in the design: a nested clock must be it.
            Prop::Clocked(ev, inner, _) => {
                self.sva_clock(cx.scope, ev)?;
                self.sva_prop(cx, inner)?
            }
            Prop::DisableIff(_, _, span) => {
                return Err(err(
                    *span,
                    "`disable iff` is supported only at the top of an assertion (or of the property it names)",
                ))
            }
            _ => self.seq_holds(cx, p)?,
        })
    }

    fn is_seq(&mut self, cx: &mut Cx, p: &Prop) -> bool {
        // Compilation is side-effect free apart from leaf interning.
        self.sva_seq(cx, p).is_ok()
    }

    /// A sequence used as a property: holds iff it has a non-empty match.
    fn seq_holds(&mut self, cx: &mut Cx, p: &Prop) -> Result<F> {
        let s = self.sva_seq(cx, p)?;
        Ok(s.into_iter()
            .filter(|(e, _)| *e >= 0)
            .fold(F::Fz, |acc, (_, f)| or(acc, f)))
    }

    /// `b` delayed by `k` cycles (0 before cycle k), through shared registers.
    fn delayed(&mut self, g: Gid, k: i64) -> Gid {
        if k <= 0 {
            return g;
        }
        let key = (g, k, self.clk.cur_clock);
        if let Some(&d) = self.sva.delays.get(&key) {
            return d;
        }
        let prev = self.delayed(g, k - 1);
        let name = format!("{}.$sva_delay{}", self.net.top_name, self.sva.delays.len());
        let (id, node) = self.new_reg(
            name,
            &Ty::bit(false),
            1,
            Some(Bits::from_bool(false)),
            Span::NONE,
        );
        self.net.regs[id.index()].next = prev;
        self.net.regs[id.index()].synthetic = true;
        self.sva.delays.insert(key, node);
        node
    }

    /// Can `f`, for the attempt started `age` cycles ago, still evaluate to
    /// `want` given the atoms known so far (offsets <= `known`)?
    fn possibly(&mut self, cx: &Cx, f: &F, age: i64, known: i64, want: bool) -> Gid {
        match f {
            F::T => self.g.one_bit(want),
            F::Fz => self.g.one_bit(!want),
            F::Atom(l, i) => {
                if *i > known {
                    return self.g.one_bit(true);
                }
                let v = self.delayed(cx.leaves[*l], age - i);
                if want {
                    v
                } else {
                    self.g.not(v)
                }
            }
            F::Not(a) => self.possibly(cx, a, age, known, !want),
            F::And(a, b) | F::Or(a, b) => {
                let x = self.possibly(cx, a, age, known, want);
                let y = self.possibly(cx, b, age, known, want);
                // Possibly-true of a conjunction needs both; possibly-false
                // of a conjunction needs either (dually for disjunction).
                if matches!(f, F::And(..)) == want {
                    self.g.and(x, y)
                } else {
                    self.g.or(x, y)
                }
            }
        }
    }

    /// 1 while the attempt started `age` cycles ago exists (cycle >= age,
    /// and `trig` held when it started) and has not been aborted by
    /// `disable iff`.
    fn live(&mut self, disable: Option<Gid>, trig: Option<Gid>, age: i64) -> Gid {
        let start = trig.unwrap_or_else(|| self.g.one_bit(true));
        let mut live = self.delayed(start, age);
        if let Some(d) = disable {
            for i in 0..=age {
                let di = self.delayed(d, i);
                let nd = self.g.not(di);
                live = self.g.and(live, nd);
            }
        }
        live
    }

    /// For assert/assume (`cover == false`): 1 when some attempt's failure
    /// is decided this cycle. For cover: when some attempt's success is.
    fn decided_node(
        &mut self,
        cx: &mut Cx,
        f: &F,
        cover: bool,
        dis: Option<Gid>,
        trig: Option<Gid>,
        span: Span,
    ) -> Result<Gid> {
        let h = horizon(f);
        if h > MAX_HORIZON {
            return Err(err(span, "property too long to compile into a monitor"));
        }
        // The outcome we report: failure for assert/assume, success for cover.
        let want = !cover;
        let mut any = self.g.zero(1);
        for age in 0..=h {
            // Still possible to avoid the outcome yesterday, not any more today.
            let now_avoid = self.possibly(cx, f, age, age, want);
            // Before its first cycle an attempt can always avoid the outcome
            // (this matters only for a constant formula, decided at once).
            let before_avoid = if age == 0 {
                self.g.one_bit(true)
            } else {
                self.possibly(cx, f, age, age - 1, want)
            };
            let decided = self.g.not(now_avoid);
            let hit = self.g.and(decided, before_avoid);
            let live = self.live(dis, trig, age);
            let hit = self.g.and(hit, live);
            any = self.g.or(any, hit);
        }
        Ok(any)
    }

    fn cover_seq_node(
        &mut self,
        cx: &mut Cx,
        s: &Seq,
        dis: Option<Gid>,
        trig: Option<Gid>,
        span: Span,
    ) -> Result<Gid> {
        if s.iter().any(|(e, _)| *e > MAX_HORIZON) {
            return Err(err(span, "sequence too long to compile into a monitor"));
        }
        let mut any = self.g.zero(1);
        for (e, f) in s {
            let m = self.possibly(cx, f, *e, *e, true);
            let live = self.live(dis, trig, *e);
            let hit = self.g.and(m, live);
            any = self.g.or(any, hit);
        }
        Ok(any)
    }
}

fn stray_match(span: Span) -> crate::diag::Error {
    err(
        span,
        "sequence match item (`(s, x = e)`) outside a sequence or property declaration that declares the local variable",
    )
}

fn prop_op(p: &Prop) -> &'static str {
    match p {
        Prop::Implies {
            overlapping: true, ..
        } => "|->",
        Prop::Implies { .. } => "|=>",
        Prop::FollowedBy { .. } => "#-#",
        Prop::IfElse { .. } => "if/else",
        Prop::Not(..) => "not",
        Prop::Eventually { strong: true, .. } => "s_eventually",
        Prop::Eventually { .. } => "eventually",
        Prop::Always(..) => "always",
        Prop::Iff(..) => "iff",
        Prop::LogicImplies(..) => "implies",
        Prop::Clocked(..) => "@(clock)",
        Prop::DisableIff(..) => "disable iff",
        _ => "sequence",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn atom(l: usize) -> Seq {
        vec![(0, F::Atom(l, 0))]
    }

    /// Evaluate a formula on a concrete trace (`tr[cycle][leaf]`) for the
    /// attempt started at `t`.
    fn ev(f: &F, tr: &[Vec<bool>], t: i64) -> bool {
        match f {
            F::T => true,
            F::Fz => false,
            F::Atom(l, i) => tr[(t + i) as usize][*l],
            F::Not(a) => !ev(a, tr, t),
            F::And(a, b) => ev(a, tr, t) && ev(b, tr, t),
            F::Or(a, b) => ev(a, tr, t) || ev(b, tr, t),
        }
    }

    fn ends(s: &Seq, tr: &[Vec<bool>]) -> Vec<i64> {
        s.iter()
            .filter(|(e, f)| (*e as usize) < tr.len() && ev(f, tr, 0))
            .map(|(e, _)| *e)
            .collect()
    }

    #[test]
    fn delay_range_matches() {
        // a ##[1:2] b
        let mut s = concat(&atom(0), 1, &atom(1));
        s.extend(concat(&atom(0), 2, &atom(1)));
        let s = normalize(s);
        let tr = vec![vec![true, false], vec![false, true], vec![false, true]];
        assert_eq!(ends(&s, &tr), vec![1, 2]);
        let tr = vec![vec![false, false], vec![false, true], vec![false, true]];
        assert!(ends(&s, &tr).is_empty());
    }

    #[test]
    fn empty_match_rules() {
        let empty: Seq = vec![(-1, F::T)];
        // empty ##1 b == b ; empty ##0 b never matches ; a ##2 empty == a ##1 1
        assert_eq!(concat(&empty, 1, &atom(1)), atom(1));
        assert!(concat(&empty, 0, &atom(1)).is_empty());
        assert_eq!(concat(&atom(0), 2, &empty), vec![(1, F::Atom(0, 0))]);
        assert!(concat(&atom(0), 0, &empty).is_empty());
    }

    #[test]
    fn shift_and_horizon() {
        let f = and(F::Atom(0, 1), not(F::Atom(1, 3)));
        assert_eq!(horizon(&f), 3);
        assert_eq!(horizon(&shift(&f, 2)), 5);
        assert_eq!(and(F::T, F::Fz), F::Fz);
        assert_eq!(or(F::Fz, F::Atom(0, 0)), F::Atom(0, 0));
    }
}
