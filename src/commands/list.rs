//! `roadmap list`: phases → modules → tasks with number, id, effort, status.

use super::style_of;
use super::{json, phase_effort, verdict_text};
use crate::core::effort::Effort;
use crate::core::phrase;
use crate::core::schedule::Work;
use crate::render::table::{self, Table, cell, right};
use crate::shell::context::Ctx;
use crate::shell::error::{Error, Result};
use crate::shell::session::Session;
use crate::shell::teardown;

pub fn run(ctx: &Ctx, phase: Option<String>, track: Option<String>, as_json: bool) -> Result<String> {
    let session = Session::open(ctx)?;
    let plan = session.plan();
    let progress = &session.progress;
    let outlook = session.outlook(ctx.today)?;
    let phase_filter = match &phase {
        Some(id) => Some(plan.phases.iter().position(|p| &p.id == id).ok_or_else(|| {
            Error::Usage(format!(
                "no phase `{id}` in {}\n  hint: phases: {}",
                session.source.label,
                plan.phases.iter().map(|p| p.id.as_str()).collect::<Vec<_>>().join(", ")
            ))
        })?),
        None => None,
    };
    if let Some(id) = &track
        && !plan.tracks.iter().any(|t| &t.id == id)
    {
        return Err(Error::Usage(format!(
            "no track `{id}` in {}\n  hint: tracks: {}",
            session.source.label,
            plan.tracks.iter().map(|t| t.id.as_str()).collect::<Vec<_>>().join(", ")
        )));
    }
    let shown = |i: usize| match (&track, &plan.tasks[i].track) {
        (Some(want), Some(has)) => want == has,
        _ => true,
    };
    let status = |i: usize| match outlook.work[i] {
        Work::Unselected => "off track".to_string(),
        _ => progress.status(&plan.tasks[i].full_id).word().to_string(),
    };
    let phases: Vec<usize> = (0..plan.phases.len()).filter(|p| phase_filter.is_none_or(|f| f == *p)).collect();
    if as_json {
        let phases_json: Vec<_> = phases
            .iter()
            .map(|&p| {
                let ph = &plan.phases[p];
                let (total, earned) = phase_effort(plan, progress, &outlook.work, p);
                let modules: Vec<_> = plan.modules[ph.modules.clone()]
                    .iter()
                    .map(|m| {
                        let tasks: Vec<_> = m
                            .tasks
                            .clone()
                            .filter(|&i| shown(i))
                            .map(|i| {
                                let t = &plan.tasks[i];
                                serde_json::json!({
                                    "number": i + 1,
                                    "id": t.full_id,
                                    "title": t.title,
                                    "effort_minutes": t.effort.minutes(),
                                    "status": status(i),
                                    "track": t.track,
                                })
                            })
                            .collect();
                        serde_json::json!({"id": format!("{}.{}", ph.id, m.id), "title": m.title, "tasks": tasks})
                    })
                    .collect();
                serde_json::json!({
                    "id": ph.id,
                    "title": ph.title,
                    "duration": ph.duration.as_ref().map(|d| d.text.clone()),
                    "effort_minutes": total.minutes(),
                    "earned_minutes": earned.minutes(),
                    "modules": modules,
                })
            })
            .collect();
        let text = json(&serde_json::json!({
            "plan": {"id": plan.id, "title": plan.title, "source": session.source.label},
            "phases": phases_json,
        }));
        teardown::skip_teardown((session, outlook));
        return Ok(text);
    }
    let mut t = Table::new(style_of(ctx));
    t.set_header(&["#", "id", "title", "effort", "status"]);
    for &p in &phases {
        let ph = &plan.phases[p];
        let (total, earned) = phase_effort(plan, progress, &outlook.work, p);
        let verdict = verdict_text(plan, p, outlook.verdicts[p].as_ref());
        let title = if verdict.is_empty() { ph.title.clone() } else { format!("{} · {verdict}", ph.title) };
        t.add_row(vec![
            cell(""),
            cell(style_of(ctx).bold(&ph.id)),
            cell(style_of(ctx).bold(&title)),
            right(phrase::hours(i64::from(total.minutes()))),
            cell(format!("{}% done", crate::render::percent(earned.minutes(), total.minutes()))),
        ]);
        for m in &plan.modules[ph.modules.clone()] {
            let tasks: Vec<usize> = m.tasks.clone().filter(|&i| shown(i)).collect();
            if tasks.is_empty() {
                continue;
            }
            let effort: Effort = tasks
                .iter()
                .filter(|&&i| !matches!(outlook.work[i], Work::Unselected | Work::Skipped))
                .map(|&i| plan.tasks[i].effort)
                .sum();
            t.add_row(vec![
                cell(""),
                cell(format!("{}.{}", ph.id, m.id)),
                cell(&m.title),
                right(phrase::hours(i64::from(effort.minutes()))),
                cell(""),
            ]);
            for i in tasks {
                let task = &plan.tasks[i];
                t.add_row(vec![
                    right(i + 1),
                    cell(format!("  {}", task.full_id)),
                    cell(&task.title),
                    right(task.effort),
                    table::status(&status(i)),
                ]);
            }
        }
    }
    t.only_wrap(&[1, 2]);
    let text = t.render();
    teardown::skip_teardown((session, outlook, t));
    Ok(text)
}
