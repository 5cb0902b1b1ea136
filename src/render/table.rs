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
        let line = trim_end_styled(&line);
        if line.is_empty() {
            continue;
        }
        out.push(' ');
        out.push_str(&line);
        out.push('\n');
    }
    out
}

/// Trims trailing spaces, also those inside trailing colour codes (a
/// styled cell is padded inside its colour): the line then reads the same
/// with and without colour.
fn trim_end_styled(line: &str) -> String {
    let mut body = line.trim_end();
    let mut codes = Vec::new();
    while body.ends_with('m') {
        let Some(start) = body.rfind("\x1b[") else { break };
        let code = &body[start..];
        if !code[2..code.len() - 1].bytes().all(|b| b.is_ascii_digit() || b == b';') {
            break;
        }
        codes.push(code);
        body = body[..start].trim_end();
    }
    let mut out = body.to_string();
    for code in codes.iter().rev() {
        out.push_str(code);
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

/// Keeps every column but the `flexible` ones (ids, titles) at their
/// content width, so only those wrap when the terminal is narrow.
pub fn only_wrap(table: &mut Table, flexible: &[usize]) {
    let count = table.column_count();
    for i in (0..count).filter(|i| !flexible.contains(i)) {
        if let Some(column) = table.column_mut(i) {
            column.set_constraint(comfy_table::ColumnConstraint::ContentWidth);
        }
    }
}

/// A cell shown in red when `alert` holds and colour is on. Colour goes on
/// the cell, never as escape codes in its text: comfy-table would count
/// those as width.
pub fn red_if(text: impl ToString, alert: bool, style: Style) -> Cell {
    let cell = Cell::new(text.to_string());
    if alert && style.color { cell.fg(Color::Red) } else { cell }
}

#[cfg(test)]
mod tests {
    use super::trim_end_styled;

    #[test]
    fn trims_spaces_inside_trailing_colour_codes() {
        assert_eq!(trim_end_styled("a  b   "), "a  b");
        assert_eq!(
            trim_end_styled("22h \x1b[38;5;11m in progress \x1b[39m  "),
            "22h \x1b[38;5;11m in progress\x1b[39m"
        );
        assert_eq!(trim_end_styled("\x1b[1mp4\x1b[0m"), "\x1b[1mp4\x1b[0m");
        assert_eq!(trim_end_styled("takes 20m  "), "takes 20m");
        assert_eq!(trim_end_styled("   "), "");
    }
}
