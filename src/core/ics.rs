//! The schedule as an iCalendar file (RFC 5545), for a calendar app to
//! import or subscribe to. Pure: plan, calendar, forecast, options and the
//! moment of export in; the file's text out.
//!
//! - Each task gets one event per planned day, as long as that day's planned
//!   minutes. A day's events start at the daily start time (floating local
//!   time, no time zone), after the habits due that day, one after another.
//! - Each fixed-day habit is one recurring event (RRULE) from the calendar
//!   start, at a fixed time: habits are stacked from the start time in plan
//!   order. A habit without reserved hours is an all-day event. A habit
//!   limited to some phases gets one series per run of active phases,
//!   bounded by UNTIL at the forecast end of the run; due days that fall on
//!   days off are left out with EXDATE.
//! - A period habit is not a weekday rule: it gets one event per period,
//!   from the calendar start through the period holding the forecast end.
//!   With reserved hours, a timed event on the period's reservation day (the
//!   day chosen from the calendar alone, see `reserve`), at its stacked
//!   time, only when the habit is active in the phase forecast for that day;
//!   a period wholly off has none. Without hours, an all-day event spanning
//!   the whole period (a reminder that it is due once, any day of it), when
//!   the habit is active on one of its days. A period met by its reservation
//!   day (the check-ins so far) has released its hours to tasks: it gets no
//!   timed event, and the day's tasks start without it.
//! - Each range of days off is one all-day event.
//! - With spaced review (`review:` in the plan), each projected review is a
//!   timed event of `review.effort` on its day, after the day's habits and
//!   before its tasks: the finished tasks' pending reviews and those the
//!   scheduled tasks bring, assumed done on the working day they fall due
//!   and rated Good (as the schedule reserves them), through the forecast
//!   end and 8 weeks more.
//!
//! UIDs come from the plan, the task or habit id and the date, so exporting
//! again and re-importing updates events instead of duplicating them.
//! Lines end in CRLF and are folded at 75 octets, never inside a character.

use crate::core::cadence::{Cadence, HabitPeriod, Rule};
use crate::core::calendar::Calendar;
use crate::core::dates::{LATEST, in_range};
use crate::core::plan::{Habit, Plan};
use crate::core::reserve::{self, Checkins};
use crate::core::review::{Load, Memory};
use crate::core::schedule::{Schedule, Work, work_order};
use chrono::{DateTime, Datelike, Days, NaiveDate, NaiveDateTime, NaiveTime, TimeDelta, Utc};
use std::collections::{HashMap, HashSet};
use std::fmt::Write;

/// The longest an octet line may be, CRLF excluded (RFC 5545 3.1).
const MAX_OCTETS: usize = 75;

/// How far ahead the first due day of a fixed-day habit is looked for: a
/// week holds every weekday.
const MAX_SEARCH_DAYS: u64 = 7;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Options {
    /// When each day's events begin, in floating local time.
    pub start_time: NaiveTime,
}

impl Options {
    pub(crate) const DEFAULT_START: NaiveTime = match NaiveTime::from_hms_opt(19, 0, 0) {
        Some(t) => t,
        None => NaiveTime::MIN,
    };
}

impl Default for Options {
    fn default() -> Options {
        Options { start_time: Options::DEFAULT_START }
    }
}

/// Everything the export reads.
#[derive(Clone, Copy)]
pub(crate) struct Input<'a> {
    pub plan: &'a Plan,
    pub calendar: &'a Calendar,
    /// Per plan task, as the schedule was computed from.
    pub work: &'a [Work],
    /// The habits' check-ins, as the schedule was computed from.
    pub checkins: &'a Checkins,
    pub schedule: &'a Schedule,
    /// The moment of export, for DTSTAMP.
    pub now: DateTime<Utc>,
    pub options: Options,
    /// The day the schedule was computed from (its first day is this, or
    /// the calendar start if later).
    pub today: NaiveDate,
    /// The finished tasks' review memories (`review::memories`), as the
    /// schedule was computed from; empty without `review:`.
    pub memories: &'a [(usize, Memory)],
}

/// The file and what it holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Export {
    pub text: String,
    /// Task events (one per task per planned day).
    pub task_events: usize,
    /// Recurring habit events (series): one per fixed-day habit and run.
    pub habit_series: usize,
    /// Period habit events: one per period (on its reservation day, or all
    /// the period long).
    pub habit_periods: usize,
    /// All-day events for ranges of days off.
    pub days_off: usize,
    /// Spaced review events: one per projected review.
    pub review_events: usize,
}

impl Export {
    pub(crate) fn events(&self) -> usize {
        self.task_events + self.habit_series + self.habit_periods + self.days_off + self.review_events
    }
}

