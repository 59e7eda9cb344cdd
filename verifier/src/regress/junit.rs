//! JUnit XML, the report format CI systems read: one `<testsuite>` per
//! design, one `<testcase>` per job (or per seed slice of a sim job), with
//! `<failure>` for results not as expected, `<error>` for jobs that could
//! not run and `<skipped>` for jobs not run.

use crate::regress::results::{Totals, UnitResult, Verdict};
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};
use quick_xml::Writer;
use std::collections::BTreeMap;
use std::io::Cursor;

type W = Writer<Cursor<Vec<u8>>>;

fn start(w: &mut W, name: &str, attrs: &[(&str, String)]) -> std::io::Result<()> {
    let mut e = BytesStart::new(name);
    for (k, v) in attrs {
        e.push_attribute((*k, v.as_str()));
    }
    w.write_event(Event::Start(e))
}

fn end(w: &mut W, name: &str) -> std::io::Result<()> {
    w.write_event(Event::End(BytesEnd::new(name)))
}

fn text(w: &mut W, s: &str) -> std::io::Result<()> {
    w.write_event(Event::Text(BytesText::new(s)))
}

fn element(w: &mut W, name: &str, attrs: &[(&str, String)], body: &str) -> std::io::Result<()> {
    start(w, name, attrs)?;
    text(w, body)?;
    end(w, name)
}

/// The JUnit document for `units` (in their order, grouped by design).
pub fn to_xml(units: &[UnitResult], seconds: f64) -> String {
    write(units, seconds).unwrap_or_default()
}

fn write(units: &[UnitResult], seconds: f64) -> std::io::Result<String> {
    let mut w = Writer::new_with_indent(Cursor::new(Vec::new()), b' ', 2);
    w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    let t = Totals::of(units);
    start(
        &mut w,
        "testsuites",
        &[
            ("name", "verify regress".into()),
            ("tests", t.units.to_string()),
            ("failures", (t.fail + t.pending).to_string()),
            ("errors", t.error.to_string()),
            ("skipped", t.skipped.to_string()),
            ("time", format!("{seconds:.3}")),
        ],
    )?;
    let mut by_design: BTreeMap<&str, Vec<&UnitResult>> = BTreeMap::new();
    for u in units {
        by_design.entry(&u.design).or_default().push(u);
    }
    for (design, us) in by_design {
        let count = |v: Verdict| us.iter().filter(|u| u.verdict == v).count();
        let time: f64 = us.iter().map(|u| u.seconds).sum();
        start(
            &mut w,
            "testsuite",
            &[
                ("name", design.to_string()),
                ("tests", us.len().to_string()),
                (
                    "failures",
                    (count(Verdict::Fail) + count(Verdict::Pending)).to_string(),
                ),
                ("errors", count(Verdict::Error).to_string()),
                ("skipped", count(Verdict::Skipped).to_string()),
                ("time", format!("{time:.3}")),
            ],
        )?;
        for u in us {
            let name = u.label()[u.design.len() + 1..].to_string();
            start(
                &mut w,
                "testcase",
                &[
                    ("name", name),
                    ("classname", u.design.clone()),
                    ("time", format!("{:.3}", u.seconds)),
                ],
            )?;
            let mut details = u.mismatches.join("\n");
            if !u.repro.is_empty() {
                details.push_str(&format!("\nreproduce: {}", u.repro));
            }
            if let Some(a) = &u.artifacts {
                details.push_str(&format!("\nartifacts: {}", a.display()));
            }
            match u.verdict {
                Verdict::Fail => {
                    let msg = format!(
                        "{} result(s) not as expected: {}",
                        u.mismatches.len(),
                        u.mismatches.first().cloned().unwrap_or_default()
                    );
                    element(
                        &mut w,
                        "failure",
                        &[("message", msg), ("type", "mismatch".into())],
                        details.trim(),
                    )?;
                }
                Verdict::Pending => {
                    element(
                        &mut w,
                        "failure",
                        &[
                            (
                                "message",
                                "judged only after `verify merge` of every shard".into(),
                            ),
                            ("type", "pending".into()),
                        ],
                        &u.pending.join("\n"),
                    )?;
                }
                Verdict::Error => {
                    let msg = u.message.clone().unwrap_or_default();
                    let first = msg.lines().next().unwrap_or("").to_string();
                    element(
                        &mut w,
                        "error",
                        &[("message", first), ("type", "error".into())],
                        format!("{msg}\n{details}").trim(),
                    )?;
                }
                Verdict::Skipped => {
                    let e = BytesStart::new("skipped")
                        .with_attributes([("message", u.message.as_deref().unwrap_or(""))]);
                    w.write_event(Event::Empty(e))?;
                }
                Verdict::Pass => {}
            }
            let mut out = String::new();
            for p in &u.properties {
                let got = match (p.status, p.depth) {
                    (Some(s), Some(d)) => format!("{s}@{d}"),
                    (Some(s), None) => s.to_string(),
                    (None, _) => "-".into(),
                };
                let want = u
                    .expect
                    .get(&p.name)
                    .map(|e| e.to_string())
                    .unwrap_or_else(|| "-".into());
                out.push_str(&format!("{} {got} (expected {want})\n", p.name));
            }
            for g in &u.goal_results {
                out.push_str(&format!(
                    "goal {} {:.1}% (want {:.1}%)\n",
                    g.kind.word(),
                    g.got,
                    g.want
                ));
            }
            if !out.is_empty() {
                element(&mut w, "system-out", &[], out.trim_end())?;
            }
            end(&mut w, "testcase")?;
        }
        end(&mut w, "testsuite")?;
    }
    end(&mut w, "testsuites")?;
    Ok(String::from_utf8_lossy(&w.into_inner().into_inner()).into_owned() + "\n")
}
