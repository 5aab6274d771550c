//! `rapport map`: the page file, its safety, and the page in a real browser
//! (headless Chromium), checked against `people`, `person` and `followups`.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

use crate::truth::generator;
use crate::util::{Vault, example_vault};

/// Names that try to be markup, in text, attributes and the script's data.
const HOSTILE: &str =
    "<img src=x onerror=\"document.documentElement.setAttribute('data-pwned','1')\">";
const HOSTILE_ORG: &str =
    "</script><script>document.documentElement.setAttribute('data-pwned','2')</script><!--";

fn hostile_people(v: &Vault) {
    v.write(
        "people/hostile.md",
        &format!(
            "---\nname: '{}'\norg: '{}'\ncadence: 30d\nintroduced_by: \"[[Quinn Ames]]\"\n---\n",
            HOSTILE.replace('\'', "''"),
            HOSTILE_ORG.replace('\'', "''")
        ),
    );
    v.write(
        "people/quinn.md",
        "---\nname: Quinn Ames\norg: \"Acme & <Sons>\"\nrelation: internal\ncadence: 1y\n---\n",
    );
    v.write(
        "meetings/2026-01-05 hostile.md",
        &format!(
            "---\ntype: meeting\ndate: 2026-01-05\nattendees: [\"[[Quinn Ames]]\", \"[[people/hostile]]\", \"<b>Bold</b> Stranger\"]\nprojects: ['</script>']\n---\n# {HOSTILE}\n"
        ),
    );
}

fn map(v: &Vault, out: &Path, extra: &[&str]) -> String {
    let mut args = vec!["map", "--out"];
    let o = out.to_str().unwrap();
    args.push(o);
    args.extend_from_slice(extra);
    v.ok(&args);
    fs::read_to_string(out).unwrap()
}

#[test]
fn the_page_is_self_contained_deterministic_and_escaped() {
    let v = Vault::copy_of(&example_vault());
    hostile_people(&v);
    let out_dir = tempfile::tempdir().unwrap();
    let out = out_dir.path().join("map.html");
    let page = map(&v, &out, &[]);
    let again = map(&v, &out, &[]);
    assert_eq!(page, again, "same vault, same page");

    // Nothing is fetched: no URL but the SVG namespace, no external element.
    let mut rest = page.as_str();
    while let Some(i) = rest.find("http") {
        assert!(
            rest[i..].starts_with("http://www.w3.org/2000/svg\"")
                || rest[i..].starts_with("http-equiv=\"Content-Security-Policy\""),
            "a URL in the page: {}",
            &rest[i..rest.len().min(i + 80)]
        );
        rest = &rest[i + 4..];
    }
    for (name, attrs) in start_tags(&page) {
        assert!(
            !["link", "img", "iframe", "object", "embed", "base"].contains(&name.as_str())
                && !attrs.contains_key("src"),
            "<{name} {attrs:?}> in the page"
        );
    }
    for bad in ["@import", "url(h"] {
        assert!(!page.contains(bad), "{bad} in the page");
    }
    // Exactly our two script elements: note text never opens or closes one.
    assert_eq!(page.matches("<script").count(), 2);
    assert_eq!(page.matches("</script").count(), 2);
    assert!(!page.contains("<!--\"") && page.matches("<!--").count() == 1);
    assert!(page.contains("&lt;img src=x onerror=&quot;"));
    assert!(page.contains("Acme &amp; &lt;Sons&gt;"));
    assert!(!page.contains("<b>Bold"));
    // Nothing about the machine: the vault's absolute path is not in it.
    let abs = v.path().canonicalize().unwrap();
    assert!(!page.contains(abs.to_str().unwrap()));
    // Title: the vault's name and the date.
    let today = v.json(&["followups"])["as_of"]
        .as_str()
        .unwrap()
        .to_string();
    let vault_name = abs.file_name().unwrap().to_str().unwrap();
    assert!(
        page.contains(&format!(
            "<title>{vault_name} — network map, {today}</title>"
        )),
        "{}",
        &page[..600]
    );
    // The introduction is drawn, from the introducer.
    let nodes = nodes(&page);
    let id_of = |name: &str| nodes.iter().position(|n| n.name == name).unwrap();
    assert!(page.contains(&format!(
        "class=\"intro\" data-a=\"{}\" data-b=\"{}\"",
        id_of("Quinn Ames"),
        id_of(HOSTILE)
    )));
    assert!(page.contains(&format!(
        "class=\"intro\" data-a=\"{}\" data-b=\"{}\"",
        id_of("Ruth Adeyemi"),
        id_of("Marcus Feld")
    )));
    assert!(page.contains(&format!(
        "class=\"intro\" data-a=\"{}\" data-b=\"{}\"",
        id_of("Lena Novak"),
        id_of("Ruth Adeyemi")
    )));
    assert_eq!(page.matches("class=\"intro\"").count(), 3);
    // Notes open from the page: relative links from the page's folder.
    let lena = nodes.iter().find(|n| n.name == "Lena Novak").unwrap();
    let href = lena.attrs["href"].clone();
    assert!(href.ends_with("/people/lena-novak.md"), "{href}");
    assert!(
        out_dir.path().join(&href).canonicalize().unwrap() == abs.join("people/lena-novak.md"),
        "{href} does not lead to the note"
    );
    // Internal people are squares, the others circles.
    let quinn = &nodes[id_of("Quinn Ames")];
    assert_eq!(
        (quinn.shape.as_str(), quinn.relation.as_str()),
        ("rect", "internal")
    );
    assert_eq!(nodes[id_of("Lena Novak")].shape, "circle");
}

