//! Reading SystemVerilog: file lists, preprocessing and parsing with
//! sv-parser, and parse errors turned into located diagnostics.
//!
//! sv-parser reports only the furthest byte it reached; we map it back to the
//! original file (not the preprocessed text) and show the token found there.

use crate::diag::{Code, Diagnostic, Error, Result};
use crate::source::{FileId, SourceMap, Span};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};
use sv_parser::{Define, DefineText, Defines, Locate, SyntaxTree};

/// What to read and how to preprocess it (the `-f`, `-I`, `-D`, `-U` flags).
#[derive(Clone, Debug, Default)]
pub struct ParseOptions {
    pub files: Vec<PathBuf>,
    pub include_dirs: Vec<PathBuf>,
    /// `-D NAME[=VALUE]`, in order.
    pub defines: Vec<(String, Option<String>)>,
    /// `-U NAME`: removes a default or earlier define (e.g. `FORMAL`).
    pub undefines: Vec<String>,
}

impl ParseOptions {
    /// The defines every engine sees unless undefined: `FORMAL` (the usual
    /// guard around properties) and `VERIFY`.
    pub fn effective_defines(&self) -> Vec<(String, Option<String>)> {
        let mut out: Vec<(String, Option<String>)> =
            vec![("FORMAL".into(), None), ("VERIFY".into(), None)];
        for (n, v) in &self.defines {
            out.retain(|(m, _)| m != n);
            out.push((n.clone(), v.clone()));
        }
        out.retain(|(n, _)| !self.undefines.contains(n));
        out
    }
}

/// One parsed file, or one piece of a large file (see [`split_points`]):
/// its tree (which owns the preprocessed text).
pub struct ParsedFile {
    pub path: PathBuf,
    pub file: FileId,
    pub tree: SyntaxTree,
    /// Offset of the piece in its file: locations sv-parser gives in the
    /// file itself are relative to it (included files' are not).
    pub base: usize,
}

/// Read a file list (`-f files.f`, the Verilator/VCS convention) into `opts`.
///
/// Understands one entry per whitespace-separated word, `//` and `#`
/// comments, `+incdir+A+B`, `+define+N=V`, `-I DIR`/`-IDIR`, `-D N=V`,
/// `-f F` (nested, relative to the working directory like Verilator) and
/// `-F F` (relative to the list's own folder, like VCS). `$VAR`/`${VAR}` are
/// expanded from the environment. Anything else starting with `-` or `+` is
/// refused rather than ignored.
pub fn read_file_list(path: &Path, opts: &mut ParseOptions, depth: usize) -> Result<()> {
    read_list(path, opts, depth, None)
}

/// Read a `-F` file list: relative entries are taken from its own folder (VCS).
pub fn read_file_list_relative(path: &Path, opts: &mut ParseOptions) -> Result<()> {
    let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
    read_list(path, opts, 0, Some(&dir))
}

/// `rel`: the folder relative entries are taken from (`-F` lists), or the
/// working directory (`-f` lists).
fn read_list(path: &Path, opts: &mut ParseOptions, depth: usize, rel: Option<&Path>) -> Result<()> {
    if depth > 16 {
        return Err(cmdline_error(format!(
            "file list {} includes itself (nesting deeper than 16)",
            path.display()
        )));
    }
    let text = std::fs::read_to_string(path)
        .map_err(|e| cmdline_error(format!("cannot read file list {}: {e}", path.display())))?;
    let resolve = |w: &str| -> PathBuf {
        match rel {
            Some(dir) if Path::new(w).is_relative() => dir.join(w),
            _ => PathBuf::from(w),
        }
    };
    let mut words = Vec::new();
    for line in text.lines() {
        let line = line.split("//").next().unwrap_or("");
        let line = if line.trim_start().starts_with('#') {
            ""
        } else {
            line
        };
        words.extend(line.split_whitespace().map(expand_env));
    }
    let mut it = words.into_iter();
    while let Some(w) = it.next() {
        let mut need = |flag: &str| {
            it.next().ok_or_else(|| {
                cmdline_error(format!("{}: `{flag}` needs an argument", path.display()))
            })
        };
        if let Some(rest) = w.strip_prefix("+incdir+") {
            opts.include_dirs
                .extend(rest.split('+').filter(|s| !s.is_empty()).map(resolve));
        } else if let Some(rest) = w.strip_prefix("+define+") {
            for d in rest.split('+').filter(|s| !s.is_empty()) {
                opts.defines.push(split_define(d));
            }
        } else if w == "-I" {
            opts.include_dirs.push(resolve(&need("-I")?));
        } else if let Some(rest) = w.strip_prefix("-I") {
            opts.include_dirs.push(resolve(rest));
        } else if w == "-D" {
            opts.defines.push(split_define(&need("-D")?));
        } else if let Some(rest) = w.strip_prefix("-D") {
            opts.defines.push(split_define(rest));
        } else if w == "-f" {
            let f = need("-f")?;
            read_list(&resolve(&f), opts, depth + 1, None)?;
        } else if w == "-F" {
            let f = need("-F")?;
            let p = resolve(&f);
            let dir = p.parent().map(Path::to_path_buf).unwrap_or_default();
            read_list(&p, opts, depth + 1, Some(&dir))?;
        } else if w.starts_with('-') || w.starts_with('+') {
            return Err(cmdline_error(format!(
                "{}: unsupported file-list option `{w}` (supported: +incdir+, +define+, -I, -D, -f, -F)",
                path.display()
            )));
        } else {
            opts.files.push(resolve(&w));
        }
    }
    Ok(())
}

