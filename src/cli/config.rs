//! `rapport config`: the effective configuration and where each value came from.

use std::fmt::Write as _;
use std::process::ExitCode;

use anyhow::Result;

use super::App;
use crate::config::{Config, Setting};

/// Arguments of `rapport config`.
#[derive(Debug, clap::Args)]
pub struct Args {}

fn list(v: &[String]) -> String {
    format!(
        "[{}]",
        v.iter()
            .map(|s| format!("{s:?}"))
            .collect::<Vec<_>>()
            .join(", ")
    )
}

/// The configuration as TOML-like lines, each with its source.
pub fn describe(c: &Config) -> String {
    let mut out = String::new();
    let mut line = |key: &str, value: String, source: &crate::config::Source| {
        let _ = writeln!(out, "{:<34} # {source}", format!("{key} = {value}"));
    };
    let s = |x: &Setting<String>| format!("{:?}", x.value);
    line(
        "folders.people",
        s(&c.people_folder),
        &c.people_folder.source,
    );
    line(
        "folders.meetings",
        s(&c.meetings_folder),
        &c.meetings_folder.source,
    );
    if c.cadence_by_tag.value.is_empty() {
        line("cadence", "{}".into(), &c.cadence_by_tag.source);
    }
    for (tag, days) in &c.cadence_by_tag.value {
        line(
            &format!("cadence.{tag}"),
            format!("\"{days}d\""),
            &c.cadence_by_tag.source,
        );
    }
    line(
        "followups.window",
        format!("\"{}d\"", c.window_days.value),
        &c.window_days.source,
    );
    line(
        "followups.ahead",
        format!("\"{}d\"", c.ahead_days.value),
        &c.ahead_days.source,
    );
    line(
        "followups.ask_tags",
        list(&c.ask_tags.value),
        &c.ask_tags.source,
    );
    line(
        "followups.give_tags",
        list(&c.give_tags.value),
        &c.give_tags.source,
    );
    line(
        "keys.attendees",
        list(&c.attendee_keys.value),
        &c.attendee_keys.source,
    );
    line(
        "keys.projects",
        list(&c.project_keys.value),
        &c.project_keys.source,
    );
    line("ignore", list(&c.ignore.value), &c.ignore.source);
    line("me.emails", list(&c.me_emails.value), &c.me_emails.source);
    // Not keys of a file: where the command line found the folders.
    for (key, setting) in [("vault", &c.vault), ("index", &c.index)] {
        if let Some(s) = setting {
            line(
                key,
                format!("{:?}", s.value.display().to_string()),
                &s.source,
            );
        }
    }
    out
}

/// Runs `rapport config`.
pub fn run(app: &App, _args: &Args) -> Result<ExitCode> {
    if app.json {
        app.print_json(&app.config)?;
    } else {
        let files = crate::config::files(&app.vault);
        let header = match files.as_slice() {
            [] => "# configuration file: none (defaults)".to_string(),
            [one] => format!("# configuration file: {}", one.display()),
            many => format!(
                "# configuration files (a later one wins key by key): {}",
                many.iter()
                    .map(|p| p.display().to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        };
        app.print(&format!("{header}\n{}", describe(&app.config)))?;
    }
    Ok(ExitCode::SUCCESS)
}
