//! Native code for the instruction loop (Cranelift).
//!
//! The interpreter in [`crate::engine`] decodes every instruction every
//! cycle; on designs made of many small operations (unrolled loops, CRCs)
//! that dispatch is most of the time, which Verilator avoids by compiling
//! the design to C++. Here the same flat instruction list is translated once
//! into straight-line machine code: every narrow instruction becomes a few
//! native operations on 64-bit registers, a value computed earlier in the
//! same function is reused from a register instead of reloaded, and every
//! result is still stored to its arena slot so that the rest of the engine
//! (stepping, properties, coverage, waveforms) reads the arena as before.
//! Wide (> 64-bit) instructions and memory reads call back into the
//! interpreter's own routines ([`crate::ops`]), so there is one implementation of their
//! semantics.
//!
//! The formulas are the interpreter's, operation for operation; the two are
//! compared on random designs in `sim/tests/lanes.rs` and on every
//! operator with constants in `sim/tests/immediates.rs`.

use crate::compile::Program;
use crate::engine::{Native, Sim};
use crate::isa::Insn;
use crate::ops::{eval_wide, mem_read, MemStore};
use crate::words::mask64;
use cranelift_codegen::ir::condcodes::IntCC;
use cranelift_codegen::ir::{types::I64, AbiParam, InstBuilder, MemFlagsData, Signature, Value};
use cranelift_codegen::settings::{self, Configurable};
use cranelift_frontend::{FunctionBuilder, FunctionBuilderContext};
use cranelift_jit::{JITBuilder, JITModule};
use cranelift_module::{default_libcall_names, Linkage, Module};
use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

/// Instructions per generated function: a bound on code-generation time and
/// register pressure per function (values are reused within a chunk only).
const CHUNK: usize = 2048;

/// What a generated function and the call-backs need besides the arena.
#[repr(C)]
pub(crate) struct Ctx {
    pub arena: *mut u64,
    pub len: usize,
    pub mems: *const MemStore,
    pub nmems: usize,
    pub prog: *const Program,
    /// Word storage of the memories read inline ([`inline_mems`]), by
    /// memory index; null for the others.
    pub mem_base: [*const u64; INLINE_MEMS],
}

/// Memories with an index below this can be read inline.
const INLINE_MEMS: usize = 16;

/// Per memory: whether generated code reads it inline (one word per entry,
/// stored densely: see `crate::engine::dense`) rather than calling back.
fn inline_mems(prog: &Program) -> Vec<bool> {
    prog.design
        .mems
        .iter()
        .enumerate()
        .map(|(i, m)| i < INLINE_MEMS && m.width <= 64 && m.depth >= 1 && crate::engine::dense(m))
        .collect()
}

type ChunkFn = unsafe extern "C" fn(arena: *mut u64, ctx: *mut Ctx);

/// The register moves of a clock edge (staged, direct), as `Sim::step`.
type StepFn = unsafe extern "C" fn(arena: *mut u64);

/// (next value, register) arena words, staged and direct
/// (`Program::staged_moves`, `Program::direct_moves`).
type EdgeMoves<'a> = (&'a [(u32, u32)], &'a [(u32, u32)]);

/// A code module for this host (`None` where Cranelift has no back end for
/// it), set up as all native code here is: optimised for speed, calls to
/// absolute addresses, and the IR verifier only in debug builds.
pub(crate) fn host_module() -> Option<JITModule> {
    let mut flags = settings::builder();
    flags.set("opt_level", "speed").ok()?;
    flags.set("use_colocated_libcalls", "false").ok()?;
    flags.set("is_pic", "false").ok()?;
    if !cfg!(debug_assertions) {
        flags.set("enable_verifier", "false").ok()?;
    }
    let isa = cranelift_native::builder()
        .ok()?
        .finish(settings::Flags::new(flags))
        .ok()?;
    Some(JITModule::new(JITBuilder::with_isa(
        isa,
        default_libcall_names(),
    )))
}

/// Open the entry block of the function `b` builds and return its
/// parameters (the function's).
pub(crate) fn entry_params(b: &mut FunctionBuilder) -> Vec<Value> {
    let block = b.create_block();
    b.append_block_params_for_function_params(block);
    b.switch_to_block(block);
    b.seal_block(block);
    b.block_params(block).to_vec()
}

