//! Regression manifests (`<design>/verify.toml`): how to build a design, the
//! jobs to run on it, and the result expected of every property and
//! coverage goal. Read by `verify regress` and by the verifier's tests.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The file name a design folder's manifest has.
pub const MANIFEST: &str = "verify.toml";

#[derive(Debug, thiserror::Error)]
pub enum ManifestError {
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}: {message}")]
    Invalid { path: PathBuf, message: String },
}

/// One design's manifest.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    /// Defaults to the folder name.
    pub name: Option<String>,
    #[serde(default)]
    pub description: String,
    pub top: String,
    #[serde(default)]
    pub files: Vec<String>,
    /// A file list (relative paths taken from its own folder), like `-F`.
    pub file_list: Option<String>,
    #[serde(default)]
    pub include_dirs: Vec<String>,
    #[serde(default)]
    pub defines: BTreeMap<String, String>,
    #[serde(default)]
    pub params: BTreeMap<String, String>,
    #[serde(default)]
    pub exercises: Vec<String>,
    /// Icarus Verilog can run the design (the simulator's differential test).
    #[serde(default = "yes")]
    pub icarus: bool,
    pub icarus_reason: Option<String>,
    pub clock: Option<String>,
    /// Schedules of the clocks of a design with several (`NAME=PERIOD` or
    /// `NAME=PERIOD@PHASE`, as `--clock`), for the sim job and the Icarus
    /// differential test.
    #[serde(default)]
    pub clocks: Vec<String>,
    /// A clock file (see `clock_file`), relative to the manifest's folder;
    /// `clocks` entries override its entries of the same name.
    pub clock_file: Option<String>,
    /// `NAME` (active high), `!NAME` (active low) or `none`; absent: automatic.
    pub reset: Option<String>,
    /// Structure checks, read by `rtl`'s tests.
    pub ir: Option<toml::Value>,
    /// SVA designs' hand-written traces (`pass.json`, `fail.json`) and the
    /// cycle where `fail.json` fails, read by `rtl`'s SVA tests.
    pub sva: Option<toml::Value>,
    /// Property name -> expected result.
    #[serde(default)]
    pub expect: BTreeMap<String, Expectation>,
    #[serde(default)]
    pub jobs: Jobs,
    /// Coverage goals (percent of points hit, from the sim job's coverage).
    #[serde(default)]
    pub goals: BTreeMap<GoalKind, f64>,
}

fn yes() -> bool {
    true
}

/// The jobs of a design; a job absent from `[jobs]` takes its default.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Jobs {
    #[serde(default = "yes")]
    pub lint: bool,
    #[serde(default = "default_sim")]
    pub sim: Toggle<SimJob>,
    #[serde(default = "default_bmc")]
    pub bmc: Toggle<BmcJob>,
    #[serde(default = "Toggle::off")]
    pub closure: Toggle<ClosureJob>,
}

impl Default for Jobs {
    fn default() -> Jobs {
        Jobs {
            lint: true,
            sim: default_sim(),
            bmc: default_bmc(),
            closure: Toggle::off(),
        }
    }
}

fn default_sim() -> Toggle<SimJob> {
    Toggle::On(SimJob::default())
}

fn default_bmc() -> Toggle<BmcJob> {
    Toggle::On(BmcJob::default())
}

/// `job = false`, `job = true` (defaults) or `job = { ... }`.
#[derive(Clone, Debug, Deserialize)]
#[serde(untagged)]
pub enum Toggle<T> {
    Flag(bool),
    On(T),
}

impl<T: Default + Clone> Toggle<T> {
    fn off() -> Toggle<T> {
        Toggle::Flag(false)
    }

    /// The job's settings, or `None` when it is turned off.
    pub fn get(&self) -> Option<T> {
        match self {
            Toggle::Flag(false) => None,
            Toggle::Flag(true) => Some(T::default()),
            Toggle::On(t) => Some(t.clone()),
        }
    }
}

/// Random simulation: seeds `seed .. seed + seeds`, `cycles` each.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SimJob {
    pub seeds: u64,
    pub cycles: u64,
    /// First seed.
    pub seed: u64,
    /// `random` or `zero` (uninitialised registers).
    pub init: String,
}

