//! A note's tasks as bytes in a column of the note's own document.
//!
//! A task used to be a tantivy document of its own. In a vault where every
//! meeting has tasks that doubled or tripled the documents, and each task
//! document repeated its note's path, title, kind, date and attendees in
//! columns and postings: 15 % of a full index went to task documents. Now a
//! note's document carries its tasks as one value of a bytes column
//! ([`super::schema::Fields::task_rows`]), written here and read back by
//! [`decode`]; what a task shares with its note (path, title, kind, date,
//! attendees) is read from the note's columns.
//!
//! The format is private to the index (a change bumps
//! [`super::schema::SCHEMA_VERSION`]). After the value's head (below): a
//! count of tasks, then per task its line; its status (one byte: 0 open, 1
//! done, 2 cancelled); its due date (days from 1970-01-01, zig-zagged, plus
//! one; 0 for none); its tags and its links (a count, then each string);
//! and its text as written. An open task then has its text as shown and
//! its id's hash (eight bytes, little endian), both worked out when it is
//! indexed (see [`super::schema`]). Numbers are LEB128 varints; a string
//! is its length and its UTF-8 bytes.
//!
//! Texts are mostly not in the bytes but in two string columns of the note
//! ([`Texts`]), where a text many tasks share (the same step after every
//! meeting) is kept once per segment, and the checklist reads the texts as
//! shown without the texts as written. A text is a number: its place among
//! its note's texts in byte order (which is the column's order) plus one,
//! or 0 and the string itself, for an empty text or one too long for a
//! column value.
//!
//! Each value starts with the note's path and a zero byte, so that the
//! column's dictionary, sorted by bytes, is in path order: the checklist
//! reads a hundred thousand values in the order it keeps their notes, not
//! jumping about (which cost it a cache miss a note). Sorted paths share
//! their beginnings, which the dictionary does not store twice.
//!
//! tantivy cuts a column value at 65,535 bytes, so a note with many tasks
//! is written in parts, each with its number (four bytes, big endian) after
//! the path and its zero byte; [`join`] puts them back in order.

use chrono::NaiveDate;

use crate::vault::{Task, TaskStatus};

/// Longest part, head included, under tantivy's 65,535 bytes (for any path
/// the system can open, which is under 4,096 bytes).
const PART_BYTES: usize = 60_000;

/// Longest text kept in a column; longer ones are in the bytes.
const COLUMN_TEXT: usize = 60_000;

/// One task as decoded: strings borrow the decoded bytes.
#[derive(Debug, Clone, PartialEq)]
pub struct TaskRow<'a> {
    /// 1-based line.
    pub line: usize,
    /// Open, done, cancelled.
    pub status: TaskStatus,
    /// Due date.
    pub due: Option<NaiveDate>,
    /// Inline tags of the task line.
    pub tags: Words<'a>,
    /// Wikilinks in the task line.
    pub links: Words<'a>,
    /// Text as written.
    pub text: Text<'a>,
    /// Text as shown (open tasks; else empty).
    pub shown: Text<'a>,
    /// Its id's hash (open tasks; else 0).
    pub hash: u64,
}

/// Where a task's text is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Text<'a> {
    /// In the bytes (too long for a column, or empty).
    Here(&'a str),
    /// The n-th (from 0) of its note's texts in the column, in byte order.
    Column(usize),
}

/// A note's texts for the columns: each distinct one once, in byte order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Texts {
    /// Texts as written.
    pub written: Vec<String>,
    /// Open tasks' texts as shown.
    pub shown: Vec<String>,
}

/// A list of strings in a task's bytes, read as it is walked (a hundred
/// thousand tasks: no vector each).
#[derive(Debug, Clone, PartialEq)]
pub struct Words<'a> {
    r: Reader<'a>,
    left: usize,
}

impl<'a> Iterator for Words<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        if self.left == 0 {
            return None;
        }
        self.left -= 1;
        self.r.str()
    }
}

