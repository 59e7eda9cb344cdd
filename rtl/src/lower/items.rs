//! Lowering of design units, declarations, types, instances, generate
//! constructs and functions.
//!
//! sv-parser's tree is walked by hand, variant by variant: every variant
//! either becomes AST or an "unsupported construct" error at its location.
//! Only things with no meaning for two-state cycle semantics (time units,
//! attributes, `` `resetall ``) are skipped.

use super::{expr, stmt, sva, Cx};
use crate::ast::*;
use crate::diag::Result;
use crate::source::Span;
use num_bigint::BigUint;
use sv_parser as sv;

/// Lower the whole tree of one file into `unit`.
pub fn lower_source_text(cx: &mut Cx, unit: &mut SourceUnit) -> Result<()> {
    let tree = cx.tree;
    for node in tree {
        if let sv::RefNode::SourceText(st) = node {
            return lower_descriptions(cx, st, unit);
        }
    }
    Ok(())
}

fn lower_descriptions(cx: &mut Cx, st: &sv::SourceText, unit: &mut SourceUnit) -> Result<()> {
    // st.nodes.1: a file-level `timeunit`, meaningless in cycle semantics.
    for d in &st.nodes.2 {
        use sv::Description as D;
        match d {
            D::ResetallCompilerDirective(_) => {}
            D::ModuleDeclaration(m) => {
                cx.lets.enter(None);
                let m = lower_module(cx, m);
                cx.lets.leave();
                let m = m?;
                unit.modules.push(m);
            }
            D::PackageDeclaration(p) => {
                let name = cx.ident(&p.nodes.3.nodes.0).name;
                cx.lets.enter(Some(name));
                let p = lower_package(cx, p);
                cx.lets.leave();
                let p = p?;
                unit.packages.push(p);
            }
            D::PackageItem(pi) => {
                lower_package_item(cx, &pi.nodes.1, &mut unit.unit_items)?;
            }
            D::UdpDeclaration(x) => {
                return Err(cx.unsupported(x.as_ref(), "user-defined primitive (UDP)"))
            }
            D::InterfaceDeclaration(x) => return Err(cx.unsupported(x.as_ref(), "interface")),
            D::InterfaceClassDeclaration(x) => {
                return Err(cx.unsupported(x.as_ref(), "interface class"))
            }
            D::ProgramDeclaration(x) => return Err(cx.unsupported(x.as_ref(), "program")),
            D::BindDirective(x) => {
                let b = lower_bind(cx, &x.nodes.1)?;
                unit.binds.push(b);
            }
            D::ConfigDeclaration(x) => return Err(cx.unsupported(x.as_ref(), "configuration")),
        }
    }
    Ok(())
}

// ------------------------------------------------------------------ packages

fn lower_package(cx: &mut Cx, p: &sv::PackageDeclaration) -> Result<Package> {
    let name = cx.ident(&p.nodes.3.nodes.0);
    let span = cx.span(p);
    let mut items = Vec::new();
    for (_attrs, item) in &p.nodes.6 {
        lower_package_item(cx, item, &mut items)?;
    }
    Ok(Package { name, items, span })
}

/// A package item (also used for `$unit` items). Package `parameter`s are
/// local parameters (LRM 6.20.4), so nothing here is overridable.
fn lower_package_item(cx: &mut Cx, item: &sv::PackageItem, out: &mut Vec<Item>) -> Result<()> {
    use sv::PackageItem as P;
    match item {
        P::PackageOrGenerateItemDeclaration(d) => lower_pogid(cx, d, out, false),
        P::AnonymousProgram(x) => Err(cx.unsupported(x.as_ref(), "anonymous program")),
        P::PackageExportDeclaration(x) => {
            Err(cx.unsupported(x.as_ref(), "package export declaration"))
        }
        P::TimeunitsDeclaration(_) => Ok(()),
    }
}

fn lower_import(cx: &mut Cx, d: &sv::PackageImportDeclaration) -> Vec<Import> {
    let mut out = Vec::new();
    for it in d.nodes.1.contents() {
        let span = cx.span(it);
        match it {
            sv::PackageImportItem::Identifier(x) => {
                let package = cx.ident(&x.nodes.0.nodes.0);
                let name = cx.ident(&x.nodes.2);
                out.push(Import {
                    package,
                    name: Some(name),
                    span,
                });
            }
            sv::PackageImportItem::Asterisk(x) => {
                let package = cx.ident(&x.nodes.0.nodes.0);
                out.push(Import {
                    package,
                    name: None,
                    span,
                });
            }
        }
    }
    for i in &out {
        cx.lets.import(i);
    }
    out
}

// ------------------------------------------------------------------- modules

fn lower_module(cx: &mut Cx, m: &sv::ModuleDeclaration) -> Result<Module> {
    use sv::ModuleDeclaration as M;
    match m {
        M::Ansi(a) => {
            let h = &a.nodes.0;
            let (_, _kw, _life, id, imports, params, ports, _) = &h.nodes;
            let mut md = module_shell(cx, id, imports, a.as_ref());
            lower_param_port_list(cx, params, &mut md.params)?;
            if let Some(pl) = ports {
                lower_ansi_ports(cx, pl, &mut md.ports)?;
            }
            let overridable = params.is_none();
            for item in &a.nodes.2 {
                lower_non_port_module_item(cx, item, &mut md.items, overridable)?;
            }
            if overridable {
                take_body_params(&mut md);
            }
            Ok(md)
        }
        M::Nonansi(n) => {
            let h = &n.nodes.0;
            let (_, _kw, _life, id, imports, params, list, _) = &h.nodes;
            let mut md = module_shell(cx, id, imports, n.as_ref());
            lower_param_port_list(cx, params, &mut md.params)?;
            let names = nonansi_port_names(cx, list)?;
            let overridable = params.is_none();
            let mut decls: Vec<Port> = Vec::new();
            for item in &n.nodes.2 {
                match item {
                    sv::ModuleItem::PortDeclaration(pd) => {
                        lower_port_declaration(cx, &pd.0, &mut decls)?
                    }
                    sv::ModuleItem::NonPortModuleItem(x) => {
                        lower_non_port_module_item(cx, x, &mut md.items, overridable)?
                    }
                }
            }
            md.ports = build_nonansi_ports(cx, names, decls, &mut md.items)?;
            if overridable {
                take_body_params(&mut md);
            }
            Ok(md)
        }
        M::Wildcard(x) => Err(cx.unsupported(x.as_ref(), "module with `(.*)` port list")),
        M::ExternNonansi(x) => Err(cx.unsupported(x.as_ref(), "extern module")),
        M::ExternAnsi(x) => Err(cx.unsupported(x.as_ref(), "extern module")),
    }
}

fn module_shell<'b, T: Into<sv::RefNodes<'b>>>(
    cx: &mut Cx,
    id: &sv::ModuleIdentifier,
    imports: &[sv::PackageImportDeclaration],
    whole: T,
) -> Module {
    let name = cx.ident(&id.nodes.0);
    let span = cx.span(whole);
    let mut header_imports = Vec::new();
    for i in imports {
        header_imports.extend(lower_import(cx, i));
    }
    Module {
        name,
        header_imports,
        params: Vec::new(),
        ports: Vec::new(),
        items: Vec::new(),
        span,
    }
}

/// A module without a `#(...)` list: its body `parameter`s (lowered with
/// `local = false`) are its overridable parameters, in order.
fn take_body_params(md: &mut Module) {
    let mut rest = Vec::with_capacity(md.items.len());
    for item in md.items.drain(..) {
        match item {
            Item::Param(p) if !p.local => md.params.push(p),
            other => rest.push(other),
        }
    }
    md.items = rest;
}

// ---------------------------------------------------------------- parameters

