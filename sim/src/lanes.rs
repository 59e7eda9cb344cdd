//! Lane-batched simulation: `L` independent simulations (one per seed) of
//! the same program, run in lock step. Every arena word holds `L` lanes
//! side by side (`[u64; L]`), so one instruction is decoded once and then
//! evaluated over all lanes in a loop the compiler vectorises. This is what
//! makes many-seed runs cheap on one core: the interpreter's dispatch cost
//! is paid once per `L` seeds.
//!
//! Results are bit-identical to the scalar [`Sim`]: each lane starts from a
//! fresh `Sim::new(seed)` (same random init), narrow instructions compute
//! exactly the scalar formulas, and wide instructions and memories run the
//! scalar code lane by lane.

use crate::compile::Program;
use crate::coverage::{LaneSource, SimView};
use crate::engine::{InitMode, Sim};
use crate::isa::{Arg, Insn, Wide, WideOp};
use crate::lane_jit::{kind, Kernel, LaneCode, LaneJit, Pick, KINDS};
use crate::layout::{LOp, LaneLayout, Test};
use crate::ops::{eval_wide, mem_read, mem_write, sx, MemStore};
use crate::words::{self, mask64, nwords};
use ir::Bits;
use ir::NodeId;
use std::sync::Arc;

/// A wide instruction rewritten over a small per-lane scratch arena: its
/// operands are gathered into `scratch[..d]`, the result lands at `d`.
struct LocalWide {
    wide: Wide,
    /// Arena slots of the operands (same order as `wide.args`).
    srcs: Vec<Arg>,
    /// Arena slot of the result.
    dst: u32,
}

/// One lane's registers and memories at a cycle ([`Lanes::capture`]).
#[derive(Clone, Default)]
pub struct LaneState {
    /// The kept register words, then the words of the memories kept as
    /// rows.
    words: Vec<u64>,
    /// The other memories.
    mems: Vec<MemStore>,
    cycle: u64,
}

/// `L` simulations of one program in lock step (see the module doc).
pub struct Lanes<const L: usize> {
    prog: Arc<Program>,
    /// Where each value lives in `vals` and the instructions over it.
    layout: Arc<LaneLayout>,
    /// Lanes actually used (`1..=L`); lanes above hold a copy of the last seed.
    used: usize,
    vals: Vec<[u64; L]>,
    /// Per lane, per memory (memories in `rows` are stale here).
    mems: Vec<Vec<MemStore>>,
    /// Per memory: its words lane by lane (`rows[addr][lane]`), for the
    /// dense memories of at most 64 bits no wide instruction reads; a read
    /// is then one row lookup per lane instead of a call per lane.
    rows: Vec<Option<Vec<[u64; L]>>>,
    staging: Vec<[u64; L]>,
    /// The bit arena of packed one-bit values (`crate::layout::LOp`): bit
    /// `l` of a word is lane `l`.
    bits: Vec<u64>,
    /// The lane-local form of each wide instruction (`Program::wides`).
    wides: Vec<LocalWide>,
    scratch: Vec<u64>,
    /// (scalar arena word, lane arena row) of every register word the
    /// layout keeps ([`Lanes::capture`]).
    reg_rows: Vec<(u32, u32)>,
    cycle: u64,
    /// When the op lists run as native code (`crate::lane_jit`), and that
    /// code once fetched (`ops`, `core_ops`).
    jit: LaneJit,
    native: [Option<Arc<LaneCode>>; 2],
    /// The bit arena holds what the last [`Lanes::eval`] computed (the
    /// words `LaneLayout::bit_of` names agree with their rows): not after
    /// [`Lanes::eval_core`] (other words) or a [`Lanes::load`].
    bits_fresh: bool,
}

// Both helpers work element by element in place: copying the operand rows
// out first (`let x = v[a]`) cost a 512-byte memmove per operand at L = 64,
// about a tenth of a 64-seed run (perf). In place is still right when `d`
// is also an operand: lane `l` is read before it is written.
#[inline(always)]
#[allow(clippy::needless_range_loop)] // rows d and a are both indexed by lane
fn map1<const L: usize>(v: &mut [[u64; L]], d: u32, a: u32, f: impl Fn(u64) -> u64) {
    let (d, a) = (d as usize, a as usize);
    assert!(d < v.len() && a < v.len());
    for l in 0..L {
        v[d][l] = f(v[a][l]);
    }
}

#[inline(always)]
#[allow(clippy::needless_range_loop)] // rows d, a and b are all indexed by lane
fn map2<const L: usize>(v: &mut [[u64; L]], d: u32, a: u32, b: u32, f: impl Fn(u64, u64) -> u64) {
    let (d, a, b) = (d as usize, a as usize, b as usize);
    assert!(d < v.len() && a < v.len() && b < v.len());
    for l in 0..L {
        v[d][l] = f(v[a][l], v[b][l]);
    }
}

/// `f` of every lane of row `a`, as a mask (bit `l` = lane `l`; L <= 64).
#[inline(always)]
fn test1<const L: usize>(v: &[[u64; L]], a: u32, f: impl Fn(u64) -> bool) -> u64 {
    let mut m = 0u64;
    for (l, &x) in v[a as usize].iter().enumerate() {
        m |= (f(x) as u64) << l;
    }
    m
}

/// `f` of every lane of rows `a` and `b`, as a mask.
#[inline(always)]
#[allow(clippy::needless_range_loop)] // rows a and b are both indexed by lane
fn test2<const L: usize>(v: &[[u64; L]], a: u32, b: u32, f: impl Fn(u64, u64) -> bool) -> u64 {
    let (ra, rb) = (&v[a as usize], &v[b as usize]);
    let mut m = 0u64;
    for l in 0..L {
        m |= (f(ra[l], rb[l]) as u64) << l;
    }
    m
}

