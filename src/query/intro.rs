//! `rapport intro`: who could introduce me to someone, or to anyone at an
//! organisation.
//!
//! The notes are the only evidence: two people who sat in one of my
//! meetings know each other, and an `introduced_by` says one introduced the
//! other. A connector is worth more the more meetings they shared with the
//! target and the more recently, and then the warmer my own contact with
//! them is (days since my last contact against their cadence).

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use serde::Serialize;

use super::relationship::{PersonRef, known};
use super::{Network, PersonId};

/// Without a cadence, contact within this many days counts as warm.
pub const DEFAULT_WARM_DAYS: u32 = 90;

/// Settings of an `intro` answer.
#[derive(Debug, Clone)]
pub struct IntroOpts {
    /// Meetings after this day are plans, not evidence.
    pub today: NaiveDate,
    /// At most this many connectors per target.
    pub limit: usize,
}

/// Someone who could introduce me.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Via {
    /// Name.
    pub name: String,
    /// Their note.
    pub path: Option<String>,
    /// My meetings they both attended.
    pub shared_meetings: u32,
    /// The last of those.
    pub last_together: Option<NaiveDate>,
    /// One introduced the other (`introduced_by`).
    pub introduced: bool,
    /// My last contact with the connector.
    pub my_last_contact: Option<NaiveDate>,
}

/// The answer for one target.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Intro {
    /// Who I want to meet.
    pub target: PersonRef,
    /// I already know them well: no introduction needed.
    pub direct: bool,
    /// Who could introduce me, best first (empty when `direct`).
    pub via: Vec<Via>,
}

/// My last contact with everyone (meetings by `today` and `last_contact`),
/// and my number of meetings with them.
fn my_contacts(net: &Network, today: NaiveDate) -> Vec<(u32, Option<NaiveDate>)> {
    let mut stats = vec![(0u32, None::<NaiveDate>); net.len()];
    for m in &net.meetings {
        if m.date.is_some_and(|d| d > today) {
            continue;
        }
        for a in &m.attendees {
            let s = &mut stats[*a as usize];
            s.0 += 1;
            s.1 = s.1.max(m.date);
        }
    }
    for (i, s) in stats.iter_mut().enumerate().take(net.people.len()) {
        let field = net.people[i]
            .person
            .as_ref()
            .and_then(|p| p.last_contact)
            .filter(|d| *d <= today);
        s.1 = s.1.max(field);
    }
    stats
}

/// How cold my contact is: days since it over the cadence (0 = just now,
/// 1 = due); never contacted is coldest.
fn coldness(net: &Network, id: PersonId, last: Option<NaiveDate>, today: NaiveDate) -> f64 {
    let cadence = net
        .note(id)
        .and_then(|n| n.person.as_ref())
        .and_then(|p| p.cadence_days)
        .unwrap_or(DEFAULT_WARM_DAYS)
        .max(1);
    match last {
        Some(l) => (today - l).num_days().max(0) as f64 / cadence as f64,
        None => f64::INFINITY,
    }
}

/// The people `net` needs meetings of to answer for `targets`: the targets,
/// everyone who shared a meeting with them, and introducers both ways.
/// A caller reading meetings from an index loads the targets' meetings,
/// calls this, then loads these people's meetings.
pub fn connectors(net: &Network, targets: &[PersonId]) -> HashSet<PersonId> {
    let wanted: HashSet<PersonId> = targets.iter().copied().collect();
    let mut out = wanted.clone();
    for m in &net.meetings {
        if m.attendees.iter().any(|a| wanted.contains(a)) {
            out.extend(m.attendees.iter().copied());
        }
    }
    for (by, to) in introductions(net) {
        if wanted.contains(&to) {
            out.insert(by);
        }
        if wanted.contains(&by) {
            out.insert(to);
        }
    }
    out
}

/// Every (introducer, introduced) pair between person notes.
fn introductions(net: &Network) -> Vec<(PersonId, PersonId)> {
    (0..net.people.len() as PersonId)
        .filter_map(|to| {
            let r = super::relationship::personal(net, to)?
                .introduced_by
                .as_deref()?;
            let by = known(net, r)?;
            (by != to).then_some((by, to))
        })
        .collect()
}

