//! The command line: clap definitions and the glue from arguments to the
//! library. Each command lives in its own file with a `run` function; this
//! module owns what they share (opening and refreshing the index, dates,
//! output).

mod check;
mod config;
mod export;
mod followups;
mod import;
mod index;
mod intro;
mod man;
mod map;
mod meetings;
mod new;
mod orgs;
mod people;
mod person;
mod search;
mod timeline;
mod values;
mod watch;

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::OnceLock;
use std::time::Instant;

use anyhow::{Context as _, Result, anyhow};
use chrono::NaiveDate;
use clap::parser::ValueSource;
use clap::{Parser, Subcommand};

use crate::app::{OpenOpts, Session};
use crate::config::{Setting, Source};

use crate::index::{self as idx, Index, RefreshStats};
use crate::render::Style;

/// rapport: your professional network, from plain Markdown notes.
///
/// Reads a folder of person and meeting notes (the vault), keeps a search
/// index of it outside the vault, and answers: who did I meet about a
/// project, when did I last talk to someone, what should I follow up on.
/// rapport never modifies a note.
#[derive(Debug, Parser)]
#[command(
    name = "rapport",
    version,
    propagate_version = true,
    max_term_width = 100
)]
#[command(
    after_help = "Examples:\n  rapport --vault ~/notes people --project \"Project Atlas\"\n  rapport person ada\n  rapport followups --out follow-ups.md"
)]
pub struct Cli {
    // The environment variables are read in `App::new`, not by clap: clap
    // counts a flag set from the environment as typed, and then shows it in
    // every usage line (`Usage: rapport people --met --index-dir <DIR>`).
    /// The vault: the folder of Markdown notes (or RAPPORT_VAULT) [default: current directory]
    #[arg(long, global = true, value_name = "DIR")]
    pub vault: Option<PathBuf>,
    /// Where the index lives (or RAPPORT_INDEX) [default: the user's cache directory]
    #[arg(long, global = true, value_name = "DIR")]
    pub index_dir: Option<PathBuf>,
    /// Print JSON on stdout (messages still go to stderr)
    #[arg(long, global = true)]
    pub json: bool,
    /// Answer from the index as it is, without looking for changed notes
    #[arg(long, global = true)]
    pub no_refresh: bool,
    /// Say more on stderr (-v: timings and decisions, -vv: everything); RUST_LOG also works
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,
    /// The command
    #[command(subcommand)]
    pub command: Command,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Bring the index up to date with the vault
    #[command(after_help = "Example:\n  rapport --vault ~/notes index --rebuild")]
    Index(index::Args),
    /// Full-text search over notes (tantivy query syntax)
    #[command(
        after_help = "Examples:\n  rapport search pricing\n  rapport search 'project:atlas AND person:ada' --since 3m\n  rapport search 'tag:decision' --kind meeting"
    )]
    Search(search::Args),
    /// Everyone matching: meetings, last met, projects
    #[command(
        after_help = "Examples:\n  rapport people --project \"Project Atlas\"\n  rapport people --relation internal --since this-quarter\n  rapport people --tag mentor --never-met"
    )]
    People(people::Args),
    /// One person: profile, meetings, mentions, open tasks
    #[command(
        after_help = "Examples:\n  rapport person \"Ada Lovelace\"\n  rapport person ada@example.com --json"
    )]
    Person(person::Args),
    /// Meetings, newest first
    #[command(
        after_help = "Examples:\n  rapport meetings --person ada --since this-quarter\n  rapport meetings --project billing --about pricing"
    )]
    Meetings(meetings::Args),
    /// The follow-up checklist: tasks, keep-in-touch, meetings with no next step
    #[command(
        after_help = "Examples:\n  rapport followups\n  rapport followups --out follow-ups.md --ics follow-ups.ics\n  rapport followups --as-of 2026-12-01 --window 14d --json"
    )]
    Followups(followups::Args),
    /// Create a meeting or person note (the only command that writes into the vault)
    #[command(
        after_help = "Examples:\n  rapport new meeting \"Atlas sync\" --with Ada --project \"Project Atlas\"\n  rapport new person \"Ada Lovelace\" --org Analytical --cadence 30d"
    )]
    New(new::Args),
    /// Show the effective configuration and where each value comes from
    #[command(after_help = "Example:\n  rapport config")]
    Config(config::Args),
    /// Print a shell completion script
    #[command(
        after_help = "Examples:\n  rapport completions bash > ~/.local/share/bash-completion/completions/rapport\n  rapport completions zsh > ~/.zfunc/_rapport\n  rapport completions fish > ~/.config/fish/completions/rapport.fish"
    )]
    Completions {
        /// The shell
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff)
    #[command(after_help = "Example:\n  rapport man > ~/.local/share/man/man1/rapport.1")]
    Man,
    /// Lint the vault: broken front matter, bad dates, unknown attendees…
    #[command(
        after_help = "Examples:\n  rapport check\n  rapport check --json | jq '.[] | select(.severity == \"error\")'"
    )]
    Check(check::Args),
    /// Calendar events and contacts become new notes (never touches an existing one)
    #[command(
        after_help = "Examples:\n  rapport import calendar calendar.ics --write\n  rapport import contacts contacts.vcf Connections.csv"
    )]
    Import(import::Args),
    /// Person notes as vCard, or everything as NDJSON for a search engine
    #[command(
        after_help = "Examples:\n  rapport export contacts --vcf people.vcf\n  rapport export --ndjson notes.ndjson"
    )]
    Export(export::Args),
    /// Write the network map: one self-contained HTML page of who knows whom
    #[command(
        after_help = "Examples:\n  rapport map --open\n  rapport map --out atlas.html --project \"Project Atlas\" --since this-year"
    )]
    Map(map::Args),
    /// Who could introduce me to someone, or to anyone at an organisation
    #[command(
        after_help = "Examples:\n  rapport intro \"Ada Lovelace\"\n  rapport intro --org Acme --limit 3 --json"
    )]
    Intro(intro::Args),
    /// One row per organisation: people, recent meetings, last contact, open tasks
    #[command(
        after_help = "Examples:\n  rapport orgs\n  rapport orgs --relation external --cold 90d"
    )]
    Orgs(orgs::Args),
    /// Keep the index live while you edit notes (Ctrl-C to stop)
    #[command(after_help = "Examples:\n  rapport watch\n  rapport watch --followups follow-ups.md")]
    Watch(watch::Args),
}

