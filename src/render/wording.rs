//! The checklist's words, in one place: section titles, the sentence an
//! empty section shows, and the phrases items share. The terminal report
//! and the Markdown file both take them from here, so they say the same
//! thing, and every sentence is true of the thresholds the checklist was
//! computed with (a configured window is not "30 days"; one ask is "1 ask").

use crate::followup::{Checklist, ComingUp, KeepInTouch, QuietTeam, Reciprocity, Snoozed};

/// A section of the checklist, in the order both renderers print them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    /// Open tasks.
    Tasks,
    /// People due for a keep-in-touch.
    KeepInTouch,
    /// Birthdays and other dates that matter, soon.
    ComingUp,
    /// Recent meetings with no next step.
    Unfollowed,
    /// People asked more of than given.
    Reciprocity,
    /// Internal teams gone quiet.
    QuietTeams,
}

impl Section {
    /// Every section, in print order.
    pub const ALL: [Section; 6] = [
        Section::Tasks,
        Section::KeepInTouch,
        Section::ComingUp,
        Section::Unfollowed,
        Section::Reciprocity,
        Section::QuietTeams,
    ];

    /// The heading.
    pub fn title(self) -> &'static str {
        match self {
            Section::Tasks => "Open tasks",
            Section::KeepInTouch => "Keep in touch",
            Section::ComingUp => "Coming up",
            Section::Unfollowed => "Meetings without a follow-up",
            Section::Reciprocity => "Give before you ask",
            Section::QuietTeams => "Internal network",
        }
    }

    /// How many items the section has.
    pub fn len(self, c: &Checklist) -> usize {
        match self {
            Section::Tasks => c.tasks.len(),
            Section::KeepInTouch => c.keep_in_touch.len(),
            Section::ComingUp => c.coming_up.len(),
            Section::Unfollowed => c.unfollowed_meetings.len(),
            Section::Reciprocity => c.reciprocity.len(),
            Section::QuietTeams => c.quiet_teams.len(),
        }
    }

    /// The sentence an empty section shows.
    pub fn empty(self, c: &Checklist) -> String {
        let t = &c.thresholds;
        match self {
            Section::Tasks if c.other_open_tasks > 0 => "No open task involves a person.".into(),
            Section::Tasks => "No open tasks.".into(),
            Section::KeepInTouch => "Nobody is due for a keep-in-touch.".into(),
            Section::ComingUp => {
                format!("No birthdays or other dates in {}.", the_next(t.ahead_days))
            }
            Section::Unfollowed => format!(
                "Every meeting in {} has a next step.",
                the_last(t.window_days)
            ),
            Section::Reciprocity => format!(
                "Nobody you asked more of than you gave in {}.",
                the_last(t.reciprocity_days)
            ),
            Section::QuietTeams if c.internal_teams == 0 => {
                "No internal teams yet: give colleagues `relation: internal` and a `team`.".into()
            }
            Section::QuietTeams => {
                format!("Every internal team was met in {}.", the_last(t.quiet_days))
            }
        }
    }
}

/// The line under the open tasks saying how many the section left out
/// (those that involve nobody), or `None` when it left out none.
pub fn other_tasks(c: &Checklist) -> Option<String> {
    match c.other_open_tasks {
        0 => None,
        1 => Some("1 other open task involves nobody; `--all-tasks` lists it.".into()),
        n => Some(format!(
            "{n} other open tasks involve nobody; `--all-tasks` lists them."
        )),
    }
}

/// "1 day", "2 days": a count with its noun, singular for one.
pub fn count(n: i64, one: &str, many: &str) -> String {
    if n == 1 || n == -1 {
        format!("{n} {one}")
    } else {
        format!("{n} {many}")
    }
}

/// "1 day", "30 days".
pub fn days(n: i64) -> String {
    count(n, "day", "days")
}

/// "the last day", "the last 30 days".
pub fn the_last(n: u32) -> String {
    if n == 1 {
        "the last day".into()
    } else {
        format!("the last {n} days")
    }
}

/// "the next day", "the next 14 days".
pub fn the_next(n: u32) -> String {
    if n == 1 {
        "the next day".into()
    } else {
        format!("the next {n} days")
    }
}

/// "birthday (38 years) on 2026-12-03, in 7 days"; "today", "tomorrow".
/// The text is the note's: the renderer makes it safe.
pub fn coming_up(c: &ComingUp) -> String {
    let years = c
        .years
        .map(|y| format!(" ({})", count(y.into(), "year", "years")))
        .unwrap_or_default();
    let when = match c.in_days {
        0 => "today".to_string(),
        1 => "tomorrow".to_string(),
        n => format!("in {}", days(n)),
    };
    format!("{}{years} on {}, {when}", c.what, c.date)
}

/// "3 people snoozed until 2026-12-15 (Ada, Bob), 2027-01-02 (Carl)": the
/// checklist's closing line, so that nothing silently disappears from it;
/// `None` when nobody is snoozed. Names are the notes': the renderer makes
/// the line safe.
pub fn snoozed(snoozed: &[Snoozed]) -> Option<String> {
    if snoozed.is_empty() {
        return None;
    }
    let mut groups: Vec<(chrono::NaiveDate, Vec<&str>)> = Vec::new();
    for s in snoozed {
        match groups.last_mut() {
            Some((d, names)) if *d == s.until => names.push(&s.name),
            _ => groups.push((s.until, vec![&s.name])),
        }
    }
    Some(format!(
        "{} snoozed until {}",
        count(snoozed.len() as i64, "person", "people"),
        groups
            .iter()
            .map(|(d, names)| format!("{d} ({})", names.join(", ")))
            .collect::<Vec<_>>()
            .join(", ")
    ))
}

