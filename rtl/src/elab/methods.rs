//! Built-in methods of values: the enum methods of IEEE 1800 6.19.5
//! (`first`, `last`, `next(N)`, `prev(N)`, `num`). `name()` returns a
//! string, which verify does not model: refused.

use super::expr::Env;
use super::graph::Gid;
use super::types::{Shape, Ty};
use super::{err_code, Elaborator};
use crate::ast::{Expr, Ident};
use crate::bits::Bits;
use crate::diag::{Code, Result};
use crate::source::Span;

impl Elaborator<'_> {
    /// The type of `root.name(args)`.
    pub(super) fn method_type(
        &mut self,
        env: &mut Env,
        root: &Expr,
        name: &Ident,
        span: Span,
    ) -> Result<Ty> {
        let rt = self.sel_type(env, root)?;
        self.method_result(rt, name, span)
    }

    /// The type `name()` gives on a value of type `rt` (an enum).
    fn method_result(&mut self, rt: Ty, name: &Ident, span: Span) -> Result<Ty> {
        if !matches!(rt.shape, Shape::Enum { .. }) {
            return Err(err_code(Code::ElabUnsupported,
                span,
                format!(
                    "unsupported construct: method `.{}()` on a value that is not an enum (only enum methods are supported)",
                    name.name
                ),
            ));
        }
        match name.name.as_str() {
            "first" | "last" | "next" | "prev" => Ok(rt),
            "num" => Ok(Ty::vector(32, true)),
            "name" => Err(err_code(Code::ElabUnsupported,
                span,
                "unsupported construct: enum method `.name()` (it returns a string, and the string type is not supported)",
            )),
            other => Err(err_code(Code::Call,
                name.span,
                format!("`{other}` is not an enum method (first, last, next, prev, num, name)"),
            )),
        }
    }

    /// `root.name(args)` at width `w`.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn gen_method(
        &mut self,
        env: &mut Env,
        root: &Expr,
        name: &Ident,
        args: &[Expr],
        w: u32,
        s: bool,
        span: Span,
    ) -> Result<Gid> {
        let ety = self.sel_type(env, root)?;
        let rt = self.method_result(ety.clone(), name, span)?;
        let Shape::Enum {
            values, two_state, ..
        } = &ety.shape
        else {
            unreachable!("method_result accepts enums only");
        };
        let (values, two_state) = (values.clone(), *two_state);
        let ew = ety.width;
        let steps = match (name.name.as_str(), args) {
            ("next" | "prev", []) => 1,
            ("next" | "prev", [n]) => {
                let n = self.env_const_int(env, n)?;
                if n < 0 {
                    return Err(err_code(
                        Code::Call,
                        args[0].span,
                        "the step of next()/prev() must not be negative",
                    ));
                }
                n as usize
            }
            (_, []) => 0,
            (m, _) => {
                return Err(err_code(
                    Code::Call,
                    args[0].span,
                    format!("enum method `{m}()` takes no arguments"),
                ))
            }
        };
        let len = values.len();
        let r = match name.name.as_str() {
            "first" => self.g.konst(values[0].1.clone()),
            "last" => self.g.konst(values[len - 1].1.clone()),
            "num" => self.g.konst(Bits::from_u64(32, len as u64)),
            m => {
                let v = self.gen(env, root, ew, ety.signed)?;
                // A value that is no member gives the base type's default:
                // 0 for a two-state base, x (a free value) for a four-state one.
                let mut acc = if two_state {
                    self.g.zero(ew)
                } else {
                    self.all_x(env, ew, span)?
                };
                for (i, (_, val)) in values.iter().enumerate() {
                    let j = if m == "next" {
                        (i + steps) % len
                    } else {
                        (i + len - steps % len) % len
                    };
                    let k = self.g.konst(val.clone());
                    let hit = self.g.eq(v, k);
                    let to = self.g.konst(values[j].1.clone());
                    acc = self.g.mux(hit, to, acc, span);
                }
                acc
            }
        };
        Ok(self.g.resize(r, w, s && rt.signed))
    }
}
