//! `rapport check`: lint the vault.

use std::process::ExitCode;

use anyhow::Result;

use super::App;
use crate::check::{self, Severity};
use crate::query::Network;
use crate::render;

/// Arguments of `rapport check`.
#[derive(Debug, clap::Args)]
pub struct Args {}

/// Runs `rapport check`: exit 0 when clean, 1 when it found problems.
pub fn run(app: &App, _args: &Args) -> Result<ExitCode> {
    let (index, stats) = app.open_with_stats()?;
    let snap = index.snapshot();
    let facts = snap.meetings(None, None, None, None, true)?;
    let net = Network::from_facts(app.people(&snap)?, facts, None);
    let tasks = snap.tasks(false, None)?;
    let keys = snap.note_keys()?;
    let mut problems: Vec<_> = stats
        .problems
        .into_iter()
        .filter(|p| p.code == crate::vault::ProblemCode::Unreadable.as_str())
        .collect();
    problems.extend(snap.problems(true)?);
    let vault = index.vault().to_path_buf();
    let line_of = |path: &str, needle: &str| -> Option<usize> {
        let text = std::fs::read(vault.join(path)).ok()?;
        let text = String::from_utf8_lossy(&text).to_lowercase();
        let needle = needle.to_lowercase();
        text.lines()
            .position(|l| l.contains(&needle))
            .map(|i| i + 1)
    };
    let findings = check::check(check::Input {
        problems,
        net: &net,
        tasks: &tasks,
        note_keys: &keys,
        line_of: &line_of,
    });
    let bad = findings
        .iter()
        .filter(|f| f.severity != Severity::Info)
        .count();
    if app.json {
        app.print_json(&findings)?;
    } else if findings.is_empty() {
        eprintln!("rapport: no problems found in {}", app.vault.display());
    } else {
        let mut text = String::new();
        for f in &findings {
            let sev = match f.severity {
                Severity::Error => app.style.red("error"),
                Severity::Warning => "warning".to_string(),
                Severity::Info => app.style.dim("info"),
            };
            text.push_str(&format!(
                "{}: {sev} [{}]\n",
                render::problem_line(&f.path, f.line, &f.message),
                f.code
            ));
        }
        text.push_str(&format!(
            "{bad} problem(s) in {} note(s)\n",
            findings
                .iter()
                .filter(|f| f.severity != Severity::Info)
                .map(|f| &f.path)
                .collect::<std::collections::BTreeSet<_>>()
                .len()
        ));
        app.print(&text)?;
    }
    Ok(if bad == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
