//! Hostile vaults: every file here is one an editor, a sync tool or an
//! attacker could leave in a vault. For each, the real binary must finish
//! quickly, report the file where the README says so (`index --json` →
//! `problems` with `path`, `line`, `code`, `message`), and keep indexing
//! every other note: each vault holds `ok.md`, whose word must stay
//! searchable.

use std::fs;
use std::io::{BufWriter, Write};
use std::os::unix::fs::{PermissionsExt, symlink};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rapport::vault::scan::{self, Read1};
use rapport::vault::{ParseOpts, ProblemCode};
use serde_json::Value;

use crate::util::{Vault, example_vault, snapshot};

/// The word of `ok.md`, found in no other note.
const OK_WORD: &str = "okapiquokka";

/// How long one command may take. Generous: tests run in parallel on a
/// debug build; the actual times are printed (`--nocapture`).
const LIMIT: Duration = Duration::from_secs(20);

/// For the 50 MB and 100 MB notes: a debug build of tantivy needs ~20 s to
/// index 100 MB on an idle machine (a release build ~2 s).
const BIG_LIMIT: Duration = if cfg!(debug_assertions) {
    Duration::from_secs(120)
} else {
    LIMIT
};

/// A vault holding `ok.md`.
fn vault() -> Vault {
    let v = Vault::new();
    v.write("ok.md", &format!("# OK\n{OK_WORD}\n"));
    v
}

/// Writes raw bytes (creating folders).
fn write_bytes(v: &Vault, rel: &str, bytes: &[u8]) -> PathBuf {
    let p = v.path().join(rel);
    fs::create_dir_all(p.parent().unwrap()).unwrap();
    fs::write(&p, bytes).unwrap();
    p
}

/// `rapport --json ARGS`, which must exit 0 or 1 within `limit`.
fn timed(v: &Vault, case: &str, args: &[&str], limit: Duration) -> Value {
    let started = Instant::now();
    let out = v.json(args);
    let took = started.elapsed();
    eprintln!("[{case}] rapport {} took {took:.2?}", args.join(" "));
    assert!(
        took < limit,
        "[{case}] rapport {args:?} took {took:?}, more than {limit:?}"
    );
    out
}

/// `index --json`, then checks: every problem is well formed, `ok.md` is
/// still found, `people` answers. Returns the index statistics.
fn index_within(v: &Vault, case: &str, limit: Duration) -> Value {
    let stats = timed(v, case, &["index"], limit);
    for p in stats["problems"].as_array().expect("problems") {
        assert!(p["path"].is_string(), "{p}");
        assert!(
            p["line"].is_null() || p["line"].as_u64().is_some_and(|l| l >= 1),
            "{p}"
        );
        let code = p["code"].as_str().expect("code");
        assert!(
            !code.is_empty()
                && code
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
            "{p}"
        );
        assert!(
            p["message"].as_str().is_some_and(|m| !m.trim().is_empty()),
            "{p}"
        );
    }
    assert_eq!(
        found(v, case, OK_WORD, limit),
        vec!["ok.md"],
        "[{case}] the other notes must still be indexed"
    );
    assert!(timed(v, case, &["people"], limit).is_array());
    stats
}

fn index(v: &Vault, case: &str) -> Value {
    index_within(v, case, LIMIT)
}

/// The paths `search QUERY` finds.
fn found(v: &Vault, case: &str, query: &str, limit: Duration) -> Vec<String> {
    let hits = timed(v, case, &["search", query], limit);
    hits.as_array()
        .expect("search gives a list")
        .iter()
        .map(|h| h["path"].as_str().unwrap().to_string())
        .collect()
}

/// The problems reported for `path`.
fn problems_of<'a>(stats: &'a Value, path: &str) -> Vec<&'a Value> {
    stats["problems"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["path"] == path)
        .collect()
}

/// The one problem of `path`, which must have `code`.
fn assert_code<'a>(stats: &'a Value, path: &str, code: ProblemCode) -> &'a Value {
    let ps = problems_of(stats, path);
    assert_eq!(ps.len(), 1, "{path}: {ps:?}\n{stats}");
    assert_eq!(ps[0]["code"], code.as_str(), "{path}: {}", ps[0]);
    ps[0]
}

/// The one problem of `path`, which must have `code` and `line`.
fn assert_problem<'a>(
    stats: &'a Value,
    path: &str,
    code: ProblemCode,
    line: Option<u64>,
) -> &'a Value {
    let ps = problems_of(stats, path);
    assert_eq!(ps.len(), 1, "{path}: {ps:?}\n{stats}");
    assert_eq!(ps[0]["code"], code.as_str(), "{path}: {}", ps[0]);
    assert_eq!(ps[0]["line"].as_u64(), line, "{path}: {}", ps[0]);
    ps[0]
}

