//! `Bits`: a two-state bit-vector constant of any width (>= 1).
//!
//! Used for parameters, constant folding and initial values. Engines have
//! their own fast representations; this one favours obvious correctness.

use num_bigint::BigUint;
use num_traits::{One, ToPrimitive, Zero};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Bits {
    width: u32,
    /// Invariant: `val < 2^width`.
    val: BigUint,
}

fn mask(width: u32) -> BigUint {
    (BigUint::one() << width as usize) - BigUint::one()
}

impl Bits {
    /// `value` truncated to `width` bits.
    pub fn new(width: u32, value: BigUint) -> Bits {
        assert!(width >= 1, "zero-width Bits");
        let val = if value.bits() > width as u64 {
            value & mask(width)
        } else {
            value
        };
        Bits { width, val }
    }

    pub fn zero(width: u32) -> Bits {
        Bits::new(width, BigUint::zero())
    }

    pub fn ones(width: u32) -> Bits {
        Bits::new(width, mask(width))
    }

    pub fn from_u64(width: u32, v: u64) -> Bits {
        Bits::new(width, BigUint::from(v))
    }

    pub fn from_bool(b: bool) -> Bits {
        Bits::from_u64(1, b as u64)
    }

    /// Two's complement of `v` in `width` bits.
    pub fn from_i64(width: u32, v: i64) -> Bits {
        if v >= 0 {
            Bits::from_u64(width, v as u64)
        } else {
            Bits::from_u64(width, (-(v + 1)) as u64).not()
        }
    }

    /// Little-endian 64-bit words (at least one).
    pub fn from_words(width: u32, words: &[u64]) -> Bits {
        let mut digits = Vec::with_capacity(words.len() * 2);
        for w in words {
            digits.push(*w as u32);
            digits.push((*w >> 32) as u32);
        }
        Bits::new(width, BigUint::new(digits))
    }

    pub fn width(&self) -> u32 {
        self.width
    }

    pub fn value(&self) -> &BigUint {
        &self.val
    }

    pub fn is_zero(&self) -> bool {
        self.val.is_zero()
    }

    pub fn is_ones(&self) -> bool {
        self.val == mask(self.width)
    }

    /// The value if it fits in 64 bits.
    pub fn to_u64(&self) -> Option<u64> {
        self.val.to_u64()
    }

    /// Low 64 bits.
    pub fn low_u64(&self) -> u64 {
        self.val.iter_u64_digits().next().unwrap_or(0)
    }

    /// Signed value if it fits in an i64.
    pub fn to_i64(&self) -> Option<i64> {
        if self.msb() {
            let mag = self.neg();
            let m = mag.val.to_u64()?;
            if m > i64::MAX as u64 + 1 {
                None
            } else {
                Some((m as i128).wrapping_neg() as i64)
            }
        } else {
            self.val.to_i64()
        }
    }

    /// `ceil(width/64)` little-endian words.
    pub fn to_words(&self) -> Vec<u64> {
        let n = self.width.div_ceil(64) as usize;
        let mut w: Vec<u64> = self.val.iter_u64_digits().collect();
        w.resize(n, 0);
        w
    }

    pub fn bit(&self, i: u32) -> bool {
        i < self.width && self.val.bit(i as u64)
    }

    pub fn msb(&self) -> bool {
        self.bit(self.width - 1)
    }

    pub fn count_ones(&self) -> u64 {
        self.val.count_ones()
    }

    // ---- width changes ----

    pub fn zext(&self, width: u32) -> Bits {
        Bits::new(width, self.val.clone())
    }

    pub fn sext(&self, width: u32) -> Bits {
        if width <= self.width || !self.msb() {
            return self.zext(width);
        }
        let high = mask(width) ^ mask(self.width);
        Bits::new(width, &self.val | high)
    }

    /// `width` bits starting at bit `lo` (bits past the top read as 0).
    pub fn slice(&self, lo: u32, width: u32) -> Bits {
        Bits::new(width, &self.val >> lo as usize)
    }

