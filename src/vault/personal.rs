//! Relationship memory in a person note: the dates that matter (`birthday`,
//! a `dates` map), how we met (`met`, `how_we_met`, `introduced_by`) and
//! "not now" (`snooze`).
//!
//! Kept apart from the other person fields because these follow their own
//! rules: a birthday may lack its year (`--12-03` or `12-03`, as vCard
//! allows), and a yearly date must land somewhere in every year, so
//! 29 February falls on 28 February when the year has none.

use std::fmt;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_yaml::Value;

use super::frontmatter::{Fields, strings};
use super::{Problem, ProblemCode, dates, field_line, refs};

/// A day of the year, with the year when it is known (a birthday written
/// `--12-03` has none).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PartialDate {
    /// The year, when known.
    pub year: Option<i32>,
    /// 1–12.
    pub month: u32,
    /// 1–31, valid for the month (29 February allowed without a year).
    pub day: u32,
}

impl PartialDate {
    /// Parses `YYYY-MM-DD`, `--MM-DD` or `MM-DD`.
    ///
    /// ```
    /// use rapport::vault::personal::PartialDate;
    /// assert_eq!(PartialDate::parse("--02-29").unwrap().to_string(), "--02-29");
    /// assert_eq!(PartialDate::parse("1988-12-03").unwrap().year, Some(1988));
    /// assert!(PartialDate::parse("02-30").is_none());
    /// ```
    pub fn parse(text: &str) -> Option<PartialDate> {
        let t = text.trim();
        if let Some(d) = dates::parse_date(t) {
            return Some(PartialDate {
                year: Some(d.year()),
                month: d.month(),
                day: d.day(),
            });
        }
        let md = t.strip_prefix("--").unwrap_or(t);
        let b = md.as_bytes();
        if b.len() != 5
            || b[2] != b'-'
            || !md[..2]
                .bytes()
                .chain(md[3..].bytes())
                .all(|c| c.is_ascii_digit())
        {
            return None;
        }
        let (month, day) = (md[..2].parse().ok()?, md[3..].parse().ok()?);
        // 2000 is a leap year: any real month-day exists in it.
        NaiveDate::from_ymd_opt(2000, month, day)?;
        Some(PartialDate {
            year: None,
            month,
            day,
        })
    }

    /// This day in `year`; 29 February is 28 February in a common year.
    pub fn in_year(&self, year: i32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(year, self.month, self.day).or_else(|| {
            (self.month == 2 && self.day == 29)
                .then(|| NaiveDate::from_ymd_opt(year, 2, 28))
                .flatten()
        })
    }

    /// The first occurrence on or after `from`.
    pub fn next_on_or_after(&self, from: NaiveDate) -> Option<NaiveDate> {
        let this = self.in_year(from.year())?;
        if this >= from {
            Some(this)
        } else {
            self.in_year(from.year() + 1)
        }
    }

    /// Whole years from the known year to `on` (an age, an anniversary).
    pub fn years_at(&self, on: NaiveDate) -> Option<i32> {
        self.year.map(|y| on.year() - y)
    }

    /// The full date, when the year is known.
    pub fn full(&self) -> Option<NaiveDate> {
        self.year
            .and_then(|y| NaiveDate::from_ymd_opt(y, self.month, self.day))
    }
}

impl fmt::Display for PartialDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.year {
            Some(y) => write!(f, "{y:04}-{:02}-{:02}", self.month, self.day),
            None => write!(f, "--{:02}-{:02}", self.month, self.day),
        }
    }
}

impl Serialize for PartialDate {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for PartialDate {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        PartialDate::parse(&s).ok_or_else(|| serde::de::Error::custom("not a date"))
    }
}

/// A named date of a person (`anniversary`, `joined Acme`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NamedDate {
    /// What the date is, as written.
    pub what: String,
    /// The date.
    pub date: PartialDate,
}

