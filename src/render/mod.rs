//! Output: aligned tables and reports for people, JSON for programs.
//!
//! Nothing here computes an answer; it only lays out what [`crate::query`]
//! and [`crate::followup`] return. Colour is used only on a terminal and
//! never when `NO_COLOR` is set.

pub mod checklist;
pub mod ics;
pub mod json;
pub mod relations;
pub mod safe;
pub mod wording;

use std::io::IsTerminal;

use chrono::NaiveDate;
use unicode_width::UnicodeWidthChar;

use crate::followup::Checklist;
use crate::index::{Hit, RefreshStats};
use crate::query::{MeetingRow, PersonRow, Profile};
use safe::{one_line, terminal as term};

/// How to print.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    /// ANSI colour and bold.
    pub colour: bool,
    /// Columns available.
    pub width: usize,
}

impl Style {
    /// Colour on a terminal unless `NO_COLOR`; width from `COLUMNS`, else
    /// the terminal's, else (not a terminal) 80.
    pub fn detect() -> Style {
        let tty = std::io::stdout().is_terminal();
        let colour = tty && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
        let terminal = || {
            tty.then(|| console::Term::stdout().size_checked())
                .flatten()
                .map(|(_, cols)| usize::from(cols))
        };
        let width = std::env::var("COLUMNS")
            .ok()
            .and_then(|c| c.trim().parse().ok())
            .or_else(terminal)
            .unwrap_or(80)
            // Narrower than this, nothing reads well; wrap at 40 anyway.
            .max(40);
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

/// The pieces of a string: ANSI escape sequences (which take no column)
/// and characters with their width in terminal columns (CJK and most emoji
/// take two, combining marks none).
enum Piece<'a> {
    Escape(&'a str),
    Char(char, usize),
}

fn pieces(s: &str) -> impl Iterator<Item = Piece<'_>> {
    let mut rest = s;
    std::iter::from_fn(move || {
        let c = rest.chars().next()?;
        if let Some(seq) = rest.strip_prefix("\x1b[") {
            // Up to the final byte (`m` for the colours rapport writes).
            let end = seq
                .find(|c: char| ('\x40'..='\x7e').contains(&c))
                .map_or(seq.len(), |i| i + 1);
            let (escape, after) = rest.split_at(2 + end);
            rest = after;
            return Some(Piece::Escape(escape));
        }
        rest = &rest[c.len_utf8()..];
        Some(Piece::Char(c, UnicodeWidthChar::width(c).unwrap_or(0)))
    })
}

/// Display width of a string in terminal columns, colour codes left out.
pub fn width(s: &str) -> usize {
    pieces(s)
        .map(|p| match p {
            Piece::Char(_, w) => w,
            Piece::Escape(_) => 0,
        })
        .sum()
}

/// Cuts a string to `w` columns, on a character boundary, ending with …
/// when cut (colour is reset after the cut).
pub fn truncate(s: &str, w: usize) -> String {
    if width(s) <= w {
        return s.to_string();
    }
    let mut out = String::new();
    let mut used = 0;
    let mut coloured = false;
    for p in pieces(s) {
        match p {
            Piece::Escape(e) => {
                coloured = true;
                out.push_str(e);
            }
            Piece::Char(c, cw) => {
                if used + cw + 1 > w {
                    break;
                }
                used += cw;
                out.push(c);
            }
        }
    }
    if w > 0 {
        out.push('…');
    }
    if coloured {
        out.push_str("\x1b[0m");
    }
    out
}

/// Wraps a line at spaces so that no line is wider than `w` columns;
/// lines after the first start with `indent` spaces. A word wider than a
/// line is cut on character boundaries. Colour codes take no column, and a
/// colour open at a break is closed at the line's end and opened again
/// after the indent.
pub fn wrap(text: &str, w: usize, indent: usize) -> String {
    let w = w.max(indent + 10);
    let mut out = String::with_capacity(text.len() + 16);
    let mut used = 0;
    let mut active = String::new();
    let newline = |out: &mut String, used: &mut usize, active: &str| {
        if !active.is_empty() {
            out.push_str("\x1b[0m");
        }
        out.push('\n');
        out.push_str(&" ".repeat(indent));
        out.push_str(active);
        *used = indent;
    };
    for (i, word) in text.split(' ').enumerate() {
        let ww = width(word);
        if i > 0 {
            if used + 1 + ww <= w || used <= indent && ww > w - indent {
                out.push(' ');
                used += 1;
            } else {
                newline(&mut out, &mut used, &active);
            }
        }
        for p in pieces(word) {
            match p {
                Piece::Escape(e) => {
                    if e == "\x1b[0m" {
                        active.clear();
                    } else {
                        active.push_str(e);
                    }
                    out.push_str(e);
                }
                Piece::Char(c, cw) => {
                    if used + cw > w {
                        newline(&mut out, &mut used, &active);
                    }
                    out.push(c);
                    used += cw;
                }
            }
        }
    }
    out
}

/// A title without the date it starts with, when that date is shown beside
/// it: a meeting titled by its file name (`2026-09-15 Lunch with Ada`)
/// would otherwise print `2026-09-15  2026-09-15 Lunch with Ada`. A title
/// that is only the date stays as it is.
pub fn title_after_date(title: &str, date: Option<NaiveDate>) -> &str {
    let Some(d) = date else { return title };
    match title.strip_prefix(d.to_string().as_str()) {
        Some(rest) => {
            let rest = rest.trim_start_matches([' ', '-', '_', ':', '·', '—', '–']);
            if rest.is_empty() || rest.len() == title.len() - 10 {
                // Only the date, or a date running on into more digits.
                title
            } else {
                rest
            }
        }
        None => title,
    }
}

/// An aligned table that fits `style.width` columns: the widest columns
/// shrink first, and cut cells end with "…".
pub fn table(style: &Style, header: &[&str], rows: &[Vec<String>]) -> String {
    // Cells hold note text: defuse control characters before measuring, so
    // cutting a cell can never cut an escape sequence.
    let rows: Vec<Vec<String>> = rows
        .iter()
        .map(|r| r.iter().map(|c| term(c).into_owned()).collect())
        .collect();
    let rows = &rows;
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
    let mut out = String::new();
    // Writing into a String cannot fail.
    let _ = write_refresh_stats(&mut out, stats);
    out
}

/// Writes the `rapport index` summary.
pub fn write_refresh_stats(
    out: &mut impl std::fmt::Write,
    stats: &RefreshStats,
) -> std::fmt::Result {
    writeln!(
        out,
        "{} scanned, {} added, {} updated, {} removed, {} unchanged, {} problems in {} ms",
        stats.scanned,
        stats.added,
        stats.updated,
        stats.removed,
        stats.unchanged,
        stats.problems.len(),
        stats.elapsed_ms
    )?;
    for p in &stats.problems {
        writeln!(out, "{}", problem_line(&p.path, p.line, &p.message))?;
    }
    Ok(())
}

/// `path:line: message`, the format editors jump to.
pub fn problem_line(path: &str, line: Option<usize>, message: &str) -> String {
    let (path, message) = (term(path), term(message));
    match line {
        Some(l) => format!("{path}:{l}: {message}"),
        None => format!("{path}: {message}"),
    }
}

/// Search hits.
pub fn hits(style: &Style, hits: &[Hit]) -> String {
    let mut out = String::new();
    // Writing into a String cannot fail.
    let _ = write_hits(&mut out, style, hits);
    out
}

/// Writes search hits.
pub fn write_hits(out: &mut impl std::fmt::Write, style: &Style, hits: &[Hit]) -> std::fmt::Result {
    for h in hits {
        let when = h.date.map(|d| format!("  {d}")).unwrap_or_default();
        // Note text is defused first, so wrapping and cutting only ever
        // see the colour codes rapport writes itself.
        let head = format!(
            "{}  {}{}",
            style.bold(&term(title_after_date(&h.title, h.date))),
            style.dim(&format!("{} · {}", h.kind, term(&h.path))),
            when
        );
        writeln!(out, "{}", wrap(&head, style.width, 4))?;
        let snippet = term(&h.snippet);
        let snippet = if style.colour {
            let mut s = String::new();
            for (i, part) in snippet.split("**").enumerate() {
                s.push_str(&if i % 2 == 1 {
                    style.bold(part)
                } else {
                    part.to_string()
                });
            }
            s
        } else {
            snippet.into_owned()
        };
        if !snippet.is_empty() {
            // At most two lines of it.
            let wrapped = wrap(&format!("    {snippet}"), style.width, 4);
            let many = wrapped.lines().count() > 2;
            for (i, line) in wrapped.lines().take(2).enumerate() {
                if i == 1 && many {
                    writeln!(out, "{}", truncate(&format!("{line} …"), style.width))?;
                } else {
                    writeln!(out, "{line}")?;
                }
            }
        }
    }
    Ok(())
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
                date(r.next_meeting),
                r.projects.join(", "),
            ]
        })
        .collect();
    table(
        style,
        &["NAME", "ORG / TEAM", "MET", "LAST MET", "NEXT", "PROJECTS"],
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
                title_after_date(&m.title, m.date).to_string(),
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
    // Writing into a String cannot fail.
    let _ = write_profile(&mut out, style, p, today);
    out
}

