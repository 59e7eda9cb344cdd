//! The IR passes preserve meaning: random designs (every operator, widths
//! 1 to 130, registers, a memory) evaluated by the reference evaluator
//! before and after `optimize`, on random inputs and states, agree on every
//! output, register next value, memory write and property; every pass
//! leaves a valid design; COI keeps the exact values of what it keeps.

use proptest::prelude::*;
use rtl::builder::Builder;
use rtl::ir::{BinOp, Design, NodeId, PropKind, UnOp};
use rtl::passes::{self, coi, eval};
use rtl::{Bits, Span};

/// One step of the random construction: an operator and operand picks.
#[derive(Clone, Debug)]
struct Step {
    op: u8,
    a: usize,
    b: usize,
    c: usize,
    w: u32,
    k: u64,
}

fn step() -> impl Strategy<Value = Step> {
    (
        0u8..26,
        any::<usize>(),
        any::<usize>(),
        any::<usize>(),
        1u32..=130,
        any::<u64>(),
    )
        .prop_map(|(op, a, b, c, w, k)| Step { op, a, b, c, w, k })
}

const BINOPS: [BinOp; 19] = BinOp::ALL;

/// Resize `n` to `w` bits (slice or extend).
fn fit(b: &mut Builder, n: NodeId, w: u32, signed: bool) -> NodeId {
    let nw = b.width(n);
    if nw > w {
        b.slice(n, 0, w)
    } else if signed {
        b.sext(n, w)
    } else {
        b.zext(n, w)
    }
}

fn build(steps: &[Step], regw: &[u32]) -> Design {
    let mut b = Builder::new("t");
    b.set_clock("clk");
    let mut pool: Vec<NodeId> = vec![
        b.input("a", 7, false, Span::NONE),
        b.input("b", 70, true, Span::NONE),
        b.input("s", 1, false, Span::NONE),
    ];
    let regs: Vec<_> = regw
        .iter()
        .enumerate()
        .map(|(i, w)| b.reg(&format!("t.r{i}"), *w, None, Span::NONE))
        .collect();
    pool.extend(regs.iter().map(|r| r.1));
    let mem = b.memory("t.m", 9, 6, None, Span::NONE);
    for s in steps {
        let pick = |i: usize| pool[i % pool.len()];
        let (x, y, z) = (pick(s.a), pick(s.b), pick(s.c));
        let n = match s.op {
            0..=18 => {
                let op = BINOPS[s.op as usize];
                let w = b.width(x);
                let y = if op.is_shift() {
                    y
                } else {
                    fit(&mut b, y, w, s.k & 1 == 1)
                };
                b.binary(op, x, y)
            }
            19 => {
                let ops = [
                    UnOp::Not,
                    UnOp::Neg,
                    UnOp::RedAnd,
                    UnOp::RedOr,
                    UnOp::RedXor,
                ];
                b.unary(ops[(s.k % 5) as usize], x)
            }
            20 => {
                let sel = fit(&mut b, z, 1, false);
                let w = b.width(x);
                let y = fit(&mut b, y, w, false);
                b.mux(sel, x, y)
            }
            21 => b.concat(vec![x, y]),
            22 => {
                let w = b.width(x);
                let lo = (s.k % w as u64) as u32;
                let width = 1 + ((s.k >> 8) % (w - lo) as u64) as u32;
                b.slice(x, lo, width)
            }
            _ => {
                if s.k % 3 == 0 {
                    // Identities live at 0, 1 and all-ones: make them common.
                    let k = match (s.k >> 2) % 4 {
                        0 => Bits::zero(s.w),
                        1 => Bits::from_u64(s.w, 1),
                        2 => Bits::ones(s.w),
                        _ => Bits::from_u64(s.w, s.k),
                    };
                    b.konst(k)
                } else if s.k % 3 == 1 {
                    fit(&mut b, x, s.w, true)
                } else {
                    let addr = fit(&mut b, x, 4, false);
                    b.mem_read(mem, addr, Span::NONE)
                }
            }
        };
        if b.width(n) <= 4096 {
            pool.push(n);
        }
    }
    // Registers, a memory write port, outputs and properties from the pool's tail.
    let tail = |i: usize| pool[pool.len() - 1 - (i % pool.len())];
    for (i, (id, _)) in regs.iter().enumerate() {
        let v = tail(i);
        let next = fit(&mut b, v, regw[i], i % 2 == 0);
        b.set_next(*id, next);
    }
    let en = tail(3);
    let en = fit(&mut b, en, 1, false);
    let addr = tail(4);
    let addr = fit(&mut b, addr, 3, false);
    let data = tail(5);
    let data = fit(&mut b, data, 9, false);
    b.mem_write(mem, en, addr, data);
    for i in 0..3 {
        let o = tail(i + 6);
        b.output(&format!("o{i}"), o, false, Span::NONE);
    }
    let p = tail(9);
    let p = fit(&mut b, p, 1, false);
    b.property("t.p", PropKind::Assert, p, Span::NONE);
    b.finish().expect("generated design is valid")
}

