//! `roadmap report`: one ISO week (or a span of days) looked back on and
//! ahead from, as a terminal screen, a markdown weekly review or JSON.

use super::json;
use super::style_of;
use crate::cli::Format;
use crate::core::period::Period;
use crate::core::report;
use crate::render::report as screen;
use crate::shell::context::Ctx;
use crate::shell::error::{Error, Result};
use crate::shell::session::Session;
use crate::shell::teardown;
use chrono::NaiveDate;

/// What `report` was asked for.
pub(crate) struct Request {
    pub week: Option<String>,
    pub since: Option<String>,
    pub until: Option<String>,
    pub format: Format,
}

pub(crate) fn run(ctx: &Ctx, request: Request) -> Result<String> {
    let period = period(&request, ctx.today)?;
    let session = Session::open(ctx)?;
    let outlook = session.outlook(ctx.today)?;
    let figures = report::figures(session.plan(), &session.progress, &outlook, period, ctx.today);
    let text = match request.format {
        Format::Json => json(&figures),
        Format::Markdown => screen::markdown(&figures),
        Format::Table => screen::screen(&figures, session.is_preview(), style_of(ctx)),
    };
    teardown::skip_teardown((session, outlook, figures));
    Ok(text)
}

/// The days asked for: `--since`/`--until`, `--week`, or this week.
fn period(request: &Request, today: NaiveDate) -> Result<Period> {
    match (&request.since, &request.week) {
        (Some(since), _) => Period::parse_span(since, request.until.as_deref(), today),
        (None, Some(week)) => Period::parse_week(week, today).map_err(|e| format!("--week: {e}")),
        (None, None) => Ok(Period::week_of(today)),
    }
    .map_err(Error::usage)
}
