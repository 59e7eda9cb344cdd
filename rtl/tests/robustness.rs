//! The front end never panics or hangs on bad input: the regression
//! sources, mutated 10,000 times (tokens deleted or duplicated, text
//! truncated, bytes swapped), must each give a design or an error.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const MUTANTS: usize = 10_000;
/// A single compile taking longer than this counts as a hang.
const HANG: Duration = Duration::from_secs(30);

/// Per worker: the mutant it is compiling and since when.
type Busy = Arc<Mutex<Vec<Option<(usize, Instant)>>>>;

fn sources() -> Vec<(PathBuf, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../regressions");
    let mut out = Vec::new();
    let mut stack = vec![root];
    while let Some(d) = stack.pop() {
        let Ok(rd) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if matches!(
                p.extension().and_then(|x| x.to_str()),
                Some("sv" | "v" | "svh" | "vh")
            ) {
                if let Ok(t) = std::fs::read_to_string(&p) {
                    out.push((p, t));
                }
            }
        }
    }
    out.sort();
    out
}

/// xorshift64*: deterministic, no dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
}

/// Byte ranges of the tokens of a text (identifier runs, numbers, single punctuation).
fn tokens(t: &[u8]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < t.len() {
        let c = t[i];
        if c.is_ascii_whitespace() {
            i += 1;
            continue;
        }
        let start = i;
        if c.is_ascii_alphanumeric() || c == b'_' || c == b'$' || c == b'`' || c == b'\'' {
            i += 1;
            while i < t.len() && (t[i].is_ascii_alphanumeric() || t[i] == b'_' || t[i] == b'$') {
                i += 1;
            }
        } else {
            i += 1;
        }
        out.push((start, i));
    }
    out
}

fn mutate(text: &str, rng: &mut Rng) -> Vec<u8> {
    let mut t = text.as_bytes().to_vec();
    let rounds = 1 + rng.below(3);
    for _ in 0..rounds {
        let toks = tokens(&t);
        if toks.is_empty() {
            break;
        }
        match rng.below(4) {
            0 => {
                let (a, b) = toks[rng.below(toks.len())];
                t.drain(a..b);
            }
            1 => {
                let (a, b) = toks[rng.below(toks.len())];
                let tok = t[a..b].to_vec();
                let (c, _) = toks[rng.below(toks.len())];
                let mut ins = tok;
                ins.push(b' ');
                t.splice(c..c, ins);
            }
            2 => {
                let n = rng.below(t.len() + 1);
                t.truncate(n);
            }
            _ => {
                if t.len() >= 2 {
                    let i = rng.below(t.len());
                    let j = rng.below(t.len());
                    t.swap(i, j);
                }
            }
        }
    }
    t
}

#[test]
fn mutated_sources_never_panic_or_hang() {
    let srcs = sources();
    assert!(!srcs.is_empty(), "no regression sources found");
    let dir = std::env::temp_dir().join(format!("verify-mutants-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let next = Arc::new(AtomicUsize::new(0));
    let ok = Arc::new(AtomicUsize::new(0));
    let failures: Arc<Mutex<Vec<String>>> = Arc::new(Mutex::new(Vec::new()));
    // Per worker: the case it is on and when it started (for the hang check).
    let workers = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(2)
        .min(4);
    let busy: Busy = Arc::new(Mutex::new(vec![None; workers]));
    let srcs = Arc::new(srcs);
    let mut handles = Vec::new();
    for w in 0..workers {
        let (next, ok, failures, busy, srcs, dir) = (
            next.clone(),
            ok.clone(),
            failures.clone(),
            busy.clone(),
            srcs.clone(),
            dir.clone(),
        );
        handles.push(std::thread::spawn(move || loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            if i >= MUTANTS {
                break;
            }
            let (path, text) = &srcs[i % srcs.len()];
            let mut rng = Rng(0x9e37_79b9_7f4a_7c15 ^ (i as u64).wrapping_mul(0x1000_0000_01b3));
            let mutant = mutate(text, &mut rng);
            let file = dir.join(format!(
                "w{w}_{}",
                path.file_name().unwrap().to_string_lossy()
            ));
            std::fs::write(&file, &mutant).unwrap();
            busy.lock().unwrap()[w] = Some((i, Instant::now()));
            let opts = rtl::FrontendOptions {
                parse: rtl::parse::ParseOptions {
                    files: vec![file.clone()],
                    include_dirs: vec![path.parent().unwrap().to_path_buf()],
                    ..Default::default()
                },
                ..Default::default()
            };
            let r = std::panic::catch_unwind(|| {
                let c = rtl::compile(&opts);
                if let Err(e) = &c.result {
                    // Rendering must not panic either.
                    let _ = e.render(&c.sources, false);
                }
            });
            busy.lock().unwrap()[w] = None;
            match r {
                Ok(()) => {
                    ok.fetch_add(1, Ordering::Relaxed);
                }
                Err(_) => failures.lock().unwrap().push(format!(
                    "mutant {i} of {} panicked:\n{}",
                    path.display(),
                    String::from_utf8_lossy(&mutant)
                )),
            }
        }));
    }
    // Watchdog.
    loop {
        std::thread::sleep(Duration::from_millis(200));
        if handles.iter().all(|h| h.is_finished()) {
            break;
        }
        for (i, start) in busy.lock().unwrap().iter().flatten() {
            if start.elapsed() > HANG {
                panic!("mutant {i} has been compiling for more than {HANG:?}: a hang");
            }
        }
    }
    for h in handles {
        h.join().unwrap();
    }
    let _ = std::fs::remove_dir_all(&dir);
    let f = failures.lock().unwrap();
    assert!(
        f.is_empty(),
        "{} of {MUTANTS} mutants panicked; first:\n{}",
        f.len(),
        f[0]
    );
    assert_eq!(ok.load(Ordering::Relaxed), MUTANTS);
}
