//! The networking questions: who did I meet, about what, and when.
//!
//! [`Network`] joins the meetings read from the index with the person notes,
//! resolving every attendee reference once. The answers ([`people`],
//! [`profile`], [`meetings`]) are pure functions over it, so they are tested
//! without an index.

mod find;
mod fuzzy;
pub mod intro;
mod matcher;
pub mod orgs;
pub mod relationship;
#[cfg(test)]
pub(crate) mod testkit;
pub mod timeline;

use rustc_hash::FxHashMap;
use std::collections::{BTreeMap, HashMap};

use chrono::{Days, NaiveDate};
use serde::Serialize;

use crate::index::{DocRef, Facts};
use crate::vault::refs::{self, Resolved, Resolver};
use crate::vault::{Note, PersonFields, Relation, TaskRecord, TaskStatus};

pub use find::{NotFound, find, find_projects};
pub use fuzzy::suggestions;
pub use matcher::Matcher;

/// Someone in the network: a person note (`id < people.len()`) or a person
/// known only by how a note referred to them.
pub type PersonId = u32;

/// A meeting with its attendees resolved.
#[derive(Debug, Clone)]
pub struct Meeting {
    /// For loading the whole note.
    pub doc: DocRef,
    /// Path (may be empty when not loaded).
    pub path: String,
    /// Title (may be empty when not loaded).
    pub title: String,
    /// Date.
    pub date: Option<NaiveDate>,
    /// Attendees, de-duplicated. (Boxed slices, not vectors: a hundred
    /// thousand meetings spend 2.4 MB less.)
    pub attendees: Box<[PersonId]>,
    /// Indices into [`Network::projects`].
    pub projects: Box<[u32]>,
    /// Tags, as indices into [`Network::tags`] (a hundred thousand
    /// meetings with a string each would be the network's largest part).
    pub tags: Box<[u32]>,
    /// Number of tasks.
    pub tasks: u32,
    /// Number of open tasks.
    pub open_tasks: u32,
}

/// How good a project name is to show: written with capitals, then with
/// spaces, then the alphabetically first.
fn display_rank(name: &str) -> (bool, bool, std::cmp::Reverse<&str>) {
    (
        name.chars().any(char::is_uppercase),
        name.contains(' '),
        std::cmp::Reverse(name),
    )
}

/// How good a spelling of someone without a note is to show: written in
/// capitals and small letters ("Ada Lovelace", not "ADA LOVELACE" or "ada
/// lovelace"), then the alphabetically first.
fn name_rank(name: &str) -> (bool, std::cmp::Reverse<&str>) {
    (
        name.chars().any(char::is_uppercase) && name.chars().any(char::is_lowercase),
        std::cmp::Reverse(name),
    )
}

/// People and meetings, joined.
pub struct Network {
    /// Person notes, by path.
    pub people: Vec<Note>,
    /// Names of people who have no note (as best written: see `name_rank`).
    pub unknown: Vec<String>,
    unknown_ids: rustc_hash::FxHashMap<String, PersonId>,
    /// Project names (display form) by id; [`Network::project_keys`] beside.
    pub projects: Vec<String>,
    /// Normalised project keys, same order as `projects`.
    pub project_keys: Vec<String>,
    /// Meetings.
    pub meetings: Vec<Meeting>,
    /// Who each of the facts' reference texts resolves to.
    pub ref_ids: Vec<PersonId>,
    /// Meeting tags by id ([`Meeting::tags`]).
    pub tags: Vec<String>,
    resolver: Resolver,
}

/// Which meetings count.
#[derive(Debug, Clone, Default)]
pub struct MeetingOpts {
    /// Only meetings about this project (normalised comparison).
    pub project: Option<String>,
    /// Full-text query over meetings (applied by the index).
    pub about: Option<String>,
    /// On or after.
    pub since: Option<NaiveDate>,
    /// On or before.
    pub until: Option<NaiveDate>,
}

impl MeetingOpts {
    /// True when any filter narrows the meetings.
    pub fn narrows(&self) -> bool {
        self.project.is_some()
            || self.about.is_some()
            || self.since.is_some()
            || self.until.is_some()
    }
}

