//! The last step: resolve every signal from its drivers, find the clock,
//! and write the working graph out as the IR in topological order.
//! Multiple drivers and combinational loops are reported here.

use super::graph::{Gid, G};
use super::types::Ty;
use super::{err_code, ClockRef, DriverKind, Elaborator, VarId};
use crate::ast::{Edge, Free};
use crate::bits::Bits;
use crate::builder::Builder;
use crate::diag::{Code, Diagnostic, Result};
use crate::ir::{BinOp, Design, InputId, NodeId, Op, RegId, SignalKind, UnOp};
use crate::source::Span;
use std::collections::HashMap;

/// The name of the IR clock of a design on a global clock.
pub const GLOBAL_CLOCK: &str = "global_clock";

/// How a design is clocked (see `Elaborator::clocking`).
enum Clocking {
    /// No clocked logic.
    None,
    /// One rising-edge clock from a top-level input: the IR's clock.
    Single(VarId),
    /// A global clock: the distinct clocks with the signals they come
    /// from, and the distinct clock of each clock the design names.
    Global(Vec<(ClockRef, Option<VarId>)>, HashMap<ClockRef, ClockRef>),
}

/// State of one driven piece of a signal in the resolution walk. Loops are
/// found per piece, not per signal, so `assign w[1] = w[0]` (bit 1 reads
/// bit 0 of the same word) is not a loop.
#[derive(Clone, Copy, PartialEq, Eq)]
enum SegState {
    Todo,
    Visiting,
    Done(NodeId),
}

/// A signal's value cut into the pieces its drivers give (concatenations
/// flattened), least significant first.
struct Seg {
    lo: u32,
    width: u32,
    value: Gid,
    state: SegState,
}

struct Emitter {
    b: Builder,
    map: Vec<Option<NodeId>>,
    segs: Vec<Option<Vec<Seg>>>,
    var_value: Vec<Option<Gid>>,
    /// Pieces of signals being resolved (signal, lo, width), for the
    /// combinational-loop message.
    stack: Vec<(VarId, u32, u32)>,
    reg_nodes: Vec<NodeId>,
    input_nodes: Vec<NodeId>,
    clock_var: Option<VarId>,
    /// Naming pass: signals resolved only to be named do not warn.
    quiet: bool,
    /// Elements of unpacked arrays and structs, resolved one by one so that
    /// `assign a[i] = a[i-1] + 1` is no loop: (signal, leaf) → node.
    leaf_map: HashMap<(VarId, usize), NodeId>,
    leaf_visiting: Vec<(VarId, usize)>,
}

