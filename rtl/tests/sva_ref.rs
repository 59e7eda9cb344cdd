//! The compiled SVA monitors against a direct reference evaluator of the
//! IEEE 1800-2017 clause 16 semantics (match sets of sequences, property
//! truth per attempt), on random sequences and properties over three
//! signals and random finite traces.
//!
//! Each property `P` is compiled as `assert property (s |-> (P))` with a
//! fresh input `s` that is 1 only at cycle `t`: the monitor then checks
//! exactly the attempt of `P` started at `t`, so the comparison is per
//! attempt (does it fail?), not just "something failed somewhere". Each
//! sequence `S` is also compiled as `cover sequence (S)`, whose hits are
//! compared cycle by cycle with the ends of all matches of all attempts.

use proptest::prelude::*;
use rtl::elab::ElabOptions;
use rtl::ir::Design;
use rtl::passes::eval;
use rtl::Bits;

/// Boolean leaves over signals a, b, c.
#[derive(Clone, Debug)]
enum B {
    Var(usize),
    Not(usize),
    And(usize, usize),
    Or(usize, usize),
}

#[derive(Clone, Debug)]
enum S {
    Bool(B),
    /// `s1 ##[lo:hi] s2`
    Delay(Box<S>, u32, u32, Box<S>),
    /// `##[lo:hi] s`
    Lead(u32, u32, Box<S>),
    /// `s[*lo:hi]`, lo >= 1
    Rep(Box<S>, u32, u32),
    /// `s1 ##[lo:$] s2`
    DelayU(Box<S>, u32, Box<S>),
    /// `s[*lo:$]`, lo >= 1
    RepU(Box<S>, u32),
    /// `b[->lo:hi]`, lo >= 1
    Goto(B, u32, u32),
    /// `b[=lo:hi]`, lo >= 1
    NonConsec(B, u32, u32),
    And(Box<S>, Box<S>),
    Or(Box<S>, Box<S>),
    Intersect(Box<S>, Box<S>),
    Within(Box<S>, Box<S>),
    Throughout(B, Box<S>),
    FirstMatch(Box<S>),
}

#[derive(Clone, Debug)]
enum P {
    Seq(S),
    /// `s |-> p` (true) or `s |=> p`
    Implies(S, bool, Box<P>),
    /// `s #-# p` (true) or `s #=# p`
    Followed(S, bool, Box<P>),
    Not(Box<P>),
    And(Box<P>, Box<P>),
    Or(Box<P>, Box<P>),
    If(B, Box<P>, Option<Box<P>>),
}

const SIG: [&str; 3] = ["a", "b", "c"];

fn b_sv(b: &B) -> String {
    match b {
        B::Var(i) => SIG[*i].into(),
        // Parenthesised: sv-parser 0.13 rejects the equally valid
        // `s |-> (first_match(a) ##0 ((a && c) ##0 !b))` (a syntax error at
        // `|->`), but takes it with `(!b)`; seed in sva_ref.proptest-regressions.
        B::Not(i) => format!("(!{})", SIG[*i]),
        B::And(i, j) => format!("({} && {})", SIG[*i], SIG[*j]),
        B::Or(i, j) => format!("({} || {})", SIG[*i], SIG[*j]),
    }
}

fn range_sv(lo: u32, hi: u32) -> String {
    if lo == hi {
        format!("{lo}")
    } else {
        format!("[{lo}:{hi}]")
    }
}

