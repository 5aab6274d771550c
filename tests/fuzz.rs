//! Property tests of the note parser (`decode` + `parse_note`): whatever the
//! input, it never panics, keeps the path, puts every task, link and problem
//! on a real line, never takes a task from a code block or a usable front
//! matter, and takes time linear in the size of the note.

use std::hint::black_box;
use std::time::{Duration, Instant};

use proptest::prelude::*;
use proptest::sample::select;
use rapport::vault::{Kind, Note, ProblemCode, TaskStatus, decode, parse_note};

/// `cases` cases (or `PROPTEST_CASES`, for a longer hunt), and no
/// regression files written next to the sources. The seed is fixed so that
/// CI runs the same cases every time; `PROPTEST_SEED=random` (or a number)
/// explores further.
fn config(cases: u32) -> ProptestConfig {
    let seed = match std::env::var("PROPTEST_SEED").ok().as_deref() {
        Some("random") => proptest::test_runner::RngSeed::Random,
        Some(n) => proptest::test_runner::RngSeed::Fixed(n.parse().unwrap_or(0x5eed)),
        None => proptest::test_runner::RngSeed::Fixed(0x5eed),
    };
    ProptestConfig {
        cases: std::env::var("PROPTEST_CASES")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(cases),
        failure_persistence: None,
        rng_seed: seed,
        ..ProptestConfig::default()
    }
}

/// What every parse must give, whatever the text.
fn check(path: &str, text: &str, note: &Note) -> Result<(), TestCaseError> {
    prop_assert_eq!(&note.path, path);
    // Lines end at `\n`, `\r\n` or a lone `\r`, as in CommonMark.
    let normalized = text.replace("\r\n", "\n");
    let mut lines: Vec<&str> = normalized.split(['\n', '\r']).collect();
    if normalized.ends_with(['\n', '\r']) {
        lines.pop();
    }
    let last = lines.len().max(1);
    for t in &note.tasks {
        prop_assert!(
            (1..=lines.len()).contains(&t.line),
            "task {:?} on line {} of {}",
            t.text,
            t.line,
            lines.len()
        );
        let line = lines[t.line - 1];
        prop_assert!(
            line.contains(&format!("[{}]", t.marker)) && line.contains(t.text.as_str()),
            "task {:?} [{}] is not on its line {}: {:?}",
            t.text,
            t.marker,
            t.line,
            line
        );
        prop_assert!(!t.text.contains('\n'));
        prop_assert_eq!(
            t.status,
            match t.marker {
                'x' | 'X' => TaskStatus::Done,
                '-' => TaskStatus::Cancelled,
                _ => TaskStatus::Open,
            }
        );
    }
    for (target, line) in &note.links {
        prop_assert!(!target.is_empty());
        prop_assert!((1..=last).contains(line), "link {target:?} on line {line}");
    }
    for p in &note.problems {
        prop_assert!(!p.message.is_empty());
        if let Some(line) = p.line {
            prop_assert!((1..=last).contains(&line), "{:?} of {} lines", p, last);
        }
        if p.code == ProblemCode::BadDueDate {
            prop_assert!(
                note.tasks
                    .iter()
                    .any(|t| Some(t.line) == p.line && t.due.is_none()),
                "{:?} names no undated task",
                p
            );
        }
    }
    prop_assert!(
        note.tags
            .iter()
            .all(|t| !t.is_empty() && !t.starts_with('#'))
    );
    // A note whose front matter is unusable is a plain note, searchable whole.
    let whole = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    if note.problems.iter().any(|p| {
        matches!(
            p.code,
            ProblemCode::FrontMatterParse
                | ProblemCode::FrontMatterUnclosed
                | ProblemCode::FrontMatterNotMap
                | ProblemCode::TomlFrontMatter
        )
    }) {
        prop_assert_eq!(note.kind, Kind::Note);
        prop_assert!(note.body == whole, "the body is not the whole text");
    }
    Ok(())
}

// ---------------------------------------------------------------- generators

