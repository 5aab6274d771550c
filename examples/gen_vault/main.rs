//! `gen_vault`: writes a synthetic rapport vault plus `truth.json` with the expected answers.
//!
//! Usage: `cargo run --release --example gen_vault -- OUT --meetings N [--seed S] [--open-tasks PCT]`
//!
//! `--open-tasks PCT` gives PCT percent of the meetings at least one open task (100: every
//! meeting, the shape that stresses the checklist); without it the mix is natural (~35%).
//!
//! The vault is written into `OUT` (which must be missing or empty) and the ground truth to
//! `OUT/truth.json`; rapport only indexes `.md` files, so the JSON does not disturb the vault.
//! See `generator.rs` for what the vault contains and what the truth means.

mod generator;

use std::fs;
use std::io::{self, BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

const USAGE: &str = "usage: gen_vault OUT --meetings N [--seed S] [--open-tasks PCT]";

struct Args {
    out: PathBuf,
    meetings: usize,
    seed: u64,
    /// Share of meetings with at least one open task, 0.0..=1.0.
    open_share: Option<f64>,
}

fn main() -> ExitCode {
    let args = match parse_args(std::env::args().skip(1)) {
        Ok(Some(args)) => args,
        Ok(None) => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(msg) => {
            eprintln!("gen_vault: {msg} ({USAGE})");
            return ExitCode::from(2);
        }
    };
    if let Err(msg) = check_out_dir(&args.out) {
        eprintln!("gen_vault: {msg}");
        return ExitCode::from(2);
    }
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("gen_vault: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Parses `OUT --meetings N [--seed S]` (also `--meetings=N`, `--seed=S`); `Ok(None)` for help.
fn parse_args(mut argv: impl Iterator<Item = String>) -> Result<Option<Args>, String> {
    let mut out = None;
    let mut meetings = None;
    let mut seed = 1u64;
    let mut open_share = None;
    while let Some(arg) = argv.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f.to_string(), Some(v.to_string())),
            _ => (arg.clone(), None),
        };
        match flag.as_str() {
            "-h" | "--help" => return Ok(None),
            "--meetings" | "--seed" | "--open-tasks" => {
                let value = match inline {
                    Some(v) => v,
                    None => argv.next().ok_or_else(|| format!("{flag} needs a value"))?,
                };
                if flag == "--open-tasks" {
                    let pct: f64 = value
                        .parse()
                        .ok()
                        .filter(|p: &f64| (0.0..=100.0).contains(p))
                        .ok_or_else(|| {
                            format!("--open-tasks must be a percentage 0..=100, got {value:?}")
                        })?;
                    open_share = Some(pct / 100.0);
                } else if flag == "--meetings" {
                    let n: usize = value.parse().map_err(|_| {
                        format!("--meetings must be a positive integer, got {value:?}")
                    })?;
                    if n == 0 {
                        return Err("--meetings must be at least 1".to_string());
                    }
                    meetings = Some(n);
                } else {
                    seed = value.parse().map_err(|_| {
                        format!("--seed must be an unsigned integer, got {value:?}")
                    })?;
                }
            }
            f if f.starts_with('-') && f.len() > 1 => return Err(format!("unknown option {f}")),
            _ if out.is_none() => out = Some(PathBuf::from(arg)),
            _ => return Err(format!("unexpected extra argument {arg:?}")),
        }
    }
    let out = out.ok_or("missing OUT directory")?;
    let meetings = meetings.ok_or("missing --meetings N")?;
    Ok(Some(Args {
        out,
        meetings,
        seed,
        open_share,
    }))
}

/// OUT may not exist yet, or be an empty directory; anything else is refused.
fn check_out_dir(out: &std::path::Path) -> Result<(), String> {
    match fs::read_dir(out) {
        Ok(mut entries) => {
            if entries.next().is_some() {
                Err(format!(
                    "refusing to write into non-empty directory {}",
                    out.display()
                ))
            } else {
                Ok(())
            }
        }
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(format!(
            "cannot use {} as output directory: {e}",
            out.display()
        )),
    }
}

fn run(args: &Args) -> io::Result<()> {
    let started = Instant::now();
    let truth = generator::generate(&args.out, args.meetings, args.seed, args.open_share)?;
    let truth_path = args.out.join("truth.json");
    let mut w = BufWriter::new(fs::File::create(&truth_path)?);
    serde_json::to_writer_pretty(&mut w, &truth)?;
    w.write_all(b"\n")?;
    w.flush()?;
    println!(
        "wrote {} files ({:.1} MB) for {} meetings in {:.2}s; truth: {}",
        truth.files,
        truth.bytes as f64 / 1e6,
        truth.meetings,
        started.elapsed().as_secs_f64(),
        truth_path.display()
    );
    Ok(())
}
