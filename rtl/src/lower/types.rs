//! Lowering of data types: built-in and named types, struct/union/enum, `typedef`, packed/unpacked/variable dimensions.

use super::{expr, Cx};
use crate::ast::*;
use crate::diag::Result;
use crate::source::Span;
use sv_parser as sv;

pub(super) fn lower_typedef(cx: &mut Cx, t: &sv::TypeDeclaration) -> Result<Typedef> {
    match t {
        sv::TypeDeclaration::DataType(x) => {
            let (_, dt, id, dims, _) = &x.nodes;
            let ty = lower_data_type(cx, dt)?;
            let name = cx.ident(&id.nodes.0);
            let unpacked = var_dims(cx, dims)?;
            let span = cx.span(x.as_ref());
            Ok(Typedef {
                name,
                ty,
                unpacked,
                forward: None,
                span,
            })
        }
        sv::TypeDeclaration::Interface(x) => {
            Err(cx.unsupported(x.as_ref(), "typedef of an interface type"))
        }
        sv::TypeDeclaration::Reserved(x) => {
            let (_, kw, id, _) = &x.nodes;
            let forward = match kw {
                None => ForwardKind::Any,
                Some(sv::TypeDeclarationKeyword::Enum(_)) => ForwardKind::Enum,
                Some(sv::TypeDeclarationKeyword::Struct(_)) => ForwardKind::Struct,
                Some(sv::TypeDeclarationKeyword::Union(_)) => ForwardKind::Union,
                Some(k) => return Err(cx.unsupported(k, "forward typedef of a class")),
            };
            let span = cx.span(x.as_ref());
            Ok(Typedef {
                name: cx.ident(&id.nodes.0),
                ty: implicit_type(span),
                unpacked: Vec::new(),
                forward: Some(forward),
                span,
            })
        }
    }
}

// --------------------------------------------------------------------- types

pub(super) fn implicit_type(span: Span) -> DataType {
    DataType {
        kind: TypeKind::Implicit,
        signed: None,
        packed: Vec::new(),
        span,
    }
}

fn signing(s: &Option<sv::Signing>) -> Option<bool> {
    match s {
        Some(sv::Signing::Signed(_)) => Some(true),
        Some(sv::Signing::Unsigned(_)) => Some(false),
        None => None,
    }
}

fn packed_dims(cx: &mut Cx, dims: &[sv::PackedDimension]) -> Result<Vec<Dim>> {
    let mut out = Vec::with_capacity(dims.len());
    for d in dims {
        out.push(lower_packed_dim(cx, d)?);
    }
    Ok(out)
}

pub(super) fn unpacked_dims(cx: &mut Cx, dims: &[sv::UnpackedDimension]) -> Result<Vec<Dim>> {
    let mut out = Vec::with_capacity(dims.len());
    for d in dims {
        out.push(lower_unpacked_dim(cx, d)?);
    }
    Ok(out)
}

pub(super) fn var_dims(cx: &mut Cx, dims: &[sv::VariableDimension]) -> Result<Vec<Dim>> {
    let mut out = Vec::with_capacity(dims.len());
    for d in dims {
        out.push(lower_var_dim(cx, d)?);
    }
    Ok(out)
}

pub(super) fn lower_implicit(cx: &mut Cx, i: &sv::ImplicitDataType) -> Result<DataType> {
    let span = cx.span(i);
    Ok(DataType {
        kind: TypeKind::Implicit,
        signed: signing(&i.nodes.0),
        packed: packed_dims(cx, &i.nodes.1)?,
        span,
    })
}

pub(super) fn lower_dtoi(cx: &mut Cx, d: &sv::DataTypeOrImplicit) -> Result<DataType> {
    match d {
        sv::DataTypeOrImplicit::DataType(t) => lower_data_type(cx, t),
        sv::DataTypeOrImplicit::ImplicitDataType(i) => lower_implicit(cx, i),
    }
}

pub(super) fn named_type<'b, T: Into<sv::RefNodes<'b>>>(
    cx: &mut Cx,
    package: Option<Ident>,
    id: &sv::Identifier,
    whole: T,
) -> DataType {
    let name = cx.ident(id);
    let span = cx.span(whole);
    DataType {
        kind: TypeKind::Named(ScopedName { package, name }),
        signed: None,
        packed: Vec::new(),
        span,
    }
}

