//! `roadmap next`: the morning screen. Where the learner stands, today's
//! work with its open deliverables, habits due, overdue tasks, what comes
//! next, and one health line.

use super::{emit, style_of};
use crate::core::forecast::WindowVerdict;
use crate::core::habits::{HabitView, Mark};
use crate::core::outlook::{Outlook, plan_effort, slip};
use crate::core::period::monday;
use crate::core::plan::{Habit, Plan, Task};
use crate::core::progress::Progress;
use crate::core::reserve::filled_weekdays;
use crate::core::schedule::{Slot, Work};
use crate::render::next::{self as screen, ComingTask, HabitDue, NextView, OverdueTask, PhaseNow, PlanProgress};
use crate::render::next::{FilledDay, OverEstimate};
use crate::render::next::{TaskToday, TodayView};
use crate::render::routes;
use crate::shell::context::Ctx;
use crate::shell::error::Result;
use crate::shell::session::Session;
use crate::shell::teardown;
use chrono::NaiveDate;

/// How many upcoming tasks are shown.
const COMING_UP: usize = 3;

pub fn run(ctx: &Ctx, as_json: bool) -> Result<String> {
    let session = Session::open(ctx)?;
    let outlook = session.outlook(ctx.today)?;
    let view = view(session.plan(), &session.progress, &outlook, session.is_preview(), ctx.today);
    let text = emit(&view, as_json, |v| screen::text(v, style_of(ctx)));
    teardown::skip_teardown((session, outlook, view));
    Ok(text)
}

/// `next --why`: the screen, then why each of today's tasks is today; with
/// `--json`, the next view with a `why` array beside its fields.
pub(crate) fn run_with_why(ctx: &Ctx, as_json: bool) -> Result<String> {
    let session = Session::open(ctx)?;
    let outlook = session.outlook(ctx.today)?;
    let (plan, progress) = (session.plan(), &session.progress);
    let next = view(plan, progress, &outlook, session.is_preview(), ctx.today);
    let why = next
        .today
        .tasks
        .iter()
        .filter_map(|t| plan.task_index(&t.id))
        .map(|i| crate::core::why::why(plan, progress, &outlook, i, ctx.today))
        .collect::<std::result::Result<Vec<_>, _>>()?;
    let both = screen::NextWithWhy { next: &next, why };
    Ok(emit(&both, as_json, |b| screen::text_with_why(b, style_of(ctx))))
}

fn view(plan: &Plan, progress: &Progress, outlook: &Outlook, preview: bool, today: NaiveDate) -> NextView {
    let phase = outlook.current_phase(plan, today);
    let (reviews, reviews_total) = reviews_due(plan, progress, outlook, today);
    NextView {
        date: today,
        preview,
        phase: phase.map(|p| phase_now(plan, outlook, p, today)),
        progress: plan_progress(plan, progress, outlook),
        today: todays_work(plan, progress, outlook, phase, today, reviews_total),
        habits: habits_due(plan, progress, outlook, today),
        reviews_due: reviews,
        reviews_due_total: reviews_total,
        overdue: overdue(plan, progress, outlook, today),
        over_estimate: over_estimate(plan, progress, outlook),
        coming_up: coming_up(plan, outlook, today),
        iso_week: iso_week(today),
        slip_days: slip(outlook.schedule.end, progress.baseline.end),
        forecast_end: outlook.schedule.end,
        baseline_end: progress.baseline.end,
        orphaned_tasks: outlook.orphans(plan, progress),
        intro: preview.then(|| super::routes::preview_intro(plan, progress.calendar.hours, today, outlook)),
        all_done: outlook.work.iter().all(|w| !matches!(w, Work::Open { .. })),
    }
}

/// The first spaced reviews due today or overdue, and how many are due
/// (`roadmap review` lists them all).
fn reviews_due(
    plan: &Plan,
    progress: &Progress,
    outlook: &Outlook,
    today: NaiveDate,
) -> (Vec<crate::render::review::ReviewRow>, usize) {
    let pending = crate::core::review::pending_from(plan, progress, outlook.memories(), today);
    let due = || pending.iter().filter(|p| p.is_due(today));
    (super::review::rows(plan, due().take(crate::render::review::SHOWN), today), due().count())
}

