//! rapport: a local-first tool for people who keep their professional network
//! in plain Markdown.
//!
//! The notes in a folder (the *vault*) are the source of truth. [`vault`]
//! reads them, [`index`] keeps a rebuildable tantivy cache of them outside the
//! vault, [`query`] and [`followup`] answer questions from that cache, and
//! [`render`] prints the answers. rapport never modifies a note.

#![warn(missing_docs)]

pub mod app;
pub mod check;
pub mod cli;
pub mod config;
pub mod export;
pub mod followup;
pub mod fsutil;
pub mod heap;
pub mod import;
pub mod index;
pub mod map;
pub mod query;
pub mod relate;
pub mod render;
#[cfg(test)]
pub(crate) mod testrand;
pub mod vault;
pub mod watch;

/// The result of a scoped thread. A panic there is a bug: it goes on as
/// one in the thread that waits (the modules that share work between two
/// cores all join this way).
pub(crate) fn joined<T>(handle: std::thread::ScopedJoinHandle<'_, T>) -> T {
    handle
        .join()
        .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
}

/// Frees `value` on a thread of its own, which nothing waits for: a
/// network of a hundred thousand meetings takes milliseconds to free, and
/// a command that has its answer need not wait (the process may end
/// first). Freed here when no thread can be had.
pub(crate) fn free_later<T: Send + 'static>(value: T) {
    let freeing = std::thread::Builder::new().spawn(move || drop(value));
    drop(freeing);
}
