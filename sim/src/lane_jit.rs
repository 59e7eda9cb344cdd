//! Native code for the lane engine's loop (Cranelift).
//!
//! The lane interpreter ([`crate::Lanes`]) decodes every step of its op list
//! ([`LOp`]) once per cycle for all lanes, through one indirect jump that
//! the branch predictor mostly gets wrong (every op kind follows every
//! other): on large designs that dispatch, not the per-lane work, was most
//! of the loop (a batch of 8 lanes cost as much as one of 16). Here the op
//! list is translated once into straight-line code:
//!
//! - the packed one-bit ops (`And`, `Or`, `Xor`, `Xnor`, `Not`, `Mux`,
//!   `Set` over the bit arena) become one or two native operations each, and
//!   a bit word computed earlier in the same function is reused from a
//!   register instead of reloaded (every result is still stored);
//! - every other op (rows of `L` lanes, packing, tests, memories, wide
//!   values) becomes a direct call to a kernel specialised for its kind:
//!   the interpreter's own code for that one op ([`Lanes::exec_one`]),
//!   compiled for the lane count and vector unit like the interpreter, so
//!   there is one semantics. Each kernel sees one op kind only, so its
//!   internal dispatch always goes the same way (predicted), and the call
//!   site is a distinct, always-taken branch.
//!
//! The code of an op list depends on `L` (the kernels, `crate::lanes`,
//! are monomorphised over it) and is cached in the list's [`LaneLayout`]
//! (`crate::layout::NativeSlot`); batches that share a layout share it.

use crate::isa::Insn;
use crate::jit::{entry_params, host_module, word_addr};
use crate::layout::{LOp, LaneLayout, Test};
use cranelift_codegen::ir::{
    types::I64, AbiParam, InstBuilder, MemFlagsData, SigRef, Signature, Value,
};
use cranelift_frontend::{FunctionBuilder, FunctionBuilderContext};
use cranelift_jit::JITModule;
use cranelift_module::{Linkage, Module};
use std::any::Any;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, AtomicU8, Ordering};
use std::sync::Arc;

/// Ops per generated function: bounds code-generation time and register
/// pressure per function (bit words are reused within a function only).
const CHUNK: usize = 4096;

/// Evaluations of an op list (summed over every batch of its layout) after
/// which [`LaneJit::Auto`] compiles it, so that short runs do not pay for
/// code generation (a first guess, not yet tuned: see docs/simulator.md).
pub(crate) const AUTO_EVALS: u64 = 2_000;

/// Whether a lane batch runs native code.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum LaneJit {
    /// Compiled once the op list has been evaluated [`AUTO_EVALS`] times
    /// (over every batch sharing its layout), so short runs do not pay for
    /// compiling; then run only where it is faster than the interpreter
    /// (timed, [`LaneCode::pick`]).
    #[default]
    Auto,
    On,
    Off,
}

type ChunkFn = unsafe extern "C" fn(
    lanes: *mut u8,
    layout: *const LaneLayout,
    ops: *const LOp,
    bits: *mut u64,
);

/// A kernel: one op of its kind, over `Lanes<L>` (type-erased).
pub(crate) type Kernel =
    unsafe extern "C" fn(lanes: *mut u8, layout: *const LaneLayout, op: *const LOp);

/// Kinds of ops ([`kind`]).
pub(crate) const KINDS: usize = 58;

