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
    /// An enum over a base type.
    Enum {
        base: Box<Ty>,
        values: Vec<(String, Bits)>,
    },
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Member {
    pub name: String,
    pub ty: Ty,
    /// Offset of the member's least significant bit.
    pub lo: u32,
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
            Shape::Vector { left, right, .. } => Some((*left, *right)),
            Shape::Enum { base, .. } => base.range(),
            Shape::Flat => Some((self.width as i64 - 1, 0)),
            Shape::Struct(_) => Some((self.width as i64 - 1, 0)),
        }
    }

    /// The element type selected by one index.
    pub fn element(&self) -> Ty {
        match &self.shape {
            Shape::Vector { elem, .. } => (**elem).clone(),
            Shape::Enum { base, .. } => base.element(),
            _ => Ty::bit(false),
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
            Shape::Struct(m) => m.iter().find(|m| m.name == name),
            _ => None,
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
