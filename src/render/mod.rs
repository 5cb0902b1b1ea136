//! Turning figures into text: styles, tables, bars.

pub(crate) mod config;
pub(crate) mod doctor;
pub(crate) mod event;
pub(crate) mod forecast;
pub(crate) mod habits;
pub(crate) mod import;
pub(crate) mod init;
pub(crate) mod list;
pub(crate) mod next;
pub(crate) mod off;
pub(crate) mod plans;
pub(crate) mod record;
pub(crate) mod report;
pub(crate) mod review;
pub(crate) mod routes;
pub(crate) mod schedule;
pub(crate) mod show;
pub(crate) mod show_item;
pub(crate) mod style;
pub mod summary;
pub(crate) mod sync;
pub(crate) mod table;
pub(crate) mod validate;
pub(crate) mod verdict;
pub(crate) mod why;

pub use style::{Style, Width};

use crate::core::habits::Mark;

/// A sentence laid out for the terminal: folded at spaces to the width
/// (textwrap, CJK widths counted), each line indented by `indent`; one line
/// when the width is unlimited.
pub(crate) fn fold(text: &str, style: Style, indent: &str) -> String {
    match style.width {
        Width::Unlimited => format!("{indent}{text}"),
        Width::Columns(columns) => {
            let options = textwrap::Options::new(usize::from(columns)).initial_indent(indent).subsequent_indent(indent);
            textwrap::wrap(text, options).join("\n")
        }
    }
}

/// What the glyphs of a habit strip mean.
pub const MARK_LEGEND: &str = "● met  ◐ partial  ○ missed  ◌ due today  · day off  - not due";

/// One day of a habit strip: its glyph, coloured when colour is on.
pub fn mark(mark: Mark, style: Style) -> String {
    let glyph = mark.symbol().to_string();
    match mark {
        Mark::Met => style.green(&glyph),
        Mark::Partial => style.yellow(&glyph),
        Mark::Missed => style.red(&glyph),
        Mark::Off | Mark::NotDue => style.dim(&glyph),
        Mark::Open | Mark::Future => glyph,
    }
}

/// A progress bar of `width` cells for `done` of `total`.
pub fn bar(done: u32, total: u32, width: usize) -> String {
    let filled = if total == 0 {
        0
    } else {
        ((u64::from(done) * width as u64 + u64::from(total) / 2) / u64::from(total)) as usize
    };
    let filled = filled.min(width);
    format!("{}{}", "█".repeat(filled), "░".repeat(width - filled))
}

/// Percent as a whole number, 0 when `total` is 0.
pub fn percent(done: u32, total: u32) -> u32 {
    if total == 0 { 0 } else { ((u64::from(done) * 100) / u64::from(total)) as u32 }
}

/// Display width of text in terminal cells (CJK counts two).
pub fn width(text: &str) -> usize {
    simple_width(text).unwrap_or_else(|| unicode_width::UnicodeWidthStr::width(text))
}

/// The width of text made only of printable ASCII (a cell each) and CJK
/// ideographs, CJK punctuation and full-width forms (two cells each),
/// counted a character at a time; `None` for any other text. Those
/// characters are wide or narrow whatever stands next to them (the
/// sequences unicode-width reads as one, such as emoji, variation
/// selectors, keycaps or combining marks, need characters outside them),
/// and a plan's titles are made of them: unicode-width, which follows
/// each character's context, took an eighth of `list` at 10,000 tasks.
fn simple_width(text: &str) -> Option<usize> {
    let mut cells = 0;
    for c in text.chars() {
        cells += match c {
            ' '..='~' => 1,
            '\u{3000}'..='\u{3029}' | '\u{4E00}'..='\u{9FFF}' | '\u{FF01}'..='\u{FF60}' => 2,
            _ => return None,
        };
    }
    Some(cells)
}

/// Days of slip with their sign: `+3d`, `-2d`, `+0d`.
pub(crate) fn signed_days(days: i64) -> String {
    let mut out = String::new();
    push_signed_days(&mut out, days);
    out
}

/// `signed_days`, written at the end of `out` (itoa: `to_string` goes
/// through the formatting machinery, a fifth of a long table's rows).
pub(crate) fn push_signed_days(out: &mut String, days: i64) {
    out.push(if days < 0 { '-' } else { '+' });
    out.push_str(itoa::Buffer::new().format(days.unsigned_abs()));
    out.push('d');
}

/// `text` cut to at most `cells` terminal cells, an ellipsis marking the cut.
pub fn cut(text: &str, cells: usize) -> String {
    if width(text) <= cells {
        return text.to_string();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if used + w + 1 > cells {
            break;
        }
        out.push(c);
        used += w;
    }
    out.push('…');
    out
}

/// Pads `text` with spaces to `cells` terminal cells.
pub fn pad(text: &str, cells: usize) -> String {
    let w = width(text);
    if w >= cells { text.to_string() } else { format!("{text}{}", " ".repeat(cells - w)) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

    /// Every character the fast count knows has the width unicode-width
    /// gives it, alone and after each of the others' kinds.
    #[test]
    fn the_fast_widths_are_unicode_widths() {
        let known =
            (' '..='~').chain('\u{3000}'..='\u{3029}').chain('\u{4E00}'..='\u{9FFF}').chain('\u{FF01}'..='\u{FF60}');
        for c in known {
            let alone = c.to_string();
            assert_eq!(simple_width(&alone), Some(UnicodeWidthStr::width(alone.as_str())), "{c:?}");
            assert_eq!(simple_width(&alone), c.width(), "{c:?}");
            for before in ["a", "中", "（", "\u{3000}"] {
                let pair = format!("{before}{c}");
                assert_eq!(width(&pair), UnicodeWidthStr::width(pair.as_str()), "{pair:?}");
            }
        }
        // Just outside: combining tone marks, hiragana, half-width forms.
        for c in ['\u{302A}', '\u{3041}', '\u{FF61}', '\u{A000}', '\u{7F}', '\u{1F600}'] {
            assert_eq!(simple_width(&c.to_string()), None, "{c:?}");
        }
    }

    #[test]
    fn signed_days_read_as_format_writes_them() {
        for d in [0i64, 3, -2, 365, -10_000, i64::MAX, i64::MIN] {
            assert_eq!(signed_days(d), format!("{d:+}d"));
        }
    }

    proptest! {
        /// Any text, with emoji, variation selectors, keycaps, joiners,
        /// combining marks and controls among plan-like characters, is as
        /// wide as unicode-width says.
        #[test]
        fn width_is_unicode_widths(text in proptest::collection::vec(prop_oneof![
            4 => proptest::char::range(' ', '~'),
            4 => proptest::char::range('\u{4E00}', '\u{9FFF}'),
            2 => proptest::char::range('\u{3000}', '\u{303F}'),
            2 => proptest::char::range('\u{FF00}', '\u{FF65}'),
            1 => prop_oneof![Just('\u{FE0F}'), Just('\u{FE0E}'), Just('\u{200D}'), Just('\u{20E3}'), Just('\u{0301}'),
                Just('\u{1F600}'), Just('\u{1F1E8}'), Just('\n'), Just('\r'), Just('\u{1b}'), Just('\u{AC00}'), Just('\u{1100}')],
        ], 0..24).prop_map(|chars| chars.into_iter().collect::<String>())) {
            prop_assert_eq!(width(&text), UnicodeWidthStr::width(text.as_str()), "{:?}", text);
        }
    }
}
