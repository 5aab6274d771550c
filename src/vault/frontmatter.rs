//! Splitting a note into front matter and body, and reading the YAML.
//!
//! The rules are the ones editors agree on: a `---` line as the very first
//! line (after an optional BOM) opens a YAML block that a `---` or `...` line
//! closes. Anything else, including a `---` further down, is body. Keys are
//! compared loosely (`Last-Contact` = `last_contact`) because people type them
//! by hand.

use std::collections::BTreeMap;

use serde_yaml::Value;

use super::{Problem, ProblemCode};

/// Front matter larger than this is not handed to the YAML parser: nobody
/// writes that much by hand, and it bounds the parser's time and memory.
const MAX_FRONT_MATTER: usize = 256 * 1024;

/// The parts of a note's text.
#[derive(Debug, Default)]
pub struct Split<'a> {
    /// The YAML between the fences, if there is a well-formed block.
    pub yaml: Option<&'a str>,
    /// Everything after the closing fence (or the whole text).
    pub body: &'a str,
    /// 0-based line number where `body` starts in the file.
    pub body_line: usize,
}

/// Splits `text` (already without BOM) into front matter and body, reporting
/// an unclosed block or a TOML block.
pub fn split<'a>(text: &'a str, problems: &mut Vec<Problem>) -> Split<'a> {
    let whole = Split {
        yaml: None,
        body: text,
        body_line: 0,
    };
    let first_end = text.find('\n').unwrap_or(text.len());
    let first = text[..first_end].trim_end();
    if first == "+++" {
        problems.push(Problem::new(
            ProblemCode::TomlFrontMatter,
            Some(1),
            "TOML front matter (+++) is not read; the note is indexed as plain text (use YAML between --- lines)",
        ));
        return whole;
    }
    if first != "---" {
        return whole;
    }
    let mut pos = (first_end + 1).min(text.len());
    let mut line = 1;
    while pos < text.len() {
        let end = text[pos..].find('\n').map_or(text.len(), |i| pos + i);
        let l = text[pos..end].trim_end();
        if l == "---" || l == "..." {
            let body_start = (end + 1).min(text.len());
            return Split {
                yaml: Some(&text[first_end + 1..pos]),
                body: &text[body_start..],
                body_line: line + 1,
            };
        }
        pos = end + 1;
        line += 1;
    }
    problems.push(Problem::new(
        ProblemCode::FrontMatterUnclosed,
        Some(1),
        "front matter opened with --- on line 1 is never closed; the note is indexed as plain text",
    ));
    whole
}

/// Front matter keys, normalised, with their values.
pub type Fields = BTreeMap<String, Value>;

/// Normalises a key: lower case, `-` and space become `_`.
pub fn norm_key(key: &str) -> String {
    key.trim()
        .chars()
        .map(|c| {
            if c == '-' || c == ' ' {
                '_'
            } else {
                c.to_ascii_lowercase()
            }
        })
        .collect()
}

/// Parses the YAML of a front-matter block. On error the problem names the
/// line in the file (the block starts on line 2) and `None` is returned: the
/// caller then treats the note as plain text.
pub fn parse(yaml: &str, problems: &mut Vec<Problem>) -> Option<Fields> {
    if yaml.len() > MAX_FRONT_MATTER {
        problems.push(Problem::new(
            ProblemCode::FrontMatterParse,
            Some(2),
            format!("front matter is {} KiB, more than the {} KiB rapport reads; the note is indexed as plain text", yaml.len() / 1024, MAX_FRONT_MATTER / 1024),
        ));
        return None;
    }
    if yaml.trim().is_empty() {
        return Some(Fields::new());
    }
    if let Some(fields) = super::plain_yaml::parse(yaml) {
        return Some(fields);
    }
    by_yaml_parser(yaml, problems)
}