impl<'a> Elaborator<'a> {
    pub(super) fn emit(&mut self) -> Result<Design> {
        let clocking = self.clocking()?;
        let clock_var = match &clocking {
            Clocking::Single(v) => Some(*v),
            _ => None,
        };
        // Top-level inputs (all but the clock) become IR inputs.
        let mut b = Builder::new(&self.net.top_name);
        let mut input_nodes = Vec::new();
        let mut graph_inputs = Vec::new();
        for &v in &self.net.top_inputs.clone() {
            if Some(v) == clock_var {
                continue;
            }
            let var = &self.net.vars[v];
            let short = var.name.rsplit('.').next().unwrap_or(&var.name).to_string();
            let (w, signed, span) = (var.ty.width, var.ty.signed, var.span);
            let id = InputId(graph_inputs.len() as u32);
            let n = b.input(&short, w, signed, span);
            input_nodes.push(n);
            let g = self.g.input(id, w, span);
            graph_inputs.push(g);
            self.drive(v, 0, g, span, DriverKind::Input);
        }
        if let (Some(cv), true) = (
            clock_var,
            !self.net.regs.is_empty() || self.net.mems.iter().any(|m| !m.writes.is_empty()),
        ) {
            let name = self.net.vars[cv]
                .name
                .rsplit('.')
                .next()
                .unwrap_or("clk")
                .to_string();
            b.set_clock(&name);
        }
        if let Clocking::Global(clocks, key_of) = &clocking {
            self.global_clock(&mut b, &mut input_nodes, clocks, key_of)?;
        }
        self.drive_free_vars(&mut b, &mut input_nodes)?;
        let mut reg_nodes = Vec::new();
        for r in &self.net.regs {
            let (_, node) = b.reg(&r.name, r.width, r.init.clone(), r.span);
            reg_nodes.push(node);
        }
        for m in &self.net.mems {
            b.memory(&m.name, m.elem.width, m.depth(), m.init.clone(), m.span);
        }
        let mut em = Emitter {
            b,
            map: vec![None; self.g.len()],
            segs: (0..self.net.vars.len()).map(|_| None).collect(),
            var_value: vec![None; self.net.vars.len()],
            stack: Vec::new(),
            reg_nodes,
            input_nodes,
            clock_var,
            quiet: false,
            leaf_map: HashMap::new(),
            leaf_visiting: Vec::new(),
        };
        // Registers.
        for i in 0..self.net.regs.len() {
            let next = self.lower(&mut em, self.net.regs[i].next)?;
            em.b.set_next(crate::ir::RegId(i as u32), next);
            let r = em.b.reg_mut(crate::ir::RegId(i as u32));
            r.signed = self.net.regs[i].signed;
            r.enum_values = self.net.regs[i].enum_values.clone();
            r.synthetic = self.net.regs[i].synthetic;
        }
        // Memory write ports.
        for m in 0..self.net.mems.len() {
            for (en, addr, data, _) in self.net.mems[m].writes.clone() {
                let en = self.lower(&mut em, en)?;
                let addr = self.lower(&mut em, addr)?;
                let data = self.lower(&mut em, data)?;
                em.b.mem_write(crate::ir::MemId(m as u32), en, addr, data);
            }
        }
        // Outputs.
        for &v in &self.net.top_outputs.clone() {
            let var = &self.net.vars[v];
            let short = var.name.rsplit('.').next().unwrap_or(&var.name).to_string();
            let (w, signed, span) = (var.ty.width, var.ty.signed, var.span);
            let g = self.g.var(v, w, span);
            let n = self.lower(&mut em, g)?;
            em.b.output(&short, n, signed, span);
        }
        // Properties and branches.
        for i in 0..self.net.props.len() {
            let n = self.lower(&mut em, self.net.props[i].node)?;
            let p = &self.net.props[i];
            em.b.property(&p.name, p.kind, n, p.span);
        }
        for i in 0..self.net.branches.len() {
            let n = self.lower(&mut em, self.net.branches[i].1)?;
            let (l, _, s) = &self.net.branches[i];
            em.b.branch(l, n, *s);
        }
        // Every signal under its hierarchical name (inputs are named by the builder).
        em.quiet = true;
        for v in self.net.var_ids() {
            let var = &self.net.vars[v];
            // Inputs, hidden ones included, are named by the builder.
            if var.is_input || var.free == Some(Free::Seq) || self.is_clock_alias(v, em.clock_var) {
                continue;
            }
            let var = &self.net.vars[v];
            let (w, signed, span) = (var.ty.width, var.ty.signed, var.span);
            let kind = if var.is_output {
                SignalKind::Output
            } else if var.drivers.iter().any(|d| d.kind == DriverKind::Reg) {
                SignalKind::Reg
            } else {
                SignalKind::Wire
            };
            let name = var.name.clone();
            let leaves = var.ty.leaves();
            let g = self.g.var(v, w, span);
            if leaves.is_empty() {
                let n = self.lower(&mut em, g)?;
                em.b.name(&name, n, signed, kind);
            } else {
                // An unpacked array or struct: one signal per element
                // (`top.taps[2]`, `top.s.f`).
                for (suffix, lo, lw, lsigned) in leaves {
                    let piece = self.g.slice(g, lo, lw);
                    let n = self.lower(&mut em, piece)?;
                    em.b.name(&format!("{name}{suffix}"), n, lsigned, kind);
                }
            }
        }
        em.b.finish().map_err(|e| {
            err_code(
                Code::Internal,
                Span::NONE,
                format!("internal error: elaborated design is malformed: {e}"),
            )
        })
    }

    /// Drive every `anyconst`/`anyseq` signal: an `anyseq` one by a hidden
    /// input (free every cycle in formal, random in simulation), an
    /// `anyconst` one by a register with no initial value that keeps it
    /// (free at cycle 0 in formal, seeded random in simulation).
    fn drive_free_vars(&mut self, b: &mut Builder, input_nodes: &mut Vec<NodeId>) -> Result<()> {
        for v in self.net.var_ids() {
            let var = &self.net.vars[v];
            // Set only by an `initial` block to a value unknown at time 0:
            // it keeps that value, so it is an `anyconst`.
            let held = (var.unknown_init && var.drivers.is_empty()).then_some(Free::Const);
            let Some(free) = var.free.or(held) else {
                continue;
            };
            if let Some(d) = var.drivers.first() {
                let attr = match free {
                    Free::Const => "anyconst",
                    Free::Seq => "anyseq",
                };
                return Err(Diagnostic::error(
                    Code::FreeDriven,
                    d.span,
                    format!("`{}` is `{attr}` and also driven here", var.name),
                )
                .with_label("a driver of a free value")
                .with_secondary(var.span, format!("declared `{attr}` here"))
                .into());
            }
            let (name, ty, span) = (var.name.clone(), var.ty.clone(), var.span);
            let width = ty.width;
            match free {
                Free::Seq => {
                    let g = self.hidden_input(b, input_nodes, &name, width, ty.signed, span);
                    self.drive(v, 0, g, span, DriverKind::Input);
                }
                Free::Const => {
                    // `new_reg` makes the register keep its value (next = itself).
                    let (_, node) = self.new_reg(name, &ty, width, None, span);
                    self.drive(v, 0, node, span, DriverKind::Reg);
                }
            }
        }
        Ok(())
    }