fn phase_now(plan: &Plan, outlook: &Outlook, p: usize, today: NaiveDate) -> PhaseNow {
    let phase = &plan.phases[p];
    PhaseNow {
        id: phase.id.clone(),
        title: phase.title.clone(),
        duration: phase.duration.as_ref().map(|d| d.text.clone()),
        week: phase_week(outlook, p, today),
        window: WindowVerdict::of(plan, p, outlook.verdict(plan, p).as_ref()),
    }
}

fn plan_progress(plan: &Plan, progress: &Progress, outlook: &Outlook) -> PlanProgress {
    let (total, earned) = plan_effort(plan, progress, &outlook.work);
    let (total, earned) = (total.minutes(), earned.minutes());
    PlanProgress { earned_minutes: earned, total_minutes: total, percent: crate::render::percent(earned, total) }
}

fn todays_work(
    plan: &Plan,
    progress: &Progress,
    outlook: &Outlook,
    phase: Option<usize>,
    today: NaiveDate,
    reviews_due: usize,
) -> TodayView {
    let calendar = &progress.calendar;
    let off = calendar.day_off(today).map(|o| o.note.clone());
    let available = if off.is_some() { 0 } else { calendar.hours.on(chrono::Datelike::weekday(&today)) };
    // The reviews due (overdue ones too) take their time first on a working
    // day, as the schedule reserves it (`review::Load`).
    let after_habits = calendar.capacity_checked_in(plan, &progress.checkins, today, phase);
    let review_minutes = match plan.review {
        Some(review) if available > 0 => (review.effort.minutes().saturating_mul(reviews_due as u32)).min(after_habits),
        _ => 0,
    };
    let weekday = chrono::Datelike::weekday(&today);
    let filled = filled_weekdays(plan, calendar.hours).into_iter().find(|f| f.weekday == weekday);
    let filled = filled.filter(|f| phase.is_none_or(|p| f.phases.contains(&p)));
    TodayView {
        available_minutes: available,
        task_minutes: after_habits - review_minutes,
        review_minutes,
        logged_minutes: progress.logged_on(today),
        day_off: off.is_some(),
        filled_by_habits: filled.filter(|_| off.is_none()).map(|f| {
            // Said as init, config and validate say it, with their advice.
            let said = routes::FilledDay::of(plan, &f, calendar.hours);
            FilledDay {
                weekday: crate::core::calendar::weekday_name(f.weekday).to_string(),
                minutes: f.minutes,
                habit_minutes: f.habit_minutes,
                habits: said.habits.clone(),
                every_phase: f.every_phase,
                hours_to_fit: said.advice.trim_start_matches("roadmap config --hours ").to_string(),
                said,
            }
        }),
        tasks: tasks_today(plan, progress, outlook, today),
        off_note: off.flatten(),
    }
}

/// The tasks with planned minutes today, in plan order.
fn tasks_today(plan: &Plan, progress: &Progress, outlook: &Outlook, today: NaiveDate) -> Vec<TaskToday> {
    let task_today = |(i, slot): (usize, &Option<Slot>)| {
        let slot = slot.as_ref()?;
        // Every planned day lies between start and end: most slots are
        // ruled out without reading their days.
        if today < slot.start || slot.end < today {
            return None;
        }
        let minutes = slot.days.iter().find(|d| d.0 == today)?.1;
        let task = &plan.tasks[i];
        Some(TaskToday {
            number: i + 1,
            id: task.full_id.to_string(),
            title: task.title.to_string(),
            minutes_today: minutes,
            remaining_minutes: remaining(&outlook.work[i]),
            planned_end: slot.end,
            open_deliverables: open_deliverables(progress, task),
        })
    };
    outlook.schedule.tasks.iter().enumerate().filter_map(task_today).collect()
}

/// Minutes left on a task still open (0 otherwise).
fn remaining(work: &Work) -> u32 {
    match work {
        Work::Open { remaining, .. } => remaining.minutes(),
        _ => 0,
    }
}

/// Titles of the task's deliverables not yet checked.
fn open_deliverables(progress: &Progress, task: &Task) -> Vec<String> {
    let open = task.details().deliverables.iter().filter(|d| !progress.is_checked(&task.full_id, d.key()));
    open.map(|d| d.title.clone()).collect()
}

fn habits_due(plan: &Plan, progress: &Progress, outlook: &Outlook, today: NaiveDate) -> Vec<HabitDue> {
    let due = |habit| habit_due(plan, habit, progress, outlook, today);
    plan.habits.iter().filter_map(due).collect()
}

