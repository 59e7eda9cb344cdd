//! Expressions: IEEE 1800-2017 clause 11 typing and lowering to the graph.
//!
//! Two steps, as the standard describes: `self_type` finds an expression's
//! self-determined width and signedness bottom-up; `gen` then builds it at
//! the width and signedness propagated from its context, extending simple
//! operands where they stand (sign-extending only when the propagated type
//! is signed).

use super::graph::Gid;
use super::proc::{Frame, LocalId};
use super::types::{element_offset, Shape, Ty};
use super::{err, err_code, DriverKind, Elaborator, ScopeId, Sym, VarId};
use crate::ast::{self, BinaryOp, CastKind, Expr, ExprKind, UnaryOp};
use crate::bits::Bits;
use crate::diag::{Code, Result};
use crate::ir::{BinOp, UnOp};
use crate::source::Span;
use num_bigint::BigUint;

/// Where an expression is evaluated: a scope, and the procedural state when
/// inside a process or an inlined function.
pub(super) struct Env {
    pub scope: ScopeId,
    pub frame: Option<Frame>,
}

impl Env {
    pub fn cont(scope: ScopeId) -> Env {
        Env { scope, frame: None }
    }
}

/// What a select chain is rooted at.
#[derive(Clone, Debug)]
pub(super) enum Root {
    Var(VarId),
    Local(LocalId),
    Const(Bits),
    /// A memory word at a (dynamic) word address.
    MemWord {
        mem: u32,
        addr: Gid,
    },
}

#[derive(Clone, Debug)]
pub(super) enum Off {
    Static(u32),
    /// A 64-bit bit offset (huge when the index was out of range).
    Dyn(Gid),
}

/// A readable/writable part of a signal.
#[derive(Clone, Debug)]
pub(super) struct Place {
    pub root: Root,
    /// Width of the root value.
    pub root_width: u32,
    pub ty: Ty,
    pub off: Off,
    pub span: Span,
    /// True (1 bit) when a dynamic index or address of the chain falls
    /// outside its declared range; `None` when none can. A read there is
    /// x (IEEE 1800 7.4.6, 11.5.1): a free value, not 0.
    pub oob: Option<Gid>,
}

/// What a name means where it is read.
enum Named {
    Sym(Sym),
    Local(LocalId, Ty),
}

impl<'a> Elaborator<'a> {
    fn resolve_name(&self, env: &Env, sn: &ast::ScopedName) -> Result<Named> {
        if sn.package.is_none() {
            if let Some(f) = &env.frame {
                if let Some((id, ty)) = f.find_local(&sn.name.name) {
                    return Ok(Named::Local(id, ty));
                }
            }
        }
        Ok(Named::Sym(self.lookup(env.scope, sn)?))
    }

    // ------------------------------------------------------------ constants

    /// Evaluate a constant expression: its value and signedness.
    pub(super) fn const_eval(&mut self, scope: ScopeId, e: &Expr) -> Result<(Bits, bool)> {
        let mut env = Env::cont(scope);
        let (w, s) = self.self_type(&mut env, e)?;
        self.walk.const_depth += 1;
        let g = self.gen(&mut env, e, w, s);
        self.walk.const_depth -= 1;
        match self.g.as_const(g?) {
            Some(b) => Ok((b.clone(), s)),
            None => Err(err_code(
                Code::NotConstant,
                e.span,
                "not a constant expression (parameters, genvars and literals only)",
            )),
        }
    }

    /// Evaluate a constant as if assigned to a variable of type `ty`.
    pub(super) fn const_eval_to(&mut self, scope: ScopeId, e: &Expr, ty: &Ty) -> Result<Bits> {
        let mut env = Env::cont(scope);
        self.walk.const_depth += 1;
        let g = self.assign_rhs(&mut env, e, ty);
        self.walk.const_depth -= 1;
        match self.g.as_const(g?) {
            Some(b) => Ok(b.clone()),
            None => Err(err_code(
                Code::NotConstant,
                e.span,
                "not a constant expression (parameters, genvars and literals only)",
            )),
        }
    }

    pub(super) fn const_int(&mut self, scope: ScopeId, e: &Expr) -> Result<i64> {
        let (b, s) = self.const_eval(scope, e)?;
        bits_to_i64(&b, s).ok_or_else(|| {
            err_code(
                Code::Width,
                e.span,
                "constant too large for an index or count",
            )
        })
    }

    /// A constant inside a process (loop bounds, replication counts...).
    pub(super) fn env_const_int(&mut self, env: &mut Env, e: &Expr) -> Result<i64> {
        let (w, s) = self.self_type(env, e)?;
        self.walk.const_depth += 1;
        let g = self.gen(env, e, w, s);
        self.walk.const_depth -= 1;
        match self.g.as_const(g?) {
            Some(b) => {
                bits_to_i64(b, s).ok_or_else(|| err_code(Code::Width, e.span, "constant too large"))
            }
            None => Err(err_code(
                Code::NotConstant,
                e.span,
                "must be a constant known at elaboration",
            )),
        }
    }

    /// A real literal, `$` or `new[...]` where the dynamic evaluation did
    /// not take it (an integral context it cannot stand in).
    pub(super) fn dyn_misplaced(&self, e: &Expr) -> crate::diag::Error {
        let what = match &e.kind {
            ExprKind::Real(_) => "a real value",
            ExprKind::Dollar => "`$` outside a queue index",
            _ => "`new[...]` outside an assignment to a dynamic array",
        };
        err_code(
            Code::DynamicValue,
            e.span,
            format!("{what} here is not supported"),
        )
    }

    // ------------------------------------------------------------ typing

    /// Self-determined width and signedness.
    pub(super) fn self_type(&mut self, env: &mut Env, e: &Expr) -> Result<(u32, bool)> {
        if let Some(t) = self.dyn_self_type(env, e)? {
            return Ok(t);
        }
        if let Some(id) = self
            .call_as_ident(env, e)
            .or_else(|| self.cast_as_width(env, e))
        {
            return self.self_type(env, &id);
        }
        Ok(match &e.kind {
            ExprKind::Number(n) => (number_width(n, e.span)?, n.signed),
            ExprKind::Unbased(_) => (1, false),
            ExprKind::String(s) => ((s.len() as u32 * 8).max(8), false),
            ExprKind::Ident(_)
            | ExprKind::Member(..)
            | ExprKind::Index(..)
            | ExprKind::Range(..)
            | ExprKind::IndexedRange { .. }
            | ExprKind::Method(..) => {
                let t = self.sel_type(env, e)?;
                (t.width, t.signed)
            }
            ExprKind::Unary(_, a) | ExprKind::Cast(_, a) if self.is_unpacked_value(env, a)? => {
                return Err(self.unpacked_operand(a));
            }
            ExprKind::Binary(
                BinaryOp::Eq | BinaryOp::Ne | BinaryOp::CaseEq | BinaryOp::CaseNe,
                a,
                b,
            ) => {
                // Whole unpacked arrays compare element by element: as
                // equal-width bit strings, when both sides have one shape.
                let (ua, ub) = (
                    self.is_unpacked_value(env, a)?,
                    self.is_unpacked_value(env, b)?,
                );
                if ua || ub {
                    let ta = self.sel_type(env, a)?;
                    let tb = self.sel_type(env, b)?;
                    if !(ua && ub && ta == tb) {
                        return Err(err_code(
                            Code::Type,
                            e.span,
                            "an unpacked array or struct compares only with one of the same type",
                        ));
                    }
                }
                (1, false)
            }
            ExprKind::Binary(_, a, b) if self.is_unpacked_value(env, a)? => {
                return Err(self.unpacked_operand(a));
            }
            ExprKind::Binary(_, _, b) if self.is_unpacked_value(env, b)? => {
                return Err(self.unpacked_operand(b));
            }
            ExprKind::Unary(op, a) => match op {
                UnaryOp::Plus | UnaryOp::Minus | UnaryOp::BitNot => self.self_type(env, a)?,
                _ => (1, false),
            },
            ExprKind::Binary(op, a, b) => {
                use BinaryOp::*;
                match op {
                    Add | Sub | Mul | Div | Mod | BitAnd | BitOr | BitXor | BitXnor => {
                        let (wa, sa) = self.self_type(env, a)?;
                        let (wb, sb) = self.self_type(env, b)?;
                        (wa.max(wb), sa && sb)
                    }
                    Pow | Shl | Shr | AShl | AShr => self.self_type(env, a)?,
                    _ => (1, false),
                }
            }
            ExprKind::Cond(_, a, b) => {
                let (wa, sa) = self.self_type(env, a)?;
                let (wb, sb) = self.self_type(env, b)?;
                (wa.max(wb), sa && sb)
            }
            ExprKind::Stream { items, .. } => (self.stream_width(env, items, e.span)?, false),
            ExprKind::Concat(parts) => {
                let mut w = 0u32;
                for p in parts {
                    if self.is_unpacked_value(env, p)? {
                        return Err(self.unpacked_operand(p));
                    }
                    w += self.self_type(env, p)?.0;
                }
                if w == 0 {
                    return Err(err(e.span, "empty concatenation"));
                }
                (w, false)
            }
            ExprKind::Repl(n, parts) => {
                let count = self.env_const_int(env, n)?;
                if count <= 0 {
                    return Err(err_code(
                        Code::Width,
                        n.span,
                        "replication count must be positive",
                    ));
                }
                let mut w = 0u64;
                for p in parts {
                    if self.is_unpacked_value(env, p)? {
                        return Err(self.unpacked_operand(p));
                    }
                    w += self.self_type(env, p)?.0 as u64;
                }
                let total = w * count as u64;
                if total == 0 || total > (1 << 24) {
                    return Err(err_code(Code::Width, e.span, "replication too wide"));
                }
                (total as u32, false)
            }
            ExprKind::Call(name, _) => {
                let f = self.func(env, name)?;
                let (fdecl, fscope) = self.syms.funcs[f.index];
                match &fdecl.ret {
                    Some(t) => {
                        let ty = self.resolve_type(fscope, t)?;
                        (ty.width, ty.signed)
                    }
                    None => {
                        return Err(err_code(
                            Code::Call,
                            e.span,
                            format!("`{}` is a void function: it has no value", name.name.name),
                        ))
                    }
                }
            }
            ExprKind::SysCall(name, args) => match name.as_str() {
                "$signed" | "$unsigned" | "$past" => {
                    let a = args.first().ok_or_else(|| {
                        err_code(
                            Code::SystemCall,
                            e.span,
                            format!("{name} needs an argument"),
                        )
                    })?;
                    let (w, s) = self.self_type(env, a)?;
                    (
                        w,
                        if name == "$signed" {
                            true
                        } else if name == "$unsigned" {
                            false
                        } else {
                            s
                        },
                    )
                }
                "$onehot" | "$onehot0" | "$isunknown" | "$rose" | "$fell" | "$stable"
                | "$changed" | "$initstate" => (1, false),
                // Sized by their context, like `'1`.
                "$anyconst" | "$anyseq" | "$allconst" | "$allseq" => (1, false),
                "$clog2" | "$bits" | "$countones" | "$size" | "$high" | "$low" | "$left"
                | "$right" => (32, true),
                _ => {
                    return Err(err_code(
                        Code::SystemCall,
                        e.span,
                        format!("unsupported system function `{name}`"),
                    ))
                }
            },
            ExprKind::Cast(kind, inner) => match kind {
                CastKind::Width(w) => {
                    let w = self.env_const_int(env, w)?;
                    if !(1..=(1 << 24)).contains(&w) {
                        return Err(err_code(
                            Code::Width,
                            e.span,
                            "cast width must be between 1 and 16M",
                        ));
                    }
                    let (_, s) = self.self_type(env, inner)?;
                    (w as u32, s)
                }
                CastKind::Signed => (self.self_type(env, inner)?.0, true),
                CastKind::Unsigned => (self.self_type(env, inner)?.0, false),
                CastKind::Type(t) => {
                    let ty = self.resolve_type(env.scope, t)?;
                    (ty.width, ty.signed)
                }
            },
            ExprKind::Inside(..) => (1, false),
            ExprKind::Pattern(_) => {
                return Err(err_code(
                    Code::Pattern,
                    e.span,
                    "an assignment pattern needs a known type here: write `type_t'{...}`",
                ));
            }
            ExprKind::Type(_) => {
                return Err(err_code(
                    Code::WrongKind,
                    e.span,
                    "a type is not a value here",
                ))
            }
            ExprKind::Real(_) | ExprKind::Dollar | ExprKind::New { .. } => {
                return Err(self.dyn_misplaced(e))
            }
        })
    }