    /// A top-level input the design does not declare (an `anyseq` signal,
    /// undriven bits), named by its hierarchical name below the top.
    fn hidden_input(
        &mut self,
        b: &mut Builder,
        input_nodes: &mut Vec<NodeId>,
        name: &str,
        width: u32,
        signed: bool,
        span: Span,
    ) -> Gid {
        let prefix = format!("{}.", self.net.top_name);
        let short = name.strip_prefix(&prefix).unwrap_or(name);
        let id = InputId(input_nodes.len() as u32);
        input_nodes.push(b.input(short, width, signed, span));
        self.g.input(id, width, span)
    }

    /// How the design is clocked: a single rising-edge clock that comes
    /// from a top-level input (the IR's implicit clock), or else (several
    /// clocks, a falling edge, a clock made by logic) a global clock.
    fn clocking(&mut self) -> Result<Clocking> {
        // Each clock with the signal it comes from (`None`: made by logic,
        // a divider or a gate, which only a global clock can run).
        let sources: Vec<(ClockRef, Option<VarId>)> = self
            .clk
            .clocks
            .clone()
            .into_iter()
            .map(|(c, span)| (c, self.clock_source(c.signal, span).ok()))
            .collect();
        let first = sources.first().and_then(|(_, v)| *v);
        let single = sources
            .iter()
            .all(|(c, v)| c.edge == Edge::Pos && v.is_some() && *v == first);
        if single && !self.clk.global_tick_used {
            return Ok(first.map_or(Clocking::None, Clocking::Single));
        }
        if let Some(&span) = self.clk.nested_clocks.first() {
            return Err(err_code(Code::Clock,
                span,
                "a clock inside a property that differs from the assertion's clock (a multi-clocked property) is not supported",
            ));
        }
        // One edge detector per clock signal and edge: clocks that reach
        // one source through port connections share it.
        let mut distinct: Vec<(ClockRef, Option<VarId>)> = Vec::new();
        let mut key_of = HashMap::new();
        for (c, src) in sources {
            let key = match src {
                Some(v) => ClockRef {
                    signal: self.g.var(v, 1, Span::NONE),
                    edge: c.edge,
                },
                None => c,
            };
            if !distinct.iter().any(|(k, _)| *k == key) {
                distinct.push((key, src));
            }
            key_of.insert(c, key);
        }
        Ok(Clocking::Global(distinct, key_of))
    }

