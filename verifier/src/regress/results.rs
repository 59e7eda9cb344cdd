//! What a regression run records: one [`UnitResult`] per unit of work (a
//! job, or a slice of a sim job's seeds), gathered in a [`RunFile`] (the
//! `--json` report, `last.json`, and what `verify merge` reads). A result
//! holds what the engines observed and what was expected, so it can be
//! judged again after shards are merged, without the manifests.

use crate::regress::manifest::{GoalKind, Status};
use crate::regress::shard::Shard;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::PathBuf;

/// The format tag of result files.
pub const FORMAT: &str = "verify-regress/1";

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum JobKind {
    Lint,
    Sim,
    Bmc,
    Closure,
}

impl JobKind {
    pub fn word(self) -> &'static str {
        match self {
            JobKind::Lint => "lint",
            JobKind::Sim => "sim",
            JobKind::Bmc => "bmc",
            JobKind::Closure => "closure",
        }
    }
}

/// Seeds `first .. first + count`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct SeedRange {
    pub first: u64,
    pub count: u64,
}

impl SeedRange {
    pub fn end(&self) -> u64 {
        self.first + self.count
    }
}

/// The verdict on a unit (or a merged job).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    /// Every result as expected, every goal met.
    Pass,
    /// A result not as expected, or a goal missed.
    Fail,
    /// The job could not run (the design does not elaborate, an engine error).
    Error,
    /// The job did not run (e.g. its engine is not available).
    Skipped,
    /// A slice of a sim job: what needs every seed (an expected failure
    /// found, a cover hit, a coverage goal) is judged by `verify merge`.
    Pending,
}

impl Verdict {
    pub fn word(self) -> &'static str {
        match self {
            Verdict::Pass => "PASS",
            Verdict::Fail => "FAIL",
            Verdict::Error => "ERROR",
            Verdict::Skipped => "SKIP",
            Verdict::Pending => "PENDING",
        }
    }
}

/// What an engine is expected to report for one property.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Expected {
    pub status: Status,
    pub depth: Option<u32>,
}

impl std::fmt::Display for Expected {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.status)?;
        if let Some(d) = self.depth {
            write!(f, "@{d}")?;
        }
        Ok(())
    }
}

/// One property as an engine saw it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PropOutcome {
    pub name: String,
    /// `assert`, `assume` or `cover`.
    pub kind: String,
    /// `None` in lint jobs (nothing was checked).
    pub status: Option<Status>,
    /// BMC: the depth (or k) of the verdict; an unknown result's bounded
    /// depth. Sim: the cycle of the first failure or cover hit.
    pub depth: Option<u32>,
    /// Sim: the lowest seed that failed or hit the cover.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub seed: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub trace: Option<PathBuf>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vcd: Option<PathBuf>,
    pub location: String,
}

/// A coverage goal and how far the run got.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GoalOutcome {
    pub kind: GoalKind,
    /// Percent wanted.
    pub want: f64,
    /// Percent reached.
    pub got: f64,
    pub hit: usize,
    pub total: usize,
    pub met: bool,
}

/// The result of one unit of work.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct UnitResult {
    pub design: String,
    pub kind: JobKind,
    /// `design/kind`: the job this unit belongs to.
    pub job: String,
    /// Sim: this unit's seeds, and every seed of the job.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub seeds: Option<SeedRange>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub job_seeds: Option<SeedRange>,
    /// Sim: cycles per seed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cycles: Option<u64>,
    /// BMC: the depth asked for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub depth: Option<u32>,
    pub verdict: Verdict,
    pub seconds: f64,
    /// Why the unit errored or was skipped.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// `message` with its diagnostic rendered in colour (`--color`): what
    /// the table shows; files never hold it.
    #[serde(skip)]
    pub message_color: Option<String>,
    pub properties: Vec<PropOutcome>,
    /// Property name -> what this engine is expected to report.
    pub expect: BTreeMap<String, Expected>,
    /// Coverage goals wanted (percent) and, once judged, how they went.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub goals: BTreeMap<GoalKind, f64>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub goal_results: Vec<GoalOutcome>,
    /// Sim: coverage merged over this unit's seeds (when goals are set or
    /// `--coverage` asked for it).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub coverage: Option<sim::Coverage>,
    /// Closure: the coverage database at the end of the run (every point's
    /// status, mergeable with other runs' databases).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub closure: Option<testgen::CoverageDb>,
    /// Filled by the judge.
    pub mismatches: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pending: Vec<String>,
    /// A folder with traces, waveforms and `repro.sh` (failing units).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub artifacts: Option<PathBuf>,
    /// A one-line command reproducing the unit's engine run.
    pub repro: String,
}

