//! Bringing the index up to date with the vault.
//!
//! A refresh is zk's merge of two sorted lists: the (path, size, mtime) of
//! every note on disk against the same triple stored in the index. Only what
//! differs is read and parsed (on every core), each changed note is replaced
//! (delete by path, then add), and everything is committed once, so a crash
//! leaves the previous commit intact and the next refresh redoes the work.

use std::collections::BTreeSet;
use std::path::Path;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use serde::Serialize;
use tantivy::{IndexWriter, TantivyDocument, Term};

use super::schema::{self, Fields};
use super::{Error, Index, Result, WriterLock};
use super::{taskrows, tasks};
use crate::vault::scan::{self, FileEntry, Read1};
use crate::vault::{Note, ProblemCode, TaskStatus};

/// A problem with one file, reported with its place.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct FileProblem {
    /// Vault-relative path.
    pub path: String,
    /// 1-based line, when known.
    pub line: Option<usize>,
    /// Stable code (serialized as its documented string).
    pub code: ProblemCode,
    /// What is wrong.
    pub message: String,
}

/// What a refresh did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct RefreshStats {
    /// Note files found in the vault.
    pub scanned: usize,
    /// New notes indexed.
    pub added: usize,
    /// Changed notes re-indexed.
    pub updated: usize,
    /// Notes that disappeared.
    pub removed: usize,
    /// Notes left as they were.
    pub unchanged: usize,
    /// Wall time.
    pub elapsed_ms: u64,
    /// Problems found in the files that were read.
    pub problems: Vec<FileProblem>,
    /// The notes added, updated and removed, by path, in that order within
    /// each kind (not in JSON; `watch` names them).
    #[serde(skip)]
    pub notes: Vec<(NoteChange, String)>,
    /// Whether the vault was walked: not when the refresh was left to a
    /// running `rapport watch` (not in JSON).
    #[serde(skip)]
    pub walked: bool,
}

/// What a refresh did to one note.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum NoteChange {
    /// Indexed for the first time.
    Added,
    /// Indexed again.
    Updated,
    /// Taken out of the index.
    Removed,
}

impl RefreshStats {
    /// True when the refresh changed the index.
    pub fn changed(&self) -> bool {
        self.added + self.updated + self.removed > 0
    }
}

/// Paths a file watcher reported, relative to the vault.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Changes {
    /// Files that may have been created, changed or removed.
    pub files: BTreeSet<String>,
    /// Folders that may have been created, moved in or out, or removed.
    pub dirs: BTreeSet<String>,
}

impl Changes {
    /// True when there is nothing to look at.
    pub fn is_empty(&self) -> bool {
        self.files.is_empty() && self.dirs.is_empty()
    }
}

/// What a refresh has to do, found without the writer lock: the notes on
/// disk merged with the stamps in the index's last commit. A query whose
/// plan is empty answers without taking the lock at all.
pub struct Plan {
    started: Instant,
    files: Vec<FileEntry>,
    /// Indexes into `files`, with whether the note was in the index.
    todo: Vec<(usize, bool)>,
    gone: Vec<String>,
    stats: RefreshStats,
    rebuild: bool,
}

