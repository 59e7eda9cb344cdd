//! Choosing the top module: `--top NAME`, the one module nobody
//! instantiates, or (`--lint`, [`ElabOptions::all_tops`]) each of several
//! such modules in turn (IEEE 1800-2017 3.11: every uninstantiated module
//! is a top).

use super::{elaborate_one, err_code, ElabOptions, Elaborated, Elaborator};
use crate::ast;
use crate::diag::{Code, Error, Result};
use crate::source::{SourceMap, Span};
use std::collections::HashSet;

impl<'a> Elaborator<'a> {
    /// The modules no other module (or `bind`) instantiates, in source order.
    pub(super) fn candidate_tops(&self) -> Vec<&'a ast::Module> {
        let mut instantiated = HashSet::new();
        fn walk<'b>(items: &'b [ast::Item], out: &mut HashSet<&'b str>) {
            for it in items {
                match it {
                    ast::Item::Instance(i) => {
                        out.insert(i.module.name.as_str());
                    }
                    ast::Item::GenFor(f) => walk(&f.block.items, out),
                    ast::Item::GenIf(i) => {
                        walk(&i.then.items, out);
                        if let Some(e) = &i.els {
                            walk(&e.items, out);
                        }
                    }
                    ast::Item::GenCase(c) => {
                        for (_, b) in &c.arms {
                            walk(&b.items, out);
                        }
                    }
                    ast::Item::GenBlock(b) => walk(&b.items, out),
                    _ => {}
                }
            }
        }
        for m in &self.unit.modules {
            walk(&m.items, &mut instantiated);
        }
        for b in &self.walk.binds {
            walk(&b.items, &mut instantiated);
        }
        self.unit
            .modules
            .iter()
            .filter(|m| !instantiated.contains(m.name.name.as_str()))
            .collect()
    }

    /// The top module: `--top`, or the one module nobody instantiates.
    pub(super) fn pick_top(&self, opts: &ElabOptions) -> Result<&'a ast::Module> {
        if let Some(t) = &opts.top {
            return self.find_module(t).ok_or_else(|| {
                let names: Vec<&str> = self
                    .unit
                    .modules
                    .iter()
                    .map(|m| m.name.name.as_str())
                    .collect();
                err_code(
                    Code::Top,
                    Span::NONE,
                    format!("--top {t}: no such module (modules: {})", names.join(", ")),
                )
            });
        }
        let tops = self.candidate_tops();
        match tops.as_slice() {
            [one] => Ok(one),
            [] if self.unit.modules.is_empty() => Err(err_code(
                Code::Top,
                Span::NONE,
                "no module found in the sources",
            )),
            [] => Err(err_code(
                Code::Top,
                Span::NONE,
                "every module is instantiated by another: give the top with --top NAME",
            )),
            many => {
                let names: Vec<&str> = many.iter().map(|m| m.name.name.as_str()).collect();
                Err(err_code(
                    Code::Top,
                    many[0].name.span,
                    format!(
                        "several modules could be the top ({}): simulation and formal \
                         run one design, choose its top with --top NAME (--lint checks \
                         every candidate)",
                        names.join(", ")
                    ),
                ))
            }
        }
    }
}

/// Elaborate each of `tops` on its own: all their errors (each once), or
/// the first design with the others in [`Elaborated::others`] and every
/// warning once.
pub(super) fn elaborate_each(
    unit: &ast::SourceUnit,
    opts: &ElabOptions,
    sources: &SourceMap,
    tops: &[&ast::Module],
) -> Result<Elaborated> {
    let mut done = Vec::new();
    let mut errors = Vec::new();
    for t in tops {
        let one = ElabOptions {
            top: Some(t.name.name.clone()),
            all_tops: false,
            ..opts.clone()
        };
        match elaborate_one(unit, &one, sources) {
            Ok(e) => done.push(e),
            Err(e) => {
                for d in e.diags {
                    if !errors.contains(&d) {
                        errors.push(d);
                    }
                }
            }
        }
    }
    if !errors.is_empty() {
        return Err(Error::many(errors));
    }
    let mut first = done.remove(0);
    for other in &mut done {
        for w in std::mem::take(&mut other.warnings) {
            if !first.warnings.contains(&w) {
                first.warnings.push(w);
            }
        }
    }
    first.others = done;
    Ok(first)
}
