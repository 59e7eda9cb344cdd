//! The IR: a flat, typed, word-level netlist with one implicit clock.
//!
//! Invariants (checked by [`Design::validate`]):
//! - `nodes` is in topological order: every operand of node `i` has an index `< i`;
//! - leaves are constants, inputs, register outputs and memory reads (a memory
//!   read's address is an operand);
//! - operand widths agree with the operator (see [`Op`]); widths are >= 1;
//! - registers and memory write ports refer back to nodes (that is the only
//!   place cycles close, through the clock edge).
//!
//! Semantics of one cycle (shared by both engines; this is its definition):
//! inputs take their value, nodes settle in order, outputs and properties are
//! sampled, then on the clock edge every register takes its `next` value and
//! every memory write port with `en == 1` writes (later ports win).

use crate::bits::Bits;
use crate::source::Span;
use serde::{Deserialize, Serialize};

macro_rules! id {
    ($name:ident) => {
        #[derive(
            Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
        )]
        pub struct $name(pub u32);
        impl $name {
            pub fn index(self) -> usize {
                self.0 as usize
            }
        }
    };
}
id!(NodeId);
id!(InputId);
id!(RegId);
id!(MemId);

/// Two-operand operators.
///
/// Arithmetic and bitwise: both operands and the result have one width.
/// Shifts: the result has the left operand's width; the amount is unsigned, of
/// any width; amounts `>= width` shift everything out (`Ashr` fills with the
/// sign). Comparisons: operands of one width, 1-bit result. Division and
/// remainder by zero give 0 (the two-state convention Verilator uses).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum BinOp {
    Add,
    Sub,
    Mul,
    Udiv,
    Urem,
    Sdiv,
    Srem,
    And,
    Or,
    Xor,
    Shl,
    Lshr,
    Ashr,
    Eq,
    Ne,
    Ult,
    Ule,
    Slt,
    Sle,
}

impl BinOp {
    /// Every operator, for tests that sweep them.
    pub const ALL: [BinOp; 19] = [
        BinOp::Add,
        BinOp::Sub,
        BinOp::Mul,
        BinOp::Udiv,
        BinOp::Urem,
        BinOp::Sdiv,
        BinOp::Srem,
        BinOp::And,
        BinOp::Or,
        BinOp::Xor,
        BinOp::Shl,
        BinOp::Lshr,
        BinOp::Ashr,
        BinOp::Eq,
        BinOp::Ne,
        BinOp::Ult,
        BinOp::Ule,
        BinOp::Slt,
        BinOp::Sle,
    ];

    pub fn is_compare(self) -> bool {
        matches!(
            self,
            BinOp::Eq | BinOp::Ne | BinOp::Ult | BinOp::Ule | BinOp::Slt | BinOp::Sle
        )
    }

    pub fn is_shift(self) -> bool {
        matches!(self, BinOp::Shl | BinOp::Lshr | BinOp::Ashr)
    }

    pub fn is_commutative(self) -> bool {
        matches!(
            self,
            BinOp::Add | BinOp::Mul | BinOp::And | BinOp::Or | BinOp::Xor | BinOp::Eq | BinOp::Ne
        )
    }

    pub fn name(self) -> &'static str {
        match self {
            BinOp::Add => "add",
            BinOp::Sub => "sub",
            BinOp::Mul => "mul",
            BinOp::Udiv => "udiv",
            BinOp::Urem => "urem",
            BinOp::Sdiv => "sdiv",
            BinOp::Srem => "srem",
            BinOp::And => "and",
            BinOp::Or => "or",
            BinOp::Xor => "xor",
            BinOp::Shl => "shl",
            BinOp::Lshr => "lshr",
            BinOp::Ashr => "ashr",
            BinOp::Eq => "eq",
            BinOp::Ne => "ne",
            BinOp::Ult => "ult",
            BinOp::Ule => "ule",
            BinOp::Slt => "slt",
            BinOp::Sle => "sle",
        }
    }
}

/// One-operand operators. `Not`/`Neg` keep the width; reductions give 1 bit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum UnOp {
    Not,
    Neg,
    RedAnd,
    RedOr,
    RedXor,
}

impl UnOp {
    pub fn name(self) -> &'static str {
        match self {
            UnOp::Not => "not",
            UnOp::Neg => "neg",
            UnOp::RedAnd => "redand",
            UnOp::RedOr => "redor",
            UnOp::RedXor => "redxor",
        }
    }
}

