//! Procedural code: `always*`, `initial` and inlined functions, executed
//! symbolically into per-signal next values.
//!
//! A [`Frame`] holds the value each signal has at the current point of the
//! block. `if`/`case` run both branches on copies and merge them with
//! multiplexers; loops are unrolled (their conditions must fold to
//! constants); `break`/`continue`/`return` set flags that guard later
//! assignments. Clocked blocks turn the bits they write into registers,
//! combinational blocks into drivers (a path that leaves a bit unassigned
//! is a latch, which is an error).

use super::expr::{bits_to_i64, Env, Place, Root};
use super::graph::{Gid, G};
use super::types::{Shape, Ty};
use super::{
    err, err_code, is_global_clock, ClockRef, DriverKind, Elaborator, FuncRef, ScopeId, VarId,
};
use crate::ast::{self, AlwaysKind, AssertKind, Edge, Event, Expr, ExprKind, Stmt};
use crate::bits::Bits;
use crate::diag::{Code, Result};
use crate::ir::{BinOp, PropKind};
use crate::source::Span;
use std::collections::{BTreeSet, HashMap};

/// Loop iterations beyond which unrolling stops with an error.
const MAX_ITERATIONS: usize = 65_536;
/// Nesting of inlined calls beyond which we assume recursion.
const MAX_CALL_DEPTH: usize = 64;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum ProcKind {
    Comb,
    Clocked,
    Initial,
    /// A function inlined outside any process.
    Function,
}

#[derive(Clone)]
struct Local {
    ty: Ty,
    val: Gid,
}

/// A property made inside a procedural block, added to the design when the
/// block is done.
pub(super) struct FrameProp {
    pub label: Option<ast::Ident>,
    pub kind: PropKind,
    pub node: Gid,
    pub span: Span,
    /// The clock it is sampled on (`None`: every cycle).
    pub clock: Option<ClockRef>,
}

/// A variable local to a block or an inlined function: an index into
/// `Frame::locals` (a different space from the design's `VarId`s).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(super) struct LocalId(u32);

impl LocalId {
    /// The position in `Frame::locals`.
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// The state of a block being executed.
pub(super) struct Frame {
    pub kind: ProcKind,
    /// Blocking values of signals written so far.
    vals: HashMap<VarId, Gid>,
    /// Nonblocking values.
    nba: HashMap<VarId, Gid>,
    /// Bits written (blocking or not), per signal.
    written: HashMap<VarId, BTreeSet<u32>>,
    /// Per signal with a nonblocking value: whether a nonblocking
    /// assignment ran on the path (blocking and nonblocking assignments to
    /// one signal may sit in different branches).
    nba_en: HashMap<VarId, Gid>,
    nba_vars: BTreeSet<VarId>,
    /// Values forced for the whole block (asynchronous reset analysis).
    overrides: HashMap<VarId, Gid>,
    locals: Vec<Local>,
    /// Name → local, innermost last; `None` entries are function barriers.
    lscopes: Vec<Option<HashMap<String, LocalId>>>,
    pub path: Gid,
    pub brk: Gid,
    pub cont: Gid,
    pub ret: Gid,
    /// Return-value local of each function being inlined.
    ret_locals: Vec<LocalId>,
    pub mem_writes: Vec<(u32, Gid, Gid, Gid, Span)>,
    pub blocking_mem_writes: BTreeSet<u32>,
    pub props: Vec<FrameProp>,
    pub branches: Vec<(String, Gid, Span)>,
    /// The clocking event of a clocked block (clock of the concurrent
    /// assertions written inside it, 16.14.6).
    pub clock: Option<ast::EventExpr>,
    /// Locals of a testbench data type (`string`, `real`, queue...): their
    /// type and concrete value, by local id (see `dynexec`).
    pub dyn_locals: HashMap<LocalId, (super::dynval::DT, super::dynval::DV)>,
}

/// What `if` needs to save and merge.
struct Snapshot {
    vals: HashMap<VarId, Gid>,
    nba: HashMap<VarId, Gid>,
    nba_en: HashMap<VarId, Gid>,
    locals: Vec<Gid>,
    brk: Gid,
    cont: Gid,
    ret: Gid,
}

impl Frame {
    pub fn new(kind: ProcKind, one: Gid, zero: Gid) -> Frame {
        Frame {
            kind,
            vals: HashMap::new(),
            nba: HashMap::new(),
            written: HashMap::new(),
            nba_en: HashMap::new(),
            nba_vars: BTreeSet::new(),
            overrides: HashMap::new(),
            locals: Vec::new(),
            lscopes: vec![Some(HashMap::new())],
            path: one,
            brk: zero,
            cont: zero,
            ret: zero,
            ret_locals: Vec::new(),
            mem_writes: Vec::new(),
            blocking_mem_writes: BTreeSet::new(),
            props: Vec::new(),
            branches: Vec::new(),
            clock: None,
            dyn_locals: HashMap::new(),
        }
    }

    /// The blocking value of a signal, if the block changed or forced it.
    pub fn read(&self, v: VarId) -> Option<Gid> {
        self.vals
            .get(&v)
            .or_else(|| self.overrides.get(&v))
            .copied()
    }

    pub fn find_local(&self, name: &str) -> Option<(LocalId, Ty)> {
        for s in self.lscopes.iter().rev() {
            match s {
                Some(m) => {
                    if let Some(&id) = m.get(name) {
                        return Some((id, self.locals[id.index()].ty.clone()));
                    }
                }
                None => return None,
            }
        }
        None
    }

    pub fn local_value(&self, id: LocalId) -> Gid {
        self.locals[id.index()].val
    }

    fn snapshot(&self) -> Snapshot {
        Snapshot {
            vals: self.vals.clone(),
            nba: self.nba.clone(),
            nba_en: self.nba_en.clone(),
            locals: self.locals.iter().map(|l| l.val).collect(),
            brk: self.brk,
            cont: self.cont,
            ret: self.ret,
        }
    }

    fn restore(&mut self, s: &Snapshot) {
        self.vals = s.vals.clone();
        self.nba = s.nba.clone();
        self.nba_en = s.nba_en.clone();
        for (l, v) in self.locals.iter_mut().zip(&s.locals) {
            l.val = *v;
        }
        self.brk = s.brk;
        self.cont = s.cont;
        self.ret = s.ret;
    }

    fn mark(&mut self, v: VarId, lo: u32, w: u32, all: u32) {
        let set = self.written.entry(v).or_default();
        if lo + w > all {
            set.extend(0..all);
        } else {
            set.extend(lo..lo + w);
        }
    }
}

impl<'a> Elaborator<'a> {
    fn new_frame(&mut self, kind: ProcKind) -> Frame {
        let one = self.g.one_bit(true);
        let zero = self.g.zero(1);
        Frame::new(kind, one, zero)
    }

    fn frame(env: &mut Env) -> &mut Frame {
        // Statements only run with a frame; `exec` is never called without one.
        env.frame
            .as_mut()
            .expect("statement executed outside a frame")
    }

    fn disabled(&mut self, env: &Env) -> Gid {
        match &env.frame {
            Some(f) => {
                let (b, c, r) = (f.brk, f.cont, f.ret);
                let bc = self.g.or(b, c);
                self.g.or(bc, r)
            }
            None => self.g.zero(1),
        }
    }

    // ------------------------------------------------------------ processes

    pub(super) fn always(&mut self, scope: ScopeId, a: &'a ast::Always) -> Result<()> {
        if a.kind == AlwaysKind::Always && self.clock_generator(scope, &a.body)? {
            return Ok(());
        }
        let (event, body) = match (&a.body, a.kind) {
            (Stmt::Timed { event, body, .. }, _) => (Some(event), &**body),
            (b, AlwaysKind::AlwaysComb | AlwaysKind::AlwaysLatch) => (None, b),
            (_, _) => {
                return Err(err_code(Code::ElabUnsupported, a.span, "an `always` block without an event control (`@(...)`) is not supported (testbench code?)"));
            }
        };
        if let Some(Event::List(l)) = event {
            for ev in l {
                self.dyn_refuse_event(scope, ev)?;
            }
        }
        if a.kind == AlwaysKind::AlwaysLatch {
            if event.is_some() {
                return Err(err(a.span, "always_latch cannot have an event control"));
            }
            return self.comb_block(scope, body, a.span, true);
        }
        let edges: Vec<&ast::EventExpr> = match event {
            None | Some(Event::Star) => Vec::new(),
            // `always @($global_clock)`: registers updated on every tick.
            Some(Event::List(l))
                if l.len() == 1 && l[0].edge == Edge::Any && is_global_clock(&l[0].expr) =>
            {
                if a.kind == AlwaysKind::AlwaysComb {
                    return Err(err(a.span, "always_comb cannot have an event control"));
                }
                self.clk.global_tick_used = true;
                return self.clocked_under(None, scope, &l[0], None, body, a.span);
            }
            Some(Event::List(l)) => {
                if l.iter().all(|e| e.edge == Edge::Any) {
                    Vec::new()
                } else if l.iter().any(|e| e.edge == Edge::Any) {
                    return Err(err_code(
                        Code::ElabUnsupported,
                        a.span,
                        "mixing edge and level events in one sensitivity list is not supported",
                    ));
                } else {
                    l.iter().collect()
                }
            }
        };
        if edges.is_empty() {
            if a.kind == AlwaysKind::AlwaysFf {
                return Err(err_code(
                    Code::Clock,
                    a.span,
                    "always_ff needs a clock edge (`@(posedge clk)`)",
                ));
            }
            return self.comb_block(scope, body, a.span, false);
        }
        if a.kind == AlwaysKind::AlwaysComb {
            return Err(err(a.span, "always_comb cannot have an event control"));
        }
        self.clocked_block(scope, &edges, body, a.span)
    }