    /// The global-clock encoding (Yosys's `multiclock on`): each IR cycle
    /// is one tick; every clock is a signal, an input where it comes from
    /// outside. Registers take their next value, memory ports write and
    /// properties are sampled only in a tick with an edge of their own
    /// clock; an asynchronous control loads its value whatever the clocks
    /// do.
    fn global_clock(
        &mut self,
        b: &mut Builder,
        input_nodes: &mut Vec<NodeId>,
        clocks: &[(ClockRef, Option<VarId>)],
        key_of: &HashMap<ClockRef, ClockRef>,
    ) -> Result<()> {
        b.set_clock(GLOBAL_CLOCK);
        for &(_, src) in clocks {
            let Some(v) = src else { continue };
            let var = &self.net.vars[v];
            let short = var.name.rsplit('.').next().unwrap_or(&var.name).to_string();
            if var.is_input {
                if !b.design().clock_inputs.contains(&short) {
                    b.clock_input(&short);
                }
            } else if var.drivers.is_empty() {
                // A clock nothing drives (a testbench's generated clock):
                // an input of its own.
                let (name, span) = (var.name.clone(), var.span);
                let g = self.hidden_input(b, input_nodes, &name, 1, false, span);
                self.drive(v, 0, g, span, DriverKind::Input);
                if let Some(n) = b.design().inputs.last().map(|i| i.name.clone()) {
                    b.clock_input(&n);
                }
            }
        }
        // A clock made from registers (a divider `div <= ~div`, a counter
        // bit) changes at the end of a tick, as registers do: its edge is
        // seen from the registers' next values, so the registers it clocks
        // update in the same tick as it changes (the zero-delay order of
        // an event-driven simulator). Any other clock (an input, or logic
        // reading one) is compared with its value in the previous tick.
        let mut edges: Vec<Option<Gid>> = vec![None; clocks.len()];
        for (i, &(key, _)) in clocks.iter().enumerate() {
            if self.reg_clock_reg(key.signal).is_some() {
                continue;
            }
            let name = format!("{}.$clock_prev{i}", self.net.top_name);
            let (id, prev) = self.new_reg(
                name,
                &Ty::bit(false),
                1,
                // No rising (falling) edge in the first tick.
                Some(Bits::from_bool(key.edge != Edge::Neg)),
                Span::NONE,
            );
            let r = &mut self.net.regs[id.index()];
            r.next = key.signal;
            r.synthetic = true;
            r.clock = None;
            let mut edge = self.edge_between(key.edge, prev, key.signal);
            if key.edge == Edge::Both {
                // `prev` starts at 1: a clock low in the first tick is no
                // change.
                let first = self.first_cycle();
                let later = self.g.not(first);
                edge = self.g.and(edge, later);
            }
            edges[i] = Some(edge);
        }
        let index_of = |c: ClockRef| -> usize {
            let key = key_of.get(&c).copied().unwrap_or(c);
            clocks
                .iter()
                .position(|(k, _)| *k == key)
                .expect("every clock has a distinct clock")
        };
        // Gate the registers domain by domain: a register-made clock's
        // edge is known once the registers it is made of are gated.
        let mut gated = vec![false; self.net.regs.len()];
        loop {
            let mut progress = false;
            for (i, done) in gated.iter_mut().enumerate() {
                let Some(c) = self.net.regs[i].clock else {
                    continue;
                };
                let Some(edge) = edges[index_of(c)] else {
                    continue;
                };
                if *done {
                    continue;
                }
                let (w, span) = (self.net.regs[i].width, self.net.regs[i].span);
                let q = self.g.reg(RegId(i as u32), w, span);
                let mut next = self.g.mux(edge, self.net.regs[i].next, q, span);
                if let Some((active, value)) = self.net.regs[i].areset {
                    next = self.g.mux(active, value, next, span);
                }
                self.net.regs[i].next = next;
                *done = true;
                progress = true;
            }
            for (k, &(key, _)) in clocks.iter().enumerate() {
                if edges[k].is_some() {
                    continue;
                }
                let reg = self.reg_clock_reg(key.signal);
                if reg.is_none_or(|r| gated[r.index()]) {
                    let after = self.reg_clock_next(key.signal);
                    edges[k] = Some(self.edge_between(key.edge, key.signal, after));
                    progress = true;
                }
            }
            if !progress {
                break;
            }
        }
        if let Some(k) = edges.iter().position(|e| e.is_none()) {
            let span = self
                .clk
                .clocks
                .iter()
                .find(|(c, _)| index_of(*c) == k)
                .map(|(_, s)| *s)
                .unwrap_or(Span::NONE);
            return Err(err_code(Code::Clock,
                span,
                "this clock is made from registers that it clocks itself (a loop of clocks): not supported",
            ));
        }
        let edges: Vec<Gid> = edges.into_iter().flatten().collect();
        let edge_of = |c: ClockRef| -> Gid { edges[index_of(c)] };
        for m in 0..self.net.mems.len() {
            for k in 0..self.net.mems[m].writes.len() {
                let (en, addr, data, clock) = self.net.mems[m].writes[k];
                if let Some(c) = clock {
                    let en = self.g.and(edge_of(c), en);
                    self.net.mems[m].writes[k] = (en, addr, data, clock);
                }
            }
        }
        for p in 0..self.net.props.len() {
            if let Some(c) = self.net.props[p].clock {
                let edge = edge_of(c);
                let node = self.net.props[p].node;
                self.net.props[p].node = if self.net.props[p].kind.is_liveness() {
                    // An obligation stays open between its clock's edges:
                    // the pending value of the last edge holds (zero there
                    // would meet every obligation in each tick without an
                    // edge, and no liveness property could ever fail).
                    let name = format!("{}.$sva_live_held{p}", self.net.top_name);
                    let zero = Some(Bits::from_bool(false));
                    let (id, held) = self.new_reg(name, &Ty::bit(false), 1, zero, Span::NONE);
                    let now = self.g.mux(edge, node, held, Span::NONE);
                    self.net.regs[id.index()].next = now;
                    self.net.regs[id.index()].synthetic = true;
                    now
                } else {
                    self.g.and(edge, node)
                };
            }
        }
        Ok(())
    }

