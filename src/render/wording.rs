//! The checklist's words, in one place: section titles, the sentence an
//! empty section shows, and the phrases items share. The terminal report
//! and the Markdown file both take them from here, so they say the same
//! thing, and every sentence is true of the thresholds the checklist was
//! computed with (a configured window is not "30 days"; one ask is "1 ask").

use crate::followup::{Checklist, KeepInTouch, QuietTeam, Reciprocity};

/// A section of the checklist, in the order both renderers print them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    /// Open tasks.
    Tasks,
    /// People due for a keep-in-touch.
    KeepInTouch,
    /// Recent meetings with no next step.
    Unfollowed,
    /// People asked more of than given.
    Reciprocity,
    /// Internal teams gone quiet.
    QuietTeams,
}

impl Section {
    /// Every section, in print order.
    pub const ALL: [Section; 5] = [
        Section::Tasks,
        Section::KeepInTouch,
        Section::Unfollowed,
        Section::Reciprocity,
        Section::QuietTeams,
    ];

    /// The heading.
    pub fn title(self) -> &'static str {
        match self {
            Section::Tasks => "Open tasks",
            Section::KeepInTouch => "Keep in touch",
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
            tasks: vec![],
            other_open_tasks: 0,
            keep_in_touch: vec![],
            keep_in_touch_ahead: vec![],
            planned: vec![],
            unfollowed_meetings: vec![],
            reciprocity: vec![],
            quiet_teams: vec![],
            thresholds: Thresholds {
                window_days: 14,
                soon_days: 7,
                reciprocity_days: 365,
                quiet_days: 90,
            },
            internal_teams: 0,
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
