//! Output: aligned tables and reports for people, JSON for programs.
//!
//! Nothing here computes an answer; it only lays out what [`crate::query`]
//! and [`crate::followup`] return. Colour is used only on a terminal and
//! never when `NO_COLOR` is set.

pub mod checklist;
pub mod ics;
pub mod relations;

use std::fmt::Write as _;
use std::io::IsTerminal;

use chrono::NaiveDate;

use crate::followup::Checklist;
use crate::index::{Hit, RefreshStats};
use crate::query::{MeetingRow, PersonRow, Profile};

/// How to print.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    /// ANSI colour and bold.
    pub colour: bool,
    /// Columns available.
    pub width: usize,
}

impl Style {
    /// Colour on a terminal unless `NO_COLOR`; width from `COLUMNS`, else 80.
    pub fn detect() -> Style {
        let colour = std::io::stdout().is_terminal()
            && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
        let width = std::env::var("COLUMNS")
            .ok()
            .and_then(|c| c.parse().ok())
            .filter(|w| *w >= 40)
            .unwrap_or(80);
        Style { colour, width }
    }

    /// Plain text, 80 columns.
    pub fn plain() -> Style {
        Style {
            colour: false,
            width: 80,
        }
    }

    fn paint(&self, code: &str, s: &str) -> String {
        if self.colour {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    }
    /// Bold.
    pub fn bold(&self, s: &str) -> String {
        self.paint("1", s)
    }
    /// Dimmed.
    pub fn dim(&self, s: &str) -> String {
        self.paint("2", s)
    }
    /// Red, for overdue.
    pub fn red(&self, s: &str) -> String {
        self.paint("31", s)
    }
}

/// Display width of a string, counting each char as one column (wide
/// characters are rare in names; this keeps the table code simple).
fn width(s: &str) -> usize {
    s.chars().count()
}

/// Cuts a cell to `w` columns, ending with … when cut.
pub fn truncate(s: &str, w: usize) -> String {
    if width(s) <= w {
        return s.to_string();
    }
    if w == 0 {
        return String::new();
    }
    let mut out: String = s.chars().take(w - 1).collect();
    out.push('…');
    out
}

/// An aligned table that fits `style.width` columns: the widest columns
/// shrink first, and cut cells end with "…".
pub fn table(style: &Style, header: &[&str], rows: &[Vec<String>]) -> String {
    let n = header.len();
    let mut widths: Vec<usize> = header.iter().map(|h| width(h)).collect();
    for r in rows {
        for (i, c) in r.iter().enumerate().take(n) {
            widths[i] = widths[i].max(width(c));
        }
    }
    let gap = 2;
    let budget = style.width.saturating_sub(gap * (n.saturating_sub(1)));
    while widths.iter().sum::<usize>() > budget {
        let (i, w) = widths
            .iter()
            .enumerate()
            .max_by_key(|(_, w)| **w)
            .map(|(i, w)| (i, *w))
            .unwrap_or((0, 0));
        if w <= 4 {
            break;
        }
        widths[i] = w - 1;
    }
    let mut out = String::new();
    let line = |cells: Vec<String>, bold: bool, out: &mut String| {
        let mut l = String::new();
        for (i, c) in cells.iter().enumerate() {
            let cell = truncate(c, widths[i]);
            let pad = widths[i] - width(&cell);
            let last = i + 1 == n;
            let shown = if bold { style.bold(&cell) } else { cell };
            l.push_str(&shown);
            if !last {
                l.push_str(&" ".repeat(pad + gap));
            }
        }
        out.push_str(l.trim_end());
        out.push('\n');
    };
    line(
        header.iter().map(|h| h.to_string()).collect(),
        true,
        &mut out,
    );
    for r in rows {
        line(r.clone(), false, &mut out);
    }
    out
}

fn date(d: Option<NaiveDate>) -> String {
    d.map_or_else(|| "—".to_string(), |d| d.to_string())
}

/// `rapport index` summary.
pub fn refresh_stats(stats: &RefreshStats) -> String {
    let mut out = format!(
        "{} scanned, {} added, {} updated, {} removed, {} unchanged, {} problems in {} ms\n",
        stats.scanned,
        stats.added,
        stats.updated,
        stats.removed,
        stats.unchanged,
        stats.problems.len(),
        stats.elapsed_ms
    );
    for p in &stats.problems {
        let _ = writeln!(out, "{}", problem_line(&p.path, p.line, &p.message));
    }
    out
}

/// `path:line: message`, the format editors jump to.
pub fn problem_line(path: &str, line: Option<usize>, message: &str) -> String {
    match line {
        Some(l) => format!("{path}:{l}: {message}"),
        None => format!("{path}: {message}"),
    }
}

/// Search hits.
pub fn hits(style: &Style, hits: &[Hit]) -> String {
    let mut out = String::new();
    for h in hits {
        let when = h.date.map(|d| format!("  {d}")).unwrap_or_default();
        let _ = writeln!(
            out,
            "{}  {}{}",
            style.bold(&h.title),
            style.dim(&format!("{} · {}", h.kind, h.path)),
            when
        );
        let snippet = if style.colour {
            let mut s = String::new();
            for (i, part) in h.snippet.split("**").enumerate() {
                s.push_str(&if i % 2 == 1 {
                    style.bold(part)
                } else {
                    part.to_string()
                });
            }
            s
        } else {
            h.snippet.clone()
        };
        if !snippet.is_empty() {
            let _ = writeln!(
                out,
                "    {}",
                truncate(&snippet, style.width.saturating_sub(4).max(40) * 2)
            );
        }
    }
    out
}

/// `rapport people` table.
pub fn people(style: &Style, rows: &[PersonRow]) -> String {
    let cells: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            let org = match (&r.org, &r.team) {
                (Some(o), Some(t)) => format!("{o} / {t}"),
                (Some(o), None) => o.clone(),
                (None, Some(t)) => t.clone(),
                (None, None) => {
                    if r.path.is_none() {
                        "(no note)".into()
                    } else {
                        String::new()
                    }
                }
            };
            vec![
                r.name.clone(),
                org,
                r.meetings.to_string(),
                date(r.last_met),
                r.projects.join(", "),
            ]
        })
        .collect();
    table(
        style,
        &["NAME", "ORG / TEAM", "MET", "LAST MET", "PROJECTS"],
        &cells,
    )
}

