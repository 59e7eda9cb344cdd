//! Coverage counters: branches, register toggles, enum (FSM) states and
//! transitions, and `cover` properties. A [`CoverageCollector`] samples a
//! [`Sim`] once per cycle after it settles; [`Coverage`] is the serialisable,
//! mergeable result.

use crate::compile::Program;
use crate::engine::Sim;
use crate::words::nwords;
use ir::Span;
use ir::{NodeId, PropKind};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PointKind {
    /// A `Design::branches` entry was taken.
    Branch,
    /// A register bit went 0 -> 1 (`rise`) or 1 -> 0 (`fall`).
    Toggle,
    /// An enum-typed register held a named value.
    State,
    /// An enum-typed register moved between two distinct named values.
    Transition,
    /// A `cover` property was hit.
    Cover,
}

/// One coverage point and its hit count.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Point {
    /// Stable identifier, e.g. `branch:3:if`, `toggle:top.cnt[2]:rise`,
    /// `state:top.st=IDLE`, `transition:top.st:IDLE->BUSY`, `cover:top.c1`.
    pub id: String,
    pub kind: PointKind,
    pub span: Span,
    pub hits: u64,
}

/// Coverage of one design, summed over the cycles (and seeds) sampled.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Coverage {
    pub top: String,
    pub points: Vec<Point>,
}

impl Coverage {
    /// Add `other`'s hits to ours; points we do not have are appended.
    pub fn merge(&mut self, other: &Coverage) {
        let same = self.points.len() == other.points.len()
            && self
                .points
                .iter()
                .zip(&other.points)
                .all(|(a, b)| a.id == b.id);
        if same {
            for (a, b) in self.points.iter_mut().zip(&other.points) {
                a.hits += b.hits;
            }
            return;
        }
        let index: HashMap<String, usize> = self
            .points
            .iter()
            .enumerate()
            .map(|(i, p)| (p.id.clone(), i))
            .collect();
        for p in &other.points {
            match index.get(&p.id) {
                Some(&i) => self.points[i].hits += p.hits,
                None => self.points.push(p.clone()),
            }
        }
    }

    /// Number of points hit at least once.
    pub fn hit(&self) -> usize {
        self.points.iter().filter(|p| p.hits > 0).count()
    }

    pub fn total(&self) -> usize {
        self.points.len()
    }

    /// (hit, total) of one kind.
    pub fn summary(&self, kind: PointKind) -> (usize, usize) {
        let of: Vec<&Point> = self.points.iter().filter(|p| p.kind == kind).collect();
        (of.iter().filter(|p| p.hits > 0).count(), of.len())
    }

