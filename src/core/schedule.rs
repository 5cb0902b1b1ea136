//! The scheduler: plan, calendar, progress and today in; a schedule out.
//!
//! Pure and deterministic. Tasks are worked one after another in a stable
//! topological order (among the tasks whose dependencies are placed, the
//! earliest in the plan), phase after phase. A task takes the day's capacity
//! until its remaining effort is spent; the next starts on the same day if
//! hours are left. Done tasks sit at their completion dates; the remaining
//! work is scheduled from today (or from the start date, if later).

use crate::core::calendar::{Calendar, WeekHours};
use crate::core::dates::LATEST;
use crate::core::plan::Plan;
use crate::core::reserve::{Capacity, Checkins};
use crate::core::review::{Load, Memory};
use crate::core::window::Fit;
use chrono::{Datelike, Days, NaiveDate};
use std::cmp::Reverse;
use std::collections::BinaryHeap;

pub use crate::core::work::Work;

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
    /// The remaining work, scheduled from `from`, would run past
    /// `dates::LATEST` (9999-12-31), the last date the tool handles.
    PastLastDate { from: NaiveDate },
}

impl std::fmt::Display for ScheduleError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ScheduleError::NoCapacity { from } => write!(
                f,
                "the calendar leaves no hours for tasks in the 366 days from {from}: \
                 the weekday hours are zero or habits take them all"
            ),
            ScheduleError::PastLastDate { from } => write!(
                f,
                "the remaining work, scheduled from {from}, would run past {}, the last date roadmap handles",
                crate::core::dates::LATEST
            ),
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
    let is_open = |i: usize| matches!(work[i], Work::Open { .. });
    // When every task comes after all it depends on in the plan (as
    // written plans mostly do), the plan's order is the one the heap below
    // gives. A phase's tasks are one range of the plan, the phases in
    // order (`plan::load`), and only the open dependencies of a task's own
    // phase hold it back: the first open task of a phase not yet listed has
    // those listed, since they come before it, so it is ready, and no ready
    // task comes before it.
    if plan.tasks.iter().enumerate().all(|(i, t)| t.after.iter().all(|&dep| dep < i)) {
        // Counted first: collected, the list grew by doubling, each time
        // copied into fresh pages.
        let mut order = Vec::with_capacity(work.iter().filter(|w| matches!(w, Work::Open { .. })).count());
        order.extend((0..plan.tasks.len()).filter(|&i| is_open(i)));
        return order;
    }
    topological_order(plan, work)
}

/// `work_order` for any plan: per phase, the ready tasks in a heap, the
/// first in the plan taken each time.
fn topological_order(plan: &Plan, work: &[Work]) -> Vec<usize> {
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
    schedule_checked_in(input, order, &Checkins::default())
}

/// `schedule_in_order` once the habits' `checkins` are known: a period
/// met by its reservation day (today's check-ins included) gives its hours
/// back to tasks.
pub fn schedule_checked_in(input: Input<'_>, order: &[usize], checkins: &Checkins) -> Result<Schedule, ScheduleError> {
    schedule_after_today(input, order, checkins, 0)
}

/// `schedule_checked_in` once `spent_today` minutes have been logged today
/// (on any task): today's capacity for the schedule is what the calendar
/// and habits leave less that, so the remaining work (the estimates less
/// everything logged, today's included) is not given today's hours twice.
pub fn schedule_after_today(
    input: Input<'_>,
    order: &[usize],
    checkins: &Checkins,
    spent_today: u32,
) -> Result<Schedule, ScheduleError> {
    schedule_reviewed(input, order, checkins, spent_today, &[])
}

