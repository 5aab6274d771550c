//! `rapport people`: everyone matching, with how often and when you met.

use std::process::ExitCode;

use anyhow::Result;

use super::{App, found};
use crate::query::{self, MeetingOpts, Network, PeopleOpts};
use crate::render;
use crate::vault::Relation;

/// Filters on meetings, shared by `people` and `meetings`.
#[derive(Debug, clap::Args)]
pub struct MeetingArgs {
    /// Only meetings about this project (case, [[brackets]], space/-/_ ignored)
    #[arg(long, value_name = "PROJECT")]
    pub project: Option<String>,
    /// Only meetings whose title, text, projects or tags match this query
    #[arg(long, value_name = "TEXT")]
    pub about: Option<String>,
    /// Only meetings on or after (YYYY-MM-DD, today, 7d, 2w, 3m, 1y, last-week, this-month, this-quarter)
    #[arg(long, value_name = "DATE")]
    pub since: Option<String>,
    /// Only meetings on or before
    #[arg(long, value_name = "DATE")]
    pub until: Option<String>,
}

impl MeetingArgs {
    /// Resolves the dates.
    pub fn opts(&self, app: &App) -> Result<MeetingOpts> {
        Ok(MeetingOpts {
            project: self.project.clone(),
            about: self.about.clone(),
            since: app.since(&self.since)?,
            until: app.until(&self.until)?,
        })
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
    #[arg(long, value_parser = ["internal", "external"])]
    relation: Option<String>,
    /// Only people met at least once (in the matching meetings)
    #[arg(long, conflicts_with = "never_met")]
    met: bool,
    /// Only people never met (in the matching meetings)
    #[arg(long)]
    never_met: bool,
}

/// Runs `rapport people`.
pub fn run(app: &App, args: &Args) -> Result<ExitCode> {
    let m = args.meetings.opts(app)?;
    let index = app.open()?;
    let snap = index.snapshot();
    let facts = snap.meetings(
        m.project.as_deref(),
        m.about.as_deref(),
        m.since,
        m.until,
        false,
    )?;
    let net = Network::from_facts(app.people(&snap)?, facts, m.project.as_deref());
    let opts = PeopleOpts {
        tag: args.tag.clone(),
        org: args.org.clone(),
        team: args.team.clone(),
        relation: match args.relation.as_deref() {
            Some("internal") => Some(Relation::Internal),
            Some("external") => Some(Relation::External),
            _ => None,
        },
        met: if args.met {
            Some(true)
        } else if args.never_met {
            Some(false)
        } else {
            None
        },
    };
    let rows = query::people(&net, &opts, m.narrows());
    if app.json {
        app.print_json(&rows)?;
    } else if rows.is_empty() {
        eprintln!("rapport: nobody matches");
    } else {
        app.print(&render::people(&app.style, &rows))?;
    }
    Ok(found(!rows.is_empty()))
}