/// The search hit for `path` in `search QUERY`, which must be there.
fn hit(v: &Vault, case: &str, query: &str, path: &str) -> Value {
    let hits = timed(v, case, &["search", query], LIMIT);
    hits.as_array()
        .unwrap()
        .iter()
        .find(|h| h["path"] == path)
        .unwrap_or_else(|| panic!("[{case}] search {query:?} does not find {path}: {hits}"))
        .clone()
}

/// Restores permissions when dropped, so a failed test still cleans up.
struct Restore(Vec<(PathBuf, u32)>);

impl Drop for Restore {
    fn drop(&mut self) {
        for (p, mode) in self.0.iter().rev() {
            let _ = fs::set_permissions(p, fs::Permissions::from_mode(*mode));
        }
    }
}

fn chmod(p: &Path, mode: u32) {
    fs::set_permissions(p, fs::Permissions::from_mode(mode)).unwrap();
}

// ------------------------------------------------------------------- YAML

#[test]
fn yaml_alias_bomb_is_refused_not_expanded() {
    let v = vault();
    // Billion laughs: 9^9 "lol"s if expanded.
    let mut yaml = String::from(
        "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    for i in 0..9u8 {
        let (prev, cur) = ((b'a' + i) as char, (b'b' + i) as char);
        let refs = vec![format!("*{prev}"); 9].join(",");
        yaml.push_str(&format!("{cur}: &{cur} [{refs}]\n"));
    }
    yaml.push_str("attendees: *j\ntags: *j\n");
    v.write("bomb.md", &format!("---\n{yaml}---\nbombword\n"));
    let stats = index(&v, "alias bomb");
    let p = assert_problem(&stats, "bomb.md", ProblemCode::FrontMatterParse, Some(2));
    assert!(p["message"].as_str().unwrap().contains("limit"), "{p}");
    // Indexed as a plain note, its text searchable.
    let h = hit(&v, "alias bomb", "bombword", "bomb.md");
    assert_eq!(h["kind"], "note");
}

