//! Helpers shared by the integration tests.
#![allow(dead_code)]

use rtl::bits::Bits;
use rtl::ir::Design;
use rtl::trace::Trace;
use solver::{check, BmcOptions, Control, PropResult, Verdict};

pub fn opts(depth: u32, prove: bool) -> BmcOptions {
    BmcOptions {
        depth,
        prove,
        reset: None,
        parallel: false,
        ..BmcOptions::default()
    }
}

/// Check one property by name.
pub fn check_named(d: &Design, name: &str, o: &BmcOptions) -> PropResult {
    let i = d
        .props
        .iter()
        .position(|p| p.name == name)
        .expect("test property exists");
    let mut r = check(d, &[i], o, &Control::default()).expect("valid request");
    r.pop().expect("one result")
}

/// Replay `t` on `d` with the reference evaluator and return the value of
/// property `name`'s node in the last cycle.
pub fn replay_last(d: &Design, t: &Trace, name: &str) -> Bits {
    let p = d.props.iter().find(|p| p.name == name).expect("property");
    let vals = solver::eval::replay(d, t).expect("replayable trace");
    vals.last().expect("at least one cycle")[p.node.index()].clone()
}

/// Replay `t` and check that every assumption holds in every cycle.
pub fn assumptions_hold(d: &Design, t: &Trace) -> bool {
    let vals = solver::eval::replay(d, t).expect("replayable trace");
    d.props
        .iter()
        .filter(|p| p.kind == rtl::ir::PropKind::Assume)
        .all(|p| vals.iter().all(|row| row[p.node.index()].is_zero()))
}

pub fn fail_depth(s: &Verdict) -> Option<u32> {
    match s {
        Verdict::Fail { depth, .. } => Some(*depth),
        _ => None,
    }
}

/// Elaborate SystemVerilog text (panics with the rendered error).
pub fn compile(src: &str) -> Design {
    let c = rtl::compile_text("t.sv", src, rtl::elab::ElabOptions::default());
    match c.result {
        Ok(e) => e.design,
        Err(e) => panic!("{}", e.render(&c.sources, false)),
    }
}
