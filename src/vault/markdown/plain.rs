//! The Markdown bodies most notes have, read without a Markdown parser.
//!
//! pulldown-cmark reads every construct of CommonMark. Most bodies use few
//! of them: headings, paragraphs, `-`/`*`/`+` list items (tasks among
//! them), `[[wikilinks]]`, `#tags`, Dataview's `[key:: value]`, code fences
//! and Obsidian's callouts. [`scan`] reads a body made only of those, in the
//! plain shape below, in one pass over its lines, and gives up (returns
//! `None`) at anything else, which pulldown-cmark then reads as before: the
//! same split as `plain_yaml` makes for front matter. On the benchmark's
//! vault of 100,000 meetings it answers for nearly nine bodies in ten (the
//! rest hold ordered or nested lists) and saves about a twentieth of a full
//! index's processor time.
//!
//! The rule this module keeps: whenever it answers, the answer is the one
//! the parser's reading gives (the same tasks, links, tags, heading,
//! interests and problems). So the plain shape is one where no line can
//! mean two things:
//! - no tab, carriage return or other control character outside a code
//!   fence, and none of `<` `&` `\` `` ` `` `~` `_` (HTML, entities,
//!   escapes, code spans, strikethrough, emphasis, thematic breaks);
//! - no line is indented (a line of spaces is blank), so there is no code
//!   block, nested list or continuation to tell apart;
//! - a line is a code fence's (three backticks or more open it; as many,
//!   indented by three spaces at most, close it; nothing inside is read), a
//!   block quote's (`> ` and a line of the shape here; the line after the
//!   quote is blank), an ATX heading (one to six `#`, a space, then text
//!   without `#`), a list item (`-`, `*` or `+`, one space, then text, or
//!   a task's `[x]` and text), or a paragraph line, which starts with
//!   nothing that could open another block (`>`, `=`, `|`, `:`, a digit,
//!   or a list marker without its space);
//! - text holds no `*`, and no `|` outside a wikilink; a `[` opens a
//!   wikilink (`[[target]]` or `[[target|label]]` on one line, neither part
//!   empty or spaced at its ends) or brackets on one line that cannot be a
//!   link (nothing in them but text, and no `(`, `[`, `:` or `]` right
//!   after: no body read here defines a link, so `[x]` stays text); no `!`
//!   comes before a `[`.
//!
//! A test compares the two readings on hundreds of thousands of generated
//! bodies made of the tricky pieces.

use memchr::memchr;

use super::{Body, interests, scan_tags, task_at};
use crate::vault::Problem;
use crate::vault::refs::link_target;

/// Ordinary text.
const PLAIN: u8 = 0;
/// Never in a plain body.
const NEVER: u8 = 1;
/// Looked at in text: `#`, `[`, `]`, `|`, `*`, `!`.
const LOOK: u8 = 2;

/// The printable bytes never in a plain body (besides the control
/// characters and DEL).
const NEVER_BYTES: &[u8] = b"<&\\`~_";
/// The bytes looked at in text.
const LOOK_BYTES: &[u8] = b"#[]|*!";

/// DEL and the bytes of both lists: with the control characters, the bytes
/// that are not ordinary text (an array, so that the loop over it in
/// `special16` is unrolled).
#[cfg(target_arch = "x86_64")]
const SPECIAL: [u8; 1 + NEVER_BYTES.len() + LOOK_BYTES.len()] = {
    let mut all = [0x7f; 1 + NEVER_BYTES.len() + LOOK_BYTES.len()];
    let mut i = 0;
    while i < NEVER_BYTES.len() {
        all[1 + i] = NEVER_BYTES[i];
        i += 1;
    }
    let mut i = 0;
    while i < LOOK_BYTES.len() {
        all[1 + NEVER_BYTES.len() + i] = LOOK_BYTES[i];
        i += 1;
    }
    all
};

/// Each byte's class (bytes of non-ASCII characters are ordinary text).
static CLASS: [u8; 256] = {
    let mut class = [PLAIN; 256];
    let mut b = 0;
    while b < 0x20 {
        class[b] = NEVER;
        b += 1;
    }
    class[0x7f] = NEVER;
    // Lines are split before their text is read.
    class[b'\n' as usize] = NEVER;
    let mut i = 0;
    while i < NEVER_BYTES.len() {
        class[NEVER_BYTES[i] as usize] = NEVER;
        i += 1;
    }
    let mut i = 0;
    while i < LOOK_BYTES.len() {
        class[LOOK_BYTES[i] as usize] = LOOK;
        i += 1;
    }
    class
};

