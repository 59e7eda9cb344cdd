//! `verify merge RESULTS...`: the result files of every shard (with the
//! coverage each sim slice collected) into one report and one gate. Sim
//! slices of one job are combined (the lowest failing seed, the earliest
//! cover hit, coverage summed) and judged again with every seed present;
//! a job no shard ran is an error.

use crate::regress::gate::judge;
use crate::regress::results::{
    JobKind, Planned, PropOutcome, RunFile, SeedRange, UnitResult, Verdict, FORMAT,
};
use anyhow::bail;
use std::collections::BTreeMap;

/// Merge run files into one (units in suite order).
pub fn merge(files: &[RunFile]) -> anyhow::Result<RunFile> {
    let Some(first) = files.first() else {
        bail!("nothing to merge: give the result files of every shard");
    };
    for f in &files[1..] {
        if f.planned != first.planned {
            bail!(
                "the result files come from different suites (or manifests changed between shards)"
            );
        }
    }
    let mut by_job: BTreeMap<String, Vec<UnitResult>> = BTreeMap::new();
    for f in files {
        for u in &f.units {
            by_job.entry(u.job.clone()).or_default().push(u.clone());
        }
    }
    let mut units = Vec::new();
    for p in &first.planned {
        let parts = by_job.remove(&p.job).unwrap_or_default();
        units.push(merge_job(p, parts)?);
    }
    if let Some(extra) = by_job.keys().next() {
        bail!("job {extra} is in a result file but not in the suite it names");
    }
    Ok(RunFile {
        format: FORMAT.into(),
        suite: first.suite.clone(),
        shard: None,
        planned: first.planned.clone(),
        units,
        seconds: files.iter().map(|f| f.seconds).fold(0.0, f64::max),
    })
}

fn missing(p: &Planned, why: String) -> UnitResult {
    let (design, kind) = p.job.split_once('/').unwrap_or((&p.job, "?"));
    UnitResult {
        design: design.to_string(),
        kind: match kind {
            "lint" => JobKind::Lint,
            "sim" => JobKind::Sim,
            "bmc" => JobKind::Bmc,
            _ => JobKind::Closure,
        },
        job: p.job.clone(),
        seeds: p.seeds,
        job_seeds: p.seeds,
        cycles: None,
        depth: None,
        verdict: Verdict::Error,
        seconds: 0.0,
        message: Some(why),
        message_color: None,
        properties: vec![],
        expect: BTreeMap::new(),
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

fn merge_job(p: &Planned, mut parts: Vec<UnitResult>) -> anyhow::Result<UnitResult> {
    if parts.is_empty() {
        return Ok(missing(
            p,
            "no result file holds this job: a shard is missing".into(),
        ));
    }
    let Some(all) = p.seeds else {
        if parts.len() > 1 {
            bail!("job {} is in more than one result file", p.job);
        }
        return Ok(parts.remove(0));
    };
    parts.sort_by_key(|u| u.seeds.map(|s| s.first));
    let mut next = all.first;
    let mut holes = Vec::new();
    for u in &parts {
        let s = u.seeds.unwrap_or(all);
        if s.first < next {
            bail!(
                "job {}: seeds {}..{} are in two result files",
                p.job,
                s.first,
                next
            );
        }
        if s.first > next {
            holes.push(format!("{}..{}", next, s.first));
        }
        next = s.end();
    }
    if next < all.end() {
        holes.push(format!("{}..{}", next, all.end()));
    }
    if let Some(u) = parts.iter().find(|u| u.verdict == Verdict::Error) {
        let mut u = u.clone();
        u.seeds = p.seeds;
        return Ok(u);
    }
    let mut it = parts.into_iter();
    let mut m = it.next().expect("parts is not empty");
    let mut repro_seeds = m.seeds;
    for u in it {
        if m.artifacts.is_none() {
            m.artifacts = u.artifacts.clone();
            if u.artifacts.is_some() {
                m.repro = u.repro.clone();
                repro_seeds = u.seeds;
            }
        }
        m.seconds += u.seconds;
        if let Some(msg) = &u.message {
            m.message = Some(match m.message.take() {
                Some(a) if &a != msg => format!("{a}; {msg}"),
                Some(a) => a,
                None => msg.clone(),
            });
        }
        for q in u.properties {
            match m.properties.iter_mut().find(|x| x.name == q.name) {
                Some(x) => combine(x, q),
                None => m.properties.push(q),
            }
        }
        match (&mut m.coverage, u.coverage) {
            (Some(a), Some(b)) => a.merge(&b),
            (None, b) => m.coverage = b,
            (Some(_), None) => {}
        }
    }
    let covered = SeedRange {
        first: all.first,
        count: next.min(all.end()) - all.first,
    };
    m.seeds = if holes.is_empty() {
        Some(all)
    } else {
        Some(covered)
    };
    if repro_seeds != m.seeds {
        m.repro = with_seeds(&m.repro, m.seeds.unwrap_or(all));
    }
    m.verdict = Verdict::Pass;
    judge(&mut m, holes.is_empty());
    if !holes.is_empty() {
        m.verdict = Verdict::Error;
        m.message = Some(format!(
            "seeds {} of this job are in no result file: a shard is missing",
            holes.join(", ")
        ));
    }
    Ok(m)
}

/// The outcome over two disjoint seed sets: a failure or hit wins; between
/// two, the lower seed (then the earlier cycle).
fn combine(a: &mut PropOutcome, b: PropOutcome) {
    use crate::regress::manifest::Status::{Covered, Fail};
    let found = |p: &PropOutcome| matches!(p.status, Some(Fail | Covered));
    let better = match (found(a), found(&b)) {
        (false, true) => true,
        (true, true) => {
            if a.status == Some(Covered) {
                (b.depth, b.seed) < (a.depth, a.seed)
            } else {
                (b.seed, b.depth) < (a.seed, a.depth)
            }
        }
        _ => false,
    };
    if better {
        *a = b;
    }
}

/// `repro` with its `--seed S --seeds K` replaced by `seeds`.
fn with_seeds(repro: &str, seeds: SeedRange) -> String {
    let mut words: Vec<String> = repro.split(' ').map(String::from).collect();
    for i in 0..words.len().saturating_sub(1) {
        match words[i].as_str() {
            "--seed" => words[i + 1] = seeds.first.to_string(),
            "--seeds" => words[i + 1] = seeds.count.to_string(),
            _ => {}
        }
    }
    words.join(" ")
}
