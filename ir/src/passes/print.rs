//! A readable listing of the IR (`verify --lint --dump-ir`).
//!
//! One line per port, register, memory, node, output, property, branch and
//! name; node lines end with their source location when a [`SourceMap`] is
//! given. The format is for people, not for parsing back.

use crate::netlist::{Design, NodeId, Op, SignalKind};
use crate::source::{SourceMap, Span};
use std::fmt::Write;

/// Column where `; file:line:col` comments start (when the line is shorter).
const COMMENT_COLUMN: usize = 40;

pub fn dump(design: &Design, sources: Option<&SourceMap>) -> String {
    let mut out = String::new();
    // `write!` to a String cannot fail.
    let mut line = |text: String, span: Span| {
        out.push_str(&text);
        if let Some(loc) = sources.and_then(|s| s.location(span)) {
            let pad = COMMENT_COLUMN.saturating_sub(text.len()).max(1);
            let _ = write!(out, "{:pad$}; {loc}", "");
        }
        out.push('\n');
    };
    let clock = match &design.clock {
        Some(c) => format!("  clock {c}"),
        None => String::new(),
    };
    line(format!("design {}{clock}", design.top), Span::NONE);
    for i in &design.inputs {
        line(
            format!("input  {} : {}{}", i.name, i.width, signed(i.signed)),
            i.span,
        );
    }
    for o in &design.outputs {
        line(
            format!("output {} : {}{}", o.name, o.width, signed(o.signed)),
            o.span,
        );
    }
    for r in &design.regs {
        let init = match &r.init {
            Some(b) => b.to_string(),
            None => "none".to_string(),
        };
        let mut text = format!(
            "reg    {} : {}{}  init {init}  next {}",
            r.name,
            r.width,
            signed(r.signed),
            n(r.next)
        );
        if r.synthetic {
            text.push_str("  synthetic");
        }
        if !r.enum_values.is_empty() {
            let vals: Vec<String> = r
                .enum_values
                .iter()
                .map(|e| format!("{}={}", e.name, e.value))
                .collect();
            let _ = write!(text, "  enum {{{}}}", vals.join(", "));
        }
        line(text, r.span);
    }
    for m in &design.mems {
        let init = if m.init.is_some() { "given" } else { "none" };
        let mut text = format!("mem    {} : {} x {}  init {init}", m.name, m.width, m.depth);
        for (i, w) in m.writes.iter().enumerate() {
            let _ = write!(
                text,
                "  write[{i}] en {} addr {} data {}",
                n(w.en),
                n(w.addr),
                n(w.data)
            );
        }
        line(text, m.span);
    }
    for (i, node) in design.nodes.iter().enumerate() {
        let text = format!(
            "{:<4}= {} : {}",
            n(NodeId(i as u32)),
            op_text(design, &node.op, node.width),
            node.width
        );
        line(text, node.span);
    }
    for o in &design.outputs {
        line(format!("output {} = {}", o.name, n(o.node)), Span::NONE);
    }
    for p in &design.props {
        let what = match p.kind {
            crate::netlist::PropKind::Cover => "hit",
            _ => "bad",
        };
        line(
            format!("{} {} {what} = {}", p.kind.name(), p.name, n(p.node)),
            p.span,
        );
    }
    for b in &design.branches {
        line(format!("branch {} = {}", b.label, n(b.cond)), b.span);
    }
    for nm in &design.names {
        let kind = match nm.kind {
            SignalKind::Input => "input",
            SignalKind::Output => "output",
            SignalKind::Reg => "reg",
            SignalKind::Wire => "wire",
        };
        line(
            format!(
                "name {} = {}  ({kind}{})",
                nm.name,
                n(nm.node),
                signed(nm.signed)
            ),
            Span::NONE,
        );
    }
    out
}

fn n(id: NodeId) -> String {
    format!("%{}", id.0)
}

fn signed(s: bool) -> &'static str {
    if s {
        " signed"
    } else {
        ""
    }
}

