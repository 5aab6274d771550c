//! Answering from the index: plain data out, tantivy stays inside.
//!
//! Aggregates over many meetings (who met whom, when, about what) are read
//! from fast fields, column by column, never from stored documents; only the
//! handful of notes an answer prints are loaded whole.

use std::collections::HashMap;
use std::ops::Bound;

use chrono::NaiveDate;
use serde::Serialize;
use tantivy::columnar::{BytesColumn, StrColumn};
use tantivy::query::{AllQuery, BooleanQuery, Occur, Query, QueryParser, RangeQuery, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::snippet::SnippetGenerator;
use tantivy::{DocAddress, Searcher, Term};

use super::schema::{Fields, datetime_to_day, day_to_datetime};
use super::sstable;
use super::writer::Stamp;
use super::{Error, Result};
use crate::vault::tasktable::Strings;
use crate::vault::{Kind, Note};

/// A document, for loading it later from the same snapshot.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DocRef(DocAddress);

impl DocRef {
    /// A reference from raw numbers, for tests that build facts by hand.
    #[doc(hidden)]
    pub fn from_raw(segment: u32, doc: u32) -> DocRef {
        DocRef(DocAddress::new(segment, doc))
    }

    /// The segment the document is in.
    pub fn segment(&self) -> u32 {
        self.0.segment_ord
    }
}

/// One meeting, as fast fields know it. Strings are interned in [`Facts`].
#[derive(Debug, Clone)]
pub struct MeetingFact {
    /// For loading the whole note.
    pub doc: DocRef,
    /// Meeting date.
    pub date: Option<NaiveDate>,
    /// Indices into [`Facts::refs`].
    pub attendees: Vec<u32>,
    /// Indices into [`Facts::projects`].
    pub projects: Vec<u32>,
    /// Indices into [`Facts::tags`].
    pub tags: Vec<u32>,
    /// Number of tasks in the note.
    pub tasks: u32,
    /// Number of open tasks.
    pub open_tasks: u32,
    /// Path, when asked for with `labels`.
    pub path: String,
    /// Title, when asked for with `labels`.
    pub title: String,
}

/// A note that links to other notes (for mentions).
#[derive(Debug, Clone)]
pub struct MentionFact {
    /// For loading the note.
    pub doc: DocRef,
    /// Its kind.
    pub kind: Kind,
    /// Its date.
    pub date: Option<NaiveDate>,
    /// Indices into [`Facts::refs`].
    pub links: Vec<u32>,
}

/// Meetings (and mentions) with their strings interned once.
#[derive(Debug, Default)]
pub struct Facts {
    /// Reference texts as written (attendees, link targets).
    pub refs: Vec<String>,
    /// Project names as written.
    pub projects: Vec<String>,
    /// Tags.
    pub tags: Vec<String>,
    /// Matching meetings.
    pub meetings: Vec<MeetingFact>,
    /// Notes with links (filled by [`Snapshot::mentions`]).
    pub mentions: Vec<MentionFact>,
}

/// A search hit.
#[derive(Debug, Clone, Serialize)]
pub struct Hit {
    /// Vault-relative path.
    pub path: String,
    /// Title.
    pub title: String,
    /// person, meeting or note.
    pub kind: String,
    /// Date, if any.
    pub date: Option<NaiveDate>,
    /// Relevance.
    pub score: f32,
    /// Excerpt with matches between `**`.
    pub snippet: String,
    /// Byte ranges of the matches in `snippet`.
    #[serde(skip)]
    pub highlights: Vec<std::ops::Range<usize>>,
}

/// Options of a full-text search.
#[derive(Debug, Clone, Default)]
pub struct SearchOpts {
    /// Restrict to one kind.
    pub kind: Option<Kind>,
    /// Notes dated on or after.
    pub since: Option<NaiveDate>,
    /// Notes dated on or before.
    pub until: Option<NaiveDate>,
    /// Maximum hits.
    pub limit: usize,
}

/// A consistent read-only view of one commit.
pub struct Snapshot {
    searcher: Searcher,
    f: Fields,
    index: tantivy::Index,
    vault: std::path::PathBuf,
}

/// What a segment holds of a query's live matches (see [`Snapshot::live`]).
enum Live {
    /// None: the segment is skipped.
    Nothing,
    /// All of them, read.
    All(Vec<u32>),
    /// Some, to be found among candidates.
    Narrowed,
}

/// The global id, in `strings`, of every term ordinal of a segment's
/// column. The interner is kept from one segment to the next, so that a
/// string seen in an earlier segment is neither copied nor hashed into a
/// fresh map again.
fn map_column(strings: &mut Strings, col: &StrColumn) -> Result<Vec<u32>> {
    let mut out = Vec::with_capacity(col.num_terms());
    sstable::each(col.dictionary(), |term| out.push(strings.id(&lossy(term)))).map_err(io_err)?;
    Ok(out)
}

/// Bytes from the index as text: borrowed when they are UTF-8, which they
/// nearly always are (std's lossy decoding checks them byte by byte; the
/// strict check takes ASCII a word at a time), else decoded lossily.
pub(super) fn lossy(bytes: &[u8]) -> std::borrow::Cow<'_, str> {
    match std::str::from_utf8(bytes) {
        Ok(text) => std::borrow::Cow::Borrowed(text),
        Err(_) => String::from_utf8_lossy(bytes),
    }
}

pub(super) fn io_err(e: std::io::Error) -> Error {
    Error::Tantivy(tantivy::TantivyError::from(e))
}

fn ords(col: &Option<StrColumn>, map: &[u32], doc: u32) -> Vec<u32> {
    match col {
        Some(c) => c
            .term_ords(doc)
            .filter_map(|o| map.get(o as usize).copied())
            .collect(),
        None => Vec::new(),
    }
}

impl Snapshot {
    pub(super) fn new(
        searcher: Searcher,
        f: Fields,
        index: tantivy::Index,
        vault: std::path::PathBuf,
    ) -> Self {
        Snapshot {
            searcher,
            f,
            index,
            vault,
        }
    }

    /// The searcher of this snapshot (for the index's other readers).
    pub(super) fn searcher(&self) -> &Searcher {
        &self.searcher
    }

    /// The schema's fields.
    pub(super) fn fields(&self) -> &Fields {
        &self.f
    }

    pub(super) fn term_query(&self, field: tantivy::schema::Field, value: &str) -> Box<dyn Query> {
        Box::new(TermQuery::new(
            Term::from_field_text(field, value),
            IndexRecordOption::Basic,
        ))
    }

    pub(super) fn kind_query(&self, kind: &str) -> Box<dyn Query> {
        self.term_query(self.f.kind, kind)
    }

    fn date_range(
        &self,
        since: Option<NaiveDate>,
        until: Option<NaiveDate>,
    ) -> Option<Box<dyn Query>> {
        if since.is_none() && until.is_none() {
            return None;
        }
        let lo = since.map_or(Bound::Unbounded, |d| {
            Bound::Included(Term::from_field_date(self.f.date, day_to_datetime(d)))
        });
        let hi = until.map_or(Bound::Unbounded, |d| {
            Bound::Included(Term::from_field_date(self.f.date, day_to_datetime(d)))
        });
        Some(Box::new(RangeQuery::new(lo, hi)))
    }

    /// Runs `query` and calls `each(segment, doc)` for every live match.
    pub(super) fn for_each_match(
        &self,
        query: &dyn Query,
        mut each: impl FnMut(usize, u32) -> Result<()>,
    ) -> Result<()> {
        let weight = query.weight(tantivy::query::EnableScoring::disabled_from_searcher(
            &self.searcher,
        ))?;
        for (seg_ord, seg) in self.searcher.segment_readers().iter().enumerate() {
            let mut docs = Vec::new();
            weight.for_each_no_score(seg, &mut |batch| docs.extend_from_slice(batch))?;
            for doc in docs {
                if !seg.is_deleted(doc) {
                    each(seg_ord, doc)?;
                }
            }
        }
        Ok(())
    }

