//! `roadmap plans`: the built-in plans.

use super::{emit, style_of};
use crate::core::plan::{self, builtin::BUILTINS};
use crate::render::plans::{self as screen, PlanRow};
use crate::shell::context::Ctx;
use crate::shell::error::Result;

pub(crate) fn run(ctx: &Ctx, as_json: bool) -> Result<String> {
    let rows = view()?;
    Ok(emit(&rows, as_json, |rows| screen::text(rows, style_of(ctx))))
}

/// Every built-in plan, the default first.
fn view() -> Result<Vec<PlanRow>> {
    let row = |(i, b): (usize, &plan::builtin::Builtin)| -> Result<PlanRow> {
        let plan = plan::load(&format!("built-in {}", b.name), b.text.as_bytes())?;
        Ok(PlanRow {
            name: b.name.to_string(),
            default: i == 0,
            effort_minutes: plan.total_effort().minutes(),
            phases: plan.phases.len(),
            tasks: plan.tasks.len(),
            habits: plan.habits.len(),
            id: plan.id,
            title: plan.title,
            summary: plan.summary,
            lang: plan.lang,
        })
    };
    BUILTINS.iter().enumerate().map(row).collect()
}
