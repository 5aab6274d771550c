//! The index: a tantivy cache of the vault, kept outside it.
//!
//! This is the only module that knows tantivy. The index can always be
//! thrown away and rebuilt from the notes, so every problem with it (another
//! schema version, damaged files) is answered by rebuilding, with one line
//! saying so. One process writes at a time, guarded by a lock file that
//! records its pid; readers are never blocked. While `rapport watch` keeps
//! the index fresh it holds a second lock file, and queries leave their
//! refresh to it.

mod diff;
mod reader;
pub mod schema;
mod snippet;
mod sstable;
mod taskrows;
mod tasks;
mod top;
pub mod words;
mod writer;

use std::fs::{self, File};
use std::io::{Read, Seek, Write};
use std::os::unix::fs::OpenOptionsExt;

use crate::fsutil::write_atomic;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use tantivy::{IndexReader, ReloadPolicy};

pub use reader::{
    DocRef, Facts, Hit, MeetingFact, MeetingFilter, MeetingRead, MentionFact, SearchOpts, Snapshot,
};
pub use writer::{Changes, FileProblem, NoteChange, Plan, RefreshStats, Writer};

/// Errors from the index. Anything about a single note is a problem in
/// [`RefreshStats`], never an error here.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The index directory cannot be created or written.
    #[error(
        "cannot use index directory {path}: {cause} (choose another with --index-dir or RAPPORT_INDEX)"
    )]
    Dir {
        /// The directory.
        path: PathBuf,
        /// Why.
        cause: std::io::Error,
    },
    /// The index directory is inside the vault, or holds files rapport did
    /// not make: rapport writes into neither.
    #[error("{path} {why}; choose another index directory with --index-dir or RAPPORT_INDEX")]
    NotOurs {
        /// The directory.
        path: PathBuf,
        /// Why it is refused.
        why: &'static str,
    },
    /// Another process holds the writer lock.
    #[error(
        "another rapport is updating this index (pid {pid}); wait for it to finish, or stop `rapport watch`"
    )]
    Locked {
        /// Its pid, as it recorded it ("unknown" if unreadable).
        pid: String,
    },
    /// The vault folder is not usable.
    #[error("vault {path} is not a readable folder: {reason}")]
    Vault {
        /// The folder.
        path: PathBuf,
        /// Why.
        reason: String,
    },
    /// A search query that does not parse.
    #[error("cannot parse query: {0}")]
    Query(String),
    /// Anything tantivy reports.
    #[error("index error: {0}")]
    Tantivy(#[from] tantivy::TantivyError),
    /// I/O on the index directory.
    #[error("index I/O error in {path}: {cause}")]
    Io {
        /// Where.
        path: PathBuf,
        /// Why.
        cause: std::io::Error,
    },
}

/// Result alias for this module.
pub type Result<T> = std::result::Result<T, Error>;

/// What rapport stores beside the tantivy files.
#[derive(Debug, Serialize, Deserialize, PartialEq)]
struct Manifest {
    schema_version: u32,
    /// Other keys or ignore globs give other answers: rebuild.
    #[serde(default)]
    config_hash: u64,
    /// Notes parsed by other rules give other answers: rebuild.
    #[serde(default)]
    parser_version: u32,
    vault: String,
}

/// The default index directory for a vault: one per canonical vault path,
/// under the user's cache directory.
pub fn default_dir(vault: &Path) -> Option<PathBuf> {
    let dirs = directories::ProjectDirs::from("", "", "rapport")?;
    let canonical = vault.canonicalize().unwrap_or_else(|_| vault.to_path_buf());
    let text = canonical.to_string_lossy();
    // FNV-1a: stable across Rust releases, unlike std's hasher.
    let hash = text.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ b as u64).wrapping_mul(0x100_0000_01b3)
    });
    let base: String = canonical
        .file_name()
        .map(|n| {
            n.to_string_lossy()
                .chars()
                .filter(|c| c.is_alphanumeric() || *c == '-' || *c == '_')
                .take(40)
                .collect()
        })
        .unwrap_or_default();
    Some(
        dirs.cache_dir()
            .join("indexes")
            .join(format!("{base}-{hash:016x}")),
    )
}

