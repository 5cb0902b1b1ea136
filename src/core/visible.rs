//! Text as it may be shown: control characters made visible, and the
//! marks our screens colour with (turned into escape sequences only at the
//! output edge, `shell::terminal::shown`).
//!
//! A plan or a state may hold any character. Shown raw, ESC and its kin
//! would let a shared plan clear the screen, set the window title, make a
//! link, move the cursor or overwrite a line. So every screen's text goes
//! through [`visible`] at the edge, and our own colours are not escape
//! sequences while a screen is built but *marks*: the invisible, zero-width
//! code point U+E0001 (LANGUAGE TAG, deprecated, never in real text), the
//! SGR parameters as tag characters (`TAG DIGIT ONE` …, U+E0030–U+E003B)
//! and U+E006D (`TAG LATIN SMALL LETTER M`). Terminals and width counts
//! ignore them; the edge turns them into `ESC [ … m` when colour is on and
//! drops them otherwise. A raw ESC, whoever wrote it, is always shown as `␛`.

use std::borrow::Cow;

/// Starts a mark.
pub(crate) const MARK: char = '\u{E0001}';
/// Ends a mark.
const MARK_END: char = '\u{E006D}';
/// The tag characters mirror ASCII from this offset.
const TAG: u32 = 0xE0000;

/// The mark for the SGR parameters `params` (digits and `;`): the colour
/// `ESC [ params m` once the text reaches a terminal that wants colour.
pub(crate) fn mark(params: &str) -> String {
    let mut out = String::with_capacity(4 * (params.len() + 2));
    out.push(MARK);
    out.extend(params.chars().filter_map(|c| char::from_u32(TAG + c as u32)));
    out.push(MARK_END);
    out
}

/// `text` painted with `params`, reset after.
pub(crate) fn painted(params: &str, text: &str) -> String {
    format!("{}{text}{}", mark(params), mark("0"))
}

/// The SGR parameters of the mark `text` starts with, and the mark's
/// length in bytes; `None` when `text` does not start with a whole mark.
pub(crate) fn read_mark(text: &str) -> Option<(String, usize)> {
    let mut chars = text.char_indices();
    if chars.next()?.1 != MARK {
        return None;
    }
    let mut params = String::new();
    for (at, c) in chars {
        if c == MARK_END {
            return Some((params, at + c.len_utf8()));
        }
        match char::from_u32((c as u32).wrapping_sub(TAG)) {
            Some(p) if (c as u32) > TAG && (p.is_ascii_digit() || p == ';') && params.len() < 32 => params.push(p),
            _ => return None,
        }
    }
    None
}

/// Whether `c` is shown as it is: not a control character, or a newline or
/// tab (which the layout places).
fn harmless(c: char) -> bool {
    !c.is_control() || c == '\n' || c == '\t'
}

/// Whether any byte is a `hit`: 32 bytes at a time, each block without a
/// branch a byte (so the compiler tests it with vector compares), stopping
/// at the first block with a hit.
pub(crate) fn any_byte(bytes: &[u8], hit: impl Fn(u8) -> bool) -> bool {
    let (blocks, rest) = bytes.as_chunks::<32>();
    blocks.iter().any(|block| block.iter().fold(false, |seen, &b| seen | hit(b)))
        || rest.iter().fold(false, |seen, &b| seen | hit(b))
}

/// `text.chars().all(harmless)`, read byte by byte: the control characters
/// are C0 (bytes below 0x20), DEL (0x7f) and C1 (U+0080..U+009F, which
/// UTF-8 writes as 0xC2 0x80..0x9F). Every table cell passes through here.
fn all_harmless(text: &str) -> bool {
    let bytes = text.as_bytes();
    // Nearly all text has no byte below 0x20, no DEL and no 0xC2 at all:
    // one pass many bytes at a time says so.
    if !any_byte(bytes, |b| (b < 0x20) | (b == 0x7f) | (b == 0xc2)) {
        return true;
    }
    let Some(&last) = bytes.last() else { return true };
    let c0 = |b: u8| (b < 0x20) & (b != b'\n') & (b != b'\t') | (b == 0x7f);
    let c1 = |b: u8, next: u8| (b == 0xc2) & (0x80..=0x9f).contains(&next);
    // Each byte with the one after it, without a branch a byte, so that
    // the compiler compares many at once (the whole screen passes here
    // too); a 0xC2 cannot be the last byte of valid UTF-8.
    let pairs = bytes.iter().zip(&bytes[1..]);
    !c0(last) && !pairs.fold(false, |bad, (&b, &next)| bad | c0(b) | c1(b, next))
}

/// `text` with every control character made visible: C0 characters as
/// their Unicode control pictures (ESC as `␛`, a lone CR as `␍`, backspace
/// as `␈`, NUL as `␀`), DEL as `␡`, C1 characters as `\u{9b}`. Kept:
/// newline, tab, and a CR that ends a line (CRLF). Marks are kept (the
/// edge decides what becomes of them).
pub(crate) fn visible(text: &str) -> Cow<'_, str> {
    if all_harmless(text) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' if chars.peek() == Some(&'\n') => out.push('\r'),
            c if harmless(c) => out.push(c),
            '\x7f' => out.push('␡'),
            c if (c as u32) < 0x20 => out.push(char::from_u32(0x2400 + c as u32).unwrap_or('\u{fffd}')),
            c => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
        }
    }
    Cow::Owned(out)
}

