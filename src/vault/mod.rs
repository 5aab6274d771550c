//! The vault model: what a folder of Markdown notes says about people,
//! meetings and tasks. Pure code: no index, no I/O beyond reading files in
//! [`scan`], so every rule can be tested on a string.
//!
//! A note is parsed on its own ([`parse_note`]); how its references to people
//! resolve depends on the whole vault and is done later with
//! [`refs::Resolver`].

pub mod clean;
pub mod dates;
pub mod frontmatter;
pub mod hash;
pub mod inline;
pub mod markdown;
pub mod personal;
pub mod plain_yaml;
pub mod refs;
pub mod scan;
pub mod tasktable;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use frontmatter::{Fields, first_string, strings};

/// Bumped whenever a parsing rule changes, so that indexes built with the
/// old rules are rebuilt (the files did not change, the reading did).
pub const PARSER_VERSION: u32 = 7;

/// What a note is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Hash, PartialOrd, Ord)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// A person note.
    Person,
    /// A meeting note.
    Meeting,
    /// Anything else (journal, project, reading list…).
    Note,
}

impl Kind {
    /// The lower-case name used in the index and in output.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Person => "person",
            Kind::Meeting => "meeting",
            Kind::Note => "note",
        }
    }

    /// Parses `person`, `meeting` or `note`.
    pub fn parse(s: &str) -> Option<Kind> {
        match s {
            "person" => Some(Kind::Person),
            "meeting" => Some(Kind::Meeting),
            "note" => Some(Kind::Note),
            _ => None,
        }
    }
}

/// How a person relates to the vault's owner.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Hash)]
#[serde(rename_all = "lowercase")]
pub enum Relation {
    /// A colleague in the same organisation.
    Internal,
    /// Anyone outside it.
    External,
}

impl Relation {
    /// `internal` or `external`.
    pub fn as_str(self) -> &'static str {
        match self {
            Relation::Internal => "internal",
            Relation::External => "external",
        }
    }
}

/// The state of a task.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Hash)]
#[serde(rename_all = "lowercase")]
pub enum TaskStatus {
    /// `[ ]`, `[/]`, `[>]`, `[!]`, `[?]` and any other marker.
    Open,
    /// `[x]` or `[X]`.
    Done,
    /// `[-]`.
    Cancelled,
}

impl TaskStatus {
    /// `open`, `done` or `cancelled`.
    pub fn as_str(self) -> &'static str {
        match self {
            TaskStatus::Open => "open",
            TaskStatus::Done => "done",
            TaskStatus::Cancelled => "cancelled",
        }
    }

    /// Parses what [`TaskStatus::as_str`] writes.
    pub fn parse(s: &str) -> Option<TaskStatus> {
        match s {
            "open" => Some(TaskStatus::Open),
            "done" => Some(TaskStatus::Done),
            "cancelled" => Some(TaskStatus::Cancelled),
            _ => None,
        }
    }
}

/// A task list item.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Task {
    /// 1-based line in the file.
    pub line: usize,
    /// The text after the marker.
    pub text: String,
    /// Open, done or cancelled.
    pub status: TaskStatus,
    /// The character between the brackets.
    pub marker: char,
    /// The due date, if the text carries a valid one.
    pub due: Option<NaiveDate>,
    /// Wikilink targets in the task's line (people it involves).
    pub links: Vec<String>,
    /// Inline tags in the task's line.
    pub tags: Vec<String>,
}

/// Front-matter fields that only person notes have.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PersonFields {
    /// Other names the person is referred to by.
    pub aliases: Vec<String>,
    /// Email address.
    pub email: Option<String>,
    /// More email addresses (`emails`), besides `email`.
    #[serde(default)]
    pub emails: Vec<String>,
    /// Organisation (`org` or `company`).
    pub org: Option<String>,
    /// Team within the organisation.
    pub team: Option<String>,
    /// Internal colleague or external contact.
    pub relation: Option<Relation>,
    /// Keep-in-touch interval in days.
    pub cadence_days: Option<u32>,
    /// Last contact recorded by hand.
    pub last_contact: Option<NaiveDate>,
    /// Interests, for writing a personal message.
    pub interests: Vec<String>,
    /// Dates, how we met, snooze.
    #[serde(default)]
    pub personal: personal::Personal,
}