/// Bit 0 of every lane of an arena row, as a mask (bit `l` = lane `l`; L <= 64).
fn bit0_mask<const L: usize>(row: &[u64; L]) -> u64 {
    let mut m = 0u64;
    for (l, x) in row.iter().enumerate().take(64) {
        m |= (x & 1) << l;
    }
    m
}

/// [`bit0_mask`] four lanes at a time (`L` a multiple of 4): coverage
/// reads a mask per branch and property every cycle, and the lane loop,
/// compiled without AVX2, was most of that.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
unsafe fn bit0_mask_avx2<const L: usize>(row: &[u64; L]) -> u64 {
    use std::arch::x86_64::{
        __m256i, _mm256_castsi256_pd, _mm256_loadu_si256, _mm256_movemask_pd, _mm256_slli_epi64,
    };
    let mut m = 0u64;
    for (i, c) in row.chunks_exact(4).take(16).enumerate() {
        // SAFETY: `c` is four u64 (32 bytes); the load is unaligned.
        let v = unsafe { _mm256_loadu_si256(c.as_ptr().cast::<__m256i>()) };
        let b = _mm256_movemask_pd(_mm256_castsi256_pd(_mm256_slli_epi64::<63>(v)));
        m |= (b as u64) << (4 * i);
    }
    m
}

impl<const L: usize> Lanes<L> {
    /// Fresh simulations at cycle 0, lane `i` seeded with `seeds[i]`
    /// (1 to `L` seeds; unused lanes repeat the last seed). Every node's
    /// value can be read after [`Lanes::eval`].
    ///
    /// # Panics
    /// When `seeds` is empty or longer than `L` (a caller bug).
    pub fn new(prog: Arc<Program>, seeds: &[u64], init: InitMode) -> Lanes<L> {
        let layout = Arc::new(LaneLayout::full(&prog));
        Self::with_layout(prog, layout, seeds, init)
    }

    /// As [`Lanes::new`], over the compact layout (`crate::layout`): only
    /// inputs, registers, constants, outputs, properties, memory write ports
    /// and (with `coverage`) branch conditions can be read; everything else
    /// is a temporary whose slot is reused. Without `coverage`, [`Lanes::eval`]
    /// is [`Lanes::eval_core`], and registers that nothing observed reads
    /// (`crate::prune::live`) are neither computed nor readable. The same results in a fraction of the
    /// memory, which on large designs keeps a batch in the core's caches.
    ///
    /// # Panics
    /// As [`Lanes::new`].
    pub fn compact(prog: Arc<Program>, seeds: &[u64], init: InitMode, coverage: bool) -> Lanes<L> {
        let layout = LaneLayout::compact_shared(&prog, coverage);
        Self::with_layout(prog, layout, seeds, init)
    }

    /// As [`Lanes::new`], over `layout`, a layout of `prog` (a caller that
    /// makes many batches makes the layout once).
    pub(crate) fn with_layout(
        prog: Arc<Program>,
        layout: Arc<LaneLayout>,
        seeds: &[u64],
        init: InitMode,
    ) -> Lanes<L> {
        assert!(!seeds.is_empty() && seeds.len() <= L, "1..=L seeds");
        let mut arenas = Vec::with_capacity(L);
        let mut mems = Vec::with_capacity(L);
        for l in 0..L {
            let seed = seeds[l.min(seeds.len() - 1)];
            let (arena, m) = Sim::new(Arc::clone(&prog), seed, init).into_parts();
            arenas.push(arena);
            mems.push(m);
        }
        let mut lanes = Self::assemble(prog, layout, mems, seeds.len());
        for (l, arena) in arenas.iter().enumerate() {
            lanes.load_arena(l, arena);
        }
        lanes
    }

    /// Lanes over `layout` with memories `mems` (one list per lane) and
    /// every arena word zero ([`Lanes::load_arena`] fills them).
    fn assemble(
        prog: Arc<Program>,
        layout: Arc<LaneLayout>,
        mems: Vec<Vec<MemStore>>,
        used: usize,
    ) -> Lanes<L> {
        let vals = vec![[0u64; L]; layout.words];
        let rows = lane_rows(&prog, &layout, &mems);
        let wides = layout
            .wides
            .iter()
            .map(|(w, srcs, dst)| {
                let mut off = 0u32;
                let args = w
                    .args
                    .iter()
                    .map(|a| {
                        let slot = off;
                        off += nwords(a.width) as u32;
                        Arg {
                            slot,
                            width: a.width,
                        }
                    })
                    .collect();
                LocalWide {
                    wide: Wide {
                        op: w.op.clone(),
                        d: off,
                        width: w.width,
                        args,
                    },
                    srcs: srcs.clone(),
                    dst: *dst,
                }
            })
            .collect();
        let staging = vec![[0u64; L]; layout.staged_moves.len()];
        let bits = vec![0; layout.bit_words];
        let mut reg_rows = Vec::new();
        for r in &prog.design.regs {
            let i = r.node.index();
            if layout.kept[i] {
                let s = prog.slot[i] as usize;
                for k in s..s + nwords(prog.design.nodes[i].width) {
                    reg_rows.push((k as u32, layout.map[k]));
                }
            }
        }
        Lanes {
            prog,
            layout,
            used,
            vals,
            mems,
            rows,
            staging,
            bits,
            wides,
            scratch: Vec::new(),
            reg_rows,
            cycle: 0,
            jit: LaneJit::Auto,
            native: [None, None],
            bits_fresh: false,
        }
    }

