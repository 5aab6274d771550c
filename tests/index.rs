//! Indexing: what is a note, incremental refresh, recovery, the lock.

use std::fs;
use std::time::Duration;

use crate::util::{Vault, example_vault, snapshot};

#[test]
fn example_vault_indexes_with_its_broken_note_reported() {
    let v = Vault::copy_of(&example_vault());
    let stats = v.json(&["index"]);
    let md = walkdir::WalkDir::new(v.path())
        .into_iter()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .path()
                .extension()
                .is_some_and(|x| x == "md")
        })
        .count();
    assert_eq!(stats["scanned"].as_u64().unwrap() as usize, md);
    assert_eq!(stats["added"].as_u64().unwrap() as usize, md);
    let problems = stats["problems"].as_array().unwrap();
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert_eq!(problems[0]["path"], "meetings/2026-08-14 Broken sync.md");
    assert_eq!(problems[0]["line"], 4);
    // The broken note is still searchable as plain text.
    let hits = v.json(&["search", "Atlas Billing sync"]);
    assert!(
        hits.as_array()
            .unwrap()
            .iter()
            .any(|h| h["path"] == "meetings/2026-08-14 Broken sync.md"),
        "{hits}"
    );
}

/// A rebuild takes each file's size and time from the file it opens, not
/// from a walk that stats it: the refresh after it agrees and reads nothing
/// again (a note in a folder, one under a name that is not UTF-8, one
/// reached through a link inside the vault), and an edit after it is seen.
#[test]
fn a_refresh_after_a_rebuild_finds_nothing_changed() {
    use std::os::unix::ffi::OsStrExt;
    let v = Vault::new();
    v.write("people/ada.md", "---\nname: Ada Lovelace\n---\n");
    v.write(
        "meetings/2026-01-01 Sync.md",
        "---\nattendees: [Ada Lovelace]\n---\nhi\n",
    );
    let odd = v
        .path()
        .join(std::ffi::OsStr::from_bytes(b"notes/caf\xe9.md"));
    fs::create_dir_all(odd.parent().unwrap()).unwrap();
    fs::write(&odd, "odd name\n").unwrap();
    v.write("real/linked.md", "linked\n");
    std::os::unix::fs::symlink(v.path().join("real"), v.path().join("via")).unwrap();
    let s = v.json(&["index", "--rebuild"]);
    let scanned = s["scanned"].as_u64();
    assert_eq!(s["added"].as_u64(), scanned, "{s}");
    let s = v.json(&["index"]);
    assert_eq!(
        (
            s["updated"].as_u64(),
            s["added"].as_u64(),
            s["unchanged"].as_u64()
        ),
        (Some(0), Some(0), scanned),
        "{s}"
    );
    let p = v.write(
        "meetings/2026-01-01 Sync.md",
        "---\nattendees: [Ada Lovelace]\n---\nho\n",
    );
    let f = fs::File::options().write(true).open(&p).unwrap();
    f.set_modified(std::time::SystemTime::now() + Duration::from_secs(5))
        .unwrap();
    let s = v.json(&["index"]);
    assert_eq!(s["updated"].as_u64(), Some(1), "{s}");
}