/// What a node computes. The node's own `width` is the result width.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Op {
    Const(Bits),
    Input(InputId),
    /// The current (pre-edge) value of a register.
    Reg(RegId),
    /// Asynchronous read of a memory word; out-of-range addresses read 0.
    MemRead {
        mem: MemId,
        addr: NodeId,
    },
    Unary(UnOp, NodeId),
    Binary(BinOp, NodeId, NodeId),
    /// `sel` is 1 bit; `t` and `f` have the node's width.
    Mux {
        sel: NodeId,
        t: NodeId,
        f: NodeId,
    },
    /// Operands most significant first; widths add up to the node's width.
    Concat(Vec<NodeId>),
    /// Bits `[lo + width - 1 : lo]` of `arg` (must lie inside `arg`).
    Slice {
        arg: NodeId,
        lo: u32,
    },
    /// Zero extension to the node's width (>= operand width).
    Zext(NodeId),
    /// Sign extension to the node's width (>= operand width).
    Sext(NodeId),
}

impl Op {
    /// Operands in order (the memory-read address counts as one).
    pub fn operands(&self) -> Vec<NodeId> {
        match self {
            Op::Const(_) | Op::Input(_) | Op::Reg(_) => vec![],
            Op::MemRead { addr, .. } => vec![*addr],
            Op::Unary(_, a) | Op::Slice { arg: a, .. } | Op::Zext(a) | Op::Sext(a) => vec![*a],
            Op::Binary(_, a, b) => vec![*a, *b],
            Op::Mux { sel, t, f } => vec![*sel, *t, *f],
            Op::Concat(v) => v.clone(),
        }
    }

    /// Rewrite every operand through `f`.
    pub fn map_operands(&self, mut f: impl FnMut(NodeId) -> NodeId) -> Op {
        match self {
            Op::Const(_) | Op::Input(_) | Op::Reg(_) => self.clone(),
            Op::MemRead { mem, addr } => Op::MemRead {
                mem: *mem,
                addr: f(*addr),
            },
            Op::Unary(o, a) => Op::Unary(*o, f(*a)),
            Op::Binary(o, a, b) => Op::Binary(*o, f(*a), f(*b)),
            Op::Mux { sel, t, f: e } => Op::Mux {
                sel: f(*sel),
                t: f(*t),
                f: f(*e),
            },
            Op::Concat(v) => Op::Concat(v.iter().map(|x| f(*x)).collect()),
            Op::Slice { arg, lo } => Op::Slice {
                arg: f(*arg),
                lo: *lo,
            },
            Op::Zext(a) => Op::Zext(f(*a)),
            Op::Sext(a) => Op::Sext(f(*a)),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Node {
    pub op: Op,
    pub width: u32,
    /// Where in the source this value comes from (may be [`Span::NONE`]).
    pub span: Span,
}

/// A top-level input port (the clock is not one: it is implicit).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Input {
    pub name: String,
    pub width: u32,
    pub signed: bool,
    /// The `Op::Input` node that reads it.
    pub node: NodeId,
    pub span: Span,
}

/// A top-level output port and the node that drives it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Output {
    pub name: String,
    pub width: u32,
    pub signed: bool,
    pub node: NodeId,
    pub span: Span,
}

/// A named enum value, for FSM coverage and waveforms.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnumValue {
    pub name: String,
    pub value: Bits,
}

/// A register, updated on every clock edge.
///
/// Resets are already part of `next` (a priority mux). An asynchronous reset
/// also forces the register's visible value while it is asserted: the
/// elaborator puts that mux between `Op::Reg` and the readers, so the engines
/// see only plain registers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reg {
    /// Hierarchical name (`top.u_fifo.count`).
    pub name: String,
    pub width: u32,
    pub signed: bool,
    /// The value at cycle 0; `None` = unconstrained (free in formal, seeded
    /// random in simulation, zero with `--init zero`).
    pub init: Option<Bits>,
    /// The `Op::Reg` node that reads the current value.
    pub node: NodeId,
    /// The value after the clock edge.
    pub next: NodeId,
    /// Values of the enum type the register was declared with, if any.
    pub enum_values: Vec<EnumValue>,
    /// True for registers the elaborator made (monitors, `$past`): hidden from coverage.
    pub synthetic: bool,
    pub span: Span,
}

/// A memory write port: on the clock edge, if `en`, `mem[addr] = data`.
/// Out-of-range addresses write nothing.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemWrite {
    pub en: NodeId,
    pub addr: NodeId,
    pub data: NodeId,
}

