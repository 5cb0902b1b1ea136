//! `roadmap list`: phases → modules → tasks with number, id, effort, status.

use super::{emit, style_of};
use crate::core::forecast::WindowVerdict;
use crate::core::outlook::{Outlook, phase_effort};
use crate::core::plan::{Module, Plan};
use crate::core::progress::Progress;
use crate::core::schedule::Work;
use crate::render::list::{self as screen, ListView, ModuleRow, PhaseRow, PlanName, TaskRow};
use crate::shell::context::Ctx;
use crate::shell::error::{Error, Result};
use crate::shell::session::Session;
use crate::shell::teardown;

pub fn run(ctx: &Ctx, phase: Option<String>, track: Option<String>, as_json: bool) -> Result<String> {
    let mut session = Session::open(ctx)?;
    if let Some(id) = &track {
        check_track(session.plan(), id, &session.source.label)?;
        // Figures under that track alone, as `schedule` gives them once
        // `roadmap config --track ID` selects it.
        session.select_track(id);
    }
    let (plan, label) = (session.plan(), &session.source.label);
    let outlook = session.outlook(ctx.today)?;
    let phase = phase.map(|id| phase_index(plan, &id, label)).transpose()?;
    let filter = Filter { phase, track: track.as_deref() };
    let view = view(plan, &session.progress, &outlook, label, filter);
    let text = emit(&view, as_json, |v| screen::text(v, style_of(ctx)));
    // The view borrows its rows' text from the plan: left first.
    teardown::skip_teardown(view);
    teardown::skip_teardown((session, outlook));
    Ok(text)
}

/// The index of phase `id`, or a usage error naming the plan's phases.
fn phase_index(plan: &Plan, id: &str, label: &str) -> Result<usize> {
    plan.phases.iter().position(|p| p.id == id).ok_or_else(|| {
        let known = plan.phases.iter().map(|p| p.id.as_str()).collect::<Vec<_>>().join(", ");
        Error::usage(format!("no phase `{id}` in {label}")).with_hint(format!("phases: {known}"))
    })
}

/// A usage error naming the plan's tracks unless it has track `id`.
fn check_track(plan: &Plan, id: &str, label: &str) -> Result<()> {
    if plan.tracks.iter().any(|t| t.id == id) {
        return Ok(());
    }
    let known = plan.tracks.iter().map(|t| t.id.as_str()).collect::<Vec<_>>().join(", ");
    Err(Error::usage(format!("no track `{id}` in {label}")).with_hint(format!("tracks: {known}")))
}

/// What `--phase` and `--track` let through.
#[derive(Clone, Copy)]
struct Filter<'a> {
    phase: Option<usize>,
    track: Option<&'a str>,
}

/// The facts a row needs beside the plan.
#[derive(Clone, Copy)]
struct Facts<'a> {
    plan: &'a Plan,
    progress: &'a Progress,
    outlook: &'a Outlook,
    filter: Filter<'a>,
}

fn view<'a>(
    plan: &'a Plan,
    progress: &'a Progress,
    outlook: &'a Outlook,
    label: &str,
    filter: Filter<'a>,
) -> ListView<'a> {
    let facts = Facts { plan, progress, outlook, filter };
    let phases = (0..plan.phases.len()).filter(|&p| filter.phase.is_none_or(|f| f == p));
    ListView {
        plan: PlanName { id: plan.id.clone(), title: plan.title.clone(), source: label.to_string() },
        track: filter.track.map(str::to_string),
        phases: phases.map(|p| phase_row(facts, p)).collect(),
    }
}

fn phase_row<'a>(facts: Facts<'a>, p: usize) -> PhaseRow<'a> {
    let Facts { plan, progress, outlook, .. } = facts;
    let phase = &plan.phases[p];
    let (total, earned) = phase_effort(plan, progress, &outlook.work, p);
    PhaseRow {
        id: phase.id.clone(),
        title: phase.title.clone(),
        summary: phase.summary.clone(),
        duration: phase.duration.as_ref().map(|d| d.text.clone()),
        effort_minutes: total.minutes(),
        earned_minutes: earned.minutes(),
        modules: plan.modules[phase.modules.clone()].iter().map(|m| module_row(facts, &phase.id, m)).collect(),
        window: WindowVerdict::of(plan, p, outlook.verdict(plan, p).as_ref()),
    }
}

/// A module with the tasks the track filter lets through.
fn module_row<'a>(facts: Facts<'a>, phase_id: &str, module: &Module) -> ModuleRow<'a> {
    let Facts { plan, outlook, filter, .. } = facts;
    let shown = |&i: &usize| match (filter.track, &plan.tasks[i].track) {
        (Some(want), Some(has)) => want == has,
        _ => true,
    };
    let tasks: Vec<usize> = module.tasks.clone().filter(shown).collect();
    let counted = tasks.iter().filter(|&&i| !matches!(outlook.work[i], Work::Unselected | Work::Skipped));
    ModuleRow {
        id: format!("{phase_id}.{}", module.id),
        title: module.title.clone(),
        summary: module.summary.clone(),
        counted_minutes: counted.map(|&i| plan.tasks[i].effort.minutes()).sum(),
        tasks: tasks.into_iter().map(|i| task_row(facts, i)).collect(),
    }
}

fn task_row<'a>(facts: Facts<'a>, i: usize) -> TaskRow<'a> {
    let task = &facts.plan.tasks[i];
    let status = match facts.outlook.work[i] {
        Work::Unselected => "off track",
        _ => facts.progress.status_of(facts.plan, &facts.outlook.work, i).word(),
    };
    TaskRow {
        number: i + 1,
        id: &task.full_id,
        title: &task.title,
        effort_minutes: task.effort.minutes(),
        remaining_minutes: match facts.outlook.work[i] {
            Work::Open { remaining, .. } => Some(remaining.minutes()),
            _ => None,
        },
        status,
        track: task.track.as_deref(),
    }
}
