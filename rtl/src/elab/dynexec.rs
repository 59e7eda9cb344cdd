//! The elaborator's side of the testbench data types (`dynval`): variables
//! of type `string`, `real`/`shortreal`/`realtime`, queues, dynamic and
//! associative arrays hold concrete values beside the symbolic frame.
//!
//! Expressions are classified ([`Class`]): a plain integral expression is
//! built as a graph as always; one whose value is dynamic, or whose
//! integral value is computed from dynamic ones (`s.len()`, `q[0]`,
//! `$rtoi(r)`, `s == "x"`), is evaluated concretely here, and its integral
//! operands must fold to constants. A result that leaves as an integral
//! becomes a constant node.
//!
//! Sound boundaries, each refused with [`Code::DynamicValue`] at the
//! construct: a dynamic module variable is written only by `initial`
//! blocks (and the functions they call), on paths whose condition is
//! known at elaboration; design logic may read one (it is a constant after
//! time 0) but not before an `initial` block writes it in elaboration
//! order; a value that depends on design state, an x element or text the
//! standard does not define never reaches the design.

use super::dynval::{self as dv, Key, KeyT, DT, DV};
use super::expr::Env;
use super::graph::Gid;
use super::proc::{LocalId, ProcKind};
use super::types::Ty;
use super::{err_code, Elaborator, ScopeId, Sym};
use crate::ast::{self, BinaryOp, CastKind, Dim, Expr, ExprKind, Stmt, TypeKind, UnaryOp};
use crate::bits::Bits;
use crate::diag::{Code, Result};
use crate::source::Span;
use std::collections::BTreeMap;

/// A dynamic module variable (or a `real`/`string` parameter).
pub(super) struct DynVar {
    pub name: String,
    pub ty: DT,
    pub val: DV,
    pub span: Span,
    /// A parameter: never written.
    pub is_const: bool,
    /// Where design logic (an `always`, an `assign`) first read it.
    pub read_by_logic: Option<Span>,
}

/// The dynamic module variables and the evaluation context.
#[derive(Default)]
pub(super) struct DynState {
    pub vars: Vec<DynVar>,
    /// The value of `$` in the queue indices being evaluated, innermost last.
    dollar: Vec<i64>,
    /// The element index of the `with` clauses being evaluated (`item.index`).
    with_index: Vec<i64>,
    /// Inside a variable's declaration initialiser (run before any process:
    /// the variables read hold their declared values).
    pub var_init: u32,
}

/// How an expression is evaluated.
#[derive(Clone, Debug, PartialEq)]
pub(super) enum Class {
    /// An integral expression built as a graph.
    Plain,
    /// An integral value computed from dynamic ones.
    Rooted,
    /// A dynamic value of this type.
    Dyn(DT),
    /// A dynamic value whose type comes from where it is assigned
    /// (`new[n]`, `{}`, `{q, 1}`).
    Untyped,
}

/// Where a dynamic value is stored.
#[derive(Clone, Copy, Debug)]
enum Slot {
    Global(u32),
    Local(LocalId),
}

fn dyn_err(span: Span, msg: impl Into<String>) -> crate::diag::Error {
    err_code(Code::DynamicValue, span, msg)
}

fn is_dyn_kind(k: &TypeKind) -> bool {
    matches!(k, TypeKind::String | TypeKind::Real | TypeKind::ShortReal)
}

/// Methods that change their object.
fn mutating(name: &str) -> bool {
    matches!(
        name,
        "putc"
            | "itoa"
            | "hextoa"
            | "octtoa"
            | "bintoa"
            | "realtoa"
            | "push_back"
            | "push_front"
            | "pop_back"
            | "pop_front"
            | "insert"
            | "delete"
            | "sort"
            | "rsort"
            | "reverse"
            | "shuffle"
    )
}

impl<'a> Elaborator<'a> {
    // ------------------------------------------------------------ types

    /// The dynamic type of a declaration, or `None` for an ordinary one.
    pub(super) fn dyn_decl_type(
        &mut self,
        scope: ScopeId,
        ty: &ast::DataType,
        unpacked: &[Dim],
    ) -> Result<Option<DT>> {
        let dyn_dims = unpacked
            .iter()
            .any(|d| matches!(d, Dim::Dynamic | Dim::Queue(_) | Dim::Assoc(_)));
        if !is_dyn_kind(&ty.kind) && !dyn_dims {
            return Ok(None);
        }
        let mut t = self.dyn_base_type(scope, ty)?;
        for d in unpacked.iter().rev() {
            t = match d {
                Dim::Dynamic => DT::Dyn(Box::new(t)),
                Dim::Queue(None) => DT::Queue {
                    elem: Box::new(t),
                    bound: None,
                },
                Dim::Queue(Some(e)) => {
                    let n = self.const_int(scope, e)?;
                    if n < 0 {
                        return Err(dyn_err(e.span, "a queue bound must not be negative"));
                    }
                    DT::Queue {
                        elem: Box::new(t),
                        bound: Some(n as u64),
                    }
                }
                Dim::Assoc(None) => DT::Assoc {
                    elem: Box::new(t),
                    key: KeyT::Wild,
                },
                Dim::Assoc(Some(k)) => {
                    let key = if matches!(k.kind, TypeKind::String) {
                        KeyT::Str
                    } else if is_dyn_kind(&k.kind) {
                        return Err(dyn_err(
                            k.span,
                            "an associative array indexed by a real is not supported",
                        ));
                    } else {
                        KeyT::Int(self.resolve_type(scope, k)?)
                    };
                    DT::Assoc {
                        elem: Box::new(t),
                        key,
                    }
                }
                Dim::Range(..) | Dim::Size(_) => {
                    let (left, right) = self.unpacked_range(scope, d, ty.span)?;
                    if (left - right).unsigned_abs() > 1 << 20 {
                        return Err(dyn_err(ty.span, "array too large"));
                    }
                    DT::Fixed {
                        elem: Box::new(t),
                        left,
                        right,
                    }
                }
            };
        }
        Ok(Some(t))
    }

    fn dyn_base_type(&mut self, scope: ScopeId, ty: &ast::DataType) -> Result<DT> {
        Ok(match ty.kind {
            TypeKind::String => DT::Str,
            TypeKind::Real => DT::Real,
            TypeKind::ShortReal => DT::ShortReal,
            _ => {
                let four_state = match &ty.kind {
                    TypeKind::Bit
                    | TypeKind::Byte
                    | TypeKind::ShortInt
                    | TypeKind::Int
                    | TypeKind::LongInt => false,
                    TypeKind::Named(_) => !matches!(
                        self.resolve_type(scope, ty)?.shape,
                        super::types::Shape::Enum {
                            two_state: true,
                            ..
                        }
                    ),
                    _ => true,
                };
                DT::Int {
                    ty: self.resolve_type(scope, ty)?,
                    four_state,
                }
            }
        })
    }

    // ------------------------------------------------------------ declarations

    /// A module-level variable of a dynamic type.
    pub(super) fn declare_dyn_var(
        &mut self,
        scope: ScopeId,
        v: &ast::VarDecl,
        ty: DT,
    ) -> Result<()> {
        if !v.is_var {
            return Err(dyn_err(
                v.span,
                format!(
                    "net `{}` of a {} type: only variables may have this type",
                    v.name.name,
                    ty.describe()
                ),
            ));
        }
        if v.free.is_some() {
            return Err(dyn_err(
                v.span,
                format!(
                    "`{}`: `anyconst`/`anyseq` on a {}",
                    v.name.name,
                    ty.describe()
                ),
            ));
        }
        let val = match &v.init {
            Some(e) => {
                // Declaration initialisers run before any process (they read
                // the declared values of other variables).
                let mut env = Env::cont(scope);
                self.walk.const_depth += 1;
                self.dynv.var_init += 1;
                let r = self.dyn_eval_to(&mut env, e, &ty);
                self.dynv.var_init -= 1;
                self.walk.const_depth -= 1;
                r?
            }
            None => ty.default_value(),
        };
        let name = format!("{}.{}", self.syms.scopes[scope].prefix, v.name.name);
        self.dynv.vars.push(DynVar {
            name,
            ty,
            val,
            span: v.name.span,
            is_const: v.is_const,
            read_by_logic: None,
        });
        let id = self.dynv.vars.len() as u32 - 1;
        self.syms.scopes[scope]
            .names
            .insert(v.name.name.clone(), Sym::Dyn(id));
        Ok(())
    }

    /// A `real`/`shortreal`/`string` parameter, or one without a type whose
    /// value is real; `Ok(false)` when `p` is an ordinary parameter.
    pub(super) fn dyn_param(
        &mut self,
        scope: ScopeId,
        p: &ast::ParamDecl,
        overridden: bool,
    ) -> Result<bool> {
        let ty = if is_dyn_kind(&p.ty.kind) {
            self.dyn_base_type(scope, &p.ty)?
        } else if matches!(p.ty.kind, TypeKind::Implicit)
            && p.ty.packed.is_empty()
            && p.ty.signed.is_none()
        {
            match &p.value {
                Some(e) => {
                    let env = Env::cont(scope);
                    match self.dyn_class(&env, e)? {
                        Class::Dyn(DT::Real | DT::ShortReal) => DT::Real,
                        _ => return Ok(false),
                    }
                }
                None => return Ok(false),
            }
        } else {
            return Ok(false);
        };
        if overridden {
            return Err(dyn_err(
                p.span,
                format!(
                    "parameter `{}` of type {} is given a value by an instance: not supported",
                    p.name.name,
                    ty.describe()
                ),
            ));
        }
        let e = p.value.as_ref().ok_or_else(|| {
            err_code(
                Code::Param,
                p.span,
                format!(
                    "parameter `{}` has no value and none was given",
                    p.name.name
                ),
            )
        })?;
        let mut env = Env::cont(scope);
        self.walk.const_depth += 1;
        let r = self.dyn_eval_to(&mut env, e, &ty);
        self.walk.const_depth -= 1;
        let val = r?;
        let name = format!("{}.{}", self.syms.scopes[scope].prefix, p.name.name);
        self.dynv.vars.push(DynVar {
            name,
            ty,
            val,
            span: p.name.span,
            is_const: true,
            read_by_logic: None,
        });
        let id = self.dynv.vars.len() as u32 - 1;
        self.syms.scopes[scope]
            .names
            .insert(p.name.name.clone(), Sym::Dyn(id));
        Ok(true)
    }