    /// Lanes over the compact layout with coverage ([`Lanes::compact`]),
    /// lane `i` loaded from `sims[i]` ([`Lanes::load`]; lanes above repeat
    /// the last one): simulations mid-run (snapshots) continued side by side.
    ///
    /// # Panics
    /// When `sims` is empty or longer than `L`, or a simulation is of
    /// another program than the first's (caller bugs).
    pub fn from_sims(sims: &[&Sim]) -> Lanes<L> {
        assert!(!sims.is_empty() && sims.len() <= L, "1..=L simulations");
        let prog = Arc::clone(sims[0].program());
        let sim = |l: usize| sims[l.min(sims.len() - 1)];
        for l in 0..L {
            assert!(
                Arc::ptr_eq(sim(l).program(), &prog),
                "a lane is loaded from a simulation of its own program"
            );
        }
        // As `compact` and a `load` per lane, without the fresh lanes'
        // simulations `load` would overwrite, nor a layout per batch:
        // closure makes a batch per round of one program, and the layout
        // (cones, slot allocation, packing) costs as much as a few dozen
        // cycles of the batch; shared, its native code is compiled once too.
        let layout = LaneLayout::compact_shared(&prog, true);
        let mems = (0..L).map(|l| sim(l).parts().1.to_vec()).collect();
        let mut lanes = Self::assemble(prog, layout, mems, sims.len());
        for l in 0..L {
            lanes.load_arena(l, sim(l).parts().0);
        }
        lanes
    }

    /// The values the layout keeps of lane `lane`, from a scalar arena.
    fn load_arena(&mut self, lane: usize, arena: &[u64]) {
        for (i, node) in self.prog.design.nodes.iter().enumerate() {
            if self.layout.kept[i] {
                let s = self.prog.slot[i] as usize;
                let n = nwords(node.width);
                for (&m, &w) in self.layout.map[s..s + n].iter().zip(&arena[s..s + n]) {
                    self.vals[m as usize][lane] = w;
                }
            }
        }
    }

    pub fn program(&self) -> &Arc<Program> {
        &self.prog
    }

    /// Lanes in use (the number of seeds given to [`Lanes::new`]).
    pub fn used(&self) -> usize {
        self.used
    }

    /// Clock edges taken so far.
    pub fn cycle(&self) -> u64 {
        self.cycle
    }

    fn width(&self, node: NodeId) -> u32 {
        self.prog.design.nodes[node.index()].width
    }

    /// Lane arena word of the first word of `node`.
    ///
    /// # Panics
    /// When the layout does not keep `node` (see [`Lanes::compact`]).
    fn row(&self, node: NodeId) -> usize {
        assert!(
            self.layout.kept[node.index()],
            "node %{} is a temporary in this lane layout",
            node.0
        );
        self.layout.map[self.prog.slot[node.index()] as usize] as usize
    }

    /// Low 64 bits of a node's value in `lane`.
    pub fn get_u64(&self, lane: usize, node: NodeId) -> u64 {
        self.vals[self.row(node)][lane]
    }

    /// True when 1-bit node `node` is 1 in `lane`.
    pub fn is_set(&self, lane: usize, node: NodeId) -> bool {
        self.get_u64(lane, node) & 1 == 1
    }

    /// Bit 0 of `node` in every lane, as a mask (bit `l` = lane `l`; L <= 64).
    pub fn set_mask(&self, node: NodeId) -> u64 {
        let w = self.layout.bit_of[node.index()];
        if w != crate::layout::NONE && self.bits_fresh {
            // Computed packed: the lanes are already a word (lanes above
            // `L` may hold anything).
            return self.bits[w as usize] & (u64::MAX >> (64 - L));
        }
        let row = &self.vals[self.row(node)];
        #[cfg(target_arch = "x86_64")]
        {
            if L.is_multiple_of(4) && std::arch::is_x86_feature_detected!("avx2") {
                // SAFETY: the CPU has the feature (checked above).
                return unsafe { bit0_mask_avx2(row) };
            }
        }
        bit0_mask(row)
    }

    /// Raw words of a node's value in `lane`.
    pub fn words(&self, lane: usize, node: NodeId) -> Vec<u64> {
        let s = self.row(node);
        (0..nwords(self.width(node)))
            .map(|i| self.vals[s + i][lane])
            .collect()
    }

    /// A node's value in `lane`.
    pub fn get(&self, lane: usize, node: NodeId) -> Bits {
        Bits::from_words(self.width(node), &self.words(lane, node))
    }

    /// Set input `idx` of `lane` from raw words (missing words are zero,
    /// extra bits dropped), as [`Sim::set_input_words`].
    pub fn set_input_words(&mut self, lane: usize, idx: usize, v: &[u64]) {
        let inp = &self.prog.design.inputs[idx];
        let s = self.row(inp.node);
        let n = nwords(inp.width);
        for i in 0..n {
            let mut w = v.get(i).copied().unwrap_or(0);
            if i + 1 == n {
                w &= words::top_mask(inp.width);
            }
            self.vals[s + i][lane] = w;
        }
    }

    /// Write word `w` of `lane` at scalar arena word `slot` (an input's:
    /// the caller keeps the bits above the input's width zero).
    #[inline]
    pub(crate) fn put_word(&mut self, lane: usize, slot: usize, w: u64) {
        self.vals[self.layout.map[slot] as usize][lane] = w;
    }

    /// Every lane of scalar arena word `slot` (an input's: the caller keeps
    /// the bits above the input's width zero).
    #[inline]
    pub(crate) fn row_mut(&mut self, slot: usize) -> &mut [u64; L] {
        &mut self.vals[self.layout.map[slot] as usize]
    }

