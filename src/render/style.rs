//! Colour and width decisions for the terminal, made once at the edge.

/// How wide a line of output may be.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Width {
    /// At most this many terminal cells: tables wrap their free text, or
    /// stack their rows when even that does not fit.
    Columns(u16),
    /// No limit (stdout is not a terminal and `COLUMNS` is not set): a
    /// table row is one line, however long.
    Unlimited,
}

impl Width {
    /// `None` (the terminal's "no limit") as `Unlimited`.
    pub fn from_columns(columns: Option<u16>) -> Width {
        columns.map_or(Width::Unlimited, Width::Columns)
    }
}

/// How output is styled: colour on or off, and the width tables may use.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Style {
    pub color: bool,
    pub width: Width,
}

impl Style {
    pub const PLAIN: Style = Style { color: false, width: Width::Columns(100) };

    /// `text` in a colour or weight: marks the output edge turns into the
    /// escape codes (`core::visible`), so that no screen writes an escape
    /// code itself and none from a plan is taken for ours.
    fn paint(&self, code: &str, text: &str) -> String {
        if self.color { crate::core::visible::painted(code, text) } else { text.to_string() }
    }

    pub fn bold(&self, text: &str) -> String {
        self.paint("1", text)
    }

    pub fn dim(&self, text: &str) -> String {
        self.paint("2", text)
    }

    pub fn green(&self, text: &str) -> String {
        self.paint("32", text)
    }

    pub fn yellow(&self, text: &str) -> String {
        self.paint("33", text)
    }

    pub fn red(&self, text: &str) -> String {
        self.paint("31", text)
    }

    pub fn cyan(&self, text: &str) -> String {
        self.paint("36", text)
    }
}
