//! Reading tasks from the index, from their notes' columns.
//!
//! A vault can hold a hundred thousand open tasks, and the checklist lists
//! every one that involves a person. A note's tasks are one value of a
//! bytes column of its document ([`super::taskrows`]); what a task shares
//! with its note (path, title, kind, date, attendees) is read from the
//! note's columns. Strings are dictionary-encoded per segment; a segment's
//! wanted values are read in one pass over each dictionary, not looked up
//! one by one, and nothing stored is decompressed.

use tantivy::columnar::{BytesColumn, Column, StrColumn};
use tantivy::query::{BooleanQuery, Occur, Query};
use tantivy::schema::IndexRecordOption;

use super::Result;
use super::reader::{
    Snapshot, docs_with_terms, each_term, io_err, lossy, passing_terms, push_postings,
};
use super::schema::datetime_to_day;
use super::taskrows::{self, TaskRow, Text};
use crate::vault::tasktable::{Span, TaskParts, TaskTable};
use crate::vault::{Kind, TaskRecord, TaskStatus};

/// How much of each task to read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Detail {
    /// Tags, links, attendees and dates only: enough to count asks and
    /// gives, or who a task involves (path, line and text left empty,
    /// status open, note kind `note`).
    Counts,
    /// Everything.
    Full,
    /// Everything, with texts as shown and ids' hashes (open tasks only:
    /// see [`super::schema`]).
    Shown,
}

/// Which tasks of the notes read are wanted.
#[derive(Clone, Copy)]
struct Want<'a> {
    open_only: bool,
    /// Tasks carrying one of these tags (lower-cased); all when empty.
    tags: &'a [String],
    /// Tasks whose links or meeting attendees satisfy this.
    involves: Option<&'a (dyn Fn(&str) -> bool + Sync)>,
    /// Which of each segment's attendee terms satisfy `involves`, where
    /// known already (by segment ordinal; see
    /// [`super::MeetingRead::attendee_passes`]).
    passes: &'a [Option<Vec<bool>>],
}

impl Want<'_> {
    fn all(open_only: bool) -> Self {
        Want {
            open_only,
            tags: &[],
            involves: None,
            passes: &[],
        }
    }
}

/// Flags on a note's document (field `flag`) that [`super::writer`] sets.
pub(super) mod flag {
    /// The note has tasks.
    pub const TASKS: &str = "tasks";
    /// The note has open tasks.
    pub const OPEN_TASKS: &str = "open-tasks";

    /// The note has a task carrying `tag` (lower-cased): the asks and gives
    /// are read from those notes only, not from every note that names the
    /// tag somewhere (in the vault where every meeting has an open task,
    /// 41,498 notes name `#ask` or `#give`, 15,596 task lines carry one).
    pub fn task_tag(tag: &str) -> String {
        format!("task-tag:{}", tag.to_lowercase())
    }
}

impl Snapshot {
    /// Tasks, optionally only open ones, and only those whose links or
    /// meeting attendees satisfy `involves` (checked once per distinct
    /// reference of a segment, before anything else is read), sorted by
    /// path and line.
    pub fn tasks(
        &self,
        open_only: bool,
        involves: Option<&(dyn Fn(&str) -> bool + Sync)>,
    ) -> Result<Vec<TaskRecord>> {
        let want = Want {
            involves,
            ..Want::all(open_only)
        };
        records(self.task_table(want, Detail::Full)?)
    }

    /// Open tasks whose links or meeting attendees satisfy `involves` (as
    /// [`Snapshot::tasks`]), with their texts as shown (a profile's read).
    /// `passes`: which attendee terms of each segment satisfy `involves`,
    /// where the meetings' read has worked it out already (a segment's
    /// dictionary is then not read again); empty when not.
    ///
    /// The segments are read on two threads, about a half of the documents
    /// each: a profile waits on this read while its other reads are done,
    /// and a segment's columns are read entry by entry (a person's thousand
    /// tasks are spread over the dictionaries), which no other segment's
    /// read needs.
    pub fn open_tasks_shown(
        &self,
        involves: &(dyn Fn(&str) -> bool + Sync),
        passes: &[Option<Vec<bool>>],
    ) -> Result<Vec<TaskRecord>> {
        let want = Want {
            involves: Some(involves),
            passes,
            ..Want::all(true)
        };
        let sizes: Vec<u32> = self
            .searcher()
            .segment_readers()
            .iter()
            .map(|r| r.max_doc())
            .collect();
        let read = |segs: &[usize]| records(self.task_table_in(want, Detail::Shown, segs)?);
        if sizes.len() < 2 {
            let all: Vec<usize> = (0..sizes.len()).collect();
            return read(&all);
        }
        let (mine, theirs) = halves(&sizes);
        let (tasks, theirs) = std::thread::scope(|s| {
            let theirs = s.spawn(|| read(&theirs));
            (read(&mine), crate::joined(theirs))
        });
        let mut tasks = tasks?;
        tasks.extend(theirs?);
        // Each half is in order: the sort merges them (a note is in one
        // segment only, so no two tasks have the same path and line).
        tasks.sort_by(|a, b| (&a.path, a.line).cmp(&(&b.path, b.line)));
        Ok(tasks)
    }

