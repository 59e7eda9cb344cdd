//! Elaboration: the lowered AST → the flat IR.
//!
//! One pass over the hierarchy from the top module: parameters are
//! evaluated, generate constructs expanded, instances flattened (every
//! signal gets its hierarchical name), functions inlined and procedural
//! blocks executed symbolically into next-state functions (`proc`).
//! Expressions follow IEEE 1800-2017 clause 11 width and sign rules
//! (`expr`). Signals may be read before their drivers are seen; `emit`
//! resolves drivers at the end, orders the nodes and reports multiple
//! drivers and combinational loops.

mod arrays;
mod dynexec;
mod dynval;
mod emit;
mod enum_check;
mod expr;
mod forward;
mod gates;
pub mod graph;
mod methods;
mod module;
mod proc;
mod readmem;
mod stream;
mod sva;
mod sva_local;
mod sva_nfa;
mod tops;
pub mod types;

use crate::ast;
use crate::bits::Bits;
use crate::diag::{Code, Diagnostic, Error, Result};
use crate::ir::{Design, EnumValue, MemId, PropKind, RegId};
use crate::source::{SourceMap, Span};
use graph::{Gid, Graph};
use std::collections::{HashMap, HashSet};
use types::Ty;

/// What to elaborate.
#[derive(Clone, Debug, Default)]
pub struct ElabOptions {
    /// `--top NAME`; if `None`, the single module no other instantiates.
    pub top: Option<String>,
    /// With no `top` and several modules nobody instantiates: elaborate
    /// each of them (`--lint`) instead of refusing to choose.
    pub all_tops: bool,
    /// `-G NAME=VALUE` overrides of the top module's parameters.
    pub params: Vec<(String, String)>,
    /// Run on a global clock even with a single rising-edge clock (the
    /// clock a free input, each cycle a tick: SymbiYosys's `multiclock on`).
    pub global_clock: bool,
}

/// Counts for the `--lint` summary.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Stats {
    /// Distinct module definitions used.
    pub modules: usize,
    /// Instances in the flattened hierarchy, the top included.
    pub instances: usize,
}

pub struct Elaborated {
    pub design: Design,
    pub warnings: Vec<Diagnostic>,
    pub stats: Stats,
    /// With [`ElabOptions::all_tops`] and several candidate tops: the
    /// designs of the other tops (their warnings are in `warnings`).
    pub others: Vec<Elaborated>,
}

/// Elaborate `unit` from its top module. Recursion follows the nesting of
/// expressions: call it on a large stack (see [`crate::parse::on_big_stack`]).
pub fn elaborate(
    unit: &ast::SourceUnit,
    opts: &ElabOptions,
    sources: &SourceMap,
) -> Result<Elaborated> {
    if opts.top.is_none() && opts.all_tops {
        let tops = Elaborator::new(unit, sources).candidate_tops();
        if tops.len() > 1 {
            return tops::elaborate_each(unit, opts, sources, &tops);
        }
    }
    elaborate_one(unit, opts, sources)
}

fn elaborate_one(
    unit: &ast::SourceUnit,
    opts: &ElabOptions,
    sources: &SourceMap,
) -> Result<Elaborated> {
    let mut e = Elaborator::new(unit, sources);
    let top = e.pick_top(opts)?;
    e.elaborate_top(top, opts)?;
    e.clk.global_tick_used |= opts.global_clock;
    e.sva_unclocked_check()?;
    let design = e.emit()?;
    let mut used: Vec<&str> = e.walk.used_modules.iter().map(|s| s.as_str()).collect();
    used.sort();
    used.dedup();
    let stats = Stats {
        modules: used.len(),
        instances: e.walk.instances,
    };
    Ok(Elaborated {
        design,
        warnings: e.warnings,
        stats,
        others: Vec::new(),
    })
}