/// The first byte of `bytes[from..end]` that is not ordinary text, or
/// `end`. Most of a body is ordinary text: sixteen bytes are looked at a
/// step (SSE2, which every x86-64 processor has), where the byte loop with
/// its table took about a sixth of the reading threads' instructions in a
/// full index (240 of 1,490 million at 10,000 meetings).
#[cfg(target_arch = "x86_64")]
fn skip_plain(bytes: &[u8], mut i: usize, end: usize) -> usize {
    let bytes = &bytes[..end];
    while let Some(chunk) = bytes.get(i..).and_then(<[u8]>::first_chunk::<16>) {
        // SAFETY: SSE2 is part of every x86-64 processor (the target's
        // baseline), so the function's one requirement holds.
        let mask = unsafe { special16(chunk) };
        if mask != 0 {
            return i + mask.trailing_zeros() as usize;
        }
        i += 16;
    }
    skip_plain_bytes(bytes, i)
}

/// One bit (low to high) per byte of `chunk` that is not ordinary text.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "sse2")]
fn special16(chunk: &[u8; 16]) -> u32 {
    use std::arch::x86_64::{
        __m128i, _mm_cmpeq_epi8, _mm_loadu_si128, _mm_min_epu8, _mm_movemask_epi8, _mm_or_si128,
        _mm_set1_epi8,
    };
    // SAFETY: an unaligned load of the sixteen bytes `chunk` borrows.
    let v = unsafe { _mm_loadu_si128(chunk.as_ptr().cast::<__m128i>()) };
    // A byte below 0x20 is its own minimum with 0x1f (compared unsigned).
    let mut special = _mm_cmpeq_epi8(_mm_min_epu8(v, _mm_set1_epi8(0x1f)), v);
    for b in SPECIAL {
        special = _mm_or_si128(special, _mm_cmpeq_epi8(v, _mm_set1_epi8(b as i8)));
    }
    _mm_movemask_epi8(special) as u32
}

#[cfg(not(target_arch = "x86_64"))]
fn skip_plain(bytes: &[u8], i: usize, end: usize) -> usize {
    skip_plain_bytes(&bytes[..end], i)
}

/// [`skip_plain`] a byte at a time.
fn skip_plain_bytes(bytes: &[u8], mut i: usize) -> usize {
    while bytes.get(i).is_some_and(|&b| CLASS[b as usize] == PLAIN) {
        i += 1;
    }
    i
}

/// Reads a body that starts on 0-based line `first_line` of its file, if it
/// is of the plain shape; its problems (a task's bad due date) are added
/// only then.
pub(super) fn scan(body: &str, first_line: usize, problems: &mut Vec<Problem>) -> Option<Body> {
    let bytes = body.as_bytes();
    // Where lines end is the parser's to tell when a `\r` is in them.
    if memchr(b'\r', bytes).is_some() {
        return None;
    }
    let mut state = State {
        body,
        out: Body::default(),
        found: Vec::new(),
        interests_from: None,
        interests_to: None,
    };
    // The open code fence's length, and whether the last line was quoted.
    let mut fence: Option<usize> = None;
    let mut quoted = false;
    let mut start = 0;
    let mut line = first_line + 1;
    loop {
        let end = memchr(b'\n', &bytes[start..]).map_or(bytes.len(), |i| start + i);
        let text = &bytes[start..end];
        if let Some(n) = fence {
            // A fence closes with as many backticks or more, indented by
            // three spaces at most; what is inside is nobody's text.
            let indent = text.iter().take(4).take_while(|&&b| b == b' ').count();
            let ticks = text[indent..].iter().take_while(|&&b| b == b'`').count();
            if indent < 4 && ticks >= n && text[indent + ticks..].iter().all(|&b| b == b' ') {
                fence = None;
            }
        } else if let Some(n) = fence_opens(text) {
            fence = Some(n);
            quoted = false;
        } else if let [b'>', rest @ ..] = text {
            // A block quote's line holds a line of its own.
            let from = match rest {
                [] => start + 1,
                [b' ', ..] => start + 2,
                _ => return None,
            };
            state.line(from, end, line)?;
            quoted = true;
        } else {
            // A line after a quote that is not blank may continue it.
            if quoted && text.iter().any(|&b| b != b' ') {
                return None;
            }
            quoted = false;
            state.line(start, end, line)?;
        }
        if end == bytes.len() {
            break;
        }
        start = end + 1;
        line += 1;
    }
    let State {
        mut out,
        mut found,
        interests_from,
        interests_to,
        ..
    } = state;
    if let Some(from) = interests_from {
        out.interests = interests(body, from, interests_to.unwrap_or(body.len()));
    }
    out.tags.sort_unstable();
    out.tags.dedup();
    problems.append(&mut found);
    Some(out)
}

