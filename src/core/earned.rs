//! Effort earned, day by day. Effort is what the plan is made of, so a day's
//! output is counted in estimated hours, not in tasks:
//!
//! - hours logged on a task earn on the day they were logged, never more in
//!   total than the task's estimate;
//! - a task done on day D earns on D what its estimate still lacks after the
//!   hours logged on it up to D, so logged hours and the completion never
//!   count twice: a done task earns exactly its estimate, all told;
//! - hours logged after the completion day earn nothing more;
//! - skipped tasks and tasks of unselected tracks earn nothing.
//!
//! Summed over all days, a task's earnings equal `Progress::earned`.

use crate::core::effort::Effort;
use crate::core::plan::Plan;
use crate::core::progress::{Places, Progress};
use crate::core::schedule::Work;
use chrono::{Datelike, NaiveDate};
use std::collections::BTreeMap;

/// Effort one task earned on one day.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Earning {
    /// Index into `Plan::tasks`.
    pub task: usize,
    pub on: NaiveDate,
    pub effort: Effort,
}

/// Every task's earnings, by task in plan order, then by day.
/// Each task's progress is found at its `places` (`Progress::places`).
pub(crate) fn earnings(plan: &Plan, progress: &Progress, work: &[Work], places: &Places) -> Vec<Earning> {
    let mut all = Vec::new();
    // One buffer for every task's logs. Days as numbers (`Logs::numbered`)
    // until the earnings are made: only the days that earned are turned
    // into dates.
    let mut logs: Vec<(i32, u32)> = Vec::new();
    for (i, task) in plan.tasks.iter().enumerate() {
        let done_on = match work.get(i) {
            Some(Work::Done { on, .. }) => Some(on.num_days_from_ce()),
            // Never worked: no logs, nothing earned (and no lookup).
            Some(Work::Open { first: None, .. }) => continue,
            Some(Work::Open { .. }) => None,
            _ => continue,
        };
        logs.clear();
        if let Some(p) = progress.at(plan, places, i) {
            logs.extend(p.logs.numbered());
        }
        // By day, a day's logs in the order logged (a log `--on` an
        // earlier day comes after later ones in the logs).
        logs.sort_by_key(|l| l.0);
        // Sorted, a day's logs are together: the day being summed is
        // pushed when the next one starts. The completion day is on or
        // after every log counted, so it adds to the last day or follows it.
        let mut day: Option<(i32, Effort)> = None;
        let mut add = |all: &mut Vec<Earning>, on: i32, earned: Effort| match &mut day {
            Some((d, effort)) if *d == on => *effort += earned,
            _ => {
                if let Some((d, effort)) = day.replace((on, earned)) {
                    push(all, i, d, effort);
                }
            }
        };
        let mut left = task.effort;
        for &(on, minutes) in &logs {
            if done_on.is_some_and(|done| on > done) {
                break;
            }
            let earned = Effort::from_minutes(minutes).min(left);
            left = left.saturating_sub(earned);
            add(&mut all, on, earned);
        }
        if let Some(done) = done_on {
            add(&mut all, done, left);
        }
        if let Some((d, effort)) = day {
            push(&mut all, i, d, effort);
        }
    }
    all
}

/// Task `task`'s earning of `effort` on day number `on`, unless it is none.
fn push(all: &mut Vec<Earning>, task: usize, on: i32, effort: Effort) {
    if let Some(on) = crate::core::state::day::memo_date(on).filter(|_| !effort.is_zero()) {
        all.push(Earning { task, on, effort });
    }
}

/// Effort earned over `from..=to`.
pub(crate) fn between(earnings: &[Earning], from: NaiveDate, to: NaiveDate) -> Effort {
    earnings.iter().filter(|e| from <= e.on && e.on <= to).map(|e| e.effort).sum()
}

