//! `rapport watch`: keep the index live while the user writes notes.
//!
//! An event is only a hint that a path may have changed: after notify's
//! debouncer groups the events of a burst, each path is looked at on disk and
//! upserted or deleted ([`crate::index::Writer::apply`]). That one rule
//! copes with every editor: saves in place, saves by renaming a temporary
//! file over the note, vim's and Emacs's side files (not notes, so ignored),
//! folders moved in, out or filled at once. When the event queue overflows,
//! or an event cannot be read, the whole vault is refreshed instead of
//! guessing. The watcher owns the index's writer and commits once per batch.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use notify::RecursiveMode;
use notify::event::{AccessKind, AccessMode, EventKind};
use notify_debouncer_full::{DebounceEventResult, DebouncedEvent, new_debouncer};

use crate::index::{Changes, Index, NoteChange, RefreshStats, Writer};

/// What to do with a batch of events.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Plan {
    /// Nothing that concerns the vault's notes.
    Nothing,
    /// Look at these paths.
    Apply(Changes),
    /// Refresh everything (overflow, or an event we cannot interpret).
    Rescan,
}

/// Settings of a watch.
pub struct Opts {
    /// How long the debouncer waits for a burst of events to end.
    pub debounce: Duration,
    /// Paths whose events are ours (the checklist we write), to ignore.
    pub ignore: Vec<PathBuf>,
    /// How often to refresh everything when the OS cannot watch the vault.
    pub poll: Duration,
}

/// Turns a batch of debounced events into a plan. `root` is the vault's
/// canonical path; `ignore` lists files whose events are ours.
pub fn plan(root: &Path, events: &[DebouncedEvent], ignore: &[PathBuf]) -> Plan {
    let mut changes = Changes::default();
    for event in events {
        if event.need_rescan() {
            return Plan::Rescan;
        }
        // Reading a file (ours included) is not a change; closing it after
        // writing is.
        if let EventKind::Access(kind) = event.kind
            && kind != AccessKind::Close(AccessMode::Write)
        {
            continue;
        }
        for path in &event.paths {
            if ignore.iter().any(|i| i == path) {
                continue;
            }
            let Ok(rel) = path.strip_prefix(root) else {
                continue;
            };
            let Some(rel) = rel
                .to_str()
                .map(|r| r.replace(std::path::MAIN_SEPARATOR, "/"))
            else {
                // A name that is not UTF-8: walking its folder finds it.
                if let Some(parent) = rel.parent().and_then(|p| p.to_str()) {
                    changes
                        .dirs
                        .insert(parent.replace(std::path::MAIN_SEPARATOR, "/"));
                }
                continue;
            };
            if rel.is_empty() {
                // The vault folder itself changed: look at everything.
                return Plan::Rescan;
            }
            if rel.split('/').any(|part| part.starts_with('.')) {
                continue;
            }
            // A folder now, or a path that might have been one: walk it.
            // A file that is gone is removed by the same look at the disk.
            let is_dir = path.is_dir();
            let name = rel.rsplit('/').next().unwrap_or(&rel);
            let temporary = name.starts_with('#') || name.ends_with('~') || name.ends_with(".swp");
            if is_dir || !path.exists() && !temporary && !crate::vault::scan::is_note_path(&rel) {
                changes.dirs.insert(rel.clone());
            }
            if !is_dir && crate::vault::scan::is_note_path(&rel) {
                changes.files.insert(rel);
            }
        }
    }
    if changes.is_empty() {
        Plan::Nothing
    } else {
        Plan::Apply(changes)
    }
}

/// How often the debouncer looks for bursts that ended: a tenth of the
/// debounce (notify's default is a quarter), so a save is seen at most
/// 10% later than the debounce asks.
fn tick(debounce: Duration) -> Duration {
    (debounce / 10).max(Duration::from_millis(5))
}

