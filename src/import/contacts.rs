//! Reading address books into contacts: vCard 2.1 (quoted-printable),
//! 3.0 and 4.0 through `ical`'s vCard parser, and LinkedIn's
//! `Connections.csv` through `csv`.
//!
//! Each card is parsed on its own, so one broken card is a [`Problem`] and
//! the others are still read. LinkedIn puts a "Notes:" paragraph before the
//! header row; columns are found by their header, not their position,
//! because LinkedIn has reordered them before.

use std::io::Cursor;

use chrono::NaiveDate;
use ical::property::Property;

use super::text::one_line;
use super::{Error, Problem};

/// One contact, as read.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Contact {
    /// `UID` of the card.
    pub uid: Option<String>,
    /// FN, else N.
    pub name: String,
    /// NICKNAME.
    pub aliases: Vec<String>,
    /// EMAIL, lower-cased.
    pub emails: Vec<String>,
    /// ORG's first component.
    pub org: Option<String>,
    /// ORG's second component.
    pub team: Option<String>,
    /// TITLE.
    pub role: Option<String>,
    /// BDAY: `YYYY-MM-DD`, `--MM-DD`, or the text as written.
    pub birthday: Option<String>,
    /// TEL.
    pub phones: Vec<String>,
    /// URL.
    pub links: Vec<String>,
    /// LinkedIn profile.
    pub linkedin: Option<String>,
    /// When the LinkedIn connection was made.
    pub connected: Option<NaiveDate>,
    /// CATEGORIES (and `linkedin` for LinkedIn connections).
    pub tags: Vec<String>,
    /// NOTE.
    pub note: Option<String>,
    /// The input file.
    pub file: String,
    /// Line where the card or row starts.
    pub line: usize,
}

/// Contacts in a file, and the cards that could not be read.
#[derive(Debug, Default)]
pub struct Parsed {
    /// Contacts, in file order.
    pub contacts: Vec<Contact>,
    /// Cards or rows that could not be read.
    pub problems: Vec<Problem>,
}

/// Reads a vCard file or a LinkedIn `Connections.csv`.
pub fn read(file: &str, text: &str) -> Result<Parsed, Error> {
    let text = text.trim_start_matches('\u{FEFF}');
    let first = text.lines().map(str::trim).find(|l| !l.is_empty());
    if first.is_some_and(|l| l.eq_ignore_ascii_case("BEGIN:VCARD")) {
        return Ok(read_vcards(file, text));
    }
    read_linkedin(file, text).ok_or_else(|| Error::NotRecognised {
        file: file.to_string(),
        message: "neither a vCard file (BEGIN:VCARD) nor LinkedIn's Connections.csv (a First Name, Last Name header)".into(),
    })
}

/// Cards with their first line; quoted-printable soft line breaks joined.
fn split_cards(text: &str) -> Vec<(usize, String)> {
    let normal = text.replace("\r\n", "\n").replace('\r', "\n");
    let mut cards = Vec::new();
    let mut current: Option<(usize, String)> = None;
    let mut soft = false;
    for (i, line) in normal.split('\n').enumerate() {
        let bare = line.trim_end();
        if soft {
            // vCard 2.1 quoted-printable: a line ending in `=` goes on.
            if let Some((_, t)) = current.as_mut() {
                t.pop();
                t.pop(); // the `=` and the newline
                t.push_str(bare.trim_start());
                t.push('\n');
                soft = bare.ends_with('=');
            }
            continue;
        }
        if bare.eq_ignore_ascii_case("BEGIN:VCARD") {
            cards.extend(current.take());
            current = Some((i + 1, String::new()));
        }
        if let Some((_, t)) = current.as_mut() {
            t.push_str(&bare_params(bare));
            t.push('\n');
            soft = bare.to_ascii_uppercase().contains("QUOTED-PRINTABLE") && bare.ends_with('=');
            if bare.eq_ignore_ascii_case("END:VCARD") {
                cards.extend(current.take());
            }
        }
    }
    cards.extend(current);
    cards
}

/// vCard 2.1 writes parameters without a name (`TEL;CELL;VOICE:`), which
/// the parser refuses: they become `TYPE=CELL`.
fn bare_params(line: &str) -> String {
    if line.starts_with([' ', '\t']) {
        return line.to_string();
    }
    let Some(colon) = line.find(':') else {
        return line.to_string();
    };
    let (head, rest) = line.split_at(colon);
    if head.contains('"') || !head.contains(';') {
        return line.to_string();
    }
    let mut parts = head.split(';');
    let mut out = parts.next().unwrap_or_default().to_string();
    for p in parts {
        out.push(';');
        if !p.contains('=') {
            out.push_str("TYPE=");
        }
        out.push_str(p);
    }
    out.push_str(rest);
    out
}

