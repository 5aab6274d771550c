//! "Did you mean": close names for a person that was not found.

/// Edit distance (Levenshtein), on characters.
fn distance(a: &str, b: &str) -> usize {
    strsim::levenshtein(a, b)
}

/// [`distance`], or `limit + 1` when it is more than `limit`. Two texts
/// whose lengths differ by more than `limit` are at least that far apart:
/// they are not compared (a mistyped name of 60,000 characters took
/// seconds against every name in a vault).
fn distance_within(a: &str, a_chars: usize, b: &str, limit: usize) -> usize {
    if a_chars.abs_diff(b.chars().count()) > limit {
        return limit + 1;
    }
    distance(a, b).min(limit + 1)
}

/// How far `query` (of `chars` characters) is from a candidate name: the
/// best of the whole name and each of its words (so `smyth` finds "Ada
/// Smith"), and 0 for a prefix; `limit + 1` for anything further than
/// `limit`.
fn score(query: &str, chars: usize, candidate: &str, limit: usize) -> usize {
    let c = candidate.to_lowercase();
    if c.starts_with(query)
        || c.split_whitespace()
            .any(|w| w.starts_with(query) && query.len() >= 3)
    {
        return 0;
    }
    let whole = distance_within(query, chars, &c, limit);
    let words = c
        .split(|ch: char| ch.is_whitespace() || ch == '-' || ch == '.')
        .filter(|w| !w.is_empty())
        .map(|w| distance_within(query, chars, w, limit))
        .min();
    words.map_or(whole, |w| w.min(whole))
}

/// Up to `max` candidate names close to `query`, best first. Each candidate
/// is (display name, the names it goes by).
pub fn suggestions(query: &str, candidates: &[(String, Vec<String>)], max: usize) -> Vec<String> {
    let q = query.trim().to_lowercase();
    let chars = q.chars().count();
    let limit = (chars / 3).clamp(1, 3);
    let mut scored: Vec<(usize, &str)> = candidates
        .iter()
        .filter_map(|(name, keys)| {
            let best = keys
                .iter()
                .chain(std::iter::once(name))
                .map(|k| score(&q, chars, k, limit))
                .min()?;
            (best <= limit).then_some((best, name.as_str()))
        })
        .collect();
    scored.sort();
    scored.dedup_by(|a, b| a.1 == b.1);
    scored
        .into_iter()
        .take(max)
        .map(|(_, n)| n.to_string())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The length shortcut never changes a distance within the limit.
    #[test]
    fn distances_within_a_limit_are_exact() {
        let long = "x".repeat(40);
        let words = [
            "",
            "a",
            "ab",
            "abc",
            "ada",
            "adda",
            "smith",
            "smyth",
            "é",
            "éa",
            "grace",
            "gracie",
            long.as_str(),
        ];
        for a in words {
            for b in words {
                for limit in 0..4 {
                    let d = distance(a, b);
                    let within = distance_within(a, a.chars().count(), b, limit);
                    assert_eq!(within, d.min(limit + 1), "{a:?} {b:?} {limit}");
                }
            }
        }
    }

    fn cands() -> Vec<(String, Vec<String>)> {
        vec![
            ("Ada Smith".into(), vec!["people/ada-smith".into()]),
            ("Grace Hopper".into(), vec!["Amazing Grace".into()]),
            ("Linus Torvalds".into(), vec![]),
        ]
    }

    #[test]
    fn close_names_are_suggested() {
        assert_eq!(suggestions("smyth", &cands(), 5), vec!["Ada Smith"]);
        assert_eq!(suggestions("hoper", &cands(), 5), vec!["Grace Hopper"]);
        assert_eq!(suggestions("gra", &cands(), 5), vec!["Grace Hopper"]);
        assert!(suggestions("zzzzzz", &cands(), 5).is_empty());
    }
}