/// The kind of `op`: which kernel runs it.
pub(crate) fn kind(op: &LOp) -> usize {
    match op {
        LOp::Row(i) => match i {
            Insn::Add { .. } => 0,
            Insn::Sub { .. } => 1,
            Insn::Mul { .. } => 2,
            Insn::Udiv { .. } => 3,
            Insn::Urem { .. } => 4,
            Insn::Sdiv { .. } => 5,
            Insn::Srem { .. } => 6,
            Insn::And { .. } => 7,
            Insn::Or { .. } => 8,
            Insn::Xor { .. } => 9,
            Insn::Shl { .. } => 10,
            Insn::Lshr { .. } => 11,
            Insn::Ashr { .. } => 12,
            Insn::Eq { .. } => 13,
            Insn::Ne { .. } => 14,
            Insn::Ult { .. } => 15,
            Insn::Ule { .. } => 16,
            Insn::Slt { .. } => 17,
            Insn::Sle { .. } => 18,
            Insn::Not { .. } => 19,
            Insn::Neg { .. } => 20,
            Insn::RedAnd { .. } => 21,
            Insn::RedOr { .. } => 22,
            Insn::RedXor { .. } => 23,
            Insn::Mux { .. } => 24,
            Insn::Copy { .. } => 25,
            Insn::Slice { .. } => 26,
            Insn::Sext { .. } => 27,
            Insn::Concat { .. } => 28,
            Insn::MemRead { .. } => 29,
            Insn::AndI { .. } => 30,
            Insn::OrI { .. } => 31,
            Insn::XorI { .. } => 32,
            Insn::AddI { .. } => 33,
            Insn::EqI { .. } => 34,
            Insn::NeI { .. } => 35,
            Insn::ShlI { .. } => 36,
            Insn::SetI { .. } => 37,
            Insn::Wide(_) => 38,
        },
        LOp::MuxBits { .. } => 39,
        LOp::Pack { .. } => 40,
        LOp::Unpack { .. } => 41,
        LOp::Test { t, .. } => {
            42 + match t {
                Test::EqI { .. } => 0,
                Test::NeI { .. } => 1,
                Test::Eq { .. } => 2,
                Test::Ne { .. } => 3,
                Test::Ult { .. } => 4,
                Test::Ule { .. } => 5,
                Test::Bit { .. } => 6,
                Test::RedOr { .. } => 7,
                Test::RedAnd { .. } => 8,
            }
        }
        LOp::And { .. } => 51,
        LOp::Or { .. } => 52,
        LOp::Xor { .. } => 53,
        LOp::Xnor { .. } => 54,
        LOp::Not { .. } => 55,
        LOp::Mux { .. } => 56,
        LOp::Set { .. } => 57,
    }
}

/// Evaluations [`LaneJit::Auto`] times each way (native code, interpreter,
/// alternately) before it keeps the faster for the list.
pub(crate) const TRIAL_EVALS: u64 = 32;

/// Machine code for one op list of one layout at one lane count.
pub(crate) struct LaneCode {
    module: Option<JITModule>,
    chunks: Vec<ChunkFn>,
    /// Ops of the list it was compiled from (checked on every run).
    len: usize,
    /// What [`LaneJit::Auto`] runs ([`LaneCode::pick`]).
    choice: Choice,
}

/// [`LaneJit::Auto`]'s choice between the native code and the interpreter
/// for one list, made by timing both. Native code is not always the
/// faster: it spends tens of bytes of code per op where the interpreter
/// reads a 24-byte op, and once a large list's code no longer fits the
/// core's caches fetching it costs more than the dispatch it saves (the
/// 5,000-line benchmark design, 64 seeds: 2.37 s native, 1.97 s
/// interpreted; picorv32: 1.30 s native, 1.43 s interpreted). Where that
/// limit lies depends on the CPU, so it is measured, not guessed. Both
/// compute the same values; only speed depends on the choice.
#[derive(Default)]
struct Choice {
    /// Trial evaluations started (timed alternately, native first).
    evals: AtomicU64,
    /// Nanoseconds of the finished timed evaluations, each way.
    native_ns: AtomicU64,
    interp_ns: AtomicU64,
    /// Timed evaluations finished (both ways).
    timed: AtomicU64,
    /// 0 while undecided, then [`NATIVE`] or [`INTERP`].
    verdict: AtomicU8,
}

const NATIVE: u8 = 1;
const INTERP: u8 = 2;

/// How one evaluation runs ([`LaneCode::pick`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Pick {
    Native,
    Interpret,
    /// A trial evaluation: run it that way (`true`: native), time it and
    /// report the time with [`LaneCode::timed`].
    Time(bool),
}

// SAFETY: after `finalize_definitions` the code is immutable; the module is
// only kept to free that memory on drop, which needs `&mut self` (no other
// user can exist then).
unsafe impl Send for LaneCode {}
unsafe impl Sync for LaneCode {}