impl Plan {
    /// Walks the vault and compares it with the index's last commit.
    pub fn new(index: &Index, rebuild: bool) -> Result<Plan> {
        let started = Instant::now();
        let ignore = index.opts().ignore_set();
        let ignored = |rel: &str| is_ignored(&ignore, rel);
        // The vault is walked while the index's stamps are read here: the
        // walk mostly waits on `stat`, and leaves a core part idle. (The
        // stamps are read on this thread so that the memory they took
        // serves the query after.)
        let (walked, known) = std::thread::scope(|s| {
            let walked = s.spawn(|| {
                // A rebuild compares no stamps: each file's is read from
                // the open file, not looked up by name first.
                let exclude = [index.dir().to_path_buf()];
                let walked = if rebuild {
                    scan::walk_unstamped(index.vault(), &exclude)
                } else {
                    scan::walk(index.vault(), &exclude)
                };
                // Before the ignore globs are applied.
                tracing::debug!(
                    found = walked.0.len(),
                    ms = started.elapsed().as_millis() as u64,
                    "walked the vault"
                );
                walked
            });
            let known = if rebuild {
                Ok(Vec::new())
            } else {
                index.snapshot().stamps()
            };
            tracing::debug!(
                known = known.as_ref().map_or(0, Vec::len),
                ms = started.elapsed().as_millis() as u64,
                "read the index's file stamps"
            );
            (crate::joined(walked), known)
        });
        let known: Vec<(String, Stamp)> = known?;
        let (mut files, mut walk_problems) = walked;
        files.retain(|f| !ignored(&f.path));
        walk_problems.retain(|p| !ignored(&p.path));
        let mut stats = RefreshStats {
            scanned: files.len(),
            walked: true,
            ..Default::default()
        };
        stats
            .problems
            .extend(walk_problems.into_iter().map(|w| FileProblem {
                path: w.path,
                line: None,
                code: ProblemCode::Unreadable,
                message: w.message,
            }));
        // Both lists are sorted by path: merge them.
        let d = super::diff::diff(&files, &known);
        stats.unchanged += d.unchanged;
        let todo = d.todo;
        let gone: Vec<String> = d.gone.into_iter().map(str::to_string).collect();
        Ok(Plan {
            started,
            files,
            todo,
            gone,
            stats,
            rebuild,
        })
    }

    /// True when the index already matches the vault.
    pub fn is_empty(&self) -> bool {
        !self.rebuild && self.todo.is_empty() && self.gone.is_empty()
    }

    /// What the walk found, with nothing written: the files scanned and
    /// those that could not be read.
    pub fn walked(self) -> RefreshStats {
        RefreshStats {
            scanned: self.stats.scanned,
            problems: self.stats.problems,
            elapsed_ms: self.started.elapsed().as_millis() as u64,
            walked: true,
            ..Default::default()
        }
    }

    /// What the refresh would report when there is nothing to do.
    pub fn unchanged(self) -> RefreshStats {
        let mut stats = self.stats;
        stats.elapsed_ms = self.started.elapsed().as_millis() as u64;
        stats
    }
}

/// True for a path the configuration says to leave out (the path or any
/// folder on the way may match).
fn is_ignored(ignore: &globset::GlobSet, rel: &str) -> bool {
    if ignore.is_empty() {
        return false;
    }
    let mut prefix = String::new();
    for part in rel.split('/') {
        if !prefix.is_empty() {
            prefix.push('/');
        }
        prefix.push_str(part);
        if ignore.is_match(&prefix) || ignore.is_match(part) {
            return true;
        }
    }
    false
}

/// Holds the writer lock and tantivy's writer for one or more refreshes.
pub struct Writer {
    writer: IndexWriter,
    fields: Fields,
    parse: crate::vault::ParseOpts,
    ignore: globset::GlobSet,
    _lock: WriterLock,
    /// tantivy creates the index's files itself: they are private (0600)
    /// while this writer lives. Dropped last.
    _umask: crate::fsutil::PrivateUmask,
}

/// Per-file state as stored in the index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Stamp {
    pub size: u64,
    pub mtime: i64,
}

/// A refresh reading at least this many notes allocates from mimalloc
/// ([`crate::heap::bulk`]). A full index against glibc's malloc, wall
/// time over interleaved rounds: 0.914 at 135,000 and at 54,000 notes,
/// 0.987 at 27,000, 1.031 at 13,500, where mimalloc also peaked at 123 MB
/// against 65.
const BULK_NOTES: usize = 40_000;

/// [`BULK_NOTES`], which a debug build's tests may lower
/// (`RAPPORT_TEST_BULK_NOTES`) to run a small vault's refresh the way a
/// large one's runs.
fn bulk_notes() -> usize {
    #[cfg(debug_assertions)]
    if let Some(n) = std::env::var("RAPPORT_TEST_BULK_NOTES")
        .ok()
        .and_then(|v| v.parse().ok())
    {
        return n;
    }
    BULK_NOTES
}

