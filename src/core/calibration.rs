//! Calibration from history: how long the learner's finished tasks took
//! against their estimates, and the remaining work re-estimated with it.
//!
//! Each finished task with time logged gives a ratio, actual ÷ estimate.
//! A factor is the **median** of a group's ratios (the mean of the two
//! middle ones for an even count), so one task that took ten times its
//! estimate moves it no more than any other task above the middle. There is
//! a factor for the whole plan, per track and per tag; a group with fewer
//! than `MIN_FINISHED` ratios takes the plan's factor (`source: "plan"`),
//! and with fewer than `MIN_FINISHED` in the whole plan there is none at all
//! (`factor: null` and a reason). The remaining work is re-estimated task by
//! task with its track's factor (the plan's for a task without a track);
//! tags are reported, not used, since a task may have several. The plan is
//! never changed. Pure.

use crate::core::calendar::Calendar;
use crate::core::effort::Effort;
use crate::core::outlook::{Outlook, slip};
use crate::core::plan::Plan;
use crate::core::progress::{Progress, Status};
use crate::core::schedule::{ScheduleError, Work};
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::BTreeMap;

/// The fewest finished tasks a factor is drawn from.
pub(crate) const MIN_FINISHED: usize = 3;

/// One finished task's actual ÷ estimate.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub(crate) struct TaskRatio {
    pub task: usize,
    pub estimate_minutes: Effort,
    pub actual_minutes: Effort,
    pub ratio: f64,
}

/// A track's or a tag's factor.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub(crate) struct GroupFactor {
    pub id: String,
    /// Finished tasks of the group with time logged.
    pub finished: usize,
    /// The group's own median, or the plan's when it has too few; `null`
    /// when the plan has none.
    pub factor: Option<f64>,
    /// `group` (its own median) or `plan` (the fallback).
    pub source: &'static str,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub(crate) struct Calibration {
    /// Finished tasks with time logged and an estimate.
    pub finished: usize,
    /// The plan's median ratio; `null` before `MIN_FINISHED` finished tasks.
    pub factor: Option<f64>,
    /// Why there is no factor, when there is none.
    pub reason: Option<String>,
    pub tracks: Vec<GroupFactor>,
    pub tags: Vec<GroupFactor>,
    #[serde(skip)]
    pub ratios: Vec<TaskRatio>,
}

/// The median of `values` (sorted here); `None` when empty.
pub(crate) fn median(values: &mut [f64]) -> Option<f64> {
    values.sort_by(f64::total_cmp);
    let n = values.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(values[n / 2]),
        _ => Some((values[n / 2 - 1] + values[n / 2]) / 2.0),
    }
}

/// The ratios of the finished tasks (done, with time logged and an
/// estimate), in plan order. `work` is the plan's work list
/// (`Progress::work` of the same `progress`): a task it shows done
/// carries its time logged, and only tasks it cannot tell about (off the
/// selected tracks) are looked up. At 100,000 tasks, looking every done
/// task up again was a thirteenth of a report.
pub(crate) fn ratios(plan: &Plan, progress: &Progress, work: &[Work]) -> Vec<TaskRatio> {
    // Room for every task's (a block made once, not grown from empty).
    let mut ratios = Vec::with_capacity(plan.tasks.len());
    ratios.extend(plan.tasks.iter().enumerate().filter_map(|(i, task)| {
        let actual = match work.get(i) {
            Some(&Work::Done { logged, .. }) => {
                debug_assert_eq!(Some(logged), progress.tasks.get(&*task.full_id).map(|p| p.logged()));
                logged
            }
            Some(Work::Unselected) | None => {
                let p = progress.tasks.get(&*task.full_id)?;
                if !matches!(p.status, Status::Done(_)) {
                    return None;
                }
                p.logged()
            }
            Some(Work::Open { .. } | Work::Skipped) => return None,
        };
        (!actual.is_zero() && !task.effort.is_zero()).then(|| TaskRatio {
            task: i,
            estimate_minutes: task.effort,
            actual_minutes: actual,
            ratio: f64::from(actual.minutes()) / f64::from(task.effort.minutes()),
        })
    }));
    ratios
}