/// A data type (`logic [3:0]`, `int unsigned`, `state_t`, `struct packed {...}`).
pub fn lower_data_type(cx: &mut Cx, t: &sv::DataType) -> Result<DataType> {
    use sv::DataType as T;
    let span = cx.span(t);
    match t {
        T::Vector(v) => {
            let (k, s, dims) = &v.nodes;
            let kind = vector_kind(k);
            Ok(DataType {
                kind,
                signed: signing(s),
                packed: packed_dims(cx, dims)?,
                span,
            })
        }
        T::Atom(a) => {
            let (k, s) = &a.nodes;
            let kind = atom_kind(cx, k)?;
            Ok(DataType {
                kind,
                signed: signing(s),
                packed: Vec::new(),
                span,
            })
        }
        T::NonIntegerType(x) => Ok(DataType {
            kind: non_integer_kind(x),
            signed: None,
            packed: Vec::new(),
            span,
        }),
        T::StructUnion(su) => lower_struct_union(cx, su, span),
        T::Enum(e) => lower_enum(cx, e, span),
        T::String(_) => Ok(DataType {
            kind: TypeKind::String,
            signed: None,
            packed: Vec::new(),
            span,
        }),
        T::Chandle(k) => Err(cx.unsupported(k.as_ref(), "chandle type")),
        T::Virtual(x) => Err(cx.unsupported(x.as_ref(), "virtual interface")),
        T::Type(x) => {
            let (scope, id, dims) = &x.nodes;
            let package = match scope {
                None => None,
                Some(sv::PackageScopeOrClassScope::PackageScope(ps)) => match ps.as_ref() {
                    sv::PackageScope::Package(p) => Some(cx.ident(&p.nodes.0.nodes.0)),
                    sv::PackageScope::Unit(u) => {
                        return Err(cx.unsupported(u.as_ref(), "`$unit::` scope"))
                    }
                },
                Some(sv::PackageScopeOrClassScope::ClassScope(c)) => {
                    match super::class_scope_as_package(cx, c) {
                        Some(p) => Some(p),
                        None => return Err(cx.unsupported(c.as_ref(), "class scope")),
                    }
                }
            };
            let name = cx.ident(&id.nodes.0);
            Ok(DataType {
                kind: TypeKind::Named(ScopedName { package, name }),
                signed: None,
                packed: packed_dims(cx, dims)?,
                span,
            })
        }
        T::ClassType(x) => match super::plain_class_type(cx, x) {
            // A typedef name (sv-parser reads it as a class type).
            Some((package, name)) => Ok(DataType {
                kind: TypeKind::Named(ScopedName { package, name }),
                signed: None,
                packed: Vec::new(),
                span,
            }),
            None => Err(cx.unsupported(x.as_ref(), "class type")),
        },
        T::Event(k) => Err(cx.unsupported(k.as_ref(), "event type")),
        T::PsCovergroupIdentifier(x) => Err(cx.unsupported(x.as_ref(), "covergroup type")),
        T::TypeReference(x) => Err(cx.unsupported(x.as_ref(), "type reference `type(...)`")),
    }
}

/// `real`, `realtime` (a `real`, 6.12) or `shortreal`.
pub(super) fn non_integer_kind(x: &sv::NonIntegerType) -> TypeKind {
    match x {
        sv::NonIntegerType::Shortreal(_) => TypeKind::ShortReal,
        sv::NonIntegerType::Real(_) | sv::NonIntegerType::Realtime(_) => TypeKind::Real,
    }
}

fn vector_kind(k: &sv::IntegerVectorType) -> TypeKind {
    match k {
        sv::IntegerVectorType::Bit(_) => TypeKind::Bit,
        sv::IntegerVectorType::Logic(_) => TypeKind::Logic,
        sv::IntegerVectorType::Reg(_) => TypeKind::Reg,
    }
}

fn atom_kind(cx: &mut Cx, k: &sv::IntegerAtomType) -> Result<TypeKind> {
    use sv::IntegerAtomType as A;
    Ok(match k {
        A::Byte(_) => TypeKind::Byte,
        A::Shortint(_) => TypeKind::ShortInt,
        A::Int(_) => TypeKind::Int,
        A::Longint(_) => TypeKind::LongInt,
        A::Integer(_) => TypeKind::Integer,
        A::Time(t) => return Err(cx.unsupported(t.as_ref(), "`time` type")),
    })
}