/// Writes a `rapport person` profile. Note text is defused with
/// [`term`] before it is wrapped or cut.
pub fn write_profile(
    out: &mut impl std::fmt::Write,
    style: &Style,
    p: &Profile,
    today: NaiveDate,
) -> std::fmt::Result {
    let w = style.width;
    writeln!(out, "{}", wrap(&style.bold(&term(&p.name)), w, 2))?;
    let mut fields: Vec<(&str, String)> = Vec::new();
    let mut field = |k: &'static str, v: String| fields.push((k, v));
    field(
        "note",
        p.path
            .as_deref()
            .map_or_else(|| "(no person note)".into(), |x| term(x).into_owned()),
    );
    field("aliases", term(&p.aliases.join(", ")).into_owned());
    field(
        "email",
        term(p.email.as_deref().unwrap_or_default()).into_owned(),
    );
    field(
        "org",
        term(p.org.as_deref().unwrap_or_default()).into_owned(),
    );
    field(
        "team",
        term(p.team.as_deref().unwrap_or_default()).into_owned(),
    );
    field(
        "relation",
        p.relation
            .map(|r| r.as_str().to_string())
            .unwrap_or_default(),
    );
    field("tags", term(&p.tags.join(", ")).into_owned());
    field("interests", term(&p.interests.join(", ")).into_owned());
    field(
        "last contact",
        p.last_contact
            .map(|d| format!("{d} ({} ago)", wording::days((today - d).num_days())))
            .unwrap_or_else(|| "never".into()),
    );
    if let Some(c) = p.cadence_days {
        let due = p.next_contact_due.map(|d| {
            if d < today {
                style.red(&format!(
                    "{d} (overdue by {})",
                    wording::days((today - d).num_days())
                ))
            } else {
                d.to_string()
            }
        });
        field(
            "keep in touch",
            format!(
                "{}, next due {}",
                wording::every(c),
                due.unwrap_or_default()
            ),
        );
    }
    for (k, v) in fields.iter().filter(|(_, v)| !v.is_empty()) {
        let line = format!("  {:<15}{}", format!("{k}:"), v);
        writeln!(out, "{}", wrap(&line, w, 17))?;
    }
    relations::write_relationship(out, &p.relationship)?;
    if !p.upcoming.is_empty() {
        writeln!(out, "\n{} ({})", style.bold("Upcoming"), p.upcoming.len())?;
    }
    // Upcoming and past meetings alike: one line each, the title without
    // the date printed beside it, cut with … at the terminal's width.
    for (i, m) in p.upcoming.iter().chain(&p.meetings).enumerate() {
        if i == p.upcoming.len() {
            writeln!(out, "\n{} ({})", style.bold("Meetings"), p.meetings.len())?;
        }
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
            term(title_after_date(&m.title, m.date)),
            if extra.is_empty() {
                String::new()
            } else {
                format!(" — {}", term(&extra.join(" · ")))
            }
        );
        writeln!(out, "{}", truncate(&one_line(&line), w))?;
    }
    if p.meetings.is_empty() {
        writeln!(out, "\n{} (0)\n  none", style.bold("Meetings"))?;
    }
    if !p.mentions.is_empty() {
        writeln!(out, "\n{} ({})", style.bold("Mentions"), p.mentions.len())?;
        for m in &p.mentions {
            let line = format!("  {}  {}", date(m.date), term(&m.path));
            writeln!(out, "{}", truncate(&line, w))?;
        }
    }
    writeln!(
        out,
        "\n{} ({})",
        style.bold("Open tasks"),
        p.open_tasks.len()
    )?;
    if p.open_tasks.is_empty() {
        writeln!(out, "  none")?;
    }
    for task in &p.open_tasks {
        let due = task.due.map(|d| format!(" (due {d})")).unwrap_or_default();
        let line = format!(
            "  [ ] {}{}  {}",
            term(&task.text),
            due,
            style.dim(&format!("{}:{}", term(&task.path), task.line))
        );
        writeln!(out, "{}", wrap(&line, w, 6))?;
    }
    Ok(())
}

