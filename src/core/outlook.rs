//! The outlook: from plan, progress and today, the forecast schedule, each
//! phase's verdict against its window, and which phase is current when.
//! Pure; every command that looks ahead starts here.

use crate::core::calendar::Calendar;
use crate::core::effort::Effort;
use crate::core::habits::PhaseClock;
use crate::core::plan::Plan;
use crate::core::progress::{Places, Progress};
use crate::core::reserve::Checkins;
use crate::core::review::Memory;
use crate::core::schedule::{self, Input, Schedule, ScheduleError, Verdict, Work};
use crate::core::state::Baseline;
use crate::core::window::Fit;
use chrono::NaiveDate;
use std::cell::OnceCell;
use std::collections::BTreeMap;

pub struct Outlook {
    pub work: Vec<Work>,
    /// The open tasks in the order they are worked (`schedule::work_order`).
    pub order: Vec<usize>,
    pub schedule: Schedule,
    pub clock: PhaseClock,
    /// How many plan tasks have progress recorded, when known.
    pub tracked: Option<usize>,
    /// Where each task's progress is (`Progress::places`), when the
    /// outlook was made from a progress (else empty): to be read only with
    /// that progress.
    pub(crate) places: Places,
    /// Each phase's fit and first day (`schedule::phase_fit`).
    fits: Vec<Option<(Fit, NaiveDate)>>,
    /// The weekly hours that would fit each phase over its window, worked
    /// out when first asked (`verdict`): a search of many schedule runs,
    /// which most screens never show for most phases.
    weekly: Vec<OnceCell<Option<u32>>>,
    /// What that search needs besides the plan and the work.
    calendar: Calendar,
    memories: Vec<(usize, Memory)>,
    today: NaiveDate,
}

impl Outlook {
    pub fn new(plan: &Plan, progress: &Progress, today: NaiveDate) -> Result<Outlook, ScheduleError> {
        let places = progress.places(plan);
        let work = progress.work_at(plan, &places);
        let tracked = places.tracked();
        let spent = progress.logged_on(today);
        let memories = crate::core::review::memories(plan, progress);
        let outlook =
            Outlook::build_reviewed(plan, &progress.calendar, &progress.checkins, work, today, spent, &memories)?;
        Ok(Outlook { tracked: Some(tracked), places, ..outlook })
    }

    /// The outlook at `calendar` with no habit checked in.
    pub fn with_calendar(
        plan: &Plan,
        calendar: &Calendar,
        work: Vec<Work>,
        today: NaiveDate,
    ) -> Result<Outlook, ScheduleError> {
        Outlook::checked_in(plan, calendar, &Checkins::default(), work, today)
    }

    /// The outlook at `calendar`, the habits' `checkins` releasing the
    /// reservations of the periods they met.
    pub fn checked_in(
        plan: &Plan,
        calendar: &Calendar,
        checkins: &Checkins,
        work: Vec<Work>,
        today: NaiveDate,
    ) -> Result<Outlook, ScheduleError> {
        Outlook::build(plan, calendar, checkins, work, today, 0)
    }

    /// `checked_in` once `spent_today` minutes are logged today: today's
    /// capacity for the schedule is less by that much
    /// (`schedule::schedule_after_today`).
    pub fn build(
        plan: &Plan,
        calendar: &Calendar,
        checkins: &Checkins,
        work: Vec<Work>,
        today: NaiveDate,
        spent_today: u32,
    ) -> Result<Outlook, ScheduleError> {
        Outlook::build_reviewed(plan, calendar, checkins, work, today, spent_today, &[])
    }

    /// `build` with the finished tasks' review `memories`
    /// (`review::memories`): their reviews, and those of the tasks still to
    /// do, take their time first (`schedule::schedule_reviewed`).
    pub fn build_reviewed(
        plan: &Plan,
        calendar: &Calendar,
        checkins: &Checkins,
        work: Vec<Work>,
        today: NaiveDate,
        spent_today: u32,
        memories: &[(usize, crate::core::review::Memory)],
    ) -> Result<Outlook, ScheduleError> {
        let order = schedule::work_order(plan, &work);
        let input = Input { plan, calendar, work: &work, today };
        let schedule = schedule::schedule_reviewed(input, &order, checkins, spent_today, memories)?;
        let fits = (0..plan.phases.len()).map(|p| schedule::phase_fit(plan, &schedule, p)).collect();
        let clock = PhaseClock::new(plan, &work);
        Ok(Outlook {
            work,
            order,
            schedule,
            clock,
            tracked: None,
            places: Places::default(),
            fits,
            weekly: (0..plan.phases.len()).map(|_| OnceCell::new()).collect(),
            calendar: calendar.clone(),
            memories: memories.to_vec(),
            today,
        })
    }

