//! `rapport orgs`: person notes rolled up by organisation — who I know
//! there, how much we met lately, when I last spoke to anyone there, what
//! is open with them, and who there is due for a keep-in-touch.
//!
//! An organisation is its name compared loosely: case is ignored, and
//! `org: "[[orgs/Acme|Acme Inc]]"` is the same organisation as `Acme`
//! because both name the note `Acme`.

use std::collections::{BTreeMap, HashSet};

use chrono::{Days, NaiveDate};
use serde::Serialize;

use super::{Network, PersonId, task_people};
use crate::vault::{Relation, TaskRecord, TaskStatus};

/// How an organisation is compared: the link target's file name (or the
/// text), lower case, spaces collapsed.
///
/// ```
/// use rapport::query::orgs::org_key;
/// assert_eq!(org_key("[[orgs/Acme.md|Acme Inc]]"), "acme");
/// assert_eq!(org_key("  ACME "), "acme");
/// assert_eq!(org_key("Blue  Harbor"), "blue harbor");
/// ```
pub fn org_key(org: &str) -> String {
    let t = org.trim().trim_start_matches("[[").trim_end_matches("]]");
    let target = t.split('|').next().unwrap_or(t);
    crate::vault::stem_of(target)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// How an organisation is shown: a link's label, else its file name.
pub fn org_display(org: &str) -> String {
    let t = org.trim().trim_start_matches("[[").trim_end_matches("]]");
    match t.split_once('|') {
        Some((_, label)) if !label.trim().is_empty() => label.trim().to_string(),
        _ => {
            let file = t.rsplit('/').next().unwrap_or(t);
            file.strip_suffix(".md").unwrap_or(file).trim().to_string()
        }
    }
}

/// The person notes of an organisation.
pub fn members(net: &Network, org: &str) -> Vec<PersonId> {
    let key = org_key(org);
    (0..net.people.len() as PersonId)
        .filter(|id| org_of(net, *id).is_some_and(|o| org_key(o) == key))
        .collect()
}

fn org_of(net: &Network, id: PersonId) -> Option<&str> {
    net.note(id)?
        .person
        .as_ref()?
        .org
        .as_deref()
        .filter(|o| !o.trim().is_empty())
}

/// Settings of `orgs`.
#[derive(Debug, Clone)]
pub struct OrgsOpts {
    /// The day the answer is for.
    pub today: NaiveDate,
    /// Only people with this relation.
    pub relation: Option<Relation>,
    /// Only organisations with no contact for at least this many days.
    pub cold_days: Option<u32>,
    /// "Recent" meetings: this many days back.
    pub recent_days: u32,
}

/// One organisation.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct OrgRow {
    /// Its name, as first written (a link's label when there is one).
    pub org: String,
    /// The people I know there, by name.
    pub people: Vec<String>,
    /// My meetings with any of them in the last `recent_days`.
    pub recent_meetings: u32,
    /// My last contact with anyone there.
    pub last_contact: Option<NaiveDate>,
    /// With whom.
    pub last_contact_with: Option<String>,
    /// Open tasks that involve any of them.
    pub open_tasks: u32,
    /// People there due for a keep-in-touch (snoozed ones excepted).
    pub due_keep_in_touch: Vec<String>,
}

