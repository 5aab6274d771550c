//! `rapport man`: the manual page, one page for the whole program.
//!
//! clap_mangen's full page names a page per command (`rapport-index(1)`),
//! which rapport does not install, and its NAME line is "rapport - " plus the
//! about text, which already starts with "rapport:". This page keeps
//! clap_mangen's title, synopsis, description and options, and describes
//! every command in a COMMANDS section of its own.

use clap::Command;
use clap_mangen::Man;
use clap_mangen::roff::{Roff, bold, italic, roman};

/// The program's about line, without the leading "rapport: " the help
/// text carries.
fn about_without_name(cmd: &Command) -> String {
    let about = cmd.get_about().map(|a| a.to_string()).unwrap_or_default();
    let name = cmd.get_name();
    let about = about
        .strip_prefix(name)
        .map(|rest| rest.trim_start_matches([':', ' ', '-']))
        .unwrap_or(&about);
    about.trim_end_matches('.').to_string()
}

/// The whole manual page (roff).
pub fn page(cmd: Command) -> std::io::Result<Vec<u8>> {
    let mut cmd = cmd.disable_help_subcommand(true);
    cmd.build();
    let about = about_without_name(&cmd);
    let man = Man::new(cmd.clone().about(about));
    let mut out = Vec::new();
    man.render_title(&mut out)?;
    man.render_name_section(&mut out)?;
    man.render_synopsis_section(&mut out)?;
    man.render_description_section(&mut out)?;
    man.render_options_section(&mut out)?;
    commands(&cmd).to_writer(&mut out)?;
    if cmd.get_after_help().is_some() {
        let mut roff = Roff::new();
        roff.control("SH", ["EXAMPLES"]);
        for line in cmd
            .get_after_help()
            .map(|h| h.to_string())
            .unwrap_or_default()
            .lines()
            .filter(|l| !l.trim_end().ends_with(':'))
        {
            roff.text([roman(line.trim())]);
            roff.control("br", []);
        }
        roff.to_writer(&mut out)?;
    }
    man.render_version_section(&mut out)?;
    Ok(one_preamble(&out))
}

/// Each section clap_mangen renders on its own starts with the same two
/// lines defining `\*(Aq`; the page needs them once.
fn one_preamble(page: &[u8]) -> Vec<u8> {
    let text = String::from_utf8_lossy(page);
    let mut seen = std::collections::HashSet::new();
    let mut out = String::with_capacity(text.len());
    for line in text.lines() {
        let preamble = line.starts_with(".ie \\n(.g .ds Aq") || line.starts_with(".el .ds Aq");
        if !preamble || seen.insert(line.to_string()) {
            out.push_str(line);
            out.push('\n');
        }
    }
    out.into_bytes()
}

/// The COMMANDS section: each command's usage, what it does, its options
/// and its examples (`new meeting` and `new person` each as a command).
fn commands(cmd: &Command) -> Roff {
    let mut roff = Roff::new();
    roff.control("SH", ["COMMANDS"]);
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        command(
            &mut roff,
            sub,
            &format!("{} {}", cmd.get_name(), sub.get_name()),
        );
    }
    roff
}

fn command(roff: &mut Roff, cmd: &Command, name: &str) {
    let subs: Vec<&Command> = cmd.get_subcommands().filter(|s| !s.is_hide_set()).collect();
    if !subs.is_empty() {
        for sub in subs {
            command(roff, sub, &format!("{name} {}", sub.get_name()));
        }
        return;
    }
    let usage = cmd.clone().bin_name(name).render_usage().to_string();
    roff.control("SS", [usage.trim_start_matches("Usage:").trim()]);
    if let Some(about) = cmd.get_about() {
        roff.text([roman(about.to_string())]);
    }
    // Global options are described once, under OPTIONS; positional
    // arguments are in the usage line.
    let args = cmd
        .get_arguments()
        .filter(|a| !a.is_hide_set() && !a.is_global_set() && !a.is_positional())
        .filter(|a| !matches!(a.get_id().as_str(), "help" | "version"));
    for arg in args {
        roff.control("TP", []);
        let mut flag = vec![bold(format!(
            "--{}",
            arg.get_long().unwrap_or(arg.get_id().as_str())
        ))];
        if arg.get_action().takes_values()
            && let Some(v) = arg.get_value_names().and_then(|v| v.first())
        {
            flag.push(roman(" "));
            flag.push(italic(v.to_string()));
        }
        roff.text(flag);
        if let Some(help) = arg.get_help() {
            roff.text([roman(help.to_string())]);
        }
    }
    if let Some(after) = cmd.get_after_help() {
        roff.control("PP", []);
        for line in after.to_string().lines() {
            roff.text([roman(line.trim())]);
            roff.control("br", []);
        }
    }
}
