//! The last step: resolve every signal from its drivers, find the clock,
//! and write the working graph out as the IR in topological order.
//! Multiple drivers and combinational loops are reported here.

use super::graph::{Gid, G};
use super::{err, DriverKind, Elaborator};
use crate::builder::Builder;
use crate::diag::{Diagnostic, Result};
use crate::ir::{Design, InputId, NodeId, Op, SignalKind};
use crate::source::Span;

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
    stack: Vec<(u32, u32, u32)>,
    reg_nodes: Vec<NodeId>,
    input_nodes: Vec<NodeId>,
    clock_var: Option<u32>,
    /// Naming pass: signals resolved only to be named do not warn.
    quiet: bool,
}

impl<'a> Elaborator<'a> {
    pub(super) fn emit(&mut self) -> Result<Design> {
        let clock_var = self.find_clock()?;
        // Top-level inputs (all but the clock) become IR inputs.
        let mut b = Builder::new(&self.top_name);
        let mut input_nodes = Vec::new();
        let mut graph_inputs = Vec::new();
        for &v in &self.top_inputs.clone() {
            if Some(v) == clock_var {
                continue;
            }
            let var = &self.vars[v as usize];
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
            !self.regs.is_empty() || self.mems.iter().any(|m| !m.writes.is_empty()),
        ) {
            let name = self.vars[cv as usize]
                .name
                .rsplit('.')
                .next()
                .unwrap_or("clk")
                .to_string();
            b.set_clock(&name);
        }
        let mut reg_nodes = Vec::new();
        for r in &self.regs {
            let (_, node) = b.reg(&r.name, r.width, r.init.clone(), r.span);
            reg_nodes.push(node);
        }
        for m in &self.mems {
            b.memory(&m.name, m.elem.width, m.depth(), m.init.clone(), m.span);
        }
        let mut em = Emitter {
            b,
            map: vec![None; self.g.len()],
            segs: (0..self.vars.len()).map(|_| None).collect(),
            var_value: vec![None; self.vars.len()],
            stack: Vec::new(),
            reg_nodes,
            input_nodes,
            clock_var,
            quiet: false,
        };
        // Registers.
        for i in 0..self.regs.len() {
            let next = self.lower(&mut em, self.regs[i].next)?;
            em.b.set_next(crate::ir::RegId(i as u32), next);
            let r = em.b.reg_mut(crate::ir::RegId(i as u32));
            r.signed = self.regs[i].signed;
            r.enum_values = self.regs[i].enum_values.clone();
            r.synthetic = self.regs[i].synthetic;
        }
        // Memory write ports.
        for m in 0..self.mems.len() {
            for (en, addr, data) in self.mems[m].writes.clone() {
                let en = self.lower(&mut em, en)?;
                let addr = self.lower(&mut em, addr)?;
                let data = self.lower(&mut em, data)?;
                em.b.mem_write(crate::ir::MemId(m as u32), en, addr, data);
            }
        }
        // Outputs.
        for &v in &self.top_outputs.clone() {
            let var = &self.vars[v as usize];
            let short = var.name.rsplit('.').next().unwrap_or(&var.name).to_string();
            let (w, signed, span) = (var.ty.width, var.ty.signed, var.span);
            let g = self.g.var(v, w, span);
            let n = self.lower(&mut em, g)?;
            em.b.output(&short, n, signed, span);
        }
        // Properties and branches.
        for i in 0..self.props.len() {
            let n = self.lower(&mut em, self.props[i].node)?;
            let p = &self.props[i];
            em.b.property(&p.name, p.kind, n, p.span);
        }
        for i in 0..self.branches.len() {
            let n = self.lower(&mut em, self.branches[i].1)?;
            let (l, _, s) = &self.branches[i];
            em.b.branch(l, n, *s);
        }
        // Every signal under its hierarchical name (inputs are named by the builder).
        em.quiet = true;
        for v in 0..self.vars.len() as u32 {
            if self.vars[v as usize].is_input || self.is_clock_alias(v, em.clock_var) {
                continue;
            }
            let var = &self.vars[v as usize];
            let (w, signed, span) = (var.ty.width, var.ty.signed, var.span);
            let kind = if var.is_output {
                SignalKind::Output
            } else if var.drivers.iter().any(|d| d.kind == DriverKind::Reg) {
                SignalKind::Reg
            } else {
                SignalKind::Wire
            };
            let name = var.name.clone();
            let g = self.g.var(v, w, span);
            let n = self.lower(&mut em, g)?;
            em.b.name(&name, n, signed, kind);
        }
        em.b.finish().map_err(|e| {
            err(
                Span::NONE,
                format!("internal error: elaborated design is malformed: {e}"),
            )
        })
    }

