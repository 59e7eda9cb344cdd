//! Liveness assertions: each is turned into a safety assertion over a
//! lasso ([`ir::passes::l2s`]) on its cone of influence, and that one runs
//! through the engine the options name (BMC finds lassos, k-induction and
//! PDR prove there is none). A counterexample comes back as a trace of the
//! original design whose `meta["loop"]` is the loop's first cycle.

use crate::portfolio::check_prop;
use crate::{BmcOptions, Control, Progress, PropResult, Stop, Verdict};
use ir::passes::l2s::{lasso_trace, liveness_to_safety};
use ir::passes::{coi, Root};
use ir::reset::ResetInput;
use ir::{Design, PropKind};
use std::sync::Arc;
use std::time::Instant;

/// Check liveness assertion `p` of `d` under its fairness constraints and
/// safety assumptions.
pub(crate) fn check_live(
    d: &Design,
    p: usize,
    opts: &BmcOptions,
    reset: &Option<ResetInput>,
    stop: &Stop,
    ctl: &Control,
) -> PropResult {
    let t0 = Instant::now();
    let prop = &d.props[p];
    let unknown = |reason: String| PropResult {
        prop: p,
        name: prop.name.clone(),
        kind: prop.kind,
        status: Verdict::Unknown {
            reason,
            bmc_depth: None,
            induction_trace: None,
        },
        interrupted: false,
        elapsed: t0.elapsed(),
        engine: "bmc",
        invariant_size: None,
    };
    let keep = |i: usize| i == p || matches!(d.props[i].kind, PropKind::Fair | PropKind::Assume);
    let roots: Vec<Root> = (0..d.props.len())
        .filter(|&i| keep(i))
        .map(Root::Property)
        .collect();
    let cone = coi(d, &roots);
    // `coi` keeps the chosen properties in order.
    let index = (0..p).filter(|&i| keep(i)).count();
    let lasso = match liveness_to_safety(&cone, index) {
        Ok(l) => l,
        Err(e) => return unknown(e.to_string()),
    };
    // The reset input keeps its name; its index may have moved.
    let reset = match reset {
        Some(r) => match r.reset.find(&lasso.design) {
            Ok(mut found) => {
                found.auto = r.auto;
                Some(found)
            }
            Err(e) => return unknown(e.to_string()),
        },
        None => None,
    };
    let ctl = Control {
        cancel: ctl.cancel.clone(),
        progress: ctl.progress.clone().map(|cb| {
            let f: crate::ProgressFn = Arc::new(move |pr: &Progress| {
                cb(&Progress {
                    prop: p,
                    depth: pr.depth,
                    done: pr.done,
                })
            });
            f
        }),
    };
    let mut r = check_prop(&lasso.design, lasso.prop, opts, &reset, stop, &ctl);
    r.prop = p;
    r.name = prop.name.clone();
    r.kind = prop.kind;
    r.elapsed = t0.elapsed();
    r.status = match r.status {
        Verdict::Fail { depth, trace } => match lasso_trace(&trace) {
            Some(mut t) => {
                t.meta.insert("liveness".into(), "lasso".into());
                Verdict::Fail { depth, trace: t }
            }
            None => Verdict::Unknown {
                reason: "internal error: the liveness counterexample has no loop".into(),
                bmc_depth: None,
                induction_trace: None,
            },
        },
        // An induction step of the transformed design is not a trace of
        // the user's design.
        Verdict::Unknown {
            reason,
            bmc_depth,
            induction_trace: _,
        } => Verdict::Unknown {
            reason,
            bmc_depth,
            induction_trace: None,
        },
        v => v,
    };
    r
}
