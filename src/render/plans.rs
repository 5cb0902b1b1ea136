//! `roadmap plans`: the built-in plans as a table.

use super::Style;
use super::table::{self, cell, right};
use crate::core::phrase;
use serde::Serialize;

/// One built-in plan.
#[derive(Debug, Serialize)]
pub(crate) struct PlanRow {
    pub name: String,
    pub default: bool,
    pub id: String,
    pub title: String,
    /// The plan's summary, as written.
    pub summary: Option<String>,
    pub lang: Option<String>,
    pub phases: usize,
    pub tasks: usize,
    pub habits: usize,
    pub effort_minutes: u32,
}

pub(crate) fn text(rows: &[PlanRow], style: Style) -> String {
    let mut t = table::plain(style);
    t.set_header(vec!["name", "title", "lang", "tasks", "effort", ""]);
    for row in rows {
        t.add_row(vec![
            cell(&row.name),
            cell(&row.title),
            cell(row.lang.as_deref().unwrap_or("-")),
            right(row.tasks.to_string()),
            right(phrase::hours(i64::from(row.effort_minutes))),
            cell(if row.default { "default" } else { "" }),
        ]);
    }
    let mut out = table::render(&t);
    for row in rows {
        if let Some(summary) = row.summary.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            out.push_str(&format!("\n{}\n", style.bold(&row.name)));
            for line in summary.lines() {
                out.push_str(&format!("{}\n", format!("  {line}").trim_end()));
            }
        }
    }
    out
}