/// `rapport meetings` table.
pub fn meetings(style: &Style, rows: &[MeetingRow]) -> String {
    let cells: Vec<Vec<String>> = rows
        .iter()
        .map(|m| {
            vec![
                date(m.date),
                m.title.clone(),
                m.attendees.join(", "),
                m.projects.join(", "),
            ]
        })
        .collect();
    table(style, &["DATE", "TITLE", "WITH", "PROJECTS"], &cells)
}

/// `rapport person` profile.
pub fn profile(style: &Style, p: &Profile, today: NaiveDate) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}", style.bold(&p.name));
    let mut field = |k: &str, v: String| {
        if !v.is_empty() {
            let _ = writeln!(out, "  {:<15}{}", format!("{k}:"), v);
        }
    };
    field(
        "note",
        p.path.clone().unwrap_or_else(|| "(no person note)".into()),
    );
    field("aliases", p.aliases.join(", "));
    field("email", p.email.clone().unwrap_or_default());
    field("org", p.org.clone().unwrap_or_default());
    field("team", p.team.clone().unwrap_or_default());
    field(
        "relation",
        p.relation
            .map(|r| r.as_str().to_string())
            .unwrap_or_default(),
    );
    field("tags", p.tags.join(", "));
    field("interests", p.interests.join(", "));
    field(
        "last contact",
        p.last_contact
            .map(|d| format!("{d} ({} days ago)", (today - d).num_days()))
            .unwrap_or_else(|| "never".into()),
    );
    if let Some(c) = p.cadence_days {
        let due = p.next_contact_due.map(|d| {
            if d < today {
                style.red(&format!("{d} (overdue by {} days)", (today - d).num_days()))
            } else {
                d.to_string()
            }
        });
        field(
            "keep in touch",
            format!("every {c} days, next due {}", due.unwrap_or_default()),
        );
    }
    out.push_str(&relations::relationship(&p.relationship));
    let _ = writeln!(out, "\n{} ({})", style.bold("Meetings"), p.meetings.len());
    if p.meetings.is_empty() {
        let _ = writeln!(out, "  none");
    }
    for m in &p.meetings {
        let mut extra = Vec::new();
        if !m.projects.is_empty() {
            extra.push(m.projects.join(", "));
        }
        if !m.with.is_empty() {
            extra.push(format!("with {}", m.with.join(", ")));
        }
        let line = format!(
            "  {}  {}{}",
            date(m.date),
            m.title,
            if extra.is_empty() {
                String::new()
            } else {
                format!(" — {}", extra.join(" · "))
            }
        );
        let _ = writeln!(out, "{}", truncate(&line, style.width));
    }
    if !p.mentions.is_empty() {
        let _ = writeln!(out, "\n{} ({})", style.bold("Mentions"), p.mentions.len());
        for m in &p.mentions {
            let _ = writeln!(out, "  {}  {}", date(m.date), m.path);
        }
    }
    let _ = writeln!(
        out,
        "\n{} ({})",
        style.bold("Open tasks"),
        p.open_tasks.len()
    );
    if p.open_tasks.is_empty() {
        let _ = writeln!(out, "  none");
    }
    for t in &p.open_tasks {
        let due = t.due.map(|d| format!(" (due {d})")).unwrap_or_default();
        let _ = writeln!(
            out,
            "  [ ] {}{}  {}",
            t.text,
            due,
            style.dim(&format!("{}:{}", t.path, t.line))
        );
    }
    out
}