/// The checklist as JSON: what `serde_json`'s pretty printer writes, with
/// the open tasks (most of it in a large vault) written on two threads (see
/// [`json::write_list`]). The tasks are lent back to `c` after.
pub fn checklist_json(w: &mut dyn std::io::Write, c: &mut Checklist) -> std::io::Result<()> {
    let tasks = std::mem::take(&mut c.tasks);
    let list: json::ListWriter = Box::new(|w| tasks.write_json(w, 1));
    let written = json::with_lists(w, &*c, vec![("tasks", list)]);
    c.tasks = tasks;
    if !written? {
        serde_json::to_writer_pretty(w, &*c)?;
    }
    Ok(())
}

/// A profile as JSON: what `serde_json`'s pretty printer writes, with its
/// meetings, mentions and open tasks (thousands each for someone met
/// often) written on two threads.
pub fn profile_json(w: &mut dyn std::io::Write, p: &mut Profile) -> std::io::Result<()> {
    let meetings = std::mem::take(&mut p.meetings);
    let mentions = std::mem::take(&mut p.mentions);
    let tasks = std::mem::take(&mut p.open_tasks);
    let lists = vec![
        ("meetings", json::by_hand(&meetings)),
        ("mentions", json::by_hand(&mentions)),
        ("open_tasks", json::by_hand(&tasks)),
    ];
    let written = json::with_lists(w, &*p, lists);
    p.meetings = meetings;
    p.mentions = mentions;
    p.open_tasks = tasks;
    if !written? {
        serde_json::to_writer_pretty(w, &*p)?;
    }
    Ok(())
}

