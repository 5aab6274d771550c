//! `rapport meetings`: meetings, newest first.

use std::process::ExitCode;

use anyhow::Result;

use super::people::MeetingArgs;
use super::person::find;
use super::{App, found};
use crate::index::MeetingFilter;
use crate::query::{self, Network};
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

/// Runs `rapport meetings`.
pub fn run(app: &App, args: &Args) -> Result<ExitCode> {
    let m = args.meetings.opts(app)?;
    let index = app.open()?;
    let snap = index.snapshot();
    let people = app.people(&snap)?;
    let known = Network::new(people.clone(), &Default::default(), None);
    // With a person who has a note, read only their meetings.
    let them = args
        .person
        .as_deref()
        .and_then(|name| find(&known, name).ok());
    let is_them = |text: &str| them.is_some_and(|id| known.lookup(text) == Some(id));
    let filter = MeetingFilter {
        project: m.project.as_deref(),
        about: m.about.as_deref(),
        since: m.since,
        until: m.until,
        labels: false,
        attendee: them.map(|_| &is_them as &dyn Fn(&str) -> bool),
    };
    let facts = snap.meetings_with(&filter)?;
    let mut net = Network::new(people, &facts, m.project.as_deref());
    let who = match (&args.person, them) {
        (_, Some(id)) => Some(id),
        (Some(name), None) => match find(&net, name) {
            Ok(id) => Some(id),
            Err(e) => {
                eprintln!("rapport: {}", crate::render::safe::terminal(&e.to_string()));
                return Ok(std::process::ExitCode::from(1));
            }
        },
        (None, None) => None,
    };
    // Read paths and titles only for the meetings shown.
    let mut chosen: Vec<usize> = (0..net.meetings.len())
        .filter(|i| who.is_none_or(|w| net.meetings[*i].attendees.contains(&w)))
        .collect();
    chosen.sort_by(|a, b| net.meetings[*b].date.cmp(&net.meetings[*a].date));
    let labels = snap.labels(
        &chosen
            .iter()
            .map(|i| net.meetings[*i].doc)
            .collect::<Vec<_>>(),
    )?;
    for (i, (path, title)) in chosen.iter().zip(labels) {
        net.meetings[*i].path = path;
        net.meetings[*i].title = title;
    }
    let mut rows = query::meetings(&net, who);
    if args.limit > 0 {
        rows.truncate(args.limit);
    }
    if app.json {
        app.print_json(&rows)?;
    } else if rows.is_empty() {
        eprintln!("rapport: no meeting matches");
    } else {
        app.print(&render::meetings(&app.style, &rows))?;
    }
    Ok(found(!rows.is_empty()))
}
