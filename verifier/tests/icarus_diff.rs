//! Differential test of the simulator against Icarus Verilog: for every
//! regression design Icarus can run, random stimulus from several seeds is
//! replayed by verify's simulator and by a generated Verilog test bench
//! under Icarus; the outputs sampled each cycle (after the inputs settle,
//! before the clock edge) must be identical from the first cycle after
//! reset on (before it, Icarus shows X for registers not yet reset). The
//! native code (`Sim::set_jit`) must give the interpreter's outputs on
//! the same stimulus from cycle 0.

mod common;

use common::{parse_options, Manifest};
use ir::reset::ResetSpec;
use rtl::elab::ElabOptions;
use rtl::ir::Design;
use rtl::trace::Trace;
use sim::{InitMode, Program, SimOptions};
use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;
use std::sync::Arc;

const CYCLES: u64 = 1000;
const SEEDS: [u64; 3] = [1, 2, 3];

fn elaborate(dir: &Path, m: &Manifest) -> Result<Design, String> {
    let opts = rtl::FrontendOptions {
        parse: parse_options(dir, m),
        elab: ElabOptions {
            top: Some(m.top.clone()),
            params: m
                .params
                .iter()
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
            global_clock: false,
            all_tops: false,
        },
    };
    let c = rtl::compile(&opts);
    match c.result {
        Ok(e) => Ok(rtl::passes::optimize(&e.design)),
        Err(e) => Err(e.render(&c.sources, false)),
    }
}

/// A test bench that applies each cycle's inputs, waits for them to
/// settle, prints the outputs in hex, then gives a clock edge. A design on
/// a global clock has no clock of its own here: each tick applies the data
/// inputs, prints, then applies the tick's values of the clock inputs
/// (their edges clock the registers with the settled data, as verify's
/// registers take the values of the tick of their clock's edge).
fn testbench(d: &Design, m: &Manifest, stim_words: usize, stim: &Path) -> String {
    let global = !d.clock_inputs.is_empty();
    let clock = d.clock.clone().unwrap_or_else(|| "clk".into());
    let in_bits: u32 = d.inputs.iter().map(|i| i.width).sum::<u32>().max(1);
    let mut tb = String::new();
    writeln!(tb, "module verify_tb;").unwrap();
    if !global {
        writeln!(tb, "  reg {clock} = 0;").unwrap();
    }
    // Hidden inputs (free values verify made: `$oob@49_37`, undriven bits)
    // are not ports: the bench keeps their stimulus bits in a reg of its
    // own, and Icarus computes x there.
    let tb_name = |i: usize| -> String {
        let n = &d.inputs[i].name;
        if hidden(n) {
            format!("verify_hidden_{i}")
        } else {
            n.clone()
        }
    };
    for (k, i) in d.inputs.iter().enumerate() {
        writeln!(tb, "  reg [{}:0] {};", i.width - 1, tb_name(k)).unwrap();
    }
    for o in &d.outputs {
        writeln!(tb, "  wire [{}:0] {};", o.width - 1, o.name).unwrap();
    }
    writeln!(tb, "  reg [{}:0] stim [0:{}];", in_bits - 1, stim_words - 1).unwrap();
    let params: Vec<String> = m.params.iter().map(|(k, v)| format!(".{k}({v})")).collect();
    let ptext = if params.is_empty() {
        String::new()
    } else {
        format!(" #({})", params.join(", "))
    };
    let mut conns: Vec<String> = d
        .inputs
        .iter()
        .filter(|i| !hidden(&i.name))
        .map(|i| format!(".{0}({0})", i.name))
        .collect();
    if d.clock.is_some() && !global {
        conns.push(format!(".{0}({0})", clock));
    }
    conns.extend(d.outputs.iter().map(|o| format!(".{0}({0})", o.name)));
    writeln!(tb, "  {}{ptext} dut ({});", d.top, conns.join(", ")).unwrap();
    writeln!(tb, "  integer c;").unwrap();
    writeln!(tb, "  initial begin").unwrap();
    writeln!(tb, "    $readmemh(\"{}\", stim);", stim.display()).unwrap();
    writeln!(tb, "    for (c = 0; c < {stim_words}; c = c + 1) begin").unwrap();
    // Inputs packed most significant first, in port order.
    let mut hi = in_bits;
    if d.inputs.is_empty() {
        writeln!(tb, "      ;").unwrap();
    }
    let mut clocks = Vec::new();
    for (k, i) in d.inputs.iter().enumerate() {
        let set = format!("{} = stim[c][{}:{}];", tb_name(k), hi - 1, hi - i.width);
        if d.clock_inputs.contains(&i.name) {
            clocks.push(set);
        } else {
            writeln!(tb, "      {set}").unwrap();
        }
        hi -= i.width;
    }
    writeln!(tb, "      #1;").unwrap();
    let fmt: Vec<&str> = d.outputs.iter().map(|_| "%h").collect();
    let outs: Vec<&str> = d.outputs.iter().map(|o| o.name.as_str()).collect();
    if outs.is_empty() {
        writeln!(tb, "      $display(\"@V -\");").unwrap();
    } else {
        writeln!(
            tb,
            "      $display(\"@V {}\", {});",
            fmt.join(" "),
            outs.join(", ")
        )
        .unwrap();
    }
    if global {
        writeln!(tb, "      #4;").unwrap();
        for set in &clocks {
            writeln!(tb, "      {set}").unwrap();
        }
        writeln!(tb, "      #5;").unwrap();
    } else {
        writeln!(tb, "      #4 {clock} = 1;").unwrap();
        writeln!(tb, "      #5 {clock} = 0;").unwrap();
    }
    writeln!(tb, "    end").unwrap();
    writeln!(tb, "    $finish;").unwrap();
    writeln!(tb, "  end").unwrap();
    writeln!(tb, "endmodule").unwrap();
    tb
}