/// `NAME=VALUE` or `NAME`.
pub fn split_define(s: &str) -> (String, Option<String>) {
    match s.split_once('=') {
        Some((n, v)) => (n.to_string(), Some(v.to_string())),
        None => (s.to_string(), None),
    }
}

fn expand_env(word: &str) -> String {
    let mut out = String::new();
    let mut rest = word;
    while let Some(p) = rest.find('$') {
        out.push_str(&rest[..p]);
        let after = &rest[p + 1..];
        let (name, tail) = if let Some(inner) = after.strip_prefix('{') {
            match inner.find('}') {
                Some(e) => (&inner[..e], &inner[e + 1..]),
                None => (inner, ""),
            }
        } else {
            let e = after
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(after.len());
            (&after[..e], &after[e..])
        };
        out.push_str(&std::env::var(name).unwrap_or_default());
        rest = tail;
    }
    out.push_str(rest);
    out
}

fn cmdline_error(msg: String) -> Error {
    Diagnostic::error(Code::Input, Span::NONE, msg).into()
}

/// Load a file into the source map (or find it there).
pub fn load_file(sources: &mut SourceMap, path: &Path) -> std::io::Result<FileId> {
    if let Some(id) = sources.find_alias(path) {
        return Ok(id);
    }
    let canon = path.canonicalize().unwrap_or_else(|_| path.to_path_buf());
    let id = match sources.find(&canon) {
        Some(id) => id,
        None => {
            let bytes = std::fs::read(path)?;
            let text = String::from_utf8_lossy(&bytes).into_owned();
            sources.add(&canon, path.display().to_string(), text)
        }
    };
    sources.add_alias(path, id);
    Ok(id)
}

