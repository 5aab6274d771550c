//! Everyday use: `new`, configuration, completions, the man page, output.

use std::fs;

use crate::util::{Vault, example_vault, names};

#[cfg(unix)]
fn recording_editor(dir: &std::path::Path) -> (std::path::PathBuf, std::path::PathBuf) {
    use std::os::unix::fs::PermissionsExt;
    let log = dir.join("editor.log");
    let script = dir.join("fake-editor");
    fs::write(
        &script,
        format!("#!/bin/sh\necho \"$@\" >> '{}'\n", log.display()),
    )
    .unwrap();
    fs::set_permissions(&script, fs::Permissions::from_mode(0o755)).unwrap();
    (script, log)
}

#[cfg(unix)]
#[test]
fn new_meeting_resolves_people_never_overwrites_and_opens_the_editor() {
    let v = Vault::copy_of(&example_vault());
    let (editor, log) = recording_editor(v.index.path());
    let out = v
        .cmd()
        .env("EDITOR", format!("{} --wait", editor.display()))
        .env_remove("VISUAL")
        .args([
            "new",
            "meeting",
            "Atlas sync",
            "--with",
            "mei",
            "--with",
            "Bob Nobody",
            "--project",
            "Project Atlas",
            "--date",
            "2026-12-01",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let path = v.path().join("meetings/2026-12-01 Atlas sync.md");
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        path.to_str().unwrap()
    );
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("Bob Nobody"),
        "unknown names are reported"
    );
    assert_eq!(
        fs::read_to_string(&log).unwrap().trim(),
        format!("--wait {}", path.display()),
        "the editor got the path"
    );
    let text = fs::read_to_string(&path).unwrap();
    assert!(text.contains("## Notes") && text.contains("## Follow-ups") && text.contains("- [ ]"));
    // rapport reads what it wrote: a meeting with Mei (resolved) and Bob (as typed).
    let m = v.json(&[
        "meetings",
        "--person",
        "Mei Chen",
        "--since",
        "2026-12-01",
        "--until",
        "2026-12-01",
    ]);
    assert_eq!(
        m[0]["attendees"],
        serde_json::json!(["Mei Chen", "Bob Nobody"])
    );
    assert_eq!(m[0]["projects"], serde_json::json!(["Project Atlas"]));
    assert_eq!(m[0]["title"], "Atlas sync");
    // Never an overwrite: a suffix instead.
    fs::write(&path, "mine").unwrap();
    let again = v.ok(&[
        "new",
        "meeting",
        "Atlas sync",
        "--date",
        "2026-12-01",
        "--no-edit",
    ]);
    assert!(
        again.trim().ends_with("2026-12-01 Atlas sync (2).md"),
        "{again}"
    );
    assert_eq!(fs::read_to_string(&path).unwrap(), "mine");
    assert_eq!(
        fs::read_to_string(&log).unwrap().lines().count(),
        1,
        "--no-edit opens nothing"
    );
}

#[test]
fn new_person_creates_or_opens() {
    let v = Vault::copy_of(&example_vault());
    let out = v.ok(&[
        "new",
        "person",
        "Ada Lovelace",
        "--org",
        "Analytical",
        "--relation",
        "external",
        "--cadence",
        "30d",
        "--email",
        "ada@x.example",
        "--no-edit",
    ]);
    let path = v.path().join("people/ada-lovelace.md");
    assert_eq!(out.trim(), path.to_str().unwrap());
    let p = v.json(&["person", "ada@x.example"]);
    assert_eq!(
        (
            p["name"].as_str(),
            p["org"].as_str(),
            p["cadence_days"].as_u64()
        ),
        (Some("Ada Lovelace"), Some("Analytical"), Some(30))
    );
    // An existing person (by alias) is opened, not duplicated.
    let before = fs::read_dir(v.path().join("people")).unwrap().count();
    let out = v.ok(&["new", "person", "Mei", "--no-edit"]);
    assert!(out.trim().ends_with("people/mei-chen.md"), "{out}");
    assert_eq!(
        fs::read_dir(v.path().join("people")).unwrap().count(),
        before
    );
    v.cmd()
        .args(["new", "person", "X", "--cadence", "often", "--no-edit"])
        .assert()
        .code(2);
}