    pub fn to_json(&self) -> String {
        // Serialising plain data to a string cannot fail.
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// Write the JSON form (`--coverage F`).
    pub fn write_json(&self, path: &Path) -> Result<(), crate::SimError> {
        std::fs::write(path, self.to_json())?;
        Ok(())
    }

    pub fn read_json(path: &Path) -> Result<Coverage, crate::SimError> {
        let text = std::fs::read_to_string(path)?;
        Ok(serde_json::from_str(&text)?)
    }
}

struct EnumTrack {
    reg: usize,
    values: Vec<Vec<u64>>,
    states: Vec<u64>,
    /// `prev * n + cur`.
    trans: Vec<u64>,
    prev: Option<usize>,
}

/// Per-run coverage counters.
pub struct CoverageCollector {
    prog: Arc<Program>,
    branches: Vec<u64>,
    /// Non-synthetic register indices tracked for toggles.
    toggle_regs: Vec<usize>,
    /// Previous sampled words of each tracked register.
    prev: Vec<Vec<u64>>,
    /// Per tracked register, per bit.
    rise: Vec<Vec<u64>>,
    fall: Vec<Vec<u64>>,
    enums: Vec<EnumTrack>,
    covers: Vec<(usize, u64)>,
    sampled: bool,
    /// Scratch for register words.
    buf: Vec<u64>,
    /// Index (in [`CoverageCollector::finish`]'s order) of each tracked
    /// register's first toggle point, of each enum's first state and first
    /// transition point, and of the first cover point.
    toggle_base: Vec<u32>,
    state_base: Vec<u32>,
    trans_base: Vec<u32>,
    cover_base: u32,
    /// Scratch for a cycle's transition points.
    trans_scratch: Vec<u32>,
}

/// A batch of simulations side by side (the lane engine), as
/// [`CoverageCollector::sample_lanes`] reads it.
pub trait LaneSource {
    /// Bit 0 of 1-bit node `node` in every lane (bit `l` = lane `l`).
    fn set_mask(&self, node: NodeId) -> u64;
    /// Word `k` of register `idx`, lane by lane.
    fn reg_lanes(&self, idx: usize, k: usize) -> &[u64];
}

/// What coverage sampling reads of a settled cycle.
pub trait SimView {
    /// True when 1-bit node `node` is 1.
    fn is_set(&self, node: NodeId) -> bool;
    /// Replace `out` with the words of register `idx`.
    fn reg_words_into(&self, idx: usize, out: &mut Vec<u64>);
}

impl SimView for Sim {
    fn is_set(&self, node: NodeId) -> bool {
        Sim::is_set(self, node)
    }
    fn reg_words_into(&self, idx: usize, out: &mut Vec<u64>) {
        out.clear();
        out.extend_from_slice(self.reg_words(idx));
    }
}

/// Each named value of enum register `r` as the words the register holds
/// it in (what a sample compares against).
pub(crate) fn enum_value_words(r: &ir::Reg) -> Vec<Vec<u64>> {
    r.enum_values
        .iter()
        .map(|e| e.value.zext(r.width.max(e.value.width())).to_words()[..nwords(r.width)].to_vec())
        .collect()
}

impl CoverageCollector {
    pub fn new(prog: Arc<Program>) -> CoverageCollector {
        let d = &prog.design;
        let toggle_regs: Vec<usize> = (0..d.regs.len())
            .filter(|&i| !d.regs[i].synthetic)
            .collect();
        let prev = toggle_regs
            .iter()
            .map(|&i| vec![0; nwords(d.regs[i].width)])
            .collect();
        let rise = toggle_regs
            .iter()
            .map(|&i| vec![0; d.regs[i].width as usize])
            .collect();
        let fall = toggle_regs
            .iter()
            .map(|&i| vec![0; d.regs[i].width as usize])
            .collect();
        let enums: Vec<EnumTrack> = d
            .regs
            .iter()
            .enumerate()
            .filter(|(_, r)| !r.enum_values.is_empty())
            .map(|(i, r)| {
                let n = r.enum_values.len();
                EnumTrack {
                    reg: i,
                    values: enum_value_words(r),
                    states: vec![0; n],
                    trans: vec![0; n * n],
                    prev: None,
                }
            })
            .collect();
        let covers = d
            .props
            .iter()
            .enumerate()
            .filter(|(_, p)| p.kind == PropKind::Cover)
            .map(|(i, _)| (i, 0))
            .collect();
        let mut next = d.branches.len() as u32;
        let toggle_base = toggle_regs
            .iter()
            .map(|&i| {
                let b = next;
                next += 2 * d.regs[i].width;
                b
            })
            .collect();
        let state_base = enums
            .iter()
            .map(|e| {
                let b = next;
                next += e.values.len() as u32;
                b
            })
            .collect::<Vec<u32>>();
        let trans_base = enums
            .iter()
            .map(|e| {
                let b = next;
                let n = e.values.len() as u32;
                next += n * n.saturating_sub(1);
                b
            })
            .collect();
        CoverageCollector {
            toggle_base,
            state_base,
            trans_base,
            cover_base: next,
            trans_scratch: Vec::new(),
            branches: vec![0; d.branches.len()],
            toggle_regs,
            prev,
            rise,
            fall,
            enums,
            covers,
            sampled: false,
            buf: Vec::new(),
            prog,
        }
    }

    /// Count one settled cycle of `sim`.
    pub fn sample(&mut self, sim: &Sim) {
        self.sample_view(sim);
    }

    /// Count one settled cycle of any simulation state (a scalar [`Sim`] or
    /// one lane of a [`crate::lanes::Lanes`]).
    pub fn sample_view(&mut self, sim: &impl SimView) {
        self.sample_into(sim, None);
    }

    /// As [`CoverageCollector::sample_view`], and replace `hits` with the
    /// points this cycle counted (each point counts at most once a cycle),
    /// as indices in [`CoverageCollector::finish`]'s order, ascending: which
    /// points a cycle hit, without comparing every counter.
    pub fn sample_hits(&mut self, sim: &impl SimView, hits: &mut Vec<u32>) {
        hits.clear();
        self.sample_into(sim, Some(&mut *hits));
        debug_assert!(hits.is_sorted());
    }