/// The names rapport keeps in an index folder (the manifest's temporary
/// files start with `.rapport.json.`).
fn is_index_entry(name: &str) -> bool {
    matches!(
        name,
        "rapport.json" | "tantivy" | "writer.lock" | "watcher.lock"
    ) || name.starts_with(".rapport.json.")
}

/// Why an existing, non-empty folder is not a rapport index, if it is not:
/// it holds files rapport never makes, or a `rapport.json` that is not a
/// manifest (and no tantivy index beside it). rapport writes into neither.
fn foreign_folder(dir: &Path) -> Option<&'static str> {
    let entries = match fs::read_dir(dir) {
        Ok(e) => e,
        // Missing: rapport creates it. Not a folder, or unreadable: said
        // when it is used.
        Err(_) => return None,
    };
    let names: Vec<String> = entries
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    if names.iter().any(|n| !is_index_entry(n)) {
        return Some("is a folder that is not a rapport index (it holds other files)");
    }
    let manifest = dir.join("rapport.json");
    if manifest.exists() {
        let parses = fs::read(&manifest)
            .ok()
            .and_then(|b| serde_json::from_slice::<Manifest>(&b).ok())
            .is_some();
        if !parses && !dir.join("tantivy").join("meta.json").exists() {
            return Some("holds a rapport.json that is not a rapport index's");
        }
    }
    None
}

/// An open index: the tantivy index, its fields, and a reader.
pub struct Index {
    dir: PathBuf,
    vault: PathBuf,
    index: tantivy::Index,
    fields: schema::Fields,
    reader: IndexReader,
    opts: Opts,
    /// Set when the index had to be rebuilt while opening, with the reason.
    pub rebuilt: Option<String>,
}

/// What the configuration decides about indexing: which extra keys are read
/// and which paths are ignored. A change to these rebuilds the index.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Opts {
    /// Parser options.
    pub parse: crate::vault::ParseOpts,
    /// Globs of vault-relative paths to leave out.
    pub ignore: Vec<String>,
}

impl Opts {
    fn hash(&self) -> u64 {
        let text = format!(
            "{:?}|{:?}|{:?}",
            self.parse.attendee_keys, self.parse.project_keys, self.ignore
        );
        text.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
            (h ^ b as u64).wrapping_mul(0x100_0000_01b3)
        })
    }

    /// The ignore globs, compiled (bad globs were refused by the configuration).
    pub fn ignore_set(&self) -> globset::GlobSet {
        let mut b = globset::GlobSetBuilder::new();
        for g in &self.ignore {
            if let Ok(glob) = globset::GlobBuilder::new(g).literal_separator(true).build() {
                b.add(glob);
            }
        }
        b.build().unwrap_or_else(|_| globset::GlobSet::empty())
    }
}

impl Index {
    /// Opens the index for `vault` in `dir`, creating it if needed. An index
    /// of another schema version, or one that cannot be opened, is wiped and
    /// recreated (empty: the next refresh fills it); `rebuilt` says why.
    pub fn open(vault: &Path, dir: &Path) -> Result<Index> {
        Index::open_with(vault, dir, Opts::default())
    }

