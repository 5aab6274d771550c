//! References to people and projects, and how they resolve.
//!
//! Notes point at people in many ways: `[[Ada Lovelace]]`, `[[people/ada|Ada]]`,
//! `[[people/ada.md]]`, a plain name, an alias or an email. All of them are kept
//! as written (the *reference text*) and resolved at question time against the
//! person notes of the whole vault, so adding a person note later fixes every
//! meeting that already mentioned them without re-reading those meetings.

use rustc_hash::FxHashMap as HashMap;

/// The target of a wikilink's inner text: `people/ada|Ada` → `people/ada`,
/// `Ada#Work` → `Ada`, `ada.md` → `ada`.
pub fn link_target(inner: &str) -> &str {
    let target = inner.split('|').next().unwrap_or(inner);
    let target = target.split('#').next().unwrap_or(target);
    let target = target.split('^').next().unwrap_or(target).trim();
    strip_md_ext(target)
}

fn strip_md_ext(s: &str) -> &str {
    for ext in [".md", ".markdown", ".MD"] {
        if let Some(stem) = s.strip_suffix(ext) {
            return stem;
        }
    }
    s
}

/// Extracts the references written in one front-matter value: every wikilink's
/// target, or, when there is none, the plain text. `"[[A]], [[B]]"` gives two
/// references; a plain `"Ada, Bob"` is split on commas.
pub fn references_in(value: &str) -> Vec<String> {
    let links = wikilinks(value);
    if !links.is_empty() {
        return links.into_iter().map(|(t, _)| t.to_string()).collect();
    }
    value
        .split(',')
        .map(|s| strip_md_ext(s.trim().trim_matches(|c| c == '"' || c == '\'')).trim())
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

/// Every `[[…]]` in a line of text, as (target, byte offset of `[[`). Embeds
/// (`![[…]]`) are not references to people and are skipped.
pub fn wikilinks(text: &str) -> Vec<(&str, usize)> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(i) = text[from..].find("[[") {
        let mut start = from + i;
        let Some(len) = text[start + 2..].find("]]") else {
            break;
        };
        let close = start + 2 + len;
        // The last `[[` before the `]]` opens the link (`[[a [[b]]` links
        // `b`). Found in one pass: searching for `]]` again from every `[[`
        // would be quadratic on a line of many `[[`.
        while let Some(j) = text[start + 2..close].find("[[") {
            start += 2 + j;
        }
        let inner = &text[start + 2..close];
        from = close + 2;
        if inner.contains('\n') {
            continue;
        }
        if start > 0 && text.as_bytes()[start - 1] == b'!' {
            continue;
        }
        let target = link_target(inner);
        if !target.is_empty() {
            out.push((target, start));
        }
    }
    out
}

/// The comparison key of a reference: case-folded, `.md` dropped, runs of
/// white space folded to one space; a key longer than [`KEY_CAP`] bytes is
/// replaced by a short one that stands for it (see [`KEY_CAP`]).
pub fn ref_key(text: &str) -> String {
    // Most references are plain names (`Ada Lovelace`, `people/ada`):
    // nothing to strip or fold, only ASCII letters to lower-case. A
    // resolver is built from thousands of them on every question.
    let key = if is_plain_ref(text) {
        text.to_ascii_lowercase()
    } else {
        ref_key_general(text)
    };
    capped(key)
}

/// The longest reference key compared as it is, in bytes.
///
/// The index keeps at most 65,535 bytes of a column value and 65,530 of a
/// term (tantivy's limits), so a longer reference would come back cut and
/// name nobody. A longer key is therefore replaced, on every side alike (a
/// person's names and aliases, the references the index keeps), by
/// a fixed prefix and a hash of the whole key, and a reference too long to be
/// kept whole is kept as its key ([`stored_ref`]).
pub const KEY_CAP: usize = 60_000;

/// How a key that stands for a longer one begins.
const LONG_KEY: &str = "rapport-long-reference-";

/// The longest reference the index keeps as written (tantivy's longest
/// term, shorter than its longest column value).
pub const STORED_REF_MAX: usize = 65_530;

fn capped(key: String) -> String {
    if key.len() <= KEY_CAP {
        return key;
    }
    format!(
        "{LONG_KEY}{:016x}",
        super::hash::stable_hash(&["reference", &key])
    )
}

/// The text the index keeps for reference `text`: `text` itself, or, when
/// it is longer than the index can keep, its key, which names whoever the
/// text names (the note itself is never changed).
pub fn stored_ref(text: &str) -> std::borrow::Cow<'_, str> {
    if text.len() <= STORED_REF_MAX {
        std::borrow::Cow::Borrowed(text)
    } else {
        std::borrow::Cow::Owned(ref_key(text))
    }
}