/// Words, links, tags, due dates and Markdown punctuation, as found inline.
fn inline_piece() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => "[a-zA-Z]{1,8}",
        2 => select(vec![
            "[[Ada Lovelace]]", "[[people/bob|Bob]]", "[[a|b]]", "[[", "]]", "[[ ]]",
            "![[img.png]]", "[[a#b]]", "[[a^b]]", "[[x.md]]", "[[[[x]]", "[[a\\|b]]",
            "#tag", "#Tag/sub", "#42", "#eee", "#ff8800", "a#b", "#ask", "#give", "#-/",
            "📅 2026-11-24", "📆 2026-02-30", "🗓️ 2026-1-1", "🗓 2026-12-31 10:00", "📅",
            "[due:: 2026-12-05]", "(due:: 2026-13-01)", "due:2026-12-07", "due:", "overdue:2026-01-01",
            "`code`", "`", "``", "**bold**", "*", "_", "__", "~~s~~", "\\", "&amp;", "&#0;",
            "[link](people/x.md)", "[x](http://a.example/b.md)", "[r]", "[^1]", "<https://x>",
            "{{date}}", "{{", "}}", "|", "\t", "  ", "\u{a0}", "\u{FEFF}", "\u{200b}", "é", "李雷",
            "🦀", "\u{301}", "\0",
        ])
        .prop_map(str::to_string),
        1 => "\\PC{1,4}",
    ]
}

fn inline_text() -> impl Strategy<Value = String> {
    prop::collection::vec(inline_piece(), 0..8).prop_map(|v| v.join(" "))
}

/// A task box: `[ ]`, `[x]`, `[/]`… and some that are not boxes.
fn task_box() -> impl Strategy<Value = String> {
    prop_oneof![
        8 => select(vec![' ', 'x', 'X', '-', '/', '>', '!', '?', '<', '*', 'é', '🦀'])
            .prop_map(|c| format!("[{c}]")),
        1 => select(vec!["[]", "[  ]", "[[]", "[]]", "[x", "[ ]x", "(x)"]).prop_map(str::to_string),
    ]
}

/// A list marker with what may precede it: indentation, block quotes.
fn list_prefix() -> impl Strategy<Value = String> {
    (
        select(vec![
            "",
            "",
            "  ",
            "    ",
            "\t",
            " ",
            "> ",
            "> > ",
            ">",
            "> [!todo] x\n> ",
        ]),
        select(vec!["-", "*", "+", "1.", "2)", "10.", "1234567890.", "-\t"]),
    )
        .prop_map(|(a, b)| format!("{a}{b}"))
}

/// One line of hostile Markdown.
fn md_line() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => (list_prefix(), task_box(), inline_text())
            .prop_map(|(p, b, t)| format!("{p} {b} {t}")),
        3 => inline_text(),
        2 => select(vec![
            "```", "~~~", "````", "```rust", "~~~md", "  ```", "    ```", "``` ```", "> ```",
            "- ```", "# Title", "## Interests", "### [[Ada]] #tag", "---", "***", "===", "...",
            "+++", "| a | b |", "|---|---|", "| - [ ] x | y |", "<div>", "</div>", "<!--",
            "-->", "<pre>", "</pre>", "    - [ ] indented code", "[ref]: /url", "[^1]: note",
            "", "", "- [ ]", "- [x]", "1. [ ] ordered", "> - [/] quoted", "- - - [ ] deep",
            "\\- [ ] escaped", "<!-- generated by rapport -->",
        ])
        .prop_map(str::to_string),
        1 => "\\PC{0,30}",
    ]
}

/// A line end: mostly `\n`, sometimes CRLF, now and then a lone CR.
fn line_end() -> impl Strategy<Value = &'static str> {
    prop_oneof![8 => Just("\n"), 3 => Just("\r\n"), 1 => Just("\r")]
}

fn markdown(max_lines: usize) -> impl Strategy<Value = String> {
    prop::collection::vec((md_line(), line_end()), 0..max_lines)
        .prop_map(|v| v.into_iter().map(|(l, e)| l + e).collect())
}

