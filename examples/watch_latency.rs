//! Benchmark for `rapport watch`: the time from a save (a temporary file
//! renamed over a meeting note, as VS Code and many sync clients do) to the
//! change being visible to `rapport people --project …` in another process.
//!
//! `cargo run --release --example watch_latency -- VAULT [--saves 50] [--rapport target/release/rapport]`
//! with `RAPPORT_INDEX` pointing at the index. Prints the median and p95 of
//! the latencies and the watcher's peak memory (VmHWM). The vault is
//! modified: use a generated one.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let mut vault: Option<PathBuf> = None;
    let mut saves = 50usize;
    let mut rapport = PathBuf::from("target/release/rapport");
    while let Some(a) = args.next() {
        match a.as_str() {
            "--saves" => saves = args.next().ok_or("--saves needs a number")?.parse()?,
            "--rapport" => rapport = args.next().ok_or("--rapport needs a path")?.into(),
            _ if vault.is_none() => vault = Some(a.into()),
            _ => return Err(format!("unexpected argument {a}").into()),
        }
    }
    let vault = vault.ok_or("usage: watch_latency VAULT [--saves N] [--rapport PATH]")?;
    let notes = meeting_notes(&vault.join("meetings"), saves)?;
    if notes.len() < saves {
        return Err(format!(
            "need {saves} meeting notes under {}/meetings",
            vault.display()
        )
        .into());
    }

    let mut child = Command::new(&rapport)
        .arg("--vault")
        .arg(&vault)
        .args(["watch", "--debounce", "200"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()?;
    let pid = child.id();
    let stderr = child.stderr.take().ok_or("no stderr")?;
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    // Wait for the initial refresh and the watch to start.
    let started = Instant::now();
    loop {
        let line = rx.recv_timeout(Duration::from_secs(600))?;
        if line.contains("watching") {
            break;
        }
    }
    eprintln!("watch ready after {:.1} s", started.elapsed().as_secs_f64());

    // A project name no earlier run used, so only this save can match.
    let nonce = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)?
        .as_millis();
    let mut latencies = Vec::with_capacity(saves);
    for (i, note) in notes.iter().enumerate() {
        let project = format!("Latency Probe {nonce} {i}");
        let text = format!(
            "---\ntype: meeting\ndate: 2026-11-26\nattendees: [\"Probe Person {i}\"]\nproject: {project}\n---\n# Probe {i}\n\nSaved by the latency benchmark.\n"
        );
        let tmp = note.with_file_name(format!(".latency-{i}.tmp"));
        std::fs::write(&tmp, text)?;
        let t0 = Instant::now();
        std::fs::rename(&tmp, note)?;
        loop {
            let out = Command::new(&rapport)
                .arg("--vault")
                .arg(&vault)
                .args(["--json", "--no-refresh", "people", "--project", &project])
                .output()?;
            if out.status.success() && String::from_utf8_lossy(&out.stdout).contains("Probe Person")
            {
                break;
            }
            if t0.elapsed() > Duration::from_secs(30) {
                return Err(format!("save {i} never became visible").into());
            }
        }
        latencies.push(t0.elapsed());
        while rx.try_recv().is_ok() {}
    }
    let peak = std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .map(|l| l.trim_start_matches("VmHWM:").trim().to_string())
        })
        .unwrap_or_else(|| "unknown".into());
    let _ = child.kill();
    let _ = child.wait();
    latencies.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let median = ms(latencies[latencies.len() / 2]);
    let p95 = ms(latencies[(latencies.len() * 95 / 100).min(latencies.len() - 1)]);
    println!("saves: {}", latencies.len());
    println!("save-to-visible median: {median:.0} ms");
    println!("save-to-visible p95: {p95:.0} ms");
    println!(
        "min {:.0} ms, max {:.0} ms",
        ms(latencies[0]),
        ms(latencies[latencies.len() - 1])
    );
    println!("watch peak memory (VmHWM): {peak}");
    Ok(())
}

/// The first `n` meeting notes under `dir`, in path order (deterministic).
fn meeting_notes(dir: &Path, n: usize) -> std::io::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(&d)?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .collect();
        entries.sort();
        for p in entries.into_iter().rev() {
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "md") {
                out.push(p);
            }
        }
    }
    out.sort();
    out.truncate(n);
    Ok(out)
}
