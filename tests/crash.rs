//! Crashes and concurrency: SIGKILL at random moments, and readers racing a
//! writer. The index must always open, answer, and never show half a batch.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::util::Vault;

fn rapport() -> Command {
    Command::new(assert_cmd::cargo::cargo_bin("rapport"))
}

/// A deterministic sequence of "random" delays.
fn delays(n: usize, max_ms: u64) -> Vec<u64> {
    let mut x = 0x9E37_79B9_7F4A_7C15u64;
    (0..n)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x % max_ms
        })
        .collect()
}

fn answers(v: &Vault) -> (serde_json::Value, serde_json::Value, serde_json::Value) {
    (
        v.json(&["people", "--project", "X3"]),
        v.json(&["search", "common", "--limit", "10000"])
            .as_array()
            .unwrap()
            .len()
            .into(),
        v.json(&["followups", "--as-of", "2026-02-01"])["tasks"]
            .as_array()
            .unwrap()
            .len()
            .into(),
    )
}

#[test]
fn sigkill_during_indexing_never_breaks_the_index() {
    let v = Vault::new();
    for i in 0..3000 {
        v.write(
            &format!("meetings/2026-01-{:02} m{i}.md", i % 28 + 1),
            &format!("---\nattendees: [\"[[P{}]]\", \"[[P{}]]\"]\nprojects: [X{}]\n---\nword{i} common\n- [ ] task {i} 📅 2026-01-{:02}\n", i % 40, i % 13, i % 7, i % 28 + 1),
        );
    }
    let clean = Vault::new();
    crate::util::copy_dir(v.path(), clean.path());
    let expected = answers(&clean);
    // Measure a full index once, then kill at random points within it.
    let started = Instant::now();
    v.ok(&["index", "--rebuild"]);
    let full = started.elapsed().as_millis() as u64 + 1;
    for (round, delay) in delays(8, full).into_iter().enumerate() {
        // Touch a third of the notes so that a refresh has work to do too.
        if round % 2 == 1 {
            for i in (round..3000).step_by(3) {
                let p = v
                    .path()
                    .join(format!("meetings/2026-01-{:02} m{i}.md", i % 28 + 1));
                let f = std::fs::File::options().write(true).open(&p).unwrap();
                f.set_modified(
                    std::time::SystemTime::now() + Duration::from_secs(round as u64 + 1),
                )
                .unwrap();
            }
        }
        let args: &[&str] = if round % 2 == 0 {
            &["index", "--rebuild"]
        } else {
            &["index"]
        };
        let mut child = rapport()
            .arg("--vault")
            .arg(v.path())
            .args(args)
            .env("RAPPORT_INDEX", v.index_dir())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(delay));
        let _ = child.kill();
        let _ = child.wait();
        // The next query succeeds and, after its refresh, matches a clean rebuild.
        assert_eq!(
            answers(&v),
            expected,
            "round {round}, killed after {delay} ms of {full}"
        );
    }
}

#[test]
fn readers_never_fail_or_see_half_a_batch() {
    let v = Vault::new();
    let write_generation = |g: usize| {
        for i in 0..120 {
            v.write(
                &format!("meetings/m{i:03}.md"),
                &format!(
                    "---\ntype: meeting\ntitle: generation {g}\ndate: 2026-01-01\n---\nbody {i}\n"
                ),
            );
        }
    };
    write_generation(0);
    v.ok(&["index"]);
    let stop = std::sync::atomic::AtomicBool::new(false);
    std::thread::scope(|s| {
        let readers: Vec<_> = (0..3)
            .map(|_| {
                s.spawn(|| {
                    let mut answered = 0;
                    while !stop.load(std::sync::atomic::Ordering::SeqCst) {
                        let out = rapport()
                            .arg("--vault")
                            .arg(v.path())
                            .args(["--json", "--no-refresh", "meetings"])
                            .env("RAPPORT_INDEX", v.index_dir())
                            .output()
                            .unwrap();
                        assert!(
                            out.status.success(),
                            "a reader failed: {}",
                            String::from_utf8_lossy(&out.stderr)
                        );
                        let rows: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
                        let titles: std::collections::BTreeSet<&str> = rows
                            .as_array()
                            .unwrap()
                            .iter()
                            .map(|m| m["title"].as_str().unwrap())
                            .collect();
                        assert_eq!(titles.len(), 1, "half a batch is visible: {titles:?}");
                        assert_eq!(rows.as_array().unwrap().len(), 120);
                        answered += 1;
                    }
                    answered
                })
            })
            .collect();
        for g in 1..=6 {
            write_generation(g);
            v.ok(&["index"]);
        }
        stop.store(true, std::sync::atomic::Ordering::SeqCst);
        for r in readers {
            assert!(r.join().unwrap() > 0);
        }
    });
}