fn s_sv(s: &S) -> String {
    match s {
        S::Bool(b) => b_sv(b),
        S::Delay(x, lo, hi, y) => format!("({} ##{} {})", s_sv(x), range_sv(*lo, *hi), s_sv(y)),
        S::Lead(lo, hi, y) => format!("(##{} {})", range_sv(*lo, *hi), s_sv(y)),
        S::Rep(x, lo, hi) => {
            let r = if lo == hi {
                format!("{lo}")
            } else {
                format!("{lo}:{hi}")
            };
            format!("({})[*{r}]", s_sv(x))
        }
        S::DelayU(x, lo, y) => format!("({} ##[{lo}:$] {})", s_sv(x), s_sv(y)),
        S::RepU(x, lo) => format!("({})[*{lo}:$]", s_sv(x)),
        S::Goto(b, lo, hi) => format!("{}[->{lo}:{hi}]", b_sv(b)),
        S::NonConsec(b, lo, hi) => format!("{}[={lo}:{hi}]", b_sv(b)),
        S::And(x, y) => format!("({} and {})", s_sv(x), s_sv(y)),
        S::Or(x, y) => format!("({} or {})", s_sv(x), s_sv(y)),
        S::Intersect(x, y) => format!("({} intersect {})", s_sv(x), s_sv(y)),
        S::Within(x, y) => format!("({} within {})", s_sv(x), s_sv(y)),
        S::Throughout(b, y) => format!("({} throughout {})", b_sv(b), s_sv(y)),
        S::FirstMatch(x) => format!("first_match({})", s_sv(x)),
    }
}

fn p_sv(p: &P) -> String {
    match p {
        P::Seq(s) => s_sv(s),
        P::Implies(s, ov, p) => {
            format!(
                "({} {} {})",
                s_sv(s),
                if *ov { "|->" } else { "|=>" },
                p_sv(p)
            )
        }
        P::Followed(s, ov, p) => {
            format!(
                "({} {} {})",
                s_sv(s),
                if *ov { "#-#" } else { "#=#" },
                p_sv(p)
            )
        }
        P::Not(p) => format!("(not {})", p_sv(p)),
        P::And(x, y) => format!("({} and {})", p_sv(x), p_sv(y)),
        P::Or(x, y) => format!("({} or {})", p_sv(x), p_sv(y)),
        P::If(b, t, e) => match e {
            Some(e) => format!("(if ({}) {} else {})", b_sv(b), p_sv(t), p_sv(e)),
            None => format!("(if ({}) {})", b_sv(b), p_sv(t)),
        },
    }
}

// ------------------------------------------------------------ reference

type Trace = Vec<[bool; 3]>;

fn b_at(b: &B, tr: &Trace, t: usize) -> bool {
    let r = &tr[t];
    match b {
        B::Var(i) => r[*i],
        B::Not(i) => !r[*i],
        B::And(i, j) => r[*i] && r[*j],
        B::Or(i, j) => r[*i] || r[*j],
    }
}

fn dedup(mut v: Vec<usize>) -> Vec<usize> {
    v.sort_unstable();
    v.dedup();
    v
}

