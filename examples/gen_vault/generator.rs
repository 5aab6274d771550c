//! Synthetic vault generator with exact ground truth.
//!
//! Why this exists: rapport's answers (meeting counts, last contact, keep-in-touch lists,
//! open/overdue tasks, project members) are only trustworthy if they can be checked against
//! a vault whose correct answers are known *independently of rapport's own parser*. This
//! module writes a realistic, deliberately messy vault — every front-matter spelling, link
//! style, date format and task syntax rapport claims to support, plus decoys it must ignore —
//! and computes the expected answers from the generator's own model while writing, never by
//! re-reading the Markdown. The same `(meetings, seed)` always produces byte-identical files,
//! so the output doubles as a reproducible benchmark fixture at any scale.
//!
//! The file is self-contained (std, serde, serde_json, chrono only) so integration tests can
//! include it with `#[path = "../examples/gen_vault/generator.rs"] mod generator;`.
//!
//! Layout written under `out` (all paths relative, `/`-separated):
//! - `people/<stem>.md` person notes (~5% instead live in `contacts/`, `crm/`, `crm/clients/`
//!   and declare `type: person` or `type: [contact]`);
//! - `meetings/YYYY/MM/YYYY-MM-DD <title>.md` meeting notes (~3% live in `notes/` with
//!   `type: meeting`);
//! - `journal/YYYY-MM-DD.md` daily notes that mention people and hold a few tasks;
//! - `notes/**.md` plain notes (no people, no tasks) to reach ~1.35 files per meeting.
#![allow(dead_code)]

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::fmt::Write as _;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};

use chrono::{Datelike, Duration, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};

/// The fixed "today" every answer in [`Truth`] is computed against.
pub const AS_OF: &str = "2026-11-26";

/// Meetings fall on the `SPAN_DAYS` days before [`AS_OF`]: 2024-11-27 ..= 2026-11-25.
const SPAN_DAYS: i64 = 729;

/// [`AS_OF`] as a date.
pub fn as_of() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 26).expect("AS_OF is a valid date")
}

/// Expected answers for a generated vault (serialised as `truth.json`).
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Eq)]
pub struct Truth {
    /// Reference date (`YYYY-MM-DD`) for "due", "overdue" and keep-in-touch.
    pub as_of: String,
    /// Seed the vault was generated from.
    pub seed: u64,
    /// Number of meeting notes written.
    pub meetings: usize,
    /// Number of `.md` files written (truth.json itself is not counted).
    pub files: usize,
    /// Total bytes of Markdown written.
    pub bytes: u64,
    /// Canonical project name (e.g. `Project Atlas`) → sorted names of everyone who attended
    /// at least one meeting tagged with that project (resolved people by front-matter `name`,
    /// unresolved attendees by their literal text). Only projects used by some meeting appear.
    /// In the vault the same project is also spelled `[[Project Atlas]]`, `project-atlas`,
    /// `project_atlas`: compare after normalising (lowercase, strip `[[ ]]`, ` `/`-`/`_` equal).
    pub projects: BTreeMap<String, Vec<String>>,
    /// Person name (or unresolved attendee text) → facts about them.
    pub people: BTreeMap<String, PersonTruth>,
    /// Tasks anywhere in the vault (outside code blocks) that are neither done nor cancelled.
    pub open_tasks: usize,
    /// Open tasks with a due date strictly before `as_of`.
    pub overdue_tasks: usize,
    /// Sorted names of people with a cadence who are due for contact as of `as_of`.
    pub keep_in_touch_due: Vec<String>,
    /// A resolved person with several meetings (the one with most meetings; ties by name).
    pub sample_person: String,
    /// A project with several people (the one with most people; ties by name).
    pub sample_project: String,
}

/// Expected facts about one person (or one unresolved attendee).
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Eq)]
pub struct PersonTruth {
    /// Vault-relative path of the person note (`people/ada-lovelace-17.md`); `None` for an
    /// unresolved attendee who has no note.
    pub path: Option<String>,
    /// Number of meeting notes listing them as an attendee (once per meeting).
    pub meetings: usize,
    /// Date of the latest such meeting.
    pub last_met: Option<String>,
    /// max(last_met, front-matter last contact), either may be absent.
    pub last_contact: Option<String>,
    /// Cadence in days after parsing (`2w` = 14, `3m` = 90, `1y` = 365, `monthly` = 30, ...).
    pub cadence_days: Option<u32>,
}

/// Writes a vault of `meetings` meeting notes (plus people, journal and plain notes) into
/// `out` (created if missing) and returns the expected answers. Deterministic in
/// `(meetings, seed)`. Files are rendered on the calling thread and written by a few worker
/// threads; the content never depends on thread timing.
pub fn generate(
    out: &Path,
    meetings: usize,
    seed: u64,
    open_share: Option<f64>,
) -> io::Result<Truth> {
    fs::create_dir_all(out)?;
    let workers = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(4)
        .clamp(2, 8);
    std::thread::scope(|scope| {
        let mut senders = Vec::with_capacity(workers);
        let mut handles = Vec::with_capacity(workers);
        for _ in 0..workers {
            let (tx, rx) = sync_channel::<(PathBuf, String)>(256);
            senders.push(tx);
            handles.push(scope.spawn(move || write_files(rx)));
        }
        let mut sink = Sink {
            root: out,
            senders,
            next: 0,
            dirs: HashSet::new(),
            files: 0,
            bytes: 0,
        };
        let built = build(&mut sink, meetings, seed, open_share);
        let (files, bytes) = (sink.files, sink.bytes);
        drop(sink); // closes the channels so the workers finish
        let mut first_err = None;
        for handle in handles {
            let result = handle
                .join()
                .unwrap_or_else(|_| Err(io::Error::other("writer thread panicked")));
            if let Err(e) = result {
                first_err.get_or_insert(e);
            }
        }
        // A worker's own error explains a "writer thread stopped" error from `build`.
        if let Some(e) = first_err {
            return Err(e);
        }
        let mut truth = built?;
        truth.files = files;
        truth.bytes = bytes;
        Ok(truth)
    })
}

// ---------------------------------------------------------------------------------------------
// Output plumbing
// ---------------------------------------------------------------------------------------------

/// Hands rendered files to writer threads round-robin; creates directories on this thread
/// (before the file is sent) so workers only ever write files.
struct Sink<'a> {
    root: &'a Path,
    senders: Vec<SyncSender<(PathBuf, String)>>,
    next: usize,
    dirs: HashSet<PathBuf>,
    files: usize,
    bytes: u64,
}

impl Sink<'_> {
    fn write(&mut self, rel: &str, text: String) -> io::Result<()> {
        let path = self.root.join(rel);
        if let Some(parent) = path.parent()
            && !self.dirs.contains(parent)
        {
            fs::create_dir_all(parent)?;
            self.dirs.insert(parent.to_path_buf());
        }
        self.files += 1;
        self.bytes += text.len() as u64;
        let i = self.next;
        self.next = (self.next + 1) % self.senders.len();
        self.senders[i]
            .send((path, text))
            .map_err(|_| io::Error::other("writer thread stopped"))
    }
}