/// Address operand (base, offset) of 64-bit word `word` of the array at
/// `base`: the offset goes into the load or store while it fits in 32 bits,
/// else it is added to the base.
pub(crate) fn word_addr(b: &mut FunctionBuilder, base: Value, word: u32) -> (Value, i32) {
    let off = word as i64 * 8;
    match i32::try_from(off) {
        Ok(o) => (base, o),
        Err(_) => (b.ins().iadd_imm_s(base, off), 0),
    }
}

/// Machine code for one instruction list.
pub(crate) struct JitCode {
    module: Option<JITModule>,
    chunks: Vec<ChunkFn>,
    step: StepFn,
    /// As [`inline_mems`] (checked against the stores at every run).
    inline: Vec<bool>,
}

// SAFETY: after `finalize_definitions` the code is immutable; the module is
// only kept to free that memory on drop, which needs `&mut self` (no other
// user can exist then).
unsafe impl Send for JitCode {}
unsafe impl Sync for JitCode {}

impl Drop for JitCode {
    fn drop(&mut self) {
        if let Some(m) = self.module.take() {
            // SAFETY: the function pointers die with `self`.
            unsafe { m.free_memory() };
        }
    }
}

impl JitCode {
    /// Compile `insns` of `prog`; `None` when the host has no Cranelift
    /// back end or code generation fails (the interpreter is then used; it
    /// computes the same values). Results are stored to the arena where
    /// `stored` says so (per arena word; `None`: every result).
    pub(crate) fn compile(
        prog: &Program,
        insns: &[Insn],
        stored: Option<&[bool]>,
        chunk: usize,
        (staged, direct): EdgeMoves,
    ) -> Option<JitCode> {
        let inline = inline_mems(prog);
        let mut module = host_module()?;
        let ptr = module.target_config().pointer_type();
        let mut ctx = module.make_context();
        let mut fctx = FunctionBuilderContext::new();
        let mut ids = Vec::new();
        for (n, chunk) in insns.chunks(chunk).enumerate() {
            ctx.func.signature.params.push(AbiParam::new(ptr));
            ctx.func.signature.params.push(AbiParam::new(ptr));
            let id = module
                .declare_function(&format!("chunk{n}"), Linkage::Local, &ctx.func.signature)
                .ok()?;
            {
                let mut b = FunctionBuilder::new(&mut ctx.func, &mut fctx);
                let p = entry_params(&mut b);
                let (arena, cx) = (p[0], p[1]);
                let call_conv = module.target_config().default_call_conv;
                let mut wide_sig = Signature::new(call_conv);
                wide_sig.params.push(AbiParam::new(ptr));
                wide_sig.params.push(AbiParam::new(I64));
                let mut mem_sig = wide_sig.clone();
                mem_sig.params.push(AbiParam::new(I64));
                mem_sig.returns.push(AbiParam::new(I64));
                let wide_sig = b.import_signature(wide_sig);
                let mem_sig = b.import_signature(mem_sig);
                let mut e = Emitter {
                    b,
                    flags: MemFlagsData::trusted(),
                    arena,
                    cx,
                    ptr,
                    wide_sig,
                    mem_sig,
                    cache: HashMap::new(),
                    stored,
                    inline: &inline,
                    bases: HashMap::new(),
                };
                for insn in chunk {
                    e.insn(prog, insn);
                }
                e.b.ins().return_(&[]);
                e.b.finalize(module.target_config());
            }
            module.define_function(id, &mut ctx).ok()?;
            module.clear_context(&mut ctx);
            ids.push(id);
        }
        let step_id = {
            ctx.func.signature.params.push(AbiParam::new(ptr));
            let id = module
                .declare_function("step", Linkage::Local, &ctx.func.signature)
                .ok()?;
            let mut b = FunctionBuilder::new(&mut ctx.func, &mut fctx);
            let arena = entry_params(&mut b)[0];
            let flags = MemFlagsData::trusted();
            let at = |b: &mut FunctionBuilder, slot: u32| word_addr(b, arena, slot);
            // Staged sources are registers: all read before any is written.
            let vals: Vec<Value> = staged
                .iter()
                .map(|&(next, _)| {
                    let (p, o) = at(&mut b, next);
                    b.ins().load(I64, flags, p, o)
                })
                .collect();
            for &(next, slot) in direct {
                let (p, o) = at(&mut b, next);
                let v = b.ins().load(I64, flags, p, o);
                let (p, o) = at(&mut b, slot);
                b.ins().store(flags, v, p, o);
            }
            for (&v, &(_, slot)) in vals.iter().zip(staged) {
                let (p, o) = at(&mut b, slot);
                b.ins().store(flags, v, p, o);
            }
            b.ins().return_(&[]);
            b.finalize(module.target_config());
            module.define_function(id, &mut ctx).ok()?;
            module.clear_context(&mut ctx);
            id
        };
        module.finalize_definitions().ok()?;
        let p = module.get_finalized_function(step_id);
        // SAFETY: generated with exactly this signature above.
        let step = unsafe { std::mem::transmute::<*const u8, StepFn>(p) };
        let chunks = ids
            .into_iter()
            .map(|id| {
                let p = module.get_finalized_function(id);
                // SAFETY: generated with exactly this signature above.
                unsafe { std::mem::transmute::<*const u8, ChunkFn>(p) }
            })
            .collect();
        Some(JitCode {
            module: Some(module),
            chunks,
            step,
            inline,
        })
    }

