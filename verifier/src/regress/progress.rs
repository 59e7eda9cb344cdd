//! The multi-line progress display of `verify regress` (indicatif): an
//! overall bar and one line per running job. Without a terminal (CI logs)
//! one line per finished job instead.

use crate::regress::results::UnitResult;
use indicatif::{MultiProgress, ProgressBar, ProgressStyle};
use std::io::IsTerminal;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

pub struct Progress {
    bars: Option<(MultiProgress, ProgressBar)>,
    total: usize,
    done: AtomicUsize,
}

impl Progress {
    pub fn new(total: usize) -> Progress {
        let bars = std::io::stderr().is_terminal().then(|| {
            let mp = MultiProgress::new();
            let main = mp.add(ProgressBar::new(total as u64));
            main.set_style(
                ProgressStyle::with_template("{bar:30} {pos}/{len} jobs [{elapsed}] {msg}")
                    .unwrap_or_else(|_| ProgressStyle::default_bar()),
            );
            (mp, main)
        });
        Progress {
            bars,
            total,
            done: AtomicUsize::new(0),
        }
    }

    /// A line for a job that starts now.
    pub fn start(&self, label: &str) -> Option<ProgressBar> {
        let (mp, _) = self.bars.as_ref()?;
        let b = mp.add(ProgressBar::new_spinner());
        b.set_style(
            ProgressStyle::with_template("  {spinner} {prefix:<40} {msg} [{elapsed}]")
                .unwrap_or_else(|_| ProgressStyle::default_spinner()),
        );
        b.set_prefix(label.to_string());
        b.enable_steady_tick(Duration::from_millis(150));
        Some(b)
    }

    pub fn finish(&self, bar: Option<ProgressBar>, r: &UnitResult) {
        let n = self.done.fetch_add(1, Ordering::Relaxed) + 1;
        match &self.bars {
            Some((mp, main)) => {
                if let Some(b) = bar {
                    b.finish_and_clear();
                    mp.remove(&b);
                }
                main.inc(1);
                if !matches!(
                    r.verdict,
                    crate::regress::results::Verdict::Pass
                        | crate::regress::results::Verdict::Skipped
                ) {
                    main.set_message(format!("last problem: {}", r.label()));
                }
            }
            None => eprintln!(
                "[{n}/{}] {:<40} {:<7} {:>7.2}s",
                self.total,
                r.label(),
                r.verdict.word(),
                r.seconds
            ),
        }
    }

    pub fn clear(&self) {
        if let Some((_, main)) = &self.bars {
            main.finish_and_clear();
        }
    }
}