    /// [`Index::open`] with options from the configuration.
    pub fn open_with(vault: &Path, dir: &Path, opts: Opts) -> Result<Index> {
        let vault = vault.canonicalize().map_err(|e| Error::Vault {
            path: vault.to_path_buf(),
            reason: e.to_string(),
        })?;
        if !vault.is_dir() {
            return Err(Error::Vault {
                path: vault,
                reason: "not a folder".into(),
            });
        }
        // The index never lives in the vault: rapport does not write there.
        let absolute = std::path::absolute(dir).unwrap_or_else(|_| dir.to_path_buf());
        let resolved = absolute.ancestors().find_map(|a| {
            a.canonicalize()
                .ok()
                .map(|c| c.join(absolute.strip_prefix(a).unwrap_or(Path::new(""))))
        });
        if resolved.as_ref().is_some_and(|r| r.starts_with(&vault)) {
            return Err(Error::NotOurs {
                path: dir.to_path_buf(),
                why: "is inside the vault, and rapport never writes into the vault",
            });
        }
        if resolved.as_ref().is_some_and(|r| vault.starts_with(r)) {
            return Err(Error::NotOurs {
                path: dir.to_path_buf(),
                why: "contains the vault, and rapport never writes into the vault",
            });
        }
        if let Some(why) = foreign_folder(dir) {
            return Err(Error::NotOurs {
                path: dir.to_path_buf(),
                why,
            });
        }
        // The index holds private notes: every folder and file rapport makes
        // for it is the user's alone, and looser modes left by an older
        // rapport are tightened.
        let _umask = crate::fsutil::PrivateUmask::set();
        crate::fsutil::create_private_dir_all(dir).map_err(|cause| Error::Dir {
            path: dir.to_path_buf(),
            cause,
        })?;
        crate::fsutil::tighten(dir);
        let manifest = Manifest {
            schema_version: schema::SCHEMA_VERSION,
            parser_version: crate::vault::PARSER_VERSION,
            config_hash: opts.hash(),
            vault: vault.to_string_lossy().into_owned(),
        };
        let tantivy_dir = dir.join("tantivy");
        let stored: Option<Manifest> = fs::read(dir.join("rapport.json"))
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok());
        let mut reason = match &stored {
            None if tantivy_dir.join("meta.json").exists() => {
                Some("it has no manifest".to_string())
            }
            None => None,
            Some(m) if m.schema_version != schema::SCHEMA_VERSION => Some(format!(
                "it was built by another version of rapport (schema {} → {})",
                m.schema_version,
                schema::SCHEMA_VERSION
            )),
            Some(m) if m.parser_version != crate::vault::PARSER_VERSION => Some(format!(
                "notes are now read by newer rules (parser {} → {})",
                m.parser_version,
                crate::vault::PARSER_VERSION
            )),
            Some(m) if m.config_hash != manifest.config_hash => {
                Some("the configuration's keys or ignore globs changed".to_string())
            }
            Some(m) if m.vault != manifest.vault => {
                Some(format!("it belonged to another vault ({})", m.vault))
            }
            Some(_) => None,
        };
        if reason.is_none() && tantivy_dir.join("meta.json").exists() {
            match Self::open_tantivy(&tantivy_dir) {
                Ok((index, fields, reader)) => {
                    return Ok(Index {
                        dir: dir.to_path_buf(),
                        vault,
                        index,
                        fields,
                        reader,
                        opts,
                        rebuilt: None,
                    });
                }
                Err(e) => reason = Some(format!("it is damaged ({e})")),
            }
        }
        // Start afresh. Wiping needs the writer lock, so that we never pull
        // the files from under another rapport that is writing.
        // Only ever remove what rapport made: an index it has a manifest for,
        // or a tantivy index (a run killed before writing the manifest).
        let ours = stored.is_some()
            || tantivy_dir.join("meta.json").exists()
            || fs::read_dir(&tantivy_dir).map_or(true, |mut d| d.next().is_none());
        if !ours {
            return Err(Error::NotOurs {
                path: dir.to_path_buf(),
                why: "holds a 'tantivy' folder that rapport did not make",
            });
        }
        let lock = WriterLock::acquire(dir)?;
        if tantivy_dir.exists() {
            fs::remove_dir_all(&tantivy_dir).map_err(|cause| Error::Io {
                path: tantivy_dir.clone(),
                cause,
            })?;
        }
        fs::create_dir_all(&tantivy_dir).map_err(|cause| Error::Dir {
            path: tantivy_dir.clone(),
            cause,
        })?;
        let (schema, fields) = schema::build();
        let index = tantivy::Index::create_in_dir(&tantivy_dir, schema)?;
        schema::register_tokenizers(&index);
        write_atomic(
            &dir.join("rapport.json"),
            &serde_json::to_vec_pretty(&manifest).unwrap_or_default(),
        )
        .map_err(|cause| Error::Dir {
            path: dir.to_path_buf(),
            cause,
        })?;
        drop(lock);
        crate::fsutil::tighten(dir);
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .doc_store_cache_num_blocks(8)
            .try_into()?;
        Ok(Index {
            dir: dir.to_path_buf(),
            vault,
            index,
            fields,
            reader,
            opts,
            rebuilt: reason,
        })
    }

    fn open_tantivy(dir: &Path) -> Result<(tantivy::Index, schema::Fields, IndexReader)> {
        let index = if crate::fsutil::writable(dir) {
            tantivy::Index::open_in_dir(dir)?
        } else {
            // tantivy takes a lock file to read the last commit; in a folder
            // nobody can write, nobody commits, so read without it.
            let mmap = tantivy::directory::MmapDirectory::open(dir)
                .map_err(|e| Error::Tantivy(e.into()))?;
            tantivy::Index::open(ReadOnlyDir(mmap))?
        };
        let (schema, fields) = schema::build();
        if index.schema() != schema {
            return Err(Error::Query("schema differs".into()));
        }
        schema::register_tokenizers(&index);
        let reader: IndexReader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .doc_store_cache_num_blocks(8)
            .try_into()?;
        // Touch every segment's fast fields once so that a missing or
        // truncated file shows up now, not halfway through an answer.
        let searcher = reader.searcher();
        for seg in searcher.segment_readers() {
            seg.fast_fields().str("path")?;
            seg.fast_fields().u64("size")?;
            seg.get_store_reader(1)
                .map_err(|e| Error::Tantivy(e.into()))?;
        }
        Ok((index, fields, reader))
    }

    /// Throws the index away and recreates it empty.
    pub fn wipe(self) -> Result<Index> {
        let self_opts = self.opts.clone();
        let (vault, dir) = (self.vault.clone(), self.dir.clone());
        let lock = WriterLock::acquire(&dir)?;
        drop(self);
        let _ = fs::remove_file(dir.join("rapport.json"));
        let tantivy_dir = dir.join("tantivy");
        if tantivy_dir.exists() {
            fs::remove_dir_all(&tantivy_dir).map_err(|cause| Error::Io {
                path: tantivy_dir.clone(),
                cause,
            })?;
        }
        drop(lock);
        let mut index = Index::open_with(&vault, &dir, self_opts)?;
        index.rebuilt = None;
        Ok(index)
    }

    /// The vault this index belongs to (canonical path).
    pub fn vault(&self) -> &Path {
        &self.vault
    }

    /// The options it was opened with.
    pub fn opts(&self) -> &Opts {
        &self.opts
    }

    /// The index directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// A consistent view of the last commit, for answering questions.
    pub fn snapshot(&self) -> Snapshot {
        Snapshot::new(
            self.reader.searcher(),
            self.fields.clone(),
            self.index.clone(),
            self.vault.clone(),
        )
    }

    /// The refresh every query does first. A vault that matches the index
    /// takes no lock at all (so queries never stand in the way of
    /// `index --rebuild`); while another rapport holds the writer, or when
    /// the index folder cannot be written, the answer comes from the last
    /// commit — in the second case with a warning to print. With `must` (a
    /// rebuild is due) the writer is required.
    ///
    /// With `walk`, the vault is walked even while `rapport watch` keeps
    /// the index fresh, and what the walk found (files that cannot be read)
    /// is in the stats whether or not the index could be written: `check`
    /// reports it.
    pub fn refresh_for_query(
        &self,
        must: bool,
        walk: bool,
        progress: &(dyn Fn(usize, usize) + Sync),
    ) -> Result<(RefreshStats, Option<String>)> {
        if must {
            let mut w = self.writer_waiting(LOCK_WAIT)?;
            return Ok((w.refresh(self, false, progress)?, None));
        }
        // While `rapport watch` runs, it owns the writer and writes every
        // change it is told of: a stat pass here could only find what it is
        // about to write, and could not write it (the answer would come
        // from the last commit all the same). Skipped, a query on a large
        // vault answers in its own time, not the vault's.
        if !walk && self.watched() {
            tracing::debug!("refresh left to the running `rapport watch`");
            self.reload()?;
            return Ok((RefreshStats::default(), None));
        }
        // The commit on disk first, then the reader at least that far: a
        // commit after this is noticed below.
        let opstamp = self.index.load_metas()?.opstamp;
        self.reload()?;
        let plan = Plan::new(self, false)?;
        if plan.is_empty() {
            return Ok((plan.unchanged(), None));
        }
        if !crate::fsutil::writable(&self.dir)
            || !crate::fsutil::writable(&self.dir.join("tantivy"))
        {
            return Ok((
                plan.walked(),
                Some(format!(
                    "cannot update the index at {} (it is not writable); answering from its last update",
                    self.dir.display()
                )),
            ));
        }
        match self.writer() {
            Ok(mut w) => {
                // Another rapport may have committed since the plan was
                // made: then look again, from its commit.
                let plan = if self.index.load_metas()?.opstamp == opstamp {
                    plan
                } else {
                    self.reload()?;
                    Plan::new(self, false)?
                };
                Ok((w.carry_out(self, plan, progress)?, None))
            }
            Err(Error::Locked { .. }) => Ok((plan.walked(), None)),
            Err(e) => Err(e),
        }
    }

    /// Takes the writer lock, waiting up to `wait` for a short-lived holder
    /// (a query's refresh) to finish; then says who holds it.
    pub fn writer_waiting(&self, wait: std::time::Duration) -> Result<Writer> {
        let lock = WriterLock::acquire_waiting(&self.dir, wait)?;
        Writer::new(self, lock, false)
    }

    /// Takes the writer lock, or says who holds it.
    pub fn writer(&self) -> Result<Writer> {
        let lock = WriterLock::acquire(&self.dir)?;
        Writer::new(self, lock, false)
    }

    /// Like [`Index::writer`], sized for many small commits (the watcher).
    pub fn batch_writer(&self) -> Result<Writer> {
        let lock = WriterLock::acquire(&self.dir)?;
        Writer::new(self, lock, true)
    }

    /// Marks the index as kept fresh by this process (`rapport watch`,
    /// which holds the writer) until the mark is dropped: queries then skip
    /// their own refresh (see [`Index::refresh_for_query`]).
    pub fn mark_watched(&self) -> Result<WatcherMark> {
        let (file, path) = lock_file(&self.dir, WATCHER_LOCK)?;
        // A query that looks for the mark holds a shared lock for a moment;
        // anyone else holding it is a watcher that has lost the writer
        // lock and not yet exited. Either lets go soon.
        let pause = std::time::Duration::from_millis(5);
        lock_retrying(&file, &path, pause, |waited| {
            (waited >= std::time::Duration::from_millis(500)).then(|| Error::Locked {
                pid: "unknown: another watcher is stopping".into(),
            })
        })?;
        Ok(WatcherMark { _file: file })
    }

    /// True while a `rapport watch` holds the index's mark. The OS lets go
    /// of the lock when the watcher exits, however it exits, so a stale
    /// file never says a watcher runs.
    fn watched(&self) -> bool {
        let Ok(file) = File::open(self.dir.join(WATCHER_LOCK)) else {
            return false;
        };
        // A shared lock is refused only while the watcher holds its own;
        // taken, it is let go at once (and never stands in a writer's way:
        // the writer's lock is another file).
        matches!(file.try_lock_shared(), Err(fs::TryLockError::WouldBlock))
    }

    /// Sees the latest commit (after this or another process wrote).
    pub fn reload(&self) -> Result<()> {
        Ok(self.reader.reload()?)
    }
}