    /// The register moves of a clock edge over `arena` (the program's
    /// layout), as compiled.
    pub(crate) fn step(&self, prog: &Program, arena: &mut [u64]) {
        assert_eq!(arena.len(), prog.arena0.len(), "arena of another program");
        // SAFETY: the code only touches slots of `prog`'s arena.
        unsafe { (self.step)(arena.as_mut_ptr()) };
    }

    /// Run the compiled instructions over `arena` (the program's layout);
    /// false (nothing run) when a memory read inline is not stored as the
    /// code expects.
    #[must_use]
    pub(crate) fn run(&self, prog: &Program, arena: &mut [u64], mems: &[MemStore]) -> bool {
        assert_eq!(arena.len(), prog.arena0.len(), "arena of another program");
        assert_eq!(mems.len(), self.inline.len(), "memories of another program");
        let mut mem_base = [std::ptr::null(); INLINE_MEMS];
        for ((b, m), (&inl, info)) in mem_base
            .iter_mut()
            .zip(mems)
            .zip(self.inline.iter().zip(&prog.mems))
        {
            if inl {
                // The generated code reads word `addr < depth` of it.
                match m {
                    MemStore::Dense(v) if v.len() as u64 >= info.depth => *b = v.as_ptr(),
                    _ => return false,
                }
            }
        }
        let mut cx = Ctx {
            arena: arena.as_mut_ptr(),
            len: arena.len(),
            mems: mems.as_ptr(),
            nmems: mems.len(),
            prog,
            mem_base,
        };
        for f in &self.chunks {
            // SAFETY: the code only touches slots of `prog`'s arena (checked
            // length above) and calls back with `cx`, which outlives the call.
            unsafe { f(cx.arena, &mut cx) };
        }
        true
    }
}

/// The native code of one program: of every instruction and of the pruned
/// list ([`crate::prune::core`]), each compiled on first use.
pub(crate) struct NativeCode {
    full: OnceLock<Option<JitCode>>,
    core: OnceLock<Option<JitCode>>,
    /// Instructions per generated function ([`CHUNK`]; tests use small
    /// chunks so that values cross functions).
    chunk: usize,
}

impl Default for NativeCode {
    fn default() -> NativeCode {
        NativeCode::with_chunk(CHUNK)
    }
}

impl NativeCode {
    fn with_chunk(chunk: usize) -> NativeCode {
        NativeCode {
            full: OnceLock::new(),
            core: OnceLock::new(),
            chunk: chunk.max(1),
        }
    }

    /// The code of every instruction of `prog` (with `core`, of the pruned
    /// list), compiled on first use; `None` where the host has no code
    /// generator. Always call it with the same program.
    fn code(&self, prog: &Program, core: bool) -> Option<&JitCode> {
        if core {
            self.core
                .get_or_init(|| {
                    let insns = crate::prune::core(&prog.design, &prog.insns, &prog.insn_node);
                    let stored = observed_slots(prog, &insns, self.chunk);
                    let (staged, direct) = crate::prune::live_moves(prog);
                    JitCode::compile(prog, &insns, Some(&stored), self.chunk, (&staged, &direct))
                })
                .as_ref()
        } else {
            self.full
                .get_or_init(|| {
                    let moves = (&prog.staged_moves[..], &prog.direct_moves[..]);
                    JitCode::compile(prog, &prog.insns, None, self.chunk, moves)
                })
                .as_ref()
        }
    }
}