impl Network {
    /// Joins person notes with meeting facts; meetings not about
    /// `project` (when given) are dropped.
    pub fn new(people: Vec<Note>, facts: &Facts, project: Option<&str>) -> Network {
        let mut owned = Facts {
            refs: facts.refs.clone(),
            projects: facts.projects.clone(),
            tags: facts.tags.clone(),
            ..Default::default()
        };
        owned.meetings = facts.meetings.clone();
        Network::from_facts(people, owned, project)
    }

    /// Like [`Network::new`], taking the facts over so that a large vault's
    /// meetings are never held twice.
    pub fn from_facts(people: Vec<Note>, facts: Facts, project: Option<&str>) -> Network {
        Network::of_people(people).join(facts, project)
    }

    /// The person notes alone, without meetings: enough to find someone
    /// (see [`find()`]) before reading their meetings, and then to
    /// [`join`](Network::join) them without resolving every name twice.
    pub fn of_people(people: Vec<Note>) -> Network {
        // Each key is worked out from the note's own texts: copying the
        // texts first cost a quarter of building the resolver.
        let resolver = Resolver::of_claims(people.iter().map(Note::claims));
        Network::bare(people, resolver)
    }

    /// This network's person notes and their resolver, as
    /// [`Network::of_people`] built them: the meetings, projects and people
    /// known only by name dropped, to [`join`](Network::join) other
    /// meetings without resolving every name again.
    pub fn people_only(self) -> Network {
        Network::bare(self.people, self.resolver)
    }

    /// People and their resolver, nothing else yet.
    fn bare(people: Vec<Note>, resolver: Resolver) -> Network {
        Network {
            people,
            unknown: Vec::new(),
            unknown_ids: Default::default(),
            projects: Vec::new(),
            project_keys: Vec::new(),
            meetings: Vec::new(),
            ref_ids: Vec::new(),
            tags: Vec::new(),
            resolver,
        }
    }

    /// This network's people (the meetings, projects and people known only
    /// by name dropped) joined with `facts`, as [`Network::from_facts`] would
    /// join them, reusing the name resolver already built.
    pub fn join(self, facts: Facts, project: Option<&str>) -> Network {
        let keys = facts.refs.iter().map(|r| refs::ref_key(r)).collect();
        self.join_keyed(facts, project, keys)
    }

    /// [`Network::join`] with the [`refs::ref_key`] of each of `facts.refs`
    /// (at the same places) worked out already.
    pub fn join_keyed(self, mut facts: Facts, project: Option<&str>, keys: Vec<String>) -> Network {
        // Keys of other texts than these would resolve the wrong people.
        let keys = if keys.len() == facts.refs.len() {
            keys
        } else {
            facts.refs.iter().map(|r| refs::ref_key(r)).collect()
        };
        let meetings = std::mem::take(&mut facts.meetings);
        let mut net = Network::bare(self.people, self.resolver);
        // Resolve each distinct reference text once.
        let ref_ids: Vec<PersonId> = facts
            .refs
            .iter()
            .zip(keys)
            .map(|(r, key)| net.intern_key(r, key))
            .collect();
        net.ref_ids = ref_ids.clone();
        // Projects: one id per normalised key, display form first seen.
        let mut key_ids: HashMap<String, u32> = HashMap::new();
        let project_ids: Vec<u32> = facts
            .projects
            .iter()
            .map(|p| {
                let key = refs::project_key(p);
                let id = *key_ids.entry(key.clone()).or_insert_with(|| {
                    net.projects.push(refs::project_display(p));
                    net.project_keys.push(key);
                    (net.projects.len() - 1) as u32
                });
                // One display form per project whatever the order the notes
                // are read in: a written name ("Hiring Pipeline") over a
                // slug ("hiring-pipeline"), then the smallest.
                let shown = refs::project_display(p);
                let current = &mut net.projects[id as usize];
                if display_rank(&shown) > display_rank(current) {
                    *current = shown;
                }
                id
            })
            .collect();
        let wanted = project.map(refs::project_key);
        net.meetings.reserve(meetings.len());
        for m in meetings {
            let projects: Vec<u32> = dedup(
                m.projects
                    .into_iter()
                    .filter_map(|p| project_ids.get(p as usize).copied())
                    .collect(),
            );
            if let Some(w) = &wanted
                && !projects.iter().any(|p| &net.project_keys[*p as usize] == w)
            {
                continue;
            }
            net.meetings.push(Meeting {
                doc: m.doc,
                path: m.path,
                title: m.title,
                date: m.date,
                attendees: dedup(
                    m.attendees
                        .into_iter()
                        .filter_map(|a| ref_ids.get(a as usize).copied())
                        .collect(),
                )
                .into_boxed_slice(),
                projects: projects.into_boxed_slice(),
                tags: m
                    .tags
                    .into_iter()
                    .filter(|t| (*t as usize) < facts.tags.len())
                    .collect(),
                tasks: m.tasks,
                open_tasks: m.open_tasks,
            });
        }
        net.meetings.shrink_to_fit();
        net.tags = facts.tags;
        net
    }