fn lower_struct_union(cx: &mut Cx, su: &sv::DataTypeStructUnion, span: Span) -> Result<DataType> {
    let (kw, packed, body, dims) = &su.nodes;
    let is_union = match kw {
        sv::StructUnion::Struct(_) => false,
        sv::StructUnion::Union(_) => true,
        sv::StructUnion::UnionTagged(x) => return Err(cx.unsupported(x.as_ref(), "tagged union")),
    };
    let sgn = match packed {
        Some((_, sgn)) => sgn.clone(),
        None if is_union => return Err(cx.unsupported(su, "unpacked union")),
        // An unpacked struct: elaboration lays it out as separate signals.
        None => None,
    };
    let is_packed = packed.is_some();
    let (first, rest) = &body.nodes.1;
    let mut members = Vec::new();
    for m in std::iter::once(first).chain(rest.iter()) {
        let (_, rand, dov, list, _) = &m.nodes;
        if let Some(r) = rand {
            return Err(cx.unsupported(r, "`rand` member"));
        }
        let ty = match dov {
            sv::DataTypeOrVoid::DataType(t) => lower_data_type(cx, t)?,
            sv::DataTypeOrVoid::Void(k) => return Err(cx.unsupported(k.as_ref(), "void member")),
        };
        for a in list.nodes.0.contents() {
            match a {
                sv::VariableDeclAssignment::Variable(x) => {
                    let (id, vd, init) = &x.nodes;
                    if !vd.is_empty() && is_packed {
                        return Err(cx.unsupported(vd, "unpacked array member of a packed struct"));
                    }
                    let unpacked = var_dims(cx, vd)?;
                    let default = match init {
                        Some((s, _)) if is_packed => {
                            let span = cx.span(s);
                            return Err(cx.error(
                                span,
                                "members of a packed struct cannot have default values (IEEE 1800-2017 7.2.2)",
                            ));
                        }
                        Some((_, e)) => Some(expr::lower_expr(cx, e)?),
                        None => None,
                    };
                    let name = cx.ident(&id.nodes.0);
                    let span = cx.span(x.as_ref());
                    members.push(StructMember {
                        name,
                        ty: ty.clone(),
                        unpacked,
                        default,
                        span,
                    });
                }
                other => return Err(cx.unsupported(other, "struct member")),
            }
        }
    }
    // With default values, a member without one starts at its type's
    // default: 0 for two-state types, x for four-state ones, which one
    // whole initial value cannot express: only two-state ones are read.
    if members.iter().any(|m| m.default.is_some()) {
        if let Some(m) = members.iter().find(|m| {
            m.default.is_none()
                && !matches!(
                    m.ty.kind,
                    TypeKind::Bit
                        | TypeKind::Byte
                        | TypeKind::ShortInt
                        | TypeKind::Int
                        | TypeKind::LongInt
                )
        }) {
            return Err(cx.error(
                m.span,
                format!(
                    "unsupported construct: struct member `{}` without a default value beside members with one (only `bit`/`byte`/`int`... members may go without)",
                    m.name.name
                ),
            ));
        }
    }
    let kind = if is_union {
        TypeKind::Union {
            packed: true,
            members,
        }
    } else {
        TypeKind::Struct {
            packed: is_packed,
            members,
        }
    };
    Ok(DataType {
        kind,
        signed: signing(&sgn),
        packed: packed_dims(cx, dims)?,
        span,
    })
}

fn lower_enum(cx: &mut Cx, e: &sv::DataTypeEnum, span: Span) -> Result<DataType> {
    let (_, base, body, dims) = &e.nodes;
    let base = match base {
        None => None,
        Some(b) => {
            let bspan = cx.span(b);
            let ty = match b {
                sv::EnumBaseType::Atom(a) => {
                    let (k, s) = &a.nodes;
                    DataType {
                        kind: atom_kind(cx, k)?,
                        signed: signing(s),
                        packed: Vec::new(),
                        span: bspan,
                    }
                }
                sv::EnumBaseType::Vector(v) => {
                    let (k, s, d) = &v.nodes;
                    let mut packed = Vec::new();
                    if let Some(d) = d {
                        packed.push(lower_packed_dim(cx, d)?);
                    }
                    DataType {
                        kind: vector_kind(k),
                        signed: signing(s),
                        packed,
                        span: bspan,
                    }
                }
                sv::EnumBaseType::Type(t) => {
                    let (id, d) = &t.nodes;
                    let mut ty = named_type(cx, None, &id.nodes.0, id);
                    if let Some(d) = d {
                        ty.packed.push(lower_packed_dim(cx, d)?);
                    }
                    ty.span = bspan;
                    ty
                }
            };
            Some(Box::new(ty))
        }
    };
    let mut items = Vec::new();
    for n in body.nodes.1.contents() {
        let (id, range, value) = &n.nodes;
        let name = cx.ident(&id.nodes.0);
        let value = match value {
            Some((_, v)) => Some(expr::lower_const_expr(cx, v)?),
            None => None,
        };
        let span = cx.span(n);
        let Some(r) = range else {
            items.push(EnumItem { name, value, span });
            continue;
        };
        // `name[N]` is name0 .. name(N-1); `name[N:M]` is nameN .. nameM,
        // either way round (6.19.2). The first takes the value, if any.
        let (first, last) = &r.nodes.1;
        let a = enum_range_bound(cx, first)?;
        let idx: Vec<u64> = match last {
            None if a == 0 => return Err(cx.error(span, "enum name range `name[0]` names nothing")),
            None => (0..a).collect(),
            Some((_, b)) => {
                let b = enum_range_bound(cx, b)?;
                if a <= b {
                    (a..=b).collect()
                } else {
                    (b..=a).rev().collect()
                }
            }
        };
        if idx.len() > 1 << 16 {
            return Err(cx.error(span, "enum name range too large"));
        }
        for (k, i) in idx.into_iter().enumerate() {
            items.push(EnumItem {
                name: Ident {
                    name: format!("{}{i}", name.name),
                    span: name.span,
                },
                value: if k == 0 { value.clone() } else { None },
                span,
            });
        }
    }
    Ok(DataType {
        kind: TypeKind::Enum { base, items },
        signed: None,
        packed: packed_dims(cx, dims)?,
        span,
    })
}