#[test]
fn refresh_is_incremental() {
    let v = Vault::new();
    v.write("people/ada.md", "---\nname: Ada Lovelace\n---\n");
    v.write(
        "meetings/2026-01-01 Sync.md",
        "---\nattendees: [\"[[Ada Lovelace]]\"]\n---\nfirst words\n",
    );
    let s = v.json(&["index"]);
    assert_eq!(
        (s["added"].as_u64(), s["unchanged"].as_u64()),
        (Some(2), Some(0))
    );
    let s = v.json(&["index"]);
    assert_eq!(
        (
            s["added"].as_u64(),
            s["updated"].as_u64(),
            s["unchanged"].as_u64()
        ),
        (Some(0), Some(0), Some(2))
    );
    // Edit (size changes), add, delete.
    v.write(
        "meetings/2026-01-01 Sync.md",
        "---\nattendees: [\"[[Ada Lovelace]]\"]\n---\nsecond words, longer\n",
    );
    v.write("notes/new.md", "zebra\n");
    fs::remove_file(v.path().join("people/ada.md")).unwrap();
    let s = v.json(&["index"]);
    assert_eq!(
        (
            s["added"].as_u64(),
            s["updated"].as_u64(),
            s["removed"].as_u64(),
            s["unchanged"].as_u64(),
            s["scanned"].as_u64()
        ),
        (Some(1), Some(1), Some(1), Some(0), Some(2)),
        "{s}"
    );
    assert_eq!(v.json(&["search", "second"]).as_array().unwrap().len(), 1);
    assert_eq!(v.json(&["search", "first"]).as_array().unwrap().len(), 0);
    assert_eq!(v.json(&["search", "zebra"]).as_array().unwrap().len(), 1);
    // Same size, new mtime: still noticed.
    let p = v.write("notes/new.md", "zebrb\n");
    let f = fs::File::options().write(true).open(&p).unwrap();
    f.set_modified(std::time::SystemTime::now() + Duration::from_secs(5))
        .unwrap();
    assert_eq!(
        v.json(&["search", "zebrb"]).as_array().unwrap().len(),
        1,
        "a query refreshes first"
    );
    // --no-refresh answers from the index as it is.
    v.write("notes/later.md", "quokka\n");
    let out = v
        .cmd()
        .args(["--json", "--no-refresh", "search", "quokka"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(v.json(&["search", "quokka"]).as_array().unwrap().len(), 1);
}

#[test]
fn skips_hidden_temporary_and_generated_files() {
    let v = Vault::new();
    v.write("a.md", "alpha\n");
    v.write("b.markdown", "alpha\n");
    v.write(".obsidian/x.md", "alpha\n");
    v.write(".trash/x.md", "alpha\n");
    v.write("notes/.hidden.md", "alpha\n");
    v.write("notes/a.md~", "alpha\n");
    v.write("notes/.a.md.swp", "alpha\n");
    v.write("notes/.#a.md", "alpha\n");
    v.write("notes/#a.md#", "alpha\n");
    v.write("notes/readme.txt", "alpha\n");
    v.write(
        "follow-ups.md",
        "<!-- generated by rapport 0.1 -->\n- [ ] alpha task\n",
    );
    let s = v.json(&["index"]);
    assert_eq!(s["scanned"].as_u64(), Some(3), "{s}");
    let hits = v.json(&["search", "alpha"]);
    let mut paths: Vec<&str> = hits
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["path"].as_str().unwrap())
        .collect();
    paths.sort();
    assert_eq!(paths, vec!["a.md", "b.markdown"]);
    // The generated file's task is never counted.
    let f = v.json(&["followups"]);
    assert_eq!(f["tasks"].as_array().unwrap().len(), 0, "{f}");
}

#[cfg(unix)]
#[test]
fn symlinks_never_leave_the_vault_or_loop() {
    let outside = tempfile::tempdir().unwrap();
    fs::write(outside.path().join("secret.md"), "outsider\n").unwrap();
    let v = Vault::new();
    v.write("real/inside.md", "insider\n");
    std::os::unix::fs::symlink(outside.path(), v.path().join("out-link")).unwrap();
    std::os::unix::fs::symlink(
        outside.path().join("secret.md"),
        v.path().join("secret-link.md"),
    )
    .unwrap();
    std::os::unix::fs::symlink(v.path().join("real"), v.path().join("real/loop")).unwrap();
    std::os::unix::fs::symlink(v.path().join("real/inside.md"), v.path().join("alias.md")).unwrap();
    let s = v.json(&["index"]);
    assert!(
        v.json(&["search", "outsider"])
            .as_array()
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        v.json(&["search", "insider"]).as_array().unwrap().len(),
        2,
        "inside link is followed"
    );
    let msgs: Vec<String> = s["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["message"].as_str().unwrap().to_string())
        .collect();
    assert!(
        msgs.iter().any(|m| m.contains("outside the vault")),
        "{msgs:?}"
    );
}

#[test]
fn indexing_and_querying_never_touch_the_vault() {
    let v = Vault::copy_of(&example_vault());
    let before = snapshot(v.path());
    for args in [
        vec!["index"],
        vec!["index", "--rebuild"],
        vec!["search", "atlas"],
        vec!["people"],
        vec!["people", "--project", "Project Atlas"],
        vec!["person", "Mei Chen"],
        vec!["meetings"],
        vec!["followups"],
    ] {
        v.cmd().args(&args).assert().code(predicates::ord::lt(2));
    }
    assert_eq!(snapshot(v.path()), before, "the vault changed");
}

#[test]
fn schema_change_and_damage_trigger_a_rebuild() {
    let v = Vault::copy_of(&example_vault());
    v.ok(&["index"]);
    let manifest = v.index_dir().join("rapport.json");
    let text = fs::read_to_string(&manifest).unwrap();
    fs::write(
        &manifest,
        text.replace("\"schema_version\": ", "\"schema_version\": 9"),
    )
    .unwrap();
    let out = v.cmd().args(["people"]).output().unwrap();
    assert!(out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("rebuilding the index") && err.contains("another version"),
        "{err}"
    );
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(String::from_utf8_lossy(&out.stdout).contains("Mei Chen"));

    // Truncated meta.json.
    fs::write(v.index_dir().join("tantivy/meta.json"), "{\"segm").unwrap();
    let out = v.cmd().args(["people"]).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("damaged"));
    assert!(String::from_utf8_lossy(&out.stdout).contains("Mei Chen"));

    // A missing segment file.
    let seg = fs::read_dir(v.index_dir().join("tantivy"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|x| x == "store"))
        .unwrap();
    fs::remove_file(seg).unwrap();
    let out = v.cmd().args(["people"]).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("damaged"));
    assert!(String::from_utf8_lossy(&out.stdout).contains("Mei Chen"));
}