/// `schedule_after_today` with spaced review (plan-format.md, "Spaced
/// review"): the reviews of the finished tasks (`memories`) and of the tasks
/// the schedule finishes reserve the plan's `review.effort` on their due
/// days, before tasks are placed. Without `review:` in the plan, exactly
/// `schedule_after_today`.
pub fn schedule_reviewed(
    input: Input<'_>,
    order: &[usize],
    checkins: &Checkins,
    spent_today: u32,
    memories: &[(usize, crate::core::review::Memory)],
) -> Result<Schedule, ScheduleError> {
    let Input { plan, calendar, work, today } = input;
    let mut tasks: Vec<Option<Slot>> = work
        .iter()
        .map(|w| match *w {
            Work::Done { first, on, .. } => Some(Slot { start: first.min(on), end: on, days: Vec::new(), done: true }),
            _ => None,
        })
        .collect();
    let from = today.max(calendar.start);
    if !order.is_empty() && from > LATEST {
        return Err(ScheduleError::PastLastDate { from });
    }
    let mut day = Day::new(plan, calendar, checkins, from);
    day.reviews = Load::new(plan, memories);
    // Only today itself has been worked on: a start date still to come has not.
    day.spent = if from == today { spent_today } else { 0 };
    let mut started = false;
    // Each task's days are counted out here, then copied into a block of
    // their own size: grown a push at a time, each task's block was made
    // and moved up to five times over (a fiftieth of `report`).
    let mut counted: Vec<(NaiveDate, u32)> = Vec::new();
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
        counted.clear();
        while left > 0 {
            if day.free == 0 {
                day.advance(phase)?;
                continue;
            }
            let used = day.free.min(left);
            counted.push((day.date, used));
            day.free -= used;
            left -= used;
        }
        let days = counted.clone();
        let start = days.first().map_or(day.date, |d| d.0);
        let end = days.last().map_or(day.date, |d| d.0);
        let start = first.map_or(start, |f| f.min(start));
        day.reviews.finished(i, plan.tasks[i].review, end);
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
    /// Where the work began, named in errors.
    from: NaiveDate,
    empty_run: u32,
    last_off: Option<NaiveDate>,
    /// Minutes already logged on the first date (today), taken off its capacity.
    spent: u32,
    /// The reviews that take their time first.
    reviews: Load,
}

