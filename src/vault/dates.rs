//! Dates and intervals as people write them in notes and on the command line.
//!
//! Notes carry calendar dates (`2026-11-20`, `2026-11-20T14:30:00+02:00`,
//! `"2026-11-20 09:15"`), keep-in-touch cadences (`2w`, `monthly`) and, on the
//! command line, relative dates (`7d`, `this-quarter`). All of them end up as a
//! [`NaiveDate`] or a number of days; the time of day is never needed.

use chrono::{Datelike, Days, Months, NaiveDate};

/// Parses a date as written in front matter: `YYYY-MM-DD`, optionally followed
/// by a time (`T14:30`, ` 09:15:00`, with or without an offset). The calendar
/// date is the one written; no time-zone conversion is done. Wikilink brackets
/// (`[[2026-11-20]]`) are tolerated.
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    let t = text
        .trim()
        .trim_start_matches("[[")
        .trim_end_matches("]]")
        .trim();
    let head = t.get(..10)?;
    let date = parse_ymd(head)?;
    let rest = &t[10..];
    if rest.is_empty() {
        return Some(date);
    }
    let rest = rest.strip_prefix('T').or_else(|| rest.strip_prefix(' '))?;
    is_time(rest.trim()).then_some(date)
}

/// `YYYY-MM-DD` as bytes, for years 0 to 9999 (chrono writes others with a
/// sign): what `to_string` gives, without the formatting machinery.
pub fn ymd(d: NaiveDate) -> Option<[u8; 10]> {
    let year = u32::try_from(d.year()).ok().filter(|y| *y <= 9999)?;
    let mut out = *b"0000-00-00";
    let mut put = |at: usize, width: usize, mut n: u32| {
        for i in (at..at + width).rev() {
            out[i] = b'0' + (n % 10) as u8;
            n /= 10;
        }
    };
    put(0, 4, year);
    put(5, 2, d.month());
    put(8, 2, d.day());
    Some(out)
}

/// Strict `YYYY-MM-DD` (four-digit year, two-digit month and day).
pub fn parse_ymd(s: &str) -> Option<NaiveDate> {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let digits = |r: std::ops::Range<usize>| -> Option<u32> {
        let part = &s[r];
        part.bytes()
            .all(|c| c.is_ascii_digit())
            .then(|| part.parse().ok())?
    };
    let year = digits(0..4)? as i32;
    if !YEARS.contains(&year) {
        return None;
    }
    NaiveDate::from_ymd_opt(year, digits(5..7)?, digits(8..10)?)
}

/// Years rapport accepts in a date: the index keeps nanoseconds in 64 bits,
/// which reach from 1678 to 2261; anything outside is almost surely a typo
/// (`1026` for `2026`) and is reported rather than silently moved.
pub const YEARS: std::ops::RangeInclusive<i32> = 1678..=2261;

/// A `YYYY-MM-DD` at the start of a file name (`2026-11-20 Atlas kickoff`).
pub fn date_prefix(stem: &str) -> Option<NaiveDate> {
    let head = stem.get(..10)?;
    let date = parse_ymd(head)?;
    // "2026-11-20x" is not a dated name, "2026-11-20 x", "2026-11-20_x" are.
    match stem[10..].chars().next() {
        None => Some(date),
        Some(c) if !c.is_ascii_alphanumeric() => Some(date),
        _ => None,
    }
}

/// `HH:MM`, `HH:MM:SS`, fractional seconds, then an optional `Z` or `±HH:MM` offset.
fn is_time(s: &str) -> bool {
    let mut rest = s;
    let two_digits = |r: &mut &str, max: u32| -> bool {
        match r.get(..2).and_then(|d| d.parse::<u32>().ok()) {
            Some(v) if v <= max && r.as_bytes()[..2].iter().all(u8::is_ascii_digit) => {
                *r = &r[2..];
                true
            }
            _ => false,
        }
    };
    if !two_digits(&mut rest, 23) {
        return false;
    }
    let Some(r) = rest.strip_prefix(':') else {
        return false;
    };
    rest = r;
    if !two_digits(&mut rest, 59) {
        return false;
    }
    if let Some(r) = rest.strip_prefix(':') {
        rest = r;
        if !two_digits(&mut rest, 60) {
            return false;
        }
        if let Some(r) = rest.strip_prefix('.') {
            rest = r.trim_start_matches(|c: char| c.is_ascii_digit());
        }
    }
    let rest = rest.trim();
    if rest.is_empty() || rest == "Z" || rest == "z" {
        return true;
    }
    let Some(off) = rest.strip_prefix('+').or_else(|| rest.strip_prefix('-')) else {
        return false;
    };
    let mut off = off;
    two_digits(&mut off, 23) && {
        let off = off.strip_prefix(':').unwrap_or(off);
        off.is_empty() || (off.len() == 2 && off.bytes().all(|c| c.is_ascii_digit()))
    }
}

