//! Snippets that never cut a wikilink in half.
//!
//! tantivy cuts a fragment of about 160 characters around the matches,
//! counting characters, not markup; a fragment ending in `[[Emergence`
//! (shown as `[[**Emergence**`) reads as broken. [`whole_links`] moves the
//! fragment's ends so that each wikilink in it is whole: it takes in the
//! rest of a link cut near the edge (on the same line), or drops a link
//! that would take too much.

use std::ops::Range;

/// How far past the fragment's edge to look for the rest of a link.
const REACH: usize = 120;

/// The fragment `fragment` of `body` (with `highlights`, byte ranges in the
/// fragment), moved so that it neither starts nor ends inside a wikilink.
/// A fragment that is not a slice of `body` is returned as it is.
pub(crate) fn whole_links(
    body: &str,
    fragment: &str,
    highlights: &[Range<usize>],
) -> (String, Vec<Range<usize>>) {
    let unchanged = || (fragment.to_string(), highlights.to_vec());
    let Some(offset) = body.find(fragment) else {
        return unchanged();
    };
    let (mut start, mut end) = (offset, offset + fragment.len());
    let line_start = body[..start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = body[end..].find('\n').map_or(body.len(), |i| end + i);

    // The end: an opening `[[` with no `]]` after it inside the fragment
    // (or a lone `[` at the very end, the first half of one).
    let piece = &body[start..end];
    if let Some(open) = piece.rfind("[[")
        && !piece[open..].contains("]]")
    {
        let open = start + open;
        let limit = body.floor_char_boundary((end + REACH).min(line_end));
        // From the last character: the fragment may end on half of `]]`.
        let from = body
            .floor_char_boundary(end.saturating_sub(1))
            .max(open + 2);
        match body[from..limit.max(from)].find("]]") {
            Some(close) => end = from + close + 2,
            None => end = open,
        }
    } else if piece.ends_with('[') {
        end -= 1;
    }

    // The start: a `]]` with no `[[` before it inside the fragment.
    let piece = &body[start..end];
    if let Some(close) = piece.find("]]")
        && !piece[..close].contains("[[")
    {
        let from = body.ceil_char_boundary(start.saturating_sub(REACH).max(line_start));
        match body[from..start + close].rfind("[[") {
            Some(open) => start = from + open,
            None => start += close + 2,
        }
    } else if piece.starts_with(']') {
        start += 1;
    }
    if start >= end {
        return unchanged();
    }
    let moved: Vec<Range<usize>> = highlights
        .iter()
        .map(|r| (r.start + offset, r.end + offset))
        .filter(|(s, e)| *s >= start && *e <= end)
        .map(|(s, e)| s - start..e - start)
        .collect();
    (body[start..end].to_string(), moved)
}

#[cfg(test)]
mod tests {
    use super::whole_links;

    fn cut(body: &str, fragment: &str) -> String {
        let word = "Emergence";
        let hl: Vec<_> = fragment
            .match_indices(word)
            .map(|(i, _)| i..i + word.len())
            .collect();
        let (text, hl) = whole_links(body, fragment, &hl);
        for r in &hl {
            assert_eq!(&text[r.clone()], word);
        }
        text
    }

    #[test]
    fn a_link_cut_at_the_end_is_completed() {
        let body = "We talked about [[Emergence]] and more.";
        assert_eq!(
            cut(body, "We talked about [[Emergence"),
            "We talked about [[Emergence]]"
        );
        assert_eq!(
            cut(body, "We talked about [[Emerg"),
            "We talked about [[Emergence]]"
        );
        assert_eq!(cut(body, "We talked about ["), "We talked about ");
    }

    #[test]
    fn a_link_cut_at_the_start_is_completed() {
        let body = "See [[Emergence|the book]] on Emergence today.";
        assert_eq!(
            cut(body, "the book]] on Emergence today."),
            "[[Emergence|the book]] on Emergence today."
        );
    }

    #[test]
    fn a_link_too_long_or_on_another_line_is_dropped() {
        let body = format!("about Emergence [[{}]]", "x".repeat(300));
        assert_eq!(cut(&body, "about Emergence [[xxxx"), "about Emergence ");
        let body = "about Emergence [[broken\nlink]]";
        assert_eq!(cut(body, "about Emergence [[bro"), "about Emergence ");
    }

    #[test]
    fn whole_links_are_left_alone() {
        let body = "a [[Emergence]] b";
        assert_eq!(cut(body, "a [[Emergence]] b"), body);
        assert_eq!(cut(body, "nothing"), "nothing");
    }
}
