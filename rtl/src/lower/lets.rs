//! `let` declarations (IEEE 1800-2017 11.12), expanded at use.
//!
//! A `let` is a named expression template: each use `f(a, b)` (or `f`
//! with no arguments) is replaced by the body with the actual arguments
//! substituted for the formals, when the use is lowered. Typed formals
//! take the actual through a cast to their type (11.12: "as if assigned
//! to the formal"); untyped ones take it as written. sv-parser reads a
//! use as a function call or a plain name, so expansion happens on the
//! lowered expression. Names in a package `let` that are not formals are
//! qualified with the package (the body is resolved where it is
//! declared, not where it is used).

use super::Cx;
use crate::ast::*;
use crate::diag::Result;
use std::collections::HashMap;
use std::rc::Rc;
use sv_parser as sv;

pub struct LetDef {
    formals: Vec<LetFormal>,
    body: Expr,
}

struct LetFormal {
    name: String,
    ty: Option<DataType>,
    default: Option<Expr>,
}

/// The `let` declarations visible while lowering.
#[derive(Default)]
pub struct LetTable {
    /// Package lets by (package, name), kept across files.
    pkg: HashMap<(String, String), Rc<LetDef>>,
    /// Lets of the module or package being lowered.
    local: HashMap<String, Rc<LetDef>>,
    /// Lets declared at file level (`$unit`).
    unit: HashMap<String, Rc<LetDef>>,
    /// `import p::*` and `import p::name` seen in the current module.
    wild: Vec<String>,
    named: HashMap<String, String>,
    /// The package being lowered, if any.
    package: Option<String>,
    /// Whether a module or package is being lowered (else `$unit`).
    in_unit: bool,
}

impl LetTable {
    /// Start (`Some`) or end (`None`) a package; `module` likewise.
    pub fn enter(&mut self, package: Option<String>) {
        self.local.clear();
        self.wild.clear();
        self.named.clear();
        self.package = package;
        self.in_unit = true;
    }

    pub fn leave(&mut self) {
        self.enter(None);
        self.in_unit = false;
    }

    pub fn import(&mut self, i: &Import) {
        match &i.name {
            None => self.wild.push(i.package.name.clone()),
            Some(n) => {
                self.named.insert(n.name.clone(), i.package.name.clone());
            }
        }
    }

    fn find(&self, n: &ScopedName) -> Option<Rc<LetDef>> {
        let name = &n.name.name;
        if let Some(p) = &n.package {
            return self.pkg.get(&(p.name.clone(), name.clone())).cloned();
        }
        if let Some(d) = self.local.get(name) {
            return Some(d.clone());
        }
        if let Some(p) = self.named.get(name) {
            return self.pkg.get(&(p.clone(), name.clone())).cloned();
        }
        for p in &self.wild {
            if let Some(d) = self.pkg.get(&(p.clone(), name.clone())) {
                return Some(d.clone());
            }
        }
        self.unit.get(name).cloned()
    }
}