impl Drop for LaneCode {
    fn drop(&mut self) {
        if let Some(m) = self.module.take() {
            // SAFETY: the function pointers die with `self`.
            unsafe { m.free_memory() };
        }
    }
}

impl LaneCode {
    /// Compile `ops` (a list of a layout) for `Lanes<L>`; `None` when the
    /// host has no Cranelift back end or code generation fails (the
    /// interpreter then runs; it computes the same values).
    fn compile(ops: &[LOp], kernels: &[Kernel; KINDS]) -> Option<LaneCode> {
        let mut module = host_module()?;
        let ptr = module.target_config().pointer_type();
        let call_conv = module.target_config().default_call_conv;
        let mut ctx = module.make_context();
        let mut fctx = FunctionBuilderContext::new();
        let mut ids = Vec::new();
        let size = std::mem::size_of::<LOp>() as i64;
        for (n, chunk) in ops.chunks(CHUNK).enumerate() {
            for _ in 0..4 {
                ctx.func.signature.params.push(AbiParam::new(ptr));
            }
            let id = module
                .declare_function(&format!("lanes{n}"), Linkage::Local, &ctx.func.signature)
                .ok()?;
            {
                let mut b = FunctionBuilder::new(&mut ctx.func, &mut fctx);
                let p = entry_params(&mut b);
                let mut sig = Signature::new(call_conv);
                for _ in 0..3 {
                    sig.params.push(AbiParam::new(ptr));
                }
                let sig = b.import_signature(sig);
                let mut e = Emitter {
                    b,
                    flags: MemFlagsData::trusted(),
                    lanes: p[0],
                    layout: p[1],
                    ops: p[2],
                    bits: p[3],
                    ptr,
                    sig,
                    cache: HashMap::new(),
                };
                for (i, op) in chunk.iter().enumerate() {
                    let at = (n * CHUNK + i) as i64 * size;
                    e.op(op, at, kernels[kind(op)]);
                }
                e.b.ins().return_(&[]);
                e.b.finalize(module.target_config());
            }
            module.define_function(id, &mut ctx).ok()?;
            module.clear_context(&mut ctx);
            ids.push(id);
        }
        module.finalize_definitions().ok()?;
        let chunks = ids
            .into_iter()
            .map(|id| {
                let p = module.get_finalized_function(id);
                // SAFETY: generated with exactly this signature above.
                unsafe { std::mem::transmute::<*const u8, ChunkFn>(p) }
            })
            .collect();
        Some(LaneCode {
            module: Some(module),
            chunks,
            len: ops.len(),
            choice: Choice::default(),
        })
    }

    /// How the next evaluation of the list runs under `mode` (`On`: always
    /// native; `Auto`: one evaluation each way to warm up, then timed both
    /// ways over [`TRIAL_EVALS`] evaluations each, then the faster).
    pub(crate) fn pick(&self, mode: LaneJit) -> Pick {
        if mode != LaneJit::Auto {
            return Pick::Native;
        }
        let c = &self.choice;
        match c.verdict.load(Ordering::Relaxed) {
            NATIVE => return Pick::Native,
            INTERP => return Pick::Interpret,
            _ => {}
        }
        // One untimed evaluation each way first: the first run of fresh
        // code faults its pages in and fills caches, which is no part of
        // its speed.
        let n = c.evals.fetch_add(1, Ordering::Relaxed);
        if n < 2 {
            return [Pick::Native, Pick::Interpret][n as usize];
        }
        if n < 2 + 2 * TRIAL_EVALS {
            Pick::Time(n.is_multiple_of(2))
        } else {
            // Trials started but not all reported (another batch's):
            // native code meanwhile.
            Pick::Native
        }
    }

    /// Report a [`Pick::Time`] evaluation: it ran `native`ly (or not) in
    /// `ns` nanoseconds. The last report decides.
    pub(crate) fn timed(&self, native: bool, ns: u64) {
        let c = &self.choice;
        let sum = if native { &c.native_ns } else { &c.interp_ns };
        sum.fetch_add(ns, Ordering::Relaxed);
        if c.timed.fetch_add(1, Ordering::AcqRel) + 1 == 2 * TRIAL_EVALS {
            let (n, i) = (
                c.native_ns.load(Ordering::Relaxed),
                c.interp_ns.load(Ordering::Relaxed),
            );
            c.verdict
                .store(if n <= i { NATIVE } else { INTERP }, Ordering::Relaxed);
        }
    }

