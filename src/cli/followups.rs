//! `rapport followups`: the checklist, on the terminal, as a Markdown file
//! and as an iCalendar file.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result, anyhow};

use super::App;
use crate::followup::{self, Opts};
use crate::fsutil::write_atomic;
use crate::query::Network;
use crate::render::{self, checklist};
use crate::vault::dates;

/// Arguments of `rapport followups`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The day the checklist is for [default: today]
    #[arg(long, value_name = "DATE")]
    as_of: Option<String>,
    /// How far back to look for meetings with no next step (7d, 2w, 1m…) [default: 30d, or the configuration's]
    #[arg(long, value_name = "SPAN")]
    window: Option<String>,
    /// Write the checklist to this Markdown file (ticks and ## Notes are kept)
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
    /// Overwrite --out even if rapport did not generate it
    #[arg(long)]
    force: bool,
    /// Write due tasks and keep-in-touch dates to this iCalendar file
    #[arg(long, value_name = "FILE")]
    ics: Option<PathBuf>,
}

/// Runs `rapport followups`.
pub fn run(app: &App, args: &Args) -> Result<ExitCode> {
    let as_of = match &args.as_of {
        Some(t) => dates::parse_relative(t, app.today).map_err(|e| anyhow!("--as-of: {e}"))?,
        None => app.today,
    };
    let window = app.window(&args.window)?;
    // Refuse a foreign --out before doing any work.
    let previous = match &args.out {
        Some(out) => Some(checklist::previous(out, args.force)?),
        None => None,
    };
    let index = app.open()?;
    let checklist = compute(app, &index, as_of, window)?;
    if let (Some(out), Some(prev)) = (&args.out, &previous) {
        write_checklist(app, out, &checklist, prev)?;
        eprintln!("rapport: wrote {}", out.display());
    }
    if let Some(ics) = &args.ics {
        write_atomic(ics, render::ics::render(&checklist).as_bytes())
            .with_context(|| format!("cannot write {}", ics.display()))?;
        eprintln!("rapport: wrote {}", ics.display());
    }
    if app.json {
        app.print_json(&checklist)?;
    } else if args.out.is_none() && args.ics.is_none() {
        app.print(&render::checklist(&app.style, &checklist))?;
    }
    Ok(ExitCode::SUCCESS)
}

/// Computes the checklist from the index.
pub fn compute(
    app: &App,
    index: &crate::index::Index,
    as_of: chrono::NaiveDate,
    window: u32,
) -> Result<followup::Checklist> {
    let snap = index.snapshot();
    let facts = snap.meetings(None, None, None, None, false)?;
    let mut net = Network::from_facts(app.people(&snap)?, facts, None);
    let open = snap.tasks(true, None)?;
    let opts = Opts {
        window_days: window,
        ask_tags: app.config.ask_tags.value.clone(),
        give_tags: app.config.give_tags.value.clone(),
        ..Opts::new(as_of)
    };
    let tags: Vec<&str> = opts
        .ask_tags
        .iter()
        .chain(&opts.give_tags)
        .map(String::as_str)
        .collect();
    let tagged = snap.tagged_tasks(&tags)?;
    // Paths and titles only for the meetings the checklist names.
    let named = followup::meetings_named(&net, &opts);
    let labels = snap.labels(
        &named
            .iter()
            .map(|i| net.meetings[*i].doc)
            .collect::<Vec<_>>(),
    )?;
    for (i, (path, title)) in named.into_iter().zip(labels) {
        net.meetings[i].path = path;
        net.meetings[i].title = title;
    }
    Ok(followup::compute(&net, &open, &tagged, &opts))
}

/// Writes the checklist file atomically, keeping ticks and notes.
pub fn write_checklist(
    app: &App,
    out: &Path,
    c: &followup::Checklist,
    prev: &checklist::Previous,
) -> Result<()> {
    let abs = std::path::absolute(out).with_context(|| format!("bad path {}", out.display()))?;
    let dir = abs.parent().map(Path::to_path_buf).unwrap_or_default();
    let vault = app
        .vault
        .canonicalize()
        .unwrap_or_else(|_| app.vault.clone());
    let dir = dir.canonicalize().unwrap_or(dir);
    let text = checklist::render(c, &vault, &dir, prev);
    write_atomic(out, text.as_bytes()).with_context(|| format!("cannot write {}", out.display()))
}