/// A signal: a net or variable of the flattened design (not a memory).
struct Var {
    name: String,
    ty: Ty,
    span: Span,
    drivers: Vec<Driver>,
    /// Initial value (declaration initialiser or `initial` block).
    init: Option<Bits>,
    /// Top-level input port.
    is_input: bool,
    /// Top-level output port.
    is_output: bool,
    /// Declared as a net (`wire`): may only be driven continuously.
    is_net: bool,
    /// `(* anyconst *)`/`(* anyseq *)` or made for `$anyconst`/`$anyseq`:
    /// driven by a free register or a hidden input in `emit`.
    free: Option<ast::Free>,
    /// `tri0`/`tri1`: the value of undriven bits.
    pull: Option<bool>,
    /// `(* gclk *)`: an edge of it is every tick of the global clock.
    gclk: bool,
    /// An `initial` block set it to a value that is not a constant (read
    /// from an input or a variable with no initial value): it has none,
    /// and when nothing else drives it, it holds a free value like an
    /// `anyconst` one (it read as 0, or was refused).
    unknown_init: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum DriverKind {
    /// Continuous assignment, net initialiser or port connection.
    Assign,
    /// `always_comb` / `always @*`.
    Comb,
    /// A register written by a clocked block.
    Reg,
    Input,
}

#[derive(Clone, Debug)]
struct Driver {
    lo: u32,
    width: u32,
    value: Gid,
    span: Span,
    kind: DriverKind,
    /// A combinational block's whole-variable write of a variable it
    /// never reads before writing: a temporary of the block (a loop
    /// variable shared by several `always @*` blocks).
    temp: bool,
}

/// An unpacked array: an IR memory.
struct MemVar {
    name: String,
    elem: Ty,
    /// Unpacked range `[left:right]`.
    left: i64,
    right: i64,
    span: Span,
    init: Option<Vec<Bits>>,
    /// Write ports: enable, address, data, and the clock of the block.
    writes: Vec<(Gid, Gid, Gid, Option<ClockRef>)>,
    /// Written from a clocked block (else only initialised: a ROM).
    written_by: Option<Span>,
}

impl MemVar {
    fn depth(&self) -> u64 {
        (self.left - self.right).unsigned_abs() + 1
    }
}

struct RegInfo {
    name: String,
    width: u32,
    signed: bool,
    init: Option<Bits>,
    next: Gid,
    enum_values: Vec<EnumValue>,
    synthetic: bool,
    span: Span,
    /// The clock the register was made under (`None`: every cycle).
    clock: Option<ClockRef>,
    /// An asynchronous control: (active, value loaded while it is).
    areset: Option<(Gid, Gid)>,
    /// The signal and first bit the register holds (clocked blocks).
    holds: Option<(VarId, u32)>,
}

struct PropInfo {
    name: String,
    kind: PropKind,
    node: Gid,
    span: Span,
    /// The clock its value is sampled on (`None`: every cycle).
    clock: Option<ClockRef>,
}

/// A clocking event: a signal and its edge. Registers, memory write ports
/// and properties record the one they were elaborated under. A design with
/// a single rising-edge clock ignores them; one with several clocks (or a
/// falling edge) runs on a global tick where each updates only on its own
/// edge (`emit::global_clock`, the `multiclock on` encoding of the Yosys
/// flow).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
struct ClockRef {
    signal: Gid,
    /// `Pos`, `Neg` or `Both` (never `Any`).
    edge: ast::Edge,
}

/// What a name means in a scope.
#[derive(Clone, Debug)]
enum Sym {
    /// Parameter, localparam, genvar or enum constant.
    Const(Bits, Ty),
    Var(VarId),
    Mem(u32),
    Type(Ty),
    Func(FuncRef),
    /// A package name (for `pkg::x`).
    Package,
    /// A named generate block or an instance: `blk.sig`, `u_fifo.count`.
    Scope(ScopeId),
    /// A generate-for block: its iterations by genvar value (`blk[2].sig`).
    GenArray(Vec<(i64, ScopeId)>),
    /// A variable or parameter of a testbench data type (`string`, `real`,
    /// queue...): an index into `Elaborator::dynv.vars` (see `dynexec`).
    Dyn(u32),
}

#[derive(Clone, Copy, Debug)]
struct FuncRef {
    /// Index into `Elaborator::funcs`.
    index: usize,
}

/// A signal of the flattened design: an index into `Netlist::vars`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct VarId(u32);

impl VarId {
    /// The position in `Netlist::vars`.
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

impl std::ops::Index<VarId> for Vec<Var> {
    type Output = Var;
    fn index(&self, id: VarId) -> &Var {
        &self[id.index()]
    }
}

impl std::ops::IndexMut<VarId> for Vec<Var> {
    fn index_mut(&mut self, id: VarId) -> &mut Var {
        &mut self[id.index()]
    }
}

/// A scope: an index into `Symbols::scopes`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
struct ScopeId(u32);

impl std::ops::Index<ScopeId> for Vec<Scope> {
    type Output = Scope;
    fn index(&self, id: ScopeId) -> &Scope {
        &self[id.0 as usize]
    }
}

impl std::ops::IndexMut<ScopeId> for Vec<Scope> {
    fn index_mut(&mut self, id: ScopeId) -> &mut Scope {
        &mut self[id.0 as usize]
    }
}

struct Scope {
    parent: Option<ScopeId>,
    names: HashMap<String, Sym>,
    /// Hierarchical prefix of names declared here (`top.u_fifo.gen[1]`).
    prefix: String,
    /// Packages imported with `::*` here (searched after the scope chain).
    wildcard: Vec<String>,
}

pub(crate) struct Elaborator<'a> {
    unit: &'a ast::SourceUnit,
    sources: &'a SourceMap,
    /// The working netlist: every node of the design.
    g: Graph,
    /// The flattened design built on `g`.
    net: Netlist,
    /// Scopes, names, packages and functions.
    syms: Symbols<'a>,
    /// Clocks met and the clock being elaborated under.
    clk: Clocks,
    /// Concurrent assertion state.
    sva: SvaState<'a>,
    /// Walk of the hierarchy: instances, binds, nesting depths.
    walk: Walk<'a>,
    /// Values of the testbench data types (`dynexec`).
    dynv: dynexec::DynState,
    warnings: Vec<Diagnostic>,
}

/// The flattened design being built: signals, memories, registers,
/// properties, coverage branches and the top-level ports.
#[derive(Default)]
struct Netlist {
    vars: Vec<Var>,
    mems: Vec<MemVar>,
    regs: Vec<RegInfo>,
    props: Vec<PropInfo>,
    branches: Vec<(String, Gid, Span)>,
    branch_index: HashMap<(String, Span, String), usize>,
    /// Top-level input variables in port order (the clock included until emit).
    top_inputs: Vec<VarId>,
    top_outputs: Vec<VarId>,
    top_name: String,
    /// Synthetic "first cycle" register for `initial` properties.
    first_cycle: Option<Gid>,
    prop_names: HashMap<String, usize>,
    /// Uses of each `$anyconst`/`$anyseq` text (an unrolled loop or an
    /// inlined function meets one text several times).
    free_names: HashMap<String, usize>,
}

impl Netlist {
    /// Every signal, in the order they were added.
    fn var_ids(&self) -> impl Iterator<Item = VarId> {
        (0..self.vars.len() as u32).map(VarId)
    }
}

/// Scopes and what their names mean.
#[derive(Default)]
struct Symbols<'a> {
    scopes: Vec<Scope>,
    funcs: Vec<(&'a ast::Function, ScopeId)>,
    /// Package name → its scope.
    packages: HashMap<String, ScopeId>,
    unit_scope: ScopeId,
    /// Unpacked arrays of the module being elaborated that are signals,
    /// not memories (see `arrays`).
    signal_arrays: std::rc::Rc<std::collections::HashSet<String>>,
    signal_arrays_by_module: HashMap<String, std::rc::Rc<std::collections::HashSet<String>>>,
}

/// Clocks: the ones met, the current one, and what makes the design run
/// on a global clock.
#[derive(Default)]
struct Clocks {
    /// Clock of each clocked block and clocked assertion.
    clocks: Vec<(ClockRef, Span)>,
    /// The clock of the block or assertion being elaborated.
    cur_clock: Option<ClockRef>,
    /// Clocks nested in a property that differ from its leading clock.
    nested_clocks: Vec<Span>,
    /// Some block or assertion runs on `$global_clock`: the design runs on
    /// a global clock whatever its other clocks.
    global_tick_used: bool,
    /// Signals toggled by a testbench clock generator (`always #5 clk = ~clk`).
    clock_gens: Vec<VarId>,
}

/// Concurrent assertions: declarations, shared delay registers, the
/// assertions written without a clock.
#[derive(Default)]
struct SvaState<'a> {
    /// SVA declarations and defaults by scope.
    scopes: HashMap<ScopeId, sva::SvaScope<'a>>,
    /// Shared delay registers.
    delays: HashMap<(Gid, i64, Option<ClockRef>), Gid>,
    /// Concurrent assertions written without a clock (they take the
    /// design's one clock).
    unclocked: Vec<Span>,
}