/// An index folder this process cannot write: reads as usual, and takes
/// tantivy's locks as no-ops (no one can commit in it).
#[derive(Clone, Debug)]
struct ReadOnlyDir(tantivy::directory::MmapDirectory);

impl tantivy::Directory for ReadOnlyDir {
    fn get_file_handle(
        &self,
        path: &Path,
    ) -> std::result::Result<
        std::sync::Arc<dyn tantivy::directory::FileHandle>,
        tantivy::directory::error::OpenReadError,
    > {
        self.0.get_file_handle(path)
    }
    fn delete(
        &self,
        path: &Path,
    ) -> std::result::Result<(), tantivy::directory::error::DeleteError> {
        self.0.delete(path)
    }
    fn exists(
        &self,
        path: &Path,
    ) -> std::result::Result<bool, tantivy::directory::error::OpenReadError> {
        self.0.exists(path)
    }
    fn open_write(
        &self,
        path: &Path,
    ) -> std::result::Result<tantivy::directory::WritePtr, tantivy::directory::error::OpenWriteError>
    {
        self.0.open_write(path)
    }
    fn atomic_read(
        &self,
        path: &Path,
    ) -> std::result::Result<Vec<u8>, tantivy::directory::error::OpenReadError> {
        self.0.atomic_read(path)
    }
    fn atomic_write(&self, path: &Path, data: &[u8]) -> std::io::Result<()> {
        self.0.atomic_write(path, data)
    }
    fn sync_directory(&self) -> std::io::Result<()> {
        self.0.sync_directory()
    }
    fn watch(
        &self,
        cb: tantivy::directory::WatchCallback,
    ) -> tantivy::Result<tantivy::directory::WatchHandle> {
        self.0.watch(cb)
    }
    fn acquire_lock(
        &self,
        _lock: &tantivy::directory::Lock,
    ) -> std::result::Result<tantivy::directory::DirectoryLock, tantivy::directory::error::LockError>
    {
        Ok(tantivy::directory::DirectoryLock::from(Box::new(())))
    }
}

