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
    unicode_width::UnicodeWidthStr::width(text)
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
