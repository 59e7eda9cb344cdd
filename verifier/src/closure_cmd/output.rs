//! Closure reports: the table by kind, the JSON report, the LCOV
//! tracefile, the SVG plot of closure over time.

use anyhow::Context;
use closure::{ArmReport, Engines, FormalStats, Outcome, Sample};
use serde::Serialize;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;
use testgen::db::{kind_name, DbPoint, KINDS};
use testgen::{CoverageDb, PointStatus, Summary};

/// The end-of-run table: per kind total, hit, unreachable, unknown, unhit;
/// then the closure percentage.
pub fn table(db: &CoverageDb) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{:<12} {:>7} {:>7} {:>12} {:>8} {:>7}",
        "kind", "total", "hit", "unreachable", "unknown", "unhit"
    );
    let row = |s: &mut String, name: &str, x: Summary| {
        let _ = writeln!(
            s,
            "{:<12} {:>7} {:>7} {:>12} {:>8} {:>7}",
            name, x.total, x.hit, x.unreachable, x.unknown, x.unhit
        );
    };
    for k in KINDS {
        let x = db.summary(Some(k));
        if x.total > 0 {
            row(&mut s, kind_name(k), x);
        }
    }
    let all = db.summary(None);
    row(&mut s, "all", all);
    let _ = writeln!(
        s,
        "closure: {:.2}% ((hit + unreachable) / total = ({} + {}) / {})",
        all.closure(),
        all.hit,
        all.unreachable,
        all.total
    );
    s
}

/// A failing assertion as the JSON report lists it.
#[derive(Clone, Debug, Serialize)]
pub struct FailureReport {
    pub property: String,
    /// file:line:col of the assertion.
    pub location: Option<String>,
    pub cycle: u64,
    /// The trace file that replays the failure (relative to `--out`).
    pub stimulus: String,
}

#[derive(Serialize)]
struct JsonReport<'a> {
    top: &'a str,
    closure: f64,
    summary: BTreeMap<&'static str, Summary>,
    cycles: u64,
    rounds: u64,
    elapsed_s: f64,
    engines: Engines,
    seed: u64,
    formal: &'a FormalStats,
    train_steps: u64,
    /// Training examples held at the end.
    examples: usize,
    /// Entries of the input dictionary mined from the design.
    dict_entries: usize,
    /// Per kind of simulation episode: episodes, cycles, points it hit first.
    arms: &'a [ArmReport],
    history: &'a [Sample],
    /// Assertions that failed during closure (bugs found).
    failures: &'a [FailureReport],
    /// The coverage database (readable back with `--merge`).
    points: &'a [DbPoint],
}

pub fn write_json(
    path: &Path,
    out: &Outcome,
    engines: Engines,
    seed: u64,
    failures: &[FailureReport],
) -> anyhow::Result<()> {
    let mut summary = BTreeMap::new();
    for k in KINDS {
        summary.insert(kind_name(k), out.db.summary(Some(k)));
    }
    summary.insert("all", out.db.summary(None));
    let rep = JsonReport {
        top: &out.db.top,
        closure: out.db.closure(),
        summary,
        cycles: out.cycles,
        rounds: out.rounds,
        elapsed_s: out.elapsed.as_secs_f64(),
        engines,
        seed,
        formal: &out.formal,
        train_steps: out.train_steps,
        examples: out.examples,
        dict_entries: out.dict_entries,
        arms: &out.arms,
        history: &out.history,
        failures,
        points: &out.db.points,
    };
    crate::report::write_json(path, &rep)
}

/// Read a database back from a closure JSON report (or a bare database).
pub fn read_db(path: &Path) -> anyhow::Result<CoverageDb> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    CoverageDb::from_json(&text)
        .with_context(|| format!("{} is not a coverage database", path.display()))
}

/// `file:line:col` -> (file, line).
fn file_line(loc: &str) -> Option<(String, u32)> {
    let mut it = loc.rsplitn(3, ':');
    let _col = it.next()?;
    let line = it.next()?.parse().ok()?;
    Some((it.next()?.to_string(), line))
}

