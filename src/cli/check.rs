//! `rapport check`: lint the vault.

use std::process::ExitCode;

use anyhow::Result;

use super::App;
use crate::check::Severity;
use crate::render;

/// Arguments of `rapport check`.
#[derive(Debug, clap::Args)]
pub struct Args {}

/// Runs `rapport check`: exit 0 when clean, 1 when it found problems.
pub fn run(app: &App, _args: &Args) -> Result<ExitCode> {
    let (session, refreshed) = app.session_with_stats(true)?;
    let findings = session.check(&refreshed)?;
    // An empty vault has no problems, and nothing works either: say why.
    if let Some(state) = session.vault_state()? {
        for (i, line) in state.explain(&app.vault).iter().enumerate() {
            let prefix = if i == 0 { "rapport: " } else { "" };
            eprintln!("{prefix}{line}");
        }
    }
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
        let notes = findings
            .iter()
            .filter(|f| f.severity != Severity::Info)
            .map(|f| &f.path)
            .collect::<std::collections::BTreeSet<_>>()
            .len();
        text.push_str(&format!(
            "{} in {}\n",
            crate::render::wording::count(bad as i64, "problem", "problems"),
            crate::render::wording::count(notes as i64, "note", "notes")
        ));
        app.print(&text)?;
    }
    Ok(if bad == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
