//! `rapport index`: bring the index up to date and report what changed.

use std::process::ExitCode;

use anyhow::Result;

use super::{App, finish_progress, progress_bar};
use crate::app::Session;
use crate::render;

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
    let mut writer = index.writer_waiting(crate::index::LOCK_WAIT)?;
    let mut stats = writer.refresh(&index, args.rebuild, &progress_bar())?;
    finish_progress();
    // List every note's problems, not only those of the notes read just now.
    let session = Session::new(index, app.config.clone(), app.today);
    stats.problems = session.problems(&stats)?;
    if app.json {
        app.print_json(&stats)?;
    } else {
        app.print(&render::refresh_stats(&stats))?;
    }
    Ok(ExitCode::SUCCESS)
}
