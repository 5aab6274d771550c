//! File-system helpers shared by the index and the checklist writer.
//!
//! rapport runs on machines where other users (or their processes) may
//! share a folder with its output files or its cache. Everything here exists
//! so that no file rapport writes can be redirected (a planted symbolic link,
//! a FIFO, a device), read by someone else (the index holds private notes) or
//! overwritten when it is not rapport's.

use std::fs;
use std::io::{Read, Write};
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

/// Writes a file atomically: a temporary file with a random name created
/// with `O_CREAT|O_EXCL` in the same folder (so never through a planted
/// link), synced, then renamed over the target. A crash leaves the old file
/// or the new one, never half of one. A replaced file keeps its permission
/// bits; a new one is private to the user (0600).
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    write_atomic_with(path, |out| out.write_all(bytes))
}

/// [`write_atomic`] with the contents written by `write` as they are made
/// (an export of a large vault is not held whole in memory first). When
/// `write` fails, the target is left as it was.
pub fn write_atomic_with(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mode = fs::symlink_metadata(path)
        .ok()
        .filter(|m| m.file_type().is_file())
        .map(|m| m.permissions().mode() & 0o7777);
    let mut tmp = tempfile::Builder::new()
        .prefix(&format!(".{name}."))
        .suffix(".rapport.tmp")
        .tempfile_in(dir)?;
    if let Some(mode) = mode {
        tmp.as_file()
            .set_permissions(fs::Permissions::from_mode(mode))?;
    }
    {
        let mut out = std::io::BufWriter::with_capacity(1 << 16, tmp.as_file_mut());
        write(&mut out)?;
        out.flush()?;
    }
    tmp.as_file().sync_all()?;
    // On failure the temporary file is removed when `tmp` drops.
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// Why a path cannot be an output file (`--out`, `--ics`).
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum OutputError {
    /// A folder.
    #[error("{0} is a folder, not a file")]
    Folder(String),
    /// A symbolic link: rapport never writes through one.
    #[error("{0} is a symbolic link; rapport never writes through links (give the real path)")]
    Link(String),
    /// A FIFO, socket or device.
    #[error("{0} is not a regular file (a FIFO, socket or device)")]
    Special(String),
    /// Both outputs name one file.
    #[error("--out and --ics name the same file {0}")]
    Same(String),
    /// Something else (permissions on the folder, ...).
    #[error("cannot look at {path}: {cause}")]
    Other {
        /// The path.
        path: String,
        /// The system's reason (said once).
        cause: String,
    },
}

/// Checks, without opening or reading it, that `path` is a place rapport may
/// write an output file: a regular file or a new path. Folders, links,
/// FIFOs, sockets and devices are refused.
pub fn check_output(path: &Path) -> Result<(), OutputError> {
    let shown = path.display().to_string();
    match fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_file() => Ok(()),
        Ok(m) if m.file_type().is_dir() => Err(OutputError::Folder(shown)),
        Ok(m) if m.file_type().is_symlink() => Err(OutputError::Link(shown)),
        Ok(_) => Err(OutputError::Special(shown)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(OutputError::Other {
            path: shown,
            cause: e.to_string(),
        }),
    }
}

/// Checks both output files of `followups`, and that they differ.
pub fn check_outputs(out: Option<&Path>, ics: Option<&Path>) -> Result<(), OutputError> {
    for p in out.iter().chain(ics.iter()) {
        check_output(p)?;
    }
    if let (Some(a), Some(b)) = (out, ics)
        && same_path(a, b)
    {
        return Err(OutputError::Same(a.display().to_string()));
    }
    Ok(())
}

/// True when two paths name the same file (the same absolute path once
/// their folders are resolved, or the same existing file).
pub fn same_path(a: &Path, b: &Path) -> bool {
    let resolve = |p: &Path| -> PathBuf {
        let abs = std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
        match (
            abs.parent().and_then(|d| d.canonicalize().ok()),
            abs.file_name(),
        ) {
            (Some(d), Some(n)) => d.join(n),
            _ => abs,
        }
    };
    if resolve(a) == resolve(b) {
        return true;
    }
    use std::os::unix::fs::MetadataExt;
    match (fs::metadata(a), fs::metadata(b)) {
        (Ok(x), Ok(y)) => x.dev() == y.dev() && x.ino() == y.ino(),
        _ => false,
    }
}

/// Reads at most `max` bytes of a regular file without following a link and
/// without blocking on a FIFO: `Ok(None)` when it does not exist; an error
/// for anything that is not a regular file. The flag says whether the file
/// is longer than `max`.
pub fn read_regular(path: &Path, max: u64) -> std::io::Result<Option<(Vec<u8>, bool)>> {
    let file = match fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK)
        .open(path)
    {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e),
    };
    if !file.metadata()?.file_type().is_file() {
        return Err(std::io::Error::other("not a regular file"));
    }
    let mut buf = Vec::new();
    file.take(max + 1).read_to_end(&mut buf)?;
    let longer = buf.len() as u64 > max;
    buf.truncate(max as usize);
    Ok(Some((buf, longer)))
}

/// True when this process may create files in the folder `dir` (its
/// permissions allow it and the file system is not read-only).
pub fn writable(dir: &Path) -> bool {
    use std::os::unix::ffi::OsStrExt;
    let Ok(c) = std::ffi::CString::new(dir.as_os_str().as_bytes()) else {
        return false;
    };
    // SAFETY: a valid C string; access only reads it.
    unsafe { libc::access(c.as_ptr(), libc::W_OK | libc::X_OK) == 0 }
}

