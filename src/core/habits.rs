//! Habit days, periods and streaks.
//!
//! A **fixed-day** habit is judged per due day: met (count ≥ target),
//! partial (some, below target), missed, or still open today. A **period**
//! habit is judged per period: its check-ins on any day of the period add
//! up; the period is met once they reach the target, open while it runs
//! unmet, and partial (some) or missed (none) only once it has ended unmet.
//! Its streaks and adherence count periods. Days off and days a habit is not
//! due neither break a streak nor count as misses; a period whose every
//! active day was off is off.

use crate::core::cadence::HabitPeriod;
use crate::core::calendar::Calendar;
use crate::core::plan::{Habit, Plan};
use crate::core::progress::Progress;
use crate::core::reserve::{self, Reservation};
use crate::core::schedule::Work;
use chrono::NaiveDate;
use serde::Serialize;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Mark {
    Met,
    Partial,
    Missed,
    /// Due today and not done yet.
    Open,
    Off,
    NotDue,
    /// After today.
    Future,
}

impl Mark {
    /// One cell of the consistency strip; readable without colour.
    pub fn symbol(self) -> char {
        match self {
            Mark::Met => '●',
            Mark::Partial => '◐',
            Mark::Missed => '○',
            Mark::Open => '◌',
            Mark::Off => '·',
            Mark::NotDue => '-',
            Mark::Future => ' ',
        }
    }
}

/// Which phase is current on a day: the first phase with selected work not
/// finished before that day.
#[derive(Clone, Debug)]
pub struct PhaseClock {
    /// Per phase: the day its last task was done, or `None` while open.
    finished: Vec<Option<NaiveDate>>,
}

impl PhaseClock {
    pub fn new(plan: &Plan, work: &[Work]) -> PhaseClock {
        let finished = plan
            .phases
            .iter()
            .map(|phase| {
                let mut last: Option<NaiveDate> = None;
                for w in &work[phase.tasks.clone()] {
                    match w {
                        Work::Done { on, .. } => last = Some(last.map_or(*on, |l| l.max(*on))),
                        Work::Open { .. } => return None,
                        Work::Skipped | Work::Unselected => {}
                    }
                }
                Some(last.unwrap_or(NaiveDate::MIN))
            })
            .collect();
        PhaseClock { finished }
    }

    pub fn phase_on(&self, date: NaiveDate) -> Option<usize> {
        self.finished.iter().position(|f| f.is_none_or(|f| f >= date)).or(self.finished.len().checked_sub(1))
    }
}

/// What a habit looked like on each day, with its figures.
pub struct HabitView<'a> {
    pub habit: &'a Habit,
    pub calendar: &'a Calendar,
    pub progress: &'a Progress,
    pub clock: &'a PhaseClock,
    pub today: NaiveDate,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct Figures {
    /// Due days (periods, for a period habit) in the range up to today that
    /// are decided: today only once it is done, a period once met or ended.
    pub due: u32,
    pub met: u32,
    pub partial: u32,
    pub missed: u32,
    /// Sum of min(count, target) over those days or periods.
    pub done: u32,
    /// Sum of targets over them.
    pub target: u32,
}

impl Figures {
    /// Share of the target reached over due days, 0–100.
    pub fn adherence(&self) -> Option<f64> {
        (self.target > 0).then(|| f64::from(self.done) * 100.0 / f64::from(self.target))
    }

    fn add(&mut self, mark: Mark, count: u32, target: u32) {
        match mark {
            Mark::Met => self.met += 1,
            Mark::Partial => self.partial += 1,
            Mark::Missed => self.missed += 1,
            _ => return,
        }
        self.due += 1;
        self.target += target;
        self.done += count.min(target);
    }
}

