//! The commands against the generator's ground truth: a synthetic vault
//! written with every supported syntax, and the answers computed while
//! writing it, independently of rapport's parser.

use std::collections::{BTreeMap, BTreeSet};

#[path = "../examples/gen_vault/generator.rs"]
pub(crate) mod generator;

use crate::util::Vault;

fn project_key(s: &str) -> String {
    rapport::vault::refs::project_key(s)
}

fn generated(meetings: usize, seed: u64) -> (Vault, generator::Truth) {
    let v = Vault::new();
    let truth = generator::generate(v.path(), meetings, seed, None).unwrap();
    (v, truth)
}

#[test]
fn people_match_the_truth() {
    let (v, truth) = generated(600, 7);
    let stats = v.json(&["index"]);
    assert_eq!(stats["scanned"].as_u64().unwrap() as usize, truth.files);
    assert!(
        stats["problems"].as_array().unwrap().is_empty(),
        "{}",
        stats["problems"]
    );

    // Everyone: meeting count, last met, path.
    let rows = v.json(&["people"]);
    let got: BTreeMap<String, (Option<String>, u64, Option<String>)> = rows
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["name"].as_str().unwrap().to_string(),
                (
                    r["path"].as_str().map(str::to_string),
                    r["meetings"].as_u64().unwrap(),
                    r["last_met"].as_str().map(str::to_string),
                ),
            )
        })
        .collect();
    let want: BTreeMap<String, (Option<String>, u64, Option<String>)> = truth
        .people
        .iter()
        .map(|(n, p)| {
            (
                n.clone(),
                (p.path.clone(), p.meetings as u64, p.last_met.clone()),
            )
        })
        .collect();
    assert_eq!(got.len(), want.len());
    for (name, w) in &want {
        assert_eq!(got.get(name), Some(w), "{name}");
    }

    // Who met about each project, whichever way the project is spelled.
    assert!(truth.projects.len() >= 3);
    for (project, people) in &truth.projects {
        for spelling in [
            project.clone(),
            format!("[[{}]]", project.to_lowercase().replace(' ', "-")),
            project.replace(' ', "_"),
        ] {
            let rows = v.json(&["people", "--project", &spelling]);
            let got: BTreeSet<String> = crate::util::names(&rows).into_iter().collect();
            let want: BTreeSet<String> = people.iter().cloned().collect();
            assert_eq!(got, want, "project {spelling}");
        }
        assert_eq!(project_key(project), project_key(&project.to_uppercase()));
    }
}

#[test]
fn person_and_meetings_match_the_truth() {
    let (v, truth) = generated(300, 11);
    v.ok(&["index"]);
    let name = &truth.sample_person;
    let want = &truth.people[name];
    let p = v.json(&["person", name]);
    assert_eq!(p["path"].as_str(), want.path.as_deref());
    assert_eq!(p["meetings"].as_array().unwrap().len(), want.meetings);
    assert_eq!(p["last_contact"].as_str(), want.last_contact.as_deref());
    assert_eq!(p["cadence_days"].as_u64(), want.cadence_days.map(u64::from));
    let m = v.json(&["meetings", "--person", name]);
    let m = m.as_array().unwrap();
    assert_eq!(m.len(), want.meetings);
    assert_eq!(
        m[0]["date"].as_str(),
        want.last_met.as_deref(),
        "newest first"
    );
    for row in m {
        assert!(
            row["attendees"]
                .as_array()
                .unwrap()
                .iter()
                .any(|a| a == name.as_str())
        );
    }
    // Everyone with a note can be looked up by name.
    for (n, pt) in truth
        .people
        .iter()
        .filter(|(_, p)| p.path.is_some())
        .take(25)
    {
        let p = v.json(&["person", n]);
        assert_eq!(p["meetings"].as_array().unwrap().len(), pt.meetings, "{n}");
    }
}

#[test]
fn followups_match_the_truth() {
    let (v, truth) = generated(600, 3);
    let f = v.json(&["followups", "--as-of", &truth.as_of, "--all-tasks"]);
    let tasks = f["tasks"].as_array().unwrap();
    assert_eq!(tasks.len(), truth.open_tasks);
    // By default the section holds those that involve someone, and counts the rest.
    let about_people = v.json(&["followups", "--as-of", &truth.as_of]);
    let shown = about_people["tasks"].as_array().unwrap();
    assert!(
        shown
            .iter()
            .all(|t| !t["people"].as_array().unwrap().is_empty())
    );
    assert_eq!(
        shown.len() + about_people["other_open_tasks"].as_u64().unwrap() as usize,
        truth.open_tasks
    );
    assert_eq!(
        tasks.iter().filter(|t| t["overdue"] == true).count(),
        truth.overdue_tasks
    );
    let due: BTreeSet<String> = crate::util::names(&f["keep_in_touch"])
        .into_iter()
        .collect();
    let want: BTreeSet<String> = truth.keep_in_touch_due.iter().cloned().collect();
    assert_eq!(due, want);
}

/// `gen_vault --open-tasks 100`, the shape the checklist is benchmarked on:
/// every meeting has an open task, and the checklist still matches the truth.
#[test]
fn followups_match_the_truth_when_every_meeting_has_an_open_task() {
    let v = Vault::new();
    let truth = generator::generate(v.path(), 300, 5, Some(1.0)).unwrap();
    // Every one of the 300 meetings holds at least one open task.
    assert!(truth.open_tasks >= 300, "{} open tasks", truth.open_tasks);
    let f = v.json(&["followups", "--as-of", &truth.as_of, "--all-tasks"]);
    let tasks = f["tasks"].as_array().unwrap();
    assert_eq!(tasks.len(), truth.open_tasks);
    assert_eq!(
        tasks.iter().filter(|t| t["overdue"] == true).count(),
        truth.overdue_tasks
    );
    // Tasks live in meeting notes and journal notes (plain notes hold none).
    let meetings_with_open: BTreeSet<&str> = tasks
        .iter()
        .filter_map(|t| t["path"].as_str())
        .filter(|p| !p.starts_with("journal/"))
        .collect();
    assert_eq!(meetings_with_open.len(), truth.meetings);
    let about_people = v.json(&["followups", "--as-of", &truth.as_of]);
    assert_eq!(
        about_people["tasks"].as_array().unwrap().len()
            + about_people["other_open_tasks"].as_u64().unwrap() as usize,
        truth.open_tasks
    );
}
