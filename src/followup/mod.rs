//! The follow-up checklist: what to do next, for whom, and why.
//!
//! Pure: it takes the joined [`Network`] and the tasks the index returned,
//! and computes the five sections. Each section answers one way networking
//! goes wrong: open promises, relationships going cold, meetings with no next
//! step, asking more than giving, and teams inside the company gone quiet.

use rustc_hash::FxHashMap;
use std::collections::{BTreeMap, HashMap};

use chrono::{Datelike, Days, NaiveDate};
use serde::Serialize;

use crate::query::{self, Network, PersonId};
use crate::vault::TaskStatus;
use crate::vault::tasktable::{TaskRow, TaskTable};

mod coming;
mod tasks;
pub mod warmth;
pub use coming::{ComingUp, Snoozed, coming_up};
pub use tasks::Tasks;

/// Settings of a checklist.
#[derive(Debug, Clone)]
pub struct Opts {
    /// The day the checklist is for.
    pub as_of: NaiveDate,
    /// Meetings this many days back are checked for a next step.
    pub window_days: u32,
    /// Tasks due within this many days are "due soon".
    pub soon_days: u32,
    /// Asks and gives are counted over this many days.
    pub reciprocity_days: u32,
    /// A team is quiet after this many days without a meeting.
    pub quiet_days: u32,
    /// Tags that mark an ask.
    pub ask_tags: Vec<String>,
    /// Tags that mark a give.
    pub give_tags: Vec<String>,
    /// List every open task, not only those that involve a person.
    pub all_tasks: bool,
    /// Keep-in-touch dates falling due this many days after the as-of date
    /// are listed in [`Checklist::keep_in_touch_ahead`] (for the calendar).
    pub keep_in_touch_ahead_days: u32,
    /// Dates that matter this many days ahead are "coming up".
    pub ahead_days: u32,
}

impl Opts {
    /// Defaults for a given day.
    pub fn new(as_of: NaiveDate) -> Opts {
        Opts {
            as_of,
            window_days: 30,
            soon_days: 7,
            reciprocity_days: 365,
            quiet_days: 90,
            ask_tags: vec!["ask".into()],
            give_tags: vec!["give".into()],
            all_tasks: false,
            keep_in_touch_ahead_days: 30,
            ahead_days: 14,
        }
    }
}

/// An open task.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct TaskItem {
    /// Stable id (survives edits elsewhere in the note).
    pub id: String,
    /// Text.
    pub text: String,
    /// Always open here.
    pub status: TaskStatus,
    /// Due date.
    pub due: Option<NaiveDate>,
    /// Due before the as-of date.
    pub overdue: bool,
    /// Note path.
    pub path: String,
    /// Line in the note.
    pub line: usize,
    /// Note title.
    pub note_title: String,
    /// Note date.
    pub note_date: Option<NaiveDate>,
    /// People involved.
    pub people: Vec<String>,
}

/// The last meeting with someone.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct MeetingRef {
    /// Title.
    pub title: String,
    /// Date.
    pub date: Option<NaiveDate>,
    /// Path.
    pub path: String,
}

/// What to mention in a personal message.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct Context {
    /// The last meeting.
    pub last_meeting: Option<MeetingRef>,
    /// Projects you share, most frequent first.
    pub projects: Vec<String>,
    /// Open tasks that involve them.
    pub open_tasks: Vec<String>,
    /// Their interests.
    pub interests: Vec<String>,
}

/// Someone due for a keep-in-touch.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct KeepInTouch {
    /// Stable id.
    #[serde(skip)]
    pub id: String,
    /// Name.
    pub name: String,
    /// Person note.
    pub path: Option<String>,
    /// Cadence.
    pub cadence_days: u32,
    /// Last contact, if ever.
    pub last_contact: Option<NaiveDate>,
    /// Days since the last contact.
    pub days_since: Option<i64>,
    /// Days past the due date (`None` when never contacted).
    pub overdue_by_days: Option<i64>,
    /// Material for the message.
    pub context: Context,
}

/// Someone who would be due for a keep-in-touch, with a meeting already
/// planned: not due, and the checklist says when.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Planned {
    /// Name.
    pub name: String,
    /// Person note.
    pub path: Option<String>,
    /// The planned meeting (the first after the as-of date).
    pub meeting: MeetingRef,
}

