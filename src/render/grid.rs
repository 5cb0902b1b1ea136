//! Long tables (`list`, `schedule` on large plans). Small or coloured tables
//! go through comfy-table exactly as `table` builds them; long uncoloured
//! ones through a direct renderer that lays them out the same way (the same
//! column widths, the same wrapping, byte for byte: a property test below
//! compares the two) without comfy-table's per-cell allocations, which made
//! rendering 10,000 rows cost more than everything else a command does.
//!
//! The direct renderer implements only what `table::plain` and
//! `table::only_wrap` use: no borders, one space of padding on each side,
//! words split at spaces, `ContentWidth` columns and `Dynamic` arrangement
//! for the others; it follows comfy-table 7.2's `arrangement::dynamic` and
//! `content_split`.

use super::style::Style;
use super::table;
use unicode_segmentation::UnicodeSegmentation;

/// Tables with at least this many rows take the direct path when uncoloured.
pub const DIRECT_FROM: usize = 256;

/// One cell: its text, right-aligned or not, and whether it is a status
/// word (coloured when colour is on).
#[derive(Clone, Debug)]
pub struct GridCell {
    text: String,
    right: bool,
    status: bool,
}

pub fn cell(text: impl ToString) -> GridCell {
    GridCell { text: text.to_string(), right: false, status: false }
}

pub fn right(text: impl ToString) -> GridCell {
    GridCell { text: text.to_string(), right: true, status: false }
}

pub fn status(word: &str) -> GridCell {
    GridCell { text: word.to_string(), right: false, status: true }
}

/// A borderless table, built like a comfy-table `table::plain` one.
pub struct Grid {
    style: Style,
    header: Option<Vec<GridCell>>,
    rows: Vec<Vec<GridCell>>,
    flexible: Option<Vec<usize>>,
}

impl Grid {
    pub fn new(style: Style) -> Grid {
        Grid { style, header: None, rows: Vec::new(), flexible: None }
    }

    pub fn set_header(&mut self, titles: &[&str]) {
        self.header = Some(titles.iter().map(cell).collect());
    }

    pub fn add_row(&mut self, row: Vec<GridCell>) {
        self.rows.push(row);
    }

    /// As `table::only_wrap`: only these columns wrap; the others keep
    /// their content width.
    pub fn only_wrap(&mut self, flexible: &[usize]) {
        self.flexible = Some(flexible.to_vec());
    }

    /// The rows as `table::render` would print them.
    pub fn render(&self) -> String {
        if self.style.color || self.rows.len() < DIRECT_FROM { self.render_comfy() } else { self.render_direct() }
    }

    /// Through comfy-table.
    pub fn render_comfy(&self) -> String {
        let style = self.style;
        let mut t = table::plain(style);
        let convert = |c: &GridCell| {
            if c.status {
                table::status_cell(&c.text, style)
            } else if c.right {
                table::right(&c.text)
            } else {
                table::cell(&c.text)
            }
        };
        if let Some(header) = &self.header {
            t.set_header(header.iter().map(convert).collect::<Vec<_>>());
        }
        for row in &self.rows {
            t.add_row(row.iter().map(convert).collect::<Vec<_>>());
        }
        if let Some(flexible) = &self.flexible {
            table::only_wrap(&mut t, flexible);
        }
        table::render(&t)
    }

    /// Directly, without colour.
    pub fn render_direct(&self) -> String {
        let rows: Vec<&Vec<GridCell>> = self.header.iter().chain(&self.rows).collect();
        let columns = rows.iter().map(|r| r.len()).max().unwrap_or(0);
        let widths = self.arrange(&rows, columns);
        let mut out = String::with_capacity(rows.len() * (usize::from(self.style.width) / 2 + 8));
        let mut parts: Vec<Vec<String>> = vec![Vec::new(); columns];
        let mut line = String::new();
        let mut cell_widths: Vec<usize> = Vec::with_capacity(columns);
        for row in rows {
            // The usual row: every cell on one line within its column.
            cell_widths.clear();
            cell_widths.extend(row.iter().map(|cell| width(&cell.text)));
            let simple = row.len() == columns
                && row
                    .iter()
                    .zip(&cell_widths)
                    .zip(&widths)
                    .all(|((cell, &cw), &w)| cw <= w && !cell.text.contains('\n'));
            if simple {
                line.clear();
                for ((cell, &cw), &w) in row.iter().zip(&cell_widths).zip(&widths) {
                    line.push(' ');
                    if cell.right {
                        line.extend(std::iter::repeat_n(' ', w - cw));
                        line.push_str(&cell.text);
                    } else {
                        line.push_str(&cell.text);
                        line.extend(std::iter::repeat_n(' ', w - cw));
                    }
                    line.push(' ');
                }
                push_line(&mut out, &line);
                continue;
            }
            let mut height = 0;
            for (c, part) in parts.iter_mut().enumerate() {
                part.clear();
                let w = widths[c];
                match row.get(c) {
                    None => part.push(" ".repeat(w + 2)),
                    Some(cell) => {
                        for text in cell.text.split('\n') {
                            if width(text) > w {
                                for piece in split_line(text, w) {
                                    part.push(align(&piece, w, cell.right));
                                }
                            } else {
                                part.push(align(text, w, cell.right));
                            }
                        }
                    }
                }
                height = height.max(part.len());
            }
            for i in 0..height {
                line.clear();
                for (c, part) in parts.iter().enumerate() {
                    match part.get(i) {
                        Some(text) => line.push_str(text),
                        None => line.extend(std::iter::repeat_n(' ', widths[c] + 2)),
                    }
                }
                push_line(&mut out, &line);
            }
        }
        out
    }