/// Builds the iCalendar text.
pub(crate) fn export(input: Input<'_>) -> Export {
    let Input { plan, calendar, work, checkins, schedule, now, options, today, memories } = input;
    let clock = ForecastClock::new(plan, work, schedule);
    let offsets = habit_offsets(plan);
    let stamp = now.format("%Y%m%dT%H%M%SZ").to_string();
    let domain = format!("{}.roadmap", plan.id);
    let mut w = Writer::default();
    w.line("BEGIN:VCALENDAR");
    w.line("VERSION:2.0");
    w.line(&format!("PRODID:-//roadmap//roadmap {}//EN", env!("CARGO_PKG_VERSION")));
    w.line("CALSCALE:GREGORIAN");
    w.line("METHOD:PUBLISH");
    w.text("NAME", &plan.title);
    w.text("X-WR-CALNAME", &plan.title);
    w.line("REFRESH-INTERVAL;VALUE=DURATION:PT12H");
    w.line("X-PUBLISHED-TTL:PT12H");

    let mut days_off = 0;
    for off in &calendar.days_off {
        // Only dates in range are written: a range outside it is left out,
        // and one ending on the last date gets a length instead of an end.
        if !(in_range(off.from) && in_range(off.to)) {
            continue;
        }
        w.line("BEGIN:VEVENT");
        w.line(&format!("UID:off.{}-{}@{domain}", compact(off.from), compact(off.to)));
        w.line(&format!("DTSTAMP:{stamp}"));
        w.line(&format!("DTSTART;VALUE=DATE:{}", compact(off.from)));
        match off.to.succ_opt().filter(|end| in_range(*end)) {
            Some(end) => w.line(&format!("DTEND;VALUE=DATE:{}", compact(end))),
            None => w.line(&format!("DURATION:P{}D", (off.to - off.from).num_days() + 1)),
        }
        let summary = match &off.note {
            Some(note) => format!("Day off: {note}"),
            None => "Day off".to_string(),
        };
        w.text("SUMMARY", &summary);
        w.line("TRANSP:TRANSPARENT");
        w.line("CATEGORIES:roadmap,day off");
        w.line("END:VEVENT");
        days_off += 1;
    }

    let mut habit_series = 0;
    let periods = period_events(plan, calendar, checkins, &clock, schedule);
    // The reservation days, for the task events that follow the habits.
    let reserved: HashSet<(usize, NaiveDate)> =
        periods.iter().filter_map(|e| e.day.map(|day| (e.habit, day))).collect();
    for (h, habit) in plan.habits.iter().enumerate().filter(|(_, h)| !h.every.is_period()) {
        for run in clock.runs(habit, calendar.start) {
            let Some(first) = first_due(&habit.every, calendar.start, run.from, run.until) else {
                continue;
            };
            let timed = !habit.effort.is_zero();
            let at = |date: NaiveDate| date.and_time(options.start_time) + TimeDelta::minutes(i64::from(offsets[h]));
            if timed && !in_range(at(first).date()) {
                // Its first occurrence would fall past the last date handled.
                continue;
            }
            let uid = match run.phase {
                Some(p) if !habit.phases.is_empty() => format!("habit.{}.{}@{domain}", habit.id, plan.phases[p].id),
                _ => format!("habit.{}@{domain}", habit.id),
            };
            w.line("BEGIN:VEVENT");
            w.line(&format!("UID:{uid}"));
            w.line(&format!("DTSTAMP:{stamp}"));
            let Some(mut rule) = rrule(&habit.every) else { continue };
            if timed {
                w.line(&format!("DTSTART:{}", local(at(first))));
                w.line(&format!("DURATION:{}", duration(habit.effort.minutes())));
                if let Some(until) = run.until {
                    let _ = write!(rule, ";UNTIL={}T235959", compact(until));
                }
            } else {
                w.line(&format!("DTSTART;VALUE=DATE:{}", compact(first)));
                w.line("DURATION:P1D");
                if let Some(until) = run.until {
                    let _ = write!(rule, ";UNTIL={}", compact(until));
                }
            }
            w.line(&format!("RRULE:{rule}"));
            for off in &calendar.days_off {
                for date in off.from.iter_days().take_while(|d| *d <= off.to) {
                    let in_run = date >= first && run.until.is_none_or(|u| date <= u);
                    if in_run && habit.every.is_fixed_day(date, calendar.start) {
                        if timed {
                            // An occurrence past the last date handled is not named.
                            if in_range(at(date).date()) {
                                w.line(&format!("EXDATE:{}", local(at(date))));
                            }
                        } else {
                            w.line(&format!("EXDATE;VALUE=DATE:{}", compact(date)));
                        }
                    }
                }
            }
            w.text("SUMMARY", &habit.title);
            w.text("DESCRIPTION", &habit_description(plan, habit, None));
            w.line("CATEGORIES:roadmap,habit");
            w.line("END:VEVENT");
            habit_series += 1;
        }
    }

    for event in &periods {
        let habit = &plan.habits[event.habit];
        let p = event.period;
        w.line("BEGIN:VEVENT");
        w.line(&format!("UID:habit.{}.{}@{domain}", habit.id, compact(p.from)));
        w.line(&format!("DTSTAMP:{stamp}"));
        match event.day {
            Some(day) => {
                let at = day.and_time(options.start_time) + TimeDelta::minutes(i64::from(offsets[event.habit]));
                w.line(&format!("DTSTART:{}", local(at)));
                w.line(&format!("DURATION:{}", duration(habit.effort.minutes())));
            }
            None => {
                w.line(&format!("DTSTART;VALUE=DATE:{}", compact(p.from)));
                w.line(&format!("DTEND;VALUE=DATE:{}", compact(p.to.succ_opt().unwrap_or(p.to))));
                w.line("TRANSP:TRANSPARENT");
            }
        }
        w.text("SUMMARY", &habit.title);
        w.text("DESCRIPTION", &habit_description(plan, habit, Some(p)));
        w.line("CATEGORIES:roadmap,habit");
        w.line("END:VEVENT");
    }
    let habit_periods = periods.len();

    // Reviews come after the day's habits and before its tasks.
    let habits_on = |date: NaiveDate| -> u32 {
        (0..plan.habits.len())
            .filter(|&h| {
                let habit = &plan.habits[h];
                let due = if habit.every.is_period() {
                    reserved.contains(&(h, date))
                } else {
                    clock.habit_due(habit, calendar, date)
                };
                !habit.effort.is_zero() && due
            })
            .map(|h| offsets[h] + plan.habits[h].effort.minutes())
            .max()
            .unwrap_or(0)
    };
    let reviews = review_days(plan, calendar, schedule, memories, today);
    let mut review_minutes: HashMap<NaiveDate, u32> = HashMap::new();
    let review_effort = plan.review.map_or(0, |r| r.effort.minutes());
    for r in &reviews {
        let before = review_minutes.entry(r.date).or_default();
        let at = r.date.and_time(options.start_time) + TimeDelta::minutes(i64::from(habits_on(r.date) + *before));
        *before += review_effort;
        let begin = ends_in_range(at, review_effort);
        let task = &plan.tasks[r.task];
        w.line("BEGIN:VEVENT");
        w.line(&format!("UID:review.{}.{}@{domain}", task.full_id, compact(r.date)));
        w.line(&format!("DTSTAMP:{stamp}"));
        w.line(&format!("DTSTART:{}", local(begin)));
        w.line(&format!("DURATION:{}", duration(review_effort)));
        w.text("SUMMARY", &format!("Review: {}", task.title));
        w.text("DESCRIPTION", &review_description(plan, r.task));
        w.line("CATEGORIES:roadmap,review");
        w.line("END:VEVENT");
    }
    let review_events = reviews.len();

    let mut task_events = 0;
    let mut cursor: Option<(NaiveDate, NaiveDateTime)> = None;
    for d in task_days(plan, work, schedule) {
        let begin = match cursor {
            Some((date, next)) if date == d.date => next,
            _ => {
                let before = habits_on(d.date) + review_minutes.get(&d.date).copied().unwrap_or(0);
                d.date.and_time(options.start_time) + TimeDelta::minutes(i64::from(before))
            }
        };
        let begin = ends_in_range(begin, d.minutes);
        cursor = Some((d.date, begin + TimeDelta::minutes(i64::from(d.minutes))));
        let task = &plan.tasks[d.task];
        w.line("BEGIN:VEVENT");
        w.line(&format!("UID:{}.{}@{domain}", task.full_id, compact(d.date)));
        w.line(&format!("DTSTAMP:{stamp}"));
        w.line(&format!("DTSTART:{}", local(begin)));
        w.line(&format!("DURATION:{}", duration(d.minutes)));
        w.text("SUMMARY", &task.title);
        w.text("DESCRIPTION", &task_description(plan, &d));
        w.line(&format!("CATEGORIES:roadmap,{}", plan.phases[task.phase].id));
        w.line("END:VEVENT");
        task_events += 1;
    }
    w.line("END:VCALENDAR");
    Export { text: w.out, task_events, habit_series, habit_periods, days_off, review_events }
}

