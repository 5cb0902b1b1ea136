//! `roadmap schedule`: the computed schedule against the baseline.

use super::{emit, style_of};
use crate::core::outlook::{Outlook, baseline_ends, phase_effort, slip};
use crate::core::plan::Plan;
use crate::core::progress::Progress;
use crate::core::schedule::Work;
use crate::render::schedule::{self as screen, SchedulePhase, ScheduleTask, ScheduleView};
use crate::shell::context::Ctx;
use crate::shell::error::{Error, Result};
use crate::shell::session::Session;
use crate::shell::teardown;
use chrono::NaiveDate;

pub fn run(ctx: &Ctx, phase: Option<String>, as_json: bool) -> Result<String> {
    let session = Session::open(ctx)?;
    let plan = session.plan();
    let outlook = session.outlook(ctx.today)?;
    let phases = chosen_phases(plan, phase.as_deref())?;
    let baseline_ends = baseline_ends(plan, &session.progress.baseline);
    let facts =
        Facts { plan, progress: &session.progress, outlook: &outlook, baseline_ends: &baseline_ends, today: ctx.today };
    let view = view(&facts, &phases);
    let text = emit(&view, as_json, |v| screen::text(v, style_of(ctx)));
    teardown::skip_teardown(view);
    teardown::skip_teardown((session, outlook));
    Ok(text)
}

/// What the view is computed from.
struct Facts<'a> {
    plan: &'a Plan,
    progress: &'a Progress,
    outlook: &'a Outlook,
    /// Each task's baseline end, by plan position (`baseline_ends`).
    baseline_ends: &'a [Option<NaiveDate>],
    today: NaiveDate,
}

/// The phase `--phase` names, or every phase.
fn chosen_phases(plan: &Plan, phase: Option<&str>) -> Result<Vec<usize>> {
    let Some(id) = phase else { return Ok((0..plan.phases.len()).collect()) };
    match plan.phases.iter().position(|p| p.id == id) {
        Some(p) => Ok(vec![p]),
        None => {
            let known = plan.phases.iter().map(|p| p.id.as_str()).collect::<Vec<_>>().join(", ");
            Err(Error::usage(format!("no phase `{id}`")).with_hint(format!("phases: {known}")))
        }
    }
}

fn view<'a>(facts: &Facts<'a>, phases: &[usize]) -> ScheduleView<'a> {
    let (end, baseline_end) = (facts.outlook.schedule.end, facts.progress.baseline.end);
    ScheduleView {
        today: facts.today,
        end,
        baseline_end,
        slip_days: slip(end, baseline_end),
        phases: phases.iter().map(|&p| phase_view(facts, p)).collect(),
    }
}

fn phase_view<'a>(facts: &Facts<'a>, p: usize) -> SchedulePhase<'a> {
    let (plan, outlook) = (facts.plan, facts.outlook);
    let (phase, span) = (&plan.phases[p], outlook.schedule.phases[p]);
    let end = span.map(|s| s.last);
    let baseline_end = facts.progress.baseline.phases.get(&phase.id).map(|b| b[1]);
    let verdict = outlook.verdict(plan, p);
    SchedulePhase {
        id: &phase.id,
        title: &phase.title,
        window: phase.duration.as_ref().map(|d| d.text.as_str()),
        effort_minutes: phase_effort(plan, facts.progress, &outlook.work, p).0.minutes(),
        start: span.map(|s| s.first),
        end,
        baseline_end,
        slip_days: slip(end, baseline_end),
        verdict: verdict.map(|v| v.fit),
        weekly_minutes_to_fit: verdict.and_then(|v| v.weekly_to_fit),
        tasks: phase.tasks.clone().map(|i| task_view(facts, i)).collect(),
    }
}

fn task_view<'a>(facts: &Facts<'a>, i: usize) -> ScheduleTask<'a> {
    let task = &facts.plan.tasks[i];
    let slot = facts.outlook.schedule.tasks[i].as_ref();
    let baseline_end = facts.baseline_ends[i];
    let end = slot.map(|s| s.end);
    ScheduleTask {
        number: i + 1,
        id: &task.full_id,
        title: &task.title,
        effort_minutes: task.effort.minutes(),
        remaining_minutes: match facts.outlook.work[i] {
            Work::Open { remaining, .. } => Some(remaining.minutes()),
            _ => None,
        },
        start: slot.map(|s| s.start),
        end,
        baseline_end,
        slip_days: slip(end, baseline_end),
        status: status(facts, i, baseline_end),
    }
}

/// The task's status word, `overdue` when open past its baseline end, `off
/// track` when its track is not selected.
fn status(facts: &Facts, i: usize, baseline_end: Option<NaiveDate>) -> &'static str {
    match facts.outlook.work[i] {
        Work::Unselected => "off track",
        Work::Open { .. } if baseline_end.is_some_and(|end| end < facts.today) => "overdue",
        _ => facts.progress.status_of(facts.plan, &facts.outlook.work, i).word(),
    }
}
