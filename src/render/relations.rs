//! Output for relationship memory: the Coming up section and the snoozed
//! line of the checklist, the relationship lines of a profile, the
//! timeline, `intro` and `orgs`.
//!
//! Every value here comes from a note, so each goes through
//! [`one_line`] (terminal) or [`md`] (the Markdown checklist): a name with a
//! newline, `## Notes` or `<!-- id -->` in it stays text.

use std::fmt::Write as _;

use chrono::NaiveDate;

use super::{Style, table, truncate};
use crate::followup::{Checklist, ComingUp, snoozed_line};
use crate::query::intro::Intro;
use crate::query::orgs::OrgRow;
use crate::query::relationship::Relationship;
use crate::query::timeline::TimelineItem;
use crate::vault::personal::one_line;

/// Markdown-safe inline text: one line, with Markdown and HTML punctuation
/// escaped.
pub fn md(s: &str) -> String {
    let mut out = String::new();
    for c in one_line(s).chars() {
        if "\\`*_[]<>#|!~&".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Like [`md`] but leaving `[` and `]` to the link that wraps the text
/// (which escapes them itself).
fn md_label(s: &str) -> String {
    let mut out = String::new();
    for c in one_line(s).chars() {
        if "\\`*_<>#|!~&".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// "birthday (38 years) on 2026-12-03, in 7 days".
pub fn coming_up_sentence(c: &ComingUp) -> String {
    let years = c
        .years
        .map(|y| format!(" ({y} {})", if y == 1 { "year" } else { "years" }))
        .unwrap_or_default();
    let when = match c.in_days {
        0 => "today".to_string(),
        1 => "tomorrow".to_string(),
        n => format!("in {n} days"),
    };
    format!("{}{years} on {}, {when}", one_line(&c.what), c.date)
}

/// The terminal's Coming up section.
pub fn coming_up_section(style: &Style, c: &Checklist) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "\n{} ({})", style.bold("Coming up"), c.coming_up.len());
    if c.coming_up.is_empty() {
        let _ = writeln!(out, "  No birthdays or other dates coming up.");
    }
    for item in &c.coming_up {
        let _ = writeln!(
            out,
            "  [ ] {} — {}",
            style.bold(&one_line(&item.name)),
            coming_up_sentence(item)
        );
    }
    out
}

/// The closing line about snoozed people (empty when nobody is).
pub fn snoozed_footer(c: &Checklist) -> String {
    snoozed_line(&c.snoozed)
        .map(|l| format!("\n{l}\n"))
        .unwrap_or_default()
}

/// The Coming up section of the checklist file; `link` makes a Markdown
/// link to a person note and `tick` the item's box.
pub fn coming_up_markdown(
    c: &Checklist,
    link: &dyn Fn(&str, &str) -> String,
    tick: &dyn Fn(&str) -> &'static str,
) -> String {
    let mut out = String::from("\n## Coming up\n\n");
    if c.coming_up.is_empty() {
        out.push_str("No birthdays or other dates coming up.\n");
    }
    for item in &c.coming_up {
        let _ = writeln!(
            out,
            "{} {} — {} <!-- id:{} -->",
            tick(&item.id),
            link(&md_label(&item.name), &item.path),
            md(&coming_up_sentence(item)),
            item.id
        );
    }
    out
}

/// The snoozed line of the checklist file.
pub fn snoozed_markdown(c: &Checklist) -> String {
    snoozed_line(&c.snoozed)
        .map(|l| format!("\n{}\n", md(&l)))
        .unwrap_or_default()
}

/// The relationship lines of a profile: dates, how we met, introductions.
pub fn relationship(r: &Relationship) -> String {
    let mut out = String::new();
    let mut field = |k: &str, v: String| {
        if !v.is_empty() {
            let _ = writeln!(out, "  {:<15}{}", format!("{k}:"), v);
        }
    };
    if let Some(b) = &r.birthday {
        field("birthday", b.to_string());
    }
    for d in &r.dates {
        field(&one_line(&d.what), d.date.to_string());
    }
    if let Some(s) = r.met_sentence() {
        field("met", one_line(&s));
    }
    if !r.introduced.is_empty() {
        field(
            "introduced",
            r.introduced
                .iter()
                .map(|p| one_line(&p.name))
                .collect::<Vec<_>>()
                .join(", "),
        );
    }
    if let Some(s) = r.snooze {
        field("snoozed until", s.to_string());
    }
    out
}

/// `rapport person NAME --timeline`.
pub fn timeline(style: &Style, name: &str, items: &[TimelineItem], today: NaiveDate) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}", style.bold(&one_line(name)));
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
            (Some(p), Some(l)) => format!("  {}", style.dim(&format!("{p}:{l}"))),
            (Some(p), None) => format!("  {}", style.dim(p)),
            _ => String::new(),
        };
        let line = format!(
            "  {}  {:<8} {}",
            t.date
                .map_or_else(|| "undated   ".to_string(), |d| d.to_string()),
            t.kind.as_str(),
            one_line(&t.title),
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
        let _ = writeln!(out, "{}", style.bold(&one_line(&it.target.name)));
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
                    one_line(&v.name),
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
                one_line(&r.org),
                r.people.len().to_string(),
                r.recent_meetings.to_string(),
                match (&r.last_contact, &r.last_contact_with) {
                    (Some(d), Some(w)) => format!("{d} ({})", one_line(w)),
                    (Some(d), None) => d.to_string(),
                    _ => "never".into(),
                },
                r.open_tasks.to_string(),
                r.due_keep_in_touch
                    .iter()
                    .map(|d| one_line(d))
                    .collect::<Vec<_>>()
                    .join(", "),
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
    fn markdown_text_cannot_become_structure() {
        let s = md("x\n## Notes\n- [ ] <!-- id:abc --> [[y]]");
        assert!(!s.contains('\n'));
        assert!(!s.contains("<!--"));
        assert!(!s.contains("[["));
        assert!(s.contains("\\#\\# Notes"));
    }
}
