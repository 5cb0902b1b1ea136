//! The scheduler: plan, calendar, progress and today in; a schedule out.
//!
//! Pure and deterministic. Tasks are worked one after another in a stable
//! topological order (among the tasks whose dependencies are placed, the
//! earliest in the plan), phase after phase. A task takes the day's capacity
//! until its remaining effort is spent; the next starts on the same day if
//! hours are left. Done tasks sit at their completion dates; the remaining
//! work is scheduled from today (or from the start date, if later).

use crate::core::calendar::Calendar;
use crate::core::effort::Effort;
use crate::core::plan::Plan;
use crate::core::reserve::{Capacity, Checkins};
use crate::core::window::Fit;
use chrono::{Days, Months, NaiveDate};
use std::cmp::Reverse;
use std::collections::BinaryHeap;

/// What has happened to a task so far.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Work {
    /// Not in the schedule: its track is not selected.
    Unselected,
    /// Skipped by the learner: out of the schedule.
    Skipped,
    /// Finished on `on`; `first` is the first day it was worked.
    Done { first: NaiveDate, on: NaiveDate },
    /// Still to do: `remaining` effort; `first` worked day, if any.
    Open { remaining: Effort, first: Option<NaiveDate> },
}

/// Where a task sits in the schedule.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Slot {
    pub start: NaiveDate,
    pub end: NaiveDate,
    /// Planned minutes per day, for the work still to do.
    pub days: Vec<(NaiveDate, u32)>,
    pub done: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Span {
    pub first: NaiveDate,
    pub last: NaiveDate,
}

impl Span {
    pub fn days(&self) -> i64 {
        (self.last - self.first).num_days() + 1
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Schedule {
    /// Per plan task: its slot, or `None` when unselected or skipped.
    pub tasks: Vec<Option<Slot>>,
    /// Per phase: its span, or `None` when it has no task in the schedule.
    pub phases: Vec<Option<Span>>,
    /// The last day of work, if anything is scheduled.
    pub end: Option<NaiveDate>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ScheduleError {
    /// 366 days in a row gave no hours for tasks.
    NoCapacity { from: NaiveDate },
    /// The work would run past 50 years.
    TooLong { from: NaiveDate },
}

impl std::fmt::Display for ScheduleError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ScheduleError::NoCapacity { from } => write!(
                f,
                "the calendar leaves no hours for tasks in the 366 days from {from}: \
                 the weekday hours are zero or habits take them all"
            ),
            ScheduleError::TooLong { from } => {
                write!(f, "the remaining work would take more than 50 years from {from}")
            }
        }
    }
}

/// Everything the scheduler reads.
#[derive(Clone, Copy)]
pub struct Input<'a> {
    pub plan: &'a Plan,
    pub calendar: &'a Calendar,
    /// Per plan task.
    pub work: &'a [Work],
    pub today: NaiveDate,
}

/// The order tasks are worked in: phase by phase, a stable topological order
/// inside each. Only `Open` tasks are listed.
pub fn work_order(plan: &Plan, work: &[Work]) -> Vec<usize> {
    let mut order = Vec::new();
    let is_open = |i: usize| matches!(work[i], Work::Open { .. });
    let mut waiting = vec![0usize; plan.tasks.len()];
    let mut dependents: Vec<Vec<usize>> = vec![Vec::new(); plan.tasks.len()];
    for phase in &plan.phases {
        let mut ready = BinaryHeap::new();
        for i in phase.tasks.clone().filter(|&i| is_open(i)) {
            for &dep in &plan.tasks[i].after {
                if is_open(dep) && plan.tasks[dep].phase == plan.tasks[i].phase {
                    waiting[i] += 1;
                    dependents[dep].push(i);
                }
            }
            if waiting[i] == 0 {
                ready.push(Reverse(i));
            }
        }
        while let Some(Reverse(i)) = ready.pop() {
            order.push(i);
            for &next in &dependents[i] {
                waiting[next] -= 1;
                if waiting[next] == 0 {
                    ready.push(Reverse(next));
                }
            }
        }
    }
    order
}

/// Schedules the remaining work.
pub fn schedule(input: Input<'_>) -> Result<Schedule, ScheduleError> {
    schedule_in_order(input, &work_order(input.plan, input.work))
}

/// Schedules the remaining work in `order`, which must be
/// `work_order(input.plan, input.work)` (computed once by callers that
/// also need it), with no habit checked in: every period habit's
/// reservation holds.
pub fn schedule_in_order(input: Input<'_>, order: &[usize]) -> Result<Schedule, ScheduleError> {
    schedule_checked_in(input, order, &Checkins::new())
}

