//! Elaboration-time values of the testbench data types: `string`, `real`
//! (`shortreal`, `realtime`), queues, dynamic arrays and associative arrays.
//!
//! These types have no place in a netlist: their values are computed
//! concretely while `initial` blocks (and functions they call) are executed
//! at elaboration (`dynexec`), and a value that leaves this world as an
//! integral (`s.len()`, `q[0]`, `$rtoi(r)`) becomes a constant graph node.
//! This module holds the values, their types and the operations of IEEE
//! 1800-2017 on them (6.12 real, 6.16 string, 7.5 dynamic arrays, 7.8
//! associative arrays, 7.10 queues, 20.5 and 20.8 conversion and math
//! functions), with no knowledge of the elaborator.
//!
//! Where the standard leaves a result to the implementation, the choice is
//! stated here: `compare`/`icompare` return -1, 0 or 1 (the standard gives
//! only the sign, as C's `strcmp`); `hextoa`/`octtoa`/`bintoa` write no
//! leading zeros (as `%0h`); `realtoa`'s text is not defined by the
//! standard, so its result is [`DV::Opaque`]: it may be displayed (which
//! verify ignores) but any use of its contents is refused.

use super::types::Ty;
use crate::bits::Bits;
use num_bigint::{BigInt, BigUint, Sign};
use num_traits::{Signed, ToPrimitive, Zero};
use std::collections::BTreeMap;

/// The type of a dynamic value.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum DT {
    /// An integral element (of a queue, array, or the key of a map).
    /// `four_state`: its default value is x (`logic`, `integer`...).
    Int {
        ty: Ty,
        four_state: bool,
    },
    Str,
    Real,
    ShortReal,
    /// `[$]`, `[$:max]` (at most `max + 1` elements).
    Queue {
        elem: Box<DT>,
        bound: Option<u64>,
    },
    /// `[]`
    Dyn(Box<DT>),
    /// `[key]`, `[*]`
    Assoc {
        elem: Box<DT>,
        key: KeyT,
    },
    /// A fixed unpacked dimension `[left:right]` of dynamic elements.
    Fixed {
        elem: Box<DT>,
        left: i64,
        right: i64,
    },
}

/// The index type of an associative array.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum KeyT {
    Int(Ty),
    Str,
    /// `[*]`: any integral index, compared as unsigned numbers.
    Wild,
}

/// A dynamic value.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum DV {
    /// An integral value and its signedness.
    Int(Bits, bool),
    /// An x value of a four-state element (a `logic` element of `new[n]`, a
    /// read outside a queue): refused if it reaches the design.
    Undef(u32),
    Str(Vec<u8>),
    Real(f64),
    /// Queue, dynamic array or fixed array elements.
    Arr(Vec<DV>),
    Map(BTreeMap<Key, DV>),
    /// A value whose contents the standard does not define (the text of
    /// `realtoa`): why, for the refusal when it is used.
    Opaque(&'static str),
}

/// An associative array index.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Key {
    Int(BigInt),
    Str(Vec<u8>),
}

/// An operation's refusal: the reason, placed by the caller.
pub(crate) type OpResult<T> = std::result::Result<T, String>;

impl DT {
    /// Whether this is an array kind (queue, dynamic, associative, fixed).
    pub fn is_array(&self) -> bool {
        matches!(
            self,
            DT::Queue { .. } | DT::Dyn(_) | DT::Assoc { .. } | DT::Fixed { .. }
        )
    }

    /// The element type of an array kind.
    pub fn elem(&self) -> Option<&DT> {
        match self {
            DT::Queue { elem, .. } | DT::Dyn(elem) | DT::Assoc { elem, .. } => Some(elem),
            DT::Fixed { elem, .. } => Some(elem),
            _ => None,
        }
    }

