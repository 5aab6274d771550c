//! The checklist's open tasks, held compactly.
//!
//! When every meeting has an open task the checklist lists a hundred
//! thousand of them. Holding each as a [`TaskItem`] (five strings and a
//! vector of names) next to the records it was made from doubled the memory,
//! and a fifth of the time went to the allocator. [`Tasks`] keeps the
//! [`TaskTable`] the index returned and adds, per shown task, its place in
//! the table and the people it involves as indices into one list of names;
//! its id and text as shown are read from the row (the index worked them
//! out when the task was indexed; a table made from records works them out
//! as it is read, see [`TaskTable::shown`]). A
//! [`TaskItem`] is built only when a renderer reads it, and JSON is written
//! straight from the table.

use std::borrow::Cow;
use std::ops::Range;

use chrono::NaiveDate;
use serde::ser::{Serialize, SerializeSeq, SerializeStruct, Serializer};

use super::{Id, TaskItem};
use crate::render::json;
use crate::vault::TaskStatus;
use crate::vault::tasktable::{Strings, TaskParts, TaskRow, TaskTable};

/// One shown task.
#[derive(Debug, Clone, PartialEq)]
struct Shown {
    /// Index of its row in the table.
    row: u32,
    /// Its people are `people[people_at..people_at + people_len]`.
    people_at: u32,
    people_len: u32,
    overdue: bool,
    /// Id and text given as they are ([`Tasks::push`]), else `None`: worked
    /// out from the row.
    given: Option<u32>,
}

/// The open tasks of a checklist, in order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Tasks {
    table: TaskTable,
    shown: Vec<Shown>,
    /// Ids and texts of items pushed as they are.
    given: Vec<(String, String)>,
    /// Names of the people involved, each once.
    names: Strings,
    /// Each shown task's people, as indices into `names`.
    people: Vec<u32>,
}

impl Tasks {
    /// The list over `table`, whose rows [`Tasks::show`] picks, before or
    /// after: the rows shown so far are kept. The table it held is
    /// replaced, so this is for a list nothing was [`Tasks::push`]ed to
    /// (a pushed item is rows of that table).
    pub fn over(self, table: TaskTable) -> Tasks {
        Tasks { table, ..self }
    }

    /// The table the rows come from.
    pub fn table(&self) -> &TaskTable {
        &self.table
    }

    /// The number of a person's name, for [`Tasks::show`].
    pub fn name(&mut self, name: &str) -> u32 {
        self.names.id(name)
    }

    /// Shows row `row` of the table next, with its people (as
    /// [`Tasks::name`]s).
    pub fn show(&mut self, row: usize, overdue: bool, people: impl IntoIterator<Item = u32>) {
        let at = self.people.len();
        self.people.extend(people);
        // Past four thousand million, a row or person is out of reach and
        // reads as empty (no table holds that many).
        let small = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        self.shown.push(Shown {
            row: small(row),
            people_at: small(at),
            people_len: small(self.people.len() - at),
            overdue,
            given: None,
        });
    }

    /// Room for `n` more shown tasks.
    pub fn reserve(&mut self, n: usize) {
        self.shown.reserve_exact(n);
    }

    /// Adds an item as it is (for building a checklist by hand).
    pub fn push(&mut self, item: TaskItem) {
        let row = self.table.len();
        let (path, text, note_title) = (
            self.table.put(&item.path),
            self.table.put(&item.text),
            self.table.put(&item.note_title),
        );
        self.table.push(TaskParts {
            path,
            text,
            note_title,
            links: [],
            attendees: [],
            tags: [],
            line: item.line,
            status: item.status,
            due: item.due,
            note_date: item.note_date,
            note_kind: crate::vault::Kind::Note,
            hash: 0,
        });
        let people: Vec<u32> = item.people.iter().map(|p| self.name(p)).collect();
        self.show(row, item.overdue, people);
        if let Some(s) = self.shown.last_mut() {
            s.given = u32::try_from(self.given.len()).ok();
        }
        self.given.push((item.id, item.text));
    }

    /// Number of tasks shown.
    pub fn len(&self) -> usize {
        self.shown.len()
    }

