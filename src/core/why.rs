//! `roadmap why TASK`: where a task sits in the schedule and why, as data
//! the renderer turns into sentences. Tasks are worked one at a time in
//! the schedule's order (`schedule::work_order`: phase by phase, plan order
//! within a phase, a task after the tasks it depends on), so a task starts
//! when everything before it in that order is done, on the hours the
//! calendar leaves after habits and days off. Pure; today is an argument.

use crate::core::calendar::DayOff;
use crate::core::effort::Effort;
use crate::core::forecast::scaled_to;
use crate::core::outlook::Outlook;
use crate::core::plan::Plan;
use crate::core::progress::{Progress, Status};
use crate::core::reserve::Capacity;
use crate::core::schedule::{ScheduleError, Work};
use chrono::{Datelike, NaiveDate};
use serde::Serialize;

/// How many of the tasks before it are named.
pub(crate) const NAMED_BEFORE: usize = 5;

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub(crate) struct TaskRef {
    pub id: String,
    pub title: String,
    /// Its planned last day, when open; the day it was done, when done.
    pub end: Option<NaiveDate>,
    pub done: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub(crate) struct PhaseRef {
    pub id: String,
    pub title: String,
    /// Its planned last day.
    pub end: Option<NaiveDate>,
}

/// The day the task starts on: its hours, what habits take, what is left.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub(crate) struct StartDay {
    pub date: NaiveDate,
    pub calendar_minutes: u32,
    pub habit_minutes: u32,
    pub task_minutes: u32,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub(crate) struct Earlier {
    /// How many tasks before it in the order it does not depend on …
    pub skippable_count: usize,
    /// … the last few of them …
    pub skippable: Vec<TaskRef>,
    /// … and their remaining effort.
    pub skippable_minutes: Effort,
    /// Its start were they all skipped.
    pub start_if_skipped: Option<NaiveDate>,
    /// The weekly hours half again as many as now (each day scaled) …
    pub weekly_minutes_more: Option<Effort>,
    /// … and its start with them.
    pub start_with_more: Option<NaiveDate>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub(crate) struct Why {
    pub today: NaiveDate,
    pub id: String,
    pub title: String,
    /// `todo`, `in progress`, `done`, `skipped`, `unselected`.
    pub status: String,
    pub phase: PhaseRef,
    pub effort_minutes: Effort,
    pub logged_minutes: Effort,
    /// For a done task: the day, and logged ÷ estimate (`null` without time logged).
    pub done_on: Option<NaiveDate>,
    pub first_worked: Option<NaiveDate>,
    pub ratio: Option<f64>,
    /// For an open task: its planned first and last day.
    pub start: Option<NaiveDate>,
    pub end: Option<NaiveDate>,
    /// Its dependencies, done or not.
    pub after: Vec<TaskRef>,
    /// Earlier phases with work still to do (worked first).
    pub earlier_phases: Vec<PhaseRef>,
    /// How many tasks come before it in the order, their remaining effort,
    /// and the last few of them.
    pub before_count: usize,
    pub before_minutes: Effort,
    pub before: Vec<TaskRef>,
    pub start_day: Option<StartDay>,
    /// Days off from today to its last day.
    pub days_off: Vec<DayOff>,
    pub earlier: Option<Earlier>,
}

fn task_ref(plan: &Plan, outlook: &Outlook, i: usize) -> TaskRef {
    let (end, done) = match outlook.work[i] {
        Work::Done { on, .. } => (Some(on), true),
        _ => (outlook.schedule.tasks[i].as_ref().map(|s| s.end), false),
    };
    TaskRef { id: plan.tasks[i].full_id.to_string(), title: plan.tasks[i].title.to_string(), end, done }
}

/// The explanation for task `i`.
pub(crate) fn why(
    plan: &Plan,
    progress: &Progress,
    outlook: &Outlook,
    i: usize,
    today: NaiveDate,
) -> Result<Why, ScheduleError> {
    let task = &plan.tasks[i];
    let p = progress.tasks.get(&*task.full_id);
    let logged = p.map_or(Effort::ZERO, |p| p.logged());
    let status = match (outlook.work[i], p.map(|p| p.status)) {
        (Work::Unselected, _) => "unselected",
        (_, Some(s)) => s.word(),
        (_, None) => Status::Todo.word(),
    };
    let phase = &plan.phases[task.phase];
    let phase_end = |ph: usize| outlook.schedule.phases[ph].map(|s| s.last);
    let slot = outlook.schedule.tasks[i].as_ref().filter(|_| matches!(outlook.work[i], Work::Open { .. }));
    let mut why = Why {
        today,
        id: task.full_id.to_string(),
        title: task.title.to_string(),
        status: status.to_string(),
        phase: PhaseRef { id: phase.id.clone(), title: phase.title.clone(), end: phase_end(task.phase) },
        effort_minutes: task.effort,
        logged_minutes: logged,
        done_on: None,
        first_worked: p.and_then(|p| p.first_worked()),
        ratio: None,
        start: slot.map(|s| s.start),
        end: slot.map(|s| s.end),
        after: task.after.iter().map(|&d| task_ref(plan, outlook, d)).collect(),
        earlier_phases: Vec::new(),
        before_count: 0,
        before_minutes: Effort::ZERO,
        before: Vec::new(),
        start_day: None,
        days_off: Vec::new(),
        earlier: None,
    };
    if let Work::Done { on, .. } = outlook.work[i] {
        why.done_on = Some(on);
        why.ratio = (!logged.is_zero() && !task.effort.is_zero())
            .then(|| f64::from(logged.minutes()) / f64::from(task.effort.minutes()));
        return Ok(why);
    }
    let Some(slot) = slot else { return Ok(why) };
    let Some(position) = outlook.order.iter().position(|&t| t == i) else { return Ok(why) };
    let before = &outlook.order[..position];
    why.earlier_phases = (0..task.phase)
        .filter(|&ph| before.iter().any(|&t| plan.tasks[t].phase == ph))
        .map(|ph| PhaseRef { id: plan.phases[ph].id.clone(), title: plan.phases[ph].title.clone(), end: phase_end(ph) })
        .collect();
    let remaining = |t: usize| match outlook.work[t] {
        Work::Open { remaining, .. } => remaining,
        _ => Effort::ZERO,
    };
    why.before_count = before.len();
    why.before_minutes = before.iter().map(|&t| remaining(t)).fold(Effort::ZERO, Effort::saturating_add);
    why.before = before.iter().rev().take(NAMED_BEFORE).rev().map(|&t| task_ref(plan, outlook, t)).collect();
    // The start day's hours: habits reserved on it, walked from today so
    // period habits' reservations are as the scheduler holds them.
    let mut capacity = Capacity::new(plan, &progress.calendar, &progress.checkins);
    let mut habit_minutes = 0;
    for date in today.iter_days().take_while(|d| *d <= slot.start) {
        habit_minutes = if progress.calendar.is_off(date) { 0 } else { capacity.habits_on(date, Some(task.phase)) };
    }
    let calendar_minutes = progress.calendar.hours.on(slot.start.weekday());
    why.start_day = Some(StartDay {
        date: slot.start,
        calendar_minutes,
        habit_minutes,
        task_minutes: calendar_minutes.saturating_sub(habit_minutes),
    });
    why.days_off =
        progress.calendar.days_off.iter().filter(|off| off.to >= today && off.from <= slot.end).cloned().collect();
    why.earlier = Some(earlier(plan, progress, outlook, i, before, today)?);
    Ok(why)
}

/// What would bring task `i` earlier: skipping the tasks before it it does
/// not depend on, or half again as many hours.
fn earlier(
    plan: &Plan,
    progress: &Progress,
    outlook: &Outlook,
    i: usize,
    before: &[usize],
    today: NaiveDate,
) -> Result<Earlier, ScheduleError> {
    // Its dependencies, transitively.
    let mut needed = vec![false; plan.tasks.len()];
    let mut stack = plan.tasks[i].after.clone();
    while let Some(t) = stack.pop() {
        if !needed[t] {
            needed[t] = true;
            stack.extend(plan.tasks[t].after.iter().copied());
        }
    }
    let skippable: Vec<usize> = before.iter().copied().filter(|&t| !needed[t]).collect();
    let start_of = |o: &Outlook| o.schedule.tasks[i].as_ref().map(|s| s.start);
    let spent = progress.logged_on(today);
    let start_if_skipped = if skippable.is_empty() {
        None
    } else {
        let mut work = outlook.work.clone();
        for &t in &skippable {
            work[t] = Work::Skipped;
        }
        start_of(&Outlook::build(plan, &progress.calendar, &progress.checkins, work, today, spent)?)
    };
    let now = progress.calendar.hours;
    let more = scaled_to(now, Effort::from_minutes(now.weekly().minutes().saturating_mul(3) / 2));
    let start_with_more = match more {
        Some(hours) if hours.weekly().minutes() <= 168 * 60 => {
            let mut calendar = progress.calendar.clone();
            calendar.hours = hours;
            let o = Outlook::build(plan, &calendar, &progress.checkins, outlook.work.clone(), today, spent)?;
            start_of(&o)
        }
        _ => None,
    };
    Ok(Earlier {
        skippable_count: skippable.len(),
        skippable_minutes: skippable
            .iter()
            .map(|&t| match outlook.work[t] {
                Work::Open { remaining, .. } => remaining,
                _ => Effort::ZERO,
            })
            .fold(Effort::ZERO, Effort::saturating_add),
        skippable: skippable.iter().rev().take(NAMED_BEFORE).rev().map(|&t| task_ref(plan, outlook, t)).collect(),
        start_if_skipped,
        weekly_minutes_more: more.map(|h| h.weekly()),
        start_with_more,
    })
}
