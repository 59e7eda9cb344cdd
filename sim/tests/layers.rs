//! The simulator's modules import each other in one direction only:
//!
//! ```text
//! words -> rng -> isa -> ops -> compile -> prune -> layout
//!       -> engine -> coverage -> lane_coverage -> jit -> lane_jit -> lanes -> run
//!       -> vcd
//! ```
//!
//! (`{prune, layout}` derive data from the compiled program, `{engine, jit,
//! lane_jit, lanes}` are the back ends (`lane_jit` compiles a layout's op
//! list; the kernels it calls are `lanes`'), `coverage` reads a `Sim` and is read by the
//! lane engine and the runs, `lane_coverage` counts a lane batch through
//! `coverage`'s `LaneSource`, `vcd` writes replays of `run`.) A module may
//! name only modules to its left, through `crate::module` paths in its code
//! (its tests included); the crate root's re-exports (`crate::Sim`) would
//! hide the dependency and are refused, except `crate::SimError`, which the
//! root defines. Comments are not code: doc links may point anywhere.

use std::collections::BTreeSet;
use std::path::Path;

/// The modules of `sim/src`, lowest first.
const ORDER: &[&str] = &[
    "words",
    "rng",
    "isa",
    "ops",
    "compile",
    "prune",
    "layout",
    "engine",
    "coverage",
    "lane_coverage",
    "jit",
    "lane_jit",
    "lanes",
    "run",
    "vcd",
];

/// Names defined by the crate root itself (not re-exports).
const ROOT_ITEMS: &[&str] = &["SimError"];

/// `src` without `//` comments (line, doc and module doc) and without the
/// contents of string literals.
fn code_of(src: &str) -> String {
    let mut out = String::new();
    for line in src.lines() {
        let mut in_str = false;
        let mut prev = ' ';
        let mut it = line.chars().peekable();
        while let Some(c) = it.next() {
            if !in_str && c == '/' && it.peek() == Some(&'/') {
                break;
            }
            if c == '"' && prev != '\\' && prev != '\'' {
                in_str = !in_str;
                out.push(c);
            } else if !in_str {
                out.push(c);
            }
            prev = if prev == '\\' && c == '\\' { ' ' } else { c };
        }
        out.push('\n');
    }
    out
}

fn ident_at(s: &str) -> &str {
    let end = s
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(s.len());
    &s[..end]
}

/// The first path segment of every `crate::` path in `code`, including each
/// top-level item of a `crate::{a::X, b}` group.
fn crate_paths(code: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = code;
    while let Some(i) = rest.find("crate::") {
        let before = rest[..i].chars().next_back();
        rest = &rest[i + "crate::".len()..];
        if before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_') {
            continue; // e.g. `my_crate::`
        }
        let t = rest.trim_start();
        if let Some(group) = t.strip_prefix('{') {
            let mut depth = 1;
            let mut item_start = true;
            for (k, c) in group.char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' => {
                        depth -= 1;
                        if depth == 0 {
                            break;
                        }
                    }
                    ',' if depth == 1 => {
                        item_start = true;
                        continue;
                    }
                    c if c.is_whitespace() => continue,
                    _ => {}
                }
                if item_start && depth == 1 && (c.is_ascii_alphabetic() || c == '_') {
                    out.push(ident_at(&group[k..]).to_string());
                }
                item_start = false;
            }
        } else {
            out.push(ident_at(t).to_string());
        }
    }
    out
}

#[test]
fn modules_import_only_lower_layers() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut found = BTreeSet::new();
    let mut bad = Vec::new();
    for entry in std::fs::read_dir(&src).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_stem().unwrap().to_str().unwrap().to_string();
        if path.extension().and_then(|e| e.to_str()) != Some("rs") || name == "lib" {
            continue;
        }
        let Some(rank) = ORDER.iter().position(|m| *m == name) else {
            bad.push(format!(
                "sim/src/{name}.rs is not placed in the layer order"
            ));
            continue;
        };
        found.insert(name.clone());
        let code = code_of(&std::fs::read_to_string(&path).unwrap());
        for first in crate_paths(&code) {
            match ORDER.iter().position(|m| *m == first) {
                Some(r) if r < rank => {}
                Some(r) if r == rank => {
                    bad.push(format!("{name} names itself as `crate::{first}`"))
                }
                Some(_) => bad.push(format!("{name} imports `{first}`, a higher layer")),
                None if ROOT_ITEMS.contains(&first.as_str()) => {}
                None => bad.push(format!(
                    "{name} uses `crate::{first}`: name the module that defines it"
                )),
            }
        }
    }
    for m in ORDER {
        if !found.contains(*m) {
            bad.push(format!("module `{m}` of the layer order has no file"));
        }
    }
    assert!(
        bad.is_empty(),
        "sim module layering:\n  {}",
        bad.join("\n  ")
    );
}

#[test]
fn the_checker_sees_imports() {
    let code = code_of(
        "use crate::a::{X, Y};\nuse crate::{b::Z, c, d::{e, f}};\n// use crate::g;\n\
         let x = crate::h::f(\"crate::i\"); /// [`crate::j`]\n",
    );
    assert_eq!(crate_paths(&code), ["a", "b", "c", "d", "h"]);
}