#[test]
fn configuration_precedence_and_sources() {
    let v = Vault::copy_of(&example_vault());
    let xdg = tempfile::tempdir().unwrap();
    // `followups --json` with the user's configuration folder in `xdg`.
    let followups = |args: &[&str]| -> serde_json::Value {
        let out = v
            .cmd()
            .env("XDG_CONFIG_HOME", xdg.path())
            .args(["--json", "followups"])
            .args(args)
            .output()
            .unwrap();
        serde_json::from_slice(&out.stdout).unwrap()
    };
    fs::create_dir_all(xdg.path().join("rapport")).unwrap();
    fs::write(
        xdg.path().join("rapport/config.toml"),
        "[followups]\nwindow = \"3d\"\n",
    )
    .unwrap();
    // Only the user's file: it is used.
    let f = followups(&["--as-of", "2026-11-26"]);
    assert_eq!(
        f["unfollowed_meetings"].as_array().unwrap().len(),
        2,
        "both no-follow-up meetings are within 3 days"
    );
    let out = v
        .cmd()
        .env("XDG_CONFIG_HOME", xdg.path())
        .args(["config"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.lines()
            .any(|l| l.contains("followups.window = \"3d\"") && l.contains("config.toml")),
        "{text}"
    );
    // The vault's rapport.toml wins over the user's file.
    fs::write(
        v.path().join("rapport.toml"),
        "[followups]\nwindow = \"1d\"\n",
    )
    .unwrap();
    let f = followups(&["--as-of", "2026-11-26"]);
    assert_eq!(f["unfollowed_meetings"].as_array().unwrap().len(), 1);
    // A flag wins over both.
    let f = followups(&["--as-of", "2026-11-26", "--window", "30d"]);
    assert_eq!(f["unfollowed_meetings"].as_array().unwrap().len(), 2);
    let c = v.json(&["config"]);
    assert_eq!(c["window_days"]["value"], 1);
    assert_eq!(c["window_days"]["source"]["from"], "file");
    assert_eq!(c["people_folder"]["source"]["from"], "default");
}

#[test]
fn configuration_changes_what_is_read() {
    let v = Vault::new();
    v.write(
        "rapport.toml",
        "ignore = [\"archive/**\", \"*.draft.md\"]\n\n[cadence]\nmentor = \"30d\"\n\n[followups]\nask_tags = [\"request\"]\n\n[keys]\nattendees = [\"guests\"]\nprojects = [\"client\"]\n",
    );
    v.write("people/ruth.md", "---\nname: Ruth\ntags: [mentor]\n---\n");
    v.write(
        "meetings/2026-01-10 Lunch.md",
        "---\nguests: [\"[[Ruth]]\"]\nclient: Contoso\n---\n- [ ] favour for [[Ruth]] #request\n",
    );
    v.write("archive/old.md", "hidden words\n");
    v.write("notes/idea.draft.md", "hidden words\n");
    assert_eq!(
        names(&v.json(&["people", "--project", "contoso"])),
        vec!["Ruth"],
        "extra keys are read"
    );
    let f = v.json(&["followups", "--as-of", "2026-11-26"]);
    assert_eq!(
        names(&f["keep_in_touch"]),
        vec!["Ruth"],
        "the tag's default cadence applies"
    );
    assert_eq!(f["keep_in_touch"][0]["cadence_days"], 30);
    assert_eq!(f["reciprocity"][0]["asks"], 1);
    assert!(
        v.json(&["search", "hidden"]).as_array().unwrap().is_empty(),
        "ignored paths are not indexed"
    );
    // Changing the keys rebuilds the index, with one line saying so.
    v.write("rapport.toml", "[keys]\nattendees = []\n");
    let out = v
        .cmd()
        .args(["people", "--project", "contoso"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("configuration"));
}

#[test]
fn configuration_errors_name_file_line_and_key() {
    let v = Vault::copy_of(&example_vault());
    for (text, line, key) in [
        ("[folders]\npeople = \"p\"\nmeetngs = \"m\"\n", 3, "meetngs"),
        ("[cadence]\nmentor = \"often\"\n", 2, "cadence.mentor"),
        ("[followups]\nwindow = 12.5\n", 2, "followups.window"),
    ] {
        fs::write(v.path().join("rapport.toml"), text).unwrap();
        let out = v.cmd().args(["people"]).output().unwrap();
        assert_eq!(out.status.code(), Some(2));
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains(&format!("rapport.toml:{line}:")) && err.contains(key),
            "{err}"
        );
        assert_eq!(err.trim().lines().count(), 1, "{err}");
    }
}

#[test]
fn completions_and_man_page() {
    let v = Vault::new();
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let out = v.ok(&["completions", shell]);
        assert!(out.contains("followups") && out.len() > 500, "{shell}");
    }
    let man = v.ok(&["man"]);
    assert!(
        man.contains(".TH rapport 1") && man.contains("followups"),
        "{}",
        &man[..200.min(man.len())]
    );
    assert_eq!(
        v.cmd()
            .args(["completions", "tcsh"])
            .output()
            .unwrap()
            .status
            .code(),
        Some(2)
    );
}

#[test]
fn every_command_has_help_with_an_example_and_no_colour_on_a_pipe() {
    let v = Vault::copy_of(&example_vault());
    for cmd in [
        "index",
        "search",
        "people",
        "person",
        "meetings",
        "followups",
        "watch",
        "check",
        "new",
        "config",
        "completions",
        "man",
    ] {
        let out = v.ok(&[cmd, "--help"]);
        assert!(out.contains("Example"), "{cmd} --help has no example");
    }
    let out = v
        .cmd()
        .env_remove("NO_COLOR")
        .args(["people"])
        .output()
        .unwrap();
    assert!(!out.stdout.contains(&0x1b), "no escape codes on a pipe");
}