/// Parses the arguments and runs the command.
pub fn run() -> Result<ExitCode> {
    let parsed = <Cli as clap::CommandFactory>::command()
        .try_get_matches()
        .and_then(|m| <Cli as clap::FromArgMatches>::from_arg_matches(&m).map(|c| (c, m)));
    let (cli, matches) = match parsed {
        Ok(parsed) => parsed,
        Err(e) => match values::one_line(&e) {
            // A refused value: one line naming the flag, exit 2.
            Some(line) => {
                eprintln!("rapport: error: {line}");
                return Ok(ExitCode::from(2));
            }
            None => e.exit(),
        },
    };
    init_tracing(cli.verbose);
    // These two need no vault.
    match &cli.command {
        // Both are written whole into memory first: clap_complete panics on
        // a write error, and `| head -1` must end quietly, not with a panic.
        Command::Completions { shell } => {
            let mut cmd = <Cli as clap::CommandFactory>::command();
            let mut script = Vec::new();
            clap_complete::generate(*shell, &mut cmd, "rapport", &mut script);
            write_stdout(&script)?;
            return Ok(ExitCode::SUCCESS);
        }
        Command::Man => {
            write_stdout(&man::page(<Cli as clap::CommandFactory>::command())?)?;
            return Ok(ExitCode::SUCCESS);
        }
        _ => {}
    }
    let app = App::new(&cli, &matches)?;
    let code = match &cli.command {
        Command::Index(a) => index::run(&app, a),
        Command::Search(a) => search::run(&app, a),
        Command::People(a) => people::run(&app, a),
        Command::Person(a) => person::run(&app, a),
        Command::Meetings(a) => meetings::run(&app, a),
        Command::Followups(a) => followups::run(&app, a),
        Command::Watch(a) => watch::run(&app, a),
        Command::Map(a) => map::run(&app, a),
        Command::Check(a) => check::run(&app, a),
        Command::New(a) => new::run(&app, a),
        Command::Config(a) => config::run(&app, a),
        Command::Import(a) => import::run(&app, a),
        Command::Export(a) => export::run(&app, a),
        Command::Intro(a) => intro::run(&app, a),
        Command::Orgs(a) => orgs::run(&app, a),
        Command::Completions { .. } | Command::Man => Ok(ExitCode::SUCCESS),
    };
    log_memory();
    code
}

