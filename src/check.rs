//! `rapport check`: a lint of the vault for the person who writes it.
//!
//! Parse problems are found while indexing and stored with each note; this
//! module adds what only the whole vault shows: attendees and task links
//! that resolve to nobody (with the closest names), an `introduced_by` that
//! names no person note, meetings that count for nobody (no date, no
//! attendees), aliases claimed by two people, person notes sharing a name,
//! and templates, mentioned once.
//! Pure: it takes what the index returned and gives a sorted list.

use std::collections::{BTreeMap, HashSet};

use serde::Serialize;

use crate::index::FileProblem;
use crate::query::Network;
use crate::vault::refs::{self, Resolved};
use crate::vault::{ProblemCode, TaskRecord};

pub use crate::vault::Severity;

/// One finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// Vault-relative path (a folder for grouped findings).
    pub path: String,
    /// 1-based line, when known.
    pub line: Option<usize>,
    /// How bad.
    pub severity: Severity,
    /// Stable code (serialized as its documented string).
    pub code: ProblemCode,
    /// What is wrong and what to do.
    pub message: String,
}

/// Everything `check` needs, as read from the index.
pub struct Input<'a> {
    /// Problems stored with notes (templates included) and from the walk.
    pub problems: Vec<FileProblem>,
    /// People and meetings; meetings need their paths.
    pub net: &'a Network,
    /// All tasks, for their links.
    pub tasks: &'a [TaskRecord],
    /// Keys of every note (for links to notes that are not people).
    pub note_keys: &'a HashSet<String>,
    /// Finds the line of a reference in a note (reads the note).
    pub line_of: &'a dyn Fn(&str, &str) -> Option<usize>,
}