/// End cycles of the matches of `s` starting at `t` (16.9); no sequence
/// generated here admits an empty match.
fn matches(s: &S, tr: &Trace, t: usize) -> Vec<usize> {
    if t >= tr.len() {
        return vec![]; // beyond the trace: no match ends inside it
    }
    let out = match s {
        S::Bool(b) => {
            if b_at(b, tr, t) {
                vec![t]
            } else {
                vec![]
            }
        }
        S::Delay(x, lo, hi, y) => {
            let mut v = Vec::new();
            for e1 in matches(x, tr, t) {
                for k in *lo..=*hi {
                    v.extend(matches(y, tr, e1 + k as usize));
                }
            }
            v
        }
        S::Lead(lo, hi, y) => (*lo..=*hi)
            .flat_map(|k| matches(y, tr, t + k as usize))
            .collect(),
        S::Rep(x, lo, hi) => {
            let mut v = Vec::new();
            let mut cur = matches(x, tr, t);
            for n in 1..=*hi {
                if n >= *lo {
                    v.extend(cur.iter().copied());
                }
                if n < *hi {
                    cur = dedup(cur.iter().flat_map(|&e| matches(x, tr, e + 1)).collect());
                }
            }
            v
        }
        // Unbounded forms: every match ending inside the trace (later
        // starts match nothing, see above).
        S::DelayU(x, lo, y) => {
            let mut v = Vec::new();
            for e1 in matches(x, tr, t) {
                for k in (e1 + *lo as usize)..tr.len() {
                    v.extend(matches(y, tr, k));
                }
            }
            v
        }
        S::RepU(x, lo) => {
            let mut v = Vec::new();
            let mut cur = matches(x, tr, t);
            let mut n = 1;
            while !cur.is_empty() {
                if n >= *lo {
                    v.extend(cur.iter().copied());
                }
                cur = dedup(cur.iter().flat_map(|&e| matches(x, tr, e + 1)).collect());
                n += 1;
                if n as usize > tr.len() + 1 {
                    break; // every iteration consumes a cycle
                }
            }
            v
        }
        S::Goto(b, lo, hi) | S::NonConsec(b, lo, hi) => {
            let occ: Vec<usize> = (t..tr.len()).filter(|&i| b_at(b, tr, i)).collect();
            let mut v = Vec::new();
            for n in *lo as usize..=*hi as usize {
                let Some(&e) = occ.get(n - 1) else { break };
                if matches!(s, S::Goto(..)) {
                    v.push(e);
                } else {
                    // Then any cycles without b, up to the next b.
                    let stop = occ.get(n).copied().unwrap_or(tr.len());
                    v.extend(e..stop);
                }
            }
            v
        }
        S::And(x, y) => {
            let (mx, my) = (matches(x, tr, t), matches(y, tr, t));
            mx.iter()
                .flat_map(|&e1| my.iter().map(move |&e2| e1.max(e2)))
                .collect()
        }
        S::Or(x, y) => {
            let mut v = matches(x, tr, t);
            v.extend(matches(y, tr, t));
            v
        }
        S::Intersect(x, y) => {
            let my = matches(y, tr, t);
            matches(x, tr, t)
                .into_iter()
                .filter(|e| my.contains(e))
                .collect()
        }
        S::Within(x, y) => matches(y, tr, t)
            .into_iter()
            .filter(|&e2| (t..=e2).any(|t1| matches(x, tr, t1).iter().any(|&e1| e1 <= e2)))
            .collect(),
        S::Throughout(b, y) => matches(y, tr, t)
            .into_iter()
            .filter(|&e| (t..=e).all(|i| b_at(b, tr, i)))
            .collect(),
        S::FirstMatch(x) => matches(x, tr, t).into_iter().min().into_iter().collect(),
    };
    dedup(out)
}

/// Does the attempt of `p` started at `t` hold (16.12)?
fn holds(p: &P, tr: &Trace, t: usize) -> bool {
    match p {
        P::Seq(s) => !matches(s, tr, t).is_empty(),
        P::Implies(s, ov, q) => matches(s, tr, t)
            .into_iter()
            .all(|e| holds(q, tr, e + (!ov) as usize)),
        P::Followed(s, ov, q) => matches(s, tr, t)
            .into_iter()
            .any(|e| holds(q, tr, e + (!ov) as usize)),
        P::Not(q) => !holds(q, tr, t),
        P::And(x, y) => holds(x, tr, t) && holds(y, tr, t),
        P::Or(x, y) => holds(x, tr, t) || holds(y, tr, t),
        P::If(b, x, y) => {
            if b_at(b, tr, t) {
                holds(x, tr, t)
            } else {
                y.as_ref().is_none_or(|y| holds(y, tr, t))
            }
        }
    }
}

/// Cycles after its start that an attempt may look at.
fn s_hor(s: &S) -> u32 {
    match s {
        S::Bool(_) => 0,
        S::Delay(x, _, hi, y) => s_hor(x) + hi + s_hor(y),
        S::Lead(_, hi, y) => hi + s_hor(y),
        S::Rep(x, _, hi) => hi * (s_hor(x) + 1) - 1,
        S::And(x, y) | S::Or(x, y) | S::Intersect(x, y) | S::Within(x, y) => s_hor(x).max(s_hor(y)),
        S::Throughout(_, y) | S::FirstMatch(y) => s_hor(y),
        S::DelayU(..) | S::RepU(..) | S::Goto(..) | S::NonConsec(..) => u32::MAX / 4,
    }
}

