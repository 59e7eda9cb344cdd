//! Automaton monitors for unbounded sequences (`##[m:$]`, `[*m:$]`,
//! `[->n]`, `[=n]`), which the bounded unrolling of `sva.rs` cannot
//! express.
//!
//! A sequence becomes an NFA without empty transitions whose every edge
//! consumes one clock cycle and is guarded by a boolean formula over the
//! leaves of that cycle (atoms at offset 0). A match ends in the cycle
//! whose edge enters an accepting state; `empty` records whether the
//! sequence also admits the empty match (16.9.2.1). Fusion `##0` merges the
//! last edge of one operand with the first edge of the next, so no
//! "un-tick" is ever needed.
//!
//! Match detection needs one bit per NFA state (attempts in the same state
//! have the same future, so they merge exactly). Failure of a weak
//! sequence is per attempt, so it uses [`Dfa`], the subset construction:
//! each attempt is in exactly one set of NFA states.

use super::sva::{and, not, or, F};
use std::collections::{BTreeSet, HashMap};

/// Largest NFA (states) built for one sequence.
pub(super) const MAX_NFA: usize = 2048;
/// Largest subset construction (sets) built for one sequence.
pub(super) const MAX_DFA: usize = 512;

#[derive(Clone, Debug, Default)]
pub(super) struct Nfa {
    pub n: usize,
    /// Edges consuming the first cycle of an attempt.
    pub init: Vec<(F, usize)>,
    pub edges: Vec<(usize, F, usize)>,
    pub accept: Vec<bool>,
    pub empty: bool,
}

/// Why a construction was refused (the caller adds the location).
#[derive(Debug, PartialEq)]
pub(super) struct TooLarge;

impl Nfa {
    pub fn boolean(g: F) -> Nfa {
        if g == F::Fz {
            return Nfa::default();
        }
        Nfa {
            n: 1,
            init: vec![(g, 0)],
            edges: Vec::new(),
            accept: vec![true],
            empty: false,
        }
    }

    /// The sequence whose only match is the empty one (`s[*0]`).
    pub fn empty() -> Nfa {
        Nfa {
            empty: true,
            ..Nfa::default()
        }
    }

    fn check(self) -> Result<Nfa, TooLarge> {
        if self.n > MAX_NFA || self.edges.len() > 16 * MAX_NFA {
            Err(TooLarge)
        } else {
            Ok(self)
        }
    }

    /// `b`'s states renumbered after `a`'s, both in one automaton.
    fn union(a: &Nfa, b: &Nfa) -> Nfa {
        let k = a.n;
        let mut out = a.clone();
        out.n += b.n;
        out.init
            .extend(b.init.iter().map(|(g, q)| (g.clone(), q + k)));
        out.edges
            .extend(b.edges.iter().map(|(p, g, q)| (p + k, g.clone(), q + k)));
        out.accept.extend(b.accept.iter().copied());
        out
    }

    /// `a or b`.
    pub fn or(a: &Nfa, b: &Nfa) -> Result<Nfa, TooLarge> {
        let mut out = Nfa::union(a, b);
        out.empty = a.empty || b.empty;
        out.check()
    }

    /// `a ##1 b`: with the empty-match rules, `empty ##1 b` is `b` and
    /// `a ##1 empty` is `a`.
    pub fn concat(a: &Nfa, b: &Nfa) -> Result<Nfa, TooLarge> {
        let k = a.n;
        let mut out = Nfa::union(a, b);
        for f in (0..a.n).filter(|&f| a.accept[f]) {
            for (g, q) in &b.init {
                out.edges.push((f, g.clone(), q + k));
            }
        }
        if !b.empty {
            out.accept[..a.n].fill(false);
        }
        if !a.empty {
            out.init.truncate(a.init.len());
        }
        out.empty = a.empty && b.empty;
        out.check()
    }

    /// `a ##0 b`: the cycle that ends `a` starts `b`; an empty match on
    /// either side never fuses.
    pub fn fuse(a: &Nfa, b: &Nfa) -> Result<Nfa, TooLarge> {
        let k = a.n;
        let mut out = Nfa::union(a, b);
        out.init.truncate(a.init.len());
        for (p, g1, f) in &a.edges {
            if a.accept[*f] {
                for (g2, q) in &b.init {
                    out.edges.push((*p, and(g1.clone(), g2.clone()), q + k));
                }
            }
        }
        for (g1, f) in &a.init {
            if a.accept[*f] {
                for (g2, q) in &b.init {
                    out.init.push((and(g1.clone(), g2.clone()), q + k));
                }
            }
        }
        out.accept[..a.n].fill(false);
        out.empty = false;
        out.prune().check()
    }

