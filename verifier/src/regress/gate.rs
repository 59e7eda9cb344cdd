//! Judging results against expectations: every property's status (and
//! depth, when the manifest gives one) and every coverage goal. An
//! unexpected pass of a property expected to fail is a mismatch like any
//! other.

use crate::regress::manifest::{GoalKind, Status};
use crate::regress::results::{Expected, GoalOutcome, JobKind, PropOutcome, UnitResult, Verdict};

/// Judge `u` again from what it observed. `complete`: the unit holds every
/// seed of its job (always true except for a shard's slice of a sim job);
/// what only every seed together can show is then pending, not failed.
pub fn judge(u: &mut UnitResult, complete: bool) {
    u.mismatches.clear();
    u.pending.clear();
    u.goal_results.clear();
    if matches!(u.verdict, Verdict::Error | Verdict::Skipped) {
        return;
    }
    for (name, exp) in &u.expect {
        let Some(p) = u.properties.iter().find(|p| &p.name == name) else {
            u.mismatches.push(format!(
                "{name}: expected {exp}, but the design has no such property"
            ));
            continue;
        };
        let outcome = match u.kind {
            JobKind::Lint => Ok(()),
            JobKind::Closure => check_closure(p, exp),
            JobKind::Bmc => check_bmc(p, exp, u.depth),
            JobKind::Sim => check_sim(p, exp, complete),
        };
        match outcome {
            Ok(()) => {}
            Err(Miss::Mismatch(m)) => u.mismatches.push(format!("{name}: {m}")),
            Err(Miss::Pending(m)) => u.pending.push(format!("{name}: {m}")),
        }
    }
    if !u.goals.is_empty() {
        if !complete {
            u.pending
                .push("coverage goals: judged on the merged coverage of every seed".into());
        } else {
            let goals: Vec<(GoalKind, f64)> = u.goals.iter().map(|(&k, &v)| (k, v)).collect();
            for (kind, want) in goals {
                let Some((hit, total)) = goal_count(u, kind) else {
                    u.mismatches.push(format!(
                        "coverage goal {} set but no coverage was collected",
                        kind.word()
                    ));
                    continue;
                };
                let got = if total == 0 {
                    100.0
                } else {
                    100.0 * hit as f64 / total as f64
                };
                let met = got + 1e-9 >= want;
                if !met {
                    u.mismatches.push(format!(
                        "coverage goal {} >= {want:.1}%: reached {got:.1}% ({hit}/{total} points)",
                        kind.word()
                    ));
                }
                u.goal_results.push(GoalOutcome {
                    kind,
                    want,
                    got,
                    hit,
                    total,
                    met,
                });
            }
        }
    }
    u.verdict = if !u.mismatches.is_empty() {
        Verdict::Fail
    } else if !u.pending.is_empty() {
        Verdict::Pending
    } else {
        Verdict::Pass
    };
}

/// (points counted as reached, points) for a goal: closed points of the
/// closure database for `closure`, hit points of the sim coverage otherwise.
fn goal_count(u: &UnitResult, kind: GoalKind) -> Option<(usize, usize)> {
    use sim::coverage::PointKind;
    if kind == GoalKind::Closure {
        let s = u.closure.as_ref()?.summary(None);
        return Some((s.hit + s.unreachable, s.total));
    }
    let c = u.coverage.as_ref()?;
    let k = match kind {
        GoalKind::Branch => PointKind::Branch,
        GoalKind::Toggle => PointKind::Toggle,
        GoalKind::State => PointKind::State,
        GoalKind::Transition => PointKind::Transition,
        GoalKind::Cover => PointKind::Cover,
        GoalKind::All => return Some((c.hit(), c.total())),
        GoalKind::Closure => unreachable!("handled above"),
    };
    Some(c.summary(k))
}

enum Miss {
    Mismatch(String),
    Pending(String),
}

fn got(p: &PropOutcome) -> String {
    match (p.status, p.depth) {
        (Some(s), Some(d)) => format!("{s}@{d}"),
        (Some(s), None) => s.to_string(),
        (None, _) => "nothing".into(),
    }
}

