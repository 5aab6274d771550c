//! `rapport intro`: who could introduce me to someone, or to anyone at an
//! organisation.

use std::process::ExitCode;

use anyhow::Result;

use super::App;
use crate::app::{self, Target};
use crate::render;

/// Arguments of `rapport intro`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The person you want to meet (name, alias, file name or email)
    #[arg(required_unless_present = "org", conflicts_with = "org")]
    pub name: Option<String>,
    /// Everyone at this organisation (case-insensitive; `[[Acme]]` works)
    #[arg(long, value_name = "ORG")]
    pub org: Option<String>,
    /// At most this many connectors per person
    #[arg(long, default_value_t = 5, value_name = "N")]
    pub limit: usize,
}

/// Runs `rapport intro`: exit 1 when the target names nobody.
pub fn run(app: &App, args: &Args) -> Result<ExitCode> {
    // clap requires a name or --org; an empty name names nobody.
    let target = match &args.org {
        Some(org) => Target::Org(org),
        None => Target::Person(args.name.as_deref().unwrap_or_default()),
    };
    let intros = match app.session()?.intro(target, args.limit) {
        Ok(i) => i,
        Err(app::Error::NotFound(e)) => {
            eprintln!("rapport: {}", render::safe::terminal(&e.to_string()));
            return Ok(ExitCode::from(1));
        }
        Err(e) => return Err(e.into()),
    };
    if app.json {
        app.print_json(&intros)?;
    } else {
        app.print(&render::relations::intro(&app.style, &intros))?;
    }
    Ok(ExitCode::SUCCESS)
}
