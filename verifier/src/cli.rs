//! Command-line interface (clap). Flags are a public interface: add freely,
//! rename none.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// `--engine` values (see [`solver::Engine`]).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum EngineArg {
    #[default]
    Auto,
    Bmc,
    Kind,
    Pdr,
}

impl EngineArg {
    pub fn engine(self) -> solver::Engine {
        match self {
            EngineArg::Auto => solver::Engine::Auto,
            EngineArg::Bmc => solver::Engine::Bmc,
            EngineArg::Kind => solver::Engine::Kind,
            EngineArg::Pdr => solver::Engine::Pdr,
        }
    }
}

/// `--mode`: a formal mode as SymbiYosys names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum FormalMode {
    Bmc,
    Prove,
    Cover,
}

/// `--init`: what uninitialised registers and memories hold in simulation.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum InitArg {
    #[default]
    Random,
    Zero,
}

impl InitArg {
    pub fn mode(self) -> sim::InitMode {
        match self {
            InitArg::Random => sim::InitMode::Random,
            InitArg::Zero => sim::InitMode::Zero,
        }
    }
}

/// `--jit`: native code for single-seed simulation.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum JitArg {
    #[default]
    Auto,
    On,
    Off,
}

impl JitArg {
    pub fn mode(self) -> sim::JitMode {
        match self {
            JitArg::Auto => sim::JitMode::Auto,
            JitArg::On => sim::JitMode::On,
            JitArg::Off => sim::JitMode::Off,
        }
    }
}

/// `--color`: colour in diagnostics.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum ColorArg {
    #[default]
    Auto,
    Always,
    Never,
}

impl ColorArg {
    /// Whether to colour output going to a stream (`terminal`: the stream
    /// is a terminal, what `auto` follows).
    pub fn on(self, terminal: bool) -> bool {
        match self {
            ColorArg::Always => true,
            ColorArg::Never => false,
            ColorArg::Auto => terminal,
        }
    }
}

/// What one run does. Exactly one: mode flags that ask for two are
/// refused, not resolved by precedence (`--sim --bmc` used to run only BMC).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RunMode {
    /// `--lint` (`--dump-ir`, `--times` alone imply it).
    Lint,
    /// `--sim` or `--stimulus`.
    Sim,
    /// `--bmc`, `--prove`, `--cover`, `--mode`, `--emit-btor2`.
    Formal,
    /// `--closure`, or no mode flag at all.
    Closure,
}

impl RunArgs {
    /// The one mode the flags ask for, or an error naming the two flags
    /// that conflict.
    pub fn run_mode(&self) -> Result<RunMode, String> {
        let flags = [
            (self.lint, RunMode::Lint, "--lint"),
            (self.dump_ir, RunMode::Lint, "--dump-ir"),
            (self.times, RunMode::Lint, "--times"),
            (self.sim, RunMode::Sim, "--sim"),
            (self.stimulus.is_some(), RunMode::Sim, "--stimulus"),
            (self.bmc, RunMode::Formal, "--bmc"),
            (self.prove, RunMode::Formal, "--prove"),
            (self.cover, RunMode::Formal, "--cover"),
            (self.mode.is_some(), RunMode::Formal, "--mode"),
            (self.emit_btor2.is_some(), RunMode::Formal, "--emit-btor2"),
            (self.closure, RunMode::Closure, "--closure"),
        ];
        let mut chosen: Option<(RunMode, &str)> = None;
        for (set, mode, flag) in flags {
            if !set {
                continue;
            }
            match chosen {
                None => chosen = Some((mode, flag)),
                Some((m, first)) if m != mode => {
                    return Err(format!(
                        "{first} and {flag} ask for two different runs ({} and {}): give one",
                        mode_name(m),
                        mode_name(mode)
                    ))
                }
                Some(_) => {}
            }
        }
        Ok(chosen.map_or(RunMode::Closure, |c| c.0))
    }
}

fn mode_name(m: RunMode) -> &'static str {
    match m {
        RunMode::Lint => "lint",
        RunMode::Sim => "simulation",
        RunMode::Formal => "formal",
        RunMode::Closure => "closure",
    }
}

#[derive(Parser, Debug)]
#[command(
    name = "verify",
    version,
    about = "Hardware design verification: lint, simulate and model-check SystemVerilog",
    long_about = "verify reads SystemVerilog, elaborates it into one netlist, and checks its \
assertions with a cycle-accurate simulator and a Z3 bounded model checker.\n\n\
Exit status: 0 all good, 1 a property failed, 2 error (bad input or flags), 3 unknown left.",
    args_conflicts_with_subcommands = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,

    #[command(flatten)]
    pub run: RunArgs,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Run the regression suite found under DIR (manifests named verify.toml).
    Regress(RegressArgs),
    /// Merge the result files of regression shards into one report and one gate.
    Merge(MergeArgs),
    /// Run a SymbiYosys project file (.sby): every task (or the ones named),
    /// SymbiYosys's PASS/FAIL/UNKNOWN per task, its exit code.
    Sby(SbyArgs),
}