    /// Words of register `idx` in `lane`, into `out`.
    pub fn reg_words_into(&self, lane: usize, idx: usize, out: &mut Vec<u64>) {
        let r = &self.prog.regs[idx];
        out.clear();
        let s = self.layout.map[r.slot as usize] as usize;
        out.extend((0..nwords(r.width)).map(|i| self.vals[s + i][lane]));
    }

    /// Word `k` of a node's value in `lane` (a node of the layout, see
    /// [`Lanes::row`]).
    #[inline]
    pub fn word(&self, lane: usize, node: NodeId, k: usize) -> u64 {
        self.vals[self.row(node) + k][lane]
    }

    /// Word `k` of register `idx` in `lane`.
    #[inline]
    pub fn reg_word(&self, lane: usize, idx: usize, k: usize) -> u64 {
        let r = &self.prog.regs[idx];
        self.vals[self.layout.map[r.slot as usize] as usize + k][lane]
    }

    /// Put the state of `sim` (a simulation of this program, e.g. a
    /// snapshot taken mid-run) into `lane`: every value the layout keeps and
    /// every memory word. The lane then runs on from that state exactly as
    /// `sim` would (values the layout does not keep are recomputed by
    /// [`Lanes::eval`] before anything reads them).
    ///
    /// # Panics
    /// When `sim` is of another program (a caller bug).
    pub fn load(&mut self, lane: usize, sim: &Sim) {
        assert!(
            Arc::ptr_eq(sim.program(), &self.prog),
            "a lane is loaded from a simulation of its own program"
        );
        let (arena, mems) = sim.parts();
        self.bits_fresh = false;
        self.load_arena(lane, arena);
        for (mi, rows) in self.rows.iter_mut().enumerate() {
            if let Some(rows) = rows {
                if let MemStore::Dense(words) = &mems[mi] {
                    for (row, &w) in rows.iter_mut().zip(words) {
                        row[lane] = w;
                    }
                }
            }
        }
        self.mems[lane] = mems.to_vec();
    }

    /// `lane` taken out as a scalar simulation at cycle `cycle`: its
    /// registers, memories and the values the layout keeps (the others
    /// are recomputed by its next [`Sim::eval`]). Loaded into a lane
    /// again ([`Lanes::load`]) or run by itself, it continues exactly as
    /// the lane would.
    pub fn lane_sim(&self, lane: usize, cycle: u64) -> Sim {
        let mut arena = self.prog.arena0.clone();
        for (i, node) in self.prog.design.nodes.iter().enumerate() {
            if self.layout.kept[i] {
                let s = self.prog.slot[i] as usize;
                let n = nwords(node.width);
                for (w, &m) in arena[s..s + n].iter_mut().zip(&self.layout.map[s..s + n]) {
                    *w = self.vals[m as usize][lane];
                }
            }
        }
        let mut mems = self.mems[lane].clone();
        for (mi, rows) in self.rows.iter().enumerate() {
            if let (Some(rows), MemStore::Dense(words)) = (rows, &mut mems[mi]) {
                for (w, row) in words.iter_mut().zip(rows) {
                    *w = row[lane];
                }
            }
        }
        Sim::from_parts(Arc::clone(&self.prog), arena, mems, cycle)
    }

    /// The registers and memories of `lane` at cycle `cycle` into `out`:
    /// everything a simulation continues from (inputs and combinational
    /// values are recomputed by the next evaluation before anything reads
    /// them). Much cheaper than [`Lanes::lane_sim`] (no arena, no walk over
    /// every node): for states that may never be used, made a
    /// simulation only when they are ([`Lanes::state_sim`]).
    pub fn capture(&self, lane: usize, cycle: u64, out: &mut LaneState) {
        out.words.clear();
        out.words.extend(
            self.reg_rows
                .iter()
                .map(|&(_, m)| self.vals[m as usize][lane]),
        );
        out.mems.clear();
        for (mi, rows) in self.rows.iter().enumerate() {
            match rows {
                Some(rows) => out.words.extend(rows.iter().map(|row| row[lane])),
                None => out.mems.push(self.mems[lane][mi].clone()),
            }
        }
        out.cycle = cycle;
    }

    /// A state [`Lanes::capture`] took, as a scalar simulation: it runs on
    /// (alone or loaded into a lane) exactly as the lane would have from
    /// there, as one from [`Lanes::lane_sim`] does.
    pub fn state_sim(&self, st: &LaneState) -> Sim {
        let mut arena = self.prog.arena0.clone();
        for (&(s, _), &w) in self.reg_rows.iter().zip(&st.words) {
            arena[s as usize] = w;
        }
        let mut at = self.reg_rows.len();
        let mut other = st.mems.iter();
        let mems = self
            .rows
            .iter()
            .map(|rows| match rows {
                // Memories kept as rows are dense in every lane.
                Some(rows) => {
                    let w = st.words[at..at + rows.len()].to_vec();
                    at += rows.len();
                    MemStore::Dense(w)
                }
                None => other.next().cloned().expect("one store per memory"),
            })
            .collect();
        Sim::from_parts(Arc::clone(&self.prog), arena, mems, st.cycle)
    }