/// A YAML-ish front-matter line: keys rapport reads, indentation, quotes,
/// flow collections, anchors, tags, wikilinks.
fn yaml_line() -> impl Strategy<Value = String> {
    let key = prop_oneof![
        3 => select(vec![
            "name", "type", "title", "date", "attendees", "aliases", "alias", "tags", "cadence",
            "relation", "last_contact", "Last-Contact", "org", "company", "projects", "email",
            "interests", "categories", "people", "with", "team",
        ])
        .prop_map(str::to_string),
        1 => "[a-zA-Z_ -]{1,10}",
        1 => select(vec!["\"quoted key\"", "'k'", "? complex", "1", "true", "null", "[a]", ""])
            .prop_map(str::to_string),
    ];
    let value = prop_oneof![
        3 => select(vec![
            "", "person", "meeting", "People", "1on1", "2026-01-05", "2026-02-30",
            "2026-11-20T14:30:00+02:00", "\"2026-11-20 14:30\"", "[[2026-01-01]]", "[[Ada]]",
            "\"[[Ada|A]]\"", "[a, b]", "[[A]], [[B]]", "[\"[[People]]\"]", "'quoted'",
            "\"unclosed", "'it''s'", "&a x", "*a", "*missing", "!!str 5", "!custom x", "{a: 1}",
            "{a: [b, {c: d}]}", "- x", "|", ">-", "30d", "2w", "weekly", "0d", "99999999999d",
            "internal", "External", "friend", "[", "]", "{", ":", ": :", "#tag", "a #comment",
            "{{date}}", "null", "yes", "0x1F", "1e999", ".nan", "\"\\u0000\"", "\"\\x\"",
            "ada@x.example, bob", "\t", "李雷", "🦀",
        ])
        .prop_map(str::to_string),
        // Printable ASCII but `<` (an HTML block would hide the body) and `` ` ``/`~` (fences).
        1 => "[ -;=-_a-}]{0,20}",
    ];
    (
        select(vec!["", "", "", "  ", "    ", "\t", "- ", "  - ", " "]),
        key,
        select(vec![": ", ":", " : ", ":: ", " "]),
        value,
    )
        .prop_map(|(indent, k, sep, v)| format!("{indent}{k}{sep}{v}"))
}

/// Front matter: optional BOM, an opening line (sometimes not a fence), YAML
/// lines, maybe a closing line.
#[derive(Debug, Clone)]
struct FrontMatter {
    bom: bool,
    open: &'static str,
    yaml: Vec<String>,
    close: Option<&'static str>,
    crlf: bool,
}

fn front_matter() -> impl Strategy<Value = FrontMatter> {
    (
        prop::bool::weighted(0.2),
        select(vec![
            "---", "---", "---", "---  ", "--- \t", "+++", "----", " ---", "--", "...",
        ]),
        prop::collection::vec(yaml_line(), 0..10),
        prop_oneof![
            6 => select(vec!["---", "...", "--- ", "...\t"]).prop_map(Some),
            1 => select(vec!["----", " ---", "+++", "-- -"]).prop_map(Some),
            1 => Just(None),
        ],
        prop::bool::weighted(0.3),
    )
        .prop_map(|(bom, open, yaml, close, crlf)| FrontMatter {
            bom,
            open,
            yaml,
            close,
            crlf,
        })
}

impl FrontMatter {
    fn text(&self) -> String {
        let nl = if self.crlf { "\r\n" } else { "\n" };
        let mut out = String::new();
        if self.bom {
            out.push('\u{FEFF}');
        }
        out.push_str(self.open);
        out.push_str(nl);
        for l in &self.yaml {
            out.push_str(l);
            out.push_str(nl);
        }
        if let Some(c) = self.close {
            out.push_str(c);
            out.push_str(nl);
        }
        out
    }

    fn opened(&self) -> bool {
        self.open.trim_end() == "---"
    }

    /// The 1-based line of the file that closes the block, if any (a
    /// generated YAML line can close it too).
    fn close_line(&self) -> Option<usize> {
        self.yaml
            .iter()
            .map(String::as_str)
            .chain(self.close)
            .position(|l| matches!(l.trim_end(), "---" | "..."))
            .map(|i| i + 2)
    }
}

/// Pieces of bytes for the byte-level property: random bytes mixed with
/// encodings' signatures, truncated UTF-8 and Markdown syntax.
fn byte_piece() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        4 => prop::collection::vec(any::<u8>(), 1..8),
        3 => select(vec![
            &b"\xEF\xBB\xBF"[..], b"\xFF\xFE", b"\xFE\xFF", b"---\n", b"---\r\n", b"...\n",
            b"+++\n", b"\n", b"\r\n", b"\r", b"\0", b"- [ ] ", b"- [x] ", b"> - [/] ",
            b"1. [ ] ", b"```\n", b"~~~\n", b"[[", b"]]", b"[[a|b]]", b"#tag ", b"\xF0\x9F\x93\x85 2026-01-02",
            b"\xF0\x9F\x93", b"\xC3", b"\xE9", b"\xED\xA0\x80", b"\xC0\xAF", b"\xD8\x00", b"\x00\xD8",
            b"name: x\n", b"type: person\n", b"{{x}}", b"\x1b[31m",
        ])
        .prop_map(<[u8]>::to_vec),
    ]
}

