//! `rapport person NAME --timeline`: everything about one person in date
//! order — meetings past and planned, notes that mention them, tasks with
//! their due dates, the dates that matter and how we met.
//!
//! Built from the [`Profile`] the index already answered, so it costs
//! nothing more than `person`, plus reading the few notes whose line is
//! wanted.

use chrono::NaiveDate;
use serde::Serialize;

use super::Profile;

/// What a timeline entry is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, PartialOrd, Ord)]
#[serde(rename_all = "lowercase")]
pub enum EntryKind {
    /// How we met.
    Met,
    /// A birthday or another date from their note.
    Date,
    /// A meeting they attended (or will).
    Meeting,
    /// A note that links to them.
    Mention,
    /// An open task that involves them (dated by its due date).
    Task,
}

impl EntryKind {
    /// The lower-case name printed.
    pub fn as_str(self) -> &'static str {
        match self {
            EntryKind::Met => "met",
            EntryKind::Date => "date",
            EntryKind::Meeting => "meeting",
            EntryKind::Mention => "mention",
            EntryKind::Task => "task",
        }
    }
}

/// One entry.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct TimelineItem {
    /// When (`None`: an undated task, listed last).
    pub date: Option<NaiveDate>,
    /// What.
    pub kind: EntryKind,
    /// Title, task text, or what the date is.
    pub title: String,
    /// The note it comes from.
    pub path: Option<String>,
    /// The line in that note, when known.
    pub line: Option<usize>,
}

/// The timeline of a profile. `line_of(path, needles)` gives the first line
/// of a note with one of `needles` (ignoring case): anywhere in the line for
/// a link (`[[Ada`), at its start for a field (`met:`); `today` places dates without a year.
pub fn build(
    p: &Profile,
    today: NaiveDate,
    line_of: &dyn Fn(&str, &[String]) -> Option<usize>,
) -> Vec<TimelineItem> {
    let mut out = Vec::new();
    let own = p.path.clone();
    let own_line = |needles: &[String]| own.as_deref().and_then(|path| line_of(path, needles));
    let r = &p.relationship;
    if let Some(s) = r.met.and_then(|m| r.met_sentence().map(|s| (m, s))) {
        out.push(TimelineItem {
            date: Some(s.0),
            kind: EntryKind::Met,
            title: s.1,
            path: own.clone(),
            line: own_line(&["met:".into(), "met :".into()]),
        });
    }
    let yearly = r
        .birthday
        .map(|b| ("birthday".to_string(), b))
        .into_iter()
        .chain(r.dates.iter().map(|d| (d.what.clone(), d.date)));
    for (what, date) in yearly {
        // A date with its year happened then; one without is shown on its
        // next occurrence.
        let Some(when) = date.full().or_else(|| date.next_on_or_after(today)) else {
            continue;
        };
        out.push(TimelineItem {
            date: Some(when),
            kind: EntryKind::Date,
            line: own_line(std::slice::from_ref(&format!("{what}:"))),
            title: what,
            path: own.clone(),
        });
    }
    // Planned meetings (after today) are kept apart in the profile; the
    // timeline shows both, the "today" marker between them.
    for m in p.upcoming.iter().chain(&p.meetings) {
        out.push(TimelineItem {
            date: m.date,
            kind: EntryKind::Meeting,
            title: m.title.clone(),
            path: Some(m.path.clone()),
            line: None,
        });
    }
    let mut keys: Vec<String> = vec![format!("[[{}", p.name)];
    if let Some(path) = &p.path {
        let stem = crate::vault::stem_of(path);
        keys.push(format!("[[{stem}"));
        keys.push(format!("[[{}", crate::vault::without_extension(path)));
    }
    keys.extend(p.aliases.iter().map(|a| format!("[[{a}")));
    for m in &p.mentions {
        out.push(TimelineItem {
            date: m.date,
            kind: EntryKind::Mention,
            title: crate::vault::stem_of(&m.path).to_string(),
            path: Some(m.path.clone()),
            line: line_of(&m.path, &keys),
        });
    }
    for t in &p.open_tasks {
        out.push(TimelineItem {
            date: t.due,
            kind: EntryKind::Task,
            title: t.text.clone(),
            path: Some(t.path.clone()),
            line: Some(t.line),
        });
    }
    out.sort_by(|a, b| {
        (a.date.is_none(), a.date, a.kind, &a.path, a.line).cmp(&(
            b.date.is_none(),
            b.date,
            b.kind,
            &b.path,
            b.line,
        ))
    });
    out
}

/// What `person --timeline --json` prints.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Timeline {
    /// Name.
    pub name: String,
    /// Their note.
    pub path: Option<String>,
    /// Entries, oldest first.
    pub timeline: Vec<TimelineItem>,
}
