//! The application layer: one call per question, between the command line
//! and the index.
//!
//! A [`Session`] owns the opened index, the resolved configuration and the
//! day it answers for. Each method reads what it needs from one index
//! snapshot, joins it with the person notes (the configuration's default
//! cadences applied), asks the pure [`query`], [`followup`] or [`check`]
//! code, and returns results that are complete: every meeting it names has
//! its path and title. The command line parses arguments, calls one method
//! and renders; it never sees an index document.

mod new;
mod person;
pub use person::Parts;

use std::path::Path;
use std::sync::OnceLock;

use chrono::NaiveDate;

use crate::check::{self, Finding};
use crate::config::Config;
use crate::followup::{self, Checklist};
use crate::index::{self, Index, MeetingFilter, RefreshStats, Snapshot};
use crate::joined;
use crate::query::intro::{Intro, IntroOpts};
use crate::query::orgs::{OrgRow, OrgsOpts};
use crate::query::timeline::Timeline;
use crate::query::{self, MeetingOpts, MeetingRow, Network, NotFound, PeopleOpts, PersonRow};
use crate::relate;
use crate::vault::{Note, ProblemCode, Relation};

pub use crate::index::{FileProblem, Hit, SearchOpts};
pub use crate::relate::Target;
pub use new::{Created, NewMeeting, NewPerson};

