//! Gate primitive instances (IEEE 1800-2017 28.4) as continuous
//! assignments, and implicit nets (6.10): an undeclared identifier in a
//! port connection, a gate terminal or on the left of a continuous
//! assignment declares a scalar net of the `` `default_nettype ``.

use super::expr::Env;
use super::graph::Gid;
use super::types::Ty;
use super::{err_code, Elaborator, ScopeId, Sym};
use crate::ast::{self, DefaultNettype, Expr, ExprKind, GateKind, Item, PortConn};
use crate::diag::{Code, Diagnostic, Result};
use crate::ir::BinOp;

impl<'a> Elaborator<'a> {
    /// `and g (o, a, b, ...)`: `o = a & b & ...`; `buf (o1, o2, a)`: each
    /// output gets `a`. Every terminal must be one bit wide.
    pub(super) fn gate(&mut self, scope: ScopeId, g: &'a ast::Gate) -> Result<()> {
        let what = gate_name(g.kind);
        let mut env = Env::cont(scope);
        for o in &g.outputs {
            let w = self.lvalue_type(&mut env, o)?.width;
            if w != 1 {
                return Err(err_code(
                    Code::Width,
                    o.span,
                    format!("`{what}` gate: output terminal is {w} bits wide; gate terminals are scalars (use an assign for vectors)"),
                ));
            }
        }
        let mut ins: Vec<Gid> = Vec::with_capacity(g.inputs.len());
        for i in &g.inputs {
            let (w, _) = self.self_type(&mut env, i)?;
            if w != 1 {
                return Err(err_code(
                    Code::Width,
                    i.span,
                    format!("`{what}` gate: input terminal is {w} bits wide; gate terminals are scalars (use an assign for vectors)"),
                ));
            }
            ins.push(self.gen(&mut env, i, 1, false)?);
        }
        self.commit_cont_frame(&mut env);
        let op = match g.kind {
            GateKind::And | GateKind::Nand => Some(BinOp::And),
            GateKind::Or | GateKind::Nor => Some(BinOp::Or),
            GateKind::Xor | GateKind::Xnor => Some(BinOp::Xor),
            GateKind::Buf | GateKind::Not => None,
        };
        let mut val = ins[0];
        if let Some(op) = op {
            for &x in &ins[1..] {
                val = self.g.binary(op, val, x, g.span);
            }
        }
        if matches!(
            g.kind,
            GateKind::Nand | GateKind::Nor | GateKind::Xnor | GateKind::Not
        ) {
            val = self.g.not(val);
        }
        for o in &g.outputs {
            self.cont_assign_value(scope, o, val, false, g.span)?;
        }
        Ok(())
    }

    /// Declare the implicit nets of `items` (one scope's items, after its
    /// explicit declarations): identifiers that name nothing and stand
    /// alone in a port connection, a gate terminal or on the left of a
    /// continuous assignment (alone or in a concatenation).
    pub(super) fn implicit_nets(&mut self, scope: ScopeId, items: &'a [Item]) -> Result<()> {
        let mut cands: Vec<&'a ast::ScopedName> = Vec::new();
        for it in items {
            match it {
                Item::Assign(a) => lhs_names(&a.lhs, &mut cands),
                Item::Gate(g) => {
                    for e in g.outputs.iter().chain(&g.inputs) {
                        lone_name(e, &mut cands);
                    }
                }
                Item::Instance(i) => {
                    for c in &i.conns {
                        if let PortConn::Positional(Some(e)) | PortConn::Named(_, Some(e)) = c {
                            lone_name(e, &mut cands);
                        }
                    }
                }
                _ => {}
            }
        }
        for sn in cands {
            if self.lookup(scope, sn).is_ok() {
                continue;
            }
            match self.walk.nettype.clone() {
                DefaultNettype::Wire => {}
                DefaultNettype::None => {
                    return Err(Diagnostic::error(
                        Code::UnknownName,
                        sn.name.span,
                        format!(
                            "`{}` is not declared (`default_nettype none forbids implicit nets)",
                            sn.name.name
                        ),
                    )
                    .with_label("unknown name")
                    .into());
                }
                DefaultNettype::Other(t) => {
                    return Err(err_code(
                        Code::Unsupported,
                        sn.name.span,
                        format!(
                            "unsupported construct: implicit net `{}` of type `{t}` (`default_nettype {t}); declare it",
                            sn.name.name
                        ),
                    ));
                }
            }
            let name = format!("{}.{}", self.syms.scopes[scope].prefix, sn.name.name);
            let v = self.add_var(name, Ty::vector(1, false), sn.name.span, true);
            self.syms.scopes[scope]
                .names
                .insert(sn.name.name.clone(), Sym::Var(v));
        }
        Ok(())
    }
}

fn gate_name(k: GateKind) -> &'static str {
    match k {
        GateKind::And => "and",
        GateKind::Nand => "nand",
        GateKind::Or => "or",
        GateKind::Nor => "nor",
        GateKind::Xor => "xor",
        GateKind::Xnor => "xnor",
        GateKind::Buf => "buf",
        GateKind::Not => "not",
    }
}

/// A plain identifier (no package, no select).
fn lone_name<'b>(e: &'b Expr, out: &mut Vec<&'b ast::ScopedName>) {
    if let ExprKind::Ident(sn) = &e.kind {
        if sn.package.is_none() {
            out.push(sn);
        }
    }
}

fn lhs_names<'b>(e: &'b Expr, out: &mut Vec<&'b ast::ScopedName>) {
    match &e.kind {
        ExprKind::Concat(parts) => {
            for p in parts {
                lhs_names(p, out);
            }
        }
        _ => lone_name(e, out),
    }
}
