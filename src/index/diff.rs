//! Change detection: the walked files and the index's stamps, both sorted
//! by path, merged into what to add, re-read and remove (zk's
//! `paths/diff.go`). Pure, so its edge cases are tested without an index.

use std::cmp::Ordering;

use super::writer::Stamp;
use crate::vault::scan::FileEntry;

/// What a refresh must do.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct Diff<'a> {
    /// Files to read, as indexes into the walked list: `true` when the index
    /// has an older version to replace.
    pub todo: Vec<(usize, bool)>,
    /// Indexed paths that are no longer in the vault.
    pub gone: Vec<&'a str>,
    /// Files whose size and modification time are as indexed.
    pub unchanged: usize,
}

/// Merges `walked` and `known`, both sorted by path (byte order) with no
/// duplicates. A file counts as unchanged only when both its size and its
/// modification time match.
pub(crate) fn diff<'a>(walked: &'a [FileEntry], known: &'a [(String, Stamp)]) -> Diff<'a> {
    let mut out = Diff::default();
    let (mut i, mut j) = (0, 0);
    while i < walked.len() || j < known.len() {
        let order = match (walked.get(i), known.get(j)) {
            (Some(f), Some((k, _))) => f.path.as_str().cmp(k.as_str()),
            (Some(_), None) => Ordering::Less,
            _ => Ordering::Greater,
        };
        match order {
            Ordering::Less => {
                out.todo.push((i, false));
                i += 1;
            }
            Ordering::Greater => {
                out.gone.push(&known[j].0);
                j += 1;
            }
            Ordering::Equal => {
                let (f, s) = (&walked[i], &known[j].1);
                if s.size == f.size && s.mtime == f.mtime {
                    out.unchanged += 1;
                } else {
                    out.todo.push((i, true));
                }
                i += 1;
                j += 1;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str, size: u64, mtime: i64) -> FileEntry {
        FileEntry {
            path: path.into(),
            size,
            mtime,
            os_path: None,
            stamped: true,
        }
    }

    fn known(path: &str, size: u64, mtime: i64) -> (String, Stamp) {
        (path.into(), Stamp { size, mtime })
    }

    fn paths<'a>(
        walked: &'a [FileEntry],
        d: &Diff<'a>,
    ) -> (Vec<(&'a str, bool)>, Vec<&'a str>, usize) {
        (
            d.todo
                .iter()
                .map(|(i, u)| (walked[*i].path.as_str(), *u))
                .collect(),
            d.gone.clone(),
            d.unchanged,
        )
    }

    #[test]
    fn empty_sides() {
        assert_eq!(paths(&[], &diff(&[], &[])), (vec![], vec![], 0));
        let w = [file("a.md", 1, 1), file("b.md", 1, 1)];
        assert_eq!(
            paths(&w, &diff(&w, &[])),
            (vec![("a.md", false), ("b.md", false)], vec![], 0)
        );
        let k = [known("a.md", 1, 1), known("b.md", 1, 1)];
        assert_eq!(
            paths(&[], &diff(&[], &k)),
            (vec![], vec!["a.md", "b.md"], 0)
        );
    }

    #[test]
    fn size_or_mtime_alone_marks_a_change() {
        let w = [file("a.md", 1, 1), file("b.md", 2, 1), file("c.md", 1, 2)];
        let k = [
            known("a.md", 1, 1),
            known("b.md", 1, 1),
            known("c.md", 1, 1),
        ];
        assert_eq!(
            paths(&w, &diff(&w, &k)),
            (vec![("b.md", true), ("c.md", true)], vec![], 1)
        );
    }

    #[test]
    fn interleaved_adds_and_removals() {
        let w = [
            file("a.md", 1, 1),
            file("c.md", 1, 1),
            file("e.md", 1, 1),
            file("z.md", 1, 1),
        ];
        let k = [
            known("b.md", 1, 1),
            known("c.md", 1, 1),
            known("d.md", 1, 1),
            known("e.md", 9, 1),
        ];
        assert_eq!(
            paths(&w, &diff(&w, &k)),
            (
                vec![("a.md", false), ("e.md", true), ("z.md", false)],
                vec!["b.md", "d.md"],
                1
            )
        );
    }

    #[test]
    fn byte_order_not_case_order() {
        // "B" < "a" in bytes; both lists are sorted that way.
        let w = [file("B.md", 1, 1), file("a.md", 1, 1)];
        let k = [known("B.md", 1, 1), known("a.md", 1, 1)];
        assert_eq!(paths(&w, &diff(&w, &k)), (vec![], vec![], 2));
        // Nested folders sort by their bytes too ('/' < 'a').
        let w = [file("m/x.md", 1, 1), file("ma.md", 1, 1)];
        let k = [known("m/x.md", 1, 1)];
        assert_eq!(
            paths(&w, &diff(&w, &k)),
            (vec![("ma.md", false)], vec![], 1)
        );
    }
}