/// LCOV tracefile: per source line, `DA` with the hits of the points on it
/// (lines whose points are all unreachable are left out: they are closed,
/// not uncovered); branch points also as `BRDA`.
pub fn lcov(db: &CoverageDb) -> String {
    // file -> line -> (hits, any counted point); file -> branches.
    let mut lines: BTreeMap<String, BTreeMap<u32, (u64, bool)>> = BTreeMap::new();
    let mut branches: BTreeMap<String, Vec<(u32, usize, Option<u64>)>> = BTreeMap::new();
    for p in &db.points {
        let Some((file, line)) = p.location.as_deref().and_then(file_line) else {
            continue;
        };
        if matches!(p.status, PointStatus::Unreachable { .. }) {
            continue;
        }
        let hits = match p.status {
            PointStatus::Hit { .. } => p.hits.max(1),
            _ => 0,
        };
        let e = lines
            .entry(file.clone())
            .or_default()
            .entry(line)
            .or_default();
        // A line is covered only when every point on it is.
        e.0 = if e.1 { e.0.min(hits) } else { hits };
        e.1 = true;
        if p.kind == sim::coverage::PointKind::Branch {
            let v = branches.entry(file).or_default();
            let n = v.len();
            v.push((line, n, (hits > 0).then_some(hits)));
        }
    }
    let mut s = String::from("TN:verify_closure\n");
    for (file, ls) in &lines {
        let _ = writeln!(s, "SF:{file}");
        let bs = branches.get(file).map(Vec::as_slice).unwrap_or(&[]);
        for &(line, n, taken) in bs {
            match taken {
                Some(t) => {
                    let _ = writeln!(s, "BRDA:{line},0,{n},{t}");
                }
                None => {
                    let _ = writeln!(s, "BRDA:{line},0,{n},-");
                }
            }
        }
        if !bs.is_empty() {
            let _ = writeln!(s, "BRF:{}", bs.len());
            let _ = writeln!(s, "BRH:{}", bs.iter().filter(|b| b.2.is_some()).count());
        }
        for (line, (hits, _)) in ls {
            let _ = writeln!(s, "DA:{line},{hits}");
        }
        let _ = writeln!(s, "LF:{}", ls.len());
        let _ = writeln!(s, "LH:{}", ls.values().filter(|v| v.0 > 0).count());
        s.push_str("end_of_record\n");
    }
    s
}

/// One curve of a plot.
pub struct Curve<'a> {
    pub label: String,
    pub samples: &'a [Sample],
}

const COLORS: [&str; 6] = [
    "#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b",
];

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// An SVG with two panels, closure (%) over wall-clock time and over
/// simulated cycles, one line per curve.
pub fn plot_svg(title: &str, curves: &[Curve]) -> String {
    let (w, h) = (960.0, 400.0);
    let (pw, ph) = (380.0, 280.0);
    let mut s = String::new();
    let _ = writeln!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}" font-family="sans-serif" font-size="12">"#
    );
    let _ = writeln!(s, r#"<rect width="{w}" height="{h}" fill="white"/>"#);
    let _ = writeln!(
        s,
        r#"<text x="{}" y="20" text-anchor="middle" font-size="15">{}</text>"#,
        w / 2.0,
        esc(title)
    );
    type Axis = fn(&Sample) -> f64;
    let panels: [(&str, Axis, f64); 2] = [
        ("time (s)", |x: &Sample| x.time_s, 60.0),
        ("simulated cycles", |x: &Sample| x.cycles as f64, 540.0),
    ];
    for (xlabel, xf, x0) in panels {
        let y0 = 50.0;
        let xmax = curves
            .iter()
            .flat_map(|c| c.samples.iter().map(xf))
            .fold(0.0f64, f64::max)
            .max(1e-9);
        let _ = writeln!(
            s,
            r##"<rect x="{x0}" y="{y0}" width="{pw}" height="{ph}" fill="none" stroke="#444"/>"##
        );
        for i in 0..=4 {
            let y = y0 + ph - ph * i as f64 / 4.0;
            let _ = writeln!(
                s,
                r##"<line x1="{x0}" y1="{y}" x2="{}" y2="{y}" stroke="#ddd"/><text x="{}" y="{}" text-anchor="end">{}%</text>"##,
                x0 + pw,
                x0 - 4.0,
                y + 4.0,
                25 * i
            );
            let xv = xmax * i as f64 / 4.0;
            let xt = if xmax >= 1000.0 {
                format!("{:.0}", xv)
            } else {
                format!("{:.2}", xv)
            };
            let _ = writeln!(
                s,
                r#"<text x="{}" y="{}" text-anchor="middle">{xt}</text>"#,
                x0 + pw * i as f64 / 4.0,
                y0 + ph + 16.0
            );
        }
        let _ = writeln!(
            s,
            r#"<text x="{}" y="{}" text-anchor="middle">{xlabel}</text>"#,
            x0 + pw / 2.0,
            y0 + ph + 34.0
        );
        for (ci, c) in curves.iter().enumerate() {
            let pts: Vec<String> = c
                .samples
                .iter()
                .map(|x| {
                    format!(
                        "{:.1},{:.1}",
                        x0 + pw * xf(x) / xmax,
                        y0 + ph - ph * x.closure / 100.0
                    )
                })
                .collect();
            let _ = writeln!(
                s,
                r#"<polyline fill="none" stroke="{}" stroke-width="2" points="{}"/>"#,
                COLORS[ci % COLORS.len()],
                pts.join(" ")
            );
        }
    }
    for (ci, c) in curves.iter().enumerate() {
        let y = 370.0;
        let x = 60.0 + 220.0 * ci as f64;
        let _ = writeln!(
            s,
            r#"<rect x="{x}" y="{}" width="14" height="4" fill="{}"/><text x="{}" y="{}">{}</text>"#,
            y - 4.0,
            COLORS[ci % COLORS.len()],
            x + 18.0,
            y + 2.0,
            esc(&c.label)
        );
    }
    s.push_str("</svg>\n");
    s
}
