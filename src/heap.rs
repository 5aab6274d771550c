//! How the program's memory is laid out: glibc's allocator settings and
//! transparent huge pages for a query's heaps, and mimalloc for a full
//! index of a large vault.
//!
//! A query on a large vault fills tens of megabytes of fresh heap, and with
//! 4 kB pages every first touch of a page is a page fault: faults were a
//! fifth of `person`'s samples on the 100,000-meeting vault. Asked to
//! (`MADV_HUGEPAGE`), Linux backs a whole 2 MB block with one page, taken
//! in one fault. glibc gives that advice itself only when an environment
//! variable says so (`GLIBC_TUNABLES=glibc.malloc.hugetlb=1`), read before
//! `main` runs; so the program's allocator ([`Allocator`], glibc's malloc
//! underneath) gives it once a query has asked for it ([`for_query`]): for
//! the main heap each time it grows, for each thread's heap when the thread
//! first allocates, and for every block of 4 MB or more (which glibc maps
//! on its own). The advice changes how memory is backed, never what it
//! holds.
//!
//! Only a one-shot query that answers without walking the vault asks
//! (after a walk, see [`for_query`]). A full index gained nothing from it (its
//! large tables are tantivy's, touched throughout), and a watcher runs for
//! days, where a huge page kept for a few live bytes is memory held.
//! Elsewhere than 64-bit Linux with glibc, the advice is never given (and
//! the settings only on Linux with glibc).
//!
//! A refresh that reads tens of thousands of notes (a full index of a
//! large vault) allocates from mimalloc instead, while a [`bulk`] guard
//! lives. Its reading threads make the notes' strings and documents and
//! tantivy's threads free them, for seconds on end: with mimalloc a full
//! index of 54,000 or 135,000 notes took 9 % less time (see
//! `index::writer`'s `BULK_NOTES` for smaller ones). mimalloc cannot serve
//! the queries: the open-task checklist peaked at 145 to 167 MB with it,
//! against 90 MB (the goal is 100). Each block is freed by the allocator
//! that made it, whichever is on when it is freed: mimalloc says which
//! blocks are its own.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use libmimalloc_sys as mi;

/// The program's allocator: the system's, plus the huge-page advice of
/// the module comment once [`for_query`] has turned it on; mimalloc's
/// while a [`bulk`] guard lives.
pub struct Allocator;

#[global_allocator]
static GLOBAL: Allocator = Allocator;

/// How many [`Bulk`] guards live: while any does, new blocks are
/// mimalloc's.
static BULK: AtomicUsize = AtomicUsize::new(0);
/// Whether mimalloc was ever on: until then every block is the system's,
/// and a free needs no look-up.
static MIXED: AtomicBool = AtomicBool::new(false);

#[inline]
fn bulk_on() -> bool {
    // Acquire: a thread that allocates from mimalloc sees `MIXED` set,
    // and so does any thread it hands the block to.
    BULK.load(Ordering::Acquire) > 0
}

/// True for a block mimalloc made.
#[inline]
fn mimalloc_owns(p: *mut u8) -> bool {
    // SAFETY: `mi_is_in_heap_region` only looks the address up in
    // mimalloc's own page map (an address it never handed out, or before
    // it was ever used, is not in it); it reads nothing at the address.
    MIXED.load(Ordering::Relaxed) && unsafe { mi::mi_is_in_heap_region(p.cast()) }
}

// SAFETY: each block comes from one allocator, `System` or mimalloc (both
// meet `GlobalAlloc`'s contract for any layout: mimalloc's aligned calls
// take the alignment), and goes back to the one that made it, as
// `mimalloc_owns` tells: a block the system made is at an address mimalloc
// has not mapped. The advice only looks at the address `System` returned,
// never at the memory there.
unsafe impl GlobalAlloc for Allocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if bulk_on() {
            // SAFETY: a call with any size and alignment.
            return unsafe { mi::mi_malloc_aligned(layout.size(), layout.align()) }.cast();
        }
        // SAFETY: the caller's guarantees, passed on.
        let p = unsafe { System.alloc(layout) };
        advice::noticed(p, layout.size());
        p
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        if bulk_on() {
            // SAFETY: as in `alloc`.
            return unsafe { mi::mi_zalloc_aligned(layout.size(), layout.align()) }.cast();
        }
        // SAFETY: the caller's guarantees, passed on.
        let p = unsafe { System.alloc_zeroed(layout) };
        advice::noticed(p, layout.size());
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        if mimalloc_owns(ptr) {
            // SAFETY: a live block mimalloc made.
            unsafe { mi::mi_free(ptr.cast()) }
        } else {
            // SAFETY: the caller's guarantees, passed on (the system made it).
            unsafe { System.dealloc(ptr, layout) }
        }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // A block grows where it was made.
        if mimalloc_owns(ptr) {
            // SAFETY: a live block mimalloc made, with its alignment.
            return unsafe { mi::mi_realloc_aligned(ptr.cast(), new_size, layout.align()) }.cast();
        }
        // SAFETY: the caller's guarantees, passed on.
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        advice::noticed(p, new_size);
        p
    }
}

