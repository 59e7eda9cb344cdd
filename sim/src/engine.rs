//! `Sim`: the state of one simulation (arena, memories, cycle) and the
//! instruction loop.

use crate::compile::{Moves, Program};
use crate::isa::{Arg, Insn};
use crate::ops::{eval_wide, mem_read, mem_write, sx, MemStore};
use crate::rng::{hash3, Rng, STREAM_INIT};
use crate::words::{self, mask64, nwords};
use ir::Bits;
use ir::NodeId;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

/// How registers and memories without an initial value start.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum InitMode {
    /// Seeded random values (the default; finds reset bugs).
    #[default]
    Random,
    /// All zero (`--init zero`).
    Zero,
}

impl InitMode {
    /// `random` or `zero` (`--init`, a manifest's `init`).
    pub fn parse(s: &str) -> Result<InitMode, String> {
        match s {
            "random" => Ok(InitMode::Random),
            "zero" => Ok(InitMode::Zero),
            other => Err(format!("--init {other}: expected random or zero")),
        }
    }
}

/// Memories up to this many words are stored densely.
const DENSE_LIMIT: u64 = 1 << 22;

/// Whether a memory is stored densely (`MemStore::Dense`, every word in
/// address order) rather than as a map of the words written.
pub(crate) fn dense(m: &ir::Memory) -> bool {
    m.init.is_some() || m.depth.saturating_mul(nwords(m.width) as u64) <= DENSE_LIMIT
}

/// Code that settles a program's logic in place of the interpreter: the
/// native code of `crate::jit` implements it (it is set by `Sim::set_jit`,
/// defined there), so the engine does not depend on the code generator.
pub(crate) trait Native: Send + Sync {
    /// Settle `arena` exactly as the interpreter would over every
    /// instruction of `prog` (with `core`, over the pruned list of
    /// [`crate::prune::core`]); false when there is no code for this host,
    /// and the interpreter runs instead.
    fn run(&self, prog: &Program, core: bool, arena: &mut [u64], mems: &[MemStore]) -> bool;

    /// The register moves of the clock edge after such a run (with `core`,
    /// of live registers only: [`crate::prune::live_moves`]), exactly as
    /// [`Sim::step`] makes them; false when there is no code.
    fn step(&self, prog: &Program, core: bool, arena: &mut [u64]) -> bool;
}

/// One running simulation of a compiled program. Cloning snapshots the
/// whole state (coverage closure restarts simulation from such snapshots).
#[derive(Clone)]
pub struct Sim {
    prog: Arc<Program>,
    arena: Vec<u64>,
    mems: Vec<MemStore>,
    staging: Vec<u64>,
    cycle: u64,
    /// The instructions [`Sim::eval_core`] interprets
    /// ([`crate::prune::core`]), selected on first use and shared by clones.
    core: Arc<OnceLock<Vec<Insn>>>,
    /// Native code run instead of interpreting (see `Sim::set_jit`).
    native: Option<Arc<dyn Native>>,
    /// The register moves of live registers only (`crate::prune::live`),
    /// split as `Program::staged_moves` and `direct_moves`: what the clock
    /// edge after [`Sim::eval_core`] copies (the other registers' next
    /// values were not computed). Selected on first use, shared by clones.
    core_moves: Arc<OnceLock<(Moves, Moves)>>,
    /// The last settle was [`Sim::eval_core`].
    settled_core: bool,
}

/// Address value of a port, saturated (wider than 64 bits and non-zero above = out of range).
fn addr_of(arena: &[u64], a: Arg) -> u64 {
    let s = a.slot as usize;
    words::amount(&arena[s..s + nwords(a.width)])
}

