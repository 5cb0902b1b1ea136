//! Borderless tables, laid out by comfy-table.
//!
//! A column is never narrower than its longest word: an id, a date or a
//! number is one word and never wraps; free text (titles, notes) wraps at
//! spaces, CJK text between any two characters. When the terminal is too
//! narrow even for that, the table is stacked instead: one block a row,
//! `label: value` lines. Without a width limit (stdout is not a terminal),
//! each row is one line. Colour goes on cells only when the style says so.

use super::style::{Style, Width};
use crate::core::visible::{any_byte, to_marks, to_sgr, unmarked, visible};
use comfy_table::{CellAlignment, Color, ColumnConstraint, ContentArrangement, presets};
use std::borrow::Cow;
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// Cells of padding around a column's content (one space each side).
const PADDING: usize = 2;

/// Rows laid out at a time in a table without a width limit.
const CHUNK: usize = 256;

/// The narrowest a column of free text gets (unless its text is shorter):
/// titles wrapped into narrower columns take a line a word, and the table
/// reads better stacked.
const TEXT_FLOOR: usize = 16;

/// One cell: its text (control characters made visible; it may hold the
/// style's colour marks), whether it
/// is right-aligned (numbers), and the colour it takes when colour is on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Cell<'a> {
    text: Cow<'a, str>,
    right: bool,
    tone: Option<Color>,
    /// What the text is made of, found as the cell is made.
    kind: Kind,
}

/// What a cell's text is made of: read in the pass that makes its control
/// characters visible, so that laying out a long table reads each cell's
/// bytes once more, not three times.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    /// Printable ASCII only: one line, a cell a byte.
    Ascii,
    /// One line without the style's marks.
    Line,
    /// Other text: lines, or marks.
    Other,
}

/// A left-aligned cell.
pub(crate) fn cell<'a>(text: impl Into<Cow<'a, str>>) -> Cell<'a> {
    let (text, kind) = shown_as_is(text);
    Cell { text, right: false, tone: None, kind }
}

/// A right-aligned cell (numbers, hours).
pub(crate) fn right<'a>(text: impl Into<Cow<'a, str>>) -> Cell<'a> {
    let (text, kind) = shown_as_is(text);
    Cell { text, right: true, tone: None, kind }
}

/// A status word, coloured when colour is on.
pub(crate) fn status(word: &str) -> Cell<'_> {
    status_owned(Cow::Borrowed(word))
}

/// `status`, for a word that may be owned.
pub(crate) fn status_owned(word: Cow<'_, str>) -> Cell<'_> {
    let tone = match &*word {
        "done" => Some(Color::Green),
        "in progress" => Some(Color::Yellow),
        "skipped" => Some(Color::DarkGrey),
        "overdue" => Some(Color::Red),
        _ => None,
    };
    let (text, kind) = shown_as_is(word);
    Cell { text, right: false, tone, kind }
}

/// A cell shown in red when `alert` holds and colour is on. Colour goes on
/// the cell, never as escape codes in its text.
pub(crate) fn red_if<'a>(text: impl Into<Cow<'a, str>>, alert: bool, style: Style) -> Cell<'a> {
    let (text, kind) = shown_as_is(text);
    Cell { text, right: false, tone: (alert && style.color).then_some(Color::Red), kind }
}

/// A cell's text with its control characters made visible, so that the
/// layout measures what will show (and a plan's escape codes are never
/// taken for a colour), and what it is made of.
fn shown_as_is<'a>(text: impl Into<Cow<'a, str>>) -> (Cow<'a, str>, Kind) {
    let text = text.into();
    let bytes = text.as_bytes();
    // Printable ASCII has no control character, no newline and no mark
    // (whose UTF-8 starts 0xF3); one pass over most cells' bytes says so.
    if !any_byte(bytes, |b| !(b' '..=b'~').contains(&b)) {
        return (text, Kind::Ascii);
    }
    // No byte below 0x20 (newlines included), no DEL, no 0xC2 (which
    // leads the C1 controls) and no 0xF3: nothing to make visible, one line.
    if !any_byte(bytes, |b| (b < 0x20) | (b == 0x7f) | (b == 0xc2) | (b == 0xf3)) {
        return (text, Kind::Line);
    }
    let text = match visible(&text) {
        Cow::Borrowed(_) => text,
        Cow::Owned(shown) => Cow::Owned(shown),
    };
    // Made visible, ESC is `␛` (and a C1 control ASCII): a newline or a
    // mark is what is left.
    let bytes = text.as_bytes();
    let kind = if !any_byte(bytes, |b| !(b' '..=b'~').contains(&b)) {
        Kind::Ascii
    } else if any_byte(bytes, |b| (b == b'\n') | (b == 0x1b) | (b == 0xf3)) {
        Kind::Other
    } else {
        Kind::Line
    };
    (text, kind)
}

/// Text made up for the cells of many rows (numbers, dates, efforts),
/// `N` pieces a row, written one after another into one string that the
/// rows' cells borrow from, instead of a string a cell (600,000 strings
/// for `schedule` at 100,000 tasks).
pub(crate) struct Pieces<const N: usize> {
    text: String,
    /// Per row, where each of its pieces ends in `text`.
    ends: Vec<[usize; N]>,
}

impl<const N: usize> Pieces<N> {
    /// Room for `rows` rows of about `bytes` bytes each.
    pub(crate) fn new(rows: usize, bytes: usize) -> Pieces<N> {
        Pieces { text: String::with_capacity(rows.saturating_mul(bytes)), ends: Vec::with_capacity(rows) }
    }

    /// Where the pieces are written, one after another.
    pub(crate) fn text(&mut self) -> &mut String {
        &mut self.text
    }

    /// Ends a row whose pieces end at `ends` (each the text's length
    /// once that piece was written).
    pub(crate) fn row(&mut self, ends: [usize; N]) {
        self.ends.push(ends);
    }

