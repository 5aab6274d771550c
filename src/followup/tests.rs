//! Tests of the follow-up checklist, on facts built by hand (no index).

use chrono::NaiveDate;

use super::*;
use crate::query::Network;
use crate::query::testkit::*;
use crate::vault::{Kind, Note, TaskRecord, TaskStatus};

const AS_OF: &str = "2024-06-15";

/// The checklist of open tasks given as records (the index gives a table).
fn compute(net: &Network, open: &[TaskRecord], tagged: &[TaskRecord], opts: &Opts) -> Checklist {
    super::compute(net, TaskTable::from(open), &TaskTable::from(tagged), opts)
}

fn opts() -> Opts {
    Opts::new(d(AS_OF))
}

/// Options listing every open task, also those that involve nobody.
fn all_tasks() -> Opts {
    Opts {
        all_tasks: true,
        ..opts()
    }
}

fn due(path: &str, text: &str, date: &str) -> TaskRecord {
    TaskRecord {
        due: Some(d(date)),
        ..task(path, 1, text)
    }
}

// ---------------------------------------------------------------- tasks

#[test]
fn open_tasks_are_ordered_overdue_soon_later_undated() {
    let net = Vault::default().network(Vec::new());
    let tasks = vec![
        TaskRecord {
            note_date: Some(d("2024-06-10")),
            ..task("j/c.md", 1, "undated older note")
        },
        due("a.md", "later", "2024-07-30"),
        due("a.md", "overdue recent", "2024-06-01"),
        due("a.md", "soon", "2024-06-20"),
        TaskRecord {
            status: TaskStatus::Done,
            ..due("a.md", "done", "2024-05-01")
        },
        due("a.md", "just after soon", "2024-06-23"),
        TaskRecord {
            note_date: None,
            ..task("j/e.md", 1, "undated no note date")
        },
        due("a.md", "overdue oldest", "2024-05-01"),
        TaskRecord {
            status: TaskStatus::Cancelled,
            ..task("j/x.md", 1, "cancelled")
        },
        due("a.md", "due today", AS_OF),
        TaskRecord {
            note_date: Some(d("2024-06-12")),
            ..task("j/d.md", 1, "undated newer note")
        },
        due("a.md", "end of soon", "2024-06-22"),
    ];
    let c = compute(&net, &tasks, &[], &all_tasks());
    let texts: Vec<String> = c.tasks.to_vec().iter().map(|t| t.text.clone()).collect();
    assert_eq!(
        texts,
        vec![
            "overdue oldest",
            "overdue recent",
            "due today",
            "soon",
            "end of soon",
            "just after soon",
            "later",
            "undated newer note",
            "undated older note",
            "undated no note date",
        ]
    );
    let overdue: Vec<String> = c
        .tasks
        .iter()
        .filter(|t| t.overdue)
        .map(|t| t.text)
        .collect();
    assert_eq!(overdue, vec!["overdue oldest", "overdue recent"]);
    assert!(c.tasks.iter().all(|t| t.status == TaskStatus::Open));
    assert_eq!(c.as_of, d(AS_OF));
}

#[test]
fn same_due_date_orders_by_path_then_line() {
    let net = Vault::default().network(Vec::new());
    let tasks = vec![
        TaskRecord {
            line: 9,
            ..due("b.md", "b9", "2024-06-01")
        },
        TaskRecord {
            line: 3,
            ..due("b.md", "b3", "2024-06-01")
        },
        TaskRecord {
            line: 1,
            ..due("c.md", "c1", "2024-06-01")
        },
        TaskRecord {
            line: 7,
            ..due("a.md", "a7", "2024-06-01")
        },
    ];
    let c = compute(&net, &tasks, &[], &all_tasks());
    let texts: Vec<String> = c.tasks.to_vec().iter().map(|t| t.text.clone()).collect();
    assert_eq!(texts, vec!["a7", "b3", "b9", "c1"]);
}

