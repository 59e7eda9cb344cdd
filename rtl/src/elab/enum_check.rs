//! The assignment compatibility of enums (IEEE 1800-2017 6.19.3, 6.19.4,
//! 6.22.3): a variable of an enum type is assigned only a value of the same
//! enum type (one of its constants, a variable, member, element, function
//! result or method result of that type, or a cast to it). Any other value,
//! an integer literal or an arithmetic result (`e = 1`, `e += 1`), is an
//! error without an explicit cast.

use super::expr::Env;
use super::types::{Shape, Ty};
use super::{err_code, Elaborator};
use crate::ast::{CastKind, Expr, ExprKind};
use crate::diag::{Code, Result};

impl Elaborator<'_> {
    /// Refuse `rhs` assigned to something of type `target` when `target`
    /// is an enum and `rhs` is not of that enum type.
    pub(super) fn check_enum_assign(
        &mut self,
        env: &mut Env,
        rhs: &Expr,
        target: &Ty,
    ) -> Result<()> {
        if !matches!(target.shape, Shape::Enum { .. }) {
            return Ok(());
        }
        if self.enum_type_of(env, rhs)?.as_ref() == Some(target) {
            return Ok(());
        }
        let names: Vec<&str> = target
            .enum_values()
            .map(|vs| vs.iter().map(|(n, _)| n.as_str()).take(4).collect())
            .unwrap_or_default();
        Err(err_code(
            Code::EnumAssign,
            rhs.span,
            format!(
                "a value that is not of the enum type ({}{}) is assigned to an enum variable: \
                 cast it (`type'(...)`) or use one of the enum's names",
                names.join(", "),
                if target.enum_values().is_some_and(|v| v.len() > 4) {
                    ", ..."
                } else {
                    ""
                }
            ),
        ))
    }

    /// The enum type of `e`, if its type is one.
    fn enum_type_of(&mut self, env: &mut Env, e: &Expr) -> Result<Option<Ty>> {
        let ty = match &e.kind {
            ExprKind::Ident(_)
            | ExprKind::Member(..)
            | ExprKind::Index(..)
            | ExprKind::Method(..) => self.sel_type(env, e)?,
            ExprKind::Call(name, args) => {
                if args.is_empty() {
                    // A bare name read as a call (see `call_as_ident`).
                    if !matches!(self.lookup(env.scope, name), Ok(super::Sym::Func(_))) {
                        let id = Expr {
                            kind: ExprKind::Ident(name.clone()),
                            span: e.span,
                        };
                        return self.enum_type_of(env, &id);
                    }
                }
                let f = self.func(env, name)?;
                let (fdecl, fscope) = self.syms.funcs[f.index];
                match &fdecl.ret {
                    Some(t) => self.resolve_type(fscope, t)?,
                    None => return Ok(None),
                }
            }
            // (`W'(x)` with a parameter `W` is a size cast: not a type.)
            ExprKind::Cast(CastKind::Type(t), _) => match self.resolve_type(env.scope, t) {
                Ok(t) => t,
                Err(_) => return Ok(None),
            },
            // A sampled value has the type of its expression (16.9.3).
            ExprKind::SysCall(name, args)
                if matches!(name.as_str(), "$past" | "$sampled") && !args.is_empty() =>
            {
                return self.enum_type_of(env, &args[0]);
            }
            // Both arms of the enum type: the result has it (11.4.11).
            ExprKind::Cond(_, a, b) => {
                let ta = self.enum_type_of(env, a)?;
                return Ok(if ta.is_some() && ta == self.enum_type_of(env, b)? {
                    ta
                } else {
                    None
                });
            }
            _ => return Ok(None),
        };
        Ok(matches!(ty.shape, Shape::Enum { .. }).then_some(ty))
    }
}
