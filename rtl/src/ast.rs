//! The front end's own syntax tree.
//!
//! sv-parser's concrete syntax tree is faithful but enormous; `lower` turns
//! it into this much smaller tree, which `elab` then elaborates. Keeping the
//! two apart means elaboration never touches sv-parser's types, and the tree
//! here holds only what verify understands: anything the lowering does not
//! recognise is an error with its location, never silently dropped.
//!
//! Every node carries a [`Span`] into the original source.

use crate::source::Span;
use num_bigint::BigUint;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ident {
    pub name: String,
    pub span: Span,
}

/// `name` or `pkg::name`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScopedName {
    pub package: Option<Ident>,
    pub name: Ident,
}

/// All files of one design, lowered.
#[derive(Clone, Debug, Default)]
pub struct SourceUnit {
    pub modules: Vec<Module>,
    pub packages: Vec<Package>,
    /// Items outside any module or package (`$unit` scope): typedefs,
    /// parameters, functions, imports.
    pub unit_items: Vec<Item>,
    /// `bind` directives outside any module.
    pub binds: Vec<Bind>,
}

/// `bind target_module bound_module inst (...);`: every instance of the
/// target module gets the instances in `items`, connected in its scope.
#[derive(Clone, Debug)]
pub struct Bind {
    pub target: Ident,
    /// The lowered instantiation (one `Item::Instance` per instance name).
    pub items: Vec<Item>,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub struct Package {
    pub name: Ident,
    pub items: Vec<Item>,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub struct Module {
    pub name: Ident,
    /// `import` in the module header (before the parameter list).
    pub header_imports: Vec<Import>,
    /// Parameters of the `#( ... )` header, in order (for positional overrides).
    /// A module without a header list treats its body `parameter`s as these.
    pub params: Vec<ParamDecl>,
    /// Ports in header order. Non-ANSI ports are completed from the body's
    /// direction and type declarations by the lowering.
    pub ports: Vec<Port>,
    pub items: Vec<Item>,
    /// The `` `default_nettype `` in effect where the module begins: the
    /// type of its implicit nets (IEEE 1800-2017 6.10, 22.8).
    pub default_nettype: DefaultNettype,
    pub span: Span,
}

/// The value of `` `default_nettype `` (22.8).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum DefaultNettype {
    /// `wire` (the default) or `tri`: an implicit net is a plain wire.
    #[default]
    Wire,
    /// `none`: an undeclared identifier is an error.
    None,
    /// Another net type (`wand`, `tri0`, `uwire`, ...), kept by name: an
    /// implicit net of that type is refused.
    Other(String),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    Input,
    Output,
    Inout,
}

#[derive(Clone, Debug)]
pub struct Port {
    pub name: Ident,
    pub dir: Direction,
    /// Net (`wire`, or no keyword on an input) or variable (`logic`, `reg`...).
    pub is_var: bool,
    pub ty: DataType,
    pub unpacked: Vec<Dim>,
    /// `output logic x = 0` (rare).
    pub default: Option<Expr>,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub struct ParamDecl {
    pub name: Ident,
    /// Implicit (`parameter W = 8`) when no type is written.
    pub ty: DataType,
    pub value: Option<Expr>,
    /// `localparam`: cannot be overridden.
    pub local: bool,
    /// `parameter type T = logic [7:0]`: a type parameter, with its
    /// default type (`ty` and `value` unused).
    pub type_param: Option<Option<DataType>>,
    /// Unpacked dimensions (`parameter int p [3:0] = '{...}`, 6.20.2).
    pub unpacked: Vec<Dim>,
    pub span: Span,
}

/// `[left:right]` or `[size]` (unpacked `[N]` means `[0:N-1]`).
#[derive(Clone, Debug)]
pub enum Dim {
    Range(Expr, Expr),
    Size(Expr),
    /// `[]`: a dynamic array (an elaboration-time value, see `elab::dynval`).
    Dynamic,
    /// `[$]` or `[$:max]`: a queue (bounded by `max` when given).
    Queue(Option<Expr>),
    /// `[key_type]`, or `[*]` (`None`): an associative array.
    Assoc(Option<Box<DataType>>),
}

#[derive(Clone, Debug)]
pub struct DataType {
    pub kind: TypeKind,
    /// `signed`/`unsigned` if written.
    pub signed: Option<bool>,
    /// Packed dimensions, outermost first (`logic [3:0][7:0]` -> `[3:0]`, `[7:0]`).
    pub packed: Vec<Dim>,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub enum TypeKind {
    /// No type keyword: `wire [3:0] x`, `parameter P = 1`, `input a`.
    Implicit,
    Logic,
    Reg,
    Bit,
    Byte,
    ShortInt,
    Int,
    LongInt,
    Integer,
    /// `string`: an elaboration-time value (`elab::dynval`).
    String,
    /// `real`/`realtime` (64-bit IEEE 754): an elaboration-time value.
    Real,
    /// `shortreal` (32-bit IEEE 754): an elaboration-time value.
    ShortReal,
    /// A typedef or type-parameter name.
    Named(ScopedName),
    Enum {
        base: Option<Box<DataType>>,
        items: Vec<EnumItem>,
    },
    Struct {
        packed: bool,
        members: Vec<StructMember>,
    },
    Union {
        packed: bool,
        members: Vec<StructMember>,
    },
}

impl TypeKind {
    /// A two-state keyword type (`bit`, `byte`, `shortint`, `int`,
    /// `longint`): its values start at 0, never x (IEEE 1800 6.8).
    pub fn is_two_state(&self) -> bool {
        matches!(
            self,
            TypeKind::Bit | TypeKind::Byte | TypeKind::ShortInt | TypeKind::Int | TypeKind::LongInt
        )
    }
}

#[derive(Clone, Debug)]
pub struct EnumItem {
    pub name: Ident,
    pub value: Option<Expr>,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub struct StructMember {
    pub name: Ident,
    pub ty: DataType,
    /// Unpacked dimensions of a member of an unpacked struct.
    pub unpacked: Vec<Dim>,
    /// `bit [3:0] lo = c;`: the member's initial value in a variable
    /// declared without one (7.2.2; unpacked structs only).
    pub default: Option<Expr>,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub struct Import {
    pub package: Ident,
    /// `None` for `pkg::*`.
    pub name: Option<Ident>,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub struct Typedef {
    pub name: Ident,
    pub ty: DataType,
    pub unpacked: Vec<Dim>,
    /// A forward typedef (`typedef s_t;`, `typedef struct s_t;`, 6.18):
    /// no type of its own (`ty` is implicit), the name must be defined in
    /// the same scope.
    pub forward: Option<ForwardKind>,
    pub span: Span,
}

/// The kind a forward typedef promises.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ForwardKind {
    Any,
    Enum,
    Struct,
    Union,
}

/// `wire`/`logic`/`reg`/... declarations (one per declared name).
#[derive(Clone, Debug)]
pub struct VarDecl {
    pub name: Ident,
    /// Net (`wire`, `tri`...) or variable (`logic`, `reg`, `bit`, `int`, typedef...).
    pub is_var: bool,
    pub ty: DataType,
    pub unpacked: Vec<Dim>,
    /// Net: a continuous assignment. Variable: the initial value.
    pub init: Option<Expr>,
    /// Declared `const` (`const int x = ...`).
    pub is_const: bool,
    /// `(* anyconst *)` / `(* anyseq *)` (also `allconst`/`allseq`): a value
    /// no logic drives, free in formal, seeded random in simulation.
    pub free: Option<Free>,
    /// `tri0`/`tri1`: undriven bits pull to 0/1 instead of being free.
    pub pull: Option<bool>,
    /// `(* gclk *)`: the global clock of the Yosys formal flow; an edge of
    /// it is every tick.
    pub gclk: bool,
    pub span: Span,
}

/// A formal "any value" (Yosys's `read_verilog -formal` attributes and
/// `$anyconst`/`$anyseq`/`$allconst`/`$allseq`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Free {
    /// One value for the whole trace.
    Const,
    /// A new value every cycle.
    Seq,
}

#[derive(Clone, Debug)]
pub enum Item {
    Param(ParamDecl),
    Typedef(Typedef),
    Var(VarDecl),
    Import(Import),
    Genvar(Vec<Ident>),
    Assign(ContAssign),
    Always(Always),
    Initial(Stmt),
    Final(Stmt),
    Instance(Instance),
    Function(Function),
    GenFor(GenFor),
    GenIf(GenIf),
    GenCase(GenCase),
    /// A bare `begin ... end` (or `generate ... endgenerate` region, flattened).
    GenBlock(GenBlock),
    /// Concurrent assertion: `[label:] assert|assume|cover property (...)`.
    Assertion(ConcurrentAssertion),
    PropertyDecl(PropertyDecl),
    SequenceDecl(SequenceDecl),
    /// `default clocking @(posedge clk); endclocking`
    DefaultClocking(EventExpr),
    /// `default disable iff (expr);`
    DefaultDisable(Expr),
    /// A `bind` directive written inside a module (applies design-wide).
    Bind(Bind),
    /// A gate primitive instance (`and g (o, a, b);`, IEEE 28.4).
    Gate(Gate),
}

/// The logic gates of IEEE 1800-2017 28.4 with two-state meaning.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GateKind {
    And,
    Nand,
    Or,
    Nor,
    Xor,
    Xnor,
    Buf,
    Not,
}

/// One gate instance: `and (o, a, b, c)` has one output and n inputs,
/// `buf (o1, o2, a)` n outputs and one input. Every terminal is a scalar.
#[derive(Clone, Debug)]
pub struct Gate {
    pub kind: GateKind,
    pub name: Option<Ident>,
    pub outputs: Vec<Expr>,
    pub inputs: Vec<Expr>,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub struct ContAssign {
    pub lhs: Expr,
    pub rhs: Expr,
    pub span: Span,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AlwaysKind {
    Always,
    AlwaysFf,
    AlwaysComb,
    AlwaysLatch,
}

#[derive(Clone, Debug)]
pub struct Always {
    pub kind: AlwaysKind,
    /// For `always`/`always_ff` this is normally `Stmt::Timed { .. }`.
    pub body: Stmt,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub struct Instance {
    pub module: Ident,
    pub params: Vec<ParamAssign>,
    pub name: Ident,
    /// Instance arrays (`m u[3:0] (...)`): refused by elaboration for now.
    pub unpacked: Vec<Dim>,
    pub conns: Vec<PortConn>,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub enum ParamAssign {
    /// `#(8)`
    Positional(ParamValue),
    /// `#(.W(8))`
    Named(Ident, Option<ParamValue>),
}

#[derive(Clone, Debug)]
pub enum ParamValue {
    Expr(Expr),
    Type(DataType),
}

#[derive(Clone, Debug)]
pub enum PortConn {
    /// `(a, b)`; `None` for an empty position `(a, , b)`.
    Positional(Option<Expr>),
    /// `.name(expr)`; `.name()` has `None`.
    Named(Ident, Option<Expr>),
    /// `.name`
    Implicit(Ident),
    /// `.*`
    Wildcard(Span),
}

#[derive(Clone, Debug)]
pub struct Function {
    pub name: Ident,
    /// `None` for `void`.
    pub ret: Option<DataType>,
    pub args: Vec<FuncArg>,
    /// Locals declared at the top of the body.
    pub decls: Vec<VarDecl>,
    pub body: Vec<Stmt>,
    pub automatic: bool,
    /// `task` rather than `function`.
    pub is_task: bool,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub struct FuncArg {
    pub name: Ident,
    pub dir: Direction,
    pub ty: DataType,
    pub default: Option<Expr>,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub struct GenBlock {
    pub label: Option<Ident>,
    pub items: Vec<Item>,
    pub span: Span,
}

/// `for (genvar i = init; cond; i = step) begin : label ... end`
#[derive(Clone, Debug)]
pub struct GenFor {
    pub genvar: Ident,
    /// `for (genvar i = ...)` declares it inline.
    pub declares: bool,
    pub init: Expr,
    pub cond: Expr,
    /// The value assigned to the genvar by the step (`i++` -> `i + 1`,
    /// `i += 2` -> `i + 2`).
    pub step: Expr,
    pub block: GenBlock,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub struct GenIf {
    pub cond: Expr,
    pub then: GenBlock,
    pub els: Option<GenBlock>,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub struct GenCase {
    pub expr: Expr,
    /// Empty `labels` = `default`.
    pub arms: Vec<(Vec<Expr>, GenBlock)>,
    pub span: Span,
}

// ---------------------------------------------------------------- statements

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Qualifier {
    Unique,
    Unique0,
    Priority,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CaseKind {
    Case,
    Casez,
    Casex,
}

#[derive(Clone, Debug)]
pub enum InsideItem {
    Value(Expr),
    /// `[lo:hi]`
    Range(Expr, Expr),
}

#[derive(Clone, Debug)]
pub struct CaseItem {
    /// Empty = `default`. For `case ... inside`, ranges may appear.
    pub labels: Vec<InsideItem>,
    pub body: Stmt,
    pub span: Span,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Edge {
    Pos,
    Neg,
    /// `edge`: both.
    Both,
    /// `@(a)` without an edge (level-sensitive).
    Any,
}

#[derive(Clone, Debug)]
pub struct EventExpr {
    pub edge: Edge,
    pub expr: Expr,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub enum Event {
    /// `@*` or `@(*)`
    Star,
    /// `@(posedge a or negedge b)` / `@(a, b)`
    List(Vec<EventExpr>),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AssertKind {
    Assert,
    Assume,
    Cover,
}

#[derive(Clone, Debug)]
pub enum Stmt {
    Null(Span),
    Block {
        label: Option<Ident>,
        decls: Vec<VarDecl>,
        stmts: Vec<Stmt>,
        span: Span,
    },
    /// `lhs = rhs`. Operator assignments and `++`/`--` are lowered to this
    /// form (`a += b` -> `a = a + b`).
    Blocking {
        lhs: Expr,
        rhs: Expr,
        span: Span,
    },
    NonBlocking {
        lhs: Expr,
        rhs: Expr,
        span: Span,
    },
    If {
        qualifier: Option<Qualifier>,
        cond: Expr,
        then: Box<Stmt>,
        els: Option<Box<Stmt>>,
        span: Span,
    },
    Case {
        qualifier: Option<Qualifier>,
        /// `(* full_case *)`: the arms cover every value (synthesis reading).
        full_case: bool,
        kind: CaseKind,
        inside: bool,
        expr: Expr,
        items: Vec<CaseItem>,
        span: Span,
    },
    For {
        /// Initialisations: `VarDecl`-like `Blocking` assignments; loop
        /// variables declared here (`int i = 0`) are listed in `decls`.
        decls: Vec<VarDecl>,
        init: Vec<Stmt>,
        cond: Option<Expr>,
        step: Vec<Stmt>,
        body: Box<Stmt>,
        span: Span,
    },
    While {
        cond: Expr,
        body: Box<Stmt>,
        span: Span,
    },
    DoWhile {
        body: Box<Stmt>,
        cond: Expr,
        span: Span,
    },
    Repeat {
        count: Expr,
        body: Box<Stmt>,
        span: Span,
    },
    /// `foreach (arr[i, , k]) body`: one loop variable per dimension of
    /// `arr` (unpacked first, then packed), `None` where skipped.
    Foreach {
        array: Expr,
        vars: Vec<Option<Ident>>,
        body: Box<Stmt>,
        span: Span,
    },
    Forever {
        body: Box<Stmt>,
        span: Span,
    },
    Return(Option<Expr>, Span),
    Break(Span),
    Continue(Span),
    /// `@(event) body` (the head of `always` blocks).
    Timed {
        event: Event,
        body: Box<Stmt>,
        span: Span,
    },
    /// `#delay body`: delays are ignored in two-state cycle semantics only
    /// inside testbench-like code; elaboration decides.
    Delay {
        delay: Expr,
        body: Box<Stmt>,
        span: Span,
    },
    /// Immediate `assert (e)`, `assume (e)`, `cover (e)`; `deferred` for `#0`/`final`.
    ImmediateAssert {
        kind: AssertKind,
        label: Option<Ident>,
        expr: Expr,
        pass: Option<Box<Stmt>>,
        fail: Option<Box<Stmt>>,
        span: Span,
    },
    /// A concurrent assertion written inside a procedural block.
    Assertion(Box<ConcurrentAssertion>),
    /// `expect (property)`: a procedural wait on one attempt (16.17).
    Expect(Box<ConcurrentAssertion>),
    /// `$display(...)`, `$readmemh(...)`, `$finish` ...
    SysTask {
        name: String,
        args: Vec<Expr>,
        span: Span,
    },
    /// A built-in method called as a statement (`q.push_back(x);`): the
    /// call is an `ExprKind::Method`.
    Method {
        call: Expr,
        span: Span,
    },
    /// A task or void function call as a statement.
    Call {
        name: ScopedName,
        args: Vec<Expr>,
        span: Span,
    },
}

impl Stmt {
    pub fn span(&self) -> Span {
        match self {
            Stmt::Null(s) | Stmt::Return(_, s) | Stmt::Break(s) | Stmt::Continue(s) => *s,
            Stmt::Block { span, .. }
            | Stmt::Blocking { span, .. }
            | Stmt::NonBlocking { span, .. }
            | Stmt::If { span, .. }
            | Stmt::Case { span, .. }
            | Stmt::For { span, .. }
            | Stmt::While { span, .. }
            | Stmt::DoWhile { span, .. }
            | Stmt::Repeat { span, .. }
            | Stmt::Foreach { span, .. }
            | Stmt::Forever { span, .. }
            | Stmt::Timed { span, .. }
            | Stmt::Delay { span, .. }
            | Stmt::ImmediateAssert { span, .. }
            | Stmt::SysTask { span, .. }
            | Stmt::Method { span, .. }
            | Stmt::Call { span, .. } => *span,
            Stmt::Assertion(a) | Stmt::Expect(a) => a.span,
        }
    }
}

// ---------------------------------------------------------------- expressions

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnaryOp {
    Plus,
    Minus,
    /// `!`
    LogNot,
    /// `~`
    BitNot,
    RedAnd,
    RedNand,
    RedOr,
    RedNor,
    RedXor,
    RedXnor,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BinaryOp {
    Add,
    Sub,
    Mul,
    Div,
    Mod,
    Pow,
    BitAnd,
    BitOr,
    BitXor,
    BitXnor,
    LogAnd,
    LogOr,
    /// `->`
    LogImpl,
    /// `<->`
    LogEquiv,
    Eq,
    Ne,
    /// `===` (same as `==` in two-state)
    CaseEq,
    /// `!==`
    CaseNe,
    /// `==?`
    WildEq,
    /// `!=?`
    WildNe,
    Lt,
    Le,
    Gt,
    Ge,
    Shl,
    Shr,
    /// `<<<`
    AShl,
    /// `>>>`
    AShr,
}

/// A literal number as written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Number {
    /// `Some(w)` for sized literals (`8'hff`).
    pub width: Option<u32>,
    /// `'s` given, or an unsized decimal (`12` is signed 32-bit).
    pub signed: bool,
    /// Value bits (x/z/? digits contribute 0 here).
    pub value: BigUint,
    /// Bits that were `x`, `z` or `?` (for `casez`/`casex`/`==?` masks);
    /// zero when the literal has none.
    pub xz: BigUint,
    /// `true` for based literals (`'h1f`, `4'b1010`): affects nothing in
    /// two-state except error messages.
    pub based: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnbasedUnsized {
    Zero,
    One,
    X,
    Z,
}

#[derive(Clone, Debug)]
pub enum CastKind {
    /// `8'(x)` or `W'(x)`
    Width(Box<Expr>),
    Signed,
    Unsigned,
    /// `type_t'(x)`, `logic [3:0]'(x)`
    Type(DataType),
}

#[derive(Clone, Debug)]
pub enum PatternKey {
    Positional,
    Default,
    /// A struct member name.
    Member(Ident),
    /// An array index.
    Index(Expr),
}

#[derive(Clone, Debug)]
pub struct Expr {
    pub kind: ExprKind,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub enum ExprKind {
    Number(Number),
    /// `'0`, `'1`, `'x`, `'z`
    Unbased(UnbasedUnsized),
    /// A real literal (`1.5`, `2e-3`).
    Real(f64),
    /// `$` in a queue index or slice (the last index).
    Dollar,
    /// `new[size]` or `new[size](init)` (dynamic arrays).
    New {
        size: Box<Expr>,
        init: Option<Box<Expr>>,
    },
    String(String),
    /// `a`, `pkg::a`
    Ident(ScopedName),
    /// `a.b` (struct member, or a hierarchical reference).
    Member(Box<Expr>, Ident),
    /// `a[i]`
    Index(Box<Expr>, Box<Expr>),
    /// `a[msb:lsb]`
    Range(Box<Expr>, Box<Expr>, Box<Expr>),
    /// `a[base +: width]` (`up`) or `a[base -: width]`
    IndexedRange {
        base: Box<Expr>,
        start: Box<Expr>,
        up: bool,
        width: Box<Expr>,
    },
    Unary(UnaryOp, Box<Expr>),
    Binary(BinaryOp, Box<Expr>, Box<Expr>),
    /// `c ? a : b`
    Cond(Box<Expr>, Box<Expr>, Box<Expr>),
    /// `{a, b, c}`
    Concat(Vec<Expr>),
    /// `{n{a, b}}`
    Repl(Box<Expr>, Vec<Expr>),
    /// A user function call.
    Call(ScopedName, Vec<Expr>),
    /// `$clog2(x)`, `$bits(x)`, `$signed(x)`, `$past(x, 2)`, `$rose(x)`...
    /// A type argument (as in `$bits(logic [3:0])`) comes as `ExprKind::Type`.
    SysCall(String, Vec<Expr>),
    /// `{<< 8 {a, b}}` (`left`: `<<`), `{>> {a}}`; the slice size is a
    /// constant or a type (`ExprKind::Type`), none meaning 1.
    Stream {
        left: bool,
        slice: Option<Box<Expr>>,
        items: Vec<Expr>,
    },
    /// `e.first()`, `e.next(2)`: a built-in method of the value's type.
    Method(Box<Expr>, Ident, Vec<Expr>),
    Cast(CastKind, Box<Expr>),
    /// `e inside {a, [b:c]}`
    Inside(Box<Expr>, Vec<InsideItem>),
    /// `'{a, b}`, `'{default: 0}`, `'{x: 1, y: 2}`
    Pattern(Vec<(PatternKey, Expr)>),
    /// A data type where an expression may stand (`$bits(T)`).
    Type(Box<DataType>),
}

// ---------------------------------------------------------------- SVA

#[derive(Clone, Debug)]
pub struct ConcurrentAssertion {
    pub label: Option<Ident>,
    pub kind: AssertKind,
    pub spec: PropSpec,
    pub span: Span,
}

/// `@(posedge clk) disable iff (rst) body`, each part optional.
#[derive(Clone, Debug)]
pub struct PropSpec {
    pub clock: Option<EventExpr>,
    pub disable_iff: Option<Expr>,
    pub body: Prop,
    pub span: Span,
}

/// A cycle-delay or repetition bound; `None` max means `$`.
#[derive(Clone, Debug)]
pub struct CycleRange {
    pub min: Expr,
    /// `None` for a single value (`##2`, `[*3]`); `Some(None)` for `$`.
    pub max: Option<Option<Expr>>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RepKind {
    /// `[*n]`
    Consecutive,
    /// `[->n]`
    Goto,
    /// `[=n]`
    NonConsecutive,
}

/// Sequences and properties share one tree; elaboration checks that each
/// operator is used where it is allowed.
#[derive(Clone, Debug)]
pub enum Prop {
    /// A boolean expression (also: a named sequence/property instance with no
    /// arguments comes as `ExprKind::Ident`, with arguments as `ExprKind::Call`).
    Expr(Expr),
    /// `lhs ##[range] rhs`; a leading `##n s` has `lhs = None`.
    Delay {
        lhs: Option<Box<Prop>>,
        range: CycleRange,
        rhs: Box<Prop>,
        span: Span,
    },
    Repeat {
        seq: Box<Prop>,
        kind: RepKind,
        range: CycleRange,
        span: Span,
    },
    And(Box<Prop>, Box<Prop>, Span),
    Or(Box<Prop>, Box<Prop>, Span),
    Intersect(Box<Prop>, Box<Prop>, Span),
    /// `expr throughout seq`
    Throughout(Box<Prop>, Box<Prop>, Span),
    /// `a within b`
    Within(Box<Prop>, Box<Prop>, Span),
    FirstMatch(Box<Prop>, Span),
    Not(Box<Prop>, Span),
    /// `a |-> b` (`overlapping`) or `a |=> b`
    Implies {
        antecedent: Box<Prop>,
        overlapping: bool,
        consequent: Box<Prop>,
        span: Span,
    },
    /// `a #-# b` / `a #=# b` (followed-by)
    FollowedBy {
        antecedent: Box<Prop>,
        overlapping: bool,
        consequent: Box<Prop>,
        span: Span,
    },
    IfElse {
        cond: Expr,
        then: Box<Prop>,
        els: Option<Box<Prop>>,
        span: Span,
    },
    /// `s_eventually p` (strong) / `eventually p`
    Eventually {
        strong: bool,
        prop: Box<Prop>,
        span: Span,
    },
    /// `always p` (in a property)
    Always(Box<Prop>, Span),
    /// `p iff q`
    Iff(Box<Prop>, Box<Prop>, Span),
    /// `p implies q` (the property operator, not `|->`)
    LogicImplies(Box<Prop>, Box<Prop>, Span),
    /// `(s, x = e, ...)`: local variable assignments at each match of `s`
    /// (16.10); each assignment is `(variable, value)`.
    Match {
        seq: Box<Prop>,
        assigns: Vec<(Ident, Expr)>,
        span: Span,
    },
    /// `strong(s)` / `weak(s)`
    Strength {
        strong: bool,
        seq: Box<Prop>,
        span: Span,
    },
    /// `@(posedge clk) p` inside a property or sequence.
    Clocked(EventExpr, Box<Prop>, Span),
    /// `disable iff` nested (only legal at the top, kept for the message).
    DisableIff(Expr, Box<Prop>, Span),
    /// A named sequence or property instance whose arguments are not all
    /// plain expressions (`p(a ##1 b)`, `p(.x(a))`). Instances with only
    /// expression arguments come as `Prop::Expr` (see above).
    Instance {
        name: ScopedName,
        args: Vec<SvaArg>,
        span: Span,
    },
}

/// An actual argument of a sequence or property instance; `None` for an
/// empty position (the formal's default is used).
#[derive(Clone, Debug)]
pub enum SvaArg {
    Positional(Option<Prop>),
    Named(Ident, Option<Prop>),
}

#[derive(Clone, Debug)]
pub struct SvaFormal {
    pub name: Ident,
    /// Written type, if any (`untyped`, `sequence`, `logic` ...) is ignored.
    pub default: Option<Prop>,
    pub span: Span,
}

/// A local variable of a sequence or property declaration (16.10).
#[derive(Clone, Debug)]
pub struct LocalVar {
    pub name: Ident,
    pub ty: DataType,
    /// Assigned at the start of each attempt.
    pub init: Option<Expr>,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub struct PropertyDecl {
    pub name: Ident,
    pub args: Vec<SvaFormal>,
    pub locals: Vec<LocalVar>,
    pub spec: PropSpec,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub struct SequenceDecl {
    pub name: Ident,
    pub args: Vec<SvaFormal>,
    pub locals: Vec<LocalVar>,
    pub spec: PropSpec,
    pub span: Span,
}

impl Prop {
    /// The source span of a property or sequence.
    pub fn span(&self) -> Span {
        match self {
            Prop::Expr(e) => e.span,
            Prop::Delay { span, .. }
            | Prop::Repeat { span, .. }
            | Prop::Implies { span, .. }
            | Prop::FollowedBy { span, .. }
            | Prop::IfElse { span, .. }
            | Prop::Eventually { span, .. }
            | Prop::Strength { span, .. }
            | Prop::Match { span, .. }
            | Prop::Instance { span, .. } => *span,
            Prop::And(_, _, s)
            | Prop::Or(_, _, s)
            | Prop::Intersect(_, _, s)
            | Prop::Throughout(_, _, s)
            | Prop::Within(_, _, s)
            | Prop::FirstMatch(_, s)
            | Prop::Not(_, s)
            | Prop::Always(_, s)
            | Prop::Iff(_, _, s)
            | Prop::LogicImplies(_, _, s)
            | Prop::Clocked(_, _, s)
            | Prop::DisableIff(_, _, s) => *s,
        }
    }
}