#[test]
fn task_items_carry_note_and_people() {
    let mut v = Vault::default();
    v.meeting(
        "2024-06-01",
        &["Ada Lovelace", "Bob Byte", "Guest"],
        &[],
        &[],
        2,
    );
    let net = v.network(vec![
        person("people/ada.md", "name: Ada Lovelace"),
        person("people/bob.md", "name: Bob Byte"),
    ]);
    let attendees = strs(&["Ada Lovelace", "Bob Byte", "Guest"]);
    let tasks = vec![
        TaskRecord {
            attendees: attendees.clone(),
            note_title: "Meeting 0".into(),
            note_date: Some(d("2024-06-01")),
            note_kind: Kind::Meeting,
            ..task("meetings/m0.md", 4, "everyone")
        },
        TaskRecord {
            attendees,
            links: strs(&["people/bob"]),
            note_date: Some(d("2024-05-01")),
            ..task("meetings/m0.md", 5, "just Bob")
        },
    ];
    let c = compute(&net, &tasks, &[], &opts());
    assert_eq!(c.tasks.len(), 2);
    let first = &c.tasks.to_vec()[0];
    assert_eq!(first.text, "everyone");
    assert_eq!(first.people, strs(&["Ada Lovelace", "Bob Byte", "Guest"]));
    assert_eq!(first.note_title, "Meeting 0");
    assert_eq!(first.note_date, Some(d("2024-06-01")));
    assert_eq!((first.path.as_str(), first.line), ("meetings/m0.md", 4));
    assert_eq!(c.tasks.to_vec()[1].people, strs(&["Bob Byte"]));
}

#[test]
fn task_ids_survive_line_changes_and_differ_between_tasks() {
    let net = Vault::default().network(Vec::new());
    let id = |t: TaskRecord| {
        compute(&net, &[t], &[], &all_tasks()).tasks.to_vec()[0]
            .id
            .clone()
    };
    let a = id(task("a.md", 3, "call Ada"));
    assert_eq!(id(task("a.md", 40, "call Ada")), a);
    assert_eq!(id(task("a.md", 3, "  call Ada ")), a);
    assert_ne!(id(task("a.md", 3, "call Bob")), a);
    assert_ne!(id(task("b.md", 3, "call Ada")), a);
}

// ---------------------------------------------------------------- keep in touch

fn keep_in_touch_people() -> Vec<Note> {
    vec![
        person("people/ada.md", "name: Ada Lovelace\ncadence: 7d"),
        person("people/bob.md", "name: Bob Byte\ncadence: 7d"),
        person("people/carol.md", "name: Carol Cache\ncadence: 30d"),
        person("people/dan.md", "name: Dan Drum\ncadence: 7d"),
        person("people/zoe.md", "name: zoe zed\ncadence: weekly"),
        person("people/eve.md", "name: Eve Early"),
        person(
            "people/fay.md",
            "name: Fay Field\ncadence: 7d\nlast_contact: 2024-06-12",
        ),
        person(
            "people/gus.md",
            "name: Gus Gray\ncadence: 7d\nlast_contact: 2024-07-01",
        ),
        person("people/hal.md", "name: Hal Hill\ncadence: 7d"),
    ]
}

fn keep_in_touch_vault() -> Vault {
    let mut v = Vault::default();
    v.meeting("2024-06-14", &["Ada Lovelace"], &[], &[], 1)
        .meeting("2024-06-01", &["Bob Byte"], &[], &[], 1)
        .meeting("2024-04-01", &["Carol Cache"], &[], &[], 1)
        .meeting("2023-01-01", &["Eve Early"], &[], &[], 1)
        .meeting("2024-05-01", &["Fay Field"], &[], &[], 1)
        .meeting("2024-06-01", &["Gus Gray"], &["Alpha"], &[], 1)
        .meeting("2024-06-20", &["Gus Gray"], &["Future"], &[], 1)
        .meeting("2024-06-08", &["Hal Hill"], &[], &[], 1);
    v
}