    /// Phase `p`'s verdict against its window (`schedule::verdicts`): `None`
    /// where it has no window or no span. `plan` is the one the outlook
    /// was built from.
    pub fn verdict(&self, plan: &Plan, p: usize) -> Option<Verdict> {
        let (fit, first) = (*self.fits.get(p)?)?;
        let weekly_to_fit = match fit {
            Fit::Over { .. } => *self.weekly[p].get_or_init(|| {
                let (calendar, memories) = (&self.calendar, &self.memories);
                schedule::weekly_to_fit(plan, calendar, &self.work, p, first, self.today, memories, &self.order)
            }),
            _ => None,
        };
        Some(Verdict { fit, weekly_to_fit })
    }

    /// The finished tasks' review memories the outlook was built with
    /// (`review::memories`; empty for an outlook of a calendar alone).
    pub fn memories(&self) -> &[(usize, Memory)] {
        &self.memories
    }

    /// Phase `p`'s fit alone (no weekly search): `None` where it has no
    /// window or no span.
    pub fn fit(&self, p: usize) -> Option<Fit> {
        self.fits.get(p).copied().flatten().map(|(fit, _)| fit)
    }

    /// Every phase's verdict, in plan order.
    pub fn verdicts(&self, plan: &Plan) -> Vec<Option<Verdict>> {
        (0..self.fits.len()).map(|p| self.verdict(plan, p)).collect()
    }

    /// Task ids with progress that the plan does not have (`Progress::orphans`).
    pub fn orphans(&self, plan: &Plan, progress: &Progress) -> Vec<String> {
        match self.tracked {
            Some(tracked) => progress.orphans_given(plan, tracked),
            None => progress.orphans(plan),
        }
    }

    /// The phase the learner is in today: that of the first task planned
    /// from today, else of the last finished work.
    pub fn current_phase(&self, plan: &Plan, today: NaiveDate) -> Option<usize> {
        let planned = self.order.first().map(|&i| plan.tasks[i].phase);
        planned.or_else(|| self.clock.phase_on(today))
    }
}

/// The baseline made from a schedule.
pub fn baseline(plan: &Plan, schedule: &Schedule, computed: NaiveDate) -> Baseline {
    let tasks = plan
        .tasks
        .iter()
        .zip(&schedule.tasks)
        .filter_map(|(task, slot)| slot.as_ref().map(|s| (task.full_id.clone(), [s.start, s.end])))
        .collect();
    let phases = plan
        .phases
        .iter()
        .zip(&schedule.phases)
        .filter_map(|(phase, span)| span.map(|s| (phase.id.clone(), [s.first, s.last])))
        .collect();
    // Each day's minutes summed in a sorted list, then built into the map
    // in one pass: a map entry looked up for every day of every task was
    // most of a preview's baseline.
    let mut days: Vec<(NaiveDate, u32)> =
        schedule.tasks.iter().flatten().flat_map(|slot| slot.days.iter().copied()).collect();
    days.sort_unstable_by_key(|(day, _)| *day);
    days.dedup_by(|next, kept| {
        let same = next.0 == kept.0;
        if same {
            kept.1 += next.1;
        }
        same
    });
    let planned: BTreeMap<NaiveDate, u32> = days.into_iter().collect();
    Baseline { computed: Some(computed), end: schedule.end, tasks: std::sync::Arc::new(tasks), phases, planned }
}

/// The baseline made from today's schedule, keeping what the old baseline
/// planned for the days before today: the past's planned hours stay what
/// they were when those days came.
pub fn rebaseline(plan: &Plan, schedule: &Schedule, today: NaiveDate, old: &Baseline) -> Baseline {
    let mut new = baseline(plan, schedule, today);
    new.planned.extend(old.planned.range(..today).map(|(day, minutes)| (*day, *minutes)));
    new
}

/// Each plan task's baseline end, by plan position (`None`: the baseline
/// has none for it). The baseline is walked once into a hash map and each
/// task asks it once: asking the baseline's ordered map for every task
/// compared ids some thirty times a task, at 100,000 tasks a tenth of
/// `schedule`.
pub fn baseline_ends(plan: &Plan, baseline: &Baseline) -> Vec<Option<NaiveDate>> {
    if baseline.tasks.is_empty() {
        return vec![None; plan.tasks.len()];
    }
    let ends: rustc_hash::FxHashMap<&str, NaiveDate> =
        baseline.tasks.iter().map(|(id, span)| (&**id, span[1])).collect();
    plan.tasks.iter().map(|task| ends.get(&*task.full_id).copied()).collect()
}

