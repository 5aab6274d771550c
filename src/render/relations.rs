//! Output for relationship memory: the relationship lines of a profile,
//! the timeline, `intro` and `orgs`. (The checklist's Coming up section and
//! snoozed line are written by the two checklist renderers, in the words of
//! [`super::wording`].)
//!
//! Every value here comes from a note, so each goes through
//! [`safe::terminal`] (tables do it themselves): a name with a newline or an
//! escape sequence is shown, never acted on.

use std::fmt::Write as _;

use chrono::NaiveDate;

use super::safe::{self, terminal as term};
use super::{Style, table, truncate};
use crate::query::intro::Intro;
use crate::query::orgs::OrgRow;
use crate::query::relationship::Relationship;
use crate::query::timeline::TimelineItem;

/// Writes the relationship lines of a profile: dates, how we met,
/// introductions, snooze.
pub fn write_relationship(out: &mut impl std::fmt::Write, r: &Relationship) -> std::fmt::Result {
    let mut field = |k: &str, v: &str| -> std::fmt::Result {
        if v.is_empty() {
            return Ok(());
        }
        writeln!(
            out,
            "  {:<15}{}",
            format!("{}:", term(&safe::one_line(k))),
            term(v)
        )
    };
    if let Some(b) = &r.birthday {
        field("birthday", &b.to_string())?;
    }
    for d in &r.dates {
        field(&d.what, &d.date.to_string())?;
    }
    if let Some(s) = r.met_sentence() {
        field("met", &safe::one_line(&s))?;
    }
    if !r.introduced.is_empty() {
        let names: Vec<&str> = r.introduced.iter().map(|p| p.name.as_str()).collect();
        field("introduced", &safe::one_line(&names.join(", ")))?;
    }
    if let Some(s) = r.snooze {
        field("snoozed until", &s.to_string())?;
    }
    Ok(())
}

/// `rapport person NAME --timeline`.
pub fn timeline(style: &Style, name: &str, items: &[TimelineItem], today: NaiveDate) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}", style.bold(&term(&safe::one_line(name))));
    if items.is_empty() {
        let _ = writeln!(out, "  nothing dated yet");
    }
    let mut marked_today = false;
    for t in items {
        if !marked_today && t.date.is_some_and(|d| d > today) {
            let _ = writeln!(out, "  {}", style.dim(&format!("── today, {today} ──")));
            marked_today = true;
        }
        let place = match (&t.path, t.line) {
            (Some(p), Some(l)) => format!("  {}", style.dim(&format!("{}:{l}", term(p)))),
            (Some(p), None) => format!("  {}", style.dim(&term(p))),
            _ => String::new(),
        };
        let line = format!(
            "  {}  {:<8} {}",
            t.date
                .map_or_else(|| "undated   ".to_string(), |d| d.to_string()),
            t.kind.as_str(),
            term(&safe::one_line(&t.title)),
        );
        let _ = writeln!(out, "{}{place}", truncate(&line, style.width));
    }
    out
}

/// `rapport intro`.
pub fn intro(style: &Style, intros: &[Intro]) -> String {
    let mut out = String::new();
    for (i, it) in intros.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let _ = writeln!(
            out,
            "{}",
            style.bold(&term(&safe::one_line(&it.target.name)))
        );
        if it.direct {
            let _ = writeln!(out, "  you know them directly");
            continue;
        }
        if it.via.is_empty() {
            let _ = writeln!(out, "  nobody you know is connected to them in your notes");
            continue;
        }
        let rows: Vec<Vec<String>> = it
            .via
            .iter()
            .map(|v| {
                vec![
                    v.name.clone(),
                    v.shared_meetings.to_string(),
                    v.last_together.map(|d| d.to_string()).unwrap_or_default(),
                    if v.introduced {
                        "yes".into()
                    } else {
                        String::new()
                    },
                    v.my_last_contact
                        .map(|d| d.to_string())
                        .unwrap_or_else(|| "never".into()),
                ]
            })
            .collect();
        for l in table(
            style,
            &[
                "VIA",
                "SHARED",
                "LAST TOGETHER",
                "INTRODUCED",
                "MY LAST CONTACT",
            ],
            &rows,
        )
        .lines()
        {
            let _ = writeln!(out, "  {l}");
        }
    }
    out
}

/// `rapport orgs`.
pub fn orgs(style: &Style, rows: &[OrgRow]) -> String {
    let cells: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            vec![
                r.org.clone(),
                r.people.len().to_string(),
                r.recent_meetings.to_string(),
                match (&r.last_contact, &r.last_contact_with) {
                    (Some(d), Some(w)) => format!("{d} ({w})"),
                    (Some(d), None) => d.to_string(),
                    _ => "never".into(),
                },
                r.open_tasks.to_string(),
                r.due_keep_in_touch.join(", "),
            ]
        })
        .collect();
    table(
        style,
        &[
            "ORG",
            "PEOPLE",
            "MEETINGS 90D",
            "LAST CONTACT",
            "OPEN TASKS",
            "DUE",
        ],
        &cells,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relationship_lines_show_note_text_never_send_it() {
        let r = Relationship {
            introduced: vec![crate::query::relationship::PersonRef {
                name: "Eve\x1b]0;owned\x07\nmet: fake".into(),
                path: None,
            }],
            ..Default::default()
        };
        let mut out = String::new();
        write_relationship(&mut out, &r).unwrap();
        assert_eq!(out.lines().count(), 1, "{out}");
        assert!(!out.contains('\x1b') && !out.contains('\x07'), "{out}");
    }
}