#[test]
fn keep_in_touch_lists_people_past_their_cadence() {
    let v = keep_in_touch_vault();
    let net = v.network(keep_in_touch_people());
    let c = compute(&net, &[], &[], &opts());
    let names: Vec<&str> = c.keep_in_touch.iter().map(|k| k.name.as_str()).collect();
    // Most overdue first (ties by name), never contacted last (by name).
    // Not listed: Ada (met yesterday), Eve (no cadence), Fay (last_contact
    // recent), Hal (due today, not past due), Gus (due, but a meeting is
    // planned).
    assert_eq!(
        names,
        vec!["Carol Cache", "Bob Byte", "Dan Drum", "zoe zed"]
    );
    let planned: Vec<(&str, Option<NaiveDate>, &str)> = c
        .planned
        .iter()
        .map(|p| (p.name.as_str(), p.meeting.date, p.meeting.path.as_str()))
        .collect();
    assert_eq!(
        planned,
        vec![("Gus Gray", Some(d("2024-06-20")), path(6).as_str())]
    );

    let k = |name: &str| c.keep_in_touch.iter().find(|k| k.name == name).unwrap();
    let carol = k("Carol Cache");
    assert_eq!(carol.cadence_days, 30);
    assert_eq!(carol.last_contact, Some(d("2024-04-01")));
    assert_eq!(carol.days_since, Some(75));
    assert_eq!(carol.overdue_by_days, Some(45));
    assert_eq!(carol.path.as_deref(), Some("people/carol.md"));

    let bob = k("Bob Byte");
    assert_eq!((bob.days_since, bob.overdue_by_days), (Some(14), Some(7)));

    // A meeting and a last_contact after the as-of date are not contact:
    // without the planned meeting, Gus is due as of his last real one.
    let mut v = keep_in_touch_vault();
    v.facts.meetings.remove(6);
    let net = v.network(keep_in_touch_people());
    let c = compute(&net, &[], &[], &opts());
    let k = |name: &str| c.keep_in_touch.iter().find(|k| k.name == name).unwrap();
    let gus = k("Gus Gray");
    assert_eq!(gus.last_contact, Some(d("2024-06-01")));
    assert_eq!((gus.days_since, gus.overdue_by_days), (Some(14), Some(7)));
    let last = gus.context.last_meeting.as_ref().unwrap();
    assert_eq!(last.path, path(5));
    assert_eq!(gus.context.projects, strs(&["Alpha"]));

    let dan = k("Dan Drum");
    assert_eq!(dan.cadence_days, 7);
    assert_eq!(
        (dan.last_contact, dan.days_since, dan.overdue_by_days),
        (None, None, None)
    );
    assert_eq!(dan.context.last_meeting, None);
    assert_eq!(k("zoe zed").cadence_days, 7);
}

#[test]
fn keep_in_touch_becomes_due_the_day_after_the_due_date() {
    let v = keep_in_touch_vault();
    let net = v.network(keep_in_touch_people());
    let next_day = Opts::new(d("2024-06-16"));
    let c = compute(&net, &[], &[], &next_day);
    let hal = c
        .keep_in_touch
        .iter()
        .find(|k| k.name == "Hal Hill")
        .expect("Hal is due on 2024-06-16");
    assert_eq!(hal.overdue_by_days, Some(1));
    assert_eq!(hal.days_since, Some(8));
    // Fay's hand-written last contact (06-12) is due on 06-19.
    assert!(c.keep_in_touch.iter().all(|k| k.name != "Fay Field"));
    let later = compute(&net, &[], &[], &Opts::new(d("2024-06-20")));
    let fay = later
        .keep_in_touch
        .iter()
        .find(|k| k.name == "Fay Field")
        .expect("Fay is due on 2024-06-20");
    assert_eq!(fay.last_contact, Some(d("2024-06-12")));
    assert_eq!(fay.overdue_by_days, Some(1));
}

#[test]
fn keep_in_touch_context() {
    let mut v = Vault::default();
    v.meeting(
        "2024-05-01",
        &["Bob Byte", "Ada Lovelace"],
        &["Alpha", "Beta"],
        &[],
        1,
    )
    .meeting("2024-06-01", &["people/bob"], &["Beta"], &[], 1)
    .meeting("2024-06-01", &["Ada Lovelace"], &["Gamma"], &[], 1);
    let net = v.network(vec![
        person("people/ada.md", "name: Ada Lovelace"),
        person(
            "people/bob.md",
            "name: Bob Byte\ncadence: 7d\ninterests: [chess, sailing]",
        ),
    ]);
    let both = strs(&["Bob Byte", "Ada Lovelace"]);
    let open = vec![
        TaskRecord {
            links: strs(&["Bob Byte"]),
            ..task("j/1.md", 1, "send Bob the deck")
        },
        TaskRecord {
            attendees: both.clone(),
            ..task("meetings/m0.md", 5, "book a room")
        },
        TaskRecord {
            attendees: both,
            links: strs(&["Ada Lovelace"]),
            ..task("meetings/m0.md", 6, "ask Ada")
        },
        TaskRecord {
            links: strs(&["Ada Lovelace"]),
            ..task("j/2.md", 1, "unrelated")
        },
    ];
    let c = compute(&net, &open, &[], &opts());
    assert_eq!(c.keep_in_touch.len(), 1);
    let bob = &c.keep_in_touch[0];
    assert_eq!(bob.name, "Bob Byte");
    assert_eq!(
        bob.context,
        Context {
            last_meeting: Some(MeetingRef {
                title: "Meeting 1".into(),
                date: Some(d("2024-06-01")),
                path: path(1)
            }),
            projects: strs(&["Beta", "Alpha"]),
            open_tasks: strs(&["send Bob the deck", "book a room"]),
            interests: strs(&["chess", "sailing"]),
        }
    );
}

