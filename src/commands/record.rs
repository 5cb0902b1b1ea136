//! The commands that record progress: `done`, `start`, `skip`, `reopen`,
//! `log` and `undo`. Every reference is resolved before anything is
//! written, so a typo records nothing. After the write each builds a view
//! of what was recorded and what it changed, and renders it.

use super::style_of;
use crate::core::dates::{self, Lean};
use crate::core::effort::Effort;
use crate::core::outlook::{Outlook, slip};
use crate::core::plan::{Habit, Item, Plan, Task};
use crate::core::progress::{Progress, Status, redo_target, targets, undo_target};
use crate::core::reserve::count_through;
use crate::core::state::{Change, Event, HabitId, TaskId};
use crate::render::record::{
    self as screen, Already, Created, DoneView, LoggedView, OpenDependency, PlanEnd, Recorded, ReopenedView,
    SkippedView, StartedView, TaskRef, UndidView,
};
use crate::render::summary::PhaseLine;
use crate::shell::context::Ctx;
use crate::shell::error::{Error, Result};
use crate::shell::session::{self, Session, Written};
use crate::shell::teardown;
use chrono::NaiveDate;

fn day(ctx: &Ctx, on: Option<String>) -> Result<NaiveDate> {
    let Some(text) = on else { return Ok(ctx.today) };
    dates::parse_date(&text, ctx.today, Lean::Past).map_err(|e| Error::option("--on", e))
}

/// ` --on DATE` when the date is not today, for an advised command line.
fn on_flag(ctx: &Ctx, on: NaiveDate) -> String {
    if on == ctx.today { String::new() } else { format!(" --on {on}") }
}

/// The days a progress date may be: from the plan's start to today.
fn in_range(session: &Session, on: NaiveDate, today: NaiveDate) -> Result<()> {
    let start = session.progress.calendar.start;
    if on > today {
        return Err(
            Error::usage(format!("--on: {on} is in the future (today is {today})")).with_hint(range_hint(start, today))
        );
    }
    if on < start {
        return Err(
            Error::refused(format!("{on} is before the plan's start ({start})")).with_hint(range_hint(start, today))
        );
    }
    Ok(())
}

fn range_hint(start: NaiveDate, today: NaiveDate) -> String {
    let range = if start > today {
        format!("the plan starts on {start}: no day before it is accepted")
    } else if start == today {
        format!("only today ({today}) is accepted: the plan starts today")
    } else {
        format!("dates from the plan's start ({start}) to today ({today}) are accepted")
    };
    format!("{range}; `roadmap config --start DATE` moves the start")
}

/// `command`: the command and what follows the reference (`log`, ` 1h`).
fn task_ref(plan: &Plan, reference: &str, command: (&str, &str)) -> Result<usize> {
    match plan.lookup(reference)? {
        Item::Task(i) => Ok(i),
        Item::Habit(h) => Err(habit_for_task(plan, reference, h, command)),
    }
}

/// `roadmap log leetcode 1h` when `leetcode` is a habit: says so and names
/// the task that was probably meant, with a command line that reaches it.
fn habit_for_task(plan: &Plan, reference: &str, h: usize, (command, rest): (&str, &str)) -> Error {
    let id = &plan.habits[h].id;
    let message = format!("`{reference}` is the habit {id}; `roadmap {command}` takes a task");
    let meant = plan.tasks_meant(reference);
    let hint = match meant.as_slice() {
        [i] => {
            let task = &plan.tasks[*i];
            format!(
                "did you mean task {} {} ({})? `roadmap {command} {}{rest}` is for it; `roadmap done {id}` checks in the habit",
                i + 1,
                task.full_id,
                task.title,
                plan.reference(Item::Task(*i))
            )
        }
        [] => format!("check in a habit with `roadmap done {id}`"),
        many => format!(
            "tasks that may be meant: {}; check in the habit with `roadmap done {id}`",
            many.iter().map(|&i| format!("{} {}", i + 1, plan.tasks[i].full_id)).collect::<Vec<_>>().join(", ")
        ),
    };
    Error::usage(message).with_hint(hint)
}

/// The note for a state file this write created, if it did.
pub(crate) fn created(ctx: &Ctx, written: &Written) -> Option<Created> {
    written.created.then(|| Created {
        state: ctx.store.path().display().to_string(),
        plan: written.session.source.label.clone(),
        start: ctx.today,
    })
}