    /// `a[*1:$]`.
    pub fn plus(a: &Nfa) -> Result<Nfa, TooLarge> {
        let mut out = a.clone();
        for f in (0..a.n).filter(|&f| a.accept[f]) {
            for (g, q) in &a.init {
                out.edges.push((f, g.clone(), *q));
            }
        }
        out.check()
    }

    /// `a[*0:$]`.
    pub fn star(a: &Nfa) -> Result<Nfa, TooLarge> {
        let mut out = Nfa::plus(a)?;
        out.empty = true;
        Ok(out)
    }

    /// `a[*lo:hi]`, `hi == None` for `$`.
    pub fn repeat(a: &Nfa, lo: u32, hi: Option<u32>) -> Result<Nfa, TooLarge> {
        let mut out = Nfa::empty();
        for _ in 0..lo {
            out = Nfa::concat(&out, a)?;
        }
        match hi {
            None => Nfa::concat(&out, &Nfa::star(a)?),
            Some(hi) => {
                // a[*0:k] = empty or (a ##1 a[*0:k-1]), built inside out.
                let mut tail = Nfa::empty();
                for _ in lo..hi {
                    tail = Nfa::concat(a, &tail)?;
                    tail.empty = true;
                }
                Nfa::concat(&out, &tail)
            }
        }
    }

    /// `a ##[lo:hi] b`, `hi == None` for `$`.
    pub fn delay(a: &Nfa, lo: u32, hi: Option<u32>, b: &Nfa) -> Result<Nfa, TooLarge> {
        let fused = if lo == 0 {
            Some(Nfa::fuse(a, b)?)
        } else {
            None
        };
        if hi == Some(0) {
            return Ok(fused.unwrap_or_default());
        }
        // a ##k b = a ##1 1[*k-1] ##1 b for k >= 1.
        let gap = Nfa::repeat(&Nfa::boolean(F::T), lo.max(1) - 1, hi.map(|h| h - 1))?;
        let later = Nfa::concat(&Nfa::concat(a, &gap)?, b)?;
        match fused {
            Some(f) => Nfa::or(&f, &later),
            None => Ok(later),
        }
    }

    /// `c throughout a`: `c` holds in every cycle of the match.
    pub fn throughout(c: &F, a: &Nfa) -> Nfa {
        let mut out = a.clone();
        for (g, _) in &mut out.init {
            *g = and(c.clone(), g.clone());
        }
        for (_, g, _) in &mut out.edges {
            *g = and(c.clone(), g.clone());
        }
        out.prune()
    }

    /// `b[->lo:hi]` = `(!b[*0:$] ##1 b)[*lo:hi]`.
    pub fn goto(b: &F, lo: u32, hi: Option<u32>) -> Result<Nfa, TooLarge> {
        let one = Nfa::concat(
            &Nfa::star(&Nfa::boolean(not(b.clone())))?,
            &Nfa::boolean(b.clone()),
        )?;
        Nfa::repeat(&one, lo, hi)
    }

    /// `b[=lo:hi]` = `b[->lo:hi] ##1 !b[*0:$]`.
    pub fn nonconsec(b: &F, lo: u32, hi: Option<u32>) -> Result<Nfa, TooLarge> {
        Nfa::concat(
            &Nfa::goto(b, lo, hi)?,
            &Nfa::star(&Nfa::boolean(not(b.clone())))?,
        )
    }