/// A problem found in a note: never fatal, always reported with a place.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Problem {
    /// What kind of problem (stable, documented in the README).
    pub code: ProblemCode,
    /// 1-based line, when the problem has one.
    pub line: Option<usize>,
    /// A sentence for the user.
    pub message: String,
}

impl Problem {
    /// A problem at a line.
    pub fn new(code: ProblemCode, line: Option<usize>, message: impl Into<String>) -> Self {
        Problem {
            code,
            line,
            message: message.into(),
        }
    }
}

/// Stable problem codes (`rapport check --json` prints them).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Hash, PartialOrd, Ord)]
#[serde(rename_all = "kebab-case")]
pub enum ProblemCode {
    /// YAML that does not parse.
    FrontMatterParse,
    /// A `---` block that never closes.
    FrontMatterUnclosed,
    /// Front matter that is a scalar or a list.
    FrontMatterNotMap,
    /// `+++` TOML front matter.
    TomlFrontMatter,
    /// A date field that is not a date.
    BadDate,
    /// A task due date that is not a real date.
    BadDueDate,
    /// A cadence rapport cannot read.
    BadCadence,
    /// A relation other than internal/external.
    BadRelation,
    /// A file that is not valid UTF-8.
    NotUtf8,
    /// A file that could not be read.
    Unreadable,
    /// A reference that resolves to nobody.
    UnresolvedPerson,
    /// An alias or name claimed by two people.
    AmbiguousName,
    /// Two person notes with the same name.
    DuplicatePerson,
    /// A meeting note with no date (it counts as nobody's last contact).
    MeetingWithoutDate,
    /// A meeting note with no attendees (it counts as contact with nobody).
    MeetingWithoutAttendees,
    /// A template with `{{placeholders}}`.
    Template,
    /// A `birthday`, `dates` entry, `met` or `snooze` that is not a date.
    BadPersonDate,
    /// An `introduced_by` that resolves to no person.
    UnresolvedIntroducer,
}

/// How bad a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The note could not be read as intended; it is indexed as plain text.
    Error,
    /// Something is probably not what the writer meant.
    Warning,
    /// For information; not a problem.
    Info,
}

impl ProblemCode {
    /// Every code, in declaration order.
    pub const ALL: [ProblemCode; 18] = [
        ProblemCode::FrontMatterParse,
        ProblemCode::FrontMatterUnclosed,
        ProblemCode::FrontMatterNotMap,
        ProblemCode::TomlFrontMatter,
        ProblemCode::BadDate,
        ProblemCode::BadDueDate,
        ProblemCode::BadCadence,
        ProblemCode::BadRelation,
        ProblemCode::NotUtf8,
        ProblemCode::Unreadable,
        ProblemCode::UnresolvedPerson,
        ProblemCode::AmbiguousName,
        ProblemCode::DuplicatePerson,
        ProblemCode::MeetingWithoutDate,
        ProblemCode::MeetingWithoutAttendees,
        ProblemCode::Template,
        ProblemCode::BadPersonDate,
        ProblemCode::UnresolvedIntroducer,
    ];

    /// How bad a problem of this code is. Exhaustive on purpose: a new code
    /// does not compile until its severity is decided.
    pub fn severity(self) -> Severity {
        match self {
            ProblemCode::FrontMatterParse
            | ProblemCode::FrontMatterUnclosed
            | ProblemCode::FrontMatterNotMap
            | ProblemCode::TomlFrontMatter
            | ProblemCode::NotUtf8
            | ProblemCode::Unreadable => Severity::Error,
            ProblemCode::BadDate
            | ProblemCode::BadDueDate
            | ProblemCode::BadCadence
            | ProblemCode::BadRelation
            | ProblemCode::UnresolvedPerson
            | ProblemCode::AmbiguousName
            | ProblemCode::DuplicatePerson
            | ProblemCode::MeetingWithoutDate
            | ProblemCode::MeetingWithoutAttendees
            | ProblemCode::BadPersonDate
            | ProblemCode::UnresolvedIntroducer => Severity::Warning,
            ProblemCode::Template => Severity::Info,
        }
    }

