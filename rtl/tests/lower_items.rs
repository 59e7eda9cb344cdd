//! Lowering of design units and declarations (`lower::items`).

use rtl::ast::*;

fn ok(src: &str) -> SourceUnit {
    let (sources, r) = rtl::load_text("t.sv", src);
    match r {
        Ok(u) => u,
        Err(e) => panic!("{}", e.render(&sources, false)),
    }
}

/// The line of the first error.
fn err_line(src: &str) -> (u32, String) {
    let (sources, r) = rtl::load_text("t.sv", src);
    let e = r.expect_err("expected an error");
    let d = &e.diags[0];
    let loc = sources.location(d.span).expect("error span resolves");
    (loc.line, d.message.clone())
}

#[test]
fn ansi_ports_inherit_direction_and_type() {
    let u = ok("module m(input logic [3:0] a, b, output logic y, input clk);\nendmodule\n");
    let m = &u.modules[0];
    assert_eq!(m.name.name, "m");
    let names: Vec<_> = m.ports.iter().map(|p| p.name.name.as_str()).collect();
    assert_eq!(names, ["a", "b", "y", "clk"]);
    assert_eq!(m.ports[1].dir, Direction::Input);
    assert_eq!(m.ports[1].ty.packed.len(), 1);
    assert!(matches!(m.ports[1].ty.kind, TypeKind::Logic));
    assert_eq!(m.ports[2].dir, Direction::Output);
    assert!(m.ports[2].is_var);
    assert!(!m.ports[0].is_var);
    assert!(matches!(m.ports[3].ty.kind, TypeKind::Implicit));
}

#[test]
fn nonansi_ports_merge_body_declarations() {
    let u = ok("module m(a, b);\n input [3:0] a;\n output b;\n reg b;\n wire w;\nendmodule\n");
    let m = &u.modules[0];
    assert_eq!(m.ports.len(), 2);
    assert_eq!(m.ports[0].dir, Direction::Input);
    assert_eq!(m.ports[0].ty.packed.len(), 1);
    assert_eq!(m.ports[1].dir, Direction::Output);
    assert!(m.ports[1].is_var);
    assert!(matches!(m.ports[1].ty.kind, TypeKind::Reg));
    // `reg b` merged into the port; `wire w` stays.
    assert_eq!(m.items.len(), 1);
}

#[test]
fn nonansi_port_without_direction_is_an_error() {
    let (line, msg) = err_line("module m(a, b);\n input a;\nendmodule\n");
    assert_eq!(line, 1, "{msg}");
}

#[test]
fn declarations_types_and_dims() {
    let u = ok("module m;\n logic signed [7:0] a [4];\n int unsigned i;\n bit [3:0][1:0] p;\n wire [2:0] w;\nendmodule\n");
    let m = &u.modules[0];
    let vars: Vec<&VarDecl> = m
        .items
        .iter()
        .filter_map(|i| if let Item::Var(v) = i { Some(v) } else { None })
        .collect();
    assert_eq!(vars.len(), 4);
    assert_eq!(vars[0].ty.signed, Some(true));
    assert_eq!(vars[0].unpacked.len(), 1);
    assert!(matches!(vars[0].unpacked[0], Dim::Size(_)));
    assert!(matches!(vars[1].ty.kind, TypeKind::Int));
    assert_eq!(vars[1].ty.signed, Some(false));
    assert_eq!(vars[2].ty.packed.len(), 2);
    assert!(!vars[3].is_var);
}

#[test]
fn parameters_header_and_body() {
    let u = ok("module m #(parameter W = 8, localparam L = 2) (input [W-1:0] a);\n parameter P = 1;\n localparam Q = 3;\nendmodule\nmodule n;\n parameter P = 1;\n localparam Q = 2;\nendmodule\n");
    let m = &u.modules[0];
    assert_eq!(m.params.len(), 2);
    assert!(!m.params[0].local);
    assert!(m.params[1].local);
    assert!(m.params[0].value.is_some());
    let body_params = m
        .items
        .iter()
        .filter(|i| matches!(i, Item::Param(p) if p.local))
        .count();
    assert_eq!(body_params, 2);
    let n = &u.modules[1];
    assert_eq!(n.params.len(), 1);
    assert_eq!(n.params[0].name.name, "P");
    assert_eq!(n.items.len(), 1);
}

