//! A habit over a span of days: each day's mark, the figures over its due
//! days (days off apart) or, for a period habit, over its periods, and the
//! streaks as of the view's today. Pure; built on `HabitView`, which owns
//! the rules (partial days and periods keep a streak, days off and days not
//! due neither break it nor count as misses, a period is missed only once
//! it has ended unmet).

use crate::core::habits::{HabitView, Mark, PeriodMark};
use crate::core::period::Period;
use crate::core::plan::Plan;
use chrono::NaiveDate;
use serde::Serialize;

/// One day of a habit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub(crate) struct DayMark {
    pub date: NaiveDate,
    pub mark: Mark,
    /// How many were checked in that day.
    pub count: u32,
}

/// A habit's record over a span.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub(crate) struct Consistency {
    pub id: String,
    pub title: String,
    /// The cadence as the plan wrote it (`day`, `mon`, `2 weeks`).
    pub every: String,
    /// `fixed_day` (judged per due day) or `period` (judged per period).
    pub kind: &'static str,
    /// How the screens name a period habit's running period (`this
    /// fortnight`, `these 10 days`); `None` for a fixed-day habit.
    pub period_words: Option<String>,
    /// The target per due day, or per period.
    pub target: u32,
    pub unit: Option<String>,
    /// Every day of the span; days after today are `future`.
    pub days: Vec<DayMark>,
    /// A period habit's periods that meet the span, with their reservation
    /// days; empty for a fixed-day habit.
    pub periods: Vec<PeriodMark>,
    /// A period habit's period holding today (whether or not it meets the
    /// span): due until met, by its `to`.
    pub current_period: Option<PeriodMark>,
    /// Due days (periods, for a period habit) up to today that are decided,
    /// days off apart: today only once checked in, a period once met or
    /// ended.
    pub due_days: u32,
    pub met: u32,
    pub partial: u32,
    pub missed: u32,
    /// Due days that fell on a day off.
    pub off: u32,
    /// Sum over due days of the count, each capped at the target.
    pub done: u32,
    /// Sum over due days of the target.
    pub target_total: u32,
    /// `done` as a whole percentage of `target_total` (rounded down); `null`
    /// when nothing was due.
    pub adherence_percent: Option<u32>,
    /// Due days met or partly met in a row, up to today.
    pub streak: u32,
    pub longest_streak: u32,
    /// What the streak counts, plural: `days`, `weeks`, `months` or `times`.
    pub streak_unit: &'static str,
}

/// The habit's record over `period`, as of `view.today`; `plan` (the
/// habit's) gives the other habits a reservation day depends on.
pub(crate) fn consistency(plan: &Plan, view: &HabitView<'_>, period: &Period) -> Consistency {
    let habit = view.habit;
    let days: Vec<DayMark> =
        period.dates().map(|date| DayMark { date, mark: view.mark(date), count: view.day_count(date) }).collect();
    let figures = view.figures(period.from, period.to);
    let off = days.iter().filter(|d| d.mark == Mark::Off).count() as u32;
    Consistency {
        id: habit.id.clone(),
        title: habit.title.clone(),
        every: habit.every.text.clone(),
        kind: if view.is_period() { "period" } else { "fixed_day" },
        period_words: habit.every.period_words(),
        target: habit.target,
        unit: habit.unit.clone(),
        days,
        periods: view.periods(Some(plan), period.from, period.to),
        current_period: view.period_on(plan, view.today),
        due_days: figures.due,
        met: figures.met,
        partial: figures.partial,
        missed: figures.missed,
        off,
        done: figures.done,
        target_total: figures.target,
        adherence_percent: (figures.target > 0).then(|| percent(figures.done, figures.target)),
        streak: view.current_streak(),
        longest_streak: view.longest_streak(),
        streak_unit: view.streak_unit(2),
    }
}

/// `part` as a whole percentage of `whole`, rounded down; 0 when `whole` is 0.
pub(crate) fn percent(part: u32, whole: u32) -> u32 {
    if whole == 0 { 0 } else { (u64::from(part) * 100 / u64::from(whole)) as u32 }
}