/// Creates `path` and any missing parents with mode 0700: folders rapport
/// makes for its index are private to the user.
pub fn create_private_dir_all(path: &Path) -> std::io::Result<()> {
    fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(path)
}

/// Removes group and other permissions from `dir` and everything under it
/// (folders 0700, files 0600 at most). Best effort: a file that cannot be
/// changed (someone else's) is left as it is. Symbolic links are not
/// followed.
pub fn tighten(dir: &Path) {
    fn walk(path: &Path, depth: usize) {
        let Ok(meta) = fs::symlink_metadata(path) else {
            return;
        };
        let ty = meta.file_type();
        if ty.is_symlink() {
            return;
        }
        let mode = meta.permissions().mode();
        if mode & 0o077 != 0 {
            let _ = fs::set_permissions(path, fs::Permissions::from_mode(mode & 0o7700));
        }
        if ty.is_dir()
            && depth < 8
            && let Ok(entries) = fs::read_dir(path)
        {
            for e in entries.flatten() {
                walk(&e.path(), depth + 1);
            }
        }
    }
    walk(dir, 0);
}

/// While alive, files and folders this process creates get no group or
/// other permissions (umask 077): tantivy creates the index's files itself,
/// so the mask is the only way to have them private from the start.
pub struct PrivateUmask {
    old: libc::mode_t,
}

impl PrivateUmask {
    /// Sets the mask; the previous one comes back on drop.
    pub fn set() -> PrivateUmask {
        // SAFETY: umask only swaps the process's file-creation mask.
        let old = unsafe { libc::umask(0o077) };
        PrivateUmask { old }
    }
}

impl Drop for PrivateUmask {
    fn drop(&mut self) {
        // SAFETY: as above.
        unsafe {
            libc::umask(self.old);
        }
    }
}

/// Shortens a file stem so that `stem` + a `" (NNN)"` suffix + `ext` fit in
/// 255 bytes (the limit of common file systems), cutting on a character
/// boundary and keeping the start (a date prefix).
pub fn fit_file_stem(stem: &str, ext: &str) -> String {
    const MAX: usize = 255;
    let room = MAX.saturating_sub(ext.len() + " (999)".len());
    if stem.len() <= room {
        return stem.to_string();
    }
    let mut end = room;
    while !stem.is_char_boundary(end) {
        end -= 1;
    }
    stem[..end].trim_end().to_string()
}

/// The folder `rel` of the vault, refused when it resolves (through a
/// symbolic link or `..`) outside the vault. The folder need not exist yet:
/// its nearest existing ancestor is checked.
pub fn folder_in_vault(vault: &Path, rel: &str) -> Result<PathBuf, String> {
    let root = vault
        .canonicalize()
        .map_err(|e| format!("cannot resolve the vault {}: {e}", vault.display()))?;
    let dir = root.join(rel);
    let existing = dir
        .ancestors()
        .find_map(|a| a.canonicalize().ok().map(|c| (a.to_path_buf(), c)));
    let inside = match existing {
        Some((a, c)) => {
            let rest = dir.strip_prefix(&a).unwrap_or(Path::new(""));
            c.starts_with(&root)
                && !rest
                    .components()
                    .any(|p| matches!(p, std::path::Component::ParentDir))
        }
        None => false,
    };
    if inside {
        Ok(dir)
    } else {
        Err(format!(
            "the folder '{rel}' resolves outside the vault {}; rapport only writes notes inside the vault",
            root.display()
        ))
    }
}

/// A relative path from folder `from` to `to` (both absolute), with `/`.
pub fn relative(from: &Path, to: &Path) -> String {
    let f: Vec<_> = from.components().collect();
    let t: Vec<_> = to.components().collect();
    let common = f.iter().zip(&t).take_while(|(a, b)| a == b).count();
    let mut parts: Vec<String> = std::iter::repeat_n("..".to_string(), f.len() - common).collect();
    parts.extend(
        t[common..]
            .iter()
            .map(|c| c.as_os_str().to_string_lossy().into_owned()),
    );
    parts.join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths() {
        assert_eq!(relative(Path::new("/v"), Path::new("/v/a/b.md")), "a/b.md");
        assert_eq!(
            relative(Path::new("/v/out"), Path::new("/v/a/b.md")),
            "../a/b.md"
        );
        assert_eq!(
            relative(Path::new("/x/y"), Path::new("/v/b.md")),
            "../../v/b.md"
        );
    }

    /// A write that fails half-way (an export whose index read fails)
    /// leaves the old file whole and no temporary file.
    #[test]
    fn a_failed_streamed_write_leaves_the_old_file() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("out.ndjson");
        write_atomic(&p, b"old").unwrap();
        let failed = write_atomic_with(&p, |out| {
            out.write_all(&vec![b'x'; 200_000])?;
            Err(std::io::Error::other("the index went away"))
        });
        assert!(failed.is_err());
        assert_eq!(fs::read(&p).unwrap(), b"old");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
        write_atomic_with(&p, |out| {
            out.write_all(b"new ")?;
            out.write_all(b"lines")
        })
        .unwrap();
        assert_eq!(fs::read(&p).unwrap(), b"new lines");
    }

    #[test]
    fn atomic_write_replaces() {
        let dir = std::env::temp_dir().join(format!("rapport-fsutil-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        let p = dir.join("f.md");
        write_atomic(&p, b"one").unwrap();
        write_atomic(&p, b"two").unwrap();
        assert_eq!(fs::read(&p).unwrap(), b"two");
        assert_eq!(
            fs::read_dir(&dir).unwrap().count(),
            1,
            "no temporary file left behind"
        );
        fs::remove_dir_all(&dir).unwrap();
    }
}
