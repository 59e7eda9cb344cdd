//! `verify sby FILE.sby [TASK...]`: run a SymbiYosys project with verify's
//! engine. The file is read as sby reads it ([tasks], task-prefixed lines
//! and `task:` ... `--` blocks, [options], [engines], [script], [files],
//! [file NAME]); each task gets a folder `<file>_<task>/` (or `<file>/`)
//! with its sources under `src/`, the traces and waveforms, and a status
//! file named PASS, FAIL, UNKNOWN or ERROR, as sby leaves them. Exit status
//! is sby's: 0 when every task's status is in its `expect` (default PASS),
//! else the OR of 1 (PASS), 2 (FAIL), 4 (UNKNOWN), 16 (ERROR).
//!
//! What the script may do is what verify's front end can honour; anything
//! else is refused with the .sby line (no run with a meaning we guessed).

use crate::bmc_cmd;
use crate::cli::{EngineArg, PropEdit, RunArgs, SbyArgs};
use anyhow::{anyhow, bail, Context};
use rtl::ir::PropKind;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// A line of the file after task selection, with its 1-based line number.
#[derive(Clone, Debug)]
struct Line {
    no: usize,
    text: String,
}

/// The lines that apply to `task` (None: no task selected), the task list
/// and the default tasks: sby's `read_sbyconfig` without pycode.
fn select(src: &str, task: Option<&str>) -> anyhow::Result<(Vec<Line>, Vec<String>, Vec<String>)> {
    select_lines(src, task, false)
}

/// The task list and default tasks only: `--pycode--` blocks after the
/// `[tasks]` section cannot change them and are not run (each run starts
/// python3, a large part of a small task's time).
fn task_list(src: &str) -> anyhow::Result<(Vec<String>, Vec<String>)> {
    let (_, tasks, defaults) = select_lines(src, None, true)?;
    Ok((tasks, defaults))
}