    /// Whether `e` is a whole unpacked array or struct (a select chain of
    /// unpacked type).
    pub(super) fn is_unpacked_value(&mut self, env: &mut Env, e: &Expr) -> Result<bool> {
        if self.dyn_class(env, e)? != super::dynexec::Class::Plain {
            return Ok(false);
        }
        match &e.kind {
            ExprKind::Ident(_)
            | ExprKind::Member(..)
            | ExprKind::Index(..)
            | ExprKind::Range(..)
            | ExprKind::IndexedRange { .. } => Ok(self.sel_type(env, e)?.is_unpacked()),
            _ => Ok(false),
        }
    }

    fn unpacked_operand(&self, e: &Expr) -> crate::diag::Error {
        err_code(Code::Type,
            e.span,
            "an unpacked array or struct is not an integral value: use one element (`a[i]`, `s.f`), or assign or compare it whole",
        )
    }

    /// The type of a select chain (`a`, `a.b`, `a[3]`, `a[7:4]`, `a[i+:4]`).
    pub(super) fn sel_type(&mut self, env: &mut Env, e: &Expr) -> Result<Ty> {
        match &e.kind {
            ExprKind::Ident(sn) => match self.resolve_name(env, sn)? {
                Named::Local(_, ty) => Ok(ty),
                Named::Sym(Sym::Var(v)) => Ok(self.net.vars[v].ty.clone()),
                Named::Sym(Sym::Const(_, ty)) => Ok(ty),
                Named::Sym(Sym::Mem(_)) => Err(err_code(
                    Code::WrongKind,
                    e.span,
                    format!("memory `{}` used without an index", sn.name.name),
                )),
                Named::Sym(Sym::Type(_)) => Err(err_code(
                    Code::WrongKind,
                    e.span,
                    format!("`{}` is a type, not a value", sn.name.name),
                )),
                Named::Sym(Sym::Func(_)) => Err(err_code(
                    Code::WrongKind,
                    e.span,
                    format!("function `{}` used without arguments `()`", sn.name.name),
                )),
                Named::Sym(Sym::Package | Sym::Scope(_) | Sym::GenArray(_)) => Err(err_code(
                    Code::WrongKind,
                    e.span,
                    format!("`{}` is a package or instance, not a value", sn.name.name),
                )),
                Named::Sym(Sym::Dyn(id)) => Err(err_code(
                    Code::DynamicValue,
                    e.span,
                    format!(
                        "`{}` ({}) used where an integral signal is expected",
                        sn.name.name,
                        self.dynv.vars[id as usize].ty.describe()
                    ),
                )),
            },
            ExprKind::Member(base, m) => {
                if let Some(sc) = self.scope_of(env, base)? {
                    let inner = self.hier_ident(m);
                    return self.sel_type(&mut Env::cont(sc), &inner);
                }
                let bt = self.sel_type(env, base)?;
                match bt.member(&m.name) {
                    Some(mm) => Ok(mm.ty.clone()),
                    None => Err(err_code(
                        Code::UnknownName,
                        m.span,
                        format!(
                            "no member `{}` here (hierarchical references are not supported)",
                            m.name
                        ),
                    )),
                }
            }
            ExprKind::Index(base, _) => {
                if let Some(mem) = self.mem_of(env, base)? {
                    return Ok(self.net.mems[mem as usize].elem.clone());
                }
                let bt = self.sel_type(env, base)?;
                Ok(bt.element())
            }
            ExprKind::Range(base, l, r) => {
                let bt = self.sel_type(env, base)?;
                let l = self.env_const_int(env, l)?;
                let r = self.env_const_int(env, r)?;
                let ew = bt.element().width as u64;
                let n = (l - r).unsigned_abs() + 1;
                Ok(Ty::vector((n * ew).min(1 << 24) as u32, false))
            }
            ExprKind::Method(root, name, _) => self.method_type(env, root, name, e.span),
            ExprKind::IndexedRange { base, width, .. } => {
                let bt = self.sel_type(env, base)?;
                let w = self.env_const_int(env, width)?;
                if w <= 0 {
                    return Err(err_code(
                        Code::Width,
                        width.span,
                        "part-select width must be positive",
                    ));
                }
                let ew = bt.element().width as u64;
                Ok(Ty::vector((w as u64 * ew).min(1 << 24) as u32, false))
            }
            _ => {
                let (w, s) = self.self_type(env, e)?;
                Ok(Ty::vector(w, s))
            }
        }
    }

    /// sv-parser reads a bare name in a constant expression as a call
    /// without arguments (legal SV for functions); when the name is not a
    /// function it is a plain identifier.
    fn call_as_ident(&self, env: &Env, e: &Expr) -> Option<Expr> {
        let ExprKind::Call(name, args) = &e.kind else {
            return None;
        };
        if !args.is_empty() {
            return None;
        }
        if name.package.is_none() {
            if let Some(f) = &env.frame {
                if f.find_local(&name.name.name).is_some() {
                    return Some(Expr {
                        kind: ExprKind::Ident(name.clone()),
                        span: e.span,
                    });
                }
            }
        }
        match self.lookup(env.scope, name) {
            Ok(Sym::Func(_)) => None,
            _ => Some(Expr {
                kind: ExprKind::Ident(name.clone()),
                span: e.span,
            }),
        }
    }

    /// `W'(x)` where `W` is a parameter reads as a type cast in the
    /// grammar; it is a size cast.
    fn cast_as_width(&self, env: &Env, e: &Expr) -> Option<Expr> {
        let ExprKind::Cast(CastKind::Type(t), inner) = &e.kind else {
            return None;
        };
        let ast::TypeKind::Named(sn) = &t.kind else {
            return None;
        };
        if !t.packed.is_empty() || t.signed.is_some() {
            return None;
        }
        match self.lookup(env.scope, sn) {
            Ok(Sym::Const(..)) => {
                let w = Expr {
                    kind: ExprKind::Ident(sn.clone()),
                    span: t.span,
                };
                Some(Expr {
                    kind: ExprKind::Cast(CastKind::Width(Box::new(w)), inner.clone()),
                    span: e.span,
                })
            }
            _ => None,
        }
    }

    /// If `e` names a memory, its index.
    fn mem_of(&self, env: &Env, e: &Expr) -> Result<Option<u32>> {
        if let ExprKind::Ident(sn) = &e.kind {
            if let Ok(Named::Sym(Sym::Mem(m))) = self.resolve_name(env, sn) {
                return Ok(Some(m));
            }
        }
        Ok(None)
    }

    pub(super) fn func(&self, env: &Env, name: &ast::ScopedName) -> Result<super::FuncRef> {
        match self.lookup(env.scope, name)? {
            Sym::Func(f) => Ok(f),
            _ => Err(err_code(
                Code::WrongKind,
                name.name.span,
                format!("`{}` is not a function", name.name.name),
            )),
        }
    }

