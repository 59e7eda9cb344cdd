//! Streaming concatenation `{<< N {a, b}}` (IEEE 1800 11.4.14) on packed
//! operands: a fixed permutation of the operands' bits.

use super::expr::Env;
use super::graph::Gid;
use super::{err_stream as err, Elaborator};
use crate::ast::{Expr, ExprKind};
use crate::diag::Result;
use crate::source::Span;

impl Elaborator<'_> {
    /// The width of the stream (the operands' total width).
    pub(super) fn stream_width(
        &mut self,
        env: &mut Env,
        items: &[Expr],
        span: Span,
    ) -> Result<u32> {
        let mut w = 0u32;
        for it in items {
            if self.is_unpacked_value(env, it)? {
                return Err(unpacked_operand(it));
            }
            w += self.self_type(env, it)?.0;
        }
        if w == 0 {
            return Err(err(span, "empty streaming concatenation"));
        }
        Ok(w)
    }

    /// The stream's bits. `>>` keeps the operands' order; `<<` reverses
    /// the order of the slices, cut from the least significant end so that
    /// a short slice, if any, is the top of the source (the LRM's
    /// `{<< 4 {6'b11_0101}}` is `6'b0101_11`).
    pub(super) fn stream_value(
        &mut self,
        env: &mut Env,
        left: bool,
        slice: Option<&Expr>,
        items: &[Expr],
        span: Span,
    ) -> Result<Gid> {
        let mut parts = Vec::new();
        for it in items {
            if self.is_unpacked_value(env, it)? {
                return Err(unpacked_operand(it));
            }
            // A stream may stand inside a stream (`{<< 2 {{<< {x}}}}`).
            if let ExprKind::Stream { left, slice, items } = &it.kind {
                parts.push(self.stream_value(env, *left, slice.as_deref(), items, it.span)?);
                continue;
            }
            let (w, s) = self.self_type(env, it)?;
            parts.push(self.gen(env, it, w, s)?);
        }
        if parts.is_empty() {
            return Err(err(span, "empty streaming concatenation"));
        }
        let stream = self.g.concat(parts);
        let width = self.g.width(stream);
        let n = match slice {
            None => 1,
            Some(Expr {
                kind: ExprKind::Type(t),
                ..
            }) => self.resolve_type(env.scope, t)?.width,
            Some(e) => {
                let n = self.env_const_int(env, e)?;
                if n <= 0 {
                    return Err(err(
                        e.span,
                        "the slice size of a streaming concatenation must be positive",
                    ));
                }
                n.min(i64::from(u32::MAX)) as u32
            }
        };
        if !left || n >= width {
            return Ok(stream);
        }
        let mut chunks = Vec::new();
        let mut lo = 0;
        while lo < width {
            let w = n.min(width - lo);
            chunks.push(self.g.slice(stream, lo, w));
            lo += w;
        }
        // The least significant slice becomes the most significant.
        Ok(self.g.concat(chunks))
    }

    /// A stream assigned to a target of `tw` bits: left-aligned, padded
    /// with zeros on the right; a stream wider than the target is an error.
    pub(super) fn stream_to(&mut self, env: &mut Env, e: &Expr, tw: u32) -> Result<Option<Gid>> {
        let ExprKind::Stream { left, slice, items } = &e.kind else {
            return Ok(None);
        };
        let g = self.stream_value(env, *left, slice.as_deref(), items, e.span)?;
        let sw = self.g.width(g);
        if sw > tw {
            return Err(err(
                e.span,
                format!("the stream has {sw} bits, more than the {tw} bits of its target (IEEE 1800 11.4.14)"),
            ));
        }
        if sw == tw {
            return Ok(Some(g));
        }
        let pad = self.g.zero(tw - sw);
        Ok(Some(self.g.concat(vec![g, pad])))
    }
}

fn unpacked_operand(e: &Expr) -> crate::diag::Error {
    err(
        e.span,
        "unsupported construct: an unpacked operand in a streaming concatenation",
    )
}