impl Native for NativeCode {
    fn run(&self, prog: &Program, core: bool, arena: &mut [u64], mems: &[MemStore]) -> bool {
        match self.code(prog, core) {
            Some(code) => code.run(prog, arena, mems),
            None => false,
        }
    }

    fn step(&self, prog: &Program, core: bool, arena: &mut [u64]) -> bool {
        match self.code(prog, core) {
            Some(code) => {
                code.step(prog, arena);
                true
            }
            None => false,
        }
    }
}

impl Sim {
    /// Use native code for [`Sim::eval`] and [`Sim::eval_core`], compiled
    /// on first use and shared with this simulation's clones (`set_jit(true)`
    /// again keeps the code already compiled). It computes exactly what the
    /// interpreter computes; where the host has no code generator the
    /// interpreter runs instead.
    pub fn set_jit(&mut self, on: bool) {
        let native = match (on, self.native()) {
            (false, _) => None,
            (true, Some(n)) => Some(Arc::clone(n)),
            (true, None) => Some(Arc::new(NativeCode::default()) as Arc<dyn Native>),
        };
        self.set_native(native);
    }

    /// As `set_jit(true)`, with `insns` instructions per generated function
    /// instead of 2048: for tests of values that cross functions.
    #[doc(hidden)]
    pub fn set_jit_chunk(&mut self, insns: usize) {
        self.set_native(Some(Arc::new(NativeCode::with_chunk(insns))));
    }
}

/// Per arena word: whether the pruned code ([`crate::prune::core`], run by
/// `Sim::eval_core`) must store it. What the rest of the engine reads after
/// such a run: register next values (the clock edge), memory write ports,
/// properties and outputs; and what the code itself reads from the arena
/// rather than from a register: wide instructions' operands (the call-back
/// reads them there) and values used in a later chunk. Other results are
/// temporaries, held in machine registers only (their slots keep stale
/// values).
fn observed_slots(prog: &Program, insns: &[Insn], chunk: usize) -> Vec<bool> {
    let d = &prog.design;
    let mut keep = vec![false; prog.arena0.len()];
    let node = |keep: &mut Vec<bool>, id: ir::NodeId| {
        let s = prog.slot[id.index()] as usize;
        let n = crate::words::nwords(d.nodes[id.index()].width);
        keep[s..s + n].fill(true);
    };
    for id in crate::prune::observed_roots(d) {
        node(&mut keep, id);
    }
    // The chunk each slot is computed in.
    let mut def = vec![u32::MAX; prog.arena0.len()];
    for (i, insn) in insns.iter().enumerate() {
        let chunk = (i / chunk) as u32;
        reads(prog, insn, |s, arena| {
            let s = s as usize;
            if arena || (def[s] != u32::MAX && def[s] != chunk) {
                keep[s] = true;
            }
        });
        if let Some(dst) = dest(insn) {
            def[dst as usize] = chunk;
        }
    }
    keep
}

/// The result slot of a narrow instruction (a wide one writes the arena
/// itself).
fn dest(insn: &Insn) -> Option<u32> {
    if matches!(insn, Insn::Wide(_)) {
        return None;
    }
    let d = std::cell::Cell::new(None);
    // `map_slots` maps the result slot first.
    insn.map_slots(|s| {
        if d.get().is_none() {
            d.set(Some(s));
        }
        s
    });
    d.get()
}

/// Calls `f(slot, from_arena)` for every arena word `insn` reads;
/// `from_arena` when the generated code reads it from the arena whatever
/// computed it (wide operands).
fn reads(prog: &Program, insn: &Insn, mut f: impl FnMut(u32, bool)) {
    match *insn {
        Insn::Wide(i) => {
            for a in &prog.wides[i as usize].args {
                for k in 0..crate::words::nwords(a.width) as u32 {
                    f(a.slot + k, true);
                }
            }
        }
        Insn::Concat { start, len, .. } => {
            for &(s, _) in &prog.parts[start as usize..(start + len) as usize] {
                f(s, false);
            }
        }
        _ => {
            let all = std::cell::RefCell::new(Vec::new());
            insn.map_slots(|s| {
                all.borrow_mut().push(s);
                s
            });
            // The first is the result.
            for s in all.into_inner().into_iter().skip(1) {
                f(s, false);
            }
        }
    }
}

