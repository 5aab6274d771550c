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
use super::reader::{Snapshot, docs_with_terms, each_term, passing_terms};
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
    /// Everything, with texts as shown and ids' hashes (open tasks only:
    /// see [`super::schema`]).
    Shown,
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
        self.read_tasks(&self.tasks_query(open_only), involves, Detail::Full)
    }

    /// Open tasks whose links or meeting attendees satisfy `involves` (as
    /// [`Snapshot::tasks`]), with their texts as shown (a profile's read).
    pub fn open_tasks_shown(&self, involves: &dyn Fn(&str) -> bool) -> Result<Vec<TaskRecord>> {
        self.read_tasks(&self.tasks_query(true), Some(involves), Detail::Shown)
    }

    /// Task documents, optionally only open ones.
    fn tasks_query(&self, open_only: bool) -> BooleanQuery {
        let mut clauses: Vec<(Occur, Box<dyn Query>)> =
            vec![(Occur::Must, self.kind_query("task"))];
        if open_only {
            clauses.push((Occur::Must, self.term_query(self.fields().status, "open")));
        }
        BooleanQuery::new(clauses)
    }

    /// Tasks carrying one of `tags`, with only what counting asks and gives
    /// needs (tags, links, their meeting's attendees and date, due date).
    pub fn tagged_tasks(&self, tags: &[&str]) -> Result<TaskTable> {
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
        self.task_table(&query, None, Detail::Counts)
    }

    /// Open tasks with only their links, attendees, tags and dates (for
    /// counting the tasks that involve someone).
    pub fn open_task_columns(&self) -> Result<Vec<TaskRecord>> {
        self.read_tasks(&self.tasks_query(true), None, Detail::Counts)
    }

    /// Open tasks, compactly, with their texts as shown and their ids'
    /// hashes (the checklist's read).
    pub fn open_task_table(&self) -> Result<TaskTable> {
        self.task_table(&self.tasks_query(true), None, Detail::Shown)
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
        let mut wanted = Vec::with_capacity(segments);
        for (seg, mut docs) in docs.into_iter().enumerate() {
            if docs.is_empty() {
                continue;
            }
            let cols = TaskCols::open(self, seg, detail)?;
            if let Some(f) = involves {
                // The documents that name someone wanted, from the columns'
                // values (as for a person's meetings), not task by task.
                let searcher = self.searcher();
                let fields = self.fields();
                let mut named = docs_with_terms(
                    searcher,
                    seg,
                    fields.link,
                    &cols.link,
                    &passing_terms(&cols.link, f),
                )?;
                named.extend(docs_with_terms(
                    searcher,
                    seg,
                    fields.attendee,
                    &cols.attendee,
                    &passing_terms(&cols.attendee, f),
                )?);
                named.sort_unstable();
                named.dedup();
                docs.retain(|d| named.binary_search(d).is_ok());
            }
            wanted.push((cols, docs));
        }
        let mut table = if detail == Detail::Shown {
            TaskTable::shown()
        } else {
            TaskTable::default()
        };
        // The rows are known before they are read: no room is wasted.
        table.reserve(wanted.iter().map(|(_, docs)| docs.len()).sum());
        for (cols, mut docs) in wanted {
            cols.read(&mut docs, &mut table)?;
        }
        // Index order depends on the index's history; answers must not.
        // Each segment's run is already in order: the sort merges them.
        table.sort_by(|t, a, b| (t.path(a), a.line).cmp(&(t.path(b), b.line)));
        table.shrink_to_fit();
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
    hash: Column<u64>,
    due: Column<tantivy::DateTime>,
    date: Column<tantivy::DateTime>,
}

impl TaskCols {
    fn open(snap: &Snapshot, seg: usize, detail: Detail) -> Result<TaskCols> {
        let ff = snap.searcher().segment_reader(seg as u32).fast_fields();
        Ok(TaskCols {
            detail,
            path: ff.str("path")?,
            text: ff.str(if detail == Detail::Shown {
                "text_shown"
            } else {
                "text_raw"
            })?,
            title: ff.str("title_raw")?,
            note_kind: ff.str("note_kind")?,
            status: ff.str("status")?,
            tag: ff.str("tag_raw")?,
            link: ff.str("link")?,
            attendee: ff.str("attendee")?,
            line: ff.u64("line")?,
            hash: ff.u64("task_hash")?,
            due: ff.date("due")?,
            date: ff.date("date")?,
        })
    }