    fn sample_into(&mut self, sim: &impl SimView, mut hits: Option<&mut Vec<u32>>) {
        let prog = Arc::clone(&self.prog);
        let d = &prog.design;
        for (i, (b, h)) in d.branches.iter().zip(self.branches.iter_mut()).enumerate() {
            if sim.is_set(b.cond) {
                *h += 1;
                if let Some(o) = hits.as_deref_mut() {
                    o.push(i as u32);
                }
            }
        }
        let mut buf = std::mem::take(&mut self.buf);
        for k in 0..self.toggle_regs.len() {
            sim.reg_words_into(self.toggle_regs[k], &mut buf);
            for (wi, &c) in buf.iter().enumerate() {
                self.toggle_word(k, wi, c, hits.as_deref_mut().map(|h| (h, None)));
            }
        }
        let mut trans = std::mem::take(&mut self.trans_scratch);
        trans.clear();
        for k in 0..self.enums.len() {
            sim.reg_words_into(self.enums[k].reg, &mut buf);
            self.enum_sample(k, &buf, hits.as_deref_mut(), &mut trans);
        }
        if let Some(o) = hits.as_deref_mut() {
            o.extend_from_slice(&trans);
        }
        self.trans_scratch = trans;
        for (k, (p, h)) in self.covers.iter_mut().enumerate() {
            if sim.is_set(d.props[*p].node) {
                *h += 1;
                if let Some(o) = hits.as_deref_mut() {
                    o.push(self.cover_base + k as u32);
                }
            }
        }
        self.sampled = true;
        self.buf = buf;
    }

    /// Word `wi` of toggle register `k` is `c` this cycle: count its bits'
    /// toggles since the last cycle (none on the first).
    #[inline]
    fn toggle_word(
        &mut self,
        k: usize,
        wi: usize,
        c: u64,
        hits: Option<(&mut Vec<u32>, Option<&[bool]>)>,
    ) {
        let p = std::mem::replace(&mut self.prev[k][wi], c);
        if !self.sampled {
            return;
        }
        let mut changed = c ^ p;
        if changed == 0 {
            return;
        }
        let mut hits = hits;
        while changed != 0 {
            let b = changed.trailing_zeros();
            changed &= changed - 1;
            let bit = wi * 64 + b as usize;
            let rise = (c >> b) & 1 == 1;
            if rise {
                self.rise[k][bit] += 1;
            } else {
                self.fall[k][bit] += 1;
            }
            if let Some((o, watch)) = hits.as_mut() {
                let p = self.toggle_base[k] + 2 * bit as u32 + !rise as u32;
                if watch.is_none_or(|w| w[p as usize]) {
                    o.push(p);
                }
            }
        }
    }

    /// Enum register `k` holds `cur` this cycle: count its state and its
    /// transition (the transition's point into `trans`: transitions come
    /// after every state in the points' order).
    fn enum_sample(
        &mut self,
        k: usize,
        cur: &[u64],
        hits: Option<&mut Vec<u32>>,
        trans: &mut Vec<u32>,
    ) {
        let e = &mut self.enums[k];
        let idx = if let [w] = cur {
            e.values.iter().position(|v| v[0] == *w)
        } else {
            e.values.iter().position(|v| v.as_slice() == cur)
        };
        if let Some(i) = idx {
            e.states[i] += 1;
            if let Some(o) = hits {
                o.push(self.state_base[k] + i as u32);
            }
            if let Some(p) = e.prev {
                if p != i {
                    let n = e.values.len();
                    e.trans[p * n + i] += 1;
                    // Transitions are listed from each state to the
                    // others, skipping the state itself.
                    let j = if i < p { i } else { i - 1 };
                    trans.push(self.trans_base[k] + (p * (n - 1) + j) as u32);
                }
            }
        }
        e.prev = idx;
    }