/// One period of a period habit as of the view's today.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct PeriodMark {
    /// Its first and last day.
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// `met` once the check-ins reach the target; `open` while it runs
    /// unmet (today included); once ended unmet `partial` (some) or
    /// `missed` (none), or `off` when every active day of it was off;
    /// `not_due` when the habit was inactive (its phases) all along;
    /// `future` when it starts after today.
    pub mark: Mark,
    /// Check-ins of the period up to today, added up.
    pub count: u32,
    pub target: u32,
    /// The day the count reached the target.
    pub met_on: Option<NaiveDate>,
    /// The day chosen for its hours (the reservation day; `None` when the
    /// whole period is off, or not asked for: see `HabitView::periods`).
    pub reserved: Option<NaiveDate>,
    /// Whether the reservation holds: not released by a check-in that met
    /// the period by then. False without a reservation day.
    pub reserving: bool,
}

impl HabitView<'_> {
    /// Whether the habit is a period habit (`week`, `month`, `N days|weeks|months`).
    pub fn is_period(&self) -> bool {
        self.habit.every.is_period()
    }

    fn active_on(&self, date: NaiveDate) -> bool {
        self.habit.active_in(self.clock.phase_on(date))
    }

    fn checkins(&self) -> Option<&std::collections::BTreeMap<NaiveDate, u32>> {
        self.progress.checkins.get(&self.habit.id)
    }

    /// The period holding `date`, for a period habit from the calendar start.
    pub fn period(&self, date: NaiveDate) -> Option<HabitPeriod> {
        self.habit.every.period_of(date, self.calendar.start)
    }

    /// The day the period's check-ins reached the target, up to today.
    fn met_on(&self, period: HabitPeriod) -> Option<NaiveDate> {
        reserve::met_on(self.checkins(), self.habit.target, period).filter(|m| *m <= self.today)
    }

    /// Whether the habit is due on `date`: a fixed-day habit on its days
    /// from the calendar start; a period habit on each day of a period
    /// until it is met (the day it is met included); both only while active
    /// in the phase current that day.
    pub fn is_due(&self, date: NaiveDate) -> bool {
        if !self.active_on(date) {
            return false;
        }
        if !self.is_period() {
            return self.habit.every.is_fixed_day(date, self.calendar.start);
        }
        self.period(date)
            .is_some_and(|p| reserve::met_on(self.checkins(), self.habit.target, p).is_none_or(|m| m >= date))
    }

    /// The count that goes towards the target on `date`: that day's
    /// check-ins for a fixed-day habit; for a period habit, those of its
    /// period up to `date`, added up.
    pub fn count(&self, date: NaiveDate) -> u32 {
        match self.period(date) {
            Some(period) => reserve::count_through(self.checkins(), period, date),
            None => self.day_count(date),
        }
    }

    /// The check-ins of `date` alone.
    pub fn day_count(&self, date: NaiveDate) -> u32 {
        self.progress.checkin_count(&self.habit.id, date)
    }

    /// One day's mark. A fixed-day habit's due day is met, partial, missed
    /// or open (today). A period habit's days: met on the day the target was
    /// reached, partial on days with check-ins before that, missed on the
    /// last day of a period that ended unmet, open today while unmet, off
    /// on days off, not due otherwise (and after the period was met).
    pub fn mark(&self, date: NaiveDate) -> Mark {
        if date > self.today {
            return Mark::Future;
        }
        if self.is_period() {
            return self.period_day_mark(date);
        }
        if !self.is_due(date) {
            return Mark::NotDue;
        }
        if self.calendar.is_off(date) {
            return Mark::Off;
        }
        let count = self.count(date);
        if count >= self.habit.target {
            Mark::Met
        } else if count > 0 {
            Mark::Partial
        } else if date == self.today {
            Mark::Open
        } else {
            Mark::Missed
        }
    }

    fn period_day_mark(&self, date: NaiveDate) -> Mark {
        let Some(period) = self.period(date) else {
            return Mark::NotDue;
        };
        if !self.active_on(date) {
            return Mark::NotDue;
        }
        match self.met_on(period) {
            Some(met) if met == date => return Mark::Met,
            Some(met) if met < date => return Mark::NotDue,
            _ => {}
        }
        if self.day_count(date) > 0 {
            Mark::Partial
        } else if self.calendar.is_off(date) {
            Mark::Off
        } else if date == self.today {
            Mark::Open
        } else if date == period.to {
            Mark::Missed
        } else {
            Mark::NotDue
        }
    }

    /// A period of a period habit as of today; `reserved` is left for
    /// `reservation` (it needs the plan's other habits).
    pub fn period_mark(&self, period: HabitPeriod) -> PeriodMark {
        let met_on = self.met_on(period);
        let count = reserve::count_through(self.checkins(), period, self.today);
        let target = self.habit.target;
        let mark = if period.from > self.today {
            Mark::Future
        } else {
            let seen = || period.dates().take_while(|d| *d <= self.today);
            let mut active = seen().filter(|d| self.active_on(*d)).peekable();
            if active.peek().is_none() {
                Mark::NotDue
            } else if met_on.is_some() {
                Mark::Met
            } else if period.to >= self.today {
                Mark::Open
            } else if count > 0 {
                Mark::Partial
            } else if active.all(|d| self.calendar.is_off(d)) {
                Mark::Off
            } else {
                Mark::Missed
            }
        };
        PeriodMark { from: period.from, to: period.to, mark, count, target, met_on, reserved: None, reserving: false }
    }

    /// The periods of a period habit that meet `from..=to` (from the
    /// calendar start), with their reservation days when `plan` is given;
    /// none for a fixed-day habit.
    pub fn periods(&self, plan: Option<&Plan>, from: NaiveDate, to: NaiveDate) -> Vec<PeriodMark> {
        let left = plan.map(|plan| reserve::left_after_fixed(plan, self.calendar.hours));
        let mut marks = Vec::new();
        let from = from.max(self.calendar.start);
        if from > to {
            return marks;
        }
        let mut next = self.period(from);
        while let Some(period) = next.filter(|p| p.from <= to) {
            let mut mark = self.period_mark(period);
            if let Some(left) = &left {
                let reservation = Reservation {
                    period,
                    day: reserve::reserved_day(self.calendar, left, period),
                    met_on: reserve::met_on(self.checkins(), self.habit.target, period),
                };
                mark.reserved = reservation.day;
                mark.reserving = reservation.holds().is_some() && !self.habit.effort.is_zero();
            }
            marks.push(mark);
            next = self.habit.every.next_period(period, self.calendar.start);
        }
        marks
    }

    /// The period holding `date`, with its reservation day; `None` for a
    /// fixed-day habit or before the calendar start. What a screen needs for
    /// "due this fortnight, by Mon 01-18 (planned Sat 01-16)".
    pub fn period_on(&self, plan: &Plan, date: NaiveDate) -> Option<PeriodMark> {
        self.periods(Some(plan), date, date).into_iter().next()
    }

    /// The reservation of the period holding `date`.
    pub fn reservation(&self, plan: &Plan, date: NaiveDate) -> Option<Reservation> {
        let left = reserve::left_after_fixed(plan, self.calendar.hours);
        Reservation::of(self.habit, self.calendar, &left, &self.progress.checkins, date)
    }

    /// Every period from the calendar start up to today's, as of today.
    fn periods_to_today(&self) -> Vec<PeriodMark> {
        self.periods(None, self.calendar.start, self.today)
    }

    /// Figures over `from..=to`, stopping at today: per due day, or per
    /// period (each period that meets the range) for a period habit.
    pub fn figures(&self, from: NaiveDate, to: NaiveDate) -> Figures {
        let mut f = Figures::default();
        let to = to.min(self.today);
        if self.is_period() {
            for p in self.periods(None, from, to) {
                f.add(p.mark, p.count, p.target);
            }
            return f;
        }
        for date in from.max(self.calendar.start).iter_days().take_while(|d| *d <= to) {
            f.add(self.mark(date), self.count(date), self.habit.target);
        }
        f
    }

    /// Due days (periods) met or partly met in a row, ending today (an
    /// open today or open period does not break it).
    pub fn current_streak(&self) -> u32 {
        if self.is_period() {
            let marks: Vec<Mark> = self.periods_to_today().iter().rev().map(|p| p.mark).collect();
            return streak_back(marks.into_iter());
        }
        let start = self.calendar.start;
        let days = std::iter::successors(Some(self.today), |d| d.pred_opt()).take_while(|d| *d >= start);
        streak_back(days.map(|d| self.mark(d)))
    }

    pub fn longest_streak(&self) -> u32 {
        let marks: Vec<Mark> = if self.is_period() {
            self.periods_to_today().iter().map(|p| p.mark).collect()
        } else {
            self.calendar.start.iter_days().take_while(|d| *d <= self.today).map(|d| self.mark(d)).collect()
        };
        let (mut longest, mut run) = (0, 0);
        for mark in marks {
            match mark {
                Mark::Met | Mark::Partial => {
                    run += 1;
                    longest = longest.max(run);
                }
                Mark::Missed => run = 0,
                _ => {}
            }
        }
        longest
    }
    /// "days", "weeks" or "times": what the streak counts.
    pub fn streak_unit(&self, n: u32) -> &'static str {
        use crate::core::cadence::Rule;
        let plural = n != 1;
        match self.habit.every.rule {
            Rule::EveryWeeks(1) => {
                if plural {
                    "weeks"
                } else {
                    "week"
                }
            }
            Rule::On(mask) if mask.count_ones() == 1 => {
                if plural {
                    "weeks"
                } else {
                    "week"
                }
            }
            Rule::EveryMonths(1) => {
                if plural {
                    "months"
                } else {
                    "month"
                }
            }
            Rule::Daily | Rule::Weekdays | Rule::Weekends | Rule::On(_) | Rule::EveryDays(1) => {
                if plural {
                    "days"
                } else {
                    "day"
                }
            }
            _ => {
                if plural {
                    "times"
                } else {
                    "time"
                }
            }
        }
    }
}