/// The follow-up report for the terminal.
pub fn checklist(style: &Style, c: &Checklist) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}",
        style.bold(&format!("Follow-ups as of {}", c.as_of))
    );
    let section = |out: &mut String, title: &str, n: usize, empty: &str| {
        let _ = writeln!(out, "\n{} ({n})", style.bold(title));
        if n == 0 {
            let _ = writeln!(out, "  {empty}");
        }
    };
    section(&mut out, "Open tasks", c.tasks.len(), "No open tasks.");
    for t in &c.tasks {
        let due = match t.due {
            Some(d) if t.overdue => style.red(&format!(" — overdue since {d}")),
            Some(d) => format!(" — due {d}"),
            None => String::new(),
        };
        let people = if t.people.is_empty() {
            String::new()
        } else {
            format!(" — {}", t.people.join(", "))
        };
        let _ = writeln!(out, "  [ ] {}{}{}", t.text, due, people);
        let _ = writeln!(
            out,
            "      {}",
            style.dim(&format!(
                "{} ({}) {}:{}",
                t.note_title,
                date(t.note_date),
                t.path,
                t.line
            ))
        );
    }
    section(
        &mut out,
        "Keep in touch",
        c.keep_in_touch.len(),
        "Nobody is due for a keep-in-touch.",
    );
    for k in &c.keep_in_touch {
        let when = match (k.last_contact, k.overdue_by_days) {
            (Some(l), Some(o)) => format!(
                "last contact {l}, {o} days overdue (every {} days)",
                k.cadence_days
            ),
            _ => format!("never met (every {} days)", k.cadence_days),
        };
        let _ = writeln!(out, "  [ ] {} — {}", style.bold(&k.name), when);
        if let Some(m) = &k.context.last_meeting {
            let _ = writeln!(out, "      last met: {} ({})", m.title, date(m.date));
        }
        if !k.context.projects.is_empty() {
            let _ = writeln!(out, "      projects: {}", k.context.projects.join(", "));
        }
        for t in &k.context.open_tasks {
            let _ = writeln!(out, "      open: {t}");
        }
        if !k.context.interests.is_empty() {
            let _ = writeln!(out, "      interests: {}", k.context.interests.join(", "));
        }
    }
    out.push_str(&relations::coming_up_section(style, c));
    section(
        &mut out,
        "Meetings without a follow-up",
        c.unfollowed_meetings.len(),
        "Every recent meeting has a next step.",
    );
    for m in &c.unfollowed_meetings {
        let _ = writeln!(out, "  [ ] {}", unfollowed_sentence(m));
        let _ = writeln!(out, "      {}", style.dim(&m.path));
    }
    section(
        &mut out,
        "Give before you ask",
        c.reciprocity.len(),
        "No one you asked more of than you gave.",
    );
    for r in &c.reciprocity {
        let _ = writeln!(
            out,
            "  [ ] {} — {} asks, {} gives",
            style.bold(&r.name),
            r.asks,
            r.gives
        );
    }
    section(
        &mut out,
        "Internal network",
        c.quiet_teams.len(),
        "Every internal team was met in the last 90 days.",
    );
    for t in &c.quiet_teams {
        let since = t
            .last_met
            .map_or_else(|| "never met".to_string(), |d| format!("last met {d}"));
        let _ = writeln!(
            out,
            "  [ ] {} — {} ({})",
            style.bold(&t.team),
            since,
            t.people.join(", ")
        );
    }
    out.push_str(&relations::snoozed_footer(c));
    out
}

/// "You met Bob and Ada on 2026-11-20 about Project X and wrote down no next step".
pub fn unfollowed_sentence(m: &crate::followup::Unfollowed) -> String {
    let when = m.date.map(|d| format!(" on {d}")).unwrap_or_default();
    let about = if m.projects.is_empty() {
        String::new()
    } else {
        format!(" about {}", join_and(&m.projects))
    };
    if m.attendees.is_empty() {
        format!("\"{}\"{when}{about} has no next step written down", m.title)
    } else {
        format!(
            "You met {}{when}{about} and wrote down no next step",
            join_and(&m.attendees)
        )
    }
}

fn join_and(items: &[String]) -> String {
    match items.len() {
        0 => String::new(),
        1 => items[0].clone(),
        n => format!("{} and {}", items[..n - 1].join(", "), items[n - 1]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_fit_and_truncate() {
        let rows = vec![vec![
            "A very long name that goes on and on".to_string(),
            "x".repeat(100),
            "3".into(),
        ]];
        let t = table(&Style::plain(), &["NAME", "ORG", "N"], &rows);
        for line in t.lines() {
            assert!(line.chars().count() <= 80, "{line}");
        }
        assert!(t.contains('…'));
        assert!(t.lines().nth(1).unwrap().ends_with('3'));
    }

    #[test]
    fn sentences() {
        assert_eq!(join_and(&["Bob".into(), "Ada".into()]), "Bob and Ada");
        assert_eq!(
            join_and(&["A".into(), "B".into(), "C".into()]),
            "A, B and C"
        );
    }
}