impl Writer {
    /// A writer for whole refreshes (`small == false`: every core, a large
    /// memory budget) or for a stream of small batches (the watcher): tantivy
    /// prepares an in-memory table as large as the budget for every new
    /// segment, so a big budget makes every small commit slow.
    pub(super) fn new(index: &Index, lock: WriterLock, small: bool) -> Result<Writer> {
        let threads = if small {
            1
        } else {
            std::thread::available_parallelism()
                .map_or(1, |n| n.get())
                .clamp(1, 2)
        };
        let budget = if small {
            20_000_000
        } else {
            96_000_000 * threads
        };
        let umask = crate::fsutil::PrivateUmask::set();
        let writer: IndexWriter = index.index.writer_with_num_threads(threads, budget)?;
        // A writer killed before its commit leaves files behind that a new
        // writer could collide with (same opstamp): clear them first.
        writer.garbage_collect_files().wait()?;
        Ok(Writer {
            writer,
            fields: index.fields.clone(),
            parse: index.opts.parse.clone(),
            ignore: index.opts.ignore_set(),
            _lock: lock,
            _umask: umask,
        })
    }

    /// True for a path the configuration says to leave out.
    fn ignored(&self, rel: &str) -> bool {
        is_ignored(&self.ignore, rel)
    }

    /// Brings the index up to date with the vault. With `rebuild`, every
    /// document is dropped first and every note read again. `progress` is
    /// called with (done, total) while notes are being read.
    pub fn refresh(
        &mut self,
        index: &Index,
        rebuild: bool,
        progress: &(dyn Fn(usize, usize) + Sync),
    ) -> Result<RefreshStats> {
        let plan = Plan::new(index, rebuild)?;
        self.carry_out(index, plan, progress)
    }

    /// Writes what a [`Plan`] found and commits once.
    pub fn carry_out(
        &mut self,
        index: &Index,
        plan: Plan,
        progress: &(dyn Fn(usize, usize) + Sync),
    ) -> Result<RefreshStats> {
        let Plan {
            started,
            files,
            todo,
            gone,
            mut stats,
            rebuild,
        } = plan;
        let todo: Vec<(&FileEntry, bool)> = todo.iter().map(|(i, x)| (&files[*i], *x)).collect();
        let gone: Vec<&str> = gone.iter().map(String::as_str).collect();
        // Reading many notes allocates on every thread for seconds: from
        // mimalloc then, up to the commit (see `crate::heap`).
        let bulk = (todo.len() >= bulk_notes()).then(|| {
            tracing::debug!(notes = todo.len(), "reading with mimalloc's allocator");
            crate::heap::bulk()
        });
        if rebuild {
            self.writer.delete_all_documents()?;
        }
        self.write_changes(index, &todo, &gone, &mut stats, progress)?;
        if rebuild || stats.changed() {
            self.writer.commit()?;
            drop(bulk);
            index.reload()?;
        }
        stats.elapsed_ms = started.elapsed().as_millis() as u64;
        Ok(stats)
    }