fn lower_param_port_list(
    cx: &mut Cx,
    p: &Option<sv::ParameterPortList>,
    out: &mut Vec<ParamDecl>,
) -> Result<()> {
    use sv::ParameterPortList as L;
    let Some(p) = p else { return Ok(()) };
    // `parameter`/`localparam` and the type carry to later entries that
    // give neither (`#(parameter int A = 1, B = 2)` is handled by the list
    // itself; `#(parameter A = 1, int B = 2)` keeps `parameter`).
    let mut local = false;
    match p {
        L::Empty(_) => {}
        L::Assignment(a) => {
            let (list, rest) = &a.nodes.1.nodes.1;
            let ty = implicit_type(Span::NONE);
            for pa in list.nodes.0.contents() {
                out.push(lower_param_assign(cx, pa, &ty, false)?);
            }
            for (_, d) in rest {
                lower_param_port_decl(cx, d, &mut local, out)?;
            }
        }
        L::Declaration(d) => {
            for d in d.nodes.1.nodes.1.contents() {
                lower_param_port_decl(cx, d, &mut local, out)?;
            }
        }
    }
    Ok(())
}

fn lower_param_port_decl(
    cx: &mut Cx,
    d: &sv::ParameterPortDeclaration,
    local: &mut bool,
    out: &mut Vec<ParamDecl>,
) -> Result<()> {
    use sv::ParameterPortDeclaration as P;
    match d {
        P::ParameterDeclaration(p) => {
            *local = false;
            out.extend(lower_parameter_decl(cx, p, false)?);
        }
        P::LocalParameterDeclaration(p) => {
            *local = true;
            out.extend(lower_localparam_decl(cx, p)?);
        }
        P::ParamList(x) => {
            let ty = lower_data_type(cx, &x.nodes.0)?;
            for pa in x.nodes.1.nodes.0.contents() {
                out.push(lower_param_assign(cx, pa, &ty, *local)?);
            }
        }
        P::TypeList(x) => out.extend(lower_type_params(cx, &x.nodes.1, *local)?),
    }
    Ok(())
}

fn lower_parameter_decl(
    cx: &mut Cx,
    p: &sv::ParameterDeclaration,
    local: bool,
) -> Result<Vec<ParamDecl>> {
    match p {
        sv::ParameterDeclaration::Param(x) => {
            let (_, dtoi, list) = &x.nodes;
            let ty = lower_dtoi(cx, dtoi)?;
            let mut out = Vec::new();
            for pa in list.nodes.0.contents() {
                out.push(lower_param_assign(cx, pa, &ty, local)?);
            }
            Ok(out)
        }
        sv::ParameterDeclaration::Type(x) => lower_type_params(cx, &x.nodes.2, local),
    }
}

fn lower_localparam_decl(cx: &mut Cx, p: &sv::LocalParameterDeclaration) -> Result<Vec<ParamDecl>> {
    match p {
        sv::LocalParameterDeclaration::Param(x) => {
            let (_, dtoi, list) = &x.nodes;
            let ty = lower_dtoi(cx, dtoi)?;
            let mut out = Vec::new();
            for pa in list.nodes.0.contents() {
                out.push(lower_param_assign(cx, pa, &ty, true)?);
            }
            Ok(out)
        }
        sv::LocalParameterDeclaration::Type(x) => lower_type_params(cx, &x.nodes.2, true),
    }
}

fn lower_param_assign(
    cx: &mut Cx,
    pa: &sv::ParamAssignment,
    ty: &DataType,
    local: bool,
) -> Result<ParamDecl> {
    let (id, dims, value) = &pa.nodes;
    if !dims.is_empty() {
        return Err(cx.unsupported(dims, "parameter with unpacked dimensions"));
    }
    let name = cx.ident(&id.nodes.0);
    let span = cx.span(pa);
    let value = match value {
        None => None,
        Some((_, v)) => Some(lower_const_param_expr(cx, v)?),
    };
    Ok(ParamDecl {
        name,
        ty: ty.clone(),
        value,
        local,
        type_param: None,
        span,
    })
}

/// `type T = logic [7:0], U` (a parameter or localparam list of types).
fn lower_type_params(
    cx: &mut Cx,
    l: &sv::ListOfTypeAssignments,
    local: bool,
) -> Result<Vec<ParamDecl>> {
    let mut out = Vec::new();
    for ta in l.nodes.0.contents() {
        let name = cx.ident(&ta.nodes.0.nodes.0);
        let default = match &ta.nodes.1 {
            Some((_, t)) => Some(lower_data_type(cx, t)?),
            None => None,
        };
        let name_span = name.span;
        out.push(ParamDecl {
            name,
            ty: DataType {
                kind: TypeKind::Implicit,
                signed: None,
                packed: Vec::new(),
                span: name_span,
            },
            value: None,
            local,
            type_param: Some(default),
            span: cx.span(ta),
        });
    }
    Ok(out)
}

fn lower_const_param_expr(cx: &mut Cx, v: &sv::ConstantParamExpression) -> Result<Expr> {
    use sv::ConstantParamExpression as C;
    match v {
        C::ConstantMintypmaxExpression(m) => match m.as_ref() {
            sv::ConstantMintypmaxExpression::Unary(e) => expr::lower_const_expr(cx, e),
            sv::ConstantMintypmaxExpression::Ternary(t) => {
                Err(cx.unsupported(t.as_ref(), "min:typ:max expression"))
            }
        },
        C::DataType(t) => Err(cx.unsupported(t.as_ref(), "data type as a parameter value")),
        C::Dollar(s) => Err(cx.unsupported(s.as_ref(), "`$` as a parameter value")),
    }
}

fn param_to_const(p: ParamDecl) -> VarDecl {
    VarDecl {
        name: p.name,
        is_var: true,
        ty: p.ty,
        unpacked: Vec::new(),
        init: p.value,
        is_const: true,
        free: None,
        pull: None,
        gclk: false,
        span: p.span,
    }
}

// --------------------------------------------------------------------- ports

fn port_dir(cx: &mut Cx, d: &sv::PortDirection) -> Result<Direction> {
    match d {
        sv::PortDirection::Input(_) => Ok(Direction::Input),
        sv::PortDirection::Output(_) => Ok(Direction::Output),
        sv::PortDirection::Inout(_) => Ok(Direction::Inout),
        sv::PortDirection::Ref(k) => Err(cx.unsupported(k.as_ref(), "`ref` port")),
    }
}

