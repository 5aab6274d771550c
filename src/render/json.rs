//! JSON for programs: byte for byte what `serde_json`'s pretty printer
//! writes, with the long list of a large answer (a hundred thousand open
//! tasks, a person's five thousand meetings) written on two threads.
//!
//! The rest of a value is written by serde with that list empty, and the
//! list put in its place ([`with_lists`]); [`write_list`] writes each item
//! by hand ([`Object`]) as serde would within the list, in blocks that two
//! threads render and one writes in order. Tests hold the output equal to
//! serde's.

use std::io::Write;
use std::ops::Range;

use serde::Serialize;

/// Items one thread renders at a time.
const BLOCK: usize = 2048;

/// Writes one of the lists of [`with_lists`].
pub type ListWriter<'a> = Box<dyn FnOnce(&mut dyn Write) -> std::io::Result<()> + 'a>;

/// Writes `value` as `serde_json::to_writer_pretty` does, except the
/// first-level fields named in `lists` (in the order serde writes them),
/// which `value` holds as empty lists and each list's writer writes (see
/// [`write_list`]). `Ok(false)`, with nothing written, when `value` has no
/// such empty field.
pub fn with_lists<T: Serialize + ?Sized>(
    w: &mut dyn Write,
    value: &T,
    lists: Vec<(&str, ListWriter<'_>)>,
) -> std::io::Result<bool> {
    let text = serde_json::to_string_pretty(value)?;
    // Where each list goes: after a key of the first level (a string holds
    // no raw line break), found in order.
    let mut places = Vec::with_capacity(lists.len());
    let mut from = 0;
    for (key, list) in lists {
        let empty = format!("\n  {}: []", serde_json::to_string(key)?);
        let Some(at) = text.get(from..).and_then(|rest| rest.find(&empty)) else {
            return Ok(false);
        };
        let start = from + at + empty.len() - "[]".len();
        places.push((start, list));
        from = start + "[]".len();
    }
    let mut written = 0;
    for (start, list) in places {
        w.write_all(text.get(written..start).unwrap_or_default().as_bytes())?;
        list(w)?;
        written = start + "[]".len();
    }
    w.write_all(text.get(written..).unwrap_or_default().as_bytes())?;
    Ok(true)
}

/// Writes a list of `len` items at `depth` (0 for a list on its own, 1 for
/// a field of an object) as serde's pretty printer does, on two threads:
/// `render(i, out)` writes the `i`th, its separator and indentation first
/// ([`Object::item`]). `touch(range)` is called before a block of items is
/// rendered (to bring what they read into memory at once).
pub fn write_list(
    w: &mut dyn Write,
    len: usize,
    depth: usize,
    render: impl Fn(usize, &mut Vec<u8>) -> std::io::Result<()> + Sync,
    touch: impl Fn(Range<usize>) + Sync,
) -> std::io::Result<()> {
    if len == 0 {
        return w.write_all(b"[]");
    }
    let render = |block: usize| -> std::io::Result<Vec<u8>> {
        let range = block * BLOCK..len.min((block + 1) * BLOCK);
        touch(range.clone());
        let mut out = Vec::with_capacity(BLOCK * 256);
        for i in range {
            render(i, &mut out)?;
        }
        Ok(out)
    };
    let blocks = len.div_ceil(BLOCK);
    w.write_all(b"[")?;
    // This thread renders the even blocks and writes every block in order;
    // the other renders the odd ones a little ahead. A failed write drops
    // the receiver, which stops the other thread.
    std::thread::scope(|scope| -> std::io::Result<()> {
        let (tx, rx) = std::sync::mpsc::sync_channel(2);
        scope.spawn(move || {
            for block in (1..blocks).step_by(2) {
                let done = render(block);
                let failed = done.is_err();
                if tx.send(done).is_err() || failed {
                    return;
                }
            }
        });
        for block in 0..blocks {
            let text = if block % 2 == 0 {
                render(block)?
            } else {
                rx.recv().map_err(std::io::Error::other)??
            };
            w.write_all(&text)?;
        }
        Ok(())
    })?;
    new_line(w, true, depth)?;
    w.write_all(b"]")
}

/// An item of a list written by hand ([`by_hand`]): its fields, in the
/// order and form its `Serialize` writes them.
pub trait ByHand {
    /// Writes the fields into `o`.
    fn fields(&self, o: &mut Object);
}

/// The writer of a first-level list of `items` for [`with_lists`], each
/// item written by hand: what serde would write, without its machinery.
pub fn by_hand<T: ByHand + Sync>(items: &[T]) -> ListWriter<'_> {
    Box::new(move |w| {
        let render = |i: usize, out: &mut Vec<u8>| {
            match items.get(i) {
                Some(item) => {
                    let mut o = Object::item(out, 1, i);
                    item.fields(&mut o);
                    o.end();
                }
                None => null_item(out, 1, i),
            }
            Ok(())
        };
        write_list(w, items.len(), 1, render, |_| ())
    })
}