    /// A combinational block (`always_comb`, `always @*`) or a latch block
    /// (`always_latch`, `latch` set). A signal some path leaves unassigned
    /// keeps its value: a latch. It is modelled as Verilator does in cycle
    /// semantics: a register holds the latch's last value, readers see the
    /// block's value (transparent when the enable is on, the held value
    /// when off), and the register takes that value at each clock edge.
    fn comb_block(&mut self, scope: ScopeId, body: &Stmt, span: Span, latch: bool) -> Result<()> {
        self.walk.frame_reads.clear();
        let frame = self.new_frame(ProcKind::Comb);
        let mut env = Env {
            scope,
            frame: Some(frame),
        };
        self.exec(&mut env, body)?;
        let f = env.frame.take().expect("frame");
        if let Some((m, _, _, _, s)) = f.mem_writes.first() {
            let name = self.net.mems[*m as usize].name.clone();
            return Err(err_code(Code::ElabUnsupported, *s, format!("memory `{name}` written from combinational logic: not supported (write it in a clocked block)")));
        }
        if let (Some(v), false) = (f.nba_vars.iter().next(), latch) {
            let name = self.net.vars[*v].name.clone();
            self.warn(Code::NonblockingComb, span, format!("nonblocking assignment to `{name}` in combinational logic: treated as blocking"));
        }
        let written: Vec<(VarId, BTreeSet<u32>)> =
            f.written.iter().map(|(k, v)| (*k, v.clone())).collect();
        let mut written = written;
        written.sort_by_key(|(k, _)| *k);
        for (v, bits) in written {
            let Some(val) = self.final_value(&f, v) else {
                continue;
            };
            for (lo, w) in runs(&bits) {
                let piece = self.g.slice(val, lo, w);
                let piece = match self.latch_reads(piece, v, lo, w) {
                    // The bits read back only as the value held when no
                    // assignment ran: a latch.
                    (true, false) => self.latch(v, lo, w, piece, span, latch),
                    // Read through logic (or not at all): a real loop, which
                    // the emitter reports, or plain combinational logic.
                    _ => piece,
                };
                self.drive(v, lo, piece, span, DriverKind::Comb);
                let whole = lo == 0 && w == self.net.vars[v].ty.width;
                if whole && !self.walk.frame_reads.contains(&v) {
                    if let Some(d) = self.net.vars[v].drivers.last_mut() {
                        d.temp = true;
                    }
                }
            }
        }
        self.commit_frame(scope, f);
        Ok(())
    }

    /// The value a block leaves in `v`: its nonblocking value where a
    /// nonblocking assignment ran last, else its blocking value.
    fn final_value(&mut self, f: &Frame, v: VarId) -> Option<Gid> {
        match (f.vals.get(&v), f.nba.get(&v)) {
            (Some(b), None) => Some(*b),
            (None, Some(n)) => Some(*n),
            (Some(b), Some(n)) => {
                // Both kinds on different paths (legal, 10.4): the
                // nonblocking update comes after the block's blocking ones.
                let en = f.nba_en.get(&v).copied().unwrap_or(f.path);
                Some(self.g.mux(en, *n, *b, Span::NONE))
            }
            (None, None) => None,
        }
    }

    /// Turn bits `[lo+w-1:lo]` of `v`, whose block value `piece` reads them
    /// back as the held value, into a latch; returns the visible value.
    fn latch(&mut self, v: VarId, lo: u32, w: u32, piece: Gid, span: Span, declared: bool) -> Gid {
        let var = &self.net.vars[v];
        let full = var.ty.width;
        let ty = var.ty.clone();
        let name = if lo == 0 && w == full {
            var.name.clone()
        } else {
            format!("{}[{}:{}]", var.name, lo + w - 1, lo)
        };
        let init = var.init.as_ref().map(|b| b.slice(lo, w));
        let vspan = var.span;
        if !declared {
            // The `always` keyword: the block's span runs past its end.
            let head = Span {
                end: span.start + (span.end - span.start).min(6),
                ..span
            };
            self.warn(
                Code::Latch,
                head,
                format!("latch inferred for `{name}`: it keeps its value on some path through this combinational block (modelled as a level-sensitive latch sampled at the clock edge)"),
            );
        }
        let (id, node) = self.new_reg(name, &ty, w, init, vspan);
        // Inside this piece the signal's own bits read the held value.
        let mut parts = Vec::new();
        let whole = self.g.var(v, full, Span::NONE);
        if lo + w < full {
            parts.push(self.g.slice(whole, lo + w, full - lo - w));
        }
        parts.push(node);
        if lo > 0 {
            parts.push(self.g.slice(whole, 0, lo));
        }
        let held = self.g.concat(parts);
        let mut memo = HashMap::new();
        let visible = self.subst_var(piece, v, held, &mut memo);
        self.net.regs[id.index()].next = visible;
        visible
    }

    /// `g` with signal `v` replaced by `with` (same width).
    fn subst_var(&mut self, g: Gid, v: VarId, with: Gid, memo: &mut HashMap<Gid, Gid>) -> Gid {
        if let Some(r) = memo.get(&g) {
            return *r;
        }
        let r = match self.g.get(g).clone() {
            G::Var(x) if x == v => with,
            G::Var(_) => g,
            G::Op(op) => {
                let ops = op.operands();
                if ops.is_empty() {
                    g
                } else {
                    let new: Vec<Gid> = ops
                        .iter()
                        .map(|o| self.subst_var(*o, v, with, memo))
                        .collect();
                    if new == ops {
                        g
                    } else {
                        let span = self.g.span(g);
                        let width = self.g.width(g);
                        match op {
                            crate::ir::Op::Slice { lo, .. } => self.g.slice(new[0], lo, width),
                            crate::ir::Op::Concat(_) => self.g.concat(new),
                            crate::ir::Op::Mux { .. } => self.g.mux(new[0], new[1], new[2], span),
                            other => {
                                let mut it = new.into_iter();
                                let mapped = other.map_operands(|_| it.next().expect("operand"));
                                self.g.op(mapped, width, span)
                            }
                        }
                    }
                }
            }
        };
        memo.insert(g, r);
        r
    }

    /// Where bits `[lo+w-1:lo]` of `v` occur in bits `[lo+w-1:lo]` of
    /// `piece`: (read as a held value, i.e. only through the data legs of
    /// multiplexers, slices and concatenations; read through any other
    /// logic).
    fn latch_reads(&self, piece: Gid, v: VarId, lo: u32, w: u32) -> (bool, bool) {
        let mut held = false;
        let mut other = false;
        let mut seen = std::collections::HashSet::new();
        // (node, bits wanted from it, whether this position is a data leg)
        let mut stack = vec![(piece, 0u32, w, true)];
        while let Some((g, a, n, data)) = stack.pop() {
            if n == 0 || !seen.insert((g, a, n, data)) {
                continue;
            }
            match self.g.get(g) {
                G::Var(x) => {
                    if *x == v && a < lo + w && lo < a + n {
                        if data {
                            held = true;
                        } else {
                            other = true;
                        }
                    }
                }
                G::Op(op) => match op {
                    crate::ir::Op::Slice { arg, lo: l2 } => stack.push((*arg, a + l2, n, data)),
                    crate::ir::Op::Concat(parts) => {
                        let mut pos = self.g.width(g);
                        for p in parts {
                            let pw = self.g.width(*p);
                            let p_lo = pos - pw;
                            let (s, e) = (p_lo.max(a), pos.min(a + n));
                            if s < e {
                                stack.push((*p, s - p_lo, e - s, data));
                            }
                            pos = p_lo;
                        }
                    }
                    crate::ir::Op::Mux { sel, t, f } => {
                        stack.push((*sel, 0, 1, false));
                        stack.push((*t, a, n, data));
                        stack.push((*f, a, n, data));
                    }
                    // A mux with a constant leg folds into these
                    // (`x ? 1 : q` is `x | q`): each bit still either
                    // holds or is forced, as a set/reset latch does.
                    crate::ir::Op::Binary(crate::ir::BinOp::And | crate::ir::BinOp::Or, l, r) => {
                        stack.push((*l, a, n, data));
                        stack.push((*r, a, n, data));
                    }
                    other_op => {
                        for o in other_op.operands() {
                            stack.push((o, 0, self.g.width(o), false));
                        }
                    }
                },
            }
        }
        (held, other)
    }