/// The walk of the hierarchy and of code: modules and instances met,
/// `bind` directives, nesting depths.
#[derive(Default)]
struct Walk<'a> {
    /// Every `bind` directive of the design (file level and in modules).
    binds: Vec<&'a ast::Bind>,
    used_modules: Vec<String>,
    instances: usize,
    /// Nesting of module instantiation (guards against recursion).
    depth: usize,
    /// Nesting of inlined function calls.
    call_depth: usize,
    /// Nesting of constant evaluations (parameters, initial values, loop
    /// bounds): there an x/z digit has no free value to become, so it is 0.
    const_depth: u32,
    /// Variables whose value from outside the block the combinational
    /// block being elaborated reads (see `Driver::temp`).
    frame_reads: HashSet<VarId>,
    /// The `` `default_nettype `` of the module being elaborated.
    nettype: ast::DefaultNettype,
}

/// `$global_clock` (14.14): the event of the global clock, one tick.
fn is_global_clock(e: &ast::Expr) -> bool {
    matches!(&e.kind, ast::ExprKind::SysCall(n, a) if n == "$global_clock" && a.is_empty())
}

/// An elaboration error with the general code [`Code::Elab`]; finer codes
/// through [`err_code`] or a per-file default (`err_sva as err`, ...).
pub(crate) fn err(span: Span, msg: impl Into<String>) -> Error {
    err_code(Code::Elab, span, msg)
}