/// Forecast minus baseline, in days (positive: behind).
pub fn slip(forecast: Option<NaiveDate>, baseline: Option<NaiveDate>) -> Option<i64> {
    Some((forecast? - baseline?).num_days())
}
/// Effort of a phase's selected, unskipped tasks, and how much is earned
/// (as `Progress::earned` counts it, read off `work`: the estimate when
/// done, else the time logged up to the estimate, which is the estimate
/// less what remains).
pub fn phase_effort(plan: &Plan, progress: &Progress, work: &[Work], phase: usize) -> (Effort, Effort) {
    let mut total = Effort::ZERO;
    let mut earned = Effort::ZERO;
    for i in plan.phases[phase].tasks.clone() {
        let effort = plan.tasks[i].effort;
        let this = match work[i] {
            Work::Unselected | Work::Skipped => continue,
            Work::Done { .. } => effort,
            Work::Open { remaining, .. } => effort.saturating_sub(remaining),
        };
        debug_assert_eq!(this, progress.earned(plan, i), "earned effort of task {i}");
        total += effort;
        earned += this;
    }
    (total, earned)
}

/// Effort of the whole selected plan, and how much is earned.
pub fn plan_effort(plan: &Plan, progress: &Progress, work: &[Work]) -> (Effort, Effort) {
    (0..plan.phases.len())
        .map(|p| phase_effort(plan, progress, work, p))
        .fold((Effort::ZERO, Effort::ZERO), |a, b| (a.0 + b.0, a.1 + b.1))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::calendar::WeekHours;
    use crate::core::testkit::{d, plan, progress};

    /// The baseline's planned minutes, summed in a sorted list, are those
    /// of adding each task's days to the map one by one: the built-in
    /// plans at three calendars (tasks share days when one ends mid-day).
    #[test]
    fn the_planned_minutes_are_each_days_sum() {
        for builtin in crate::core::plan::builtin::BUILTINS {
            let plan = plan(builtin.text);
            for hours in ["mon-fri=2,sat-sun=4", "all=1.5", "mon=8,wed=30m,sat=5"] {
                let p = progress("2027-01-04", WeekHours::parse(hours).unwrap(), Default::default(), vec![]);
                let outlook = Outlook::new(&plan, &p, d("2027-01-04")).unwrap();
                let mut each: BTreeMap<NaiveDate, u32> = BTreeMap::new();
                for (day, minutes) in outlook.schedule.tasks.iter().flatten().flat_map(|slot| &slot.days) {
                    *each.entry(*day).or_default() += minutes;
                }
                let shared =
                    outlook.schedule.tasks.iter().flatten().map(|slot| slot.days.len()).sum::<usize>() - each.len();
                let made = baseline(&plan, &outlook.schedule, d("2027-01-04"));
                assert_eq!(made.planned, each, "{} at {hours}", builtin.name);
                assert!(shared > 0, "{} at {hours}: no day shared by two tasks", builtin.name);
            }
        }
    }

    /// Each task's baseline end by plan position: the ends the baseline
    /// has, `None` for a task it lacks, and an id it has that the plan no
    /// longer has changes nothing.
    #[test]
    fn the_baseline_ends_are_each_tasks_by_plan_position() {
        let plan = plan(
            "format: 1\nid: t\ntitle: T\nphases:\n  - id: p1\n    title: P\n    modules:\n      - id: m\n        title: M\n        tasks:\n          - {id: a, title: A, effort: 1h}\n          - {id: b, title: B, effort: 1h}\n          - {id: c, title: C, effort: 1h}\n",
        );
        assert_eq!(baseline_ends(&plan, &Baseline::default()), [None, None, None]);
        let spans = [
            ("p1.m.c", ["2027-01-05", "2027-01-09"]),
            ("p1.m.a", ["2027-01-04", "2027-01-06"]),
            ("p1.m.gone", ["2027-01-04", "2027-01-04"]),
        ];
        let tasks = spans.iter().map(|(id, [s, e])| (crate::core::text::Str::from(*id), [d(s), d(e)])).collect();
        let baseline = Baseline { tasks: std::sync::Arc::new(tasks), ..Baseline::default() };
        assert_eq!(baseline_ends(&plan, &baseline), [Some(d("2027-01-06")), None, Some(d("2027-01-09"))]);
    }
}
