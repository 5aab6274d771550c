//! `rapport people`: everyone matching, with how often and when you met.

use std::process::ExitCode;

use anyhow::Result;
use chrono::NaiveDate;

use super::values::{self, RelationArg};
use super::{App, found};
use crate::query::{MeetingOpts, PeopleOpts};
use crate::render;

/// Filters on meetings, shared by `people` and `meetings`.
#[derive(Debug, clap::Args)]
pub struct MeetingArgs {
    /// Only meetings about a project whose name has these words ("project" optional; case and accents ignored)
    #[arg(long, value_name = "PROJECT")]
    pub project: Option<String>,
    /// Only meetings whose title, text, projects or tags match this query
    #[arg(long, value_name = "TEXT")]
    pub about: Option<String>,
    /// Only meetings on or after (YYYY-MM-DD, today, 7d, 2w, 3m, 1y, last-week, this-month, this-quarter)
    #[arg(long, value_name = "DATE", value_parser = values::since)]
    pub since: Option<NaiveDate>,
    /// Only meetings on or before
    #[arg(long, value_name = "DATE", value_parser = values::until)]
    pub until: Option<NaiveDate>,
}

impl MeetingArgs {
    /// The filter these arguments describe.
    pub fn opts(&self) -> MeetingOpts {
        MeetingOpts {
            project: self.project.clone(),
            about: self.about.clone(),
            since: self.since,
            until: self.until,
        }
    }
}

/// Arguments of `rapport people`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    meetings: MeetingArgs,
    /// Only people with this tag
    #[arg(long)]
    tag: Option<String>,
    /// Only people whose organisation contains this
    #[arg(long)]
    org: Option<String>,
    /// Only people in this team
    #[arg(long)]
    team: Option<String>,
    /// Only internal colleagues or external contacts
    #[arg(long, value_enum)]
    relation: Option<RelationArg>,
    /// Only people met at least once (in the matching meetings)
    #[arg(long, conflicts_with = "never_met")]
    met: bool,
    /// Only people never met (in the matching meetings)
    #[arg(long)]
    never_met: bool,
}

/// Runs `rapport people`.
pub fn run(app: &App, args: &Args) -> Result<ExitCode> {
    let opts = PeopleOpts {
        tag: args.tag.clone(),
        org: args.org.clone(),
        team: args.team.clone(),
        relation: args.relation.map(Into::into),
        met: if args.met {
            Some(true)
        } else if args.never_met {
            Some(false)
        } else {
            None
        },
        as_of: None,
    };
    let rows = match app.session()?.people(&args.meetings.opts(), &opts) {
        Ok(rows) => rows,
        Err(crate::app::Error::NotFound(e)) => {
            eprintln!("rapport: {e}");
            return Ok(ExitCode::from(1));
        }
        Err(e) => return Err(e.into()),
    };
    if app.json {
        app.print_json(&rows)?;
    } else if rows.is_empty() {
        eprintln!("rapport: nobody matches");
    } else {
        app.print(&render::people(&app.style, &rows))?;
    }
    Ok(found(!rows.is_empty()))
}
