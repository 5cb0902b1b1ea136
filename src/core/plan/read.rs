//! Reading a plan's bytes: the size and encoding checks, then the fast
//! path for a valid plan (`fast`), else the full walk that reports every
//! problem (`load`).

use super::diagnostic::{Diagnostic, PlanErrors};
use super::fast;
use super::load::{MAX_PLAN_BYTES, line_column, load_text};
use super::model::Plan;

/// Loads and validates a plan from its bytes. `source` names it in errors.
pub fn load(source: &str, bytes: &[u8]) -> Result<Plan, PlanErrors> {
    let fail = |d: Diagnostic| Err(PlanErrors::single(source, d));
    if bytes.len() > MAX_PLAN_BYTES {
        return fail(Diagnostic {
            line: None,
            column: None,
            id: None,
            message: format!("the plan is {} bytes, over the limit of 16 MiB", bytes.len()),
            hint: Some("split it, or move long notes out of the plan".into()),
        });
    }
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => {
            let (line, column) = line_column(bytes, e.valid_up_to());
            return fail(Diagnostic::at(line, column, "the file is not valid UTF-8").hint("save it as UTF-8"));
        }
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    // A valid plan is read event by event, without a tree; anything else
    // (every problem included) by the full walk below, which reports it.
    if let Some(plan) = fast::load(text) {
        return Ok(plan);
    }
    load_text(source, text)
}
