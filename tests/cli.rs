//! Arguments and errors: one line, the right exit code, never a panic.

use crate::util::{Vault, example_vault};

fn stderr_of(v: &Vault, args: &[&str]) -> (i32, String) {
    let out = v.cmd().args(args).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(!err.contains("panicked"), "{args:?}: {err}");
    (out.status.code().unwrap_or(-1), err)
}

#[test]
fn bad_arguments_get_one_line_and_non_zero() {
    let v = Vault::copy_of(&example_vault());
    v.ok(&["index"]);
    let (code, err) = stderr_of(&v, &["people", "--since", "2026-02-30"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("2026-02-30") && err.trim().lines().count() == 1,
        "{err}"
    );
    let (code, err) = stderr_of(&v, &["meetings", "--until", "someday"]);
    assert_eq!(code, 2);
    assert!(err.contains("someday"), "{err}");
    let (code, _) = stderr_of(&v, &["people", "--frobnicate"]);
    assert_eq!(code, 2);
    let (code, err) = stderr_of(&v, &["person", "Nobody At All"]);
    assert_eq!(code, 1);
    assert!(
        err.contains("Nobody At All") && err.trim().lines().count() == 1,
        "{err}"
    );
    let (code, err) = stderr_of(&v, &["person", "priya ramen"]);
    assert_eq!(code, 1);
    assert!(
        err.contains("did you mean") && err.contains("Priya Raman"),
        "{err}"
    );
    let (code, err) = stderr_of(&v, &["meetings", "--person", "kenjy"]);
    assert_eq!(code, 1, "nobody found is exit 1, as for `person`");
    assert!(err.contains("Kenji Watanabe"), "{err}");
    // Not syntax: searched as plain words; `-v` says where the syntax
    // broke.
    let (code, err) = stderr_of(&v, &["search", "title:(unclosed"]);
    assert_eq!(code, 1, "{err}");
    let (code, err) = stderr_of(&v, &["-v", "search", "title:(unclosed"]);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("at character 16")
            && err.contains("expected ')'")
            && err.contains("plain words"),
        "says where: {err}"
    );
    let (code, err) = stderr_of(&v, &["search", "nosuchfield:x"]);
    assert_eq!(code, 2);
    assert!(err.contains("nosuchfield"), "{err}");
    for limit in ["0", "18446744073709551615"] {
        let (code, err) = stderr_of(&v, &["search", "atlas", "--limit", limit]);
        assert_eq!(code, 2, "--limit {limit}: {err}");
    }
    let (code, err) = stderr_of(&v, &["followups", "--window", "soon"]);
    assert_eq!(code, 2);
    assert!(err.contains("soon"), "{err}");
    let missing = v.path().join("missing");
    let out = assert_cmd::Command::cargo_bin("rapport")
        .unwrap()
        .arg("--vault")
        .arg(&missing)
        .arg("people")
        .env("RAPPORT_INDEX", v.index_dir())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("missing"));
}

#[test]
fn search_shows_hits_with_snippets_and_filters() {
    let v = Vault::copy_of(&example_vault());
    let hits = v.json(&["search", "proration"]);
    let h = hits.as_array().unwrap();
    assert!(!h.is_empty());
    for hit in h {
        for k in ["path", "title", "kind", "date", "score", "snippet"] {
            assert!(hit.get(k).is_some(), "missing {k}: {hit}");
        }
    }
    assert!(
        h[0]["snippet"]
            .as_str()
            .unwrap()
            .to_lowercase()
            .contains("**proration"),
        "{}",
        h[0]
    );
    let people = v.json(&["search", "Mei", "--kind", "person"]);
    assert!(
        people
            .as_array()
            .unwrap()
            .iter()
            .all(|h| h["kind"] == "person")
    );
    assert_eq!(people[0]["path"], "people/mei-chen.md");
    let recent = v.json(&[
        "search",
        "atlas",
        "--kind",
        "meeting",
        "--since",
        "2026-11-01",
    ]);
    assert!(!recent.as_array().unwrap().is_empty());
    for h in recent.as_array().unwrap() {
        assert!(h["date"].as_str().unwrap() >= "2026-11-01", "{h}");
    }
    let fielded = v.json(&["search", "person:kenji AND project:atlas"]);
    assert!(
        fielded
            .as_array()
            .unwrap()
            .iter()
            .all(|h| h["kind"] == "meeting")
    );
    assert!(!fielded.as_array().unwrap().is_empty());
    let tagged = v.json(&["search", "tag:decision"]);
    assert!(!tagged.as_array().unwrap().is_empty());
    let text = v.ok(&["search", "proration"]);
    assert!(text.contains("Billing Revamp"), "{text}");
}
