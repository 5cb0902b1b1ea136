//! An on-disk cache of derived data (validated plans, state snapshots) in
//! the user cache directory. Each entry is keyed by a hash of its source and
//! of this program's version and schema, and carries a checksum of its
//! payload; anything that does not match is ignored and rebuilt. A cache is
//! never trusted over its source, and failing to write one is not an error.

use serde::Serialize;
use serde::de::DeserializeOwned;
use std::io::Write;
use std::path::Path;

const MAGIC: &[u8; 8] = b"RMCACHE1";

/// Bump when a cached type changes shape.
const SCHEMA: &str = "plan-2 snapshot-4";

/// A fast 64-bit hash for change detection (not for adversaries).
pub fn hash(bytes: &[u8]) -> u64 {
    const K: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut h: u64 = 0x243f_6a88_85a3_08d3 ^ (bytes.len() as u64).wrapping_mul(K);
    let mut chunks = bytes.chunks_exact(8);
    for chunk in &mut chunks {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        h = (h ^ u64::from_le_bytes(word)).wrapping_mul(K).rotate_left(29);
    }
    for &b in chunks.remainder() {
        h = (h ^ u64::from(b)).wrapping_mul(K).rotate_left(29);
    }
    h ^ (h >> 32)
}

/// The key of an entry derived from `source`: also covers the program
/// version and schema, so an upgrade never reads an old layout.
pub fn key(source: &[u8]) -> u64 {
    hash(source) ^ hash(concat!(env!("CARGO_PKG_VERSION"), " ").as_bytes()).rotate_left(7) ^ hash(SCHEMA.as_bytes())
}

/// A file's modification time (ns since the epoch) and inode: with its
/// length, what tells that a file is unchanged without reading it.
pub fn file_identity(meta: &std::fs::Metadata) -> (u128, u64) {
    let modified =
        meta.modified().ok().and_then(|m| m.duration_since(std::time::UNIX_EPOCH).ok()).map_or(0, |d| d.as_nanos());
    #[cfg(unix)]
    let inode = std::os::unix::fs::MetadataExt::ino(meta);
    #[cfg(not(unix))]
    let inode = 0;
    (modified, inode)
}

/// Reads an entry; `None` when missing, for another key, or damaged.
pub fn load<T: DeserializeOwned>(path: &Path, key: u64) -> Option<T> {
    let bytes = std::fs::read(path).ok()?;
    if bytes.len() < 24 || &bytes[..8] != MAGIC {
        return None;
    }
    let stored_key = u64::from_le_bytes(bytes[8..16].try_into().ok()?);
    let checksum = u64::from_le_bytes(bytes[16..24].try_into().ok()?);
    let payload = &bytes[24..];
    if stored_key != key || hash(payload) != checksum {
        return None;
    }
    postcard::from_bytes(payload).ok()
}

/// Writes an entry atomically (temp file and rename); errors are ignored.
pub fn store<T: Serialize>(path: &Path, key: u64, value: &T) {
    let Ok(payload) = postcard::to_stdvec(value) else { return };
    let Some(dir) = path.parent() else { return };
    if std::fs::create_dir_all(dir).is_err() {
        return;
    }
    let temp = path.with_extension(format!("tmp-{}", std::process::id()));
    let written = std::fs::File::create(&temp).and_then(|mut file| {
        file.write_all(MAGIC)?;
        file.write_all(&key.to_le_bytes())?;
        file.write_all(&hash(&payload).to_le_bytes())?;
        file.write_all(&payload)
    });
    if written.is_err() || std::fs::rename(&temp, path).is_err() {
        let _ = std::fs::remove_file(&temp);
    }
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

    #[test]
    fn hash_sees_every_byte() {
        assert_ne!(hash(b"abcdefgh1"), hash(b"abcdefgh2"));
        assert_ne!(hash(b"abcdefgh"), hash(b"abcdefgi"));
        assert_ne!(hash(b""), hash(b"\0"));
    }
}
