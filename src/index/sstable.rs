//! A column's term dictionary read front to back in one tight loop.
//!
//! A profile's labels and tasks, and a checklist's, read most of the
//! terms of several dictionaries of a hundred thousand paths and texts.
//! tantivy's reader (`DeltaReader`, with `sorted_ords_to_term_cb` or a
//! stream) spends about 130 instructions on each term it passes: each
//! block is copied out of the file first, every length goes through a
//! general varint reader, and each term is copied once more by its caller.
//! This reader walks the mapped bytes as they are, at about 55 (valgrind,
//! `person` on the 100,000-meeting vault). It reads every block, so it is
//! only used where a term is wanted in most blocks; with a few terms
//! wanted, tantivy's block index skips to them instead.
//!
//! The format is tantivy-sstable 0.27's (`delta.rs`, `block_reader.rs`,
//! `dictionary.rs`), for the dictionaries of string and bytes columns,
//! which carry no values: blocks, each a 32-bit little-endian length plus
//! one, a compression byte (0: none; rapport builds tantivy without zstd)
//! and its terms; then a block of length zero. A term is a header byte
//! (the length kept from the term before in its low four bits, the length
//! added in its high four; the byte 1 means both follow as varints) and
//! the bytes added; a block's first term keeps nothing. Tests hold every
//! term equal to tantivy's own reading, so a change of format in a new
//! tantivy fails them. Every length is checked against its block: a
//! damaged dictionary is an error, never a read past the bytes or a panic.

use std::io;

use tantivy::HasLen;
use tantivy::columnar::Dictionary;

/// The byte that says a term's two lengths follow as varints.
const VINT_MODE: u8 = 1;

/// A dictionary's terms in order: [`Scan::step`] moves on, [`Scan::term`]
/// is the term it is at.
struct Scan {
    bytes: tantivy::directory::OwnedBytes,
    /// Where the next term (or block) starts.
    pos: usize,
    /// Where the current block ends.
    end: usize,
    /// The current term is `key[..len]`. The key is longer than any term
    /// of the block by [`SPARE`] bytes, so that a short suffix is copied
    /// as one fixed-size move instead of a call to `memcpy`.
    key: Vec<u8>,
    len: usize,
}

/// Room past a term's end in [`Scan::key`]; a suffix no longer than this
/// (or than 16 bytes) is copied as that many bytes, with whatever follows
/// it (overwritten by the terms after it). A path's suffix is mostly
/// longer than 16 bytes, a title's and a task's shorter than 64.
const SPARE: usize = 64;

fn damaged(what: &str) -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidData,
        format!("damaged term dictionary: {what}"),
    )
}

impl Scan {
    fn new(dict: &Dictionary) -> io::Result<Scan> {
        Ok(Scan {
            bytes: dict.sstable_slice.read_bytes()?,
            pos: 0,
            end: 0,
            key: Vec::new(),
            len: 0,
        })
    }

    /// The term the scan is at (empty before the first [`Scan::step`]).
    #[inline]
    fn term(&self) -> &[u8] {
        &self.key[..self.len]
    }

