//! `rtl`: the SystemVerilog front end of verify.
//!
//! Data flows one way: files → [`parse`] (sv-parser, preprocessing, located
//! errors) → [`lower`] (sv-parser CST → [`ast`]) → [`elab`] (→ [`ir::Design`])
//! → [`passes`] (constant folding, structural hashing, cone of influence).
//!
//! The IR, its passes, source spans and the trace format live in the `ir`
//! crate (the engines depend on it alone); they are re-exported here under
//! their old paths (`rtl::ir`, `rtl::bits`, `rtl::passes`, ...).

// Proving sv-parser's syntax tree `Send` (parsed on worker threads) recurses
// through its deeply nested node types.
#![recursion_limit = "512"]

pub mod ast;
pub mod diag;
pub mod elab;
pub mod lower;
pub mod parse;

pub use ::ir::netlist as ir;
pub use ::ir::{bits, builder, passes, source, trace};

pub use bits::Bits;
pub use diag::{Diagnostic, Error, Result, Severity};
pub use ir::Design;
pub use source::{FileId, Location, SourceMap, Span};

use std::path::PathBuf;

/// Parse and lower every file: the front half of the front end.
///
/// Runs on a thread with a large stack (deep expressions recurse), and
/// returns the source map whatever happens so errors can be rendered.
pub fn load(opts: &parse::ParseOptions) -> (SourceMap, Result<ast::SourceUnit>) {
    let opts = opts.clone();
    parse::on_big_stack(move || {
        let mut sources = SourceMap::new();
        let result = parse::parse_files(&opts, &mut sources).and_then(|files| {
            let unit = lower::lower(&files, &mut sources);
            // Dropping a deep tree recurses too: do it here, on the big stack.
            drop(files);
            unit
        });
        (sources, result)
    })
}

/// Load one SystemVerilog text (tests and examples): writes it to a
/// temporary file so that locations point at a real file.
pub fn load_text(name: &str, text: &str) -> (SourceMap, Result<ast::SourceUnit>) {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static COUNTER: AtomicUsize = AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!(
        "verify-text-{}-{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    ));
    let path: PathBuf = dir.join(name);
    if let Err(e) = std::fs::create_dir_all(&dir).and_then(|_| std::fs::write(&path, text)) {
        let d = Diagnostic::error(
            diag::Code::Input,
            Span::NONE,
            format!("cannot write {}: {e}", path.display()),
        );
        return (SourceMap::new(), Err(d.into()));
    }
    let out = load(&parse::ParseOptions {
        files: vec![path],
        ..Default::default()
    });
    let _ = std::fs::remove_dir_all(&dir);
    out
}

/// Everything the front end needs to turn files into a design.
#[derive(Clone, Debug, Default)]
pub struct FrontendOptions {
    pub parse: parse::ParseOptions,
    pub elab: elab::ElabOptions,
}

/// The result of [`compile`]: the sources (for rendering diagnostics) and
/// the design or the errors.
pub struct Compiled {
    pub sources: SourceMap,
    pub result: Result<elab::Elaborated>,
    /// Wall time of each phase that ran: parse, lower, elaborate.
    pub times: Vec<(&'static str, std::time::Duration)>,
}

/// Parse, lower and elaborate, on a thread with a large stack.
pub fn compile(opts: &FrontendOptions) -> Compiled {
    let opts = opts.clone();
    parse::on_big_stack(move || {
        use std::time::Instant;
        let mut sources = SourceMap::new();
        let mut times = Vec::new();
        let t = Instant::now();
        let parsed = parse::parse_files(&opts.parse, &mut sources);
        times.push(("parse", t.elapsed()));
        let result = parsed.and_then(|files| {
            let t = Instant::now();
            let unit = lower::lower(&files, &mut sources);
            drop(files);
            times.push(("lower", t.elapsed()));
            let unit = unit?;
            let t = Instant::now();
            let r = elab::elaborate(&unit, &opts.elab, &sources);
            times.push(("elaborate", t.elapsed()));
            drop(unit);
            r
        });
        Compiled {
            sources,
            result,
            times,
        }
    })
}

/// [`compile`] one SystemVerilog text (tests and examples).
pub fn compile_text(name: &str, text: &str, elab: elab::ElabOptions) -> Compiled {
    let (sources, unit) = load_text(name, text);
    match unit {
        Err(e) => Compiled {
            sources,
            result: Err(e),
            times: Vec::new(),
        },
        Ok(unit) => parse::on_big_stack(move || {
            let result = elab::elaborate(&unit, &elab, &sources);
            Compiled {
                sources,
                result,
                times: Vec::new(),
            }
        }),
    }
}