#[derive(Args, Debug, Clone)]
pub struct SbyArgs {
    /// The .sby file.
    pub file: PathBuf,
    /// Tasks to run (default: every task, or the file's default tasks).
    pub tasks: Vec<String>,
    /// Folder for the per-task folders (default: the .sby file's folder).
    #[arg(short = 'd', long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
    /// Stop each task after SECS seconds (what is known is reported).
    #[arg(long, value_name = "SECS")]
    pub timeout: Option<f64>,
    /// Colour in diagnostics: auto (when standard error is a terminal),
    /// always, never.
    #[arg(long, value_enum, default_value_t = ColorArg::Auto, value_name = "WHEN")]
    pub color: ColorArg,
}

#[derive(Args, Debug, Clone)]
pub struct RegressArgs {
    /// Folder searched for manifests.
    pub dir: PathBuf,
    /// Write the results as JUnit XML (for CI).
    #[arg(long, value_name = "F")]
    pub junit: Option<PathBuf>,
    /// Write the results as JSON (what `verify merge` reads).
    #[arg(long, value_name = "F")]
    pub json: Option<PathBuf>,
    /// Write the suite's coverage as JSON: per design, the sim jobs'
    /// coverage merged over every seed and the closure job's database.
    #[arg(long, value_name = "F")]
    pub coverage: Option<PathBuf>,
    /// Results folder: last.json (the last run) and failures/<job>/ (trace, VCD, repro.sh).
    #[arg(long, default_value = "verify_out/regress", value_name = "DIR")]
    pub out: PathBuf,
    /// Run shard I of N (1-based): a deterministic slice of the jobs and of each sim job's seeds.
    #[arg(long, value_name = "I/N")]
    pub shard: Option<String>,
    /// Re-run only the jobs that failed in the last run (OUT/last.json).
    #[arg(long)]
    pub rerun_failed: bool,
    /// Run only the jobs whose name (design/kind) contains PATTERN (repeatable).
    #[arg(long, value_name = "PATTERN")]
    pub only: Vec<String>,
    /// Worker threads (default: one per core); results do not depend on it.
    #[arg(long, default_value_t = 0, value_name = "N")]
    pub threads: usize,
    /// Colour in the diagnostics of the table (a design that does not
    /// elaborate): auto (when standard output is a terminal), always,
    /// never. Results files never hold colour.
    #[arg(long, value_enum, default_value_t = ColorArg::Auto, value_name = "WHEN")]
    pub color: ColorArg,
}

#[derive(Args, Debug, Clone)]
pub struct MergeArgs {
    /// Result files of `verify regress --json` (one per shard).
    #[arg(required = true)]
    pub results: Vec<PathBuf>,
    /// Write the merged results as JUnit XML.
    #[arg(long, value_name = "F")]
    pub junit: Option<PathBuf>,
    /// Write the merged results as JSON.
    #[arg(long, value_name = "F")]
    pub json: Option<PathBuf>,
    /// Write the merged coverage as JSON: per design, the sim jobs'
    /// coverage merged over every shard's seeds and the closure database.
    #[arg(long, value_name = "F")]
    pub coverage: Option<PathBuf>,
    /// Folder for the merged last.json.
    #[arg(long, default_value = "verify_out/regress", value_name = "DIR")]
    pub out: PathBuf,
}

/// A `chformal`-style edit: the properties of the listed kinds are removed
/// or change kind (assert <-> assume: both nodes are 1 when violated).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PropEdit {
    pub kinds: Vec<rtl::ir::PropKind>,
    /// None: remove them; Some(k): make them of kind k.
    pub to: Option<rtl::ir::PropKind>,
}

#[derive(Args, Debug, Clone, Default)]
pub struct RunArgs {
    /// SystemVerilog source files.
    pub files: Vec<PathBuf>,

    // ---- modes
    /// Parse and elaborate, print a one-line summary.
    #[arg(long, help_heading = "Modes")]
    pub lint: bool,
    /// With --lint: print the elaborated IR.
    #[arg(long, help_heading = "Modes")]
    pub dump_ir: bool,
    /// With --lint: print the time each front-end phase took.
    #[arg(long, help_heading = "Modes")]
    pub times: bool,
    /// Simulate: random stimulus over one or many seeds, or replay --stimulus.
    #[arg(long, help_heading = "Modes")]
    pub sim: bool,
    /// Bounded model checking with Z3: every assertion, up to --depth.
    #[arg(long, help_heading = "Modes")]
    pub bmc: bool,