fn bytes() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        1 => prop::collection::vec(any::<u8>(), 0..2048),
        3 => prop::collection::vec(byte_piece(), 0..120).prop_map(|v| v.concat()),
    ]
}

// ------------------------------------------------------------ the properties

proptest! {
    #![proptest_config(config(256))]

    /// Arbitrary bytes: decoded, then parsed, never a panic.
    #[test]
    fn arbitrary_bytes_decode_and_parse(bytes in bytes(), path in "[a-z]{1,6}(/[a-z ]{1,6}){0,2}\\.md") {
        let mut problems = Vec::new();
        let text = decode(&bytes, &mut problems);
        prop_assert!(problems.len() <= 1);
        let note = parse_note(&path, &text, problems);
        check(&path, &text, &note)?;
    }

    /// Valid UTF-8 comes back unchanged (a leading BOM aside), unreported.
    #[test]
    fn utf8_decodes_to_itself(text in any::<String>()) {
        let mut problems = Vec::new();
        let decoded = decode(text.as_bytes(), &mut problems);
        prop_assert_eq!(decoded.as_str(), text.trim_start_matches('\u{FEFF}'));
        prop_assert!(problems.is_empty());
    }

    /// UTF-16 with a BOM, either byte order, is converted and reported.
    #[test]
    fn utf16_with_bom_round_trips(text in any::<String>(), le in any::<bool>()) {
        let mut bytes = if le { vec![0xFF, 0xFE] } else { vec![0xFE, 0xFF] };
        for unit in text.encode_utf16() {
            bytes.extend(if le { unit.to_le_bytes() } else { unit.to_be_bytes() });
        }
        let mut problems = Vec::new();
        prop_assert_eq!(decode(&bytes, &mut problems), text);
        prop_assert_eq!(problems.len(), 1);
        prop_assert_eq!(problems[0].code, ProblemCode::NotUtf8);
    }

    /// A Latin-1 byte is replaced and reported on its line.
    #[test]
    fn invalid_utf8_is_reported_on_its_line(before in "[^\u{FEFF}]*", after in any::<String>()) {
        let mut bytes = before.as_bytes().to_vec();
        bytes.extend_from_slice(b"\xFFx");
        bytes.extend_from_slice(after.as_bytes());
        let mut problems = Vec::new();
        let text = decode(&bytes, &mut problems);
        prop_assert!(text.contains(char::REPLACEMENT_CHARACTER));
        prop_assert_eq!(problems.len(), 1);
        prop_assert_eq!(problems[0].code, ProblemCode::NotUtf8);
        prop_assert_eq!(problems[0].line, Some(before.matches('\n').count() + 1));
    }

    /// Front matter of every shape, then a body: the problems the README
    /// promises, tasks never from a usable front matter, and the body's task
    /// on its line whether or not the front matter was usable.
    #[test]
    fn arbitrary_front_matter(fm in front_matter(), body in prop::collection::vec(inline_text(), 0..4)) {
        let nl = if fm.crlf { "\r\n" } else { "\n" };
        let mut text = fm.text();
        for l in &body {
            // Body lines start with a word, so they never open a block.
            text.push_str(&format!("Word {l}{nl}"));
        }
        text.push_str(&format!("{nl}- [ ] BODYTASK{nl}"));
        let note = parse_note("people/x.md", &text, Vec::new());
        check("people/x.md", &text, &note)?;
        let codes: Vec<ProblemCode> = note.problems.iter().map(|p| p.code).collect();
        if note.is_template() {
            return Ok(());
        }
        if fm.open.trim_end() == "+++" {
            prop_assert!(codes.contains(&ProblemCode::TomlFrontMatter), "{:?}", codes);
        }
        if fm.opened() && fm.close_line().is_none() {
            prop_assert!(codes.contains(&ProblemCode::FrontMatterUnclosed), "{:?}", codes);
        }
        let want = text.lines().position(|l| l == "- [ ] BODYTASK").map(|i| i + 1);
        let got: Vec<usize> = note.tasks.iter().filter(|t| t.text == "BODYTASK").map(|t| t.line).collect();
        prop_assert_eq!(got, want.into_iter().collect::<Vec<_>>());
        let usable = !codes.iter().any(|c| matches!(c, ProblemCode::FrontMatterParse | ProblemCode::FrontMatterNotMap));
        if let Some(fence_line) = fm.close_line().filter(|_| fm.opened() && usable) {
            prop_assert!(
                note.tasks.iter().all(|t| t.line > fence_line),
                "a task from the front matter: {:?}",
                note.tasks
            );
        }
        // A UTF-8 BOM changes nothing.
        if !fm.bom {
            let with_bom = parse_note("people/x.md", &format!("\u{FEFF}{text}"), Vec::new());
            prop_assert_eq!(&with_bom, &note);
        }
    }

    /// Hostile Markdown: list markers, boxes, quotes, fences (closed or
    /// not), links, due dates, tags, CR, CRLF.
    #[test]
    fn arbitrary_markdown(fm in prop::option::of(front_matter()), body in markdown(40)) {
        let text = fm.map(|f| f.text()).unwrap_or_default() + &body;
        let note = parse_note("meetings/2026-01-01 x.md", &text, Vec::new());
        check("meetings/2026-01-01 x.md", &text, &note)?;
    }

    /// The same note with CRLF line ends gives the same tasks, links, tags,
    /// fields and problems.
    #[test]
    fn crlf_reads_like_lf(fm in prop::option::of(front_matter()), lines in prop::collection::vec(md_line(), 0..30)) {
        let fm = fm.map(|f| FrontMatter { crlf: false, ..f });
        let head = fm.map(|f| f.text()).unwrap_or_default();
        let lf = head.clone() + &lines.iter().map(|l| format!("{l}\n")).collect::<String>();
        // Only line ends change (no CR inside lines), and the template check,
        // which reads the first 4 KiB, sees the same text.
        if lf.contains('\r') || lf.len() * 2 > 4096 {
            return Ok(());
        }
        let crlf = lf.replace('\n', "\r\n");
        let a = parse_note("x.md", &lf, Vec::new());
        let b = parse_note("x.md", &crlf, Vec::new());
        check("x.md", &crlf, &b)?;
        prop_assert_eq!(&a.tasks, &b.tasks);
        prop_assert_eq!(&a.links, &b.links);
        prop_assert_eq!(&a.tags, &b.tags);
        // pulldown-cmark turns a line end inside a code span into one space
        // for LF and two for CRLF: titles compare with white space folded.
        let fold = |t: &str| t.split_whitespace().collect::<Vec<_>>().join(" ");
        prop_assert_eq!((a.kind, fold(&a.title), a.date), (b.kind, fold(&b.title), b.date));
        prop_assert_eq!((&a.attendees, &a.projects, &a.person), (&b.attendees, &b.projects, &b.person));
        let places = |n: &Note| n.problems.iter().map(|p| (p.code, p.line)).collect::<Vec<_>>();
        prop_assert_eq!(places(&a), places(&b));
    }
}

