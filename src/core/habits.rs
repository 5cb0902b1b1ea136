//! Habit days and streaks. A due day is met (count ≥ target), partial
//! (some, below target), missed, or still open today; days off and days a
//! habit is not due neither break a streak nor count as misses.

use crate::core::calendar::Calendar;
use crate::core::plan::{Habit, Plan};
use crate::core::progress::Progress;
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
    /// Due days in the range up to today (today only once it is done).
    pub due: u32,
    pub met: u32,
    pub partial: u32,
    pub missed: u32,
    /// Sum of min(count, target) over due days.
    pub done: u32,
    /// Sum of targets over due days.
    pub target: u32,
}

impl Figures {
    /// Share of the target reached over due days, 0–100.
    pub fn adherence(&self) -> Option<f64> {
        (self.target > 0).then(|| f64::from(self.done) * 100.0 / f64::from(self.target))
    }
}

impl HabitView<'_> {
    pub fn is_due(&self, date: NaiveDate) -> bool {
        self.habit.every.is_due(date, self.calendar.start) && self.habit.active_in(self.clock.phase_on(date))
    }

    pub fn count(&self, date: NaiveDate) -> u32 {
        self.progress.checkin_count(&self.habit.id, date)
    }

    pub fn mark(&self, date: NaiveDate) -> Mark {
        if date > self.today {
            return Mark::Future;
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

    /// Figures over `from..=to`, stopping at today.
    pub fn figures(&self, from: NaiveDate, to: NaiveDate) -> Figures {
        let mut f = Figures::default();
        for date in from.max(self.calendar.start).iter_days().take_while(|d| *d <= to.min(self.today)) {
            let mark = self.mark(date);
            let counted = match mark {
                Mark::Met => {
                    f.met += 1;
                    true
                }
                Mark::Partial => {
                    f.partial += 1;
                    true
                }
                Mark::Missed => {
                    f.missed += 1;
                    true
                }
                _ => false,
            };
            if counted {
                f.due += 1;
                f.target += self.habit.target;
                f.done += self.count(date).min(self.habit.target);
            }
        }
        f
    }

    /// Due days met or partly met in a row, ending today (an open today
    /// does not break it).
    pub fn current_streak(&self) -> u32 {
        let mut streak = 0;
        let mut date = self.today;
        while date >= self.calendar.start {
            match self.mark(date) {
                Mark::Met | Mark::Partial => streak += 1,
                Mark::Missed => break,
                _ => {}
            }
            let Some(previous) = date.pred_opt() else { break };
            date = previous;
        }
        streak
    }

    pub fn longest_streak(&self) -> u32 {
        let (mut longest, mut run) = (0, 0);
        for date in self.calendar.start.iter_days().take_while(|d| *d <= self.today) {
            match self.mark(date) {
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
