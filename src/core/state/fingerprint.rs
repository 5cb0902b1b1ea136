//! The fingerprint of a plan's text that a state records (`plan.file.hash`,
//! `snapshot.hash`): 64 bits as 16 hex digits. Part of the state format, so
//! it is this exact function for good: a new one would make every state
//! written so far report its plan as changed. (Cache keys and checksums,
//! which nothing keeps, use XXH3 in `shell::cache`.) Change detection only,
//! not for adversaries.

/// The fingerprint of `bytes`.
pub(crate) fn fingerprint(bytes: &[u8]) -> u64 {
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

/// The fingerprint as the state writes it: 16 lower-case hex digits.
pub(crate) fn hex(bytes: &[u8]) -> String {
    format!("{:016x}", fingerprint(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Pinned: states on disk hold these values.
    #[test]
    fn the_fingerprint_never_changes() {
        assert_eq!(hex(b""), "243f6a88a19c625b");
        assert_eq!(hex(b"roadmap"), "276dcf4c4df50408");
        assert_eq!(hex(b"abcdefgh1"), "0af1d961acb43ec4");
        assert_ne!(fingerprint(b"abcdefgh1"), fingerprint(b"abcdefgh2"));
        assert_ne!(fingerprint(b""), fingerprint(b"\0"));
    }
}
