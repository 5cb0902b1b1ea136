//! Borderless tables through comfy-table: CJK-aware widths, the terminal's
//! width, colour only when the style allows it.

use super::style::Style;
use comfy_table::{Cell, CellAlignment, Color, ContentArrangement, Table, presets};

/// A table without borders, indented by two spaces.
pub fn plain(style: Style) -> Table {
    let mut table = Table::new();
    table.load_preset(presets::NOTHING);
    table.set_content_arrangement(ContentArrangement::Dynamic);
    table.set_width(style.width);
    if style.color {
        table.enforce_styling();
    } else {
        table.force_no_tty();
    }
    table
}

/// Renders rows with a two-space indent and no trailing spaces.
pub fn render(table: &Table) -> String {
    let mut out = String::new();
    for line in table.lines() {
        let line = line.trim_end();
        if line.is_empty() {
            continue;
        }
        out.push(' ');
        out.push_str(line);
        out.push('\n');
    }
    out
}

pub fn right(text: impl ToString) -> Cell {
    Cell::new(text.to_string()).set_alignment(CellAlignment::Right)
}

pub fn cell(text: impl ToString) -> Cell {
    Cell::new(text.to_string())
}

/// A status word, coloured when colour is on.
pub fn status_cell(word: &str, style: Style) -> Cell {
    let cell = Cell::new(word);
    if !style.color {
        return cell;
    }
    match word {
        "done" => cell.fg(Color::Green),
        "in progress" => cell.fg(Color::Yellow),
        "skipped" => cell.fg(Color::DarkGrey),
        "overdue" => cell.fg(Color::Red),
        _ => cell,
    }
}

/// A cell shown in red when `alert` holds and colour is on. Colour goes on
/// the cell, never as escape codes in its text: comfy-table would count
/// those as width.
pub fn red_if(text: impl ToString, alert: bool, style: Style) -> Cell {
    let cell = Cell::new(text.to_string());
    if alert && style.color {
        cell.fg(Color::Red)
    } else {
        cell
    }
}
