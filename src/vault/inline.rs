//! Dataview inline fields: `key:: value` on a line of its own (or a list
//! item), and `[key:: value]` or `(key:: value)` anywhere in a line. Many
//! Obsidian CRMs (the Dex template among them) keep a meeting's date and
//! participants this way instead of in front matter.
//!
//! Only the keys rapport reads for meetings are taken (date, attendees,
//! projects, and the configured extra keys), and only when the front
//! matter does not already say the same thing: front matter wins.

use serde_yaml::Value;

use super::ParseOpts;
use super::frontmatter::{Fields, norm_key, strings};

/// Every inline field of a body, as (normalised key, value, 1-based line).
/// `first_line` is the file line of the body's first line, minus one.
/// Fenced code blocks are skipped.
pub fn scan(body: &str, first_line: usize) -> Vec<(String, String, usize)> {
    let mut out = Vec::new();
    // Most notes have no field at all: one pass to find out.
    if find(body, b"::").is_none() {
        return out;
    }
    let mut fence: Option<&str> = None;
    for (i, raw) in body.lines().enumerate() {
        let line = raw.trim_start_matches([' ', '\t', '>']).trim_start();
        for mark in ["```", "~~~"] {
            if line.starts_with(mark) {
                fence = match fence {
                    None => Some(mark),
                    Some(m) if m == mark => None,
                    other => other,
                };
            }
        }
        if fence.is_some() || line.starts_with("```") || line.starts_with("~~~") {
            continue;
        }
        // A whole line can be long; inline fields live in short ones.
        if line.len() > 4096 || find(line, b"::").is_none() {
            continue;
        }
        let at = first_line + i + 1;
        let item = strip_list_marker(line);
        if let Some((key, value)) = item.split_once("::")
            && let Some(key) = valid_key(key)
        {
            out.push((key, value.trim().to_string(), at));
            continue;
        }
        bracketed(line, at, &mut out);
    }
    out
}

/// Where `needle` (whole characters) first is in `text`. `str::find` sets up
/// a two-way searcher on every call, which over a note's every line was a
/// few per cent of a full index, and `memchr::memmem::find` a searcher of
/// its own (+32 ms of processor time on a rebuild of 10,000 meetings
/// against this); this only runs memchr for the needle's first byte.
pub(super) fn find(text: &str, needle: &[u8]) -> Option<usize> {
    let (&first, rest) = needle.split_first()?;
    let bytes = text.as_bytes();
    memchr::memchr_iter(first, bytes).find(|&i| bytes[i + 1..].starts_with(rest))
}

/// `- `, `* `, `+ `, `1. ` and a task's `[ ] ` in front of a field.
fn strip_list_marker(line: &str) -> &str {
    let mut rest = line;
    if let Some(r) = rest.strip_prefix(['-', '*', '+']) {
        rest = r;
    } else {
        let digits = rest.len() - rest.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        if digits > 0 && rest[digits..].starts_with(['.', ')']) {
            rest = &rest[digits + 1..];
        }
    }
    if rest.len() == line.len() || !rest.starts_with([' ', '\t']) {
        return line;
    }
    let rest = rest.trim_start();
    match rest.strip_prefix('[') {
        Some(r) if r.chars().nth(1) == Some(']') => {
            r[r.char_indices().nth(2).map_or(r.len(), |(i, _)| i)..].trim_start()
        }
        _ => rest,
    }
}

/// A Dataview key: letters, digits, space, `-`, `_`, optionally in bold.
fn valid_key(key: &str) -> Option<String> {
    let key = key.trim().trim_matches('*').trim();
    (!key.is_empty()
        && key.len() <= 64
        && key
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, ' ' | '-' | '_')))
    .then(|| norm_key(key))
}

/// Every `[key:: value]` and `(key:: value)` of a line. The value runs to
/// the bracket that closes the opening one, so `[[links]]` inside it stay.
fn bracketed(line: &str, at: usize, out: &mut Vec<(String, String, usize)>) {
    let bytes = line.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let (open, close) = match bytes[i] {
            b'[' => (b'[', b']'),
            b'(' => (b'(', b')'),
            _ => {
                i += 1;
                continue;
            }
        };
        let start = i + 1;
        // Keys are short: look for `::` just ahead, so a line of many
        // brackets stays linear.
        let window = &line[start..line.floor_char_boundary(start + 70)];
        let Some(sep) = find(window, b"::").map(|s| start + s) else {
            i += 1;
            continue;
        };
        let Some(key) = valid_key(&line[start..sep]) else {
            i += 1;
            continue;
        };
        let mut depth = 1;
        let mut j = sep + 2;
        while j < bytes.len() {
            if bytes[j] == open {
                depth += 1;
            } else if bytes[j] == close {
                depth -= 1;
                if depth == 0 {
                    break;
                }
            }
            j += 1;
        }
        if depth != 0 {
            return;
        }
        out.push((key, line[sep + 2..j].trim().to_string(), at));
        i = j + 1;
    }
}