/// Record a `let` declaration of the current scope.
pub fn declare(cx: &mut Cx, d: &sv::LetDeclaration) -> Result<()> {
    let (_, id, ports, _, body, _) = &d.nodes;
    let name = cx.ident(&id.nodes.0).name;
    let mut formals = Vec::new();
    if let Some(p) = ports {
        if let Some(list) = &p.nodes.1 {
            for item in list.nodes.0.contents() {
                let (_, ty, fid, dims, default) = &item.nodes;
                if let Some(d) = dims.first() {
                    return Err(cx.unsupported(d, "unpacked `let` formal argument"));
                }
                let ty = match ty {
                    sv::LetFormalType::Untyped(_) => None,
                    sv::LetFormalType::DataTypeOrImplicit(t) => match t.as_ref() {
                        sv::DataTypeOrImplicit::DataType(dt) => {
                            Some(super::types::lower_data_type(cx, dt)?)
                        }
                        sv::DataTypeOrImplicit::ImplicitDataType(i) => {
                            let (sign, dims) = &i.nodes;
                            if sign.is_some() || !dims.is_empty() {
                                return Err(cx.unsupported(
                                    i.as_ref(),
                                    "`let` formal argument with an implicit type",
                                ));
                            }
                            None
                        }
                    },
                };
                let default = match default {
                    Some((_, e)) => Some(super::expr::lower_expr(cx, e)?),
                    None => None,
                };
                formals.push(LetFormal {
                    name: cx.ident(&fid.nodes.0).name,
                    ty,
                    default,
                });
            }
        }
    }
    let mut body = super::expr::lower_expr(cx, body)?;
    let table = &mut cx.lets;
    if let Some(pkg) = &table.package {
        let pkg_id = Ident {
            name: pkg.clone(),
            span: body.span,
        };
        body = map_names(&body, &mut |n: &ScopedName| {
            if n.package.is_some() || formals.iter().any(|f| f.name == n.name.name) {
                return None;
            }
            Some(ExprKind::Ident(ScopedName {
                package: Some(pkg_id.clone()),
                name: n.name.clone(),
            }))
        });
    }
    let def = Rc::new(LetDef { formals, body });
    match (&table.package, table.in_unit) {
        (Some(p), _) => {
            table.pkg.insert((p.clone(), name.clone()), def.clone());
            table.local.insert(name, def);
        }
        (None, true) => {
            table.local.insert(name, def);
        }
        (None, false) => {
            table.unit.insert(name, def);
        }
    }
    Ok(())
}

/// The arguments of a use of the `let` `name` with named arguments
/// (`op(a, .z(c), .y())`): positional ones first, then each formal's named
/// value, else its default; `None` if `name` is not a `let`.
pub fn order_arguments(
    cx: &mut Cx,
    name: &ScopedName,
    positional: Vec<Expr>,
    named: Vec<(Ident, Option<Expr>)>,
    span: crate::source::Span,
) -> Result<Option<Vec<Expr>>> {
    let Some(def) = cx.lets.find(name) else {
        return Ok(None);
    };
    let lname = &name.name.name;
    if positional.len() > def.formals.len() {
        return Err(cx.error(span, format!("too many arguments to `let` `{lname}`")));
    }
    for (i, (n, _)) in named.iter().enumerate() {
        let Some(pos) = def.formals.iter().position(|f| f.name == n.name) else {
            return Err(cx.error(
                n.span,
                format!("`let` `{lname}` has no argument `{}`", n.name),
            ));
        };
        if pos < positional.len() || named[..i].iter().any(|(m, _)| m.name == n.name) {
            return Err(cx.error(
                n.span,
                format!("argument `{}` of `let` `{lname}` is given twice", n.name),
            ));
        }
    }
    let mut out = positional;
    for f in def.formals[out.len()..].iter() {
        let given = named
            .iter()
            .find(|(n, _)| n.name == f.name)
            .and_then(|(_, v)| v.clone());
        match given.or_else(|| f.default.clone()) {
            Some(v) => out.push(v),
            None => {
                return Err(cx.error(
                    span,
                    format!("missing argument `{}` of `let` `{lname}`", f.name),
                ))
            }
        }
    }
    Ok(Some(out))
}

/// `e` with a use of a `let` replaced by its expansion.
pub fn expand(cx: &mut Cx, e: Expr) -> Result<Expr> {
    let (name, args) = match &e.kind {
        ExprKind::Ident(n) => (n, &[][..]),
        ExprKind::Call(n, a) => (n, &a[..]),
        _ => return Ok(e),
    };
    let Some(def) = cx.lets.find(name) else {
        return Ok(e);
    };
    let lname = name.name.name.clone();
    if args.len() > def.formals.len() {
        return Err(cx.error(e.span, format!("too many arguments to `let` `{lname}`")));
    }
    let mut vals = HashMap::new();
    for (i, f) in def.formals.iter().enumerate() {
        let v = match (args.get(i), &f.default) {
            (Some(a), _) => a.clone(),
            (None, Some(d)) => d.clone(),
            (None, None) => {
                return Err(cx.error(
                    e.span,
                    format!("missing argument `{}` of `let` `{lname}`", f.name),
                ))
            }
        };
        let v = match &f.ty {
            Some(t) => Expr {
                span: v.span,
                kind: ExprKind::Cast(CastKind::Type(t.clone()), Box::new(v)),
            },
            None => v,
        };
        vals.insert(f.name.clone(), v);
    }
    let mut out = map_names(&def.body, &mut |n: &ScopedName| {
        if n.package.is_some() {
            return None;
        }
        vals.get(&n.name.name).map(|v| v.kind.clone())
    });
    out.span = e.span;
    Ok(out)
}

