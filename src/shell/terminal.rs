//! The terminal's side of output: writing to stdout and stderr without
//! ever panicking, a broken pipe taken as a quiet end.

use std::io::Write;

/// What the terminal allows: colour or not, and the width tables may use.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Terminal {
    pub color: bool,
    /// Terminal cells a line may take; `None`: no limit (not a terminal).
    pub width: Option<u16>,
}

impl Terminal {
    /// No colour, 100 columns: what tests and benchmarks use.
    pub const PLAIN: Terminal = Terminal { color: false, width: Some(100) };
}

/// Writes a line to stderr; if stderr is gone too, there is no one to tell
/// (unlike `eprintln!`, this never panics).
pub fn to_stderr(line: &str) {
    let _ = writeln!(std::io::stderr().lock(), "{line}");
}
