//! The commands that record progress: `done`, `start`, `skip`, `reopen`,
//! `log` and `undo`. Every reference is resolved before anything is
//! written, so a typo records nothing.

use super::style_of;
use crate::core::dates::{self, Lean};
use crate::core::effort::Effort;
use crate::core::outlook::slip;
use crate::core::plan::{Item, Plan};
use crate::core::progress::{Status, undo_target};
use crate::core::state::{Change, Event, HabitId, TaskId};
use crate::render::event::describe;
use crate::render::summary::{phase_line, slip_text};
use crate::shell::context::Ctx;
use crate::shell::error::{Error, Result};
use crate::shell::session::{self, Session, Written, created_note};
use crate::shell::teardown;
use chrono::NaiveDate;
use std::fmt::Write;

fn day(ctx: &Ctx, on: Option<String>) -> Result<NaiveDate> {
    let Some(text) = on else { return Ok(ctx.today) };
    let date = dates::parse_date(&text, ctx.today, Lean::Past).map_err(|e| Error::option("--on", e))?;
    if date > ctx.today {
        return Err(Error::usage(format!("--on: {date} is in the future (today is {})", ctx.today)));
    }
    Ok(date)
}

fn task_ref(plan: &Plan, reference: &str, command: &str) -> Result<usize> {
    match plan.lookup(reference)? {
        Item::Task(i) => Ok(i),
        Item::Habit(h) => {
            let id = &plan.habits[h].id;
            Err(Error::usage(format!("`{reference}` is the habit {id}; `roadmap {command}` takes a task"))
                .with_hint(format!("check in a habit with `roadmap done {id}`")))
        }
    }
}

fn preamble(ctx: &Ctx, written: &Written) -> String {
    if written.created { created_note(ctx, &written.session) } else { String::new() }
}

