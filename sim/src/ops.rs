//! Operations every back end shares: memory storage and its reads and
//! writes, sign extension, and the multi-word ([`Wide`]) instructions.
//! The interpreter (`engine`) and the lane engine (`lanes`) call them
//! directly, the native code (`jit`) calls back into them, so each has one
//! implementation of its semantics.

use crate::isa::{MemInfo, Wide, WideOp};
use crate::rng::hash3;
use crate::words::{self, nwords};
use ir::{BinOp, UnOp};
use std::collections::HashMap;

/// The words of one memory of one simulation.
#[derive(Clone)]
pub(crate) enum MemStore {
    Dense(Vec<u64>),
    /// Words not yet written read as `hash(key, addr)` when `key` is set
    /// (random init), else zero.
    Sparse {
        map: HashMap<u64, Vec<u64>>,
        key: Option<u64>,
    },
}

#[inline(always)]
pub(crate) fn sx(x: u64, w: u32) -> i64 {
    let sh = 64 - w;
    ((x << sh) as i64) >> sh
}

pub(crate) fn mem_read(store: &MemStore, info: &MemInfo, addr: u64, d: &mut [u64]) {
    if addr >= info.depth {
        d.fill(0);
        return;
    }
    let n = nwords(info.width);
    match store {
        // One word is by far the common case; `copy_from_slice` of an
        // unknown length is a `memmove` call (11% of a 64-seed run of the
        // 5,000-line benchmark design, perf).
        MemStore::Dense(v) if n == 1 => d[0] = v[addr as usize],
        MemStore::Dense(v) => {
            let o = addr as usize * n;
            d.copy_from_slice(&v[o..o + n]);
        }
        MemStore::Sparse { map, key } => match map.get(&addr) {
            Some(w) => d.copy_from_slice(w),
            None => match key {
                Some(k) => {
                    for (i, w) in d.iter_mut().enumerate() {
                        *w = hash3(*k, addr, i as u64);
                    }
                    words::clean(d, info.width);
                }
                None => d.fill(0),
            },
        },
    }
}

pub(crate) fn mem_write(store: &mut MemStore, info: &MemInfo, addr: u64, data: &[u64]) {
    if addr >= info.depth {
        return;
    }
    match store {
        MemStore::Dense(v) => {
            let n = data.len();
            let o = addr as usize * n;
            v[o..o + n].copy_from_slice(data);
        }
        MemStore::Sparse { map, .. } => {
            map.insert(addr, data.to_vec());
        }
    }
}

pub(crate) fn eval_wide(wi: &Wide, arena: &mut [u64], stores: &[MemStore], infos: &[MemInfo]) {
    let d0 = wi.d as usize;
    let width = wi.width;
    let (lo, hi) = arena.split_at_mut(d0);
    let d = &mut hi[..nwords(width)];
    let arg = |i: usize| -> &[u64] {
        let a = wi.args[i];
        &lo[a.slot as usize..a.slot as usize + nwords(a.width)]
    };
    match wi.op {
        WideOp::Bin(op) => {
            let (a, b) = (arg(0), arg(1));
            let aw = wi.args[0].width;
            let set = |d: &mut [u64], c: bool| {
                d.fill(0);
                d[0] = c as u64;
            };
            match op {
                BinOp::Add => words::add(d, a, b, width),
                BinOp::Sub => words::sub(d, a, b, width),
                BinOp::Mul => words::mul(d, a, b, width),
                BinOp::Udiv => words::udivrem(d, a, b, width, false),
                BinOp::Urem => words::udivrem(d, a, b, width, true),
                BinOp::Sdiv => words::sdivrem(d, a, b, width, false),
                BinOp::Srem => words::sdivrem(d, a, b, width, true),
                BinOp::And => d
                    .iter_mut()
                    .zip(a.iter().zip(b))
                    .for_each(|(d, (x, y))| *d = x & y),
                BinOp::Or => d
                    .iter_mut()
                    .zip(a.iter().zip(b))
                    .for_each(|(d, (x, y))| *d = x | y),
                BinOp::Xor => d
                    .iter_mut()
                    .zip(a.iter().zip(b))
                    .for_each(|(d, (x, y))| *d = x ^ y),
                BinOp::Shl => words::shl(d, a, words::amount(b), width),
                BinOp::Lshr => words::shr(d, a, words::amount(b), width, false),
                BinOp::Ashr => words::shr(d, a, words::amount(b), width, true),
                BinOp::Eq => set(d, a == b),
                BinOp::Ne => set(d, a != b),
                BinOp::Ult => set(d, words::ult(a, b)),
                BinOp::Ule => set(d, !words::ult(b, a)),
                BinOp::Slt => set(d, words::slt(a, b, aw)),
                BinOp::Sle => set(d, !words::slt(b, a, aw)),
            }
        }
        WideOp::Un(op) => {
            let a = arg(0);
            let aw = wi.args[0].width;
            match op {
                UnOp::Not => words::not(d, a, width),
                UnOp::Neg => words::neg(d, a, width),
                UnOp::RedAnd => d[0] = words::red_and(a, aw) as u64,
                UnOp::RedOr => d[0] = !words::is_zero(a) as u64,
                UnOp::RedXor => d[0] = words::red_xor(a) as u64,
            }
        }
        WideOp::Mux => {
            let src = if arg(0)[0] & 1 == 1 { arg(1) } else { arg(2) };
            d.copy_from_slice(src);
        }
        WideOp::Concat => {
            d.fill(0);
            let mut pos = width;
            for (i, a) in wi.args.iter().enumerate() {
                pos -= a.width;
                words::deposit(d, arg(i), pos, a.width);
            }
        }
        WideOp::Slice(l) => words::extract(d, arg(0), l, width),
        WideOp::Zext => words::extend(d, arg(0), wi.args[0].width, width, false),
        WideOp::Sext => words::extend(d, arg(0), wi.args[0].width, width, true),
        WideOp::MemRead(m) => {
            let addr = words::amount(arg(0));
            mem_read(&stores[m as usize], &infos[m as usize], addr, d);
        }
    }
}