/// Runs every check.
pub fn check(input: Input<'_>) -> Vec<Finding> {
    let net = input.net;
    let mut out: Vec<Finding> = Vec::new();
    let mut templates: Vec<String> = Vec::new();
    // A meeting whose date is already reported as bad needs no second line.
    let bad_date: HashSet<String> = input
        .problems
        .iter()
        .filter(|p| p.code == ProblemCode::BadDate)
        .map(|p| p.path.clone())
        .collect();
    for p in input.problems {
        if p.code == ProblemCode::Template {
            templates.push(p.path);
            continue;
        }
        out.push(Finding {
            severity: p.code.severity(),
            path: p.path,
            line: p.line,
            code: p.code,
            message: p.message,
        });
    }
    // Templates: once per folder, not a flood.
    let mut by_folder: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for t in templates {
        let folder = t
            .rsplit_once('/')
            .map_or(String::new(), |(d, _)| d.to_string());
        by_folder.entry(folder).or_default().push(t);
    }
    for (folder, files) in by_folder {
        let example = files.first().cloned().unwrap_or_default();
        out.push(Finding {
            path: if folder.is_empty() { example.clone() } else { folder.clone() },
            line: None,
            severity: ProblemCode::Template.severity(),
            code: ProblemCode::Template,
            message: format!(
                "{} template(s) (e.g. {example}) are indexed as plain notes, not as people or meetings",
                files.len()
            ),
        });
    }

    let did_you_mean = |text: &str| {
        let close = net.suggest(text, 3, false);
        if close.is_empty() {
            String::new()
        } else {
            format!("; did you mean {}?", close.join(", "))
        }
    };

    // Meetings that count for nobody: no date (never a last contact), no
    // attendees (a contact with no one).
    for m in &net.meetings {
        if m.date.is_none() && !bad_date.contains(&m.path) {
            out.push(Finding {
                path: m.path.clone(),
                line: None,
                severity: ProblemCode::MeetingWithoutDate.severity(),
                code: ProblemCode::MeetingWithoutDate,
                message: "meeting has no date, so it is nobody's last contact; add `date: YYYY-MM-DD` to its front matter or start its file name with the date".into(),
            });
        }
        if m.attendees.is_empty() {
            out.push(Finding {
                path: m.path.clone(),
                line: None,
                severity: ProblemCode::MeetingWithoutAttendees.severity(),
                code: ProblemCode::MeetingWithoutAttendees,
                message: "meeting has no attendees, so it counts as a contact with nobody; add `attendees: [\"[[Name]]\"]` (or `people`, `participants`, `with`) to its front matter".into(),
            });
        }
    }
    // Attendees that resolve to nobody (or to several people).
    let mut seen: HashSet<(String, String)> = HashSet::new();
    for m in &net.meetings {
        for a in &m.attendees {
            if (*a as usize) < net.people.len() {
                continue;
            }
            let text = net.name(*a).to_string();
            if !seen.insert((m.path.clone(), text.clone())) {
                continue;
            }
            let (code, message) = match net.resolve(&text) {
                Resolved::Ambiguous => (
                    ProblemCode::AmbiguousName,
                    format!("attendee '{text}' could be several people; use their full name"),
                ),
                _ => (
                    ProblemCode::UnresolvedPerson,
                    format!(
                        "attendee '{text}' has no person note{}",
                        did_you_mean(&text)
                    ),
                ),
            };
            out.push(Finding {
                path: m.path.clone(),
                line: (input.line_of)(&m.path, &text),
                severity: code.severity(),
                code,
                message,
            });
        }
    }
    // Task links that lead nowhere: not a person, not any note.
    for t in input.tasks {
        for l in &t.links {
            let key = refs::ref_key(l);
            let stem = key.rsplit('/').next().unwrap_or(&key);
            if matches!(net.resolve(l), Resolved::Person(_))
                || input.note_keys.contains(&key)
                || input.note_keys.contains(stem)
            {
                continue;
            }
            out.push(Finding {
                path: t.path.clone(),
                line: Some(t.line),
                severity: ProblemCode::UnresolvedPerson.severity(),
                code: ProblemCode::UnresolvedPerson,
                message: format!(
                    "task links [[{l}]], which is no person and no note{}",
                    did_you_mean(l)
                ),
            });
        }
    }
    // An `introduced_by` that names no person note.
    for (i, n) in net.people.iter().enumerate() {
        let Some(by) = crate::query::relationship::personal(net, i as crate::query::PersonId)
            .and_then(|p| p.introduced_by.as_deref())
        else {
            continue;
        };
        if crate::query::relationship::known(net, by).is_some() {
            continue;
        }
        out.push(Finding {
            path: n.path.clone(),
            line: (input.line_of)(&n.path, "introduced"),
            severity: ProblemCode::UnresolvedIntroducer.severity(),
            code: ProblemCode::UnresolvedIntroducer,
            message: format!(
                "introduced_by '{}' is no person note{}",
                crate::vault::clean::one_line(by),
                did_you_mean(by)
            ),
        });
    }
    // Aliases claimed by two people, and people sharing a name.
    let mut claims: BTreeMap<String, Vec<(&str, &str)>> = BTreeMap::new();
    let mut names: BTreeMap<String, Vec<&str>> = BTreeMap::new();
    for n in &net.people {
        names
            .entry(refs::ref_key(&n.title))
            .or_default()
            .push(&n.path);
        for a in n
            .person
            .as_ref()
            .map(|p| p.aliases.as_slice())
            .unwrap_or_default()
        {
            claims
                .entry(refs::ref_key(a))
                .or_default()
                .push((&n.path, &n.title));
        }
    }
    for (alias, who) in claims {
        let mut people: Vec<&str> = who.iter().map(|(_, t)| *t).collect();
        people.sort_unstable();
        people.dedup();
        if people.len() > 1 {
            for (path, _) in &who {
                out.push(Finding {
                    path: path.to_string(),
                    line: (input.line_of)(path, &alias),
                    severity: ProblemCode::AmbiguousName.severity(),
                    code: ProblemCode::AmbiguousName,
                    message: format!(
                        "alias '{alias}' is claimed by {}; references to it resolve to nobody",
                        people.join(" and ")
                    ),
                });
            }
        }
    }
    for (name, paths) in names {
        if paths.len() > 1 {
            for p in &paths {
                out.push(Finding {
                    path: p.to_string(),
                    line: None,
                    severity: ProblemCode::DuplicatePerson.severity(),
                    code: ProblemCode::DuplicatePerson,
                    message: format!(
                        "{} person notes are called '{name}' ({})",
                        paths.len(),
                        paths.join(", ")
                    ),
                });
            }
        }
    }
    out.sort_by(|a, b| (&a.path, a.line, a.code.as_str()).cmp(&(&b.path, b.line, b.code.as_str())));
    out.dedup();
    out
}
