//! `--shard I/N`: a deterministic slice of the suite's work. Every sim
//! job's seeds are cut into N contiguous slices spread over the shards, so
//! a big sim job is shared by all machines. The other jobs are balanced by
//! their estimated cost (longest first, each to the least-loaded shard,
//! counting the sim slices it already holds), so one shard does not get
//! every deep BMC job. The slices depend only on the suite and N, so the
//! union of shards 1..=N is every job and every seed exactly once.

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

/// A job as the planner sees it: its kind, for sim all its seeds, and an
/// estimate of its cost (any unit, the same for every job of a suite; for
/// sim the cost of all its seeds).
#[derive(Clone, Copy, Debug)]
pub struct JobShape {
    pub kind: JobKind,
    pub seeds: Option<SeedRange>,
    pub cost: u64,
}

/// The work of `shard` among `jobs` (in suite order): (job index, seed
/// slice for sim jobs).
pub fn select(jobs: &[JobShape], shard: Shard) -> Vec<(usize, Option<SeedRange>)> {
    let n = shard.count as u64;
    let me = (shard.index - 1) as usize;
    let mut owner: Vec<Vec<(u32, Option<SeedRange>)>> = vec![Vec::new(); jobs.len()];
    let mut load = vec![0u128; n as usize];
    let mut sims = 0u64;
    for (j, job) in jobs.iter().enumerate() {
        if let (JobKind::Sim, Some(all)) = (job.kind, job.seeds) {
            // Slice s (0-based) goes to shard (k + s) mod N, k counting
            // sim jobs, so small jobs do not all land on shard 1.
            for s in 0..n {
                let lo = all.count * s / n;
                let hi = all.count * (s + 1) / n;
                if hi > lo {
                    let to = ((sims + s) % n) as usize;
                    load[to] += job.cost as u128 * (hi - lo) as u128 / all.count as u128;
                    owner[j].push((
                        to as u32,
                        Some(SeedRange {
                            first: all.first + lo,
                            count: hi - lo,
                        }),
                    ));
                }
            }
            sims += 1;
        }
    }
    let mut rest: Vec<usize> = (0..jobs.len())
        .filter(|&j| !(jobs[j].kind == JobKind::Sim && jobs[j].seeds.is_some()))
        .collect();
    rest.sort_by_key(|&j| (std::cmp::Reverse(jobs[j].cost), j));
    for j in rest {
        let to = (0..load.len())
            .min_by_key(|&s| (load[s], s))
            .expect("at least one shard");
        load[to] += jobs[j].cost as u128;
        owner[j].push((to as u32, None));
    }
    owner
        .into_iter()
        .enumerate()
        .flat_map(|(j, v)| {
            v.into_iter()
                .filter(|&(to, _)| to as usize == me)
                .map(move |(_, seeds)| (j, seeds))
        })
        .collect()
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
                cost: 1,
            });
            v.push(JobShape {
                kind: JobKind::Sim,
                seeds: Some(SeedRange {
                    first: 1 + i,
                    count: i * 3 + 1,
                }),
                cost: (i * 3 + 1) * 100,
            });
            v.push(JobShape {
                kind: JobKind::Bmc,
                seeds: None,
                cost: 50 + 400 * (i % 3),
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

    /// Balance: no shard's load exceeds the average by more than the
    /// costliest job that is not split (the bound of greedy scheduling).
    #[test]
    fn shards_balance_cost() {
        let jobs = suite();
        let biggest = jobs
            .iter()
            .filter(|j| j.kind != JobKind::Sim)
            .map(|j| j.cost)
            .max()
            .unwrap();
        let total: u64 = jobs.iter().map(|j| j.cost).sum();
        for n in 2..=5u32 {
            let loads: Vec<u64> = (1..=n)
                .map(|i| {
                    select(&jobs, Shard { index: i, count: n })
                        .into_iter()
                        .map(|(j, r)| match r {
                            Some(r) => jobs[j].cost * r.count / jobs[j].seeds.unwrap().count,
                            None => jobs[j].cost,
                        })
                        .sum()
                })
                .collect();
            let avg = total / n as u64;
            for (i, l) in loads.iter().enumerate() {
                assert!(
                    *l <= avg + biggest + n as u64,
                    "shard {}/{n}: load {l}, average {avg}, biggest job {biggest}: {loads:?}",
                    i + 1
                );
            }
        }
    }

    /// A costly formal job does not land with another when shards are free.
    #[test]
    fn costly_jobs_spread() {
        let jobs: Vec<JobShape> = (0..4)
            .map(|i| JobShape {
                kind: if i % 2 == 0 {
                    JobKind::Bmc
                } else {
                    JobKind::Closure
                },
                seeds: None,
                cost: 1000,
            })
            .collect();
        for i in 1..=4 {
            assert_eq!(select(&jobs, Shard { index: i, count: 4 }).len(), 1);
        }
    }
}