fn write_files(rx: Receiver<(PathBuf, String)>) -> io::Result<()> {
    for (path, text) in rx {
        fs::write(&path, text)
            .map_err(|e| io::Error::new(e.kind(), format!("{}: {e}", path.display())))?;
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// PRNG
// ---------------------------------------------------------------------------------------------

/// splitmix64: tiny, fast, good enough for test data, and identical on every platform.
struct Rng(u64);

impl Rng {
    /// Independent stream `stream` of `seed`, so adding draws to one phase of generation does
    /// not reshuffle every other phase.
    fn new(seed: u64, stream: u64) -> Self {
        let mut r = Rng(seed ^ stream.wrapping_mul(0xD6E8_FEB8_6659_FD93));
        r.next_u64();
        r
    }

    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (`n > 0`).
    fn below(&mut self, n: usize) -> usize {
        ((self.next_u64() as u128 * n as u128) >> 64) as usize
    }

    /// Uniform in `lo..=hi`.
    fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }

    /// Uniform in `[0, 1)`.
    fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    /// Index drawn with the given relative weights.
    fn weighted(&mut self, weights: &[u32]) -> usize {
        let total: u32 = weights.iter().sum();
        let mut x = self.below(total as usize) as u32;
        for (i, &w) in weights.iter().enumerate() {
            if x < w {
                return i;
            }
            x -= w;
        }
        weights.len() - 1
    }

    fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = self.below(i + 1);
            items.swap(i, j);
        }
    }
}

/// Cumulative-weight sampler (Zipf-like popularity). Zero-weight entries are never drawn.
struct Sampler {
    cum: Vec<f64>,
}

impl Sampler {
    fn new(weights: &[f64]) -> Self {
        let mut total = 0.0;
        let cum = weights
            .iter()
            .map(|w| {
                total += w;
                total
            })
            .collect();
        Sampler { cum }
    }

    fn draw(&self, rng: &mut Rng) -> usize {
        let total = *self.cum.last().expect("sampler has entries");
        let x = rng.unit() * total;
        self.cum
            .partition_point(|&c| c <= x)
            .min(self.cum.len() - 1)
    }
}

// ---------------------------------------------------------------------------------------------
// Vocabulary
// ---------------------------------------------------------------------------------------------

#[rustfmt::skip]
const FIRST_NAMES: &[&str] = &[
    "Ada", "Alan", "Grace", "Linus", "Margaret", "Dennis", "Barbara", "Ken", "Frances", "Edsger",
    "Radia", "Tim", "Hedy", "Claude", "Katherine", "John", "Dorothy", "Donald", "Sophie", "Leslie",
    "Mary", "Niklaus", "Jean", "Bjarne", "Anita", "Guido", "Shafi", "Yukihiro", "Adele", "Brian",
    "Carol", "David", "Elena", "Farid", "Gita", "Hiro", "Ines", "Jonas", "Kaito", "Lena", "Mateo",
    "Nadia", "Omar", "Priya", "Quentin", "Rosa", "Samir", "Tara", "Umar", "Vera", "Wei", "Ximena",
    "Yara", "Zane", "Amara", "Bruno", "Chloe", "Diego", "Emeka", "Fatima", "Gustavo", "Hana",
    "Ivan", "Julia", "Kofi", "Leila", "Marco", "Nia", "Oskar", "Paula", "Rafael", "Sana", "Tomas",
    "Uma", "Viktor", "Wanda", "Yusuf", "Zoe", "Aiko", "Bilal", "Camille", "Dmitri", "Esther",
    "Felix", "Gabriela", "Hassan", "Ingrid", "Jamal", "Keiko", "Lucas", "Maya", "Nikolai", "Olga",
    "Pedro", "Rania", "Stefan", "Thandiwe", "Valentina", "Xavier", "Yasmin",
];

#[rustfmt::skip]
const LAST_NAMES: &[&str] = &[
    "Lovelace", "Turing", "Hopper", "Torvalds", "Hamilton", "Ritchie", "Liskov", "Thompson",
    "Allen", "Dijkstra", "Perlman", "Berners", "Lamarr", "Shannon", "Johnson", "Backus", "Vaughan",
    "Knuth", "Wilson", "Lamport", "Kenyon", "Wirth", "Sammet", "Stroustrup", "Borg", "Rossum",
    "Goldwasser", "Matsumoto", "Goldberg", "Kernighan", "Okafor", "Mensah", "Tanaka", "Novak",
    "Silva", "Haddad", "Kowalski", "Nguyen", "Petrov", "Rossi", "Schmidt", "Andersen", "Costa",
    "Dubois", "Fischer", "Garcia", "Hernandez", "Ito", "Jansen", "Kim", "Larsen", "Moreau",
    "Nakamura", "Ortiz", "Patel", "Quinn", "Reyes", "Sato", "Takahashi", "Umarov", "Varga",
    "Weber", "Xu", "Yamamoto", "Zhang", "Abebe", "Bauer", "Castillo", "Demir", "Eriksen",
    "Ferreira", "Gallo", "Horvat", "Ibrahim", "Jovanovic", "Kaur", "Lindqvist", "Mahlaba", "Nowak",
    "Oliveira", "Park", "Rahman", "Santos", "Tran", "Uddin", "Vasquez", "Walsh", "Yilmaz",
    "Zimmermann", "Achebe", "Brandt", "Chen", "Dlamini", "Evans", "Fontaine", "Grant", "Holm",
    "Iyer", "Jensen", "Keller",
];

/// Our own organisation (internal people) and its mail domain.
const HOME_ORG: (&str, &str) = ("Northwind", "northwind.example");

const ORGS: &[(&str, &str)] = &[
    ("Acme Corp", "acme.example"),
    ("Blue Harbor", "blueharbor.example"),
    ("Contoso Freight", "contoso.example"),
    ("Globex", "globex.example"),
    ("Initech", "initech.example"),
    ("Umbrella Health", "umbrella.example"),
    ("Hooli", "hooli.example"),
    ("Vandelay Industries", "vandelay.example"),
    ("Stark Logistics", "stark.example"),
    ("Wayne Capital", "waynecap.example"),
    ("Tyrell Labs", "tyrell.example"),
    ("Soylent Foods", "soylent.example"),
    ("Cyberdyne", "cyberdyne.example"),
    ("Oceanic Air", "oceanic.example"),
    ("Pied Piper", "piedpiper.example"),
    ("Massive Dynamic", "massive.example"),
];

const TEAMS: &[&str] = &[
    "Finance",
    "Design",
    "Platform",
    "Sales",
    "Legal",
    "Marketing",
    "Support",
    "Data",
    "Security",
    "Product",
    "People Ops",
];

#[rustfmt::skip]
const ROLES: &[&str] = &[
    "Engineer", "Staff Engineer", "Designer", "Account Executive", "CFO", "CTO", "Product Manager",
    "Recruiter", "Partner", "Analyst", "Counsel", "Founder", "Director",
];

