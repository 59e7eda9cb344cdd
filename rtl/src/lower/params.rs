//! Lowering of parameters: `#(...)` port lists, `parameter`/`localparam` (value and type) declarations, and parameter values given to instances.

use super::types::{implicit_type, lower_data_type, lower_dtoi};
use super::{expr, Cx};
use crate::ast::*;
use crate::diag::Result;
use crate::source::Span;
use sv_parser as sv;

// ---------------------------------------------------------------- parameters

pub(super) fn lower_param_port_list(
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

pub(super) fn lower_parameter_decl(
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

pub(super) fn lower_localparam_decl(
    cx: &mut Cx,
    p: &sv::LocalParameterDeclaration,
) -> Result<Vec<ParamDecl>> {
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
    let unpacked = super::types::unpacked_dims(cx, dims)?;
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
        unpacked,
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
            unpacked: Vec::new(),
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

pub(super) fn param_to_const(p: ParamDecl) -> VarDecl {
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

pub(super) fn lower_param_value_assignment(
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
