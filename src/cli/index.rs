//! `rapport index`: bring the index up to date and report what changed.

use std::process::ExitCode;

use anyhow::Result;

use super::{App, finish_progress, progress_bar};
use crate::render;
use crate::vault::ProblemCode;

/// Arguments of `rapport index`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Throw the index away and read every note again
    #[arg(long)]
    pub rebuild: bool,
}

/// Runs `rapport index`.
pub fn run(app: &App, args: &Args) -> Result<ExitCode> {
    let index = app.open_index()?;
    if let Some(reason) = &index.rebuilt {
        eprintln!(
            "rapport: rebuilding the index at {} because {reason}",
            app.index_dir.display()
        );
    }
    let mut writer = index.writer_waiting(crate::index::LOCK_WAIT)?;
    let mut stats = writer.refresh(&index, args.rebuild, &progress_bar())?;
    finish_progress();
    // List every note's problems, not only those of the notes read just now.
    let unreadable: Vec<_> = stats
        .problems
        .drain(..)
        .filter(|p| p.code == ProblemCode::Unreadable.as_str())
        .collect();
    stats.problems = unreadable;
    stats.problems.extend(index.snapshot().problems(false)?);
    if app.json {
        app.print_json(&stats)?;
    } else {
        app.print(&render::refresh_stats(&stats))?;
    }
    Ok(ExitCode::SUCCESS)
}
