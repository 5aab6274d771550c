//! `rapport person NAME --timeline`: the profile laid out in date order.

use std::process::ExitCode;

use anyhow::Result;

use super::App;
use crate::query::Profile;
use crate::query::timeline::{self, Timeline};
use crate::render;

/// Prints the timeline of a profile (reads the few notes whose line it shows).
pub fn print(app: &App, profile: &Profile) -> Result<ExitCode> {
    let line_of = |path: &str, needles: &[String]| -> Option<usize> {
        let bytes = std::fs::read(app.vault.join(path)).ok()?;
        let text = String::from_utf8_lossy(&bytes).to_lowercase();
        let needles: Vec<String> = needles.iter().map(|n| n.to_lowercase()).collect();
        text.lines()
            .position(|l| {
                // A link may be anywhere; a field (`met:`) starts its line.
                needles.iter().any(|n| {
                    if n.starts_with("[[") {
                        l.contains(n.as_str())
                    } else {
                        l.trim_start().starts_with(n.as_str())
                    }
                })
            })
            .map(|i| i + 1)
    };
    let items = timeline::build(profile, app.today, &line_of);
    if app.json {
        app.print_json(&Timeline {
            name: profile.name.clone(),
            path: profile.path.clone(),
            timeline: items,
        })?;
    } else {
        app.print(&render::relations::timeline(
            &app.style,
            &profile.name,
            &items,
            app.today,
        ))?;
    }
    Ok(ExitCode::SUCCESS)
}
