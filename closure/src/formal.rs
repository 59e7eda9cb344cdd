//! The formal worker of coverage closure: a thread that takes one coverage
//! point at a time, asks the solver to reach it (BMC witness) or prove it
//! unreachable (k-induction), and answers.

use ir::trace::Trace;
use ir::Design;
use solver::{BmcOptions, Control, MemEncoding, Verdict as SolverVerdict};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, Sender};
use std::sync::Arc;
use std::time::{Duration, Instant};
use testgen::target::{cover_design, Target, TARGET_PROP};

/// What the formal worker found about a point.
pub enum Verdict {
    /// A witness: the stimulus (synthetic registers removed from `init`).
    Covered(Trace),
    Unreachable(u32),
    /// No verdict within the depth (or the time given).
    Unknown,
    /// The solver refused (an error in the design encoding): reported once.
    Error(String),
    /// Stopped (before or during the query) because the point was closed
    /// elsewhere or the run ended: says nothing about the point.
    Cancelled,
}

pub struct Answer {
    pub point: usize,
    pub verdict: Verdict,
    pub elapsed: Duration,
}

pub struct Request {
    pub point: usize,
    /// Wall-clock limit (time budgets only: with a cycle budget the answer
    /// must not depend on the machine's speed).
    pub timeout: Option<Duration>,
    /// Unrolling depth for this point (a retry goes deeper).
    pub depth: u32,
    /// Set to stop this query (simulation hit the point meanwhile, or the
    /// run ended).
    pub cancel: Arc<AtomicBool>,
}

/// Settings of the worker.
#[derive(Clone)]
pub struct FormalSettings {
    pub reset: Option<ir::reset::Reset>,
}

/// Answer requests until the request channel closes.
pub fn worker(
    design: Arc<Design>,
    targets: Arc<Vec<Target>>,
    settings: FormalSettings,
    requests: Receiver<Request>,
    answers: Sender<Answer>,
) {
    for req in requests {
        let t0 = Instant::now();
        let verdict = if req.cancel.load(Ordering::Relaxed) {
            Verdict::Cancelled
        } else {
            match check_point(&design, &targets[req.point], &settings, &req) {
                Verdict::Unknown if req.cancel.load(Ordering::Relaxed) => Verdict::Cancelled,
                v => v,
            }
        };
        let a = Answer {
            point: req.point,
            verdict,
            elapsed: t0.elapsed(),
        };
        if answers.send(a).is_err() {
            return;
        }
    }
}

/// Reach or refute one point.
pub fn check_point(design: &Design, target: &Target, s: &FormalSettings, req: &Request) -> Verdict {
    let (d, prop) = cover_design(design, &target.goal);
    debug_assert_eq!(d.props[prop].name, TARGET_PROP);
    let opts = BmcOptions {
        depth: req.depth,
        prove: true,
        reset: s.reset.clone(),
        timeout: req.timeout,
        mem_encoding: MemEncoding::Auto,
        parallel: false,
        engine: solver::Engine::Kind,
        ..BmcOptions::default()
    };
    let ctl = Control {
        cancel: Arc::clone(&req.cancel),
        progress: None,
    };
    match solver::check(&d, &[prop], &opts, &ctl) {
        Err(e) => Verdict::Error(e.to_string()),
        Ok(res) => match res.into_iter().next().map(|r| r.status) {
            Some(SolverVerdict::Covered { mut trace, .. }) => {
                trace.init.retain(|k, _| !k.starts_with("__closure."));
                trace.meta.insert("point".into(), target.id.clone());
                trace.meta.remove("property");
                Verdict::Covered(trace)
            }
            Some(SolverVerdict::Unreachable { k }) => Verdict::Unreachable(k),
            _ => Verdict::Unknown,
        },
    }
}