    /// The default (initial) value of a variable of this type (6.8 table 6-7).
    pub fn default_value(&self) -> DV {
        match self {
            DT::Int { ty, four_state } => {
                if *four_state {
                    DV::Undef(ty.width)
                } else {
                    DV::Int(Bits::zero(ty.width), ty.signed)
                }
            }
            DT::Str => DV::Str(Vec::new()),
            DT::Real | DT::ShortReal => DV::Real(0.0),
            DT::Queue { .. } | DT::Dyn(_) => DV::Arr(Vec::new()),
            DT::Assoc { .. } => DV::Map(BTreeMap::new()),
            DT::Fixed { elem, left, right } => {
                let n = (left - right).unsigned_abs() as usize + 1;
                DV::Arr(vec![elem.default_value(); n])
            }
        }
    }

    pub fn describe(&self) -> String {
        match self {
            DT::Int { ty, .. } => format!("{}-bit integral", ty.width),
            DT::Str => "string".into(),
            DT::Real => "real".into(),
            DT::ShortReal => "shortreal".into(),
            DT::Queue { elem, .. } => format!("queue of {}", elem.describe()),
            DT::Dyn(e) => format!("dynamic array of {}", e.describe()),
            DT::Assoc { elem, .. } => format!("associative array of {}", elem.describe()),
            DT::Fixed { elem, .. } => format!("array of {}", elem.describe()),
        }
    }
}

// ---------------------------------------------------------------- conversions

/// An integral value as a signed big integer.
pub(crate) fn bits_to_bigint(b: &Bits, signed: bool) -> BigInt {
    let u = BigInt::from_biguint(Sign::Plus, b.value().clone());
    if signed && b.width() > 0 && b.msb() {
        u - (BigInt::from(1) << b.width())
    } else {
        u
    }
}

/// `v` modulo 2^width, as bits.
pub(crate) fn bigint_to_bits(v: &BigInt, width: u32) -> Bits {
    let m = BigInt::from(1) << width;
    let mut r = v % &m;
    if r.is_negative() {
        r += &m;
    }
    Bits::new(width, r.to_biguint().unwrap_or_default())
}

/// A real rounded to the nearest integer, ties away from zero (6.12.2).
pub(crate) fn real_to_bigint_round(r: f64) -> OpResult<BigInt> {
    if !r.is_finite() {
        return Err(format!("the real value {r} has no integer value"));
    }
    exact_bigint(r.round())
}

/// A real truncated toward zero (`$rtoi`, 20.5).
pub(crate) fn real_to_bigint_trunc(r: f64) -> OpResult<BigInt> {
    if !r.is_finite() {
        return Err(format!("the real value {r} has no integer value"));
    }
    exact_bigint(r.trunc())
}

/// An integer-valued finite f64 as an exact big integer.
fn exact_bigint(r: f64) -> OpResult<BigInt> {
    if r.abs() < 9.0e15 {
        return Ok(BigInt::from(r as i64));
    }
    let bits = r.to_bits();
    let exp = ((bits >> 52) & 0x7ff) as i64 - 1075;
    let mant = (bits & ((1u64 << 52) - 1)) | (1u64 << 52);
    let mut v = BigInt::from(mant);
    if exp >= 0 {
        v <<= exp as usize;
    } else {
        v >>= (-exp) as usize;
    }
    Ok(if r < 0.0 { -v } else { v })
}

/// An integer as a real (rounded to the nearest double).
pub(crate) fn bigint_to_real(v: &BigInt) -> f64 {
    v.to_f64().unwrap_or(if v.is_negative() {
        f64::NEG_INFINITY
    } else {
        f64::INFINITY
    })
}

/// Bytes of an integral value, most significant first, zero bytes dropped
/// (a cast of an integral to `string`, 6.16).
pub(crate) fn bits_to_string(b: &Bits) -> Vec<u8> {
    let n = b.width().div_ceil(8);
    let mut out = Vec::new();
    for i in (0..n).rev() {
        let lo = i * 8;
        let w = 8.min(b.width() - lo);
        let byte = b.slice(lo, w).low_u64() as u8;
        if byte != 0 {
            out.push(byte);
        }
    }
    out
}

