//! `$readmemh` / `$readmemb`: memory contents from a text file.

use super::{err_readmem as err, Elaborator, ScopeId, Sym};
use crate::ast::{Expr, ExprKind};
use crate::bits::Bits;
use crate::diag::Result;
use crate::source::Span;
use num_bigint::BigUint;
use std::path::PathBuf;

impl<'a> Elaborator<'a> {
    /// `$readmemh("file", mem [, start [, end]])` in an initial block.
    pub(super) fn readmem(
        &mut self,
        scope: ScopeId,
        hex: bool,
        args: &[Expr],
        span: Span,
    ) -> Result<()> {
        let name = if hex { "$readmemh" } else { "$readmemb" };
        let file = match args.first().map(|a| &a.kind) {
            Some(ExprKind::String(s)) => s.clone(),
            _ => {
                return Err(err(
                    span,
                    format!("{name}: the first argument must be a file name in quotes"),
                ))
            }
        };
        let mem = match args.get(1).map(|a| &a.kind) {
            Some(ExprKind::Ident(sn)) => match self.lookup(scope, sn)? {
                Sym::Mem(m) => m,
                _ => {
                    return Err(err(
                        args[1].span,
                        format!(
                            "{name}: `{}` is not a memory (unpacked array)",
                            sn.name.name
                        ),
                    ))
                }
            },
            _ => {
                return Err(err(
                    span,
                    format!("{name}: the second argument must be a memory name"),
                ))
            }
        };
        let (left, right) = (
            self.net.mems[mem as usize].left,
            self.net.mems[mem as usize].right,
        );
        let low = left.min(right);
        let high = left.max(right);
        let start = match args.get(2) {
            Some(e) => self.const_int(scope, e)?,
            None => low,
        };
        let end = match args.get(3) {
            Some(e) => self.const_int(scope, e)?,
            None => high,
        };
        let path = self.find_data_file(&file, span).ok_or_else(|| {
            crate::diag::Diagnostic::error(
                crate::diag::Code::Readmem,
                span,
                format!("{name}: cannot find `{file}`"),
            )
            .with_note("looked next to the source file and in the working directory")
        })?;
        let text = std::fs::read_to_string(&path)
            .map_err(|e| err(span, format!("{name}: cannot read {}: {e}", path.display())))?;
        let w = self.net.mems[mem as usize].elem.width;
        let depth = self.net.mems[mem as usize].depth();
        let step: i64 = if end >= start { 1 } else { -1 };
        let mut addr = start;
        let mut words: Vec<(i64, Bits)> = Vec::new();
        for (lineno, tok) in tokens(&text) {
            if let Some(a) = tok.strip_prefix('@') {
                addr = i64::from_str_radix(a, 16).map_err(|_| {
                    err(
                        span,
                        format!("{}:{lineno}: bad address `{tok}`", path.display()),
                    )
                })?;
                continue;
            }
            let clean: String = tok.chars().filter(|c| *c != '_').collect();
            if clean.chars().any(|c| matches!(c, 'x' | 'X' | 'z' | 'Z')) {
                return Err(err(
                    span,
                    format!(
                        "{}:{lineno}: x/z value `{tok}` has no two-state meaning",
                        path.display()
                    ),
                ));
            }
            let v = BigUint::parse_bytes(clean.as_bytes(), if hex { 16 } else { 2 }).ok_or_else(
                || {
                    err(
                        span,
                        format!(
                            "{}:{lineno}: `{tok}` is not a {} number",
                            path.display(),
                            if hex { "hexadecimal" } else { "binary" }
                        ),
                    )
                },
            )?;
            if v.bits() > w as u64 {
                return Err(err(
                    span,
                    format!(
                        "{}:{lineno}: `{tok}` does not fit in {w} bits",
                        path.display()
                    ),
                ));
            }
            if addr < low || addr > high || (step > 0 && addr > end) || (step < 0 && addr < end) {
                return Err(err(
                    span,
                    format!(
                        "{}:{lineno}: address {addr} is outside the range being loaded",
                        path.display()
                    ),
                ));
            }
            words.push((addr, Bits::new(w, v)));
            addr += step;
        }
        let mv = &mut self.net.mems[mem as usize];
        let init = mv
            .init
            .get_or_insert_with(|| vec![Bits::zero(w); depth as usize]);
        for (a, b) in words {
            init[(a - low) as usize] = b;
        }
        Ok(())
    }

    fn find_data_file(&self, file: &str, span: Span) -> Option<PathBuf> {
        let p = PathBuf::from(file);
        if p.is_absolute() {
            return p.exists().then_some(p);
        }
        if let Some(src) = self.sources.get(span.file) {
            if let Some(dir) = src.path.parent() {
                let c = dir.join(&p);
                if c.exists() {
                    return Some(c);
                }
            }
        }
        p.exists().then_some(p)
    }
}

/// Words of a memory file with their line numbers, comments removed.
fn tokens(text: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let mut in_block = false;
    for (i, line) in text.lines().enumerate() {
        let mut rest = line;
        let mut kept = String::new();
        loop {
            if in_block {
                match rest.find("*/") {
                    Some(p) => {
                        rest = &rest[p + 2..];
                        in_block = false;
                    }
                    None => break,
                }
            } else {
                let lc = rest.find("//");
                let bc = rest.find("/*");
                match (lc, bc) {
                    (Some(l), Some(b)) if l < b => {
                        kept.push_str(&rest[..l]);
                        break;
                    }
                    (Some(l), None) => {
                        kept.push_str(&rest[..l]);
                        break;
                    }
                    (_, Some(b)) => {
                        kept.push_str(&rest[..b]);
                        kept.push(' ');
                        rest = &rest[b + 2..];
                        in_block = true;
                    }
                    (None, None) => {
                        kept.push_str(rest);
                        break;
                    }
                }
            }
        }
        out.extend(kept.split_whitespace().map(|t| (i + 1, t.to_string())));
    }
    out
}
