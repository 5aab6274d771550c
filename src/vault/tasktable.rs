//! Many tasks held compactly.
//!
//! The checklist of a vault where every meeting has an open task holds a
//! hundred thousand of them. As [`TaskRecord`]s that is eight strings and
//! vectors each, ~700 bytes a task and a dozen allocations; here every task is
//! one fixed-size row, its text, path and note title are ranges of one
//! shared string, and its links, attendees and tags are indices into a table
//! of distinct words, so a reference is resolved once, not once per task.

use chrono::NaiveDate;
use rustc_hash::FxHashMap;

use super::{Kind, TaskRecord, TaskStatus};

/// Distinct strings, each with a number: the first kept is 0. (The one
/// interner: task tables, the checklist's names and the index's readers
/// all number their strings with it.)
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Strings {
    list: Vec<String>,
    ids: FxHashMap<String, u32>,
}

impl Strings {
    /// The number of `s`, kept if new.
    pub fn id(&mut self, s: &str) -> u32 {
        if let Some(id) = self.ids.get(s) {
            return *id;
        }
        let id = self.list.len() as u32;
        self.list.push(s.to_string());
        self.ids.insert(s.to_string(), id);
        id
    }

    /// Numbers `list` in order (duplicates keep their first number), to go
    /// on from.
    pub fn from_list(list: Vec<String>) -> Strings {
        let mut ids = FxHashMap::default();
        for (i, s) in list.iter().enumerate() {
            ids.entry(s.clone()).or_insert(i as u32);
        }
        Strings { list, ids }
    }

    /// Every string, by number, given back.
    pub fn into_list(self) -> Vec<String> {
        self.list
    }

    /// The string numbered `id`.
    pub fn get(&self, id: u32) -> Option<&str> {
        self.list.get(id as usize).map(String::as_str)
    }

    /// Every string, by number.
    pub fn all(&self) -> &[String] {
        &self.list
    }
}

/// A string kept in a [`TaskTable`] ([`TaskTable::put`]); several rows may
/// share one (the path and title of a note with several tasks). Offsets
/// are 32-bit: a row names three, and a hundred thousand rows would spend
/// 2.6 MB more on 64-bit ones.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Span {
    start: u32,
    end: u32,
}

/// One task.
#[derive(Debug, Clone, PartialEq)]
pub struct TaskRow {
    path: Span,
    text: Span,
    note_title: Span,
    /// Its links, attendees and tags, one after the other in `row_words`
    /// from `words` (a hundred thousand rows: three ranges would double a
    /// row's size).
    words: u32,
    links: u32,
    attendees: u32,
    tags: u32,
    /// 1-based line.
    pub line: usize,
    /// Open, done, cancelled.
    pub status: TaskStatus,
    /// Due date.
    pub due: Option<NaiveDate>,
    /// Date of its note.
    pub note_date: Option<NaiveDate>,
    /// Kind of its note.
    pub note_kind: Kind,
    /// Its id's hash, in a table of shown texts ([`TaskTable::shown`]).
    hash: u64,
}

/// Tasks, in the order they were added.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TaskTable {
    /// Texts are as shown and each row has its id's hash (the index's read
    /// for the checklist), not texts as written.
    shown: bool,
    strings: String,
    rows: Vec<TaskRow>,
    /// Distinct words: references (links, attendees) and tags.
    words: Strings,
    /// Each row's links, attendees and tags, as indices into `words`.
    row_words: Vec<u32>,
}

/// What a task row is made from.
#[derive(Debug, Clone, Copy)]
pub struct TaskParts<L, A, T> {
    /// The note's path.
    pub path: Span,
    /// Text after the marker.
    pub text: Span,
    /// Title of the note.
    pub note_title: Span,
    /// Wikilinks in the task line, as [`TaskTable::word`]s.
    pub links: L,
    /// Attendees of its note, when a meeting, as [`TaskTable::word`]s.
    pub attendees: A,
    /// Inline tags of the task line, as [`TaskTable::word`]s.
    pub tags: T,
    /// 1-based line.
    pub line: usize,
    /// Open, done, cancelled.
    pub status: TaskStatus,
    /// Due date.
    pub due: Option<NaiveDate>,
    /// Date of its note.
    pub note_date: Option<NaiveDate>,
    /// Kind of its note.
    pub note_kind: Kind,
    /// Its id's hash ([`crate::vault::hash::task_hash`]), in a table of
    /// shown texts; else unused.
    pub hash: u64,
}

impl TaskTable {
    /// An empty table whose rows' texts are as shown
    /// ([`super::clean::task_text`]), each with its id's hash: worked out
    /// when the tasks were indexed.
    pub fn shown() -> TaskTable {
        TaskTable {
            shown: true,
            ..Default::default()
        }
    }