    /// No task shown.
    pub fn is_empty(&self) -> bool {
        self.shown.is_empty()
    }

    /// The tasks in order, each built as it is read.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = TaskItem> + '_ {
        self.shown.iter().map(|s| self.view(s).item())
    }

    /// The `i`th task.
    pub fn get(&self, i: usize) -> Option<TaskItem> {
        self.shown.get(i).map(|s| self.view(s).item())
    }

    /// Every task, built.
    pub fn to_vec(&self) -> Vec<TaskItem> {
        self.iter().collect()
    }

    /// Reads the rows and strings of tasks `range` once, in a loop of
    /// independent loads. The tasks are shown by due date, the table is in
    /// path order and its texts in dictionary order: each task's row and
    /// strings are far from the last one's, and a writer that touches a
    /// block of them first waits for the memory once per block rather than
    /// once per task.
    pub fn touch(&self, range: Range<usize>) {
        let mut touched = 0u8;
        for s in self.shown.get(range).unwrap_or_default() {
            if let Some(r) = self.table.rows().get(s.row as usize) {
                let first = |t: &str| t.as_bytes().first().copied().unwrap_or(0);
                touched ^= first(self.table.text(r)) ^ first(self.table.path(r));
                touched ^= first(self.table.note_title(r));
            }
        }
        std::hint::black_box(touched);
    }

    fn view<'a>(&'a self, s: &'a Shown) -> View<'a> {
        let row = self.table.rows().get(s.row as usize);
        let (id, text) = match s.given.and_then(|g| self.given.get(g as usize)) {
            Some((id, text)) => (ViewId::Given(id), Cow::Borrowed(text.as_str())),
            None => {
                let id = row.map_or_else(
                    || Id::of(&["task", "", ""]),
                    |r| Id::from_hash(self.table.id_hash(r)),
                );
                let text = row.map_or(Cow::Borrowed(""), |r| self.table.shown_text(r));
                (ViewId::Row(id), text)
            }
        };
        View {
            id,
            text,
            row,
            table: &self.table,
            overdue: s.overdue,
            people: {
                let at = s.people_at as usize;
                let len = s.people_len as usize;
                self.people.get(at..at + len).unwrap_or_default()
            },
            names: self.names.all(),
        }
    }
}

/// A shown task's id: as given, or worked out from its row.
enum ViewId<'a> {
    Given(&'a str),
    Row(Id),
}

impl ViewId<'_> {
    fn as_str(&self) -> &str {
        match self {
            ViewId::Given(id) => id,
            ViewId::Row(id) => id.as_str(),
        }
    }
}

/// A shown task, borrowed.
struct View<'a> {
    id: ViewId<'a>,
    text: Cow<'a, str>,
    row: Option<&'a TaskRow>,
    table: &'a TaskTable,
    overdue: bool,
    people: &'a [u32],
    names: &'a [String],
}

impl<'a> View<'a> {
    fn path(&self) -> &'a str {
        self.row.map_or("", |r| self.table.path(r))
    }

    fn note_title(&self) -> &'a str {
        self.row.map_or("", |r| self.table.note_title(r))
    }

    fn due(&self) -> Option<NaiveDate> {
        self.row.and_then(|r| r.due)
    }

    fn note_date(&self) -> Option<NaiveDate> {
        self.row.and_then(|r| r.note_date)
    }

    fn people(&self) -> impl Iterator<Item = &'a str> + 'a {
        let names = self.names;
        self.people
            .iter()
            .map(move |n| names.get(*n as usize).map_or("", String::as_str))
    }

    fn line(&self) -> usize {
        self.row.map_or(0, |r| r.line)
    }

    fn item(self) -> TaskItem {
        TaskItem {
            id: self.id.as_str().to_string(),
            text: self.text.to_string(),
            status: TaskStatus::Open,
            due: self.due(),
            overdue: self.overdue,
            path: self.path().to_string(),
            line: self.line(),
            note_title: self.note_title().to_string(),
            note_date: self.note_date(),
            people: self.people().map(str::to_string).collect(),
        }
    }
}

impl<'a> IntoIterator for &'a Tasks {
    type Item = TaskItem;
    type IntoIter = Box<dyn ExactSizeIterator<Item = TaskItem> + 'a>;