/// The inter-process writer lock: an OS file lock on `writer.lock`, which
/// the OS releases when the process dies, so a crash never leaves it stuck.
pub struct WriterLock {
    file: File,
}

impl WriterLock {
    /// Acquires the lock without waiting (beyond a moment to read the
    /// holder's pid).
    pub fn acquire(dir: &Path) -> Result<WriterLock> {
        Self::acquire_waiting(dir, std::time::Duration::ZERO)
    }

    /// Acquires the lock, retrying for up to `wait` while another process
    /// holds it. The refusal names the holder's pid, or says why it cannot.
    pub fn acquire_waiting(dir: &Path, wait: std::time::Duration) -> Result<WriterLock> {
        let (mut file, path) = lock_file(dir, "writer.lock")?;
        // A holder records its pid just after locking and blanks it just
        // before unlocking: give a moment for either to happen.
        let patience = wait.max(std::time::Duration::from_millis(200));
        let mut pid = String::new();
        let pause = std::time::Duration::from_millis(20);
        lock_retrying(&file, &path, pause, |waited| {
            pid.clear();
            let _ = (&file).rewind();
            let _ = (&file).read_to_string(&mut pid);
            let pid = pid.trim();
            (waited >= patience || (!pid.is_empty() && waited >= wait)).then(|| Error::Locked {
                pid: if pid.is_empty() {
                    "unknown: the holder has not recorded it".into()
                } else {
                    pid.to_string()
                },
            })
        })?;
        // Written in place at a fixed width, so a reader never sees the file
        // empty or half-written while we hold it.
        let _ = file.set_len(PID_WIDTH as u64);
        let _ = file.rewind();
        let _ = write!(file, "{:<width$}", std::process::id(), width = PID_WIDTH);
        let _ = file.flush();
        Ok(WriterLock { file })
    }
}