/// Decodes quoted-printable (`=C3=A9`) into UTF-8 text.
fn quoted_printable(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'='
            && i + 2 < b.len()
            && let Ok(v) = u8::from_str_radix(s.get(i + 1..i + 3).unwrap_or("zz"), 16)
        {
            out.push(v);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Splits a structured value (`ORG`, `N`) on unescaped `sep`, then undoes
/// the escaping of each part.
fn components(value: &str, sep: char) -> Vec<String> {
    let mut parts = vec![String::new()];
    let mut chars = value.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some('n' | 'N') => parts.last_mut().into_iter().for_each(|p| p.push('\n')),
                Some(o) => parts.last_mut().into_iter().for_each(|p| p.push(o)),
                None => {}
            },
            c if c == sep => parts.push(String::new()),
            c => parts.last_mut().into_iter().for_each(|p| p.push(c)),
        }
    }
    parts.into_iter().map(|p| p.trim().to_string()).collect()
}

fn has_param(p: &Property, name: &str, value: &str) -> bool {
    p.params.as_ref().is_some_and(|ps| {
        ps.iter().any(|(k, vs)| {
            // vCard 2.1's bare `;QUOTED-PRINTABLE` is read as a TYPE.
            (k.eq_ignore_ascii_case(name) || k.eq_ignore_ascii_case("TYPE"))
                && vs.iter().any(|v| v.eq_ignore_ascii_case(value))
        })
    })
}

/// The value of a property, quoted-printable decoded.
fn raw_value(p: &Property) -> String {
    let v = p.value.clone().unwrap_or_default();
    if has_param(p, "ENCODING", "QUOTED-PRINTABLE") {
        quoted_printable(&v)
    } else {
        v
    }
}

/// `YYYY-MM-DD`, `--MM-DD`, or the text as written.
fn birthday(value: &str) -> Option<String> {
    let v = value.trim();
    if v.is_empty() {
        return None;
    }
    let date_part = v.split('T').next().unwrap_or(v);
    let digits: String = date_part.chars().filter(char::is_ascii_digit).collect();
    if let Some(rest) = date_part.strip_prefix("--") {
        let d: String = rest.chars().filter(char::is_ascii_digit).collect();
        if d.len() == 4
            && NaiveDate::from_ymd_opt(2000, d[..2].parse().ok()?, d[2..].parse().ok()?).is_some()
        {
            return Some(format!("--{}-{}", &d[..2], &d[2..]));
        }
    } else if digits.len() == 8
        && date_part.chars().all(|c| c.is_ascii_digit() || c == '-')
        && let Ok(d) = NaiveDate::parse_from_str(&digits, "%Y%m%d")
    {
        return Some(d.format("%Y-%m-%d").to_string());
    }
    Some(one_line(v))
}

