//! Builders shared by the unit tests of `query` and `followup`: person
//! notes from front matter and meeting facts built by hand, as the index
//! would return them.

#![allow(dead_code)]

use chrono::NaiveDate;

use crate::index::{DocRef, Facts, MeetingFact};
use crate::query::Network;
use crate::vault::{Kind, Note, TaskRecord, TaskStatus, parse_note};

pub fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

pub fn strs(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| s.to_string()).collect()
}

/// A person note from its front matter (without the `---` lines).
pub fn person(path: &str, front: &str) -> Note {
    let note = parse_note(path, &format!("---\n{front}\n---\n"), Vec::new());
    assert_eq!(note.kind, Kind::Person, "{path} is not a person note");
    assert!(note.problems.is_empty(), "{path}: {:?}", note.problems);
    note
}

/// Interns a string into a facts table, as the index does (exact text).
pub fn intern(table: &mut Vec<String>, s: &str) -> u32 {
    match table.iter().position(|x| x == s) {
        Some(i) => i as u32,
        None => {
            table.push(s.to_string());
            (table.len() - 1) as u32
        }
    }
}

/// Facts built meeting by meeting. Meeting `n` has path `meetings/m{n}.md`
/// and title `Meeting {n}`; an empty date means undated.
#[derive(Default)]
pub struct Vault {
    pub facts: Facts,
}

impl Vault {
    pub fn meeting(
        &mut self,
        date: &str,
        attendees: &[&str],
        projects: &[&str],
        tags: &[&str],
        tasks: u32,
    ) -> &mut Self {
        let f = &mut self.facts;
        let n = f.meetings.len();
        let attendees = attendees.iter().map(|a| intern(&mut f.refs, a)).collect();
        let projects = projects
            .iter()
            .map(|p| intern(&mut f.projects, p))
            .collect();
        let tags = tags.iter().map(|t| intern(&mut f.tags, t)).collect();
        f.meetings.push(MeetingFact {
            doc: DocRef::from_raw(0, n as u32),
            date: (!date.is_empty()).then(|| d(date)),
            attendees,
            projects,
            tags,
            tasks,
            open_tasks: tasks,
            path: format!("meetings/m{n}.md"),
            title: format!("Meeting {n}"),
        });
        self
    }

    pub fn network(&self, people: Vec<Note>) -> Network {
        Network::new(people, &self.facts, None)
    }
}

pub fn path(n: usize) -> String {
    format!("meetings/m{n}.md")
}

pub fn task(path: &str, line: usize, text: &str) -> TaskRecord {
    TaskRecord {
        path: path.into(),
        line,
        text: text.into(),
        status: TaskStatus::Open,
        due: None,
        tags: Vec::new(),
        links: Vec::new(),
        note_title: String::new(),
        note_date: None,
        note_kind: Kind::Note,
        note_tags: Vec::new(),
        attendees: Vec::new(),
    }
}
