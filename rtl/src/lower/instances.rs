//! Lowering of module instantiations and `bind` directives.

use super::params::lower_param_value_assignment;
use super::types::unpacked_dims;
use super::{expr, Cx};
use crate::ast::*;
use crate::diag::Result;
use sv_parser as sv;

// ----------------------------------------------------------------- instances

/// `bind module_name bound_module inst (...);` (the form naming a module:
/// every instance of it gets the bound instances).
pub(super) fn lower_bind(cx: &mut Cx, b: &sv::BindDirective) -> Result<Bind> {
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

pub(super) fn lower_instantiation(
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