/// An input verify made (not a port of the design): its name is no
/// Verilog identifier.
fn hidden(name: &str) -> bool {
    !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

fn stimulus_hex(d: &Design, t: &Trace) -> String {
    let rows = t.decode(d).expect("trace fits the design");
    let mut out = String::new();
    for row in rows {
        let mut packed: Option<rtl::Bits> = None;
        for v in row {
            packed = Some(match packed {
                None => v,
                Some(p) => p.concat(&v),
            });
        }
        let hex = packed.map(|p| p.to_hex()).unwrap_or_else(|| "0".into());
        writeln!(out, "{hex}").unwrap();
    }
    out
}

fn run_icarus(
    dir: &Path,
    m: &Manifest,
    d: &Design,
    t: &Trace,
    work: &Path,
) -> Result<Vec<Vec<String>>, String> {
    std::fs::create_dir_all(work).unwrap();
    let stim = work.join("verify_stim.hex");
    std::fs::write(
        work.join("verify_tb.v"),
        testbench(d, m, t.cycles.len(), &stim),
    )
    .unwrap();
    std::fs::write(&stim, stimulus_hex(d, t)).unwrap();
    let p = parse_options(dir, m);
    let mut cmd = Command::new("iverilog");
    cmd.arg("-g2012")
        .arg("-o")
        .arg(work.join("tb.vvp"))
        .arg("-s")
        .arg("verify_tb");
    for i in &p.include_dirs {
        cmd.arg(format!("-I{}", i.display()));
    }
    for (k, v) in &p.defines {
        match v {
            Some(v) => cmd.arg(format!("-D{k}={v}")),
            None => cmd.arg(format!("-D{k}")),
        };
    }
    cmd.arg(work.join("verify_tb.v"));
    cmd.args(&p.files);
    let out = cmd
        .output()
        .map_err(|e| format!("cannot run iverilog (install Debian's iverilog): {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "iverilog failed:\n{}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    // $readmemh paths in designs are relative to the design folder.
    let run = Command::new("vvp")
        .arg("-n")
        .arg(work.join("tb.vvp"))
        .current_dir(dir)
        .output();
    let run = run.map_err(|e| format!("cannot run vvp: {e}"))?;
    let text = String::from_utf8_lossy(&run.stdout);
    Ok(text
        .lines()
        .filter_map(|l| l.strip_prefix("@V "))
        .map(|l| l.split_whitespace().map(|s| s.to_string()).collect())
        .collect())
}

#[test]
fn simulator_matches_icarus_on_every_regression_design() {
    let work_root = std::env::temp_dir().join(format!("verify-icarus-{}", std::process::id()));
    let mut problems = Vec::new();
    let mut compared = 0;
    for (dir, m) in &common::manifests() {
        if !m.icarus {
            continue;
        }
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        let d = match elaborate(dir, m) {
            Ok(d) => d,
            Err(e) => {
                problems.push(format!("{name}: does not elaborate:\n{e}"));
                continue;
            }
        };
        let prog = Arc::new(Program::compile(&d).unwrap());
        let opts = SimOptions {
            cycles: CYCLES,
            reset: m
                .reset
                .as_deref()
                .map(ResetSpec::parse)
                .unwrap_or(ResetSpec::Auto),
            clocks: m
                .clock_specs(dir)
                .unwrap()
                .iter()
                .map(|c| sim::ClockSpec::parse(c).unwrap())
                .collect(),
            ..SimOptions::default()
        };
        let reset = ir::reset::resolve(&d, &opts.reset, opts.reset_cycles).unwrap();
        for seed in SEEDS {
            let t = sim::random_trace(&prog, &opts, reset.as_ref(), seed, CYCLES);
            let ours = sim::replay(&d, &t, InitMode::Random).unwrap();
            // The native code (`--jit`) on the same stimulus must give the
            // interpreter's outputs, which are compared with Icarus below.
            let (mut native, rows) = sim::sim_from_trace(&prog, &t, InitMode::Random).unwrap();
            native.set_jit(true);
            for (c, row) in rows.iter().enumerate() {
                native.set_inputs(row);
                native.eval();
                let outs: Vec<rtl::Bits> = d.outputs.iter().map(|o| native.get(o.node)).collect();
                if outs != ours.outputs[c] {
                    problems.push(format!(
                        "{name} seed {seed} cycle {c}: native code and interpreter differ"
                    ));
                    break;
                }
                native.step();
            }
            let theirs = match run_icarus(dir, m, &d, &t, &work_root.join(&name)) {
                Ok(x) => x,
                Err(e) => {
                    problems.push(format!("{name}: {e}"));
                    break;
                }
            };
            if theirs.len() != ours.outputs.len() {
                problems.push(format!(
                    "{name} seed {seed}: Icarus printed {} cycles, expected {}",
                    theirs.len(),
                    ours.outputs.len()
                ));
                break;
            }
            let first = opts.reset_cycles as usize;
            for (c, (row, their_row)) in ours.outputs.iter().zip(&theirs).enumerate().skip(first) {
                for (k, o) in d.outputs.iter().enumerate() {
                    let a = row[k].to_hex();
                    let b = their_row.get(k).cloned().unwrap_or_default();
                    if rtl::Bits::from_hex(o.width, &b).map(|x| x.to_hex()) != Some(a.clone()) {
                        problems.push(format!("{name} seed {seed} cycle {c}: output {} is {a} in verify, {b} in Icarus", o.name));
                    }
                }
                if problems.len() > 20 {
                    break;
                }
            }
            compared += 1;
        }
    }
    let _ = std::fs::remove_dir_all(&work_root);
    assert!(
        problems.is_empty(),
        "{} mismatches:\n{}",
        problems.len(),
        problems.join("\n")
    );
    assert!(compared >= 3 * 20, "compared only {compared} runs");
}
