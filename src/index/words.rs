//! Words as rapport compares them: split on anything that is not a letter
//! or digit, lower-cased, accents folded (`Zoë` → `zoe`, `Ferrà` →
//! `ferra`). The search index uses the same analyzer for its text fields,
//! so a name typed on the command line and a word searched for match alike.
//!
//! The rule is tantivy's chain `SimpleTokenizer` → `RemoveLongFilter(40)` →
//! `LowerCaser` → `AsciiFoldingFilter`. [`WordTokenizer`] gives exactly its
//! tokens in one pass over the bytes: the chain decodes every character and
//! looks at every token three more times, which was 7 % of a full index for
//! text that is almost all ASCII. A word with other characters still goes
//! through the chain, so folding stays tantivy's.

use tantivy::tokenizer::{
    AsciiFoldingFilter, LowerCaser, RemoveLongFilter, SimpleTokenizer, TextAnalyzer, Token,
    TokenStream, Tokenizer,
};

/// Name of the text analyzer registered with the index.
pub const TEXT: &str = "rapport_text";

/// Words of this many bytes or more are left out (tantivy's filter limit).
const LONGEST: usize = 40;

/// The analyzer behind [`words`] and the index's text fields.
pub fn analyzer() -> TextAnalyzer {
    TextAnalyzer::from(WordTokenizer::default())
}

/// The chain [`WordTokenizer`] stands for.
fn chain() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(LONGEST))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .build()
}

/// tantivy's simple tokenizer with long words removed, lower-cased and
/// folded, in one pass (see the module comment).
#[derive(Clone)]
pub struct WordTokenizer {
    token: Token,
    /// The chain, for words that are not plain ASCII.
    other: TextAnalyzer,
}

impl Default for WordTokenizer {
    fn default() -> Self {
        WordTokenizer {
            token: Token::default(),
            other: chain(),
        }
    }
}

impl Tokenizer for WordTokenizer {
    type TokenStream<'a> = WordStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> WordStream<'a> {
        self.token.reset();
        WordStream {
            text,
            at: 0,
            token: &mut self.token,
            other: &mut self.other,
        }
    }
}

/// The tokens of one text.
pub struct WordStream<'a> {
    text: &'a str,
    at: usize,
    token: &'a mut Token,
    other: &'a mut TextAnalyzer,
}

impl WordStream<'_> {
    /// The next run of letters and digits from `self.at`: its byte range
    /// and whether it is all ASCII.
    fn next_word(&mut self) -> Option<(usize, usize, bool)> {
        let bytes = self.text.as_bytes();
        let mut i = self.at;
        let start = loop {
            let b = *bytes.get(i)?;
            if b.is_ascii() {
                if b.is_ascii_alphanumeric() {
                    break i;
                }
                i += 1;
            } else {
                let c = self.text[i..].chars().next()?;
                if c.is_alphanumeric() {
                    break i;
                }
                i += c.len_utf8();
            }
        };
        let mut ascii = true;
        let mut end = start;
        while let Some(&b) = bytes.get(end) {
            if b.is_ascii() {
                if !b.is_ascii_alphanumeric() {
                    break;
                }
                end += 1;
            } else {
                match self.text[end..].chars().next() {
                    Some(c) if c.is_alphanumeric() => {
                        ascii = false;
                        end += c.len_utf8();
                    }
                    _ => break,
                }
            }
        }
        Some((start, end, ascii))
    }
}

impl TokenStream for WordStream<'_> {
    fn advance(&mut self) -> bool {
        loop {
            let Some((start, end, ascii)) = self.next_word() else {
                self.at = self.text.len();
                return false;
            };
            self.at = end;
            // A removed word still takes its position, as in the chain.
            self.token.position = self.token.position.wrapping_add(1);
            if end - start >= LONGEST {
                continue;
            }
            let word = &self.text[start..end];
            self.token.offset_from = start;
            self.token.offset_to = end;
            self.token.text.clear();
            if ascii {
                self.token.text.push_str(word);
                self.token.text.make_ascii_lowercase();
            } else {
                // One word in, one word out: the chain lower-cases and folds.
                let mut stream = self.other.token_stream(word);
                if stream.advance() {
                    self.token.text.push_str(&stream.token().text);
                }
            }
            return true;
        }
    }

    fn token(&self) -> &Token {
        self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        self.token
    }
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

    /// Every token a text gives, with its place.
    fn tokens(mut a: TextAnalyzer, text: &str) -> Vec<(String, usize, usize, usize, usize)> {
        let mut stream = a.token_stream(text);
        let mut out = Vec::new();
        while stream.advance() {
            let t = stream.token();
            out.push((
                t.text.clone(),
                t.position,
                t.offset_from,
                t.offset_to,
                t.position_length,
            ));
        }
        out
    }

    #[test]
    fn the_one_pass_tokenizer_gives_the_chains_tokens() {
        // Letters, digits and separators in and out of ASCII: accents that
        // fold, letters that lower-case to two (İ), titlecase (ǅ), final
        // sigma, CJK, Arabic-Indic digits, combining marks (not letters),
        // emoji, controls, and runs long enough to meet the 40-byte limit.
        const PIECES: &[&str] = &[
            "a",
            "Z",
            "7",
            " ",
            ",",
            "-",
            "_",
            "'",
            "\n",
            "\u{0}",
            "é",
            "Ë",
            "ß",
            "İ",
            "ǅ",
            "Σ",
            "ς",
            "中",
            "٣",
            "\u{301}",
            "😀",
            "Æ",
            "ﬁ",
            "Ω",
            "ⅷ",
            "x\u{200d}y",
            "aaaaaaaaaa",
            "ÉÉÉÉÉ",
            "0123456789",
        ];
        let mut seed = 0x2545_f491_4f6c_dd1d_u64;
        let mut next = |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n as u64) as usize
        };
        let mut non_ascii_words = 0;
        for _ in 0..20_000 {
            let mut text = String::new();
            for _ in 0..next(30) {
                text.push_str(PIECES[next(PIECES.len())]);
            }
            let fused = tokens(analyzer(), &text);
            assert_eq!(fused, tokens(chain(), &text), "{text:?}");
            non_ascii_words += fused.iter().filter(|t| !text[t.2..t.3].is_ascii()).count();
        }
        assert!(non_ascii_words > 1000, "{non_ascii_words}");
        // Just under, at and over the limit, in ASCII and not.
        for text in [
            "a".repeat(39),
            "a".repeat(40),
            "a".repeat(41),
            format!("{}é", "a".repeat(37)),
            format!("{}é", "a".repeat(38)),
            format!("x {} y", "é".repeat(20)),
        ] {
            assert_eq!(
                tokens(analyzer(), &text),
                tokens(chain(), &text),
                "{text:?}"
            );
        }
    }
}
