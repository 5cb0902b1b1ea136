//! Forecasts beside the schedule's own: the remaining work re-scheduled
//! under other weekday hours (a what-if that changes nothing), and the plan
//! end at the pace actually kept. Pure; today is an argument.

use crate::core::calendar::WeekHours;
use crate::core::effort::Effort;
use crate::core::outlook::{Outlook, slip};
use crate::core::plan::Plan;
use crate::core::progress::Progress;
use crate::core::schedule::{ScheduleError, Verdict};
use crate::core::window::Fit;
use chrono::{Days, NaiveDate};
use serde::Serialize;

/// A phase's span against its `duration` window, as data.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub(crate) struct WindowVerdict {
    /// The window as the plan wrote it (`2-3个月`).
    pub window: String,
    /// `fits`, `ahead` or `over`; `null` while the phase has no span.
    pub verdict: Option<&'static str>,
    /// Days ahead of the window's low end, or over its high end.
    pub days: Option<i64>,
    /// When over: the smallest weekly hours (minutes, a multiple of 30) that
    /// end the phase inside its window; `null` when none up to 168 h do.
    pub weekly_minutes_to_fit: Option<u32>,
}

impl WindowVerdict {
    /// The verdict of phase `p`, or `None` when the phase has no window.
    pub(crate) fn of(plan: &Plan, p: usize, verdict: Option<&Verdict>) -> Option<WindowVerdict> {
        let window = plan.phases[p].duration.as_ref()?;
        let (name, days) = match verdict.map(|v| v.fit) {
            None => (None, None),
            Some(Fit::Fits) => (Some("fits"), None),
            Some(Fit::Ahead { days }) => (Some("ahead"), Some(days)),
            Some(Fit::Over { days }) => (Some("over"), Some(days)),
        };
        Some(WindowVerdict {
            window: window.text.clone(),
            verdict: name,
            days,
            weekly_minutes_to_fit: verdict.and_then(|v| v.weekly_to_fit),
        })
    }

    /// Back to the scheduler's verdict, for phrasing.
    pub(crate) fn as_verdict(&self) -> Option<Verdict> {
        let fit = match (self.verdict?, self.days) {
            ("ahead", Some(days)) => Fit::Ahead { days },
            ("over", Some(days)) => Fit::Over { days },
            _ => Fit::Fits,
        };
        Some(Verdict { fit, weekly_to_fit: self.weekly_minutes_to_fit })
    }
}

/// One phase now and under the other hours.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub(crate) struct PhaseWhatIf {
    pub id: String,
    pub title: String,
    pub end_now: Option<NaiveDate>,
    pub end_what_if: Option<NaiveDate>,
    /// `end_what_if - end_now` in days (negative: sooner).
    pub change_days: Option<i64>,
    pub baseline_end: Option<NaiveDate>,
    pub window_now: Option<WindowVerdict>,
    pub window_what_if: Option<WindowVerdict>,
}

/// The plan now and under other weekday hours.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub(crate) struct WhatIf {
    pub today: NaiveDate,
    pub hours_now: WeekHours,
    pub hours_what_if: WeekHours,
    pub weekly_minutes_now: Effort,
    pub weekly_minutes_what_if: Effort,
    pub end_now: Option<NaiveDate>,
    pub end_what_if: Option<NaiveDate>,
    pub change_days: Option<i64>,
    pub baseline_end: Option<NaiveDate>,
    /// Phases with work in the schedule.
    pub phases: Vec<PhaseWhatIf>,
}