/// The habit's count and streak, when it is due today and today is not off.
fn habit_due(plan: &Plan, habit: &Habit, progress: &Progress, outlook: &Outlook, today: NaiveDate) -> Option<HabitDue> {
    let view = HabitView { habit, calendar: &progress.calendar, progress, clock: &outlook.clock, today };
    if !view.is_due(today) || view.mark(today) == Mark::Off {
        return None;
    }
    // A period habit met this period is no longer due, even on the day it
    // was met.
    let period = view.period_on(plan, today);
    if period.is_some_and(|p| p.mark != Mark::Open) {
        return None;
    }
    let streak = view.current_streak();
    Some(HabitDue {
        id: habit.id.clone(),
        title: habit.title.clone(),
        count: view.count(today),
        target: habit.target,
        unit: habit.unit.clone(),
        streak,
        streak_unit: view.streak_unit(streak),
        period,
        period_words: habit.every.period_words(),
    })
}

/// Tasks whose baseline end has passed and that are not done.
fn overdue(plan: &Plan, progress: &Progress, outlook: &Outlook, today: NaiveDate) -> Vec<OverdueTask> {
    // The baseline's ends that have passed, found in one walk of it: at
    // 10,000 tasks, asking its ordered map for each open task compared
    // ids a hundred thousand times, an eighth of `next`. The map is made
    // as large as they could all be: grown a doubling at a time instead,
    // every id was hashed and moved again (a thirtieth of `next`).
    let baseline = &progress.baseline.tasks;
    let mut passed = rustc_hash::FxHashMap::with_capacity_and_hasher(baseline.len(), Default::default());
    passed.extend(baseline.iter().filter(|(_, span)| span[1] < today).map(|(id, span)| (&**id, span[1])));
    if passed.is_empty() {
        return Vec::new();
    }
    let late = |(i, task): (usize, &Task)| {
        let Work::Open { remaining, .. } = outlook.work[i] else {
            return None;
        };
        // Open work is never a skipped task (`Progress::work_and_tracked`).
        let end = *passed.get(&*task.full_id)?;
        Some(OverdueTask {
            number: i + 1,
            id: task.full_id.to_string(),
            title: task.title.to_string(),
            baseline_end: end,
            remaining_minutes: remaining.minutes(),
        })
    };
    plan.tasks.iter().enumerate().filter_map(late).collect()
}

/// Open tasks with at least their estimate logged: the schedule gives them
/// no more hours, so nothing else shows them.
fn over_estimate(plan: &Plan, progress: &Progress, outlook: &Outlook) -> Vec<OverEstimate> {
    let over = |(i, task): (usize, &Task)| {
        let Work::Open { remaining, .. } = outlook.work[i] else {
            return None;
        };
        if !remaining.is_zero() {
            return None;
        }
        let logged = progress.tasks.get(&*task.full_id)?.logged();
        (!logged.is_zero()).then(|| OverEstimate {
            number: i + 1,
            id: task.full_id.to_string(),
            title: task.title.to_string(),
            logged_minutes: logged.minutes(),
            effort_minutes: task.effort.minutes(),
        })
    };
    plan.tasks.iter().enumerate().filter_map(over).collect()
}

/// The next few tasks that start after today.
fn coming_up(plan: &Plan, outlook: &Outlook, today: NaiveDate) -> Vec<ComingTask> {
    let starting = |&i: &usize| {
        let slot = outlook.schedule.tasks[i].as_ref()?;
        let first_planned = slot.days.first()?.0;
        let task = &plan.tasks[i];
        (first_planned > today).then(|| ComingTask {
            number: i + 1,
            id: task.full_id.to_string(),
            title: task.title.to_string(),
            planned_start: first_planned,
            effort_minutes: task.effort.minutes(),
            remaining_minutes: remaining(&outlook.work[i]),
        })
    };
    outlook.order.iter().filter_map(starting).take(COMING_UP).collect()
}

/// Week N of the current phase in ISO weeks (Monday to Sunday, the weeks
/// `report` names): week 1 is the one holding the phase's first day, and
/// stays so until work on it begins.
fn phase_week(outlook: &Outlook, phase: usize, today: NaiveDate) -> Option<i64> {
    let span = outlook.schedule.phases[phase]?;
    Some((monday(today) - monday(span.first)).num_days().max(0) / 7 + 1)
}

/// `2027-W02`: today's ISO week, as `report --week` takes it.
fn iso_week(today: NaiveDate) -> String {
    let week = chrono::Datelike::iso_week(&today);
    format!("{}-W{:02}", week.year(), week.week())
}
