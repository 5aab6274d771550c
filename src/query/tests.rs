//! Tests of the networking questions, on facts built by hand (no index).

use super::*;
use crate::query::testkit::*;
use crate::vault::{Note, Relation, TaskRecord, TaskStatus};

fn ada() -> Note {
    person(
        "people/ada.md",
        "name: Ada Lovelace\naliases: [Ada]\nemail: ada@example.com\ncadence: 7d\nrelation: internal\nteam: Finance\norg: Analytical Engines Ltd\ntags: [math, friend]\ninterests: [poetry, looms]",
    )
}

fn bob() -> Note {
    person(
        "people/bob.md",
        "name: Bob Byte\nrelation: external\norg: Byte Shop\nteam: Sales\ntags: [vendor]",
    )
}

fn carol() -> Note {
    person(
        "people/carol.md",
        "name: Carol Cache\nrelation: internal\nteam: finance",
    )
}

fn names(rows: &[PersonRow]) -> Vec<&str> {
    rows.iter().map(|r| r.name.as_str()).collect()
}

fn row<'a>(rows: &'a [PersonRow], name: &str) -> &'a PersonRow {
    rows.iter()
        .find(|r| r.name == name)
        .unwrap_or_else(|| panic!("no row for {name}: {:?}", names(rows)))
}

fn id_of(net: &Network, reference: &str) -> PersonId {
    net.lookup(reference)
        .unwrap_or_else(|| panic!("{reference} not found"))
}

// ---------------------------------------------------------------- resolving

#[test]
fn every_reference_form_is_one_person_counted_once_per_meeting() {
    let mut v = Vault::default();
    v.meeting("2024-01-01", &["Ada Lovelace", "people/ada"], &[], &[], 0)
        .meeting(
            "2024-01-02",
            &["ADA", "ada@example.com", "Ada"],
            &[],
            &[],
            0,
        )
        .meeting(
            "2024-01-03",
            &[
                "ada lovelace",
                "people/ada.md",
                "ada",
                "ADA@EXAMPLE.COM",
                "Ada  Lovelace",
            ],
            &[],
            &[],
            0,
        );
    let net = Network::new(vec![ada(), bob()], &v.facts, None);

    assert!(net.unknown.is_empty(), "{:?}", net.unknown);
    assert_eq!(net.ref_ids.len(), v.facts.refs.len());
    assert!(net.ref_ids.iter().all(|id| *id == 0), "{:?}", net.ref_ids);
    for m in &net.meetings {
        assert_eq!(*m.attendees, [0], "{}", m.path);
    }
    let rows = people(&net, &PeopleOpts::default(), false);
    let ada_row = row(&rows, "Ada Lovelace");
    assert_eq!(ada_row.meetings, 3);
    assert_eq!(ada_row.last_met, Some(d("2024-01-03")));
    assert_eq!(ada_row.path.as_deref(), Some("people/ada.md"));
    assert_eq!(row(&rows, "Bob Byte").meetings, 0);
    assert_eq!(rows.len(), 2);
}

#[test]
fn unresolved_attendees_are_rows_without_a_path() {
    let mut v = Vault::default();
    v.meeting(
        "2024-02-01",
        &["Ada", "Unknown Guest"],
        &["Project X"],
        &[],
        0,
    )
    .meeting("2024-02-05", &["unknown  GUEST"], &[], &[], 0);
    let net = Network::new(vec![ada(), bob()], &v.facts, None);

    assert_eq!(net.unknown, vec!["Unknown Guest".to_string()]);
    assert_eq!(net.len(), 3);
    let guest = id_of(&net, "Unknown Guest");
    assert_eq!(guest, 2);
    assert_eq!(net.lookup("unknown guest"), Some(guest));
    assert_eq!(net.name(guest), "Unknown Guest");
    assert_eq!(net.fields(guest), PersonFields::default());

    let rows = people(&net, &PeopleOpts::default(), false);
    assert_eq!(
        names(&rows),
        vec!["Unknown Guest", "Ada Lovelace", "Bob Byte"]
    );
    let g = row(&rows, "Unknown Guest");
    assert_eq!(g.path, None);
    assert_eq!(g.meetings, 2);
    assert_eq!(g.last_met, Some(d("2024-02-05")));
    assert_eq!(g.projects, vec!["Project X".to_string()]);
    assert!(g.tags.is_empty());
    assert_eq!(g.org, None);
}