/// Met or partial marks in a row from the first of `marks` (newest first),
/// up to the first miss.
fn streak_back(marks: impl Iterator<Item = Mark>) -> u32 {
    let mut streak = 0;
    for mark in marks {
        match mark {
            Mark::Met | Mark::Partial => streak += 1,
            Mark::Missed => break,
            _ => {}
        }
    }
    streak
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::calendar::WeekHours;
    use crate::core::consistency::consistency;
    use crate::core::period::Period;
    use crate::core::state::Event;
    use crate::core::testkit::{checkin, d, day_off, plan, progress};

    /// `blog` every 2 weeks (target 2), `post` weekly (target 1), `paper`
    /// on Mondays, `late` every 2 weeks in p2 only.
    const PLAN: &str = "
format: 1
id: periods
title: Periods
phases:
  - id: p1
    title: One
    modules:
      - id: m
        title: M
        tasks:
          - {id: a, title: A, effort: 400h}
  - id: p2
    title: Two
    modules:
      - id: m
        title: M
        tasks:
          - {id: b, title: B, effort: 40h}
habits:
  - {id: blog, title: Blog, every: 2 weeks, target: 2, effort: 2h}
  - {id: post, title: Post, every: week}
  - {id: paper, title: Paper, every: mon, effort: 1h}
  - {id: late, title: Late, every: 2 weeks, phases: [p2]}
";

    /// From Tue 2027-01-05: the blog's fortnights are 01-05..01-18,
    /// 01-19..02-01, 02-02..02-15; the post's weeks Tue to Mon.
    fn setup(events: Vec<Event>) -> (Plan, Progress, PhaseClock) {
        let plan = plan(PLAN);
        let progress = progress("2027-01-05", WeekHours::DEFAULT, Default::default(), events);
        let clock = PhaseClock::new(&plan, &progress.work(&plan));
        (plan, progress, clock)
    }

    fn view<'a>(plan: &'a Plan, progress: &'a Progress, clock: &'a PhaseClock, h: usize, today: &str) -> HabitView<'a> {
        HabitView { habit: &plan.habits[h], calendar: &progress.calendar, progress, clock, today: d(today) }
    }

    fn marks(view: &HabitView<'_>) -> Vec<(String, Mark, u32)> {
        view.periods(None, view.calendar.start, view.today)
            .iter()
            .map(|p| (p.from.format("%m-%d").to_string(), p.mark, p.count))
            .collect()
    }

    #[test]
    fn check_ins_add_up_within_a_period() {
        let (plan, progress, clock) = setup(vec![checkin("blog", "2027-01-06", 1), checkin("blog", "2027-01-13", 1)]);
        let v = view(&plan, &progress, &clock, 0, "2027-01-14");
        assert_eq!(v.count(d("2027-01-12")), 1);
        assert_eq!(v.count(d("2027-01-13")), 2);
        assert_eq!(v.day_count(d("2027-01-13")), 1);
        let p = v.period_on(&plan, d("2027-01-14")).unwrap();
        assert_eq!(
            (p.from, p.to, p.mark, p.count, p.met_on),
            (d("2027-01-05"), d("2027-01-18"), Mark::Met, 2, Some(d("2027-01-13")))
        );
        // Due on each day until met, the day it is met included; not after.
        assert!(v.is_due(d("2027-01-05")) && v.is_due(d("2027-01-13")));
        assert!(!v.is_due(d("2027-01-14")));
        assert!(v.is_due(d("2027-01-19")));
        // A check-in of the fortnight before counts nothing in the next one.
        assert_eq!(v.count(d("2027-01-19")), 0);
    }

    #[test]
    fn a_period_is_missed_or_partial_only_once_it_has_ended() {
        let (plan, progress, clock) = setup(vec![checkin("blog", "2027-01-06", 1)]);
        // On its last day the fortnight is still open, with 1 of 2.
        let v = view(&plan, &progress, &clock, 0, "2027-01-18");
        assert_eq!(marks(&v), [("01-05".to_string(), Mark::Open, 1)]);
        assert_eq!(v.figures(d("2027-01-05"), d("2027-01-18")), Figures::default());
        // The day after, it ended partial; the next one is open.
        let v = view(&plan, &progress, &clock, 0, "2027-01-19");
        assert_eq!(marks(&v), [("01-05".to_string(), Mark::Partial, 1), ("01-19".to_string(), Mark::Open, 0)]);
        let f = v.figures(d("2027-01-05"), d("2027-01-19"));
        assert_eq!((f.due, f.partial, f.done, f.target), (1, 1, 1, 2));
        // Nothing at all in the second fortnight: missed once it ended.
        let v = view(&plan, &progress, &clock, 0, "2027-02-02");
        assert_eq!(marks(&v)[1], ("01-19".to_string(), Mark::Missed, 0));
        // The strip: partial on the day checked in, missed on the last day.
        assert_eq!(v.mark(d("2027-01-06")), Mark::Partial);
        assert_eq!(v.mark(d("2027-01-07")), Mark::NotDue);
        assert_eq!(v.mark(d("2027-02-01")), Mark::Missed);
        assert_eq!(v.mark(d("2027-02-02")), Mark::Open);
    }

    #[test]
    fn a_wednesday_check_in_meets_a_weekly_habit_started_on_a_tuesday() {
        // Wed 01-13 is in the week Tue 01-12 to Mon 01-18.
        let (plan, progress, clock) = setup(vec![checkin("post", "2027-01-06", 1), checkin("post", "2027-01-13", 1)]);
        let v = view(&plan, &progress, &clock, 1, "2027-01-15");
        let c = consistency(&plan, &v, &Period::week_of(d("2027-01-15")));
        assert_eq!(c.kind, "period");
        assert_eq!((c.due_days, c.met, c.missed, c.adherence_percent), (2, 2, 0, Some(100)));
        let strip: String = c.days.iter().map(|m| m.mark.symbol()).collect();
        // Mon 01-11 ended the first week (met on Wed 01-06); Wed 01-13 met
        // the second, whose other days are then not due.
        assert_eq!(strip, "--●--  ");
        assert_eq!((c.streak, c.longest_streak), (2, 2));
        let current = c.current_period.unwrap();
        assert_eq!((current.from, current.to, current.mark), (d("2027-01-12"), d("2027-01-18"), Mark::Met));
    }

    #[test]
    fn streaks_and_adherence_count_periods() {
        // Fortnights: met, met, missed, partial, open.
        let (plan, progress, clock) = setup(vec![
            checkin("blog", "2027-01-07", 2),
            checkin("blog", "2027-01-20", 1),
            checkin("blog", "2027-01-31", 1),
            checkin("blog", "2027-02-20", 1),
        ]);
        let v = view(&plan, &progress, &clock, 0, "2027-03-02");
        let got: Vec<Mark> = marks(&v).into_iter().map(|m| m.1).collect();
        assert_eq!(got, [Mark::Met, Mark::Met, Mark::Missed, Mark::Partial, Mark::Open]);
        assert_eq!((v.current_streak(), v.longest_streak()), (1, 2));
        let f = v.figures(d("2027-01-05"), d("2027-03-02"));
        assert_eq!((f.due, f.met, f.partial, f.missed, f.done, f.target), (4, 2, 1, 1, 5, 8));
        // A span of one week meets one fortnight: the one holding it.
        let f = v.figures(d("2027-01-25"), d("2027-01-31"));
        assert_eq!((f.due, f.met), (1, 1));
    }

    #[test]
    fn a_period_wholly_off_is_off_and_a_phase_restricted_one_is_not_due() {
        let (plan, progress, clock) = setup(vec![day_off("2027-01-05", "2027-01-18")]);
        let v = view(&plan, &progress, &clock, 0, "2027-01-19");
        assert_eq!(marks(&v)[0].1, Mark::Off);
        assert_eq!(v.figures(d("2027-01-05"), d("2027-01-19")).due, 0);
        // `late` is for p2; p1 is current all along.
        let v = view(&plan, &progress, &clock, 3, "2027-02-02");
        assert!(marks(&v).iter().all(|m| m.1 == Mark::NotDue));
        assert!(!v.is_due(d("2027-01-20")));
    }

    #[test]
    fn the_view_gives_the_reservation_day_of_the_period() {
        // Mondays keep 1h after paper, Tue–Fri 2h, the weekend 4h: the
        // blog's hours go on Sat 01-09, then Sat 01-23.
        let (plan, progress, clock) = setup(vec![checkin("blog", "2027-01-20", 1)]);
        let v = view(&plan, &progress, &clock, 0, "2027-01-21");
        let p = v.period_on(&plan, d("2027-01-21")).unwrap();
        assert_eq!(
            (p.from, p.to, p.reserved, p.reserving, p.count),
            (d("2027-01-19"), d("2027-02-01"), Some(d("2027-01-23")), true, 1)
        );
        let r = v.reservation(&plan, d("2027-01-05")).unwrap();
        assert_eq!((r.day, r.met_on, r.holds()), (Some(d("2027-01-09")), None, Some(d("2027-01-09"))));
        // Met before its day: released.
        let (plan, progress, clock) = setup(vec![checkin("blog", "2027-01-20", 2)]);
        let v = view(&plan, &progress, &clock, 0, "2027-01-21");
        let p = v.period_on(&plan, d("2027-01-21")).unwrap();
        assert_eq!((p.mark, p.reserved, p.reserving), (Mark::Met, Some(d("2027-01-23")), false));
        // Fixed-day habits have no period.
        assert_eq!(view(&plan, &progress, &clock, 2, "2027-01-21").period_on(&plan, d("2027-01-21")), None);
    }
}