impl UnitResult {
    /// Unique within a run: the job, plus the seed slice for sim.
    pub fn key(&self) -> String {
        unit_key(&self.job, self.seeds)
    }

    /// What tables show: the job, with the seed slice when it is partial.
    pub fn label(&self) -> String {
        if self.seeds == self.job_seeds {
            self.job.clone()
        } else {
            self.key()
        }
    }
}

pub fn unit_key(job: &str, seeds: Option<SeedRange>) -> String {
    match seeds {
        Some(s) => format!("{job}[seeds {}..{}]", s.first, s.end()),
        None => job.to_string(),
    }
}

/// A job of the suite as planned (for checking that shards cover it all).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Planned {
    pub job: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub seeds: Option<SeedRange>,
}

/// A whole run's results (also a merge's).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct RunFile {
    pub format: String,
    /// The folder searched for manifests.
    pub suite: PathBuf,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub shard: Option<Shard>,
    /// Every job of the suite (all shards).
    pub planned: Vec<Planned>,
    pub units: Vec<UnitResult>,
    pub seconds: f64,
}

impl RunFile {
    pub fn read(path: &std::path::Path) -> anyhow::Result<RunFile> {
        use anyhow::Context;
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read {}", path.display()))?;
        let f: RunFile = serde_json::from_str(&text)
            .with_context(|| format!("{} is not a verify regress result file", path.display()))?;
        if f.format != FORMAT {
            anyhow::bail!(
                "{}: result format `{}`, expected `{FORMAT}`",
                path.display(),
                f.format
            );
        }
        Ok(f)
    }
}

/// Totals of a set of results.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Totals {
    pub units: usize,
    pub pass: usize,
    pub fail: usize,
    pub error: usize,
    pub skipped: usize,
    pub pending: usize,
    /// Expectations checked and how many did not hold.
    pub checked: usize,
    pub mismatched: usize,
    pub goals: usize,
    pub goals_met: usize,
}

impl Totals {
    pub fn of(units: &[UnitResult]) -> Totals {
        let mut t = Totals {
            units: units.len(),
            ..Totals::default()
        };
        for u in units {
            match u.verdict {
                Verdict::Pass => t.pass += 1,
                Verdict::Fail => t.fail += 1,
                Verdict::Error => t.error += 1,
                Verdict::Skipped => t.skipped += 1,
                Verdict::Pending => t.pending += 1,
            }
            if !matches!(u.verdict, Verdict::Error | Verdict::Skipped) {
                t.checked += u.expect.len();
            }
            t.mismatched += u.mismatches.len();
            t.goals += u.goal_results.len();
            t.goals_met += u.goal_results.iter().filter(|g| g.met).count();
        }
        t
    }

    /// The exit status: 0 only if every result is as expected and every
    /// goal met; 2 if a job could not run; 1 otherwise. `final_gate`:
    /// pending results (shards not merged yet) fail the gate.
    pub fn exit_status(&self, final_gate: bool) -> u8 {
        if self.error > 0 {
            crate::status::ERROR
        } else if self.fail > 0 || (final_gate && self.pending > 0) {
            crate::status::FAIL
        } else {
            crate::status::OK
        }
    }
}