#[test]
fn an_ambiguous_alias_is_an_unknown_person() {
    let al_a = person("people/al-a.md", "name: Al Able\naliases: [Al]");
    let al_b = person("people/al-b.md", "name: Al Baker\naliases: [Al]");
    let mut v = Vault::default();
    v.meeting("2024-01-01", &["Al"], &[], &[], 0);
    let net = Network::new(vec![al_a, al_b], &v.facts, None);

    assert_eq!(net.unknown, vec!["Al".to_string()]);
    let rows = people(&net, &PeopleOpts::default(), false);
    let al = row(&rows, "Al");
    assert_eq!(al.path, None);
    assert_eq!(al.meetings, 1);
    assert_eq!(row(&rows, "Al Able").meetings, 0);
    assert_eq!(row(&rows, "Al Baker").meetings, 0);
}

#[test]
fn intern_and_lookup_of_unknown_people() {
    let v = Vault::default();
    let mut net = Network::new(vec![ada()], &v.facts, None);
    assert_eq!(net.lookup("Nobody Here"), None);
    assert_eq!(net.lookup("ada@example.com"), Some(0));
    let id = net.intern("  Nobody Here ");
    assert_eq!(id, 1);
    assert_eq!(net.intern("nobody here"), id);
    assert_eq!(net.lookup("NOBODY HERE"), Some(id));
    assert_eq!(net.name(id), "Nobody Here");
    assert_eq!(net.note(id), None);
    let other = net.intern("Somebody Else");
    assert_eq!(other, 2);
    assert_eq!(net.len(), 3);
    assert!(!net.is_empty());
    assert_eq!(net.intern("Ada Lovelace"), 0);
    assert_eq!(net.len(), 3);
}

#[test]
fn someone_without_a_note_has_one_name_whatever_the_order() {
    let v = Vault::default();
    let shown = |order: &[&str]| {
        let mut net = Network::new(vec![ada()], &v.facts, None);
        let ids: Vec<PersonId> = order.iter().map(|s| net.intern(s)).collect();
        assert!(ids.iter().all(|id| *id == ids[0]), "{ids:?}");
        net.name(ids[0]).to_string()
    };
    let spellings = [
        "GRACE HOPPER",
        "grace hopper",
        "Grace hopper",
        "Grace Hopper",
    ];
    for a in spellings {
        for b in spellings {
            assert_eq!(shown(&[a, b]), shown(&[b, a]), "{a:?} {b:?}");
        }
    }
    // A name written in capitals and small letters over one that is not.
    assert_eq!(shown(&["GRACE HOPPER", "Grace hopper"]), "Grace hopper");
    assert_eq!(shown(&["Grace Hopper", "grace hopper"]), "Grace Hopper");
    assert_eq!(shown(&["grace hopper", "GRACE HOPPER"]), "GRACE HOPPER");
}

// ---------------------------------------------------------------- projects

#[test]
fn project_filter_normalises_names() {
    let mut v = Vault::default();
    v.meeting("2024-01-01", &["Ada"], &["Project X"], &[], 0)
        .meeting("2024-01-02", &["Ada"], &["[[project-x]]"], &[], 0)
        .meeting("2024-01-03", &["Ada"], &["project_x", "Other"], &[], 0)
        .meeting("2024-01-04", &["Ada"], &["Project Y"], &[], 0)
        .meeting("2024-01-05", &["Ada"], &[], &[], 0);

    for filter in [
        "project_x",
        "Project X",
        "[[project-x]]",
        "PROJECT-X",
        "  project   x ",
    ] {
        let net = Network::new(vec![ada()], &v.facts, Some(filter));
        let paths: Vec<&str> = net.meetings.iter().map(|m| m.path.as_str()).collect();
        assert_eq!(paths, vec![path(0), path(1), path(2)], "filter {filter:?}");
        // The three spellings are one project, shown as first written.
        assert_eq!(net.meetings[0].projects, net.meetings[1].projects);
        assert_eq!(
            net.projects[net.meetings[1].projects[0] as usize],
            "Project X"
        );
        assert_eq!(net.meetings[2].projects.len(), 2);
    }

    let all = Network::new(vec![ada()], &v.facts, None);
    assert_eq!(all.meetings.len(), 5);
    assert_eq!(all.projects, strs(&["Project X", "Other", "Project Y"]));
    assert_eq!(all.project_keys, strs(&["project-x", "other", "project-y"]));

    // A prefix is not the project.
    assert!(
        Network::new(vec![ada()], &v.facts, Some("Project"))
            .meetings
            .is_empty()
    );
}

