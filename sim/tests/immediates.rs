//! Binary operations with a constant operand compile to immediate
//! instructions (constant folded into the instruction, constant shifts
//! without the range check). Each is checked against the IR's reference
//! evaluator (`rtl::passes::eval_comb`) on every operator, constant on
//! either side, widths 1 to 130 (the wide path has no immediates and must
//! still agree), signed and unsigned, edge constants and shift amounts at
//! and beyond the width. The native code (`Sim::set_jit`) is checked on
//! the same designs.

use rtl::builder::Builder;
use rtl::ir::{BinOp, Design, NodeId};
use rtl::passes::eval_comb;
use rtl::{Bits, Span};
use sim::rng::Rng;
use sim::{InitMode, Program, Sim};
use std::sync::Arc;

const WIDTHS: [u32; 9] = [1, 3, 8, 31, 32, 63, 64, 65, 130];

/// Interesting constants of width `w`: 0, 1, all ones, the sign bit alone,
/// and a random value.
fn constants(w: u32, rng: &mut Rng) -> Vec<Bits> {
    let n = w.div_ceil(64) as usize;
    let mut r = vec![0u64; n];
    rng.fill(&mut r, w);
    let mut sign = vec![0u64; n];
    sign[(w as usize - 1) / 64] = 1 << ((w - 1) % 64);
    vec![
        Bits::zero(w),
        Bits::from_u64(w, 1),
        Bits::zero(w).not(),
        Bits::from_words(w, &sign),
        Bits::from_words(w, &r),
    ]
}

/// One design per width: every binary operator with a constant on the
/// right and on the left of input `x` (and shifts by constant amounts
/// below, at and beyond the width, with amounts of another width).
fn design(w: u32, signed: bool, rng: &mut Rng) -> (Design, Vec<NodeId>) {
    let mut b = Builder::new("imm");
    let x = b.input("x", w, signed, Span::NONE);
    let mut outs = Vec::new();
    for k in constants(w, rng) {
        let k = b.konst(k);
        for op in BinOp::ALL {
            if op.is_shift() {
                continue;
            }
            outs.push(b.binary(op, x, k));
            outs.push(b.binary(op, k, x));
        }
    }
    for sh in [
        0u64,
        1,
        (w as u64).saturating_sub(1),
        w as u64,
        w as u64 + 3,
        200,
    ] {
        for aw in [w, 7, 32] {
            if aw < 64 && sh >> aw != 0 {
                continue;
            }
            let k = b.const_u64(aw, sh);
            for op in [BinOp::Shl, BinOp::Lshr, BinOp::Ashr] {
                outs.push(b.binary(op, x, k));
            }
        }
    }
    for (i, o) in outs.iter().enumerate() {
        b.output(&format!("o{i}"), *o, signed, Span::NONE);
    }
    (b.finish().unwrap(), outs)
}

#[test]
fn immediates_match_the_reference_evaluator() {
    let mut rng = Rng::new(42, 7);
    for w in WIDTHS {
        for signed in [false, true] {
            let (d, outs) = design(w, signed, &mut rng);
            let prog = Arc::new(Program::compile(&d).unwrap());
            let mut s = Sim::new(Arc::clone(&prog), 0, InitMode::Zero);
            // The same instructions as native code.
            let mut j = Sim::new(prog, 0, InitMode::Zero);
            j.set_jit(true);
            // Edge inputs then random ones.
            let mut inputs = constants(w, &mut rng);
            for _ in 0..20 {
                let mut r = vec![0u64; w.div_ceil(64) as usize];
                rng.fill(&mut r, w);
                inputs.push(Bits::from_words(w, &r));
            }
            for x in inputs {
                s.set_inputs(std::slice::from_ref(&x));
                s.eval();
                let want = eval_comb(&d, std::slice::from_ref(&x), &[], &[]);
                for o in &outs {
                    assert_eq!(
                        s.get(*o),
                        want[o.index()],
                        "width {w} signed {signed} x {x:?}: {:?}",
                        d.nodes[o.index()].op
                    );
                }
                // The pruned program settles the same outputs.
                s.eval_core();
                for o in &outs {
                    assert_eq!(s.get(*o), want[o.index()]);
                }
                j.set_inputs(std::slice::from_ref(&x));
                for core in [false, true] {
                    if core {
                        j.eval_core();
                    } else {
                        j.eval();
                    }
                    for o in &outs {
                        assert_eq!(
                            j.get(*o),
                            want[o.index()],
                            "native, width {w} signed {signed} x {x:?}: {:?}",
                            d.nodes[o.index()].op
                        );
                    }
                }
            }
        }
    }
}
