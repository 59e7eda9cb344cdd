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
                    values: r
                        .enum_values
                        .iter()
                        .map(|e| {
                            e.value.zext(r.width.max(e.value.width())).to_words()[..nwords(r.width)]
                                .to_vec()
                        })
                        .collect(),
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
        hits.sort_unstable();
    }

    fn sample_into(&mut self, sim: &impl SimView, mut hits: Option<&mut Vec<u32>>) {
        let d = &self.prog.design;
        for (i, (b, h)) in d.branches.iter().zip(self.branches.iter_mut()).enumerate() {
            if sim.is_set(b.cond) {
                *h += 1;
                if let Some(o) = hits.as_deref_mut() {
                    o.push(i as u32);
                }
            }
        }
        let mut buf = std::mem::take(&mut self.buf);
        for (k, &ri) in self.toggle_regs.iter().enumerate() {
            sim.reg_words_into(ri, &mut buf);
            let cur = &buf[..];
            let prev = &mut self.prev[k];
            if self.sampled {
                for (wi, (&c, p)) in cur.iter().zip(prev.iter()).enumerate() {
                    let mut changed = c ^ p;
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
                        if let Some(o) = hits.as_deref_mut() {
                            o.push(self.toggle_base[k] + 2 * bit as u32 + !rise as u32);
                        }
                    }
                }
            }
            prev.copy_from_slice(cur);
        }
        for (k, e) in self.enums.iter_mut().enumerate() {
            sim.reg_words_into(e.reg, &mut buf);
            let cur = &buf[..];
            let idx = e.values.iter().position(|v| v.as_slice() == cur);
            if let Some(i) = idx {
                e.states[i] += 1;
                if let Some(o) = hits.as_deref_mut() {
                    o.push(self.state_base[k] + i as u32);
                }
                if let Some(p) = e.prev {
                    if p != i {
                        let n = e.values.len();
                        e.trans[p * n + i] += 1;
                        if let Some(o) = hits.as_deref_mut() {
                            // Transitions are listed from each state to the
                            // others, skipping the state itself.
                            let j = if i < p { i } else { i - 1 };
                            o.push(self.trans_base[k] + (p * (n - 1) + j) as u32);
                        }
                    }
                }
            }
            e.prev = idx;
        }
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
