//! The coverage database: every point the simulator counts, with what is
//! known about it. Serialisable and mergeable, so runs on several machines
//! add up (`CoverageDb::merge`).

use serde::{Deserialize, Serialize};
use sim::coverage::{Coverage, PointKind};
use std::collections::HashMap;

/// What is known about one coverage point (its words, `unhit`, `hit`,
/// `unreachable`, `unknown`, are the coverage database's; a property's
/// result is an `ir::status::Status`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "lowercase")]
pub enum PointStatus {
    /// Not hit yet, and no engine has said more.
    Unhit,
    /// Hit: `stimulus` (a stimulus file name) hits it first in `cycle`.
    Hit { stimulus: String, cycle: u64 },
    /// Proven never hit (k-induction at `k`).
    Unreachable { k: u32 },
    /// Formal gave no verdict (not hit within its depth, no proof) and
    /// simulation has not hit it.
    Unknown,
}

impl PointStatus {
    /// The word used in reports.
    pub fn word(&self) -> &'static str {
        match self {
            PointStatus::Unhit => "unhit",
            PointStatus::Hit { .. } => "hit",
            PointStatus::Unreachable { .. } => "unreachable",
            PointStatus::Unknown => "unknown",
        }
    }

    /// Hit or proven unreachable: nothing left to do.
    pub fn is_closed(&self) -> bool {
        matches!(
            self,
            PointStatus::Hit { .. } | PointStatus::Unreachable { .. }
        )
    }

    /// Rank for merging: a closed status beats an open one.
    fn rank(&self) -> u8 {
        match self {
            PointStatus::Unhit => 0,
            PointStatus::Unknown => 1,
            PointStatus::Hit { .. } | PointStatus::Unreachable { .. } => 2,
        }
    }
}

/// One point of the database.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DbPoint {
    /// The simulator's point id (`branch:..`, `toggle:..`, `state:..`,
    /// `transition:..`, `cover:..`).
    pub id: String,
    pub kind: PointKind,
    /// `file:line:col` of the point's source, when known (for LCOV).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
    /// Cycles in which simulation hit the point (summed over runs).
    #[serde(default)]
    pub hits: u64,
    #[serde(flatten)]
    pub status: PointStatus,
}

/// Totals of one coverage kind (or of all).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Summary {
    pub total: usize,
    pub hit: usize,
    pub unreachable: usize,
    pub unknown: usize,
    pub unhit: usize,
}

impl Summary {
    /// `(hit + unreachable) / total` in percent (100 for no points).
    pub fn closure(&self) -> f64 {
        if self.total == 0 {
            100.0
        } else {
            100.0 * (self.hit + self.unreachable) as f64 / self.total as f64
        }
    }

    fn add(&mut self, s: &PointStatus) {
        self.total += 1;
        match s {
            PointStatus::Unhit => self.unhit += 1,
            PointStatus::Hit { .. } => self.hit += 1,
            PointStatus::Unreachable { .. } => self.unreachable += 1,
            PointStatus::Unknown => self.unknown += 1,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("coverage databases of different designs: `{0}` and `{1}`")]
    OtherDesign(String, String),
    #[error("point `{id}` is a {a:?} point in one database and a {b:?} point in the other")]
    KindMismatch {
        id: String,
        a: PointKind,
        b: PointKind,
    },
}

/// Every coverage point of one design and its status.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CoverageDb {
    pub top: String,
    pub points: Vec<DbPoint>,
}

pub const KINDS: [PointKind; 5] = [
    PointKind::Branch,
    PointKind::Toggle,
    PointKind::State,
    PointKind::Transition,
    PointKind::Cover,
];

/// The name of a kind in reports.
pub fn kind_name(k: PointKind) -> &'static str {
    match k {
        PointKind::Branch => "branch",
        PointKind::Toggle => "toggle",
        PointKind::State => "state",
        PointKind::Transition => "transition",
        PointKind::Cover => "cover",
    }
}

impl CoverageDb {
    /// All points of `cov` (the simulator's point list, in its order) as
    /// unhit; `locate` gives each point's location text.
    pub fn from_points(cov: &Coverage, locate: impl Fn(ir::Span) -> Option<String>) -> CoverageDb {
        CoverageDb {
            top: cov.top.clone(),
            points: cov
                .points
                .iter()
                .map(|p| DbPoint {
                    id: p.id.clone(),
                    kind: p.kind,
                    location: locate(p.span),
                    hits: 0,
                    status: PointStatus::Unhit,
                })
                .collect(),
        }
    }

    /// Record a first hit unless the point is already closed. Returns true
    /// when the status changed.
    pub fn record_hit(&mut self, idx: usize, stimulus: &str, cycle: u64) -> bool {
        let p = &mut self.points[idx];
        if p.status.is_closed() {
            return false;
        }
        p.status = PointStatus::Hit {
            stimulus: stimulus.to_string(),
            cycle,
        };
        true
    }

    pub fn summary(&self, kind: Option<PointKind>) -> Summary {
        let mut s = Summary::default();
        for p in &self.points {
            if kind.is_none_or(|k| k == p.kind) {
                s.add(&p.status);
            }
        }
        s
    }

    /// `(hit + unreachable) / total` in percent.
    pub fn closure(&self) -> f64 {
        self.summary(None).closure()
    }

    pub fn all_closed(&self) -> bool {
        self.points.iter().all(|p| p.status.is_closed())
    }