    /// Moves `skip + 1` terms on: to the next term when `skip` is 0. False
    /// when the terms end first.
    fn step(&mut self, mut skip: u64) -> io::Result<bool> {
        loop {
            if self.pos >= self.end && !self.next_block()? {
                return Ok(false);
            }
            // The block's bytes and those after it: a short suffix is
            // copied with what follows it, but is never read past `end`.
            let data = self.bytes.as_slice();
            let block = &data[..self.end];
            let key = self.key.as_mut_slice();
            let (mut pos, mut len) = (self.pos, self.len);
            while pos < block.len() {
                let head = block[pos];
                pos += 1;
                let (keep, add) = if head != VINT_MODE {
                    (usize::from(head & 0b1111), usize::from(head >> 4))
                } else if let Some(&[k, a]) = block.get(pos..pos + 2)
                    && k < 0x80
                    && a < 0x80
                {
                    // Both lengths below 128, as nearly always.
                    pos += 2;
                    (usize::from(k), usize::from(a))
                } else {
                    let keep = varint(block, &mut pos)?;
                    (keep, varint(block, &mut pos)?)
                };
                // A term's bytes all come from its block (a block's first
                // keeps none), so `keep + add` is within the key, which is
                // longer than the block by SPARE.
                if keep > len || add > block.len() - pos {
                    return Err(damaged("a term runs past its block"));
                }
                if add <= 16 && pos + 16 <= data.len() {
                    key[keep..keep + 16].copy_from_slice(&data[pos..pos + 16]);
                } else if add <= SPARE && pos + SPARE <= data.len() {
                    key[keep..keep + SPARE].copy_from_slice(&data[pos..pos + SPARE]);
                } else {
                    key[keep..keep + add].copy_from_slice(&block[pos..pos + add]);
                }
                pos += add;
                len = keep + add;
                if skip == 0 {
                    (self.pos, self.len) = (pos, len);
                    return Ok(true);
                }
                skip -= 1;
            }
            (self.pos, self.len) = (pos, len);
        }
    }

    /// Moves to the next block; false at the end marker (or the end of the
    /// bytes).
    #[cold]
    fn next_block(&mut self) -> io::Result<bool> {
        let data = self.bytes.as_slice();
        // The last block's terms are all read: it ends here.
        let pos = self.pos;
        let Some(head) = data.get(pos..pos + 4) else {
            return if pos == data.len() {
                Ok(false)
            } else {
                Err(damaged("a block length is cut short"))
            };
        };
        let len = u32::from_le_bytes([head[0], head[1], head[2], head[3]]) as usize;
        if len <= 1 {
            return Ok(false);
        }
        // The length counts the compression byte.
        let start = pos + 5;
        let end = start - 1 + len;
        if end > data.len() {
            return Err(damaged("a block runs past the end"));
        }
        if data[pos + 4] != 0 {
            return Err(damaged("a compressed block"));
        }
        let room = end - start + SPARE;
        if self.key.len() < room {
            self.key.resize(room, 0);
        }
        self.pos = start;
        self.end = end;
        // A block's first term keeps nothing from the block before.
        self.len = 0;
        Ok(true)
    }
}

/// A varint (seven bits a byte, low first) at `*pos` in `block`.
fn varint(block: &[u8], pos: &mut usize) -> io::Result<usize> {
    let mut value = 0u64;
    for shift in (0..64).step_by(7) {
        let Some(&b) = block.get(*pos) else {
            break;
        };
        *pos += 1;
        value |= u64::from(b & 0x7f) << shift;
        if b < 0x80 {
            return usize::try_from(value).map_err(|_| damaged("a length too large"));
        }
    }
    Err(damaged("a length is cut short"))
}

/// True when reading the whole dictionary costs less than looking up
/// `wanted` terms through its block index: each lookup decodes half a
/// block on average, at several times the cost of this reader a term.
pub(super) fn worth_scanning(dict: &Dictionary, wanted: usize) -> bool {
    // Blocks close once past 4,000 bytes.
    let blocks = (dict.sstable_slice.len() / 4_000).max(1);
    wanted.saturating_mul(3) >= blocks
}

/// Calls `f` with every term of the dictionary, in order.
pub(super) fn each(dict: &Dictionary, mut f: impl FnMut(&[u8])) -> io::Result<()> {
    let mut scan = Scan::new(dict)?;
    while scan.step(0)? {
        f(scan.term());
    }
    Ok(())
}

