//! Fault injection for the crash-safety tests, compiled into debug (test)
//! builds only: a release binary has no trace of it and ignores
//! `ROADMAP_FAULT`.
//!
//! `ROADMAP_FAULT=POINT:ACTION`, POINT one of `append`, `append-sync`
//! (the state's append), `rewrite`, `rewrite-sync`, `rename` (the state's
//! whole-file rewrite), `cache`, `cache-rename` (a cache entry), `export`,
//! `export-sync`, `export-rename` (`export --out`); ACTION `fail` (an I/O
//! error, as from a full disk), `abort` (the process dies there), `half`
//! (half the bytes are written, then the process dies) or `pause` (it says
//! so on stderr and sleeps a minute, holding the lock, for a test to kill it).

use std::io::{self, Write};

/// Acts on `ROADMAP_FAULT` when it names `point`; `out` and `bytes` are
/// what is about to be written there (for `half`).
#[cfg(debug_assertions)]
pub(crate) fn inject(point: &str, out: &mut dyn Write, bytes: &[u8]) -> io::Result<()> {
    let Some(spec) = std::env::var_os("ROADMAP_FAULT") else {
        return Ok(());
    };
    let spec = spec.to_string_lossy();
    let Some((at, action)) = spec.split_once(':') else {
        return Ok(());
    };
    if at != point {
        return Ok(());
    }
    match action {
        "fail" => Err(io::Error::new(io::ErrorKind::StorageFull, "no space left on device (injected)")),
        "abort" => std::process::abort(),
        "half" => {
            out.write_all(&bytes[..bytes.len() / 2])?;
            out.flush()?;
            std::process::abort()
        }
        "pause" => {
            eprintln!("roadmap: paused at {point} (ROADMAP_FAULT)");
            std::thread::sleep(std::time::Duration::from_secs(60));
            Ok(())
        }
        _ => Ok(()),
    }
}

/// Release builds: no fault injection at all.
#[cfg(not(debug_assertions))]
#[inline(always)]
pub(crate) fn inject(_point: &str, _out: &mut dyn Write, _bytes: &[u8]) -> io::Result<()> {
    Ok(())
}