#[test]
fn meeting_counts_and_last_met_are_over_matching_meetings_only() {
    let mut v = Vault::default();
    v.meeting("2024-01-10", &["Ada"], &["Project X"], &[], 0)
        .meeting("2024-03-01", &["Ada"], &["Project Y"], &[], 0)
        .meeting("2024-02-01", &["Ada", "Bob Byte"], &["project-x"], &[], 0);

    let x = Network::new(vec![ada(), bob()], &v.facts, Some("project x"));
    let rows = people(&x, &PeopleOpts::default(), true);
    assert_eq!(names(&rows), vec!["Ada Lovelace", "Bob Byte"]);
    let a = row(&rows, "Ada Lovelace");
    assert_eq!((a.meetings, a.last_met), (2, Some(d("2024-02-01"))));
    assert_eq!(a.projects, strs(&["Project X"]));
    assert_eq!(row(&rows, "Bob Byte").meetings, 1);

    let all = Network::new(vec![ada(), bob()], &v.facts, None);
    let rows = people(&all, &PeopleOpts::default(), false);
    let a = row(&rows, "Ada Lovelace");
    assert_eq!((a.meetings, a.last_met), (3, Some(d("2024-03-01"))));
    assert_eq!(a.projects, strs(&["Project X", "Project Y"]));
}

#[test]
fn row_projects_are_most_frequent_first_then_by_name() {
    let mut v = Vault::default();
    v.meeting("2024-01-01", &["Ada"], &["Zeta", "Beta"], &[], 0)
        .meeting("2024-01-02", &["Ada"], &["Zeta", "Alpha"], &[], 0);
    let net = Network::new(vec![ada()], &v.facts, None);
    let rows = people(&net, &PeopleOpts::default(), false);
    assert_eq!(rows[0].projects, strs(&["Zeta", "Alpha", "Beta"]));
}

// ---------------------------------------------------------------- people

#[test]
fn people_sort_most_recently_met_first_then_by_name() {
    let zed = person("people/zed.md", "name: Zed Zero");
    let eve = person("people/eve.md", "name: eve early");
    let mut v = Vault::default();
    v.meeting("2024-02-01", &["Carol Cache"], &[], &[], 0)
        .meeting("2024-03-01", &["Bob Byte"], &[], &[], 0)
        .meeting("2024-03-01", &["Ada"], &[], &[], 0)
        .meeting("2024-01-01", &["Bob Byte"], &[], &[], 0);
    let net = Network::new(vec![zed, carol(), bob(), eve, ada()], &v.facts, None);
    let rows = people(&net, &PeopleOpts::default(), false);
    assert_eq!(
        names(&rows),
        vec![
            "Ada Lovelace",
            "Bob Byte",
            "Carol Cache",
            "eve early",
            "Zed Zero"
        ]
    );
    assert_eq!(row(&rows, "Bob Byte").meetings, 2);
    assert_eq!(row(&rows, "Bob Byte").last_met, Some(d("2024-03-01")));
    assert_eq!(row(&rows, "Zed Zero").last_met, None);
}