impl<'a> Day<'a> {
    fn new(plan: &'a Plan, calendar: &'a Calendar, checkins: &'a Checkins, from: NaiveDate) -> Day<'a> {
        let capacity = Capacity::new(plan, calendar, checkins);
        Day {
            capacity,
            date: from,
            free: 0,
            from,
            empty_run: 0,
            last_off: calendar.last_day_off(),
            spent: 0,
            reviews: Load::none(),
        }
    }

    /// Opens the current date with `phase` as its first task's phase; a
    /// date past the last one handled has no hours.
    fn begin(&mut self, phase: usize) {
        self.free = if self.date > LATEST { 0 } else { self.capacity.on(self.date, Some(phase)) };
        // Reviews fall on working days with hours; a day off moves them on.
        if self.date <= LATEST && self.capacity.works(self.date) {
            self.free = self.free.saturating_sub(self.reviews.take(self.date));
        }
        if self.date == self.from {
            self.free = self.free.saturating_sub(self.spent);
        }
    }

    /// Moves to the next day. Constant work per day (habits and days off
    /// are looked up, not replayed), so a long schedule costs its length.
    fn advance(&mut self, phase: usize) -> Result<(), ScheduleError> {
        if self.date >= LATEST {
            return Err(ScheduleError::PastLastDate { from: self.from });
        }
        if self.last_off.is_none_or(|off| self.date > off) {
            self.empty_run += 1;
            if self.empty_run >= 366 {
                let from = self.date - Days::new(365);
                return Err(ScheduleError::NoCapacity { from });
            }
        }
        self.date = self.date.succ_opt().ok_or(ScheduleError::PastLastDate { from: self.from })?;
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
pub fn verdicts(
    plan: &Plan,
    calendar: &Calendar,
    work: &[Work],
    schedule: &Schedule,
    today: NaiveDate,
) -> Vec<Option<Verdict>> {
    verdicts_reviewed(plan, calendar, work, schedule, today, &[])
}

/// `verdicts` with spaced review: the weekly hours to fit a phase count the
/// reviews that take their time first, as `schedule_reviewed` reserves them
/// (those of the finished tasks' `memories`, and of the phase's tasks as
/// they are finished). Without `review:` in the plan, exactly `verdicts`.
pub fn verdicts_reviewed(
    plan: &Plan,
    calendar: &Calendar,
    work: &[Work],
    schedule: &Schedule,
    today: NaiveDate,
    memories: &[(usize, Memory)],
) -> Vec<Option<Verdict>> {
    // The order the phase's tasks are finished in matters only with reviews.
    let order = if plan.review.is_some() { work_order(plan, work) } else { Vec::new() };
    (0..plan.phases.len())
        .map(|p| {
            let (fit, first) = phase_fit(plan, schedule, p)?;
            let weekly_to_fit = match fit {
                Fit::Over { .. } => weekly_to_fit(plan, calendar, work, p, first, today, memories, &order),
                _ => None,
            };
            Some(Verdict { fit, weekly_to_fit })
        })
        .collect()
}

/// How phase `p`'s span in `schedule` compares with its window, with the
/// span's first day; `None` where the phase has no window or no span.
pub(crate) fn phase_fit(plan: &Plan, schedule: &Schedule, p: usize) -> Option<(Fit, NaiveDate)> {
    let window = plan.phases[p].duration.as_ref()?;
    let span = schedule.phases[p]?;
    Some((window.fit(span.first, span.last), span.first))
}

/// The weekly hours that fit phase `p` (first day `first`) in its window
/// with the reviews of the finished tasks' `memories`, the phase's tasks
/// finished in `order` (the work order; unused without `review:`).
#[allow(clippy::too_many_arguments)]
pub(crate) fn weekly_to_fit(
    plan: &Plan,
    calendar: &Calendar,
    work: &[Work],
    p: usize,
    first: NaiveDate,
    today: NaiveDate,
    memories: &[(usize, Memory)],
    order: &[usize],
) -> Option<u32> {
    weekly_hours_to_fit_reviewed(plan, calendar, work, p, first, today, Reviews { memories, order })
}

/// The smallest weekly total, in steps of 30 minutes up to 168 h, at which
/// phase `p` (whose first day is `first`) ends inside its window, as the
/// contract says: every weekday's hours scaled by one factor (each day
/// rounded down to the minute); the phase's finished tasks kept at their
/// dates and its logged hours as logged; its remaining work scheduled alone
/// from today (or from `first`, or the calendar start, if later); the
/// window counted from `first`. `None` when the phase has no window or no
/// work, or when no total up to 168 h fits.
pub fn weekly_hours_to_fit(
    plan: &Plan,
    calendar: &Calendar,
    work: &[Work],
    p: usize,
    first: NaiveDate,
    today: NaiveDate,
) -> Option<u32> {
    let order = if plan.review.is_some() { work_order(plan, work) } else { Vec::new() };
    weekly_hours_to_fit_reviewed(plan, calendar, work, p, first, today, Reviews { memories: &[], order: &order })
}

/// What the weekly fit needs to count reviews: the finished tasks'
/// memories and the work order (in which the phase's tasks are finished).
#[derive(Clone, Copy)]
struct Reviews<'a> {
    memories: &'a [(usize, Memory)],
    order: &'a [usize],
}

/// `weekly_hours_to_fit`, the reviews (of the finished tasks, and of the
/// phase's tasks as the run finishes them, rated Good) taking their time
/// first on their due days, as in `schedule_reviewed`.
fn weekly_hours_to_fit_reviewed(
    plan: &Plan,
    calendar: &Calendar,
    work: &[Work],
    p: usize,
    first: NaiveDate,
    today: NaiveDate,
    reviews: Reviews<'_>,
) -> Option<u32> {
    let window = plan.phases[p].duration.as_ref()?;
    let latest = window.latest_end(first)?;
    let base = calendar.hours.weekly().minutes();
    if base == 0 {
        return None;
    }
    // Finished tasks stay where they are: the phase ends no sooner than the
    // last of them. The open ones are worked back to back, each taking what
    // is left of the day, so they end on the day their remaining effort (the
    // estimate less what is logged) is used up: only the total matters, not
    // the order (as `schedule` would place them).
    let mut remaining = 0u64;
    let mut open = false;
    let mut finished: Option<NaiveDate> = None;
    for i in plan.phases[p].tasks.clone() {
        match work[i] {
            Work::Unselected | Work::Skipped => {}
            Work::Done { on, .. } => finished = finished.max(Some(on)),
            Work::Open { remaining: left, .. } => {
                remaining += u64::from(left.minutes());
                open = true;
            }
        }
    }
    if !open || finished.is_some_and(|on| on > latest) {
        // Nothing left to speed up, or what is finished already ends late.
        return None;
    }
    let from = today.max(first);
    // Without reviews, only the total matters (one run of `remaining`
    // minutes).
    let ends_in_time = |weekly: u32, runs: &[(usize, u64, bool)], load: &dyn Fn() -> Load| {
        let mut scaled = calendar.clone();
        scaled.hours = calendar.hours.scaled_ratio(weekly, base);
        phase_ends_by(plan, &scaled, p, from, runs, load(), latest)
    };
    // Every half hour in turn, not a bisection: more weekly hours can end a
    // phase later (a period habit's reservation moves to another day as the
    // days' hours grow), so the answer is the smallest total that fits, found
    // by trying each. Each try stops at the window's end, so this stays cheap.
    let steps = (1u32..=168 * 2).map(|steps| steps * 30);
    let alone = [(0, remaining, false)];
    // No 7 days in a row have more than the weekly total (each day's hours
    // are rounded down), so a total that gives the days from `from` to the
    // window's end less than the remaining work cannot fit: those are not
    // tried.
    let weeks = u64::try_from((latest - from).num_days() + 1).unwrap_or(0).div_ceil(7);
    let too_few = |weekly: &u32| u64::from(*weekly) * weeks < remaining;
    let without_reviews =
        steps.clone().skip_while(too_few).find(|&weekly| ends_in_time(weekly, &alone, &Load::none))?;
    if plan.review.is_none() {
        return Some(without_reviews);
    }
    // With reviews, the order matters: each task's end brings its reviews.
    let phase = plan.phases[p].tasks.clone();
    let open = reviews.order.iter().filter(|i| phase.contains(i));
    let runs: Vec<(usize, u64, bool)> = open
        .filter_map(|&i| match work[i] {
            Work::Open { remaining: left, .. } => Some((i, u64::from(left.minutes()), plan.tasks[i].review)),
            _ => None,
        })
        .collect();
    // Reviews only add to a day's load, so no total that does not fit the
    // work alone fits it with reviews: the search starts where that one ends.
    // The finished tasks' reviews fall on the same days in every run that
    // has the same working days (more or fewer hours on them changes
    // nothing for them): they are replayed once, and each such run reads
    // their minutes and replays only the reviews of the tasks it finishes.
    let start = from.max(calendar.start);
    let days = start.iter_days().take_while(|d| *d <= latest).filter(|d| !calendar.is_off(*d));
    let works = |hours: WeekHours| hours.to_array().map(|m| m > 0);
    let series = Load::new(plan, reviews.memories).series(days.filter(|d| calendar.hours.on(d.weekday()) > 0));
    let load = || Load::with_series(plan, series.clone());
    let full = || Load::new(plan, reviews.memories);
    steps.skip_while(|&weekly| weekly < without_reviews).find(|&weekly| {
        let same_days = works(calendar.hours.scaled_ratio(weekly, base)) == works(calendar.hours);
        ends_in_time(weekly, &runs, if same_days { &load } else { &full })
    })
}

/// Whether `total` minutes of phase `p`'s work, started on `from` (or the
/// calendar start, if later) on `calendar`, end by `latest`: the day-filling
/// of `schedule` for one run of back-to-back work, stopping as soon as the
/// answer is known.
///
/// `runs` are the tasks' remaining minutes in the order they are worked,
/// each with whether it is reviewed: as each ends, its reviews join `load`,
/// whose due reviews take their time first on each working day.
fn phase_ends_by(
    plan: &Plan,
    calendar: &Calendar,
    p: usize,
    from: NaiveDate,
    runs: &[(usize, u64, bool)],
    load: Load,
    latest: NaiveDate,
) -> bool {
    let no_checkins = Checkins::default();
    let mut day = Day::new(plan, calendar, &no_checkins, from.max(calendar.start));
    day.reviews = load;
    day.begin(p);
    for &(task, total, reviewed) in runs {
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
            // `used` is at most `day.free`, a u32.
            day.free -= u32::try_from(used).unwrap_or(day.free);
            left -= used;
        }
        day.reviews.finished(task, reviewed, day.date);
    }
    day.date <= latest
}
impl std::error::Error for ScheduleError {}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::calendar::WeekHours;
    use crate::core::outlook::Outlook;
    use crate::core::testkit::{d, done, logged, plan, progress};