/// The parts of the value that holds `tasks` of the note at `path`
/// (nothing when there are none), and the texts they name.
pub fn encode(path: &str, tasks: &[Task]) -> (Vec<Vec<u8>>, Texts) {
    if tasks.is_empty() {
        return (Vec::new(), Texts::default());
    }
    let shown: Vec<Option<String>> = tasks
        .iter()
        .map(|t| (t.status == TaskStatus::Open).then(|| crate::vault::clean::task_text(&t.text)))
        .collect();
    let fits = |t: &&str| !t.is_empty() && t.len() <= COLUMN_TEXT;
    let distinct = |texts: Vec<&str>| -> Vec<String> {
        let mut v: Vec<&str> = texts.into_iter().filter(fits).collect();
        v.sort_unstable();
        v.dedup();
        v.into_iter().map(str::to_string).collect()
    };
    let texts = Texts {
        written: distinct(tasks.iter().map(|t| t.text.as_str()).collect()),
        shown: distinct(shown.iter().flatten().map(String::as_str).collect()),
    };
    let mut out = Vec::with_capacity(tasks.len() * 24);
    put_uint(&mut out, tasks.len() as u64);
    for (task, shown) in tasks.iter().zip(&shown) {
        put_uint(&mut out, task.line as u64);
        out.push(match task.status {
            TaskStatus::Open => 0,
            TaskStatus::Done => 1,
            TaskStatus::Cancelled => 2,
        });
        match task.due {
            // Days from the epoch, zig-zagged; 0 is no date.
            Some(d) => {
                let days = super::schema::days_from_epoch(d);
                put_uint(&mut out, (((days << 1) ^ (days >> 63)) as u64) + 1);
            }
            None => put_uint(&mut out, 0),
        }
        put_list(&mut out, &task.tags);
        put_list(&mut out, &task.links);
        put_text(&mut out, &task.text, &texts.written);
        if let Some(shown) = shown {
            put_text(&mut out, shown, &texts.shown);
            let hash = crate::vault::hash::task_hash(path, &task.text);
            out.extend_from_slice(&hash.to_le_bytes());
        }
    }
    // A path has no zero byte (no file name can hold one).
    let head = path.len() + 1 + 4;
    let parts = out
        .chunks(PART_BYTES.saturating_sub(head).max(1024))
        .enumerate()
        .map(|(i, chunk)| {
            let mut part = Vec::with_capacity(head + chunk.len());
            part.extend_from_slice(path.as_bytes());
            part.push(0);
            part.extend_from_slice(&(i as u32).to_be_bytes());
            part.extend_from_slice(chunk);
            part
        })
        .collect();
    (parts, texts)
}

/// A text as its place among `column` plus one, or 0 and the text itself.
fn put_text(out: &mut Vec<u8>, text: &str, column: &[String]) {
    match column.binary_search_by(|c| c.as_str().cmp(text)) {
        Ok(i) => put_uint(out, i as u64 + 1),
        Err(_) => {
            put_uint(out, 0);
            put_str(out, text);
        }
    }
}

/// The bytes [`encode`] split, from a document's values in any order (a
/// single part is returned without a copy).
pub fn join<'a>(parts: &[&'a [u8]]) -> std::borrow::Cow<'a, [u8]> {
    // After the path, its zero byte and the part's number.
    let body = |p: &'a [u8]| -> &'a [u8] {
        memchr::memchr(0, p)
            .and_then(|z| p.get(z + 5..))
            .unwrap_or_default()
    };
    match parts {
        [] => std::borrow::Cow::Borrowed(&[]),
        [one] => std::borrow::Cow::Borrowed(body(one)),
        many => {
            // Same path: the bytes sort by the parts' numbers.
            let mut sorted = many.to_vec();
            sorted.sort_unstable();
            std::borrow::Cow::Owned(sorted.iter().flat_map(|p| body(p)).copied().collect())
        }
    }
}

/// The tasks in `bytes` (as [`join`] gave them back), one by one. Bytes
/// that do not decode (an index written by a bug) end the tasks there.
pub fn decode(bytes: &[u8]) -> Rows<'_> {
    let mut r = Reader { bytes, at: 0 };
    let left = r.uint().unwrap_or(0);
    Rows { r, left }
}

/// The tasks of one note, as [`decode`] reads them.
#[derive(Debug, Clone)]
pub struct Rows<'a> {
    r: Reader<'a>,
    left: u64,
}

impl<'a> Iterator for Rows<'a> {
    type Item = TaskRow<'a>;

