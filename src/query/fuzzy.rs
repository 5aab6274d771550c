//! "Did you mean": close names for a person that was not found.

/// The edit distance (Levenshtein, on characters) between `a` and `b`, or
/// `limit + 1` when it is more than `limit`.
///
/// Only the cells of the table within `limit` of its diagonal can lead to
/// a distance within the limit, so only they are worked out: the work is
/// the length times `2 × limit + 1`, not the product of the lengths (two
/// names of 65,000 characters took a `check` minutes with the full table).
fn distance_within(a: &[char], b: &[char], limit: usize) -> usize {
    let over = limit + 1;
    if a.len().abs_diff(b.len()) > limit {
        return over;
    }
    let n = b.len();
    // Row 0, then each row's band; a cell left out counts as `over`.
    let mut prev: Vec<usize> = (0..=n).map(|j| j.min(over)).collect();
    let mut cur = vec![over; n + 1];
    for (i, ca) in a.iter().enumerate().map(|(i, c)| (i + 1, c)) {
        let lo = i.saturating_sub(limit).max(1);
        let hi = (i + limit).min(n);
        cur[lo - 1] = if lo == 1 { i.min(over) } else { over };
        let mut best = cur[lo - 1];
        for j in lo..=hi {
            let cost = usize::from(*ca != b[j - 1]);
            let d = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
            cur[j] = d.min(over);
            best = best.min(cur[j]);
        }
        if let Some(next) = cur.get_mut(hi + 1) {
            *next = over;
        }
        if best > limit {
            return over;
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[n]
}

/// How far `query` (whose characters are `chars`) is from a candidate name: the
/// best of the whole name and each of its words (so `smyth` finds "Ada
/// Smith"), and 0 for a prefix; `limit + 1` for anything further than
/// `limit`.
fn score(query: &str, chars: &[char], candidate: &str, limit: usize) -> usize {
    let c = candidate.to_lowercase();
    if c.starts_with(query)
        || c.split_whitespace()
            .any(|w| w.starts_with(query) && query.len() >= 3)
    {
        return 0;
    }
    let within = |text: &str| {
        let text: Vec<char> = text.chars().collect();
        distance_within(chars, &text, limit)
    };
    let whole = within(&c);
    let words = c
        .split(|ch: char| ch.is_whitespace() || ch == '-' || ch == '.')
        .filter(|w| !w.is_empty())
        .map(within)
        .min();
    words.map_or(whole, |w| w.min(whole))
}

/// Up to `max` candidate names close to `query`, best first. Each candidate
/// is (display name, the names it goes by).
pub fn suggestions(query: &str, candidates: &[(String, Vec<String>)], max: usize) -> Vec<String> {
    let q = query.trim().to_lowercase();
    let chars: Vec<char> = q.chars().collect();
    let limit = (chars.len() / 3).clamp(1, 3);
    let mut scored: Vec<(usize, &str)> = candidates
        .iter()
        .filter_map(|(name, keys)| {
            let best = keys
                .iter()
                .chain(std::iter::once(name))
                .map(|k| score(&q, &chars, k, limit))
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

    /// The banded distance is the full table's whenever that is within
    /// the limit, and `limit + 1` otherwise.
    #[test]
    fn distances_within_a_limit_are_exact() {
        let long = "x".repeat(40);
        let longer = format!("{}y{}", "x".repeat(20), "x".repeat(21));
        let words = [
            "",
            "a",
            "ab",
            "ba",
            "abc",
            "acb",
            "ada",
            "adda",
            "dada",
            "smith",
            "smyth",
            "mitsh",
            "é",
            "éa",
            "aé",
            "grace",
            "gracie",
            "ecarg",
            long.as_str(),
            longer.as_str(),
        ];
        for a in words {
            for b in words {
                let (ca, cb): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
                for limit in 0..5 {
                    let d = strsim::levenshtein(a, b);
                    let within = distance_within(&ca, &cb, limit);
                    assert_eq!(within, d.min(limit + 1), "{a:?} {b:?} {limit}");
                }
            }
        }
    }

    proptest::proptest! {
        /// As above, on texts of a small alphabet (many near misses).
        #[test]
        fn banded_distance_is_the_full_one(a in "[abé ]{0,14}", b in "[abé ]{0,14}", limit in 0usize..5) {
            let (ca, cb): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
            let d = strsim::levenshtein(&a, &b);
            proptest::prop_assert_eq!(distance_within(&ca, &cb, limit), d.min(limit + 1));
        }
    }

    /// Two names of 65,000 characters are compared along the diagonal
    /// only: this took minutes with the full table.
    #[test]
    fn long_names_are_compared_in_linear_time() {
        let a: Vec<char> = "x".repeat(65_000).chars().collect();
        let mut b = a.clone();
        b[30_000] = 'y';
        b.push('z');
        assert_eq!(distance_within(&a, &b, 3), 2);
        assert_eq!(distance_within(&a, &b, 1), 2);
        let names = vec![("X".repeat(65_000), Vec::new())];
        let query = "x".repeat(65_001);
        assert_eq!(suggestions(&query, &names, 5), vec!["X".repeat(65_000)]);
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