impl Sim {
    /// A fresh simulation at cycle 0. Registers and memories with an initial
    /// value get it; the others are random from `seed` or zero.
    pub fn new(prog: Arc<Program>, seed: u64, init: InitMode) -> Sim {
        let mut arena = prog.arena0.clone();
        let mut rng = Rng::new(seed, STREAM_INIT);
        for (r, info) in prog.design.regs.iter().zip(&prog.regs) {
            let s = info.slot as usize;
            let d = &mut arena[s..s + nwords(r.width)];
            match (&r.init, init) {
                (Some(b), _) => d.copy_from_slice(&b.to_words()),
                (None, InitMode::Random) => rng.fill(d, r.width),
                (None, InitMode::Zero) => d.fill(0),
            }
        }
        let mut mems = Vec::new();
        for (mi, m) in prog.design.mems.iter().enumerate() {
            let n = nwords(m.width);
            let total = m.depth.saturating_mul(n as u64);
            let store = if let Some(init) = &m.init {
                MemStore::Dense(init.iter().flat_map(|b| b.to_words()).collect())
            } else if dense(m) {
                let mut v = vec![0u64; total as usize];
                if init == InitMode::Random {
                    let mut r = Rng::new(seed, STREAM_INIT + 1 + mi as u64);
                    for word in v.chunks_mut(n) {
                        r.fill(word, m.width);
                    }
                }
                MemStore::Dense(v)
            } else {
                MemStore::Sparse {
                    map: HashMap::new(),
                    key: (init == InitMode::Random).then(|| hash3(seed, mi as u64, 0x6d656d)),
                }
            };
            mems.push(store);
        }
        let staging = vec![0u64; prog.staged_moves.len()];
        Sim {
            prog,
            arena,
            mems,
            staging,
            cycle: 0,
            core: Arc::new(OnceLock::new()),
            native: None,
            core_moves: Arc::new(OnceLock::new()),
            settled_core: false,
        }
    }

    /// The arena and memories (the lane engine starts each lane from a
    /// fresh `Sim`, so its initial state is the scalar engine's by construction).
    pub(crate) fn into_parts(self) -> (Vec<u64>, Vec<MemStore>) {
        (self.arena, self.mems)
    }

    /// The arena and memories, borrowed (the lane engine loads a lane from
    /// a snapshot).
    pub(crate) fn parts(&self) -> (&[u64], &[MemStore]) {
        (&self.arena, &self.mems)
    }

    /// A simulation of `prog` at cycle `cycle` holding `arena` and `mems`
    /// (a lane of the lane engine taken out as a snapshot).
    pub(crate) fn from_parts(
        prog: Arc<Program>,
        arena: Vec<u64>,
        mems: Vec<MemStore>,
        cycle: u64,
    ) -> Sim {
        let staging = vec![0u64; prog.staged_moves.len()];
        Sim {
            prog,
            arena,
            mems,
            staging,
            cycle,
            core: Arc::new(OnceLock::new()),
            native: None,
            core_moves: Arc::new(OnceLock::new()),
            settled_core: false,
        }
    }

    pub fn program(&self) -> &Arc<Program> {
        &self.prog
    }

    /// The number of clock edges taken so far.
    pub fn cycle(&self) -> u64 {
        self.cycle
    }

    fn node_words(&self, node: NodeId) -> &[u64] {
        let s = self.prog.slot[node.index()] as usize;
        &self.arena[s..s + nwords(self.prog.design.nodes[node.index()].width)]
    }

    /// Raw little-endian words of a node's current value.
    pub fn words(&self, node: NodeId) -> &[u64] {
        self.node_words(node)
    }

    /// Current value of a node (valid after [`Sim::eval`]).
    pub fn get(&self, node: NodeId) -> Bits {
        Bits::from_words(
            self.prog.design.nodes[node.index()].width,
            self.node_words(node),
        )
    }

    /// Low 64 bits of a node's value.
    pub fn get_u64(&self, node: NodeId) -> u64 {
        self.arena[self.prog.slot[node.index()] as usize]
    }

    /// True when a 1-bit node is 1.
    pub fn is_set(&self, node: NodeId) -> bool {
        self.get_u64(node) & 1 == 1
    }

