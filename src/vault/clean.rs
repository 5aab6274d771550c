//! A task's text as a person reads it, without the markup a plugin reads.
//!
//! A task line carries syntax for Obsidian and its plugins: wikilinks,
//! Markdown links, date signifiers (`📅 2026-11-20`, `[due:: …]`, `due:…`)
//! and `%% comments %%`. Where rapport shows a task, it prints the due date
//! beside the text, so the signifier would say it twice; and a signifier
//! copied into the checklist file makes Obsidian Tasks list the task a
//! second time. [`task_text`] keeps the words: links become their label,
//! signifiers and comments go.

use std::borrow::Cow;

use super::dates::parse_ymd;

/// One line of text: every line break and control character becomes a
/// space, runs of spaces are folded, the ends trimmed.
pub fn one_line(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for word in s
        .split(|c: char| c.is_whitespace() || c.is_control())
        .filter(|w| !w.is_empty())
    {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// Emoji that Obsidian Tasks puts before a date: due (three spellings),
/// scheduled, start, created, done, cancelled.
const DATE_SIGNIFIERS: [&str; 9] = ["📅", "📆", "🗓\u{fe0f}", "🗓", "⏳", "🛫", "➕", "✅", "❌"];

/// The text of a task as shown to a person. The index keeps each open
/// task's shown text (see `index::schema`): a change to these rules must
/// bump `index::schema::SCHEMA_VERSION`, or indexes keep the old texts
/// until they are rebuilt.
///
/// ```
/// use rapport::vault::clean::task_text;
/// assert_eq!(
///     task_text("send [[people/ada|Ada]] the deck 📅 2026-11-20 %% from the call %%"),
///     "send Ada the deck"
/// );
/// assert_eq!(task_text("call [[Grace Hopper]] [due:: 2026-12-01]"), "call Grace Hopper");
/// ```
pub fn task_text(text: &str) -> String {
    // The checklist cleans a hundred thousand texts at a time: each pass
    // runs only when its syntax can be there (it would change nothing
    // else), and most tasks need none but the spacing.
    let text = if text.contains("%%") {
        Cow::Owned(without_comments(text))
    } else {
        Cow::Borrowed(text)
    };
    let text = if text.contains('[') {
        Cow::Owned(links_as_labels(&text))
    } else {
        text
    };
    // Every signifier is outside ASCII; every field spells `due:`.
    if text.is_ascii() && !text.contains("due:") {
        return one_space(&text);
    }
    one_space(&without_date_fields(&text))
}

/// Words separated by one space, none at either end.
fn one_space(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut add = |word: &str| {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    };
    if !text.is_ascii() {
        text.split_whitespace().for_each(add);
        return out;
    }
    // ASCII (most tasks): the same words, found byte by byte rather than
    // character by character. Its white space is tab, line feed, vertical
    // tab, form feed, carriage return and space.
    let space = |b: &u8| matches!(b, b'\t' | b'\n' | 0x0b | 0x0c | b'\r' | b' ');
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let start = i + bytes[i..].iter().take_while(|b| space(b)).count();
        let end = start + bytes[start..].iter().take_while(|b| !space(b)).count();
        if start < end {
            add(&text[start..end]);
        }
        i = end;
    }
    out
}

/// Drops `%% … %%` (an unclosed `%%` runs to the end of the line, as in
/// Obsidian).
fn without_comments(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find("%%") {
        out.push_str(&rest[..i]);
        out.push(' ');
        match rest[i + 2..].find("%%") {
            Some(j) => rest = &rest[i + 2 + j + 2..],
            None => return out,
        }
    }
    out.push_str(rest);
    out
}

/// `[[target|label]]` → label, `[[target]]` → target (without `.md`),
/// `![[…]]` likewise, `[label](url)` → label.
fn links_as_labels(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    loop {
        let Some(open) = rest.find('[') else {
            out.push_str(rest);
            return out;
        };
        let (before, at) = rest.split_at(open);
        out.push_str(before);
        // An embed (`![[…]]`, `![…](…)`) shows as its label too.
        let embed = before.ends_with('!');
        if let Some(inner_end) = at.strip_prefix("[[").and_then(|s| s.find("]]")) {
            let inner = &at[2..2 + inner_end];
            // `[[a [[b]]`: the last `[[` opens the link; what comes before is text.
            if let Some(k) = inner.rfind("[[") {
                out.push_str(&at[..2 + k]);
                rest = &at[2 + k..];
                continue;
            }
            let label = match inner.split_once('|') {
                Some((_, label)) => label,
                None => {
                    let target = inner.split_once('#').map_or(inner, |(t, _)| t);
                    target.strip_suffix(".md").unwrap_or(target)
                }
            };
            if embed {
                out.pop();
            }
            out.push_str(label.trim());
            rest = &at[2 + inner_end + 2..];
            continue;
        }
        // `[label](url)`, the label holding no bracket.
        if let Some(close) = at[1..].find(']').map(|c| c + 1)
            && !at[1..close].contains('[')
            && at[close + 1..].starts_with('(')
            && let Some(end) = at[close + 1..].find(')')
        {
            if embed {
                out.pop();
            }
            out.push_str(&at[1..close]);
            rest = &at[close + 1 + end + 1..];
            continue;
        }
        out.push('[');
        rest = &at[1..];
    }
}

/// Length of a `YYYY-MM-DD` date (and an optional ` HH:MM`) at the start
/// of `s` after white space, counting that white space; `None` when no
/// real date is there (a bad date is left for the reader to see).
fn date_len(s: &str) -> Option<usize> {
    let trimmed = s.trim_start();
    let skipped = s.len() - trimmed.len();
    let date = trimmed.get(..10)?;
    parse_ymd(date)?;
    let mut len = skipped + 10;
    let after = &s[len..];
    let t = after.trim_start();
    let time: String = t
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == ':')
        .collect();
    if time.len() >= 4 && time.contains(':') && t.len() < after.len() {
        len += after.len() - t.len() + time.len();
    }
    Some(len)
}