/// `schedule_in_order` once the habits' `checkins` are known: a period
/// met by its reservation day (today's check-ins included) gives its hours
/// back to tasks.
pub fn schedule_checked_in(input: Input<'_>, order: &[usize], checkins: &Checkins) -> Result<Schedule, ScheduleError> {
    let Input { plan, calendar, work, today } = input;
    let mut tasks: Vec<Option<Slot>> = work
        .iter()
        .map(|w| match *w {
            Work::Done { first, on } => Some(Slot { start: first.min(on), end: on, days: Vec::new(), done: true }),
            _ => None,
        })
        .collect();
    let from = today.max(calendar.start);
    let mut day = Day::new(plan, calendar, checkins, from);
    let mut started = false;
    for &i in order {
        let Work::Open { remaining, first } = work[i] else {
            continue;
        };
        let phase = plan.tasks[i].phase;
        if !started {
            day.begin(phase);
            started = true;
        }
        let mut left = remaining.minutes();
        let mut days = Vec::new();
        while left > 0 {
            if day.free == 0 {
                day.advance(phase)?;
                continue;
            }
            let used = day.free.min(left);
            days.push((day.date, used));
            day.free -= used;
            left -= used;
        }
        let start = days.first().map_or(day.date, |d| d.0);
        let end = days.last().map_or(day.date, |d| d.0);
        let start = first.map_or(start, |f| f.min(start));
        tasks[i] = Some(Slot { start, end, days, done: false });
    }
    let phases = plan
        .phases
        .iter()
        .map(|phase| {
            let slots = tasks[phase.tasks.clone()].iter().flatten();
            let first = slots.clone().map(|s| s.start).min()?;
            let last = slots.map(|s| s.end).max()?;
            Some(Span { first, last })
        })
        .collect::<Vec<_>>();
    let end = phases.iter().flatten().map(|s| s.last).max();
    Ok(Schedule { tasks, phases, end })
}

/// The day being filled and its hours left.
struct Day<'a> {
    capacity: Capacity<'a>,
    date: NaiveDate,
    free: u32,
    limit: NaiveDate,
    empty_run: u32,
    last_off: Option<NaiveDate>,
}

impl<'a> Day<'a> {
    fn new(plan: &'a Plan, calendar: &'a Calendar, checkins: &'a Checkins, from: NaiveDate) -> Day<'a> {
        let limit = from.checked_add_months(Months::new(600)).unwrap_or(NaiveDate::MAX);
        let capacity = Capacity::new(plan, calendar, checkins);
        Day { capacity, date: from, free: 0, limit, empty_run: 0, last_off: calendar.last_day_off() }
    }

    /// Opens the current date with `phase` as its first task's phase.
    fn begin(&mut self, phase: usize) {
        self.free = self.capacity.on(self.date, Some(phase));
    }

    fn advance(&mut self, phase: usize) -> Result<(), ScheduleError> {
        if self.last_off.is_none_or(|off| self.date > off) {
            self.empty_run += 1;
            if self.empty_run >= 366 {
                let from = self.date - Days::new(365);
                return Err(ScheduleError::NoCapacity { from });
            }
        }
        self.date = self.date.succ_opt().ok_or(ScheduleError::TooLong { from: self.date })?;
        if self.date > self.limit {
            return Err(ScheduleError::TooLong { from: self.limit - Months::new(600) });
        }
        self.begin(phase);
        if self.free > 0 {
            self.empty_run = 0;
        }
        Ok(())
    }
}

/// How a phase's span compares with its window, with what would fit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Verdict {
    pub fit: Fit,
    /// When over: the smallest weekly total (minutes, a multiple of 30) that
    /// ends the phase inside its window, if any does up to 168 h.
    pub weekly_to_fit: Option<u32>,
}

/// The verdict of each phase against its `duration`; `None` where the phase
/// has no window or no span.
pub fn verdicts(plan: &Plan, calendar: &Calendar, work: &[Work], schedule: &Schedule) -> Vec<Option<Verdict>> {
    plan.phases
        .iter()
        .enumerate()
        .map(|(p, phase)| {
            let window = phase.duration.as_ref()?;
            let span = schedule.phases[p]?;
            let fit = window.fit(span.first, span.last);
            let weekly_to_fit = match fit {
                Fit::Over { .. } => weekly_hours_to_fit(plan, calendar, work, p, span.first),
                _ => None,
            };
            Some(Verdict { fit, weekly_to_fit })
        })
        .collect()
}