/// Re-schedules the remaining work with `hours` (days off, progress and
/// tracks unchanged) and sets it beside `now`, today's outlook.
pub(crate) fn what_if(
    plan: &Plan,
    progress: &Progress,
    now: &Outlook,
    hours: WeekHours,
    today: NaiveDate,
) -> Result<WhatIf, ScheduleError> {
    let mut calendar = progress.calendar.clone();
    calendar.hours = hours;
    let spent = progress.logged_on(today);
    let memories = crate::core::review::memories(plan, progress);
    let then =
        Outlook::build_reviewed(plan, &calendar, &progress.checkins, progress.work(plan), today, spent, &memories)?;
    let phases = plan
        .phases
        .iter()
        .enumerate()
        .filter(|(p, _)| now.schedule.phases[*p].is_some() || then.schedule.phases[*p].is_some())
        .map(|(p, phase)| {
            let end_now = now.schedule.phases[p].map(|s| s.last);
            let end_what_if = then.schedule.phases[p].map(|s| s.last);
            PhaseWhatIf {
                id: phase.id.clone(),
                title: phase.title.clone(),
                end_now,
                end_what_if,
                change_days: slip(end_what_if, end_now),
                baseline_end: progress.baseline.phases.get(&phase.id).map(|b| b[1]),
                window_now: WindowVerdict::of(plan, p, now.verdict(plan, p).as_ref()),
                window_what_if: WindowVerdict::of(plan, p, then.verdict(plan, p).as_ref()),
            }
        })
        .collect();
    Ok(WhatIf {
        today,
        hours_now: progress.calendar.hours,
        hours_what_if: hours,
        weekly_minutes_now: progress.calendar.hours.weekly(),
        weekly_minutes_what_if: hours.weekly(),
        end_now: now.schedule.end,
        end_what_if: then.schedule.end,
        change_days: slip(then.schedule.end, now.schedule.end),
        baseline_end: progress.baseline.end,
        phases,
    })
}

/// `hours` with every day scaled by one factor so the week totals about
/// `weekly` (each day rounded down to the minute, as the contract scales);
/// `None` when `hours` has no hours to scale.
pub(crate) fn scaled_to(hours: WeekHours, weekly: Effort) -> Option<WeekHours> {
    let base = hours.weekly().minutes();
    (base > 0).then(|| hours.scaled_ratio(weekly.minutes(), base))
}