    pub(super) fn weight(&self, query: &dyn Query) -> Result<Box<dyn tantivy::query::Weight>> {
        Ok(
            query.weight(tantivy::query::EnableScoring::disabled_from_searcher(
                &self.searcher,
            ))?,
        )
    }

    /// The live documents of segment `seg` that `weight` matches: all of
    /// them (as [`Snapshot::for_each_match`] visits them), or only those
    /// among `among` (sorted), each checked by skipping to it.
    pub(super) fn live_matches(
        &self,
        weight: &dyn tantivy::query::Weight,
        seg: usize,
        among: Option<&[u32]>,
    ) -> Result<Vec<u32>> {
        let reader = self.searcher.segment_reader(seg as u32);
        let mut docs = Vec::new();
        match among {
            None => weight.for_each_no_score(reader, &mut |batch| docs.extend_from_slice(batch))?,
            Some(among) => {
                let mut scorer = weight.scorer(reader, 1.0)?;
                for &wanted in among {
                    let mut doc = scorer.doc();
                    if doc < wanted {
                        doc = scorer.seek(wanted);
                    }
                    if doc == tantivy::TERMINATED {
                        break;
                    }
                    if doc == wanted {
                        docs.push(doc);
                    }
                }
            }
        }
        docs.retain(|d| !reader.is_deleted(*d));
        Ok(docs)
    }

    /// What segment `seg` holds of `weight`'s live matches: every one,
    /// read at once when nothing `narrowed` will pick among them, or only
    /// whether there is any (the matches are then found among candidates by
    /// [`Snapshot::live_docs`]).
    fn live(
        &self,
        weight: &dyn tantivy::query::Weight,
        seg: usize,
        narrowed: bool,
    ) -> Result<Live> {
        if narrowed {
            return Ok(if self.any_live_match(weight, seg)? {
                Live::Narrowed
            } else {
                Live::Nothing
            });
        }
        let docs = self.live_matches(weight, seg, None)?;
        Ok(if docs.is_empty() {
            Live::Nothing
        } else {
            Live::All(docs)
        })
    }

    /// The live matches [`Snapshot::live`] found, or, when narrowed, those
    /// among the `candidates`.
    fn live_docs(
        &self,
        live: Live,
        weight: &dyn tantivy::query::Weight,
        seg: usize,
        candidates: impl FnOnce() -> Result<Vec<u32>>,
    ) -> Result<Vec<u32>> {
        match live {
            Live::All(docs) => Ok(docs),
            Live::Narrowed => self.live_matches(weight, seg, Some(&candidates()?)),
            Live::Nothing => Ok(Vec::new()),
        }
    }

    /// True when `weight` matches a live document of segment `seg`.
    fn any_live_match(&self, weight: &dyn tantivy::query::Weight, seg: usize) -> Result<bool> {
        let reader = self.searcher.segment_reader(seg as u32);
        let mut scorer = weight.scorer(reader, 1.0)?;
        let mut doc = scorer.doc();
        while doc != tantivy::TERMINATED {
            if !reader.is_deleted(doc) {
                return Ok(true);
            }
            doc = scorer.advance();
        }
        Ok(false)
    }

    /// (size, mtime) of every file the index knows, sorted by path.
    pub(crate) fn stamps(&self) -> Result<Vec<(String, Stamp)>> {
        let mut out = Vec::new();
        let mut segments = 0;
        for seg in self.searcher.segment_readers() {
            let ff = seg.fast_fields();
            let Some(paths) = ff.str("path")? else {
                continue;
            };
            segments += 1;
            let size = ff.u64("size")?;
            let mtime = ff.i64("mtime")?;
            // One stamp per path ordinal (a file is one document).
            let mut by_ord: Vec<Option<Stamp>> = vec![None; paths.num_terms()];
            for doc in seg.doc_ids_alive() {
                if let Some(slot) = paths
                    .term_ords(doc)
                    .next()
                    .and_then(|p| by_ord.get_mut(p as usize))
                {
                    *slot = Some(Stamp {
                        size: size.first(doc).unwrap_or(0),
                        mtime: mtime.first(doc).unwrap_or(0),
                    });
                }
            }
            let mut ord = 0;
            sstable::each(paths.dictionary(), |term| {
                if let Some(Some(stamp)) = by_ord.get(ord) {
                    out.push((lossy(term).into_owned(), *stamp));
                }
                ord += 1;
            })
            .map_err(io_err)?;
        }
        // Each segment is sorted already; several need merging.
        if segments > 1 {
            out.sort_unstable_by(|a, b| a.0.cmp(&b.0));
            out.dedup_by(|a, b| a.0 == b.0);
        }
        Ok(out)
    }

    /// How many notes of a kind (`person`, `meeting`, `note`) the index holds.
    pub fn count_kind(&self, kind: &str) -> Result<usize> {
        Ok(self
            .searcher
            .search(&*self.kind_query(kind), &tantivy::collector::Count)?)
    }

    /// True when the index holds a document for this path.
    pub fn has_path(&self, path: &str) -> Result<bool> {
        let q = TermQuery::new(
            Term::from_field_text(self.f.path, path),
            IndexRecordOption::Basic,
        );
        Ok(self.searcher.search(&q, &tantivy::collector::Count)? > 0)
    }

    /// Every live document a query matches.
    fn addresses(&self, query: &dyn Query) -> Result<Vec<DocAddress>> {
        let mut addrs = Vec::new();
        self.for_each_match(query, |seg, doc| {
            addrs.push(DocAddress::new(seg as u32, doc));
            Ok(())
        })?;
        Ok(addrs)
    }

    /// Loads the stored note of each document, skipping any that do not
    /// parse, in the order given, as one part or two. Many documents are
    /// loaded a half on each of two threads (each half a part): each costs
    /// a block's decompression and a parse (about 5 µs a person note), and
    /// the thousands of person notes every question about people starts
    /// with are its longest read.
    fn load_all<T: serde::de::DeserializeOwned + Send>(
        &self,
        addrs: Vec<DocAddress>,
    ) -> Result<Vec<Vec<T>>> {
        /// Below this, a thread costs more than it saves.
        const SPLIT_FROM: usize = 512;
        let meta = self.f.meta.field_id();
        let load = |addrs: &[DocAddress]| -> Result<Vec<T>> {
            let mut out = Vec::with_capacity(addrs.len());
            // Each thread its own readers of the document store (and their
            // caches of decompressed blocks), one a segment as needed.
            let mut stores: Vec<Option<tantivy::store::StoreReader>> =
                std::iter::repeat_with(|| None)
                    .take(self.searcher.segment_readers().len())
                    .collect();
            for a in addrs {
                let Some(slot) = stores.get_mut(a.segment_ord as usize) else {
                    continue;
                };
                let store = match slot {
                    Some(store) => store,
                    None => slot.insert(
                        self.searcher
                            .segment_reader(a.segment_ord)
                            .get_store_reader(STORE_BLOCKS)
                            .map_err(io_err)?,
                    ),
                };
                let doc = store.get_document_bytes(a.doc_id)?;
                let t = match stored_meta(&doc, meta) {
                    Some(bytes) => postcard::from_bytes(bytes).ok(),
                    None => self.load::<T>(*a)?,
                };
                out.extend(t);
            }
            Ok(out)
        };
        if addrs.len() < SPLIT_FROM {
            return Ok(vec![load(&addrs)?]);
        }
        let (first, second) = addrs.split_at(addrs.len() / 2);
        let (first, second) = std::thread::scope(|s| {
            let second = s.spawn(|| load(second));
            (load(first), crate::joined(second))
        });
        // Each half as read: joining them would copy every note once more
        // (a megabyte and a quarter of person notes, into fresh pages).
        Ok(vec![first?, second?])
    }

    fn load<T: serde::de::DeserializeOwned>(&self, doc: DocAddress) -> Result<Option<T>> {
        let d: StoredNote = self.searcher.doc(doc)?;
        Ok(d.0.and_then(|b| postcard::from_bytes(&b).ok()))
    }

