//! `roadmap review`: the spaced reviews due and coming; `roadmap review TASK
//! RATING` records one (plan-format.md, "Spaced review").

use super::{emit, style_of};
use crate::core::dates::{self, Lean};
use crate::core::plan::{Item, Plan, Review, Task};
use crate::core::progress::Status;
use crate::core::review::{self, Pending, Rating, Scheduler};
use crate::core::state::{Change, Event, TaskId};
use crate::render::review::{self as screen, ReviewList, ReviewRow, Reviewed};
use crate::shell::context::Ctx;
use crate::shell::error::{Error, Result};
use crate::shell::session::{self, Session};
use chrono::NaiveDate;

pub(crate) fn run(
    ctx: &Ctx,
    task: Option<String>,
    rating: Option<String>,
    on: Option<String>,
    note: Option<String>,
    as_json: bool,
) -> Result<String> {
    match (task, rating) {
        (None, _) => list(ctx, as_json),
        (Some(task), Some(rating)) => record(ctx, &task, &rating, on, note),
        (Some(task), None) => Err(Error::usage(format!("how did the review of `{task}` go?"))
            .with_hint(format!("`roadmap review {task} good` (or again, hard, easy)"))),
    }
}

fn list(ctx: &Ctx, as_json: bool) -> Result<String> {
    let session = Session::open(ctx)?;
    let view = view(&session, ctx.today);
    Ok(emit(&view, as_json, |v| screen::text(v, style_of(ctx))))
}

pub(crate) fn view(session: &Session, today: NaiveDate) -> ReviewList {
    let plan = session.plan();
    let pending = review::pending(plan, &session.progress, today);
    let due = rows(plan, pending.iter().filter(|p| p.is_due(today)), today);
    let upcoming = rows(plan, pending.iter().filter(|p| !p.is_due(today)), today);
    ReviewList {
        enabled: plan.review.is_some(),
        today,
        retention_percent: plan.review.map(|r| (r.retention * 100.0).round() as u32),
        effort_minutes: plan.review.map(|r| r.effort.minutes()),
        due,
        upcoming,
    }
}

/// Rows with the shortest reference in their command; the rest name the
/// full id (finding the shortest unique suffix reads every task: 5,000 rows
/// of a 10,000-task plan took seconds).
const SHORT_REFERENCES: usize = 20;

/// The rows of `pending`, in order.
pub(crate) fn rows<'a>(plan: &Plan, pending: impl Iterator<Item = &'a Pending>, today: NaiveDate) -> Vec<ReviewRow> {
    pending.enumerate().map(|(n, p)| row(plan, p, today, n < SHORT_REFERENCES)).collect()
}

fn row(plan: &Plan, p: &Pending, today: NaiveDate, short: bool) -> ReviewRow {
    let t = &plan.tasks[p.task];
    let reference = if short { plan.reference(Item::Task(p.task)) } else { t.full_id.to_string() };
    ReviewRow {
        number: p.task + 1,
        id: t.full_id.to_string(),
        title: t.title.to_string(),
        done_on: p.done,
        days_since_done: (today - p.done).num_days().max(0),
        last_review: p.memory.last,
        reviews: p.memory.reviews.saturating_sub(1),
        due: p.on,
        overdue_days: (today - p.on).num_days().max(0),
        recall_percent: (p.recall * 100.0).round().clamp(0.0, 100.0) as u32,
        command: format!("roadmap review {reference} good"),
        reminder: review::reminder(&plan.tasks[p.task]),
    }
}

/// The day a review is recorded for: `--on`, today at the latest.
fn review_day(ctx: &Ctx, on: Option<String>) -> Result<NaiveDate> {
    let on = match on {
        None => ctx.today,
        Some(text) => dates::parse_date(&text, ctx.today, Lean::Past).map_err(|e| Error::option("--on", e))?,
    };
    if on > ctx.today {
        return Err(Error::usage(format!("--on: {on} is in the future (today is {})", ctx.today)));
    }
    Ok(on)
}

/// The finished task `reference` names, in a plan with spaced review.
fn reviewed_task(session: &Session, reference: &str) -> Result<(usize, Review)> {
    let plan = session.plan();
    let Some(settings) = plan.review else {
        return Err(Error::refused("this plan has no spaced review")
            .with_hint("add a `review:` block to the plan, e.g. `review: {effort: 20m}`".to_string()));
    };
    let i = match plan.lookup(reference)? {
        Item::Task(i) => i,
        Item::Habit(h) => {
            return Err(Error::refused(format!("{} is a habit: only finished tasks are reviewed", plan.habits[h].id)));
        }
    };
    let task = &plan.tasks[i];
    if !task.review {
        return Err(Error::refused(format!("{} is never reviewed (`review: false` in the plan)", task.full_id)));
    }
    let Status::Done(_) = session.progress.status(&task.full_id) else {
        return Err(Error::refused(format!("{} is not done: only finished tasks are reviewed", task.full_id))
            .with_hint(format!("`roadmap done {}` first", plan.reference(Item::Task(i)))));
    };
    Ok((i, settings))
}

/// The review of task `i` that is due on `on`, or why there is none.
fn due_review<'p>(pending: &'p [Pending], i: usize, task: &Task, on: NaiveDate) -> Result<&'p Pending> {
    let Some(p) = pending.iter().find(|p| p.task == i) else {
        return Err(Error::refused(format!("{} has no review to record", task.full_id)));
    };
    if on < p.memory.last {
        return Err(Error::refused(format!("{on} is before {}'s last review ({})", task.full_id, p.memory.last)));
    }
    if p.on > on {
        return Err(Error::refused(format!(
            "no review of {} is due on {on}: the next is due on {}",
            task.full_id, p.on
        ))
        .with_hint("`roadmap review` lists the reviews due".to_string()));
    }
    Ok(p)
}

fn record(ctx: &Ctx, reference: &str, rating: &str, on: Option<String>, note: Option<String>) -> Result<String> {
    let rating = Rating::parse(rating).ok_or_else(|| {
        Error::usage(format!("`{rating}` is not a rating"))
            .with_hint("rate a review again, hard, good or easy".to_string())
    })?;
    let on = review_day(ctx, on)?;
    let mut next = on;
    let mut index = 0;
    let written = session::write(ctx, |session, _| {
        let (i, settings) = reviewed_task(session, reference)?;
        index = i;
        let task = &session.plan().tasks[i];
        let pending = review::pending(session.plan(), &session.progress, on);
        let p = due_review(&pending, i, task, on)?;
        let memory = Scheduler::new(settings.retention).review(&p.memory, on, rating);
        next = review::working_day(&session.progress.calendar, memory.due);
        Ok(vec![Event::new(Change::Reviewed { task: TaskId(task.full_id.to_string()), on, rating }, note.clone())])
    })?;
    let task = &written.session.plan().tasks[index];
    Ok(screen::recorded(&Reviewed {
        id: task.full_id.to_string(),
        title: task.title.to_string(),
        on,
        rating: rating.word(),
        next,
    }))
}
