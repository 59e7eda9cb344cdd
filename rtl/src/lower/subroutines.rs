//! Lowering of functions and tasks: headers, tf ports (ANSI and body-declared), bodies.

use super::items::lower_block_item_decl;
use super::ports::port_dir;
use super::types::{implicit_type, lower_data_type, lower_dtoi, lower_implicit};
use super::{expr, stmt, Cx};
use crate::ast::*;
use crate::diag::Result;
use crate::source::Span;
use sv_parser as sv;

// --------------------------------------------------------- functions & tasks

pub(super) fn lower_function(cx: &mut Cx, f: &sv::FunctionDeclaration) -> Result<Function> {
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

pub(super) fn lower_task(cx: &mut Cx, t: &sv::TaskDeclaration) -> Result<Function> {
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