    /// A meeting's tags.
    pub fn tags_of<'a>(&'a self, m: &'a Meeting) -> impl Iterator<Item = &'a str> + 'a {
        m.tags
            .iter()
            .filter_map(|t| self.tags.get(*t as usize).map(String::as_str))
    }

    /// The id of whoever a reference text names (creating an unknown person
    /// for a reference that resolves to nobody).
    pub fn intern(&mut self, reference: &str) -> PersonId {
        self.intern_key(reference, refs::ref_key(reference))
    }

    /// [`Network::intern`] with the reference's [`refs::ref_key`] given.
    fn intern_key(&mut self, reference: &str, key: String) -> PersonId {
        if let Resolved::Person(i) = self.resolver.resolve_key(&key) {
            return i as PersonId;
        }
        let next = (self.people.len() + self.unknown.len()) as PersonId;
        let id = *self.unknown_ids.entry(key).or_insert(next);
        let written = reference.trim();
        if id == next {
            self.unknown.push(written.to_string());
        } else if let Some(shown) = self.unknown.get_mut(id as usize - self.people.len())
            && name_rank(written) > name_rank(shown)
        {
            // One name per person whatever the order the notes are read in
            // (a rebuild's order varies with its threads).
            *shown = written.to_string();
        }
        id
    }

    /// The id a reference resolves to, without creating anything.
    pub fn lookup(&self, reference: &str) -> Option<PersonId> {
        let key = refs::ref_key(reference);
        match self.resolver.resolve_key(&key) {
            Resolved::Person(i) => Some(i as PersonId),
            _ => self.unknown_ids.get(&key).copied(),
        }
    }

    /// How a reference resolves (for error messages).
    pub fn resolve(&self, reference: &str) -> Resolved {
        self.resolver.resolve(reference)
    }

    /// Up to `max` names close to `text` ("did you mean"), from the person
    /// notes and, with `unknown`, from people known only by how notes name them.
    pub fn suggest(&self, text: &str, max: usize, unknown: bool) -> Vec<String> {
        let notes = self.people.iter().map(|n| {
            let mut keys = n
                .person
                .as_ref()
                .map(|p| p.aliases.clone())
                .unwrap_or_default();
            keys.push(n.stem().to_string());
            (n.title.clone(), keys)
        });
        let others = self
            .unknown
            .iter()
            .filter(|_| unknown)
            .map(|u| (u.clone(), Vec::new()));
        let candidates: Vec<(String, Vec<String>)> = notes.chain(others).collect();
        suggestions(text, &candidates, max)
    }

    /// The person note behind an id, if any.
    pub fn note(&self, id: PersonId) -> Option<&Note> {
        self.people.get(id as usize)
    }

    /// Display name of anyone.
    pub fn name(&self, id: PersonId) -> &str {
        match self.note(id) {
            Some(n) => &n.title,
            None => self
                .unknown
                .get(id as usize - self.people.len())
                .map_or("?", String::as_str),
        }
    }

    /// Person fields of anyone (empty for unknown people).
    pub fn fields(&self, id: PersonId) -> PersonFields {
        self.note(id)
            .and_then(|n| n.person.clone())
            .unwrap_or_default()
    }

    /// Number of people, known and unknown.
    pub fn len(&self) -> usize {
        self.people.len() + self.unknown.len()
    }

    /// True when nobody is known.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// For each person: number of meetings and date of the last one.
    pub fn contact_stats(&self) -> Vec<(u32, Option<NaiveDate>)> {
        self.contact_stats_by(None)
            .into_iter()
            .map(|(n, last, _)| (n, last))
            .collect()
    }

    /// For each person: number of meetings by `as_of` (all when `None`),
    /// the date of the last one, and the date of the first one after it
    /// (planned). Undated meetings count as held.
    pub fn contact_stats_by(
        &self,
        as_of: Option<NaiveDate>,
    ) -> Vec<(u32, Option<NaiveDate>, Option<NaiveDate>)> {
        let mut stats = vec![(0u32, None::<NaiveDate>, None::<NaiveDate>); self.len()];
        for m in &self.meetings {
            let ahead = m.date.filter(|d| as_of.is_some_and(|t| *d > t));
            for a in &m.attendees {
                let s = &mut stats[*a as usize];
                match ahead {
                    Some(d) => s.2 = Some(s.2.map_or(d, |n| n.min(d))),
                    None => {
                        s.0 += 1;
                        s.1 = s.1.max(m.date);
                    }
                }
            }
        }
        stats
    }

    /// Each person's next planned meeting after `as_of` (index into
    /// `meetings`): the earliest, among one day's the first by path.
    pub fn next_meetings(&self, as_of: NaiveDate) -> FxHashMap<PersonId, usize> {
        let mut next: FxHashMap<PersonId, usize> = FxHashMap::default();
        for (i, m) in self.meetings.iter().enumerate() {
            if m.date.is_none_or(|d| d <= as_of) {
                continue;
            }
            for a in &m.attendees {
                let e = next.entry(*a).or_insert(i);
                let cur = &self.meetings[*e];
                if (m.date, &m.path, m.doc) < (cur.date, &cur.path, cur.doc) {
                    *e = i;
                }
            }
        }
        next
    }

    /// Last contact: the later of the last meeting and `last_contact`.
    pub fn last_contact(&self, id: PersonId, last_met: Option<NaiveDate>) -> Option<NaiveDate> {
        last_met.max(self.fields(id).last_contact)
    }
}