/// Adds the body's inline fields to `fields`, group by group: the date,
/// the attendee keys, the project keys (each with the configured extra
/// keys). A group the front matter already fills is left alone.
pub fn merge(fields: &mut Fields, body: &str, first_line: usize, opts: &ParseOpts) {
    let found = scan(body, first_line);
    if found.is_empty() {
        return;
    }
    let extra = |keys: &[String]| -> Vec<String> { keys.iter().map(|k| norm_key(k)).collect() };
    let groups: [Vec<String>; 3] = [
        vec!["date".to_string()],
        ["attendees", "people", "participants", "with"]
            .iter()
            .map(|k| k.to_string())
            .chain(extra(&opts.attendee_keys))
            .collect(),
        ["projects", "project", "topics"]
            .iter()
            .map(|k| k.to_string())
            .chain(extra(&opts.project_keys))
            .collect(),
    ];
    for group in &groups {
        let filled = group.iter().any(|k| {
            fields
                .get(k)
                .is_some_and(|v| strings(v).iter().any(|s| !s.trim().is_empty()))
        });
        if filled {
            continue;
        }
        for key in group {
            let values: Vec<Value> = found
                .iter()
                .filter(|(k, v, _)| k == key && !v.is_empty())
                .map(|(_, v, _)| Value::String(v.clone()))
                .collect();
            match values.len() {
                0 => {}
                // A date is one value: the first one written.
                _ if key == "date" => {
                    fields.insert(key.clone(), values[0].clone());
                }
                _ => {
                    fields.insert(key.clone(), Value::Sequence(values));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn find_agrees_with_str_find() {
        let texts = [
            "",
            ":",
            "::",
            "a::b",
            "a:b::c",
            ":::",
            "due: x",
            "x due:: 2026",
            "📅 2026",
            "🗓\u{fe0f} x",
            "🗓 x",
            "é::",
            "(due::)",
            "[due::",
            "d",
            "du",
            "due",
        ];
        let needles = [
            "::",
            "due:",
            "[due::",
            "(due::",
            "📅",
            "🗓\u{fe0f}",
            "🗓",
            "d",
        ];
        for t in texts {
            for n in needles {
                assert_eq!(find(t, n.as_bytes()), t.find(n), "{t:?} {n:?}");
            }
        }
    }

    fn keys(body: &str) -> Vec<(String, String)> {
        scan(body, 0).into_iter().map(|(k, v, _)| (k, v)).collect()
    }

    #[test]
    fn inline_fields_are_found() {
        let body = "## Info\n\n- [topic:: ]\n- [date::  2023-03-05 21:34  ]\n- [participants:: [[Person A]], [[Person B]] ]\nParticipants:: [[C]]\nmet (with:: Dana) today\n```\ndate:: 1999-01-01\n```\n- [ ] a task [[X]]\nplain: not a field\nhttp://x::y\n";
        assert_eq!(
            keys(body),
            vec![
                ("topic".into(), "".into()),
                ("date".into(), "2023-03-05 21:34".into()),
                ("participants".into(), "[[Person A]], [[Person B]]".into()),
                ("participants".into(), "[[C]]".into()),
                ("with".into(), "Dana".into()),
            ]
        );
        assert_eq!(scan("x\ndate:: 2023-01-02\n", 10)[0].2, 12);
    }

    #[test]
    fn front_matter_wins_by_group() {
        let mut f = Fields::new();
        f.insert("attendees".into(), Value::String("[[Ada]]".into()));
        merge(
            &mut f,
            "participants:: [[Bob]]\ndate:: 2023-03-05\nguests:: Eve\n",
            0,
            &ParseOpts {
                project_keys: vec!["guests".into()],
                ..Default::default()
            },
        );
        assert!(!f.contains_key("participants"));
        assert_eq!(f.get("date"), Some(&Value::String("2023-03-05".into())));
        assert!(f.contains_key("guests"));
    }
}