/// The fields of a front-matter block as the YAML parser reads it (what
/// [`parse`] does when the block is not of the plain shape).
pub(super) fn by_yaml_parser(yaml: &str, problems: &mut Vec<Problem>) -> Option<Fields> {
    let value: Value = match serde_yaml::from_str(yaml) {
        Ok(v) => v,
        Err(e) => {
            let (message, line) = plain_yaml_error(&e);
            problems.push(Problem::new(
                ProblemCode::FrontMatterParse,
                Some(line + 1),
                format!(
                    "front matter is not valid YAML: {message}; the note is indexed as plain text"
                ),
            ));
            return None;
        }
    };
    match value {
        Value::Mapping(map) => {
            let mut fields = Fields::new();
            for (k, v) in map {
                let key = match k {
                    Value::String(s) => s,
                    Value::Number(n) => n.to_string(),
                    Value::Bool(b) => b.to_string(),
                    _ => continue,
                };
                fields.entry(norm_key(&key)).or_insert(v);
            }
            Some(fields)
        }
        Value::Null => Some(Fields::new()),
        other => {
            let what = match other {
                Value::Sequence(_) => "a list",
                Value::Tagged(_) => "a tagged value",
                _ => "a single value",
            };
            problems.push(Problem::new(
                ProblemCode::FrontMatterNotMap,
                Some(2),
                format!("front matter is {what}, not a set of key: value pairs; the note is indexed as plain text"),
            ));
            None
        }
    }
}

/// The YAML error in plain words, and the 1-based line within the YAML
/// where the trouble starts: for "found X at line 4, while scanning a quoted
/// scalar at line 3" that is line 3, where the quote was opened.
fn plain_yaml_error(e: &serde_yaml::Error) -> (String, usize) {
    let msg = e.to_string();
    let mut line = e.location().map_or(1, |l| l.line());
    let mut parts = Vec::new();
    for part in msg.split(", while ") {
        let (text, at) = match part.find(" at line ") {
            Some(i) => (&part[..i], Some(&part[i + 9..])),
            None => (part, None),
        };
        if parts.is_empty() {
            parts.push(text.to_string());
        } else {
            parts.push(format!("while {text}"));
            // The context names where the broken construct began.
            if let Some(n) = at
                .and_then(|a| a.split(|c: char| !c.is_ascii_digit()).next())
                .and_then(|n| n.parse().ok())
            {
                line = n;
            }
        }
    }
    (
        parts.join(" ").replace("did not find expected", "expected"),
        line.max(1),
    )
}

/// Flattens a value into strings: a string is one item, a list gives its
/// items (nested lists too, because an unquoted `[[Name]]` in YAML is a list
/// inside a list), numbers and booleans their text.
pub fn strings(value: &Value) -> Vec<String> {
    let mut out = Vec::new();
    collect_strings(value, &mut out, 0);
    out
}

fn collect_strings(value: &Value, out: &mut Vec<String>, depth: usize) {
    if depth > 8 {
        return;
    }
    match value {
        Value::String(s) => out.push(s.clone()),
        Value::Number(n) => out.push(n.to_string()),
        Value::Bool(b) => out.push(b.to_string()),
        Value::Sequence(items) => {
            // `[[Steph Ango]]` unquoted is a one-item list in a list: a wikilink.
            if depth > 0
                && items.len() == 1
                && let Value::String(s) = &items[0]
            {
                out.push(format!("[[{s}]]"));
                return;
            }
            for item in items {
                collect_strings(item, out, depth + 1);
            }
        }
        Value::Tagged(t) => collect_strings(&t.value, out, depth + 1),
        Value::Null | Value::Mapping(_) => {}
    }
}