/// Gives people without a cadence of their own the default of their first
/// tag that has one (`cadence_by_tag`, from the configuration).
pub fn apply_cadence(people: &mut [Note], cadence_by_tag: &BTreeMap<String, u32>) {
    if cadence_by_tag.is_empty() {
        return;
    }
    for n in people {
        let tags = &n.tags;
        if let Some(p) = n.person.as_mut()
            && p.cadence_days.is_none()
        {
            p.cadence_days = tags.iter().find_map(|t| cadence_by_tag.get(t).copied());
        }
    }
}

/// `v` with each value once, first occurrences in order.
fn dedup(mut v: Vec<u32>) -> Vec<u32> {
    // A meeting's attendees and projects are a handful: comparing them
    // pairwise is cheaper than a hash set per meeting.
    if v.len() <= 16 {
        let mut kept = 0;
        for i in 0..v.len() {
            if !v[..kept].contains(&v[i]) {
                v[kept] = v[i];
                kept += 1;
            }
        }
        v.truncate(kept);
        return v;
    }
    let mut seen = std::collections::HashSet::new();
    v.retain(|x| seen.insert(*x));
    v
}

/// Filters on people themselves.
#[derive(Debug, Clone, Default)]
pub struct PeopleOpts {
    /// Has this tag.
    pub tag: Option<String>,
    /// Org contains this (case-insensitive).
    pub org: Option<String>,
    /// Team equals this (case-insensitive).
    pub team: Option<String>,
    /// Internal or external.
    pub relation: Option<Relation>,
    /// `Some(true)`: met at least once (in the matching meetings);
    /// `Some(false)`: never met.
    pub met: Option<bool>,
    /// Only meetings by this day count as met; later ones are planned
    /// (`None`: every meeting counts).
    pub as_of: Option<NaiveDate>,
}