    /// A local of a dynamic type in procedural code; `Ok(false)` for an
    /// ordinary one.
    pub(super) fn dyn_declare_local(&mut self, env: &mut Env, d: &ast::VarDecl) -> Result<bool> {
        let Some(ty) = self.dyn_decl_type(env.scope, &d.ty, &d.unpacked)? else {
            return Ok(false);
        };
        let val = match &d.init {
            Some(e) => self.dyn_eval_to(env, e, &ty)?,
            None => ty.default_value(),
        };
        let zero = self.g.zero(1);
        let id = self.new_local(env, &d.name.name, Ty::bit(false), zero);
        if let Some(f) = env.frame.as_mut() {
            f.dyn_locals.insert(id, (ty, val));
        }
        Ok(true)
    }

    // ------------------------------------------------------------ classification

    fn slot_of(&self, env: &Env, sn: &ast::ScopedName) -> Option<(Slot, DT)> {
        // Most designs have no dynamic variables: no name lookups then.
        let no_locals = env.frame.as_ref().is_none_or(|f| f.dyn_locals.is_empty());
        if no_locals && self.dynv.vars.is_empty() {
            return None;
        }
        if sn.package.is_none() {
            if let Some(f) = &env.frame {
                if let Some((id, _)) = f.find_local(&sn.name.name) {
                    return f
                        .dyn_locals
                        .get(&id)
                        .map(|(t, _)| (Slot::Local(id), t.clone()));
                }
            }
        }
        match self.lookup(env.scope, sn) {
            Ok(Sym::Dyn(id)) => Some((Slot::Global(id), self.dynv.vars[id as usize].ty.clone())),
            _ => None,
        }
    }

    /// How `e` is evaluated (see [`Class`]).
    pub(super) fn dyn_class(&mut self, env: &Env, e: &Expr) -> Result<Class> {
        use Class::*;
        Ok(match &e.kind {
            ExprKind::Real(_) => Dyn(DT::Real),
            ExprKind::Dollar => Rooted,
            ExprKind::New { .. } => Untyped,
            ExprKind::Ident(sn) => match self.slot_of(env, sn) {
                Some((_, t)) => Dyn(t),
                None => Plain,
            },
            ExprKind::Index(b, i) => match self.dyn_class(env, b)? {
                Dyn(DT::Str) => Rooted,
                Dyn(t) => match t.elem() {
                    Some(DT::Int { .. }) => Rooted,
                    Some(el) => Dyn(el.clone()),
                    None => Rooted,
                },
                Untyped | Rooted => Rooted,
                Plain => match self.dyn_class(env, i)? {
                    Dyn(_) | Untyped => Rooted,
                    _ => Plain,
                },
            },
            ExprKind::Range(b, _, _) => match self.dyn_class(env, b)? {
                Dyn(t) if t.is_array() => match t.elem() {
                    Some(el) => Dyn(DT::Queue {
                        elem: Box::new(el.clone()),
                        bound: None,
                    }),
                    None => Rooted,
                },
                Plain => Plain,
                _ => Rooted,
            },
            ExprKind::Member(base, m)
                if !self.dynv.with_index.is_empty() && m.name == "index" && is_item(base) =>
            {
                Rooted
            }
            ExprKind::Member(base, m) => match self.dyn_class(env, base)? {
                Plain => Plain,
                // `q.size`, `b.sum`: a method called without parentheses.
                Dyn(_) => self.dyn_class(env, &as_method(base, m, e.span))?,
                _ => Rooted,
            },
            ExprKind::IndexedRange { base, .. } => match self.dyn_class(env, base)? {
                Plain => Plain,
                _ => Rooted,
            },
            ExprKind::Unary(op, x) => match self.dyn_class(env, x)? {
                Dyn(DT::Real | DT::ShortReal) if matches!(op, UnaryOp::Minus | UnaryOp::Plus) => {
                    Dyn(DT::Real)
                }
                Dyn(_) | Untyped => Rooted,
                _ => Plain,
            },
            ExprKind::Binary(op, a, b) => {
                let (ca, cb) = (self.dyn_class(env, a)?, self.dyn_class(env, b)?);
                let real = |c: &Class| matches!(c, Dyn(DT::Real | DT::ShortReal));
                let other = |c: &Class| matches!(c, Dyn(_) | Untyped);
                if (real(&ca) || real(&cb))
                    && matches!(
                        op,
                        BinaryOp::Add
                            | BinaryOp::Sub
                            | BinaryOp::Mul
                            | BinaryOp::Div
                            | BinaryOp::Pow
                    )
                {
                    Dyn(DT::Real)
                } else if other(&ca) || other(&cb) {
                    Rooted
                } else {
                    Plain
                }
            }
            ExprKind::Cond(c, a, b) => {
                let (ca, cb) = (self.dyn_class(env, a)?, self.dyn_class(env, b)?);
                match (&ca, &cb) {
                    (Dyn(DT::Real | DT::ShortReal), _) | (_, Dyn(DT::Real | DT::ShortReal)) => {
                        Dyn(DT::Real)
                    }
                    (Dyn(t), _) | (_, Dyn(t)) => Dyn(t.clone()),
                    (Untyped, _) | (_, Untyped) => Untyped,
                    _ => match self.dyn_class(env, c)? {
                        Dyn(_) | Untyped => Rooted,
                        _ => Plain,
                    },
                }
            }
            ExprKind::Concat(parts) => {
                if parts.is_empty() {
                    return Ok(Untyped);
                }
                let mut out = Plain;
                for p in parts {
                    match self.dyn_class(env, p)? {
                        Dyn(DT::Str) if out == Plain => out = Dyn(DT::Str),
                        Dyn(DT::Str) => {}
                        Dyn(_) | Untyped => out = Untyped,
                        _ => {}
                    }
                }
                out
            }
            ExprKind::Repl(_, parts) => {
                let mut out = Plain;
                for p in parts {
                    match self.dyn_class(env, p)? {
                        Dyn(DT::Str) => out = Dyn(DT::Str),
                        Dyn(_) | Untyped => out = Untyped,
                        _ => {}
                    }
                }
                out
            }
            ExprKind::SysCall(name, args) => match name.as_str() {
                "$itor" | "$bitstoreal" | "$bitstoshortreal" => Dyn(DT::Real),
                n if dv::math_arity(n).is_some() => {
                    // `$clog2`-like integer use of math functions does not
                    // exist: these are real functions (20.8).
                    Dyn(DT::Real)
                }
                "$rtoi" | "$realtobits" | "$shortrealtobits" => Rooted,
                "$sformatf" | "$psprintf" => Dyn(DT::Str),
                _ => {
                    let mut out = Plain;
                    for a in args {
                        if matches!(self.dyn_class(env, a)?, Dyn(_) | Untyped) {
                            out = Rooted;
                        }
                    }
                    out
                }
            },
            ExprKind::Method(root, name, _) => match self.dyn_class(env, root)? {
                Dyn(DT::Str) => match name.name.as_str() {
                    "toupper" | "tolower" | "substr" => Dyn(DT::Str),
                    "atoreal" => Dyn(DT::Real),
                    _ => Rooted,
                },
                Dyn(t) if t.is_array() => {
                    let el = t.elem().cloned().unwrap_or(DT::Str);
                    match name.name.as_str() {
                        "pop_front" | "pop_back" => match el {
                            DT::Int { .. } => Rooted,
                            el => Dyn(el),
                        },
                        "min" | "max" | "unique" | "find with" | "find_first with"
                        | "find_last with" => Dyn(DT::Queue {
                            elem: Box::new(el),
                            bound: None,
                        }),
                        "unique_index"
                        | "find_index with"
                        | "find_first_index with"
                        | "find_last_index with"
                            if !matches!(t, DT::Assoc { .. }) =>
                        {
                            Dyn(DT::Queue {
                                elem: Box::new(DT::Int {
                                    ty: Ty::vector(32, true),
                                    four_state: false,
                                }),
                                bound: None,
                            })
                        }
                        _ => Rooted,
                    }
                }
                Dyn(_) | Untyped | Rooted => Rooted,
                Plain => Plain,
            },
            ExprKind::Cast(kind, x) => match kind {
                CastKind::Type(t) if matches!(t.kind, TypeKind::String) => Dyn(DT::Str),
                CastKind::Type(t) if matches!(t.kind, TypeKind::Real) => Dyn(DT::Real),
                CastKind::Type(t) if matches!(t.kind, TypeKind::ShortReal) => Dyn(DT::ShortReal),
                _ => match self.dyn_class(env, x)? {
                    Dyn(_) | Untyped => Rooted,
                    _ => Plain,
                },
            },
            ExprKind::Inside(x, items) => {
                let mut out = match self.dyn_class(env, x)? {
                    Dyn(_) | Untyped => Rooted,
                    _ => Plain,
                };
                for it in items {
                    let es: Vec<&Expr> = match it {
                        ast::InsideItem::Value(e) => vec![e],
                        ast::InsideItem::Range(a, b) => vec![a, b],
                    };
                    for e in es {
                        if matches!(self.dyn_class(env, e)?, Dyn(_) | Untyped) {
                            out = Rooted;
                        }
                    }
                }
                out
            }
            ExprKind::Call(..)
            | ExprKind::Number(_)
            | ExprKind::Unbased(_)
            | ExprKind::String(_)
            | ExprKind::Stream { .. }
            | ExprKind::Pattern(_)
            | ExprKind::Type(_) => Plain,
        })
    }

    // ------------------------------------------------------------ hooks

