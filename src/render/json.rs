//! JSON for programs: byte for byte what `serde_json`'s pretty printer
//! writes, with the long list of a large answer (a hundred thousand open
//! tasks, a person's five thousand meetings) written on two threads.
//!
//! The rest of a value is written by serde with that list empty, and the
//! list put in its place ([`with_lists`]); [`write_list`] writes each item
//! as serde would within the list, in blocks that two threads render and
//! one writes in order. Tests hold the output equal to serde's.

use std::io::Write;
use std::ops::Range;

use serde::Serialize;
use serde_json::ser::Formatter;

/// `serde_json`'s pretty printer (two spaces), starting `level` levels in:
/// an element of a list is written alone as it would be within it.
pub struct Pretty {
    level: usize,
    has_value: bool,
}

impl Pretty {
    fn indent<W: ?Sized + Write>(&self, w: &mut W) -> std::io::Result<()> {
        for _ in 0..self.level {
            w.write_all(b"  ")?;
        }
        Ok(())
    }

    fn open<W: ?Sized + Write>(&mut self, w: &mut W, bracket: &[u8]) -> std::io::Result<()> {
        self.level += 1;
        self.has_value = false;
        w.write_all(bracket)
    }

    fn close<W: ?Sized + Write>(&mut self, w: &mut W, bracket: &[u8]) -> std::io::Result<()> {
        self.level = self.level.saturating_sub(1);
        if self.has_value {
            w.write_all(b"\n")?;
            self.indent(w)?;
        }
        w.write_all(bracket)
    }

    fn next<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> std::io::Result<()> {
        w.write_all(if first { b"\n" } else { b",\n" })?;
        self.indent(w)
    }
}

impl serde_json::ser::Formatter for Pretty {
    fn begin_array<W: ?Sized + Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.open(w, b"[")
    }

    fn end_array<W: ?Sized + Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.close(w, b"]")
    }

    fn begin_array_value<W: ?Sized + Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.next(w, first)
    }

    fn end_array_value<W: ?Sized + Write>(&mut self, _: &mut W) -> std::io::Result<()> {
        self.has_value = true;
        Ok(())
    }

    fn begin_object<W: ?Sized + Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.open(w, b"{")
    }

    fn end_object<W: ?Sized + Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.close(w, b"}")
    }

    fn begin_object_key<W: ?Sized + Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.next(w, first)
    }

    fn begin_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        w.write_all(b": ")
    }

    fn end_object_value<W: ?Sized + Write>(&mut self, _: &mut W) -> std::io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

/// Items one thread renders at a time.
const BLOCK: usize = 2048;

/// Writes one of the lists of [`with_lists`].
pub type ListWriter<'a> = Box<dyn FnOnce(&mut dyn Write) -> std::io::Result<()> + 'a>;

/// The writer of a first-level list of `items` for [`with_lists`].
pub fn slice<T: Serialize + Sync>(items: &[T]) -> ListWriter<'_> {
    Box::new(move |w| write_list(w, items.len(), 1, |i| items.get(i), |_| ()))
}

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
/// a field of an object) as serde's pretty printer does, `item(i)` being
/// the `i`th, on two threads. `touch(range)` is called before a block of
/// items is rendered (to bring what they read into memory at once).
pub fn write_list<V: Serialize>(
    w: &mut dyn Write,
    len: usize,
    depth: usize,
    item: impl Fn(usize) -> V + Sync,
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
            // Each item as the list's own pretty printer would write it.
            let mut f = Pretty {
                level: depth + 1,
                has_value: false,
            };
            f.begin_array_value(&mut out, i == 0)?;
            let mut ser = serde_json::Serializer::with_formatter(&mut out, f);
            item(i).serialize(&mut ser)?;
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
    write!(w, "\n{}]", "  ".repeat(depth))
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
    fn lists_are_serdes_at_any_depth_and_length() {
        for n in [0, 1, 2, BLOCK, 2 * BLOCK + 3] {
            let items: Vec<Item> = (0..n).map(item).collect();
            let serde = serde_json::to_string_pretty(&items).unwrap_or_default();
            for depth in [0, 1, 2] {
                let mut out = Vec::new();
                assert!(write_list(&mut out, n, depth, |i| &items[i], |_| ()).is_ok());
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
            let done = write_list(&mut w, items.len(), 1, |i| &items[i], |_| ());
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
            let list: ListWriter = Box::new(|w| write_list(w, n, 1, |i| &whole.list[i], |_| ()));
            let after: ListWriter = Box::new(|w| write_list(w, 1, 1, |_| item(1), |_| ()));
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