    /// The one clock of the design: every clocked block's event must
    /// resolve (through port connections) to the same top-level input.
    fn find_clock(&mut self) -> Result<Option<u32>> {
        let mut found: Option<(u32, Span)> = None;
        for (g, span) in self.clocks.clone() {
            let v = self.clock_source(g, span)?;
            match found {
                None => found = Some((v, span)),
                Some((f, fspan)) if f != v => {
                    let (a, b) = (
                        self.vars[f as usize].name.clone(),
                        self.vars[v as usize].name.clone(),
                    );
                    return Err(Diagnostic::error(
                        span,
                        format!(
                            "more than one clock: `{b}` here, `{a}` at {}",
                            self.sources.describe(fspan)
                        ),
                    )
                    .with_label("second clock")
                    .with_note("verify models designs with a single rising-edge clock")
                    .into());
                }
                _ => {}
            }
        }
        Ok(found.map(|(v, _)| v))
    }

    /// Whether `v` is the clock or carries it unchanged (a clock port below the top).
    fn is_clock_alias(&self, mut v: u32, clock: Option<u32>) -> bool {
        let Some(c) = clock else { return false };
        for _ in 0..1024 {
            if v == c {
                return true;
            }
            let var = &self.vars[v as usize];
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

    fn clock_source(&self, mut g: Gid, span: Span) -> Result<u32> {
        for _ in 0..1024 {
            match self.g.get(g) {
                G::Var(v) => {
                    let var = &self.vars[*v as usize];
                    // A top-level input, a testbench clock generator's
                    // signal, or a signal nothing drives (a free clock).
                    if var.is_input
                        || (var.drivers.is_empty()
                            && (self.clock_gens.contains(v) || !var.is_output))
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
                            return Err(err(span, format!("clock `{}` is not a top-level input (derived and gated clocks are not supported)", var.name)));
                        }
                    }
                }
                _ => {
                    return Err(err(
                        span,
                        "the clock must be a signal coming from a top-level input",
                    ))
                }
            }
        }
        Err(err(span, "clock connection chain too long"))
    }

    /// A signal's value: its drivers side by side, gaps reading 0.
    fn resolve_var(&mut self, em: &mut Emitter, v: u32) -> Result<Gid> {
        if let Some(g) = em.var_value[v as usize] {
            return Ok(g);
        }
        let var = &self.vars[v as usize];
        let width = var.ty.width;
        let mut ds = var.drivers.clone();
        ds.sort_by_key(|d| d.lo);
        for w in ds.windows(2) {
            if w[0].lo + w[0].width > w[1].lo {
                let name = var.name.clone();
                let other = self.sources.describe(w[0].span);
                return Err(
                    Diagnostic::error(w[1].span, format!("multiple drivers for `{name}`"))
                        .with_label("second driver")
                        .with_note(format!("it is also driven at {other}"))
                        .into(),
                );
            }
        }
        let mut parts = Vec::new();
        let mut pos = 0u32;
        let mut gaps = false;
        for d in &ds {
            if d.lo > pos {
                parts.push(self.g.zero(d.lo - pos));
                gaps = true;
            }
            parts.push(d.value);
            pos = d.lo + d.width;
        }
        if pos < width {
            parts.push(self.g.zero(width - pos));
            gaps = true;
        }
        if gaps && !self.vars[v as usize].is_input && !em.quiet {
            let var = &self.vars[v as usize];
            let (name, span) = (var.name.clone(), var.span);
            let what = if ds.is_empty() {
                "never driven"
            } else {
                "only partly driven"
            };
            // Registers that hold an initial value and are never written are constants.
            if let (true, Some(init)) = (ds.is_empty(), var.init.clone()) {
                let g = self.g.konst(init);
                em.var_value[v as usize] = Some(g);
                return Ok(g);
            }
            self.warn(
                span,
                format!("`{name}` is {what}: the undriven bits read as 0"),
            );
        }
        parts.reverse();
        let g = self.g.concat(parts);
        em.var_value[v as usize] = Some(g);
        Ok(g)
    }