    /// The code as printed (and as serialized: the same kebab-case string).
    pub fn as_str(self) -> &'static str {
        match self {
            ProblemCode::FrontMatterParse => "front-matter-parse",
            ProblemCode::FrontMatterUnclosed => "front-matter-unclosed",
            ProblemCode::FrontMatterNotMap => "front-matter-not-map",
            ProblemCode::TomlFrontMatter => "toml-front-matter",
            ProblemCode::BadDate => "bad-date",
            ProblemCode::BadDueDate => "bad-due-date",
            ProblemCode::BadCadence => "bad-cadence",
            ProblemCode::BadRelation => "bad-relation",
            ProblemCode::NotUtf8 => "not-utf8",
            ProblemCode::Unreadable => "unreadable",
            ProblemCode::UnresolvedPerson => "unresolved-person",
            ProblemCode::AmbiguousName => "ambiguous-name",
            ProblemCode::DuplicatePerson => "duplicate-person",
            ProblemCode::MeetingWithoutDate => "meeting-without-date",
            ProblemCode::MeetingWithoutAttendees => "meeting-without-attendees",
            ProblemCode::Template => "template",
            ProblemCode::BadPersonDate => "bad-person-date",
            ProblemCode::UnresolvedIntroducer => "unresolved-introducer",
        }
    }
}

impl std::fmt::Display for ProblemCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What the index stores for a task.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct TaskRecord {
    /// The note's path.
    pub path: String,
    /// 1-based line.
    pub line: usize,
    /// Text after the marker.
    pub text: String,
    /// Open, done, cancelled.
    pub status: TaskStatus,
    /// Due date.
    pub due: Option<NaiveDate>,
    /// Inline tags of the task line.
    pub tags: Vec<String>,
    /// Wikilinks in the task line.
    pub links: Vec<String>,
    /// Title of the note the task is in.
    pub note_title: String,
    /// Date of that note.
    pub note_date: Option<NaiveDate>,
    /// Kind of that note.
    pub note_kind: Kind,
    /// Tags of that note (not stored: no answer needs them per task).
    #[serde(skip)]
    pub note_tags: Vec<String>,
    /// Attendees of that note, when it is a meeting.
    pub attendees: Vec<String>,
}

/// One parsed note.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Note {
    /// Path relative to the vault, with `/` separators.
    pub path: String,
    /// Person, meeting or note.
    pub kind: Kind,
    /// Title (for a person: their name).
    pub title: String,
    /// The note's date (meetings, journal notes).
    pub date: Option<NaiveDate>,
    /// Person fields, for person notes.
    pub person: Option<PersonFields>,
    /// References to the people who attended (meetings), as written.
    pub attendees: Vec<String>,
    /// Projects, as written (brackets stripped).
    pub projects: Vec<String>,
    /// Tags from front matter and inline, lower case, without `#`.
    pub tags: Vec<String>,
    /// Link targets in the body, with their line. Not kept with the
    /// stored note: the index holds them as columns.
    #[serde(skip)]
    pub links: Vec<(String, usize)>,
    /// Task list items. Not kept with the stored note: the index holds
    /// them in columns of the note's document.
    #[serde(skip)]
    pub tasks: Vec<Task>,
    /// Problems found while reading the note.
    pub problems: Vec<Problem>,
    /// The front matter's `uid` (set by `rapport import`; it keeps an
    /// imported event or contact from being imported twice).
    #[serde(default)]
    pub uid: Option<String>,
    /// The body text (the whole text when there is no usable front matter).
    #[serde(skip)]
    pub body: String,
}

impl Note {
    /// The file stem (`people/ada.md` → `ada`).
    pub fn stem(&self) -> &str {
        stem_of(&self.path)
    }

    /// The path without its extension (`people/ada`), a person's strongest key.
    pub fn path_key(&self) -> &str {
        without_extension(&self.path)
    }

    /// The keys ([`refs::claims`]) people can use to refer to this person,
    /// worked out without copying the texts first.
    pub fn claims(&self) -> refs::Claims {
        let p = self.person.as_ref();
        refs::claims(
            self.path_key(),
            &self.title,
            p.map_or(&[], |p| p.aliases.as_slice()),
            p.and_then(|p| p.email.as_deref()),
        )
    }

    /// True when the note looks like a template (`{{date}}` placeholders).
    pub fn is_template(&self) -> bool {
        self.problems
            .iter()
            .any(|p| p.code == ProblemCode::Template)
    }
}