    /// Set input `idx` (index into `Design::inputs`); the value is truncated
    /// to the input's width.
    pub fn set_input(&mut self, idx: usize, v: &Bits) {
        let inp = &self.prog.design.inputs[idx];
        let s = self.prog.slot[inp.node.index()] as usize;
        let words = v.zext(inp.width.max(v.width())).to_words();
        let n = nwords(inp.width);
        self.arena[s..s + n].copy_from_slice(&words[..n]);
        words::clean(&mut self.arena[s..s + n], inp.width);
    }

    /// Set input `idx` from raw words (missing words are zero, extra bits dropped).
    pub fn set_input_words(&mut self, idx: usize, v: &[u64]) {
        let inp = &self.prog.design.inputs[idx];
        let s = self.prog.slot[inp.node.index()] as usize;
        let n = nwords(inp.width);
        for i in 0..n {
            self.arena[s + i] = v.get(i).copied().unwrap_or(0);
        }
        words::clean(&mut self.arena[s..s + n], inp.width);
    }

    /// The whole arena, for writing inputs directly (the caller keeps the
    /// bits above each input's width zero).
    pub(crate) fn arena_mut(&mut self) -> &mut [u64] {
        &mut self.arena
    }

    /// Set every input, in `Design::inputs` order.
    pub fn set_inputs(&mut self, vals: &[Bits]) {
        for (i, v) in vals.iter().enumerate().take(self.prog.design.inputs.len()) {
            self.set_input(i, v);
        }
    }

    /// Overwrite register `idx`'s current value (trace `init`, tests).
    pub fn set_reg(&mut self, idx: usize, v: &Bits) {
        let r = &self.prog.regs[idx];
        let s = r.slot as usize;
        let n = nwords(r.width);
        let words = v.zext(r.width.max(v.width())).to_words();
        self.arena[s..s + n].copy_from_slice(&words[..n]);
        words::clean(&mut self.arena[s..s + n], r.width);
    }

    /// Current value of register `idx`.
    pub fn reg(&self, idx: usize) -> Bits {
        self.get(self.prog.design.regs[idx].node)
    }

    /// Raw words of register `idx`.
    pub fn reg_words(&self, idx: usize) -> &[u64] {
        self.node_words(self.prog.design.regs[idx].node)
    }

    /// Write one memory word (out-of-range addresses are ignored).
    pub fn set_mem_word(&mut self, mem: usize, addr: u64, v: &Bits) {
        let info = &self.prog.mems[mem];
        let n = nwords(info.width);
        let mut words = v.zext(info.width.max(v.width())).to_words();
        words.truncate(n);
        words::clean(&mut words, info.width);
        mem_write(&mut self.mems[mem], info, addr, &words);
    }

    /// Read one memory word (out of range reads 0).
    pub fn mem_word(&self, mem: usize, addr: u64) -> Bits {
        let info = &self.prog.mems[mem];
        let mut d = vec![0u64; nwords(info.width)];
        mem_read(&self.mems[mem], info, addr, &mut d);
        Bits::from_words(info.width, &d)
    }

    /// The native code this simulation runs instead of the interpreter.
    pub(crate) fn native(&self) -> Option<&Arc<dyn Native>> {
        self.native.as_ref()
    }

    /// Run `native` instead of the interpreter (`None`: interpret).
    pub(crate) fn set_native(&mut self, native: Option<Arc<dyn Native>>) {
        self.native = native;
    }

    /// Settle the combinational logic for the current inputs and state.
    pub fn eval(&mut self) {
        self.run(false);
    }

    /// As [`Sim::eval`], but settles only what outputs, properties and
    /// memory write ports depend on, through registers
    /// (`crate::prune::live`): not branch-coverage conditions, named
    /// signals, or registers only they read (their next values are not
    /// computed, so after a clock edge such a register holds no
    /// meaningful value). For runs that collect no coverage and write no
    /// waveform.
    pub fn eval_core(&mut self) {
        self.run(true);
    }