/// The length of the code fence a line opens (three backticks or more, and
/// no backtick after them).
fn fence_opens(text: &[u8]) -> Option<usize> {
    let ticks = text.iter().take_while(|&&b| b == b'`').count();
    (ticks >= 3 && !text[ticks..].contains(&b'`')).then_some(ticks)
}

/// What reading a body collects.
struct State<'a> {
    body: &'a str,
    out: Body,
    /// Problems, kept only if the whole body is plain.
    found: Vec<Problem>,
    interests_from: Option<usize>,
    interests_to: Option<usize>,
}

impl State<'_> {
    /// Reads the line (file line `line`) whose content is `start..end` of
    /// the body. `None` when it is not of the plain shape.
    fn line(&mut self, start: usize, end: usize, line: usize) -> Option<()> {
        let body = self.body;
        let text = &body.as_bytes()[start..end];
        let mut read = Read {
            body,
            line,
            links: &mut self.out.links,
            tags: &mut self.out.tags,
        };
        match text {
            [] => {}
            [b' ', ..] if text.iter().all(|&b| b == b' ') => {}
            [b' ', ..] => return None,
            [b'#', ..] => {
                let level = text.iter().take_while(|&&b| b == b'#').count();
                match text.get(level) {
                    Some(b' ') if level <= 6 => {
                        let from = start + level + 1;
                        let content = body[from..end].trim_matches(' ');
                        if content.is_empty() || content.contains('#') {
                            return None;
                        }
                        if self.interests_from.is_some() && self.interests_to.is_none() {
                            self.interests_to = Some(start);
                        }
                        let mut heading = String::new();
                        read.text(from, end, true, Some(&mut heading))?;
                        let heading = heading.trim();
                        if heading.eq_ignore_ascii_case("interests")
                            && self.interests_from.is_none()
                        {
                            self.interests_from = Some(end);
                        }
                        if level == 1 && self.out.heading.is_none() && !heading.is_empty() {
                            self.out.heading = Some(heading.to_string());
                        }
                    }
                    Some(b) if level == 1 && *b != b' ' => read.text(start, end, true, None)?,
                    _ => return None,
                }
            }
            [b'-' | b'*' | b'+', b' ', first, rest @ ..] => {
                match (first, rest) {
                    (b'#', [b, ..]) if !matches!(b, b' ' | b'#') => {}
                    (b' ' | b'#' | b'-' | b'*' | b'+' | b'>' | b'=' | b'|' | b':' | b'!', _) => {
                        return None;
                    }
                    (b, _) if b.is_ascii_digit() => return None,
                    _ => {}
                }
                // The parser's reading asks every item whether it is a task.
                let task = task_at(body, start, || line, &mut self.found);
                let from = match (&task, rest) {
                    (None, _) => start + 2,
                    (Some(_), [_, b']', ..]) => start + 5,
                    (Some(_), _) => return None,
                };
                // A task's tags are its own, not the note's.
                read.text(from, end, task.is_none(), None)?;
                self.out.tasks.extend(task);
            }
            [b'-' | b'*' | b'+', ..] => return None,
            [b'>' | b'=' | b'|' | b':', ..] => return None,
            [b, ..] if b.is_ascii_digit() => return None,
            _ => read.text(start, end, true, None)?,
        }
        Some(())
    }
}