/// Call-back for a wide instruction: the interpreter's routine.
extern "C" fn wide_helper(cx: *mut Ctx, idx: u64) {
    // SAFETY: `cx` is the live context of `JitCode::run`; the generated code
    // holds no reference into the arena across the call.
    let cx = unsafe { &*cx };
    let arena = unsafe { std::slice::from_raw_parts_mut(cx.arena, cx.len) };
    let mems = unsafe { std::slice::from_raw_parts(cx.mems, cx.nmems) };
    let prog = unsafe { &*cx.prog };
    eval_wide(&prog.wides[idx as usize], arena, mems, &prog.mems);
}

/// Call-back for a narrow memory read.
extern "C" fn mem_helper(cx: *mut Ctx, mem: u64, addr: u64) -> u64 {
    // SAFETY: as in `wide_helper`.
    let cx = unsafe { &*cx };
    let mems = unsafe { std::slice::from_raw_parts(cx.mems, cx.nmems) };
    let prog = unsafe { &*cx.prog };
    let mut d = [0u64];
    mem_read(&mems[mem as usize], &prog.mems[mem as usize], addr, &mut d);
    d[0]
}

struct Emitter<'a> {
    b: FunctionBuilder<'a>,
    /// Aligned, non-trapping (every slot is inside the arena).
    flags: MemFlagsData,
    arena: Value,
    cx: Value,
    ptr: cranelift_codegen::ir::Type,
    wide_sig: cranelift_codegen::ir::SigRef,
    mem_sig: cranelift_codegen::ir::SigRef,
    /// Value of an arena slot already loaded or computed in this function.
    cache: HashMap<u32, Value>,
    /// Which results to store (`None`: all); see [`observed_slots`].
    stored: Option<&'a [bool]>,
    /// Memories read inline ([`inline_mems`]).
    inline: &'a [bool],
    /// Base address of an inline memory, loaded in this function.
    bases: HashMap<u32, Value>,
}