    /// Add `other`'s knowledge to ours. A closed status beats an open one
    /// (`unknown` beats `unhit`); of two hits the one with the smaller
    /// (stimulus, cycle) is kept, of two proofs the smaller k, so merging
    /// is commutative. Hit counts add. Points only `other` has are appended.
    pub fn merge(&mut self, other: &CoverageDb) -> Result<(), DbError> {
        if self.top != other.top && !self.top.is_empty() && !other.top.is_empty() {
            return Err(DbError::OtherDesign(self.top.clone(), other.top.clone()));
        }
        if self.top.is_empty() {
            self.top = other.top.clone();
        }
        let index: HashMap<String, usize> = self
            .points
            .iter()
            .enumerate()
            .map(|(i, p)| (p.id.clone(), i))
            .collect();
        for q in &other.points {
            let Some(&i) = index.get(&q.id) else {
                self.points.push(q.clone());
                continue;
            };
            let p = &mut self.points[i];
            if p.kind != q.kind {
                return Err(DbError::KindMismatch {
                    id: q.id.clone(),
                    a: p.kind,
                    b: q.kind,
                });
            }
            p.hits += q.hits;
            if p.location.is_none() {
                p.location = q.location.clone();
            }
            p.status = better(&p.status, &q.status);
        }
        Ok(())
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    pub fn from_json(text: &str) -> Result<CoverageDb, serde_json::Error> {
        serde_json::from_str(text)
    }
}

fn better(a: &PointStatus, b: &PointStatus) -> PointStatus {
    if a.rank() != b.rank() {
        return if a.rank() > b.rank() {
            a.clone()
        } else {
            b.clone()
        };
    }
    match (a, b) {
        (
            PointStatus::Hit {
                stimulus: sa,
                cycle: ca,
            },
            PointStatus::Hit {
                stimulus: sb,
                cycle: cb,
            },
        ) => {
            if (sb, cb) < (sa, ca) {
                b.clone()
            } else {
                a.clone()
            }
        }
        (PointStatus::Unreachable { k: ka }, PointStatus::Unreachable { k: kb }) => {
            PointStatus::Unreachable { k: (*ka).min(*kb) }
        }
        // A hit and a proof of unreachability contradict each other: the
        // hit is evidence (a stimulus that replays), so it wins.
        (PointStatus::Unreachable { .. }, PointStatus::Hit { .. }) => b.clone(),
        _ => a.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn db(statuses: &[(&str, PointStatus)]) -> CoverageDb {
        CoverageDb {
            top: "t".into(),
            points: statuses
                .iter()
                .map(|(id, s)| DbPoint {
                    id: id.to_string(),
                    kind: PointKind::Branch,
                    location: None,
                    hits: 1,
                    status: s.clone(),
                })
                .collect(),
        }
    }

    fn hit(s: &str, c: u64) -> PointStatus {
        PointStatus::Hit {
            stimulus: s.into(),
            cycle: c,
        }
    }

    #[test]
    fn closure_counts_hit_and_unreachable() {
        let d = db(&[
            ("a", hit("s", 1)),
            ("b", PointStatus::Unreachable { k: 2 }),
            ("c", PointStatus::Unknown),
            ("d", PointStatus::Unhit),
        ]);
        let s = d.summary(None);
        assert_eq!(
            (s.total, s.hit, s.unreachable, s.unknown, s.unhit),
            (4, 1, 1, 1, 1)
        );
        assert_eq!(d.closure(), 50.0);
    }

    #[test]
    fn merge_is_commutative_and_keeps_closed() {
        let a = db(&[
            ("a", hit("s2", 1)),
            ("b", PointStatus::Unhit),
            ("c", PointStatus::Unreachable { k: 4 }),
        ]);
        let b = db(&[
            ("a", hit("s1", 9)),
            ("b", PointStatus::Unknown),
            ("c", PointStatus::Unreachable { k: 2 }),
            ("e", hit("s3", 0)),
        ]);
        let mut ab = a.clone();
        ab.merge(&b).unwrap();
        let mut ba = b.clone();
        ba.merge(&a).unwrap();
        let key = |d: &CoverageDb| {
            let mut v: Vec<_> = d
                .points
                .iter()
                .map(|p| (p.id.clone(), p.status.clone(), p.hits))
                .collect();
            v.sort_by(|x, y| x.0.cmp(&y.0));
            v
        };
        assert_eq!(key(&ab), key(&ba));
        assert_eq!(ab.points[0].status, hit("s1", 9));
        assert_eq!(ab.points[0].hits, 2);
        assert_eq!(ab.points[1].status, PointStatus::Unknown);
        assert_eq!(ab.points[2].status, PointStatus::Unreachable { k: 2 });
        assert_eq!(ab.points.len(), 4);
    }

    #[test]
    fn json_round_trip_uses_status_words() {
        let d = db(&[("a", hit("s", 3)), ("b", PointStatus::Unreachable { k: 1 })]);
        let j = d.to_json();
        assert!(j.contains("\"status\": \"hit\""), "{j}");
        assert!(j.contains("\"status\": \"unreachable\""), "{j}");
        assert_eq!(CoverageDb::from_json(&j).unwrap(), d);
    }

    #[test]
    fn merging_other_design_is_an_error() {
        let mut a = db(&[]);
        let mut b = db(&[]);
        b.top = "other".into();
        assert!(a.merge(&b).is_err());
    }
}
