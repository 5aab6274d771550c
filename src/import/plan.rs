//! Deciding what an import creates: pure, so every rule is a unit test and
//! 10,000 events plan without touching the disk.
//!
//! An item whose `uid` is already in some note's front matter exists, wherever
//! that note now lives and whatever it now says. A contact also exists when
//! an existing person has one of its e-mail addresses, or its name or an
//! alias (case- and accent-insensitive). Everything else becomes a new note
//! with the `uid` that will recognise it next time.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use serde::Serialize;

use super::Problem;
use super::calendar::{Attendee, Occurrence};
use super::contacts::Contact;
use super::text::{file_safe, fold, md_block, md_line, one_line, slug, yaml_str};
use crate::vault::refs::{Resolved, Resolver, claims};
use crate::vault::{Note, without_extension};

/// A person note already in the vault, as an import compares it.
#[derive(Debug, Clone, Default)]
pub struct KnownPerson {
    /// Vault-relative path (`people/ada.md`).
    pub path: String,
    /// Name.
    pub name: String,
    /// Aliases.
    pub aliases: Vec<String>,
    /// `email` and `emails`, lower-cased.
    pub emails: Vec<String>,
}

/// What the vault already holds.
#[derive(Debug, Default)]
pub struct Known {
    /// Front-matter `uid` → the path of its note.
    pub uids: HashMap<String, String>,
    /// Person notes.
    pub people: Vec<KnownPerson>,
    /// Every file path in the vault, lower-cased (new files avoid them).
    pub paths: HashSet<String>,
}

impl Known {
    /// From the index's person notes, `uid`s and paths.
    pub fn new(
        people: &[Note],
        uids: Vec<(String, String)>,
        paths: impl IntoIterator<Item = String>,
    ) -> Known {
        let people = people
            .iter()
            .map(|n| {
                let p = n.person.clone().unwrap_or_default();
                KnownPerson {
                    path: n.path.clone(),
                    name: n.title.clone(),
                    aliases: p.aliases,
                    emails: p
                        .email
                        .into_iter()
                        .chain(p.emails)
                        .map(|e| e.trim().to_lowercase())
                        .filter(|e| !e.is_empty())
                        .collect(),
                }
            })
            .collect();
        Known {
            uids: uids.into_iter().collect(),
            people,
            paths: paths.into_iter().map(|p| p.to_lowercase()).collect(),
        }
    }
}

/// Options of a plan.
#[derive(Debug, Clone, Default)]
pub struct PlanOpts {
    /// The user's own addresses, lower-cased (`[me] emails`).
    pub me: Vec<String>,
    /// Import events with no attendee but the user, too.
    pub all: bool,
    /// Folder of meeting notes.
    pub meetings_folder: String,
    /// Folder of person notes.
    pub people_folder: String,
}

/// A note the import creates.
#[derive(Debug, Clone, Serialize)]
pub struct Created {
    /// Vault-relative path (the writer may pick ` (2)` if it was taken meanwhile).
    pub path: String,
    /// `meeting` or `person`.
    pub kind: &'static str,
    /// The item's uid, written into the note.
    pub uid: String,
    /// The meeting's date.
    pub date: Option<NaiveDate>,
    /// Title or name.
    pub title: String,
    /// Attendees as written into the note.
    pub attendees: Vec<String>,
    /// The whole note.
    #[serde(skip)]
    pub text: String,
}

/// An item the vault already has a note for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Existing {
    /// The item's uid (for a contact without one, its name).
    pub uid: String,
    /// The note that has it.
    pub path: String,
}

/// An item not imported, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Skipped {
    /// The item's uid.
    pub uid: String,
    /// Its title.
    pub title: String,
    /// Why.
    pub reason: String,
}

/// What an import creates, finds, skips, and could not read.
#[derive(Debug, Default, Serialize)]
pub struct Plan {
    /// New notes.
    pub created: Vec<Created>,
    /// Items already in the vault.
    pub existing: Vec<Existing>,
    /// Items left out.
    pub skipped: Vec<Skipped>,
    /// Items that could not be read.
    pub problems: Vec<Problem>,
}