#[test]
fn people_filters_on_tag_org_team_relation_and_met() {
    let mut v = Vault::default();
    v.meeting("2024-01-01", &["Ada"], &[], &[], 0).meeting(
        "2024-01-02",
        &["Bob Byte"],
        &[],
        &[],
        0,
    );
    let net = Network::new(vec![ada(), bob(), carol()], &v.facts, None);
    let q = |opts: PeopleOpts| -> Vec<String> {
        people(&net, &opts, false)
            .into_iter()
            .map(|r| r.name)
            .collect()
    };

    // Everyone, when nothing filters.
    assert_eq!(
        q(PeopleOpts::default()),
        strs(&["Bob Byte", "Ada Lovelace", "Carol Cache"])
    );

    assert_eq!(
        q(PeopleOpts {
            tag: Some("#Math".into()),
            ..Default::default()
        }),
        strs(&["Ada Lovelace"])
    );
    assert_eq!(
        q(PeopleOpts {
            tag: Some("vendor".into()),
            ..Default::default()
        }),
        strs(&["Bob Byte"])
    );
    assert!(
        q(PeopleOpts {
            tag: Some("mat".into()),
            ..Default::default()
        })
        .is_empty()
    );

    assert_eq!(
        q(PeopleOpts {
            org: Some("ENGINES".into()),
            ..Default::default()
        }),
        strs(&["Ada Lovelace"])
    );
    assert_eq!(
        q(PeopleOpts {
            org: Some("shop".into()),
            ..Default::default()
        }),
        strs(&["Bob Byte"])
    );
    // Substring of both orgs; Carol has no org.
    assert_eq!(
        q(PeopleOpts {
            org: Some("y".into()),
            ..Default::default()
        }),
        strs(&["Bob Byte", "Ada Lovelace"])
    );

    assert_eq!(
        q(PeopleOpts {
            team: Some("FINANCE".into()),
            ..Default::default()
        }),
        strs(&["Ada Lovelace", "Carol Cache"])
    );
    assert!(
        q(PeopleOpts {
            team: Some("fin".into()),
            ..Default::default()
        })
        .is_empty()
    );

    assert_eq!(
        q(PeopleOpts {
            relation: Some(Relation::Internal),
            ..Default::default()
        }),
        strs(&["Ada Lovelace", "Carol Cache"])
    );
    assert_eq!(
        q(PeopleOpts {
            relation: Some(Relation::External),
            ..Default::default()
        }),
        strs(&["Bob Byte"])
    );

    assert_eq!(
        q(PeopleOpts {
            met: Some(true),
            ..Default::default()
        }),
        strs(&["Bob Byte", "Ada Lovelace"])
    );
    assert_eq!(
        q(PeopleOpts {
            met: Some(false),
            ..Default::default()
        }),
        strs(&["Carol Cache"])
    );

    assert_eq!(
        q(PeopleOpts {
            team: Some("finance".into()),
            met: Some(true),
            ..Default::default()
        }),
        strs(&["Ada Lovelace"])
    );

    let rows = people(&net, &PeopleOpts::default(), false);
    let a = row(&rows, "Ada Lovelace");
    assert_eq!(a.org.as_deref(), Some("Analytical Engines Ltd"));
    assert_eq!(a.team.as_deref(), Some("Finance"));
    assert_eq!(a.relation, Some(Relation::Internal));
    assert_eq!(a.tags, strs(&["friend", "math"]));
}

#[test]
fn narrowed_lists_only_people_in_matching_meetings() {
    let mut v = Vault::default();
    v.meeting("2024-01-01", &["Ada", "Guest One"], &["Project X"], &[], 0)
        .meeting(
            "2024-01-05",
            &["Bob Byte", "Guest Two"],
            &["Project Y"],
            &[],
            0,
        );
    let net = Network::new(vec![ada(), bob(), carol()], &v.facts, Some("Project X"));
    let q = |opts: PeopleOpts, narrowed: bool| -> Vec<String> {
        people(&net, &opts, narrowed)
            .into_iter()
            .map(|r| r.name)
            .collect()
    };

    assert_eq!(
        q(PeopleOpts::default(), true),
        strs(&["Ada Lovelace", "Guest One"])
    );
    assert_eq!(
        q(
            PeopleOpts {
                met: Some(true),
                ..Default::default()
            },
            true
        ),
        strs(&["Ada Lovelace", "Guest One"])
    );
    // Never met in the matching meetings: person notes only, not Guest Two.
    assert_eq!(
        q(
            PeopleOpts {
                met: Some(false),
                ..Default::default()
            },
            true
        ),
        strs(&["Bob Byte", "Carol Cache"])
    );
    // Not narrowed: every person note, and unknown people only if met.
    assert_eq!(
        q(PeopleOpts::default(), false),
        strs(&["Ada Lovelace", "Guest One", "Bob Byte", "Carol Cache"])
    );
}

#[test]
fn meeting_opts_narrow() {
    assert!(!MeetingOpts::default().narrows());
    assert!(
        MeetingOpts {
            project: Some("x".into()),
            ..Default::default()
        }
        .narrows()
    );
    assert!(
        MeetingOpts {
            about: Some("x".into()),
            ..Default::default()
        }
        .narrows()
    );
    assert!(
        MeetingOpts {
            since: Some(d("2024-01-01")),
            ..Default::default()
        }
        .narrows()
    );
    assert!(
        MeetingOpts {
            until: Some(d("2024-01-01")),
            ..Default::default()
        }
        .narrows()
    );
}

// ---------------------------------------------------------------- meetings

