//! `roadmap validate [FILE]`: every error, or a summary of a valid plan and
//! whether each phase fits its window at the default calendar.

use super::json;
use super::style_of;
use crate::core::calendar::{Calendar, WeekHours};
use crate::core::effort::Effort;
use crate::core::outlook::Outlook;
use crate::core::phrase;
use crate::core::schedule::Work;
use crate::render::summary::verdict_text;
use crate::render::table::{self, cell, right};
use crate::shell::context::Ctx;
use crate::shell::error::{Error, Result};
use crate::shell::plan_source::load_plan;
use std::fmt::Write;

pub fn run(ctx: &Ctx, file: Option<String>, as_json: bool) -> Result<String> {
    let recorded = match (&file, &ctx.plan_arg) {
        (None, None) => ctx.store.read().ok().flatten().map(|l| l.header.plan),
        _ => None,
    };
    let source = load_plan(file.as_deref().or(ctx.plan_arg.as_deref()), recorded.as_ref())?;
    let plan = &source.plan;
    let calendar = Calendar::new(ctx.today, WeekHours::DEFAULT);
    let work: Vec<Work> = plan.tasks.iter().map(|t| Work::Open { remaining: t.effort, first: None }).collect();
    let outlook = match Outlook::with_calendar(plan, &calendar, work, ctx.today) {
        Ok(outlook) => outlook,
        Err(e) => return Ok(unschedulable(&source.label, plan, &Error::from(e).report(), as_json)),
    };
    let phase_effort = |p: usize| -> Effort { plan.phase_effort(p, |_| true) };
    if as_json {
        let phases: Vec<_> = plan
            .phases
            .iter()
            .enumerate()
            .map(|(p, ph)| {
                let span = outlook.schedule.phases[p];
                serde_json::json!({
                    "id": ph.id,
                    "title": ph.title,
                    "modules": ph.modules.len(),
                    "tasks": ph.tasks.len(),
                    "effort_minutes": phase_effort(p).minutes(),
                    "duration": ph.duration.as_ref().map(|d| d.text.clone()),
                    "span_days": span.map(|s| s.days()),
                    "verdict": outlook.verdicts[p].map(|v| v.fit),
                    "weekly_minutes_to_fit": outlook.verdicts[p].and_then(|v| v.weekly_to_fit),
                })
            })
            .collect();
        return Ok(json(&serde_json::json!({
            "valid": true,
            "source": source.label,
            "id": plan.id,
            "title": plan.title,
            "tracks": plan.tracks.iter().map(|t| t.id.clone()).collect::<Vec<_>>(),
            "habits": plan.habits.len(),
            "tasks": plan.tasks.len(),
            "effort_minutes": plan.total_effort().minutes(),
            "phases": phases,
        })));
    }
    let mut out = String::new();
    let _ = writeln!(out, "{}: valid plan `{}` · {}", source.label, plan.id, plan.title);
    let tracks = if plan.tracks.is_empty() {
        String::new()
    } else {
        format!(
            ", {} ({})",
            phrase::count(plan.tracks.len() as i64, "track", "tracks"),
            plan.tracks.iter().map(|t| t.id.as_str()).collect::<Vec<_>>().join(", ")
        )
    };
    let _ = writeln!(
        out,
        "  {}, {}, {}, {}{tracks}, {} of work",
        phrase::count(plan.phases.len() as i64, "phase", "phases"),
        phrase::count(plan.modules.len() as i64, "module", "modules"),
        phrase::count(plan.tasks.len() as i64, "task", "tasks"),
        phrase::count(plan.habits.len() as i64, "habit", "habits"),
        phrase::hours(i64::from(plan.total_effort().minutes())),
    );
    let _ = writeln!(out, "  At the default calendar (2h Mon–Fri, 4h Sat–Sun, all tracks) from {}:", ctx.today);
    let mut t = table::plain(style_of(ctx));
    t.set_header(vec!["phase", "title", "tasks", "effort", "span", "window"]);
    for (p, ph) in plan.phases.iter().enumerate() {
        let span = outlook.schedule.phases[p];
        t.add_row(vec![
            cell(&ph.id),
            cell(&ph.title),
            right(ph.tasks.len()),
            right(phrase::hours(i64::from(phase_effort(p).minutes()))),
            right(span.map_or("-".to_string(), |s| phrase::days(s.days()))),
            cell(verdict_text(plan, p, outlook.verdicts[p].as_ref())),
        ]);
    }
    out.push_str(&table::render(&t));
    Ok(out)
}

/// A valid plan that the default calendar cannot schedule (habits take
/// every hour, say): still valid, with the reason.
fn unschedulable(label: &str, plan: &crate::core::plan::Plan, reason: &str, as_json: bool) -> String {
    if as_json {
        return json(&serde_json::json!({
            "valid": true,
            "source": label,
            "id": plan.id,
            "title": plan.title,
            "tasks": plan.tasks.len(),
            "effort_minutes": plan.total_effort().minutes(),
            "schedulable": false,
            "reason": reason,
        }));
    }
    let first = reason.lines().next().unwrap_or(reason);
    format!(
        "{label}: valid plan `{}` · {}\n  {}, {} of work\n  At the default calendar (2h Mon–Fri, 4h Sat–Sun) it cannot be scheduled: {first}\n",
        plan.id,
        plan.title,
        phrase::count(plan.tasks.len() as i64, "task", "tasks"),
        phrase::hours(i64::from(plan.total_effort().minutes()))
    )
}