    fn clocked_block(
        &mut self,
        scope: ScopeId,
        edges: &[&ast::EventExpr],
        body: &Stmt,
        span: Span,
    ) -> Result<()> {
        // The clock is the edge the body does not test; the others are
        // asynchronous controls.
        let clock;
        let mut asyncs = Vec::new();
        if edges.len() == 1 {
            clock = edges[0];
        } else {
            let mut untested = Vec::new();
            for e in edges {
                if stmt_mentions(body, &e.expr) {
                    asyncs.push(*e);
                } else {
                    untested.push(*e);
                }
            }
            if untested.len() == 1 {
                clock = untested[0];
            } else {
                return Err(err_code(Code::Clock, span, "cannot tell the clock from the asynchronous controls in this sensitivity list (the clock is the one signal the block does not test)"));
            }
        }
        if asyncs.len() > 1 {
            return Err(err_code(
                Code::ElabUnsupported,
                span,
                "more than one asynchronous control in one block is not supported",
            ));
        }
        let mut cenv = Env::cont(scope);
        let (cw, cs) = self.self_type(&mut cenv, &clock.expr)?;
        let cg = self.gen(&mut cenv, &clock.expr, cw, cs)?;
        // The asynchronous control: its signal and its active level.
        let async_ctl = match asyncs.first() {
            Some(a) => {
                let p = self.place(&mut cenv, &a.expr)?;
                let Root::Var(v) = p.root else {
                    return Err(err(a.span, "asynchronous control must be a signal"));
                };
                if p.ty.width != 1 || self.net.vars[v].ty.width != 1 {
                    return Err(err(a.span, "asynchronous control must be a 1-bit signal"));
                }
                if a.edge == Edge::Both {
                    return Err(err(
                        a.span,
                        "an asynchronous control on both edges (`edge`) has no active level",
                    ));
                }
                Some((v, a.edge == Edge::Pos, a.span))
            }
            None => None,
        };

        // An edge of a `(* gclk *)` signal is every tick of the global clock.
        if self.is_gclk(cg) {
            self.clk.global_tick_used = true;
            return self.clocked_under(None, scope, clock, async_ctl, body, span);
        }
        let cref = ClockRef {
            signal: cg,
            edge: clock.edge,
        };
        self.clk.clocks.push((cref, clock.span));
        self.clocked_under(Some(cref), scope, clock, async_ctl, body, span)
    }

    /// `clocked_body` with `clock` as the current clock (`None`: every tick
    /// of the global clock).
    fn clocked_under(
        &mut self,
        clock: Option<ClockRef>,
        scope: ScopeId,
        event: &ast::EventExpr,
        async_ctl: Option<(VarId, bool, Span)>,
        body: &Stmt,
        span: Span,
    ) -> Result<()> {
        let outer = std::mem::replace(&mut self.clk.cur_clock, clock);
        let r = self.clocked_body(scope, event, async_ctl, body, span);
        self.clk.cur_clock = outer;
        r
    }

    /// The registers, memory writes and properties of a clocked block, made
    /// under its clock (`self.clk.cur_clock`).
    fn clocked_body(
        &mut self,
        scope: ScopeId,
        clock: &ast::EventExpr,
        async_ctl: Option<(VarId, bool, Span)>,
        body: &Stmt,
        span: Span,
    ) -> Result<()> {
        let mut frame = self.new_frame(ProcKind::Clocked);
        frame.clock = Some(clock.clone());
        let mut env = Env {
            scope,
            frame: Some(frame),
        };
        self.exec(&mut env, body)?;
        let f = env.frame.take().expect("frame");

        // The same block with the control held active gives the values the
        // registers are forced to while it is asserted.
        let reset_vals = match async_ctl {
            Some((rv, active_high, _)) => {
                let mut rf = self.new_frame(ProcKind::Clocked);
                let k = self.g.one_bit(active_high);
                rf.overrides.insert(rv, k);
                let mut renv = Env {
                    scope,
                    frame: Some(rf),
                };
                self.exec(&mut renv, body)?;
                let rf = renv.frame.take().expect("frame");
                let rvar = self.net.vars[rv].ty.width;
                let sig = self.g.var(rv, rvar, Span::NONE);
                let active = if active_high { sig } else { self.g.not(sig) };
                Some((rf, active))
            }
            None => None,
        };

        let mut written: Vec<(VarId, BTreeSet<u32>)> =
            f.written.iter().map(|(k, v)| (*k, v.clone())).collect();
        written.sort_by_key(|(k, _)| *k);
        for (v, bits) in written {
            let Some(val) = self.final_value(&f, v) else {
                continue;
            };
            if self.net.vars[v].is_net {
                let name = self.net.vars[v].name.clone();
                return Err(err_code(Code::NotAssignable, span, format!("`{name}` is a net (wire): it cannot be assigned in a procedural block; declare it `logic`")));
            }
            let full = self.net.vars[v].ty.width;
            let ty = self.net.vars[v].ty.clone();
            for (lo, w, name) in self.reg_pieces(v, &bits) {
                let init = self.net.vars[v].init.as_ref().map(|b| b.slice(lo, w));
                let (id, node) = self.new_reg(name.clone(), &ty, w, init, self.net.vars[v].span);
                let next = self.g.slice(val, lo, w);
                self.net.regs[id.index()].next = next;
                self.net.regs[id.index()].holds = Some((v, lo));
                let mut visible = node;
                if let Some((rf, active)) = &reset_vals {
                    let rval = self.final_value(rf, v);
                    if let Some(rval) = rval {
                        let rpiece = self.g.slice(rval, lo, w);
                        let hold = {
                            let var = self.g.var(v, full, Span::NONE);
                            self.g.slice(var, lo, w)
                        };
                        if rpiece != hold {
                            if self.g.as_const(rpiece).is_none() {
                                return Err(err_code(Code::NotConstant, span, format!("the asynchronous reset value of `{name}` is not a constant: not supported")));
                            }
                            visible = self.g.mux(*active, rpiece, node, span);
                            self.net.regs[id.index()].areset = Some((*active, rpiece));
                        }
                    }
                }
                self.drive(v, lo, visible, span, DriverKind::Reg);
            }
        }
        for (m, en, addr, data, s) in f.mem_writes.clone() {
            let clock = self.clk.cur_clock;
            self.net.mems[m as usize]
                .writes
                .push((en, addr, data, clock));
            self.net.mems[m as usize].written_by.get_or_insert(s);
        }
        if let Some((rf, _)) = &reset_vals {
            if !rf.mem_writes.is_empty() && async_ctl.is_some() {
                let s = rf.mem_writes[0].4;
                return Err(err_code(
                    Code::ElabUnsupported,
                    s,
                    "memory writes under an asynchronous reset are not supported",
                ));
            }
        }
        self.commit_frame(scope, f);
        Ok(())
    }

    /// The registers for the written bits of `v`: runs of bits, cut at
    /// element boundaries for an unpacked array or struct (one register
    /// per element, `top.taps[2]`), with their names.
    fn reg_pieces(&self, v: VarId, bits: &BTreeSet<u32>) -> Vec<(u32, u32, String)> {
        let var = &self.net.vars[v];
        let full = var.ty.width;
        let leaves = var.ty.leaves();
        let mut out = Vec::new();
        for (lo, w) in runs(bits) {
            if leaves.is_empty() {
                let name = if lo == 0 && w == full {
                    var.name.clone()
                } else {
                    format!("{}[{}:{}]", var.name, lo + w - 1, lo)
                };
                out.push((lo, w, name));
                continue;
            }
            for (suffix, llo, lw, _) in &leaves {
                let (a, b) = (lo.max(*llo), (lo + w).min(llo + lw));
                if a >= b {
                    continue;
                }
                let name = if a == *llo && b == llo + lw {
                    format!("{}{suffix}", var.name)
                } else {
                    format!("{}{suffix}[{}:{}]", var.name, b - 1 - llo, a - llo)
                };
                out.push((a, b - a, name));
            }
        }
        out
    }