pub fn done(
    ctx: &Ctx,
    refs: &[String],
    on: Option<String>,
    note: Option<String>,
    deliverable: Option<usize>,
    count: Option<u32>,
) -> Result<String> {
    let on = day(ctx, on)?;
    if deliverable.is_some() && refs.len() > 1 {
        return Err(Error::usage("--deliverable takes one task"));
    }
    if count == Some(0) {
        return Err(Error::usage("--count must be at least 1"));
    }
    let mut messages = Vec::new();
    let written = session::write(ctx, |session, _| {
        let plan = session.plan();
        let mut events = Vec::new();
        let mut seen = Vec::new();
        for reference in refs {
            let item = plan.lookup(reference)?;
            if seen.contains(&item) {
                continue;
            }
            seen.push(item);
            match (item, deliverable) {
                (Item::Habit(h), None) => {
                    let habit = &plan.habits[h];
                    let n = count.unwrap_or(habit.target);
                    let change = Change::Checkin { habit: HabitId(habit.id.clone()), on, count: n };
                    events.push(Event::new(change, note.clone()));
                }
                (Item::Habit(h), Some(_)) => {
                    return Err(Error::usage(format!(
                        "`{}` is a habit; --deliverable takes a task",
                        plan.habits[h].id
                    )));
                }
                (Item::Task(i), _) if count.is_some() => {
                    return Err(Error::usage(format!("--count is for habits; {} is a task", plan.tasks[i].full_id)));
                }
                (Item::Task(i), Some(n)) => {
                    let task = &plan.tasks[i];
                    let d = task.deliverables.get(n.wrapping_sub(1)).ok_or_else(|| {
                        if task.deliverables.is_empty() {
                            Error::usage(format!("{} has no deliverables", task.full_id))
                        } else {
                            let count = task.deliverables.len();
                            Error::usage(format!("{} has deliverables 1 to {count}, not {n}", task.full_id))
                                .with_hint(format!("`roadmap show {}` numbers them", task.id))
                        }
                    })?;
                    if session.progress.is_checked(&task.full_id, d.key()) {
                        messages.push(format!("Already checked: {}. {}", n, d.title));
                        continue;
                    }
                    let change = Change::Deliverable {
                        task: TaskId(task.full_id.clone()),
                        deliverable: d.key().to_string(),
                        on,
                    };
                    events.push(Event::new(change, note.clone()));
                }
                (Item::Task(i), None) => {
                    let task = &plan.tasks[i];
                    if let Status::Done(when) = session.progress.status(&task.full_id) {
                        messages.push(format!("Already done: {}  {} (on {when})", task.full_id, task.title));
                        continue;
                    }
                    events.push(Event::new(Change::Done { task: TaskId(task.full_id.clone()), on }, note.clone()));
                }
            }
        }
        Ok(events)
    })?;
    let session = &written.session;
    let plan = session.plan();
    let mut out = preamble(ctx, &written);
    for m in &messages {
        let _ = writeln!(out, "{m}");
    }
    if written.events.is_empty() {
        return Ok(out);
    }
    let outlook = session.outlook(ctx.today)?;
    let mut phases = Vec::new();
    for e in &written.events {
        match &e.change {
            Change::Done { task, .. } => {
                let Some(i) = plan.task_index(task.as_str()) else {
                    continue;
                };
                let task = &plan.tasks[i];
                let _ = writeln!(
                    out,
                    "{} {}  {}  ({}, {on})",
                    style_of(ctx).green("Done:"),
                    task.full_id,
                    task.title,
                    task.effort
                );
                let open: Vec<usize> = (0..task.deliverables.len())
                    .filter(|&n| !session.progress.is_checked(&task.full_id, task.deliverables[n].key()))
                    .collect();
                if let Some(&first) = open.first() {
                    let _ = writeln!(
                        out,
                        "  Deliverables not checked: {} of {} (roadmap done {} --deliverable {})",
                        open.len(),
                        task.deliverables.len(),
                        task.id,
                        first + 1
                    );
                }
                phases.push(task.phase);
            }
            Change::Deliverable { task, deliverable: key, .. } => {
                let Some(i) = plan.task_index(task.as_str()) else {
                    continue;
                };
                let task = &plan.tasks[i];
                let key = key.as_str();
                let n = task.deliverables.iter().position(|d| d.key() == key).map_or(0, |n| n + 1);
                let checked =
                    task.deliverables.iter().filter(|d| session.progress.is_checked(&task.full_id, d.key())).count();
                let title = task.deliverables.get(n.wrapping_sub(1)).map_or(key, |d| d.title.as_str());
                let _ = writeln!(out, "{} {}. {title}", style_of(ctx).green("Checked:"), n);
                let _ =
                    writeln!(out, "  {}: {checked} of {} deliverables checked", task.full_id, task.deliverables.len());
            }
            Change::Checkin { habit, .. } => {
                let Some(h) = plan.habit_index(habit.as_str()) else {
                    continue;
                };
                let habit = &plan.habits[h];
                let today_total = session.progress.checkin_count(&habit.id, on);
                let unit = habit.unit.as_deref().map(|u| format!(" {u}")).unwrap_or_default();
                let state = if today_total >= habit.target { "met" } else { "partial" };
                let _ = writeln!(
                    out,
                    "{} {}  {}  {today_total}/{}{unit} on {on} ({state})",
                    style_of(ctx).green("Checked in:"),
                    habit.id,
                    habit.title,
                    habit.target
                );
            }
            _ => {}
        }
    }
    phases.sort_unstable();
    phases.dedup();
    for p in phases {
        let _ = writeln!(out, "  {}", phase_line(plan, &session.progress, &outlook, p));
    }
    if written.events.iter().any(|e| matches!(e.change, Change::Done { .. })) {
        let s = slip(outlook.schedule.end, session.progress.baseline.end);
        let end =
            outlook.schedule.end.map(|e| format!(" · plan ends {e}")).unwrap_or_else(|| " · nothing left to do".into());
        let _ = writeln!(out, "  Plan: {}{end}", slip_text(s));
    }
    teardown::skip_teardown((written, outlook));
    Ok(out)
}

/// Records one event about one task after `check` approves.
fn task_event(
    ctx: &Ctx,
    reference: &str,
    command: &str,
    check: impl Fn(&Session, usize) -> Result<Event>,
) -> Result<(Written, usize)> {
    let mut index = 0;
    let written = session::write(ctx, |session, _| {
        index = task_ref(session.plan(), reference, command)?;
        Ok(vec![check(session, index)?])
    })?;
    Ok((written, index))
}

pub fn start(ctx: &Ctx, reference: &str, on: Option<String>, note: Option<String>) -> Result<String> {
    let on = day(ctx, on)?;
    let (written, i) = task_event(ctx, reference, "start", |session, i| {
        let task = &session.plan().tasks[i];
        if let Status::Done(when) = session.progress.status(&task.full_id) {
            return Err(Error::refused(format!("{} was done on {when}", task.full_id))
                .with_hint(format!("`roadmap reopen {}` first", task.id)));
        }
        Ok(Event::new(Change::Started { task: TaskId(task.full_id.clone()), on }, note.clone()))
    })?;
    let task = &written.session.plan().tasks[i];
    Ok(format!("{}Started: {}  {} on {on}\n", preamble(ctx, &written), task.full_id, task.title))
}

