//! Export: the vault's people as vCard 4.0 for an address book, and every
//! person, meeting and task as newline-delimited JSON for a search engine
//! (one object per line, each with `kind` and a stable `id`).
//!
//! The vCard fields are the import's in reverse, so a file exported from a
//! vault and imported into it finds every contact already there.

use serde_json::{Map, Value, json};

use crate::vault::frontmatter::{self, Fields, first_string, strings};
use crate::vault::{Note, TaskRecord};

/// Escapes a vCard TEXT value (`\`, `,`, `;`, newlines).
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ',' => out.push_str("\\,"),
            ';' => out.push_str("\\;"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

fn list(fields: &Fields, key: &str) -> Vec<String> {
    fields
        .get(key)
        .map(|v| {
            strings(v)
                .into_iter()
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
                .collect()
        })
        .unwrap_or_default()
}

/// The text under the body's `## Notes` heading, else the body without its
/// first `# heading`.
fn notes_of(body: &str) -> String {
    let mut section: Option<Vec<&str>> = None;
    let mut rest = Vec::new();
    for l in body.lines() {
        let t = l.trim();
        if section.is_none() && t.eq_ignore_ascii_case("## notes") {
            section = Some(Vec::new());
            continue;
        }
        if let Some(s) = section.as_mut() {
            if t.starts_with("## ") {
                break;
            }
            s.push(l);
        } else if !(rest.is_empty() && t.starts_with("# ")) {
            rest.push(l);
        }
    }
    section.unwrap_or(rest).join("\n").trim().to_string()
}

/// `BDAY` from the note's `birthday`: a date, a date without year, or text.
fn bday(b: &str) -> String {
    let t = b.trim();
    if let Ok(d) = chrono::NaiveDate::parse_from_str(t, "%Y-%m-%d") {
        return format!("BDAY:{}", d.format("%Y%m%d"));
    }
    if let Some(md) = t.strip_prefix("--") {
        let digits: String = md.chars().filter(char::is_ascii_digit).collect();
        if digits.len() == 4 {
            return format!("BDAY:--{digits}");
        }
    }
    format!("BDAY;VALUE=text:{}", escape(t))
}

/// One person note as a vCard 4.0, from the parsed note and its text.
pub fn vcard(note: &Note, text: &str) -> String {
    let mut problems = Vec::new();
    let text = text.trim_start_matches('\u{FEFF}');
    let split = frontmatter::split(text, &mut problems);
    let fields = split
        .yaml
        .and_then(|y| frontmatter::parse(y, &mut problems))
        .unwrap_or_default();
    let person = note.person.clone().unwrap_or_default();
    let mut lines = vec!["BEGIN:VCARD".to_string(), "VERSION:4.0".to_string()];
    let name = &note.title;
    lines.push(format!("FN:{}", escape(name)));
    // N: family name last, as most names in a Western address book are.
    let (given, family) = match name.rsplit_once(' ') {
        Some((g, f)) => (g, f),
        None => ("", name.as_str()),
    };
    lines.push(format!("N:{};{};;;", escape(family), escape(given)));
    if !person.aliases.is_empty() {
        let a: Vec<String> = person.aliases.iter().map(|a| escape(a)).collect();
        lines.push(format!("NICKNAME:{}", a.join(",")));
    }
    for e in person.email.iter().chain(&person.emails) {
        lines.push(format!("EMAIL:{}", escape(e)));
    }
    if person.org.is_some() || person.team.is_some() {
        lines.push(format!(
            "ORG:{};{}",
            escape(person.org.as_deref().unwrap_or("")),
            escape(person.team.as_deref().unwrap_or(""))
        ));
    }
    if let Some(r) = first_string(&fields, &["role", "title", "position"]) {
        lines.push(format!("TITLE:{}", escape(&r)));
    }
    if let Some(b) = first_string(&fields, &["birthday", "bday"]) {
        lines.push(bday(&b));
    }
    for p in list(&fields, "phone") {
        lines.push(format!("TEL:{}", escape(&p)));
    }
    let mut urls = list(&fields, "links");
    for l in list(&fields, "linkedin") {
        if !urls.contains(&l) {
            urls.push(l);
        }
    }
    for u in urls {
        lines.push(format!("URL:{}", escape(&u)));
    }
    if !note.tags.is_empty() {
        let t: Vec<String> = note.tags.iter().map(|t| escape(t)).collect();
        lines.push(format!("CATEGORIES:{}", t.join(",")));
    }
    let notes = notes_of(split.body);
    if !notes.is_empty() {
        lines.push(format!("NOTE:{}", escape(&notes)));
    }
    if let Some(u) = &note.uid {
        lines.push(format!("UID:{}", escape(u)));
    }
    lines.push("END:VCARD".into());
    let mut out = String::new();
    for l in &lines {
        crate::render::ics::fold(l, &mut out);
    }
    out
}

/// The NDJSON document of a person or meeting note: `kind`, `id` (its vault
/// path), the fields the JSON answers use, and the body text.
pub fn note_document(note: &Note, body: Option<&str>) -> Value {
    let mut doc = Map::new();
    doc.insert("kind".into(), json!(note.kind.as_str()));
    doc.insert("id".into(), json!(note.path));
    if let Value::Object(fields) = serde_json::to_value(note).unwrap_or_default() {
        for (k, v) in fields {
            doc.entry(k).or_insert(v);
        }
    }
    // Every document of a kind has the same keys, for a search engine's mapping.
    doc.entry("uid").or_insert(Value::Null);
    doc.insert("body".into(), json!(body.unwrap_or("")));
    Value::Object(doc)
}

/// The NDJSON document of a task: `kind: task`, `id` (`path#line`) and the
/// fields `rapport followups --json` uses.
pub fn task_document(task: &TaskRecord) -> Value {
    let mut doc = Map::new();
    doc.insert("kind".into(), json!("task"));
    doc.insert("id".into(), json!(format!("{}#{}", task.path, task.line)));
    if let Value::Object(fields) = serde_json::to_value(task).unwrap_or_default() {
        for (k, v) in fields {
            doc.entry(k).or_insert(v);
        }
    }
    Value::Object(doc)
}

/// The body of a note's text (front matter removed).
pub fn body_of(text: &str) -> &str {
    let text = text.trim_start_matches('\u{FEFF}');
    let mut problems = Vec::new();
    frontmatter::split(text, &mut problems).body
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::contacts;
    use crate::vault::parse_note;

    #[test]
    fn vcard_round_trips_through_the_importer() {
        let text = "---\nname: \"Ada Lovelace; Countess, of Lovelace\"\naliases: [Ada, \"The Enchantress\"]\nemail: ada@example.com\nemails: [ada@work.example]\norg: Analytical Engines\nteam: Research\nrole: Mathematician\nbirthday: \"--12-10\"\nphone: [\"+44 1\", \"+44 2\"]\nlinks: [\"https://ada.example\"]\nlinkedin: https://www.linkedin.com/in/ada\nuid: \"urn:uuid:ada\"\ntags: [mentor]\n---\n# Ada\n\n## Interests\n\n\n## Notes\n\nLoves engines,\nand poetry; a lot. Très bien — a long line that needs folding because it goes on and on and on.\n";
        let note = parse_note("people/ada.md", text, Vec::new());
        let card = vcard(&note, text);
        assert!(card.lines().all(|l| l.len() <= 76), "{card}");
        let back = contacts::read("x.vcf", &card).unwrap();
        assert!(back.problems.is_empty(), "{:?}", back.problems);
        let c = &back.contacts[0];
        assert_eq!(c.name, "Ada Lovelace; Countess, of Lovelace");
        assert_eq!(c.aliases, vec!["Ada", "The Enchantress"]);
        assert_eq!(c.emails, vec!["ada@example.com", "ada@work.example"]);
        assert_eq!(c.org.as_deref(), Some("Analytical Engines"));
        assert_eq!(c.team.as_deref(), Some("Research"));
        assert_eq!(c.role.as_deref(), Some("Mathematician"));
        assert_eq!(c.birthday.as_deref(), Some("--12-10"));
        assert_eq!(c.phones, vec!["+44 1", "+44 2"]);
        assert_eq!(
            c.links,
            vec!["https://ada.example", "https://www.linkedin.com/in/ada"]
        );
        assert_eq!(c.tags, vec!["mentor"]);
        assert_eq!(c.uid.as_deref(), Some("urn:uuid:ada"));
        assert_eq!(
            c.note.as_deref(),
            Some(
                "Loves engines,\nand poetry; a lot. Très bien — a long line that needs folding because it goes on and on and on."
            )
        );
    }
}
