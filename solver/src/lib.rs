//! `solver`: the formal engine of verify. The IR is unrolled into Z3
//! bit-vector terms ([`encode`]), assertions and covers are checked by
//! incremental bounded model checking ([`bmc`]) and, on request, proven by
//! k-induction ([`induction`]) or PDR ([`pdr`]), alone or racing
//! ([`portfolio`]).
//!
//! Entry point: [`check`]. Each property gets its own solver, cone of
//! influence and unrolling, so properties run in parallel on rayon workers
//! (Z3 terms belong to the thread that made them).

pub mod bmc;
pub mod btor2;
pub mod encode;
pub mod eval;
pub mod induction;
pub mod joint;
mod live;
pub mod pdr;
pub mod portfolio;

pub use encode::MemEncoding;
pub use portfolio::Engine;

use ir::reset::{Reset, ResetError, ResetInput};
use ir::status::Status;
use ir::trace::Trace;
use ir::{Design, NodeId, PropKind};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use bmc::{Bmc, Query};
use induction::Induction;
use rayon::prelude::*;

#[derive(Clone, Debug)]
pub struct BmcOptions {
    /// Deepest step checked (cycles `0..=depth`).
    pub depth: u32,
    /// Also run k-induction (proofs of assertions, unreachability of covers).
    pub prove: bool,
    /// The reset held from cycle 0 (then a free input); `None`: every
    /// input is free from cycle 0.
    pub reset: Option<Reset>,
    /// Wall-clock limit for the whole call; what is known then is reported.
    pub timeout: Option<Duration>,
    pub mem_encoding: MemEncoding,
    /// Run properties on rayon workers (the global pool).
    pub parallel: bool,
    /// With `prove`: prove the assertions jointly (each assumed at the
    /// earlier steps of the induction step, as yosys-smtbmc does), then
    /// drop the ones that fail the step (Houdini) to report which are
    /// inductive. Off: one induction per assertion.
    pub joint: bool,
    /// The simple-path strengthening in induction (all states of the step
    /// different): proves more, costs k^2/2 disequalities at level k.
    pub simple_path: bool,
    /// Which engine decides (see [`Engine`]).
    pub engine: Engine,
}

impl Default for BmcOptions {
    fn default() -> Self {
        BmcOptions {
            depth: 20,
            prove: false,
            reset: None,
            timeout: None,
            mem_encoding: MemEncoding::Auto,
            parallel: true,
            joint: true,
            simple_path: true,
            engine: Engine::default(),
        }
    }
}

/// The verdict on one property, with its evidence (depth, trace, reason);
/// [`Verdict::status`] is its status word.
#[derive(Clone, Debug)]
pub enum Verdict {
    /// An assertion fails; `trace` has `depth + 1` cycles and ends in the
    /// failing cycle.
    Fail { depth: u32, trace: Trace },
    /// No failure in cycles `0..=depth` (bounded result).
    Pass { depth: u32 },
    /// Proven for every depth by k-induction.
    Proven { k: u32 },
    /// A cover is hit; the shortest witness, `depth + 1` cycles.
    Covered { depth: u32, trace: Trace },
    /// A cover is not hit in cycles `0..=depth` (bounded result).
    NotCovered { depth: u32 },
    /// A cover can never be hit (k-induction on its negation).
    Unreachable { k: u32 },
    /// No verdict: induction failed up to the depth limit, Z3 gave up, or
    /// the run was stopped before cycle 0 was checked. `bmc_depth`: the
    /// bounded result that does hold (no failure / no hit in
    /// `0..=bmc_depth`). `induction_trace`: the last failing induction step
    /// (starts from a state that may be unreachable, see its `meta`).
    Unknown {
        reason: String,
        bmc_depth: Option<u32>,
        induction_trace: Option<Trace>,
    },
}

impl Verdict {
    /// The status this verdict reports ([`Status`], `ir::status`): a
    /// cover not hit within the bound is a bounded `pass` here (the
    /// commands report it `unknown`, with the reason).
    pub fn status(&self) -> Status {
        match self {
            Verdict::Fail { .. } => Status::Fail,
            Verdict::Pass { .. } => Status::Pass,
            Verdict::Proven { .. } => Status::Proven,
            Verdict::Covered { .. } => Status::Covered,
            Verdict::NotCovered { .. } => Status::Pass,
            Verdict::Unreachable { .. } => Status::Unreachable,
            Verdict::Unknown { .. } => Status::Unknown,
        }
    }