/// One projected review: a task's review on a day.
struct ReviewDay {
    date: NaiveDate,
    task: usize,
}

/// How long after the forecast end (or today, if later) reviews are still
/// projected: they go on when the tasks are done.
const REVIEW_TAIL_DAYS: u64 = 56;

/// The reviews the schedule reserves time for (`review::Load`, as in
/// `schedule_reviewed`): the finished tasks' pending reviews and those the
/// scheduled tasks bring when they are finished, each assumed done on the
/// working day it falls due (an overdue one today) and rated Good; through
/// the forecast end (or today) and `REVIEW_TAIL_DAYS` more. By day, then in
/// due order.
fn review_days(
    plan: &Plan,
    calendar: &Calendar,
    schedule: &Schedule,
    memories: &[(usize, Memory)],
    today: NaiveDate,
) -> Vec<ReviewDay> {
    if plan.review.is_none() {
        return Vec::new();
    }
    let mut load = Load::new(plan, memories);
    let from = today.max(calendar.start);
    let mut ends: Vec<(NaiveDate, usize)> = (schedule.tasks.iter().enumerate())
        .filter_map(|(i, slot)| slot.as_ref().filter(|s| !s.done).map(|s| (s.end, i)))
        .collect();
    ends.sort();
    let horizon = schedule.end.unwrap_or(from).max(from).checked_add_days(Days::new(REVIEW_TAIL_DAYS));
    let Some(horizon) = horizon.filter(|h| in_range(*h)) else { return Vec::new() };
    let mut finishing = ends.into_iter().peekable();
    let mut out = Vec::new();
    for date in from.iter_days().take_while(|d| *d <= horizon) {
        if !calendar.is_off(date) && calendar.hours.on(date.weekday()) > 0 {
            out.extend(load.take_tasks(date).into_iter().map(|task| ReviewDay { date, task }));
        }
        while let Some((_, i)) = finishing.next_if(|(end, _)| *end == date) {
            load.finished(i, plan.tasks[i].review, date);
        }
    }
    out
}