    // ------------------------------------------------------------ places

    /// Resolve a select chain to a place.
    pub(super) fn place(&mut self, env: &mut Env, e: &Expr) -> Result<Place> {
        match &e.kind {
            ExprKind::Ident(sn) => {
                let (root, ty) = match self.resolve_name(env, sn)? {
                    Named::Local(id, ty) => (Root::Local(id), ty),
                    Named::Sym(Sym::Var(v)) => (Root::Var(v), self.net.vars[v].ty.clone()),
                    Named::Sym(Sym::Const(b, ty)) => (Root::Const(b), ty),
                    _ => {
                        self.sel_type(env, e)?;
                        return Err(err_code(Code::WrongKind, e.span, "not a value"));
                    }
                };
                Ok(Place {
                    root,
                    root_width: ty.width,
                    ty,
                    off: Off::Static(0),
                    span: e.span,
                    oob: None,
                })
            }
            ExprKind::Member(base, m) => {
                if let Some(sc) = self.scope_of(env, base)? {
                    // A name inside a generate block or an instance below this scope.
                    let inner = self.hier_ident(m);
                    let mut henv = Env::cont(sc);
                    let p = self.place(&mut henv, &inner)?;
                    if let Root::Local(_) = p.root {
                        return Err(err(e.span, "hierarchical reference to a local variable"));
                    }
                    return Ok(p);
                }
                let p = self.place(env, base)?;
                let mm = p.ty.member(&m.name).cloned().ok_or_else(|| {
                    err_code(
                        Code::UnknownName,
                        m.span,
                        format!(
                            "no member `{}` here (hierarchical references are not supported)",
                            m.name
                        ),
                    )
                })?;
                let off = self.add_off(&p.off, mm.lo);
                Ok(Place {
                    ty: mm.ty,
                    off,
                    span: e.span,
                    ..p
                })
            }
            ExprKind::Index(base, idx) => {
                if let Some(mem) = self.mem_of(env, base)? {
                    let (addr, oob) = self.mem_addr_checked(env, mem, idx)?;
                    let ty = self.net.mems[mem as usize].elem.clone();
                    return Ok(Place {
                        root: Root::MemWord { mem, addr },
                        root_width: ty.width,
                        ty,
                        off: Off::Static(0),
                        span: e.span,
                        oob,
                    });
                }
                let p = self.place(env, base)?;
                let (left, right) = p.ty.range().unwrap_or((p.ty.width as i64 - 1, 0));
                let elem = p.ty.element();
                let ew = elem.width;
                let (w, s) = self.self_type(env, idx)?;
                let ig = self.gen(env, idx, w, s)?;
                let mut oob = p.oob;
                let off = if let Some(c) = self.g.as_const(ig).cloned() {
                    let i = bits_to_i64(&c, s).unwrap_or(i64::MAX);
                    match element_offset(left, right, i) {
                        Some(o) => self.add_off(&p.off, (o * ew as u64) as u32),
                        None => {
                            self.warn(Code::IndexOutOfRange, idx.span, format!("index {i} is outside [{left}:{right}]: reads x (a free value; 0 in a constant), writes are ignored"));
                            let one = self.g.one_bit(true);
                            oob = self.or_oob(p.oob, one);
                            let huge = self.g.konst(Bits::ones(64));
                            Off::Dyn(huge)
                        }
                    }
                } else {
                    let i64g = self.g.resize(ig, 64, s);
                    let (base_i, dir_down) = if left >= right {
                        (right, true)
                    } else {
                        (right, false)
                    };
                    let bconst = self.g.konst(Bits::from_i64(64, base_i));
                    let rel = if dir_down {
                        self.g.binary(BinOp::Sub, i64g, bconst, idx.span)
                    } else {
                        self.g.binary(BinOp::Sub, bconst, i64g, idx.span)
                    };
                    // Out-of-range indices: a negative offset wraps to a huge
                    // unsigned one, above the range check below.
                    let n = (left - right).unsigned_abs() + 1;
                    let limit = self.g.const_u64(64, n);
                    let inside = self.g.binary(BinOp::Ult, rel, limit, idx.span);
                    if self.index_may_leave(ig, left.min(right), left.max(right), s) {
                        let outside = self.g.unary(UnOp::Not, inside, idx.span);
                        oob = self.or_oob(p.oob, outside);
                    }
                    let ewc = self.g.const_u64(64, ew as u64);
                    let scaled = self.g.binary(BinOp::Mul, rel, ewc, idx.span);
                    let huge = self.g.konst(Bits::ones(64));
                    let elem_off = self.g.mux(inside, scaled, huge, idx.span);
                    self.add_dyn(&p.off, elem_off)
                };
                Ok(Place {
                    ty: elem,
                    off,
                    span: e.span,
                    oob,
                    ..p
                })
            }
            ExprKind::Range(base, l, r) => {
                let p = self.place(env, base)?;
                let (left, right) = p.ty.range().unwrap_or((p.ty.width as i64 - 1, 0));
                let ew = p.ty.element().width as u64;
                let li = self.env_const_int(env, l)?;
                let ri = self.env_const_int(env, r)?;
                if (li >= ri) != (left >= right) && li != ri {
                    return Err(err_code(Code::Width, e.span, format!("part select [{li}:{ri}] is reversed for a range declared [{left}:{right}]")));
                }
                let (ol, or) = (
                    element_offset(left, right, li),
                    element_offset(left, right, ri),
                );
                let (Some(ol), Some(or)) = (ol, or) else {
                    return Err(err_code(Code::Width, e.span, format!("part select [{li}:{ri}] is outside the declared range [{left}:{right}]")));
                };
                let lo = ol.min(or) * ew;
                let n = (li - ri).unsigned_abs() + 1;
                let off = self.add_off(&p.off, lo as u32);
                Ok(Place {
                    ty: Ty::vector((n * ew) as u32, false),
                    off,
                    span: e.span,
                    ..p
                })
            }
            ExprKind::IndexedRange {
                base,
                start,
                up,
                width,
            } => {
                let p = self.place(env, base)?;
                let (left, right) = p.ty.range().unwrap_or((p.ty.width as i64 - 1, 0));
                let ew = p.ty.element().width as u64;
                let w = self.env_const_int(env, width)?;
                if w <= 0 {
                    return Err(err_code(
                        Code::Width,
                        width.span,
                        "part-select width must be positive",
                    ));
                }
                let w = w as u64;
                let (sw, ss) = self.self_type(env, start)?;
                let sg = self.gen(env, start, sw, ss)?;
                let mut oob = p.oob;
                // Element index of the least significant selected element.
                let descending = left >= right;
                let lsb_index = |i: i64| -> i64 {
                    match (up, descending) {
                        (true, true) | (false, false) => i,
                        (true, false) => i + w as i64 - 1,
                        (false, true) => i - w as i64 + 1,
                    }
                };
                let off = if let Some(c) = self.g.as_const(sg).cloned() {
                    let i = bits_to_i64(&c, ss).unwrap_or(i64::MAX);
                    let lsb = lsb_index(i);
                    let msb_elem = if *up {
                        i + w as i64 - 1
                    } else {
                        i - w as i64 + 1
                    };
                    match (
                        element_offset(left, right, lsb),
                        element_offset(left, right, msb_elem),
                    ) {
                        (Some(o), Some(_)) => self.add_off(&p.off, (o * ew) as u32),
                        _ => {
                            return Err(err_code(Code::Width, e.span, format!("indexed part select starting at {i} leaves the declared range [{left}:{right}]")));
                        }
                    }
                } else {
                    let i64g = self.g.resize(sg, 64, ss);
                    let adj = lsb_index(0);
                    let adjc = self.g.konst(Bits::from_i64(64, adj));
                    let lsb = self.g.binary(BinOp::Add, i64g, adjc, start.span);
                    let rel = if descending {
                        let rc = self.g.konst(Bits::from_i64(64, right));
                        self.g.binary(BinOp::Sub, lsb, rc, start.span)
                    } else {
                        let rc = self.g.konst(Bits::from_i64(64, right));
                        self.g.binary(BinOp::Sub, rc, lsb, start.span)
                    };
                    // Outside when the lowest selected element is (a
                    // negative offset wraps to a huge unsigned one) or the
                    // highest is.
                    let n = (left - right).unsigned_abs() + 1;
                    let (lo, hi) = (left.min(right), left.max(right));
                    let (lo, hi) = if *up {
                        (lo, hi - (w as i64 - 1))
                    } else {
                        (lo + (w as i64 - 1), hi)
                    };
                    if n < w || self.index_may_leave(sg, lo, hi, ss) {
                        let outside = if n < w {
                            self.g.one_bit(true)
                        } else {
                            let last = self.g.const_u64(64, n - w);
                            self.g.binary(BinOp::Ult, last, rel, start.span)
                        };
                        oob = self.or_oob(p.oob, outside);
                    }
                    let ewc = self.g.const_u64(64, ew);
                    let scaled = self.g.binary(BinOp::Mul, rel, ewc, start.span);
                    self.add_dyn(&p.off, scaled)
                };
                Ok(Place {
                    ty: Ty::vector((w * ew) as u32, false),
                    off,
                    span: e.span,
                    oob,
                    ..p
                })
            }
            _ => Err(err_code(
                Code::NotAssignable,
                e.span,
                "not an assignable or selectable name",
            )),
        }
    }

