//! Telling, for many reference texts, which ones name one person, without
//! resolving each of them.
//!
//! Reading one person's meetings, mentions and tasks asks "is this
//! them?" of every distinct attendee and link text in the index, tens of
//! thousands of them. Resolving a text (its [`ref_key`], then the name
//! tables) is what costs; most texts name somebody else and can be told
//! apart by a byte comparison first.
//!
//! Why the shortcut never changes an answer: a text resolves to someone
//! only when its key is one of the keys they claim (name, path, file stem,
//! alias, e-mail, or for someone known only by name the key of that name),
//! or ends with one (`folder/stem`, `mailto:…`, `<…>`). Every word of
//! such a key is then a piece of the text's key, and the text's key is the
//! text cut down and lower-cased character by character, so the word is in
//! the lower-cased text. For a text written in ASCII, lower-casing is
//! ASCII lower-casing: a text that contains none of the person's key words,
//! ignoring ASCII case, cannot name them. Other texts are resolved in full.

use super::{Network, PersonId};
use crate::vault::refs::{KEY_CAP, ref_key};

/// Whether reference texts resolve to one person; see the module docs.
pub struct Matcher<'a> {
    net: &'a Network,
    id: PersonId,
    /// Lower-cased words of which every text naming them contains one.
    needles: Vec<String>,
}

impl Network {
    /// A [`Matcher`] for `id`: `matcher(id).is(text)` is
    /// `lookup(text) == Some(id)`, faster.
    pub fn matcher(&self, id: PersonId) -> Matcher<'_> {
        let keys: Vec<String> = match self.note(id) {
            // An empty key is never claimed (see `Resolver::of_claims`).
            Some(n) => {
                let k = n.claims();
                k.strong
                    .into_iter()
                    .chain(k.weak)
                    .filter(|k| !k.is_empty())
                    .collect()
            }
            None => self
                .unknown_ids
                .iter()
                .filter(|(_, v)| **v == id)
                .map(|(k, _)| k.clone())
                .collect(),
        };
        Matcher {
            net: self,
            id,
            needles: needles(&keys),
        }
    }
}

impl Matcher<'_> {
    /// True when `reference` resolves to the person.
    pub fn is(&self, reference: &str) -> bool {
        // A key is found in its text, folded, unless the text is so long
        // that its key stands for it (see `refs::KEY_CAP`).
        if reference.len() <= KEY_CAP
            && reference.is_ascii()
            && !self
                .needles
                .iter()
                .any(|n| contains_ascii_folded(reference.as_bytes(), n.as_bytes()))
        {
            return false;
        }
        self.net.lookup(reference) == Some(self.id)
    }
}

/// The longest word of each key, without a word that contains another
/// (finding the shorter one is implied), sorted. An empty key (someone
/// known only by an empty text) gives the empty word, found in any text.
fn needles(keys: &[String]) -> Vec<String> {
    let mut words: Vec<String> = keys
        .iter()
        // Keys are `ref_key`s already; the call keeps that true whoever
        // builds them (it changes nothing on a key).
        .map(|k| {
            ref_key(k)
                .split(' ')
                .max_by_key(|w| w.len())
                .unwrap_or_default()
                .to_string()
        })
        .collect();
    words.sort_unstable();
    words.dedup();
    let all = words.clone();
    words.retain(|w| !all.iter().any(|o| o != w && w.contains(o.as_str())));
    words
}