    /// `a intersect b` (same start, same end; empty matches excluded as in
    /// the bounded compiler).
    pub fn intersect(a: &Nfa, b: &Nfa) -> Result<Nfa, TooLarge> {
        let mut index: HashMap<(usize, usize), usize> = HashMap::new();
        let mut todo = Vec::new();
        let mut out = Nfa::default();
        let mut id = |p: usize, q: usize, out: &mut Nfa, todo: &mut Vec<(usize, usize)>| {
            *index.entry((p, q)).or_insert_with(|| {
                out.n += 1;
                out.accept.push(a.accept[p] && b.accept[q]);
                todo.push((p, q));
                out.n - 1
            })
        };
        for (g1, p) in &a.init {
            for (g2, q) in &b.init {
                let g = and(g1.clone(), g2.clone());
                if g != F::Fz {
                    let s = id(*p, *q, &mut out, &mut todo);
                    out.init.push((g, s));
                }
            }
        }
        while let Some((p, q)) = todo.pop() {
            if out.n > MAX_NFA {
                return Err(TooLarge);
            }
            let from = id(p, q, &mut out, &mut todo);
            for (_, g1, p2) in a.edges.iter().filter(|e| e.0 == p) {
                for (_, g2, q2) in b.edges.iter().filter(|e| e.0 == q) {
                    let g = and(g1.clone(), g2.clone());
                    if g != F::Fz {
                        let to = id(*p2, *q2, &mut out, &mut todo);
                        out.edges.push((from, g, to));
                    }
                }
            }
        }
        out.check()
    }

    /// `a and b`: both match from the same start; the match ends with the
    /// later of the two.
    pub fn and(a: &Nfa, b: &Nfa) -> Result<Nfa, TooLarge> {
        let tail = Nfa::star(&Nfa::boolean(F::T))?;
        let (a, b) = (a.non_empty(), b.non_empty());
        let x = Nfa::intersect(&Nfa::concat(&a, &tail)?, &b)?;
        let y = Nfa::intersect(&a, &Nfa::concat(&b, &tail)?)?;
        Nfa::or(&x, &y)
    }

    /// `a within b`: a match of `a` lies inside a match of `b`.
    pub fn within(a: &Nfa, b: &Nfa) -> Result<Nfa, TooLarge> {
        let any = Nfa::star(&Nfa::boolean(F::T))?;
        let inner = Nfa::concat(&Nfa::concat(&any, &a.non_empty())?, &any)?;
        Nfa::intersect(&inner, &b.non_empty())
    }

    /// `first_match(a)`: per attempt, only the earliest match end. Built on
    /// the subset construction: a set that contains an accepting state
    /// accepts and has no successors.
    pub fn first_match(a: &Nfa) -> Result<Nfa, TooLarge> {
        if a.empty {
            return Ok(Nfa::empty());
        }
        let d = Dfa::build(a)?;
        let mut out = Nfa {
            n: d.sets.len(),
            accept: d
                .sets
                .iter()
                .map(|s| s.iter().any(|&q| a.accept[q]))
                .collect(),
            ..Nfa::default()
        };
        for (g, to) in &d.init {
            if let Some(t) = to {
                out.init.push((g.clone(), *t));
            }
        }
        for (s, tr) in d.trans.iter().enumerate() {
            if out.accept[s] {
                continue;
            }
            for (g, to) in tr {
                if let Some(t) = to {
                    out.edges.push((s, g.clone(), *t));
                }
            }
        }
        out.prune().check()
    }

    pub fn non_empty(&self) -> Nfa {
        let mut out = self.clone();
        out.empty = false;
        out
    }

    /// Drop edges with an unsatisfiable guard and edges into states from
    /// which no accepting state can be reached.
    pub fn trim(&self) -> Nfa {
        let mut out = self.clone();
        out.init.retain(|(g, _)| sat(g));
        out.edges.retain(|(_, g, _)| sat(g));
        let mut live = out.accept.clone();
        loop {
            let mut changed = false;
            for (p, _, q) in &out.edges {
                if live[*q] && !live[*p] {
                    live[*p] = true;
                    changed = true;
                }
            }
            if !changed {
                break;
            }
        }
        out.init.retain(|(_, q)| live[*q]);
        out.edges.retain(|(p, _, q)| live[*p] && live[*q]);
        out
    }

    /// Drop edges whose guard is constant false.
    fn prune(mut self) -> Nfa {
        self.init.retain(|(g, _)| *g != F::Fz);
        self.edges.retain(|(_, g, _)| *g != F::Fz);
        self
    }
}

/// Subset construction of an NFA from one attempt's start. `init` and each
/// `trans[i]` list (guard, successor set); `None` is the empty set. Guards
/// leaving one set are mutually exclusive and cover every valuation.
/// Sets that contain an accepting state are still expanded (first_match
/// and the weak-sequence monitor ignore their successors).
#[derive(Debug)]
pub(super) struct Dfa {
    pub sets: Vec<BTreeSet<usize>>,
    pub init: Vec<(F, Option<usize>)>,
    pub trans: Vec<Vec<(F, Option<usize>)>>,
}