/// Drops date signifiers with their date, `[due:: …]`, `(due:: …)` and
/// `due:DATE`.
fn without_date_fields(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    // `text[kept..i]` is copied as it is once something is dropped or the
    // text ends: only a byte that can start a field is looked at closely.
    let mut kept = 0;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b.is_ascii() && !matches!(b, b'[' | b'(' | b'd') {
            i += 1;
            continue;
        }
        let rest = &text[i..];
        let drop = if b.is_ascii() {
            date_field_len(rest, || {
                // `due:` starts a word: what comes before it, as written out.
                let before = if kept < i {
                    &text[kept..i]
                } else {
                    out.as_str()
                };
                before
                    .chars()
                    .last()
                    .is_none_or(|c| !c.is_alphanumeric() && c != '_')
            })
        } else {
            DATE_SIGNIFIERS.iter().find_map(|m| {
                let after = rest.strip_prefix(m)?;
                Some(m.len() + date_len(after)?)
            })
        };
        match drop {
            Some(n) => {
                out.push_str(&text[kept..i]);
                out.push(' ');
                i += n;
                kept = i;
            }
            // A character outside ASCII is stepped over whole.
            None => i += rest.chars().next().map_or(1, char::len_utf8),
        }
    }
    out.push_str(&text[kept..]);
    out
}

/// Length of `[due:: …]`, `(due:: …)` or (when `word_start` says `due:`
/// starts a word) `due:DATE` at the start of `rest`.
fn date_field_len(rest: &str, word_start: impl FnOnce() -> bool) -> Option<usize> {
    for (open, close) in [("[due::", ']'), ("(due::", ')')] {
        if rest.starts_with(open) {
            return rest.find(close).map(|end| end + 1);
        }
    }
    if rest.starts_with("due:") && word_start() {
        return date_len(&rest[4..]).map(|n| 4 + n);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::task_text;

    #[test]
    fn signifiers_and_fields_go() {
        for (raw, clean) in [
            ("send deck 📅 2026-11-20", "send deck"),
            ("send deck 📆2026-11-20 14:30 now", "send deck now"),
            ("send deck 🗓️ 2026-11-20", "send deck"),
            (
                "call ⏳ 2026-11-18 🛫 2026-11-17 ➕ 2026-11-01 📅 2026-11-20",
                "call",
            ),
            ("call [due:: 2026-12-05] back", "call back"),
            ("call (due:: 2026-12-06)", "call"),
            ("call due:2026-12-07", "call"),
            ("call due: 2026-12-07", "call"),
            // Not a due field: part of a word, or no real date.
            ("call overdue:2026-12-07", "call overdue:2026-12-07"),
            ("call 📅 2026-13-45", "call 📅 2026-13-45"),
            ("fix 📅 soon", "fix 📅 soon"),
            // A word outside ASCII before `due:`, a field right after
            // another, and fields left open.
            (
                "écrire édue:2026-12-07 à Zoé",
                "écrire édue:2026-12-07 à Zoé",
            ),
            ("é due:2026-12-07 à", "é à"),
            ("a 📅 2026-11-20due:2026-12-01 b", "a b"),
            ("a [due:: 2026-12-05(due:: x) b", "a [due:: 2026-12-05 b"),
            ("open [due:: 2026-12-05", "open [due:: 2026-12-05"),
            ("ddd due:2026-12-07", "ddd"),
        ] {
            assert_eq!(task_text(raw), clean, "{raw}");
        }
    }

    #[test]
    fn links_show_their_label() {
        for (raw, clean) in [
            ("ask [[people/ada|Ada]] about it", "ask Ada about it"),
            ("ask [[Grace Hopper]]", "ask Grace Hopper"),
            ("read [[notes/plan.md]]", "read notes/plan"),
            ("read [[Plan#Budget]]", "read Plan"),
            ("see ![[chart.png]]", "see chart.png"),
            ("read [the post](https://example.com/a(b)", "read the post"),
            ("a [[b [[Ada]] c", "a [[b Ada c"),
            ("unclosed [[Ada", "unclosed [[Ada"),
            ("[ ] odd [x] brackets", "[ ] odd [x] brackets"),
        ] {
            assert_eq!(task_text(raw), clean, "{raw}");
        }
    }

    #[test]
    fn spaces_fold_as_split_whitespace_folds_them() {
        // ASCII white space (tab, line feed, vertical tab, form feed,
        // carriage return, space) folds; the information separators 0x1C to
        // 0x1F are not white space. Outside ASCII, no-break and ideographic
        // spaces and NEL fold too.
        for (raw, clean) in [
            (" a\t\u{b}b\u{c}\r\nc  ", "a b c"),
            ("a\u{1c}b \u{1f} c", "a\u{1c}b \u{1f} c"),
            ("\u{a0}é\u{3000}x\u{85}y\u{2028}", "é x y"),
            (" \t\n", ""),
            ("", ""),
        ] {
            assert_eq!(task_text(raw), clean, "{raw:?}");
        }
    }

    #[test]
    fn comments_go() {
        assert_eq!(task_text("call %% private %% Ada"), "call Ada");
        assert_eq!(task_text("call Ada %% unclosed"), "call Ada");
        assert_eq!(task_text("%%all hidden%%"), "");
    }
}