    /// Each row's pieces, in the order they were written.
    pub(crate) fn iter(&self) -> impl Iterator<Item = [&str; N]> + '_ {
        let mut from = 0;
        self.ends.iter().map(move |ends| {
            let mut pieces = [""; N];
            for (piece, &end) in pieces.iter_mut().zip(ends) {
                // Each end is the length the text had: on a character boundary.
                *piece = &self.text[from..end];
                from = end;
            }
            pieces
        })
    }
}

/// A borderless table, indented by two spaces.
pub(crate) struct Table<'a> {
    style: Style,
    header: Option<Vec<Cell<'a>>>,
    /// Every row's cells, one row after another (one block for the
    /// table, not one a row: `schedule` at 100,000 tasks made 100,000).
    cells: Vec<Cell<'a>>,
    /// Where each row's cells end in `cells`.
    ends: Vec<usize>,
    /// The columns that may wrap; `None`: every column (at its words).
    flexible: Option<Vec<usize>>,
}

/// The rows of a `Table`, each its slice of the table's cells.
#[derive(Clone)]
struct Rows<'t, 'a> {
    cells: &'t [Cell<'a>],
    ends: &'t [usize],
    /// The next row, and where its cells begin.
    row: usize,
    start: usize,
}

impl<'t, 'a> Iterator for Rows<'t, 'a> {
    type Item = &'t [Cell<'a>];

    fn next(&mut self) -> Option<&'t [Cell<'a>]> {
        let end = *self.ends.get(self.row)?;
        let cells = self.cells.get(self.start..end)?;
        self.row += 1;
        self.start = end;
        Some(cells)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let left = self.ends.len() - self.row;
        (left, Some(left))
    }
}

/// A table without borders for this style.
pub(crate) fn plain<'a>(style: Style) -> Table<'a> {
    Table::new(style)
}

/// The table as text: one line a row (or more where free text wraps), or
/// stacked blocks when the columns cannot fit; no trailing spaces.
pub(crate) fn render(table: &Table) -> String {
    table.render()
}

