//! `rapport orgs`: one row per organisation.

use std::process::ExitCode;

use anyhow::Result;

use super::App;
use super::values::{self, RelationArg};
use crate::render;

/// Arguments of `rapport orgs`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Only internal or only external people
    #[arg(long, value_enum)]
    pub relation: Option<RelationArg>,
    /// Only organisations with no contact for this long (90d, 6m…)
    #[arg(long, value_name = "SPAN", value_parser = values::span)]
    pub cold: Option<u32>,
}

/// Runs `rapport orgs`.
pub fn run(app: &App, args: &Args) -> Result<ExitCode> {
    let rows = app
        .session()?
        .orgs(args.relation.map(Into::into), args.cold)?;
    if app.json {
        app.print_json(&rows)?;
    } else if rows.is_empty() {
        eprintln!("rapport: no organisations match");
    } else {
        app.print(&render::relations::orgs(&app.style, &rows))?;
    }
    Ok(super::found(!rows.is_empty()))
}