#[test]
fn yaml_nested_10000_levels_deep_is_refused() {
    let v = vault();
    let n = 10_000;
    v.write(
        "flow-seq.md",
        &format!(
            "---\na: {}{}\n---\ndeepword\n",
            "[".repeat(n),
            "]".repeat(n)
        ),
    );
    v.write(
        "flow-map.md",
        &format!(
            "---\na: {}1{}\n---\ndeepword\n",
            "{a: ".repeat(n),
            "}".repeat(n)
        ),
    );
    v.write(
        "block-seq.md",
        &format!("---\na:\n{}x\n---\ndeepword\n", "- ".repeat(n)),
    );
    // Deep Markdown too: quotes, lists, ordered lists 10,000 levels deep.
    v.write(
        "deep-body.md",
        &format!(
            "{}- [ ] quoted deep\n\n{}[ ] listed deep\n\n{}x\n\ndeepword\n",
            "> ".repeat(n),
            "- ".repeat(n),
            "1. ".repeat(n)
        ),
    );
    let stats = index(&v, "deep nesting");
    for (path, line) in [("flow-seq.md", 2), ("flow-map.md", 2), ("block-seq.md", 3)] {
        let p = assert_problem(&stats, path, ProblemCode::FrontMatterParse, Some(line));
        assert!(
            p["message"].as_str().unwrap().contains("recursion limit"),
            "{p}"
        );
    }
    assert!(problems_of(&stats, "deep-body.md").is_empty(), "{stats}");
    let mut paths = found(&v, "deep nesting", "deepword", LIMIT);
    paths.sort();
    assert_eq!(
        paths,
        ["block-seq.md", "deep-body.md", "flow-map.md", "flow-seq.md"]
    );
    let tasks = timed(&v, "deep nesting", &["followups", "--all-tasks"], LIMIT);
    let texts: Vec<&str> = tasks["tasks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["text"].as_str().unwrap())
        .collect();
    assert!(
        texts.contains(&"quoted deep") && texts.contains(&"listed deep"),
        "{texts:?}"
    );
}

// ------------------------------------------------------------- huge notes

/// Writes `head`, then `piece(0)`, `piece(1)`… streamed until the file has
/// about `total` bytes, then `tail`. Returns the number of pieces.
fn write_big(
    path: &Path,
    head: &str,
    tail: &str,
    total: usize,
    piece: impl Fn(usize) -> &'static str,
) -> usize {
    let mut w = BufWriter::with_capacity(1 << 20, fs::File::create(path).unwrap());
    w.write_all(head.as_bytes()).unwrap();
    let mut written = head.len() + tail.len();
    let mut i = 0;
    while written < total {
        let p = piece(i);
        w.write_all(p.as_bytes()).unwrap();
        written += p.len();
        i += 1;
    }
    w.write_all(tail.as_bytes()).unwrap();
    w.flush().unwrap();
    i
}

#[test]
fn a_50_mb_single_line() {
    let v = vault();
    v.write("people/Ada Lovelace.md", "---\ntype: person\n---\n");
    let path = v.path().join("line.md");
    write_big(&path, "linestart ", " lineendword", 50_000_000, |i| {
        if i % 100 == 0 {
            "met [[Ada Lovelace]] about #bigline "
        } else {
            "lorem ipsum dolor sit amet "
        }
    });
    assert!(fs::metadata(&path).unwrap().len() >= 50_000_000);
    let case = "50 MB line";
    let stats = index_within(&v, case, BIG_LIMIT);
    assert!(problems_of(&stats, "line.md").is_empty(), "{stats}");
    // The end of the line is indexed too.
    assert_eq!(found(&v, case, "lineendword", BIG_LIMIT), ["line.md"]);
    let ada = timed(&v, case, &["person", "Ada Lovelace"], BIG_LIMIT);
    assert_eq!(ada["mentions"][0]["path"], "line.md", "{ada}");
}

#[test]
fn a_100_mb_note() {
    let v = vault();
    v.write("people/Ada Lovelace.md", "---\ntype: person\n---\n");
    let path = v.path().join("huge.md");
    // One line per piece: the task is on line 2 + pieces + 1.
    let pieces = write_big(
        &path,
        "# Huge\nhugestart\n",
        "- [ ] hugetask for [[Ada Lovelace]] 📅 2026-12-01\nhugeendword\n",
        100_000_000,
        |i| {
            if i % 10_000 == 0 {
                "Met [[Ada Lovelace]] again, #huge.\n"
            } else {
                "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor.\n"
            }
        },
    );
    assert!(fs::metadata(&path).unwrap().len() >= 100_000_000);
    let case = "100 MB note";
    let stats = index_within(&v, case, BIG_LIMIT);
    assert!(problems_of(&stats, "huge.md").is_empty(), "{stats}");
    // The end of the note is indexed too.
    assert_eq!(found(&v, case, "hugeendword", BIG_LIMIT), ["huge.md"]);
    let ada = timed(&v, case, &["person", "Ada Lovelace"], BIG_LIMIT);
    let task = &ada["open_tasks"][0];
    assert_eq!(task["path"], "huge.md", "{ada}");
    assert_eq!(task["line"].as_u64(), Some(pieces as u64 + 3), "{ada}");
    assert_eq!(task["due"], "2026-12-01", "{ada}");
    assert_eq!(ada["mentions"][0]["path"], "huge.md", "{ada}");
}

// --------------------------------------------------------------- encodings

#[test]
fn latin1_file_is_decoded_and_reported() {
    let v = vault();
    // "Café" and "naïve" in Latin-1: é = 0xE9, ï = 0xEF.
    write_bytes(
        &v,
        "latin1.md",
        b"---\ntitle: Caf\xe9\n---\nlatinword na\xefve\n",
    );
    let stats = index(&v, "latin-1");
    let p = assert_problem(&stats, "latin1.md", ProblemCode::NotUtf8, Some(2));
    assert!(p["message"].as_str().unwrap().contains("UTF-8"), "{p}");
    let h = hit(&v, "latin-1", "latinword", "latin1.md");
    assert_eq!(h["title"], "Caf\u{FFFD}", "{h}");
}

#[test]
fn utf16_le_with_bom_is_decoded_and_reported() {
    let v = vault();
    let text = "---\ntype: person\nname: Zoë Sixteen\n---\nsixteenword 李雷\n";
    let mut le = vec![0xFF, 0xFE];
    le.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    write_bytes(&v, "people/utf16le.md", &le);
    let mut be = vec![0xFE, 0xFF];
    be.extend(
        text.replace("Zoë Sixteen", "Big Endian")
            .encode_utf16()
            .flat_map(u16::to_be_bytes),
    );
    write_bytes(&v, "people/utf16be.md", &be);
    let stats = index(&v, "utf-16");
    for path in ["people/utf16le.md", "people/utf16be.md"] {
        let p = assert_problem(&stats, path, ProblemCode::NotUtf8, None);
        assert!(p["message"].as_str().unwrap().contains("UTF-16"), "{p}");
    }
    // Decoded, the front matter works: two people.
    let people = timed(&v, "utf-16", &["people"], LIMIT);
    let mut names: Vec<(&str, &str)> = people
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["name"].as_str().unwrap(), p["path"].as_str().unwrap()))
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            ("Big Endian", "people/utf16be.md"),
            ("Zoë Sixteen", "people/utf16le.md")
        ]
    );
    let h = hit(&v, "utf-16", "sixteenword", "people/utf16le.md");
    assert_eq!(h["kind"], "person");
}