/// The relationship fields of a person note.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Personal {
    /// Birthday.
    pub birthday: Option<PartialDate>,
    /// Other dates that matter, in the order written.
    pub dates: Vec<NamedDate>,
    /// When we first met.
    pub met: Option<NaiveDate>,
    /// How we met, as written.
    pub how_we_met: Option<String>,
    /// Who introduced us: a reference to a person, as written.
    pub introduced_by: Option<String>,
    /// Keep-in-touch is not listed before this date.
    pub snooze: Option<NaiveDate>,
}

impl Personal {
    /// Every yearly date: the birthday first, then the `dates` map.
    pub fn yearly(&self) -> Vec<NamedDate> {
        self.birthday
            .map(|date| NamedDate {
                what: "birthday".into(),
                date,
            })
            .into_iter()
            .chain(self.dates.iter().cloned())
            .collect()
    }
}

/// Reads the relationship fields, reporting each bad value with its line.
pub fn read(text: &str, fields: &Fields, problems: &mut Vec<Problem>) -> Personal {
    let mut bad = |key: &str, line: Option<usize>, raw: &str, expected: &str| {
        problems.push(Problem::new(
            ProblemCode::BadPersonDate,
            line,
            format!("{key} '{}' is not a date (use {expected})", one_line(raw)),
        ));
    };
    let raw_of = |v: &Value| strings(v).into_iter().next().unwrap_or_default();
    let present = |key: &str| fields.get(key).filter(|v| !v.is_null());

    let birthday = present("birthday").and_then(|v| {
        let raw = raw_of(v);
        let d = PartialDate::parse(&raw);
        if d.is_none() {
            bad(
                "birthday",
                field_line(text, "birthday"),
                &raw,
                "YYYY-MM-DD, or --MM-DD when the year is unknown",
            );
        }
        d
    });
    let mut named = Vec::new();
    if let Some(v) = present("dates") {
        let at = field_line(text, "dates");
        match v {
            Value::Mapping(map) => {
                for (k, val) in map {
                    let what = strings(k).into_iter().next().unwrap_or_default();
                    let what = one_line(&what);
                    if what.is_empty() {
                        continue;
                    }
                    let raw = raw_of(val);
                    match PartialDate::parse(&raw) {
                        Some(date) => named.push(NamedDate { what, date }),
                        None => bad(
                            &format!("dates: {what}:"),
                            at.and_then(|l| entry_line(text, l, &what)).or(at),
                            &raw,
                            "YYYY-MM-DD or --MM-DD",
                        ),
                    }
                }
            }
            other => bad(
                "dates",
                at,
                &raw_of(other),
                "a map such as `anniversary: 2019-06-01`",
            ),
        }
    }
    let mut full_date = |key: &str| {
        present(key).and_then(|v| {
            let raw = raw_of(v);
            let d = dates::parse_date(&raw);
            if d.is_none() {
                bad(key, field_line(text, key), &raw, "YYYY-MM-DD");
            }
            d
        })
    };
    let met = full_date("met");
    let snooze = full_date("snooze");
    let how_we_met = present("how_we_met")
        .map(|v| strings(v).join(", "))
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty());
    let introduced_by = present("introduced_by").and_then(|v| {
        strings(v)
            .iter()
            .flat_map(|s| refs::references_in(s))
            .next()
    });
    Personal {
        birthday,
        dates: named,
        met,
        how_we_met,
        introduced_by,
        snooze,
    }
}

use super::clean::one_line;