/// True when `needle` (lower case) occurs in `hay` with `hay` lower-cased
/// (ASCII). The places its first byte occurs, in either case, are found by
/// `memchr`: most texts a profile tests (tens of thousands of attendee and
/// link spellings) hold it nowhere; trying every place, the test of those
/// texts took 21 of `person`'s 224 million instructions, this search 6
/// fewer.
fn contains_ascii_folded(hay: &[u8], needle: &[u8]) -> bool {
    let Some((&first, rest)) = needle.split_first() else {
        return true;
    };
    let Some(last_start) = hay.len().checked_sub(needle.len()) else {
        return false;
    };
    if first.is_ascii_uppercase() {
        // No byte of a lower-cased text is.
        return false;
    }
    memchr::memchr2_iter(first, first.to_ascii_uppercase(), &hay[..=last_start]).any(|i| {
        hay[i + 1..i + needle.len()]
            .iter()
            .zip(rest)
            .all(|(h, n)| h.to_ascii_lowercase() == *n)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::{DocRef, Facts, MeetingFact};
    use crate::query::testkit::person;

    fn net(people: Vec<crate::vault::Note>, refs: &[&str]) -> Network {
        let facts = Facts {
            refs: refs.iter().map(|s| s.to_string()).collect(),
            meetings: vec![MeetingFact {
                doc: DocRef::from_raw(0, 0),
                date: None,
                attendees: (0..refs.len() as u32).collect(),
                projects: Vec::new(),
                tags: Vec::new(),
                tasks: 0,
                open_tasks: 0,
                path: String::new(),
                title: String::new(),
            }],
            ..Default::default()
        };
        Network::from_facts(people, facts, None)
    }

    /// The search by first byte agrees with a plain pass over every place,
    /// on texts and needles of mixed case, accents and repeats.
    #[test]
    fn folded_search_agrees_with_a_plain_pass() {
        fn plain(hay: &[u8], needle: &[u8]) -> bool {
            needle.is_empty()
                || hay.windows(needle.len()).any(|w| {
                    w.iter()
                        .zip(needle)
                        .all(|(h, n)| h.to_ascii_lowercase() == *n)
                })
        }
        let alphabet: Vec<&[u8]> = vec![b"a", b"A", b"b", b"Q", b"q", b" ", b"[", "é".as_bytes()];
        let mut rng = crate::testrand::Rng(0x2545_f491_4f6c_dd1d);
        for _ in 0..20_000 {
            let (h, n) = (rng.below(12), rng.below(4));
            let mut text = |len: usize| -> Vec<u8> {
                (0..len)
                    .flat_map(|_| alphabet[rng.below(alphabet.len())].to_vec())
                    .collect()
            };
            let (hay, needle) = (text(h), text(n));
            assert_eq!(
                contains_ascii_folded(&hay, &needle),
                plain(&hay, &needle),
                "{hay:?} {needle:?}"
            );
        }
    }

    #[test]
    fn needles_are_the_shortest_set_of_longest_words() {
        let keys: Vec<String> = [
            "rania quinn",
            "people/rania-quinn-1990",
            "rq",
            "rania.quinn",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        assert_eq!(needles(&keys), vec!["quinn", "rq"]);
        assert_eq!(needles(&["ab".to_string(), String::new()]), vec![""]);
        assert!(contains_ascii_folded(b"[[Rania QUINN]]", b"quinn"));
        assert!(!contains_ascii_folded(b"Quin", b"quinn"));
        assert!(contains_ascii_folded(b"x", b""));
    }

    /// Every spelling the resolver accepts, and near misses, give the same
    /// answer through the matcher as through `lookup`: accents, Unicode
    /// case folding that turns a non-ASCII letter into an ASCII one (the
    /// Kelvin sign), aliases, e-mail forms, paths from other folders.
    #[test]
    fn the_matcher_answers_as_lookup_does() {
        let zoe = person(
            "people/zoë-ång.md",
            "name: Zoë Ång\naliases: [ZA, Kat]\nemail: Zoe.Ang@Example.org",
        );
        let ada = person(
            "people/ada-lovelace.md",
            "name: Ada Lovelace\naliases: [Ada, A. Lovelace]\nemail: ada@ae.example",
        );
        // Claims `ada` (its file stem) strongly: Ada Lovelace's alias loses.
        let twin = person("people/ada.md", "name: Ada Byron");
        let texts = [
            "Zoë Ång",
            "ZOË ÅNG",
            "zoe ang",
            "Zoe Ang",
            "[[Zoë Ång]]",
            "people/zoë-ång",
            "elsewhere/zoë-ång.md",
            "za",
            "\u{212A}at", // Kelvin sign: lower-cases to an ASCII `k`
            "kat",
            "zoe.ang@example.org",
            "mailto:ZOE.ANG@example.org",
            "<zoe.ang@example.org>",
            "Ada Lovelace",
            "  ada   LOVELACE ",
            "[[people/ada-lovelace|Ada]]",
            "ada-lovelace.md",
            "Ada",
            "ada",
            "A. Lovelace",
            "a.  lovelace",
            "ADA@AE.EXAMPLE",
            "mailto:ada@ae.example",
            "Ada Byron",
            "people/ada",
            "Guest One",
            "guest  one",
            "GUEST ONE",
            "Guest Two",
            "",
            "   ",
        ];
        let n = net(vec![zoe, ada, twin], &texts);
        assert!(n.len() > 3, "some texts are people known only by name");
        for id in 0..n.len() as PersonId {
            let m = n.matcher(id);
            for t in texts {
                assert_eq!(m.is(t), n.lookup(t) == Some(id), "{id} {t:?}");
            }
        }
        // The cases that matter are exercised: a non-ASCII spelling, an
        // alias reached only through Unicode case folding, an e-mail form.
        let zoe = n.matcher(0);
        assert!(zoe.is("ZOË ÅNG") && zoe.is("\u{212A}at") && zoe.is("<zoe.ang@example.org>"));
        assert!(!zoe.is("zoe ang"));
        let ada = n.matcher(1);
        assert!(ada.is("[[people/ada-lovelace|Ada]]") && ada.is("a.  lovelace"));
        assert!(!ada.is("Ada") && n.matcher(2).is("Ada") && !ada.is("Ada Byron"));
    }
}