/// Preprocess and parse every file, in order; defines carry from one file to
/// the next (one compilation unit, as Verilator and VCS do by default).
///
/// Preprocessing is sequential (defines flow through the files), parsing
/// is not: sv-parser is the slowest part of the front end (about 3,400
/// lines/s), so the files, and large files cut into pieces between
/// top-level modules, parse on one thread per core.
///
/// Deep expressions recurse deeply in sv-parser: call this from
/// [`on_big_stack`].
pub fn parse_files(opts: &ParseOptions, sources: &mut SourceMap) -> Result<Vec<ParsedFile>> {
    if opts.files.is_empty() {
        return Err(cmdline_error("no source files given".into()));
    }
    let mut defines: Defines = HashMap::new();
    for (n, v) in opts.effective_defines() {
        let text = v.map(|v| DefineText::new(v, None));
        defines.insert(n.clone(), Some(Define::new(n, vec![], text)));
    }
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let mut pieces = Vec::new();
    for path in &opts.files {
        let file = load_file(sources, path)
            .map_err(|e| cmdline_error(format!("cannot read {}: {e}", path.display())))?;
        let text = sources
            .get(file)
            .map(|f| f.text.clone())
            .unwrap_or_default();
        // A fixed piece size, not one per core: where a file is cut must
        // not depend on the machine (a cut changes which errors sv-parser
        // reports first).
        let cuts = split_points(&text, text.len().div_ceil(PIECE_BYTES));
        for (i, &base) in cuts.iter().enumerate() {
            let end = cuts.get(i + 1).copied().unwrap_or(text.len());
            let (pp, new_defines) = sv_parser::preprocess_str(
                &text[base..end],
                path,
                &defines,
                &opts.include_dirs,
                false, // ignore_include
                false, // strip_comments
                0,
                0,
            )
            .map_err(|e| convert_error(e, path, file, base, sources))?;
            defines = new_defines;
            pieces.push(Piece {
                path: path.clone(),
                file,
                base,
                text: Mutex::new(Some(pp)),
            });
        }
    }
    let trees = parse_pieces(&pieces, threads);
    let mut out = Vec::new();
    // Files parse independently: report the first syntax error of each
    // file (later pieces of a broken file may be cut wrongly: not them).
    let mut errors: Vec<crate::diag::Diagnostic> = Vec::new();
    let mut failed: Vec<FileId> = Vec::new();
    for (p, tree) in pieces.iter().zip(trees) {
        match tree {
            Ok(tree) => out.push(ParsedFile {
                path: p.path.clone(),
                file: p.file,
                tree,
                base: p.base,
            }),
            Err(_) if failed.contains(&p.file) => {}
            Err(e) => {
                failed.push(p.file);
                errors.extend(convert_error(e, &p.path, p.file, p.base, sources).diags);
            }
        }
    }
    if !errors.is_empty() {
        return Err(Error::many(errors));
    }
    Ok(out)
}

/// A preprocessed piece waiting for the parser.
struct Piece {
    path: PathBuf,
    file: FileId,
    base: usize,
    text: Mutex<Option<sv_parser::PreprocessedText>>,
}

/// Parse every piece, on up to `threads` threads with big stacks; results
/// in piece order (so the first error in source order is the one reported).
fn parse_pieces(
    pieces: &[Piece],
    threads: usize,
) -> Vec<std::result::Result<SyntaxTree, sv_parser::Error>> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let parse = |p: &Piece| {
        let text = p
            .text
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .take()
            .expect("each piece is parsed once");
        sv_parser::parse_sv_pp(text, HashMap::new(), false).map(|(tree, _)| tree)
    };
    if threads <= 1 || pieces.len() <= 1 {
        return pieces.iter().map(parse).collect();
    }
    let next = AtomicUsize::new(0);
    let results: Vec<Mutex<Option<_>>> = pieces.iter().map(|_| Mutex::new(None)).collect();
    std::thread::scope(|s| {
        for _ in 0..threads.min(pieces.len()) {
            let work = || loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(p) = pieces.get(i) else { break };
                let r = parse(p);
                *results[i].lock().unwrap_or_else(|e| e.into_inner()) = Some(r);
            };
            let spawned = std::thread::Builder::new()
                .name("verify-parse".into())
                .stack_size(256 << 20)
                .spawn_scoped(s, work);
            if spawned.is_err() {
                // No more threads: the ones started (or this one) do the rest.
                break;
            }
        }
    });
    // Pieces no thread took (none could be started) are parsed here.
    results
        .into_iter()
        .zip(pieces)
        .map(|(r, p)| {
            r.into_inner()
                .unwrap_or_else(|e| e.into_inner())
                .unwrap_or_else(|| parse(p))
        })
        .collect()
}

/// The size of the pieces a large file is cut into (about 2,000 lines).
const PIECE_BYTES: usize = 64 * 1024;

