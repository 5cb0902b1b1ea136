//! `roadmap next`: the morning screen, as text. The view is what `next
//! --json` prints; the text reads the same view.

use super::Style;
use super::summary::health;
use super::table::{self, cell, right};
use super::verdict;
use crate::core::dates;
use crate::core::effort::Effort;
use crate::core::forecast::WindowVerdict;
use crate::core::habits::PeriodMark;
use crate::core::phrase;
use crate::core::schedule::Verdict;
use crate::core::window::Fit;
use chrono::NaiveDate;
use serde::Serialize;
use std::fmt::Write;

/// Everything `next` shows.
#[derive(Debug, Serialize)]
pub(crate) struct NextView {
    pub date: NaiveDate,
    pub preview: bool,
    pub phase: Option<PhaseNow>,
    pub progress: PlanProgress,
    pub today: TodayView,
    pub habits: Vec<HabitDue>,
    /// The first spaced reviews due today or overdue, most overdue first
    /// (`review::SHOWN` at most; left out when none).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub reviews_due: Vec<super::review::ReviewRow>,
    /// How many reviews are due in all (left out when none).
    #[serde(skip_serializing_if = "is_zero")]
    pub reviews_due_total: usize,
    pub overdue: Vec<OverdueTask>,
    /// Open tasks with their whole estimate (or more) logged.
    pub over_estimate: Vec<OverEstimate>,
    pub coming_up: Vec<ComingTask>,
    /// Today's ISO week (`2027-W02`), the weeks every screen counts in.
    pub iso_week: String,
    pub slip_days: Option<i64>,
    pub forecast_end: Option<NaiveDate>,
    pub baseline_end: Option<NaiveDate>,
    pub orphaned_tasks: Vec<String>,
    /// In the preview: the plan's summary and its routes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub intro: Option<super::routes::PreviewIntro>,
    /// Every task on the followed tracks is done or skipped (text only).
    #[serde(skip)]
    pub all_done: bool,
}

/// The current phase.
#[derive(Debug, Serialize)]
pub(crate) struct PhaseNow {
    pub id: String,
    pub title: String,
    pub duration: Option<String>,
    pub week: Option<i64>,
    pub window: Option<WindowVerdict>,
}

/// Effort earned of the plan's total.
#[derive(Debug, Serialize)]
pub(crate) struct PlanProgress {
    pub earned_minutes: u32,
    pub total_minutes: u32,
    pub percent: u32,
}

/// Today's hours and the tasks planned on them.
#[derive(Debug, Serialize)]
pub(crate) struct TodayView {
    pub available_minutes: u32,
    pub task_minutes: u32,
    /// Minutes today's due reviews take before tasks (0 when none is due).
    pub review_minutes: u32,
    /// Minutes logged today on any task: the schedule gives today only
    /// what is left of `task_minutes`.
    pub logged_minutes: u32,
    pub day_off: bool,
    /// Today's weekday, when its fixed-day habits take all its hours.
    pub filled_by_habits: Option<FilledDay>,
    pub tasks: Vec<TaskToday>,
    /// The day off's note (text only).
    #[serde(skip)]
    pub off_note: Option<String>,
}

/// A task planned today.
#[derive(Debug, Serialize)]
pub(crate) struct TaskToday {
    pub number: usize,
    pub id: String,
    pub title: String,
    pub minutes_today: u32,
    pub remaining_minutes: u32,
    pub planned_end: NaiveDate,
    pub open_deliverables: Vec<String>,
}

/// A weekday whose fixed-day habits take all its hours.
#[derive(Debug, Serialize)]
pub(crate) struct FilledDay {
    /// `Mon` … `Sun`.
    pub weekday: String,
    /// The weekday's hours.
    pub minutes: u32,
    /// What its habits take.
    pub habit_minutes: u32,
    pub habits: Vec<String>,
    /// In every phase (else only in some, today's among them).
    pub every_phase: bool,
    /// The weekday hours, as `config --hours` takes them, that leave this
    /// weekday one hour for tasks.
    pub hours_to_fit: String,
    /// The weekday as init, config and validate name it (text only).
    #[serde(skip)]
    pub said: super::routes::FilledDay,
}

