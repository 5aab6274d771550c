//! Front matter in the plain shape most notes use, read without the YAML
//! parser.
//!
//! Handing every note's few lines of `key: value` to libyaml took about a
//! third of the time rapport spends reading a note (7 % of a full index).
//! Almost all front matter is flat: keys at the start of a line, each with a
//! plain or quoted one-line string, a `[flow, list]`, or a block list of
//! `- items`. [`parse`] reads exactly that shape and gives up (returns
//! `None`) at anything else, which then goes to the YAML parser as before.
//!
//! The rule this module keeps: whenever it answers, the answer is the one
//! the YAML parser gives (`serde_yaml` resolving plain scalars: `null`,
//! `true`, numbers). So it only answers for what it can tell is a string;
//! a `~`, a `yes`-like word that YAML reads as a boolean, or anything that
//! could be a number is left to the parser. A test compares the two on
//! hundreds of thousands of generated blocks made of the tricky pieces.

use serde_yaml::Value;

use super::frontmatter::{Fields, norm_key};

/// The fields of a plain front-matter block, or `None` when the block is not
/// of the plain shape (the YAML parser must then read it).
pub fn parse(yaml: &str) -> Option<Fields> {
    // Printable ASCII and line feeds only: no tabs, carriage returns,
    // control characters, or the Unicode line breaks YAML also knows.
    if !yaml
        .bytes()
        .all(|b| b == b'\n' || (0x20..0x7f).contains(&b))
    {
        return None;
    }
    let mut fields = Fields::new();
    // A set: front matter of 26,000 keys took 0.6 s with a list.
    let mut keys: rustc_hash::FxHashSet<&str> = Default::default();
    let mut lines = yaml.split('\n').peekable();
    while let Some(line) = lines.next() {
        if line.trim_start_matches(' ').is_empty() {
            continue;
        }
        let (key, rest) = line.split_once(':')?;
        // A repeated key is the parser's error to report.
        if !is_plain_key(key) || !keys.insert(key) {
            return None;
        }
        let value = if rest.trim_end_matches(' ').is_empty() {
            block_list(&mut lines)?
        } else {
            // `key:value` is one scalar, not a key.
            let rest = rest.strip_prefix(' ')?;
            value(rest.trim_matches(' '))?
        };
        fields.entry(norm_key(key)).or_insert(value);
    }
    Some(fields)
}

/// A key YAML reads as a string: a letter, then letters, digits, `_`, `-`
/// or single inner spaces, and not a word it reads as null or a boolean.
fn is_plain_key(key: &str) -> bool {
    let b = key.as_bytes();
    b.first().is_some_and(u8::is_ascii_alphabetic)
        && b.last().is_some_and(|c| *c != b' ')
        && !key.contains("  ")
        && b.iter()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'-' | b' '))
        && !is_reserved_word(key)
}

/// Words a plain scalar resolves to null or a boolean as (serde_yaml's rule).
fn is_reserved_word(s: &str) -> bool {
    matches!(
        s,
        "null" | "Null" | "NULL" | "true" | "True" | "TRUE" | "false" | "False" | "FALSE"
    )
}

/// The items under a key with nothing after its colon: `- item` lines, all
/// at one indentation. No items is null.
fn block_list<'a>(lines: &mut std::iter::Peekable<impl Iterator<Item = &'a str>>) -> Option<Value> {
    let mut items = Vec::new();
    let mut indent = None;
    while let Some(line) = lines.peek() {
        let content = line.trim_start_matches(' ');
        if content.is_empty() {
            lines.next();
            continue;
        }
        let depth = line.len() - content.len();
        if !content.starts_with('-') {
            if depth > 0 {
                // A nested mapping or a continued scalar.
                return None;
            }
            break;
        }
        if *indent.get_or_insert(depth) != depth {
            return None;
        }
        let item = content.strip_prefix("- ")?.trim_matches(' ');
        items.push(value(item)?);
        lines.next();
    }
    Some(if indent.is_none() {
        Value::Null
    } else {
        Value::Sequence(items)
    })
}

/// A one-line value: quoted, a `[flow, list]`, or a plain string.
fn value(s: &str) -> Option<Value> {
    if let Some(inner) = s.strip_prefix('[') {
        return flow_list(inner);
    }
    match quoted(s) {
        Some((text, "")) => Some(Value::String(text.to_string())),
        Some(_) => None,
        None => plain(s, false).map(Value::String),
    }
}