    fn into_iter(self) -> Self::IntoIter {
        Box::new(self.iter())
    }
}

/// The same JSON as a list of [`TaskItem`]s, written from the table without
/// building them.
impl Serialize for Tasks {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(Some(self.shown.len()))?;
        for s in &self.shown {
            seq.serialize_element(&self.view(s))?;
        }
        seq.end()
    }
}

impl Serialize for View<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        struct People<'b, 'a>(&'b View<'a>);
        impl Serialize for People<'_, '_> {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.collect_seq(self.0.people())
            }
        }
        // Field for field as `TaskItem` derives it (a test holds them equal).
        let mut st = serializer.serialize_struct("TaskItem", 10)?;
        st.serialize_field("id", self.id.as_str())?;
        st.serialize_field("text", &*self.text)?;
        st.serialize_field("status", &TaskStatus::Open)?;
        st.serialize_field("due", &Day(self.due()))?;
        st.serialize_field("overdue", &self.overdue)?;
        st.serialize_field("path", self.path())?;
        st.serialize_field("line", &self.line())?;
        st.serialize_field("note_title", self.note_title())?;
        st.serialize_field("note_date", &Day(self.note_date()))?;
        st.serialize_field("people", &People(self))?;
        st.end()
    }
}

impl Tasks {
    /// Writes the tasks as a list at `depth` (see [`json::write_list`]),
    /// byte for byte what their [`Serialize`] writes, each task by hand
    /// and each person's name escaped once.
    pub fn write_json(&self, w: &mut dyn std::io::Write, depth: usize) -> std::io::Result<()> {
        let names: Vec<Vec<u8>> = self
            .names
            .all()
            .iter()
            .map(|n| {
                let mut out = Vec::with_capacity(n.len() + 2);
                json::push_str(&mut out, n);
                out
            })
            .collect();
        let render = |i: usize, out: &mut Vec<u8>| {
            match self.shown.get(i) {
                Some(s) => self.view(s).write_json(out, depth, i, &names),
                None => json::null_item(out, depth, i),
            }
            Ok(())
        };
        json::write_list(w, self.len(), depth, render, |r| self.touch(r))
    }
}

impl View<'_> {
    /// The task as the `i`th item of a list at `depth`, field for field as
    /// its [`Serialize`] writes it (`names`: the people's names, escaped).
    fn write_json(&self, out: &mut Vec<u8>, depth: usize, i: usize, names: &[Vec<u8>]) {
        let mut o = json::Object::item(out, depth, i);
        o.str("id", self.id.as_str());
        o.str("text", &self.text);
        o.raw("status", b"\"open\"");
        o.date("due", self.due());
        o.raw("overdue", if self.overdue { b"true" } else { b"false" });
        o.str("path", self.path());
        o.uint("line", self.line() as u64);
        o.str("note_title", self.note_title());
        o.date("note_date", self.note_date());
        o.raw_list(
            "people",
            self.people
                .iter()
                .map(|n| names.get(*n as usize).map_or(&b"\"\""[..], Vec::as_slice)),
        );
        o.end();
    }
}

/// A date as chrono writes it, without its formatting machinery (a
/// checklist can hold two hundred thousand).
struct Day(Option<NaiveDate>);

