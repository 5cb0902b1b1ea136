//! The terminal's side of output: writing to stdout and stderr without
//! ever panicking, a broken pipe taken as a quiet end, and no control
//! character from a plan or the state reaching the terminal raw.

use crate::core::visible::{MARK, read_mark, unmarked, visible};
use std::borrow::Cow;
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

/// Text as it may reach a terminal (or a file the learner pipes it to):
/// every control character shown visibly, whoever wrote it
/// ([`visible`](crate::core::visible::visible): ESC as `␛`, a lone CR as
/// `␍`, …), and our colour marks turned into `ESC [ … m` when `color`,
/// dropped otherwise. The only escape sequences that can come out are the
/// SGR colours and weights our screens use: they colour text but cannot
/// clear the screen, move the cursor, set the window title or make a link.
pub fn shown(text: &str, color: bool) -> Cow<'_, str> {
    let text = visible(text);
    if !text.contains(MARK) {
        return text;
    }
    if !color {
        return Cow::Owned(unmarked(&text).into_owned());
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = &*text;
    while let Some(at) = rest.find(MARK) {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        match read_mark(rest) {
            Some((params, len)) => {
                if ours(&params) {
                    out.push_str(&format!("\x1b[{params}m"));
                }
                rest = &rest[len..];
            }
            None => rest = &rest[MARK.len_utf8()..],
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// Whether SGR parameters are the colours and weights our screens use:
/// resets, bold, dim, normal weight, colours 30–37, 39, 90–97, `38;5;N`
/// (no concealed, blinking or reversed text).
fn ours(params: &str) -> bool {
    let mut params = params.split(';').map(|p| p.parse::<u16>().unwrap_or(0));
    while let Some(p) = params.next() {
        match p {
            0 | 1 | 2 | 22 | 30..=37 | 39 | 90..=97 => {}
            38 if params.next() == Some(5) && params.next().is_some_and(|n| n <= 255) => {}
            _ => return false,
        }
    }
    true
}

/// Writes a line to stderr, shown as [`shown`] without colour; if stderr
/// is gone too, there is no one to tell (unlike `eprintln!`, this never
/// panics).
pub fn to_stderr(line: &str) {
    let _ = writeln!(std::io::stderr().lock(), "{}", shown(line, false));
}

/// Writes an error's report to stderr after the word `error`, red and bold
/// when `color`; the report is shown as [`shown`] without colour.
pub fn error_to_stderr(report: &str, color: bool) {
    let label = if color { "\x1b[31;1merror\x1b[0m" } else { "error" };
    let _ = writeln!(std::io::stderr().lock(), "{label}: {}", shown(report, false));
}

#[cfg(test)]
mod tests {
    use super::shown;
    use crate::core::visible::{mark, painted};

    #[test]
    fn control_characters_are_shown_with_or_without_colour() {
        for color in [false, true] {
            assert_eq!(shown("\x1b[2Jwiped \x1b[1mbold\x1b[0m", color), "␛[2Jwiped ␛[1mbold␛[0m");
            assert_eq!(shown("safe\rEVIL\x08", color), "safe␍EVIL␈");
        }
    }

    #[test]
    fn our_marks_become_colour_only_with_colour() {
        let text = format!("{} and {}", painted("1", "p4"), painted("38;5;10", "done"));
        assert_eq!(shown(&text, true), "\x1b[1mp4\x1b[0m and \x1b[38;5;10mdone\x1b[0m");
        assert_eq!(shown(&text, false), "p4 and done");
        // Concealed, blinking, reversed: not ours, dropped.
        let odd = format!("{}hidden{}{}", mark("8"), mark("5"), mark("7;1"));
        assert_eq!(shown(&odd, true), "hidden");
        assert_eq!(shown(&format!("{}x", mark("38;2;1;2;3")), true), "x");
        assert_eq!(shown("\u{E0001}cut", true), "cut");
    }
}