/// Sorts `items` by `cmp` (stable), moving each at most a few times and
/// taking no scratch copy: the indices are sorted, then the items are
/// swapped into place along the permutation's cycles. For many items of
/// middling size (a hundred thousand task rows) a sort's scratch copy is
/// ten megabytes at the checklist's peak. (Person notes are too large:
/// swapping them costs more than moving each once into a new list.)
pub fn sort_large<T>(items: &mut [T], mut cmp: impl FnMut(&T, &T) -> std::cmp::Ordering) {
    let mut order: Vec<usize> = (0..items.len()).collect();
    order.sort_by(|&a, &b| cmp(&items[a], &items[b]));
    // Item `order[i]` goes to place `i`; a place is done once its index
    // points at itself.
    for start in 0..order.len() {
        let mut place = start;
        while order[place] != start {
            let from = order[place];
            items.swap(place, from);
            order[place] = place;
            place = from;
        }
        order[place] = place;
    }
}

/// The file stem of a vault path.
pub fn stem_of(path: &str) -> &str {
    without_extension(path.rsplit('/').next().unwrap_or(path))
}

/// A note's path without its `.md` or `.markdown` (`people/ada`).
pub fn without_extension(path: &str) -> &str {
    path.strip_suffix(".md")
        .or_else(|| path.strip_suffix(".markdown"))
        .unwrap_or(path)
}

/// Decodes file bytes to text: UTF-8 (BOM dropped), UTF-16 with a BOM, or
/// anything else lossily. Decoding problems are reported, never fatal.
pub fn decode(mut bytes: &[u8], problems: &mut Vec<Problem>) -> String {
    // A loop, not recursion: a file of a million BOMs must not overflow the stack.
    while let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        bytes = rest;
    }
    let utf16 = |rest: &[u8], le: bool| -> String {
        let units = rest.chunks(2).map(|c| {
            let pair = [c[0], *c.get(1).unwrap_or(&0)];
            if le {
                u16::from_le_bytes(pair)
            } else {
                u16::from_be_bytes(pair)
            }
        });
        char::decode_utf16(units)
            .map(|r| r.unwrap_or(char::REPLACEMENT_CHARACTER))
            .collect()
    };
    if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        problems.push(Problem::new(
            ProblemCode::NotUtf8,
            None,
            "file is UTF-16 (little-endian), not UTF-8; it was converted for indexing",
        ));
        return utf16(rest, true);
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        problems.push(Problem::new(
            ProblemCode::NotUtf8,
            None,
            "file is UTF-16 (big-endian), not UTF-8; it was converted for indexing",
        ));
        return utf16(rest, false);
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => s.to_string(),
        Err(e) => {
            let line = bytes[..e.valid_up_to()]
                .iter()
                .filter(|b| **b == b'\n')
                .count()
                + 1;
            problems.push(Problem::new(
                ProblemCode::NotUtf8,
                Some(line),
                "file is not valid UTF-8 (Latin-1 or another encoding?); invalid bytes were replaced with \u{FFFD}",
            ));
            String::from_utf8_lossy(bytes).into_owned()
        }
    }
}

/// [`decode`] for bytes the caller no longer needs: UTF-8 without a BOM
/// (most notes) becomes the text without a copy.
pub fn decode_owned(bytes: Vec<u8>, problems: &mut Vec<Problem>) -> String {
    if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
        return decode(&bytes, problems);
    }
    // UTF-16's byte-order marks are not UTF-8: they go to `decode` too.
    String::from_utf8(bytes).unwrap_or_else(|e| decode(e.as_bytes(), problems))
}

/// Parses a note from its vault-relative path and its text.
///
/// ```
/// use rapport::vault::{Kind, parse_note};
/// let note = parse_note(
///     "meetings/2026-11-20 Kickoff.md",
///     "---\nattendees: [\"[[Ada Lovelace]]\"]\nproject: Atlas\n---\n- [ ] send notes 📅 2026-11-24\n",
///     Vec::new(),
/// );
/// assert_eq!(note.kind, Kind::Meeting);
/// assert_eq!(note.date.map(|d| d.to_string()), Some("2026-11-20".into()));
/// assert_eq!(note.attendees, vec!["Ada Lovelace"]);
/// assert_eq!(note.tasks[0].line, 5);
/// ```
pub fn parse_note(path: &str, text: &str, problems: Vec<Problem>) -> Note {
    parse_note_with(path, text, problems, &ParseOpts::default())
}

