//! `roadmap schedule`: the forecast against the baseline, phase by phase and
//! task by task, as a table with the health line under it.

use super::Style;
use super::table::{self, Cell, Pieces, Table, cell, right};
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
    let count = view.phases.iter().map(|p| p.tasks.len()).sum::<usize>();
    let texts = task_texts(view.phases.iter().flat_map(|p| &p.tasks), count);
    let mut texts = texts.iter();
    t.reserve(count + view.phases.len(), 9);
    for phase in &view.phases {
        t.add_row(phase_row(phase, style));
        for (task, texts) in phase.tasks.iter().zip(&mut texts) {
            t.add_row(task_row(task, texts));
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

fn task_row<'a>(task: &ScheduleTask<'a>, [number, effort, start, end, baseline, slip]: [&'a str; 6]) -> [Cell<'a>; 9] {
    [
        right(number),
        cell(task.id),
        cell(task.title),
        right(effort),
        cell(start),
        cell(end),
        cell(baseline),
        right(slip),
        table::status(task.status),
    ]
}

/// The task rows' made-up cells: number, effort, start, end, baseline,
/// slip (`table::Pieces`).
fn task_texts<'a>(tasks: impl Iterator<Item = &'a ScheduleTask<'a>>, count: usize) -> Pieces<6> {
    use std::fmt::Write;
    // About 48 bytes a task: `1234`, `24h`, three dates, `+3d`.
    let mut texts = Pieces::new(count, 48);
    for task in tasks {
        let text = texts.text();
        let mut ends = [0; 6];
        text.push_str(itoa::Buffer::new().format(task.number));
        ends[0] = text.len();
        let effort = Effort::from_minutes(task.effort_minutes);
        // Writing to a `String` cannot fail.
        let _ = match task.remaining_minutes {
            Some(left) if left != task.effort_minutes => write!(text, "{} of {effort}", Effort::from_minutes(left)),
            _ => write!(text, "{effort}"),
        };
        ends[1] = text.len();
        for (end, day) in ends[2..5].iter_mut().zip([task.start, task.end, task.baseline_end]) {
            if let Some(day) = day {
                dates::push_iso(text, day);
            }
            *end = text.len();
        }
        match task.slip_days {
            Some(0) => text.push('0'),
            Some(d) => super::push_signed_days(text, d),
            None => {}
        }
        ends[5] = text.len();
        texts.row(ends);
    }
    texts
}

fn date(day: Option<NaiveDate>) -> String {
    day.map_or(String::new(), dates::iso)
}

/// `+3d`, `-2d`, `0`, or empty without a baseline.
fn slip(days: Option<i64>) -> Cell<'static> {
    right(days.map_or(String::new(), |d| if d == 0 { "0".into() } else { super::signed_days(d) }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn task(
        number: usize,
        remaining: Option<u32>,
        days: [Option<&str>; 3],
        slip: Option<i64>,
    ) -> ScheduleTask<'static> {
        let day = |d: Option<&str>| d.map(|d| d.parse::<NaiveDate>().expect("date"));
        ScheduleTask {
            number,
            id: "p.m.t",
            title: "T",
            effort_minutes: 360,
            remaining_minutes: remaining,
            start: day(days[0]),
            end: day(days[1]),
            baseline_end: day(days[2]),
            slip_days: slip,
            status: "todo",
        }
    }

    /// Each task's made-up cells, one string for all: the number, the
    /// effort (what is left once logged), the dates (none where a task
    /// has none), the slip with its sign (`0` on time, empty without a
    /// baseline), as the cells were written one by one before.
    #[test]
    fn the_task_texts_are_each_tasks_cells() {
        let tasks = [
            task(7, Some(300), [Some("2027-01-04"), Some("2027-01-09"), Some("2027-01-08")], Some(1)),
            task(12345, Some(360), [None, None, None], None),
            task(1, None, [Some("0999-12-31"), Some("2027-02-01"), Some("2027-02-03")], Some(-2)),
            task(2, Some(0), [Some("2027-01-04"), Some("2027-01-04"), Some("2027-01-04")], Some(0)),
        ];
        let texts = task_texts(tasks.iter(), tasks.len());
        let cells: Vec<[&str; 6]> = texts.iter().collect();
        assert_eq!(
            cells,
            [
                ["7", "5h of 6h", "2027-01-04", "2027-01-09", "2027-01-08", "+1d"],
                ["12345", "6h", "", "", "", ""],
                ["1", "6h", "0999-12-31", "2027-02-01", "2027-02-03", "-2d"],
                ["2", "0h of 6h", "2027-01-04", "2027-01-04", "2027-01-04", "0"],
            ]
        );
        let mut after = String::from("at ");
        dates::push_iso(&mut after, NaiveDate::from_ymd_opt(2027, 3, 9).expect("date"));
        assert_eq!(after, "at 2027-03-09");
    }
}
