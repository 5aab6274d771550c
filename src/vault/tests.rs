//! One test per vault-model rule, each on its own small input.

use super::*;

fn note(path: &str, text: &str) -> Note {
    parse_note(path, text, Vec::new())
}

fn d(s: &str) -> NaiveDate {
    dates::parse_ymd(s).unwrap()
}

#[test]
fn kind_from_type_string_or_list() {
    assert_eq!(note("x.md", "---\ntype: person\n---\n").kind, Kind::Person);
    assert_eq!(
        note("x.md", "---\ntype: [contact]\n---\n").kind,
        Kind::Person
    );
    assert_eq!(note("x.md", "---\ntype: People\n---\n").kind, Kind::Person);
    for t in ["meeting", "meetings", "call", "1on1"] {
        assert_eq!(
            note("x.md", &format!("---\ntype: {t}\n---\n")).kind,
            Kind::Meeting,
            "{t}"
        );
    }
    assert_eq!(
        note("x.md", "---\ntype: [\"[[Authors]]\"]\n---\n").kind,
        Kind::Note
    );
}

#[test]
fn kind_from_categories_then_folder() {
    assert_eq!(
        note("x.md", "---\ncategories:\n  - \"[[People]]\"\n---\n").kind,
        Kind::Person
    );
    assert_eq!(
        note("x.md", "---\ncategories: [[Meetings]]\n---\n").kind,
        Kind::Meeting
    );
    assert_eq!(note("People/x.md", "").kind, Kind::Person);
    assert_eq!(note("crm/Contacts/x.md", "").kind, Kind::Person);
    assert_eq!(note("work/MEETINGS/2026/x.md", "").kind, Kind::Meeting);
    assert_eq!(note("notes/x.md", "").kind, Kind::Note);
    // type wins over the folder
    assert_eq!(
        note("meetings/ada.md", "---\ntype: person\n---\n").kind,
        Kind::Person
    );
}

#[test]
fn person_name_aliases_and_fields() {
    let n = note(
        "people/ada-lovelace.md",
        "---\nname: Ada Lovelace\naliases: Ada, A. Lovelace\nemail: ada@x.example\ncompany: \"[[Analytical]]\"\nteam: Research\nrelation: External\ntags: [mentor]\ncadence: 2w\nLast-Contact: 2026-09-02\ninterests: [compilers, poetry]\n---\nbody\n",
    );
    assert_eq!(n.kind, Kind::Person);
    assert_eq!(n.title, "Ada Lovelace");
    let p = n.person.unwrap();
    assert_eq!(p.aliases, vec!["Ada", "A. Lovelace"]);
    assert_eq!(p.email.as_deref(), Some("ada@x.example"));
    assert_eq!(p.org.as_deref(), Some("Analytical"));
    assert_eq!(p.team.as_deref(), Some("Research"));
    assert_eq!(p.relation, Some(Relation::External));
    assert_eq!(p.cadence_days, Some(14));
    assert_eq!(p.last_contact, Some(d("2026-09-02")));
    assert_eq!(p.interests, vec!["compilers", "poetry"]);
    assert_eq!(n.tags, vec!["mentor"]);
}

/// A person note claims its path without extension, its file stem, its
/// name, then its aliases and e-mail address, each as a reference key.
#[test]
fn a_person_notes_claims() {
    let n = note(
        "people/Ada-Lovelace.markdown",
        "---\nname: Ada  Lovelace\naliases: [\"[[The Countess]]\", Ada]\nemail: ADA@x.example\n---\n",
    );
    let c = n.claims();
    assert_eq!(
        c.strong,
        ["people/ada-lovelace", "ada-lovelace", "ada lovelace"].map(String::from)
    );
    assert_eq!(c.weak, ["the countess", "ada", "ada@x.example"]);
    let plain = note("notes/idea.md", "# Idea\n");
    assert_eq!(plain.claims().weak, Vec::<String>::new());
}

#[test]
fn person_name_falls_back_to_title_then_stem() {
    assert_eq!(
        note("people/x.md", "---\ntitle: Grace\n---\n").title,
        "Grace"
    );
    assert_eq!(note("people/Grace Hopper.md", "").title, "Grace Hopper");
}

#[test]
fn interests_from_heading() {
    let n = note(
        "people/r.md",
        "---\nname: Ruth\n---\n## Interests\n- jazz\n- hiking\n\n## Notes\nx\n",
    );
    assert_eq!(n.person.unwrap().interests, vec!["jazz", "hiking"]);
}