/// Byte offsets where a file's text may be cut into pieces that parse on
/// their own, about `want` of them of similar size: after a line holding
/// only the end of a top-level design unit (`endmodule`, `endpackage`,
/// `endinterface`, `endprogram`, `endprimitive`), outside comments,
/// `` `ifdef `` regions, `` `begin_keywords `` regions and macro bodies.
/// Always starts with 0. Small files, and files using `` `__LINE__ `` (which
/// counts lines from the start of the text given to the preprocessor), are
/// not cut. Anything unexpected (an end keyword without its start) stops
/// the cutting: a missed cut only costs parallelism.
pub fn split_points(text: &str, want: usize) -> Vec<usize> {
    const MIN_PIECE: usize = 32 * 1024;
    let mut cuts = vec![0];
    if want <= 1 || text.len() < 2 * MIN_PIECE || text.contains("__LINE__") {
        return cuts;
    }
    let target = (text.len() / want).max(MIN_PIECE);
    let mut candidates = Vec::new();
    let mut in_block = false;
    let mut cond_depth = 0i32;
    let mut unit_depth = 0i32;
    let mut continued = false;
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        offset += line.len();
        let was_continued = continued;
        let body = line.trim_end_matches(['\n', '\r']);
        let indent = body.len() - body.trim_start().len();
        continued = body.ends_with('\\');
        let began_in_block = in_block;
        let mut first_word: Option<&str> = None;
        let bytes = body.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            let c = bytes[i];
            if in_block {
                if c == b'*' && bytes.get(i + 1) == Some(&b'/') {
                    in_block = false;
                    i += 2;
                } else {
                    i += 1;
                }
                continue;
            }
            match c {
                b'/' if bytes.get(i + 1) == Some(&b'/') => break,
                b'/' if bytes.get(i + 1) == Some(&b'*') => {
                    in_block = true;
                    i += 2;
                }
                b'"' => {
                    i += 1;
                    while i < bytes.len() && bytes[i] != b'"' {
                        i += if bytes[i] == b'\\' { 2 } else { 1 };
                    }
                    i += 1;
                }
                b'\\' => {
                    // An escaped identifier: up to white space.
                    while i < bytes.len() && !bytes[i].is_ascii_whitespace() {
                        i += 1;
                    }
                }
                b'`' | b'a'..=b'z' | b'A'..=b'Z' | b'_' => {
                    let w0 = i;
                    i += 1;
                    while i < bytes.len()
                        && (bytes[i].is_ascii_alphanumeric()
                            || bytes[i] == b'_'
                            || bytes[i] == b'$')
                    {
                        i += 1;
                    }
                    let word = &body[w0..i];
                    if first_word.is_none() {
                        first_word = Some(word);
                    }
                    match word {
                        "`ifdef" | "`ifndef" | "`begin_keywords" => cond_depth += 1,
                        "`endif" | "`end_keywords" => cond_depth -= 1,
                        "module" | "macromodule" | "package" | "program" | "primitive" => {
                            unit_depth += 1
                        }
                        // `interface` also names interface ports; counted only
                        // where it starts a line (a miscount only stops cuts).
                        "interface" if w0 == indent => unit_depth += 1,
                        "endmodule" | "endpackage" | "endprogram" | "endprimitive"
                        | "endinterface" => unit_depth -= 1,
                        _ => {}
                    }
                }
                b'0'..=b'9' | b'$' => {
                    // A number or system name: skip the word.
                    i += 1;
                    while i < bytes.len()
                        && (bytes[i].is_ascii_alphanumeric()
                            || bytes[i] == b'_'
                            || bytes[i] == b'$'
                            || bytes[i] == b'\'')
                    {
                        i += 1;
                    }
                }
                _ => i += 1,
            }
        }
        if cond_depth < 0 || unit_depth < 0 {
            break;
        }
        let ends_unit = matches!(
            first_word,
            Some("endmodule" | "endpackage" | "endprogram" | "endprimitive" | "endinterface")
        );
        if ends_unit
            && !began_in_block
            && !in_block
            && !was_continued
            && !continued
            && cond_depth == 0
            && unit_depth == 0
            && line.ends_with('\n')
        {
            candidates.push(offset);
        }
    }
    let mut goal = target;
    for c in candidates {
        if c >= goal && text.len() - c >= MIN_PIECE / 2 {
            cuts.push(c);
            goal = c + target;
        }
    }
    cuts
}

/// Run `f` on a thread with a 256 MiB stack (sv-parser and our own tree
/// walks recurse once per nesting level of an expression).
pub fn on_big_stack<T, F>(f: F) -> T
where
    T: Send + 'static,
    F: FnOnce() -> T + Send + 'static,
{
    // The job is shared so that it can still run here when no thread can
    // be started (resource limits): the input may well be shallow.
    let job = Arc::new(Mutex::new(Some(f)));
    let theirs = Arc::clone(&job);
    let take = |job: &Mutex<Option<F>>| job.lock().unwrap_or_else(PoisonError::into_inner).take();
    let handle = std::thread::Builder::new()
        .name("verify-frontend".into())
        .stack_size(256 << 20)
        .spawn(move || take(&theirs).map(|f| f()));
    let ran = match handle {
        Ok(h) => match h.join() {
            Ok(v) => v,
            Err(p) => std::panic::resume_unwind(p),
        },
        Err(_) => take(&job).map(|f| f()),
    };
    // Exactly one of the two took the job: the thread if it started.
    ran.expect("the front-end job runs once")
}