fn read_vcards(file: &str, text: &str) -> Parsed {
    let mut out = Parsed::default();
    for (line, card) in split_cards(text) {
        let problem = |message: String| Problem {
            file: file.to_string(),
            line,
            message,
        };
        let mut parser = ical::VcardParser::new(Cursor::new(card.as_bytes()));
        let props = match parser.next() {
            Some(Ok(c)) => c.properties,
            Some(Err(e)) => {
                out.problems
                    .push(problem(format!("card cannot be read: {e}")));
                continue;
            }
            None => continue,
        };
        let mut c = Contact {
            file: file.to_string(),
            line,
            ..Default::default()
        };
        let mut n_name = None;
        for p in &props {
            // Apple groups properties: `item1.EMAIL`.
            let name = p
                .name
                .rsplit('.')
                .next()
                .unwrap_or(&p.name)
                .to_ascii_uppercase();
            let value = raw_value(p);
            let text = || components(&value, '\u{0}').concat();
            let list = || -> Vec<String> {
                components(&value, ',')
                    .into_iter()
                    .map(|s| one_line(&s))
                    .filter(|s| !s.is_empty())
                    .collect()
            };
            match name.as_str() {
                "FN" => c.name = one_line(&text()),
                "N" => {
                    let parts = components(&value, ';');
                    let get = |i: usize| parts.get(i).map(String::as_str).unwrap_or("");
                    n_name = Some(one_line(&format!("{} {} {}", get(1), get(2), get(0))));
                }
                "NICKNAME" => c.aliases.extend(list()),
                "EMAIL" => {
                    let e = text();
                    let e = e.trim().trim_start_matches("mailto:").to_lowercase();
                    if !e.is_empty() && !c.emails.contains(&e) {
                        c.emails.push(e);
                    }
                }
                "ORG" => {
                    let parts = components(&value, ';');
                    c.org = parts.first().map(|s| one_line(s)).filter(|s| !s.is_empty());
                    c.team = parts.get(1).map(|s| one_line(s)).filter(|s| !s.is_empty());
                }
                "TITLE" => c.role = Some(one_line(&text())).filter(|s| !s.is_empty()),
                "BDAY" => c.birthday = birthday(&text()),
                "TEL" => {
                    let t = one_line(text().trim_start_matches("tel:"));
                    if !t.is_empty() {
                        c.phones.push(t);
                    }
                }
                "URL" => {
                    let u = one_line(&text());
                    if u.to_lowercase().contains("linkedin.com/") && c.linkedin.is_none() {
                        c.linkedin = Some(u.clone());
                    }
                    if !u.is_empty() {
                        c.links.push(u);
                    }
                }
                "X-LINKEDIN" => c.linkedin = Some(one_line(&text())).filter(|s| !s.is_empty()),
                "CATEGORIES" => c.tags.extend(list()),
                "NOTE" => c.note = Some(text()).filter(|s| !s.trim().is_empty()),
                "UID" => c.uid = Some(one_line(&text())).filter(|s| !s.is_empty()),
                _ => {}
            }
        }
        if c.name.is_empty() {
            c.name = n_name.unwrap_or_default();
        }
        if c.name.is_empty() {
            c.name = c.emails.first().cloned().unwrap_or_default();
        }
        if c.name.is_empty() {
            out.problems
                .push(problem("card has no name (FN or N) and no e-mail".into()));
            continue;
        }
        out.contacts.push(c);
    }
    out
}