pub(crate) fn err_code(code: Code, span: Span, msg: impl Into<String>) -> Error {
    Diagnostic::error(code, span, msg).into()
}

/// The default of the SVA files: [`Code::Sva`].
pub(crate) fn err_sva(span: Span, msg: impl Into<String>) -> Error {
    err_code(Code::Sva, span, msg)
}

/// The default of `$readmem`: [`Code::Readmem`].
pub(crate) fn err_readmem(span: Span, msg: impl Into<String>) -> Error {
    err_code(Code::Readmem, span, msg)
}

/// The default of streaming concatenations: [`Code::Stream`].
pub(crate) fn err_stream(span: Span, msg: impl Into<String>) -> Error {
    err_code(Code::Stream, span, msg)
}

impl<'a> Elaborator<'a> {
    fn new(unit: &'a ast::SourceUnit, sources: &'a SourceMap) -> Elaborator<'a> {
        let mut e = Elaborator {
            unit,
            sources,
            g: Graph::default(),
            net: Netlist::default(),
            syms: Symbols::default(),
            clk: Clocks::default(),
            sva: SvaState::default(),
            walk: Walk {
                binds: unit.binds.iter().collect(),
                ..Walk::default()
            },
            dynv: dynexec::DynState::default(),
            warnings: Vec::new(),
        };
        for m in &unit.modules {
            for it in &m.items {
                if let ast::Item::Bind(b) = it {
                    e.walk.binds.push(b);
                }
            }
        }
        e.syms.unit_scope = e.new_scope(None, String::new());
        e
    }

    fn new_scope(&mut self, parent: Option<ScopeId>, prefix: String) -> ScopeId {
        self.syms.scopes.push(Scope {
            parent,
            names: HashMap::new(),
            prefix,
            wildcard: Vec::new(),
        });
        ScopeId(self.syms.scopes.len() as u32 - 1)
    }

    fn warn(&mut self, code: Code, span: Span, msg: impl Into<String>) {
        self.warnings.push(Diagnostic::warning(code, span, msg));
    }

    fn find_module(&self, name: &str) -> Option<&'a ast::Module> {
        self.unit.modules.iter().find(|m| m.name.name == name)
    }

    fn add_var(&mut self, name: String, ty: Ty, span: Span, is_net: bool) -> VarId {
        self.net.vars.push(Var {
            name,
            ty,
            span,
            drivers: Vec::new(),
            init: None,
            is_input: false,
            is_output: false,
            is_net,
            free: None,
            unknown_init: false,
            pull: None,
            gclk: false,
        });
        VarId(self.net.vars.len() as u32 - 1)
    }

    fn drive(&mut self, v: VarId, lo: u32, value: Gid, span: Span, kind: DriverKind) {
        let width = self.g.width(value);
        self.net.vars[v].drivers.push(Driver {
            lo,
            width,
            value,
            span,
            kind,
            temp: false,
        });
    }

    fn new_reg(
        &mut self,
        name: String,
        ty: &Ty,
        width: u32,
        init: Option<Bits>,
        span: Span,
    ) -> (RegId, Gid) {
        let id = RegId(self.net.regs.len() as u32);
        let node = self.g.reg(id, width, span);
        let enum_values = ty
            .enum_values()
            .filter(|_| ty.width == width)
            .map(|vs| {
                vs.iter()
                    .map(|(n, v)| EnumValue {
                        name: n.clone(),
                        value: v.clone(),
                    })
                    .collect()
            })
            .unwrap_or_default();
        self.net.regs.push(RegInfo {
            name,
            width,
            signed: ty.signed && ty.width == width,
            init,
            next: node,
            enum_values,
            synthetic: false,
            span,
            clock: self.clk.cur_clock,
            areset: None,
            holds: None,
        });
        (id, node)
    }

    /// Whether `g` is a `(* gclk *)` signal (through connections).
    fn is_gclk(&self, g: Gid) -> bool {
        let mut g = g;
        for _ in 0..1024 {
            let graph::G::Var(v) = self.g.get(g) else {
                return false;
            };
            let var = &self.net.vars[*v];
            if var.gclk {
                return true;
            }
            match var.drivers.as_slice() {
                [d] if d.kind == DriverKind::Assign && d.lo == 0 && d.width == var.ty.width => {
                    g = d.value
                }
                _ => return false,
            }
        }
        false
    }

    /// A 1-bit signal that is 1 in cycle 0 only (for `initial` properties).
    fn first_cycle(&mut self) -> Gid {
        if let Some(g) = self.net.first_cycle {
            return g;
        }
        let name = format!("{}.$first_cycle", self.net.top_name);
        let (id, node) = self.new_reg(
            name,
            &Ty::bit(false),
            1,
            Some(Bits::from_bool(true)),
            Span::NONE,
        );
        let zero = self.g.zero(1);
        self.net.regs[id.index()].next = zero;
        self.net.regs[id.index()].synthetic = true;
        // The first tick of the run, whatever clock asked for it first.
        self.net.regs[id.index()].clock = None;
        self.net.first_cycle = Some(node);
        node
    }

    fn add_prop(
        &mut self,
        scope: ScopeId,
        label: Option<&ast::Ident>,
        kind: PropKind,
        node: Gid,
        span: Span,
        clock: Option<ClockRef>,
    ) {
        let prefix = self.syms.scopes[scope].prefix.clone();
        let base = match label {
            Some(l) => format!("{prefix}.{}", l.name),
            None => {
                let line = self.sources.location(span).map(|l| l.line).unwrap_or(0);
                format!("{prefix}.{}@{line}", kind.name())
            }
        };
        let n = self.net.prop_names.entry(base.clone()).or_insert(0);
        *n += 1;
        let name = if *n == 1 { base } else { format!("{base}#{n}") };
        self.net.props.push(PropInfo {
            name,
            kind,
            node,
            span,
            clock,
        });
    }

    /// Record a branch for coverage; the same branch met again (unrolled
    /// loops) ORs its condition in.
    fn add_branch(&mut self, scope: ScopeId, label: &str, cond: Gid, span: Span) {
        if span.is_none() {
            return;
        }
        let key = (
            self.syms.scopes[scope].prefix.clone(),
            span,
            label.to_string(),
        );
        if let Some(&i) = self.net.branch_index.get(&key) {
            let old = self.net.branches[i].1;
            self.net.branches[i].1 = self.g.or(old, cond);
        } else {
            self.net.branch_index.insert(key, self.net.branches.len());
            self.net.branches.push((label.to_string(), cond, span));
        }
    }

    fn mem_id(&self, m: u32) -> MemId {
        MemId(m)
    }
}
