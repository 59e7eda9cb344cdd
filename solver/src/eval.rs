//! Reference evaluation for the solver: constant folding uses the IR's
//! evaluator, and [`replay`] re-runs a trace on the design.
//!
//! Used twice: to fold constant nodes before anything reaches Z3, and by
//! [`replay`] to re-run a witness trace on the design (a cheap self-check of
//! every trace the solver produces, and the oracle of the tests).

use ir::bits::Bits;
use ir::trace::{Trace, TraceError};
use ir::Design;

// One reference semantics for the whole project: the IR's own evaluator.
pub use ir::passes::eval::{eval_binary, eval_op};

#[derive(Debug, thiserror::Error)]
pub enum ReplayError {
    #[error(transparent)]
    Trace(#[from] TraceError),
    #[error("register `{0}` has no initial value and the trace gives none")]
    MissingInit(String),
    #[error("memory `{mem}` word {word}: bad value in the trace")]
    BadMemInit { mem: String, word: String },
}

/// Run the design on a trace, cycle by cycle, and return every node's value
/// in every cycle (`out[cycle][node]`). Registers with neither an initial
/// value nor a trace `init` entry are an error; memory words with neither
/// read as 0 (any value would do: the caller asked for a deterministic run).
pub fn replay(d: &Design, t: &Trace) -> Result<Vec<Vec<Bits>>, ReplayError> {
    let rows = t.decode(d)?;
    let given: Vec<(usize, Bits)> = t.decode_init(d)?;
    let mut regs: Vec<Bits> = Vec::with_capacity(d.regs.len());
    for (i, r) in d.regs.iter().enumerate() {
        // A trace entry wins over the design's init (induction traces start
        // from arbitrary states).
        let v = given
            .iter()
            .find(|(j, _)| *j == i)
            .map(|(_, b)| b.clone())
            .or_else(|| r.init.clone())
            .ok_or_else(|| ReplayError::MissingInit(r.name.clone()))?;
        regs.push(v);
    }
    let mut mems: Vec<Vec<Bits>> = Vec::with_capacity(d.mems.len());
    for m in &d.mems {
        let mut words = m
            .init
            .clone()
            .unwrap_or_else(|| vec![Bits::zero(m.width); m.depth as usize]);
        if let Some(over) = t.mem_init.get(&m.name) {
            for (k, v) in over {
                let bad = || ReplayError::BadMemInit {
                    mem: m.name.clone(),
                    word: k.clone(),
                };
                let i: usize = k.parse().map_err(|_| bad())?;
                let b = Bits::from_hex(m.width, v).ok_or_else(bad)?;
                if i < words.len() {
                    words[i] = b;
                }
            }
        }
        mems.push(words);
    }
    let mut out = Vec::with_capacity(rows.len());
    for row in &rows {
        let st = ir::passes::eval::step(d, row, &regs, &mems);
        regs = st.regs;
        mems = st.mems;
        out.push(st.values);
    }
    Ok(out)
}
