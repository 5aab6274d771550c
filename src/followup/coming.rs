//! The dates that matter coming up (birthdays, anniversaries, any date in a
//! person's `dates` map), and the people whose keep-in-touch is snoozed.
//!
//! A snooze hides a reminder, and a hidden reminder is easily forgotten for
//! good, so the checklist names every snoozed person it left out.

use std::collections::HashMap;

use chrono::NaiveDate;
use serde::Serialize;

use super::{KeepInTouch, stable_id};
use crate::query::Network;
use crate::vault::Note;

/// A date that matters, within the next `--ahead` days.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ComingUp {
    /// Stable id (for ticks in the checklist file).
    #[serde(skip)]
    pub id: String,
    /// The person's name.
    pub name: String,
    /// Their note.
    pub path: String,
    /// What the date is (`birthday`, `anniversary`, `joined Acme`…).
    pub what: String,
    /// The next occurrence, on or after the as-of date.
    pub date: NaiveDate,
    /// How many years it will be, when the year is known.
    pub years: Option<i32>,
    /// Days from the as-of date.
    pub in_days: i64,
}

/// Someone whose keep-in-touch is due but snoozed.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Snoozed {
    /// Name.
    pub name: String,
    /// Their note.
    pub path: Option<String>,
    /// The reminder comes back on this date.
    pub until: NaiveDate,
}

/// Every yearly date of the person notes falling within `ahead_days` of
/// the as-of date (that day included), soonest first.
pub fn coming_up(people: &[Note], as_of: NaiveDate, ahead_days: u32) -> Vec<ComingUp> {
    let mut out = Vec::new();
    for note in people {
        let Some(p) = &note.person else { continue };
        for named in p.personal.yearly() {
            let Some(next) = named.date.next_on_or_after(as_of) else {
                continue;
            };
            let in_days = (next - as_of).num_days();
            if in_days > ahead_days as i64 {
                continue;
            }
            // A date whose year is still ahead (a wedding planned for next
            // June) has no anniversary yet.
            let years = named.date.years_at(next);
            if years.is_some_and(|y| y < 0) {
                continue;
            }
            out.push(ComingUp {
                id: stable_id(&["coming-up", &note.path, &named.what, &next.to_string()]),
                name: note.title.clone(),
                path: note.path.clone(),
                what: named.what,
                date: next,
                years,
                in_days,
            });
        }
    }
    out.sort_by(|a, b| {
        (a.date, a.name.to_lowercase(), &a.what).cmp(&(b.date, b.name.to_lowercase(), &b.what))
    });
    out
}

/// Takes out of `due` everyone snoozed past the as-of date; returns them,
/// earliest return first.
pub fn take_snoozed(net: &Network, due: &mut Vec<KeepInTouch>, as_of: NaiveDate) -> Vec<Snoozed> {
    let until: HashMap<&str, NaiveDate> = net
        .people
        .iter()
        .filter_map(|n| {
            let s = n.person.as_ref()?.personal.snooze?;
            (s > as_of).then_some((n.path.as_str(), s))
        })
        .collect();
    if until.is_empty() {
        return Vec::new();
    }
    let mut out = Vec::new();
    due.retain(|k| match k.path.as_deref().and_then(|p| until.get(p)) {
        Some(u) => {
            out.push(Snoozed {
                name: k.name.clone(),
                path: k.path.clone(),
                until: *u,
            });
            false
        }
        None => true,
    });
    out.sort_by_key(|s| (s.until, s.name.to_lowercase()));
    out
}
