//! The real public vaults in tests/vaults: every note indexed, no panic,
//! problems with path and line, and the networking commands answer.

use crate::util::{Vault, shared_vaults, snapshot};

fn note_count(dir: &std::path::Path) -> usize {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'))
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .filter(|e| {
            let n = e.file_name().to_string_lossy().to_lowercase();
            n.ends_with(".md") || n.ends_with(".markdown")
        })
        .count()
}

#[test]
fn every_shared_vault_is_indexed_whole() {
    for src in shared_vaults() {
        let v = Vault::copy_of(&src);
        let before = snapshot(v.path());
        let stats = v.json(&["index"]);
        let name = src.file_name().unwrap().to_string_lossy().into_owned();
        let expected = note_count(v.path());
        assert_eq!(
            stats["scanned"].as_u64().unwrap() as usize,
            expected,
            "{name}: {stats}"
        );
        assert_eq!(
            stats["added"].as_u64().unwrap() as usize,
            expected,
            "{name}: every note indexed"
        );
        for p in stats["problems"].as_array().unwrap() {
            let path = p["path"].as_str().unwrap();
            assert!(
                v.path().join(path).exists(),
                "{name}: problem names a real file: {p}"
            );
            assert!(!p["message"].as_str().unwrap().is_empty());
            if p["code"] == "front-matter-parse" {
                assert!(
                    p["line"].as_u64().is_some(),
                    "{name}: YAML problems carry a line: {p}"
                );
            }
        }
        // Every command answers without a panic (exit 0 or 1).
        for args in [
            vec!["people"],
            vec!["meetings"],
            vec!["followups"],
            vec!["search", "the"],
        ] {
            let out = v.cmd().args(&args).output().unwrap();
            assert!(
                out.status.code().is_some_and(|c| c < 2),
                "{name}: {args:?}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        // A word from a note is found.
        let hits = v.json(&["search", "the", "--limit", "5"]);
        assert!(!hits.as_array().unwrap().is_empty(), "{name}");
        assert_eq!(snapshot(v.path()), before, "{name}: vault modified");
    }
}

fn kepano() -> Vault {
    let src = shared_vaults()
        .into_iter()
        .find(|p| p.to_string_lossy().contains("kepano"))
        .unwrap();
    Vault::copy_of(&src)
}

#[test]
fn kepano_meeting_with_steph_resolves_its_attendee() {
    let v = kepano();
    let meetings = v.json(&["meetings", "--person", "Steph Ango"]);
    let m = meetings.as_array().unwrap();
    assert_eq!(m.len(), 1, "{meetings}");
    assert_eq!(m[0]["path"], "Notes/2023-09-12 Meeting with Steph.md");
    assert_eq!(m[0]["date"], "2023-09-12");
    assert_eq!(m[0]["attendees"], serde_json::json!(["Steph Ango"]));
    assert_eq!(m[0]["projects"], serde_json::json!(["Emergence"]));
    let p = v.json(&["person", "steph ango"]);
    assert_eq!(p["path"], "References/Steph Ango.md");
    assert_eq!(p["org"], "Obsidian");
    assert_eq!(
        p["meetings"][0]["path"],
        "Notes/2023-09-12 Meeting with Steph.md"
    );
    // topics: act as projects.
    let people = v.json(&["people", "--project", "[[emergence]]"]);
    assert_eq!(crate::util::names(&people), vec!["Steph Ango"]);
    assert_eq!(people[0]["path"], "References/Steph Ango.md");
    // Templates are not meetings or people.
    let all = v.json(&["meetings"]);
    assert!(
        all.as_array()
            .unwrap()
            .iter()
            .all(|m| !m["path"].as_str().unwrap().starts_with("Templates/")),
        "{all}"
    );
}

#[test]
fn tasks_vault_tasks_are_found() {
    let src = shared_vaults()
        .into_iter()
        .find(|p| p.to_string_lossy().contains("obsidian-tasks"))
        .unwrap();
    let v = Vault::copy_of(&src);
    let f = v.json(&["followups", "--as-of", "2026-11-26", "--all-tasks"]);
    let tasks = f["tasks"].as_array().unwrap();
    assert!(
        tasks.len() > 50,
        "the tasks docs hold many open tasks, got {}",
        tasks.len()
    );
    for t in tasks {
        assert!(t["line"].as_u64().unwrap() >= 1);
        assert_eq!(t["status"], "open");
    }
    assert!(
        tasks.iter().any(|t| t["due"].is_string()),
        "some tasks carry due dates"
    );
}