impl Dfa {
    pub fn build(a: &Nfa) -> Result<Dfa, TooLarge> {
        // Without dead states, a set empties exactly when no continuation
        // can match any more: failures are reported in that cycle.
        let a = &a.trim();
        let mut d = Dfa {
            sets: Vec::new(),
            init: Vec::new(),
            trans: Vec::new(),
        };
        let mut index: HashMap<BTreeSet<usize>, usize> = HashMap::new();
        let mut intern = |s: BTreeSet<usize>, d: &mut Dfa| -> Option<usize> {
            if s.is_empty() {
                return None;
            }
            Some(*index.entry(s.clone()).or_insert_with(|| {
                d.sets.push(s);
                d.trans.push(Vec::new());
                d.sets.len() - 1
            }))
        };
        let guards: Vec<(F, usize)> = a.init.clone();
        for (g, s) in split(&guards) {
            let to = intern(s, &mut d);
            d.init.push((g, to));
        }
        let mut i = 0;
        while i < d.sets.len() {
            if d.sets.len() > MAX_DFA {
                return Err(TooLarge);
            }
            let guards: Vec<(F, usize)> = a
                .edges
                .iter()
                .filter(|(p, _, _)| d.sets[i].contains(p))
                .map(|(_, g, q)| (g.clone(), *q))
                .collect();
            let mut tr = Vec::new();
            for (g, s) in split(&guards) {
                let to = intern(s, &mut d);
                tr.push((g, to));
            }
            d.trans[i] = tr;
            i += 1;
        }
        if d.sets.len() > MAX_DFA {
            return Err(TooLarge);
        }
        Ok(d)
    }
}

/// Group the targets of guarded edges by the set of targets enabled:
/// (condition, set) pairs whose conditions partition all valuations.
/// Shannon expansion on the leaves the guards mention, so only relevant
/// leaves are enumerated.
fn split(guards: &[(F, usize)]) -> Vec<(F, BTreeSet<usize>)> {
    let mut groups: Vec<(F, BTreeSet<usize>)> = Vec::new();
    fn go(guards: Vec<(F, usize)>, path: F, groups: &mut Vec<(F, BTreeSet<usize>)>) {
        let pending = guards.iter().find_map(|(g, _)| first_atom(g));
        match pending {
            Some(l) => {
                for v in [true, false] {
                    let lit = if v { F::Atom(l, 0) } else { not(F::Atom(l, 0)) };
                    let gs = guards
                        .iter()
                        .map(|(g, q)| (assign(g, l, v), *q))
                        .filter(|(g, _)| *g != F::Fz)
                        .collect();
                    go(gs, and(path.clone(), lit), groups);
                }
            }
            None => {
                // Every guard left is constant true.
                let set: BTreeSet<usize> = guards.iter().map(|(_, q)| *q).collect();
                match groups.iter_mut().find(|(_, s)| *s == set) {
                    Some((c, _)) => *c = or(c.clone(), path),
                    None => groups.push((path, set)),
                }
            }
        }
    }
    go(guards.to_vec(), F::T, &mut groups);
    groups
}

/// Is some valuation of the leaves making `f` true?
fn sat(f: &F) -> bool {
    match first_atom(f) {
        None => *f == F::T,
        Some(l) => sat(&assign(f, l, true)) || sat(&assign(f, l, false)),
    }
}

fn first_atom(f: &F) -> Option<usize> {
    match f {
        F::T | F::Fz => None,
        F::Atom(l, _) => Some(*l),
        F::Not(a) => first_atom(a),
        F::And(a, b) | F::Or(a, b) => first_atom(a).or_else(|| first_atom(b)),
    }
}

