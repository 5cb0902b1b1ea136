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
//! mimalloc says which blocks are its own (`mi_is_in_heap_region`), and
//! before the switch there are none.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicBool, Ordering};

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

/// Whether mimalloc gave out the block at `ptr`. Before the switch none is
/// its own, and mimalloc is not asked (nor set up).
fn from_mimalloc(ptr: *mut u8) -> bool {
    // SAFETY: `mi_is_in_heap_region` only compares the address with the
    // regions mimalloc reserved; it reads nothing at `ptr`.
    large() && unsafe { libmimalloc_sys::mi_is_in_heap_region(ptr.cast()) }
}

// SAFETY: each block is allocated by one of two allocators that meet
// `GlobalAlloc`'s contract, and freed or resized by that same one: blocks
// are only ever taken from mimalloc after `LARGE_SEEN` is set, it is never
// cleared, and `from_mimalloc` tells mimalloc's blocks from the others.
unsafe impl GlobalAlloc for Allocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller's layout is passed on as given.
        unsafe { if large() { mimalloc::MiMalloc.alloc(layout) } else { System.alloc(layout) } }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: as for `alloc`.
        unsafe { if large() { mimalloc::MiMalloc.alloc_zeroed(layout) } else { System.alloc_zeroed(layout) } }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` goes back to the allocator that gave it out.
        unsafe {
            if from_mimalloc(ptr) { mimalloc::MiMalloc.dealloc(ptr, layout) } else { System.dealloc(ptr, layout) }
        }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: `ptr` is resized by the allocator that gave it out; a
        // block of the system's stays the system's.
        unsafe {
            if from_mimalloc(ptr) {
                mimalloc::MiMalloc.realloc(ptr, layout, new_size)
            } else {
                System.realloc(ptr, layout, new_size)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Blocks from before and after the switch are freed and resized by
    /// their own allocator, their bytes kept.
    #[test]
    fn blocks_from_both_sides_of_the_switch_are_kept_and_freed() {
        let layout = Layout::from_size_align(100, 8).expect("layout");
        let a = Allocator;
        // SAFETY: each block is written within its size and freed once,
        // with the layout it was given.
        unsafe {
            let before = a.alloc(layout);
            before.write_bytes(7, 100);
            assert!(!from_mimalloc(before) || large(), "not mimalloc's before the switch");
            expect_large(LARGE - 1);
            let still = large();
            expect_large(LARGE);
            assert!(large());
            let after = a.alloc(layout);
            after.write_bytes(9, 100);
            assert!(from_mimalloc(after));
            if !still {
                assert!(!from_mimalloc(before), "the system's block is not taken for mimalloc's");
            }
            let before = a.realloc(before, layout, 5000);
            assert_eq!(*before.add(99), 7);
            let after = a.realloc(after, layout, 5000);
            assert_eq!(*after.add(99), 9);
            let grown = Layout::from_size_align(5000, 8).expect("layout");
            a.dealloc(before, grown);
            a.dealloc(after, grown);
        }
    }
}