// A profile's lists, field for field as their `Serialize` writes them (a
// test holds them equal).
impl json::ByHand for crate::query::TimelineMeeting {
    fn fields(&self, o: &mut json::Object) {
        o.date("date", self.date);
        o.str("title", &self.title);
        o.str("path", &self.path);
        o.str_list("projects", self.projects.iter().map(String::as_str));
        o.str_list("with", self.with.iter().map(String::as_str));
    }
}

impl json::ByHand for crate::query::Mention {
    fn fields(&self, o: &mut json::Object) {
        o.date("date", self.date);
        o.str("path", &self.path);
    }
}

impl json::ByHand for crate::query::OpenTask {
    fn fields(&self, o: &mut json::Object) {
        o.str("text", &self.text);
        o.date("due", self.due);
        o.str("path", &self.path);
        o.uint("line", self.line as u64);
    }
}

/// The follow-up report for the terminal.
pub fn checklist(style: &Style, c: &Checklist) -> String {
    let mut out = String::new();
    // Writing into a String cannot fail.
    let _ = write_checklist(&mut out, style, c);
    out
}

/// Writes the follow-up report for the terminal; the words come from
/// [`wording`], shared with the Markdown file.
pub fn write_checklist(
    out: &mut impl std::fmt::Write,
    style: &Style,
    c: &Checklist,
) -> std::fmt::Result {
    use wording::Section;
    writeln!(
        out,
        "{}",
        style.bold(&format!("Follow-ups as of {}", c.as_of))
    )?;
    // Every line is wrapped to the terminal: items hang under their text,
    // context under its label. Note text is defused with `term` first.
    let w = style.width;
    for section in Section::ALL {
        let n = section.len(c);
        writeln!(out, "\n{} ({n})", style.bold(section.title()))?;
        if n == 0 {
            writeln!(out, "{}", wrap(&format!("  {}", section.empty(c)), w, 2))?;
        }
        match section {
            Section::Tasks => {
                for t in &c.tasks {
                    let due = match t.due {
                        Some(d) if t.overdue => style.red(&format!(" — overdue since {d}")),
                        Some(d) => format!(" — due {d}"),
                        None => String::new(),
                    };
                    let people = if t.people.is_empty() {
                        String::new()
                    } else {
                        format!(" — {}", term(&t.people.join(", ")))
                    };
                    let item = format!("  [ ] {}{}{}", term(&t.text), due, people);
                    writeln!(out, "{}", wrap(&item, w, 6))?;
                    let source = format!(
                        "      {}",
                        style.dim(&format!(
                            "{} ({}) {}:{}",
                            term(title_after_date(&t.note_title, t.note_date)),
                            date(t.note_date),
                            term(&t.path),
                            t.line
                        ))
                    );
                    writeln!(out, "{}", wrap(&source, w, 6))?;
                }
                if let Some(line) = wording::other_tasks(c) {
                    writeln!(out, "{}", wrap(&format!("  {line}"), w, 2))?;
                }
            }
            Section::KeepInTouch => {
                for k in &c.keep_in_touch {
                    let item = format!(
                        "  [ ] {} — {}",
                        style.bold(&term(&k.name)),
                        wording::keep_in_touch(k)
                    );
                    writeln!(out, "{}", wrap(&item, w, 6))?;
                    let mut context = |line: String| writeln!(out, "{}", wrap(&line, w, 8));
                    if let Some(m) = &k.context.last_meeting {
                        context(format!(
                            "      last met: {} ({})",
                            term(title_after_date(&m.title, m.date)),
                            date(m.date)
                        ))?;
                    }
                    if !k.context.projects.is_empty() {
                        context(format!(
                            "      projects: {}",
                            term(&k.context.projects.join(", "))
                        ))?;
                    }
                    for t in &k.context.open_tasks {
                        context(format!("      open: {}", term(t)))?;
                    }
                    if !k.context.interests.is_empty() {
                        context(format!(
                            "      interests: {}",
                            term(&k.context.interests.join(", "))
                        ))?;
                    }
                }
                for p in &c.planned {
                    let line = format!(
                        "      {} — planned: {} {}",
                        style.bold(&term(&one_line(&p.name))),
                        date(p.meeting.date),
                        term(&one_line(title_after_date(
                            &p.meeting.title,
                            p.meeting.date
                        )))
                    );
                    writeln!(out, "{}", wrap(&line, w, 8))?;
                }
            }
            Section::ComingUp => {
                for item in &c.coming_up {
                    writeln!(
                        out,
                        "  [ ] {} — {}",
                        style.bold(&term(&item.name)),
                        term(&wording::coming_up(item))
                    )?;
                }
            }
            Section::Unfollowed => {
                for m in &c.unfollowed_meetings {
                    let item = format!("  [ ] {}", term(&unfollowed_sentence(m)));
                    writeln!(out, "{}", wrap(&item, w, 6))?;
                    writeln!(
                        out,
                        "{}",
                        wrap(&format!("      {}", style.dim(&term(&m.path))), w, 6)
                    )?;
                }
            }
            Section::Reciprocity => {
                for r in &c.reciprocity {
                    let item = format!(
                        "  [ ] {} — {}",
                        style.bold(&term(&r.name)),
                        wording::asks_gives(r)
                    );
                    writeln!(out, "{}", wrap(&item, w, 6))?;
                }
            }
            Section::QuietTeams => {
                for t in &c.quiet_teams {
                    let item = format!(
                        "  [ ] {} — {} ({})",
                        style.bold(&term(&t.team)),
                        wording::team_since(t),
                        term(&t.people.join(", "))
                    );
                    writeln!(out, "{}", wrap(&item, w, 6))?;
                }
            }
        }
    }
    if let Some(line) = wording::snoozed(&c.snoozed) {
        writeln!(out, "\n{}", term(&line))?;
    }
    Ok(())
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
        format!(
            "\"{}\"{when}{about} has no next step written down",
            title_after_date(&m.title, m.date)
        )
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
    fn profile_json_is_serdes() {
        use crate::query::{Mention, OpenTask, TimelineMeeting};
        // Text that looks like the JSON around it, control characters,
        // dates past 9999 and none, empty lists and long ones.
        let trick = "\n  \"meetings\": [],\n\u{1b}[31m<b>\\";
        let day = |y, d| NaiveDate::from_ymd_opt(y, 1, d);
        for n in [0usize, 2, 3000] {
            let meeting = |i: usize| TimelineMeeting {
                date: if i.is_multiple_of(5) {
                    None
                } else {
                    day(2026, 1 + (i % 28) as u32)
                },
                title: format!("{trick}{i}"),
                path: format!("m/é {i}.md"),
                projects: (0..i % 3).map(|k| format!("P{k}\t")).collect(),
                with: (0..i % 4).map(|k| format!("{trick}{k}")).collect(),
            };
            let mut p = Profile {
                name: trick.into(),
                path: Some("people/ada.md".into()),
                aliases: vec![trick.into()],
                email: None,
                org: Some("\"Org\"".into()),
                team: None,
                relation: None,
                tags: Vec::new(),
                cadence_days: Some(30),
                last_contact: day(2026, 3),
                next_contact_due: day(10_001, 2),
                interests: vec!["jazz".into()],
                meetings: (0..n).map(meeting).collect(),
                upcoming: vec![meeting(1)],
                mentions: (0..n)
                    .map(|i| Mention {
                        // Past 9999 chrono writes the year signed.
                        date: day(if i % 3 == 1 { 10_000 } else { 2025 }, 4),
                        path: format!("{trick}{i}.md"),
                    })
                    .collect(),
                open_tasks: (0..n / 2)
                    .map(|i| OpenTask {
                        text: format!("call {trick}"),
                        due: i.is_multiple_of(2).then(|| day(2026, 9)).flatten(),
                        path: format!("t/{i}.md"),
                        line: usize::MAX - i,
                    })
                    .collect(),
                relationship: Default::default(),
            };
            let serde = serde_json::to_string_pretty(&p).unwrap_or_default();
            let mut out = Vec::new();
            assert!(profile_json(&mut out, &mut p).is_ok());
            assert_eq!(String::from_utf8_lossy(&out), serde, "{n} meetings");
            // The lists are lent back.
            assert_eq!((p.meetings.len(), p.open_tasks.len()), (n, n / 2));
        }
    }

    #[test]
    fn checklist_json_is_serdes() {
        use crate::followup::{Reciprocity, TaskItem};
        use crate::vault::TaskStatus;
        for n in [0, 3, 5000] {
            let mut c = Checklist {
                as_of: NaiveDate::from_ymd_opt(2026, 11, 27).unwrap_or_default(),
                other_open_tasks: 7,
                reciprocity: vec![Reciprocity {
                    id: "r".into(),
                    name: "\"tasks\": [] <b>Ada</b>\n  \"tasks\": []".into(),
                    path: None,
                    asks: 2,
                    gives: 0,
                }],
                ..Default::default()
            };
            for i in 0..n {
                c.tasks.push(TaskItem {
                    id: format!("{i:012x}"),
                    text: format!("\n  \"tasks\": [] {i}"),
                    status: TaskStatus::Open,
                    due: None,
                    overdue: i % 3 == 0,
                    path: format!("m/{i}.md"),
                    line: i,
                    note_title: "\u{1b}[31mred".into(),
                    note_date: NaiveDate::from_ymd_opt(2026, 1, 2),
                    people: vec!["Ada".into(), format!("P{}", i % 7)],
                });
            }
            let mut out = Vec::new();
            assert!(checklist_json(&mut out, &mut c).is_ok());
            let serde = serde_json::to_string_pretty(&c).unwrap_or_default();
            assert_eq!(String::from_utf8_lossy(&out), serde, "{n} tasks");
            // The tasks are lent back.
            assert_eq!(c.tasks.len(), n);
        }
    }

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
    fn widths_count_columns_not_chars() {
        assert_eq!(width("abc"), 3);
        assert_eq!(width("会議"), 4);
        assert_eq!(width("\x1b[1mbold\x1b[0m"), 4);
        assert_eq!(truncate("会議会議", 5), "会議…");
        assert_eq!(truncate("abcdef", 4), "abc…");
        assert_eq!(truncate("abc", 3), "abc");
        // Colour is closed after a cut.
        assert_eq!(truncate("\x1b[2mabcdef\x1b[0m", 4), "\x1b[2mabc…\x1b[0m");
    }

    #[test]
    fn wrapping_hangs_under_the_indent_and_keeps_every_word() {
        let text = "  [ ] send the revised proration examples to Priya before the board meeting";
        let out = wrap(text, 40, 6);
        for line in out.lines() {
            assert!(width(line) <= 40, "{line}");
        }
        assert!(
            out.lines().skip(1).all(|l| l.starts_with("      ")),
            "{out}"
        );
        let words: Vec<&str> = out.split_whitespace().collect();
        assert_eq!(words, text.split_whitespace().collect::<Vec<_>>());
        // A word wider than a line is cut on character boundaries.
        let out = wrap(&format!("  {}", "会".repeat(40)), 40, 4);
        assert!(out.lines().all(|l| width(l) <= 40), "{out}");
        assert_eq!(out.chars().filter(|c| *c == '会').count(), 40);
        // A colour open at a break is closed and opened again.
        let out = wrap(&format!("ab \x1b[2m{}\x1b[0m", "word ".repeat(12)), 20, 2);
        for line in out.lines().skip(1) {
            assert!(line.starts_with("  \x1b[2m"), "{line:?}");
        }
        assert!(out.lines().next().unwrap().ends_with("\x1b[0m"), "{out:?}");
    }

    #[test]
    fn titles_do_not_repeat_the_date_beside_them() {
        let d = NaiveDate::from_ymd_opt(2026, 9, 15);
        assert_eq!(
            title_after_date("2026-09-15 Lunch with Ada", d),
            "Lunch with Ada"
        );
        assert_eq!(title_after_date("2026-09-15 - Lunch", d), "Lunch");
        assert_eq!(title_after_date("2026-09-15", d), "2026-09-15");
        assert_eq!(title_after_date("2026-09-150", d), "2026-09-150");
        assert_eq!(title_after_date("2026-09-16 Lunch", d), "2026-09-16 Lunch");
        assert_eq!(
            title_after_date("2026-09-15 Lunch", None),
            "2026-09-15 Lunch"
        );
    }

    #[test]
    fn wide_names_align_and_cut_whole_characters() {
        let rows = vec![
            vec!["山田太郎".to_string(), "x".into()],
            vec!["Ada 🚀".to_string(), "y".into()],
            vec!["Zoë".to_string(), "z".into()],
        ];
        let t = table(&Style::plain(), &["NAME", "N"], &rows);
        // Every second column starts at the same display column.
        let starts: Vec<usize> = t
            .lines()
            .map(|l| {
                let cell = l.rsplit("  ").next().unwrap();
                width(&l[..l.len() - cell.len()])
            })
            .collect();
        assert!(starts.windows(2).all(|w| w[0] == w[1]), "{t}\n{starts:?}");
        assert_eq!(width("山田太郎"), 8);
        // A cut never splits a character and never exceeds the width.
        for w in 1..10 {
            let cut = truncate("山田太郎です", w);
            assert!(width(&cut) <= w, "{w}: {cut}");
            assert!(cut.ends_with('…'));
        }
        assert_eq!(truncate("山田太郎です", 4), "山…");
        assert_eq!(truncate("Zoë Smith", 4), "Zoë…");
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
