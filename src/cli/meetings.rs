//! `rapport meetings`: meetings, newest first.

use std::process::ExitCode;

use anyhow::Result;

use super::people::MeetingArgs;
use super::{App, found};
use crate::app;
use crate::render;

/// Arguments of `rapport meetings`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Only meetings this person attended (name, alias, file name or email)
    #[arg(long, value_name = "NAME")]
    person: Option<String>,
    #[command(flatten)]
    meetings: MeetingArgs,
    /// At most this many meetings (0: all)
    #[arg(long, default_value_t = 0)]
    limit: usize,
}

/// Runs `rapport meetings`: exit 1 when nothing matches or `--person`
/// names nobody.
pub fn run(app: &App, args: &Args) -> Result<ExitCode> {
    let session = app.session()?;
    let rows = match session.meetings(args.person.as_deref(), &args.meetings.opts(), args.limit) {
        Ok(rows) => rows,
        Err(app::Error::NotFound(e)) => {
            eprintln!("rapport: {}", crate::render::safe::terminal(&e.to_string()));
            return Ok(ExitCode::from(1));
        }
        Err(e) => return Err(e.into()),
    };
    if app.json {
        app.print_json(&rows)?;
    } else if rows.is_empty() {
        eprintln!("rapport: no meeting matches");
    } else {
        app.print(&render::meetings(&app.style, &rows))?;
    }
    Ok(found(!rows.is_empty()))
}