/// One row of `rapport people`.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct PersonRow {
    /// Name.
    pub name: String,
    /// Path of the person note; `None` for people known only by name.
    pub path: Option<String>,
    /// Organisation.
    pub org: Option<String>,
    /// Team.
    pub team: Option<String>,
    /// internal/external.
    pub relation: Option<Relation>,
    /// Tags of the person note.
    pub tags: Vec<String>,
    /// Number of (matching) meetings.
    pub meetings: u32,
    /// Date of the last (matching) meeting.
    pub last_met: Option<NaiveDate>,
    /// Date of the next planned (matching) meeting, after today.
    pub next_meeting: Option<NaiveDate>,
    /// Projects of those meetings, most frequent first.
    pub projects: Vec<String>,
}

/// Everyone matching: see `rapport people`. When `narrowed` (meeting filters
/// were given), only people in the matching meetings are listed unless
/// `met == Some(false)` asks for the others.
pub fn people(net: &Network, opts: &PeopleOpts, narrowed: bool) -> Vec<PersonRow> {
    let stats = net.contact_stats_by(opts.as_of);
    let mut project_counts: Vec<BTreeMap<u32, u32>> = vec![BTreeMap::new(); net.len()];
    for m in &net.meetings {
        for a in &m.attendees {
            for p in &m.projects {
                *project_counts[*a as usize].entry(*p).or_default() += 1;
            }
        }
    }
    let lower = |s: &Option<String>| s.as_ref().map(|s| s.to_lowercase());
    let mut rows = Vec::new();
    for id in 0..net.len() as PersonId {
        let (count, last, next) = stats[id as usize];
        let note = net.note(id);
        let f = net.fields(id);
        // In the matching meetings: met, or meeting soon.
        let listed = count > 0 || next.is_some();
        let met_ok = match opts.met {
            Some(true) => count > 0,
            Some(false) => count == 0 && note.is_some(),
            None => !narrowed || listed,
        };
        // Unknown people only exist through meetings.
        if !met_ok || (note.is_none() && !listed) {
            continue;
        }
        let tags = note.map(|n| n.tags.clone()).unwrap_or_default();
        if let Some(t) = &opts.tag {
            let t = t.trim_start_matches('#').to_lowercase();
            if !tags.contains(&t) {
                continue;
            }
        }
        if let Some(o) = lower(&opts.org)
            && !lower(&f.org).is_some_and(|org| org.contains(&o))
        {
            continue;
        }
        if let Some(t) = lower(&opts.team)
            && lower(&f.team) != Some(t)
        {
            continue;
        }
        if opts.relation.is_some() && f.relation != opts.relation {
            continue;
        }
        let mut projects: Vec<(u32, u32)> = project_counts[id as usize]
            .iter()
            .map(|(p, c)| (*p, *c))
            .collect();
        projects.sort_by(|a, b| {
            b.1.cmp(&a.1)
                .then(net.projects[a.0 as usize].cmp(&net.projects[b.0 as usize]))
        });
        rows.push(PersonRow {
            name: net.name(id).to_string(),
            path: note.map(|n| n.path.clone()),
            org: f.org,
            team: f.team,
            relation: f.relation,
            tags,
            meetings: count,
            last_met: last,
            next_meeting: next,
            projects: projects
                .into_iter()
                .map(|(p, _)| net.projects[p as usize].clone())
                .collect(),
        });
    }
    rows.sort_by(|a, b| {
        b.last_met
            .cmp(&a.last_met)
            .then_with(|| a.name.to_lowercase().cmp(&b.name.to_lowercase()))
            .then_with(|| (&a.name, &a.path).cmp(&(&b.name, &b.path)))
    });
    rows
}

/// A meeting as listed by `rapport meetings` and in a person's timeline.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct MeetingRow {
    /// Date.
    pub date: Option<NaiveDate>,
    /// Title.
    pub title: String,
    /// Path.
    pub path: String,
    /// Attendee names.
    pub attendees: Vec<String>,
    /// Projects.
    pub projects: Vec<String>,
    /// Tags.
    pub tags: Vec<String>,
    /// Number of open tasks.
    pub open_tasks: u32,
}

