//! `roadmap show TASK`: one task (or habit) in full.

use super::{emit, style_of};
use crate::core::habits;
use crate::core::outlook::Outlook;
use crate::core::plan::{Deliverable, Item, Plan, Task};
use crate::core::progress::{Progress, Status};
use crate::core::schedule::Work;
use crate::render::show::{self as screen, DeliverableView, HabitView, Named, RelatedTask, ResourceView, SeeAlso};
use crate::render::show::{HistoryEntry, ShowView, TaskView};
use crate::shell::context::Ctx;
use crate::shell::error::Result;
use crate::shell::session::Session;
use chrono::NaiveDate;

pub(crate) fn run(ctx: &Ctx, reference: &str, as_json: bool) -> Result<String> {
    let session = Session::open(ctx)?;
    if let Some(text) = super::show_item::run(ctx, &session, reference, as_json)? {
        return Ok(text);
    }
    let item = session.plan().lookup(reference)?;
    let outlook = session.outlook(ctx.today)?;
    let (plan, progress) = (session.plan(), &session.progress);
    let view = match item {
        Item::Task(i) => {
            let mut view = task(plan, progress, &outlook, i);
            view.review = next_review(plan, progress, i, ctx.today);
            ShowView::Task(Box::new(view))
        }
        Item::Habit(h) => ShowView::Habit(Box::new(habit(plan, progress, &outlook, h, ctx.today))),
    };
    Ok(emit(&view, as_json, |v| screen::text(v, style_of(ctx))))
}

/// The task's next spaced review, if it has one.
fn next_review(
    plan: &Plan,
    progress: &Progress,
    i: usize,
    today: NaiveDate,
) -> Option<crate::render::review::ReviewRow> {
    let pending = crate::core::review::pending(plan, progress, today);
    super::review::rows(plan, pending.iter().filter(|p| p.task == i), today).pop()
}

fn task(plan: &Plan, progress: &Progress, outlook: &Outlook, i: usize) -> TaskView {
    let t = &plan.tasks[i];
    let status = progress.status(&t.full_id);
    let slot = outlook.schedule.tasks[i].as_ref();
    TaskView {
        number: i + 1,
        id: t.full_id.to_string(),
        title: t.title.to_string(),
        phase: phase_of(plan, t),
        module: module_of(plan, t),
        effort_minutes: t.effort.minutes(),
        logged_minutes: progress.tasks.get(&*t.full_id).map(|p| p.logged()).unwrap_or_default().minutes(),
        status: status.word(),
        planned_start: slot.map(|s| s.start),
        planned_end: slot.map(|s| s.end),
        baseline_end: progress.baseline.tasks.get(&*t.full_id).map(|b| b[1]),
        notes: t.details().notes.clone(),
        deliverables: deliverables(progress, t),
        resources: t
            .details()
            .resources
            .iter()
            .map(|r| ResourceView { title: r.title.clone(), url: r.url.clone() })
            .collect(),
        after: related(plan, progress, &t.after),
        needed_by: related(plan, progress, &plan.dependents(i)),
        track: t.track.as_deref().map(str::to_owned),
        tags: t.tags.clone(),
        done_on: if let Status::Done(on) = status { Some(on) } else { None },
        off_track: matches!(outlook.work[i], Work::Unselected),
        slot_done: slot.is_some_and(|s| s.done),
        track_title: track_title(plan, t),
        history: progress.history(&t.full_id).map(|e| HistoryEntry::of(&e)).collect(),
        review: None,
    }
}

fn phase_of(plan: &Plan, t: &Task) -> Named {
    let phase = &plan.phases[t.phase];
    Named { id: phase.id.clone(), title: phase.title.clone() }
}

/// The module, with its full id `phase.module`.
fn module_of(plan: &Plan, t: &Task) -> Named {
    let module = &plan.modules[t.module];
    Named { id: format!("{}.{}", plan.phases[t.phase].id, module.id), title: module.title.clone() }
}

fn deliverables(progress: &Progress, t: &Task) -> Vec<DeliverableView> {
    let view = |(n, d): (usize, &Deliverable)| DeliverableView {
        number: n + 1,
        id: d.id.clone(),
        title: d.title.clone(),
        checked: progress.is_checked(&t.full_id, d.key()),
    };
    t.details().deliverables.iter().enumerate().map(view).collect()
}

fn related(plan: &Plan, progress: &Progress, tasks: &[usize]) -> Vec<RelatedTask> {
    let view = |&d: &usize| {
        let task = &plan.tasks[d];
        RelatedTask {
            number: d + 1,
            id: task.full_id.to_string(),
            title: task.title.to_string(),
            status: progress.status(&task.full_id).word(),
        }
    };
    tasks.iter().map(view).collect()
}

/// The title of the task's track, empty when the plan does not name it.
fn track_title(plan: &Plan, t: &Task) -> String {
    let track = t.track.as_ref().and_then(|id| plan.tracks.iter().find(|tr| &tr.id == id));
    track.map(|tr| tr.title.clone()).unwrap_or_default()
}

fn habit(plan: &Plan, progress: &Progress, outlook: &Outlook, h: usize, today: NaiveDate) -> HabitView {
    let habit = &plan.habits[h];
    let view = habits::HabitView { habit, calendar: &progress.calendar, progress, clock: &outlook.clock, today };
    HabitView {
        id: habit.id.clone(),
        title: habit.title.clone(),
        every: habit.every.text.clone(),
        target: habit.target,
        unit: habit.unit.clone(),
        effort_minutes: habit.effort.minutes(),
        phases: habit.phases.iter().map(|&p| plan.phases[p].id.clone()).collect(),
        due_today: view.is_due(today),
        today: view.count(today),
        streak: view.current_streak(),
        longest_streak: view.longest_streak(),
        streak_units: [view.streak_unit(1), view.streak_unit(2)],
        period: view.period_on(plan, today),
        period_words: habit.every.period_words(),
        see_also: shadowed(plan, &habit.id),
    }
}

/// The tasks whose id ends in `.habit`: `habit` alone names the habit.
fn shadowed(plan: &Plan, habit: &str) -> Vec<SeeAlso> {
    let suffix = format!(".{habit}");
    (0..plan.tasks.len())
        .filter(|&i| plan.tasks[i].full_id.ends_with(&suffix))
        .map(|i| SeeAlso {
            number: i + 1,
            id: plan.tasks[i].full_id.to_string(),
            title: plan.tasks[i].title.to_string(),
            reference: plan.reference(Item::Task(i)),
        })
        .collect()
}
