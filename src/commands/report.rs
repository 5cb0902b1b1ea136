//! `roadmap report`: one ISO week (or a span of days) looked back on and
//! ahead from, as a terminal screen, a markdown weekly review or JSON.

use super::json;
use super::style_of;
use crate::cli::Format;
use crate::core::period::Period;
use crate::core::report;
use crate::render;
use crate::shell::context::Ctx;
use crate::shell::error::{Error, Result};
use crate::shell::session::Session;
use crate::shell::teardown;

/// What `report` was asked for.
pub struct Request {
    pub week: Option<String>,
    pub since: Option<String>,
    pub until: Option<String>,
    pub format: Format,
}

pub fn run(ctx: &Ctx, request: Request) -> Result<String> {
    let period = match (&request.since, &request.week) {
        (Some(since), _) => Period::parse_span(since, request.until.as_deref(), ctx.today),
        (None, Some(week)) => Period::parse_week(week, ctx.today).map_err(|e| format!("--week: {e}")),
        (None, None) => Ok(Period::week_of(ctx.today)),
    }
    .map_err(Error::usage)?;
    let session = Session::open(ctx)?;
    let outlook = session.outlook(ctx.today)?;
    let figures = report::figures(session.plan(), &session.progress, &outlook, period, ctx.today);
    let text = match request.format {
        Format::Json => {
            let value =
                serde_json::to_value(&figures).map_err(|e| Error::refused(format!("cannot write JSON: {e}")))?;
            json(&value)
        }
        Format::Markdown => render::report::markdown(&figures),
        Format::Table => {
            let mut out = render::report::table(&figures, style_of(ctx));
            if session.is_preview() {
                out.insert_str(
                    0,
                    &format!(
                        "{}\n",
                        style_of(ctx).dim("Preview: nothing saved yet, so this is the built-in plan from today.")
                    ),
                );
            }
            out
        }
    };
    teardown::skip_teardown((session, outlook, figures));
    Ok(text)
}
