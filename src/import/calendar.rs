//! Reading an iCalendar file into event occurrences: one per meeting that
//! took (or will take) place in a date range.
//!
//! Real exports are untidy: folded lines, CRLF or LF, a BOM, all-day
//! events, UTC, floating and zoned times, Windows zone names from Outlook,
//! recurrences with exceptions. The `ical` crate reads properties, `rrule`
//! expands recurrences and `chrono-tz` converts zones; what is left here is
//! deciding what each event means. Each event is parsed on its own, so one
//! broken event is a [`Problem`] and the others are still read.

use std::collections::{HashMap, HashSet};
use std::io::Cursor;

use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;
use ical::property::Property;

use super::{Error, Problem};

/// Someone invited to an event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attendee {
    /// Display name (`CN`), when it is not just the address.
    pub name: Option<String>,
    /// E-mail address, lower-cased.
    pub email: Option<String>,
    /// Participation status (`ACCEPTED`, `DECLINED`…), upper-cased.
    pub partstat: Option<String>,
}

/// One occurrence of an event, in the user's local time.
#[derive(Debug, Clone, PartialEq)]
pub struct Occurrence {
    /// The event's UID, plus `/YYYY-MM-DD` for an occurrence of a recurring event.
    pub uid: String,
    /// SUMMARY (untrusted text).
    pub title: String,
    /// Local date of the start.
    pub date: NaiveDate,
    /// Local time of the start (none for all-day events).
    pub time: Option<NaiveTime>,
    /// LOCATION.
    pub location: Option<String>,
    /// DESCRIPTION.
    pub description: Option<String>,
    /// Attendees, the organizer first when there is one.
    pub attendees: Vec<Attendee>,
    /// STATUS:CANCELLED.
    pub cancelled: bool,
    /// The input file.
    pub file: String,
    /// Line of the event's `BEGIN:VEVENT`.
    pub line: usize,
}

/// Which dates to import (both ends included, local dates).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Range {
    /// First date.
    pub since: NaiveDate,
    /// Last date.
    pub until: NaiveDate,
}

/// The zone whose dates the notes use: the machine's, or a named one
/// (tests, and users who travel).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Zone {
    /// The machine's local zone (`TZ` or the system setting).
    Local,
    /// A named zone.
    Named(Tz),
}

/// What a calendar file holds in the range.
#[derive(Debug, Default)]
pub struct Parsed {
    /// Occurrences, in file order.
    pub occurrences: Vec<Occurrence>,
    /// Events that could not be read.
    pub problems: Vec<Problem>,
}

/// A start as written.
#[derive(Debug, Clone, Copy, PartialEq)]
enum When {
    Date(NaiveDate),
    Floating(NaiveDateTime),
    Zoned(DateTime<Tz>),
}

impl When {
    /// The key that matches an occurrence with its EXDATE or RECURRENCE-ID.
    fn key(&self) -> NaiveDateTime {
        match self {
            When::Date(d) => d.and_time(NaiveTime::MIN),
            When::Floating(n) => *n,
            When::Zoned(z) => z.naive_utc(),
        }
    }

    /// The date as the event's own calendar shows it (stable, for UIDs).
    fn own_date(&self) -> NaiveDate {
        match self {
            When::Date(d) => *d,
            When::Floating(n) => n.date(),
            When::Zoned(z) => z.date_naive(),
        }
    }

    fn local(&self, zone: Zone) -> (NaiveDate, Option<NaiveTime>) {
        let n = match self {
            When::Date(d) => return (*d, None),
            When::Floating(n) => *n,
            When::Zoned(z) => match zone {
                Zone::Named(tz) => z.with_timezone(&tz).naive_local(),
                Zone::Local => z.with_timezone(&chrono::Local).naive_local(),
            },
        };
        (n.date(), Some(n.time()))
    }
}

struct RawEvent {
    uid: Option<String>,
    recurrence_id: Option<When>,
    start: When,
    rrule: Option<String>,
    exdates: Vec<When>,
    rdates: Vec<When>,
    sequence: i64,
    title: String,
    location: Option<String>,
    description: Option<String>,
    cancelled: bool,
    attendees: Vec<Attendee>,
    line: usize,
}