impl Emitter<'_> {
    /// Address operand (base, offset) of arena word `slot`.
    fn addr(&mut self, slot: u32) -> (Value, i32) {
        word_addr(&mut self.b, self.arena, slot)
    }

    fn get(&mut self, slot: u32) -> Value {
        if let Some(&v) = self.cache.get(&slot) {
            return v;
        }
        let (base, off) = self.addr(slot);
        let v = self.b.ins().load(I64, self.flags, base, off);
        self.cache.insert(slot, v);
        v
    }

    fn put(&mut self, slot: u32, v: Value) {
        if self.stored.is_none_or(|k| k[slot as usize]) {
            let (base, off) = self.addr(slot);
            self.b.ins().store(self.flags, v, base, off);
        }
        self.cache.insert(slot, v);
    }

    /// Word `addr` of an inline memory of depth `depth`, 0 out of range
    /// (`crate::ops::mem_read`): a bounds check and a load.
    fn read_inline(&mut self, mem: u32, depth: u64, addr: Value) -> Value {
        let base = match self.bases.get(&mem) {
            Some(&b) => b,
            None => {
                let off = std::mem::offset_of!(Ctx, mem_base) + mem as usize * 8;
                let b = self.b.ins().load(self.ptr, self.flags, self.cx, off as i32);
                self.bases.insert(mem, b);
                b
            }
        };
        let depth = self.k(depth);
        let inb = self.b.ins().icmp(IntCC::UnsignedLessThan, addr, depth);
        let z = self.k(0);
        let idx = self.b.ins().select(inb, addr, z);
        let off = self.b.ins().ishl_imm_s(idx, 3);
        let p = self.b.ins().iadd(base, off);
        // Slot 0 of a memory of depth >= 1 always exists.
        let w = self.b.ins().load(I64, self.flags, p, 0);
        self.b.ins().select(inb, w, z)
    }

    fn k(&mut self, k: u64) -> Value {
        self.b.ins().iconst(I64, k as i64)
    }

    fn mask(&mut self, v: Value, m: u64) -> Value {
        if m == u64::MAX {
            v
        } else {
            self.b.ins().band_imm_s(v, m as i64)
        }
    }

    /// Sign-extend the low `w` bits to 64 (the interpreter's `sx`).
    fn sx(&mut self, v: Value, w: u32) -> Value {
        if w >= 64 {
            return v;
        }
        let sh = (64 - w) as i64;
        let t = self.b.ins().ishl_imm_s(v, sh);
        self.b.ins().sshr_imm_s(t, sh)
    }

    fn flag(&mut self, c: Value) -> Value {
        self.b.ins().uextend(I64, c)
    }

    fn cmp(&mut self, cc: IntCC, a: u32, b: u32) -> Value {
        let (x, y) = (self.get(a), self.get(b));
        let c = self.b.ins().icmp(cc, x, y);
        self.flag(c)
    }

    fn cmp_signed(&mut self, cc: IntCC, a: u32, b: u32, w: u32) -> Value {
        let (x, y) = (self.get(a), self.get(b));
        let (x, y) = (self.sx(x, w), self.sx(y, w));
        let c = self.b.ins().icmp(cc, x, y);
        self.flag(c)
    }

    /// Unsigned division or remainder, 0 when dividing by 0.
    fn udivrem(&mut self, a: u32, b: u32, rem: bool) -> Value {
        let (x, y) = (self.get(a), self.get(b));
        let zero = self.b.ins().icmp_imm_s(IntCC::Equal, y, 0);
        let one = self.k(1);
        let ys = self.b.ins().select(zero, one, y);
        let q = if rem {
            self.b.ins().urem(x, ys)
        } else {
            self.b.ins().udiv(x, ys)
        };
        let z = self.k(0);
        self.b.ins().select(zero, z, q)
    }

    /// Signed division or remainder of `w`-bit operands: 0 when dividing by
    /// 0, wrapping (`MIN / -1 = MIN`, remainder 0) as the interpreter's
    /// `wrapping_div`; the native instruction would trap on both.
    fn sdivrem(&mut self, a: u32, b: u32, w: u32, rem: bool) -> Value {
        let (x, y) = (self.get(a), self.get(b));
        let (x, y) = (self.sx(x, w), self.sx(y, w));
        let zero = self.b.ins().icmp_imm_s(IntCC::Equal, y, 0);
        let m1 = self.b.ins().icmp_imm_s(IntCC::Equal, y, -1);
        let bad = self.b.ins().bor(zero, m1);
        let one = self.k(1);
        let ys = self.b.ins().select(bad, one, y);
        let z = self.k(0);
        let r = if rem {
            let r = self.b.ins().srem(x, ys);
            self.b.ins().select(m1, z, r)
        } else {
            let q = self.b.ins().sdiv(x, ys);
            let n = self.b.ins().ineg(x);
            self.b.ins().select(m1, n, q)
        };
        let r = self.b.ins().select(zero, z, r);
        self.mask(r, mask64(w))
    }

    /// Shift by a variable amount: 0 when the amount is at least `w`.
    fn shift(&mut self, a: u32, b: u32, w: u32, left: bool) -> Value {
        let (x, sh) = (self.get(a), self.get(b));
        let r = if left {
            let r = self.b.ins().ishl(x, sh);
            self.mask(r, mask64(w))
        } else {
            self.b.ins().ushr(x, sh)
        };
        let big = self
            .b
            .ins()
            .icmp_imm_s(IntCC::UnsignedGreaterThanOrEqual, sh, w as i64);
        let z = self.k(0);
        self.b.ins().select(big, z, r)
    }

    fn call_wide(&mut self, idx: u32) {
        let f = self
            .b
            .ins()
            .iconst(self.ptr, wide_helper as *const () as usize as i64);
        let i = self.k(idx as u64);
        self.b.ins().call_indirect(self.wide_sig, f, &[self.cx, i]);
    }

    fn call_mem(&mut self, mem: u32, addr: Value) -> Value {
        let f = self
            .b
            .ins()
            .iconst(self.ptr, mem_helper as *const () as usize as i64);
        let m = self.k(mem as u64);
        let call = self
            .b
            .ins()
            .call_indirect(self.mem_sig, f, &[self.cx, m, addr]);
        self.b.inst_results(call)[0]
    }

    fn insn(&mut self, prog: &Program, insn: &Insn) {
        let (d, v) = match *insn {
            Insn::Add { d, a, b, m } => {
                let (x, y) = (self.get(a), self.get(b));
                let r = self.b.ins().iadd(x, y);
                (d, self.mask(r, m))
            }
            Insn::Sub { d, a, b, m } => {
                let (x, y) = (self.get(a), self.get(b));
                let r = self.b.ins().isub(x, y);
                (d, self.mask(r, m))
            }
            Insn::Mul { d, a, b, m } => {
                let (x, y) = (self.get(a), self.get(b));
                let r = self.b.ins().imul(x, y);
                (d, self.mask(r, m))
            }
            Insn::Udiv { d, a, b } => (d, self.udivrem(a, b, false)),
            Insn::Urem { d, a, b } => (d, self.udivrem(a, b, true)),
            Insn::Sdiv { d, a, b, w } => (d, self.sdivrem(a, b, w, false)),
            Insn::Srem { d, a, b, w } => (d, self.sdivrem(a, b, w, true)),
            Insn::And { d, a, b } => {
                let (x, y) = (self.get(a), self.get(b));
                (d, self.b.ins().band(x, y))
            }
            Insn::Or { d, a, b } => {
                let (x, y) = (self.get(a), self.get(b));
                (d, self.b.ins().bor(x, y))
            }
            Insn::Xor { d, a, b } => {
                let (x, y) = (self.get(a), self.get(b));
                (d, self.b.ins().bxor(x, y))
            }
            Insn::Shl { d, a, b, w } => (d, self.shift(a, b, w, true)),
            Insn::Lshr { d, a, b, w } => (d, self.shift(a, b, w, false)),
            Insn::Ashr { d, a, b, w } => {
                let (x, sh) = (self.get(a), self.get(b));
                let max = self.k(63);
                let sh = self.b.ins().umin(sh, max);
                let x = self.sx(x, w);
                let r = self.b.ins().sshr(x, sh);
                (d, self.mask(r, mask64(w)))
            }
            Insn::Eq { d, a, b } => (d, self.cmp(IntCC::Equal, a, b)),
            Insn::Ne { d, a, b } => (d, self.cmp(IntCC::NotEqual, a, b)),
            Insn::Ult { d, a, b } => (d, self.cmp(IntCC::UnsignedLessThan, a, b)),
            Insn::Ule { d, a, b } => (d, self.cmp(IntCC::UnsignedLessThanOrEqual, a, b)),
            Insn::Slt { d, a, b, w } => (d, self.cmp_signed(IntCC::SignedLessThan, a, b, w)),
            Insn::Sle { d, a, b, w } => (d, self.cmp_signed(IntCC::SignedLessThanOrEqual, a, b, w)),
            Insn::Not { d, a, m } => {
                let x = self.get(a);
                let r = self.b.ins().bnot(x);
                (d, self.mask(r, m))
            }
            Insn::Neg { d, a, m } => {
                let x = self.get(a);
                let r = self.b.ins().ineg(x);
                (d, self.mask(r, m))
            }
            Insn::RedAnd { d, a, m } => {
                let x = self.get(a);
                let c = self.b.ins().icmp_imm_s(IntCC::Equal, x, m as i64);
                (d, self.flag(c))
            }
            Insn::RedOr { d, a } => {
                let x = self.get(a);
                let c = self.b.ins().icmp_imm_s(IntCC::NotEqual, x, 0);
                (d, self.flag(c))
            }
            Insn::RedXor { d, a } => {
                let x = self.get(a);
                let p = self.b.ins().popcnt(x);
                (d, self.b.ins().band_imm_s(p, 1))
            }
            Insn::Mux { d, s, t, f } => {
                let sel = self.get(s);
                let bit = self.b.ins().band_imm_s(sel, 1);
                let (x, y) = (self.get(t), self.get(f));
                (d, self.b.ins().select(bit, x, y))
            }
            Insn::Copy { d, a } => (d, self.get(a)),
            Insn::Slice { d, a, lo, m } => {
                let x = self.get(a);
                let r = self.b.ins().ushr_imm_s(x, lo as i64);
                (d, self.mask(r, m))
            }
            Insn::Sext { d, a, w, m } => {
                let x = self.get(a);
                let r = self.sx(x, w);
                (d, self.mask(r, m))
            }
            Insn::Concat { d, start, len } => {
                let mut acc: Option<Value> = None;
                for &(s, w) in &prog.parts[start as usize..(start + len) as usize] {
                    let x = self.get(s);
                    acc = Some(match acc {
                        // `acc << 64` is 0 in the interpreter (checked_shl).
                        Some(_) if w >= 64 => x,
                        Some(a) => {
                            let t = self.b.ins().ishl_imm_s(a, w as i64);
                            self.b.ins().bor(t, x)
                        }
                        None => x,
                    });
                }
                let v = match acc {
                    Some(v) => v,
                    None => self.k(0),
                };
                (d, v)
            }
            Insn::MemRead { d, mem, addr } => {
                let a = self.get(addr);
                if self.inline[mem as usize] {
                    (d, self.read_inline(mem, prog.mems[mem as usize].depth, a))
                } else {
                    (d, self.call_mem(mem, a))
                }
            }
            Insn::AndI { d, a, k } => {
                let x = self.get(a);
                (d, self.b.ins().band_imm_s(x, k as i64))
            }
            Insn::OrI { d, a, k } => {
                let x = self.get(a);
                (d, self.b.ins().bor_imm_s(x, k as i64))
            }
            Insn::XorI { d, a, k } => {
                let x = self.get(a);
                (d, self.b.ins().bxor_imm_s(x, k as i64))
            }
            Insn::AddI { d, a, k, m } => {
                let x = self.get(a);
                let r = self.b.ins().iadd_imm_s(x, k as i64);
                (d, self.mask(r, m))
            }
            Insn::EqI { d, a, k } => {
                let x = self.get(a);
                let c = self.b.ins().icmp_imm_s(IntCC::Equal, x, k as i64);
                (d, self.flag(c))
            }
            Insn::NeI { d, a, k } => {
                let x = self.get(a);
                let c = self.b.ins().icmp_imm_s(IntCC::NotEqual, x, k as i64);
                (d, self.flag(c))
            }
            Insn::ShlI { d, a, sh, m } => {
                let x = self.get(a);
                let r = self.b.ins().ishl_imm_s(x, sh as i64);
                (d, self.mask(r, m))
            }
            Insn::SetI { d, k } => (d, self.k(k)),
            Insn::Wide(i) => {
                // The call-back reads its operands from the arena (always
                // stored: `observed_slots`) and writes its result there;
                // the result slots were never read in this function.
                self.call_wide(i);
                return;
            }
        };
        self.put(d, v);
    }
}