/// A string packed into bits, last character in the low byte (a string
/// value in an integral context, 6.16).
pub(crate) fn string_to_bits(s: &[u8], width: u32) -> Bits {
    let mut v = BigUint::default();
    for &c in s {
        v = (v << 8u32) | BigUint::from(c);
    }
    let w = (s.len() as u32 * 8).max(8);
    Bits::new(w, v).zext(w.max(width)).slice(0, width)
}

/// Convert a value to an element type (assignment conversion, 6.22.3 and
/// 10.7): integral widths are resized (by the source's signedness), reals
/// round to integers, integers widen to reals, `shortreal` rounds to single
/// precision, arrays convert element by element.
pub(crate) fn coerce(v: DV, t: &DT) -> OpResult<DV> {
    match (t, v) {
        (_, DV::Opaque(why)) => Err(format!("the value is not defined by the standard ({why})")),
        (DT::Int { ty, .. }, DV::Int(b, s)) => Ok(DV::Int(resize(&b, s, ty.width), ty.signed)),
        (DT::Int { ty, .. }, DV::Real(r)) => Ok(DV::Int(
            bigint_to_bits(&real_to_bigint_round(r)?, ty.width),
            ty.signed,
        )),
        (DT::Int { ty, .. }, DV::Undef(_)) => Ok(DV::Undef(ty.width)),
        (DT::Int { ty, .. }, DV::Str(s)) => Ok(DV::Int(string_to_bits(&s, ty.width), ty.signed)),
        (DT::Str, DV::Str(s)) => Ok(DV::Str(s)),
        (DT::Str, DV::Int(b, _)) => Ok(DV::Str(bits_to_string(&b))),
        (DT::Real, DV::Real(r)) => Ok(DV::Real(r)),
        (DT::ShortReal, DV::Real(r)) => Ok(DV::Real(r as f32 as f64)),
        (DT::Real, DV::Int(b, s)) => Ok(DV::Real(bigint_to_real(&bits_to_bigint(&b, s)))),
        (DT::ShortReal, DV::Int(b, s)) => Ok(DV::Real(
            bigint_to_real(&bits_to_bigint(&b, s)) as f32 as f64,
        )),
        (DT::Queue { elem, bound }, DV::Arr(mut xs)) => {
            // 7.10.5: elements past the bound are discarded.
            if let Some(max) = bound {
                xs.truncate((*max as usize).saturating_add(1));
            }
            Ok(DV::Arr(coerce_all(xs, elem)?))
        }
        (DT::Dyn(elem), DV::Arr(xs)) => Ok(DV::Arr(coerce_all(xs, elem)?)),
        (DT::Fixed { elem, left, right }, DV::Arr(xs)) => {
            let n = (left - right).unsigned_abs() as usize + 1;
            if xs.len() != n {
                return Err(format!("{} elements assigned to an array of {n}", xs.len()));
            }
            Ok(DV::Arr(coerce_all(xs, elem)?))
        }
        (DT::Assoc { elem, .. }, DV::Map(m)) => {
            let mut out = BTreeMap::new();
            for (k, x) in m {
                out.insert(k, coerce(x, elem)?);
            }
            Ok(DV::Map(out))
        }
        (t, v) => Err(format!(
            "a {} value cannot be assigned to a {}",
            v.kind_name(),
            t.describe()
        )),
    }
}

fn coerce_all(xs: Vec<DV>, elem: &DT) -> OpResult<Vec<DV>> {
    xs.into_iter().map(|x| coerce(x, elem)).collect()
}

/// Resize by the source's signedness.
pub(crate) fn resize(b: &Bits, signed: bool, w: u32) -> Bits {
    if w <= b.width() {
        b.slice(0, w)
    } else if signed {
        b.sext(w)
    } else {
        b.zext(w)
    }
}

