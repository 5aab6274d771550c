//! Issue 13, part B: what a new user meets in the first ten minutes. Each
//! test runs the real binary on the kind of vault people really have.

use std::fs;
use std::process::{Command, Stdio};

use chrono::{Datelike, Days, Local};
use serde_json::Value;
use unicode_width::UnicodeWidthStr;

use crate::util::{Vault, shared_vaults, texts};

/// Runs `rapport` with `args`; returns (exit code, stdout, stderr).
fn run(v: &Vault, args: &[&str]) -> (i32, String, String) {
    let out = v.cmd().args(args).output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Like [`run`], with `COLUMNS` set (or removed, with `None`).
fn run_wide(v: &Vault, columns: Option<&str>, args: &[&str]) -> String {
    let mut cmd = v.cmd();
    match columns {
        Some(c) => cmd.env("COLUMNS", c),
        None => cmd.env_remove("COLUMNS"),
    };
    let out = cmd.args(args).output().unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

const HINT: &str = "is a person or a meeting note";

// ------------------------------------------------------------ point 3

#[test]
fn an_empty_vault_says_so_once_with_how_notes_are_recognised() {
    let v = Vault::new();
    for args in [
        &["people"][..],
        &["followups"],
        &["search", "anything"],
        &["meetings"],
    ] {
        let (_, _, err) = run(&v, args);
        assert_eq!(
            err.matches("has no notes yet").count(),
            1,
            "{args:?}: {err}"
        );
        for rule in [
            "`type: person`",
            "`categories: [[People]]`",
            "`people/`",
            "`type: meeting`",
            "`rapport check`",
        ] {
            assert!(err.contains(rule), "{args:?} names {rule}: {err}");
        }
        assert_eq!(
            err.lines().filter(|l| l.contains("no notes yet")).count(),
            1
        );
    }
    // `check` says more: every rule, one a line.
    let (_, _, err) = run(&v, &["check"]);
    assert!(err.contains("has no Markdown notes"), "{err}");
    assert!(
        err.contains("`contacts/`") && err.contains("`1:1`"),
        "{err}"
    );
    assert!(err.contains("Templates/"), "{err}");
    // `new` is how a vault starts: no word about an empty one.
    let (code, _, err) = run(&v, &["new", "person", "Ada Lovelace", "--no-edit"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        !err.contains("no notes yet") && !err.contains(HINT),
        "{err}"
    );
    // With a person note, the word is gone.
    let (_, _, err) = run(&v, &["people"]);
    assert!(!err.contains(HINT) && !err.contains("no notes"), "{err}");
}

#[test]
fn notes_without_people_or_meetings_say_so_and_kepano_people_count() {
    let v = Vault::new();
    v.write(
        "journal/2026-11-20.md",
        "# A day\nwrote [[Ada Lovelace]] a note\n",
    );
    v.write("ideas.md", "---\ntags: [idea]\n---\nan idea\n");
    let (_, _, err) = run(&v, &["people"]);
    assert!(err.contains("none of the 2 notes in"), "{err}");
    assert!(err.contains(HINT), "{err}");
    let (_, _, err) = run(&v, &["index"]);
    assert!(err.contains(HINT), "index says it too: {err}");
    let (_, _, err) = run(&v, &["check"]);
    assert!(err.contains("has 2 notes and none"), "{err}");

    // kepano's vault convention: `categories: [[People]]`, anywhere.
    v.write(
        "Ada Lovelace.md",
        "---\ncategories:\n  - \"[[People]]\"\n---\n",
    );
    let (_, out, err) = run(&v, &["people"]);
    assert!(!err.contains(HINT), "{err}");
    assert!(out.contains("Ada Lovelace"), "{out}");

    // A real vault with people: no word at all.
    let kepano = shared_vaults()
        .into_iter()
        .find(|p| p.to_string_lossy().contains("kepano"))
        .unwrap();
    let k = Vault::copy_of(&kepano);
    let (_, _, err) = run(&k, &["people"]);
    assert!(!err.contains(HINT) && !err.contains("no notes"), "{err}");
}

// ------------------------------------------------------------ point 4

#[test]
fn check_reports_meetings_without_a_date_or_attendees() {
    let v = Vault::new();
    v.write("people/ada.md", "---\nname: Ada Lovelace\n---\n");
    v.write(
        "meetings/planning.md",
        "---\nattendees: [\"[[Ada Lovelace]]\"]\n---\nno date anywhere\n",
    );
    v.write(
        "meetings/2026-11-20 Solo.md",
        "---\ntype: meeting\n---\nnobody came\n",
    );
    v.write(
        "meetings/typo.md",
        "---\ndate: 2026-13-45\nattendees: [\"[[Ada Lovelace]]\"]\n---\n",
    );
    v.write(
        "meetings/2026-11-21 Good.md",
        "---\nattendees: [\"[[Ada Lovelace]]\"]\n---\n",
    );
    let out = v.cmd().args(["--json", "check"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1), "warnings: exit 1");
    let findings: Value = serde_json::from_slice(&out.stdout).unwrap();
    let of = |path: &str| -> Vec<String> {
        findings
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["path"] == path)
            .map(|f| format!("{}/{}", f["code"].as_str().unwrap(), f["severity"]))
            .collect()
    };
    assert_eq!(
        of("meetings/planning.md"),
        ["meeting-without-date/\"warning\""]
    );
    assert_eq!(
        of("meetings/2026-11-20 Solo.md"),
        ["meeting-without-attendees/\"warning\""]
    );
    // A bad date is reported once, as a bad date.
    assert_eq!(of("meetings/typo.md"), ["bad-date/\"warning\""]);
    assert!(of("meetings/2026-11-21 Good.md").is_empty());
    let text = run(&v, &["check"]).1;
    assert!(
        text.contains("meetings/planning.md: meeting has no date"),
        "{text}"
    );
}

#[test]
fn templates_are_not_mentions_of_a_person() {
    let v = Vault::new();
    v.write("people/ada.md", "---\nname: Ada Lovelace\n---\n");
    v.write(
        "Templates/meeting.md",
        "---\ndate: \"{{date}}\"\n---\nwith [[Ada Lovelace]]\n",
    );
    v.write("_templates/1on1.md", "talk to [[Ada Lovelace]]\n");
    v.write("journal/2026-11-20.md", "lunch with [[Ada Lovelace]]\n");
    let p = v.json(&["person", "Ada Lovelace"]);
    assert_eq!(
        texts(&p, "mentions", "path"),
        ["journal/2026-11-20.md"],
        "{p}"
    );
}

#[cfg(unix)]
#[test]
fn a_file_that_is_no_note_is_reported_by_check_and_index_not_by_every_query() {
    let v = Vault::new();
    v.write("people/ada.md", "---\nname: Ada Lovelace\n---\n");
    // Jekyll's fixtures hold a link to /etc/passwd.
    fs::create_dir_all(v.path().join("symlink-test")).unwrap();
    std::os::unix::fs::symlink("/etc/passwd", v.path().join("symlink-test/passwd.md")).unwrap();
    std::os::unix::fs::symlink("/etc/passwd", v.path().join("symlinked-file")).unwrap();
    for args in [
        &["people"][..],
        &["people"],
        &["search", "ada"],
        &["followups"],
    ] {
        let (_, _, err) = run(&v, args);
        assert!(
            !err.contains("problem") && !err.contains("passwd"),
            "{args:?}: {err}"
        );
    }
    let (_, out, _) = run(&v, &["index"]);
    assert!(
        out.contains("symlink-test/passwd.md: symbolic link points outside the vault"),
        "{out}"
    );
    let (code, out, _) = run(&v, &["check"]);
    assert_eq!(code, 1);
    assert!(out.contains("symlink-test/passwd.md"), "{out}");
    assert!(out.contains("symlinked-file"), "{out}");
    // A note with a real problem is still mentioned once, when it is read.
    v.write("meetings/bad.md", "---\ndate: [unclosed\n---\n");
    let (_, _, err) = run(&v, &["people"]);
    assert!(err.contains("1 note has problems"), "{err}");
}

// ------------------------------------------------------ points 9 and 10

/// A vault with tasks about people, tasks about nobody, and task text in
/// every syntax a plugin writes.
fn tasks_vault() -> Vault {
    let v = Vault::new();
    v.write(
        "people/ada.md",
        "---\nname: Ada Lovelace\ncadence: 30d\n---\n",
    );
    v.write(
        "meetings/2026-11-10 Lunch with Ada.md",
        "---\nattendees: [\"[[Ada Lovelace]]\"]\n---\n\
         - [ ] send [[people/ada|Ada]] the deck 📅 2026-11-20 %% she asked twice %%\n\
         - [ ] book the room [due:: 2026-11-30]\n",
    );
    v.write(
        "journal/2026-11-12.md",
        "- [ ] call [[Ada Lovelace]] back due:2026-12-01\n\
         - [ ] buy milk\n\
         - [ ] water the plants ⏳ 2026-11-25\n",
    );
    v.write(
        "meetings/2026-11-11 Alone.md",
        "---\ntype: meeting\n---\n- [ ] tidy desk\n",
    );
    v
}

#[test]
fn the_checklist_holds_tasks_about_people_and_counts_the_others() {
    let v = tasks_vault();
    let f = v.json(&["followups", "--as-of", "2026-11-26"]);
    let texts: Vec<&str> = f["tasks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["text"].as_str().unwrap())
        .collect();
    assert_eq!(
        texts,
        [
            "send Ada the deck",
            "book the room",
            "call Ada Lovelace back"
        ]
    );
    assert_eq!(f["other_open_tasks"], 3);
    let text = v.ok(&["followups", "--as-of", "2026-11-26"]);
    assert!(text.contains("Open tasks (3)"), "{text}");
    assert!(
        text.contains("3 other open tasks involve nobody; `--all-tasks` lists them."),
        "{text}"
    );
    let all = v.json(&["followups", "--as-of", "2026-11-26", "--all-tasks"]);
    assert_eq!(all["tasks"].as_array().unwrap().len(), 6);
    assert_eq!(all["other_open_tasks"], 0);
    let text = v.ok(&["followups", "--as-of", "2026-11-26", "--all-tasks"]);
    assert!(text.contains("Open tasks (6)") && !text.contains("involve nobody"));

    // The obsidian-tasks docs: hundreds of tasks about no one.
    let src = shared_vaults()
        .into_iter()
        .find(|p| p.to_string_lossy().contains("obsidian-tasks"))
        .unwrap();
    let docs = Vault::copy_of(&src);
    let f = docs.json(&["followups", "--as-of", "2026-11-26"]);
    let all = docs.json(&["followups", "--as-of", "2026-11-26", "--all-tasks"]);
    let (shown, every) = (
        f["tasks"].as_array().unwrap().len(),
        all["tasks"].as_array().unwrap().len(),
    );
    assert!(shown * 4 < every, "{shown} of {every}");
    assert_eq!(
        f["other_open_tasks"].as_u64().unwrap() as usize,
        every - shown
    );
    for t in f["tasks"].as_array().unwrap() {
        assert!(!t["people"].as_array().unwrap().is_empty(), "{t}");
    }
}

#[test]
fn task_text_is_clean_and_the_checklist_file_has_no_signifiers() {
    let v = tasks_vault();
    let out = v.path().join("follow-ups.md");
    let out_s = out.to_str().unwrap();
    v.ok(&[
        "followups",
        "--as-of",
        "2026-11-26",
        "--all-tasks",
        "--out",
        out_s,
    ]);
    let file = fs::read_to_string(&out).unwrap();
    for markup in [
        "📅",
        "⏳",
        "[due::",
        "due:2026",
        "%%",
        "[[people/ada",
        "she asked",
    ] {
        assert!(!file.contains(markup), "{markup} in the file:\n{file}");
    }
    for line in [
        "- [ ] send Ada the deck — **overdue** since 2026-11-20 — with Ada Lovelace",
        "- [ ] book the room — due 2026-11-30 — with Ada Lovelace",
        "- [ ] call Ada Lovelace back — due 2026-12-01 — with Ada Lovelace",
        "- [ ] water the plants — ",
    ] {
        assert!(file.contains(line), "{line}\n{file}");
    }
    // The terminal, the profile and the open tasks in keep-in-touch context too.
    let text = v.ok(&["followups", "--as-of", "2026-11-26"]);
    assert!(
        text.contains("[ ] send Ada the deck — overdue since 2026-11-20"),
        "{text}"
    );
    assert!(!text.contains("📅") && !text.contains("%%"), "{text}");
    let p = v.json(&["person", "Ada Lovelace"]);
    let tasks: Vec<&str> = p["open_tasks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["text"].as_str().unwrap())
        .collect();
    assert!(tasks.contains(&"send Ada the deck"), "{tasks:?}");
    assert!(tasks.contains(&"call Ada Lovelace back"), "{tasks:?}");
    // Ticks survive: the id is the task's, not its shown text's.
    let ticked = file.replacen("- [ ] book the room", "- [x] book the room", 1);
    fs::write(&out, ticked).unwrap();
    v.ok(&[
        "followups",
        "--as-of",
        "2026-11-26",
        "--all-tasks",
        "--out",
        out_s,
    ]);
    assert!(
        fs::read_to_string(&out)
            .unwrap()
            .contains("- [x] book the room")
    );
}

// ------------------------------------------------------------ point 11

#[test]
fn the_calendar_holds_keep_in_touch_dates_ahead_with_clean_summaries() {
    let v = Vault::new();
    v.write(
        "people/ada.md",
        "---\nname: Ada Lovelace\ncadence: 30d\n---\n",
    );
    v.write("people/bob.md", "---\nname: Bob Byte\ncadence: 7d\n---\n");
    v.write("people/cy.md", "---\nname: Cy Cole\ncadence: 90d\n---\n");
    v.write(
        "meetings/2026-11-10 Ada.md",
        "---\nattendees: [\"[[Ada Lovelace]]\", \"[[Cy Cole]]\"]\n---\n\
         - [ ] send [[Ada Lovelace|Ada]] the deck 📅 2026-12-01 %% note %%\n",
    );
    v.write(
        "meetings/2026-11-01 Bob.md",
        "---\nattendees: [\"[[Bob Byte]]\"]\n---\n- [x] done\n",
    );
    let ics = v.index.path().join("f.ics");
    let todos = |window: &str| {
        v.ok(&[
            "followups",
            "--as-of",
            "2026-11-26",
            "--window",
            window,
            "--ics",
            ics.to_str().unwrap(),
        ]);
        let reader = ical::IcalParser::new(std::io::BufReader::new(fs::File::open(&ics).unwrap()));
        let cal = reader.map(|c| c.unwrap()).next().unwrap();
        let mut out: Vec<(String, String)> = cal
            .todos
            .iter()
            .map(|t| {
                let prop = |n: &str| {
                    t.properties
                        .iter()
                        .find(|p| p.name == n)
                        .and_then(|p| p.value.clone())
                        .unwrap_or_default()
                };
                (prop("SUMMARY"), prop("DUE"))
            })
            .collect();
        out.sort();
        out
    };
    let s = |a: &str, b: &str| (a.to_string(), b.to_string());
    // Ada is due 2026-12-10, within 30 days; Bob is overdue since
    // 2026-11-08; Cy is due 2027-02-08, beyond the window.
    assert_eq!(
        todos("30d"),
        [
            s("Keep in touch with Ada Lovelace", "20261210"),
            s("Keep in touch with Bob Byte", "20261108"),
            s("send Ada the deck", "20261201"),
        ]
    );
    // A narrower window holds only what is due.
    assert_eq!(
        todos("7d"),
        [
            s("Keep in touch with Bob Byte", "20261108"),
            s("send Ada the deck", "20261201"),
        ]
    );
}

#[test]
fn someone_with_a_meeting_planned_gets_no_calendar_reminder_due_or_ahead() {
    let v = Vault::new();
    for (file, name, cadence) in [
        ("ada", "Ada Lovelace", "30d"),
        ("bob", "Bob Byte", "7d"),
        ("cy", "Cy Cole", "30d"),
    ] {
        v.write(
            &format!("people/{file}.md"),
            &format!("---\nname: {name}\ncadence: {cadence}\n---\n"),
        );
    }
    // Ada and Cy fall due 2026-12-10 (ahead); Bob has been due since
    // 2026-11-08. Ada and Bob have a meeting planned.
    v.write(
        "meetings/2026-11-10 Kickoff.md",
        "---\nattendees: [\"[[Ada Lovelace]]\", \"[[Cy Cole]]\"]\n---\n",
    );
    v.write(
        "meetings/2026-11-01 Bob.md",
        "---\nattendees: [\"[[Bob Byte]]\"]\n---\n",
    );
    v.write(
        "meetings/2026-12-03 Atlas sync.md",
        "---\nattendees: [\"[[Ada Lovelace]]\"]\n---\n",
    );
    v.write(
        "meetings/2026-12-05 Billing review.md",
        "---\nattendees: [\"[[Bob Byte]]\"]\n---\n",
    );
    let ics = v.index.path().join("f.ics");
    let args = [
        "followups",
        "--as-of",
        "2026-11-26",
        "--window",
        "30d",
        "--ics",
        ics.to_str().unwrap(),
    ];
    let j = v.json(&args);
    let names = |key: &str| -> Vec<String> {
        j[key]
            .as_array()
            .unwrap()
            .iter()
            .map(|k| k["name"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(names("keep_in_touch"), Vec::<String>::new());
    assert_eq!(names("keep_in_touch_ahead"), ["Cy Cole"]);
    // Only those due now are named as planned; Ada is not due yet.
    assert_eq!(names("planned"), ["Bob Byte"]);
    let text = fs::read_to_string(&ics).unwrap().replace("\r\n ", "");
    let summaries: Vec<&str> = text
        .lines()
        .filter_map(|l| l.strip_prefix("SUMMARY:"))
        .collect();
    assert_eq!(summaries, ["Keep in touch with Cy Cole"], "{text}");
    // The planned line does not repeat the date of a title from a file name.
    let out = run_wide(&v, Some("100"), &args[..3]);
    assert!(
        out.contains("Bob Byte — planned: 2026-12-05 Billing review"),
        "{out}"
    );
    assert!(!out.contains("2026-12-05 2026-12-05"), "{out}");
}

#[test]
fn upcoming_meetings_fit_the_terminal_without_repeated_dates_or_escapes() {
    let v = Vault::new();
    v.write("people/ada.md", "---\nname: Ada Lovelace\n---\n");
    let soon = Local::now().date_naive() + Days::new(10);
    let long = "about the quarterly planning of the Atlas programme and its many workstreams";
    v.write(
        &format!("meetings/{soon} Atlas sync {long}.md"),
        "---\nattendees: [\"[[Ada Lovelace]]\"]\n---\n",
    );
    v.write(
        "meetings/hostile.md",
        &format!(
            "---\ndate: {soon}\ntitle: \"Sync \\e[31m red \\e]0;pwned\\a {long}\"\n\
             attendees: [\"[[Ada Lovelace]]\"]\n---\n"
        ),
    );
    for w in [40, 60, 100] {
        let out = run_wide(&v, Some(&w.to_string()), &["person", "Ada Lovelace"]);
        assert_fits(&out, w);
        assert!(out.contains("Upcoming (2)"), "{out}");
        assert!(!out.contains('\x1b') && !out.contains('\x07'), "{out:?}");
        assert!(out.contains(&format!("  {soon}  Atlas sync")), "{out}");
        assert!(!out.contains(&format!("{soon}  {soon}")), "{out}");
        // The NEXT column of the people table fits as well.
        let out = run_wide(&v, Some(&w.to_string()), &["people"]);
        assert_fits(&out, w);
        if w == 100 {
            assert!(out.contains(&soon.to_string()), "{out}");
        }
    }
    // Wide enough, the defused escape is shown, not sent.
    let out = run_wide(&v, Some("200"), &["person", "Ada Lovelace"]);
    assert!(
        out.contains("Sync \\x1b[31m red \\x1b]0;pwned\\x07"),
        "{out}"
    );
}

// ------------------------------------------------------------ point 12

/// Every line fits `w` columns (wide characters count two).
fn assert_fits(text: &str, w: usize) {
    for line in text.lines() {
        assert!(
            UnicodeWidthStr::width(line) <= w,
            "{} columns > {w}: {line}",
            UnicodeWidthStr::width(line)
        );
    }
}

fn wide_vault() -> Vault {
    let v = Vault::new();
    let long = "a rather long sentence that goes on about the quarterly planning of the \
                Atlas programme and its many workstreams";
    v.write(
        "people/ada.md",
        &format!(
            "---\nname: Ada Lovelace\ncadence: 7d\ninterests: [{long}, 会議と計画の長い話題, chess]\n---\n"
        ),
    );
    v.write(
        "meetings/2026-09-15 Lunch with Ada about the whole long Atlas programme and more.md",
        &format!(
            "---\nattendees: [\"[[Ada Lovelace]]\"]\nprojects: [Atlas, Billing, Onboarding]\n---\n\
             {long} planning\n- [ ] send [[Ada Lovelace]] {long} 📅 2026-09-20\n\
             - [ ] 会議の資料を送る、とても長い日本語のタスクの説明がここに続きます、さらに続きます\n"
        ),
    );
    v
}

#[test]
fn person_followups_and_search_fit_the_terminal() {
    let v = wide_vault();
    for (columns, w) in [(Some("60"), 60), (Some("100"), 100), (None, 80)] {
        for args in [
            &["person", "Ada Lovelace"][..],
            &["followups", "--as-of", "2026-11-26"],
            &["search", "planning"],
            &["meetings"],
        ] {
            let out = run_wide(&v, columns, args);
            assert_fits(&out, w);
        }
    }
    // Nothing is lost to wrapping in the profile: the long task is whole.
    let out = run_wide(&v, Some("60"), &["person", "Ada Lovelace"]);
    let joined = out.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        joined.contains("Atlas programme and its many workstreams (due 2026-09-20)"),
        "{out}"
    );
}

#[test]
fn a_title_from_a_file_name_does_not_repeat_its_date() {
    let v = Vault::new();
    v.write("people/ada.md", "---\nname: Ada Lovelace\n---\n");
    v.write(
        "meetings/2026-09-15 Lunch with Ada.md",
        "---\nattendees: [\"[[Ada Lovelace]]\"]\n---\nsoup\n",
    );
    v.write(
        "meetings/2026-09-16.md",
        "---\nattendees: [\"[[Ada Lovelace]]\"]\n---\nsoup\n",
    );
    let out = run_wide(&v, Some("100"), &["person", "Ada Lovelace"]);
    assert!(out.contains("  2026-09-15  Lunch with Ada"), "{out}");
    assert!(!out.contains("2026-09-15  2026-09-15"), "{out}");
    // A title that is only the date stays.
    assert!(out.contains("  2026-09-16  2026-09-16"), "{out}");
    let out = run_wide(&v, Some("100"), &["meetings"]);
    assert!(!out.contains("2026-09-15  2026-09-15"), "{out}");
    let out = run_wide(&v, Some("100"), &["search", "soup"]);
    assert!(
        out.lines()
            .any(|l| l.starts_with("Lunch with Ada  meeting · ")),
        "{out}"
    );
    // The JSON keeps the title as it is.
    let p = v.json(&["person", "Ada Lovelace"]);
    assert_eq!(p["meetings"][1]["title"], "2026-09-15 Lunch with Ada");
}

#[test]
fn a_snippet_never_ends_inside_a_wikilink() {
    let v = Vault::new();
    // tantivy cuts fragments of 160 characters at word ends: this one
    // would end right after "Emergence", inside the link.
    v.write(
        "a.md",
        &format!(
            "{}[[Emergence]] longerword and more words here.\n",
            "abcd ".repeat(29)
        ),
    );
    v.write(
        "b.md",
        &format!(
            "{}see [[Emergence|the book]] longerword and more words here.\n",
            "word ".repeat(29)
        ),
    );
    let hits = v.json(&["search", "emergence"]);
    let hits = hits.as_array().unwrap();
    assert_eq!(hits.len(), 2);
    for h in hits {
        let s = h["snippet"].as_str().unwrap();
        assert_eq!(s.matches("[[").count(), s.matches("]]").count(), "{s}");
        assert!(s.contains("**Emergence**"), "{s}");
    }
}

// ------------------------------------------------------------ point 13

#[cfg(unix)]
#[test]
fn every_command_exits_quietly_on_a_closed_pipe() {
    let v = Vault::copy_of(&crate::util::example_vault());
    v.ok(&["index"]);
    for args in [
        &["completions", "bash"][..],
        &["completions", "zsh"],
        &["man"],
        &["people"],
        &["person", "Ruth Adeyemi"],
        &["followups"],
        &["search", "atlas"],
        &["--json", "people"],
    ] {
        // The reading end is closed before rapport writes a byte.
        let (reader, writer) = std::io::pipe().unwrap();
        drop(reader);
        let out = Command::new(assert_cmd::cargo::cargo_bin("rapport"))
            .arg("--vault")
            .arg(v.path())
            .args(args)
            .env("RAPPORT_INDEX", v.index_dir())
            .stdout(Stdio::from(writer))
            .stderr(Stdio::piped())
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {err}");
        assert!(
            !err.contains("panicked") && !err.contains("Broken pipe"),
            "{args:?}: {err}"
        );
    }
}

// ------------------------------------------------------------ point 14

#[test]
fn usage_lines_do_not_show_flags_set_in_the_environment() {
    let v = Vault::new();
    // `cmd()` sets RAPPORT_INDEX; set RAPPORT_VAULT too.
    let out = v
        .cmd()
        .env("RAPPORT_VAULT", v.path())
        .args(["people", "--met", "--never-met"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("cannot be used with"), "{err}");
    assert!(
        !err.contains("--index-dir") && !err.contains("<DIR>"),
        "{err}"
    );
    assert!(err.contains("Usage: rapport people --met"), "{err}");
    // And the variables still work, and say where they came from.
    let mut cmd = Command::new(assert_cmd::cargo::cargo_bin("rapport"));
    let out = cmd
        .env("RAPPORT_VAULT", v.path())
        .env("RAPPORT_INDEX", v.index_dir())
        .args(["--json", "config"])
        .output()
        .unwrap();
    let c: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(c["vault"]["source"]["path"], "RAPPORT_VAULT", "{c}");
    assert_eq!(c["index"]["source"]["path"], "RAPPORT_INDEX", "{c}");
}

#[test]
fn a_new_meeting_takes_tomorrow_and_next_week() {
    let v = Vault::new();
    let today = Local::now().date_naive();
    let tomorrow = today + Days::new(1);
    let monday = today - Days::new(today.weekday().num_days_from_monday() as u64) + Days::new(7);
    for (word, day) in [
        ("tomorrow", tomorrow),
        ("next-week", monday),
        ("today", today),
    ] {
        let out = v.ok(&[
            "new",
            "meeting",
            &format!("Plan {word}"),
            "--date",
            word,
            "--no-edit",
        ]);
        let file = format!("meetings/{day} Plan {word}.md");
        assert!(out.contains(&file), "{out}");
        let text = fs::read_to_string(v.path().join(&file)).unwrap();
        assert!(text.contains(&format!("date: {day}")), "{text}");
    }
    let out = v
        .cmd()
        .args(["new", "meeting", "X", "--date", "someday", "--no-edit"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("--date") && err.contains("tomorrow"), "{err}");
}

#[test]
fn the_manual_page_names_no_missing_pages_and_says_rapport_once() {
    let v = Vault::new();
    let page = v.ok(&["man"]);
    // No reference to a page per command (`rapport-index(1)`): there are none.
    assert_eq!(page.matches("(1)").count(), 0, "{page}");
    let name = page
        .lines()
        .skip_while(|l| *l != ".SH NAME")
        .nth(1)
        .unwrap();
    assert_eq!(name.matches("rapport").count(), 1, "{name}");
    assert!(name.starts_with("rapport \\- "), "{name}");
    // Every command is described on this one page, with its options.
    for sub in [
        "rapport index",
        "rapport search",
        "rapport new meeting",
        "rapport new person",
        "rapport followups",
        "rapport watch",
    ] {
        assert!(page.contains(&format!(".SS \"{sub}")), "{sub}");
    }
    assert!(
        page.contains("\\-\\-all\\-tasks"),
        "the followups options are listed"
    );
    assert_eq!(page.matches(".ds Aq").count(), 2, "one preamble");
}
