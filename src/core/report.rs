//! The weekly report's figures: what a span of days (usually one ISO week)
//! earned against what the baseline planned, the tasks and deliverables
//! finished, the habits kept, each phase's progress and forecast, the pace
//! of the last four weeks, and what the week after holds.
//!
//! Pure: plan, progress, outlook, the span and today in; `WeeklyFigures`
//! out, serialisable as the documented JSON (`docs/report-json.md`). The
//! table and markdown forms are rendered from these figures alone, so the
//! three forms carry the same numbers.

use crate::core::consistency::{self, Consistency};
use crate::core::earned::{self, Earning};
use crate::core::effort::Effort;
use crate::core::forecast::{WindowVerdict, end_at_pace};
use crate::core::habits::HabitView;
use crate::core::history::{Learned, learned};
use crate::core::outlook::{Outlook, phase_effort, plan_effort, slip};
use crate::core::period::Period;
use crate::core::plan::Plan;
use crate::core::progress::Status;
use crate::core::progress::{JournalEntry, Progress};
use crate::core::reserve::Capacity;
use crate::core::review::{Memory, Rating, Scheduler, working_day};
use crate::core::schedule::{self, Input, Work};
use crate::core::text::Str;
use chrono::{Days, NaiveDate};
use rustc_hash::FxHashSet;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// The version of the JSON shape; bumped only when a field changes meaning
/// or disappears.
pub(crate) const JSON_VERSION: u32 = 1;

/// How many days the velocity looks back over.
pub(crate) const VELOCITY_DAYS: i64 = 28;

#[derive(Clone, Debug, PartialEq, Serialize)]
pub(crate) struct WeeklyFigures {
    pub report_version: u32,
    /// The day the report was made for; figures about "now" are as of it.
    pub today: NaiveDate,
    pub period: Period,
    /// The phases the span's days fell in, in plan order.
    pub phases_in_period: Vec<PhaseRef>,
    /// Tasks finished in the span, by day then plan order.
    pub done: Vec<DoneTask>,
    /// Other tasks that earned effort in the span (logged time).
    pub worked: Vec<WorkedTask>,
    /// Deliverables checked in the span.
    pub deliverables: Vec<CheckedDeliverable>,
    /// Task minutes the baseline planned for the span.
    pub planned_minutes: Effort,
    /// The same, for the span's days up to today.
    pub planned_to_date_minutes: Effort,
    /// Effort earned in the span (see `earned`).
    pub earned_minutes: Effort,
    /// `earned` as a whole percentage of `planned`; `null` when nothing was planned.
    pub earned_percent: Option<u32>,
    /// Time actually logged in the span, on any task (beside `earned`,
    /// which also credits a finished task's whole estimate).
    pub logged_minutes: Effort,
    /// The span's journal entries that carry a note (`done`, `log`,
    /// `skip`, check-ins, days off), by day then as recorded.
    pub notes: Vec<JournalEntry>,
    /// Every day of the span.
    pub days: Vec<DayFigures>,
    pub habits: Vec<HabitFigures>,
    /// Every phase with selected work, in plan order.
    pub phases: Vec<PhaseFigures>,
    pub velocity: Option<Velocity>,
    pub plan: PlanFigures,
    /// The seven days after the span as scheduled now; `null` when they are past.
    pub next: Option<NextWeek>,
    /// What the learner's history says: calibration, re-estimate, ranges
    /// (`core::history`); `null` only when the re-estimate cannot be scheduled.
    pub history: Option<Learned>,
    /// Spaced review: the span's reviews and what is retained today; `null`
    /// when the plan has no `review:`.
    pub retained: Option<Retained>,
}

