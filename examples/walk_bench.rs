//! Benchmark: rapport's hand-written vault walker (`vault::scan::walk`) against the
//! `ignore` crate's parallel walker doing the same job (issue 11, point 4; issue 17).
//!
//! ```sh
//! cargo run --release --example walk_bench -- VAULT [RUNS] [--ignore GLOB]...
//! ```
//!
//! The `ignore` side is set up to match rapport's rules as closely as it allows: hidden
//! files and folders skipped, no `.gitignore` files honoured (rapport indexes what is in the
//! vault), symbolic links followed (`ignore` detects loops; rapport also refuses links out
//! of the vault, which `ignore` cannot), the configured ignore globs as overrides, only
//! `*.md`/`*.markdown` kept, and one `stat` per kept file (size and modification time, what
//! a refresh compares). Both run on twice as many threads as cores (rapport's choice). Prints each run and the
//! medians; the two must find the same number of notes.

use std::path::Path;
use std::sync::Mutex;
use std::time::{Instant, SystemTime};

use ignore::overrides::OverrideBuilder;
use ignore::{WalkBuilder, WalkState};

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v[v.len() / 2]
}

fn ignore_walk(vault: &Path, globs: &[String]) -> usize {
    let mut ov = OverrideBuilder::new(vault);
    for g in globs {
        // An override without `!` would be a whitelist; `!glob` ignores.
        ov.add(&format!("!{g}")).expect("a valid glob");
    }
    let overrides = ov.build().expect("valid overrides");
    // As many threads as rapport's walker: twice the cores (the threads mostly wait on the kernel).
    let threads = 2 * std::thread::available_parallelism().map_or(2, |n| n.get());
    let walker = WalkBuilder::new(vault)
        .hidden(true)
        .git_ignore(false)
        .git_global(false)
        .git_exclude(false)
        .ignore(false)
        .parents(false)
        .follow_links(true)
        .overrides(overrides)
        .threads(threads)
        .build_parallel();
    let found: Mutex<Vec<Entry>> = Mutex::new(Vec::new());
    walker.run(|| {
        let mut sink = Sink {
            local: Vec::new(),
            all: &found,
        };
        Box::new(move |entry| {
            let Ok(entry) = entry else {
                return WalkState::Continue;
            };
            let name = entry.file_name().to_string_lossy();
            let is_note = (name.ends_with(".md") || name.ends_with(".markdown"))
                && !name.starts_with('#')
                && !name.ends_with('~');
            if is_note
                && entry.file_type().is_some_and(|t| !t.is_dir())
                // One stat per file, as a refresh needs.
                && let Ok(md) = std::fs::metadata(entry.path())
                && md.is_file()
            {
                sink.local.push((
                    entry.path().to_string_lossy().into_owned(),
                    md.len(),
                    md.modified().unwrap_or(SystemTime::UNIX_EPOCH),
                ));
            }
            WalkState::Continue
        })
    });
    let mut all = found.into_inner().expect("lock");
    // rapport's walk returns its entries sorted by path; so does this.
    all.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    all.len()
}

type Entry = (String, u64, SystemTime);

/// One visitor's finds, handed over when the visitor is dropped at the end of the walk.
struct Sink<'a> {
    local: Vec<Entry>,
    all: &'a Mutex<Vec<Entry>>,
}

impl Drop for Sink<'_> {
    fn drop(&mut self) {
        if let Ok(mut all) = self.all.lock() {
            all.append(&mut self.local);
        }
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let vault = Path::new(
        args.first()
            .expect("usage: walk_bench VAULT [RUNS] [--ignore GLOB]..."),
    );
    let runs: usize = args.get(1).and_then(|r| r.parse().ok()).unwrap_or(11);
    let globs: Vec<String> = args
        .windows(2)
        .filter(|w| w[0] == "--ignore")
        .map(|w| w[1].clone())
        .collect();
    let exclude = Vec::new();
    let (mut t_own, mut t_ign) = (Vec::new(), Vec::new());
    let (mut n_own, mut n_ign) = (0, 0);
    for i in 0..runs + 1 {
        let t = Instant::now();
        let (files, _problems) = rapport::vault::scan::walk(vault, &exclude);
        let own = t.elapsed().as_secs_f64() * 1000.0;
        n_own = files.len();
        let t = Instant::now();
        n_ign = ignore_walk(vault, &globs);
        let ign = t.elapsed().as_secs_f64() * 1000.0;
        // The first round warms the page cache and is not counted.
        if i > 0 {
            println!(
                "run {i}: hand-written {own:.1} ms ({n_own} notes), ignore {ign:.1} ms ({n_ign} notes)"
            );
            t_own.push(own);
            t_ign.push(ign);
        }
    }
    let (mo, mi) = (median(t_own), median(t_ign));
    println!(
        "median of {runs}: hand-written {mo:.1} ms, ignore::WalkBuilder::build_parallel {mi:.1} ms; \
         hand-written is {:.0}% faster",
        (mi - mo) / mi * 100.0
    );
    if n_own != n_ign {
        println!("note: the walkers found different numbers of notes ({n_own} vs {n_ign})");
    }
}
