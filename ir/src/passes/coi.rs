//! Cone of influence and dead-code removal.
//!
//! [`Cone`] is the analysis every engine shares: what some root nodes depend
//! on through any number of clock edges, following operands, register
//! `next` functions and, for every memory that is read, all of its write
//! ports. The solver encodes only a property's cone, coverage closure sizes
//! a point's cone, and [`coi`] cuts a design down to one.
//!
//! [`coi`] keeps only what the chosen roots depend on. Every input is kept,
//! in order, so traces keep their columns. Registers and memories outside
//! the cone are removed (ids renumbered, order kept); outputs and properties
//! not chosen are removed; names and branches survive only if their node
//! does.

use crate::netlist::{Design, MemId, Node, NodeId, Op, RegId};

/// The sequential cone of influence of some roots: every node, register,
/// memory and input they depend on, through any number of clock edges.
/// Each vector is indexed like the design's own.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cone {
    pub nodes: Vec<bool>,
    pub regs: Vec<bool>,
    pub mems: Vec<bool>,
    /// Inputs whose node is in the cone.
    pub inputs: Vec<bool>,
}

impl Cone {
    /// The empty cone of `d`.
    pub fn new(d: &Design) -> Cone {
        Cone {
            nodes: vec![false; d.nodes.len()],
            regs: vec![false; d.regs.len()],
            mems: vec![false; d.mems.len()],
            inputs: vec![false; d.inputs.len()],
        }
    }

    /// The cone of `roots`.
    pub fn of(d: &Design, roots: &[NodeId]) -> Cone {
        let mut c = Cone::new(d);
        c.add_nodes(d, roots.iter().copied());
        c
    }

    /// Add `roots` and everything they depend on.
    pub fn add_nodes(&mut self, d: &Design, roots: impl IntoIterator<Item = NodeId>) {
        self.walk(d, roots.into_iter().collect());
    }

    /// Add register `r` (its `next` function and what that depends on),
    /// whether or not a node of the cone reads it. Its own node is not
    /// added: [`Cone::add_nodes`] does that.
    pub fn add_reg(&mut self, d: &Design, r: RegId) {
        let mut work = Vec::new();
        self.mark_reg(d, r, &mut work);
        self.walk(d, work);
    }

    /// Add memory `m` (all of its write ports and what they depend on),
    /// whether or not a node of the cone reads it.
    pub fn add_mem(&mut self, d: &Design, m: MemId) {
        let mut work = Vec::new();
        self.mark_mem(d, m, &mut work);
        self.walk(d, work);
    }

    /// Registers in the cone.
    pub fn reg_count(&self) -> usize {
        self.regs.iter().filter(|x| **x).count()
    }

    /// The nodes of the cone, in index (topological) order.
    pub fn node_ids(&self) -> Vec<NodeId> {
        self.nodes
            .iter()
            .enumerate()
            .filter(|(_, k)| **k)
            .map(|(i, _)| NodeId(i as u32))
            .collect()
    }

    fn mark_reg(&mut self, d: &Design, r: RegId, work: &mut Vec<NodeId>) {
        if !std::mem::replace(&mut self.regs[r.index()], true) {
            work.push(d.regs[r.index()].next);
        }
    }

    fn mark_mem(&mut self, d: &Design, m: MemId, work: &mut Vec<NodeId>) {
        if !std::mem::replace(&mut self.mems[m.index()], true) {
            for w in &d.mems[m.index()].writes {
                work.extend([w.en, w.addr, w.data]);
            }
        }
    }

    fn walk(&mut self, d: &Design, mut work: Vec<NodeId>) {
        while let Some(n) = work.pop() {
            if std::mem::replace(&mut self.nodes[n.index()], true) {
                continue;
            }
            let op = &d.nodes[n.index()].op;
            match op {
                Op::Input(i) => self.inputs[i.index()] = true,
                Op::Reg(r) => self.mark_reg(d, *r, &mut work),
                Op::MemRead { mem, .. } => self.mark_mem(d, *mem, &mut work),
                _ => {}
            }
            work.extend(op.operands());
        }
    }
}