#[test]
fn meetings_newest_first_optionally_of_one_person() {
    let mut v = Vault::default();
    v.meeting(
        "2024-01-01",
        &["Ada", "Bob Byte", "Ada Lovelace"],
        &["Project X"],
        &["intro"],
        2,
    )
    .meeting("2024-03-01", &["Ada"], &[], &[], 0)
    .meeting("2024-02-01", &["Bob Byte"], &[], &[], 0)
    .meeting("", &["Ada"], &[], &[], 0)
    .meeting("2024-03-01", &["Ada"], &[], &[], 1);
    let net = Network::new(vec![ada(), bob()], &v.facts, None);

    let paths = |rows: Vec<MeetingRow>| rows.into_iter().map(|r| r.path).collect::<Vec<_>>();
    assert_eq!(
        paths(meetings(&net, Some(0))),
        vec![path(1), path(4), path(0), path(3)]
    );
    assert_eq!(paths(meetings(&net, Some(1))), vec![path(2), path(0)]);
    assert_eq!(
        paths(meetings(&net, None)),
        vec![path(1), path(4), path(2), path(0), path(3)]
    );
    assert!(meetings(&net, Some(99)).is_empty());

    let rows = meetings(&net, Some(1));
    let first = &rows[1];
    assert_eq!(first.date, Some(d("2024-01-01")));
    assert_eq!(first.title, "Meeting 0");
    assert_eq!(first.attendees, strs(&["Ada Lovelace", "Bob Byte"]));
    assert_eq!(first.projects, strs(&["Project X"]));
    assert_eq!(first.tags, strs(&["intro"]));
    assert_eq!(first.open_tasks, 2);
}

// ---------------------------------------------------------------- profile

#[test]
fn next_due_is_last_contact_plus_cadence() {
    let today = d("2024-06-15");
    assert_eq!(
        next_due(Some(7), Some(d("2024-06-01")), today),
        Some(d("2024-06-08"))
    );
    assert_eq!(next_due(Some(30), None, today), Some(today));
    assert_eq!(next_due(None, Some(d("2024-06-01")), today), None);
    assert_eq!(next_due(None, None, today), None);
}

#[test]
fn profile_last_contact_and_next_contact_due() {
    let people_notes = vec![
        person(
            "people/ada.md",
            "name: Ada Lovelace\ncadence: 7d\nlast_contact: 2024-05-01",
        ),
        person(
            "people/bob.md",
            "name: Bob Byte\ncadence: 2w\nlast_contact: 2024-01-01",
        ),
        person("people/carol.md", "name: Carol Cache\ncadence: monthly"),
        person("people/dan.md", "name: Dan Drum"),
    ];
    let mut v = Vault::default();
    v.meeting(
        "2024-04-01",
        &["Ada Lovelace", "Bob Byte", "Dan Drum"],
        &[],
        &[],
        0,
    )
    .meeting("2024-03-01", &["Ada Lovelace"], &[], &[], 0);
    let today = d("2024-06-15");
    let p = |id| {
        let mut net = Network::new(people_notes.clone(), &v.facts, None);
        profile(&mut net, id, Vec::new(), &[], today)
    };

    // Front matter later than the last meeting.
    let ada = p(0);
    assert_eq!(ada.cadence_days, Some(7));
    assert_eq!(ada.last_contact, Some(d("2024-05-01")));
    assert_eq!(ada.next_contact_due, Some(d("2024-05-08")));
    // Last meeting later than the front matter.
    let bob = p(1);
    assert_eq!(bob.cadence_days, Some(14));
    assert_eq!(bob.last_contact, Some(d("2024-04-01")));
    assert_eq!(bob.next_contact_due, Some(d("2024-04-15")));
    // Never contacted: due today.
    let carol = p(2);
    assert_eq!(carol.last_contact, None);
    assert_eq!(carol.next_contact_due, Some(today));
    // No cadence: never due.
    let dan = p(3);
    assert_eq!(dan.last_contact, Some(d("2024-04-01")));
    assert_eq!(dan.next_contact_due, None);
}