    /// Each column's content width, as comfy-table's dynamic arrangement
    /// finds it for these constraints.
    fn arrange(&self, rows: &[&Vec<GridCell>], columns: usize) -> Vec<usize> {
        let flexible = |c: usize| self.flexible.as_ref().is_none_or(|f| f.contains(&c));
        let cell_widths = |cell: &GridCell| cell.text.split('\n').map(width).max().unwrap_or(0);
        let mut max_widths = vec![0usize; columns];
        for row in rows {
            for (c, cell) in row.iter().enumerate() {
                max_widths[c] = max_widths[c].max(cell_widths(cell).clamp(1, usize::from(u16::MAX)));
            }
        }
        let mut fixed: Vec<Option<usize>> =
            (0..columns).map(|c| (!flexible(c)).then_some(max_widths[c].max(1))).collect();
        // Step 1: the width left after padding and the fixed columns.
        let mut remaining = usize::from(self.style.width);
        for f in &fixed {
            remaining = remaining.saturating_sub(f.map_or(2, |w| w + 2));
        }
        let mut left = fixed.iter().filter(|f| f.is_none()).count();
        // Steps 3-5: columns narrower than the average keep their width.
        let mut found = true;
        while found && left > 0 {
            found = false;
            let mut average = remaining / left;
            if average == 0 {
                break;
            }
            for c in 0..columns {
                if fixed[c].is_some() || max_widths[c] > average {
                    continue;
                }
                fixed[c] = Some(max_widths[c].max(1));
                remaining = remaining.saturating_sub(max_widths[c]);
                left -= 1;
                if left == 0 {
                    break;
                }
                average = remaining / left;
                found = true;
            }
        }
        // Step 6: columns that split into clearly narrower lines keep those.
        if let Some(mut average) = remaining.checked_div(left) {
            let mut found = true;
            while found {
                found = false;
                for (c, f) in fixed.iter_mut().enumerate() {
                    if f.is_some() {
                        continue;
                    }
                    let longest = longest_line_after_split(rows, c, average);
                    if average.saturating_sub(longest) >= 3 {
                        *f = Some(longest.clamp(1, usize::from(u16::MAX)));
                        remaining = remaining.saturating_sub(longest);
                        left -= 1;
                        if left == 0 {
                            break;
                        }
                        average = remaining / left;
                        found = true;
                    }
                }
            }
        }
        // Step 7: the rest share what is left, the leftmost getting the excess.
        if left > 0 {
            let remaining = remaining.max(left);
            let average = remaining / left;
            let mut excess = remaining - average * left;
            for f in fixed.iter_mut().filter(|f| f.is_none()) {
                let extra = usize::from(excess > 0);
                excess -= extra;
                *f = Some((average + extra).clamp(1, usize::from(u16::MAX)));
            }
        }
        fixed.into_iter().map(|f| f.unwrap_or(1)).collect()
    }
}

/// Display width in terminal cells, as comfy-table measures it (printable
/// ASCII, the common case, is one cell a byte).
fn width(text: &str) -> usize {
    if text.bytes().all(|b| (0x20..0x7f).contains(&b)) {
        text.len()
    } else {
        unicode_width::UnicodeWidthStr::width(text)
    }
}

/// Appends a table line as `table::render` does: trailing spaces cut, empty
/// lines dropped, one space of indent.
fn push_line(out: &mut String, line: &str) {
    let trimmed = line.trim_end();
    if !trimmed.is_empty() {
        out.push(' ');
        out.push_str(trimmed);
        out.push('\n');
    }
}

/// A line padded to `w` cells on the left or right, with one space each side.
fn align(text: &str, w: usize, right: bool) -> String {
    let fill = w.saturating_sub(width(text));
    let mut out = String::with_capacity(text.len() + fill + 2);
    out.push(' ');
    if right {
        out.extend(std::iter::repeat_n(' ', fill));
        out.push_str(text);
    } else {
        out.push_str(text);
        out.extend(std::iter::repeat_n(' ', fill));
    }
    out.push(' ');
    out
}

/// The longest line of column `c` split at `average` cells, in bytes (as
/// comfy-table counts it there).
fn longest_line_after_split(rows: &[&Vec<GridCell>], c: usize, average: usize) -> usize {
    let limit = average.clamp(1, usize::from(u16::MAX));
    let mut longest = 0;
    for cell in rows.iter().filter_map(|r| r.get(c)) {
        for line in cell.text.split('\n') {
            if width(line) > average {
                for part in split_line(line, limit) {
                    longest = longest.max(part.len());
                }
            } else {
                longest = longest.max(line.len());
            }
        }
    }
    longest
}