    /// The change of a clock between two of its values: a rising edge
    /// from `before` to `after`, a falling one, or either (`Both`).
    fn edge_between(&mut self, edge: Edge, before: Gid, after: Gid) -> Gid {
        match edge {
            Edge::Neg => {
                let low = self.g.not(after);
                self.g.and(before, low)
            }
            Edge::Both => self.g.binary(BinOp::Xor, before, after, Span::NONE),
            _ => {
                let was_low = self.g.not(before);
                self.g.and(was_low, after)
            }
        }
    }

    /// The register a clock made from one register reads: through
    /// connections, bit selects and inversions to the register's output
    /// (under an asynchronous control too). `None` for any other clock.
    fn reg_clock_reg(&self, g: Gid) -> Option<RegId> {
        let mut g = g;
        for _ in 0..1024 {
            match self.g.get(g) {
                G::Var(v) => {
                    let var = &self.net.vars[*v];
                    match var.drivers.as_slice() {
                        [d] if d.lo == 0 && d.width == var.ty.width => match d.kind {
                            DriverKind::Assign => g = d.value,
                            DriverKind::Reg => return self.reg_holding(*v),
                            _ => return None,
                        },
                        _ => return None,
                    }
                }
                G::Op(Op::Reg(id)) => return Some(*id),
                G::Op(Op::Slice { arg, .. }) | G::Op(Op::Unary(UnOp::Not, arg)) => g = *arg,
                _ => return None,
            }
        }
        None
    }

    /// The one register that holds all of signal `v`.
    fn reg_holding(&self, v: VarId) -> Option<RegId> {
        let width = self.net.vars[v].ty.width;
        self.net
            .regs
            .iter()
            .position(|r| r.holds == Some((v, 0)) && r.width == width)
            .map(|i| RegId(i as u32))
    }

    /// The value of a register-made clock (`reg_clock_reg`) after this
    /// tick's edges: its registers replaced by their (gated) next values.
    fn reg_clock_next(&mut self, g: Gid) -> Gid {
        match self.g.get(g).clone() {
            G::Var(v) => {
                let d = self.net.vars[v].drivers[0].clone();
                match (d.kind, self.reg_holding(v)) {
                    (DriverKind::Reg, Some(r)) => self.net.regs[r.index()].next,
                    _ => self.reg_clock_next(d.value),
                }
            }
            G::Op(Op::Reg(id)) => self.net.regs[id.index()].next,
            G::Op(Op::Slice { arg, lo }) => {
                let w = self.g.width(g);
                let a = self.reg_clock_next(arg);
                self.g.slice(a, lo, w)
            }
            G::Op(Op::Unary(UnOp::Not, arg)) => {
                let a = self.reg_clock_next(arg);
                self.g.not(a)
            }
            _ => g,
        }
    }

    /// Whether `v` is the clock or carries it unchanged (a clock port below the top).
    fn is_clock_alias(&self, mut v: VarId, clock: Option<VarId>) -> bool {
        let Some(c) = clock else { return false };
        for _ in 0..1024 {
            if v == c {
                return true;
            }
            let var = &self.net.vars[v];
            match var.drivers.as_slice() {
                [d] if d.kind == DriverKind::Assign && d.lo == 0 && d.width == var.ty.width => {
                    match self.g.get(d.value) {
                        G::Var(u) => v = *u,
                        _ => return false,
                    }
                }
                _ => return false,
            }
        }
        false
    }

    fn clock_source(&self, mut g: Gid, span: Span) -> Result<VarId> {
        for _ in 0..1024 {
            match self.g.get(g) {
                G::Var(v) => {
                    let var = &self.net.vars[*v];
                    // A top-level input, a testbench clock generator's
                    // signal, or a signal nothing drives and nothing
                    // initialises (a free clock: `logic clk;` in a top
                    // without ports).
                    if var.is_input
                        || (var.drivers.is_empty()
                            && (self.clk.clock_gens.contains(v)
                                || (!var.is_output && var.init.is_none())))
                    {
                        return Ok(*v);
                    }
                    match var.drivers.as_slice() {
                        [d] if d.kind == DriverKind::Assign
                            && d.lo == 0
                            && d.width == var.ty.width =>
                        {
                            g = d.value
                        }
                        _ => {
                            return Err(err_code(Code::Clock, span, format!("clock `{}` is not a top-level input (derived and gated clocks are not supported)", var.name)));
                        }
                    }
                }
                _ => {
                    return Err(err_code(
                        Code::Clock,
                        span,
                        "the clock must be a signal coming from a top-level input",
                    ))
                }
            }
        }
        Err(err_code(
            Code::Clock,
            span,
            "clock connection chain too long",
        ))
    }