    /// Count one settled cycle of every lane in `live` (bit `l` = lane `l`)
    /// of a batch: lane `l` into `cols[l]`, with the points it counted into
    /// `hits[l]` as [`CoverageCollector::sample_hits`] does (lanes not live
    /// are left alone), but only the points `watch` marks (all without it:
    /// a caller that needs the hits of a few points only skips the rest).
    /// The same counts as sampling each lane by itself, reading each node
    /// once for all lanes.
    ///
    /// # Panics
    /// When `cols` or `hits` has fewer entries than a live lane's index, or
    /// the collectors are of another program than the source's (caller bugs).
    pub fn sample_lanes(
        cols: &mut [CoverageCollector],
        src: &impl LaneSource,
        live: u64,
        hits: &mut [Vec<u32>],
        watch: Option<&[bool]>,
    ) {
        let watched = |p: u32| watch.is_none_or(|w| w[p as usize]);
        let Some(prog) = cols.first().map(|c| Arc::clone(&c.prog)) else {
            return;
        };
        let d = &prog.design;
        let lanes = || {
            let mut m = live;
            std::iter::from_fn(move || {
                (m != 0).then(|| {
                    let l = m.trailing_zeros() as usize;
                    m &= m - 1;
                    l
                })
            })
        };
        for l in lanes() {
            hits[l].clear();
        }
        for (i, b) in d.branches.iter().enumerate() {
            let mut m = src.set_mask(b.cond) & live;
            while m != 0 {
                let l = m.trailing_zeros() as usize;
                m &= m - 1;
                cols[l].branches[i] += 1;
                if watched(i as u32) {
                    hits[l].push(i as u32);
                }
            }
        }
        for k in 0..cols[0].toggle_regs.len() {
            let ri = cols[0].toggle_regs[k];
            for wi in 0..nwords(d.regs[ri].width) {
                let row = src.reg_lanes(ri, wi);
                for l in lanes() {
                    cols[l].toggle_word(k, wi, row[l], Some((&mut hits[l], watch)));
                }
            }
        }
        let mut buf = Vec::new();
        for l in lanes() {
            let c = &mut cols[l];
            let mut trans = std::mem::take(&mut c.trans_scratch);
            trans.clear();
            for k in 0..c.enums.len() {
                let ri = c.enums[k].reg;
                buf.clear();
                buf.extend((0..nwords(d.regs[ri].width)).map(|wi| src.reg_lanes(ri, wi)[l]));
                c.enum_sample(k, &buf, Some(&mut hits[l]), &mut trans);
            }
            hits[l].extend_from_slice(&trans);
            if watch.is_some() {
                hits[l].retain(|&p| watched(p));
            }
            c.trans_scratch = trans;
        }
        for k in 0..cols[0].covers.len() {
            let p = cols[0].covers[k].0;
            let mut m = src.set_mask(d.props[p].node) & live;
            while m != 0 {
                let l = m.trailing_zeros() as usize;
                m &= m - 1;
                cols[l].covers[k].1 += 1;
                let p = cols[l].cover_base + k as u32;
                if watched(p) {
                    hits[l].push(p);
                }
            }
        }
        for l in lanes() {
            cols[l].sampled = true;
            debug_assert!(hits[l].is_sorted());
        }
    }

    /// The hit counts of every point, in [`CoverageCollector::finish`]'s
    /// order, without building the points (cheap enough to call every cycle
    /// to see which points a cycle hit first).
    pub fn counts_into(&self, out: &mut Vec<u64>) {
        out.clear();
        out.extend_from_slice(&self.branches);
        for k in 0..self.toggle_regs.len() {
            for (r, f) in self.rise[k].iter().zip(&self.fall[k]) {
                out.push(*r);
                out.push(*f);
            }
        }
        for e in &self.enums {
            out.extend_from_slice(&e.states);
        }
        for e in &self.enums {
            let n = e.values.len();
            for i in 0..n {
                for j in 0..n {
                    if i != j {
                        out.push(e.trans[i * n + j]);
                    }
                }
            }
        }
        out.extend(self.covers.iter().map(|(_, h)| *h));
    }

    /// The counters as coverage points (stable order: branches, toggles,
    /// states, transitions, covers).
    pub fn finish(&self) -> Coverage {
        let d = &self.prog.design;
        let mut points = Vec::new();
        for (i, (b, h)) in d.branches.iter().zip(&self.branches).enumerate() {
            points.push(Point {
                id: format!("branch:{i}:{}", b.label),
                kind: PointKind::Branch,
                span: b.span,
                hits: *h,
            });
        }
        for (k, &ri) in self.toggle_regs.iter().enumerate() {
            let r = &d.regs[ri];
            for bit in 0..r.width as usize {
                for (dir, h) in [("rise", self.rise[k][bit]), ("fall", self.fall[k][bit])] {
                    points.push(Point {
                        id: format!("toggle:{}[{bit}]:{dir}", r.name),
                        kind: PointKind::Toggle,
                        span: r.span,
                        hits: h,
                    });
                }
            }
        }
        for e in &self.enums {
            let r = &d.regs[e.reg];
            for (i, v) in r.enum_values.iter().enumerate() {
                points.push(Point {
                    id: format!("state:{}={}", r.name, v.name),
                    kind: PointKind::State,
                    span: r.span,
                    hits: e.states[i],
                });
            }
        }
        for e in &self.enums {
            let r = &d.regs[e.reg];
            let n = r.enum_values.len();
            for (i, a) in r.enum_values.iter().enumerate() {
                for (j, b) in r.enum_values.iter().enumerate() {
                    if i != j {
                        points.push(Point {
                            id: format!("transition:{}:{}->{}", r.name, a.name, b.name),
                            kind: PointKind::Transition,
                            span: r.span,
                            hits: e.trans[i * n + j],
                        });
                    }
                }
            }
        }
        for (p, h) in &self.covers {
            let prop = &d.props[*p];
            points.push(Point {
                id: format!("cover:{}", prop.name),
                kind: PointKind::Cover,
                span: prop.span,
                hits: *h,
            });
        }
        Coverage {
            top: d.top.clone(),
            points,
        }
    }
}
