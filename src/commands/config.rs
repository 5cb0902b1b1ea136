//! `roadmap config` (show or change hours and tracks) and `roadmap
//! rebaseline` (today's schedule becomes the baseline).

use super::emit;
use super::init::{parse_hours, parse_start, select_tracks};
use super::record::created;
use crate::core::outlook;
use crate::core::state::{Change, Event};
use crate::render::config::{self as screen, ConfigView, RebaselineView};
use crate::render::off::DayOffRow;
use crate::render::record::Created;
use crate::shell::context::Ctx;
use crate::shell::error::{Error, Result};
use crate::shell::session::{self, Session};

pub(crate) fn run(
    ctx: &Ctx,
    start: Option<String>,
    hours: Option<String>,
    tracks: Vec<String>,
    as_json: bool,
) -> Result<String> {
    let view = if start.is_none() && hours.is_none() && tracks.is_empty() {
        config_view(ctx, &Session::open(ctx)?, None, false)
    } else {
        change(ctx, start, hours, &tracks)?
    };
    Ok(emit(&view, as_json, screen::text))
}

/// Records the new settings; the view is of the settings after them.
fn change(ctx: &Ctx, start: Option<String>, hours: Option<String>, tracks: &[String]) -> Result<ConfigView> {
    let (start, hours) = (parse_start(ctx, start)?, parse_hours(hours)?);
    let written = session::write(ctx, |session, _| {
        let tracks =
            if tracks.is_empty() { None } else { Some(select_tracks(session.plan(), tracks)?.unwrap_or_default()) };
        Ok(vec![Event::new(Change::Settings { start, hours, tracks }, None)])
    })?;
    Ok(config_view(ctx, &written.session, created(ctx, &written), true))
}

/// The settings the session has in force.
fn config_view(ctx: &Ctx, session: &Session, created: Option<Created>, changed: bool) -> ConfigView {
    let (plan, progress, calendar) = (session.plan(), &session.progress, session.calendar());
    let tracks = match &progress.tracks {
        Some(t) => t.clone(),
        None => plan.tracks.iter().map(|t| t.id.clone()).collect(),
    };
    ConfigView {
        created,
        changed,
        state: ctx.store.path().display().to_string(),
        saved: !session.is_preview(),
        plan: session.source.label.clone(),
        start: calendar.start,
        hours: calendar.hours,
        weekly_minutes: calendar.hours.weekly().minutes(),
        tracks,
        all_tracks: progress.tracks.is_none(),
        plan_has_tracks: !plan.tracks.is_empty(),
        days_off: calendar.days_off.iter().map(DayOffRow::of).collect(),
        baseline_end: progress.baseline.end,
        filled_weekdays: super::routes::filled(plan, calendar.hours),
    }
}

pub(crate) fn rebaseline(ctx: &Ctx, yes: bool) -> Result<String> {
    if !yes {
        return Err(Error::usage("rebaseline replaces the baseline that slip is measured against")
            .with_hint("run `roadmap rebaseline --yes` to confirm"));
    }
    let mut old_end = None;
    let written = session::write(ctx, |session, _| {
        let outlook = session.outlook(ctx.today)?;
        old_end = session.progress.baseline.end;
        let old = &session.progress.baseline;
        let baseline = outlook::rebaseline(session.plan(), &outlook.schedule, ctx.today, old);
        Ok(vec![Event::new(Change::Rebaselined { baseline, snapshot: Some(session.source.snapshot()) }, None)])
    })?;
    let new_end = written.session.progress.baseline.end;
    Ok(screen::rebaselined(&RebaselineView { old_end, new_end }))
}
