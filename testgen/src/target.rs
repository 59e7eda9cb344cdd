//! Coverage points as targets: each point of the simulator's coverage model
//! (in the simulator's order) with what it means in the IR, so the formal
//! engine can be asked to reach it (a `cover` property built on the design)
//! and the learned generator can be told what to aim at.

use ir::passes::Cone;
use ir::{BinOp, Design, Node, NodeId, Op, PropKind, Property, Reg, RegId, UnOp};
use ir::{Bits, Span};
use sim::coverage::PointKind;

/// What hitting a point means.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Goal {
    /// `Design::branches[i].cond` is 1.
    Branch(usize),
    /// Bit `bit` of register `reg` goes 0 -> 1 (`rise`) or 1 -> 0.
    Toggle { reg: usize, bit: u32, rise: bool },
    /// Register `reg` holds `value`.
    State { reg: usize, value: Bits },
    /// Register `reg` moves from `from` to `to` in one cycle.
    Transition { reg: usize, from: Bits, to: Bits },
    /// `Design::props[i]` (a cover) is hit.
    Cover(usize),
}

/// One coverage point as a target.
#[derive(Clone, Debug)]
pub struct Target {
    /// The simulator's point id.
    pub id: String,
    pub kind: PointKind,
    pub goal: Goal,
}

fn enum_value(r: &Reg, v: &Bits) -> Bits {
    v.zext(r.width.max(v.width())).slice(0, r.width)
}

/// Every coverage point of `d`, in the order of
/// `sim::CoverageCollector::finish` (the ids are the same).
pub fn targets(d: &Design) -> Vec<Target> {
    let mut t = Vec::new();
    for (i, b) in d.branches.iter().enumerate() {
        t.push(Target {
            id: format!("branch:{i}:{}", b.label),
            kind: PointKind::Branch,
            goal: Goal::Branch(i),
        });
    }
    for (ri, r) in d.regs.iter().enumerate().filter(|(_, r)| !r.synthetic) {
        for bit in 0..r.width {
            for (dir, rise) in [("rise", true), ("fall", false)] {
                t.push(Target {
                    id: format!("toggle:{}[{bit}]:{dir}", r.name),
                    kind: PointKind::Toggle,
                    goal: Goal::Toggle { reg: ri, bit, rise },
                });
            }
        }
    }
    let enums: Vec<usize> = (0..d.regs.len())
        .filter(|&i| !d.regs[i].enum_values.is_empty())
        .collect();
    for &ri in &enums {
        let r = &d.regs[ri];
        for v in &r.enum_values {
            t.push(Target {
                id: format!("state:{}={}", r.name, v.name),
                kind: PointKind::State,
                goal: Goal::State {
                    reg: ri,
                    value: enum_value(r, &v.value),
                },
            });
        }
    }
    for &ri in &enums {
        let r = &d.regs[ri];
        for a in &r.enum_values {
            for b in &r.enum_values {
                if a.name != b.name {
                    t.push(Target {
                        id: format!("transition:{}:{}->{}", r.name, a.name, b.name),
                        kind: PointKind::Transition,
                        goal: Goal::Transition {
                            reg: ri,
                            from: enum_value(r, &a.value),
                            to: enum_value(r, &b.value),
                        },
                    });
                }
            }
        }
    }
    for (i, p) in d.props.iter().enumerate() {
        if p.kind == PropKind::Cover {
            t.push(Target {
                id: format!("cover:{}", p.name),
                kind: PointKind::Cover,
                goal: Goal::Cover(i),
            });
        }
    }
    t
}

fn push(d: &mut Design, op: Op, width: u32) -> NodeId {
    d.nodes.push(Node {
        op,
        width,
        span: Span::NONE,
    });
    NodeId(d.nodes.len() as u32 - 1)
}

