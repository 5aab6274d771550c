//! What `person` shows of a relationship beyond meetings: the dates that
//! matter, how we met and who introduced whom.
//!
//! An introduction is written once, on the person introduced
//! (`introduced_by: "[[Ruth]]"`); the introducer's profile finds it by
//! resolving every person's `introduced_by`, so nobody has to keep two
//! notes in step.

use chrono::NaiveDate;
use serde::Serialize;

use super::{Network, PersonId};
use crate::vault::personal::{NamedDate, PartialDate};

/// A person as shown in an answer: the name, and the note when there is one.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct PersonRef {
    /// Name (or the reference as written, for nobody's note).
    pub name: String,
    /// Their note.
    pub path: Option<String>,
}

/// The relationship part of a profile.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct Relationship {
    /// Birthday (`--MM-DD` when the year is unknown).
    pub birthday: Option<PartialDate>,
    /// Other dates that matter.
    pub dates: Vec<NamedDate>,
    /// When we first met, as written.
    pub met: Option<NaiveDate>,
    /// The first meeting in the vault with them.
    pub first_meeting: Option<NaiveDate>,
    /// How we met.
    pub how_we_met: Option<String>,
    /// Who introduced us.
    pub introduced_by: Option<PersonRef>,
    /// The people they introduced me to.
    pub introduced: Vec<PersonRef>,
    /// Keep-in-touch snoozed until.
    pub snooze: Option<NaiveDate>,
}

impl Relationship {
    /// "Met 2019-05-01 at PyCon Berlin, introduced by Ruth Adeyemi"; with
    /// no `met`, the first meeting stands in ("first meeting 2026-06-11").
    pub fn met_sentence(&self) -> Option<String> {
        let mut s = match (self.met, self.first_meeting) {
            (Some(m), _) => format!("Met {m}"),
            (None, Some(f)) => format!("first meeting {f}"),
            (None, None) if self.how_we_met.is_some() || self.introduced_by.is_some() => {
                "Met".to_string()
            }
            _ => return None,
        };
        if let Some(how) = &self.how_we_met {
            let lower = how.to_lowercase();
            let joined = [
                "at ", "in ", "on ", "through ", "via ", "during ", "when ", "by ",
            ]
            .iter()
            .any(|p| lower.starts_with(p));
            s.push_str(if joined { " " } else { " at " });
            s.push_str(how);
        }
        if let Some(by) = &self.introduced_by {
            s.push_str(", introduced by ");
            s.push_str(&by.name);
        }
        Some(s)
    }
}

/// Who a person's `introduced_by` names: a person note, or the text as
/// written when it names nobody.
pub fn introducer(net: &Network, id: PersonId) -> Option<PersonRef> {
    let reference = net.fields(id).personal.introduced_by?;
    Some(match known(net, &reference) {
        Some(by) => PersonRef {
            name: net.name(by).to_string(),
            path: net.note(by).map(|n| n.path.clone()),
        },
        None => PersonRef {
            name: reference,
            path: None,
        },
    })
}

/// The relationship fields of a person note, borrowed.
pub fn personal(net: &Network, id: PersonId) -> Option<&crate::vault::personal::Personal> {
    net.note(id)?.person.as_ref().map(|p| &p.personal)
}

/// The person note a reference resolves to (never someone known only by name).
pub fn known(net: &Network, reference: &str) -> Option<PersonId> {
    net.lookup(reference)
        .filter(|id| (*id as usize) < net.people.len())
}

/// Everyone whose `introduced_by` resolves to `id`, by name.
pub fn introduced_by(net: &Network, id: PersonId) -> Vec<PersonId> {
    let mut out: Vec<PersonId> = (0..net.people.len() as PersonId)
        .filter(|p| *p != id)
        .filter(|p| {
            personal(net, *p)
                .and_then(|x| x.introduced_by.as_deref())
                .is_some_and(|r| known(net, r) == Some(id))
        })
        .collect();
    out.sort_by_key(|p| net.name(*p).to_lowercase());
    out
}

/// The relationship part of `id`'s profile on `today`: a meeting planned
/// after today is not when we met.
pub fn of(net: &Network, id: PersonId, today: NaiveDate) -> Relationship {
    let p = net.fields(id).personal;
    let first_meeting = net
        .meetings
        .iter()
        .filter(|m| m.attendees.contains(&id))
        .filter_map(|m| m.date)
        .filter(|d| *d <= today)
        .min();
    Relationship {
        birthday: p.birthday,
        dates: p.dates,
        met: p.met,
        first_meeting,
        how_we_met: p.how_we_met,
        introduced_by: introducer(net, id),
        introduced: introduced_by(net, id)
            .into_iter()
            .map(|i| PersonRef {
                name: net.name(i).to_string(),
                path: net.note(i).map(|n| n.path.clone()),
            })
            .collect(),
        snooze: p.snooze,
    }
}