    /// One phase of three tasks, a 4h, b 6h, c 10h, with a window of `window`,
    /// and a second phase after it.
    fn phase_plan(window: &str) -> Plan {
        plan(&format!(
            "
format: 1
id: fit
title: Fit
phases:
  - id: p1
    title: First
    duration: {window}
    modules:
      - id: m
        title: M
        tasks:
          - {{id: a, title: A, effort: 4h}}
          - {{id: b, title: B, effort: 6h}}
          - {{id: c, title: C, effort: 10h}}
  - id: p2
    title: Second
    modules:
      - id: m
        title: M
        tasks:
          - {{id: d, title: D, effort: 10h}}
"
        ))
    }

    /// Phase p1's verdict on `today`, and its verdict again with the hours
    /// scaled to the weekly total it reports (when it reports one).
    fn verdict_and_recheck(plan: &Plan, events: Vec<crate::core::state::Event>, today: &str) -> (Verdict, Option<Fit>) {
        // Mon-Fri 2h, weekends free: 10 h/week, from Mon 2027-01-04.
        let hours = WeekHours::parse("mon-fri=2").unwrap();
        let progress = progress("2027-01-04", hours, Default::default(), events);
        let today = d(today);
        let now = Outlook::new(plan, &progress, today).unwrap();
        let verdict = now.verdict(plan, 0).unwrap();
        let recheck = verdict.weekly_to_fit.map(|weekly| {
            let mut calendar = progress.calendar.clone();
            calendar.hours = hours.scaled_ratio(weekly, hours.weekly().minutes());
            let then = Outlook::with_calendar(plan, &calendar, progress.work(plan), today).unwrap();
            then.verdict(plan, 0).unwrap().fit
        });
        (verdict, recheck)
    }

