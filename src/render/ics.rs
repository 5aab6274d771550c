//! An iCalendar (RFC 5545) file of what is due: one VTODO per dated open
//! task, per keep-in-touch that is due, per keep-in-touch falling due
//! within the window ahead (so the calendar reminds before it is late), and
//! one yearly all-day VEVENT per date coming up (birthdays, anniversaries).
//! UIDs are stable, so importing the file again updates the entries instead
//! of duplicating them. Every SUMMARY is clean text: no wikilinks, no date
//! signifiers, no comments.

use std::fmt::Write as _;

use chrono::{Days, NaiveDate};

use crate::followup::{Checklist, stable_id};
use crate::vault::clean::task_text;

/// The PRODID rapport writes; a calendar with it is rapport's to overwrite.
const PRODID_PREFIX: &str = "PRODID:-//rapport//";

/// A calendar larger than this is not one rapport wrote.
const MAX_ICS: u64 = 256 << 20;

/// Whether `path` may be (over)written as rapport's calendar: it does not
/// exist, or it is, as a whole, a calendar rapport wrote — one VCALENDAR
/// whose own PRODID is rapport's. A note that quotes the PRODID, or any
/// other file, is not. Only a regular file is opened (never a link, FIFO or
/// device); the error says why a path cannot be used at all.
pub fn check_ours(path: &std::path::Path) -> Result<bool, String> {
    crate::fsutil::check_output(path).map_err(|e| e.to_string())?;
    match crate::fsutil::read_regular(path, MAX_ICS) {
        Ok(None) => Ok(true),
        Ok(Some((bytes, longer))) => Ok(!longer && is_rapport_calendar(&bytes)),
        Err(e) => Err(format!("cannot read {}: {e}", path.display())),
    }
}

/// True for bytes that parse as exactly one VCALENDAR (content lines only,
/// unfolded) whose top-level PRODID starts with rapport's.
pub fn is_rapport_calendar(bytes: &[u8]) -> bool {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return false;
    };
    // Unfold (RFC 5545 §3.1): a line starting with a space or tab continues
    // the previous one.
    let mut lines: Vec<String> = Vec::new();
    for raw in text.split('\n') {
        let raw = raw.strip_suffix('\r').unwrap_or(raw);
        if let Some(cont) = raw.strip_prefix([' ', '\t']) {
            match lines.last_mut() {
                Some(last) => last.push_str(cont),
                None => return false,
            }
        } else {
            lines.push(raw.to_string());
        }
    }
    while lines.last().is_some_and(|l| l.is_empty()) {
        lines.pop();
    }
    if lines.first().map(String::as_str) != Some("BEGIN:VCALENDAR")
        || lines.last().map(String::as_str) != Some("END:VCALENDAR")
    {
        return false;
    }
    let mut depth = 0usize;
    let mut prodid = false;
    for (i, l) in lines.iter().enumerate() {
        // Every line is a content line: NAME[;params]:value.
        let Some(colon) = l.find(':') else {
            return false;
        };
        let name = &l[..colon];
        if name.is_empty()
            || !name.chars().all(|c| {
                c.is_ascii_alphanumeric()
                    || matches!(c, '-' | ';' | '=' | '"' | ',' | '/' | '.' | ' ' | '_')
            })
        {
            return false;
        }
        if l.starts_with("BEGIN:") {
            depth += 1;
        } else if l.starts_with("END:") {
            depth = match depth.checked_sub(1) {
                Some(d) => d,
                None => return false,
            };
            // Exactly one calendar: nothing after its END.
            if depth == 0 && i + 1 != lines.len() {
                return false;
            }
        } else if depth == 1 && l.starts_with(PRODID_PREFIX) {
            prodid = true;
        }
    }
    depth == 0 && prodid
}

/// Escapes a TEXT value (RFC 5545 §3.3.11). TEXT holds no control
/// characters: a newline is written as `\n`, any other control character as
/// a space.
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c if c.is_control() || ('\u{80}'..='\u{9f}').contains(&c) => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// Folds a content line at 75 octets, never inside a UTF-8 character
/// (RFC 5545 §3.1; vCard's RFC 6350 §3.2 folds the same way, so
/// [`crate::export`] uses this too). Some readers trim the end of each
/// physical line, so a space never ends one: it starts the next.
pub(crate) fn fold(line: &str, out: &mut String) {
    let mut width = 0;
    for c in line.chars() {
        let n = c.len_utf8();
        if width + n > 75 {
            // The line has a character here already (75 octets hold one).
            if out.ends_with(' ') {
                out.pop();
                out.push_str("\r\n  ");
                width = 2;
            } else {
                out.push_str("\r\n ");
                width = 1;
            }
        }
        out.push(c);
        width += n;
    }
    out.push_str("\r\n");
}

