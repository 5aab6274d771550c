//! Reading a note's Markdown body: tasks, links, inline tags, the title heading.
//!
//! pulldown-cmark decides what is a list item and what is code, so a `- [ ]`
//! inside a fenced block or an indented code block is never a task. The task
//! marker itself is read from the raw source line, because editors use more
//! statuses (`[/]`, `[-]`, `[>]`…) than CommonMark's task-list extension knows.
//!
//! A body of the plain shape most notes have is read without the parser
//! (the `plain` module), to the same result; anything else goes to
//! pulldown-cmark.

use chrono::NaiveDate;
use pulldown_cmark::{Event, HeadingLevel, LinkType, Options, Parser, Tag, TagEnd};

use super::dates::parse_ymd;
use super::refs::{link_target, wikilinks};
use super::{Problem, ProblemCode, Task, TaskStatus};

/// What the body of a note contains.
#[derive(Debug, Default)]
pub struct Body {
    /// Text of the first level-1 heading.
    pub heading: Option<String>,
    /// Task list items, in order.
    pub tasks: Vec<Task>,
    /// Links to other notes (wikilinks and Markdown links to `.md` files) as
    /// (target, 1-based line).
    pub links: Vec<(String, usize)>,
    /// Inline `#tags` outside task lines, lower-cased, without `#`, de-duplicated.
    pub tags: Vec<String>,
    /// The first lines under an "Interests" heading.
    pub interests: Vec<String>,
}

/// Line starts of a text, for turning byte offsets into line numbers.
struct Lines {
    starts: Vec<usize>,
    first: usize,
}

impl Lines {
    /// Lines end at `\n`, `\r\n`, or a lone `\r` (CommonMark's rule; old Mac
    /// files use it).
    fn new(text: &str, first: usize) -> Self {
        let bytes = text.as_bytes();
        let mut starts = vec![0];
        starts.extend(
            memchr::memchr2_iter(b'\n', b'\r', bytes)
                .filter(|&i| bytes[i] == b'\n' || bytes.get(i + 1) != Some(&b'\n'))
                .map(|i| i + 1),
        );
        Lines { starts, first }
    }
    /// 1-based line number in the file of a byte offset in the body.
    fn line(&self, offset: usize) -> usize {
        let idx = self
            .starts
            .partition_point(|&s| s <= offset)
            .saturating_sub(1);
        self.first + idx + 1
    }
}

mod plain;

/// Scans a body that starts on 0-based line `first_line` of its file.
pub fn scan(body: &str, first_line: usize, problems: &mut Vec<Problem>) -> Body {
    match plain::scan(body, first_line, problems) {
        Some(read) => read,
        None => parse(body, first_line, problems),
    }
}

