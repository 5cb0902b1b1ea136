//! `roadmap schedule`: the forecast against the baseline, phase by phase and
//! task by task, as a table with the health line under it.

use super::Style;
use super::table::{self, Cell, Table, cell, right};
use super::{summary, verdict};
use crate::core::dates;
use crate::core::effort::Effort;
use crate::core::phrase;
use crate::core::window::Fit;
use chrono::NaiveDate;
use serde::Serialize;

/// The whole schedule (or one phase of it). Ids and titles are borrowed
/// from the plan: `schedule` lists every task, 10,000 of them and more.
#[derive(Debug, Serialize)]
pub(crate) struct ScheduleView<'a> {
    pub(crate) today: NaiveDate,
    pub(crate) end: Option<NaiveDate>,
    pub(crate) baseline_end: Option<NaiveDate>,
    pub(crate) slip_days: Option<i64>,
    pub(crate) phases: Vec<SchedulePhase<'a>>,
}

/// One phase: its span against the baseline and its window, and its tasks.
#[derive(Debug, Serialize)]
pub(crate) struct SchedulePhase<'a> {
    pub(crate) id: &'a str,
    pub(crate) title: &'a str,
    /// The phase's window as the plan wrote it (text only: the JSON has
    /// the verdict).
    #[serde(skip)]
    pub(crate) window: Option<&'a str>,
    /// Effort of its selected, unskipped tasks (text only).
    #[serde(skip)]
    pub(crate) effort_minutes: u32,
    pub(crate) start: Option<NaiveDate>,
    pub(crate) end: Option<NaiveDate>,
    pub(crate) baseline_end: Option<NaiveDate>,
    pub(crate) slip_days: Option<i64>,
    pub(crate) verdict: Option<Fit>,
    pub(crate) weekly_minutes_to_fit: Option<u32>,
    pub(crate) tasks: Vec<ScheduleTask<'a>>,
}

/// One task's planned days against the baseline.
#[derive(Debug, Serialize)]
pub(crate) struct ScheduleTask<'a> {
    pub(crate) number: usize,
    pub(crate) id: &'a str,
    pub(crate) title: &'a str,
    pub(crate) effort_minutes: u32,
    /// The estimate less what is logged, while the task is open; `null`
    /// when done, skipped or off track.
    pub(crate) remaining_minutes: Option<u32>,
    pub(crate) start: Option<NaiveDate>,
    pub(crate) end: Option<NaiveDate>,
    pub(crate) baseline_end: Option<NaiveDate>,
    pub(crate) slip_days: Option<i64>,
    /// `todo`, `in progress`, `done`, `skipped`, `overdue` or `off track`.
    pub(crate) status: &'static str,
}

pub(crate) fn text(view: &ScheduleView, style: Style) -> String {
    let mut out = table(view, style);
    out.push('\n');
    out.push_str(&summary::health(view.end, view.baseline_end));
    out.push('\n');
    out
}

/// The table, through the table renderer: the only place that knows it.
fn table(view: &ScheduleView, style: Style) -> String {
    let mut t = Table::new(style);
    t.set_header(&["#", "id", "title", "effort", "start", "end", "baseline", "slip", "status"]);
    t.reserve(view.phases.iter().map(|p| p.tasks.len() + 1).sum(), 9);
    for phase in &view.phases {
        t.add_row(phase_row(phase, style));
        for task in &phase.tasks {
            t.add_row(task_row(task));
        }
    }
    t.only_wrap(&[1, 2]);
    t.render()
}

fn phase_row(phase: &SchedulePhase, s: Style) -> [Cell<'static>; 9] {
    let verdict = verdict::of_window(phase.window, phase.verdict, phase.weekly_minutes_to_fit);
    let title = match verdict {
        Some(verdict) => format!("{} · {verdict}", phase.title),
        None => phase.title.to_string(),
    };
    [
        cell(""),
        cell(s.bold(phase.id)),
        cell(s.bold(&title)),
        right(phrase::hours(i64::from(phase.effort_minutes))),
        cell(date(phase.start)),
        cell(date(phase.end)),
        cell(date(phase.baseline_end)),
        slip(phase.slip_days),
        cell(""),
    ]
}

fn task_row<'a>(task: &ScheduleTask<'a>) -> [Cell<'a>; 9] {
    [
        right(super::number(task.number)),
        cell(task.id),
        cell(task.title),
        right(effort_cell(task)),
        cell(date(task.start)),
        cell(date(task.end)),
        cell(date(task.baseline_end)),
        slip(task.slip_days),
        table::status(task.status),
    ]
}

/// `24h`, or `21h of 24h` (what is left) once time is logged on it.
fn effort_cell(task: &ScheduleTask) -> String {
    let effort = Effort::from_minutes(task.effort_minutes);
    match task.remaining_minutes {
        Some(left) if left != task.effort_minutes => format!("{} of {effort}", Effort::from_minutes(left)),
        _ => effort.to_string(),
    }
}

fn date(day: Option<NaiveDate>) -> String {
    day.map_or(String::new(), dates::iso)
}

/// `+3d`, `-2d`, `0`, or empty without a baseline.
fn slip(days: Option<i64>) -> Cell<'static> {
    right(days.map_or(String::new(), |d| if d == 0 { "0".into() } else { super::signed_days(d) }))
}
