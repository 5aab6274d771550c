//! people, person and meetings on the hand-written example vault.

use crate::util::{Vault, example_vault, names, texts};

#[test]
fn people_about_a_project() {
    let v = Vault::copy_of(&example_vault());
    let rows = v.json(&["people", "--project", "project_atlas"]);
    assert_eq!(
        names(&rows),
        vec!["Kenji Watanabe", "Mei Chen", "Sam Whitfield", "Tom Okafor"]
    );
    let r = &rows.as_array().unwrap();
    assert_eq!(r[0]["meetings"], 3);
    assert_eq!(r[0]["last_met"], "2026-11-25");
    assert_eq!(
        r[2]["path"],
        serde_json::Value::Null,
        "unknown attendee has no path"
    );
    for k in [
        "name", "path", "org", "team", "relation", "tags", "meetings", "last_met", "projects",
    ] {
        assert!(r[0].get(k).is_some(), "missing {k}");
    }
    // Counts are over the matching meetings only.
    let all = v.json(&["people"]);
    let mei_all = all
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == "Mei Chen")
        .unwrap();
    let mei_atlas = r.iter().find(|r| r["name"] == "Mei Chen").unwrap();
    assert!(mei_all["meetings"].as_u64() > mei_atlas["meetings"].as_u64());
    // Text output: one row each, fits 80 columns.
    let text = v.ok(&["people", "--project", "Project Atlas"]);
    assert_eq!(text.lines().count(), 5);
    assert!(text.lines().all(|l| l.chars().count() <= 80), "{text}");
}