/// Parses a keep-in-touch cadence into days: `7d`, `2w`, `3m` (30 days a
/// month, so `3m` = 90), `1y` (365), a bare number of days, or one of
/// weekly/biweekly/fortnightly/monthly/quarterly/yearly/annually, or the
/// A/B/C/D letters of Derek Sivers' contact lists (3 weeks, 2 months,
/// 6 months, a year).
pub fn parse_cadence(text: &str) -> Option<u32> {
    let t = text.trim().to_ascii_lowercase();
    let named = match t.as_str() {
        "daily" => Some(1),
        "weekly" => Some(7),
        "biweekly" | "fortnightly" => Some(14),
        "monthly" => Some(30),
        "bimonthly" => Some(60),
        "quarterly" => Some(90),
        "yearly" | "annually" | "annual" => Some(365),
        // Derek Sivers' contact lists: A every 3 weeks, B every 2 months,
        // C every 6 months, D once a year.
        "a" => Some(21),
        "b" => Some(60),
        "c" => Some(180),
        "d" => Some(365),
        _ => None,
    };
    if named.is_some() {
        return named;
    }
    let days = parse_span(&t)?;
    (days > 0).then_some(days)
}

/// `N`, `Nd`, `Nw`, `Nm`, `Ny` (also `N days`, `N weeks`…) as a number of days.
pub fn parse_span(t: &str) -> Option<u32> {
    let t = t.trim();
    let split = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let (num, unit) = t.split_at(split);
    let n: u32 = num.parse().ok()?;
    let mult = match unit.trim() {
        "" | "d" | "day" | "days" => 1,
        "w" | "wk" | "week" | "weeks" => 7,
        "m" | "mo" | "month" | "months" => 30,
        "q" | "quarter" | "quarters" => 90,
        "y" | "yr" | "year" | "years" => 365,
        _ => return None,
    };
    // A century is the longest interval that makes sense between contacts.
    n.checked_mul(mult).filter(|d| *d <= 36_500)
}

/// A date given on the command line: `YYYY-MM-DD`, `today`, `yesterday`,
/// `7d`/`2w`/`3m`/`1y` (that long ago), `last-week`, `this-week`,
/// `this-month`, `last-month`, `this-quarter`, `last-quarter`, `this-year`.
/// Periods mean their first day; pair with [`period_end`] for `--until`.
pub fn parse_relative(text: &str, today: NaiveDate) -> Result<NaiveDate, String> {
    period(text, today).map(|(start, _)| start)
}

/// The last day of the period a relative date names (`this-month` → the last
/// day of this month); for a single day it is that day.
pub fn period_end(text: &str, today: NaiveDate) -> Result<NaiveDate, String> {
    period(text, today).map(|(_, end)| end)
}