/// True when [`ref_key_general`] would only lower-case `text`: ASCII with
/// no brackets, no `|`, `#` or `^`, white space only as single spaces
/// between words, and no extension to drop.
fn is_plain_ref(text: &str) -> bool {
    let b = text.as_bytes();
    let (Some(first), Some(last)) = (b.first(), b.last()) else {
        return false;
    };
    if *first == b' ' || *last == b' ' || strip_md_ext(text).len() != text.len() {
        return false;
    }
    let mut prev_space = false;
    b.iter().all(|&c| {
        let ok = match c {
            b' ' => !prev_space,
            b'[' | b']' | b'|' | b'#' | b'^' => false,
            // Other white space (tab, line breaks, vertical tab, form feed)
            // is folded by the general rule.
            b'\t' | b'\n' | b'\r' | 0x0b | 0x0c => false,
            _ => c.is_ascii(),
        };
        prev_space = c == b' ';
        ok
    })
}

/// [`ref_key`] for any text.
fn ref_key_general(text: &str) -> String {
    let t = strip_md_ext(
        text.trim()
            .trim_start_matches("[[")
            .trim_end_matches("]]")
            .trim(),
    );
    let t = link_target(t);
    let mut out = String::with_capacity(t.len());
    for word in t.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        // Most references are ASCII: lower-case them in place (the same
        // result, without a character iterator per letter).
        if word.is_ascii() {
            let start = out.len();
            out.push_str(word);
            out[start..].make_ascii_lowercase();
        } else {
            out.extend(word.chars().flat_map(char::to_lowercase));
        }
    }
    out
}

/// The comparison key of a project: case-folded, wikilink brackets stripped,
/// and space, `-` and `_` the same (`Project X` = `[[project-x]]` = `project_x`).
///
/// ```
/// use rapport::vault::refs::project_key;
/// assert_eq!(project_key("Project X"), project_key("[[project-x]]"));
/// assert_eq!(project_key("project_x"), "project-x");
/// ```
pub fn project_key(text: &str) -> String {
    let t = text.trim().trim_start_matches("[[").trim_end_matches("]]");
    let t = link_target(t);
    let mut out = String::with_capacity(t.len());
    let mut sep = false;
    for c in t.chars() {
        if c == ' ' || c == '-' || c == '_' || c.is_whitespace() {
            sep = !out.is_empty();
        } else {
            if sep {
                out.push('-');
                sep = false;
            }
            out.extend(c.to_lowercase());
        }
    }
    out
}

/// The display form of a project: the text as written, brackets stripped.
pub fn project_display(text: &str) -> String {
    link_target(text.trim().trim_start_matches("[[").trim_end_matches("]]"))
        .trim()
        .to_string()
}

/// What a reference resolves to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resolved {
    /// The person at this index of the list the resolver was built from.
    Person(usize),
    /// More than one person claims this name or alias.
    Ambiguous,
    /// Nobody: the reference stands for a person known only by its text.
    Unknown,
}

/// Resolves reference texts to people. Path, file stem and name are strong
/// keys; aliases and emails are weaker and only used when no strong key
/// matches, so an alias can never hide another person's real name.
#[derive(Debug, Default)]
pub struct Resolver {
    strong: HashMap<String, Slot>,
    weak: HashMap<String, Slot>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Slot {
    One(usize),
    Many,
}

fn claim(map: &mut HashMap<String, Slot>, key: String, who: usize) {
    if key.is_empty() {
        return;
    }
    map.entry(key)
        .and_modify(|slot| {
            if *slot != Slot::One(who) {
                *slot = Slot::Many
            }
        })
        .or_insert(Slot::One(who));
}

/// The [`ref_key`]s one person claims: strong ones (path, file stem, name)
/// and weak ones (aliases, e-mail address).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claims {
    /// Path (without extension), file stem, name.
    pub strong: [String; 3],
    /// Aliases, then the e-mail address.
    pub weak: Vec<String>,
}

/// The keys a person with this `path` (vault-relative, without extension),
/// display `name`, `aliases` and `email` claims.
pub fn claims(path: &str, name: &str, aliases: &[String], email: Option<&str>) -> Claims {
    let stem = path.rsplit('/').next().unwrap_or(path);
    Claims {
        strong: [ref_key(path), ref_key(stem), ref_key(name)],
        weak: aliases
            .iter()
            .map(String::as_str)
            .chain(email)
            .map(ref_key)
            .collect(),
    }
}