/// The text of one line, read into what the body collects.
struct Read<'a, 'b> {
    body: &'a str,
    /// The line's number in the file.
    line: usize,
    links: &'b mut Vec<(String, usize)>,
    tags: &'b mut Vec<String>,
}

impl Read<'_, '_> {
    /// Reads the text `from..end` of the line: its wikilinks and, with
    /// `with_tags`, the tags outside them; a heading's text is added to
    /// `heading`. `None` when the text is not plain.
    fn text(
        &mut self,
        from: usize,
        end: usize,
        with_tags: bool,
        mut heading: Option<&mut String>,
    ) -> Option<()> {
        let bytes = self.body.as_bytes();
        // The start of the text since the last wikilink, and whether it
        // holds a `#`.
        let mut run = from;
        let mut hash = false;
        let mut i = from;
        loop {
            i = skip_plain(bytes, i, end);
            let Some(&b) = bytes[..end].get(i) else {
                break;
            };
            match CLASS[b as usize] {
                PLAIN => {}
                NEVER => return None,
                _ => match b {
                    b'#' => hash = true,
                    b'!' if bytes.get(i + 1) != Some(&b'[') => {}
                    b'[' if bytes.get(i + 1) == Some(&b'[') => {
                        let (target, label, after) = wikilink(self.body, i + 2, end)?;
                        self.run(run, i, hash && with_tags, heading.as_deref_mut());
                        let t = link_target(target);
                        if !t.is_empty() {
                            self.links.push((t.to_string(), self.line));
                        }
                        if let Some(h) = heading.as_deref_mut() {
                            h.push_str(label.unwrap_or(target));
                        }
                        i = after;
                        run = after;
                        hash = false;
                        continue;
                    }
                    b'[' => {
                        // Brackets that are no link (no body here defines
                        // one), like Dataview's `[due:: 2026-12-01]`.
                        let close = i + 1 + memchr(b']', &bytes[i + 1..end])?;
                        let inner = &bytes[i + 1..close];
                        if inner.is_empty()
                            || inner.iter().any(|&b| {
                                CLASS[b as usize] == NEVER || matches!(b, b'[' | b'*' | b'|')
                            })
                            || matches!(bytes.get(close + 1), Some(b'(' | b'[' | b':' | b']'))
                        {
                            return None;
                        }
                        hash |= inner.contains(&b'#');
                        i = close + 1;
                        continue;
                    }
                    _ => return None,
                },
            }
            i += 1;
        }
        self.run(run, end, hash && with_tags, heading);
        Some(())
    }

    /// A run of text between wikilinks.
    fn run(&mut self, from: usize, to: usize, tags: bool, heading: Option<&mut String>) {
        if from == to {
            return;
        }
        let text = &self.body[from..to];
        if let Some(h) = heading {
            h.push_str(text);
        }
        if tags {
            scan_tags(text, self.body[..from].chars().next_back(), self.tags);
        }
    }
}

