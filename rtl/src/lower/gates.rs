//! Gate primitive instances (IEEE 1800-2017 28.4): `and`, `nand`, `or`,
//! `nor`, `xor`, `xnor` with one output and n inputs, `buf`, `not` with n
//! outputs and one input. Elaboration turns each into continuous
//! assignments. Delays, strengths, instance arrays, tri-state gates
//! (`bufif0/1`, `notif0/1`), switches and pull gates are refused here.

use super::{expr, Cx};
use crate::ast::*;
use crate::diag::Result;
use sv_parser as sv;

pub(super) fn lower_gate(
    cx: &mut Cx,
    g: &sv::GateInstantiation,
    out: &mut Vec<Item>,
) -> Result<()> {
    use sv::GateInstantiation as G;
    match g {
        G::NInput(x) => {
            let (ty, strength, delay, list, _) = &x.nodes;
            let kind = match cx.text(&ty.nodes.0.nodes.0).as_str() {
                "and" => GateKind::And,
                "nand" => GateKind::Nand,
                "or" => GateKind::Or,
                "nor" => GateKind::Nor,
                "xor" => GateKind::Xor,
                "xnor" => GateKind::Xnor,
                _ => return Err(cx.unsupported(ty, "gate type")),
            };
            if let Some(s) = strength {
                return Err(cx.unsupported(s, "drive strength on a gate"));
            }
            if let Some(d) = delay {
                return Err(cx.unsupported(d, "delay on a gate"));
            }
            for inst in list.contents() {
                let (name, terms) = &inst.nodes;
                let name = instance_name(cx, name)?;
                let (o, _, ins) = &terms.nodes.1;
                let outputs = vec![expr::lower_net_lvalue(cx, &o.nodes.0)?];
                let mut inputs = Vec::new();
                for i in ins.contents() {
                    inputs.push(expr::lower_expr(cx, &i.nodes.0)?);
                }
                let span = cx.span(inst);
                out.push(Item::Gate(Gate {
                    kind,
                    name,
                    outputs,
                    inputs,
                    span,
                }));
            }
            Ok(())
        }
        G::NOutput(x) => {
            let (ty, strength, delay, list, _) = &x.nodes;
            let kind = match cx.text(&ty.nodes.0.nodes.0).as_str() {
                "buf" => GateKind::Buf,
                "not" => GateKind::Not,
                _ => return Err(cx.unsupported(ty, "gate type")),
            };
            if let Some(s) = strength {
                return Err(cx.unsupported(s, "drive strength on a gate"));
            }
            if let Some(d) = delay {
                return Err(cx.unsupported(d, "delay on a gate"));
            }
            for inst in list.contents() {
                let (name, terms) = &inst.nodes;
                let name = instance_name(cx, name)?;
                let (os, _, i) = &terms.nodes.1;
                let mut outputs = Vec::new();
                for o in os.contents() {
                    outputs.push(expr::lower_net_lvalue(cx, &o.nodes.0)?);
                }
                let inputs = vec![expr::lower_expr(cx, &i.nodes.0)?];
                let span = cx.span(inst);
                out.push(Item::Gate(Gate {
                    kind,
                    name,
                    outputs,
                    inputs,
                    span,
                }));
            }
            Ok(())
        }
        G::Enable(x) => Err(cx.unsupported(
            x.as_ref(),
            "tri-state gate (`bufif0`/`bufif1`/`notif0`/`notif1`): its output can be z, which two-state semantics cannot hold",
        )),
        G::Cmos(x) => Err(cx.unsupported(x.as_ref(), "cmos switch")),
        G::Mos(x) => Err(cx.unsupported(x.as_ref(), "mos switch")),
        G::PassEn(x) => Err(cx.unsupported(x.as_ref(), "pass switch")),
        G::Pass(x) => Err(cx.unsupported(x.as_ref(), "pass switch")),
        G::Pulldown(x) => Err(cx.unsupported(x.as_ref(), "pulldown gate")),
        G::Pullup(x) => Err(cx.unsupported(x.as_ref(), "pullup gate")),
    }
}

/// The optional instance name; instance arrays (`and g[3:0] (...)`) are refused.
fn instance_name(cx: &mut Cx, n: &Option<sv::NameOfInstance>) -> Result<Option<Ident>> {
    let Some(n) = n else { return Ok(None) };
    let (id, dims) = &n.nodes;
    if let Some(d) = dims.first() {
        return Err(cx.unsupported(d, "array of gate instances"));
    }
    Ok(Some(cx.ident(&id.nodes.0)))
}