#[test]
fn nul_bytes() {
    let v = vault();
    write_bytes(&v, "nul-fm.md", b"---\ntitle: a\x00b\n---\nnulword one\n");
    write_bytes(
        &v,
        "nul-body.md",
        b"# Nul\nnulword\x00two\n- [ ] nul\x00task\n",
    );
    write_bytes(&v, "zeros.md", &vec![0u8; 1_000_000]);
    let stats = index(&v, "NUL bytes");
    // YAML refuses control characters: reported on the line of the NUL.
    let p = assert_problem(&stats, "nul-fm.md", ProblemCode::FrontMatterParse, Some(2));
    assert!(
        p["message"]
            .as_str()
            .unwrap()
            .contains("control characters"),
        "{p}"
    );
    assert!(problems_of(&stats, "nul-body.md").is_empty(), "{stats}");
    assert!(problems_of(&stats, "zeros.md").is_empty(), "{stats}");
    let mut paths = found(&v, "NUL bytes", "nulword", LIMIT);
    paths.sort();
    assert_eq!(paths, ["nul-body.md", "nul-fm.md"]);
}

#[test]
fn utf8_bom() {
    let v = vault();
    v.write(
        "people/bom.md",
        "\u{FEFF}---\ntype: person\nname: Bom Person\ntags: [bom]\n---\nbomword\n",
    );
    // A file of nothing but BOMs (each was a recursive call, and a million
    // of them overflowed the stack).
    write_bytes(&v, "boms.md", &[0xEF, 0xBB, 0xBF].repeat(1_000_000));
    let stats = index(&v, "UTF-8 BOM");
    assert!(problems_of(&stats, "people/bom.md").is_empty(), "{stats}");
    assert!(problems_of(&stats, "boms.md").is_empty(), "{stats}");
    let people = timed(&v, "UTF-8 BOM", &["people"], LIMIT);
    assert_eq!(people[0]["name"], "Bom Person", "{people}");
    assert_eq!(people[0]["path"], "people/bom.md", "{people}");
    assert_eq!(people[0]["tags"][0], "bom", "{people}");
}

#[test]
fn crlf_line_endings() {
    let v = vault();
    v.write(
        "people/ada.md",
        "---\r\ntype: person\r\nname: Ada Lovelace\r\ncadence: 2w\r\n---\r\n## Interests\r\n- chess\r\n",
    );
    v.write(
        "meetings/sync.md",
        "---\r\ndate: 2026-01-02\r\nattendees: [\"[[Ada Lovelace]]\"]\r\nprojects: [Atlas]\r\n---\r\n# CRLF sync\r\ncrlfword\r\n\r\n```\r\n- [ ] fenced\r\n```\r\n- [ ] crlf task #ask 📅 2026-02-03\r\n",
    );
    let stats = index(&v, "CRLF");
    assert!(stats["problems"].as_array().unwrap().is_empty(), "{stats}");
    let h = hit(&v, "CRLF", "crlfword", "meetings/sync.md");
    assert_eq!(
        (&h["title"], &h["date"]),
        (&"CRLF sync".into(), &"2026-01-02".into())
    );
    let ada = timed(&v, "CRLF", &["person", "Ada Lovelace"], LIMIT);
    assert_eq!(ada["cadence_days"], 14, "{ada}");
    assert_eq!(ada["interests"][0], "chess", "{ada}");
    assert_eq!(ada["meetings"][0]["title"], "CRLF sync", "{ada}");
    assert_eq!(ada["meetings"][0]["projects"][0], "Atlas", "{ada}");
    let tasks = ada["open_tasks"].as_array().unwrap();
    assert_eq!(tasks.len(), 1, "{ada}");
    // Shown clean: the due date is beside it, not in the text.
    assert_eq!(tasks[0]["text"], "crlf task #ask");
    assert_eq!(tasks[0]["line"], 12);
    assert_eq!(tasks[0]["due"], "2026-02-03");
}

// ------------------------------------------------------ front-matter shapes

#[test]
fn front_matter_that_is_a_scalar() {
    let v = vault();
    v.write("scalar.md", "---\njust a sentence\n---\nscalarword\n");
    let stats = index(&v, "scalar front matter");
    assert_problem(&stats, "scalar.md", ProblemCode::FrontMatterNotMap, Some(2));
    // The whole text is searchable, front matter included.
    hit(&v, "scalar front matter", "sentence", "scalar.md");
    hit(&v, "scalar front matter", "scalarword", "scalar.md");
}

