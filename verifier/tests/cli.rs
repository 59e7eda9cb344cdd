//! The `verify` binary as a user meets it: exit statuses, messages with
//! `file:line:col`, the lint summary.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn verify(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_verify"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("run verify")
}

fn text(o: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

/// The codes of the diagnostics in `err`, in order: `error[E0101]` and
/// `warning[W0301]` headers.
fn codes(err: &str) -> Vec<String> {
    err.lines()
        .filter_map(|l| {
            let rest = l
                .strip_prefix("error[")
                .or_else(|| l.strip_prefix("warning["))?;
            Some(rest.split(']').next()?.to_string())
        })
        .collect()
}

fn regression(p: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../regressions")
        .join(p)
        .display()
        .to_string()
}

fn temp(name: &str, body: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("verify-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join(name);
    std::fs::write(&p, body).unwrap();
    p
}

#[test]
fn lint_prints_a_summary_and_exits_0() {
    let o = verify(&["--lint", &regression("fifo_sync/fifo_sync.sv")]);
    let (out, err) = text(&o);
    assert_eq!(o.status.code(), Some(0), "stderr: {err}");
    assert!(
        out.starts_with("fifo_sync: 1 module, 1 instance, "),
        "{out}"
    );
    assert!(
        out.contains("register") && out.contains("memor") && out.contains("propert"),
        "{out}"
    );
}

#[test]
fn dump_ir_lists_nodes() {
    let o = verify(&[
        "--lint",
        "--dump-ir",
        &regression("counter_el/counter_el.sv"),
    ]);
    let (out, err) = text(&o);
    assert_eq!(o.status.code(), Some(0), "stderr: {err}");
    assert!(out.lines().count() > 10, "{out}");
    assert!(out.contains("reg"), "{out}");
}

#[test]
fn syntax_error_names_file_line_col_and_exits_2() {
    let f = temp(
        "bad.sv",
        "module m(input logic a, output logic b);\n  assign b = a &;\nendmodule\n",
    );
    let o = verify(&["--lint", f.to_str().unwrap()]);
    let (out, err) = text(&o);
    assert_eq!(o.status.code(), Some(2));
    assert!(out.is_empty(), "nothing on stdout: {out}");
    assert!(err.contains("bad.sv:2:"), "{err}");
    assert!(err.contains("syntax error"), "{err}");
    assert_eq!(codes(&err), ["E0101"], "{err}");
    assert!(
        err.contains("assign b = a &;"),
        "the source line is shown: {err}"
    );
}

#[test]
fn unsupported_construct_is_refused_with_location() {
    let f = temp(
        "sva.sv",
        // An eventuality over a sequence needs a tracker per attempt: refused.
        "module m(input logic clk, input logic a);\n  assert property (@(posedge clk) a |-> s_eventually (a ##1 a));\nendmodule\n",
    );
    let o = verify(&["--lint", f.to_str().unwrap()]);
    let (_, err) = text(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("sva.sv:2:"), "{err}");
    assert_eq!(codes(&err), ["E0340"], "{err}");
    assert!(
        err.contains("unsupported")
            || err.contains("not supported")
            || err.contains("does not build"),
        "{err}"
    );
}

#[test]
fn missing_file_and_bad_flags_exit_2() {
    let o = verify(&["--lint", "/nonexistent/x.sv"]);
    let (_, err) = text(&o);
    assert_eq!(o.status.code(), Some(2));
    assert!(err.contains("/nonexistent/x.sv"), "{err}");
    assert_eq!(codes(&err), ["E0100"], "{err}");
    let o = verify(&["--lint", "--no-such-flag"]);
    assert_eq!(o.status.code(), Some(2));
    let o = verify(&[
        "--lint",
        "-G",
        "NOEQUALS",
        &regression("fifo_sync/fifo_sync.sv"),
    ]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn conflicting_mode_flags_are_refused_and_enumerated_flags_checked() {
    let f = regression("fifo_sync/fifo_sync.sv");
    // Two runs asked for: refused (once `--sim --bmc` quietly ran only BMC).
    for (a, b) in [
        ("--sim", "--bmc"),
        ("--lint", "--sim"),
        ("--dump-ir", "--prove"),
        ("--closure", "--cover"),
    ] {
        let o = verify(&[a, b, &f]);
        let (out, err) = text(&o);
        assert_eq!(o.status.code(), Some(2), "{a} {b}: {out}{err}");
        assert!(err.contains(a) && err.contains(b), "{a} {b}: {err}");
        assert!(out.is_empty(), "{a} {b}: nothing runs: {out}");
    }
    // Flags of one mode go together.
    let out_dir = std::env::temp_dir().join(format!("verify-cli-modes-{}", std::process::id()));
    let od = out_dir.display().to_string();
    let o = verify(&["--bmc", "--cover", "--depth", "12", "--out", &od, &f]);
    let (out, err) = text(&o);
    assert_eq!(o.status.code(), Some(0), "{out}{err}");
    assert!(out.contains("checked to depth 12"), "{out}");
    let o = verify(&["--lint", "--dump-ir", &f]);
    assert_eq!(o.status.code(), Some(0), "{:?}", text(&o));
    // Enumerated values are checked by the parser, with the choices named.
    for (flag, bad) in [
        ("--init", "ones"),
        ("--jit", "maybe"),
        ("--mode", "live"),
        ("--color", "blue"),
    ] {
        let o = verify(&["--sim", flag, bad, &f]);
        let (_, err) = text(&o);
        assert_eq!(o.status.code(), Some(2), "{flag} {bad}: {err}");
        assert!(err.contains("possible values"), "{flag} {bad}: {err}");
    }
}

#[test]
fn defines_parameters_and_top() {
    let f = temp(
        "p.sv",
        "module leaf #(parameter W = 2) (input logic [W-1:0] a, output logic [W-1:0] y);\n\
         `ifdef WIDE\n  assign y = ~a;\n`else\n  assign y = a;\n`endif\nendmodule\n\
         module other; endmodule\n",
    );
    // Two candidate tops: simulation needs one, the error lists them
    // (`--lint` checks both: lint_checks_every_uninstantiated_top).
    let o = verify(&["--sim", f.to_str().unwrap()]);
    let (_, err) = text(&o);
    assert_eq!(o.status.code(), Some(2));
    assert!(err.contains("leaf") && err.contains("other"), "{err}");
    assert_eq!(codes(&err), ["E0303"], "{err}");
    let o = verify(&[
        "--lint",
        "--top",
        "leaf",
        "-G",
        "W=9",
        "-D",
        "WIDE",
        "--dump-ir",
        f.to_str().unwrap(),
    ]);
    let (out, err) = text(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(out.contains(": 9"), "W=9 gives 9-bit ports: {out}");
    assert!(out.contains("not"), "WIDE selects the inverter: {out}");
}

#[test]
fn file_lists_work() {
    let o = verify(&["--lint", "-F", &regression("soc_filelist/files.f")]);
    let (_, err) = text(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
}

/// Issue 15's soundness bug: a planted memory bug reachable only through an
/// `(* anyconst *)` address. Read as 0, the address is never 9 and BMC said
/// `pass`; free, the solver chooses 9 and the trace replays in simulation.
#[test]
fn anyconst_address_finds_the_planted_memory_bug() {
    let out = std::env::temp_dir().join(format!("verify-cli-anyconst-{}", std::process::id()));
    let json = out.join("r.json");
    let o = verify(&[
        "--bmc",
        "--depth",
        "4",
        &regression("mem_anyconst/mem_anyconst.sv"),
        "--out",
        out.to_str().unwrap(),
        "--json",
        json.to_str().unwrap(),
    ]);
    let (stdout, err) = text(&o);
    assert_eq!(o.status.code(), Some(1), "{stdout}\n{err}");
    let r: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    let p = r["properties"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "mem_anyconst.a_read_back")
        .expect("a_read_back in the report");
    assert_eq!(
        (p["status"].as_str(), p["depth"].as_u64()),
        (Some("fail"), Some(1))
    );
    // The trace fixes the anyconst register's initial value to the address.
    let trace: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(out.join("mem_anyconst.a_read_back/trace.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(trace["init"]["mem_anyconst.f_addr"], "9", "{trace}");
    // Random simulation finds it too, on the seeds whose address is 9.
    let o = verify(&[
        "--sim",
        "--seeds",
        "64",
        "--cycles",
        "500",
        &regression("mem_anyconst/mem_anyconst.sv"),
        "--out",
        out.to_str().unwrap(),
    ]);
    let (stdout, err) = text(&o);
    assert_eq!(o.status.code(), Some(1), "{stdout}\n{err}");
    assert!(stdout.contains("FAIL mem_anyconst.a_read_back"), "{stdout}");
}

/// `initial x = in;`: `x` starts at whatever the input is at time 0. It
/// read as 0 and `assert (x == 0)` passed; now `x` starts free (W0312)
/// and BMC breaks the assertion at cycle 0, in a trace that replays.
#[test]
fn initial_value_read_from_an_input_is_free() {
    let sv = temp(
        "initial_from_input.sv",
        "module top(input logic clk, input logic [3:0] in);\n  logic [3:0] x;\n  initial x = in;\n  always @(posedge clk) assert (x == 0);\nendmodule\n",
    );
    let out = std::env::temp_dir().join(format!("verify-cli-initin-{}", std::process::id()));
    let o = verify(&[
        "--bmc",
        "--depth",
        "3",
        sv.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    let (stdout, err) = text(&o);
    assert_eq!(o.status.code(), Some(1), "{stdout}\n{err}");
    assert!(err.contains("W0312"), "{err}");
    assert!(stdout.contains("fail"), "{stdout}");
}

#[test]
fn clock_file_sets_the_schedule_and_flags_override_it() {
    let sv = temp(
        "two_clocks.sv",
        "module m(input logic ca, cb, d, output logic qa, qb);\n  always_ff @(posedge ca) qa <= d;\n  always_ff @(posedge cb) qb <= qa;\nendmodule\n",
    );
    let clocks = temp(
        "clocks.toml",
        "[clocks]\nca = 4\ncb = { period = 6, phase = 3 }\n",
    );
    let (s, c) = (sv.to_str().unwrap(), clocks.to_str().unwrap());
    let o = verify(&["--sim", "--cycles", "20", "--clock-file", c, s]);
    let (_, err) = text(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(err.contains("`ca` every 4 ticks"), "{err}");
    assert!(err.contains("`cb` every 6 ticks from tick 3"), "{err}");
    let o = verify(&[
        "--sim",
        "--cycles",
        "20",
        "--clock-file",
        c,
        "--clock",
        "cb=2@1",
        s,
    ]);
    let (_, err) = text(&o);
    assert!(err.contains("`cb` every 2 ticks from tick 1"), "{err}");
    // A bad file: exit 2, the file and the problem named.
    let bad = temp("bad_clocks.toml", "[clocks]\nca = { period = 1 }\n");
    let o = verify(&["--sim", "--clock-file", bad.to_str().unwrap(), s]);
    let (_, err) = text(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(
        err.contains("bad_clocks.toml") && err.contains("at least 2"),
        "{err}"
    );
}

#[test]
fn color_is_honoured() {
    let f = temp(
        "color.sv",
        "module m(input logic a, output logic b);\n  assign b = a &;\nendmodule\n",
    );
    let f = f.to_str().unwrap();
    let o = verify(&["--lint", "--color", "always", f]);
    let (_, err) = text(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(
        err.contains("\x1b["),
        "escape sequences with --color always: {err:?}"
    );
    assert!(err.contains("E0101"), "{err:?}");
    for mode in ["never", "auto"] {
        // auto: standard error is a pipe here, not a terminal.
        let o = verify(&["--lint", "--color", mode, f]);
        let (_, err) = text(&o);
        assert_eq!(o.status.code(), Some(2), "{err}");
        assert!(
            !err.contains('\x1b'),
            "no escape with --color {mode}: {err:?}"
        );
        assert_eq!(codes(&err), ["E0101"], "{err}");
    }
}

#[test]
fn several_files_with_errors_are_all_reported() {
    let a = temp(
        "several_a.sv",
        "module a(input logic x, output logic y);\n  assign y = x &;\nendmodule\n",
    );
    let b = temp("several_b.sv", "module b;\n  wire w = ;\nendmodule\n");
    let c = temp(
        "several_c.sv",
        "module c(input logic x, output logic y);\n  assign y = x;\nendmodule\n",
    );
    let o = verify(&[
        "--lint",
        a.to_str().unwrap(),
        b.to_str().unwrap(),
        c.to_str().unwrap(),
    ]);
    let (out, err) = text(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(out.is_empty(), "nothing on stdout: {out}");
    assert_eq!(codes(&err), ["E0101", "E0101"], "{err}");
    assert!(err.contains("several_a.sv:2:"), "{err}");
    assert!(err.contains("several_b.sv:2:"), "{err}");
}

#[test]
fn many_errors_are_capped_with_a_count() {
    let files: Vec<String> = (0..23)
        .map(|i| {
            let f = temp(
                &format!("cap_{i}.sv"),
                &format!(
                    "module m{i}(input logic a, output logic b);\n  assign b = a &;\nendmodule\n"
                ),
            );
            f.to_str().unwrap().to_string()
        })
        .collect();
    let mut args = vec!["--lint"];
    args.extend(files.iter().map(|f| f.as_str()));
    let o = verify(&args);
    let (_, err) = text(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert_eq!(codes(&err).len(), 20, "{err}");
    assert!(err.contains("3 more errors not shown (23 in all)"), "{err}");
}

#[test]
fn several_files_with_unsupported_constructs_are_all_reported() {
    let a = temp(
        "lower_a.sv",
        "module a(output logic x);\n  initial fork x = 1; join\nendmodule\n",
    );
    let b = temp(
        "lower_b.sv",
        "module b(output logic y);\n  logic z;\n  initial fork y = 0; join\nendmodule\n",
    );
    let o = verify(&["--lint", a.to_str().unwrap(), b.to_str().unwrap()]);
    let (out, err) = text(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(out.is_empty(), "nothing on stdout: {out}");
    assert_eq!(codes(&err), ["E0200", "E0200"], "{err}");
    assert!(err.contains("lower_a.sv:2:"), "{err}");
    assert!(err.contains("lower_b.sv:3:"), "{err}");
}

#[test]
fn multiple_drivers_point_at_both_drivers() {
    let f = temp(
        "drivers.sv",
        "module m(input logic x, output logic a);\n  assign a = x;\n  assign a = ~x;\nendmodule\n",
    );
    let o = verify(&["--lint", f.to_str().unwrap()]);
    let (_, err) = text(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert_eq!(codes(&err), ["E0320"], "{err}");
    assert!(err.contains("drivers.sv:3:"), "{err}");
    assert!(err.contains("second driver"), "{err}");
    // The first driver is shown as a located secondary label.
    assert!(err.contains("also driven here"), "{err}");
    assert!(err.contains("assign a = x;"), "{err}");
}

#[test]
fn sim_json_reports_every_assertion_and_cover() {
    let sv = temp(
        "simjson.sv",
        "module m(input logic clk, input logic [3:0] d, output logic [3:0] q);\n  always_ff @(posedge clk) q <= d;\n  a_small: assert property (@(posedge clk) q != 4'd9);\n  a_ok: assert property (@(posedge clk) q <= 4'd15);\n  c_five: cover property (@(posedge clk) q == 4'd5);\nendmodule\n",
    );
    let json = sv.with_extension("json");
    let out = sv.with_extension("out");
    let o = verify(&[
        "--sim",
        "--seeds",
        "4",
        "--cycles",
        "400",
        "--json",
        json.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        sv.to_str().unwrap(),
    ]);
    let (stdout, err) = text(&o);
    assert_eq!(o.status.code(), Some(1), "{stdout}{err}");
    let rep: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    assert_eq!(rep["top"], "m");
    let by = |n: &str| {
        rep["properties"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["name"] == n)
            .unwrap_or_else(|| panic!("{n} in {rep}"))
            .clone()
    };
    let small = by("m.a_small");
    assert_eq!(small["status"], "fail");
    assert!(std::path::Path::new(small["trace"].as_str().unwrap()).is_file());
    assert_eq!(by("m.a_ok")["status"], "pass");
    assert_eq!(by("m.c_five")["status"], "covered");
}

#[test]
fn lint_checks_every_uninstantiated_top() {
    // Two tops, both fine: one summary line each, exit 0.
    let ok = temp(
        "two_tops.sv",
        "module a(input x, output y); assign y = ~x; endmodule\n\
         module b(input x, output y); sub u(x, y); endmodule\n\
         module sub(input i, output o); assign o = i; endmodule\n",
    );
    let o = verify(&["--lint", ok.to_str().unwrap()]);
    let (out, err) = text(&o);
    assert_eq!(o.status.code(), Some(0), "stderr: {err}");
    let lines: Vec<&str> = out.lines().collect();
    assert!(lines[0].starts_with("a: 1 module, 1 instance"), "{out}");
    assert!(lines[1].starts_with("b: 2 modules, 2 instances"), "{out}");
    // Errors in both tops: both reported, located, exit 2.
    let bad = temp(
        "two_bad_tops.sv",
        "module a(input x, output y); assign y = x & q; endmodule\n\
         module b(input x, output y); assign y = x | r; endmodule\n",
    );
    let o = verify(&["--lint", bad.to_str().unwrap()]);
    let (_, err) = text(&o);
    assert_eq!(o.status.code(), Some(2), "stderr: {err}");
    assert_eq!(codes(&err), ["E0301", "E0301"], "{err}");
    assert!(
        err.contains("`q` is not declared") && err.contains("two_bad_tops.sv:1:"),
        "{err}"
    );
    assert!(
        err.contains("`r` is not declared") && err.contains("two_bad_tops.sv:2:"),
        "{err}"
    );
    // Simulation and formal run one design: they still need --top.
    for mode in ["--sim", "--bmc"] {
        let o = verify(&[mode, ok.to_str().unwrap()]);
        let (_, err) = text(&o);
        assert_eq!(o.status.code(), Some(2), "{mode}: {err}");
        assert!(
            err.contains("several modules could be the top (a, b)"),
            "{err}"
        );
        assert!(err.contains("--top NAME"), "{err}");
    }
    let o = verify(&["--sim", "--top", "b", "--cycles", "5", ok.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o).1);
}