// ------------------------------------------------------ fenced code blocks

/// A block of a document built to know exactly which tasks it holds.
#[derive(Debug, Clone)]
enum Block {
    /// Lines that start with a word: no task.
    Paragraph(Vec<String>),
    /// Task items: (prefix, box, text after the id).
    Tasks(Vec<(&'static str, char, String)>),
    /// A fenced code block full of task lines, closed; `container` is the
    /// prefix of every line (`""`, `"> "`, or a list item's indentation).
    Fence {
        container: &'static str,
        fence: char,
        len: usize,
        indent: usize,
        info: String,
        lines: Vec<String>,
        close_extra: usize,
    },
    /// A heading with links and tags.
    Heading(String),
}

fn fenced_content(fence: char, len: usize) -> impl Strategy<Value = String> {
    let other = if fence == '`' { '~' } else { '`' };
    let shorter = (3..len.max(4)).map(|n| fence.to_string().repeat(n));
    let shorter: Vec<String> = if len > 3 {
        shorter.collect()
    } else {
        Vec::new()
    };
    prop_oneof![
        4 => select(vec![
            "- [ ] FENCED", "* [x] FENCED", "1. [ ] FENCED", "> - [/] FENCED", "  - [-] FENCED",
            "    - [ ] FENCED", "- [ ] FENCED [[Ada]] #tag 📅 2026-01-01", "", "---", "+++",
            "# FENCED heading", "<div>", "- [ ] FENCED `",
        ])
        .prop_map(str::to_string),
        1 => inline_text().prop_map(|t| format!("- [ ] FENCED {t}")),
        1 => (3usize..6).prop_map(move |n| other.to_string().repeat(n)),
        1 => (3usize..6).prop_map(move |n| format!("{} - [ ] FENCED", other.to_string().repeat(n))),
        1 => if shorter.is_empty() {
            Just("- [ ] FENCED".to_string()).boxed()
        } else {
            select(shorter).boxed()
        },
    ]
}

/// Inline text that cannot start or end a block, nor hide a task.
fn safe_inline() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            3 => "[a-zA-Z]{1,8}",
            1 => select(vec![
                "[[Ada Lovelace]]", "[[people/bob|Bob]]", "[[", "]]", "#tag", "#42", "📅 2026-11-24",
                "📆 2026-02-30", "[due:: 2026-12-05]", "`code`", "**b**", "[l](x.md)", "{{x}}",
            ])
            .prop_map(str::to_string),
        ],
        0..5,
    )
    .prop_map(|v| v.join(" "))
}