/// The line of `key:` indented under the map that starts at `parent`.
fn entry_line(text: &str, parent: usize, key: &str) -> Option<usize> {
    text.lines()
        .enumerate()
        .skip(parent)
        .take(200)
        .take_while(|(_, l)| l.starts_with([' ', '\t']) || l.trim().is_empty())
        .find(|(_, l)| {
            l.split_once(':')
                .is_some_and(|(k, _)| k.trim().trim_matches(['"', '\'']).trim() == key)
        })
        .map(|(i, _)| i + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        dates::parse_ymd(s).unwrap()
    }

    fn read_yaml(yaml: &str) -> (Personal, Vec<Problem>) {
        let text = format!("---\n{yaml}---\n");
        let mut problems = Vec::new();
        let fields = super::super::frontmatter::parse(yaml, &mut problems).unwrap();
        let p = read(&text, &fields, &mut problems);
        (p, problems)
    }

    #[test]
    fn birthdays_with_and_without_a_year() {
        for (raw, shown) in [
            ("1988-12-03", "1988-12-03"),
            ("--12-03", "--12-03"),
            ("12-03", "--12-03"),
            ("\"--02-29\"", "--02-29"),
        ] {
            let (p, problems) = read_yaml(&format!("birthday: {raw}\n"));
            assert!(problems.is_empty(), "{raw}: {problems:?}");
            assert_eq!(p.birthday.unwrap().to_string(), shown);
        }
        for bad in ["1988-13-03", "--02-30", "soon", "12/03", "2026-11"] {
            let (p, problems) = read_yaml(&format!("name: X\nbirthday: {bad}\n"));
            assert!(p.birthday.is_none(), "{bad}");
            assert_eq!(problems.len(), 1, "{bad}");
            assert_eq!(problems[0].code, ProblemCode::BadPersonDate);
            assert_eq!(problems[0].line, Some(3), "{bad}");
        }
    }

    #[test]
    fn the_29th_of_february_falls_on_the_28th_in_common_years() {
        let leap = PartialDate::parse("2000-02-29").unwrap();
        assert_eq!(leap.in_year(2027), Some(d("2027-02-28")));
        assert_eq!(leap.in_year(2028), Some(d("2028-02-29")));
        assert_eq!(
            leap.next_on_or_after(d("2027-03-01")),
            Some(d("2028-02-29"))
        );
        assert_eq!(
            leap.next_on_or_after(d("2026-12-20")),
            Some(d("2027-02-28"))
        );
        assert_eq!(leap.years_at(d("2027-02-28")), Some(27));
    }

    #[test]
    fn dates_map_keeps_labels_and_reports_bad_entries_on_their_line() {
        let (p, problems) = read_yaml(
            "name: X\ndates:\n  anniversary: 2019-06-01\n  joined Acme: 2024-02-01\n  first child: sometime\n  name day: --05-12\n",
        );
        let got: Vec<(String, String)> = p
            .dates
            .iter()
            .map(|n| (n.what.clone(), n.date.to_string()))
            .collect();
        assert_eq!(
            got,
            vec![
                ("anniversary".into(), "2019-06-01".into()),
                ("joined Acme".into(), "2024-02-01".into()),
                ("name day".into(), "--05-12".into()),
            ]
        );
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].line, Some(6));
        assert!(problems[0].message.contains("first child"));
        let (_, problems) = read_yaml("dates: 2019-06-01\n");
        assert_eq!(problems[0].code, ProblemCode::BadPersonDate);
    }

    #[test]
    fn met_how_introduced_and_snooze() {
        let (p, problems) = read_yaml(
            "met: 2019-05-01\nhow_we_met: \"PyCon Berlin,\\nhallway track\"\nintroduced-by: \"[[people/ruth|Ruth]]\"\nsnooze: 2026-12-15\n",
        );
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(p.met, Some(d("2019-05-01")));
        assert_eq!(
            p.how_we_met.as_deref(),
            Some("PyCon Berlin,\nhallway track")
        );
        assert_eq!(p.introduced_by.as_deref(), Some("people/ruth"));
        assert_eq!(p.snooze, Some(d("2026-12-15")));
        let (p, problems) = read_yaml("met: last spring\nsnooze: later\n");
        assert_eq!((p.met, p.snooze), (None, None));
        let lines: Vec<Option<usize>> = problems.iter().map(|p| p.line).collect();
        assert_eq!(lines, vec![Some(2), Some(3)]);
    }

    #[test]
    fn one_line_flattens_control_characters() {
        assert_eq!(one_line("a\n\n## b\r\tc"), "a ## b c");
    }
}