    /// If `e` names a generate block or an instance (`blk`, `blk[2]`,
    /// `u.v`), its scope.
    fn scope_of(&mut self, env: &mut Env, e: &Expr) -> Result<Option<ScopeId>> {
        match &e.kind {
            ExprKind::Ident(sn) => {
                if let Some(f) = &env.frame {
                    if f.find_local(&sn.name.name).is_some() {
                        return Ok(None);
                    }
                }
                Ok(match self.lookup(env.scope, sn) {
                    Ok(Sym::Scope(s)) => Some(s),
                    _ => None,
                })
            }
            ExprKind::Index(base, idx) => {
                if let ExprKind::Ident(sn) = &base.kind {
                    if let Ok(Sym::GenArray(list)) = self.lookup(env.scope, sn) {
                        let i = self.env_const_int(env, idx)?;
                        return match list.iter().find(|(k, _)| *k == i) {
                            Some((_, s)) => Ok(Some(*s)),
                            None => Err(err_code(
                                Code::UnknownName,
                                idx.span,
                                format!("generate block `{}` has no iteration {i}", sn.name.name),
                            )),
                        };
                    }
                }
                Ok(None)
            }
            ExprKind::Member(base, m) => match self.scope_of(env, base)? {
                Some(s) => Ok(match self.syms.scopes[s].names.get(&m.name) {
                    Some(Sym::Scope(c)) => Some(*c),
                    _ => None,
                }),
                None => Ok(None),
            },
            _ => Ok(None),
        }
    }

    /// `m` as a plain name (looked up by the caller in the named scope).
    fn hier_ident(&self, m: &ast::Ident) -> Expr {
        Expr {
            kind: ExprKind::Ident(ast::ScopedName {
                package: None,
                name: m.clone(),
            }),
            span: m.span,
        }
    }

    fn add_off(&mut self, off: &Off, lo: u32) -> Off {
        match off {
            Off::Static(x) => Off::Static(x + lo),
            Off::Dyn(g) => {
                let c = self.g.const_u64(64, lo as u64);
                Off::Dyn(self.g.binary(BinOp::Add, *g, c, Span::NONE))
            }
        }
    }

    fn add_dyn(&mut self, off: &Off, d: Gid) -> Off {
        match off {
            Off::Static(0) => Off::Dyn(d),
            Off::Static(x) => {
                let c = self.g.const_u64(64, *x as u64);
                Off::Dyn(self.g.binary(BinOp::Add, d, c, Span::NONE))
            }
            Off::Dyn(g) => Off::Dyn(self.g.binary(BinOp::Add, *g, d, Span::NONE)),
        }
    }

    /// Word address of `mem[idx]` and, when the index can leave the
    /// declared range, the condition that it does.
    fn mem_addr_checked(
        &mut self,
        env: &mut Env,
        mem: u32,
        idx: &Expr,
    ) -> Result<(Gid, Option<Gid>)> {
        let (w, s) = self.self_type(env, idx)?;
        let ig = self.gen(env, idx, w, s)?;
        let addr = self.mem_addr_of(mem, ig, s, idx.span);
        let m = &self.net.mems[mem as usize];
        let (lo, hi) = (m.left.min(m.right), m.left.max(m.right));
        if !self.index_may_leave(ig, lo, hi, s) {
            return Ok((addr, None));
        }
        // The address is the index itself (fewer bits than needed for the
        // depth, or index_may_leave was false) or a 64-bit offset from
        // the lowest index (negative ones wrap to huge): `< depth` fits.
        let depth = Bits::from_u64(self.g.width(addr), m.depth());
        let depth = self.g.konst(depth);
        let inside = self.g.binary(BinOp::Ult, addr, depth, idx.span);
        let outside = self.g.unary(UnOp::Not, inside, idx.span);
        Ok((addr, Some(outside)))
    }

    fn or_oob(&mut self, a: Option<Gid>, b: Gid) -> Option<Gid> {
        Some(match a {
            Some(a) => self.g.binary(BinOp::Or, a, b, Span::NONE),
            None => b,
        })
    }

    /// Whether index value `ig` (signed `s`) can fall outside `[lo, hi]`.
    fn index_may_leave(&self, ig: Gid, lo: i64, hi: i64, s: bool) -> bool {
        let w = self.g.width(ig);
        let (umin, umax) = self.g.urange(ig);
        // Signed, but the sign bit is never set: as unsigned.
        let (min, max) = if !s || (w <= 64 && umax < (1u128 << (w - 1))) {
            let big = |v: u128| i128::try_from(v).unwrap_or(i128::MAX);
            (big(umin), big(umax))
        } else {
            let h = 1i128 << (w.min(64) - 1);
            (-h, h - 1)
        };
        min < lo as i128 || max > hi as i128
    }

    /// Word address of index value `ig` of `mem` (0 = the lowest declared
    /// index).
    fn mem_addr_of(&mut self, mem: u32, ig: Gid, s: bool, span: Span) -> Gid {
        let low = self.net.mems[mem as usize]
            .left
            .min(self.net.mems[mem as usize].right);
        if low == 0 && !s {
            return ig;
        }
        let i64g = self.g.resize(ig, 64, s);
        let lc = self.g.konst(Bits::from_i64(64, low));
        self.g.binary(BinOp::Sub, i64g, lc, span)
    }

    /// The value of a place's root.
    fn root_value(&mut self, env: &mut Env, p: &Place) -> Gid {
        match &p.root {
            Root::Var(v) => self.read_var(env, *v),
            Root::Local(id) => env
                .frame
                .as_ref()
                .map(|f| f.local_value(*id))
                .unwrap_or_else(|| self.g.zero(p.root_width)),
            Root::Const(b) => self.g.konst(b.clone()),
            Root::MemWord { mem, addr } => {
                if let Some(f) = &env.frame {
                    if f.blocking_mem_writes.contains(mem) {
                        // Reading a memory after a blocking write in the same
                        // block would need the write to be visible: refuse.
                        return self.g.zero(p.root_width);
                    }
                }
                let w = self.net.mems[*mem as usize].elem.width;
                let m = self.mem_id(*mem);
                self.g.mem_read(m, *addr, w, p.span)
            }
        }
    }

    /// Current value of a signal as seen from `env`.
    pub(super) fn read_var(&mut self, env: &Env, v: VarId) -> Gid {
        if let Some(f) = &env.frame {
            if let Some(g) = f.read(v) {
                return g;
            }
            if f.kind == super::proc::ProcKind::Initial {
                // At time 0 a variable holds its declaration initialiser
                // (two-state variables get 0 at their declaration).
                // Without one (an input, a net, a four-state register with
                // no initial value) it is not a known constant: its symbolic
                // value is read, so what depends on it has no initial value
                // either (W0312; it was read as 0: a wrong `pass`).
                if let Some(b) = self.net.vars[v].init.clone() {
                    return self.g.konst(b);
                }
            } else {
                self.walk.frame_reads.insert(v);
            }
        }
        let var = &self.net.vars[v];
        let (w, span) = (var.ty.width, var.span);
        self.g.var(v, w, span)
    }

    pub(super) fn read_place(&mut self, env: &mut Env, p: &Place) -> Result<Gid> {
        if let (Root::MemWord { mem, .. }, Some(f)) = (&p.root, &env.frame) {
            if f.blocking_mem_writes.contains(mem) {
                return Err(err_code(Code::ElabUnsupported, p.span, "reading a memory after a blocking write to it in the same block is not supported"));
            }
        }
        let base = self.root_value(env, p);
        let w = p.ty.width;
        let v = self.read_bits(base, p);
        let Some(outside) = p.oob else {
            return Ok(v);
        };
        // Outside the declared range a read is x: free in formal, random in
        // simulation, like an x literal (it read 0: a verdict could rest
        // on it). In a constant there is no cycle to be free in: 0.
        let constant = self.walk.const_depth > 0
            || env
                .frame
                .as_ref()
                .is_some_and(|f| f.kind == super::proc::ProcKind::Initial);
        if constant || self.g.as_const(outside).is_some_and(|c| c.is_zero()) {
            return Ok(v);
        }
        let free = self.free_value(env.scope, "$oob", w, false, p.span)?;
        Ok(self.g.mux(outside, free, v, p.span))
    }

    /// The bits of place `p` in `base`, the value of its root (0 outside).
    fn read_bits(&mut self, base: Gid, p: &Place) -> Gid {
        let w = p.ty.width;
        match &p.off {
            Off::Static(lo) => {
                if lo + w <= p.root_width {
                    self.g.slice(base, *lo, w)
                } else {
                    self.g.zero(w)
                }
            }
            Off::Dyn(off) => {
                let sh = self.g.binary(BinOp::Lshr, base, *off, p.span);
                if w <= p.root_width {
                    self.g.slice(sh, 0, w)
                } else {
                    self.g.zext(sh, w)
                }
            }
        }
    }

    /// `base` with the bits of place `p` replaced by `val` (dynamic offsets
    /// by masking; out-of-range offsets change nothing).
    pub(super) fn insert_place(&mut self, base: Gid, p: &Place, val: Gid) -> Gid {
        let bw = self.g.width(base);
        let w = self.g.width(val);
        match &p.off {
            Off::Static(lo) => {
                if lo + w <= bw {
                    self.g.insert(base, *lo, val)
                } else {
                    base
                }
            }
            Off::Dyn(off) => {
                let ones = self.g.konst(Bits::ones(w));
                let m = self.g.zext(ones, bw);
                let mask = self.g.binary(BinOp::Shl, m, *off, p.span);
                let nmask = self.g.not(mask);
                let kept = self.g.and(base, nmask);
                let v = self.g.zext(val, bw);
                let sv = self.g.binary(BinOp::Shl, v, *off, p.span);
                let nv = self.g.and(sv, mask);
                self.g.or(kept, nv)
            }
        }
    }

    // ------------------------------------------------------------ assignments