fn period(text: &str, today: NaiveDate) -> Result<(NaiveDate, NaiveDate), String> {
    let t = text.trim().to_ascii_lowercase().replace('_', "-");
    let day = |d: NaiveDate| Ok((d, d));
    let month_start = |d: NaiveDate| d.with_day(1).unwrap_or(d);
    let month_end = |start: NaiveDate| {
        start
            .checked_add_months(Months::new(1))
            .and_then(|d| d.pred_opt())
            .unwrap_or(start)
    };
    let quarter_start =
        |d: NaiveDate| NaiveDate::from_ymd_opt(d.year(), (d.month0() / 3) * 3 + 1, 1).unwrap_or(d);
    let week_start = |d: NaiveDate| d - Days::new(d.weekday().num_days_from_monday() as u64);
    match t.as_str() {
        "today" => day(today),
        "yesterday" => day(today.pred_opt().unwrap_or(today)),
        // Ahead, for notes written before the meeting (`new meeting --date`).
        "tomorrow" => day(today.succ_opt().unwrap_or(today)),
        "next-week" => {
            let s = week_start(today) + Days::new(7);
            Ok((s, s + Days::new(6)))
        }
        "next-month" => {
            let s = month_start(today)
                .checked_add_months(Months::new(1))
                .unwrap_or(today);
            Ok((s, month_end(s)))
        }
        "this-week" => {
            let s = week_start(today);
            Ok((s, s + Days::new(6)))
        }
        "last-week" => {
            let s = week_start(today) - Days::new(7);
            Ok((s, s + Days::new(6)))
        }
        "this-month" => {
            let s = month_start(today);
            Ok((s, month_end(s)))
        }
        "last-month" => {
            let s = month_start(today)
                .checked_sub_months(Months::new(1))
                .unwrap_or(today);
            Ok((s, month_end(s)))
        }
        "this-quarter" | "last-quarter" => {
            let mut s = quarter_start(today);
            if t == "last-quarter" {
                s = s.checked_sub_months(Months::new(3)).unwrap_or(s);
            }
            let e = s
                .checked_add_months(Months::new(3))
                .and_then(|d| d.pred_opt())
                .unwrap_or(s);
            Ok((s, e))
        }
        "this-year" | "last-year" => {
            let y = if t == "this-year" {
                today.year()
            } else {
                today.year() - 1
            };
            match (
                NaiveDate::from_ymd_opt(y, 1, 1),
                NaiveDate::from_ymd_opt(y, 12, 31),
            ) {
                (Some(s), Some(e)) => Ok((s, e)),
                _ => Err(format!("'{text}' is out of range")),
            }
        }
        _ => {
            if let Some(d) = parse_ymd(&t) {
                return day(d);
            }
            let ago = t
                .strip_suffix("-ago")
                .or_else(|| t.strip_suffix(" ago"))
                .unwrap_or(&t);
            if let Some(days) =
                parse_span(ago).filter(|_| ago.ends_with(|c: char| c.is_ascii_alphabetic()))
            {
                return today
                    .checked_sub_days(Days::new(days as u64))
                    .map(|d| (d, d))
                    .ok_or_else(|| format!("'{text}' is out of range"));
            }
            Err(format!(
                "'{text}' is not a date: use YYYY-MM-DD, today, yesterday, tomorrow, 7d, 2w, 3m, 1y, \
                 last-week, this-month, next-week or this-quarter"
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        parse_ymd(s).unwrap()
    }

    #[test]
    fn ymd_writes_what_chrono_writes() {
        for (y, m, day) in [
            (2026, 11, 27),
            (1, 1, 1),
            (0, 12, 31),
            (9999, 12, 31),
            (999, 3, 4),
        ] {
            let date = NaiveDate::from_ymd_opt(y, m, day).unwrap();
            let bytes = ymd(date).unwrap();
            assert_eq!(std::str::from_utf8(&bytes).unwrap(), date.to_string());
        }
        for y in [-1, 10000] {
            assert_eq!(ymd(NaiveDate::from_ymd_opt(y, 1, 1).unwrap()), None);
        }
    }

    #[test]
    fn front_matter_date_forms() {
        assert_eq!(parse_date("2026-10-01"), Some(d("2026-10-01")));
        assert_eq!(
            parse_date("2026-10-01T14:30:00+02:00"),
            Some(d("2026-10-01"))
        );
        assert_eq!(parse_date("2026-10-01T14:30"), Some(d("2026-10-01")));
        assert_eq!(parse_date("2026-10-01T23:30:00Z"), Some(d("2026-10-01")));
        assert_eq!(parse_date("2026-10-01 09:15"), Some(d("2026-10-01")));
        assert_eq!(parse_date("2026-10-01 09:15:07.5"), Some(d("2026-10-01")));
        assert_eq!(parse_date("[[2026-10-01]]"), Some(d("2026-10-01")));
        assert_eq!(parse_date("2026-02-30"), None);
        assert_eq!(parse_date("2026-10-01 lunch"), None);
        assert_eq!(parse_date("next tuesday"), None);
        assert_eq!(parse_date("2026-1-1"), None);
        assert_eq!(
            parse_date("1026-11-20"),
            None,
            "out of the years the index holds"
        );
        assert_eq!(parse_date("9999-12-31"), None);
    }

    #[test]
    fn file_name_date_prefix() {
        assert_eq!(
            date_prefix("2023-09-12 Meeting with Steph"),
            Some(d("2023-09-12"))
        );
        assert_eq!(date_prefix("2023-09-12"), Some(d("2023-09-12")));
        assert_eq!(date_prefix("2023-09-12a"), None);
        assert_eq!(date_prefix("Meeting 2023-09-12"), None);
    }

    #[test]
    fn cadences() {
        assert_eq!(parse_cadence("7d"), Some(7));
        assert_eq!(parse_cadence("2w"), Some(14));
        assert_eq!(parse_cadence("3m"), Some(90));
        assert_eq!(parse_cadence("1y"), Some(365));
        assert_eq!(parse_cadence("45"), Some(45));
        assert_eq!(parse_cadence("weekly"), Some(7));
        assert_eq!(parse_cadence("biweekly"), Some(14));
        assert_eq!(parse_cadence("Monthly"), Some(30));
        assert_eq!(parse_cadence("quarterly"), Some(90));
        assert_eq!(parse_cadence("yearly"), Some(365));
        assert_eq!(parse_cadence("sometimes"), None);
        assert_eq!(parse_cadence("0"), None);
        assert_eq!(parse_cadence("-3d"), None);
        assert_eq!(parse_cadence("4294967295"), None);
        assert_eq!(parse_cadence("100y"), Some(36_500));
        assert_eq!(parse_cadence("101y"), None);
        // Sivers' A/B/C/D lists, any case.
        assert_eq!(parse_cadence("A"), Some(21));
        assert_eq!(parse_cadence("b"), Some(60));
        assert_eq!(parse_cadence("C"), Some(180));
        assert_eq!(parse_cadence("d"), Some(365));
        assert_eq!(parse_cadence("E"), None);
    }

    #[test]
    fn relative_dates() {
        let today = d("2026-11-26"); // a Thursday
        assert_eq!(parse_relative("today", today), Ok(today));
        assert_eq!(parse_relative("yesterday", today), Ok(d("2026-11-25")));
        assert_eq!(parse_relative("7d", today), Ok(d("2026-11-19")));
        assert_eq!(parse_relative("2w", today), Ok(d("2026-11-12")));
        assert_eq!(parse_relative("3m", today), Ok(d("2026-08-28")));
        assert_eq!(parse_relative("1y", today), Ok(d("2025-11-26")));
        assert_eq!(parse_relative("last-week", today), Ok(d("2026-11-16")));
        assert_eq!(period_end("last-week", today), Ok(d("2026-11-22")));
        assert_eq!(parse_relative("this-month", today), Ok(d("2026-11-01")));
        assert_eq!(period_end("this-month", today), Ok(d("2026-11-30")));
        assert_eq!(parse_relative("this-quarter", today), Ok(d("2026-10-01")));
        assert_eq!(period_end("this-quarter", today), Ok(d("2026-12-31")));
        assert_eq!(parse_relative("tomorrow", today), Ok(d("2026-11-27")));
        assert_eq!(parse_relative("next-week", today), Ok(d("2026-11-30")));
        assert_eq!(period_end("next-week", today), Ok(d("2026-12-06")));
        assert_eq!(parse_relative("next-month", today), Ok(d("2026-12-01")));
        assert_eq!(period_end("next-month", today), Ok(d("2026-12-31")));
        assert_eq!(parse_relative("2026-01-05", today), Ok(d("2026-01-05")));
        assert!(parse_relative("2026-02-30", today).is_err());
        assert!(parse_relative("soon", today).is_err());
        assert!(parse_relative("99999999999d", today).is_err());
    }
}
