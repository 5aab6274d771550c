//! `rapport new`: start a meeting or person note from the terminal.
//!
//! These are the only commands that write into the vault, and they only
//! ever create new files (never overwrite one).

use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, Result};
use chrono::NaiveDate;

use super::App;
use super::values::{self, RelationArg};
use crate::app::{Created, NewMeeting, NewPerson};

/// Arguments of `rapport new`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    what: What,
}

#[derive(Debug, clap::Subcommand)]
enum What {
    /// A meeting note: meetings/YYYY-MM-DD TITLE.md
    #[command(
        after_help = "Example:\n  rapport new meeting \"Atlas sync\" --with Ada --with \"Grace Hopper\" --project \"Project Atlas\""
    )]
    Meeting {
        /// The title
        title: String,
        /// Someone who attended (name, alias, file name or email); repeat for more
        #[arg(long = "with", value_name = "NAME")]
        with: Vec<String>,
        /// A project; repeat for more
        #[arg(long, value_name = "PROJECT")]
        project: Vec<String>,
        /// The meeting's date [default: today]
        #[arg(long, value_name = "DATE", value_parser = values::since)]
        date: Option<NaiveDate>,
        /// Do not open the note in $VISUAL / $EDITOR
        #[arg(long)]
        no_edit: bool,
    },
    /// A person note: people/first-last.md (opens the existing one if that person exists)
    #[command(
        after_help = "Example:\n  rapport new person \"Ada Lovelace\" --org Analytical --relation external --cadence 30d"
    )]
    Person {
        /// Their name
        name: String,
        /// Organisation
        #[arg(long)]
        org: Option<String>,
        /// Team
        #[arg(long)]
        team: Option<String>,
        /// internal (a colleague) or external
        #[arg(long, value_enum)]
        relation: Option<RelationArg>,
        /// Keep in touch every (7d, 2w, 3m, monthly…)
        #[arg(long, value_parser = values::cadence)]
        cadence: Option<String>,
        /// Email address
        #[arg(long)]
        email: Option<String>,
        /// Do not open the note in $VISUAL / $EDITOR
        #[arg(long)]
        no_edit: bool,
    },
}

/// Opens `path` in `$VISUAL` or `$EDITOR` (which may carry arguments,
/// like `code -w`, and quote a program path with spaces the way a shell
/// would), waiting for it to exit.
fn edit(path: &Path) -> Result<()> {
    let editor = std::env::var("VISUAL")
        .ok()
        .filter(|v| !v.trim().is_empty())
        .or_else(|| {
            std::env::var("EDITOR")
                .ok()
                .filter(|v| !v.trim().is_empty())
        });
    let Some(editor) = editor else { return Ok(()) };
    let words = shell_words::split(&editor)
        .with_context(|| format!("cannot read the editor command '{editor}' (check its quotes)"))?;
    let Some((program, parts)) = words.split_first() else {
        return Ok(());
    };
    let status = std::process::Command::new(program)
        .args(parts)
        .arg(path)
        .status()
        .with_context(|| {
            format!("cannot start the editor '{editor}' (set VISUAL or EDITOR, or pass --no-edit)")
        })?;
    if !status.success() {
        eprintln!("rapport: the editor exited with {status}");
    }
    Ok(())
}

/// Runs `rapport new`.
pub fn run(app: &App, args: &Args) -> Result<ExitCode> {
    let session = app.session()?;
    let (created, no_edit) = match &args.what {
        What::Meeting {
            title,
            with,
            project,
            date,
            no_edit,
        } => {
            let created = match session.new_meeting(&NewMeeting {
                title: title.clone(),
                with: with.clone(),
                projects: project.clone(),
                date: date.unwrap_or(app.today),
            }) {
                Ok(c) => c,
                // `--with` that could be several people: say who, write nothing.
                Err(crate::app::Error::NotFound(e)) => {
                    eprintln!("rapport: {}", crate::render::safe::terminal(&e.to_string()));
                    return Ok(ExitCode::from(1));
                }
                Err(e) => return Err(e.into()),
            };
            if let Created::New { unknown, .. } = &created {
                for name in unknown {
                    let name = crate::render::safe::terminal(name);
                    eprintln!(
                        "rapport: '{name}' has no person note; kept as typed (`rapport new person \"{name}\"` creates one)"
                    );
                }
            }
            (created, *no_edit)
        }
        What::Person {
            name,
            org,
            team,
            relation,
            cadence,
            email,
            no_edit,
        } => {
            let created = session.new_person(&NewPerson {
                name: name.clone(),
                org: org.clone(),
                team: team.clone(),
                relation: relation.map(Into::into),
                cadence: cadence.clone(),
                email: email.clone(),
            })?;
            if let Created::Existing { title, .. } = &created {
                eprintln!(
                    "rapport: {} already has a note",
                    crate::render::safe::terminal(title)
                );
            }
            (created, *no_edit)
        }
    };
    app.print(&format!("{}\n", created.path().display()))?;
    if !no_edit {
        edit(created.path())?;
    }
    Ok(ExitCode::SUCCESS)
}