/// A recent meeting with no task.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Unfollowed {
    /// Stable id.
    #[serde(skip)]
    pub id: String,
    /// Path.
    pub path: String,
    /// Date.
    pub date: Option<NaiveDate>,
    /// Title.
    pub title: String,
    /// Attendees.
    pub attendees: Vec<String>,
    /// Projects.
    pub projects: Vec<String>,
}

/// Someone you asked more of than you gave.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Reciprocity {
    /// Stable id.
    #[serde(skip)]
    pub id: String,
    /// Name.
    pub name: String,
    /// Person note.
    pub path: Option<String>,
    /// Asks.
    pub asks: u32,
    /// Gives.
    pub gives: u32,
}

/// An internal team you have not met for a while.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct QuietTeam {
    /// Stable id.
    #[serde(skip)]
    pub id: String,
    /// Team name.
    pub team: String,
    /// Its people.
    pub people: Vec<String>,
    /// Last meeting with any of them.
    pub last_met: Option<NaiveDate>,
}

/// The whole checklist.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct Checklist {
    /// The day it is for.
    pub as_of: NaiveDate,
    /// Open tasks: those that involve a person, or every one with
    /// [`Opts::all_tasks`].
    pub tasks: Tasks,
    /// Open tasks left out of `tasks` because they involve nobody.
    pub other_open_tasks: usize,
    /// People due for a keep-in-touch.
    pub keep_in_touch: Vec<KeepInTouch>,
    /// People whose keep-in-touch falls due within [`Opts::keep_in_touch_ahead_days`]
    /// after the as-of date, soonest first (`overdue_by_days` is negative:
    /// due in that many days), leaving out anyone with a meeting planned.
    /// Not a section of the checklist: the calendar file holds them.
    pub keep_in_touch_ahead: Vec<KeepInTouch>,
    /// People who would be due but have a meeting planned.
    pub planned: Vec<Planned>,
    /// Recent meetings with no next step.
    pub unfollowed_meetings: Vec<Unfollowed>,
    /// People with more asks than gives.
    pub reciprocity: Vec<Reciprocity>,
    /// Internal teams gone quiet.
    pub quiet_teams: Vec<QuietTeam>,
    /// Birthdays and other dates within the next `ahead_days`.
    pub coming_up: Vec<ComingUp>,
    /// People due for a keep-in-touch who asked for "not now".
    pub snoozed: Vec<Snoozed>,
    /// The thresholds it was computed with (for true sentences; not in JSON).
    #[serde(skip)]
    pub thresholds: Thresholds,
    /// How many internal teams there are at all (not in JSON): with none,
    /// "every internal team was met" would be an empty truth.
    #[serde(skip)]
    pub internal_teams: usize,
}

/// The numbers a checklist's sections depend on, as the renderers word them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Thresholds {
    /// Meetings this many days back are checked for a next step.
    pub window_days: u32,
    /// Tasks due within this many days are "due soon".
    pub soon_days: u32,
    /// Asks and gives are counted over this many days.
    pub reciprocity_days: u32,
    /// A team is quiet after this many days without a meeting.
    pub quiet_days: u32,
    /// Dates this many days ahead are "coming up".
    pub ahead_days: u32,
}

/// A short stable id: FNV-1a of the parts.
pub fn stable_id(parts: &[&str]) -> String {
    Id::of(parts).as_str().to_string()
}

/// A [`stable_id`] that needs no allocation (the checklist writes one per
/// open task, a hundred thousand of them in a large vault).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Id([u8; 12]);

impl Id {
    /// The id of `parts`. Ids are kept in checklist files across versions:
    /// the hash must never change (a test pins known values).
    pub fn of(parts: &[&str]) -> Id {
        Id::from_hash(crate::vault::hash::stable_hash(parts))
    }

    /// The id of a [`crate::vault::hash::stable_hash`]: its low 48 bits.
    pub fn from_hash(h: u64) -> Id {
        let mut out = [0u8; 12];
        for (i, o) in out.iter_mut().enumerate() {
            *o = b"0123456789abcdef"[((h >> (44 - 4 * i)) & 0xf) as usize];
        }
        Id(out)
    }

    /// Twelve lowercase hexadecimal digits.
    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.0).unwrap_or_default()
    }
}

