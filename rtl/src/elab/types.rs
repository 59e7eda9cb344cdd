//! Resolved (elaborated) types: widths, signedness and the packed layout
//! needed for selects, struct members and enum values.

use crate::bits::Bits;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ty {
    pub width: u32,
    pub signed: bool,
    pub shape: Shape,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Shape {
    /// A single bit or an opaque vector `[width-1:0]`.
    Flat,
    /// A packed dimension `[left:right]` of elements of type `elem`.
    Vector {
        left: i64,
        right: i64,
        elem: Box<Ty>,
    },
    /// `struct packed`: members most significant first, with their bit offset.
    Struct(Vec<Member>),
    /// An unpacked dimension `[left:right]`: laid out like a packed one
    /// (element `left` or `right` at the least significant end, as for
    /// `Vector`), but only usable whole in assignments, port connections
    /// and `==`/`!=`; every element is a signal of its own in the IR.
    Unpacked {
        left: i64,
        right: i64,
        elem: Box<Ty>,
    },
    /// An unpacked struct, laid out like a packed one; each member is a
    /// signal of its own in the IR.
    UStruct(Vec<Member>),
    /// An enum over a base type.
    Enum {
        base: Box<Ty>,
        values: Vec<(String, Bits)>,
        /// The base type is two-state (`int`, `bit`...): its default value
        /// is 0, not x (what `next()` of a non-member gives).
        two_state: bool,
    },
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Member {
    pub name: String,
    pub ty: Ty,
    /// Offset of the member's least significant bit.
    pub lo: u32,
    /// Its default value (unpacked structs, 7.2.2), of its type's width.
    pub default: Option<Bits>,
}

impl Ty {
    pub fn bit(signed: bool) -> Ty {
        Ty {
            width: 1,
            signed,
            shape: Shape::Flat,
        }
    }

    /// `logic [width-1:0]` (flat when width is 1).
    pub fn vector(width: u32, signed: bool) -> Ty {
        if width == 1 {
            return Ty::bit(signed);
        }
        Ty {
            width,
            signed,
            shape: Shape::Vector {
                left: width as i64 - 1,
                right: 0,
                elem: Box::new(Ty::bit(false)),
            },
        }
    }

    /// Number of elements of the outermost packed dimension.
    pub fn range(&self) -> Option<(i64, i64)> {
        match &self.shape {
            Shape::Vector { left, right, .. } | Shape::Unpacked { left, right, .. } => {
                Some((*left, *right))
            }
            Shape::Enum { base, .. } => base.range(),
            Shape::Flat => Some((self.width as i64 - 1, 0)),
            Shape::Struct(_) | Shape::UStruct(_) => Some((self.width as i64 - 1, 0)),
        }
    }

    /// The element type selected by one index.
    pub fn element(&self) -> Ty {
        match &self.shape {
            Shape::Vector { elem, .. } | Shape::Unpacked { elem, .. } => (**elem).clone(),
            Shape::Enum { base, .. } => base.element(),
            _ => Ty::bit(false),
        }
    }

    /// The initial value a variable of this type declared without one
    /// takes from struct member defaults (7.2.2), if any member (of it or
    /// of its elements) has one; members without one are two-state (the
    /// front end checks), so 0.
    pub fn member_defaults(&self) -> Option<Bits> {
        match &self.shape {
            Shape::UStruct(ms) => {
                let mut any = false;
                let mut acc = num_bigint::BigUint::default();
                for m in ms {
                    let v = m.default.clone().or_else(|| m.ty.member_defaults());
                    if let Some(v) = v {
                        any = true;
                        acc |= v.value().clone() << m.lo;
                    }
                }
                any.then(|| Bits::new(self.width, acc))
            }
            Shape::Unpacked { elem, .. } => {
                let e = elem.member_defaults()?;
                let n = self.width / elem.width.max(1);
                let mut acc = num_bigint::BigUint::default();
                for i in 0..n {
                    acc |= e.value().clone() << (i * elem.width);
                }
                Some(Bits::new(self.width, acc))
            }
            _ => None,
        }
    }

    pub fn enum_values(&self) -> Option<&[(String, Bits)]> {
        match &self.shape {
            Shape::Enum { values, .. } => Some(values),
            _ => None,
        }
    }

    pub fn member(&self, name: &str) -> Option<&Member> {
        match &self.shape {
            Shape::Struct(m) | Shape::UStruct(m) => m.iter().find(|m| m.name == name),
            _ => None,
        }
    }

    /// An unpacked array or struct (not usable as an integral value).
    pub fn is_unpacked(&self) -> bool {
        matches!(self.shape, Shape::Unpacked { .. } | Shape::UStruct(_))
    }

    /// The IR signals of an unpacked value: a name suffix (`[2]`, `[1][0]`,
    /// `.f`), bit offset, width and signedness per packed leaf, least significant first.
    /// Empty for a packed type (the value is one signal).
    pub fn leaves(&self) -> Vec<(String, u32, u32, bool)> {
        let mut out = Vec::new();
        self.leaves_into(String::new(), 0, &mut out);
        if out.len() == 1 && out[0].0.is_empty() {
            out.clear();
        }
        out
    }

    fn leaves_into(&self, prefix: String, lo: u32, out: &mut Vec<(String, u32, u32, bool)>) {
        match &self.shape {
            Shape::Unpacked { left, right, elem } => {
                let n = (left - right).unsigned_abs() + 1;
                for o in 0..n {
                    // Offset o from the least significant end holds index right -/+ o.
                    let i = if left >= right {
                        right + o as i64
                    } else {
                        right - o as i64
                    };
                    let at = lo + o as u32 * elem.width;
                    elem.leaves_into(format!("{prefix}[{i}]"), at, out);
                }
            }
            Shape::UStruct(ms) => {
                for m in ms.iter().rev() {
                    m.ty.leaves_into(format!("{prefix}.{}", m.name), lo + m.lo, out);
                }
            }
            _ => out.push((prefix, lo, self.width, self.signed)),
        }
    }
}

/// Offset (in elements, from the least significant end) of index `i` in
/// a dimension `[left:right]`, or None when out of range.
pub fn element_offset(left: i64, right: i64, i: i64) -> Option<u64> {
    let (lo, hi) = (left.min(right), left.max(right));
    if i < lo || i > hi {
        return None;
    }
    Some(if left >= right {
        (i - right) as u64
    } else {
        (right - i) as u64
    })
}
