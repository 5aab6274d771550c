//! Reading what `intro` and `orgs` need from the index, then answering with
//! the pure [`query::intro`] and [`query::orgs`].
//!
//! On a large vault the meetings are the cost, so each answer reads only
//! the meetings of the people it is about: `intro` first the targets'
//! meetings (which name the connectors), then the connectors' (for my own
//! last contact with them); `orgs` the meetings of people with an org.

use std::collections::HashSet;

use crate::index::{MeetingFilter, Result, Snapshot};
use crate::query::intro::{self, Intro, IntroOpts};
use crate::query::orgs::{self, OrgRow, OrgsOpts};
use crate::query::{self, Network, NotFound, PersonId};
use crate::vault::Note;
use crate::vault::refs;

/// Who `intro` is asked about.
#[derive(Debug, Clone)]
pub enum Target<'a> {
    /// One person, as a note would refer to them.
    Person(&'a str),
    /// Everyone at an organisation.
    Org(&'a str),
}

/// Answers `rapport intro`; `Err(NotFound)` when the target names nobody,
/// several people (names are found as everywhere else, by [`query::find`]),
/// or an organisation no person note has.
pub fn intro(
    snap: &Snapshot,
    people: Vec<Note>,
    target: Target<'_>,
    opts: &IntroOpts,
) -> Result<std::result::Result<Vec<Intro>, NotFound>> {
    // One resolver of the people's names, built once: each network below
    // is these people joined with other meetings.
    let known = Network::of_people(people);
    let targets: Vec<PersonId> = match target {
        Target::Org(org) => {
            let t = orgs::members(&known, org);
            if t.is_empty() {
                return Ok(Err(NotFound::NoOrg {
                    name: org.to_string(),
                }));
            }
            t
        }
        Target::Person(name) => match query::find(&known, name) {
            Ok(id) => vec![id],
            Err(e @ NotFound::Ambiguous { .. }) => return Ok(Err(e)),
            Err(_) => {
                // Someone known only from attendee lists: every meeting.
                let facts = snap.meetings_with(&MeetingFilter::default())?;
                let net = known.join(facts, None);
                let found = query::find(&net, name).map(|id| intro::intro(&net, &[id], opts));
                crate::free_later(net);
                return Ok(found);
            }
        },
    };
    let wanted: HashSet<PersonId> = targets.iter().copied().collect();
    let is_target = |text: &str| known.lookup(text).is_some_and(|id| wanted.contains(&id));
    let first = snap.meetings_with(&MeetingFilter {
        attendee: Some(&is_target),
        ..Default::default()
    })?;
    let net = known.join(first, None);
    let around = intro::connectors(&net, &targets);
    let notes: HashSet<PersonId> = around
        .iter()
        .copied()
        .filter(|id| (*id as usize) < net.people.len())
        .collect();
    let others: HashSet<String> = around
        .iter()
        .filter(|id| (**id as usize) >= net.people.len())
        .map(|id| refs::ref_key(net.name(*id)))
        .collect();
    // The targets' meetings name nobody else: they are all the answer needs.
    let net = if notes.len() == wanted.len() && others.is_empty() {
        net
    } else {
        let known = net.people_only();
        let involved = |text: &str| match known.lookup(text) {
            Some(id) => notes.contains(&id),
            None => !others.is_empty() && others.contains(&refs::ref_key(text)),
        };
        let facts = snap.meetings_with(&MeetingFilter {
            attendee: Some(&involved),
            ..Default::default()
        })?;
        known.join(facts, None)
    };
    let found = intro::intro(&net, &targets, opts);
    crate::free_later(net);
    Ok(Ok(found))
}

/// Answers `rapport orgs`. The open tasks are read on another thread
/// while the meetings are: neither needs the other.
pub fn orgs(snap: &Snapshot, people: Vec<Note>, opts: &OrgsOpts) -> Result<Vec<OrgRow>> {
    std::thread::scope(|s| {
        // Counting needs only who a task involves: fast fields, no stored
        // text.
        let tasks = s.spawn(|| snap.open_task_columns());
        let known = Network::of_people(people);
        let with_org = |text: &str| {
            known
                .lookup(text)
                .and_then(|id| known.note(id))
                .and_then(|n| n.person.as_ref())
                .is_some_and(|p| p.org.as_deref().is_some_and(|o| !o.trim().is_empty()))
        };
        let facts = snap.meetings_with(&MeetingFilter {
            attendee: Some(&with_org),
            ..Default::default()
        });
        // The people's resolver is built once, and joined with the meetings.
        let net = known.join(facts?, None);
        let tasks = crate::joined(tasks)?;
        let rows = orgs::orgs(&net, &tasks, opts);
        crate::free_later((net, tasks));
        Ok(rows)
    })
}