    /// The integral self-determined type of an expression evaluated here
    /// (`None`: an ordinary expression). Never evaluates (no side effects).
    pub(super) fn dyn_self_type(&mut self, env: &mut Env, e: &Expr) -> Result<Option<(u32, bool)>> {
        Ok(match self.dyn_class(env, e)? {
            Class::Plain => None,
            Class::Dyn(DT::Real | DT::ShortReal) => Some((64, true)),
            Class::Dyn(t) => {
                return Err(dyn_err(
                    e.span,
                    format!("a {} value used as an integral value", t.describe()),
                ))
            }
            Class::Untyped => {
                return Err(dyn_err(
                    e.span,
                    "an array value (`new`, `{...}` of arrays) used as an integral value",
                ))
            }
            Class::Rooted => Some(self.rooted_type(env, e)?),
        })
    }

    /// The integral type of a [`Class::Rooted`] expression.
    fn rooted_type(&mut self, env: &mut Env, e: &Expr) -> Result<(u32, bool)> {
        let int = (32, true);
        Ok(match &e.kind {
            ExprKind::Dollar => int,
            ExprKind::Index(b, _) => match self.dyn_class(env, b)? {
                Class::Dyn(DT::Str) => (8, true),
                Class::Dyn(t) => match t.elem() {
                    Some(DT::Int { ty, .. }) => (ty.width, ty.signed),
                    _ => return Err(dyn_err(e.span, "not an integral value")),
                },
                _ => return Err(dyn_err(e.span, "an index of a value that is not an array")),
            },
            ExprKind::Unary(op, x) => match op {
                UnaryOp::LogNot
                | UnaryOp::RedAnd
                | UnaryOp::RedNand
                | UnaryOp::RedOr
                | UnaryOp::RedNor
                | UnaryOp::RedXor
                | UnaryOp::RedXnor => (1, false),
                _ => self.rooted_type(env, x)?,
            },
            ExprKind::Binary(..) | ExprKind::Inside(..) => (1, false),
            ExprKind::Cond(_, a, b) => {
                let (wa, sa) = self.self_type(env, a)?;
                let (wb, sb) = self.self_type(env, b)?;
                (wa.max(wb), sa && sb)
            }
            ExprKind::SysCall(name, _) => match name.as_str() {
                "$rtoi" => int,
                "$realtobits" => (64, false),
                "$shortrealtobits" => (32, false),
                "$size" | "$high" | "$low" | "$left" | "$right" | "$increment" => int,
                _ => {
                    return Err(dyn_err(
                        e.span,
                        format!("`{name}` of a dynamic value is not supported"),
                    ))
                }
            },
            ExprKind::Method(root, name, _) => match self.dyn_class(env, root)? {
                Class::Dyn(DT::Str) => match name.name.as_str() {
                    "getc" => (8, true),
                    "len" | "compare" | "icompare" | "atoi" | "atohex" | "atooct" | "atobin" => int,
                    n => return Err(self.no_value_method(n, name.span)),
                },
                Class::Dyn(t) => {
                    let el = t.elem().cloned();
                    match (name.name.as_str(), el) {
                        ("size" | "num" | "exists" | "first" | "last" | "next" | "prev", _) => int,
                        (
                            "pop_front" | "pop_back" | "sum" | "product" | "and" | "or" | "xor",
                            Some(DT::Int { ty, .. }),
                        ) => (ty.width, ty.signed),
                        (n, _) => return Err(self.no_value_method(n, name.span)),
                    }
                }
                _ => return Err(dyn_err(e.span, "a method of a value that is not dynamic")),
            },
            ExprKind::Member(base, m) if m.name == "index" && is_item(base) => int,
            ExprKind::Member(base, m) => self.rooted_type(env, &as_method(base, m, e.span))?,
            ExprKind::Cast(kind, x) => match kind {
                CastKind::Type(t) => {
                    let ty = self.resolve_type(env.scope, t)?;
                    (ty.width, ty.signed)
                }
                CastKind::Width(w) => {
                    let n = self.env_const_int(env, w)?;
                    if n <= 0 {
                        return Err(dyn_err(w.span, "a cast width must be positive"));
                    }
                    (
                        n as u32,
                        self.rooted_type(env, x).map(|t| t.1).unwrap_or(true),
                    )
                }
                CastKind::Signed => (64, true),
                CastKind::Unsigned => (64, false),
            },
            _ => {
                return Err(dyn_err(
                    e.span,
                    "this use of a dynamic value is not supported",
                ))
            }
        })
    }

    fn no_value_method(&self, name: &str, span: Span) -> crate::diag::Error {
        dyn_err(
            span,
            format!("method `{name}` gives no integral value here (or is not supported)"),
        )
    }

    /// Build an expression evaluated here as a constant node at width `w`
    /// (`None`: an ordinary expression).
    pub(super) fn dyn_gen(
        &mut self,
        env: &mut Env,
        e: &Expr,
        w: u32,
        s: bool,
    ) -> Result<Option<Gid>> {
        self.dyn_gen_in(env, e, w, s, false)
    }

    /// [`Self::dyn_gen`] for the source of an assignment (`assign`: a real
    /// converts by rounding, with no question of truth).
    pub(super) fn dyn_gen_in(
        &mut self,
        env: &mut Env,
        e: &Expr,
        w: u32,
        s: bool,
        assign: bool,
    ) -> Result<Option<Gid>> {
        if self.dyn_class(env, e)? == Class::Plain {
            return Ok(None);
        }
        let v = self.dyn_eval(env, e)?;
        let b = match (&v, assign) {
            (DV::Real(r), true) => dv::bigint_to_bits(
                &dv::real_to_bigint_round(*r).map_err(|m| dyn_err(e.span, m))?,
                w,
            ),
            _ => self.dyn_to_bits(&v, w, s, e.span)?,
        };
        Ok(Some(self.g.konst(b)))
    }

    fn dyn_to_bits(&self, v: &DV, w: u32, s: bool, span: Span) -> Result<Bits> {
        match v {
            DV::Int(b, sg) => Ok(dv::resize(b, s && *sg, w)),
            DV::Real(r) => {
                // A real in an integral context rounds (6.12.2); as a
                // condition it is true when nonzero: where the two differ
                // (0 < |r| < 0.5) the use is ambiguous here, so refused.
                if *r != 0.0 && r.abs() < 0.5 {
                    return Err(dyn_err(
                        span,
                        format!("the real value {r} rounds to 0 as an integer but is true as a condition: compare it explicitly (`r != 0.0`)"),
                    ));
                }
                let i = dv::real_to_bigint_round(*r).map_err(|m| dyn_err(span, m))?;
                if i.bits() >= 63 {
                    return Err(dyn_err(
                        span,
                        format!("the real value {r} is too large for an integral value"),
                    ));
                }
                Ok(dv::bigint_to_bits(&i, w))
            }
            other => Err(dyn_err(
                span,
                match other {
                    DV::Undef(_) => {
                        "the value is x (an element never written, or read outside its array)"
                            .to_string()
                    }
                    DV::Opaque(why) => format!("the value is not defined by the standard ({why})"),
                    _ => format!("a {} value used as an integral value", other.kind_name()),
                },
            )),
        }
    }

    // ------------------------------------------------------------ evaluation

    /// The value of `e`, converted to `t`.
    pub(super) fn dyn_eval_to(&mut self, env: &mut Env, e: &Expr, t: &DT) -> Result<DV> {
        let v = match (&e.kind, t) {
            (ExprKind::New { size, init }, DT::Dyn(elem)) => {
                let n = self
                    .dyn_eval(env, size)?
                    .as_i64()
                    .map_err(|m| dyn_err(size.span, m))?;
                if !(0..=(1 << 20)).contains(&n) {
                    return Err(dyn_err(size.span, format!("`new[{n}]`: size out of range")));
                }
                let mut xs = match init {
                    Some(i) => match self.dyn_eval(env, i)? {
                        DV::Arr(xs) => xs,
                        _ => return Err(dyn_err(i.span, "`new[n](a)`: `a` must be an array")),
                    },
                    None => Vec::new(),
                };
                xs.resize(n as usize, elem.default_value());
                DV::Arr(xs)
            }
            (ExprKind::New { .. }, _) => {
                return Err(dyn_err(
                    e.span,
                    format!("`new[...]` assigned to a {}", t.describe()),
                ))
            }
            (ExprKind::Concat(parts), _) if t.is_array() => {
                let elem = t.elem().cloned().unwrap_or(DT::Str);
                let mut out = Vec::new();
                for p in parts {
                    match self.dyn_class(env, p)? {
                        Class::Dyn(pt) if pt.is_array() => match self.dyn_eval(env, p)? {
                            DV::Arr(xs) => out.extend(xs),
                            _ => {
                                return Err(dyn_err(
                                    p.span,
                                    "an associative array in a concatenation",
                                ))
                            }
                        },
                        _ => out.push(self.dyn_eval_to(env, p, &elem)?),
                    }
                }
                DV::Arr(out)
            }
            (ExprKind::Pattern(items), _) if t.is_array() => {
                self.dyn_pattern(env, items, t, e.span)?
            }
            (ExprKind::Cond(c, a, b), _) => {
                let c = self
                    .dyn_eval(env, c)?
                    .truth()
                    .map_err(|m| dyn_err(e.span, m))?;
                return self.dyn_eval_to(env, if c { a } else { b }, t);
            }
            (_, DT::Int { ty, .. }) if self.dyn_class(env, e)? == Class::Plain => {
                let g = self.assign_rhs(env, e, ty)?;
                match self.g.as_const(g) {
                    Some(b) => DV::Int(b.clone(), ty.signed),
                    None => return Err(self.state_dependent(e)),
                }
            }
            _ => self.dyn_eval(env, e)?,
        };
        dv::coerce(v, t).map_err(|m| dyn_err(e.span, m))
    }

    fn state_dependent(&self, e: &Expr) -> crate::diag::Error {
        crate::diag::Diagnostic::error(
            Code::DynamicValue,
            e.span,
            "a string, real, queue or array value computed from design state: these values exist only at elaboration (initial blocks, constants)",
        )
        .with_label("not known at elaboration")
        .into()
    }