    /// A signal's value: its drivers side by side, gaps reading 0.
    fn resolve_var(&mut self, em: &mut Emitter, v: VarId) -> Result<Gid> {
        if let Some(g) = em.var_value[v.index()] {
            return Ok(g);
        }
        let var = &self.net.vars[v];
        let width = var.ty.width;
        let mut ds = var.drivers.clone();
        // A variable several combinational blocks each set before reading
        // (`integer i` shared by `for` loops in several `always @*`): in an
        // event-driven simulator it holds whichever block ran last, so
        // outside those blocks its value is free, not a driver conflict.
        let shared_temp = ds.iter().filter(|d| d.temp).count() > 1;
        if shared_temp {
            ds.retain(|d| !d.temp);
            let (name, span) = (var.name.clone(), var.span);
            if !em.quiet {
                self.warn(
                    Code::SharedTemp,
                    span,
                    format!("`{name}` is set before use by several combinational blocks: outside them its value is free in formal and random in simulation"),
                );
            }
        }
        let var = &self.net.vars[v];
        ds.sort_by_key(|d| d.lo);
        for w in ds.windows(2) {
            if w[0].lo + w[0].width > w[1].lo {
                let name = var.name.clone();
                return Err(Diagnostic::error(
                    Code::MultipleDrivers,
                    w[1].span,
                    format!("multiple drivers for `{name}`"),
                )
                .with_label("second driver")
                .with_secondary(w[0].span, "also driven here")
                .into());
            }
        }
        // Undriven bits: (lo, width) ranges between the drivers.
        let mut gaps = Vec::new();
        let mut pos = 0u32;
        for d in &ds {
            if d.lo > pos {
                gaps.push((pos, d.lo - pos));
            }
            pos = d.lo + d.width;
        }
        if pos < width {
            gaps.push((pos, width - pos));
        }
        let var = &self.net.vars[v];
        // Registers that hold an initial value and are never written are constants.
        if let (true, Some(init)) = (ds.is_empty(), var.init.clone()) {
            let g = self.g.konst(init);
            em.var_value[v.index()] = Some(g);
            return Ok(g);
        }
        // Undriven bits are free inputs (`setundef -anyseq` in the Yosys flow):
        // reading them as 0 would hide every behaviour that needs another
        // value. Signals resolved only to be named (nothing reads them) keep 0.
        let pull = var.pull;
        // Bits of a variable with an initial value that nothing writes
        // keep that value (a struct member with a default value beside
        // written ones).
        let init = var.init.clone();
        let free_gaps =
            !gaps.is_empty() && !var.is_input && !em.quiet && pull.is_none() && init.is_none();
        if free_gaps && !shared_temp {
            let (name, span) = (var.name.clone(), var.span);
            let what = if ds.is_empty() {
                "never driven"
            } else {
                "only partly driven"
            };
            self.warn(
                Code::Undriven,
                span,
                format!("`{name}` is {what}: the undriven bits are a free input in formal and random in simulation"),
            );
        }
        let mut parts = Vec::new();
        let mut pos = 0u32;
        let mut gaps = gaps.into_iter().peekable();
        let mut ds = ds.into_iter().peekable();
        while pos < width {
            let gid = if gaps.peek().is_some_and(|&(lo, _)| lo == pos) {
                let (lo, w) = gaps.next().unwrap_or((pos, 0));
                if free_gaps {
                    let var = &self.net.vars[v];
                    let name = if w == width {
                        var.name.clone()
                    } else {
                        format!("{}[{}:{lo}]", var.name, lo + w - 1)
                    };
                    let span = var.span;
                    self.hidden_input(&mut em.b, &mut em.input_nodes, &name, w, false, span)
                } else if let Some(init) = &init {
                    self.g.konst(init.slice(lo, w))
                } else if pull == Some(true) {
                    self.g.konst(crate::bits::Bits::ones(w))
                } else {
                    self.g.zero(w)
                }
            } else {
                match ds.next() {
                    Some(d) => d.value,
                    None => break,
                }
            };
            pos += self.g.width(gid);
            parts.push(gid);
        }
        parts.reverse();
        let g = self.g.concat(parts);
        em.var_value[v.index()] = Some(g);
        Ok(g)
    }

