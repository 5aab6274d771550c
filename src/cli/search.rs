//! `rapport search`: full-text search with tantivy's query syntax.

use std::process::ExitCode;

use anyhow::Result;

use super::{App, found};
use crate::index::SearchOpts;
use crate::render;
use crate::vault::Kind;

/// Arguments of `rapport search`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The query: words, "phrases", AND/OR/NOT, and fields title:, person:, project:, tag:, kind:, name:
    pub query: String,
    /// Only notes of this kind
    #[arg(long, value_parser = ["person", "meeting", "note"])]
    pub kind: Option<String>,
    /// Only notes dated on or after (YYYY-MM-DD, 7d, 3m, this-month…)
    #[arg(long, value_name = "DATE")]
    pub since: Option<String>,
    /// Only notes dated on or before
    #[arg(long, value_name = "DATE")]
    pub until: Option<String>,
    /// At most this many hits
    #[arg(long, default_value_t = 20, value_parser = clap::value_parser!(u32).range(1..=100_000))]
    pub limit: u32,
}

/// Runs `rapport search`.
pub fn run(app: &App, args: &Args) -> Result<ExitCode> {
    let opts = SearchOpts {
        kind: args.kind.as_deref().and_then(Kind::parse),
        since: app.since(&args.since)?,
        until: app.until(&args.until)?,
        limit: args.limit as usize,
    };
    let index = app.open()?;
    let hits = index.snapshot().search(&args.query, &opts)?;
    if app.json {
        app.print_json(&hits)?;
    } else if hits.is_empty() {
        eprintln!("rapport: no note matches '{}'", args.query);
    } else {
        app.print(&render::hits(&app.style, &hits))?;
    }
    Ok(found(!hits.is_empty()))
}
