//! `rapport watch` with real editors' file operations, checked by querying
//! with the real binary until the change shows (polling, with a generous
//! upper bound).

use std::fs;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::util::{Vault, example_vault};

/// A running `rapport watch`, stopped on drop.
struct Watcher {
    child: Child,
    log: std::path::PathBuf,
}

impl Watcher {
    fn start(v: &Vault, extra: &[&str]) -> Watcher {
        let w = Watcher::spawn(v, extra);
        w.wait_for_log("watching");
        w
    }

    /// Starts it without waiting for its first refresh to end.
    fn spawn(v: &Vault, extra: &[&str]) -> Watcher {
        let log = v
            .index
            .path()
            .join(format!("watch-{}.log", std::process::id()));
        let child = Command::new(assert_cmd::cargo::cargo_bin("rapport"))
            .arg("--vault")
            .arg(v.path())
            .arg("watch")
            .args(["--debounce", "50"])
            .args(extra)
            .env("RAPPORT_INDEX", v.index_dir())
            .stdout(Stdio::null())
            .stderr(fs::File::create(&log).unwrap())
            .spawn()
            .unwrap();
        Watcher { child, log }
    }

    fn log(&self) -> String {
        fs::read_to_string(&self.log).unwrap_or_default()
    }

    fn wait_for_log(&self, what: &str) {
        let start = Instant::now();
        while !self.log().contains(what) {
            assert!(
                start.elapsed() < Duration::from_secs(60),
                "watch never logged '{what}': {}",
                self.log()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Watcher {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Paths of the notes matching a search, from the real binary.
fn found(v: &Vault, word: &str) -> Vec<String> {
    let out = v
        .cmd()
        .args(["--json", "search", word, "--limit", "1000"])
        .output()
        .unwrap();
    let hits: serde_json::Value =
        serde_json::from_slice(&out.stdout).unwrap_or(serde_json::json!([]));
    let mut paths: Vec<String> = hits
        .as_array()
        .map(|a| {
            a.iter()
                .map(|h| h["path"].as_str().unwrap_or("").to_string())
                .collect()
        })
        .unwrap_or_default();
    paths.sort();
    paths
}

/// Polls until the search for `word` gives exactly `want`.
fn eventually(v: &Vault, word: &str, want: &[&str]) {
    let start = Instant::now();
    loop {
        let got = found(v, word);
        if got == want {
            return;
        }
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "search {word}: want {want:?}, still {got:?}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn write(p: &Path, text: &str) {
    fs::create_dir_all(p.parent().unwrap()).unwrap();
    fs::write(p, text).unwrap();
}

#[test]
fn editors_saves_and_moves_are_followed() {
    let v = Vault::copy_of(&example_vault());
    let w = Watcher::start(&v, &[]);
    let root = v.path();
    let note = root.join("meetings/2026-11-26 Watch.md");

    // Created.
    write(&note, "---\ntype: meeting\n---\nalpaca\n");
    eventually(&v, "alpaca", &["meetings/2026-11-26 Watch.md"]);

    // Edited in place.
    write(&note, "---\ntype: meeting\n---\nbison\n");
    eventually(&v, "bison", &["meetings/2026-11-26 Watch.md"]);
    eventually(&v, "alpaca", &[]);

    // VS Code / JetBrains: temporary file, then rename over the note.
    let tmp = root.join("meetings/.2026-11-26 Watch.md.tmp123");
    write(&tmp, "---\ntype: meeting\n---\ncaribou\n");
    fs::rename(&tmp, &note).unwrap();
    eventually(&v, "caribou", &["meetings/2026-11-26 Watch.md"]);

    // vim: swap file, rename the note to a backup, write a new one, clean up.
    let swp = root.join("meetings/.2026-11-26 Watch.md.swp");
    let backup = root.join("meetings/2026-11-26 Watch.md~");
    write(&swp, "swap dingo");
    fs::rename(&note, &backup).unwrap();
    write(&note, "---\ntype: meeting\n---\ndingo\n");
    fs::remove_file(&backup).unwrap();
    fs::remove_file(&swp).unwrap();
    eventually(&v, "dingo", &["meetings/2026-11-26 Watch.md"]);

    // Emacs: lock file and autosave beside the note, then the save.
    let lock = root.join("meetings/.#2026-11-26 Watch.md");
    let autosave = root.join("meetings/#2026-11-26 Watch.md#");
    write(&lock, "user@host.1234");
    write(&autosave, "emu autosave");
    write(&note, "---\ntype: meeting\n---\nemu\n");
    fs::remove_file(&autosave).unwrap();
    fs::remove_file(&lock).unwrap();
    eventually(&v, "emu", &["meetings/2026-11-26 Watch.md"]);

    // Renamed / moved inside the vault.
    let moved = root.join("archive/2026/moved.md");
    fs::create_dir_all(moved.parent().unwrap()).unwrap();
    fs::rename(&note, &moved).unwrap();
    eventually(&v, "emu", &["archive/2026/moved.md"]);

    // Deleted.
    fs::remove_file(&moved).unwrap();
    eventually(&v, "emu", &[]);

    // A folder created and filled at once.
    let fresh = root.join("batch");
    fs::create_dir(&fresh).unwrap();
    for i in 0..20 {
        write(&fresh.join(format!("n{i}.md")), "ferret\n");
    }
    let want: Vec<String> = {
        let mut w: Vec<String> = (0..20).map(|i| format!("batch/n{i}.md")).collect();
        w.sort();
        w
    };
    eventually(
        &v,
        "ferret",
        &want.iter().map(String::as_str).collect::<Vec<_>>(),
    );

    // A whole folder moved in from outside, and one moved out.
    let outside = tempfile::tempdir().unwrap();
    write(&outside.path().join("inbox/deep/a.md"), "gecko\n");
    write(&outside.path().join("inbox/b.md"), "gecko\n");
    fs::rename(outside.path().join("inbox"), root.join("inbox")).unwrap();
    eventually(&v, "gecko", &["inbox/b.md", "inbox/deep/a.md"]);
    fs::rename(root.join("inbox"), outside.path().join("inbox-back")).unwrap();
    eventually(&v, "gecko", &[]);

    // A single file moved in from outside, then out again.
    write(&outside.path().join("stray.md"), "jackal\n");
    fs::rename(outside.path().join("stray.md"), root.join("stray.md")).unwrap();
    eventually(&v, "jackal", &["stray.md"]);

    // A single file moved out of the vault.
    fs::rename(fresh.join("n0.md"), outside.path().join("n0.md")).unwrap();
    eventually(
        &v,
        "ferret",
        &want[1..].iter().map(String::as_str).collect::<Vec<_>>(),
    );

    assert!(w.log().contains("added"), "one line per batch: {}", w.log());
}

#[test]
fn a_branch_switch_replaces_many_files_at_once() {
    let v = Vault::new();
    for i in 0..150 {
        v.write(
            &format!("meetings/m{i:03}.md"),
            "---\ntype: meeting\n---\nhedgehog main\n",
        );
    }
    let _w = Watcher::start(&v, &[]);
    eventually(
        &v,
        "hedgehog",
        &(0..150)
            .map(|i| format!("meetings/m{i:03}.md"))
            .collect::<Vec<_>>()
            .iter()
            .map(String::as_str)
            .collect::<Vec<_>>(),
    );
    // `git checkout other`: every file removed, others written, some kept but changed.
    for i in 0..150 {
        fs::remove_file(v.path().join(format!("meetings/m{i:03}.md"))).unwrap();
    }
    for i in 100..250 {
        v.write(
            &format!("meetings/m{i:03}.md"),
            "---\ntype: meeting\n---\nibex branch\n",
        );
    }
    let want: Vec<String> = (100..250).map(|i| format!("meetings/m{i:03}.md")).collect();
    eventually(
        &v,
        "ibex",
        &want.iter().map(String::as_str).collect::<Vec<_>>(),
    );
    eventually(&v, "hedgehog", &[]);
}

#[test]
fn one_watcher_per_vault_and_the_checklist_stays_fresh() {
    let v = Vault::copy_of(&example_vault());
    let checklist = v.path().join("follow-ups.md");
    let w = Watcher::start(&v, &["--followups", checklist.to_str().unwrap()]);
    // A second watcher refuses, naming the first one's pid.
    let out = v.cmd().args(["watch"]).output().unwrap();
    assert_ne!(out.status.code(), Some(0));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains(&format!("pid {}", w.child.id())), "{err}");
    // Queries in other terminals keep working.
    v.cmd().args(["people"]).assert().success();
    // The checklist follows a new meeting with no next step.
    assert!(
        fs::read_to_string(&checklist)
            .unwrap()
            .starts_with("<!-- generated by rapport")
    );
    v.write(
        "meetings/2026-11-26 Jaguar sync.md",
        "---\ntype: meeting\ndate: 2026-11-26\nwith: \"[[Mei Chen]]\"\n---\njaguar\n",
    );
    let start = Instant::now();
    while !fs::read_to_string(&checklist)
        .unwrap()
        .contains("Jaguar sync")
    {
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "checklist never regenerated"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    // Its own writes do not trigger more batches.
    std::thread::sleep(Duration::from_millis(600));
    let batches = w.log().lines().filter(|l| l.contains(" ms)")).count();
    std::thread::sleep(Duration::from_millis(800));
    assert_eq!(
        w.log().lines().filter(|l| l.contains(" ms)")).count(),
        batches,
        "{}",
        w.log()
    );
}

#[cfg(unix)]
#[test]
fn sigterm_commits_and_exits_zero_and_sigkill_leaves_a_usable_index() {
    let v = Vault::copy_of(&example_vault());
    let mut w = Watcher::start(&v, &[]);
    v.write("notes/kiwi.md", "kiwi\n");
    eventually(&v, "kiwi", &["notes/kiwi.md"]);
    let pid = w.child.id().to_string();
    Command::new("kill").args(["-TERM", &pid]).status().unwrap();
    let status = w.child.wait().unwrap();
    assert!(status.success(), "{status:?}: {}", w.log());

    // SIGKILL in the middle of a large batch.
    let w = Watcher::start(&v, &[]);
    for i in 0..400 {
        v.write(&format!("bulk/n{i}.md"), "lemur\n");
    }
    std::thread::sleep(Duration::from_millis(120));
    drop(w); // kill -9
    // The next command opens the index, refreshes, and answers correctly.
    let hits = v.json(&["search", "lemur", "--limit", "1000"]);
    assert_eq!(hits.as_array().unwrap().len(), 400);
}

#[test]
fn watch_lines_name_the_notes_and_say_when_the_checklist_was_rewritten() {
    let v = Vault::new();
    v.write("people/ada.md", "---\nname: Ada Lovelace\n---\n");
    v.write("notes/old.md", "old\n");
    let checklist = v.index.path().join("follow-ups.md");
    let w = Watcher::start(&v, &["--followups", checklist.to_str().unwrap()]);
    w.wait_for_log("rewrote the checklist");
    let before = w.log().matches("rewrote the checklist").count();
    v.write(
        "meetings/2026-11-20 Kickoff.md",
        "---\nattendees: [\"[[Ada Lovelace]]\"]\n---\nkickoff\n",
    );
    w.wait_for_log("added meetings/2026-11-20 Kickoff.md");
    fs::write(
        v.path().join("people/ada.md"),
        "---\nname: Ada Lovelace\ncadence: 7d\n---\n",
    )
    .unwrap();
    w.wait_for_log("updated people/ada.md");
    fs::remove_file(v.path().join("notes/old.md")).unwrap();
    w.wait_for_log("removed notes/old.md");
    // Each batch rewrote the checklist, and said so with its path.
    let start = Instant::now();
    while w.log().matches("rewrote the checklist").count() < before + 3 {
        assert!(start.elapsed() < Duration::from_secs(30), "{}", w.log());
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(
        w.log()
            .contains(&format!("rewrote the checklist {}", checklist.display())),
        "{}",
        w.log()
    );
}

#[test]
fn queries_leave_the_refresh_to_a_running_watcher() {
    let v = Vault::copy_of(&example_vault());
    let skipped = "refresh left to the running `rapport watch`";
    let verbose = |word: &str| {
        let o = v.cmd().args(["-v", "search", word]).output().unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        String::from_utf8_lossy(&o.stderr).into_owned()
    };
    // A note that is no file: only a walk of the vault finds it.
    std::os::unix::fs::symlink("/etc/passwd", v.path().join("notes/outside.md")).unwrap();
    let w = Watcher::start(&v, &[]);
    // The watcher writes the new note; the query neither looks at the
    // vault nor waits for the writer.
    write(&v.path().join("notes/okapi.md"), "okapi\n");
    eventually(&v, "okapi", &["notes/okapi.md"]);
    assert!(verbose("okapi").contains(skipped));
    // `check` still walks: it reports what only the walk finds.
    let o = v.cmd().args(["-v", "check"]).output().unwrap();
    let (out, err) = (
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr),
    );
    assert_eq!(o.status.code(), Some(1), "{out}{err}");
    assert!(out.contains("notes/outside.md"), "{out}");
    assert!(!err.contains(skipped), "{err}");
    drop(w);
    // Without a watcher the query refreshes by itself again: a note
    // written now is found at once.
    write(&v.path().join("notes/quokka.md"), "quokka\n");
    assert!(!verbose("quokka").contains(skipped));
    assert_eq!(found(&v, "quokka"), ["notes/quokka.md"]);
}

/// Notes saved while the watcher's first refresh runs, after its walk has
/// passed them, are indexed from the events heard meanwhile: the watch is
/// set before that refresh, and there is no second walk to find them.
#[test]
fn notes_saved_during_the_first_refresh_are_indexed() {
    let v = Vault::new();
    for i in 0..3000 {
        v.write(
            &format!("notes/n{i}.md"),
            &format!("# Note {i}\n\nfiller {i}\n- [ ] task {i}\n"),
        );
    }
    let w = Watcher::spawn(&v, &[]);
    // It records its pid in the writer's lock, then listens, then walks
    // and indexes the 3,000 notes.
    let lock = v.index_dir().join("writer.lock");
    let pid = w.child.id().to_string();
    let start = Instant::now();
    while fs::read_to_string(&lock).unwrap_or_default().trim() != pid {
        assert!(start.elapsed() < Duration::from_secs(60), "{}", w.log());
        std::thread::sleep(Duration::from_millis(5));
    }
    // Saves every 20 ms until the refresh reports: all made during it.
    let mut during = 0;
    loop {
        std::thread::sleep(Duration::from_millis(20));
        if during == 100 || w.log().contains("rapport: added") {
            break;
        }
        let late = v.path().join(format!("notes/late{during}.md"));
        write(&late, &format!("lateword{during}\n"));
        during += 1;
    }
    w.wait_for_log("watching");
    let log = w.log();
    // "rapport: added notes/n0.md, notes/n1.md, notes/n10.md and N more".
    let added: usize = log
        .lines()
        .next()
        .and_then(|l| l.split(" and ").nth(1))
        .and_then(|s| s.split(' ').next())
        .and_then(|n| n.parse::<usize>().ok())
        .map_or(0, |more| more + 3);
    assert!(added >= 3000, "{log}");
    // Some were saved during the refresh yet after its walk.
    assert!(
        during > added - 3000,
        "{during} saved during, {added} added: {log}"
    );
    for k in 0..during {
        let path = format!("notes/late{k}.md");
        eventually(&v, &format!("lateword{k}"), &[path.as_str()]);
    }
}
