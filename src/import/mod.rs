//! Import: the exports a user can download (an `.ics` calendar, a `.vcf`
//! address book, LinkedIn's `Connections.csv`) become **new** notes.
//!
//! rapport never modifies a note, and importing keeps that promise: the
//! readers ([`calendar`], [`contacts`]) turn untrusted files into plain
//! items, [`plan`] decides purely what would be created and what already
//! exists (by front-matter `uid`, e-mail or name), and [`write`](mod@write) creates only
//! new files, atomically, never replacing one. Running an import twice
//! creates nothing the second time, even after the user renamed or rewrote
//! the notes, because every note it makes carries the item's `uid`.

pub mod calendar;
pub mod contacts;
pub mod plan;
pub mod text;
pub mod write;
pub mod zones;

use serde::Serialize;

pub use plan::{Created, Existing, Known, Plan, PlanOpts, Skipped};

/// A problem with one item of an input file (one broken event, one card):
/// reported, never fatal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// The input file (`-` for standard input).
    pub file: String,
    /// 1-based line in that file.
    pub line: usize,
    /// What is wrong.
    pub message: String,
}

/// A file that cannot be imported at all.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Not an iCalendar / vCard / LinkedIn file.
    #[error("{file}: {message}")]
    NotRecognised {
        /// The file.
        file: String,
        /// Why.
        message: String,
    },
}