    fn next(&mut self) -> Option<TaskRow<'a>> {
        if self.left == 0 {
            return None;
        }
        self.left -= 1;
        let row = self.r.row();
        if row.is_none() {
            self.left = 0;
        }
        row
    }
}

#[derive(Debug, Clone, PartialEq)]
struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn row(&mut self) -> Option<TaskRow<'a>> {
        let line = self.uint()? as usize;
        let status = match self.byte()? {
            0 => TaskStatus::Open,
            1 => TaskStatus::Done,
            _ => TaskStatus::Cancelled,
        };
        let due = match self.uint()? {
            0 => None,
            z => {
                let z = z - 1;
                let days = ((z >> 1) as i64) ^ -((z & 1) as i64);
                super::schema::day_from_epoch(days)
            }
        };
        let tags = self.words()?;
        let links = self.words()?;
        let text = self.text()?;
        let (shown, hash) = if status == TaskStatus::Open {
            let shown = self.text()?;
            let hash = u64::from_le_bytes(self.take(8)?.try_into().ok()?);
            (shown, hash)
        } else {
            (Text::Here(""), 0)
        };
        Some(TaskRow {
            line,
            status,
            due,
            tags,
            links,
            text,
            shown,
            hash,
        })
    }

    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let s = self.bytes.get(self.at..self.at.checked_add(n)?)?;
        self.at += n;
        Some(s)
    }

    fn byte(&mut self) -> Option<u8> {
        Some(self.take(1)?[0])
    }

    fn uint(&mut self) -> Option<u64> {
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let b = self.byte()?;
            v |= u64::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                return Some(v);
            }
        }
        None
    }

    fn str(&mut self) -> Option<&'a str> {
        let n = usize::try_from(self.uint()?).ok()?;
        std::str::from_utf8(self.take(n)?).ok()
    }

    fn text(&mut self) -> Option<Text<'a>> {
        Some(match self.uint()? {
            0 => Text::Here(self.str()?),
            n => Text::Column(usize::try_from(n - 1).ok()?),
        })
    }

    /// A list, checked and stepped over, to be read again as it is walked.
    fn words(&mut self) -> Option<Words<'a>> {
        let n = usize::try_from(self.uint()?).ok()?;
        let start = self.clone();
        for _ in 0..n {
            self.str()?;
        }
        Some(Words { r: start, left: n })
    }
}

fn put_uint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

fn put_str(out: &mut Vec<u8>, s: &str) {
    put_uint(out, s.len() as u64);
    out.extend_from_slice(s.as_bytes());
}