#[test]
fn typedefs_enums_structs_packages() {
    let u = ok("package pkg;\n typedef enum logic [1:0] {A, B = 2, C} st_t;\n typedef struct packed signed { logic [3:0] x; logic y; } s_t;\n typedef logic [7:0] byte_t [2];\nendpackage\nmodule m;\n import pkg::*;\n pkg::st_t s;\n st_t t;\nendmodule\n");
    let p = &u.packages[0];
    assert_eq!(p.items.len(), 3);
    match &p.items[0] {
        Item::Typedef(t) => match &t.ty.kind {
            TypeKind::Enum { base, items } => {
                assert!(base.is_some());
                assert_eq!(items.len(), 3);
                assert!(items[1].value.is_some());
            }
            k => panic!("{k:?}"),
        },
        i => panic!("{i:?}"),
    }
    match &p.items[1] {
        Item::Typedef(t) => {
            assert_eq!(t.ty.signed, Some(true));
            assert!(matches!(&t.ty.kind, TypeKind::Struct { members, .. } if members.len() == 2));
        }
        i => panic!("{i:?}"),
    }
    match &p.items[2] {
        Item::Typedef(t) => assert_eq!(t.unpacked.len(), 1),
        i => panic!("{i:?}"),
    }
    let m = &u.modules[0];
    assert!(matches!(&m.items[0], Item::Import(i) if i.name.is_none()));
    match &m.items[1] {
        Item::Var(v) => {
            assert!(v.is_var);
            assert!(
                matches!(&v.ty.kind, TypeKind::Named(n) if n.package.as_ref().map(|p| p.name.as_str()) == Some("pkg"))
            );
        }
        i => panic!("{i:?}"),
    }
    assert!(
        matches!(&m.items[2], Item::Var(v) if v.is_var && matches!(&v.ty.kind, TypeKind::Named(_)))
    );
}

#[test]
fn instances_and_connections() {
    let u = ok("module m;\n wire a, b;\n sub #(.W(4)) u1 (.x(a), .y, .*), u2 (.x());\n sub #(8) u3 (a, , b);\nendmodule\n");
    let insts: Vec<&Instance> = u.modules[0]
        .items
        .iter()
        .filter_map(|i| {
            if let Item::Instance(x) = i {
                Some(x)
            } else {
                None
            }
        })
        .collect();
    assert_eq!(insts.len(), 3);
    assert_eq!(insts[0].name.name, "u1");
    assert_eq!(insts[1].name.name, "u2");
    assert_eq!(insts[1].params.len(), 1);
    assert!(matches!(insts[0].conns[0], PortConn::Named(_, Some(_))));
    assert!(matches!(insts[0].conns[1], PortConn::Implicit(_)));
    assert!(matches!(insts[0].conns[2], PortConn::Wildcard(_)));
    assert!(matches!(insts[1].conns[0], PortConn::Named(_, None)));
    assert!(matches!(
        insts[2].params[0],
        ParamAssign::Positional(ParamValue::Expr(_))
    ));
    assert_eq!(insts[2].conns.len(), 3);
    assert!(matches!(insts[2].conns[1], PortConn::Positional(None)));
}

#[test]
fn generate_constructs() {
    let u = ok("module m #(parameter N = 4);\n genvar j;\n generate\n for (genvar i = 0; i < N; i++) begin : g\n  wire w;\n end\n for (j = 0; j < N; j += 2) begin\n end\n endgenerate\n if (N > 2) begin : a\n wire x;\n end else begin\n wire y;\n end\n case (N)\n 1, 2: begin end\n default: begin end\n endcase\nendmodule\n");
    let items = &u.modules[0].items;
    assert!(matches!(&items[0], Item::Genvar(v) if v.len() == 1));
    match &items[1] {
        Item::GenFor(f) => {
            assert!(f.declares);
            assert_eq!(f.genvar.name, "i");
            assert_eq!(f.block.label.as_ref().map(|l| l.name.as_str()), Some("g"));
            assert_eq!(f.block.items.len(), 1);
            assert!(matches!(
                &f.step.kind,
                ExprKind::Binary(BinaryOp::Add, _, _)
            ));
        }
        i => panic!("{i:?}"),
    }
    assert!(matches!(&items[2], Item::GenFor(f) if !f.declares));
    assert!(matches!(&items[3], Item::GenIf(g) if g.els.is_some() && g.then.label.is_some()));
    assert!(
        matches!(&items[4], Item::GenCase(c) if c.arms.len() == 2 && c.arms[0].0.len() == 2 && c.arms[1].0.is_empty())
    );
}