    /// Applies what a file watcher saw: `changes` names files and folders
    /// that may have changed. Each is looked at on disk: a note there is
    /// re-indexed, one that is gone is removed, and a folder is walked (it may
    /// have been moved in, created and filled, or moved out). Commits once.
    pub fn apply(&mut self, index: &Index, changes: &Changes) -> Result<RefreshStats> {
        let started = Instant::now();
        let vault = index.vault();
        let exclude = [index.dir().to_path_buf()];
        let mut stats = RefreshStats::default();
        // Notes under names that are not UTF-8 are found by walking only.
        let mut walked: std::collections::HashMap<String, FileEntry> = Default::default();
        let mut candidates: BTreeSet<String> = changes
            .files
            .iter()
            .filter(|p| scan::is_note_path(p))
            .cloned()
            .collect();
        if !changes.dirs.is_empty() {
            let known = index.snapshot().stamps()?;
            for dir in &changes.dirs {
                let (mut files, mut problems) = scan::walk_under(vault, dir, &exclude, true);
                files.retain(|f| !self.ignored(&f.path));
                problems.retain(|p| !self.ignored(&p.path));
                for f in files {
                    candidates.insert(f.path.clone());
                    if f.os_path.is_some() {
                        walked.insert(f.path.clone(), f);
                    }
                }
                stats
                    .problems
                    .extend(problems.into_iter().map(|w| FileProblem {
                        path: w.path,
                        line: None,
                        code: ProblemCode::Unreadable,
                        message: w.message,
                    }));
                let prefix = if dir.is_empty() {
                    String::new()
                } else {
                    format!("{dir}/")
                };
                let from = known.partition_point(|(p, _)| p.as_str() < prefix.as_str());
                candidates.extend(
                    known[from..]
                        .iter()
                        .take_while(|(p, _)| p.starts_with(&prefix))
                        .map(|(p, _)| p.clone()),
                );
            }
        }
        let snap = index.snapshot();
        let mut entries: Vec<(FileEntry, bool)> = Vec::new();
        let mut gone: Vec<String> = Vec::new();
        for rel in candidates {
            let existed = snap.has_path(&rel)?;
            let found = scan::stat_note(vault, &rel).or_else(|| walked.remove(&rel));
            match found.filter(|e| !self.ignored(&e.path)) {
                Some(entry) => entries.push((entry, existed)),
                None if existed => gone.push(rel),
                None => {}
            }
        }
        stats.scanned = entries.len();
        let todo: Vec<(&FileEntry, bool)> = entries.iter().map(|(e, x)| (e, *x)).collect();
        let gone: Vec<&str> = gone.iter().map(String::as_str).collect();
        self.write_changes(index, &todo, &gone, &mut stats, &|_, _| {})?;
        tracing::debug!(
            ms = started.elapsed().as_millis() as u64,
            "batch read and parsed"
        );
        if stats.changed() {
            self.writer.commit()?;
            tracing::debug!(ms = started.elapsed().as_millis() as u64, "committed");
            index.reload()?;
        }
        stats.elapsed_ms = started.elapsed().as_millis() as u64;
        Ok(stats)
    }

    /// Removes `gone`, (re)indexes `todo`, and counts what happened.
    fn write_changes(
        &mut self,
        index: &Index,
        todo: &[(&FileEntry, bool)],
        gone: &[&str],
        stats: &mut RefreshStats,
        progress: &(dyn Fn(usize, usize) + Sync),
    ) -> Result<()> {
        for path in gone {
            self.writer
                .delete_term(Term::from_field_text(self.fields.path, path));
            stats.notes.push((NoteChange::Removed, path.to_string()));
        }
        stats.removed += gone.len();
        let results = self.index_files(index.vault(), todo, progress)?;
        for (i, outcome) in results.into_iter().enumerate() {
            let (entry, existed) = todo[i];
            match outcome {
                Outcome::Indexed(problems) => {
                    let change = if existed {
                        stats.updated += 1;
                        NoteChange::Updated
                    } else {
                        stats.added += 1;
                        NoteChange::Added
                    };
                    stats.notes.push((change, entry.path.clone()));
                    stats.problems.extend(
                        problems
                            .into_iter()
                            .filter(|p| p.code != ProblemCode::Template)
                            .map(|p| FileProblem {
                                path: entry.path.clone(),
                                line: p.line,
                                code: p.code,
                                message: p.message,
                            }),
                    );
                }
                Outcome::Gone => {
                    stats.scanned = stats.scanned.saturating_sub(1);
                    if existed {
                        stats.removed += 1;
                        stats.notes.push((NoteChange::Removed, entry.path.clone()));
                    }
                }
                Outcome::Unreadable(message) => {
                    if existed {
                        stats.removed += 1;
                        stats.notes.push((NoteChange::Removed, entry.path.clone()));
                    }
                    stats.problems.push(FileProblem {
                        path: entry.path.clone(),
                        line: None,
                        code: ProblemCode::Unreadable,
                        message,
                    });
                }
            }
        }
        Ok(())
    }