    /// Every project name as written in some note, each once, sorted.
    pub fn projects(&self) -> Result<Vec<String>> {
        let mut out = Vec::new();
        for seg in self.searcher.segment_readers() {
            let Some(col) = seg.fast_fields().str("project_raw")? else {
                continue;
            };
            sstable::each(col.dictionary(), |term| out.push(lossy(term).into_owned()))
                .map_err(io_err)?;
        }
        out.sort_unstable();
        out.dedup();
        Ok(out)
    }

    /// Every person note, sorted by path.
    pub fn people(&self) -> Result<Vec<Note>> {
        self.notes_of_kind(Kind::Person)
    }

    /// Every note of one kind (person, meeting, note), sorted by path.
    pub fn notes_of_kind(&self, kind: Kind) -> Result<Vec<Note>> {
        let parts = self.load_all::<Note>(self.addresses(&*self.kind_query(kind.as_str()))?)?;
        // Sorted by moving each note once: a note is large, its path is not.
        let mut order: Vec<(usize, usize)> = parts
            .iter()
            .enumerate()
            .flat_map(|(p, notes)| (0..notes.len()).map(move |i| (p, i)))
            .collect();
        order.sort_by(|a, b| parts[a.0][a.1].path.cmp(&parts[b.0][b.1].path));
        let mut parts: Vec<Vec<Option<Note>>> = parts
            .into_iter()
            .map(|notes| notes.into_iter().map(Some).collect())
            .collect();
        Ok(order
            .into_iter()
            .filter_map(|(p, i)| parts[p][i].take())
            .collect())
    }

    /// Every front-matter `uid` in the vault with the path of its note,
    /// read from fast fields (an import asks this before creating anything).
    pub fn uids(&self) -> Result<Vec<(String, String)>> {
        let mut out = Vec::new();
        for seg in self.searcher.segment_readers() {
            let ff = seg.fast_fields();
            let (Some(uids), Some(paths)) = (ff.str("uid")?, ff.str("path")?) else {
                continue;
            };
            let term = |col: &StrColumn, ord: u64| -> Result<String> {
                let mut bytes = Vec::new();
                col.ord_to_bytes(ord, &mut bytes).map_err(io_err)?;
                Ok(lossy(&bytes).into_owned())
            };
            for doc in seg.doc_ids_alive() {
                let Some(u) = uids.term_ords(doc).next() else {
                    continue;
                };
                let Some(p) = paths.term_ords(doc).next() else {
                    continue;
                };
                out.push((term(&uids, u)?, term(&paths, p)?));
            }
        }
        out.sort();
        out.dedup();
        Ok(out)
    }

    /// Meetings as [`MeetingFilter`] says: about a project (normalised),
    /// matching a full-text query, in a date range, read from fast fields.
    pub fn meetings_with(&self, filter: &MeetingFilter<'_>) -> Result<Facts> {
        self.prepare_meetings(filter, filter.attendee.is_some())?
            .facts(filter.attendee, None)
    }