/// Looks a name up without trusting the design (the dump is a debugging aid
/// and must not panic on a broken one).
fn op_text(design: &Design, op: &Op, width: u32) -> String {
    match op {
        Op::Const(b) => format!("const {b}"),
        Op::Input(i) => match design.inputs.get(i.index()) {
            Some(p) => format!("input {}", p.name),
            None => format!("input #{}?", i.0),
        },
        Op::Reg(r) => match design.regs.get(r.index()) {
            Some(r) => format!("reg {}", r.name),
            None => format!("reg #{}?", r.0),
        },
        Op::MemRead { mem, addr } => match design.mems.get(mem.index()) {
            Some(m) => format!("memread {}[{}]", m.name, n(*addr)),
            None => format!("memread #{}?[{}]", mem.0, n(*addr)),
        },
        Op::Unary(u, a) => format!("{} {}", u.name(), n(*a)),
        Op::Binary(b, x, y) => format!("{} {}, {}", b.name(), n(*x), n(*y)),
        Op::Mux { sel, t, f } => format!("mux {} ? {} : {}", n(*sel), n(*t), n(*f)),
        Op::Concat(v) => {
            let parts: Vec<String> = v.iter().map(|x| n(*x)).collect();
            format!("concat {}", parts.join(", "))
        }
        Op::Slice { arg, lo } => {
            let hi = *lo as u64 + width as u64 - 1;
            format!("slice {}[{hi}:{lo}]", n(*arg))
        }
        Op::Zext(a) => format!("zext {}", n(*a)),
        Op::Sext(a) => format!("sext {}", n(*a)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bits::Bits;
    use crate::builder::Builder;
    use crate::netlist::{BinOp, PropKind};

    #[test]
    fn listing_shows_everything_with_locations() {
        let mut sources = SourceMap::new();
        let f = sources.add(
            std::path::Path::new("/x/c.sv"),
            "c.sv".into(),
            "module c;\n  assign y = a + b;\nendmodule\n".into(),
        );
        let mut b = Builder::new("c");
        b.set_clock("clk");
        let a = b.input("a", 4, true, Span::NONE);
        let (r, q) = b.reg("c.q", 4, Some(Bits::zero(4)), Span::NONE);
        let s = b.node(Op::Binary(BinOp::Add, a, q), 4, Span::new(f, 23, 28));
        b.set_next(r, s);
        let m = b.memory("c.m", 4, 16, None, Span::NONE);
        let one = b.const_u64(1, 1);
        b.mem_write(m, one, q, s);
        let rd = b.mem_read(m, q, Span::NONE);
        let hi = b.slice(rd, 3, 1);
        b.property("c.p", PropKind::Assert, hi, Span::new(f, 0, 6));
        b.output("y", s, false, Span::NONE);
        let d = b.finish().unwrap();
        let text = dump(&d, Some(&sources));
        for want in [
            "design c  clock clk\n",
            "input  a : 4 signed\n",
            "reg    c.q : 4  init 4'h0  next %2\n",
            "mem    c.m : 4 x 16  init none  write[0] en %3 addr %1 data %2\n",
            "%0  = input a : 4\n",
            "%4  = memread c.m[%1] : 4\n",
            "%5  = slice %4[3:3] : 1\n",
            "output y = %2\n",
            "name c.a = %0  (input signed)\n",
        ] {
            assert!(text.contains(want), "missing {want:?} in\n{text}");
        }
        let add = text.lines().find(|l| l.starts_with("%2 ")).unwrap();
        assert!(add.starts_with("%2  = add %0, %1 : 4 "), "{add}");
        assert!(add.ends_with("; c.sv:2:14"), "{add}");
        assert!(text.contains("assert c.p bad = %5"));
        assert!(text.contains("; c.sv:1:1"));
        // Without sources there are no comments.
        assert!(!dump(&d, None).contains(';'));
    }
}