/// A quoted string at the start of `s` without escapes, and what follows it.
fn quoted(s: &str) -> Option<(&str, &str)> {
    let q = s.chars().next().filter(|c| matches!(c, '"' | '\''))?;
    let rest = &s[1..];
    let end = rest.find(q)?;
    let (text, after) = (&rest[..end], &rest[end + 1..]);
    // `\` escapes in double quotes; `''` is a quote in single quotes.
    if (q == '"' && text.contains('\\')) || after.starts_with(q) {
        return None;
    }
    Some((text, after))
}

/// The items of `[a, "b", c]`, given what follows the `[`.
fn flow_list(mut s: &str) -> Option<Value> {
    let mut items = Vec::new();
    s = s.trim_start_matches(' ');
    if let Some(after) = s.strip_prefix(']') {
        return after.is_empty().then_some(Value::Sequence(items));
    }
    loop {
        let (item, after) = match quoted(s) {
            Some((text, after)) => (text.to_string(), after),
            None => {
                let end = s.find([',', ']'])?;
                (plain(s[..end].trim_end_matches(' '), true)?, &s[end..])
            }
        };
        items.push(Value::String(item));
        s = after.trim_start_matches(' ');
        if let Some(after) = s.strip_prefix(']') {
            return after.is_empty().then_some(Value::Sequence(items));
        }
        // An empty item (`[a, , b]`, `[a,]`) is left to the parser.
        s = s.strip_prefix(',')?.trim_start_matches(' ');
        if s.starts_with([',', ']']) {
            return None;
        }
    }
}

