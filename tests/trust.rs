//! Trust: the index is private to the user, output files cannot be
//! hijacked or forged, and note text cannot drive the terminal or act as
//! structure in what rapport writes (issue 12). Each test reproduces one
//! attack; the README's "Security and privacy" section names them.

use std::fs;
use std::os::unix::fs::{PermissionsExt, symlink};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use proptest::prelude::*;
use rapport::followup::{
    Checklist, Context, KeepInTouch, QuietTeam, TaskItem, Unfollowed, stable_id,
};
use rapport::render::checklist::{Previous, parse_previous, render};
use rapport::vault::TaskStatus;

use crate::util::Vault;

/// The real binary, run with umask 022 (the usual default, under which
/// files are created world-readable unless rapport says otherwise).
fn rapport_022(home: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_rapport"));
    c.env("HOME", home)
        .env_remove("XDG_CACHE_HOME")
        .env_remove("RAPPORT_INDEX")
        .env_remove("RAPPORT_VAULT")
        .env("NO_COLOR", "1")
        .stdin(Stdio::null());
    // SAFETY: umask is async-signal-safe.
    unsafe {
        c.pre_exec(|| {
            libc::umask(0o022);
            Ok(())
        });
    }
    c
}

fn run(c: &mut Command) -> Output {
    c.output().unwrap()
}

/// Every folder and file under `root` with group or other permissions.
fn loose(root: &Path) -> Vec<(PathBuf, u32)> {
    let mut out = Vec::new();
    for e in walkdir::WalkDir::new(root) {
        let e = e.unwrap();
        let mode = e.metadata().unwrap().permissions().mode() & 0o777;
        if mode & 0o077 != 0 {
            out.push((e.path().to_path_buf(), mode));
        }
    }
    out
}

