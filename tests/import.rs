//! `rapport import` and `rapport export` on fixtures shaped like real
//! exports (Google Calendar, Outlook/Exchange, Apple Calendar, Thunderbird,
//! Google/Apple/Android address books, LinkedIn).

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

use proptest::prelude::*;
use serde_json::Value;

use crate::util::{Vault, example_vault, snapshot};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/import")
        .join(name)
}

fn fx(name: &str) -> String {
    fixture(name).display().to_string()
}

const RANGE: [&str; 4] = ["--since", "2026-11-01", "--until", "2026-11-30"];

/// A vault with the user's addresses configured and two person notes.
fn vault() -> Vault {
    let v = Vault::new();
    v.write(
        "rapport.toml",
        "[me]\nemails = [\"me@example.com\", \"Me@Work.example\"]\n",
    );
    v.write(
        "people/ada-lovelace.md",
        "---\nname: Ada Lovelace\nemail: ada.old@example.net\nemails: [ada@example.com]\naliases: [Countess]\n---\n# Ada Lovelace\n",
    );
    v.write(
        "people/alan-turing.md",
        "---\nname: Alan Turing\nemail: alan@example.co.uk\n---\n# Alan Turing\n",
    );
    v
}

/// `rapport --json import ARGS`, in Berlin time; returns (exit code, JSON, stderr).
fn import(v: &Vault, args: &[&str]) -> (i32, Value, String) {
    let out = v
        .cmd()
        .env("TZ", "Europe/Berlin")
        .arg("--json")
        .arg("import")
        .args(args)
        .output()
        .unwrap();
    let json = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
    (
        out.status.code().unwrap_or(-1),
        json,
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn ok_import(v: &Vault, args: &[&str]) -> Value {
    let (code, json, err) = import(v, args);
    assert_eq!(code, 0, "import {args:?}: {err}");
    json
}

fn strs(v: &Value, key: &str) -> Vec<String> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x[key].as_str().unwrap_or_default().to_string())
        .collect()
}

fn set(items: &[&str]) -> BTreeSet<String> {
    items.iter().map(|s| s.to_string()).collect()
}

/// The front matter of a note, parsed by a YAML reader other than rapport's
/// note parser, and the body.
fn front_matter(path: &Path) -> (BTreeMap<String, serde_yaml::Value>, String) {
    let text = fs::read_to_string(path).unwrap();
    let rest = text.strip_prefix("---\n").expect("front matter first");
    let end = rest.find("\n---\n").expect("front matter closes");
    let map = serde_yaml::from_str(&rest[..end + 1])
        .unwrap_or_else(|e| panic!("{}: {e}\n{text}", path.display()));
    (map, rest[end + 5..].to_string())
}

fn s(map: &BTreeMap<String, serde_yaml::Value>, key: &str) -> Option<String> {
    map.get(key).and_then(|v| v.as_str()).map(str::to_string)
}