/// The calibration of `plan` from `progress`.
pub(crate) fn calibrate(plan: &Plan, progress: &Progress, work: &[Work]) -> Calibration {
    let ratios = ratios(plan, progress, work);
    let finished = ratios.len();
    let factor = (finished >= MIN_FINISHED).then(|| median(&mut ratios.iter().map(|r| r.ratio).collect::<Vec<_>>()));
    let factor = factor.flatten();
    let reason = factor.is_none().then(|| {
        let finished = crate::core::phrase::count(finished as i64, "finished task", "finished tasks");
        format!("{finished} with time logged; a calibration needs at least {MIN_FINISHED}")
    });
    let mut by_track: BTreeMap<&str, Vec<f64>> = BTreeMap::new();
    let mut by_tag: BTreeMap<&str, Vec<f64>> = BTreeMap::new();
    for track in &plan.tracks {
        by_track.entry(&track.id).or_default();
    }
    for r in &ratios {
        let task = &plan.tasks[r.task];
        if let Some(track) = &task.track {
            by_track.entry(track).or_default().push(r.ratio);
        }
        for tag in &task.tags {
            by_tag.entry(tag).or_default().push(r.ratio);
        }
    }
    let group = |(id, mut values): (&str, Vec<f64>)| {
        let own = values.len() >= MIN_FINISHED && factor.is_some();
        GroupFactor {
            id: id.to_string(),
            finished: values.len(),
            factor: if own { median(&mut values) } else { factor },
            source: if own { "group" } else { "plan" },
        }
    };
    Calibration {
        finished,
        factor,
        reason,
        tracks: by_track.into_iter().map(group).collect(),
        tags: by_tag.into_iter().map(group).collect(),
        ratios,
    }
}

impl Calibration {
    /// The factor task `task` is re-estimated with: its track's, else the plan's.
    pub(crate) fn factor_of(&self, plan: &Plan, task: usize) -> Option<f64> {
        let track = plan.tasks[task].track.as_deref();
        let of_track = track.and_then(|t| self.tracks.iter().find(|g| g.id == t)).and_then(|g| g.factor);
        of_track.or(self.factor)
    }
}

/// `effort × factor`, to the minute (rounded up, at most `u32::MAX` minutes).
pub(crate) fn scale(effort: Effort, factor: f64) -> Effort {
    let minutes = (f64::from(effort.minutes()) * factor).ceil();
    Effort::from_minutes(if minutes >= f64::from(u32::MAX) { u32::MAX } else { minutes.max(0.0) as u32 })
}

/// The remaining work re-estimated, and the plan end at the calendar's hours with it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub(crate) struct Reestimate {
    /// Remaining effort as the plan estimates it.
    pub planned_minutes: Effort,
    /// The same re-estimated with the calibration.
    pub calibrated_minutes: Effort,
    /// The plan end as scheduled now.
    pub end_now: Option<NaiveDate>,
    /// The plan end with every remaining task's effort re-estimated, at the
    /// calendar's hours (habits and days off as now).
    pub end_calibrated: Option<NaiveDate>,
    /// `end_calibrated - end_now` in days.
    pub change_days: Option<i64>,
}

/// The open work with each remaining effort scaled by its factor.
pub(crate) fn calibrated_work(plan: &Plan, calibration: &Calibration, work: &[Work]) -> Vec<Work> {
    work.iter()
        .enumerate()
        .map(|(i, w)| match *w {
            Work::Open { remaining, first } => {
                let f = calibration.factor_of(plan, i).unwrap_or(1.0);
                Work::Open { remaining: scale(remaining, f), first }
            }
            other => other,
        })
        .collect()
}