    /// The value of `rhs` assigned to something of type `ty` (width rules of
    /// an assignment: evaluated at max(lhs, rhs) width, then truncated).
    pub(super) fn assign_rhs(&mut self, env: &mut Env, rhs: &Expr, ty: &Ty) -> Result<Gid> {
        if let Some(g) = self.dyn_gen_in(env, rhs, ty.width, ty.signed, true)? {
            return Ok(g);
        }
        if let ExprKind::Pattern(items) = &rhs.kind {
            return self.pattern(env, items, ty, rhs.span);
        }
        if let ExprKind::Unbased(u) = &rhs.kind {
            return self.unbased(env, *u, ty.width, rhs.span);
        }
        if let Some(g) = self.stream_to(env, rhs, ty.width)? {
            return Ok(g);
        }
        let (ur, ul) = (self.is_unpacked_value(env, rhs)?, ty.is_unpacked());
        if ur || ul {
            // Whole unpacked values assign only between equal shapes
            // (element widths and counts), never with width conversion.
            let same = ur && ul && {
                let rt = self.sel_type(env, rhs)?;
                same_layout(&rt, ty)
            };
            if !same {
                return Err(err_code(Code::Type,
                    rhs.span,
                    "an unpacked array or struct is assigned only from one of the same shape (or an assignment pattern `'{...}`)",
                ));
            }
        }
        let (w, s) = self.self_type(env, rhs)?;
        let width = w.max(ty.width);
        let g = self.gen(env, rhs, width, s)?;
        Ok(self.g.slice(g, 0, ty.width))
    }

    fn unbased(&mut self, env: &Env, u: ast::UnbasedUnsized, w: u32, span: Span) -> Result<Gid> {
        Ok(match u {
            ast::UnbasedUnsized::One => self.g.konst(Bits::ones(w)),
            ast::UnbasedUnsized::Zero => self.g.zero(w),
            ast::UnbasedUnsized::X | ast::UnbasedUnsized::Z => self.all_x(env, w, span)?,
        })
    }

    /// A value of `w` bits that are all x (see `xz_digits`).
    pub(super) fn all_x(&mut self, env: &Env, w: u32, span: Span) -> Result<Gid> {
        let zero = self.g.zero(w);
        self.xz_digits(env, zero, &((BigUint::from(1u8) << w as usize) - 1u8), span)
    }

    /// The x/z digits (bits set in `mask`) of literal `k`: outside constant
    /// evaluation a free value in every cycle, like an undriven bit (`x` is
    /// "some value nobody chose", `z` is "nobody drives it"), so no verdict
    /// can rest on reading them as 0. In a constant (a parameter, an initial
    /// value, a loop bound) there is no cycle to be free in: 0, with a warning.
    pub(super) fn xz_digits(
        &mut self,
        env: &Env,
        k: Gid,
        mask: &BigUint,
        span: Span,
    ) -> Result<Gid> {
        let w = self.g.width(k);
        let mask = Bits::new(w, mask.clone());
        if mask.is_zero() {
            return Ok(k);
        }
        let constant = self.walk.const_depth > 0
            || env
                .frame
                .as_ref()
                .is_some_and(|f| f.kind == super::proc::ProcKind::Initial);
        if constant {
            self.warn(
                Code::XzConstant,
                span,
                "x/z digits in a constant (a parameter, an initial value) are 0 in two-state semantics",
            );
            return Ok(k);
        }
        let free = self.free_value(env.scope, "$x", w, false, span)?;
        if mask == Bits::ones(w) {
            return Ok(free);
        }
        let m = self.g.konst(mask.clone());
        let keep = self.g.konst(mask.not());
        let fixed = self.g.and(k, keep);
        let loose = self.g.and(free, m);
        Ok(self.g.or(fixed, loose))
    }

    /// `'{...}` for a struct, an array or a vector.
    fn pattern(
        &mut self,
        env: &mut Env,
        items: &[(ast::PatternKey, Expr)],
        ty: &Ty,
        span: Span,
    ) -> Result<Gid> {
        use ast::PatternKey as K;
        match &ty.shape {
            Shape::Struct(members) => {
                let members = members.clone();
                let mut vals: Vec<Option<Gid>> = vec![None; members.len()];
                let mut default = None;
                let mut pos = 0;
                for (k, e) in items {
                    match k {
                        K::Positional => {
                            let m = members.get(pos).ok_or_else(|| {
                                err_code(Code::Pattern, e.span, "too many values for this struct")
                            })?;
                            vals[pos] = Some(self.assign_rhs(env, e, &m.ty.clone())?);
                            pos += 1;
                        }
                        K::Member(n) => {
                            let i =
                                members
                                    .iter()
                                    .position(|m| m.name == n.name)
                                    .ok_or_else(|| {
                                        err_code(
                                            Code::UnknownName,
                                            n.span,
                                            format!("no member `{}`", n.name),
                                        )
                                    })?;
                            vals[i] = Some(self.assign_rhs(env, e, &members[i].ty.clone())?);
                        }
                        K::Default => default = Some(e),
                        K::Index(_) => {
                            return Err(err_code(
                                Code::Pattern,
                                e.span,
                                "index keys do not apply to a struct",
                            ))
                        }
                    }
                }
                let mut parts = Vec::new();
                for (i, m) in members.iter().enumerate() {
                    let v = match (vals[i], default) {
                        (Some(v), _) => v,
                        (None, Some(d)) => self.pattern_default(env, d, &m.ty.clone())?,
                        (None, None) => {
                            return Err(err_code(
                                Code::Pattern,
                                span,
                                format!("member `{}` has no value in this pattern", m.name),
                            ))
                        }
                    };
                    parts.push(v);
                }
                Ok(self.g.concat(parts))
            }
            _ => {
                let (left, right) = ty.range().unwrap_or((ty.width as i64 - 1, 0));
                let elem = ty.element();
                let n = (left - right).unsigned_abs() as usize + 1;
                let mut vals: Vec<Option<Gid>> = vec![None; n];
                let mut default = None;
                let mut pos = 0usize;
                // Positional items go from the left index to the right.
                for (k, e) in items {
                    match k {
                        K::Positional => {
                            if pos >= n {
                                return Err(err_code(
                                    Code::Pattern,
                                    e.span,
                                    "too many values in this pattern",
                                ));
                            }
                            let idx = if left >= right {
                                left - pos as i64
                            } else {
                                left + pos as i64
                            };
                            let o = element_offset(left, right, idx).unwrap_or(0) as usize;
                            vals[o] = Some(self.assign_rhs(env, e, &elem)?);
                            pos += 1;
                        }
                        K::Index(ie) => {
                            let i = self.env_const_int(env, ie)?;
                            let o = element_offset(left, right, i).ok_or_else(|| {
                                err_code(Code::Width, ie.span, "index outside the range")
                            })? as usize;
                            vals[o] = Some(self.assign_rhs(env, e, &elem)?);
                        }
                        K::Default => default = Some(e),
                        K::Member(m) => {
                            return Err(err_code(
                                Code::Pattern,
                                m.span,
                                "member keys need a struct type",
                            ))
                        }
                    }
                }
                if pos != 0 && pos != n {
                    return Err(err_code(
                        Code::Pattern,
                        span,
                        format!("pattern has {pos} values, the type has {n} elements"),
                    ));
                }
                let mut parts = Vec::new();
                for o in (0..n).rev() {
                    let v = match (vals[o], default) {
                        (Some(v), _) => v,
                        (None, Some(d)) => self.pattern_default(env, d, &elem)?,
                        (None, None) => {
                            return Err(err_code(
                                Code::Pattern,
                                span,
                                "element without a value in this pattern",
                            ))
                        }
                    };
                    parts.push(v);
                }
                Ok(self.g.concat(parts))
            }
        }
    }

    /// A `default:` value for an element of type `ty`: it applies to every
    /// leaf of a nested unpacked element (10.9.1).
    fn pattern_default(&mut self, env: &mut Env, d: &Expr, ty: &Ty) -> Result<Gid> {
        if ty.is_unpacked() && !self.is_unpacked_value(env, d)? {
            let items = [(ast::PatternKey::Default, d.clone())];
            return self.pattern(env, &items, ty, d.span);
        }
        self.assign_rhs(env, d, ty)
    }

    /// `assign lhs = rhs;` (also net initialisers and input port connections).
    pub(super) fn cont_assign(
        &mut self,
        scope: ScopeId,
        lhs: &Expr,
        rhs: &Expr,
        span: Span,
    ) -> Result<()> {
        self.dyn_refuse_cont(scope, lhs, span)?;
        let mut env = Env::cont(scope);
        let ty = self.lvalue_type(&mut env, lhs)?;
        self.check_enum_assign(&mut env, rhs, &ty)?;
        let val = self.assign_rhs(&mut env, rhs, &ty)?;
        self.commit_cont_frame(&mut env);
        self.cont_assign_value(scope, lhs, val, false, span)
    }

    pub(super) fn lvalue_type(&mut self, env: &mut Env, lhs: &Expr) -> Result<Ty> {
        if let ExprKind::Concat(parts) = &lhs.kind {
            let mut w = 0;
            for p in parts {
                w += self.lvalue_type(env, p)?.width;
            }
            return Ok(Ty::vector(w, false));
        }
        self.sel_type(env, lhs)
    }

