//! Words as rapport compares them: split on anything that is not a letter
//! or digit, lower-cased, accents folded (`Zoë` → `zoe`, `Ferrà` →
//! `ferra`). The search index uses the same analyzer for its text fields,
//! so a name typed on the command line and a word searched for match alike.

use tantivy::tokenizer::{
    AsciiFoldingFilter, LowerCaser, RemoveLongFilter, SimpleTokenizer, TextAnalyzer,
};

/// Name of the text analyzer registered with the index.
pub const TEXT: &str = "rapport_text";

/// The analyzer behind [`words`] and the index's text fields.
pub fn analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .build()
}

thread_local! {
    static ANALYZER: std::cell::RefCell<TextAnalyzer> = std::cell::RefCell::new(analyzer());
}

/// The words of `text`, in order, lower-cased with accents folded.
///
/// ```
/// assert_eq!(rapport::index::words::words("Zoë Ferrà-Smith"), ["zoe", "ferra", "smith"]);
/// ```
pub fn words(text: &str) -> Vec<String> {
    ANALYZER.with(|a| {
        let mut a = a.borrow_mut();
        let mut stream = a.token_stream(text);
        let mut out = Vec::new();
        while stream.advance() {
            out.push(stream.token().text.clone());
        }
        out
    })
}

/// True when every word of `typed` is a whole word or the start of a word
/// of `candidate`, in order (`ada` and `ada love` match "Ada Lovelace";
/// `lovelace ada` does not).
pub fn prefix_match(typed: &[String], candidate: &[String]) -> bool {
    if typed.is_empty() {
        return false;
    }
    let mut rest = candidate.iter();
    typed
        .iter()
        .all(|t| rest.by_ref().any(|c| c.starts_with(t.as_str())))
}

/// True when every word of `typed` is a whole word of `candidate`, in any
/// order.
pub fn all_words_in(typed: &[String], candidate: &[String]) -> bool {
    !typed.is_empty() && typed.iter().all(|t| candidate.contains(t))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(s: &str) -> Vec<String> {
        words(s)
    }

    #[test]
    fn words_fold_case_and_accents() {
        assert_eq!(w("Zoë O'Brien"), ["zoe", "o", "brien"]);
        assert_eq!(w("Kenji's"), ["kenji", "s"]);
        assert!(prefix_match(&w("ferra"), &w("Marta Ferrà")));
        assert!(prefix_match(&w("ada love"), &w("Ada Lovelace")));
        assert!(!prefix_match(&w("lovelace ada"), &w("Ada Lovelace")));
        assert!(!prefix_match(&w("ovelace"), &w("Ada Lovelace")));
        assert!(!prefix_match(&w(""), &w("Ada Lovelace")));
        assert!(all_words_in(&w("atlas"), &w("Project Atlas")));
        assert!(!all_words_in(&w("atlass"), &w("Project Atlas")));
    }
}