    fn run(&mut self, core: bool) {
        self.settled_core = core;
        let prog = &*self.prog;
        if let Some(native) = &self.native {
            if native.run(prog, core, &mut self.arena, &self.mems) {
                return;
            }
        }
        let insns = if core {
            self.core
                .get_or_init(|| crate::prune::core(&prog.design, &prog.insns, &prog.insn_node))
        } else {
            &prog.insns
        };
        exec(prog, insns, &mut self.arena, &self.mems);
    }

    /// The clock edge: every register takes its `next` value and memory write
    /// ports with `en == 1` write, in port order (later ports win). Call
    /// [`Sim::eval`] before (the next values must be settled) and after.
    pub fn step(&mut self) {
        let prog = &*self.prog;
        // The write ports read the arena before any register changes.
        for (mi, m) in prog.mems.iter().enumerate() {
            let n = nwords(m.width);
            for wp in &m.writes {
                if self.arena[wp.en as usize] & 1 == 1 {
                    let addr = addr_of(&self.arena, wp.addr);
                    let s = wp.data as usize;
                    mem_write(&mut self.mems[mi], m, addr, &self.arena[s..s + n]);
                }
            }
        }
        self.cycle += 1;
        if let Some(native) = &self.native {
            if native.step(prog, self.settled_core, &mut self.arena) {
                return;
            }
        }
        let (staged, direct) = if self.settled_core {
            let m = self
                .core_moves
                .get_or_init(|| crate::prune::live_moves(prog));
            (&m.0, &m.1)
        } else {
            (&prog.staged_moves, &prog.direct_moves)
        };
        for (st, &(next, _)) in self.staging.iter_mut().zip(staged) {
            *st = self.arena[next as usize];
        }
        // Sources no register is: any order.
        for &(next, slot) in direct {
            self.arena[slot as usize] = self.arena[next as usize];
        }
        for (st, &(_, slot)) in self.staging.iter().zip(staged) {
            self.arena[slot as usize] = *st;
        }
    }
}

