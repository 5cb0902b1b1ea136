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
use crate::core::progress::Progress;
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
pub(crate) fn earnings(plan: &Plan, progress: &Progress, work: &[Work]) -> Vec<Earning> {
    let mut all = Vec::new();
    for (i, task) in plan.tasks.iter().enumerate() {
        let done_on = match work.get(i) {
            Some(Work::Done { on, .. }) => Some(*on),
            Some(Work::Open { .. }) => None,
            _ => continue,
        };
        // Days as numbers (`Logs::numbered`) until the earnings are made:
        // only the days that earned are turned into dates.
        let mut logs: Vec<(i32, u32)> =
            progress.tasks.get(&*task.full_id).map(|p| p.logs.numbered().collect()).unwrap_or_default();
        logs.sort_by_key(|l| l.0);
        let done_on = done_on.map(|done| done.num_days_from_ce());
        let mut by_day: BTreeMap<i32, Effort> = BTreeMap::new();
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
        let earned = by_day.into_iter().filter(|(_, effort)| !effort.is_zero());
        all.extend(
            earned.filter_map(|(on, effort)| {
                Some(Earning { task: i, on: crate::core::state::day::memo_date(on)?, effort })
            }),
        );
    }
    all
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
        let list = earnings(&plan, &progress, &work);
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
}
