//! Joint k-induction over every assertion (as yosys-smtbmc does it).
//!
//! One BMC unrolling asks "can any assertion still alive fail at step k";
//! the assertions a model shows failing get their trace and leave the set,
//! and the query is repeated for the rest. One induction unrolling asks, at
//! level k, whether the live set holding at steps `0..k` implies it holds at
//! step k. Formal code is written this way: many small assertions that are
//! inductive only as a set. If no level up to the depth proves the whole
//! set, the assertions that fail the last induction step are dropped one
//! model at a time (Houdini): what remains is inductive on its own, and
//! every assertion that is inductive alone is among it.

use crate::bmc::{Bmc, Query};
use crate::induction::{failing_in, Induction};
use crate::{assume_nodes, BmcOptions, Control, Progress, PropResult, ResetInput, Stop, Verdict};
use ir::trace::Trace;
use ir::{Design, NodeId, PropKind};
use std::time::Instant;

pub(crate) fn check_joint(
    d: &Design,
    props: &[usize],
    opts: &BmcOptions,
    reset: &Option<ResetInput>,
    stop: &Stop,
    ctl: &Control,
) -> Vec<PropResult> {
    let t0 = Instant::now();
    let n = props.len();
    if n == 0 {
        return Vec::new();
    }
    let nodes: Vec<NodeId> = props.iter().map(|&p| d.props[p].node).collect();
    let assumes = assume_nodes(d);
    let mut bmc = Bmc::new(d, &nodes, &assumes, reset.clone(), opts.mem_encoding);
    let mut ind = Induction::joint(d, &nodes, &assumes, opts.mem_encoding, opts.simple_path);
    let lag = crate::induction_lag(reset, opts.simple_path);
    let mut status: Vec<Option<Verdict>> = vec![None; n];
    let mut ind_trace: Vec<Option<Trace>> = vec![None; n];
    let mut alive = vec![true; n];
    let mut passed: Option<u32> = None;
    let mut interrupted = false;
    let mut unknown: Option<String> = None;
    let mut last_level: Option<usize> = None;
    let report = |depth: u32, done: bool, alive: &[bool]| {
        if let Some(cb) = &ctl.progress {
            for (i, &p) in props.iter().enumerate() {
                if alive[i] || done {
                    cb(&Progress {
                        prop: p,
                        depth,
                        done,
                    });
                }
            }
        }
    };
    let named = |mut t: Trace, i: usize, engine: &str| {
        t.meta
            .insert("property".into(), d.props[props[i]].name.clone());
        t.meta.insert("engine".into(), engine.into());
        t
    };
    'levels: for k in 0..=opts.depth {
        if stop.now() {
            interrupted = true;
            break;
        }
        let ku = k as usize;
        bmc.add_step();
        loop {
            let live: Vec<NodeId> = (0..n).filter(|&i| alive[i]).map(|i| nodes[i]).collect();
            let live_idx: Vec<usize> = (0..n).filter(|&i| alive[i]).collect();
            match bmc.check_any(ku, &live) {
                Query::Sat(m) => {
                    let failing = failing_in(&bmc.u, &m, ku, &live);
                    if failing.is_empty() {
                        unknown = Some("internal: a model with no failing assertion".into());
                        break 'levels;
                    }
                    for f in failing {
                        let i = live_idx[f];
                        let trace = named(bmc.trace(&m, ku), i, "bmc");
                        status[i] = Some(Verdict::Fail { depth: k, trace });
                        alive[i] = false;
                    }
                    if !alive.iter().any(|&a| a) {
                        break 'levels;
                    }
                }
                Query::Unsat => {
                    for t in &live {
                        bmc.block(ku, *t);
                    }
                    break;
                }
                Query::Unknown(why) => {
                    interrupted = stop.now();
                    unknown = Some(why);
                    break 'levels;
                }
            }
        }
        passed = Some(k);
        // Base case: no live assertion fails in 0..=k from reset, so a step
        // that holds at level k - lag proves the whole live set (see
        // `crate::induction_lag`).
        let Some(level) = ku.checked_sub(lag) else {
            report(k, false, &alive);
            continue;
        };
        match ind.check_level_of(level, &alive) {
            Query::Unsat => {
                for i in 0..n {
                    if alive[i] {
                        status[i] = Some(Verdict::Proven { k: level as u32 });
                    }
                }
                break 'levels;
            }
            Query::Sat(m) => {
                last_level = Some(level);
                for f in ind.failing(&m, level) {
                    if alive[f] {
                        ind_trace[f] = Some(named(ind.trace(&m, level), f, "k-induction"));
                    }
                }
            }
            Query::Unknown(why) => {
                interrupted = stop.now();
                unknown = Some(format!("induction: {why}"));
                break 'levels;
            }
        }
        report(k, false, &alive);
    }
    // Houdini at the last level: drop what fails the step until the rest
    // is inductive by itself.
    let mut set: Vec<bool> = (0..n).map(|i| alive[i] && status[i].is_none()).collect();
    if let (Some(k), None, false) = (last_level, &unknown, interrupted) {
        while set.iter().filter(|&&s| s).count() > 0 && !stop.now() {
            match ind.check_level_of(k, &set) {
                Query::Unsat => {
                    for i in 0..n {
                        if set[i] {
                            status[i] = Some(Verdict::Proven { k: k as u32 });
                        }
                    }
                    break;
                }
                Query::Sat(m) => {
                    let failing: Vec<usize> =
                        ind.failing(&m, k).into_iter().filter(|&f| set[f]).collect();
                    if failing.is_empty() {
                        break;
                    }
                    for f in failing {
                        set[f] = false;
                        ind_trace[f] = Some(named(ind.trace(&m, k), f, "k-induction"));
                    }
                }
                Query::Unknown(_) => break,
            }
        }
    }
    let stopped = interrupted || unknown.is_some();
    let results: Vec<PropResult> = (0..n)
        .map(|i| {
            let s = status[i].take().unwrap_or_else(|| match passed {
                None => Verdict::Unknown {
                    reason: unknown
                        .clone()
                        .unwrap_or_else(|| "stopped before cycle 0 was checked".into()),
                    bmc_depth: None,
                    induction_trace: ind_trace[i].take(),
                },
                Some(depth) if !stopped => Verdict::Unknown {
                    reason: format!(
                        "not k-inductive up to k = {} (jointly with the other assertions)",
                        opts.depth
                    ),
                    bmc_depth: Some(depth),
                    induction_trace: ind_trace[i].take(),
                },
                Some(depth) if unknown.is_some() && !interrupted => Verdict::Unknown {
                    reason: unknown.clone().unwrap_or_default(),
                    bmc_depth: Some(depth),
                    induction_trace: ind_trace[i].take(),
                },
                Some(depth) => Verdict::Pass { depth },
            });
            let engine = match s {
                Verdict::Proven { .. } => "k-induction",
                _ => "bmc",
            };
            PropResult {
                prop: props[i],
                name: d.props[props[i]].name.clone(),
                kind: PropKind::Assert,
                status: s,
                interrupted,
                elapsed: t0.elapsed(),
                engine,
                invariant_size: None,
            }
        })
        .collect();
    for r in &results {
        if let Some(cb) = &ctl.progress {
            cb(&Progress {
                prop: r.prop,
                depth: r.status.depth().unwrap_or(0),
                done: true,
            });
        }
    }
    results
}