impl DV {
    pub fn kind_name(&self) -> &'static str {
        match self {
            DV::Int(..) | DV::Undef(_) => "integral",
            DV::Str(_) => "string",
            DV::Real(_) => "real",
            DV::Arr(_) => "array",
            DV::Map(_) => "associative array",
            DV::Opaque(_) => "undefined",
        }
    }

    /// The value as a real (integers convert).
    pub fn as_real(&self) -> OpResult<f64> {
        match self {
            DV::Real(r) => Ok(*r),
            DV::Int(b, s) => Ok(bigint_to_real(&bits_to_bigint(b, *s))),
            other => Err(other.not_a("real")),
        }
    }

    pub fn as_str(&self) -> OpResult<&[u8]> {
        match self {
            DV::Str(s) => Ok(s),
            other => Err(other.not_a("string")),
        }
    }

    /// The value as an integer (reals round).
    pub fn as_bigint(&self) -> OpResult<BigInt> {
        match self {
            DV::Int(b, s) => Ok(bits_to_bigint(b, *s)),
            DV::Real(r) => real_to_bigint_round(*r),
            other => Err(other.not_a("integral")),
        }
    }

    pub fn as_i64(&self) -> OpResult<i64> {
        self.as_bigint()?
            .to_i64()
            .ok_or_else(|| "integer too large".to_string())
    }

    fn not_a(&self, want: &str) -> String {
        match self {
            DV::Undef(_) => "the value is x (an unwritten four-state element)".to_string(),
            DV::Opaque(why) => format!("the value is not defined by the standard ({why})"),
            _ => format!("a {} value where a {want} is expected", self.kind_name()),
        }
    }

    /// The truth of a condition (nonzero integer, nonzero real).
    pub fn truth(&self) -> OpResult<bool> {
        match self {
            DV::Int(b, _) => Ok(!b.is_zero()),
            DV::Real(r) => Ok(*r != 0.0),
            other => Err(other.not_a("condition")),
        }
    }

    pub fn int(v: i64, width: u32, signed: bool) -> DV {
        DV::Int(Bits::from_i64(width, v), signed)
    }

    pub fn bool(b: bool) -> DV {
        DV::Int(Bits::from_bool(b), false)
    }
}

/// The 32-bit signed `int` of a method result.
fn int32(v: i64) -> DV {
    DV::int(v, 32, true)
}

// ---------------------------------------------------------------- strings (6.16)

pub(crate) fn str_getc(s: &[u8], i: i64) -> u8 {
    if i < 0 || i as usize >= s.len() {
        0
    } else {
        s[i as usize]
    }
}

/// `putc`: out of range indices and a zero character leave `s` unchanged.
pub(crate) fn str_putc(s: &mut [u8], i: i64, c: u8) {
    if i >= 0 && (i as usize) < s.len() && c != 0 {
        s[i as usize] = c;
    }
}

pub(crate) fn str_substr(s: &[u8], i: i64, j: i64) -> Vec<u8> {
    if i < 0 || j < i || j as usize >= s.len() {
        Vec::new()
    } else {
        s[i as usize..=j as usize].to_vec()
    }
}

/// `compare`/`icompare`: -1, 0 or 1 (see the module comment).
pub(crate) fn str_compare(a: &[u8], b: &[u8], ignore_case: bool) -> i64 {
    let ord = if ignore_case {
        let la: Vec<u8> = a.iter().map(|c| c.to_ascii_lowercase()).collect();
        let lb: Vec<u8> = b.iter().map(|c| c.to_ascii_lowercase()).collect();
        la.cmp(&lb)
    } else {
        a.cmp(b)
    };
    match ord {
        std::cmp::Ordering::Less => -1,
        std::cmp::Ordering::Equal => 0,
        std::cmp::Ordering::Greater => 1,
    }
}