    /// `'{a, b}`, `'{default: x}`, `'{k: v}` for a dynamic array type.
    fn dyn_pattern(
        &mut self,
        env: &mut Env,
        items: &[(ast::PatternKey, Expr)],
        t: &DT,
        span: Span,
    ) -> Result<DV> {
        let elem = t.elem().cloned().unwrap_or(DT::Str);
        if let DT::Assoc { key, .. } = t {
            let mut m = BTreeMap::new();
            for (k, v) in items {
                let ast::PatternKey::Index(ke) = k else {
                    return Err(dyn_err(
                        span,
                        "an associative array pattern needs `key: value` items",
                    ));
                };
                let kv = self.dyn_eval(env, ke)?;
                let key = self.make_key(key, kv, ke.span)?;
                let val = self.dyn_eval_to(env, v, &elem)?;
                m.insert(key, val);
            }
            return Ok(DV::Map(m));
        }
        let mut out = Vec::new();
        for (k, v) in items {
            if !matches!(k, ast::PatternKey::Positional) {
                return Err(dyn_err(
                    v.span,
                    "only positional patterns `'{a, b}` are supported for dynamic arrays",
                ));
            }
            out.push(self.dyn_eval_to(env, v, &elem)?);
        }
        Ok(DV::Arr(out))
    }

    fn make_key(&mut self, kt: &KeyT, v: DV, span: Span) -> Result<Key> {
        Ok(match kt {
            KeyT::Str => match v {
                DV::Str(s) => Key::Str(s),
                DV::Int(b, _) => Key::Str(dv::bits_to_string(&b)),
                other => {
                    return Err(dyn_err(
                        span,
                        format!("a {} key of a string-indexed array", other.kind_name()),
                    ))
                }
            },
            KeyT::Int(ty) => {
                let c = dv::coerce(
                    v,
                    &DT::Int {
                        ty: ty.clone(),
                        four_state: false,
                    },
                )
                .map_err(|m| dyn_err(span, m))?;
                Key::Int(c.as_bigint().map_err(|m| dyn_err(span, m))?)
            }
            KeyT::Wild => match v {
                DV::Int(b, _) => Key::Int(dv::bits_to_bigint(&b, false)),
                other => {
                    return Err(dyn_err(
                        span,
                        format!("a {} key of a `[*]` array", other.kind_name()),
                    ))
                }
            },
        })
    }

    fn key_value(&self, kt: &KeyT, k: &Key) -> DV {
        match (kt, k) {
            (_, Key::Str(s)) => DV::Str(s.clone()),
            (KeyT::Int(ty), Key::Int(i)) => DV::Int(dv::bigint_to_bits(i, ty.width), ty.signed),
            (_, Key::Int(i)) => {
                let w = (i.bits() as u32).max(1);
                DV::Int(dv::bigint_to_bits(i, w), false)
            }
        }
    }

    fn read_slot(&mut self, env: &Env, slot: Slot, span: Span) -> Result<DV> {
        match slot {
            Slot::Local(id) => Ok(env
                .frame
                .as_ref()
                .and_then(|f| f.dyn_locals.get(&id))
                .map(|(_, v)| v.clone())
                .unwrap_or(DV::Opaque("internal: missing local"))),
            Slot::Global(id) => {
                let in_initial = matches!(&env.frame, Some(f) if f.kind == ProcKind::Initial);
                let var = &self.dynv.vars[id as usize];
                if !var.is_const && !in_initial {
                    if self.dynv.var_init > 0 {
                        return Ok(var.val.clone());
                    }
                    if env.frame.is_none() && self.walk.const_depth > 0 {
                        return Err(err_code(
                            Code::NotConstant,
                            span,
                            format!("`{}` is a variable, not a constant", var.name),
                        ));
                    }
                    let var = &mut self.dynv.vars[id as usize];
                    var.read_by_logic.get_or_insert(span);
                }
                Ok(self.dynv.vars[id as usize].val.clone())
            }
        }
    }

    /// Evaluate `e` concretely.
    pub(super) fn dyn_eval(&mut self, env: &mut Env, e: &Expr) -> Result<DV> {
        let span = e.span;
        let class = self.dyn_class(env, e)?;
        if class == Class::Plain {
            if let ExprKind::String(s) = &e.kind {
                return Ok(DV::Str(s.as_bytes().to_vec()));
            }
            let (w, s) = self.self_type(env, e)?;
            let g = self.gen(env, e, w, s)?;
            return match self.g.as_const(g) {
                Some(b) => Ok(DV::Int(b.clone(), s)),
                None => Err(self.state_dependent(e)),
            };
        }
        let m = |r: dv::OpResult<DV>| r.map_err(|msg| dyn_err(span, msg));
        match &e.kind {
            ExprKind::Real(r) => Ok(DV::Real(*r)),
            ExprKind::Dollar => match self.dynv.dollar.last() {
                Some(d) => Ok(DV::int(*d, 32, true)),
                None => Err(dyn_err(span, "`$` outside a queue index")),
            },
            ExprKind::Ident(sn) => {
                let (slot, _) = self.slot_of(env, sn).ok_or_else(|| dyn_err(span, "internal: not a dynamic variable"))?;
                self.read_slot(env, slot, span)
            }
            ExprKind::Index(b, i) => {
                let base = self.dyn_eval(env, b)?;
                let bt = match self.dyn_class(env, b)? {
                    Class::Dyn(t) => t,
                    _ => return Err(dyn_err(span, "an index of a value that is not an array")),
                };
                self.index_value(env, &base, &bt, i)
            }
            ExprKind::Range(b, x, y) => {
                let base = self.dyn_eval(env, b)?;
                let DV::Arr(xs) = &base else {
                    return Err(dyn_err(span, "a slice of a value that is not a queue or array"));
                };
                self.dynv.dollar.push(xs.len() as i64 - 1);
                let r = (|| -> Result<(i64, i64)> {
                    let a = self.dyn_eval(env, x)?.as_i64().map_err(|m| dyn_err(x.span, m))?;
                    let c = self.dyn_eval(env, y)?.as_i64().map_err(|m| dyn_err(y.span, m))?;
                    Ok((a, c))
                })();
                self.dynv.dollar.pop();
                let (a, c) = r?;
                Ok(DV::Arr(dv::queue_slice(xs, a, c)))
            }
            ExprKind::Unary(op, x) => {
                let v = self.dyn_eval(env, x)?;
                match (op, &v) {
                    (UnaryOp::Minus, DV::Real(r)) => Ok(DV::Real(-r)),
                    (UnaryOp::Plus, DV::Real(r)) => Ok(DV::Real(*r)),
                    (UnaryOp::LogNot, _) => Ok(DV::bool(!v.truth().map_err(|m| dyn_err(span, m))?)),
                    _ => Err(dyn_err(span, format!("operator {op:?} on a {} value", v.kind_name()))),
                }
            }
            ExprKind::Binary(op, a, b) => self.dyn_binary(env, *op, a, b, span),
            ExprKind::Cond(c, a, b) => {
                let c = self.dyn_eval(env, c)?.truth().map_err(|m| dyn_err(span, m))?;
                let (ca, cb) = (self.dyn_class(env, a)?, self.dyn_class(env, b)?);
                let v = self.dyn_eval(env, if c { a } else { b })?;
                // A real arm makes the result real (11.4.11).
                if matches!(ca, Class::Dyn(DT::Real | DT::ShortReal)) || matches!(cb, Class::Dyn(DT::Real | DT::ShortReal)) {
                    return Ok(DV::Real(v.as_real().map_err(|m| dyn_err(span, m))?));
                }
                Ok(v)
            }
            ExprKind::Concat(parts) => {
                let mut out = Vec::new();
                for p in parts {
                    match self.dyn_eval(env, p)? {
                        DV::Str(s) => out.extend(s),
                        DV::Int(b, _) => out.extend(dv::bits_to_string(&b)),
                        other => return Err(dyn_err(p.span, format!("a {} value in a string concatenation", other.kind_name()))),
                    }
                }
                Ok(DV::Str(out))
            }
            ExprKind::Repl(n, parts) => {
                let n = self.dyn_eval(env, n)?.as_i64().map_err(|m| dyn_err(span, m))?;
                if !(0..=(1 << 20)).contains(&n) {
                    return Err(dyn_err(span, "replication count out of range"));
                }
                let mut one = Vec::new();
                for p in parts {
                    match self.dyn_eval(env, p)? {
                        DV::Str(s) => one.extend(s),
                        DV::Int(b, _) => one.extend(dv::bits_to_string(&b)),
                        other => return Err(dyn_err(p.span, format!("a {} value in a string replication", other.kind_name()))),
                    }
                }
                Ok(DV::Str(one.repeat(n as usize)))
            }
            ExprKind::SysCall(name, args) => self.dyn_syscall(env, name, args, span),
            ExprKind::Method(root, name, args) => self.dyn_method(env, root, name, args, span),
            ExprKind::Member(root, name)
                if name.name == "index" && is_item(root) && !self.dynv.with_index.is_empty() =>
            {
                Ok(DV::int(*self.dynv.with_index.last().unwrap_or(&0), 32, true))
            }
            ExprKind::Member(root, name) => self.dyn_method(env, root, name, &[], span),
            ExprKind::Cast(kind, x) => match kind {
                CastKind::Type(t) if is_dyn_kind(&t.kind) => {
                    let dt = self.dyn_base_type(env.scope, t)?;
                    let v = self.dyn_eval(env, x)?;
                    m(dv::coerce(v, &dt))
                }
                CastKind::Type(t) => {
                    let ty = self.resolve_type(env.scope, t)?;
                    let v = self.dyn_eval(env, x)?;
                    m(dv::coerce(v, &DT::Int { ty, four_state: false }))
                }
                CastKind::Width(w) => {
                    let n = self.env_const_int(env, w)?;
                    let v = self.dyn_eval(env, x)?;
                    let sg = match &v {
                        DV::Int(_, s) => *s,
                        _ => true,
                    };
                    m(dv::coerce(v, &DT::Int { ty: Ty::vector(n.max(1) as u32, sg), four_state: false }))
                }
                CastKind::Signed | CastKind::Unsigned => {
                    let v = self.dyn_eval(env, x)?;
                    match v {
                        DV::Int(b, _) => Ok(DV::Int(b, matches!(kind, CastKind::Signed))),
                        other => Err(dyn_err(span, format!("`$signed`/`$unsigned` of a {} value", other.kind_name()))),
                    }
                }
            },
            ExprKind::Inside(x, items) => {
                let v = self.dyn_eval(env, x)?;
                for it in items {
                    let hit = match it {
                        ast::InsideItem::Value(e) => {
                            let w = self.dyn_eval(env, e)?;
                            dv::compare_values(&v, &w).map_err(|m| dyn_err(span, m))? == std::cmp::Ordering::Equal
                        }
                        ast::InsideItem::Range(a, b) => {
                            let lo = self.dyn_eval(env, a)?;
                            let hi = self.dyn_eval(env, b)?;
                            dv::compare_values(&lo, &v).map_err(|m| dyn_err(span, m))?.is_le()
                                && dv::compare_values(&v, &hi).map_err(|m| dyn_err(span, m))?.is_le()
                        }
                    };
                    if hit {
                        return Ok(DV::bool(true));
                    }
                }
                Ok(DV::bool(false))
            }
            ExprKind::New { .. } | ExprKind::Pattern(_) => Err(dyn_err(
                span,
                "`new[...]`, `{...}` and `'{...}` of arrays need a target: assign them to an array variable",
            )),
            _ => Err(dyn_err(span, "this use of a dynamic value is not supported")),
        }
    }

