//! Multi-word bit-vector arithmetic on little-endian `u64` slices.
//!
//! Every function takes the width in bits and slices of exactly
//! `nwords(width)` words; inputs are assumed clean (bits above the width are
//! zero) and outputs are left clean. Used by the wide path of the engine,
//! which also serves narrow nodes that read wide operands.

use num_bigint::BigUint;

pub fn nwords(width: u32) -> usize {
    width.div_ceil(64) as usize
}

/// Mask of the valid bits in the top word of a `width`-bit value.
pub fn top_mask(width: u32) -> u64 {
    let r = width % 64;
    if r == 0 {
        u64::MAX
    } else {
        (1u64 << r) - 1
    }
}

/// Mask of the low `width` bits (width <= 64).
pub fn mask64(width: u32) -> u64 {
    if width >= 64 {
        u64::MAX
    } else {
        (1u64 << width) - 1
    }
}

pub fn clean(d: &mut [u64], width: u32) {
    if let Some(t) = d.last_mut() {
        *t &= top_mask(width);
    }
}

pub fn msb(a: &[u64], width: u32) -> bool {
    get_bit(a, width - 1)
}

pub fn get_bit(a: &[u64], i: u32) -> bool {
    (a[(i / 64) as usize] >> (i % 64)) & 1 == 1
}

pub fn is_zero(a: &[u64]) -> bool {
    a.iter().all(|w| *w == 0)
}

pub fn add(d: &mut [u64], a: &[u64], b: &[u64], width: u32) {
    let mut carry = 0u64;
    for i in 0..d.len() {
        let (s1, c1) = a[i].overflowing_add(b[i]);
        let (s2, c2) = s1.overflowing_add(carry);
        d[i] = s2;
        carry = (c1 | c2) as u64;
    }
    clean(d, width);
}

pub fn sub(d: &mut [u64], a: &[u64], b: &[u64], width: u32) {
    let mut borrow = 0u64;
    for i in 0..d.len() {
        let (s1, c1) = a[i].overflowing_sub(b[i]);
        let (s2, c2) = s1.overflowing_sub(borrow);
        d[i] = s2;
        borrow = (c1 | c2) as u64;
    }
    clean(d, width);
}

pub fn neg(d: &mut [u64], a: &[u64], width: u32) {
    let mut carry = 1u64;
    for i in 0..d.len() {
        let (s, c) = (!a[i]).overflowing_add(carry);
        d[i] = s;
        carry = c as u64;
    }
    clean(d, width);
}

pub fn not(d: &mut [u64], a: &[u64], width: u32) {
    for i in 0..d.len() {
        d[i] = !a[i];
    }
    clean(d, width);
}

/// Truncated schoolbook product.
pub fn mul(d: &mut [u64], a: &[u64], b: &[u64], width: u32) {
    let n = d.len();
    d.fill(0);
    for i in 0..n {
        if a[i] == 0 {
            continue;
        }
        let mut carry: u128 = 0;
        for j in 0..(n - i) {
            let t = a[i] as u128 * b[j] as u128 + d[i + j] as u128 + carry;
            d[i + j] = t as u64;
            carry = t >> 64;
        }
    }
    clean(d, width);
}

fn to_big(a: &[u64]) -> BigUint {
    let mut digits = Vec::with_capacity(a.len() * 2);
    for w in a {
        digits.push(*w as u32);
        digits.push((*w >> 32) as u32);
    }
    BigUint::new(digits)
}

fn from_big(d: &mut [u64], v: &BigUint, width: u32) {
    d.fill(0);
    for (i, w) in v.iter_u64_digits().enumerate() {
        if i < d.len() {
            d[i] = w;
        }
    }
    clean(d, width);
}

/// Unsigned division or remainder (`rem`); by zero gives 0.
pub fn udivrem(d: &mut [u64], a: &[u64], b: &[u64], width: u32, rem: bool) {
    if is_zero(b) {
        d.fill(0);
        return;
    }
    let (x, y) = (to_big(a), to_big(b));
    let r = if rem { x % y } else { x / y };
    from_big(d, &r, width);
}

/// Signed division (truncating) or remainder (sign of the dividend); by zero gives 0.
pub fn sdivrem(d: &mut [u64], a: &[u64], b: &[u64], width: u32, rem: bool) {
    if is_zero(b) {
        d.fill(0);
        return;
    }
    let n = d.len();
    let (sa, sb) = (msb(a, width), msb(b, width));
    let mut aa = vec![0u64; n];
    let mut bb = vec![0u64; n];
    if sa {
        neg(&mut aa, a, width)
    } else {
        aa.copy_from_slice(a)
    }
    if sb {
        neg(&mut bb, b, width)
    } else {
        bb.copy_from_slice(b)
    }
    let mut q = vec![0u64; n];
    udivrem(&mut q, &aa, &bb, width, rem);
    let negate = if rem { sa } else { sa != sb };
    if negate {
        neg(d, &q, width)
    } else {
        d.copy_from_slice(&q)
    }
}

/// Shift amount saturated to `u64::MAX` when it does not fit in one word.
pub fn amount(b: &[u64]) -> u64 {
    if b[1..].iter().any(|w| *w != 0) {
        u64::MAX
    } else {
        b[0]
    }
}

pub fn shl(d: &mut [u64], a: &[u64], sh: u64, width: u32) {
    d.fill(0);
    if sh >= width as u64 {
        return;
    }
    let (ws, bs) = ((sh / 64) as usize, (sh % 64) as u32);
    for i in (ws..d.len()).rev() {
        let src = i - ws;
        let mut v = a[src] << bs;
        if bs != 0 && src > 0 {
            v |= a[src - 1] >> (64 - bs);
        }
        d[i] = v;
    }
    clean(d, width);
}