/// Span of the token at `offset` in a file: from the offset to the next
/// white space or punctuation boundary.
pub fn token_span(sources: &SourceMap, file: FileId, offset: usize) -> Span {
    let text = sources.get(file).map(|f| f.text.as_str()).unwrap_or("");
    let start = offset.min(text.len());
    let rest = &text[start..];
    let mut len = 0;
    let mut chars = rest.char_indices();
    if let Some((_, c)) = chars.next() {
        len = c.len_utf8();
        if c.is_alphanumeric() || c == '_' || c == '$' || c == '`' || c == '\'' {
            for (i, c) in chars {
                if c.is_alphanumeric() || c == '_' || c == '$' {
                    len = i + c.len_utf8();
                } else {
                    break;
                }
            }
        }
    }
    Span::new(file, start as u32, (start + len) as u32)
}

fn located(sources: &mut SourceMap, path: &Path, pos: usize, fallback: FileId) -> (FileId, Span) {
    let file = load_file(sources, path).unwrap_or(fallback);
    (file, token_span(sources, file, pos))
}

/// `base`: the offset of the piece that was preprocessed or parsed in
/// `top` (positions sv-parser gives in `top` itself are relative to it).
fn convert_error(
    e: sv_parser::Error,
    top: &Path,
    top_file: FileId,
    base: usize,
    sources: &mut SourceMap,
) -> Error {
    use sv_parser::Error as E;
    let rebase = |path: &Path, pos: usize| if path == top { pos + base } else { pos };
    match e {
        E::Parse(Some((path, pos))) => {
            let (_, span) = located(sources, &path, rebase(&path, pos), top_file);
            let tok = sources.snippet(span).unwrap_or("").to_string();
            let found = if tok.is_empty() {
                "end of file".to_string()
            } else {
                format!("`{tok}`")
            };
            Diagnostic::error(
                Code::Syntax,
                span,
                format!("syntax error: unexpected {found}"),
            )
            .with_label("the parser could not continue here")
            .into()
        }
        E::Parse(None) => Diagnostic::error(
            Code::Syntax,
            Span::new(top_file, 0, 0),
            format!(
                "syntax error in {} (the parser gave no position)",
                top.display()
            ),
        )
        .into(),
        E::Preprocess(Some((path, pos))) => {
            let (_, span) = located(sources, &path, rebase(&path, pos), top_file);
            Diagnostic::error(
                Code::Preprocess,
                span,
                "preprocessor error: malformed or unsupported directive",
            )
            .into()
        }
        E::Preprocess(None) => Diagnostic::error(
            Code::Preprocess,
            Span::new(top_file, 0, 0),
            "preprocessor error",
        )
        .into(),
        E::Include { source } => {
            let missing = match *source {
                E::File { path, .. } => path.display().to_string(),
                other => other.to_string(),
            };
            // sv-parser does not say where the `include is: find it ourselves.
            let name = Path::new(&missing)
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or(missing.clone());
            let span = find_include(sources, &name).unwrap_or(Span::new(top_file, 0, 0));
            Diagnostic::error(
                Code::IncludeNotFound,
                span,
                format!("cannot find include file `{name}`"),
            )
            .with_note("add its folder with -I DIR (or +incdir+DIR in a file list)")
            .into()
        }
        E::File { path, source } => {
            cmdline_error(format!("cannot read {}: {source}", path.display()))
        }
        E::Io(e) => cmdline_error(format!("cannot read {}: {e}", top.display())),
        E::ReadUtf8(path) => cmdline_error(format!("{} is not UTF-8 text", path.display())),
        E::DefineArgNotFound(name) => {
            let span = find_text(sources, &format!("`{name}")).unwrap_or(Span::new(top_file, 0, 0));
            Diagnostic::error(
                Code::MacroArgs,
                span,
                format!("macro argument `{name}` not given"),
            )
            .into()
        }
        E::DefineNotFound(name) => {
            let span = find_text(sources, &format!("`{name}")).unwrap_or(Span::new(top_file, 0, 0));
            Diagnostic::error(
                Code::MacroUndefined,
                span,
                format!("macro `{name} is not defined"),
            )
            .with_note("define it in the source or with -D NAME[=VALUE]")
            .into()
        }
        E::DefineNoArgs(name) => {
            let span = find_text(sources, &format!("`{name}")).unwrap_or(Span::new(top_file, 0, 0));
            Diagnostic::error(
                Code::MacroArgs,
                span,
                format!("macro `{name} needs arguments"),
            )
            .into()
        }
        E::ExceedRecursiveLimit => Diagnostic::error(
            Code::MacroRecursion,
            Span::new(top_file, 0, 0),
            "macro or include recursion too deep",
        )
        .into(),
        E::IncludeLine => Diagnostic::error(
            Code::IncludeLine,
            Span::new(top_file, 0, 0),
            "an `include line cannot hold other items",
        )
        .into(),
    }
}