    /// Reads, parses and adds `todo` on every core; the writer's own threads
    /// do the indexing.
    fn index_files(
        &self,
        vault: &Path,
        todo: &[(&FileEntry, bool)],
        progress: &(dyn Fn(usize, usize) + Sync),
    ) -> Result<Vec<Outcome>> {
        let next = AtomicUsize::new(0);
        let done = AtomicUsize::new(0);
        let results: Mutex<Vec<Option<Outcome>>> =
            Mutex::new((0..todo.len()).map(|_| None).collect());
        let failure: Mutex<Option<Error>> = Mutex::new(None);
        let workers = std::thread::available_parallelism()
            .map_or(1, |n| n.get())
            .clamp(1, 8)
            .min(todo.len().max(1));
        std::thread::scope(|scope| {
            for _ in 0..workers {
                scope.spawn(|| {
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some((entry, existed)) = todo.get(i) else {
                            break;
                        };
                        let outcome = self.index_one(vault, entry, *existed);
                        let outcome = match outcome {
                            Ok(o) => o,
                            Err(e) => {
                                if let Ok(mut f) = failure.lock() {
                                    f.get_or_insert(e);
                                }
                                break;
                            }
                        };
                        if let Ok(mut r) = results.lock() {
                            r[i] = Some(outcome);
                        }
                        let d = done.fetch_add(1, Ordering::Relaxed) + 1;
                        if d.is_multiple_of(256) || d == todo.len() {
                            progress(d, todo.len());
                        }
                    }
                });
            }
        });
        if let Some(e) = failure.into_inner().ok().flatten() {
            return Err(e);
        }
        let results = results.into_inner().unwrap_or_default();
        Ok(results
            .into_iter()
            .map(|o| o.unwrap_or(Outcome::Gone))
            .collect())
    }

    fn index_one(&self, vault: &Path, entry: &FileEntry, existed: bool) -> Result<Outcome> {
        if existed {
            self.writer
                .delete_term(Term::from_field_text(self.fields.path, &entry.path));
        }
        let (read, (size, mtime)) = scan::read_entry(vault, entry, &self.parse);
        let stamped = Stamp { size, mtime };
        match read {
            Read1::Note(note) => {
                let problems = note.problems.clone();
                self.writer
                    .add_document(document(&self.fields, &note, stamped))?;
                Ok(Outcome::Indexed(problems))
            }
            Read1::Generated => {
                let mut doc = TantivyDocument::default();
                doc.add_text(self.fields.kind, "skip");
                stamp(&self.fields, &mut doc, &entry.path, stamped);
                self.writer.add_document(doc)?;
                Ok(Outcome::Indexed(Vec::new()))
            }
            Read1::Gone => Ok(Outcome::Gone),
            Read1::Unreadable(p) => Ok(Outcome::Unreadable(p.message)),
        }
    }

    /// Commits pending work (used by the watcher on shutdown).
    pub fn commit(&mut self) -> Result<()> {
        self.writer.commit()?;
        Ok(())
    }
}

enum Outcome {
    Indexed(Vec<crate::vault::Problem>),
    Gone,
    Unreadable(String),
}

/// A file's path with the size and modification time it was read at.
fn stamp(f: &Fields, doc: &mut TantivyDocument, path: &str, s: Stamp) {
    doc.add_text(f.path, path);
    doc.add_u64(f.size, s.size);
    doc.add_i64(f.mtime, s.mtime);
}

