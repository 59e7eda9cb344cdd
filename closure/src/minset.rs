//! The minimal stimulus set of a closure run: the points each stimulus
//! hits (replayed in the simulator) and a greedy set cover of the hit
//! points.

use ir::trace::Trace;
use sim::{CoverageCollector, InitMode, Program};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;
use testgen::{CoverageDb, PointStatus};

/// The points each stimulus hits (full replay from cycle 0).
pub fn hit_sets(
    prog: &Arc<Program>,
    stimuli: &BTreeMap<String, Trace>,
    init: InitMode,
) -> Result<BTreeMap<String, BTreeSet<usize>>, sim::SimError> {
    let mut sets = BTreeMap::new();
    for (name, t) in stimuli {
        let mut cov = CoverageCollector::new(Arc::clone(prog));
        let assumes: Vec<_> = prog
            .design
            .props
            .iter()
            .filter(|p| p.kind == ir::PropKind::Assume)
            .map(|p| p.node)
            .collect();
        // Stop counting at a violated assumption, as the closure run does.
        let mut valid = true;
        sim::replay_with(prog, t, init, |s| {
            valid &= !assumes.iter().any(|&a| s.is_set(a));
            if valid {
                cov.sample(s);
            }
        })?;
        let mut counts = Vec::new();
        cov.counts_into(&mut counts);
        sets.insert(
            name.clone(),
            counts
                .iter()
                .enumerate()
                .filter(|(_, &c)| c > 0)
                .map(|(i, _)| i)
                .collect(),
        );
    }
    Ok(sets)
}

/// Greedy set cover: the fewest stimuli (greedily) that together hit every
/// hit point. Ties go to the smaller name, so the choice is reproducible.
pub fn min_set(db: &CoverageDb, sets: &BTreeMap<String, BTreeSet<usize>>) -> Vec<String> {
    let mut need: BTreeSet<usize> = db
        .points
        .iter()
        .enumerate()
        .filter(|(_, p)| matches!(p.status, PointStatus::Hit { .. }))
        .map(|(i, _)| i)
        .collect();
    let mut chosen = Vec::new();
    while !need.is_empty() {
        let best = sets
            .iter()
            .map(|(n, s)| (s.intersection(&need).count(), n))
            .filter(|(c, _)| *c > 0)
            .max_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(a.1)));
        let Some((_, name)) = best else { break };
        for p in &sets[name] {
            need.remove(p);
        }
        chosen.push(name.clone());
    }
    chosen
}
