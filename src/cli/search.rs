//! `rapport search`: full-text search with tantivy's query syntax.

use std::process::ExitCode;

use anyhow::Result;
use chrono::NaiveDate;

use super::values::{self, KindArg};
use super::{App, found};
use crate::app::SearchOpts;
use crate::render;

/// Arguments of `rapport search`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The query: words, "phrases", AND/OR/NOT, and fields title:, person:, project:, tag:, kind:, name:
    pub query: String,
    /// Only notes of this kind
    #[arg(long, value_enum)]
    pub kind: Option<KindArg>,
    /// Only notes dated on or after (YYYY-MM-DD, 7d, 3m, this-month…)
    #[arg(long, value_name = "DATE", value_parser = values::since)]
    pub since: Option<NaiveDate>,
    /// Only notes dated on or before
    #[arg(long, value_name = "DATE", value_parser = values::until)]
    pub until: Option<NaiveDate>,
    /// At most this many hits
    #[arg(long, default_value_t = 20, value_parser = clap::value_parser!(u32).range(1..=100_000))]
    pub limit: u32,
}

/// Runs `rapport search`.
pub fn run(app: &App, args: &Args) -> Result<ExitCode> {
    let opts = SearchOpts {
        kind: args.kind.map(Into::into),
        since: args.since,
        until: args.until,
        limit: args.limit as usize,
    };
    let hits = app.session()?.search(&args.query, &opts)?;
    if app.json {
        app.print_json(&hits)?;
    } else if hits.is_empty() {
        eprintln!("rapport: no note matches '{}'", args.query);
    } else {
        app.print(&render::hits(&app.style, &hits))?;
    }
    Ok(found(!hits.is_empty()))
}
