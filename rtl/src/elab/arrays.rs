//! Which unpacked arrays are IR memories and which are sets of signals.
//!
//! An IR memory (read and written by address) suits a RAM or ROM: an array
//! written only from clocked blocks at computed addresses, or only
//! initialised. Anything else (an array driven by continuous assignments,
//! written from combinational logic, reset as a whole under an asynchronous
//! reset, written at literal indices, used whole, or connected to ports)
//! becomes one signal per element, which every construct handles. The
//! choice is made per module, by name, from the module's items: a name
//! that some scope of the module uses in a signal-only way makes every
//! array of that name in the module a set of signals (always correct, only
//! less compact).

use crate::ast::{Always, AlwaysKind, Edge, Event, Expr, ExprKind, Item, PortConn, Stmt};
use std::collections::HashSet;

/// Names of the unpacked arrays of a module that must be signals.
pub(super) fn signal_arrays(items: &[Item]) -> HashSet<String> {
    let mut out = HashSet::new();
    scan_items(items, &mut out);
    out
}

fn scan_items(items: &[Item], out: &mut HashSet<String>) {
    for it in items {
        match it {
            Item::Assign(a) => {
                roots(&a.lhs, out);
                whole_uses(&a.rhs, out);
            }
            Item::Gate(g) => {
                for o in &g.outputs {
                    roots(o, out);
                }
                for i in &g.inputs {
                    whole_uses(i, out);
                }
            }
            Item::Var(v) => {
                if let Some(e) = &v.init {
                    out.insert(v.name.name.clone());
                    whole_uses(e, out);
                }
            }
            Item::Always(a) => scan_always(a, out),
            Item::Initial(s) => scan_stmt(s, Writes::WholeOnly, out),
            Item::Instance(i) => {
                for c in &i.conns {
                    match c {
                        PortConn::Positional(Some(e)) | PortConn::Named(_, Some(e)) => {
                            mentions(e, out)
                        }
                        PortConn::Implicit(n) => {
                            out.insert(n.name.clone());
                        }
                        _ => {}
                    }
                }
            }
            Item::GenFor(f) => scan_items(&f.block.items, out),
            Item::GenIf(g) => {
                scan_items(&g.then.items, out);
                if let Some(e) = &g.els {
                    scan_items(&e.items, out);
                }
            }
            Item::GenCase(c) => {
                for (_, b) in &c.arms {
                    scan_items(&b.items, out);
                }
            }
            Item::GenBlock(b) => scan_items(&b.items, out),
            _ => {}
        }
    }
}

/// Which procedural writes make an array signals.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Writes {
    /// Combinational or asynchronously reset: every write.
    All,
    /// Clocked: writes at a literal index or to the whole array.
    Literal,
    /// `initial`: whole-array writes only.
    WholeOnly,
}

fn scan_always(a: &Always, out: &mut HashSet<String>) {
    let mode = match (&a.body, a.kind) {
        (_, AlwaysKind::AlwaysComb) => Writes::All,
        (Stmt::Timed { event, .. }, _) => match event {
            Event::Star => Writes::All,
            Event::List(l) if l.iter().all(|e| e.edge == Edge::Any) => Writes::All,
            Event::List(l) if l.len() > 1 => Writes::All,
            Event::List(_) => Writes::Literal,
        },
        _ => Writes::All,
    };
    scan_stmt(&a.body, mode, out);
}

fn scan_stmt(s: &Stmt, mode: Writes, out: &mut HashSet<String>) {
    match s {
        Stmt::Block { stmts, .. } => stmts.iter().for_each(|x| scan_stmt(x, mode, out)),
        Stmt::Blocking { lhs, rhs, .. } | Stmt::NonBlocking { lhs, rhs, .. } => {
            match mode {
                Writes::All => roots(lhs, out),
                Writes::Literal => literal_or_whole(lhs, out),
                Writes::WholeOnly => {
                    if let ExprKind::Ident(sn) = &lhs.kind {
                        out.insert(sn.name.name.clone());
                    }
                }
            }
            whole_uses(rhs, out);
        }
        Stmt::If { then, els, .. } => {
            scan_stmt(then, mode, out);
            if let Some(e) = els {
                scan_stmt(e, mode, out);
            }
        }
        Stmt::Case { items, .. } => items.iter().for_each(|i| scan_stmt(&i.body, mode, out)),
        Stmt::For { body, .. }
        | Stmt::While { body, .. }
        | Stmt::DoWhile { body, .. }
        | Stmt::Repeat { body, .. }
        | Stmt::Foreach { body, .. }
        | Stmt::Forever { body, .. }
        | Stmt::Timed { body, .. }
        | Stmt::Delay { body, .. } => scan_stmt(body, mode, out),
        _ => {}
    }
}

