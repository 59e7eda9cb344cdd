//! `testgen`: coverage closure's data and stimulus side.
//!
//! - [`db`]: the coverage database (every point and its status: unhit, hit,
//!   unreachable, unknown), serialisable and mergeable;
//! - [`target`]: coverage points as targets: cover properties the formal
//!   engine can be asked to reach, and their cost;
//! - [`dict`]: constants the design compares its inputs against, offered
//!   as input values;
//! - [`features`], [`model`]: the learned stimulus generator (a small candle
//!   MLP trained online from simulation traces and formal witnesses);
//! - [`novelty`]: registers' never-seen values, the progress the model
//!   learns to repeat;
//! - [`explore`]: simulation episodes (uniform or learned stimulus) from a
//!   start state, with first-hit bookkeeping and training examples, one
//!   at a time or many side by side on the lane engine;
//! - [`view`]: what an episode reads of a simulation, a scalar one or one
//!   lane of a batch.
//!
//! Orchestration (threads, rounds, the formal worker) lives in the
//! `closure` crate, which alone knows both engines.

pub mod db;
pub mod dict;
pub mod explore;
pub mod features;
pub mod model;
pub mod novelty;
pub mod target;
pub mod view;

pub use db::{CoverageDb, DbPoint, PointStatus, Summary};