/// Schedules phase `p` alone from `first` with every weekday's hours scaled
/// by one factor, and finds the smallest weekly total in steps of 30 minutes
/// that ends it inside its window.
pub fn weekly_hours_to_fit(plan: &Plan, calendar: &Calendar, work: &[Work], p: usize, first: NaiveDate) -> Option<u32> {
    let window = plan.phases[p].duration.as_ref()?;
    let latest = window.latest_end(first)?;
    let base = calendar.hours.weekly().minutes();
    if base == 0 {
        return None;
    }
    // The phase is scheduled alone, every selected and unskipped task from
    // scratch. Its tasks are worked back to back, each taking what is left
    // of the day, so it ends on the day its total effort is used up: only
    // the total matters, not the order (as `schedule` would place them).
    let mut total = 0u64;
    let mut open = false;
    for i in plan.phases[p].tasks.clone() {
        if !matches!(work[i], Work::Unselected | Work::Skipped) {
            total += u64::from(plan.tasks[i].effort.minutes());
            open = true;
        }
    }
    if !open {
        return None;
    }
    let ends_in_time = |weekly: u32| {
        let mut scaled = calendar.clone();
        scaled.hours = calendar.hours.scaled_ratio(weekly, base);
        phase_ends_by(plan, &scaled, p, first, total, latest)
    };
    let (mut low, mut high) = (1u32, 168 * 2);
    if !ends_in_time(high * 30) {
        return None;
    }
    while low < high {
        let mid = (low + high) / 2;
        if ends_in_time(mid * 30) { high = mid } else { low = mid + 1 }
    }
    Some(low * 30)
}

/// Whether `total` minutes of phase `p`'s work, started on `today` on
/// `calendar`, end by `latest`: the day-filling of `schedule` for one run of
/// back-to-back work, stopping as soon as the answer is known.
fn phase_ends_by(plan: &Plan, calendar: &Calendar, p: usize, today: NaiveDate, total: u64, latest: NaiveDate) -> bool {
    let no_checkins = Checkins::new();
    let mut day = Day::new(plan, calendar, &no_checkins, today.max(calendar.start));
    day.begin(p);
    let mut left = total;
    while left > 0 {
        if day.date > latest {
            return false;
        }
        if day.free == 0 {
            if day.advance(p).is_err() {
                return false;
            }
            continue;
        }
        let used = u64::from(day.free).min(left);
        day.free -= used as u32;
        left -= used;
    }
    day.date <= latest
}
impl std::error::Error for ScheduleError {}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::calendar::WeekHours;
    use crate::core::testkit::{d, plan};

    /// One 11h task; `blog` (every 2 weeks, 2h) is the only habit.
    const PLAN: &str = "
format: 1
id: s
title: S
phases:
  - id: p1
    title: One
    modules:
      - id: m
        title: M
        tasks:
          - {id: a, title: A, effort: 11h}
habits:
  - {id: blog, title: Blog, every: 2 weeks, effort: 2h}
";

    fn days(checkins: &Checkins) -> Vec<(String, u32)> {
        let plan = plan(PLAN);
        // Tue 2027-01-05, 2h on weekdays and 4h at weekends: the blog's 2h
        // go on the fortnight's first Saturday, 01-09.
        let calendar = Calendar::new(d("2027-01-05"), WeekHours::DEFAULT);
        let work = [Work::Open { remaining: plan.tasks[0].effort, first: None }];
        let input = Input { plan: &plan, calendar: &calendar, work: &work, today: d("2027-01-05") };
        let s = schedule_checked_in(input, &work_order(&plan, &work), checkins).unwrap();
        s.tasks[0].as_ref().unwrap().days.iter().map(|(day, m)| (day.format("%a %m-%d").to_string(), *m)).collect()
    }

    #[test]
    fn a_period_habit_takes_its_hours_on_its_reservation_day_only() {
        // Tue–Fri 8h, Sat 4h - 2h, Sun the last 1h.
        let expected = [
            ("Tue 01-05", 120),
            ("Wed 01-06", 120),
            ("Thu 01-07", 120),
            ("Fri 01-08", 120),
            ("Sat 01-09", 120),
            ("Sun 01-10", 60),
        ];
        let expected: Vec<(String, u32)> = expected.iter().map(|(day, m)| (day.to_string(), *m)).collect();
        assert_eq!(days(&Checkins::new()), expected);
    }

    #[test]
    fn a_check_in_today_gives_the_reserved_hours_back_to_tasks() {
        // Blogged on Tuesday: Saturday's 4h are all the task's, it ends then.
        let mut checkins = Checkins::new();
        checkins.entry("blog".to_string()).or_default().insert(d("2027-01-05"), 1);
        let got = days(&checkins);
        assert_eq!(got.last(), Some(&("Sat 01-09".to_string(), 180)));
        assert_eq!(got.len(), 5);
    }
}