    /// Bits `[lo + width - 1 : lo]` of the unpacked signal `v`, from its
    /// elements, each resolved on its own.
    fn lower_leaves(
        &mut self,
        em: &mut Emitter,
        v: VarId,
        lo: u32,
        width: u32,
        span: Span,
    ) -> Result<NodeId> {
        let leaves = self.net.vars[v].ty.leaves();
        let hi = lo + width;
        let mut parts = Vec::new();
        for (k, (_, llo, lw, _)) in leaves.iter().enumerate() {
            let (a, b) = (lo.max(*llo), hi.min(llo + lw));
            if a >= b {
                continue;
            }
            let n = self.lower_leaf(em, v, k, *llo, *lw)?;
            let piece = if a == *llo && b == llo + lw {
                n
            } else {
                em.b.node(
                    Op::Slice {
                        arg: n,
                        lo: a - llo,
                    },
                    b - a,
                    span,
                )
            };
            parts.push(piece);
        }
        if parts.len() == 1 {
            return Ok(parts[0]);
        }
        parts.reverse();
        Ok(em.b.node(Op::Concat(parts), width, span))
    }

    fn lower_leaf(
        &mut self,
        em: &mut Emitter,
        v: VarId,
        k: usize,
        lo: u32,
        width: u32,
    ) -> Result<NodeId> {
        if let Some(n) = em.leaf_map.get(&(v, k)) {
            return Ok(*n);
        }
        if em.leaf_visiting.contains(&(v, k)) {
            let leaves = self.net.vars[v].ty.leaves();
            let name = format!("{}{}", self.net.vars[v].name, leaves[k].0);
            return Err(Diagnostic::error(
                Code::CombLoop,
                self.net.vars[v].span,
                format!("combinational loop through `{name}`"),
            )
            .with_label("this element depends on itself within one cycle")
            .into());
        }
        em.leaf_visiting.push((v, k));
        let whole = self.resolve_var(em, v)?;
        let val = self.g.slice(whole, lo, width);
        let n = self.lower(em, val)?;
        em.leaf_visiting.pop();
        em.leaf_map.insert((v, k), n);
        Ok(n)
    }

    /// Bits `[lo + width - 1 : lo]` of signal `v`, lowered from the pieces
    /// of its drivers that cover them.
    fn lower_var_bits(
        &mut self,
        em: &mut Emitter,
        v: VarId,
        lo: u32,
        width: u32,
        span: Span,
    ) -> Result<NodeId> {
        if em.segs[v.index()].is_none() {
            let val = self.resolve_var(em, v)?;
            let mut pieces = Vec::new();
            self.flatten(val, &mut pieces);
            // A piece wired from other bits of the same signal
            // (`assign y = {y[1:0], a}`) is cut into bits, so only a bit
            // that reads itself is a loop.
            let mut cut = Vec::with_capacity(pieces.len());
            for p in pieces {
                let own = match self.g.get(p) {
                    G::Var(x) => *x == v,
                    G::Op(Op::Slice { arg, .. }) => {
                        matches!(self.g.get(*arg), G::Var(x) if *x == v)
                    }
                    _ => false,
                };
                let w = self.g.width(p);
                if own && w > 1 {
                    for b in (0..w).rev() {
                        cut.push(self.g.slice(p, b, 1));
                    }
                } else {
                    cut.push(p);
                }
            }
            let pieces = cut;
            let mut segs = Vec::new();
            let mut pos = 0;
            for p in pieces.into_iter().rev() {
                let w = self.g.width(p);
                segs.push(Seg {
                    lo: pos,
                    width: w,
                    value: p,
                    state: SegState::Todo,
                });
                pos += w;
            }
            em.segs[v.index()] = Some(segs);
        }
        let hi = lo + width;
        let mut parts = Vec::new(); // most significant first
        let n = em.segs[v.index()].as_ref().map_or(0, |s| s.len());
        for i in (0..n).rev() {
            let (s_lo, s_w, value, state) = {
                let s = &em.segs[v.index()].as_ref().expect("segments")[i];
                (s.lo, s.width, s.value, s.state)
            };
            let (a, b) = (s_lo.max(lo), (s_lo + s_w).min(hi));
            if a >= b {
                continue;
            }
            let node = match state {
                SegState::Done(n) => n,
                SegState::Visiting => return Err(self.loop_error(em, (v, s_lo, s_w), span)),
                SegState::Todo => {
                    em.segs[v.index()].as_mut().expect("segments")[i].state = SegState::Visiting;
                    em.stack.push((v, s_lo, s_w));
                    let n = self.lower(em, value)?;
                    em.stack.pop();
                    em.segs[v.index()].as_mut().expect("segments")[i].state = SegState::Done(n);
                    n
                }
            };
            parts.push(if a == s_lo && b == s_lo + s_w {
                node
            } else {
                em.b.slice(node, a - s_lo, b - a)
            });
        }
        Ok(if parts.len() == 1 {
            parts.pop().expect("one part")
        } else {
            em.b.concat(parts)
        })
    }