const PERSON_TAGS: &[&str] = &[
    "mentor",
    "investor",
    "customer",
    "friend",
    "alumni",
    "recruiter",
    "advisor",
    "interviewer",
];

#[rustfmt::skip]
const INTERESTS: &[&str] = &[
    "rust", "climbing", "jazz", "sourdough", "chess", "cycling", "photography", "startups",
    "typography", "sailing", "poetry", "running", "board games", "gardening",
    "distributed systems", "pricing", "open source", "marathons",
];

/// Cadence spellings and their meaning in days (`m` = 30 days, `y` = 365, bare number = days).
const CADENCES: &[(&str, u32)] = &[
    ("7d", 7),
    ("10d", 10),
    ("14d", 14),
    ("30d", 30),
    ("1w", 7),
    ("2w", 14),
    ("3w", 21),
    ("6w", 42),
    ("1m", 30),
    ("2m", 60),
    ("3m", 90),
    ("6m", 180),
    ("1y", 365),
    ("45", 45),
    ("60", 60),
    ("120", 120),
    ("weekly", 7),
    ("biweekly", 14),
    ("monthly", 30),
    ("quarterly", 90),
    ("yearly", 365),
];

const PROJECT_CODENAMES: &[&str] = &[
    "Atlas", "Borealis", "Comet", "Delta", "Ember", "Falcon", "Granite", "Harbor", "Iris",
    "Juniper", "Kestrel", "Lumen", "Meridian", "Nimbus", "Orion", "Pioneer", "Quartz", "Raven",
    "Sierra", "Tundra", "Umbra", "Vega", "Willow", "Zephyr",
];
#[rustfmt::skip]
const PROJECT_AREAS: &[&str] = &[
    "Billing", "Checkout", "Identity", "Reporting", "Payments", "Inventory", "Messaging", "Mobile",
    "Search", "Pricing", "Onboarding", "Analytics", "Compliance", "Logistics", "Partner",
    "Support", "Growth", "Storage", "Sync", "Hiring",
];
const PROJECT_KINDS: &[&str] = &[
    "Revamp",
    "Migration",
    "Pilot",
    "Rollout",
    "Redesign",
    "Cleanup",
    "Launch",
    "Audit",
    "Rewrite",
    "Expansion",
];

const MEETING_TAGS: &[&str] = &[
    "ask", "give", "intro", "sales", "hiring", "feedback", "planning", "investor", "decision",
];
const INLINE_TAGS: &[&str] = &["#ask", "#give", "#idea", "#decision", "#risk", "#followup"];

const SOLO_TITLES: &[&str] = &[
    "Coffee with",
    "Catch-up with",
    "1on1",
    "Intro call with",
    "Lunch with",
    "Mentoring session",
    "Check-in with",
    "Walk with",
];
const PROJECT_TITLES: &[&str] = &["sync", "review", "kickoff", "planning", "retro", "status"];
#[rustfmt::skip]
const GROUP_TITLES: &[&str] = &[
    "Weekly planning", "Design review", "Quarterly business review", "Hiring panel", "Vendor call",
    "Budget check-in", "Customer call", "Offsite prep", "Roadmap review", "Partnership discussion",
    "Investor update", "Board prep", "Pipeline review", "Incident review",
];

const LOCATIONS: &[&str] = &[
    "Zoom",
    "Google Meet",
    "Office",
    "Cafe Central",
    "Phone",
    "Teams",
];
const TZ_OFFSETS: &[&str] = &[
    "+02:00", "+01:00", "-05:00", "-08:00", "Z", "+09:00", "+00:00",
];

/// Task phrases; a task is one of these plus optional link, project, tag and due date.
#[rustfmt::skip]
const TASK_PHRASES: &[&str] = &[
    "Send the proposal", "Share the pricing sheet", "Review the slide deck",
    "Draft the contract changes", "Schedule a follow-up call", "Prepare the hiring plan",
    "Update the roadmap notes", "Confirm the budget numbers", "Write an intro email",
    "Collect references", "Share the demo recording", "Summarise the meeting notes",
    "Revise the onboarding checklist", "Answer the security questionnaire",
    "Book a room for the workshop", "Forward the vendor quote", "Ask about headcount",
    "Introduce them to the data team", "Check the renewal terms", "Send a thank-you note",
];

#[rustfmt::skip]
const NOTE_TOPICS: &[&str] = &[
    "Reading list", "Ideas", "Offsite planning", "Book notes", "Research", "Recipe",
    "Conference notes", "Travel plan", "Writing draft", "Hiring rubric", "Glossary",
    "Retrospective",
];
const NOTE_DIRS: &[&str] = &[
    "notes",
    "notes",
    "notes",
    "notes/reference",
    "notes/archive",
];

/// Filler prose. Deliberately free of `#`, `[`, `due`, dates and emails so it can never be
/// mistaken for a tag, link, task, due date or attendee.
#[rustfmt::skip]
const WORDS: &[&str] = &[
    "the", "team", "agreed", "to", "revisit", "pricing", "after", "launch", "and", "we", "need",
    "more", "data", "on", "churn", "before", "committing", "budget", "she", "mentioned", "that",
    "their", "platform", "is", "moving", "toward", "quarterly", "releases", "with", "a", "smaller",
    "scope", "he", "wants", "an", "intro", "partner", "in", "logistics", "who", "handles",
    "customs", "for", "three", "regions", "our", "proposal", "was", "well", "received", "but",
    "legal", "flagged", "liability", "clause", "it", "may", "take", "weeks", "resolve",
    "discussed", "hiring", "plan", "two", "senior", "engineers", "one", "designer", "next", "year",
    "they", "are", "evaluating", "vendors", "this", "month", "decision", "expected", "soon",
    "roadmap", "includes", "mobile", "offline", "support", "reporting", "dashboard", "migration",
    "risk", "seems", "manageable", "if", "staging", "environment", "ready", "early", "customer",
    "feedback", "positive", "about", "onboarding", "flow", "though", "some", "steps", "feel",
    "slow", "integration", "work", "blocked", "by", "missing", "credentials", "from", "vendor",
    "side", "follow", "up", "once", "security", "review", "finishes", "good", "conversation",
    "career", "growth", "mentoring", "goals", "long", "term", "interested", "moving", "into",
    "management", "eventually", "talked", "through", "capacity", "planning", "holiday", "season",
    "numbers", "look", "better", "than", "last", "quarter", "revenue", "retention", "improved",
    "slightly", "cost", "cloud", "spend", "still", "high", "should", "explore", "reserved",
    "instances", "or", "cheaper", "storage", "tier", "interesting", "idea", "shared", "pilot",
    "program", "small", "group", "of", "accounts", "worth", "trying", "spring", "timeline",
    "tight", "doable", "everyone", "agrees", "scope", "must", "stay", "narrow", "questions",
    "remain", "around", "ownership", "handoff", "between", "teams", "documentation", "needs",
    "work", "too", "overall", "productive", "session", "clear", "outcomes", "energy", "felt",
    "high", "despite", "long", "week",
];

