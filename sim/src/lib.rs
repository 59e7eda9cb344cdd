//! Cycle-accurate two-state simulator of the verify IR.
//!
//! [`Program::compile`] turns a [`ir::Design`] into a flat instruction list
//! once; [`Sim`] runs it cycle by cycle; [`run`] holds the high-level runs
//! (random multi-seed, trace replay, output dumps); [`coverage`] the coverage
//! counters and [`vcd`] the waveform writer.

pub mod compile;
pub mod coverage;
pub mod engine;
mod isa;
mod jit;
pub mod lane_coverage;
mod lane_jit;
pub mod lanes;
mod layout;
mod ops;
mod prune;
pub mod rng;
pub mod run;
pub mod vcd;
pub mod words;

pub use compile::Program;
pub use coverage::{Coverage, CoverageCollector, LaneSource, SimView};
pub use engine::{InitMode, Sim};
pub use lane_coverage::LaneCoverage;
pub use lane_jit::LaneJit;
pub use lanes::Lanes;
pub use run::*;

/// Errors of the simulator (all user-facing; none is a panic).
#[derive(Debug, thiserror::Error)]
pub enum SimError {
    #[error("invalid design: {0}")]
    InvalidDesign(String),
    #[error(transparent)]
    Trace(#[from] ir::trace::TraceError),
    #[error(transparent)]
    Reset(#[from] ir::reset::ResetError),
    #[error("`--clock {name}`: not a clock of the design (its clocks: {clocks})")]
    UnknownClock { name: String, clocks: String },
    #[error("memory init in trace: {0}")]
    BadMemInit(String),
    #[error("I/O error: {0}")]
    Io(#[from] std::io::Error),
    #[error("JSON error: {0}")]
    Json(#[from] serde_json::Error),
}