/// What can go wrong answering a question.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The index could not be read.
    #[error(transparent)]
    Index(#[from] index::Error),
    /// A name names nobody, or several people.
    #[error(transparent)]
    NotFound(#[from] NotFound),
    /// A note could not be created.
    #[error("cannot create {}: {source}", path.display())]
    Create {
        /// The file or folder.
        path: std::path::PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// An input file is not a calendar or an address book at all.
    #[error(transparent)]
    Import(#[from] crate::import::Error),
    /// A document could not be written as JSON.
    #[error("cannot write JSON: {0}")]
    Json(#[from] serde_json::Error),
    /// An answer could not be written out (a full disk, a closed pipe).
    #[error("cannot write: {0}")]
    Write(#[from] std::io::Error),
    /// A new note's folder is not inside the vault (a link out of it).
    #[error("{0}")]
    Folder(String),
    /// A fault of rapport's own (a bug), reported instead of a panic.
    #[error("internal error: {0}")]
    Internal(&'static str),
    /// Every numbered variant of a new note's file name is taken.
    #[error("too many notes called {stem} in {}", dir.display())]
    TooMany {
        /// The file name without extension.
        stem: String,
        /// The folder.
        dir: std::path::PathBuf,
    },
}

/// Results of this layer.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// How [`Session::open`] opens the index.
pub struct OpenOpts<'a> {
    /// Bring the index up to date with the vault first (`false`:
    /// `--no-refresh`; an index that must be rebuilt is refreshed anyway).
    pub refresh: bool,
    /// Called with (notes done, notes in all) while refreshing.
    pub progress: &'a (dyn Fn(usize, usize) + Sync),
    /// Told when the index is rebuilt, with the reason (a sentence starting
    /// after "because").
    pub on_rebuild: &'a dyn Fn(&Path, &str),
    /// Told when the index could not be updated and answers come from its
    /// last commit (a read-only index folder).
    pub on_warning: &'a dyn Fn(&str),
    /// Walk the vault even while `rapport watch` keeps the index fresh:
    /// the caller reports what only the walk finds (`check`).
    pub walk: bool,
}

/// Opens the index for `vault` in `index_dir` with the configuration's
/// indexing options, without refreshing it.
pub fn open_index(vault: &Path, index_dir: &Path, config: &Config) -> Result<Index> {
    let opts = index::Opts {
        parse: config.parse_opts(),
        ignore: config.ignore.value.clone(),
    };
    Ok(Index::open_with(vault, index_dir, opts)?)
}

/// An opened index with the configuration and the day to answer for.
pub struct Session {
    index: Index,
    config: Config,
    today: NaiveDate,
}

impl Session {
    /// A session over an opened (and, as the caller chose, refreshed) index.
    pub fn new(index: Index, config: Config, today: NaiveDate) -> Session {
        Session {
            index,
            config,
            today,
        }
    }

    /// Opens the index and, as `opts` says, brings it up to date; returns
    /// what the refresh did (empty when it was skipped). When another
    /// rapport holds the writer (a running `watch`), answers come from its
    /// last commit. A damaged index is a cache: it is wiped and rebuilt.
    pub fn open(
        vault: &Path,
        index_dir: &Path,
        config: Config,
        today: NaiveDate,
        opts: &OpenOpts<'_>,
    ) -> Result<(Session, RefreshStats)> {
        let index = open_index(vault, index_dir, &config)?;
        let must = index.rebuilt.is_some();
        if let Some(reason) = &index.rebuilt {
            (opts.on_rebuild)(index_dir, reason);
        }
        let session = |index| Session::new(index, config.clone(), today);
        if !opts.refresh && !must {
            crate::heap::for_query(false);
            return Ok((session(index), RefreshStats::default()));
        }
        // A refresh that finds nothing to change takes no lock; one that
        // cannot write (a read-only index) answers from the last commit.
        let refreshed =
            index
                .refresh_for_query(must, opts.walk, opts.progress)
                .map(|(stats, warning)| {
                    if let Some(w) = warning {
                        (opts.on_warning)(&w);
                    }
                    stats
                });
        crate::heap::for_query(refreshed.as_ref().map_or(true, |s| s.walked));
        match refreshed {
            Ok(stats) => Ok((session(index), stats)),
            Err(e @ (index::Error::Tantivy(_) | index::Error::Io { .. })) => {
                (opts.on_rebuild)(index_dir, &format!("it is damaged ({e})"));
                let index = index.wipe()?;
                let stats = index.writer()?.refresh(&index, true, opts.progress)?;
                Ok((session(index), stats))
            }
            Err(e) => Err(e.into()),
        }
    }

    /// The index.
    pub fn index(&self) -> &Index {
        &self.index
    }

    /// The effective configuration.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// The day answers are for.
    pub fn today(&self) -> NaiveDate {
        self.today
    }

    /// The vault folder.
    pub fn vault(&self) -> &Path {
        self.index.vault()
    }

    /// What the vault holds, when that is nothing rapport can answer about:
    /// no notes at all, or notes but neither a person nor a meeting note
    /// (every answer would be empty and look healthy). `None` otherwise.
    pub fn vault_state(&self) -> Result<Option<VaultState>> {
        let snap = self.index.snapshot();
        let people = snap.count_kind("person")?;
        let meetings = snap.count_kind("meeting")?;
        if people + meetings > 0 {
            return Ok(None);
        }
        Ok(Some(VaultState {
            notes: snap.count_kind("note")?,
        }))
    }

    /// The person notes, with the configuration's default cadences applied.
    fn people_notes(&self, snap: &Snapshot) -> Result<Vec<Note>> {
        let mut people = snap.people()?;
        query::apply_cadence(&mut people, &self.config.cadence_by_tag.value);
        Ok(people)
    }

    /// Everyone matching (`rapport people`).
    /// Meetings dated after today are planned, not met (`next_meeting`).
    /// [`Error::NotFound`] when `--project` names no project.
    pub fn people(&self, meetings: &MeetingOpts, people: &PeopleOpts) -> Result<Vec<PersonRow>> {
        let snap = self.index.snapshot();
        let keys = project_keys(&snap, meetings)?;
        let facts = snap.meetings_with(&MeetingFilter {
            project_keys: keys.as_deref(),
            ..filter(meetings)
        })?;
        let net = Network::from_facts(self.people_notes(&snap)?, facts, None);
        let opts = PeopleOpts {
            as_of: people.as_of.or(Some(self.today)),
            ..people.clone()
        };
        let rows = query::people(&net, &opts, meetings.narrows());
        crate::free_later(net);
        Ok(rows)
    }

    /// Meetings, newest first (`rapport meetings`): those matching `opts`,
    /// only `person`'s when given, at most `limit` (0: all).
    /// [`Error::NotFound`] when `person` names nobody or several people.
    pub fn meetings(
        &self,
        person: Option<&str>,
        opts: &MeetingOpts,
        limit: usize,
    ) -> Result<Vec<MeetingRow>> {
        let snap = self.index.snapshot();
        let people = self.people_notes(&snap)?;
        let keys = project_keys(&snap, opts)?;
        // The people's resolver of names is built once, then joined with
        // the meetings read.
        let known = Network::of_people(people);
        // With a person who has a note, read only their meetings; a name
        // that could be several of them is an answer already.
        let them = match person.map(|name| query::find(&known, name)) {
            Some(Ok(id)) => Some(id),
            Some(Err(e @ NotFound::Ambiguous { .. })) => return Err(e.into()),
            _ => None,
        };
        let is_them = |text: &str| them.is_some_and(|id| known.lookup(text) == Some(id));
        let filter = MeetingFilter {
            attendee: them.map(|_| &is_them as &dyn Fn(&str) -> bool),
            project_keys: keys.as_deref(),
            ..filter(opts)
        };
        let facts = snap.meetings_with(&filter)?;
        let mut net = known.join(facts, None);
        let who = match (person, them) {
            (_, Some(id)) => Some(id),
            (Some(name), None) => Some(query::find(&net, name)?),
            (None, None) => None,
        };
        // Read paths and titles only for the meetings shown.
        let mut chosen: Vec<usize> = (0..net.meetings.len())
            .filter(|i| who.is_none_or(|w| net.meetings[*i].attendees.contains(&w)))
            .collect();
        chosen.sort_by(|a, b| net.meetings[*b].date.cmp(&net.meetings[*a].date));
        label(&snap, &mut net, &chosen)?;
        let mut rows = query::meetings(&net, who);
        crate::free_later(net);
        if limit > 0 {
            rows.truncate(limit);
        }
        Ok(rows)
    }

    /// Full-text search (`rapport search`).
    pub fn search(&self, text: &str, opts: &SearchOpts) -> Result<Vec<Hit>> {
        Ok(self.index.snapshot().search(text, opts)?)
    }

    /// The network map's graph (`rapport map`): keep-in-touch colours over
    /// every meeting as of `as_of`, like the checklist; nodes and edges
    /// from the meetings `meetings` selects (the one project rule).
    pub fn map(
        &self,
        as_of: NaiveDate,
        meetings: &MeetingOpts,
        org: Option<String>,
    ) -> Result<crate::map::Graph> {
        use crate::map::graph;
        let snap = self.index.snapshot();
        let people = self.people_notes(&snap)?;
        let facts = snap.meetings_with(&MeetingFilter::default())?;
        let narrowed = meetings.narrows();
        let period_people = narrowed.then(|| people.clone());
        let full = Network::from_facts(people, facts, None);
        let contacts = followup::warmth::contacts(&full, &followup::Opts::new(as_of));
        let opts = crate::map::GraphOpts {
            org,
            narrowed,
            ..Default::default()
        };
        Ok(match period_people {
            Some(people) => {
                let keys = project_keys(&snap, meetings)?;
                let facts = snap.meetings_with(&MeetingFilter {
                    project_keys: keys.as_deref(),
                    ..filter(meetings)
                })?;
                let period = Network::from_facts(people, facts, None);
                let c = graph::contacts_for(&period, &full, &contacts);
                graph::build(&period, &c, &opts)
            }
            None => graph::build(&full, &contacts, &opts),
        })
    }

    /// The plan for importing calendar files (`rapport import calendar`):
    /// `inputs` are (file name, text) pairs; one meeting note per event
    /// occurrence in `range`, checked against the vault. Writes nothing.
    pub fn import_calendar(
        &self,
        inputs: &[(String, String)],
        range: crate::import::calendar::Range,
        all: bool,
    ) -> Result<crate::import::Plan> {
        use crate::import::calendar;
        let mut occurrences = Vec::new();
        let mut problems = Vec::new();
        for (name, text) in inputs {
            let parsed = calendar::read(name, text, range, calendar::Zone::Local)?;
            occurrences.extend(parsed.occurrences);
            problems.extend(parsed.problems);
        }
        let mut plan = crate::import::plan::meetings(
            &occurrences,
            &self.import_known()?,
            &self.plan_opts(all),
        );
        plan.problems.extend(problems);
        Ok(plan)
    }

    /// The plan for importing address books (`rapport import contacts`):
    /// vCard files and LinkedIn's `Connections.csv`. Writes nothing.
    pub fn import_contacts(&self, inputs: &[(String, String)]) -> Result<crate::import::Plan> {
        let mut all = Vec::new();
        let mut problems = Vec::new();
        for (name, text) in inputs {
            let parsed = crate::import::contacts::read(name, text)?;
            all.extend(parsed.contacts);
            problems.extend(parsed.problems);
        }
        let mut plan =
            crate::import::plan::people(all, &self.import_known()?, &self.plan_opts(false));
        plan.problems.extend(problems);
        Ok(plan)
    }

    /// Creates the new notes of a plan (only inside the configured meeting
    /// and person folders, never over a file); returns what could not be
    /// written, and drops it from the plan.
    pub fn import_write(
        &self,
        plan: &mut crate::import::Plan,
    ) -> Vec<crate::import::write::WriteError> {
        let folders = [
            self.config.meetings_folder.value.as_str(),
            self.config.people_folder.value.as_str(),
        ];
        crate::import::write::write(self.vault(), &folders, &mut plan.created)
    }

    fn plan_opts(&self, all: bool) -> crate::import::PlanOpts {
        crate::import::PlanOpts {
            me: self.config.me_emails.value.clone(),
            all,
            meetings_folder: self.config.meetings_folder.value.clone(),
            people_folder: self.config.people_folder.value.clone(),
        }
    }

    /// What an import must know of the vault: the person notes, every
    /// front-matter `uid` and every note's path.
    fn import_known(&self) -> Result<crate::import::Known> {
        let snap = self.index.snapshot();
        let people = self.people_notes(&snap)?;
        let paths = snap.stamps()?.into_iter().map(|(p, _)| p);
        Ok(crate::import::Known::new(&people, snap.uids()?, paths))
    }

    /// Every person note as vCard 4.0 contacts; `unreadable` is told the
    /// path of a note that could not be read (and is left out).
    pub fn export_vcards(&self, unreadable: &dyn Fn(&str)) -> Result<String> {
        let snap = self.index.snapshot();
        let mut out = String::new();
        for note in snap.notes_of_kind(crate::vault::Kind::Person)? {
            match self.note_text(&note.path) {
                Some(text) => out.push_str(&crate::export::vcard(&note, &text)),
                None => unreadable(&note.path),
            }
        }
        Ok(out)
    }

    /// Every person, meeting and task as one JSON document per line, written
    /// to `out` as each is made: the export of a large vault is several
    /// times its size and is not held in memory.
    pub fn export_ndjson(&self, out: &mut dyn std::io::Write) -> Result<()> {
        let snap = self.index.snapshot();
        for kind in [crate::vault::Kind::Person, crate::vault::Kind::Meeting] {
            for note in snap.notes_of_kind(kind)? {
                let text = self.note_text(&note.path);
                let doc = crate::export::note_document(
                    &note,
                    text.as_deref().map(crate::export::body_of),
                );
                serde_json::to_writer(&mut *out, &doc)?;
                out.write_all(b"\n")?;
            }
        }
        let mut tasks = snap.tasks(false, None)?;
        tasks.sort_by(|a, b| (&a.path, a.line).cmp(&(&b.path, b.line)));
        for t in &tasks {
            serde_json::to_writer(&mut *out, &crate::export::task_document(t))?;
            out.write_all(b"\n")?;
        }
        Ok(())
    }

    /// A note's text as rapport reads it (any encoding), or `None` when it
    /// cannot be read.
    fn note_text(&self, path: &str) -> Option<String> {
        let bytes = std::fs::read(self.vault().join(path)).ok()?;
        Some(crate::import::text::decode(&bytes))
    }

    /// The follow-up checklist for `as_of`, looking `window_days` back for
    /// meetings with no next step and ahead for keep-in-touch dates (the
    /// configuration's window when `None`), and `ahead_days` ahead for
    /// dates coming up (the configuration's when `None`); with `all_tasks`,
    /// every open task, not only those that involve a person.
    ///
    /// The network it was built from is handed back instead of freed: a
    /// command about to exit leaves it to the exit (freeing it on another
    /// thread took a core from writing the checklist out).
    pub fn followups_and_parts(
        &self,
        as_of: NaiveDate,
        window_days: Option<u32>,
        all_tasks: bool,
        ahead_days: Option<u32>,
    ) -> Result<(Checklist, Parts)> {
        followups(
            &self.index,
            &self.config,
            as_of,
            window_days,
            all_tasks,
            ahead_days,
        )
    }

    /// Everything about one person in date order (`rapport person
    /// --timeline`): their profile laid out, with the line of each note it
    /// cites. [`Error::NotFound`] as for [`Session::person`].
    pub fn timeline(&self, name: &str) -> Result<Timeline> {
        let profile = self.person(name)?;
        let vault = self.vault().to_path_buf();
        // Reads only the few notes whose line the timeline shows.
        let line_of = |path: &str, needles: &[String]| -> Option<usize> {
            let bytes = std::fs::read(vault.join(path)).ok()?;
            let text = String::from_utf8_lossy(&bytes).to_lowercase();
            let needles: Vec<String> = needles.iter().map(|n| n.to_lowercase()).collect();
            text.lines()
                .position(|l| {
                    // A link may be anywhere; a field (`met:`) starts its line.
                    needles.iter().any(|n| {
                        if n.starts_with("[[") {
                            l.contains(n.as_str())
                        } else {
                            l.trim_start().starts_with(n.as_str())
                        }
                    })
                })
                .map(|i| i + 1)
        };
        let timeline = query::timeline::build(&profile, self.today, &line_of);
        Ok(Timeline {
            name: profile.name,
            path: profile.path,
            timeline,
        })
    }

    /// Who could introduce me to someone, or to anyone at an organisation
    /// (`rapport intro`), at most `limit` connectors each.
    /// [`Error::NotFound`] when the target names nobody, several people or
    /// an organisation no person note has.
    pub fn intro(&self, target: Target<'_>, limit: usize) -> Result<Vec<Intro>> {
        let snap = self.index.snapshot();
        let opts = IntroOpts {
            today: self.today,
            limit,
        };
        Ok(relate::intro(
            &snap,
            self.people_notes(&snap)?,
            target,
            &opts,
        )??)
    }

    /// One row per organisation (`rapport orgs`): only people with
    /// `relation` when given, only organisations without contact for
    /// `cold_days` when given.
    pub fn orgs(&self, relation: Option<Relation>, cold_days: Option<u32>) -> Result<Vec<OrgRow>> {
        let snap = self.index.snapshot();
        let opts = OrgsOpts {
            today: self.today,
            relation,
            cold_days,
            recent_days: 90,
        };
        Ok(relate::orgs(&snap, self.people_notes(&snap)?, &opts)?)
    }

    /// The lint of the vault (`rapport check`). `refreshed` is what the
    /// refresh before it found (files that could not be read are only
    /// known from the walk).
    pub fn check(&self, refreshed: &RefreshStats) -> Result<Vec<Finding>> {
        let snap = self.index.snapshot();
        let facts = snap.meetings_with(&MeetingFilter {
            labels: true,
            ..Default::default()
        })?;
        let net = Network::from_facts(self.people_notes(&snap)?, facts, None);
        let tasks = snap.tasks(false, None)?;
        let keys = snap.note_keys()?;
        let mut problems = unreadable(refreshed);
        problems.extend(snap.problems(true)?);
        let vault = self.vault().to_path_buf();
        let line_of = |path: &str, needle: &str| -> Option<usize> {
            let text = std::fs::read(vault.join(path)).ok()?;
            let text = String::from_utf8_lossy(&text).to_lowercase();
            let needle = needle.to_lowercase();
            text.lines()
                .position(|l| l.contains(&needle))
                .map(|i| i + 1)
        };
        Ok(check::check(check::Input {
            problems,
            net: &net,
            tasks: &tasks,
            note_keys: &keys,
            line_of: &line_of,
        }))
    }

    /// Every note's problems (templates left out): the files the refresh
    /// could not read, then what the index stores with each note.
    pub fn problems(&self, refreshed: &RefreshStats) -> Result<Vec<FileProblem>> {
        let mut problems = unreadable(refreshed);
        problems.extend(self.index.snapshot().problems(false)?);
        Ok(problems)
    }

    /// The person notes joined with nothing else: for resolving names
    /// without reading any meeting.
    fn directory(&self) -> Result<Network> {
        let snap = self.index.snapshot();
        Ok(Network::new(
            self.people_notes(&snap)?,
            &Default::default(),
            None,
        ))
    }

    /// Creates a meeting note (`rapport new meeting`).
    pub fn new_meeting(&self, m: &NewMeeting) -> Result<Created> {
        let projects = self.index.snapshot().projects()?;
        new::meeting(&self.directory()?, &projects, self.vault(), &self.config, m)
    }

    /// Creates a person note (`rapport new person`), or finds the one that
    /// already exists.
    pub fn new_person(&self, p: &NewPerson) -> Result<Created> {
        new::person(&self.directory()?, self.vault(), &self.config, p)
    }
}

/// A vault rapport can say nothing about: it has `notes` notes, none of
/// them a person or a meeting note.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VaultState {
    /// Notes of any other kind (templates included).
    pub notes: usize,
}

impl VaultState {
    /// One line for stderr saying so, how rapport recognises person and
    /// meeting notes, and where to read more.
    pub fn hint(&self, vault: &Path) -> String {
        let what = match self.notes {
            0 => format!("{} has no notes yet", vault.display()),
            1 => format!(
                "the one note in {} is neither a person nor a meeting note",
                vault.display()
            ),
            n => format!(
                "none of the {n} notes in {} is a person or a meeting note",
                vault.display()
            ),
        };
        format!(
            "{what}: rapport reads a note as a person with `type: person`, kepano's `categories: [[People]]` or a `people/` folder, and as a meeting with `type: meeting` or a `meetings/` folder (`rapport check` says more)"
        )
    }

    /// The longer explanation `rapport check` gives: a sentence, then the
    /// rules as an indented list.
    pub fn explain(&self, vault: &Path) -> Vec<String> {
        let mut lines = vec![match self.notes {
            0 => format!(
                "{} has no Markdown notes (*.md) yet, so every answer is empty. rapport tells notes apart like this:",
                vault.display()
            ),
            n => format!(
                "{} has {} and none is a person or a meeting note, so every answer is empty. rapport tells notes apart like this:",
                vault.display(),
                if n == 1 {
                    "1 note".to_string()
                } else {
                    format!("{n} notes")
                }
            ),
        }];
        lines.extend(
            crate::vault::KINDS_RECOGNISED
                .iter()
                .map(|rule| format!("  - {rule};")),
        );
        lines.push(
            "  - notes in a `Templates/` folder, or with `{{placeholders}}` in their front matter, are templates: never people or meetings."
                .into(),
        );
        lines.push(
            "`rapport new person NAME` and `rapport new meeting TITLE --with NAME` write one of each."
                .into(),
        );
        lines
    }
}

/// The checklist from an index, for callers that hold the index but not a
/// session (`watch`, which lends its index to the watcher), and the network
/// it was built from (see [`Session::followups_and_parts`]).
pub fn followups(
    index: &Index,
    config: &Config,
    as_of: NaiveDate,
    window_days: Option<u32>,
    all_tasks: bool,
    ahead_days: Option<u32>,
) -> Result<(Checklist, Parts)> {
    let window_days = window_days.unwrap_or(config.window_days.value);
    let opts = followup::Opts {
        window_days,
        keep_in_touch_ahead_days: window_days,
        all_tasks,
        ask_tags: config.ask_tags.value.clone(),
        give_tags: config.give_tags.value.clone(),
        ahead_days: ahead_days.unwrap_or(config.ahead_days.value),
        ..followup::Opts::new(as_of)
    };
    let tags: Vec<&str> = opts
        .ask_tags
        .iter()
        .chain(&opts.give_tags)
        .map(String::as_str)
        .collect();
    let snap = index.snapshot();
    // The tasks are read on a second thread while the meetings and people
    // are joined: the two halves take about as long, and a vault where
    // every meeting has an open task spends most of its time in the first.
    // The asks and gives are read by whichever half is done first; the
    // tasks' plan (whom each involves, their order), which needs both
    // halves, is then worked out by the tasks' thread while the other
    // reads the asks and gives, if it does, and works out the parts of the
    // checklist that need only the network (`followup::network_part`:
    // about 13 of the 24 to 31 ms the open-task checklist took after both
    // halves were read).
    let claimed = std::sync::atomic::AtomicBool::new(false);
    let tagged = || {
        let first = !claimed.swap(true, std::sync::atomic::Ordering::Relaxed);
        first.then(|| snap.tagged_tasks(&tags))
    };
    let shared: OnceLock<Option<Network>> = OnceLock::new();
    let (tasks, net) = std::thread::scope(|s| {
        let tasks = s.spawn(|| -> Result<_> {
            let open = snap.open_task_table()?;
            let early = tagged();
            // None: the network could not be read (its error is reported).
            let plan = shared
                .wait()
                .as_ref()
                .map(|net| followup::plan_tasks(net, &open, &opts));
            Ok((open, early, plan))
        });
        let net = {
            // Whatever happens here (an error, a panic), the tasks' thread
            // is told, so that it never waits for ever.
            let publish = Publish(&shared);
            (|| -> Result<()> {
                let facts = snap.meetings_with(&MeetingFilter::default())?;
                let mut people = snap.people()?;
                query::apply_cadence(&mut people, &config.cadence_by_tag.value);
                let mut net = Network::from_facts(people, facts, None);
                // Paths and titles only for the meetings the checklist names.
                let named = followup::meetings_named(&net, &opts);
                label(&snap, &mut net, &named)?;
                publish.0.set(Some(net)).ok();
                Ok(())
            })()
        };
        // Before waiting for the other half: if it is still reading, this
        // one reads the asks and gives meanwhile, and works out what the
        // checklist needs of the network (and of them) alone.
        let late = tagged();
        let part = net.as_ref().ok().and_then(|()| {
            let net = shared.get()?.as_ref()?;
            let counted = late.as_ref().and_then(|t| t.as_ref().ok());
            Some(followup::network_part(net, counted, &opts))
        });
        let tasks = joined(tasks);
        (
            tasks.map(|(open, early, plan)| (open, early.or(late), plan)),
            net.map(|()| part),
        )
    });
    let ((open, tagged, plan), part) = (tasks?, net?);
    // Both halves were read (no error above), so the network was shared
    // and the plan made from it.
    let (Some(net), Some(plan), Some(part)) = (shared.into_inner().flatten(), plan, part) else {
        return Err(Error::Internal("the checklist's network was not shared"));
    };
    let tagged = tagged.transpose()?.unwrap_or_default();
    let checklist = followup::compute_planned(&net, open, plan, part, &tagged, &opts);
    Ok((checklist, Parts::of(net, Vec::new())))
}

/// Shares the checklist's network with the tasks' thread: when dropped
/// without having shared it, tells that thread there is none.
struct Publish<'a>(&'a OnceLock<Option<Network>>);

impl Drop for Publish<'_> {
    fn drop(&mut self) {
        // Already set when the network was shared.
        self.0.set(None).ok();
    }
}

/// The keys of the projects `--project` names (one rule everywhere, see
/// [`query::find_projects`]); `None` without `--project`.
fn project_keys(snap: &Snapshot, m: &MeetingOpts) -> Result<Option<Vec<String>>> {
    match &m.project {
        Some(typed) => Ok(Some(query::find_projects(&snap.projects()?, typed)?)),
        None => Ok(None),
    }
}

/// The index filter for a set of meeting options (projects apart: see
/// [`project_keys`]).
fn filter(m: &MeetingOpts) -> MeetingFilter<'_> {
    MeetingFilter {
        about: m.about.as_deref(),
        since: m.since,
        until: m.until,
        ..Default::default()
    }
}

/// Reads the paths and titles of the meetings at `which` (indices into
/// `net.meetings`), so the results that name them are complete.
fn label(snap: &Snapshot, net: &mut Network, which: &[usize]) -> Result<()> {
    let docs: Vec<_> = which.iter().map(|i| net.meetings[*i].doc).collect();
    for (i, (path, title)) in which.iter().zip(snap.labels(&docs)?) {
        net.meetings[*i].path = path;
        net.meetings[*i].title = title;
    }
    Ok(())
}

/// The files a refresh could not read.
fn unreadable(refreshed: &RefreshStats) -> Vec<FileProblem> {
    refreshed
        .problems
        .iter()
        .filter(|p| p.code == ProblemCode::Unreadable)
        .cloned()
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The tasks' thread waits for the network: a failed (or panicked)
    /// read must wake it with none rather than leave it waiting.
    #[test]
    fn a_network_never_shared_still_wakes_the_waiting_thread() {
        let shared: std::sync::Arc<OnceLock<Option<Network>>> = Default::default();
        let (tx, rx) = std::sync::mpsc::channel();
        let theirs = shared.clone();
        // Not scoped: were it never woken, the test fails instead of hanging.
        std::thread::spawn(move || tx.send(theirs.wait().is_some()));
        let failed = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            let _publish = Publish(&shared);
            panic!("the network's read failed");
        }));
        assert!(failed.is_err());
        let woke = rx.recv_timeout(std::time::Duration::from_secs(20));
        assert_eq!(woke, Ok(false));

        // Shared: the guard leaves it be.
        let shared: OnceLock<Option<Network>> = OnceLock::new();
        {
            let publish = Publish(&shared);
            publish.0.set(Some(Network::of_people(Vec::new()))).ok();
        }
        assert!(shared.into_inner().flatten().is_some());
    }
}