/// Picks `folder/stem.md`, or `folder/stem (2).md`… not taken yet.
fn free_path(folder: &str, stem: &str, taken: &mut HashSet<String>) -> String {
    let folder = folder.trim_matches('/');
    for n in 1.. {
        let name = if n == 1 {
            format!("{stem}.md")
        } else {
            format!("{stem} ({n}).md")
        };
        let path = if folder.is_empty() {
            name
        } else {
            format!("{folder}/{name}")
        };
        if taken.insert(path.to_lowercase()) {
            return path;
        }
    }
    unreachable!("an unbounded range always finds a free name")
}

/// One line with no `[[`/`]]`: editors turn wikilinks in front-matter
/// values into links, and imported text must not link anything.
fn plain(s: &str) -> String {
    one_line(&s.replace("[[", "").replace("]]", ""))
}

/// A YAML flow list of quoted strings.
fn yaml_list(items: &[String]) -> String {
    let quoted: Vec<String> = items.iter().map(|s| yaml_str(s)).collect();
    format!("[{}]", quoted.join(", "))
}

/// Text that must not read as a wikilink or a list of references when it
/// stands as an attendee.
fn plain_ref(s: &str) -> String {
    one_line(&s.replace(['[', ']', '|', ','], " "))
}

struct People<'a> {
    known: &'a [KnownPerson],
    by_email: HashMap<&'a str, Option<usize>>,
    resolver: Resolver,
}

impl<'a> People<'a> {
    fn new(known: &'a [KnownPerson]) -> Self {
        let mut by_email: HashMap<&str, Option<usize>> = HashMap::new();
        for (i, p) in known.iter().enumerate() {
            for e in &p.emails {
                by_email
                    .entry(e.as_str())
                    .and_modify(|v| {
                        if *v != Some(i) {
                            *v = None
                        }
                    })
                    .or_insert(Some(i));
            }
        }
        let keys = known
            .iter()
            .map(|p| claims(without_extension(&p.path), &p.name, &p.aliases, None));
        People {
            known,
            by_email,
            resolver: Resolver::of_claims(keys),
        }
    }

    /// E-mail first, then the display name with the rules notes use.
    fn resolve(&self, a: &Attendee) -> Option<&'a KnownPerson> {
        if let Some(e) = &a.email
            && let Some(Some(i)) = self.by_email.get(e.as_str())
        {
            return self.known.get(*i);
        }
        match a.name.as_deref().map(|n| self.resolver.resolve(n)) {
            Some(Resolved::Person(i)) => self.known.get(i),
            _ => None,
        }
    }
}

/// The link a meeting note uses for a person, as `rapport new meeting` writes it.
fn person_link(p: &KnownPerson) -> String {
    format!("[[{}|{}]]", without_extension(&p.path), plain_ref(&p.name))
}

/// Plans meeting notes for calendar occurrences.
pub fn meetings(occurrences: &[Occurrence], known: &Known, opts: &PlanOpts) -> Plan {
    let mut plan = Plan::default();
    let people = People::new(&known.people);
    let mut taken = known.paths.clone();
    let mut planned: HashMap<String, String> = HashMap::new();
    let me: HashSet<&str> = opts.me.iter().map(String::as_str).collect();
    for o in occurrences {
        if let Some(path) = known.uids.get(&o.uid).or_else(|| planned.get(&o.uid)) {
            plan.existing.push(Existing {
                uid: o.uid.clone(),
                path: path.clone(),
            });
            continue;
        }
        let skip = |reason: &str| Skipped {
            uid: o.uid.clone(),
            title: one_line(&o.title),
            reason: reason.to_string(),
        };
        if o.cancelled {
            plan.skipped.push(skip("cancelled"));
            continue;
        }
        let is_me = |a: &Attendee| a.email.as_deref().is_some_and(|e| me.contains(e));
        if o.attendees
            .iter()
            .any(|a| is_me(a) && a.partstat.as_deref() == Some("DECLINED"))
        {
            plan.skipped.push(skip("declined"));
            continue;
        }
        let others: Vec<&Attendee> = o.attendees.iter().filter(|a| !is_me(a)).collect();
        if others.is_empty() && !opts.all {
            plan.skipped
                .push(skip("no attendees other than you (use --all)"));
            continue;
        }
        let mut attendees: Vec<String> = Vec::new();
        for a in others {
            let text = match people.resolve(a) {
                Some(p) => person_link(p),
                None => match (&a.name, &a.email) {
                    (Some(n), Some(e)) => format!("{} <{}>", plain_ref(n), plain_ref(e)),
                    (Some(n), None) => plain_ref(n),
                    (None, Some(e)) => plain_ref(e),
                    (None, None) => continue,
                },
            };
            if !attendees.contains(&text) {
                attendees.push(text);
            }
        }
        let title = plain(&o.title);
        let mut fm = format!("---\ntype: meeting\ndate: {}\n", o.date.format("%Y-%m-%d"));
        if let Some(t) = o.time {
            fm.push_str(&format!("time: \"{}\"\n", t.format("%H:%M")));
        }
        fm.push_str(&format!(
            "title: {}\nattendees: {}\nprojects: []\ntags: []\nuid: {}\n",
            yaml_str(&title),
            yaml_list(&attendees),
            yaml_str(&o.uid)
        ));
        if let Some(l) = &o.location {
            fm.push_str(&format!("location: {}\n", yaml_str(&plain(l))));
        }
        fm.push_str("---\n");
        let notes = o.description.as_deref().map(md_block).unwrap_or_default();
        let text = format!(
            "{fm}# {}\n\n## Notes\n\n{}{}\n## Follow-ups\n\n- [ ] \n",
            md_line(&title),
            notes,
            if notes.is_empty() { "" } else { "\n" }
        );
        let path = free_path(
            &opts.meetings_folder,
            &file_safe(&format!("{} {title}", o.date.format("%Y-%m-%d"))),
            &mut taken,
        );
        planned.insert(o.uid.clone(), path.clone());
        plan.created.push(Created {
            path,
            kind: "meeting",
            uid: o.uid.clone(),
            date: Some(o.date),
            title,
            attendees,
            text,
        });
    }
    plan
}