fn review_description(plan: &Plan, i: usize) -> String {
    let task = &plan.tasks[i];
    let phase = &plan.phases[task.phase];
    let mut text = format!("{} · {} {}\nSpaced review", task.full_id, phase.id, phase.title);
    if let Some(review) = plan.review {
        let _ = write!(text, ": {} reserved", review.effort);
    }
    if let Some(reminder) = crate::core::review::reminder(task) {
        let _ = write!(text, "\nRecall: {reminder}");
    }
    let _ = write!(text, "\nRecord it: roadmap review {} good", task.full_id);
    text
}

/// One period habit's event: on `day` (timed) or all the period long.
struct PeriodEvent {
    habit: usize,
    period: HabitPeriod,
    day: Option<NaiveDate>,
}

/// The events of the period habits, habit by habit: each period from the
/// calendar start through the one holding the forecast end (at least the
/// first).
fn period_events(
    plan: &Plan,
    calendar: &Calendar,
    checkins: &Checkins,
    clock: &ForecastClock,
    schedule: &Schedule,
) -> Vec<PeriodEvent> {
    let left = reserve::left_after_fixed(plan, calendar.hours);
    let horizon = schedule.end.unwrap_or(calendar.start).max(calendar.start);
    let mut events = Vec::new();
    for (h, habit) in plan.habits.iter().enumerate().filter(|(_, h)| h.every.is_period()) {
        let mut next = habit.every.period_of(calendar.start, calendar.start);
        while let Some(period) = next.filter(|p| p.from <= horizon) {
            if habit.effort.is_zero() {
                if period.dates().any(|d| habit.active_in(clock.phase_on(d))) {
                    events.push(PeriodEvent { habit: h, period, day: None });
                }
            } else if let Some(day) = reserve::reserved_day(calendar, &left, period)
                && habit.active_in(clock.phase_on(day))
                && reserve::met_on(checkins.get(&habit.id), habit.target, period).is_none_or(|met| met > day)
            {
                events.push(PeriodEvent { habit: h, period, day: Some(day) });
            }
            next = habit.every.next_period(period, calendar.start);
        }
    }
    events
}

/// One task's work on one planned day.
struct TaskDay {
    date: NaiveDate,
    task: usize,
    minutes: u32,
    /// 1-based, of `days`.
    day: usize,
    days: usize,
    /// Minutes of the task still to do after this day.
    left_after: u32,
}

/// Every planned task day, by date and then in work order.
fn task_days(plan: &Plan, work: &[Work], schedule: &Schedule) -> Vec<TaskDay> {
    let mut days = Vec::new();
    for (position, i) in work_order(plan, work).into_iter().enumerate() {
        let Some(slot) = schedule.tasks.get(i).and_then(Option::as_ref) else {
            continue;
        };
        let mut left: u32 = slot.days.iter().map(|d| d.1).sum();
        for (n, &(date, minutes)) in slot.days.iter().enumerate() {
            left = left.saturating_sub(minutes);
            if minutes > 0 {
                let day = TaskDay { date, task: i, minutes, day: n + 1, days: slot.days.len(), left_after: left };
                days.push((position, day));
            }
        }
    }
    days.sort_by_key(|(position, d)| (d.date, *position));
    days.into_iter().map(|(_, d)| d).collect()
}

fn task_description(plan: &Plan, d: &TaskDay) -> String {
    let task = &plan.tasks[d.task];
    let phase = &plan.phases[task.phase];
    let module = &plan.modules[task.module];
    let hours = |minutes: u32| crate::core::phrase::hours(i64::from(minutes));
    let mut text = format!("{} · {} {} › {}\n", task.full_id, phase.id, phase.title, module.title);
    let _ = write!(text, "Day {} of {}: {} planned", d.day, d.days, hours(d.minutes));
    if d.left_after > 0 {
        let _ = write!(text, ", {} left after it", hours(d.left_after));
    } else {
        text.push_str(", the last");
    }
    text.push('\n');
    if !task.details().deliverables.is_empty() {
        text.push_str("Deliverables:\n");
        for deliverable in &task.details().deliverables {
            let _ = writeln!(text, "- {}", deliverable.title);
        }
    }
    let _ = write!(text, "When finished: roadmap done {}", task.full_id);
    text
}

fn habit_description(plan: &Plan, habit: &Habit, period: Option<HabitPeriod>) -> String {
    let mut text = format!("Every {}", habit.every);
    match &habit.unit {
        Some(unit) => {
            let _ = write!(text, " · target {} {unit}", habit.target);
        }
        None if habit.target > 1 => {
            let _ = write!(text, " · target {}", habit.target);
        }
        None => {}
    }
    if !habit.effort.is_zero() {
        let _ = write!(text, " · {} reserved", habit.effort);
    }
    if let Some(p) = period {
        let _ = write!(text, "\nDue once from {} to {}: a check-in on any of its days counts", p.from, p.to);
    }
    if !habit.phases.is_empty() {
        let ids: Vec<&str> = habit.phases.iter().map(|&p| plan.phases[p].id.as_str()).collect();
        let _ = write!(text, "\nActive in {}", ids.join(", "));
    }
    let _ = write!(text, "\nCheck in: roadmap done {}", habit.id);
    text
}