/// Appends `s` as a JSON string, escaped as `serde_json` escapes it: a
/// quote, a backslash and the control characters below U+0020, nothing
/// else. serde looks at a string byte by byte; this skips eight bytes at a
/// time while none of them needs escaping, which is nearly always (a large
/// checklist is tens of megabytes of such strings).
pub fn push_str(out: &mut Vec<u8>, s: &str) {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    // Exact for "some byte is": below 0x20, a quote, a backslash.
    let zero = |x: u64| x.wrapping_sub(ONES) & !x & HIGH;
    let flagged = |v: u64| {
        (v.wrapping_sub(ONES * 0x20) & !v & HIGH)
            | zero(v ^ (ONES * u64::from(b'"')))
            | zero(v ^ (ONES * u64::from(b'\\')))
            != 0
    };
    let bytes = s.as_bytes();
    out.reserve(bytes.len() + 2);
    out.push(b'"');
    let mut run = 0;
    let mut i = 0;
    let n = bytes.len();
    while i < n {
        // The next eight bytes; at the end, the last eight (some looked at
        // already), or the few there are with harmless bytes after them.
        let eight = match bytes
            .get(i..i + 8)
            .or_else(|| bytes.get(n.saturating_sub(8)..))
        {
            Some(b) if b.len() == 8 => <[u8; 8]>::try_from(b).unwrap_or([0; 8]),
            _ => {
                let mut pad = [b'a'; 8];
                pad[..n - i].copy_from_slice(&bytes[i..]);
                pad
            }
        };
        if !flagged(u64::from_le_bytes(eight)) {
            i = n.min(i + 8);
            continue;
        }
        let end = n.min(i + 8);
        while i < end {
            let b = bytes[i];
            let escape: &[u8] = match b {
                b'"' => b"\\\"",
                b'\\' => b"\\\\",
                b'\n' => b"\\n",
                b'\r' => b"\\r",
                b'\t' => b"\\t",
                0x08 => b"\\b",
                0x0c => b"\\f",
                0..0x20 => {
                    const HEX: &[u8; 16] = b"0123456789abcdef";
                    out.extend_from_slice(&bytes[run..i]);
                    out.extend_from_slice(b"\\u00");
                    out.push(HEX[usize::from(b >> 4)]);
                    out.push(HEX[usize::from(b & 0xf)]);
                    i += 1;
                    run = i;
                    continue;
                }
                _ => {
                    i += 1;
                    continue;
                }
            };
            out.extend_from_slice(&bytes[run..i]);
            out.extend_from_slice(escape);
            i += 1;
            run = i;
        }
    }
    out.extend_from_slice(&bytes[run..]);
    out.push(b'"');
}

/// Starts a line as serde's pretty printer does: a comma unless this is
/// the `first` item or field, the line break, two spaces a level. One copy
/// from a constant below 32 levels (a checklist starts millions of lines).
fn new_line<W: Write + ?Sized>(w: &mut W, first: bool, level: usize) -> std::io::Result<()> {
    const LEAD: &[u8; 66] = b",\n                                                                ";
    let from = usize::from(first);
    match LEAD.get(from..2 + 2 * level) {
        Some(lead) => w.write_all(lead),
        None => {
            w.write_all(&LEAD[from..2])?;
            (0..level).try_for_each(|_| w.write_all(b"  "))
        }
    }
}

