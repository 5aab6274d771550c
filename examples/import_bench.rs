//! Benchmark: read and plan an iCalendar export of 10,000 events (the
//! issue's goal is under 2 s), in process, without the index.
//!
//! ```sh
//! cargo run --release --example import_bench -- [EVENTS] [RUNS] [--ics OUT.ics]
//! ```
//!
//! The calendar mixes what real exports hold: UTC, IANA and Windows zones,
//! all-day events, weekly recurrences with exceptions, folded lines, CRLF,
//! 2 to 5 attendees among 300 people of whom 200 have person notes, and a
//! tenth of the events already imported. `--ics` also writes the calendar,
//! to time the whole command (`rapport import calendar OUT.ics`).

use std::time::Instant;

use chrono::NaiveDate;
use rapport::import::calendar::{self, Range, Zone};
use rapport::import::plan::{self, Known, KnownPerson, PlanOpts};

fn calendar(events: usize) -> String {
    let mut out = String::from("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//rapport bench//EN\r\n");
    let mut seed: u64 = 0x5eed;
    let mut next = |n: u64| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed % n
    };
    for i in 0..events {
        let day = 1 + next(364) as i64;
        let date = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap() + chrono::TimeDelta::days(day);
        let d = date.format("%Y%m%d");
        let hour = 8 + next(10);
        out.push_str("BEGIN:VEVENT\r\n");
        out.push_str(&format!("UID:bench-{i}@example.com\r\n"));
        match i % 10 {
            0 => out.push_str(&format!("DTSTART;VALUE=DATE:{d}\r\n")),
            1..=2 => out.push_str(&format!(
                "DTSTART;TZID=\"W. Europe Standard Time\":{d}T{hour:02}0000\r\n"
            )),
            3..=5 => out.push_str(&format!("DTSTART;TZID=Europe/Berlin:{d}T{hour:02}3000\r\n")),
            _ => out.push_str(&format!("DTSTART:{d}T{hour:02}0000Z\r\n")),
        }
        if i % 50 == 7 {
            out.push_str("RRULE:FREQ=WEEKLY;COUNT=8\r\n");
            out.push_str(&format!("EXDATE:{d}T{hour:02}0000Z\r\n"));
        }
        out.push_str(&format!(
            "SUMMARY:Meeting {i} about project {}\r\n",
            next(40)
        ));
        out.push_str(&format!(
            "DESCRIPTION:Agenda item one\\nAgenda item two with a long line that an exp\r\n orter folds at seventy-five octets\\n- [ ] not a task {i}\r\n"
        ));
        out.push_str("ORGANIZER;CN=Me:mailto:me@example.com\r\n");
        out.push_str("ATTENDEE;PARTSTAT=ACCEPTED;CN=Me:mailto:me@example.com\r\n");
        for _ in 0..2 + next(4) {
            let p = next(300);
            out.push_str(&format!(
                "ATTENDEE;CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT;PARTSTAT=ACCEPTED;CN=Person {p}\r\n :mailto:person{p}@example.com\r\n"
            ));
        }
        out.push_str("END:VEVENT\r\n");
    }
    out.push_str("END:VCALENDAR\r\n");
    out
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let events: usize = args.first().and_then(|a| a.parse().ok()).unwrap_or(10_000);
    let runs: usize = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(11);
    let text = calendar(events);
    if let Some(i) = args.iter().position(|a| a == "--ics") {
        let path = args.get(i + 1).expect("--ics needs a file");
        std::fs::write(path, &text).expect("cannot write the calendar");
    }
    let known = Known {
        uids: (0..events / 10)
            .map(|i| {
                (
                    format!("bench-{}@example.com", i * 10 + 3),
                    format!("meetings/{i}.md"),
                )
            })
            .collect(),
        people: (0..200)
            .map(|p| KnownPerson {
                path: format!("people/person-{p}.md"),
                name: format!("Person {p}"),
                aliases: Vec::new(),
                emails: vec![format!("person{p}@example.com")],
            })
            .collect(),
        paths: Default::default(),
    };
    let opts = PlanOpts {
        me: vec!["me@example.com".into()],
        all: false,
        meetings_folder: "meetings".into(),
        people_folder: "people".into(),
    };
    let range = Range {
        since: NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
        until: NaiveDate::from_ymd_opt(2026, 12, 31).unwrap(),
    };
    let zone = Zone::Named(chrono_tz::Europe::Berlin);
    let mut times = Vec::new();
    let mut last = (0, 0, 0, 0);
    for _ in 0..runs {
        let start = Instant::now();
        let parsed = calendar::read("bench.ics", &text, range, zone).expect("a calendar");
        let p = plan::meetings(&parsed.occurrences, &known, &opts);
        times.push(start.elapsed().as_secs_f64());
        last = (
            parsed.occurrences.len(),
            p.created.len(),
            p.existing.len(),
            p.problems.len() + parsed.problems.len(),
        );
    }
    times.sort_by(f64::total_cmp);
    println!(
        "{events} events ({} KB), {} occurrences: {} to create, {} existing, {} problems",
        text.len() / 1024,
        last.0,
        last.1,
        last.2,
        last.3
    );
    println!(
        "read + plan, median of {runs}: {:.0} ms (min {:.0} ms, max {:.0} ms)",
        times[times.len() / 2] * 1000.0,
        times[0] * 1000.0,
        times[times.len() - 1] * 1000.0
    );
}
