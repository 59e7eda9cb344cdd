//! Lowering of module ports: ANSI and non-ANSI headers, port directions and net/variable port types.

use super::types::{
    implicit_type, lower_data_type, lower_dtoi, lower_unpacked_dim, lower_var_dim, named_type,
    unpacked_dims, var_dims,
};
use super::{expr, Cx};
use crate::ast::*;
use crate::diag::Result;
use sv_parser as sv;

// --------------------------------------------------------------------- ports

pub(super) fn port_dir(cx: &mut Cx, d: &sv::PortDirection) -> Result<Direction> {
    match d {
        sv::PortDirection::Input(_) => Ok(Direction::Input),
        sv::PortDirection::Output(_) => Ok(Direction::Output),
        sv::PortDirection::Inout(_) => Ok(Direction::Inout),
        sv::PortDirection::Ref(k) => Err(cx.unsupported(k.as_ref(), "`ref` port")),
    }
}

/// Net type keyword: only plain wires are two-state meaningful.
pub(super) fn check_net_type(cx: &mut Cx, nt: &sv::NetType) -> Result<()> {
    use sv::NetType as N;
    match nt {
        N::Wire(_) | N::Tri(_) | N::Uwire(_) => Ok(()),
        _ => {
            let what = format!("net type `{}`", cx.node_text(nt));
            Err(cx.unsupported(nt, &what))
        }
    }
}

/// Type of a port given with a net port type; returns (is_var, type).
/// Per LRM 23.2.2.3 an output with a data type and no net keyword is a
/// variable; inputs and inouts are nets unless declared `var`.
fn net_port_type(cx: &mut Cx, t: &sv::NetPortType, dir: Direction) -> Result<(bool, DataType)> {
    match t {
        sv::NetPortType::DataType(x) => {
            let (nt, dtoi) = &x.nodes;
            if let Some(nt) = nt {
                check_net_type(cx, nt)?;
                return Ok((false, lower_dtoi(cx, dtoi)?));
            }
            match dtoi {
                sv::DataTypeOrImplicit::DataType(dt) => {
                    Ok((dir == Direction::Output, lower_data_type(cx, dt)?))
                }
                sv::DataTypeOrImplicit::ImplicitDataType(_) => Ok((false, lower_dtoi(cx, dtoi)?)),
            }
        }
        sv::NetPortType::NetTypeIdentifier(id) => {
            let ty = named_type(cx, None, &id.nodes.0, id.as_ref());
            Ok((dir == Direction::Output, ty))
        }
        sv::NetPortType::Interconnect(x) => Err(cx.unsupported(x.as_ref(), "interconnect port")),
    }
}

fn var_port_type(
    cx: &mut Cx,
    t: &sv::VariablePortType,
    dir: Direction,
) -> Result<(bool, DataType)> {
    match &t.nodes.0 {
        sv::VarDataType::DataType(dt) => Ok((dir == Direction::Output, lower_data_type(cx, dt)?)),
        sv::VarDataType::Var(v) => Ok((true, lower_dtoi(cx, &v.nodes.1)?)),
    }
}

