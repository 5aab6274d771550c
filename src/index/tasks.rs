//! Reading tasks from the index, column by column.
//!
//! A vault can hold a hundred thousand open tasks, and the checklist lists
//! every one that involves a person. Loading a stored document per task
//! (decompress a block, decode the document, parse its JSON) was most of the
//! checklist's time, so a task document stores nothing: each field a task
//! answer needs is a fast column (see [`super::schema`]). Strings are
//! dictionary-encoded per segment; a segment's wanted terms are read in one
//! pass over its dictionary, not looked up one by one.

use tantivy::columnar::{Column, StrColumn};
use tantivy::query::{BooleanQuery, Occur, Query};

use super::Result;
use super::reader::{Snapshot, io_err, passing_terms};
use super::schema::{self, datetime_to_day};
use crate::vault::tasktable::{TaskParts, TaskTable};
use crate::vault::{Kind, TaskRecord, TaskStatus};

/// How much of each task to read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Detail {
    /// Tags, links, attendees and dates only: enough to count asks and
    /// gives, or who a task involves (path, line and text left empty).
    Counts,
    /// Everything.
    Full,
}

impl Snapshot {
    /// Tasks, optionally only open ones, and only those whose links or
    /// meeting attendees satisfy `involves` (checked once per distinct
    /// reference of a segment, before anything else is read), sorted by
    /// path and line.
    pub fn tasks(
        &self,
        open_only: bool,
        involves: Option<&dyn Fn(&str) -> bool>,
    ) -> Result<Vec<TaskRecord>> {
        let mut clauses: Vec<(Occur, Box<dyn Query>)> =
            vec![(Occur::Must, self.kind_query("task"))];
        if open_only {
            clauses.push((Occur::Must, self.term_query(self.fields().status, "open")));
        }
        self.read_tasks(&BooleanQuery::new(clauses), involves, Detail::Full)
    }

    /// Tasks carrying one of `tags`, with only what counting asks and gives
    /// needs (tags, links, their meeting's attendees and date, due date).
    pub fn tagged_tasks(&self, tags: &[&str]) -> Result<Vec<TaskRecord>> {
        let any: Vec<(Occur, Box<dyn Query>)> = tags
            .iter()
            .map(|t| {
                (
                    Occur::Should,
                    self.term_query(self.fields().tag, &t.to_lowercase()),
                )
            })
            .collect();
        let query = BooleanQuery::new(vec![
            (Occur::Must, self.kind_query("task")),
            (Occur::Must, Box::new(BooleanQuery::new(any))),
        ]);
        self.read_tasks(&query, None, Detail::Counts)
    }

    /// Open tasks with only their links, attendees, tags and dates (for
    /// counting the tasks that involve someone).
    pub fn open_task_columns(&self) -> Result<Vec<TaskRecord>> {
        let query = BooleanQuery::new(vec![
            (Occur::Must, self.kind_query("task")),
            (Occur::Must, self.term_query(self.fields().status, "open")),
        ]);
        self.read_tasks(&query, None, Detail::Counts)
    }

    /// Open tasks, compactly (the checklist's read).
    pub fn open_task_table(&self) -> Result<TaskTable> {
        let query = BooleanQuery::new(vec![
            (Occur::Must, self.kind_query("task")),
            (Occur::Must, self.term_query(self.fields().status, "open")),
        ]);
        self.task_table(&query, None, Detail::Full)
    }

    fn read_tasks(
        &self,
        query: &dyn Query,
        involves: Option<&dyn Fn(&str) -> bool>,
        detail: Detail,
    ) -> Result<Vec<TaskRecord>> {
        let table = self.task_table(query, involves, detail)?;
        Ok(table.rows().iter().map(|r| table.record(r)).collect())
    }