impl Default for SimJob {
    fn default() -> SimJob {
        SimJob {
            seeds: 8,
            cycles: 1000,
            seed: 1,
            init: "random".into(),
        }
    }
}

/// Bounded model checking (with k-induction and covers by default).
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct BmcJob {
    pub depth: u32,
    pub prove: bool,
    pub cover: bool,
    /// Seconds; what is known then is reported (an unknown result).
    pub timeout: f64,
    /// `--engine`: `kind` (the default here), `auto`, `bmc` or `pdr`.
    pub engine: String,
}

impl BmcJob {
    /// The engine `engine` names, if it names one.
    pub fn solver_engine(&self) -> Option<solver::Engine> {
        Some(match self.engine.as_str() {
            "auto" => solver::Engine::Auto,
            "bmc" => solver::Engine::Bmc,
            "kind" => solver::Engine::Kind,
            "pdr" => solver::Engine::Pdr,
            _ => return None,
        })
    }
}

impl Default for BmcJob {
    fn default() -> BmcJob {
        BmcJob {
            depth: 20,
            prove: true,
            cover: true,
            timeout: 300.0,
            engine: "kind".into(),
        }
    }
}

/// The words `--engines` (and a closure job's `engines`) take (the
/// closure library's vocabulary).
pub use closure::ENGINE_WORDS;

/// Coverage closure (`verify --closure`) with a budget of simulated
/// cycles: a cycle budget (not seconds) keeps the result exact, the same on
/// any machine and thread count.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ClosureJob {
    /// Simulated cycles (`--cycles`).
    pub budget: u64,
    /// Formal depth per point (`--depth`).
    pub depth: u32,
    /// `--engines`: `random`, `learned`, `formal`, `all`, `uniform`, `dict`, `mlp`.
    pub engines: String,
    pub seed: u64,
}

impl Default for ClosureJob {
    fn default() -> ClosureJob {
        ClosureJob {
            budget: 100_000,
            depth: 20,
            engines: "all".into(),
            seed: 1,
        }
    }
}

/// A property's expected status: `"fail"`, `"fail@3"` (at depth 3) or
/// `{ status = "fail", depth = 3, sim = "pass", bmc = "unknown" }`, where
/// `sim`/`bmc` override the status for one engine (random simulation need
/// not find a deep bug; a cover deeper than the BMC depth is unknown there).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Expectation {
    pub status: Status,
    pub depth: Option<u32>,
    pub sim: Option<Status>,
    pub bmc: Option<Status>,
    pub closure: Option<Status>,
}

impl Expectation {
    /// What `engine` is expected to report.
    pub fn for_engine(&self, engine: Engine) -> Status {
        match engine {
            Engine::Sim => self.sim.unwrap_or(self.status),
            Engine::Bmc => self.bmc.unwrap_or(self.status),
            Engine::Closure => self.closure.unwrap_or(self.status),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Engine {
    Sim,
    Bmc,
    Closure,
}

/// Result statuses (`ir::status`): the one status of the
/// project, shared with the engines.
pub use ir::status::Status;

impl std::fmt::Display for Expectation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.status)?;
        if let Some(d) = self.depth {
            write!(f, "@{d}")?;
        }
        Ok(())
    }
}

impl Expectation {
    /// Parse `"status"` or `"status@depth"`.
    pub fn parse(s: &str) -> Result<Expectation, String> {
        let (st, depth) = match s.split_once('@') {
            Some((st, d)) => (
                st,
                Some(
                    d.trim()
                        .parse::<u32>()
                        .map_err(|_| format!("`{s}`: the depth after @ must be a number"))?,
                ),
            ),
            None => (s, None),
        };
        let status = parse_status(st.trim())?;
        Ok(Expectation {
            status,
            depth,
            sim: None,
            bmc: None,
            closure: None,
        })
    }
}

fn parse_status(s: &str) -> Result<Status, String> {
    Status::parse(s).ok_or_else(|| {
        format!("`{s}` is not a status (pass, proven, fail, covered, unreachable, unknown)")
    })
}

