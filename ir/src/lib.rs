//! `ir`: the word-level netlist every engine of verify reads.
//!
//! The front end (`rtl`) produces a [`Design`]; the simulator (`sim`), the
//! formal engine (`solver`) and coverage closure (`testgen`) read it and
//! depend on this crate alone, never on the front end or its parser.
//!
//! - [`netlist`]: the IR itself (`Design`, `Node`, `Op`, `Reg`, `Memory`,
//!   `Property`), re-exported at the crate root;
//! - [`builder`]: building a design node by node;
//! - [`bits`]: two-state constants of any width;
//! - [`source`]: spans into the original source files and their locations;
//! - [`trace`]: the stimulus/trace format every engine reads and writes;
//! - [`reset`]: which input resets the design, its polarity and cycles;
//! - [`status`]: the status words of property results;
//! - [`passes`]: transforms and analyses on the IR (constant folding,
//!   structural hashing, cone of influence, the reference evaluator, print).

pub mod bits;
pub mod builder;
pub mod netlist;
pub mod passes;
pub mod reset;
pub mod source;
pub mod status;
pub mod trace;

pub use bits::Bits;
pub use netlist::*;
pub use source::{FileId, Location, SourceMap, Span};
