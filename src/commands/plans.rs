//! `roadmap plans`: the built-in plans.

use super::json;
use super::style_of;
use crate::core::phrase;
use crate::core::plan;
use crate::core::plan::builtin::BUILTINS;
use crate::render::table::{self, cell, right};
use crate::shell::context::Ctx;
use crate::shell::error::Result;

pub fn run(ctx: &Ctx, as_json: bool) -> Result<String> {
    let mut rows = Vec::new();
    for (i, b) in BUILTINS.iter().enumerate() {
        let plan = plan::load(&format!("built-in {}", b.name), b.text.as_bytes())?;
        rows.push((i == 0, b.name, plan));
    }
    if as_json {
        let list: Vec<_> = rows
            .iter()
            .map(|(default, name, plan)| {
                serde_json::json!({
                    "name": name,
                    "default": default,
                    "id": plan.id,
                    "title": plan.title,
                    "lang": plan.lang,
                    "phases": plan.phases.len(),
                    "tasks": plan.tasks.len(),
                    "habits": plan.habits.len(),
                    "effort_minutes": plan.total_effort().minutes(),
                })
            })
            .collect();
        return Ok(json(&serde_json::Value::Array(list)));
    }
    let mut t = table::plain(style_of(ctx));
    t.set_header(vec!["name", "title", "lang", "tasks", "effort", ""]);
    for (default, name, plan) in &rows {
        t.add_row(vec![
            cell(name),
            cell(&plan.title),
            cell(plan.lang.as_deref().unwrap_or("-")),
            right(plan.tasks.len()),
            right(phrase::hours(i64::from(plan.total_effort().minutes()))),
            cell(if *default { "default" } else { "" }),
        ]);
    }
    Ok(table::render(&t))
}