    /// Drive `lhs` continuously with `val` (resized to the target).
    pub(super) fn cont_assign_value(
        &mut self,
        scope: ScopeId,
        lhs: &Expr,
        val: Gid,
        signed: bool,
        span: Span,
    ) -> Result<()> {
        self.dyn_refuse_cont(scope, lhs, span)?;
        let mut env = Env::cont(scope);
        let ty = self.lvalue_type(&mut env, lhs)?;
        let val = self.g.resize(val, ty.width, signed);
        if let ExprKind::Concat(parts) = &lhs.kind {
            let mut hi = ty.width;
            for p in parts {
                let w = self.lvalue_type(&mut env, p)?.width;
                let piece = self.g.slice(val, hi - w, w);
                self.cont_assign_value(scope, p, piece, false, span)?;
                hi -= w;
            }
            return Ok(());
        }
        let p = self.place(&mut env, lhs)?;
        let v = match p.root {
            Root::Var(v) => v,
            Root::MemWord { .. } => {
                return Err(err_code(
                    Code::ElabUnsupported,
                    lhs.span,
                    "continuous assignment to a memory word is not supported",
                ))
            }
            _ => {
                return Err(err_code(
                    Code::NotAssignable,
                    lhs.span,
                    "this cannot be assigned",
                ))
            }
        };
        let Off::Static(lo) = p.off else {
            return Err(err_code(
                Code::ElabUnsupported,
                lhs.span,
                "continuous assignment to a variable index is not supported",
            ));
        };
        if lo + ty.width > p.root_width {
            return Err(err_code(
                Code::Width,
                lhs.span,
                "assignment outside the declared range",
            ));
        }
        self.drive(v, lo, val, span, DriverKind::Assign);
        Ok(())
    }

    // ------------------------------------------------------------ generation

    /// Build `e` at width `w` with propagated signedness `s`.
    pub(super) fn gen(&mut self, env: &mut Env, e: &Expr, w: u32, s: bool) -> Result<Gid> {
        if let Some(g) = self.dyn_gen(env, e, w, s)? {
            return Ok(g);
        }
        if let Some(id) = self
            .call_as_ident(env, e)
            .or_else(|| self.cast_as_width(env, e))
        {
            return self.gen(env, &id, w, s);
        }
        let span = e.span;
        Ok(match &e.kind {
            ExprKind::Number(n) => {
                let nw = number_width(n, span)?;
                let b = Bits::new(nw, n.value.clone());
                let mut k = self.g.konst(b);
                if n.xz != BigUint::default() {
                    k = self.xz_digits(env, k, &n.xz, span)?;
                }
                self.g.resize(k, w, s && n.signed)
            }
            ExprKind::Unbased(u) => self.unbased(env, *u, w, span)?,
            ExprKind::String(st) => {
                let mut v = BigUint::default();
                for b in st.bytes() {
                    v = (v << 8u32) | BigUint::from(b);
                }
                let k = self.g.konst(Bits::new((st.len() as u32 * 8).max(8), v));
                self.g.zext(k, w)
            }
            ExprKind::Ident(_)
            | ExprKind::Member(..)
            | ExprKind::Index(..)
            | ExprKind::Range(..)
            | ExprKind::IndexedRange { .. } => {
                let p = self.place(env, e)?;
                let v = self.read_place(env, &p)?;
                self.g.resize(v, w, s && p.ty.signed)
            }
            ExprKind::Unary(op, a) => match op {
                UnaryOp::Plus => self.gen(env, a, w, s)?,
                UnaryOp::Minus => {
                    let x = self.gen(env, a, w, s)?;
                    self.g.unary(UnOp::Neg, x, span)
                }
                UnaryOp::BitNot => {
                    let x = self.gen(env, a, w, s)?;
                    self.g.unary(UnOp::Not, x, span)
                }
                _ => {
                    let (wa, sa) = self.self_type(env, a)?;
                    let x = self.gen(env, a, wa, sa)?;
                    let r = match op {
                        UnaryOp::LogNot => {
                            let b = self.g.bool(x);
                            self.g.not(b)
                        }
                        UnaryOp::RedAnd => self.g.unary(UnOp::RedAnd, x, span),
                        UnaryOp::RedNand => {
                            let r = self.g.unary(UnOp::RedAnd, x, span);
                            self.g.not(r)
                        }
                        UnaryOp::RedOr => self.g.unary(UnOp::RedOr, x, span),
                        UnaryOp::RedNor => {
                            let r = self.g.unary(UnOp::RedOr, x, span);
                            self.g.not(r)
                        }
                        UnaryOp::RedXor => self.g.unary(UnOp::RedXor, x, span),
                        _ => {
                            let r = self.g.unary(UnOp::RedXor, x, span);
                            self.g.not(r)
                        }
                    };
                    self.g.zext(r, w)
                }
            },
            ExprKind::Binary(op, a, b) => self.gen_binary(env, *op, a, b, w, s, span)?,
            ExprKind::Cond(c, a, b) => {
                let (wc, sc) = self.self_type(env, c)?;
                let cg = self.gen(env, c, wc, sc)?;
                let cb = self.g.bool(cg);
                let t = self.gen(env, a, w, s)?;
                let f = self.gen(env, b, w, s)?;
                if self.g.as_const(cb).is_none() {
                    let path = self.path(env);
                    let taken = self.g.and(path, cb);
                    let ncb = self.g.not(cb);
                    let not_taken = self.g.and(path, ncb);
                    self.record_branch(env, "?: true", taken, a.span);
                    self.record_branch(env, "?: false", not_taken, b.span);
                }
                self.g.mux(cb, t, f, span)
            }
            ExprKind::Concat(parts) => {
                let mut gs = Vec::new();
                for p in parts {
                    let (pw, ps) = self.self_type(env, p)?;
                    gs.push(self.gen(env, p, pw, ps)?);
                }
                let c = self.g.concat(gs);
                self.g.zext(c, w)
            }
            ExprKind::Repl(n, parts) => {
                let count = self.env_const_int(env, n)?;
                let mut gs = Vec::new();
                for p in parts {
                    let (pw, ps) = self.self_type(env, p)?;
                    gs.push(self.gen(env, p, pw, ps)?);
                }
                let one = self.g.concat(gs);
                let all = vec![one; count.max(1) as usize];
                let c = self.g.concat(all);
                self.g.zext(c, w)
            }
            ExprKind::Call(name, args) => {
                let f = self.func(env, name)?;
                let r = self.call(env, f, args, span)?;
                let r = r.ok_or_else(|| err_code(Code::Call, span, "a void function has no value"))?;
                let (fdecl, fscope) = self.syms.funcs[f.index];
                let signed = match &fdecl.ret {
                    Some(t) => self.resolve_type(fscope, t)?.signed,
                    None => false,
                };
                self.g.resize(r, w, s && signed)
            }
            ExprKind::SysCall(name, args) => self.gen_syscall(env, name, args, w, s, span)?,
            ExprKind::Method(root, name, args) => {
                self.gen_method(env, root, name, args, w, s, span)?
            }
            // Outside an assignment a stream must be cast first (11.4.14).
            ExprKind::Stream { .. } => {
                return Err(err_code(Code::Stream,
                    span,
                    "unsupported construct: a streaming concatenation outside an assignment (assign it to a variable first)",
                ))
            }
            ExprKind::Cast(kind, inner) => match kind {
                CastKind::Width(_) | CastKind::Type(_) => {
                    let ty = match kind {
                        CastKind::Type(t) => self.resolve_type(env.scope, t)?,
                        _ => {
                            let (cw, cs) = self.self_type(env, e)?;
                            Ty::vector(cw, cs)
                        }
                    };
                    let v = self.assign_rhs(env, inner, &ty)?;
                    self.g.resize(v, w, s && ty.signed)
                }
                CastKind::Signed | CastKind::Unsigned => {
                    let (wi, si) = self.self_type(env, inner)?;
                    let v = self.gen(env, inner, wi, si)?;
                    let signed = matches!(kind, CastKind::Signed);
                    self.g.resize(v, w, s && signed)
                }
            },
            ExprKind::Inside(x, items) => {
                let r = self.inside(env, x, items)?;
                self.g.zext(r, w)
            }
            ExprKind::Pattern(_) | ExprKind::Type(_) => {
                self.self_type(env, e)?;
                return Err(err_code(Code::WrongKind, span, "unexpected pattern or type"));
            }
            ExprKind::Real(_) | ExprKind::Dollar | ExprKind::New { .. } => {
                return Err(self.dyn_misplaced(e))
            }
        })
    }