impl<'a> Table<'a> {
    pub(crate) fn new(style: Style) -> Table<'a> {
        Table { style, header: None, cells: Vec::new(), ends: Vec::new(), flexible: None }
    }

    /// Column titles; stacked blocks use them as labels.
    pub(crate) fn set_header<I>(&mut self, titles: I)
    where
        I: IntoIterator,
        I::Item: ToString,
    {
        self.header = Some(titles.into_iter().map(|title| cell(title.to_string())).collect());
    }

    /// Room for `rows` more rows of `columns` cells.
    pub(crate) fn reserve(&mut self, rows: usize, columns: usize) {
        self.ends.reserve(rows);
        self.cells.reserve(rows.saturating_mul(columns));
    }

    pub(crate) fn add_row(&mut self, row: impl IntoIterator<Item = Cell<'a>>) {
        self.cells.extend(row);
        self.ends.push(self.cells.len());
    }

    /// The rows' cells, in order (without the header).
    fn rows(&self) -> Rows<'_, 'a> {
        Rows { cells: &self.cells, ends: &self.ends, row: 0, start: 0 }
    }

    /// The header's cells (if any), then the rows'.
    fn all_rows(&self) -> impl Iterator<Item = &[Cell<'a>]> + Clone {
        self.header.as_deref().into_iter().chain(self.rows())
    }

    /// Only these columns wrap (at spaces); the others keep their content
    /// width, spaces and all.
    pub(crate) fn only_wrap(&mut self, flexible: &[usize]) {
        self.flexible = Some(flexible.to_vec());
    }

    pub(crate) fn render(&self) -> String {
        let columns = self.all_rows().map(<[Cell]>::len).max().unwrap_or(0);
        if columns == 0 {
            return String::new();
        }
        match self.style.width {
            Width::Unlimited => self.unlimited(columns),
            Width::Columns(limit) => {
                let floors = self.floors(columns);
                let needed: usize = floors.iter().map(|f| f + PADDING).sum();
                if needed > usize::from(limit) { self.stacked(limit) } else { self.grid(limit, &floors) }
            }
        }
    }

    fn wraps(&self, column: usize) -> bool {
        self.flexible.as_ref().is_none_or(|f| f.contains(&column))
    }

    /// Each column's narrowest width: its longest word (and at least
    /// `TEXT_FLOOR`), or its whole content for a column that does not wrap.
    fn floors(&self, columns: usize) -> Vec<usize> {
        let mut floors = vec![1; columns];
        for row in self.all_rows() {
            for (c, cell) in row.iter().enumerate() {
                let floor = if self.wraps(c) {
                    longest_word(&cell.text).max(text_width(&cell.text).min(TEXT_FLOOR))
                } else {
                    text_width(&cell.text)
                };
                floors[c] = floors[c].max(floor);
            }
        }
        floors
    }

    fn comfy_cell(&self, cell: &Cell, align: bool) -> comfy_table::Cell {
        // comfy-table carries escape codes across the lines it wraps: it
        // gets our marks as the codes they stand for (the cell's own control
        // characters were made visible, so every ESC is ours), and its lines
        // are turned back into marks (`push_lines`).
        let mut out = comfy_table::Cell::new(to_sgr(&cell.text));
        if align && cell.right {
            out = out.set_alignment(CellAlignment::Right);
        }
        match cell.tone {
            Some(tone) if self.style.color => out.fg(tone),
            _ => out,
        }
    }

    fn comfy_table(&self) -> comfy_table::Table {
        let mut table = comfy_table::Table::new();
        table.load_preset(presets::NOTHING).force_no_tty();
        if self.style.color {
            // Colour on the text, not on the padding around it.
            table.enforce_styling().style_text_only();
        }
        table
    }

    /// Without a width limit: one line a row, each column as wide as its
    /// widest cell. The columns are measured once, then comfy-table lays the
    /// rows out `CHUNK` at a time at those widths (the same text as in one
    /// go, without comfy-table's per-cell buffers for the whole table).
    fn unlimited(&self, columns: usize) -> String {
        if let Some(out) = self.plain_rows(columns) {
            return out;
        }
        let widths = self.widths(columns);
        let mut out = String::new();
        let mut header = self.header.as_deref();
        let mut rows = self.rows();
        loop {
            let chunk: Vec<&[Cell]> = rows.by_ref().take(CHUNK).collect();
            if chunk.is_empty() && header.is_none() {
                break;
            }
            push_lines(&mut out, &self.fixed(header.take(), chunk, &widths));
        }
        out
    }

    /// Each column's width: its widest cell (at least 1).
    fn widths(&self, columns: usize) -> Vec<usize> {
        let mut widths = vec![1; columns];
        for row in self.all_rows() {
            for (c, cell) in row.iter().enumerate() {
                widths[c] = widths[c].max(text_width(&cell.text));
            }
        }
        widths
    }

    /// A comfy-table of `rows` (after `header`, if given), one line a row,
    /// each column exactly as wide as `widths` says.
    fn fixed<'r>(
        &self,
        header: Option<&[Cell]>,
        rows: impl IntoIterator<Item = &'r [Cell<'r>]>,
        widths: &[usize],
    ) -> comfy_table::Table {
        let mut table = self.comfy_table();
        table.set_content_arrangement(ContentArrangement::Disabled);
        if let Some(header) = header {
            table.set_header(header.iter().map(|c| self.comfy_cell(c, true)));
        }
        for row in rows {
            table.add_row(row.iter().map(|c| self.comfy_cell(c, true)));
        }
        for (c, &width) in widths.iter().enumerate() {
            if let Some(column) = table.column_mut(c) {
                column.set_constraint(ColumnConstraint::Absolute(comfy_table::Width::Fixed(cells(width + PADDING))));
            }
        }
        table
    }

    /// Without a width limit and without colour, rows of one-line cells
    /// are padded to the column widths here: the same lines comfy-table
    /// lays out at fixed widths (`plain_rows_are_comfy_tables_lines` holds
    /// the two together), without its per-cell work, which took most of
    /// `list` at 10,000 tasks. `None`: a cell with colour or more than one
    /// line, left to comfy-table.
    fn plain_rows(&self, columns: usize) -> Option<String> {
        // A cell of one line without marks (as its kind, read when it was
        // made, says) is simple; only other cells are looked at closely.
        let plain = |c: &Cell| c.kind != Kind::Other;
        let simple =
            |c: &Cell| plain(c) || (!c.text.contains(['\n', '\x1b']) && matches!(unmarked(&c.text), Cow::Borrowed(_)));
        if self.style.color || !self.all_rows().flatten().all(simple) {
            return None;
        }
        // Each cell measured once, for its column's width and its padding.
        // The widths in one block, `columns` a row (0 for a row's missing
        // cells).
        let rows = || self.all_rows();
        // (u32: at 100,000 rows, a block of `usize` was 7 MB to zero.)
        let mut cell_widths = vec![0u32; (self.ends.len() + 1) * columns];
        let mut widths = vec![1; columns];
        // The bytes the cells take beyond a byte a cell (wide characters:
        // three bytes for two cells).
        let mut wide_bytes = 0;
        for (row, row_widths) in rows().zip(cell_widths.chunks_exact_mut(columns)) {
            for ((cell, width), column) in row.iter().zip(row_widths.iter_mut()).zip(widths.iter_mut()) {
                let own = if cell.kind == Kind::Ascii { cell.text.len() } else { line_width(&cell.text) };
                *width = u32::try_from(own).unwrap_or(u32::MAX);
                *column = (*column).max(own);
                wide_bytes += cell.text.len().saturating_sub(own);
            }
        }
        // Each line is at most the columns' widths and padding, and its
        // newline, plus the bytes its wide characters take beyond a byte a
        // cell: all the text in one block of the right size. (A block made
        // for the cells alone grew when a plan's titles were Chinese, and
        // a second one, twice as large, was filled again: at 10,000 tasks
        // a megabyte copied, and two more megabytes of memory.)
        let line_room = 1 + widths.iter().map(|w| w + PADDING).sum::<usize>();
        let mut out = String::with_capacity((self.ends.len() + 1) * (line_room + 1) + wide_bytes);
        for (row, row_widths) in rows().zip(cell_widths.chunks_exact(columns)) {
            let start = out.len();
            out.push(' ');
            for (c, (&width, &own)) in widths.iter().zip(row_widths).enumerate() {
                let (text, right) = row.get(c).map_or(("", false), |cell| (&*cell.text, cell.right));
                let pad = width.saturating_sub(own as usize);
                out.push(' ');
                if right {
                    push_spaces(&mut out, pad);
                    out.push_str(text);
                } else {
                    out.push_str(text);
                    push_spaces(&mut out, pad);
                }
                out.push(' ');
            }
            // No trailing whitespace (what `trim_end` takes: spaces, and
            // U+3000 and its kind, as comfy-table's lines had none), and no
            // line that is only that.
            let kept = out[start..].trim_end().len();
            out.truncate(start + kept);
            if kept > 0 {
                out.push('\n');
            }
        }
        Some(out)
    }

    /// The table laid out by comfy-table within `limit` cells, no column
    /// below its floor.
    fn grid(&self, limit: u16, floors: &[usize]) -> String {
        let mut table = self.comfy_table();
        if let Some(header) = &self.header {
            table.set_header(header.iter().map(|c| self.comfy_cell(c, true)));
        }
        for row in self.rows() {
            table.add_row(row.iter().map(|c| self.comfy_cell(c, true)));
        }
        table.set_width(limit).set_content_arrangement(ContentArrangement::Dynamic);
        for (c, &floor) in floors.iter().enumerate() {
            let constraint = if self.wraps(c) {
                ColumnConstraint::LowerBoundary(comfy_table::Width::Fixed(cells(floor + PADDING)))
            } else {
                ColumnConstraint::ContentWidth
            };
            if let Some(column) = table.column_mut(c) {
                column.set_constraint(constraint);
            }
        }
        lines(&table)
    }

    /// One block a row, blank lines between: `label: value` lines when the
    /// table has a header (empty values left out), otherwise the row's
    /// first cell, then the others one a line, indented. Values wrap at
    /// spaces within `limit`; a word longer than the room left sticks out
    /// rather than break.
    fn stacked(&self, limit: u16) -> String {
        let labels: Option<Vec<Cell>> = self.header.as_ref().map(|header| {
            header
                .iter()
                .map(|c| {
                    let title = shown(&c.text);
                    cell(if title.trim().is_empty() { String::new() } else { format!("{title}:") })
                })
                .collect()
        });
        let key_width = match &labels {
            Some(labels) => labels.iter().map(|l| l.text.width()).max().unwrap_or(0),
            None => 1,
        };
        let blank = cell("");
        let mut out = String::new();
        for row in self.rows() {
            let mut filled = row.iter().enumerate().filter(|(_, c)| !is_blank(&c.text));
            let lead = match &labels {
                Some(_) => None,
                None => match filled.next() {
                    Some((_, lead)) => Some(lead),
                    None => continue,
                },
            };
            let pairs: Vec<(&Cell, &Cell)> =
                filled.map(|(c, value)| (labels.as_ref().and_then(|l| l.get(c)).unwrap_or(&blank), value)).collect();
            if lead.is_none() && pairs.is_empty() {
                continue;
            }
            if !out.is_empty() {
                out.push('\n');
            }
            if let Some(lead) = lead {
                out.push_str(&self.lead(lead, limit));
            }
            out.push_str(&self.block(&pairs, key_width, limit));
        }
        out
    }

    /// The first line of an unlabelled block: its first cell.
    fn lead(&self, lead: &Cell, limit: u16) -> String {
        let mut table = self.comfy_table();
        table.add_row([self.comfy_cell(&unindented(lead), false)]);
        table.set_width(limit).set_content_arrangement(ContentArrangement::Dynamic);
        let floor = longest_word(&lead.text);
        if let Some(column) = table.column_mut(0) {
            column.set_constraint(ColumnConstraint::LowerBoundary(comfy_table::Width::Fixed(cells(floor + PADDING))));
        }
        lines(&table)
    }

    /// The lines of a stacked block: a column of keys (labels, padded to
    /// the longest and followed by one space) and a column of values. One
    /// comfy-table a block: one for all blocks lays out slower.
    fn block(&self, pairs: &[(&Cell, &Cell)], key_width: usize, limit: u16) -> String {
        if pairs.is_empty() {
            return String::new();
        }
        let mut table = self.comfy_table();
        let mut floor = 1;
        for (key, value) in pairs {
            let value = unindented(value);
            floor = floor.max(longest_word(&value.text));
            table.add_row([self.comfy_cell(key, false), self.comfy_cell(&value, false)]);
        }
        table.set_width(limit).set_content_arrangement(ContentArrangement::Dynamic);
        if let Some(column) = table.column_mut(0) {
            let key = ColumnConstraint::Absolute(comfy_table::Width::Fixed(cells(key_width + 1)));
            column.set_padding((1, 0)).set_constraint(key);
        }
        if let Some(column) = table.column_mut(1) {
            column.set_constraint(ColumnConstraint::LowerBoundary(comfy_table::Width::Fixed(cells(floor + PADDING))));
        }
        lines(&table)
    }
}