    /// Evaluate an index of an array kind with `$` bound to its last index.
    fn index_value(&mut self, env: &mut Env, base: &DV, bt: &DT, i: &Expr) -> Result<DV> {
        let span = i.span;
        match (bt, base) {
            (DT::Str, DV::Str(s)) => {
                let k = self
                    .dyn_eval(env, i)?
                    .as_i64()
                    .map_err(|m| dyn_err(span, m))?;
                Ok(DV::Int(Bits::from_u64(8, dv::str_getc(s, k) as u64), true))
            }
            (DT::Assoc { elem, key }, DV::Map(m)) => {
                let kv = self.dyn_eval(env, i)?;
                let k = self.make_key(key, kv, span)?;
                Ok(m.get(&k).cloned().unwrap_or_else(|| elem.default_value()))
            }
            (_, DV::Arr(xs)) => {
                let pos = self.array_pos(env, bt, xs.len(), i)?;
                let elem = bt.elem().cloned().unwrap_or(DT::Str);
                Ok(pos
                    .and_then(|p| xs.get(p).cloned())
                    .unwrap_or_else(|| elem.default_value()))
            }
            (_, DV::Opaque(why)) => Err(dyn_err(
                span,
                format!("the value is not defined by the standard ({why})"),
            )),
            _ => Err(dyn_err(span, format!("an index of a {}", bt.describe()))),
        }
    }

    /// The position an index selects (`None`: outside the array).
    fn array_pos(&mut self, env: &mut Env, bt: &DT, len: usize, i: &Expr) -> Result<Option<usize>> {
        self.dynv.dollar.push(len as i64 - 1);
        let r = self.dyn_eval(env, i);
        self.dynv.dollar.pop();
        let k = match r? {
            DV::Undef(_) => return Err(dyn_err(i.span, "an x index")),
            v => v.as_i64().map_err(|m| dyn_err(i.span, m))?,
        };
        let p = match bt {
            DT::Fixed { left, right, .. } => {
                let (lo, hi) = (*left.min(right), *left.max(right));
                if k < lo || k > hi {
                    return Ok(None);
                }
                (k - left).unsigned_abs() as usize
            }
            _ => {
                if k < 0 {
                    return Ok(None);
                }
                k as usize
            }
        };
        Ok((p < len).then_some(p))
    }

    fn dyn_binary(
        &mut self,
        env: &mut Env,
        op: BinaryOp,
        a: &Expr,
        b: &Expr,
        span: Span,
    ) -> Result<DV> {
        use BinaryOp::*;
        // Short-circuit operators evaluate their right side only when needed.
        if matches!(op, LogAnd | LogOr) {
            let x = self
                .dyn_eval(env, a)?
                .truth()
                .map_err(|m| dyn_err(a.span, m))?;
            if (op == LogAnd && !x) || (op == LogOr && x) {
                return Ok(DV::bool(x));
            }
            let y = self
                .dyn_eval(env, b)?
                .truth()
                .map_err(|m| dyn_err(b.span, m))?;
            return Ok(DV::bool(y));
        }
        let x = self.dyn_eval(env, a)?;
        let y = self.dyn_eval(env, b)?;
        let e = |m: String| dyn_err(span, m);
        match (&x, &y) {
            (DV::Str(_), _) | (_, DV::Str(_)) => {
                let to_s = |v: &DV| -> std::result::Result<Vec<u8>, String> {
                    match v {
                        DV::Str(s) => Ok(s.clone()),
                        DV::Int(b, _) => Ok(dv::bits_to_string(b)),
                        other => Err(format!(
                            "a {} value compared with a string",
                            other.kind_name()
                        )),
                    }
                };
                let (s, t) = (to_s(&x).map_err(e)?, to_s(&y).map_err(e)?);
                let r = match op {
                    Eq | CaseEq => s == t,
                    Ne | CaseNe => s != t,
                    Lt => s < t,
                    Le => s <= t,
                    Gt => s > t,
                    Ge => s >= t,
                    _ => return Err(dyn_err(span, format!("operator {op:?} on strings"))),
                };
                Ok(DV::bool(r))
            }
            (DV::Arr(p), DV::Arr(q)) => {
                let same = p.len() == q.len()
                    && p.iter().zip(q).all(|(u, v)| {
                        dv::compare_values(u, v).map(|o| o.is_eq()).unwrap_or(false) || u == v
                    });
                match op {
                    Eq | CaseEq => Ok(DV::bool(same)),
                    Ne | CaseNe => Ok(DV::bool(!same)),
                    _ => Err(dyn_err(span, format!("operator {op:?} on arrays"))),
                }
            }
            _ => {
                let r1 = x.as_real().map_err(e)?;
                let r2 = y.as_real().map_err(e)?;
                Ok(match op {
                    Add => DV::Real(r1 + r2),
                    Sub => DV::Real(r1 - r2),
                    Mul => DV::Real(r1 * r2),
                    Div => DV::Real(r1 / r2),
                    Pow => DV::Real(r1.powf(r2)),
                    Eq | CaseEq => DV::bool(r1 == r2),
                    Ne | CaseNe => DV::bool(r1 != r2),
                    Lt => DV::bool(r1 < r2),
                    Le => DV::bool(r1 <= r2),
                    Gt => DV::bool(r1 > r2),
                    Ge => DV::bool(r1 >= r2),
                    LogImpl => DV::bool(r1 == 0.0 || r2 != 0.0),
                    LogEquiv => DV::bool((r1 != 0.0) == (r2 != 0.0)),
                    _ => {
                        return Err(dyn_err(
                            span,
                            format!("operator {op:?} is not defined on reals"),
                        ))
                    }
                })
            }
        }
    }

    fn dyn_syscall(&mut self, env: &mut Env, name: &str, args: &[Expr], span: Span) -> Result<DV> {
        let arity = |n: usize| -> Result<()> {
            if args.len() != n {
                return Err(dyn_err(span, format!("`{name}` takes {n} argument(s)")));
            }
            Ok(())
        };
        let m = |r: dv::OpResult<DV>| r.map_err(|msg| dyn_err(span, msg));
        match name {
            "$itor" => {
                arity(1)?;
                let v = self.dyn_eval(env, &args[0])?;
                m(v.as_real().map(DV::Real))
            }
            "$rtoi" => {
                arity(1)?;
                let r = self
                    .dyn_eval(env, &args[0])?
                    .as_real()
                    .map_err(|x| dyn_err(span, x))?;
                let i = dv::real_to_bigint_trunc(r).map_err(|x| dyn_err(span, x))?;
                Ok(DV::Int(dv::bigint_to_bits(&i, 32), true))
            }
            "$realtobits" => {
                arity(1)?;
                let r = self
                    .dyn_eval(env, &args[0])?
                    .as_real()
                    .map_err(|x| dyn_err(span, x))?;
                Ok(DV::Int(Bits::from_u64(64, r.to_bits()), false))
            }
            "$shortrealtobits" => {
                arity(1)?;
                let r = self
                    .dyn_eval(env, &args[0])?
                    .as_real()
                    .map_err(|x| dyn_err(span, x))?;
                Ok(DV::Int(
                    Bits::from_u64(32, (r as f32).to_bits() as u64),
                    false,
                ))
            }
            "$bitstoreal" | "$bitstoshortreal" => {
                arity(1)?;
                let v = self.dyn_eval(env, &args[0])?;
                let DV::Int(b, _) = v else {
                    return Err(dyn_err(span, format!("`{name}` takes an integral value")));
                };
                Ok(DV::Real(if name == "$bitstoreal" {
                    f64::from_bits(b.zext(64).slice(0, 64).low_u64())
                } else {
                    f32::from_bits(b.zext(32).slice(0, 32).low_u64() as u32) as f64
                }))
            }
            "$sformatf" | "$psprintf" => Ok(DV::Opaque(
                "formatted text (format strings are not evaluated)",
            )),
            "$size" | "$high" | "$low" | "$left" | "$right" | "$increment" if args.len() == 1 => {
                let v = self.dyn_eval(env, &args[0])?;
                let n = match &v {
                    DV::Arr(xs) => xs.len(),
                    DV::Map(mm) => mm.len(),
                    DV::Str(s) => s.len(),
                    other => {
                        return Err(dyn_err(
                            span,
                            format!("`{name}` of a {} value", other.kind_name()),
                        ))
                    }
                } as i64;
                let r = match name {
                    "$size" => n,
                    "$high" | "$right" => n - 1,
                    "$increment" => -1,
                    _ => 0,
                };
                Ok(DV::int(r, 32, true))
            }
            _ => {
                if let Some(n) = dv::math_arity(name) {
                    arity(n)?;
                    let mut xs = Vec::new();
                    for a in args {
                        xs.push(
                            self.dyn_eval(env, a)?
                                .as_real()
                                .map_err(|x| dyn_err(a.span, x))?,
                        );
                    }
                    return dv::real_math(name, &xs)
                        .map(DV::Real)
                        .ok_or_else(|| dyn_err(span, format!("`{name}`")));
                }
                Err(dyn_err(
                    span,
                    format!("`{name}` of a dynamic value is not supported"),
                ))
            }
        }
    }