/// While this lives, new blocks are mimalloc's (see the module comment).
/// Dropped, mimalloc hands back what it no longer uses.
#[must_use = "mimalloc is on only while the guard lives"]
pub struct Bulk(());

/// Turns mimalloc on for the work of reading many notes, until the guard
/// is dropped (the refresh of a full index, see
/// [`crate::index::Writer::carry_out`]).
pub fn bulk() -> Bulk {
    MIXED.store(true, Ordering::Relaxed);
    BULK.fetch_add(1, Ordering::Release);
    Bulk(())
}

impl Drop for Bulk {
    fn drop(&mut self) {
        if BULK.fetch_sub(1, Ordering::AcqRel) == 1 {
            // SAFETY: asks mimalloc to return the memory it holds free.
            unsafe { mi::mi_collect(true) }
        }
    }
}

/// Sets the allocator up for a one-shot query, after the index was opened
/// and, when `walked`, the vault walked to bring it up to date.
///
/// Without a walk (`--no-refresh`, or a refresh left to a running
/// `rapport watch`), each heap grows 8 MB at a time and keeps as much
/// free when it shrinks, blocks below 4 MB come from the heap, and the
/// heaps get the huge-page advice from here on. By default glibc grows a
/// heap 128 kB at a time (a system call each) and hands freed pages back as
/// soon as 128 kB are free at its top, to fault them in again at the next
/// allocation: `person` on the 100,000-meeting vault made 225 `mprotect`
/// calls and 4,510 page faults, 18 and 3,576 with these settings, and
/// about 2,100 with the advice as well.
///
/// After a walk, only every block of a megabyte or more is mapped on its
/// own and given back whole when freed: glibc raises the size it maps from
/// each time a mapped block is freed, and after the refresh had freed its
/// 10 MB list of files a query's large tables grew the heap instead (the
/// open-task checklist peaked at 102 to 110 MB rather than 96 to 101). The
/// heaps are not padded then (with the refresh's four walking threads'
/// heaps each keeping 8 MB that checklist peaked at 103 MB instead of 94
/// to 97), and without padding a heap grows by less than a huge page at a
/// time, too little for the advice to serve: given 2 MB of padding and
/// the advice, that checklist peaked at up to 99 MB for no time gained.
pub fn for_query(walked: bool) {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    if walked {
        settings(&[(libc::M_MMAP_THRESHOLD, 1 << 20)]);
    } else {
        settings(&[
            (libc::M_TOP_PAD, 8 << 20),
            (libc::M_MMAP_THRESHOLD, 4 << 20),
        ]);
        advice::start();
    }
    #[cfg(not(all(target_os = "linux", target_env = "gnu")))]
    let _ = walked;
}

/// Sets glibc's allocator settings (`mallopt`).
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn settings(settings: &[(libc::c_int, libc::c_int)]) {
    for &(param, value) in settings {
        // SAFETY: `mallopt` changes a number in the allocator's settings;
        // no pointer or Rust memory is involved. glibc marks it unsafe to
        // call while other threads allocate only in that they may go on
        // reading the old setting for a while (tantivy's threads may still
        // be running after a commit), which is harmless here. It fails
        // (returns 0) only for an unknown setting: nothing to do then.
        unsafe {
            libc::mallopt(param, value);
        }
    }
}