#[test]
fn a_second_writer_gets_a_clear_message() {
    let v = Vault::copy_of(&example_vault());
    v.ok(&["index"]);
    let lock = rapport::index::WriterLock::acquire(&v.index_dir()).unwrap();
    v.write("notes/new.md", "new words\n");
    let out = v.cmd().args(["index"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("another rapport is updating this index")
            && err.contains(&format!("pid {}", std::process::id())),
        "{err}"
    );
    // Readers are never blocked: they answer from the last commit.
    v.cmd().args(["people"]).assert().success();
    drop(lock);
    v.cmd().args(["index"]).assert().success();
}

#[test]
fn index_dir_that_cannot_be_created_is_named() {
    let v = Vault::copy_of(&example_vault());
    let file = v.index.path().join("not-a-dir");
    fs::write(&file, "x").unwrap();
    let out = v
        .cmd()
        .env("RAPPORT_INDEX", file.join("sub"))
        .args(["index"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("not-a-dir") && err.contains("--index-dir"),
        "{err}"
    );
    assert_eq!(err.trim().lines().count(), 1);
}

#[test]
fn the_index_never_goes_into_the_vault_or_over_foreign_files() {
    let v = Vault::copy_of(&example_vault());
    let before = snapshot(v.path());
    for inside in [
        v.path().to_path_buf(),
        v.path().join("people"),
        v.path().join("new/idx"),
    ] {
        let out = v
            .cmd()
            .env("RAPPORT_INDEX", &inside)
            .args(["people"])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2));
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains("inside the vault") && err.contains("--index-dir"),
            "{err}"
        );
    }
    assert_eq!(
        snapshot(v.path()),
        before,
        "nothing was written into the vault"
    );
    // A folder that happens to hold a `tantivy` folder of someone else's.
    let other = tempfile::tempdir().unwrap();
    fs::create_dir_all(other.path().join("tantivy")).unwrap();
    fs::write(other.path().join("tantivy/precious.md"), "keep me").unwrap();
    let out = v
        .cmd()
        .env("RAPPORT_INDEX", other.path())
        .args(["people"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("did not make"));
    assert_eq!(
        fs::read_to_string(other.path().join("tantivy/precious.md")).unwrap(),
        "keep me"
    );
}

/// A refresh that reads many notes allocates from mimalloc, switched on
/// here from one note (from 40,000 in a real vault: a debug build's
/// `RAPPORT_TEST_BULK_NOTES`). The index it writes answers as one written
/// with the system's allocator, and so does a query whose own refresh
/// turned it on and off in the same process.
#[test]
fn a_refresh_on_the_other_allocator_answers_the_same() {
    let v = Vault::copy_of(&example_vault());
    let queries: [&[&str]; 4] = [
        &["export", "--ndjson"],
        &["--json", "followups", "--as-of", "2026-01-15"],
        &["--json", "person", "Lena Novak"],
        &["--json", "orgs"],
    ];
    let output = |index: &std::path::Path, bulk: &str, args: &[&str]| {
        let mut c = v.cmd();
        c.env("RAPPORT_INDEX", index);
        let o = c.env("RAPPORT_TEST_BULK_NOTES", bulk).args(args).output();
        let o = o.unwrap();
        assert!(o.status.success(), "{args:?}: {o:?}");
        o
    };
    let run = |index: &std::path::Path, bulk: &str, args: &[&str]| {
        String::from_utf8(output(index, bulk, args).stdout).unwrap()
    };
    let (system, bulk) = (v.index.path().join("system"), v.index.path().join("bulk"));
    let said = |bulk: &str| {
        let index = v.index.path().join(format!("said-{bulk}"));
        let o = output(&index, bulk, &["-v", "index"]);
        String::from_utf8_lossy(&o.stderr).contains("with mimalloc")
    };
    assert!(
        said("1") && !said("1000000"),
        "the switch is not where the test puts it"
    );
    run(&system, "1000000", &["index"]);
    run(&bulk, "1", &["index"]);
    for q in queries {
        let expected = run(&system, "1000000", q);
        assert!(
            expected.len() > 100,
            "{q:?} answered too little: {expected}"
        );
        assert_eq!(run(&bulk, "1000000", q), expected, "{q:?}");
        // The refresh and the answer in one process, on a fresh index.
        let fresh = v.index.path().join(format!("fresh-{}", q.join("-")));
        assert_eq!(run(&fresh, "1", q), expected, "{q:?}, refreshed first");
    }
}