    // ------------------------------------------------------------ methods

    fn arg(&mut self, env: &mut Env, args: &[Expr], i: usize, span: Span) -> Result<DV> {
        match args.get(i) {
            Some(a) => self.dyn_eval(env, a),
            None => Err(dyn_err(span, "missing argument")),
        }
    }

    fn arg_i64(&mut self, env: &mut Env, args: &[Expr], i: usize, span: Span) -> Result<i64> {
        let v = self.arg(env, args, i, span)?;
        v.as_i64().map_err(|m| dyn_err(span, m))
    }

    /// A built-in method of a dynamic value (as an expression or a statement).
    pub(super) fn dyn_method(
        &mut self,
        env: &mut Env,
        root: &Expr,
        name: &ast::Ident,
        args: &[Expr],
        span: Span,
    ) -> Result<DV> {
        let rt = match self.dyn_class(env, root)? {
            Class::Dyn(t) => t,
            _ => {
                return Err(dyn_err(
                    span,
                    format!("method `{}` of a value that is not dynamic", name.name),
                ))
            }
        };
        let n = name.name.as_str();
        if mutating(n) {
            return self.dyn_mutate(env, root, &rt, n, args, span);
        }
        let v = self.dyn_eval(env, root)?;
        let m = |r: dv::OpResult<DV>| r.map_err(|msg| dyn_err(span, msg));
        match (&rt, &v) {
            (_, DV::Opaque(why)) => Err(dyn_err(
                span,
                format!("the value is not defined by the standard ({why})"),
            )),
            (DT::Str, DV::Str(s)) => {
                let s = s.clone();
                Ok(match n {
                    "len" => dv::int_result(s.len() as i64),
                    "getc" => {
                        let i = self.arg_i64(env, args, 0, span)?;
                        DV::Int(Bits::from_u64(8, dv::str_getc(&s, i) as u64), true)
                    }
                    "toupper" => DV::Str(s.to_ascii_uppercase()),
                    "tolower" => DV::Str(s.to_ascii_lowercase()),
                    "compare" | "icompare" => {
                        let o = self.arg(env, args, 0, span)?;
                        let t = m(dv::coerce(o, &DT::Str))?;
                        let t = t.as_str().map_err(|x| dyn_err(span, x))?;
                        dv::int_result(dv::str_compare(&s, t, n == "icompare"))
                    }
                    "substr" => {
                        let i = self.arg_i64(env, args, 0, span)?;
                        let j = self.arg_i64(env, args, 1, span)?;
                        DV::Str(dv::str_substr(&s, i, j))
                    }
                    "atoi" => dv::str_ato(&s, 10),
                    "atohex" => dv::str_ato(&s, 16),
                    "atooct" => dv::str_ato(&s, 8),
                    "atobin" => dv::str_ato(&s, 2),
                    "atoreal" => DV::Real(dv::str_atoreal(&s)),
                    _ => return Err(dyn_err(name.span, format!("unknown string method `{n}`"))),
                })
            }
            (DT::Assoc { key, .. }, DV::Map(mm)) => match n {
                "num" | "size" => Ok(dv::int_result(mm.len() as i64)),
                "exists" => {
                    let kv = self.arg(env, args, 0, span)?;
                    let k = self.make_key(key, kv, span)?;
                    Ok(dv::int_result(mm.contains_key(&k) as i64))
                }
                "first" | "last" | "next" | "prev" => {
                    let Some(target) = args.first() else {
                        return Err(dyn_err(span, format!("`{n}` needs an index variable")));
                    };
                    let found = match n {
                        "first" => mm.keys().next().cloned(),
                        "last" => mm.keys().next_back().cloned(),
                        _ => {
                            let kv = self.dyn_eval(env, target)?;
                            let k = self.make_key(key, kv, span)?;
                            if n == "next" {
                                mm.range((std::ops::Bound::Excluded(k), std::ops::Bound::Unbounded))
                                    .next()
                                    .map(|(k, _)| k.clone())
                            } else {
                                mm.range(..k).next_back().map(|(k, _)| k.clone())
                            }
                        }
                    };
                    match found {
                        Some(k) => {
                            let kv = self.key_value(key, &k);
                            self.dyn_store(env, target, kv, span)?;
                            Ok(dv::int_result(1))
                        }
                        None => Ok(dv::int_result(0)),
                    }
                }
                _ => Err(dyn_err(
                    name.span,
                    format!("associative array method `{n}` is not supported"),
                )),
            },
            (_, DV::Arr(xs)) => {
                let elem = rt.elem().cloned().unwrap_or(DT::Str);
                match n {
                    "size" => Ok(dv::int_result(xs.len() as i64)),
                    "sum" | "product" | "and" | "or" | "xor" => match &elem {
                        DT::Int { ty, .. } => m(dv::reduce(n, xs, ty.width, ty.signed)),
                        _ => Err(dyn_err(span, format!("`{n}` of a {}", rt.describe()))),
                    },
                    "min" | "max" => m(dv::min_max(xs, n == "max").map(DV::Arr)),
                    "unique" => m(dv::unique(xs).map(DV::Arr)),
                    "unique_index" => {
                        let mut firsts: Vec<(usize, &DV)> = Vec::new();
                        for (i, x) in xs.iter().enumerate() {
                            let mut seen = false;
                            for (_, y) in &firsts {
                                if dv::compare_values(x, y)
                                    .map_err(|e| dyn_err(span, e))?
                                    .is_eq()
                                {
                                    seen = true;
                                    break;
                                }
                            }
                            if !seen {
                                firsts.push((i, x));
                            }
                        }
                        Ok(DV::Arr(
                            firsts
                                .iter()
                                .map(|(i, _)| DV::int(*i as i64, 32, true))
                                .collect(),
                        ))
                    }
                    w if w.ends_with(" with") => {
                        let xs = xs.clone();
                        self.dyn_locate(env, &w[..w.len() - 5], &xs, &elem, args, span)
                    }
                    _ => Err(dyn_err(
                        name.span,
                        format!("array method `{n}` is not supported"),
                    )),
                }
            }
            _ => Err(dyn_err(
                span,
                format!("method `{n}` of a {}", rt.describe()),
            )),
        }
    }

    /// A method that changes its object: evaluate the arguments, then
    /// apply it at the object's place.
    fn dyn_mutate(
        &mut self,
        env: &mut Env,
        root: &Expr,
        rt: &DT,
        n: &str,
        args: &[Expr],
        span: Span,
    ) -> Result<DV> {
        let elem = rt.elem().cloned();
        // Arguments first (they may read the object).
        let mut vals = Vec::new();
        match (rt, n) {
            (DT::Str, "putc") => {
                vals.push(self.arg(env, args, 0, span)?);
                let c = self.arg(env, args, 1, span)?;
                vals.push(c);
            }
            (DT::Str, "itoa" | "hextoa" | "octtoa" | "bintoa" | "realtoa") => {
                vals.push(self.arg(env, args, 0, span)?)
            }
            (_, "push_back" | "push_front") => {
                let el = elem
                    .clone()
                    .ok_or_else(|| dyn_err(span, format!("`{n}` of a {}", rt.describe())))?;
                let a = args
                    .first()
                    .ok_or_else(|| dyn_err(span, "missing argument"))?;
                vals.push(self.dyn_eval_to(env, a, &el)?);
            }
            (_, "insert") => {
                let el = elem
                    .clone()
                    .ok_or_else(|| dyn_err(span, format!("`{n}` of a {}", rt.describe())))?;
                vals.push(self.arg(env, args, 0, span)?);
                let a = args
                    .get(1)
                    .ok_or_else(|| dyn_err(span, "missing argument"))?;
                vals.push(self.dyn_eval_to(env, a, &el)?);
            }
            (_, "delete") => {
                if let Some(a) = args.first() {
                    vals.push(self.dyn_eval(env, a)?);
                }
            }
            (_, "shuffle") => {
                return Err(dyn_err(span, "`shuffle()` is random: not supported"));
            }
            _ => {}
        }
        let key_t = match rt {
            DT::Assoc { key, .. } => Some(key.clone()),
            _ => None,
        };
        let key = match (&key_t, n, vals.first()) {
            (Some(kt), "delete", Some(k)) => Some(self.make_key(kt, k.clone(), span)?),
            _ => None,
        };
        let rtc = rt.clone();
        let n2 = n.to_string();
        self.dyn_update(env, root, span, move |v| {
            let is_queue = matches!(rtc, DT::Queue { .. });
            let el = rtc.elem().cloned();
            match (v, n2.as_str()) {
                (DV::Str(s), "putc") => {
                    let i = vals[0].as_i64()?;
                    let c = match &vals[1] {
                        DV::Str(t) => t.first().copied().unwrap_or(0),
                        o => o.as_i64()? as u8,
                    };
                    dv::str_putc(s, i, c);
                    Ok(DV::Int(Bits::zero(1), false))
                }
                (v @ DV::Str(_), "itoa" | "hextoa" | "octtoa" | "bintoa") => {
                    let i = vals[0].as_bigint()?;
                    let radix = match n2.as_str() {
                        "itoa" => 10,
                        "hextoa" => 16,
                        "octtoa" => 8,
                        _ => 2,
                    };
                    // The argument is an `integer` (32-bit signed).
                    let i = dv::bits_to_bigint(&dv::bigint_to_bits(&i, 32), true);
                    *v = DV::Str(dv::str_itoa(&i, radix));
                    Ok(DV::Int(Bits::zero(1), false))
                }
                (v @ (DV::Str(_) | DV::Opaque(_)), "realtoa") => {
                    vals[0].as_real()?;
                    *v = DV::Opaque("the text of realtoa()");
                    Ok(DV::Int(Bits::zero(1), false))
                }
                (DV::Arr(xs), "push_back" | "push_front")
                    if is_queue || matches!(rtc, DT::Dyn(_)) =>
                {
                    if !is_queue {
                        return Err(format!("`{n2}` of a dynamic array (a queue method)"));
                    }
                    let x = vals.pop().unwrap_or(DV::Undef(1));
                    if n2 == "push_back" {
                        xs.push(x)
                    } else {
                        xs.insert(0, x)
                    }
                    Ok(DV::Int(Bits::zero(1), false))
                }
                (DV::Arr(xs), "pop_back" | "pop_front") if is_queue => {
                    let x = if xs.is_empty() {
                        None
                    } else if n2 == "pop_back" {
                        xs.pop()
                    } else {
                        Some(xs.remove(0))
                    };
                    // An empty queue pops the default value (7.10.2.4).
                    Ok(x.unwrap_or_else(|| el.map(|t| t.default_value()).unwrap_or(DV::Undef(1))))
                }
                (DV::Arr(xs), "insert") if is_queue => {
                    let i = vals[0].as_i64()?;
                    let x = vals.pop().unwrap_or(DV::Undef(1));
                    dv::queue_insert(xs, i, x);
                    Ok(DV::Int(Bits::zero(1), false))
                }
                (DV::Arr(xs), "delete") => {
                    match vals.first() {
                        None => xs.clear(),
                        Some(i) if is_queue => {
                            dv::queue_delete(xs, i.as_i64()?);
                        }
                        Some(_) => {
                            return Err("`delete(i)` of a dynamic array (a queue method)".into())
                        }
                    }
                    Ok(DV::Int(Bits::zero(1), false))
                }
                (DV::Map(mm), "delete") => {
                    match key {
                        None => mm.clear(),
                        Some(k) => {
                            mm.remove(&k);
                        }
                    }
                    Ok(DV::Int(Bits::zero(1), false))
                }
                (DV::Arr(xs), "sort" | "rsort") => {
                    dv::sort(xs, n2 == "rsort")?;
                    Ok(DV::Int(Bits::zero(1), false))
                }
                (DV::Arr(xs), "reverse") => {
                    xs.reverse();
                    Ok(DV::Int(Bits::zero(1), false))
                }
                (v, _) => Err(format!("method `{n2}` of a {} value", v.kind_name())),
            }
        })
    }

