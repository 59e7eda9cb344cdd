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
//! Unbounded forms (`$`, goto and non-consecutive repetition, `eventually`,
//! `always`) are refused with a message rather than approximated.

use super::expr::Env;
use super::graph::Gid;
use super::types::Ty;
use super::{err, Elaborator};
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
enum F {
    T,
    Fz,
    Atom(usize, i64),
    Not(Rc<F>),
    And(Rc<F>, Rc<F>),
    Or(Rc<F>, Rc<F>),
}

fn and(a: F, b: F) -> F {
    match (&a, &b) {
        (F::Fz, _) | (_, F::Fz) => F::Fz,
        (F::T, _) => b,
        (_, F::T) => a,
        _ if a == b => a,
        _ => F::And(Rc::new(a), Rc::new(b)),
    }
}

fn or(a: F, b: F) -> F {
    match (&a, &b) {
        (F::T, _) | (_, F::T) => F::T,
        (F::Fz, _) => b,
        (_, F::Fz) => a,
        _ if a == b => a,
        _ => F::Or(Rc::new(a), Rc::new(b)),
    }
}

fn not(a: F) -> F {
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

/// Match alternatives of a sequence: (end offset, condition). End -1 is the
/// empty match.
type Seq = Vec<(i64, F)>;

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

/// Names bound to actual arguments while expanding a declaration.
type Bindings = HashMap<String, Seq>;

struct Cx {
    scope: usize,
    leaves: Vec<Gid>,
}

fn named(e: &ast::Expr) -> Option<(&ast::ScopedName, &[ast::Expr])> {
    match &e.kind {
        ExprKind::Ident(n) if n.package.is_none() => Some((n, &[])),
        ExprKind::Call(n, args) if n.package.is_none() => Some((n, args)),
        _ => None,
    }
}

impl<'a> Elaborator<'a> {
    fn sva_scope(&mut self, scope: usize) -> &mut SvaScope<'a> {
        self.sva.entry(scope).or_default()
    }

    /// Walk the scope chain for an SVA declaration or default.
    fn sva_find<T>(&self, scope: usize, f: impl Fn(&SvaScope<'a>) -> Option<T>) -> Option<T> {
        let mut s = Some(scope);
        while let Some(i) = s {
            if let Some(v) = self.sva.get(&i).and_then(&f) {
                return Some(v);
            }
            s = self.scopes[i].parent;
        }
        None
    }

    pub(super) fn sva_item(&mut self, scope: usize, item: &'a ast::Item) -> Result<()> {
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
        scope: usize,
        a: &ast::ConcurrentAssertion,
    ) -> Result<()> {
        let mut body = &a.spec.body;
        let mut clock = a.spec.clock.as_ref();
        let mut disable = a.spec.disable_iff.as_ref();
        // `@(clk) disable iff (e) p` may also come nested in the body.
        loop {
            match body {
                Prop::Clocked(c, p, _) if clock.is_none() => {
                    clock = Some(c);
                    body = p;
                }
                Prop::DisableIff(e, p, _) if disable.is_none() => {
                    disable = Some(e);
                    body = p;
                }
                _ => break,
            }
        }
        let default_clock = self.sva_find(scope, |s| s.clock);
        let clock = clock.or(default_clock).ok_or_else(|| {
            err(
                a.span,
                "concurrent assertion has no clock (write `@(posedge clk)` or a `default clocking`)",
            )
        })?;
        if clock.edge != ast::Edge::Pos {
            return Err(err(
                clock.span,
                "assertion clocks must be `posedge` of a signal (verify models one rising-edge clock)",
            ));
        }
        let clk = self.sva_bool(scope, &clock.expr)?;
        self.clocks.push((clk, clock.span));
        let default_disable = self.sva_find(scope, |s| s.disable);
        let disable = disable.or(default_disable);
        let mut cx = Cx {
            scope,
            leaves: Vec::new(),
        };
        let binds = Bindings::new();
        // A cover of a pure sequence hits at every match end.
        let node = if a.kind == AssertKind::Cover {
            match self.sva_seq(&mut cx, &binds, body) {
                Ok(s) => {
                    let s: Seq = s.into_iter().filter(|(e, _)| *e >= 0).collect();
                    self.cover_seq_node(&mut cx, &s, disable, a.span)?
                }
                Err(_) => {
                    let f = self.sva_prop(&mut cx, &binds, body)?;
                    self.decided_node(&mut cx, &f, true, disable, a.span)?
                }
            }
        } else {
            let f = self.sva_prop(&mut cx, &binds, body)?;
            self.decided_node(&mut cx, &f, false, disable, a.span)?
        };
        let kind = match a.kind {
            AssertKind::Assert => PropKind::Assert,
            AssertKind::Assume => PropKind::Assume,
            AssertKind::Cover => PropKind::Cover,
        };
        self.add_prop(scope, a.label.as_ref(), kind, node, a.span);
        Ok(())
    }

    fn sva_bool(&mut self, scope: usize, e: &ast::Expr) -> Result<Gid> {
        let mut env = Env::cont(scope);
        let (w, s) = self.self_type(&mut env, e)?;
        let g = self.gen(&mut env, e, w, s)?;
        Ok(self.g.bool(g))
    }

    fn sva_int(&mut self, scope: usize, e: &ast::Expr) -> Result<i64> {
        let v = self.const_int(scope, e)?;
        if !(0..=MAX_HORIZON).contains(&v) {
            return Err(err(
                e.span,
                format!("SVA delay or repetition count {v} is out of range 0..={MAX_HORIZON}"),
            ));
        }
        Ok(v)
    }

    /// A range's bounds; `$` is refused as liveness.
    fn sva_range(&mut self, scope: usize, r: &ast::CycleRange, op: &str) -> Result<(i64, i64)> {
        let lo = self.sva_int(scope, &r.min)?;
        let hi = match &r.max {
            None => lo,
            Some(Some(e)) => self.sva_int(scope, e)?,
            Some(None) => {
                return Err(err(
                    r.min.span,
                    format!(
                        "unbounded `{op}` range with `$` is a liveness property (it may never be decided in finite time); verify supports only bounded ranges"
                    ),
                ))
            }
        };
        if hi < lo {
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

    /// Actual arguments of a named instance, compiled as sequences in the
    /// caller's context and bound to the formals.
    fn bind_args(
        &mut self,
        cx: &mut Cx,
        binds: &Bindings,
        formals: &[ast::SvaFormal],
        actuals: &[ast::Expr],
        span: Span,
    ) -> Result<Bindings> {
        if actuals.len() > formals.len() {
            return Err(err(span, "too many arguments to property/sequence"));
        }
        let mut out = Bindings::new();
        for (i, f) in formals.iter().enumerate() {
            let s = match (actuals.get(i), &f.default) {
                (Some(a), _) => self.sva_seq(cx, binds, &Prop::Expr(a.clone()))?,
                (None, Some(d)) => self.sva_seq(cx, binds, d)?,
                (None, None) => {
                    return Err(err(span, format!("missing argument `{}`", f.name.name)))
                }
            };
            out.insert(f.name.name.clone(), s);
        }
        Ok(out)
    }

    fn sva_seq(&mut self, cx: &mut Cx, binds: &Bindings, p: &Prop) -> Result<Seq> {
        let s = match p {
            Prop::Expr(e) => {
                if let Some((n, args)) = named(e) {
                    if args.is_empty() {
                        if let Some(s) = binds.get(&n.name.name) {
                            return Ok(s.clone());
                        }
                    }
                    let name = n.name.name.clone();
                    if let Some(d) = self.sva_find(cx.scope, |s| s.seqs.get(&name).copied()) {
                        let b = self.bind_args(cx, binds, &d.args, args, e.span)?;
                        if d.spec.clock.is_some() || d.spec.disable_iff.is_some() {
                            return Err(err(
                                d.span,
                                "clocking or `disable iff` inside a sequence declaration is not supported",
                            ));
                        }
                        return self.sva_seq(cx, &b, &d.spec.body);
                    }
                    if self
                        .sva_find(cx.scope, |s| s.props.get(&name).copied())
                        .is_some()
                    {
                        return Err(err(
                            e.span,
                            format!("property `{name}` used where a sequence is expected"),
                        ));
                    }
                }
                if let Some(name) = free_formal(e, binds) {
                    return Err(err(
                        e.span,
                        format!("formal argument `{name}` used inside an expression is not supported; pass it as a whole sequence operand"),
                    ));
                }
                vec![(0, self.leaf(cx, e)?)]
            }
            Prop::Delay {
                lhs, range, rhs, ..
            } => {
                let (lo, hi) = self.sva_range(cx.scope, range, "##")?;
                let l = match lhs {
                    Some(l) => self.sva_seq(cx, binds, l)?,
                    // `##n s` is `1 ##n s`.
                    None => vec![(0, F::T)],
                };
                let r = self.sva_seq(cx, binds, rhs)?;
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
                    return Err(err(
                        *span,
                        format!("`{op}` repetition waits an unbounded number of cycles (liveness); verify supports only bounded consecutive repetition `[*m:n]`"),
                    ));
                }
                let (lo, hi) = self.sva_range(cx.scope, range, "[*]")?;
                let s = self.sva_seq(cx, binds, seq)?;
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
                let mut s = self.sva_seq(cx, binds, a)?;
                s.extend(self.sva_seq(cx, binds, b)?);
                normalize(s)
            }
            Prop::And(a, b, _) | Prop::Intersect(a, b, _) => {
                let same = matches!(p, Prop::Intersect(..));
                let x = self.sva_seq(cx, binds, a)?;
                let y = self.sva_seq(cx, binds, b)?;
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
                let c = self.sva_seq(cx, binds, c)?;
                let cond = match c.as_slice() {
                    [(0, f)] => f.clone(),
                    _ => {
                        return Err(err(
                            p_span(p),
                            "the left operand of `throughout` must be a boolean expression",
                        ))
                    }
                };
                let s = self.sva_seq(cx, binds, s)?;
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
                let x = self.sva_seq(cx, binds, a)?;
                let y = self.sva_seq(cx, binds, b)?;
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
                let s = self.sva_seq(cx, binds, s)?;
                let mut earlier = F::Fz;
                let mut out = Vec::new();
                for (e, f) in s {
                    out.push((e, and(f.clone(), not(earlier.clone()))));
                    earlier = or(earlier, f);
                }
                normalize(out)
            }
            Prop::Strength { seq, .. } => self.sva_seq(cx, binds, seq)?,
            other => {
                return Err(err(
                    p_span(other),
                    format!(
                        "`{}` is a property operator, not allowed in a sequence",
                        prop_op(other)
                    ),
                ))
            }
        };
        self.check_size(&s, p_span(p))?;
        Ok(s)
    }

    fn check_size(&self, s: &Seq, span: Span) -> Result<()> {
        if s.len() > MAX_ALTS || s.iter().any(|(e, _)| *e > MAX_HORIZON) {
            return Err(err(span, "sequence too large to compile into a monitor"));
        }
        Ok(())
    }

    /// The formula that holds iff an attempt of property `p` succeeds.
    fn sva_prop(&mut self, cx: &mut Cx, binds: &Bindings, p: &Prop) -> Result<F> {
        Ok(match p {
            Prop::Expr(e) => {
                if let Some((n, args)) = named(e) {
                    let name = n.name.name.clone();
                    if let Some(d) = self.sva_find(cx.scope, |s| s.props.get(&name).copied()) {
                        let b = self.bind_args(cx, binds, &d.args, args, e.span)?;
                        if d.spec.clock.is_some() || d.spec.disable_iff.is_some() {
                            return Err(err(
                                d.span,
                                "clocking or `disable iff` inside a property declaration is not supported; put them on the assertion",
                            ));
                        }
                        return self.sva_prop(cx, &b, &d.spec.body);
                    }
                }
                self.seq_holds(cx, binds, p)?
            }
            Prop::Not(a, _) => not(self.sva_prop(cx, binds, a)?),
            Prop::And(a, b, _) if !self.is_seq(cx, binds, p) => {
                and(self.sva_prop(cx, binds, a)?, self.sva_prop(cx, binds, b)?)
            }
            Prop::Or(a, b, _) if !self.is_seq(cx, binds, p) => {
                or(self.sva_prop(cx, binds, a)?, self.sva_prop(cx, binds, b)?)
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
                let a = self.sva_seq(cx, binds, antecedent)?;
                let c = self.sva_prop(cx, binds, consequent)?;
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
                let t = self.sva_prop(cx, binds, then)?;
                let e = match els {
                    Some(e) => self.sva_prop(cx, binds, e)?,
                    None => F::T,
                };
                or(and(c.clone(), t), and(not(c), e))
            }
            Prop::Strength { seq, .. } => self.seq_holds(cx, binds, seq)?,
            Prop::Eventually { span, .. } | Prop::Always(_, span) => {
                return Err(err(
                    *span,
                    format!("`{}` is an unbounded (liveness) property operator; verify supports only bounded properties", prop_op(p)),
                ))
            }
            Prop::Clocked(_, _, span) | Prop::DisableIff(_, _, span) => {
                return Err(err(
                    *span,
                    "clocking events and `disable iff` are supported only at the top of an assertion",
                ))
            }
            _ => self.seq_holds(cx, binds, p)?,
        })
    }

    fn is_seq(&mut self, cx: &mut Cx, binds: &Bindings, p: &Prop) -> bool {
        // Compilation is side-effect free apart from leaf interning.
        self.sva_seq(cx, binds, p).is_ok()
    }

    /// A sequence used as a property: holds iff it has a non-empty match.
    fn seq_holds(&mut self, cx: &mut Cx, binds: &Bindings, p: &Prop) -> Result<F> {
        let s = self.sva_seq(cx, binds, p)?;
        Ok(s.into_iter()
            .filter(|(e, _)| *e >= 0)
            .fold(F::Fz, |acc, (_, f)| or(acc, f)))
    }

    /// `b` delayed by `k` cycles (0 before cycle k), through shared registers.
    fn delayed(&mut self, g: Gid, k: i64) -> Gid {
        if k <= 0 {
            return g;
        }
        if let Some(&d) = self.sva_delays.get(&(g, k)) {
            return d;
        }
        let prev = self.delayed(g, k - 1);
        let name = format!("{}.$sva_delay{}", self.top_name, self.sva_delays.len());
        let (id, node) = self.new_reg(
            name,
            &Ty::bit(false),
            1,
            Some(Bits::from_bool(false)),
            Span::NONE,
        );
        self.regs[id.index()].next = prev;
        self.regs[id.index()].synthetic = true;
        self.sva_delays.insert((g, k), node);
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

    /// 1 while the attempt started `age` cycles ago exists (cycle >= age)
    /// and has not been aborted by `disable iff`.
    fn live(&mut self, disable: Option<Gid>, age: i64) -> Gid {
        let one = self.g.one_bit(true);
        let mut live = self.delayed(one, age);
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
        disable: Option<&ast::Expr>,
        span: Span,
    ) -> Result<Gid> {
        let h = horizon(f);
        if h > MAX_HORIZON {
            return Err(err(span, "property too long to compile into a monitor"));
        }
        let dis = match disable {
            Some(e) => Some(self.sva_bool(cx.scope, e)?),
            None => None,
        };
        // The outcome we report: failure for assert/assume, success for cover.
        let want = !cover;
        let mut any = self.g.zero(1);
        for age in 0..=h {
            // Still possible to avoid the outcome yesterday, not any more today.
            let now_avoid = self.possibly(cx, f, age, age, want);
            let before_avoid = self.possibly(cx, f, age, age - 1, want);
            let decided = self.g.not(now_avoid);
            let hit = self.g.and(decided, before_avoid);
            let live = self.live(dis, age);
            let hit = self.g.and(hit, live);
            any = self.g.or(any, hit);
        }
        Ok(any)
    }

    fn cover_seq_node(
        &mut self,
        cx: &mut Cx,
        s: &Seq,
        disable: Option<&ast::Expr>,
        span: Span,
    ) -> Result<Gid> {
        let dis = match disable {
            Some(e) => Some(self.sva_bool(cx.scope, e)?),
            None => None,
        };
        if s.iter().any(|(e, _)| *e > MAX_HORIZON) {
            return Err(err(span, "sequence too long to compile into a monitor"));
        }
        let mut any = self.g.zero(1);
        for (e, f) in s {
            let m = self.possibly(cx, f, *e, *e, true);
            let live = self.live(dis, *e);
            let hit = self.g.and(m, live);
            any = self.g.or(any, hit);
        }
        Ok(any)
    }
}

/// A bare identifier naming a bound formal somewhere inside a larger
/// expression (only detected for the common shapes).
fn free_formal(e: &ast::Expr, binds: &Bindings) -> Option<String> {
    if binds.is_empty() {
        return None;
    }
    let text = format!("{:?}", e.kind);
    binds
        .keys()
        .find(|k| text.contains(&format!("name: \"{k}\"")))
        .cloned()
}

fn p_span(p: &Prop) -> Span {
    match p {
        Prop::Expr(e) => e.span,
        Prop::Delay { span, .. }
        | Prop::Repeat { span, .. }
        | Prop::Implies { span, .. }
        | Prop::FollowedBy { span, .. }
        | Prop::IfElse { span, .. }
        | Prop::Eventually { span, .. }
        | Prop::Strength { span, .. } => *span,
        Prop::And(_, _, s)
        | Prop::Or(_, _, s)
        | Prop::Intersect(_, _, s)
        | Prop::Throughout(_, _, s)
        | Prop::Within(_, _, s)
        | Prop::FirstMatch(_, s)
        | Prop::Not(_, s)
        | Prop::Always(_, s)
        | Prop::Clocked(_, _, s)
        | Prop::DisableIff(_, _, s) => *s,
    }
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