/// The span's reviews, and per phase the finished tasks still remembered.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub(crate) struct Retained {
    /// The plan's target retention (`review.retention`, 0.7–0.97).
    pub target_retention: f64,
    /// The time one review takes (`review.effort`).
    pub review_minutes: Effort,
    /// Reviews recorded on the span's days.
    pub reviews_done: usize,
    /// Reviews due in the span: those recorded in it, and those whose due
    /// day (the working day it falls on) is on or before its last day and
    /// that were not done before it began (an overdue one stays due).
    pub reviews_due: usize,
    /// Phases with finished reviewed tasks, in plan order.
    pub phases: Vec<RetainedPhase>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub(crate) struct RetainedPhase {
    pub id: String,
    pub title: String,
    /// Finished tasks that are reviewed (done, not `review: false`).
    pub finished: usize,
    /// Of them, those whose predicted recall today is at least the target.
    pub retained: usize,
    /// `retained` as a whole percentage of `finished`, rounded down.
    pub retained_percent: u32,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub(crate) struct PhaseRef {
    pub id: String,
    pub title: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub(crate) struct DoneTask {
    /// The number `list` prints.
    pub number: usize,
    pub id: String,
    pub title: String,
    pub phase: String,
    pub on: NaiveDate,
    pub effort_minutes: Effort,
    /// What the task earned inside the span (less than its effort when time
    /// was logged on it before the span).
    pub earned_minutes: Effort,
    /// Deliverables checked so far, and how many the task has.
    pub deliverables_checked: usize,
    pub deliverables_total: usize,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub(crate) struct WorkedTask {
    pub number: usize,
    pub id: String,
    pub title: String,
    pub earned_minutes: Effort,
    /// Everything earned on the task so far.
    pub earned_total_minutes: Effort,
    pub effort_minutes: Effort,
    /// `todo`, `in progress`, `done` or `skipped`, as of today.
    pub status: &'static str,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub(crate) struct CheckedDeliverable {
    pub task_number: usize,
    pub task: String,
    pub title: String,
    pub on: NaiveDate,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub(crate) struct DayFigures {
    pub date: NaiveDate,
    pub earned_minutes: Effort,
    /// Time logged that day, on any task.
    pub logged_minutes: Effort,
    pub planned_minutes: Effort,
    pub day_off: bool,
    /// After today.
    pub future: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub(crate) struct HabitFigures {
    /// The habit over the span; its streaks are as of today.
    #[serde(flatten)]
    pub span: Consistency,
    /// Adherence over the four weeks ending with the span (from the
    /// calendar's start at the earliest).
    pub recent_adherence_percent: Option<u32>,
    pub recent_from: NaiveDate,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub(crate) struct PhaseFigures {
    pub id: String,
    pub title: String,
    pub earned_minutes: Effort,
    pub total_minutes: Effort,
    pub percent: u32,
    pub forecast_start: Option<NaiveDate>,
    pub forecast_end: Option<NaiveDate>,
    pub baseline_end: Option<NaiveDate>,
    /// Forecast end minus baseline end, in days (positive: behind).
    pub slip_days: Option<i64>,
    /// `null` when the phase has no `duration`.
    pub window: Option<WindowVerdict>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub(crate) struct Velocity {
    /// The days looked at: the four weeks ending with the span (or today),
    /// from the calendar's start at the earliest.
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub days: i64,
    pub earned_minutes: Effort,
    /// Earned per 7 days, rounded down to the minute.
    pub weekly_minutes: Effort,
    /// The calendar's weekday hours, summed.
    pub calendar_weekly_minutes: Effort,
    /// Hours left for tasks over the same days (after habits and days off), per 7 days.
    pub capacity_weekly_minutes: Effort,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub(crate) struct PlanFigures {
    pub earned_minutes: Effort,
    pub total_minutes: Effort,
    pub percent: u32,
    /// The schedule's forecast end, at the calendar's hours.
    pub forecast_end: Option<NaiveDate>,
    /// The calendar's weekday hours, summed: the hours `forecast_end` assumes.
    pub calendar_weekly_minutes: Effort,
    pub baseline_end: Option<NaiveDate>,
    pub slip_days: Option<i64>,
    /// The end if the remaining effort goes at the velocity, from today.
    pub end_at_velocity: Option<NaiveDate>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub(crate) struct NextWeek {
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// Tasks scheduled in those days, in the order they are worked.
    pub tasks: Vec<PlannedTask>,
    pub scheduled_minutes: Effort,
    /// Hours for tasks on those days from today on (after habits and days off).
    pub capacity_minutes: Effort,
    /// What the baseline planned for those days.
    pub baseline_minutes: Effort,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub(crate) struct PlannedTask {
    pub number: usize,
    pub id: String,
    pub title: String,
    pub minutes: Effort,
}

/// The report's figures for `period`, as of `today`.
pub(crate) fn figures(
    plan: &Plan,
    progress: &Progress,
    outlook: &Outlook,
    period: Period,
    today: NaiveDate,
) -> WeeklyFigures {
    let earnings = earned::earnings(plan, progress, &outlook.work, &outlook.places);
    let planned = baseline_planned(plan, progress);
    let planned_in = |from: NaiveDate, to: NaiveDate| -> Effort {
        Effort::from_minutes(planned.range(from..=to).map(|(_, m)| *m).sum())
    };
    let planned_minutes = planned_in(period.from, period.to);
    let earned_minutes = earned::between(&earnings, period.from, period.to);
    let velocity = velocity(plan, progress, outlook, &earnings, &period, today);
    // Minutes logged on each day of the period, in order.
    let logged = progress.logged_by_day(period.from, period.to);
    WeeklyFigures {
        report_version: JSON_VERSION,
        today,
        period,
        phases_in_period: phases_in_period(plan, progress, outlook, &earnings, &period, today),
        done: done_tasks(plan, progress, outlook, &earnings, &period),
        worked: worked_tasks(plan, progress, outlook, &earnings, &period),
        deliverables: checked_deliverables(plan, progress, &period),
        planned_minutes,
        planned_to_date_minutes: if today < period.from {
            Effort::ZERO
        } else {
            planned_in(period.from, period.to.min(today))
        },
        earned_minutes,
        earned_percent: (!planned_minutes.is_zero())
            .then(|| consistency::percent(earned_minutes.minutes(), planned_minutes.minutes())),
        logged_minutes: Effort::from_minutes(logged.iter().fold(0u32, |sum, day| sum.saturating_add(*day))),
        notes: notes(progress, &period),
        days: days(progress, &earnings, &planned, &logged, &period, today),
        habits: habits(plan, progress, outlook, &period, today),
        phases: phases(plan, progress, outlook),
        plan: plan_figures(plan, progress, outlook, velocity.as_ref(), today),
        velocity,
        next: next_week(plan, progress, outlook, &planned, &period, today),
        history: history(plan, progress, outlook, today),
        retained: retained(plan, progress, &period, today),
    }
}

/// The span's reviews and today's retention per phase (see `Retained`).
fn retained(plan: &Plan, progress: &Progress, period: &Period, today: NaiveDate) -> Option<Retained> {
    let review = plan.review?;
    let scheduler = Scheduler::new(review.retention);
    let falls = |m: &Memory| working_day(&progress.calendar, m.due);
    let (mut done, mut due) = (0, 0);
    let mut phases: BTreeMap<usize, (usize, usize)> = BTreeMap::new();
    let none = Vec::new();
    for task in plan.tasks.iter().filter(|t| t.review && progress.is_selected(t.track.as_deref())) {
        let Status::Done(finished) = progress.status(&task.full_id) else { continue };
        let history = progress.reviews.get(&*task.full_id).unwrap_or(&none);
        let mut kept: Vec<(NaiveDate, Rating)> = history.iter().copied().filter(|(on, _)| *on >= finished).collect();
        kept.sort_by_key(|(on, _)| *on);
        let mut memory = scheduler.first(finished);
        for (on, rating) in kept {
            if period.contains(on) {
                done += 1;
                due += 1;
            } else if on > period.to && falls(&memory) <= period.to {
                due += 1;
            }
            memory = scheduler.review(&memory, on, rating);
        }
        if falls(&memory) <= period.to {
            due += 1;
        }
        let entry = phases.entry(task.phase).or_default();
        entry.0 += 1;
        if scheduler.recall(&memory, today) >= review.retention {
            entry.1 += 1;
        }
    }
    Some(Retained {
        target_retention: review.retention,
        review_minutes: review.effort,
        reviews_done: done,
        reviews_due: due,
        phases: phases
            .into_iter()
            .map(|(p, (finished, retained))| RetainedPhase {
                id: plan.phases[p].id.clone(),
                title: plan.phases[p].title.clone(),
                finished,
                retained,
                retained_percent: consistency::percent(retained as u32, finished as u32),
            })
            .collect(),
    })
}

/// The history's forecast at the calendar's hours, weeks drawn from the past.
fn history(plan: &Plan, progress: &Progress, outlook: &Outlook, today: NaiveDate) -> Option<Learned> {
    learned(plan, progress, &progress.calendar, outlook, None, today).ok()
}

/// The baseline's planned task minutes per day.
///
/// State files written before `Baseline::planned` existed lack them; they
/// are re-derived by scheduling the whole selected plan, nothing done, from
/// the day the baseline was computed, on the current calendar. That is what
/// `init` computed as long as the hours and days off have not changed since;
/// an old baseline made by `rebaseline` is only approximated.
pub(crate) fn baseline_planned(plan: &Plan, progress: &Progress) -> BTreeMap<NaiveDate, u32> {
    let baseline = &progress.baseline;
    if !baseline.planned.is_empty() || baseline.tasks.is_empty() {
        return baseline.planned.clone();
    }
    let work: Vec<Work> = plan
        .tasks
        .iter()
        .map(|task| {
            if progress.is_selected(task.track.as_deref()) {
                Work::Open { remaining: task.effort, first: None }
            } else {
                Work::Unselected
            }
        })
        .collect();
    let from = baseline.computed.unwrap_or(progress.calendar.start);
    let input = Input { plan, calendar: &progress.calendar, work: &work, today: from };
    let mut planned = BTreeMap::new();
    if let Ok(schedule) = schedule::schedule(input) {
        for (day, minutes) in schedule.tasks.iter().flatten().flat_map(|s| &s.days) {
            *planned.entry(*day).or_default() += minutes;
        }
    }
    planned
}

fn phase_ref(plan: &Plan, p: usize) -> PhaseRef {
    PhaseRef { id: plan.phases[p].id.clone(), title: plan.phases[p].title.clone() }
}

/// The phase current on each past day of the span, the phases of tasks that
/// earned in it, and those of tasks scheduled on its days to come.
fn phases_in_period(
    plan: &Plan,
    progress: &Progress,
    outlook: &Outlook,
    earnings: &[Earning],
    period: &Period,
    today: NaiveDate,
) -> Vec<PhaseRef> {
    let mut phases = BTreeSet::new();
    let started = |d: &NaiveDate| *d >= progress.calendar.start;
    for date in period.dates().filter(started) {
        if date <= today {
            phases.extend(outlook.clock.phase_on(date));
        }
    }
    phases.extend(earnings.iter().filter(|e| period.contains(e.on)).map(|e| plan.tasks[e.task].phase));
    for (i, slot) in outlook.schedule.tasks.iter().enumerate() {
        if slot.as_ref().is_some_and(|s| s.days.iter().any(|(d, _)| period.contains(*d))) {
            phases.insert(plan.tasks[i].phase);
        }
    }
    phases.into_iter().map(|p| phase_ref(plan, p)).collect()
}

/// `earnings` are ordered by task (see `earned::earnings`), so a task's
/// own are found by binary search rather than by a scan per task.
fn earned_on_task(earnings: &[Earning], task: usize, from: NaiveDate, to: NaiveDate) -> Effort {
    let first = earnings.partition_point(|e| e.task < task);
    earnings[first..]
        .iter()
        .take_while(|e| e.task == task)
        .filter(|e| from <= e.on && e.on <= to)
        .map(|e| e.effort)
        .sum()
}

fn done_tasks(
    plan: &Plan,
    progress: &Progress,
    outlook: &Outlook,
    earnings: &[Earning],
    period: &Period,
) -> Vec<DoneTask> {
    let mut done: Vec<DoneTask> = plan
        .tasks
        .iter()
        .enumerate()
        .filter_map(|(i, task)| {
            let Work::Done { on, .. } = outlook.work[i] else {
                return None;
            };
            period.contains(on).then(|| DoneTask {
                number: i + 1,
                id: task.full_id.to_string(),
                title: task.title.to_string(),
                phase: plan.phases[task.phase].id.clone(),
                on,
                effort_minutes: task.effort,
                earned_minutes: earned_on_task(earnings, i, period.from, period.to),
                deliverables_checked: task
                    .details()
                    .deliverables
                    .iter()
                    .filter(|d| progress.is_checked(&task.full_id, d.key()))
                    .count(),
                deliverables_total: task.details().deliverables.len(),
            })
        })
        .collect();
    done.sort_by_key(|t| (t.on, t.number));
    done
}

fn worked_tasks(
    plan: &Plan,
    progress: &Progress,
    outlook: &Outlook,
    earnings: &[Earning],
    period: &Period,
) -> Vec<WorkedTask> {
    plan.tasks
        .iter()
        .enumerate()
        .filter(|(i, _)| !matches!(outlook.work[*i], Work::Done { on, .. } if period.contains(on)))
        .filter_map(|(i, task)| {
            let earned = earned_on_task(earnings, i, period.from, period.to);
            (!earned.is_zero()).then(|| WorkedTask {
                number: i + 1,
                id: task.full_id.to_string(),
                title: task.title.to_string(),
                earned_minutes: earned,
                earned_total_minutes: progress.earned(plan, i),
                effort_minutes: task.effort,
                status: progress.status(&task.full_id).word(),
            })
        })
        .collect()
}

fn checked_deliverables(plan: &Plan, progress: &Progress, period: &Period) -> Vec<CheckedDeliverable> {
    // Only the tasks with a deliverable checked in the span have their
    // details decoded (the rest of a large plan's stay bytes).
    let checked_in_span: FxHashSet<&str> =
        progress.checked.iter().filter(|(_, on)| period.contains(**on)).map(|((task, _), _)| &task[..]).collect();
    let mut list = Vec::new();
    for (i, task) in plan.tasks.iter().enumerate() {
        if !checked_in_span.contains(&*task.full_id) {
            continue;
        }
        for d in &task.details().deliverables {
            let key = (task.full_id.clone(), Str::Owned(d.key().to_string()));
            if let Some(&on) = progress.checked.get(&key).filter(|on| period.contains(**on)) {
                list.push(CheckedDeliverable {
                    task_number: i + 1,
                    task: task.full_id.to_string(),
                    title: d.title.clone(),
                    on,
                });
            }
        }
    }
    list.sort_by_key(|c| (c.on, c.task_number));
    list
}

/// The journal entries of the span with a note, by day (stable: as recorded).
fn notes(progress: &Progress, period: &Period) -> Vec<JournalEntry> {
    let mut notes: Vec<JournalEntry> = progress
        .journal
        .entries_on(period.from, period.to)
        .filter(|e| e.note.is_some())
        .map(|e| e.to_owned())
        .collect();
    notes.sort_by_key(|e| e.on);
    notes
}

fn days(
    progress: &Progress,
    earnings: &[Earning],
    planned: &BTreeMap<NaiveDate, u32>,
    logged: &[u32],
    period: &Period,
    today: NaiveDate,
) -> Vec<DayFigures> {
    let earned = earned::by_day(earnings);
    period
        .dates()
        .zip(logged)
        .map(|(date, &logged)| DayFigures {
            date,
            earned_minutes: earned.get(&date).copied().unwrap_or_default(),
            logged_minutes: Effort::from_minutes(logged),
            planned_minutes: Effort::from_minutes(planned.get(&date).copied().unwrap_or(0)),
            day_off: progress.calendar.is_off(date),
            future: date > today,
        })
        .collect()
}

fn habits(plan: &Plan, progress: &Progress, outlook: &Outlook, period: &Period, today: NaiveDate) -> Vec<HabitFigures> {
    let recent_from = (period.to - Days::new(VELOCITY_DAYS as u64 - 1)).max(progress.calendar.start);
    plan.habits
        .iter()
        .map(|habit| {
            let view = HabitView { habit, calendar: &progress.calendar, progress, clock: &outlook.clock, today };
            let recent = view.figures(recent_from, period.to);
            HabitFigures {
                span: consistency::consistency(plan, &view, period),
                recent_adherence_percent: (recent.target > 0).then(|| consistency::percent(recent.done, recent.target)),
                recent_from,
            }
        })
        .collect()
}

fn phases(plan: &Plan, progress: &Progress, outlook: &Outlook) -> Vec<PhaseFigures> {
    plan.phases
        .iter()
        .enumerate()
        .filter_map(|(p, phase)| {
            if phase.tasks.clone().all(|i| matches!(outlook.work[i], Work::Unselected | Work::Skipped)) {
                return None;
            }
            // Read off the work list: at 100,000 tasks asking the progress
            // for each task's earned effort again was a tenth of a report.
            let (total, earned) = phase_effort(plan, progress, &outlook.work, p);
            let span = outlook.schedule.phases[p];
            let baseline_end = progress.baseline.phases.get(&phase.id).map(|b| b[1]);
            Some(PhaseFigures {
                id: phase.id.clone(),
                title: phase.title.clone(),
                earned_minutes: earned,
                total_minutes: total,
                percent: consistency::percent(earned.minutes(), total.minutes()),
                forecast_start: span.map(|s| s.first),
                forecast_end: span.map(|s| s.last),
                baseline_end,
                slip_days: slip(span.map(|s| s.last), baseline_end),
                window: WindowVerdict::of(plan, p, outlook.verdict(plan, p).as_ref()),
            })
        })
        .collect()
}

fn velocity(
    plan: &Plan,
    progress: &Progress,
    outlook: &Outlook,
    earnings: &[Earning],
    period: &Period,
    today: NaiveDate,
) -> Option<Velocity> {
    let calendar = &progress.calendar;
    let to = period.to.min(today);
    let from = (to - Days::new(VELOCITY_DAYS as u64 - 1)).max(calendar.start);
    if from > to {
        return None;
    }
    let days = (to - from).num_days() + 1;
    let earned = earned::between(earnings, from, to);
    let mut day_capacity = Capacity::new(plan, calendar, &progress.checkins);
    let capacity: u64 = from
        .iter_days()
        .take_while(|d| *d <= to)
        .map(|d| u64::from(day_capacity.on(d, outlook.clock.phase_on(d))))
        .sum();
    let per_week = |minutes: u64| Effort::from_minutes((minutes * 7 / days as u64) as u32);
    Some(Velocity {
        from,
        to,
        days,
        earned_minutes: earned,
        weekly_minutes: per_week(u64::from(earned.minutes())),
        calendar_weekly_minutes: calendar.hours.weekly(),
        capacity_weekly_minutes: per_week(capacity),
    })
}

fn plan_figures(
    plan: &Plan,
    progress: &Progress,
    outlook: &Outlook,
    velocity: Option<&Velocity>,
    today: NaiveDate,
) -> PlanFigures {
    let (total, earned) = plan_effort(plan, progress, &outlook.work);
    let from = today.max(progress.calendar.start);
    PlanFigures {
        earned_minutes: earned,
        total_minutes: total,
        percent: consistency::percent(earned.minutes(), total.minutes()),
        forecast_end: outlook.schedule.end,
        calendar_weekly_minutes: progress.calendar.hours.weekly(),
        baseline_end: progress.baseline.end,
        slip_days: slip(outlook.schedule.end, progress.baseline.end),
        end_at_velocity: velocity.and_then(|v| end_at_pace(total.saturating_sub(earned), v.weekly_minutes, from)),
    }
}

fn next_week(
    plan: &Plan,
    progress: &Progress,
    outlook: &Outlook,
    planned: &BTreeMap<NaiveDate, u32>,
    period: &Period,
    today: NaiveDate,
) -> Option<NextWeek> {
    let next = period.following_week();
    if next.to < today {
        return None;
    }
    let from = next.from.max(today).max(progress.calendar.start);
    let in_days = |d: &NaiveDate| from <= *d && *d <= next.to;
    let mut tasks = Vec::new();
    // The phase of the first task worked each day decides its habits' share.
    let mut first_phase: BTreeMap<NaiveDate, usize> = BTreeMap::new();
    // The outlook's order is `schedule::work_order` of its work.
    for &i in &outlook.order {
        let Some(slot) = &outlook.schedule.tasks[i] else {
            continue;
        };
        let minutes: u32 = slot.days.iter().filter(|(d, _)| in_days(d)).map(|(_, m)| m).sum();
        for (d, _) in slot.days.iter().filter(|(d, _)| in_days(d)) {
            first_phase.entry(*d).or_insert(plan.tasks[i].phase);
        }
        if minutes > 0 {
            let task = &plan.tasks[i];
            tasks.push(PlannedTask {
                number: i + 1,
                id: task.full_id.to_string(),
                title: task.title.to_string(),
                minutes: Effort::from_minutes(minutes),
            });
        }
    }
    let mut day_capacity = Capacity::new(plan, &progress.calendar, &progress.checkins);
    let capacity: u32 = from
        .iter_days()
        .take_while(|d| *d <= next.to)
        .map(|d| {
            let phase = first_phase.get(&d).copied().or_else(|| outlook.clock.phase_on(d));
            day_capacity.on(d, phase)
        })
        .sum();
    Some(NextWeek {
        from: next.from,
        to: next.to,
        scheduled_minutes: tasks.iter().map(|t| t.minutes).sum(),
        tasks,
        capacity_minutes: Effort::from_minutes(capacity),
        baseline_minutes: Effort::from_minutes(planned.range(next.from..=next.to).map(|(_, m)| *m).sum()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::calendar::WeekHours;
    use crate::core::habits::Mark;
    use crate::core::state::Event;
    use crate::core::testkit::{checkin, d, day_off, deliverable, done, logged, plan, progress};

    const PLAN: &str = include_str!("../../tests/fixtures/plans/weekly.yaml");

    /// The fixture plan from Mon 2027-01-04 at 2h Mon–Fri, 4h at weekends,
    /// with the baseline `init` would make, and `events` replayed.
    fn setup(events: Vec<Event>) -> (Plan, Progress) {
        let plan = plan(PLAN);
        let hours = WeekHours::DEFAULT;
        let fresh = progress("2027-01-04", hours, Default::default(), vec![]);
        let outlook = Outlook::new(&plan, &fresh, d("2027-01-04")).unwrap();
        let baseline = crate::core::outlook::baseline(&plan, &outlook.schedule, d("2027-01-04"));
        (plan, progress("2027-01-04", hours, baseline, events))
    }

    fn week_one() -> Vec<Event> {
        vec![
            checkin("leet", "2027-01-04", 2),
            checkin("paper", "2027-01-04", 1),
            logged("p1.setup.env", "2027-01-04", 30),
            checkin("leet", "2027-01-05", 1),
            logged("p1.setup.env", "2027-01-05", 60),
            day_off("2027-01-06", "2027-01-06"),
            checkin("leet", "2027-01-07", 2),
            done("p1.setup.env", "2027-01-07"),
            deliverable("p1.setup.env", "Install the toolchain", "2027-01-07"),
            checkin("leet", "2027-01-08", 2),
            logged("p1.setup.read", "2027-01-08", 60),
            checkin("leet", "2027-01-09", 1),
            logged("p1.setup.read", "2027-01-09", 120),
            done("p1.setup.drill", "2027-01-09"),
        ]
    }

    fn report(events: Vec<Event>, week: &str, today: &str) -> WeeklyFigures {
        let (plan, progress) = setup(events);
        let today = d(today);
        let outlook = Outlook::new(&plan, &progress, today).unwrap();
        let period = Period::parse_week(week, today).unwrap();
        figures(&plan, &progress, &outlook, period, today)
    }

    fn minutes(e: Effort) -> u32 {
        e.minutes()
    }

    #[test]
    fn the_baseline_plans_every_hour_of_capacity_until_the_plan_ends() {
        let (plan, progress) = setup(vec![]);
        let planned = baseline_planned(&plan, &progress);
        let week = |from: &str, to: &str| -> u32 { planned.range(d(from)..=d(to)).map(|(_, m)| m).sum() };
        // 30m on Mondays, 1.5h Tuesday to Friday, 3.5h at weekends.
        assert_eq!(week("2027-01-04", "2027-01-10"), 810);
        assert_eq!(week("2027-01-11", "2027-01-17"), 810);
        assert_eq!(week("2027-01-18", "2027-01-24"), 480);
        assert_eq!(planned.values().sum::<u32>(), 35 * 60);
        // An older state file without the planned hours re-derives the same.
        let mut old = progress.clone();
        old.baseline.planned.clear();
        assert_eq!(baseline_planned(&plan, &old), planned);
    }

    #[test]
    fn a_week_with_done_tasks_logs_partial_habits_and_a_day_off() {
        let f = report(week_one(), "last", "2027-01-11");
        assert_eq!((f.period.from, f.period.to), (d("2027-01-04"), d("2027-01-10")));
        assert_eq!(f.phases_in_period.iter().map(|p| p.id.as_str()).collect::<Vec<_>>(), ["p1"]);
        let earned: Vec<u32> = f.days.iter().map(|d| minutes(d.earned_minutes)).collect();
        assert_eq!(earned, [30, 60, 0, 150, 60, 420, 0]);
        let planned: Vec<u32> = f.days.iter().map(|d| minutes(d.planned_minutes)).collect();
        assert_eq!(planned, [30, 90, 90, 90, 90, 210, 210]);
        assert_eq!(f.days.iter().filter(|d| d.day_off).count(), 1);
        assert_eq!((minutes(f.earned_minutes), minutes(f.planned_minutes), f.earned_percent), (720, 810, Some(88)));
        let done: Vec<(&str, u32, usize, usize)> = f
            .done
            .iter()
            .map(|t| (t.id.as_str(), minutes(t.earned_minutes), t.deliverables_checked, t.deliverables_total))
            .collect();
        assert_eq!(done, [("p1.setup.env", 240, 1, 2), ("p1.setup.drill", 300, 0, 0)]);
        assert_eq!(f.worked.len(), 1);
        assert_eq!((f.worked[0].id.as_str(), minutes(f.worked[0].earned_minutes)), ("p1.setup.read", 180));
        assert_eq!(f.deliverables.len(), 1);

        let leet = &f.habits[0].span;
        let marks: Vec<Mark> = leet.days.iter().map(|d| d.mark).collect();
        use Mark::{Met, Missed, Off, Partial};
        assert_eq!(marks, [Met, Partial, Off, Met, Met, Partial, Missed]);
        assert_eq!((leet.done, leet.target_total, leet.adherence_percent), (8, 12, Some(66)));
        assert_eq!((leet.streak, leet.longest_streak), (0, 5));
        assert_eq!(f.habits[0].recent_from, d("2027-01-04"));

        let p1 = &f.phases[0];
        assert_eq!((minutes(p1.earned_minutes), minutes(p1.total_minutes), p1.percent), (720, 900, 80));
        assert_eq!((p1.forecast_end, p1.slip_days), (Some(d("2027-01-13")), Some(1)));
        let p2 = f.phases[1].window.clone().unwrap();
        assert_eq!((p2.verdict, p2.days, p2.weekly_minutes_to_fit), (Some("over"), Some(4), Some(1500)));

        let v = f.velocity.clone().unwrap();
        assert_eq!((v.days, minutes(v.weekly_minutes), minutes(v.capacity_weekly_minutes)), (7, 720, 720));
        assert_eq!(f.plan.end_at_velocity, Some(d("2027-01-24")));
        assert_eq!(f.plan.forecast_end, Some(d("2027-01-23")));
        let next = f.next.clone().unwrap();
        assert_eq!(
            (minutes(next.scheduled_minutes), minutes(next.capacity_minutes), minutes(next.baseline_minutes)),
            (810, 810, 810)
        );
        let tasks: Vec<(&str, u32)> = next.tasks.iter().map(|t| (t.id.as_str(), minutes(t.minutes))).collect();
        assert_eq!(tasks, [("p1.setup.read", 180), ("p2.build.app", 630)]);
    }

    #[test]
    fn weeks_long_past_have_no_next_week_and_weeks_to_come_earn_nothing() {
        let f = report(week_one(), "2027-01-04", "2027-02-01");
        assert_eq!(f.next, None);
        assert_eq!(minutes(f.earned_minutes), 720);
        let f = report(week_one(), "2027-W03", "2027-01-11");
        assert_eq!((minutes(f.earned_minutes), minutes(f.planned_minutes)), (0, 480));
        assert_eq!(minutes(f.planned_to_date_minutes), 0);
        assert!(f.days.iter().all(|d| d.future));
        assert_eq!(f.phases_in_period.iter().map(|p| p.id.as_str()).collect::<Vec<_>>(), ["p2"]);
    }

    #[test]
    fn no_velocity_before_the_start_and_no_pace_without_earnings() {
        let f = report(vec![], "this", "2027-01-04");
        let v = f.velocity.unwrap();
        assert_eq!((v.days, minutes(v.earned_minutes)), (1, 0));
        assert_eq!(f.plan.end_at_velocity, None);
        assert_eq!(f.earned_percent, Some(0));
        let f = report(vec![], "2026-12-28", "2027-01-01");
        assert_eq!(f.velocity, None);
        assert_eq!(f.earned_percent, None);
        assert!(f.phases_in_period.is_empty());
    }

    const PERIOD_PLAN: &str = "
format: 1
id: period-report
title: Period report
phases:
  - id: p1
    title: One
    modules:
      - id: m
        title: M
        tasks:
          - {id: a, title: A, effort: 100h}
habits:
  - {id: blog, title: Blog, every: 2 weeks, effort: 2h}
";

    /// From Mon 2027-01-04 at the default hours: the blog's fortnights are
    /// 01-04..01-17 and 01-18..01-31, its hours on their first Saturday
    /// (01-09, 01-23: 4h against 2h on weekdays).
    fn period_report(events: Vec<Event>, week: &str, today: &str) -> WeeklyFigures {
        let plan = plan(PERIOD_PLAN);
        let progress = progress("2027-01-04", WeekHours::DEFAULT, Default::default(), events);
        let today = d(today);
        let outlook = Outlook::new(&plan, &progress, today).unwrap();
        figures(&plan, &progress, &outlook, Period::parse_week(week, today).unwrap(), today)
    }

    #[test]
    fn a_period_habit_is_met_by_a_check_in_on_any_day_of_its_period() {
        // Checked in on Wednesday 01-13: the fortnight 01-04..01-17 is met.
        let f = period_report(vec![checkin("blog", "2027-01-13", 1)], "2027-W02", "2027-01-18");
        let blog = &f.habits[0];
        assert_eq!(blog.span.kind, "period");
        assert_eq!((blog.span.due_days, blog.span.met, blog.span.missed), (1, 1, 0));
        assert_eq!((blog.span.adherence_percent, blog.recent_adherence_percent), (Some(100), Some(100)));
        let p = blog.span.periods[0];
        assert_eq!(
            (p.from, p.to, p.mark, p.met_on),
            (d("2027-01-04"), d("2027-01-17"), Mark::Met, Some(d("2027-01-13")))
        );
        // The week after, the next fortnight is open (not missed), due by
        // Sun 01-31 with its hours planned on Sat 01-23.
        let f = period_report(vec![checkin("blog", "2027-01-13", 1)], "2027-W03", "2027-01-20");
        let blog = &f.habits[0].span;
        assert_eq!((blog.due_days, blog.missed, blog.adherence_percent), (0, 0, None));
        let now = blog.current_period.unwrap();
        assert_eq!(
            (now.mark, now.to, now.reserved, now.reserving),
            (Mark::Open, d("2027-01-31"), Some(d("2027-01-23")), true)
        );
        // Unmet, it is missed once it has ended.
        let f = period_report(vec![], "2027-W02", "2027-01-18");
        assert_eq!((f.habits[0].span.missed, f.habits[0].span.adherence_percent), (1, Some(0)));
    }

    #[test]
    fn the_report_capacity_takes_the_reservation_until_the_period_is_met() {
        // Week 1: 5 x 2h + 2 x 4h = 18h, less the blog's 2h on Sat 01-09.
        let f = period_report(vec![], "2027-W01", "2027-01-10");
        assert_eq!(minutes(f.velocity.unwrap().capacity_weekly_minutes), 18 * 60 - 120);
        // Blogged on Wednesday 01-06: Saturday's 2h are back.
        let f = period_report(vec![checkin("blog", "2027-01-06", 1)], "2027-W01", "2027-01-10");
        assert_eq!(minutes(f.velocity.unwrap().capacity_weekly_minutes), 18 * 60);
        // The week after next holds the next fortnight's Saturday, 01-23.
        let f = period_report(vec![checkin("blog", "2027-01-06", 1)], "2027-W02", "2027-01-11");
        assert_eq!(minutes(f.next.unwrap().capacity_minutes), 18 * 60 - 120);
    }
}