/// Computes the checklist. `open_tasks` are all open tasks (the list of
/// shown tasks keeps the table); `tagged` are all tasks (any status)
/// carrying an ask or give tag.
pub fn compute(net: &Network, open_tasks: TaskTable, tagged: &TaskTable, opts: &Opts) -> Checklist {
    let plan = plan_tasks(net, &open_tasks, opts);
    let part = network_part(net, Some(tagged), opts);
    compute_planned(net, open_tasks, plan, part, tagged, opts)
}

/// What the checklist works out from the open tasks and the network
/// alone: whom each task involves, and the order the tasks are shown in.
/// Apart from [`compute_planned`] so that a caller can work it out while
/// it reads the asks and gives (a fifth of the open-task checklist's
/// processor time before its answer is written).
pub struct TaskPlan {
    involved: Involved,
    order: Vec<(u32, bool)>,
}

/// The [`TaskPlan`] of `open_tasks` (the table [`compute_planned`] is then
/// given).
pub fn plan_tasks(net: &Network, open_tasks: &TaskTable, opts: &Opts) -> TaskPlan {
    let involved = Involved::of(net, open_tasks, |r| r.status == TaskStatus::Open);
    let order = task_order(open_tasks, &involved, opts);
    TaskPlan { involved, order }
}

/// What the checklist works out from the network alone (and the asks and
/// gives, when they have been read): apart from [`compute_planned`] so
/// that a caller can work it out while the open tasks are still being
/// read and planned on another thread.
pub struct NetworkPart {
    /// Meetings that happened by the as-of date.
    past: Vec<usize>,
    quiet: Vec<QuietTeam>,
    internal_teams: usize,
    unfollowed_meetings: Vec<Unfollowed>,
    /// `None` when the asks and gives were not given.
    reciprocity: Option<Vec<Reciprocity>>,
    coming_up: Vec<ComingUp>,
}

/// The [`NetworkPart`] of the checklist; `tagged` as for [`compute`].
pub fn network_part(net: &Network, tagged: Option<&TaskTable>, opts: &Opts) -> NetworkPart {
    let past = past_meetings(net, opts.as_of);
    let (quiet, internal_teams) = quiet_teams(net, &past, opts);
    NetworkPart {
        quiet,
        internal_teams,
        unfollowed_meetings: unfollowed(net, opts),
        reciprocity: tagged.map(|t| reciprocity(net, t, opts)),
        coming_up: coming::coming_up(&net.people, opts.as_of, opts.ahead_days),
        past,
    }
}

/// [`compute`], with the tasks' plan and the network's part worked out
/// already (from the same `open_tasks`, `net` and `tagged`).
pub fn compute_planned(
    net: &Network,
    open_tasks: TaskTable,
    plan: TaskPlan,
    part: NetworkPart,
    tagged: &TaskTable,
    opts: &Opts,
) -> Checklist {
    let as_of = opts.as_of;
    let TaskPlan { involved, order } = plan;
    let NetworkPart {
        past,
        quiet,
        internal_teams,
        unfollowed_meetings,
        reciprocity: counted,
        coming_up,
    } = part;
    let open = open_tasks
        .rows()
        .iter()
        .filter(|r| r.status == TaskStatus::Open)
        .count();
    // Keep-in-touch (the people due, with the context for each) takes as
    // long as the shown tasks and the asks and gives (when not counted
    // yet) together: it runs on a second thread.
    let (lists, (shown, reciprocity)) = std::thread::scope(|s| {
        let lists = s.spawn(|| keep_in_touch(net, &past, &open_tasks, &involved, opts));
        let shown = tasks(net, &involved, &order);
        let reciprocity = counted.unwrap_or_else(|| reciprocity(net, tagged, opts));
        (crate::joined(lists), (shown, reciprocity))
    });
    let KeepInTouchLists {
        due: mut keep_in_touch,
        ahead: mut keep_in_touch_ahead,
        planned,
        due_people,
        ahead_people,
        tasks_of,
    } = lists;
    context_tasks(
        keep_in_touch
            .iter_mut()
            .zip(due_people)
            .chain(keep_in_touch_ahead.iter_mut().zip(ahead_people)),
        &tasks_of,
        &open_tasks,
    );
    let snoozed = coming::take_snoozed(net, &mut keep_in_touch, as_of);
    // Not now: no calendar reminder ahead for someone snoozed either.
    coming::take_snoozed(net, &mut keep_in_touch_ahead, as_of);
    let tasks = shown.over(open_tasks);
    Checklist {
        as_of,
        other_open_tasks: open - tasks.len(),
        tasks,
        keep_in_touch,
        keep_in_touch_ahead,
        planned,
        unfollowed_meetings,
        reciprocity,
        quiet_teams: quiet,
        coming_up,
        snoozed,
        thresholds: Thresholds {
            window_days: opts.window_days,
            soon_days: opts.soon_days,
            reciprocity_days: opts.reciprocity_days,
            quiet_days: opts.quiet_days,
            ahead_days: opts.ahead_days,
        },
        internal_teams,
    }
}

