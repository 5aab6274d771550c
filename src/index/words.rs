//! Words as rapport compares them: split on anything that is not a letter
//! or digit, lower-cased, accents folded (`Zoë` → `zoe`, `Ferrà` →
//! `ferra`). The search index uses the same analyzer for its text fields,
//! so a name typed on the command line and a word searched for match alike.
//!
//! The rule is tantivy's chain `SimpleTokenizer` → `RemoveLongFilter(40)` →
//! `LowerCaser` → `AsciiFoldingFilter`. [`WordTokenizer`] gives exactly its
//! tokens; for a text whose letters and digits are all ASCII (most of a
//! vault: 7 % of a full index went to the chain) it finds every word's start
//! and end sixteen bytes a step and lower-cases the text whole, where the
//! chain decodes every character and looks at every token three more
//! times. Other characters may be in such a text as long
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
    /// Where the current text's words start and end (kept for the next
    /// text, so that it is not allocated again).
    spans: Vec<(usize, usize)>,
    /// The current text lower-cased, whole (kept as `spans`).
    lower: String,
    /// The chain, for text with a letter or digit that is not ASCII.
    other: TextAnalyzer,
}

impl Default for WordTokenizer {
    fn default() -> Self {
        WordTokenizer {
            token: Token::default(),
            spans: Vec::new(),
            lower: String::new(),
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
        word_spans(text.as_bytes(), &mut self.spans);
        // Lower-cased in one pass, not word by word (a third of the
        // tokenizer's instructions): a lower-cased ASCII letter or digit
        // has the same place, and other bytes are left as they are.
        self.lower.clear();
        self.lower.push_str(text);
        self.lower.make_ascii_lowercase();
        WordStream::Ascii {
            text: &self.lower,
            spans: self.spans.iter(),
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

/// Where the words of `bytes` (runs of ASCII letters and digits) start and
/// end, into `spans`. Sixteen bytes a step: one bit a byte for whether it
/// is a word's, and a word starts or ends wherever a bit differs from the
/// one before it. Looked for a byte at a time, word by word, the starts and
/// ends took about a twentieth of a full index's instructions.
fn word_spans(bytes: &[u8], spans: &mut Vec<(usize, usize)>) {
    spans.clear();
    let mut in_word = false;
    let mut start = 0;
    let mut base = 0;
    while base < bytes.len() {
        let (bits, n) = match bytes[base..].first_chunk::<16>() {
            Some(chunk) => (word_bits(chunk), 16),
            None => (word_bits_of(&bytes[base..]), bytes.len() - base),
        };
        // Bit i set: byte `base + i` is a word's and the one before is not,
        // or the other way round (before the first byte, `in_word` says).
        let mut changes = (bits ^ ((bits << 1) | u32::from(in_word))) & ((1 << n) - 1);
        while changes != 0 {
            let at = base + changes.trailing_zeros() as usize;
            changes &= changes - 1;
            if in_word {
                spans.push((start, at));
            } else {
                start = at;
            }
            in_word = !in_word;
        }
        base += n;
    }
    if in_word {
        spans.push((start, bytes.len()));
    }
}

/// One bit, low to high, for each byte of `chunk` that is an ASCII letter
/// or digit.
#[cfg(target_arch = "x86_64")]
fn word_bits(chunk: &[u8; 16]) -> u32 {
    // SAFETY: SSE2 is part of every x86-64 processor (the target's
    // baseline), the one requirement of `sse2_word_bits`.
    unsafe { sse2_word_bits(chunk) }
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "sse2")]
fn sse2_word_bits(chunk: &[u8; 16]) -> u32 {
    use std::arch::x86_64::{
        __m128i, _mm_cmpeq_epi8, _mm_loadu_si128, _mm_min_epu8, _mm_movemask_epi8, _mm_or_si128,
        _mm_set1_epi8, _mm_sub_epi8,
    };
    // SAFETY: an unaligned load of the sixteen bytes `chunk` borrows.
    let v = unsafe { _mm_loadu_si128(chunk.as_ptr().cast::<__m128i>()) };
    // `low..=low + span`, compared unsigned: `v - low` is its own minimum
    // with `span` only there.
    let within = |v: __m128i, low: u8, span: u8| {
        let d = _mm_sub_epi8(v, _mm_set1_epi8(low as i8));
        _mm_cmpeq_epi8(_mm_min_epu8(d, _mm_set1_epi8(span as i8)), d)
    };
    // Setting 0x20 makes a capital letter small and leaves a digit one.
    let small = _mm_or_si128(v, _mm_set1_epi8(0x20));
    let word = _mm_or_si128(within(small, b'a', 25), within(v, b'0', 9));
    _mm_movemask_epi8(word) as u32
}

#[cfg(not(target_arch = "x86_64"))]
fn word_bits(chunk: &[u8; 16]) -> u32 {
    word_bits_of(chunk)
}

/// [`word_bits`] for at most sixteen bytes, a byte at a time.
fn word_bits_of(bytes: &[u8]) -> u32 {
    bytes.iter().enumerate().fold(0u32, |m, (i, &b)| {
        m | (u32::from(WORD_BYTE[usize::from(b)]) << i)
    })
}

/// The tokens of one text.
pub enum WordStream<'a> {
    /// A text whose words are ASCII, its words found beforehand.
    Ascii {
        /// The text, lower-cased.
        text: &'a str,
        /// Where its words start and end, from the next one on.
        spans: std::slice::Iter<'a, (usize, usize)>,
        /// The current word.
        token: &'a mut Token,
    },
    /// Any other text, through the chain.
    Chain(BoxTokenStream<'a>),
}

impl TokenStream for WordStream<'_> {
    fn advance(&mut self) -> bool {
        let (text, spans, token) = match self {
            WordStream::Chain(stream) => return stream.advance(),
            WordStream::Ascii { text, spans, token } => (*text, spans, token),
        };
        for &(start, end) in spans {
            // A removed word still takes its position, as in the chain.
            token.position = token.position.wrapping_add(1);
            if end - start >= LONGEST {
                continue;
            }
            token.offset_from = start;
            token.offset_to = end;
            token.text.clear();
            // ASCII letters and digits: always whole characters (a word
            // ends at a byte that is not one, which starts a character
            // that separates words).
            token
                .text
                .push_str(text.get(start..end).unwrap_or_default());
            return true;
        }
        false
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
    fn words_are_found_across_every_step() {
        // Where words start and end, a byte at a time.
        fn slow(bytes: &[u8]) -> Vec<(usize, usize)> {
            let mut out = Vec::new();
            let mut i = 0;
            while i < bytes.len() {
                if bytes[i].is_ascii_alphanumeric() {
                    let start = i;
                    while i < bytes.len() && bytes[i].is_ascii_alphanumeric() {
                        i += 1;
                    }
                    out.push((start, i));
                } else {
                    i += 1;
                }
            }
            out
        }
        let mut spans = Vec::new();
        // A word of every length at every place around a step's end, in
        // texts of every length up to three steps.
        for len in 0..50 {
            for at in 0..len {
                for word in 1..=(len - at).min(20) {
                    for fill in [b' ', 0xc3, b'-', b'@', b'[', b'`', b'{', b'/', b':'] {
                        let mut bytes = vec![fill; len];
                        for (k, b) in bytes[at..at + word].iter_mut().enumerate() {
                            *b = b"aZ09mQ"[k % 6];
                        }
                        word_spans(&bytes, &mut spans);
                        assert_eq!(spans, slow(&bytes), "{bytes:?}");
                    }
                }
            }
        }
        // Random bytes, every value.
        let mut rng = crate::testrand::Rng(11);
        for _ in 0..3_000 {
            let bytes: Vec<u8> = (0..rng.below(70))
                .map(|_| match rng.below(3) {
                    0 => rng.below(256) as u8,
                    _ => b"aZ09 .-"[rng.below(7)],
                })
                .collect();
            word_spans(&bytes, &mut spans);
            assert_eq!(spans, slow(&bytes), "{bytes:?}");
        }
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
