//! Typed argument values: clap value enums for the closed sets (`--kind`,
//! `--relation`) and value parsers for dates, spans and cadences, so that a
//! bad value is refused while parsing with a message naming the flag.

use chrono::NaiveDate;

use crate::vault::{Kind, Relation, dates};

/// `--kind` of `search`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum KindArg {
    /// Person notes
    Person,
    /// Meeting notes
    Meeting,
    /// Any other note
    Note,
}

impl From<KindArg> for Kind {
    fn from(k: KindArg) -> Kind {
        match k {
            KindArg::Person => Kind::Person,
            KindArg::Meeting => Kind::Meeting,
            KindArg::Note => Kind::Note,
        }
    }
}

/// `--relation` of `people` and `new person`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum RelationArg {
    /// A colleague
    Internal,
    /// Anyone outside the organisation
    External,
}

impl From<RelationArg> for Relation {
    fn from(r: RelationArg) -> Relation {
        match r {
            RelationArg::Internal => Relation::Internal,
            RelationArg::External => Relation::External,
        }
    }
}

/// The day relative dates count from (local time).
pub fn today() -> NaiveDate {
    chrono::Local::now().date_naive()
}

/// A `--since`-style date: a period means its first day.
pub fn since(text: &str) -> Result<NaiveDate, String> {
    dates::parse_relative(text, today())
}

/// An `--until`-style date: a period means its last day.
pub fn until(text: &str) -> Result<NaiveDate, String> {
    dates::period_end(text, today())
}

/// A span in days (`30d`, `2w`, `1m`).
pub fn span(text: &str) -> Result<u32, String> {
    dates::parse_span(text).ok_or_else(|| format!("'{text}' is not a span (use 30d, 2w, 1m)"))
}

/// A keep-in-touch cadence, kept as typed once it is known to parse.
pub fn cadence(text: &str) -> Result<String, String> {
    match dates::parse_cadence(text) {
        Some(_) => Ok(text.to_string()),
        None => Err(format!(
            "'{text}' is not an interval (use 7d, 2w, 3m, 1y, or weekly/monthly/quarterly)"
        )),
    }
}

/// One line for a value clap refused: `--since: '2026-13-45' is not a date…`.
/// `None` for the errors clap words well itself (unknown flags, help).
pub fn one_line(e: &clap::Error) -> Option<String> {
    use clap::error::{ContextKind, ContextValue, ErrorKind};
    if e.kind() != ErrorKind::ValueValidation {
        return None;
    }
    let arg = match e.get(ContextKind::InvalidArg) {
        Some(ContextValue::String(s)) => s.split_whitespace().next().unwrap_or(s).to_string(),
        _ => return None,
    };
    let why = std::error::Error::source(e)?.to_string();
    Some(format!("{arg}: {why}"))
}