/// Who each open task involves ([`query::involved`], the rule of
/// [`query::task_people`]), with each distinct reference resolved once however
/// many tasks name it.
struct Involved {
    ids: Vec<PersonId>,
    /// Where each row's people end in `ids` (row `i` is `ends[i-1]..ends[i]`).
    ends: Vec<usize>,
}

impl Involved {
    /// For the rows `wanted` picks (the others involve nobody).
    fn of(net: &Network, table: &TaskTable, wanted: impl Fn(&TaskRow) -> bool) -> Involved {
        let resolved: Vec<Option<PersonId>> = table.words().iter().map(|w| net.lookup(w)).collect();
        let person = |w: &u32| resolved.get(*w as usize).copied().flatten();
        let mut ids = Vec::new();
        let mut ends = Vec::with_capacity(table.len());
        for row in table.rows() {
            if wanted(row) {
                ids.extend(query::involved(
                    table.links(row).iter().map(person),
                    table.attendees(row).iter().map(person),
                    net.people.len(),
                ));
            }
            ends.push(ids.len());
        }
        Involved { ids, ends }
    }

    /// The people row `i` involves.
    fn of_row(&self, i: usize) -> &[PersonId] {
        let start = i.checked_sub(1).and_then(|p| self.ends.get(p)).copied();
        let end = self.ends.get(i).copied().unwrap_or(0);
        self.ids.get(start.unwrap_or(0)..end).unwrap_or_default()
    }
}

/// The rows of the open tasks shown, in the checklist's order (overdue,
/// due soon, due later, then without a due date, latest note first), each
/// with whether it is overdue.
fn task_order(table: &TaskTable, involved: &Involved, opts: &Opts) -> Vec<(u32, bool)> {
    let soon = opts
        .as_of
        .checked_add_days(Days::new(opts.soon_days as u64))
        .unwrap_or(opts.as_of);
    let rows = table.rows();
    // Rows as 32-bit numbers: a hundred thousand of them, sorted (no table
    // comes near four thousand million rows).
    let small = |i: usize| u32::try_from(i).unwrap_or(u32::MAX);
    // Each row's place by path and line (the reader's order already, so
    // this sort is one pass), so the sort below compares integers.
    let mut by_path: Vec<u32> = (0..rows.len()).map(small).collect();
    by_path.sort_by(|&a, &b| {
        let (a, b) = (&rows[a as usize], &rows[b as usize]);
        (table.path(a), a.line).cmp(&(table.path(b), b.line))
    });
    let mut rank = vec![0u32; rows.len()];
    for (place, &row) in by_path.iter().enumerate() {
        rank[row as usize] = small(place);
    }
    drop(by_path);
    let mut shown: Vec<(u8, i32, u32, u32)> = rows
        .iter()
        .enumerate()
        .filter(|(i, r)| {
            r.status == TaskStatus::Open && (opts.all_tasks || !involved.of_row(*i).is_empty())
        })
        .map(|(i, r)| {
            let days = |d: NaiveDate| d.num_days_from_ce();
            let (group, date) = match r.due {
                Some(d) if d < opts.as_of => (0, days(d)),
                Some(d) if d <= soon => (1, days(d)),
                Some(d) => (2, days(d)),
                // Without a due date: the latest note first, undated
                // notes last.
                None => (3, r.note_date.map_or(i32::MAX, |d| -days(d))),
            };
            (group, date, rank[i], small(i))
        })
        .collect();
    drop(rank);
    shown.sort_unstable();
    let mut order = Vec::with_capacity(shown.len());
    order.extend(shown.iter().map(|&(group, _, _, i)| (i, group == 0)));
    order
}

