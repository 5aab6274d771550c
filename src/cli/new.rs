//! `rapport new`: start a meeting or person note from the terminal.
//!
//! These are the only commands that write into the vault, and they only
//! ever create new files (never overwrite one).

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result, anyhow, bail};

use super::App;
use crate::query::Network;
use crate::vault::dates;

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
        #[arg(long, value_name = "DATE")]
        date: Option<String>,
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
        #[arg(long, value_parser = ["internal", "external"])]
        relation: Option<String>,
        /// Keep in touch every (7d, 2w, 3m, monthly…)
        #[arg(long)]
        cadence: Option<String>,
        /// Email address
        #[arg(long)]
        email: Option<String>,
        /// Do not open the note in $VISUAL / $EDITOR
        #[arg(long)]
        no_edit: bool,
    },
}

/// A string as a YAML double-quoted scalar.
fn q(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A file name from a title: no path separators or characters that
/// common file systems and sync clients refuse.
fn file_safe(title: &str) -> String {
    let s: String = title
        .chars()
        .map(|c| {
            if matches!(c, '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|') || c.is_control() {
                '-'
            } else {
                c
            }
        })
        .collect();
    let s = s.trim().trim_start_matches('.').trim();
    if s.is_empty() {
        "untitled".into()
    } else {
        s.chars().take(120).collect()
    }
}

/// `ada-lovelace` from "Ada Lovelace".
pub fn slug(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    let out = out.trim_end_matches('-').to_string();
    if out.is_empty() { "person".into() } else { out }
}

/// Creates `dir/stem.md`, or `dir/stem (2).md`… if taken; never overwrites.
fn create_new(dir: &Path, stem: &str, text: &str) -> Result<PathBuf> {
    let stem = &crate::fsutil::fit_file_stem(stem, ".md");
    fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    for n in 1..1000 {
        let name = if n == 1 {
            format!("{stem}.md")
        } else {
            format!("{stem} ({n}).md")
        };
        let path = dir.join(name);
        match fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
        {
            Ok(mut f) => {
                f.write_all(text.as_bytes())
                    .with_context(|| format!("cannot write {}", path.display()))?;
                return Ok(path);
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e).with_context(|| format!("cannot create {}", path.display())),
        }
    }
    bail!("too many notes called {stem} in {}", dir.display())
}

/// Opens `path` in `$VISUAL` or `$EDITOR` (which may carry arguments,
/// like `code -w`), waiting for it to exit.
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
    let mut parts = editor.split_whitespace();
    let program = parts.next().unwrap_or_default();
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
    let index = app.open()?;
    let snap = index.snapshot();
    let people = app.people(&snap)?;
    let net = Network::new(people, &Default::default(), None);
    match &args.what {
        What::Meeting {
            title,
            with,
            project,
            date,
            no_edit,
        } => {
            let date = match date {
                Some(d) => {
                    dates::parse_relative(d, app.today).map_err(|e| anyhow!("--date: {e}"))?
                }
                None => app.today,
            };
            let mut attendees = Vec::new();
            for name in with {
                match net.lookup(name).and_then(|id| net.note(id)) {
                    Some(n) => attendees.push(q(&format!("[[{}|{}]]", n.path_key(), n.title))),
                    None => {
                        eprintln!(
                            "rapport: '{name}' has no person note; kept as typed (`rapport new person \"{name}\"` creates one)"
                        );
                        attendees.push(q(name));
                    }
                }
            }
            let projects: Vec<String> = project.iter().map(|p| q(&format!("[[{p}]]"))).collect();
            let text = format!(
                "---\ntype: meeting\ndate: {date}\ntitle: {}\nattendees: [{}]\nprojects: [{}]\ntags: []\n---\n# {}\n\n## Notes\n\n\n## Follow-ups\n\n- [ ] \n",
                q(title),
                attendees.join(", "),
                projects.join(", "),
                crate::render::safe::one_line(title)
            );
            let dir = crate::fsutil::folder_in_vault(&app.vault, &app.config.meetings_folder.value)
                .map_err(|e| anyhow!(e))?;
            let path = create_new(&dir, &file_safe(&format!("{date} {title}")), &text)?;
            app.print(&format!("{}\n", path.display()))?;
            if !no_edit {
                edit(&path)?;
            }
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
            if let Some(existing) = net.lookup(name).and_then(|id| net.note(id)) {
                let path = app.vault.join(&existing.path);
                eprintln!(
                    "rapport: {} already has a note",
                    crate::render::safe::terminal(&existing.title)
                );
                app.print(&format!("{}\n", path.display()))?;
                if !no_edit {
                    edit(&path)?;
                }
                return Ok(ExitCode::SUCCESS);
            }
            if let Some(c) = cadence
                && dates::parse_cadence(c).is_none()
            {
                bail!(
                    "--cadence: '{c}' is not an interval (use 7d, 2w, 3m, 1y, or weekly/monthly/quarterly)"
                );
            }
            let mut fm = format!("---\nname: {}\n", q(name));
            for (key, value) in [
                ("org", org),
                ("team", team),
                ("relation", relation),
                ("cadence", cadence),
                ("email", email),
            ] {
                if let Some(v) = value {
                    fm.push_str(&format!("{key}: {}\n", q(v)));
                }
            }
            fm.push_str("tags: []\n---\n");
            let text = format!(
                "{fm}# {}\n\n## Interests\n\n\n## Notes\n\n",
                crate::render::safe::one_line(name)
            );
            let dir = crate::fsutil::folder_in_vault(&app.vault, &app.config.people_folder.value)
                .map_err(|e| anyhow!(e))?;
            let path = create_new(&dir, &slug(name), &text)?;
            app.print(&format!("{}\n", path.display()))?;
            if !no_edit {
                edit(&path)?;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_become_safe_files() {
        assert_eq!(slug("Ada Lovelace"), "ada-lovelace");
        assert_eq!(slug("  Zoë O'Brien "), "zoë-o-brien");
        assert_eq!(slug("!!!"), "person");
        assert_eq!(
            file_safe("2026-11-26 Q3/Q4 review: go?"),
            "2026-11-26 Q3-Q4 review- go-"
        );
        assert_eq!(file_safe("..."), "untitled");
        assert_eq!(q("a \"b\" \\ c"), "\"a \\\"b\\\" \\\\ c\"");
    }
}