// ---------------------------------------------------------------------------------------------
// World model
// ---------------------------------------------------------------------------------------------

/// How an attendee is identified in the truth: a person note, or unresolved text.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
enum Who {
    Person(usize),
    Guest(usize),
}

struct Person {
    name: String,
    first: &'static str,
    last: &'static str,
    /// Vault-relative path without `.md` (`people/ada-lovelace-17`, `crm/tom-okafor-3`).
    rel: String,
    /// Whether the note lives outside `people/` (then it declares its type).
    outside: bool,
    email: String,
    aliases: Vec<String>,
    internal: bool,
    org: &'static str,
    team: Option<&'static str>,
    tags: Vec<&'static str>,
    cadence: Option<(&'static str, u32)>,
    last_contact_fm: Option<NaiveDate>,
}

struct Project {
    name: String,
    /// People who attend most of this project's meetings.
    core: Vec<usize>,
}

struct World {
    people: Vec<Person>,
    person_pick: Sampler,
    projects: Vec<Project>,
    project_pick: Sampler,
    guests: Vec<String>,
}

/// Running totals that become the [`Truth`].
struct Tally {
    met: Vec<(usize, Option<NaiveDate>)>,
    guest_met: Vec<(usize, Option<NaiveDate>)>,
    project_people: Vec<BTreeSet<Who>>,
    project_used: Vec<bool>,
    open: usize,
    overdue: usize,
    /// `--open-tasks P`: the share (0.0..=1.0) of meetings given at least one open task;
    /// `None` keeps the natural mix (and draws no extra random numbers, so default vaults
    /// stay byte-identical).
    open_share: Option<f64>,
    /// Set for the next task to be rendered open (consumed by [`task`]).
    force_open: bool,
}

impl Tally {
    fn record_meeting(&mut self, date: NaiveDate, who: &[Who], projects: &[usize]) {
        for &w in who {
            let slot = match w {
                Who::Person(i) => &mut self.met[i],
                Who::Guest(i) => &mut self.guest_met[i],
            };
            slot.0 += 1;
            slot.1 = slot.1.max(Some(date));
        }
        for &p in projects {
            self.project_used[p] = true;
            self.project_people[p].extend(who.iter().copied());
        }
    }
}

/// Lowercase, `-`/`_` read as spaces, whitespace collapsed: the key under which two spellings
/// would be confused by a lenient resolver. Every identifying string must be unique under it.
fn norm_key(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for word in s
        .split(|c: char| c.is_whitespace() || c == '-' || c == '_')
        .filter(|w| !w.is_empty())
    {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&word.to_lowercase());
    }
    out
}

fn kebab(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_matches('-').to_string()
}

/// Plain scalars YAML 1.1 readers would turn into booleans/null; never used as aliases.
fn yaml_special(s: &str) -> bool {
    matches!(
        s.to_ascii_lowercase().as_str(),
        "y" | "n" | "yes" | "no" | "on" | "off" | "true" | "false" | "null" | "~"
    )
}

/// Bijective base-26 letters: 1 → "A", 26 → "Z", 27 → "AA".
fn letters(mut k: usize) -> String {
    let mut s = Vec::new();
    while k > 0 {
        k -= 1;
        s.push(b'A' + (k % 26) as u8);
        k /= 26;
    }
    s.reverse();
    String::from_utf8(s).expect("ascii")
}

fn make_people(rng: &mut Rng, count: usize, taken: &mut HashSet<String>) -> Vec<Person> {
    let grid = FIRST_NAMES.len() * LAST_NAMES.len();
    let mut combos: Vec<usize> = (0..grid).collect();
    rng.shuffle(&mut combos);
    let mut people = Vec::with_capacity(count);
    for i in 0..count {
        let combo = combos[i % grid];
        let first = FIRST_NAMES[combo % FIRST_NAMES.len()];
        let last = LAST_NAMES[combo / FIRST_NAMES.len()];
        // Beyond the grid, a middle initial keeps names unique (and digit-free, so a name can
        // never collide with a numbered stem).
        let middle = letters(i / grid);
        let name = if middle.is_empty() {
            format!("{first} {last}")
        } else {
            format!("{first} {middle}. {last}")
        };
        let id = i + 1;
        let stem = format!("{}-{id}", kebab(&name));
        let outside = rng.chance(0.05);
        let rel = if outside {
            format!("{}/{stem}", rng.pick(&["contacts", "crm", "crm/clients"]))
        } else {
            format!("people/{stem}")
        };
        let internal = rng.chance(0.4);
        let (org, domain) = if internal { HOME_ORG } else { *rng.pick(ORGS) };
        let email = format!(
            "{}.{}{id}@{domain}",
            first.to_lowercase(),
            last.to_lowercase()
        );
        for key in [&name, &stem, &rel, &email] {
            taken.insert(norm_key(key));
        }
        let mut tags = Vec::new();
        if rng.chance(0.35) {
            tags.push(*rng.pick(PERSON_TAGS));
            if rng.chance(0.3) {
                let t = *rng.pick(PERSON_TAGS);
                if !tags.contains(&t) {
                    tags.push(t);
                }
            }
        }
        let cadence = rng.chance(0.5).then(|| *rng.pick(CADENCES));
        let last_contact_fm = rng
            .chance(0.3)
            .then(|| as_of() - Duration::days(rng.range(1, 500) as i64));
        people.push(Person {
            name,
            first,
            last,
            rel,
            outside,
            email,
            aliases: Vec::new(),
            internal,
            org,
            team: internal.then(|| *rng.pick(TEAMS)),
            tags,
            cadence,
            last_contact_fm,
        });
    }
    // Aliases second, once every name/stem/email is reserved, first come first served.
    for p in &mut people {
        let want = rng.weighted(&[35, 35, 20, 10]);
        if want == 0 {
            continue;
        }
        let first_initial = &p.first[..1];
        let last_initial = &p.last[..1];
        let mut candidates = vec![
            format!("{} {last_initial}.", p.first),
            format!("{first_initial}. {}", p.last),
            p.first.to_string(),
            format!("{}.{}", p.first.to_lowercase(), p.last.to_lowercase()),
            format!("{first_initial}{last_initial}"),
        ];
        rng.shuffle(&mut candidates);
        for c in candidates {
            if p.aliases.len() == want {
                break;
            }
            if !yaml_special(&c) && taken.insert(norm_key(&c)) {
                p.aliases.push(c);
            }
        }
    }
    people
}

fn make_projects(rng: &mut Rng, count: usize) -> Vec<String> {
    let mut names: Vec<String> = PROJECT_CODENAMES
        .iter()
        .map(|c| format!("Project {c}"))
        .collect();
    for a in PROJECT_AREAS {
        for k in PROJECT_KINDS {
            names.push(format!("{a} {k}"));
        }
    }
    rng.shuffle(&mut names);
    let base = names.len();
    let mut phase = 2;
    while names.len() < count {
        for i in 0..base {
            names.push(format!("{} Phase {phase}", names[i]));
        }
        phase += 1;
    }
    names.truncate(count);
    names
}

