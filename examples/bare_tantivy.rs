//! `bare_tantivy`: the benchmark's reference point — tantivy indexing the same notes with
//! nothing else (no front matter, no Markdown parsing, no tasks, no change detection).
//!
//! Usage: `cargo run --release --example bare_tantivy -- VAULT INDEXDIR`
//!
//! Walks `VAULT`, reads every `*.md` file and indexes it as one document with a `path`
//! (`STRING | STORED`) and a `body` (`TEXT`: default tokenizer, with positions) field, using
//! two indexing threads and a 192 MB budget (rapport's own writer settings on two cores),
//! commits once, and prints the document count and the elapsed time in milliseconds.
//! `INDEXDIR` is created if missing and must not already hold an index.

use std::error::Error;
use std::fs;
use std::path::PathBuf;
use std::time::Instant;

use tantivy::schema::{STORED, STRING, Schema, TEXT};
use tantivy::{Index, IndexWriter, TantivyDocument, doc};
use walkdir::WalkDir;

const USAGE: &str = "usage: bare_tantivy VAULT INDEXDIR";

fn main() -> Result<(), Box<dyn Error>> {
    let mut args = std::env::args_os().skip(1);
    let (Some(vault), Some(index_dir), None) = (args.next(), args.next(), args.next()) else {
        return Err(USAGE.into());
    };
    let vault = PathBuf::from(vault);
    let index_dir = PathBuf::from(index_dir);

    let started = Instant::now();
    let mut builder = Schema::builder();
    let path_field = builder.add_text_field("path", STRING | STORED);
    let body_field = builder.add_text_field("body", TEXT);
    let schema = builder.build();

    fs::create_dir_all(&index_dir)?;
    let index = Index::create_in_dir(&index_dir, schema)?;
    let mut writer: IndexWriter<TantivyDocument> = index.writer_with_num_threads(2, 192_000_000)?;

    let mut docs = 0u64;
    for entry in WalkDir::new(&vault) {
        let entry = entry?;
        if !entry.file_type().is_file() || entry.path().extension().is_none_or(|ext| ext != "md") {
            continue;
        }
        let bytes = fs::read(entry.path())?;
        // The generated vault holds a few deliberately non-UTF-8 notes; decode them lossily.
        let body = String::from_utf8_lossy(&bytes).into_owned();
        let rel = entry
            .path()
            .strip_prefix(&vault)
            .unwrap_or(entry.path())
            .to_string_lossy()
            .replace('\\', "/");
        writer.add_document(doc!(path_field => rel, body_field => body))?;
        docs += 1;
    }
    writer.commit()?;
    drop(writer);

    println!(
        "indexed {docs} documents in {} ms",
        started.elapsed().as_millis()
    );
    Ok(())
}