    /// A testbench clock generator, `#N clk = ~clk` (the body of an
    /// `always`, or a `forever` ending an `initial`): `clk` is recorded as a
    /// clock source, its toggling being the cycle itself.
    fn clock_generator(&mut self, scope: ScopeId, mut s: &Stmt) -> Result<bool> {
        // `forever begin #5 clk = ~clk; end`: the block is only a wrapper.
        while let Stmt::Block { decls, stmts, .. } = s {
            match stmts.as_slice() {
                [one] if decls.is_empty() => s = one,
                _ => return Ok(false),
            }
        }
        let Stmt::Delay { body, .. } = s else {
            return Ok(false);
        };
        let (lhs, rhs) = match &**body {
            Stmt::Blocking { lhs, rhs, .. } | Stmt::NonBlocking { lhs, rhs, .. } => (lhs, rhs),
            _ => return Ok(false),
        };
        let (ExprKind::Ident(l), ExprKind::Unary(ast::UnaryOp::BitNot | ast::UnaryOp::LogNot, x)) =
            (&lhs.kind, &rhs.kind)
        else {
            return Ok(false);
        };
        let ExprKind::Ident(r) = &x.kind else {
            return Ok(false);
        };
        if l.package.is_some() || r.package.is_some() || l.name.name != r.name.name {
            return Ok(false);
        }
        let mut cenv = Env::cont(scope);
        let p = self.place(&mut cenv, lhs)?;
        let Root::Var(v) = p.root else {
            return Ok(false);
        };
        if self.net.vars[v].ty.width != 1 {
            return Ok(false);
        }
        self.clk.clock_gens.push(v);
        Ok(true)
    }

    /// The first signal `g` reads (depth first), to name in a message.
    fn first_var_read(&self, g: Gid) -> Option<VarId> {
        let mut stack = vec![g];
        let mut seen = std::collections::HashSet::new();
        while let Some(n) = stack.pop() {
            if !seen.insert(n) {
                continue;
            }
            match self.g.get(n) {
                G::Var(v) => return Some(*v),
                G::Op(op) => stack.extend(op.operands().into_iter().rev()),
            }
        }
        None
    }

    pub(super) fn initial(&mut self, scope: ScopeId, body: &Stmt) -> Result<()> {
        // `expect (p)` as the block's last statement: one attempt of `p`
        // from the first edge of its clock; nothing after it waits.
        if let Some((rest, Stmt::Expect(a))) = split_last(body) {
            if let Some(rest) = rest {
                self.initial(scope, &rest)?;
            }
            let (kind, node, clock) = self.sva_monitor(scope, a, None, None, true)?;
            self.add_prop(scope, a.label.as_ref(), kind, node, a.span, clock);
            return Ok(());
        }
        // `initial #1000 $finish;`: a testbench's run length. The length of
        // a run is --cycles (formal: --depth), so this is dropped, with a
        // warning; it has no effect on the design's values.
        if let Stmt::Delay { body: b, .. } = body {
            if let Stmt::SysTask { name, span, .. } = &**b {
                if name == "$finish" || name == "$stop" {
                    self.warn(
                        Code::DelayIgnored,
                        *span,
                        format!("`#... {name}` ignored: the run length is --cycles (simulation) or --depth (formal)"),
                    );
                    return Ok(());
                }
            }
        }
        // `initial begin clk = 0; forever #5 clk = ~clk; end`: the generator
        // is taken out, the rest sets initial values.
        if let Some((rest, Stmt::Forever { body: f, .. })) = split_last(body) {
            if self.clock_generator(scope, f)? {
                return match rest {
                    Some(rest) => self.initial(scope, &rest),
                    None => Ok(()),
                };
            }
        }
        let frame = self.new_frame(ProcKind::Initial);
        let mut env = Env {
            scope,
            frame: Some(frame),
        };
        self.exec(&mut env, body)?;
        let f = env.frame.take().expect("frame");
        let mut vals: Vec<(VarId, Gid)> = f
            .vals
            .iter()
            .chain(f.nba.iter())
            .map(|(k, v)| (*k, *v))
            .collect();
        vals.sort_by_key(|(k, _)| *k);
        for (v, g) in vals {
            match self.g.as_const(g) {
                Some(b) => {
                    self.net.vars[v].init = Some(b.clone());
                    self.net.vars[v].unknown_init = false;
                }
                None => {
                    // Unknown at time 0 (x in a four-state simulator): no
                    // initial value, so free in formal and random in
                    // simulation, which covers whatever it would be.
                    let name = self.net.vars[v].name.clone();
                    let why = match self.first_var_read(g) {
                        Some(r) => {
                            format!("it reads `{}`, unknown at time 0", self.net.vars[r].name)
                        }
                        None => "it reads a value unknown at time 0".to_string(),
                    };
                    self.warn(
                        Code::InitialUnknown,
                        body.span(),
                        format!("initial value of `{name}` is not a constant ({why}): it starts free in formal, seeded random in simulation"),
                    );
                    self.net.vars[v].init = None;
                    self.net.vars[v].unknown_init = true;
                }
            }
        }
        for (m, en, addr, data, s) in f.mem_writes.clone() {
            let (Some(en), Some(addr), Some(data)) = (
                self.g.as_const(en).cloned(),
                self.g.as_const(addr).cloned(),
                self.g.as_const(data).cloned(),
            ) else {
                return Err(err_code(Code::NotConstant, s, "memory initialisation in an initial block must use constant addresses and values"));
            };
            if en.is_zero() {
                continue;
            }
            let mv = &mut self.net.mems[m as usize];
            let depth = mv.depth();
            let w = mv.elem.width;
            let init = mv
                .init
                .get_or_insert_with(|| vec![Bits::zero(w); depth as usize]);
            if let Some(a) = addr.to_u64().filter(|a| *a < depth) {
                init[a as usize] = data;
            }
        }
        // Properties in `initial` hold in the first cycle only.
        let first = self.first_cycle();
        let mut f = f;
        for p in &mut f.props {
            p.node = self.g.and(first, p.node);
        }
        self.commit_frame(scope, f);
        Ok(())
    }

    fn commit_frame(&mut self, scope: ScopeId, f: Frame) {
        for p in f.props {
            self.add_prop(scope, p.label.as_ref(), p.kind, p.node, p.span, p.clock);
        }
        for (l, c, s) in f.branches {
            self.add_branch(scope, &l, c, s);
        }
    }

    // ------------------------------------------------------------ statements