#[test]
fn bad_cadence_and_relation_are_reported() {
    let n = note(
        "people/r.md",
        "---\ncadence: often\nrelation: friend\n---\n",
    );
    let codes: Vec<_> = n.problems.iter().map(|p| (p.code, p.line)).collect();
    assert!(
        codes.contains(&(ProblemCode::BadCadence, Some(2))),
        "{codes:?}"
    );
    assert!(
        codes.contains(&(ProblemCode::BadRelation, Some(3))),
        "{codes:?}"
    );
}

#[test]
fn meeting_date_forms() {
    let date = |fm: &str, path: &str| note(path, &format!("---\ntype: meeting\n{fm}\n---\n")).date;
    assert_eq!(date("date: 2026-10-01", "m.md"), Some(d("2026-10-01")));
    assert_eq!(
        date("date: 2026-10-01T14:30:00+02:00", "m.md"),
        Some(d("2026-10-01"))
    );
    assert_eq!(
        date("date: 2026-10-01T14:30", "m.md"),
        Some(d("2026-10-01"))
    );
    assert_eq!(
        date("date: \"2026-10-01 09:15\"", "m.md"),
        Some(d("2026-10-01"))
    );
    assert_eq!(
        date("x: 1", "meetings/2026-10-02 Sync.md"),
        Some(d("2026-10-02"))
    );
    let bad = note("m.md", "---\ntype: meeting\ndate: someday\n---\n");
    assert_eq!(bad.date, None);
    assert_eq!(bad.problems[0].code, ProblemCode::BadDate);
    assert_eq!(bad.problems[0].line, Some(3));
}

#[test]
fn meeting_title_from_title_heading_or_stem() {
    assert_eq!(
        note("meetings/a.md", "---\ntitle: T\n---\n# H\n").title,
        "T"
    );
    assert_eq!(
        note("meetings/a.md", "---\nx: 1\n---\n## sub\n# H\n").title,
        "H"
    );
    assert_eq!(
        note("meetings/2026-01-01 Sync.md", "text").title,
        "2026-01-01 Sync"
    );
}

#[test]
fn attendees_from_every_key_and_form() {
    let n = note(
        "meetings/m.md",
        "---\nattendees: [\"[[Ada Lovelace]]\", \"[[people/grace|Grace]]\"]\npeople: [[Steph Ango]]\nparticipants:\n  - \"[[people/bob.md]]\"\n  - Plain Name\nwith: carol@x.example\n---\n",
    );
    assert_eq!(
        n.attendees,
        vec![
            "Ada Lovelace",
            "people/grace",
            "Steph Ango",
            "people/bob",
            "Plain Name",
            "carol@x.example"
        ]
    );
    let one = note("meetings/m.md", "---\nwith: \"[[A]], [[B]]\"\n---\n");
    assert_eq!(one.attendees, vec!["A", "B"]);
}

#[test]
fn projects_and_tags() {
    let n = note(
        "meetings/m.md",
        "---\nprojects: [\"[[Project X]]\", project-x, Other]\ntopics: \"[[Emergence]]\"\ntags: [Kickoff, \"#ask\"]\n---\nWe decided #decision.\n",
    );
    assert_eq!(n.projects, vec!["Project X", "Other", "Emergence"]);
    assert_eq!(n.tags, vec!["ask", "decision", "kickoff"]);
    let s = note("meetings/m.md", "---\nproject: project_x\ntags: a b\n---\n");
    assert_eq!(s.projects, vec!["project_x"]);
    assert_eq!(s.tags, vec!["a", "b"]);
}

#[test]
fn thematic_break_is_not_front_matter() {
    let n = note("notes/a.md", "# A\n\n---\ntitle: no\n---\n");
    assert_eq!(n.title, "A");
    assert!(n.problems.is_empty());
}

#[test]
fn bom_and_crlf() {
    let n = note(
        "meetings/a.md",
        "\u{FEFF}---\r\ntype: meeting\r\ndate: 2026-01-02\r\n---\r\n- [ ] x 📅 2026-01-03\r\n",
    );
    assert_eq!(n.kind, Kind::Meeting);
    assert_eq!(n.date, Some(d("2026-01-02")));
    assert_eq!(n.tasks[0].line, 5);
    assert_eq!(n.tasks[0].due, Some(d("2026-01-03")));
    assert_eq!(n.tasks[0].text, "x 📅 2026-01-03");
}

#[test]
fn broken_front_matter_is_a_plain_note_with_its_text() {
    let n = note(
        "meetings/b.md",
        "---\ntitle: \"unclosed\nattendees: [x\n---\nBody words here\n- [ ] still a task\n",
    );
    assert_eq!(n.kind, Kind::Note);
    assert!(n.body.contains("Body words here") && n.body.contains("unclosed"));
    assert_eq!(n.problems[0].code, ProblemCode::FrontMatterParse);
    assert!(n.problems[0].line.is_some());
    assert_eq!(n.tasks[0].line, 6);
}