/// Popularity weights: a shuffled Zipf-ish curve; a fraction of entries get weight zero.
fn zipf_weights(rng: &mut Rng, n: usize, exponent: f64, never: f64) -> Vec<f64> {
    let mut ranks: Vec<usize> = (0..n).collect();
    rng.shuffle(&mut ranks);
    ranks
        .iter()
        .map(|&r| {
            if r > 0 && rng.chance(never) {
                0.0
            } else {
                1.0 / ((r + 1) as f64).powf(exponent)
            }
        })
        .collect()
}

fn build_world(seed: u64, meetings: usize) -> World {
    let mut rng = Rng::new(seed, 1);
    let mut taken = HashSet::new();
    let people = make_people(&mut rng, (meetings / 40).max(30), &mut taken);
    let person_weights = zipf_weights(&mut rng, people.len(), 0.6, 0.1);
    let person_pick = Sampler::new(&person_weights);

    let names = make_projects(&mut rng, (meetings / 500).max(8));
    let projects = names
        .into_iter()
        .map(|name| {
            let size = rng.range(3, 10);
            let mut core = Vec::with_capacity(size);
            for _ in 0..size * 3 {
                let p = person_pick.draw(&mut rng);
                if !core.contains(&p) {
                    core.push(p);
                }
                if core.len() == size {
                    break;
                }
            }
            Project { name, core }
        })
        .collect::<Vec<_>>();
    let project_weights = zipf_weights(&mut rng, projects.len(), 0.7, 0.0);
    let project_pick = Sampler::new(&project_weights);

    // Unresolved attendees: plain text that matches no person key.
    let guests = (1..=(meetings / 300).max(5))
        .map(|k| format!("Guest {k}"))
        .filter(|g| !taken.contains(&norm_key(g)))
        .collect();
    World {
        people,
        person_pick,
        projects,
        project_pick,
        guests,
    }
}

// ---------------------------------------------------------------------------------------------
// Text helpers
// ---------------------------------------------------------------------------------------------

fn sentence(rng: &mut Rng, buf: &mut String) {
    let n = rng.range(6, 16);
    for k in 0..n {
        let w = *rng.pick(WORDS);
        if k == 0 {
            let mut chars = w.chars();
            if let Some(c) = chars.next() {
                buf.push(c.to_ascii_uppercase());
                buf.push_str(chars.as_str());
            }
        } else {
            buf.push(' ');
            buf.push_str(w);
        }
        if k > 1 && k + 1 < n && rng.chance(0.05) {
            buf.push(',');
        }
    }
    buf.push('.');
}

/// One paragraph, optionally sprinkling wikilink mentions of `mention` and inline tags.
fn paragraph(rng: &mut Rng, buf: &mut String, mention: &[&str], tags: bool) {
    let sentences = rng.range(2, 6);
    for s in 0..sentences {
        if s > 0 {
            buf.push(' ');
        }
        sentence(rng, buf);
        if !mention.is_empty() && rng.chance(0.12) {
            let _ = write!(buf, " Talked it through with [[{}]].", rng.pick(mention));
        }
        if tags && rng.chance(0.04) {
            buf.push(' ');
            let tag = *rng.pick(INLINE_TAGS);
            buf.push_str(tag);
        }
    }
    buf.push_str("\n\n");
}

/// Several paragraphs with a heavy tail: most notes are short, a few are long.
fn paragraphs(rng: &mut Rng, buf: &mut String, mention: &[&str], tags: bool) {
    let count = match rng.weighted(&[35, 45, 20]) {
        0 => rng.range(1, 3),
        1 => rng.range(3, 7),
        _ => rng.range(8, 16),
    };
    for _ in 0..count {
        paragraph(rng, buf, mention, tags);
    }
}

fn bullets(rng: &mut Rng, buf: &mut String, count: usize) {
    for _ in 0..count {
        buf.push_str(if rng.chance(0.8) { "- " } else { "* " });
        let n = rng.range(3, 8);
        for k in 0..n {
            if k > 0 {
                buf.push(' ');
            }
            let word = *rng.pick(WORDS);
            buf.push_str(word);
        }
        buf.push('\n');
    }
    buf.push('\n');
}

/// A YAML list of already-formatted scalars, as a flow list, block list, or (if allowed and
/// there is exactly one item) a bare scalar.
fn yaml_list(rng: &mut Rng, buf: &mut String, key: &str, items: &[String], scalar_ok: bool) {
    if scalar_ok && items.len() == 1 && rng.chance(0.4) {
        let _ = writeln!(buf, "{key}: {}", items[0]);
    } else if rng.chance(0.5) {
        let _ = writeln!(buf, "{key}: [{}]", items.join(", "));
    } else {
        let indent = if rng.chance(0.7) { "  " } else { "" };
        let _ = writeln!(buf, "{key}:");
        for item in items {
            let _ = writeln!(buf, "{indent}- {item}");
        }
    }
}

fn quoted(s: &str) -> String {
    format!("\"{s}\"")
}

fn weekday_name(d: NaiveDate) -> &'static str {
    match d.weekday() {
        Weekday::Mon => "Monday",
        Weekday::Tue => "Tuesday",
        Weekday::Wed => "Wednesday",
        Weekday::Thu => "Thursday",
        Weekday::Fri => "Friday",
        Weekday::Sat => "Saturday",
        Weekday::Sun => "Sunday",
    }
}

// ---------------------------------------------------------------------------------------------
// Tasks
// ---------------------------------------------------------------------------------------------

/// Renders one task body (`[s] text ...`, without list marker) created on `created`, and
/// counts it in `tally`.
fn task(
    rng: &mut Rng,
    tally: &mut Tally,
    created: NaiveDate,
    link: &[&str],
    project: Option<&str>,
) -> String {
    let as_of = as_of();
    let age = (as_of - created).num_days();
    // [done, cancelled, open] weights: old tasks are mostly closed.
    let weights: [u32; 3] = if age > 60 {
        [85, 5, 10]
    } else if age > 14 {
        [50, 8, 42]
    } else {
        [20, 5, 75]
    };
    let forced = std::mem::take(&mut tally.force_open);
    let (status, open) = match rng.weighted(&weights) {
        _ if forced => (' ', true),
        0 => (if rng.chance(0.85) { 'x' } else { 'X' }, false),
        1 => ('-', false),
        _ => (
            *rng.pick(&[' ', ' ', ' ', ' ', ' ', ' ', '/', '>', '!', '?']),
            true,
        ),
    };
    let mut s = String::with_capacity(96);
    let _ = write!(s, "[{status}] {}", rng.pick(TASK_PHRASES));
    if !link.is_empty() && rng.chance(0.35) {
        let _ = write!(s, " with [[{}]]", rng.pick(link));
    }
    if let Some(p) = project
        && rng.chance(0.3)
    {
        let _ = write!(s, " for {p}");
    }
    let tag = match rng.weighted(&[85, 8, 7]) {
        0 => "",
        1 => " #ask",
        _ => " #give",
    };
    let due = rng.chance(0.6).then(|| match rng.weighted(&[90, 4, 3, 3]) {
        0 => created + Duration::days(rng.range(0, 30) as i64),
        1 => as_of,                     // boundary: due today is not overdue
        2 => as_of - Duration::days(1), // boundary: due yesterday is overdue
        _ => as_of + Duration::days(rng.range(1, 60) as i64),
    });
    let tag_first = rng.chance(0.5);
    if tag_first {
        s.push_str(tag);
    }
    if let Some(d) = due {
        let time = if rng.chance(0.15) { " 10:00" } else { "" };
        let _ = match rng.below(6) {
            0 => write!(s, " 📅 {d}{time}"),
            1 => write!(s, " 📆 {d}{time}"),
            2 => write!(s, " 🗓\u{fe0f} {d}{time}"),
            3 => write!(s, " [due:: {d}]"),
            4 => write!(s, " (due:: {d})"),
            _ => write!(s, " due:{d}{time}"),
        };
    }
    if !tag_first {
        s.push_str(tag);
    }
    if open {
        tally.open += 1;
        if due.is_some_and(|d| d < as_of) {
            tally.overdue += 1;
        }
    }
    s
}