/// An open task with its whole estimate logged (or more).
#[derive(Debug, Serialize)]
pub(crate) struct OverEstimate {
    pub number: usize,
    pub id: String,
    pub title: String,
    pub logged_minutes: u32,
    pub effort_minutes: u32,
}

/// A habit due today.
#[derive(Debug, Serialize)]
pub(crate) struct HabitDue {
    pub id: String,
    pub title: String,
    pub count: u32,
    pub target: u32,
    pub unit: Option<String>,
    pub streak: u32,
    pub streak_unit: &'static str,
    /// A period habit's running period (`null` for a fixed-day habit): its
    /// `from`/`to`, `reserved` day, `count`/`target` and `mark` (`open`).
    pub period: Option<PeriodMark>,
    /// How the period is named: `this fortnight`, `these 10 days`.
    pub period_words: Option<String>,
}

/// A task past its baseline end and not done.
#[derive(Debug, Serialize)]
pub(crate) struct OverdueTask {
    pub number: usize,
    pub id: String,
    pub title: String,
    pub baseline_end: NaiveDate,
    pub remaining_minutes: u32,
}

/// One of the next tasks to start after today.
#[derive(Debug, Serialize)]
pub(crate) struct ComingTask {
    pub number: usize,
    pub id: String,
    pub title: String,
    pub planned_start: NaiveDate,
    pub effort_minutes: u32,
    /// The estimate less what is logged: what the row shows.
    pub remaining_minutes: u32,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

pub(crate) fn text(view: &NextView, s: Style) -> String {
    let mut out = head(view, s);
    out.push('\n');
    if view.all_done {
        let _ = writeln!(out, "{}", s.green("Every task on your tracks is done or skipped."));
    } else {
        out.push_str(&today(&view.today, s));
    }
    section(&mut out, &s.bold("Habits due today"), habits_table(&view.habits, s));
    section(&mut out, &s.bold("Reviews due"), super::review::due_table(&view.reviews_due, view.reviews_due_total, s));
    section(&mut out, &s.red(&s.bold("Overdue")), overdue_table(&view.overdue, s));
    section(&mut out, &s.yellow(&s.bold("Over the estimate")), over_estimate_table(&view.over_estimate, s));
    section(&mut out, &s.bold("Coming up"), coming_table(&view.coming_up, s));
    let _ = writeln!(out, "\n{}", health(view.forecast_end, view.baseline_end));
    if let Some(line) = view.phase.as_ref().and_then(over_window_line) {
        let _ = writeln!(out, "{}", s.red(&line));
    }
    out
}

/// The bold head line, the preview notice and the orphans note.
fn head(view: &NextView, s: Style) -> String {
    let mut out = format!("{}\n", s.bold(&head_line(view)));
    if view.preview {
        let _ = writeln!(
            out,
            "{}",
            s.dim("Preview: nothing saved yet, so this is the built-in plan from today. `roadmap init` sets your start and hours; `roadmap done TASK` starts tracking.")
        );
    }
    if let Some(intro) = &view.intro {
        out.push_str(&super::routes::preview_lines(intro, s));
    }
    if !view.orphaned_tasks.is_empty() {
        let note = format!(
            "Note: progress saved for {} the plan no longer has ({}); `roadmap doctor` explains.",
            phrase::count(view.orphaned_tasks.len() as i64, "task", "tasks"),
            view.orphaned_tasks.join(", ")
        );
        let _ = writeln!(out, "{}", s.yellow(&note));
    }
    out
}

/// `Mon 2027-01-11 · p1 基础阶段 · week 1 of 2-3 weeks · 16% of the plan done`
fn head_line(view: &NextView) -> String {
    let mut head = format!("{} ({})", dates::long(view.date), view.iso_week);
    if let Some(phase) = &view.phase {
        let _ = write!(head, " · {} {}", phase.id, phase.title);
        match (phase.week, &phase.duration) {
            (Some(week), Some(window)) => {
                let _ = write!(head, " · week {week} of {window}");
            }
            (Some(week), None) => {
                let _ = write!(head, " · week {week}");
            }
            _ => {}
        }
    }
    let _ = write!(head, " · {}% of the plan done", view.progress.percent);
    head
}

/// A titled section after a blank line, left out when it has no rows.
fn section(out: &mut String, title: &str, rows: Option<String>) {
    if let Some(rows) = rows {
        let _ = writeln!(out, "\n{title}");
        out.push_str(&rows);
    }
}

/// Today's hours, then each task planned today with its open deliverables.
fn today(today: &TodayView, s: Style) -> String {
    if today.day_off {
        let note = today.off_note.as_deref().map(|n| format!(" ({n})")).unwrap_or_default();
        return format!("{}\n", s.bold(&format!("Today: day off{note}")));
    }
    let (available, for_tasks) = (today.available_minutes, today.task_minutes);
    let hours = |minutes: u32| phrase::hours(i64::from(minutes));
    let after = if today.review_minutes > 0 {
        format!("habits and {} of reviews", hours(today.review_minutes))
    } else {
        "habits".to_string()
    };
    let line = format!("Today: {} available, {} for tasks after {after}", hours(available), hours(for_tasks));
    let mut out = format!("{}\n", s.bold(&line));
    let logged = today.logged_minutes;
    match (logged, for_tasks) {
        (0, _) => {}
        (_, 0) => {
            let _ = writeln!(out, "  {} done today, with none planned.", hours(logged));
        }
        (done, planned) if done >= planned => {
            let done_line = format!("{} done of {} planned: today's work is done.", hours(done), hours(planned));
            let _ = writeln!(out, "  {}", s.green(&done_line));
        }
        (done, planned) => {
            let _ =
                writeln!(out, "  {} done of {} planned; {} to go:", hours(done), hours(planned), hours(planned - done));
        }
    }
    if today.tasks.is_empty() && logged < for_tasks.max(1) {
        match (&today.filled_by_habits, available, for_tasks) {
            (Some(filled), _, 0) => {
                out.push_str(&super::routes::filled_lines(std::slice::from_ref(&filled.said), "  "));
            }
            (_, 0, _) => {
                let _ = writeln!(out, "  Nothing planned today (no study hours on this weekday).");
            }
            (_, _, 0) => {
                let _ = writeln!(out, "  Nothing planned today ({after} take all of today's hours).");
            }
            _ => {
                let _ = writeln!(out, "  Nothing planned today.");
            }
        }
    }
    for task in &today.tasks {
        out.push_str(&task_table(task, s));
        for d in &task.open_deliverables {
            let _ = writeln!(out, "       [ ] {d}");
        }
    }
    out
}

/// Tasks with their estimate used up: done, or log more.
fn over_estimate_table(tasks: &[OverEstimate], s: Style) -> Option<String> {
    if tasks.is_empty() {
        return None;
    }
    let mut t = table::plain(s);
    for task in tasks {
        let (logged, effort) =
            (phrase::hours(i64::from(task.logged_minutes)), phrase::hours(i64::from(task.effort_minutes)));
        t.add_row(vec![
            right(task.number.to_string()),
            cell(&task.id),
            cell(&task.title),
            cell(format!(
                "{logged} of {effort} — `roadmap done {n}` when finished, or `roadmap log {n} 1h` to go on",
                n = task.number
            )),
        ]);
    }
    Some(table::render(&t))
}

/// One task planned today, as a one-row table.
fn task_table(task: &TaskToday, s: Style) -> String {
    let mut t = table::plain(s);
    t.add_row(vec![
        right(task.number.to_string()),
        cell(s.bold(&task.id)),
        cell(&task.title),
        cell(format!(
            "{} today · {} left · ends {}",
            phrase::hours(i64::from(task.minutes_today)),
            phrase::hours(i64::from(task.remaining_minutes)),
            dates::short(task.planned_end)
        )),
    ]);
    table::render(&t)
}

fn habits_table(habits: &[HabitDue], s: Style) -> Option<String> {
    if habits.is_empty() {
        return None;
    }
    let mut t = table::plain(s);
    for h in habits {
        let unit = h.unit.as_deref().map(|u| format!(" {u}")).unwrap_or_default();
        let count = format!("{}/{}{unit}", h.count, h.target);
        let count = if h.count >= h.target { s.green(&count) } else { count };
        let when = match (&h.period_words, &h.period) {
            (Some(words), Some(p)) => super::habits::period_state(words, p),
            _ => format!("streak {} {}", h.streak, h.streak_unit),
        };
        t.add_row(vec![cell(&h.id), cell(&h.title), cell(count), cell(when)]);
    }
    Some(table::render(&t))
}

fn overdue_table(overdue: &[OverdueTask], s: Style) -> Option<String> {
    if overdue.is_empty() {
        return None;
    }
    let mut t = table::plain(s);
    for task in overdue {
        let left = phrase::hours(i64::from(task.remaining_minutes));
        t.add_row(vec![
            right(task.number.to_string()),
            cell(&task.id),
            cell(&task.title),
            cell(format!("baseline end {} · {left} left", dates::short(task.baseline_end))),
        ]);
    }
    Some(table::render(&t))
}

fn coming_table(coming: &[ComingTask], s: Style) -> Option<String> {
    if coming.is_empty() {
        return None;
    }
    let mut t = table::plain(s);
    for task in coming {
        t.add_row(vec![
            cell(dates::short(task.planned_start)),
            right(task.number.to_string()),
            cell(&task.id),
            cell(&task.title),
            right(Effort::from_minutes(task.remaining_minutes).to_string()),
        ]);
    }
    Some(table::render(&t))
}

/// `p4 高阶项目与实习准备: over 2-3个月 by 12 days; it fits at 15h30m/week`
/// when the phase's forecast runs past its window.
fn over_window_line(phase: &PhaseNow) -> Option<String> {
    let window = phase.window.as_ref()?;
    let Some(Verdict { fit: Fit::Over { days }, weekly_to_fit }) = window.as_verdict() else {
        return None;
    };
    let name = format!("{} {}", phase.id, phase.title);
    Some(verdict::over_window(&name, &window.window, days, weekly_to_fit))
}

/// `next --why`: the day's view, and why each of today's tasks is today.
#[derive(Debug, Serialize)]
pub(crate) struct NextWithWhy<'a> {
    #[serde(flatten)]
    pub next: &'a NextView,
    pub why: Vec<crate::core::why::Why>,
}

/// The day's screen, then each explanation under a blank line.
pub(crate) fn text_with_why(view: &NextWithWhy<'_>, s: Style) -> String {
    let mut out = text(view.next, s);
    for why in &view.why {
        out.push('\n');
        out.push_str(&super::why::text(why, s));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_over_window_line_reads_the_phase_verdict_of_the_view() {
        let window = |verdict, days, weekly| WindowVerdict {
            window: "2-3 weeks".into(),
            verdict: Some(verdict),
            days,
            weekly_minutes_to_fit: weekly,
        };
        let phase =
            |w| PhaseNow { id: "p1".into(), title: "基础".into(), duration: None, week: Some(2), window: Some(w) };
        assert_eq!(
            over_window_line(&phase(window("over", Some(12), Some(930)))).as_deref(),
            Some("p1 基础: over 2-3 weeks by 12 days; it fits at 15h30m/week")
        );
        assert_eq!(over_window_line(&phase(window("fits", None, None))), None);
        let json = serde_json::to_value(phase(window("over", Some(12), None))).unwrap();
        assert_eq!(json["window"]["verdict"], "over");
    }
}