    /// The tasks `query` matches that pass `involves`, sorted by path and
    /// line.
    fn task_table(
        &self,
        query: &dyn Query,
        involves: Option<&dyn Fn(&str) -> bool>,
        detail: Detail,
    ) -> Result<TaskTable> {
        let segments = self.searcher().segment_readers().len();
        let mut docs: Vec<Vec<u32>> = vec![Vec::new(); segments];
        self.for_each_match(query, |seg, doc| {
            docs[seg].push(doc);
            Ok(())
        })?;
        let mut table = TaskTable::default();
        for (seg, mut docs) in docs.into_iter().enumerate() {
            if docs.is_empty() {
                continue;
            }
            let cols = TaskCols::open(self, seg, detail)?;
            if let Some(f) = involves {
                let links = passing_terms(&cols.link, f);
                let attendees = passing_terms(&cols.attendee, f);
                let hit = |col: &Option<StrColumn>, ok: &[bool], doc: u32| {
                    col.as_ref().is_some_and(|c| {
                        c.term_ords(doc)
                            .any(|o| ok.get(o as usize).copied().unwrap_or(false))
                    })
                };
                docs.retain(|d| hit(&cols.link, &links, *d) || hit(&cols.attendee, &attendees, *d));
            }
            cols.read(&mut docs, &mut table)?;
        }
        // Index order depends on the index's history; answers must not.
        // Each segment's run is already in order: the sort merges them.
        table.sort_by(|t, a, b| (t.path(a), a.line).cmp(&(t.path(b), b.line)));
        Ok(table)
    }
}

/// One segment's task columns.
struct TaskCols {
    detail: Detail,
    path: Option<StrColumn>,
    text: Option<StrColumn>,
    title: Option<StrColumn>,
    note_kind: Option<StrColumn>,
    status: Option<StrColumn>,
    tag: Option<StrColumn>,
    link: Option<StrColumn>,
    attendee: Option<StrColumn>,
    line: Column<u64>,
    due: Column<tantivy::DateTime>,
    date: Column<tantivy::DateTime>,
}

impl TaskCols {
    fn open(snap: &Snapshot, seg: usize, detail: Detail) -> Result<TaskCols> {
        let ff = snap.searcher().segment_reader(seg as u32).fast_fields();
        Ok(TaskCols {
            detail,
            path: ff.str("path")?,
            text: ff.str("text_raw")?,
            title: ff.str("title_raw")?,
            note_kind: ff.str("note_kind")?,
            status: ff.str("status")?,
            tag: ff.str("tag_raw")?,
            link: ff.str("link")?,
            attendee: ff.str("attendee")?,
            line: ff.u64("line")?,
            due: ff.date("due")?,
            date: ff.date("date")?,
        })
    }

    /// Adds a row for each of `docs` to `table`, in path and line order.
    fn read(&self, docs: &mut [u32], table: &mut TaskTable) -> Result<()> {
        let full = self.detail == Detail::Full;
        let terms = |col: &Option<StrColumn>, wanted: bool| -> Result<Terms> {
            match col {
                Some(c) if wanted => Terms::read(c, docs),
                _ => Ok(Terms::default()),
            }
        };
        let (path, text, title) = (
            terms(&self.path, full)?,
            terms(&self.text, full)?,
            terms(&self.title, full)?,
        );
        let (note_kind, status) = (terms(&self.note_kind, full)?, terms(&self.status, full)?);
        let (mut tag, mut link, mut attendee) = (
            terms(&self.tag, true)?,
            terms(&self.link, true)?,
            terms(&self.attendee, true)?,
        );
        for t in [&mut tag, &mut link, &mut attendee] {
            t.ids = t.terms.iter().map(|w| table.word(w)).collect();
        }
        let line = |doc: u32| {
            if full {
                self.line.first(doc).unwrap_or(0) as usize
            } else {
                0
            }
        };
        if full {
            // Path ordinals sort as the paths do within a segment.
            let first = |doc: u32| self.path.as_ref().and_then(|c| c.term_ords(doc).next());
            docs.sort_by_cached_key(|d| (first(*d), line(*d)));
        }
        for &doc in docs.iter() {
            let day = |c: &Column<tantivy::DateTime>| c.first(doc).and_then(datetime_to_day);
            // A text longer than a column value is kept in parts.
            let mut values = text.values(&self.text, doc);
            let joined: std::borrow::Cow<'_, str> = match (values.next(), values.next()) {
                (Some(_), Some(_)) => {
                    schema::join_text_parts(text.values(&self.text, doc).collect()).into()
                }
                (one, _) => one.unwrap_or_default().into(),
            };
            table.push(TaskParts {
                path: path.first(&self.path, doc),
                text: &joined,
                note_title: title.first(&self.title, doc),
                links: link.word_ids(&self.link, doc),
                attendees: attendee.word_ids(&self.attendee, doc),
                tags: tag.word_ids(&self.tag, doc),
                line: line(doc),
                status: status
                    .values(&self.status, doc)
                    .next()
                    .and_then(TaskStatus::parse)
                    .unwrap_or(TaskStatus::Open),
                due: day(&self.due),
                note_date: day(&self.date),
                note_kind: note_kind
                    .values(&self.note_kind, doc)
                    .next()
                    .and_then(Kind::parse)
                    .unwrap_or(Kind::Note),
            });
        }
        Ok(())
    }
}