    /// A row's text as shown.
    pub fn shown_text(&self, r: &TaskRow) -> std::borrow::Cow<'_, str> {
        if self.shown {
            self.text(r).into()
        } else {
            super::clean::task_text(self.text(r)).into()
        }
    }

    /// The hash of a row's id ([`super::hash::task_hash`]).
    pub fn id_hash(&self, r: &TaskRow) -> u64 {
        if self.shown {
            r.hash
        } else {
            super::hash::task_hash(self.path(r), self.text(r))
        }
    }

    /// Adds a task.
    pub fn push<L, A, T>(&mut self, t: TaskParts<L, A, T>)
    where
        L: IntoIterator<Item = u32>,
        A: IntoIterator<Item = u32>,
        T: IntoIterator<Item = u32>,
    {
        let (path, text, note_title) = (t.path, t.text, t.note_title);
        let words = u32::try_from(self.row_words.len()).unwrap_or(u32::MAX);
        let links = self.words_of(t.links);
        let attendees = self.words_of(t.attendees);
        let tags = self.words_of(t.tags);
        self.rows.push(TaskRow {
            path,
            text,
            note_title,
            words,
            links,
            attendees,
            tags,
            line: t.line,
            status: t.status,
            due: t.due,
            note_date: t.note_date,
            note_kind: t.note_kind,
            hash: t.hash,
        });
    }

    /// Keeps a string for rows to name. Past 4 GiB of strings in one
    /// table (no vault comes near), a string is not kept and reads as empty.
    pub fn put(&mut self, s: &str) -> Span {
        let start = self.strings.len();
        let (Ok(from), Ok(to)) = (u32::try_from(start), u32::try_from(start + s.len())) else {
            return Span::default();
        };
        self.strings.push_str(s);
        Span {
            start: from,
            end: to,
        }
    }

    /// A string kept with [`TaskTable::put`].
    pub fn str(&self, s: Span) -> &str {
        self.strings
            .get(s.start as usize..s.end as usize)
            .unwrap_or_default()
    }

    /// Makes room for `rows` more rows, when it can be had (a count read
    /// from a damaged index must not abort the process).
    pub fn reserve(&mut self, rows: usize) {
        let _ = self.rows.try_reserve_exact(rows);
    }

    /// Adds a row's words; how many.
    fn words_of(&mut self, words: impl IntoIterator<Item = u32>) -> u32 {
        let start = self.row_words.len();
        self.row_words.extend(words);
        u32::try_from(self.row_words.len() - start).unwrap_or(u32::MAX)
    }

    /// Frees what the strings and words took but do not use (the rows are
    /// reserved exactly, see [`TaskTable::reserve`]).
    pub fn shrink_to_fit(&mut self) {
        self.strings.shrink_to_fit();
        self.row_words.shrink_to_fit();
    }

    /// Row `r`'s words from `skip` on, `len` of them.
    fn row_words(&self, r: &TaskRow, skip: usize, len: u32) -> &[u32] {
        let start = r.words as usize + skip;
        self.row_words
            .get(start..start + len as usize)
            .unwrap_or_default()
    }

    /// The id of a word (a reference or a tag), the same for every row.
    pub fn word(&mut self, w: &str) -> u32 {
        self.words.id(w)
    }

    /// Number of tasks.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// No tasks.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// The rows, in order.
    pub fn rows(&self) -> &[TaskRow] {
        &self.rows
    }

    /// Orders the rows by `cmp` (stable).
    pub fn sort_by(
        &mut self,
        mut cmp: impl FnMut(&TaskTable, &TaskRow, &TaskRow) -> std::cmp::Ordering,
    ) {
        let mut rows = std::mem::take(&mut self.rows);
        // A hundred thousand rows: no scratch copy of them.
        super::sort_large(&mut rows, |a, b| cmp(self, a, b));
        self.rows = rows;
    }

    /// The distinct words (references and tags) of every row.
    pub fn words(&self) -> &[String] {
        self.words.all()
    }

    /// A row's note path.
    pub fn path(&self, r: &TaskRow) -> &str {
        self.str(r.path)
    }

    /// A row's text: as written, or as shown in a table of shown texts
    /// ([`TaskTable::shown`]).
    pub fn text(&self, r: &TaskRow) -> &str {
        self.str(r.text)
    }

    /// A row's note title.
    pub fn note_title(&self, r: &TaskRow) -> &str {
        self.str(r.note_title)
    }

    /// A row's links, as indices into [`TaskTable::words`].
    pub fn links(&self, r: &TaskRow) -> &[u32] {
        self.row_words(r, 0, r.links)
    }

    /// A row's note attendees, as indices into [`TaskTable::words`].
    pub fn attendees(&self, r: &TaskRow) -> &[u32] {
        self.row_words(r, r.links as usize, r.attendees)
    }

    /// A row's tags, as indices into [`TaskTable::words`].
    pub fn tags(&self, r: &TaskRow) -> &[u32] {
        self.row_words(r, r.links as usize + r.attendees as usize, r.tags)
    }

    /// A row as a record (the note's tags left empty: no answer needs them
    /// per task).
    pub fn record(&self, r: &TaskRow) -> TaskRecord {
        let refs = |ids: &[u32]| -> Vec<String> {
            ids.iter()
                .filter_map(|i| self.words.get(*i).map(str::to_string))
                .collect()
        };
        TaskRecord {
            path: self.path(r).to_string(),
            line: r.line,
            text: self.text(r).to_string(),
            status: r.status,
            due: r.due,
            tags: refs(self.tags(r)),
            links: refs(self.links(r)),
            note_title: self.note_title(r).to_string(),
            note_date: r.note_date,
            note_kind: r.note_kind,
            note_tags: Vec::new(),
            attendees: refs(self.attendees(r)),
        }
    }
}