#[test]
fn obsidian_vaults_get_obsidian_links() {
    let v = Vault::copy_of(&example_vault());
    fs::create_dir_all(v.path().join(".obsidian")).unwrap();
    let out = v.index.path().join("m.html");
    let page = map(&v, &out, &[]);
    let name = v.path().canonicalize().unwrap();
    let name = name.file_name().unwrap().to_str().unwrap();
    assert!(page.contains(&format!(
        "href=\"obsidian://open?vault={name}&amp;file=people%2Flena-novak\""
    )));
}

#[test]
fn the_file_is_written_like_the_checklist() {
    let v = Vault::copy_of(&example_vault());
    let dir = tempfile::tempdir().unwrap();
    // Default path: rapport-map.html in the current folder.
    let out = v.cmd().current_dir(dir.path()).arg("map").output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let default = dir.path().join("rapport-map.html");
    assert!(fs::read_to_string(&default).unwrap().contains("<svg"));
    assert_eq!(
        fs::read_dir(dir.path()).unwrap().count(),
        1,
        "no temporary file left"
    );

    // A file rapport did not write is refused, and left alone.
    let foreign = dir.path().join("mine.html");
    fs::write(&foreign, "<html>my page</html>").unwrap();
    let out = v
        .cmd()
        .args(["map", "--out"])
        .arg(&foreign)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--force"));
    assert_eq!(
        fs::read_to_string(&foreign).unwrap(),
        "<html>my page</html>"
    );
    // --force overwrites it; from then on it is ours.
    map(&v, &foreign, &["--force"]);
    map(&v, &foreign, &[]);
    assert!(fs::read_to_string(&foreign).unwrap().contains("<svg"));
}