/// Writes bytes to stdout; a closed pipe comes back as an error that
/// `main` turns into a quiet exit 0.
fn write_stdout(bytes: &[u8]) -> Result<()> {
    let mut out = std::io::stdout().lock();
    out.write_all(bytes)?;
    out.flush()?;
    Ok(())
}

/// With `-v`, the process's peak memory, split into the heap and the
/// mapped index files (Linux only).
fn log_memory() {
    if !tracing::enabled!(tracing::Level::DEBUG) {
        return;
    }
    if let Ok(status) = std::fs::read_to_string("/proc/self/status") {
        let field = |name: &str| {
            status
                .lines()
                .find(|l| l.starts_with(name))
                .map(|l| l[name.len()..].trim().to_string())
                .unwrap_or_default()
        };
        tracing::debug!(peak = %field("VmHWM:"), anon = %field("RssAnon:"), files = %field("RssFile:"), "memory");
    }
}

/// Logging to stderr: off unless `-v` or `RUST_LOG` asks for it.
fn init_tracing(verbose: u8) {
    use tracing_subscriber::EnvFilter;
    let filter = match verbose {
        0 => EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("off")),
        1 => EnvFilter::new("rapport=debug"),
        _ => EnvFilter::new("rapport=trace,tantivy=info"),
    };
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none())
        .with_target(false)
        .without_time()
        .try_init();
}

/// What every command needs: where things are and how to print.
pub struct App {
    /// The vault folder.
    pub vault: PathBuf,
    /// The index folder.
    pub index_dir: PathBuf,
    /// `--json`.
    pub json: bool,
    /// `--no-refresh`.
    pub no_refresh: bool,
    /// Output style.
    pub style: Style,
    /// Today (local time).
    pub today: NaiveDate,
    /// The effective configuration.
    pub config: crate::config::Config,
}

impl App {
    fn new(cli: &Cli, matches: &clap::ArgMatches) -> Result<App> {
        // A flag, else its environment variable (an empty one is unset).
        let env = |name: &str| {
            std::env::var_os(name)
                .filter(|v| !v.is_empty())
                .map(PathBuf::from)
        };
        // Where the vault and the index came from, for `rapport config`.
        let source =
            |id: &str, flag: &str, var: &str, default: Source| match matches.value_source(id) {
                Some(ValueSource::CommandLine) => Source::Flag(flag.into()),
                _ if env(var).is_some() => Source::Env(var.into()),
                _ => default,
            };
        let vault = match cli.vault.clone().or_else(|| env("RAPPORT_VAULT")) {
            Some(v) => v,
            None => std::env::current_dir()
                .context("cannot tell the current directory; pass --vault")?,
        };
        if !vault.is_dir() {
            return Err(anyhow!(
                "vault {} is not a folder (pass --vault DIR or set RAPPORT_VAULT)",
                vault.display()
            ));
        }
        let index_dir = match cli.index_dir.clone().or_else(|| env("RAPPORT_INDEX")) {
            Some(d) => d,
            None => idx::default_dir(&vault).ok_or_else(|| {
                anyhow!("cannot find a cache directory for the index; pass --index-dir DIR")
            })?,
        };
        let mut config = crate::config::Config::load(&vault)?;
        config.vault = Some(Setting::new(
            vault.clone(),
            source("vault", "--vault", "RAPPORT_VAULT", Source::Default),
        ));
        config.index = Some(Setting::new(
            index_dir.clone(),
            source("index_dir", "--index-dir", "RAPPORT_INDEX", Source::Default),
        ));
        Ok(App {
            vault,
            index_dir,
            json: cli.json,
            no_refresh: cli.no_refresh,
            style: Style::detect(),
            today: values::today(),
            config,
        })
    }

    /// Opens the index and, unless `--no-refresh`, brings it up to date,
    /// mentioning notes with problems, and starts a session over it. When
    /// the vault has no person and no meeting note, says so (every answer
    /// would be empty).
    pub fn session(&self) -> Result<Session> {
        let session = self.session_without_hint()?;
        if let Some(state) = session.vault_state()? {
            eprintln!("rapport: {}", state.hint(&self.vault));
        }
        Ok(session)
    }