#[test]
fn front_matter_that_is_a_list() {
    let v = vault();
    v.write(
        "people/list.md",
        "---\n- type: person\n- name: Lister\n---\nlistword\n",
    );
    let stats = index(&v, "list front matter");
    assert_problem(
        &stats,
        "people/list.md",
        ProblemCode::FrontMatterNotMap,
        Some(2),
    );
    // A plain note, even in people/.
    let h = hit(&v, "list front matter", "listword", "people/list.md");
    assert_eq!(h["kind"], "note");
    hit(&v, "list front matter", "Lister", "people/list.md");
}

#[test]
fn json_front_matter() {
    let v = vault();
    // JSON between --- lines is YAML: it works.
    v.write(
        "json.md",
        "---\n{\"type\": \"person\", \"name\": \"Jay Son\", \"tags\": [\"json\"]}\n---\njsonword\n",
    );
    // Hugo's bare JSON front matter is not front matter: a plain note.
    v.write(
        "bare.md",
        "{\n  \"title\": \"Bare\",\n  \"type\": \"person\"\n}\nbarejsonword\n",
    );
    let stats = index(&v, "JSON front matter");
    assert!(problems_of(&stats, "json.md").is_empty(), "{stats}");
    assert!(problems_of(&stats, "bare.md").is_empty(), "{stats}");
    let people = timed(&v, "JSON front matter", &["people"], LIMIT);
    assert_eq!(crate::util::names(&people), ["Jay Son"]);
    let h = hit(&v, "JSON front matter", "barejsonword", "bare.md");
    assert_eq!(h["kind"], "note");
}

#[test]
fn toml_front_matter_is_a_plain_note_and_reported() {
    let v = vault();
    v.write(
        "meetings/toml.md",
        "+++\ntitle = \"Tomltitle\"\ndate = 2026-01-02\n+++\ntomlword\n",
    );
    let stats = index(&v, "TOML");
    let p = assert_problem(
        &stats,
        "meetings/toml.md",
        ProblemCode::TomlFrontMatter,
        Some(1),
    );
    assert!(p["message"].as_str().unwrap().contains("TOML"), "{p}");
    let h = hit(&v, "TOML", "tomlword", "meetings/toml.md");
    assert_eq!(h["kind"], "note", "a plain note, even in meetings/");
    hit(&v, "TOML", "Tomltitle", "meetings/toml.md");
}

#[test]
fn front_matter_opened_and_never_closed() {
    let v = vault();
    v.write(
        "people/unclosed.md",
        "---\ntype: person\nname: Never Closed\n\nunclosedword\n- [ ] still a task\n",
    );
    // Only the opening line.
    v.write("fence-only.md", "---");
    let stats = index(&v, "unclosed front matter");
    let p = assert_problem(
        &stats,
        "people/unclosed.md",
        ProblemCode::FrontMatterUnclosed,
        Some(1),
    );
    assert!(
        p["message"].as_str().unwrap().contains("never closed"),
        "{p}"
    );
    assert_problem(
        &stats,
        "fence-only.md",
        ProblemCode::FrontMatterUnclosed,
        Some(1),
    );
    let h = hit(
        &v,
        "unclosed front matter",
        "unclosedword",
        "people/unclosed.md",
    );
    assert_eq!(h["kind"], "note");
    hit(&v, "unclosed front matter", "Closed", "people/unclosed.md");
    let people = timed(&v, "unclosed front matter", &["people"], LIMIT);
    assert!(people.as_array().unwrap().is_empty(), "{people}");
}

#[test]
fn empty_files() {
    let v = vault();
    v.write("empty.md", "");
    write_bytes(&v, "bom-only.md", b"\xEF\xBB\xBF");
    v.write("blank.md", "\n\n   \n");
    v.write("people/nobody.md", "");
    let stats = index(&v, "empty files");
    assert_eq!(stats["scanned"], 5, "{stats}");
    assert!(stats["problems"].as_array().unwrap().is_empty(), "{stats}");
    hit(&v, "empty files", "title:empty", "empty.md");
    // An empty note in people/ is still a person, named by its file.
    let nobody = timed(&v, "empty files", &["person", "nobody"], LIMIT);
    assert_eq!(nobody["path"], "people/nobody.md", "{nobody}");
}

// ------------------------------------------------------------ the file system

