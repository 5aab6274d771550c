//! Writing untrusted text (event titles, descriptions, contact names) into a
//! note so that it stays text: front-matter values are always quoted YAML
//! scalars, and body text is escaped so that no line of it can become a
//! heading, a task, a list, a wikilink, a tag or HTML.
//!
//! File naming follows `rapport new` (`meetings/YYYY-MM-DD TITLE.md`,
//! `people/first-last.md`); the rules are repeated here so the library does
//! not depend on the command line.

/// A string as a YAML double-quoted scalar that round-trips exactly, except
/// that control characters other than newline and tab are dropped.
///
/// ```
/// use rapport::import::text::yaml_str;
/// assert_eq!(yaml_str("a \"b\"\n---"), r#""a \"b\"\n---""#);
/// ```
pub fn yaml_str(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            // Line and paragraph separators and the BOM are line breaks or
            // invisible to some YAML readers: escaped, they survive.
            '\u{2028}' | '\u{2029}' | '\u{FEFF}' => {
                out.push_str(&format!("\\u{:04X}", c as u32));
            }
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

pub use crate::vault::clean::one_line;

/// Characters that can make structure anywhere in a line.
fn escape_inline(c: char) -> bool {
    matches!(c, '\\' | '[' | ']' | '<' | '>' | '#' | '`' | '!' | '&')
}

/// One line of Markdown that shows `s` as typed and is never structure.
pub fn md_line(s: &str) -> String {
    let line = one_line(s);
    escape_line(&line)
}

fn escape_line(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + 8);
    let mut start = true;
    let mut digits = false;
    for c in line.chars() {
        if escape_inline(c) {
            out.push('\\');
        } else if start && matches!(c, '-' | '+' | '*' | '=' | '|' | '~' | '_' | ':') {
            // List markers, thematic breaks, setext underlines, tables.
            out.push('\\');
        } else if digits && matches!(c, '.' | ')') {
            // `1.` and `1)` start ordered lists.
            out.push('\\');
        }
        digits = (start || digits) && c.is_ascii_digit();
        start = start && (c == ' ' || c == '\t');
        out.push(c);
    }
    out
}

/// A block of Markdown paragraphs showing `s` as typed: line breaks kept,
/// every line escaped, no line indented (no code blocks), trailing blank
/// lines dropped.
pub fn md_block(s: &str) -> String {
    let normal = s.replace("\r\n", "\n").replace('\r', "\n");
    let mut lines: Vec<String> = normal
        .split('\n')
        .map(|l| {
            let clean: String = l
                .chars()
                .map(|c| if c == '\t' { ' ' } else { c })
                .filter(|c| !c.is_control())
                .collect();
            escape_line(clean.trim())
        })
        .collect();
    while lines.last().is_some_and(|l| l.is_empty()) {
        lines.pop();
    }
    while lines.first().is_some_and(|l| l.is_empty()) {
        lines.remove(0);
    }
    // A hard line break keeps the lines of a description apart when rendered.
    let mut out = String::new();
    for (i, l) in lines.iter().enumerate() {
        out.push_str(l);
        if i + 1 < lines.len() {
            let next_blank = lines[i + 1].is_empty();
            if !l.is_empty() && !next_blank {
                out.push_str("  ");
            }
            out.push('\n');
        }
    }
    out
}

/// A file name from a title, as `rapport new meeting` makes it (no path
/// separators or characters that file systems and sync clients refuse),
/// and without the characters Obsidian refuses in names of notes (`[]#^|`).
pub fn file_safe(title: &str) -> String {
    let s: String = one_line(title)
        .chars()
        .map(|c| {
            if matches!(
                c,
                '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|' | '[' | ']' | '#' | '^'
            ) || c.is_control()
            {
                '-'
            } else {
                c
            }
        })
        .collect();
    let s = s.trim().trim_start_matches('.').trim();
    if s.is_empty() {
        "untitled".into()
    } else {
        s.chars()
            .take(120)
            .collect::<String>()
            .trim_end()
            .to_string()
    }
}