/// [`scan`] by pulldown-cmark, for any body.
fn parse(body: &str, first_line: usize, problems: &mut Vec<Problem>) -> Body {
    // Lone `\r` line endings (old Mac files) become `\n`, byte for byte, so
    // offsets do not move: pulldown-cmark searches for `\n` from every line
    // of a fenced block, which without any `\n` is quadratic.
    let normalized;
    let body = if memchr::memchr_iter(b'\r', body.as_bytes())
        .any(|i| body.as_bytes().get(i + 1) != Some(&b'\n'))
    {
        let bytes: Vec<u8> = body
            .bytes()
            .enumerate()
            .map(|(i, b)| {
                if b == b'\r' && body.as_bytes().get(i + 1) != Some(&b'\n') {
                    b'\n'
                } else {
                    b
                }
            })
            .collect();
        normalized = String::from_utf8(bytes).unwrap_or_else(|_| body.to_string());
        normalized.as_str()
    } else {
        body
    };
    let lines = Lines::new(body, first_line);
    let mut out = Body::default();
    let opts = Options::ENABLE_WIKILINKS
        | Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_FOOTNOTES;
    let mut in_link = 0usize;
    let mut in_code = 0usize;
    let mut heading: Option<(HeadingLevel, String)> = None;
    let mut interests_from: Option<usize> = None;
    let mut interests_to: Option<usize> = None;
    let mut tags: Vec<String> = Vec::new();
    // Tags on a task's line belong to the task, not to the note.
    let mut task_lines: Vec<usize> = Vec::new();
    for (event, range) in Parser::new_ext(body, opts).into_offset_iter() {
        match event {
            Event::Start(Tag::Item) => {
                if let Some(task) = task_at(body, range.start, || lines.line(range.start), problems)
                {
                    task_lines.push(task.line);
                    out.tasks.push(task);
                }
            }
            Event::Start(Tag::Heading { level, .. }) => {
                if interests_from.is_some() && interests_to.is_none() {
                    interests_to = Some(range.start);
                }
                heading = Some((level, String::new()));
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some((level, text)) = heading.take() {
                    let text = text.trim().to_string();
                    if text.eq_ignore_ascii_case("interests") && interests_from.is_none() {
                        interests_from = Some(range.end);
                    }
                    if level == HeadingLevel::H1 && out.heading.is_none() && !text.is_empty() {
                        out.heading = Some(text);
                    }
                }
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                ..
            }) => {
                in_link += 1;
                let target = match link_type {
                    // A wikilink never spans lines (Obsidian, and `wikilinks`
                    // for front matter and tasks, agree).
                    LinkType::WikiLink { .. } if dest_url.contains(['\n', '\r']) => None,
                    LinkType::WikiLink { .. } => Some(link_target(&dest_url).to_string()),
                    LinkType::Inline | LinkType::Reference | LinkType::Shortcut
                        if is_note_url(&dest_url) =>
                    {
                        Some(link_target(&percent_decode(&dest_url)).to_string())
                    }
                    _ => None,
                };
                if let Some(t) = target.filter(|t| !t.is_empty()) {
                    out.links.push((t, lines.line(range.start)));
                }
            }
            Event::End(TagEnd::Link) => in_link = in_link.saturating_sub(1),
            Event::Start(Tag::CodeBlock(_)) => in_code += 1,
            Event::End(TagEnd::CodeBlock) => in_code = in_code.saturating_sub(1),
            Event::Text(text) => {
                if let Some((_, h)) = heading.as_mut() {
                    h.push_str(&text);
                }
                // Most text holds no `#`: look for one before the line.
                if in_link == 0
                    && in_code == 0
                    && text.contains('#')
                    && task_lines.binary_search(&lines.line(range.start)).is_err()
                {
                    let before = body[..range.start].chars().next_back();
                    scan_tags(&text, before, &mut tags);
                }
            }
            Event::Code(code) => {
                if let Some((_, h)) = heading.as_mut() {
                    h.push_str(&code);
                }
            }
            _ => {}
        }
    }
    if let Some(from) = interests_from {
        out.interests = interests(body, from, interests_to.unwrap_or(body.len()));
    }
    tags.sort_unstable();
    tags.dedup();
    out.tags = tags;
    out
}

/// The first lines of an "Interests" section (`from..to` of the body).
fn interests(body: &str, from: usize, to: usize) -> Vec<String> {
    body[from..to.max(from)]
        .lines()
        .map(strip_list_marker)
        .filter(|l| !l.is_empty())
        .take(3)
        .map(str::to_string)
        .collect()
}