/// Meetings, newest first, optionally only those `who` attended.
pub fn meetings(net: &Network, who: Option<PersonId>) -> Vec<MeetingRow> {
    let mut rows: Vec<MeetingRow> = net
        .meetings
        .iter()
        .filter(|m| who.is_none_or(|w| m.attendees.contains(&w)))
        .map(|m| MeetingRow {
            date: m.date,
            title: m.title.clone(),
            path: m.path.clone(),
            attendees: m
                .attendees
                .iter()
                .map(|a| net.name(*a).to_string())
                .collect(),
            projects: m
                .projects
                .iter()
                .map(|p| net.projects[*p as usize].clone())
                .collect(),
            tags: net.tags_of(m).map(str::to_string).collect(),
            open_tasks: m.open_tasks,
        })
        .collect();
    rows.sort_by(|a, b| b.date.cmp(&a.date).then_with(|| a.path.cmp(&b.path)));
    rows
}

/// One meeting in a person's timeline.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct TimelineMeeting {
    /// Date.
    pub date: Option<NaiveDate>,
    /// Title.
    pub title: String,
    /// Path.
    pub path: String,
    /// Projects.
    pub projects: Vec<String>,
    /// The other attendees.
    pub with: Vec<String>,
}

/// A note that mentions the person.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Mention {
    /// The note's date.
    pub date: Option<NaiveDate>,
    /// Its path.
    pub path: String,
}

/// An open task shown in a profile.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct OpenTask {
    /// Text.
    pub text: String,
    /// Due date.
    pub due: Option<NaiveDate>,
    /// Note path.
    pub path: String,
    /// Line.
    pub line: usize,
}

/// `rapport person`: everything about one person.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Profile {
    /// Name.
    pub name: String,
    /// Person note, if any.
    pub path: Option<String>,
    /// Aliases.
    pub aliases: Vec<String>,
    /// Email.
    pub email: Option<String>,
    /// Organisation.
    pub org: Option<String>,
    /// Team.
    pub team: Option<String>,
    /// internal/external.
    pub relation: Option<Relation>,
    /// Tags.
    pub tags: Vec<String>,
    /// Keep-in-touch cadence.
    pub cadence_days: Option<u32>,
    /// Later of last meeting and `last_contact`.
    pub last_contact: Option<NaiveDate>,
    /// When the next contact is due (today if never contacted).
    pub next_contact_due: Option<NaiveDate>,
    /// Interests.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub interests: Vec<String>,
    /// Meetings held by today, newest first.
    pub meetings: Vec<TimelineMeeting>,
    /// Meetings planned after today, soonest first.
    pub upcoming: Vec<TimelineMeeting>,
    /// Notes mentioning them, newest first.
    pub mentions: Vec<Mention>,
    /// Open tasks in their meetings or linking them.
    pub open_tasks: Vec<OpenTask>,
    /// Dates that matter, how we met, introductions.
    #[serde(flatten)]
    pub relationship: relationship::Relationship,
}

/// The next contact date: last contact + cadence; `today` when there is a
/// cadence but no contact ever.
pub fn next_due(
    cadence: Option<u32>,
    last: Option<NaiveDate>,
    today: NaiveDate,
) -> Option<NaiveDate> {
    let c = cadence?;
    match last {
        Some(l) => l.checked_add_days(Days::new(c as u64)),
        None => Some(today),
    }
}