#[cfg(test)]
mod tests {
    use super::NativeCode;
    use crate::compile::Program;
    use crate::engine::{InitMode, Sim};
    use ir::builder::Builder;
    use ir::BinOp;
    use ir::{Bits, Span};
    use std::sync::Arc;

    /// On the hosts we build for, native code is really generated (the
    /// engine would otherwise fall back to the interpreter without a word,
    /// and every JIT-vs-interpreter test would compare the interpreter with
    /// itself).
    #[test]
    #[cfg(any(target_arch = "x86_64", target_arch = "aarch64"))]
    fn native_code_is_generated_and_runs() {
        let mut b = Builder::new("t");
        b.set_clock("clk");
        let x = b.input("x", 8, false, Span::NONE);
        let y = b.input("y", 8, false, Span::NONE);
        let s = b.binary(BinOp::Add, x, y);
        let q = b.binary(BinOp::Udiv, x, y);
        b.output("s", s, false, Span::NONE);
        b.output("q", q, false, Span::NONE);
        let d = b.finish().unwrap();
        let prog = Arc::new(Program::compile(&d).unwrap());
        let code = NativeCode::default();
        assert!(code.code(&prog, true).is_some() && code.code(&prog, false).is_some());
        let mut sim = Sim::new(prog, 0, InitMode::Zero);
        sim.set_jit(true);
        sim.set_inputs(&[Bits::from_u64(8, 200), Bits::from_u64(8, 100)]);
        sim.eval();
        assert_eq!(sim.get(s), Bits::from_u64(8, 44));
        assert_eq!(sim.get(q), Bits::from_u64(8, 2));
        sim.set_inputs(&[Bits::from_u64(8, 7), Bits::from_u64(8, 0)]);
        sim.eval_core();
        assert_eq!(sim.get(q), Bits::from_u64(8, 0), "x / 0 = 0");
    }
}