/// One line for stderr about an applied batch, naming the notes:
/// `rapport: updated meetings/kickoff.md; added people/ada.md (12 ms)`.
/// A long list names the first few and counts the rest.
pub fn describe(stats: &RefreshStats) -> String {
    const NAMED: usize = 3;
    let mut parts = Vec::new();
    for (change, verb) in [
        (NoteChange::Updated, "updated"),
        (NoteChange::Added, "added"),
        (NoteChange::Removed, "removed"),
    ] {
        let paths: Vec<&str> = stats
            .notes
            .iter()
            .filter(|(c, _)| *c == change)
            .map(|(_, p)| p.as_str())
            .collect();
        let count = match change {
            NoteChange::Updated => stats.updated,
            NoteChange::Added => stats.added,
            NoteChange::Removed => stats.removed,
        };
        if count == 0 {
            continue;
        }
        // File names are note text: defused before they reach the terminal.
        let mut named =
            crate::render::safe::terminal(&paths[..paths.len().min(NAMED)].join(", ")).into_owned();
        if count > NAMED.min(paths.len()) {
            let more = count - NAMED.min(paths.len());
            named = if named.is_empty() {
                format!("{more} notes")
            } else {
                format!("{named} and {more} more")
            };
        }
        parts.push(format!("{verb} {named}"));
    }
    if parts.is_empty() {
        parts.push("nothing changed".into());
    }
    format!(
        "rapport: {} ({} ms){}",
        parts.join("; "),
        stats.elapsed_ms,
        if stats.problems.is_empty() {
            String::new()
        } else {
            format!(", {} problem(s)", stats.problems.len())
        }
    )
}

/// The vault's events, heard from the moment [`listen`] returns and kept
/// until [`run`] reads them: a note saved while the caller brings the index
/// up to date is applied by the loop, with no second pass over the vault.
pub struct Listener {
    debouncer: notify_debouncer_full::Debouncer<
        notify::RecommendedWatcher,
        notify_debouncer_full::RecommendedCache,
    >,
    rx: mpsc::Receiver<DebounceEventResult>,
    /// True when the OS cannot watch the vault: it is refreshed every
    /// [`Opts::poll`] instead.
    polling: bool,
}

/// Starts watching the vault of `index` (set up before the first refresh,
/// so that nothing saved during it is missed).
pub fn listen(index: &Index, opts: &Opts) -> anyhow::Result<Listener> {
    let root = index.vault();
    let (tx, rx) = mpsc::channel::<DebounceEventResult>();
    let mut debouncer = new_debouncer(opts.debounce, Some(tick(opts.debounce)), tx)?;
    let polling = match debouncer.watch(root, RecursiveMode::Recursive) {
        Ok(()) => false,
        Err(e) if matches!(e.kind, notify::ErrorKind::MaxFilesWatch) => {
            eprintln!(
                "rapport: the OS limit on watched folders is reached; raise it with \
                 `sudo sysctl fs.inotify.max_user_watches=524288`. Refreshing every {} s instead.",
                opts.poll.as_secs()
            );
            true
        }
        Err(e) => return Err(anyhow::anyhow!("cannot watch {}: {e}", root.display())),
    };
    Ok(Listener {
        debouncer,
        rx,
        polling,
    })
}