#[test]
fn profile_fields_and_timeline() {
    let mut v = Vault::default();
    v.meeting(
        "2024-01-01",
        &["Ada", "Bob Byte", "Guest"],
        &["Project X"],
        &[],
        0,
    )
    .meeting(
        "2024-03-01",
        &["Ada Lovelace"],
        &["Project Y", "Project X"],
        &[],
        0,
    )
    .meeting("2024-02-01", &["Bob Byte"], &[], &[], 0);
    let mut net = Network::new(vec![ada(), bob()], &v.facts, None);
    let mentions = vec![Mention {
        date: Some(d("2024-02-02")),
        path: "journal/2024-02-02.md".into(),
    }];
    let p = profile(&mut net, 0, mentions.clone(), &[], d("2024-06-15"));

    assert_eq!(p.name, "Ada Lovelace");
    assert_eq!(p.path.as_deref(), Some("people/ada.md"));
    assert_eq!(p.aliases, strs(&["Ada"]));
    assert_eq!(p.email.as_deref(), Some("ada@example.com"));
    assert_eq!(p.org.as_deref(), Some("Analytical Engines Ltd"));
    assert_eq!(p.team.as_deref(), Some("Finance"));
    assert_eq!(p.relation, Some(Relation::Internal));
    assert_eq!(p.tags, strs(&["friend", "math"]));
    assert_eq!(p.interests, strs(&["poetry", "looms"]));
    assert_eq!(p.mentions, mentions);
    assert_eq!(p.last_contact, Some(d("2024-03-01")));
    assert_eq!(p.next_contact_due, Some(d("2024-03-08")));

    assert_eq!(p.meetings.len(), 2);
    assert_eq!(p.meetings[0].path, path(1));
    assert_eq!(p.meetings[0].title, "Meeting 1");
    assert_eq!(p.meetings[0].projects, strs(&["Project Y", "Project X"]));
    assert!(p.meetings[0].with.is_empty());
    assert_eq!(p.meetings[1].path, path(0));
    assert_eq!(p.meetings[1].with, strs(&["Bob Byte", "Guest"]));

    // Her meetings' titles and paths were moved into her profile, not
    // copied; Bob's meeting keeps its own.
    assert!(
        net.meetings
            .iter()
            .all(|m| m.title.is_empty() == m.attendees.contains(&0))
    );

    // Someone known only by name (in a network of their own: hers has
    // given its texts away).
    let mut net = Network::new(vec![ada(), bob()], &v.facts, None);
    let guest = id_of(&net, "Guest");
    let g = profile(&mut net, guest, Vec::new(), &[], d("2024-06-15"));
    assert_eq!(g.name, "Guest");
    assert_eq!(g.path, None);
    assert_eq!(g.cadence_days, None);
    assert_eq!(g.next_contact_due, None);
    assert_eq!(g.meetings.len(), 1);
    assert_eq!(g.meetings[0].path, path(0));
    assert_eq!(g.meetings[0].with, strs(&["Ada Lovelace", "Bob Byte"]));
}

#[test]
fn profile_open_tasks_are_in_their_meetings_or_link_them() {
    let mut v = Vault::default();
    v.meeting("2024-01-01", &["Ada Lovelace", "Bob Byte"], &[], &[], 4);
    // A profile moves its meetings' texts out of the network: one each.
    let net_of = || Network::new(vec![ada(), bob()], &v.facts, None);
    let both = strs(&["Ada Lovelace", "Bob Byte"]);
    let tasks = vec![
        TaskRecord {
            attendees: both.clone(),
            ..task("meetings/m0.md", 5, "follow up on budget")
        },
        TaskRecord {
            links: strs(&["people/ada"]),
            due: Some(d("2024-02-01")),
            ..task("journal/j.md", 3, "send Ada the paper")
        },
        TaskRecord {
            status: TaskStatus::Done,
            attendees: both.clone(),
            ..task("meetings/m0.md", 6, "done thing")
        },
        TaskRecord {
            status: TaskStatus::Cancelled,
            links: strs(&["Ada"]),
            ..task("journal/j.md", 4, "cancelled thing")
        },
        TaskRecord {
            attendees: strs(&["Bob Byte"]),
            ..task("meetings/other.md", 9, "Bob only")
        },
        TaskRecord {
            links: strs(&["Ada"]),
            due: Some(d("2024-01-15")),
            ..task("z.md", 1, "alias link")
        },
        TaskRecord {
            attendees: both,
            ..task("meetings/m0.md", 2, "earlier line")
        },
    ];
    let today = d("2024-06-15");

    let texts = |id| {
        profile(&mut net_of(), id, Vec::new(), &tasks, today)
            .open_tasks
            .into_iter()
            .map(|t| t.text)
            .collect::<Vec<_>>()
    };
    assert_eq!(
        texts(0),
        strs(&[
            "alias link",
            "send Ada the paper",
            "earlier line",
            "follow up on budget"
        ])
    );
    assert_eq!(
        texts(1),
        strs(&["earlier line", "follow up on budget", "Bob only"])
    );

    let open = profile(&mut net_of(), 0, Vec::new(), &tasks, today).open_tasks;
    assert_eq!(
        open[1],
        OpenTask {
            text: "send Ada the paper".into(),
            due: Some(d("2024-02-01")),
            path: "journal/j.md".into(),
            line: 3
        }
    );
}

