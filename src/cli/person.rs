//! `rapport person`: one person's profile and history.

use std::process::ExitCode;

use anyhow::{Result, anyhow};

use super::App;
use crate::index::MeetingFilter;
use crate::query::{self, Mention, Network, PersonId};
use crate::render;
use crate::vault::refs::Resolved;

/// Arguments of `rapport person`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Name, alias, file name or email (case-insensitive)
    pub name: String,
    /// Everything about them in date order: meetings, mentions, tasks, dates
    #[arg(long)]
    pub timeline: bool,
}

/// Finds someone by how a note would refer to them, or explains why not
/// with the closest names.
pub fn find(net: &Network, name: &str) -> Result<PersonId> {
    if let Some(id) = net.lookup(name) {
        return Ok(id);
    }
    if net.resolve(name) == Resolved::Ambiguous {
        let key = crate::vault::refs::ref_key(name);
        let who: Vec<&str> = net
            .people
            .iter()
            .filter(|n| {
                n.person.as_ref().is_some_and(|p| {
                    p.aliases
                        .iter()
                        .any(|a| crate::vault::refs::ref_key(a) == key)
                }) || crate::vault::refs::ref_key(&n.title) == key
            })
            .map(|n| n.title.as_str())
            .collect();
        return Err(anyhow!(
            "'{name}' could be {}; use the full name",
            who.join(" or ")
        ));
    }
    let close = net.suggest(name, 5, true);
    if close.is_empty() {
        Err(anyhow!(
            "nobody called '{name}' in this vault (try `rapport people`)"
        ))
    } else {
        Err(anyhow!(
            "nobody called '{name}'; did you mean: {}?",
            close.join(", ")
        ))
    }
}

/// Runs `rapport person`.
pub fn run(app: &App, args: &Args) -> Result<ExitCode> {
    let index = app.open()?;
    let snap = index.snapshot();
    let people = app.people(&snap)?;
    // Someone with a note: read only the meetings and notes that name them.
    // Anyone else (known only from attendee lists) needs every meeting.
    let known = Network::new(people.clone(), &Default::default(), None);
    let (facts, wanted) = match find(&known, &args.name) {
        Ok(id) => {
            let is_them = |text: &str| known.lookup(text) == Some(id);
            let filter = MeetingFilter {
                attendee: Some(&is_them),
                ..Default::default()
            };
            let mut facts = snap.meetings_with(&filter)?;
            snap.mentions(&mut facts, Some(&is_them))?;
            (facts, Some(id))
        }
        Err(_) => {
            let mut facts = snap.meetings(None, None, None, None, false)?;
            snap.mentions(&mut facts, None)?;
            (facts, None)
        }
    };
    let mut net = Network::new(people, &facts, None);
    let id = match wanted.map_or_else(|| find(&net, &args.name), Ok) {
        Ok(id) => id,
        Err(e) => {
            eprintln!("rapport: {e}");
            return Ok(ExitCode::from(1));
        }
    };
    let mine: Vec<usize> = (0..net.meetings.len())
        .filter(|i| net.meetings[*i].attendees.contains(&id))
        .collect();
    let labels = snap.labels(
        &mine
            .iter()
            .map(|i| net.meetings[*i].doc)
            .collect::<Vec<_>>(),
    )?;
    for (i, (path, title)) in mine.iter().zip(labels) {
        net.meetings[*i].path = path;
        net.meetings[*i].title = title;
    }
    let own = net.note(id).map(|n| n.path.clone());
    let mention_docs: Vec<_> = facts
        .mentions
        .iter()
        .filter(|m| {
            m.links
                .iter()
                .any(|l| net.ref_ids.get(*l as usize) == Some(&id))
        })
        .collect();
    let paths = snap.labels(&mention_docs.iter().map(|m| m.doc).collect::<Vec<_>>())?;
    let mut mentions: Vec<Mention> = mention_docs
        .iter()
        .zip(paths)
        .filter(|(_, (path, _))| Some(path) != own.as_ref())
        .map(|(m, (path, _))| Mention { date: m.date, path })
        .collect();
    mentions.sort_by(|a, b| b.date.cmp(&a.date).then_with(|| a.path.cmp(&b.path)));
    let involves = |r: &str| net.lookup(r) == Some(id);
    let tasks = snap.tasks(true, Some(&involves))?;
    let profile = query::profile(&net, id, mentions, &tasks, app.today);
    if args.timeline {
        return super::timeline::print(app, &profile);
    }
    if app.json {
        app.print_json(&profile)?;
    } else {
        app.print(&render::profile(&app.style, &profile, app.today))?;
    }
    Ok(ExitCode::SUCCESS)
}