impl Resolver {
    /// Builds a resolver over people's [`claims`], in the order given.
    pub fn of_claims(people: impl IntoIterator<Item = Claims>) -> Self {
        let people = people.into_iter();
        // Sized once: three strong keys and about one weak key a person.
        let n = people.size_hint().0;
        let mut r = Resolver {
            strong: HashMap::with_capacity_and_hasher(3 * n, Default::default()),
            weak: HashMap::with_capacity_and_hasher(n, Default::default()),
        };
        for (i, p) in people.enumerate() {
            for k in p.strong {
                claim(&mut r.strong, k, i);
            }
            for k in p.weak {
                claim(&mut r.weak, k, i);
            }
        }
        r
    }

    /// Resolves one reference text.
    pub fn resolve(&self, reference: &str) -> Resolved {
        self.resolve_key(&ref_key(reference))
    }

    /// Resolves an already computed [`ref_key`].
    pub fn resolve_key(&self, key: &str) -> Resolved {
        let found = |slot: Option<&Slot>| match slot {
            Some(Slot::One(i)) => Some(Resolved::Person(*i)),
            Some(Slot::Many) => Some(Resolved::Ambiguous),
            None => None,
        };
        if let Some(r) = found(self.strong.get(key)).or_else(|| found(self.weak.get(key))) {
            return r;
        }
        // `[[some/folder/ada-lovelace]]` written from another folder: Obsidian
        // falls back to the file name, and so do we.
        if let Some((_, stem)) = key.rsplit_once('/')
            && let Some(r) = found(self.strong.get(stem))
        {
            return r;
        }
        // `mailto:ada@example.com`, `<ada@example.com>`
        let bare = key
            .trim_start_matches("mailto:")
            .trim_matches(|c| c == '<' || c == '>');
        if bare != key
            && let Some(r) = found(self.weak.get(bare))
        {
            return r;
        }
        Resolved::Unknown
    }