/// Reads an iCalendar file. Not iCalendar at all is an error; a broken
/// event is a problem and the others are read.
pub fn read(file: &str, text: &str, range: Range, zone: Zone) -> Result<Parsed, Error> {
    let text = text.trim_start_matches('\u{FEFF}');
    let first = text.lines().map(str::trim).find(|l| !l.is_empty());
    if !first.is_some_and(|l| l.eq_ignore_ascii_case("BEGIN:VCALENDAR")) {
        return Err(Error::NotRecognised {
            file: file.to_string(),
            message: "not an iCalendar file (it does not start with BEGIN:VCALENDAR)".into(),
        });
    }
    let mut out = Parsed::default();
    let chunks = split(text);
    let mut events = Vec::new();
    for chunk in &chunks.events {
        match parse_event(chunk, &chunks.zones, file, &mut out.problems) {
            Ok(Some(e)) => events.push(e),
            Ok(None) => {}
            Err(message) => out.problems.push(Problem {
                file: file.to_string(),
                line: chunk.line,
                message,
            }),
        }
    }
    expand(events, range, zone, file, &mut out);
    Ok(out)
}

struct Chunk {
    line: usize,
    text: String,
}

struct Chunks {
    events: Vec<Chunk>,
    /// TZID → zone, from VTIMEZONE blocks that say where they are
    /// (`X-LIC-LOCATION`, Thunderbird and Apple).
    zones: HashMap<String, Tz>,
}

/// Cuts the file into its VEVENT blocks (with their first line) and reads
/// the zones the VTIMEZONE blocks name.
fn split(text: &str) -> Chunks {
    let mut events = Vec::new();
    let mut zones = HashMap::new();
    let mut current: Option<Chunk> = None;
    let mut in_tz = false;
    let mut tzid: Option<String> = None;
    // Lines end at LF, CRLF or a lone CR.
    let normal;
    let text = if text.contains('\r') {
        normal = text.replace("\r\n", "\n").replace('\r', "\n");
        normal.as_str()
    } else {
        text
    };
    for (i, line) in text.split('\n').enumerate() {
        let bare = line.trim_end();
        if let Some(c) = current.as_mut() {
            c.text.push_str(bare);
            c.text.push('\n');
            if bare.eq_ignore_ascii_case("END:VEVENT") {
                events.extend(current.take());
            }
            continue;
        }
        if bare.eq_ignore_ascii_case("BEGIN:VEVENT") {
            current = Some(Chunk {
                line: i + 1,
                text: String::from("BEGIN:VCALENDAR\nBEGIN:VEVENT\n"),
            });
        } else if bare.eq_ignore_ascii_case("BEGIN:VTIMEZONE") {
            in_tz = true;
            tzid = None;
        } else if bare.eq_ignore_ascii_case("END:VTIMEZONE") {
            in_tz = false;
        } else if in_tz {
            let upper = bare.to_ascii_uppercase();
            if let Some(v) = upper.strip_prefix("TZID:").map(|_| &bare[5..]) {
                tzid = Some(v.trim().to_string());
            } else if upper.starts_with("X-LIC-LOCATION:")
                && let (Some(id), Some(z)) = (&tzid, super::zones::zone(&bare[15..]))
            {
                zones.insert(id.clone(), z);
            }
        }
    }
    // An event that never ends is still offered to the parser, which says so.
    events.extend(current);
    for e in &mut events {
        e.text.push_str("END:VCALENDAR\n");
    }
    Chunks { events, zones }
}

/// Undoes iCalendar TEXT escaping (`\n`, `\,`, `\;`, `\\`).
fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('n' | 'N') => out.push('\n'),
                Some(other) => out.push(other),
                None => out.push('\\'),
            }
        } else {
            out.push(c);
        }
    }
    out
}

fn param<'a>(p: &'a Property, name: &str) -> Option<&'a str> {
    p.params
        .as_ref()?
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .and_then(|(_, v)| v.first())
        .map(String::as_str)
}

fn text_of(p: Option<&Property>) -> Option<String> {
    p.and_then(|p| p.value.as_deref())
        .map(unescape)
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
}