/// Starts a line in a buffer, which cannot fail.
fn line(out: &mut Vec<u8>, first: bool, level: usize) {
    let _ = new_line(out, first, level);
}

/// The `i`th item of a list at `depth` as `null` (serde's writing of an
/// item that is not there; the lists' writers never reach it).
pub fn null_item(out: &mut Vec<u8>, depth: usize, i: usize) {
    line(out, i == 0, depth + 1);
    out.extend_from_slice(b"null");
}

/// An object written by hand, byte for byte as serde's pretty printer
/// writes a struct at `level` with the fields in the order they are
/// given: for the items of a large list, where serde's generic machinery
/// (and its string escaping) was most of the time spent writing.
pub struct Object<'a> {
    out: &'a mut Vec<u8>,
    level: usize,
    empty: bool,
}

impl<'a> Object<'a> {
    /// Starts the `i`th item of a list at `depth` (see [`write_list`]):
    /// its separator, indentation and opening brace.
    pub fn item(out: &'a mut Vec<u8>, depth: usize, i: usize) -> Object<'a> {
        line(out, i == 0, depth + 1);
        out.push(b'{');
        Object {
            out,
            level: depth + 1,
            empty: true,
        }
    }

    /// A field's name: one of rapport's own (a Rust identifier, in the
    /// code), written as it is; serde would find nothing in it to escape.
    fn key(&mut self, key: &'static str) {
        debug_assert!(
            key.bytes().all(|b| b >= 0x20 && b != b'"' && b != b'\\'),
            "{key:?}"
        );
        line(self.out, self.empty, self.level + 1);
        self.out.push(b'"');
        self.empty = false;
        self.out.extend_from_slice(key.as_bytes());
        self.out.extend_from_slice(b"\": ");
    }

    /// A string field.
    pub fn str(&mut self, key: &'static str, value: &str) {
        self.key(key);
        push_str(self.out, value);
    }

    /// A field whose value is already JSON (`true`, `null`, a number, an
    /// escaped string).
    pub fn raw(&mut self, key: &'static str, value: &[u8]) {
        self.key(key);
        self.out.extend_from_slice(value);
    }

    /// A date as chrono writes it (`null` for none), without its
    /// formatting machinery.
    pub fn date(&mut self, key: &'static str, value: Option<chrono::NaiveDate>) {
        self.key(key);
        match value.map(|d| (d, crate::vault::dates::ymd(d))) {
            None => self.out.extend_from_slice(b"null"),
            Some((_, Some(ymd))) => {
                self.out.push(b'"');
                self.out.extend_from_slice(&ymd);
                self.out.push(b'"');
            }
            // A year past 9999, or before 0 (chrono writes it signed).
            Some((d, None)) => {
                if serde_json::to_writer(&mut *self.out, &d).is_err() {
                    self.out.extend_from_slice(b"null");
                }
            }
        }
    }

    /// An unsigned number.
    pub fn uint(&mut self, key: &'static str, value: u64) {
        self.key(key);
        self.out
            .extend_from_slice(itoa::Buffer::new().format(value).as_bytes());
    }

    /// A list of values that are already JSON.
    pub fn raw_list<'v>(&mut self, key: &'static str, values: impl IntoIterator<Item = &'v [u8]>) {
        self.list(key, values, |out, v| out.extend_from_slice(v));
    }