fn select_lines(
    src: &str,
    task: Option<&str>,
    listing: bool,
) -> anyhow::Result<(Vec<Line>, Vec<String>, Vec<String>)> {
    let mut out = Vec::new();
    let mut tasklist: Vec<String> = Vec::new();
    let mut defaults: Option<Vec<String>> = None;
    let mut tags_all: Vec<String> = Vec::new();
    let mut tags_active: Vec<String> = Vec::new();
    let mut in_tasks = false;
    let mut skipping_block = false;
    let mut skip_block = false;
    let mut matched = false;
    let mut queue: std::collections::VecDeque<(usize, String)> = src
        .lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l.trim_end_matches('\r').to_string()))
        .collect();
    let mut pycode: Option<(usize, String)> = None;
    // Listing: a `[tasks]` section was read and ended, and this pycode
    // block is being skipped.
    let mut tasks_done = false;
    let mut skip_code = false;
    while let Some((no, mut line)) = queue.pop_front() {
        if let Some((start, code)) = &mut pycode {
            if line == "--pycode-end--" && skip_code {
                pycode = None;
                skip_code = false;
            } else if line == "--pycode-end--" {
                // As sby: the block runs with `task`, `tags` and `output()`;
                // its output lines are read in its place.
                let lines = run_pycode(code, task, &tags_active)
                    .map_err(|e| anyhow!("line {start}: --pycode-- block: {e:#}"))?;
                for l in lines.into_iter().rev() {
                    queue.push_front((no, l));
                }
                pycode = None;
            } else {
                code.push_str(&line);
                code.push('\n');
            }
            continue;
        }
        if line == "--pycode-begin--" {
            pycode = Some((no, String::new()));
            skip_code = listing && tasks_done && !in_tasks;
            continue;
        }
        if in_tasks && line.starts_with('[') {
            in_tasks = false;
            tasks_done = true;
        }
        if skipping_block && line.trim() == "--" {
            skip_block = false;
            skipping_block = false;
            continue;
        }
        if !in_tasks {
            let mut found = false;
            let mut skip_line = false;
            for t in &tags_all {
                let (rest, m) = if let Some(r) = line.strip_prefix(&format!("{t}:")) {
                    (r.trim_start().to_string(), tags_active.contains(t))
                } else if let Some(r) = line.strip_prefix(&format!("~{t}:")) {
                    (r.trim_start().to_string(), !tags_active.contains(t))
                } else {
                    continue;
                };
                line = rest;
                if line.trim().is_empty() {
                    skipping_block = true;
                    skip_block = !m;
                    skip_line = true;
                } else {
                    skip_line = !m;
                }
                found = true;
                break;
            }
            if !tags_all.is_empty() && !found {
                if let Some(tok) = line.split_whitespace().next() {
                    if line.starts_with(tok) && tok.ends_with(':') {
                        bail!("line {no}: invalid task specifier \"{tok}\"");
                    }
                }
            }
            if skip_line || skip_block {
                continue;
            }
        }
        if in_tasks {
            let l = line.trim();
            if l.starts_with('#') || l.is_empty() {
                continue;
            }
            let (lhs, rhs): (Vec<&str>, Vec<&str>) = match l.split_once(':') {
                Some((a, b)) => (
                    a.split_whitespace().collect(),
                    b.split_whitespace().collect(),
                ),
                None => {
                    let mut w = l.split_whitespace();
                    (w.next().into_iter().collect(), w.collect())
                }
            };
            for n in lhs.iter().chain(&rhs) {
                if n.chars().any(|c| "(?*.[]|)".contains(c)) {
                    bail!("line {no}: task name patterns (regular expressions) are not supported: `{n}`");
                }
            }
            for tag in rhs.iter().filter(|t| **t != "default") {
                if !tags_all.iter().any(|x| x == tag) {
                    tags_all.push(tag.to_string());
                }
            }
            for t in &lhs {
                if !tasklist.iter().any(|x| x == t) {
                    tasklist.push(t.to_string());
                }
                if rhs.contains(&"default") {
                    let d = defaults.get_or_insert_with(Vec::new);
                    if !d.iter().any(|x| x == t) {
                        d.push(t.to_string());
                    }
                }
                if !tags_all.iter().any(|x| x == t) {
                    tags_all.push(t.to_string());
                }
                if Some(*t) == task {
                    matched = true;
                    tags_active.push(t.to_string());
                    for tag in rhs.iter().filter(|t| **t != "default") {
                        tags_active.push(tag.to_string());
                    }
                }
            }
        } else if line == "[tasks]" {
            in_tasks = true;
        } else {
            out.push(Line { no, text: line });
        }
    }
    if let Some(t) = task {
        if !matched {
            bail!("task `{t}` is not in [tasks]");
        }
    }
    let defaults = defaults.unwrap_or_else(|| tasklist.clone());
    Ok((out, tasklist, defaults))
}

/// The Python interpreter for `--pycode--` blocks: `$VERIFY_PYTHON`, else
/// the first `python3` on `PATH` that is not a version manager's shim.
/// A pyenv/asdf shim re-resolves the interpreter through shell scripts on
/// every start (measured here: 230 ms against 16 ms for the interpreter
/// itself), more than a small task's whole check; pycode needs only a
/// standard Python 3, so a shim is used only when nothing else is found.
fn python() -> std::ffi::OsString {
    static PY: std::sync::OnceLock<std::ffi::OsString> = std::sync::OnceLock::new();
    PY.get_or_init(|| {
        if let Some(p) = std::env::var_os("VERIFY_PYTHON").filter(|p| !p.is_empty()) {
            return p;
        }
        let path = std::env::var_os("PATH").unwrap_or_default();
        let dirs: Vec<_> = std::env::split_paths(&path).collect();
        pick_python(&dirs, |p| p.is_file())
            .map(|p| p.into_os_string())
            .unwrap_or_else(|| "python3".into())
    })
    .clone()
}

/// `python3` in the first of `dirs` that has one, skipping folders named
/// `shims` unless only shims have one.
fn pick_python(
    dirs: &[std::path::PathBuf],
    exists: impl Fn(&std::path::Path) -> bool,
) -> Option<std::path::PathBuf> {
    let found = dirs.iter().map(|d| d.join("python3")).filter(|p| exists(p));
    let mut shim = None;
    for p in found {
        let is_shim = p
            .parent()
            .and_then(|d| d.file_name())
            .is_some_and(|n| n == "shims");
        if !is_shim {
            return Some(p);
        }
        shim.get_or_insert(p);
    }
    shim
}