/// `f` with leaf `l` replaced by a constant, simplified.
fn assign(f: &F, l: usize, v: bool) -> F {
    match f {
        F::T | F::Fz => f.clone(),
        F::Atom(x, _) if *x == l => {
            if v {
                F::T
            } else {
                F::Fz
            }
        }
        F::Atom(..) => f.clone(),
        F::Not(a) => not(assign(a, l, v)),
        F::And(a, b) => and(assign(a, l, v), assign(b, l, v)),
        F::Or(a, b) => or(assign(a, l, v), assign(b, l, v)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn eval(f: &F, row: &[bool]) -> bool {
        match f {
            F::T => true,
            F::Fz => false,
            F::Atom(l, _) => row[*l],
            F::Not(a) => !eval(a, row),
            F::And(a, b) => eval(a, row) && eval(b, row),
            F::Or(a, b) => eval(a, row) || eval(b, row),
        }
    }

    /// Match ends of the attempt started at cycle 0.
    fn ends(a: &Nfa, tr: &[Vec<bool>]) -> Vec<usize> {
        let mut cur: BTreeSet<usize> = BTreeSet::new();
        let mut out = Vec::new();
        for (t, row) in tr.iter().enumerate() {
            let mut next = BTreeSet::new();
            if t == 0 {
                next.extend(a.init.iter().filter(|(g, _)| eval(g, row)).map(|(_, q)| *q));
            }
            for (p, g, q) in &a.edges {
                if cur.contains(p) && eval(g, row) {
                    next.insert(*q);
                }
            }
            if next.iter().any(|&q| a.accept[q]) {
                out.push(t);
            }
            cur = next;
        }
        out
    }

    fn rows(bits: &[&str]) -> Vec<Vec<bool>> {
        bits.iter()
            .map(|r| r.chars().map(|c| c == '1').collect())
            .collect()
    }

    fn a() -> F {
        F::Atom(0, 0)
    }
    fn b() -> F {
        F::Atom(1, 0)
    }

    #[test]
    fn goto_ends_at_each_nth_occurrence() {
        let g = Nfa::goto(&a(), 2, Some(3)).unwrap();
        let tr = rows(&["1", "0", "1", "0", "1", "1"]);
        assert_eq!(ends(&g, &tr), vec![2, 4]);
        let nc = Nfa::nonconsec(&a(), 2, Some(2)).unwrap();
        assert_eq!(ends(&nc, &tr), vec![2, 3]);
    }

    #[test]
    fn unbounded_delay_and_fusion() {
        // a ##[2:$] b
        let d = Nfa::delay(&Nfa::boolean(a()), 2, None, &Nfa::boolean(b())).unwrap();
        let tr = rows(&["10", "01", "01", "00", "01"]);
        assert_eq!(ends(&d, &tr), vec![2, 4]);
        // a ##0 b fuses into one cycle
        let f = Nfa::delay(&Nfa::boolean(a()), 0, Some(0), &Nfa::boolean(b())).unwrap();
        assert_eq!(ends(&f, &rows(&["11"])), vec![0]);
        assert!(ends(&f, &rows(&["10"])).is_empty());
    }

    #[test]
    fn first_match_keeps_the_earliest_end() {
        let s = Nfa::delay(&Nfa::boolean(a()), 1, None, &Nfa::boolean(b())).unwrap();
        let fm = Nfa::first_match(&s).unwrap();
        let tr = rows(&["10", "01", "01"]);
        assert_eq!(ends(&s, &tr), vec![1, 2]);
        assert_eq!(ends(&fm, &tr), vec![1]);
    }

    #[test]
    fn split_partitions_valuations() {
        let gs = vec![(a(), 0), (and(a(), b()), 1), (not(b()), 2)];
        let parts = split(&gs);
        for v in 0..4 {
            let row = [v & 1 == 1, v & 2 == 2];
            let hits: Vec<_> = parts.iter().filter(|(c, _)| eval(c, &row)).collect();
            assert_eq!(hits.len(), 1);
            let want: BTreeSet<usize> = gs
                .iter()
                .filter(|(g, _)| eval(g, &row))
                .map(|(_, q)| *q)
                .collect();
            assert_eq!(hits[0].1, want);
        }
    }

    #[test]
    fn sizes_are_bounded() {
        let x = Nfa::repeat(&Nfa::boolean(a()), 0, Some(3000));
        assert_eq!(x.err(), Some(TooLarge));
    }

    /// The subset construction's guards out of every set (and the initial
    /// ones) partition the valuations: an attempt takes exactly one.
    #[test]
    fn dfa_guards_partition_valuations() {
        let rep = Nfa::repeat(&Nfa::boolean(a()), 2, None).unwrap();
        let n = Nfa::and(&rep, &Nfa::boolean(b())).unwrap();
        let d = Dfa::build(&n).unwrap();
        for tr in std::iter::once(&d.init).chain(&d.trans) {
            for v in 0..4usize {
                let row = [v & 1 == 1, v & 2 == 2];
                let taken = tr.iter().filter(|(g, _)| eval(g, &row)).count();
                assert_eq!(taken, 1, "row {row:?}: {tr:?}");
            }
        }
    }
}