    /// Tasks carrying one of `tags`, with only what counting asks and gives
    /// needs (tags, links, their meeting's attendees and date, due date).
    pub fn tagged_tasks(&self, tags: &[&str]) -> Result<TaskTable> {
        if tags.is_empty() {
            return Ok(TaskTable::default());
        }
        let tags: Vec<String> = tags.iter().map(|t| t.to_lowercase()).collect();
        let want = Want {
            tags: &tags,
            ..Want::all(false)
        };
        self.task_table(want, Detail::Counts)
    }

    /// Open tasks with only their links, attendees, tags and dates (for
    /// counting the tasks that involve someone).
    pub fn open_task_columns(&self) -> Result<Vec<TaskRecord>> {
        records(self.task_table(Want::all(true), Detail::Counts)?)
    }

    /// Open tasks, compactly, with their texts as shown and their ids'
    /// hashes (the checklist's read).
    pub fn open_task_table(&self) -> Result<TaskTable> {
        self.task_table(Want::all(true), Detail::Shown)
    }

    /// The notes that may hold wanted tasks: with (open) tasks, and one of
    /// the tags when asked (a note's `tag` terms include its tasks').
    fn notes_query(&self, want: Want) -> BooleanQuery {
        let f = self.fields();
        let has = if want.open_only {
            flag::OPEN_TASKS
        } else {
            flag::TASKS
        };
        let mut clauses: Vec<(Occur, Box<dyn Query>)> =
            vec![(Occur::Must, self.term_query(f.flag, has))];
        if !want.tags.is_empty() {
            let any = want
                .tags
                .iter()
                .map(|t| (Occur::Should, self.term_query(f.flag, &flag::task_tag(t))))
                .collect();
            clauses.push((Occur::Must, Box::new(BooleanQuery::new(any))));
        }
        BooleanQuery::new(clauses)
    }

    /// The wanted tasks, sorted by path and line.
    fn task_table(&self, want: Want, detail: Detail) -> Result<TaskTable> {
        let segments: Vec<usize> = (0..self.searcher().segment_readers().len()).collect();
        self.task_table_in(want, detail, &segments)
    }

    /// The wanted tasks of these segments, sorted by path and line.
    fn task_table_in(&self, want: Want, detail: Detail, segments: &[usize]) -> Result<TaskTable> {
        let query = self.notes_query(want);
        let weight = self.weight(&query)?;
        let mut wanted = Vec::with_capacity(segments.len());
        for &seg in segments {
            let mut docs = self.live_matches(weight.as_ref(), seg, None)?;
            if docs.is_empty() {
                continue;
            }
            let cols = NoteCols::open(self, seg, detail)?;
            let mut attendee_pass = Vec::new();
            if let Some(f) = want.involves {
                // The notes that name someone wanted, from the few terms
                // that pass (as for a person's meetings), not note by note.
                attendee_pass = match want.passes.get(seg) {
                    Some(Some(pass)) => pass.clone(),
                    _ => passing_terms(&cols.attendee, f),
                };
                let mut named = docs_with_terms(
                    self.searcher(),
                    seg,
                    self.fields().attendee,
                    &cols.attendee,
                    &attendee_pass,
                )?;
                named.extend(self.task_link_docs(seg, f)?);
                named.sort_unstable();
                named.dedup();
                docs.retain(|d| named.binary_search(d).is_ok());
            }
            wanted.push((cols, docs, attendee_pass));
        }
        let mut table = if detail == Detail::Shown {
            TaskTable::shown()
        } else {
            TaskTable::default()
        };
        if want.tags.is_empty() && want.involves.is_none() {
            // Every task of these notes is wanted (open ones, when asked):
            // the rows are known before they are read, no room is wasted.
            let count = |(cols, docs, _): &(NoteCols, Vec<u32>, Vec<bool>)| -> u64 {
                let n = if want.open_only {
                    &cols.open
                } else {
                    &cols.tasks
                };
                docs.iter()
                    .fold(0u64, |sum, d| sum.saturating_add(n.first(*d).unwrap_or(0)))
            };
            let rows = wanted.iter().map(count).fold(0u64, u64::saturating_add);
            // A damaged count asks for too much: then the rows grow as read.
            table.reserve(usize::try_from(rows).unwrap_or(usize::MAX));
        }
        let mut filter = Filter::new(want);
        for (cols, mut docs, attendee_pass) in wanted {
            filter.attendee_pass = attendee_pass;
            cols.read(&mut docs, &mut filter, &mut table)?;
        }
        // Index order depends on the index's history; answers must not.
        // Each segment's run is already in order: the sort merges them.
        table.sort_by(|t, a, b| (t.path(a), a.line).cmp(&(t.path(b), b.line)));
        table.shrink_to_fit();
        Ok(table)
    }