fn list(map: &BTreeMap<String, serde_yaml::Value>, key: &str) -> Vec<String> {
    map.get(key)
        .and_then(|v| v.as_sequence())
        .map(|s| {
            s.iter()
                .filter_map(|x| x.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

/// Files added to the vault between two snapshots; asserts nothing else changed.
fn added(before: &BTreeMap<PathBuf, Vec<u8>>, after: &BTreeMap<PathBuf, Vec<u8>>) -> Vec<String> {
    for (p, bytes) in before {
        assert_eq!(after.get(p), Some(bytes), "{} changed", p.display());
    }
    after
        .keys()
        .filter(|p| !before.contains_key(*p) && !p.to_string_lossy().ends_with('/'))
        .map(|p| p.to_string_lossy().into_owned())
        .collect()
}

#[test]
fn calendar_dry_run_reports_the_plan_and_writes_nothing() {
    let v = vault();
    let before = snapshot(v.path());
    let g = fx("google.ics");
    let mut args = vec!["calendar", g.as_str()];
    args.extend(RANGE);
    let r = ok_import(&v, &args);
    assert_eq!(r["written"], false);
    assert_eq!(
        strs(&r["created"], "uid")
            .into_iter()
            .collect::<BTreeSet<_>>(),
        set(&[
            "7kukuqrfedlm2f9t0vb1ek0tkg@google.com",
            "weekly-1on1@google.com/2026-11-02",
            "weekly-1on1@google.com/2026-11-16",
            "weekly-1on1@google.com/2026-11-23",
            "weekly-1on1@google.com/2026-11-30",
        ])
    );
    for c in r["created"].as_array().unwrap() {
        assert_eq!(c["kind"], "meeting");
        for key in ["path", "uid", "date", "title", "attendees"] {
            assert!(c.get(key).is_some(), "{key} in {c}");
        }
    }
    let skipped: BTreeMap<String, String> = r["skipped"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["uid"].as_str().unwrap().to_string(),
                s["reason"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(skipped["declined-demo@google.com"], "declined");
    assert_eq!(skipped["cancelled-sync@google.com"], "cancelled");
    assert!(skipped["focus-time@google.com"].starts_with("no attendees other than you"));
    assert_eq!(skipped.len(), 3, "{skipped:?}");
    assert!(r["existing"].as_array().unwrap().is_empty());
    assert!(r["problems"].as_array().unwrap().is_empty());
    // The text report says the same and how to go on.
    let text = v
        .cmd()
        .env("TZ", "Europe/Berlin")
        .args(["import", "calendar", &fx("google.ics")])
        .args(RANGE)
        .output()
        .unwrap();
    let text = String::from_utf8(text.stdout).unwrap();
    assert!(
        text.contains("Would create") && text.contains("--write"),
        "{text}"
    );
    assert!(text.contains("Vendor demo: declined"), "{text}");
    assert_eq!(snapshot(v.path()), before, "a dry run writes nothing");
}

#[test]
fn calendar_write_makes_meeting_notes_like_new_meeting() {
    let v = vault();
    let before = snapshot(v.path());
    let mut args = vec!["calendar".to_string(), fx("google.ics"), "--write".into()];
    args.extend(RANGE.iter().map(|s| s.to_string()));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let r = ok_import(&v, &args);
    assert_eq!(r["written"], true);
    let new = added(&before, &snapshot(v.path()));
    assert_eq!(new.len(), 5, "{new:?}");
    assert!(new.iter().all(|p| p.starts_with("meetings/")), "{new:?}");
    let (fm, body) = front_matter(&v.path().join("meetings/2026-11-03 Atlas pricing review.md"));
    assert_eq!(s(&fm, "type").as_deref(), Some("meeting"));
    assert_eq!(s(&fm, "time").as_deref(), Some("10:00"), "09:00Z in Berlin");
    assert_eq!(s(&fm, "title").as_deref(), Some("Atlas pricing review"));
    assert_eq!(
        fm.get("date").and_then(|d| d.as_str()),
        Some("2026-11-03"),
        "{fm:?}"
    );
    assert_eq!(
        list(&fm, "attendees"),
        vec![
            "[[people/ada-lovelace|Ada Lovelace]]",
            "Grace Hopper <grace@navy.example>"
        ],
        "resolved by `emails`, the unknown one as Name <email>, me left out"
    );
    assert_eq!(
        s(&fm, "uid").as_deref(),
        Some("7kukuqrfedlm2f9t0vb1ek0tkg@google.com")
    );
    assert!(fm.contains_key("projects") && fm.contains_key("tags"));
    assert!(
        body.starts_with("# Atlas pricing review\n\n## Notes\n\nAgenda:"),
        "{body}"
    );
    assert!(
        body.contains("https://meet.google.com/abc-defg-hij"),
        "{body}"
    );
    assert!(body.ends_with("## Follow-ups\n\n- [ ] \n"), "{body}");
    let (fm, _) = front_matter(
        &v.path()
            .join("meetings/2026-11-17 Grace - me 1-1 (moved).md"),
    );
    assert_eq!(
        s(&fm, "uid").as_deref(),
        Some("weekly-1on1@google.com/2026-11-16")
    );
    let (fm, _) = front_matter(&v.path().join("meetings/2026-11-02 Grace - me 1-1.md"));
    assert_eq!(s(&fm, "location").as_deref(), Some("Room 4.2"));
    // rapport reads them as meetings with Ada.
    let meetings = v.json(&["meetings", "--person", "Ada Lovelace"]);
    assert_eq!(strs(&meetings, "title"), vec!["Atlas pricing review"]);
    assert!(
        v.json(&["check"])
            .as_array()
            .unwrap()
            .iter()
            .all(|p| p["code"] == "unresolved-person"),
        "only the unknown attendee is reported"
    );
}

#[test]
fn outlook_apple_and_thunderbird_times_and_zones() {
    let v = vault();
    let r = ok_import(
        &v,
        &[
            "calendar",
            &fx("outlook.ics"),
            &fx("apple.ics"),
            &fx("thunderbird.ics"),
            "--since",
            "2026-11-01",
            "--until",
            "2026-11-30",
            "--write",
        ],
    );
    assert!(r["problems"].as_array().unwrap().is_empty(), "{r}");
    let mut got = BTreeMap::new();
    for c in r["created"].as_array().unwrap() {
        let (fm, _) = front_matter(&v.path().join(c["path"].as_str().unwrap()));
        got.insert(
            s(&fm, "title").unwrap(),
            (
                fm["date"].as_str().unwrap().to_string(),
                s(&fm, "time").unwrap_or_default(),
                list(&fm, "attendees").join(" + "),
            ),
        );
    }
    let want = |d: &str, t: &str, a: &str| (d.to_string(), t.to_string(), a.to_string());
    let ada = "[[people/ada-lovelace|Ada Lovelace]]";
    let grace = "Grace Hopper <grace@navy.example>";
    assert_eq!(
        got["Q1 planning"],
        want(
            "2026-11-10",
            "10:30",
            "[[people/ada-lovelace|Ada Lovelace]] + [[people/alan-turing|Alan Turing]]"
        ),
        "Windows zone; Ada by e-mail, Alan by name; no room, not me"
    );
    assert_eq!(got["West coast call"], want("2026-11-13", "01:00", grace));
    assert_eq!(got["Offsite with Grace"], want("2026-11-19", "", grace));
    assert_eq!(got["Lunch with Ada"], want("2026-11-18", "12:00", ada));
    assert_eq!(got["Ada's workshop"], want("2026-11-25", "", ada));
    assert_eq!(
        got["Coffee (floating time)"],
        want("2026-11-24", "16:30", ada)
    );
    assert_eq!(got["Custom zone"], want("2026-11-27", "09:00", ada));
    assert_eq!(got["Board prep"].1, "08:00");
    let board: Vec<String> = strs(&r["created"], "uid")
        .into_iter()
        .filter(|u| u.starts_with("d3b07384"))
        .collect();
    assert_eq!(board.len(), 3, "COUNT=3 daily: {board:?}");
    let lunch = r["created"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["title"] == "Lunch with Ada")
        .unwrap();
    let (fm, _) = front_matter(&v.path().join(lunch["path"].as_str().unwrap()));
    assert_eq!(
        s(&fm, "location").as_deref(),
        Some("Café de Flore 172 Bd Saint-Germain, Paris")
    );
}

#[test]
fn a_second_run_creates_nothing_even_after_renames_moves_and_edits() {
    let v = vault();
    let files = [fx("google.ics"), fx("outlook.ics")];
    let run = |write: bool| {
        let mut args: Vec<&str> = vec!["calendar", &files[0], &files[1]];
        args.extend(RANGE);
        if write {
            args.push("--write");
        }
        ok_import(&v, &args)
    };
    let first = run(true);
    let n = first["created"].as_array().unwrap().len();
    assert_eq!(n, 8);
    // The user renames one note, moves another, rewrites a third.
    let m = v.path().join("meetings");
    fs::rename(
        m.join("2026-11-03 Atlas pricing review.md"),
        m.join("pricing.md"),
    )
    .unwrap();
    fs::create_dir_all(v.path().join("archive/2026")).unwrap();
    fs::rename(
        m.join("2026-11-10 Q1 planning.md"),
        v.path().join("archive/2026/planning.md"),
    )
    .unwrap();
    let west = m.join("2026-11-13 West coast call.md");
    let text = fs::read_to_string(&west).unwrap();
    let uid_line = text.lines().find(|l| l.starts_with("uid:")).unwrap();
    fs::write(
        &west,
        format!("---\ntitle: Renamed entirely\n{uid_line}\ndate: 2026-11-13\n---\nMy own notes.\n"),
    )
    .unwrap();
    let before = snapshot(v.path());
    let second = run(true);
    assert!(second["created"].as_array().unwrap().is_empty(), "{second}");
    assert_eq!(second["existing"].as_array().unwrap().len(), n);
    let paths = strs(&second["existing"], "path");
    assert!(
        paths.contains(&"meetings/pricing.md".to_string()),
        "{paths:?}"
    );
    assert!(paths.contains(&"archive/2026/planning.md".to_string()));
    assert_eq!(snapshot(v.path()), before, "the second run wrote nothing");
}

#[test]
fn same_title_same_day_gives_two_files() {
    let v = vault();
    let ics = "BEGIN:VCALENDAR\nVERSION:2.0\nBEGIN:VEVENT\nUID:one\nDTSTART:20261110T090000Z\nSUMMARY:Sync\nATTENDEE:mailto:bob@example.com\nEND:VEVENT\nBEGIN:VEVENT\nUID:two\nDTSTART:20261110T150000Z\nSUMMARY:Sync\nATTENDEE:mailto:carol@example.com\nEND:VEVENT\nEND:VCALENDAR\n";
    v.write(
        "meetings/2026-11-10 Sync.md",
        "---\ntype: meeting\n---\nmine\n",
    );
    let cal = v.index.path().join("two.ics");
    fs::write(&cal, ics).unwrap();
    let mut args = vec!["calendar", cal.to_str().unwrap(), "--write"];
    args.extend(RANGE);
    let r = ok_import(&v, &args);
    assert_eq!(
        strs(&r["created"], "path"),
        vec![
            "meetings/2026-11-10 Sync (2).md",
            "meetings/2026-11-10 Sync (3).md"
        ]
    );
    assert_eq!(
        fs::read_to_string(v.path().join("meetings/2026-11-10 Sync.md")).unwrap(),
        "---\ntype: meeting\n---\nmine\n"
    );
}

#[test]
fn not_a_calendar_is_exit_2_one_line_nothing_written() {
    let v = vault();
    let before = snapshot(v.path());
    let mut args = vec!["calendar", "--write"];
    let g = fx("google.ics");
    let bad = fx("not-a-calendar.ics");
    args.extend([g.as_str(), bad.as_str()]);
    args.extend(RANGE);
    let (code, _, err) = import(&v, &args);
    assert_eq!(code, 2, "{err}");
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    assert!(err.contains("not an iCalendar file"), "{err}");
    assert_eq!(snapshot(v.path()), before);
    // A vCard given as a calendar, a calendar given as contacts.
    let (code, _, _) = import(&v, &["calendar", &fx("contacts-apple-4.0.vcf")]);
    assert_eq!(code, 2);
    let (code, _, err) = import(&v, &["contacts", &fx("google.ics"), "--write"]);
    assert_eq!((code, err.trim().lines().count()), (2, 1), "{err}");
    assert_eq!(snapshot(v.path()), before);
}

#[test]
fn one_broken_event_is_a_problem_and_the_rest_is_imported() {
    let v = vault();
    let mut args = vec!["calendar".to_string(), fx("broken.ics"), "--write".into()];
    args.extend(RANGE.iter().map(|s| s.to_string()));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let r = ok_import(&v, &args);
    assert_eq!(strs(&r["created"], "uid"), vec!["good-one"]);
    let lines: Vec<u64> = r["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["line"].as_u64().unwrap())
        .collect();
    assert_eq!(lines, vec![9, 15], "{r}");
}

#[test]
fn hostile_calendar_and_contact_text_never_becomes_structure() {
    let v = vault();
    let before = snapshot(v.path());
    let mut args = vec!["calendar".to_string(), fx("hostile.ics"), "--write".into()];
    args.extend(RANGE.iter().map(|s| s.to_string()));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    // The terminal report carries no control character from the input.
    let text = v
        .cmd()
        .env("TZ", "Europe/Berlin")
        .arg("import")
        .args(&args[..args.len() - 5])
        .args(RANGE)
        .output()
        .unwrap();
    let text = String::from_utf8(text.stdout).unwrap();
    assert!(text.contains("Eve"), "{text}");
    assert!(
        !text.chars().any(|c| c.is_control() && c != '\n'),
        "{text:?}"
    );
    let r = ok_import(&v, &args);
    assert_eq!(r["created"].as_array().unwrap().len(), 2);
    ok_import(&v, &["contacts", &fx("hostile.vcf"), "--write"]);
    let new = added(&before, &snapshot(v.path()));
    assert_eq!(new.len(), 3, "{new:?}");
    for p in &new {
        assert!(
            (p.starts_with("meetings/") || p.starts_with("people/"))
                && p.split('/').all(|part| part != ".."),
            "{p}"
        );
        let (fm, body) = front_matter(&v.path().join(p));
        // Valid YAML that says what the file said, on one line.
        let title = s(&fm, "title").or_else(|| s(&fm, "name")).unwrap();
        assert!(!title.contains('\n'));
        let headings: Vec<&str> = body.lines().filter(|l| l.starts_with('#')).collect();
        assert_eq!(headings.len(), 3, "{p}: {headings:?}");
        assert!(headings[0].starts_with("# ") && headings[0].len() > 2);
        assert!(
            headings[1..]
                .iter()
                .all(|h| ["## Notes", "## Follow-ups", "## Interests"].contains(h))
        );
        assert!(!body.contains("\n---\n"), "{body}");
        assert!(
            fm.keys()
                .all(|k| k != "tags" || list(&fm, "tags") != vec!["pwned"])
        );
    }
    let (fm, _) = front_matter(
        &v.path().join(
            new.iter()
                .find(|p| p.contains("wire money"))
                .expect("the hostile title"),
        ),
    );
    assert_eq!(
        s(&fm, "title").as_deref(),
        Some("Sync --- type: person ## Follow-ups - [ ] wire money #urgent Ada Lovelace")
    );
    assert_eq!(s(&fm, "uid").as_deref(), Some("../../../etc/passwd"));
    assert_eq!(s(&fm, "type").as_deref(), Some("meeting"));
    // rapport sees no task, tag or link the input wrote.
    let f = v.json(&["followups", "--as-of", "2026-11-27"]);
    assert!(f["tasks"].as_array().unwrap().is_empty(), "{f}");
    for tag in ["urgent", "hiring", "pwned"] {
        let hits = v.json(&["search", &format!("tag:{tag}")]);
        assert!(hits.as_array().unwrap().is_empty(), "tag {tag}: {hits}");
    }
    let people = v.json(&["people"]);
    assert!(
        !people.to_string().contains("\"Grace Hopper\""),
        "a [[link]] in a description is text, not a mention"
    );
    let checks = v.json(&["check"]);
    assert!(
        checks
            .as_array()
            .unwrap()
            .iter()
            .all(|p| p["code"] == "unresolved-person"),
        "{checks}"
    );
}

#[test]
fn standard_input_and_folders() {
    let v = vault();
    let out = v
        .cmd()
        .env("TZ", "Europe/Berlin")
        .args(["--json", "import", "calendar", "-"])
        .args(RANGE)
        .write_stdin(fs::read(fixture("google.ics")).unwrap())
        .output()
        .unwrap();
    assert!(out.status.success());
    let r: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(r["created"].as_array().unwrap().len(), 5);
    let dir = v.index.path().join("exports");
    fs::create_dir_all(&dir).unwrap();
    for f in ["apple.ics", "thunderbird.ics"] {
        fs::copy(fixture(f), dir.join(f)).unwrap();
    }
    fs::write(dir.join("readme.txt"), "not read").unwrap();
    let mut args = vec!["calendar", dir.to_str().unwrap()];
    args.extend(RANGE);
    let r = ok_import(&v, &args);
    assert_eq!(r["created"].as_array().unwrap().len(), 7, "{r}");
}

#[test]
fn all_imports_events_without_other_attendees() {
    let v = vault();
    let mut args = vec!["calendar".to_string(), fx("google.ics"), "--all".into()];
    args.extend(RANGE.iter().map(|s| s.to_string()));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let r = ok_import(&v, &args);
    assert!(strs(&r["created"], "uid").contains(&"focus-time@google.com".to_string()));
    assert!(
        strs(&r["skipped"], "reason")
            .iter()
            .all(|r| r == "declined" || r == "cancelled")
    );
}

#[test]
fn contacts_from_vcards_and_linkedin() {
    let v = Vault::new();
    let before = snapshot(v.path());
    let r = ok_import(
        &v,
        &[
            "contacts",
            &fx("contacts-google-3.0.vcf"),
            &fx("contacts-apple-4.0.vcf"),
            &fx("contacts-android-2.1.vcf"),
            &fx("Connections.csv"),
            "--write",
        ],
    );
    let new = added(&before, &snapshot(v.path()));
    assert!(new.iter().all(|p| p.starts_with("people/")), "{new:?}");
    let names: BTreeSet<String> = strs(&r["created"], "title").into_iter().collect();
    assert_eq!(
        names,
        set(&[
            "Ada Lovelace",
            "Alan Turing",
            "Grace Hopper",
            "Hedy Lamarr",
            "José Núñez",
            "Jürgen Müller",
            "Katherine Johnson",
            "Margaret Hamilton"
        ]),
        "two vCards and a LinkedIn row of Ada make one note"
    );
    assert!(
        r["created"]
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["kind"] == "person")
    );
    assert_eq!(
        r["problems"].as_array().unwrap().len(),
        1,
        "the broken card: {r}"
    );
    assert_eq!(r["problems"][0]["line"], 24);
    let note = |slug: &str| front_matter(&v.path().join(format!("people/{slug}.md")));
    let (ada, body) = note("ada-lovelace");
    assert_eq!(s(&ada, "email").as_deref(), Some("ada@example.com"));
    assert_eq!(list(&ada, "emails"), vec!["ada@analytical.example"]);
    assert_eq!(list(&ada, "aliases"), vec!["Countess of Lovelace"]);
    assert_eq!(s(&ada, "org").as_deref(), Some("Analytical Engines Ltd"));
    assert_eq!(s(&ada, "team").as_deref(), Some("Research"));
    assert_eq!(s(&ada, "role").as_deref(), Some("Mathematician"));
    assert_eq!(s(&ada, "birthday").as_deref(), Some("1815-12-10"));
    assert_eq!(
        list(&ada, "phone"),
        vec!["+44 20 7946 0000", "+44 20 7946 0001"]
    );
    assert_eq!(
        s(&ada, "linkedin").as_deref(),
        Some("https://www.linkedin.com/in/ada-lovelace")
    );
    assert_eq!(
        list(&ada, "tags"),
        vec!["mentor", "mycontacts", "poets", "linkedin"]
    );
    assert!(
        body.contains(
            "Met at the Royal Society. Interested in the Difference Engine, poetry and horses."
        ),
        "{body}"
    );
    assert!(!ada.contains_key("photo"));
    let (grace, _) = note("grace-hopper");
    assert_eq!(s(&grace, "birthday").as_deref(), Some("1906-12-09"));
    assert_eq!(s(&grace, "email").as_deref(), Some("grace@navy.example"));
    let (kj, _) = note("katherine-johnson");
    assert_eq!(s(&kj, "birthday").as_deref(), Some("--08-26"));
    assert_eq!(s(&kj, "team").as_deref(), Some("Flight Research"));
    assert_eq!(s(&kj, "phone").as_deref(), Some("+1-555-555-0199"));
    assert_eq!(
        s(&kj, "uid").as_deref(),
        Some("urn:uuid:4fbe8971-0bc3-424c-9c26-36c3e1eff6b1")
    );
    let (hedy, _) = note("hedy-lamarr");
    assert_eq!(s(&hedy, "birthday").as_deref(), Some("circa 1914"));
    let (margaret, _) = note("margaret-hamilton");
    assert_eq!(
        margaret.get("connected").and_then(|d| d.as_str()),
        Some("2024-03-15")
    );
    assert_eq!(
        s(&margaret, "role").as_deref(),
        Some("Director of Software Engineering")
    );
    assert_eq!(list(&margaret, "tags"), vec!["linkedin"]);
    let (alan, _) = note("alan-turing");
    assert_eq!(s(&alan, "org").as_deref(), Some("Bletchley Park, GC&CS"));
    let (jm, body) = note("jürgen-müller");
    assert_eq!(s(&jm, "phone").as_deref(), Some("+49 30 1234567"));
    assert!(body.contains("Messe in München,"), "{body}");
    // rapport reads them as people.
    let people = v.json(&["people", "--tag", "linkedin"]);
    assert_eq!(people.as_array().unwrap().len(), 3);
    // And a second run finds them all.
    let again = ok_import(
        &v,
        &[
            "contacts",
            &fx("contacts-google-3.0.vcf"),
            &fx("contacts-apple-4.0.vcf"),
            &fx("contacts-android-2.1.vcf"),
            &fx("Connections.csv"),
        ],
    );
    assert!(again["created"].as_array().unwrap().is_empty(), "{again}");
}

#[test]
fn contacts_match_existing_people_by_email_name_or_alias() {
    let v = Vault::new();
    v.write(
        "people/a.md",
        "---\nname: A. Lovelace\nemail: ada@example.com\n---\n",
    );
    v.write("people/jose.md", "---\nname: JOSE NUNEZ\n---\n");
    v.write(
        "people/hopper.md",
        "---\nname: Rear Admiral Hopper\naliases: [grace hopper]\n---\n",
    );
    let before = snapshot(v.path());
    let r = ok_import(&v, &["contacts", &fx("contacts-google-3.0.vcf"), "--write"]);
    assert!(r["created"].as_array().unwrap().is_empty(), "{r}");
    let existing: BTreeSet<String> = strs(&r["existing"], "path").into_iter().collect();
    assert_eq!(
        existing,
        set(&["people/a.md", "people/jose.md", "people/hopper.md"])
    );
    assert_eq!(
        snapshot(v.path()),
        before,
        "an existing person is never written"
    );
}

#[test]
fn exported_contacts_import_as_existing() {
    let v = Vault::copy_of(&example_vault());
    let people = v
        .json(&["people"])
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["path"].is_string())
        .count();
    assert!(people >= 5);
    let vcf = v.index.path().join("people.vcf");
    v.ok(&["export", "contacts", "--vcf", vcf.to_str().unwrap()]);
    let text = fs::read_to_string(&vcf).unwrap();
    assert_eq!(text.matches("BEGIN:VCARD").count(), people);
    assert!(text.contains("VERSION:4.0"));
    let before = snapshot(v.path());
    let r = ok_import(&v, &["contacts", vcf.to_str().unwrap(), "--write"]);
    assert!(r["created"].as_array().unwrap().is_empty(), "{r}");
    assert_eq!(r["existing"].as_array().unwrap().len(), people);
    assert_eq!(snapshot(v.path()), before);
}

/// The fenced block after `marker` in the README.
fn readme_block(marker: &str) -> String {
    let readme =
        fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let at = readme
        .find(marker)
        .unwrap_or_else(|| panic!("README has {marker}"));
    let rest = &readme[at..];
    let open = rest.find("```").unwrap();
    let body = &rest[open..];
    let start = body.find('\n').unwrap() + 1;
    let end = body[start..].find("```").unwrap();
    body[start..start + end].to_string()
}

#[test]
fn ndjson_documents_have_the_shape_the_readme_shows() {
    let v = Vault::copy_of(&example_vault());
    let out = v.ok(&["export", "--ndjson"]);
    let docs: Vec<Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect();
    let mut ids = BTreeSet::new();
    let mut kinds = BTreeMap::<String, usize>::new();
    for d in &docs {
        assert!(
            ids.insert(d["id"].as_str().unwrap().to_string()),
            "ids are unique"
        );
        *kinds
            .entry(d["kind"].as_str().unwrap().to_string())
            .or_default() += 1;
    }
    assert_eq!(
        kinds.keys().cloned().collect::<BTreeSet<_>>(),
        set(&["meeting", "person", "task"])
    );
    assert_eq!(
        kinds["meeting"],
        v.json(&["meetings"]).as_array().unwrap().len()
    );
    // The README's examples are real documents' shapes.
    for kind in ["person", "meeting", "task"] {
        let example: Value =
            serde_json::from_str(&readme_block(&format!("<!-- ndjson example: {kind} -->")))
                .unwrap();
        let keys =
            |v: &Value| -> BTreeSet<String> { v.as_object().unwrap().keys().cloned().collect() };
        let real = docs.iter().find(|d| d["kind"] == kind).unwrap();
        assert_eq!(keys(&example), keys(real), "{kind}: README vs {real}");
    }
    // Every field the Quickwit index maps exists in the documents.
    let config: serde_yaml::Value =
        serde_yaml::from_str(&readme_block("<!-- quickwit index config -->")).unwrap();
    let fields = config["doc_mapping"]["field_mappings"]
        .as_sequence()
        .unwrap();
    assert!(fields.len() >= 5);
    for f in fields {
        let name = f["name"].as_str().unwrap();
        assert!(docs.iter().any(|d| d.get(name).is_some()), "{name}");
    }
    // Deterministic: the same vault gives the same file.
    let file = v.index.path().join("notes.ndjson");
    v.ok(&["export", "--ndjson", file.to_str().unwrap()]);
    assert_eq!(fs::read_to_string(&file).unwrap(), out);
    // An existing file (an address book the user keeps) is never replaced
    // without --force.
    let mine = v.index.path().join("phone.vcf");
    fs::write(&mine, "BEGIN:VCARD\nFN:Mine\nEND:VCARD\n").unwrap();
    let refused = v
        .cmd()
        .args(["export", "contacts", "--vcf", mine.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(refused.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("--force"));
    assert_eq!(
        fs::read_to_string(&mine).unwrap(),
        "BEGIN:VCARD\nFN:Mine\nEND:VCARD\n"
    );
    v.ok(&[
        "export",
        "contacts",
        "--vcf",
        mine.to_str().unwrap(),
        "--force",
    ]);
    assert!(fs::read_to_string(&mine).unwrap().contains("VERSION:4.0"));
    v.ok(&["export", "--ndjson", file.to_str().unwrap(), "--force"]);
}

#[test]
fn the_vault_is_byte_for_byte_unchanged_apart_from_new_notes() {
    let v = Vault::copy_of(&example_vault());
    let before = snapshot(v.path());
    let mut args = vec!["calendar".to_string()];
    for f in [
        "google.ics",
        "outlook.ics",
        "apple.ics",
        "thunderbird.ics",
        "hostile.ics",
    ] {
        args.push(fx(f));
    }
    args.extend(["--write", "--all"].iter().map(|s| s.to_string()));
    args.extend(RANGE.iter().map(|s| s.to_string()));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let r = ok_import(&v, &args);
    ok_import(
        &v,
        &[
            "contacts",
            &fx("contacts-google-3.0.vcf"),
            &fx("Connections.csv"),
            "--write",
        ],
    );
    let new = added(&before, &snapshot(v.path()));
    let created = r["created"].as_array().unwrap().len();
    assert!(created >= 15);
    assert!(new.len() > created);
    assert!(
        new.iter()
            .all(|p| (p.starts_with("meetings/") || p.starts_with("people/")) && p.ends_with(".md")),
        "{new:?}"
    );
}

/// Pieces of calendars and address books, good and bad, for the property test.
fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("BEGIN:VEVENT".to_string()),
        Just("END:VEVENT".to_string()),
        Just("BEGIN:VCARD".to_string()),
        Just("END:VCARD".to_string()),
        Just("UID:../../x".to_string()),
        Just("UID:/etc/passwd".to_string()),
        Just("DTSTART:20261110T100000Z".to_string()),
        Just("DTSTART;VALUE=DATE:20261111".to_string()),
        Just("DTSTART;TZID=W. Europe Standard Time:20261112T090000".to_string()),
        Just("DTSTART;TZID=Nowhere:20261112T090000".to_string()),
        Just("DTSTART:99991231T235959Z".to_string()),
        Just("RRULE:FREQ=DAILY".to_string()),
        Just("RRULE:FREQ=SECONDLY;INTERVAL=0".to_string()),
        Just("RRULE:FREQ=MONTHLY;BYDAY=-5FR;UNTIL=19000101".to_string()),
        Just("EXDATE:20261110T100000Z,garbage".to_string()),
        Just("RECURRENCE-ID:20261110T100000Z".to_string()),
        Just("ATTENDEE;CN=\"x:mailto:y".to_string()),
        Just("ATTENDEE;CN=A:mailto:a@example.com".to_string()),
        Just("ORGANIZER:mailto:me@example.com".to_string()),
        Just("FN:../../Evil\\n---".to_string()),
        Just("EMAIL:a@example.com".to_string()),
        Just("N;ENCODING=QUOTED-PRINTABLE:=C3=".to_string()),
        Just("BDAY:--1399".to_string()),
        Just(" folded".to_string()),
        Just("First Name,Last Name,Email Address".to_string()),
        Just("\"../..\",\"/x\",a@b".to_string()),
        "SUMMARY:[^\r\n]{0,40}".prop_map(|s| s),
        "[A-Z;=:\"\\\\,.]{0,20}".prop_map(|s| s),
        "\\PC{0,30}".prop_map(|s| s),
    ]
}

fn input() -> impl Strategy<Value = String> {
    (
        prop_oneof![
            Just("BEGIN:VCALENDAR\n"),
            Just("BEGIN:VCARD\n"),
            Just("Notes:\n\n"),
            Just("")
        ],
        prop::collection::vec(piece(), 0..30),
        prop_oneof![Just("\n"), Just("\r\n"), Just("\r")],
    )
        .prop_map(|(head, lines, end)| format!("{head}{}", lines.join(end)))
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(96),
        rng_seed: proptest::test_runner::RngSeed::Fixed(0x1c5),
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn no_input_panics_or_writes_outside_the_folders(text in input()) {
        use rapport::import::{Known, PlanOpts, calendar, contacts, plan, write};
        let dir = tempfile::tempdir().unwrap();
        let range = calendar::Range {
            since: chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
            until: chrono::NaiveDate::from_ymd_opt(2026, 12, 31).unwrap(),
        };
        let opts = PlanOpts {
            me: vec!["me@example.com".into()],
            all: true,
            meetings_folder: "meetings".into(),
            people_folder: "people".into(),
        };
        let known = Known::default();
        let zone = calendar::Zone::Named(chrono_tz::Europe::Berlin);
        if let Ok(p) = calendar::read("in.ics", &text, range, zone) {
            let mut plan = plan::meetings(&p.occurrences, &known, &opts);
            write::write(dir.path(), &["meetings"], &mut plan.created);
        }
        if let Ok(p) = contacts::read("in.vcf", &text) {
            let mut plan = plan::people(p.contacts, &known, &opts);
            write::write(dir.path(), &["people"], &mut plan.created);
        }
        for e in walkdir::WalkDir::new(dir.path()).min_depth(1) {
            let e = e.unwrap();
            let rel = e.path().strip_prefix(dir.path()).unwrap().to_string_lossy().into_owned();
            if e.file_type().is_dir() {
                prop_assert!(rel == "meetings" || rel == "people", "{}", rel);
            } else {
                prop_assert!(
                    (rel.starts_with("meetings/") || rel.starts_with("people/"))
                        && rel.ends_with(".md")
                        && rel.matches('/').count() == 1,
                    "{}", rel
                );
            }
        }
    }
}
