//! An on-disk cache of derived data (validated plans, state snapshots) in
//! the user cache directory. Each entry is keyed by a hash of its source and
//! of this program's version and schema, and carries a checksum of its
//! payload; anything that does not match is ignored and rebuilt. A cache is
//! never trusted over its source, and failing to write one is not an error.
//!
//! An entry: the magic, the key, the payload's checksum and length (u64s,
//! little-endian), the payload, and then a tail that the checksum does not
//! cover, for data that carries its own checks and is read only in part (a
//! plan's task details, `plan::apart`): it is neither read nor checked
//! when the entry is opened.

use serde::Serialize;
use std::path::Path;
use std::sync::Arc;

const MAGIC: &[u8; 8] = b"RMCACHE2";

/// The magic, the key, the checksum and the payload's length.
const HEADER: usize = 32;

/// Bump when a cached type changes shape.
const SCHEMA: &str = "plan-6 snapshot-12 xxh3 journal-last-sized-days details-apart-sum64";

/// A fast 64-bit hash for change detection (not for adversaries): XXH3.
pub(crate) fn hash(bytes: &[u8]) -> u64 {
    xxhash_rust::xxh3::xxh3_64(bytes)
}

/// The key of an entry derived from `source`: also covers the program
/// version and schema, so an upgrade never reads an old layout.
pub(crate) fn key(source: &[u8]) -> u64 {
    hash(source) ^ hash(concat!(env!("CARGO_PKG_VERSION"), " ").as_bytes()).rotate_left(7) ^ hash(SCHEMA.as_bytes())
}

/// A file's modification time (ns since the epoch) and inode: with its
/// length, what tells that a file is unchanged without reading it.
pub(crate) fn file_identity(meta: &std::fs::Metadata) -> (u128, u64) {
    let modified =
        meta.modified().ok().and_then(|m| m.duration_since(std::time::UNIX_EPOCH).ok()).map_or(0, |d| d.as_nanos());
    #[cfg(unix)]
    let inode = std::os::unix::fs::MetadataExt::ino(meta);
    #[cfg(not(unix))]
    let inode = 0;
    (modified, inode)
}

/// Reads an entry; `None` when missing, for another key, or damaged.
#[cfg(test)]
pub(crate) fn load<T: serde::de::DeserializeOwned>(path: &Path, key: u64) -> Option<T> {
    postcard::from_bytes(Entry::open(path, key)?.payload()).ok()
}

/// An entry whose key and checksum matched, mapped: its payload can be
/// decoded borrowing from it, and kept (`shared`) past the decoding.
pub(crate) struct Entry {
    bytes: crate::core::journal::SharedBytes,
    /// Where the payload ends and the tail starts.
    payload_end: usize,
}

impl Entry {
    /// The entry at `path`; `None` when missing, for another key, or damaged.
    pub(crate) fn open(path: &Path, key: u64) -> Option<Entry> {
        let bytes = bytes(path)?;
        let all = (*bytes).as_ref();
        if all.len() < HEADER || &all[..8] != MAGIC {
            return None;
        }
        let stored_key = u64::from_le_bytes(all[8..16].try_into().ok()?);
        let checksum = u64::from_le_bytes(all[16..24].try_into().ok()?);
        let len = usize::try_from(u64::from_le_bytes(all[24..HEADER].try_into().ok()?)).ok()?;
        let payload_end = HEADER.checked_add(len).filter(|&end| end <= all.len())?;
        if stored_key != key || hash(&all[HEADER..payload_end]) != checksum {
            return None;
        }
        Some(Entry { bytes, payload_end })
    }

    pub(crate) fn payload(&self) -> &[u8] {
        &(*self.bytes).as_ref()[HEADER..self.payload_end]
    }

    /// Where the tail starts in the entry's bytes (`shared`).
    pub(crate) fn tail_start(&self) -> usize {
        self.payload_end
    }