    /// The part of [`Snapshot::meetings_with`] that does not depend on
    /// whose meetings are wanted (`filter.attendee` is left for
    /// [`MeetingRead::facts`]): which segments hold matches, and their
    /// strings, interned. `narrowed`: an attendee test will be given.
    pub fn prepare_meetings(
        &self,
        filter: &MeetingFilter<'_>,
        narrowed: bool,
    ) -> Result<MeetingRead<'_>> {
        let MeetingFilter {
            project,
            project_keys,
            about,
            since,
            until,
            labels,
            attendee: _,
        } = *filter;
        let mut clauses: Vec<(Occur, Box<dyn Query>)> =
            vec![(Occur::Must, self.kind_query("meeting"))];
        if let Some(text) = about {
            clauses.push((
                Occur::Must,
                self.parse_user_query(
                    text,
                    &[self.f.title, self.f.body, self.f.project, self.f.tag],
                )?,
            ));
        }
        if let Some(r) = self.date_range(since, until) {
            clauses.push((Occur::Must, r));
        }
        if let Some(p) = project {
            // The inverted index finds a project's meetings without reading
            // every meeting's columns.
            let key = crate::vault::refs::project_key(p);
            clauses.push((Occur::Must, self.term_query(self.f.project_key, &key)));
        }
        if let Some(keys) = project_keys {
            let any: Vec<(Occur, Box<dyn Query>)> = keys
                .iter()
                .map(|k| (Occur::Should, self.term_query(self.f.project_key, k)))
                .collect();
            clauses.push((Occur::Must, Box::new(BooleanQuery::new(any))));
        }
        let query = BooleanQuery::new(clauses);
        let weight = self.weight(&query)?;
        let mut tables: [Strings; 3] = Default::default();
        let mut segs = Vec::new();
        for seg in 0..self.searcher.segment_readers().len() {
            let live = self.live(&*weight, seg, narrowed)?;
            if matches!(live, Live::Nothing) {
                continue;
            }
            // Every segment with a meeting has its strings interned, wanted
            // or not, in the same order whatever the filter: a name known
            // only by how notes spell it is shown as first spelled.
            let c = SegCols::open(&self.searcher, seg, &mut tables, labels)?;
            segs.push((seg, c, live));
        }
        Ok(MeetingRead {
            snap: self,
            weight,
            tables,
            segs,
            mentions: None,
        })
    }

    /// Notes that link to someone (all but skipped files and
    /// templates), added to `facts` with their links interned after the
    /// meetings' references; only those linking to a reference `target`
    /// accepts, when given.
    pub fn mentions(&self, facts: &mut Facts, target: Option<&dyn Fn(&str) -> bool>) -> Result<()> {
        let mut refs = Strings::from_list(std::mem::take(&mut facts.refs));
        let read = self.prepare_mentions(&mut refs, target.is_some())?;
        facts.mentions = self.mention_facts(read, &refs, target)?;
        facts.refs = refs.into_list();
        Ok(())
    }

    /// The part of [`Snapshot::mentions`] that does not depend on whom the
    /// notes must link to: which segments hold notes, and their links
    /// interned in `refs`.
    fn prepare_mentions(&self, refs: &mut Strings, narrowed: bool) -> Result<MentionRead> {
        let query = BooleanQuery::new(vec![
            (Occur::Must, Box::new(AllQuery) as Box<dyn Query>),
            (Occur::MustNot, self.kind_query("skip")),
            (Occur::MustNot, self.term_query(self.f.flag, "template")),
        ]);
        let weight = self.weight(&query)?;
        let mut segs = Vec::new();
        for seg in 0..self.searcher.segment_readers().len() {
            let live = self.live(&*weight, seg, narrowed)?;
            if matches!(live, Live::Nothing) {
                continue;
            }
            // As for meetings: a segment's strings are interned whatever
            // the target.
            let ff = self.searcher.segment_reader(seg as u32).fast_fields();
            let link = ff.str("link")?;
            let map = match &link {
                Some(c) => map_column(refs, c)?,
                None => Vec::new(),
            };
            // A handful of kinds: parsed once per term, not per note.
            let kind = ff.str("kind")?;
            let mut kinds = Vec::new();
            if let Some(c) = &kind {
                sstable::each(c.dictionary(), |term| {
                    kinds.push(Kind::parse(&lossy(term)).unwrap_or(Kind::Note));
                })
                .map_err(io_err)?;
            }
            segs.push(MentionSeg {
                seg,
                live,
                link,
                map,
                date: ff.date("date")?,
                kind,
                kinds,
            });
        }
        Ok(MentionRead { weight, segs })
    }

    /// The notes [`Snapshot::prepare_mentions`] found, read.
    fn mention_facts(
        &self,
        read: MentionRead,
        refs: &Strings,
        target: Option<&dyn Fn(&str) -> bool>,
    ) -> Result<Vec<MentionFact>> {
        let MentionRead { weight, segs } = read;
        let mut test = target.map(|f| Cached::new(f, refs));
        let mut out = Vec::new();
        for s in segs {
            let MentionSeg {
                seg,
                live,
                link,
                map,
                date,
                kind,
                kinds,
            } = s;
            let docs = self.live_docs(live, &*weight, seg, || {
                let pass = test.as_mut().map(|t| t.passing(&map)).unwrap_or_default();
                docs_with_terms(&self.searcher, seg, self.f.link, &link, &pass)
            })?;
            for doc in docs {
                let links = ords(&link, &map, doc);
                if links.is_empty() {
                    continue;
                }
                let kind = kind
                    .as_ref()
                    .and_then(|c| c.term_ords(doc).next())
                    .and_then(|o| kinds.get(o as usize).copied())
                    .unwrap_or(Kind::Note);
                out.push(MentionFact {
                    doc: DocRef(DocAddress::new(seg as u32, doc)),
                    kind,
                    date: date.first(doc).and_then(datetime_to_day),
                    links,
                });
            }
        }
        Ok(out)
    }

    /// Every problem stored with the notes, by path; templates only when
    /// asked for (they are not problems, `check` mentions them once).
    pub fn problems(&self, templates: bool) -> Result<Vec<super::FileProblem>> {
        let flag = |f: &str| -> Box<dyn Query> { self.term_query(self.f.flag, f) };
        let mut clauses = vec![(Occur::Should, flag("problem"))];
        if templates {
            clauses.push((Occur::Should, flag("template")));
        }
        let mut out = Vec::new();
        let parts = self.load_all::<Note>(self.addresses(&BooleanQuery::new(clauses))?)?;
        for n in parts.into_iter().flatten() {
            out.extend(
                n.problems
                    .into_iter()
                    .filter(|p| templates || p.code != crate::vault::ProblemCode::Template)
                    .map(|p| super::FileProblem {
                        path: n.path.clone(),
                        line: p.line,
                        code: p.code,
                        message: p.message,
                    }),
            );
        }
        out.sort_by(|a, b| (&a.path, a.line).cmp(&(&b.path, b.line)));
        Ok(out)
    }

    /// The names any note can be linked by: its path without extension,
    /// its file stem and its title, case-folded.
    pub fn note_keys(&self) -> Result<std::collections::HashSet<String>> {
        let mut keys = std::collections::HashSet::new();
        for seg in self.searcher.segment_readers() {
            let ff = seg.fast_fields();
            for field in ["path", "title_raw"] {
                let Some(col) = ff.str(field)? else { continue };
                sstable::each(col.dictionary(), |term| {
                    let key = crate::vault::refs::ref_key(&lossy(term));
                    if field == "path"
                        && let Some((_, stem)) = key.rsplit_once('/')
                    {
                        keys.insert(stem.to_string());
                    }
                    keys.insert(key);
                })
                .map_err(io_err)?;
            }
        }
        Ok(keys)
    }

    /// Path and title of documents, from fast fields.
    pub fn labels(&self, docs: &[DocRef]) -> Result<Vec<(String, String)>> {
        let [paths, titles] = self.terms_of(docs, ["path", "title_raw"])?;
        Ok(paths.into_iter().zip(titles).collect())
    }

    /// Paths of documents, from fast fields.
    pub fn paths(&self, docs: &[DocRef]) -> Result<Vec<String>> {
        let [paths] = self.terms_of(docs, ["path"])?;
        Ok(paths)
    }

    /// The first term of each of `fields` for each document.
    fn terms_of<const N: usize>(
        &self,
        docs: &[DocRef],
        fields: [&str; N],
    ) -> Result<[Vec<String>; N]> {
        let mut outs: [Vec<String>; N] = std::array::from_fn(|_| vec![String::new(); docs.len()]);
        let mut by_seg: HashMap<u32, Vec<usize>> = HashMap::new();
        for (i, d) in docs.iter().enumerate() {
            by_seg.entry(d.0.segment_ord).or_default().push(i);
        }
        for (seg, idxs) in by_seg {
            let ff = self.searcher.segment_reader(seg).fast_fields();
            for (field, out) in fields.iter().zip(outs.iter_mut()) {
                let Some(col) = ff.str(field)? else { continue };
                let mut wanted: Vec<(u64, usize)> = idxs
                    .iter()
                    .filter_map(|i| col.term_ords(docs[*i].0.doc_id).next().map(|o| (o, *i)))
                    .collect();
                fetch_terms(&col, &mut wanted, out)?;
            }
        }
        Ok(outs)
    }

    fn parse_user_query(
        &self,
        text: &str,
        default_fields: &[tantivy::schema::Field],
    ) -> Result<Box<dyn Query>> {
        let mut parser = QueryParser::for_index(&self.index, default_fields.to_vec());
        parser.set_conjunction_by_default();
        parser.set_field_boost(self.f.title, 2.0);
        parser.set_field_boost(self.f.name, 3.0);
        match parser.parse_query(text) {
            Ok(q) => Ok(q),
            // Words a person types (`Kenji's`, `Q3: pricing (draft`) are
            // not meant as syntax: search for them as plain words. Only a
            // field that does not exist stays an error.
            Err(e @ tantivy::query::QueryParserError::SyntaxError(_)) => {
                let schema = self.index.schema();
                if let Some(field) = plain_fields(text).find(|f| schema.get_field(f).is_err()) {
                    return Err(Error::Query(query_error(
                        text,
                        &tantivy::query::QueryParserError::FieldDoesNotExist(field.to_string()),
                    )));
                }
                let plain = plain_words(text);
                tracing::info!(
                    "{}; searching for the plain words {plain}",
                    query_error(text, &e)
                );
                if plain.is_empty() {
                    return Ok(Box::new(BooleanQuery::new(Vec::new())));
                }
                parser
                    .parse_query(&plain)
                    .map_err(|e| Error::Query(query_error(text, &e)))
            }
            Err(e) => Err(Error::Query(query_error(text, &e))),
        }
    }

    /// Full-text search over titles, bodies, names, people, projects and tags.
    pub fn search(&self, text: &str, opts: &SearchOpts) -> Result<Vec<Hit>> {
        let f = &self.f;
        let user =
            self.parse_user_query(text, &[f.title, f.body, f.name, f.person, f.project, f.tag])?;
        let kinds: Vec<(Occur, Box<dyn Query>)> = match opts.kind {
            Some(k) => vec![(Occur::Should, self.kind_query(k.as_str()))],
            None => ["person", "meeting", "note"]
                .iter()
                .map(|k| (Occur::Should, self.kind_query(k)))
                .collect(),
        };
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![
            (Occur::Must, user.box_clone()),
            (Occur::Must, Box::new(BooleanQuery::new(kinds))),
        ];
        if let Some(r) = self.date_range(opts.since, opts.until) {
            clauses.push((Occur::Must, r));
        }
        let query = BooleanQuery::new(clauses);
        // Equal scores are cut at the limit by path (see `top`).
        let top = super::top::best(&self.searcher, &query, opts.limit)?;
        let mut snippets = SnippetGenerator::create(&self.searcher, &*user, f.body)?;
        snippets.set_max_num_chars(160);
        let mut hits = Vec::with_capacity(top.len());
        for (score, addr) in top {
            let Some(note) = self.load::<Note>(addr)? else {
                continue;
            };
            // The note is the source of truth: cut the snippet from it.
            let body = std::fs::read(self.vault.join(&note.path))
                .map(|b| {
                    let text = crate::vault::decode_owned(b, &mut Vec::new());
                    let split = crate::vault::frontmatter::split(&text, &mut Vec::new());
                    if split.yaml.is_some() {
                        split.body.to_string()
                    } else {
                        text.clone()
                    }
                })
                .unwrap_or_default();
            let snippet = snippets.snippet(&body);
            let (snippet_text, highlights) = if snippet.fragment().is_empty() {
                (first_chars(&body, 160), Vec::new())
            } else {
                super::snippet::whole_links(&body, snippet.fragment(), snippet.highlighted())
            };
            hits.push(Hit {
                path: note.path,
                title: note.title,
                kind: note.kind.as_str().to_string(),
                date: note.date,
                score,
                snippet: mark(&snippet_text, &highlights),
                highlights,
            });
        }
        // Equal scores: by path, whatever order the index holds them in.
        hits.sort_by(|a, b| {
            b.score
                .total_cmp(&a.score)
                .then_with(|| a.path.cmp(&b.path))
        });
        Ok(hits)
    }
}