/// What [`coi`] keeps.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Root {
    /// The property at this index of `design.props`.
    Property(usize),
    /// The property with this name.
    PropertyNamed(String),
    /// The output with this name.
    Output(String),
    /// Everything [`Design::roots`] lists: all outputs, properties,
    /// registers, memories, branches and names.
    All,
}

/// Roots that name nothing in `design` (for the caller to report: [`coi`]
/// ignores them).
pub fn unknown_roots(design: &Design, roots: &[Root]) -> Vec<Root> {
    roots
        .iter()
        .filter(|r| match r {
            Root::Property(i) => *i >= design.props.len(),
            Root::PropertyNamed(n) => !design.props.iter().any(|p| &p.name == n),
            Root::Output(n) => !design.outputs.iter().any(|o| &o.name == n),
            Root::All => false,
        })
        .cloned()
        .collect()
}

/// Remove every node nobody uses ([`coi`] over [`Root::All`]).
pub fn dead_code(design: &Design) -> Design {
    coi(design, &[Root::All])
}

/// The part of `design` the chosen roots depend on.
pub fn coi(design: &Design, roots: &[Root]) -> Design {
    let all = roots.contains(&Root::All);
    let keep_prop: Vec<bool> = design
        .props
        .iter()
        .enumerate()
        .map(|(i, p)| {
            all || roots.iter().any(|r| match r {
                Root::Property(j) => *j == i,
                Root::PropertyNamed(n) => *n == p.name,
                _ => false,
            })
        })
        .collect();
    let keep_out: Vec<bool> = design
        .outputs
        .iter()
        .map(|o| all || roots.contains(&Root::Output(o.name.clone())))
        .collect();

    // Every input is kept (traces keep their columns); with `All`, every
    // register and memory too, even one nobody reads.
    let mut cone = Cone::new(design);
    cone.add_nodes(design, design.inputs.iter().map(|i| i.node));
    if all {
        for r in 0..design.regs.len() {
            cone.add_reg(design, RegId(r as u32));
        }
        for m in 0..design.mems.len() {
            cone.add_mem(design, MemId(m as u32));
        }
        cone.add_nodes(design, design.roots());
    } else {
        cone.add_nodes(
            design,
            design
                .props
                .iter()
                .zip(&keep_prop)
                .filter(|(_, k)| **k)
                .map(|(p, _)| p.node),
        );
        cone.add_nodes(
            design,
            design
                .outputs
                .iter()
                .zip(&keep_out)
                .filter(|(_, k)| **k)
                .map(|(o, _)| o.node),
        );
    }
    let Cone {
        nodes: mut live,
        regs: live_reg,
        mems: live_mem,
        ..
    } = cone;
    // A live register's own node is live (it may only be used by its next).
    for (i, r) in design.regs.iter().enumerate() {
        if live_reg[i] {
            debug_assert!(live[r.node.index()] || all);
            live[r.node.index()] = true;
        }
    }

    let reg_map = renumber(&live_reg);
    let mem_map = renumber(&live_mem);
    let mut nodes: Vec<Node> = Vec::new();
    let mut map: Vec<Option<NodeId>> = vec![None; design.nodes.len()];
    for (i, node) in design.nodes.iter().enumerate() {
        if !live[i] {
            continue;
        }
        // Operands of a live node are live and earlier, so already mapped.
        let op = node
            .op
            .map_operands(|a| map[a.index()].expect("operand of a live node is live"));
        let op = match op {
            Op::Reg(r) => Op::Reg(RegId(reg_map[r.index()].expect("live register"))),
            Op::MemRead { mem, addr } => Op::MemRead {
                mem: MemId(mem_map[mem.index()].expect("live memory")),
                addr,
            },
            op => op,
        };
        map[i] = Some(NodeId(nodes.len() as u32));
        nodes.push(Node {
            op,
            width: node.width,
            span: node.span,
        });
    }

    let m = |id: NodeId| map[id.index()];
    let live_of = |id: NodeId| m(id).expect("root is live");
    let mut d = Design {
        top: design.top.clone(),
        clock: design.clock.clone(),
        clock_inputs: design.clock_inputs.clone(),
        nodes,
        ..Design::default()
    };
    d.inputs = design
        .inputs
        .iter()
        .map(|i| {
            let mut i = i.clone();
            i.node = live_of(i.node);
            i
        })
        .collect();
    d.outputs = design
        .outputs
        .iter()
        .zip(&keep_out)
        .filter(|(_, k)| **k)
        .map(|(o, _)| {
            let mut o = o.clone();
            o.node = live_of(o.node);
            o
        })
        .collect();
    d.regs = design
        .regs
        .iter()
        .zip(&live_reg)
        .filter(|(_, k)| **k)
        .map(|(r, _)| {
            let mut r = r.clone();
            r.node = live_of(r.node);
            r.next = live_of(r.next);
            r
        })
        .collect();
    d.mems = design
        .mems
        .iter()
        .zip(&live_mem)
        .filter(|(_, k)| **k)
        .map(|(mem, _)| {
            let mut mem = mem.clone();
            for w in &mut mem.writes {
                w.en = live_of(w.en);
                w.addr = live_of(w.addr);
                w.data = live_of(w.data);
            }
            mem
        })
        .collect();
    d.props = design
        .props
        .iter()
        .zip(&keep_prop)
        .filter(|(_, k)| **k)
        .map(|(p, _)| {
            let mut p = p.clone();
            p.node = live_of(p.node);
            p
        })
        .collect();
    d.names = design
        .names
        .iter()
        .filter_map(|n| {
            let mut n = n.clone();
            n.node = m(n.node)?;
            Some(n)
        })
        .collect();
    d.branches = design
        .branches
        .iter()
        .filter_map(|b| {
            let mut b = b.clone();
            b.cond = m(b.cond)?;
            Some(b)
        })
        .collect();
    d
}

