//! Coverage counters of a batch of simulations side by side (the lane
//! engine), counted word-wise for every lane at once: the same counts as a
//! [`crate::CoverageCollector`] per lane (tested against it), in a fraction
//! of the work.
//!
//! Counters are vertical (bit-sliced): a branch's or cover's hits in all
//! lanes are a mask added to [`PLANES`] bit planes (bit `l` of plane `k` is
//! bit `k` of lane `l`'s count), a register word's toggles in one lane a
//! mask of changed bits added the same way (plane `k` holds bit `k` of
//! every bit's count), so a cycle costs a few word operations per
//! branch or register word instead of one increment per bit that changed.
//! The planes are drained into plain counts every [`FLUSH`] samples.
//! Rises and falls need not be told apart while counting: a bit's rises
//! and falls alternate, so with its toggles `t` and its first and last
//! sampled values, rises are `(t + last - first) / 2`.
//!
//! Only watched points (open or rare ones, chosen by the caller) have their
//! hits listed per cycle, which is what first-hit bookkeeping needs; the
//! rest are only counted.

use crate::compile::Program;
use crate::coverage::{enum_value_words, LaneSource};
use crate::words::nwords;
use ir::{NodeId, PropKind};
use std::sync::Arc;

/// Bit planes of a vertical counter.
const PLANES: usize = 8;
/// Samples between drains: a plane set counts up to `2^PLANES - 1`.
const FLUSH: u32 = (1 << PLANES) - 1;

type Planes = [u64; PLANES];

/// Add one to the counters of the bits set in `c`.
#[inline(always)]
fn add(planes: &mut Planes, mut c: u64) {
    for p in planes.iter_mut() {
        if c == 0 {
            return;
        }
        let t = *p & c;
        *p ^= c;
        c = t;
    }
    debug_assert_eq!(c, 0, "a vertical counter overflowed");
}

/// Add the counts held in `planes` to `out(bit, n)` and clear them.
#[inline]
fn drain(planes: &mut Planes, mut out: impl FnMut(usize, u64)) {
    for (k, p) in planes.iter_mut().enumerate() {
        let mut m = std::mem::take(p);
        while m != 0 {
            let b = m.trailing_zeros() as usize;
            m &= m - 1;
            out(b, 1 << k);
        }
    }
}

/// The set bits of `m`, lowest first.
#[inline(always)]
fn ones(mut m: u64) -> impl Iterator<Item = usize> {
    std::iter::from_fn(move || {
        (m != 0).then(|| {
            let b = m.trailing_zeros() as usize;
            m &= m - 1;
            b
        })
    })
}

/// One word of a register tracked for toggles.
struct ToggleWord {
    reg: usize,
    /// The word's index in the register.
    wi: usize,
    /// Bits of the register in this word.
    bits: usize,
    /// Index of the word's bit 0 among every tracked register bit.
    bit0: usize,
    /// The point of bit 0's rise (its fall is the next point).
    point0: u32,
    /// Bits whose rise / fall point is watched.
    watch_rise: u64,
    watch_fall: u64,
}

struct EnumInfo {
    reg: usize,
    /// Each named value's words.
    values: Vec<Vec<u64>>,
    state_base: u32,
    trans_base: u32,
    /// Per value, its state point is watched.
    watch_state: Vec<bool>,
    /// Per `prev * n + cur`, the transition point is watched.
    watch_trans: Vec<bool>,
}

/// No value of an enum (`EnumInfo::values` index) in a lane.
const NONE: u32 = u32::MAX;