fn task_view(plan: &Plan, i: usize) -> TaskRef {
    let task = &plan.tasks[i];
    TaskRef { id: task.full_id.to_string(), reference: plan.reference(Item::Task(i)), title: task.title.to_string() }
}

/// What `done` was asked, beyond the references.
struct DoneAsk {
    on: NaiveDate,
    note: Option<String>,
    deliverable: Option<usize>,
    count: Option<u32>,
}

/// What one reference of `done` comes to: an event, or nothing to record.
enum Step {
    Record(Change),
    Already(Already),
}

pub(crate) fn done(
    ctx: &Ctx,
    refs: &[String],
    on: Option<String>,
    note: Option<String>,
    deliverable: Option<usize>,
    count: Option<u32>,
) -> Result<String> {
    let ask = DoneAsk { on: day(ctx, on)?, note, deliverable, count };
    check_done_flags(refs, &ask)?;
    let mut already = Vec::new();
    let written = session::write(ctx, |session, _| {
        in_range(session, ask.on, ctx.today)?;
        decide_done(session, refs, &ask, &mut already)
    })?;
    if written.events.is_empty() {
        let view = DoneView { created: None, already, recorded: Vec::new(), phases: Vec::new(), plan: None };
        return Ok(screen::done(&view, style_of(ctx)));
    }
    let outlook = written.session.outlook(ctx.today)?;
    let view = done_view(created(ctx, &written), &written.session, &written.events, &outlook, already);
    teardown::skip_teardown((written, outlook));
    Ok(screen::done(&view, style_of(ctx)))
}

fn check_done_flags(refs: &[String], ask: &DoneAsk) -> Result<()> {
    if ask.deliverable.is_some() && refs.len() > 1 {
        return Err(Error::usage("--deliverable takes one task"));
    }
    if ask.count == Some(0) {
        return Err(Error::usage("--count must be at least 1"));
    }
    Ok(())
}

/// The events `done` records, each reference once; what needs nothing
/// recorded goes to `already`.
fn decide_done(session: &Session, refs: &[String], ask: &DoneAsk, already: &mut Vec<Already>) -> Result<Vec<Event>> {
    let mut events = Vec::new();
    let mut seen = Vec::new();
    for reference in refs {
        let item = session.plan().lookup(reference)?;
        if seen.contains(&item) {
            continue;
        }
        seen.push(item);
        match done_step(session, reference, item, ask)? {
            Step::Record(change) => events.push(Event::new(change, ask.note.clone())),
            Step::Already(a) => already.push(a),
        }
    }
    Ok(events)
}

fn done_step(session: &Session, reference: &str, item: Item, ask: &DoneAsk) -> Result<Step> {
    let plan = session.plan();
    match (item, ask.deliverable) {
        (Item::Habit(h), None) => {
            let habit: &Habit = &plan.habits[h];
            let count = ask.count.unwrap_or(habit.target);
            Ok(Step::Record(Change::Checkin { habit: HabitId(habit.id.clone()), on: ask.on, count }))
        }
        (Item::Habit(h), Some(n)) => {
            let error = habit_for_task(plan, reference, h, ("done", &format!(" --deliverable {n}")));
            let hint = error.hint().unwrap_or_default();
            Err(Error::usage(format!("`{reference}` is the habit {}; --deliverable takes a task", plan.habits[h].id))
                .with_hint(hint))
        }
        (Item::Task(i), _) if ask.count.is_some() => {
            Err(Error::usage(format!("--count is for habits; {} is a task", plan.tasks[i].full_id)))
        }
        (Item::Task(i), Some(n)) => deliverable_step(plan, &session.progress, i, n, ask.on),
        (Item::Task(i), None) => {
            let task = &plan.tasks[i];
            if let Status::Done(on) = session.progress.status(&task.full_id) {
                return Ok(Step::Already(Already::Done {
                    id: task.full_id.to_string(),
                    title: task.title.to_string(),
                    on,
                }));
            }
            Ok(Step::Record(Change::Done { task: TaskId(task.full_id.to_string()), on: ask.on }))
        }
    }
}