/// The terms of a string column that some documents use: their ordinals,
/// sorted, and each term once.
#[derive(Default)]
struct Terms {
    ords: Vec<u64>,
    terms: Vec<String>,
    /// Each term's [`TaskTable::word`], when set.
    ids: Vec<u32>,
}

impl Terms {
    /// Reads the terms `docs` use: one pass over the dictionary when there
    /// are many, a lookup each when there are few.
    fn read(col: &StrColumn, docs: &[u32]) -> Result<Terms> {
        let mut ords: Vec<u64> = docs.iter().flat_map(|d| col.term_ords(*d)).collect();
        ords.sort_unstable();
        ords.dedup();
        let mut terms = Vec::with_capacity(ords.len());
        if ords.len() < 64 {
            for &o in &ords {
                let mut s = String::new();
                col.ord_to_str(o, &mut s).map_err(io_err)?;
                terms.push(s);
            }
        } else {
            let mut stream = col.dictionary().stream().map_err(io_err)?;
            let mut ord = 0u64;
            let mut next = 0;
            while next < ords.len() && stream.advance() {
                if ords[next] == ord {
                    terms.push(String::from_utf8_lossy(stream.key()).into_owned());
                    next += 1;
                }
                ord += 1;
            }
        }
        // A dictionary shorter than its ordinals says (a damaged index)
        // leaves the rest empty rather than shifting every term.
        terms.resize(ords.len(), String::new());
        Ok(Terms {
            ords,
            terms,
            ids: Vec::new(),
        })
    }

    /// The term of an ordinal, if read.
    fn get(&self, ord: u64) -> Option<&str> {
        self.ords
            .binary_search(&ord)
            .ok()
            .and_then(|i| self.terms.get(i))
            .map(String::as_str)
    }

    /// The first term of `doc` in `col` ("" for none).
    fn first(&self, col: &Option<StrColumn>, doc: u32) -> &str {
        col.as_ref()
            .and_then(|c| c.term_ords(doc).next())
            .and_then(|o| self.get(o))
            .unwrap_or_default()
    }

    /// The terms of `doc` in `col`, as the column orders them.
    fn values<'a>(
        &'a self,
        col: &'a Option<StrColumn>,
        doc: u32,
    ) -> impl Iterator<Item = &'a str> + 'a {
        col.iter()
            .flat_map(move |c| c.term_ords(doc).filter_map(|o| self.get(o)))
    }

    /// The word ids of `doc`'s terms in `col`.
    fn word_ids<'a>(
        &'a self,
        col: &'a Option<StrColumn>,
        doc: u32,
    ) -> impl Iterator<Item = u32> + 'a {
        col.iter().flat_map(move |c| {
            c.term_ords(doc).filter_map(|o| {
                let i = self.ords.binary_search(&o).ok()?;
                self.ids.get(i).copied()
            })
        })
    }
}