/// A bound of an enum name range: a plain non-negative integer.
fn enum_range_bound(cx: &mut Cx, n: &sv::IntegralNumber) -> Result<u64> {
    let num = sv::Number::IntegralNumber(Box::new(n.clone()));
    let e = expr::lower_number(cx, &num)?;
    match &e.kind {
        ExprKind::Number(v) if v.xz == num_bigint::BigUint::default() => {
            u64::try_from(&v.value).map_err(|_| cx.error(e.span, "enum name range bound too large"))
        }
        _ => Err(cx.error(e.span, "an enum name range bound must be an integer")),
    }
}

// ---------------------------------------------------------------- dimensions

pub fn lower_packed_dim(cx: &mut Cx, d: &sv::PackedDimension) -> Result<Dim> {
    match d {
        sv::PackedDimension::Range(r) => {
            let cr = &r.nodes.0.nodes.1;
            let a = expr::lower_const_expr(cx, &cr.nodes.0)?;
            let b = expr::lower_const_expr(cx, &cr.nodes.2)?;
            Ok(Dim::Range(a, b))
        }
        sv::PackedDimension::UnsizedDimension(u) => {
            Err(cx.unsupported(u.as_ref(), "unsized dimension `[]`"))
        }
    }
}

pub fn lower_unpacked_dim(cx: &mut Cx, d: &sv::UnpackedDimension) -> Result<Dim> {
    match d {
        sv::UnpackedDimension::Range(r) => {
            let cr = &r.nodes.0.nodes.1;
            let a = expr::lower_const_expr(cx, &cr.nodes.0)?;
            let b = expr::lower_const_expr(cx, &cr.nodes.2)?;
            // sv-parser reads `[$:max]` as a range from `$`.
            if matches!(a.kind, ExprKind::Dollar) {
                return Ok(Dim::Queue(Some(b)));
            }
            Ok(Dim::Range(a, b))
        }
        sv::UnpackedDimension::Expression(e) => {
            let n = expr::lower_const_expr(cx, &e.nodes.0.nodes.1)?;
            // ... and `[$]` as a size `$`.
            if matches!(n.kind, ExprKind::Dollar) {
                return Ok(Dim::Queue(None));
            }
            Ok(Dim::Size(n))
        }
    }
}

pub(super) fn lower_var_dim(cx: &mut Cx, d: &sv::VariableDimension) -> Result<Dim> {
    match d {
        sv::VariableDimension::UnpackedDimension(u) => lower_unpacked_dim(cx, u),
        sv::VariableDimension::UnsizedDimension(_) => Ok(Dim::Dynamic),
        sv::VariableDimension::AssociativeDimension(a) => match a.as_ref() {
            sv::AssociativeDimension::DataType(t) => Ok(Dim::Assoc(Some(Box::new(
                lower_data_type(cx, &t.nodes.0.nodes.1)?,
            )))),
            sv::AssociativeDimension::Asterisk(_) => Ok(Dim::Assoc(None)),
        },
        sv::VariableDimension::QueueDimension(q) => {
            let bound = match &q.nodes.0.nodes.1 .1 {
                Some((_, e)) => Some(expr::lower_const_expr(cx, e)?),
                None => None,
            };
            Ok(Dim::Queue(bound))
        }
    }
}