    #[test]
    fn weekly_fit_schedules_only_the_remaining_work_from_today() {
        // a done Tue 01-05, b done Wed 01-06, c logged 4h on Thu 01-07;
        // today Wed 01-13. The phase's first day is 01-05; a window of
        // 10 days ends Thu 01-14. c's 6h left go Wed 01-13, Thu, Fri 01-15
        // at 2h a weekday: span 01-05..01-15, 11 days, over by 1.
        //
        // To fit, the 6h must be done Wed and Thu: each weekday gets
        // ⌊120 × W / 600⌋ = ⌊W/5⌋ minutes, 2 × ⌊W/5⌋ ≥ 360 needs W ≥ 900:
        // 15 h/week (14.5 h gives 174 min a day, 348 < 360).
        //
        // Scheduling all 20h of the phase from its first day instead (as
        // the finished tasks were ignored) needs 8 weekdays 01-05..01-14 of
        // ⌊W/5⌋ ≥ 150: 12.5 h/week, at which c (150 min a day from 01-13)
        // still ends Fri 01-15, over by 1.
        let plan = phase_plan("10 days");
        let events =
            vec![done("p1.m.a", "2027-01-05"), done("p1.m.b", "2027-01-06"), logged("p1.m.c", "2027-01-07", 240)];
        let (verdict, recheck) = verdict_and_recheck(&plan, events, "2027-01-13");
        assert_eq!(verdict, Verdict { fit: Fit::Over { days: 1 }, weekly_to_fit: Some(15 * 60) });
        assert_eq!(recheck, Some(Fit::Fits), "at the weekly hours reported, the phase fits");
    }

    #[test]
    fn at_the_reported_weekly_hours_the_verdict_fits() {
        // a done Tue 01-05, b done Wed 01-06, today Mon 01-18: c's 10h go
        // Mon 01-18..Fri 01-22. A 2-week window from 01-05 ends Mon 01-18:
        // span 01-05..01-22, over by 4 days.
        //
        // To fit, all 10h must be done on Mon 01-18: ⌊W/5⌋ ≥ 600, W ≥ 3000
        // minutes, 50 h/week (49.5 h gives 594 minutes, 6 left for Tue).
        //
        // Ignoring the finished tasks, 20h over the 10 weekdays 01-05..01-18
        // needs ⌊W/5⌋ ≥ 120: 10 h/week, the hours already given, at which
        // the phase is over by 4 days: the inconsistency this test pins.
        let plan = phase_plan("2 weeks");
        let events = vec![done("p1.m.a", "2027-01-05"), done("p1.m.b", "2027-01-06")];
        let (verdict, recheck) = verdict_and_recheck(&plan, events, "2027-01-18");
        assert_eq!(verdict, Verdict { fit: Fit::Over { days: 4 }, weekly_to_fit: Some(50 * 60) });
        assert_eq!(recheck, Some(Fit::Fits));
    }