/// Fewer free cells than this end a line.
const MIN_FREE_CHARS: usize = 2;

/// Splits a line into lines of at most `content_width` cells, at spaces
/// where possible, inside words where not.
fn split_line(line: &str, content_width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    // Every element is a slice of `line`: a word, or the rest of one.
    let mut elements: Vec<&str> = line.split(' ').collect();
    elements.reverse();
    let mut current = String::new();
    while let Some(next) = elements.pop() {
        let current_length = width(&current);
        let next_length = width(next);
        let mut added_length = next_length + current_length;
        if !current.is_empty() {
            added_length += 1;
        }
        let mut remaining_width = content_width.wrapping_sub(current_length);
        if !current.is_empty() {
            remaining_width = remaining_width.saturating_sub(1);
        }
        if added_length <= content_width {
            if !current.is_empty() {
                current.push(' ');
            }
            current += next;
            check_if_full(&mut lines, content_width, &mut current);
            continue;
        }
        if !current.is_empty() && remaining_width <= MIN_FREE_CHARS {
            elements.push(next);
            lines.push(std::mem::take(&mut current));
            continue;
        }
        if next_length > content_width {
            let new_line = current.is_empty();
            if !new_line {
                current.push(' ');
            }
            let (mut head, mut rest) = split_long_word(remaining_width, next);
            if new_line && head.is_empty() {
                let first = rest.chars().next().map_or(0, char::len_utf8);
                (head, rest) = rest.split_at(first);
            }
            current += head;
            elements.push(rest);
            lines.push(std::mem::take(&mut current));
            continue;
        }
        lines.push(std::mem::take(&mut current));
        current += next;
        check_if_full(&mut lines, content_width, &mut current);
    }
    if !current.is_empty() {
        lines.push(current);
    }
    lines
}

/// Ends the current line when fewer than `MIN_FREE_CHARS` cells are left.
fn check_if_full(lines: &mut Vec<String>, content_width: usize, current: &mut String) {
    if width(current) > content_width.saturating_sub(MIN_FREE_CHARS) {
        lines.push(std::mem::take(current));
    }
}

/// The longest head of `word` (whole graphemes) within `allowed` cells, and the rest.
fn split_long_word(allowed: usize, word: &str) -> (&str, &str) {
    let mut used = 0;
    let mut end = 0;
    for (at, g) in word.grapheme_indices(true) {
        if used + width(g) > allowed {
            return word.split_at(at);
        }
        used += width(g);
        end = at + g.len();
    }
    word.split_at(end)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn grid(width: u16, header: bool, rows: &[Vec<(String, bool)>], flexible: Option<&[usize]>) -> Grid {
        let mut g = Grid::new(Style { color: false, width });
        if header {
            g.set_header(&["#", "id", "title", "effort", "status"]);
        }
        for row in rows {
            g.add_row(row.iter().map(|(t, r)| if *r { right(t) } else { cell(t) }).collect());
        }
        if let Some(f) = flexible {
            g.only_wrap(f);
        }
        g
    }

    /// Words of ASCII, CJK, mixed and odd widths; empty strings and runs of spaces.
    fn text() -> impl Strategy<Value = String> {
        let word = prop_oneof![
            "[a-z]{1,12}",
            "[a-z0-9.]{12,40}",
            "(编辑|距离|分布式|训练|模块|阶段){1,6}",
            "[a-z]{1,4}（[0-9]{1,3}）",
            Just(String::new()),
            Just("·".to_string()),
            Just("e\u{301}t\u{e9}".to_string()),
            Just("two\nlines".to_string()),
        ];
        prop::collection::vec(word, 0..8).prop_map(|w| w.join(" "))
    }

    fn rows() -> impl Strategy<Value = Vec<Vec<(String, bool)>>> {
        (1usize..7).prop_flat_map(|columns| {
            prop::collection::vec(prop::collection::vec((text(), any::<bool>()), columns..=columns), 1..12)
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(1000))]

        #[test]
        fn direct_rendering_matches_comfy_table(
            rows in rows(),
            width in 1u16..160,
            header in any::<bool>(),
            flexible in prop::option::of(prop::collection::vec(0usize..7, 0..3)),
        ) {
            let g = grid(width, header, &rows, flexible.as_deref());
            prop_assert_eq!(g.render_direct(), g.render_comfy());
        }
    }

    #[test]
    fn wraps_long_titles_like_comfy_table() {
        let title =
            "Implement quantization for 分布式训练, part 10000 · over 1-2 months by 300 days (fits at 80.5 h/week)";
        let row = vec![
            ("10000".to_string(), true),
            ("  p4.m9.t1999".to_string(), false),
            (title.to_string(), false),
            ("1.5h".to_string(), true),
            ("in progress".to_string(), false),
        ];
        for width in [20, 40, 60, 80, 100, 120, 200] {
            let g = grid(width, true, &[row.clone(), row.clone()], Some(&[1, 2]));
            assert_eq!(g.render_direct(), g.render_comfy(), "width {width}");
        }
    }
}