fn check_bmc(p: &PropOutcome, exp: &Expected, job_depth: Option<u32>) -> Result<(), Miss> {
    let Some(st) = p.status else {
        return Err(Miss::Mismatch(format!("expected {exp}, not checked")));
    };
    let ok = match exp.status {
        // "pass" is a bounded pass or a proof; an induction that did not
        // close still leaves the bounded pass to the full depth.
        Status::Pass => {
            st == Status::Pass
                || st == Status::Proven
                || (st == Status::Unknown && p.depth.is_some() && p.depth == job_depth)
        }
        want => st == want,
    };
    let depth_ok = match (exp.depth, exp.status) {
        (Some(d), Status::Fail | Status::Covered) => p.depth == Some(d),
        _ => true,
    };
    if ok && depth_ok {
        return Ok(());
    }
    let mut m = format!("expected {exp}, got {}", got(p));
    if let Some(r) = &p.reason {
        m.push_str(&format!(" ({r})"));
    }
    if exp.status == Status::Fail && st != Status::Fail {
        m.push_str(": unexpected pass");
    }
    Err(Miss::Mismatch(m))
}

/// Closure settles covers: hit (a stimulus reaches it) or proven
/// unreachable; what it leaves open is `unknown`. A hit earlier than the
/// shortest formal depth contradicts the shortest witness.
fn check_closure(p: &PropOutcome, exp: &Expected) -> Result<(), Miss> {
    let Some(st) = p.status else {
        return Err(Miss::Mismatch(format!("expected {exp}, not checked")));
    };
    let miss = |what: String| Err(Miss::Mismatch(format!("expected {exp}, {what}")));
    match exp.status {
        Status::Unknown => Ok(()),
        Status::Pass | Status::Proven if st == Status::Fail => miss(format!("got {}", got(p))),
        Status::Pass | Status::Proven => Ok(()),
        want if st != want => {
            let mut m = format!("got {}", got(p));
            if let Some(r) = &p.reason {
                m.push_str(&format!(" ({r})"));
            }
            miss(m)
        }
        _ => match (exp.depth, p.depth) {
            (Some(d), Some(c)) if c < d => miss(format!(
                "reached at cycle {c}, before the shortest depth {d}"
            )),
            _ => Ok(()),
        },
    }
}