    #[test]
    fn weekly_fit_keeps_logged_hours_as_logged() {
        // Nothing done; a logged 2h on Mon 01-04 (the phase's first day);
        // today Wed 01-06. Left: a 2h, b 6h, c 10h = 18h from Wed at 2h a
        // weekday: Wed..Fri, Mon..Fri, Mon 01-18: 9 weekdays, ends 01-18.
        // A 1-2-week window from 01-04 ends Sun 01-17: over by 1.
        //
        // To fit, 18h in the 8 weekdays Wed 01-06..Fri 01-15: 8 × ⌊W/5⌋ ≥
        // 1080, ⌊W/5⌋ ≥ 135, W ≥ 675: 690 minutes in 30-minute steps
        // (11.5 h/week: 138 min a day, 1104 ≥ 1080; 11 h gives 132, 1056).
        let plan = phase_plan("1-2 weeks");
        let events = vec![logged("p1.m.a", "2027-01-04", 120)];
        let (verdict, recheck) = verdict_and_recheck(&plan, events, "2027-01-06");
        assert_eq!(verdict, Verdict { fit: Fit::Over { days: 1 }, weekly_to_fit: Some(690) });
        assert_eq!(recheck, Some(Fit::Fits));
    }

    #[test]
    fn no_weekly_fit_when_today_is_past_the_window() {
        // a done 01-05, b done 01-06; today Tue 01-12 is past a 1-week
        // window from 01-05 (ends Mon 01-11): no hours bring c back into it.
        // c's 10h go Tue 01-12..Mon 01-18 (no hours at weekends): over by 7.
        let plan = phase_plan("1 week");
        let events = vec![done("p1.m.a", "2027-01-05"), done("p1.m.b", "2027-01-06")];
        let (verdict, recheck) = verdict_and_recheck(&plan, events, "2027-01-12");
        assert_eq!(verdict, Verdict { fit: Fit::Over { days: 7 }, weekly_to_fit: None });
        assert_eq!(recheck, None);
    }

    proptest::proptest! {
        /// The plan's order, where it is a topological one, is the heap's:
        /// two phases of up to 12 tasks, dependencies drawn in both
        /// directions (a random ranking keeps them acyclic) or only
        /// backwards, some across phases, some tasks skipped, done or off
        /// track.
        #[test]
        fn the_plans_order_is_the_heaps_where_it_is_topological(
            ranks in proptest::collection::vec(0u32..1000, 2..12),
            edges in proptest::collection::vec((0usize..12, 0usize..12), 0..20),
            backwards in proptest::bool::ANY,
            kinds in proptest::collection::vec(0u8..6, 12),
        ) {
            let n = ranks.len();
            let mut after: Vec<Vec<usize>> = vec![Vec::new(); n];
            for &(a, b) in &edges {
                let (a, b) = (a % n, b % n);
                let before = if backwards { a < b } else { (ranks[a], a) < (ranks[b], b) };
                // A task may depend on one of its own phase or an earlier one.
                if a != b && before && (a >= n / 2) <= (b >= n / 2) && !after[b].contains(&a) {
                    after[b].push(a);
                }
            }
            let task = |i: usize| {
                let deps: Vec<String> = after[i].iter().map(|d| format!("p{}.m.t{d}", usize::from(*d >= n / 2))).collect();
                format!("          - {{id: t{i}, title: T, effort: 1h, after: [{}]}}\n", deps.join(", "))
            };
            let phase = |p: usize, tasks: std::ops::Range<usize>| {
                format!("  - id: p{p}\n    title: P\n    modules:\n      - id: m\n        title: M\n        tasks:\n{}",
                    tasks.map(task).collect::<String>())
            };
            let plan = plan(&format!("format: 1\nid: o\ntitle: O\nphases:\n{}{}", phase(0, 0..n / 2), phase(1, n / 2..n)));
            // Open most of the time; else skipped, done or off track.
            let open: Vec<bool> = kinds.iter().map(|&k| k < 3).collect();
            let day = NaiveDate::from_ymd_opt(2027, 1, 4).unwrap();
            let work: Vec<Work> = plan.tasks.iter().zip(&kinds)
                .map(|(t, &kind)| match kind {
                    0..=2 => Work::Open { remaining: t.effort, first: None },
                    3 => Work::Skipped,
                    4 => Work::Done { first: day, on: day, logged: crate::core::effort::Effort::ZERO },
                    _ => Work::Unselected,
                })
                .collect();
            let heap = topological_order(&plan, &work);
            proptest::prop_assert_eq!(work_order(&plan, &work), heap.clone());
            if backwards {
                let ascending: Vec<usize> = (0..n).filter(|&i| open[i]).collect();
                proptest::prop_assert_eq!(heap, ascending);
            }
        }
    }

    fn one_task(effort: &str) -> Plan {
        plan(&format!(
            "format: 1\nid: long\ntitle: Long\nphases:\n  - id: p\n    title: P\n    modules:\n      - id: m\n        \
             title: M\n        tasks:\n          - {{id: a, title: A, effort: {effort}}}\n"
        ))
    }