// ---------------------------------------------------------------- task people

#[test]
fn task_people_prefers_links_over_attendees() {
    let mut v = Vault::default();
    v.meeting(
        "2024-01-01",
        &["Ada Lovelace", "Bob Byte", "Unknown Guest"],
        &[],
        &[],
        1,
    );
    let net = Network::new(vec![ada(), bob(), carol()], &v.facts, None);
    let guest = id_of(&net, "Unknown Guest");
    let attendees = strs(&["Ada Lovelace", "Bob Byte", "Unknown Guest"]);

    let linked = TaskRecord {
        links: strs(&["Bob Byte"]),
        attendees: attendees.clone(),
        ..task("m.md", 1, "t")
    };
    assert_eq!(task_people(&net, &linked), vec![1]);
    // A link can name someone who is not an attendee.
    let carol_link = TaskRecord {
        links: strs(&["people/carol", "Carol Cache"]),
        attendees: attendees.clone(),
        ..task("m.md", 1, "t")
    };
    assert_eq!(task_people(&net, &carol_link), vec![2]);
    // No links: the meeting's attendees, unknown people included.
    let plain = TaskRecord {
        attendees: attendees.clone(),
        ..task("m.md", 1, "t")
    };
    assert_eq!(task_people(&net, &plain), vec![0, 1, guest]);
    // Links to no person note (a project, an unknown name) fall back to attendees.
    let other_links = TaskRecord {
        links: strs(&["Project X", "Unknown Guest"]),
        attendees,
        ..task("m.md", 1, "t")
    };
    assert_eq!(task_people(&net, &other_links), vec![0, 1, guest]);
    // Attendees listed twice count once; references nobody knows are dropped.
    let dup = TaskRecord {
        attendees: strs(&["Ada", "ada lovelace", "Never Seen"]),
        ..task("m.md", 1, "t")
    };
    assert_eq!(task_people(&net, &dup), vec![0]);
    assert!(task_people(&net, &task("j.md", 1, "nobody")).is_empty());
}

#[test]
fn task_involves_links_or_attendees() {
    let v = Vault::default();
    let net = Network::new(vec![ada(), bob()], &v.facts, None);
    let t = TaskRecord {
        links: strs(&["Ada"]),
        ..task("j.md", 1, "t")
    };
    assert!(task_involves(&net, &t, 0));
    assert!(!task_involves(&net, &t, 1));
    let m = TaskRecord {
        attendees: strs(&["people/bob"]),
        ..task("m.md", 1, "t")
    };
    assert!(task_involves(&net, &m, 1));
    assert!(!task_involves(&net, &m, 0));
}

// ---------------------------------------------------------------- suggestions

#[test]
fn suggestions_find_close_names() {
    let cands = vec![
        ("John Smith".to_string(), strs(&["people/john-smith"])),
        ("Grace Hopper".to_string(), strs(&["Amazing Grace"])),
        ("Linus Torvalds".to_string(), Vec::new()),
    ];
    assert_eq!(suggestions("smyth", &cands, 5), strs(&["John Smith"]));
    assert_eq!(suggestions("SMYTH ", &cands, 5), strs(&["John Smith"]));
    assert_eq!(suggestions("amazing", &cands, 5), strs(&["Grace Hopper"]));
    assert!(suggestions("qqqqq", &cands, 5).is_empty());
    assert!(suggestions("smyth", &cands, 0).is_empty());

    // Best first, at most `max`.
    let two = vec![
        ("Ada Smith".to_string(), Vec::new()),
        ("Bob Smyth".to_string(), Vec::new()),
    ];
    assert_eq!(
        suggestions("smyth", &two, 5),
        strs(&["Bob Smyth", "Ada Smith"])
    );
    assert_eq!(suggestions("smyth", &two, 1), strs(&["Bob Smyth"]));
}
