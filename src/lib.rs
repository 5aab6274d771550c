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
pub mod import;
pub mod index;
pub mod map;
pub mod query;
pub mod relate;
pub mod render;
pub mod vault;
pub mod watch;