/// Opens (or makes, private to the user) the lock file `name` of the index
/// folder `dir`, with its path.
fn lock_file(dir: &Path, name: &str) -> Result<(File, PathBuf)> {
    let path = dir.join(name);
    let file = fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .mode(0o600)
        .open(&path)
        .map_err(|cause| Error::Dir {
            path: dir.to_path_buf(),
            cause,
        })?;
    Ok((file, path))
}

/// Takes the exclusive lock on `file` (at `path`), trying again every
/// `pause` while another process holds it, until `refuse(waited)` gives the
/// error to return.
fn lock_retrying(
    file: &File,
    path: &Path,
    pause: std::time::Duration,
    mut refuse: impl FnMut(std::time::Duration) -> Option<Error>,
) -> Result<()> {
    let started = std::time::Instant::now();
    loop {
        match file.try_lock() {
            Ok(()) => return Ok(()),
            Err(fs::TryLockError::WouldBlock) => {
                if let Some(e) = refuse(started.elapsed()) {
                    return Err(e);
                }
                std::thread::sleep(pause);
            }
            Err(fs::TryLockError::Error(cause)) => {
                return Err(Error::Io {
                    path: path.to_path_buf(),
                    cause,
                });
            }
        }
    }
}

/// The file `rapport watch` holds a lock on while it keeps the index fresh.
const WATCHER_LOCK: &str = "watcher.lock";