    /// A list of strings.
    pub fn str_list<'v>(&mut self, key: &'static str, values: impl IntoIterator<Item = &'v str>) {
        self.list(key, values, push_str);
    }

    fn list<V>(
        &mut self,
        key: &'static str,
        values: impl IntoIterator<Item = V>,
        write: impl Fn(&mut Vec<u8>, V),
    ) {
        self.key(key);
        self.out.push(b'[');
        let mut empty = true;
        for v in values {
            line(self.out, empty, self.level + 2);
            empty = false;
            write(self.out, v);
        }
        if !empty {
            line(self.out, true, self.level + 1);
        }
        self.out.push(b']');
    }

    /// Closes the object.
    pub fn end(self) {
        if !self.empty {
            line(self.out, true, self.level);
        }
        self.out.push(b'}');
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Serialize)]
    struct Item {
        text: String,
        people: Vec<String>,
        empty: Vec<u32>,
        due: Option<u32>,
    }

    impl ByHand for Item {
        fn fields(&self, o: &mut Object) {
            o.str("text", &self.text);
            o.str_list("people", self.people.iter().map(String::as_str));
            o.raw_list("empty", []);
            match self.due {
                Some(d) => o.uint("due", u64::from(d)),
                None => o.raw("due", b"null"),
            }
        }
    }

    /// Renders `items` for [`write_list`] at `depth`.
    fn render(
        items: &[Item],
        depth: usize,
    ) -> impl Fn(usize, &mut Vec<u8>) -> std::io::Result<()> + Sync + '_ {
        move |i, out| {
            let mut o = Object::item(out, depth, i);
            items[i].fields(&mut o);
            o.end();
            Ok(())
        }
    }

    fn item(i: usize) -> Item {
        Item {
            // Text that looks like the JSON around it.
            text: format!("\n  \"list\": [],\n    }} <b>{i}</b>\u{1b}[31m"),
            people: (0..i % 4).map(|p| format!("P{p}")).collect(),
            empty: Vec::new(),
            due: i.is_multiple_of(3).then_some(7),
        }
    }

    #[test]
    fn a_missing_item_is_serdes_null() {
        let mut out = b"[".to_vec();
        for i in 0..2 {
            null_item(&mut out, 0, i);
        }
        out.extend_from_slice(b"\n]");
        let serde = serde_json::to_string_pretty(&[None::<u32>, None]).unwrap_or_default();
        assert_eq!(String::from_utf8_lossy(&out), serde);
    }

    #[test]
    fn strings_are_escaped_as_serde_escapes_them() {
        // Every byte that needs escaping, at every place in strings of
        // every length around the eight bytes looked at at once, among
        // ASCII, multi-byte letters and DEL (which is not escaped).
        let specials: Vec<char> = (0u8..0x20)
            .map(char::from)
            .chain(['"', '\\', '\u{7f}', 'é', '€', '😀', '/'])
            .collect();
        let mut checked = 0;
        for len in 0..20 {
            for at in 0..=len {
                for &c in &specials {
                    let s: String = (0..len)
                        .map(|k| {
                            if k == at {
                                c
                            } else {
                                (b'a' + (k % 26) as u8) as char
                            }
                        })
                        .collect();
                    let mut out = Vec::new();
                    push_str(&mut out, &s);
                    let want = serde_json::to_string(&s).unwrap_or_default();
                    assert_eq!(String::from_utf8_lossy(&out), want, "{s:?}");
                    checked += 1;
                }
            }
        }
        assert!(checked > 5000);
        // Several escapes in a row and at both ends.
        for s in [
            "\"\"\\\n",
            "\u{1}abcdefgh\u{1f}",
            "abcdefg\"",
            "\"bcdefgh",
            "ünïcödé\t",
        ] {
            let mut out = Vec::new();
            push_str(&mut out, s);
            assert_eq!(
                String::from_utf8_lossy(&out),
                serde_json::to_string(s).unwrap_or_default()
            );
        }
    }

    #[test]
    fn an_object_is_what_serde_writes_for_its_struct() {
        #[derive(Serialize)]
        struct Thing {
            name: String,
            when: Option<chrono::NaiveDate>,
            never: Option<chrono::NaiveDate>,
            far: Option<chrono::NaiveDate>,
            yes: bool,
            count: u64,
            names: Vec<String>,
            none: Vec<String>,
        }
        let things: Vec<Thing> = (0..3)
            .map(|i| Thing {
                name: format!("\"{i}\"\n}},\n  \"names\": ["),
                when: chrono::NaiveDate::from_ymd_opt(2026, 1, 1 + i),
                never: None,
                far: chrono::NaiveDate::from_ymd_opt(10_000 + i as i32, 2, 3),
                yes: i == 1,
                count: u64::MAX - u64::from(i),
                names: (0..i).map(|k| format!("P\u{1b}[{k}m")).collect(),
                none: Vec::new(),
            })
            .collect();
        for depth in [0, 1, 3] {
            let mut out = Vec::new();
            let render = |i: usize, out: &mut Vec<u8>| {
                let t = &things[i];
                let mut o = Object::item(out, depth, i);
                o.str("name", &t.name);
                o.date("when", t.when);
                o.date("never", t.never);
                o.date("far", t.far);
                o.raw("yes", if t.yes { b"true" } else { b"false" });
                o.uint("count", t.count);
                let names: Vec<Vec<u8>> = t
                    .names
                    .iter()
                    .map(|n| serde_json::to_vec(n).unwrap_or_default())
                    .collect();
                o.raw_list("names", names.iter().map(Vec::as_slice));
                o.raw_list("none", []);
                o.end();
                Ok(())
            };
            assert!(write_list(&mut out, things.len(), depth, render, |_| ()).is_ok());
            let serde = serde_json::to_string_pretty(&things).unwrap_or_default();
            let want = serde.replace('\n', &format!("\n{}", "  ".repeat(depth)));
            assert_eq!(String::from_utf8_lossy(&out), want, "at {depth}");
        }
    }

    #[test]
    fn lists_are_serdes_at_any_depth_and_length() {
        for n in [0, 1, 2, BLOCK, 2 * BLOCK + 3] {
            let items: Vec<Item> = (0..n).map(item).collect();
            let serde = serde_json::to_string_pretty(&items).unwrap_or_default();
            for depth in [0, 1, 2] {
                let mut out = Vec::new();
                assert!(write_list(&mut out, n, depth, render(&items, depth), |_| ()).is_ok());
                // One level deeper, serde indents every line but the first.
                let want = serde.replace('\n', &format!("\n{}", "  ".repeat(depth)));
                assert_eq!(String::from_utf8_lossy(&out), want, "{n} items at {depth}");
            }
        }
    }

    /// A writer that fails once it has taken `room` bytes.
    struct Full {
        room: usize,
    }

    impl Write for Full {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            if buf.len() > self.room {
                return Err(std::io::ErrorKind::BrokenPipe.into());
            }
            self.room -= buf.len();
            Ok(buf.len())
        }

        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn a_failed_write_stops_both_threads() {
        // Many blocks, the write failing in the first, the middle and the
        // last: the error comes back (the test would hang otherwise).
        let items: Vec<Item> = (0..10 * BLOCK).map(item).collect();
        for room in [0, 10, 1 << 20, 3 << 20] {
            let mut w = Full { room };
            let done = write_list(&mut w, items.len(), 1, render(&items, 1), |_| ());
            let kind = done.map_err(|e| e.kind());
            assert_eq!(kind, Err(std::io::ErrorKind::BrokenPipe), "room {room}");
        }
    }

    #[test]
    fn a_list_goes_where_serde_wrote_it_empty() {
        #[derive(Serialize)]
        struct Whole {
            name: String,
            list: Vec<Item>,
            after: Vec<Item>,
        }
        for n in [0, 3, 5000] {
            let whole = Whole {
                name: "\n  \"list\": [] trick".into(),
                list: (0..n).map(item).collect(),
                after: vec![item(1)],
            };
            let serde = serde_json::to_string_pretty(&whole).unwrap_or_default();
            let hollow = Whole {
                name: whole.name.clone(),
                list: Vec::new(),
                after: Vec::new(),
            };
            let mut out = Vec::new();
            let list = by_hand(&whole.list);
            let after = by_hand(&whole.after);
            let written = with_lists(&mut out, &hollow, vec![("list", list), ("after", after)]);
            assert!(matches!(written, Ok(true)));
            assert_eq!(String::from_utf8_lossy(&out), serde, "{n} items");
        }
        // No such empty field, or fields named out of order: nothing written.
        let mut out = Vec::new();
        let none: ListWriter = Box::new(|_| Ok(()));
        let written = with_lists(&mut out, &vec![1], vec![("list", none)]);
        assert!(matches!(written, Ok(false)));
        let hollow = Whole {
            name: String::new(),
            list: Vec::new(),
            after: Vec::new(),
        };
        let (a, b): (ListWriter, ListWriter) = (Box::new(|_| Ok(())), Box::new(|_| Ok(())));
        let written = with_lists(&mut out, &hollow, vec![("after", a), ("list", b)]);
        assert!(matches!(written, Ok(false)));
        assert!(out.is_empty());
    }
}