/// Options of the parser that come from the user's configuration.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ParseOpts {
    /// Extra front-matter keys read as attendees.
    pub attendee_keys: Vec<String>,
    /// Extra front-matter keys read as projects.
    pub project_keys: Vec<String>,
}

/// Like [`parse_note`], with extra keys from the configuration.
pub fn parse_note_with(path: &str, text: &str, problems: Vec<Problem>, opts: &ParseOpts) -> Note {
    let (mut note, body) = parse_parts(path, text, problems, opts);
    note.body = text[body..].to_string();
    note
}

/// [`parse_note_with`] of a text the note may keep: its body is the text's
/// own string, with what comes before the body cut (no second copy of it).
pub fn parse_note_owned(
    path: &str,
    mut text: String,
    problems: Vec<Problem>,
    opts: &ParseOpts,
) -> Note {
    let (mut note, body) = parse_parts(path, &text, problems, opts);
    text.drain(..body);
    note.body = text;
    note
}

/// The note in `whole`, but for its body, and where in `whole` its body
/// starts (it runs to the end).
fn parse_parts(
    path: &str,
    whole: &str,
    mut problems: Vec<Problem>,
    opts: &ParseOpts,
) -> (Note, usize) {
    let text = whole.strip_prefix('\u{FEFF}').unwrap_or(whole);
    let split = frontmatter::split(text, &mut problems);
    let fields = split
        .yaml
        .and_then(|y| frontmatter::parse(y, &mut problems));
    // A note whose front matter cannot be used is indexed whole, as plain text.
    let (body, body_line) = if fields.is_some() {
        (split.body, split.body_line)
    } else {
        (text, 0)
    };
    let scanned = markdown::scan(body, body_line, &mut problems);
    let stem = stem_of(path);
    // A template: in a templates folder, or with `{{placeholders}}` in its
    // front matter (in the body they may just be prose about templates).
    let template = in_template_folder(path) || split.yaml.is_some_and(has_placeholder);
    if template {
        // Placeholders make templates fail or mislead every other rule: report
        // the template once and keep it out of people and meetings.
        problems.clear();
        problems.push(Problem::new(
            ProblemCode::Template,
            None,
            "template: indexed as a plain note",
        ));
    }
    let unusable = split.yaml.is_some() && fields.is_none()
        || problems.iter().any(|p| {
            matches!(
                p.code,
                ProblemCode::FrontMatterUnclosed | ProblemCode::TomlFrontMatter
            )
        });
    let kind = if template || unusable {
        Kind::Note
    } else {
        kind_of(path, fields.as_ref().unwrap_or(&Fields::new()))
    };
    let fields = if template {
        Fields::new()
    } else {
        let mut fields = fields.unwrap_or_default();
        // Dataview's `participants:: [[A]]`, `[date:: …]`, under front matter.
        inline::merge(&mut fields, body, body_line, opts);
        fields
    };
    let title_field = first_string(&fields, &["title"]);
    let title = match kind {
        Kind::Person => first_string(&fields, &["name"]).or(title_field),
        _ => title_field.or_else(|| scanned.heading.clone()),
    }
    .unwrap_or_else(|| stem.to_string());

    let date = match fields.get("date") {
        Some(v) if !v.is_null() => {
            let raw = strings(v).into_iter().next().unwrap_or_default();
            match dates::parse_date(&raw) {
                Some(d) => Some(d),
                None => {
                    problems.push(Problem::new(
                        ProblemCode::BadDate,
                        field_line(text, "date"),
                        format!("date '{raw}' is not a date (use YYYY-MM-DD)"),
                    ));
                    dates::date_prefix(stem)
                }
            }
        }
        _ => dates::date_prefix(stem),
    };

    let mut attendees = Vec::new();
    // Keys seen so far: one lookup per reference keeps a meeting with
    // thousands of attendees linear.
    let mut seen = std::collections::HashSet::new();
    let extra: Vec<String> = opts
        .attendee_keys
        .iter()
        .map(|k| frontmatter::norm_key(k))
        .collect();
    for key in ["attendees", "people", "participants", "with"]
        .into_iter()
        .chain(extra.iter().map(String::as_str))
    {
        if let Some(v) = fields.get(key) {
            for s in strings(v) {
                for r in refs::references_in(&s) {
                    if seen.insert(refs::ref_key(&r)) {
                        attendees.push(r);
                    }
                }
            }
        }
    }
    if kind == Kind::Person {
        attendees.clear();
    }

    let mut projects: Vec<String> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    let extra: Vec<String> = opts
        .project_keys
        .iter()
        .map(|k| frontmatter::norm_key(k))
        .collect();
    for key in ["projects", "project", "topics"]
        .into_iter()
        .chain(extra.iter().map(String::as_str))
    {
        if let Some(v) = fields.get(key) {
            for s in strings(v) {
                for part in project_parts(&s) {
                    let display = refs::project_display(&part);
                    if !display.is_empty() && seen.insert(refs::project_key(&display)) {
                        projects.push(display);
                    }
                }
            }
        }
    }

    let mut tags: Vec<String> = Vec::new();
    for key in ["tags", "tag"] {
        if let Some(v) = fields.get(key) {
            for s in strings(v) {
                for t in s.split([',', ' ']) {
                    let t = t.trim().trim_start_matches('#').to_lowercase();
                    if !t.is_empty() {
                        tags.push(t);
                    }
                }
            }
        }
    }
    tags.extend(scanned.tags.iter().cloned());
    tags.sort_unstable();
    tags.dedup();

    let person =
        (kind == Kind::Person).then(|| person_fields(text, &fields, &scanned, &mut problems));

    let note = Note {
        path: path.to_string(),
        kind,
        title,
        date,
        person,
        attendees,
        projects,
        tags,
        links: scanned.links,
        // A template's `- [ ] …` is a pattern for new notes, not a promise.
        tasks: if template { Vec::new() } else { scanned.tasks },
        problems,
        uid: first_string(&fields, &["uid"]).filter(|u| !u.trim().is_empty()),
        body: String::new(),
    };
    // The body is the text's end or all of it (a part of `whole` either way).
    debug_assert!(whole.ends_with(body));
    (note, whole.len() - body.len())
}