fn bits(w: u32, words: &[u64]) -> Bits {
    Bits::from_words(w, words)
}

/// Outputs, register next values by name, properties, memory after the edge.
type Observed = (Vec<Bits>, Vec<(String, Bits)>, Vec<Bits>, Vec<Bits>);

/// Everything observable after one cycle, keyed so that renumbered designs compare.
fn observe(d: &Design, inputs: &[Bits], regs: &[(String, Bits)], mem: &[Bits]) -> Observed {
    let rv: Vec<Bits> = d
        .regs
        .iter()
        .map(|r| {
            regs.iter()
                .find(|(n, _)| *n == r.name)
                .map(|(_, v)| v.clone())
                .expect("register kept by name")
        })
        .collect();
    let mems: Vec<Vec<Bits>> = d.mems.iter().map(|_| mem.to_vec()).collect();
    let s = eval::step(d, inputs, &rv, &mems);
    let outs = d
        .outputs
        .iter()
        .map(|o| s.values[o.node.index()].clone())
        .collect();
    let mut next: Vec<(String, Bits)> = d
        .regs
        .iter()
        .zip(&s.regs)
        .map(|(r, v)| (r.name.clone(), v.clone()))
        .collect();
    next.sort();
    let props = d
        .props
        .iter()
        .map(|p| s.values[p.node.index()].clone())
        .collect();
    let mem_after = s.mems.first().cloned().unwrap_or_default();
    (outs, next, props, mem_after)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    #[test]
    fn optimize_preserves_meaning(steps in prop::collection::vec(step(), 1..40),
                                  regw in prop::collection::vec(1u32..=80, 1..4),
                                  seed in prop::collection::vec(any::<u64>(), 16)) {
        let d = build(&steps, &regw);
        let inputs: Vec<Bits> = d.inputs.iter().enumerate().map(|(i, p)| bits(p.width, &[seed[i], seed[i + 3]])).collect();
        let regs: Vec<(String, Bits)> = d.regs.iter().enumerate().map(|(i, r)| (r.name.clone(), bits(r.width, &[seed[6 + i], seed[i]]))).collect();
        let mem: Vec<Bits> = (0..6).map(|i| bits(9, &[seed[10 + i]])).collect();

        let folded = passes::constfold::constfold(&d);
        prop_assert!(folded.validate().is_ok(), "constfold: {:?}", folded.validate());
        let hashed = passes::strash::strash(&d);
        prop_assert!(hashed.validate().is_ok(), "strash: {:?}", hashed.validate());
        let opt = passes::optimize(&d);
        prop_assert!(opt.validate().is_ok(), "optimize: {:?}", opt.validate());

        let before = observe(&d, &inputs, &regs, &mem);
        for (name, other) in [("constfold", &folded), ("strash", &hashed), ("optimize", &opt)] {
            let after = observe(other, &inputs, &regs, &mem);
            prop_assert_eq!(&before.0, &after.0, "{} changed an output", name);
            prop_assert_eq!(&before.2, &after.2, "{} changed a property", name);
            prop_assert_eq!(&before.3, &after.3, "{} changed a memory write", name);
            // Registers may be dropped when unused, never changed.
            for (n, v) in &after.1 {
                let orig = before.1.iter().find(|(m, _)| m == n).map(|(_, v)| v);
                prop_assert_eq!(Some(v), orig, "{} changed register {}", name, n);
            }
        }
    }

    #[test]
    fn coi_keeps_exact_values_of_its_roots(steps in prop::collection::vec(step(), 1..30),
                                           regw in prop::collection::vec(1u32..=40, 1..4),
                                           seed in prop::collection::vec(any::<u64>(), 16)) {
        let d = build(&steps, &regw);
        let c = coi::coi(&d, &[coi::Root::Property(0)]);
        prop_assert!(c.validate().is_ok());
        prop_assert_eq!(c.inputs.len(), d.inputs.len());
        let inputs: Vec<Bits> = d.inputs.iter().enumerate().map(|(i, p)| bits(p.width, &[seed[i], seed[i + 3]])).collect();
        let regs: Vec<(String, Bits)> = d.regs.iter().enumerate().map(|(i, r)| (r.name.clone(), bits(r.width, &[seed[6 + i]]))).collect();
        let mem: Vec<Bits> = (0..6).map(|i| bits(9, &[seed[10 + i]])).collect();
        let a = observe(&d, &inputs, &regs, &mem);
        let b = observe(&c, &inputs, &regs, &mem);
        prop_assert_eq!(&a.2, &b.2, "property value changed by COI");
        for (n, v) in &b.1 {
            let orig = a.1.iter().find(|(m, _)| m == n).map(|(_, v)| v);
            prop_assert_eq!(Some(v), orig, "COI changed register {}", n);
        }
    }
}