    /// Keys (aliases, names) claimed by more than one person, for reporting.
    pub fn ambiguous_keys(&self) -> Vec<&str> {
        let mut keys: Vec<&str> = self
            .strong
            .iter()
            .chain(self.weak.iter())
            .filter(|(_, s)| **s == Slot::Many)
            .map(|(k, _)| k.as_str())
            .collect();
        keys.sort_unstable();
        keys.dedup();
        keys
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A key over the cap stands for its text: alike for the text as
    /// written, in another case or spacing, and for the key itself (what
    /// the index keeps), different for another text, and short enough for
    /// the index; a text the index can keep is kept as written.
    #[test]
    fn a_key_too_long_is_replaced_alike_on_every_side() {
        let long = "y".repeat(70_000);
        let key = ref_key(&long);
        assert!(key.len() < 100, "{}", key.len());
        assert_eq!(ref_key(&long.to_uppercase()), key);
        assert_eq!(ref_key(&format!("[[{long}]]")), key);
        assert_eq!(ref_key(&format!("  {long}.md ")), key);
        assert_eq!(ref_key(&key), key);
        assert_eq!(ref_key(&stored_ref(&long)), key);
        assert_ne!(ref_key(&"y".repeat(70_001)), key);
        let spaced = format!("{}\t\n {}", "V".repeat(40_000), "v".repeat(30_000));
        assert_eq!(
            ref_key(&spaced),
            ref_key(&format!("{} {}", "v".repeat(40_000), "v".repeat(30_000)))
        );
        // At the cap, a key is itself; a reference the index keeps whole
        // is kept as written.
        let at_cap = "x".repeat(KEY_CAP);
        assert_eq!(ref_key(&at_cap), at_cap);
        assert_ne!(ref_key(&"x".repeat(KEY_CAP + 1)), "x".repeat(KEY_CAP + 1));
        let kept = "Z".repeat(STORED_REF_MAX);
        assert_eq!(stored_ref(&kept), kept.as_str());
        assert_eq!(
            stored_ref(&format!("{kept}z")),
            ref_key(&format!("{kept}z"))
        );
    }

    /// The plain-name shortcut gives what the general rule gives, for
    /// texts made of every character either treats specially.
    #[test]
    fn plain_ref_keys_equal_the_general_rule() {
        let mut alphabet: Vec<&str> = "a B z [ ] [[ ]] | # ^ .md .MD .markdown / - É İ x.m d"
            .split(' ')
            .collect();
        alphabet.extend([
            " ", "  ", "\t", "\n", "\r", "\u{b}", "\u{c}", "\u{1f}", "\u{85}", "\u{a0}",
        ]);
        let mut rng = crate::testrand::Rng(0x2545_f491_4f6c_dd1d);
        let mut next = || rng.next_u64();
        let mut plain = 0;
        for _ in 0..200_000 {
            let len = (next() % 7) as usize;
            let text: String = (0..len)
                .map(|_| alphabet[(next() % alphabet.len() as u64) as usize])
                .collect();
            plain += usize::from(is_plain_ref(&text));
            assert_eq!(ref_key(&text), ref_key_general(&text), "{text:?}");
        }
        // Both paths were taken many times.
        assert!(plain > 1_000 && plain < 190_000, "{plain}");
    }

    fn person(path: &str, name: &str, aliases: &[&str], email: Option<&str>) -> Claims {
        let aliases: Vec<String> = aliases.iter().map(|s| s.to_string()).collect();
        claims(path, name, &aliases, email)
    }

    #[test]
    fn link_targets() {
        assert_eq!(link_target("Ada Lovelace"), "Ada Lovelace");
        assert_eq!(link_target("people/ada|Ada"), "people/ada");
        assert_eq!(link_target("people/ada.md"), "people/ada");
        assert_eq!(link_target("Ada#Work history"), "Ada");
    }

    #[test]
    fn nested_and_many_open_brackets() {
        assert_eq!(wikilinks("[[a [[b]] c"), vec![("b", 4)]);
        assert_eq!(wikilinks("[[[[x]]"), vec![("x", 2)]);
        assert_eq!(wikilinks("[[a\nb]] [[c]]"), vec![("c", 8)]);
        assert_eq!(wikilinks("![[img]] [[d]]"), vec![("d", 9)]);
        // 200,000 `[[` before one `]]`: linear, not quadratic (took minutes).
        let text = format!("{}x]]", "[[".repeat(200_000));
        let started = std::time::Instant::now();
        assert_eq!(wikilinks(&text), vec![("x", 399_998)]);
        assert!(started.elapsed().as_secs() < 5);
    }

    #[test]
    fn references_in_values() {
        assert_eq!(
            references_in("[[Ada]], [[people/bob|Bob]]"),
            vec!["Ada", "people/bob"]
        );
        assert_eq!(
            references_in("Ada Lovelace, bob@x.example"),
            vec!["Ada Lovelace", "bob@x.example"]
        );
        assert_eq!(references_in("  "), Vec::<String>::new());
        assert_eq!(references_in("![[embed]] and [[Real]]"), vec!["Real"]);
    }

    #[test]
    fn every_way_to_name_a_person_resolves() {
        let people = [
            person(
                "people/ada-lovelace",
                "Ada Lovelace",
                &["Ada", "A. Lovelace"],
                Some("ada@ae.example"),
            ),
            person("References/Steph Ango", "Steph Ango", &[], None),
        ];
        let r = Resolver::of_claims(people);
        for text in [
            "Ada Lovelace",
            "ada lovelace",
            "people/ada-lovelace",
            "people/ada-lovelace.md",
            "ada-lovelace",
            "Ada",
            "a. lovelace",
            "ADA@AE.EXAMPLE",
            "elsewhere/ada-lovelace",
        ] {
            assert_eq!(r.resolve(text), Resolved::Person(0), "{text}");
        }
        assert_eq!(r.resolve("Steph Ango"), Resolved::Person(1));
        assert_eq!(r.resolve("References/Steph Ango"), Resolved::Person(1));
        assert_eq!(r.resolve("Unknown Person"), Resolved::Unknown);
    }

    #[test]
    fn ambiguous_alias_resolves_to_nobody() {
        let people = [
            person("people/al-a", "Al Able", &["Al"], None),
            person("people/al-b", "Al Baker", &["Al"], None),
        ];
        let r = Resolver::of_claims(people);
        assert_eq!(r.resolve("Al"), Resolved::Ambiguous);
        assert_eq!(r.resolve("Al Baker"), Resolved::Person(1));
        assert_eq!(r.ambiguous_keys(), vec!["al"]);
    }

    #[test]
    fn a_name_beats_someone_elses_alias() {
        let people = [
            person("people/x", "Sam", &[], None),
            person("people/y", "Samuel", &["Sam"], None),
        ];
        assert_eq!(
            Resolver::of_claims(people).resolve("sam"),
            Resolved::Person(0)
        );
    }

    #[test]
    fn projects_normalise() {
        let k = project_key("Project X");
        assert_eq!(k, "project-x");
        assert_eq!(project_key("[[project-x]]"), k);
        assert_eq!(project_key("project_x"), k);
        assert_eq!(project_key("  PROJECT   x "), k);
        assert_ne!(project_key("Project Y"), k);
        assert_eq!(project_display("[[Project X]]"), "Project X");
    }
}
