//! `roadmap next`: the morning screen. Where the learner stands, today's
//! work with its open deliverables, habits due, overdue tasks, what comes
//! next, and one health line.

use super::json;
use super::style_of;
use crate::core::dates;
use crate::core::habits::{HabitView, Mark};
use crate::core::outlook::plan_effort;
use crate::core::outlook::{Outlook, slip};
use crate::core::phrase;
use crate::core::plan::Plan;
use crate::core::progress::{Progress, Status};
use crate::core::schedule::{Verdict, Work};
use crate::core::window::Fit;
use crate::render::summary::health_line;
use crate::render::table::{self, cell, right};
use crate::render::verdict;
use crate::shell::context::Ctx;
use crate::shell::error::Result;
use crate::shell::session::Session;
use crate::shell::teardown;
use chrono::NaiveDate;
use std::fmt::Write;

/// How many upcoming tasks are shown.
const COMING_UP: usize = 3;

struct Today {
    /// (task, minutes planned today, remaining minutes, planned end)
    tasks: Vec<(usize, u32, u32, NaiveDate)>,
    available: u32,
    for_tasks: u32,
    off: Option<Option<String>>,
}

pub fn run(ctx: &Ctx, as_json: bool) -> Result<String> {
    let session = Session::open(ctx)?;
    let plan = session.plan();
    let progress = &session.progress;
    let outlook = session.outlook(ctx.today)?;
    let today = ctx.today;
    let phase = outlook.current_phase(plan, today);
    let (total, earned) = plan_effort(plan, progress, &outlook.work);
    let todays = todays_work(plan, progress, &outlook, phase, today);
    let habits = habits_due(plan, &session, &outlook, today);
    let overdue = overdue(plan, progress, &outlook, today);
    let coming = coming_up(&outlook, today);
    let orphans = outlook.orphans(plan, progress);
    if as_json {
        let text = json(&serde_json::json!({
            "date": today,
            "preview": session.is_preview(),
            "phase": phase.map(|p| serde_json::json!({
                "id": plan.phases[p].id,
                "title": plan.phases[p].title,
                "duration": plan.phases[p].duration.as_ref().map(|d| d.text.clone()),
                "week": phase_week(&outlook, p, today),
                "window": crate::core::forecast::WindowVerdict::of(plan, p, outlook.verdicts[p].as_ref()),
            })),
            "progress": {"earned_minutes": earned.minutes(), "total_minutes": total.minutes(), "percent": crate::render::percent(earned.minutes(), total.minutes())},
            "today": {
                "available_minutes": todays.available,
                "task_minutes": todays.for_tasks,
                "day_off": todays.off.is_some(),
                "tasks": todays.tasks.iter().map(|&(i, minutes, left, end)| {
                    let t = &plan.tasks[i];
                    serde_json::json!({
                        "number": i + 1, "id": t.full_id, "title": t.title,
                        "minutes_today": minutes, "remaining_minutes": left, "planned_end": end,
                        "open_deliverables": t.deliverables.iter().filter(|d| !progress.is_checked(&t.full_id, d.key())).map(|d| d.title.clone()).collect::<Vec<_>>(),
                    })
                }).collect::<Vec<_>>(),
            },
            "habits": habits.iter().map(|h| serde_json::json!({
                "id": h.id, "title": h.title, "count": h.count, "target": h.target, "unit": h.unit, "streak": h.streak, "streak_unit": h.streak_unit,
            })).collect::<Vec<_>>(),
            "overdue": overdue.iter().map(|&(i, end, left)| serde_json::json!({
                "number": i + 1, "id": plan.tasks[i].full_id, "title": plan.tasks[i].title, "baseline_end": end, "remaining_minutes": left,
            })).collect::<Vec<_>>(),
            "coming_up": coming.iter().map(|&(i, start)| serde_json::json!({
                "number": i + 1, "id": plan.tasks[i].full_id, "title": plan.tasks[i].title, "planned_start": start, "effort_minutes": plan.tasks[i].effort.minutes(),
            })).collect::<Vec<_>>(),
            "slip_days": slip(outlook.schedule.end, progress.baseline.end),
            "forecast_end": outlook.schedule.end,
            "baseline_end": progress.baseline.end,
            "orphaned_tasks": orphans,
        }));
        teardown::skip_teardown((session, outlook));
        return Ok(text);
    }
    let s = style_of(ctx);
    let mut out = String::new();
    let mut head = dates::long(today);
    if let Some(p) = phase {
        let ph = &plan.phases[p];
        let _ = write!(head, " · {} {}", ph.id, ph.title);
        match (phase_week(&outlook, p, today), &ph.duration) {
            (Some(week), Some(window)) => {
                let _ = write!(head, " · week {week} of {window}");
            }
            (Some(week), None) => {
                let _ = write!(head, " · week {week}");
            }
            _ => {}
        }
    }
    let _ = write!(head, " · {}% of the plan done", crate::render::percent(earned.minutes(), total.minutes()));
    let _ = writeln!(out, "{}", s.bold(&head));
    if session.is_preview() {
        let _ = writeln!(
            out,
            "{}",
            s.dim("Preview: nothing saved yet, so this is the built-in plan from today. `roadmap init` sets your start and hours; `roadmap done TASK` starts tracking.")
        );
    }
    if !orphans.is_empty() {
        let _ = writeln!(
            out,
            "{}",
            s.yellow(&format!(
                "Note: progress saved for {} the plan no longer has ({}); `roadmap doctor` explains.",
                phrase::count(orphans.len() as i64, "task", "tasks"),
                orphans.join(", ")
            ))
        );
    }
    out.push('\n');
    let all_done = outlook.work.iter().all(|w| !matches!(w, Work::Open { .. }));
    if all_done {
        let _ = writeln!(out, "{}", s.green("Every task on your tracks is done or skipped."));
    } else {
        render_today(ctx, plan, progress, &todays, &mut out);
    }
    if !habits.is_empty() {
        let _ = writeln!(out, "\n{}", s.bold("Habits due today"));
        let mut t = table::plain(s);
        for h in &habits {
            let unit = h.unit.as_deref().map(|u| format!(" {u}")).unwrap_or_default();
            let count = format!("{}/{}{unit}", h.count, h.target);
            let count = if h.count >= h.target { s.green(&count) } else { count };
            t.add_row(vec![
                cell(&h.id),
                cell(&h.title),
                cell(count),
                cell(format!("streak {} {}", h.streak, h.streak_unit)),
            ]);
        }
        out.push_str(&table::render(&t));
    }
    if !overdue.is_empty() {
        let _ = writeln!(out, "\n{}", s.red(&s.bold("Overdue")));
        let mut t = table::plain(s);
        for &(i, end, left) in &overdue {
            let task = &plan.tasks[i];
            t.add_row(vec![
                right(i + 1),
                cell(&task.full_id),
                cell(&task.title),
                cell(format!("baseline end {} · {} left", dates::short(end), phrase::hours(i64::from(left)))),
            ]);
        }
        out.push_str(&table::render(&t));
    }
    if !coming.is_empty() {
        let _ = writeln!(out, "\n{}", s.bold("Coming up"));
        let mut t = table::plain(s);
        for &(i, start) in &coming {
            let task = &plan.tasks[i];
            t.add_row(vec![
                cell(dates::short(start)),
                right(i + 1),
                cell(&task.full_id),
                cell(&task.title),
                right(task.effort),
            ]);
        }
        out.push_str(&table::render(&t));
    }
    let _ = writeln!(out, "\n{}", health_line(progress, &outlook));
    if let Some(line) = phase.and_then(|p| over_window_line(plan, &outlook, p)) {
        let _ = writeln!(out, "{}", s.red(&line));
    }
    teardown::skip_teardown((session, outlook));
    Ok(out)
}

