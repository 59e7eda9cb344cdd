//! Forward typedefs (IEEE 1800-2017 6.18): `typedef s_t;` and
//! `typedef struct s_t;` only announce a type; the full `typedef` must be
//! in the same scope and, if a kind is given, of that kind.

use super::types::Shape;
use super::{err_code, Elaborator, ScopeId, Sym};
use crate::ast::{ForwardKind, Typedef};
use crate::diag::{Code, Result};

impl Elaborator<'_> {
    /// Check a forward typedef once the scope's typedefs are declared. A
    /// use of the name before its full typedef finds no type and is
    /// refused where it is.
    pub(super) fn check_forward_typedef(&mut self, scope: ScopeId, t: &Typedef) -> Result<()> {
        let name = &t.name.name;
        let Some(Sym::Type(ty)) = self.syms.scopes[scope].names.get(name) else {
            return Err(err_code(
                Code::UnknownName,
                t.name.span,
                format!("forward typedef `{name}` is not defined by a typedef in the same scope"),
            ));
        };
        let (ok, what) = match t.forward {
            Some(ForwardKind::Enum) => (matches!(ty.shape, Shape::Enum { .. }), "an enum"),
            Some(ForwardKind::Struct) => (
                matches!(&ty.shape, Shape::UStruct(_))
                    || matches!(&ty.shape, Shape::Struct(m) if m.len() == 1 || !is_union(m)),
                "a struct",
            ),
            Some(ForwardKind::Union) => (
                matches!(&ty.shape, Shape::Struct(m) if is_union(m)),
                "a union",
            ),
            Some(ForwardKind::Any) | None => (true, ""),
        };
        if !ok {
            return Err(err_code(
                Code::Elab,
                t.name.span,
                format!("forward typedef `{name}` promises {what}, but its typedef is not one"),
            ));
        }
        Ok(())
    }
}

/// A packed union's layout: every member at bit 0 (a one-member struct
/// has it too).
fn is_union(m: &[super::types::Member]) -> bool {
    m.iter().all(|x| x.lo == 0)
}