/// A plain scalar that YAML reads as a string, or `None` when it might read
/// as something else (null, a boolean, a number) or end early (a comment, a
/// `key: value`). In a flow list, brackets, braces and colons are left to
/// the parser too.
fn plain(s: &str, in_flow: bool) -> Option<String> {
    let b = s.as_bytes();
    let first = *b.first()?;
    if !first.is_ascii_alphanumeric()
        || s.contains(" #")
        || s.contains(": ")
        || s.ends_with(':')
        || in_flow && s.contains(['[', ']', '{', '}', ':', '#'])
    {
        return None;
    }
    if first.is_ascii_alphabetic() {
        // Letters first: never a number (`inf` and `nan` parse, but are not
        // finite, and serde_yaml keeps only finite floats).
        return (!is_reserved_word(s)).then(|| s.to_string());
    }
    // Digits first: a string only if it holds a character no integer or
    // float can (a date `2024-03-01`, a time `10:30`, a space).
    let not_a_number = b.iter().enumerate().any(|(i, c)| match c {
        b' ' | b':' | b'/' => true,
        b'-' => i > 0 && !matches!(b[i - 1], b'e' | b'E'),
        _ => false,
    });
    not_a_number.then(|| s.to_string())
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::vault::frontmatter;

    /// What the YAML parser makes of `yaml`, as `frontmatter::parse` keeps it.
    fn by_parser(yaml: &str) -> Option<Fields> {
        frontmatter::by_yaml_parser(yaml, &mut Vec::new())
    }

    fn s(v: &str) -> Value {
        Value::String(v.into())
    }

    #[test]
    fn the_plain_shapes_are_read() {
        let yaml = "date: 2026-03-05T19:45:00Z\ntitle: Payments Cleanup kickoff\nattendees:\n  - Katherine Hernandez\n  - \"[[Yara Nowak]]\"\nprojects: [payments-cleanup, Logistics Pilot]\ntags:\n- investor\n- ask\nempty:\n";
        let f = parse(yaml).expect("plain");
        assert_eq!(f["date"], s("2026-03-05T19:45:00Z"));
        assert_eq!(
            f["attendees"],
            Value::Sequence(vec![s("Katherine Hernandez"), s("[[Yara Nowak]]")])
        );
        assert_eq!(
            f["projects"],
            Value::Sequence(vec![s("payments-cleanup"), s("Logistics Pilot")])
        );
        assert_eq!(f["empty"], Value::Null);
        assert_eq!(Some(f), by_parser(yaml));
    }

    #[test]
    fn what_might_not_be_a_string_is_left_to_the_parser() {
        for yaml in [
            "a: ~",
            "a: yes\nb: null",
            "a: 12",
            "a: 1e-3",
            "a: 0x1f",
            "a: .inf",
            "a: 012",
            "True: x",
            "a: b: c",
            "a: b # c",
            "a: [[Ada]]",
            "a: [x, , y]",
            "a: 'it''s'",
            "a: \"\\t\"",
            "a: &x y",
            "a:\n  b: c",
            "a: x\n  continued",
            "a:\n  - x\n - y",
            "a: x\na: y",
            "a: caf\u{e9}",
            "a: x\r\n",
            "- a",
            "a:b",
        ] {
            assert_eq!(parse(yaml), None, "{yaml:?}");
        }
    }

    use crate::testrand::Rng;

    #[test]
    fn whenever_it_answers_the_yaml_parser_agrees() {
        // Pieces: an ordinary list, then a tricky one (see `Rng::piece`).
        const KEYS: [&[&str]; 2] = [
            &[
                "title",
                "date",
                "tags",
                "attendees",
                "a b",
                "x-y",
                "k_1",
                "how we met",
            ],
            &[
                "null", "True", "a  b", "1", "inf", "y", "on", "Ab ", "-k", "k:", "#k",
            ],
        ];
        const SEPARATORS: [&[&str]; 2] = [&[": ", ":\n"], &[":", ":  ", ": \n", " : "]];
        const SCALARS: [&[&str]; 2] = [
            &[
                "Ada Lovelace",
                "2024-03-01",
                "2024-03-01T10:00:00+02:00",
                "\"[[Ada]]\"",
                "[a, b]",
                "'s'",
                "mail@example.com",
                "10:30",
                "O'Brien",
                "[]",
            ],
            &[
                "12",
                "012",
                "-12",
                "1.5",
                "1e3",
                "1e-3",
                "1-2",
                "0x1f",
                "0o17",
                "0b11",
                ".inf",
                "-.inf",
                "inf",
                "nan",
                "NaN",
                "Infinity",
                "+1",
                "~",
                "null",
                "Null",
                "NULL",
                "true",
                "False",
                "yes",
                "no",
                "on",
                "y",
                "a: b",
                "a:b",
                "a #c",
                "C#",
                "a#",
                "\"q\"",
                "\"\"",
                "''",
                "'it''s'",
                "\"a\\\"b\"",
                "\"x\" y",
                "'x'y",
                "[a,b]",
                "[a,b,]",
                "[a, , b]",
                "[ ]",
                "[[Ada]]",
                "[\"[[Ada]]\", b]",
                "['a', \"b\"]",
                "foo [bar]",
                "x,y",
                "-a",
                "- a",
                "-",
                "&anchor x",
                "*alias",
                "!tag x",
                "|",
                ">",
                "%x",
                "@x",
                "`x`",
                "a  b",
                "a{b}",
                "[a: b]",
                "[a]b",
                "[a] ",
                "http://x.y/z",
                "a:",
                "1 000",
                "1_000",
                "1/2",
                "3-",
                "2e-3x",
                "0",
                "00",
                "-0",
                "12:30:00",
                "{a: b}",
                "? x",
                "a,b: c",
                "\" spaced \"",
                "a ",
                " a",
                "[a\"b]",
                "[a'b]",
                "['a'b]",
                "[a #b]",
                "[a#b]",
                "[a]]",
                "[[a]",
                "[a, 'b''c']",
                "a\\b",
                "\"a\\b\"",
                "'a\\b'",
                "x # y",
                "x#y",
                "2024-03-01 # c",
            ],
        ];
        const INDENTS: &[&str] = &["", "  ", "    ", " "];
        const ITEMS: [&[&str]; 2] = [&["- ", "-  "], &["-", "  - ", "x: "]];
        const ENDS: [&[&str]; 2] = [&["\n", "\n\n", " \n"], &["\n  more\n", "\n# c\n", ""]];
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
        let (mut answered, mut total) = (0, 0);
        for _ in 0..200_000 {
            let mut yaml = String::new();
            for _ in 0..1 + rng.below(4) {
                yaml.push_str(rng.piece(KEYS));
                let sep = rng.piece(SEPARATORS);
                yaml.push_str(sep);
                if sep.ends_with('\n') {
                    let indent = rng.pick(INDENTS);
                    for _ in 0..rng.below(4) {
                        yaml.push_str(indent);
                        yaml.push_str(rng.piece(ITEMS));
                        yaml.push_str(rng.piece(SCALARS));
                        yaml.push('\n');
                    }
                } else {
                    yaml.push_str(rng.piece(SCALARS));
                    yaml.push_str(rng.piece(ENDS));
                }
            }
            total += 1;
            if let Some(fast) = parse(&yaml) {
                answered += 1;
                assert_eq!(Some(fast), by_parser(&yaml), "{yaml:?}");
            }
        }
        // The comparison is only worth something if many blocks were answered.
        assert!(answered * 4 > total, "{answered} of {total}");
    }
}