/// Parses one date or date-time value with its TZID.
fn when(
    value: &str,
    tzid: Option<&str>,
    zones: &HashMap<String, Tz>,
    unknown_zone: &mut Option<String>,
) -> Option<When> {
    let v = value.trim();
    if v.len() == 8 {
        return NaiveDate::parse_from_str(v, "%Y%m%d").ok().map(When::Date);
    }
    let (v, utc) = match v.strip_suffix(['Z', 'z']) {
        Some(rest) => (rest, true),
        None => (v, false),
    };
    let n = NaiveDateTime::parse_from_str(v, "%Y%m%dT%H%M%S").ok()?;
    if utc {
        return Some(When::Zoned(Tz::UTC.from_utc_datetime(&n)));
    }
    let Some(id) = tzid else {
        return Some(When::Floating(n));
    };
    let tz = super::zones::zone(id).or_else(|| zones.get(id.trim_matches('"')).copied());
    match tz {
        Some(tz) => {
            // A wall time skipped by a DST change: the next valid one.
            let z = tz.from_local_datetime(&n).earliest().or_else(|| {
                tz.from_local_datetime(&(n + chrono::TimeDelta::hours(1)))
                    .earliest()
            })?;
            Some(When::Zoned(z))
        }
        None => {
            *unknown_zone = Some(id.to_string());
            Some(When::Floating(n))
        }
    }
}

fn parse_event(
    chunk: &Chunk,
    zones: &HashMap<String, Tz>,
    file: &str,
    problems: &mut Vec<Problem>,
) -> Result<Option<RawEvent>, String> {
    let mut parser = ical::IcalParser::new(Cursor::new(chunk.text.as_bytes()));
    let cal = match parser.next() {
        Some(Ok(cal)) => cal,
        Some(Err(e)) => return Err(format!("event cannot be read: {e}")),
        None => return Err("event cannot be read".into()),
    };
    let Some(ev) = cal.events.into_iter().next() else {
        return Err("event cannot be read".into());
    };
    let mut unknown_zone = None;
    let get = |name: &str| {
        ev.properties
            .iter()
            .find(|p| p.name.eq_ignore_ascii_case(name))
    };
    let parse_when = |p: &Property, unknown: &mut Option<String>| -> Option<When> {
        let value = p.value.as_deref()?;
        let w = when(value, param(p, "TZID"), zones, unknown)?;
        // `VALUE=DATE` with a date-time would be odd; a date is a date.
        Some(w)
    };
    let Some(start_prop) = get("DTSTART") else {
        return Err("event has no DTSTART".into());
    };
    let Some(mut start) = parse_when(start_prop, &mut unknown_zone) else {
        return Err(format!(
            "DTSTART {:?} is not a date or date-time",
            start_prop.value.as_deref().unwrap_or("")
        ));
    };
    // Outlook marks all-day events this way while giving midnight times.
    if text_of(get("X-MICROSOFT-CDO-ALLDAYEVENT")).is_some_and(|v| v.eq_ignore_ascii_case("TRUE")) {
        start = When::Date(start.own_date());
    }
    let recurrence_id = match get("RECURRENCE-ID") {
        Some(p) => Some(
            parse_when(p, &mut unknown_zone)
                .ok_or_else(|| "RECURRENCE-ID is not a date or date-time".to_string())?,
        ),
        None => None,
    };
    let mut exdates = Vec::new();
    let mut rdates = Vec::new();
    for p in &ev.properties {
        let list = if p.name.eq_ignore_ascii_case("EXDATE") {
            &mut exdates
        } else if p.name.eq_ignore_ascii_case("RDATE") {
            &mut rdates
        } else {
            continue;
        };
        for v in p.value.as_deref().unwrap_or("").split(',') {
            if let Some(w) = when(v, param(p, "TZID"), zones, &mut unknown_zone) {
                list.push(w);
            }
        }
    }
    let mut attendees: Vec<Attendee> = Vec::new();
    for p in &ev.properties {
        let organizer = p.name.eq_ignore_ascii_case("ORGANIZER");
        if !organizer && !p.name.eq_ignore_ascii_case("ATTENDEE") {
            continue;
        }
        // Meeting rooms and projectors are not people.
        if param(p, "CUTYPE").is_some_and(|c| {
            matches!(
                c.to_ascii_uppercase().as_str(),
                "ROOM" | "RESOURCE" | "UNKNOWN"
            )
        }) {
            continue;
        }
        let value = p.value.as_deref().unwrap_or("").trim();
        let address = param(p, "EMAIL").unwrap_or(value);
        let address = address
            .get(..7)
            .filter(|s| s.eq_ignore_ascii_case("mailto:"))
            .map_or(address, |_| &address[7..]);
        let email = Some(address.trim().to_lowercase()).filter(|a| a.contains('@'));
        let name = param(p, "CN")
            .map(|n| super::text::one_line(&unescape(n)))
            .filter(|n| !n.is_empty() && Some(n.to_lowercase()) != email);
        if email.is_none() && name.is_none() {
            continue;
        }
        let a = Attendee {
            name,
            email,
            partstat: param(p, "PARTSTAT").map(str::to_ascii_uppercase),
        };
        match attendees
            .iter_mut()
            .find(|x| x.email.is_some() && x.email == a.email)
        {
            Some(x) => {
                x.name = x.name.take().or(a.name);
                if a.partstat.is_some() && !organizer {
                    x.partstat = a.partstat;
                }
            }
            None if organizer => attendees.insert(0, a),
            None => attendees.push(a),
        }
    }
    if let Some(z) = unknown_zone {
        problems.push(Problem {
            file: file.to_string(),
            line: chunk.line,
            message: format!("unknown time zone {z:?}: times read as local"),
        });
    }
    let title = text_of(get("SUMMARY")).unwrap_or_else(|| "Untitled event".to_string());
    let uid = text_of(get("UID")).map(|u| super::text::one_line(&u));
    Ok(Some(RawEvent {
        uid,
        recurrence_id,
        start,
        rrule: get("RRULE").and_then(|p| p.value.clone()),
        exdates,
        rdates,
        sequence: text_of(get("SEQUENCE"))
            .and_then(|s| s.parse().ok())
            .unwrap_or(0),
        title,
        location: text_of(get("LOCATION")),
        description: text_of(get("DESCRIPTION")),
        cancelled: text_of(get("STATUS")).is_some_and(|s| s.eq_ignore_ascii_case("CANCELLED")),
        attendees,
        line: chunk.line,
    }))
}