#[test]
fn people_filters() {
    let v = Vault::copy_of(&example_vault());
    let internal = v.json(&["people", "--relation", "internal"]);
    assert_eq!(internal.as_array().unwrap().len(), 5);
    assert!(
        internal
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["relation"] == "internal")
    );
    assert_eq!(
        names(&v.json(&["people", "--team", "sales"])),
        vec!["Diego Alvarez"]
    );
    assert_eq!(
        names(&v.json(&["people", "--never-met"])),
        vec!["Marcus Feld"]
    );
    let quarter = v.json(&["people", "--since", "2026-10-01", "--until", "2026-10-31"]);
    // October: the QBR (Sofia by email, Priya) and the hiring debrief (Hannah).
    assert_eq!(
        names(&quarter),
        vec!["Hannah Berg", "Priya Raman", "Sofia Marquez"]
    );
    for r in quarter.as_array().unwrap() {
        let d = r["last_met"].as_str().unwrap();
        assert!(("2026-10-01"..="2026-10-31").contains(&d), "{r}");
    }
    let about = v.json(&["people", "--about", "proration"]);
    assert!(
        names(&about).contains(&"Priya Raman".to_string()),
        "{about}"
    );
    let out = v
        .cmd()
        .args(["people", "--org", "no such org"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn person_profile() {
    let v = Vault::copy_of(&example_vault());
    let p = v.json(&["person", "Mei"]);
    assert_eq!(p["name"], "Mei Chen");
    assert_eq!(p["path"], "people/mei-chen.md");
    assert_eq!(p["last_contact"], "2026-11-24");
    assert_eq!(p["cadence_days"], 30);
    assert_eq!(p["next_contact_due"], "2026-12-24");
    let meetings = p["meetings"].as_array().unwrap();
    assert_eq!(meetings[0]["title"], "Platform capacity sync");
    assert!(meetings.iter().any(|m| {
        m["with"]
            .as_array()
            .unwrap()
            .iter()
            .any(|w| w == "Sam Whitfield")
    }));
    assert!(
        p["mentions"]
            .as_array()
            .unwrap()
            .iter()
            .any(|m| m["path"] == "journal/2026-11-18.md")
    );
    let tasks = p["open_tasks"].as_array().unwrap();
    assert!(tasks.iter().all(|t| t["line"].as_u64().unwrap() > 0));
    assert!(
        tasks
            .iter()
            .any(|t| t["text"].as_str().unwrap().contains("staging nodes"))
    );
    // By email, by file name, any case.
    assert_eq!(
        v.json(&["person", "MEI.CHEN@northwind.example"])["name"],
        "Mei Chen"
    );
    assert_eq!(v.json(&["person", "mei-chen"])["name"], "Mei Chen");
    // Tom's last_contact front matter is older than his last meeting.
    assert_eq!(
        v.json(&["person", "Tom Okafor"])["last_contact"],
        "2026-11-20"
    );
}

#[test]
fn meetings_newest_first_with_filters() {
    let v = Vault::copy_of(&example_vault());
    let all = v.json(&["meetings"]);
    let dates: Vec<&str> = all
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["date"].as_str().unwrap())
        .collect();
    let mut sorted = dates.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(dates, sorted);
    assert_eq!(
        dates.len(),
        12,
        "the broken note is a plain note, not a meeting"
    );
    let with = v.json(&[
        "meetings",
        "--person",
        "kenji",
        "--project",
        "Project Atlas",
    ]);
    assert_eq!(with.as_array().unwrap().len(), 3);
    for m in with.as_array().unwrap() {
        for k in [
            "date",
            "title",
            "path",
            "attendees",
            "projects",
            "tags",
            "open_tasks",
        ] {
            assert!(m.get(k).is_some(), "missing {k}");
        }
    }
    let q = v.json(&["meetings", "--since", "this-month", "--until", "this-month"]);
    assert!(q.as_array().unwrap().iter().all(|m| {
        m["date"]
            .as_str()
            .unwrap()
            .starts_with(&chrono::Local::now().format("%Y-%m").to_string())
    }));
}

/// tantivy keeps at most 65,535 bytes of a column value: a name longer than
/// that (an alias of 70,000 characters, one of 40,000 and 30,000 with a
/// space) still names its person, as an attendee, a link and a task's link,
/// and the meeting's tasks are theirs.
#[test]
fn a_reference_longer_than_any_column_value_still_names_its_person() {
    let v = Vault::new();
    let alias = "y".repeat(70_000);
    let spaced = format!("{} {}", "v".repeat(40_000), "v".repeat(30_000));
    v.write(
        "people/ada.md",
        &format!("---\nname: Ada Long\naliases: [\"{alias}\"]\n---\n# Ada Long\n"),
    );
    v.write(
        "people/bo.md",
        &format!("---\nname: Bo Spaced\naliases: [\"{spaced}\"]\n---\n# Bo Spaced\n"),
    );
    v.write(
        "meetings/2026-11-02 Sync.md",
        &format!(
            "---\ntype: meeting\ndate: 2026-11-02\nattendees: [\"[[{alias}]]\", \"{}\"]\n---\n- [ ] send the deck\n",
            spaced.to_uppercase()
        ),
    );
    v.write(
        "notes/idea.md",
        &format!(
            "---\ndate: 2026-11-03\n---\nAsk [[{alias}]] about it.\n\n- [ ] call [[{alias}]]\n"
        ),
    );
    let p = v.json(&["person", "Ada Long"]);
    assert_eq!(
        texts(&p, "meetings", "path"),
        ["meetings/2026-11-02 Sync.md"]
    );
    assert_eq!(texts(&p, "mentions", "path"), ["notes/idea.md"]);
    let mut open = texts(&p, "open_tasks", "text");
    open.sort();
    assert_eq!(open, [format!("call {alias}"), "send the deck".to_string()]);
    let p = v.json(&["person", "Bo Spaced", "--no-refresh"]);
    assert_eq!(
        texts(&p, "meetings", "path"),
        ["meetings/2026-11-02 Sync.md"]
    );
    // Found by the long alias itself, typed in another case.
    let p = v.json(&["person", &alias.to_uppercase(), "--no-refresh"]);
    assert_eq!(p["name"], "Ada Long");
}

/// A person's meetings, mentions and tasks are found from the index's
/// document lists for the texts that name them, but tantivy leaves a term
/// longer than 65,530 bytes out of those lists: such a text is still found
/// (from the column of values).
#[test]
fn a_reference_too_long_for_the_inverted_index_still_names_its_person() {
    let v = Vault::new();
    let alias = "x".repeat(65_532);
    v.write(
        "people/ada.md",
        &format!("---\nname: Ada Long\naliases: [\"{alias}\"]\n---\n# Ada Long\n"),
    );
    v.write(
        "meetings/2026-11-02 Sync.md",
        &format!(
            "---\ntype: meeting\ndate: 2026-11-02\nattendees: [\"[[{alias}]]\"]\n---\n- [ ] send the deck\n"
        ),
    );
    v.write(
        "notes/idea.md",
        &format!("---\ndate: 2026-11-03\n---\nAsk [[{alias}]] about it.\n"),
    );
    let p = v.json(&["person", "Ada Long"]);
    assert_eq!(p["name"], "Ada Long");
    assert_eq!(
        texts(&p, "meetings", "path"),
        ["meetings/2026-11-02 Sync.md"]
    );
    assert_eq!(texts(&p, "mentions", "path"), ["notes/idea.md"]);
    assert_eq!(texts(&p, "open_tasks", "text"), ["send the deck"]);
}

/// Hits with the same score are cut at `--limit` by path, not by where the
/// index happens to hold them: the notes written later (in a later
/// segment) come first by path, and the answer is the one a rebuild gives.
#[test]
fn equal_scores_are_cut_at_the_limit_by_path() {
    let v = Vault::new();
    let text = "# Plan\n\nThe quince harvest plan.\n";
    for name in ["m", "n", "o"] {
        v.write(&format!("notes/{name}.md"), text);
    }
    v.ok(&["index"]);
    // Written after the first index: each refresh adds a segment.
    v.write("notes/b.md", text);
    v.ok(&["index"]);
    v.write("notes/a.md", text);
    let paths = |limit: &str| -> Vec<String> {
        let hits = v.json(&["search", "quince", "--limit", limit]);
        let hits = hits.as_array().unwrap();
        let scores: Vec<f64> = hits.iter().map(|h| h["score"].as_f64().unwrap()).collect();
        assert!(scores.windows(2).all(|s| s[0] == s[1]), "{scores:?}");
        hits.iter()
            .map(|h| h["path"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(paths("1"), ["notes/a.md"]);
    assert_eq!(paths("2"), ["notes/a.md", "notes/b.md"]);
    assert_eq!(
        paths("4"),
        ["notes/a.md", "notes/b.md", "notes/m.md", "notes/n.md"]
    );
    assert_eq!(paths("9").len(), 5);
    v.ok(&["index", "--rebuild"]);
    assert_eq!(paths("2"), ["notes/a.md", "notes/b.md"]);
}
