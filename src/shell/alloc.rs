//! The program's allocator: the system's for the everyday run, mimalloc
//! once a command meets large input.
//!
//! At 10,000 tasks half of a command's time was the kernel handing the
//! system allocator's heap out a 4 KiB page at a time and zeroing each;
//! mimalloc's arenas take transparent huge pages where the system allows
//! them, and the same commands take half the time. But mimalloc's arena
//! costs a few tenths of a millisecond to set up, more than a run over a
//! learner's hundred tasks takes to allocate everything it needs. So every
//! run starts on the system allocator, and the shell calls [`expect_large`]
//! when it is about to read a file of `LARGE` bytes or more (a plan cache, a
//! state snapshot, a plan or state file); from then on new blocks come from
//! mimalloc. A block is freed or resized by the allocator it came from:
//! an address in the arena of mimalloc's first block is mimalloc's (two
//! comparisons), any other is asked of mimalloc (`mi_is_in_heap_region`),
//! and before the switch none is. (mimalloc unmaps its arenas only at exit,
//! and only when `MIMALLOC_DESTROY_ON_EXIT` is set, an option for leak
//! checkers: a mimalloc block freed after that is not safe to free, with
//! this allocator as with any. On Linux with glibc the program ends by
//! `_exit`, `shell::process`, and that exit handler of mimalloc's does not
//! run at all.) Blocks of 8 MiB or more always come
//! from the system: mimalloc takes those straight from the operating
//! system, where it may not know them again. (mimalloc's own start-up, a
//! little reading of options, still runs in every process.)

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

/// Inputs from this size on are large: the allocator switches to mimalloc.
pub(crate) const LARGE: u64 = 256 * 1024;

/// Set once, never cleared: new blocks come from mimalloc.
static LARGE_SEEN: AtomicBool = AtomicBool::new(false);

/// The shell is about to read `bytes` bytes of input: from `LARGE` on, new
/// blocks come from mimalloc.
pub(crate) fn expect_large(bytes: u64) {
    if bytes >= LARGE {
        LARGE_SEEN.store(true, Ordering::Relaxed);
    }
}

/// The allocator `main.rs` installs.
pub struct Allocator;

fn large() -> bool {
    LARGE_SEEN.load(Ordering::Relaxed)
}

/// Blocks from this size or alignment on always come from the system:
/// mimalloc takes those straight from the operating system, at addresses
/// it may not know again as its own (`mi_is_in_heap_region`).
const MIMALLOC_BELOW: usize = 8 << 20;

/// Whether a block of `layout` may come from mimalloc.
fn for_mimalloc(layout: Layout) -> bool {
    large() && layout.size() < MIMALLOC_BELOW && layout.align() < MIMALLOC_BELOW
}

/// The address range of the mimalloc arena the first recognised block came
/// from, `[ARENA_START, ARENA_END)`, or empty (both 0). An arena is one
/// reservation (1 GiB by default) that mimalloc keeps until the process
/// ends, so every address in it is mimalloc's: most blocks are told by two
/// comparisons, where `mi_is_in_heap_region` walks every arena and then the
/// segment map (a twentieth of `list` at 10,000 tasks). Set once: the start
/// first (by the one thread whose compare-exchange wins), then the end with
/// release ordering, so a reader that sees the end sees the start that goes
/// with it.
static ARENA_START: AtomicUsize = AtomicUsize::new(0);
static ARENA_END: AtomicUsize = AtomicUsize::new(0);

/// Whether `address` is in the remembered arena.
fn in_known_arena(address: usize) -> bool {
    let end = ARENA_END.load(Ordering::Acquire);
    address < end && ARENA_START.load(Ordering::Relaxed) <= address
}

// mimalloc's own, not bound by `libmimalloc-sys`: the start and size of an
// arena by its id (index + 1 in v2, whose `mi_arena_id_t` is an `int`; the
// ids counted below do not compile against v3's pointer ids), null for an id
// with no arena.
unsafe extern "C" {
    fn mi_arena_area(arena_id: libmimalloc_sys::mi_arena_id_t, size: *mut usize) -> *mut std::ffi::c_void;
}

