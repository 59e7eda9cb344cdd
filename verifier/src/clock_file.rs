//! Clock files: the schedule of a design's clocks in simulation, as TOML
//! (`--clock-file FILE`, or `clock_file` in a regression manifest):
//!
//! ```toml
//! [clocks]
//! wclk = 11                          # period, in ticks of the global clock
//! rclk = { period = 2, phase = 1 }   # first rising edge at tick 1
//! sclk = "7@3"                       # the `--clock NAME=PERIOD@PHASE` spelling
//! ```
//!
//! Entries are returned in the `--clock` spelling, so one parser
//! (`sim::ClockSpec::parse`) checks them all.

use std::path::Path;

/// The clocks of a clock file's text, as `NAME=PERIOD[@PHASE]` strings
/// (each already checked by `sim::ClockSpec::parse`), by name.
pub fn parse(text: &str) -> Result<Vec<String>, String> {
    let doc: toml::Table = text.parse().map_err(|e: toml::de::Error| e.to_string())?;
    let mut out = Vec::new();
    for (key, value) in &doc {
        if key != "clocks" {
            return Err(format!(
                "unknown section or key `{key}` (expected `[clocks]`)"
            ));
        }
        let table = value
            .as_table()
            .ok_or("`clocks` must be a table: `[clocks]` then `NAME = PERIOD` lines")?;
        for (name, v) in table {
            let spec = match v {
                toml::Value::Integer(p) => format!("{name}={p}"),
                toml::Value::String(s) => format!("{name}={s}"),
                toml::Value::Table(t) => {
                    for k in t.keys() {
                        if k != "period" && k != "phase" {
                            return Err(format!(
                                "clock `{name}`: unknown key `{k}` (expected `period` and `phase`)"
                            ));
                        }
                    }
                    let period = t
                        .get("period")
                        .and_then(toml::Value::as_integer)
                        .ok_or_else(|| format!("clock `{name}`: `period` (a number of ticks) is required"))?;
                    match t.get("phase") {
                        None => format!("{name}={period}"),
                        Some(toml::Value::Integer(f)) => format!("{name}={period}@{f}"),
                        Some(_) => {
                            return Err(format!(
                                "clock `{name}`: `phase` must be a number of ticks"
                            ))
                        }
                    }
                }
                _ => {
                    return Err(format!(
                        "clock `{name}`: expected a period, \"PERIOD@PHASE\" or {{ period = .., phase = .. }}"
                    ))
                }
            };
            sim::ClockSpec::parse(&spec)?;
            out.push(spec);
        }
    }
    Ok(out)
}

/// Read and parse a clock file; errors name the file.
pub fn load(path: &Path) -> Result<Vec<String>, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read clock file {}: {e}", path.display()))?;
    parse(&text).map_err(|e| format!("{}: {e}", path.display()))
}

/// A clock file's entries overridden by `--clock` flags of the same name
/// (flags win; the rest keep the file's order, then new flags follow).
pub fn merge(file: Vec<sim::ClockSpec>, flags: &[sim::ClockSpec]) -> Vec<sim::ClockSpec> {
    let mut out: Vec<sim::ClockSpec> = file
        .into_iter()
        .filter(|c| !flags.iter().any(|f| f.name == c.name))
        .collect();
    out.extend(flags.iter().cloned());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn three_spellings() {
        let c = parse("[clocks]\nwclk = 11\nrclk = { period = 2, phase = 1 }\nsclk = \"7@3\"\n")
            .unwrap();
        assert_eq!(c, ["rclk=2@1", "sclk=7@3", "wclk=11"]);
    }

    #[test]
    fn errors_say_what_is_wrong() {
        assert!(parse("[clock]\na = 2\n")
            .unwrap_err()
            .contains("unknown section"));
        assert!(parse("[clocks]\na = 1\n")
            .unwrap_err()
            .contains("at least 2"));
        assert!(parse("[clocks]\na = { phase = 1 }\n")
            .unwrap_err()
            .contains("period"));
        assert!(parse("[clocks]\na = { period = 4, duty = 1 }\n")
            .unwrap_err()
            .contains("unknown key `duty`"));
        assert!(parse("[clocks]\na = true\n")
            .unwrap_err()
            .contains("expected a period"));
        assert!(parse("[clocks\n").is_err());
    }

    #[test]
    fn flags_override_the_file_by_name() {
        let p = |s: &str| sim::ClockSpec::parse(s).unwrap();
        let m = merge(vec![p("a=2"), p("b=3")], &[p("b=5@1"), p("c=7")]);
        let names: Vec<String> = m
            .iter()
            .map(|c| format!("{}={}", c.name, c.period))
            .collect();
        assert_eq!(names, ["a=2", "b=5", "c=7"]);
    }
}