/// Which meetings to read.
#[derive(Clone, Copy, Default)]
pub struct MeetingFilter<'a> {
    /// About this project (normalised comparison).
    pub project: Option<&'a str>,
    /// About any of these projects (normalised keys, as
    /// [`crate::vault::refs::project_key`] makes them; none: no meeting).
    pub project_keys: Option<&'a [String]>,
    /// Matching this full-text query.
    pub about: Option<&'a str>,
    /// On or after.
    pub since: Option<NaiveDate>,
    /// On or before.
    pub until: Option<NaiveDate>,
    /// Read paths and titles too.
    pub labels: bool,
    /// Only meetings with an attendee reference this accepts (checked once
    /// per distinct reference text, on fast fields).
    pub attendee: Option<&'a dyn Fn(&str) -> bool>,
}

/// For each term of a string column, whether `f` accepts it.
pub(super) fn passing_terms(col: &Option<StrColumn>, f: &dyn Fn(&str) -> bool) -> Vec<bool> {
    let mut ok = Vec::new();
    if let Some(c) = col {
        ok.reserve(c.num_terms());
        // A damaged dictionary passes the terms read before the damage,
        // as tantivy's stream, which ends at an error, did.
        let _ = sstable::each(c.dictionary(), |term| ok.push(f(&lossy(term))));
    }
    ok
}

/// The documents of segment `seg` with a value of `col` (the column of
/// `field`) whose term ordinal `pass` accepts, sorted, each once.
///
/// The field is also indexed (raw terms, document lists only): a handful of
/// accepted terms (one person's spellings) are looked up in the inverted
/// index, instead of reading every document's values from the column. Every
/// value is a term: a reference too long to be one is kept as its key
/// ([`crate::vault::refs::stored_ref`]). When many terms pass (everyone
/// with an organisation, for `orgs`), their postings would list most of
/// the segment, several times over, to be sorted: the column is read
/// document by document instead.
pub(super) fn docs_with_terms(
    searcher: &Searcher,
    seg: usize,
    field: tantivy::schema::Field,
    col: &Option<StrColumn>,
    pass: &[bool],
) -> Result<Vec<u32>> {
    let Some(col) = col else {
        return Ok(Vec::new());
    };
    let wanted: Vec<u64> = (0..pass.len() as u64)
        .filter(|o| pass[*o as usize])
        .collect();
    if wanted.is_empty() {
        return Ok(Vec::new());
    }
    let reader = searcher.segment_reader(seg as u32);
    if wanted.len() > MANY_TERMS {
        return Ok(docs_by_column(col, reader.max_doc(), pass));
    }
    docs_by_postings(reader, field, col, &wanted)
}

/// The documents with a term of `wanted` (ordinals of `col`, sorted), from
/// the postings of the field's inverted index (see [`docs_with_terms`]).
fn docs_by_postings(
    reader: &tantivy::SegmentReader,
    field: tantivy::schema::Field,
    col: &StrColumn,
    wanted: &[u64],
) -> Result<Vec<u32>> {
    let inverted = reader.inverted_index(field)?;
    // In one pass over the dictionary: looked up one by one, each term
    // decoded its block from the start.
    let mut terms = Vec::with_capacity(wanted.len());
    each_term(col, wanted, |t| {
        terms.push(Term::from_field_bytes(field, t))
    })?;
    let mut docs = Vec::new();
    for term in &terms {
        if let Some(postings) = inverted
            .read_postings(term, IndexRecordOption::Basic)
            .map_err(io_err)?
        {
            push_postings(postings, &mut docs);
        }
    }
    docs.sort_unstable();
    docs.dedup();
    Ok(docs)
}

/// Above this many accepted terms, [`docs_with_terms`] reads the column.
/// At 100,000 meetings one person's spellings are a few terms and everyone
/// with an organisation about 2,000 of a segment's 2,800.
const MANY_TERMS: usize = 64;

/// The documents below `max_doc` with a value of `col` whose ordinal `pass`
/// accepts, read from the column (see [`docs_with_terms`]).
fn docs_by_column(col: &StrColumn, max_doc: u32, pass: &[bool]) -> Vec<u32> {
    (0..max_doc)
        .filter(|d| {
            col.term_ords(*d)
                .any(|o| pass.get(o as usize).copied().unwrap_or(false))
        })
        .collect()
}

/// Adds every document of a term's postings to `docs`.
pub(super) fn push_postings(mut postings: impl tantivy::DocSet, docs: &mut Vec<u32>) {
    let mut doc = postings.doc();
    while doc != tantivy::TERMINATED {
        docs.push(doc);
        doc = postings.advance();
    }
}

/// A note's stored document read straight into its one stored value, the
/// note in postcard's bytes (field `meta`), without building a whole
/// document first: `person` reads a vault's person notes this way on every
/// question. Postcard, not JSON: 2,500 person notes parse in 12 million
/// instructions against 32, as postcard carries no field names and no
/// numbers as text (both sides are this program, so nothing needs to
/// describe itself).
struct StoredNote(Option<Vec<u8>>);

/// Blocks of the document store each loading thread keeps decompressed
/// (as the index's own readers do).
const STORE_BLOCKS: usize = 8;

/// The stored note in a document's stored bytes, read where they are:
/// tantivy's own reader ([`StoredNote`]) copies a bytes value out one byte
/// at a time, about 6 million instructions for `person`'s 2,500 person
/// notes (callgrind). The bytes are as tantivy 0.27 writes a document (`schema::
/// document::se`): the number of values, then each value's field (four
/// bytes, little-endian), its type code and, for bytes (code 4), their
/// length and the bytes; numbers as tantivy's `VInt` (seven bits a byte,
/// low first, the last byte's high bit set). `None` for anything but one
/// bytes value of field `meta`: then tantivy's reader is asked.
fn stored_meta(doc: &[u8], meta: u32) -> Option<&[u8]> {
    fn vint(bytes: &[u8], at: &mut usize) -> Option<u64> {
        let mut value = 0u64;
        for shift in (0..64).step_by(7) {
            let b = *bytes.get(*at)?;
            *at += 1;
            value |= u64::from(b & 0x7f) << shift;
            if b & 0x80 != 0 {
                return Some(value);
            }
        }
        None
    }
    const BYTES_CODE: u8 = 4;
    let mut at = 0;
    if vint(doc, &mut at)? != 1 {
        return None;
    }
    let field = doc.get(at..at + 4)?;
    if field != meta.to_le_bytes() || doc.get(at + 4) != Some(&BYTES_CODE) {
        return None;
    }
    at += 5;
    let len = usize::try_from(vint(doc, &mut at)?).ok()?;
    // The value is the document's last byte too.
    (doc.len().checked_sub(at)? == len).then(|| &doc[at..])
}

impl tantivy::schema::document::DocumentDeserialize for StoredNote {
    fn deserialize<'de, D>(
        mut fields: D,
    ) -> std::result::Result<Self, tantivy::schema::document::DeserializeError>
    where
        D: tantivy::schema::document::DocumentDeserializer<'de>,
    {
        let mut meta = None;
        // Any stored value is read (a later schema may store others); the
        // first bytes are the note's.
        while let Some((_, value)) = fields.next_field::<tantivy::schema::OwnedValue>()? {
            if let (None, tantivy::schema::OwnedValue::Bytes(bytes)) = (&meta, value) {
                meta = Some(bytes);
            }
        }
        Ok(StoredNote(meta))
    }
}

/// Meetings about to be read: what [`Snapshot::prepare_meetings`] (and
/// [`MeetingRead::with_mentions`]) found before knowing whose meetings are
/// wanted, so that it can be read while that is being worked out.
pub struct MeetingRead<'s> {
    snap: &'s Snapshot,
    weight: Box<dyn tantivy::query::Weight>,
    /// Attendees (and links, after `with_mentions`), projects, tags.
    tables: [Strings; 3],
    segs: Vec<(usize, SegCols, Live)>,
    mentions: Option<MentionRead>,
}

