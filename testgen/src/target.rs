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
