//! Words as rapport compares them: split on anything that is not a letter
//! or digit, lower-cased, accents folded (`Zoë` → `zoe`, `Ferrà` →
//! `ferra`). The search index uses the same analyzer for its text fields,
//! so a name typed on the command line and a word searched for match alike.
//!
//! The rule is tantivy's chain `SimpleTokenizer` → `RemoveLongFilter(40)` →
//! `LowerCaser` → `AsciiFoldingFilter`. [`WordTokenizer`] gives exactly its
//! tokens; for a text whose letters and digits are all ASCII (most of a
//! vault: 7 % of a full index went to the chain) it does so in one pass over
//! the bytes, where the chain decodes every character and looks at every
//! token three more times. Other characters may be in such a text as long
//! as they separate words (emoji such as the tasks' 📅, dashes, quotes, no-
//! break spaces): none of their bytes is an ASCII letter or digit, so the
//! pass splits on them as the chain does. Any other text goes through the
//! chain itself: done word by word, the chain's per-word set-up made text
//! in other scripts a third slower.

use tantivy::tokenizer::{
    AsciiFoldingFilter, BoxTokenStream, LowerCaser, RemoveLongFilter, SimpleTokenizer,
    TextAnalyzer, Token, TokenStream, Tokenizer,
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

/// tantivy's chain, with a one-pass path for text whose words are ASCII
/// (see the module comment).
#[derive(Clone)]
pub struct WordTokenizer {
    token: Token,
    /// The chain, for text with a letter or digit that is not ASCII.
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
        if !words_are_ascii(text) {
            return WordStream::Chain(self.other.token_stream(text));
        }
        self.token.reset();
        WordStream::Ascii {
            text,
            at: 0,
            token: &mut self.token,
        }
    }
}

/// True when every letter and digit of `text` is ASCII: its other
/// characters only separate words.
fn words_are_ascii(text: &str) -> bool {
    if text.is_ascii() {
        return true;
    }
    let bytes = text.as_bytes();
    let mut at = 0;
    // A byte that is not ASCII, found after ASCII ones or a whole
    // character, starts a character.
    while let Some(i) = bytes[at..].iter().position(|b| !b.is_ascii()) {
        let Some(c) = text.get(at + i..).and_then(|t| t.chars().next()) else {
            return false;
        };
        if c.is_alphanumeric() {
            return false;
        }
        at += i + c.len_utf8();
    }
    true
}

/// The bytes that are ASCII letters and digits.
static WORD_BYTE: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        table[b] = (b as u8).is_ascii_alphanumeric();
        b += 1;
    }
    table
};

/// The tokens of one text.
pub enum WordStream<'a> {
    /// A text whose words are ASCII, read byte by byte.
    Ascii {
        /// The text.
        text: &'a str,
        /// Where the next word is looked for.
        at: usize,
        /// The current word.
        token: &'a mut Token,
    },
    /// Any other text, through the chain.
    Chain(BoxTokenStream<'a>),
}

impl TokenStream for WordStream<'_> {
    fn advance(&mut self) -> bool {
        let (text, at, token) = match self {
            WordStream::Chain(stream) => return stream.advance(),
            WordStream::Ascii { text, at, token } => (*text, at, token),
        };
        let bytes = text.as_bytes();
        let mut i = *at;
        loop {
            // A table lookup a byte: the tests for a letter or digit, and
            // the iterators around them, took a sixth of a full index's
            // instructions.
            while i < bytes.len() && !WORD_BYTE[usize::from(bytes[i])] {
                i += 1;
            }
            if i == bytes.len() {
                *at = i;
                return false;
            }
            let start = i;
            while i < bytes.len() && WORD_BYTE[usize::from(bytes[i])] {
                i += 1;
            }
            let end = i;
            // A removed word still takes its position, as in the chain.
            token.position = token.position.wrapping_add(1);
            if end - start >= LONGEST {
                continue;
            }
            *at = end;
            token.offset_from = start;
            token.offset_to = end;
            token.text.clear();
            // ASCII letters and digits: always whole characters (a word
            // ends at a byte that is not one, which starts a character
            // that separates words).
            token
                .text
                .push_str(text.get(start..end).unwrap_or_default());
            token.text.make_ascii_lowercase();
            return true;
        }
    }

    fn token(&self) -> &Token {
        match self {
            WordStream::Ascii { token, .. } => token,
            WordStream::Chain(stream) => stream.token(),
        }
    }

    fn token_mut(&mut self) -> &mut Token {
        match self {
            WordStream::Ascii { token, .. } => token,
            WordStream::Chain(stream) => stream.token_mut(),
        }
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
        const ASCII: &[&str] = &[
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
            "aaaaaaaaaa",
            "0123456789",
            "Tom's",
            "x.y",
        ];
        const OTHER: &[&str] = &[
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
            "ÉÉÉÉÉ",
        ];
        let mut rng = crate::testrand::Rng(0x2545_f491_4f6c_dd1d);
        let mut next = |n: usize| rng.below(n);
        // Characters that are not ASCII and separate words (not letters or
        // digits): the one-pass path splits on them.
        const SEPARATORS: &[&str] = &[
            "📅", "\u{fe0f}", "\u{a0}", "—", "“", "”", "…", "\u{301}", "\u{200d}", "€",
        ];
        let all: Vec<&str> = ASCII.iter().chain(OTHER).copied().collect();
        let spaced: Vec<&str> = ASCII.iter().chain(SEPARATORS).copied().collect();
        let mut words = [0; 3];
        for i in 0..30_000 {
            // A third of the texts all ASCII, a third with other
            // separators (both the one-pass path), a third with any
            // character (handed to the chain whole when a letter or digit
            // is not ASCII).
            let pieces: &[&str] = match i % 3 {
                0 => ASCII,
                1 => &spaced,
                _ => &all,
            };
            let mut text = String::new();
            for _ in 0..next(30) {
                text.push_str(pieces[next(pieces.len())]);
            }
            let fused = tokens(analyzer(), &text);
            assert_eq!(fused, tokens(chain(), &text), "{text:?}");
            let kind = if text.is_ascii() {
                0
            } else if words_are_ascii(&text) {
                1
            } else {
                2
            };
            words[kind] += fused.len();
        }
        assert!(words.iter().all(|n| *n > 10_000), "{words:?}");
        // Just under, at and over the limit, in ASCII and not.
        for text in [
            "a".repeat(39),
            "a".repeat(40),
            "a".repeat(41),
            format!("{}é", "a".repeat(37)),
            format!("{}é", "a".repeat(38)),
            format!("x {} y", "é".repeat(20)),
            format!("{}📅", "a".repeat(40)),
            format!("📅{}📅b", "a".repeat(39)),
        ] {
            assert_eq!(
                tokens(analyzer(), &text),
                tokens(chain(), &text),
                "{text:?}"
            );
        }
    }
}