impl MeetingRead<'_> {
    /// Also prepares the notes that link to someone (as
    /// [`Snapshot::mentions`] reads them), their links interned after the
    /// meetings' references; `narrowed`: a target will be given.
    pub fn with_mentions(&mut self, narrowed: bool) -> Result<()> {
        let read = self.snap.prepare_mentions(&mut self.tables[0], narrowed)?;
        self.mentions = Some(read);
        Ok(())
    }

    /// For each segment (by ordinal), which terms of its attendee column
    /// `test` accepts, asked once per distinct text; `None` for a segment
    /// without meetings to read. A read of the same segments' tasks can
    /// take them instead of reading the dictionaries again.
    pub fn attendee_passes(&self, test: &dyn Fn(&str) -> bool) -> Vec<Option<Vec<bool>>> {
        let mut cached = Cached::new(test, &self.tables[0]);
        let mut out = vec![None; self.snap.searcher.segment_readers().len()];
        for (seg, c, _) in &self.segs {
            if let Some(slot) = out.get_mut(*seg) {
                *slot = Some(cached.passing(&c.attendee_map));
            }
        }
        out
    }

    /// Every reference text interned so far (attendees, then links), by id.
    pub fn refs(&self) -> &[String] {
        self.tables[0].all()
    }

    /// The meetings with an attendee `attendee` accepts (all without one),
    /// and, when prepared, the notes linking to a reference `mentioning`
    /// accepts. A test is asked once per distinct text.
    pub fn facts(
        self,
        attendee: Option<&dyn Fn(&str) -> bool>,
        mentioning: Option<&dyn Fn(&str) -> bool>,
    ) -> Result<Facts> {
        let passes = attendee.map(|test| self.attendee_passes(test));
        self.read_facts(passes.as_deref(), mentioning)
    }

    /// [`MeetingRead::facts`] with the attendee test's answers worked out
    /// already, by [`MeetingRead::attendee_passes`].
    pub fn facts_passing(
        self,
        passes: &[Option<Vec<bool>>],
        mentioning: Option<&dyn Fn(&str) -> bool>,
    ) -> Result<Facts> {
        self.read_facts(Some(passes), mentioning)
    }

    /// The facts, with the meetings narrowed to the attendee terms that
    /// `passes` passed (by segment) where there is an attendee test.
    fn read_facts(
        self,
        passes: Option<&[Option<Vec<bool>>]>,
        mentioning: Option<&dyn Fn(&str) -> bool>,
    ) -> Result<Facts> {
        let MeetingRead {
            snap,
            weight,
            tables,
            segs,
            mentions,
        } = self;
        let mut read = Vec::with_capacity(segs.len());
        for (seg, c, live) in segs {
            // With a filter, only the meetings with a wanted attendee,
            // found from the texts that pass, not from every meeting.
            let docs = snap.live_docs(live, &*weight, seg, || {
                let pass = passes
                    .and_then(|p| p.get(seg))
                    .and_then(Option::as_deref)
                    .unwrap_or(&[]);
                docs_with_terms(&snap.searcher, seg, snap.f.attendee, &c.attendee, pass)
            })?;
            read.push((seg, c, docs));
        }
        // Sized once: a vault's worth of meetings is the largest thing a
        // query holds, and doubling growth would hold up to twice that.
        let mut meetings = Vec::with_capacity(read.iter().map(|(_, _, d)| d.len()).sum());
        for (seg, c, docs) in read {
            for doc in docs {
                meetings.push(MeetingFact {
                    doc: DocRef(DocAddress::new(seg as u32, doc)),
                    date: c.date.first(doc).and_then(datetime_to_day),
                    attendees: ords(&c.attendee, &c.attendee_map, doc),
                    projects: ords(&c.project, &c.project_map, doc),
                    tags: ords(&c.tag, &c.tag_map, doc),
                    tasks: c.tasks.first(doc).unwrap_or(0) as u32,
                    open_tasks: c.open.first(doc).unwrap_or(0) as u32,
                    path: c.paths.label(doc),
                    title: c.titles.label(doc),
                });
            }
        }
        let mentions = match mentions {
            Some(m) => snap.mention_facts(m, &tables[0], mentioning)?,
            None => Vec::new(),
        };
        let [refs, projects, tags] = tables.map(Strings::into_list);
        Ok(Facts {
            refs,
            projects,
            tags,
            meetings,
            mentions,
        })
    }
}

/// One segment's notes about to be read for their links.
struct MentionSeg {
    seg: usize,
    live: Live,
    link: Option<StrColumn>,
    /// Link term ordinal to reference id.
    map: Vec<u32>,
    date: tantivy::columnar::Column<tantivy::DateTime>,
    kind: Option<StrColumn>,
    kinds: Vec<Kind>,
}

/// The notes that link to someone, about to be read.
struct MentionRead {
    weight: Box<dyn tantivy::query::Weight>,
    segs: Vec<MentionSeg>,
}

/// A test of reference texts, asked once per interned text.
struct Cached<'a> {
    test: &'a dyn Fn(&str) -> bool,
    strings: &'a Strings,
    /// 0: not asked yet, 1: fails, 2: passes.
    known: Vec<u8>,
}

impl<'a> Cached<'a> {
    fn new(test: &'a dyn Fn(&str) -> bool, strings: &'a Strings) -> Self {
        Cached {
            test,
            strings,
            known: vec![0; strings.all().len()],
        }
    }

    /// Whether each term of a column passes, given its ids (`map`).
    fn passing(&mut self, map: &[u32]) -> Vec<bool> {
        map.iter()
            .map(|id| {
                let i = *id as usize;
                match self.known.get(i) {
                    Some(1) => false,
                    Some(2) => true,
                    _ => {
                        let ok = self.strings.get(*id).is_some_and(self.test);
                        if let Some(k) = self.known.get_mut(i) {
                            *k = 1 + u8::from(ok);
                        }
                        ok
                    }
                }
            })
            .collect()
    }
}

/// Per-segment columns used to read meetings.
struct SegCols {
    paths: Labels,
    titles: Labels,
    date: tantivy::columnar::Column<tantivy::DateTime>,
    tasks: tantivy::columnar::Column<u64>,
    open: tantivy::columnar::Column<u64>,
    attendee: Option<StrColumn>,
    attendee_map: Vec<u32>,
    project: Option<StrColumn>,
    project_map: Vec<u32>,
    tag: Option<StrColumn>,
    tag_map: Vec<u32>,
}

impl SegCols {
    /// `tables`: attendees, projects, tags.
    fn open(
        searcher: &Searcher,
        seg: usize,
        tables: &mut [Strings; 3],
        labels: bool,
    ) -> Result<SegCols> {
        let ff = searcher.segment_reader(seg as u32).fast_fields();
        let attendee = ff.str("attendee")?;
        let project = ff.str("project_raw")?;
        let tag = ff.str("tag_raw")?;
        let map = |col: &Option<StrColumn>, strings: &mut Strings| -> Result<Vec<u32>> {
            match col {
                Some(c) => map_column(strings, c),
                None => Ok(Vec::new()),
            }
        };
        let [refs, projects, tags] = tables;
        Ok(SegCols {
            paths: Labels::read(ff.str("path")?, labels)?,
            titles: Labels::read(ff.str("title_raw")?, labels)?,
            date: ff.date("date")?,
            tasks: ff.u64("tasks")?,
            open: ff.u64("open_tasks")?,
            attendee_map: map(&attendee, refs)?,
            project_map: map(&project, projects)?,
            tag_map: map(&tag, tags)?,
            attendee,
            project,
            tag,
        })
    }
}

/// A whole string column decoded once: reading a dictionary in order is far
/// cheaper than looking up each ordinal when most documents are wanted.
struct Labels {
    col: Option<StrColumn>,
    terms: Vec<String>,
}

impl Labels {
    fn read(col: Option<StrColumn>, wanted: bool) -> Result<Labels> {
        let mut terms = Vec::new();
        if let (true, Some(c)) = (wanted, &col) {
            terms.reserve(c.num_terms());
            sstable::each(c.dictionary(), |term| terms.push(lossy(term).into_owned()))
                .map_err(io_err)?;
        }
        Ok(Labels { col, terms })
    }

