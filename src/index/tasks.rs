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
use super::reader::{Snapshot, each_term, passing_terms};
use super::schema::{self, datetime_to_day};
use crate::vault::tasktable::{Span, TaskParts, TaskTable};
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
        let mut terms = |col: &Option<StrColumn>, wanted: bool, keep: Keep| -> Result<Terms> {
            match col {
                Some(c) if wanted => Terms::read(c, docs, table, keep),
                _ => Ok(Terms::default()),
            }
        };
        // Paths, titles and texts go straight into the table, in
        // dictionary order (a row names its strings, wherever they are).
        let path = terms(&self.path, full, Keep::Span)?;
        let title = terms(&self.title, full, Keep::Span)?;
        let text = terms(&self.text, full, Keep::Span)?;
        let note_kind = terms(&self.note_kind, full, Keep::Text)?;
        let status = terms(&self.status, full, Keep::Text)?;
        let tag = terms(&self.tag, true, Keep::Word)?;
        let link = terms(&self.link, true, Keep::Word)?;
        let attendee = terms(&self.attendee, true, Keep::Word)?;
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
        table.reserve(docs.len());
        for &doc in docs.iter() {
            let day = |c: &Column<tantivy::DateTime>| c.first(doc).and_then(datetime_to_day);
            // A text longer than a column value is kept in parts.
            let spans: Vec<Span> = text.spans(&self.text, doc).collect();
            let text = match spans[..] {
                [] => Span::default(),
                [one] => one,
                _ => {
                    let joined =
                        schema::join_text_parts(spans.iter().map(|s| table.str(*s)).collect());
                    table.put(&joined)
                }
            };
            table.push(TaskParts {
                path: path.spans(&self.path, doc).next().unwrap_or_default(),
                text,
                note_title: title.spans(&self.title, doc).next().unwrap_or_default(),
                links: link.words(&self.link, doc),
                attendees: attendee.words(&self.attendee, doc),
                tags: tag.words(&self.tag, doc),
                line: line(doc),
                status: status
                    .texts(&self.status, doc)
                    .next()
                    .and_then(TaskStatus::parse)
                    .unwrap_or(TaskStatus::Open),
                due: day(&self.due),
                note_date: day(&self.date),
                note_kind: note_kind
                    .texts(&self.note_kind, doc)
                    .next()
                    .and_then(Kind::parse)
                    .unwrap_or(Kind::Note),
            });
        }
        Ok(())
    }
}

/// How [`Terms`] keeps what it reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Keep {
    /// As strings of its own (a handful of values: status, kind).
    Text,
    /// In the table, as [`Span`]s (paths, titles, texts).
    Span,
    /// As the table's words (references and tags).
    Word,
}

/// The terms of a string column that some documents use: their ordinals,
/// sorted, and each term once, kept as [`Keep`] says.
#[derive(Default)]
struct Terms {
    ords: Vec<u64>,
    texts: Vec<String>,
    spans: Vec<Span>,
    words: Vec<u32>,
}

impl Terms {
    /// Reads the terms `docs` use, in one pass over the dictionary.
    fn read(col: &StrColumn, docs: &[u32], table: &mut TaskTable, keep: Keep) -> Result<Terms> {
        let mut ords: Vec<u64> = docs.iter().flat_map(|d| col.term_ords(*d)).collect();
        ords.sort_unstable();
        ords.dedup();
        let mut t = Terms::default();
        let mut add = |term: &[u8]| {
            let term = String::from_utf8_lossy(term);
            match keep {
                Keep::Text => t.texts.push(term.into_owned()),
                Keep::Span => t.spans.push(table.put(&term)),
                Keep::Word => t.words.push(table.word(&term)),
            }
        };
        // A person's thousand tasks do not read all the vault's paths.
        each_term(col, &ords, &mut add)?;
        t.ords = ords;
        Ok(t)
    }

    /// Where each of `doc`'s terms in `col` is among the terms read.
    fn places<'a>(
        &'a self,
        col: &'a Option<StrColumn>,
        doc: u32,
    ) -> impl Iterator<Item = usize> + 'a {
        col.iter().flat_map(move |c| {
            c.term_ords(doc)
                .filter_map(|o| self.ords.binary_search(&o).ok())
        })
    }

    fn texts<'a>(
        &'a self,
        col: &'a Option<StrColumn>,
        doc: u32,
    ) -> impl Iterator<Item = &'a str> + 'a {
        self.places(col, doc)
            .filter_map(|i| self.texts.get(i).map(String::as_str))
    }

    fn spans<'a>(
        &'a self,
        col: &'a Option<StrColumn>,
        doc: u32,
    ) -> impl Iterator<Item = Span> + 'a {
        self.places(col, doc)
            .filter_map(|i| self.spans.get(i).copied())
    }

    fn words<'a>(&'a self, col: &'a Option<StrColumn>, doc: u32) -> impl Iterator<Item = u32> + 'a {
        self.places(col, doc)
            .filter_map(|i| self.words.get(i).copied())
    }
}