/// Answers `intro` for each target.
pub fn intro(net: &Network, targets: &[PersonId], opts: &IntroOpts) -> Vec<Intro> {
    let today = opts.today;
    let mine = my_contacts(net, today);
    let wanted: HashSet<PersonId> = targets.iter().copied().collect();
    // (target, connector) → (shared meetings, last together)
    let mut pairs: HashMap<(PersonId, PersonId), (u32, Option<NaiveDate>)> = HashMap::new();
    for m in &net.meetings {
        if m.date.is_some_and(|d| d > today) || !m.attendees.iter().any(|a| wanted.contains(a)) {
            continue;
        }
        for t in m.attendees.iter().filter(|a| wanted.contains(a)) {
            for c in m.attendees.iter().filter(|c| *c != t) {
                let e = pairs.entry((*t, *c)).or_default();
                e.0 += 1;
                e.1 = e.1.max(m.date);
            }
        }
    }
    let mut introduced: HashSet<(PersonId, PersonId)> = HashSet::new();
    for (by, to) in introductions(net) {
        introduced.insert((to, by));
        introduced.insert((by, to));
    }
    let mut by_target: HashMap<PersonId, Vec<PersonId>> = HashMap::new();
    for (t, c) in pairs.keys().chain(introduced.iter()) {
        if wanted.contains(t) {
            by_target.entry(*t).or_default().push(*c);
        }
    }
    let mut out = Vec::new();
    for &t in targets {
        let target = PersonRef {
            name: net.name(t).to_string(),
            path: net.note(t).map(|n| n.path.clone()),
        };
        let (count, last) = mine[t as usize];
        if count >= 2 && coldness(net, t, last, today) <= 1.0 {
            out.push(Intro {
                target,
                direct: true,
                via: Vec::new(),
            });
            continue;
        }
        let mut cands = by_target.remove(&t).unwrap_or_default();
        cands.sort_unstable();
        cands.dedup();
        let mut via: Vec<(f64, Via)> = cands
            .into_iter()
            .map(|c| {
                let (shared, together) = pairs.get(&(t, c)).copied().unwrap_or_default();
                let my_last = mine[c as usize].1;
                (
                    coldness(net, c, my_last, today),
                    Via {
                        name: net.name(c).to_string(),
                        path: net.note(c).map(|n| n.path.clone()),
                        shared_meetings: shared,
                        last_together: together,
                        introduced: introduced.contains(&(t, c)),
                        my_last_contact: my_last,
                    },
                )
            })
            .collect();
        // An introduction counts as one more shared meeting.
        via.sort_by(|(ca, a), (cb, b)| {
            let strength = |v: &Via| v.shared_meetings + u32::from(v.introduced);
            strength(b)
                .cmp(&strength(a))
                .then(b.last_together.cmp(&a.last_together))
                .then(ca.total_cmp(cb))
                .then_with(|| a.name.to_lowercase().cmp(&b.name.to_lowercase()))
        });
        via.truncate(opts.limit);
        out.push(Intro {
            target,
            direct: false,
            via: via.into_iter().map(|(_, v)| v).collect(),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::query::testkit::*;

    #[test]
    fn connectors_rank_by_shared_meetings_then_recency_then_warmth() {
        let mut v = Vault::default();
        let people = vec![
            person("people/target.md", "name: Tara\n"),
            person("people/often.md", "name: Often\n"),
            person("people/recent.md", "name: Recent\n"),
            person("people/warm.md", "name: Warm\ncadence: 30d\n"),
            person("people/cold.md", "name: Cold\ncadence: 30d\n"),
            person("people/intro.md", "name: Intro\n"),
            person(
                "people/new.md",
                "name: Newbie\nintroduced_by: \"[[Intro]]\"\n",
            ),
        ];
        v.meeting("2026-01-10", &["Tara", "Often"], &[], &[], 0);
        v.meeting("2026-02-10", &["Tara", "Often"], &[], &[], 0);
        v.meeting("2026-03-10", &["Tara", "Recent"], &[], &[], 0);
        v.meeting("2026-01-05", &["Tara", "Warm"], &[], &[], 0);
        v.meeting("2026-01-05", &["Tara", "Cold"], &[], &[], 0);
        v.meeting("2026-05-20", &["Warm"], &[], &[], 0);
        // A planned meeting is not evidence.
        v.meeting("2026-09-01", &["Tara", "Cold"], &[], &[], 0);
        let net = v.network(people);
        // Tara was last met 113 days ago (no cadence: 90), so not directly.
        let opts = IntroOpts {
            today: d("2026-07-01"),
            limit: 10,
        };
        let tara = net.lookup("Tara").unwrap();
        let r = intro(&net, &[tara], &opts);
        assert!(!r[0].direct);
        let names: Vec<&str> = r[0].via.iter().map(|v| v.name.as_str()).collect();
        assert_eq!(names, vec!["Often", "Recent", "Warm", "Cold"]);
        assert_eq!(r[0].via[0].shared_meetings, 2);
        assert_eq!(r[0].via[0].last_together, Some(d("2026-02-10")));
        assert_eq!(r[0].via[2].my_last_contact, Some(d("2026-05-20")));
        // The introducer is a connector of the person introduced, and back.
        let newbie = net.lookup("Newbie").unwrap();
        let r = intro(&net, &[newbie], &opts);
        assert_eq!(r[0].via.len(), 1);
        assert_eq!(r[0].via[0].name, "Intro");
        assert!(r[0].via[0].introduced);
        assert_eq!(r[0].via[0].shared_meetings, 0);
        let limited = intro(&net, &[tara], &IntroOpts { limit: 1, ..opts });
        assert_eq!(limited[0].via.len(), 1);
    }

    #[test]
    fn a_target_i_know_well_needs_no_introduction() {
        let mut v = Vault::default();
        let people = vec![
            person("people/k.md", "name: Known\ncadence: 30d\n"),
            person("people/o.md", "name: Other\n"),
        ];
        v.meeting("2026-05-01", &["Known", "Other"], &[], &[], 0);
        v.meeting("2026-05-20", &["Known"], &[], &[], 0);
        let net = v.network(people);
        let k = net.lookup("Known").unwrap();
        let today = d("2026-06-01");
        let r = intro(&net, &[k], &IntroOpts { today, limit: 5 });
        assert!(r[0].direct);
        assert!(r[0].via.is_empty());
        // Months later the contact has gone cold: introductions again.
        let r = intro(
            &net,
            &[k],
            &IntroOpts {
                today: d("2026-12-01"),
                limit: 5,
            },
        );
        assert!(!r[0].direct);
        assert_eq!(r[0].via[0].name, "Other");
    }
}