    /// The entry's bytes, kept for the rest of the run, so that what is
    /// decoded from them may borrow them for as long as it lives
    /// (`text::keeping`): a command reads an entry once or twice, and a
    /// mapped one costs no memory of its own. Entries are replaced whole,
    /// never written in place (see `bytes`), so the bytes do not change.
    /// Only in the `roadmap` process, which exits after its command
    /// (`teardown`); `None` elsewhere (tests, benchmarks, other callers of
    /// the library, which may read entries many times): copy from them.
    /// Never on Windows, where a mapped entry cannot be replaced in the run.
    pub(crate) fn kept(&self) -> Option<&'static [u8]> {
        if cfg!(windows) || !crate::shell::teardown::leaves_to_exit() {
            return None;
        }
        let kept: &'static crate::core::journal::SharedBytes = Box::leak(Box::new(self.bytes.clone()));
        Some((**kept).as_ref())
    }

    /// The entry's bytes, to keep a part of them in what was decoded.
    pub(crate) fn shared(&self) -> crate::core::journal::SharedBytes {
        self.bytes.clone()
    }
}

/// From this size on, an entry is mapped rather than read.
const MAPPED_FROM: u64 = 256 * 1024;

/// The entry's bytes. A large one is mapped rather than read: the pages
/// the kernel already holds are used in place (the payload's populated in
/// one call, the tail's when touched: `populate_payload`),
/// where reading would zero and fill as many fresh pages of heap; a small
/// one costs less to read than to map and unmap. Entries are only ever
/// replaced by a rename, never written in place, so a mapped file does
/// not change under the reader, however long it keeps the mapping (a
/// replaced file lives on until it is unmapped). This holds for roadmap's
/// own writes; a program that truncates or rewrites a cache file in place
/// (`cp` over it, `rsync --inplace`, another machine on a network cache
/// directory) while a command runs could crash that command (SIGBUS): a
/// snapshot's journal and a plan's task details are read from the mapping
/// for as long as the command runs, not only while the entry is decoded
/// (the details in any process, not only `roadmap`'s; not on Windows,
/// where they are copied: `plan_source::cached`).
fn bytes(path: &Path) -> Option<crate::core::journal::SharedBytes> {
    let mut file = std::fs::File::open(path).ok()?;
    let len = file.metadata().ok()?.len();
    crate::shell::alloc::expect_large(len);
    if len < MAPPED_FROM {
        let mut bytes = Vec::with_capacity(len as usize);
        std::io::Read::read_to_end(&mut file, &mut bytes).ok()?;
        return Some(Arc::new(bytes));
    }
    // SAFETY: the file is a cache entry, written whole to a temporary file
    // and renamed into place (`atomic::replace`); no program writes into or
    // truncates it, so the mapping's bytes stay as they were while read.
    let map = unsafe { memmap2::MmapOptions::new().map(&file) }.ok()?;
    populate_payload(&map);
    Some(Arc::new(map))
}

/// Maps the pages of an entry's header and payload in one call, as they
/// are read whole (to check them); the tail's pages only when touched.
/// Best effort: without it (before Linux 5.14, other systems) a page is
/// mapped when first read.
#[cfg(target_os = "linux")]
fn populate_payload(map: &memmap2::Mmap) {
    let len = map.get(24..HEADER).and_then(|b| b.try_into().ok()).map(u64::from_le_bytes);
    let end = len.and_then(|len| usize::try_from(len).ok()).map_or(map.len(), |len| len.saturating_add(HEADER));
    let _ = map.advise_range(memmap2::Advice::PopulateRead, 0, end.min(map.len()));
}

#[cfg(not(target_os = "linux"))]
fn populate_payload(_: &memmap2::Mmap) {}

/// Writes an entry atomically (`atomic`, not synced: a cache lost in a
/// crash is rebuilt, a torn one fails its checksum); errors are ignored.
pub(crate) fn store<T: Serialize>(path: &Path, key: u64, value: &T) {
    let Ok(payload) = postcard::to_stdvec(value) else { return };
    store_parts(path, key, &payload, &[]);
}