    pub(super) fn exec(&mut self, env: &mut Env, s: &Stmt) -> Result<()> {
        match s {
            Stmt::Null(_) => Ok(()),
            Stmt::Block { decls, stmts, .. } => {
                Self::frame(env).lscopes.push(Some(HashMap::new()));
                for d in decls {
                    self.declare_local(env, d)?;
                }
                for st in stmts {
                    self.exec(env, st)?;
                }
                Self::frame(env).lscopes.pop();
                Ok(())
            }
            Stmt::Blocking { lhs, rhs, span } => self.assign(env, lhs, rhs, false, *span),
            Stmt::NonBlocking { lhs, rhs, span } => self.assign(env, lhs, rhs, true, *span),
            Stmt::If {
                cond,
                then,
                els,
                span,
                ..
            } => {
                let (w, sg) = self.self_type(env, cond)?;
                let c = self.gen(env, cond, w, sg)?;
                let c = self.g.bool(c);
                let els_span = els.as_ref().map(|e| e.span()).unwrap_or(*span);
                self.branch2(
                    env,
                    c,
                    then,
                    els.as_deref(),
                    ("if", then.span()),
                    ("else", els_span),
                )
            }
            Stmt::Case {
                qualifier,
                full_case,
                kind,
                inside,
                expr,
                items,
                ..
            } => {
                // `unique`/`priority case` and `(* full_case *)` say some arm
                // always matches; no match is a violation (12.5.3). In
                // combinational logic the value left then is don't-care and
                // the last arm takes it (no latch), as synthesis reads it;
                // clocked blocks keep the simulation reading (hold).
                let full = *full_case
                    || matches!(
                        qualifier,
                        Some(ast::Qualifier::Unique | ast::Qualifier::Priority)
                    );
                self.case(env, *kind, *inside, expr, items, full)
            }
            Stmt::For {
                decls,
                init,
                cond,
                step,
                body,
                span,
            } => {
                Self::frame(env).lscopes.push(Some(HashMap::new()));
                for d in decls {
                    self.declare_local(env, d)?;
                }
                for i in init {
                    self.exec(env, i)?;
                }
                let free_step = !decls.is_empty();
                self.run_loop(env, cond.as_ref(), body, step, None, free_step, *span)?;
                Self::frame(env).lscopes.pop();
                Ok(())
            }
            Stmt::While { cond, body, span } => {
                self.run_loop(env, Some(cond), body, &[], None, false, *span)
            }
            Stmt::DoWhile { body, cond, span } => {
                // One pass, then a while loop.
                self.loop_body(env, body, &[], false)?;
                self.run_loop(env, Some(cond), body, &[], None, false, *span)
            }
            Stmt::Foreach {
                array,
                vars,
                body,
                span,
            } => self.foreach(env, array, vars, body, *span),
            Stmt::Repeat { count, body, span } => {
                let n = self.const_count(env, count)?;
                self.run_loop(env, None, body, &[], Some(n), false, *span)
            }
            Stmt::Forever { span, .. } => Err(err_code(Code::ElabUnsupported, *span, "`forever` loops are not supported")),
            Stmt::Return(e, span) => {
                let f = Self::frame(env);
                let Some(&rl) = f.ret_locals.last() else {
                    return Err(err(*span, "`return` outside a function"));
                };
                if let Some(e) = e {
                    let ty = f.locals[rl.index()].ty.clone();
                    self.check_enum_assign(env, e, &ty)?;
                    let v = self.assign_rhs(env, e, &ty)?;
                    self.set_local(env, rl, v);
                }
                let live = self.path_live(env);
                let f = Self::frame(env);
                let r = f.ret;
                f.ret = self.g.or(r, live);
                Ok(())
            }
            Stmt::Break(_) => {
                let live = self.path_live(env);
                let f = Self::frame(env);
                let b = f.brk;
                f.brk = self.g.or(b, live);
                Ok(())
            }
            Stmt::Continue(_) => {
                let live = self.path_live(env);
                let f = Self::frame(env);
                let c = f.cont;
                f.cont = self.g.or(c, live);
                Ok(())
            }
            Stmt::Timed { span, .. } => Err(err_code(Code::ElabUnsupported,
                *span,
                "event controls inside a block are not supported",
            )),
            Stmt::Delay { span, .. } => Err(err_code(Code::ElabUnsupported,
                *span,
                "delays (`#`) are not supported: verify has cycle semantics (testbench code?)",
            )),
            Stmt::ImmediateAssert {
                kind,
                label,
                expr,
                span,
                ..
            } => {
                // In `initial`, an assertion (`initial assume(rst);`) checks the
                // signals' values in cycle 0, not the block's constant view.
                let v = if Self::frame(env).kind == ProcKind::Initial {
                    let mut cenv = Env::cont(env.scope);
                    let (w, sg) = self.self_type(&mut cenv, expr)?;
                    self.gen(&mut cenv, expr, w, sg)?
                } else {
                    let (w, sg) = self.self_type(env, expr)?;
                    self.gen(env, expr, w, sg)?
                };
                let v = self.g.bool(v);
                let live = self.path_live(env);
                let (pk, node) = match kind {
                    AssertKind::Assert | AssertKind::Assume => {
                        let nv = self.g.not(v);
                        let bad = self.g.and(live, nv);
                        (
                            if *kind == AssertKind::Assert {
                                PropKind::Assert
                            } else {
                                PropKind::Assume
                            },
                            bad,
                        )
                    }
                    AssertKind::Cover => (PropKind::Cover, self.g.and(live, v)),
                };
                let clock = self.clk.cur_clock;
                Self::frame(env).props.push(FrameProp {
                    label: label.clone(),
                    kind: pk,
                    node,
                    span: *span,
                    clock,
                });
                Ok(())
            }
            Stmt::Expect(a) => Err(err_code(
                Code::Sva,
                a.span,
                "`expect` is supported as the last statement of an `initial` block (it blocks the process: statements after it run when the property is decided, which verify's cycle model cannot express)",
            )),
            Stmt::Assertion(a) => {
                let f = Self::frame(env);
                // The replay of a clocked block with its asynchronous reset
                // held (reset values) must not compile the assertion twice.
                if !f.overrides.is_empty() {
                    return Ok(());
                }
                if matches!(f.kind, ProcKind::Initial | ProcKind::Function) {
                    return Err(err_code(
                        Code::Sva,
                        a.span,
                        "concurrent assertion in an `initial` block or a function is not supported (write it at module level or in an `always` block)",
                    ));
                }
                let clock = f.clock.clone();
                // 16.14.6: the enclosing `if`/`case` conditions enable the
                // attempts, as in `cond |-> p`.
                let en = self.path_live(env);
                let (kind, node, clock) =
                    self.sva_monitor(env.scope, a, clock.as_ref(), Some(en), false)?;
                Self::frame(env).props.push(FrameProp {
                    label: a.label.clone(),
                    kind,
                    node,
                    span: a.span,
                    clock,
                });
                Ok(())
            }
            Stmt::SysTask { name, args, span } => self.systask(env, name, args, *span),
            Stmt::Method { call, span } => self.dyn_method_stmt(env, call, *span),
            Stmt::Call { name, args, span } => {
                let f = match self.lookup(env.scope, name)? {
                    super::Sym::Func(f) => f,
                    _ => {
                        return Err(err_code(Code::WrongKind,
                            name.name.span,
                            format!("`{}` is not a function or task", name.name.name),
                        ))
                    }
                };
                self.call(env, f, args, *span)?;
                Ok(())
            }
        }
    }

    fn const_count(&mut self, env: &mut Env, e: &Expr) -> Result<usize> {
        let (w, s) = self.self_type(env, e)?;
        let g = self.gen(env, e, w, s)?;
        let b = self.g.as_const(g).cloned().ok_or_else(|| {
            err_code(
                Code::NotConstant,
                e.span,
                "repeat count must be known at elaboration",
            )
        })?;
        let n = bits_to_i64(&b, s).unwrap_or(i64::MAX);
        if n > MAX_ITERATIONS as i64 {
            return Err(err_code(
                Code::Limit,
                e.span,
                format!("loop runs more than {MAX_ITERATIONS} times"),
            ));
        }
        Ok(n.max(0) as usize)
    }

    /// Path condition of the current statement, counting break/return.
    fn path_live(&mut self, env: &Env) -> Gid {
        self.path(env)
    }

    /// `if (c) a else b`, also used for case arms.
    fn branch2(
        &mut self,
        env: &mut Env,
        c: Gid,
        then: &Stmt,
        els: Option<&Stmt>,
        tl: (&str, Span),
        el: (&str, Span),
    ) -> Result<()> {
        if let Some(k) = self.g.as_const(c).cloned() {
            return if !k.is_zero() {
                self.exec(env, then)
            } else if let Some(e) = els {
                self.exec(env, e)
            } else {
                Ok(())
            };
        }
        let path = Self::frame(env).path;
        let live = self.path_live(env);
        let t_taken = self.g.and(live, c);
        let nc = self.g.not(c);
        let f_taken = self.g.and(live, nc);
        Self::frame(env)
            .branches
            .push((tl.0.to_string(), t_taken, tl.1));
        if els.is_some() || el.0 == "else" {
            Self::frame(env)
                .branches
                .push((el.0.to_string(), f_taken, el.1));
        }
        let saved = Self::frame(env).snapshot();
        Self::frame(env).path = self.g.and(path, c);
        self.exec(env, then)?;
        let t = Self::frame(env).snapshot();
        Self::frame(env).restore(&saved);
        Self::frame(env).path = self.g.and(path, nc);
        if let Some(e) = els {
            self.exec(env, e)?;
        }
        let fs = Self::frame(env).snapshot();
        Self::frame(env).path = path;
        self.merge(env, c, &saved, t, fs);
        Ok(())
    }

    fn merge(&mut self, env: &mut Env, c: Gid, before: &Snapshot, t: Snapshot, f: Snapshot) {
        let keys: BTreeSet<VarId> = t.vals.keys().chain(f.vals.keys()).copied().collect();
        let mut vals = HashMap::new();
        for k in keys {
            let dflt = before.vals.get(&k).copied();
            let tv = t.vals.get(&k).copied().or(dflt);
            let fv = f.vals.get(&k).copied().or(dflt);
            let v = match (tv, fv) {
                (Some(a), Some(b)) => self.g.mux(c, a, b, Span::NONE),
                (Some(a), None) | (None, Some(a)) => {
                    let other = self.read_var(
                        &Env {
                            scope: env.scope,
                            frame: None,
                        },
                        k,
                    );
                    let other = match &env.frame {
                        Some(fr) => fr.overrides.get(&k).copied().unwrap_or(other),
                        None => other,
                    };
                    if tv.is_some() {
                        self.g.mux(c, a, other, Span::NONE)
                    } else {
                        self.g.mux(c, other, a, Span::NONE)
                    }
                }
                (None, None) => continue,
            };
            vals.insert(k, v);
        }
        let nkeys: BTreeSet<VarId> = t.nba.keys().chain(f.nba.keys()).copied().collect();
        let mut nba = HashMap::new();
        for k in nkeys {
            let dflt = before.nba.get(&k).copied();
            let tv = t.nba.get(&k).copied().or(dflt);
            let fv = f.nba.get(&k).copied().or(dflt);
            let hold = {
                let w = self.net.vars[k].ty.width;
                self.g.var(k, w, Span::NONE)
            };
            let v = self
                .g
                .mux(c, tv.unwrap_or(hold), fv.unwrap_or(hold), Span::NONE);
            nba.insert(k, v);
        }
        let ekeys: BTreeSet<VarId> = t.nba_en.keys().chain(f.nba_en.keys()).copied().collect();
        let mut nba_en = HashMap::new();
        for k in ekeys {
            let zero = self.g.zero(1);
            let dflt = before.nba_en.get(&k).copied().unwrap_or(zero);
            let tv = t.nba_en.get(&k).copied().unwrap_or(dflt);
            let fv = f.nba_en.get(&k).copied().unwrap_or(dflt);
            nba_en.insert(k, self.g.mux(c, tv, fv, Span::NONE));
        }
        let n = t.locals.len().min(f.locals.len());
        let mut locals = Vec::with_capacity(n);
        for i in 0..n {
            locals.push(self.g.mux(c, t.locals[i], f.locals[i], Span::NONE));
        }
        let brk = self.g.mux(c, t.brk, f.brk, Span::NONE);
        let cont = self.g.mux(c, t.cont, f.cont, Span::NONE);
        let ret = self.g.mux(c, t.ret, f.ret, Span::NONE);
        let fr = Self::frame(env);
        fr.vals = vals;
        fr.nba = nba;
        fr.nba_en = nba_en;
        for (l, v) in fr.locals.iter_mut().zip(locals) {
            l.val = v;
        }
        fr.brk = brk;
        fr.cont = cont;
        fr.ret = ret;
    }