/// Deliverable `n` (from 1) of `task` checked, unless it already is.
fn deliverable_step(plan: &Plan, progress: &Progress, i: usize, n: usize, on: NaiveDate) -> Result<Step> {
    let task = &plan.tasks[i];
    let d = task.details().deliverables.get(n.wrapping_sub(1)).ok_or_else(|| {
        if task.details().deliverables.is_empty() {
            Error::usage(format!("{} has no deliverables", task.full_id))
        } else {
            let count = task.details().deliverables.len();
            Error::usage(format!("{} has deliverables 1 to {count}, not {n}", task.full_id))
                .with_hint(format!("`roadmap show {}` numbers them", plan.reference(Item::Task(i))))
        }
    })?;
    if progress.is_checked(&task.full_id, d.key()) {
        return Ok(Step::Already(Already::Checked { number: n, title: d.title.clone() }));
    }
    let deliverable = d.key().to_string();
    Ok(Step::Record(Change::Deliverable { task: TaskId(task.full_id.to_string()), deliverable, on }))
}

/// What `done` recorded and what it changed: the phases of the tasks done
/// and, when a task was done, the plan against its baseline.
fn done_view(
    created: Option<Created>,
    session: &Session,
    events: &[Event],
    outlook: &Outlook,
    already: Vec<Already>,
) -> DoneView {
    let (plan, progress) = (session.plan(), &session.progress);
    let recorded = events.iter().filter_map(|e| recorded(plan, progress, &e.change)).collect();
    let phases = done_phases(plan, events);
    let any_done = events.iter().any(|e| matches!(e.change, Change::Done { .. }));
    let end = outlook.schedule.end;
    DoneView {
        created,
        already,
        recorded,
        phases: phases.into_iter().map(|p| PhaseLine::of(plan, progress, outlook, p)).collect(),
        plan: any_done.then(|| PlanEnd { slip_days: slip(end, progress.baseline.end), end }),
    }
}

/// The phases of the tasks done, each once, in plan order.
fn done_phases(plan: &Plan, events: &[Event]) -> Vec<usize> {
    let mut phases: Vec<usize> = events
        .iter()
        .filter_map(|e| match &e.change {
            Change::Done { task, .. } => plan.task_index(task.as_str()).map(|i| plan.tasks[i].phase),
            _ => None,
        })
        .collect();
    phases.sort_unstable();
    phases.dedup();
    phases
}

/// One recorded change as the confirmation names it (`None`: not one of
/// `done`'s, or for an item the plan does not have).
fn recorded(plan: &Plan, progress: &Progress, change: &Change) -> Option<Recorded> {
    match change {
        Change::Done { task, on } => Some(done_row(plan, progress, plan.task_index(task.as_str())?, *on)),
        Change::Deliverable { task, deliverable, .. } => {
            Some(deliverable_row(progress, &plan.tasks[plan.task_index(task.as_str())?], deliverable))
        }
        Change::Checkin { habit, on, .. } => {
            let habit = &plan.habits[plan.habit_index(habit.as_str())?];
            // A period habit's check-ins add up within its period.
            let period = habit.every.period_of(*on, progress.calendar.start);
            let count = match period {
                Some(p) => count_through(progress.checkins.get(&habit.id), p, p.to),
                None => progress.checkin_count(&habit.id, *on),
            };
            Some(Recorded::Checkin {
                habit: habit.id.clone(),
                title: habit.title.clone(),
                count,
                period: period.map(|p| [p.from, p.to]),
                target: habit.target,
                unit: habit.unit.clone(),
                on: *on,
            })
        }
        _ => None,
    }
}

fn done_row(plan: &Plan, progress: &Progress, i: usize, on: NaiveDate) -> Recorded {
    let task = &plan.tasks[i];
    let open: Vec<usize> = (0..task.details().deliverables.len())
        .filter(|&n| !progress.is_checked(&task.full_id, task.details().deliverables[n].key()))
        .collect();
    Recorded::Done {
        id: task.full_id.to_string(),
        reference: plan.reference(Item::Task(i)),
        title: task.title.to_string(),
        effort_minutes: task.effort.minutes(),
        on,
        open_after: task
            .after
            .iter()
            .filter(|&&d| matches!(progress.status(&plan.tasks[d].full_id), Status::Todo | Status::InProgress))
            .map(|&d| OpenDependency {
                id: plan.tasks[d].full_id.to_string(),
                title: plan.tasks[d].title.to_string(),
                status: progress.status(&plan.tasks[d].full_id).word().to_string(),
            })
            .collect(),
        deliverables: task.details().deliverables.len(),
        open: open.len(),
        first_open: open.first().map(|n| n + 1),
    }
}