/// Minutes after the start time at which each habit begins: habits with
/// reserved hours are stacked in plan order.
fn habit_offsets(plan: &Plan) -> Vec<u32> {
    let mut offset = 0;
    plan.habits
        .iter()
        .map(|h| {
            let at = offset;
            offset += h.effort.minutes();
            at
        })
        .collect()
}

/// Which phase is current on a day, as forecast: a phase with open work is
/// current until its forecast end; a finished one until its last done day.
struct ForecastClock {
    /// Per phase: the last day it is current.
    ends: Vec<NaiveDate>,
}

/// A stretch of days on which a habit is active.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Run {
    from: NaiveDate,
    /// `None`: active from then on.
    until: Option<NaiveDate>,
    /// The phase current when the run begins.
    phase: Option<usize>,
}

impl ForecastClock {
    fn new(plan: &Plan, work: &[Work], schedule: &Schedule) -> ForecastClock {
        let ends = plan
            .phases
            .iter()
            .enumerate()
            .map(|(p, phase)| {
                let open = work[phase.tasks.clone()].iter().any(|w| matches!(w, Work::Open { .. }));
                if open {
                    return schedule.phases[p].map_or(NaiveDate::MAX, |s| s.last);
                }
                work[phase.tasks.clone()]
                    .iter()
                    .filter_map(|w| match w {
                        Work::Done { on, .. } => Some(*on),
                        _ => None,
                    })
                    .max()
                    .unwrap_or(NaiveDate::MIN)
            })
            .collect();
        ForecastClock { ends }
    }

    fn phase_on(&self, date: NaiveDate) -> Option<usize> {
        self.ends.iter().position(|&end| end >= date).or(self.ends.len().checked_sub(1))
    }

    /// Whether a fixed-day habit takes its hours on `date`.
    fn habit_due(&self, habit: &Habit, calendar: &Calendar, date: NaiveDate) -> bool {
        habit.every.is_fixed_day(date, calendar.start) && habit.active_in(self.phase_on(date)) && !calendar.is_off(date)
    }

    /// The runs of days from `start` on which `habit` is active.
    fn runs(&self, habit: &Habit, start: NaiveDate) -> Vec<Run> {
        if habit.phases.is_empty() {
            return vec![Run { from: start, until: None, phase: self.phase_on(start) }];
        }
        // After the last finite phase end the last phase stays current.
        let horizon = self.ends.iter().copied().filter(|&e| e != NaiveDate::MAX).max().unwrap_or(start).max(start);
        let mut runs = Vec::new();
        let mut open: Option<Run> = None;
        let mut date = start;
        loop {
            let active = habit.active_in(self.phase_on(date));
            match (&mut open, active) {
                (None, true) => open = Some(Run { from: date, until: None, phase: self.phase_on(date) }),
                (Some(run), false) => {
                    run.until = date.pred_opt();
                    runs.push(*run);
                    open = None;
                }
                _ => {}
            }
            if date > horizon {
                break;
            }
            let Some(next) = date.succ_opt() else { break };
            date = next;
        }
        runs.extend(open);
        runs
    }
}

/// `begin`, or earlier when an event of `minutes` from `begin` would end
/// past the last date handled (work planned on 9999-12-31 late in the
/// evening): every date written stays in range.
fn ends_in_range(begin: NaiveDateTime, minutes: u32) -> NaiveDateTime {
    let last_midnight = LATEST.and_time(NaiveTime::MIN);
    let limit = last_midnight + TimeDelta::days(1);
    let length = TimeDelta::minutes(i64::from(minutes));
    if begin + length > limit { (limit - length).max(last_midnight) } else { begin }
}

/// The first day from `from` (up to `until`, and the last date handled) on
/// which a fixed-day `cadence` is due.
fn first_due(cadence: &Cadence, anchor: NaiveDate, from: NaiveDate, until: Option<NaiveDate>) -> Option<NaiveDate> {
    from.iter_days()
        .take(MAX_SEARCH_DAYS as usize)
        .take_while(|d| until.is_none_or(|u| *d <= u) && *d <= LATEST)
        .find(|d| cadence.is_fixed_day(*d, anchor))
}

/// The RRULE value (without UNTIL) that repeats a fixed-day `cadence` from
/// a due day; `None` for a period cadence (one event per period instead).
pub(crate) fn rrule(cadence: &Cadence) -> Option<String> {
    const DAYS: [&str; 7] = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"];
    let rule = match cadence.rule {
        Rule::Daily => "FREQ=DAILY".to_string(),
        Rule::Weekdays => "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR".to_string(),
        Rule::Weekends => "FREQ=WEEKLY;BYDAY=SA,SU".to_string(),
        Rule::On(mask) => {
            let days: Vec<&str> = (0..7).filter(|b| mask & (1 << b) != 0).map(|b| DAYS[b]).collect();
            format!("FREQ=WEEKLY;BYDAY={}", days.join(","))
        }
        Rule::EveryDays(_) | Rule::EveryWeeks(_) | Rule::EveryMonths(_) => return None,
    };
    Some(rule)
}

/// `20270104`
fn compact(date: NaiveDate) -> String {
    date.format("%Y%m%d").to_string()
}

/// `20270104T190000`: a floating local date-time.
fn local(at: NaiveDateTime) -> String {
    at.format("%Y%m%dT%H%M%S").to_string()
}