/// Remembers the arena holding `block`, a block mimalloc recognised, if no
/// arena is remembered yet and mimalloc names one that holds it.
fn learn_arena(block: *mut u8) {
    if ARENA_END.load(Ordering::Acquire) != 0 {
        return;
    }
    let address = block as usize;
    // mimalloc's limit on arenas (`MI_MAX_ARENAS`); ids are index + 1.
    for id in 1..=132 {
        let mut size = 0usize;
        // SAFETY: reads mimalloc's arena table; `size` is a valid place.
        let start = unsafe { mi_arena_area(id, &mut size) } as usize;
        if start == 0 {
            return;
        }
        if start <= address && address - start < size {
            if ARENA_START.compare_exchange(0, start, Ordering::Relaxed, Ordering::Relaxed).is_ok() {
                ARENA_END.store(start + size, Ordering::Release);
            }
            return;
        }
    }
}

/// Whether mimalloc gave out the block at `ptr`. Before the switch none is
/// its own, and mimalloc is not asked.
fn from_mimalloc(ptr: *mut u8) -> bool {
    // SAFETY: `mi_is_in_heap_region` only compares the address with the
    // regions mimalloc reserved; it reads nothing at `ptr`.
    large() && (in_known_arena(ptr as usize) || unsafe { libmimalloc_sys::mi_is_in_heap_region(ptr.cast()) })
}

/// A block from mimalloc that it knows as its own, or none (null): every
/// block handed out as mimalloc's is one that `from_mimalloc` recognises.
///
/// # Safety
/// `block` is null or was just given out by mimalloc for `layout`.
unsafe fn recognised(block: *mut u8, layout: Layout) -> *mut u8 {
    if block.is_null() || in_known_arena(block as usize) {
        return block;
    }
    if from_mimalloc(block) {
        learn_arena(block);
        return block;
    }
    // SAFETY: given out by mimalloc for `layout` (the caller's promise).
    unsafe { mimalloc::MiMalloc.dealloc(block, layout) };
    std::ptr::null_mut()
}

/// Whether mimalloc's plain `mi_malloc` meets `layout`'s alignment: it
/// aligns every block to its size up to 16 bytes (`MI_MAX_ALIGN_SIZE`; see
/// `mi_malloc_is_naturally_aligned` in its `alloc-aligned.c`). The aligned
/// entry point does more work for the same block.
fn naturally_aligned(layout: Layout) -> bool {
    layout.align() <= 16 && layout.align() <= layout.size()
}

/// A block from mimalloc for `layout` (zeroed when asked), or null.
///
/// # Safety
/// As `GlobalAlloc::alloc`: `layout` has a non-zero size.
unsafe fn take_mimalloc(layout: Layout, zeroed: bool) -> *mut u8 {
    // SAFETY: the caller's layout, passed on.
    unsafe {
        if naturally_aligned(layout) {
            let plain: *mut u8 = if zeroed {
                libmimalloc_sys::mi_zalloc(layout.size())
            } else {
                libmimalloc_sys::mi_malloc(layout.size())
            }
            .cast();
            // As mimalloc's own aligned allocation does: a plain block
            // that is not aligned after all (it never is) goes back.
            if (plain as usize) & (layout.align() - 1) == 0 {
                return plain;
            }
            libmimalloc_sys::mi_free(plain.cast());
        }
        if zeroed { mimalloc::MiMalloc.alloc_zeroed(layout) } else { mimalloc::MiMalloc.alloc(layout) }
    }
}

/// A block for `layout` (zeroed when asked): mimalloc's when it may come
/// from there and mimalloc recognises it, else the system's.
///
/// # Safety
/// As `GlobalAlloc::alloc`: `layout` has a non-zero size.
unsafe fn take(layout: Layout, zeroed: bool) -> *mut u8 {
    // SAFETY: the caller's layout, passed on; a block from mimalloc is
    // checked at once.
    unsafe {
        if for_mimalloc(layout) {
            let block = take_mimalloc(layout, zeroed);
            let block = recognised(block, layout);
            if !block.is_null() {
                return block;
            }
        }
        let block = if zeroed { System.alloc_zeroed(layout) } else { System.alloc(layout) };
        advise_huge(block, layout.size());
        block
    }
}

/// From this size on, a block of the system's is offered huge pages.
#[cfg(target_os = "linux")]
const HUGE_FROM: usize = MIMALLOC_BELOW;

