//! Files that are neither the state nor a plan: a guide read by `import`
//! (a size cap before reading, UTF-8 checked) and the plan it writes
//! (through the one atomic-write path).

use crate::shell::atomic::{self, Target};
use crate::shell::error::{Error, Result};
use std::path::Path;

/// The largest guide `import` reads: far above any real guide, far below
/// what would make the plan too big for the loader (16 MiB).
pub(crate) const MAX_GUIDE_BYTES: u64 = 4 * 1024 * 1024;

/// A guide's text: a regular file of at most [`MAX_GUIDE_BYTES`], UTF-8
/// (a BOM is fine), with no NUL byte.
pub(crate) fn read_guide(path: &Path) -> Result<String> {
    let shown = path.display();
    let metadata = std::fs::metadata(path).map_err(|e| Error::io("read the guide", path, e))?;
    if !metadata.is_file() {
        return Err(
            Error::refused(format!("{shown} is not a regular file")).with_hint("give the path of a Markdown file")
        );
    }
    if metadata.len() > MAX_GUIDE_BYTES {
        return Err(Error::refused(format!(
            "{shown} is {} bytes, over the limit of 4 MiB for a guide",
            metadata.len()
        ))
        .with_hint("import the part of it that is a learning guide, or split it into several guides"));
    }
    let bytes = std::fs::read(path).map_err(|e| Error::io("read the guide", path, e))?;
    if let Some(at) = bytes.iter().position(|&b| b == 0) {
        return Err(Error::refused(format!("{shown} is not a text file (a NUL byte at byte {at})"))
            .with_hint("import a Markdown (.md) file"));
    }
    String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let line = e.as_bytes()[..at].iter().filter(|&&b| b == b'\n').count() + 1;
        Error::refused(format!("{shown} is not UTF-8 text: invalid bytes at line {line} (byte {at})"))
            .with_hint("save the guide as UTF-8 (e.g. `iconv -f GB18030 -t UTF-8 guide.md > guide-utf8.md`)")
    })
}

/// Whether something is at `path` already.
pub(crate) fn exists(path: &Path) -> bool {
    std::fs::symlink_metadata(path).is_ok()
}

/// Writes a user's file whole, atomically (a reader sees the old file or
/// the new one; a failure leaves no temporary file).
pub(crate) fn write_file(path: &Path, bytes: &[u8]) -> Result<()> {
    if path.file_name().is_none() {
        return Err(Error::usage(format!("{}: not a file name", path.display())));
    }
    atomic::replace(path, bytes, Target::Export).map_err(|failed| Error::io(failed.step.action(), path, failed.source))
}
