//! Where habits take their hours, and what a day leaves for tasks.
//!
//! - A **fixed-day** habit (`day`, `weekday`, `weekend`, weekday names)
//!   takes its `effort` on each of its days while it is active.
//! - A **period** habit (`week`, `month`, `N days|weeks|months`) takes its
//!   `effort` on one day of each period: the day chosen from the calendar
//!   alone (`reserved_day`), the working day with the most hours left after
//!   the fixed-day habits (all of them, whatever their `phases`), the
//!   earliest of equals; never a day off, none if the whole period is off.
//!   The choice is made once: a reservation day that passes unmet is not
//!   moved. It takes the hours only if the habit is active in the phase
//!   current that day, and not once the period is met: check-ins on the
//!   reservation day itself, or before it, release it.
//!
//! A day's capacity for tasks is its weekday's hours minus both, never below
//! zero, and zero on a day off. `Capacity` answers it day after day, working
//! out each period's reservation once.

use crate::core::cadence::HabitPeriod;
use crate::core::calendar::{Calendar, WEEKDAYS, WeekHours};
use crate::core::plan::{Habit, Plan};
use chrono::{Datelike, NaiveDate, Weekday};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

/// Check-ins per habit id: the count on each day (`Progress::checkins`).
pub type Checkins = HashMap<String, BTreeMap<NaiveDate, u32>>;

/// Minutes left on each weekday, Monday first, after the effort of every
/// fixed-day habit due on it, whatever its phases.
pub fn left_after_fixed(plan: &Plan, hours: WeekHours) -> [u32; 7] {
    let mut left = hours.to_array();
    for habit in plan.habits.iter().filter(|h| !h.every.is_period()) {
        for (i, &weekday) in WEEKDAYS.iter().enumerate() {
            if habit.every.on_weekday(weekday) {
                left[i] = left[i].saturating_sub(habit.effort.minutes());
            }
        }
    }
    left
}

/// The day of `period` on which a period habit's hours are reserved: the
/// day that is not off with the most minutes `left` after the fixed-day
/// habits, the earliest of equals (a working weekday without hours may be
/// it); `None` when every day of the period is off.
pub fn reserved_day(calendar: &Calendar, left: &[u32; 7], period: HabitPeriod) -> Option<NaiveDate> {
    let most = left.iter().copied().max().unwrap_or(0);
    let mut best: Option<(NaiveDate, u32)> = None;
    for date in period.dates() {
        if calendar.is_off(date) {
            continue;
        }
        let minutes = left[date.weekday().num_days_from_monday() as usize];
        if best.is_none_or(|(_, b)| minutes > b) {
            best = Some((date, minutes));
            if minutes == most {
                break;
            }
        }
    }
    best.map(|(date, _)| date)
}

/// The day on which the check-ins of `period` (`days`: one habit's counts)
/// add up to `target`, if they have.
pub fn met_on(days: Option<&BTreeMap<NaiveDate, u32>>, target: u32, period: HabitPeriod) -> Option<NaiveDate> {
    let mut sum = 0u32;
    for (date, count) in days?.range(period.from..=period.to) {
        sum = sum.saturating_add(*count);
        if sum >= target {
            return Some(*date);
        }
    }
    None
}

/// The check-ins of `period` up to `through`, added up.
pub fn count_through(days: Option<&BTreeMap<NaiveDate, u32>>, period: HabitPeriod, through: NaiveDate) -> u32 {
    if through < period.from {
        return 0;
    }
    days.map_or(0, |days| days.range(period.from..=through.min(period.to)).fold(0u32, |s, (_, c)| s.saturating_add(*c)))
}

/// One period of a period habit and its reservation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Reservation {
    pub period: HabitPeriod,
    /// The day chosen for its hours; `None` when the whole period is off.
    pub day: Option<NaiveDate>,
    /// The day its check-ins reached the target, if they have.
    pub met_on: Option<NaiveDate>,
}

impl Reservation {
    /// The period of `habit` that holds `date`, with its reservation day
    /// (`left`: `left_after_fixed` for the calendar's hours).
    pub fn of(
        habit: &Habit,
        calendar: &Calendar,
        left: &[u32; 7],
        checkins: &Checkins,
        date: NaiveDate,
    ) -> Option<Reservation> {
        let period = habit.every.period_of(date, calendar.start)?;
        Some(Reservation {
            period,
            day: reserved_day(calendar, left, period),
            met_on: met_on(checkins.get(&habit.id), habit.target, period),
        })
    }

    /// Whether the hours are still held on the reservation day: the period
    /// was not met by then (that day's check-ins included).
    pub fn holds(&self) -> Option<NaiveDate> {
        self.day.filter(|day| self.met_on.is_none_or(|met| met > *day))
    }
}