    /// The documents of segment `seg` whose tasks link to a name `f`
    /// accepts (found by the inverted index's terms: a link too long to be
    /// one is kept as its key, [`crate::vault::refs::stored_ref`]).
    fn task_link_docs(&self, seg: usize, f: &dyn Fn(&str) -> bool) -> Result<Vec<u32>> {
        let reader = self.searcher().segment_reader(seg as u32);
        let inverted = reader.inverted_index(self.fields().task_link)?;
        let mut docs = Vec::new();
        let mut stream = inverted.terms().stream().map_err(io_err)?;
        while stream.advance() {
            if !f(&lossy(stream.key())) {
                continue;
            }
            let postings = inverted
                .read_postings_from_terminfo(stream.value(), IndexRecordOption::Basic)
                .map_err(io_err)?;
            push_postings(postings, &mut docs);
        }
        Ok(docs)
    }
}

/// The segments (by their number of documents) split in two sets of about
/// the same number of documents, each in segment order. An index is
/// usually a few large segments and a few small ones (a rebuild's, then
/// each refresh's): halving the list of segments instead gave one thread
/// 95 % of the documents.
fn halves(sizes: &[u32]) -> (Vec<usize>, Vec<usize>) {
    let mut order: Vec<usize> = (0..sizes.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(sizes[i]));
    let (mut a, mut b) = (Vec::new(), Vec::new());
    let (mut in_a, mut in_b) = (0u64, 0u64);
    for i in order {
        if in_a <= in_b {
            in_a += u64::from(sizes[i]);
            a.push(i);
        } else {
            in_b += u64::from(sizes[i]);
            b.push(i);
        }
    }
    a.sort_unstable();
    b.sort_unstable();
    (a, b)
}

/// The distinct ordinals of `ords` in order, below `terms` (an ordinal
/// past the dictionary, in a damaged index, names no term), and where each
/// of `ords` is among them. When `dense`, in one table the dictionary's
/// size, marked and then numbered in order (a checklist wants nearly every
/// note's path, and sorting its hundred thousand ordinals cost more); else
/// sorted and searched (a person's thousand tasks among a hundred thousand).
fn distinct(ords: &[u64], terms: usize, dense: bool) -> (Vec<u64>, Vec<Option<usize>>) {
    if dense {
        const NONE: usize = usize::MAX;
        let mut place = vec![NONE; terms];
        for o in ords {
            if let Some(p) = place.get_mut(*o as usize) {
                *p = 0;
            }
        }
        let mut out = Vec::new();
        for (o, p) in place.iter_mut().enumerate() {
            if *p != NONE {
                *p = out.len();
                out.push(o as u64);
            }
        }
        let at = |o: &u64| place.get(*o as usize).copied().filter(|p| *p != NONE);
        let places = ords.iter().map(at).collect();
        (out, places)
    } else {
        let mut out: Vec<u64> = ords.iter().copied().filter(|o| *o < terms as u64).collect();
        out.sort_unstable();
        out.dedup();
        let places = ords.iter().map(|o| out.binary_search(o).ok()).collect();
        (out, places)
    }
}

fn records(table: TaskTable) -> Result<Vec<TaskRecord>> {
    Ok(table.rows().iter().map(|r| table.record(r)).collect())
}

/// Which decoded tasks are kept, with what it has worked out about each
/// distinct word (tag or reference) of the table.
struct Filter<'a> {
    want: Want<'a>,
    /// By word: 0 not known yet, 1 no, 2 yes.
    involved: Vec<u8>,
    /// By attendee term ordinal of the segment being read.
    attendee_pass: Vec<bool>,
}