    /// The operands of nested concatenations, most significant first.
    fn flatten(&self, g: Gid, out: &mut Vec<Gid>) {
        match self.g.get(g) {
            G::Op(Op::Concat(parts)) => {
                for p in parts.clone() {
                    self.flatten(p, out);
                }
            }
            _ => out.push(g),
        }
    }

    fn loop_error(&self, em: &Emitter, at: (VarId, u32, u32), span: Span) -> crate::diag::Error {
        let v = at.0;
        let piece = |(x, lo, w): (VarId, u32, u32)| {
            let var = &self.net.vars[x];
            match (lo, w) {
                (0, w) if w == var.ty.width => var.name.clone(),
                (lo, 1) => format!("{}[{lo}]", var.name),
                (lo, w) => format!("{}[{}:{lo}]", var.name, lo + w - 1),
            }
        };
        let start = em.stack.iter().position(|x| *x == at).unwrap_or(0);
        let names: Vec<String> = em.stack[start..].iter().map(|x| piece(*x)).collect();
        let vspan = if self.net.vars[v].span == Span::NONE {
            span
        } else {
            self.net.vars[v].span
        };
        let mut e: crate::diag::Error = Diagnostic::error(
            Code::CombLoop,
            vspan,
            format!(
                "combinational loop: {} -> {}",
                names.join(" -> "),
                piece(at)
            ),
        )
        .with_label("this signal depends on itself within one cycle")
        .into();
        // The other signals of the loop, where they are declared.
        let mut seen = vec![vspan];
        for &(x, _, _) in &em.stack[start..] {
            let sp = self.net.vars[x].span;
            if !seen.contains(&sp) && seen.len() <= 8 {
                seen.push(sp);
                e = e.with_secondary(
                    sp,
                    format!("`{}` is part of the loop", self.net.vars[x].name),
                );
            }
        }
        e
    }

    /// Write graph node `g` (and everything it needs) into the IR.
    fn lower(&mut self, em: &mut Emitter, g: Gid) -> Result<NodeId> {
        // Resolving signals adds graph nodes (concatenations of drivers).
        if em.map.len() < self.g.len() {
            em.map.resize(self.g.len(), None);
        }
        if let Some(n) = em.map[g.index()] {
            return Ok(n);
        }
        let span = self.g.span(g);
        let width = self.g.width(g);
        // Reads of unpacked arrays and structs go element by element.
        let split = match self.g.get(g) {
            G::Var(v) if self.net.vars[*v].ty.is_unpacked() => Some((*v, 0)),
            G::Op(Op::Slice { arg, lo }) => match self.g.get(*arg) {
                G::Var(v) if self.net.vars[*v].ty.is_unpacked() => Some((*v, *lo)),
                _ => None,
            },
            _ => None,
        };
        if let Some((v, lo)) = split {
            let n = self.lower_leaves(em, v, lo, width, span)?;
            em.map[g.index()] = Some(n);
            return Ok(n);
        }
        let n = match self.g.get(g).clone() {
            G::Var(v) => {
                if Some(v) == em.clock_var {
                    let name = self.net.vars[v].name.clone();
                    return Err(err_code(Code::Clock, span, format!("the clock `{name}` is used as data: not supported (the clock is implicit in cycle semantics)")));
                }
                self.lower_var_bits(em, v, 0, width, span)?
            }
            G::Op(Op::Slice { arg, lo }) if matches!(self.g.get(arg), G::Var(_)) => {
                // Only the pieces of the signal this slice reads.
                let G::Var(v) = *self.g.get(arg) else {
                    unreachable!("matched above")
                };
                if Some(v) == em.clock_var {
                    let name = self.net.vars[v].name.clone();
                    return Err(err_code(Code::Clock, span, format!("the clock `{name}` is used as data: not supported (the clock is implicit in cycle semantics)")));
                }
                self.lower_var_bits(em, v, lo, width, span)?
            }
            G::Op(op) => match op {
                Op::Const(b) => em.b.konst(b),
                Op::Input(id) => em.input_nodes[id.index()],
                Op::Reg(id) => em.reg_nodes[id.index()],
                Op::MemRead { mem, addr } => {
                    let a = self.lower(em, addr)?;
                    em.b.mem_read(mem, a, span)
                }
                other => {
                    let mut ops = Vec::new();
                    for o in other.operands() {
                        ops.push(self.lower(em, o)?);
                    }
                    let mut it = ops.into_iter();
                    let mapped = other.map_operands(|_| it.next().expect("operand count"));
                    em.b.node(mapped, width, span)
                }
            },
        };
        em.map[g.index()] = Some(n);
        Ok(n)
    }
}