/// Asks the kernel to back a big block of the system's with transparent
/// huge pages (`MADV_HUGEPAGE`, on its whole 2 MiB pages), as mimalloc's
/// arenas are: at 100,000 tasks the plan's tasks alone are a 22 MB block,
/// which the kernel otherwise hands out a 4 KiB page, and a page fault, at
/// a time (nine in ten of `next`'s faults). Advice only: where the system
/// has no huge pages to give, or says `never`, nothing changes. A block's
/// pages are still zeroed as they are first touched, a huge page at a time.
fn advise_huge(block: *mut u8, size: usize) {
    #[cfg(target_os = "linux")]
    if size >= HUGE_FROM && !block.is_null() {
        const HUGE: usize = 2 << 20;
        let start = (block as usize).next_multiple_of(HUGE);
        let end = (block as usize).saturating_add(size) & !(HUGE - 1);
        if end > start {
            // SAFETY: the range lies within a live block of ours; the
            // advice changes how its pages are backed, never their bytes.
            unsafe { libc::madvise(start as *mut libc::c_void, end - start, libc::MADV_HUGEPAGE) };
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = (block, size);
}

// SAFETY: each block is allocated by one of two allocators that meet
// `GlobalAlloc`'s contract, and freed or resized by that same one. Blocks
// are taken from mimalloc only after `LARGE_SEEN` is set, which is never
// cleared, and only when mimalloc recognises them as its own
// (`recognised`), so `from_mimalloc` tells its blocks from the system's.
unsafe impl GlobalAlloc for Allocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller's layout, passed on.
        unsafe { take(layout, false) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller's layout, passed on.
        unsafe { take(layout, true) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` goes back to the allocator that gave it out.
        unsafe {
            if from_mimalloc(ptr) { mimalloc::MiMalloc.dealloc(ptr, layout) } else { System.dealloc(ptr, layout) }
        }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if !from_mimalloc(ptr) {
            // SAFETY: a block of the system's stays the system's.
            let block = unsafe { System.realloc(ptr, layout, new_size) };
            advise_huge(block, new_size);
            return block;
        }
        // SAFETY: `GlobalAlloc::realloc`'s contract makes this layout valid.
        let new = unsafe { Layout::from_size_align_unchecked(new_size, layout.align()) };
        // SAFETY: `ptr` is a live block of mimalloc's. In place when it has
        // the room (the same block, still mimalloc's); otherwise a new block
        // from `alloc` (recognised, or the system's), the bytes copied and
        // the old block freed, or, with no room anywhere, null and the old
        // block as it was.
        unsafe {
            if for_mimalloc(new) && !libmimalloc_sys::mi_expand(ptr.cast(), new_size).is_null() {
                return ptr;
            }
            let moved = self.alloc(new);
            if !moved.is_null() {
                std::ptr::copy_nonoverlapping(ptr, moved, layout.size().min(new_size));
                mimalloc::MiMalloc.dealloc(ptr, layout);
            }
            moved
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Blocks from before and after the switch, small and large, are kept
    /// and freed and resized by their own allocator; zeroed blocks are
    /// zero. (`LARGE_SEEN` is the process's: another test may have set it
    /// first, so what holds either way is checked.)
    #[test]
    fn blocks_from_both_sides_of_the_switch_are_kept_and_freed() {
        let small = Layout::from_size_align(100, 8).expect("layout");
        let big = Layout::from_size_align(MIMALLOC_BELOW, 8).expect("layout");
        let a = Allocator;
        // SAFETY: each block is written within its size and freed once,
        // with the layout it has at that time.
        unsafe {
            let before = a.alloc(small);
            before.write_bytes(7, 100);
            let switched_before = large();
            expect_large(LARGE - 1);
            assert_eq!(large(), switched_before, "under LARGE nothing changes");
            expect_large(LARGE);
            assert!(large());
            if !switched_before {
                assert!(!from_mimalloc(before), "the system's block is not taken for mimalloc's");
            }
            let after = a.alloc(small);
            after.write_bytes(9, 100);
            assert!(from_mimalloc(after), "a small block after the switch is mimalloc's");
            // Unless mimalloc was told to use no arena (`MIMALLOC_ARENA_RESERVE=0`).
            let mut size = 0;
            if !mi_arena_area(1, &mut size).is_null() {
                assert!(in_known_arena(after as usize), "its arena is remembered");
            }
            if !switched_before {
                assert!(!in_known_arena(before as usize), "the system's block is not in it");
            }
            let zeroed = a.alloc_zeroed(small);
            assert!(from_mimalloc(zeroed));
            assert!((0..100).all(|i| *zeroed.add(i) == 0));
            a.dealloc(zeroed, small);
            let huge = a.alloc(big);
            assert!(!from_mimalloc(huge), "a block of {MIMALLOC_BELOW} bytes is the system's");
            assert!(!in_known_arena(huge as usize));
            huge.write_bytes(1, big.size());
            a.dealloc(huge, big);
            let before = a.realloc(before, small, 5000);
            assert_eq!(*before.add(99), 7);
            let after = a.realloc(after, small, 5000);
            assert_eq!(*after.add(99), 9);
            assert!(from_mimalloc(after));
            // Grown past what mimalloc is given: moved to the system, kept.
            let grown = Layout::from_size_align(5000, 8).expect("layout");
            let moved = a.realloc(after, grown, MIMALLOC_BELOW + 1);
            assert!(!from_mimalloc(moved));
            assert_eq!(*moved.add(99), 9);
            a.dealloc(before, grown);
            a.dealloc(moved, Layout::from_size_align(MIMALLOC_BELOW + 1, 8).expect("layout"));
        }
    }

    /// The mapping that holds `address` in this process (`/proc/self/smaps`),
    /// as its lines.
    #[cfg(target_os = "linux")]
    fn mapping_of(address: usize) -> Vec<String> {
        let smaps = std::fs::read_to_string("/proc/self/smaps").unwrap_or_default();
        let mut found = Vec::new();
        let mut inside = false;
        for line in smaps.lines() {
            let range = line.split_once(' ').and_then(|(range, _)| range.split_once('-'));
            if let Some((from, to)) =
                range.and_then(|(a, b)| Some((usize::from_str_radix(a, 16).ok()?, usize::from_str_radix(b, 16).ok()?)))
            {
                inside = from <= address && address < to;
            }
            if inside {
                found.push(line.to_string());
            }
        }
        found
    }

    /// A big block of the system's, fresh or grown, is in a mapping the
    /// kernel was asked to back with huge pages (`hg` among its flags).
    /// Where the system does not show such advice (no transparent huge
    /// pages, or a sandbox), there is nothing to see.
    #[cfg(target_os = "linux")]
    #[test]
    fn big_blocks_of_the_systems_are_offered_huge_pages() {
        let advised = |block: *mut u8| {
            let start = (block as usize).next_multiple_of(2 << 20);
            let flags = mapping_of(start).into_iter().find(|l| l.starts_with("VmFlags:")).unwrap_or_default();
            flags.split_whitespace().any(|f| f == "hg")
        };
        // Whether this system shows the advice at all: a fresh mapping of
        // our own, advised directly (a kernel without transparent huge
        // pages refuses it; a sandbox may take it and show nothing).
        const PROBE: usize = 8 << 20;
        // SAFETY: a private anonymous mapping of our own, advised and
        // unmapped here, never touched.
        let shown = unsafe {
            let map = libc::mmap(
                std::ptr::null_mut(),
                PROBE,
                libc::PROT_READ | libc::PROT_WRITE,
                libc::MAP_PRIVATE | libc::MAP_ANONYMOUS,
                -1,
                0,
            );
            if map == libc::MAP_FAILED {
                false
            } else {
                let start = (map as usize).next_multiple_of(2 << 20);
                let ok =
                    libc::madvise(start as *mut libc::c_void, 2 << 20, libc::MADV_HUGEPAGE) == 0 && advised(map.cast());
                libc::munmap(map, PROBE);
                ok
            }
        };
        if !shown {
            eprintln!("not run: this system does not show huge-page advice in /proc/self/smaps");
            return;
        }
        let a = Allocator;
        let big = Layout::from_size_align(32 << 20, 8).expect("layout");
        let small = Layout::from_size_align(1 << 20, 8).expect("layout");
        // SAFETY: each block is written within its size and freed once,
        // with the layout it has at that time.
        unsafe {
            let block = a.alloc(big);
            assert!(!block.is_null() && !from_mimalloc(block));
            assert!(advised(block), "{:?}", mapping_of((block as usize).next_multiple_of(2 << 20)));
            block.write_bytes(3, big.size());
            a.dealloc(block, big);
            let zeroed = a.alloc_zeroed(big);
            assert!(advised(zeroed));
            a.dealloc(zeroed, big);
            // Grown by the system into a big block: advised too.
            let system = System.alloc(small);
            let grown = a.realloc(system, small, 48 << 20);
            assert!(advised(grown));
            a.dealloc(grown, Layout::from_size_align(48 << 20, 8).expect("layout"));
        }
    }
}