    fn label(&self, doc: u32) -> String {
        match &self.col {
            Some(c) if !self.terms.is_empty() => c
                .term_ords(doc)
                .next()
                .and_then(|o| self.terms.get(o as usize).cloned())
                .unwrap_or_default(),
            _ => String::new(),
        }
    }
}

/// Fills `out[i]` with the term of each wanted `(ordinal, i)`. A few are
/// looked up one by one; many are picked by [`each_term`].
fn fetch_terms(col: &StrColumn, wanted: &mut [(u64, usize)], out: &mut [String]) -> Result<()> {
    if wanted.len() < 64 {
        for (ord, i) in wanted.iter() {
            col.ord_to_str(*ord, &mut out[*i]).map_err(io_err)?;
        }
        return Ok(());
    }
    wanted.sort_unstable();
    let ords: Vec<u64> = wanted.iter().map(|(o, _)| *o).collect();
    let mut next = wanted.iter();
    each_term(col, &ords, |bytes| {
        if let Some((_, i)) = next.next() {
            out[*i] = lossy(bytes).into_owned();
        }
    })
}

/// Calls `f` with the term of each of the sorted `ords`, in order, in one
/// pass over the dictionary (far cheaper than a lookup each when there are
/// many): read whole when most blocks hold one of them, else skipping the
/// blocks that hold none. A dictionary shorter than its ordinals say (a
/// damaged index) gives empty terms for the rest, rather than shifting
/// every term.
pub(super) fn each_term(col: &BytesColumn, ords: &[u64], mut f: impl FnMut(&[u8])) -> Result<()> {
    let dict = col.dictionary();
    let found = if sstable::worth_scanning(dict, ords.len()) {
        sstable::sorted_ords(dict, ords, &mut f).map_err(io_err)?
    } else {
        let mut found = 0;
        dict.sorted_ords_to_term_cb(ords, |term| {
            f(term);
            found += 1;
        })
        .map_err(io_err)?;
        found
    };
    for _ in found..ords.len() {
        f(b"");
    }
    Ok(())
}

fn first_chars(s: &str, n: usize) -> String {
    let t: String = s.split_whitespace().collect::<Vec<_>>().join(" ");
    match t.char_indices().nth(n) {
        Some((i, _)) => format!("{}…", &t[..i]),
        None => t,
    }
}