/// The open tasks shown, in `order` (from [`task_order`]), before their
/// table is handed over ([`Tasks::over`]): they are picked while
/// keep-in-touch reads the table on another thread.
fn tasks(net: &Network, involved: &Involved, order: &[(u32, bool)]) -> Tasks {
    let mut out = Tasks::default();
    out.reserve(order.len());
    // Each person's name is added to the list once, in order of first
    // appearance.
    let mut name_of: Vec<Option<u32>> = Vec::new();
    for &(i, _) in order {
        for &p in involved.of_row(i as usize) {
            if name_of.len() <= p as usize {
                name_of.resize(p as usize + 1, None);
            }
            if name_of[p as usize].is_none() {
                name_of[p as usize] = Some(out.name(net.name(p)));
            }
        }
    }
    for &(i, overdue) in order {
        let people = involved.of_row(i as usize).iter();
        out.show(
            i as usize,
            overdue,
            people.filter_map(|p| name_of.get(*p as usize).copied().flatten()),
        );
    }
    out
}

/// The keep-in-touch lists of a checklist.
struct KeepInTouchLists {
    /// Due now.
    due: Vec<KeepInTouch>,
    /// Falling due within the window ahead, with no meeting planned.
    ahead: Vec<KeepInTouch>,
    /// Would be due now, but a meeting is planned.
    planned: Vec<Planned>,
    /// Who each of `due` and `ahead` is, in their order: their contexts'
    /// open tasks are `tasks_of` theirs, filled in by [`context_tasks`].
    due_people: Vec<PersonId>,
    ahead_people: Vec<PersonId>,
    /// Each person's open tasks (rows of the table), by person.
    tasks_of: Vec<Vec<u32>>,
}

/// Fills the open tasks of each listed person's context: the texts of
/// their rows of `open`, as shown. Tens of thousands of texts when every
/// meeting has an open task, so on two threads, each with about half.
fn context_tasks<'a>(
    listed: impl Iterator<Item = (&'a mut KeepInTouch, PersonId)>,
    tasks_of: &[Vec<u32>],
    open: &TaskTable,
) {
    let rows_of = |p: PersonId| tasks_of.get(p as usize).map_or(&[][..], Vec::as_slice);
    let mut jobs: Vec<(&mut Vec<String>, &[u32])> = listed
        .map(|(k, p)| (&mut k.context.open_tasks, rows_of(p)))
        .collect();
    let fill = |jobs: &mut [(&mut Vec<String>, &[u32])]| {
        for (texts, rows) in jobs {
            **texts = rows
                .iter()
                .filter_map(|i| open.rows().get(*i as usize))
                .map(|r| open.shown_text(r).into_owned())
                .collect();
        }
    };
    let total: usize = jobs.iter().map(|(_, rows)| rows.len()).sum();
    let mut seen = 0;
    let half = jobs
        .iter()
        .position(|(_, rows)| {
            seen += rows.len();
            2 * seen >= total
        })
        .map_or(jobs.len(), |i| i + 1);
    let (first, second) = jobs.split_at_mut(half);
    std::thread::scope(|s| {
        s.spawn(|| fill(second));
        fill(first);
    });
}

