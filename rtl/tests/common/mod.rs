//! Helpers shared by the integration tests: compile SystemVerilog text,
//! take the first error of a design that must be refused, and run a design
//! on a hand-written trace with the IR's reference evaluator.
#![allow(dead_code)]

use rtl::elab::ElabOptions;
use rtl::ir::Design;
use rtl::passes::eval;
use rtl::Bits;

pub fn compile(src: &str) -> Design {
    let c = rtl::compile_text("t.sv", src, ElabOptions::default());
    match c.result {
        Ok(e) => {
            e.design.validate().expect("valid IR");
            e.design
        }
        Err(e) => panic!("{}", e.render(&c.sources, false)),
    }
}

/// The first error message of a design that must be refused, with its line.
pub fn error(src: &str) -> (String, u32) {
    let c = rtl::compile_text("t.sv", src, ElabOptions::default());
    match c.result {
        Ok(_) => panic!("expected an error"),
        Err(e) => {
            let d = &e.diags[0];
            let line = c.sources.location(d.span).map(|l| l.line).unwrap_or(0);
            (d.message.clone(), line)
        }
    }
}

/// Run `d` on a trace of `name:bits` words (one bit per cycle,
/// `"a:0110 b:0011"`) or `name=v,v,v` words (decimal values per cycle),
/// cycle 0 first; missing inputs are 0. For each property, the cycles at
/// which its node is 1.
pub fn run(d: &Design, trace: &str) -> Vec<(String, Vec<usize>)> {
    let cols: Vec<(&str, Vec<u64>)> = trace
        .split_whitespace()
        .map(|w| match w.split_once('=') {
            Some((n, vals)) => (n, vals.split(',').map(|v| v.parse().unwrap()).collect()),
            None => {
                let (n, bits) = w.split_once(':').expect("name:bits");
                (n, bits.chars().map(|c| (c == '1') as u64).collect())
            }
        })
        .collect();
    let len = cols.iter().map(|(_, v)| v.len()).max().unwrap_or(0);
    let mut regs: Vec<Bits> = d
        .regs
        .iter()
        .map(|r| r.init.clone().unwrap_or_else(|| Bits::zero(r.width)))
        .collect();
    let mut mems: Vec<Vec<Bits>> = d
        .mems
        .iter()
        .map(|m| {
            m.init
                .clone()
                .unwrap_or_else(|| vec![Bits::zero(m.width); m.depth as usize])
        })
        .collect();
    let mut fired: Vec<(String, Vec<usize>)> =
        d.props.iter().map(|p| (p.name.clone(), vec![])).collect();
    for cyc in 0..len {
        let ins: Vec<Bits> = d
            .inputs
            .iter()
            .map(|i| {
                let v = cols
                    .iter()
                    .find(|(n, _)| *n == i.name)
                    .and_then(|(_, v)| v.get(cyc).copied())
                    .unwrap_or(0);
                Bits::from_u64(i.width, v)
            })
            .collect();
        let vals = eval::eval_comb(d, &ins, &regs, &mems);
        for (i, p) in d.props.iter().enumerate() {
            if !vals[p.node.index()].is_zero() {
                fired[i].1.push(cyc);
            }
        }
        let s = eval::step(d, &ins, &regs, &mems);
        regs = s.regs;
        mems = s.mems;
    }
    fired
}

/// The value of output `out` in the first cycle, with the inputs named in
/// `ins` at the given values (other inputs 0, registers and memories at
/// their initial values).
pub fn comb_output(d: &Design, ins: &[(&str, u64)], out: &str) -> u64 {
    let inputs: Vec<Bits> = d
        .inputs
        .iter()
        .map(|i| {
            let v = ins.iter().find(|(n, _)| *n == i.name).map_or(0, |x| x.1);
            Bits::from_u64(i.width, v)
        })
        .collect();
    let regs: Vec<Bits> = d
        .regs
        .iter()
        .map(|r| r.init.clone().unwrap_or_else(|| Bits::zero(r.width)))
        .collect();
    let mems: Vec<Vec<Bits>> = d
        .mems
        .iter()
        .map(|m| {
            m.init
                .clone()
                .unwrap_or_else(|| vec![Bits::zero(m.width); m.depth as usize])
        })
        .collect();
    let vals = eval::eval_comb(d, &inputs, &regs, &mems);
    let o = d
        .outputs
        .iter()
        .find(|o| o.name == out)
        .unwrap_or_else(|| panic!("no output {out}"));
    vals[o.node.index()].to_u64().expect("output fits 64 bits")
}