    /// Adds a row for each of `docs` to `table`, in path and line order.
    fn read(&self, docs: &mut [u32], table: &mut TaskTable) -> Result<()> {
        let full = self.detail != Detail::Counts;
        let shown = self.detail == Detail::Shown;
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
        let docs: &[u32] = docs;
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
        for (i, &doc) in docs.iter().enumerate() {
            let day = |c: &Column<tantivy::DateTime>| c.first(doc).and_then(datetime_to_day);
            // A text longer than a column value is kept in parts.
            let text = match text.spans(i) {
                [] => Span::default(),
                [one] => *one,
                parts => {
                    let joined =
                        schema::join_text_parts(parts.iter().map(|s| table.str(*s)).collect());
                    table.put(&joined)
                }
            };
            table.push(TaskParts {
                path: path.spans(i).first().copied().unwrap_or_default(),
                text,
                note_title: title.spans(i).first().copied().unwrap_or_default(),
                links: link.words(i).iter().copied(),
                attendees: attendee.words(i).iter().copied(),
                tags: tag.words(i).iter().copied(),
                line: line(doc),
                status: status
                    .text(i)
                    .and_then(TaskStatus::parse)
                    .unwrap_or(TaskStatus::Open),
                due: day(&self.due),
                note_date: day(&self.date),
                note_kind: note_kind
                    .text(i)
                    .and_then(Kind::parse)
                    .unwrap_or(Kind::Note),
                hash: if shown {
                    self.hash.first(doc).unwrap_or(0)
                } else {
                    0
                },
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

/// One string column for a list of documents: each document's terms, kept
/// as [`Keep`] says, read from the column once per document and from the
/// dictionary once per term.
#[derive(Default)]
struct Terms {
    /// Document `i`'s terms are at `starts[i]..starts[i + 1]` in one of:
    starts: Vec<u32>,
    /// indices into `texts` (Keep::Text),
    places: Vec<u32>,
    texts: Vec<String>,
    spans: Vec<Span>,
    words: Vec<u32>,
}

impl Terms {
    /// Reads the terms `docs` use, in one pass over the dictionary.
    fn read(col: &StrColumn, docs: &[u32], table: &mut TaskTable, keep: Keep) -> Result<Terms> {
        let mut ends = Vec::with_capacity(docs.len());
        let mut doc_ords: Vec<u64> = Vec::with_capacity(docs.len());
        for d in docs {
            doc_ords.extend(col.term_ords(*d));
            ends.push(doc_ords.len());
        }
        let mut ords = doc_ords.clone();
        ords.sort_unstable();
        ords.dedup();
        let (mut texts, mut spans, mut words) = (Vec::new(), Vec::new(), Vec::new());
        // A person's thousand tasks do not read all the vault's paths.
        each_term(col, &ords, |term| {
            let term = String::from_utf8_lossy(term);
            match keep {
                Keep::Text => texts.push(term.into_owned()),
                Keep::Span => spans.push(table.put(&term)),
                Keep::Word => words.push(table.word(&term)),
            }
        })?;
        // Where each document's ordinals are among those read: a lookup
        // table when the dictionary is not much larger than the terms
        // wanted (a checklist wants nearly every task's text), else a
        // search (a person's thousand tasks among a hundred thousand).
        let terms = col.dictionary().num_terms();
        let places: Vec<Option<usize>> = if terms <= 8 * ords.len() + 4096 {
            let mut place = vec![usize::MAX; terms];
            for (i, o) in ords.iter().enumerate() {
                if let Some(p) = place.get_mut(*o as usize) {
                    *p = i;
                }
            }
            let at = |o: &u64| place.get(*o as usize).copied().filter(|p| *p != usize::MAX);
            doc_ords.iter().map(at).collect()
        } else {
            doc_ords
                .iter()
                .map(|o| ords.binary_search(o).ok())
                .collect()
        };
        let mut t = Terms {
            texts,
            starts: Vec::with_capacity(docs.len() + 1),
            ..Default::default()
        };
        t.starts.push(0);
        let mut from = 0;
        for end in ends {
            for p in places[from..end].iter().flatten() {
                match keep {
                    Keep::Text => t.places.push(*p as u32),
                    Keep::Span => t.spans.extend(spans.get(*p)),
                    Keep::Word => t.words.extend(words.get(*p)),
                }
            }
            from = end;
            let len = t.places.len() + t.spans.len() + t.words.len();
            t.starts.push(len as u32);
        }
        Ok(t)
    }

    /// Document `i`'s place in whichever list `keep` filled.
    fn range(&self, i: usize) -> std::ops::Range<usize> {
        match (self.starts.get(i), self.starts.get(i + 1)) {
            (Some(&a), Some(&b)) => a as usize..b as usize,
            _ => 0..0,
        }
    }

    /// Document `i`'s first term, kept as text.
    fn text(&self, i: usize) -> Option<&str> {
        let p = *self.places.get(self.range(i))?.first()?;
        self.texts.get(p as usize).map(String::as_str)
    }

    /// Document `i`'s terms, kept as spans.
    fn spans(&self, i: usize) -> &[Span] {
        self.spans.get(self.range(i)).unwrap_or_default()
    }

    /// Document `i`'s terms, kept as words.
    fn words(&self, i: usize) -> &[u32] {
        self.words.get(self.range(i)).unwrap_or_default()
    }
}