/// The names an assignment target writes (`a[i].f`, `{a, b[3]}`).
fn roots(e: &Expr, out: &mut HashSet<String>) {
    match &e.kind {
        ExprKind::Ident(sn) => {
            out.insert(sn.name.name.clone());
        }
        ExprKind::Index(b, _) | ExprKind::Range(b, _, _) | ExprKind::Member(b, _) => roots(b, out),
        ExprKind::IndexedRange { base, .. } => roots(base, out),
        ExprKind::Concat(parts) => parts.iter().for_each(|p| roots(p, out)),
        _ => {}
    }
}

/// A clocked write makes its array signals when the array is written
/// whole or its first index is a literal (`taps[0] <= x`).
fn literal_or_whole(e: &Expr, out: &mut HashSet<String>) {
    match &e.kind {
        ExprKind::Ident(sn) => {
            out.insert(sn.name.name.clone());
        }
        ExprKind::Index(b, i) => {
            if let ExprKind::Ident(sn) = &b.kind {
                if matches!(i.kind, ExprKind::Number(_)) {
                    out.insert(sn.name.name.clone());
                }
            } else {
                literal_or_whole(b, out);
            }
        }
        ExprKind::Range(b, _, _) | ExprKind::Member(b, _) => literal_or_whole(b, out),
        ExprKind::IndexedRange { base, .. } => literal_or_whole(base, out),
        ExprKind::Concat(parts) => parts.iter().for_each(|p| literal_or_whole(p, out)),
        _ => {}
    }
}

/// Every name in `e`.
fn mentions(e: &Expr, out: &mut HashSet<String>) {
    visit(e, &mut |x, _| {
        if let ExprKind::Ident(sn) = &x.kind {
            out.insert(sn.name.name.clone());
        }
    });
}

/// Names read whole (not as the base of an index): `y = arr`, `f(arr)`.
fn whole_uses(e: &Expr, out: &mut HashSet<String>) {
    visit(e, &mut |x, indexed| {
        if let (ExprKind::Ident(sn), false) = (&x.kind, indexed) {
            out.insert(sn.name.name.clone());
        }
    });
}

/// Visit `e` and its operands; the flag says whether the node is the base
/// of an index. System function arguments (`$size(a)`) are skipped.
fn visit(e: &Expr, f: &mut dyn FnMut(&Expr, bool)) {
    visit_at(e, false, f)
}

fn visit_at(e: &Expr, indexed: bool, f: &mut dyn FnMut(&Expr, bool)) {
    f(e, indexed);
    match &e.kind {
        ExprKind::Member(a, _) => visit_at(a, indexed, f),
        ExprKind::Index(a, b) => {
            visit_at(a, true, f);
            visit_at(b, false, f);
        }
        ExprKind::Range(a, b, c) => {
            visit_at(a, true, f);
            visit_at(b, false, f);
            visit_at(c, false, f);
        }
        ExprKind::Cond(a, b, c) => {
            visit_at(a, false, f);
            visit_at(b, false, f);
            visit_at(c, false, f);
        }
        ExprKind::IndexedRange {
            base, start, width, ..
        } => {
            visit_at(base, true, f);
            visit_at(start, false, f);
            visit_at(width, false, f);
        }
        ExprKind::Unary(_, a) | ExprKind::Cast(_, a) => visit_at(a, false, f),
        ExprKind::Binary(_, a, b) => {
            visit_at(a, false, f);
            visit_at(b, false, f);
        }
        ExprKind::Concat(v) | ExprKind::Call(_, v) => v.iter().for_each(|x| visit_at(x, false, f)),
        ExprKind::Repl(n, v) => {
            visit_at(n, false, f);
            v.iter().for_each(|x| visit_at(x, false, f));
        }
        ExprKind::Pattern(items) => items.iter().for_each(|(_, x)| visit_at(x, false, f)),
        ExprKind::Inside(a, _) => visit_at(a, false, f),
        _ => {}
    }
}