fn p_hor(p: &P) -> u32 {
    match p {
        P::Seq(s) => s_hor(s),
        P::Implies(s, ov, q) | P::Followed(s, ov, q) => s_hor(s) + (!ov) as u32 + p_hor(q),
        P::Not(q) => p_hor(q),
        P::And(x, y) | P::Or(x, y) => p_hor(x).max(p_hor(y)),
        P::If(_, x, y) => p_hor(x).max(y.as_ref().map_or(0, |y| p_hor(y))),
    }
}

// ------------------------------------------------------------ generators

fn arb_b() -> impl Strategy<Value = B> {
    prop_oneof![
        3 => (0..3usize).prop_map(B::Var),
        1 => (0..3usize).prop_map(B::Not),
        1 => (0..3usize, 0..3usize).prop_map(|(i, j)| B::And(i, j)),
        1 => (0..3usize, 0..3usize).prop_map(|(i, j)| B::Or(i, j)),
    ]
}

fn arb_range(max: u32) -> impl Strategy<Value = (u32, u32)> {
    (0..=max, 0..=max).prop_map(|(a, b)| (a.min(b), a.max(b)))
}

fn arb_s() -> impl Strategy<Value = S> {
    arb_b().prop_map(S::Bool).prop_recursive(3, 12, 2, |inner| {
        prop_oneof![
            (inner.clone(), arb_range(2), inner.clone()).prop_map(|(x, (lo, hi), y)| S::Delay(
                Box::new(x),
                lo,
                hi,
                Box::new(y)
            )),
            (arb_range(2), inner.clone()).prop_map(|((lo, hi), y)| S::Lead(lo, hi, Box::new(y))),
            (inner.clone(), 1..=2u32, 0..=1u32).prop_map(|(x, lo, d)| S::Rep(
                Box::new(x),
                lo,
                lo + d
            )),
            (inner.clone(), inner.clone()).prop_map(|(x, y)| S::And(Box::new(x), Box::new(y))),
            (inner.clone(), inner.clone()).prop_map(|(x, y)| S::Or(Box::new(x), Box::new(y))),
            (inner.clone(), inner.clone())
                .prop_map(|(x, y)| S::Intersect(Box::new(x), Box::new(y))),
            (inner.clone(), inner.clone()).prop_map(|(x, y)| S::Within(Box::new(x), Box::new(y))),
            (arb_b(), inner.clone()).prop_map(|(b, y)| S::Throughout(b, Box::new(y))),
            inner.prop_map(|x| S::FirstMatch(Box::new(x))),
        ]
    })
}

fn arb_p() -> impl Strategy<Value = P> {
    arb_s().prop_map(P::Seq).prop_recursive(2, 6, 2, |inner| {
        prop_oneof![
            (arb_s(), any::<bool>(), inner.clone()).prop_map(|(s, ov, p)| P::Implies(
                s,
                ov,
                Box::new(p)
            )),
            (arb_s(), any::<bool>(), inner.clone()).prop_map(|(s, ov, p)| P::Followed(
                s,
                ov,
                Box::new(p)
            )),
            inner.clone().prop_map(|p| P::Not(Box::new(p))),
            (inner.clone(), inner.clone()).prop_map(|(x, y)| P::And(Box::new(x), Box::new(y))),
            (inner.clone(), inner.clone()).prop_map(|(x, y)| P::Or(Box::new(x), Box::new(y))),
            (arb_b(), inner.clone(), proptest::option::of(inner)).prop_map(|(b, x, y)| P::If(
                b,
                Box::new(x),
                y.map(Box::new)
            )),
        ]
    })
}

// ------------------------------------------------------------ the monitor

/// sv-parser 0.13 rejects some valid generated texts, e.g.
/// `((a within (a)[*2:$]) ##[1:$] (c && a))` (at `##`) and
/// `s |-> (first_match(a) ##0 ((a && c) ##0 !b))` (at `|->`): a syntax
/// error is the parser dependency's gap, not an answer of the monitor, so
/// such cases are rejected (`prop_assume!`), and proptest's limit on
/// rejections fails the test if they stop being rare.
fn parser_gap(e: &rtl::Error) -> bool {
    e.diags
        .iter()
        .any(|d| d.message.starts_with("syntax error"))
}

