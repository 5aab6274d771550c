//! `rapport orgs`: one row per organisation.

use std::process::ExitCode;

use anyhow::{Result, anyhow};

use super::App;
use crate::query::orgs::OrgsOpts;
use crate::render;
use crate::vault::Relation;
use crate::vault::dates;

/// Arguments of `rapport orgs`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Only internal or only external people
    #[arg(long, value_parser = ["internal", "external"])]
    pub relation: Option<String>,
    /// Only organisations with no contact for this long (90d, 6m…)
    #[arg(long, value_name = "SPAN")]
    pub cold: Option<String>,
}

/// Runs `rapport orgs`.
pub fn run(app: &App, args: &Args) -> Result<ExitCode> {
    let cold_days = args
        .cold
        .as_deref()
        .map(|c| {
            dates::parse_span(c).ok_or_else(|| anyhow!("--cold: '{c}' is not a span (use 90d, 3m)"))
        })
        .transpose()?;
    let opts = OrgsOpts {
        today: app.today,
        relation: match args.relation.as_deref() {
            Some("internal") => Some(Relation::Internal),
            Some(_) => Some(Relation::External),
            None => None,
        },
        cold_days,
        recent_days: 90,
    };
    let index = app.open()?;
    let snap = index.snapshot();
    let rows = crate::relate::orgs(&snap, app.people(&snap)?, &opts)?;
    if app.json {
        app.print_json(&rows)?;
    } else if rows.is_empty() {
        eprintln!("rapport: no organisations match");
    } else {
        app.print(&render::relations::orgs(&app.style, &rows))?;
    }
    Ok(super::found(!rows.is_empty()))
}