impl<'a> Filter<'a> {
    fn new(want: Want<'a>) -> Self {
        Filter {
            want,
            involved: Vec::new(),
            attendee_pass: Vec::new(),
        }
    }

    /// True when `row` is wanted (its note's attendees, when a meeting,
    /// have these term ordinals). Checked before its words go into the
    /// table, so that tasks left out add none: only the references of a
    /// task that may involve someone are kept to be checked once each.
    fn keeps(&mut self, table: &mut TaskTable, row: &TaskRow, attendee_ords: &[u64]) -> bool {
        let want = self.want;
        if want.open_only && row.status != TaskStatus::Open {
            return false;
        }
        if !want.tags.is_empty() {
            let wanted = |tag: &str| {
                let tag = tag.to_lowercase();
                want.tags.contains(&tag)
            };
            if !row.tags.clone().any(wanted) {
                return false;
            }
        }
        if let Some(f) = want.involves {
            let pass = &self.attendee_pass;
            let by_attendee = attendee_ords
                .iter()
                .any(|o| pass.get(*o as usize).copied().unwrap_or(false));
            let involved = &mut self.involved;
            let mut by_link = || {
                row.links.clone().any(|l| {
                    let w = table.word(l);
                    known(involved, table, w, f)
                })
            };
            if !by_attendee && !by_link() {
                return false;
            }
        }
        true
    }
}

/// `f` of word `w` of `table`, worked out once.
fn known(cache: &mut Vec<u8>, table: &TaskTable, w: u32, f: impl Fn(&str) -> bool) -> bool {
    let i = w as usize;
    if cache.len() <= i {
        cache.resize(i + 1, 0);
    }
    if cache[i] == 0 {
        let word = table.words().get(i).map(String::as_str).unwrap_or_default();
        cache[i] = if f(word) { 2 } else { 1 };
    }
    cache[i] == 2
}

/// One segment's note columns that tasks read.
struct NoteCols {
    detail: Detail,
    path: Option<StrColumn>,
    title: Option<StrColumn>,
    kind: Option<StrColumn>,
    attendee: Option<StrColumn>,
    text: Option<StrColumn>,
    rows: Option<BytesColumn>,
    date: Column<tantivy::DateTime>,
    tasks: Column<u64>,
    open: Column<u64>,
}

impl NoteCols {
    fn open(snap: &Snapshot, seg: usize, detail: Detail) -> Result<NoteCols> {
        let ff = snap.searcher().segment_reader(seg as u32).fast_fields();
        Ok(NoteCols {
            detail,
            path: ff.str("path")?,
            title: ff.str("title_raw")?,
            kind: ff.str("kind")?,
            attendee: ff.str("attendee")?,
            text: ff.str(if detail == Detail::Shown {
                "task_shown"
            } else {
                "task_text"
            })?,
            rows: ff.bytes("task_rows")?,
            date: ff.date("date")?,
            tasks: ff.u64("tasks")?,
            open: ff.u64("open_tasks")?,
        })
    }

