//! Creating the planned notes: only new files, each written whole or not at
//! all, only inside the folders the configuration names.
//!
//! A note is written to a temporary file in its folder, synced, then
//! hard-linked to its name: the link fails if the name exists, so an
//! existing note can never be replaced, and a crash leaves either no note or
//! the whole note. (Where hard links are not supported, the file is created
//! with `O_EXCL` and written in place.)

use std::fs::{self, OpenOptions};
use std::io::{ErrorKind, Write};
use std::path::{Component, Path};

use super::plan::Created;

/// A note that could not be written.
#[derive(Debug, thiserror::Error)]
#[error("{path}: {message}")]
pub struct WriteError {
    /// The vault-relative path.
    pub path: String,
    /// Why.
    pub message: String,
}

/// True when `rel` is a plain relative path inside one of `folders`.
fn inside(rel: &str, folders: &[&str]) -> bool {
    let p = Path::new(rel);
    let plain = p.components().all(|c| matches!(c, Component::Normal(_)));
    let hidden = rel.split('/').any(|part| part.starts_with('.'));
    plain
        && !hidden
        && folders.iter().any(|f| {
            let f = f.trim_matches('/');
            !f.is_empty() && p.parent() == Some(Path::new(f))
        })
}

fn with_suffix(rel: &str, n: u32) -> String {
    match rel.strip_suffix(".md") {
        Some(stem) if n > 1 => format!("{stem} ({n}).md"),
        _ => rel.to_string(),
    }
}

/// Writes one new file; `Ok(false)` when the name is taken.
fn create(target: &Path, text: &[u8]) -> std::io::Result<bool> {
    let dir = target.parent().unwrap_or(Path::new("."));
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.rapport-import-{}.tmp", std::process::id()));
    let written = (|| {
        let mut f = OpenOptions::new().write(true).create_new(true).open(&tmp)?;
        f.write_all(text)?;
        f.sync_all()
    })();
    if let Err(e) = written {
        let _ = fs::remove_file(&tmp);
        return Err(e);
    }
    let linked = fs::hard_link(&tmp, target);
    let _ = fs::remove_file(&tmp);
    match linked {
        Ok(()) => Ok(true),
        Err(e) if e.kind() == ErrorKind::AlreadyExists => Ok(false),
        Err(_) => {
            // No hard links here (some network and FAT file systems).
            match OpenOptions::new().write(true).create_new(true).open(target) {
                Ok(mut f) => {
                    f.write_all(text)?;
                    f.sync_all()?;
                    Ok(true)
                }
                Err(e) if e.kind() == ErrorKind::AlreadyExists => Ok(false),
                Err(e) => Err(e),
            }
        }
    }
}

/// Writes every planned note under `vault`, each inside one of `folders`,
/// never over an existing file (a name taken meanwhile gets ` (2)`…).
/// Updates each note's path to where it was written and returns the
/// notes that could not be written.
pub fn write(vault: &Path, folders: &[&str], created: &mut Vec<Created>) -> Vec<WriteError> {
    let mut errors = Vec::new();
    created.retain_mut(|c| {
        if !inside(&c.path, folders) {
            errors.push(WriteError {
                path: c.path.clone(),
                message: "outside the configured folders; not written".into(),
            });
            return false;
        }
        if let Some(dir) = vault.join(&c.path).parent()
            && let Err(e) = fs::create_dir_all(dir)
        {
            errors.push(WriteError {
                path: c.path.clone(),
                message: format!("cannot create the folder: {e}"),
            });
            return false;
        }
        for n in 1..1000 {
            let rel = with_suffix(&c.path, n);
            match create(&vault.join(&rel), c.text.as_bytes()) {
                Ok(true) => {
                    c.path = rel;
                    return true;
                }
                Ok(false) => continue,
                Err(e) => {
                    errors.push(WriteError {
                        path: rel,
                        message: format!("cannot write: {e}"),
                    });
                    return false;
                }
            }
        }
        errors.push(WriteError {
            path: c.path.clone(),
            message: "too many notes with this name".into(),
        });
        false
    });
    errors
}

#[cfg(test)]
mod tests {
    use super::*;

    fn note(path: &str, text: &str) -> Created {
        Created {
            path: path.into(),
            kind: "meeting",
            uid: "u".into(),
            date: None,
            title: "t".into(),
            attendees: Vec::new(),
            text: text.into(),
        }
    }

    #[test]
    fn never_overwrites_and_stays_inside() {
        let dir = tempfile_dir();
        fs::create_dir_all(dir.join("meetings")).unwrap();
        fs::write(dir.join("meetings/a.md"), "mine").unwrap();
        let mut notes = vec![
            note("meetings/a.md", "new"),
            note("../escape.md", "x"),
            note("meetings/../../escape.md", "x"),
            note("other/b.md", "x"),
            note("meetings/.hidden.md", "x"),
        ];
        let errors = write(&dir, &["meetings"], &mut notes);
        assert_eq!(errors.len(), 4, "{errors:?}");
        assert_eq!(notes.len(), 1);
        assert_eq!(notes[0].path, "meetings/a (2).md");
        assert_eq!(
            fs::read_to_string(dir.join("meetings/a.md")).unwrap(),
            "mine"
        );
        assert_eq!(
            fs::read_to_string(dir.join("meetings/a (2).md")).unwrap(),
            "new"
        );
        assert_eq!(fs::read_dir(dir.join("meetings")).unwrap().count(), 2);
        fs::remove_dir_all(&dir).unwrap();
    }

    fn tempfile_dir() -> std::path::PathBuf {
        let d = std::env::temp_dir().join(format!("rapport-import-write-{}", std::process::id()));
        let _ = fs::remove_dir_all(&d);
        fs::create_dir_all(&d).unwrap();
        d
    }
}
