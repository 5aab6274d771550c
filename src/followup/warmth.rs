//! Keep-in-touch state of everyone, not only of the people the checklist
//! lists: the map colours every person by it.
//!
//! The rules are the checklist's own ([`super::compute`]'s keep-in-touch
//! section): last contact is the later of the last meeting by the as-of date
//! and the `last_contact` field (when not in the future); the next contact
//! is due at last contact + cadence. A person the checklist lists as overdue
//! is [`Warmth::Overdue`] here, one it lists as never contacted is
//! [`Warmth::NeverMet`], and everyone else with a cadence is on track or
//! due within [`Opts::soon_days`].

use chrono::{Days, NaiveDate};
use rustc_hash::FxHashMap;
use serde::Serialize;

use super::{Opts, last_meetings, past_meetings};
use crate::query::{Network, PersonId};

/// How warm a relationship is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Warmth {
    /// Next contact due after the "soon" horizon.
    OnTrack,
    /// Next contact due between the as-of date and the "soon" horizon.
    DueSoon,
    /// Next contact was due before the as-of date.
    Overdue,
    /// No meeting and no `last_contact` by the as-of date.
    NeverMet,
    /// Met, but no cadence: nothing is ever due.
    NoCadence,
    /// Would be overdue or never met, but a meeting is already planned:
    /// the checklist says "planned" instead of listing them.
    Planned,
    /// Would be overdue or never met, but snoozed (`snooze:` after the
    /// as-of date): the checklist counts them as snoozed.
    Snoozed,
}

impl Warmth {
    /// Every state, in legend order.
    pub const ALL: [Warmth; 7] = [
        Warmth::Overdue,
        Warmth::DueSoon,
        Warmth::OnTrack,
        Warmth::NeverMet,
        Warmth::Planned,
        Warmth::Snoozed,
        Warmth::NoCadence,
    ];

    /// The stable name (`on-track`, `due-soon`, `overdue`, `never-met`,
    /// `planned`, `snoozed`, `no-cadence`).
    pub fn name(self) -> &'static str {
        match self {
            Warmth::OnTrack => "on-track",
            Warmth::DueSoon => "due-soon",
            Warmth::Overdue => "overdue",
            Warmth::NeverMet => "never-met",
            Warmth::NoCadence => "no-cadence",
            Warmth::Planned => "planned",
            Warmth::Snoozed => "snoozed",
        }
    }
}

/// One person's keep-in-touch state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Contact {
    /// Last contact by the as-of date.
    pub last_contact: Option<NaiveDate>,
    /// Next contact due (the as-of date when there is a cadence and no
    /// contact yet, as `rapport person` says).
    pub next_due: Option<NaiveDate>,
    /// The state.
    pub warmth: Warmth,
}

/// The state of everyone in the network, indexed by [`PersonId`].
pub fn contacts(net: &Network, opts: &Opts) -> Vec<Contact> {
    let past = past_meetings(net, opts.as_of);
    let last = last_meetings(net, &past);
    let next = net.next_meetings(opts.as_of);
    (0..net.len() as PersonId)
        .map(|id| contact_of(net, id, &last, &next, opts))
        .collect()
}