fn block() -> impl Strategy<Value = Block> {
    let fence = (select(vec!['`', '~']), 3usize..6).prop_flat_map(|(fence, len)| {
        (
            select(vec!["", "", "> ", "  "]),
            // Indented by two, a fence after a list would belong to its item.
            0usize..2,
            "[a-z]{0,5}",
            prop::collection::vec(fenced_content(fence, len), 0..8),
            0usize..3,
        )
            .prop_map(
                move |(container, indent, info, lines, close_extra)| Block::Fence {
                    container,
                    fence,
                    len,
                    indent,
                    info,
                    lines,
                    close_extra,
                },
            )
    });
    prop_oneof![
        2 => prop::collection::vec(safe_inline(), 1..3)
            .prop_map(|v| Block::Paragraph(v.into_iter().map(|l| format!("Word {l}")).collect())),
        3 => prop::collection::vec(
            (
                select(vec!["- ", "* ", "+ ", "1. ", "1) ", "> - ", "> > * ", "> 1. "]),
                select(vec![' ', 'x', 'X', '-', '/', '>', '!', '?']),
                safe_inline(),
            ),
            1..4,
        )
        .prop_map(Block::Tasks),
        1 => safe_inline().prop_map(Block::Heading),
        4 => fence,
    ]
}

/// Renders blocks separated by blank lines; returns the text and the tasks
/// it holds, as (line, id, marker).
fn render(blocks: &[Block], nl: &str) -> (String, Vec<(usize, String, char)>) {
    let mut lines: Vec<String> = Vec::new();
    let mut tasks = Vec::new();
    for b in blocks {
        if !lines.is_empty() {
            lines.push(String::new());
        }
        match b {
            Block::Paragraph(ls) => lines.extend(ls.iter().cloned()),
            Block::Heading(h) => lines.push(format!("# Heading {h}")),
            Block::Tasks(items) => {
                for (prefix, marker, rest) in items {
                    let id = format!("T{}", tasks.len());
                    lines.push(format!("{prefix}[{marker}] {id} {rest}"));
                    tasks.push((lines.len(), id, *marker));
                }
            }
            Block::Fence {
                container,
                fence,
                len,
                indent,
                info,
                lines: content,
                close_extra,
            } => {
                // A fence inside a list item needs the item first.
                let container = if *container == "  " {
                    lines.push("- item".into());
                    lines.push(String::new());
                    "  "
                } else {
                    container
                };
                let pad = " ".repeat(*indent);
                let f = fence.to_string();
                lines.push(format!("{container}{pad}{}{info}", f.repeat(*len)));
                for c in content {
                    lines.push(if c.is_empty() && container == "  " {
                        String::new()
                    } else {
                        format!("{container}{c}")
                    });
                }
                lines.push(format!("{container}{pad}{}", f.repeat(len + close_extra)));
            }
        }
    }
    let text = lines.iter().map(|l| format!("{l}{nl}")).collect();
    (text, tasks)
}