#[test]
fn unclosed_front_matter_is_plain_text() {
    let n = note("meetings/b.md", "---\ntype: meeting\nno end\n");
    assert_eq!(n.kind, Kind::Note);
    assert_eq!(n.problems[0].code, ProblemCode::FrontMatterUnclosed);
}

#[test]
fn scalar_json_and_toml_front_matter() {
    let s = note("a.md", "---\njust words\n---\nbody\n");
    assert_eq!(s.problems[0].code, ProblemCode::FrontMatterNotMap);
    // JSON is valid YAML: a flow mapping.
    let j = note(
        "a.md",
        "---\n{\"type\": \"person\", \"name\": \"Jay\"}\n---\n",
    );
    assert_eq!((j.kind, j.title.as_str()), (Kind::Person, "Jay"));
    let t = note("people/a.md", "+++\nname = \"x\"\n+++\nbody\n");
    assert_eq!(t.kind, Kind::Note);
    assert_eq!(t.problems[0].code, ProblemCode::TomlFrontMatter);
}

#[test]
fn empty_file_is_a_note() {
    let n = note("notes/empty.md", "");
    assert_eq!((n.kind, n.title.as_str()), (Kind::Note, "empty"));
    assert!(n.problems.is_empty());
}

#[test]
fn non_utf8_is_decoded_and_reported() {
    let mut p = Vec::new();
    let text = decode(b"caf\xe9\n", &mut p);
    assert_eq!(text, "caf\u{FFFD}\n");
    assert_eq!(p[0].code, ProblemCode::NotUtf8);
    let mut p = Vec::new();
    let utf16: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain("hé".encode_utf16().flat_map(u16::to_le_bytes))
        .collect();
    assert_eq!(decode(&utf16, &mut p), "hé");
    assert_eq!(p.len(), 1);
    let mut p = Vec::new();
    assert_eq!(decode(b"\xEF\xBB\xBFok", &mut p), "ok");
    assert!(p.is_empty());
}

#[test]
fn templates_are_plain_notes() {
    let n = note(
        "Templates/Meeting Template.md",
        "---\ncategories:\n  - \"[[Meetings]]\"\ndate: {{date}}\npeople: []\n---\n## Notes\n",
    );
    assert_eq!(n.kind, Kind::Note);
    assert!(n.is_template());
    assert_eq!(n.problems.len(), 1);
    let t = note(
        "Templates/Meeting.md",
        "---\ndate: {{date}}\n---\n- [ ] Send recap to {{attendees}} #ask\n",
    );
    assert!(
        t.tasks.is_empty(),
        "a template's tasks are patterns, not tasks"
    );
}

#[test]
fn kepano_meeting() {
    let text = "---\ncategories:\n  - \"[[Meetings]]\"\ntype: []\ndate: 2023-09-12\norg:\n  - \"[[Obsidian]]\"\nloc:\n  - Remote\npeople:\n  - \"[[Steph Ango]]\"\ntopics:\n  - \"[[Emergence]]\"\n---\n- Discussed the book [[Out of Control]] on the topic of [[Emergence]]";
    let n = note("Notes/2023-09-12 Meeting with Steph.md", text);
    assert_eq!(n.kind, Kind::Meeting);
    assert_eq!(n.date, Some(d("2023-09-12")));
    assert_eq!(n.attendees, vec!["Steph Ango"]);
    assert_eq!(n.projects, vec!["Emergence"]);
    assert_eq!(n.links.len(), 2);
}

#[test]
fn decode_survives_a_million_boms() {
    // Each BOM was stripped by a recursive call: a 3 MB file of BOMs
    // overflowed the stack and aborted the whole run.
    let mut bytes = [0xEF, 0xBB, 0xBF].repeat(1_000_000);
    bytes.extend_from_slice(b"text");
    let decoded = std::thread::Builder::new()
        .stack_size(256 * 1024)
        .spawn(move || {
            let mut problems = Vec::new();
            (decode(&bytes, &mut problems), problems)
        })
        .unwrap()
        .join()
        .unwrap();
    assert_eq!(decoded, ("text".to_string(), Vec::new()));
}

#[test]
fn notes_in_a_templates_folder_are_templates() {
    let n = note(
        "Templates/People Template.md",
        "---\ncategories:\n  - \"[[People]]\"\n---\n",
    );
    assert_eq!(n.kind, Kind::Note);
    assert!(n.is_template());
    assert_eq!(
        note("__Templates/Person Template.md", "---\ntype: person\n---\n").kind,
        Kind::Note
    );
    assert_eq!(note("people/Templeton.md", "").kind, Kind::Person);
}