/// `text` without marks: what it shows with colour off.
pub(crate) fn unmarked(text: &str) -> Cow<'_, str> {
    // 0xF3 leads every mark's UTF-8 form (and little else): a byte search first.
    if !text.as_bytes().contains(&0xf3) || !text.contains(MARK) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(MARK) {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let skip = read_mark(rest).map_or(MARK.len_utf8(), |(_, len)| len);
        rest = &rest[skip..];
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// `text` with its marks as the escape codes they stand for: for a layout
/// library that knows how to carry `ESC [ … m` across the lines it wraps
/// (comfy-table). Only for text whose control characters were made
/// [`visible`], so that every ESC after it is one of ours; [`to_marks`]
/// undoes it.
pub(crate) fn to_sgr(text: &str) -> Cow<'_, str> {
    if !text.contains(MARK) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(MARK) {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        match read_mark(rest) {
            Some((params, len)) => {
                out.push_str(&format!("\x1b[{params}m"));
                rest = &rest[len..];
            }
            None => rest = &rest[MARK.len_utf8()..],
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// `text` with every `ESC [ params m` as a mark again (other escapes are
/// left for the edge to show).
pub(crate) fn to_marks(text: &str) -> Cow<'_, str> {
    if !text.contains('\x1b') {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("\x1b[") {
        out.push_str(&rest[..at]);
        let body = &rest[at + 2..];
        let end = body.find(|c: char| !(c.is_ascii_digit() || c == ';')).unwrap_or(body.len());
        if body[end..].starts_with('m') {
            out.push_str(&mark(&body[..end]));
            rest = &body[end + 1..];
        } else {
            out.push_str("\x1b[");
            rest = body;
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// `any_byte` is `iter().any`: whole blocks, a rest, and the hit in
        /// either or neither.
        #[test]
        fn any_byte_is_any(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..100), at in 0usize..100) {
            let mut bytes = bytes;
            let hit = |b: u8| b == 0x1b || b < 3;
            proptest::prop_assert_eq!(any_byte(&bytes, hit), bytes.iter().any(|&b| hit(b)));
            if let Some(b) = bytes.get_mut(at) {
                *b = 0x1b;
            }
            proptest::prop_assert_eq!(any_byte(&bytes, hit), bytes.iter().any(|&b| hit(b)));
            proptest::prop_assert_eq!(any_byte(&bytes, |_| false), false);
        }
    }

    /// The byte-wise check agrees with `char::is_control` on every char,
    /// alone and between others.
    #[test]
    fn the_byte_check_agrees_with_the_char_check() {
        for c in (0..=0x10ffffu32).filter_map(char::from_u32) {
            for text in [c.to_string(), format!("a{c}é"), format!("编{c}"), format!("{}{c}\n", "编".repeat(11))] {
                assert_eq!(all_harmless(&text), text.chars().all(harmless), "{:x}", c as u32);
            }
        }
    }

    #[test]
    fn control_characters_are_shown_not_obeyed() {
        assert_eq!(visible("plain 中文\n\ttab"), "plain 中文\n\ttab");
        assert!(matches!(visible("plain"), Cow::Borrowed(_)));
        assert_eq!(visible("\x1b[2Jwiped"), "␛[2Jwiped");
        assert_eq!(visible("\x1b]0;title\x07"), "␛]0;title␇");
        assert_eq!(visible("\x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\"), "␛]8;;http://x␛\\link␛]8;;␛\\");
        assert_eq!(visible("safe\rEVIL"), "safe␍EVIL");
        assert_eq!(visible("ab\x08\x08XY"), "ab␈␈XY");
        assert_eq!(visible("line\r\nnext"), "line\r\nnext");
        assert_eq!(visible("del\x7f c1\u{9b}2J nul\0"), "del␡ c1\\u{9b}2J nul␀");
    }

    #[test]
    fn marks_read_back_and_vanish_without_colour() {
        let text = painted("38;5;10", "done");
        assert_eq!(read_mark(&text), Some(("38;5;10".to_string(), mark("38;5;10").len())));
        assert_eq!(unicode_width::UnicodeWidthStr::width(text.as_str()), 4, "marks take no cells");
        assert_eq!(unmarked(&text), "done");
        assert_eq!(visible(&text), text, "marks are not control characters");
        assert_eq!(read_mark("\u{E0001}\u{E0031}"), None, "cut short");
        assert_eq!(read_mark("\u{E0001}\u{E0041}\u{E006D}"), None, "a letter is no parameter");
        assert_eq!(unmarked("a\u{E0001}b"), "ab");
    }

    #[test]
    fn marks_and_escape_codes_convert_both_ways() {
        let text = format!("{} and {}", painted("1", "p4"), painted("38;5;10", "done"));
        let sgr = to_sgr(&text);
        assert_eq!(sgr, "\x1b[1mp4\x1b[0m and \x1b[38;5;10mdone\x1b[0m");
        assert_eq!(to_marks(&sgr), text);
        assert_eq!(to_marks("\x1b[2J"), "\x1b[2J", "not a colour: left for the edge to show");
    }
}