impl Serialize for Day {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.0 {
            None => serializer.serialize_none(),
            Some(d) => match crate::vault::dates::ymd(d) {
                Some(b) => serializer.serialize_str(std::str::from_utf8(&b).unwrap_or_default()),
                None => d.serialize(serializer),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(i: usize) -> TaskItem {
        TaskItem {
            id: format!("{i:012x}"),
            text: format!("call \"Ada\" <b>{i}</b>\n\u{7}"),
            status: TaskStatus::Open,
            due: NaiveDate::from_ymd_opt(2026, 1, 1 + i as u32),
            overdue: i.is_multiple_of(2),
            path: format!("m/é {i}.md"),
            line: i + 1,
            note_title: format!("Title {i}"),
            note_date: (i > 0).then(|| NaiveDate::from_ymd_opt(2025, 12, 1).unwrap_or_default()),
            people: (0..i).map(|p| format!("Person {p}")).collect(),
        }
    }

    #[test]
    fn rows_shown_from_a_table_get_their_stable_id_and_clean_text() {
        let records: Vec<crate::vault::TaskRecord> = [
            ("m/a.md", "  call [[people/ada|Ada]] 📅 2026-11-20 "),
            ("m/é.md", "send\tthe <b>deck</b> %% private %%"),
        ]
        .iter()
        .enumerate()
        .map(|(i, (path, text))| crate::vault::TaskRecord {
            path: path.to_string(),
            line: i + 3,
            text: text.to_string(),
            status: TaskStatus::Open,
            due: NaiveDate::from_ymd_opt(2026, 11, 20),
            note_date: NaiveDate::from_ymd_opt(2026, 11, 1),
            note_title: "Sync".into(),
            tags: Vec::new(),
            links: Vec::new(),
            attendees: Vec::new(),
            note_kind: crate::vault::Kind::Meeting,
            note_tags: Vec::new(),
        })
        .collect();
        let mut tasks = Tasks::default().over(TaskTable::from(&records[..]));
        let ada = tasks.name("Ada");
        tasks.show(1, true, []);
        tasks.show(0, false, [ada]);
        let items = tasks.to_vec();
        assert_eq!(items[0].text, "send the <b>deck</b>");
        assert_eq!(items[1].text, "call Ada");
        assert_eq!(items[1].people, vec!["Ada".to_string()]);
        for (item, r) in items.iter().zip([&records[1], &records[0]]) {
            // The id checklist files keep: of the path and the trimmed raw text.
            assert_eq!(
                item.id,
                super::super::stable_id(&["task", &r.path, r.text.trim()])
            );
            assert_eq!((item.line, &item.path), (r.line, &r.path));
        }
        // The JSON written from the table is that of the items.
        let direct = serde_json::to_string_pretty(&tasks).unwrap_or_default();
        assert_eq!(
            direct,
            serde_json::to_string_pretty(&items).unwrap_or_default()
        );
    }

    /// `n` items, and a list of them pushed as they are.
    fn pushed(n: usize) -> (Vec<TaskItem>, Tasks) {
        let items: Vec<TaskItem> = (0..n).map(item).collect();
        let mut tasks = Tasks::default();
        for i in &items {
            tasks.push(i.clone());
        }
        (items, tasks)
    }

    #[test]
    fn hand_written_json_is_serdes() {
        // Hostile texts, shared and missing names, dates and none, at the
        // depths a list is written at; the ids and texts both given and
        // worked out from the rows.
        let (_, tasks) = pushed(6);
        let mut from_rows = Tasks::default().over(tasks.table.clone());
        for row in 0..tasks.table.len() {
            let people = [from_rows.name("Ada \"Lovelace\"\n"), from_rows.name("B")];
            from_rows.show(row, row % 2 == 0, people);
        }
        for t in [&tasks, &from_rows] {
            for depth in [0, 1, 2] {
                let mut out = Vec::new();
                assert!(t.write_json(&mut out, depth).is_ok());
                let serde = serde_json::to_string_pretty(t).unwrap_or_default();
                let want = serde.replace('\n', &format!("\n{}", "  ".repeat(depth)));
                assert_eq!(String::from_utf8_lossy(&out), want);
            }
        }
        assert!(serde_json::to_string(&from_rows).is_ok_and(|s| s.contains("Lovelace")));
    }

    #[test]
    fn items_come_back_as_pushed() {
        let (items, tasks) = pushed(4);
        assert_eq!(tasks.len(), 4);
        assert_eq!(tasks.to_vec(), items);
        assert_eq!(tasks.get(3), Some(items[3].clone()));
        assert_eq!(tasks.get(4), None);
        // A name shared by several tasks is kept once.
        assert_eq!(tasks.names.all().len(), 3);
    }

    #[test]
    fn json_is_that_of_the_items() {
        let (items, tasks) = pushed(4);
        let built = serde_json::to_string_pretty(&items).unwrap_or_default();
        let direct = serde_json::to_string_pretty(&tasks).unwrap_or_default();
        assert!(built.contains("Person 2"));
        assert_eq!(direct, built);
    }
}
