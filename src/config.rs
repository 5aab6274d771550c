//! Configuration: defaults, then the user's
//! `$XDG_CONFIG_HOME/rapport/config.toml`, then `rapport.toml` at the vault
//! root (each file overrides the one before key by key), then environment
//! variables and command-line flags.
//!
//! Every value remembers where it came from, so `rapport config` can say
//! why rapport behaves as it does. An unknown key or a bad value is an error
//! naming the file, the line and the key: a typo must not silently fall back
//! to a default.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use toml::Spanned;

use crate::vault::dates::{parse_cadence, parse_span};

/// Where a value came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase", tag = "from", content = "path")]
pub enum Source {
    /// Built in.
    Default,
    /// A configuration file.
    File(PathBuf),
    /// An environment variable (its name is in `path`).
    Env(String),
    /// A command-line flag (its name is in `path`).
    Flag(String),
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Source::Default => write!(f, "default"),
            Source::File(p) => write!(f, "{}", p.display()),
            Source::Env(v) => write!(f, "environment {v}"),
            Source::Flag(a) => write!(f, "flag {a}"),
        }
    }
}

/// A value and where it came from.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Setting<T> {
    /// The value.
    pub value: T,
    /// Its origin.
    pub source: Source,
}

impl<T> Setting<T> {
    /// A value from a source.
    pub fn new(value: T, source: Source) -> Self {
        Setting { value, source }
    }

    fn default(value: T) -> Self {
        Setting {
            value,
            source: Source::Default,
        }
    }
}

/// The effective configuration.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Config {
    /// Folder for `rapport new person`.
    pub people_folder: Setting<String>,
    /// Folder for `rapport new meeting`.
    pub meetings_folder: Setting<String>,
    /// Keep-in-touch cadence (days) for people with a tag and no cadence of their own.
    pub cadence_by_tag: Setting<BTreeMap<String, u32>>,
    /// How far back `followups` looks for meetings without a next step (days).
    pub window_days: Setting<u32>,
    /// How far ahead `followups` lists birthdays and other dates (days).
    pub ahead_days: Setting<u32>,
    /// Tags that mark an ask.
    pub ask_tags: Setting<Vec<String>>,
    /// Tags that mark a give.
    pub give_tags: Setting<Vec<String>>,
    /// Extra front-matter keys read as attendees.
    pub attendee_keys: Setting<Vec<String>>,
    /// Extra front-matter keys read as projects.
    pub project_keys: Setting<Vec<String>>,
    /// Extra paths to ignore (globs relative to the vault).
    pub ignore: Setting<Vec<String>>,
    /// The vault folder, once the command line has chosen it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vault: Option<Setting<PathBuf>>,
    /// The index folder, once the command line has chosen it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub index: Option<Setting<PathBuf>>,
    /// The user's own email addresses (`[me] emails`), left out of imported attendees.
    pub me_emails: Setting<Vec<String>>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            people_folder: Setting::default("people".into()),
            meetings_folder: Setting::default("meetings".into()),
            cadence_by_tag: Setting::default(BTreeMap::new()),
            window_days: Setting::default(30),
            ahead_days: Setting::default(14),
            ask_tags: Setting::default(vec!["ask".into()]),
            give_tags: Setting::default(vec!["give".into()]),
            attendee_keys: Setting::default(Vec::new()),
            project_keys: Setting::default(Vec::new()),
            ignore: Setting::default(Vec::new()),
            vault: None,
            index: None,
            me_emails: Setting::default(Vec::new()),
        }
    }
}