/// The design, or `None` where sv-parser rejects the text ([`parser_gap`]).
fn compile(src: &str) -> Option<Design> {
    let c = rtl::compile_text("t.sv", src, ElabOptions::default());
    match c.result {
        Ok(e) => Some(e.design),
        Err(e) if parser_gap(&e) => None,
        Err(e) => panic!("{}\n{src}", e.render(&c.sources, false)),
    }
}

/// Run `d` on `tr` with the extra input `s` (1 at cycle `start`) and
/// return the cycles at which property `prop` fires.
fn fires(d: &Design, tr: &Trace, start: Option<usize>, prop: usize) -> Vec<usize> {
    let mut regs: Vec<Bits> = d
        .regs
        .iter()
        .map(|r| r.init.clone().unwrap_or_else(|| Bits::zero(r.width)))
        .collect();
    let mems: Vec<Vec<Bits>> = vec![];
    let mut out = Vec::new();
    for (cyc, row) in tr.iter().enumerate() {
        let ins: Vec<Bits> = d
            .inputs
            .iter()
            .map(|i| {
                let v = match i.name.as_str() {
                    "a" => row[0],
                    "b" => row[1],
                    "c" => row[2],
                    "s" => start == Some(cyc),
                    _ => false,
                };
                Bits::from_u64(i.width, v as u64)
            })
            .collect();
        let vals = eval::eval_comb(d, &ins, &regs, &mems);
        if !vals[d.props[prop].node.index()].is_zero() {
            out.push(cyc);
        }
        regs = eval::step(d, &ins, &regs, &mems).regs;
    }
    out
}

/// As [`compile`], but also `None` when the monitor is refused as too
/// large (a documented limit of the automaton monitors, not a wrong answer).
fn compile_bounded_size(src: &str) -> Option<Design> {
    let c = rtl::compile_text("t.sv", src, ElabOptions::default());
    match c.result {
        Ok(e) => Some(e.design),
        Err(e) if e.diags.iter().any(|d| d.message.contains("too large")) => None,
        Err(e) if parser_gap(&e) => None,
        Err(e) => panic!("{}\n{src}", e.render(&c.sources, false)),
    }
}

fn arb_trace(len: usize) -> impl Strategy<Value = Trace> {
    proptest::collection::vec(any::<[bool; 3]>(), len)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn monitor_agrees_with_clause_16_reference(
        p in arb_p().prop_filter("short horizon", |p| p_hor(p) <= 10),
        s in arb_s().prop_filter("short horizon", |s| s_hor(s) <= 10),
        seed_rows in arb_trace(24),
    ) {
        let h = p_hor(&p) as usize;
        let src = format!(
            "module t(input logic clk, a, b, c, s);
               default clocking @(posedge clk); endclocking
               a_p: assert property (s |-> {});
               c_s: cover sequence ({});
             endmodule",
            p_sv(&p),
            s_sv(&s)
        );
        let d = compile(&src);
        prop_assume!(d.is_some(), "sv-parser rejects the text");
        let d = d.unwrap();
        assert_eq!(d.props.len(), 2);
        // Attempts whose whole window lies inside the trace.
        let len = (h + 6).min(seed_rows.len()).max(h + 1);
        let mut tr: Trace = seed_rows.clone();
        while tr.len() < len + h {
            tr.extend(seed_rows.iter().copied());
        }
        tr.truncate(len + h);
        for t in 0..len {
            let want_fail = !holds(&p, &tr, t);
            let got = fires(&d, &tr, Some(t), 0);
            prop_assert!(got.iter().all(|&k| k >= t && k <= t + h),
                "{src}\nattempt {t}: fired at {got:?} outside its window (h = {h})\ntrace {tr:?}");
            prop_assert_eq!(!got.is_empty(), want_fail,
                "{}\nattempt {}: monitor fired at {:?}, reference says {}\ntrace {:?}",
                src, t, got, if want_fail { "fail" } else { "pass" }, tr);
        }
        // Cover of the sequence: hit at every cycle some match of some attempt ends.
        let got = fires(&d, &tr, None, 1);
        let hs = s_hor(&s) as usize;
        let want: Vec<usize> = (0..tr.len())
            .filter(|&k| (0..=k).any(|t| t + hs < tr.len() && matches(&s, &tr, t).contains(&k)))
            .collect();
        let got: Vec<usize> = got.into_iter().filter(|&k| k + hs < tr.len()).collect();
        let want: Vec<usize> = want.into_iter().filter(|&k| k + hs < tr.len()).collect();
        prop_assert_eq!(got, want, "{}\ntrace {:?}", src, tr);
    }
}