/// A synthetic register holding `next` delayed by one cycle; free at cycle 0.
fn delayed(d: &mut Design, name: &str, next: NodeId, init: Option<Bits>) -> NodeId {
    let width = d.nodes[next.index()].width;
    let id = RegId(d.regs.len() as u32);
    let node = push(d, Op::Reg(id), width);
    d.regs.push(Reg {
        name: name.to_string(),
        width,
        signed: false,
        init,
        node,
        next,
        enum_values: Vec::new(),
        synthetic: true,
        span: Span::NONE,
    });
    node
}

/// 1 from the second sampled cycle on (coverage compares a cycle with the
/// one before, so toggles and transitions cannot happen in cycle 0).
fn started(d: &mut Design) -> NodeId {
    let one = push(d, Op::Const(Bits::from_u64(1, 1)), 1);
    delayed(d, "__closure.started", one, Some(Bits::zero(1)))
}

/// The name of the cover property [`cover_design`] adds.
pub const TARGET_PROP: &str = "__closure.target";

/// `d` with one more `cover` property that is hit exactly when the point is
/// hit; returns the design and the property's index. The added registers
/// are synthetic (named `__closure.*`): strip them from witnesses' `init`.
pub fn cover_design(d: &Design, goal: &Goal) -> (Design, usize) {
    let mut d = d.clone();
    let hit = match goal {
        Goal::Branch(i) => d.branches[*i].cond,
        Goal::Cover(p) => d.props[*p].node,
        Goal::State { reg, value } => {
            let q = d.regs[*reg].node;
            let c = push(&mut d, Op::Const(value.clone()), value.width());
            push(&mut d, Op::Binary(BinOp::Eq, q, c), 1)
        }
        Goal::Toggle { reg, bit, rise } => {
            let q = d.regs[*reg].node;
            let cur = push(&mut d, Op::Slice { arg: q, lo: *bit }, 1);
            let prev = delayed(&mut d, "__closure.prev", cur, None);
            let st = started(&mut d);
            let (one, zero) = if *rise { (cur, prev) } else { (prev, cur) };
            let nz = push(&mut d, Op::Unary(UnOp::Not, zero), 1);
            let a = push(&mut d, Op::Binary(BinOp::And, one, nz), 1);
            push(&mut d, Op::Binary(BinOp::And, a, st), 1)
        }
        Goal::Transition { reg, from, to } => {
            let q = d.regs[*reg].node;
            let prev = delayed(&mut d, "__closure.prev", q, None);
            let st = started(&mut d);
            let cf = push(&mut d, Op::Const(from.clone()), from.width());
            let ct = push(&mut d, Op::Const(to.clone()), to.width());
            let was = push(&mut d, Op::Binary(BinOp::Eq, prev, cf), 1);
            let is = push(&mut d, Op::Binary(BinOp::Eq, q, ct), 1);
            let a = push(&mut d, Op::Binary(BinOp::And, was, is), 1);
            push(&mut d, Op::Binary(BinOp::And, a, st), 1)
        }
    };
    d.props.push(Property {
        name: TARGET_PROP.to_string(),
        kind: PropKind::Cover,
        node: hit,
        span: Span::NONE,
    });
    let p = d.props.len() - 1;
    (d, p)
}

/// The sequential cone of influence of the point's node: every node the
/// solver must encode (the [`Cone`] it builds for the point), in index
/// order. Its size is the "cost" the closure run uses to give formal the
/// cheap points first.
pub fn cone(d: &Design, goal: &Goal) -> Vec<NodeId> {
    Cone::of(d, &[root(d, goal)]).node_ids()
}

/// The node whose cone is the point's [`cone`] (every point of one
/// register shares it: a caller sizing many points computes it once).
pub fn root(d: &Design, goal: &Goal) -> NodeId {
    match goal {
        Goal::Branch(i) => d.branches[*i].cond,
        Goal::Cover(p) => d.props[*p].node,
        Goal::State { reg, .. } | Goal::Toggle { reg, .. } | Goal::Transition { reg, .. } => {
            d.regs[*reg].node
        }
    }
}