/// A configuration file that cannot be used.
#[derive(Debug, thiserror::Error)]
#[error("{}:{line}: {message}", path.display())]
pub struct Error {
    /// The file.
    pub path: PathBuf,
    /// 1-based line.
    pub line: usize,
    /// What is wrong, naming the key.
    pub message: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    folders: Option<RawFolders>,
    cadence: Option<BTreeMap<String, Spanned<toml::Value>>>,
    followups: Option<RawFollowups>,
    keys: Option<RawKeys>,
    ignore: Option<Spanned<Vec<String>>>,
    me: Option<RawMe>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMe {
    emails: Option<Vec<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFolders {
    people: Option<Spanned<String>>,
    meetings: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFollowups {
    window: Option<Spanned<toml::Value>>,
    ahead: Option<Spanned<toml::Value>>,
    ask_tags: Option<Vec<String>>,
    give_tags: Option<Vec<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawKeys {
    attendees: Option<Vec<String>>,
    projects: Option<Vec<String>>,
}

/// The configuration file that decides most for a vault, if there is one:
/// `rapport.toml` at the vault root, else the user's `config.toml`.
pub fn find(vault: &Path) -> Option<PathBuf> {
    files(vault).pop()
}

/// The user's configuration file, if there is one.
pub fn user_file() -> Option<PathBuf> {
    let base = std::env::var_os("XDG_CONFIG_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| directories::BaseDirs::new().map(|d| d.home_dir().join(".config")))?;
    let user = base.join("rapport/config.toml");
    user.is_file().then_some(user)
}

/// The configuration files for a vault, in the order they are read (a
/// later one wins key by key): the user's, then the vault's `rapport.toml`.
pub fn files(vault: &Path) -> Vec<PathBuf> {
    let local = vault.join("rapport.toml");
    user_file()
        .into_iter()
        .chain(local.is_file().then_some(local))
        .collect()
}

fn line_of(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())]
        .bytes()
        .filter(|b| *b == b'\n')
        .count()
        + 1
}

/// A span key (`"30d"` or a number of days), with the file's line when it
/// is not one.
fn span(
    value: Option<Spanned<toml::Value>>,
    text: &str,
    path: &Path,
    key: &str,
    examples: &str,
    into: &mut Setting<u32>,
) -> Result<(), Error> {
    let Some(w) = value else {
        return Ok(());
    };
    let days = match w.get_ref() {
        toml::Value::String(s) => parse_span(s),
        toml::Value::Integer(n) => u32::try_from(*n).ok(),
        _ => None,
    };
    let days = days.ok_or_else(|| Error {
        path: path.to_path_buf(),
        line: line_of(text, w.span().start),
        message: format!("{key}: {} is not a span (use {examples})", w.get_ref()),
    })?;
    *into = Setting {
        value: days,
        source: Source::File(path.to_path_buf()),
    };
    Ok(())
}

fn folder(
    value: Option<Spanned<String>>,
    text: &str,
    path: &Path,
    key: &str,
    into: &mut Setting<String>,
) -> Result<(), Error> {
    if let Some(v) = value {
        let s = v.get_ref().trim().trim_matches('/').to_string();
        if s.is_empty()
            || s.split('/').any(|p| p == ".." || p.starts_with('.'))
            || Path::new(v.get_ref()).is_absolute()
        {
            return Err(Error {
                path: path.to_path_buf(),
                line: line_of(text, v.span().start),
                message: format!(
                    "`{key}` must be a folder inside the vault, like \"people\" (got {:?})",
                    v.get_ref()
                ),
            });
        }
        *into = Setting {
            value: s,
            source: Source::File(path.to_path_buf()),
        };
    }
    Ok(())
}

fn clean_tags(tags: Vec<String>) -> Vec<String> {
    tags.into_iter()
        .map(|t| t.trim().trim_start_matches('#').to_lowercase())
        .filter(|t| !t.is_empty())
        .collect()
}

impl Config {
    /// Loads the configuration for a vault: the defaults, overridden key by
    /// key by the user's file, then by the vault's.
    pub fn load(vault: &Path) -> Result<Config, Error> {
        let mut c = Config::default();
        for path in files(vault) {
            let text = std::fs::read_to_string(&path).map_err(|e| Error {
                path: path.clone(),
                line: 1,
                message: format!("cannot read: {e}"),
            })?;
            c = Config::parse_over(c, &text, &path)?;
        }
        Ok(c)
    }

    /// Parses a configuration file's text over the defaults.
    pub fn parse(text: &str, path: &Path) -> Result<Config, Error> {
        Config::parse_over(Config::default(), text, path)
    }

    /// Parses a configuration file's text over `base`: each key the file
    /// sets replaces `base`'s (a `[cadence]` tag replaces that tag only).
    pub fn parse_over(base: Config, text: &str, path: &Path) -> Result<Config, Error> {
        let raw: Raw = toml::from_str(text).map_err(|e| Error {
            path: path.to_path_buf(),
            line: e.span().map_or(1, |s| line_of(text, s.start)),
            message: e.message().trim().replace("unknown field", "unknown key"),
        })?;
        let src = || Source::File(path.to_path_buf());
        let mut c = base;
        if let Some(f) = raw.folders {
            folder(f.people, text, path, "folders.people", &mut c.people_folder)?;
            folder(
                f.meetings,
                text,
                path,
                "folders.meetings",
                &mut c.meetings_folder,
            )?;
        }
        if let Some(cad) = raw.cadence {
            let mut map = std::mem::take(&mut c.cadence_by_tag.value);
            for (tag, v) in cad {
                let days = match v.get_ref() {
                    toml::Value::String(s) => parse_cadence(s),
                    toml::Value::Integer(n) => u32::try_from(*n).ok().filter(|d| *d > 0),
                    _ => None,
                };
                let days = days.ok_or_else(|| Error {
                    path: path.to_path_buf(),
                    line: line_of(text, v.span().start),
                    message: format!("cadence.{tag}: {} is not an interval (use 7d, 2w, 3m, 1y, a number of days, or weekly/monthly/quarterly/yearly)", v.get_ref()),
                })?;
                map.insert(tag.trim_start_matches('#').to_lowercase(), days);
            }
            c.cadence_by_tag = Setting {
                value: map,
                source: src(),
            };
        }
        if let Some(f) = raw.followups {
            span(
                f.window,
                text,
                path,
                "followups.window",
                "30d, 2w, 1m",
                &mut c.window_days,
            )?;
            span(
                f.ahead,
                text,
                path,
                "followups.ahead",
                "14d, 2w, 1m",
                &mut c.ahead_days,
            )?;
            if let Some(t) = f.ask_tags {
                c.ask_tags = Setting {
                    value: clean_tags(t),
                    source: src(),
                };
            }
            if let Some(t) = f.give_tags {
                c.give_tags = Setting {
                    value: clean_tags(t),
                    source: src(),
                };
            }
        }
        if let Some(k) = raw.keys {
            if let Some(a) = k.attendees {
                c.attendee_keys = Setting {
                    value: a,
                    source: src(),
                };
            }
            if let Some(p) = k.projects {
                c.project_keys = Setting {
                    value: p,
                    source: src(),
                };
            }
        }
        if let Some(emails) = raw.me.and_then(|m| m.emails) {
            c.me_emails = Setting {
                value: emails
                    .iter()
                    .map(|e| e.trim().trim_start_matches("mailto:").to_lowercase())
                    .filter(|e| !e.is_empty())
                    .collect(),
                source: src(),
            };
        }
        if let Some(ig) = raw.ignore {
            for g in ig.get_ref() {
                if let Err(e) = globset::Glob::new(g) {
                    return Err(Error {
                        path: path.to_path_buf(),
                        line: line_of(text, ig.span().start),
                        message: format!("ignore: bad glob {g:?}: {e}"),
                    });
                }
            }
            c.ignore = Setting {
                value: ig.into_inner(),
                source: src(),
            };
        }
        Ok(c)
    }

    /// The parsing options this configuration implies.
    pub fn parse_opts(&self) -> crate::vault::ParseOpts {
        crate::vault::ParseOpts {
            attendee_keys: self.attendee_keys.value.clone(),
            project_keys: self.project_keys.value.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config, Error> {
        Config::parse(text, Path::new("/v/rapport.toml"))
    }

    #[test]
    fn every_setting_parses_and_remembers_its_file() {
        let c = parse(
            "ignore = [\"archive/**\"]\n\n[folders]\npeople = \"crm/people\"\nmeetings = \"work/meetings\"\n\n[cadence]\nmentor = \"30d\"\ninvestor = \"quarterly\"\nfriend = 45\n\n[followups]\nwindow = \"2w\"\nask_tags = [\"#Request\"]\ngive_tags = [\"offer\"]\n\n[keys]\nattendees = [\"guests\"]\nprojects = [\"client\"]\n",
        )
        .unwrap();
        assert_eq!(c.people_folder.value, "crm/people");
        assert_eq!(
            c.meetings_folder.source,
            Source::File("/v/rapport.toml".into())
        );
        assert_eq!(c.cadence_by_tag.value.get("investor"), Some(&90));
        assert_eq!(c.cadence_by_tag.value.get("friend"), Some(&45));
        assert_eq!(c.window_days.value, 14);
        assert_eq!(c.ask_tags.value, vec!["request"]);
        assert_eq!(c.attendee_keys.value, vec!["guests"]);
        assert_eq!(c.ignore.value, vec!["archive/**"]);
        let c = parse("[me]\nemails = [\"Me@Example.com\", \"mailto:me@work.example\"]\n").unwrap();
        assert_eq!(c.me_emails.value, vec!["me@example.com", "me@work.example"]);
        assert_eq!(parse("").unwrap(), Config::default());
    }

    #[test]
    fn a_later_file_wins_key_by_key() {
        let user = Path::new("/home/u/.config/rapport/config.toml");
        let vault = Path::new("/v/rapport.toml");
        let c = Config::parse(
            "[followups]\nwindow = \"3d\"\nask_tags = [\"req\"]\n[cadence]\nmentor = \"30d\"\ninvestor = \"90d\"\n",
            user,
        )
        .unwrap();
        let c = Config::parse_over(
            c,
            "[followups]\nwindow = \"1d\"\n[cadence]\nmentor = \"7d\"\n",
            vault,
        )
        .unwrap();
        assert_eq!(c.window_days.value, 1);
        assert_eq!(c.window_days.source, Source::File(vault.into()));
        // A key the vault's file does not set keeps the user's value.
        assert_eq!(c.ask_tags.value, vec!["req"]);
        assert_eq!(c.ask_tags.source, Source::File(user.into()));
        // A cadence tag is a key of its own.
        assert_eq!(c.cadence_by_tag.value.get("mentor"), Some(&7));
        assert_eq!(c.cadence_by_tag.value.get("investor"), Some(&90));
        assert_eq!(c.people_folder.source, Source::Default);
    }

    #[test]
    fn mistakes_name_the_line_and_key() {
        let e = parse("[folders]\npeople = \"p\"\npeeple = \"x\"\n").unwrap_err();
        assert_eq!(e.line, 3);
        assert!(e.message.contains("peeple"), "{e}");
        let e = parse("[cadence]\nmentor = \"often\"\n").unwrap_err();
        assert_eq!(e.line, 2);
        assert!(e.message.contains("cadence.mentor"), "{e}");
        let e = parse("[followups]\nwindow = \"soon\"\n").unwrap_err();
        assert_eq!((e.line, e.message.contains("followups.window")), (2, true));
        let e = parse("[folders]\npeople = \"../outside\"\n").unwrap_err();
        assert!(e.message.contains("folders.people"), "{e}");
        let e = parse("color = true\n").unwrap_err();
        assert!(e.message.contains("color") && e.line == 1, "{e}");
        let e = parse("ignore = [\"a[\"]\n").unwrap_err();
        assert!(e.message.contains("glob"), "{e}");
        assert!(e.to_string().starts_with("/v/rapport.toml:1: "));
        let e = parse("[followups]\nahead = \"later\"\n").unwrap_err();
        assert_eq!((e.line, e.message.contains("followups.ahead")), (2, true));
    }

    #[test]
    fn ahead_is_a_span() {
        assert_eq!(Config::default().ahead_days.value, 14);
        let c = parse("[followups]\nahead = \"3w\"\n").unwrap();
        assert_eq!(c.ahead_days.value, 21);
        assert_eq!(
            parse("[followups]\nahead = 30\n").unwrap().ahead_days.value,
            30
        );
    }
}