/// Obsidian keeps templates in a folder such as `Templates/` or
/// `__Templates/`; they describe people and meetings without being any.
fn in_template_folder(path: &str) -> bool {
    let mut dirs: Vec<&str> = path.split('/').collect();
    dirs.pop();
    dirs.iter().any(|d| {
        matches!(
            d.trim_start_matches('_').to_lowercase().as_str(),
            "templates" | "template"
        )
    })
}

fn has_placeholder(text: &str) -> bool {
    let head = &text[..text.floor_char_boundary(4096)];
    let Some(open) = head.find("{{") else {
        return false;
    };
    head[open + 2..].find("}}").is_some_and(|close| {
        let inner = &head[open + 2..open + 2 + close];
        !inner.is_empty()
            && inner.len() < 40
            && inner
                .chars()
                .all(|c| c.is_alphanumeric() || " _-:.|".contains(c))
    })
}

/// A project value may hold several wikilinks (`"[[A]], [[B]]"`).
fn project_parts(s: &str) -> Vec<String> {
    let links = refs::wikilinks(s);
    if links.is_empty() {
        vec![s.to_string()]
    } else {
        links.into_iter().map(|(t, _)| t.to_string()).collect()
    }
}

/// How `kind_of` tells person and meeting notes, in words for someone
/// whose vault has neither yet. Keep in step with it.
pub const KINDS_RECOGNISED: [&str; 2] = [
    "a person note has `type: person` (or `contact`) in its front matter, kepano's `categories: [[People]]`, or sits in a `people/` or `contacts/` folder",
    "a meeting note has `type: meeting` (or `call`, `1:1`, `one-on-one`), `categories: [[Meetings]]`, or sits in a `meetings/` folder; its date is `date:` or a YYYY-MM-DD at the start of its file name",
];

