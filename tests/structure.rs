//! The structure issue's visible rules: values refused while parsing name
//! their flag in one line.

use crate::util::Vault;

fn refused(v: &Vault, args: &[&str]) -> String {
    let out = v.cmd().args(args).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
    assert_eq!(err.trim().lines().count(), 1, "{args:?}: one line: {err}");
    err
}

#[test]
fn a_bad_value_names_its_flag() {
    let v = Vault::new();
    v.write("people/ada.md", "---\nname: Ada\n---\n");
    let err = refused(&v, &["people", "--since", "2026-13-45"]);
    assert!(err.contains("--since: '2026-13-45' is not a date"), "{err}");
    let err = refused(&v, &["meetings", "--until", "someday"]);
    assert!(err.contains("--until: 'someday' is not a date"), "{err}");
    let err = refused(&v, &["followups", "--window", "soon"]);
    assert!(err.contains("--window: 'soon' is not a span"), "{err}");
    let err = refused(&v, &["followups", "--as-of", "2026-02-30"]);
    assert!(err.contains("--as-of: '2026-02-30'"), "{err}");
    let err = refused(
        &v,
        &["new", "person", "Bo", "--cadence", "often", "--no-edit"],
    );
    assert!(
        err.contains("--cadence: 'often' is not an interval"),
        "{err}"
    );
    // Nothing was written for a refused value.
    assert!(!v.path().join("people/bo.md").exists());
}

#[test]
fn closed_sets_are_value_enums() {
    let v = Vault::new();
    v.write("people/ada.md", "---\nname: Ada\nrelation: internal\n---\n");
    let out = v
        .cmd()
        .args(["search", "ada", "--kind", "bogus"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("person") && err.contains("meeting"),
        "lists the values: {err}"
    );
    let out = v
        .cmd()
        .args(["people", "--relation", "friend"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let rows = v.json(&["people", "--relation", "internal"]);
    assert_eq!(rows.as_array().map(Vec::len), Some(1), "{rows}");
    let hits = v.json(&["search", "ada", "--kind", "person"]);
    assert_eq!(hits[0]["kind"], "person", "{hits}");
    v.ok(&["new", "person", "Bo", "--relation", "external", "--no-edit"]);
    let text = std::fs::read_to_string(v.path().join("people/bo.md")).unwrap();
    assert!(text.contains("relation: \"external\""), "{text}");
}

#[test]
fn the_checklist_says_the_same_true_thing_in_both_places() {
    let v = Vault::new();
    v.write("rapport.toml", "[followups]\nwindow = \"14d\"\n");
    v.write("people/ada.md", "---\nname: Ada Lovelace\n---\n");
    v.write(
        "meetings/2026-11-20 sync.md",
        "---\ntype: meeting\ndate: 2026-11-20\nattendees: [\"[[Ada Lovelace]]\"]\n---\n- [x] ask for an intro #ask [[Ada Lovelace]]\n",
    );
    let out = v.path().join("follow-ups.md");
    let out_s = out.to_str().unwrap();
    let term = v.ok(&["followups", "--as-of", "2026-11-26"]);
    v.ok(&["followups", "--as-of", "2026-11-26", "--out", out_s]);
    let file = std::fs::read_to_string(&out).unwrap();
    for text in [&term, &file] {
        assert!(
            text.contains("Ada Lovelace") && text.contains(" — 1 ask, 0 gives"),
            "{text}"
        );
        // The configured window, not a fixed one.
        assert!(
            text.contains("Every meeting in the last 14 days has a next step."),
            "{text}"
        );
        assert!(!text.contains("1 asks"), "{text}");
        // No internal team at all: no claim that every one was met.
        assert!(!text.contains("Every internal team"), "{text}");
        assert!(text.contains("No internal teams yet"), "{text}");
        assert!(!text.contains("90 days"), "{text}");
    }
}

#[test]
fn configuration_layers_and_their_sources() {
    let v = Vault::new();
    let xdg = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(xdg.path().join("rapport")).unwrap();
    std::fs::write(
        xdg.path().join("rapport/config.toml"),
        "[followups]\nwindow = \"3d\"\nask_tags = [\"req\"]\n",
    )
    .unwrap();
    v.write("rapport.toml", "[followups]\nwindow = \"1d\"\n");
    let out = v
        .cmd()
        .env("XDG_CONFIG_HOME", xdg.path())
        .args(["config", "--json"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let c: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    // Both files are read; the vault's wins only where it says something.
    assert_eq!(c["window_days"]["value"], 1);
    assert_eq!(c["ask_tags"]["value"][0], "req");
    let user = c["ask_tags"]["source"]["path"].as_str().unwrap();
    assert!(user.ends_with("config.toml"), "{c}");
    // The folders say which flag or variable chose them.
    assert_eq!(c["vault"]["source"]["from"], "flag");
    assert_eq!(c["vault"]["source"]["path"], "--vault");
    assert_eq!(c["index"]["source"]["from"], "env");
    assert_eq!(c["index"]["source"]["path"], "RAPPORT_INDEX");
    let out = v
        .cmd()
        .env("XDG_CONFIG_HOME", xdg.path())
        .args(["config"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("later one wins"), "{text}");
    assert!(
        text.lines()
            .any(|l| l.starts_with("index = ") && l.contains("environment RAPPORT_INDEX")),
        "{text}"
    );
    assert!(
        text.lines()
            .any(|l| l.starts_with("vault = ") && l.contains("flag --vault")),
        "{text}"
    );
}

#[cfg(unix)]
#[test]
fn an_editor_path_with_spaces_is_split_like_a_shell_would() {
    use std::os::unix::fs::PermissionsExt;
    let v = Vault::new();
    let tools = tempfile::tempdir().unwrap();
    let dir = tools.path().join("my editor");
    std::fs::create_dir_all(&dir).unwrap();
    let log = tools.path().join("args.txt");
    let script = dir.join("ed it.sh");
    std::fs::write(
        &script,
        format!(
            "#!/bin/sh\nfor a in \"$@\"; do printf '%s\\n' \"$a\" >> '{}'; done\n",
            log.display()
        ),
    )
    .unwrap();
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    let editor = format!("'{}' --wait \"two words\"", script.display());
    let out = v
        .cmd()
        .env_remove("VISUAL")
        .env("EDITOR", &editor)
        .args(["new", "person", "Bo Li"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let args = std::fs::read_to_string(&log).unwrap();
    let args: Vec<&str> = args.lines().collect();
    assert_eq!(args.len(), 3, "{args:?}");
    assert_eq!(&args[..2], ["--wait", "two words"]);
    assert!(args[2].ends_with("people/bo-li.md"), "{args:?}");
}