/// A day's capacity for tasks, asked day after day: the fixed-day habits
/// are read per call (a weekday test each), each period habit's reservation
/// is worked out once per period and kept until a date outside it is asked.
pub struct Capacity<'a> {
    plan: &'a Plan,
    calendar: &'a Calendar,
    checkins: &'a Checkins,
    left: [u32; 7],
    /// Fixed-day habits with an effort.
    fixed: Vec<usize>,
    /// Period habits with an effort, each with the period last looked at.
    periods: Vec<(usize, Option<Reservation>)>,
}

impl<'a> Capacity<'a> {
    pub fn new(plan: &'a Plan, calendar: &'a Calendar, checkins: &'a Checkins) -> Capacity<'a> {
        let taking = |period: bool| {
            plan.habits
                .iter()
                .enumerate()
                .filter(move |(_, h)| !h.effort.is_zero() && h.every.is_period() == period)
                .map(|(i, _)| i)
        };
        let fixed = taking(false).collect();
        let periods = taking(true).map(|i| (i, None)).collect();
        Capacity { plan, calendar, checkins, left: left_after_fixed(plan, calendar.hours), fixed, periods }
    }

    /// Minutes for tasks on `date` when `phase` is the current phase.
    pub fn on(&mut self, date: NaiveDate, phase: Option<usize>) -> u32 {
        if self.calendar.is_off(date) {
            return 0;
        }
        self.calendar.hours.on(date.weekday()).saturating_sub(self.habits_on(date, phase))
    }

    /// Minutes the habits take on `date` (a working day) when `phase` is
    /// current: the fixed-day habits due, and the period habits whose held
    /// reservation falls on it.
    pub fn habits_on(&mut self, date: NaiveDate, phase: Option<usize>) -> u32 {
        let (plan, calendar) = (self.plan, self.calendar);
        let mut taken = 0u32;
        for &h in &self.fixed {
            let habit = &plan.habits[h];
            if habit.active_in(phase) && habit.every.is_fixed_day(date, calendar.start) {
                taken = taken.saturating_add(habit.effort.minutes());
            }
        }
        for slot in 0..self.periods.len() {
            let habit = &plan.habits[self.periods[slot].0];
            if habit.active_in(phase) && self.reservation(slot, date).and_then(|r| r.holds()) == Some(date) {
                taken = taken.saturating_add(habit.effort.minutes());
            }
        }
        taken
    }

    fn reservation(&mut self, slot: usize, date: NaiveDate) -> Option<Reservation> {
        let (h, cached) = self.periods[slot];
        if let Some(r) = cached.filter(|r| r.period.contains(date)) {
            return Some(r);
        }
        let found = Reservation::of(&self.plan.habits[h], self.calendar, &self.left, self.checkins, date);
        if found.is_some() {
            self.periods[slot].1 = found;
        }
        found
    }
}

/// A weekday whose fixed-day habits take all its hours.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FilledWeekday {
    pub weekday: Weekday,
    /// The weekday's hours, in minutes.
    pub minutes: u32,
    /// The fixed-day habits due on it (plan indexes, in plan order) in the
    /// phases where they fill it.
    pub habits: Vec<usize>,
    /// Their effort together, in minutes (the most of any such phase).
    pub habit_minutes: u32,
    /// The phases in which they fill it (plan indexes).
    pub phases: Vec<usize>,
    /// True when that is every phase of the plan: tasks never get that weekday.
    pub every_phase: bool,
}

/// Each weekday whose fixed-day habits, while active, take all its hours
/// in at least one phase, at the weekday `hours` given. A weekday without
/// hours is named only when a habit with an effort is due on it.
pub fn filled_weekdays(plan: &Plan, hours: WeekHours) -> Vec<FilledWeekday> {
    let mut filled = Vec::new();
    for weekday in WEEKDAYS {
        let minutes = hours.on(weekday);
        let mut habits: Vec<usize> = Vec::new();
        let mut phases = Vec::new();
        let mut habit_minutes = 0;
        for p in 0..plan.phases.len() {
            let due: Vec<usize> = (0..plan.habits.len())
                .filter(|&h| {
                    let habit = &plan.habits[h];
                    !habit.effort.is_zero() && habit.every.on_weekday(weekday) && habit.active_in(Some(p))
                })
                .collect();
            let taken = due.iter().map(|&h| plan.habits[h].effort.minutes()).fold(0u32, u32::saturating_add);
            if taken > 0 && taken >= minutes {
                phases.push(p);
                habit_minutes = habit_minutes.max(taken);
                habits.extend(due);
            }
        }
        if phases.is_empty() {
            continue;
        }
        habits.sort_unstable();
        habits.dedup();
        let every_phase = phases.len() == plan.phases.len();
        filled.push(FilledWeekday { weekday, minutes, habits, habit_minutes, phases, every_phase });
    }
    filled
}