fn render_today(ctx: &Ctx, plan: &Plan, progress: &Progress, todays: &Today, out: &mut String) {
    let s = style_of(ctx);
    if let Some(note) = &todays.off {
        let note = note.as_deref().map(|n| format!(" ({n})")).unwrap_or_default();
        let _ = writeln!(out, "{}", s.bold(&format!("Today: day off{note}")));
        return;
    }
    let _ = writeln!(
        out,
        "{}",
        s.bold(&format!(
            "Today: {} available, {} for tasks after habits",
            phrase::hours(i64::from(todays.available)),
            phrase::hours(i64::from(todays.for_tasks))
        ))
    );
    if todays.tasks.is_empty() {
        let why = if todays.available == 0 {
            " (no study hours on this weekday)"
        } else if todays.for_tasks == 0 {
            " (habits take all of today's hours)"
        } else {
            ""
        };
        let _ = writeln!(out, "  Nothing planned today{why}.");
        return;
    }
    for &(i, minutes, left, end) in &todays.tasks {
        let task = &plan.tasks[i];
        let mut t = table::plain(s);
        t.add_row(vec![
            right(i + 1),
            cell(s.bold(&task.full_id)),
            cell(&task.title),
            cell(format!(
                "{} today · {} left · ends {}",
                phrase::hours(i64::from(minutes)),
                phrase::hours(i64::from(left)),
                dates::short(end)
            )),
        ]);
        out.push_str(&table::render(&t));
        for d in task.deliverables.iter().filter(|d| !progress.is_checked(&task.full_id, d.key())) {
            let _ = writeln!(out, "       [ ] {}", d.title);
        }
    }
}