/// `day` or `days` for a streak of `n`, from the plural unit.
pub(crate) fn unit_for(n: u32, plural: &str) -> &str {
    if n == 1 { plural.trim_end_matches('s') } else { plural }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::calendar::WeekHours;
    use crate::core::habits::PhaseClock;
    use crate::core::plan::Plan;
    use crate::core::progress::Progress;
    use crate::core::state::Event;
    use crate::core::testkit::{checkin, d, day_off, plan, progress};

    const PLAN: &str = "
format: 1
id: habits
title: Habits
phases:
  - id: p1
    title: One
    modules:
      - id: m
        title: M
        tasks:
          - {id: a, title: A, effort: 40h}
habits:
  - {id: leet, title: Two problems, every: day, target: 2, unit: 题}
  - {id: paper, title: A paper, every: mon}
";

    fn setup(events: Vec<Event>) -> (Plan, Progress, PhaseClock) {
        let plan = plan(PLAN);
        let progress = progress("2027-01-04", WeekHours::DEFAULT, Default::default(), events);
        let clock = PhaseClock::new(&plan, &progress.work(&plan));
        (plan, progress, clock)
    }

    fn record(plan: &Plan, progress: &Progress, clock: &PhaseClock, habit: usize, today: &str) -> Consistency {
        let view =
            HabitView { habit: &plan.habits[habit], calendar: &progress.calendar, progress, clock, today: d(today) };
        consistency(plan, &view, &Period::week_of(d(today)))
    }

    fn strip(c: &Consistency) -> String {
        c.days.iter().map(|m| m.mark.symbol()).collect()
    }

    #[test]
    fn partial_days_and_days_off_keep_the_streak() {
        // Mon met, Tue partial (1 of 2), Wed off, Thu met, Fri partial.
        let (plan, progress, clock) = setup(vec![
            checkin("leet", "2027-01-04", 2),
            checkin("leet", "2027-01-05", 1),
            day_off("2027-01-06", "2027-01-06"),
            checkin("leet", "2027-01-07", 3),
            checkin("leet", "2027-01-08", 1),
        ]);
        let c = record(&plan, &progress, &clock, 0, "2027-01-08");
        assert_eq!(strip(&c), "●◐·●◐  ");
        assert_eq!((c.due_days, c.met, c.partial, c.missed, c.off), (4, 2, 2, 0, 1));
        assert_eq!((c.done, c.target_total, c.adherence_percent), (6, 8, Some(75)));
        assert_eq!((c.streak, c.longest_streak, c.streak_unit), (4, 4, "days"));
    }

    #[test]
    fn a_miss_breaks_the_streak_and_an_open_today_does_not() {
        let (plan, progress, clock) = setup(vec![
            checkin("leet", "2027-01-04", 2),
            checkin("leet", "2027-01-05", 2),
            checkin("leet", "2027-01-06", 2),
            // Thursday missed.
            checkin("leet", "2027-01-08", 2),
            checkin("leet", "2027-01-09", 1),
        ]);
        let c = record(&plan, &progress, &clock, 0, "2027-01-10");
        assert_eq!(strip(&c), "●●●○●◐◌");
        assert_eq!((c.due_days, c.met, c.partial, c.missed), (6, 4, 1, 1));
        assert_eq!((c.streak, c.longest_streak), (2, 3));
        assert_eq!((c.done, c.target_total, c.adherence_percent), (9, 12, Some(75)));
    }

    #[test]
    fn days_not_due_neither_break_nor_count() {
        let (plan, progress, clock) = setup(vec![
            checkin("paper", "2027-01-04", 1),
            checkin("paper", "2027-01-11", 1),
            checkin("paper", "2027-01-18", 1),
        ]);
        let c = record(&plan, &progress, &clock, 1, "2027-01-24");
        assert_eq!(strip(&c), "●------");
        assert_eq!((c.due_days, c.met, c.missed), (1, 1, 0));
        assert_eq!((c.streak, c.longest_streak, c.streak_unit), (3, 3, "weeks"));
        assert_eq!(unit_for(1, c.streak_unit), "week");
        // A missed Monday ends it; the weekdays after it change nothing.
        let c = record(&plan, &progress, &clock, 1, "2027-01-26");
        assert_eq!(strip(&c), "○-     ");
        assert_eq!((c.streak, c.longest_streak, c.missed), (0, 3, 1));
    }

    #[test]
    fn a_day_off_on_the_due_day_is_not_a_miss() {
        let (plan, progress, clock) = setup(vec![
            checkin("paper", "2027-01-04", 1),
            day_off("2027-01-11", "2027-01-12"),
            checkin("paper", "2027-01-18", 1),
        ]);
        let c = record(&plan, &progress, &clock, 1, "2027-01-11");
        assert_eq!(strip(&c), "·      ");
        assert_eq!((c.due_days, c.off, c.adherence_percent, c.streak), (0, 1, None, 1));
        let c = record(&plan, &progress, &clock, 1, "2027-01-18");
        assert_eq!((c.streak, c.longest_streak), (2, 2));
    }
}
