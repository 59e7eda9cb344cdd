//! The end-of-run table and totals.

use crate::regress::results::{Totals, UnitResult, Verdict};

/// The message shown: in colour when the run asked for it.
fn message(u: &UnitResult) -> Option<&str> {
    u.message_color.as_deref().or(u.message.as_deref())
}

fn note(u: &UnitResult) -> String {
    match u.verdict {
        Verdict::Error | Verdict::Skipped => message(u)
            .and_then(|m| m.lines().next())
            .unwrap_or("")
            .to_string(),
        Verdict::Fail => {
            let first = u.mismatches.first().cloned().unwrap_or_default();
            if u.mismatches.len() > 1 {
                format!("{first} (+{} more)", u.mismatches.len() - 1)
            } else {
                first
            }
        }
        Verdict::Pending => format!("{} item(s) left to `verify merge`", u.pending.len()),
        Verdict::Pass => {
            let mut parts = Vec::new();
            if let (Some(s), Some(c)) = (u.seeds, u.cycles) {
                parts.push(format!("{} seed(s) x {c} cycles", s.count));
            }
            if let Some(d) = u.depth {
                parts.push(format!("depth {d}"));
            }
            parts.push(format!("{} as expected", u.expect.len()));
            for g in &u.goal_results {
                parts.push(format!("{} {:.1}%", g.kind.word(), g.got));
            }
            parts.join(", ")
        }
    }
}

/// One row per unit, details under the rows that failed, then the totals.
pub fn print(units: &[UnitResult], seconds: f64) {
    let width = units
        .iter()
        .map(|u| u.label().len())
        .max()
        .unwrap_or(10)
        .clamp(10, 60);
    println!("{:<width$} {:<7} {:>8}  notes", "job", "result", "time");
    for u in units {
        println!(
            "{:<width$} {:<7} {:>7.2}s  {}",
            u.label(),
            u.verdict.word(),
            u.seconds,
            note(u)
        );
        if matches!(u.verdict, Verdict::Fail | Verdict::Error) {
            for m in u.mismatches.iter().skip(1) {
                println!("    {m}");
            }
            if u.verdict == Verdict::Error {
                for l in message(u).unwrap_or("").lines().skip(1) {
                    println!("    {l}");
                }
            }
            println!("    reproduce: {}", u.repro);
            if let Some(a) = &u.artifacts {
                println!("    artifacts: {}", a.display());
            }
        }
    }
    let t = Totals::of(units);
    let mut line = format!(
        "regress: {} job(s) in {seconds:.1} s: {} passed, {} failed, {} error(s), {} skipped",
        t.units, t.pass, t.fail, t.error, t.skipped
    );
    if t.pending > 0 {
        line.push_str(&format!(", {} pending (merge the shards)", t.pending));
    }
    line.push_str(&format!(
        "; {} expectation(s) checked, {} not as expected",
        t.checked, t.mismatched
    ));
    if t.goals > 0 {
        line.push_str(&format!("; coverage goals {}/{} met", t.goals_met, t.goals));
    }
    println!("{line}");
}