/// Writes a list of task bodies in one of several list styles.
fn task_list(rng: &mut Rng, buf: &mut String, tasks: &[String]) {
    match rng.weighted(&[65, 13, 11, 11]) {
        0 => {
            let marker = if rng.chance(0.75) { "- " } else { "* " };
            for t in tasks {
                let _ = writeln!(buf, "{marker}{t}");
            }
        }
        1 => {
            for (i, t) in tasks.iter().enumerate() {
                let _ = writeln!(buf, "{}. {t}", i + 1);
            }
        }
        2 => {
            // Nested: under a plain bullet, or the first task is the parent of the rest.
            let indent = if rng.chance(0.5) { "  " } else { "    " };
            let children = if rng.chance(0.5) {
                buf.push_str("- Next steps\n");
                tasks
            } else {
                let _ = writeln!(buf, "- {}", tasks[0]);
                &tasks[1..]
            };
            for t in children {
                let _ = writeln!(buf, "{indent}- {t}");
            }
        }
        _ => {
            buf.push_str("> [!todo] Follow-ups\n");
            for t in tasks {
                let _ = writeln!(buf, "> - {t}");
            }
        }
    }
    buf.push('\n');
}

// ---------------------------------------------------------------------------------------------
// Notes
// ---------------------------------------------------------------------------------------------

fn person_note(rng: &mut Rng, p: &Person) -> String {
    let mut b = String::with_capacity(1024);
    b.push_str("---\n");
    let _ = writeln!(b, "name: {}", p.name);
    if p.outside {
        b.push_str(if rng.chance(0.7) {
            "type: person\n"
        } else {
            "type: [contact]\n"
        });
    }
    if !p.aliases.is_empty() {
        if rng.chance(0.25) {
            // One comma-separated string, quoted or not.
            let joined = p.aliases.join(", ");
            if rng.chance(0.5) {
                let _ = writeln!(b, "aliases: \"{joined}\"");
            } else {
                let _ = writeln!(b, "aliases: {joined}");
            }
        } else {
            yaml_list(rng, &mut b, "aliases", &p.aliases, false);
        }
    }
    let _ = writeln!(b, "email: {}", p.email);
    let org_key = if rng.chance(0.6) { "org" } else { "company" };
    if rng.chance(0.2) {
        let _ = writeln!(b, "{org_key}: \"[[{}]]\"", p.org);
    } else {
        let _ = writeln!(b, "{org_key}: {}", p.org);
    }
    if let Some(team) = p.team {
        let _ = writeln!(b, "team: {team}");
    } else if rng.chance(0.5) {
        let _ = writeln!(b, "role: {}", rng.pick(ROLES));
    }
    let _ = writeln!(
        b,
        "relation: {}",
        if p.internal { "internal" } else { "external" }
    );
    if !p.tags.is_empty() {
        let tags: Vec<String> = p.tags.iter().map(|t| t.to_string()).collect();
        yaml_list(rng, &mut b, "tags", &tags, true);
    }
    if let Some((spelling, _)) = p.cadence {
        let _ = writeln!(b, "cadence: {spelling}");
    }
    if let Some(d) = p.last_contact_fm {
        let key = *rng.pick(&["last_contact", "last-contact", "Last Contact"]);
        let _ = writeln!(b, "{key}: {d}");
    }
    if rng.chance(0.3) {
        let n = rng.range(1, 3);
        let mut interests: Vec<String> = Vec::new();
        for _ in 0..n {
            let i = rng.pick(INTERESTS).to_string();
            if !interests.contains(&i) {
                interests.push(i);
            }
        }
        yaml_list(rng, &mut b, "interests", &interests, true);
    }
    b.push_str("---\n");
    if rng.chance(0.6) {
        let _ = writeln!(b, "# {}\n", p.name);
    }
    paragraph(rng, &mut b, &[], false);
    if rng.chance(0.5) {
        b.push_str("## Notes\n\n");
        let n = rng.range(2, 5);
        bullets(rng, &mut b, n);
    }
    if rng.chance(0.3) {
        paragraph(rng, &mut b, &[], false);
    }
    b
}

/// How an attendee is written in front matter (already YAML-quoted when needed).
fn person_ref(rng: &mut Rng, p: &Person) -> String {
    match rng.weighted(&[30, 10, 10, 8, 20, 10, 12]) {
        0 => quoted(&format!("[[{}]]", p.name)),
        1 => {
            let nick = p.aliases.first().map_or(p.first, |a| a.as_str());
            quoted(&format!("[[{}|{nick}]]", p.name))
        }
        2 => {
            let label = if rng.chance(0.5) { p.first } else { &p.name };
            quoted(&format!("[[{}|{label}]]", p.rel))
        }
        3 => {
            // `[[people/stem.md]]`; for notes outside people/ the real path, no extension.
            if p.outside {
                quoted(&format!("[[{}]]", p.rel))
            } else {
                quoted(&format!("[[{}.md]]", p.rel))
            }
        }
        4 => p.name.clone(),
        5 => p.aliases.first().unwrap_or(&p.name).clone(),
        _ => p.email.clone(),
    }
}

/// How a project is written: canonical, wikilink, kebab or snake case.
fn project_ref(rng: &mut Rng, name: &str) -> String {
    match rng.weighted(&[35, 25, 20, 20]) {
        0 => name.to_string(),
        1 => quoted(&format!("[[{name}]]")),
        2 => name.to_lowercase().replace(' ', "-"),
        _ => name.to_lowercase().replace(' ', "_"),
    }
}