/// New dense indices for the kept entries.
fn renumber(keep: &[bool]) -> Vec<Option<u32>> {
    let mut n = 0u32;
    keep.iter()
        .map(|k| {
            k.then(|| {
                n += 1;
                n - 1
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bits::Bits;
    use crate::builder::Builder;
    use crate::netlist::{BinOp, PropKind, SignalKind, UnOp};
    use crate::source::Span;

    /// Two independent counters, one property and one output on each, and a
    /// memory read only by the second.
    fn two_cones() -> Design {
        let mut b = Builder::new("t");
        b.set_clock("clk");
        let en = b.input("en", 1, false, Span::NONE);
        let x = b.input("x", 4, false, Span::NONE);
        let (r1, q1) = b.reg("t.a", 4, Some(Bits::zero(4)), Span::NONE);
        let one = b.const_u64(4, 1);
        let inc = b.binary(BinOp::Add, q1, one);
        let n1 = b.mux(en, inc, q1);
        b.set_next(r1, n1);
        let (r2, q2) = b.reg("t.b", 4, None, Span::NONE);
        let m = b.memory("t.m", 4, 4, None, Span::NONE);
        let a = b.slice(q2, 0, 2);
        let rd = b.mem_read(m, a, Span::NONE);
        let n2 = b.binary(BinOp::Xor, rd, x);
        b.set_next(r2, n2);
        b.mem_write(m, en, a, x);
        let p1 = b.unary(UnOp::RedAnd, q1);
        b.property("t.p1", PropKind::Assert, p1, Span::NONE);
        let p2 = b.unary(UnOp::RedOr, q2);
        b.property("t.p2", PropKind::Cover, p2, Span::NONE);
        b.output("oa", q1, false, Span::NONE);
        b.output("ob", q2, false, Span::NONE);
        b.name("t.inc", inc, false, SignalKind::Wire);
        b.branch("if", en, Span::NONE);
        b.branch("?:", p2, Span::NONE);
        b.finish().unwrap()
    }

    #[test]
    fn keeps_only_the_chosen_property_cone() {
        let d = two_cones();
        let c = coi(&d, &[Root::PropertyNamed("t.p1".into())]);
        c.validate().unwrap();
        assert_eq!(c.inputs.len(), 2, "every input is kept");
        assert_eq!(c.regs.len(), 1);
        assert_eq!(c.regs[0].name, "t.a");
        assert!(c.mems.is_empty());
        assert!(c.outputs.is_empty());
        assert_eq!(c.props.len(), 1);
        assert_eq!(c.props[0].name, "t.p1");
        assert!(c.names.iter().any(|n| n.name == "t.inc"));
        assert_eq!(c.branches.len(), 1);
        assert_eq!(c.branches[0].label, "if");
    }

    #[test]
    fn memory_read_pulls_in_write_ports_and_registers() {
        let d = two_cones();
        let c = coi(&d, &[Root::Output("ob".into())]);
        c.validate().unwrap();
        assert_eq!(c.regs.len(), 1);
        assert_eq!(c.regs[0].name, "t.b");
        assert_eq!(c.mems.len(), 1);
        assert_eq!(c.mems[0].writes.len(), 1);
        assert_eq!(c.outputs.len(), 1);
        assert!(c.props.is_empty());
        assert!(!c.names.iter().any(|n| n.name == "t.inc"));
        let by_index = coi(&d, &[Root::Property(1)]);
        assert_eq!(by_index.regs.len(), 1);
        assert_eq!(by_index.mems.len(), 1);
    }

    #[test]
    fn dead_code_removes_unused_nodes_only() {
        let mut b = Builder::new("t");
        let x = b.input("x", 4, false, Span::NONE);
        let _unused = b.unary(UnOp::Not, x);
        let y = b.unary(UnOp::Neg, x);
        b.output("y", y, false, Span::NONE);
        let d = b.finish().unwrap();
        let c = dead_code(&d);
        c.validate().unwrap();
        assert_eq!(c.nodes.len(), 2);
        assert_eq!(
            c.node(c.outputs[0].node).op,
            Op::Unary(UnOp::Neg, NodeId(0))
        );
        assert_eq!(dead_code(&two_cones()), two_cones(), "nothing dead there");
    }

    #[test]
    fn cone_follows_registers_and_memories() {
        let mut b = Builder::new("t");
        let a = b.input("a", 4, false, Span::NONE);
        let unrelated = b.input("u", 4, false, Span::NONE);
        let (r, q) = b.reg("t.r", 4, None, Span::NONE);
        b.set_next(r, a);
        let m = b.memory("t.m", 4, 4, None, Span::NONE);
        let one = b.const_u64(1, 1);
        let addr = b.slice(q, 0, 2);
        b.mem_write(m, one, addr, a);
        let rd = b.mem_read(m, addr, Span::NONE);
        let (r2, q2) = b.reg("t.r2", 4, None, Span::NONE);
        b.set_next(r2, unrelated);
        let d = b.finish().unwrap();
        let c = Cone::of(&d, &[rd]);
        assert!(c.mems[0]);
        assert!(c.regs[0]);
        assert!(!c.regs[1]);
        assert!(c.inputs[0]);
        assert!(!c.inputs[1]);
        assert_eq!(c.reg_count(), 1);
        // The second register's node is not read by the cone.
        assert!(!c.nodes[q2.index()]);
        assert!(c.node_ids().windows(2).all(|w| w[0] < w[1]));
        assert_eq!(c.node_ids().len(), c.nodes.iter().filter(|k| **k).count());
    }

    #[test]
    fn unknown_roots_are_reported() {
        let d = two_cones();
        let bad = unknown_roots(
            &d,
            &[
                Root::Property(7),
                Root::PropertyNamed("t.p1".into()),
                Root::Output("nope".into()),
            ],
        );
        assert_eq!(bad, vec![Root::Property(7), Root::Output("nope".into())]);
    }
}