/// The wikilink whose inside starts at `from` (after its `[[`), ending on
/// the line by `end`: its target, its label, and where the text after it
/// starts. `None` when it is not a plain wikilink.
fn wikilink(body: &str, from: usize, end: usize) -> Option<(&str, Option<&str>, usize)> {
    let bytes = body.as_bytes();
    let close = from + memchr(b']', &bytes[from..end])?;
    if bytes.get(close + 1) != Some(&b']')
        || matches!(bytes.get(close + 2), Some(b']' | b'[' | b'('))
    {
        return None;
    }
    let inner = &body[from..close];
    if inner
        .bytes()
        .any(|b| CLASS[b as usize] == NEVER || matches!(b, b'[' | b'*' | b'!'))
    {
        return None;
    }
    let (target, label) = match inner.split_once('|') {
        Some((t, l)) => (t, Some(l)),
        None => (inner, None),
    };
    let spaced = |s: &str| s.is_empty() || s.starts_with(' ') || s.ends_with(' ');
    if spaced(target) || label.is_some_and(|l| spaced(l) || l.contains('|')) {
        return None;
    }
    Some((target, label, close + 2))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testrand::Rng;

    /// Both readings of a body, with their problems, for comparing.
    fn both(body: &str) -> (Option<String>, String) {
        let mut p = Vec::new();
        let fast = scan(body, 3, &mut p).map(|b| format!("{b:?} {p:?}"));
        let mut p = Vec::new();
        let parsed = super::super::parse(body, 3, &mut p);
        (fast, format!("{parsed:?} {p:?}"))
    }

    #[test]
    fn the_usual_bodies_are_read_without_the_parser() {
        for body in [
            "# Onboarding status\n\n## Notes\n\nWe met #decision about [[Ada Lovelace|Ada]].\n\n## Follow-ups\n\n* [x] Book a room 🗓️ 2026-11-25\n- [ ] Send [[Ada]] the deck (due:: 2026-12-01) #ask\n",
            "Plain prose, with commas; and (parentheses)!\n",
            "## Interests\n- sailing\n- chess\n\n## Other\n+ no\n",
            "- [ ] pay 📅 2026-02-30\n",
            "- [x] Confirm the numbers [due:: 2025-02-09] #ask\n",
            "intro\n```rust\n- [ ] in a fence #no [[No]]\n  ```\n- [ ] after\n",
            "## Follow-ups\n\n> [!todo] Follow-ups\n> - [x] Review the deck\n> - [ ] Call [[Ada]]\n\nafter\n",
            "",
        ] {
            let (fast, parsed) = both(body);
            assert_eq!(fast.as_ref(), Some(&parsed), "{body:?}");
        }
    }

    #[test]
    fn anything_else_goes_to_the_parser() {
        for body in [
            "    indented code #tag\n",
            "a *b* c\n",
            "snake_case\n",
            "| a | b |\n| - | - |\n",
            "Title\n===\n",
            "Title\n---\n",
            "1. [ ] ordered\n",
            "> quoted\nlazily continued\n",
            "``` not ` a fence\n",
            "  - [ ] nested\n",
            "[x](people/x.md)\n",
            "[x]: people/x.md\n",
            "[x][y]\n",
            "![[embed]]\n",
            "[[a|b|c]]\n",
            "line\r\nend\n",
            "tab\there\n",
            "# Heading #tag\n",
            "- [x]: https://x.example\n",
            "[^1]: a footnote\n",
            "<b>html</b>\n",
        ] {
            assert_eq!(scan(body, 0, &mut Vec::new()).map(|_| ()), None, "{body:?}");
        }
    }

    #[test]
    fn ordinary_text_is_skipped_as_the_table_says() {
        // Every byte value at every place of a step, before and after a
        // step's end, and in the tail shorter than a step.
        for b in 0..=255u8 {
            for len in [1, 15, 16, 17, 31, 32, 40] {
                for at in 0..len {
                    let mut bytes = vec![b'a'; len];
                    bytes[at] = b;
                    let want = if CLASS[b as usize] == PLAIN { len } else { at };
                    for from in [0, at.min(3), at] {
                        assert_eq!(skip_plain(&bytes, from, len), want, "{b:#x} {len} {at}");
                        assert_eq!(skip_plain_bytes(&bytes, from), want, "{b:#x} {len} {at}");
                    }
                    // `end` is where the text stops, whatever is after it.
                    assert_eq!(skip_plain(&bytes, 0, at), at, "{b:#x} {len} {at}");
                }
            }
        }
        // Random text of ordinary and special bytes, from every start.
        let mut rng = Rng(7);
        for _ in 0..2_000 {
            let len = rng.below(70);
            let bytes: Vec<u8> = (0..len)
                .map(|_| match rng.below(40) {
                    0 => rng.below(256) as u8,
                    1 => b"#[]|*!<&\\`~_\n\t\x7f"[rng.below(15)],
                    _ => b"abc XYZ,.0123456789-+"[rng.below(21)],
                })
                .collect();
            for from in 0..=len {
                let end = from + rng.below(len - from + 1);
                assert_eq!(
                    skip_plain(&bytes, from, end),
                    from + skip_plain_bytes(&bytes[from..end], 0),
                    "{bytes:?} {from} {end}"
                );
            }
        }
    }

    #[test]
    fn whenever_it_answers_the_parser_agrees() {
        // Pieces: an ordinary list, then a tricky one (see `Rng::piece`).
        const STARTS: [&[&str]; 2] = [
            &[
                "", "", "", "# ", "## ", "- ", "* ", "+ ", "- [ ] ", "* [x] ", "- [/] ", "+ [-] ",
                "#", "[[", "> ", "> - [ ] ", ">", "```\n", "[!todo] ",
            ],
            &[
                "###### ",
                "####### ",
                "#",
                "# ",
                "-",
                "- [?] ",
                "- [!] ",
                "- [>] ",
                "- [X] ",
                "- [ ]",
                "- [x]: ",
                "- [ ]  ",
                "-  ",
                "- - ",
                "- # ",
                "- #",
                "- [[",
                "- [",
                "1. ",
                "```rust\n",
                "````\n",
                "``` a ` b\n",
                "  ```\n",
                "   ```\n",
                "    ```\n",
                "> ```\n",
                ">> ",
                ">x",
                "> > ",
                "[a]: ",
                "[a] ",
                "> # ",
                "> ## ",
                "- [é] ",
                "- [*] ",
                "- [|] ",
                "- [#] ",
                "- [`] ",
                "- [_] ",
                "- [[] ",
                "- []] ",
                "- [^] ",
                "1) ",
                "> ",
                " ",
                "  - ",
                "    ",
                "---",
                "***",
                "===",
                "--",
                "- -",
                ":",
                ": ",
                "|",
                "[",
                "[x]: ",
                "[^1]: ",
                "!",
                "![[",
                "## ",
                "# #",
                "=",
                "+",
                "*",
                "\t",
            ],
        ];
        const PIECES: [&[&str]; 2] = [
            &[
                "word",
                "two words",
                "Interests",
                "#tag",
                "#Tag-x/y",
                "a#b",
                "(#t)",
                ",#t",
                "[[Ada]]",
                "[[Ada Lovelace|Ada]]",
                "[[people/ada.md]]",
                "🗓️ 2026-11-25",
                "(due:: 2026-04-17)",
                "Great!",
                "é",
                "[due:: 2026-01-01]",
                "[!todo]",
            ],
            &[
                "#42",
                "#eee",
                "#",
                "##",
                "[[a#h]]",
                "[[a^b]]",
                "[[#h]]",
                "[[a|b|c]]",
                "[[ a ]]",
                "[[a| b]]",
                "[[]]",
                "[[a]]#t",
                "[[a]](x)",
                "[[a]][[b]]",
                "[[a]]]",
                "[[[a]]",
                "[[a]",
                "[[a\n]]",
                "![[img]]",
                "[x](y.md)",
                "[x]",
                "[a](b)",
                "[a][b]",
                "[a]: b",
                "[a] : b",
                "[a [[b]] c]",
                "[^1]",
                "[^a #b]",
                "[^1]: x",
                "[]",
                "[ ]",
                "[a]x",
                "[a]]",
                "[a",
                "a]",
                "[#t]",
                "[a #t]",
                "[*]",
                "```",
                "````",
                "]",
                "|",
                "*em*",
                "x*",
                "_u_",
                "`c`",
                "<b>",
                "&amp;",
                "~~s~~",
                "\\",
                "!",
                "![x]",
                "📅 2026-02-30",
                "due:2026-01-01",
                " ",
                "  ",
                "\u{a0}",
                "\t",
                ":",
                "$x$",
                "^",
                "{#id}",
                "=",
                ">",
                "a: b",
                "\r",
                "\u{0}",
            ],
        ];
        const ENDS: [&[&str]; 2] = [&["\n", "\n", "\n\n", "  \n"], &["", "\r\n", "\r", " "]];
        let mut rng = Rng(0x2545_f491_4f6c_dd1d);
        let (mut answered, mut total) = (0, 0);
        for _ in 0..200_000 {
            let mut body = String::new();
            for _ in 0..1 + rng.below(6) {
                body.push_str(rng.piece(STARTS));
                for k in 0..rng.below(5) {
                    if k > 0 && rng.below(3) > 0 {
                        body.push(' ');
                    }
                    body.push_str(rng.piece(PIECES));
                }
                body.push_str(rng.piece(ENDS));
            }
            total += 1;
            let (fast, parsed) = both(&body);
            if let Some(fast) = fast {
                answered += 1;
                assert_eq!(fast, parsed, "{body:?}");
            }
        }
        // The comparison is only worth something if many bodies were
        // answered (about one in eight: most hold a tricky piece).
        assert!(answered * 10 > total, "{answered} of {total}");
    }
}