/// The keys a contact or person is found by: folded name and aliases.
fn name_keys<'s>(name: &'s str, aliases: &'s [String]) -> impl Iterator<Item = String> + 's {
    std::iter::once(name)
        .chain(aliases.iter().map(String::as_str))
        .map(fold)
        .filter(|k| !k.is_empty())
}

/// Merges `b` into `a`: one note for two cards of one person.
fn merge(a: &mut Contact, b: Contact) {
    fn union(a: &mut Vec<String>, b: Vec<String>) {
        for x in b {
            if !a.iter().any(|y| y.eq_ignore_ascii_case(&x)) {
                a.push(x);
            }
        }
    }
    if fold(&b.name) != fold(&a.name) && !a.aliases.iter().any(|x| fold(x) == fold(&b.name)) {
        a.aliases.push(b.name);
    }
    union(&mut a.aliases, b.aliases);
    union(&mut a.emails, b.emails);
    union(&mut a.phones, b.phones);
    union(&mut a.links, b.links);
    union(&mut a.tags, b.tags);
    a.uid = a.uid.take().or(b.uid);
    a.org = a.org.take().or(b.org);
    a.team = a.team.take().or(b.team);
    a.role = a.role.take().or(b.role);
    a.birthday = a.birthday.take().or(b.birthday);
    a.linkedin = a.linkedin.take().or(b.linkedin);
    a.connected = a.connected.or(b.connected);
    a.note = match (a.note.take(), b.note) {
        (Some(x), Some(y)) if x != y => Some(format!("{x}\n\n{y}")),
        (x, y) => x.or(y),
    };
}

/// The uid a contact is recognised by next time.
fn contact_uid(c: &Contact) -> String {
    match &c.uid {
        Some(u) => u.clone(),
        None => match c.emails.first() {
            Some(e) => format!("mailto:{e}"),
            None => match &c.linkedin {
                Some(l) => l.clone(),
                None => format!("name:{}", fold(&c.name)),
            },
        },
    }
}