/// Watches until `stop` is set, from what `listener` has heard since
/// [`listen`]. `after_batch` runs after each batch that changed the index
/// (to regenerate the checklist). Logs one line per batch.
pub fn run(
    listener: Listener,
    index: &Index,
    writer: &mut Writer,
    opts: &Opts,
    stop: &Arc<AtomicBool>,
    after_batch: &mut dyn FnMut(&Index) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    let root = index.vault().to_path_buf();
    let Listener {
        debouncer,
        rx,
        polling,
    } = listener;
    eprintln!("rapport: watching {} (Ctrl-C to stop)", root.display());
    let mut last_poll = Instant::now();
    while !stop.load(Ordering::SeqCst) {
        let plan = match rx.recv_timeout(Duration::from_millis(100)) {
            Ok(Ok(events)) => plan(&root, &events, &opts.ignore),
            Ok(Err(errors)) => {
                for e in &errors {
                    tracing::debug!("watch error: {e}");
                }
                Plan::Rescan
            }
            Err(mpsc::RecvTimeoutError::Timeout) => {
                if polling && last_poll.elapsed() >= opts.poll {
                    last_poll = Instant::now();
                    Plan::Rescan
                } else {
                    continue;
                }
            }
            Err(mpsc::RecvTimeoutError::Disconnected) => break,
        };
        let stats = match plan {
            Plan::Nothing => continue,
            Plan::Apply(changes) => {
                tracing::debug!(
                    files = changes.files.len(),
                    dirs = changes.dirs.len(),
                    "applying a batch"
                );
                writer.apply(index, &changes)?
            }
            Plan::Rescan => {
                tracing::debug!("full refresh");
                writer.refresh(index, false, &|_, _| {})?
            }
        };
        if stats.changed() {
            eprintln!("{}", describe(&stats));
            for p in &stats.problems {
                eprintln!(
                    "  {}",
                    crate::render::problem_line(&p.path, p.line, &p.message)
                );
            }
            if let Err(e) = after_batch(index) {
                eprintln!("rapport: {e:#}");
            }
        }
    }
    drop(debouncer);
    writer.commit()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use notify::event::{CreateKind, Flag, ModifyKind, RemoveKind, RenameMode};

    fn ev(kind: EventKind, paths: &[&Path]) -> DebouncedEvent {
        let mut e = notify::Event::new(kind);
        for p in paths {
            e = e.add_path(p.to_path_buf());
        }
        DebouncedEvent::new(e, Instant::now())
    }

    #[test]
    fn plans_follow_the_disk_not_the_event() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        std::fs::create_dir_all(root.join("meetings/new")).unwrap();
        std::fs::write(root.join("meetings/a.md"), "x").unwrap();
        let events = vec![
            ev(
                EventKind::Modify(ModifyKind::Name(RenameMode::Both)),
                &[
                    &root.join("meetings/.a.md.swp"),
                    &root.join("meetings/a.md"),
                ],
            ),
            ev(
                EventKind::Create(CreateKind::Folder),
                &[&root.join("meetings/new")],
            ),
            ev(
                EventKind::Remove(RemoveKind::File),
                &[&root.join("meetings/gone.md")],
            ),
            ev(
                EventKind::Remove(RemoveKind::Folder),
                &[&root.join("old-folder")],
            ),
            ev(
                EventKind::Create(CreateKind::File),
                &[&root.join("meetings/#a.md#")],
            ),
            ev(
                EventKind::Create(CreateKind::File),
                &[&root.join(".obsidian/workspace.md")],
            ),
            ev(
                EventKind::Create(CreateKind::File),
                &[&root.join("follow-ups.md")],
            ),
            ev(
                EventKind::Access(AccessKind::Open(AccessMode::Read)),
                &[&root.join("meetings/read.md")],
            ),
        ];
        let Plan::Apply(c) = plan(&root, &events, &[root.join("follow-ups.md")]) else {
            panic!()
        };
        assert_eq!(
            c.files.iter().map(String::as_str).collect::<Vec<_>>(),
            vec!["meetings/a.md", "meetings/gone.md"]
        );
        assert_eq!(
            c.dirs.iter().map(String::as_str).collect::<Vec<_>>(),
            vec!["meetings/new", "old-folder"]
        );
    }

    #[test]
    fn overflow_means_rescan() {
        let root = PathBuf::from("/v");
        let e = DebouncedEvent::new(
            notify::Event::new(EventKind::Other).set_flag(Flag::Rescan),
            Instant::now(),
        );
        assert_eq!(plan(&root, &[e], &[]), Plan::Rescan);
        let only_ours = ev(EventKind::Create(CreateKind::File), &[Path::new("/v/f.md")]);
        assert_eq!(
            plan(&root, &[only_ours], &[PathBuf::from("/v/f.md")]),
            Plan::Nothing
        );
    }
}