#[test]
fn symbolic_link_loops() {
    let v = vault();
    v.write("real/inside.md", "insideword\n");
    symlink(v.path(), v.path().join("real/to-root")).unwrap();
    symlink("..", v.path().join("real/up")).unwrap();
    symlink("self.md", v.path().join("self.md")).unwrap();
    symlink("b.md", v.path().join("a.md")).unwrap();
    symlink("a.md", v.path().join("b.md")).unwrap();
    symlink("nowhere.md", v.path().join("dangling.md")).unwrap();
    let stats = index(&v, "symlink loops");
    for path in ["real/to-root", "real/up"] {
        let p = assert_problem(&stats, path, ProblemCode::Unreadable, None);
        assert!(p["message"].as_str().unwrap().contains("loop"), "{p}");
    }
    for path in ["self.md", "a.md", "b.md", "dangling.md"] {
        let p = assert_problem(&stats, path, ProblemCode::Unreadable, None);
        assert!(
            p["message"].as_str().unwrap().contains("broken or loops"),
            "{p}"
        );
    }
    assert_eq!(
        found(&v, "symlink loops", "insideword", LIMIT),
        ["real/inside.md"]
    );
}

#[test]
fn links_pointing_outside_the_vault() {
    let outside = tempfile::tempdir().unwrap();
    fs::write(outside.path().join("secret.md"), "secretword\n").unwrap();
    let v = vault();
    symlink(outside.path(), v.path().join("out-dir")).unwrap();
    symlink(outside.path().join("secret.md"), v.path().join("secret.md")).unwrap();
    // Following this one would read forever.
    symlink("/dev/zero", v.path().join("zero.md")).unwrap();
    let stats = index(&v, "links outside");
    for path in ["out-dir", "secret.md", "zero.md"] {
        let p = assert_problem(&stats, path, ProblemCode::Unreadable, None);
        assert!(
            p["message"].as_str().unwrap().contains("outside the vault"),
            "{p}"
        );
    }
    assert!(found(&v, "links outside", "secretword", LIMIT).is_empty());
}

#[test]
fn a_fifo_named_like_a_note_is_never_read() {
    let v = vault();
    let made = std::process::Command::new("mkfifo")
        .arg(v.path().join("pipe.md"))
        .status()
        .is_ok_and(|s| s.success());
    if !made {
        eprintln!("mkfifo is not available: skipped");
        return;
    }
    symlink("pipe.md", v.path().join("pipe-link.md")).unwrap();
    // Reading either would block forever.
    let stats = index(&v, "FIFO");
    assert_eq!(stats["scanned"], 1, "{stats}");
}

#[test]
fn a_file_without_read_permission() {
    let v = vault();
    let file = v.write("noread.md", "noreadword\n");
    let dir = v.path().join("locked");
    v.write("locked/inner.md", "lockedword\n");
    let _restore = Restore(vec![(file.clone(), 0o644), (dir.clone(), 0o755)]);
    chmod(&file, 0o000);
    chmod(&dir, 0o000);
    if fs::read(&file).is_ok() {
        // root reads anyway: only check that nothing breaks.
        eprintln!(
            "running as root: permissions do not stop reads; checking only that indexing works"
        );
        index(&v, "no read permission (root)");
        assert_eq!(
            found(&v, "no read permission (root)", "noreadword", LIMIT),
            ["noread.md"]
        );
        return;
    }
    let stats = index(&v, "no read permission");
    let p = assert_problem(&stats, "noread.md", ProblemCode::Unreadable, None);
    assert!(
        p["message"].as_str().unwrap().contains("cannot read file"),
        "{p}"
    );
    let p = assert_problem(&stats, "locked", ProblemCode::Unreadable, None);
    assert!(
        p["message"]
            .as_str()
            .unwrap()
            .contains("cannot read folder"),
        "{p}"
    );
    assert!(found(&v, "no read permission", "noreadword", LIMIT).is_empty());
}

