//! The follow-up checklist: sections, the file it writes, the calendar.

use std::fs;

use crate::util::{Vault, example_vault, names};

#[test]
fn example_vault_checklist() {
    let v = Vault::copy_of(&example_vault());
    let f = v.json(&["followups", "--as-of", "2026-11-26"]);
    assert_eq!(f["as_of"], "2026-11-26");
    let tasks = f["tasks"].as_array().unwrap();
    // Overdue first, oldest due first; the code-block tasks never appear.
    let overdue: Vec<&str> = tasks
        .iter()
        .filter(|t| t["overdue"] == true)
        .map(|t| t["due"].as_str().unwrap())
        .collect();
    assert_eq!(
        overdue,
        vec!["2026-10-15", "2026-10-31", "2026-11-15", "2026-11-24"]
    );
    assert!(tasks[..4].iter().all(|t| t["overdue"] == true));
    assert!(
        tasks
            .iter()
            .all(|t| !t["text"].as_str().unwrap().contains("Invite teammates"))
    );
    assert!(tasks.iter().all(|t| t["status"] == "open"));
    let last = tasks.last().unwrap();
    assert!(last["due"].is_null(), "undated last: {last}");
    for k in [
        "id",
        "text",
        "status",
        "due",
        "overdue",
        "path",
        "line",
        "note_title",
        "note_date",
        "people",
    ] {
        assert!(tasks[0].get(k).is_some(), "missing {k}");
    }
    let kit = &f["keep_in_touch"];
    assert_eq!(
        names(kit),
        // Sofia Marquez is due too, but snoozed until 2026-12-15.
        vec![
            "Ruth Adeyemi",
            "Diego Alvarez",
            "Priya Raman",
            "Marcus Feld"
        ]
    );
    assert_eq!(names(&f["snoozed"]), vec!["Sofia Marquez"]);
    assert_eq!(f["snoozed"][0]["until"], "2026-12-15");
    let ruth = &kit[0];
    assert_eq!(ruth["overdue_by_days"], 32);
    assert_eq!(ruth["days_since"], 77);
    assert_eq!(
        ruth["context"]["last_meeting"]["title"],
        "Mentoring with Ruth"
    );
    assert!(!ruth["context"]["interests"].as_array().unwrap().is_empty());
    assert_eq!(kit[3]["last_contact"], serde_json::Value::Null);
    let unfollowed: Vec<&str> = f["unfollowed_meetings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["path"].as_str().unwrap())
        .collect();
    assert_eq!(
        unfollowed,
        vec![
            "meetings/2026-11-25 Blue Harbor weekly.md",
            "meetings/2026-11-24 Platform capacity sync.md"
        ]
    );
    let r = f["reciprocity"].as_array().unwrap();
    assert_eq!(r[0]["name"], "Mei Chen");
    assert_eq!(
        (r[0]["asks"].as_u64(), r[0]["gives"].as_u64()),
        (Some(3), Some(1))
    );
    let teams: Vec<&str> = f["quiet_teams"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["team"].as_str().unwrap())
        .collect();
    assert_eq!(teams, vec!["Sales"]);
    // The terminal report has every section.
    let text = v.ok(&["followups", "--as-of", "2026-11-26"]);
    for s in [
        "Open tasks",
        "Keep in touch",
        "Meetings without a follow-up",
        "Give before you ask",
        "Internal network",
    ] {
        assert!(text.contains(s), "{s}");
    }
}

#[test]
fn edge_cases_of_each_section() {
    let v = Vault::new();
    v.write(
        "people/yes.md",
        "---\nname: Met Yesterday\ncadence: 7d\n---\n",
    );
    v.write(
        "people/never.md",
        "---\nname: Never Met\ncadence: weekly\n---\n",
    );
    v.write("people/nocad.md", "---\nname: No Cadence\n---\n");
    v.write(
        "meetings/2026-11-25 Coffee.md",
        "---\nwith: \"[[Met Yesterday]]\"\n---\n```\n- [ ] in a code block\n```\n- [x] done\n- [-] cancelled\n",
    );
    v.write(
        "meetings/2026-11-20 Plain.md",
        "---\nwith: \"[[No Cadence]]\"\n---\nNo next step here.\n",
    );
    v.write(
        "meetings/2026-09-01 Old.md",
        "---\nwith: \"[[No Cadence]]\"\n---\nToo old for the window.\n",
    );
    v.write(
        "Templates/Meeting.md",
        "---\ndate: {{date}}\n---\n- [ ] Send recap to {{attendees}} #ask\n",
    );
    let f = v.json(&["followups", "--as-of", "2026-11-26"]);
    assert!(
        f["tasks"].as_array().unwrap().is_empty(),
        "code-block, done, cancelled and template tasks are not open: {}",
        f["tasks"]
    );
    assert_eq!(names(&f["keep_in_touch"]), vec!["Never Met"]);
    let unfollowed: Vec<&str> = f["unfollowed_meetings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["title"].as_str().unwrap())
        .collect();
    assert_eq!(
        unfollowed,
        vec!["2026-11-20 Plain"],
        "a meeting with done tasks has a next step; an old one is outside the window"
    );
    let text = v.ok(&["followups", "--as-of", "2026-11-26"]);
    assert!(
        text.contains("No open tasks."),
        "empty sections say so: {text}"
    );
    let narrow = v.json(&["followups", "--as-of", "2026-11-26", "--window", "3d"]);
    assert!(narrow["unfollowed_meetings"].as_array().unwrap().is_empty());
}

#[test]
fn checklist_file_keeps_ticks_and_notes_and_refuses_foreign_files() {
    let v = Vault::copy_of(&example_vault());
    let out = v.path().join("follow-ups.md");
    let out_s = out.to_str().unwrap();
    v.ok(&["followups", "--as-of", "2026-11-26", "--out", out_s]);
    let first = fs::read_to_string(&out).unwrap();
    assert!(first.starts_with("<!-- generated by rapport"));
    for s in [
        "## Open tasks",
        "## Keep in touch",
        "## Meetings without a follow-up",
        "## Give before you ask",
        "## Internal network",
        "## Notes",
    ] {
        assert!(first.contains(s), "{s}");
    }
    assert!(
        first.contains("](meetings/2026-11-20%20Atlas%20kickoff.md)"),
        "links are relative to the file: {first}"
    );
    assert!(first.contains("line 18"));
    // The user ticks an item and writes notes.
    let line = first
        .lines()
        .find(|l| l.contains("revised proration examples"))
        .unwrap();
    let ticked = first.replace(line, &line.replacen("- [ ]", "- [x]", 1));
    let edited = format!("{ticked}Called Priya on Tuesday.\n\n- a list of my own\n");
    fs::write(&out, &edited).unwrap();
    // Regenerate (the checklist file itself is never indexed).
    v.ok(&["followups", "--as-of", "2026-11-26", "--out", out_s]);
    let second = fs::read_to_string(&out).unwrap();
    let line = second
        .lines()
        .find(|l| l.contains("revised proration examples"))
        .unwrap();
    assert!(line.starts_with("- [x]"), "tick survives: {line}");
    assert!(
        second.ends_with("## Notes\n\nCalled Priya on Tuesday.\n\n- a list of my own\n"),
        "{second}"
    );
    let f = v.json(&["followups", "--as-of", "2026-11-26"]);
    assert_eq!(
        f["tasks"].as_array().unwrap().len() + f["other_open_tasks"].as_u64().unwrap() as usize,
        13,
        "no task of the checklist is counted"
    );
    // When the source task is gone, so is its tick.
    let src = v
        .path()
        .join("meetings/2026-11-03 Billing Revamp checkpoint.md");
    let text = fs::read_to_string(&src).unwrap();
    fs::write(
        &src,
        text.replace(
            "Send [[Priya Raman]] the revised proration examples",
            "Send Priya the new examples",
        ),
    )
    .unwrap();
    v.ok(&["followups", "--as-of", "2026-11-26", "--out", out_s]);
    let third = fs::read_to_string(&out).unwrap();
    assert!(
        third
            .lines()
            .find(|l| l.contains("Send Priya the new examples"))
            .unwrap()
            .starts_with("- [ ]")
    );
    // A file the user wrote is never overwritten without --force.
    let mine = v.path().join("mine.md");
    fs::write(&mine, "# My own list\n").unwrap();
    let o = v
        .cmd()
        .args(["followups", "--out", mine.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("--force"));
    assert_eq!(fs::read_to_string(&mine).unwrap(), "# My own list\n");
    v.ok(&["followups", "--out", mine.to_str().unwrap(), "--force"]);
    assert!(
        fs::read_to_string(&mine)
            .unwrap()
            .starts_with("<!-- generated by rapport")
    );
    // No temporary file left behind.
    assert!(
        fs::read_dir(v.path()).unwrap().all(|e| !e
            .unwrap()
            .file_name()
            .to_string_lossy()
            .ends_with(".tmp"))
    );
}

#[test]
fn checklist_links_work_from_another_folder() {
    let v = Vault::copy_of(&example_vault());
    let elsewhere = tempfile::tempdir().unwrap();
    let out = elsewhere.path().join("f.md");
    v.ok(&[
        "followups",
        "--as-of",
        "2026-11-26",
        "--out",
        out.to_str().unwrap(),
    ]);
    let text = fs::read_to_string(&out).unwrap();
    let link = text
        .split("](")
        .nth(1)
        .unwrap()
        .split(')')
        .next()
        .unwrap()
        .replace("%20", " ");
    assert!(
        elsewhere.path().join(&link).exists(),
        "{link} resolves from the file's folder"
    );
}

#[test]
fn calendar_parses_with_an_independent_parser() {
    let v = Vault::copy_of(&example_vault());
    let ics = v.index.path().join("f.ics");
    v.ok(&[
        "followups",
        "--as-of",
        "2026-11-26",
        "--ics",
        ics.to_str().unwrap(),
    ]);
    let parse = || {
        let reader = ical::IcalParser::new(std::io::BufReader::new(fs::File::open(&ics).unwrap()));
        let cals: Vec<_> = reader.map(|c| c.unwrap()).collect();
        assert_eq!(cals.len(), 1);
        cals.into_iter().next().unwrap()
    };
    let cal = parse();
    let prop = |t: &ical::parser::ical::component::IcalTodo, name: &str| {
        t.properties
            .iter()
            .find(|p| p.name == name)
            .and_then(|p| p.value.clone())
            .unwrap_or_default()
    };
    // 10 dated open tasks that involve someone, 4 people due for a
    // keep-in-touch (Sofia Marquez is snoozed) and 3 falling due in the 30
    // days ahead.
    assert_eq!(cal.todos.len(), 10 + 4 + 3);
    // The 3 dates coming up are yearly all-day events.
    assert_eq!(cal.events.len(), 3);
    let uids: std::collections::BTreeSet<String> =
        cal.todos.iter().map(|t| prop(t, "UID")).collect();
    assert_eq!(uids.len(), cal.todos.len(), "UIDs are unique");
    assert!(
        cal.todos
            .iter()
            .any(|t| prop(t, "SUMMARY") == "Keep in touch with Ruth Adeyemi"
                && prop(t, "DUE") == "20261025")
    );
    assert!(
        cal.todos
            .iter()
            .all(|t| !prop(t, "DUE").is_empty() && prop(t, "STATUS") == "NEEDS-ACTION")
    );
    // Stable UIDs: a second export has the same ones.
    v.ok(&[
        "followups",
        "--as-of",
        "2026-11-27",
        "--ics",
        ics.to_str().unwrap(),
    ]);
    let again: std::collections::BTreeSet<String> =
        parse().todos.iter().map(|t| prop(t, "UID")).collect();
    assert_eq!(uids, again);
    // A calendar rapport did not write is not overwritten without --force.
    let mine = v.index.path().join("mine.ics");
    fs::write(
        &mine,
        "BEGIN:VCALENDAR\nPRODID:-//someone//else//EN\nEND:VCALENDAR\n",
    )
    .unwrap();
    let out = v
        .cmd()
        .args(["followups", "--ics", mine.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--force"));
    assert!(fs::read_to_string(&mine).unwrap().contains("someone"));
    v.ok(&["followups", "--ics", mine.to_str().unwrap(), "--force"]);
    assert!(
        fs::read_to_string(&mine)
            .unwrap()
            .contains("PRODID:-//rapport//")
    );
}

/// An open task's text as shown and its id are worked out when it is
/// indexed (the checklist only reads them). Both must be what the rules
/// give from the text as written (`export` shows it), for every kind of
/// syntax the cleaning removes, and must follow an edit made after the
/// index was built.
#[test]
fn indexed_task_texts_and_ids_follow_the_rules_and_edits() {
    use rapport::followup::stable_id;
    use rapport::vault::clean::task_text;
    let v = Vault::new();
    v.write("people/ada.md", "---\nname: Ada Lovelace\n---\n");
    let tasks = [
        "send [[people/ada|Ada]] the deck 📅 2026-11-20 %% from the call %%",
        "  call [[Ada Lovelace]]   [due:: 2026-12-01]  ",
        "ask [[Ada Lovelace]] about <b>ALGOL</b> #ask ⏳ 2026-11-30",
        "[[Ada Lovelace]]\tand\u{a0}the\u{2003}[label](https://example.com) ✅ 2026-11-02",
    ];
    let body: String = tasks.iter().map(|t| format!("- [ ] {t}\n")).collect();
    let note = format!(
        "---\ndate: 2026-11-01\nattendees: [\"[[Ada Lovelace]]\"]\n---\n# Sync\n\n{body}- [x] done [[Ada Lovelace]]\n"
    );
    v.write("meetings/2026-11-01 sync.md", &note);
    let check = |want: usize| {
        let c = v.json(&["followups", "--as-of", "2026-11-10"]);
        let shown = c["tasks"].as_array().cloned().unwrap_or_default();
        let export = v.ok(&["export", "--ndjson", "--no-refresh"]);
        let raw: Vec<serde_json::Value> = export
            .lines()
            .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
            .filter(|d| d["kind"] == "task" && d["status"] == "open")
            .collect();
        assert_eq!(shown.len(), want, "{shown:?}");
        assert_eq!(raw.len(), want, "{raw:?}");
        for r in &raw {
            let (path, text) = (r["path"].as_str().unwrap(), r["text"].as_str().unwrap());
            let t = shown
                .iter()
                .find(|t| t["line"] == r["line"])
                .unwrap_or_else(|| panic!("line {} not shown", r["line"]));
            assert_eq!(t["text"], task_text(text), "{text:?}");
            assert_eq!(t["id"], stable_id(&["task", path, text.trim()]), "{text:?}");
        }
        // The profile reads the same texts.
        let p = v.json(&["person", "Ada Lovelace", "--no-refresh"]);
        let line_text =
            |t: &serde_json::Value, text: String| (t["line"].as_u64().unwrap_or(0), text);
        let mut got: Vec<(u64, String)> = p["open_tasks"]
            .as_array()
            .cloned()
            .unwrap_or_default()
            .iter()
            .map(|t| line_text(t, t["text"].as_str().unwrap_or("").to_string()))
            .collect();
        let mut want: Vec<(u64, String)> = raw
            .iter()
            .map(|r| line_text(r, task_text(r["text"].as_str().unwrap_or(""))))
            .collect();
        got.sort();
        want.sort();
        assert_eq!(got, want);
        shown
    };
    let before = check(4);
    assert_eq!(before[0]["text"], "send Ada the deck");
    // An edit after the index was built: the refresh indexes it again.
    v.write(
        "meetings/2026-11-01 sync.md",
        &note.replace("the deck", "the new deck"),
    );
    let after = check(4);
    let ids = |l: &[serde_json::Value]| -> Vec<String> {
        l.iter()
            .map(|t| t["id"].as_str().unwrap_or_default().to_string())
            .collect()
    };
    assert_ne!(ids(&before), ids(&after), "the edited task has a new id");
    assert_eq!(
        ids(&before)
            .iter()
            .filter(|i| ids(&after).contains(i))
            .count(),
        3,
        "the others keep theirs"
    );
    // Done, then open again: it leaves the list and comes back as it was.
    let edited = note.replace("the deck", "the new deck");
    v.write(
        "meetings/2026-11-01 sync.md",
        // (A different size too, so even a coarse clock sees the edits.)
        &edited.replacen("- [ ] send", "- [x] sent out", 1),
    );
    check(3);
    v.write("meetings/2026-11-01 sync.md", &edited);
    assert_eq!(ids(&check(4)), ids(&after));
}