    #[allow(clippy::too_many_arguments)]
    fn gen_binary(
        &mut self,
        env: &mut Env,
        op: BinaryOp,
        a: &Expr,
        b: &Expr,
        w: u32,
        s: bool,
        span: Span,
    ) -> Result<Gid> {
        use BinaryOp::*;
        Ok(match op {
            Add | Sub | Mul | Div | Mod | BitAnd | BitOr | BitXor | BitXnor => {
                let x = self.gen(env, a, w, s)?;
                let y = self.gen(env, b, w, s)?;
                let bop = match op {
                    Add => BinOp::Add,
                    Sub => BinOp::Sub,
                    Mul => BinOp::Mul,
                    Div if s => BinOp::Sdiv,
                    Div => BinOp::Udiv,
                    Mod if s => BinOp::Srem,
                    Mod => BinOp::Urem,
                    BitAnd => BinOp::And,
                    BitOr => BinOp::Or,
                    _ => BinOp::Xor,
                };
                let r = self.g.binary(bop, x, y, span);
                if op == BitXnor {
                    self.g.not(r)
                } else {
                    r
                }
            }
            Pow => {
                let x = self.gen(env, a, w, s)?;
                let (wb, sb) = self.self_type(env, b)?;
                let y = self.gen(env, b, wb, sb)?;
                self.power(x, y, sb, s, span)?
            }
            Shl | AShl | Shr | AShr => {
                let x = self.gen(env, a, w, s)?;
                let (wb, sb) = self.self_type(env, b)?;
                // The shift amount is always treated as unsigned.
                let y = self.gen(env, b, wb, sb)?;
                let bop = match op {
                    Shl | AShl => BinOp::Shl,
                    AShr if s => BinOp::Ashr,
                    _ => BinOp::Lshr,
                };
                self.g.binary(bop, x, y, span)
            }
            LogAnd | LogOr | LogImpl | LogEquiv => {
                let (wa, sa) = self.self_type(env, a)?;
                let x = self.gen(env, a, wa, sa)?;
                let xb = self.g.bool(x);
                let (wb, sb) = self.self_type(env, b)?;
                let y = self.gen(env, b, wb, sb)?;
                let yb = self.g.bool(y);
                let r = match op {
                    LogAnd => self.g.and(xb, yb),
                    LogOr => self.g.or(xb, yb),
                    LogImpl => {
                        let nx = self.g.not(xb);
                        self.g.or(nx, yb)
                    }
                    _ => self.g.eq(xb, yb),
                };
                self.g.zext(r, w)
            }
            Eq | Ne | CaseEq | CaseNe | Lt | Le | Gt | Ge | WildEq | WildNe => {
                let (wa, sa) = self.self_type(env, a)?;
                let (wb, sb) = self.self_type(env, b)?;
                let (wo, so) = (wa.max(wb), sa && sb);
                let x = self.gen(env, a, wo, so)?;
                if matches!(op, CaseEq | CaseNe | WildEq | WildNe) {
                    let eqg = if matches!(op, CaseEq | CaseNe) {
                        self.case_eq(env, x, a, b, wo, so)?
                    } else {
                        self.wild_eq(env, x, b, wo, so)?
                    };
                    let r = if matches!(op, CaseNe | WildNe) {
                        self.g.not(eqg)
                    } else {
                        eqg
                    };
                    return Ok(self.g.zext(r, w));
                }
                let y = self.gen(env, b, wo, so)?;
                let r = match op {
                    Eq | CaseEq => self.g.eq(x, y),
                    Ne | CaseNe => self.g.binary(BinOp::Ne, x, y, span),
                    WildEq | WildNe => {
                        let eqg = self.wild_eq(env, x, b, wo, so)?;
                        if op == WildNe {
                            self.g.not(eqg)
                        } else {
                            eqg
                        }
                    }
                    Lt => self
                        .g
                        .binary(if so { BinOp::Slt } else { BinOp::Ult }, x, y, span),
                    Le => self
                        .g
                        .binary(if so { BinOp::Sle } else { BinOp::Ule }, x, y, span),
                    Gt => self
                        .g
                        .binary(if so { BinOp::Slt } else { BinOp::Ult }, y, x, span),
                    _ => self
                        .g
                        .binary(if so { BinOp::Sle } else { BinOp::Ule }, y, x, span),
                };
                self.g.zext(r, w)
            }
        })
    }

    /// `x ==? y` where the x/z/? digits of a literal `y` are wildcards
    /// (so they are never made free values: they are not read).
    pub(super) fn wild_eq(
        &mut self,
        env: &mut Env,
        x: Gid,
        yexpr: &Expr,
        w: u32,
        s: bool,
    ) -> Result<Gid> {
        if let ExprKind::Number(n) = &yexpr.kind {
            if n.xz != BigUint::default() {
                let nw = number_width(n, yexpr.span)?;
                let k = self.g.konst(Bits::new(nw, n.value.clone()));
                let y = self.g.resize(k, w, s && n.signed);
                let care = Bits::new(w, n.xz.clone()).not();
                let m = self.g.konst(care);
                let xm = self.g.and(x, m);
                let ym = self.g.and(y, m);
                return Ok(self.g.eq(xm, ym));
            }
        }
        let y = self.gen(env, yexpr, w, s)?;
        Ok(self.g.eq(x, y))
    }

    /// `a === b` (and a plain `case` label): a literal with x/z digits
    /// matches only an x/z value, which a two-state value never is.
    pub(super) fn case_eq(
        &mut self,
        env: &mut Env,
        x: Gid,
        xexpr: &Expr,
        yexpr: &Expr,
        w: u32,
        s: bool,
    ) -> Result<Gid> {
        for e in [xexpr, yexpr] {
            let xz = match &e.kind {
                ExprKind::Number(n) => n.xz != BigUint::default(),
                ExprKind::Unbased(u) => {
                    matches!(u, ast::UnbasedUnsized::X | ast::UnbasedUnsized::Z)
                }
                _ => false,
            };
            if xz {
                self.warn(
                    Code::XzCompare,
                    e.span,
                    "a literal with x/z digits never case-equals a two-state value: this comparison is false",
                );
                return Ok(self.g.one_bit(false));
            }
        }
        let y = self.gen(env, yexpr, w, s)?;
        Ok(self.g.eq(x, y))
    }

    /// `x ** y`: constant operands, or a constant exponent, or a base of 2.
    fn power(&mut self, x: Gid, y: Gid, y_signed: bool, s: bool, span: Span) -> Result<Gid> {
        let w = self.g.width(x);
        let xc = self.g.as_const(x).cloned();
        let yc = self.g.as_const(y).cloned();
        if let Some(yv) = &yc {
            if y_signed && yv.msb() {
                // Negative exponent: 1 for base 1, +-1 for base -1, else 0.
                let Some(xv) = xc else {
                    return Err(err_code(
                        Code::ElabUnsupported,
                        span,
                        "`**` with a negative exponent needs a constant base",
                    ));
                };
                let one = Bits::from_u64(w, 1);
                let r = if xv == one {
                    one
                } else if s && xv.is_ones() {
                    if yv.bit(0) {
                        Bits::ones(w)
                    } else {
                        one
                    }
                } else {
                    Bits::zero(w)
                };
                return Ok(self.g.konst(r));
            }
            let n = yv.to_u64().unwrap_or(u64::MAX);
            if let Some(xv) = &xc {
                // Square-and-multiply modulo 2^w.
                let mut result = Bits::from_u64(w, 1);
                let mut base = xv.clone();
                let mut e = yv.clone();
                let mut guard = 0;
                while !e.is_zero() && guard < 4096 {
                    if e.bit(0) {
                        result = result.mul(&base);
                    }
                    base = base.mul(&base);
                    e = e.lshr(&Bits::from_u64(8, 1));
                    guard += 1;
                }
                return Ok(self.g.konst(result));
            }
            if n <= 64 {
                let mut r = self.g.const_u64(w, 1);
                for _ in 0..n {
                    r = self.g.binary(BinOp::Mul, r, x, span);
                }
                return Ok(r);
            }
        }
        if let Some(xv) = &xc {
            if xv.to_u64() == Some(2) {
                let one = self.g.const_u64(w, 1);
                return Ok(self.g.binary(BinOp::Shl, one, y, span));
            }
        }
        Err(err_code(
            Code::ElabUnsupported,
            span,
            "`**` is supported with a constant exponent or a base of 2",
        ))
    }

    fn inside(&mut self, env: &mut Env, x: &Expr, items: &[ast::InsideItem]) -> Result<Gid> {
        let mut acc = self.g.one_bit(false);
        for it in items {
            let m = match it {
                ast::InsideItem::Value(v) => {
                    let (wa, sa) = self.self_type(env, x)?;
                    let (wb, sb) = self.self_type(env, v)?;
                    let (wo, so) = (wa.max(wb), sa && sb);
                    let xg = self.gen(env, x, wo, so)?;
                    self.wild_eq(env, xg, v, wo, so)?
                }
                ast::InsideItem::Range(lo, hi) => {
                    let (wa, sa) = self.self_type(env, x)?;
                    let (wl, sl) = self.self_type(env, lo)?;
                    let (wh, sh) = self.self_type(env, hi)?;
                    let wo = wa.max(wl).max(wh);
                    let so = sa && sl && sh;
                    let xg = self.gen(env, x, wo, so)?;
                    let lg = self.gen(env, lo, wo, so)?;
                    let hg = self.gen(env, hi, wo, so)?;
                    let le = if so { BinOp::Sle } else { BinOp::Ule };
                    let a = self.g.binary(le, lg, xg, lo.span);
                    let b = self.g.binary(le, xg, hg, hi.span);
                    self.g.and(a, b)
                }
            };
            acc = self.g.or(acc, m);
        }
        Ok(acc)
    }

    /// A `$anyconst`/`$anyseq` (`$all...`) value of the context's width: a
    /// signal of its own, driven in `emit` like an `(* anyconst *)` one.
    fn free_value(
        &mut self,
        scope: ScopeId,
        name: &str,
        w: u32,
        s: bool,
        span: Span,
    ) -> Result<Gid> {
        let free = if name.ends_with("const") {
            crate::ast::Free::Const
        } else {
            crate::ast::Free::Seq
        };
        let loc = self
            .sources
            .location(span)
            .map(|l| format!("{}_{}", l.line, l.col))
            .unwrap_or_default();
        let base = format!("{}.{}@{loc}", self.syms.scopes[scope].prefix, name);
        // The same text met again (a loop, an inlined function) is another value.
        let n = self.net.free_names.entry(base.clone()).or_insert(0);
        *n += 1;
        let full = if *n == 1 { base } else { format!("{base}#{n}") };
        let v = self.add_var(full, Ty::vector(w, s), span, true);
        self.net.vars[v].free = Some(free);
        Ok(self.g.var(v, w, span))
    }