#[test]
fn keep_in_touch_id_is_stable_until_the_next_contact() {
    let mut v = Vault::default();
    v.meeting("2024-06-01", &["Bob Byte"], &[], &[], 1);
    let people = || vec![person("people/bob.md", "name: Bob Byte\ncadence: 7d")];
    let net = v.network(people());
    let id_on = |net: &Network, day: &str| {
        compute(net, &[], &[], &Opts::new(d(day))).keep_in_touch[0]
            .id
            .clone()
    };
    let first = id_on(&net, "2024-06-15");
    assert_eq!(id_on(&net, "2024-06-20"), first);

    v.meeting("2024-06-10", &["Bob Byte"], &[], &[], 1);
    let net = v.network(people());
    assert_ne!(id_on(&net, "2024-06-20"), first);
}

// ---------------------------------------------------------------- unfollowed

#[test]
fn unfollowed_meetings_are_recent_meetings_without_tasks() {
    let mut v = Vault::default();
    v.meeting("2024-06-10", &["Ada Lovelace", "Guest"], &["Alpha"], &[], 0) // listed
        .meeting("2024-06-12", &["Ada Lovelace"], &[], &[], 2) // has tasks
        .meeting("2024-05-16", &["Ada Lovelace"], &[], &[], 0) // first day of the window
        .meeting("2024-05-15", &["Ada Lovelace"], &[], &[], 0) // before the window
        .meeting("2024-06-20", &["Ada Lovelace"], &[], &[], 0) // after as-of
        .meeting("", &["Ada Lovelace"], &[], &[], 0) // undated
        .meeting(AS_OF, &[], &[], &[], 0); // today
    let net = v.network(vec![person("people/ada.md", "name: Ada Lovelace")]);
    let c = compute(&net, &[], &[], &opts());
    let paths: Vec<&str> = c
        .unfollowed_meetings
        .iter()
        .map(|u| u.path.as_str())
        .collect();
    assert_eq!(paths, vec![path(6), path(0), path(2)]);
    let m = &c.unfollowed_meetings[1];
    assert_eq!(m.title, "Meeting 0");
    assert_eq!(m.date, Some(d("2024-06-10")));
    assert_eq!(m.attendees, strs(&["Ada Lovelace", "Guest"]));
    assert_eq!(m.projects, strs(&["Alpha"]));
    assert_ne!(c.unfollowed_meetings[0].id, c.unfollowed_meetings[1].id);

    // A shorter window drops the older one.
    let narrow = Opts {
        window_days: 7,
        ..opts()
    };
    let c = compute(&net, &[], &[], &narrow);
    let paths: Vec<&str> = c
        .unfollowed_meetings
        .iter()
        .map(|u| u.path.as_str())
        .collect();
    assert_eq!(paths, vec![path(6), path(0)]);
}

// ---------------------------------------------------------------- reciprocity

fn tagged(path: &str, text: &str, tags: &[&str], note_date: &str) -> TaskRecord {
    TaskRecord {
        tags: strs(tags),
        note_date: (!note_date.is_empty()).then(|| d(note_date)),
        ..task(path, 1, text)
    }
}