    /// `self` is the most significant part.
    pub fn concat(&self, low: &Bits) -> Bits {
        Bits::new(
            self.width + low.width,
            (&self.val << low.width as usize) | &low.val,
        )
    }

    // ---- arithmetic and logic (same-width operands, result of that width) ----

    pub fn not(&self) -> Bits {
        Bits::new(self.width, &self.val ^ mask(self.width))
    }

    pub fn neg(&self) -> Bits {
        Bits::new(self.width, (mask(self.width) ^ &self.val) + BigUint::one())
    }

    pub fn add(&self, o: &Bits) -> Bits {
        Bits::new(self.width, &self.val + &o.val)
    }

    pub fn sub(&self, o: &Bits) -> Bits {
        self.add(&o.neg())
    }

    pub fn mul(&self, o: &Bits) -> Bits {
        Bits::new(self.width, &self.val * &o.val)
    }

    /// Unsigned division; division by zero gives 0 (two-state convention).
    pub fn udiv(&self, o: &Bits) -> Bits {
        if o.is_zero() {
            return Bits::zero(self.width);
        }
        Bits::new(self.width, &self.val / &o.val)
    }

    /// Unsigned remainder; by zero gives 0.
    pub fn urem(&self, o: &Bits) -> Bits {
        if o.is_zero() {
            return Bits::zero(self.width);
        }
        Bits::new(self.width, &self.val % &o.val)
    }

    fn abs(&self) -> Bits {
        if self.msb() {
            self.neg()
        } else {
            self.clone()
        }
    }

    /// Signed division truncating toward zero; by zero gives 0.
    pub fn sdiv(&self, o: &Bits) -> Bits {
        if o.is_zero() {
            return Bits::zero(self.width);
        }
        let q = self.abs().udiv(&o.abs());
        if self.msb() != o.msb() {
            q.neg()
        } else {
            q
        }
    }

    /// Signed remainder, sign of the dividend; by zero gives 0.
    pub fn srem(&self, o: &Bits) -> Bits {
        if o.is_zero() {
            return Bits::zero(self.width);
        }
        let r = self.abs().urem(&o.abs());
        if self.msb() {
            r.neg()
        } else {
            r
        }
    }

    pub fn and(&self, o: &Bits) -> Bits {
        Bits::new(self.width, &self.val & &o.val)
    }

    pub fn or(&self, o: &Bits) -> Bits {
        Bits::new(self.width, &self.val | &o.val)
    }

    pub fn xor(&self, o: &Bits) -> Bits {
        Bits::new(self.width, &self.val ^ &o.val)
    }

    /// Shift amount as a plain number, saturated (anything >= width shifts everything out).
    fn amount(o: &Bits) -> u64 {
        o.val.to_u64().unwrap_or(u64::MAX)
    }

    pub fn shl(&self, o: &Bits) -> Bits {
        let n = Self::amount(o);
        if n >= self.width as u64 {
            return Bits::zero(self.width);
        }
        Bits::new(self.width, &self.val << n as usize)
    }

    pub fn lshr(&self, o: &Bits) -> Bits {
        let n = Self::amount(o);
        if n >= self.width as u64 {
            return Bits::zero(self.width);
        }
        Bits::new(self.width, &self.val >> n as usize)
    }

    pub fn ashr(&self, o: &Bits) -> Bits {
        let n = Self::amount(o).min(self.width as u64) as u32;
        if !self.msb() {
            return self.lshr(o);
        }
        if n >= self.width {
            return Bits::ones(self.width);
        }
        let shifted = &self.val >> n as usize;
        let fill = mask(self.width) ^ mask(self.width - n);
        Bits::new(self.width, shifted | fill)
    }

    // ---- comparisons (1-bit results are plain bools here) ----

    pub fn ult(&self, o: &Bits) -> bool {
        self.val < o.val
    }

    pub fn slt(&self, o: &Bits) -> bool {
        match (self.msb(), o.msb()) {
            (true, false) => true,
            (false, true) => false,
            _ => self.val < o.val,
        }
    }

