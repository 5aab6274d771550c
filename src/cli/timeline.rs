//! `rapport person NAME --timeline`: the profile laid out in date order.

use std::process::ExitCode;

use anyhow::Result;

use super::App;
use crate::app;
use crate::render;

/// Runs `rapport person NAME --timeline`: exit 1 when the name names nobody.
pub fn run(app: &App, name: &str) -> Result<ExitCode> {
    let timeline = match app.session()?.timeline(name) {
        Ok(t) => t,
        Err(app::Error::NotFound(e)) => {
            eprintln!("rapport: {}", render::safe::terminal(&e.to_string()));
            return Ok(ExitCode::from(1));
        }
        Err(e) => return Err(e.into()),
    };
    if app.json {
        app.print_json(&timeline)?;
    } else {
        app.print(&render::relations::timeline(
            &app.style,
            &timeline.name,
            &timeline.timeline,
            app.today,
        ))?;
    }
    Ok(ExitCode::SUCCESS)
}