fn deliverable_row(progress: &Progress, task: &Task, key: &str) -> Recorded {
    let n = task.details().deliverables.iter().position(|d| d.key() == key).map_or(0, |n| n + 1);
    let title = task.details().deliverables.get(n.wrapping_sub(1)).map_or(key, |d| d.title.as_str());
    Recorded::Deliverable {
        task: task.full_id.to_string(),
        number: n,
        title: title.to_string(),
        checked: task.details().deliverables.iter().filter(|d| progress.is_checked(&task.full_id, d.key())).count(),
        deliverables: task.details().deliverables.len(),
    }
}

/// Records one event about one task after `check` approves.
fn task_event(
    ctx: &Ctx,
    reference: &str,
    command: (&str, &str),
    check: impl Fn(&Session, usize) -> Result<Event>,
) -> Result<(Written, usize)> {
    let mut index = 0;
    let written = session::write(ctx, |session, _| {
        index = task_ref(session.plan(), reference, command)?;
        Ok(vec![check(session, index)?])
    })?;
    Ok((written, index))
}

fn reopen_first(plan: &Plan, i: usize, when: NaiveDate) -> Error {
    Error::refused(format!("{} was done on {when}", plan.tasks[i].full_id))
        .with_hint(format!("`roadmap reopen {}` first", plan.reference(Item::Task(i))))
}

pub(crate) fn start(ctx: &Ctx, reference: &str, on: Option<String>, note: Option<String>) -> Result<String> {
    let on = day(ctx, on)?;
    let (written, i) = task_event(ctx, reference, ("start", &on_flag(ctx, on)), |session, i| {
        let task = &session.plan().tasks[i];
        if let Status::Done(when) = session.progress.status(&task.full_id) {
            return Err(reopen_first(session.plan(), i, when));
        }
        in_range(session, on, ctx.today)?;
        Ok(Event::new(Change::Started { task: TaskId(task.full_id.to_string()), on }, note.clone()))
    })?;
    let task = task_view(written.session.plan(), i);
    Ok(screen::started(&StartedView { created: created(ctx, &written), task, on }))
}

pub(crate) fn skip(ctx: &Ctx, reference: &str, note: Option<String>) -> Result<String> {
    let (written, i) = task_event(ctx, reference, ("skip", ""), |session, i| {
        let task = &session.plan().tasks[i];
        match session.progress.status(&task.full_id) {
            Status::Done(when) => Err(reopen_first(session.plan(), i, when)),
            Status::Skipped => Err(Error::refused(format!("{} is already skipped", task.full_id))),
            _ => {
                let change = Change::Skipped { task: TaskId(task.full_id.to_string()), on: Some(ctx.today) };
                Ok(Event::new(change, note.clone()))
            }
        }
    })?;
    let session = &written.session;
    let task = &session.plan().tasks[i];
    let outlook = session.outlook(ctx.today)?;
    Ok(screen::skipped(&SkippedView {
        created: created(ctx, &written),
        task: task_view(session.plan(), i),
        effort_minutes: task.effort.minutes(),
        phase: PhaseLine::of(session.plan(), &session.progress, &outlook, task.phase),
    }))
}

pub(crate) fn reopen(ctx: &Ctx, reference: &str, note: Option<String>) -> Result<String> {
    let (written, i) = task_event(ctx, reference, ("reopen", ""), |session, i| {
        let task = &session.plan().tasks[i];
        match session.progress.status(&task.full_id) {
            Status::Done(_) | Status::Skipped => {
                Ok(Event::new(Change::Reopened { task: TaskId(task.full_id.to_string()) }, note.clone()))
            }
            s => {
                Err(Error::refused(format!("{} is {}, not done or skipped: nothing to reopen", task.full_id, s.word())))
            }
        }
    })?;
    let task = &written.session.plan().tasks[i];
    let status = written.session.progress.status(&task.full_id).word().to_string();
    let task = task_view(written.session.plan(), i);
    Ok(screen::reopened(&ReopenedView { created: created(ctx, &written), task, status }))
}