#[test]
fn reciprocity_counts_asks_and_gives() {
    let mut v = Vault::default();
    v.meeting(
        "2024-04-01",
        &["Ada Lovelace", "Carol Cache"],
        &[],
        &["ask"],
        0,
    )
    .meeting("2024-04-02", &["Carol Cache"], &[], &["give"], 0)
    .meeting("2024-05-01", &["Unknown Guest"], &[], &["ask", "intro"], 0)
    .meeting("2024-07-01", &["Dan Drum"], &[], &["ask"], 0) // after as-of
    .meeting("2023-06-15", &["Dan Drum"], &[], &["ask"], 0) // 366 days before
    .meeting("2024-05-02", &["Fay Field"], &[], &["intro"], 0);
    let net = v.network(vec![
        person("people/ada.md", "name: Ada Lovelace"),
        person("people/bob.md", "name: Bob Byte"),
        person("people/carol.md", "name: Carol Cache"),
        person("people/dan.md", "name: Dan Drum"),
        person("people/eve.md", "name: Eve Early"),
        person("people/fay.md", "name: Fay Field"),
    ]);
    let both = strs(&["Ada Lovelace", "Bob Byte"]);
    let records = vec![
        // Linked people take the ask, not the meeting's attendees.
        TaskRecord {
            links: strs(&["Bob Byte"]),
            attendees: both.clone(),
            ..tagged("meetings/x.md", "ask Bob", &["ask"], "2024-06-01")
        },
        TaskRecord {
            status: TaskStatus::Done,
            links: strs(&["people/bob"]),
            ..tagged("j/1.md", "ask Bob again", &["ask"], "2024-03-01")
        },
        TaskRecord {
            links: strs(&["Bob Byte"]),
            ..tagged("j/2.md", "give Bob", &["give"], "2024-02-01")
        },
        // No links: the meeting's attendees.
        TaskRecord {
            attendees: strs(&["Ada Lovelace"]),
            ..tagged("meetings/y.md", "ask Ada", &["ask"], "2024-05-01")
        },
        // Too old.
        TaskRecord {
            links: strs(&["Dan Drum"]),
            ..tagged("j/3.md", "old ask", &["ask"], "2023-01-01")
        },
        // No note date: the due date decides.
        TaskRecord {
            links: strs(&["Eve Early"]),
            due: Some(d("2024-06-01")),
            ..tagged("j/4.md", "ask Eve", &["ask"], "")
        },
        // Both an ask and a give.
        TaskRecord {
            links: strs(&["Fay Field"]),
            ..tagged("j/5.md", "swap", &["ask", "give"], "2024-06-01")
        },
    ];
    let c = compute(&net, &[], &records, &opts());
    let got: Vec<(&str, u32, u32)> = c
        .reciprocity
        .iter()
        .map(|r| (r.name.as_str(), r.asks, r.gives))
        .collect();
    assert_eq!(
        got,
        vec![
            ("Ada Lovelace", 2, 0),
            ("Bob Byte", 2, 1),
            ("Eve Early", 1, 0),
            ("Unknown Guest", 1, 0)
        ]
    );
    let guest = c
        .reciprocity
        .iter()
        .find(|r| r.name == "Unknown Guest")
        .unwrap();
    assert_eq!(guest.path, None);
    assert_eq!(c.reciprocity[0].path.as_deref(), Some("people/ada.md"));

    // The asks and gives counted with the network's part (while the open
    // tasks are read) or after them: the same checklist, tasks and all.
    let with_open = |part: fn(&Network, &TaskTable) -> NetworkPart| {
        let (open, tagged) = (TaskTable::from(&records[..]), TaskTable::from(&records[..]));
        let plan = plan_tasks(&net, &open, &all_tasks());
        let part = part(&net, &tagged);
        compute_planned(&net, open, plan, part, &tagged, &all_tasks())
    };
    let early = with_open(|net, tagged| network_part(net, Some(tagged), &all_tasks()));
    let late = with_open(|net, _| network_part(net, None, &all_tasks()));
    assert_eq!(early.reciprocity, c.reciprocity);
    assert_eq!(early.tasks.len(), 6);
    assert_eq!(late, early);
}

#[test]
fn reciprocity_uses_the_configured_tags_and_window() {
    let mut v = Vault::default();
    v.meeting("2024-06-01", &["Ada Lovelace"], &[], &["favour"], 0)
        .meeting("2024-03-01", &["Ada Lovelace"], &[], &["favour"], 0);
    let net = v.network(vec![person("people/ada.md", "name: Ada Lovelace")]);
    assert!(compute(&net, &[], &[], &opts()).reciprocity.is_empty());
    let custom = Opts {
        ask_tags: strs(&["favour"]),
        ..opts()
    };
    let c = compute(&net, &[], &[], &custom);
    assert_eq!(c.reciprocity.len(), 1);
    assert_eq!(c.reciprocity[0].asks, 2);
    let short = Opts {
        reciprocity_days: 30,
        ..custom
    };
    assert_eq!(compute(&net, &[], &[], &short).reciprocity[0].asks, 1);
}