/// The widest compare of input bits against a constant in the point's
/// cone (0 if none): uniform stimulus meets a w-bit constant with
/// probability 2^-w per cycle, so a point behind a wide one is hard for
/// simulation and cheap for a solver.
pub fn widest_input_compare(d: &Design, goal: &Goal) -> u32 {
    widest_compare_in(d, &cone(d, goal))
}

/// [`widest_input_compare`] over a cone already computed.
pub fn widest_compare_in(d: &Design, cone: &[NodeId]) -> u32 {
    cone.iter()
        .map(|&n| crate::dict::compare_input_bits(d, n))
        .max()
        .unwrap_or(0)
}

/// What closure needs of a point's [`cone`]: its size, its
/// [`widest_compare_in`] and its registers (`novelty::regs_of`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConeSummary {
    pub size: usize,
    pub widest_compare: u32,
    pub regs: Vec<u32>,
}

/// [`ConeSummary`] of many roots of one design, sharing the work: the
/// design's dependency edges (operands, a register's next value, a read
/// memory's write ports: what [`Cone`] follows) are listed once, each
/// node's compare width is computed once, and every walk reuses one
/// visited stamp instead of a fresh cone. Roots of one strongly connected
/// component (registers feeding each other) reach the same nodes, so
/// they share one walk. The same figures as [`cone`] (tested), which
/// walks each point's cone on its own: on the 5,000-line benchmark design
/// its 1,495 distinct cones were a fifth of a short closure run.
pub struct ConeSizer<'d> {
    d: &'d Design,
    /// Successors of node `i`: `succ[start[i]..start[i + 1]]`.
    start: Vec<u32>,
    succ: Vec<u32>,
    compare: Vec<u32>,
    /// Per node, its strongly connected component.
    scc: Vec<u32>,
    /// Per component, its summary once walked.
    done: Vec<Option<ConeSummary>>,
    stamp: Vec<u32>,
    epoch: u32,
    work: Vec<u32>,
}

