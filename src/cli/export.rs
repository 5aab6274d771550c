//! `rapport export`: person notes as vCard 4.0, or every person, meeting
//! and task as NDJSON for a search engine.
//!
//! Export only reads the vault; the output goes to a file outside it or to
//! standard output.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, Result, bail};

use super::App;
use crate::export;
use crate::vault::Kind;

/// Arguments of `rapport export`.
#[derive(Debug, clap::Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct Args {
    #[command(subcommand)]
    what: Option<What>,
    /// Every person, meeting and task as one JSON object per line, to FILE or standard output
    #[arg(long, value_name = "FILE", num_args = 0..=1, default_missing_value = "-")]
    ndjson: Option<String>,
}

#[derive(Debug, clap::Subcommand)]
enum What {
    /// Every person note as a vCard 4.0 contact
    #[command(after_help = "Example:\n  rapport export contacts --vcf people.vcf")]
    Contacts {
        /// Where to write the vCard file (- for standard output)
        #[arg(long, value_name = "FILE", required = true)]
        vcf: String,
    },
}

/// Writes `bytes` to `dest` (`-` is standard output), never over a note.
fn emit(app: &App, dest: &str, bytes: &[u8]) -> Result<()> {
    if dest == "-" {
        let mut out = std::io::stdout().lock();
        out.write_all(bytes)?;
        out.flush()?;
        return Ok(());
    }
    let path = Path::new(dest);
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    if ext == "md" || ext == "markdown" {
        bail!("{dest}: refusing to write an export over a Markdown file");
    }
    crate::fsutil::write_atomic(path, bytes).with_context(|| format!("cannot write {dest}"))?;
    if !app.json {
        eprintln!("rapport: wrote {dest}");
    }
    Ok(())
}

fn read_note(app: &App, path: &str) -> Option<String> {
    let bytes = std::fs::read(app.vault.join(path)).ok()?;
    Some(crate::import::text::decode(&bytes))
}

/// Runs `rapport export`.
pub fn run(app: &App, args: &Args) -> Result<ExitCode> {
    let index = app.open()?;
    let snap = index.snapshot();
    match (&args.what, &args.ndjson) {
        (Some(What::Contacts { vcf }), _) => {
            let mut out = String::new();
            for note in snap.notes_of_kind(Kind::Person)? {
                match read_note(app, &note.path) {
                    Some(text) => out.push_str(&export::vcard(&note, &text)),
                    None => eprintln!("rapport: {}: cannot read; not exported", note.path),
                }
            }
            emit(app, vcf, out.as_bytes())?;
        }
        (None, Some(dest)) => {
            let mut out = Vec::new();
            for kind in [Kind::Person, Kind::Meeting] {
                for note in snap.notes_of_kind(kind)? {
                    let text = read_note(app, &note.path);
                    let doc = export::note_document(&note, text.as_deref().map(export::body_of));
                    serde_json::to_writer(&mut out, &doc)?;
                    out.push(b'\n');
                }
            }
            let mut tasks = snap.tasks(false, None)?;
            tasks.sort_by(|a, b| (&a.path, a.line).cmp(&(&b.path, b.line)));
            for t in &tasks {
                serde_json::to_writer(&mut out, &export::task_document(t))?;
                out.push(b'\n');
            }
            emit(app, dest, &out)?;
        }
        (None, None) => bail!(
            "say what to export: `rapport export contacts --vcf FILE` or `rapport export --ndjson [FILE]`"
        ),
    }
    Ok(ExitCode::SUCCESS)
}
