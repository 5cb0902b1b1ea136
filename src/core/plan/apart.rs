//! A cached plan's task details, written apart from the rest of the plan.
//!
//! Most commands never show a task's notes, resources or deliverables, but
//! written inline each task's details sat between its id and the next
//! task's, so reading the tasks touched every page of them: at 10,000 tasks
//! of a hand-written plan 7 of the cache entry's 9 MB, read, checked and
//! counted in the process's memory by every `list` and `schedule`. Written
//! apart (`writing_apart`), a plan's binary form holds nothing for a task's
//! details, and the details of every task follow in one block: a table of
//! where each task's bytes are, with their checksum, and the bytes. Read
//! back (`reading_apart`), each task's details point into the block
//! (`Block`), and only the bytes of the tasks whose details are asked for are
//! checked and decoded. Should those bytes be damaged, the details come from
//! the plan's source instead (`Reload`), never from the damaged bytes.
//!
//! The block: `count` (u32), the table's checksum (u64, of `count` and the
//! table), `count` entries of (start and length as u32s, checksum as u64),
//! then the details' bytes. All little-endian.

use super::model::Details;
use crate::core::journal::SharedBytes;
use std::cell::RefCell;
use std::sync::{Arc, OnceLock};

/// The details of every task of a plan, in plan order, read again from the
/// plan's source: asked for only when a task's bytes in the block are
/// damaged; `None` when the source no longer holds the plan that was cached.
pub type Reload = Box<dyn Fn() -> Option<Vec<Details>> + Send + Sync>;

const ENTRY: usize = 16;
const PREAMBLE: usize = 12;

/// A block of details written by `writing_apart`, as read.
pub struct Block {
    bytes: SharedBytes,
    /// Where the block starts in `bytes`.
    start: usize,
    count: u32,
    reload: Reload,
    reloaded: OnceLock<Vec<Details>>,
}

impl Block {
    /// The block in `bytes[start..]`; `None` when its table is damaged or
    /// points past its end.
    pub fn open(bytes: SharedBytes, start: usize, reload: Reload) -> Option<Arc<Block>> {
        let all = (*bytes).as_ref().get(start..)?;
        let count = u32::from_le_bytes(all.get(..4)?.try_into().ok()?);
        let sum = u64::from_le_bytes(all.get(4..PREAMBLE)?.try_into().ok()?);
        let table_end = PREAMBLE.checked_add((count as usize).checked_mul(ENTRY)?)?;
        let table = all.get(PREAMBLE..table_end)?;
        if checksum(&[&all[..4], table]) != sum {
            return None;
        }
        let details = all.len() - table_end;
        let fits = table.chunks_exact(ENTRY).all(|e| {
            let (from, len) = (u32_at(e, 0) as usize, u32_at(e, 4) as usize);
            from.checked_add(len).is_some_and(|end| end <= details)
        });
        fits.then(|| Arc::new(Block { bytes, start, count, reload, reloaded: OnceLock::new() }))
    }

    /// The details of task `index`: decoded from the block when its bytes
    /// check out, else from the plan's source, else none.
    pub(super) fn details(&self, index: u32) -> Details {
        self.checked(index)
            .and_then(|bytes| postcard::from_bytes(bytes).ok())
            .or_else(|| self.reloaded().get(index as usize).cloned())
            .unwrap_or_default()
    }

    /// Task `index`'s bytes, when they match their checksum.
    pub(super) fn checked(&self, index: u32) -> Option<&[u8]> {
        if index >= self.count {
            return None;
        }
        let all = &(*self.bytes).as_ref()[self.start..];
        let entry = &all[PREAMBLE + index as usize * ENTRY..][..ENTRY];
        let details = PREAMBLE + self.count as usize * ENTRY;
        let (from, len) = (details + u32_at(entry, 0) as usize, u32_at(entry, 4) as usize);
        let bytes = all.get(from..from.checked_add(len)?)?;
        (checksum(&[bytes]) == u64_at(entry, 8)).then_some(bytes)
    }