fn keep_in_touch(
    net: &Network,
    past: &[usize],
    open: &TaskTable,
    involved: &Involved,
    opts: &Opts,
) -> KeepInTouchLists {
    let as_of = opts.as_of;
    let horizon = as_of
        .checked_add_days(Days::new(opts.keep_in_touch_ahead_days as u64))
        .unwrap_or(as_of);
    // Indexed by person: a hundred thousand tasks name people.
    let mut tasks_of: Vec<Vec<u32>> = Vec::new();
    for i in 0..open.len() {
        for &p in involved.of_row(i) {
            if tasks_of.len() <= p as usize {
                tasks_of.resize_with(p as usize + 1, Vec::new);
            }
            tasks_of[p as usize].push(i as u32);
        }
    }
    // Last meeting of everyone.
    let last = last_meetings(net, past);
    let next = net.next_meetings(as_of);
    let mut out = Vec::new();
    let mut ahead = Vec::new();
    let mut planned = Vec::new();
    for (idx, note) in net.people.iter().enumerate() {
        let id = idx as PersonId;
        let f = net.fields(id);
        let Some(cadence) = f.cadence_days else {
            continue;
        };
        let last_meeting = last.get(&id).map(|i| &net.meetings[*i]);
        // Last contact and due date as the map sees them (one rule).
        let contact = warmth::contact_of(net, id, &last, &next, opts);
        let last_contact = contact.last_contact;
        let (days_since, overdue_by, due_now) = match last_contact {
            Some(l) => {
                let due = contact.next_due.unwrap_or(l);
                let due_now = if due < as_of {
                    true
                } else if due <= horizon {
                    false
                } else {
                    continue;
                };
                (
                    Some((as_of - l).num_days()),
                    Some((as_of - due).num_days()),
                    due_now,
                )
            }
            None => (None, None, true),
        };
        // A meeting is already in the diary: nothing to do yet, and no
        // calendar reminder ahead either. Only those due now are listed as
        // planned (the checklist names who it left out and why).
        if let Some(m) = next.get(&id).map(|i| &net.meetings[*i]) {
            if !due_now {
                continue;
            }
            planned.push(Planned {
                name: note.title.clone(),
                path: Some(note.path.clone()),
                meeting: MeetingRef {
                    title: m.title.clone(),
                    date: m.date,
                    path: m.path.clone(),
                },
            });
            continue;
        }
        let context = Context {
            last_meeting: last_meeting.map(|m| MeetingRef {
                title: m.title.clone(),
                date: m.date,
                path: m.path.clone(),
            }),
            // Counted below, for the people listed only.
            projects: Vec::new(),
            // Filled in after, on two threads (`context_tasks`).
            open_tasks: Vec::new(),
            interests: f.interests.clone(),
        };
        let due_key = last_contact.map_or("never".to_string(), |l| l.to_string());
        let list = if due_now { &mut out } else { &mut ahead };
        list.push((
            KeepInTouch {
                id: stable_id(&["keep-in-touch", &note.path, &due_key]),
                name: note.title.clone(),
                path: Some(note.path.clone()),
                cadence_days: cadence,
                last_contact,
                days_since,
                overdue_by_days: overdue_by,
                context,
            },
            id,
        ));
    }
    let listed: Vec<PersonId> = out.iter().chain(&ahead).map(|(_, id)| *id).collect();
    let projects = shared_projects(net, past, &listed);
    for ((k, _), projects) in out.iter_mut().chain(ahead.iter_mut()).zip(projects) {
        k.context.projects = projects;
    }
    // Most overdue first (soonest due, for those ahead); people never
    // contacted after them, by name.
    let order = |(a, _): &(KeepInTouch, PersonId), (b, _): &(KeepInTouch, PersonId)| {
        (
            a.overdue_by_days.is_none(),
            std::cmp::Reverse(a.overdue_by_days),
            a.name.to_lowercase(),
            &a.path,
        )
            .cmp(&(
                b.overdue_by_days.is_none(),
                std::cmp::Reverse(b.overdue_by_days),
                b.name.to_lowercase(),
                &b.path,
            ))
    };
    out.sort_by(order);
    ahead.sort_by(order);
    planned.sort_by(|a, b| {
        (a.meeting.date, a.name.to_lowercase()).cmp(&(b.meeting.date, b.name.to_lowercase()))
    });
    let (due, due_people) = out.into_iter().unzip();
    let (ahead, ahead_people) = ahead.into_iter().unzip();
    KeepInTouchLists {
        due,
        ahead,
        planned,
        due_people,
        ahead_people,
        tasks_of,
    }
}

/// For each of `listed`, the five projects of most of their `past`
/// meetings (ties by project order). Counted for them only: a hundred
/// thousand meetings name thousands of people.
fn shared_projects(net: &Network, past: &[usize], listed: &[PersonId]) -> Vec<Vec<String>> {
    let mut slot: Vec<Option<usize>> = vec![None; net.people.len()];
    for (k, id) in listed.iter().enumerate() {
        if let Some(s) = slot.get_mut(*id as usize) {
            *s = Some(k);
        }
    }
    let mut counts: Vec<BTreeMap<u32, u32>> = vec![BTreeMap::new(); listed.len()];
    for &i in past {
        let m = &net.meetings[i];
        if m.projects.is_empty() {
            continue;
        }
        for a in &m.attendees {
            if let Some(Some(k)) = slot.get(*a as usize) {
                for p in &m.projects {
                    *counts[*k].entry(*p).or_default() += 1;
                }
            }
        }
    }
    counts
        .into_iter()
        .map(|c| {
            let mut shared: Vec<(u32, u32)> = c.into_iter().collect();
            shared.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
            shared
                .into_iter()
                .take(5)
                .map(|(p, _)| net.projects[p as usize].clone())
                .collect()
        })
        .collect()
}