/// Coverage counters of up to 64 lanes (see the module doc).
pub struct LaneCoverage {
    /// Lanes counted.
    n: usize,
    /// Samples since the planes were last drained.
    pending: u32,
    /// Lanes sampled at least once (toggles and transitions count from the
    /// second sample).
    sampled: u64,
    /// Per branch: its condition, whether it is watched.
    branches: Vec<(NodeId, bool)>,
    branch_planes: Vec<Planes>,
    /// `[branch * n + lane]`.
    branch_counts: Vec<u64>,
    words: Vec<ToggleWord>,
    /// Per `[word * n + lane]`: the word at the last sample and at the first.
    prev: Vec<u64>,
    first: Vec<u64>,
    /// `[(word * PLANES + plane) * n + lane]`: toggles since the last
    /// drain, a vertical counter per word and lane, its planes' lanes side
    /// by side.
    toggle_planes: Vec<u64>,
    /// `[(bit0 + bit) * n + lane]`: toggles of each tracked bit.
    toggles: Vec<u64>,
    enums: Vec<EnumInfo>,
    /// Per enum, `[value * n + lane]`.
    states: Vec<Vec<u64>>,
    /// Per enum, `[(prev * values + cur) * n + lane]`.
    trans: Vec<Vec<u64>>,
    /// `[enum * n + lane]`: the value index at the last sample and now.
    enum_prev: Vec<u32>,
    enum_cur: Vec<u32>,
    /// Per cover property: its node, its point, whether it is watched.
    covers: Vec<(NodeId, u32, bool)>,
    cover_planes: Vec<Planes>,
    /// `[cover * n + lane]`.
    cover_counts: Vec<u64>,
}

impl LaneCoverage {
    /// Counters for `n` lanes (1 to 64) of `prog`; hits are listed only for
    /// the points `watch` marks (all without it), indexed as
    /// [`crate::CoverageCollector::finish`] orders the points.
    ///
    /// # Panics
    /// When `n` is 0 or above 64, or `watch` is shorter than the points
    /// (caller bugs).
    pub fn new(prog: &Arc<Program>, n: usize, watch: Option<&[bool]>) -> LaneCoverage {
        assert!((1..=64).contains(&n), "1 to 64 lanes");
        let d = &prog.design;
        let watched = |p: u32| watch.is_none_or(|w| w[p as usize]);
        let branches: Vec<(NodeId, bool)> = d
            .branches
            .iter()
            .enumerate()
            .map(|(i, b)| (b.cond, watched(i as u32)))
            .collect();
        let mut next = d.branches.len() as u32;
        let mut words = Vec::new();
        let mut bit0 = 0;
        for (ri, r) in d.regs.iter().enumerate() {
            if r.synthetic {
                continue;
            }
            let base = next;
            next += 2 * r.width;
            for wi in 0..nwords(r.width) {
                let bits = (r.width as usize - 64 * wi).min(64);
                let point0 = base + 2 * 64 * wi as u32;
                let (mut watch_rise, mut watch_fall) = (0, 0);
                for b in 0..bits {
                    let p = point0 + 2 * b as u32;
                    watch_rise |= (watched(p) as u64) << b;
                    watch_fall |= (watched(p + 1) as u64) << b;
                }
                words.push(ToggleWord {
                    reg: ri,
                    wi,
                    bits,
                    bit0,
                    point0,
                    watch_rise,
                    watch_fall,
                });
                bit0 += bits;
            }
        }
        let mut enums: Vec<EnumInfo> = d
            .regs
            .iter()
            .enumerate()
            .filter(|(_, r)| !r.enum_values.is_empty())
            .map(|(i, r)| EnumInfo {
                reg: i,
                values: enum_value_words(r),
                state_base: 0,
                trans_base: 0,
                watch_state: Vec::new(),
                watch_trans: Vec::new(),
            })
            .collect();
        for e in &mut enums {
            e.state_base = next;
            e.watch_state = (0..e.values.len())
                .map(|i| watched(next + i as u32))
                .collect();
            next += e.values.len() as u32;
        }
        for e in &mut enums {
            e.trans_base = next;
            let nv = e.values.len();
            e.watch_trans = (0..nv * nv)
                .map(|k| {
                    let (p, i) = (k / nv, k % nv);
                    // Transitions are listed from each state to the others.
                    let j = if i < p { i } else { i.wrapping_sub(1) };
                    p != i && watched(next + (p * (nv - 1) + j) as u32)
                })
                .collect();
            next += (nv * nv.saturating_sub(1)) as u32;
        }
        let covers: Vec<(NodeId, u32, bool)> = d
            .props
            .iter()
            .filter(|p| p.kind == PropKind::Cover)
            .enumerate()
            .map(|(k, p)| {
                let point = next + k as u32;
                (p.node, point, watched(point))
            })
            .collect();
        let nw = words.len();
        LaneCoverage {
            n,
            pending: 0,
            sampled: 0,
            branch_planes: vec![[0; PLANES]; branches.len()],
            branch_counts: vec![0; branches.len() * n],
            branches,
            prev: vec![0; nw * n],
            first: vec![0; nw * n],
            toggle_planes: vec![0; nw * PLANES * n],
            toggles: vec![0; bit0 * n],
            words,
            states: enums.iter().map(|e| vec![0; e.values.len() * n]).collect(),
            trans: enums
                .iter()
                .map(|e| vec![0; e.values.len() * e.values.len() * n])
                .collect(),
            enum_prev: vec![NONE; enums.len() * n],
            enum_cur: vec![NONE; enums.len() * n],
            enums,
            cover_planes: vec![[0; PLANES]; covers.len()],
            cover_counts: vec![0; covers.len() * n],
            covers,
        }
    }