// ------------------------------------------------------------ unbounded

/// Sequences with unbounded forms (`##[m:$]`, `[*m:$]`, `[->]`, `[=]`)
/// among the bounded ones.
fn arb_su() -> impl Strategy<Value = S> {
    arb_b().prop_map(S::Bool).prop_recursive(3, 10, 2, |inner| {
        prop_oneof![
            (inner.clone(), 0..=2u32, inner.clone()).prop_map(|(x, lo, y)| S::DelayU(
                Box::new(x),
                lo,
                Box::new(y)
            )),
            (inner.clone(), 1..=2u32).prop_map(|(x, lo)| S::RepU(Box::new(x), lo)),
            (arb_b(), 1..=2u32, 0..=1u32).prop_map(|(b, lo, d)| S::Goto(b, lo, lo + d)),
            (arb_b(), 1..=2u32, 0..=1u32).prop_map(|(b, lo, d)| S::NonConsec(b, lo, lo + d)),
            (inner.clone(), arb_range(2), inner.clone()).prop_map(|(x, (lo, hi), y)| S::Delay(
                Box::new(x),
                lo,
                hi,
                Box::new(y)
            )),
            (inner.clone(), inner.clone()).prop_map(|(x, y)| S::Or(Box::new(x), Box::new(y))),
            (inner.clone(), inner.clone()).prop_map(|(x, y)| S::And(Box::new(x), Box::new(y))),
            (inner.clone(), inner.clone())
                .prop_map(|(x, y)| S::Intersect(Box::new(x), Box::new(y))),
            (inner.clone(), inner.clone()).prop_map(|(x, y)| S::Within(Box::new(x), Box::new(y))),
            (arb_b(), inner.clone()).prop_map(|(b, y)| S::Throughout(b, Box::new(y))),
            inner.prop_map(|x| S::FirstMatch(Box::new(x))),
        ]
    })
}

fn has_unbounded(s: &S) -> bool {
    match s {
        S::Bool(_) => false,
        S::DelayU(..) | S::RepU(..) | S::Goto(..) | S::NonConsec(..) => true,
        S::Delay(x, _, _, y)
        | S::And(x, y)
        | S::Or(x, y)
        | S::Intersect(x, y)
        | S::Within(x, y) => has_unbounded(x) || has_unbounded(y),
        S::Lead(_, _, y) | S::Rep(y, _, _) | S::Throughout(_, y) | S::FirstMatch(y) => {
            has_unbounded(y)
        }
    }
}