/// A stable stand-in UID for an event without one (they exist in the wild).
fn made_up_uid(e: &RawEvent) -> String {
    // FNV-1a: stable across runs and Rust versions, unlike the std hasher.
    let mut h: u64 = 0xcbf29ce484222325;
    for b in format!("{:?}|{}", e.start.key(), e.title).bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x100000001b3);
    }
    format!("rapport-{h:016x}")
}

fn in_range(date: NaiveDate, range: Range) -> bool {
    date >= range.since && date <= range.until
}

/// Recurrences more frequent than daily are not meetings to take notes of,
/// and expanding them over years is costly.
fn too_frequent(rule: &str) -> bool {
    let upper = rule.to_ascii_uppercase();
    ["FREQ=HOURLY", "FREQ=MINUTELY", "FREQ=SECONDLY"]
        .iter()
        .any(|f| upper.contains(f))
}

/// Starts of a recurring event between `lo` and `hi` (its own zone).
fn recurrences(e: &RawEvent, rule: &str, range: Range) -> Result<Vec<When>, String> {
    let rz = |tz: Tz| rrule::Tz::Tz(tz);
    let (tz, start) = match e.start {
        When::Date(d) => (
            Tz::UTC,
            Tz::UTC.from_utc_datetime(&d.and_time(NaiveTime::MIN)),
        ),
        When::Floating(n) => (Tz::UTC, Tz::UTC.from_utc_datetime(&n)),
        When::Zoned(z) => (z.timezone(), z),
    };
    let start_r = start.with_timezone(&rz(tz));
    // UNTIL is read here: rrule wants it in UTC while calendars also write
    // dates and local times.
    let mut until = None;
    let mut parts = Vec::new();
    for part in rule.split(';').filter(|p| !p.trim().is_empty()) {
        match part.split_once('=') {
            Some((k, v)) if k.trim().eq_ignore_ascii_case("UNTIL") => {
                let mut unknown = None;
                let w = when(v, None, &HashMap::new(), &mut unknown)
                    .ok_or_else(|| format!("RRULE UNTIL {v:?} is not a date"))?;
                let instant: DateTime<Utc> = match w {
                    When::Date(d) => {
                        let end = d.and_hms_opt(23, 59, 59).unwrap_or_default();
                        match e.start {
                            When::Zoned(z) => z
                                .timezone()
                                .from_local_datetime(&end)
                                .latest()
                                .map_or_else(|| Utc.from_utc_datetime(&end), |x| x.to_utc()),
                            _ => Utc.from_utc_datetime(&end),
                        }
                    }
                    When::Floating(n) => match e.start {
                        When::Zoned(z) => z
                            .timezone()
                            .from_local_datetime(&n)
                            .latest()
                            .map_or_else(|| Utc.from_utc_datetime(&n), |x| x.to_utc()),
                        _ => Utc.from_utc_datetime(&n),
                    },
                    When::Zoned(z) => z.to_utc(),
                };
                until = Some(instant.max(start.to_utc()));
            }
            _ => parts.push(part.trim()),
        }
    }
    let mut parsed: rrule::RRule<rrule::Unvalidated> = parts
        .join(";")
        .parse()
        .map_err(|e| format!("RRULE cannot be read: {e}"))?;
    if let Some(u) = until {
        parsed = parsed.until(u.with_timezone(&rrule::Tz::UTC));
    }
    let set = parsed
        .build(start_r)
        .map_err(|e| format!("RRULE cannot be used: {e}"))?;
    let slack = chrono::TimeDelta::days(2);
    let lo = range.since.and_time(NaiveTime::MIN) - slack;
    let hi = range.until.and_time(NaiveTime::MIN) + slack + slack;
    let set = set
        .after(rrule::Tz::UTC.from_utc_datetime(&lo))
        .before(rrule::Tz::UTC.from_utc_datetime(&hi));
    let result = set.all(u16::MAX);
    Ok(result
        .dates
        .into_iter()
        .map(|d| match e.start {
            When::Date(_) => When::Date(d.naive_utc().date()),
            When::Floating(_) => When::Floating(d.naive_utc()),
            When::Zoned(_) => When::Zoned(d.with_timezone(&tz)),
        })
        .collect())
}