/// Calls `f` with the term of each of the sorted `ords` (repeats allowed),
/// in order; the number of ordinals found (fewer when the dictionary is
/// shorter than they say).
pub(super) fn sorted_ords(
    dict: &Dictionary,
    ords: &[u64],
    mut f: impl FnMut(&[u8]),
) -> io::Result<usize> {
    let mut scan = Scan::new(dict)?;
    // The ordinal of the next term the scan would step to.
    let mut next = 0u64;
    let mut found = 0;
    let mut wanted = ords.iter().copied().peekable();
    while let Some(&ord) = wanted.peek() {
        let skip = ord
            .checked_sub(next)
            .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "ordinals out of order"))?;
        if !scan.step(skip)? {
            break;
        }
        next = ord + 1;
        while wanted.next_if_eq(&ord).is_some() {
            f(scan.term());
            found += 1;
        }
    }
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dictionary(terms: &[Vec<u8>]) -> Dictionary {
        let mut builder = <Dictionary>::builder(Vec::new()).unwrap();
        for t in terms {
            builder.insert(t, &()).unwrap();
        }
        bytes_dictionary(builder.finish().unwrap()).unwrap()
    }

    fn bytes_dictionary(bytes: Vec<u8>) -> io::Result<Dictionary> {
        Dictionary::from_bytes(tantivy::directory::OwnedBytes::new(bytes))
    }

    /// Sorted distinct terms of many lengths (past the 15 a header byte
    /// holds, past a one-byte varint's 127), sharing prefixes as paths do.
    fn terms(n: usize, seed: u64) -> Vec<Vec<u8>> {
        let mut rng = crate::testrand::Rng(seed);
        let mut out: Vec<Vec<u8>> = (0..n)
            .map(|i| {
                let r = rng.next_u64();
                let mut t = match r % 4 {
                    0 => format!("meetings/2024-{:02}/", r % 12).into_bytes(),
                    1 => vec![b'x'; (r % 300) as usize],
                    2 => "é".repeat((r % 9) as usize).into_bytes(),
                    _ => Vec::new(),
                };
                t.extend(format!("{i}-{}", r % 1000).bytes());
                t
            })
            .collect();
        out.push(Vec::new());
        out.sort();
        out.dedup();
        out
    }

    fn all(dict: &Dictionary) -> io::Result<Vec<Vec<u8>>> {
        let mut scan = Scan::new(dict)?;
        let mut out = Vec::new();
        while scan.step(0)? {
            out.push(scan.term().to_vec());
        }
        Ok(out)
    }

    #[test]
    fn every_term_is_read_as_tantivy_reads_it() {
        for (n, seed) in [(0, 1), (1, 2), (5, 3), (3_000, 4), (20_000, 5)] {
            let terms = terms(n, seed);
            let dict = dictionary(&terms);
            assert_eq!(all(&dict).unwrap(), terms, "{n} terms");
            let mut theirs = Vec::new();
            let mut stream = dict.stream().unwrap();
            while stream.advance() {
                theirs.push(stream.key().to_vec());
            }
            assert_eq!(theirs, terms);
        }
    }

    #[test]
    fn sorted_ordinals_give_their_terms_repeats_and_all() {
        let terms = terms(20_000, 7);
        let dict = dictionary(&terms);
        let n = terms.len() as u64;
        for step in [1, 2, 97, 1_000, 30_000] {
            let mut ords: Vec<u64> = (0..n).step_by(step).collect();
            // Repeats, and ordinals past the end (a damaged column's).
            ords.extend([0, 0, n - 1, n - 1, n, n + 5]);
            ords.sort_unstable();
            let mut ours = Vec::new();
            let found = sorted_ords(&dict, &ords, |t| ours.push(t.to_vec())).unwrap();
            let mut theirs = Vec::new();
            dict.sorted_ords_to_term_cb(&ords, |t| theirs.push(t.to_vec()))
                .unwrap();
            assert_eq!(ours, theirs, "every {step}th");
            assert_eq!(found, ords.len() - 2);
            let want: Vec<Vec<u8>> = ords
                .iter()
                .filter(|o| **o < n)
                .map(|o| terms[*o as usize].clone())
                .collect();
            assert_eq!(ours, want);
        }
        assert_eq!(sorted_ords(&dict, &[], |_| panic!()).unwrap(), 0);
    }

    #[test]
    fn a_damaged_dictionary_is_an_error_not_a_panic() {
        let terms = terms(800, 9);
        let mut bytes = {
            let mut builder = <Dictionary>::builder(Vec::new()).unwrap();
            for t in &terms {
                builder.insert(t, &()).unwrap();
            }
            builder.finish().unwrap()
        };
        let good = bytes_dictionary(bytes.clone()).unwrap();
        let slice = good.sstable_slice.len();
        let mut errors = 0;
        // Every byte of the blocks in turn set to values that break a
        // length, a header or the compression byte.
        for at in (0..slice).step_by(3) {
            for value in [0x00, 0x01, 0x7f, 0xff] {
                let old = bytes[at];
                bytes[at] = value;
                if let Ok(dict) = bytes_dictionary(bytes.clone()) {
                    match all(&dict) {
                        Ok(read) => assert!(read.len() <= terms.len() + slice),
                        Err(e) => {
                            assert_eq!(e.kind(), io::ErrorKind::InvalidData);
                            errors += 1;
                        }
                    }
                }
                bytes[at] = old;
            }
        }
        assert!(errors > 0, "no damage was noticed");
        // Cut short anywhere.
        for cut in (0..slice).step_by(5) {
            let mut dict = bytes_dictionary(bytes.clone()).unwrap();
            dict.sstable_slice = dict.sstable_slice.slice(0..cut);
            assert!(all(&dict).map(|r| r.len() <= terms.len()).unwrap_or(true));
        }
    }

    /// A block's compression byte and its bytes.
    type Block<'a> = (u8, &'a [u8]);

    /// A dictionary whose blocks are `blocks` (each its length, a
    /// compression byte and its bytes as given), then the end marker.
    fn handmade(blocks: &[Block]) -> Dictionary {
        let mut bytes = Vec::new();
        for (compressed, body) in blocks {
            bytes.extend((body.len() as u32 + 1).to_le_bytes());
            bytes.push(*compressed);
            bytes.extend(*body);
        }
        bytes.extend(0u32.to_le_bytes());
        let mut dict = dictionary(&[]);
        dict.sstable_slice = tantivy::directory::FileSlice::from(bytes);
        dict
    }

    #[test]
    fn each_kind_of_damage_is_named() {
        let read = |blocks: &[Block]| all(&handmade(blocks));
        // Well formed: a short form, a varint form, a second block.
        let good = read(&[(0, b"\x20ab\x01\x01\x02cd"), (0, b"\x10z")]).unwrap();
        assert_eq!(good, [b"ab".to_vec(), b"acd".to_vec(), b"z".to_vec()]);
        // A long varint form: keep 0, add 200.
        let mut long = vec![1, 0, 0xc8, 0x01];
        long.extend([b'q'; 200]);
        assert_eq!(read(&[(0, &long)]).unwrap(), [vec![b'q'; 200]]);
        let damage: [(&str, &[Block]); 5] = [
            // A block's first term keeping bytes of the block before.
            ("past its block", &[(0, b"\x20ab"), (0, b"\x11z")]),
            // A suffix longer than what is left of the block.
            ("past its block", &[(0, b"\x50ab")]),
            // Lengths cut off by the block's end.
            ("cut short", &[(0, b"\x01\x80")]),
            // A varint of more than 64 bits.
            (
                "cut short",
                &[(
                    0,
                    &[
                        1, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 1,
                    ],
                )],
            ),
            ("compressed", &[(1, b"\x20ab")]),
        ];
        for (what, blocks) in damage {
            let e = read(blocks).unwrap_err();
            assert_eq!(e.kind(), io::ErrorKind::InvalidData);
            assert!(e.to_string().contains(what), "{e} for {blocks:?}");
        }
        // A block that says it runs past the bytes.
        let mut dict = handmade(&[(0, b"\x20ab")]);
        dict.sstable_slice = dict.sstable_slice.slice(0..6);
        assert!(all(&dict).unwrap_err().to_string().contains("past the end"));
    }
}