pub fn skip(ctx: &Ctx, reference: &str, note: Option<String>) -> Result<String> {
    let (written, i) = task_event(ctx, reference, "skip", |session, i| {
        let task = &session.plan().tasks[i];
        match session.progress.status(&task.full_id) {
            Status::Done(when) => Err(Error::refused(format!("{} was done on {when}", task.full_id))
                .with_hint(format!("`roadmap reopen {}` first", task.id))),
            Status::Skipped => Err(Error::refused(format!("{} is already skipped", task.full_id))),
            _ => Ok(Event::new(
                Change::Skipped { task: TaskId(task.full_id.clone()), on: Some(ctx.today) },
                note.clone(),
            )),
        }
    })?;
    let session = &written.session;
    let task = &session.plan().tasks[i];
    let outlook = session.outlook(ctx.today)?;
    let mut out = preamble(ctx, &written);
    let _ = writeln!(
        out,
        "Skipped: {}  {} ({} left out of the schedule; `roadmap reopen {}` brings it back)",
        task.full_id, task.title, task.effort, task.id
    );
    let _ = writeln!(out, "  {}", phase_line(session.plan(), &session.progress, &outlook, task.phase));
    Ok(out)
}

pub fn reopen(ctx: &Ctx, reference: &str, note: Option<String>) -> Result<String> {
    let (written, i) = task_event(ctx, reference, "reopen", |session, i| {
        let task = &session.plan().tasks[i];
        match session.progress.status(&task.full_id) {
            Status::Done(_) | Status::Skipped => {
                Ok(Event::new(Change::Reopened { task: TaskId(task.full_id.clone()) }, note.clone()))
            }
            s => {
                Err(Error::refused(format!("{} is {}, not done or skipped: nothing to reopen", task.full_id, s.word())))
            }
        }
    })?;
    let task = &written.session.plan().tasks[i];
    let status = written.session.progress.status(&task.full_id).word();
    Ok(format!("{}Reopened: {}  {} (now {status})\n", preamble(ctx, &written), task.full_id, task.title))
}

pub fn log(ctx: &Ctx, reference: &str, time: &str, on: Option<String>, note: Option<String>) -> Result<String> {
    let on = day(ctx, on)?;
    let amount = Effort::parse(time).map_err(|e| match e.hint {
        Some(hint) => Error::usage(e.message).with_hint(hint),
        None => Error::usage(e.message),
    })?;
    let (written, i) = task_event(ctx, reference, "log", |session, i| {
        let task = &session.plan().tasks[i];
        Ok(Event::new(Change::Logged { task: TaskId(task.full_id.clone()), on, minutes: amount }, note.clone()))
    })?;
    let session = &written.session;
    let task = &session.plan().tasks[i];
    let logged = session.progress.tasks.get(&task.full_id).map(|p| p.logged()).unwrap_or_default();
    let mut out = preamble(ctx, &written);
    let _ = writeln!(out, "Logged {amount} on {}  {} ({on})", task.full_id, task.title);
    let left = task.effort.saturating_sub(logged);
    let _ = writeln!(out, "  {logged} of {} logged · {left} left", task.effort);
    if left.is_zero() && !matches!(session.progress.status(&task.full_id), Status::Done(_)) {
        let _ = writeln!(out, "  The estimate is used up: `roadmap done {}` when it is finished.", task.id);
    }
    Ok(out)
}

pub fn undo(ctx: &Ctx) -> Result<String> {
    let mut undone = None;
    let written = session::write(ctx, |session, lock| {
        if session.loaded.as_ref().is_none_or(|l| !l.has_events()) {
            return Err(Error::refused("nothing to undo"));
        }
        let parsed = ctx.store.read_all_locked(lock)?.ok_or_else(|| Error::refused("nothing to undo"))?;
        let target = undo_target(&parsed.state).ok_or_else(|| Error::refused("nothing to undo"))?;
        undone = Some(target.clone());
        Ok(vec![Event::new(Change::Undo { target: target.seq }, None)])
    })?;
    let target = undone.ok_or_else(|| Error::refused("nothing to undo"))?;
    Ok(format!("{}Undid: {}\n", preamble(ctx, &written), describe(&target)))
}