/// Draws a working day within the two-year window (weekends are rarer, not impossible).
fn meeting_date(rng: &mut Rng) -> NaiveDate {
    let start = as_of() - Duration::days(SPAN_DAYS);
    loop {
        let d = start + Duration::days(rng.below(SPAN_DAYS as usize) as i64);
        let weekend = matches!(d.weekday(), Weekday::Sat | Weekday::Sun);
        if !weekend || rng.chance(0.15) {
            return d;
        }
    }
}

fn write_meeting(
    rng: &mut Rng,
    world: &World,
    tally: &mut Tally,
    used_paths: &mut HashSet<String>,
    sink: &mut Sink,
) -> io::Result<()> {
    let date = meeting_date(rng);

    // Projects, then attendees (project meetings mostly draw from the project's core team).
    let mut projects: Vec<usize> = Vec::new();
    for _ in 0..rng.weighted(&[45, 40, 15]) {
        let p = world.project_pick.draw(rng);
        if !projects.contains(&p) {
            projects.push(p);
        }
    }
    let want = 1 + rng.weighted(&[35, 30, 15, 10, 6, 4]);
    let mut people: Vec<usize> = Vec::with_capacity(want);
    for _ in 0..want * 4 {
        if people.len() == want {
            break;
        }
        let p = match projects.first() {
            Some(&proj) if rng.chance(0.7) => *rng.pick(&world.projects[proj].core),
            _ => world.person_pick.draw(rng),
        };
        if !people.contains(&p) {
            people.push(p);
        }
    }
    let guest = rng
        .chance(0.03)
        .then(|| rng.below(world.guests.len()))
        .filter(|_| !world.guests.is_empty());

    // Attendee references; ~3% list someone twice in two spellings (counted once).
    let mut refs: Vec<String> = people
        .iter()
        .map(|&p| person_ref(rng, &world.people[p]))
        .collect();
    if rng.chance(0.03) {
        let p = &world.people[*rng.pick(&people)];
        let again = person_ref(rng, p);
        let at = rng.below(refs.len() + 1);
        refs.insert(at, again);
    }
    if let Some(g) = guest {
        let at = rng.below(refs.len() + 1);
        refs.insert(at, world.guests[g].clone());
    }
    let mut who: Vec<Who> = people.iter().map(|&p| Who::Person(p)).collect();
    who.extend(guest.map(Who::Guest));
    tally.record_meeting(date, &who, &projects);

    let names: Vec<&str> = people
        .iter()
        .map(|&p| world.people[p].name.as_str())
        .collect();
    let project_names: Vec<&str> = projects
        .iter()
        .map(|&p| world.projects[p].name.as_str())
        .collect();

    // Title and a unique path.
    let title = if let Some(p) = project_names.first()
        && rng.chance(0.6)
    {
        format!("{p} {}", rng.pick(PROJECT_TITLES))
    } else if people.len() == 1 && rng.chance(0.8) {
        format!(
            "{} {}",
            rng.pick(SOLO_TITLES),
            world.people[people[0]].first
        )
    } else {
        rng.pick(GROUP_TITLES).to_string()
    };
    let placement = rng.weighted(&[3, 7, 90]); // notes/ + type, meetings/ + type, meetings/
    let dir = if placement == 0 {
        "notes".to_string()
    } else {
        format!("meetings/{:04}/{:02}", date.year(), date.month())
    };
    let mut rel = format!("{dir}/{date} {title}.md");
    let mut n = 2;
    while !used_paths.insert(rel.clone()) {
        rel = format!("{dir}/{date} {title} {n}.md");
        n += 1;
    }

    // Front matter.
    let mut fm: Vec<String> = Vec::with_capacity(8);
    if placement == 0 || rng.chance(0.9) {
        let hour = rng.range(7, 22);
        let minute = *rng.pick(&[0, 15, 30, 45]);
        fm.push(match rng.weighted(&[55, 20, 25]) {
            0 => format!("date: {date}\n"),
            1 => format!(
                "date: {date}T{hour:02}:{minute:02}:00{}\n",
                rng.pick(TZ_OFFSETS)
            ),
            _ => format!("date: \"{date} {hour:02}:{minute:02}\"\n"),
        });
    }
    match placement {
        0 => fm.push("type: meeting\n".to_string()),
        1 => fm.push(format!(
            "type: {}\n",
            rng.pick(&["meeting", "call", "1on1"])
        )),
        _ => {}
    }
    if rng.chance(0.3) {
        fm.push(format!("title: {title}\n"));
    }
    let mut block = String::new();
    let key = *rng.pick(&["attendees", "attendees", "people", "participants", "with"]);
    yaml_list(rng, &mut block, key, &refs, true);
    fm.push(block);
    if !projects.is_empty() {
        let items: Vec<String> = project_names.iter().map(|p| project_ref(rng, p)).collect();
        let key = *rng.pick(&["projects", "projects", "project", "topics"]);
        let mut block = String::new();
        yaml_list(rng, &mut block, key, &items, true);
        fm.push(block);
    } else if rng.chance(0.05) {
        fm.push("projects: []\n".to_string());
    }
    if rng.chance(0.4) {
        let n = rng.range(1, 3);
        let mut tags: Vec<String> = Vec::new();
        for _ in 0..n {
            let t = rng.pick(MEETING_TAGS).to_string();
            if !tags.contains(&t) {
                tags.push(t);
            }
        }
        let mut block = String::new();
        yaml_list(rng, &mut block, "tags", &tags, false);
        fm.push(block);
    }
    if rng.chance(0.2) {
        fm.push(format!("location: {}\n", rng.pick(LOCATIONS)));
    }
    if rng.chance(0.2) {
        rng.shuffle(&mut fm);
    }

    let mut b = String::with_capacity(2048);
    b.push_str("---\n");
    for line in &fm {
        b.push_str(line);
    }
    b.push_str("---\n");
    let _ = writeln!(b, "# {title}\n");
    if rng.chance(0.35) {
        b.push_str("## Agenda\n\n");
        let n = rng.range(2, 5);
        bullets(rng, &mut b, n);
    }
    if rng.chance(0.7) {
        b.push_str("## Notes\n\n");
    }
    paragraphs(rng, &mut b, &names, true);
    if rng.chance(0.05) {
        // Decoy: task syntax inside a fenced code block is not a task.
        let lang = *rng.pick(&["", "markdown", "text"]);
        let _ = write!(
            b,
            "Template I use for these:\n\n```{lang}\n- [ ] not a task\n\
             - [ ] not a task either 📅 2025-01-01\n- [x] done, but still not a task\n```\n\n"
        );
    }

    // Follow-ups: ~25% of meetings have no task at all.
    let mut count = rng.weighted(&[25, 30, 25, 12, 8]); // number of tasks, 0..=4
    // `--open-tasks P`: this meeting's first task is open (one is added if it had none).
    if tally.open_share.is_some_and(|p| rng.chance(p)) {
        count = count.max(1);
        tally.force_open = true;
    }
    if count == 0 {
        if rng.chance(0.3) {
            b.push_str("## Follow-ups\n\n- Nothing for now\n");
        }
    } else {
        let tasks: Vec<String> = (0..count)
            .map(|_| task(rng, tally, date, &names, project_names.first().copied()))
            .collect();
        b.push_str("## Follow-ups\n\n");
        task_list(rng, &mut b, &tasks);
    }
    sink.write(&rel, b)
}

