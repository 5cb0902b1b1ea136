//! `roadmap show TASK`: one task (or habit) in full.

use super::json;
use super::style_of;
use crate::core::dates;
use crate::core::habits::HabitView;
use crate::core::phrase;
use crate::core::plan::Item;
use crate::core::schedule::Work;
use crate::shell::context::Ctx;
use crate::shell::error::Result;
use crate::shell::session::Session;
use std::fmt::Write;

pub fn run(ctx: &Ctx, reference: &str, as_json: bool) -> Result<String> {
    let session = Session::open(ctx)?;
    match session.plan().lookup(reference)? {
        Item::Task(i) => task(ctx, &session, i, as_json),
        Item::Habit(h) => habit(ctx, &session, h, as_json),
    }
}

fn task(ctx: &Ctx, session: &Session, i: usize, as_json: bool) -> Result<String> {
    let plan = session.plan();
    let progress = &session.progress;
    let outlook = session.outlook(ctx.today)?;
    let t = &plan.tasks[i];
    let phase = &plan.phases[t.phase];
    let module = &plan.modules[t.module];
    let status = match outlook.work[i] {
        Work::Unselected => "off track (its track is not selected)".to_string(),
        _ => match progress.status(&t.full_id) {
            crate::core::progress::Status::Done(on) => format!("done on {on}"),
            s => s.word().to_string(),
        },
    };
    let logged = progress.tasks.get(&t.full_id).map(|p| p.logged()).unwrap_or_default();
    let slot = outlook.schedule.tasks[i].as_ref();
    let baseline = progress.baseline.tasks.get(&t.full_id);
    let dependents = plan.dependents(i);
    if as_json {
        let deliverables: Vec<_> = t
            .deliverables
            .iter()
            .enumerate()
            .map(|(n, d)| {
                serde_json::json!({"number": n + 1, "id": d.id, "title": d.title, "checked": progress.is_checked(&t.full_id, d.key())})
            })
            .collect();
        let resources: Vec<_> =
            t.resources.iter().map(|r| serde_json::json!({"title": r.title, "url": r.url})).collect();
        return Ok(json(&serde_json::json!({
            "kind": "task",
            "number": i + 1,
            "id": t.full_id,
            "title": t.title,
            "phase": {"id": phase.id, "title": phase.title},
            "module": {"id": format!("{}.{}", phase.id, module.id), "title": module.title},
            "effort_minutes": t.effort.minutes(),
            "logged_minutes": logged.minutes(),
            "status": progress.status(&t.full_id).word(),
            "planned_start": slot.map(|s| s.start),
            "planned_end": slot.map(|s| s.end),
            "baseline_end": baseline.map(|b| b[1]),
            "notes": t.notes,
            "deliverables": deliverables,
            "resources": resources,
            "after": t.after.iter().map(|&d| plan.tasks[d].full_id.clone()).collect::<Vec<_>>(),
            "needed_by": dependents.iter().map(|&d| plan.tasks[d].full_id.clone()).collect::<Vec<_>>(),
            "track": t.track,
            "tags": t.tags,
        })));
    }
    let s = style_of(ctx);
    let mut out = String::new();
    let _ = writeln!(out, "{}  {}  {}", s.dim(&format!("#{}", i + 1)), s.bold(&t.full_id), s.bold(&t.title));
    let _ = writeln!(out, "  phase    {} {}", phase.id, phase.title);
    let _ = writeln!(out, "  module   {}.{} {}", phase.id, module.id, module.title);
    let mut effort = format!("{}", t.effort);
    if !logged.is_zero() {
        let _ = write!(effort, " ({logged} logged)");
    }
    let _ = writeln!(out, "  effort   {effort}");
    let _ = writeln!(out, "  status   {status}");
    if let Some(slot) = slot.filter(|s| !s.done) {
        let mut line = format!("  planned  {} → {}", dates::short(slot.start), dates::short(slot.end));
        if let Some(b) = baseline {
            let _ = write!(line, " (baseline end {})", dates::short(b[1]));
        }
        let _ = writeln!(out, "{line}");
    }
    if let Some(track) = &t.track {
        let title = plan.tracks.iter().find(|tr| &tr.id == track).map_or("", |tr| tr.title.as_str());
        let _ = writeln!(out, "  track    {track} {title}");
    }
    if !t.tags.is_empty() {
        let _ = writeln!(out, "  tags     {}", t.tags.join(", "));
    }
    if let Some(notes) = &t.notes {
        let _ = writeln!(out, "\n{}", s.bold("Notes"));
        for line in notes.trim_end().lines() {
            let _ = writeln!(out, "{}", format!("  {line}").trim_end());
        }
    }
    if !t.deliverables.is_empty() {
        let _ = writeln!(out, "\n{}", s.bold("Deliverables"));
        for (n, d) in t.deliverables.iter().enumerate() {
            let mark = if progress.is_checked(&t.full_id, d.key()) { "[x]" } else { "[ ]" };
            let _ = writeln!(out, "  {}. {mark} {}", n + 1, d.title);
        }
    }
    if !t.resources.is_empty() {
        let _ = writeln!(out, "\n{}", s.bold("Resources"));
        for r in &t.resources {
            match &r.url {
                Some(url) if url != &r.title => {
                    let _ = writeln!(out, "  - {}  {}", r.title, s.cyan(url));
                }
                _ => {
                    let _ = writeln!(out, "  - {}", r.title);
                }
            }
        }
    }
    let related = |title: &str, list: &[usize], out: &mut String| {
        if list.is_empty() {
            return;
        }
        let _ = writeln!(out, "\n{}", s.bold(title));
        for &d in list {
            let dt = &plan.tasks[d];
            let _ = writeln!(
                out,
                "  {:>3}  {}  {}  ({})",
                d + 1,
                dt.full_id,
                dt.title,
                progress.status(&dt.full_id).word()
            );
        }
    };
    related("Depends on", &t.after, &mut out);
    related("Needed by", &dependents, &mut out);
    Ok(out)
}

