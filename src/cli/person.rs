//! `rapport person`: one person's profile and history.

use std::process::ExitCode;

use anyhow::Result;

use super::App;
use crate::app;
use crate::render;

/// Arguments of `rapport person`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Name, alias, file name or email (case-insensitive)
    pub name: String,
    /// Everything about them in date order: meetings, mentions, tasks, dates
    #[arg(long)]
    pub timeline: bool,
}

/// Runs `rapport person`: exit 1 when the name names nobody.
pub fn run(app: &App, args: &Args) -> Result<ExitCode> {
    if args.timeline {
        return super::timeline::run(app, &args.name);
    }
    let session = app.session()?;
    let (mut profile, parts) = match session.person_and_parts(&args.name) {
        Ok(p) => p,
        Err(app::Error::NotFound(e)) => {
            eprintln!("rapport: {}", crate::render::safe::terminal(&e.to_string()));
            return Ok(ExitCode::from(1));
        }
        Err(e) => return Err(e.into()),
    };
    if app.json {
        app.write_json(|out| render::profile_json(out, &mut profile))?;
    } else {
        app.print(&render::profile(&app.style, &profile, app.today))?;
    }
    // The process ends here: freeing thousands of meetings one by one and
    // closing the index's readers would only make it end later.
    std::mem::forget((profile, parts, session));
    Ok(ExitCode::SUCCESS)
}