/// "every day", "every 30 days".
pub fn every(n: u32) -> String {
    if n == 1 {
        "every day".into()
    } else {
        format!("every {n} days")
    }
}

/// "last contact 2026-10-01, 5 days overdue (every 30 days)".
pub fn keep_in_touch(k: &KeepInTouch) -> String {
    match (k.last_contact, k.overdue_by_days) {
        (Some(l), Some(o)) => format!(
            "last contact {l}, {} overdue ({})",
            days(o),
            every(k.cadence_days)
        ),
        _ => format!("never met ({})", every(k.cadence_days)),
    }
}

/// "1 ask, 0 gives".
pub fn asks_gives(r: &Reciprocity) -> String {
    format!(
        "{}, {}",
        count(r.asks.into(), "ask", "asks"),
        count(r.gives.into(), "give", "gives")
    )
}

/// "nobody met since 2026-06-01" or "never met".
pub fn team_since(t: &QuietTeam) -> String {
    t.last_met.map_or_else(
        || "never met".to_string(),
        |d| format!("nobody met since {d}"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::followup::{Context, Thresholds};

    fn empty() -> Checklist {
        Checklist {
            as_of: chrono::NaiveDate::from_ymd_opt(2026, 11, 26).unwrap(),
            tasks: Default::default(),
            other_open_tasks: 0,
            keep_in_touch: vec![],
            keep_in_touch_ahead: vec![],
            planned: vec![],
            unfollowed_meetings: vec![],
            reciprocity: vec![],
            thresholds: Thresholds {
                window_days: 14,
                soon_days: 7,
                reciprocity_days: 365,
                quiet_days: 90,
                ahead_days: 14,
            },
            ..Checklist::default()
        }
    }

    #[test]
    fn counts_are_singular_for_one() {
        assert_eq!(days(1), "1 day");
        assert_eq!(days(0), "0 days");
        assert_eq!(days(12), "12 days");
        assert_eq!(every(1), "every day");
        assert_eq!(the_last(1), "the last day");
        let r = Reciprocity {
            id: String::new(),
            name: "Ada".into(),
            path: None,
            asks: 1,
            gives: 0,
        };
        assert_eq!(asks_gives(&r), "1 ask, 0 gives");
        let r = Reciprocity {
            asks: 3,
            gives: 1,
            ..r
        };
        assert_eq!(asks_gives(&r), "3 asks, 1 give");
        let k = KeepInTouch {
            id: String::new(),
            name: "Ada".into(),
            path: None,
            cadence_days: 1,
            last_contact: chrono::NaiveDate::from_ymd_opt(2026, 11, 24),
            days_since: Some(2),
            overdue_by_days: Some(1),
            context: Context::default(),
        };
        assert_eq!(
            keep_in_touch(&k),
            "last contact 2026-11-24, 1 day overdue (every day)"
        );
    }

    #[test]
    fn coming_up_and_snoozed_agree_with_their_numbers() {
        let day = |d| chrono::NaiveDate::from_ymd_opt(2026, 12, d).unwrap();
        let item = ComingUp {
            id: String::new(),
            name: "Ada".into(),
            path: "people/ada.md".into(),
            what: "joined Acme".into(),
            date: day(2),
            years: Some(1),
            in_days: 1,
        };
        assert_eq!(
            coming_up(&item),
            "joined Acme (1 year) on 2026-12-02, tomorrow"
        );
        let item = ComingUp {
            years: None,
            in_days: 12,
            ..item
        };
        assert_eq!(coming_up(&item), "joined Acme on 2026-12-02, in 12 days");
        let s = |name: &str, d| Snoozed {
            name: name.into(),
            path: None,
            until: day(d),
        };
        assert_eq!(snoozed(&[]), None);
        assert_eq!(
            snoozed(&[s("Ada", 15)]).as_deref(),
            Some("1 person snoozed until 2026-12-15 (Ada)")
        );
        assert_eq!(
            snoozed(&[s("Ada", 15), s("Bo", 15), s("Cy", 20)]).as_deref(),
            Some("3 people snoozed until 2026-12-15 (Ada, Bo), 2026-12-20 (Cy)")
        );
        let mut c = empty();
        assert_eq!(
            Section::ComingUp.empty(&c),
            "No birthdays or other dates in the next 14 days."
        );
        c.thresholds.ahead_days = 1;
        assert_eq!(
            Section::ComingUp.empty(&c),
            "No birthdays or other dates in the next day."
        );
    }

    #[test]
    fn empty_sections_say_what_is_true() {
        let mut c = empty();
        // The window is the configured one, not a fixed 30 days.
        assert_eq!(
            Section::Unfollowed.empty(&c),
            "Every meeting in the last 14 days has a next step."
        );
        // With no internal team, no claim that every one was met.
        let none = Section::QuietTeams.empty(&c);
        assert!(!none.contains("Every internal team"), "{none}");
        c.internal_teams = 2;
        assert_eq!(
            Section::QuietTeams.empty(&c),
            "Every internal team was met in the last 90 days."
        );
        assert_eq!(other_tasks(&c), None);
        assert_eq!(Section::Tasks.empty(&c), "No open tasks.");
        c.other_open_tasks = 1;
        assert_eq!(Section::Tasks.empty(&c), "No open task involves a person.");
        assert_eq!(
            other_tasks(&c).as_deref(),
            Some("1 other open task involves nobody; `--all-tasks` lists it.")
        );
        c.thresholds.window_days = 1;
        assert_eq!(
            Section::Unfollowed.empty(&c),
            "Every meeting in the last day has a next step."
        );
    }
}
