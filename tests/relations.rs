//! Relationship memory: dates that matter, how we met, introductions,
//! organisations, snoozes and the timeline.

use std::fs;

use chrono::{Days, Local, NaiveDate};
use serde_json::Value;

use crate::util::{Vault, example_vault, names};

fn today() -> NaiveDate {
    Local::now().date_naive()
}

/// A day relative to today, as `YYYY-MM-DD`.
fn ago(days: u64) -> String {
    today()
        .checked_sub_days(Days::new(days))
        .unwrap()
        .to_string()
}

fn ahead(days: u64) -> String {
    today()
        .checked_add_days(Days::new(days))
        .unwrap()
        .to_string()
}

fn person(v: &Vault, file: &str, front: &str) {
    v.write(&format!("people/{file}.md"), &format!("---\n{front}---\n"));
}

fn meeting(v: &Vault, date: &str, title: &str, with: &[&str]) {
    let list: Vec<String> = with.iter().map(|w| format!("\"[[{w}]]\"")).collect();
    v.write(
        &format!("meetings/{date} {title}.md"),
        &format!(
            "---\ndate: {date}\nattendees: [{}]\n---\n- [x] done\n",
            list.join(", ")
        ),
    );
}

// ------------------------------------------------------------ 1. dates

#[test]
fn coming_up_lists_dates_within_ahead_with_years() {
    let v = Vault::new();
    person(&v, "ada", "name: Ada\nbirthday: 1990-03-10\n");
    person(&v, "bo", "name: Bo\nbirthday: --03-20\n");
    person(
        &v,
        "cy",
        "name: Cy\ndates:\n  anniversary: 2019-03-05\n  joined Acme: 2024-04-20\n",
    );
    let f = v.json(&["followups", "--as-of", "2026-03-01"]);
    let c = f["coming_up"].as_array().unwrap();
    let got: Vec<(&str, &str, &str, Value, i64)> = c
        .iter()
        .map(|x| {
            (
                x["name"].as_str().unwrap(),
                x["what"].as_str().unwrap(),
                x["date"].as_str().unwrap(),
                x["years"].clone(),
                x["in_days"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            ("Cy", "anniversary", "2026-03-05", Value::from(7), 4),
            ("Ada", "birthday", "2026-03-10", Value::from(36), 9),
        ],
        "default: 14 days ahead; Bo's is in 19 days"
    );
    assert_eq!(c[0]["path"], "people/cy.md");
    let keys: Vec<&str> = c[0]
        .as_object()
        .unwrap()
        .keys()
        .map(|k| k.as_str())
        .collect();
    assert_eq!(
        keys.len(),
        6,
        "name, path, what, date, years, in_days: {keys:?}"
    );
    // --ahead widens it; a year-less date has no years.
    let f = v.json(&["followups", "--as-of", "2026-03-01", "--ahead", "3w"]);
    let bo = &f["coming_up"][2];
    assert_eq!(
        (bo["name"].as_str(), bo["years"].is_null()),
        (Some("Bo"), true)
    );
    // The configuration sets the default.
    v.write("rapport.toml", "[followups]\nahead = \"5d\"\n");
    let f = v.json(&["followups", "--as-of", "2026-03-01"]);
    assert_eq!(names(&f["coming_up"]), vec!["Cy"]);
    // Today counts, yesterday's date comes next year (out of range).
    let f = v.json(&["followups", "--as-of", "2026-03-10"]);
    assert_eq!(f["coming_up"][0]["in_days"], 0);
    let text = v.ok(&["followups", "--as-of", "2026-03-10"]);
    assert!(text.contains("Coming up (1)"), "{text}");
    assert!(
        text.contains("Ada — birthday (36 years) on 2026-03-10, today"),
        "{text}"
    );
}

#[test]
fn the_29th_of_february_falls_on_the_28th_in_common_years() {
    let v = Vault::new();
    person(&v, "leap", "name: Leap\nbirthday: 2000-02-29\n");
    let f = v.json(&["followups", "--as-of", "2027-02-20"]);
    assert_eq!(f["coming_up"][0]["date"], "2027-02-28");
    assert_eq!(f["coming_up"][0]["years"], 27);
    let f = v.json(&["followups", "--as-of", "2028-02-20"]);
    assert_eq!(f["coming_up"][0]["date"], "2028-02-29");
    assert_eq!(f["coming_up"][0]["in_days"], 9);
}

#[test]
fn calendar_has_a_yearly_all_day_event_with_a_reminder_the_day_before() {
    let v = Vault::new();
    person(
        &v,
        "ada",
        "name: \"Ada, the; \\\\ one\"\nbirthday: --03-10\n",
    );
    let ics = v.index.path().join("f.ics");
    v.ok(&[
        "followups",
        "--as-of",
        "2026-03-01",
        "--ics",
        ics.to_str().unwrap(),
    ]);
    let text = fs::read_to_string(&ics).unwrap();
    let cal = ical::IcalParser::new(std::io::BufReader::new(text.as_bytes()))
        .next()
        .unwrap()
        .unwrap();
    assert_eq!(cal.events.len(), 1);
    let e = &cal.events[0];
    let prop = |name: &str| {
        e.properties
            .iter()
            .find(|p| p.name == name)
            .map(|p| (p.value.clone().unwrap_or_default(), p.params.clone()))
            .unwrap()
    };
    assert_eq!(prop("DTSTART").0, "20260310");
    assert!(format!("{:?}", prop("DTSTART").1).contains("DATE"));
    assert_eq!(prop("DTEND").0, "20260311");
    assert_eq!(prop("RRULE").0, "FREQ=YEARLY");
    assert_eq!(prop("SUMMARY").0, "Ada\\, the\\; \\\\ one: birthday");
    assert_eq!(e.alarms.len(), 1);
    let trigger = e.alarms[0]
        .properties
        .iter()
        .find(|p| p.name == "TRIGGER")
        .and_then(|p| p.value.clone());
    assert_eq!(trigger.as_deref(), Some("-P1D"));
}

#[test]
fn person_shows_the_dates() {
    let v = Vault::new();
    person(
        &v,
        "ada",
        "name: Ada\nbirthday: --12-08\ndates:\n  anniversary: 2019-06-01\n",
    );
    let p = v.json(&["person", "Ada"]);
    assert_eq!(p["birthday"], "--12-08");
    assert_eq!(p["dates"][0]["what"], "anniversary");
    assert_eq!(p["dates"][0]["date"], "2019-06-01");
    let text = v.ok(&["person", "Ada"]);
    assert!(text.contains("birthday:      --12-08"), "{text}");
    assert!(text.contains("anniversary:   2019-06-01"), "{text}");
}

#[test]
fn hostile_dates_and_names_stay_text_in_the_checklist_file() {
    let v = Vault::new();
    person(
        &v,
        "eve",
        "name: \"Eve\\n## Notes\\n- [ ] fake <!-- id:zzz -->\"\nbirthday: --03-05\ndates:\n  \"x\\n## Notes\\n- [ ] evil <!-- id:yyy -->\": 2020-03-06\n",
    );
    let out = v.index.path().join("f.md");
    v.ok(&[
        "followups",
        "--as-of",
        "2026-03-01",
        "--out",
        out.to_str().unwrap(),
    ]);
    let text = fs::read_to_string(&out).unwrap();
    assert_eq!(
        text.lines().filter(|l| *l == "## Notes").count(),
        1,
        "{text}"
    );
    assert!(
        !text.contains("id:zzz -->") && !text.contains("id:yyy -->"),
        "{text}"
    );
    let items = text
        .lines()
        .skip_while(|l| *l != "## Coming up")
        .skip(1)
        .take_while(|l| !l.starts_with("## "))
        .filter(|l| l.starts_with("- [ ]"))
        .count();
    assert_eq!(items, 2, "{text}");
    let terminal = v.ok(&["followups", "--as-of", "2026-03-01"]);
    assert!(
        !terminal.lines().any(|l| l.starts_with("## Notes")),
        "{terminal}"
    );
}

// ------------------------------------------------------- 2. how we met

#[test]
fn how_we_met_and_who_introduced_whom() {
    let v = Vault::new();
    person(&v, "xavier", "name: Xavier Ortiz\naliases: [Xav]\n");
    person(
        &v,
        "ada",
        "name: Ada\nmet: 2019-05-01\nhow_we_met: PyCon Berlin\nintroduced_by: \"[[Xav]]\"\n",
    );
    person(&v, "bo", "name: Bo\nintroduced-by: xavier ortiz\n");
    meeting(&v, "2024-02-03", "Coffee with Bo", &["Bo"]);
    meeting(&v, "2025-01-10", "Lunch with Bo", &["Bo"]);
    let text = v.ok(&["person", "Ada"]);
    assert!(
        text.contains("Met 2019-05-01 at PyCon Berlin, introduced by Xavier Ortiz"),
        "{text}"
    );
    let ada = v.json(&["person", "Ada"]);
    assert_eq!(ada["met"], "2019-05-01");
    assert_eq!(ada["how_we_met"], "PyCon Berlin");
    assert_eq!(ada["introduced_by"]["name"], "Xavier Ortiz");
    assert_eq!(ada["introduced_by"]["path"], "people/xavier.md");
    // Without `met`, the first meeting stands in.
    let bo = v.ok(&["person", "Bo"]);
    assert!(
        bo.contains("first meeting 2024-02-03, introduced by Xavier Ortiz"),
        "{bo}"
    );
    let x = v.json(&["person", "Xavier"]);
    assert_eq!(names(&x["introduced"]), vec!["Ada", "Bo"]);
    assert!(
        v.ok(&["person", "Xavier"])
            .contains("introduced:    Ada, Bo")
    );
}

// ------------------------------------------------------------ 3. intro

#[test]
fn intro_ranks_connectors_and_knows_who_i_know() {
    let v = Vault::new();
    person(&v, "tara", "name: Tara\norg: \"[[Acme]]\"\n");
    person(&v, "tim", "name: Tim\norg: acme\n");
    person(&v, "often", "name: Often\ncadence: 30d\n");
    person(&v, "once", "name: Once\n");
    person(&v, "intro", "name: Ina\n");
    person(&v, "new", "name: Newbie\norg: ACME\nintroduced_by: Ina\n");
    person(&v, "close", "name: Close\ncadence: 30d\n");
    meeting(&v, &ago(400), "a", &["Tara", "Often"]);
    meeting(&v, &ago(300), "b", &["Tara", "Often"]);
    meeting(&v, &ago(200), "c", &["Tara", "Once"]);
    meeting(&v, &ago(10), "d", &["Often"]);
    meeting(&v, &ago(20), "e", &["Close", "Once"]);
    meeting(&v, &ago(5), "f", &["Close"]);
    // Planned: not evidence.
    meeting(&v, &ahead(30), "g", &["Tim", "Once"]);
    let r = v.json(&["intro", "tara"]);
    assert_eq!(r[0]["target"]["name"], "Tara");
    assert_eq!(r[0]["target"]["path"], "people/tara.md");
    let via = &r[0]["via"];
    assert_eq!(names(via), vec!["Often", "Once"]);
    assert_eq!(via[0]["shared_meetings"], 2);
    assert_eq!(via[0]["last_together"], ago(300));
    assert_eq!(via[0]["introduced"], false);
    assert_eq!(via[0]["my_last_contact"], ago(10));
    let keys: Vec<&str> = via[0]
        .as_object()
        .unwrap()
        .keys()
        .map(|k| k.as_str())
        .collect();
    for k in [
        "name",
        "path",
        "shared_meetings",
        "last_together",
        "introduced",
        "my_last_contact",
    ] {
        assert!(keys.contains(&k), "{k} missing: {keys:?}");
    }
    // Someone I know well needs no introduction.
    let r = v.json(&["intro", "Close"]);
    assert_eq!(r[0]["direct"], true);
    assert!(v.ok(&["intro", "Close"]).contains("you know them directly"));
    // Everyone at an organisation, matched loosely.
    let r = v.json(&["intro", "--org", "[[acme]]"]);
    let targets: Vec<&str> = r
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["target"]["name"].as_str().unwrap())
        .collect();
    assert_eq!(targets, vec!["Newbie", "Tara", "Tim"]);
    assert_eq!(names(&r[0]["via"]), vec!["Ina"]);
    assert_eq!(r[0]["via"][0]["introduced"], true);
    assert!(r[2]["via"].as_array().unwrap().is_empty(), "{}", r[2]);
    // Nobody by that name: a suggestion and exit 1.
    let out = v.cmd().args(["intro", "Tarra"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("did you mean: Tara"));
    let out = v.cmd().args(["intro", "--org", "Globex"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn intro_reaches_people_known_only_from_attendee_lists() {
    let v = Vault::new();
    person(&v, "often", "name: Often\n");
    person(&v, "tara", "name: Tara Note\n");
    meeting(&v, &ago(100), "a", &["Walter Guest", "Often"]);
    meeting(&v, &ago(50), "b", &["Tara Note", "Sam Stranger"]);
    meeting(&v, &ago(7), "c", &["Sam Stranger"]);
    // A target with no note: found in the attendee lists.
    let r = v.json(&["intro", "Walter Guest"]);
    assert_eq!(r[0]["target"]["name"], "Walter Guest");
    assert_eq!(r[0]["target"]["path"], Value::Null);
    assert_eq!(names(&r[0]["via"]), vec!["Often"]);
    // A connector with no note: my last contact with them is read from a
    // meeting the target was not in.
    let r = v.json(&["intro", "Tara Note"]);
    assert_eq!(names(&r[0]["via"]), vec!["Sam Stranger"]);
    assert_eq!(r[0]["via"][0]["my_last_contact"], ago(7));
    assert_eq!(r[0]["via"][0]["last_together"], ago(50));
}

// ------------------------------------------------------------- 4. orgs

#[test]
fn orgs_roll_people_up() {
    let v = Vault::new();
    person(
        &v,
        "ann",
        "name: Ann\norg: \"[[Acme]]\"\nrelation: external\ncadence: 30d\n",
    );
    person(&v, "bob", "name: Bob\ncompany: acme\nrelation: internal\n");
    person(
        &v,
        "zoe",
        "name: Zoe\norg: Zeta\nrelation: external\ncadence: 30d\nsnooze: 2200-01-01\n",
    );
    v.write("Acme.md", "# Acme\n");
    meeting(&v, &ago(40), "Acme sync", &["Ann", "Bob"]);
    meeting(&v, &ago(200), "Zeta call", &["Zoe"]);
    v.write(
        "journal/j.md",
        "- [ ] send [[Bob]] the deck\n- [ ] ask [[Zoe]] for intro\n- [x] done [[Ann]]\n",
    );
    let rows = v.json(&["orgs"]);
    let orgs: Vec<&str> = rows
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["org"].as_str().unwrap())
        .collect();
    assert_eq!(orgs, vec!["Acme", "Zeta"]);
    let acme = &rows[0];
    assert_eq!(acme["people"], serde_json::json!(["Ann", "Bob"]));
    assert_eq!(acme["recent_meetings"], 1);
    assert_eq!(acme["last_contact"], ago(40));
    assert_eq!(acme["open_tasks"], 1);
    assert_eq!(acme["due_keep_in_touch"], serde_json::json!(["Ann"]));
    assert_eq!(rows[1]["recent_meetings"], 0);
    // Zoe is snoozed: not due.
    assert_eq!(rows[1]["due_keep_in_touch"], serde_json::json!([]));
    let internal = v.json(&["orgs", "--relation", "internal"]);
    assert_eq!(internal[0]["people"], serde_json::json!(["Bob"]));
    assert_eq!(internal.as_array().unwrap().len(), 1);
    let cold = v.json(&["orgs", "--cold", "90d"]);
    assert_eq!(cold[0]["org"], "Zeta");
    assert_eq!(cold.as_array().unwrap().len(), 1);
    assert!(v.ok(&["orgs"]).contains("Acme"));
    // `people` keeps showing org as written.
    let people = v.json(&["people"]);
    let ann = people
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "Ann")
        .unwrap();
    assert_eq!(ann["org"], "Acme");
}

// --------------------------------------------------------- 5. not now

#[test]
fn snooze_hides_keep_in_touch_until_its_date_and_says_so() {
    let v = Vault::new();
    person(
        &v,
        "ada",
        "name: Ada\ncadence: B\nlast_contact: 2026-01-01\nsnooze: 2026-06-15\n",
    );
    person(
        &v,
        "bo",
        "name: Bo\ncadence: monthly\nlast_contact: 2026-01-01\nsnooze: 2026-06-15\n",
    );
    person(
        &v,
        "cy",
        "name: Cy\ncadence: A\nlast_contact: 2026-01-01\nsnooze: 2026-07-01\n",
    );
    person(
        &v,
        "di",
        "name: Di\ncadence: quarterly\nlast_contact: 2026-01-01\n",
    );
    let f = v.json(&["followups", "--as-of", "2026-06-01"]);
    assert_eq!(names(&f["keep_in_touch"]), vec!["Di"]);
    assert_eq!(names(&f["snoozed"]), vec!["Ada", "Bo", "Cy"]);
    let text = v.ok(&["followups", "--as-of", "2026-06-01"]);
    let last = text.trim_end().lines().last().unwrap();
    assert_eq!(
        last,
        "3 people snoozed until 2026-06-15 (Ada, Bo), 2026-07-01 (Cy)"
    );
    let out = v.index.path().join("f.md");
    v.ok(&[
        "followups",
        "--as-of",
        "2026-06-01",
        "--out",
        out.to_str().unwrap(),
    ]);
    let file = fs::read_to_string(&out).unwrap();
    assert!(
        file.contains("3 people snoozed until 2026-06-15 (Ada, Bo), 2026-07-01 (Cy)\n\n## Notes"),
        "{file}"
    );
    // On the snooze date the reminder is back.
    let f = v.json(&["followups", "--as-of", "2026-06-15"]);
    assert_eq!(names(&f["keep_in_touch"]), vec!["Bo", "Ada", "Di"]);
    assert_eq!(names(&f["snoozed"]), vec!["Cy"]);
    // Cadence words and Sivers' letters.
    assert_eq!(v.json(&["person", "Ada"])["cadence_days"], 60);
    assert_eq!(v.json(&["person", "Cy"])["cadence_days"], 21);
    assert_eq!(v.json(&["person", "Di"])["cadence_days"], 90);
}

// ---------------------------------------------------------- 6. timeline

#[test]
fn timeline_orders_everything_about_a_person() {
    let v = Vault::new();
    person(
        &v,
        "ada",
        "name: Ada Lovelace\naliases: [Ada]\nbirthday: 1990-03-10\nmet: 2019-05-01\nhow_we_met: at PyCon\n",
    );
    meeting(&v, &ago(30), "Past", &["Ada Lovelace"]);
    meeting(&v, &ahead(30), "Planned", &["Ada"]);
    v.write(
        &format!("journal/{}.md", ago(20)),
        &format!("---\ndate: {}\n---\nSome text.\nTalked about [[Ada]] today.\n- [ ] send [[Ada Lovelace]] the paper 📅 {}\n", ago(20), ahead(10)),
    );
    let t = v.json(&["person", "ada", "--timeline"]);
    assert_eq!(t["name"], "Ada Lovelace");
    let items = t["timeline"].as_array().unwrap();
    let got: Vec<(String, &str)> = items
        .iter()
        .map(|i| {
            (
                i["date"].as_str().unwrap().to_string(),
                i["kind"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            ("1990-03-10".to_string(), "date"),
            ("2019-05-01".to_string(), "met"),
            (ago(30), "meeting"),
            (ago(20), "mention"),
            (ahead(10), "task"),
            (ahead(30), "meeting"),
        ]
    );
    assert_eq!(items[0]["title"], "birthday");
    assert_eq!(items[0]["line"], 4);
    assert_eq!(items[1]["line"], 5);
    assert_eq!(items[3]["line"], 5);
    assert_eq!(items[4]["line"], 6);
    assert_eq!(items[5]["title"], format!("{} Planned", ahead(30)));
    for k in ["date", "kind", "title", "path", "line"] {
        assert!(items[2].get(k).is_some(), "{k}");
    }
    let text = v.ok(&["person", "ada", "--timeline"]);
    assert!(text.contains("── today"), "{text}");
}

// ------------------------------------------------------------- check

#[test]
fn check_reports_bad_dates_and_unknown_introducers() {
    let v = Vault::new();
    person(&v, "xavier", "name: Xavier Ortiz\n");
    person(
        &v,
        "ada",
        "name: Ada\nbirthday: 1990-02-30\ndates:\n  anniversary: soon\nmet: last year\nsnooze: later\nintroduced_by: Xavier Ortis\n",
    );
    let out = v.cmd().args(["--json", "check"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let f: Value = serde_json::from_slice(&out.stdout).unwrap();
    let got: Vec<(&str, i64, &str)> = f
        .as_array()
        .unwrap()
        .iter()
        .map(|x| {
            (
                x["code"].as_str().unwrap(),
                x["line"].as_i64().unwrap_or(0),
                x["severity"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            ("bad-person-date", 3, "warning"),
            ("bad-person-date", 5, "warning"),
            ("bad-person-date", 6, "warning"),
            ("bad-person-date", 7, "warning"),
            ("unresolved-introducer", 8, "warning"),
        ]
    );
    let msg = f[4]["message"].as_str().unwrap();
    assert!(msg.contains("did you mean Xavier Ortiz"), "{msg}");
}

#[test]
fn example_vault_shows_every_field() {
    let v = Vault::copy_of(&example_vault());
    let f = v.json(&["followups", "--as-of", "2026-11-26"]);
    assert_eq!(
        names(&f["coming_up"]),
        vec!["Tom Okafor", "Lena Novak", "Hannah Berg"]
    );
    assert_eq!(names(&f["snoozed"]), vec!["Sofia Marquez"]);
    let lena = v.json(&["person", "Lena"]);
    assert_eq!(names(&lena["introduced"]), vec!["Ruth Adeyemi"]);
    let r = v.json(&["intro", "Ruth"]);
    assert_eq!(r[0]["via"][0]["name"], "Lena Novak");
    let orgs = v.json(&["orgs"]);
    let northwind = orgs
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["org"] == "Northwind")
        .unwrap();
    assert!(northwind["people"].as_array().unwrap().len() >= 4);
}
