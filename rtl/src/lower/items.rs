//! Lowering of source text, packages, modules and module items (declarations, continuous assignments, clocking): the dispatch to the other files.
//!
//! sv-parser's tree is walked by hand, variant by variant: every variant
//! either becomes AST or an "unsupported construct" error at its location.
//! Only things with no meaning for two-state cycle semantics (time units,
//! attributes, `` `resetall ``) are skipped.

use super::generate::{ident_expr, lower_cond_generate, lower_generate_item, lower_loop_generate};
use super::instances::{lower_bind, lower_instantiation};
use super::params::{
    lower_localparam_decl, lower_param_port_list, lower_parameter_decl, param_to_const,
};
use super::ports::{
    build_nonansi_ports, check_net_type, lower_ansi_ports, lower_port_declaration,
    nonansi_port_names,
};
use super::subroutines::{lower_function, lower_task};
use super::types::{lower_dtoi, lower_typedef, named_type, unpacked_dims, var_dims};
use super::{expr, stmt, sva, Cx};
use crate::ast::*;
use crate::diag::Result;
use crate::source::Span;
use sv_parser as sv;

/// Lower the whole tree of one file into `unit`.
pub fn lower_source_text(cx: &mut Cx, unit: &mut SourceUnit) -> Result<()> {
    let tree = cx.tree;
    let nettypes = module_nettypes(cx);
    for node in tree {
        if let sv::RefNode::SourceText(st) = node {
            let first = unit.modules.len();
            lower_descriptions(cx, st, unit)?;
            for (m, n) in unit.modules[first..].iter_mut().zip(nettypes) {
                m.default_nettype = n;
            }
            return Ok(());
        }
    }
    Ok(())
}

/// The `` `default_nettype `` in effect at the start of each module
/// declaration of this file, in order (22.8: a directive holds until the
/// next one or `` `resetall ``, across files); leaves the value in effect
/// at the end of the file in `cx`.
fn module_nettypes(cx: &mut Cx) -> Vec<DefaultNettype> {
    let mut cur = std::mem::take(&mut cx.default_nettype);
    let mut out = Vec::new();
    for node in cx.tree {
        match node {
            sv::RefNode::DefaultNettypeCompilerDirective(d) => {
                cur = match cx.text(&d.nodes.2.nodes.0.nodes.0).as_str() {
                    "wire" | "tri" => DefaultNettype::Wire,
                    "none" => DefaultNettype::None,
                    other => DefaultNettype::Other(other.to_string()),
                };
            }
            sv::RefNode::ResetallCompilerDirective(_) => cur = DefaultNettype::Wire,
            sv::RefNode::ModuleDeclaration(_) => out.push(cur.clone()),
            _ => {}
        }
    }
    cx.default_nettype = cur;
    out
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
            let span = cx.span_ends(a.as_ref(), super::join(&a.nodes.3, &a.nodes.4));
            let mut md = module_shell(cx, id, imports, span);
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
            let span = cx.span_ends(n.as_ref(), super::join(&n.nodes.3, &n.nodes.4));
            let mut md = module_shell(cx, id, imports, span);
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

fn module_shell(
    cx: &mut Cx,
    id: &sv::ModuleIdentifier,
    imports: &[sv::PackageImportDeclaration],
    span: Span,
) -> Module {
    let name = cx.ident(&id.nodes.0);
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
        default_nettype: DefaultNettype::Wire,
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
                    unpacked: Vec::new(),
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

pub(super) fn lower_mogi(
    cx: &mut Cx,
    m: &sv::ModuleOrGenerateItem,
    out: &mut Vec<Item>,
    overridable: bool,
) -> Result<()> {
    use sv::ModuleOrGenerateItem as M;
    match m {
        M::Parameter(x) => Err(cx.unsupported(x.as_ref(), "defparam")),
        M::Gate(x) => super::gates::lower_gate(cx, &x.nodes.1, out),
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
            let span = cx.span_ends(a.as_ref(), super::stmt_tail(&a.nodes.1));
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
                // `int d[] = new[4];`, `int d[][2];`
                let (id, _, dims, init) = &x.nodes;
                let name = cx.ident(&id.nodes.0.nodes.0);
                let mut unpacked = vec![Dim::Dynamic];
                unpacked.extend(var_dims(cx, dims)?);
                let init = match init {
                    Some((_, n)) => Some(expr::dynamic_array_new(cx, n)?),
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