    /// Like [`App::session`], without the word about an empty vault (for
    /// `new`, which is how a vault starts).
    pub fn session_without_hint(&self) -> Result<Session> {
        let (session, stats) = self.session_with_stats(false)?;
        // Files that cannot be read are not news on every query: `index`
        // and `check` report them.
        let files: std::collections::BTreeSet<&str> = stats
            .problems
            .iter()
            .filter(|p| p.code != crate::vault::ProblemCode::Unreadable)
            .map(|p| p.path.as_str())
            .collect();
        // A rebuild reads every note; only problems in changed notes are news.
        if !files.is_empty() && !self.json && session.index().rebuilt.is_none() {
            let notes = crate::render::wording::count(files.len() as i64, "note", "notes");
            let have = if files.len() == 1 { "has" } else { "have" };
            eprintln!("rapport: {notes} {have} problems; `rapport check` lists them");
        }
        Ok(session)
    }

    /// Like [`App::session`], returning what the refresh did (empty when
    /// it was skipped) instead of mentioning problems. With `walk`, the
    /// vault is walked even while `rapport watch` runs, for the files that
    /// cannot be read (`check`).
    pub fn session_with_stats(&self, walk: bool) -> Result<(Session, RefreshStats)> {
        let on_rebuild = |dir: &std::path::Path, reason: &str| {
            finish_progress();
            eprintln!(
                "rapport: rebuilding the index at {} because {reason}",
                dir.display()
            );
        };
        let opened = Session::open(
            &self.vault,
            &self.index_dir,
            self.config.clone(),
            self.today,
            &OpenOpts {
                refresh: !self.no_refresh,
                progress: &progress_bar(),
                on_rebuild: &on_rebuild,
                on_warning: &|w: &str| eprintln!("rapport: {}", crate::render::safe::terminal(w)),
                walk,
            },
        );
        finish_progress();
        Ok(opened?)
    }

    /// Opens the index with the configuration's options, without
    /// refreshing, saying so when it has to be rebuilt (for `index` and
    /// `watch`, which refresh it themselves).
    pub fn open_index(&self) -> Result<Index> {
        let index = crate::app::open_index(&self.vault, &self.index_dir, &self.config)?;
        if let Some(reason) = &index.rebuilt {
            eprintln!(
                "rapport: rebuilding the index at {} because {reason}",
                self.index_dir.display()
            );
        }
        Ok(index)
    }

    /// Prints a value as JSON on stdout.
    pub fn print_json<T: serde::Serialize>(&self, value: &T) -> Result<()> {
        self.write_json(|out| Ok(serde_json::to_writer_pretty(out, value)?))
    }

    /// Prints JSON that `write` writes on stdout, with a final line break.
    pub fn write_json(
        &self,
        write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
    ) -> Result<()> {
        // Stdout is line-buffered: without a buffer, pretty JSON costs a
        // system call per line.
        let mut out = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
        write(&mut out)?;
        writeln!(out)?;
        out.flush()?;
        Ok(())
    }

    /// Prints text on stdout.
    pub fn print(&self, text: &str) -> Result<()> {
        let mut out = std::io::stdout().lock();
        out.write_all(text.as_bytes())?;
        out.flush()?;
        Ok(())
    }
}

static BAR: OnceLock<indicatif::ProgressBar> = OnceLock::new();
static STARTED: OnceLock<Instant> = OnceLock::new();

/// A progress callback that shows a bar on a terminal once a refresh has
/// taken more than half a second, and nothing on a pipe.
pub fn progress_bar() -> impl Fn(usize, usize) + Sync {
    let started = *STARTED.get_or_init(Instant::now);
    let tty = std::io::stderr().is_terminal();
    move |done, total| {
        if !tty || started.elapsed().as_millis() < 500 {
            return;
        }
        let bar = BAR.get_or_init(|| {
            let b = indicatif::ProgressBar::new(total as u64);
            if let Ok(style) = indicatif::ProgressStyle::with_template(
                "indexing {bar:30} {pos}/{len} notes ({eta})",
            ) {
                b.set_style(style);
            }
            b
        });
        bar.set_length(total as u64);
        bar.set_position(done as u64);
    }
}

/// Clears the progress bar, if one was shown.
pub fn finish_progress() {
    if let Some(b) = BAR.get() {
        b.finish_and_clear();
    }
}

/// Exit code 1 when there is nothing to show.
pub fn found(any: bool) -> ExitCode {
    if any {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}