    fn reloaded(&self) -> &[Details] {
        self.reloaded.get_or_init(|| (self.reload)().unwrap_or_default())
    }
}

fn u32_at(bytes: &[u8], at: usize) -> u32 {
    u32::from_le_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]])
}

fn u64_at(bytes: &[u8], at: usize) -> u64 {
    u64::from(u32_at(bytes, at)) | (u64::from(u32_at(bytes, at + 4)) << 32)
}

fn checksum(parts: &[&[u8]]) -> u64 {
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    for part in parts {
        hasher.update(part);
    }
    hasher.digest()
}

/// The details being written apart on this thread (`writing_apart`).
struct Sink {
    table: Vec<u8>,
    bytes: Vec<u8>,
    count: u32,
    /// Set when a task's details did not fit the block's u32 offsets.
    overflowed: bool,
}

thread_local! {
    static SINK: RefCell<Option<Sink>> = const { RefCell::new(None) };
    /// The block being read from on this thread and the next task's index.
    static SOURCE: RefCell<Option<(Arc<Block>, u32)>> = const { RefCell::new(None) };
}

/// Runs `write`, which serializes plans in the binary form, with every
/// task's details written apart: returns what `write` returned and the
/// block of the details, in the order written; `None` for the block when
/// it would be over 4 GiB.
pub fn writing_apart<R>(write: impl FnOnce() -> R) -> (R, Option<Vec<u8>>) {
    struct Restore(Option<Sink>);
    impl Drop for Restore {
        fn drop(&mut self) {
            SINK.with(|sink| *sink.borrow_mut() = self.0.take());
        }
    }
    let fresh = Sink { table: Vec::new(), bytes: Vec::new(), count: 0, overflowed: false };
    let restore = Restore(SINK.with(|sink| sink.borrow_mut().replace(fresh)));
    let written = write();
    let sink = SINK.with(|sink| sink.borrow_mut().take());
    drop(restore); // the sink of an enclosing `writing_apart`, if any
    let block = sink.filter(|s| !s.overflowed).map(|s| {
        let count = s.count.to_le_bytes();
        let mut block = Vec::with_capacity(PREAMBLE + s.table.len() + s.bytes.len());
        block.extend_from_slice(&count);
        block.extend_from_slice(&checksum(&[&count, &s.table]).to_le_bytes());
        block.extend_from_slice(&s.table);
        block.extend_from_slice(&s.bytes);
        block
    });
    (written, block)
}

/// When details are being written apart: adds `bytes` to the block and
/// returns true.
pub(super) fn write(bytes: &[u8]) -> bool {
    SINK.with(|sink| {
        let mut sink = sink.borrow_mut();
        let Some(sink) = sink.as_mut() else { return false };
        let (from, len) = (u32::try_from(sink.bytes.len()), u32::try_from(bytes.len()));
        let (Ok(from), Ok(len), Some(count)) = (from, len, sink.count.checked_add(1)) else {
            sink.overflowed = true;
            return true;
        };
        sink.table.extend_from_slice(&from.to_le_bytes());
        sink.table.extend_from_slice(&len.to_le_bytes());
        sink.table.extend_from_slice(&checksum(&[bytes]).to_le_bytes());
        sink.bytes.extend_from_slice(bytes);
        sink.count = count;
        true
    })
}

/// Runs `read`, which decodes what a `writing_apart` wrote, its tasks'
/// details pointing into `block` in the order they were written.
pub fn reading_apart<R>(block: Arc<Block>, read: impl FnOnce() -> R) -> R {
    struct Restore(Option<(Arc<Block>, u32)>);
    impl Drop for Restore {
        fn drop(&mut self) {
            SOURCE.with(|source| *source.borrow_mut() = self.0.take());
        }
    }
    let _restore = Restore(SOURCE.with(|source| source.borrow_mut().replace((block, 0))));
    read()
}

