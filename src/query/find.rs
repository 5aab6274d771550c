//! Finding one person by how a note would refer to them, or saying why not
//! (with the closest names), for `person`, `meetings --person` and any
//! command that takes a name.

use super::{Network, PersonId};
use crate::vault::refs::{Resolved, ref_key};

/// Why a name names nobody.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NotFound {
    /// The name is an alias or name of several people.
    #[error("'{name}' could be {}; use the full name", who.join(" or "))]
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

/// Finds someone by name, alias, file name or email.
pub fn find(net: &Network, name: &str) -> Result<PersonId, NotFound> {
    if let Some(id) = net.lookup(name) {
        return Ok(id);
    }
    if net.resolve(name) == Resolved::Ambiguous {
        let key = ref_key(name);
        let who: Vec<String> = net
            .people
            .iter()
            .filter(|n| {
                n.person
                    .as_ref()
                    .is_some_and(|p| p.aliases.iter().any(|a| ref_key(a) == key))
                    || ref_key(&n.title) == key
            })
            .map(|n| n.title.clone())
            .collect();
        return Err(NotFound::Ambiguous {
            name: name.to_string(),
            who,
        });
    }
    Err(NotFound::Nobody {
        name: name.to_string(),
        close: net.suggest(name, 5, true),
    })
}