fn journal_note(rng: &mut Rng, world: &World, tally: &mut Tally, day: NaiveDate) -> String {
    let mut b = String::with_capacity(1024);
    if rng.chance(0.4) {
        let _ = write!(b, "---\ndate: {day}\ntags: [journal]\n---\n");
    }
    if rng.chance(0.7) {
        let _ = writeln!(b, "# {} {day}\n", weekday_name(day));
    }
    let mention: Vec<&str> = (0..rng.range(1, 3))
        .map(|_| world.people[world.person_pick.draw(rng)].name.as_str())
        .collect();
    let _ = write!(b, "Ran into [[{}]] today. ", mention[0]);
    paragraph(rng, &mut b, &mention, true);
    if rng.chance(0.5) {
        paragraph(rng, &mut b, &mention, false);
    }
    if rng.chance(0.4) {
        let tasks: Vec<String> = (0..rng.range(1, 2))
            .map(|_| task(rng, tally, day, &mention, None))
            .collect();
        for t in tasks {
            let _ = writeln!(b, "- {t}");
        }
        b.push('\n');
    }
    b
}

fn plain_note(rng: &mut Rng) -> String {
    let mut b = String::with_capacity(2048);
    if rng.chance(0.3) {
        let tags = ["reference", "idea", "draft", "reading", "archive"];
        let _ = write!(
            b,
            "---\ntags: [{}, {}]\n---\n",
            rng.pick(&tags),
            rng.pick(&tags)
        );
    }
    paragraphs(rng, &mut b, &[], false);
    if rng.chance(0.5) {
        b.push_str("## Points\n\n");
        let n = rng.range(2, 6);
        bullets(rng, &mut b, n);
    }
    if rng.chance(0.3) {
        let tags = rng.chance(0.2);
        paragraph(rng, &mut b, &[], tags);
    }
    b
}

// ---------------------------------------------------------------------------------------------
// Driver
// ---------------------------------------------------------------------------------------------

fn build(
    sink: &mut Sink,
    meetings: usize,
    seed: u64,
    open_share: Option<f64>,
) -> io::Result<Truth> {
    let world = build_world(seed, meetings);
    let mut tally = Tally {
        met: vec![(0, None); world.people.len()],
        guest_met: vec![(0, None); world.guests.len()],
        project_people: vec![BTreeSet::new(); world.projects.len()],
        project_used: vec![false; world.projects.len()],
        open: 0,
        overdue: 0,
        open_share,
        force_open: false,
    };

    let mut rng = Rng::new(seed, 2);
    for p in &world.people {
        sink.write(&format!("{}.md", p.rel), person_note(&mut rng, p))?;
    }

    let mut rng = Rng::new(seed, 3);
    let mut used_paths = HashSet::with_capacity(meetings);
    for _ in 0..meetings {
        write_meeting(&mut rng, &world, &mut tally, &mut used_paths, sink)?;
    }

    let mut rng = Rng::new(seed, 4);
    let journals = (meetings / 20).clamp(5, SPAN_DAYS as usize);
    let start = as_of() - Duration::days(SPAN_DAYS);
    let mut days: Vec<i64> = (0..SPAN_DAYS).collect();
    rng.shuffle(&mut days);
    let mut days = days[..journals].to_vec();
    days.sort_unstable();
    for offset in days {
        let day = start + Duration::days(offset);
        let text = journal_note(&mut rng, &world, &mut tally, day);
        sink.write(&format!("journal/{day}.md"), text)?;
    }

    // Plain notes make up the rest of ~1.35 files per meeting.
    let mut rng = Rng::new(seed, 5);
    let target = meetings * 135 / 100;
    let plain = target.saturating_sub(sink.files).max(5);
    for i in 0..plain {
        let dir = rng.pick(NOTE_DIRS);
        let topic = rng.pick(NOTE_TOPICS);
        let word = rng.pick(WORDS);
        let rel = format!("{dir}/{topic} {word} {}.md", i + 1);
        sink.write(&rel, plain_note(&mut rng))?;
    }

    Ok(make_truth(&world, &tally, meetings, seed))
}

fn make_truth(world: &World, tally: &Tally, meetings: usize, seed: u64) -> Truth {
    let as_of = as_of();
    let name_of = |w: &Who| match *w {
        Who::Person(i) => world.people[i].name.clone(),
        Who::Guest(i) => world.guests[i].clone(),
    };

    let mut people = BTreeMap::new();
    let mut due = Vec::new();
    for (i, p) in world.people.iter().enumerate() {
        let (count, last_met) = tally.met[i];
        let last_contact = last_met.max(p.last_contact_fm);
        let cadence = p.cadence.map(|(_, days)| days);
        if let Some(days) = cadence {
            let is_due = match last_contact {
                None => true,
                Some(d) => d + Duration::days(days as i64) < as_of,
            };
            if is_due {
                due.push(p.name.clone());
            }
        }
        people.insert(
            p.name.clone(),
            PersonTruth {
                path: Some(format!("{}.md", p.rel)),
                meetings: count,
                last_met: last_met.map(|d| d.to_string()),
                last_contact: last_contact.map(|d| d.to_string()),
                cadence_days: cadence,
            },
        );
    }
    for (i, g) in world.guests.iter().enumerate() {
        let (count, last_met) = tally.guest_met[i];
        if count > 0 {
            let last = last_met.map(|d| d.to_string());
            people.insert(
                g.clone(),
                PersonTruth {
                    path: None,
                    meetings: count,
                    last_met: last.clone(),
                    last_contact: last,
                    cadence_days: None,
                },
            );
        }
    }
    due.sort();

    let mut projects = BTreeMap::new();
    for (i, p) in world.projects.iter().enumerate() {
        if tally.project_used[i] {
            let mut names: Vec<String> = tally.project_people[i].iter().map(name_of).collect();
            names.sort();
            projects.insert(p.name.clone(), names);
        }
    }

    let sample_person = world
        .people
        .iter()
        .enumerate()
        .max_by(|(a, pa), (b, pb)| {
            tally.met[*a]
                .0
                .cmp(&tally.met[*b].0)
                .then_with(|| pb.name.cmp(&pa.name))
        })
        .map(|(_, p)| p.name.clone())
        .unwrap_or_default();
    let sample_project = projects
        .iter()
        .max_by(|(na, a), (nb, b)| a.len().cmp(&b.len()).then_with(|| nb.cmp(na)))
        .map(|(n, _)| n.clone())
        .unwrap_or_default();

    Truth {
        as_of: as_of.to_string(),
        seed,
        meetings,
        files: 0,
        bytes: 0,
        projects,
        people,
        open_tasks: tally.open,
        overdue_tasks: tally.overdue,
        keep_in_touch_due: due,
        sample_person,
        sample_project,
    }
}
