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

/// Arguments of `rapport export`.
#[derive(Debug, clap::Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct Args {
    #[command(subcommand)]
    what: Option<What>,
    /// Every person, meeting and task as one JSON object per line, to FILE or standard output
    #[arg(long, value_name = "FILE", num_args = 0..=1, default_missing_value = "-")]
    ndjson: Option<String>,
    /// Replace FILE if it exists (an export never replaces a file otherwise)
    #[arg(long, global = true)]
    force: bool,
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

/// Writes `bytes` to `dest` (`-` is standard output), never over a note,
/// and over an existing file only with `--force` (an address book the user
/// keeps is not lost to an export); like every output file, only a regular
/// file or a new path.
fn emit(app: &App, dest: &str, bytes: &[u8], force: bool) -> Result<()> {
    emit_with(app, dest, force, |out| Ok(out.write_all(bytes)?))
}

/// [`emit`] with the contents written by `write` as they are made; a file
/// is replaced only once they all are.
fn emit_with(
    app: &App,
    dest: &str,
    force: bool,
    write: impl FnOnce(&mut dyn Write) -> Result<()>,
) -> Result<()> {
    if dest == "-" {
        let mut out = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
        write(&mut out)?;
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
    crate::fsutil::check_output(path)?;
    if !force && path.exists() {
        bail!("{dest} exists; refusing to overwrite it (use --force, or choose another file)");
    }
    // The writer's own error is kept aside and given back whole: the file
    // write only sees that it failed.
    let mut failed = None;
    let written = crate::fsutil::write_atomic_with(path, |out| {
        write(out).map_err(|e| {
            let io = std::io::Error::other(format!("{e:#}"));
            failed = Some(e);
            io
        })
    });
    if let Some(e) = failed {
        return Err(e.context(format!("{dest} not written")));
    }
    written.with_context(|| format!("cannot write {dest}"))?;
    if !app.json {
        eprintln!("rapport: wrote {dest}");
    }
    Ok(())
}

/// Runs `rapport export`.
pub fn run(app: &App, args: &Args) -> Result<ExitCode> {
    match (&args.what, &args.ndjson) {
        (Some(What::Contacts { vcf }), _) => {
            let session = app.session()?;
            let out = session.export_vcards(&|path| {
                eprintln!(
                    "rapport: {}: cannot read; not exported",
                    crate::render::safe::terminal(path)
                )
            })?;
            emit(app, vcf, out.as_bytes(), args.force)?;
        }
        (None, Some(dest)) => {
            let session = app.session()?;
            emit_with(app, dest, args.force, |out| Ok(session.export_ndjson(out)?))?;
        }
        (None, None) => bail!(
            "say what to export: `rapport export contacts --vcf FILE` or `rapport export --ndjson [FILE]`"
        ),
    }
    Ok(ExitCode::SUCCESS)
}
