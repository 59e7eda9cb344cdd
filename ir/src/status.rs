//! The status of a property: the words every report, results file and
//! regression manifest uses (defined here, once). The words are a
//! public interface: they never change.

use serde::{Deserialize, Serialize};
use std::fmt;

/// What is known about one property.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// No failure within the bound checked (bounded result).
    Pass,
    /// Holds at every depth (an assertion proven).
    Proven,
    /// An assertion fails (with a trace).
    Fail,
    /// A cover is hit (with a trace).
    Covered,
    /// A cover can never be hit (proven).
    Unreachable,
    /// No verdict.
    Unknown,
}

impl Status {
    pub const ALL: [Status; 6] = [
        Status::Pass,
        Status::Proven,
        Status::Fail,
        Status::Covered,
        Status::Unreachable,
        Status::Unknown,
    ];

    /// The status word (`pass`, `proven`, `fail`, `covered`,
    /// `unreachable`, `unknown`).
    pub fn word(self) -> &'static str {
        match self {
            Status::Pass => "pass",
            Status::Proven => "proven",
            Status::Fail => "fail",
            Status::Covered => "covered",
            Status::Unreachable => "unreachable",
            Status::Unknown => "unknown",
        }
    }

    /// The status a word names.
    pub fn parse(s: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|x| x.word() == s)
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.word())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_stable_and_round_trip() {
        let words: Vec<&str> = Status::ALL.iter().map(|s| s.word()).collect();
        assert_eq!(
            words,
            [
                "pass",
                "proven",
                "fail",
                "covered",
                "unreachable",
                "unknown"
            ]
        );
        for s in Status::ALL {
            assert_eq!(Status::parse(s.word()), Some(s));
            assert_eq!(s.to_string(), s.word());
            assert_eq!(
                serde_json::to_string(&s).unwrap(),
                format!("\"{}\"", s.word())
            );
        }
        assert_eq!(Status::parse("hit"), None);
    }
}