/// Run a `--pycode-begin--` block with python3, as sby runs it (`exec`
/// with `task`, `tags` and `output(line)`); the lines it outputs.
fn run_pycode(code: &str, task: Option<&str>, tags: &[String]) -> anyhow::Result<Vec<String>> {
    // Rust's Debug quoting of identifiers is a valid Python string literal.
    let task_lit = match task {
        Some(t) => format!("{t:?}"),
        None => "None".into(),
    };
    let prelude = format!(
        "import sys\ntask = {task_lit}\ntags = set({tags:?})\noutput_lines = []\ndef output(line):\n  output_lines.append(line)\n"
    );
    let script = format!(
        "{prelude}exec(sys.stdin.read())\nsys.stdout.write(''.join(str(l) + '\\n' for l in output_lines))\n"
    );
    // First without the `site` module (`-S`): importing it is about half
    // of python3's start-up, which is a large part of a small task. Code
    // that needs it (a third-party import, `exit()`) fails there and runs
    // again as sby would run it.
    let mut out = python_with(&["-S"], &script, code)?;
    if !out.status.success() {
        out = python_with(&[], &script, code)?;
    }
    if !out.status.success() {
        bail!(
            "python3 failed: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        );
    }
    Ok(String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(str::to_string)
        .collect())
}

/// Run python3 with `flags`, then `-c script`, with `code` on its stdin.
fn python_with(flags: &[&str], script: &str, code: &str) -> anyhow::Result<std::process::Output> {
    let mut child = std::process::Command::new(python())
        .args(flags)
        .arg("-c")
        .arg(script)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .context("cannot run python3 (needed for --pycode-- blocks)")?;
    {
        use std::io::Write;
        let mut stdin = child.stdin.take().context("python3 stdin")?;
        stdin.write_all(code.as_bytes())?;
    }
    Ok(child.wait_with_output()?)
}

/// One task's configuration, as read from its lines.
#[derive(Debug, Default)]
struct Task {
    mode: String,
    depth: u32,
    expect: Vec<String>,
    timeout: Option<f64>,
    /// `multiclock on`: a global clock even with one clock.
    multiclock: bool,
    /// (name in src/, source path) from [files].
    files: Vec<(String, PathBuf)>,
    /// [file NAME] sections: name, contents.
    inline: Vec<(String, String)>,
    reads: Vec<String>,
    formal: Vec<bool>,
    defines: Vec<String>,
    include: Vec<String>,
    params: Vec<(String, String, Option<String>)>,
    top: Option<String>,
    edits: Vec<PropEdit>,
    notes: Vec<String>,
    engine: EngineArg,
}

fn parse_task(file: &Path, lines: &[Line]) -> anyhow::Result<Task> {
    let base = file.parent().unwrap_or(Path::new("."));
    let f = file.display();
    let mut t = Task {
        mode: String::new(),
        depth: 20,
        expect: vec!["PASS".into()],
        ..Task::default()
    };
    let mut section = String::new();
    let mut inline: Option<(String, String)> = None;
    let mut engines = 0;
    for l in lines {
        let text = l.text.as_str();
        let at = |msg: String| anyhow!("{f}:{}: {msg}", l.no);
        if text.starts_with('[') && text.trim_end().ends_with(']') {
            if let Some(i) = inline.take() {
                t.inline.push(i);
            }
            let inner = text
                .trim()
                .trim_start_matches('[')
                .trim_end_matches(']')
                .trim();
            let mut w = inner.split_whitespace();
            section = w.next().unwrap_or("").to_string();
            match section.as_str() {
                "options" | "engines" | "script" | "files" => {}
                "file" => {
                    let name = w
                        .next()
                        .ok_or_else(|| at("[file] section without a file name".into()))?;
                    inline = Some((name.to_string(), String::new()));
                }
                other => {
                    return Err(at(format!(
                        "section [{other}] is not supported by verify sby"
                    )))
                }
            }
            continue;
        }
        if let Some((_, body)) = &mut inline {
            body.push_str(text);
            body.push('\n');
            continue;
        }
        let trimmed = text.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let words: Vec<&str> = trimmed.split_whitespace().collect();
        match section.as_str() {
            "options" => {
                let v = words.get(1).copied().unwrap_or("");
                match words[0] {
                    "mode" => match v {
                        "bmc" | "prove" | "cover" | "live" => t.mode = v.to_string(),
                        _ => {
                            return Err(at(format!(
                                "mode `{v}` is not supported (bmc, prove, live, cover)"
                            )))
                        }
                    },
                    "depth" => {
                        t.depth = v
                            .parse()
                            .map_err(|_| at(format!("depth `{v}` is not a number")))?
                    }
                    "expect" => {
                        t.expect = v.to_uppercase().split(',').map(str::to_string).collect();
                        for e in &t.expect {
                            if !["PASS", "FAIL", "UNKNOWN", "ERROR", "TIMEOUT"]
                                .contains(&e.as_str())
                            {
                                return Err(at(format!("invalid expect value `{e}`")));
                            }
                        }
                    }
                    "timeout" => {
                        t.timeout = Some(
                            v.parse()
                                .map_err(|_| at(format!("timeout `{v}` is not a number")))?,
                        )
                    }
                    "multiclock" => match v {
                        "on" => t.multiclock = true,
                        "off" => t.multiclock = false,
                        _ => return Err(at(format!("multiclock `{v}`: expected on or off"))),
                    },
                    // Output and bookkeeping options: no effect on verdicts.
                    "wait" | "vcd" | "vcd_sim" | "fst" | "aigsmt" | "tbtop" | "append"
                    | "make_model" | "smtc" => {
                        t.notes.push(format!("option `{}` ignored", words[0]))
                    }
                    other => return Err(at(format!("option `{other}` is not supported"))),
                }
            }
            "engines" => match words[0] {
                "smtbmc" | "abc" | "btor" | "aiger" => {
                    engines += 1;
                    if engines == 1 {
                        // `abc pdr` asks for PDR, which verify has; every
                        // other engine runs as verify's portfolio.
                        if words[0] == "abc" && words.get(1) == Some(&"pdr") {
                            t.engine = EngineArg::Pdr;
                            t.notes
                                .push(format!("engine `{trimmed}` runs as verify's PDR"));
                        } else {
                            t.notes.push(format!(
                                "engine `{trimmed}` runs as verify's BMC / k-induction / PDR portfolio"
                            ));
                        }
                    }
                }
                other => return Err(at(format!("engine `{other}` is not known"))),
            },
            "script" => script_line(&mut t, &words, &at)?,
            "files" => {
                let (name, src) = match words.as_slice() {
                    [p] => (
                        Path::new(p)
                            .file_name()
                            .map(|n| n.to_string_lossy().to_string())
                            .unwrap_or_default(),
                        base.join(p),
                    ),
                    [dst, p] => (dst.to_string(), base.join(p)),
                    _ => return Err(at("[files] entry: expected `FILE` or `DEST SOURCE`".into())),
                };
                t.files.push((name, src));
            }
            _ => return Err(at("line outside any section".into())),
        }
    }
    if let Some(i) = inline.take() {
        t.inline.push(i);
    }
    if t.mode.is_empty() {
        bail!("{f}: no `mode` in [options] for this task");
    }
    if engines == 0 {
        bail!("{f}: no [engines] for this task");
    }
    Ok(t)
}

fn script_line(
    t: &mut Task,
    words: &[&str],
    at: &dyn Fn(String) -> anyhow::Error,
) -> anyhow::Result<()> {
    let cmd = words[0];
    let mut args = words[1..].iter().copied().peekable();
    match cmd {
        "read" | "read_verilog" | "verific" => {
            let mut formal = false;
            let mut files = Vec::new();
            while let Some(a) = args.next() {
                match a {
                    "-formal" => formal = true,
                    "-sv" | "-sv2012" | "-sv2009" | "-sv2005" | "-vlog2k" | "-vlog95"
                    | "-noverific" | "-verific" | "-nomem2reg" | "-mem2reg" | "-nolatches"
                    | "-noautowire" | "-defer" => {}
                    "-define" => {
                        for d in args.by_ref() {
                            t.defines.push(d.to_string());
                        }
                    }
                    "-undef" => return Err(at("read -undef is not supported".into())),
                    "-incdir" | "-I" => match args.next() {
                        Some(d) => t.include.push(d.to_string()),
                        None => return Err(at(format!("{a} without a folder"))),
                    },
                    "-D" => match args.next() {
                        Some(d) => t.defines.push(d.to_string()),
                        None => return Err(at("-D without a macro".into())),
                    },
                    _ if a.starts_with("-D") => t.defines.push(a[2..].to_string()),
                    _ if a.starts_with("-I") => t.include.push(a[2..].to_string()),
                    _ if a.starts_with('-') => {
                        return Err(at(format!("{cmd} option `{a}` is not supported")))
                    }
                    _ => files.push(a.to_string()),
                }
            }
            for f in files {
                t.reads.push(f);
                t.formal.push(formal);
            }
        }
        "prep" | "hierarchy" => {
            while let Some(a) = args.next() {
                match a {
                    "-top" => {
                        t.top = Some(
                            args.next()
                                .ok_or_else(|| at(format!("{cmd} -top without a module")))?
                                .to_string(),
                        )
                    }
                    "-chparam" if cmd == "hierarchy" => {
                        let (Some(n), Some(v)) = (args.next(), args.next()) else {
                            return Err(at("hierarchy -chparam NAME VALUE".into()));
                        };
                        t.params.push((n.to_string(), v.to_string(), None));
                    }
                    "-check" | "-flatten" | "-nordff" | "-simcheck" | "-smtcheck" => {}
                    _ => return Err(at(format!("{cmd} option `{a}` is not supported"))),
                }
            }
        }
        "chparam" => {
            let mut set = Vec::new();
            let mut modules = Vec::new();
            while let Some(a) = args.next() {
                match a {
                    "-set" => {
                        let (Some(n), Some(v)) = (args.next(), args.next()) else {
                            return Err(at("chparam -set NAME VALUE".into()));
                        };
                        set.push((n.to_string(), v.to_string()));
                    }
                    _ if a.starts_with('-') => {
                        return Err(at(format!("chparam option `{a}` is not supported")))
                    }
                    _ => modules.push(a.to_string()),
                }
            }
            if modules.len() != 1 {
                return Err(at("chparam: name exactly one module (the top)".into()));
            }
            for (n, v) in set {
                t.params.push((n, v, Some(modules[0].clone())));
            }
        }
        "chformal" => {
            let mut kinds = Vec::new();
            let mut to: Option<Option<PropKind>> = None;
            for a in args {
                match a {
                    "-assert" => kinds.push(PropKind::Assert),
                    "-assume" => kinds.push(PropKind::Assume),
                    "-cover" => kinds.push(PropKind::Cover),
                    "-remove" => to = Some(None),
                    "-assert2assume" => {
                        to = Some(Some(PropKind::Assume));
                        kinds = vec![PropKind::Assert];
                    }
                    "-assume2assert" => {
                        to = Some(Some(PropKind::Assert));
                        kinds = vec![PropKind::Assume];
                    }
                    _ => return Err(at(format!("chformal `{a}` is not supported (only -remove, -assert2assume, -assume2assert on -assert/-assume/-cover, no selection)"))),
                }
            }
            let Some(to) = to else {
                return Err(at(
                    "chformal without -remove, -assert2assume or -assume2assert".into(),
                ));
            };
            if kinds.is_empty() {
                kinds = vec![PropKind::Assert, PropKind::Assume, PropKind::Cover];
            }
            t.edits.push(PropEdit { kinds, to });
        }
        // Passes with no effect on what verify reads (its own elaboration
        // does processes, flattening and memories).
        "proc" | "opt" | "opt_clean" | "flatten" | "check" | "memory" | "memory_nordff"
        | "memory_dff" | "opt_expr" | "clean" => {}
        other => return Err(at(format!("script command `{other}` is not supported"))),
    }
    Ok(())
}

/// sby's return code bits.
fn code_of(status: &str) -> u8 {
    match status {
        "PASS" => 1,
        "FAIL" => 2,
        "UNKNOWN" => 4,
        "TIMEOUT" => 8,
        _ => 16,
    }
}

pub fn run(a: &SbyArgs) -> anyhow::Result<u8> {
    let text = std::fs::read_to_string(&a.file)
        .with_context(|| format!("cannot read {}", a.file.display()))?;
    let (tasklist, defaults) = task_list(&text)?;
    let tasks: Vec<Option<String>> = if !a.tasks.is_empty() {
        a.tasks.iter().map(|t| Some(t.clone())).collect()
    } else if defaults.is_empty() {
        vec![None]
    } else {
        defaults.iter().map(|t| Some(t.clone())).collect()
    };
    let _ = tasklist;
    let stem = a.file.with_extension("");
    let stem_name = stem
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_else(|| "sby".into());
    let parent = match &a.dir {
        Some(d) => d.clone(),
        None => stem.parent().map(Path::to_path_buf).unwrap_or_default(),
    };
    let mut rc = 0u8;
    for task in &tasks {
        let label = match task {
            Some(t) => format!("{stem_name}_{t}"),
            None => stem_name.clone(),
        };
        let workdir = parent.join(&label);
        let t0 = Instant::now();
        let (status, expect) = match run_task(a, &text, task.as_deref(), &workdir, &label) {
            Ok(r) => r,
            Err(e) => {
                println!("SBY [{label}] ERROR: {e:#}");
                ("ERROR".to_string(), vec!["PASS".to_string()])
            }
        };
        let code = if expect.contains(&status) {
            0
        } else {
            code_of(&status)
        };
        println!(
            "SBY [{label}] DONE ({status}, rc={code}) {:.2}s",
            t0.elapsed().as_secs_f64()
        );
        if workdir.is_dir() {
            let _ = std::fs::write(workdir.join(&status), format!("{status} {code}\n"));
        }
        rc |= code;
    }
    Ok(rc)
}

/// Run one task; its status word and what it expects.
fn run_task(
    a: &SbyArgs,
    text: &str,
    task: Option<&str>,
    workdir: &Path,
    label: &str,
) -> anyhow::Result<(String, Vec<String>)> {
    let (lines, _, _) = select(text, task)?;
    let t = parse_task(&a.file, &lines)?;
    for n in &t.notes {
        println!("SBY [{label}] note: {n}");
    }
    if workdir.exists() {
        std::fs::remove_dir_all(workdir)
            .with_context(|| format!("cannot clear {}", workdir.display()))?;
    }
    let src = workdir.join("src");
    std::fs::create_dir_all(&src).with_context(|| format!("cannot create {}", src.display()))?;
    for (name, from) in &t.files {
        if from.is_dir() {
            bail!("[files] {}: folders are not supported", from.display());
        }
        let to = src.join(name);
        if let Some(p) = to.parent() {
            std::fs::create_dir_all(p)?;
        }
        std::fs::copy(from, &to)
            .with_context(|| format!("[files]: cannot copy {}", from.display()))?;
    }
    for (name, body) in &t.inline {
        std::fs::write(src.join(name), body)?;
    }
    if t.reads.is_empty() {
        bail!("[script] reads no file");
    }
    let any_formal = t.formal.iter().any(|&f| f);
    if any_formal && t.formal.iter().any(|&f| !f) {
        bail!("[script] reads some files with -formal and some without: verify has one global FORMAL define");
    }
    let top = t.top.clone();
    let mut params = Vec::new();
    for (n, v, m) in &t.params {
        if let (Some(m), Some(top)) = (m, &top) {
            if m != top {
                bail!("chparam on module `{m}`: only the top module's parameters can be set");
            }
        }
        params.push(format!("{n}={v}"));
    }
    let mut include = vec![src.clone()];
    include.extend(t.include.iter().map(|d| src.join(d)));
    let args = RunArgs {
        files: t.reads.iter().map(|r| src.join(r)).collect(),
        include,
        define: t.defines.clone(),
        undefine: if any_formal {
            Vec::new()
        } else {
            vec!["FORMAL".into()]
        },
        param: params,
        top,
        multiclock: t.multiclock,
        mode: Some(match t.mode.as_str() {
            // `live`: an unbounded check of the liveness assertions; verify's
            // prove mode proves (or breaks with a lasso) safety and liveness
            // assertions alike.
            "prove" | "live" => crate::cli::FormalMode::Prove,
            "cover" => crate::cli::FormalMode::Cover,
            _ => crate::cli::FormalMode::Bmc,
        }),
        engine: t.engine,
        depth: t.depth,
        timeout: a.timeout.or(t.timeout),
        reset: Some("none".into()),
        reset_cycles: 1,
        init: crate::cli::InitArg::Zero,
        jit: crate::cli::JitArg::Off,
        engines: vec![crate::cli::ClosureEngineArg::All],
        color: crate::cli::ColorArg::Never,
        out: workdir.join("engine_0"),
        json: Some(workdir.join("verify.json")),
        prop_edits: t.edits.clone(),
        cycles: 1000,
        seed: 1,
        seeds: 1,
        ..RunArgs::default()
    };
    let color = a
        .color
        .on(std::io::IsTerminal::is_terminal(&std::io::stderr()));
    let outcome = bmc_cmd::check(&args, color)?;
    let timed_out = outcome
        .entries
        .iter()
        .any(|e| e.reason.as_deref().is_some_and(|r| r.contains("--timeout")));
    let failed = outcome
        .entries
        .iter()
        .any(|e| e.status == ir::status::Status::Fail);
    let unknown = outcome
        .entries
        .iter()
        .any(|e| e.status == ir::status::Status::Unknown);
    let status = match t.mode.as_str() {
        _ if outcome.code == crate::status::ERROR => "ERROR",
        _ if failed => "FAIL",
        _ if timed_out => "TIMEOUT",
        // A cover not reached fails a cover task (sby: "Unreached cover").
        "cover" if unknown => "FAIL",
        "prove" | "live" if unknown => "UNKNOWN",
        _ if unknown => "UNKNOWN",
        _ => "PASS",
    };
    Ok((status.to_string(), t.expect))
}

#[cfg(test)]
mod tests {
    use super::*;

    const PROJECT: &str = "[tasks]\na\nb default\n\n[options]\n--pycode-begin--\nif task == 'a':\n  output('mode prove')\nelse:\n  output('mode bmc')\nif 'x' in tags: raise SystemExit(3)\n--pycode-end--\n";

    #[test]
    fn python_skips_version_manager_shims() {
        use std::path::{Path, PathBuf};
        let dirs: Vec<PathBuf> = ["/home/u/.pyenv/shims", "/opt/none", "/usr/bin", "/bin"]
            .iter()
            .map(PathBuf::from)
            .collect();
        let has = |p: &Path| p.parent() != Some(Path::new("/opt/none"));
        assert_eq!(
            pick_python(&dirs, has),
            Some(PathBuf::from("/usr/bin/python3"))
        );
        // Only a shim: it is used.
        let only = |p: &Path| p.starts_with("/home");
        assert_eq!(
            pick_python(&dirs, only),
            Some(PathBuf::from("/home/u/.pyenv/shims/python3"))
        );
        assert_eq!(pick_python(&dirs, |_| false), None);
    }

    #[test]
    fn pycode_output_takes_the_blocks_place() {
        let (lines, tasks, defaults) = select(PROJECT, Some("a")).unwrap();
        assert_eq!(tasks, ["a", "b"]);
        assert_eq!(defaults, ["b"]);
        assert!(lines.iter().any(|l| l.text == "mode prove"));
        let (lines, _, _) = select(PROJECT, Some("b")).unwrap();
        assert!(lines.iter().any(|l| l.text == "mode bmc"));
    }

    #[test]
    fn listing_tasks_runs_no_pycode_after_the_tasks_section() {
        // The block fails for every task of tag x; listing does not run it.
        let failing = PROJECT.replace("b default", "b default\nc: x");
        let (tasks, _) = task_list(&failing).unwrap();
        assert_eq!(tasks, ["a", "b", "c"]);
        assert!(select(&failing, Some("c")).is_err());
        // A block inside [tasks] is run: it makes the list.
        let gen = "[tasks]\n--pycode-begin--\nfor t in ['p', 'q']: output(t)\n--pycode-end--\n";
        assert_eq!(task_list(gen).unwrap().0, ["p", "q"]);
    }

    #[test]
    fn pycode_that_needs_site_runs_again_with_it() {
        // `exit` is a builtin only the `site` module adds: the fast run
        // without it fails, the second run gives what sby's python gives.
        let code = "output('x' if callable(exit) else 'y')\n";
        assert_eq!(run_pycode(code, None, &[]).unwrap(), ["x"]);
        // Code that fails either way is still an error.
        assert!(run_pycode("raise ValueError('no')\n", None, &[]).is_err());
    }
}