/// The snippet with matches wrapped in `**`, whitespace folded.
fn mark(text: &str, ranges: &[std::ops::Range<usize>]) -> String {
    let mut out = String::with_capacity(text.len() + ranges.len() * 4);
    let mut at = 0;
    for r in ranges {
        if r.start < at || r.end > text.len() {
            continue;
        }
        out.push_str(&text[at..r.start]);
        out.push_str("**");
        out.push_str(&text[r.clone()]);
        out.push_str("**");
        at = r.end;
    }
    out.push_str(&text[at..]);
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A query that is not syntax, as plain words: each whitespace-separated
/// piece quoted (so `Q3/Q4` is the phrase "q3 q4"), all of them required,
/// a possessive dropped (`Kenji's` finds Kenji).
fn plain_words(text: &str) -> String {
    text.split_whitespace()
        .map(|w| {
            let w = w.trim_end_matches(['\'', '’']);
            let w = w
                .strip_suffix("'s")
                .or_else(|| w.strip_suffix("’s"))
                .unwrap_or(w);
            w.replace(['"', '\\'], "")
        })
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .map(|w| format!("\"{w}\""))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The `name:` prefixes of a query's pieces (`title:`, `-tag:`): what the
/// user meant as fields even when the rest does not parse.
fn plain_fields(text: &str) -> impl Iterator<Item = &str> {
    text.split_whitespace().filter_map(|w| {
        let w = w.trim_start_matches(['+', '-', '(']);
        let (name, _) = w.split_once(':')?;
        (name.starts_with(|c: char| c.is_ascii_alphabetic())
            && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
        .then_some(name)
    })
}

/// A one-line explanation of a query that does not parse.
fn query_error(text: &str, e: &tantivy::query::QueryParserError) -> String {
    use tantivy::query::QueryParserError as Q;
    match e {
        Q::FieldDoesNotExist(field) => format!(
            "unknown field '{field}:' in '{text}' (fields: title, body, person, project, tag, kind, name)"
        ),
        Q::SyntaxError(_) => {
            // The lenient grammar says where the strict one gave up.
            let (_, errors) = tantivy::query_grammar::parse_query_lenient(text);
            match errors.first() {
                Some(e) => {
                    let pos = text[..e.pos.min(text.len())].chars().count() + 1;
                    format!(
                        "syntax error at character {pos} of '{text}': {} (quote special characters, or check brackets and quotes)",
                        e.message.trim_end_matches('.').to_lowercase()
                    )
                }
                None => format!(
                    "syntax error in '{text}' (quote special characters, or check brackets and quotes)"
                ),
            }
        }
        other => format!("'{text}': {other}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every field of a stored note comes back as parsed (postcard keeps
    /// no names, so a field out of step would shift the rest), hostile
    /// text and all; what is not stored (links, tasks, body) comes back
    /// empty.
    #[test]
    fn stored_notes_come_back_as_parsed() {
        let person = "---\nname: \"Ada \\u001b[31m<b>Lovelace</b>\\n## Open tasks\"\n\
            aliases: [Ada, \"[[Countess]]\"]\nemail: ada@example.org\n\
            emails: [a@x.example, \"b@y.example\"]\norg: Analytical\nteam: \"Engines | R&D\"\n\
            relation: external\ntags: [math, \"#poet\"]\ncadence: 3m\nlast-contact: 2026-07-22\n\
            interests: [looms, \"\\\"quotes\\\"\"]\nbirthday: --12-10\n\
            dates: {anniversary: 1835-07-08, joined Analytical: 2020-01-01, oops: soon}\n\
            met: 2019-09-02\nhow_we_met: \"a salon,\\nthen letters\"\n\
            introduced_by: \"[[Mary Somerville]]\"\nsnooze: 2027-01-01\n\
            uid: contact-1@example\nbad_date: 1\n---\nBody with [[Bob]] and\n- [ ] a task\n";
        let meeting = "---\ndate: 2026-11-20\nwith: [\"[[Ada Lovelace]]\", Bob]\n\
            project: \"[[Engine]]\"\nuid: event-7@example\n---\n- [ ] follow up\n";
        let (_dir, _, index) = super::super::temp_vault(&[
            ("people/ada.md", person),
            ("meetings/2026-11-20 Sync.md", meeting),
        ]);
        let snap = super::super::refreshed(&index);
        let stored = |n: Note| Note {
            links: Vec::new(),
            tasks: Vec::new(),
            body: String::new(),
            ..n
        };
        let want = stored(crate::vault::parse_note(
            "people/ada.md",
            person,
            Vec::new(),
        ));
        let p = want.person.as_ref().unwrap();
        assert!(p.personal.introduced_by.is_some() && p.personal.birthday.is_some());
        assert!(!p.personal.dates.is_empty() && want.uid.is_some());
        assert!(!want.problems.is_empty() && want.title.contains('\u{1b}'));
        assert_eq!(snap.people().unwrap(), [want]);
        let want = stored(crate::vault::parse_note(
            "meetings/2026-11-20 Sync.md",
            meeting,
            Vec::new(),
        ));
        assert!(want.date.is_some() && !want.attendees.is_empty() && want.uid.is_some());
        assert_eq!(snap.notes_of_kind(Kind::Meeting).unwrap(), [want]);
    }

    #[test]
    fn stored_notes_are_read_where_they_are_as_tantivy_reads_them() {
        let dir = tempfile::tempdir().unwrap();
        let vault = dir.path().join("vault");
        std::fs::create_dir_all(vault.join("people")).unwrap();
        // Stored notes of a few bytes to a few kilobytes: one, two and
        // three bytes of length.
        for i in 0..40usize {
            let aliases: Vec<String> = (0..i * i)
                .map(|j| format!("\"Alias number {j} ü\""))
                .collect();
            let note = format!("---\nname: P{i}\naliases: [{}]\n---\n", aliases.join(", "));
            std::fs::write(vault.join(format!("people/p{i}.md")), note).unwrap();
        }
        let index = super::super::Index::open(&vault, &dir.path().join("index")).unwrap();
        let snap = super::super::refreshed(&index);
        let meta = snap.f.meta.field_id();
        let mut lengths = Vec::new();
        for (seg, reader) in snap.searcher.segment_readers().iter().enumerate() {
            let store = reader.get_store_reader(1).unwrap();
            for doc in 0..reader.max_doc() {
                let bytes = store.get_document_bytes(doc).unwrap();
                let theirs: StoredNote =
                    snap.searcher.doc(DocAddress::new(seg as u32, doc)).unwrap();
                let ours = stored_meta(&bytes, meta);
                assert_eq!(ours, theirs.0.as_deref(), "document {doc}");
                lengths.push(ours.map_or(0, <[u8]>::len));
                // Another field's bytes are left to tantivy's reader.
                assert_eq!(stored_meta(&bytes, meta + 1), None);
                // Cut short or damaged anywhere: no answer, or one within
                // the bytes, never a panic.
                for cut in 0..bytes.len() {
                    assert_eq!(stored_meta(&bytes[..cut], meta), None, "cut at {cut}");
                }
                let mut damaged = bytes.to_vec();
                for at in 0..damaged.len().min(12) {
                    for value in [0x00, 0x01, 0x04, 0x7f, 0x80, 0xff] {
                        let old = damaged[at];
                        damaged[at] = value;
                        if let Some(read) = stored_meta(&damaged, meta) {
                            assert!(read.len() < damaged.len());
                        }
                        damaged[at] = old;
                    }
                }
            }
        }
        assert!(lengths.iter().any(|n| *n < 128) && lengths.iter().any(|n| *n >= 16_384));
        // The loader reads them so, and gets the notes tantivy's reader gives.
        let people = snap.people().unwrap();
        assert_eq!(people.len(), 40);
        let addrs = snap.addresses(&*snap.kind_query("person")).unwrap();
        let one_by_one: Vec<Note> = addrs
            .iter()
            .filter_map(|a| snap.load::<Note>(*a).unwrap())
            .collect();
        let mut sorted = one_by_one;
        sorted.sort_by(|a, b| a.path.cmp(&b.path));
        assert_eq!(people, sorted);
    }

    #[test]
    fn index_bytes_read_as_text_as_std_decodes_them() {
        let cases: [&[u8]; 6] = [
            b"",
            b"people/ada.md",
            "ünï/cödé 😀.md".as_bytes(),
            b"bad \xff\xfe byte",
            b"cut \xe2\x82",
            b"\xc0\x80 overlong",
        ];
        for bytes in cases {
            assert_eq!(lossy(bytes), String::from_utf8_lossy(bytes), "{bytes:?}");
            let borrowed = matches!(lossy(bytes), std::borrow::Cow::Borrowed(_));
            assert_eq!(borrowed, std::str::from_utf8(bytes).is_ok());
        }
    }

    /// Who is at meeting `m` of the test vault: two or three of 90 people,
    /// with names long enough that a segment's dictionary spans several
    /// of its blocks (4 kB each).
    fn attendees(m: usize, round: usize) -> Vec<String> {
        let mut a = vec![m % 90, (m * 7 + round) % 90];
        if m.is_multiple_of(3) {
            a.push((m * 13 + 5) % 90);
        }
        a.sort_unstable();
        a.dedup();
        a.into_iter()
            .map(|p| format!("Person {p} {}", "of the long name ".repeat(10)))
            .collect()
    }

    /// The two ways of finding a column's documents agree, whatever passes,
    /// and find exactly the meetings that name someone who passes, deleted
    /// documents (a meeting rewritten after the first commit) included.
    #[test]
    fn postings_and_column_find_the_same_documents() {
        let dir = tempfile::tempdir().unwrap();
        let vault = dir.path().join("vault");
        std::fs::create_dir_all(vault.join("meetings")).unwrap();
        let write = |m: usize, round: usize| {
            let with: Vec<String> = attendees(m, round)
                .iter()
                .map(|a| format!("\"[[{a}]]\""))
                .collect();
            let text = format!(
                "---\ntype: meeting\nwith: [{}]\n---\nround {round}\n",
                with.join(", ")
            );
            std::fs::write(vault.join(format!("meetings/m{m}.md")), text).unwrap();
        };
        for m in 0..200 {
            write(m, 0);
        }
        let index = super::super::Index::open(&vault, &dir.path().join("index")).unwrap();
        let refresh = || {
            super::super::refreshed(&index);
        };
        refresh();
        // Rewritten with other people and a later mtime: the old documents
        // stay in the first segment, deleted.
        std::thread::sleep(std::time::Duration::from_millis(20));
        for m in (0..200).step_by(5) {
            write(m, 1);
        }
        refresh();
        let snap = index.snapshot();
        let searcher = snap.searcher();
        let segments = searcher.segment_readers().len();
        assert!(segments >= 2);
        assert!(
            searcher
                .segment_readers()
                .iter()
                .any(|r| r.num_deleted_docs() > 0)
        );
        let mut checked = 0;
        let (mut few, mut many, mut blocks) = (false, false, false);
        for (seg, reader) in searcher.segment_readers().iter().enumerate() {
            let ff = reader.fast_fields();
            let col = ff.str("attendee").unwrap();
            let path = ff.str("path").unwrap().unwrap();
            let Some(c) = &col else { continue };
            let names: Vec<String> = {
                let mut v = Vec::new();
                let mut s = c.dictionary().stream().unwrap();
                while s.advance() {
                    v.push(lossy(s.key()).into_owned());
                }
                v
            };
            let bytes: usize = names.iter().map(String::len).sum();
            blocks |= bytes > 2 * 4096;
            let tests: [&dyn Fn(&str) -> bool; 5] = [
                &|_| false,
                &|n| n.starts_with("Person 7 "),
                &|n| n.split(' ').nth(1).is_some_and(|d| d.ends_with('3')),
                &|n| n.split(' ').nth(1).is_some_and(|d| !d.ends_with('1')),
                &|_| true,
            ];
            for test in &tests {
                let pass: Vec<bool> = names.iter().map(|n| test(n)).collect();
                let wanted: Vec<u64> = (0..pass.len() as u64)
                    .filter(|o| pass[*o as usize])
                    .collect();
                few |= !wanted.is_empty() && wanted.len() <= MANY_TERMS;
                many |= wanted.len() > MANY_TERMS;
                let by_column = docs_by_column(c, reader.max_doc(), &pass);
                let by_postings = if wanted.is_empty() {
                    Vec::new()
                } else {
                    docs_by_postings(reader, snap.f.attendee, c, &wanted).unwrap()
                };
                assert_eq!(
                    by_column,
                    by_postings,
                    "segment {seg}, {} pass",
                    wanted.len()
                );
                assert_eq!(
                    docs_with_terms(searcher, seg, snap.f.attendee, &col, &pass).unwrap(),
                    by_column
                );
                // What the files said, by each document's path and round.
                let mut expected = Vec::new();
                for doc in 0..reader.max_doc() {
                    let mut p = Vec::new();
                    let ord = path.term_ords(doc).next().unwrap();
                    path.ord_to_bytes(ord, &mut p).unwrap();
                    let p = String::from_utf8(p).unwrap();
                    let m: usize = p["meetings/m".len()..p.len() - 3].parse().unwrap();
                    let round = usize::from(m.is_multiple_of(5) && !reader.is_deleted(doc));
                    if attendees(m, round).iter().any(|a| test(a)) {
                        expected.push(doc);
                    }
                }
                assert_eq!(by_column, expected, "segment {seg}");
                checked += 1;
            }
        }
        assert_eq!(checked, 5 * segments);
        assert!(few && many, "both ways taken");
        assert!(blocks, "a dictionary of several blocks");
    }
}