fn put_list(out: &mut Vec<u8>, list: &[String]) {
    put_uint(out, list.len() as u64);
    for s in list {
        put_str(out, s);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn task(line: usize, text: &str, status: TaskStatus, due: Option<&str>) -> Task {
        Task {
            line,
            text: text.to_string(),
            status,
            marker: ' ',
            due: due.and_then(crate::vault::dates::parse_ymd),
            links: vec![
                "Ada Lovelace".into(),
                String::new(),
                "Zoë\n\u{1b}[31m".into(),
            ],
            tags: vec!["ask".into(), "give/back".into()],
        }
    }

    fn resolve<'a>(t: Text<'a>, column: &'a [String]) -> &'a str {
        match t {
            Text::Here(s) => s,
            Text::Column(i) => column.get(i).map_or("<missing>", String::as_str),
        }
    }

    /// Decodes `parts` (in the order given) and checks every field
    /// against `tasks`; returns how many tasks came back.
    fn check(path: &str, tasks: &[Task], parts: &[&[u8]], texts: &Texts) -> usize {
        let bytes = join(parts);
        let rows: Vec<TaskRow> = decode(&bytes).collect();
        assert!(rows.len() <= tasks.len());
        for (t, r) in tasks.iter().zip(&rows) {
            assert_eq!(r.line, t.line);
            assert_eq!(r.status, t.status);
            assert_eq!(r.due, t.due, "{:?}", t.text);
            assert_eq!(resolve(r.text, &texts.written), t.text);
            assert_eq!(r.tags.clone().collect::<Vec<_>>(), t.tags);
            assert_eq!(r.links.clone().collect::<Vec<_>>(), t.links);
            if t.status == TaskStatus::Open {
                let shown = crate::vault::clean::task_text(&t.text);
                assert_eq!(resolve(r.shown, &texts.shown), shown);
                assert_eq!(r.hash, crate::vault::hash::task_hash(path, &t.text));
            } else {
                assert_eq!((r.shown, r.hash), (Text::Here(""), 0));
            }
        }
        rows.len()
    }

    fn slices(parts: &[Vec<u8>]) -> Vec<&[u8]> {
        parts.iter().map(Vec::as_slice).collect()
    }

    #[test]
    fn tasks_come_back_as_written() {
        let tasks = vec![
            task(
                1,
                "call [[Ada Lovelace]] #ask 📅 2026-01-05",
                TaskStatus::Open,
                Some("2026-01-05"),
            ),
            task(7, "", TaskStatus::Done, Some("1901-12-31")),
            task(
                300_000,
                "<b>x</b> - [ ] ## h\u{0}\r",
                TaskStatus::Cancelled,
                None,
            ),
            task(9, "  plain  ", TaskStatus::Open, Some("2261-12-31")),
            // The same text twice, and one too long for a column.
            task(10, "  plain  ", TaskStatus::Open, None),
            task(11, &"z".repeat(COLUMN_TEXT + 1), TaskStatus::Open, None),
        ];
        let (parts, texts) = encode("notes/a.md", &tasks);
        // The long text is in the bytes, as written and as shown: three parts.
        assert_eq!(parts.len(), 3);
        // Each text once, in byte order, none too long.
        for column in [&texts.written, &texts.shown] {
            assert!(column.windows(2).all(|w| w[0] < w[1]), "{column:?}");
            assert!(
                column
                    .iter()
                    .all(|t| !t.is_empty() && t.len() <= COLUMN_TEXT)
            );
        }
        assert_eq!(
            texts.written.len(),
            3,
            "not the empty, the long or the repeated one"
        );
        assert_eq!(check("notes/a.md", &tasks, &slices(&parts), &texts), 6);
        assert_eq!(encode("notes/a.md", &[]), (Vec::new(), Texts::default()));
        assert_eq!(decode(&join(&[])).count(), 0);
    }

    #[test]
    fn many_tasks_are_written_in_parts_read_back_in_any_order() {
        let tasks: Vec<Task> = (0..2_000)
            .map(|i| task(i + 1, &format!("step {i}"), TaskStatus::Open, None))
            .collect();
        let (parts, texts) = encode("p.md", &tasks);
        assert!(parts.len() > 1);
        assert!(
            parts
                .iter()
                .all(|p| p.len() <= PART_BYTES && p.len() <= 65_535)
        );
        let mut values = slices(&parts);
        values.reverse();
        assert_eq!(check("p.md", &tasks, &values, &texts), 2_000);
    }

    #[test]
    fn values_sort_as_their_notes_paths() {
        let tasks = vec![task(1, "x", TaskStatus::Open, None)];
        let paths = [
            "a.md", "a b.md", "a/b.md", "a/b/c.md", "ab.md", "b.md", "é.md",
        ];
        let mut values: Vec<Vec<u8>> = paths.iter().flat_map(|p| encode(p, &tasks).0).collect();
        values.sort();
        let mut sorted = paths.to_vec();
        sorted.sort();
        let order: Vec<&str> = values
            .iter()
            .filter_map(|v| std::str::from_utf8(&v[..v.iter().position(|b| *b == 0)?]).ok())
            .collect();
        assert_eq!(order, sorted);
    }

    #[test]
    fn damaged_bytes_give_the_tasks_before_the_damage() {
        let tasks: Vec<Task> = (0..3)
            .map(|i| task(i + 1, "mail [[Bob]]", TaskStatus::Open, None))
            .collect();
        let (parts, texts) = encode("p.md", &tasks);
        let whole = parts[0].clone();
        for cut in 2..whole.len() {
            assert!(check("p.md", &tasks, &[&whole[..cut]], &texts) < 3);
        }
        // Any bytes at all: no panic.
        for seed in 0..2_000u32 {
            let junk: Vec<u8> = (0..64)
                .map(|i| (seed.wrapping_mul(2_654_435_761) >> (i % 24)) as u8)
                .collect();
            let _ = decode(&junk)
                .flat_map(|r| r.tags.chain(r.links).collect::<Vec<_>>())
                .count();
        }
    }
}
