//! `rapport import`: calendar events and contacts become new notes.
//!
//! Reads every input first (a file that is not a calendar or an address
//! book stops the run before anything is written), plans against the index,
//! prints the plan, and with `--write` creates the notes.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result, anyhow};
use chrono::TimeDelta;
use serde::Serialize;

use super::App;
use crate::import::Plan;
use crate::import::calendar::Range;
use crate::import::text::one_line;

/// Arguments of `rapport import`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    what: What,
}

#[derive(Debug, clap::Subcommand)]
enum What {
    /// Meeting notes from calendar events (.ics)
    #[command(
        after_help = "Examples:\n  rapport import calendar ~/Downloads/calendar.ics\n  rapport import calendar export/ --since 1y --write\n  curl -s \"$ICS_URL\" | rapport import calendar - --json"
    )]
    Calendar {
        /// An .ics file, a folder of them, or - for standard input
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
        /// First date to import [default: 90 days ago]
        #[arg(long, value_name = "DATE", value_parser = super::values::since)]
        since: Option<chrono::NaiveDate>,
        /// Last date to import [default: 14 days ahead]
        #[arg(long, value_name = "DATE", value_parser = super::values::until)]
        until: Option<chrono::NaiveDate>,
        /// Create the notes (without it, only print the plan)
        #[arg(long)]
        write: bool,
        /// Also import events with no attendee but you (focus time, holidays)
        #[arg(long)]
        all: bool,
    },
    /// Person notes from an address book (.vcf) or LinkedIn's Connections.csv
    #[command(
        after_help = "Examples:\n  rapport import contacts contacts.vcf\n  rapport import contacts Connections.csv --write"
    )]
    Contacts {
        /// A .vcf or .csv file, a folder of them, or - for standard input
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
        /// Create the notes (without it, only print the plan)
        #[arg(long)]
        write: bool,
    },
}

/// Reads the inputs: files, the matching files of folders, or stdin.
fn inputs(files: &[PathBuf], exts: &[&str]) -> Result<Vec<(String, String)>> {
    let mut out = Vec::new();
    for f in files {
        if f.as_os_str() == "-" {
            let mut bytes = Vec::new();
            std::io::stdin()
                .read_to_end(&mut bytes)
                .context("cannot read standard input")?;
            out.push(("-".to_string(), crate::import::text::decode(&bytes)));
        } else if f.is_dir() {
            let mut found: Vec<PathBuf> = std::fs::read_dir(f)
                .with_context(|| format!("cannot read {}", f.display()))?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| {
                    p.is_file()
                        && p.extension().is_some_and(|e| {
                            exts.iter()
                                .any(|x| e.to_string_lossy().eq_ignore_ascii_case(x))
                        })
                })
                .collect();
            found.sort();
            if found.is_empty() {
                return Err(anyhow!(
                    "{}: no .{} files in this folder",
                    f.display(),
                    exts.join(" or .")
                ));
            }
            for p in found {
                out.push(read(&p)?);
            }
        } else {
            out.push(read(f)?);
        }
    }
    Ok(out)
}

fn read(p: &Path) -> Result<(String, String)> {
    let bytes = std::fs::read(p).with_context(|| format!("cannot read {}", p.display()))?;
    Ok((p.display().to_string(), crate::import::text::decode(&bytes)))
}

#[derive(Serialize)]
struct Report<'a> {
    written: bool,
    #[serde(flatten)]
    plan: &'a Plan,
}

/// Runs `rapport import`.
pub fn run(app: &App, args: &Args) -> Result<ExitCode> {
    let session = app.session()?;
    let (mut plan, write_it) = match &args.what {
        What::Calendar {
            files,
            since,
            until,
            write,
            all,
        } => {
            let range = Range {
                since: since.unwrap_or(app.today - TimeDelta::days(90)),
                until: until.unwrap_or(app.today + TimeDelta::days(14)),
            };
            let inputs = inputs(files, &["ics", "ical", "ifb", "icalendar"])?;
            (session.import_calendar(&inputs, range, *all)?, *write)
        }
        What::Contacts { files, write } => {
            let inputs = inputs(files, &["vcf", "vcard", "csv"])?;
            (session.import_contacts(&inputs)?, *write)
        }
    };
    let mut failed = false;
    if write_it {
        for e in session.import_write(&mut plan) {
            eprintln!("rapport: {}", crate::render::safe::terminal(&e.to_string()));
            failed = true;
        }
    }
    if app.json {
        app.print_json(&Report {
            written: write_it,
            plan: &plan,
        })?;
    } else {
        app.print(&describe(&plan, write_it))?;
    }
    Ok(if failed {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    })
}

/// The plan as text. Titles and names come from the input files: each is
/// printed on one line with control characters removed.
fn describe(plan: &Plan, written: bool) -> String {
    let mut out = String::new();
    let head = if written {
        "Created"
    } else {
        "Would create (run again with --write to create them)"
    };
    out.push_str(&format!("{head}: {}\n", plan.created.len()));
    for c in &plan.created {
        let mut detail = Vec::new();
        if let Some(d) = c.date {
            detail.push(d.to_string());
        }
        if !c.attendees.is_empty() {
            detail.push(format!("with {}", c.attendees.join(", ")));
        }
        let detail = if detail.is_empty() {
            String::new()
        } else {
            format!("  ({})", detail.join(", "))
        };
        out.push_str(&format!(
            "  + {}{}\n",
            one_line(&c.path),
            detail.replace(char::is_control, " ")
        ));
    }
    if !plan.existing.is_empty() {
        out.push_str(&format!("Already in the vault: {}\n", plan.existing.len()));
        for e in &plan.existing {
            out.push_str(&format!(
                "  = {}  ({})\n",
                one_line(&e.path),
                one_line(&e.uid)
            ));
        }
    }
    if !plan.skipped.is_empty() {
        out.push_str(&format!("Skipped: {}\n", plan.skipped.len()));
        for s in &plan.skipped {
            out.push_str(&format!("  - {}: {}\n", one_line(&s.title), s.reason));
        }
    }
    if !plan.problems.is_empty() {
        out.push_str(&format!("Problems: {}\n", plan.problems.len()));
        for p in &plan.problems {
            out.push_str(&format!(
                "  ! {}:{}: {}\n",
                one_line(&p.file),
                p.line,
                one_line(&p.message)
            ));
        }
    }
    out
}
