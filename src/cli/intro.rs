//! `rapport intro`: who could introduce me to someone, or to anyone at an
//! organisation.

use std::process::ExitCode;

use anyhow::Result;

use super::App;
use crate::query::intro::IntroOpts;
use crate::relate::{self, NotFound, Target};
use crate::render;

/// Arguments of `rapport intro`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The person you want to meet (name, alias, file name or email)
    #[arg(required_unless_present = "org", conflicts_with = "org")]
    pub name: Option<String>,
    /// Everyone at this organisation (case-insensitive; `[[Acme]]` works)
    #[arg(long, value_name = "ORG")]
    pub org: Option<String>,
    /// At most this many connectors per person
    #[arg(long, default_value_t = 5, value_name = "N")]
    pub limit: usize,
}

/// Runs `rapport intro`.
pub fn run(app: &App, args: &Args) -> Result<ExitCode> {
    let index = app.open()?;
    let snap = index.snapshot();
    let target = match (&args.name, &args.org) {
        (_, Some(org)) => Target::Org(org),
        (Some(name), None) => Target::Person(name),
        (None, None) => unreachable!("clap requires a name or --org"),
    };
    let opts = IntroOpts {
        today: app.today,
        limit: args.limit,
    };
    let intros = match relate::intro(&snap, app.people(&snap)?, target.clone(), &opts)? {
        Ok(i) => i,
        Err(why) => {
            let msg = match (why, target) {
                (NotFound::Org, Target::Org(o)) => {
                    format!("no person note has org '{o}' (`rapport orgs` lists them)")
                }
                (NotFound::Ambiguous, Target::Person(n)) => {
                    format!("'{n}' could be several people; use the full name")
                }
                (NotFound::Person(close), Target::Person(n)) if !close.is_empty() => {
                    format!("nobody called '{n}'; did you mean: {}?", close.join(", "))
                }
                (_, Target::Person(n) | Target::Org(n)) => {
                    format!("nobody called '{n}' in this vault (try `rapport people`)")
                }
            };
            eprintln!("rapport: {msg}");
            return Ok(ExitCode::from(1));
        }
    };
    if app.json {
        app.print_json(&intros)?;
    } else {
        app.print(&render::relations::intro(&app.style, &intros))?;
    }
    Ok(ExitCode::SUCCESS)
}