/// `atoi`/`atohex`/`atooct`/`atobin`: leading digits of the base (and
/// underscores), stopping at anything else; 0 without digits. `atoi`
/// takes a leading sign. The result is an `integer` (32 bits).
pub(crate) fn str_ato(s: &[u8], radix: u32) -> DV {
    let mut i = 0;
    let mut neg = false;
    if radix == 10 && i < s.len() && (s[i] == b'-' || s[i] == b'+') {
        neg = s[i] == b'-';
        i += 1;
    }
    let mut v = BigInt::zero();
    while i < s.len() {
        let c = s[i];
        if c == b'_' {
            i += 1;
            continue;
        }
        match (c as char).to_digit(radix) {
            Some(d) => v = v * radix + d,
            None => break,
        }
        i += 1;
    }
    if neg {
        v = -v;
    }
    DV::Int(bigint_to_bits(&v, 32), true)
}

/// `atoreal`: the longest prefix that reads as a real (digits, a point,
/// an exponent; underscores skipped); 0.0 without one.
pub(crate) fn str_atoreal(s: &[u8]) -> f64 {
    let text: String = s
        .iter()
        .filter(|c| **c != b'_')
        .map(|c| *c as char)
        .collect();
    let mut best = 0.0;
    let mut end = 0;
    for (i, _) in text
        .char_indices()
        .chain(std::iter::once((text.len(), ' ')))
    {
        if i == 0 {
            continue;
        }
        if let Ok(v) = text[..i].parse::<f64>() {
            if text[..i]
                .chars()
                .all(|c| c.is_ascii_digit() || "+-.eE".contains(c))
            {
                best = v;
                end = i;
            }
        }
    }
    let _ = end;
    best
}

/// `itoa`/`hextoa`/`octtoa`/`bintoa`: the digits of `v` (an `integer`
/// argument, so 32-bit signed for `itoa`; the 32-bit pattern for the
/// others), no leading zeros.
pub(crate) fn str_itoa(v: &BigInt, radix: u32) -> Vec<u8> {
    if radix == 10 {
        return v.to_string().into_bytes();
    }
    let b = bigint_to_bits(v, 32);
    b.value().to_str_radix(radix).into_bytes()
}

// ---------------------------------------------------------------- reals (20.5, 20.8)

/// A math function of 20.8 on reals.
pub(crate) fn real_math(name: &str, a: &[f64]) -> Option<f64> {
    Some(match (name, a) {
        ("$ln", [x]) => x.ln(),
        ("$log10", [x]) => x.log10(),
        ("$exp", [x]) => x.exp(),
        ("$sqrt", [x]) => x.sqrt(),
        ("$floor", [x]) => x.floor(),
        ("$ceil", [x]) => x.ceil(),
        ("$sin", [x]) => x.sin(),
        ("$cos", [x]) => x.cos(),
        ("$tan", [x]) => x.tan(),
        ("$asin", [x]) => x.asin(),
        ("$acos", [x]) => x.acos(),
        ("$atan", [x]) => x.atan(),
        ("$sinh", [x]) => x.sinh(),
        ("$cosh", [x]) => x.cosh(),
        ("$tanh", [x]) => x.tanh(),
        ("$asinh", [x]) => x.asinh(),
        ("$acosh", [x]) => x.acosh(),
        ("$atanh", [x]) => x.atanh(),
        ("$pow", [x, y]) => x.powf(*y),
        ("$atan2", [y, x]) => y.atan2(*x),
        ("$hypot", [x, y]) => x.hypot(*y),
        _ => return None,
    })
}

/// Whether `name` is a math function of 20.8 (with its argument count).
pub(crate) fn math_arity(name: &str) -> Option<usize> {
    match name {
        "$ln" | "$log10" | "$exp" | "$sqrt" | "$floor" | "$ceil" | "$sin" | "$cos" | "$tan"
        | "$asin" | "$acos" | "$atan" | "$sinh" | "$cosh" | "$tanh" | "$asinh" | "$acosh"
        | "$atanh" => Some(1),
        "$pow" | "$atan2" | "$hypot" => Some(2),
        _ => None,
    }
}