    /// The locator methods with a `with` clause (7.12.1): `find`,
    /// `find_index`, `find_first(_index)`, `find_last(_index)`; the clause
    /// is evaluated per element with `item` (and `item.index`) bound.
    fn dyn_locate(
        &mut self,
        env: &mut Env,
        name: &str,
        xs: &[DV],
        elem: &DT,
        args: &[Expr],
        span: Span,
    ) -> Result<DV> {
        let Some(cond) = args.last() else {
            return Err(dyn_err(span, "missing `with` clause"));
        };
        if args.len() != 1 {
            return Err(dyn_err(
                span,
                "`item` renamed by an argument of a locator method is not supported",
            ));
        }
        if env.frame.is_none() {
            return Err(dyn_err(
                span,
                "a locator method with `with` outside procedural code",
            ));
        }
        let mut hits = Vec::new();
        self.push_local_scope(env);
        let r = (|| -> Result<()> {
            let zero = self.g.zero(1);
            let (id, int_ty) = match elem {
                DT::Int { ty, .. } => {
                    let z = self.g.zero(ty.width);
                    (self.new_local(env, "item", ty.clone(), z), Some(ty.clone()))
                }
                _ => (self.new_local(env, "item", Ty::bit(false), zero), None),
            };
            for (i, x) in xs.iter().enumerate() {
                match (&int_ty, x) {
                    (Some(_), DV::Int(b, _)) => {
                        let g = self.g.konst(b.clone());
                        self.set_local_raw(env, id, g);
                    }
                    (Some(_), other) => {
                        return Err(dyn_err(span, format!("a {} element", other.kind_name())))
                    }
                    (None, v) => {
                        if let Some(f) = env.frame.as_mut() {
                            f.dyn_locals.insert(id, (elem.clone(), v.clone()));
                        }
                    }
                }
                self.dynv.with_index.push(i as i64);
                let t = self.dyn_eval(env, cond);
                self.dynv.with_index.pop();
                if t?.truth().map_err(|m| dyn_err(cond.span, m))? {
                    hits.push(i);
                }
            }
            Ok(())
        })();
        self.pop_local_scope(env);
        r?;
        let pick: Vec<usize> = match name {
            "find" | "find_index" => hits,
            "find_first" | "find_first_index" => hits.first().copied().into_iter().collect(),
            "find_last" | "find_last_index" => hits.last().copied().into_iter().collect(),
            _ => {
                return Err(dyn_err(
                    span,
                    format!("array method `{name}` with `with` is not supported"),
                ))
            }
        };
        Ok(DV::Arr(if name.ends_with("_index") {
            pick.into_iter()
                .map(|i| DV::int(i as i64, 32, true))
                .collect()
        } else {
            pick.into_iter().map(|i| xs[i].clone()).collect()
        }))
    }

    // ------------------------------------------------------------ writes

    /// Check that `slot` may be written here: `Ok(false)` when the path is
    /// dead (the write is skipped).
    fn may_write(&mut self, env: &Env, slot: Slot, span: Span) -> Result<bool> {
        let kind = env.frame.as_ref().map(|f| f.kind);
        if let Slot::Global(id) = slot {
            let var = &self.dynv.vars[id as usize];
            if var.is_const {
                return Err(dyn_err(span, format!("`{}` is a constant", var.name)));
            }
            if kind != Some(ProcKind::Initial) {
                return Err(crate::diag::Diagnostic::error(
                    Code::DynamicValue,
                    span,
                    format!(
                        "`{}` ({}) is written by design logic: a value of this type exists only at elaboration, so only initial blocks may write it",
                        var.name,
                        var.ty.describe()
                    ),
                )
                .with_secondary(var.span, "declared here")
                .into());
            }
            if let Some(r) = var.read_by_logic {
                return Err(crate::diag::Diagnostic::error(
                    Code::DynamicValue,
                    span,
                    format!(
                        "`{}` is read by design logic before this initial block writes it: write it in an initial block placed before its readers",
                        var.name
                    ),
                )
                .with_secondary(r, "read here")
                .into());
            }
        }
        let live = self.path(env);
        match self.g.as_const(live) {
            Some(b) => Ok(!b.is_zero()),
            None => Err(crate::diag::Diagnostic::error(
                Code::DynamicValue,
                span,
                "a string, real, queue or array variable written under a condition that depends on design state: these values exist only at elaboration",
            )
            .with_label("the path to this write is not known at elaboration")
            .into()),
        }
    }

