//! `roadmap schedule`: the computed schedule against the baseline.

use super::style_of;
use super::{json, verdict_text};
use crate::core::dates;
use crate::core::outlook::slip;
use crate::core::phrase;
use crate::core::schedule::Work;
use crate::render::table::{self, Table, cell, right};
use crate::shell::context::Ctx;
use crate::shell::error::{Error, Result};
use crate::shell::session::Session;
use crate::shell::teardown;

pub fn run(ctx: &Ctx, phase: Option<String>, as_json: bool) -> Result<String> {
    let session = Session::open(ctx)?;
    let plan = session.plan();
    let progress = &session.progress;
    let outlook = session.outlook(ctx.today)?;
    let phases: Vec<usize> = match &phase {
        Some(id) => vec![plan.phases.iter().position(|p| &p.id == id).ok_or_else(|| {
            Error::Usage(format!(
                "no phase `{id}`\n  hint: phases: {}",
                plan.phases.iter().map(|p| p.id.as_str()).collect::<Vec<_>>().join(", ")
            ))
        })?],
        None => (0..plan.phases.len()).collect(),
    };
    let status = |i: usize| -> String {
        match outlook.work[i] {
            Work::Unselected => "off track".into(),
            Work::Open { .. } => {
                let late = progress.baseline.tasks.get(&plan.tasks[i].full_id).is_some_and(|b| b[1] < ctx.today);
                if late { "overdue".into() } else { progress.status(&plan.tasks[i].full_id).word().into() }
            }
            _ => progress.status(&plan.tasks[i].full_id).word().into(),
        }
    };
    if as_json {
        let list: Vec<_> = phases
            .iter()
            .map(|&p| {
                let ph = &plan.phases[p];
                let span = outlook.schedule.phases[p];
                let base = progress.baseline.phases.get(&ph.id);
                let tasks: Vec<_> = ph
                    .tasks
                    .clone()
                    .map(|i| {
                        let t = &plan.tasks[i];
                        let slot = outlook.schedule.tasks[i].as_ref();
                        let b = progress.baseline.tasks.get(&t.full_id);
                        serde_json::json!({
                            "number": i + 1, "id": t.full_id, "title": t.title, "effort_minutes": t.effort.minutes(),
                            "start": slot.map(|s| s.start), "end": slot.map(|s| s.end),
                            "baseline_end": b.map(|b| b[1]),
                            "slip_days": slip(slot.map(|s| s.end), b.map(|b| b[1])),
                            "status": status(i),
                        })
                    })
                    .collect();
                serde_json::json!({
                    "id": ph.id, "title": ph.title,
                    "start": span.map(|s| s.first), "end": span.map(|s| s.last),
                    "baseline_end": base.map(|b| b[1]),
                    "slip_days": slip(span.map(|s| s.last), base.map(|b| b[1])),
                    "verdict": outlook.verdicts[p].map(|v| v.fit),
                    "weekly_minutes_to_fit": outlook.verdicts[p].and_then(|v| v.weekly_to_fit),
                    "tasks": tasks,
                })
            })
            .collect();
        let text = json(&serde_json::json!({
            "today": ctx.today,
            "end": outlook.schedule.end,
            "baseline_end": progress.baseline.end,
            "slip_days": slip(outlook.schedule.end, progress.baseline.end),
            "phases": list,
        }));
        teardown::skip_teardown((session, outlook));
        return Ok(text);
    }
    let s = style_of(ctx);
    let mut t = Table::new(s);
    t.set_header(&["#", "id", "title", "effort", "start", "end", "baseline", "slip", "status"]);
    let slip_cell =
        |d: Option<i64>| right(d.map_or(String::new(), |d| if d == 0 { "0".into() } else { format!("{d:+}d") }));
    for &p in &phases {
        let ph = &plan.phases[p];
        let span = outlook.schedule.phases[p];
        let base = progress.baseline.phases.get(&ph.id).map(|b| b[1]);
        let (effort, _) = super::phase_effort(plan, progress, &outlook.work, p);
        let verdict = verdict_text(plan, p, outlook.verdicts[p].as_ref());
        let title = if verdict.is_empty() { ph.title.clone() } else { format!("{} · {verdict}", ph.title) };
        t.add_row(vec![
            cell(""),
            cell(s.bold(&ph.id)),
            cell(s.bold(&title)),
            right(phrase::hours(i64::from(effort.minutes()))),
            cell(span.map_or(String::new(), |s| dates::iso(s.first))),
            cell(span.map_or(String::new(), |s| dates::iso(s.last))),
            cell(base.map_or(String::new(), dates::iso)),
            slip_cell(slip(span.map(|s| s.last), base)),
            cell(""),
        ]);
        for i in ph.tasks.clone() {
            let task = &plan.tasks[i];
            let slot = outlook.schedule.tasks[i].as_ref();
            let b = progress.baseline.tasks.get(&task.full_id).map(|b| b[1]);
            t.add_row(vec![
                right(i + 1),
                cell(&task.full_id),
                cell(&task.title),
                right(task.effort),
                cell(slot.map_or(String::new(), |s| dates::iso(s.start))),
                cell(slot.map_or(String::new(), |s| dates::iso(s.end))),
                cell(b.map_or(String::new(), dates::iso)),
                slip_cell(slip(slot.map(|s| s.end), b)),
                table::status(&status(i)),
            ]);
        }
    }
    t.only_wrap(&[1, 2]);
    let mut out = t.render();
    out.push('\n');
    out.push_str(&super::health_line(progress, &outlook));
    out.push('\n');
    teardown::skip_teardown((session, outlook, t));
    Ok(out)
}