    /// Bits `[lo + width - 1 : lo]` of signal `v`, lowered from the pieces
    /// of its drivers that cover them.
    fn lower_var_bits(
        &mut self,
        em: &mut Emitter,
        v: u32,
        lo: u32,
        width: u32,
        span: Span,
    ) -> Result<NodeId> {
        if em.segs[v as usize].is_none() {
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
            em.segs[v as usize] = Some(segs);
        }
        let hi = lo + width;
        let mut parts = Vec::new(); // most significant first
        let n = em.segs[v as usize].as_ref().map_or(0, |s| s.len());
        for i in (0..n).rev() {
            let (s_lo, s_w, value, state) = {
                let s = &em.segs[v as usize].as_ref().expect("segments")[i];
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
                    em.segs[v as usize].as_mut().expect("segments")[i].state = SegState::Visiting;
                    em.stack.push((v, s_lo, s_w));
                    let n = self.lower(em, value)?;
                    em.stack.pop();
                    em.segs[v as usize].as_mut().expect("segments")[i].state = SegState::Done(n);
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

    fn loop_error(&self, em: &Emitter, at: (u32, u32, u32), span: Span) -> crate::diag::Error {
        let v = at.0;
        let piece = |(x, lo, w): (u32, u32, u32)| {
            let var = &self.vars[x as usize];
            match (lo, w) {
                (0, w) if w == var.ty.width => var.name.clone(),
                (lo, 1) => format!("{}[{lo}]", var.name),
                (lo, w) => format!("{}[{}:{lo}]", var.name, lo + w - 1),
            }
        };
        let start = em.stack.iter().position(|x| *x == at).unwrap_or(0);
        let names: Vec<String> = em.stack[start..].iter().map(|x| piece(*x)).collect();
        let vspan = if self.vars[v as usize].span == Span::NONE {
            span
        } else {
            self.vars[v as usize].span
        };
        Diagnostic::error(
            vspan,
            format!(
                "combinational loop: {} -> {}",
                names.join(" -> "),
                piece(at)
            ),
        )
        .with_label("this signal depends on itself within one cycle")
        .into()
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
        let n = match self.g.get(g).clone() {
            G::Var(v) => {
                if Some(v) == em.clock_var {
                    let name = self.vars[v as usize].name.clone();
                    return Err(err(span, format!("the clock `{name}` is used as data: not supported (the clock is implicit in cycle semantics)")));
                }
                self.lower_var_bits(em, v, 0, width, span)?
            }
            G::Op(Op::Slice { arg, lo }) if matches!(self.g.get(arg), G::Var(_)) => {
                // Only the pieces of the signal this slice reads.
                let G::Var(v) = *self.g.get(arg) else {
                    unreachable!("matched above")
                };
                if Some(v) == em.clock_var {
                    let name = self.vars[v as usize].name.clone();
                    return Err(err(span, format!("the clock `{name}` is used as data: not supported (the clock is implicit in cycle semantics)")));
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