// ---------------------------------------------------------------- quiet teams

#[test]
fn quiet_teams_are_internal_teams_not_met_for_a_while() {
    let mut v = Vault::default();
    v.meeting("2024-06-01", &["Ada Lovelace"], &[], &[], 1)
        .meeting("2024-01-01", &["Bob Byte"], &[], &[], 1)
        .meeting("2024-03-17", &["Fay Field"], &[], &[], 1) // 90 days before
        .meeting("2024-03-18", &["Hal Hill"], &[], &[], 1) // 89 days before
        .meeting("2024-07-01", &["Gus Gray"], &[], &[], 1) // after as-of
        .meeting("2023-01-01", &["Eve Early"], &[], &[], 1);
    let net = v.network(vec![
        person(
            "people/ada.md",
            "name: Ada Lovelace\nrelation: internal\nteam: Finance",
        ),
        person(
            "people/bob.md",
            "name: Bob Byte\nrelation: internal\nteam: Legal",
        ),
        person(
            "people/carol.md",
            "name: Carol Cache\nrelation: internal\nteam: legal",
        ),
        person(
            "people/dan.md",
            "name: Dan Drum\nrelation: internal\nteam: Ops",
        ),
        person(
            "people/eve.md",
            "name: Eve Early\nrelation: external\nteam: Sales",
        ),
        person(
            "people/fay.md",
            "name: Fay Field\nrelation: internal\nteam: Research",
        ),
        person(
            "people/gus.md",
            "name: Gus Gray\nrelation: internal\nteam: Design",
        ),
        person(
            "people/hal.md",
            "name: Hal Hill\nrelation: internal\nteam: Support",
        ),
        person("people/ian.md", "name: Ian Ink\nteam: Sales"),
        person("people/jo.md", "name: Jo Jones\nrelation: internal"),
    ]);
    let c = compute(&net, &[], &[], &opts());
    let got: Vec<(&str, Vec<String>, Option<NaiveDate>)> = c
        .quiet_teams
        .iter()
        .map(|t| (t.team.as_str(), t.people.clone(), t.last_met))
        .collect();
    assert_eq!(
        got,
        vec![
            // Never met first, by name.
            ("Design", strs(&["Gus Gray"]), None),
            ("Ops", strs(&["Dan Drum"]), None),
            // Then longest quiet first.
            (
                "Legal",
                strs(&["Bob Byte", "Carol Cache"]),
                Some(d("2024-01-01"))
            ),
            ("Research", strs(&["Fay Field"]), Some(d("2024-03-17"))),
        ]
    );
    let ids: std::collections::HashSet<&str> =
        c.quiet_teams.iter().map(|t| t.id.as_str()).collect();
    assert_eq!(ids.len(), 4);
}

// ---------------------------------------------------------------- ids

#[test]
fn stable_id_is_stable_and_distinguishes_inputs() {
    let a = stable_id(&["task", "a.md", "call Ada"]);
    assert_eq!(a, stable_id(&["task", "a.md", "call Ada"]));
    assert_eq!(a.len(), 12);
    assert!(
        a.chars()
            .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase()),
        "{a}"
    );
    assert_ne!(a, stable_id(&["task", "a.md", "call Bob"]));
    assert_ne!(a, stable_id(&["meeting", "a.md", "call Ada"]));
    // Parts are separated, not concatenated.
    assert_ne!(stable_id(&["ab", "c"]), stable_id(&["a", "bc"]));
    assert_ne!(stable_id(&["abc"]), stable_id(&["ab", "c"]));
    assert_ne!(stable_id(&[]), stable_id(&[""]));
    // Checklist files keep ids across versions: the hash never changes.
    assert_eq!(a, "7fa505ebe802");
    assert_eq!(stable_id(&[]), "9ce484222325");
    assert_eq!(stable_id(&["é"]), "231c1dfafbb3");
}

// ------------------------------------------------ tasks about people only