/// Answers `orgs`. `net` holds the meetings of the people with an org (or
/// all); `tasks` the open tasks that may involve them.
pub fn orgs(net: &Network, tasks: &[TaskRecord], opts: &OrgsOpts) -> Vec<OrgRow> {
    let today = opts.today;
    // Organisation of each person note that passes the filter.
    let mut orgs: BTreeMap<String, (String, Vec<PersonId>)> = BTreeMap::new();
    let mut org_of_person: Vec<Option<usize>> = vec![None; net.len()];
    for id in 0..net.people.len() as PersonId {
        let Some(org) = org_of(net, id) else { continue };
        let f = net.people[id as usize].person.as_ref();
        if opts.relation.is_some() && f.and_then(|p| p.relation) != opts.relation {
            continue;
        }
        orgs.entry(org_key(org))
            .or_insert_with(|| (org_display(org), Vec::new()))
            .1
            .push(id);
    }
    let keys: Vec<String> = orgs.keys().cloned().collect();
    for (i, k) in keys.iter().enumerate() {
        for id in &orgs[k].1 {
            org_of_person[*id as usize] = Some(i);
        }
    }
    let recent_from = today
        .checked_sub_days(Days::new(opts.recent_days as u64))
        .unwrap_or(today);
    let mut recent = vec![0u32; keys.len()];
    let mut last_met: Vec<Option<NaiveDate>> = vec![None; net.len()];
    for m in &net.meetings {
        let Some(d) = m.date.filter(|d| *d <= today) else {
            continue;
        };
        let mut counted: HashSet<usize> = HashSet::new();
        for a in &m.attendees {
            let l = &mut last_met[*a as usize];
            *l = (*l).max(Some(d));
            if let Some(o) = org_of_person[*a as usize]
                && d > recent_from
                && counted.insert(o)
            {
                recent[o] += 1;
            }
        }
    }
    let mut open = vec![0u32; keys.len()];
    for t in tasks.iter().filter(|t| t.status == TaskStatus::Open) {
        let hit: HashSet<usize> = task_people(net, t)
            .into_iter()
            .filter_map(|p| org_of_person.get(p as usize).copied().flatten())
            .collect();
        for o in hit {
            open[o] += 1;
        }
    }
    let mut rows = Vec::new();
    for (i, k) in keys.iter().enumerate() {
        let (display, people) = &orgs[k];
        let mut last: Option<(NaiveDate, PersonId)> = None;
        let mut due = Vec::new();
        for &p in people {
            let f = net.people[p as usize].person.as_ref();
            let contact =
                last_met[p as usize].max(f.and_then(|f| f.last_contact).filter(|d| *d <= today));
            if let Some(c) = contact
                && last.is_none_or(|(l, _)| c > l)
            {
                last = Some((c, p));
            }
            let snoozed = f.and_then(|f| f.personal.snooze).is_some_and(|s| s > today);
            if let Some(cadence) = f.and_then(|f| f.cadence_days)
                && !snoozed
                && contact
                    .and_then(|c| c.checked_add_days(Days::new(cadence as u64)))
                    .is_none_or(|due| due < today)
            {
                due.push(net.name(p).to_string());
            }
        }
        if let Some(cold) = opts.cold_days
            && last.is_some_and(|(l, _)| (today - l).num_days() < cold as i64)
        {
            continue;
        }
        let mut names: Vec<String> = people.iter().map(|p| net.name(*p).to_string()).collect();
        names.sort_by_key(|n| n.to_lowercase());
        due.sort_by_key(|n| n.to_lowercase());
        rows.push(OrgRow {
            org: display.clone(),
            people: names,
            recent_meetings: recent[i],
            last_contact: last.map(|(d, _)| d),
            last_contact_with: last.map(|(_, p)| net.name(p).to_string()),
            open_tasks: open[i],
            due_keep_in_touch: due,
        });
    }
    // Coldest first when looking for cold ones; else the most recent first.
    if opts.cold_days.is_some() {
        rows.sort_by(|a, b| {
            (
                a.last_contact.is_some(),
                a.last_contact,
                a.org.to_lowercase(),
            )
                .cmp(&(
                    b.last_contact.is_some(),
                    b.last_contact,
                    b.org.to_lowercase(),
                ))
        });
    } else {
        rows.sort_by(|a, b| {
            b.last_contact
                .cmp(&a.last_contact)
                .then_with(|| a.org.to_lowercase().cmp(&b.org.to_lowercase()))
        });
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::testkit::*;

    fn opts(today: &str) -> OrgsOpts {
        OrgsOpts {
            today: d(today),
            relation: None,
            cold_days: None,
            recent_days: 90,
        }
    }

    #[test]
    fn people_roll_up_by_organisation_matched_loosely() {
        let mut v = Vault::default();
        let people = vec![
            person(
                "people/a.md",
                "name: Ann\norg: \"[[orgs/Acme|Acme Inc]]\"\ncadence: 30d\nrelation: external",
            ),
            person(
                "people/b.md",
                "name: Bob\norg: acme\ncadence: 30d\nsnooze: 2026-07-01\nrelation: external",
            ),
            person(
                "people/c.md",
                "name: Cid\ncompany: ACME\nrelation: internal",
            ),
            person(
                "people/z.md",
                "name: Zoe\norg: Zeta\nlast_contact: 2025-01-01\nrelation: external",
            ),
            person("people/n.md", "name: Nob"),
        ];
        v.meeting("2026-05-01", &["Ann", "Cid"], &[], &[], 0);
        v.meeting("2026-05-20", &["Cid"], &[], &[], 0);
        v.meeting("2026-01-01", &["Bob"], &[], &[], 0);
        // Planned: not a contact yet.
        v.meeting("2026-09-01", &["Ann"], &[], &[], 0);
        let net = v.network(people);
        let tasks = vec![
            TaskRecord {
                links: strs(&["Bob"]),
                ..task("x.md", 1, "send Bob the deck")
            },
            TaskRecord {
                links: strs(&["Nob"]),
                ..task("x.md", 2, "not at an org")
            },
        ];
        let rows = orgs(&net, &tasks, &opts("2026-06-01"));
        let names: Vec<&str> = rows.iter().map(|r| r.org.as_str()).collect();
        assert_eq!(names, vec!["Acme Inc", "Zeta"]);
        let acme = &rows[0];
        assert_eq!(acme.people, strs(&["Ann", "Bob", "Cid"]));
        assert_eq!(acme.recent_meetings, 2);
        assert_eq!(acme.last_contact, Some(d("2026-05-20")));
        assert_eq!(acme.last_contact_with.as_deref(), Some("Cid"));
        assert_eq!(acme.open_tasks, 1);
        // Ann is due (met 2026-05-01, every 30 days); Bob is snoozed.
        assert_eq!(acme.due_keep_in_touch, strs(&["Ann"]));
        assert_eq!(members(&net, "ACME").len(), 3);

        let cold = orgs(
            &net,
            &tasks,
            &OrgsOpts {
                cold_days: Some(90),
                ..opts("2026-06-01")
            },
        );
        assert_eq!(cold.len(), 1);
        assert_eq!(cold[0].org, "Zeta");
        let internal = orgs(
            &net,
            &tasks,
            &OrgsOpts {
                relation: Some(Relation::Internal),
                ..opts("2026-06-01")
            },
        );
        assert_eq!(internal.len(), 1);
        assert_eq!(internal[0].people, strs(&["Cid"]));
    }
}
