//! Creating meeting and person notes: the only writes into the vault, and
//! only ever new files (never an overwrite).

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use super::{Error, Result};
use crate::config::Config;
use crate::query::{self, Network, NotFound};
use crate::vault::Relation;
use crate::vault::refs::project_key;

/// A meeting note to create.
#[derive(Debug, Clone)]
pub struct NewMeeting {
    /// The title.
    pub title: String,
    /// Attendees as typed (resolved to person notes where possible).
    pub with: Vec<String>,
    /// Projects.
    pub projects: Vec<String>,
    /// The meeting's date.
    pub date: NaiveDate,
}

/// A person note to create.
#[derive(Debug, Clone, Default)]
pub struct NewPerson {
    /// Their name.
    pub name: String,
    /// Organisation.
    pub org: Option<String>,
    /// Team.
    pub team: Option<String>,
    /// internal or external.
    pub relation: Option<Relation>,
    /// Keep-in-touch cadence as typed (already checked to parse).
    pub cadence: Option<String>,
    /// Email address.
    pub email: Option<String>,
}

/// What a `new` call did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Created {
    /// A new note at this (absolute) path. `unknown` are the attendees that
    /// have no person note, kept as typed.
    New {
        /// The note.
        path: PathBuf,
        /// Attendees with no person note.
        unknown: Vec<String>,
    },
    /// The person already has a note; nothing was written.
    Existing {
        /// Their note.
        path: PathBuf,
        /// Their name.
        title: String,
    },
}

impl Created {
    /// The note's path.
    pub fn path(&self) -> &Path {
        match self {
            Created::New { path, .. } | Created::Existing { path, .. } => path,
        }
    }
}

/// `projects` are the project names the vault has: a project typed that
/// names exactly one of them is written as that one.
pub(super) fn meeting(
    net: &Network,
    projects: &[String],
    vault: &Path,
    config: &Config,
    m: &NewMeeting,
) -> Result<Created> {
    let mut attendees = Vec::new();
    let mut unknown = Vec::new();
    for name in &m.with {
        // Typed, so forgiving (`--with ada`); a name that could be several
        // people is refused rather than guessed.
        match query::find(net, name) {
            Ok(id) => match net.note(id) {
                Some(n) => attendees.push(q(&format!("[[{}|{}]]", n.path_key(), n.title))),
                None => attendees.push(q(name)),
            },
            Err(e @ NotFound::Ambiguous { .. }) => return Err(e.into()),
            Err(_) => {
                unknown.push(name.clone());
                attendees.push(q(name));
            }
        }
    }
    let projects: Vec<String> = m
        .projects
        .iter()
        .map(|p| {
            let known = query::find_projects(projects, p).ok().and_then(|keys| {
                let [key] = keys.as_slice() else { return None };
                projects.iter().find(|n| project_key(n) == *key)
            });
            q(&format!("[[{}]]", known.map_or(p.as_str(), String::as_str)))
        })
        .collect();
    let (date, title) = (m.date, &m.title);
    let text = format!(
        "---\ntype: meeting\ndate: {date}\ntitle: {}\nattendees: [{}]\nprojects: [{}]\ntags: []\n---\n# {}\n\n## Notes\n\n\n## Follow-ups\n\n- [ ] \n",
        q(title),
        attendees.join(", "),
        projects.join(", "),
        crate::render::safe::one_line(title)
    );
    let dir = crate::fsutil::folder_in_vault(vault, &config.meetings_folder.value)
        .map_err(Error::Folder)?;
    let path = create_new(&dir, &file_safe(&format!("{date} {title}")), &text)?;
    Ok(Created::New { path, unknown })
}

pub(super) fn person(
    net: &Network,
    vault: &Path,
    config: &Config,
    p: &NewPerson,
) -> Result<Created> {
    if let Some(existing) = net.lookup(&p.name).and_then(|id| net.note(id)) {
        return Ok(Created::Existing {
            path: vault.join(&existing.path),
            title: existing.title.clone(),
        });
    }
    let mut fm = format!("---\nname: {}\n", q(&p.name));
    let relation = p.relation.map(|r| r.as_str().to_string());
    for (key, value) in [
        ("org", &p.org),
        ("team", &p.team),
        ("relation", &relation),
        ("cadence", &p.cadence),
        ("email", &p.email),
    ] {
        if let Some(v) = value {
            fm.push_str(&format!("{key}: {}\n", q(v)));
        }
    }
    fm.push_str("tags: []\n---\n");
    let text = format!(
        "{fm}# {}\n\n## Interests\n\n\n## Notes\n\n",
        crate::render::safe::one_line(&p.name)
    );
    let dir = crate::fsutil::folder_in_vault(vault, &config.people_folder.value)
        .map_err(Error::Folder)?;
    let path = create_new(&dir, &slug(&p.name), &text)?;
    Ok(Created::New {
        path,
        unknown: Vec::new(),
    })
}

// One naming and quoting for every note rapport writes: `new` and `import`
// put a meeting or person where the other would.
pub use crate::import::text::slug;
use crate::import::text::{file_safe, yaml_str as q};

/// Creates `dir/stem.md`, or `dir/stem (2).md`… if taken; never overwrites.
fn create_new(dir: &Path, stem: &str, text: &str) -> Result<PathBuf> {
    let stem = &crate::fsutil::fit_file_stem(stem, ".md");
    let err = |path: &Path| {
        let path = path.to_path_buf();
        move |source| Error::Create { path, source }
    };
    fs::create_dir_all(dir).map_err(err(dir))?;
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
                f.write_all(text.as_bytes()).map_err(err(&path))?;
                return Ok(path);
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(err(&path)(e)),
        }
    }
    Err(Error::TooMany {
        stem: stem.to_string(),
        dir: dir.to_path_buf(),
    })
}