fn habit(ctx: &Ctx, session: &Session, h: usize, as_json: bool) -> Result<String> {
    let plan = session.plan();
    let habit = &plan.habits[h];
    let outlook = session.outlook(ctx.today)?;
    let view = HabitView {
        habit,
        calendar: session.calendar(),
        progress: &session.progress,
        clock: &outlook.clock,
        today: ctx.today,
    };
    let phases: Vec<String> = habit.phases.iter().map(|&p| plan.phases[p].id.clone()).collect();
    let streak = view.current_streak();
    let longest = view.longest_streak();
    let today_count = view.count(ctx.today);
    if as_json {
        return Ok(json(&serde_json::json!({
            "kind": "habit",
            "id": habit.id,
            "title": habit.title,
            "every": habit.every.text,
            "target": habit.target,
            "unit": habit.unit,
            "effort_minutes": habit.effort.minutes(),
            "phases": phases,
            "due_today": view.is_due(ctx.today),
            "today": today_count,
            "streak": streak,
            "longest_streak": longest,
        })));
    }
    let s = style_of(ctx);
    let unit = habit.unit.as_deref().map(|u| format!(" {u}")).unwrap_or_default();
    let mut out = String::new();
    let _ = writeln!(out, "{}  {}  {}", s.dim("habit"), s.bold(&habit.id), s.bold(&habit.title));
    let _ = writeln!(out, "  every    {}", habit.every);
    let _ = writeln!(out, "  target   {}{unit}", habit.target);
    if !habit.effort.is_zero() {
        let _ = writeln!(out, "  reserves {} on each due day", habit.effort);
    }
    let _ = writeln!(out, "  phases   {}", if phases.is_empty() { "all".to_string() } else { phases.join(", ") });
    let due =
        if view.is_due(ctx.today) { format!("{today_count}/{}{unit}", habit.target) } else { "not due".to_string() };
    let _ = writeln!(out, "  today    {due}");
    let _ = writeln!(
        out,
        "  streak   {} {} (longest {})",
        streak,
        view.streak_unit(streak),
        phrase::count(i64::from(longest), view.streak_unit(1), view.streak_unit(2))
    );
    Ok(out)
}