impl<'d> ConeSizer<'d> {
    pub fn new(d: &'d Design) -> ConeSizer<'d> {
        let n = d.nodes.len();
        let mut start = Vec::with_capacity(n + 1);
        let mut succ = Vec::new();
        for node in &d.nodes {
            start.push(succ.len() as u32);
            match &node.op {
                Op::Reg(r) => succ.push(d.regs[r.index()].next.0),
                Op::MemRead { mem, .. } => {
                    for w in &d.mems[mem.index()].writes {
                        succ.extend([w.en.0, w.addr.0, w.data.0]);
                    }
                }
                _ => {}
            }
            succ.extend(node.op.operands().iter().map(|a| a.0));
        }
        start.push(succ.len() as u32);
        let compare = (0..n)
            .map(|i| crate::dict::compare_input_bits(d, NodeId(i as u32)))
            .collect();
        let scc = components(&start, &succ);
        let comps = scc.iter().map(|&c| c as usize + 1).max().unwrap_or(0);
        ConeSizer {
            d,
            start,
            succ,
            compare,
            scc,
            done: vec![None; comps],
            stamp: vec![0; n],
            epoch: 0,
            work: Vec::new(),
        }
    }

    /// The summary of the cone of `root`.
    pub fn summary(&mut self, root: NodeId) -> ConeSummary {
        let c = self.scc[root.index()] as usize;
        if let Some(s) = &self.done[c] {
            return s.clone();
        }
        self.epoch += 1;
        let e = self.epoch;
        let mut s = ConeSummary {
            size: 0,
            widest_compare: 0,
            regs: Vec::new(),
        };
        self.work.clear();
        self.work.push(root.0);
        while let Some(i) = self.work.pop() {
            let i = i as usize;
            if std::mem::replace(&mut self.stamp[i], e) == e {
                continue;
            }
            s.size += 1;
            s.widest_compare = s.widest_compare.max(self.compare[i]);
            if let Op::Reg(r) = self.d.nodes[i].op {
                s.regs.push(r.0);
            }
            let (a, b) = (self.start[i] as usize, self.start[i + 1] as usize);
            self.work.extend_from_slice(&self.succ[a..b]);
        }
        s.regs.sort_unstable();
        s.regs.dedup();
        // A root outside any cycle is its own component: nothing else
        // shares its cone, so it need not be kept.
        if self.in_cycle(root.index()) {
            self.done[c] = Some(s.clone());
        }
        s
    }

    /// Whether node `i`'s component is a cycle (more than one node, or a
    /// node reading itself), whose members all reach the same nodes.
    fn in_cycle(&self, i: usize) -> bool {
        let c = self.scc[i];
        let (a, b) = (self.start[i] as usize, self.start[i + 1] as usize);
        self.succ[a..b].iter().any(|&j| self.scc[j as usize] == c)
    }
}

/// The strongly connected component of every node of the graph whose
/// successors of `i` are `succ[start[i]..start[i + 1]]` (Tarjan's
/// algorithm, iterative: a design's dependency chains can be deeper than
/// the stack).
fn components(start: &[u32], succ: &[u32]) -> Vec<u32> {
    const UNSEEN: u32 = u32::MAX;
    let n = start.len() - 1;
    let mut index = vec![UNSEEN; n];
    let mut low = vec![0u32; n];
    let mut on_stack = vec![false; n];
    let mut comp = vec![UNSEEN; n];
    let mut stack: Vec<u32> = Vec::new();
    // (node, next successor position to look at)
    let mut call: Vec<(u32, u32)> = Vec::new();
    let (mut next_index, mut next_comp) = (0u32, 0u32);
    for root in 0..n {
        if index[root] != UNSEEN {
            continue;
        }
        call.push((root as u32, start[root]));
        index[root] = next_index;
        low[root] = next_index;
        next_index += 1;
        stack.push(root as u32);
        on_stack[root] = true;
        while let Some(&mut (v, ref mut pos)) = call.last_mut() {
            let v = v as usize;
            if *pos < start[v + 1] {
                let w = succ[*pos as usize] as usize;
                *pos += 1;
                if index[w] == UNSEEN {
                    index[w] = next_index;
                    low[w] = next_index;
                    next_index += 1;
                    stack.push(w as u32);
                    on_stack[w] = true;
                    call.push((w as u32, start[w]));
                } else if on_stack[w] {
                    low[v] = low[v].min(index[w]);
                }
                continue;
            }
            call.pop();
            if let Some(&(u, _)) = call.last() {
                let u = u as usize;
                low[u] = low[u].min(low[v]);
            }
            if low[v] == index[v] {
                loop {
                    let w = stack.pop().expect("v is on the stack") as usize;
                    on_stack[w] = false;
                    comp[w] = next_comp;
                    if w == v {
                        break;
                    }
                }
                next_comp += 1;
            }
        }
    }
    comp
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The shared walks give every point what its own cone gives.
    #[test]
    fn cone_sizer_matches_each_cone() {
        let d = rtl::compile_text(
            "m.sv",
            "module m(input clk, input [7:0] a, input [3:0] k, output [7:0] o); \
             reg [7:0] x, y, z, acc; reg [1:0] st; reg [7:0] mem [0:3]; \
             always @(posedge clk) begin \
               x <= y + a; y <= x ^ 8'h5a; z <= z + 1; \
               if (a == 8'hC3) acc <= acc + mem[k[1:0]]; \
               if (k == 4'd9) mem[a[1:0]] <= x; \
               case (st) 0: if (a[0]) st <= 1; 1: st <= 2; default: st <= 0; endcase \
             end \
             assign o = acc & z; endmodule",
            rtl::elab::ElabOptions::default(),
        )
        .result
        .unwrap()
        .design;
        let mut sizer = ConeSizer::new(&d);
        let tg = targets(&d);
        assert!(tg.len() > 20);
        for t in &tg {
            let c = cone(&d, &t.goal);
            let want = ConeSummary {
                size: c.len(),
                widest_compare: widest_compare_in(&d, &c),
                regs: crate::novelty::regs_of(&d, &c),
            };
            assert_eq!(sizer.summary(root(&d, &t.goal)), want, "{}", t.id);
        }
    }
}