fn expand(events: Vec<RawEvent>, range: Range, zone: Zone, file: &str, out: &mut Parsed) {
    // The newest version of each event (highest SEQUENCE, else the last).
    let mut masters: Vec<RawEvent> = Vec::new();
    let mut master_at: HashMap<String, usize> = HashMap::new();
    let mut overrides: Vec<RawEvent> = Vec::new();
    for mut e in events {
        if e.uid.is_none() {
            e.uid = Some(made_up_uid(&e));
        }
        let uid = e.uid.clone().unwrap_or_default();
        if e.recurrence_id.is_some() {
            overrides.push(e);
            continue;
        }
        match master_at.get(&uid) {
            Some(&i) if masters[i].sequence > e.sequence => {}
            Some(&i) => masters[i] = e,
            None => {
                master_at.insert(uid, masters.len());
                masters.push(e);
            }
        }
    }
    // RECURRENCE-ID keys replaced by an override, per UID.
    let mut replaced: HashMap<String, HashSet<NaiveDateTime>> = HashMap::new();
    for o in &overrides {
        if let (Some(u), Some(r)) = (&o.uid, &o.recurrence_id) {
            replaced.entry(u.clone()).or_default().insert(r.key());
        }
    }
    let occurrence = |e: &RawEvent, start: When, uid: String| {
        let (date, time) = start.local(zone);
        Occurrence {
            uid,
            title: e.title.clone(),
            date,
            time,
            location: e.location.clone(),
            description: e.description.clone(),
            attendees: e.attendees.clone(),
            cancelled: e.cancelled,
            file: file.to_string(),
            line: e.line,
        }
    };
    for e in &masters {
        let uid = e.uid.clone().unwrap_or_default();
        let recurring = e.rrule.is_some() || !e.rdates.is_empty();
        if !recurring {
            let o = occurrence(e, e.start, uid);
            if in_range(o.date, range) {
                out.occurrences.push(o);
            }
            continue;
        }
        let mut starts = match e.rrule.as_deref() {
            Some(rule) if too_frequent(rule) => {
                out.problems.push(Problem {
                    file: file.to_string(),
                    line: e.line,
                    message: "recurs more often than daily: only the first occurrence is imported"
                        .into(),
                });
                vec![e.start]
            }
            Some(rule) => match recurrences(e, rule, range) {
                Ok(s) => s,
                Err(message) => {
                    out.problems.push(Problem {
                        file: file.to_string(),
                        line: e.line,
                        message: format!("{message}; only the first occurrence is imported"),
                    });
                    vec![e.start]
                }
            },
            None => vec![e.start],
        };
        starts.extend(e.rdates.iter().copied());
        let skip: HashSet<NaiveDateTime> = e
            .exdates
            .iter()
            .map(When::key)
            .chain(replaced.get(&uid).into_iter().flatten().copied())
            .collect();
        let mut seen = HashSet::new();
        for s in starts {
            if skip.contains(&s.key()) || !seen.insert(s.key()) {
                continue;
            }
            let o = occurrence(e, s, format!("{uid}/{}", s.own_date()));
            if in_range(o.date, range) {
                out.occurrences.push(o);
            }
        }
    }
    for o in &overrides {
        let (Some(uid), Some(rid)) = (&o.uid, &o.recurrence_id) else {
            continue;
        };
        let occ = occurrence(o, o.start, format!("{uid}/{}", rid.own_date()));
        if in_range(occ.date, range) {
            out.occurrences.push(occ);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn range() -> Range {
        Range {
            since: NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
            until: NaiveDate::from_ymd_opt(2026, 12, 31).unwrap(),
        }
    }

    fn berlin() -> Zone {
        Zone::Named(chrono_tz::Europe::Berlin)
    }

    fn cal(body: &str) -> String {
        format!("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n{body}END:VCALENDAR\r\n")
    }

    #[test]
    fn times_in_every_form() {
        let text = cal(concat!(
            "BEGIN:VEVENT\r\nUID:a\r\nDTSTART:20261120T090000Z\r\nSUMMARY:UTC\r\nEND:VEVENT\r\n",
            "BEGIN:VEVENT\r\nUID:b\r\nDTSTART;TZID=W. Europe Standard Time:20261120T100000\r\nSUMMARY:Windows\r\nEND:VEVENT\r\n",
            "BEGIN:VEVENT\r\nUID:c\r\nDTSTART;TZID=America/Los_Angeles:20261120T230000\r\nSUMMARY:Late in LA\r\nEND:VEVENT\r\n",
            "BEGIN:VEVENT\r\nUID:d\r\nDTSTART;VALUE=DATE:20261121\r\nSUMMARY:All day\r\nEND:VEVENT\r\n",
            "BEGIN:VEVENT\r\nUID:e\r\nDTSTART:20261122T080000\r\nSUMMARY:Floating\r\nEND:VEVENT\r\n",
        ));
        let p = read("t.ics", &text, range(), berlin()).unwrap();
        assert!(p.problems.is_empty(), "{:?}", p.problems);
        let got: Vec<(String, String, Option<String>)> = p
            .occurrences
            .iter()
            .map(|o| {
                (
                    o.uid.clone(),
                    o.date.to_string(),
                    o.time.map(|t| t.format("%H:%M").to_string()),
                )
            })
            .collect();
        let s = |a: &str, b: &str, c: Option<&str>| (a.into(), b.into(), c.map(Into::into));
        assert_eq!(
            got,
            vec![
                s("a", "2026-11-20", Some("10:00")),
                s("b", "2026-11-20", Some("10:00")),
                s("c", "2026-11-21", Some("08:00")),
                s("d", "2026-11-21", None),
                s("e", "2026-11-22", Some("08:00")),
            ]
        );
    }

    #[test]
    fn recurrence_with_exdate_and_override() {
        let text = cal(concat!(
            "BEGIN:VEVENT\nUID:weekly\nDTSTART;TZID=Europe/Berlin:20261102T100000\nRRULE:FREQ=WEEKLY;UNTIL=20261130T090000Z\n",
            "EXDATE;TZID=Europe/Berlin:20261109T100000\nSUMMARY:Weekly\nEND:VEVENT\n",
            "BEGIN:VEVENT\nUID:weekly\nRECURRENCE-ID;TZID=Europe/Berlin:20261116T100000\nDTSTART;TZID=Europe/Berlin:20261117T150000\nSUMMARY:Weekly (moved)\nEND:VEVENT\n",
            "BEGIN:VEVENT\nUID:weekly\nRECURRENCE-ID;TZID=Europe/Berlin:20261123T100000\nDTSTART;TZID=Europe/Berlin:20261123T100000\nSTATUS:CANCELLED\nSUMMARY:Weekly\nEND:VEVENT\n",
        ));
        let p = read("t.ics", &text, range(), berlin()).unwrap();
        assert!(p.problems.is_empty(), "{:?}", p.problems);
        let got: Vec<(String, String, bool)> = p
            .occurrences
            .iter()
            .map(|o| (o.uid.clone(), o.date.to_string(), o.cancelled))
            .collect();
        assert_eq!(
            got,
            vec![
                ("weekly/2026-11-02".into(), "2026-11-02".into(), false),
                ("weekly/2026-11-30".into(), "2026-11-30".into(), false),
                ("weekly/2026-11-16".into(), "2026-11-17".into(), false),
                ("weekly/2026-11-23".into(), "2026-11-23".into(), true),
            ]
        );
    }

    #[test]
    fn range_limits_expansion_and_single_events() {
        let text = cal(
            "BEGIN:VEVENT\nUID:daily\nDTSTART;VALUE=DATE:20200101\nRRULE:FREQ=DAILY\nSUMMARY:Standup\nEND:VEVENT\n",
        );
        let r = Range {
            since: NaiveDate::from_ymd_opt(2026, 3, 1).unwrap(),
            until: NaiveDate::from_ymd_opt(2026, 3, 10).unwrap(),
        };
        let p = read("t.ics", &text, r, berlin()).unwrap();
        assert_eq!(p.occurrences.len(), 10);
        assert_eq!(p.occurrences[0].uid, "daily/2026-03-01");
    }

    #[test]
    fn broken_events_are_problems_and_others_survive() {
        let text = cal(concat!(
            "BEGIN:VEVENT\nUID:ok\nDTSTART:20261120T090000Z\nSUMMARY:Fine\nEND:VEVENT\n",
            "BEGIN:VEVENT\nUID:bad\nDTSTART:yesterday\nSUMMARY:Broken\nEND:VEVENT\n",
            "BEGIN:VEVENT\nUID:nostart\nSUMMARY:No start\nEND:VEVENT\n",
            "BEGIN:VEVENT\nUID:rule\nDTSTART:20261120T090000Z\nRRULE:FREQ=SOMETIMES\nSUMMARY:Odd rule\nEND:VEVENT\n",
            "BEGIN:VEVENT\nUID:zone\nDTSTART;TZID=Mars/Olympus:20261120T090000\nSUMMARY:Odd zone\nEND:VEVENT\n",
        ));
        let p = read("t.ics", &text, range(), berlin()).unwrap();
        let uids: Vec<&str> = p.occurrences.iter().map(|o| o.uid.as_str()).collect();
        assert_eq!(uids, vec!["ok", "rule/2026-11-20", "zone"]);
        let lines: Vec<usize> = p.problems.iter().map(|p| p.line).collect();
        assert_eq!(lines, vec![8, 13, 23, 17], "{:?}", p.problems);
        assert!(read("t.ics", "hello", range(), berlin()).is_err());
        assert!(read("t.ics", "BEGIN:VCARD\nEND:VCARD\n", range(), berlin()).is_err());
    }
}