/// `PT1H30M`, `PT45M`, `PT2H`.
pub(crate) fn duration(minutes: u32) -> String {
    match (minutes / 60, minutes % 60) {
        (0, m) => format!("PT{m}M"),
        (h, 0) => format!("PT{h}H"),
        (h, m) => format!("PT{h}H{m}M"),
    }
}

/// Escapes a TEXT value: backslash, semicolon, comma and line breaks; other
/// control characters (which the format forbids) are dropped.
pub(crate) fn escape_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push_str("\\n");
            }
            '\n' => out.push_str("\\n"),
            '\t' => out.push('\t'),
            c if c.is_control() || c == crate::core::visible::MARK => {}
            c => out.push(c),
        }
    }
    out
}

/// Appends one content line, folded so that no line passes 75 octets (a
/// continuation line's leading space included) and no UTF-8 character is
/// split, ending in CRLF.
pub(crate) fn fold_into(line: &str, out: &mut String) {
    let mut octets = 0;
    for c in line.chars() {
        let len = c.len_utf8();
        if octets + len > MAX_OCTETS {
            out.push_str("\r\n ");
            octets = 1;
        }
        out.push(c);
        octets += len;
    }
    out.push_str("\r\n");
}

#[derive(Default)]
struct Writer {
    out: String,
}

impl Writer {
    fn line(&mut self, line: &str) {
        fold_into(line, &mut self.out);
    }

