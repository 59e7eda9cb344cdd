//! `Builder`: constructs a [`Design`] node by node, keeping the IR's
//! invariants (topological order, widths). Used by the elaborator, the passes
//! and by tests that build designs by hand.

use crate::bits::Bits;
use crate::netlist::*;
use crate::source::Span;

#[derive(Default)]
pub struct Builder {
    d: Design,
    /// Registers whose `next` has not been given yet.
    pending_next: Vec<bool>,
}

impl Builder {
    pub fn new(top: &str) -> Builder {
        Builder {
            d: Design {
                top: top.to_string(),
                ..Design::default()
            },
            pending_next: Vec::new(),
        }
    }

    /// Continue building on a finished design (a pass that adds logic).
    pub fn extend(d: Design) -> Builder {
        let pending_next = vec![false; d.regs.len()];
        Builder { d, pending_next }
    }

    pub fn design(&self) -> &Design {
        &self.d
    }

    pub fn set_clock(&mut self, name: &str) {
        self.d.clock = Some(name.to_string());
    }

    /// Mark the input `name` as a clock of a design on a global clock.
    pub fn clock_input(&mut self, name: &str) {
        self.d.clock_inputs.push(name.to_string());
    }

    pub fn width(&self, n: NodeId) -> u32 {
        self.d.nodes[n.index()].width
    }

    /// Append a node. Panics on a width violation: that is a bug in the caller.
    pub fn node(&mut self, op: Op, width: u32, span: Span) -> NodeId {
        assert!(width >= 1, "zero-width node {op:?}");
        for a in op.operands() {
            assert!(a.index() < self.d.nodes.len(), "operand not yet built");
        }
        self.d.nodes.push(Node { op, width, span });
        NodeId(self.d.nodes.len() as u32 - 1)
    }

    pub fn konst(&mut self, b: Bits) -> NodeId {
        let w = b.width();
        self.node(Op::Const(b), w, Span::NONE)
    }

    pub fn const_u64(&mut self, width: u32, v: u64) -> NodeId {
        self.konst(Bits::from_u64(width, v))
    }

    pub fn input(&mut self, name: &str, width: u32, signed: bool, span: Span) -> NodeId {
        let id = InputId(self.d.inputs.len() as u32);
        let node = self.node(Op::Input(id), width, span);
        self.d.inputs.push(Input {
            name: name.to_string(),
            width,
            signed,
            node,
            span,
        });
        let hier = format!("{}.{name}", self.d.top);
        self.name(&hier, node, signed, SignalKind::Input);
        node
    }

    pub fn output(&mut self, name: &str, node: NodeId, signed: bool, span: Span) {
        let width = self.width(node);
        self.d.outputs.push(Output {
            name: name.to_string(),
            width,
            signed,
            node,
            span,
        });
    }

    /// A register; its `next` must be given with [`Builder::set_next`].
    pub fn reg(
        &mut self,
        name: &str,
        width: u32,
        init: Option<Bits>,
        span: Span,
    ) -> (RegId, NodeId) {
        let id = RegId(self.d.regs.len() as u32);
        let node = self.node(Op::Reg(id), width, span);
        self.d.regs.push(Reg {
            name: name.to_string(),
            width,
            signed: false,
            init,
            node,
            next: node,
            enum_values: Vec::new(),
            synthetic: false,
            span,
        });
        self.pending_next.push(true);
        (id, node)
    }

    pub fn reg_mut(&mut self, id: RegId) -> &mut Reg {
        &mut self.d.regs[id.index()]
    }

    pub fn set_next(&mut self, id: RegId, next: NodeId) {
        assert_eq!(
            self.width(next),
            self.d.regs[id.index()].width,
            "register next width"
        );
        self.d.regs[id.index()].next = next;
        self.pending_next[id.index()] = false;
    }

    pub fn memory(
        &mut self,
        name: &str,
        width: u32,
        depth: u64,
        init: Option<Vec<Bits>>,
        span: Span,
    ) -> MemId {
        self.d.mems.push(Memory {
            name: name.to_string(),
            width,
            depth,
            init,
            writes: Vec::new(),
            span,
        });
        MemId(self.d.mems.len() as u32 - 1)
    }