/// The cell without the leading spaces that indent it in a table.
fn unindented<'a>(cell: &Cell<'a>) -> Cell<'a> {
    Cell { text: Cow::Owned(cell.text.trim_start_matches(' ').to_string()), ..cell.clone() }
}

/// A width in cells as comfy-table takes it.
fn cells(width: usize) -> u16 {
    u16::try_from(width).unwrap_or(u16::MAX)
}

/// The lines of a comfy-table, each indented by one space, trailing spaces
/// cut (also those inside trailing colour codes), empty lines dropped.
fn lines(table: &comfy_table::Table) -> String {
    let mut out = String::new();
    push_lines(&mut out, table);
    out
}

/// As `lines`, appended to `out`.
fn push_lines(out: &mut String, table: &comfy_table::Table) {
    for line in table.lines() {
        let styled;
        let line = if line.contains('\x1b') {
            styled = trim_end_styled(&line);
            styled.as_str()
        } else {
            line.trim_end()
        };
        if line.is_empty() {
            continue;
        }
        out.push(' ');
        out.push_str(&to_marks(line));
        out.push('\n');
    }
}

/// The text as it shows: without colour marks or escape sequences.
fn shown(text: &str) -> Cow<'_, str> {
    let text = match unmarked(text) {
        Cow::Borrowed(text) => text,
        Cow::Owned(text) => return Cow::Owned(without_escapes(&text).into_owned()),
    };
    without_escapes(text)
}

/// Appends `n` spaces, a slice at a time (pushed one `char` at a time,
/// the padding of `list` at 10,000 tasks was a twentieth of its work).
fn push_spaces(out: &mut String, n: usize) {
    const SPACES: &str = "                                                                ";
    let mut left = n;
    while left > 0 {
        let now = left.min(SPACES.len());
        out.push_str(&SPACES[..now]);
        left -= now;
    }
}

/// The text without escape sequences.
fn without_escapes(text: &str) -> Cow<'_, str> {
    if !text.contains('\x1b') {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\x1b' {
            out.push(c);
            continue;
        }
        if chars.next_if_eq(&'[').is_some() {
            for c in chars.by_ref() {
                if ('\x40'..='\x7e').contains(&c) {
                    break;
                }
            }
        }
    }
    Cow::Owned(out)
}