/// When details are being read apart: the block and the index of the next
/// task's details in it.
pub(super) fn read() -> Option<(Arc<Block>, u32)> {
    SOURCE.with(|source| {
        let mut source = source.borrow_mut();
        let (block, next) = source.as_mut()?;
        let index = *next;
        *next = next.saturating_add(1);
        Some((block.clone(), index))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::plan::Task;
    use std::sync::atomic::{AtomicUsize, Ordering};

    const PLAN: &str = "format: 1\nid: t\ntitle: T\nphases:\n  - id: p\n    title: P\n    modules:\n      - id: m\n        title: M\n        tasks:\n          - {id: a, title: A, effort: 1h, notes: 笔记甲甲甲, deliverables: [完成实验], resources: [{title: Paper, url: 'https://example.org'}]}\n          - {id: b, title: B, effort: 1h}\n          - {id: c, title: C, effort: 2h, notes: notes of c}\n";

    fn plan() -> crate::core::plan::Plan {
        crate::core::plan::load("t.yaml", PLAN.as_bytes()).expect("plan")
    }

    fn shown(details: &Details) -> String {
        format!("{details:?}")
    }

    /// Written apart: the plan's bytes and the block, as a cache entry
    /// would hold them (the block after the plan).
    fn written(plan: &crate::core::plan::Plan) -> (Vec<u8>, Vec<u8>) {
        let (head, block) = writing_apart(|| postcard::to_stdvec(&plan.tasks));
        (head.expect("encode"), block.expect("a block"))
    }

    /// Reads the tasks back from `head` and `block`, counting the reloads.
    fn read(head: &[u8], block: Vec<u8>, reloads: &'static AtomicUsize) -> Option<Vec<Task>> {
        let at = 5; // the block need not start the bytes
        let mut bytes = vec![0xAA; at];
        bytes.extend(block);
        let reload: Reload = Box::new(move || {
            reloads.fetch_add(1, Ordering::Relaxed);
            Some(plan().tasks.iter().map(|t| t.details().clone()).collect())
        });
        let block = Block::open(Arc::new(bytes), at, reload)?;
        Some(reading_apart(block, || postcard::from_bytes::<Vec<Task>>(head).expect("decode")))
    }

    #[test]
    fn details_written_apart_come_back_from_their_block() {
        static RELOADS: AtomicUsize = AtomicUsize::new(0);
        let plan = plan();
        let (head, block) = written(&plan);
        let notes = "笔记甲甲甲".as_bytes();
        assert!(!head.windows(notes.len()).any(|w| w == notes), "no details in the plan's bytes");
        assert!(block.windows(notes.len()).any(|w| w == notes), "the details are in the block");
        let tasks = read(&head, block, &RELOADS).expect("a sound block");
        assert!(tasks.iter().all(|t| !t.details.is_decoded()), "nothing decoded on reading");
        for (back, task) in tasks.iter().zip(&plan.tasks) {
            assert_eq!(shown(back.details()), shown(task.details()), "{}", task.full_id);
        }
        assert_eq!(tasks[0].details().deliverables[0].title, "完成实验");
        assert_eq!(RELOADS.load(Ordering::Relaxed), 0, "no reload for sound bytes");
        // Written again, plainly and apart, from the details as read.
        let again = postcard::to_stdvec(&tasks).expect("encode");
        let plain: Vec<Task> = postcard::from_bytes(&again).expect("decode");
        assert_eq!(shown(plain[2].details()), shown(plan.tasks[2].details()));
        let (head, block) = written(&crate::core::plan::Plan { tasks, ..plan.clone() });
        let twice = read(&head, block, &RELOADS).expect("a sound block");
        assert_eq!(shown(twice[0].details()), shown(plan.tasks[0].details()));
    }

    #[test]
    fn a_tasks_damaged_details_come_from_the_source_and_no_other_task_is_touched() {
        static RELOADS: AtomicUsize = AtomicUsize::new(0);
        let plan = plan();
        let (head, mut block) = written(&plan);
        let at = block.windows(5).position(|w| w == b"notes").expect("c's notes");
        block[at] ^= 0x20; // "Notes of c": damaged, still valid text
        let tasks = read(&head, block, &RELOADS).expect("the table is sound");
        assert_eq!(shown(tasks[0].details()), shown(plan.tasks[0].details()));
        assert_eq!(RELOADS.load(Ordering::Relaxed), 0, "a sound task reloads nothing");
        assert_eq!(tasks[2].details().notes.as_deref(), Some("notes of c"), "from the source, not the damaged bytes");
        assert_eq!(RELOADS.load(Ordering::Relaxed), 1);
    }

    #[test]
    fn a_damaged_table_refuses_the_block_and_a_missing_source_shows_nothing() {
        let plan = plan();
        let (_, block) = written(&plan);
        let none = || -> Reload { Box::new(|| None) };
        for at in [0, 4, PREAMBLE, PREAMBLE + ENTRY + 1] {
            let mut damaged = block.clone();
            damaged[at] ^= 1;
            assert!(Block::open(Arc::new(damaged), 0, none()).is_none(), "damage at {at} went unseen");
        }
        assert!(Block::open(Arc::new(block[..PREAMBLE + 3].to_vec()), 0, none()).is_none(), "a cut-off table");
        let mut last = block.clone();
        let end = last.len() - 1;
        last[end] ^= 1;
        let block = Block::open(Arc::new(last), 0, none()).expect("the table is sound");
        assert_eq!(shown(&block.details(2)), shown(&Details::default()), "damaged, no source: nothing");
        assert_eq!(shown(&block.details(0)), shown(plan.tasks[0].details()));
        assert_eq!(shown(&block.details(9)), shown(&Details::default()), "no such task");
    }

    /// A `writing_apart` inside another keeps its own block, and the outer
    /// one goes on writing apart into its own after it.
    #[test]
    fn a_nested_writing_apart_leaves_the_outer_block_whole() {
        static RELOADS: AtomicUsize = AtomicUsize::new(0);
        let plan = plan();
        let ((inner, head), outer) = writing_apart(|| {
            let first = postcard::to_stdvec(&plan.tasks[..1]).expect("encode");
            let (_, inner) = writing_apart(|| postcard::to_stdvec(&plan.tasks[1..]).expect("encode"));
            let rest = postcard::to_stdvec(&plan.tasks[1..]).expect("encode");
            (inner, [first, rest])
        });
        let (inner, outer) = (inner.expect("the inner block"), outer.expect("the outer block"));
        assert_eq!(u32_at(&inner, 0), 2, "the inner call's two tasks");
        assert_eq!(u32_at(&outer, 0), 3, "the outer call's three tasks, apart");
        assert!(!head[1].windows(10).any(|w| w == "notes of c".as_bytes()), "written apart after the inner call");
        let mut tasks = read(&head[0], outer.clone(), &RELOADS).expect("a sound block");
        let rest = Block::open(Arc::new(outer), 0, Box::new(|| None)).expect("block");
        let rest = reading_apart(rest, || {
            let _first: Vec<Task> = postcard::from_bytes(&head[0]).expect("decode");
            postcard::from_bytes::<Vec<Task>>(&head[1]).expect("decode")
        });
        tasks.extend(rest);
        for (back, task) in tasks.iter().zip(&plan.tasks) {
            assert_eq!(shown(back.details()), shown(task.details()), "{}", task.full_id);
        }
    }

    #[test]
    fn outside_writing_apart_details_are_written_inline() {
        let plan = plan();
        let (_, block) = writing_apart(|| ());
        assert_eq!(block.map(|b| b.len()), Some(PREAMBLE), "an empty block");
        let inline = postcard::to_stdvec(&plan.tasks).expect("encode");
        assert!(inline.windows(10).any(|w| w == "notes of c".as_bytes()), "inline after a writing_apart");
        let back: Vec<Task> = postcard::from_bytes(&inline).expect("decode");
        assert_eq!(shown(back[0].details()), shown(plan.tasks[0].details()));
    }
}
