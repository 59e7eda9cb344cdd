//! An input dictionary mined from the design: the constants the design
//! compares its inputs against (`key == 8'h3C`, `data[15:0] != 16'hCAFE`,
//! case items, `<`/`<=` bounds), each placed on the input bits it is
//! compared with. Uniform stimulus hits a w-bit constant with probability
//! 2^-w per cycle; offering the design's own constants as input values is
//! standard fuzzing practice (AFL dictionaries, RFUZZ, DIFUZZRTL) and turns
//! a magic-value compare into a one-in-a-few choice.
//!
//! Only compares whose non-constant side is input bits (through slices,
//! zero/sign extensions and concatenations) are mined; a compare against a
//! register fed by an input (a registered key) is not followed.

use ir::Bits;
use ir::{BinOp, Design, NodeId, Op};
use sim::rng::Rng;

/// Most entries kept per input (the first mined, in node order).
pub const MAX_ENTRIES: usize = 64;

/// One dictionary value: `value` on bits `[lo + width - 1 : lo]` of an input.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    pub lo: u32,
    pub value: Bits,
}

/// Per design input, the values worth offering.
#[derive(Clone, Debug, Default)]
pub struct Dictionary {
    /// Indexed like `Design::inputs`.
    pub entries: Vec<Vec<Entry>>,
}

/// The input bits `(input, lo, width)` a node is, if it is a plain slice
/// of one input (through slices and extensions; `width` is the node's
/// width restricted to the input's bits).
fn input_bits(d: &Design, n: NodeId) -> Option<(usize, u32, u32)> {
    let node = d.node(n);
    match &node.op {
        Op::Input(i) => Some((i.index(), 0, node.width)),
        Op::Slice { arg, lo } => {
            let (i, l, w) = input_bits(d, *arg)?;
            (*lo < w).then(|| (i, l + lo, node.width.min(w - lo)))
        }
        Op::Zext(a) | Op::Sext(a) => input_bits(d, *a),
        _ => None,
    }
}

/// Place constant `c` (the width of node `n`) on the input bits `n` reads.
fn place(d: &Design, n: NodeId, c: &Bits, out: &mut Vec<(usize, Entry)>) {
    let node = d.node(n);
    match &node.op {
        Op::Concat(parts) => {
            // Most significant first: the last part holds bit 0.
            let mut lo = node.width;
            for &p in parts {
                let w = d.width(p);
                lo -= w;
                place(d, p, &c.slice(lo, w), out);
            }
        }
        _ => {
            if let Some((i, lo, w)) = input_bits(d, n) {
                if w > 0 && w <= c.width() {
                    out.push((
                        i,
                        Entry {
                            lo,
                            value: c.slice(0, w),
                        },
                    ));
                }
            }
        }
    }
}

/// The constant side of a compare node and the other side, if `n` is a
/// compare (`==`, `!=`, `<`, `<=`) with a constant operand.
fn const_compare(d: &Design, n: NodeId) -> Vec<(NodeId, &Bits)> {
    let Op::Binary(op, a, b) = &d.node(n).op else {
        return Vec::new();
    };
    if !matches!(
        op,
        BinOp::Eq | BinOp::Ne | BinOp::Ult | BinOp::Ule | BinOp::Slt | BinOp::Sle
    ) {
        return Vec::new();
    }
    [(*a, *b), (*b, *a)]
        .into_iter()
        .filter_map(|(x, k)| match &d.node(k).op {
            Op::Const(c) => Some((x, c)),
            _ => None,
        })
        .collect()
}

/// How many input bits node `n` compares against a constant (0 if it is
/// not such a compare).
pub fn compare_input_bits(d: &Design, n: NodeId) -> u32 {
    let mut found = Vec::new();
    for (x, c) in const_compare(d, n) {
        place(d, x, c, &mut found);
    }
    found.iter().map(|(_, e)| e.value.width()).sum()
}

impl Dictionary {
    /// Mine `d`; `skip` (the reset input) gets no entries.
    pub fn mine(d: &Design, skip: Option<usize>) -> Dictionary {
        let mut entries: Vec<Vec<Entry>> = vec![Vec::new(); d.inputs.len()];
        let mut found = Vec::new();
        for n in 0..d.nodes.len() {
            for (x, c) in const_compare(d, NodeId(n as u32)) {
                place(d, x, c, &mut found);
            }
        }
        for (i, e) in found {
            if Some(i) == skip {
                continue;
            }
            let list = &mut entries[i];
            if list.len() < MAX_ENTRIES && !list.contains(&e) {
                list.push(e);
            }
        }
        Dictionary { entries }
    }

    pub fn is_empty(&self) -> bool {
        self.entries.iter().all(Vec::is_empty)
    }

    /// Number of entries over all inputs.
    pub fn len(&self) -> usize {
        self.entries.iter().map(Vec::len).sum()
    }

    /// Overwrite input `i`'s words with a uniformly chosen entry of its
    /// dictionary (no-op when it has none).
    pub fn apply_random(&self, i: usize, words: &mut [u64], rng: &mut Rng) {
        let list = &self.entries[i];
        if list.is_empty() {
            return;
        }
        let e = &list[(rng.next_u64() % list.len() as u64) as usize];
        write(words, e);
    }
}

/// Write `e` into an input's words (bits outside the entry unchanged).
pub fn write(words: &mut [u64], e: &Entry) {
    for b in 0..e.value.width() {
        let pos = e.lo + b;
        let Some(w) = words.get_mut((pos / 64) as usize) else {
            return;
        };
        if e.value.bit(b) {
            *w |= 1 << (pos % 64);
        } else {
            *w &= !(1 << (pos % 64));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_are_written_at_their_offset() {
        let mut w = [u64::MAX, 0];
        write(
            &mut w,
            &Entry {
                lo: 60,
                value: Bits::from_u64(8, 0x5A),
            },
        );
        assert_eq!(w[0] >> 60, 0xA);
        assert_eq!(w[0] & ((1 << 60) - 1), (1 << 60) - 1);
        assert_eq!(w[1], 0x5);
    }
}