    /// Run the compiled list `ops` of `layout` over `lanes`.
    ///
    /// # Safety
    /// `self` was compiled from `ops`, a list of `layout`, with the kernels
    /// of `lanes`' type; `layout` is the layout of `*lanes`, `bits` its bit
    /// arena (at least `layout.bit_words` words). No reference into
    /// `*lanes` is live.
    pub(crate) unsafe fn run(
        &self,
        lanes: *mut u8,
        layout: &LaneLayout,
        ops: &[LOp],
        bits: *mut u64,
    ) {
        assert_eq!(ops.len(), self.len, "native code of another op list");
        for f in &self.chunks {
            // SAFETY: the caller's contract; the code reads and writes bit
            // words of `ops` only, and calls kernels with ops of `ops`.
            unsafe { f(lanes, layout, ops.as_ptr(), bits) };
        }
    }
}

/// The native code of `layout`'s list (`core`: `core_ops`, else `ops`)
/// for lanes of `lanes` lanes whose kernels are `kernels`: compiled once
/// per layout and lane count (`crate::layout::NativeSlot`) when `mode` asks for it,
/// `None` while `mode` says interpret (or where the host has no code
/// generator).
pub(crate) fn code(
    layout: &LaneLayout,
    core: bool,
    mode: LaneJit,
    lanes: usize,
    kernels: fn() -> [Kernel; KINDS],
) -> Option<Arc<LaneCode>> {
    let slot = &layout.native;
    match mode {
        LaneJit::Off => return None,
        LaneJit::Auto => {
            if slot.evals[core as usize].fetch_add(1, Ordering::Relaxed) < AUTO_EVALS {
                return None;
            }
        }
        LaneJit::On => {}
    }
    let mut codes = slot.code.lock().unwrap_or_else(|e| e.into_inner());
    let found = codes.iter().find(|(l, c, _)| *l == lanes && *c == core);
    let any = match found {
        Some((_, _, c)) => c.clone(),
        None => {
            let ops = if core { &layout.core_ops } else { &layout.ops };
            let c = LaneCode::compile(ops, &kernels())
                .map(|c| Arc::new(c) as Arc<dyn Any + Send + Sync>);
            codes.push((lanes, core, c.clone()));
            c
        }
    };
    any.and_then(|c| c.downcast::<LaneCode>().ok())
}

struct Emitter<'a> {
    b: FunctionBuilder<'a>,
    /// Aligned, non-trapping (every word is inside the bit arena).
    flags: MemFlagsData,
    lanes: Value,
    layout: Value,
    ops: Value,
    bits: Value,
    ptr: cranelift_codegen::ir::Type,
    sig: SigRef,
    /// Value of a bit word already loaded or computed in this function.
    cache: HashMap<u32, Value>,
}