pub(super) fn lower_ansi_ports(
    cx: &mut Cx,
    l: &sv::ListOfPortDeclarations,
    out: &mut Vec<Port>,
) -> Result<()> {
    let Some(list) = &l.nodes.0.nodes.1 else {
        return Ok(());
    };
    // Direction, kind and type of the previous port (LRM 23.2.2.3).
    let mut prev: Option<(Direction, bool, DataType)> = None;
    for (_attrs, p) in list.contents() {
        let (dir, is_var, ty, name, unpacked, default) = match p {
            sv::AnsiPortDeclaration::Net(n) => {
                let (hdr, id, dims, default) = &n.nodes;
                let name = cx.ident(&id.nodes.0);
                let (dir, is_var, ty) = match hdr {
                    None => {
                        prev.clone()
                            .unwrap_or((Direction::Inout, false, implicit_type(name.span)))
                    }
                    Some(sv::NetPortHeaderOrInterfacePortHeader::NetPortHeader(h)) => {
                        let dir = match &h.nodes.0 {
                            Some(d) => port_dir(cx, d)?,
                            None => prev.as_ref().map(|p| p.0).unwrap_or(Direction::Inout),
                        };
                        let (v, t) = net_port_type(cx, &h.nodes.1, dir)?;
                        (dir, v, t)
                    }
                    Some(sv::NetPortHeaderOrInterfacePortHeader::InterfacePortHeader(ih)) => {
                        // `state_t s` after other ports parses as an
                        // interface port: read it as a port of a named type
                        // (an actual interface then fails as an unknown type).
                        match ih.as_ref() {
                            sv::InterfacePortHeader::Identifier(x) if x.nodes.1.is_none() => {
                                let dir = prev.as_ref().map(|p| p.0).unwrap_or(Direction::Inout);
                                let ty = named_type(cx, None, &x.nodes.0.nodes.0, x.as_ref());
                                (dir, dir == Direction::Output, ty)
                            }
                            other => return Err(cx.unsupported(other, "interface port")),
                        }
                    }
                };
                let mut unpacked = Vec::new();
                for d in dims {
                    unpacked.push(lower_unpacked_dim(cx, d)?);
                }
                let default = match default {
                    Some((_, e)) => Some(expr::lower_const_expr(cx, e)?),
                    None => None,
                };
                (dir, is_var, ty, name, unpacked, default)
            }
            sv::AnsiPortDeclaration::Variable(v) => {
                let (hdr, id, dims, default) = &v.nodes;
                let name = cx.ident(&id.nodes.0);
                let (dir, is_var, ty) = match hdr {
                    None => {
                        prev.clone()
                            .unwrap_or((Direction::Inout, false, implicit_type(name.span)))
                    }
                    Some(h) => {
                        let dir = match &h.nodes.0 {
                            Some(d) => port_dir(cx, d)?,
                            None => prev.as_ref().map(|p| p.0).unwrap_or(Direction::Inout),
                        };
                        let (v, t) = var_port_type(cx, &h.nodes.1, dir)?;
                        (dir, v, t)
                    }
                };
                let mut unpacked = Vec::new();
                for d in dims {
                    unpacked.push(lower_var_dim(cx, d)?);
                }
                let default = match default {
                    Some((_, e)) => Some(expr::lower_const_expr(cx, e)?),
                    None => None,
                };
                (dir, is_var, ty, name, unpacked, default)
            }
            sv::AnsiPortDeclaration::Paren(x) => {
                return Err(cx.unsupported(x.as_ref(), "explicit port expression `.name(expr)`"))
            }
        };
        let span = cx.span(p);
        prev = Some((dir, is_var, ty.clone()));
        out.push(Port {
            name,
            dir,
            is_var,
            ty,
            unpacked,
            default,
            span,
        });
    }
    Ok(())
}

/// Port names of a non-ANSI header `module m(a, b);`.
pub(super) fn nonansi_port_names(cx: &mut Cx, l: &sv::ListOfPorts) -> Result<Vec<Ident>> {
    let mut names = Vec::new();
    let ports = l.nodes.0.nodes.1.contents();
    for p in &ports {
        match p {
            sv::Port::NonNamed(nn) => match &nn.nodes.0 {
                // `module m();` has one empty entry.
                None if ports.len() == 1 => {}
                None => return Err(cx.unsupported(*p, "empty port in a module header")),
                Some(sv::PortExpression::PortReference(r)) => {
                    if !cx.node_text(&r.nodes.1).is_empty() {
                        return Err(cx.unsupported(r.as_ref(), "port expression with a select"));
                    }
                    names.push(cx.ident(&r.nodes.0.nodes.0));
                }
                Some(other) => {
                    return Err(cx.unsupported(other, "port expression with a concatenation"))
                }
            },
            sv::Port::Named(x) => {
                return Err(cx.unsupported(x.as_ref(), "explicit port expression `.name(expr)`"))
            }
        }
    }
    Ok(names)
}