    /// Adds a row for each wanted task of the notes `docs` to `table`; with
    /// paths, in path and line order.
    fn read(&self, docs: &mut [u32], filter: &mut Filter, table: &mut TaskTable) -> Result<()> {
        let full = self.detail != Detail::Counts;
        let Some(rows_col) = &self.rows else {
            return Ok(());
        };
        // Path ordinals sort as the paths do within a segment, as the
        // tasks' values do (see `taskrows`): the notes are read in turn,
        // and their rows come out in path order but for notes of several
        // parts, which the final sort puts in place.
        let first = |doc: u32| self.path.as_ref().and_then(|c| c.term_ords(doc).next());
        docs.sort_by_cached_key(|d| first(*d));
        let docs: &[u32] = docs;
        let mut terms = |col: &Option<StrColumn>, wanted: bool, keep: Keep| -> Result<Terms> {
            match col {
                Some(c) if wanted => Terms::read(c, docs, table, keep),
                _ => Ok(Terms::default()),
            }
        };
        let path = terms(&self.path, full, Keep::Span)?;
        let title = terms(&self.title, full, Keep::Span)?;
        let kind = terms(&self.kind, true, Keep::Text)?;
        let attendee = terms(&self.attendee, true, Keep::Word)?;
        // A note's texts in byte order: a task names its text by its place.
        let text = terms(&self.text, full, Keep::OrderedSpan)?;
        let notes: Vec<NoteParts> = docs
            .iter()
            .enumerate()
            .map(|(i, &doc)| {
                let is_meeting = kind.text(i).and_then(Kind::parse) == Some(Kind::Meeting);
                NoteParts {
                    path: path.spans(i).first().copied().unwrap_or_default(),
                    title: title.spans(i).first().copied().unwrap_or_default(),
                    kind: if full {
                        kind.text(i).and_then(Kind::parse).unwrap_or(Kind::Note)
                    } else {
                        Kind::Note
                    },
                    // A task involves its note's attendees when the note
                    // is a meeting.
                    attendees: if is_meeting { attendee.range(i) } else { 0..0 },
                    texts: text.spans(i),
                    date: self.date.first(doc).and_then(datetime_to_day),
                }
            })
            .collect();
        // Each note's tasks value, read in one pass over the dictionary; a
        // note of several parts is joined after it.
        let mut by_ord: Vec<(u64, usize)> = Vec::with_capacity(docs.len());
        let mut is_parted = vec![false; docs.len()];
        for (i, &doc) in docs.iter().enumerate() {
            let before = by_ord.len();
            by_ord.extend(rows_col.term_ords(doc).map(|o| (o, i)));
            if by_ord.len() - before > 1 {
                is_parted[i] = true;
            }
        }
        by_ord.sort_unstable();
        let mut ords: Vec<u64> = by_ord.iter().map(|(o, _)| *o).collect();
        ords.dedup();
        let mut parts: Vec<(usize, Vec<u8>)> = Vec::new();
        let mut reader = RowReader {
            detail: self.detail,
            filter,
            attendee: &attendee,
            tags: Vec::new(),
            links: Vec::new(),
        };
        let mut next = 0;
        each_term(rows_col, &ords, |bytes| {
            let Some(&(ord, _)) = by_ord.get(next) else {
                return;
            };
            while let Some(&(o, i)) = by_ord.get(next) {
                if o != ord {
                    break;
                }
                next += 1;
                if is_parted[i] {
                    parts.push((i, bytes.to_vec()));
                } else {
                    let one = taskrows::join(&[bytes]);
                    reader.push(&notes[i], taskrows::decode(&one), table);
                }
            }
        })?;
        // Each parted note's values, in one run (the order of a run is
        // `join`'s to mend).
        parts.sort_by_key(|(i, _)| *i);
        for run in parts.chunk_by(|a, b| a.0 == b.0) {
            let mine: Vec<&[u8]> = run.iter().map(|(_, b)| b.as_slice()).collect();
            let joined = taskrows::join(&mine);
            reader.push(&notes[run[0].0], taskrows::decode(&joined), table);
        }
        Ok(())
    }
}

/// What a task takes from its note.
struct NoteParts<'t> {
    path: Span,
    title: Span,
    kind: Kind,
    /// Its attendees' place in the segment's [`Terms`].
    attendees: std::ops::Range<usize>,
    /// Its tasks' texts (as written or as shown, as read), in byte order.
    texts: &'t [Span],
    date: Option<chrono::NaiveDate>,
}

/// Turns decoded tasks into the table's rows.
struct RowReader<'a, 'w> {
    detail: Detail,
    filter: &'a mut Filter<'w>,
    attendee: &'a Terms,
    /// The words of the task at hand (kept: a hundred thousand tasks).
    tags: Vec<u32>,
    links: Vec<u32>,
}

/// A task's text in the table: its note's text from the column (kept in
/// the table once for every task that shares it), or its own.
fn text_span(text: Text, texts: &[Span], table: &mut TaskTable) -> Span {
    match text {
        Text::Column(i) => texts.get(i).copied().unwrap_or_default(),
        Text::Here("") => Span::default(),
        Text::Here(s) => table.put(s),
    }
}

impl RowReader<'_, '_> {
    fn push<'b>(
        &mut self,
        note: &NoteParts<'_>,
        rows: impl Iterator<Item = TaskRow<'b>>,
        table: &mut TaskTable,
    ) {
        let full = self.detail != Detail::Counts;
        let attendee_words = self
            .attendee
            .words
            .get(note.attendees.clone())
            .unwrap_or_default();
        let attendee_ords = self
            .attendee
            .ords
            .get(note.attendees.clone())
            .unwrap_or_default();
        for row in rows {
            if !self.filter.keeps(table, &row, attendee_ords) {
                continue;
            }
            self.tags.clear();
            self.tags.extend(row.tags.map(|t| table.word(t)));
            self.links.clear();
            self.links.extend(row.links.map(|l| table.word(l)));
            let text = match self.detail {
                Detail::Counts => Span::default(),
                Detail::Full => text_span(row.text, note.texts, table),
                Detail::Shown => text_span(row.shown, note.texts, table),
            };
            table.push(TaskParts {
                path: note.path,
                text,
                note_title: note.title,
                links: self.links.iter().copied(),
                attendees: attendee_words.iter().copied(),
                tags: self.tags.iter().copied(),
                line: if full { row.line } else { 0 },
                status: if full { row.status } else { TaskStatus::Open },
                due: row.due,
                note_date: note.date,
                note_kind: note.kind,
                hash: if self.detail == Detail::Shown {
                    row.hash
                } else {
                    0
                },
            });
        }
    }
}