/// Can the attempt of `s` started at `t` still match after seeing the
/// trace up to cycle `k`, within `d` more cycles? (Checked by trying every
/// continuation: a sound witness search, used to confirm failures.)
fn extendable(s: &S, tr: &Trace, t: usize, k: usize, d: usize) -> bool {
    let base: Trace = tr[..=k].to_vec();
    (0..=d).any(|len| {
        (0..1usize << (3 * len)).any(|bits| {
            let mut x = base.clone();
            for i in 0..len {
                let v = bits >> (3 * i);
                x.push([v & 1 == 1, v & 2 == 2, v & 4 == 4]);
            }
            !matches(s, &x, t).is_empty()
        })
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    /// The automaton monitors: match ends (cover and antecedent) exactly,
    /// and weak-sequence failures never where a match exists and only
    /// where no continuation can match.
    #[test]
    fn automaton_monitor_agrees_with_clause_16_reference(
        s in arb_su(),
        b in arb_b(),
        tr in arb_trace(14),
        t in 0..8usize,
    ) {
        let src = format!(
            "module t(input logic clk, a, b, c, s);
               default clocking @(posedge clk); endclocking
               c_s: cover sequence ({seq});
               a_i: assert property ({seq} |-> {b});
               a_w: assert property (s |-> {seq});
             endmodule",
            seq = s_sv(&s),
            b = b_sv(&b),
        );
        let d = compile_bounded_size(&src);
        prop_assume!(d.is_some(), "monitor too large or sv-parser rejects the text");
        let d = d.unwrap();
        let ends: Vec<Vec<usize>> = (0..tr.len()).map(|t| matches(&s, &tr, t)).collect();
        let want: Vec<usize> = (0..tr.len()).filter(|&k| ends.iter().any(|e| e.contains(&k))).collect();
        prop_assert_eq!(fires(&d, &tr, None, 0), want, "cover\n{}\ntrace {:?}", src, tr);
        let want: Vec<usize> = (0..tr.len())
            .filter(|&k| ends.iter().any(|e| e.contains(&k)) && !b_at(&b, &tr, k))
            .collect();
        // The automaton reports every failing match end; the unrolled
        // monitor (a bounded sequence) only each attempt's first.
        let got = fires(&d, &tr, None, 1);
        if has_unbounded(&s) {
            prop_assert_eq!(got, want, "antecedent\n{}\ntrace {:?}", src, tr);
        } else {
            prop_assert!(got.iter().all(|k| want.contains(k)) && got.first() == want.first(),
                "antecedent\n{src}\nfired {got:?}, failing ends {want:?}\ntrace {tr:?}");
        }
        let got = fires(&d, &tr, Some(t), 2);
        prop_assert!(got.len() <= 1, "{src}\nattempt {t} failed twice: {got:?}");
        if !ends[t].is_empty() {
            prop_assert!(got.is_empty(), "{src}\nattempt {t} matches at {:?} but failed at {got:?}\ntrace {tr:?}", ends[t]);
        }
        if let Some(&k) = got.first() {
            prop_assert!(k >= t && !extendable(&s, &tr, t, k, 2),
                "{src}\nattempt {t} reported failing at {k}, but can still match\ntrace {tr:?}");
        }
    }

    /// The weak-sequence automaton on bounded sequences, where the
    /// reference decides every attempt: `S intersect 1[*1:$]` is `S` but
    /// goes through the automaton monitor.
    #[test]
    fn weak_sequence_automaton_is_exact_on_bounded_sequences(
        s in arb_s().prop_filter("short horizon", |s| s_hor(s) <= 8),
        seed_rows in arb_trace(20),
    ) {
        let h = s_hor(&s) as usize;
        let src = format!(
            "module t(input logic clk, a, b, c, s);
               default clocking @(posedge clk); endclocking
               a_w: assert property (s |-> (({}) intersect 1'b1[*1:$]));
             endmodule",
            s_sv(&s)
        );
        let d = compile_bounded_size(&src);
        prop_assume!(d.is_some(), "monitor too large or sv-parser rejects the text");
        let d = d.unwrap();
        let mut tr: Trace = seed_rows.clone();
        while tr.len() < 6 + 2 * h {
            tr.extend(seed_rows.iter().copied());
        }
        for t in 0..6 {
            let want_fail = matches(&s, &tr, t).is_empty();
            let got = fires(&d, &tr, Some(t), 0);
            prop_assert!(got.iter().all(|&k| k >= t && k <= t + h),
                "{src}\nattempt {t}: fired at {got:?} outside its window\ntrace {tr:?}");
            prop_assert_eq!(!got.is_empty(), want_fail,
                "{}\nattempt {}: monitor fired at {:?}\ntrace {:?}", src, t, got, tr);
        }
    }
}