impl<'a> From<&'a [TaskRecord]> for TaskTable {
    fn from(records: &'a [TaskRecord]) -> TaskTable {
        let mut table = TaskTable::default();
        for t in records {
            let mut words =
                |ws: &[String]| -> Vec<u32> { ws.iter().map(|w| table.word(w)).collect() };
            let (links, attendees, tags) = (words(&t.links), words(&t.attendees), words(&t.tags));
            let (path, text, note_title) = (
                table.put(&t.path),
                table.put(&t.text),
                table.put(&t.note_title),
            );
            table.push(TaskParts {
                path,
                text,
                note_title,
                links,
                attendees,
                tags,
                line: t.line,
                status: t.status,
                due: t.due,
                note_date: t.note_date,
                note_kind: t.note_kind,
                hash: 0,
            });
        }
        table
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_number_each_string_once_and_go_on_from_a_list() {
        let mut s = Strings::from_list(vec!["b".into(), "a".into()]);
        assert_eq!((s.id("a"), s.id("c"), s.id("b"), s.id("c")), (1, 2, 0, 2));
        assert_eq!(s.get(2), Some("c"));
        assert_eq!(s.get(3), None);
        assert_eq!(s.all(), ["b", "a", "c"]);
        assert_eq!(s.into_list(), vec!["b", "a", "c"]);
    }

    fn record(
        path: &str,
        line: usize,
        text: &str,
        links: &[&str],
        attendees: &[&str],
    ) -> TaskRecord {
        TaskRecord {
            path: path.into(),
            line,
            text: text.into(),
            status: TaskStatus::Open,
            due: NaiveDate::from_ymd_opt(2026, 3, 4),
            tags: vec!["ask".into()],
            links: links.iter().map(|s| s.to_string()).collect(),
            note_title: format!("title of {path}"),
            note_date: None,
            note_kind: Kind::Meeting,
            note_tags: Vec::new(),
            attendees: attendees.iter().map(|s| s.to_string()).collect(),
        }
    }

    #[test]
    fn rows_give_back_what_went_in_and_share_references() {
        let records = vec![
            record("a.md", 3, "call [[Ada]] ✓ <b>", &["Ada"], &["Ada", "Bob"]),
            record("b.md", 1, "", &[], &["Bob"]),
            record("ü/c.md", 9, "naïve\u{7}", &["Ada", "Zoë"], &[]),
        ];
        let table = TaskTable::from(&records[..]);
        assert_eq!(table.len(), 3);
        let back: Vec<TaskRecord> = table.rows().iter().map(|r| table.record(r)).collect();
        assert_eq!(back, records);
        // "Ada" and "Bob" are kept once each, whoever names them.
        assert_eq!(table.words(), ["Ada", "Bob", "ask", "Zoë"]);
        assert_eq!(table.attendees(&table.rows()[1]), [1]);
    }

    #[test]
    fn sorting_keeps_each_row_with_its_strings() {
        let records = [
            record("b.md", 1, "second", &[], &["Bob"]),
            record("a.md", 2, "first", &["Ada"], &[]),
        ];
        let mut table = TaskTable::from(&records[..]);
        table.sort_by(|t, a, b| t.path(a).cmp(t.path(b)));
        let back: Vec<TaskRecord> = table.rows().iter().map(|r| table.record(r)).collect();
        assert_eq!(back, vec![records[1].clone(), records[0].clone()]);
    }
}