/// The re-estimate at `calendar`; `None` when there is no calibration.
pub(crate) fn reestimate(
    plan: &Plan,
    progress: &Progress,
    calendar: &Calendar,
    calibration: &Calibration,
    now: &Outlook,
    today: NaiveDate,
) -> Result<Option<Reestimate>, ScheduleError> {
    if calibration.factor.is_none() {
        return Ok(None);
    }
    let work = calibrated_work(plan, calibration, &now.work);
    let sum = |w: &[Work]| {
        w.iter()
            .map(|w| match w {
                Work::Open { remaining, .. } => *remaining,
                _ => Effort::ZERO,
            })
            .fold(Effort::ZERO, Effort::saturating_add)
    };
    let planned_minutes = sum(&now.work);
    let calibrated_minutes = sum(&work);
    let then = Outlook::build(plan, calendar, &progress.checkins, work, today, progress.logged_on(today))?;
    Ok(Some(Reestimate {
        planned_minutes,
        calibrated_minutes,
        end_now: now.schedule.end,
        end_calibrated: then.schedule.end,
        change_days: slip(then.schedule.end, now.schedule.end),
    }))
}

/// `1.4×`, to one decimal.
pub(crate) fn times(factor: f64) -> String {
    format!("{factor:.1}×")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::calendar::WeekHours;
    use crate::core::testkit::{d, done, logged, plan, progress};

    /// Six 10h tasks: a–d on track `core` (tag `math` on a, b), e, f on `extra`.
    const PLAN: &str = "
format: 1
id: cal
title: Calibration
tracks:
  - {id: core, title: Core}
  - {id: extra, title: Extra}
phases:
  - id: p1
    title: One
    modules:
      - id: m
        title: M
        tasks:
          - {id: a, title: A, effort: 10h, track: core, tags: [math]}
          - {id: b, title: B, effort: 10h, track: core, tags: [math]}
          - {id: c, title: C, effort: 10h, track: core}
          - {id: d, title: D, effort: 10h, track: core}
          - {id: e, title: E, effort: 10h, track: extra}
          - {id: f, title: F, effort: 10h, track: extra}
";

    /// Each task logged in 10h days from 2026-11-01 on, then done.
    fn finished(tasks: &[(&str, u32)]) -> Progress {
        let mut events = Vec::new();
        let mut day = d("2026-11-01");
        for (task, minutes) in tasks {
            let id = format!("p1.m.{task}");
            let mut left = *minutes;
            while left > 0 {
                let chunk = left.min(600);
                events.push(logged(&id, &day.to_string(), chunk));
                day = day.succ_opt().unwrap();
                left -= chunk;
            }
            events.push(done(&id, &day.to_string()));
        }
        progress("2026-11-01", WeekHours::parse("mon-sun=10").unwrap(), Default::default(), events)
    }

    /// The work list spares the lookups of open and skipped tasks, but a
    /// task done on a track that is not selected still counts: the work
    /// list cannot tell it is done, and it was looked up.
    #[test]
    fn the_ratios_are_every_finished_tasks_on_any_track() {
        let plan = plan(PLAN);
        let mut p = finished(&[("a", 720), ("b", 900), ("e", 1200)]);
        p.tracks = Some(vec!["core".into()]);
        let work = p.work(&plan);
        assert_eq!(work[4], Work::Unselected);
        let tasks: Vec<usize> = ratios(&plan, &p, &work).iter().map(|r| r.task).collect();
        assert_eq!(tasks, [0, 1, 4]);
        assert_eq!(calibrate(&plan, &p, &work).finished, 3);
    }

    #[test]
    fn four_ratios_give_their_median() {
        let plan = plan(PLAN);
        // a 12h (1.2), b 15h (1.5), c 8h (0.8), d 60h (6.0, the outlier).
        // Sorted 0.8, 1.2, 1.5, 6.0: the median is (1.2 + 1.5) / 2 = 1.35;
        // the mean would be 2.375.
        let p = finished(&[("a", 720), ("b", 900), ("c", 480), ("d", 3600)]);
        let c = calibrate(&plan, &p, &p.work(&plan));
        assert_eq!(c.finished, 4);
        let f = c.factor.unwrap();
        assert!((f - 1.35).abs() < 1e-9, "{f}");
        // The track `core` has all four: its own median.
        let core = &c.tracks[0];
        assert_eq!((core.id.as_str(), core.finished, core.source), ("core", 4, "group"));
        assert!((core.factor.unwrap() - 1.35).abs() < 1e-9);
        // `extra` has none finished: the plan's factor.
        assert_eq!((c.tracks[1].finished, c.tracks[1].source, c.tracks[1].factor), (0, "plan", Some(f)));
        // Tag `math` has a and b only (1.2, 1.5, own median 1.35 too): fewer
        // than 3, so the source says `plan`.
        let math = &c.tags[0];
        assert_eq!((math.id.as_str(), math.finished, math.source), ("math", 2, "plan"));
        assert_eq!(math.factor, Some(f));
    }

    #[test]
    fn a_group_with_three_takes_its_own_median() {
        let plan = plan(PLAN);
        // core: a 2.0, b 2.0, c 2.0; extra: e 1.0. Plan: 1,2,2,2 → 2.0;
        // `extra` (1 finished) falls back to 2.0 though its one task took 1.0.
        let p = finished(&[("a", 1200), ("b", 1200), ("c", 1200), ("e", 600)]);
        let c = calibrate(&plan, &p, &p.work(&plan));
        assert_eq!(c.factor, Some(2.0));
        assert_eq!((c.tracks[0].source, c.tracks[0].factor), ("group", Some(2.0)));
        assert_eq!((c.tracks[1].finished, c.tracks[1].source, c.tracks[1].factor), (1, "plan", Some(2.0)));
        // Tag `math`: a, b → 2 finished → the plan's.
        assert_eq!((c.tags[0].finished, c.tags[0].source), (2, "plan"));
    }

    #[test]
    fn fewer_than_three_gives_none_and_says_why() {
        let plan = plan(PLAN);
        let p = finished(&[("a", 720), ("b", 900)]);
        let c = calibrate(&plan, &p, &p.work(&plan));
        assert_eq!(c.factor, None);
        assert_eq!(c.reason.as_deref(), Some("2 finished tasks with time logged; a calibration needs at least 3"));
        assert!(c.tracks.iter().all(|g| g.factor.is_none()));
        let today = d("2027-01-05");
        let p = finished(&[("a", 720), ("b", 900)]);
        let now = Outlook::new(&plan, &p, today).unwrap();
        assert_eq!(reestimate(&plan, &p, &p.calendar, &c, &now, today).unwrap(), None);
    }

    #[test]
    fn the_remaining_work_is_scaled_and_ends_later() {
        let plan = plan(PLAN);
        // a, b, c took 2× → factor 2.0; d, e, f remain: 30h planned → 60h.
        let p = finished(&[("a", 1200), ("b", 1200), ("c", 1200)]);
        let c = calibrate(&plan, &p, &p.work(&plan));
        let today = d("2027-01-05");
        let now = Outlook::new(&plan, &p, today).unwrap();
        let r = reestimate(&plan, &p, &p.calendar, &c, &now, today).unwrap().unwrap();
        assert_eq!(r.planned_minutes, Effort::from_hours(30));
        assert_eq!(r.calibrated_minutes, Effort::from_hours(60));
        // 10h every day from Tue 01-05: 30h ends Thu 01-07, 60h Sun 01-10.
        assert_eq!(r.end_now, Some(d("2027-01-07")));
        assert_eq!(r.end_calibrated, Some(d("2027-01-10")));
        assert_eq!(r.change_days, Some(3));
    }
}