/// Each person's last meeting by the as-of date (latest date; among
/// meetings of one day, the first by path, so the answer never depends on
/// the index's history). Paths are known once labels are read.
fn last_meetings(net: &Network, past: &[usize]) -> FxHashMap<PersonId, usize> {
    let mut last: FxHashMap<PersonId, usize> = FxHashMap::default();
    for &i in past {
        let m = &net.meetings[i];
        for a in &m.attendees {
            let e = last.entry(*a).or_insert(i);
            let cur = &net.meetings[*e];
            let later = m.date.cmp(&cur.date).then_with(|| {
                cur.path
                    .as_str()
                    .cmp(m.path.as_str())
                    .then(m.doc.cmp(&cur.doc))
            });
            if later == std::cmp::Ordering::Greater {
                *e = i;
            }
        }
    }
    last
}

/// Every meeting on each person's last day of meetings: the candidates for
/// their last meeting, whose paths decide between them.
fn last_day_meetings(net: &Network, past: &[usize]) -> Vec<usize> {
    let mut last_day: FxHashMap<PersonId, NaiveDate> = FxHashMap::default();
    for &i in past {
        let m = &net.meetings[i];
        if let Some(d) = m.date {
            for a in &m.attendees {
                let e = last_day.entry(*a).or_insert(d);
                *e = (*e).max(d);
            }
        }
    }
    past.iter()
        .copied()
        .filter(|&i| {
            let m = &net.meetings[i];
            match m.date {
                Some(d) => m.attendees.iter().any(|a| last_day.get(a) == Some(&d)),
                // Undated meetings count only for people never met on a date.
                None => m.attendees.iter().any(|a| !last_day.contains_key(a)),
            }
        })
        .collect()
}

fn past_meetings(net: &Network, as_of: NaiveDate) -> Vec<usize> {
    (0..net.meetings.len())
        .filter(|i| net.meetings[*i].date.is_none_or(|d| d <= as_of))
        .collect()
}

fn unfollowed_indices(net: &Network, opts: &Opts) -> Vec<usize> {
    let from = opts
        .as_of
        .checked_sub_days(Days::new(opts.window_days as u64))
        .unwrap_or(opts.as_of);
    (0..net.meetings.len())
        .filter(|i| {
            let m = &net.meetings[*i];
            m.tasks == 0 && m.date.is_some_and(|d| d >= from && d <= opts.as_of)
        })
        .collect()
}

/// The meetings a checklist names (recent ones without a next step, and
/// each person's last meeting): the only ones whose path and title it needs,
/// so a caller reading them from the index can read just these before
/// [`compute`].
pub fn meetings_named(net: &Network, opts: &Opts) -> Vec<usize> {
    let past = past_meetings(net, opts.as_of);
    let mut out: Vec<usize> = unfollowed_indices(net, opts);
    out.extend(last_day_meetings(net, &past));
    out.extend(net.next_meetings(opts.as_of).into_values());
    out.sort_unstable();
    out.dedup();
    out
}

fn unfollowed(net: &Network, opts: &Opts) -> Vec<Unfollowed> {
    let mut out: Vec<Unfollowed> = unfollowed_indices(net, opts)
        .into_iter()
        .map(|i| &net.meetings[i])
        .map(|m| Unfollowed {
            id: stable_id(&["meeting", &m.path]),
            path: m.path.clone(),
            date: m.date,
            title: m.title.clone(),
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
        })
        .collect();
    out.sort_by(|a, b| b.date.cmp(&a.date).then_with(|| a.path.cmp(&b.path)));
    out
}