/// An unpacked array of words (`logic [W-1:0] m [0:D-1]`), indexed from 0.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Memory {
    pub name: String,
    pub width: u32,
    pub depth: u64,
    /// Initial contents (from `initial` or `$readmemh`); `None` = unconstrained.
    /// Words not given by the file are zero.
    pub init: Option<Vec<Bits>>,
    /// In priority order: a later port wins when two write one address.
    pub writes: Vec<MemWrite>,
    pub span: Span,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PropKind {
    Assert,
    Assume,
    Cover,
    /// An `assert` of a liveness property (`s_eventually`, `strong`, ...).
    /// Its node is 1 in each cycle where an obligation is outstanding; it is
    /// violated by an infinite run on which the node stays 1 from some
    /// cycle on (in formal, a lasso). A finite run cannot violate it: one
    /// that ends with the node at 1 leaves it "not yet satisfied".
    Live,
    /// An `assume` of a liveness property: a fairness constraint. Formal
    /// considers only infinite runs on which its node (as for `Live`) is 0
    /// infinitely often; safety checks and simulation do not use it.
    Fair,
}

impl PropKind {
    /// The SystemVerilog keyword of the assertion.
    pub fn name(self) -> &'static str {
        match self {
            PropKind::Assert | PropKind::Live => "assert",
            PropKind::Assume | PropKind::Fair => "assume",
            PropKind::Cover => "cover",
        }
    }

    /// True for the liveness kinds (`Live`, `Fair`), whose node means
    /// "obligation outstanding", not "violated" or "hit".
    pub fn is_liveness(self) -> bool {
        matches!(self, PropKind::Live | PropKind::Fair)
    }
}

/// A property, already compiled to one boolean node.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Property {
    /// The label if the user gave one, else a generated `<scope>.<kind>@<line>`.
    pub name: String,
    pub kind: PropKind,
    /// 1-bit. For `assert` and `assume`: 1 when the property is violated in
    /// this cycle ("bad"). For `cover`: 1 when it is hit. For `live` and
    /// `fair`: 1 while an obligation is outstanding ("pending").
    pub node: NodeId,
    pub span: Span,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SignalKind {
    Input,
    Output,
    Reg,
    Wire,
}

/// A named value for waveforms and reports (every declared signal that
/// survives elaboration, under its hierarchical name).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Named {
    pub name: String,
    pub node: NodeId,
    pub signed: bool,
    pub kind: SignalKind,
}

/// A branch of an `if`, `case` arm or `?:`, for branch coverage: `cond` is 1
/// in a cycle where that branch is taken.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Branch {
    /// `if`, `else`, `case`, `default`, `?:` ... as written.
    pub label: String,
    pub cond: NodeId,
    pub span: Span,
}

/// The elaborated design.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Design {
    /// Name of the top module.
    pub top: String,
    /// Name of the clock input, if the design has registers or memories.
    /// With several clocks (or a falling edge) it is the global clock, a
    /// tick of the fastest time base (`global_clock`), and the design's
    /// clocks are inputs listed in `clock_inputs`.
    pub clock: Option<String>,
    /// Inputs that are clocks of a design run on a global clock (each
    /// register updates on an edge of its own): free in formal, driven by
    /// a schedule of edges in simulation.
    #[serde(default)]
    pub clock_inputs: Vec<String>,
    pub nodes: Vec<Node>,
    pub inputs: Vec<Input>,
    pub outputs: Vec<Output>,
    pub regs: Vec<Reg>,
    pub mems: Vec<Memory>,
    pub props: Vec<Property>,
    pub names: Vec<Named>,
    pub branches: Vec<Branch>,
}

impl Design {
    pub fn node(&self, id: NodeId) -> &Node {
        &self.nodes[id.index()]
    }

    pub fn width(&self, id: NodeId) -> u32 {
        self.nodes[id.index()].width
    }

    /// Total bits held in registers.
    pub fn reg_bits(&self) -> u64 {
        self.regs.iter().map(|r| r.width as u64).sum()
    }

    /// Every node the engines must keep: outputs, register next values,
    /// memory write ports, properties, branch conditions and named signals.
    pub fn roots(&self) -> Vec<NodeId> {
        let mut r: Vec<NodeId> = Vec::new();
        r.extend(self.outputs.iter().map(|o| o.node));
        for reg in &self.regs {
            r.push(reg.node);
            r.push(reg.next);
        }
        for m in &self.mems {
            for w in &m.writes {
                r.extend([w.en, w.addr, w.data]);
            }
        }
        r.extend(self.props.iter().map(|p| p.node));
        r.extend(self.branches.iter().map(|b| b.cond));
        r.extend(self.names.iter().map(|n| n.node));
        r.extend(self.inputs.iter().map(|i| i.node));
        r
    }

