//! `roadmap validate [FILE]`: every error, or a summary of a valid plan and
//! whether each phase fits its window at the default calendar.

use super::{emit, style_of};
use crate::core::calendar::{Calendar, WeekHours};
use crate::core::outlook::Outlook;
use crate::core::plan::Plan;
use crate::core::schedule::Work;
use crate::render::validate::{self as screen, UnschedulablePlan, ValidPhase, ValidPlan, ValidateView};
use crate::shell::context::Ctx;
use crate::shell::error::{Error, Result};
use crate::shell::plan_source::load_plan;
use chrono::NaiveDate;

pub(crate) fn run(ctx: &Ctx, file: Option<String>, as_json: bool) -> Result<String> {
    let recorded = match (&file, &ctx.plan_arg) {
        (None, None) => ctx.store.read().ok().flatten().map(|l| l.header.plan),
        _ => None,
    };
    let source = load_plan(file.as_deref().or(ctx.plan_arg.as_deref()), recorded.as_ref())?;
    let view = view(&source.label, &source.plan, ctx.today);
    Ok(emit(&view, as_json, |v| screen::text(v, style_of(ctx))))
}

/// The plan at the default calendar from `today`: every task open, every
/// track selected.
fn view(label: &str, plan: &Plan, today: NaiveDate) -> ValidateView {
    let calendar = Calendar::new(today, WeekHours::DEFAULT);
    let work: Vec<Work> = plan.tasks.iter().map(|t| Work::Open { remaining: t.effort, first: None }).collect();
    match Outlook::with_calendar(plan, &calendar, work, today) {
        Ok(outlook) => ValidateView::Schedulable(valid(label, plan, &outlook, today)),
        Err(e) => ValidateView::Unschedulable(unschedulable(label, plan, Error::from(e).report())),
    }
}

fn valid(label: &str, plan: &Plan, outlook: &Outlook, today: NaiveDate) -> ValidPlan {
    ValidPlan {
        valid: true,
        source: label.to_string(),
        id: plan.id.clone(),
        title: plan.title.clone(),
        tracks: plan.tracks.iter().map(|t| t.id.clone()).collect(),
        modules: plan.modules.len(),
        habits: plan.habits.len(),
        tasks: plan.tasks.len(),
        effort_minutes: plan.total_effort().minutes(),
        from: today,
        phases: (0..plan.phases.len()).map(|p| phase(plan, outlook, p)).collect(),
        routes: super::routes::each_track(plan, &Calendar::new(today, WeekHours::DEFAULT), today),
        filled_weekdays: super::routes::filled(plan, WeekHours::DEFAULT),
    }
}

fn phase(plan: &Plan, outlook: &Outlook, p: usize) -> ValidPhase {
    let phase = &plan.phases[p];
    let verdict = outlook.verdict(plan, p);
    ValidPhase {
        id: phase.id.clone(),
        title: phase.title.clone(),
        modules: phase.modules.len(),
        tasks: phase.tasks.len(),
        effort_minutes: plan.phase_effort(p, |_| true).minutes(),
        duration: phase.duration.as_ref().map(|d| d.text.clone()),
        span_days: outlook.schedule.phases[p].map(|s| s.days()),
        verdict: verdict.map(|v| v.fit),
        weekly_minutes_to_fit: verdict.and_then(|v| v.weekly_to_fit),
    }
}

/// A valid plan that the default calendar cannot schedule (habits take
/// every hour, say): still valid, with the reason.
fn unschedulable(label: &str, plan: &Plan, reason: String) -> UnschedulablePlan {
    UnschedulablePlan {
        valid: true,
        source: label.to_string(),
        id: plan.id.clone(),
        title: plan.title.clone(),
        tasks: plan.tasks.len(),
        effort_minutes: plan.total_effort().minutes(),
        schedulable: false,
        reason,
        filled_weekdays: super::routes::filled(plan, WeekHours::DEFAULT),
    }
}