    /// The root variable and the index chain of an lvalue
    /// (`q`, `q[i]`, `a["k"][2]`); `None` when not dynamic.
    fn dyn_lvalue<'e>(&self, env: &Env, e: &'e Expr) -> Option<(Slot, DT, Vec<&'e Expr>)> {
        match &e.kind {
            ExprKind::Ident(sn) => self.slot_of(env, sn).map(|(s, t)| (s, t, Vec::new())),
            ExprKind::Index(b, i) => {
                let (s, t, mut chain) = self.dyn_lvalue(env, b)?;
                chain.push(&**i);
                Some((s, t, chain))
            }
            _ => None,
        }
    }

    /// Apply `f` to the value at lvalue `e` (after checking the write is
    /// allowed); returns `f`'s result.
    fn dyn_update(
        &mut self,
        env: &mut Env,
        e: &Expr,
        span: Span,
        f: impl FnOnce(&mut DV) -> dv::OpResult<DV>,
    ) -> Result<DV> {
        let Some((slot, t, chain)) = self.dyn_lvalue(env, e) else {
            return Err(dyn_err(
                span,
                "this cannot be written (only variables and their elements)",
            ));
        };
        // Selectors, evaluated against the current values.
        let mut cur = self.read_slot_quiet(env, slot);
        let mut ct = t;
        let mut sels: Vec<Sel> = Vec::new();
        for i in chain {
            let sel = match (&ct, &cur) {
                (DT::Assoc { key, .. }, _) => {
                    let kv = self.dyn_eval(env, i)?;
                    Sel::Key(self.make_key(key, kv, i.span)?)
                }
                (DT::Str, DV::Str(_)) => {
                    let k = self
                        .dyn_eval(env, i)?
                        .as_i64()
                        .map_err(|m| dyn_err(i.span, m))?;
                    Sel::Char(k)
                }
                (_, DV::Arr(xs)) => {
                    let len = xs.len();
                    match self.array_pos(env, &ct, len, i)? {
                        Some(p) => Sel::Pos(p),
                        None => {
                            return Err(dyn_err(
                                i.span,
                                format!(
                                    "write outside the {} (it has {len} elements)",
                                    ct.describe()
                                ),
                            ))
                        }
                    }
                }
                _ => return Err(dyn_err(i.span, format!("an index of a {}", ct.describe()))),
            };
            let next_t = match &ct {
                DT::Str => DT::Int {
                    ty: Ty::vector(8, true),
                    four_state: false,
                },
                t => t.elem().cloned().unwrap_or(DT::Str),
            };
            cur = match (&sel, &cur) {
                (Sel::Key(k), DV::Map(m)) => {
                    m.get(k).cloned().unwrap_or_else(|| next_t.default_value())
                }
                (Sel::Pos(p), DV::Arr(xs)) => xs[*p].clone(),
                _ => DV::Int(Bits::zero(8), true),
            };
            ct = next_t;
            sels.push(sel);
        }
        if !self.may_write(env, slot, span)? {
            return Ok(DV::Int(Bits::zero(1), false));
        }
        let root: &mut DV = match slot {
            Slot::Global(id) => &mut self.dynv.vars[id as usize].val,
            Slot::Local(id) => match env.frame.as_mut().and_then(|f| f.dyn_locals.get_mut(&id)) {
                Some((_, v)) => v,
                None => return Err(dyn_err(span, "internal: missing local")),
            },
        };
        let mut place = root;
        for sel in &sels {
            place = match (sel, place) {
                (Sel::Key(k), DV::Map(m)) => m.entry(k.clone()).or_insert(DV::Undef(0)),
                (Sel::Pos(p), DV::Arr(xs)) => &mut xs[*p],
                (Sel::Char(i), DV::Str(s)) => {
                    // A character write: `f` gets the byte and the result is put.
                    let mut byte = DV::Int(Bits::from_u64(8, dv::str_getc(s, *i) as u64), true);
                    let r = f(&mut byte).map_err(|m| dyn_err(span, m))?;
                    let c = byte.as_i64().map_err(|m| dyn_err(span, m))? as u8;
                    dv::str_putc(s, *i, c);
                    return Ok(r);
                }
                _ => return Err(dyn_err(span, "internal: selector does not match the value")),
            };
        }
        let r = f(place).map_err(|m| dyn_err(span, m))?;
        // 7.10.5: elements past the bound of a bounded queue are discarded,
        // with a warning.
        let mut dropped = 0;
        if let (DT::Queue { bound: Some(b), .. }, DV::Arr(xs)) = (&ct, place) {
            let keep = (*b as usize).saturating_add(1);
            if xs.len() > keep {
                dropped = xs.len() - keep;
                xs.truncate(keep);
            }
        }
        if dropped > 0 {
            self.warn(
                Code::QueueBound,
                span,
                format!(
                    "{dropped} element(s) past the bound of the queue discarded (IEEE 1800 7.10.5)"
                ),
            );
        }
        Ok(r)
    }

    fn read_slot_quiet(&self, env: &Env, slot: Slot) -> DV {
        match slot {
            Slot::Local(id) => env
                .frame
                .as_ref()
                .and_then(|f| f.dyn_locals.get(&id))
                .map(|(_, v)| v.clone())
                .unwrap_or(DV::Opaque("internal: missing local")),
            Slot::Global(id) => self.dynv.vars[id as usize].val.clone(),
        }
    }

    /// The type at the end of an lvalue chain.
    fn lvalue_type_dyn(&mut self, env: &mut Env, e: &Expr) -> Option<DT> {
        let (_, t, chain) = self.dyn_lvalue(env, e)?;
        let mut t = t;
        for _ in chain {
            t = match &t {
                DT::Str => DT::Int {
                    ty: Ty::vector(8, true),
                    four_state: false,
                },
                other => other.elem().cloned()?,
            };
        }
        Some(t)
    }

    /// Store a value (already computed) at a dynamic lvalue, or at an
    /// integral one through the ordinary assignment.
    fn dyn_store(&mut self, env: &mut Env, target: &Expr, v: DV, span: Span) -> Result<()> {
        match self.lvalue_type_dyn(env, target) {
            Some(t) => {
                let v = dv::coerce(v, &t).map_err(|m| dyn_err(span, m))?;
                self.dyn_update(env, target, span, move |p| {
                    *p = v;
                    Ok(DV::Int(Bits::zero(1), false))
                })?;
                Ok(())
            }
            None => {
                let ty = self.lvalue_type(env, target)?;
                let b = self.dyn_to_bits(&v, ty.width, ty.signed, span)?;
                let g = self.g.konst(b);
                self.assign_value(env, target, g, false, span)
            }
        }
    }

    /// `lhs = rhs` where `lhs` is dynamic; `Ok(false)` when it is not.
    pub(super) fn dyn_assign(
        &mut self,
        env: &mut Env,
        lhs: &Expr,
        rhs: &Expr,
        nonblocking: bool,
        span: Span,
    ) -> Result<bool> {
        let Some(t) = self.lvalue_type_dyn(env, lhs) else {
            return Ok(false);
        };
        if nonblocking {
            return Err(dyn_err(
                span,
                format!("nonblocking assignment to a {}: use `=`", t.describe()),
            ));
        }
        let v = self.dyn_eval_to(env, rhs, &t)?;
        self.dyn_update(env, lhs, span, move |p| {
            *p = v;
            Ok(DV::Int(Bits::zero(1), false))
        })?;
        Ok(true)
    }

    /// A continuous assignment or port connection to a dynamic variable.
    pub(super) fn dyn_refuse_cont(&mut self, scope: ScopeId, lhs: &Expr, span: Span) -> Result<()> {
        let env = Env::cont(scope);
        if let Some((Slot::Global(id), t, _)) = self.dyn_lvalue(&env, lhs) {
            return Err(dyn_err(
                span,
                format!(
                    "`{}` ({}) is driven by a continuous assignment: a value of this type exists only at elaboration, so only initial blocks may write it",
                    self.dynv.vars[id as usize].name,
                    t.describe()
                ),
            ));
        }
        Ok(())
    }

    /// An event control on a string, real or array value (`@(posedge r)`):
    /// such a value never changes after time 0, and edges of a real are
    /// illegal (6.12).
    pub(super) fn dyn_refuse_event(&mut self, scope: ScopeId, ev: &ast::EventExpr) -> Result<()> {
        let env = Env::cont(scope);
        if let Class::Dyn(t) = self.dyn_class(&env, &ev.expr)? {
            return Err(dyn_err(
                ev.expr.span,
                format!("an event control on a {} value", t.describe()),
            ));
        }
        Ok(())
    }

    /// A method call statement (`q.push_back(x);`).
    pub(super) fn dyn_method_stmt(&mut self, env: &mut Env, call: &Expr, span: Span) -> Result<()> {
        let ExprKind::Method(root, name, args) = &call.kind else {
            return Err(dyn_err(span, "internal: not a method call"));
        };
        if self.dyn_class(env, root)? == Class::Plain {
            return Err(err_code(
                Code::Unsupported,
                span,
                format!(
                    "unsupported construct: method call statement `.{}()`",
                    name.name
                ),
            ));
        }
        self.dyn_method(env, root, name, args, span)?;
        Ok(())
    }

    /// `foreach` over a dynamic array, queue, associative array or string;
    /// `Ok(false)` when `array` is not dynamic.
    pub(super) fn dyn_foreach(
        &mut self,
        env: &mut Env,
        array: &Expr,
        vars: &[Option<ast::Ident>],
        body: &Stmt,
        span: Span,
    ) -> Result<bool> {
        let t = match self.dyn_class(env, array)? {
            Class::Dyn(t) => t,
            _ => return Ok(false),
        };
        if vars.len() > 1 {
            return Err(dyn_err(
                span,
                "`foreach` over a dynamic array with more than one loop variable is not supported",
            ));
        }
        let v = self.dyn_eval(env, array)?;
        let keys: Vec<DV> = match (&t, &v) {
            (DT::Assoc { key, .. }, DV::Map(m)) => {
                m.keys().map(|k| self.key_value(key, k)).collect()
            }
            (DT::Fixed { left, right, .. }, _) => {
                let step = if left <= right { 1 } else { -1 };
                let mut out = Vec::new();
                let mut i = *left;
                loop {
                    out.push(DV::int(i, 32, true));
                    if i == *right {
                        break;
                    }
                    i += step;
                }
                out
            }
            (_, DV::Arr(xs)) => (0..xs.len() as i64).map(|i| DV::int(i, 32, true)).collect(),
            (_, DV::Str(s)) => (0..s.len() as i64).map(|i| DV::int(i, 32, true)).collect(),
            _ => return Err(dyn_err(span, format!("`foreach` over a {}", t.describe()))),
        };
        if keys.len() > 65_536 {
            return Err(dyn_err(span, "loop runs more than 65536 times"));
        }
        let Some(Some(var)) = vars.first() else {
            // No loop variable: the body runs once per element.
            for _ in &keys {
                self.exec(env, body)?;
            }
            return Ok(true);
        };
        self.push_local_scope(env);
        let r = (|| -> Result<()> {
            let is_str_key = matches!(t, DT::Assoc { key: KeyT::Str, .. });
            let id = if is_str_key {
                let zero = self.g.zero(1);
                let id = self.new_local(env, &var.name, Ty::bit(false), zero);
                if let Some(f) = env.frame.as_mut() {
                    f.dyn_locals.insert(id, (DT::Str, DV::Str(Vec::new())));
                }
                id
            } else {
                let zero = self.g.zero(32);
                self.new_local(env, &var.name, Ty::vector(32, true), zero)
            };
            for k in keys {
                let brk = env.frame.as_ref().map(|f| f.brk);
                if let Some(b) = brk {
                    if self.g.as_const(b).is_some_and(|x| !x.is_zero()) {
                        break;
                    }
                }
                if is_str_key {
                    if let Some(f) = env.frame.as_mut() {
                        f.dyn_locals.insert(id, (DT::Str, k));
                    }
                } else {
                    let b = match (&t, k) {
                        (DT::Assoc { .. }, DV::Int(b, s)) => dv::resize(&b, s, 32),
                        (_, DV::Int(b, _)) => b,
                        _ => Bits::zero(32),
                    };
                    let g = self.g.konst(b);
                    self.set_local_raw(env, id, g);
                }
                self.exec(env, body)?;
            }
            Ok(())
        })();
        self.pop_local_scope(env);
        r?;
        Ok(true)
    }
}

/// One step of an lvalue chain.
enum Sel {
    Key(Key),
    Pos(usize),
    /// A character of a string.
    Char(i64),
}

/// `base.m` read as the method call `base.m()`.
fn as_method(base: &Expr, m: &ast::Ident, span: Span) -> Expr {
    Expr {
        kind: ExprKind::Method(Box::new(base.clone()), m.clone(), Vec::new()),
        span,
    }
}

/// `item` (the element name of a `with` clause).
fn is_item(e: &Expr) -> bool {
    matches!(&e.kind, ExprKind::Ident(sn) if sn.package.is_none() && sn.name.name == "item")
}
