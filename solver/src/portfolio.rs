//! Engine choice for one property: BMC alone, BMC with k-induction, PDR, or
//! a race of k-induction and PDR on the rayon pool where the first definite
//! answer wins and the other engine is stopped.

use crate::pdr::{self, PdrOptions, PdrResult};
use crate::{
    check_one, with_watchdog, BmcOptions, Control, Progress, PropResult, Reset, Status, Stop,
};
use rtl::ir::{Design, NodeId, PropKind};
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
fn definite(s: &Status) -> bool {
    matches!(
        s,
        Status::Fail { .. }
            | Status::Proven { .. }
            | Status::Covered { .. }
            | Status::Unreachable { .. }
    )
}

/// Check property `p` with the engine `opts.engine` asks for.
pub(crate) fn check_prop(
    d: &Design,
    p: usize,
    opts: &BmcOptions,
    reset: &Option<Reset>,
    stop: &Stop,
    ctl: &Control,
) -> PropResult {
    match opts.engine {
        Engine::Pdr => pdr_one(d, p, reset, stop, ctl),
        Engine::Auto if opts.prove => race(d, p, opts, reset, stop, ctl),
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
    reset: &Option<Reset>,
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
        || with_watchdog(&side, || finish(pdr_one(d, p, reset, &side, ctl), 2)),
    );
    match first.load(Ordering::SeqCst) {
        2 => pdr,
        _ => kind,
    }
}

/// PDR on one property, as a [`PropResult`].
pub(crate) fn pdr_one(
    d: &Design,
    p: usize,
    reset: &Option<Reset>,
    stop: &Stop,
    ctl: &Control,
) -> PropResult {
    let t0 = Instant::now();
    let prop = &d.props[p];
    let is_cover = prop.kind == PropKind::Cover;
    let assumes: Vec<NodeId> = d
        .props
        .iter()
        .filter(|q| q.kind == PropKind::Assume)
        .map(|q| q.node)
        .collect();
    let r = pdr::prove(
        d,
        prop.node,
        &assumes,
        reset.as_ref(),
        &PdrOptions::default(),
        &|| stop.now(),
    );
    let mut invariant_size = None;
    let status = match r {
        PdrResult::Proven {
            invariant_size: n,
            frames,
        } => {
            invariant_size = Some(n);
            if is_cover {
                Status::Unreachable { k: frames }
            } else {
                Status::Proven { k: frames }
            }
        }
        PdrResult::Reached { depth, mut trace } => {
            trace.meta.insert("property".into(), prop.name.clone());
            if is_cover {
                Status::Covered { depth, trace }
            } else {
                Status::Fail { depth, trace }
            }
        }
        PdrResult::Unknown { reason } => Status::Unknown {
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