#[test]
fn functions_and_processes() {
    let u = ok("module m(input clk, input [3:0] a, output logic [3:0] y);\n function automatic logic [3:0] f(input [3:0] x, y);\n  logic [3:0] t;\n  t = x + y;\n  return t;\n endfunction\n task t2;\n  input a;\n endtask\n assign y = f(a, a), y = a;\n always_ff @(posedge clk) y <= a;\n always_comb begin end\n initial begin end\nendmodule\n");
    let items = &u.modules[0].items;
    match &items[0] {
        Item::Function(f) => {
            assert!(f.automatic && !f.is_task);
            assert!(f.ret.is_some());
            assert_eq!(f.args.len(), 2);
            assert_eq!(f.args[1].ty.packed.len(), 1, "y inherits the type of x");
            assert_eq!(f.decls.len(), 1);
            assert_eq!(f.body.len(), 2);
        }
        i => panic!("{i:?}"),
    }
    assert!(matches!(&items[1], Item::Function(t) if t.is_task && t.args.len() == 1));
    assert!(matches!(&items[2], Item::Assign(_)));
    assert!(matches!(&items[3], Item::Assign(_)));
    assert!(matches!(&items[4], Item::Always(a) if a.kind == AlwaysKind::AlwaysFf));
    assert!(matches!(&items[5], Item::Always(a) if a.kind == AlwaysKind::AlwaysComb));
    assert!(matches!(&items[6], Item::Initial(_)));
}

#[test]
fn default_clocking_and_disable() {
    let u = ok("module m(input clk, rst);\n default clocking @(posedge clk); endclocking\n default disable iff (rst);\nendmodule\n");
    let items = &u.modules[0].items;
    assert!(matches!(&items[0], Item::DefaultClocking(e) if e.edge == Edge::Pos));
    assert!(matches!(&items[1], Item::DefaultDisable(_)));
}

#[test]
fn unsupported_constructs_point_at_their_line() {
    let cases = [
        (
            // Logic gates are read now (tests/gates_implicit.rs); a
            // tri-state gate is not.
            "module m(input a, b, output y);\n\n  bufif1 g(y, a, b);\nendmodule\n",
            3,
        ),
        ("module m;\n wand w;\nendmodule\n", 2),
        ("interface i;\nendinterface\n", 1),
        ("module m;\n  chandle h;\nendmodule\n", 2),
        (
            "module m;\n\n  typedef union { logic a; } u_t;\nendmodule\n",
            3,
        ),
        ("module m;\n defparam u.W = 2;\nendmodule\n", 2),
        ("module m;\n event e;\nendmodule\n", 2),
        (
            "module m(input clk, a);\n\n a1: assert property (@(posedge clk) reject_on (clk) a);\nendmodule\n",
            3,
        ),
    ];
    for (src, line) in cases {
        let (l, msg) = err_line(src);
        assert_eq!(l, line, "{src}: {msg}");
        assert!(msg.contains("unsupported"), "{msg}");
    }
}

/// The testbench data types lower to their AST forms (elaboration
/// evaluates them, `elab::dynexec`).
#[test]
fn testbench_data_types_lower() {
    let u = ok("module m;\n string s;\n real r;\n shortreal h;\n int q [$];\n int b [$:3];\n int d [];\n int a [string];\n int w [*];\n initial d = new[4](d);\nendmodule\n");
    let vars: Vec<&VarDecl> = u.modules[0]
        .items
        .iter()
        .filter_map(|i| match i {
            Item::Var(v) => Some(v),
            _ => None,
        })
        .collect();
    assert!(matches!(vars[0].ty.kind, TypeKind::String));
    assert!(matches!(vars[1].ty.kind, TypeKind::Real));
    assert!(matches!(vars[2].ty.kind, TypeKind::ShortReal));
    assert!(matches!(vars[3].unpacked[..], [Dim::Queue(None)]));
    assert!(matches!(vars[4].unpacked[..], [Dim::Queue(Some(_))]));
    assert!(matches!(vars[5].unpacked[..], [Dim::Dynamic]));
    assert!(
        matches!(&vars[6].unpacked[..], [Dim::Assoc(Some(t))] if matches!(t.kind, TypeKind::String))
    );
    assert!(matches!(vars[7].unpacked[..], [Dim::Assoc(None)]));
    let init = u.modules[0].items.iter().find_map(|i| match i {
        Item::Initial(s) => Some(s),
        _ => None,
    });
    match init {
        Some(Stmt::Blocking { rhs, .. }) => {
            assert!(
                matches!(rhs.kind, ExprKind::New { init: Some(_), .. }),
                "{rhs:?}"
            )
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn empty_display_arguments_print_a_space_other_empty_arguments_are_refused() {
    // 21.2.1.1: `$display(a,,b)` prints a space between a and b.
    let u = ok("module m;\n initial $display(1,,2);\n always_comb $write(,);\nendmodule\n");
    let dbg = format!("{u:?}");
    assert_eq!(dbg.matches("String(\" \")").count(), 3, "{dbg}");
    let (line, msg) = err_line("module m;\n function int f(int a, int b); return a; endfunction\n initial x = f(1,,2);\nendmodule\n");
    assert_eq!(line, 3, "{msg}");
    assert!(msg.contains("empty argument"), "{msg}");
}