    /// A view of one lane for coverage sampling.
    pub fn lane(&self, lane: usize) -> LaneView<'_, L> {
        LaneView { lanes: self, lane }
    }

    /// Settle the combinational logic of every lane.
    pub fn eval(&mut self) {
        let layout = Arc::clone(&self.layout);
        self.exec(&layout, false);
        self.bits_fresh = true;
    }

    /// As [`Lanes::eval`] without the logic that only feeds branch-coverage
    /// conditions (as [`Sim::eval_core`]).
    pub fn eval_core(&mut self) {
        let layout = Arc::clone(&self.layout);
        self.exec(&layout, true);
        self.bits_fresh = false;
    }

    /// When [`Lanes::eval`] and [`Lanes::eval_core`] run native code
    /// (`crate::lane_jit`) instead of interpreting: both compute the same
    /// values, only speed differs. The code is shared by every batch of the
    /// same layout.
    pub fn set_jit(&mut self, mode: LaneJit) {
        self.jit = mode;
        if mode == LaneJit::Off {
            self.native = [None, None];
        }
    }

    /// The native code of the list (`core`: `core_ops`) when it runs now.
    fn native_code(&mut self, layout: &LaneLayout, core: bool) -> Option<Arc<LaneCode>> {
        let slot = &mut self.native[core as usize];
        if slot.is_none() {
            *slot = crate::lane_jit::code(layout, core, self.jit, L, kernels::<L>);
        }
        slot.clone()
    }

    /// One op, as [`Lanes::exec`] runs it (the native code's kernels,
    /// `crate::lane_jit`).
    #[inline(always)]
    pub(crate) fn exec_one(&mut self, layout: &LaneLayout, op: &LOp) {
        self.exec_any(layout, std::slice::from_ref(op))
    }

    /// One evaluation of the list (`core`: `core_ops`): native code or the
    /// interpreter, as the batch's [`LaneJit`] mode and the code's
    /// [`Pick`] say.
    fn exec(&mut self, layout: &LaneLayout, core: bool) {
        let insns = if core { &layout.core_ops } else { &layout.ops };
        let Some(code) = self.native_code(layout, core) else {
            return self.interpret(layout, insns);
        };
        match code.pick(self.jit) {
            Pick::Native => self.run_native(&code, layout, insns),
            Pick::Interpret => self.interpret(layout, insns),
            Pick::Time(native) => {
                let t0 = std::time::Instant::now();
                if native {
                    self.run_native(&code, layout, insns);
                } else {
                    self.interpret(layout, insns);
                }
                code.timed(native, t0.elapsed().as_nanos() as u64);
            }
        }
    }

    /// [`Lanes::exec`] by `code`, the native code of `insns`, a list of
    /// `layout`.
    fn run_native(&mut self, code: &LaneCode, layout: &LaneLayout, insns: &[LOp]) {
        assert!(std::ptr::eq(layout, &*self.layout) && self.bits.len() >= layout.bit_words);
        let bits = self.bits.as_mut_ptr();
        // SAFETY: the code was compiled for `Lanes<L>` from this list of
        // `layout`, this batch's layout; `bits` is its bit arena, and no
        // reference into `self` is held across the call.
        unsafe { code.run((self as *mut Self).cast(), layout, insns, bits) };
    }

    /// [`Lanes::exec`] by the interpreter: its loop compiled for the widest
    /// vector unit the CPU has. The lane loops are written for the compiler
    /// to vectorise, but a portable x86-64 build may only use SSE2 (two
    /// lanes per operation); AVX2 does four, AVX-512 eight. The three
    /// compile the same source.
    fn interpret(&mut self, layout: &LaneLayout, insns: &[LOp]) {
        #[cfg(target_arch = "x86_64")]
        {
            if std::arch::is_x86_feature_detected!("avx512f")
                && std::arch::is_x86_feature_detected!("avx512dq")
                && std::arch::is_x86_feature_detected!("avx512vl")
                && std::arch::is_x86_feature_detected!("avx512bw")
            {
                // SAFETY: the CPU has these features (checked above).
                return unsafe { self.exec_avx512(layout, insns) };
            }
            if std::arch::is_x86_feature_detected!("avx2") {
                // SAFETY: as above.
                return unsafe { self.exec_avx2(layout, insns) };
            }
        }
        self.exec_any(layout, insns)
    }

    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2")]
    unsafe fn exec_avx2(&mut self, layout: &LaneLayout, insns: &[LOp]) {
        self.exec_any(layout, insns)
    }

    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx512f,avx512dq,avx512vl,avx512bw")]
    unsafe fn exec_avx512(&mut self, layout: &LaneLayout, insns: &[LOp]) {
        self.exec_any(layout, insns)
    }

    #[inline(always)]
    #[allow(clippy::needless_range_loop)] // loops index several rows by lane
    fn exec_any(&mut self, layout: &LaneLayout, ops: &[LOp]) {
        let v = &mut self.vals[..];
        let bits = &mut self.bits[..];
        for op in ops {
            let insn = match *op {
                LOp::Row(insn) => insn,
                LOp::And { d, a, b } => {
                    bits[d as usize] = bits[a as usize] & bits[b as usize];
                    continue;
                }
                LOp::Or { d, a, b } => {
                    bits[d as usize] = bits[a as usize] | bits[b as usize];
                    continue;
                }
                LOp::Xor { d, a, b } => {
                    bits[d as usize] = bits[a as usize] ^ bits[b as usize];
                    continue;
                }
                LOp::Xnor { d, a, b } => {
                    bits[d as usize] = !(bits[a as usize] ^ bits[b as usize]);
                    continue;
                }
                LOp::Not { d, a } => {
                    bits[d as usize] = !bits[a as usize];
                    continue;
                }
                LOp::Mux { d, s, t, f } => {
                    let s = bits[s as usize];
                    bits[d as usize] = (bits[t as usize] & s) | (bits[f as usize] & !s);
                    continue;
                }
                LOp::MuxBits { d, s, t, f } => {
                    let (d, t, f) = (d as usize, t as usize, f as usize);
                    assert!(d < v.len() && t < v.len() && f < v.len());
                    let s = bits[s as usize];
                    for l in 0..L {
                        let m = ((s >> l) & 1).wrapping_neg();
                        v[d][l] = (v[t][l] & m) | (v[f][l] & !m);
                    }
                    continue;
                }
                LOp::Set { d, k } => {
                    bits[d as usize] = k;
                    continue;
                }
                LOp::Pack { d, a } => {
                    let r = &v[a as usize];
                    let mut m = 0u64;
                    for l in 0..L {
                        m |= (r[l] & 1) << l;
                    }
                    bits[d as usize] = m;
                    continue;
                }
                LOp::Unpack { d, a } => {
                    let m = bits[a as usize];
                    let r = &mut v[d as usize];
                    for l in 0..L {
                        r[l] = (m >> l) & 1;
                    }
                    continue;
                }
                LOp::Test { d, t } => {
                    bits[d as usize] = match t {
                        Test::EqI { a, k } => test1(v, a, |x| x == k),
                        Test::NeI { a, k } => test1(v, a, |x| x != k),
                        Test::Eq { a, b } => test2(v, a, b, |x, y| x == y),
                        Test::Ne { a, b } => test2(v, a, b, |x, y| x != y),
                        Test::Ult { a, b } => test2(v, a, b, |x, y| x < y),
                        Test::Ule { a, b } => test2(v, a, b, |x, y| x <= y),
                        Test::Bit { a, lo } => test1(v, a, |x| (x >> lo) & 1 == 1),
                        Test::RedOr { a } => test1(v, a, |x| x != 0),
                        Test::RedAnd { a, m } => test1(v, a, |x| x == m),
                    };
                    continue;
                }
            };
            match insn {
                Insn::Add { d, a, b, m } => map2(v, d, a, b, |x, y| x.wrapping_add(y) & m),
                Insn::Sub { d, a, b, m } => map2(v, d, a, b, |x, y| x.wrapping_sub(y) & m),
                Insn::Mul { d, a, b, m } => map2(v, d, a, b, |x, y| x.wrapping_mul(y) & m),
                Insn::Udiv { d, a, b } => map2(v, d, a, b, |x, y| x.checked_div(y).unwrap_or(0)),
                Insn::Urem { d, a, b } => map2(v, d, a, b, |x, y| x.checked_rem(y).unwrap_or(0)),
                Insn::Sdiv { d, a, b, w } => map2(v, d, a, b, |x, y| {
                    let (x, y) = (sx(x, w), sx(y, w));
                    if y == 0 {
                        0
                    } else {
                        x.wrapping_div(y) as u64 & mask64(w)
                    }
                }),
                Insn::Srem { d, a, b, w } => map2(v, d, a, b, |x, y| {
                    let (x, y) = (sx(x, w), sx(y, w));
                    if y == 0 {
                        0
                    } else {
                        x.wrapping_rem(y) as u64 & mask64(w)
                    }
                }),
                Insn::And { d, a, b } => map2(v, d, a, b, |x, y| x & y),
                Insn::Or { d, a, b } => map2(v, d, a, b, |x, y| x | y),
                Insn::Xor { d, a, b } => map2(v, d, a, b, |x, y| x ^ y),
                Insn::Shl { d, a, b, w } => {
                    let m = mask64(w);
                    map2(v, d, a, b, |x, sh| {
                        let r = x.wrapping_shl(sh as u32) & m;
                        if sh >= w as u64 {
                            0
                        } else {
                            r
                        }
                    })
                }
                Insn::Lshr { d, a, b, w } => map2(v, d, a, b, |x, sh| {
                    let r = x.wrapping_shr(sh as u32);
                    if sh >= w as u64 {
                        0
                    } else {
                        r
                    }
                }),
                Insn::Ashr { d, a, b, w } => {
                    let m = mask64(w);
                    map2(v, d, a, b, |x, sh| (sx(x, w) >> sh.min(63)) as u64 & m)
                }
                Insn::Eq { d, a, b } => map2(v, d, a, b, |x, y| (x == y) as u64),
                Insn::Ne { d, a, b } => map2(v, d, a, b, |x, y| (x != y) as u64),
                Insn::Ult { d, a, b } => map2(v, d, a, b, |x, y| (x < y) as u64),
                Insn::Ule { d, a, b } => map2(v, d, a, b, |x, y| (x <= y) as u64),
                Insn::Slt { d, a, b, w } => map2(v, d, a, b, |x, y| (sx(x, w) < sx(y, w)) as u64),
                Insn::Sle { d, a, b, w } => map2(v, d, a, b, |x, y| (sx(x, w) <= sx(y, w)) as u64),
                Insn::Not { d, a, m } => map1(v, d, a, |x| !x & m),
                Insn::Neg { d, a, m } => map1(v, d, a, |x| x.wrapping_neg() & m),
                Insn::RedAnd { d, a, m } => map1(v, d, a, |x| (x == m) as u64),
                Insn::RedOr { d, a } => map1(v, d, a, |x| (x != 0) as u64),
                Insn::RedXor { d, a } => map1(v, d, a, |x| (x.count_ones() & 1) as u64),
                Insn::Mux { d, s, t, f } => {
                    let (d, s, t, f) = (d as usize, s as usize, t as usize, f as usize);
                    assert!(d < v.len() && s < v.len() && t < v.len() && f < v.len());
                    for l in 0..L {
                        let m = (v[s][l] & 1).wrapping_neg();
                        v[d][l] = (v[t][l] & m) | (v[f][l] & !m);
                    }
                }
                Insn::Copy { d, a } => map1(v, d, a, |x| x),
                Insn::Slice { d, a, lo, m } => map1(v, d, a, |x| (x >> lo) & m),
                Insn::Sext { d, a, w, m } => map1(v, d, a, |x| sx(x, w) as u64 & m),
                Insn::Concat { d, start, len } => {
                    // Rows are indexed in place: copying one out (`let p =
                    // v[s]`) is a `memmove` of `8 * L` bytes. The result is
                    // built in its own row unless that row is also a part.
                    let parts = &layout.parts[start as usize..(start + len) as usize];
                    let d = d as usize;
                    if parts.iter().all(|&(s, _)| s as usize != d) {
                        assert!(d < v.len());
                        v[d] = [0; L];
                        for &(s, w) in parts {
                            let s = s as usize;
                            assert!(s < v.len());
                            for l in 0..L {
                                v[d][l] = v[d][l].checked_shl(w).unwrap_or(0) | v[s][l];
                            }
                        }
                        continue;
                    }
                    let mut r = [0u64; L];
                    for &(s, w) in parts {
                        let p = &v[s as usize];
                        for l in 0..L {
                            r[l] = r[l].checked_shl(w).unwrap_or(0) | p[l];
                        }
                    }
                    v[d] = r;
                }
                Insn::MemRead { d, mem, addr } => {
                    let info = &self.prog.mems[mem as usize];
                    if let Some(rows) = &self.rows[mem as usize] {
                        // In place: lane `l` of the address is read before
                        // lane `l` of the result is written.
                        let (d, a) = (d as usize, addr as usize);
                        assert!(d < v.len() && a < v.len());
                        for l in 0..L {
                            v[d][l] = rows.get(v[a][l] as usize).map_or(0, |row| row[l]);
                        }
                        continue;
                    }
                    let mut r = [0u64; L];
                    let av = &v[addr as usize];
                    for l in 0..L {
                        mem_read(
                            &self.mems[l][mem as usize],
                            info,
                            av[l],
                            std::slice::from_mut(&mut r[l]),
                        );
                    }
                    v[d as usize] = r;
                }
                Insn::AndI { d, a, k } => map1(v, d, a, |x| x & k),
                Insn::OrI { d, a, k } => map1(v, d, a, |x| x | k),
                Insn::XorI { d, a, k } => map1(v, d, a, |x| x ^ k),
                Insn::AddI { d, a, k, m } => map1(v, d, a, |x| x.wrapping_add(k) & m),
                Insn::EqI { d, a, k } => map1(v, d, a, |x| (x == k) as u64),
                Insn::NeI { d, a, k } => map1(v, d, a, |x| (x != k) as u64),
                Insn::ShlI { d, a, sh, m } => map1(v, d, a, |x| (x << sh) & m),
                Insn::SetI { d, k } => v[d as usize] = [k; L],
                Insn::Wide(i) => {
                    let lw = &self.wides[i as usize];
                    let dn = nwords(lw.wide.width);
                    let total = lw.wide.d as usize + dn;
                    self.scratch.resize(total, 0);
                    for l in 0..L {
                        for (src, loc) in lw.srcs.iter().zip(&lw.wide.args) {
                            for k in 0..nwords(src.width) {
                                self.scratch[loc.slot as usize + k] = v[src.slot as usize + k][l];
                            }
                        }
                        eval_wide(&lw.wide, &mut self.scratch, &self.mems[l], &self.prog.mems);
                        for k in 0..dn {
                            v[lw.dst as usize + k][l] = self.scratch[lw.wide.d as usize + k];
                        }
                    }
                }
            }
        }
    }

    /// The clock edge of every lane (as [`Sim::step`]), compiled like
    /// [`Lanes::exec`] for the widest vector unit (the edge is mostly row
    /// copies).
    pub fn step(&mut self) {
        #[cfg(target_arch = "x86_64")]
        {
            if std::arch::is_x86_feature_detected!("avx512f") {
                // SAFETY: the CPU has the feature (checked above).
                return unsafe { self.step_avx512() };
            }
            if std::arch::is_x86_feature_detected!("avx2") {
                // SAFETY: as above.
                return unsafe { self.step_avx2() };
            }
        }
        self.step_any()
    }

    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2")]
    unsafe fn step_avx2(&mut self) {
        self.step_any()
    }

    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx512f")]
    unsafe fn step_avx512(&mut self) {
        self.step_any()
    }

    #[inline(always)]
    fn step_any(&mut self) {
        let prog = Arc::clone(&self.prog);
        let layout = Arc::clone(&self.layout);
        // Sources that are registers themselves are read before any
        // register is written (`LaneLayout::staged_moves`).
        for (st, &(next, _)) in self.staging.iter_mut().zip(&layout.staged_moves) {
            *st = self.vals[next as usize];
        }
        let mut buf = Vec::new();
        for (mi, (m, writes)) in prog.mems.iter().zip(&layout.writes).enumerate() {
            let n = nwords(m.width);
            for &(en, addr, data) in writes {
                let mut on = bit0_mask(&self.vals[en as usize]);
                while on != 0 {
                    let l = on.trailing_zeros() as usize;
                    on &= on - 1;
                    buf.clear();
                    buf.extend(
                        (0..nwords(addr.width)).map(|i| self.vals[addr.slot as usize + i][l]),
                    );
                    let addr = words::amount(&buf);
                    if let Some(rows) = &mut self.rows[mi] {
                        if let Some(row) = rows.get_mut(addr as usize) {
                            row[l] = self.vals[data as usize][l];
                        }
                        continue;
                    }
                    buf.clear();
                    buf.extend((0..n).map(|i| self.vals[data as usize + i][l]));
                    mem_write(&mut self.mems[l][mi], m, addr, &buf);
                }
            }
        }
        // The other sources are no register's slot: copied straight.
        for &(next, slot) in &layout.direct_moves {
            copy_row(&mut self.vals, slot as usize, next as usize);
        }
        for (st, &(_, slot)) in self.staging.iter().zip(&layout.staged_moves) {
            self.vals[slot as usize] = *st;
        }
        self.cycle += 1;
    }
}

