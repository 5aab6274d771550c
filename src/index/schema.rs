//! The tantivy schema: which fields exist, how they are indexed, and the
//! version number that forces a rebuild whenever any of this changes.
//!
//! Every note is one document, its tasks included: a note's tasks are a
//! value of a bytes column ([`Fields::task_rows`], format in
//! `index::taskrows`) and its texts string columns, so the follow-up
//! checklist reads a hundred thousand open tasks column-wise, without
//! decompressing and parsing a stored document per task, and without a
//! document per task to write (a task takes its path, title, kind, date and
//! attendees from its note's columns). An open task also keeps its text as shown
//! ([`crate::vault::clean::task_text`]) and its id's hash
//! ([`crate::vault::hash::task_hash`]), worked out once when it is indexed
//! rather than for every task on every checklist; a change to either rule
//! must bump [`SCHEMA_VERSION`]. Attendees, links and tasks' links are also
//! indexed as raw terms, so that one person's meetings, mentions and tasks
//! are found from the few notes that name them, not from every document's
//! column values. Files rapport generated are kept as `skip` documents, so
//! a refresh knows their (size, mtime) and does not read them again.

use tantivy::schema::{
    DateOptions, DateTimePrecision, FAST, Field, IndexRecordOption, STORED, STRING, Schema,
    TextFieldIndexing, TextOptions,
};
use tantivy::tokenizer::{LowerCaser, RawTokenizer, TextAnalyzer};

/// Bumped whenever the schema or what is stored in it changes; an index with
/// another version is rebuilt.
pub const SCHEMA_VERSION: u32 = 19;

/// Tokenizer for exact values compared case-insensitively (`tag:`, `kind:`).
pub const LOWER: &str = "rapport_lower";

/// Handles to every field.
#[derive(Debug, Clone)]
pub struct Fields {
    /// `person`, `meeting`, `note` or `skip`.
    pub kind: Field,
    /// Vault-relative path; the key for updates.
    pub path: Field,
    /// File size, for change detection.
    pub size: Field,
    /// File modification time (ns), for change detection.
    pub mtime: Field,
    /// Title or name.
    pub title: Field,
    /// Title as written, one value (fast).
    pub title_raw: Field,
    /// Body text (indexed, not stored: snippets are cut from the note itself).
    pub body: Field,
    /// A person's name, aliases and email.
    pub name: Field,
    /// Attendee references (searchable as `person:`).
    pub person: Field,
    /// Projects (searchable as `project:`).
    pub project: Field,
    /// Projects as compared (normalised keys), for finding a project's meetings.
    pub project_key: Field,
    /// Projects as written, one value each (fast).
    pub project_raw: Field,
    /// Tags, searchable as `tag:`: a note's own and its tasks'.
    pub tag: Field,
    /// Tags as a column (fast): a note's own, without its tasks'.
    pub tag_raw: Field,
    /// The note's date (meetings, journal notes).
    pub date: Field,
    /// Attendee references as written (fast).
    pub attendee: Field,
    /// Links to other notes (fast).
    pub link: Field,
    /// Number of tasks in a note.
    pub tasks: Field,
    /// Number of open tasks in a note.
    pub open_tasks: Field,
    /// Markers for finding documents quickly (`problem`: the note has
    /// problems; `template`; and the tasks' flags of `index::tasks`).
    pub flag: Field,
    /// The parsed note (postcard's bytes), for answers (not for tasks: see
    /// the module comment).
    pub meta: Field,
    /// The front matter's `uid` (fast), so an import knows what it made.
    pub uid: Field,
    /// The note's tasks (fast bytes; the format is `index::taskrows`').
    pub task_rows: Field,
    /// Its tasks' texts as written, each once (fast).
    pub task_text: Field,
    /// Its open tasks' texts as shown, each once (fast).
    pub task_shown: Field,
    /// Where the note's tasks link (raw terms, document lists only): a
    /// person's tasks are found from the few notes that name them.
    pub task_link: Field,
}

/// Builds the schema.
pub fn build() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let lower = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(LOWER)
            .set_index_option(IndexRecordOption::Basic),
    );
    let text = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(super::words::TEXT)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    );
    // References: read from the column, and looked up by the few texts
    // that name one person in the inverted index (document lists only).
    let raw = TextOptions::default().set_fast("raw").set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer("raw")
            .set_index_option(IndexRecordOption::Basic),
    );
    // Dates are only ever filtered by range, which tantivy answers from
    // the column; an inverted index of them would be written for nothing.
    let day = DateOptions::default()
        .set_fast()
        .set_precision(DateTimePrecision::Seconds);
    let fields = Fields {
        kind: b.add_text_field("kind", lower.clone().set_fast("raw")),
        path: b.add_text_field("path", STRING | FAST),
        size: b.add_u64_field("size", FAST),
        mtime: b.add_i64_field("mtime", FAST),
        title: b.add_text_field("title", text.clone()),
        title_raw: b.add_text_field("title_raw", TextOptions::default().set_fast("raw")),
        body: b.add_text_field("body", text.clone()),
        name: b.add_text_field("name", text.clone()),
        person: b.add_text_field("person", text.clone()),
        project: b.add_text_field("project", text),
        project_key: b.add_text_field("project_key", STRING),
        project_raw: b.add_text_field("project_raw", TextOptions::default().set_fast("raw")),
        tag: b.add_text_field("tag", lower.clone()),
        tag_raw: b.add_text_field("tag_raw", TextOptions::default().set_fast("raw")),
        date: b.add_date_field("date", day.clone()),
        attendee: b.add_text_field("attendee", raw.clone()),
        link: b.add_text_field("link", raw),
        tasks: b.add_u64_field("tasks", FAST),
        open_tasks: b.add_u64_field("open_tasks", FAST),
        flag: b.add_text_field("flag", STRING),
        meta: b.add_bytes_field("meta", STORED),
        // Read as a column only (an import's list of what it made).
        uid: b.add_text_field("uid", TextOptions::default().set_fast("raw")),
        task_rows: b.add_bytes_field("task_rows", FAST),
        task_text: b.add_text_field("task_text", TextOptions::default().set_fast("raw")),
        task_shown: b.add_text_field("task_shown", TextOptions::default().set_fast("raw")),
        task_link: b.add_text_field("task_link", STRING),
    };
    (b.build(), fields)
}