/// Net type keyword: only plain wires are two-state meaningful.
fn check_net_type(cx: &mut Cx, nt: &sv::NetType) -> Result<()> {
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

fn lower_ansi_ports(
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
fn nonansi_port_names(cx: &mut Cx, l: &sv::ListOfPorts) -> Result<Vec<Ident>> {
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
fn lower_port_declaration(
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
fn build_nonansi_ports(
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

// ---------------------------------------------------------------- module items

fn lower_non_port_module_item(
    cx: &mut Cx,
    item: &sv::NonPortModuleItem,
    out: &mut Vec<Item>,
    overridable: bool,
) -> Result<()> {
    use sv::NonPortModuleItem as N;
    match item {
        N::GenerateRegion(g) => {
            // `generate ... endgenerate` opens no scope: flatten.
            for gi in &g.nodes.1 {
                lower_generate_item(cx, gi, out, overridable)?;
            }
            Ok(())
        }
        N::ModuleOrGenerateItem(m) => lower_mogi(cx, m, out, overridable),
        N::SpecifyBlock(x) => Err(cx.unsupported(x.as_ref(), "specify block")),
        N::Specparam(x) => {
            // A specify-block constant (delays): as a `localparam`; verify
            // has no timing, so only its use as a value matters.
            let decl = &x.nodes.1;
            if let Some(d) = &decl.nodes.1 {
                return Err(cx.unsupported(d, "specparam with a packed range"));
            }
            for a in decl.nodes.2.nodes.0.contents() {
                let m = match a {
                    sv::SpecparamAssignment::Mintypmax(m) => m,
                    sv::SpecparamAssignment::PulseControlSpecparam(p) => {
                        return Err(cx.unsupported(p.as_ref(), "PATHPULSE$ specparam"))
                    }
                };
                let name = cx.ident(&m.nodes.0.nodes.0);
                let value = expr::lower_const_mintypmax(cx, &m.nodes.2)?;
                let span = cx.span(m.as_ref());
                out.push(Item::Param(ParamDecl {
                    ty: DataType {
                        kind: TypeKind::Implicit,
                        signed: None,
                        packed: Vec::new(),
                        span: name.span,
                    },
                    name,
                    value: Some(value),
                    local: true,
                    type_param: None,
                    span,
                }));
            }
            Ok(())
        }
        N::ProgramDeclaration(x) => Err(cx.unsupported(x.as_ref(), "nested program")),
        N::ModuleDeclaration(x) => Err(cx.unsupported(x.as_ref(), "nested module declaration")),
        N::InterfaceDeclaration(x) => Err(cx.unsupported(x.as_ref(), "nested interface")),
        N::TimeunitsDeclaration(_) => Ok(()),
    }
}

fn lower_mogi(
    cx: &mut Cx,
    m: &sv::ModuleOrGenerateItem,
    out: &mut Vec<Item>,
    overridable: bool,
) -> Result<()> {
    use sv::ModuleOrGenerateItem as M;
    match m {
        M::Parameter(x) => Err(cx.unsupported(x.as_ref(), "defparam")),
        M::Gate(x) => Err(cx.unsupported(x.as_ref(), "gate primitive instance")),
        M::Udp(x) => Err(cx.unsupported(x.as_ref(), "UDP instance")),
        M::Module(x) => lower_instantiation(cx, &x.nodes.1, out),
        M::ModuleItem(x) => {
            let free = free_attribute(cx, &x.nodes.0)?;
            let gclk = has_attribute(cx, &x.nodes.0, "gclk");
            let start = out.len();
            lower_common_item(cx, &x.nodes.1, out, overridable)?;
            if gclk {
                for item in &mut out[start..] {
                    if let Item::Var(v) = item {
                        v.gclk = true;
                    }
                }
            }
            if let Some((free, span)) = free {
                let mut any = false;
                for item in &mut out[start..] {
                    if let Item::Var(v) = item {
                        v.free = Some(free);
                        any = true;
                    }
                }
                if !any {
                    return Err(crate::diag::Diagnostic::error(
                        crate::diag::Code::FreeAttr,
                        span,
                        "`anyconst`/`anyseq` attributes apply to net and variable declarations",
                    )
                    .into());
                }
            }
            Ok(())
        }
    }
}

/// Whether `(* name *)` is among the attribute instances.
fn has_attribute(cx: &mut Cx, attrs: &[sv::AttributeInstance], name: &str) -> bool {
    attrs
        .iter()
        .flat_map(|a| a.nodes.1.contents())
        .any(|spec| cx.ident(&spec.nodes.0).name == name)
}

/// The formal "any value" attribute among `(* ... *)` instances, if any:
/// `anyconst`/`allconst` (one value per trace), `anyseq`/`allseq` (a new
/// value each cycle). Other attributes are tool hints and are skipped.
/// `all*` are universally quantified in Yosys; for checking assertions
/// (does every value satisfy them?) that is the same free value.
fn free_attribute(cx: &mut Cx, attrs: &[sv::AttributeInstance]) -> Result<Option<(Free, Span)>> {
    let mut found: Option<(Free, Span)> = None;
    for a in attrs {
        for spec in a.nodes.1.contents() {
            let name = cx.ident(&spec.nodes.0);
            let free = match name.name.as_str() {
                "anyconst" | "allconst" => Free::Const,
                "anyseq" | "allseq" => Free::Seq,
                _ => continue,
            };
            if found.is_some_and(|(f, _)| f != free) {
                return Err(crate::diag::Diagnostic::error(
                    crate::diag::Code::FreeAttr,
                    name.span,
                    "a declaration cannot be both `anyconst` and `anyseq`",
                )
                .into());
            }
            found = Some((free, name.span));
        }
    }
    Ok(found)
}

fn lower_common_item(
    cx: &mut Cx,
    c: &sv::ModuleCommonItem,
    out: &mut Vec<Item>,
    overridable: bool,
) -> Result<()> {
    use sv::ModuleCommonItem as C;
    match c {
        C::ModuleOrGenerateItemDeclaration(d) => {
            use sv::ModuleOrGenerateItemDeclaration as D;
            match d.as_ref() {
                D::PackageOrGenerateItemDeclaration(p) => lower_pogid(cx, p, out, overridable)?,
                D::GenvarDeclaration(g) => {
                    let mut ids = Vec::new();
                    for id in g.nodes.1.nodes.0.contents() {
                        ids.push(cx.ident(&id.nodes.0));
                    }
                    out.push(Item::Genvar(ids));
                }
                D::ClockingDeclaration(cd) => out.push(lower_clocking(cx, cd)?),
                D::Clocking(x) => {
                    return Err(
                        cx.unsupported(x.as_ref(), "`default clocking` naming a clocking block")
                    )
                }
                D::Disable(x) => {
                    let (_, _, _, e, _) = &x.nodes;
                    if e.nodes.1.is_some() {
                        return Err(cx.unsupported(e, "`dist` in `default disable iff`"));
                    }
                    out.push(Item::DefaultDisable(expr::lower_expr(cx, &e.nodes.0)?));
                }
            }
        }
        C::InterfaceInstantiation(x) => {
            return Err(cx.unsupported(x.as_ref(), "interface instance"))
        }
        C::ProgramInstantiation(x) => return Err(cx.unsupported(x.as_ref(), "program instance")),
        C::AssertionItem(a) => match a.as_ref() {
            sv::AssertionItem::Concurrent(c) => {
                out.push(Item::Assertion(sva::lower_concurrent_assertion(cx, c)?));
            }
            sv::AssertionItem::Immediate(x) => {
                out.push(Item::Always(stmt::deferred_item(cx, x)?));
            }
        },
        C::BindDirective(x) => out.push(Item::Bind(lower_bind(cx, x)?)),
        C::ContinuousAssign(a) => lower_cont_assign(cx, a, out)?,
        C::NetAlias(x) => return Err(cx.unsupported(x.as_ref(), "net alias")),
        C::InitialConstruct(i) => {
            out.push(Item::Initial(stmt::lower_stmt_or_null(cx, &i.nodes.1)?))
        }
        C::FinalConstruct(f) => out.push(Item::Final(stmt::lower_stmt(cx, &f.nodes.1.nodes.0)?)),
        C::AlwaysConstruct(a) => {
            let kind = match &a.nodes.0 {
                sv::AlwaysKeyword::Always(_) => AlwaysKind::Always,
                sv::AlwaysKeyword::AlwaysComb(_) => AlwaysKind::AlwaysComb,
                sv::AlwaysKeyword::AlwaysLatch(_) => AlwaysKind::AlwaysLatch,
                sv::AlwaysKeyword::AlwaysFf(_) => AlwaysKind::AlwaysFf,
            };
            let body = stmt::lower_stmt(cx, &a.nodes.1)?;
            let span = cx.span(a.as_ref());
            out.push(Item::Always(Always { kind, body, span }));
        }
        C::LoopGenerateConstruct(l) => out.push(Item::GenFor(lower_loop_generate(cx, l)?)),
        C::ConditionalGenerateConstruct(c) => out.push(lower_cond_generate(cx, c)?),
        C::ElaborationSystemTask(x) => {
            return Err(cx.unsupported(x.as_ref(), "elaboration system task"))
        }
    }
    Ok(())
}

/// Declarations shared by modules, generate blocks, packages and `$unit`.
fn lower_pogid(
    cx: &mut Cx,
    d: &sv::PackageOrGenerateItemDeclaration,
    out: &mut Vec<Item>,
    overridable: bool,
) -> Result<()> {
    use sv::PackageOrGenerateItemDeclaration as P;
    match d {
        P::NetDeclaration(n) => lower_net_decl(cx, n, out)?,
        P::DataDeclaration(dd) => lower_data_decl(cx, dd, out)?,
        P::TaskDeclaration(t) => out.push(Item::Function(lower_task(cx, t)?)),
        P::FunctionDeclaration(f) => out.push(Item::Function(lower_function(cx, f)?)),
        P::CheckerDeclaration(x) => return Err(cx.unsupported(x.as_ref(), "checker")),
        P::DpiImportExport(x) => return Err(cx.unsupported(x.as_ref(), "DPI import/export")),
        P::ExternConstraintDeclaration(x) => return Err(cx.unsupported(x.as_ref(), "constraint")),
        P::ClassDeclaration(x) => return Err(cx.unsupported(x.as_ref(), "class")),
        P::InterfaceClassDeclaration(x) => {
            return Err(cx.unsupported(x.as_ref(), "interface class"))
        }
        P::ClassConstructorDeclaration(x) => {
            return Err(cx.unsupported(x.as_ref(), "class constructor"))
        }
        P::LocalParameterDeclaration(x) => {
            for p in lower_localparam_decl(cx, &x.0)? {
                out.push(Item::Param(p));
            }
        }
        P::ParameterDeclaration(x) => {
            // A body `parameter` is a local parameter when the module has a
            // `#(...)` list, or inside generate blocks and packages.
            for p in lower_parameter_decl(cx, &x.0, !overridable)? {
                out.push(Item::Param(p));
            }
        }
        P::CovergroupDeclaration(x) => return Err(cx.unsupported(x.as_ref(), "covergroup")),
        P::AssertionItemDeclaration(a) => match a.as_ref() {
            sv::AssertionItemDeclaration::PropertyDeclaration(p) => {
                out.push(Item::PropertyDecl(sva::lower_property_decl(cx, p)?))
            }
            sv::AssertionItemDeclaration::SequenceDeclaration(s) => {
                out.push(Item::SequenceDecl(sva::lower_sequence_decl(cx, s)?))
            }
            sv::AssertionItemDeclaration::LetDeclaration(x) => super::lets::declare(cx, x)?,
        },
        P::Empty(_) => {}
    }
    Ok(())
}

fn lower_data_decl(cx: &mut Cx, d: &sv::DataDeclaration, out: &mut Vec<Item>) -> Result<()> {
    use sv::DataDeclaration as D;
    match d {
        D::Variable(v) => {
            for v in lower_data_decl_var(cx, v)? {
                out.push(Item::Var(v));
            }
        }
        D::TypeDeclaration(t) => out.push(Item::Typedef(lower_typedef(cx, t)?)),
        D::PackageImportDeclaration(i) => {
            for i in lower_import(cx, i) {
                out.push(Item::Import(i));
            }
        }
        D::NetTypeDeclaration(x) => return Err(cx.unsupported(x.as_ref(), "nettype declaration")),
    }
    Ok(())
}

fn lower_data_decl_var(cx: &mut Cx, v: &sv::DataDeclarationVariable) -> Result<Vec<VarDecl>> {
    let (cnst, _var, _life, dtoi, list, _) = &v.nodes;
    let ty = lower_dtoi(cx, dtoi)?;
    let mut out = Vec::new();
    for a in list.nodes.0.contents() {
        match a {
            sv::VariableDeclAssignment::Variable(x) => {
                let (id, dims, init) = &x.nodes;
                let name = cx.ident(&id.nodes.0);
                let unpacked = var_dims(cx, dims)?;
                let init = match init {
                    Some((_, e)) => Some(expr::lower_expr(cx, e)?),
                    None => None,
                };
                let span = cx.span(x.as_ref());
                out.push(VarDecl {
                    name,
                    is_var: true,
                    ty: ty.clone(),
                    unpacked,
                    init,
                    is_const: cnst.is_some(),
                    free: None,
                    pull: None,
                    gclk: false,
                    span,
                });
            }
            sv::VariableDeclAssignment::DynamicArray(x) => {
                return Err(cx.unsupported(x.as_ref(), "dynamic array"))
            }
            sv::VariableDeclAssignment::Class(x) => {
                return Err(cx.unsupported(x.as_ref(), "class object"))
            }
        }
    }
    Ok(out)
}

fn lower_net_decl(cx: &mut Cx, n: &sv::NetDeclaration, out: &mut Vec<Item>) -> Result<()> {
    match n {
        sv::NetDeclaration::NetType(x) => {
            let (nt, _strength, _vs, dtoi, delay, list, _) = &x.nodes;
            // `tri0`/`tri1`: a wire whose undriven bits pull low/high.
            let pull = match nt {
                sv::NetType::Tri0(_) => Some(false),
                sv::NetType::Tri1(_) => Some(true),
                _ => {
                    check_net_type(cx, nt)?;
                    None
                }
            };
            // Drive strength and vectored/scalared mean nothing for a single
            // two-state driver; a delay would change timing, so refuse it.
            if let Some(d) = delay {
                return Err(cx.unsupported(d, "net delay"));
            }
            let ty = lower_dtoi(cx, dtoi)?;
            let first = out.len();
            net_decl_assignments(cx, list, false, &ty, out)?;
            for it in &mut out[first..] {
                if let Item::Var(v) = it {
                    v.pull = pull;
                }
            }
            Ok(())
        }
        sv::NetDeclaration::NetTypeIdentifier(x) => {
            // sv-parser reads `state_t s;` this way: a variable of a named type.
            let (id, delay, list, _) = &x.nodes;
            if let Some(d) = delay {
                return Err(cx.unsupported(d, "delay in a declaration"));
            }
            let ty = named_type(cx, None, &id.nodes.0, id);
            net_decl_assignments(cx, list, true, &ty, out)
        }
        sv::NetDeclaration::Interconnect(x) => Err(cx.unsupported(x.as_ref(), "interconnect net")),
    }
}

fn net_decl_assignments(
    cx: &mut Cx,
    list: &sv::ListOfNetDeclAssignments,
    is_var: bool,
    ty: &DataType,
    out: &mut Vec<Item>,
) -> Result<()> {
    for a in list.nodes.0.contents() {
        let (id, dims, init) = &a.nodes;
        let name = cx.ident(&id.nodes.0);
        let unpacked = unpacked_dims(cx, dims)?;
        let init = match init {
            Some((_, e)) => Some(expr::lower_expr(cx, e)?),
            None => None,
        };
        let span = cx.span(a);
        out.push(Item::Var(VarDecl {
            name,
            is_var,
            ty: ty.clone(),
            unpacked,
            init,
            is_const: false,
            free: None,
            pull: None,
            gclk: false,
            span,
        }));
    }
    Ok(())
}

fn lower_typedef(cx: &mut Cx, t: &sv::TypeDeclaration) -> Result<Typedef> {
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
                span,
            })
        }
        sv::TypeDeclaration::Interface(x) => {
            Err(cx.unsupported(x.as_ref(), "typedef of an interface type"))
        }
        sv::TypeDeclaration::Reserved(x) => Err(cx.unsupported(x.as_ref(), "forward typedef")),
    }
}

fn lower_cont_assign(cx: &mut Cx, a: &sv::ContinuousAssign, out: &mut Vec<Item>) -> Result<()> {
    match a {
        sv::ContinuousAssign::Net(x) => {
            let (_, _strength, delay, list, _) = &x.nodes;
            if let Some(d) = delay {
                return Err(cx.unsupported(d, "delay in a continuous assignment"));
            }
            for na in list.nodes.0.contents() {
                let (l, _, r) = &na.nodes;
                let lhs = expr::lower_net_lvalue(cx, l)?;
                let rhs = expr::lower_expr(cx, r)?;
                let span = cx.span(na);
                out.push(Item::Assign(ContAssign { lhs, rhs, span }));
            }
        }
        sv::ContinuousAssign::Variable(x) => {
            let (_, delay, list, _) = &x.nodes;
            if let Some(d) = delay {
                return Err(cx.unsupported(d, "delay in a continuous assignment"));
            }
            for va in list.nodes.0.contents() {
                let (l, _, r) = &va.nodes;
                let lhs = expr::lower_variable_lvalue(cx, l)?;
                let rhs = expr::lower_expr(cx, r)?;
                let span = cx.span(va);
                out.push(Item::Assign(ContAssign { lhs, rhs, span }));
            }
        }
    }
    Ok(())
}

fn lower_clocking(cx: &mut Cx, cd: &sv::ClockingDeclaration) -> Result<Item> {
    match cd {
        sv::ClockingDeclaration::Local(l) => {
            let (default, _, _id, ev, _, items, _, _) = &l.nodes;
            if default.is_none() || !items.is_empty() {
                return Err(cx.unsupported(l.as_ref(), "clocking block"));
            }
            Ok(Item::DefaultClocking(lower_clocking_event(cx, ev)?))
        }
        sv::ClockingDeclaration::Global(x) => Err(cx.unsupported(x.as_ref(), "global clocking")),
    }
}

pub(crate) fn lower_clocking_event(cx: &mut Cx, ev: &sv::ClockingEvent) -> Result<EventExpr> {
    match ev {
        sv::ClockingEvent::Identifier(x) => {
            let id = cx.ident(&x.nodes.1);
            let span = id.span;
            Ok(EventExpr {
                edge: Edge::Any,
                expr: ident_expr(id),
                span,
            })
        }
        sv::ClockingEvent::Expression(x) => lower_single_event(cx, &x.nodes.1.nodes.1),
    }
}

fn lower_single_event(cx: &mut Cx, e: &sv::EventExpression) -> Result<EventExpr> {
    match e {
        sv::EventExpression::Expression(x) => {
            let (edge, ex, iff) = &x.nodes;
            if let Some((k, _)) = iff {
                return Err(cx.unsupported(k, "`iff` in a clocking event"));
            }
            let edge = match edge {
                None => Edge::Any,
                Some(sv::EdgeIdentifier::Posedge(_)) => Edge::Pos,
                Some(sv::EdgeIdentifier::Negedge(_)) => Edge::Neg,
                Some(sv::EdgeIdentifier::Edge(k)) => {
                    return Err(cx.unsupported(k.as_ref(), "`edge` event"))
                }
            };
            let expr = expr::lower_expr(cx, ex)?;
            let span = cx.span(x.as_ref());
            Ok(EventExpr { edge, expr, span })
        }
        sv::EventExpression::Paren(p) => lower_single_event(cx, &p.nodes.0.nodes.1),
        other => Err(cx.unsupported(other, "clocking event with more than one event")),
    }
}

// ----------------------------------------------------------------- instances

/// `bind module_name bound_module inst (...);` (the form naming a module:
/// every instance of it gets the bound instances).
fn lower_bind(cx: &mut Cx, b: &sv::BindDirective) -> Result<Bind> {
    let s = match b {
        sv::BindDirective::Scope(s) => s,
        sv::BindDirective::Instance(x) => {
            return Err(cx.unsupported(
                x.as_ref(),
                "bind to one hierarchical instance (bind a module name instead)",
            ))
        }
    };
    let (_, target, list, inst) = &s.nodes;
    let target = match target {
        sv::BindTargetScope::ModuleIdentifier(m) => cx.ident(&m.nodes.0),
        sv::BindTargetScope::InterfaceIdentifier(x) => {
            return Err(cx.unsupported(x.as_ref(), "bind into an interface"))
        }
    };
    if let Some((_, l)) = list {
        return Err(cx.unsupported(l, "bind to a list of instances"));
    }
    let mut items = Vec::new();
    match inst {
        sv::BindInstantiation::ModuleInstantiation(mi) => lower_instantiation(cx, mi, &mut items)?,
        sv::BindInstantiation::ProgramInstantiation(x) => {
            let (pid, pva, list, _) = &x.nodes;
            lower_instance_list(cx, &pid.nodes.0, pva, list, &mut items)?
        }
        sv::BindInstantiation::InterfaceInstantiation(x) => {
            return Err(cx.unsupported(x.as_ref(), "bound interface instance"))
        }
        sv::BindInstantiation::CheckerInstantiation(x) => {
            return Err(cx.unsupported(x.as_ref(), "bound checker instance"))
        }
    }
    let span = cx.span(s.as_ref());
    Ok(Bind {
        target,
        items,
        span,
    })
}

fn lower_instantiation(
    cx: &mut Cx,
    mi: &sv::ModuleInstantiation,
    out: &mut Vec<Item>,
) -> Result<()> {
    let (mid, pva, list, _) = &mi.nodes;
    lower_instance_list(cx, &mid.nodes.0, pva, list, out)
}

/// `name #(...) inst1 (...), inst2 (...);` whatever the parser called it (a
/// bound instance reads as a program instantiation): elaboration finds the
/// module by name.
fn lower_instance_list(
    cx: &mut Cx,
    mid: &sv::Identifier,
    pva: &Option<sv::ParameterValueAssignment>,
    list: &sv::List<sv::Symbol, sv::HierarchicalInstance>,
    out: &mut Vec<Item>,
) -> Result<()> {
    let module = cx.ident(mid);
    let params = match pva {
        None => Vec::new(),
        Some(p) => lower_param_value_assignment(cx, p)?,
    };
    for hi in list.contents() {
        let (noi, conns) = &hi.nodes;
        let (iid, dims) = &noi.nodes;
        let name = cx.ident(&iid.nodes.0);
        let unpacked = unpacked_dims(cx, dims)?;
        let mut pc = Vec::new();
        match &conns.nodes.1 {
            None => {}
            Some(sv::ListOfPortConnections::Ordered(o)) => {
                let all = o.nodes.0.contents();
                // `m u ();` may come back as one empty positional connection.
                let only_empty = all.len() == 1 && all[0].nodes.1.is_none();
                if !only_empty {
                    for c in all {
                        let e = match &c.nodes.1 {
                            Some(e) => Some(expr::lower_expr(cx, e)?),
                            None => None,
                        };
                        pc.push(PortConn::Positional(e));
                    }
                }
            }
            Some(sv::ListOfPortConnections::Named(n)) => {
                for c in n.nodes.0.contents() {
                    match c {
                        sv::NamedPortConnection::Identifier(x) => {
                            let (_, _, id, e) = &x.nodes;
                            let id = cx.ident(&id.nodes.0);
                            match e {
                                None => pc.push(PortConn::Implicit(id)),
                                Some(p) => {
                                    let e = match &p.nodes.1 {
                                        Some(e) => Some(expr::lower_expr(cx, e)?),
                                        None => None,
                                    };
                                    pc.push(PortConn::Named(id, e));
                                }
                            }
                        }
                        sv::NamedPortConnection::Asterisk(x) => {
                            let span = cx.span(x.as_ref());
                            pc.push(PortConn::Wildcard(span));
                        }
                    }
                }
            }
        }
        let span = cx.span(hi);
        out.push(Item::Instance(Instance {
            module: module.clone(),
            params: params.clone(),
            name,
            unpacked,
            conns: pc,
            span,
        }));
    }
    Ok(())
}

fn lower_param_value_assignment(
    cx: &mut Cx,
    p: &sv::ParameterValueAssignment,
) -> Result<Vec<ParamAssign>> {
    let mut out = Vec::new();
    match &p.nodes.1.nodes.1 {
        None => {}
        Some(sv::ListOfParameterAssignments::Ordered(o)) => {
            for a in o.nodes.0.contents() {
                out.push(ParamAssign::Positional(lower_param_expr(cx, &a.nodes.0)?));
            }
        }
        Some(sv::ListOfParameterAssignments::Named(n)) => {
            for a in n.nodes.0.contents() {
                let (_, id, v) = &a.nodes;
                let id = cx.ident(&id.nodes.0);
                let v = match &v.nodes.1 {
                    Some(v) => Some(lower_param_expr(cx, v)?),
                    None => None,
                };
                out.push(ParamAssign::Named(id, v));
            }
        }
    }
    Ok(out)
}

fn lower_param_expr(cx: &mut Cx, v: &sv::ParamExpression) -> Result<ParamValue> {
    match v {
        sv::ParamExpression::MintypmaxExpression(m) => match m.as_ref() {
            sv::MintypmaxExpression::Expression(e) => {
                Ok(ParamValue::Expr(expr::lower_expr(cx, e)?))
            }
            sv::MintypmaxExpression::Ternary(t) => {
                Err(cx.unsupported(t.as_ref(), "min:typ:max expression"))
            }
        },
        sv::ParamExpression::DataType(t) => Ok(ParamValue::Type(lower_data_type(cx, t)?)),
        sv::ParamExpression::Dollar(s) => {
            Err(cx.unsupported(s.as_ref(), "`$` as a parameter value"))
        }
    }
}

// ------------------------------------------------------------------ generate

fn lower_generate_item(
    cx: &mut Cx,
    g: &sv::GenerateItem,
    out: &mut Vec<Item>,
    overridable: bool,
) -> Result<()> {
    match g {
        sv::GenerateItem::ModuleOrGenerateItem(m) => lower_mogi(cx, m, out, overridable),
        sv::GenerateItem::InterfaceOrGenerateItem(x) => {
            Err(cx.unsupported(x.as_ref(), "interface item"))
        }
        sv::GenerateItem::CheckerOrGenerateItem(x) => {
            Err(cx.unsupported(x.as_ref(), "checker item"))
        }
    }
}

fn lower_generate_block(cx: &mut Cx, b: &sv::GenerateBlock) -> Result<GenBlock> {
    let span = cx.span(b);
    match b {
        sv::GenerateBlock::GenerateItem(gi) => {
            let mut items = Vec::new();
            lower_generate_item(cx, gi, &mut items, false)?;
            Ok(GenBlock {
                label: None,
                items,
                span,
            })
        }
        sv::GenerateBlock::Multiple(m) => {
            let (l1, _, l2, gis, _, _) = &m.nodes;
            let label = match (l1, l2) {
                (Some((id, _)), _) => Some(cx.ident(&id.nodes.0)),
                (None, Some((_, id))) => Some(cx.ident(&id.nodes.0)),
                (None, None) => None,
            };
            let mut items = Vec::new();
            for gi in gis {
                lower_generate_item(cx, gi, &mut items, false)?;
            }
            Ok(GenBlock { label, items, span })
        }
    }
}

fn lower_loop_generate(cx: &mut Cx, l: &sv::LoopGenerateConstruct) -> Result<GenFor> {
    let (_, paren, block) = &l.nodes;
    let (init, _, cond, _, iter) = &paren.nodes.1;
    let (gv, id, _, init_e) = &init.nodes;
    let genvar = cx.ident(&id.nodes.0);
    let init = expr::lower_const_expr(cx, init_e)?;
    let cond = expr::lower_const_expr(cx, &cond.nodes.0)?;
    let (step_id, step) = match iter {
        sv::GenvarIteration::Assignment(a) => {
            let (sid, op, e) = &a.nodes;
            let sid = cx.ident(&sid.nodes.0);
            let rhs = expr::lower_const_expr(cx, &e.nodes.0)?;
            let op_text = cx.text(&op.nodes.0.nodes.0);
            let bin = match op_text.as_str() {
                "=" => None,
                "+=" => Some(BinaryOp::Add),
                "-=" => Some(BinaryOp::Sub),
                "*=" => Some(BinaryOp::Mul),
                "/=" => Some(BinaryOp::Div),
                "%=" => Some(BinaryOp::Mod),
                "&=" => Some(BinaryOp::BitAnd),
                "|=" => Some(BinaryOp::BitOr),
                "^=" => Some(BinaryOp::BitXor),
                "<<=" => Some(BinaryOp::Shl),
                ">>=" => Some(BinaryOp::Shr),
                "<<<=" => Some(BinaryOp::AShl),
                ">>>=" => Some(BinaryOp::AShr),
                _ => return Err(cx.unsupported(op, "assignment operator in a generate loop")),
            };
            let span = cx.span(a.as_ref());
            let step = match bin {
                None => rhs,
                Some(op) => binary(op, ident_expr(sid.clone()), rhs, span),
            };
            (sid, step)
        }
        sv::GenvarIteration::Prefix(p) => {
            let (op, sid) = &p.nodes;
            let sid = cx.ident(&sid.nodes.0);
            let span = cx.span(p.as_ref());
            let step = inc_dec(cx, op, &sid, span);
            (sid, step)
        }
        sv::GenvarIteration::Suffix(s) => {
            let (sid, op) = &s.nodes;
            let sid = cx.ident(&sid.nodes.0);
            let span = cx.span(s.as_ref());
            let step = inc_dec(cx, op, &sid, span);
            (sid, step)
        }
    };
    if step_id.name != genvar.name {
        let msg = format!(
            "generate loop steps `{}` but its variable is `{}`",
            step_id.name, genvar.name
        );
        return Err(cx.error(step_id.span, msg));
    }
    let block = lower_generate_block(cx, block)?;
    let span = cx.span(l);
    Ok(GenFor {
        genvar,
        declares: gv.is_some(),
        init,
        cond,
        step,
        block,
        span,
    })
}

fn inc_dec(cx: &mut Cx, op: &sv::IncOrDecOperator, id: &Ident, span: Span) -> Expr {
    let op = if cx.text(&op.nodes.0.nodes.0) == "--" {
        BinaryOp::Sub
    } else {
        BinaryOp::Add
    };
    binary(op, ident_expr(id.clone()), one(span), span)
}

fn lower_cond_generate(cx: &mut Cx, c: &sv::ConditionalGenerateConstruct) -> Result<Item> {
    match c {
        sv::ConditionalGenerateConstruct::If(x) => {
            let (_, cond, then, els) = &x.nodes;
            let cond = expr::lower_const_expr(cx, &cond.nodes.1)?;
            let then = lower_generate_block(cx, then)?;
            let els = match els {
                Some((_, b)) => Some(lower_generate_block(cx, b)?),
                None => None,
            };
            let span = cx.span(x.as_ref());
            Ok(Item::GenIf(GenIf {
                cond,
                then,
                els,
                span,
            }))
        }
        sv::ConditionalGenerateConstruct::Case(x) => {
            let (_, e, arms, _) = &x.nodes;
            let e = expr::lower_const_expr(cx, &e.nodes.1)?;
            let mut out = Vec::new();
            for arm in arms {
                match arm {
                    sv::CaseGenerateItem::Nondefault(n) => {
                        let (labels, _, b) = &n.nodes;
                        let mut ls = Vec::new();
                        for l in labels.contents() {
                            ls.push(expr::lower_const_expr(cx, l)?);
                        }
                        out.push((ls, lower_generate_block(cx, b)?));
                    }
                    sv::CaseGenerateItem::Default(d) => {
                        out.push((Vec::new(), lower_generate_block(cx, &d.nodes.2)?));
                    }
                }
            }
            let span = cx.span(x.as_ref());
            Ok(Item::GenCase(GenCase {
                expr: e,
                arms: out,
                span,
            }))
        }
    }
}

// --------------------------------------------------------- functions & tasks

fn lower_function(cx: &mut Cx, f: &sv::FunctionDeclaration) -> Result<Function> {
    let (_, life, body) = &f.nodes;
    let automatic = matches!(life, Some(sv::Lifetime::Automatic(_)));
    let span = cx.span(f);
    match body {
        sv::FunctionBodyDeclaration::WithPort(b) => {
            let (ret, scope, id, ports, _, decls, stmts, _, _) = &b.nodes;
            if let Some(s) = scope {
                return Err(cx.unsupported(s, "out-of-block method definition"));
            }
            let name = cx.ident(&id.nodes.0);
            let ret = lower_ret_type(cx, ret)?;
            let args = match &ports.nodes.1 {
                Some(l) => lower_tf_port_list(cx, l)?,
                None => Vec::new(),
            };
            let mut ds = Vec::new();
            for d in decls {
                ds.extend(lower_block_item_decl(cx, d)?);
            }
            let body = lower_function_stmts(cx, stmts)?;
            if ret.is_none() {
                no_return_value(cx, &body)?;
            }
            Ok(Function {
                name,
                ret,
                args,
                decls: ds,
                body,
                automatic,
                is_task: false,
                span,
            })
        }
        sv::FunctionBodyDeclaration::WithoutPort(b) => {
            let (ret, scope, id, _, items, stmts, _, _) = &b.nodes;
            if let Some(s) = scope {
                return Err(cx.unsupported(s, "out-of-block method definition"));
            }
            let name = cx.ident(&id.nodes.0);
            let ret = lower_ret_type(cx, ret)?;
            let (args, decls) = lower_tf_items(cx, items)?;
            let body = lower_function_stmts(cx, stmts)?;
            if ret.is_none() {
                no_return_value(cx, &body)?;
            }
            Ok(Function {
                name,
                ret,
                args,
                decls,
                body,
                automatic,
                is_task: false,
                span,
            })
        }
    }
}

fn lower_task(cx: &mut Cx, t: &sv::TaskDeclaration) -> Result<Function> {
    let (_, life, body) = &t.nodes;
    let automatic = matches!(life, Some(sv::Lifetime::Automatic(_)));
    let span = cx.span(t);
    let (scope, name, args, decls, stmts) = match body {
        sv::TaskBodyDeclaration::WithPort(b) => {
            let (scope, id, ports, _, decls, stmts, _, _) = &b.nodes;
            let name = cx.ident(&id.nodes.0);
            let args = match &ports.nodes.1 {
                Some(l) => lower_tf_port_list(cx, l)?,
                None => Vec::new(),
            };
            let mut ds = Vec::new();
            for d in decls {
                ds.extend(lower_block_item_decl(cx, d)?);
            }
            (scope, name, args, ds, stmts)
        }
        sv::TaskBodyDeclaration::WithoutPort(b) => {
            let (scope, id, _, items, stmts, _, _) = &b.nodes;
            let name = cx.ident(&id.nodes.0);
            let (args, decls) = lower_tf_items(cx, items)?;
            (scope, name, args, decls, stmts)
        }
    };
    if let Some(s) = scope {
        return Err(cx.unsupported(s, "out-of-block method definition"));
    }
    let mut body = Vec::new();
    for s in stmts {
        body.push(stmt::lower_stmt_or_null(cx, s)?);
    }
    no_return_value(cx, &body)?;
    Ok(Function {
        name,
        ret: None,
        args,
        decls,
        body,
        automatic,
        is_task: true,
        span,
    })
}

/// A void function or a task must not return a value (13.3, 13.4.1).
fn no_return_value(cx: &mut Cx, body: &[Stmt]) -> Result<()> {
    fn find(s: &Stmt) -> Option<Span> {
        match s {
            Stmt::Return(Some(e), _) => Some(e.span),
            Stmt::Block { stmts, .. } => stmts.iter().find_map(find),
            Stmt::If { then, els, .. } => find(then).or_else(|| els.as_deref().and_then(find)),
            Stmt::Case { items, .. } => items.iter().find_map(|i| find(&i.body)),
            Stmt::For { body, .. }
            | Stmt::While { body, .. }
            | Stmt::DoWhile { body, .. }
            | Stmt::Repeat { body, .. }
            | Stmt::Foreach { body, .. }
            | Stmt::Forever { body, .. }
            | Stmt::Timed { body, .. }
            | Stmt::Delay { body, .. } => find(body),
            _ => None,
        }
    }
    match body.iter().find_map(find) {
        Some(span) => Err(cx.error(
            span,
            "a void function or a task cannot return a value (IEEE 1800 13.4.1)",
        )),
        None => Ok(()),
    }
}

fn lower_ret_type(cx: &mut Cx, r: &sv::FunctionDataTypeOrImplicit) -> Result<Option<DataType>> {
    match r {
        sv::FunctionDataTypeOrImplicit::DataTypeOrVoid(d) => match d.as_ref() {
            sv::DataTypeOrVoid::DataType(t) => Ok(Some(lower_data_type(cx, t)?)),
            sv::DataTypeOrVoid::Void(_) => Ok(None),
        },
        sv::FunctionDataTypeOrImplicit::ImplicitDataType(i) => Ok(Some(lower_implicit(cx, i)?)),
    }
}

fn lower_function_stmts(cx: &mut Cx, stmts: &[sv::FunctionStatementOrNull]) -> Result<Vec<Stmt>> {
    let mut out = Vec::new();
    for s in stmts {
        match s {
            sv::FunctionStatementOrNull::Statement(fs) => {
                out.push(stmt::lower_stmt(cx, &fs.nodes.0)?)
            }
            sv::FunctionStatementOrNull::Attribute(a) => {
                let span = cx.span(a.as_ref());
                out.push(Stmt::Null(span));
            }
        }
    }
    Ok(out)
}

fn tf_dir(cx: &mut Cx, d: &sv::TfPortDirection) -> Result<Direction> {
    match d {
        sv::TfPortDirection::PortDirection(p) => port_dir(cx, p),
        sv::TfPortDirection::ConstRef(x) => Err(cx.unsupported(x.as_ref(), "`const ref` argument")),
    }
}

fn is_bare_implicit(d: &sv::DataTypeOrImplicit) -> bool {
    match d {
        sv::DataTypeOrImplicit::ImplicitDataType(i) => i.nodes.0.is_none() && i.nodes.1.is_empty(),
        sv::DataTypeOrImplicit::DataType(_) => false,
    }
}

/// ANSI argument list `(input logic [3:0] a, b, output int c)`.
fn lower_tf_port_list(cx: &mut Cx, l: &sv::TfPortList) -> Result<Vec<FuncArg>> {
    let mut out: Vec<FuncArg> = Vec::new();
    for item in l.nodes.0.contents() {
        let (_, dir, _var, dtoi, rest) = &item.nodes;
        let span = cx.span(item);
        // `f()`: sv-parser reads the empty list as one empty item.
        if span == Span::NONE && rest.is_none() && dir.is_none() && is_bare_implicit(dtoi) {
            continue;
        }
        let prev = out.last().map(|a| (a.dir, a.ty.clone()));
        let dir_given = dir.is_some();
        let dir = match dir {
            Some(d) => tf_dir(cx, d)?,
            None => prev.as_ref().map(|p| p.0).unwrap_or(Direction::Input),
        };
        let (name, ty, default) = match rest {
            Some((id, dims, default)) => {
                if !dims.is_empty() {
                    return Err(cx.unsupported(dims, "unpacked array argument"));
                }
                let name = cx.ident(&id.nodes.0);
                // LRM 13.3: no type and no direction: the previous type.
                let ty = match &prev {
                    Some((_, t)) if !dir_given && is_bare_implicit(dtoi) => t.clone(),
                    _ => lower_dtoi(cx, dtoi)?,
                };
                let default = match default {
                    Some((_, e)) => Some(expr::lower_expr(cx, e)?),
                    None => None,
                };
                (name, ty, default)
            }
            None => {
                // `f(a)`: sv-parser may read `a` as a type name and no
                // argument name.
                match dtoi {
                    sv::DataTypeOrImplicit::DataType(dt) => match dt.as_ref() {
                        sv::DataType::Type(t) if t.nodes.0.is_none() && t.nodes.2.is_empty() => {
                            let name = cx.ident(&t.nodes.1.nodes.0);
                            let ty = match &prev {
                                Some((_, t)) if !dir_given => t.clone(),
                                _ => implicit_type(name.span),
                            };
                            (name, ty, None)
                        }
                        sv::DataType::ClassType(c)
                            if c.nodes.0.nodes.0.is_none()
                                && c.nodes.1.is_none()
                                && c.nodes.2.is_empty() =>
                        {
                            let name = cx.ident(&c.nodes.0.nodes.1.nodes.0);
                            let ty = match &prev {
                                Some((_, t)) if !dir_given => t.clone(),
                                _ => implicit_type(name.span),
                            };
                            (name, ty, None)
                        }
                        _ => return Err(cx.unsupported(item, "argument without a name")),
                    },
                    _ => return Err(cx.unsupported(item, "argument without a name")),
                }
            }
        };
        out.push(FuncArg {
            name,
            dir,
            ty,
            default,
            span,
        });
    }
    Ok(out)
}

/// Old-style body declarations: `input [3:0] a;` arguments and locals.
fn lower_tf_items(
    cx: &mut Cx,
    items: &[sv::TfItemDeclaration],
) -> Result<(Vec<FuncArg>, Vec<VarDecl>)> {
    let mut args = Vec::new();
    let mut decls = Vec::new();
    for it in items {
        match it {
            sv::TfItemDeclaration::BlockItemDeclaration(b) => {
                decls.extend(lower_block_item_decl(cx, b)?)
            }
            sv::TfItemDeclaration::TfPortDeclaration(p) => {
                let (_, dir, _var, dtoi, list, _) = &p.nodes;
                let dir = tf_dir(cx, dir)?;
                let ty = lower_dtoi(cx, dtoi)?;
                for (id, dims, default) in list.nodes.0.contents() {
                    if !dims.is_empty() {
                        return Err(cx.unsupported(dims, "unpacked array argument"));
                    }
                    let name = cx.ident(&id.nodes.0);
                    let default = match default {
                        Some((_, e)) => Some(expr::lower_expr(cx, e)?),
                        None => None,
                    };
                    let span = cx.span(p.as_ref());
                    args.push(FuncArg {
                        name,
                        dir,
                        ty: ty.clone(),
                        default,
                        span,
                    });
                }
            }
        }
    }
    Ok((args, decls))
}

/// Declarations at the top of a block or function (`logic [3:0] tmp;`,
/// `int i;`, `localparam X = 1;`). Parameters come back as `VarDecl` with
/// `is_const` set.
pub fn lower_block_item_decl(cx: &mut Cx, d: &sv::BlockItemDeclaration) -> Result<Vec<VarDecl>> {
    use sv::BlockItemDeclaration as B;
    match d {
        B::Data(x) => match &x.nodes.1 {
            sv::DataDeclaration::Variable(v) => lower_data_decl_var(cx, v),
            sv::DataDeclaration::TypeDeclaration(t) => {
                Err(cx.unsupported(t.as_ref(), "typedef inside a block or subroutine"))
            }
            sv::DataDeclaration::PackageImportDeclaration(i) => {
                Err(cx.unsupported(i.as_ref(), "import inside a block or subroutine"))
            }
            sv::DataDeclaration::NetTypeDeclaration(n) => {
                Err(cx.unsupported(n.as_ref(), "nettype declaration"))
            }
        },
        B::LocalParameter(x) => Ok(lower_localparam_decl(cx, &x.nodes.1)?
            .into_iter()
            .map(param_to_const)
            .collect()),
        B::Parameter(x) => Ok(lower_parameter_decl(cx, &x.nodes.1, true)?
            .into_iter()
            .map(param_to_const)
            .collect()),
        B::Let(x) => Err(cx.unsupported(x.as_ref(), "let declaration")),
    }
}

// --------------------------------------------------------------------- types

fn implicit_type(span: Span) -> DataType {
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

fn unpacked_dims(cx: &mut Cx, dims: &[sv::UnpackedDimension]) -> Result<Vec<Dim>> {
    let mut out = Vec::with_capacity(dims.len());
    for d in dims {
        out.push(lower_unpacked_dim(cx, d)?);
    }
    Ok(out)
}

fn var_dims(cx: &mut Cx, dims: &[sv::VariableDimension]) -> Result<Vec<Dim>> {
    let mut out = Vec::with_capacity(dims.len());
    for d in dims {
        out.push(lower_var_dim(cx, d)?);
    }
    Ok(out)
}

fn lower_implicit(cx: &mut Cx, i: &sv::ImplicitDataType) -> Result<DataType> {
    let span = cx.span(i);
    Ok(DataType {
        kind: TypeKind::Implicit,
        signed: signing(&i.nodes.0),
        packed: packed_dims(cx, &i.nodes.1)?,
        span,
    })
}

fn lower_dtoi(cx: &mut Cx, d: &sv::DataTypeOrImplicit) -> Result<DataType> {
    match d {
        sv::DataTypeOrImplicit::DataType(t) => lower_data_type(cx, t),
        sv::DataTypeOrImplicit::ImplicitDataType(i) => lower_implicit(cx, i),
    }
}

fn named_type<'b, T: Into<sv::RefNodes<'b>>>(
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
        T::NonIntegerType(x) => Err(cx.unsupported(x.as_ref(), "real type")),
        T::StructUnion(su) => lower_struct_union(cx, su, span),
        T::Enum(e) => lower_enum(cx, e, span),
        T::String(k) => Err(cx.unsupported(k.as_ref(), "string type")),
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
                    if let Some((s, _)) = init {
                        return Err(cx.unsupported(s, "struct member default value"));
                    }
                    let name = cx.ident(&id.nodes.0);
                    let span = cx.span(x.as_ref());
                    members.push(StructMember {
                        name,
                        ty: ty.clone(),
                        unpacked,
                        span,
                    });
                }
                other => return Err(cx.unsupported(other, "struct member")),
            }
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
            Ok(Dim::Range(a, b))
        }
        sv::UnpackedDimension::Expression(e) => {
            Ok(Dim::Size(expr::lower_const_expr(cx, &e.nodes.0.nodes.1)?))
        }
    }
}