#[test]
fn reading_a_path_that_is_not_a_readable_file() {
    let v = vault();
    // Deleted between the walk and the read.
    v.write("gone.md", "soon gone\n");
    let (files, _) = scan::walk(v.path(), &[]);
    assert!(files.iter().any(|f| f.path == "gone.md"), "{files:?}");
    fs::remove_file(v.path().join("gone.md")).unwrap();
    assert!(matches!(
        scan::read_note(v.path(), "gone.md", &ParseOpts::default()),
        Read1::Gone
    ));
    assert!(matches!(
        scan::read_note(v.path(), "never-was.md", &ParseOpts::default()),
        Read1::Gone
    ));
    // A folder where a file was: unreadable, with a reason (even as root).
    fs::create_dir(v.path().join("dir.md")).unwrap();
    match scan::read_note(v.path(), "dir.md", &ParseOpts::default()) {
        Read1::Unreadable(p) => {
            assert_eq!(p.code, ProblemCode::Unreadable);
            assert!(p.message.starts_with("cannot read file: "), "{p:?}");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn unicode_spaces_and_long_file_names_work_everywhere() {
    let v = vault();
    // 1 + 98 × 2 + 3 = 200 bytes.
    let long = format!("L{}", "é".repeat(98));
    assert_eq!(format!("{long}.md").len(), 200);
    let names = ["Ada Lovelace", "李雷", "Zoë", "🦀 Ferris", long.as_str()];
    for (i, n) in names.iter().enumerate() {
        v.write(
            &format!("people/{n}.md"),
            &format!("---\ntype: person\n---\nunicodeperson{i}\n"),
        );
    }
    let meeting = "my meetings/2026-03-04 Café ☕ sync.md";
    let attendees: Vec<String> = names.iter().map(|n| format!("\"[[{n}]]\"")).collect();
    v.write(
        meeting,
        &format!(
            "---\ntype: meeting\nattendees: [{}]\n---\nunicodemeeting\n- [ ] ask [[李雷]] about it\n",
            attendees.join(", ")
        ),
    );
    v.write("notes/Zoë broken 🙈.md", "---\na: [\n---\n");
    // A file name that is not UTF-8 is indexed, shown lossily.
    {
        use std::os::unix::ffi::OsStrExt;
        let name = std::ffi::OsStr::from_bytes(b"caf\xe9.md");
        fs::write(v.path().join(name), "latinnameword\n").unwrap();
    }
    let case = "file names";
    let stats = index(&v, case);
    assert_eq!(stats["scanned"], 9, "{stats}");
    assert_code(
        &stats,
        "notes/Zoë broken 🙈.md",
        ProblemCode::FrontMatterParse,
    );
    assert!(
        stats["problems"]
            .as_array()
            .unwrap()
            .iter()
            .all(|p| p["path"] != "caf\u{FFFD}.md"),
        "{stats}"
    );
    assert_eq!(found(&v, case, "latinnameword", LIMIT), ["caf\u{FFFD}.md"]);

    let h = hit(&v, case, "unicodemeeting", meeting);
    assert_eq!(
        (&h["title"], &h["date"], &h["kind"]),
        (
            &"2026-03-04 Café ☕ sync".into(),
            &"2026-03-04".into(),
            &"meeting".into()
        )
    );
    let people = timed(&v, case, &["people"], LIMIT);
    for (i, n) in names.iter().enumerate() {
        let path = format!("people/{n}.md");
        assert_eq!(
            found(&v, case, &format!("unicodeperson{i}"), LIMIT),
            [path.as_str()]
        );
        let row = people
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["name"] == *n)
            .unwrap_or_else(|| panic!("{n} not in {people}"));
        assert_eq!(row["path"], path.as_str());
        assert_eq!(
            (&row["meetings"], &row["last_met"]),
            (&1.into(), &"2026-03-04".into())
        );
        let person = timed(&v, case, &["person", n], LIMIT);
        assert_eq!(
            (&person["name"], &person["path"]),
            (&(*n).into(), &path.as_str().into())
        );
        assert_eq!(person["meetings"][0]["path"], meeting, "{person}");
    }
    let li = timed(&v, case, &["person", "李雷"], LIMIT);
    assert_eq!(li["open_tasks"][0]["path"], meeting, "{li}");
    assert_eq!(li["open_tasks"][0]["line"], 6, "{li}");
    // The plain-text table prints them too (the long one cut with "…").
    let out = v.ok(&["people"]);
    for n in names {
        let shown: String = n.chars().take(30).collect();
        assert!(out.contains(&shown), "{n} missing from:\n{out}");
    }
}

#[test]
fn a_read_only_vault() {
    let v = Vault::copy_of(&example_vault());
    v.write("ok.md", &format!("{OK_WORD}\n"));
    let mut restore = Vec::new();
    let mut dirs = Vec::new();
    for e in walkdir::WalkDir::new(v.path()) {
        let e = e.unwrap();
        let mode = fs::metadata(e.path()).unwrap().permissions().mode() & 0o7777;
        restore.push((e.path().to_path_buf(), mode));
        if e.file_type().is_dir() {
            dirs.push(e.path().to_path_buf());
        } else {
            chmod(e.path(), 0o444);
        }
    }
    // Folders last, deepest first.
    for d in dirs.iter().rev() {
        chmod(d, 0o555);
    }
    let _restore = Restore(restore);
    let before = snapshot(v.path());
    let case = "read-only vault";
    let stats = index(&v, case);
    assert!(stats["scanned"].as_u64().unwrap() > 10, "{stats}");
    let mei = timed(&v, case, &["person", "Mei Chen"], LIMIT);
    assert_eq!(mei["name"], "Mei Chen");
    assert!(!found(&v, case, "atlas", LIMIT).is_empty());
    timed(&v, case, &["meetings"], LIMIT);
    timed(&v, case, &["followups"], LIMIT);
    assert_eq!(
        snapshot(v.path()),
        before,
        "something was written in the vault"
    );
}

/// Tasks are read back from index columns, not from a stored copy of each:
/// a task longer than tantivy's longest token (65,530 bytes), holding HTML,
/// a heading, a checklist id and control characters, comes back whole in
/// every answer that shows it, with its line, note and people, and the
/// checklist file still has one item for it.
#[test]
fn a_task_longer_than_any_token_comes_back_whole() {
    let v = vault();
    v.write("people/ada.md", "---\nname: Ada Lovelace\n---\n");
    let long = "y".repeat(70_000);
    let task = format!(
        "mail [[Ada Lovelace]] <script>alert(1)</script> ## Heading <!-- id:abc --> \u{1b}[31m {long} end"
    );
    v.write(
        "meetings/2026-01-05 sync.md",
        &format!(
            "---\ndate: 2026-01-05\nattendees: [\"[[Ada Lovelace]]\"]\n---\n# Sync\n\n- [ ] {task}\n- [x] closed\n"
        ),
    );
    let shown = format!(
        "mail Ada Lovelace <script>alert(1)</script> ## Heading <!-- id:abc --> \u{1b}[31m {long} end"
    );
    let c = v.json(&["followups", "--as-of", "2026-01-10"]);
    let tasks = c["tasks"].as_array().expect("tasks");
    assert_eq!(tasks.len(), 1, "only the open task: {tasks:?}");
    same(&tasks[0]["text"], &shown);
    assert_eq!(tasks[0]["line"], 7);
    assert_eq!(tasks[0]["note_title"], "Sync");
    assert_eq!(tasks[0]["note_date"], "2026-01-05");
    assert_eq!(tasks[0]["people"], serde_json::json!(["Ada Lovelace"]));

    let p = v.json(&["person", "ada", "--no-refresh"]);
    same(&p["open_tasks"][0]["text"], &shown);

    // The raw text (link syntax and all) in the export.
    let export = v.ok(&["export", "--ndjson", "--no-refresh"]);
    let raw: Vec<Value> = export
        .lines()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .filter(|d| d["kind"] == "task")
        .collect();
    assert_eq!(raw.len(), 2, "{raw:?}");
    same(&raw[0]["text"], &task);
    assert_eq!(raw[0]["attendees"], serde_json::json!(["Ada Lovelace"]));
    assert_eq!(raw[1]["status"], "done");

    let out = v.path().join("followups.md");
    v.ok(&[
        "followups",
        "--as-of",
        "2026-01-10",
        "--out",
        out.to_str().unwrap_or_default(),
    ]);
    let file = fs::read_to_string(&out).unwrap_or_default();
    assert!(file.contains(&long));
    assert!(
        !file.contains("<!-- id:abc -->"),
        "a comment in note text is neutralised"
    );
    assert!(!file.contains('\u{1b}'), "no control character in the file");
    assert!(!file.lines().any(|l| l.starts_with("## Heading")));
}

/// A task that links a name longer than tantivy's longest token (so the
/// link is in no term list) is still that person's task, and a note of
/// many tasks (its tasks' value written in parts: each has a tag of 300
/// characters, and tags are in the value) keeps every one.
#[test]
fn a_task_linking_a_name_longer_than_any_token_is_found() {
    let v = vault();
    let name = "L".repeat(66_000);
    v.write("people/long.md", &format!("---\nname: {name}\n---\n"));
    // Not a meeting: the link alone says whom the task involves.
    let many: String = (0..400)
        .map(|i| format!("- [ ] step {i} #t{i}{}\n", "x".repeat(300)))
        .collect();
    v.write(
        "notes/plan.md",
        &format!("# Plan\n\n- [ ] call [[{name}]] soon\n{many}"),
    );
    let p = v.json(&["person", &name]);
    let open = p["open_tasks"].as_array().expect("open tasks");
    assert_eq!(open.len(), 1, "{:?}", open.len());
    same(&open[0]["text"], &format!("call {name} soon"));
    let c = v.json(&["followups", "--as-of", "2026-01-10", "--no-refresh"]);
    let tasks = c["tasks"].as_array().expect("tasks");
    assert_eq!(tasks.len(), 1, "only the task that names someone");
    assert_eq!(c["other_open_tasks"], 400, "every other task is counted");
}

/// Asserts `got` is the string `want`, saying where they differ (without
/// printing 70,000 characters).
fn same(got: &Value, want: &str) {
    let got = got.as_str().unwrap_or_default();
    let at = got
        .char_indices()
        .zip(want.chars())
        .find(|((_, a), b)| a != b)
        .map_or(got.len().min(want.len()), |((i, _), _)| i);
    assert!(
        got == want,
        "differs at byte {at} of {} (want {}): {:?} vs {:?}",
        got.len(),
        want.len(),
        got.get(at.saturating_sub(20)..(at + 20).min(got.len())),
        want.get(at.saturating_sub(20)..(at + 20).min(want.len())),
    );
}