// The sizes below are glibc's on 64-bit systems.
#[cfg(all(target_os = "linux", target_env = "gnu", target_pointer_width = "64"))]
mod advice {
    use std::cell::Cell;
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering::Relaxed};

    /// Whether [`super::for_query`] has turned the advice on (it is never
    /// turned off: a process runs one query).
    static ON: AtomicBool = AtomicBool::new(false);
    /// The main heap's end (the program break) when last advised.
    static BREAK: AtomicUsize = AtomicUsize::new(0);
    /// The system's page size (madvise takes whole pages).
    static PAGE: AtomicUsize = AtomicUsize::new(4096);

    /// glibc's `HEAP_MAX_SIZE` on 64-bit systems: a thread's heap is a
    /// mapping of this size, aligned to it, so the heap of any block from
    /// it is found by rounding the block's address down.
    const THREAD_HEAP: usize = 64 << 20;
    /// glibc maps blocks this large on their own, and smaller ones come
    /// from a heap, under the settings of [`super::for_query`].
    const LARGE: usize = 4 << 20;

    std::thread_local! {
        /// The thread's heap this thread last allocated from since the
        /// advice was on (glibc may move a thread to another heap, and a
        /// heap full at 64 MB gets another).
        static HEAP: Cell<usize> = const { Cell::new(0) };
    }

    pub(super) fn start() {
        // SAFETY: `sysconf` reads a number; `sbrk(0)` reads the current
        // program break and changes nothing.
        let (page, brk) = unsafe { (libc::sysconf(libc::_SC_PAGESIZE), libc::sbrk(0) as usize) };
        if let Ok(page) = usize::try_from(page)
            && page.is_power_of_two()
        {
            PAGE.store(page, Relaxed);
        }
        // The heap so far has been touched already; only what it grows by
        // from here can be backed by huge pages.
        BREAK.store(brk, Relaxed);
        ON.store(true, Relaxed);
    }

    #[inline]
    pub(super) fn noticed(p: *mut u8, size: usize) {
        if ON.load(Relaxed) && !p.is_null() {
            noticed_on(p as usize, size);
        }
    }

    #[inline(never)]
    fn noticed_on(p: usize, size: usize) {
        // SAFETY: `sbrk(0)` reads the current program break.
        let brk = unsafe { libc::sbrk(0) } as usize;
        if brk != BREAK.load(Relaxed) {
            // Threads racing here may advise a range twice, or leave one
            // unadvised: the advice is a hint either way.
            let before = BREAK.swap(brk, Relaxed);
            if brk > before {
                advise(before, brk - before);
            }
        }
        // Anything above the break on Linux's usual layout is a mapping: a
        // block glibc mapped on its own, or part of a thread's heap.
        if p <= brk {
            return;
        }
        if size >= LARGE {
            advise(p, size);
        } else {
            // A block from a thread's heap: the heap is advised the first
            // time this thread allocates from it. What was touched before
            // keeps its small pages (a new heap's first 2 MB, where glibc
            // wrote its records when it made the heap).
            let heap = p & !(THREAD_HEAP - 1);
            if HEAP
                .try_with(|h| h.replace(heap))
                .is_ok_and(|last| last != heap)
            {
                advise(heap, THREAD_HEAP);
            }
        }
    }

    /// Asks for huge pages for the whole pages from `start` for `len` bytes.
    fn advise(start: usize, len: usize) {
        let page = PAGE.load(Relaxed);
        let from = start & !(page - 1);
        let len = len + (start - from);
        // SAFETY: `MADV_HUGEPAGE` changes how the range's memory is backed,
        // never what it holds, and whoever owns it; a range that is not
        // (all) mapped only gives an error, which changes nothing either.
        unsafe {
            libc::madvise(from as *mut libc::c_void, len, libc::MADV_HUGEPAGE);
        }
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu", target_pointer_width = "64")))]
mod advice {
    #[inline]
    pub(super) fn noticed(_: *mut u8, _: usize) {}

    #[allow(dead_code)] // called on Linux with glibc only
    pub(super) fn start() {}
}

#[cfg(all(
    test,
    target_os = "linux",
    target_env = "gnu",
    target_pointer_width = "64"
))]
mod tests {
    /// The flags of the mapping that holds `addr`, from `/proc/self/smaps`.
    fn flags_at(addr: usize) -> Option<String> {
        let smaps = std::fs::read_to_string("/proc/self/smaps").ok()?;
        let mut inside = false;
        for line in smaps.lines() {
            let range = line.split(' ').next().unwrap_or("");
            if let Some((lo, hi)) = range.split_once('-')
                && let (Ok(lo), Ok(hi)) =
                    (usize::from_str_radix(lo, 16), usize::from_str_radix(hi, 16))
            {
                inside = (lo..hi).contains(&addr);
            } else if inside && let Some(flags) = line.strip_prefix("VmFlags:") {
                return Some(flags.trim().to_string());
            }
        }
        None
    }

    fn hinted(addr: usize) -> bool {
        flags_at(addr).is_some_and(|f| f.split(' ').any(|f| f == "hg"))
    }

    /// The program break.
    fn brk() -> usize {
        // SAFETY: `sbrk(0)` reads the current program break.
        unsafe { libc::sbrk(0) as usize }
    }