impl<'de> Deserialize<'de> for Expectation {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Table {
            status: String,
            depth: Option<u32>,
            sim: Option<String>,
            bmc: Option<String>,
            closure: Option<String>,
        }
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Word(String),
            Table(Table),
        }
        let raw = Raw::deserialize(d).map_err(|_| {
            serde::de::Error::custom(
                "an expectation is \"status\", \"status@depth\" or { status = ..., depth = ..., sim = ..., bmc = ..., closure = ... }",
            )
        })?;
        match raw {
            Raw::Word(w) => Expectation::parse(&w).map_err(serde::de::Error::custom),
            Raw::Table(t) => {
                let mut e = Expectation::parse(&t.status).map_err(serde::de::Error::custom)?;
                if t.depth.is_some() {
                    e.depth = t.depth;
                }
                let engine = |s: Option<String>| -> Result<Option<Status>, D::Error> {
                    s.map(|s| parse_status(&s).map_err(serde::de::Error::custom))
                        .transpose()
                };
                e.sim = engine(t.sim)?;
                e.bmc = engine(t.bmc)?;
                e.closure = engine(t.closure)?;
                Ok(e)
            }
        }
    }
}

/// A coverage goal's kind: the simulator's coverage point kinds, or `all`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum GoalKind {
    Branch,
    Toggle,
    State,
    Transition,
    Cover,
    All,
    /// `(hit + unreachable) / total` of a closure job.
    Closure,
}

impl GoalKind {
    pub fn word(self) -> &'static str {
        match self {
            GoalKind::Branch => "branch",
            GoalKind::Toggle => "toggle",
            GoalKind::State => "state",
            GoalKind::Transition => "transition",
            GoalKind::Cover => "cover",
            GoalKind::All => "all",
            GoalKind::Closure => "closure",
        }
    }
}

/// A design folder and its manifest.
#[derive(Clone, Debug)]
pub struct Design {
    pub dir: PathBuf,
    pub name: String,
    pub manifest: Manifest,
}

impl Manifest {
    /// Every clock schedule in the `--clock` spelling: the clock file's,
    /// then `clocks` (a later entry for a clock replaces an earlier one).
    pub fn clock_specs(&self, dir: &Path) -> Result<Vec<String>, String> {
        let mut out = match &self.clock_file {
            Some(f) => crate::clock_file::load(&dir.join(f))?,
            None => Vec::new(),
        };
        for c in &self.clocks {
            let name = c.split_once('=').map_or(c.as_str(), |(n, _)| n).trim();
            out.retain(|o| o.split_once('=').map_or(o.as_str(), |(n, _)| n).trim() != name);
            out.push(c.clone());
        }
        Ok(out)
    }