/// The day `remaining` effort is done at `weekly` effort per week, counted
/// in calendar days from `from` (day 1): ⌈remaining × 7 ÷ weekly⌉ days.
/// `None` when nothing remains, there is no pace to go by, or the day would
/// fall past the last date handled (9999-12-31).
pub(crate) fn end_at_pace(remaining: Effort, weekly: Effort, from: NaiveDate) -> Option<NaiveDate> {
    if remaining.is_zero() || weekly.is_zero() {
        return None;
    }
    let days = (u64::from(remaining.minutes()) * 7).div_ceil(u64::from(weekly.minutes()));
    from.checked_add_days(Days::new(days - 1)).filter(|end| *end <= crate::core::dates::LATEST)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::testkit::{d, done, plan, progress};

    /// Two phases, no habits: p1 = a 4h + b 6h (window 1-2 weeks), p2 = c 10h
    /// (window 3 days).
    const PLAN: &str = "
format: 1
id: two
title: Two phases
phases:
  - id: p1
    title: Basics
    duration: 1-2 weeks
    modules:
      - id: m
        title: M
        tasks:
          - {id: a, title: A, effort: 4h}
          - {id: b, title: B, effort: 6h}
  - id: p2
    title: Deeper
    duration: 3 days
    modules:
      - id: m
        title: M
        tasks:
          - {id: c, title: C, effort: 10h}
";

    #[test]
    fn doubling_the_hours_gives_the_hand_computed_ends() {
        let plan = plan(PLAN);
        // Mon-Fri 2h, weekends free: 10 h/week, from Mon 2027-01-04.
        let hours = WeekHours::parse("mon-fri=2").unwrap();
        let progress = progress("2027-01-04", hours, Default::default(), vec![]);
        let today = d("2027-01-04");
        let now = Outlook::new(&plan, &progress, today).unwrap();
        let doubled = scaled_to(hours, Effort::from_hours(20)).unwrap();
        assert_eq!(doubled, WeekHours::parse("mon-fri=4").unwrap());
        let w = what_if(&plan, &progress, &now, doubled, today).unwrap();
        // Now, 2h a weekday: a Mon+Tue (4h); b Wed–Fri (6h), p1 ends Fri
        // 01-08; c the next Mon–Fri (10h), ends Fri 01-15.
        // At 4h: a Mon; b Tue 4h + Wed 2h, p1 ends Wed 01-06; c Wed 2h +
        // Thu 4h + Fri 4h, ends Fri 01-08: a week sooner.
        let ends: Vec<_> = w.phases.iter().map(|p| (p.end_now, p.end_what_if, p.change_days)).collect();
        assert_eq!(
            ends,
            vec![
                (Some(d("2027-01-08")), Some(d("2027-01-06")), Some(-2)),
                (Some(d("2027-01-15")), Some(d("2027-01-08")), Some(-7)),
            ]
        );
        assert_eq!((w.end_now, w.end_what_if, w.change_days), (Some(d("2027-01-15")), Some(d("2027-01-08")), Some(-7)));
        assert_eq!(w.weekly_minutes_what_if, Effort::from_hours(20));
        // p1 (5 days, then 3) ends before its 1-week low end (Sun 01-10).
        let p1 = (&w.phases[0].window_now, &w.phases[0].window_what_if);
        assert_eq!(p1.0.as_ref().map(|v| (v.verdict, v.days)), Some((Some("ahead"), Some(2))));
        assert_eq!(p1.1.as_ref().map(|v| (v.verdict, v.days)), Some((Some("ahead"), Some(4))));
        // p2 spans Mon 01-11..Fri 01-15, 2 days over 3 days. To fit, 10h must
        // be done Mon–Wed: each weekday gets ⌊120 × W/600⌋ = ⌊W/5⌋ minutes,
        // 3 × ⌊W/5⌋ ≥ 600 needs W ≥ 1000, so 1020 minutes (17h) in 30m steps.
        let p2 = w.phases[1].window_now.clone().unwrap();
        assert_eq!((p2.verdict, p2.days, p2.weekly_minutes_to_fit), (Some("over"), Some(2), Some(1020)));
        // At 4h a weekday p2 spans Wed–Fri: exactly 3 days.
        let p2 = w.phases[1].window_what_if.clone().unwrap();
        assert_eq!((p2.verdict, p2.days), (Some("fits"), None));
        assert_eq!(p2.as_verdict().map(|v| v.fit), Some(Fit::Fits));
    }

    #[test]
    fn done_work_stays_put_and_only_the_rest_moves() {
        let plan = plan(PLAN);
        let hours = WeekHours::parse("mon-fri=2").unwrap();
        let progress = progress("2027-01-04", hours, Default::default(), vec![done("p1.m.a", "2027-01-05")]);
        let today = d("2027-01-06");
        let now = Outlook::new(&plan, &progress, today).unwrap();
        // Weekends only, 5h each: b Sat 01-09 5h + Sun 1h; c Sun 4h, Sat 5h, Sun 1h.
        let w = what_if(&plan, &progress, &now, WeekHours::parse("sat-sun=5").unwrap(), today).unwrap();
        assert_eq!(w.phases[0].end_what_if, Some(d("2027-01-10")));
        assert_eq!(w.end_what_if, Some(d("2027-01-17")));
        assert_eq!(w.end_now, Some(d("2027-01-15")));
        assert_eq!(w.change_days, Some(2));
    }

    #[test]
    fn the_end_at_a_pace() {
        let from = d("2027-01-04");
        // 20h at 10 h/week: 14 days, Mon 01-04 to Sun 01-17.
        assert_eq!(end_at_pace(Effort::from_hours(20), Effort::from_hours(10), from), Some(d("2027-01-17")));
        // 1h at 10 h/week: ⌈0.7⌉ = 1 day, today.
        assert_eq!(end_at_pace(Effort::from_hours(1), Effort::from_hours(10), from), Some(from));
        assert_eq!(end_at_pace(Effort::ZERO, Effort::from_hours(10), from), None);
        assert_eq!(end_at_pace(Effort::from_hours(1), Effort::ZERO, from), None);
        // 1h a week for 20h from 9999-12-01: 140 days, past the last date.
        assert_eq!(end_at_pace(Effort::from_hours(20), Effort::from_hours(1), d("9999-12-01")), None);
        assert_eq!(end_at_pace(Effort::from_hours(1), Effort::from_hours(7), d("9999-12-31")), Some(d("9999-12-31")));
    }
}