fn is_note_url(url: &str) -> bool {
    !url.contains("://")
        && !url.starts_with("mailto:")
        && (url.ends_with(".md") || url.ends_with(".markdown") || url.contains(".md#"))
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let Some(b) = s
                .get(i + 1..i + 3)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn strip_list_marker(line: &str) -> &str {
    let t = line.trim();
    let t = t.trim_start_matches('>').trim_start();
    for m in ["- ", "* ", "+ "] {
        if let Some(rest) = t.strip_prefix(m) {
            return rest.trim();
        }
    }
    t
}

/// The text up to the end of its first line.
fn first_line(text: &str) -> &str {
    &text[..text.find(['\n', '\r']).unwrap_or(text.len())]
}

/// Reads a task from the list item that starts at `offset`, on file line
/// `line` (worked out by the caller only for an item that is a task).
fn task_at(
    body: &str,
    offset: usize,
    line: impl FnOnce() -> usize,
    problems: &mut Vec<Problem>,
) -> Option<Task> {
    // Only the few characters after the item's start are read until the item
    // is known to be a task: many items can start on one long line
    // (`- - - - …`, `1. 1. 1. …`), and reading the rest of the line for each
    // of them was quadratic.
    let blank = |c: char| c.is_whitespace() && c != '\n' && c != '\r';
    let rest = body[offset..].trim_start_matches(blank);
    // The list marker: `-`, `*`, `+`, or `1.` / `1)`.
    let rest = if let Some(r) = rest.strip_prefix(['-', '*', '+']) {
        r
    } else {
        let digits = rest.bytes().take(10).take_while(u8::is_ascii_digit).count();
        if digits == 0 || digits > 9 {
            return None;
        }
        rest[digits..].strip_prefix(['.', ')'])?
    };
    let rest = rest.strip_prefix([' ', '\t'])?.trim_start_matches(blank);
    let mut chars = rest.char_indices();
    if chars.next()?.1 != '[' {
        return None;
    }
    let (_, marker) = chars.next()?;
    let (close, c) = chars.next()?;
    if c != ']' || matches!(marker, ']' | '[' | '\n' | '\r') {
        return None;
    }
    let after = &rest[close + 1..];
    let after = first_line(after);
    if !(after.is_empty() || after.starts_with([' ', '\t'])) {
        return None;
    }
    let text = after.trim().to_string();
    // `- [ ]` with nothing after it is a placeholder, not a next step.
    if text.is_empty() {
        return None;
    }
    let status = match marker {
        'x' | 'X' => TaskStatus::Done,
        '-' => TaskStatus::Cancelled,
        _ => TaskStatus::Open,
    };
    let line = line();
    let due = match due_date(&text) {
        Due::None => None,
        Due::Date(d) => Some(d),
        Due::Invalid(raw) => {
            problems.push(Problem::new(
                ProblemCode::BadDueDate,
                Some(line),
                format!("task due date '{raw}' is not a real date (YYYY-MM-DD); the task is kept without a due date"),
            ));
            None
        }
    };
    let mut tags = Vec::new();
    scan_tags(&strip_code_spans(&text), None, &mut tags);
    tags.sort_unstable();
    tags.dedup();
    let links = wikilinks(&text)
        .into_iter()
        .map(|(t, _)| t.to_string())
        .collect();
    Some(Task {
        line,
        text,
        status,
        marker,
        due,
        links,
        tags,
    })
}

fn strip_code_spans(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_code = false;
    for c in text.chars() {
        if c == '`' {
            in_code = !in_code;
            out.push(' ');
        } else if !in_code {
            out.push(c);
        }
    }
    out
}

enum Due {
    None,
    Date(NaiveDate),
    Invalid(String),
}

/// Finds a due date in a task's text: `📅 D`, `📆 D`, `🗓️ D`, `[due:: D]`,
/// `(due:: D)` or `due:D`. A time after the date is ignored.
fn due_date(text: &str) -> Due {
    const MARKERS: [&str; 6] = ["📅", "📆", "🗓\u{fe0f}", "🗓", "[due::", "(due::"];
    for m in MARKERS {
        if let Some(i) = super::inline::find(text, m.as_bytes()) {
            return date_after(&text[i + m.len()..]);
        }
    }
    let bytes = text.as_bytes();
    let mut from = 0;
    while let Some(i) = super::inline::find(&text[from..], b"due:") {
        let at = from + i;
        from = at + 4;
        let boundary = at == 0 || !bytes[at - 1].is_ascii_alphanumeric();
        if boundary && !text[at + 4..].starts_with(':') {
            return date_after(&text[at + 4..]);
        }
    }
    Due::None
}

fn date_after(rest: &str) -> Due {
    let rest = rest.trim_start();
    let raw: String = rest
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == '-')
        .collect();
    if raw.is_empty() {
        return Due::None;
    }
    match parse_ymd(&raw) {
        Some(d) => Due::Date(d),
        None => Due::Invalid(raw),
    }
}

/// Appends the inline `#tags` of a piece of text. `before` is the character
/// preceding the text in the source, to tell `a#b` (no tag) from ` #b`.
pub fn scan_tags(text: &str, before: Option<char>, out: &mut Vec<String>) {
    if !text.contains('#') {
        return;
    }
    let mut prev = before;
    let mut iter = text.char_indices().peekable();
    while let Some((i, c)) = iter.next() {
        if c == '#' && prev.is_none_or(|p| p.is_whitespace() || p == '(' || p == ',') {
            let rest = &text[i + 1..];
            let len = rest
                .char_indices()
                .find(|(_, ch)| !(ch.is_alphanumeric() || matches!(ch, '_' | '-' | '/')))
                .map_or(rest.len(), |(j, _)| j);
            let tag = rest[..len].trim_end_matches(['/', '-']);
            if is_tag(tag) {
                out.push(tag.to_lowercase());
            }
            for _ in 0..rest[..len].chars().count() {
                iter.next();
            }
            prev = rest[..len].chars().next_back().or(Some(c));
            continue;
        }
        prev = Some(c);
    }
}