pub(crate) fn log(ctx: &Ctx, reference: &str, time: &str, on: Option<String>, note: Option<String>) -> Result<String> {
    let on = day(ctx, on)?;
    let amount = Effort::parse(time).map_err(|e| match e.hint {
        Some(hint) => Error::usage(e.message).with_hint(hint),
        None => Error::usage(e.message),
    })?;
    let rest = format!(" {amount}{}", on_flag(ctx, on));
    let (written, i) = task_event(ctx, reference, ("log", &rest), |session, i| {
        let task = &session.plan().tasks[i];
        in_range(session, on, ctx.today)?;
        day_holds(&session.progress, on, amount)?;
        Ok(Event::new(Change::Logged { task: TaskId(task.full_id.to_string()), on, minutes: amount }, note.clone()))
    })?;
    let progress = &written.session.progress;
    let task = &written.session.plan().tasks[i];
    Ok(screen::logged(&LoggedView {
        created: created(ctx, &written),
        task: task_view(written.session.plan(), i),
        on,
        minutes: amount.minutes(),
        logged_minutes: progress.tasks.get(&*task.full_id).map(|p| p.logged()).unwrap_or_default().minutes(),
        effort_minutes: task.effort.minutes(),
        done: matches!(progress.status(&task.full_id), Status::Done(_)),
    }))
}

/// A day holds 24 hours: time logged on `on`, all tasks together, with
/// `amount` added, must fit in it.
fn day_holds(progress: &Progress, on: NaiveDate, amount: Effort) -> Result<()> {
    let day = Effort::from_hours(24);
    let before: u64 = progress.tasks.values().map(|t| t.logs.on(on)).sum();
    let total = before + u64::from(amount.minutes());
    let before = Effort::from_minutes(u32::try_from(before).unwrap_or(u32::MAX));
    if total > u64::from(day.minutes()) {
        let message = if before.is_zero() {
            format!("{amount} on {on} is more than a day holds ({day})")
        } else {
            format!("{amount} more on {on} makes {} logged that day, more than a day holds ({day})", before + amount)
        };
        return Err(Error::refused(message).with_hint(format!("{} is left to log on {on}", day.saturating_sub(before))));
    }
    Ok(())
}

/// `undo`: reverts the latest command's events still in force (all the
/// events of one command together: `done a b c` is undone at once).
/// `redo`: reverts the latest undo, while nothing else was recorded since.
/// With `dry_run`, says what it would do and writes nothing.
pub(crate) fn undo(ctx: &Ctx, redo: bool, dry_run: bool) -> Result<String> {
    let word = if redo { "redo" } else { "undo" };
    let nothing = || Error::refused(format!("nothing to {word}"));
    let pick = |state: &crate::core::state::State| -> (Vec<Event>, Vec<Event>) {
        let here = format!("{:08x}", ctx.store.origin());
        let here = Some(here.as_str());
        let undos: Vec<&Event> = if redo { redo_target(state, here) } else { undo_target(state, here) };
        let reverted = if redo { targets(state, &undos) } else { undos.clone() };
        let records = undos.iter().map(|e| Event::new(Change::Undo { target: e.id.clone() }, None)).collect();
        (reverted.into_iter().cloned().collect(), records)
    };
    if dry_run {
        let parsed = ctx.store.read_all()?.ok_or_else(nothing)?;
        let (reverted, _) = pick(&parsed.state);
        if reverted.is_empty() {
            return Err(nothing());
        }
        return Ok(screen::undid(&UndidView { created: None, undone: reverted, redo, dry_run }));
    }
    let mut undone = Vec::new();
    let written = session::write(ctx, |session, lock| {
        if session.loaded.as_ref().is_none_or(|l| !l.has_events()) {
            return Err(nothing());
        }
        let parsed = ctx.store.read_all_locked(lock)?.ok_or_else(nothing)?;
        let (reverted, records) = pick(&parsed.state);
        if records.is_empty() {
            return Err(nothing());
        }
        undone = reverted;
        Ok(records)
    })?;
    Ok(screen::undid(&UndidView { created: created(ctx, &written), undone, redo, dry_run }))
}