#[test]
fn extra_keys_from_the_configuration() {
    let opts = ParseOpts {
        attendee_keys: vec!["Guests".into()],
        project_keys: vec!["client".into()],
    };
    let n = parse_note_with(
        "meetings/m.md",
        "---\nguests: [\"[[Ada]]\"]\nclient: Contoso\n---\n",
        Vec::new(),
        &opts,
    );
    assert_eq!(n.attendees, vec!["Ada"]);
    assert_eq!(n.projects, vec!["Contoso"]);
    let plain = note("meetings/m.md", "---\nguests: [\"[[Ada]]\"]\n---\n");
    assert!(plain.attendees.is_empty());
}

#[test]
fn problem_codes_serialize_as_their_documented_strings() {
    let mut seen = std::collections::HashSet::new();
    for code in ProblemCode::ALL {
        let json = serde_json::to_string(&code).unwrap();
        assert_eq!(json, format!("\"{}\"", code.as_str()));
        assert_eq!(code.to_string(), code.as_str());
        let back: ProblemCode = serde_json::from_str(&json).unwrap();
        assert_eq!(back, code);
        assert!(seen.insert(code.as_str()), "{code} twice");
    }
    assert_eq!(ProblemCode::Unreadable.severity(), Severity::Error);
    assert_eq!(ProblemCode::BadDate.severity(), Severity::Warning);
    assert_eq!(ProblemCode::Template.severity(), Severity::Info);
    let errors: Vec<_> = ProblemCode::ALL
        .iter()
        .filter(|c| c.severity() == Severity::Error)
        .map(|c| c.as_str())
        .collect();
    assert_eq!(
        errors,
        [
            "front-matter-parse",
            "front-matter-unclosed",
            "front-matter-not-map",
            "toml-front-matter",
            "not-utf8",
            "unreadable"
        ]
    );
}

#[test]
fn sort_large_is_a_stable_sort() {
    // Pseudo-random keys with many ties, every length up to 200: the same
    // order as the standard library's stable sort, equal keys in input order.
    let mut rng = crate::testrand::Rng(0x9e37_79b9_7f4a_7c15);
    for len in 0..200 {
        let items: Vec<(u32, usize)> = (0..len).map(|i| (rng.below(7) as u32, i)).collect();
        let mut want = items.clone();
        want.sort_by_key(|(k, _)| *k);
        let mut got = items;
        sort_large(&mut got, |a, b| a.0.cmp(&b.0));
        assert_eq!(got, want, "{len} items");
    }
}

#[test]
fn decode_owned_is_decode() {
    let mut utf16 = vec![0xFF, 0xFE];
    utf16.extend("hé".encode_utf16().flat_map(|u| u.to_le_bytes()));
    let mut utf16be = vec![0xFE, 0xFF];
    utf16be.extend("hé".encode_utf16().flat_map(|u| u.to_be_bytes()));
    for bytes in [
        b"".to_vec(),
        "plain café\n".as_bytes().to_vec(),
        b"\xEF\xBB\xBFok".to_vec(),
        b"\xEF\xBB\xBF\xEF\xBB\xBFtwice".to_vec(),
        b"caf\xe9\nline two".to_vec(),
        b"\xEF\xBB\xBFcaf\xe9".to_vec(),
        utf16,
        utf16be,
        vec![0xFF],
    ] {
        let (mut p, mut q) = (Vec::new(), Vec::new());
        assert_eq!(
            (decode_owned(bytes.clone(), &mut p), p),
            (decode(&bytes, &mut q), q),
            "{bytes:?}"
        );
    }
}

#[test]
fn a_note_read_from_its_own_text_keeps_the_same_body() {
    for text in [
        "---\ntitle: A\n---\nbody [[Ada]]\n",
        "\u{FEFF}---\ntitle: A\n---\nafter a byte-order mark\n",
        "\u{FEFF}no front matter\n",
        "---\ntitle: [unclosed\n---\nbroken front matter: the whole text\n",
        "---\ntitle: never closed\n",
        "+++\ntitle = \"toml\"\n+++\nbody\n",
        "---\ntitle: A\n---",
        "",
        "é, ü and 🗓 in the body\n",
    ] {
        let opts = ParseOpts::default();
        let borrowed = parse_note_with("meetings/m.md", text, Vec::new(), &opts);
        let owned = parse_note_owned("meetings/m.md", text.to_string(), Vec::new(), &opts);
        assert_eq!(owned, borrowed, "{text:?}");
        assert!(text.ends_with(&owned.body), "{text:?}");
    }
}