fn is_blank(text: &str) -> bool {
    shown(text).trim().is_empty()
}

/// The width of a line without marks or escapes in terminal cells (CJK
/// counts two); printable ASCII (most ids, numbers and dates) a cell a byte.
fn line_width(text: &str) -> usize {
    if text.bytes().all(|b| matches!(b, b' '..=b'~')) { text.len() } else { super::width(text) }
}

/// The widest line of the text in terminal cells (CJK counts two).
fn text_width(text: &str) -> usize {
    // Printable ASCII (most ids, numbers and dates) is a cell a byte.
    if text.bytes().all(|b| matches!(b, b' '..=b'~' | b'\n')) {
        return text.split('\n').map(str::len).max().unwrap_or(0);
    }
    shown(text).split('\n').map(super::width).max().unwrap_or(0)
}

/// The width of the longest piece of the text that cannot be wrapped: a
/// word between spaces (with the line's indent, for the first word), or,
/// in words with wide (CJK) characters, which break anywhere, one character.
fn longest_word(text: &str) -> usize {
    let text = shown(text);
    let mut longest = 0;
    for line in text.split('\n') {
        let body = line.trim_start_matches(' ');
        let indent = line.len() - body.len();
        for (i, word) in body.split(' ').enumerate() {
            let widest_char = word.chars().map(|c| c.width().unwrap_or(0)).max().unwrap_or(0);
            let floor = if widest_char > 1 { widest_char } else { super::width(word) };
            longest = longest.max(if i == 0 { floor + indent } else { floor });
        }
    }
    longest
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

#[cfg(test)]
mod tests {
    use super::*;

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

#[cfg(test)]
mod layout_tests {
    use super::*;

    /// A `list`-like table: ids (indented), free-text titles in English
    /// and Chinese, hours, statuses.
    fn tasks(width: Width, color: bool) -> Table<'static> {
        let mut t = Table::new(Style { color, width });
        t.set_header(["#", "id", "title", "effort", "status"]);
        t.add_row([cell(""), cell("p4"), cell("阶段4 前沿方向 · fits 3-5 months"), right("120h"), cell("30% done")]);
        t.add_row([cell(""), cell("p4.frontier"), cell("前沿追踪 Frontier tracking"), right("52h"), cell("")]);
        t.add_row([
            right("1"),
            cell("  p4.frontier.agent"),
            cell("Agent frameworks and tool use: ReAct, function calling"),
            right("12h"),
            status("done"),
        ]);
        t.add_row([
            right("12"),
            cell("  p4.frontier.moe"),
            cell("混合专家模型（MoE）论文精读与复现"),
            right("20h30m"),
            status("in progress"),
        ]);
        t.add_row([right("100"), cell("  p5.rl.ppo"), cell("PPO 复现"), right("1h30m"), cell("")]);
        t.only_wrap(&[1, 2]);
        t
    }

    /// A `schedule`-like table: three date columns beside the rest.
    fn dates(width: Width) -> Table<'static> {
        let mut t = Table::new(Style { color: false, width });
        t.set_header(["#", "id", "title", "effort", "start", "end", "slip"]);
        t.add_row([
            right("7"),
            cell("p4.frontier.agent"),
            cell("Agent 框架与工具调用"),
            right("12h"),
            cell("2027-02-15"),
            cell("2027-02-28"),
            right("+3d"),
        ]);
        t.add_row([
            right("8"),
            cell("p4.frontier.moe"),
            cell("MoE papers"),
            right("20h"),
            cell("2027-03-01"),
            cell("2027-03-14"),
            right("0"),
        ]);
        t.only_wrap(&[1, 2]);
        t
    }

    /// A table without a header, as `next` shows what is coming up.
    fn coming(width: Width) -> Table<'static> {
        let mut t = Table::new(Style { color: false, width });
        t.add_row([
            cell("Sat 02-20"),
            right("3"),
            cell("p4.jobprep.leetcode"),
            cell("LeetCode 刷题 200 道"),
            right("14h"),
        ]);
        t.add_row([cell("Mon 02-22"), right("12"), cell("p4.frontier.moe"), cell(""), right("20h")]);
        t
    }

    /// Pieces come back row by row as written, empty ones too; text after
    /// the last row is not given.
    #[test]
    fn pieces_come_back_row_by_row() {
        let mut pieces: Pieces<2> = Pieces::new(2, 8);
        for (a, b) in [("7", "2027-01-04"), ("", "长"), ("12", "")] {
            pieces.text().push_str(a);
            let first = pieces.text().len();
            pieces.text().push_str(b);
            let second = pieces.text().len();
            pieces.row([first, second]);
        }
        pieces.text().push_str("no row");
        let rows: Vec<[&str; 2]> = pieces.iter().collect();
        assert_eq!(rows, [["7", "2027-01-04"], ["", "长"], ["12", ""]]);
        assert_eq!(Pieces::<3>::new(0, 0).iter().count(), 0);
    }

    fn show(table: &Table) -> String {
        table.render()
    }

    /// comfy-table's lines at the columns' widths: what `unlimited` gave
    /// before the plain rows were padded directly.
    fn comfy_unlimited(t: &Table) -> String {
        let columns = t.all_rows().map(<[Cell]>::len).max().unwrap_or(0);
        lines(&t.fixed(t.header.as_deref(), t.rows(), &t.widths(columns)))
    }

    /// The directly padded rows are comfy-table's lines, character for
    /// character: CJK and full-width text, right-aligned numbers, short
    /// rows, empty and blank cells, trailing spaces, made-visible controls.
    #[test]
    fn plain_rows_are_comfy_tables_lines() {
        let mut odd = Table::new(Style { color: false, width: Width::Unlimited });
        odd.set_header(["a", "", "长标题"]);
        odd.add_row([cell("x "), right("１２"), cell("␛[2J 混合")]);
        odd.add_row([cell("")]);
        odd.add_row([cell(" "), cell(""), cell("")]);
        odd.add_row([right("7"), cell("e\u{301}"), cell("tab\u{9b}"), cell("extra")]);
        for table in [tasks(Width::Unlimited, false), dates(Width::Unlimited), odd] {
            let columns = table.all_rows().map(<[Cell]>::len).max().unwrap_or(0);
            let direct = table.plain_rows(columns).expect("plain rows");
            assert_eq!(direct, comfy_unlimited(&table));
            assert_eq!(show(&table), direct);
        }
        // Colour and multi-line cells stay with comfy-table.
        let coloured = tasks(Width::Unlimited, true);
        assert!(coloured.plain_rows(5).is_none());
        let mut lines = Table::new(Style { color: false, width: Width::Unlimited });
        lines.add_row([cell("one\ntwo"), cell("x")]);
        assert!(lines.plain_rows(2).is_none());
        assert_eq!(show(&lines), comfy_unlimited(&lines));
    }

    /// The padded rows are written into one block made large enough for
    /// them, Chinese text and all, and never grown: all it has beyond the
    /// text is the space cut from the lines' ends (here a byte a line and
    /// the header's padding), where a block grown to fit would have half
    /// as much again.
    #[test]
    fn plain_rows_fill_one_block_made_for_them() {
        let mut t = Table::new(Style { color: false, width: Width::Unlimited });
        t.set_header(["#", "标题"]);
        for n in 0..200 {
            t.add_row([right(n.to_string()), cell("分布式训练与推理加速（评估）")]);
        }
        let out = t.plain_rows(2).expect("plain rows");
        assert_eq!(out.lines().count(), 201);
        assert!(out.capacity() - out.len() <= 201 + 24, "{} bytes for {}", out.capacity(), out.len());
    }

    /// Lines as `render` returns them: each ending in a newline.
    fn text(lines: &[&str]) -> String {
        lines.iter().map(|l| format!("{l}\n")).collect()
    }

    #[test]
    fn tasks_at_40_columns_are_stacked() {
        assert_eq!(
            show(&tasks(Width::Columns(40), false)),
            text(&[
                "  id:     p4",
                "  title:  阶段4 前沿方向 · fits 3-5",
                "          months",
                "  effort: 120h",
                "  status: 30% done",
                "",
                "  id:     p4.frontier",
                "  title:  前沿追踪 Frontier tracking",
                "  effort: 52h",
                "",
                "  #:      1",
                "  id:     p4.frontier.agent",
                "  title:  Agent frameworks and tool use:",
                "          ReAct, function calling",
                "  effort: 12h",
                "  status: done",
                "",
                "  #:      12",
                "  id:     p4.frontier.moe",
                "  title:  混合专家模型（MoE）论文精读与",
                "          复现",
                "  effort: 20h30m",
                "  status: in progress",
                "",
                "  #:      100",
                "  id:     p5.rl.ppo",
                "  title:  PPO 复现",
                "  effort: 1h30m",
            ])
        );
    }

    #[test]
    fn tasks_at_60_columns_are_stacked_as_titles_would_get_too_narrow() {
        assert_eq!(
            show(&tasks(Width::Columns(60), false)),
            text(&[
                "  id:     p4",
                "  title:  阶段4 前沿方向 · fits 3-5 months",
                "  effort: 120h",
                "  status: 30% done",
                "",
                "  id:     p4.frontier",
                "  title:  前沿追踪 Frontier tracking",
                "  effort: 52h",
                "",
                "  #:      1",
                "  id:     p4.frontier.agent",
                "  title:  Agent frameworks and tool use: ReAct, function",
                "          calling",
                "  effort: 12h",
                "  status: done",
                "",
                "  #:      12",
                "  id:     p4.frontier.moe",
                "  title:  混合专家模型（MoE）论文精读与复现",
                "  effort: 20h30m",
                "  status: in progress",
                "",
                "  #:      100",
                "  id:     p5.rl.ppo",
                "  title:  PPO 复现",
                "  effort: 1h30m",
            ])
        );
    }

    #[test]
    fn tasks_at_80_columns_wrap_titles_only() {
        assert_eq!(
            show(&tasks(Width::Columns(80), false)),
            text(&[
                "  #    id                   title                            effort  status",
                "       p4                   阶段4 前沿方向 · fits 3-5          120h  30% done",
                "                            months",
                "       p4.frontier          前沿追踪 Frontier tracking          52h",
                "    1    p4.frontier.agent  Agent frameworks and tool use:      12h  done",
                "                            ReAct, function calling",
                "   12    p4.frontier.moe    混合专家模型（MoE）论文精读与复  20h30m  in progress",
                "                            现",
                "  100    p5.rl.ppo          PPO 复现                          1h30m",
            ])
        );
    }

    #[test]
    fn tasks_at_120_columns_wrap_nothing() {
        assert_eq!(
            show(&tasks(Width::Columns(120), false)),
            text(&[
                "  #    id                   title                                                   effort  status",
                "       p4                   阶段4 前沿方向 · fits 3-5 months                          120h  30% done",
                "       p4.frontier          前沿追踪 Frontier tracking                                 52h",
                "    1    p4.frontier.agent  Agent frameworks and tool use: ReAct, function calling     12h  done",
                "   12    p4.frontier.moe    混合专家模型（MoE）论文精读与复现                       20h30m  in progress",
                "  100    p5.rl.ppo          PPO 复现                                                 1h30m",
            ])
        );
    }

    #[test]
    fn tasks_piped_take_one_line_a_row() {
        assert_eq!(
            show(&tasks(Width::Unlimited, false)),
            text(&[
                "  #    id                   title                                                   effort  status",
                "       p4                   阶段4 前沿方向 · fits 3-5 months                          120h  30% done",
                "       p4.frontier          前沿追踪 Frontier tracking                                 52h",
                "    1    p4.frontier.agent  Agent frameworks and tool use: ReAct, function calling     12h  done",
                "   12    p4.frontier.moe    混合专家模型（MoE）论文精读与复现                       20h30m  in progress",
                "  100    p5.rl.ppo          PPO 复现                                                 1h30m",
            ])
        );
    }

    #[test]
    fn dates_at_60_columns_are_stacked() {
        assert_eq!(
            show(&dates(Width::Columns(60))),
            text(&[
                "  #:      7",
                "  id:     p4.frontier.agent",
                "  title:  Agent 框架与工具调用",
                "  effort: 12h",
                "  start:  2027-02-15",
                "  end:    2027-02-28",
                "  slip:   +3d",
                "",
                "  #:      8",
                "  id:     p4.frontier.moe",
                "  title:  MoE papers",
                "  effort: 20h",
                "  start:  2027-03-01",
                "  end:    2027-03-14",
                "  slip:   0",
            ])
        );
    }

    #[test]
    fn dates_at_80_columns_never_split_a_date() {
        assert_eq!(
            show(&dates(Width::Columns(80))),
            text(&[
                "  #  id                 title               effort  start       end         slip",
                "  7  p4.frontier.agent  Agent                  12h  2027-02-15  2027-02-28   +3d",
                "                        框架与工具调用",
                "  8  p4.frontier.moe    MoE papers             20h  2027-03-01  2027-03-14     0",
            ])
        );
    }

    #[test]
    fn dates_at_120_columns() {
        assert_eq!(
            show(&dates(Width::Columns(120))),
            text(&[
                "  #  id                 title                 effort  start       end         slip",
                "  7  p4.frontier.agent  Agent 框架与工具调用     12h  2027-02-15  2027-02-28   +3d",
                "  8  p4.frontier.moe    MoE papers               20h  2027-03-01  2027-03-14     0",
            ])
        );
    }

    #[test]
    fn dates_piped() {
        assert_eq!(
            show(&dates(Width::Unlimited)),
            text(&[
                "  #  id                 title                 effort  start       end         slip",
                "  7  p4.frontier.agent  Agent 框架与工具调用     12h  2027-02-15  2027-02-28   +3d",
                "  8  p4.frontier.moe    MoE papers               20h  2027-03-01  2027-03-14     0",
            ])
        );
    }

    #[test]
    fn a_table_without_header_stacks_under_its_first_cell() {
        assert_eq!(
            show(&coming(Width::Columns(40))),
            text(&[
                "  Sat 02-20",
                "    3",
                "    p4.jobprep.leetcode",
                "    LeetCode 刷题 200 道",
                "    14h",
                "",
                "  Mon 02-22",
                "    12",
                "    p4.frontier.moe",
                "    20h",
            ])
        );
    }

    #[test]
    fn a_table_without_header_at_80_columns() {
        assert_eq!(
            show(&coming(Width::Columns(80))),
            text(&[
                "  Sat 02-20   3  p4.jobprep.leetcode  LeetCode 刷题 200 道  14h",
                "  Mon 02-22  12  p4.frontier.moe                            20h",
            ])
        );
    }

    /// The display cell where `needle` starts on `line` (CJK counts two).
    fn column_of(line: &str, needle: &str) -> Option<usize> {
        line.find(needle).map(|at| line[..at].width())
    }

    #[test]
    fn cjk_titles_keep_the_columns_after_them_aligned() {
        for width in [Width::Columns(80), Width::Columns(120), Width::Unlimited] {
            let out = show(&tasks(width, false));
            let efforts = ["120h", "52h", "12h", "20h30m", "1h30m"];
            let ends: Vec<usize> = efforts
                .iter()
                .filter_map(|e| out.lines().find_map(|l| column_of(l, &format!(" {e}")).map(|c| c + 1 + e.len())))
                .collect();
            assert_eq!(ends.len(), efforts.len(), "{width:?}:\n{out}");
            assert!(ends.iter().all(|&e| e == ends[0]), "{width:?}: {ends:?}\n{out}");
        }
    }

    #[test]
    fn colour_only_when_the_style_says_so() {
        for width in [Width::Columns(40), Width::Columns(80), Width::Unlimited] {
            let plain = show(&tasks(width, false));
            use crate::core::visible::{MARK, mark};
            assert!(!plain.contains('\x1b') && !plain.contains(MARK), "{plain}");
            assert!(!show(&tasks(width, true)).contains('\x1b'), "colour as marks, not escape codes");
            let coloured = show(&tasks(width, true));
            let done = format!("{}done{}", mark("38;5;10"), mark("39"));
            assert!(coloured.contains(&done), "{coloured}");
            // The same layout, colour aside.
            assert_eq!(shown(&coloured), plain);
        }
    }

    #[test]
    fn red_if_is_red_only_with_colour() {
        let colour = Style { color: true, width: Width::Unlimited };
        assert_eq!(red_if("over", true, colour).tone, Some(Color::Red));
        assert_eq!(red_if("over", false, colour).tone, None);
        assert_eq!(red_if("over", true, Style { color: false, ..colour }).tone, None);
    }

    #[test]
    fn longest_words_ignore_colour_and_break_cjk_anywhere() {
        assert_eq!(longest_word("\x1b[1mp4.frontier.agent\x1b[0m"), 17);
        assert_eq!(longest_word("  p4.m1.t1 title"), 10);
        assert_eq!(longest_word("混合专家模型 MoE"), 3);
        assert_eq!(longest_word("a\nlonger-line"), 11);
        assert_eq!(text_width("混合 MoE"), 8);
    }

    #[test]
    fn a_long_piped_table_reads_as_if_laid_out_in_one_go() {
        let mut t = Table::new(Style { color: false, width: Width::Unlimited });
        t.set_header(["#", "id", "title", "effort"]);
        for i in 0..(2 * CHUNK + 7) {
            let id = if i == 2 * CHUNK + 3 { format!("p9.the-widest-module.t{i}") } else { format!("p1.m.t{i}") };
            let title = if i % 97 == 0 { "分布式训练 at scale".to_string() } else { format!("task {i}") };
            let row = [right((i + 1).to_string()), cell(id), cell(title), right(format!("{}h", i % 13))];
            t.add_row(row.into_iter().take(if i % 5 == 0 { 3 } else { 4 }));
        }
        let mut whole = t.comfy_table();
        whole.set_content_arrangement(ContentArrangement::Disabled);
        whole.set_header(t.header.iter().flatten().map(|c| t.comfy_cell(c, true)));
        for row in t.rows() {
            whole.add_row(row.iter().map(|c| t.comfy_cell(c, true)));
        }
        let out = show(&t);
        assert_eq!(out, lines(&whole));
        assert_eq!(out.lines().count(), 2 * CHUNK + 8);
    }

    #[test]
    fn stacked_blocks_leave_out_empty_values_and_empty_rows() {
        let mut t = Table::new(Style { color: false, width: Width::Columns(40) });
        t.set_header(["#", "id", "a title that is long enough", "when"]);
        t.add_row([cell(""), cell("p4"), cell(""), cell("")]);
        t.add_row([cell(""), cell(""), cell(""), cell("")]);
        t.add_row([right("3"), cell("p4.frontier.agent"), cell("Agents"), cell("2027-01-04")]);
        assert_eq!(
            show(&t),
            text(&[
                "  id:                          p4",
                "",
                "  #:                           3",
                "  id:                          p4.frontier.agent",
                "  a title that is long enough: Agents",
                "  when:                        2027-01-04",
            ])
        );
    }

    #[test]
    fn an_empty_table_renders_nothing() {
        assert_eq!(show(&Table::new(Style::PLAIN)), "");
    }

    mod props {
        use super::*;
        use proptest::prelude::*;

        /// A word that must never be split: an id, a date or a number.
        fn fixed() -> impl Strategy<Value = String> {
            prop_oneof!["p[0-9]\\.[a-z]{1,8}\\.[a-z-]{1,12}", "20[0-9]{2}-[01][0-9]-[0-3][0-9]", "[0-9]{1,5}(h|h30m)?",]
        }

        fn free() -> impl Strategy<Value = String> {
            let word = prop_oneof!["[a-z]{1,10}", "(编辑|距离|分布式|训练|模块)", Just("·".to_string())];
            prop::collection::vec(word, 0..10).prop_map(|w| w.join(" "))
        }

        /// Rows of fixed cells with one free-text column among them.
        fn rows() -> impl Strategy<Value = (usize, Vec<Vec<String>>)> {
            (2usize..7).prop_flat_map(|columns| {
                let row = (prop::collection::vec(fixed(), columns), free());
                (0..columns, prop::collection::vec(row, 1..8)).prop_map(|(text_at, rows)| {
                    let rows = rows
                        .into_iter()
                        .map(|(mut cells, text)| {
                            cells[text_at] = text;
                            cells
                        })
                        .collect();
                    (text_at, rows)
                })
            })
        }

        proptest! {
            /// A cell's text is `visible`'s, and its kind is what the text
            /// is made of: printable ASCII; else one line without marks (no
            /// newline, ESC or 0xF3 left once made visible); else other.
            /// Text of ASCII, CJK, controls (C0, DEL, C1), newlines, marks.
            #[test]
            fn a_cells_kind_is_what_its_text_is_made_of(text in prop::collection::vec(prop_oneof![
                6 => proptest::char::range(' ', '~'),
                3 => proptest::char::range('\u{4E00}', '\u{9FFF}'),
                1 => prop_oneof![Just('\n'), Just('\t'), Just('\r'), Just('\u{1b}'), Just('\u{7f}'), Just('\u{9b}'),
                    Just('\u{85}'), Just('\u{a0}'), Just('\u{e0001}'), Just('\u{e006d}'), Just('\u{301}'), Just('\0')],
            ], 0..40).prop_map(|chars| chars.into_iter().collect::<String>())) {
                let made = cell(text.as_str());
                prop_assert_eq!(&made.text, &visible(&text));
                let shown = made.text.as_bytes();
                let kind = if shown.iter().all(|b| matches!(b, b' '..=b'~')) {
                    Kind::Ascii
                } else if shown.iter().any(|&b| b == b'\n' || b == 0x1b || b == 0xf3) {
                    Kind::Other
                } else {
                    Kind::Line
                };
                prop_assert_eq!(made.kind, kind, "{:?}", text);
                prop_assert_eq!(right(text.as_str()).kind, kind);
            }
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(300))]

            #[test]
            fn never_wider_than_the_width_and_never_splitting_a_word_that_cannot_wrap(
                (text_at, rows) in rows(),
                width in 40u16..160,
                header in any::<bool>(),
            ) {
                let mut t = Table::new(Style { color: false, width: Width::Columns(width) });
                if header {
                    t.set_header((0..rows[0].len()).map(|c| format!("col{c}")));
                }
                for row in &rows {
                    t.add_row(row.iter().map(cell));
                }
                let out = show(&t);
                for line in out.lines() {
                    prop_assert!(line.width() <= usize::from(width), "{} > {}:\n{}", line.width(), width, out);
                }
                for row in &rows {
                    for (c, text) in row.iter().enumerate().filter(|&(c, _)| c != text_at) {
                        prop_assert!(out.lines().any(|l| l.contains(text.as_str())), "{} (column {}) split:\n{}", text, c, out);
                    }
                }
                let piped = {
                    let mut p = Table::new(Style { color: false, width: Width::Unlimited });
                    for row in &rows {
                        p.add_row(row.iter().map(cell));
                    }
                    show(&p)
                };
                prop_assert_eq!(piped.lines().count(), rows.len());
            }
        }
    }
}