    fn case(
        &mut self,
        env: &mut Env,
        kind: ast::CaseKind,
        inside: bool,
        expr: &Expr,
        items: &[ast::CaseItem],
        full: bool,
    ) -> Result<()> {
        // Width and signedness of all case expressions together (12.5).
        let (mut w, mut s) = self.self_type(env, expr)?;
        for it in items {
            for l in &it.labels {
                let e = match l {
                    ast::InsideItem::Value(e) => e,
                    ast::InsideItem::Range(a, _) => a,
                };
                let (lw, ls) = self.self_type(env, e)?;
                w = w.max(lw);
                s = s && ls;
            }
        }
        let x = self.gen(env, expr, w, s)?;
        let mut conds = Vec::new();
        let mut default = None;
        for it in items {
            if it.labels.is_empty() {
                default = Some(it);
                continue;
            }
            let mut m = self.g.one_bit(false);
            for l in &it.labels {
                let c = match l {
                    ast::InsideItem::Value(e) => {
                        if inside || kind != ast::CaseKind::Case {
                            self.wild_eq(env, x, e, w, s)?
                        } else {
                            self.case_eq(env, x, expr, e, w, s)?
                        }
                    }
                    ast::InsideItem::Range(lo, hi) => {
                        if !inside {
                            return Err(err(
                                lo.span,
                                "ranges are only allowed in `case ... inside`",
                            ));
                        }
                        let lg = self.gen(env, lo, w, s)?;
                        let hg = self.gen(env, hi, w, s)?;
                        let le = if s { BinOp::Sle } else { BinOp::Ule };
                        let a = self.g.binary(le, lg, x, lo.span);
                        let b = self.g.binary(le, x, hg, hi.span);
                        self.g.and(a, b)
                    }
                };
                m = self.g.or(m, c);
            }
            conds.push((m, it));
        }
        self.case_chain(env, &conds, default, full)
    }

    fn case_chain(
        &mut self,
        env: &mut Env,
        conds: &[(Gid, &ast::CaseItem)],
        default: Option<&ast::CaseItem>,
        full: bool,
    ) -> Result<()> {
        match conds.split_first() {
            None => match default {
                Some(d) => self.exec(env, &d.body),
                None => Ok(()),
            },
            Some(((c, it), []))
                if full && default.is_none() && Self::frame(env).kind == ProcKind::Comb =>
            {
                let live = self.path_live(env);
                let taken = self.g.and(live, *c);
                Self::frame(env)
                    .branches
                    .push(("case".to_string(), taken, it.span));
                self.exec(env, &it.body)
            }
            Some(((c, it), rest)) => {
                let c = *c;
                if let Some(k) = self.g.as_const(c).cloned() {
                    return if !k.is_zero() {
                        self.exec(env, &it.body)
                    } else {
                        self.case_chain(env, rest, default, full)
                    };
                }
                // Run the arm, then the rest of the chain as the else branch.
                let path = Self::frame(env).path;
                let live = self.path_live(env);
                let taken = self.g.and(live, c);
                Self::frame(env)
                    .branches
                    .push(("case".to_string(), taken, it.span));
                let saved = Self::frame(env).snapshot();
                Self::frame(env).path = self.g.and(path, c);
                self.exec(env, &it.body)?;
                let t = Self::frame(env).snapshot();
                Self::frame(env).restore(&saved);
                let nc = self.g.not(c);
                Self::frame(env).path = self.g.and(path, nc);
                if rest.is_empty() {
                    if let Some(d) = default {
                        let live = self.path_live(env);
                        Self::frame(env)
                            .branches
                            .push(("default".to_string(), live, d.span));
                    }
                }
                self.case_chain(env, rest, default, full)?;
                let fs = Self::frame(env).snapshot();
                Self::frame(env).path = path;
                self.merge(env, c, &saved, t, fs);
                Ok(())
            }
        }
    }

    /// One iteration. `free_step`: the loop variables are local to the
    /// loop (`for (int i = ...)`), so the step may run even after a
    /// `break`/`return` (nothing can read them after the loop), which keeps
    /// them constants and the loop unrollable.
    fn loop_body(
        &mut self,
        env: &mut Env,
        body: &Stmt,
        step: &[Stmt],
        free_step: bool,
    ) -> Result<()> {
        let f = Self::frame(env);
        f.cont = self.g.zero(1);
        self.exec(env, body)?;
        let zero = self.g.zero(1);
        let f = Self::frame(env);
        f.cont = zero;
        let saved = (f.brk, f.ret);
        if free_step {
            f.brk = zero;
            f.ret = zero;
        }
        for s in step {
            self.exec(env, s)?;
        }
        let f = Self::frame(env);
        (f.brk, f.ret) = saved;
        Ok(())
    }

    /// Unroll a loop: `cond` must fold to a constant each time round.
    #[allow(clippy::too_many_arguments)]
    fn run_loop(
        &mut self,
        env: &mut Env,
        cond: Option<&Expr>,
        body: &Stmt,
        step: &[Stmt],
        count: Option<usize>,
        free_step: bool,
        span: Span,
    ) -> Result<()> {
        let outer_brk = Self::frame(env).brk;
        let outer_cont = Self::frame(env).cont;
        Self::frame(env).brk = self.g.zero(1);
        let mut n = 0usize;
        loop {
            if let Some(c) = count {
                if n >= c {
                    break;
                }
            }
            if let Some(c) = cond {
                let (w, s) = self.self_type(env, c)?;
                let g = self.gen(env, c, w, s)?;
                match self.g.as_const(g) {
                    Some(b) if b.is_zero() => break,
                    Some(_) => {}
                    None => {
                        return Err(crate::diag::Diagnostic::error(crate::diag::Code::NotConstant, c.span, "loop condition is not known at elaboration: loops must have constant bounds")
                            .with_label("depends on a signal")
                            .into());
                    }
                }
            }
            let f = Self::frame(env);
            let (b, r) = (f.brk, f.ret);
            let stop = self.g.or(b, r);
            if self.g.as_const(stop).is_some_and(|k| !k.is_zero()) {
                break;
            }
            n += 1;
            if n > MAX_ITERATIONS {
                return Err(err_code(
                    Code::Limit,
                    span,
                    format!("loop runs more than {MAX_ITERATIONS} times"),
                ));
            }
            self.loop_body(env, body, step, free_step)?;
        }
        let f = Self::frame(env);
        f.brk = outer_brk;
        f.cont = outer_cont;
        Ok(())
    }

    /// `foreach (arr[i, j]) body`: unrolled, each loop variable an `int`
    /// running from the left bound of its dimension to the right one
    /// (unpacked dimensions first, then packed ones).
    fn foreach(
        &mut self,
        env: &mut Env,
        array: &Expr,
        vars: &[Option<ast::Ident>],
        body: &Stmt,
        span: Span,
    ) -> Result<()> {
        if self.dyn_foreach(env, array, vars, body, span)? {
            return Ok(());
        }
        let dims = self.foreach_dims(env, array)?;
        if vars.len() > dims.len() {
            return Err(err(
                span,
                format!(
                    "`foreach` has {} loop variables, the array has {} dimensions",
                    vars.len(),
                    dims.len()
                ),
            ));
        }
        let total: u64 = dims[..vars.len()]
            .iter()
            .map(|(l, r)| (l - r).unsigned_abs() + 1)
            .fold(1u64, |a, n| a.saturating_mul(n));
        if total > MAX_ITERATIONS as u64 {
            return Err(err_code(
                Code::Limit,
                span,
                format!("loop runs more than {MAX_ITERATIONS} times"),
            ));
        }
        Self::frame(env).lscopes.push(Some(HashMap::new()));
        let mut ids = Vec::new();
        for v in vars {
            ids.push(v.as_ref().map(|v| {
                let zero = self.g.zero(32);
                self.new_local(env, &v.name, Ty::vector(32, true), zero)
            }));
        }
        let (brk, cont) = {
            let f = Self::frame(env);
            (f.brk, f.cont)
        };
        let r = self.foreach_level(env, &dims, &ids, body, 0);
        Self::frame(env).lscopes.pop();
        r?;
        let f = Self::frame(env);
        if f.brk != brk || f.cont != cont {
            return Err(err_code(
                Code::ElabUnsupported,
                span,
                "`break`/`continue` inside `foreach` is not supported",
            ));
        }
        Ok(())
    }