#[test]
fn the_page_is_never_written_over_a_fifo_a_link_or_a_page_that_quotes_the_marker() {
    let v = Vault::copy_of(&example_vault());
    let dir = tempfile::tempdir().unwrap();
    // A page that only quotes rapport's marker is not rapport's.
    let first = dir.path().join("first.html");
    map(&v, &first, &[]);
    let marker = fs::read_to_string(&first)
        .unwrap()
        .lines()
        .nth(1)
        .unwrap()
        .to_string();
    let quoting = dir.path().join("notes.html");
    let mine = format!("<html><pre>\n{marker}\n</pre></html>");
    fs::write(&quoting, &mine).unwrap();
    // A FIFO would block a reader; a link would be followed.
    let fifo = dir.path().join("fifo.html");
    assert!(
        std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    let link = dir.path().join("link.html");
    std::os::unix::fs::symlink(&quoting, &link).unwrap();
    for target in [&quoting, &fifo, &link] {
        let out = v
            .cmd()
            .timeout(std::time::Duration::from_secs(20))
            .args(["map", "--out"])
            .arg(target)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{}", target.display());
    }
    assert_eq!(fs::read_to_string(&quoting).unwrap(), mine);
    assert!(
        fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
}

#[test]
fn open_uses_the_platform_opener_and_a_missing_one_only_warns() {
    let v = Vault::copy_of(&example_vault());
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("m.html");
    // No opener on the PATH: the page is written, with a warning.
    let empty = tempfile::tempdir().unwrap();
    let run = v
        .cmd()
        .env("PATH", empty.path())
        .args(["map", "--open", "--out"])
        .arg(&out)
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    assert!(String::from_utf8_lossy(&run.stderr).contains("warning: cannot open"));
    assert!(out.exists());
    #[cfg(all(unix, not(target_os = "macos")))]
    {
        use std::os::unix::fs::PermissionsExt;
        let bin = tempfile::tempdir().unwrap();
        let opener = bin.path().join("xdg-open");
        let said = bin.path().join("opened");
        fs::write(
            &opener,
            format!("#!/bin/sh\nprintf '%s' \"$1\" > '{}'\n", said.display()),
        )
        .unwrap();
        fs::set_permissions(&opener, fs::Permissions::from_mode(0o755)).unwrap();
        v.cmd()
            .env("PATH", bin.path())
            .args(["map", "--open", "--out"])
            .arg(&out)
            .assert()
            .success();
        // The opener runs in the background: the file may exist before
        // its text is written.
        for _ in 0..100 {
            if fs::read_to_string(&said).is_ok_and(|s| !s.is_empty()) {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        assert_eq!(fs::read_to_string(&said).unwrap(), out.to_str().unwrap());
    }
}

#[test]
fn filters_choose_the_people_like_people_does() {
    let v = Vault::copy_of(&example_vault());
    let out = v.index.path().join("m.html");
    for args in [
        vec![],
        vec!["--since", "2026-10-01"],
        vec!["--project", "Project Atlas"],
        vec!["--org", "northwind"],
        vec![
            "--since",
            "2026-08-01",
            "--until",
            "2026-10-31",
            "--org",
            "a",
        ],
    ] {
        let page = map(&v, &out, &args);
        let got: BTreeSet<String> = nodes(&page).into_iter().map(|n| n.name).collect();
        let mut q = vec!["people"];
        q.extend_from_slice(&args);
        let want: BTreeSet<String> = crate::util::names(&v.json(&q)).into_iter().collect();
        assert_eq!(got, want, "{args:?}");
        assert!(!got.is_empty(), "{args:?}");
    }
}

// ------------------------------------------------------------ the DOM

/// A person node as found in a page or a browser's DOM.
#[derive(Debug)]
struct NodeEl {
    name: String,
    warmth: String,
    relation: String,
    /// `circle` or `rect`.
    shape: String,
    fill: String,
    attrs: BTreeMap<String, String>,
}

fn unescape(s: &str) -> String {
    s.replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&nbsp;", "\u{a0}")
        .replace("&amp;", "&")
}

/// Every start tag, in order: (name, attributes).
fn start_tags(html: &str) -> Vec<(String, BTreeMap<String, String>)> {
    let mut out = Vec::new();
    let b = html.as_bytes();
    let mut i = 0;
    while let Some(off) = html[i..].find('<') {
        i += off + 1;
        if i >= b.len() || !b[i].is_ascii_alphabetic() {
            continue;
        }
        let start = i;
        while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'-') {
            i += 1;
        }
        let name = html[start..i].to_ascii_lowercase();
        let mut attrs = BTreeMap::new();
        loop {
            while i < b.len() && (b[i].is_ascii_whitespace() || b[i] == b'/') {
                i += 1;
            }
            if i >= b.len() || b[i] == b'>' {
                break;
            }
            let k0 = i;
            while i < b.len() && !b"=> \t\n/".contains(&b[i]) {
                i += 1;
            }
            let key = html[k0..i].to_ascii_lowercase();
            let mut value = String::new();
            if i < b.len() && b[i] == b'=' {
                i += 1;
                if i < b.len() && (b[i] == b'"' || b[i] == b'\'') {
                    let q = b[i];
                    let v0 = i + 1;
                    i = v0;
                    while i < b.len() && b[i] != q {
                        i += 1;
                    }
                    value = unescape(&html[v0..i]);
                    i += 1;
                } else {
                    let v0 = i;
                    while i < b.len() && !b[i].is_ascii_whitespace() && b[i] != b'>' {
                        i += 1;
                    }
                    value = unescape(&html[v0..i]);
                }
            }
            attrs.insert(key, value);
        }
        out.push((name, attrs));
    }
    out
}

/// The person nodes, each with the shape that follows it.
fn nodes(html: &str) -> Vec<NodeEl> {
    let tags = start_tags(html);
    let mut out: Vec<NodeEl> = Vec::new();
    let mut pending: Option<BTreeMap<String, String>> = None;
    for (name, attrs) in tags {
        let is_node = attrs
            .get("class")
            .is_some_and(|c| c.split_whitespace().any(|c| c == "node"));
        if is_node {
            pending = Some(attrs);
        } else if name == "circle" || name == "rect" {
            let Some(a) = pending.take() else {
                continue;
            };
            out.push(NodeEl {
                name: a["data-name"].clone(),
                warmth: a["data-warmth"].clone(),
                relation: a["data-relation"].clone(),
                shape: name,
                fill: attrs["fill"].clone(),
                attrs: a,
            });
        }
    }
    out
}

/// Legend colours: fill → state.
fn legend(html: &str) -> BTreeMap<String, String> {
    let tags = start_tags(html);
    let mut out = BTreeMap::new();
    let mut state: Option<String> = None;
    for (name, attrs) in tags {
        if name == "li" {
            state = attrs.get("data-warmth").cloned();
        } else if name == "circle"
            && let Some(s) = state.take()
        {
            out.insert(attrs["fill"].to_lowercase(), s);
        }
    }
    out
}

// ------------------------------------------------------------ the browser

fn chromium() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    for name in ["chromium", "chromium-browser", "google-chrome"] {
        for dir in std::env::split_paths(&path) {
            let p = dir.join(name);
            if p.is_file() {
                return Some(p);
            }
        }
    }
    None
}

/// Chromium, or `None` (with a skip line) when it is missing outside CI.
fn browser_or_skip(test: &str) -> Option<PathBuf> {
    let found = chromium();
    if found.is_none() {
        let ci = std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false" && v != "0");
        assert!(
            !ci,
            "{test}: chromium is missing under CI (.ci/run installs it)"
        );
        eprintln!("skipping {test}: chromium is not installed (apt-get install chromium)");
    }
    found
}

/// Loads a page in headless Chromium: its DOM after the scripts ran, and
/// the console messages.
fn load(chromium: &Path, page: &Path) -> (String, Vec<String>) {
    load_url(chromium, &format!("file://{}", page.display()))
}

/// One browser at a time: Chromium is heavy, and other tests time things.
static BROWSER: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn load_url(chromium: &Path, url: &str) -> (String, Vec<String>) {
    let _one = BROWSER.lock().unwrap_or_else(|e| e.into_inner());
    let profile = tempfile::tempdir().unwrap();
    let out = assert_cmd::Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--enable-logging=stderr",
            "--v=0",
            "--virtual-time-budget=3000",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg("--dump-dom")
        .arg(url)
        .timeout(std::time::Duration::from_secs(120))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "chromium failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let console = String::from_utf8_lossy(&out.stderr)
        .lines()
        .filter(|l| l.contains("CONSOLE"))
        .map(str::to_string)
        .collect();
    (String::from_utf8_lossy(&out.stdout).into_owned(), console)
}

/// The state `person --json` implies, by the cadence rules the README gives.
fn expected_state(p: &serde_json::Value, today: &str) -> String {
    let date = |k: &str| p[k].as_str().map(str::to_string);
    let soon = {
        let t = chrono::NaiveDate::parse_from_str(today, "%Y-%m-%d").unwrap();
        (t + chrono::Days::new(7)).to_string()
    };
    // Someone who would be due but has a meeting planned is "planned", as
    // the checklist says.
    let planned =
        p["cadence_days"].is_u64() && p["upcoming"].as_array().is_some_and(|u| !u.is_empty());
    // Someone snoozed past today is "snoozed", as the checklist counts them.
    let snoozed = p["cadence_days"].is_u64() && p["snooze"].as_str().is_some_and(|s| s > today);
    match (
        date("last_contact"),
        p["cadence_days"].as_u64(),
        date("next_contact_due"),
    ) {
        (None, Some(_), _) if planned => "planned",
        (None, Some(_), _) if snoozed => "snoozed",
        (None, _, _) => "never-met",
        (Some(_), None, _) => "no-cadence",
        (Some(_), Some(_), Some(due)) if due.as_str() < today && planned => "planned",
        (Some(_), Some(_), Some(due)) if due.as_str() < today && snoozed => "snoozed",
        (Some(_), Some(_), Some(due)) if due.as_str() < today => "overdue",
        (Some(_), Some(_), Some(due)) if due <= soon => "due-soon",
        _ => "on-track",
    }
    .to_string()
}

/// Renders the map of `v`, loads it in Chromium, and checks the DOM
/// against the other commands.
fn check_in_browser(chromium: &Path, v: &Vault, extra: &[&str]) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("map.html");
    let page = map(v, &out, extra);
    let (dom, console) = load(chromium, &out);
    assert!(console.is_empty(), "console messages: {console:#?}");
    let tags = start_tags(&dom);
    let html = &tags.iter().find(|(n, _)| n == "html").unwrap().1;
    assert!(!html.contains_key("data-script-error"), "{html:?}");
    assert!(!html.contains_key("data-pwned"), "note text ran as script");

    // Every person of the period is a node.
    let nodes = nodes(&dom);
    assert_eq!(
        nodes.len(),
        self::nodes(&page).len(),
        "the browser saw every node"
    );
    let mut q = vec!["people"];
    q.extend(extra.iter().filter(|a| **a != "--force"));
    let rows = v.json(&q);
    let want: BTreeSet<String> = crate::util::names(&rows).into_iter().collect();
    let got: BTreeSet<String> = nodes.iter().map(|n| n.name.clone()).collect();
    assert_eq!(got, want);
    assert_eq!(nodes.len(), rows.as_array().unwrap().len());
    // The script ran over all of them: it counted them and filled the search list.
    assert_eq!(html.get("data-ready"), Some(&nodes.len().to_string()));
    let options = tags.iter().filter(|(n, _)| n == "option").count();
    assert_eq!(options, nodes.len());

    // Colours are each person's keep-in-touch state.
    let colours = legend(&dom);
    assert_eq!(colours.len(), 7, "{colours:?}");
    let checklist = v.json(&["followups"]);
    let today = checklist["as_of"].as_str().unwrap().to_string();
    let overdue: BTreeSet<String> = checklist["keep_in_touch"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|k| !k["overdue_by_days"].is_null())
        .map(|k| k["name"].as_str().unwrap().to_string())
        .collect();
    let mut states: BTreeMap<String, usize> = BTreeMap::new();
    for n in &nodes {
        let shown = colours
            .get(&n.fill.to_lowercase())
            .unwrap_or_else(|| panic!("{}: fill {} is not in the legend", n.name, n.fill));
        assert_eq!(shown, &n.warmth, "{}", n.name);
        let r = rows
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["name"] == n.name.as_str())
            .unwrap();
        // Person notes by path (names may repeat), the others by name.
        let key = match r["path"].as_str() {
            Some(p) => p.trim_end_matches(".md").to_string(),
            None => n.name.clone(),
        };
        let p = v.json(&["--no-refresh", "person", &key]);
        assert_eq!(p["name"], n.name.as_str(), "{key}");
        let want = expected_state(&p, &today);
        assert_eq!(shown, &want, "{}: {p}", n.name);
        assert_eq!(shown == "overdue", overdue.contains(&n.name), "{}", n.name);
        *states.entry(want).or_default() += 1;
    }
    eprintln!("states: {states:?}");
}