    fn gen_syscall(
        &mut self,
        env: &mut Env,
        name: &str,
        args: &[Expr],
        w: u32,
        s: bool,
        span: Span,
    ) -> Result<Gid> {
        let arg = |i: usize| -> Result<&Expr> {
            args.get(i).ok_or_else(|| {
                err_code(Code::SystemCall, span, format!("{name} needs an argument"))
            })
        };
        Ok(match name {
            "$signed" | "$unsigned" => {
                let a = arg(0)?;
                let (wa, sa) = self.self_type(env, a)?;
                let v = self.gen(env, a, wa, sa)?;
                self.g.resize(v, w, s && name == "$signed")
            }
            // Yosys's `$initstate`: 1 in the initial state (cycle 0) only.
            "$initstate" => {
                if !args.is_empty() {
                    return Err(err_code(
                        Code::SystemCall,
                        span,
                        "$initstate takes no arguments",
                    ));
                }
                let g = self.first_cycle();
                self.g.resize(g, w, false)
            }
            "$anyconst" | "$anyseq" | "$allconst" | "$allseq" => {
                if !args.is_empty() {
                    return Err(err_code(
                        Code::SystemCall,
                        span,
                        format!("{name} takes no arguments"),
                    ));
                }
                self.free_value(env.scope, name, w, s, span)?
            }
            "$clog2" => {
                let a = arg(0)?;
                let (wa, sa) = self.self_type(env, a)?;
                let v = self.gen(env, a, wa, sa)?;
                let c = self.g.as_const(v).cloned().ok_or_else(|| {
                    err_code(Code::SystemCall, a.span, "$clog2 needs a constant argument")
                })?;
                let r = if c.is_zero() {
                    0
                } else {
                    c.sub(&Bits::from_u64(c.width(), 1)).value().bits()
                };
                let k = self.g.const_u64(32, r);
                self.g.resize(k, w, s)
            }
            "$bits" => {
                let a = arg(0)?;
                let bits = match &a.kind {
                    ExprKind::Type(t) => self.resolve_type(env.scope, t)?.width,
                    ExprKind::Ident(sn) => match self.lookup(env.scope, sn) {
                        Ok(Sym::Type(t)) => t.width,
                        Ok(Sym::Mem(m)) => {
                            let mv = &self.net.mems[m as usize];
                            (mv.depth() * mv.elem.width as u64).min(u32::MAX as u64) as u32
                        }
                        _ => self.self_type(env, a)?.0,
                    },
                    _ => self.self_type(env, a)?.0,
                };
                let k = self.g.const_u64(32, bits as u64);
                self.g.resize(k, w, s)
            }
            "$size" | "$high" | "$low" | "$left" | "$right" => {
                let a = arg(0)?;
                let (l, r) = match self.mem_of(env, a)? {
                    Some(m) => (
                        self.net.mems[m as usize].left,
                        self.net.mems[m as usize].right,
                    ),
                    None => {
                        let t = match &a.kind {
                            ExprKind::Type(t) => self.resolve_type(env.scope, t)?,
                            ExprKind::Ident(sn) => match self.lookup(env.scope, sn) {
                                Ok(Sym::Type(t)) => t,
                                _ => self.sel_type(env, a)?,
                            },
                            _ => self.sel_type(env, a)?,
                        };
                        t.range().unwrap_or((t.width as i64 - 1, 0))
                    }
                };
                let v = match name {
                    "$size" => (l - r).abs() + 1,
                    "$high" => l.max(r),
                    "$low" => l.min(r),
                    "$left" => l,
                    _ => r,
                };
                let k = self.g.konst(Bits::from_i64(32, v));
                self.g.resize(k, w, s)
            }
            "$onehot" | "$onehot0" | "$countones" => {
                let a = arg(0)?;
                let (wa, sa) = self.self_type(env, a)?;
                let v = self.gen(env, a, wa, sa)?;
                let r = match name {
                    "$countones" => {
                        let mut acc = self.g.zero(32);
                        for i in 0..wa {
                            let bit = self.g.slice(v, i, 1);
                            let b32 = self.g.zext(bit, 32);
                            acc = self.g.binary(BinOp::Add, acc, b32, span);
                        }
                        return Ok(self.g.resize(acc, w, s));
                    }
                    _ => {
                        let one = self.g.const_u64(wa, 1);
                        let vm1 = self.g.binary(BinOp::Sub, v, one, span);
                        let and = self.g.and(v, vm1);
                        let zero = self.g.zero(wa);
                        let at_most_one = self.g.eq(and, zero);
                        if name == "$onehot0" {
                            at_most_one
                        } else {
                            let nz = self.g.bool(v);
                            self.g.and(at_most_one, nz)
                        }
                    }
                };
                self.g.zext(r, w)
            }
            "$isunknown" => {
                let a = arg(0)?;
                self.self_type(env, a)?;
                self.g.zero(w)
            }
            "$past" | "$rose" | "$fell" | "$stable" | "$changed" => {
                let r = self.sampled(env, name, args, span)?;
                let signed = name == "$past" && {
                    let a = arg(0)?;
                    self.self_type(env, a)?.1
                };
                self.g.resize(r, w, s && signed)
            }
            _ => {
                return Err(err_code(
                    Code::SystemCall,
                    span,
                    format!("unsupported system function `{name}`"),
                ))
            }
        })
    }

    /// `$past(e, n, en)`, `$rose`, `$fell`, `$stable`, `$changed`: registers
    /// that sample the settled value of `e` on every clock edge. Before the
    /// first edge they hold 0 (the default sampled value in two-state).
    fn sampled(&mut self, env: &mut Env, name: &str, args: &[Expr], span: Span) -> Result<Gid> {
        let e = args
            .first()
            .ok_or_else(|| err_code(Code::SystemCall, span, format!("{name} needs an argument")))?;
        // Sampled values are those of signals, not of a block's temporaries.
        let mut cenv = Env::cont(env.scope);
        let (we, se) = self.self_type(&mut cenv, e)?;
        let cur = self.gen(&mut cenv, e, we, se)?;
        let (n, en) = if name == "$past" {
            let n = match args.get(1) {
                Some(a) => self.const_int(env.scope, a)?,
                None => 1,
            };
            if !(1..=1024).contains(&n) {
                return Err(err_code(
                    Code::SystemCall,
                    span,
                    "$past depth must be between 1 and 1024",
                ));
            }
            let en = match args.get(3).or(args.get(2)) {
                Some(a) => {
                    let (wa, sa) = self.self_type(&mut cenv, a)?;
                    let g = self.gen(&mut cenv, a, wa, sa)?;
                    Some(self.g.bool(g))
                }
                None => None,
            };
            (n, en)
        } else {
            (1, None)
        };
        let mut v = cur;
        for i in 0..n {
            let rname = format!(
                "{}.$past{}_{}",
                self.syms.scopes[env.scope].prefix,
                self.net.regs.len(),
                i
            );
            let (id, node) = self.new_reg(
                rname,
                &Ty::vector(we, false),
                we,
                Some(Bits::zero(we)),
                span,
            );
            let next = match en {
                Some(en) => self.g.mux(en, v, node, span),
                None => v,
            };
            self.net.regs[id.index()].next = next;
            self.net.regs[id.index()].synthetic = true;
            v = node;
        }
        let past = v;
        Ok(match name {
            "$past" => past,
            "$rose" | "$fell" => {
                let c0 = self.g.slice(cur, 0, 1);
                let p0 = self.g.slice(past, 0, 1);
                if name == "$rose" {
                    let np = self.g.not(p0);
                    self.g.and(c0, np)
                } else {
                    let nc = self.g.not(c0);
                    self.g.and(nc, p0)
                }
            }
            "$stable" => self.g.eq(cur, past),
            _ => self.g.binary(BinOp::Ne, cur, past, span),
        })
    }

    /// The path condition of the current statement (1 outside processes).
    pub(super) fn path(&mut self, env: &Env) -> Gid {
        match &env.frame {
            Some(f) => {
                let (p, b, c, r) = (f.path, f.brk, f.cont, f.ret);
                let bc = self.g.or(b, c);
                let d = self.g.or(bc, r);
                let nd = self.g.not(d);
                self.g.and(p, nd)
            }
            None => self.g.one_bit(true),
        }
    }

    pub(super) fn record_branch(&mut self, env: &mut Env, label: &str, cond: Gid, span: Span) {
        match &mut env.frame {
            Some(f) => f.branches.push((label.to_string(), cond, span)),
            None => {
                let scope = env.scope;
                self.add_branch(scope, label, cond, span);
            }
        }
    }

    /// Commit what a temporary frame (a function inlined into a
    /// continuous assignment) recorded.
    pub(super) fn commit_cont_frame(&mut self, env: &mut Env) {
        if let Some(f) = env.frame.take() {
            let scope = env.scope;
            for (l, c, s) in f.branches {
                self.add_branch(scope, &l, c, s);
            }
        }
    }
}

/// Width of a literal: as written, or at least 32 bits for unsized ones.
fn number_width(n: &ast::Number, span: Span) -> Result<u32> {
    match n.width {
        Some(0) => Err(err_code(Code::Width, span, "a literal cannot have width 0")),
        Some(w) => {
            if n.value.bits() > w as u64 {
                return Err(crate::diag::Diagnostic::error(
                    Code::Width,
                    span,
                    format!("constant does not fit in its declared width of {w} bits"),
                )
                .with_label("width overflow")
                .into());
            }
            Ok(w)
        }
        None => Ok((n.value.bits() as u32).max(32)),
    }
}

pub(super) fn bits_to_i64(b: &Bits, signed: bool) -> Option<i64> {
    if signed {
        b.to_i64()
    } else {
        b.to_u64().and_then(|v| i64::try_from(v).ok())
    }
}

/// Whether two types are assignment compatible as unpacked values: the
/// same element widths in the same nesting (7.6).
fn same_layout(a: &Ty, b: &Ty) -> bool {
    match (&a.shape, &b.shape) {
        (
            Shape::Unpacked {
                left: la,
                right: ra,
                elem: ea,
            },
            Shape::Unpacked {
                left: lb,
                right: rb,
                elem: eb,
            },
        ) => (la - ra).abs() == (lb - rb).abs() && same_layout(ea, eb),
        (Shape::UStruct(ma), Shape::UStruct(mb)) => a == b || (ma.len() == mb.len() && ma == mb),
        (Shape::Unpacked { .. } | Shape::UStruct(_), _)
        | (_, Shape::Unpacked { .. } | Shape::UStruct(_)) => false,
        _ => a.width == b.width,
    }
}