/// The document of one note (at its path, read with stamp `s`), its tasks
/// included.
fn document(f: &Fields, note: &Note, s: Stamp) -> TantivyDocument {
    // A note serializes to postcard unless a field's own serializer fails
    // (none does); then it is stored empty and reads back as no note.
    let meta = postcard::to_stdvec(note).unwrap_or_default();
    // The document keeps a copy of every value: sized for the two largest
    // and a kilobyte for the rest, it is not copied again as it grows.
    let mut doc = TantivyDocument::with_capacity(note.body.len() + meta.len() + 1024);
    doc.add_text(f.kind, note.kind.as_str());
    stamp(f, &mut doc, &note.path, s);
    doc.add_text(f.title, &note.title);
    doc.add_text(f.title_raw, &note.title);
    doc.add_text(f.body, &note.body);
    if let Some(p) = &note.person {
        doc.add_text(f.name, &note.title);
        for a in &p.aliases {
            doc.add_text(f.name, a);
        }
        if let Some(e) = &p.email {
            doc.add_text(f.name, e);
        }
        for e in &p.emails {
            doc.add_text(f.name, e);
        }
    }
    if let Some(u) = &note.uid {
        doc.add_text(f.uid, u);
    }
    for a in &note.attendees {
        doc.add_text(f.person, a);
        doc.add_text(f.attendee, crate::vault::refs::stored_ref(a));
    }
    for p in &note.projects {
        doc.add_text(f.project, p);
        doc.add_text(f.project_raw, p);
        doc.add_text(f.project_key, crate::vault::refs::project_key(p));
    }
    for t in &note.tags {
        doc.add_text(f.tag, t);
        doc.add_text(f.tag_raw, t);
    }
    // A task's `#give` finds its note with `tag:give`; the column keeps the
    // note's own tags, so a meeting is not counted as tagged twice.
    let mut task_tags: Vec<&String> = note.tasks.iter().flat_map(|t| &t.tags).collect();
    task_tags.sort_unstable();
    task_tags.dedup();
    for t in task_tags.iter().filter(|t| !note.tags.contains(t)) {
        doc.add_text(f.tag, t);
    }
    for (target, _) in &note.links {
        doc.add_text(f.link, crate::vault::refs::stored_ref(target));
    }
    if let Some(d) = note.date {
        doc.add_date(f.date, schema::day_to_datetime(d));
    }
    let open = note
        .tasks
        .iter()
        .filter(|t| t.status == TaskStatus::Open)
        .count();
    doc.add_u64(f.tasks, note.tasks.len() as u64);
    doc.add_u64(f.open_tasks, open as u64);
    // A note's tasks are a value of its own document (see `taskrows`),
    // found by these flags and, for whom they name, by `task_link`.
    if !note.tasks.is_empty() {
        doc.add_text(f.flag, tasks::flag::TASKS);
    }
    if open > 0 {
        doc.add_text(f.flag, tasks::flag::OPEN_TASKS);
    }
    // The same tags (lower-cased when read, so distinct still), as the
    // flags that find the notes whose tasks carry them.
    for t in &task_tags {
        doc.add_text(f.flag, tasks::flag::task_tag(t));
    }
    let (parts, texts) = taskrows::encode(&note.path, &note.tasks);
    for part in parts {
        doc.add_bytes(f.task_rows, &part);
    }
    for t in &texts.written {
        doc.add_text(f.task_text, t);
    }
    for t in &texts.shown {
        doc.add_text(f.task_shown, t);
    }
    // The rows keep each link whole; the terms only find the notes.
    let mut task_links: Vec<std::borrow::Cow<str>> = note
        .tasks
        .iter()
        .flat_map(|t| &t.links)
        .map(|l| crate::vault::refs::stored_ref(l))
        .collect();
    task_links.sort_unstable();
    task_links.dedup();
    for l in task_links {
        doc.add_text(f.task_link, l);
    }
    if note
        .problems
        .iter()
        .any(|p| p.code != ProblemCode::Template)
    {
        doc.add_text(f.flag, "problem");
    }
    if note.is_template() {
        doc.add_text(f.flag, "template");
    }
    doc.add_bytes(f.meta, &meta);
    doc
}
