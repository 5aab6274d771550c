//! The index: a tantivy cache of the vault, kept outside it.
//!
//! This is the only module that knows tantivy. The index can always be
//! thrown away and rebuilt from the notes, so every problem with it (another
//! schema version, damaged files) is answered by rebuilding, with one line
//! saying so. One process writes at a time, guarded by a lock file that
//! records its pid; readers are never blocked.

mod diff;
mod reader;
pub mod schema;
mod snippet;
mod writer;

use std::fs::{self, File};
use std::io::{Read, Seek, Write};

use crate::fsutil::write_atomic;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use tantivy::{IndexReader, ReloadPolicy};

pub use reader::{
    DocRef, Facts, Hit, MeetingFact, MeetingFilter, MentionFact, SearchOpts, Snapshot,
};
pub use writer::{Changes, FileProblem, NoteChange, RefreshStats, Writer};

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
        if resolved.is_some_and(|r| r.starts_with(&vault)) {
            return Err(Error::NotOurs {
                path: dir.to_path_buf(),
                why: "is inside the vault, and rapport never writes into the vault",
            });
        }
        fs::create_dir_all(dir).map_err(|cause| Error::Dir {
            path: dir.to_path_buf(),
            cause,
        })?;
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
        let index = tantivy::Index::open_in_dir(dir)?;
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

    /// Sees the latest commit (after this or another process wrote).
    pub fn reload(&self) -> Result<()> {
        Ok(self.reader.reload()?)
    }
}

/// The inter-process writer lock: an OS file lock on `writer.lock`, which
/// the OS releases when the process dies, so a crash never leaves it stuck.
pub struct WriterLock {
    file: File,
}

impl WriterLock {
    /// Acquires the lock without waiting.
    pub fn acquire(dir: &Path) -> Result<WriterLock> {
        let path = dir.join("writer.lock");
        let mut file = fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(|cause| Error::Dir {
                path: dir.to_path_buf(),
                cause,
            })?;
        match file.try_lock() {
            Ok(()) => {}
            Err(fs::TryLockError::WouldBlock) => {
                let mut pid = String::new();
                let _ = file.read_to_string(&mut pid);
                let pid = pid.trim().to_string();
                return Err(Error::Locked {
                    pid: if pid.is_empty() {
                        "unknown".into()
                    } else {
                        pid
                    },
                });
            }
            Err(fs::TryLockError::Error(cause)) => return Err(Error::Io { path, cause }),
        }
        let _ = file.set_len(0);
        let _ = file.rewind();
        let _ = write!(file, "{}", std::process::id());
        let _ = file.flush();
        Ok(WriterLock { file })
    }
}

impl Drop for WriterLock {
    fn drop(&mut self) {
        let _ = self.file.set_len(0);
        let _ = self.file.unlock();
    }
}
