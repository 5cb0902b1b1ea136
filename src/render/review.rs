//! `roadmap review`: the reviews due and coming, and one recorded.

use super::Style;
use super::table::{self, cell, right};
use chrono::NaiveDate;
use serde::Serialize;

/// One finished task's next review.
#[derive(Debug, Serialize)]
pub(crate) struct ReviewRow {
    /// The task's `list` number.
    pub number: usize,
    pub id: String,
    pub title: String,
    /// The day the task was done.
    pub done_on: NaiveDate,
    /// Days since it was done.
    pub days_since_done: i64,
    /// The latest review (the completion, before any).
    pub last_review: NaiveDate,
    /// Reviews recorded so far (the completion not counted).
    pub reviews: u32,
    /// The working day the next review falls on.
    pub due: NaiveDate,
    /// Days past due (0 when due today or later).
    pub overdue_days: i64,
    /// Predicted recall today (FSRS-6), a percentage rounded to the nearest.
    pub recall_percent: u32,
    /// The line that records it, rated good.
    pub command: String,
    /// A reminder of what to recall: the notes' first line, else the deliverables.
    pub reminder: Option<String>,
}

/// `roadmap review`: every review due today or overdue, then those to come.
#[derive(Debug, Serialize)]
pub(crate) struct ReviewList {
    /// Whether the plan has a `review:` block.
    pub enabled: bool,
    pub today: NaiveDate,
    /// The plan's target retention, as a percentage.
    pub retention_percent: Option<u32>,
    pub effort_minutes: Option<u32>,
    pub due: Vec<ReviewRow>,
    pub upcoming: Vec<ReviewRow>,
}

/// One review recorded.
#[derive(Debug, Serialize)]
pub(crate) struct Reviewed {
    pub id: String,
    pub title: String,
    pub on: NaiveDate,
    pub rating: &'static str,
    /// The next review's day.
    pub next: NaiveDate,
}

/// How long ago, in days, in words.
pub(crate) fn ago(days: i64) -> String {
    match days {
        0 => "today".to_string(),
        1 => "1 day ago".to_string(),
        n => format!("{n} days ago"),
    }
}

fn percent(recall: u32) -> String {
    format!("{recall}%")
}

pub(crate) fn text(view: &ReviewList, style: Style) -> String {
    if !view.enabled {
        return "This plan has no spaced review: add a `review:` block (e.g. `review: {effort: 20m}`) \
                to have finished tasks come back.\n"
            .to_string();
    }
    let mut out = String::new();
    if view.due.is_empty() {
        out.push_str("No review is due today.\n");
    } else {
        out.push_str(&format!("{}\n", style.bold(&format!("Reviews due ({})", view.due.len()))));
        let mut t = table::plain(style);
        t.set_header(vec!["#", "task", "done", "due", "recall", "record with"]);
        t.reserve(view.due.len(), 6);
        for r in &view.due {
            let due =
                if r.overdue_days > 0 { format!("{} ({}d late)", r.due, r.overdue_days) } else { r.due.to_string() };
            t.add_row(vec![
                right(r.number.to_string()),
                cell(&r.title),
                cell(ago(r.days_since_done)),
                cell(due),
                right(percent(r.recall_percent)),
                cell(&r.command),
            ]);
        }
        out.push_str(&table::render(&t));
    }
    if !view.upcoming.is_empty() {
        out.push_str(&format!("\n{}\n", style.bold("Coming reviews")));
        let mut t = table::plain(style);
        t.set_header(vec!["#", "task", "due", "recall now"]);
        for r in view.upcoming.iter().take(20) {
            t.add_row(vec![
                right(r.number.to_string()),
                cell(&r.title),
                cell(r.due.to_string()),
                right(percent(r.recall_percent)),
            ]);
        }
        out.push_str(&table::render(&t));
        if view.upcoming.len() > 20 {
            out.push_str(&format!("… and {} more (`roadmap review --json` lists all)\n", view.upcoming.len() - 20));
        }
    }
    out
}

/// The reviews due that `next` shows; `roadmap review` lists them all.
pub(crate) const SHOWN: usize = 10;

/// `next`'s "Reviews due": number, title, since done, recall now and the
/// command, each with a reminder of what to recall; `None` when none is due.
pub(crate) fn due_table(rows: &[ReviewRow], total: usize, style: Style) -> Option<String> {
    if rows.is_empty() {
        return None;
    }
    let mut t = table::plain(style);
    // The title and the age wrap; the command stays whole, to be copied.
    t.only_wrap(&[1, 2]);
    for r in rows.iter().take(SHOWN) {
        let late = if r.overdue_days > 0 { format!(" · {}d late", r.overdue_days) } else { String::new() };
        t.add_row(vec![
            right(r.number.to_string()),
            cell(&r.title),
            cell(format!("done {}{late}", ago(r.days_since_done))),
            right(format!("recall {}", percent(r.recall_percent))),
            cell(&r.command),
        ]);
    }
    let mut out = table::render(&t);
    for r in rows.iter().take(SHOWN).filter(|r| r.reminder.is_some()) {
        out.push_str(&format!("  {}: {}\n", r.number, r.reminder.as_deref().unwrap_or_default()));
    }
    let shown = rows.len().min(SHOWN);
    if total > shown {
        out.push_str(&format!("  … and {} more: `roadmap review` lists them all\n", total - shown));
    }
    Some(out)
}

/// `show`'s line: `  review   next 2027-01-18 · 1 review so far · recall now 95%`.
pub(crate) fn show_line(r: &ReviewRow) -> String {
    let count = match r.reviews {
        0 => "none yet".to_string(),
        1 => "1 so far".to_string(),
        n => format!("{n} so far"),
    };
    let late = if r.overdue_days > 0 { format!(" ({}d late)", r.overdue_days) } else { String::new() };
    format!("  review   next {}{late} · reviews {count} · recall now {}", r.due, percent(r.recall_percent))
}

pub(crate) fn recorded(view: &Reviewed) -> String {
    format!(
        "Reviewed {} ({}) on {}, rated {}. Next review: {}.\n",
        view.title, view.id, view.on, view.rating, view.next
    )
}