fn find_text(sources: &SourceMap, needle: &str) -> Option<Span> {
    for (i, f) in sources.files().iter().enumerate() {
        if let Some(p) = f.text.find(needle) {
            return Some(Span::new(
                FileId(i as u32),
                p as u32,
                (p + needle.len()) as u32,
            ));
        }
    }
    None
}

fn find_include(sources: &SourceMap, name: &str) -> Option<Span> {
    for (i, f) in sources.files().iter().enumerate() {
        for (p, _) in f.text.match_indices("`include") {
            let line_end = f.text[p..]
                .find('\n')
                .map(|e| p + e)
                .unwrap_or(f.text.len());
            if f.text[p..line_end].contains(name) {
                return Some(Span::new(FileId(i as u32), p as u32, line_end as u32));
            }
        }
    }
    None
}

/// Map an sv-parser location (in preprocessed text) to a span in the original file.
pub fn span_of(f: &ParsedFile, sources: &mut SourceMap, loc: &Locate) -> Span {
    match f.tree.get_origin(loc) {
        Some((path, off)) => {
            let off = if *path == f.path { off + f.base } else { off };
            let path = path.clone();
            match load_file(sources, &path) {
                Ok(file) => Span::new(file, off as u32, (off + loc.len) as u32),
                Err(_) => Span::NONE,
            }
        }
        None => Span::NONE,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
        let p = dir.join(name);
        std::fs::write(&p, text).unwrap();
        p
    }

    fn tmpdir(tag: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("verify-parse-{tag}-{}", std::process::id()));
        std::fs::create_dir_all(&d).unwrap();
        d
    }

    #[test]
    fn parse_error_points_at_original_line_and_token() {
        let d = tmpdir("err");
        let f = write(
            &d,
            "bad.sv",
            "`define W 8\nmodule m;\n  logic [`W-1:0] a;\n  assign a = 1 +;\nendmodule\n",
        );
        let opts = ParseOptions {
            files: vec![f],
            ..Default::default()
        };
        let mut sm = SourceMap::new();
        let err = match on_big_stack(move || {
            let r = parse_files(&opts, &mut sm).map(|_| ());
            (r, sm)
        }) {
            (Err(e), sm) => (e, sm),
            (Ok(()), _) => panic!("expected a parse error"),
        };
        let loc = err.1.location(err.0.diags[0].span).unwrap();
        assert_eq!(loc.line, 4, "{:?}", err.0);
        assert!(
            err.0.diags[0]
                .message
                .starts_with("syntax error: unexpected `"),
            "{}",
            err.0.diags[0].message
        );
    }

    #[test]
    fn file_list_options() {
        let d = tmpdir("fl");
        write(&d, "a.sv", "module a; endmodule\n");
        let inner = write(&d, "inner.f", "a.sv\n");
        let outer = write(
            &d,
            "outer.f",
            &format!(
                "// comment\n+incdir+inc1+inc2\n+define+X=3\n-DY\n-F {}\n",
                inner.display()
            ),
        );
        let mut o = ParseOptions::default();
        read_file_list(&outer, &mut o, 0).unwrap();
        assert_eq!(
            o.include_dirs,
            vec![PathBuf::from("inc1"), PathBuf::from("inc2")]
        );
        assert_eq!(
            o.defines,
            vec![("X".into(), Some("3".into())), ("Y".into(), None)]
        );
        assert_eq!(o.files, vec![d.join("a.sv")]);
        let bad = write(&d, "bad.f", "-v lib.v\n");
        assert!(read_file_list(&bad, &mut ParseOptions::default(), 0).is_err());
    }

    #[test]
    fn formal_is_defined_unless_undefined() {
        let mut o = ParseOptions::default();
        assert!(o.effective_defines().iter().any(|(n, _)| n == "FORMAL"));
        o.undefines.push("FORMAL".into());
        assert!(!o.effective_defines().iter().any(|(n, _)| n == "FORMAL"));
    }

    /// `n` small modules, about 40 bytes of filler each line.
    fn many_modules(n: usize) -> String {
        let mut t = String::new();
        for i in 0..n {
            t.push_str(&format!(
                "module m{i}(input logic clk, input logic [7:0] a, output logic [7:0] q);\n  always_ff @(posedge clk) q <= a + 8'd{};\nendmodule\n",
                i % 200
            ));
        }
        t
    }

    #[test]
    fn split_points_cut_only_between_top_level_units() {
        let small = many_modules(10);
        assert_eq!(split_points(&small, 4), vec![0], "small files stay whole");
        let big = many_modules(2000);
        let cuts = split_points(&big, 4);
        assert!(cuts.len() >= 3, "{cuts:?}");
        for &c in &cuts[1..] {
            assert!(big[..c].ends_with("endmodule\n"), "cut at {c}");
            assert!(big[c..].starts_with("module "), "cut at {c}");
        }
        // Nothing to cut inside: an `ifdef region, a block comment, a macro
        // body, a nested module.
        for (open, close) in [
            ("`ifdef X\n", "`endif\n"),
            ("/*\n", "*/\n"),
            ("`define BODY \\\n", "\n"),
            ("module outer;\n", "endmodule\n"),
        ] {
            let inner = many_modules(2000);
            let mut t = String::from(open);
            if open.starts_with("`define") {
                t.push_str(&inner.replace('\n', " \\\n"));
                t.push_str("x\n");
            } else {
                t.push_str(&inner);
            }
            t.push_str(close);
            let cuts = split_points(&t, 4);
            assert_eq!(cuts, vec![0], "{open:?}: {cuts:?}");
        }
        let lines = format!("{}`__LINE__\n", many_modules(2000));
        assert_eq!(
            split_points(&lines, 4),
            vec![0],
            "`__LINE__ counts from the text start"
        );
    }

    #[test]
    fn pieces_of_a_large_file_keep_their_locations() {
        let d = tmpdir("pieces");
        let mut text = many_modules(2000);
        let good = text.clone();
        // A syntax error in the last module: reported at its own line.
        text.push_str("module bad;\n  assign x = 1 +;\nendmodule\n");
        let line = text.lines().count() - 1;
        let f = write(&d, "big.sv", &text);
        let opts = ParseOptions {
            files: vec![f],
            ..Default::default()
        };
        let (res, sm) = on_big_stack(move || {
            let mut sm = SourceMap::new();
            let r = parse_files(&opts, &mut sm).map(|v| v.len());
            (r, sm)
        });
        let err = res.expect_err("the syntax error is found");
        let shown = err.render(&sm, false);
        assert!(shown.contains(&format!("big.sv:{line}:16")), "{shown}");
        assert!(shown.contains("assign x = 1 +;"), "{shown}");
        // Without the error: several pieces, and a module of the last piece
        // lowers with spans in the right place of the file.
        let f = write(&d, "good.sv", &good);
        let opts = ParseOptions {
            files: vec![f],
            ..Default::default()
        };
        let (pieces, spans, sm) = on_big_stack(move || {
            let mut sm = SourceMap::new();
            let files = parse_files(&opts, &mut sm).unwrap();
            let n = files.len();
            let unit = crate::lower::lower(&files, &mut sm).unwrap();
            let spans: Vec<Span> = unit.modules.iter().map(|m| m.span).collect();
            (n, spans, sm)
        });
        assert!(pieces > 1, "a large file is cut into pieces");
        assert_eq!(spans.len(), 2000);
        for (i, sp) in spans.iter().enumerate() {
            let snippet = sm.snippet(*sp).unwrap_or("");
            assert!(
                snippet.starts_with(&format!("module m{i}(")),
                "module {i}: {snippet:?}"
            );
        }
    }
}