    /// Check the structural invariants listed at the top of this module.
    /// A failure is a bug in whatever produced the design.
    pub fn validate(&self) -> Result<(), String> {
        let n = self.nodes.len();
        let chk = |id: NodeId, what: &str| -> Result<(), String> {
            if id.index() < n {
                Ok(())
            } else {
                Err(format!("{what}: node {} out of range", id.0))
            }
        };
        for (i, node) in self.nodes.iter().enumerate() {
            let w = node.width;
            if w == 0 {
                return Err(format!("node {i} has width 0"));
            }
            for a in node.op.operands() {
                if a.index() >= i {
                    return Err(format!("node {i} uses node {} (not topological)", a.0));
                }
            }
            let wd = |id: NodeId| self.nodes[id.index()].width;
            let ok = match &node.op {
                Op::Const(b) => b.width() == w,
                Op::Input(id) => self.inputs.get(id.index()).is_some_and(|p| p.width == w),
                Op::Reg(id) => self.regs.get(id.index()).is_some_and(|r| r.width == w),
                Op::MemRead { mem, .. } => self.mems.get(mem.index()).is_some_and(|m| m.width == w),
                Op::Unary(UnOp::Not | UnOp::Neg, a) => wd(*a) == w,
                Op::Unary(_, _) => w == 1,
                Op::Binary(op, a, b) if op.is_compare() => w == 1 && wd(*a) == wd(*b),
                Op::Binary(op, a, _) if op.is_shift() => wd(*a) == w,
                Op::Binary(_, a, b) => wd(*a) == w && wd(*b) == w,
                Op::Mux { sel, t, f } => wd(*sel) == 1 && wd(*t) == w && wd(*f) == w,
                Op::Concat(v) => {
                    !v.is_empty() && v.iter().map(|x| wd(*x) as u64).sum::<u64>() == w as u64
                }
                Op::Slice { arg, lo } => (*lo as u64 + w as u64) <= wd(*arg) as u64,
                Op::Zext(a) | Op::Sext(a) => wd(*a) <= w,
            };
            if !ok {
                return Err(format!(
                    "node {i} ({:?}, width {w}) has operands of the wrong width",
                    node.op
                ));
            }
        }
        for (i, inp) in self.inputs.iter().enumerate() {
            chk(inp.node, "input")?;
            if self.nodes[inp.node.index()].op != Op::Input(InputId(i as u32)) {
                return Err(format!("input {} does not point at its node", inp.name));
            }
        }
        for o in &self.outputs {
            chk(o.node, "output")?;
            if self.width(o.node) != o.width {
                return Err(format!("output {} width mismatch", o.name));
            }
        }
        for (i, r) in self.regs.iter().enumerate() {
            chk(r.node, "register")?;
            chk(r.next, "register next")?;
            if self.nodes[r.node.index()].op != Op::Reg(RegId(i as u32)) {
                return Err(format!("register {} does not point at its node", r.name));
            }
            if self.width(r.next) != r.width
                || r.init.as_ref().is_some_and(|b| b.width() != r.width)
            {
                return Err(format!("register {} width mismatch", r.name));
            }
        }
        for m in &self.mems {
            if m.depth == 0 {
                return Err(format!("memory {} has depth 0", m.name));
            }
            if let Some(init) = &m.init {
                if init.len() as u64 != m.depth || init.iter().any(|b| b.width() != m.width) {
                    return Err(format!("memory {} init has the wrong shape", m.name));
                }
            }
            for wp in &m.writes {
                chk(wp.en, "mem write en")?;
                chk(wp.addr, "mem write addr")?;
                chk(wp.data, "mem write data")?;
                if self.width(wp.en) != 1 || self.width(wp.data) != m.width {
                    return Err(format!("memory {} write port width mismatch", m.name));
                }
            }
        }
        for p in &self.props {
            chk(p.node, "property")?;
            if self.width(p.node) != 1 {
                return Err(format!("property {} is not 1 bit", p.name));
            }
        }
        for b in &self.branches {
            chk(b.cond, "branch")?;
            if self.width(b.cond) != 1 {
                return Err(format!("branch {} is not 1 bit", b.label));
            }
        }
        for nm in &self.names {
            chk(nm.node, "name")?;
        }
        Ok(())
    }
}
