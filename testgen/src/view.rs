//! What an episode reads of a running simulation, whether it is a scalar
//! [`Sim`] or one lane of a [`Lanes`] batch: the same bookkeeping (features,
//! progress, coverage, first hits, snapshots) runs on either, so a batch of
//! episodes gives each episode exactly the result it has alone.

use ir::NodeId;
use sim::{Lanes, Sim, SimView};

/// A settled (or, before inputs are applied, stepped) simulation state.
pub trait State: SimView {
    /// Word `k` of a node's value (a node the engine keeps: inputs,
    /// registers, properties, branch conditions, outputs).
    fn word(&self, node: NodeId, k: usize) -> u64;
    /// Word `k` of register `r`.
    fn reg_word(&self, r: usize, k: usize) -> u64;
    /// The state as a scalar simulation at cycle `cycle` (what it would
    /// continue from); a scalar one is cloned as it is.
    fn snapshot(&self, cycle: u64) -> Sim;
}

impl State for Sim {
    fn word(&self, node: NodeId, k: usize) -> u64 {
        self.words(node)[k]
    }
    fn reg_word(&self, r: usize, k: usize) -> u64 {
        self.reg_words(r)[k]
    }
    fn snapshot(&self, _cycle: u64) -> Sim {
        self.clone()
    }
}

/// Lane `lane` of a batch.
pub struct Lane<'a, const L: usize> {
    pub lanes: &'a Lanes<L>,
    pub lane: usize,
}

impl<const L: usize> SimView for Lane<'_, L> {
    fn is_set(&self, node: NodeId) -> bool {
        self.lanes.is_set(self.lane, node)
    }
    fn reg_words_into(&self, idx: usize, out: &mut Vec<u64>) {
        self.lanes.reg_words_into(self.lane, idx, out)
    }
}

impl<const L: usize> State for Lane<'_, L> {
    fn word(&self, node: NodeId, k: usize) -> u64 {
        self.lanes.word(self.lane, node, k)
    }
    fn reg_word(&self, r: usize, k: usize) -> u64 {
        self.lanes.reg_word(self.lane, r, k)
    }
    fn snapshot(&self, cycle: u64) -> Sim {
        self.lanes.lane_sim(self.lane, cycle)
    }
}