    fn foreach_level(
        &mut self,
        env: &mut Env,
        dims: &[(i64, i64)],
        ids: &[Option<LocalId>],
        body: &Stmt,
        level: usize,
    ) -> Result<()> {
        if level == ids.len() {
            return self.exec(env, body);
        }
        let (l, r) = dims[level];
        let step: i64 = if l <= r { 1 } else { -1 };
        let mut i = l;
        loop {
            if let Some(id) = ids[level] {
                let k = self.g.konst(Bits::from_i64(32, i));
                Self::frame(env).locals[id.index()].val = k;
            }
            self.foreach_level(env, dims, ids, body, level + 1)?;
            if i == r {
                return Ok(());
            }
            i += step;
        }
    }

    /// The dimensions `foreach` walks, outermost first, as (left, right).
    fn foreach_dims(&mut self, env: &mut Env, array: &Expr) -> Result<Vec<(i64, i64)>> {
        fn of_type(t: &Ty, out: &mut Vec<(i64, i64)>) {
            match &t.shape {
                Shape::Unpacked { left, right, elem } | Shape::Vector { left, right, elem } => {
                    out.push((*left, *right));
                    of_type(elem, out);
                }
                Shape::Flat if t.width > 1 => out.push((t.width as i64 - 1, 0)),
                _ => {}
            }
        }
        let mut dims = Vec::new();
        if let ExprKind::Ident(sn) = &array.kind {
            if let Ok(super::Sym::Mem(m)) = self.lookup(env.scope, sn) {
                let mv = &self.net.mems[m as usize];
                dims.push((mv.left, mv.right));
                of_type(&mv.elem.clone(), &mut dims);
                return Ok(dims);
            }
        }
        let p = self.place(env, array)?;
        of_type(&p.ty, &mut dims);
        Ok(dims)
    }

    fn declare_local(&mut self, env: &mut Env, d: &ast::VarDecl) -> Result<()> {
        if self.dyn_declare_local(env, d)? {
            return Ok(());
        }
        if !d.unpacked.is_empty() {
            return Err(err_code(
                Code::ElabUnsupported,
                d.span,
                "unpacked arrays declared inside procedural code are not supported",
            ));
        }
        let ty = self.resolve_type(env.scope, &d.ty)?;
        let val = match &d.init {
            Some(e) => {
                self.check_enum_assign(env, e, &ty)?;
                self.assign_rhs(env, e, &ty)?
            }
            None => match ty.member_defaults() {
                Some(b) => self.g.konst(b),
                None => self.g.zero(ty.width),
            },
        };
        self.new_local(env, &d.name.name, ty, val);
        Ok(())
    }

    /// A local variable of the innermost procedural scope.
    pub(super) fn new_local(&mut self, env: &mut Env, name: &str, ty: Ty, val: Gid) -> LocalId {
        let f = Self::frame(env);
        let id = LocalId(f.locals.len() as u32);
        f.locals.push(Local { ty, val });
        if let Some(Some(scope)) = f.lscopes.last_mut() {
            scope.insert(name.to_string(), id);
        }
        id
    }

    /// Set a local's value regardless of the path (loop variables).
    pub(super) fn set_local_raw(&mut self, env: &mut Env, id: LocalId, v: Gid) {
        Self::frame(env).locals[id.index()].val = v;
    }

    pub(super) fn push_local_scope(&mut self, env: &mut Env) {
        Self::frame(env).lscopes.push(Some(HashMap::new()));
    }

    pub(super) fn pop_local_scope(&mut self, env: &mut Env) {
        Self::frame(env).lscopes.pop();
    }

    fn set_local(&mut self, env: &mut Env, id: LocalId, v: Gid) {
        let dis = self.disabled(env);
        let f = Self::frame(env);
        let old = f.locals[id.index()].val;
        let nv = self.g.mux(dis, old, v, Span::NONE);
        Self::frame(env).locals[id.index()].val = nv;
    }

    fn assign(
        &mut self,
        env: &mut Env,
        lhs: &Expr,
        rhs: &Expr,
        nonblocking: bool,
        span: Span,
    ) -> Result<()> {
        if self.dyn_assign(env, lhs, rhs, nonblocking, span)? {
            return Ok(());
        }
        let ty = self.lvalue_type(env, lhs)?;
        self.check_enum_assign(env, rhs, &ty)?;
        let val = self.assign_rhs(env, rhs, &ty)?;
        self.assign_value(env, lhs, val, nonblocking, span)
    }

    pub(super) fn assign_value(
        &mut self,
        env: &mut Env,
        lhs: &Expr,
        val: Gid,
        nonblocking: bool,
        span: Span,
    ) -> Result<()> {
        if let ExprKind::Concat(parts) = &lhs.kind {
            let mut hi = self.g.width(val);
            for p in parts {
                let w = self.lvalue_type(env, p)?.width;
                let piece = self.g.slice(val, hi - w, w);
                self.assign_value(env, p, piece, nonblocking, span)?;
                hi -= w;
            }
            return Ok(());
        }
        let p = self.place(env, lhs)?;
        self.write_place(env, &p, val, nonblocking, span)
    }

    fn write_place(
        &mut self,
        env: &mut Env,
        p: &Place,
        val: Gid,
        nonblocking: bool,
        span: Span,
    ) -> Result<()> {
        let kind = Self::frame(env).kind;
        match &p.root {
            Root::Const(_) => Err(err_code(
                Code::NotAssignable,
                p.span,
                "a parameter or constant cannot be assigned",
            )),
            Root::Local(id) => {
                let old = Self::frame(env).locals[id.index()].val;
                let new = self.insert_place(old, p, val);
                self.set_local(env, *id, new);
                Ok(())
            }
            Root::Var(v) => {
                let v = *v;
                if kind == ProcKind::Function && Self::frame(env).ret_locals.is_empty() {
                    return Err(err_code(
                        Code::Internal,
                        span,
                        "internal: assignment outside a block",
                    ));
                }
                if !Self::frame(env).ret_locals.is_empty() && kind != ProcKind::Initial {
                    // Inside an inlined function: only locals may be written.
                    let name = self.net.vars[v].name.clone();
                    return Err(err_code(
                        Code::Call,
                        p.span,
                        format!("functions writing module signals (`{name}`) are not supported"),
                    ));
                }
                let full = self.net.vars[v].ty.width;
                let dis = self.disabled(env);
                let old = if nonblocking {
                    match Self::frame(env).nba.get(&v) {
                        Some(g) => *g,
                        None => self.g.var(v, full, Span::NONE),
                    }
                } else {
                    // A whole, unconditional write does not read the old
                    // value (it only feeds a mux that folds away), so it
                    // does not count as a read (see `Driver::temp`).
                    let whole = matches!(p.off, super::expr::Off::Static(0))
                        && p.ty.width == full
                        && self.g.as_const(dis).is_some_and(|b| b.is_zero());
                    let seen = self.walk.frame_reads.contains(&v);
                    let old = self.read_var(env, v);
                    if whole && !seen {
                        self.walk.frame_reads.remove(&v);
                    }
                    old
                };
                let new = self.insert_place(old, p, val);
                let new = self.g.mux(dis, old, new, span);
                let (lo, w) = match p.off {
                    super::expr::Off::Static(lo) => (lo, p.ty.width),
                    super::expr::Off::Dyn(_) => (0, full + 1),
                };
                let live = self.g.not(dis);
                let f = Self::frame(env);
                f.mark(v, lo, w, full);
                if nonblocking {
                    f.nba.insert(v, new);
                    f.nba_vars.insert(v);
                    let was = f.nba_en.get(&v).copied();
                    let en = match was {
                        Some(e) => self.g.or(e, live),
                        None => live,
                    };
                    Self::frame(env).nba_en.insert(v, en);
                } else {
                    f.vals.insert(v, new);
                }
                Ok(())
            }
            Root::MemWord { mem, addr } => {
                let (mem, addr) = (*mem, *addr);
                if kind == ProcKind::Comb {
                    let name = self.net.mems[mem as usize].name.clone();
                    return Err(err_code(
                        Code::ElabUnsupported,
                        span,
                        format!("memory `{name}` written from combinational logic: not supported"),
                    ));
                }
                let ew = self.net.mems[mem as usize].elem.width;
                let data = if matches!(p.off, super::expr::Off::Static(0)) && p.ty.width == ew {
                    val
                } else {
                    let m = self.mem_id(mem);
                    let cur = self.g.mem_read(m, addr, ew, span);
                    self.insert_place(cur, p, val)
                };
                let en = self.path_live(env);
                let f = Self::frame(env);
                f.mem_writes.push((mem, en, addr, data, span));
                if !nonblocking && kind == ProcKind::Clocked {
                    f.blocking_mem_writes.insert(mem);
                }
                Ok(())
            }
        }
    }