fn is_tag(tag: &str) -> bool {
    if tag.is_empty()
        || tag
            .chars()
            .all(|c| c.is_ascii_digit() || c == '-' || c == '/')
    {
        return false;
    }
    // `#eee`, `#ff8800`: colour codes, not tags.
    let hex = tag.chars().all(|c| c.is_ascii_hexdigit());
    !(hex && matches!(tag.len(), 3 | 4 | 6 | 8))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(text: &str) -> (Body, Vec<Problem>) {
        let mut p = Vec::new();
        let b = scan(text, 0, &mut p);
        (b, p)
    }

    fn statuses(b: &Body) -> Vec<(usize, char, TaskStatus)> {
        b.tasks
            .iter()
            .map(|t| (t.line, t.marker, t.status))
            .collect()
    }

    #[test]
    fn task_statuses() {
        let (b, _) =
            body("- [ ] a\n- [x] b\n- [X] c\n- [-] d\n- [/] e\n- [>] f\n- [!] g\n- [?] h\n");
        use TaskStatus::*;
        assert_eq!(
            statuses(&b),
            vec![
                (1, ' ', Open),
                (2, 'x', Done),
                (3, 'X', Done),
                (4, '-', Cancelled),
                (5, '/', Open),
                (6, '>', Open),
                (7, '!', Open),
                (8, '?', Open)
            ]
        );
        assert_eq!(b.tasks[0].text, "a");
    }

    #[test]
    fn tasks_nested_quoted_ordered_but_not_in_code() {
        let text = "intro\n\n- [ ] top\n  - [ ] nested\n\n> [!todo] Callout\n> - [ ] quoted\n\n1. [ ] ordered\n2) [x] ordered done\n\n```\n- [ ] in fence\n```\n\n    - [ ] indented code\n\n~~~md\n- [ ] tilde fence\n~~~\n- not [ ] a task\n- [ ]no space\n";
        let (b, _) = body(text);
        let got: Vec<(usize, &str)> = b.tasks.iter().map(|t| (t.line, t.text.as_str())).collect();
        assert_eq!(
            got,
            vec![
                (3, "top"),
                (4, "nested"),
                (7, "quoted"),
                (9, "ordered"),
                (10, "ordered done")
            ]
        );
    }

    #[test]
    fn many_items_on_one_long_line_are_linear() {
        // 200,000 items start on each of these lines; reading the rest of
        // the line for every item took minutes.
        for text in [
            format!("{}[ ] deep", "- ".repeat(200_000)),
            "1. ".repeat(200_000),
        ] {
            let started = std::time::Instant::now();
            let (b, _) = body(&text);
            assert!(b.tasks.len() <= 1);
            assert!(started.elapsed().as_secs() < 10, "{:?}", started.elapsed());
        }
        let (b, _) = body("- - [x] inner #t\r\n- [ ]\r\n- [\r] no\n");
        let got: Vec<(usize, &str, char)> = b
            .tasks
            .iter()
            .map(|t| (t.line, t.text.as_str(), t.marker))
            .collect();
        // An empty `- [ ]` is a placeholder, not a task.
        assert_eq!(got, vec![(1, "inner #t", 'x')]);
    }

    #[test]
    fn lone_carriage_returns_end_lines() {
        // Old Mac line endings: every task keeps its own line and only its text.
        let (b, _) = body("intro\r- [ ] one\r- [x] two\r10. [ ] three\r");
        let got: Vec<(usize, &str)> = b.tasks.iter().map(|t| (t.line, t.text.as_str())).collect();
        assert_eq!(got, vec![(2, "one"), (3, "two"), (4, "three")]);
        // And many of them stay linear in time and memory.
        let fenced = "``` - [ ] \r".repeat(40_000);
        let started = std::time::Instant::now();
        let (b, _) = body(&fenced);
        assert!(b.tasks.is_empty());
        assert!(
            started.elapsed().as_secs() < 10,
            "a fence with CR lines: {:?}",
            started.elapsed()
        );
        let big = "10. [-] task text\r".repeat(50_000);
        let started = std::time::Instant::now();
        let (b, _) = body(&big);
        assert_eq!(b.tasks.len(), 50_000);
        assert!(b.tasks.iter().all(|t| t.text == "task text"));
        assert!(started.elapsed().as_secs() < 20);
    }

    #[test]
    fn line_numbers_count_from_the_file_start() {
        let mut p = Vec::new();
        let b = scan("\n- [ ] x\n", 4, &mut p);
        assert_eq!(b.tasks[0].line, 6);
    }

    #[test]
    fn due_dates_in_every_syntax() {
        let cases = [
            ("call 📅 2026-11-24", Some("2026-11-24")),
            ("call 📆 2026-11-25", Some("2026-11-25")),
            ("call 🗓️ 2026-11-26", Some("2026-11-26")),
            ("call 🗓 2026-11-27", Some("2026-11-27")),
            ("call [due:: 2026-12-05]", Some("2026-12-05")),
            ("call (due:: 2026-12-06)", Some("2026-12-06")),
            ("call due:2026-12-07", Some("2026-12-07")),
            ("call 📅 2026-12-02 10:00", Some("2026-12-02")),
            ("call overdue:2026-12-07", None),
            ("call soon", None),
        ];
        for (text, want) in cases {
            let (b, p) = body(&format!("- [ ] {text}\n"));
            assert_eq!(
                b.tasks[0].due,
                want.map(|w| parse_ymd(w).unwrap()),
                "{text}"
            );
            assert!(p.is_empty(), "{text}");
        }
    }

    #[test]
    fn invalid_due_date_is_reported_and_dropped() {
        let (b, p) = body("\n- [ ] pay 📅 2026-02-30\n");
        assert_eq!(b.tasks[0].due, None);
        assert_eq!(p[0].code, ProblemCode::BadDueDate);
        assert_eq!(p[0].line, Some(2));
    }

    #[test]
    fn task_links_and_tags() {
        let (empty, _) = body("- [ ] \n- [x]\n");
        assert!(empty.tasks.is_empty(), "an empty task is a placeholder");
        let (b, _) = body("- [ ] Ask [[Grace Hopper|Grace]] for intro #ask `#notatag`\n");
        assert_eq!(b.tasks[0].links, vec!["Grace Hopper"]);
        assert_eq!(b.tasks[0].tags, vec!["ask"]);
        assert!(
            b.tags.is_empty(),
            "a task's tags are not the note's: {:?}",
            b.tags
        );
    }

    #[test]
    fn inline_tags_skip_code_urls_and_colours() {
        let text = "# Title\nWe decided #decision and #Follow-up.\nColour #eee and #ff8800, css `#main`, url http://x.example/#anchor, issue #42.\n\n```\n#incode\n```\n#nested/tag end";
        let (b, _) = body(text);
        assert_eq!(b.tags, vec!["decision", "follow-up", "nested/tag"]);
        assert_eq!(b.heading.as_deref(), Some("Title"));
    }

    #[test]
    fn a_wikilink_never_spans_lines() {
        for text in [
            "[[Ada\nLovelace]] [[Bob]]\n",
            "[[Ada\r\nLovelace]] [[Bob]]\r\n",
        ] {
            let (b, _) = body(text);
            assert_eq!(b.links, vec![("Bob".to_string(), 2)], "{text:?}");
        }
    }

    #[test]
    fn links_and_interests() {
        let text = "Met [[Ada Lovelace]] and [Bob](people/bob%20smith.md), see [site](https://x.example/a.md).\n\n```\n[[not a link]]\n```\n\n## Interests\n- sailing\n- chess\n\n## Other\n- no\n";
        let (b, _) = body(text);
        let targets: Vec<&str> = b.links.iter().map(|(t, _)| t.as_str()).collect();
        assert_eq!(targets, vec!["Ada Lovelace", "people/bob smith"]);
        assert_eq!(b.interests, vec!["sailing", "chess"]);
    }
}