fn lower_var_dim(cx: &mut Cx, d: &sv::VariableDimension) -> Result<Dim> {
    match d {
        sv::VariableDimension::UnpackedDimension(u) => lower_unpacked_dim(cx, u),
        sv::VariableDimension::UnsizedDimension(u) => {
            Err(cx.unsupported(u.as_ref(), "dynamic array dimension `[]`"))
        }
        sv::VariableDimension::AssociativeDimension(a) => {
            Err(cx.unsupported(a.as_ref(), "associative array dimension"))
        }
        sv::VariableDimension::QueueDimension(q) => {
            Err(cx.unsupported(q.as_ref(), "queue dimension `[$]`"))
        }
    }
}

// ------------------------------------------------------------ small builders

fn ident_expr(id: Ident) -> Expr {
    let span = id.span;
    Expr {
        kind: ExprKind::Ident(ScopedName {
            package: None,
            name: id,
        }),
        span,
    }
}

fn one(span: Span) -> Expr {
    Expr {
        kind: ExprKind::Number(Number {
            width: None,
            signed: true,
            value: BigUint::from(1u32),
            xz: BigUint::from(0u32),
            based: false,
        }),
        span,
    }
}

fn binary(op: BinaryOp, a: Expr, b: Expr, span: Span) -> Expr {
    Expr {
        kind: ExprKind::Binary(op, Box::new(a), Box::new(b)),
        span,
    }
}