    fn systask(&mut self, env: &mut Env, name: &str, args: &[Expr], span: Span) -> Result<()> {
        match name {
            "$display" | "$write" | "$strobe" | "$monitor" | "$info" | "$warning" | "$error"
            | "$fatal" | "$finish" | "$stop" | "$dumpfile" | "$dumpvars" | "$dumpon"
            | "$dumpoff" | "$timeformat" | "$printtimescale" => Ok(()),
            "$readmemh" | "$readmemb" => {
                if Self::frame(env).kind != ProcKind::Initial {
                    return Err(err_code(
                        Code::SystemCall,
                        span,
                        format!("{name} is only supported in initial blocks"),
                    ));
                }
                self.readmem(env.scope, name == "$readmemh", args, span)
            }
            _ => Err(err_code(
                Code::SystemCall,
                span,
                format!("unsupported system task `{name}`"),
            )),
        }
    }

    // ------------------------------------------------------------ functions

    /// Inline a call; returns the value (None for void functions and tasks).
    pub(super) fn call(
        &mut self,
        env: &mut Env,
        f: FuncRef,
        args: &[Expr],
        span: Span,
    ) -> Result<Option<Gid>> {
        if self.walk.call_depth >= MAX_CALL_DEPTH {
            return Err(err_code(
                Code::Limit,
                span,
                "function calls nest too deeply (recursion?)",
            ));
        }
        // A task is inlined like a void function: timing controls, output
        // arguments and writes to module signals in it are refused below.
        let (fdecl, fscope) = self.syms.funcs[f.index];
        if args.len() > fdecl.args.len() {
            return Err(err_code(
                Code::Call,
                span,
                format!("`{}` takes {} arguments", fdecl.name.name, fdecl.args.len()),
            ));
        }
        // Arguments are evaluated in the caller's scope.
        let mut vals = Vec::new();
        for (i, a) in fdecl.args.iter().enumerate() {
            if a.dir != ast::Direction::Input {
                return Err(err_code(
                    Code::Call,
                    a.span,
                    "only input arguments are supported in functions",
                ));
            }
            let ty = self.resolve_type(fscope, &a.ty)?;
            let e = match args.get(i) {
                Some(e) => e,
                None => a.default.as_ref().ok_or_else(|| {
                    err_code(
                        Code::Call,
                        span,
                        format!("missing argument `{}`", a.name.name),
                    )
                })?,
            };
            self.check_enum_assign(env, e, &ty)?;
            let v = self.assign_rhs(env, e, &ty)?;
            vals.push((a.name.name.clone(), ty, v));
        }
        let temp = env.frame.is_none();
        if temp {
            env.frame = Some(self.new_frame(ProcKind::Function));
        }
        let saved_scope = env.scope;
        env.scope = fscope;
        self.walk.call_depth += 1;
        let saved_ret;
        {
            let zero = self.g.zero(1);
            let fr = Self::frame(env);
            saved_ret = (fr.ret, fr.brk, fr.cont);
            fr.ret = zero;
            fr.brk = zero;
            fr.cont = zero;
            fr.lscopes.push(None);
            fr.lscopes.push(Some(HashMap::new()));
        }
        let ret_ty = match &fdecl.ret {
            Some(t) => Some(self.resolve_type(fscope, t)?),
            None => None,
        };
        let result = (|| -> Result<Option<Gid>> {
            for (name, ty, v) in vals {
                let fr = Self::frame(env);
                let id = LocalId(fr.locals.len() as u32);
                fr.locals.push(Local { ty, val: v });
                if let Some(Some(s)) = fr.lscopes.last_mut() {
                    s.insert(name, id);
                }
            }
            let ret_local = match &ret_ty {
                Some(t) => {
                    let z = self.g.zero(t.width);
                    let fr = Self::frame(env);
                    let id = LocalId(fr.locals.len() as u32);
                    fr.locals.push(Local {
                        ty: t.clone(),
                        val: z,
                    });
                    if let Some(Some(s)) = fr.lscopes.last_mut() {
                        s.insert(fdecl.name.name.clone(), id);
                    }
                    fr.ret_locals.push(id);
                    Some(id)
                }
                None => {
                    // Void: a dummy return slot so `return;` works.
                    let z = self.g.zero(1);
                    let fr = Self::frame(env);
                    let id = LocalId(fr.locals.len() as u32);
                    fr.locals.push(Local {
                        ty: Ty::bit(false),
                        val: z,
                    });
                    fr.ret_locals.push(id);
                    None
                }
            };
            for d in &fdecl.decls {
                self.declare_local(env, d)?;
            }
            for st in &fdecl.body {
                self.exec(env, st)?;
            }
            Ok(ret_local.map(|id| Self::frame(env).locals[id.index()].val))
        })();
        self.walk.call_depth -= 1;
        env.scope = saved_scope;
        if let Some(fr) = env.frame.as_mut() {
            fr.ret_locals.pop();
            fr.lscopes.pop();
            fr.lscopes.pop();
            (fr.ret, fr.brk, fr.cont) = saved_ret;
        }
        if temp {
            self.commit_cont_frame(env);
        }
        result
    }
}

/// Contiguous runs `(lo, width)` of a set of bit positions.
fn runs(bits: &BTreeSet<u32>) -> Vec<(u32, u32)> {
    let mut out: Vec<(u32, u32)> = Vec::new();
    for &b in bits {
        match out.last_mut() {
            Some((lo, w)) if *lo + *w == b => *w += 1,
            _ => out.push((b, 1)),
        }
    }
    out
}

/// Whether a statement mentions the signal named by `e` (an identifier).
fn stmt_mentions(s: &Stmt, e: &Expr) -> bool {
    let name = match &e.kind {
        ExprKind::Ident(sn) => sn.name.name.as_str(),
        _ => return false,
    };
    let mut found = false;
    walk_stmt(s, &mut |x| {
        if let ExprKind::Ident(sn) = &x.kind {
            if sn.name.name == name {
                found = true;
            }
        }
    });
    found
}

fn walk_stmt(s: &Stmt, f: &mut dyn FnMut(&Expr)) {
    match s {
        Stmt::Block { stmts, .. } => stmts.iter().for_each(|x| walk_stmt(x, f)),
        Stmt::Blocking { lhs, rhs, .. } | Stmt::NonBlocking { lhs, rhs, .. } => {
            walk_expr(lhs, f);
            walk_expr(rhs, f);
        }
        Stmt::If {
            cond, then, els, ..
        } => {
            walk_expr(cond, f);
            walk_stmt(then, f);
            if let Some(e) = els {
                walk_stmt(e, f);
            }
        }
        Stmt::Case { expr, items, .. } => {
            walk_expr(expr, f);
            for it in items {
                walk_stmt(&it.body, f);
            }
        }
        Stmt::For { body, .. }
        | Stmt::While { body, .. }
        | Stmt::DoWhile { body, .. }
        | Stmt::Repeat { body, .. }
        | Stmt::Foreach { body, .. } => walk_stmt(body, f),
        Stmt::ImmediateAssert { expr, .. } => walk_expr(expr, f),
        _ => {}
    }
}

fn walk_expr(e: &Expr, f: &mut dyn FnMut(&Expr)) {
    f(e);
    match &e.kind {
        ExprKind::Member(a, _) => walk_expr(a, f),
        ExprKind::Index(a, b) => {
            walk_expr(a, f);
            walk_expr(b, f);
        }
        ExprKind::Range(a, b, c) | ExprKind::Cond(a, b, c) => {
            walk_expr(a, f);
            walk_expr(b, f);
            walk_expr(c, f);
        }
        ExprKind::IndexedRange {
            base, start, width, ..
        } => {
            walk_expr(base, f);
            walk_expr(start, f);
            walk_expr(width, f);
        }
        ExprKind::Unary(_, a) | ExprKind::Cast(_, a) => walk_expr(a, f),
        ExprKind::Binary(_, a, b) => {
            walk_expr(a, f);
            walk_expr(b, f);
        }
        ExprKind::Concat(v) | ExprKind::Call(_, v) | ExprKind::SysCall(_, v) => {
            v.iter().for_each(|x| walk_expr(x, f))
        }
        ExprKind::Repl(n, v) => {
            walk_expr(n, f);
            v.iter().for_each(|x| walk_expr(x, f));
        }
        ExprKind::Inside(a, items) => {
            walk_expr(a, f);
            for it in items {
                match it {
                    ast::InsideItem::Value(x) => walk_expr(x, f),
                    ast::InsideItem::Range(x, y) => {
                        walk_expr(x, f);
                        walk_expr(y, f);
                    }
                }
            }
        }
        _ => {}
    }
}

/// A body's last statement, and what comes before it: `None` when the
/// body is that statement alone, else the block without it.
fn split_last(body: &Stmt) -> Option<(Option<Stmt>, &Stmt)> {
    match body {
        Stmt::Block {
            label,
            decls,
            stmts,
            span,
        } => {
            let (last, before) = stmts.split_last()?;
            let rest = Stmt::Block {
                label: label.clone(),
                decls: decls.clone(),
                stmts: before.to_vec(),
                span: *span,
            };
            Some((Some(rest), last))
        }
        other => Some((None, other)),
    }
}
