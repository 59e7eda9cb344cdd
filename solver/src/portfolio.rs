//! Engine choice for one property: BMC alone, BMC with k-induction, PDR, or
//! a race of k-induction and PDR on the rayon pool where the first definite
//! answer wins and the other engine is stopped.

use crate::pdr::{self, PdrOptions, PdrResult};
use crate::{
    assume_nodes, check_one, with_watchdog, BmcOptions, Control, Progress, PropResult, ResetInput,
    Stop, Verdict,
};
use ir::{Design, PropKind};
use std::sync::atomic::{AtomicBool, AtomicU8, Ordering};
use std::sync::Arc;
use std::time::Instant;

/// Which engine decides a property.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Engine {
    /// With `prove`: k-induction and PDR race; without: like `Kind`.
    Auto,
    /// Bounded model checking only (no induction at all).
    Bmc,
    /// BMC, plus k-induction when proving (the historical behaviour).
    #[default]
    Kind,
    /// PDR only (proofs and counterexamples).
    Pdr,
}

impl Engine {
    pub fn name(self) -> &'static str {
        match self {
            Engine::Auto => "auto",
            Engine::Bmc => "bmc",
            Engine::Kind => "kind",
            Engine::Pdr => "pdr",
        }
    }
}

/// True for a verdict that settles the property for every depth, or a trace.
fn definite(s: &Verdict) -> bool {
    matches!(
        s,
        Verdict::Fail { .. }
            | Verdict::Proven { .. }
            | Verdict::Covered { .. }
            | Verdict::Unreachable { .. }
    )
}

/// Check property `p` with the engine `opts.engine` asks for.
pub(crate) fn check_prop(
    d: &Design,
    p: usize,
    opts: &BmcOptions,
    reset: &Option<ResetInput>,
    stop: &Stop,
    ctl: &Control,
) -> PropResult {
    if d.props[p].kind == PropKind::Live {
        return crate::live::check_live(d, p, opts, reset, stop, ctl);
    }
    match opts.engine {
        Engine::Pdr => pdr_one(d, p, &PdrOptions::default(), reset, stop, ctl),
        // Covers are BMC's (PDR is slow to reach a deep cover, and
        // k-induction already shows the unreachable ones).
        Engine::Auto if opts.prove && d.props[p].kind != PropKind::Cover => {
            race(d, p, opts, reset, stop, ctl)
        }
        Engine::Bmc => {
            let bounded = BmcOptions {
                prove: false,
                ..opts.clone()
            };
            check_one(d, p, &bounded, reset, stop, ctl)
        }
        _ => check_one(d, p, opts, reset, stop, ctl),
    }
}

/// k-induction against PDR; the first definite answer is kept. When neither
/// decides, the k-induction result (it carries the bounded BMC result and
/// the induction trace) is reported.
fn race(
    d: &Design,
    p: usize,
    opts: &BmcOptions,
    reset: &Option<ResetInput>,
    stop: &Stop,
    ctl: &Control,
) -> PropResult {
    let decided = Arc::new(AtomicBool::new(false));
    let side = stop.also(decided.clone());
    // 0: nobody yet, 1: k-induction, 2: PDR.
    let first = AtomicU8::new(0);
    let finish = |r: PropResult, who: u8| {
        if definite(&r.status)
            && first
                .compare_exchange(0, who, Ordering::SeqCst, Ordering::SeqCst)
                .is_ok()
        {
            decided.store(true, Ordering::Relaxed);
        }
        r
    };
    let (kind, pdr) = rayon::join(
        || {
            with_watchdog(&side, || {
                finish(check_one(d, p, opts, reset, &side, ctl), 1)
            })
        },
        || {
            with_watchdog(&side, || {
                finish(pdr_one(d, p, &auto_pdr(opts), reset, &side, ctl), 2)
            })
        },
    );
    match first.load(Ordering::SeqCst) {
        2 => pdr,
        _ => kind,
    }
}

/// PDR beside k-induction (`auto`) opens at most `4 * depth + 20` frames
/// (a 5-bit wrap counter needs 25 at depth 20), so an assertion neither
/// engine settles ends `unknown` after bounded work rather than only at the
/// timeout; `--engine pdr` alone has the large default.
fn auto_pdr(opts: &BmcOptions) -> PdrOptions {
    PdrOptions {
        max_frames: 4 * opts.depth + 20,
    }
}

/// PDR on one property, as a [`PropResult`].
pub(crate) fn pdr_one(
    d: &Design,
    p: usize,
    pdr_opts: &PdrOptions,
    reset: &Option<ResetInput>,
    stop: &Stop,
    ctl: &Control,
) -> PropResult {
    let t0 = Instant::now();
    let prop = &d.props[p];
    let is_cover = prop.kind == PropKind::Cover;
    let assumes = assume_nodes(d);
    let r = pdr::prove(d, prop.node, &assumes, reset.as_ref(), pdr_opts, &|| {
        stop.now()
    });
    let mut invariant_size = None;
    let status = match r {
        PdrResult::Proven {
            invariant_size: n,
            frames,
        } => {
            invariant_size = Some(n);
            if is_cover {
                Verdict::Unreachable { k: frames }
            } else {
                Verdict::Proven { k: frames }
            }
        }
        PdrResult::Reached { depth, mut trace } => {
            trace.meta.insert("property".into(), prop.name.clone());
            if is_cover {
                Verdict::Covered { depth, trace }
            } else {
                Verdict::Fail { depth, trace }
            }
        }
        PdrResult::Unknown { reason } => Verdict::Unknown {
            reason,
            bmc_depth: None,
            induction_trace: None,
        },
    };
    let interrupted = !definite(&status) && stop.now();
    if let Some(cb) = &ctl.progress {
        cb(&Progress {
            prop: p,
            depth: status.depth().unwrap_or(0),
            done: true,
        });
    }
    PropResult {
        prop: p,
        name: prop.name.clone(),
        kind: prop.kind,
        status,
        interrupted,
        elapsed: t0.elapsed(),
        engine: "pdr",
        invariant_size,
    }
}