fn mode(p: &Path) -> u32 {
    fs::metadata(p).unwrap().permissions().mode() & 0o7777
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn meeting_vault() -> Vault {
    let v = Vault::new();
    v.write(
        "people/ada.md",
        "---\nname: Ada Lovelace\nemail: ada@secret.example\ncadence: 7d\n---\n",
    );
    v.write(
        "meetings/2026-11-20 Sync.md",
        "---\ntype: meeting\ndate: 2026-11-20\nattendees: [\"[[Ada Lovelace]]\"]\n---\n- [ ] send the private numbers 📅 2026-11-24\n",
    );
    v
}

// 1. Privacy of the index.

#[test]
fn the_index_and_the_cache_folders_it_creates_are_private() {
    let v = meeting_vault();
    let home = tempfile::tempdir().unwrap();
    let o = run(rapport_022(home.path())
        .arg("--vault")
        .arg(v.path())
        .arg("index"));
    assert!(o.status.success(), "{}", stderr(&o));
    let cache = home.path().join(".cache");
    assert!(
        cache.join("rapport").is_dir(),
        "the default index is under ~/.cache"
    );
    assert_eq!(mode(&cache), 0o700, "a missing ~/.cache is created private");
    assert_eq!(loose(&cache), vec![], "every index folder 0700, file 0600");
    // A query that writes (a changed note) keeps new segments private too.
    v.write(
        "meetings/2026-11-21 Other.md",
        "---\ntype: meeting\n---\nx\n",
    );
    let o = run(rapport_022(home.path())
        .arg("--vault")
        .arg(v.path())
        .arg("people"));
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(loose(&cache), vec![]);
}

#[test]
fn an_index_with_loose_modes_is_tightened_on_the_next_refresh() {
    let v = meeting_vault();
    let home = tempfile::tempdir().unwrap();
    let idx = home.path().join("idx");
    let index = |args: &[&str]| {
        let o = run(rapport_022(home.path())
            .arg("--vault")
            .arg(v.path())
            .arg("--index-dir")
            .arg(&idx)
            .args(args));
        assert!(o.status.success(), "{}", stderr(&o));
    };
    index(&["index"]);
    // As an older rapport left it: world-readable.
    for e in walkdir::WalkDir::new(&idx) {
        let e = e.unwrap();
        let m = if e.file_type().is_dir() { 0o755 } else { 0o644 };
        fs::set_permissions(e.path(), fs::Permissions::from_mode(m)).unwrap();
    }
    assert!(!loose(&idx).is_empty());
    index(&["search", "numbers"]);
    assert_eq!(loose(&idx), vec![]);
}

// 2. Replaced output files keep their mode.

#[test]
fn regenerated_checklist_and_calendar_keep_their_permission_bits() {
    let v = meeting_vault();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("f.md");
    let ics = dir.path().join("f.ics");
    let args = [
        "followups",
        "--as-of",
        "2026-11-26",
        "--out",
        out.to_str().unwrap(),
        "--ics",
        ics.to_str().unwrap(),
    ];
    v.ok(&args);
    assert_eq!(mode(&out) & 0o077, 0, "a new file is private");
    fs::set_permissions(&out, fs::Permissions::from_mode(0o640)).unwrap();
    fs::set_permissions(&ics, fs::Permissions::from_mode(0o604)).unwrap();
    v.ok(&args);
    assert_eq!(mode(&out), 0o640);
    assert_eq!(mode(&ics), 0o604);
}

// 3. The temporary file of an atomic write cannot be hijacked.

#[test]
fn an_atomic_write_never_follows_a_planted_link() {
    let dir = tempfile::tempdir().unwrap();
    let victim = dir.path().join("victim.txt");
    fs::write(&victim, "precious").unwrap();
    let out_dir = dir.path().join("shared");
    fs::create_dir(&out_dir).unwrap();
    let target = out_dir.join("f.md");
    // The name the old code used, and a few neighbours: another user can
    // guess them all.
    let pid = std::process::id();
    for p in [pid, pid + 1, pid.saturating_sub(1)] {
        symlink(&victim, out_dir.join(format!(".f.md.rapport-{p}.tmp"))).unwrap();
    }
    rapport::fsutil::write_atomic(&target, b"new text").unwrap();
    assert_eq!(fs::read_to_string(&victim).unwrap(), "precious");
    assert_eq!(fs::read_to_string(&target).unwrap(), "new text");
    assert!(
        !fs::symlink_metadata(&target)
            .unwrap()
            .file_type()
            .is_symlink(),
        "the target is a new regular file"
    );
}

// 4. A file is rapport's only if it is, as a whole, what rapport writes.

#[test]
fn a_note_quoting_rapports_markers_is_never_overwritten() {
    let v = meeting_vault();
    let quote = v.write(
        "notes/about-rapport.md",
        "# How rapport marks its files\n\n```\nBEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//rapport//rapport 0.1.0//EN\nEND:VCALENDAR\n```\n",
    );
    let before = fs::read(&quote).unwrap();
    for flag in ["--ics", "--out"] {
        let o = v
            .cmd()
            .args(["followups", flag, quote.to_str().unwrap()])
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(2), "{flag}: {}", stderr(&o));
        assert!(stderr(&o).contains("--force"), "{}", stderr(&o));
        assert_eq!(fs::read(&quote).unwrap(), before);
    }
    // A calendar rapport did not write (another PRODID), and one with a
    // rapport calendar embedded after other content.
    let other = v.index.path().join("other.ics");
    fs::write(
        &other,
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//someone//x//EN\r\nX-NOTE:PRODID:-//rapport//\r\nEND:VCALENDAR\r\n",
    )
    .unwrap();
    let embedded = v.index.path().join("embedded.ics");
    fs::write(
        &embedded,
        "my diary\nBEGIN:VCALENDAR\r\nPRODID:-//rapport//rapport 0.1.0//EN\r\nEND:VCALENDAR\r\n",
    )
    .unwrap();
    let checklist_like = v.index.path().join("checklist-like.md");
    fs::write(
        &checklist_like,
        "<!-- generated by rapport is how I label my own files -->\nmy list\n",
    )
    .unwrap();
    for (flag, f) in [
        ("--ics", &other),
        ("--ics", &embedded),
        ("--out", &checklist_like),
    ] {
        let before = fs::read(f).unwrap();
        let o = v
            .cmd()
            .args(["followups", flag, f.to_str().unwrap()])
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(2), "{}: {}", f.display(), stderr(&o));
        assert_eq!(fs::read(f).unwrap(), before);
    }
    // What rapport wrote, it rewrites.
    let ics = v.index.path().join("mine.ics");
    let out = v.index.path().join("mine.md");
    for _ in 0..2 {
        v.ok(&[
            "followups",
            "--ics",
            ics.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ]);
    }
}

// 5. Only regular files (or new paths) are outputs, checked without reading.