/// Writes an entry of a payload (encoded) and a tail, as `store` does.
pub(crate) fn store_parts(path: &Path, key: u64, payload: &[u8], tail: &[u8]) {
    let Some(dir) = path.parent() else { return };
    if std::fs::create_dir_all(dir).is_err() {
        return;
    }
    let mut bytes = Vec::with_capacity(HEADER + payload.len() + tail.len());
    bytes.extend_from_slice(MAGIC);
    bytes.extend_from_slice(&key.to_le_bytes());
    bytes.extend_from_slice(&hash(payload).to_le_bytes());
    bytes.extend_from_slice(&(payload.len() as u64).to_le_bytes());
    bytes.extend_from_slice(payload);
    bytes.extend_from_slice(tail);
    let _ = crate::shell::atomic::replace(path, &bytes, crate::shell::atomic::Target::Cache);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_refuses_damage() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("entry.bin");
        store(&path, 7, &vec!["a".to_string(), "编辑距离".to_string()]);
        assert_eq!(load::<Vec<String>>(&path, 7), Some(vec!["a".to_string(), "编辑距离".to_string()]));
        assert_eq!(load::<Vec<String>>(&path, 8), None, "another key");
        let mut bytes = std::fs::read(&path).expect("entry");
        let last = bytes.len() - 1;
        bytes[last] ^= 1;
        std::fs::write(&path, &bytes).expect("write");
        assert_eq!(load::<Vec<String>>(&path, 7), None, "a damaged payload");
        std::fs::write(&path, b"garbage").expect("write");
        assert_eq!(load::<Vec<String>>(&path, 7), None, "garbage");
    }

    /// The checksum covers the payload, not the tail, which is left where it
    /// lies for its owner to check (`plan::apart`).
    #[test]
    fn a_tail_follows_the_payload_unchecked() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("entry.bin");
        for size in [10, MAPPED_FROM as usize] {
            let payload = postcard::to_stdvec(&vec![1u8, 2, 3]).expect("encode");
            let tail: Vec<u8> = (0..size).map(|i| (i % 241) as u8).collect();
            store_parts(&path, 7, &payload, &tail);
            let entry = Entry::open(&path, 7).expect("entry");
            assert_eq!(entry.payload(), &payload[..]);
            assert_eq!(&(*entry.shared()).as_ref()[entry.tail_start()..], &tail[..]);
            let mut bytes = std::fs::read(&path).expect("entry");
            let last = bytes.len() - 1;
            bytes[last] ^= 1;
            std::fs::write(&path, &bytes).expect("write");
            assert!(Entry::open(&path, 7).is_some(), "the tail is not the entry's to check");
            bytes[HEADER] ^= 1;
            std::fs::write(&path, &bytes).expect("write");
            assert!(Entry::open(&path, 7).is_none(), "a damaged payload");
            bytes[HEADER] ^= 1;
            let past = (bytes.len() as u64).to_le_bytes();
            bytes[24..HEADER].copy_from_slice(&past);
            std::fs::write(&path, &bytes).expect("write");
            assert!(Entry::open(&path, 7).is_none(), "a length past the end");
        }
    }

    /// A large entry is mapped, a small one read: both come back the same,
    /// and what is kept of a mapped one outlives its replacement.
    #[test]
    fn large_entries_are_mapped_and_outlive_their_replacement() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("entry.bin");
        let large: Vec<u8> = (0..MAPPED_FROM as usize + 10).map(|i| (i % 251) as u8).collect();
        for value in [vec![1u8, 2, 3], large.clone()] {
            store(&path, 7, &value);
            assert_eq!(load::<Vec<u8>>(&path, 7), Some(value));
        }
        let entry = Entry::open(&path, 7).expect("entry");
        let kept = entry.shared();
        drop(entry);
        store(&path, 7, &vec![9u8]);
        assert_eq!(load::<Vec<u8>>(&path, 7), Some(vec![9]), "replaced");
        let decoded: Vec<u8> = postcard::from_bytes(&(*kept).as_ref()[HEADER..]).expect("the old bytes");
        assert_eq!(decoded, large, "the mapping still holds the replaced entry");
    }

    /// A write that fails (here: a directory where the entry goes) leaves
    /// no temporary file behind.
    #[test]
    fn a_failed_write_leaves_no_temporary_file() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("entry.bin");
        std::fs::create_dir(&path).expect("mkdir");
        std::fs::write(path.join("x"), b"x").expect("write");
        store(&path, 7, &1u32);
        let names: Vec<_> = std::fs::read_dir(dir.path()).expect("list").flatten().map(|e| e.file_name()).collect();
        assert_eq!(names, ["entry.bin"]);
        let ok = dir.path().join("ok.bin");
        store(&ok, 7, &1u32);
        let mut names: Vec<_> = std::fs::read_dir(dir.path()).expect("list").flatten().map(|e| e.file_name()).collect();
        names.sort();
        assert_eq!(names, ["entry.bin", "ok.bin"]);
    }

    #[test]
    fn hash_sees_every_byte() {
        assert_ne!(hash(b"abcdefgh1"), hash(b"abcdefgh2"));
        assert_ne!(hash(b"abcdefgh"), hash(b"abcdefgi"));
        assert_ne!(hash(b""), hash(b"\0"));
    }
}
