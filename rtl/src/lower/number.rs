//! Integer literals as written (`12`, `8'hFF`, `'sd5`, `4'b10?z`), as a pure
//! function on the literal's text so it can be tested without a parse.

use crate::ast::Number;
use num_bigint::BigUint;
use num_traits::{One, Zero};

/// Unsized based literals with a leading x/z digit are extended to this
/// many bits (the minimum width of an unsized literal).
const UNSIZED_BITS: u32 = 32;

/// Parse an integer literal (`size'[s]base digits`, or plain decimal digits).
/// White space between the parts must already be removed. Returns a message
/// (without location) on malformed text.
pub fn parse_number(text: &str) -> Result<Number, String> {
    let Some(q) = text.find('\'') else {
        // Unsized decimal: signed, at least 32 bits (the elaborator sizes it).
        let digits = clean_digits(text)?;
        let value = BigUint::parse_bytes(digits.as_bytes(), 10)
            .ok_or_else(|| format!("malformed decimal number `{text}`"))?;
        return Ok(Number {
            width: None,
            signed: true,
            value,
            xz: BigUint::zero(),
            based: false,
        });
    };
    let size_text = &text[..q];
    let width = if size_text.is_empty() {
        None
    } else {
        let s = clean_digits(size_text)?;
        let w: u32 = s
            .parse()
            .map_err(|_| format!("literal size `{size_text}` is too large"))?;
        if w == 0 {
            return Err("literal size must not be zero".to_string());
        }
        Some(w)
    };
    let mut rest = &text[q + 1..];
    let mut signed = false;
    if let Some(r) = rest.strip_prefix(['s', 'S']) {
        signed = true;
        rest = r;
    }
    let mut chars = rest.chars();
    let base = chars
        .next()
        .ok_or_else(|| format!("malformed number `{text}`"))?;
    let digits_text = chars.as_str();
    let bits_per_digit = match base {
        'b' | 'B' => 1,
        'o' | 'O' => 3,
        'h' | 'H' => 4,
        'd' | 'D' => 0,
        _ => return Err(format!("malformed number `{text}`: unknown base `{base}`")),
    };
    let digits = clean_digits(digits_text)?;
    if digits.is_empty() {
        return Err(format!("number `{text}` has no digits"));
    }
    let fill_bits = width.unwrap_or(UNSIZED_BITS);
    let is_xz = |c: char| matches!(c, 'x' | 'X' | 'z' | 'Z' | '?');
    let (value, xz) = if bits_per_digit == 0 {
        // Decimal: either all digits, or one x/z digit meaning "all bits".
        if digits.chars().all(is_xz) {
            if digits.len() != 1 {
                return Err(format!("malformed decimal number `{text}`"));
            }
            (BigUint::zero(), mask(fill_bits))
        } else {
            let v = BigUint::parse_bytes(digits.as_bytes(), 10)
                .ok_or_else(|| format!("malformed decimal number `{text}`"))?;
            (v, BigUint::zero())
        }
    } else {
        let mut value = BigUint::zero();
        let mut xz = BigUint::zero();
        let digit_mask = (1u32 << bits_per_digit) - 1;
        for c in digits.chars() {
            value <<= bits_per_digit;
            xz <<= bits_per_digit;
            if is_xz(c) {
                xz |= BigUint::from(digit_mask);
            } else {
                let d = c
                    .to_digit(16)
                    .filter(|d| *d <= digit_mask)
                    .ok_or_else(|| format!("invalid digit `{c}` in number `{text}`"))?;
                value |= BigUint::from(d);
            }
        }
        // A leading x/z digit extends to the full width (IEEE 1800 5.7.1).
        let written = digits.len() as u64 * bits_per_digit as u64;
        let first = digits.chars().next().unwrap_or('0');
        if is_xz(first) && written < fill_bits as u64 {
            xz |= mask(fill_bits) ^ mask(written as u32);
        }
        (value, xz)
    };
    Ok(Number {
        width,
        signed,
        value,
        xz,
        based: true,
    })
}

fn mask(bits: u32) -> BigUint {
    (BigUint::one() << bits) - BigUint::one()
}

/// Digits without underscores; refuses an empty or underscore-led string.
fn clean_digits(s: &str) -> Result<String, String> {
    if s.starts_with('_') {
        return Err(format!("malformed number `{s}`"));
    }
    Ok(s.chars()
        .filter(|c| *c != '_' && !c.is_whitespace())
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(s: &str) -> Number {
        parse_number(s).unwrap_or_else(|e| panic!("{s}: {e}"))
    }

    #[test]
    fn unsized_decimal_is_signed() {
        let x = n("12");
        assert_eq!(x.width, None);
        assert!(x.signed && !x.based);
        assert_eq!(x.value, BigUint::from(12u32));
        assert_eq!(n("1_000").value, BigUint::from(1000u32));
        // Larger than 32 bits: kept in full.
        assert_eq!(
            n("123456789012345678901").value.to_string(),
            "123456789012345678901"
        );
    }

    #[test]
    fn sized_and_based() {
        let x = n("8'hFF");
        assert_eq!(x.width, Some(8));
        assert!(!x.signed && x.based);
        assert_eq!(x.value, BigUint::from(255u32));
        let x = n("16'shFFFF");
        assert_eq!(x.width, Some(16));
        assert!(x.signed);
        assert_eq!(x.value, BigUint::from(0xFFFFu32));
        let x = n("'h1f");
        assert_eq!(x.width, None);
        assert!(!x.signed && x.based);
        assert_eq!(x.value, BigUint::from(31u32));
        let x = n("'sd5");
        assert!(x.signed);
        assert_eq!(x.value, BigUint::from(5u32));
        assert_eq!(n("12'o7_7").value, BigUint::from(0o77u32));
        assert_eq!(n("4'B1010").value, BigUint::from(10u32));
        assert_eq!(n("32'D42").value, BigUint::from(42u32));
    }

    #[test]
    fn xz_digits_set_mask() {
        let x = n("4'b10?z");
        assert_eq!(x.value, BigUint::from(0b1000u32));
        assert_eq!(x.xz, BigUint::from(0b0011u32));
        let x = n("8'hx5");
        assert_eq!(x.value, BigUint::from(5u32));
        assert_eq!(x.xz, BigUint::from(0xF0u32));
        // Leading x extends to the size.
        let x = n("8'bx");
        assert_eq!(x.xz, BigUint::from(0xFFu32));
        let x = n("8'dz");
        assert_eq!(x.xz, BigUint::from(0xFFu32));
        assert_eq!(x.value, BigUint::zero());
        assert_eq!(n("4'b0000").xz, BigUint::zero());
    }

    #[test]
    fn overflowing_value_is_kept() {
        let x = n("4'hFF");
        assert_eq!(x.width, Some(4));
        assert_eq!(x.value, BigUint::from(255u32));
    }

    #[test]
    fn malformed() {
        assert!(parse_number("4'b102").is_err());
        assert!(parse_number("4'q1").is_err());
        assert!(parse_number("99999999999'h1").is_err());
        assert!(parse_number("8'h").is_err());
        assert!(parse_number("8'dxx").is_err());
    }
}