    /// Coverage closure: simulation (random and learned stimulus) and formal side by side on one coverage database; the default when no mode is given.
    #[arg(long, help_heading = "Modes")]
    pub closure: bool,

    // ---- formal
    /// Unrolling depth for --bmc.
    #[arg(long, default_value_t = 20, value_name = "N", help_heading = "Formal")]
    pub depth: u32,
    /// Also try to prove assertions (k-induction) and covers unreachable.
    #[arg(long, help_heading = "Formal")]
    pub prove: bool,
    /// Find a shortest witness for every cover property.
    #[arg(long, help_heading = "Formal")]
    pub cover: bool,
    /// Formal mode as in SymbiYosys: bmc (assertions), prove (assertions,
    /// joint k-induction), cover (covers only; a cover trace that violates an
    /// assertion fails it). With --mode, --depth N means N steps (cycles
    /// 0..N-1), as `depth` in a .sby file.
    #[arg(
        long,
        value_enum,
        value_name = "bmc|prove|cover",
        help_heading = "Formal"
    )]
    pub mode: Option<FormalMode>,
    /// k-induction without the simple-path (all states different) strengthening.
    #[arg(long, help_heading = "Formal")]
    pub no_simple_path: bool,
    /// Prove each assertion by its own induction instead of jointly.
    #[arg(long, help_heading = "Formal")]
    pub no_joint: bool,
    /// Stop after SECS seconds and report what is known.
    #[arg(long, value_name = "SECS", help_heading = "Formal")]
    pub timeout: Option<f64>,
    /// Formal engine: auto (with --prove, k-induction and PDR race, the first answer wins), bmc (bounded only), kind (BMC + k-induction), pdr (IC3/PDR).
    #[arg(long, value_enum, default_value_t = EngineArg::Auto, value_name = "E", help_heading = "Formal")]
    pub engine: EngineArg,
    /// Write the design with its properties in BTOR2 (for btormc, Pono, rIC3); alone, only that.
    #[arg(long, value_name = "F", help_heading = "Formal")]
    pub emit_btor2: Option<PathBuf>,

    // ---- simulation
    /// Cycles per seed.
    #[arg(
        long,
        default_value_t = 1000,
        value_name = "N",
        help_heading = "Simulation"
    )]
    pub cycles: u64,
    /// First seed (seed i of a multi-seed run is SEED + i).
    #[arg(
        long,
        default_value_t = 1,
        value_name = "S",
        help_heading = "Simulation"
    )]
    pub seed: u64,
    /// Number of seeds, run in parallel.
    #[arg(
        long,
        default_value_t = 1,
        value_name = "K",
        help_heading = "Simulation"
    )]
    pub seeds: u64,
    /// Replay a stimulus/trace file (JSON, the format formal witnesses are written in).
    #[arg(long, value_name = "F", help_heading = "Simulation")]
    pub stimulus: Option<PathBuf>,
    /// Write every output's value for every cycle (JSON, trace format).
    #[arg(long, value_name = "F", help_heading = "Simulation")]
    pub dump_outputs: Option<PathBuf>,
    /// Write a waveform (VCD) of the run (the first seed, or the stimulus).
    #[arg(long, value_name = "F", help_heading = "Simulation")]
    pub vcd: Option<PathBuf>,
    /// Reset input: NAME (active high), !NAME (active low) or none; default: rst/reset/rst_n/rst_ni/reset_n if present.
    #[arg(long, value_name = "NAME|!NAME|none", help_heading = "Simulation")]
    pub reset: Option<String>,
    /// Cycles reset is held at the start.
    #[arg(
        long,
        default_value_t = 1,
        value_name = "N",
        help_heading = "Simulation"
    )]
    pub reset_cycles: u64,
    /// A clock's schedule in a design with several clocks: period in ticks of
    /// the global clock, and optionally the tick of its first rising edge
    /// (default: periods 2, 3, 5, 7, ... in port order, seeded random phase).
    #[arg(
        long = "clock",
        value_name = "NAME=PERIOD[@PHASE]",
        value_parser = sim::ClockSpec::parse,
        help_heading = "Simulation"
    )]
    pub clocks: Vec<sim::ClockSpec>,
    /// The clocks' schedules from a TOML file (`[clocks]` then `NAME =
    /// PERIOD`, `NAME = { period = P, phase = F }` or `NAME = "P@F"`);
    /// `--clock` overrides an entry of the same name.
    #[arg(long, value_name = "FILE", help_heading = "Simulation")]
    pub clock_file: Option<std::path::PathBuf>,
    /// Uninitialised registers and memories: random (seeded) or zero.
    #[arg(
        long,
        value_enum,
        default_value_t = InitArg::Random,
        value_name = "random|zero",
        help_heading = "Simulation"
    )]
    pub init: InitArg,
    /// Write coverage counters (JSON).
    #[arg(long, value_name = "F", help_heading = "Simulation")]
    pub coverage: Option<PathBuf>,
    /// Native code for single-seed runs: auto (runs of 20000 cycles or more), on, off.
    #[arg(
        long,
        value_enum,
        default_value_t = JitArg::Auto,
        value_name = "auto|on|off",
        help_heading = "Simulation"
    )]
    pub jit: JitArg,

    // ---- closure
    /// Closure: stop after SECS seconds (default 10 when --cycles is not given).
    #[arg(long, value_name = "SECS", help_heading = "Closure")]
    pub budget: Option<f64>,
    /// Closure engines: a comma-separated list of random, learned, formal (or all);
    /// ablation arms of the learned generator: uniform, dict, mlp (see README).
    #[arg(
        long,
        default_value = "all",
        value_name = "LIST",
        help_heading = "Closure"
    )]
    pub engines: String,
    /// Closure: write an LCOV tracefile (genhtml, code-coverage services).
    #[arg(long, value_name = "F", help_heading = "Closure")]
    pub lcov: Option<PathBuf>,
    /// Closure: write a plot of closure over time and over cycles (SVG).
    #[arg(long, value_name = "F", help_heading = "Closure")]
    pub plot: Option<PathBuf>,
    /// Closure: write the smallest set of stimulus files found that together hit every hit point.
    #[arg(long, value_name = "DIR", help_heading = "Closure")]
    pub min_set: Option<PathBuf>,
    /// Closure: start from the coverage database(s) of earlier runs (their --json).
    #[arg(long, value_name = "F", help_heading = "Closure")]
    pub merge: Vec<PathBuf>,
    /// Closure: simulation worker threads (default: all cores). With --cycles the result does not depend on it.
    #[arg(long, value_name = "N", help_heading = "Closure")]
    pub threads: Option<usize>,
    /// Property edits applied after elaboration (`chformal` in a .sby script).
    #[arg(skip)]
    pub prop_edits: Vec<PropEdit>,
    /// Set when --cycles was given on the command line (closure budgets).
    #[arg(skip)]
    pub cycles_given: bool,

    /// Write the results as JSON.
    #[arg(long, value_name = "F", help_heading = "Output")]
    pub json: Option<PathBuf>,

    // ---- reports
    /// Folder for traces and waveforms of failures (one subfolder per property).
    #[arg(
        long,
        default_value = "verify_out",
        value_name = "DIR",
        help_heading = "Output"
    )]
    pub out: PathBuf,

    // ---- front end
    /// Read more files and options from a file list (Verilator/VCS convention; paths relative to the working directory).
    #[arg(short = 'f', value_name = "FILE", help_heading = "Front end")]
    pub file_list: Vec<PathBuf>,
    /// A file list whose relative paths are taken from its own folder.
    #[arg(short = 'F', value_name = "FILE", help_heading = "Front end")]
    pub file_list_rel: Vec<PathBuf>,
    /// Include directory for `include.
    #[arg(short = 'I', value_name = "DIR", help_heading = "Front end")]
    pub include: Vec<PathBuf>,
    /// Define a macro: NAME or NAME=VALUE.
    #[arg(short = 'D', value_name = "NAME[=VALUE]", help_heading = "Front end")]
    pub define: Vec<String>,
    /// Undefine a macro (e.g. -U FORMAL).
    #[arg(short = 'U', value_name = "NAME", help_heading = "Front end")]
    pub undefine: Vec<String>,
    /// Override a parameter of the top module: NAME=VALUE.
    #[arg(short = 'G', value_name = "NAME=VALUE", help_heading = "Front end")]
    pub param: Vec<String>,
    /// The top module (default: the one module no other instantiates).
    #[arg(long, value_name = "NAME", help_heading = "Front end")]
    pub top: Option<String>,
    /// Run on a global clock even with a single clock: the clock is a free
    /// input (a schedule in simulation) and each cycle one tick, as
    /// SymbiYosys's `multiclock on` (several clocks always run so).
    #[arg(long, help_heading = "Front end")]
    pub multiclock: bool,

    // ---- output
    /// Colour in diagnostics: auto, always, never.
    #[arg(
        long,
        value_enum,
        default_value_t = ColorArg::Auto,
        value_name = "WHEN",
        help_heading = "Output"
    )]
    pub color: ColorArg,
}