// ---------------------------------------------------------------- queues (7.10)

/// `q[a:b]` (7.10.1): `a < 0` reads as 0, `b > $` as `$`; empty when
/// `a > b`.
pub(crate) fn queue_slice(q: &[DV], a: i64, b: i64) -> Vec<DV> {
    let a = a.max(0);
    let b = b.min(q.len() as i64 - 1);
    if a > b {
        Vec::new()
    } else {
        q[a as usize..=b as usize].to_vec()
    }
}

/// `insert(i, x)`: `i` from 0 to `size` inclusive; otherwise no change.
pub(crate) fn queue_insert(q: &mut Vec<DV>, i: i64, x: DV) -> bool {
    if i < 0 || i as usize > q.len() {
        return false;
    }
    q.insert(i as usize, x);
    true
}

/// `delete(i)`: out of range leaves the queue unchanged.
pub(crate) fn queue_delete(q: &mut Vec<DV>, i: i64) -> bool {
    if i < 0 || i as usize >= q.len() {
        return false;
    }
    q.remove(i as usize);
    true
}

/// `sum`, `product`, `and`, `or`, `xor` of integral elements (7.12.3), at
/// the element width.
pub(crate) fn reduce(name: &str, xs: &[DV], elem_width: u32, signed: bool) -> OpResult<DV> {
    let mut acc: Option<Bits> = None;
    for x in xs {
        let b = match x {
            DV::Int(b, _) => b.clone(),
            other => return Err(other.not_a("integral")),
        };
        acc = Some(match acc {
            None => b,
            Some(a) => match name {
                "sum" => a.add(&b),
                "product" => a.mul(&b),
                "and" => a.and(&b),
                "or" => a.or(&b),
                "xor" => a.xor(&b),
                _ => return Err(format!("unknown reduction `{name}`")),
            },
        });
    }
    Ok(DV::Int(
        acc.unwrap_or_else(|| Bits::zero(elem_width)),
        signed,
    ))
}

/// `min`/`max` (7.12.1): a queue with the one least/greatest element
/// (empty for an empty array).
pub(crate) fn min_max(xs: &[DV], max: bool) -> OpResult<Vec<DV>> {
    let mut best: Option<(usize, &DV)> = None;
    for (i, x) in xs.iter().enumerate() {
        let better = match best {
            None => true,
            Some((_, b)) => {
                let o = compare_values(x, b)?;
                if max {
                    o == std::cmp::Ordering::Greater
                } else {
                    o == std::cmp::Ordering::Less
                }
            }
        };
        if better {
            best = Some((i, x));
        }
    }
    Ok(best.map(|(_, x)| vec![x.clone()]).unwrap_or_default())
}

/// `unique` (7.12.1): the first of each value, in order.
pub(crate) fn unique(xs: &[DV]) -> OpResult<Vec<DV>> {
    let mut out: Vec<DV> = Vec::new();
    for x in xs {
        let mut seen = false;
        for y in &out {
            if compare_values(x, y)? == std::cmp::Ordering::Equal {
                seen = true;
                break;
            }
        }
        if !seen {
            out.push(x.clone());
        }
    }
    Ok(out)
}

/// Order of two elements (integers by value, strings, reals).
pub(crate) fn compare_values(a: &DV, b: &DV) -> OpResult<std::cmp::Ordering> {
    match (a, b) {
        (DV::Str(x), DV::Str(y)) => Ok(x.cmp(y)),
        (DV::Int(..), DV::Int(..)) => Ok(a.as_bigint()?.cmp(&b.as_bigint()?)),
        _ => {
            let (x, y) = (a.as_real()?, b.as_real()?);
            x.partial_cmp(&y)
                .ok_or_else(|| "comparison with NaN".to_string())
        }
    }
}

