//! "Did you mean": close names for a person that was not found.

/// Edit distance (Levenshtein), on characters.
fn distance(a: &str, b: &str) -> usize {
    strsim::levenshtein(a, b)
}

/// How far `query` is from a candidate name: the best of the whole name and
/// each of its words (so `smyth` finds "Ada Smith"), and 0 for a prefix.
fn score(query: &str, candidate: &str) -> usize {
    let c = candidate.to_lowercase();
    if c.starts_with(query)
        || c.split_whitespace()
            .any(|w| w.starts_with(query) && query.len() >= 3)
    {
        return 0;
    }
    let whole = distance(query, &c);
    let words = c
        .split(|ch: char| ch.is_whitespace() || ch == '-' || ch == '.')
        .filter(|w| !w.is_empty())
        .map(|w| distance(query, w))
        .min();
    words.map_or(whole, |w| w.min(whole))
}

/// Up to `max` candidate names close to `query`, best first. Each candidate
/// is (display name, the names it goes by).
pub fn suggestions(query: &str, candidates: &[(String, Vec<String>)], max: usize) -> Vec<String> {
    let q = query.trim().to_lowercase();
    let limit = (q.chars().count() / 3).clamp(1, 3);
    let mut scored: Vec<(usize, &str)> = candidates
        .iter()
        .filter_map(|(name, keys)| {
            let best = keys
                .iter()
                .chain(std::iter::once(name))
                .map(|k| score(&q, k))
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