    /// The depth (or k) the verdict is stated at, if any.
    pub fn depth(&self) -> Option<u32> {
        match self {
            Verdict::Fail { depth, .. }
            | Verdict::Pass { depth }
            | Verdict::Covered { depth, .. }
            | Verdict::NotCovered { depth } => Some(*depth),
            Verdict::Proven { k } | Verdict::Unreachable { k } => Some(*k),
            Verdict::Unknown { bmc_depth, .. } => *bmc_depth,
        }
    }

    pub fn trace(&self) -> Option<&Trace> {
        match self {
            Verdict::Fail { trace, .. } | Verdict::Covered { trace, .. } => Some(trace),
            _ => None,
        }
    }
}

#[derive(Clone, Debug)]
pub struct PropResult {
    /// Index into `design.props`.
    pub prop: usize,
    pub name: String,
    pub kind: PropKind,
    pub status: Verdict,
    /// True when the timeout or the cancellation flag cut the run short:
    /// `status` is then what was known at that point.
    pub interrupted: bool,
    pub elapsed: Duration,
    /// The engine that gave `status`: `bmc`, `k-induction` or `pdr`.
    pub engine: &'static str,
    /// For a PDR proof: the number of clauses in the inductive invariant.
    pub invariant_size: Option<usize>,
}

