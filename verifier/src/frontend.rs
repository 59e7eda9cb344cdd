//! From flags to an elaborated design, with diagnostics printed.

use crate::cli::RunArgs;
use crate::Reported;
use rtl::diag::Code;
use rtl::elab::{ElabOptions, Elaborated};
use rtl::parse::{self, ParseOptions};
use rtl::{Diagnostic, SourceMap, Span};

/// The design and the sources it came from.
pub struct Loaded {
    pub sources: SourceMap,
    pub elab: Elaborated,
    pub times: Vec<(&'static str, std::time::Duration)>,
}

pub fn options(args: &RunArgs) -> Result<rtl::FrontendOptions, Diagnostic> {
    let mut p = ParseOptions {
        files: args.files.clone(),
        include_dirs: args.include.clone(),
        defines: args.define.iter().map(|d| parse::split_define(d)).collect(),
        undefines: args.undefine.clone(),
    };
    for f in &args.file_list {
        parse::read_file_list(f, &mut p, 0).map_err(first)?;
    }
    for f in &args.file_list_rel {
        parse::read_file_list_relative(f, &mut p).map_err(first)?;
    }
    let mut params = Vec::new();
    for g in &args.param {
        match g.split_once('=') {
            Some((n, v)) if !n.is_empty() => params.push((n.to_string(), v.to_string())),
            _ => {
                return Err(Diagnostic::error(
                    Code::Input,
                    Span::NONE,
                    format!("-G {g}: expected NAME=VALUE"),
                ));
            }
        }
    }
    Ok(rtl::FrontendOptions {
        parse: p,
        elab: ElabOptions {
            top: args.top.clone(),
            params,
            global_clock: args.multiclock,
            // `--lint` checks every candidate top; the engines need one.
            all_tops: matches!(args.run_mode(), Ok(crate::cli::RunMode::Lint)),
        },
    })
}

fn first(e: rtl::Error) -> Diagnostic {
    e.diags
        .into_iter()
        .next()
        .unwrap_or_else(|| Diagnostic::error(Code::Input, Span::NONE, "error"))
}

/// Parse and elaborate; print warnings; on errors print them and return `Reported`.
pub fn load(args: &RunArgs, color: bool) -> Result<Loaded, Reported> {
    let opts = match options(args) {
        Ok(o) => o,
        Err(d) => {
            eprint!("{}", d.render(&SourceMap::new(), color));
            return Err(Reported);
        }
    };
    let compiled = rtl::compile(&opts);
    let mut times = compiled.times;
    match compiled.result {
        Ok(mut elab) => {
            // Both engines run on the optimised IR (folding, hashing, dead code).
            let t = std::time::Instant::now();
            elab.design = rtl::passes::optimize(&elab.design);
            for o in &mut elab.others {
                o.design = rtl::passes::optimize(&o.design);
            }
            times.push(("optimize", t.elapsed()));
            for w in &elab.warnings {
                eprint!("{}", w.render(&compiled.sources, color));
            }
            Ok(Loaded {
                sources: compiled.sources,
                elab,
                times,
            })
        }
        Err(e) => {
            eprint!("{}", e.render(&compiled.sources, color));
            Err(Reported)
        }
    }
}