/// How [`Terms`] keeps what it reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Keep {
    /// As strings of its own (a handful of values: kinds).
    Text,
    /// In the table, as [`Span`]s (paths, titles).
    Span,
    /// As [`Span`]s, each document's in term order (tasks' texts).
    OrderedSpan,
    /// As the table's words (references), with their term ordinals.
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
    /// words with their term ordinals beside them (Keep::Word).
    words: Vec<u32>,
    ords: Vec<u64>,
}

impl Terms {
    /// Reads the terms `docs` use, in one pass over the dictionary.
    fn read(col: &StrColumn, docs: &[u32], table: &mut TaskTable, keep: Keep) -> Result<Terms> {
        let mut ends = Vec::with_capacity(docs.len());
        let mut doc_ords: Vec<u64> = Vec::with_capacity(docs.len());
        for d in docs {
            let from = doc_ords.len();
            doc_ords.extend(col.term_ords(*d));
            if keep == Keep::OrderedSpan {
                doc_ords[from..].sort_unstable();
            }
            ends.push(doc_ords.len());
        }
        let terms = col.dictionary().num_terms();
        let (ords, places) = distinct(&doc_ords, terms, terms <= 8 * doc_ords.len() + 4096);
        let (mut texts, mut spans, mut words) = (Vec::new(), Vec::new(), Vec::new());
        // A person's thousand tasks do not read all the vault's paths.
        each_term(col, &ords, |term| {
            let term = lossy(term);
            match keep {
                Keep::Text => texts.push(term.into_owned()),
                Keep::Span | Keep::OrderedSpan => spans.push(table.put(&term)),
                Keep::Word => words.push(table.word(&term)),
            }
        })?;
        let mut t = Terms {
            texts,
            starts: Vec::with_capacity(docs.len() + 1),
            ..Default::default()
        };
        t.starts.push(0);
        let mut from = 0;
        for end in ends {
            for (p, o) in places[from..end].iter().zip(&doc_ords[from..end]) {
                let Some(p) = p else { continue };
                match keep {
                    Keep::Text => t.places.push(*p as u32),
                    Keep::Span | Keep::OrderedSpan => t.spans.extend(spans.get(*p)),
                    Keep::Word => {
                        if let Some(w) = words.get(*p) {
                            t.words.push(*w);
                            t.ords.push(*o);
                        }
                    }
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
}

#[cfg(test)]
mod tests {
    use super::super::refreshed;
    use super::*;

    /// An index of a small vault: a meeting with Ada, and a plain note that
    /// lists Ada as an attendee but is not a meeting.
    fn snapshot() -> (tempfile::TempDir, Snapshot) {
        let dir = tempfile::tempdir().unwrap();
        let vault = dir.path().join("vault");
        let write = |rel: &str, text: &str| {
            let path = vault.join(rel);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        };
        write("people/ada.md", "---\nname: Ada Lovelace\n---\n");
        write("people/bob.md", "---\nname: Bob Stone\n---\n");
        write(
            "meetings/2026-11-20 Sync.md",
            "---\nwith: \"[[Ada Lovelace]]\"\n---\n- [ ] #Ask intro to the data team\n\
             - [ ] send the deck\n- [x] #give shared notes 📅 2026-12-01\n",
        );
        write(
            "notes/plan.md",
            "---\ntype: note\nattendees: [\"[[Ada Lovelace]]\"]\n---\n\
             - [ ] call [[Bob Stone]] #ask\n- [ ] unrelated chore\n",
        );
        let index = super::super::Index::open(&vault, &dir.path().join("index")).unwrap();
        (dir, refreshed(&index))
    }

    fn texts(records: &[TaskRecord]) -> Vec<(&str, usize, &str)> {
        records
            .iter()
            .map(|t| (t.path.as_str(), t.line, t.text.as_str()))
            .collect()
    }

    #[test]
    fn distinct_ordinals_are_the_same_either_way() {
        let cases: [(&[u64], usize); 5] = [
            (&[], 0),
            (&[5, 1, 5, 3, 0, 1], 6),
            (&[9, 2, 2, 7], 8),
            (&[4, 4, 4], 5),
            (&[3, 12, 3], 10),
        ];
        for (ords, terms) in cases {
            let (sorted, places) = super::distinct(ords, terms, false);
            assert_eq!(
                super::distinct(ords, terms, true),
                (sorted.clone(), places.clone())
            );
            assert!(sorted.windows(2).all(|w| w[0] < w[1]));
            assert!(sorted.iter().all(|o| ords.contains(o) && *o < terms as u64));
            // Each ordinal's place names it; one past the dictionary has none.
            for (o, p) in ords.iter().zip(&places) {
                assert_eq!(p.map(|p| sorted[p]), (*o < terms as u64).then_some(*o));
            }
        }
        let (sorted, places) = super::distinct(&[5, 1, 5, 3, 0, 1], 6, true);
        assert_eq!(sorted, [0, 1, 3, 5]);
        assert_eq!(
            places,
            [Some(3), Some(1), Some(3), Some(2), Some(0), Some(1)]
        );
    }

    #[test]
    fn every_task_comes_back_with_its_note() {
        let (_dir, snap) = snapshot();
        let all = snap.tasks(false, None).unwrap();
        assert_eq!(
            texts(&all),
            vec![
                (
                    "meetings/2026-11-20 Sync.md",
                    4,
                    "#Ask intro to the data team"
                ),
                ("meetings/2026-11-20 Sync.md", 5, "send the deck"),
                (
                    "meetings/2026-11-20 Sync.md",
                    6,
                    "#give shared notes 📅 2026-12-01"
                ),
                ("notes/plan.md", 5, "call [[Bob Stone]] #ask"),
                ("notes/plan.md", 6, "unrelated chore"),
            ]
        );
        let give = &all[2];
        assert_eq!(give.status, TaskStatus::Done);
        assert_eq!(
            give.due.map(|d| d.to_string()).as_deref(),
            Some("2026-12-01")
        );
        assert_eq!(give.note_kind, Kind::Meeting);
        assert_eq!(give.note_title, "2026-11-20 Sync");
        assert_eq!(give.attendees, vec!["Ada Lovelace"]);
        assert_eq!(give.tags, vec!["give"]);
        let call = &all[3];
        assert_eq!(call.note_kind, Kind::Note);
        assert!(
            call.attendees.is_empty(),
            "a plain note's tasks have no attendees"
        );
        assert_eq!(call.links, vec!["Bob Stone"]);
        assert_eq!(snap.tasks(true, None).unwrap().len(), 4);
        assert_eq!(snap.open_task_table().unwrap().len(), 4);
        assert_eq!(snap.open_task_columns().unwrap().len(), 4);
    }

    #[test]
    fn a_task_involves_its_links_and_its_meetings_attendees() {
        let (_dir, snap) = snapshot();
        let ada = snap
            .open_tasks_shown(&|r: &str| r == "Ada Lovelace", &[])
            .unwrap();
        assert_eq!(
            texts(&ada),
            vec![
                (
                    "meetings/2026-11-20 Sync.md",
                    4,
                    "#Ask intro to the data team"
                ),
                ("meetings/2026-11-20 Sync.md", 5, "send the deck"),
            ],
            "the plain note's tasks are not hers, though she is listed there"
        );
        let bob = snap
            .open_tasks_shown(&|r: &str| r == "Bob Stone", &[])
            .unwrap();
        assert_eq!(
            texts(&bob),
            vec![("notes/plan.md", 5, "call Bob Stone #ask")]
        );
        let involved = snap
            .tasks(false, Some(&|r: &str| r == "Ada Lovelace"))
            .unwrap();
        assert_eq!(involved.len(), 3, "done ones too");
    }

    /// A profile's tasks take the attendee answers the meetings' read
    /// worked out: the same tasks as asking the test again, and those
    /// answers are the ones used.
    #[test]
    fn the_meetings_answers_for_attendees_serve_the_tasks_read() {
        let (_dir, snap) = snapshot();
        let ada = |r: &str| r == "Ada Lovelace";
        let read = snap
            .prepare_meetings(&crate::index::MeetingFilter::default(), true)
            .unwrap();
        let passes = read.attendee_passes(&ada);
        assert!(passes.iter().any(Option::is_some));
        assert_eq!(
            texts(&snap.open_tasks_shown(&ada, &passes).unwrap()),
            texts(&snap.open_tasks_shown(&ada, &[]).unwrap())
        );
        // Every attendee passed, a test that accepts nobody: the meeting's
        // tasks come all the same, the plain note's do not.
        let everyone: Vec<Option<Vec<bool>>> = passes
            .iter()
            .map(|p| p.as_ref().map(|v| vec![true; v.len()]))
            .collect();
        let got = snap.open_tasks_shown(&|_: &str| false, &everyone).unwrap();
        assert_eq!(
            texts(&got),
            vec![
                (
                    "meetings/2026-11-20 Sync.md",
                    4,
                    "#Ask intro to the data team"
                ),
                ("meetings/2026-11-20 Sync.md", 5, "send the deck"),
            ]
        );
    }

    /// A profile's tasks are read on two threads, a part of the segments
    /// each: they come back whole and in path order however the notes were
    /// spread.
    #[test]
    fn a_persons_tasks_from_several_segments_come_back_whole_and_in_order() {
        let (_dir, vault, index) =
            super::super::temp_vault(&[("ada.md", "---\nname: Ada Lovelace\n---\n")]);
        // Each refresh commits a segment; the names interleave across them.
        let mut snap = None;
        for batch in [["n4", "n1"], ["n6", "n3"], ["n2", "n8"], ["n5", "n7"]] {
            for name in batch {
                let text = format!("- [ ] ask [[Ada Lovelace]] about {name}\n- [ ] other {name}\n");
                std::fs::write(vault.join(format!("{name}.md")), text).unwrap();
            }
            snap = Some(refreshed(&index));
        }
        let snap = snap.unwrap();
        assert!(snap.searcher().segment_readers().len() >= 3);
        let ada = snap
            .open_tasks_shown(&|r: &str| r == "Ada Lovelace", &[])
            .unwrap();
        let got: Vec<(&str, usize)> = ada.iter().map(|t| (t.path.as_str(), t.line)).collect();
        let want: Vec<(String, usize)> = (1..=8).map(|i| (format!("n{i}.md"), 1)).collect();
        let want: Vec<(&str, usize)> = want.iter().map(|(p, l)| (p.as_str(), *l)).collect();
        assert_eq!(got, want);
        assert!(
            ada.iter()
                .all(|t| t.text.starts_with("ask Ada Lovelace about n"))
        );
    }

    #[test]
    fn segments_are_halved_by_documents_not_by_count() {
        // A rebuild's two large segments and two refreshes' small ones.
        assert_eq!(
            super::halves(&[64370, 64001, 3369, 3260]),
            (vec![0, 3], vec![1, 2])
        );
        assert_eq!(super::halves(&[10, 500, 20]), (vec![1], vec![0, 2]));
        assert_eq!(super::halves(&[5, 5]), (vec![0], vec![1]));
        let (a, b) = super::halves(&[1, 2, 3, 4, 5, 6, 7]);
        let docs = |s: &[usize]| s.iter().map(|i| i + 1).sum::<usize>();
        assert_eq!(a.len() + b.len(), 7);
        assert!(docs(&a).abs_diff(docs(&b)) <= 1, "{a:?} {b:?}");
    }

    #[test]
    fn tagged_tasks_are_those_carrying_the_tags_in_any_case() {
        let (_dir, snap) = snapshot();
        let table = snap.tagged_tasks(&["ask"]).unwrap();
        let tags: Vec<Vec<&str>> = table
            .rows()
            .iter()
            .map(|r| {
                table
                    .tags(r)
                    .iter()
                    .map(|w| table.words()[*w as usize].as_str())
                    .collect()
            })
            .collect();
        assert_eq!(
            tags,
            vec![vec!["ask"], vec!["ask"]],
            "not the untagged ones beside them"
        );
        assert_eq!(snap.tagged_tasks(&["ASK", "give"]).unwrap().len(), 3);
        assert!(snap.tagged_tasks(&[]).unwrap().is_empty());
        assert!(snap.tagged_tasks(&["nothing"]).unwrap().is_empty());
    }

    #[test]
    fn a_words_verdict_is_worked_out_once() {
        let mut table = TaskTable::default();
        let (a, b) = (table.word("Ada"), table.word("Bob"));
        let calls = std::cell::Cell::new(0);
        let f = |w: &str| {
            calls.set(calls.get() + 1);
            w == "Ada"
        };
        let mut cache = Vec::new();
        assert!(known(&mut cache, &table, a, f));
        assert!(!known(&mut cache, &table, b, f));
        assert!(known(&mut cache, &table, a, f));
        assert_eq!(calls.get(), 2);
    }
}
