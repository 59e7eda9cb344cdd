//! `--shard I/N`: a deterministic slice of the suite's work. Jobs other
//! than sim go round-robin to the shards, each kind on its own turn (so the
//! slow formal jobs spread over every shard); every sim job's seeds are cut
//! into N contiguous slices spread over the shards, so a big sim job is
//! shared by all machines. The slices depend only on the suite and N, so
//! the union of shards 1..=N is every job and every seed exactly once.

use crate::regress::results::{JobKind, SeedRange};
use serde::{Deserialize, Serialize};

/// Shard `index` of `count`, 1-based (`--shard 1/4` .. `--shard 4/4`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shard {
    pub index: u32,
    pub count: u32,
}

impl Shard {
    pub const ALL: Shard = Shard { index: 1, count: 1 };

    pub fn parse(s: &str) -> Result<Shard, String> {
        let bad = || format!("--shard {s}: expected I/N with 1 <= I <= N (e.g. 2/4)");
        let (i, n) = s.split_once('/').ok_or_else(bad)?;
        let index: u32 = i.trim().parse().map_err(|_| bad())?;
        let count: u32 = n.trim().parse().map_err(|_| bad())?;
        if count == 0 || index == 0 || index > count {
            return Err(bad());
        }
        Ok(Shard { index, count })
    }
}

impl std::fmt::Display for Shard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

/// A job as the planner sees it: its kind and, for sim, all its seeds.
#[derive(Clone, Copy, Debug)]
pub struct JobShape {
    pub kind: JobKind,
    pub seeds: Option<SeedRange>,
}

/// The work of `shard` among `jobs` (in suite order): (job index, seed
/// slice for sim jobs).
pub fn select(jobs: &[JobShape], shard: Shard) -> Vec<(usize, Option<SeedRange>)> {
    let n = shard.count as u64;
    let me = (shard.index - 1) as u64;
    let mut out = Vec::new();
    let mut turn = [0u64; 4];
    let mut sims = 0u64;
    for (j, job) in jobs.iter().enumerate() {
        match job.seeds {
            Some(all) if job.kind == JobKind::Sim => {
                // Slice s (0-based) goes to shard (k + s) mod N, k counting
                // sim jobs, so small jobs do not all land on shard 1.
                for s in 0..n {
                    let lo = all.count * s / n;
                    let hi = all.count * (s + 1) / n;
                    if hi > lo && (sims + s) % n == me {
                        out.push((
                            j,
                            Some(SeedRange {
                                first: all.first + lo,
                                count: hi - lo,
                            }),
                        ));
                    }
                }
                sims += 1;
            }
            _ => {
                let t = &mut turn[job.kind as usize];
                if *t % n == me {
                    out.push((j, None));
                }
                *t += 1;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    fn suite() -> Vec<JobShape> {
        let mut v = Vec::new();
        for i in 0..7u64 {
            v.push(JobShape {
                kind: JobKind::Lint,
                seeds: None,
            });
            v.push(JobShape {
                kind: JobKind::Sim,
                seeds: Some(SeedRange {
                    first: 1 + i,
                    count: i * 3 + 1,
                }),
            });
            v.push(JobShape {
                kind: JobKind::Bmc,
                seeds: None,
            });
        }
        v
    }

    #[test]
    fn parse_forms() {
        assert_eq!(Shard::parse("2/4"), Ok(Shard { index: 2, count: 4 }));
        for bad in ["0/4", "5/4", "1/0", "x/2", "3", ""] {
            assert!(Shard::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn shards_partition_jobs_and_seeds() {
        let jobs = suite();
        for n in 1..=6u32 {
            let mut plain = BTreeSet::new();
            let mut seeds = BTreeSet::new();
            for i in 1..=n {
                let a = select(&jobs, Shard { index: i, count: n });
                assert_eq!(
                    a,
                    select(&jobs, Shard { index: i, count: n }),
                    "deterministic"
                );
                for (j, r) in a {
                    match r {
                        None => assert!(plain.insert(j), "job {j} twice"),
                        Some(r) => {
                            for s in r.first..r.end() {
                                assert!(seeds.insert((j, s)), "seed {s} of job {j} twice");
                            }
                        }
                    }
                }
            }
            let want_plain: BTreeSet<usize> = (0..jobs.len())
                .filter(|&j| jobs[j].kind != JobKind::Sim)
                .collect();
            assert_eq!(plain, want_plain);
            let want_seeds: BTreeSet<(usize, u64)> = jobs
                .iter()
                .enumerate()
                .filter_map(|(j, s)| s.seeds.map(|r| (j, r)))
                .flat_map(|(j, r)| (r.first..r.end()).map(move |s| (j, s)))
                .collect();
            assert_eq!(seeds, want_seeds);
        }
    }
}
