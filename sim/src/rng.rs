//! A small, fast, reproducible PRNG (xoshiro256** seeded through SplitMix64).
//!
//! Each (seed, stream) pair gives an independent sequence, so register
//! initialisation and stimulus do not depend on each other, on thread count
//! or on the order seeds are run in. The sequence is part of the trace
//! contract only through the traces we write (they carry explicit values).

/// Stream used for register and memory initialisation.
pub const STREAM_INIT: u64 = 0;
/// Stream used for random stimulus.
pub const STREAM_STIMULUS: u64 = 1;
/// Stream used for the phases of clocks on a global clock.
pub const STREAM_CLOCKS: u64 = 2;

#[derive(Clone, Debug)]
pub struct Rng {
    s: [u64; 4],
}

pub fn splitmix64(x: &mut u64) -> u64 {
    *x = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
    let mut z = *x;
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// A stateless hash of three words (for lazily initialised sparse memories).
pub fn hash3(a: u64, b: u64, c: u64) -> u64 {
    let mut x = a;
    let h1 = splitmix64(&mut x);
    let mut y = h1 ^ b;
    let h2 = splitmix64(&mut y);
    let mut z = h2 ^ c;
    splitmix64(&mut z)
}

impl Rng {
    pub fn new(seed: u64, stream: u64) -> Rng {
        let mut x = seed ^ stream.wrapping_mul(0xd1b5_4a32_d192_ed03);
        let mut s = [0u64; 4];
        for w in s.iter_mut() {
            *w = splitmix64(&mut x);
        }
        Rng { s }
    }

    #[inline]
    pub fn next_u64(&mut self) -> u64 {
        let result = self.s[1].wrapping_mul(5).rotate_left(7).wrapping_mul(9);
        let t = self.s[1] << 17;
        self.s[2] ^= self.s[0];
        self.s[3] ^= self.s[1];
        self.s[1] ^= self.s[2];
        self.s[0] ^= self.s[3];
        self.s[2] ^= t;
        self.s[3] = self.s[3].rotate_left(45);
        result
    }

    /// The generator's state (for [`lanes_next`]: several generators
    /// advanced side by side).
    pub(crate) fn state(&self) -> [u64; 4] {
        self.s
    }

    /// Fill `d` with a uniformly random `width`-bit value.
    pub fn fill(&mut self, d: &mut [u64], width: u32) {
        for w in d.iter_mut() {
            *w = self.next_u64();
        }
        crate::words::clean(d, width);
    }
}

/// `L` generators side by side (`s[k][l]`: word `k` of generator `l`'s
/// state), each advanced one step as by [`Rng::next_u64`]: `out[l]` is
/// generator `l`'s next value masked by `mask`. The same arithmetic per
/// lane, written for the compiler to vectorise across lanes.
#[inline(always)]
#[allow(clippy::needless_range_loop)] // every array is indexed by lane
pub(crate) fn lanes_next<const L: usize>(s: &mut [[u64; L]; 4], out: &mut [u64; L], mask: u64) {
    for l in 0..L {
        let (s0, s1, s2, s3) = (s[0][l], s[1][l], s[2][l], s[3][l]);
        out[l] = s1.wrapping_mul(5).rotate_left(7).wrapping_mul(9) & mask;
        let t = s1 << 17;
        let s2 = s2 ^ s0;
        let s3 = s3 ^ s1;
        let s1 = s1 ^ s2;
        let s0 = s0 ^ s3;
        s[0][l] = s0;
        s[1][l] = s1;
        s[2][l] = s2 ^ t;
        s[3][l] = s3.rotate_left(45);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streams_are_reproducible_and_distinct() {
        let mut a = Rng::new(7, STREAM_INIT);
        let mut b = Rng::new(7, STREAM_INIT);
        let mut c = Rng::new(7, STREAM_STIMULUS);
        let va: Vec<u64> = (0..4).map(|_| a.next_u64()).collect();
        let vb: Vec<u64> = (0..4).map(|_| b.next_u64()).collect();
        let vc: Vec<u64> = (0..4).map(|_| c.next_u64()).collect();
        assert_eq!(va, vb);
        assert_ne!(va, vc);
    }

    #[test]
    fn lanes_next_is_next_u64_per_lane() {
        let mut gens: Vec<Rng> = (0..8).map(|i| Rng::new(100 + i, STREAM_STIMULUS)).collect();
        let mut s = [[0u64; 8]; 4];
        for (l, g) in gens.iter().enumerate() {
            for (k, w) in g.state().into_iter().enumerate() {
                s[k][l] = w;
            }
        }
        let mut out = [0u64; 8];
        for round in 0..5 {
            let mask = if round % 2 == 0 { u64::MAX } else { 0xff };
            lanes_next(&mut s, &mut out, mask);
            for (l, g) in gens.iter_mut().enumerate() {
                assert_eq!(out[l], g.next_u64() & mask, "lane {l}, round {round}");
            }
        }
    }
}