fn ymd(d: NaiveDate) -> String {
    d.format("%Y%m%d").to_string()
}

/// Renders the calendar.
pub fn render(c: &Checklist) -> String {
    let mut lines: Vec<String> = vec![
        "BEGIN:VCALENDAR".into(),
        "VERSION:2.0".into(),
        format!(
            "PRODID:-//rapport//rapport {}//EN",
            env!("CARGO_PKG_VERSION")
        ),
        "CALSCALE:GREGORIAN".into(),
    ];
    let stamp = format!("DTSTAMP:{}T000000Z", ymd(c.as_of));
    let mut todo = |uid: String, summary: String, due: NaiveDate, description: String| {
        lines.push("BEGIN:VTODO".into());
        lines.push(format!("UID:{uid}@rapport"));
        lines.push(stamp.clone());
        lines.push(format!("SUMMARY:{}", escape(&task_text(&summary))));
        lines.push(format!("DUE;VALUE=DATE:{}", ymd(due)));
        lines.push(format!("DESCRIPTION:{}", escape(&description)));
        lines.push("STATUS:NEEDS-ACTION".into());
        lines.push("END:VTODO".into());
    };
    for t in &c.tasks {
        if let Some(due) = t.due {
            let mut desc = format!("{} ({}:{})", t.note_title, t.path, t.line);
            if !t.people.is_empty() {
                let _ = write!(desc, "\nWith {}", t.people.join(", "));
            }
            todo(format!("task-{}", t.id), t.text.clone(), due, desc);
        }
    }
    for k in c.keep_in_touch.iter().chain(&c.keep_in_touch_ahead) {
        let due = k
            .last_contact
            .and_then(|l| l.checked_add_days(Days::new(k.cadence_days as u64)))
            .unwrap_or(c.as_of);
        let key = k.path.clone().unwrap_or_else(|| k.name.clone());
        let mut desc = format!("Every {} days.", k.cadence_days);
        if let Some(m) = &k.context.last_meeting {
            let _ = write!(
                desc,
                "\nLast met: {} ({})",
                m.title,
                m.date.map(|d| d.to_string()).unwrap_or_default()
            );
        }
        if !k.context.projects.is_empty() {
            let _ = write!(desc, "\nProjects: {}", k.context.projects.join(", "));
        }
        if !k.context.interests.is_empty() {
            let _ = write!(desc, "\nInterests: {}", k.context.interests.join(", "));
        }
        todo(
            format!("keep-in-touch-{}", stable_id(&["keep-in-touch", &key])),
            format!("Keep in touch with {}", k.name),
            due,
            desc,
        );
    }
    coming_up_events(c, &stamp, &mut lines);
    lines.push("END:VCALENDAR".into());
    let mut out = String::new();
    for l in lines {
        fold(&l, &mut out);
    }
    out
}

/// Each date coming up as an all-day event recurring yearly, with a
/// reminder the day before.
fn coming_up_events(c: &Checklist, stamp: &str, lines: &mut Vec<String>) {
    for item in &c.coming_up {
        // The UID leaves out the year so that next year's file updates the
        // same recurring event.
        let uid = stable_id(&["coming-up", &item.path, &item.what]);
        let summary = format!(
            "{}: {}",
            super::safe::one_line(&item.name),
            super::safe::one_line(&item.what)
        );
        let end = item.date.succ_opt().unwrap_or(item.date);
        lines.push("BEGIN:VEVENT".into());
        lines.push(format!("UID:coming-up-{uid}@rapport"));
        lines.push(stamp.to_string());
        lines.push(format!("DTSTART;VALUE=DATE:{}", ymd(item.date)));
        lines.push(format!("DTEND;VALUE=DATE:{}", ymd(end)));
        lines.push("RRULE:FREQ=YEARLY".into());
        lines.push(format!("SUMMARY:{}", escape(&summary)));
        lines.push(format!("DESCRIPTION:{}", escape(&item.path)));
        lines.push("TRANSP:TRANSPARENT".into());
        lines.push("BEGIN:VALARM".into());
        lines.push("ACTION:DISPLAY".into());
        lines.push("TRIGGER:-P1D".into());
        lines.push(format!("DESCRIPTION:{}", escape(&summary)));
        lines.push("END:VALARM".into());
        lines.push("END:VEVENT".into());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_and_escaping() {
        let mut out = String::new();
        fold(&format!("SUMMARY:{}", "é".repeat(60)), &mut out);
        for l in out.split("\r\n") {
            assert!(l.len() <= 75, "{l}");
        }
        assert_eq!(escape("a,b;c\\d\ne"), "a\\,b\\;c\\\\d\\ne");
    }
}