/// LinkedIn's `Connections.csv`, or `None` when there is no such header.
fn read_linkedin(file: &str, text: &str) -> Option<Parsed> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut header: Option<Vec<String>> = None;
    let mut out = Parsed::default();
    for record in reader.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                if header.is_some() {
                    let line = e.position().map_or(0, |p| p.line() as usize);
                    out.problems.push(Problem {
                        file: file.to_string(),
                        line,
                        message: format!("row cannot be read: {e}"),
                    });
                }
                continue;
            }
        };
        let line = record.position().map_or(0, |p| p.line() as usize);
        let Some(h) = &header else {
            let cells: Vec<String> = record.iter().map(|c| c.trim().to_lowercase()).collect();
            if cells.iter().any(|c| c == "first name") && cells.iter().any(|c| c == "last name") {
                header = Some(cells);
            }
            continue;
        };
        let col = |name: &str| -> Option<String> {
            let i = h.iter().position(|c| c == name)?;
            Some(one_line(record.get(i)?)).filter(|s| !s.is_empty())
        };
        let name = one_line(&format!(
            "{} {}",
            col("first name").unwrap_or_default(),
            col("last name").unwrap_or_default()
        ));
        if name.is_empty() {
            if record.iter().any(|c| !c.trim().is_empty()) {
                out.problems.push(Problem {
                    file: file.to_string(),
                    line,
                    message: "row has no first or last name".into(),
                });
            }
            continue;
        }
        let connected = col("connected on").and_then(|d| {
            NaiveDate::parse_from_str(&d, "%d %b %Y")
                .or_else(|_| NaiveDate::parse_from_str(&d, "%d-%b-%y"))
                .or_else(|_| NaiveDate::parse_from_str(&d, "%Y-%m-%d"))
                .ok()
        });
        out.contacts.push(Contact {
            name,
            emails: col("email address")
                .map(|e| e.to_lowercase())
                .into_iter()
                .collect(),
            org: col("company"),
            role: col("position"),
            linkedin: col("url"),
            connected,
            tags: vec!["linkedin".into()],
            file: file.to_string(),
            line,
            ..Default::default()
        });
    }
    header.map(|_| out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vcard_fields_and_forms() {
        let text = "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Lovelace;Ada;;;\r\nFN:Ada Lovelace\r\nNICKNAME:Countess,Ada L.\r\nEMAIL;TYPE=INTERNET:Ada@Example.com\r\nitem1.EMAIL:ada@work.example\r\nORG:Analytical Engines;Research\\, Math\r\nTITLE:Mathematician\r\nBDAY:1815-12-10\r\nTEL;TYPE=CELL:+44 20 7946 0000\r\nURL:https://www.linkedin.com/in/ada\r\nCATEGORIES:mentor,math\r\nNOTE:Met at the\\nRoyal Society\r\n  lecture.\r\nPHOTO;ENCODING=b;TYPE=JPEG:AAAA\r\nEND:VCARD\r\nBEGIN:VCARD\r\nVERSION:4.0\r\nFN:Grace Hopper\r\nBDAY:--1209\r\nTEL;VALUE=uri:tel:+1-555-0100\r\nUID:urn:uuid:grace\r\nEND:VCARD\r\nBEGIN:VCARD\r\nVERSION:4.0\r\nN:Noname;;;;\r\nBDAY;VALUE=text:circa 1800\r\nEND:VCARD\r\n";
        let p = read("c.vcf", text).unwrap();
        assert!(p.problems.is_empty(), "{:?}", p.problems);
        let ada = &p.contacts[0];
        assert_eq!(ada.name, "Ada Lovelace");
        assert_eq!(ada.aliases, vec!["Countess", "Ada L."]);
        assert_eq!(ada.emails, vec!["ada@example.com", "ada@work.example"]);
        assert_eq!(ada.org.as_deref(), Some("Analytical Engines"));
        assert_eq!(ada.team.as_deref(), Some("Research, Math"));
        assert_eq!(ada.role.as_deref(), Some("Mathematician"));
        assert_eq!(ada.birthday.as_deref(), Some("1815-12-10"));
        assert_eq!(ada.phones, vec!["+44 20 7946 0000"]);
        assert_eq!(
            ada.linkedin.as_deref(),
            Some("https://www.linkedin.com/in/ada")
        );
        assert_eq!(ada.tags, vec!["mentor", "math"]);
        assert_eq!(
            ada.note.as_deref(),
            Some("Met at the\nRoyal Society lecture.")
        );
        let grace = &p.contacts[1];
        assert_eq!(grace.birthday.as_deref(), Some("--12-09"));
        assert_eq!(grace.phones, vec!["+1-555-0100"]);
        assert_eq!(grace.uid.as_deref(), Some("urn:uuid:grace"));
        assert_eq!(p.contacts[2].name, "Noname");
        assert_eq!(p.contacts[2].birthday.as_deref(), Some("circa 1800"));
    }

    #[test]
    fn vcard_21_quoted_printable() {
        let text = "BEGIN:VCARD\nVERSION:2.1\nN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:M=C3=BCller;J=C3=BCrgen\nFN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:J=C3=BCrgen M=C3=BCller\nNOTE;ENCODING=QUOTED-PRINTABLE:first line=0D=0A=\nsecond line\nTEL;CELL:+49 30 1234\nEND:VCARD\n";
        let p = read("c.vcf", text).unwrap();
        assert!(p.problems.is_empty(), "{:?}", p.problems);
        assert_eq!(p.contacts[0].name, "Jürgen Müller");
        assert_eq!(
            p.contacts[0].note.as_deref(),
            Some("first line\r\nsecond line")
        );
        assert_eq!(p.contacts[0].phones, vec!["+49 30 1234"]);
    }

    #[test]
    fn linkedin_with_preamble_and_columns_by_name() {
        let text = "Notes:\n\"When exporting your connection data, you may notice that some of the email addresses are missing.\"\n\nFirst Name,Last Name,URL,Email Address,Company,Position,Connected On\nAda,Lovelace,https://www.linkedin.com/in/ada,ada@example.com,\"Analytical Engines, Ltd\",Mathematician,15 Mar 2024\n,,,,,,\nGrace,Hopper,https://www.linkedin.com/in/grace,,Navy,Rear Admiral,01 Feb 2023\n";
        let p = read("Connections.csv", text).unwrap();
        assert_eq!(p.contacts.len(), 2);
        let ada = &p.contacts[0];
        assert_eq!(ada.name, "Ada Lovelace");
        assert_eq!(ada.org.as_deref(), Some("Analytical Engines, Ltd"));
        assert_eq!(ada.connected, NaiveDate::from_ymd_opt(2024, 3, 15));
        assert_eq!(ada.tags, vec!["linkedin"]);
        assert_eq!(ada.line, 5);
        assert!(p.contacts[1].emails.is_empty());
        let moved = "Connected On,Position,Company,Email Address,URL,Last Name,First Name\n15 Mar 2024,Mathematician,AE,ada@example.com,https://x,Lovelace,Ada\n";
        let p = read("c.csv", moved).unwrap();
        assert_eq!(p.contacts[0].name, "Ada Lovelace");
        assert_eq!(p.contacts[0].role.as_deref(), Some("Mathematician"));
        assert!(read("x.csv", "a,b\n1,2\n").is_err());
    }
}