impl Emitter<'_> {
    /// Address operand (base, offset) of bit word `w`.
    fn addr(&mut self, w: u32) -> (Value, i32) {
        word_addr(&mut self.b, self.bits, w)
    }

    fn get(&mut self, w: u32) -> Value {
        if let Some(&v) = self.cache.get(&w) {
            return v;
        }
        let (base, off) = self.addr(w);
        let v = self.b.ins().load(I64, self.flags, base, off);
        self.cache.insert(w, v);
        v
    }

    fn put(&mut self, w: u32, v: Value) {
        let (base, off) = self.addr(w);
        self.b.ins().store(self.flags, v, base, off);
        self.cache.insert(w, v);
    }

    /// `op`, at byte offset `at` of its list.
    fn op(&mut self, op: &LOp, at: i64, kernel: Kernel) {
        let (d, v) = match *op {
            LOp::And { d, a, b } => {
                let (x, y) = (self.get(a), self.get(b));
                (d, self.b.ins().band(x, y))
            }
            LOp::Or { d, a, b } => {
                let (x, y) = (self.get(a), self.get(b));
                (d, self.b.ins().bor(x, y))
            }
            LOp::Xor { d, a, b } => {
                let (x, y) = (self.get(a), self.get(b));
                (d, self.b.ins().bxor(x, y))
            }
            LOp::Xnor { d, a, b } => {
                let (x, y) = (self.get(a), self.get(b));
                let r = self.b.ins().bxor(x, y);
                (d, self.b.ins().bnot(r))
            }
            LOp::Not { d, a } => {
                let x = self.get(a);
                (d, self.b.ins().bnot(x))
            }
            LOp::Mux { d, s, t, f } => {
                let (s, t, f) = (self.get(s), self.get(t), self.get(f));
                let on = self.b.ins().band(t, s);
                let off = self.b.ins().band_not(f, s);
                (d, self.b.ins().bor(on, off))
            }
            LOp::Set { d, k } => (d, self.b.ins().iconst(I64, k as i64)),
            _ => {
                let f = self.b.ins().iconst(self.ptr, kernel as usize as i64);
                let o = self.b.ins().iadd_imm_s(self.ops, at);
                self.b
                    .ins()
                    .call_indirect(self.sig, f, &[self.lanes, self.layout, o]);
                // Bit words the kernel wrote are loaded again when read.
                if let LOp::Pack { d, .. } | LOp::Test { d, .. } = *op {
                    self.cache.remove(&d);
                }
                return;
            }
        };
        self.put(d, v);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    unsafe extern "C" fn nop(_: *mut u8, _: *const LaneLayout, _: *const LOp) {}

    /// Code for the empty list (`None` where the host has no back end).
    fn empty() -> Option<LaneCode> {
        LaneCode::compile(&[], &[nop as Kernel; KINDS])
    }

    /// Auto times each way alternately, then keeps the faster; On always
    /// runs native code.
    fn choice_follows_the_timing(native_ns: u64, interp_ns: u64, kept: Pick) {
        let Some(code) = empty() else { return };
        assert_eq!(code.pick(LaneJit::Auto), Pick::Native, "warm-up");
        assert_eq!(code.pick(LaneJit::Auto), Pick::Interpret, "warm-up");
        for n in 0..2 * TRIAL_EVALS {
            assert_eq!(code.pick(LaneJit::On), Pick::Native);
            let p = code.pick(LaneJit::Auto);
            assert_eq!(p, Pick::Time(n.is_multiple_of(2)), "trial {n}");
            let Pick::Time(native) = p else {
                unreachable!()
            };
            code.timed(native, if native { native_ns } else { interp_ns });
        }
        for _ in 0..3 {
            assert_eq!(code.pick(LaneJit::Auto), kept);
            assert_eq!(code.pick(LaneJit::On), Pick::Native);
        }
    }

    #[test]
    fn auto_keeps_the_interpreter_where_it_is_faster() {
        choice_follows_the_timing(300, 200, Pick::Interpret);
    }

    #[test]
    fn auto_keeps_native_code_where_it_is_faster() {
        choice_follows_the_timing(200, 300, Pick::Native);
    }

    /// Trials handed out but not yet reported (another batch's) run native
    /// code; the choice waits for every report.
    #[test]
    fn auto_decides_after_the_last_report() {
        let Some(code) = empty() else { return };
        for _ in 0..2 {
            code.pick(LaneJit::Auto);
        }
        let picks: Vec<Pick> = (0..2 * TRIAL_EVALS + 2)
            .map(|_| code.pick(LaneJit::Auto))
            .collect();
        assert_eq!(&picks[2 * TRIAL_EVALS as usize..], &[Pick::Native; 2]);
        for p in &picks[..2 * TRIAL_EVALS as usize - 1] {
            let Pick::Time(native) = *p else {
                panic!("{p:?}")
            };
            code.timed(native, if native { 10 } else { 1 });
        }
        assert_eq!(code.pick(LaneJit::Auto), Pick::Native, "undecided");
        code.timed(false, 1);
        assert_eq!(code.pick(LaneJit::Auto), Pick::Interpret);
    }
}