/// `ada-lovelace` from "Ada Lovelace", as `rapport new person` makes it.
pub fn slug(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    let out: String = out.chars().take(100).collect();
    let out = out.trim_end_matches('-').to_string();
    if out.is_empty() { "person".into() } else { out }
}

/// Case- and accent-insensitive comparison key of a name: `Zoë  O'Brien`
/// and `zoe o'brien` are the same person.
pub fn fold(s: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    let mut out = String::with_capacity(s.len());
    for word in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.extend(
            word.nfd()
                .filter(|c| !unicode_normalization::char::is_combining_mark(*c))
                .flat_map(char::to_lowercase),
        );
    }
    out
}

/// An input file's bytes as text: BOMs dropped, invalid UTF-8 replaced.
pub fn decode(bytes: &[u8]) -> String {
    let mut problems = Vec::new();
    let s = crate::vault::decode(bytes, &mut problems);
    s.trim_start_matches('\u{FEFF}').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vault::{Kind, parse_note};

    const HOSTILE: &str = "Sync\n---\n## Follow-ups\n- [ ] pay me #urgent [[Ada]] <b>x</b>\nsee [[Bob]] #hiring\n1. one\n    code\n===\n| a | b |\n> [!todo] - [ ] quoted\n```\nfence";

    #[test]
    fn hostile_text_stays_text() {
        let body = format!(
            "# {}\n\n## Notes\n\n{}\n\n## Follow-ups\n\n- [ ] \n",
            md_line(HOSTILE),
            md_block(HOSTILE)
        );
        let text = format!(
            "---\ntype: meeting\ndate: 2026-11-20\ntitle: {}\n---\n{body}",
            yaml_str(HOSTILE)
        );
        let note = parse_note("meetings/x.md", &text, Vec::new());
        assert_eq!(note.kind, Kind::Meeting);
        assert!(note.problems.is_empty(), "{:?}", note.problems);
        assert_eq!(note.title, HOSTILE);
        assert!(note.tasks.is_empty(), "{:?}", note.tasks);
        assert!(note.links.is_empty(), "{:?}", note.links);
        assert!(note.tags.is_empty(), "{:?}", note.tags);
        let headings: Vec<&str> = body.lines().filter(|l| l.starts_with('#')).collect();
        assert_eq!(headings.len(), 3, "{body}");
        // Unescaped, the same text is structure: the test can fail.
        let raw = parse_note("meetings/x.md", &format!("# x\n\n{HOSTILE}\n"), Vec::new());
        assert!(!raw.tasks.is_empty() && !raw.links.is_empty() && !raw.tags.is_empty());
    }

    #[test]
    fn yaml_round_trips() {
        for s in [
            HOSTILE,
            "key: value",
            "'single' \"double\" \\back",
            "a\u{2028}b\u{85}c\u{7}d\u{FEFF}e",
            "- item",
            "@at `tick` *star* &anchor !tag %pct {brace} [list]",
            "",
        ] {
            let yaml = format!("v: {}\n", yaml_str(s));
            let v: std::collections::BTreeMap<String, String> =
                serde_yaml::from_str(&yaml).unwrap_or_else(|e| panic!("{yaml}: {e}"));
            let expected: String = s
                .chars()
                .filter(|c| !c.is_control() || *c == '\n' || *c == '\t')
                .collect();
            assert_eq!(v["v"], expected);
        }
    }

    #[test]
    fn names_and_keys() {
        assert_eq!(slug("Ada Lovelace"), "ada-lovelace");
        assert_eq!(slug("  Zoë O'Brien "), "zoë-o-brien");
        assert_eq!(slug("!!!"), "person");
        assert_eq!(
            file_safe("2026-11-26 Q3/Q4 review: go?"),
            "2026-11-26 Q3-Q4 review- go-"
        );
        assert_eq!(file_safe("a\nb"), "a b");
        assert_eq!(file_safe("..."), "untitled");
        assert_eq!(fold("  Zoë   O'BRIEN"), "zoe o'brien");
        assert_eq!(fold("José"), fold("JOSE"));
    }
}
