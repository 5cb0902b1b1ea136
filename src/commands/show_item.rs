//! `roadmap show p4`, `roadmap show p4.frontier`: a phase or a module, with
//! its summary, figures and contents.

use super::{emit, style_of};
use crate::core::forecast::WindowVerdict;
use crate::core::outlook::{Outlook, phase_effort};
use crate::core::plan::Plan;
use crate::core::progress::Progress;
use crate::core::schedule::Work;
use crate::render::show_item::{self as screen, ItemTask, ModuleLine, ModuleView, PhaseView, ShowItemView};
use crate::shell::context::Ctx;
use crate::shell::error::Result;
use crate::shell::session::Session;

/// A phase or module named exactly by `reference`.
#[derive(Clone, Copy)]
enum Part {
    Phase(usize),
    Module(usize),
}

/// `reference` as a phase id or a `phase.module` id; a habit of that id
/// comes first (the lookup's precedence).
fn part(plan: &Plan, reference: &str) -> Option<Part> {
    let reference = reference.trim();
    if plan.habit_index(reference).is_some() {
        return None;
    }
    if let Some(p) = plan.phases.iter().position(|p| p.id == reference) {
        return Some(Part::Phase(p));
    }
    let (phase, module) = reference.split_once('.')?;
    let p = plan.phases.iter().position(|p| p.id == phase)?;
    plan.phases[p].modules.clone().find(|&m| plan.modules[m].id == module).map(Part::Module)
}

/// The screen of a phase or module, or `None` when `reference` names
/// neither (the task and habit lookup then takes it).
pub(crate) fn run(ctx: &Ctx, session: &Session, reference: &str, as_json: bool) -> Result<Option<String>> {
    let Some(part) = part(session.plan(), reference) else {
        return Ok(None);
    };
    let outlook = session.outlook(ctx.today)?;
    let (plan, progress) = (session.plan(), &session.progress);
    let view = match part {
        Part::Phase(p) => ShowItemView::Phase(phase(plan, progress, &outlook, p)),
        Part::Module(m) => ShowItemView::Module(module(plan, progress, &outlook, m)),
    };
    Ok(Some(emit(&view, as_json, |v| screen::text(v, style_of(ctx)))))
}

/// Effort of the selected, unskipped tasks among `tasks`, and of those done.
fn counted(plan: &Plan, outlook: &Outlook, tasks: impl Iterator<Item = usize>) -> (u32, u32) {
    let mut total = 0;
    let mut done = 0;
    for i in tasks {
        let effort = plan.tasks[i].effort;
        match outlook.work[i] {
            Work::Unselected | Work::Skipped => continue,
            Work::Done { .. } => done += effort.minutes(),
            Work::Open { remaining, .. } => done += effort.saturating_sub(remaining).minutes(),
        }
        total += effort.minutes();
    }
    (total, done)
}

fn phase(plan: &Plan, progress: &Progress, outlook: &Outlook, p: usize) -> PhaseView {
    let phase = &plan.phases[p];
    let (total, earned) = phase_effort(plan, progress, &outlook.work, p);
    let span = outlook.schedule.phases[p];
    PhaseView {
        id: phase.id.clone(),
        title: phase.title.clone(),
        summary: phase.summary.clone(),
        duration: phase.duration.as_ref().map(|d| d.text.clone()),
        effort_minutes: total.minutes(),
        earned_minutes: earned.minutes(),
        planned_start: span.map(|s| s.first),
        planned_end: span.map(|s| s.last),
        window: WindowVerdict::of(plan, p, outlook.verdict(plan, p).as_ref()),
        verdict: outlook.verdict(plan, p),
        modules: phase
            .modules
            .clone()
            .map(|m| {
                let module = &plan.modules[m];
                let (effort, earned) = counted(plan, outlook, module.tasks.clone());
                ModuleLine {
                    id: format!("{}.{}", phase.id, module.id),
                    title: module.title.clone(),
                    summary: module.summary.clone(),
                    tasks: module.tasks.len(),
                    effort_minutes: effort,
                    earned_minutes: earned,
                }
            })
            .collect(),
    }
}

fn module(plan: &Plan, progress: &Progress, outlook: &Outlook, m: usize) -> ModuleView {
    let module = &plan.modules[m];
    let p = plan.tasks[module.tasks.start].phase;
    let phase = &plan.phases[p];
    let (effort, earned) = counted(plan, outlook, module.tasks.clone());
    ModuleView {
        id: format!("{}.{}", phase.id, module.id),
        title: module.title.clone(),
        summary: module.summary.clone(),
        phase: phase.id.clone(),
        phase_title: phase.title.clone(),
        effort_minutes: effort,
        earned_minutes: earned,
        tasks: module
            .tasks
            .clone()
            .map(|i| {
                let task = &plan.tasks[i];
                let slot = outlook.schedule.tasks[i].as_ref();
                ItemTask {
                    number: i + 1,
                    id: task.full_id.to_string(),
                    title: task.title.to_string(),
                    effort_minutes: task.effort.minutes(),
                    status: match outlook.work[i] {
                        Work::Unselected => "off track",
                        _ => progress.status(&task.full_id).word(),
                    },
                    track: task.track.as_deref().map(str::to_owned),
                    planned_end: slot.map(|s| s.end),
                }
            })
            .collect(),
    }
}