    /// A block of 1 MB (from a heap) that a query's allocations may have
    /// touched: from the main heap beyond its end when the query began, or
    /// from a thread's heap. Earlier blocks are kept to the end of the
    /// test, so that the heap grows.
    fn fresh_heap_block(start: usize, kept: &mut Vec<Vec<u8>>) -> usize {
        for _ in 0..256 {
            let block = vec![1u8; 1 << 20];
            let addr = block.as_ptr() as usize;
            kept.push(block);
            if addr >= start {
                return addr;
            }
        }
        panic!("no heap block beyond {start:#x}");
    }

    /// Once a query has turned the advice on, a large block, what a heap
    /// grows by and a new thread's heap are marked for huge pages (`hg`);
    /// before, a large block is not. (Nothing to check where the kernel
    /// has no huge pages. No other test of this binary turns the advice
    /// on.)
    #[test]
    fn a_query_asks_for_huge_pages_for_large_blocks_and_heaps() {
        if !std::path::Path::new("/sys/kernel/mm/transparent_hugepage").exists() {
            return;
        }
        // Not while mimalloc is on: its blocks get no advice.
        let _serial = super::bulk_tests::SERIAL.lock();
        // 16 MB: mapped on its own whatever the settings.
        let before = vec![1u8; 16 << 20];
        assert!(
            !hinted(before.as_ptr() as usize),
            "advised before the query"
        );
        super::for_query(false);
        let start = brk();
        let large = vec![1u8; 16 << 20];
        assert!(
            hinted(large.as_ptr() as usize),
            "a large block is not advised"
        );
        // glibc gives a thread the main heap or one of its own.
        let mut kept = Vec::new();
        let here = fresh_heap_block(start, &mut kept);
        assert!(
            hinted(here),
            "this thread's heap at {here:#x} is not advised"
        );
        let (advised, there) = std::thread::spawn(move || {
            let mut kept = Vec::new();
            let there = fresh_heap_block(start, &mut kept);
            (hinted(there), there)
        })
        .join()
        .expect("the thread ran");
        assert!(advised, "a new thread's heap at {there:#x} is not advised");
        // Held to here, so that no block above was freed and reused.
        drop((before, large, kept));
    }
}

#[cfg(test)]
pub(crate) mod bulk_tests {
    use super::{bulk, mimalloc_owns};
    use std::sync::Mutex;

    /// Held by the tests that turn mimalloc on, or need it off: the
    /// switch is the whole process's.
    pub(crate) static SERIAL: Mutex<()> = Mutex::new(());

    fn owned(v: &[u8]) -> bool {
        mimalloc_owns(v.as_ptr().cast_mut())
    }

    /// Blocks are mimalloc's while a guard lives and the system's
    /// otherwise; each is grown and freed by the one that made it, on any
    /// thread, whichever is on then.
    #[test]
    fn blocks_go_back_to_the_allocator_that_made_them() {
        let _serial = SERIAL.lock();
        let before = vec![1u8; 1000];
        let mut grows_across = vec![2u8; 100];
        let (during, large, mut grows_after, zeroed) = {
            let _bulk = bulk();
            let during = vec![3u8; 1000];
            let large = vec![4u8; 8 << 20];
            // Made before: grown where it was made.
            grows_across.resize(1 << 20, 5);
            let zeroed = vec![0u8; 1 << 16];
            assert!(owned(&during) && owned(&large) && owned(&zeroed));
            assert!(!owned(&before) && !owned(&grows_across));
            (during, large, vec![6u8; 100], zeroed)
        };
        let after = vec![7u8; 1000];
        assert!(!owned(&after), "a block made after the guard is mimalloc's");
        // Made during: grown where it was made.
        grows_after.resize(1 << 20, 8);
        assert!(owned(&grows_after));
        assert!(
            grows_after[..100].iter().all(|b| *b == 6)
                && grows_after[100..].iter().all(|b| *b == 8)
        );
        assert!(
            grows_across[..100].iter().all(|b| *b == 2)
                && grows_across[100..].iter().all(|b| *b == 5)
        );
        assert!(zeroed.iter().all(|b| *b == 0) && large.iter().all(|b| *b == 4));
        // Freed on another thread than the one that made them.
        let sums = std::thread::spawn(move || {
            let sums = [during.len(), grows_after.len(), large.len()];
            drop((during, grows_after, large, zeroed));
            sums
        })
        .join()
        .expect("the thread ran");
        assert_eq!(sums, [1000, 1 << 20, 8 << 20]);
        drop((before, grows_across, after));
    }
}
