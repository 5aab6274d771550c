//! `rapport map`: the network as a picture, in one self-contained HTML page.
//!
//! People are nodes coloured by keep-in-touch state, sized by meetings,
//! grouped by organisation; shared meetings and introductions are edges.
//! Pure like [`crate::followup`]: [`graph`] turns the joined
//! [`crate::query::Network`] into a graph, [`layout`] places it (fixed seed,
//! so the same vault gives the same page byte for byte), and [`html`] writes
//! the page. The command line only reads the index and writes the file.

pub mod graph;
pub mod html;
pub mod layout;

pub use graph::{Graph, GraphOpts};
pub use html::{NoteLinks, Page};
pub use layout::Layout;

/// The layout's seed: fixed, so that a map only changes when the vault does.
pub const SEED: u64 = 0x5ea1_edc0_ffee;

/// Lays out and renders a graph.
pub fn page(g: &Graph, page: &Page) -> String {
    let l = layout::layout(g, SEED);
    html::render(g, &l, page)
}