    pub fn mem_read(&mut self, mem: MemId, addr: NodeId, span: Span) -> NodeId {
        let w = self.d.mems[mem.index()].width;
        self.node(Op::MemRead { mem, addr }, w, span)
    }

    pub fn mem_write(&mut self, mem: MemId, en: NodeId, addr: NodeId, data: NodeId) {
        self.d.mems[mem.index()]
            .writes
            .push(MemWrite { en, addr, data });
    }

    pub fn mem_mut(&mut self, mem: MemId) -> &mut Memory {
        &mut self.d.mems[mem.index()]
    }

    pub fn property(&mut self, name: &str, kind: PropKind, node: NodeId, span: Span) {
        self.d.props.push(Property {
            name: name.to_string(),
            kind,
            node,
            span,
        });
    }

    pub fn branch(&mut self, label: &str, cond: NodeId, span: Span) {
        self.d.branches.push(Branch {
            label: label.to_string(),
            cond,
            span,
        });
    }

    pub fn name(&mut self, name: &str, node: NodeId, signed: bool, kind: SignalKind) {
        self.d.names.push(Named {
            name: name.to_string(),
            node,
            signed,
            kind,
        });
    }

    // ---- operators (widths checked by `finish`) ----

    pub fn unary(&mut self, op: UnOp, a: NodeId) -> NodeId {
        let w = match op {
            UnOp::Not | UnOp::Neg => self.width(a),
            _ => 1,
        };
        self.node(Op::Unary(op, a), w, Span::NONE)
    }

    pub fn binary(&mut self, op: BinOp, a: NodeId, b: NodeId) -> NodeId {
        let w = if op.is_compare() { 1 } else { self.width(a) };
        self.node(Op::Binary(op, a, b), w, Span::NONE)
    }

    pub fn mux(&mut self, sel: NodeId, t: NodeId, f: NodeId) -> NodeId {
        let w = self.width(t);
        self.node(Op::Mux { sel, t, f }, w, Span::NONE)
    }

    pub fn concat(&mut self, parts: Vec<NodeId>) -> NodeId {
        let w = parts.iter().map(|p| self.width(*p)).sum();
        self.node(Op::Concat(parts), w, Span::NONE)
    }

    pub fn slice(&mut self, arg: NodeId, lo: u32, width: u32) -> NodeId {
        self.node(Op::Slice { arg, lo }, width, Span::NONE)
    }

    pub fn zext(&mut self, a: NodeId, width: u32) -> NodeId {
        if self.width(a) == width {
            return a;
        }
        self.node(Op::Zext(a), width, Span::NONE)
    }

    pub fn sext(&mut self, a: NodeId, width: u32) -> NodeId {
        if self.width(a) == width {
            return a;
        }
        self.node(Op::Sext(a), width, Span::NONE)
    }

    /// Finish: every register has a `next`, and the design validates.
    pub fn finish(self) -> Result<Design, String> {
        if let Some(i) = self.pending_next.iter().position(|p| *p) {
            return Err(format!(
                "register {} has no next value",
                self.d.regs[i].name
            ));
        }
        self.d.validate()?;
        Ok(self.d)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counter_builds_and_validates() {
        let mut b = Builder::new("counter");
        b.set_clock("clk");
        let en = b.input("en", 1, false, Span::NONE);
        let (r, q) = b.reg("counter.count", 4, Some(Bits::zero(4)), Span::NONE);
        let one = b.const_u64(4, 1);
        let inc = b.binary(BinOp::Add, q, one);
        let next = b.mux(en, inc, q);
        b.set_next(r, next);
        b.output("count", q, false, Span::NONE);
        let d = b.finish().unwrap();
        assert_eq!(d.regs.len(), 1);
        assert_eq!(d.reg_bits(), 4);
    }

    #[test]
    fn missing_next_is_reported() {
        let mut b = Builder::new("t");
        b.reg("t.r", 2, None, Span::NONE);
        assert!(b.finish().is_err());
    }
}