/// Registers the tokenizers the schema names; needed after every open.
pub fn register_tokenizers(index: &tantivy::Index) {
    index
        .tokenizers()
        .register(super::words::TEXT, super::words::analyzer());
    index.tokenizers().register(
        LOWER,
        TextAnalyzer::builder(RawTokenizer::default())
            .filter(LowerCaser)
            .build(),
    );
}

/// Days since the Unix epoch as a tantivy date (midnight UTC).
/// tantivy keeps nanoseconds in an i64, so dates are clamped to the years
/// it can hold (about 1678 to 2261); a note dated 9999 sorts last, not wrong.
pub fn day_to_datetime(date: chrono::NaiveDate) -> tantivy::DateTime {
    const MAX_DAYS: i64 = i64::MAX / 1_000_000_000 / 86_400 - 1;
    tantivy::DateTime::from_timestamp_secs(
        days_from_epoch(date).clamp(-MAX_DAYS, MAX_DAYS) * 86_400,
    )
}

/// A tantivy date back to a calendar date.
pub fn datetime_to_day(dt: tantivy::DateTime) -> Option<chrono::NaiveDate> {
    day_from_epoch(dt.into_timestamp_secs().div_euclid(86_400))
}

/// 1970-01-01 is the common era's 719,163rd day: dates are counted from the
/// common era's first day both ways rather than added to or taken from
/// 1970-01-01 (a checklist converts four hundred thousand dates, and
/// chrono's addition took three times as long).
const EPOCH_FROM_CE: i64 = 719_163;

/// Days from 1970-01-01 to `date` (negative before).
pub(super) fn days_from_epoch(date: chrono::NaiveDate) -> i64 {
    i64::from(chrono::Datelike::num_days_from_ce(&date)) - EPOCH_FROM_CE
}

/// The date `days` after 1970-01-01, when there is one.
pub(super) fn day_from_epoch(days: i64) -> Option<chrono::NaiveDate> {
    let from_ce = i32::try_from(days.checked_add(EPOCH_FROM_CE)?).ok()?;
    chrono::NaiveDate::from_num_days_from_ce_opt(from_ce)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_from_the_epoch_are_chronos() {
        let epoch = chrono::NaiveDate::from_ymd_opt(1970, 1, 1).unwrap_or_default();
        let added = |days: i64| epoch.checked_add_signed(chrono::TimeDelta::try_days(days)?);
        let (min, max) = (chrono::NaiveDate::MIN, chrono::NaiveDate::MAX);
        let ends = [(min - epoch).num_days(), (max - epoch).num_days()];
        for d in [min, max, epoch, max.pred_opt().unwrap_or(max)] {
            assert_eq!(days_from_epoch(d), (d - epoch).num_days(), "{d}");
        }
        let mut days: Vec<i64> = (-800_000..800_000).step_by(997).collect();
        days.extend([
            0,
            1,
            -1,
            59,
            60,
            365,
            366,
            -719_163,
            -719_162,
            i64::MIN,
            i64::MAX,
        ]);
        for e in ends {
            days.extend([e - 1, e, e + 1]);
        }
        for d in days {
            assert_eq!(day_from_epoch(d), added(d), "{d}");
        }
        assert_eq!(
            day_from_epoch(0),
            chrono::NaiveDate::from_ymd_opt(1970, 1, 1)
        );
        assert_eq!(day_from_epoch(ends[1]), Some(max));
        assert_eq!(day_from_epoch(ends[1] + 1), None);
    }

    /// The note model's longest kept reference is tantivy's longest term
    /// (a longer one would be left out of the term lists).
    #[test]
    fn the_longest_kept_reference_is_the_longest_term() {
        assert_eq!(
            crate::vault::refs::STORED_REF_MAX,
            tantivy::tokenizer::MAX_TOKEN_LEN
        );
    }

    #[test]
    fn dates_round_trip() {
        for s in ["1970-01-01", "1969-12-31", "2026-11-26", "2200-02-28"] {
            let d = crate::vault::dates::parse_ymd(s).unwrap();
            assert_eq!(datetime_to_day(day_to_datetime(d)), Some(d));
        }
        // Out of tantivy's range: clamped, never an overflow.
        let far = chrono::NaiveDate::from_ymd_opt(9999, 12, 31).unwrap();
        assert!(
            datetime_to_day(day_to_datetime(far))
                .unwrap()
                .format("%Y")
                .to_string()
                .as_str()
                >= "2261"
        );
        let early = chrono::NaiveDate::from_ymd_opt(1, 1, 1).unwrap();
        assert!(
            datetime_to_day(day_to_datetime(early)).unwrap()
                < crate::vault::dates::parse_ymd("1700-01-01").unwrap()
        );
    }
}