    // ---- text ----

    /// Lower-case hexadecimal, no prefix, `ceil(width/4)` digits.
    pub fn to_hex(&self) -> String {
        let digits = self.width.div_ceil(4) as usize;
        format!("{:0>digits$}", self.val.to_str_radix(16))
    }

    /// Parse hexadecimal (optional `0x`, `_` separators ignored) into `width` bits.
    /// Returns None on a bad digit or a value that does not fit.
    pub fn from_hex(width: u32, text: &str) -> Option<Bits> {
        let t = text.trim();
        let t = t
            .strip_prefix("0x")
            .or_else(|| t.strip_prefix("0X"))
            .unwrap_or(t);
        let clean: String = t.chars().filter(|c| *c != '_').collect();
        if clean.is_empty() {
            return None;
        }
        let v = BigUint::parse_bytes(clean.as_bytes(), 16)?;
        if v.bits() > width as u64 {
            return None;
        }
        Some(Bits::new(width, v))
    }

    pub fn to_binary(&self) -> String {
        let w = self.width as usize;
        format!("{:0>w$}", self.val.to_str_radix(2))
    }
}

impl fmt::Debug for Bits {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}'h{}", self.width, self.to_hex())
    }
}

impl fmt::Display for Bits {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}'h{}", self.width, self.to_hex())
    }
}

/// Serialised as `"W'hHEX"`, readable and exact for any width.
impl Serialize for Bits {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_string())
    }
}

impl<'de> Deserialize<'de> for Bits {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Bits, D::Error> {
        let s = String::deserialize(d)?;
        let err = || serde::de::Error::custom(format!("bad bit-vector literal {s:?}"));
        let (w, h) = s.split_once("'h").ok_or_else(err)?;
        let w: u32 = w.parse().map_err(|_| err())?;
        if w == 0 {
            return Err(err());
        }
        Bits::from_hex(w, h).ok_or_else(err)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signed_ops() {
        let m7 = Bits::from_i64(8, -7);
        let two = Bits::from_u64(8, 2);
        assert_eq!(m7.sdiv(&two).to_i64(), Some(-3));
        assert_eq!(m7.srem(&two).to_i64(), Some(-1));
        assert_eq!(m7.ashr(&Bits::from_u64(4, 1)).to_i64(), Some(-4));
        assert_eq!(m7.ashr(&Bits::from_u64(8, 200)).to_i64(), Some(-1));
        assert!(m7.slt(&two));
        assert!(!m7.ult(&two));
        assert_eq!(Bits::from_i64(4, -1).sext(8).to_u64(), Some(0xff));
        assert_eq!(Bits::from_u64(4, 7).sext(8).to_u64(), Some(7));
    }

    #[test]
    fn division_by_zero_is_zero() {
        let a = Bits::from_u64(8, 9);
        let z = Bits::zero(8);
        assert!(a.udiv(&z).is_zero() && a.urem(&z).is_zero());
        assert!(a.sdiv(&z).is_zero() && a.srem(&z).is_zero());
    }

    #[test]
    fn wide_values_round_trip() {
        let b = Bits::from_words(130, &[u64::MAX, 1, 3]);
        assert_eq!(b.to_words(), vec![u64::MAX, 1, 3]);
        assert_eq!(Bits::from_hex(130, &b.to_hex()), Some(b.clone()));
        let j = serde_json::to_string(&b).unwrap();
        assert_eq!(serde_json::from_str::<Bits>(&j).unwrap(), b);
        assert_eq!(b.slice(64, 2).to_u64(), Some(1));
        assert_eq!(b.shl(&Bits::from_u64(8, 130)), Bits::zero(130));
    }

    #[test]
    fn i64_extremes() {
        assert_eq!(Bits::from_i64(64, i64::MIN).to_i64(), Some(i64::MIN));
        assert_eq!(Bits::from_i64(64, -1).to_i64(), Some(-1));
        assert_eq!(Bits::from_i64(70, -5).to_i64(), Some(-5));
    }
}