    fn open_work(plan: &Plan) -> Vec<Work> {
        plan.tasks.iter().map(|t| Work::Open { remaining: t.effort, first: None }).collect()
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(300))]

        /// The weekly fit skips the totals too small for the days left in
        /// the window: it finds what trying every half hour from 30 minutes
        /// finds (a one-phase plan, no reviews, some tasks done).
        #[test]
        fn the_weekly_fit_is_the_first_half_hour_that_fits(
            efforts in proptest::collection::vec(1u32..40, 1..4),
            done in proptest::collection::vec(proptest::bool::ANY, 3),
            window in 1u32..40,
            hours in proptest::array::uniform7(0u32..6),
            today in 0u64..20,
        ) {
            let tasks: String = efforts.iter().enumerate()
                .map(|(i, e)| format!("          - {{id: t{i}, title: T, effort: {}m}}\n", e * 30))
                .collect();
            let plan = plan(&format!(
                "format: 1\nid: w\ntitle: W\nphases:\n  - id: p\n    title: P\n    duration: {window} days\n    \
                 modules:\n      - id: m\n        title: M\n        tasks:\n{tasks}"
            ));
            let start = d("2027-01-04");
            let week = WeekHours::from_array(hours.map(|h| h * 60));
            proptest::prop_assume!(week.weekly().minutes() > 0);
            let calendar = Calendar::new(start, week);
            let work: Vec<Work> = plan.tasks.iter().zip(&done)
                .map(|(t, &done)| match done {
                    true => Work::Done { first: start, on: start, logged: crate::core::effort::Effort::ZERO },
                    false => Work::Open { remaining: t.effort, first: None },
                })
                .collect();
            let today = start.checked_add_days(Days::new(today)).unwrap();
            let got = weekly_hours_to_fit(&plan, &calendar, &work, 0, start, today);
            // Every half hour in turn, as the search did before it skipped.
            let latest = plan.phases[0].duration.as_ref().and_then(|w| w.latest_end(start)).unwrap();
            let remaining: u64 = work.iter().map(|w| match w {
                Work::Open { remaining, .. } => u64::from(remaining.minutes()),
                _ => 0,
            }).sum();
            let open = work.iter().any(|w| matches!(w, Work::Open { .. }));
            let every = (1u32..=336).map(|s| s * 30).find(|&weekly| {
                let mut scaled = calendar.clone();
                scaled.hours = week.scaled_ratio(weekly, week.weekly().minutes());
                phase_ends_by(&plan, &scaled, 0, today.max(start), &[(0, remaining, false)], Load::none(), latest)
            });
            proptest::prop_assert_eq!(got, every.filter(|_| open));
        }
    }

    #[test]
    fn long_plans_are_scheduled_whatever_their_length() {
        // 100000h at 1h on Mondays: 100000 Mondays from Mon 2027-01-04, the
        // last 99999 weeks after the first, in the 3940s: far past 50 years.
        let plan = one_task("100000h");
        let calendar = Calendar::new(d("2027-01-04"), WeekHours::parse("mon=1").unwrap());
        let work = open_work(&plan);
        let s = schedule(Input { plan: &plan, calendar: &calendar, work: &work, today: d("2027-01-04") }).unwrap();
        assert_eq!(s.end, d("2027-01-04").checked_add_days(Days::new(99_999 * 7)));
        assert_eq!(s.end.map(|e| e.to_string()), Some("3943-07-12".to_string()));
    }

    #[test]
    fn work_past_the_last_date_is_an_error_that_says_so() {
        // 2h at 1h on Mondays from Mon 9999-12-27: the second Monday would
        // be 10000-01-03.
        let plan = one_task("2h");
        let calendar = Calendar::new(d("9999-12-27"), WeekHours::parse("mon=1").unwrap());
        let work = open_work(&plan);
        let result = schedule(Input { plan: &plan, calendar: &calendar, work: &work, today: d("9999-12-27") });
        let error = ScheduleError::PastLastDate { from: d("9999-12-27") };
        assert_eq!(result, Err(error.clone()));
        assert_eq!(
            error.to_string(),
            "the remaining work, scheduled from 9999-12-27, would run past 9999-12-31, the last date roadmap handles"
        );
        // 1h fits on that Monday.
        let plan = one_task("1h");
        let work = open_work(&plan);
        let s = schedule(Input { plan: &plan, calendar: &calendar, work: &work, today: d("9999-12-27") }).unwrap();
        assert_eq!(s.end, Some(d("9999-12-27")));
        // Nothing can start after the last date, not even work of no length.
        let calendar = Calendar::new(d("9999-12-27"), WeekHours::parse("all=1").unwrap());
        let today = d("9999-12-31").succ_opt().unwrap();
        let result = schedule(Input { plan: &plan, calendar: &calendar, work: &work, today });
        assert_eq!(result, Err(ScheduleError::PastLastDate { from: today }));
    }

    #[test]
    fn the_only_stop_rule_is_a_year_without_capacity() {
        // Days off for ten years, then nothing at all: the 366 empty days
        // are counted after the last day off.
        let plan = one_task("1h");
        let mut calendar = Calendar::new(d("2027-01-04"), WeekHours::parse("mon=1").unwrap());
        calendar.add_off(crate::core::calendar::DayOff { from: d("2027-01-04"), to: d("2036-12-31"), note: None });
        let work = open_work(&plan);
        let s = schedule(Input { plan: &plan, calendar: &calendar, work: &work, today: d("2027-01-04") }).unwrap();
        // The first Monday after the days off: Mon 2037-01-05.
        assert_eq!(s.end, Some(d("2037-01-05")));
        let plan = plan_with_all_day_habit();
        let calendar = Calendar::new(d("2027-01-04"), WeekHours::parse("all=1").unwrap());
        let work = open_work(&plan);
        let result = schedule(Input { plan: &plan, calendar: &calendar, work: &work, today: d("2027-01-04") });
        assert_eq!(result, Err(ScheduleError::NoCapacity { from: d("2027-01-04") }));
    }

    #[test]
    fn minutes_logged_today_come_off_today_only() {
        // 3h at 2h a day from Mon 01-04: Mon 2h, Tue 1h. With 30m logged
        // today, Mon has 1h30m left: Mon 1h30m, Tue 1h30m. With 2h or more
        // logged, today has nothing left: Tue 2h, Wed 1h.
        let plan = one_task("3h");
        let calendar = Calendar::new(d("2027-01-04"), WeekHours::parse("all=2").unwrap());
        let work = open_work(&plan);
        let input = Input { plan: &plan, calendar: &calendar, work: &work, today: d("2027-01-04") };
        let order = work_order(&plan, &work);
        let days = |spent: u32| {
            let s = schedule_after_today(input, &order, &Checkins::default(), spent).unwrap();
            s.tasks[0].as_ref().unwrap().days.iter().map(|(day, m)| (day.to_string(), *m)).collect::<Vec<_>>()
        };
        let pairs = |list: &[(&str, u32)]| list.iter().map(|(day, m)| (day.to_string(), *m)).collect::<Vec<_>>();
        assert_eq!(days(0), pairs(&[("2027-01-04", 120), ("2027-01-05", 60)]));
        assert_eq!(days(30), pairs(&[("2027-01-04", 90), ("2027-01-05", 90)]));
        assert_eq!(days(120), pairs(&[("2027-01-05", 120), ("2027-01-06", 60)]));
        assert_eq!(days(600), days(120));
        // A start date still to come has had nothing logged on it.
        let later = Input { today: d("2027-01-01"), ..input };
        let s = schedule_after_today(later, &order, &Checkins::default(), 120).unwrap();
        assert_eq!(s.tasks[0].as_ref().unwrap().days.first(), Some(&(d("2027-01-04"), 120)));
    }

    fn plan_with_all_day_habit() -> Plan {
        plan(
            "format: 1\nid: long\ntitle: Long\nphases:\n  - id: p\n    title: P\n    modules:\n      - id: m\n        \
             title: M\n        tasks:\n          - {id: a, title: A, effort: 1h}\nhabits:\n  - {id: h, title: H, every: day, effort: 1h}\n",
        )
    }
}

/// Period habits in the scheduler.
#[cfg(test)]
mod period_tests {
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
        assert_eq!(days(&Checkins::default()), expected);
    }

    #[test]
    fn a_check_in_today_gives_the_reserved_hours_back_to_tasks() {
        // Blogged on Tuesday: Saturday's 4h are all the task's, it ends then.
        let mut checkins = Checkins::default();
        checkins.entry("blog".to_string()).or_default().insert(d("2027-01-05"), 1);
        let got = days(&checkins);
        assert_eq!(got.last(), Some(&("Sat 01-09".to_string(), 180)));
        assert_eq!(got.len(), 5);
    }
}