/// The first of `keys` present in `fields`, as a single string (lists joined
/// with ", ").
pub fn first_string(fields: &Fields, keys: &[&str]) -> Option<String> {
    keys.iter().find_map(|k| {
        let v = fields.get(*k)?;
        let items = strings(v);
        let joined = items
            .iter()
            .map(|s| s.trim())
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(", ");
        (!joined.is_empty()).then_some(joined)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split_ok(text: &str) -> (Option<&str>, &str, usize, Vec<Problem>) {
        let mut p = Vec::new();
        let s = split(text, &mut p);
        (s.yaml, s.body, s.body_line, p)
    }

    #[test]
    fn front_matter_is_only_at_the_top() {
        let (y, b, line, p) = split_ok("---\na: 1\n---\nbody\n");
        assert_eq!((y, b, line), (Some("a: 1\n"), "body\n", 3));
        assert!(p.is_empty());
        let (y, b, _, _) = split_ok("text\n---\na: 1\n---\n");
        assert_eq!(y, None);
        assert_eq!(b, "text\n---\na: 1\n---\n");
    }

    #[test]
    fn dots_close_and_crlf_works() {
        let (y, b, _, _) = split_ok("---\r\na: 1\r\n...\r\nbody\r\n");
        assert_eq!(y, Some("a: 1\r\n"));
        assert_eq!(b, "body\r\n");
    }

    #[test]
    fn unclosed_and_toml_are_reported() {
        let (y, b, _, p) = split_ok("---\na: 1\nno end\n");
        assert_eq!(y, None);
        assert_eq!(b, "---\na: 1\nno end\n");
        assert_eq!(p[0].code, ProblemCode::FrontMatterUnclosed);
        let (y, _, _, p) = split_ok("+++\na = 1\n+++\n");
        assert_eq!(y, None);
        assert_eq!(p[0].code, ProblemCode::TomlFrontMatter);
    }

    #[test]
    fn keys_match_loosely() {
        let mut p = Vec::new();
        let f = parse(
            "Last-Contact: 2026-01-02\nlast contact: ignored\nTYPE: person\n",
            &mut p,
        )
        .unwrap();
        assert_eq!(
            f.get("last_contact").and_then(|v| v.as_str()),
            Some("2026-01-02")
        );
        assert_eq!(f.get("type").and_then(|v| v.as_str()), Some("person"));
    }

    #[test]
    fn bad_yaml_reports_the_file_line() {
        let mut p = Vec::new();
        assert!(parse("a: 1\nb: [unclosed\n", &mut p).is_none());
        assert_eq!(p[0].code, ProblemCode::FrontMatterParse);
        assert!(p[0].line.unwrap() >= 2, "{:?}", p[0]);
    }

    #[test]
    fn scalar_or_list_front_matter_is_reported() {
        let mut p = Vec::new();
        assert!(parse("just a string\n", &mut p).is_none());
        assert!(parse("- a\n- b\n", &mut p).is_none());
        assert_eq!(p.len(), 2);
        assert!(p.iter().all(|p| p.code == ProblemCode::FrontMatterNotMap));
    }

    #[test]
    fn unquoted_wikilinks_become_links() {
        let mut p = Vec::new();
        let f = parse(
            "people: [[Steph Ango]]\nother:\n  - [[A]]\n  - \"[[B]]\"\n",
            &mut p,
        )
        .unwrap();
        assert_eq!(strings(&f["people"]), vec!["[[Steph Ango]]"]);
        assert_eq!(strings(&f["other"]), vec!["[[A]]", "[[B]]"]);
    }

    #[test]
    fn alias_bomb_and_deep_nesting_do_not_hang() {
        let mut bomb = String::from(
            "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
        );
        for i in 0..9u8 {
            let prev = (b'a' + i) as char;
            let cur = (b'b' + i) as char;
            bomb.push_str(&format!("{cur}: &{cur} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]\n"));
        }
        let mut p = Vec::new();
        let started = std::time::Instant::now();
        let _ = parse(&bomb, &mut p);
        let deep = format!("a: {}{}\n", "[".repeat(10_000), "]".repeat(10_000));
        assert!(parse(&deep, &mut p).is_none());
        assert!(started.elapsed().as_secs() < 5);
    }
}
