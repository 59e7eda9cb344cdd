//! Writing artifacts: traces, waveforms, JSON, under the output folder.

use anyhow::Context;
use rtl::trace::Trace;
use std::path::{Path, PathBuf};

/// A file-system-safe folder name for a property.
pub fn slug(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' || c == '.' || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// Write `value` as pretty JSON, creating parent folders; a partial file is
/// never left behind (written to a temporary name, then renamed).
pub fn write_json<T: serde::Serialize>(path: &Path, value: &T) -> anyhow::Result<()> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    }
    let tmp = path.with_extension("json.partial");
    let text = serde_json::to_string_pretty(value)?;
    std::fs::write(&tmp, text + "\n").with_context(|| format!("cannot write {}", tmp.display()))?;
    std::fs::rename(&tmp, path).with_context(|| format!("cannot write {}", path.display()))?;
    Ok(())
}

pub fn read_trace(path: &Path) -> anyhow::Result<Trace> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    serde_json::from_str(&text)
        .with_context(|| format!("{} is not a stimulus/trace file", path.display()))
}

/// `DIR/<property>/` for a property's artifacts.
pub fn prop_dir(out: &Path, prop: &str) -> anyhow::Result<PathBuf> {
    let d = out.join(slug(prop));
    std::fs::create_dir_all(&d).with_context(|| format!("cannot create {}", d.display()))?;
    Ok(d)
}

/// The coverage file (`--coverage F`): the simulator's counts, each point
/// with its `file:line:col` added, since the counters only know byte spans.
pub fn write_coverage(
    path: &Path,
    cov: &sim::Coverage,
    sources: &rtl::SourceMap,
) -> anyhow::Result<()> {
    let mut v = serde_json::to_value(cov)?;
    if let Some(points) = v.get_mut("points").and_then(|p| p.as_array_mut()) {
        for (p, point) in points.iter_mut().zip(&cov.points) {
            if let Some(o) = p.as_object_mut() {
                o.insert("location".into(), sources.describe(point.span).into());
            }
        }
    }
    write_json(path, &v)
}

/// The front-end part of a command line that rebuilds the same design
/// (files, lists, include folders, defines, parameters, top), quoted for a
/// POSIX shell, so a reported failure comes with a command that reproduces it.
pub fn design_args(a: &crate::cli::RunArgs) -> String {
    let mut out: Vec<String> = Vec::new();
    let mut flag = |f: &str, v: String| {
        out.push(f.to_string());
        out.push(shell_quote(&v));
    };
    for f in &a.file_list {
        flag("-f", f.display().to_string());
    }
    for f in &a.file_list_rel {
        flag("-F", f.display().to_string());
    }
    for d in &a.include {
        flag("-I", d.display().to_string());
    }
    for d in &a.define {
        flag("-D", d.clone());
    }
    for d in &a.undefine {
        flag("-U", d.clone());
    }
    for g in &a.param {
        flag("-G", g.clone());
    }
    if let Some(t) = &a.top {
        flag("--top", t.clone());
    }
    out.extend(
        a.files
            .iter()
            .map(|f| shell_quote(&f.display().to_string())),
    );
    out.join(" ")
}

fn shell_quote(s: &str) -> String {
    let plain = !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./=:+,@%".contains(c));
    if plain {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', "'\\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::shell_quote;

    #[test]
    fn quoting_survives_the_shell() {
        assert_eq!(shell_quote("a/b.sv"), "a/b.sv");
        assert_eq!(shell_quote("my file.sv"), "'my file.sv'");
        assert_eq!(shell_quote("it's"), "'it'\\''s'");
        assert_eq!(shell_quote(""), "''");
    }
}