proptest! {
    #![proptest_config(config(256))]

    /// Tasks inside closed fenced code blocks never count, every other task
    /// does, each on its line.
    #[test]
    fn no_task_from_a_closed_fence(
        blocks in prop::collection::vec(block(), 1..10),
        crlf in any::<bool>(),
        fm in any::<bool>(),
    ) {
        let nl = if crlf { "\r\n" } else { "\n" };
        let (body, want) = render(&blocks, nl);
        let head = if fm { format!("---{nl}title: x{nl}---{nl}") } else { String::new() };
        let shift = if fm { 3 } else { 0 };
        let text = head + &body;
        let note = parse_note("x.md", &text, Vec::new());
        check("x.md", &text, &note)?;
        prop_assert!(
            note.tasks.iter().all(|t| !t.text.contains("FENCED")),
            "a task from a code block: {:?}\n{}",
            note.tasks,
            text
        );
        let got: Vec<(usize, String, char)> = note
            .tasks
            .iter()
            .map(|t| (t.line, t.text.split(' ').next().unwrap_or("").to_string(), t.marker))
            .collect();
        let want: Vec<(usize, String, char)> =
            want.into_iter().map(|(l, id, m)| (l + shift, id, m)).collect();
        prop_assert_eq!(got, want, "{}", text);
    }
}

// ------------------------------------------------------------ linear time

/// The fastest of `runs` parses of `text`.
fn parse_time(text: &str, runs: usize) -> Duration {
    (0..runs)
        .map(|_| {
            let started = Instant::now();
            black_box(parse_note("t.md", black_box(text), Vec::new()));
            started.elapsed()
        })
        .min()
        .unwrap_or_default()
}

/// What ends every text of the linear-time tests: it closes what the
/// repeated chunk opened (links, code spans, emphasis, comments), which is
/// where a parser that looks ahead goes quadratic, and keeps a line of `- `
/// from being a thematic break.
const TAIL: &str = "x]])`*_>-->]\n";

/// Parsing `chunk` repeated to about 8 KiB, then 64 times that, must take
/// no more than 200 times as long (plus half a second of slack for
/// scheduling): linear time gives 64, quadratic 4096.
fn assert_linear(chunk: &str) -> Result<(), TestCaseError> {
    if chunk.is_empty() {
        return Ok(());
    }
    let reps = (8192 / chunk.len()).max(1);
    let small = chunk.repeat(reps) + TAIL;
    let big = chunk.repeat(reps * 64) + TAIL;
    let t1 = parse_time(&small, 5);
    let t64 = parse_time(&big, 1);
    prop_assert!(
        t64 <= t1 * 200 + Duration::from_millis(500),
        "{} bytes took {:?}, 64 times that {:?}: not linear. Chunk: {:?}",
        small.len(),
        t1,
        t64,
        chunk
    );
    Ok(())
}

/// Chunks known to be slow somewhere (Markdown parsers, our own scans).
const PATHOLOGICAL: &[&str] = &[
    "[[",
    "- ",
    "- [ ] [[",
    "- [ ] [[a|",
    "1. ",
    "> ",
    "> - ",
    "`",
    "``` ",
    "*a ",
    "**_",
    "[a](",
    "[",
    "![[",
    "<a ",
    "<!--",
    "|",
    "| a |\n",
    "#",
    "#a",
    "📅 ",
    "due:",
    "---\n",
    "- [ ] x\n",
    "  - [ ] x\n",
    "\r",
    "[^a]: [^a]\n",
    "\t",
    "{{",
    "]]",
    "\\",
    "&#",
];

#[test]
fn known_pathological_inputs_parse_in_linear_time() {
    for chunk in PATHOLOGICAL {
        let started = Instant::now();
        assert_linear(chunk).unwrap();
        let took = started.elapsed();
        assert!(took < Duration::from_secs(20), "{chunk:?} took {took:?}");
    }
}

proptest! {
    #![proptest_config(config(16))]

    /// Random chunks of hostile Markdown, repeated: linear time.
    #[test]
    fn random_chunks_parse_in_linear_time(
        chunk in prop_oneof![
            markdown(6),
            (select(PATHOLOGICAL.to_vec()), markdown(3)).prop_map(|(p, m)| format!("{p}{m}")),
            prop::collection::vec(inline_piece(), 1..6).prop_map(|v| v.concat()),
        ]
    ) {
        assert_linear(&chunk)?;
    }
}