    fn text(&mut self, name: &str, value: &str) {
        self.line(&format!("{name}:{}", escape_text(value)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Days;

    pub(super) fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn folded(line: &str) -> String {
        let mut out = String::new();
        fold_into(line, &mut out);
        out
    }

    pub(super) fn unfold(text: &str) -> String {
        text.replace("\r\n ", "")
    }

    #[test]
    fn short_lines_are_not_folded_and_end_in_crlf() {
        assert_eq!(folded("VERSION:2.0"), "VERSION:2.0\r\n");
        let exact = "X".repeat(75);
        assert_eq!(folded(&exact), format!("{exact}\r\n"));
    }

    #[test]
    fn long_lines_fold_at_75_octets() {
        let line = format!("SUMMARY:{}", "a".repeat(200));
        let out = folded(&line);
        let lines: Vec<&str> = out.split("\r\n").filter(|l| !l.is_empty()).collect();
        assert_eq!(lines[0].len(), 75);
        for l in &lines[1..] {
            assert!(l.starts_with(' '), "{l:?}");
            assert!(l.len() <= 75, "{l:?}");
        }
        assert_eq!(lines[1].len(), 75);
        assert_eq!(unfold(&out), format!("{line}\r\n"));
    }

    #[test]
    fn folding_never_splits_a_character() {
        // 3-octet CJK characters and a 4-octet emoji after an odd prefix.
        for prefix in ["S:", "SU:", "SUM:"] {
            let line = format!("{prefix}{}", "大模型学习路线😀".repeat(20));
            let out = folded(&line);
            for physical in out.split("\r\n").filter(|l| !l.is_empty()) {
                assert!(physical.len() <= 75, "{} octets: {physical:?}", physical.len());
            }
            // Every piece is valid UTF-8 by construction (it is a &str);
            // unfolding gives the line back.
            assert_eq!(unfold(&out), format!("{line}\r\n"));
        }
    }

    #[test]
    fn escapes_text() {
        assert_eq!(escape_text(r"a\b"), r"a\\b");
        assert_eq!(escape_text("a;b,c"), r"a\;b\,c");
        assert_eq!(escape_text("one\ntwo\r\nthree\rfour"), r"one\ntwo\nthree\nfour");
        assert_eq!(escape_text("bell\u{7}gone"), "bellgone");
        assert_eq!(escape_text("春节: 休息"), "春节: 休息");
    }

    #[test]
    fn text_values_carry_no_control_character() {
        let hostile = "a \x1b[2J\x1b]0;t\x07 \x1b]8;;http://x\x1b\\l b\x08\x7f c\u{9b}2J\u{85} d\0\u{E0001}";
        assert_eq!(escape_text(hostile), r"a [2J]0\;t ]8\;\;http://x\\l b c2J d");
        let mut out = String::new();
        fold_into(&format!("SUMMARY:{}", escape_text(&hostile.repeat(8))), &mut out);
        assert!(out.chars().all(|c| !c.is_control() || c == '\r' || c == '\n'), "{out:?}");
    }

    #[test]
    fn durations() {
        assert_eq!(duration(90), "PT1H30M");
        assert_eq!(duration(45), "PT45M");
        assert_eq!(duration(120), "PT2H");
        assert_eq!(duration(0), "PT0M");
    }

    fn rule(every: &str) -> Option<String> {
        rrule(&Cadence::parse(every).unwrap())
    }

    #[test]
    fn rrules_for_fixed_day_cadences_and_none_for_periods() {
        assert_eq!(rule("day").as_deref(), Some("FREQ=DAILY"));
        assert_eq!(rule("weekdays").as_deref(), Some("FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"));
        assert_eq!(rule("weekend").as_deref(), Some("FREQ=WEEKLY;BYDAY=SA,SU"));
        assert_eq!(rule("mon,thu").as_deref(), Some("FREQ=WEEKLY;BYDAY=MO,TH"));
        for every in ["1 day", "3 days", "week", "2 weeks", "month", "6 months"] {
            assert_eq!(rule(every), None, "{every}");
        }
    }

    /// The occurrences an independent RRULE engine computes from the first
    /// due day match `Cadence::is_fixed_day` day for day over four years.
    #[test]
    fn rrules_expand_to_the_due_days() {
        let cadences = ["day", "weekdays", "weekend", "mon,thu", "sun", "sat,sun,wed"];
        let anchors = [
            "2027-01-04",
            "2027-01-09",
            "2027-01-28",
            "2027-01-29",
            "2027-01-30",
            "2027-01-31",
            "2027-08-31",
            "2028-02-29",
        ];
        for every in cadences {
            for anchor in anchors {
                let cadence = Cadence::parse(every).unwrap();
                let anchor = d(anchor);
                let end = anchor + Days::new(4 * 366);
                let first = first_due(&cadence, anchor, anchor, None).unwrap();
                let expected: Vec<NaiveDate> = first
                    .iter_days()
                    .take_while(|day| *day <= end)
                    .filter(|day| cadence.is_fixed_day(*day, anchor))
                    .collect();
                let text = format!(
                    "DTSTART:{}T190000Z\nRRULE:{};UNTIL={}T235959Z",
                    compact(first),
                    rrule(&cadence).unwrap(),
                    compact(end)
                );
                let set: rrule::RRuleSet = text.parse().unwrap_or_else(|e| panic!("{text}: {e}"));
                let got: Vec<NaiveDate> = set.all(10_000).dates.iter().map(|dt| dt.date_naive()).collect();
                assert_eq!(got, expected, "{every} from {anchor}: {text}");
            }
        }
    }

    const PERIOD_PLAN: &str = "
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
  - {id: paper, title: Paper, every: mon, effort: 1h}
  - {id: blog, title: Blog, every: 2 weeks, effort: 2h}
  - {id: note, title: Note, every: week}
";

    /// The VEVENT blocks of `text`, unfolded, one string each.
    fn events(text: &str) -> Vec<String> {
        unfold(text)
            .split("BEGIN:VEVENT\r\n")
            .skip(1)
            .map(|e| e.split("END:VEVENT").next().unwrap_or("").to_string())
            .collect()
    }

    #[test]
    fn a_period_habit_is_one_event_per_period_on_its_reservation_day() {
        use crate::core::calendar::{Calendar, WeekHours};
        use crate::core::outlook::Outlook;
        let plan = crate::core::testkit::plan(PERIOD_PLAN);
        // Tue 2027-01-05; after paper, Mondays keep 1h, Tue–Fri 2h, the
        // weekend 4h: the blog's first fortnight (01-05..01-18) reserves Sat
        // 01-09. The task: Tue–Fri 8h, Sat 2h, Sun 1h: the forecast ends
        // Sun 01-10, in the first fortnight and the first week.
        let calendar = Calendar::new(d("2027-01-05"), WeekHours::DEFAULT);
        let work = vec![Work::Open { remaining: plan.tasks[0].effort, first: None }];
        let outlook = Outlook::with_calendar(&plan, &calendar, work, d("2027-01-05")).unwrap();
        assert_eq!(outlook.schedule.end, Some(d("2027-01-10")));
        let none = Checkins::default();
        let input = Input {
            plan: &plan,
            calendar: &calendar,
            work: &outlook.work,
            checkins: &none,
            schedule: &outlook.schedule,
            now: DateTime::UNIX_EPOCH,
            options: Options::default(),
            today: d("2027-01-05"),
            memories: &[],
        };
        let export = export(input);
        assert_eq!((export.habit_series, export.habit_periods, export.task_events), (1, 2, 6));
        let all = events(&export.text);
        let find = |uid: &str| all.iter().find(|e| e.contains(&format!("UID:{uid}\r\n"))).cloned().unwrap_or_default();
        // Stacked after paper's hour: 20:00 to 22:00, no weekday rule.
        let blog = find("habit.blog.20270105@s.roadmap");
        assert!(blog.contains("DTSTART:20270109T200000\r\nDURATION:PT2H\r\n"), "{blog}");
        assert!(!blog.contains("RRULE"), "{blog}");
        assert!(blog.contains("Due once from 2027-01-05 to 2027-01-18"), "{blog}");
        // Without hours, an all-period reminder: Tue 01-05 to Mon 01-11.
        let note = find("habit.note.20270105@s.roadmap");
        assert!(note.contains("DTSTART;VALUE=DATE:20270105\r\nDTEND;VALUE=DATE:20270112\r\n"), "{note}");
        // The fixed-day habit keeps its series.
        assert!(find("habit.paper@s.roadmap").contains("RRULE:FREQ=WEEKLY;BYDAY=MO"));
        // Saturday's task hours begin after the blog's: 22:00.
        assert!(find("p1.m.a.20270109@s.roadmap").contains("DTSTART:20270109T220000\r\nDURATION:PT2H\r\n"));
        // Friday has no habit: 19:00.
        assert!(find("p1.m.a.20270108@s.roadmap").contains("DTSTART:20270108T190000\r\n"));

        // Blogged on Wednesday: the fortnight is met, Saturday's hours are
        // the tasks' from 19:00, and the blog has no event left.
        let mut blogged = Checkins::default();
        blogged.entry("blog".to_string()).or_default().insert(d("2027-01-06"), 1);
        let work = vec![Work::Open { remaining: plan.tasks[0].effort, first: None }];
        let outlook = Outlook::checked_in(&plan, &calendar, &blogged, work, d("2027-01-06")).unwrap();
        let export =
            super::export(Input { checkins: &blogged, work: &outlook.work, schedule: &outlook.schedule, ..input });
        assert_eq!(export.habit_periods, 1);
        let all = events(&export.text);
        assert!(!all.iter().any(|e| e.contains("UID:habit.blog.")));
        let saturday = all.iter().find(|e| e.contains("UID:p1.m.a.20270109@")).cloned().unwrap_or_default();
        assert!(saturday.contains("DTSTART:20270109T190000\r\n"), "{saturday}");
    }
}

/// Dates in the export stay within the range roadmap handles.
#[cfg(test)]
mod date_tests {
    use super::tests::{d, unfold};
    use super::*;

    /// The date part of every DTSTART, DTEND, EXDATE and UNTIL value.
    fn written_dates(text: &str) -> Vec<String> {
        let unfolded = unfold(text);
        let mut out = Vec::new();
        for line in unfolded.lines() {
            let Some((name, value)) = line.split_once(':') else { continue };
            let name = name.split(';').next().unwrap_or(name);
            if ["DTSTART", "DTEND", "EXDATE"].contains(&name) {
                out.push(value.to_string());
            }
            if let Some(until) = value.split(';').find_map(|part| part.strip_prefix("UNTIL=")) {
                out.push(until.to_string());
            }
        }
        out
    }

    /// The export of a one-task plan with a daily 30m habit, starting on
    /// `start` at 3h a day, with `off` as days off, events from `time`.
    fn late_export(start: &str, off: Option<(&str, &str)>, time: (u32, u32)) -> String {
        use crate::core::calendar::{DayOff, WeekHours};
        use crate::core::outlook::Outlook;
        use crate::core::testkit::{plan, progress};
        let plan = plan(
            "
format: 1
id: late
title: Late
phases:
  - id: p
    title: P
    modules:
      - id: m
        title: M
        tasks:
          - {id: a, title: A, effort: 90m}
habits:
  - {id: h, title: H, every: day, effort: 30m}
",
        );
        let mut progress = progress(start, WeekHours::parse("all=3").unwrap(), Default::default(), vec![]);
        if let Some((from, to)) = off {
            progress.calendar.add_off(DayOff { from: d(from), to: d(to), note: None });
        }
        let outlook = Outlook::new(&plan, &progress, d(start)).unwrap();
        let text = export(Input {
            plan: &plan,
            calendar: &progress.calendar,
            work: &outlook.work,
            schedule: &outlook.schedule,
            checkins: &progress.checkins,
            now: DateTime::UNIX_EPOCH,
            options: Options { start_time: NaiveTime::from_hms_opt(time.0, time.1, 0).unwrap() },
            today: d(start),
            memories: &[],
        })
        .text;
        for value in written_dates(&text) {
            let date = value.get(..8).and_then(|v| NaiveDate::parse_from_str(v, "%Y%m%d").ok());
            let rest = value.get(8..).unwrap_or("?");
            let time_ok = rest.is_empty()
                || (rest.len() == 7 && rest.starts_with('T'))
                || (rest.len() == 8 && rest.starts_with('T') && rest.ends_with('Z'));
            assert!(date.is_some_and(in_range) && time_ok, "{value} in\n{text}");
        }
        text
    }

    #[test]
    fn days_off_up_to_the_last_date_have_a_length() {
        let text = late_export("9999-12-20", Some(("9999-12-30", "9999-12-31")), (19, 0));
        assert!(text.contains("DTSTART;VALUE=DATE:99991230\r\nDURATION:P2D\r\n"), "{text}");
        // The habit's occurrences on those days are excluded, in range.
        assert!(text.contains("EXDATE:99991231T190000"), "{text}");
    }

    #[test]
    fn work_on_the_last_date_ends_by_its_midnight() {
        let begin = d("9999-12-31").and_hms_opt(23, 30, 0).unwrap();
        assert_eq!(ends_in_range(begin, 90), d("9999-12-31").and_hms_opt(22, 30, 0).unwrap());
        assert_eq!(ends_in_range(begin, 30), begin);
        assert_eq!(ends_in_range(begin, 24 * 60 + 5), d("9999-12-31").and_hms_opt(0, 0, 0).unwrap());
        let earlier = d("9999-12-30").and_hms_opt(23, 30, 0).unwrap();
        assert_eq!(ends_in_range(earlier, 90), earlier);
    }

    #[test]
    fn work_on_the_last_date_is_written_on_it() {
        // Fri 9999-12-31 from 23:45: the habit 23:45-00:15, the task's 90m
        // would start 00:15 in the year 10000; it is moved to 22:30 so that
        // it ends by the last midnight.
        let text = late_export("9999-12-31", None, (23, 45));
        assert!(text.contains("DTSTART:99991231T234500\r\nDURATION:PT30M"), "{text}");
        assert!(text.contains("DTSTART:99991231T223000\r\nDURATION:PT1H30M"), "{text}");
    }
}