/// One person's state, from each person's last meeting by the as-of date
/// (`last`) and next planned one (`next`). The checklist's keep-in-touch
/// section decides who is due from this too, so the two never disagree.
pub(super) fn contact_of(
    net: &Network,
    id: PersonId,
    last: &FxHashMap<PersonId, usize>,
    next: &FxHashMap<PersonId, usize>,
    opts: &Opts,
) -> Contact {
    let as_of = opts.as_of;
    let soon = as_of
        .checked_add_days(Days::new(opts.soon_days as u64))
        .unwrap_or(as_of);
    let f = net.fields(id);
    let last_contact = last
        .get(&id)
        .and_then(|i| net.meetings[*i].date)
        .max(f.last_contact.filter(|d| *d <= as_of));
    let (next_due, warmth) = match (last_contact, f.cadence_days) {
        (None, cadence) => (cadence.map(|_| as_of), Warmth::NeverMet),
        (Some(_), None) => (None, Warmth::NoCadence),
        (Some(l), Some(c)) => {
            // A date past chrono's range stays at the last contact.
            let due = l.checked_add_days(Days::new(c as u64)).unwrap_or(l);
            let w = if due < as_of {
                Warmth::Overdue
            } else if due <= soon {
                Warmth::DueSoon
            } else {
                Warmth::OnTrack
            };
            (Some(due), w)
        }
    };
    // Due, but already in the diary: the checklist's "planned".
    // Not now: snoozed until after the as-of date.
    let snoozed = f.personal.snooze.is_some_and(|s| s > as_of);
    let warmth = match warmth {
        Warmth::Overdue | Warmth::NeverMet
            if f.cadence_days.is_some() && next.contains_key(&id) =>
        {
            Warmth::Planned
        }
        Warmth::Overdue | Warmth::NeverMet if f.cadence_days.is_some() && snoozed => {
            Warmth::Snoozed
        }
        w => w,
    };
    Contact {
        last_contact,
        next_due,
        warmth,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::followup::compute;
    use crate::query::testkit::*;

    #[test]
    fn states_agree_with_the_checklist() {
        let people = vec![
            person("people/a.md", "name: Ann\ncadence: 30d"),
            person("people/b.md", "name: Bob\ncadence: 30d"),
            person("people/c.md", "name: Cy\ncadence: 30d"),
            person("people/d.md", "name: Dee\ncadence: 30d"),
            person("people/e.md", "name: Eve"),
            person("people/f.md", "name: Fay"),
            person(
                "people/g.md",
                "name: Gus\ncadence: 7d\nlast_contact: 2024-06-10",
            ),
            person(
                "people/h.md",
                "name: Hal\ncadence: 7d\nlast_contact: 2024-07-01",
            ),
        ];
        let mut v = Vault::default();
        v.meeting("2024-05-01", &["Ann"], &[], &[], 0) // due 05-31: overdue
            .meeting("2024-05-20", &["Bob"], &[], &[], 0) // due 06-19: soon
            .meeting("2024-05-16", &["Cy"], &[], &[], 0) // due 06-15 = as-of: soon
            .meeting("2024-06-14", &["Eve", "Zed"], &[], &[], 0)
            .meeting("2024-06-30", &["Dee"], &[], &[], 0); // after as-of: no contact
        let net = v.network(people);
        let opts = Opts::new(d("2024-06-15"));
        let got = contacts(&net, &opts);
        let by_name = |n: &str| got[net.lookup(n).unwrap() as usize];
        assert_eq!(by_name("Ann").warmth, Warmth::Overdue);
        assert_eq!(by_name("Bob").warmth, Warmth::DueSoon);
        assert_eq!(by_name("Cy").warmth, Warmth::DueSoon);
        // Never met by the as-of date, but a meeting is planned.
        assert_eq!(by_name("Dee").warmth, Warmth::Planned);
        assert_eq!(by_name("Dee").next_due, Some(d("2024-06-15")));
        assert_eq!(by_name("Eve").warmth, Warmth::NoCadence);
        assert_eq!(by_name("Zed").warmth, Warmth::NoCadence);
        assert_eq!(by_name("Fay").warmth, Warmth::NeverMet);
        assert_eq!(by_name("Fay").next_due, None);
        assert_eq!(by_name("Gus").warmth, Warmth::DueSoon);
        // A last_contact in the future is not a contact.
        assert_eq!(by_name("Hal").warmth, Warmth::NeverMet);

        // The checklist lists exactly the overdue and never-contacted
        // people with a cadence.
        let c = compute(&net, Default::default(), &Default::default(), &opts);
        let mut listed: Vec<(String, bool)> = c
            .keep_in_touch
            .iter()
            .map(|k| (k.name.clone(), k.overdue_by_days.is_some()))
            .collect();
        listed.sort();
        let planned: Vec<&str> = c.planned.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(planned, vec!["Dee"]);
        let mut ours: Vec<(String, bool)> = (0..net.people.len() as PersonId)
            .filter(|id| net.fields(*id).cadence_days.is_some())
            .filter_map(|id| match got[id as usize].warmth {
                Warmth::Overdue => Some((net.name(id).to_string(), true)),
                Warmth::NeverMet => Some((net.name(id).to_string(), false)),
                _ => None,
            })
            .collect();
        ours.sort();
        assert_eq!(listed, ours);
    }
}