/// Defines a kernel of the native code (`crate::lane_jit`): `$name::<L, K>`
/// runs one op of kind `K` as [`Lanes::exec`] does. `kernel_any` and
/// `kernel_avx2` share this body; only the vector unit they are compiled for
/// differs (as `Lanes::exec_avx2` and `exec_any`).
macro_rules! kernel {
    ($(#[$attr:meta])* $name:ident) => {
        $(#[$attr])*
        unsafe extern "C" fn $name<const L: usize, const K: usize>(
            lanes: *mut u8,
            layout: *const LaneLayout,
            op: *const LOp,
        ) {
            // SAFETY: the caller's contract.
            let (lanes, layout, op) =
                unsafe { (&mut *(lanes as *mut Lanes<L>), &*layout, &*op) };
            // Tells the compiler which arm of the interpreter's match runs
            // (and keeps the kernels distinct functions).
            if kind(op) != K {
                unreachable!("lane kernel of another kind");
            }
            lanes.exec_one(layout, op);
        }
    };
}

kernel!(
    /// The kernel of kind `K` for any CPU.
    ///
    /// # Safety
    /// `lanes` is a live `Lanes<L>` no one else borrows, `layout` its
    /// layout, `op` an op of that layout's lists of kind `K`.
    kernel_any
);

kernel!(
    /// As [`kernel_any`], compiled for AVX2.
    ///
    /// # Safety
    /// As [`kernel_any`], on a CPU with AVX2.
    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2")]
    kernel_avx2
);

macro_rules! table {
    ($f:ident, $l:ident; $($k:literal)*) => {
        [$($f::<$l, $k> as Kernel),*]
    };
}

/// The kernels for `Lanes<L>` on this CPU, by kind.
fn kernels<const L: usize>() -> [Kernel; KINDS] {
    #[cfg(target_arch = "x86_64")]
    {
        if std::arch::is_x86_feature_detected!("avx2") {
            return table!(kernel_avx2, L;
                0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27 28 29
                30 31 32 33 34 35 36 37 38 39 40 41 42 43 44 45 46 47 48 49 50 51 52 53 54 55
                56 57);
        }
    }
    table!(kernel_any, L;
        0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27 28 29
        30 31 32 33 34 35 36 37 38 39 40 41 42 43 44 45 46 47 48 49 50 51 52 53 54 55
        56 57)
}

/// Row `s` copied into row `d` (distinct rows), lane by lane.
#[inline(always)]
fn copy_row<const L: usize>(v: &mut [[u64; L]], d: usize, s: usize) {
    let (d, s) = if d < s {
        let (lo, hi) = v.split_at_mut(s);
        (&mut lo[d], &hi[0])
    } else {
        let (lo, hi) = v.split_at_mut(d);
        (&mut hi[0], &lo[s])
    };
    *d = *s;
}

/// Most words (all lanes) a memory kept lane by lane may have (2 MiB).
const MAX_ROW_WORDS: u64 = 1 << 18;

/// The lane-interleaved form of each memory that has one (see
/// `Lanes::rows`), from the lanes' initial contents.
fn lane_rows<const L: usize>(
    prog: &Program,
    layout: &LaneLayout,
    mems: &[Vec<MemStore>],
) -> Vec<Option<Vec<[u64; L]>>> {
    let mut wide_read = vec![false; prog.mems.len()];
    for (w, _, _) in &layout.wides {
        if let WideOp::MemRead(m) = w.op {
            wide_read[m as usize] = true;
        }
    }
    (0..prog.mems.len())
        .map(|mi| {
            let info = &prog.mems[mi];
            // Large memories stay per lane: rows would not be in cache
            // anyway, and a ROM loaded from a file may be huge.
            if info.width > 64 || wide_read[mi] || info.depth * (L as u64) > MAX_ROW_WORDS {
                return None;
            }
            let mut rows = vec![[0u64; L]; usize::try_from(info.depth).ok()?];
            for (l, lane) in mems.iter().enumerate() {
                let MemStore::Dense(words) = &lane[mi] else {
                    return None;
                };
                for (row, &w) in rows.iter_mut().zip(words) {
                    row[l] = w;
                }
            }
            Some(rows)
        })
        .collect()
}

/// One lane of a [`Lanes`], for [`crate::CoverageCollector::sample_view`].
pub struct LaneView<'a, const L: usize> {
    lanes: &'a Lanes<L>,
    lane: usize,
}

impl<const L: usize> SimView for LaneView<'_, L> {
    fn is_set(&self, node: NodeId) -> bool {
        self.lanes.is_set(self.lane, node)
    }
    fn reg_words_into(&self, idx: usize, out: &mut Vec<u64>) {
        self.lanes.reg_words_into(self.lane, idx, out)
    }
}

impl<const L: usize> LaneSource for Lanes<L> {
    fn set_mask(&self, node: NodeId) -> u64 {
        Lanes::set_mask(self, node)
    }
    fn reg_lanes(&self, idx: usize, k: usize) -> &[u64] {
        let r = &self.prog.regs[idx];
        &self.vals[self.layout.map[r.slot as usize] as usize + k]
    }
}
