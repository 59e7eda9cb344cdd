//! Resets: which input resets the design, at which level, for how many
//! cycles. One vocabulary for every engine and the command line:
//!
//! - [`ResetSpec`]: what was asked for (`--reset NAME`, `--reset !NAME`,
//!   `--reset none`, or nothing: found by naming convention);
//! - [`Reset`]: a reset input by name, its polarity and how many cycles it
//!   is held at its active level from cycle 0;
//! - [`ResetInput`]: a [`Reset`] found in a design (its input).
//!
//! Semantics (shared by both engines; this is its definition): the reset is
//! held active in cycles `0..cycles`; after that random stimulus holds it
//! inactive and formal leaves it a free input.

use crate::netlist::{Design, InputId};

/// Which input is the reset and how it is driven, as asked for (`--reset`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum ResetSpec {
    /// No reset: every input is free (random) from cycle 0 (`--reset none`).
    None,
    /// Pick `rst`/`reset` (active high) or `rst_n`/`rst_ni`/`reset_n` (active low).
    #[default]
    Auto,
    /// A named input (`--reset NAME`, or `--reset !NAME` for active low).
    Active { name: String, active_low: bool },
}

impl ResetSpec {
    /// An optional `--reset` argument (or a manifest's `reset`): absent
    /// means [`ResetSpec::Auto`], else [`ResetSpec::parse`].
    pub fn from_option(s: Option<&str>) -> ResetSpec {
        match s {
            None => ResetSpec::Auto,
            Some(s) => ResetSpec::parse(s),
        }
    }

    /// Parse the `--reset` argument: `none`, `NAME` or `!NAME`.
    pub fn parse(s: &str) -> ResetSpec {
        let s = s.trim();
        if s == "none" {
            ResetSpec::None
        } else if let Some(n) = s.strip_prefix('!') {
            ResetSpec::Active {
                name: n.to_string(),
                active_low: true,
            }
        } else {
            ResetSpec::Active {
                name: s.to_string(),
                active_low: false,
            }
        }
    }
}

/// A reset: the input `name` is held at its active level (low when
/// `active_low`) for cycles `0..cycles`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reset {
    pub name: String,
    pub active_low: bool,
    pub cycles: u64,
}

impl Reset {
    /// Find this reset's input in `design`: it must exist and be 1 bit wide.
    pub fn find(&self, design: &Design) -> Result<ResetInput, ResetError> {
        let i = design
            .inputs
            .iter()
            .position(|p| p.name == self.name)
            .ok_or_else(|| ResetError::Unknown(self.name.clone()))?;
        if design.inputs[i].width != 1 {
            return Err(ResetError::Wide {
                name: self.name.clone(),
                width: design.inputs[i].width,
            });
        }
        Ok(ResetInput {
            reset: self.clone(),
            input: InputId(i as u32),
            auto: false,
        })
    }
}

/// A [`Reset`] found in a design.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResetInput {
    pub reset: Reset,
    /// The reset's input.
    pub input: InputId,
    /// True when found by naming convention (the CLI prints the choice).
    pub auto: bool,
}

/// A reset that names no usable input.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ResetError {
    #[error("reset input `{0}` is not an input of the design")]
    Unknown(String),
    #[error("reset input `{name}` has width {width}; a reset must be 1 bit")]
    Wide { name: String, width: u32 },
}

/// Input names taken as the reset when none is given, in order of
/// preference, with their polarity (true: active low).
pub const CONVENTIONAL_NAMES: [(&str, bool); 5] = [
    ("rst", false),
    ("reset", false),
    ("rst_n", true),
    ("rst_ni", true),
    ("reset_n", true),
];

/// Resolve a [`ResetSpec`] against a design, the reset held for `cycles`.
/// `Auto` with no input of a conventional name (1 bit wide) gives
/// `Ok(None)`; a named input that does not exist or is wider than one bit
/// is an error.
pub fn resolve(
    design: &Design,
    spec: &ResetSpec,
    cycles: u64,
) -> Result<Option<ResetInput>, ResetError> {
    match spec {
        ResetSpec::None => Ok(None),
        ResetSpec::Auto => {
            for (n, low) in CONVENTIONAL_NAMES {
                if let Some(i) = design
                    .inputs
                    .iter()
                    .position(|p| p.name == n && p.width == 1)
                {
                    return Ok(Some(ResetInput {
                        reset: Reset {
                            name: n.to_string(),
                            active_low: low,
                            cycles,
                        },
                        input: InputId(i as u32),
                        auto: true,
                    }));
                }
            }
            Ok(None)
        }
        ResetSpec::Active { name, active_low } => Reset {
            name: name.clone(),
            active_low: *active_low,
            cycles,
        }
        .find(design)
        .map(Some),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::builder::Builder;
    use crate::source::Span;

    fn design() -> Design {
        let mut b = Builder::new("t");
        b.input("a", 1, false, Span::NONE);
        b.input("rst_n", 1, false, Span::NONE);
        b.input("wide", 2, false, Span::NONE);
        b.finish().unwrap()
    }

    #[test]
    fn parse_the_reset_argument() {
        assert_eq!(ResetSpec::parse(" none "), ResetSpec::None);
        assert_eq!(
            ResetSpec::parse("!rst_n"),
            ResetSpec::Active {
                name: "rst_n".into(),
                active_low: true
            }
        );
        assert_eq!(
            ResetSpec::parse("rst"),
            ResetSpec::Active {
                name: "rst".into(),
                active_low: false
            }
        );
    }

    #[test]
    fn resolve_by_convention_by_name_or_not_at_all() {
        let d = design();
        let r = resolve(&d, &ResetSpec::Auto, 3).unwrap().unwrap();
        assert_eq!(
            r,
            ResetInput {
                reset: Reset {
                    name: "rst_n".into(),
                    active_low: true,
                    cycles: 3
                },
                input: InputId(1),
                auto: true
            }
        );
        assert_eq!(resolve(&d, &ResetSpec::None, 1).unwrap(), None);
        let a = resolve(&d, &ResetSpec::parse("a"), 1).unwrap().unwrap();
        assert_eq!(
            (a.input, a.auto, a.reset.active_low),
            (InputId(0), false, false)
        );
        assert_eq!(
            resolve(&d, &ResetSpec::parse("!nope"), 1),
            Err(ResetError::Unknown("nope".into()))
        );
        assert_eq!(
            resolve(&d, &ResetSpec::parse("wide"), 1),
            Err(ResetError::Wide {
                name: "wide".into(),
                width: 2
            })
        );
        let mut b = Builder::new("t");
        b.input("reset_x", 1, false, Span::NONE);
        assert_eq!(resolve(&b.finish().unwrap(), &ResetSpec::Auto, 1), Ok(None));
    }
}