    /// Count one settled cycle of every lane in `live` (bit `l` = lane `l`,
    /// below `n`), and replace `hits[l]` of each live lane with the watched
    /// points it counted, ascending (as
    /// [`crate::CoverageCollector::sample_hits`], filtered).
    pub fn sample(&mut self, src: &impl LaneSource, live: u64, hits: &mut [Vec<u32>]) {
        #[cfg(target_arch = "x86_64")]
        {
            if std::arch::is_x86_feature_detected!("avx2") {
                // SAFETY: the CPU has the feature (checked above).
                return unsafe { self.sample_avx2(src, live, hits) };
            }
        }
        self.sample_any(src, live, hits)
    }

    /// [`LaneCoverage::sample`] compiled for AVX2: the lane loops are
    /// written for the compiler to vectorise, four lanes an operation
    /// instead of SSE2's two.
    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2")]
    unsafe fn sample_avx2(&mut self, src: &impl LaneSource, live: u64, hits: &mut [Vec<u32>]) {
        self.sample_any(src, live, hits)
    }

    #[inline(always)]
    fn sample_any(&mut self, src: &impl LaneSource, live: u64, hits: &mut [Vec<u32>]) {
        let n = self.n;
        let live = live & (u64::MAX >> (64 - n));
        for l in ones(live) {
            hits[l].clear();
        }
        for (i, &(node, watched)) in self.branches.iter().enumerate() {
            let m = src.set_mask(node) & live;
            add(&mut self.branch_planes[i], m);
            if watched {
                for l in ones(m) {
                    hits[l].push(i as u32);
                }
            }
        }
        let fresh = live & !self.sampled;
        let old = live & self.sampled;
        // Per lane, all ones if it is live / was sampled before: the lane
        // loops below run over every lane, masked, so they vectorise.
        let mut live_m = [0u64; 64];
        let mut old_m = [0u64; 64];
        for l in 0..n {
            live_m[l] = 0u64.wrapping_sub(live >> l & 1);
            old_m[l] = 0u64.wrapping_sub(old >> l & 1);
        }
        let (live_m, old_m) = (&live_m[..n], &old_m[..n]);
        let mut changed = [0u64; 64];
        let changed = &mut changed[..n];
        for (g, w) in self.words.iter().enumerate() {
            let row = &src.reg_lanes(w.reg, w.wi)[..n];
            let prev = &mut self.prev[g * n..(g + 1) * n];
            let mut any = 0;
            for l in 0..n {
                let d = prev[l] ^ row[l];
                changed[l] = d & old_m[l];
                any |= changed[l];
                prev[l] ^= d & live_m[l];
            }
            for l in ones(fresh) {
                self.first[g * n + l] = row[l];
            }
            if any == 0 {
                continue;
            }
            if any & (w.watch_rise | w.watch_fall) != 0 {
                for l in ones(old) {
                    let (c, cur) = (changed[l], row[l]);
                    let hit = c & ((cur & w.watch_rise) | (!cur & w.watch_fall));
                    for b in ones(hit) {
                        let fall = (cur >> b) & 1 == 0;
                        hits[l].push(w.point0 + 2 * b as u32 + fall as u32);
                    }
                }
            }
            // Add `changed` to the word's counters, plane by plane over
            // all lanes, until no lane carries.
            let planes = &mut self.toggle_planes[g * PLANES * n..(g + 1) * PLANES * n];
            for p in planes.chunks_exact_mut(n) {
                let mut carry = 0;
                for l in 0..n {
                    let t = p[l] & changed[l];
                    p[l] ^= changed[l];
                    changed[l] = t;
                    carry |= t;
                }
                if carry == 0 {
                    break;
                }
            }
        }
        for (k, e) in self.enums.iter().enumerate() {
            for l in ones(live) {
                let idx = if e.values[0].len() == 1 {
                    let w = src.reg_lanes(e.reg, 0)[l];
                    e.values.iter().position(|v| v[0] == w)
                } else {
                    e.values.iter().position(|v| {
                        v.iter()
                            .enumerate()
                            .all(|(wi, &x)| src.reg_lanes(e.reg, wi)[l] == x)
                    })
                };
                self.enum_cur[k * n + l] = idx.map_or(NONE, |i| i as u32);
                if let Some(i) = idx {
                    self.states[k][i * n + l] += 1;
                    if e.watch_state[i] {
                        hits[l].push(e.state_base + i as u32);
                    }
                }
            }
        }
        for (k, e) in self.enums.iter().enumerate() {
            let nv = e.values.len();
            for l in ones(live) {
                let cur = std::mem::replace(&mut self.enum_cur[k * n + l], NONE);
                let prev = std::mem::replace(&mut self.enum_prev[k * n + l], cur);
                if cur == NONE || prev == NONE || cur == prev {
                    continue;
                }
                let (p, i) = (prev as usize, cur as usize);
                self.trans[k][(p * nv + i) * n + l] += 1;
                if e.watch_trans[p * nv + i] {
                    let j = if i < p { i } else { i - 1 };
                    hits[l].push(e.trans_base + (p * (nv - 1) + j) as u32);
                }
            }
        }
        for (k, &(node, point, watched)) in self.covers.iter().enumerate() {
            let m = src.set_mask(node) & live;
            add(&mut self.cover_planes[k], m);
            if watched {
                for l in ones(m) {
                    hits[l].push(point);
                }
            }
        }
        self.sampled |= live;
        self.pending += 1;
        if self.pending == FLUSH {
            self.flush();
        }
        for l in ones(live) {
            debug_assert!(hits[l].is_sorted());
        }
    }