/// Builds a profile: `mentions` are the notes that link to them, `tasks`
/// open tasks with their texts as shown (the profile shows them as they
/// are; `Snapshot::open_tasks_shown` reads them so).
///
/// The titles and paths of `id`'s meetings are moved out of `net` (left
/// empty there), not copied: a person can be in thousands of meetings, and
/// the copies were most of the profile's own time.
pub fn profile(
    net: &mut Network,
    id: PersonId,
    mentions: Vec<Mention>,
    tasks: &[TaskRecord],
    today: NaiveDate,
) -> Profile {
    // Sorted as indices (newest first, then by path), and only then
    // moved out.
    let mut mine: Vec<usize> = (0..net.meetings.len())
        .filter(|i| net.meetings[*i].attendees.contains(&id))
        .collect();
    mine.sort_by(|a, b| {
        let (a, b) = (&net.meetings[*a], &net.meetings[*b]);
        b.date.cmp(&a.date).then_with(|| a.path.cmp(&b.path))
    });
    let texts: Vec<(String, String)> = mine
        .iter()
        .map(|i| {
            let m = &mut net.meetings[*i];
            (std::mem::take(&mut m.title), std::mem::take(&mut m.path))
        })
        .collect();
    let net = &*net;
    let f = net.fields(id);
    let note = net.note(id);
    let shown = |(i, (title, path)): (&usize, (String, String))| {
        let m = &net.meetings[*i];
        TimelineMeeting {
            date: m.date,
            title,
            path,
            projects: m
                .projects
                .iter()
                .map(|p| net.projects[*p as usize].clone())
                .collect(),
            with: m
                .attendees
                .iter()
                .filter(|a| **a != id)
                .map(|a| net.name(*a).to_string())
                .collect(),
        }
    };
    // A meeting dated after today is planned, not held.
    let split = mine
        .iter()
        .position(|i| net.meetings[*i].date.is_none_or(|d| d <= today))
        .unwrap_or(mine.len());
    let mut texts = texts.into_iter();
    // Soonest first.
    let mut upcoming: Vec<TimelineMeeting> = mine[..split]
        .iter()
        .zip(texts.by_ref())
        .map(shown)
        .collect();
    upcoming.reverse();
    let held: Vec<TimelineMeeting> = mine[split..].iter().zip(texts).map(shown).collect();
    // Contact is what happened by today: a meeting planned for next week
    // (or a mistyped future date) is not one.
    let last_met = held
        .iter()
        .filter_map(|m| m.date)
        .filter(|d| *d <= today)
        .max();
    let last_contact = last_met.max(f.last_contact.filter(|d| *d <= today));
    // As `task_involves`, with the texts that cannot name them skipped.
    let them = net.matcher(id);
    let mut open: Vec<OpenTask> = tasks
        .iter()
        .filter(|t| {
            t.status == TaskStatus::Open
                && t.links.iter().chain(t.attendees.iter()).any(|r| them.is(r))
        })
        .map(|t| OpenTask {
            text: t.text.clone(),
            due: t.due,
            path: t.path.clone(),
            line: t.line,
        })
        .collect();
    open.sort_by(|a, b| {
        (a.due.is_none(), a.due, &a.path, a.line).cmp(&(b.due.is_none(), b.due, &b.path, b.line))
    });
    Profile {
        name: net.name(id).to_string(),
        path: note.map(|n| n.path.clone()),
        aliases: f.aliases.clone(),
        email: f.email.clone(),
        org: f.org.clone(),
        team: f.team.clone(),
        relation: f.relation,
        tags: note.map(|n| n.tags.clone()).unwrap_or_default(),
        cadence_days: f.cadence_days,
        last_contact,
        next_contact_due: next_due(f.cadence_days, last_contact, today),
        interests: f.interests.clone(),
        meetings: held,
        upcoming,
        mentions,
        open_tasks: open,
        relationship: relationship::of(net, id, today),
    }
}

/// The people a task involves: those its line links, or else, for a task
/// in a meeting, the meeting's attendees.
pub fn task_people(net: &Network, task: &TaskRecord) -> Vec<PersonId> {
    involved(
        task.links.iter().map(|l| net.lookup(l)),
        task.attendees.iter().map(|a| net.lookup(a)),
        net.people.len(),
    )
}

/// The rule of [`task_people`], from how a task's links and its meeting's
/// attendees resolve: the people its line links to a person note (ids below
/// `notes`), or else the attendees; each once, first mention first. The
/// attendees are not looked at when a link names someone.
pub fn involved(
    links: impl IntoIterator<Item = Option<PersonId>>,
    attendees: impl IntoIterator<Item = Option<PersonId>>,
    notes: usize,
) -> Vec<PersonId> {
    let linked: Vec<PersonId> = links
        .into_iter()
        .flatten()
        .filter(|id| (*id as usize) < notes)
        .collect();
    if !linked.is_empty() {
        return dedup(linked);
    }
    dedup(attendees.into_iter().flatten().collect())
}

/// True when a task is in a meeting `id` attended or links `id`.
pub fn task_involves(net: &Network, task: &TaskRecord, id: PersonId) -> bool {
    task.links
        .iter()
        .chain(task.attendees.iter())
        .any(|r| net.lookup(r) == Some(id))
}

#[cfg(test)]
mod tests;