/// The kind of a note, from `type`, then `categories`, then its folders.
fn kind_of(path: &str, fields: &Fields) -> Kind {
    if let Some(v) = fields.get("type") {
        for s in strings(v) {
            let t = refs::link_target(s.trim().trim_start_matches("[[").trim_end_matches("]]"))
                .trim()
                .to_lowercase();
            match t.as_str() {
                "person" | "people" | "contact" | "contacts" => return Kind::Person,
                "meeting" | "meetings" | "call" | "1on1" | "1:1" | "one-on-one" => {
                    return Kind::Meeting;
                }
                _ => {}
            }
        }
    }
    for key in ["categories", "category"] {
        if let Some(v) = fields.get(key) {
            for s in strings(v) {
                let t = refs::ref_key(&s);
                if t == "people" || t == "person" {
                    return Kind::Person;
                }
                if t == "meetings" || t == "meeting" {
                    return Kind::Meeting;
                }
            }
        }
    }
    // The nearest folder that says what its notes are.
    let mut dirs: Vec<&str> = path.split('/').collect();
    dirs.pop();
    for dir in dirs.iter().rev() {
        match dir.to_lowercase().as_str() {
            "people" | "contacts" => return Kind::Person,
            "meetings" => return Kind::Meeting,
            _ => {}
        }
    }
    Kind::Note
}

fn person_fields(
    text: &str,
    fields: &Fields,
    body: &markdown::Body,
    problems: &mut Vec<Problem>,
) -> PersonFields {
    let mut aliases = Vec::new();
    for key in ["aliases", "alias"] {
        if let Some(v) = fields.get(key) {
            for s in strings(v) {
                aliases.extend(
                    s.split(',')
                        .map(|a| {
                            a.trim()
                                .trim_start_matches("[[")
                                .trim_end_matches("]]")
                                .to_string()
                        })
                        .filter(|a| !a.is_empty()),
                );
            }
        }
    }
    let org = first_string(fields, &["org", "company", "organization", "organisation"])
        .map(|o| o.replace("[[", "").replace("]]", ""));
    let relation = first_string(fields, &["relation", "relationship"]).and_then(|r| {
        match r.trim().to_lowercase().as_str() {
            "internal" | "colleague" => Some(Relation::Internal),
            "external" => Some(Relation::External),
            other => {
                problems.push(Problem::new(
                    ProblemCode::BadRelation,
                    field_line(text, "relation"),
                    format!("relation '{other}' is neither internal nor external"),
                ));
                None
            }
        }
    });
    let cadence_days = first_string(fields, &["cadence", "keep_in_touch"]).and_then(|c| {
        let days = dates::parse_cadence(&c);
        if days.is_none() {
            problems.push(Problem::new(
                ProblemCode::BadCadence,
                field_line(text, "cadence"),
                format!("cadence '{c}' is not an interval (use 7d, 2w, 3m, 1y, a number of days, weekly/monthly/quarterly/yearly, or A/B/C/D)"),
            ));
        }
        days
    });
    let last_contact = fields
        .get("last_contact")
        .filter(|v| !v.is_null())
        .and_then(|v| {
            let raw = strings(v).into_iter().next().unwrap_or_default();
            let d = dates::parse_date(&raw);
            if d.is_none() {
                problems.push(Problem::new(
                    ProblemCode::BadDate,
                    field_line(text, "last_contact"),
                    format!("last_contact '{raw}' is not a date (use YYYY-MM-DD)"),
                ));
            }
            d
        });
    let mut interests: Vec<String> = fields
        .get("interests")
        .map(|v| {
            strings(v)
                .iter()
                .flat_map(|s| s.split(','))
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
                .collect()
        })
        .unwrap_or_default();
    if interests.is_empty() {
        interests = body.interests.clone();
    }
    PersonFields {
        aliases,
        email: first_string(fields, &["email", "e_mail", "mail"])
            .map(|e| e.trim_start_matches("mailto:").to_string()),
        emails: fields
            .get("emails")
            .map(|v| {
                strings(v)
                    .iter()
                    .flat_map(|s| s.split(','))
                    .map(|e| e.trim().trim_start_matches("mailto:").to_string())
                    .filter(|e| !e.is_empty())
                    .collect()
            })
            .unwrap_or_default(),
        org,
        team: first_string(fields, &["team", "department"]),
        relation,
        cadence_days,
        last_contact,
        interests,
        personal: personal::read(text, fields, problems),
    }
}

/// The 1-based line of a top-level front-matter key, for problem reports.
fn field_line(text: &str, key: &str) -> Option<usize> {
    text.lines()
        .take(500)
        .position(|l| {
            let Some((k, _)) = l.split_once(':') else {
                return false;
            };
            !l.starts_with([' ', '\t', '-']) && frontmatter::norm_key(k) == key
        })
        .map(|i| i + 1)
}

#[cfg(test)]
mod tests;