/// Progress of one property, reported after each depth.
#[derive(Clone, Debug)]
pub struct Progress {
    pub prop: usize,
    /// The depth just finished.
    pub depth: u32,
    /// Set on the last report for this property.
    pub done: bool,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum SolverError {
    #[error(transparent)]
    Reset(#[from] ResetError),
    #[error("property index {0} is out of range")]
    NoSuchProp(usize),
    #[error("property `{0}` is an assumption: assumptions constrain, they are not checked")]
    AssumeNotChecked(String),
    #[error("invalid design: {0}")]
    InvalidDesign(String),
}

/// A progress callback (called from worker threads).
pub type ProgressFn = Arc<dyn Fn(&Progress) + Send + Sync>;

/// How the caller hears about progress and tells the engine to stop.
#[derive(Clone, Default)]
pub struct Control {
    /// Set to stop (Ctrl-C): checked between depths and polled while Z3
    /// runs (a running query is interrupted).
    pub cancel: Arc<AtomicBool>,
    /// Called from worker threads after every depth.
    pub progress: Option<ProgressFn>,
}

/// Check the assertions and covers `props` (indices into `design.props`)
/// under every `assume` of the design. Results come back in `props` order.
pub fn check(
    design: &Design,
    props: &[usize],
    opts: &BmcOptions,
    ctl: &Control,
) -> Result<Vec<PropResult>, SolverError> {
    design.validate().map_err(SolverError::InvalidDesign)?;
    let reset = opts.reset.as_ref().map(|r| r.find(design)).transpose()?;
    for &p in props {
        let prop = design.props.get(p).ok_or(SolverError::NoSuchProp(p))?;
        if matches!(prop.kind, PropKind::Assume | PropKind::Fair) {
            return Err(SolverError::AssumeNotChecked(prop.name.clone()));
        }
    }
    let deadline = opts.timeout.map(|t| Instant::now() + t);
    let stop = Stop {
        flags: vec![ctl.cancel.clone()],
        deadline,
    };
    let run = |&p: &usize| {
        with_watchdog(&stop, || {
            portfolio::check_prop(design, p, opts, &reset, &stop, ctl)
        })
    };
    let joint = opts.prove && opts.joint && matches!(opts.engine, Engine::Kind | Engine::Auto);
    if !joint {
        return Ok(if opts.parallel {
            props.par_iter().map(run).collect()
        } else {
            props.iter().map(run).collect()
        });
    }
    // Assertions jointly (one solver pair; with `auto`, raced by PDR per
    // assertion), covers one by one.
    let (asserts, covers): (Vec<usize>, Vec<usize>) = props
        .iter()
        .partition(|&&p| design.props[p].kind == PropKind::Assert);
    let run_joint = || portfolio::joint_asserts(design, &asserts, opts, &reset, &stop, ctl);
    let (mut joint_res, mut cover_res): (Vec<PropResult>, Vec<PropResult>) = if opts.parallel {
        rayon::join(run_joint, || covers.par_iter().map(run).collect())
    } else {
        (run_joint(), covers.iter().map(run).collect())
    };
    // Back in `props` order.
    let mut out = Vec::with_capacity(props.len());
    for &p in props {
        let from = if design.props[p].kind == PropKind::Assert {
            &mut joint_res
        } else {
            &mut cover_res
        };
        let i = from
            .iter()
            .position(|r| r.prop == p)
            .expect("every property has a result");
        out.push(from.swap_remove(i));
    }
    Ok(out)
}

/// When to give up: any of the flags (the caller's; a portfolio's "decided")
/// or the deadline.
pub(crate) struct Stop {
    flags: Vec<Arc<AtomicBool>>,
    deadline: Option<Instant>,
}

impl Stop {
    pub(crate) fn now(&self) -> bool {
        self.flags.iter().any(|f| f.load(Ordering::Relaxed))
            || self.deadline.is_some_and(|d| Instant::now() >= d)
    }

    /// This stop, or `flag`.
    pub(crate) fn also(&self, flag: Arc<AtomicBool>) -> Stop {
        let mut flags = self.flags.clone();
        flags.push(flag);
        Stop {
            flags,
            deadline: self.deadline,
        }
    }
}

/// Run `f` on this thread while a helper thread interrupts this thread's Z3
/// context as soon as `stop` says so (a single query can run for minutes).
pub(crate) fn with_watchdog<R>(stop: &Stop, f: impl FnOnce() -> R) -> R {
    let ctx = z3::Context::thread_local();
    // Dropping `done` wakes the watchdog at once (a plain sleep made every
    // call wait up to one polling period for it to notice).
    let (done, quit) = std::sync::mpsc::channel::<()>();
    std::thread::scope(|s| {
        let handle = ctx.handle();
        s.spawn(move || loop {
            if stop.now() {
                handle.interrupt();
                return;
            }
            match quit.recv_timeout(Duration::from_millis(20)) {
                Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {}
                _ => return,
            }
        });
        let r = f();
        drop(done);
        r
    })
}

/// Plain BMC (no --prove) also tries induction at levels
/// `0..=QUICK_LEVELS`, each query limited to [`QUICK_MS`] of Z3 time: a
/// property that is k-inductive for a small k (a combinational tautology
/// such as two implementations of one function agreeing, or two registers
/// that always move together) holds at every depth, so BMC can stop there
/// instead of unrolling to the full depth, where a SAT solver can take
/// minutes on XOR-heavy logic (crc8). The verdict is the one BMC would give
/// (`pass` to the requested depth); only the time changes.
const QUICK_LEVELS: usize = 2;
const QUICK_MS: u32 = 1000;

/// The nodes of the design's assumptions (each engine constrains every
/// step with them).
pub(crate) fn assume_nodes(d: &Design) -> Vec<NodeId> {
    d.props
        .iter()
        .filter(|q| q.kind == PropKind::Assume)
        .map(|q| q.node)
        .collect()
}

/// How many levels the induction step runs behind the base case. With
/// the simple-path strengthening, a proof at level k is sound only if
/// every failing trace of length k+1..k+N (N the reset cycles) is excluded
/// by the base case: the reset is a constraint on the first N steps'
/// inputs, not on the state, so a shortest failing trace may repeat a state
/// inside its last k+1 states when they reach back into the reset window,
/// and cutting that loop would move inputs into it. Checking the step at
/// level k only once BMC has covered depth k + N - 1 closes that gap (a
/// free-running clock through a 3-cycle synchronous reset gave a wrong
/// `proven` before). Plain k-induction needs no lag.
pub(crate) fn induction_lag(reset: &Option<ResetInput>, simple_path: bool) -> usize {
    match reset {
        Some(r) if simple_path => r.reset.cycles.saturating_sub(1) as usize,
        _ => 0,
    }
}

pub(crate) fn check_one(
    d: &Design,
    p: usize,
    opts: &BmcOptions,
    reset: &Option<ResetInput>,
    stop: &Stop,
    ctl: &Control,
) -> PropResult {
    let t0 = Instant::now();
    let prop = &d.props[p];
    let is_cover = prop.kind == PropKind::Cover;
    let assumes = assume_nodes(d);
    let mut bmc = Bmc::new(d, &[prop.node], &assumes, reset.clone(), opts.mem_encoding);
    let quick = !opts.prove;
    // `--engine bmc`: no induction, not even the quick one.
    let mut ind = (opts.engine != Engine::Bmc).then(|| {
        Induction::joint(
            d,
            &[prop.node],
            &assumes,
            opts.mem_encoding,
            opts.simple_path || quick,
        )
    });
    if quick {
        if let Some(ind) = &ind {
            let mut params = z3::Params::new();
            params.set_u32("timeout", QUICK_MS);
            ind.solver.set_params(&params);
        }
    }
    let lag = induction_lag(reset, opts.simple_path || quick);
    let mut ind_trace: Option<Trace> = None;
    let mut passed: Option<u32> = None;
    let mut interrupted = false;
    let mut unknown: Option<String> = None;
    let report = |depth: u32, done: bool| {
        if let Some(cb) = &ctl.progress {
            cb(&Progress {
                prop: p,
                depth,
                done,
            });
        }
    };
    let status = 'run: {
        for k in 0..=opts.depth {
            if stop.now() {
                interrupted = true;
                break;
            }
            let ku = k as usize;
            bmc.add_step();
            match bmc.check(ku, prop.node) {
                Query::Sat(m) => {
                    let mut trace = bmc.trace(&m, ku);
                    trace.meta.insert("property".into(), prop.name.clone());
                    trace.meta.insert("engine".into(), "bmc".into());
                    break 'run if is_cover {
                        Verdict::Covered { depth: k, trace }
                    } else {
                        Verdict::Fail { depth: k, trace }
                    };
                }
                Query::Unsat => {
                    bmc.block(ku, prop.node);
                    passed = Some(k);
                }
                Query::Unknown(why) => {
                    interrupted = stop.now();
                    unknown = Some(why);
                    break;
                }
            }
            if quick && ku > QUICK_LEVELS {
                ind = None;
            }
            let level = ku.checked_sub(lag);
            if let (Some(ind_k), Some(level)) = (&mut ind, level) {
                // Base case: no hit in 0..=k from reset, so a step that holds
                // at level k - lag proves the property (see `induction_lag`).
                match ind_k.check_level(level) {
                    Query::Unsat if quick => {
                        // Holds at every depth, so at the requested one:
                        // depths k..=depth are settled, and progress says so.
                        for j in k..=opts.depth {
                            report(j, false);
                        }
                        break 'run if is_cover {
                            Verdict::NotCovered { depth: opts.depth }
                        } else {
                            Verdict::Pass { depth: opts.depth }
                        };
                    }
                    Query::Sat(_) | Query::Unknown(_) if quick => {
                        if stop.now() {
                            interrupted = true;
                            break;
                        }
                    }
                    Query::Unsat => {
                        let k = level as u32;
                        break 'run if is_cover {
                            Verdict::Unreachable { k }
                        } else {
                            Verdict::Proven { k }
                        };
                    }
                    Query::Sat(m) => {
                        let mut t = ind_k.trace(&m, level);
                        t.meta.insert("property".into(), prop.name.clone());
                        ind_trace = Some(t);
                    }
                    Query::Unknown(why) => {
                        interrupted = stop.now();
                        unknown = Some(format!("induction: {why}"));
                        break;
                    }
                }
            }
            report(k, false);
        }
        let stopped = interrupted || unknown.is_some();
        match passed {
            None => Verdict::Unknown {
                reason: unknown.unwrap_or_else(|| "stopped before cycle 0 was checked".into()),
                bmc_depth: None,
                induction_trace: ind_trace,
            },
            Some(depth) if opts.prove && !stopped => Verdict::Unknown {
                reason: format!("not k-inductive up to k = {}", opts.depth),
                bmc_depth: Some(depth),
                induction_trace: ind_trace,
            },
            Some(depth) if unknown.is_some() && !interrupted => Verdict::Unknown {
                reason: unknown.unwrap_or_default(),
                bmc_depth: Some(depth),
                induction_trace: ind_trace,
            },
            Some(depth) if is_cover => Verdict::NotCovered { depth },
            Some(depth) => Verdict::Pass { depth },
        }
    };
    report(status.depth().unwrap_or(0), true);
    let engine = match status {
        Verdict::Proven { .. } | Verdict::Unreachable { .. } => "k-induction",
        _ => "bmc",
    };
    PropResult {
        prop: p,
        name: prop.name.clone(),
        kind: prop.kind,
        status,
        interrupted,
        elapsed: t0.elapsed(),
        engine,
        invariant_size: None,
    }
}
