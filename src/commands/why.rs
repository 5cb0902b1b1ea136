//! `roadmap why TASK`: where the task sits in the schedule and why, in
//! plain sentences (`--json`: the same view).

use super::{emit, style_of};
use crate::core::plan::Item;
use crate::core::why;
use crate::render::why as screen;
use crate::shell::context::Ctx;
use crate::shell::error::{Error, Result};
use crate::shell::session::Session;

pub(crate) fn run(ctx: &Ctx, reference: &str, as_json: bool) -> Result<String> {
    let session = Session::open(ctx)?;
    let i = match session.plan().lookup(reference)? {
        Item::Task(i) => i,
        Item::Habit(_) => {
            return Err(Error::usage(format!("`{}` is a habit; `why` explains a task", reference.trim()))
                .with_hint("`roadmap show HABIT` shows a habit's days"));
        }
    };
    let outlook = session.outlook(ctx.today)?;
    let view = why::why(session.plan(), &session.progress, &outlook, i, ctx.today)?;
    Ok(emit(&view, as_json, |v| screen::text(v, style_of(ctx))))
}
