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
use std::collections::BTreeMap;

/// Check-ins per habit id: the count on each day (`Progress::checkins`).
pub(crate) type Checkins = rustc_hash::FxHashMap<String, BTreeMap<NaiveDate, u32>>;

/// Minutes left on each weekday, Monday first, after the effort of every
/// fixed-day habit due on it, whatever its phases.
pub(crate) fn left_after_fixed(plan: &Plan, hours: WeekHours) -> [u32; 7] {
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
pub(crate) fn reserved_day(calendar: &Calendar, left: &[u32; 7], period: HabitPeriod) -> Option<NaiveDate> {
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
pub(crate) fn met_on(days: Option<&BTreeMap<NaiveDate, u32>>, target: u32, period: HabitPeriod) -> Option<NaiveDate> {
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
pub(crate) fn count_through(days: Option<&BTreeMap<NaiveDate, u32>>, period: HabitPeriod, through: NaiveDate) -> u32 {
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
pub(crate) struct Capacity<'a> {
    plan: &'a Plan,
    calendar: &'a Calendar,
    checkins: &'a Checkins,
    left: [u32; 7],
    /// The minutes the fixed-day habits with an effort take on each weekday
    /// (Monday first) from the calendar's start on, when no phase is
    /// current (`[0]`) and when phase p is (`[p + 1]`): worked out once,
    /// where each day asked used to go through the habits.
    fixed: Vec<[u32; 7]>,
    /// Period habits with an effort, each with the period last looked at.
    periods: Vec<(usize, Option<Reservation>)>,
}

impl<'a> Capacity<'a> {
    pub(crate) fn new(plan: &'a Plan, calendar: &'a Calendar, checkins: &'a Checkins) -> Capacity<'a> {
        let taking = |period: bool| {
            plan.habits
                .iter()
                .enumerate()
                .filter(move |(_, h)| !h.effort.is_zero() && h.every.is_period() == period)
                .map(|(i, _)| i)
        };
        let fixed_habits: Vec<usize> = taking(false).collect();
        let fixed = (0..=plan.phases.len())
            .map(|slot| {
                let phase = slot.checked_sub(1);
                WEEKDAYS.map(|weekday| {
                    fixed_habits
                        .iter()
                        .map(|&h| &plan.habits[h])
                        .filter(|habit| habit.active_in(phase) && habit.every.on_weekday(weekday))
                        .fold(0u32, |taken, habit| taken.saturating_add(habit.effort.minutes()))
                })
            })
            .collect();
        let periods = taking(true).map(|i| (i, None)).collect();
        Capacity { plan, calendar, checkins, left: left_after_fixed(plan, calendar.hours), fixed, periods }
    }

    /// Minutes for tasks on `date` when `phase` is the current phase.
    pub(crate) fn on(&mut self, date: NaiveDate, phase: Option<usize>) -> u32 {
        if self.calendar.is_off(date) {
            return 0;
        }
        self.calendar.hours.on(date.weekday()).saturating_sub(self.habits_on(date, phase))
    }

    /// Whether `date` is a working day with hours (where a review can fall).
    pub(crate) fn works(&self, date: NaiveDate) -> bool {
        !self.calendar.is_off(date) && self.calendar.hours.on(date.weekday()) > 0
    }

    /// Minutes the habits take on `date` (a working day) when `phase` is
    /// current: the fixed-day habits due, and the period habits whose held
    /// reservation falls on it.
    pub(crate) fn habits_on(&mut self, date: NaiveDate, phase: Option<usize>) -> u32 {
        let plan = self.plan;
        // A phase the plan does not have has none of the habits limited to
        // phases, as `Habit::active_in` says: the minutes of no phase.
        let weekdays = phase.and_then(|p| self.fixed.get(p.checked_add(1)?)).or(self.fixed.first());
        let mut taken = match weekdays {
            Some(minutes) if date >= self.calendar.start => minutes[date.weekday().num_days_from_monday() as usize],
            _ => 0,
        };
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
pub(crate) struct FilledWeekday {
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
pub(crate) fn filled_weekdays(plan: &Plan, hours: WeekHours) -> Vec<FilledWeekday> {
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

/// A day's capacity, as the calendar answers it (defined here, beside the
/// reservations it depends on, so the calendar needs nothing of them).
impl Calendar {
    /// Minutes for tasks on `date` when `phase` is the current phase: the
    /// weekday's hours minus the effort of the fixed-day habits due and of
    /// the period habits whose reservation falls on it and still holds
    /// (`checkins` release it), those active in `phase` only; 0 on a day
    /// off, never below 0. One day at a time: `reserve::Capacity` answers
    /// many days without working out each period again.
    pub fn capacity_checked_in(&self, plan: &Plan, checkins: &Checkins, date: NaiveDate, phase: Option<usize>) -> u32 {
        Capacity::new(plan, self, checkins).on(date, phase)
    }

    /// `capacity_checked_in` with nothing checked in: every reservation holds.
    pub fn capacity(&self, plan: &Plan, date: NaiveDate, phase: Option<usize>) -> u32 {
        self.capacity_checked_in(plan, &Checkins::default(), date, phase)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::calendar::DayOff;
    use crate::core::testkit::{d, plan};

    /// Two phases; `leet` (daily, p2 only) and `paper` (Mondays) are fixed
    /// days, `blog` (every 2 weeks, target 2) and `review` (weekly, p2 only)
    /// are periods.
    const PLAN: &str = "
format: 1
id: reserve
title: Reserve
phases:
  - id: p1
    title: One
    modules:
      - id: m
        title: M
        tasks:
          - {id: a, title: A, effort: 40h}
  - id: p2
    title: Two
    modules:
      - id: m
        title: M
        tasks:
          - {id: b, title: B, effort: 40h}
habits:
  - {id: leet, title: Leet, every: day, effort: 1h, phases: [p2]}
  - {id: paper, title: Paper, every: mon, effort: 1h}
  - {id: blog, title: Blog, every: 2 weeks, target: 2, effort: 2h}
  - {id: review, title: Review, every: week, effort: 30m, phases: [p2]}
";

    /// 2027-01-05 is a Tuesday: the blog's first fortnight is Tue 01-05 to
    /// Mon 01-18, the review's first week Tue 01-05 to Mon 01-11.
    const START: &str = "2027-01-05";

    fn calendar(hours: &str, off: &[(&str, &str)]) -> Calendar {
        let mut calendar = Calendar::new(d(START), WeekHours::parse(hours).unwrap());
        for (from, to) in off {
            calendar.add_off(DayOff { from: d(from), to: d(to), note: None });
        }
        calendar
    }

    fn checkins(list: &[(&str, &str, u32)]) -> Checkins {
        let mut all = Checkins::default();
        for (habit, on, count) in list {
            all.entry(habit.to_string()).or_default().insert(d(on), *count);
        }
        all
    }

    fn blog_day(plan: &Plan, calendar: &Calendar, date: &str) -> Option<NaiveDate> {
        let left = left_after_fixed(plan, calendar.hours);
        let period = plan.habits[2].every.period_of(d(date), calendar.start).unwrap();
        reserved_day(calendar, &left, period)
    }

    #[test]
    fn left_after_fixed_counts_every_fixed_day_habit_whatever_its_phases() {
        let plan = plan(PLAN);
        // Mon 2h - leet 1h - paper 1h; Tue–Fri 2h - leet; Sat, Sun 4h - leet.
        // The period habits take nothing here.
        assert_eq!(left_after_fixed(&plan, WeekHours::DEFAULT), [0, 60, 60, 60, 60, 180, 180]);
    }

    #[test]
    fn the_reservation_day_has_the_most_hours_left_ties_to_the_earliest() {
        let plan = plan(PLAN);
        // 3h left on the four weekend days of the fortnight: the first, Sat 01-09.
        let open = calendar("mon-fri=2,sat-sun=4", &[]);
        assert_eq!(blog_day(&plan, &open, "2027-01-13"), Some(d("2027-01-09")));
        // The second fortnight (Tue 01-19 to Mon 02-01): Sat 01-23.
        assert_eq!(blog_day(&plan, &open, "2027-01-19"), Some(d("2027-01-23")));
        // Tuesday has 3h left, the weekend 2h: the first Tuesday.
        let long_tuesdays = calendar("mon=2,tue=4,wed-fri=2,sat-sun=3", &[]);
        assert_eq!(blog_day(&plan, &long_tuesdays, "2027-01-13"), Some(d("2027-01-05")));
    }

    #[test]
    fn the_reservation_day_is_never_a_day_off() {
        let plan = plan(PLAN);
        let sat_off = calendar("mon-fri=2,sat-sun=4", &[("2027-01-09", "2027-01-09")]);
        assert_eq!(blog_day(&plan, &sat_off, "2027-01-05"), Some(d("2027-01-10")));
        let weekend_off = calendar("mon-fri=2,sat-sun=4", &[("2027-01-09", "2027-01-10")]);
        assert_eq!(blog_day(&plan, &weekend_off, "2027-01-05"), Some(d("2027-01-16")));
        // Only Mondays have hours, both Mondays are off: a working weekday
        // without hours is chosen (the first, Tue 01-05), and takes nothing.
        let mondays_off = calendar("mon=3,tue-sun=0", &[("2027-01-11", "2027-01-11"), ("2027-01-18", "2027-01-18")]);
        assert_eq!(blog_day(&plan, &mondays_off, "2027-01-05"), Some(d("2027-01-05")));
        let none = Checkins::default();
        let mut capacity = Capacity::new(&plan, &mondays_off, &none);
        assert_eq!(capacity.on(d("2027-01-05"), Some(0)), 0);
        // The whole fortnight off: no reservation at all.
        let all_off = calendar("mon-fri=2,sat-sun=4", &[("2027-01-04", "2027-01-20")]);
        assert_eq!(blog_day(&plan, &all_off, "2027-01-05"), None);
        assert_eq!(blog_day(&plan, &all_off, "2027-01-19"), Some(d("2027-01-23")));
    }

    /// Capacity on each day of `dates` with `phase` current.
    fn capacities(plan: &Plan, calendar: &Calendar, checkins: &Checkins, phase: usize, dates: &[&str]) -> Vec<u32> {
        let mut capacity = Capacity::new(plan, calendar, checkins);
        dates.iter().map(|date| capacity.on(d(date), Some(phase))).collect()
    }

    #[test]
    fn capacity_takes_fixed_day_habits_and_period_reservations_of_the_current_phase() {
        let plan = plan(PLAN);
        let cal = calendar("mon-fri=2,sat-sun=4", &[("2027-01-13", "2027-01-13")]);
        let none = Checkins::default();
        let days = ["2027-01-05", "2027-01-09", "2027-01-10", "2027-01-11", "2027-01-13", "2027-01-16"];
        // In p1: Tue 2h; Sat 01-09 4h - blog 2h; Sun 4h; Mon 2h - paper 1h;
        // Wed 01-13 off; Sat 01-16 4h (the blog's day was 01-09).
        assert_eq!(capacities(&plan, &cal, &none, 0, &days), [120, 120, 240, 60, 0, 240]);
        // In p2, leet takes 1h a day and the review 30m on its day, Sat 01-09
        // (its week is Tue 01-05 to Mon 01-11), and Sat 01-16 (the next one):
        // Tue 1h; Sat 4h - 1h - 2h - 30m; Sun 3h; Mon 0; off; Sat 4h - 1h - 30m.
        assert_eq!(capacities(&plan, &cal, &none, 1, &days), [60, 30, 180, 0, 0, 150]);
        // The one-day form agrees.
        assert_eq!(cal.capacity(&plan, d("2027-01-09"), Some(1)), 30);
        // Never below zero: 1.5h on Mondays, 2h of habits.
        let short = calendar("mon=1.5,tue-sun=2", &[]);
        assert_eq!(capacities(&plan, &short, &none, 1, &["2027-01-11"]), [0]);
    }

    #[test]
    fn a_reservation_is_chosen_once_and_released_once_the_period_is_met() {
        let plan = plan(PLAN);
        let cal = calendar("mon-fri=2,sat-sun=4", &[]);
        let sat_sun = ["2027-01-09", "2027-01-10"];
        // Unmet: Saturday holds the 2h; when it passes, Sunday gets nothing
        // moved onto it.
        assert_eq!(capacities(&plan, &cal, &Checkins::default(), 0, &sat_sun), [120, 240]);
        // Half the target (1 of 2) holds it; the check-ins add up: Wed and Fri met it.
        let half = checkins(&[("blog", "2027-01-06", 1)]);
        assert_eq!(capacities(&plan, &cal, &half, 0, &sat_sun), [120, 240]);
        let met = checkins(&[("blog", "2027-01-06", 1), ("blog", "2027-01-08", 1)]);
        assert_eq!(capacities(&plan, &cal, &met, 0, &sat_sun), [240, 240]);
        // Met on the reservation day itself (a check-in today) releases it.
        let today = checkins(&[("blog", "2027-01-09", 2)]);
        assert_eq!(capacities(&plan, &cal, &today, 0, &sat_sun), [240, 240]);
        assert_eq!(cal.capacity_checked_in(&plan, &today, d("2027-01-09"), Some(0)), 240);
        // Met after it: the day was held.
        let late = checkins(&[("blog", "2027-01-10", 2)]);
        assert_eq!(capacities(&plan, &cal, &late, 0, &sat_sun), [120, 240]);
        // A check-in of the fortnight before does not release the next one.
        assert_eq!(capacities(&plan, &cal, &met, 0, &["2027-01-23"]), [120]);
    }

    #[test]
    fn a_phase_restricted_period_habit_reserves_only_in_its_phase() {
        let plan = plan(PLAN);
        let cal = calendar("mon-fri=2,sat-sun=4", &[]);
        // The review's day, Sat 01-09, with leet's 1h and the blog's 2h: in
        // p1 neither leet nor the review takes anything.
        let none = Checkins::default();
        let mut capacity = Capacity::new(&plan, &cal, &none);
        assert_eq!(capacity.habits_on(d("2027-01-09"), Some(0)), 120);
        assert_eq!(capacity.habits_on(d("2027-01-09"), Some(1)), 60 + 120 + 30);
    }

    #[test]
    fn met_on_and_counts_add_up_within_the_period() {
        let plan = plan(PLAN);
        let all = checkins(&[
            ("blog", "2027-01-04", 5),
            ("blog", "2027-01-06", 1),
            ("blog", "2027-01-13", 1),
            ("blog", "2027-01-19", 1),
        ]);
        let period = plan.habits[2].every.period_of(d("2027-01-06"), d(START)).unwrap();
        let days = all.get("blog");
        assert_eq!(met_on(days, 2, period), Some(d("2027-01-13")));
        assert_eq!(met_on(days, 3, period), None);
        assert_eq!(count_through(days, period, d("2027-01-12")), 1);
        assert_eq!(count_through(days, period, d("2027-02-01")), 2);
        assert_eq!(count_through(days, period, d("2027-01-04")), 0);
    }

    #[test]
    fn filled_weekdays_name_the_days_fixed_day_habits_take_whole() {
        let plan = plan(PLAN);
        // Default hours: Monday's 2h are leet's and paper's, but only in p2.
        let filled = filled_weekdays(&plan, WeekHours::DEFAULT);
        assert_eq!(
            filled,
            [FilledWeekday {
                weekday: Weekday::Mon,
                minutes: 120,
                habits: vec![0, 1],
                habit_minutes: 120,
                phases: vec![1],
                every_phase: false
            }]
        );
        // 1h on Mondays: paper alone fills them, in every phase (leet too in
        // p2); Tuesday and Wednesday without hours are filled by leet in p2;
        // Thursday to Sunday keep 1h.
        let filled = filled_weekdays(&plan, WeekHours::parse("mon=1,tue-wed=0,thu-sun=2").unwrap());
        let named: Vec<(Weekday, Vec<usize>, Vec<usize>, bool)> =
            filled.into_iter().map(|f| (f.weekday, f.habits, f.phases, f.every_phase)).collect();
        assert_eq!(
            named,
            [
                (Weekday::Mon, vec![0, 1], vec![0, 1], true),
                (Weekday::Tue, vec![0], vec![1], false),
                (Weekday::Wed, vec![0], vec![1], false)
            ]
        );
        // No habit with an effort on a day without hours: not named.
        let no_habits = crate::core::testkit::plan(&PLAN.replace(", effort: 1h", ""));
        assert!(filled_weekdays(&no_habits, WeekHours::parse("mon=0,tue-sun=2").unwrap()).is_empty());
    }

    #[test]
    fn the_built_in_plan_fills_mondays_at_the_default_calendar() {
        let builtin = crate::core::plan::builtin::default_plan();
        let plan = crate::core::plan::load(builtin.name, builtin.text.as_bytes()).unwrap();
        let filled = filled_weekdays(&plan, WeekHours::DEFAULT);
        let ids = |f: &FilledWeekday| f.habits.iter().map(|&h| plan.habits[h].id.as_str()).collect::<Vec<_>>();
        assert_eq!(filled.len(), 1);
        // leetcode 1h (p4, p5) + arxiv 1h = Monday's 2h, in p4 and p5.
        assert_eq!((filled[0].weekday, filled[0].minutes, filled[0].habit_minutes), (Weekday::Mon, 120, 120));
        assert_eq!(ids(&filled[0]), ["leetcode", "arxiv"]);
        assert_eq!((filled[0].phases.clone(), filled[0].every_phase), (vec![0, 1], false));
    }

    /// `Capacity::habits_on` as first written: each fixed-day habit asked
    /// on each day, then the period habits.
    fn habits_on_habit_by_habit(capacity: &mut Capacity, date: NaiveDate, phase: Option<usize>) -> u32 {
        let (plan, calendar) = (capacity.plan, capacity.calendar);
        let mut taken = 0u32;
        for habit in plan.habits.iter().filter(|h| !h.effort.is_zero() && !h.every.is_period()) {
            if habit.active_in(phase) && habit.every.is_fixed_day(date, calendar.start) {
                taken = taken.saturating_add(habit.effort.minutes());
            }
        }
        for slot in 0..capacity.periods.len() {
            let habit = &plan.habits[capacity.periods[slot].0];
            if habit.active_in(phase) && capacity.reservation(slot, date).and_then(|r| r.holds()) == Some(date) {
                taken = taken.saturating_add(habit.effort.minutes());
            }
        }
        taken
    }

    /// The fixed-day habits' minutes read from the weekday table are those
    /// of asking each habit: this plan and the built-in ones, every phase,
    /// none and one the plan does not have, from a week before the start
    /// over two years.
    #[test]
    fn the_weekday_table_takes_what_each_fixed_day_habit_takes() {
        let plans =
            std::iter::once(plan(PLAN)).chain(crate::core::plan::builtin::BUILTINS.iter().map(|b| plan(b.text)));
        let cal = calendar("mon-fri=2,sat-sun=4", &[("2027-02-01", "2027-02-07")]);
        let none = Checkins::default();
        let mut fixed_days = 0;
        for plan in plans {
            let phases = std::iter::once(None).chain((0..plan.phases.len() + 2).map(Some));
            for phase in phases {
                let (mut table, mut each) = (Capacity::new(&plan, &cal, &none), Capacity::new(&plan, &cal, &none));
                for n in 0..730 {
                    let date = d("2026-12-29") + chrono::Days::new(n);
                    let taken = table.habits_on(date, phase);
                    assert_eq!(taken, habits_on_habit_by_habit(&mut each, date, phase), "{} {date} {phase:?}", plan.id);
                    fixed_days += usize::from(taken > 0);
                }
            }
        }
        // Days with habits were asked (the built-in plans' daily LeetCode).
        assert!(fixed_days > 3000, "{fixed_days}");
    }
}