/// Logical (fill 0) or arithmetic (`fill` = sign) right shift.
pub fn shr(d: &mut [u64], a: &[u64], sh: u64, width: u32, arith: bool) {
    let fill = arith && msb(a, width);
    let n = d.len();
    if sh >= width as u64 {
        d.fill(if fill { u64::MAX } else { 0 });
        clean(d, width);
        return;
    }
    // Sign-extend the top word so the bits shifted in from above are right.
    let word = |i: usize| -> u64 {
        if i < n {
            if i == n - 1 && fill {
                a[i] | !top_mask(width)
            } else {
                a[i]
            }
        } else if fill {
            u64::MAX
        } else {
            0
        }
    };
    let (ws, bs) = ((sh / 64) as usize, (sh % 64) as u32);
    for (i, di) in d.iter_mut().enumerate() {
        let lo = word(i + ws) >> bs;
        let hi = if bs == 0 {
            0
        } else {
            word(i + ws + 1) << (64 - bs)
        };
        *di = lo | hi;
    }
    clean(d, width);
}

pub fn ult(a: &[u64], b: &[u64]) -> bool {
    for i in (0..a.len()).rev() {
        if a[i] != b[i] {
            return a[i] < b[i];
        }
    }
    false
}

pub fn slt(a: &[u64], b: &[u64], width: u32) -> bool {
    match (msb(a, width), msb(b, width)) {
        (true, false) => true,
        (false, true) => false,
        _ => ult(a, b),
    }
}

pub fn red_and(a: &[u64], width: u32) -> bool {
    let n = a.len();
    a[..n - 1].iter().all(|w| *w == u64::MAX) && a[n - 1] == top_mask(width)
}

pub fn red_xor(a: &[u64]) -> bool {
    a.iter().map(|w| w.count_ones()).sum::<u32>() % 2 == 1
}

/// Read `width` (<= 64) bits of `a` starting at bit `lo` (bits past the end read 0).
pub fn extract64(a: &[u64], lo: u32, width: u32) -> u64 {
    let (w, b) = ((lo / 64) as usize, lo % 64);
    let mut v = a.get(w).copied().unwrap_or(0) >> b;
    if b != 0 {
        v |= a.get(w + 1).copied().unwrap_or(0) << (64 - b);
    }
    v & mask64(width)
}

/// `d` (width `width`) = bits `[lo, lo+width)` of `a`.
pub fn extract(d: &mut [u64], a: &[u64], lo: u32, width: u32) {
    let n = d.len();
    for (i, di) in d.iter_mut().enumerate() {
        let w = if i == n - 1 {
            width - 64 * i as u32
        } else {
            64
        };
        *di = extract64(a, lo + 64 * i as u32, w);
    }
}

/// Write the `width`-bit value `src` into `d` at bit offset `lo` (the bits
/// of `d` there must be zero).
pub fn deposit(d: &mut [u64], src: &[u64], lo: u32, width: u32) {
    for (i, s) in src.iter().enumerate() {
        let w = (width - 64 * i as u32).min(64);
        let v = s & mask64(w);
        let pos = lo + 64 * i as u32;
        let (wi, b) = ((pos / 64) as usize, pos % 64);
        d[wi] |= v << b;
        if b != 0 && b + w > 64 {
            d[wi + 1] |= v >> (64 - b);
        }
    }
}

/// Sign or zero extension from `aw` bits to the width of `d`.
pub fn extend(d: &mut [u64], a: &[u64], aw: u32, width: u32, signed: bool) {
    d.fill(0);
    d[..a.len()].copy_from_slice(a);
    if signed && msb(a, aw) {
        let top = a.len() - 1;
        d[top] |= !top_mask(aw);
        for w in d[top + 1..].iter_mut() {
            *w = u64::MAX;
        }
    }
    clean(d, width);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shifts_cross_word_boundaries() {
        let a = [0x8000_0000_0000_0001u64, 0x1];
        let mut d = [0u64; 2];
        shl(&mut d, &a, 1, 65);
        assert_eq!(d, [2, 1]);
        shr(&mut d, &a, 1, 65, false);
        assert_eq!(d, [0xc000_0000_0000_0000, 0]);
        // 65-bit value with msb set, arithmetic shift by 64 leaves all ones.
        shr(&mut d, &a, 64, 65, true);
        assert_eq!(d, [u64::MAX, 1]);
        shr(&mut d, &a, 200, 65, true);
        assert_eq!(d, [u64::MAX, 1]);
    }

    #[test]
    fn deposit_and_extract_round_trip() {
        let mut d = [0u64; 3];
        deposit(&mut d, &[0xabcd, 0x3], 60, 66);
        let mut e = [0u64; 2];
        extract(&mut e, &d, 60, 66);
        assert_eq!(e, [0xabcd, 0x3]);
    }

    #[test]
    fn wide_mul_and_div() {
        let a = [u64::MAX, 1];
        let b = [2u64, 0];
        let mut d = [0u64; 2];
        mul(&mut d, &a, &b, 70);
        assert_eq!(d, [u64::MAX - 1, 3]);
        udivrem(&mut d, &[0, 4], &[2, 0], 70, false);
        assert_eq!(d, [0, 2]);
        sdivrem(&mut d, &[5, 0], &[0, 0], 70, false);
        assert_eq!(d, [0, 0]);
    }
}