/// Effort earned on each day that earned any.
pub(crate) fn by_day(earnings: &[Earning]) -> BTreeMap<NaiveDate, Effort> {
    let mut days: BTreeMap<NaiveDate, Effort> = BTreeMap::new();
    for e in earnings {
        *days.entry(e.on).or_default() += e.effort;
    }
    days
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::calendar::WeekHours;
    use crate::core::testkit::{d, done, logged, plan, progress, skipped};

    const PLAN: &str = "
format: 1
id: tiny
title: Tiny
phases:
  - id: p1
    title: One
    modules:
      - id: m
        title: M
        tasks:
          - {id: a, title: A, effort: 4h}
          - {id: b, title: B, effort: 6h}
          - {id: c, title: C, effort: 2h}
          - {id: e, title: E, effort: 3h}
";

    fn earned(events: Vec<crate::core::state::Event>) -> (Plan, Progress, Vec<Earning>) {
        let plan = plan(PLAN);
        let progress = progress("2027-01-04", WeekHours::DEFAULT, Default::default(), events);
        let work = progress.work(&plan);
        let list = earnings(&plan, &progress, &work, &progress.places(&plan));
        // Without places, each task is looked up by id, to the same end.
        assert_eq!(earnings(&plan, &progress, &work, &Places::default()), list);
        (plan, progress, list)
    }

    fn rows(list: &[Earning]) -> Vec<(usize, String, u32)> {
        list.iter().map(|e| (e.task, e.on.to_string(), e.effort.minutes())).collect()
    }

    #[test]
    fn done_task_earns_its_estimate_minus_earlier_logs_on_the_day() {
        let (_, _, list) = earned(vec![
            logged("p1.m.a", "2027-01-05", 60),
            logged("p1.m.a", "2027-01-04", 30),
            done("p1.m.a", "2027-01-07"),
        ]);
        assert_eq!(
            rows(&list),
            vec![(0, "2027-01-04".into(), 30), (0, "2027-01-05".into(), 60), (0, "2027-01-07".into(), 150),]
        );
    }

    #[test]
    fn logs_past_the_estimate_and_after_completion_earn_nothing_more() {
        let (_, _, list) = earned(vec![
            logged("p1.m.c", "2027-01-04", 90),
            logged("p1.m.c", "2027-01-05", 90),
            done("p1.m.c", "2027-01-06"),
            logged("p1.m.c", "2027-01-08", 60),
        ]);
        // 2h estimate: 1.5h on the 4th, the last 30m on the 5th, nothing on completion.
        assert_eq!(rows(&list), vec![(2, "2027-01-04".into(), 90), (2, "2027-01-05".into(), 30)]);
    }

    #[test]
    fn a_log_on_the_completion_day_is_not_counted_twice() {
        let (_, _, list) = earned(vec![logged("p1.m.a", "2027-01-05", 60), done("p1.m.a", "2027-01-05")]);
        assert_eq!(rows(&list), vec![(0, "2027-01-05".into(), 240)]);
    }

    #[test]
    fn unfinished_tasks_earn_their_logs_up_to_the_estimate_and_skipped_nothing() {
        let (_, _, list) = earned(vec![
            logged("p1.m.b", "2027-01-04", 300),
            logged("p1.m.b", "2027-01-06", 120),
            logged("p1.m.e", "2027-01-04", 60),
            skipped("p1.m.e", "2027-01-05"),
        ]);
        assert_eq!(rows(&list), vec![(1, "2027-01-04".into(), 300), (1, "2027-01-06".into(), 60)]);
        assert_eq!(between(&list, d("2027-01-05"), d("2027-01-06")), Effort::from_minutes(60));
        assert_eq!(by_day(&list).get(&d("2027-01-04")), Some(&Effort::from_minutes(300)));
    }

    #[test]
    fn earnings_add_up_to_what_progress_says_was_earned() {
        let (plan, progress, list) = earned(vec![
            logged("p1.m.a", "2027-01-04", 500),
            done("p1.m.a", "2027-01-05"),
            logged("p1.m.b", "2027-01-04", 45),
            logged("p1.m.c", "2027-01-09", 15),
            done("p1.m.c", "2027-01-08"),
            done("p1.m.e", "2027-01-08"),
        ]);
        for i in 0..plan.tasks.len() {
            let sum: Effort = list.iter().filter(|e| e.task == i).map(|e| e.effort).sum();
            assert_eq!(sum, progress.earned(&plan, i), "{}", plan.tasks[i].full_id);
        }
    }

    /// `earnings` as first written: each task's days in an ordered map.
    fn earnings_by_maps(plan: &Plan, progress: &Progress, work: &[Work]) -> Vec<Earning> {
        let mut all = Vec::new();
        for (i, task) in plan.tasks.iter().enumerate() {
            let done_on = match work.get(i) {
                Some(Work::Done { on, .. }) => Some(*on),
                Some(Work::Open { .. }) => None,
                _ => continue,
            };
            let mut logs: Vec<(NaiveDate, u32)> =
                progress.tasks.get(&*task.full_id).map(|p| p.logs.iter().collect()).unwrap_or_default();
            logs.sort_by_key(|l| l.0);
            let mut by_day: BTreeMap<NaiveDate, Effort> = BTreeMap::new();
            let mut left = task.effort;
            for (on, minutes) in logs {
                if done_on.is_some_and(|done| on > done) {
                    break;
                }
                let earned = Effort::from_minutes(minutes).min(left);
                left = left.saturating_sub(earned);
                *by_day.entry(on).or_default() += earned;
            }
            if let Some(done) = done_on {
                *by_day.entry(done).or_default() += left;
            }
            all.extend(by_day.into_iter().filter(|(_, e)| !e.is_zero()).map(|(on, effort)| Earning {
                task: i,
                on,
                effort,
            }));
        }
        all
    }

    proptest::proptest! {
        /// The earnings in one pass over each task's sorted logs are the
        /// map's: logs in any order over ten days, several on a day, some
        /// of nothing, some past the estimate, done or skipped before,
        /// among or after them, or neither.
        #[test]
        fn earnings_in_one_pass_are_the_maps(
            logs in proptest::collection::vec((0usize..4, 0u64..10, 0u32..200), 0..40),
            ends in proptest::collection::vec((0u8..3, 0u64..12), 4),
        ) {
            let tasks = ["p1.m.a", "p1.m.b", "p1.m.c", "p1.m.e"];
            let day = |n: u64| d("2027-01-04").checked_add_days(chrono::Days::new(n)).unwrap().to_string();
            let mut events: Vec<_> = logs.iter().map(|&(t, on, m)| logged(tasks[t], &day(on), m)).collect();
            for (t, &(end, on)) in ends.iter().enumerate() {
                match end {
                    0 => events.push(done(tasks[t], &day(on))),
                    1 => events.push(skipped(tasks[t], &day(on))),
                    _ => {}
                }
            }
            let (plan, progress, list) = earned(events);
            let work = progress.work(&plan);
            proptest::prop_assert_eq!(list, earnings_by_maps(&plan, &progress, &work));
        }
    }
}