/// See [`Index::mark_watched`]; the lock goes with the file when dropped.
pub struct WatcherMark {
    _file: File,
}

/// Width of the pid field in `writer.lock`.
const PID_WIDTH: usize = 12;

/// How long a command that must write waits for a short-lived holder.
pub const LOCK_WAIT: std::time::Duration = std::time::Duration::from_secs(5);

impl Drop for WriterLock {
    fn drop(&mut self) {
        let _ = self.file.rewind();
        let _ = write!(self.file, "{:<width$}", "", width = PID_WIDTH);
        let _ = self.file.flush();
        let _ = self.file.unlock();
    }
}

/// A vault in a temporary folder with `files` (path in the vault, text)
/// written in it, folders made as needed, and its index beside it, not
/// refreshed yet.
#[cfg(test)]
pub(crate) fn temp_vault(files: &[(&str, &str)]) -> (tempfile::TempDir, PathBuf, Index) {
    let dir = tempfile::tempdir().unwrap();
    let vault = dir.path().join("vault");
    std::fs::create_dir_all(&vault).unwrap();
    for (path, text) in files {
        let file = vault.join(path);
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(file, text).unwrap();
    }
    let index = Index::open(&vault, &dir.path().join("index")).unwrap();
    (dir, vault, index)
}

/// Brings `index` up to date with its vault (a commit: a segment when
/// anything changed) and gives a snapshot of it: the tests' one step.
#[cfg(test)]
pub(crate) fn refreshed(index: &Index) -> Snapshot {
    index
        .writer()
        .unwrap()
        .refresh(index, false, &|_, _| {})
        .unwrap();
    index.reload().unwrap();
    index.snapshot()
}

#[cfg(test)]
mod tests {
    /// A query's refresh says whether it walked the vault (the allocator's
    /// settings for the answer depend on it): it walks unless a running
    /// `rapport watch` keeps the index fresh, and always when asked to
    /// walk (`check`).
    #[test]
    fn a_refresh_left_to_a_watcher_walks_nothing() {
        let (_dir, _, index) = super::temp_vault(&[("a.md", "# A\n")]);
        let quiet = |_: usize, _: usize| {};
        let refresh = |walk| index.refresh_for_query(false, walk, &quiet).unwrap().0;
        let first = refresh(false);
        assert!(first.walked);
        assert_eq!((first.scanned, first.added), (1, 1));
        // Nothing changed: still walked, to find that out.
        assert!(refresh(false).walked);
        let mark = index.mark_watched().unwrap();
        let left = refresh(false);
        assert!(!left.walked);
        assert_eq!(left.scanned, 0);
        assert!(refresh(true).walked);
        drop(mark);
        assert!(refresh(false).walked);
    }
}
