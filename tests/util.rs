//! Helpers for integration tests: a temporary vault with its own index
//! directory, and the real `rapport` binary pointed at both.

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use tempfile::TempDir;

/// A vault in a temporary folder and an index outside it.
pub struct Vault {
    pub root: TempDir,
    pub index: TempDir,
}

impl Vault {
    pub fn new() -> Vault {
        Vault {
            root: tempfile::tempdir().unwrap(),
            index: tempfile::tempdir().unwrap(),
        }
    }

    /// A copy of a folder (e.g. `example-vault`, a shared vault).
    pub fn copy_of(src: &Path) -> Vault {
        let v = Vault::new();
        copy_dir(src, v.path());
        v
    }

    pub fn path(&self) -> &Path {
        self.root.path()
    }

    pub fn index_dir(&self) -> PathBuf {
        self.index.path().join("idx")
    }

    /// Writes a note (creating folders).
    pub fn write(&self, rel: &str, text: &str) -> PathBuf {
        let p = self.path().join(rel);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(&p, text).unwrap();
        p
    }

    /// `rapport --vault V` with the index in the test's own folder.
    pub fn cmd(&self) -> Command {
        let mut c = Command::cargo_bin("rapport").unwrap();
        c.arg("--vault").arg(self.path());
        c.env("RAPPORT_INDEX", self.index_dir());
        c.env_remove("RAPPORT_VAULT");
        c.env("NO_COLOR", "1");
        c.timeout(std::time::Duration::from_secs(120));
        c
    }

    /// Runs with `args`, expects success, returns stdout.
    pub fn ok(&self, args: &[&str]) -> String {
        let out = self.cmd().args(args).output().unwrap();
        assert!(
            out.status.success(),
            "rapport {args:?} failed: {}\n{}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    /// Runs with `--json` and `args`, expects exit 0 or 1, parses stdout.
    pub fn json(&self, args: &[&str]) -> serde_json::Value {
        let out = self.cmd().arg("--json").args(args).output().unwrap();
        let code = out.status.code().unwrap_or(-1);
        assert!(
            code == 0 || code == 1,
            "rapport --json {args:?} exited {code}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
            panic!(
                "bad JSON from {args:?}: {e}\n{}",
                String::from_utf8_lossy(&out.stdout)
            )
        })
    }
}

pub fn copy_dir(src: &Path, dst: &Path) {
    fs::create_dir_all(dst).unwrap();
    for entry in fs::read_dir(src).unwrap() {
        let entry = entry.unwrap();
        let to = dst.join(entry.file_name());
        let ty = entry.file_type().unwrap();
        if ty.is_dir() {
            copy_dir(&entry.path(), &to);
        } else if ty.is_file() {
            fs::copy(entry.path(), &to).unwrap();
            // Shared data is read-only; the copies must be writable.
            let mut perm = fs::metadata(&to).unwrap().permissions();
            #[allow(clippy::permissions_set_readonly_false)]
            perm.set_readonly(false);
            fs::set_permissions(&to, perm).unwrap();
        }
    }
}

/// Every file under `dir` with its bytes, for "nothing changed" checks.
pub fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    for e in walkdir::WalkDir::new(dir) {
        let e = e.unwrap();
        if e.file_type().is_file() {
            out.insert(
                e.path().strip_prefix(dir).unwrap().to_path_buf(),
                fs::read(e.path()).unwrap(),
            );
        } else if e.file_type().is_dir() {
            out.insert(e.path().strip_prefix(dir).unwrap().join(""), Vec::new());
        }
    }
    out
}

/// The repository's `example-vault`.
pub fn example_vault() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("example-vault")
}

/// The public vaults copied into `tests/vaults` (each with its LICENSE and
/// SOURCE), so a fresh clone tests without anything outside the repository.
pub fn shared_vaults() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/vaults");
    let mut out: Vec<PathBuf> = fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("the test vaults must be at {}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    out.sort();
    assert!(
        out.len() >= 5,
        "expected the five public vaults in {}",
        dir.display()
    );
    out
}

/// Names in a JSON array of objects.
pub fn names(v: &serde_json::Value) -> Vec<String> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|r| r["name"].as_str().unwrap().to_string())
        .collect()
}

/// The text `field` of each object in the array `v[list]` (e.g. the paths
/// of a profile's meetings).
pub fn texts(v: &serde_json::Value, list: &str, field: &str) -> Vec<String> {
    v[list]
        .as_array()
        .unwrap_or_else(|| panic!("no list {list} in {v}"))
        .iter()
        .map(|r| r[field].as_str().unwrap().to_string())
        .collect()
}