/// Plans person notes for contacts.
pub fn people(contacts: Vec<Contact>, known: &Known, opts: &PlanOpts) -> Plan {
    let mut plan = Plan::default();
    let mut by_email: HashMap<&str, &KnownPerson> = HashMap::new();
    let mut by_name: HashMap<String, &KnownPerson> = HashMap::new();
    for p in &known.people {
        for e in &p.emails {
            by_email.entry(e).or_insert(p);
        }
        for k in name_keys(&p.name, &p.aliases) {
            by_name.entry(k).or_insert(p);
        }
    }
    // Two cards for one person (same e-mail or name) make one note.
    let mut merged: Vec<Contact> = Vec::new();
    for c in contacts {
        let found = known
            .uids
            .get(c.uid.as_deref().unwrap_or("\u{0}"))
            .cloned()
            .or_else(|| {
                c.emails
                    .iter()
                    .find_map(|e| by_email.get(e.as_str()))
                    .map(|p| p.path.clone())
            })
            .or_else(|| {
                name_keys(&c.name, &c.aliases)
                    .find_map(|k| by_name.get(&k))
                    .map(|p| p.path.clone())
            })
            .or_else(|| known.uids.get(&contact_uid(&c)).cloned());
        if let Some(path) = found {
            plan.existing.push(Existing {
                uid: contact_uid(&c),
                path,
            });
            continue;
        }
        let same = merged.iter_mut().find(|m| {
            m.emails.iter().any(|e| c.emails.contains(e))
                || name_keys(&m.name, &[]).any(|k| name_keys(&c.name, &[]).any(|j| j == k))
        });
        match same {
            Some(m) => merge(m, c),
            None => merged.push(c),
        }
    }
    let mut taken = known.paths.clone();
    for c in merged {
        let uid = contact_uid(&c);
        let name = plain(&c.name);
        let mut fm = format!("---\nname: {}\n", yaml_str(&name));
        let aliases: Vec<String> = c.aliases.iter().map(|a| plain(a)).collect();
        if !aliases.is_empty() {
            fm.push_str(&format!("aliases: {}\n", yaml_list(&aliases)));
        }
        if let Some(e) = c.emails.first() {
            fm.push_str(&format!("email: {}\n", yaml_str(e)));
        }
        if c.emails.len() > 1 {
            fm.push_str(&format!("emails: {}\n", yaml_list(&c.emails[1..])));
        }
        for (key, value) in [
            ("org", &c.org),
            ("team", &c.team),
            ("role", &c.role),
            ("birthday", &c.birthday),
        ] {
            if let Some(v) = value {
                fm.push_str(&format!("{key}: {}\n", yaml_str(&plain(v))));
            }
        }
        match c.phones.len() {
            0 => {}
            1 => fm.push_str(&format!("phone: {}\n", yaml_str(&plain(&c.phones[0])))),
            _ => {
                let phones: Vec<String> = c.phones.iter().map(|p| plain(p)).collect();
                fm.push_str(&format!("phone: {}\n", yaml_list(&phones)));
            }
        }
        if !c.links.is_empty() {
            let links: Vec<String> = c.links.iter().map(|l| plain(l)).collect();
            fm.push_str(&format!("links: {}\n", yaml_list(&links)));
        }
        if let Some(l) = &c.linkedin {
            fm.push_str(&format!("linkedin: {}\n", yaml_str(&plain(l))));
        }
        if let Some(d) = c.connected {
            fm.push_str(&format!("connected: {}\n", d.format("%Y-%m-%d")));
        }
        fm.push_str(&format!("uid: {}\n", yaml_str(&uid)));
        let tags: Vec<String> = c
            .tags
            .iter()
            .map(|t| slug(t))
            .filter(|t| t != "person")
            .collect();
        fm.push_str(&format!("tags: {}\n---\n", yaml_list(&tags)));
        let notes = c.note.as_deref().map(md_block).unwrap_or_default();
        let text = format!(
            "{fm}# {}\n\n## Interests\n\n\n## Notes\n\n{}{}",
            md_line(&name),
            notes,
            if notes.is_empty() { "" } else { "\n" }
        );
        let path = free_path(&opts.people_folder, &slug(&name), &mut taken);
        plan.created.push(Created {
            path,
            kind: "person",
            uid,
            date: None,
            title: name,
            attendees: Vec::new(),
            text,
        });
    }
    plan
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vault::{Kind, parse_note};
    use chrono::NaiveTime;

    fn ada() -> KnownPerson {
        KnownPerson {
            path: "people/ada-lovelace.md".into(),
            name: "Ada Lovelace".into(),
            aliases: vec!["Countess".into()],
            emails: vec!["ada@example.com".into(), "ada@work.example".into()],
        }
    }

    fn opts() -> PlanOpts {
        PlanOpts {
            me: vec!["me@example.com".into()],
            all: false,
            meetings_folder: "meetings".into(),
            people_folder: "people".into(),
        }
    }

    fn att(name: Option<&str>, email: Option<&str>, partstat: Option<&str>) -> Attendee {
        Attendee {
            name: name.map(Into::into),
            email: email.map(Into::into),
            partstat: partstat.map(Into::into),
        }
    }

    fn occ(uid: &str, title: &str, attendees: Vec<Attendee>) -> Occurrence {
        Occurrence {
            uid: uid.into(),
            title: title.into(),
            date: NaiveDate::from_ymd_opt(2026, 11, 20).unwrap(),
            time: NaiveTime::from_hms_opt(10, 0, 0),
            location: Some("Room 1".into()),
            description: Some("Agenda:\n- [ ] not a task\n## Follow-ups".into()),
            attendees,
            cancelled: false,
            file: "t.ics".into(),
            line: 1,
        }
    }

    #[test]
    fn attendees_resolve_by_email_then_name_and_skip_me() {
        let known = Known {
            people: vec![ada()],
            ..Default::default()
        };
        let o = occ(
            "u1",
            "Sync",
            vec![
                att(Some("Me"), Some("me@example.com"), Some("ACCEPTED")),
                att(Some("Someone Else"), Some("ada@work.example"), None),
                att(Some("countess"), None, None),
                att(Some("Bob, Jr."), Some("bob@example.com"), None),
                att(None, Some("carol@example.com"), None),
            ],
        );
        let plan = meetings(&[o], &known, &opts());
        let c = &plan.created[0];
        assert_eq!(
            c.attendees,
            vec![
                "[[people/ada-lovelace|Ada Lovelace]]",
                "Bob Jr. <bob@example.com>",
                "carol@example.com"
            ]
        );
        assert_eq!(c.path, "meetings/2026-11-20 Sync.md");
        let note = parse_note(&c.path, &c.text, Vec::new());
        assert_eq!(note.kind, Kind::Meeting);
        assert_eq!(note.uid.as_deref(), Some("u1"));
        assert!(note.tasks.is_empty(), "{}", c.text);
        assert!(c.text.ends_with("## Follow-ups\n\n- [ ] \n"), "{}", c.text);
        assert!(c.text.contains("\\- \\[ \\] not a task"), "{}", c.text);
        assert!(note.problems.is_empty(), "{:?}", note.problems);
        assert_eq!(note.attendees.len(), 3, "{:?}", note.attendees);
    }

    #[test]
    fn skips_with_reasons_and_existing_uids() {
        let known = Known {
            uids: [("old".to_string(), "notes/renamed.md".to_string())].into(),
            ..Default::default()
        };
        let mut cancelled = occ("c", "Cancelled", vec![att(None, Some("x@y.z"), None)]);
        cancelled.cancelled = true;
        let declined = occ(
            "d",
            "Declined",
            vec![
                att(None, Some("x@y.z"), None),
                att(None, Some("me@example.com"), Some("DECLINED")),
            ],
        );
        let alone = occ("f", "Focus", vec![att(None, Some("me@example.com"), None)]);
        let old = occ("old", "Old", vec![att(None, Some("x@y.z"), None)]);
        let all = [cancelled, declined, alone, old];
        let plan = meetings(&all, &known, &opts());
        let reasons: Vec<&str> = plan.skipped.iter().map(|s| s.reason.as_str()).collect();
        assert_eq!(
            reasons,
            vec![
                "cancelled",
                "declined",
                "no attendees other than you (use --all)"
            ]
        );
        assert_eq!(plan.existing[0].path, "notes/renamed.md");
        assert!(plan.created.is_empty());
        let plan = meetings(
            &all,
            &known,
            &PlanOpts {
                all: true,
                ..opts()
            },
        );
        assert_eq!(plan.created.len(), 1);
        assert_eq!(plan.created[0].uid, "f");
    }

    #[test]
    fn same_title_and_date_get_distinct_files() {
        let known = Known {
            paths: ["meetings/2026-11-20 sync.md".to_string()].into(),
            ..Default::default()
        };
        let a = occ("a", "Sync", vec![att(None, Some("x@y.z"), None)]);
        let b = occ("b", "Sync", vec![att(None, Some("x@y.z"), None)]);
        let plan = meetings(&[a.clone(), b, a], &known, &opts());
        let paths: Vec<&str> = plan.created.iter().map(|c| c.path.as_str()).collect();
        assert_eq!(
            paths,
            vec![
                "meetings/2026-11-20 Sync (2).md",
                "meetings/2026-11-20 Sync (3).md"
            ]
        );
        assert_eq!(plan.existing.len(), 1, "the same uid twice is one note");
    }
}