/// The assertions proven together (joint k-induction, see [`crate::joint`]).
/// With `auto`, PDR runs on each assertion beside it: joint induction
/// deciding an assertion stops its PDR run, PDR deciding them all stops
/// joint induction, and each assertion keeps a definite answer from
/// whichever engine gave one. Two definite answers that disagree are an
/// engine bug: the assertion is reported unknown with both, never a verdict.
pub(crate) fn joint_asserts(
    d: &Design,
    asserts: &[usize],
    opts: &BmcOptions,
    reset: &Option<ResetInput>,
    stop: &Stop,
    ctl: &Control,
) -> Vec<PropResult> {
    let joint = |stop: &Stop| {
        with_watchdog(stop, || {
            crate::joint::check_joint(d, asserts, opts, reset, stop, ctl)
        })
    };
    if opts.engine != Engine::Auto || asserts.is_empty() {
        return joint(stop);
    }
    let n = asserts.len();
    let joint_decided: Vec<Arc<AtomicBool>> =
        (0..n).map(|_| Arc::new(AtomicBool::new(false))).collect();
    let pdr_all = Arc::new(AtomicBool::new(false));
    let pdr_count = std::sync::atomic::AtomicUsize::new(0);
    let joint_stop = stop.also(pdr_all.clone());
    let run_pdr = |i: usize| {
        if joint_decided[i].load(Ordering::Relaxed) {
            // Joint induction settled it before PDR started: no PDR run
            // (its answer would be stopped at once and not used).
            return not_run(d, asserts[i]);
        }
        let side = stop.also(joint_decided[i].clone());
        let r = with_watchdog(&side, || {
            pdr_one(d, asserts[i], &auto_pdr(opts), reset, &side, ctl)
        });
        if definite(&r.status) && pdr_count.fetch_add(1, Ordering::SeqCst) + 1 == n {
            pdr_all.store(true, Ordering::Relaxed);
        }
        r
    };
    let joint_done = AtomicBool::new(false);
    let run_joint = || {
        let rs = joint(&joint_stop);
        for r in &rs {
            if definite(&r.status) {
                if let Some(i) = asserts.iter().position(|&p| p == r.prop) {
                    joint_decided[i].store(true, Ordering::Relaxed);
                }
            }
        }
        joint_done.store(true, Ordering::SeqCst);
        rs
    };
    let (kind, pdr): (Vec<PropResult>, Vec<PropResult>) = if opts.parallel {
        use rayon::prelude::*;
        rayon::join(run_joint, || {
            // PDR starts after joint induction has had PDR_GRACE alone:
            // on small designs induction settles every assertion by then
            // and no PDR run starts (measured on wb2axip axilempty prfreg:
            // 32 PDR runs, stopped unused, were 15% of all instructions).
            let t0 = Instant::now();
            while !joint_done.load(Ordering::SeqCst) && !stop.now() && t0.elapsed() < PDR_GRACE {
                std::thread::sleep(std::time::Duration::from_millis(1));
            }
            (0..n).into_par_iter().map(run_pdr).collect()
        })
    } else {
        let k = run_joint();
        (k, (0..n).map(run_pdr).collect())
    };
    kind.into_iter()
        .map(|k| {
            let Some(p) = pdr.iter().find(|r| r.prop == k.prop) else {
                return k;
            };
            merge(k, p.clone())
        })
        .collect()
}

/// How long joint induction runs alone before PDR starts beside it.
const PDR_GRACE: std::time::Duration = std::time::Duration::from_millis(100);

/// PDR's result for an assertion it did not run on (joint induction had
/// decided it): unknown, never used by [`merge`] (the definite answer wins).
fn not_run(d: &Design, p: usize) -> PropResult {
    let prop = &d.props[p];
    PropResult {
        prop: p,
        name: prop.name.clone(),
        kind: prop.kind,
        status: Verdict::Unknown {
            reason: "pdr not run: joint induction decided it first".into(),
            bmc_depth: None,
            induction_trace: None,
        },
        interrupted: true,
        elapsed: std::time::Duration::ZERO,
        engine: "pdr",
        invariant_size: None,
    }
}

/// One assertion's answers from joint induction (`k`) and PDR (`p`).
fn merge(k: PropResult, p: PropResult) -> PropResult {
    let proven = |s: &Verdict| matches!(s, Verdict::Proven { .. });
    let failed = |s: &Verdict| matches!(s, Verdict::Fail { .. });
    match (definite(&k.status), definite(&p.status)) {
        (true, true)
            if proven(&k.status) != proven(&p.status) || failed(&k.status) != failed(&p.status) =>
        {
            let reason = format!(
                "internal: the engines disagree ({} says {}, pdr says {}); please report this design",
                k.engine,
                k.status.status(),
                p.status.status()
            );
            PropResult {
                status: Verdict::Unknown {
                    reason,
                    bmc_depth: None,
                    induction_trace: None,
                },
                ..k
            }
        }
        (true, _) => k,
        (false, true) => PropResult {
            interrupted: false,
            ..p
        },
        (false, false) => k,
    }
}
