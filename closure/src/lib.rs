//! `closure`: coverage closure, the one library that drives both engines.
//!
//! Simulation (episodes of `testgen::explore` on `sim`) and the formal
//! engine (`solver`, one coverage point at a time) work side by side on one
//! coverage database (`testgen::db`), exchanging work in rounds:
//!
//! - [`engine`]: the closure loop ([`run`]): rounds of episodes, the
//!   bandit over kinds of episode, the learned generator's training, the
//!   formal worker fed and its answers merged; its result is data
//!   ([`Outcome`]), nothing is printed;
//! - [`formal`]: the formal worker: reach a point (a BMC witness) or prove
//!   it unreachable (k-induction);
//! - [`minset`]: the points each stimulus hits and the smallest set of
//!   stimuli that hits every hit point.
//!
//! The `verify` binary turns flags into [`Options`] and the [`Outcome`]
//! into reports; the regression runner calls [`run`] the same way.

pub mod engine;
pub mod formal;
pub mod minset;

pub use engine::{
    run, ArmReport, Budget, Engines, FormalStats, Options, Outcome, Sample, ENGINE_WORDS,
};

/// Why a closure run could not run (not a result: results are [`Outcome`]).
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The coverage targets do not line up with the simulator's points (a
    /// bug, reported rather than mis-attributed).
    #[error("internal error: closure targets do not match the simulator's coverage points")]
    TargetMismatch,
    /// A prior database does not merge with this design's.
    #[error(transparent)]
    Db(#[from] testgen::db::DbError),
    /// The learned generator could not be built.
    #[error(transparent)]
    Model(#[from] testgen::model::ModelError),
    /// The formal worker's thread could not start.
    #[error(transparent)]
    Io(#[from] std::io::Error),
}