    /// Drain every vertical counter into the plain counts.
    fn flush(&mut self) {
        let n = self.n;
        for (i, p) in self.branch_planes.iter_mut().enumerate() {
            drain(p, |l, c| self.branch_counts[i * n + l] += c);
        }
        for (k, p) in self.cover_planes.iter_mut().enumerate() {
            drain(p, |l, c| self.cover_counts[k * n + l] += c);
        }
        for (g, w) in self.words.iter().enumerate() {
            let planes = &mut self.toggle_planes[g * PLANES * n..(g + 1) * PLANES * n];
            for (k, p) in planes.chunks_exact_mut(n).enumerate() {
                for (l, x) in p.iter_mut().enumerate() {
                    for b in ones(std::mem::take(x)) {
                        self.toggles[(w.bit0 + b) * n + l] += 1 << k;
                    }
                }
            }
        }
        self.pending = 0;
    }

    /// The hit counts of every point in lane `lane`, in
    /// [`crate::CoverageCollector::finish`]'s order (what
    /// [`crate::CoverageCollector::counts_into`] gives for the lane alone).
    pub fn counts_into(&mut self, lane: usize, out: &mut Vec<u64>) {
        if self.pending > 0 {
            self.flush();
        }
        let (n, l) = (self.n, lane);
        out.clear();
        out.extend((0..self.branches.len()).map(|i| self.branch_counts[i * n + l]));
        for (g, w) in self.words.iter().enumerate() {
            let (first, last) = (self.first[g * n + l], self.prev[g * n + l]);
            for b in 0..w.bits {
                let t = self.toggles[(w.bit0 + b) * n + l];
                // Rises and falls alternate: the first and last values say
                // which there is one more of.
                let rise = (t + (last >> b & 1) - (first >> b & 1)) / 2;
                out.push(rise);
                out.push(t - rise);
            }
        }
        for (k, e) in self.enums.iter().enumerate() {
            out.extend((0..e.values.len()).map(|i| self.states[k][i * n + l]));
        }
        for (k, e) in self.enums.iter().enumerate() {
            let nv = e.values.len();
            for i in 0..nv {
                for j in 0..nv {
                    if i != j {
                        out.push(self.trans[k][(i * nv + j) * n + l]);
                    }
                }
            }
        }
        out.extend((0..self.covers.len()).map(|k| self.cover_counts[k * n + l]));
    }
}