#[test]
fn fifos_devices_folders_and_links_are_refused_at_once_with_one_cause() {
    let v = meeting_vault();
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("fifo");
    let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
    // SAFETY: a valid C string.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
    let folder = dir.path().join("folder");
    fs::create_dir(&folder).unwrap();
    let target = dir.path().join("target.md");
    fs::write(&target, "mine\n").unwrap();
    let link = dir.path().join("link.md");
    symlink(&target, &link).unwrap();
    let cases: [(&Path, &str); 4] = [
        (&fifo, "not a regular file"),
        (Path::new("/dev/zero"), "not a regular file"),
        (&folder, "is a folder"),
        (&link, "symbolic link"),
    ];
    for (path, why) in cases {
        for flag in ["--out", "--ics"] {
            let started = Instant::now();
            let o = v
                .cmd()
                .timeout(Duration::from_secs(20))
                .args(["followups", flag, path.to_str().unwrap()])
                .output()
                .unwrap();
            let err = stderr(&o);
            assert_eq!(o.status.code(), Some(2), "{flag} {}: {err}", path.display());
            assert!(started.elapsed() < Duration::from_secs(10));
            assert!(err.contains(why), "{flag} {}: {err}", path.display());
            assert_eq!(err.lines().count(), 1, "one line: {err}");
            assert!(
                !err.contains("os error") || err.matches("os error").count() == 1,
                "the cause is said once: {err}"
            );
        }
    }
    assert_eq!(fs::read_to_string(&target).unwrap(), "mine\n");
    // One file for both outputs.
    let same = dir.path().join("same");
    let o = v
        .cmd()
        .args([
            "followups",
            "--out",
            same.to_str().unwrap(),
            "--ics",
            same.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("same file"), "{}", stderr(&o));
    assert!(!same.exists());
}

// 6. The index never goes into a folder that is not an index, or contains the vault.

#[test]
fn an_index_dir_that_is_not_an_index_or_holds_the_vault_is_refused() {
    let v = meeting_vault();
    let mine = tempfile::tempdir().unwrap();
    fs::write(mine.path().join("rapport.json"), "{\"my\": \"settings\"}").unwrap();
    fs::write(mine.path().join("writer.lock"), "my lock").unwrap();
    let before = crate::util::snapshot(mine.path());
    let o = v
        .cmd()
        .args(["--index-dir", mine.path().to_str().unwrap(), "index"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert_eq!(stderr(&o).lines().count(), 1, "{}", stderr(&o));
    assert!(stderr(&o).contains("not a rapport index"), "{}", stderr(&o));
    assert_eq!(crate::util::snapshot(mine.path()), before);
    // A folder with any other file.
    fs::remove_file(mine.path().join("rapport.json")).unwrap();
    fs::write(mine.path().join("thesis.tex"), "years of work").unwrap();
    let before = crate::util::snapshot(mine.path());
    let o = v
        .cmd()
        .args(["--index-dir", mine.path().to_str().unwrap(), "people"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert_eq!(crate::util::snapshot(mine.path()), before);

    // Folders that contain the vault, even when empty otherwise.
    let outer = tempfile::tempdir().unwrap();
    let vault = outer.path().join("vault");
    crate::util::copy_dir(v.path(), &vault);
    let before = crate::util::snapshot(outer.path());
    for dir in [outer.path(), Path::new("/")] {
        let o = Command::new(env!("CARGO_BIN_EXE_rapport"))
            .arg("--vault")
            .arg(&vault)
            .arg("--index-dir")
            .arg(dir)
            .arg("index")
            .output()
            .unwrap();
        assert_eq!(
            o.status.code(),
            Some(2),
            "{}: {}",
            dir.display(),
            stderr(&o)
        );
        assert_eq!(stderr(&o).lines().count(), 1, "{}", stderr(&o));
        assert!(stderr(&o).contains("vault"), "{}", stderr(&o));
    }
    assert_eq!(crate::util::snapshot(outer.path()), before);
    // A real index is still reused.
    v.ok(&["index"]);
    v.ok(&["people"]);
}

// 7. Note text never acts as checklist structure.

/// The id of the checklist item whose line contains `needle`.
fn id_of(text: &str, needle: &str) -> String {
    let line = text
        .lines()
        .find(|l| l.contains(needle) && l.ends_with("-->"))
        .unwrap_or_else(|| panic!("no item with {needle:?} in\n{text}"));
    let at = line.rfind("<!-- id:").unwrap();
    line[at + 8..line.len() - 3].trim().to_string()
}

#[test]
fn note_text_cannot_tick_items_or_start_the_notes_section() {
    let v = Vault::new();
    let out = v.index.path().join("follow-ups.md");
    // The tasks here involve nobody: `--all-tasks` lists them.
    let gen_ = || {
        v.ok(&[
            "followups",
            "--as-of",
            "2026-11-26",
            "--all-tasks",
            "--out",
            out.to_str().unwrap(),
        ])
    };
    v.write(
        "meetings/2026-11-20 Plain.md",
        "---\ntype: meeting\ndate: 2026-11-20\n---\n- [ ] call the bank\n",
    );
    gen_();
    let text = fs::read_to_string(&out).unwrap();
    let bank = id_of(&text, "call the bank");
    // A person whose name forges a ticked item for the bank task; a task
    // whose text carries the bank task's id; a meeting title that forges
    // the Notes heading.
    v.write(
        "people/zed.md",
        &format!("---\nname: \"Zed\\n- [x] forged <!-- id:{bank} -->\"\ncadence: 7d\n---\n"),
    );
    v.write(
        "meetings/2026-11-21 Thief.md",
        &format!(
            "---\ntype: meeting\ndate: 2026-11-21\n---\n- [ ] steal <!-- id:{bank} --> the tick\n"
        ),
    );
    v.write(
        "meetings/2026-11-22 Notes.md",
        "---\ntype: meeting\ndate: 2026-11-22\ntitle: \"Retro\\n## Notes\\nforged notes\"\n---\nno tasks\n",
    );
    gen_();
    let text = fs::read_to_string(&out).unwrap();
    assert_eq!(
        parse_previous(&text).ticked.len(),
        0,
        "nothing is ticked:\n{text}"
    );
    assert_eq!(
        text.lines().filter(|l| l.trim_end() == "## Notes").count(),
        1,
        "only rapport's Notes heading:\n{text}"
    );
    // The user ticks the thief's task; the bank task stays unticked.
    let thief = text.lines().find(|l| l.contains("steal")).unwrap();
    let edited = text.replace(thief, &thief.replacen("- [ ]", "- [x]", 1));
    fs::write(&out, format!("{edited}my own words\n")).unwrap();
    gen_();
    let again = fs::read_to_string(&out).unwrap();
    let line_of = |needle: &str| {
        again
            .lines()
            .find(|l| l.contains(needle))
            .unwrap()
            .to_string()
    };
    assert!(line_of("steal").starts_with("- [x]"), "{again}");
    assert!(line_of("call the bank").starts_with("- [ ]"), "{again}");
    assert!(again.ends_with("## Notes\n\nmy own words\n"), "{again}");
    // Regenerating with no change is byte-identical: the file never grows.
    gen_();
    assert_eq!(fs::read_to_string(&out).unwrap(), again);
}

/// Arbitrary note text, biased towards what looks like checklist structure.
fn hostile_text() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "\n",
        "\r\n",
        "\r",
        "## Notes",
        "\n## Notes\n",
        "- [x] ",
        "- [ ] ",
        "<!-- id:",
        "-->",
        " <!-- id:000000000001 -->",
        "[",
        "]",
        "(",
        ")",
        "\u{1b}[2J",
        "\t",
        "\u{85}",
        "é",
        "Ada",
        " ",
        "#",
        "`",
    ]);
    prop::collection::vec(
        prop_oneof![pieces.prop_map(String::from), "[ -~]{0,6}"],
        0..8,
    )
    .prop_map(|v| v.concat())
}

fn checklist_of(texts: &[String]) -> Checklist {
    let day = chrono::NaiveDate::from_ymd_opt(2026, 11, 26).unwrap();
    let t = |i: usize| texts[i % texts.len()].clone();
    let mut c = Checklist {
        as_of: day,
        tasks: Default::default(),
        keep_in_touch: Vec::new(),
        unfollowed_meetings: Vec::new(),
        reciprocity: Vec::new(),
        quiet_teams: Vec::new(),
        ..Default::default()
    };
    for i in 0..texts.len() {
        c.tasks.push(TaskItem {
            id: stable_id(&["task", &i.to_string()]),
            text: t(i),
            status: TaskStatus::Open,
            due: None,
            overdue: false,
            path: format!("m/{}.md", t(i + 1)),
            line: i + 1,
            note_title: t(i + 2),
            note_date: Some(day),
            people: vec![t(i + 3), t(i + 4)],
        });
        c.keep_in_touch.push(KeepInTouch {
            id: stable_id(&["kit", &i.to_string()]),
            name: t(i + 1),
            path: (i % 2 == 0).then(|| format!("people/{}.md", t(i))),
            cadence_days: 7,
            last_contact: None,
            days_since: None,
            overdue_by_days: None,
            context: Context {
                last_meeting: None,
                projects: vec![t(i + 2)],
                open_tasks: vec![t(i + 3)],
                interests: vec![t(i)],
            },
        });
        c.unfollowed_meetings.push(Unfollowed {
            id: stable_id(&["meeting", &i.to_string()]),
            path: format!("meetings/{}.md", t(i + 2)),
            date: Some(day),
            title: t(i),
            attendees: if i % 2 == 0 { vec![] } else { vec![t(i + 1)] },
            projects: vec![t(i + 3)],
        });
        c.quiet_teams.push(QuietTeam {
            id: stable_id(&["team", &i.to_string()]),
            team: t(i + 4),
            people: vec![t(i)],
            last_met: None,
        });
    }
    c
}

fn all_ids(c: &Checklist) -> Vec<String> {
    c.tasks
        .iter()
        .map(|t| t.id.clone())
        .chain(c.keep_in_touch.iter().map(|k| k.id.clone()))
        .chain(c.unfollowed_meetings.iter().map(|m| m.id.clone()))
        .chain(c.quiet_teams.iter().map(|q| q.id.clone()))
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 200,
        rng_seed: proptest::test_runner::RngSeed::Fixed(12),
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    /// For arbitrary note texts: regenerating with no change is
    /// byte-identical, no item is ticked by note text, and a tick or a line
    /// the user writes under ## Notes is kept and never moves to another item.
    #[test]
    fn checklist_regeneration_keeps_exactly_the_users_work(
        texts in prop::collection::vec(hostile_text(), 1..5),
        pick in any::<prop::sample::Index>(),
        notes in prop::collection::vec("[ -~]{0,20}", 0..4),
    ) {
        let c = checklist_of(&texts);
        let (vault, out) = (Path::new("/v"), Path::new("/v"));
        let first = render(&c, vault, out, &Previous::default());
        let prev = parse_previous(&first);
        prop_assert!(prev.ticked.is_empty(), "note text ticked {:?}", prev.ticked);
        prop_assert_eq!(prev.notes.as_deref(), Some("\n"));
        let second = render(&c, vault, out, &prev);
        prop_assert_eq!(&second, &first);
        // Every item is one line that ends with its own id.
        let ids = all_ids(&c);
        for id in &ids {
            let marker = format!(" <!-- id:{id} -->");
            let lines: Vec<&str> = first.lines().filter(|l| l.contains(&marker)).collect();
            prop_assert_eq!(lines.len(), 1, "{}", first);
            prop_assert!(lines[0].ends_with(&marker));
        }
        // The user ticks one item and writes notes.
        let id = &ids[pick.index(ids.len())];
        let marker = format!(" <!-- id:{id} -->");
        let mut edited: String = first
            .lines()
            .map(|l| if l.ends_with(&marker) { l.replacen("- [ ]", "- [x]", 1) } else { l.to_string() })
            .collect::<Vec<_>>()
            .join("\n");
        edited.push('\n');
        for n in &notes {
            edited.push_str(n);
            edited.push('\n');
        }
        let prev = parse_previous(&edited);
        prop_assert_eq!(prev.ticked.iter().cloned().collect::<Vec<_>>(), vec![id.clone()]);
        let third = render(&c, vault, out, &prev);
        let fourth = render(&c, vault, out, &parse_previous(&third));
        prop_assert_eq!(&third, &fourth);
        for other in &ids {
            let m = format!(" <!-- id:{other} -->");
            let line = third.lines().find(|l| l.ends_with(&m)).unwrap();
            prop_assert_eq!(line.starts_with("- [x]"), other == id, "{}", line);
        }
        let tail = third.split_once("\n## Notes\n").map(|x| x.1).unwrap_or("");
        let expected: String = std::iter::once("\n".to_string())
            .chain(notes.iter().map(|n| format!("{n}\n")))
            .collect();
        prop_assert_eq!(tail, expected.as_str());
    }
}

// 8. Note text never drives the terminal.

/// Bytes a terminal acts on: C0 controls other than newline and tab, DEL,
/// and C1 controls (as UTF-8).
fn terminal_controls(bytes: &[u8]) -> Vec<String> {
    let text = String::from_utf8_lossy(bytes);
    text.chars()
        .filter(|c| {
            (c.is_control() && *c != '\n' && *c != '\t') || ('\u{80}'..='\u{9f}').contains(c)
        })
        .map(|c| format!("{:?}", c))
        .collect()
}

#[test]
fn names_titles_tasks_and_paths_reach_the_terminal_escaped() {
    let v = Vault::new();
    let evil = "\u{1b}]0;owned\u{7}\u{1b}[2J\u{1b}]8;;http:x\u{1b}\\\u{1b}[31m\u{9b}1m";
    let yaml = "\\e]0;owned\\a\\e[2J\\e]8;;http:x\\e\\\\\\e[31m\\x9b1m";
    v.write(
        "people/eve.md",
        &format!(
            "---\nname: \"Eve{yaml}\"\norg: \"Org{yaml}\"\naliases: [\"E{yaml}\"]\ncadence: 7d\ntags: [ask]\n---\n"
        ),
    );
    v.write(
        &format!("meetings/2026-11-20 M{evil}.md"),
        &format!(
            "---\ntype: meeting\ndate: 2026-11-20\ntitle: \"Title{yaml}\"\nattendees: [\"[[Eve{yaml}]]\", \"Guest{yaml}\"]\nprojects: [\"P{yaml}\"]\n---\nsearchword {evil}\n- [ ] task{evil} 📅 2026-11-21\n- [ ] bad date 📅 2026-02-31\n"
        ),
    );
    v.write(
        &format!("notes/broken{evil}.md"),
        "---\nkey: [unclosed\n---\n",
    );
    let commands: Vec<Vec<&str>> = vec![
        vec!["index"],
        vec!["people"],
        vec!["person", "Eve"],
        vec!["meetings"],
        vec!["search", "searchword"],
        vec!["followups", "--as-of", "2026-11-26"],
        vec!["check"],
        vec!["person", "Evf"],
        vec!["meetings", "--person", "Evf"],
    ];
    for args in &commands {
        let o = v.cmd().env("COLUMNS", "60").args(args).output().unwrap();
        let code = o.status.code();
        assert!(matches!(code, Some(0 | 1)), "{args:?}: {}", stderr(&o));
        for (what, bytes) in [("stdout", &o.stdout), ("stderr", &o.stderr)] {
            assert_eq!(
                terminal_controls(bytes),
                Vec::<String>::new(),
                "{args:?} {what}:\n{}",
                String::from_utf8_lossy(bytes)
            );
        }
    }
    let out = v.ok(&["person", "Eve"]);
    assert!(out.contains("\\x1b]0;owned\\x07"), "shown visibly: {out}");
    // JSON keeps the text, with JSON's own escapes.
    let j = v.json(&["person", "Eve"]);
    assert!(j["name"].as_str().unwrap().contains('\u{1b}'));
    // The calendar holds no control characters (RFC 5545 TEXT).
    let ics = v.index.path().join("f.ics");
    v.ok(&[
        "followups",
        "--as-of",
        "2026-11-26",
        "--ics",
        ics.to_str().unwrap(),
    ]);
    let cal = fs::read(&ics).unwrap();
    let cleaned: Vec<u8> = String::from_utf8(cal)
        .unwrap()
        .replace("\r\n", "")
        .into_bytes();
    assert_eq!(terminal_controls(&cleaned), Vec::<String>::new());
    assert!(!cleaned.contains(&b'\t'));
}

// 9. `new` writes one title line, fits file names, stays in the vault.

#[test]
fn new_meeting_titles_cannot_inject_tasks_or_escape_the_vault() {
    let v = Vault::new();
    v.write("people/ada.md", "---\nname: Ada\n---\n");
    let o = v
        .cmd()
        .args([
            "new",
            "meeting",
            "Sync\n## Follow-ups\n- [ ] injected 📅 2020-01-01",
            "--date",
            "2026-11-20",
            "--no-edit",
        ])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let f = v.json(&["followups", "--as-of", "2026-11-26"]);
    let tasks: Vec<&str> = f["tasks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["text"].as_str().unwrap())
        .collect();
    assert!(
        tasks.iter().all(|t| !t.contains("injected")),
        "a title is not a task: {tasks:?}"
    );
    let created = fs::read_dir(v.path().join("meetings"))
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let text = fs::read_to_string(&created).unwrap();
    assert_eq!(
        text.lines().filter(|l| l.starts_with("- [")).count(),
        1,
        "only the placeholder task:\n{text}"
    );

    // A very long title: the file name fits in 255 bytes.
    let long = "é".repeat(300);
    for _ in 0..2 {
        let out = v.ok(&["new", "meeting", &long, "--date", "2026-11-21", "--no-edit"]);
        let path = PathBuf::from(out.trim());
        let name = path.file_name().unwrap().to_str().unwrap();
        assert!(name.len() <= 255, "{}", name.len());
        assert!(name.starts_with("2026-11-21 éé"), "{name}");
        assert!(name.ends_with(".md"), "{name}");
    }
    let long_name = "Zoë ".repeat(100);
    let out = v.ok(&["new", "person", &long_name, "--no-edit"]);
    assert!(PathBuf::from(out.trim()).file_name().unwrap().len() <= 255);

    // A folder that leads out of the vault through a link is refused.
    let w = Vault::new();
    let outside = tempfile::tempdir().unwrap();
    symlink(outside.path(), w.path().join("meetings")).unwrap();
    let o = w
        .cmd()
        .args(["new", "meeting", "Escape", "--no-edit"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("outside the vault"), "{}", stderr(&o));
    assert_eq!(fs::read_dir(outside.path()).unwrap().count(), 0);
    let o = w
        .cmd()
        .args(["new", "person", "Escape", "--no-edit"])
        .output()
        .unwrap();
    assert!(o.status.success(), "people/ is fine: {}", stderr(&o));
}

// 10. Indexing is linear in the number of attendees.

#[test]
fn a_meeting_with_twenty_thousand_attendees_indexes_quickly() {
    let v = Vault::new();
    let attendees: Vec<String> = (0..20_000).map(|i| format!("g{i}")).collect();
    v.write(
        "meetings/2026-11-20 Conference.md",
        &format!(
            "---\ntype: meeting\ndate: 2026-11-20\nattendees: [{}]\n---\n- [ ] send the slides\n",
            attendees.join(", ")
        ),
    );
    let started = Instant::now();
    v.ok(&["index"]);
    let took = started.elapsed();
    eprintln!("20,000 attendees indexed in {took:.2?}");
    // Quadratic took 34 s in a release build; linear is well under a second
    // (a debug build on a busy machine gets a generous margin).
    assert!(took < Duration::from_secs(10), "{took:?}");
    let m = v.json(&["meetings"]);
    assert_eq!(m[0]["attendees"].as_array().unwrap().len(), 20_000);
    // The meeting's task involves every attendee, each once, in order.
    let started = Instant::now();
    let c = v.json(&["followups", "--as-of", "2026-11-21", "--no-refresh"]);
    let took = started.elapsed();
    eprintln!("a task involving 20,000 people listed in {took:.2?}");
    assert!(took < Duration::from_secs(10), "{took:?}");
    let people: Vec<&str> = c["tasks"][0]["people"]
        .as_array()
        .map(|a| a.iter().filter_map(|p| p.as_str()).collect())
        .unwrap_or_default();
    assert_eq!(people.len(), 20_000);
    assert_eq!(people[0], "g0");
    assert_eq!(people[19_999], "g19999");
}

// 12. A read-only index still answers.

/// Runs `rapport` as a user for whom `dirs` are read-only: as root (who may
/// write anywhere) the files are given to `nobody` and the command runs as
/// `nobody`.
fn as_plain_user(cmd: &mut Command, owned: &[&Path]) {
    // SAFETY: geteuid has no preconditions.
    if unsafe { libc::geteuid() } != 0 {
        return;
    }
    for root in owned {
        for e in walkdir::WalkDir::new(root) {
            let e = e.unwrap();
            std::os::unix::fs::lchown(e.path(), Some(65534), Some(65534)).unwrap();
        }
    }
    // SAFETY: setgid/setuid are async-signal-safe.
    unsafe {
        cmd.pre_exec(|| {
            if libc::setgid(65534) != 0 || libc::setuid(65534) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
}

fn read_only(root: &Path) {
    for e in walkdir::WalkDir::new(root) {
        let e = e.unwrap();
        let m = e.metadata().unwrap().permissions().mode();
        fs::set_permissions(e.path(), fs::Permissions::from_mode(m & !0o222)).unwrap();
    }
}

#[test]
fn a_read_only_index_answers_from_its_last_commit_with_one_warning() {
    let v = meeting_vault();
    v.ok(&["index"]);
    // A change the index cannot take.
    v.write(
        "people/grace.md",
        "---\nname: Grace Hopper\n---\nnew person\n",
    );
    read_only(&v.index_dir());
    let query = |extra: &[&str]| {
        let mut c = Command::new(env!("CARGO_BIN_EXE_rapport"));
        c.arg("--vault")
            .arg(v.path())
            .arg("--index-dir")
            .arg(v.index_dir())
            .arg("--json")
            .args(extra)
            .arg("people")
            .env("HOME", v.index.path())
            .env_remove("XDG_CONFIG_HOME");
        as_plain_user(&mut c, &[v.path(), v.index.path()]);
        c.output().unwrap()
    };
    let o = query(&[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let people: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(crate::util::names(&people), vec!["Ada Lovelace"]);
    assert_eq!(stderr(&o).lines().count(), 1, "one warning: {}", stderr(&o));
    assert!(
        stderr(&o).contains("cannot update the index"),
        "{}",
        stderr(&o)
    );
    let o = query(&["--no-refresh"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(stderr(&o), "");
}

// 13. Queries that change nothing take no lock; a rebuild waits for a
// short-lived holder and names a long-lived one.

#[test]
fn a_query_with_nothing_to_do_takes_no_lock() {
    let v = meeting_vault();
    v.ok(&["index"]);
    let lock = v.index_dir().join("writer.lock");
    fs::write(&lock, "sentinel").unwrap();
    v.ok(&["people"]);
    v.ok(&["search", "numbers"]);
    assert_eq!(fs::read_to_string(&lock).unwrap(), "sentinel");
    // With a change, the query does take it (and refreshes).
    v.write("people/grace.md", "---\nname: Grace Hopper\n---\n");
    assert_eq!(crate::util::names(&v.json(&["people"])).len(), 2);
}

#[test]
fn rebuilds_succeed_while_queries_run_in_a_loop() {
    let v = meeting_vault();
    v.ok(&["index"]);
    let stop = std::sync::atomic::AtomicBool::new(false);
    std::thread::scope(|s| {
        s.spawn(|| {
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                let o = v.cmd().args(["search", "numbers"]).output().unwrap();
                assert!(o.status.success(), "{}", stderr(&o));
            }
        });
        for _ in 0..8 {
            let o = v.cmd().args(["index", "--rebuild"]).output().unwrap();
            assert!(o.status.success(), "{}", stderr(&o));
        }
        stop.store(true, std::sync::atomic::Ordering::Relaxed);
    });
}

#[test]
fn index_waits_for_a_short_holder_and_names_a_long_one() {
    let v = meeting_vault();
    v.ok(&["index"]);
    let path = v.index_dir().join("writer.lock");
    // A holder that lets go after a second: the rebuild waits for it.
    let file = fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open(&path)
        .unwrap();
    file.lock().unwrap();
    fs::write(&path, "4242").unwrap();
    let release = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_secs(1));
        file.unlock().unwrap();
    });
    let o = v.cmd().args(["index", "--rebuild"]).output().unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    release.join().unwrap();
    // One that stays: refused after a few seconds, with its pid.
    let file = fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open(&path)
        .unwrap();
    file.lock().unwrap();
    fs::write(&path, "4242").unwrap();
    let started = Instant::now();
    let o = v.cmd().args(["index", "--rebuild"]).output().unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(started.elapsed() >= Duration::from_secs(3));
    assert!(stderr(&o).contains("pid 4242"), "{}", stderr(&o));
    // One that recorded nothing: the message says so.
    fs::write(&path, "").unwrap();
    let o = v.cmd().args(["index", "--rebuild"]).output().unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("not recorded"), "{}", stderr(&o));
    drop(file);
}

// 11. Answers do not depend on the index's history.

#[derive(Debug, Clone)]
enum Op {
    /// Write meeting `n` (new or edited): date, attendees, task texts.
    Write(usize, u8, Vec<usize>, Vec<usize>),
    Rename(usize, usize),
    Delete(usize),
}

const PEOPLE: [&str; 4] = ["Ada Lovelace", "Grace Hopper", "Bob", "bob"];
const TASKS: [&str; 3] = ["send notes", "call back 📅 2026-11-24", "#ask intro"];

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        3 => (0..6usize, 0..2u8, prop::collection::vec(0..4usize, 0..3), prop::collection::vec(0..3usize, 0..3))
            .prop_map(|(n, d, a, t)| Op::Write(n, d, a, t)),
        1 => (0..6usize, 0..6usize).prop_map(|(a, b)| Op::Rename(a, b)),
        1 => (0..6usize).prop_map(Op::Delete),
    ]
}

fn meeting_path(n: usize) -> String {
    format!("meetings/m{n}.md")
}

fn apply(v: &Vault, op: &Op) {
    match op {
        Op::Write(n, day, who, tasks) => {
            let attendees: Vec<String> =
                who.iter().map(|i| format!("\"{}\"", PEOPLE[*i])).collect();
            let body: String = tasks
                .iter()
                .map(|t| format!("- [ ] {}\n", TASKS[*t]))
                .collect();
            v.write(
                &meeting_path(*n),
                &format!(
                    "---\ntype: meeting\ndate: 2026-11-0{}\ntitle: Sync\nattendees: [{}]\n---\nsync words\n{body}",
                    day + 1,
                    attendees.join(", ")
                ),
            );
        }
        Op::Rename(a, b) => {
            let from = v.path().join(meeting_path(*a));
            if from.exists() && a != b {
                fs::rename(from, v.path().join(meeting_path(*b))).unwrap();
            }
        }
        Op::Delete(n) => {
            let _ = fs::remove_file(v.path().join(meeting_path(*n)));
        }
    }
}

fn answers(v: &Vault, index: &Path) -> Vec<String> {
    let queries: [&[&str]; 6] = [
        &["people"],
        &["person", "Ada Lovelace"],
        &["person", "bob"],
        &["meetings"],
        &["followups", "--as-of", "2026-11-26"],
        &["search", "sync"],
    ];
    queries
        .iter()
        .map(|q| {
            let o = v
                .cmd()
                .env("RAPPORT_INDEX", index)
                .args(["--json", "--no-refresh"])
                .args(*q)
                .output()
                .unwrap();
            let text = String::from_utf8(o.stdout).unwrap();
            // Scores count deleted documents until tantivy merges segments:
            // the order of hits is compared, not the score's last digits.
            if q[0] == "search" {
                let mut hits: serde_json::Value = serde_json::from_str(&text).unwrap_or_default();
                for h in hits.as_array_mut().into_iter().flatten() {
                    h["score"] = serde_json::Value::Null;
                }
                return hits.to_string();
            }
            text
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 8,
        rng_seed: proptest::test_runner::RngSeed::Fixed(11),
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    /// After creates, edits, renames and deletes with refreshes in between,
    /// every answer equals that of a clean rebuild, byte for byte.
    #[test]
    fn incremental_answers_equal_a_clean_rebuild(ops in prop::collection::vec(op(), 1..10)) {
        let v = Vault::new();
        v.write("people/ada.md", "---\nname: Ada Lovelace\ncadence: 7d\n---\n");
        v.write("people/grace.md", "---\nname: Grace Hopper\ncadence: 7d\n---\n");
        v.ok(&["index"]);
        for op in &ops {
            apply(&v, op);
            v.ok(&["index"]);
        }
        let clean = v.index.path().join("clean");
        let o = v.cmd().env("RAPPORT_INDEX", &clean).arg("index").output().unwrap();
        prop_assert!(o.status.success());
        let (a, b) = (answers(&v, &v.index_dir()), answers(&v, &clean));
        for (x, y) in a.iter().zip(&b) {
            prop_assert_eq!(x, y, "after {:?}", ops);
        }
    }
}
