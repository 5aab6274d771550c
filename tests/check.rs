//! `rapport check`: every kind of problem, reported once with its place.

use crate::util::Vault;

#[test]
fn a_clean_vault_passes() {
    let v = Vault::new();
    v.write(
        "people/ada.md",
        "---\nname: Ada Lovelace\ncadence: 2w\n---\n",
    );
    v.write(
        "meetings/2026-01-01 Sync.md",
        "---\nattendees: [\"[[Ada Lovelace]]\"]\n---\n- [ ] ask [[Ada Lovelace]]\n",
    );
    let out = v.cmd().args(["check"]).output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert_eq!(v.json(&["check"]), serde_json::json!([]));
}

#[test]
fn every_problem_is_found_with_path_line_and_code() {
    let v = Vault::new();
    v.write(
        "people/ada.md",
        "---\nname: Ada Lovelace\naliases: [AL]\ncadence: sometimes\n---\n",
    );
    v.write(
        "people/alan.md",
        "---\nname: Alan Lee\naliases: [AL]\n---\n",
    );
    v.write("people/smith-1.md", "---\nname: John Smith\n---\n");
    v.write("contacts/smith-2.md", "---\nname: John Smith\n---\n");
    v.write("meetings/a.md", "---\ndate: 2026-13-45\nattendees: [\"[[Ada Lovelce]]\", \"[[AL]]\"]\n---\n- [ ] call [[Nobody Known]] 📅 2026-02-30\n- [ ] read [[Some Book]]\n");
    v.write("Some Book.md", "a book\n");
    v.write(
        "meetings/broken.md",
        "---\ntitle: \"unclosed\nattendees: [x\n---\nbody\n",
    );
    v.write("meetings/open.md", "---\ntitle: never closed\n");
    let latin1 = v.write("notes/latin1.md", "");
    std::fs::write(latin1, b"caf\xe9\n").unwrap();
    for i in 0..5 {
        v.write(&format!("Templates/T{i}.md"), "---\ndate: {{date}}\n---\n");
    }
    let out = v.cmd().args(["check"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let findings = v.json(&["check"]);
    let f = findings.as_array().unwrap();
    for x in f {
        for k in ["path", "line", "severity", "code", "message"] {
            assert!(x.get(k).is_some(), "missing {k} in {x}");
        }
    }
    let has = |path: &str, code: &str, line: Option<u64>, text: &str| {
        assert!(
            f.iter().any(|x| x["path"] == path
                && x["code"] == code
                && (line.is_none() || x["line"].as_u64() == line)
                && x["message"].as_str().unwrap().contains(text)),
            "no {code} at {path}:{line:?} containing '{text}' in {findings:#}"
        );
    };
    has(
        "meetings/broken.md",
        "front-matter-parse",
        Some(2),
        "not valid YAML",
    );
    has(
        "meetings/open.md",
        "front-matter-unclosed",
        Some(1),
        "never closed",
    );
    has("meetings/a.md", "bad-date", Some(2), "2026-13-45");
    has("meetings/a.md", "bad-due-date", Some(5), "2026-02-30");
    has(
        "meetings/a.md",
        "unresolved-person",
        Some(3),
        "did you mean Ada Lovelace",
    );
    has("meetings/a.md", "ambiguous-name", Some(3), "several people");
    has(
        "meetings/a.md",
        "unresolved-person",
        Some(5),
        "Nobody Known",
    );
    has("people/ada.md", "bad-cadence", Some(4), "sometimes");
    has(
        "people/ada.md",
        "ambiguous-name",
        None,
        "Ada Lovelace and Alan Lee",
    );
    has("people/alan.md", "ambiguous-name", None, "alias 'al'");
    has("people/smith-1.md", "duplicate-person", None, "john smith");
    has(
        "contacts/smith-2.md",
        "duplicate-person",
        None,
        "john smith",
    );
    has("notes/latin1.md", "not-utf8", Some(1), "UTF-8");
    assert!(
        !f.iter()
            .any(|x| x["message"].as_str().unwrap().contains("Some Book")),
        "a link to a note is fine"
    );
    let templates: Vec<_> = f.iter().filter(|x| x["code"] == "template").collect();
    assert_eq!(
        templates.len(),
        1,
        "templates once, not a flood: {templates:?}"
    );
    assert_eq!(templates[0]["severity"], "info");
    assert!(f.iter().any(|x| x["severity"] == "error"));
    // Text output: one problem per line, path:line first.
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.lines()
            .any(|l| l.starts_with("meetings/broken.md:2: ")),
        "{text}"
    );
}

#[test]
fn usage_errors_exit_2() {
    let v = Vault::new();
    v.cmd().args(["check", "--bogus"]).assert().code(2);
}
