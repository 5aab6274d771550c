//! Finding one person, or projects, by what someone typed on the command
//! line, or saying why not (with the closest names).
//!
//! Notes are resolved strictly (a wikilink is a wikilink, see
//! [`crate::vault::refs`]); what a person types is resolved forgivingly: a
//! whole word or the start of a word of a name, an alias or the local part
//! of an e-mail address, in any case and without accents (`ada`, `lovelace`,
//! `zoe` for Zoë). One rule for projects too: every word typed is a word of
//! the project's name, a leading "project" optional.

use super::{Network, PersonId};
use crate::index::words::{all_words_in, prefix_match, words};
use crate::vault::refs::{Resolved, project_key, ref_key};

/// Why a name names nobody.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NotFound {
    /// The name could be several people.
    #[error("'{name}' could be {}; use more of the name", who.join(" or "))]
    Ambiguous {
        /// The name as given.
        name: String,
        /// The people it could be.
        who: Vec<String>,
    },
    /// Nobody is called that; `close` are the nearest names.
    #[error("{}", nobody(name, close))]
    Nobody {
        /// The name as given.
        name: String,
        /// Up to five close names.
        close: Vec<String>,
    },
    /// No project is called that; `close` are the nearest project names.
    #[error("{}", no_project(name, close))]
    NoProject {
        /// The project as given.
        name: String,
        /// Up to five close project names.
        close: Vec<String>,
    },
    /// No person note has that organisation.
    #[error("no person note has org '{name}' (`rapport orgs` lists them)")]
    NoOrg {
        /// The organisation as given.
        name: String,
    },
}

fn nobody(name: &str, close: &[String]) -> String {
    if close.is_empty() {
        format!("nobody called '{name}' in this vault (try `rapport people`)")
    } else {
        format!(
            "nobody called '{name}'; did you mean: {}?",
            close.join(", ")
        )
    }
}

fn no_project(name: &str, close: &[String]) -> String {
    if close.is_empty() {
        format!(
            "no project called '{name}' in this vault (projects come from `projects:` in meeting notes)"
        )
    } else {
        format!(
            "no project called '{name}'; did you mean: {}?",
            close.join(", ")
        )
    }
}

/// Finds someone by what a person typed: first exactly as a note would
/// refer to them (name, alias, file name, e-mail, in any case), then by
/// words (see the module docs). People with a note come first: only when
/// none of them matches are people known only from attendee lists tried.
pub fn find(net: &Network, name: &str) -> Result<PersonId, NotFound> {
    let key = ref_key(name);
    match net.resolver.resolve_key(&key) {
        Resolved::Person(i) => return Ok(i as PersonId),
        Resolved::Ambiguous => {
            let who: Vec<String> = net
                .people
                .iter()
                .filter(|n| {
                    n.person.as_ref().is_some_and(|p| {
                        p.aliases.iter().any(|a| ref_key(a) == key)
                            || p.email.as_ref().is_some_and(|e| ref_key(e) == key)
                    }) || ref_key(&n.title) == key
                })
                .map(|n| n.title.clone())
                .collect();
            return Err(NotFound::Ambiguous {
                name: name.to_string(),
                who,
            });
        }
        Resolved::Unknown => {}
    }
    let typed = words(name);
    let noted: Vec<PersonId> = (0..net.people.len() as PersonId)
        .filter(|id| names_of(net, *id).iter().any(|n| prefix_match(&typed, n)))
        .collect();
    let found = if noted.is_empty() {
        if let Some(id) = net.unknown_ids.get(&key) {
            return Ok(*id);
        }
        (net.people.len()..net.len())
            .map(|i| i as PersonId)
            .filter(|id| prefix_match(&typed, &words(net.name(*id))))
            .collect()
    } else {
        noted
    };
    match found.as_slice() {
        [id] => Ok(*id),
        [] => Err(NotFound::Nobody {
            name: name.to_string(),
            close: net.suggest(name, 5, true),
        }),
        many => {
            let mut who: Vec<String> = many.iter().map(|id| net.name(*id).to_string()).collect();
            who.sort_by_key(|w| w.to_lowercase());
            Err(NotFound::Ambiguous {
                name: name.to_string(),
                who,
            })
        }
    }
}

/// The words of each name a person note goes by: its name, each alias, and
/// the local part of its e-mail address.
fn names_of(net: &Network, id: PersonId) -> Vec<Vec<String>> {
    let mut out = vec![words(net.name(id))];
    if let Some(p) = net.note(id).and_then(|n| n.person.as_ref()) {
        out.extend(p.aliases.iter().map(|a| words(a)));
        if let Some(local) = p.email.as_ref().and_then(|e| e.split('@').next()) {
            out.push(words(local));
        }
    }
    out
}

/// The projects (of `names`, the project names the vault has) that what a
/// person typed names: every word typed is a word of the project's name,
/// a leading "project" optional (`atlas`, `project atlas` and `Project
/// Atlas` all name "Project Atlas"). Returns their normalised keys, or the
/// closest names when none matches.
pub fn find_projects(names: &[String], typed: &str) -> Result<Vec<String>, NotFound> {
    let want = words(typed);
    let rest: &[String] = match want.split_first() {
        Some((first, rest)) if first == "project" && !rest.is_empty() => rest,
        _ => &want,
    };
    // Every word as typed; failing that, without the leading "project".
    let matching = |typed: &[String]| -> Vec<String> {
        names
            .iter()
            .filter(|n| all_words_in(typed, &words(n)))
            .map(|n| project_key(n))
            .collect()
    };
    let mut keys = matching(&want);
    if keys.is_empty() && rest.len() < want.len() {
        keys = matching(rest);
    }
    keys.sort_unstable();
    keys.dedup();
    if keys.is_empty() {
        let candidates: Vec<(String, Vec<String>)> =
            names.iter().map(|n| (n.clone(), Vec::new())).collect();
        return Err(NotFound::NoProject {
            name: typed.to_string(),
            close: super::suggestions(typed, &candidates, 5),
        });
    }
    Ok(keys)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn projects_match_by_words() {
        let names: Vec<String> = ["Project Atlas", "atlas-redesign", "Billing", "Ferrà Works"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let keys = |t: &str| find_projects(&names, t);
        assert_eq!(
            keys("atlas").unwrap(),
            vec!["atlas-redesign", "project-atlas"]
        );
        assert_eq!(keys("Project Atlas").unwrap(), vec!["project-atlas"]);
        assert_eq!(keys("project billing").unwrap(), vec!["billing"]);
        assert_eq!(keys("FERRA").unwrap(), vec!["ferrà-works"]);
        match keys("atlass") {
            Err(NotFound::NoProject { close, .. }) => {
                assert!(close.contains(&"Project Atlas".to_string()), "{close:?}")
            }
            other => panic!("{other:?}"),
        }
    }
}