#[test]
fn the_task_section_holds_tasks_that_involve_a_person_and_counts_the_rest() {
    let mut v = Vault::default();
    v.meeting("2024-06-01", &["Ada Lovelace"], &[], &[], 1);
    v.meeting("2024-06-02", &[], &[], &[], 1);
    let net = v.network(vec![person("people/ada.md", "name: Ada Lovelace")]);
    let tasks = vec![
        // In a meeting with attendees: involves them.
        TaskRecord {
            attendees: strs(&["Ada Lovelace"]),
            note_kind: Kind::Meeting,
            ..task("meetings/m0.md", 4, "send the deck")
        },
        // Links a person note.
        TaskRecord {
            links: strs(&["people/ada"]),
            ..task("journal/j.md", 2, "ask [[people/ada|Ada]] 📅 2024-06-20")
        },
        // In a meeting nobody attended, a link to a note that is no person,
        // and a plain to-do: involve nobody.
        TaskRecord {
            note_kind: Kind::Meeting,
            ..task("meetings/m1.md", 4, "book a room")
        },
        TaskRecord {
            links: strs(&["Project Atlas"]),
            ..task("journal/j.md", 3, "update [[Project Atlas]]")
        },
        task("todo.md", 1, "buy milk"),
    ];
    let c = compute(&net, &tasks, &[], &opts());
    let texts: Vec<String> = c.tasks.to_vec().iter().map(|t| t.text.clone()).collect();
    // The text is clean: the link is its label, the signifier is gone.
    assert_eq!(texts, vec!["ask Ada", "send the deck"]);
    assert_eq!(c.other_open_tasks, 3);

    let all = compute(&net, &tasks, &[], &all_tasks());
    assert_eq!(all.tasks.len(), 5);
    assert_eq!(all.other_open_tasks, 0);
    assert!(all.tasks.iter().any(|t| t.text == "update Project Atlas"));
}

#[test]
fn keep_in_touch_dates_within_the_window_ahead_are_listed_apart() {
    let mut v = Vault::default();
    v.meeting("2024-06-10", &["Ada Lovelace"], &[], &[], 1);
    v.meeting("2024-06-01", &["Bob Byte"], &[], &[], 1);
    v.meeting("2024-06-14", &["Carol Cache"], &[], &[], 1);
    let net = v.network(vec![
        // Due 2024-06-17: ahead.
        person("people/ada.md", "name: Ada Lovelace\ncadence: 7d"),
        // Due 2024-06-08: overdue.
        person("people/bob.md", "name: Bob Byte\ncadence: 7d"),
        // Due 2024-09-12: beyond a 30-day window.
        person("people/carol.md", "name: Carol Cache\ncadence: 90d"),
        // Due 2024-06-15, the as-of day itself: not overdue yet, so ahead.
        person(
            "people/dan.md",
            "name: Dan Drum\ncadence: 5d\nlast_contact: 2024-06-10",
        ),
    ]);
    let c = compute(&net, &[], &[], &opts());
    let names =
        |list: &[KeepInTouch]| -> Vec<String> { list.iter().map(|k| k.name.clone()).collect() };
    assert_eq!(names(&c.keep_in_touch), strs(&["Bob Byte"]));
    assert_eq!(
        names(&c.keep_in_touch_ahead),
        strs(&["Dan Drum", "Ada Lovelace"])
    );
    assert_eq!(c.keep_in_touch_ahead[1].overdue_by_days, Some(-2));
    let narrow = Opts {
        keep_in_touch_ahead_days: 1,
        ..opts()
    };
    assert_eq!(
        names(&compute(&net, &[], &[], &narrow).keep_in_touch_ahead),
        strs(&["Dan Drum"])
    );
}

#[test]
fn a_meeting_planned_keeps_someone_out_of_the_list_ahead() {
    let mut v = Vault::default();
    v.meeting("2024-06-10", &["Ada Lovelace"], &[], &[], 1);
    v.meeting("2024-06-10", &["Bob Byte"], &[], &[], 1);
    // Planned after Ada's due date (2024-06-17): still planned.
    v.meeting("2024-06-30", &["Ada Lovelace"], &[], &[], 1);
    let net = v.network(vec![
        person("people/ada.md", "name: Ada Lovelace\ncadence: 7d"),
        person("people/bob.md", "name: Bob Byte\ncadence: 7d"),
    ]);
    let c = compute(&net, &[], &[], &opts());
    let names: Vec<&str> = c
        .keep_in_touch_ahead
        .iter()
        .map(|k| k.name.as_str())
        .collect();
    assert_eq!(names, ["Bob Byte"]);
    // Not due yet, so not among those the checklist names as planned.
    assert!(c.keep_in_touch.is_empty());
    assert!(c.planned.is_empty(), "{:?}", c.planned);
}