/// Non-ANSI port declarations in the module body (`input [3:0] a;`).
pub(super) fn lower_port_declaration(
    cx: &mut Cx,
    pd: &sv::PortDeclaration,
    out: &mut Vec<Port>,
) -> Result<()> {
    use sv::PortDeclaration as P;
    let push = |cx: &mut Cx,
                out: &mut Vec<Port>,
                dir: Direction,
                is_var: bool,
                ty: &DataType,
                id: &sv::PortIdentifier,
                unpacked: Vec<Dim>,
                default: Option<Expr>| {
        let name = cx.ident(&id.nodes.0);
        let span = cx.span(pd);
        out.push(Port {
            name,
            dir,
            is_var,
            ty: ty.clone(),
            unpacked,
            default,
            span,
        });
    };
    match pd {
        P::Inout(x) => {
            let (_, npt, list) = &x.nodes.1.nodes;
            let (is_var, ty) = net_port_type(cx, npt, Direction::Inout)?;
            for (id, dims) in list.nodes.0.contents() {
                let u = unpacked_dims(cx, dims)?;
                push(cx, out, Direction::Inout, is_var, &ty, id, u, None);
            }
        }
        P::Input(x) => match &x.nodes.1 {
            sv::InputDeclaration::Net(n) => {
                let (_, npt, list) = &n.nodes;
                let (is_var, ty) = net_port_type(cx, npt, Direction::Input)?;
                for (id, dims) in list.nodes.0.contents() {
                    let u = unpacked_dims(cx, dims)?;
                    push(cx, out, Direction::Input, is_var, &ty, id, u, None);
                }
            }
            sv::InputDeclaration::Variable(v) => {
                let (_, vpt, list) = &v.nodes;
                let (is_var, ty) = var_port_type(cx, vpt, Direction::Input)?;
                for (id, dims) in list.nodes.0.contents() {
                    let u = var_dims(cx, dims)?;
                    let id = sv::PortIdentifier {
                        nodes: (id.nodes.0.clone(),),
                    };
                    push(cx, out, Direction::Input, is_var, &ty, &id, u, None);
                }
            }
        },
        P::Output(x) => match &x.nodes.1 {
            sv::OutputDeclaration::Net(n) => {
                let (_, npt, list) = &n.nodes;
                let (is_var, ty) = net_port_type(cx, npt, Direction::Output)?;
                for (id, dims) in list.nodes.0.contents() {
                    let u = unpacked_dims(cx, dims)?;
                    push(cx, out, Direction::Output, is_var, &ty, id, u, None);
                }
            }
            sv::OutputDeclaration::Variable(v) => {
                let (_, vpt, list) = &v.nodes;
                let (is_var, ty) = var_port_type(cx, vpt, Direction::Output)?;
                for (id, dims, default) in list.nodes.0.contents() {
                    let u = var_dims(cx, dims)?;
                    let default = match default {
                        Some((_, e)) => Some(expr::lower_const_expr(cx, e)?),
                        None => None,
                    };
                    push(cx, out, Direction::Output, is_var, &ty, id, u, default);
                }
            }
        },
        P::Ref(x) => return Err(cx.unsupported(x.as_ref(), "`ref` port")),
        P::Interface(x) => return Err(cx.unsupported(x.as_ref(), "interface port")),
    }
    Ok(())
}

/// Ports in header order from the body's declarations; a later data or net
/// declaration of a port name (`output q; reg q;`) completes its type.
pub(super) fn build_nonansi_ports(
    cx: &mut Cx,
    names: Vec<Ident>,
    decls: Vec<Port>,
    items: &mut Vec<Item>,
) -> Result<Vec<Port>> {
    for d in &decls {
        if !names.iter().any(|n| n.name == d.name.name) {
            let msg = format!(
                "`{}` is declared as a port but is not in the module's port list",
                d.name.name
            );
            return Err(cx.error(d.name.span, msg));
        }
        if decls.iter().filter(|e| e.name.name == d.name.name).count() > 1 {
            let msg = format!(
                "port `{}` has more than one direction declaration",
                d.name.name
            );
            return Err(cx.error(d.name.span, msg));
        }
    }
    let mut ports = Vec::with_capacity(names.len());
    for n in names {
        match decls.iter().find(|d| d.name.name == n.name) {
            Some(d) => ports.push(d.clone()),
            None => {
                let msg = format!(
                    "port `{}` has no direction declaration in the module body",
                    n.name
                );
                return Err(cx.error(n.span, msg));
            }
        }
    }
    let mut rest = Vec::with_capacity(items.len());
    for item in items.drain(..) {
        match item {
            Item::Var(v) if ports.iter().any(|p| p.name.name == v.name.name) => {
                // Invariant: the guard just found this port.
                let p = ports
                    .iter_mut()
                    .find(|p| p.name.name == v.name.name)
                    .expect("port found by the guard");
                merge_port_decl(p, v);
            }
            other => rest.push(other),
        }
    }
    *items = rest;
    Ok(ports)
}

fn merge_port_decl(p: &mut Port, v: VarDecl) {
    p.is_var = v.is_var;
    let v_has_type = !matches!(v.ty.kind, TypeKind::Implicit)
        || !v.ty.packed.is_empty()
        || v.ty.signed.is_some();
    if v_has_type {
        let signed = v.ty.signed.or(p.ty.signed);
        p.ty = v.ty;
        p.ty.signed = signed;
    }
    if p.unpacked.is_empty() {
        p.unpacked = v.unpacked;
    }
    if v.init.is_some() {
        p.default = v.init;
    }
}