/// A copy of `e` with each name (`Ident`, or a call with no arguments)
/// replaced where `f` gives a replacement.
pub(crate) fn map_names(e: &Expr, f: &mut dyn FnMut(&ScopedName) -> Option<ExprKind>) -> Expr {
    let mut m = |x: &Expr| map_names(x, f);
    let kind = match &e.kind {
        ExprKind::Ident(n) => f(n).unwrap_or_else(|| e.kind.clone()),
        ExprKind::Call(n, xs) if xs.is_empty() => f(n).unwrap_or_else(|| e.kind.clone()),
        ExprKind::Number(_)
        | ExprKind::Unbased(_)
        | ExprKind::String(_)
        | ExprKind::Type(_)
        | ExprKind::Real(_)
        | ExprKind::Dollar => e.kind.clone(),
        ExprKind::New { size, init } => ExprKind::New {
            size: Box::new(m(size)),
            init: init.as_ref().map(|x| Box::new(m(x))),
        },
        ExprKind::Member(x, id) => ExprKind::Member(Box::new(m(x)), id.clone()),
        ExprKind::Index(x, i) => ExprKind::Index(Box::new(m(x)), Box::new(m(i))),
        ExprKind::Range(x, a, b) => ExprKind::Range(Box::new(m(x)), Box::new(m(a)), Box::new(m(b))),
        ExprKind::IndexedRange {
            base,
            start,
            up,
            width,
        } => ExprKind::IndexedRange {
            base: Box::new(m(base)),
            start: Box::new(m(start)),
            up: *up,
            width: Box::new(m(width)),
        },
        ExprKind::Unary(op, x) => ExprKind::Unary(*op, Box::new(m(x))),
        ExprKind::Binary(op, x, y) => ExprKind::Binary(*op, Box::new(m(x)), Box::new(m(y))),
        ExprKind::Cond(c, x, y) => ExprKind::Cond(Box::new(m(c)), Box::new(m(x)), Box::new(m(y))),
        ExprKind::Concat(xs) => ExprKind::Concat(xs.iter().map(&mut m).collect()),
        ExprKind::Repl(n, xs) => ExprKind::Repl(Box::new(m(n)), xs.iter().map(&mut m).collect()),
        ExprKind::Call(n, xs) => ExprKind::Call(n.clone(), xs.iter().map(&mut m).collect()),
        ExprKind::SysCall(n, xs) => ExprKind::SysCall(n.clone(), xs.iter().map(&mut m).collect()),
        ExprKind::Stream { left, slice, items } => ExprKind::Stream {
            left: *left,
            slice: slice.as_ref().map(|x| Box::new(m(x))),
            items: items.iter().map(&mut m).collect(),
        },
        ExprKind::Method(x, n, xs) => {
            ExprKind::Method(Box::new(m(x)), n.clone(), xs.iter().map(&mut m).collect())
        }
        ExprKind::Cast(k, x) => {
            let k = match k {
                CastKind::Width(w) => CastKind::Width(Box::new(m(w))),
                other => other.clone(),
            };
            ExprKind::Cast(k, Box::new(m(x)))
        }
        ExprKind::Inside(x, items) => ExprKind::Inside(
            Box::new(m(x)),
            items
                .iter()
                .map(|i| match i {
                    InsideItem::Value(v) => InsideItem::Value(m(v)),
                    InsideItem::Range(a, b) => InsideItem::Range(m(a), m(b)),
                })
                .collect(),
        ),
        ExprKind::Pattern(ps) => {
            ExprKind::Pattern(ps.iter().map(|(k, x)| (k.clone(), m(x))).collect())
        }
    };
    Expr { kind, span: e.span }
}
