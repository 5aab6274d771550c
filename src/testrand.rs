//! A small deterministic generator (xorshift) for the tests that try many
//! generated inputs: no crate needed, and every run checks the same ones.

/// The generator; its number is the state (any but 0).
pub(crate) struct Rng(pub(crate) u64);

impl Rng {
    /// The next number.
    pub(crate) fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    /// The next number below `n` (which must not be 0).
    pub(crate) fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    /// One of `items`, at random.
    pub(crate) fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }

    /// A piece from the ordinary list (`lists[0]`) five times in six, else
    /// from the tricky one, so that many generated texts are plain enough
    /// to be answered and the tricky pieces are tried inside them.
    pub(crate) fn piece<'a>(&mut self, lists: [&[&'a str]; 2]) -> &'a str {
        let list = lists[usize::from(self.below(6) == 0)];
        self.pick(list)
    }
}