#[test]
fn the_example_vault_in_a_browser() {
    let Some(chromium) = browser_or_skip("the_example_vault_in_a_browser") else {
        return;
    };
    let v = Vault::copy_of(&example_vault());
    hostile_people(&v);
    check_in_browser(&chromium, &v, &[]);
    check_in_browser(&chromium, &v, &["--since", "2026-09-01"]);
}

#[test]
fn search_highlights_a_person_and_shows_their_details() {
    let Some(chromium) = browser_or_skip("search_highlights_a_person_and_shows_their_details")
    else {
        return;
    };
    let v = Vault::copy_of(&example_vault());
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("map.html");
    map(&v, &out, &[]);
    // The page's address can carry a search: `map.html#Lena%20Novak`.
    let (dom, console) = load_url(&chromium, &format!("file://{}#Lena%20Novak", out.display()));
    assert!(console.is_empty(), "{console:?}");
    let hits: Vec<String> = start_tags(&dom)
        .into_iter()
        .filter(|(_, a)| {
            a.get("class")
                .is_some_and(|c| c.split_whitespace().any(|c| c == "hit"))
                && a.contains_key("data-name")
        })
        .map(|(_, a)| a["data-name"].clone())
        .collect();
    assert_eq!(hits, ["Lena Novak"]);
    // The details: organisation, last contact, next due, shared projects.
    let p = v.json(&["--no-refresh", "person", "Lena Novak"]);
    let start = dom.find("<section id=\"details\"").unwrap();
    let details = &dom[start..start + dom[start..].find("</section>").unwrap()];
    assert!(!details.contains(" hidden"), "{details}");
    for want in [
        "Lena Novak".to_string(),
        "Quillmark".to_string(),
        p["last_contact"].as_str().unwrap().to_string(),
        p["next_contact_due"].as_str().unwrap().to_string(),
        "Hiring Pipeline".to_string(),
    ] {
        assert!(details.contains(&want), "{want} not in {details}");
    }
}

#[test]
fn a_generated_vault_in_a_browser() {
    let Some(chromium) = browser_or_skip("a_generated_vault_in_a_browser") else {
        return;
    };
    let v = Vault::new();
    generator::generate(v.path(), 400, 11, None).unwrap();
    hostile_people(&v);
    check_in_browser(&chromium, &v, &[]);
}

#[test]
fn the_console_check_can_fail() {
    let Some(chromium) = browser_or_skip("the_console_check_can_fail") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.html");
    fs::write(
        &bad,
        "<!DOCTYPE html><html><body><script>missing();</script></body></html>",
    )
    .unwrap();
    let (_, console) = load(&chromium, &bad);
    assert!(console.iter().any(|l| l.contains("missing")), "{console:?}");
}