fn todays_work(plan: &Plan, progress: &Progress, outlook: &Outlook, phase: Option<usize>, today: NaiveDate) -> Today {
    let calendar = &progress.calendar;
    let off = calendar.day_off(today).map(|o| o.note.clone());
    let available = if off.is_some() { 0 } else { calendar.hours.on(chrono::Datelike::weekday(&today)) };
    let for_tasks = calendar.capacity_checked_in(plan, &progress.checkins, today, phase);
    let tasks = outlook
        .schedule
        .tasks
        .iter()
        .enumerate()
        .filter_map(|(i, slot)| {
            let slot = slot.as_ref()?;
            // Every planned day lies between start and end: most slots are
            // ruled out without reading their days.
            if today < slot.start || slot.end < today {
                return None;
            }
            let minutes = slot.days.iter().find(|d| d.0 == today)?.1;
            let left = match outlook.work[i] {
                Work::Open { remaining, .. } => remaining.minutes(),
                _ => 0,
            };
            Some((i, minutes, left, slot.end))
        })
        .collect();
    Today { tasks, available, for_tasks, off }
}

struct HabitLine {
    id: String,
    title: String,
    count: u32,
    target: u32,
    unit: Option<String>,
    streak: u32,
    streak_unit: &'static str,
}

fn habits_due(plan: &Plan, session: &Session, outlook: &Outlook, today: NaiveDate) -> Vec<HabitLine> {
    plan.habits
        .iter()
        .filter_map(|habit| {
            let view = HabitView {
                habit,
                calendar: session.calendar(),
                progress: &session.progress,
                clock: &outlook.clock,
                today,
            };
            if !view.is_due(today) || view.mark(today) == Mark::Off {
                return None;
            }
            let streak = view.current_streak();
            Some(HabitLine {
                id: habit.id.clone(),
                title: habit.title.clone(),
                count: view.count(today),
                target: habit.target,
                unit: habit.unit.clone(),
                streak,
                streak_unit: view.streak_unit(streak),
            })
        })
        .collect()
}

/// Tasks whose baseline end has passed and that are not done: (task, baseline end, minutes left).
fn overdue(plan: &Plan, progress: &Progress, outlook: &Outlook, today: NaiveDate) -> Vec<(usize, NaiveDate, u32)> {
    plan.tasks
        .iter()
        .enumerate()
        .filter_map(|(i, task)| {
            let Work::Open { remaining, .. } = outlook.work[i] else {
                return None;
            };
            let end = progress.baseline.tasks.get(&task.full_id)?[1];
            (end < today && progress.status(&task.full_id) != Status::Skipped).then_some((i, end, remaining.minutes()))
        })
        .collect()
}

/// The next few tasks that start after today.
fn coming_up(outlook: &Outlook, today: NaiveDate) -> Vec<(usize, NaiveDate)> {
    outlook
        .order
        .iter()
        .filter_map(|&i| {
            let slot = outlook.schedule.tasks[i].as_ref()?;
            let first_planned = slot.days.first()?.0;
            (first_planned > today).then_some((i, first_planned))
        })
        .take(COMING_UP)
        .collect()
}

/// `p4 高阶项目与实习准备: over 2-3个月 by 12 days; it fits at 15.5 h/week`
/// when the phase's forecast runs past its window.
fn over_window_line(plan: &Plan, outlook: &Outlook, p: usize) -> Option<String> {
    let window = plan.phases[p].duration.as_ref()?;
    let Some(Verdict { fit: Fit::Over { days }, weekly_to_fit }) = outlook.verdicts[p] else {
        return None;
    };
    let phase = format!("{} {}", plan.phases[p].id, plan.phases[p].title);
    Some(verdict::over_window(&phase, &window.text, days, weekly_to_fit))
}

/// Week N of the current phase, counting from its first worked day (week 1
/// until work on it begins).
fn phase_week(outlook: &Outlook, phase: usize, today: NaiveDate) -> Option<i64> {
    let span = outlook.schedule.phases[phase]?;
    Some((today - span.first).num_days().max(0) / 7 + 1)
}