/// Sort in place (`sort`/`rsort`, 7.12.2).
pub(crate) fn sort(xs: &mut [DV], reverse: bool) -> OpResult<()> {
    let mut bad = None;
    xs.sort_by(|a, b| match compare_values(a, b) {
        Ok(o) => {
            if reverse {
                o.reverse()
            } else {
                o
            }
        }
        Err(e) => {
            bad = Some(e);
            std::cmp::Ordering::Equal
        }
    });
    match bad {
        Some(e) => Err(e),
        None => Ok(()),
    }
}

/// A method result of type `int`.
pub(crate) fn int_result(v: i64) -> DV {
    int32(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn int_of(v: &DV) -> i64 {
        v.as_i64().unwrap()
    }

    #[test]
    fn string_methods_follow_6_16() {
        let s = b"Hello".to_vec();
        assert_eq!(str_getc(&s, 1), b'e');
        assert_eq!(str_getc(&s, 5), 0);
        assert_eq!(str_getc(&s, -1), 0);
        let mut t = s.clone();
        str_putc(&mut t, 0, b'J');
        assert_eq!(t, b"Jello");
        str_putc(&mut t, 9, b'X');
        str_putc(&mut t, 1, 0);
        assert_eq!(t, b"Jello");
        assert_eq!(str_substr(&s, 1, 3), b"ell");
        assert_eq!(str_substr(&s, 3, 1), b"");
        assert_eq!(str_substr(&s, 0, 5), b"");
        assert_eq!(str_compare(b"abc", b"abd", false), -1);
        assert_eq!(str_compare(b"abc", b"ABC", true), 0);
        assert_eq!(str_compare(b"b", b"ABC", false), 1);
    }

    #[test]
    fn string_number_conversions() {
        assert_eq!(int_of(&str_ato(b"123abc", 10)), 123);
        assert_eq!(int_of(&str_ato(b"1_000", 10)), 1000);
        assert_eq!(int_of(&str_ato(b"-42", 10)), -42);
        assert_eq!(int_of(&str_ato(b"x1", 10)), 0);
        assert_eq!(int_of(&str_ato(b"fF", 16)), 255);
        assert_eq!(int_of(&str_ato(b"778", 8)), 63);
        assert_eq!(int_of(&str_ato(b"1012", 2)), 5);
        assert_eq!(str_itoa(&BigInt::from(-17), 10), b"-17");
        assert_eq!(str_itoa(&BigInt::from(255), 16), b"ff");
        assert_eq!(str_itoa(&BigInt::from(8), 8), b"10");
        assert_eq!(str_itoa(&BigInt::from(5), 2), b"101");
        assert_eq!(str_itoa(&BigInt::from(-1), 16), b"ffffffff");
        assert_eq!(str_atoreal(b"3.25xyz"), 3.25);
        assert_eq!(str_atoreal(b"1e3"), 1000.0);
        assert_eq!(str_atoreal(b"abc"), 0.0);
    }

    #[test]
    fn string_bits_round_trip() {
        let b = string_to_bits(b"AB", 16);
        assert_eq!(b.to_u64(), Some(0x4142));
        assert_eq!(bits_to_string(&Bits::from_u64(32, 0x0000_4142)), b"AB");
        // Wider targets are zero-filled on the left, narrower keep the end.
        assert_eq!(string_to_bits(b"AB", 8).to_u64(), Some(0x42));
    }

    #[test]
    fn real_conversions_round_and_truncate() {
        // 6.12.2: round to nearest, ties away from zero.
        let to_int = |r: f64| coerce(DV::Real(r), &int_t(32)).unwrap();
        assert_eq!(int_of(&to_int(2.5)), 3);
        assert_eq!(int_of(&to_int(-2.5)), -3);
        assert_eq!(int_of(&to_int(2.4)), 2);
        assert_eq!(int_of(&to_int(-1.5)), -2);
        // $rtoi truncates.
        assert_eq!(real_to_bigint_trunc(21.37).unwrap(), BigInt::from(21));
        assert_eq!(real_to_bigint_trunc(-21.9).unwrap(), BigInt::from(-21));
        assert!(real_to_bigint_round(f64::NAN).is_err());
        // Large exact values.
        assert_eq!(
            real_to_bigint_round(2f64.powi(70)).unwrap(),
            BigInt::from(1) << 70
        );
        // shortreal is single precision.
        let s = coerce(DV::Real(0.1), &DT::ShortReal).unwrap();
        assert_eq!(s, DV::Real(0.1f32 as f64));
        // Integer to real by signedness.
        let r = coerce(DV::Int(Bits::from_u64(8, 0xff), true), &DT::Real).unwrap();
        assert_eq!(r, DV::Real(-1.0));
        let r = coerce(DV::Int(Bits::from_u64(8, 0xff), false), &DT::Real).unwrap();
        assert_eq!(r, DV::Real(255.0));
        assert_eq!(real_math("$pow", &[2.0, 10.0]), Some(1024.0));
        assert_eq!(real_math("$floor", &[-1.5]), Some(-2.0));
        assert_eq!(real_math("$ceil", &[1.2]), Some(2.0));
        assert_eq!(real_math("$hypot", &[3.0, 4.0]), Some(5.0));
    }

    fn int_t(w: u32) -> DT {
        DT::Int {
            ty: Ty::vector(w, true),
            four_state: false,
        }
    }

    #[test]
    fn queue_operations_follow_7_10() {
        let v = |x: i64| DV::int(x, 32, true);
        let mut q = vec![v(1), v(2), v(3)];
        assert!(queue_insert(&mut q, 3, v(4)));
        assert!(!queue_insert(&mut q, 9, v(5)));
        assert!(queue_insert(&mut q, 0, v(0)));
        assert_eq!(q, vec![v(0), v(1), v(2), v(3), v(4)]);
        assert!(queue_delete(&mut q, 1));
        assert!(!queue_delete(&mut q, -1));
        assert_eq!(q, vec![v(0), v(2), v(3), v(4)]);
        assert_eq!(queue_slice(&q, 1, 2), vec![v(2), v(3)]);
        assert_eq!(queue_slice(&q, -3, 0), vec![v(0)]);
        assert_eq!(queue_slice(&q, 2, 99), vec![v(3), v(4)]);
        assert!(queue_slice(&q, 3, 2).is_empty());
        assert_eq!(int_of(&reduce("sum", &q, 32, true).unwrap()), 9);
        assert_eq!(int_of(&reduce("product", &q[1..], 32, true).unwrap()), 24);
        assert_eq!(min_max(&q, true).unwrap(), vec![v(4)]);
        assert_eq!(min_max(&q, false).unwrap(), vec![v(0)]);
        let mut r = vec![v(3), v(1), v(3), v(2)];
        assert_eq!(unique(&r).unwrap(), vec![v(3), v(1), v(2)]);
        sort(&mut r, false).unwrap();
        assert_eq!(r, vec![v(1), v(2), v(3), v(3)]);
        sort(&mut r, true).unwrap();
        assert_eq!(r, vec![v(3), v(3), v(2), v(1)]);
    }

    #[test]
    fn bounded_queue_and_defaults() {
        let t = DT::Queue {
            elem: Box::new(int_t(8)),
            bound: Some(1),
        };
        let v = |x: i64| DV::int(x, 8, true);
        assert_eq!(
            coerce(DV::Arr(vec![v(1), v(2)]), &t),
            Ok(DV::Arr(vec![v(1), v(2)]))
        );
        // Elements past the bound are discarded (7.10.5).
        assert_eq!(
            coerce(DV::Arr(vec![v(1), v(2), v(3)]), &t),
            Ok(DV::Arr(vec![v(1), v(2)]))
        );
        let four = DT::Int {
            ty: Ty::vector(4, false),
            four_state: true,
        };
        assert_eq!(four.default_value(), DV::Undef(4));
        assert!(four.default_value().as_bigint().is_err());
        assert_eq!(DT::Str.default_value(), DV::Str(Vec::new()));
    }
}
