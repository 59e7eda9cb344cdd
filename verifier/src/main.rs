//! `verify`: the command-line front of the engines. It holds no engine
//! logic: it reads flags, calls `rtl`, `sim`, `solver`, `testgen` and
//! `closure`, and reports.

mod bmc_cmd;
mod cli;
mod clock_file;
mod closure_cmd;
mod frontend;
mod lint;
mod regress;
mod report;
mod sby;
mod sim_cmd;

use std::io::IsTerminal;
use std::process::ExitCode;

// mimalloc instead of glibc's malloc: the front end allocates a great deal
// (sv-parser builds and clones many small nodes); glibc's malloc/free were
// about a third of all instructions of a small `verify sby` task.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Exit statuses (a public interface, see README).
pub mod status {
    pub const OK: u8 = 0;
    pub const FAIL: u8 = 1;
    pub const ERROR: u8 = 2;
    pub const UNKNOWN: u8 = 3;
}

/// An error already reported to the user (diagnostics printed).
#[derive(Debug)]
pub struct Reported;

impl std::fmt::Display for Reported {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "errors reported")
    }
}

impl std::error::Error for Reported {}

fn main() -> ExitCode {
    // `verify lint|sim|bmc ...` is the same as `verify --lint|--sim|--bmc ...`.
    let mut args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    if let Some(first) = args.get(1).and_then(|a| a.to_str()) {
        if matches!(first, "lint" | "sim" | "bmc" | "closure") {
            args[1] = format!("--{first}").into();
        }
    }
    let parsed = <cli::Cli as clap::CommandFactory>::command()
        .try_get_matches_from(args)
        .and_then(|m| {
            let mut c = <cli::Cli as clap::FromArgMatches>::from_arg_matches(&m)?;
            // Closure budgets: --cycles given means a cycle budget.
            c.run.cycles_given =
                m.value_source("cycles") == Some(clap::parser::ValueSource::CommandLine);
            Ok(c)
        });
    let cli = match parsed {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() {
                status::ERROR
            } else {
                status::OK
            };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    let color = match cli.run.color {
        cli::ColorArg::Always => true,
        cli::ColorArg::Never => false,
        cli::ColorArg::Auto => std::io::stderr().is_terminal(),
    };
    let result = match &cli.command {
        Some(cli::Command::Regress(a)) => regress::run(a),
        Some(cli::Command::Merge(a)) => regress::merge_cmd(a),
        Some(cli::Command::Sby(a)) => sby::run(a),
        None => run(&cli.run, color),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            if e.downcast_ref::<Reported>().is_none() {
                eprintln!("error: {e:#}");
            }
            ExitCode::from(status::ERROR)
        }
    }
}

fn run(args: &cli::RunArgs, color: bool) -> anyhow::Result<u8> {
    let mode = match args.run_mode() {
        Ok(m) => m,
        Err(msg) => {
            eprintln!("error: {msg}");
            return Ok(status::ERROR);
        }
    };
    match mode {
        cli::RunMode::Lint => lint::run(args, color),
        cli::RunMode::Formal => bmc_cmd::run(args, color),
        cli::RunMode::Sim => sim_cmd::run(args, color),
        // No mode flag (or --closure): every engine, coverage closure.
        cli::RunMode::Closure => closure_cmd::run(args, color),
    }
}