fn exec(prog: &Program, insns: &[Insn], v: &mut [u64], mems: &[MemStore]) {
    for insn in insns {
        match *insn {
            Insn::Add { d, a, b, m } => {
                v[d as usize] = v[a as usize].wrapping_add(v[b as usize]) & m
            }
            Insn::Sub { d, a, b, m } => {
                v[d as usize] = v[a as usize].wrapping_sub(v[b as usize]) & m
            }
            Insn::Mul { d, a, b, m } => {
                v[d as usize] = v[a as usize].wrapping_mul(v[b as usize]) & m
            }
            Insn::Udiv { d, a, b } => {
                v[d as usize] = v[a as usize].checked_div(v[b as usize]).unwrap_or(0)
            }
            Insn::Urem { d, a, b } => {
                v[d as usize] = v[a as usize].checked_rem(v[b as usize]).unwrap_or(0)
            }
            Insn::Sdiv { d, a, b, w } => {
                let (x, y) = (sx(v[a as usize], w), sx(v[b as usize], w));
                v[d as usize] = if y == 0 {
                    0
                } else {
                    x.wrapping_div(y) as u64 & mask64(w)
                };
            }
            Insn::Srem { d, a, b, w } => {
                let (x, y) = (sx(v[a as usize], w), sx(v[b as usize], w));
                v[d as usize] = if y == 0 {
                    0
                } else {
                    x.wrapping_rem(y) as u64 & mask64(w)
                };
            }
            Insn::And { d, a, b } => v[d as usize] = v[a as usize] & v[b as usize],
            Insn::Or { d, a, b } => v[d as usize] = v[a as usize] | v[b as usize],
            Insn::Xor { d, a, b } => v[d as usize] = v[a as usize] ^ v[b as usize],
            Insn::Shl { d, a, b, w } => {
                let sh = v[b as usize];
                v[d as usize] = if sh >= w as u64 {
                    0
                } else {
                    (v[a as usize] << sh) & mask64(w)
                };
            }
            Insn::Lshr { d, a, b, w } => {
                let sh = v[b as usize];
                v[d as usize] = if sh >= w as u64 {
                    0
                } else {
                    v[a as usize] >> sh
                };
            }
            Insn::Ashr { d, a, b, w } => {
                let sh = v[b as usize].min(63);
                v[d as usize] = (sx(v[a as usize], w) >> sh) as u64 & mask64(w);
            }
            Insn::Eq { d, a, b } => v[d as usize] = (v[a as usize] == v[b as usize]) as u64,
            Insn::Ne { d, a, b } => v[d as usize] = (v[a as usize] != v[b as usize]) as u64,
            Insn::Ult { d, a, b } => v[d as usize] = (v[a as usize] < v[b as usize]) as u64,
            Insn::Ule { d, a, b } => v[d as usize] = (v[a as usize] <= v[b as usize]) as u64,
            Insn::Slt { d, a, b, w } => {
                v[d as usize] = (sx(v[a as usize], w) < sx(v[b as usize], w)) as u64
            }
            Insn::Sle { d, a, b, w } => {
                v[d as usize] = (sx(v[a as usize], w) <= sx(v[b as usize], w)) as u64
            }
            Insn::Not { d, a, m } => v[d as usize] = !v[a as usize] & m,
            Insn::Neg { d, a, m } => v[d as usize] = v[a as usize].wrapping_neg() & m,
            Insn::RedAnd { d, a, m } => v[d as usize] = (v[a as usize] == m) as u64,
            Insn::RedOr { d, a } => v[d as usize] = (v[a as usize] != 0) as u64,
            Insn::RedXor { d, a } => v[d as usize] = (v[a as usize].count_ones() & 1) as u64,
            // Branch-free: the select is data (often random stimulus),
            // so a branch here mispredicts about half the time.
            Insn::Mux { d, s, t, f } => {
                let m = (v[s as usize] & 1).wrapping_neg();
                v[d as usize] = (v[t as usize] & m) | (v[f as usize] & !m)
            }
            Insn::Copy { d, a } => v[d as usize] = v[a as usize],
            Insn::Slice { d, a, lo, m } => v[d as usize] = (v[a as usize] >> lo) & m,
            Insn::Sext { d, a, w, m } => v[d as usize] = sx(v[a as usize], w) as u64 & m,
            Insn::Concat { d, start, len } => {
                let mut acc = 0u64;
                for &(s, w) in &prog.parts[start as usize..(start + len) as usize] {
                    acc = acc.checked_shl(w).unwrap_or(0) | v[s as usize];
                }
                v[d as usize] = acc;
            }
            Insn::MemRead { d, mem, addr } => {
                let info = &prog.mems[mem as usize];
                let a = v[addr as usize];
                let d = d as usize;
                mem_read(&mems[mem as usize], info, a, &mut v[d..d + 1]);
            }
            Insn::AndI { d, a, k } => v[d as usize] = v[a as usize] & k,
            Insn::OrI { d, a, k } => v[d as usize] = v[a as usize] | k,
            Insn::XorI { d, a, k } => v[d as usize] = v[a as usize] ^ k,
            Insn::AddI { d, a, k, m } => v[d as usize] = v[a as usize].wrapping_add(k) & m,
            Insn::EqI { d, a, k } => v[d as usize] = (v[a as usize] == k) as u64,
            Insn::NeI { d, a, k } => v[d as usize] = (v[a as usize] != k) as u64,
            Insn::ShlI { d, a, sh, m } => v[d as usize] = (v[a as usize] << sh) & m,
            Insn::SetI { d, k } => v[d as usize] = k,
            Insn::Wide(i) => {
                eval_wide(&prog.wides[i as usize], v, mems, &prog.mems);
            }
        }
    }
}