    /// Read and check one manifest.
    pub fn read(path: &Path) -> Result<Manifest, ManifestError> {
        let text = std::fs::read_to_string(path).map_err(|source| ManifestError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        let m: Manifest = toml::from_str(&text).map_err(|e| ManifestError::Invalid {
            path: path.to_path_buf(),
            message: e.to_string(),
        })?;
        m.check().map_err(|message| ManifestError::Invalid {
            path: path.to_path_buf(),
            message,
        })?;
        Ok(m)
    }

    fn check(&self) -> Result<(), String> {
        if self.files.is_empty() && self.file_list.is_none() {
            return Err("no sources: give `files` or `file_list`".into());
        }
        if let Some(s) = self.jobs.sim.get() {
            if s.seeds == 0 || s.cycles == 0 {
                return Err("[jobs] sim: seeds and cycles must be at least 1".into());
            }
            if s.init != "random" && s.init != "zero" {
                return Err(format!(
                    "[jobs] sim: init = \"{}\": expected random or zero",
                    s.init
                ));
            }
        }
        if let Some(b) = self.jobs.bmc.get() {
            if b.timeout.is_nan() || b.timeout <= 0.0 {
                return Err("[jobs] bmc: timeout must be a positive number of seconds".into());
            }
            if b.solver_engine().is_none() {
                return Err(format!(
                    "[jobs] bmc: engine = \"{}\": expected auto, bmc, kind or pdr",
                    b.engine
                ));
            }
        }
        for (k, v) in &self.goals {
            if !(0.0..=100.0).contains(v) {
                return Err(format!(
                    "[goals] {} = {v}: a goal is a percentage 0..100",
                    k.word()
                ));
            }
        }
        if let Some(c) = self.jobs.closure.get() {
            if c.budget == 0 {
                return Err("[jobs] closure: budget (simulated cycles) must be at least 1".into());
            }
            // The same words as `--engines` (checked again when it runs).
            let words: Vec<&str> = c.engines.split(',').map(str::trim).collect();
            if words.iter().all(|w| w.is_empty())
                || words
                    .iter()
                    .any(|w| !w.is_empty() && !ENGINE_WORDS.contains(w))
            {
                return Err(format!(
                    "[jobs] closure: engines = \"{}\": expected a list of random, learned, formal, all, uniform, dict or mlp",
                    c.engines
                ));
            }
        }
        let closure_goal = self.goals.contains_key(&GoalKind::Closure);
        if closure_goal && self.jobs.closure.get().is_none() {
            return Err("[goals] closure needs the closure job".into());
        }
        if self.goals.len() > usize::from(closure_goal) && self.jobs.sim.get().is_none() {
            return Err(
                "[goals] other than closure need the sim job (coverage comes from simulation)"
                    .into(),
            );
        }
        Ok(())
    }

    /// The sources as front-end options (paths relative to `dir`).
    pub fn parse_options(&self, dir: &Path) -> Result<rtl::parse::ParseOptions, rtl::Error> {
        let mut p = rtl::parse::ParseOptions {
            files: self.files.iter().map(|f| dir.join(f)).collect(),
            include_dirs: self.include_dirs.iter().map(|f| dir.join(f)).collect(),
            defines: self
                .defines
                .iter()
                .map(|(k, v)| (k.clone(), Some(v.clone())))
                .collect(),
            undefines: vec![],
        };
        if let Some(fl) = &self.file_list {
            rtl::parse::read_file_list_relative(&dir.join(fl), &mut p)?;
        }
        Ok(p)
    }

    /// The front-end options of the design (sources, top, parameters).
    pub fn frontend_options(&self, dir: &Path) -> Result<rtl::FrontendOptions, rtl::Error> {
        Ok(rtl::FrontendOptions {
            parse: self.parse_options(dir)?,
            elab: rtl::elab::ElabOptions {
                top: Some(self.top.clone()),
                params: self
                    .params
                    .iter()
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect(),
                global_clock: false,
                all_tops: false,
            },
        })
    }

    /// The design as `verify` command-line arguments (top, sources,
    /// includes, defines, parameters, reset).
    pub fn verify_args(&self, dir: &Path) -> Vec<String> {
        let mut a = vec!["--top".to_string(), self.top.clone()];
        if let Some(fl) = &self.file_list {
            a.push("-F".into());
            a.push(dir.join(fl).display().to_string());
        }
        a.extend(self.files.iter().map(|f| dir.join(f).display().to_string()));
        for i in &self.include_dirs {
            a.push("-I".into());
            a.push(dir.join(i).display().to_string());
        }
        for (k, v) in &self.defines {
            a.push("-D".into());
            a.push(format!("{k}={v}"));
        }
        for (k, v) in &self.params {
            a.push("-G".into());
            a.push(format!("{k}={v}"));
        }
        if let Some(r) = &self.reset {
            a.push("--reset".into());
            a.push(r.clone());
        }
        a
    }
}

/// Every manifest under `root` (searched recursively; folders whose name
/// starts with `.` are skipped), sorted by design name. A design folder's
/// sub-folders are not searched further.
pub fn discover(root: &Path) -> Result<Vec<Design>, ManifestError> {
    let mut dirs = Vec::new();
    walk(root, &mut dirs)?;
    let mut out = Vec::new();
    for dir in dirs {
        let manifest = Manifest::read(&dir.join(MANIFEST))?;
        let name = manifest.name.clone().unwrap_or_else(|| {
            dir.file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_else(|| "design".into())
        });
        out.push(Design {
            dir,
            name,
            manifest,
        });
    }
    out.sort_by(|a, b| a.name.cmp(&b.name).then(a.dir.cmp(&b.dir)));
    for w in out.windows(2) {
        if w[0].name == w[1].name {
            return Err(ManifestError::Invalid {
                path: w[1].dir.join(MANIFEST),
                message: format!(
                    "design name `{}` is also used by {}",
                    w[1].name,
                    w[0].dir.display()
                ),
            });
        }
    }
    Ok(out)
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), ManifestError> {
    if dir.join(MANIFEST).is_file() {
        out.push(dir.to_path_buf());
        return Ok(());
    }
    let rd = std::fs::read_dir(dir).map_err(|source| ManifestError::Io {
        path: dir.to_path_buf(),
        source,
    })?;
    let mut subs: Vec<PathBuf> = rd
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .filter(|p| {
            !p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with('.'))
        })
        .collect();
    subs.sort();
    for s in subs {
        walk(&s, out)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expectation_forms() {
        let e = Expectation::parse("fail@3").unwrap();
        assert_eq!((e.status, e.depth), (Status::Fail, Some(3)));
        assert_eq!(Expectation::parse("covered").unwrap().depth, None);
        assert!(Expectation::parse("passed").is_err());
        assert!(Expectation::parse("fail@x").is_err());
        let m: Manifest = toml::from_str(
            r#"
top = "t"
files = ["t.sv"]
[expect]
"t.a" = "pass"
"t.b" = { status = "fail", depth = 4, sim = "pass" }
"t.c" = "covered@2"
"#,
        )
        .unwrap();
        let b = &m.expect["t.b"];
        assert_eq!(b.depth, Some(4));
        assert_eq!(b.for_engine(Engine::Sim), Status::Pass);
        assert_eq!(b.for_engine(Engine::Bmc), Status::Fail);
        assert_eq!(m.expect["t.c"].depth, Some(2));
    }

    #[test]
    fn jobs_defaults_and_forms() {
        let m: Manifest = toml::from_str("top = \"t\"\nfiles = [\"t.sv\"]\n").unwrap();
        assert!(m.jobs.lint);
        assert_eq!(m.jobs.sim.get().unwrap().seeds, 8);
        assert_eq!(m.jobs.bmc.get().unwrap().depth, 20);
        assert!(m.jobs.closure.get().is_none());
        let m: Manifest = toml::from_str(
            "top = \"t\"\nfiles = [\"t.sv\"]\n[jobs]\nsim = false\nbmc = { depth = 7 }\nclosure = { budget = 100 }\n[goals]\nbranch = 90.0\n",
        )
        .unwrap();
        assert!(m.jobs.sim.get().is_none());
        let b = m.jobs.bmc.get().unwrap();
        assert_eq!((b.depth, b.prove), (7, true));
        assert_eq!(m.jobs.closure.get().unwrap().budget, 100);
        assert_eq!(m.goals[&GoalKind::Branch], 90.0);
        assert!(m.check().is_err(), "goals without a sim job are refused");
        let closure = |jobs: &str| {
            toml::from_str::<Manifest>(&format!(
                "top = \"t\"\nfiles = [\"t.sv\"]\n[jobs]\nsim = false\n{jobs}\n[goals]\nclosure = 100.0\n"
            ))
            .unwrap()
            .check()
        };
        assert!(closure("closure = { budget = 100 }").is_ok());
        assert!(closure("").is_err(), "a closure goal needs the closure job");
        assert!(closure("closure = { budget = 0 }").is_err());
        assert!(closure("closure = { engines = \"fuzz\" }").is_err());
        let c = closure_defaults();
        assert_eq!((c.depth, c.engines.as_str(), c.seed), (20, "all", 1));
    }

    fn closure_defaults() -> ClosureJob {
        let m: Manifest =
            toml::from_str("top = \"t\"\nfiles = [\"t.sv\"]\n[jobs]\nclosure = true\n").unwrap();
        m.jobs.closure.get().unwrap()
    }

    #[test]
    fn unknown_keys_are_refused() {
        let r: Result<Manifest, _> =
            toml::from_str("top = \"t\"\nfiles = [\"t.sv\"]\n[jobs]\nsimm = true\n");
        assert!(r.is_err());
    }
}