/// Random simulation can refute (a failure, a hit) but never prove; it is
/// held to what it can show: a failure of a property expected to fail, a
/// hit of a cover expected covered, and never earlier than the shortest
/// formal depth (random runs follow the formal reset convention, so a
/// shorter failure would contradict the shortest counterexample).
fn check_sim(p: &PropOutcome, exp: &Expected, complete: bool) -> Result<(), Miss> {
    let Some(st) = p.status else {
        return Err(Miss::Mismatch(format!("expected {exp}, not checked")));
    };
    let found = matches!(st, Status::Fail | Status::Covered);
    let miss = |what: &str| Miss::Mismatch(format!("expected {exp}, {what}"));
    match exp.status {
        Status::Unknown => Ok(()),
        Status::Pass | Status::Proven if st == Status::Fail => Err(miss(&format!(
            "got fail at cycle {} (seed {})",
            p.depth.unwrap_or(0),
            p.seed.unwrap_or(0)
        ))),
        Status::Unreachable if st == Status::Covered => Err(miss(&format!(
            "got covered at cycle {} (seed {})",
            p.depth.unwrap_or(0),
            p.seed.unwrap_or(0)
        ))),
        Status::Pass | Status::Proven | Status::Unreachable => Ok(()),
        Status::Fail | Status::Covered => {
            let want = if exp.status == Status::Fail {
                Status::Fail
            } else {
                Status::Covered
            };
            if st == want {
                match (exp.depth, p.depth) {
                    (Some(d), Some(c)) if c < d => Err(miss(&format!(
                        "simulation reached it at cycle {c} (seed {}), before the shortest depth {d}",
                        p.seed.unwrap_or(0)
                    ))),
                    _ => Ok(()),
                }
            } else if found {
                Err(miss(&format!("got {}", got(p))))
            } else if complete {
                Err(miss(&format!(
                    "no seed {} it{}",
                    if want == Status::Fail {
                        "failed"
                    } else {
                        "hit"
                    },
                    if want == Status::Fail {
                        ": unexpected pass"
                    } else {
                        ""
                    }
                )))
            } else {
                Err(Miss::Pending(format!(
                    "expected {exp}: not in this slice's seeds"
                )))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::regress::results::SeedRange;
    use std::collections::BTreeMap;

    fn unit(kind: JobKind, status: Status, depth: Option<u32>, exp: &str) -> UnitResult {
        let e = crate::regress::manifest::Expectation::parse(exp).unwrap();
        let mut expect = BTreeMap::new();
        expect.insert(
            "t.p".to_string(),
            Expected {
                status: e.status,
                depth: e.depth,
            },
        );
        UnitResult {
            design: "t".into(),
            kind,
            job: format!("t/{}", kind.word()),
            seeds: (kind == JobKind::Sim).then_some(SeedRange { first: 1, count: 2 }),
            job_seeds: None,
            cycles: None,
            depth: Some(10),
            verdict: Verdict::Pass,
            seconds: 0.0,
            message: None,
            message_color: None,
            properties: vec![PropOutcome {
                name: "t.p".into(),
                kind: "assert".into(),
                status: Some(status),
                depth,
                seed: None,
                reason: None,
                trace: None,
                vcd: None,
                location: String::new(),
            }],
            expect,
            goals: BTreeMap::new(),
            goal_results: vec![],
            coverage: None,
            closure: None,
            mismatches: vec![],
            pending: vec![],
            artifacts: None,
            repro: String::new(),
        }
    }

    fn verdict(
        kind: JobKind,
        st: Status,
        depth: Option<u32>,
        exp: &str,
        complete: bool,
    ) -> Verdict {
        let mut u = unit(kind, st, depth, exp);
        judge(&mut u, complete);
        u.verdict
    }

    #[test]
    fn bmc_rules() {
        use Status::*;
        assert_eq!(
            verdict(JobKind::Bmc, Proven, Some(2), "pass", true),
            Verdict::Pass
        );
        assert_eq!(
            verdict(JobKind::Bmc, Pass, Some(10), "proven", true),
            Verdict::Fail
        );
        assert_eq!(
            verdict(JobKind::Bmc, Unknown, Some(10), "pass", true),
            Verdict::Pass
        );
        assert_eq!(
            verdict(JobKind::Bmc, Unknown, Some(4), "pass", true),
            Verdict::Fail
        );
        // An unexpected pass fails the gate.
        assert_eq!(
            verdict(JobKind::Bmc, Pass, Some(10), "fail", true),
            Verdict::Fail
        );
        assert_eq!(
            verdict(JobKind::Bmc, Fail, Some(3), "fail@3", true),
            Verdict::Pass
        );
        assert_eq!(
            verdict(JobKind::Bmc, Fail, Some(4), "fail@3", true),
            Verdict::Fail
        );
        assert_eq!(
            verdict(JobKind::Bmc, Fail, Some(4), "pass", true),
            Verdict::Fail
        );
    }

    #[test]
    fn sim_rules() {
        use Status::*;
        assert_eq!(
            verdict(JobKind::Sim, Pass, None, "fail", true),
            Verdict::Fail
        );
        assert_eq!(
            verdict(JobKind::Sim, Pass, None, "fail", false),
            Verdict::Pending
        );
        assert_eq!(
            verdict(JobKind::Sim, Fail, Some(7), "fail@3", false),
            Verdict::Pass
        );
        assert_eq!(
            verdict(JobKind::Sim, Fail, Some(2), "fail@3", true),
            Verdict::Fail
        );
        assert_eq!(
            verdict(JobKind::Sim, Fail, Some(9), "pass", false),
            Verdict::Fail
        );
        assert_eq!(
            verdict(JobKind::Sim, Pass, None, "proven", true),
            Verdict::Pass
        );
        assert_eq!(
            verdict(JobKind::Sim, Covered, Some(1), "unreachable", true),
            Verdict::Fail
        );
        assert_eq!(
            verdict(JobKind::Sim, Unknown, None, "unreachable", true),
            Verdict::Pass
        );
    }

    #[test]
    fn missing_property_is_a_mismatch() {
        let mut u = unit(JobKind::Lint, Status::Pass, None, "pass");
        u.properties.clear();
        judge(&mut u, true);
        assert_eq!(u.verdict, Verdict::Fail);
    }
}