fn reciprocity(net: &Network, tagged: &TaskTable, opts: &Opts) -> Vec<Reciprocity> {
    let from = opts
        .as_of
        .checked_sub_days(Days::new(opts.reciprocity_days as u64))
        .unwrap_or(opts.as_of);
    let in_range = |d: Option<NaiveDate>| d.is_some_and(|d| d >= from && d <= opts.as_of);
    let mut counts: HashMap<PersonId, (u32, u32)> = HashMap::new();
    let mut count = |people: &[PersonId], (ask, give): (bool, bool)| {
        for p in people {
            let c = counts.entry(*p).or_default();
            c.0 += u32::from(ask);
            c.1 += u32::from(give);
        }
    };
    // Whether each distinct tag is an ask and a give, compared once; and
    // whether a list of tag ids holds one of each.
    let marks = |tags: &[String]| -> Vec<(bool, bool)> {
        tags.iter()
            .map(|t| (opts.ask_tags.contains(t), opts.give_tags.contains(t)))
            .collect()
    };
    let ask_give = |marks: &[(bool, bool)], ids: &[u32]| {
        ids.iter()
            .filter_map(|t| marks.get(*t as usize))
            .fold((false, false), |(a, g), (ma, mg)| (a || *ma, g || *mg))
    };
    // Who each task in range involves, by the checklist's one rule (a task
    // out of range involves nobody).
    let people = Involved::of(net, tagged, |r| in_range(r.note_date.or(r.due)));
    let task_marks = marks(tagged.words());
    for (i, r) in tagged.rows().iter().enumerate() {
        count(people.of_row(i), ask_give(&task_marks, tagged.tags(r)));
    }
    let meeting_marks = marks(&net.tags);
    for m in &net.meetings {
        if in_range(m.date) {
            count(&m.attendees, ask_give(&meeting_marks, &m.tags));
        }
    }
    let mut out: Vec<Reciprocity> = counts
        .into_iter()
        .filter(|(_, (a, g))| a > g)
        .map(|(id, (asks, gives))| Reciprocity {
            id: stable_id(&["reciprocity", net.name(id)]),
            name: net.name(id).to_string(),
            path: net.note(id).map(|n| n.path.clone()),
            asks,
            gives,
        })
        .collect();
    out.sort_by(|a, b| {
        (b.asks - b.gives)
            .cmp(&(a.asks - a.gives))
            .then_with(|| a.name.to_lowercase().cmp(&b.name.to_lowercase()))
            .then_with(|| (&a.name, &a.path).cmp(&(&b.name, &b.path)))
    });
    out
}

/// The quiet internal teams, and how many internal teams there are.
fn quiet_teams(net: &Network, past: &[usize], opts: &Opts) -> (Vec<QuietTeam>, usize) {
    let mut last_met: FxHashMap<PersonId, NaiveDate> = FxHashMap::default();
    for &i in past {
        let m = &net.meetings[i];
        if let Some(d) = m.date {
            for a in &m.attendees {
                let e = last_met.entry(*a).or_insert(d);
                *e = (*e).max(d);
            }
        }
    }
    let mut teams: BTreeMap<String, (String, Vec<String>, Option<NaiveDate>)> = BTreeMap::new();
    for (idx, note) in net.people.iter().enumerate() {
        let f = net.fields(idx as PersonId);
        if f.relation != Some(crate::vault::Relation::Internal) {
            continue;
        }
        let Some(team) = f.team.as_ref().map(|t| t.trim()).filter(|t| !t.is_empty()) else {
            continue;
        };
        let e = teams
            .entry(team.to_lowercase())
            .or_insert_with(|| (team.to_string(), Vec::new(), None));
        e.1.push(note.title.clone());
        e.2 = e.2.max(last_met.get(&(idx as PersonId)).copied());
    }
    let all = teams.len();
    let mut out: Vec<QuietTeam> = teams
        .into_values()
        .filter(|(_, _, last)| {
            last.is_none_or(|l| (opts.as_of - l).num_days() >= opts.quiet_days as i64)
        })
        .map(|(team, mut people, last)| {
            people.sort();
            QuietTeam {
                id: stable_id(&["team", &team.to_lowercase()]),
                team,
                people,
                last_met: last,
            }
        })
        .collect();
    out.sort_by(|a, b| {
        a.last_met
            .cmp(&b.last_met)
            .then_with(|| a.team.cmp(&b.team))
    });
    (out, all)
}

#[cfg(test)]
mod tests;
