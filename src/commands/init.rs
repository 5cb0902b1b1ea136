//! `roadmap init`: start tracking a plan with a calendar and tracks; the
//! schedule computed now becomes the baseline.

use crate::core::calendar::WeekHours;
use crate::core::dates::{self, Lean};
use crate::core::plan::Plan;
use crate::core::state::{Header, State};
use crate::render::init::{self as screen, InitView};
use crate::shell::context::Ctx;
use crate::shell::error::{Error, Result};
use crate::shell::plan_source::{PlanSource, load_plan};
use crate::shell::session::new_header;
use chrono::NaiveDate;

pub(crate) fn run(
    ctx: &Ctx,
    start: Option<String>,
    hours: Option<String>,
    tracks: Vec<String>,
    force: bool,
) -> Result<String> {
    let start = parse_start(ctx, start)?.unwrap_or(ctx.today);
    let hours = parse_hours(hours)?.unwrap_or(WeekHours::DEFAULT);
    let source = load_plan(ctx.plan_arg.as_deref(), None)?;
    let tracks = select_tracks(&source.plan, &tracks)?;
    let header = new_header(ctx, &source, start, hours, tracks)?;
    let view = init_view(ctx, &source, &header);
    let backup = save(ctx, header, force)?;
    Ok(screen::text(&InitView { backup, ..view }))
}

/// What the new state tracks (the backup is filled in once it is made).
fn init_view(ctx: &Ctx, source: &PlanSource, header: &Header) -> InitView {
    InitView {
        backup: None,
        plan: source.label.clone(),
        title: source.plan.title.clone(),
        state: ctx.store.path().display().to_string(),
        start: header.start,
        hours: header.hours,
        tracks: header.tracks.clone(),
        plan_tracks: source.plan.tracks.iter().map(|t| t.id.clone()).collect(),
        baseline_end: header.baseline.end,
        routes: super::routes::choice(&source.plan, header.hours, header.start, header.tracks.as_deref()),
        filled: super::routes::filled(&source.plan, header.hours),
    }
}

/// Writes the new state under the lock. Progress already saved is replaced
/// only with `--force`, after a backup (its path is returned).
fn save(ctx: &Ctx, header: Header, force: bool) -> Result<Option<String>> {
    let lock = ctx.store.lock()?;
    let mut backed_up = None;
    if let Some(existing) = ctx.store.read_locked(&lock)? {
        if existing.has_events() && !force {
            let events = crate::core::phrase::count(existing.next_seq as i64 - 1, "event", "events");
            let message = format!("{} already holds progress ({events} recorded)", ctx.store.path().display());
            return Err(Error::refused(message).with_hint("`roadmap init --force` replaces it and keeps a backup"));
        }
        let stamp = ctx.now.format("%Y%m%dT%H%M%S").to_string();
        let backup = ctx.store.backup(&lock, &stamp)?;
        backed_up = Some(backup.display().to_string());
    }
    ctx.store.write_all(&lock, &State { header, events: Vec::new() })?;
    Ok(backed_up)
}

/// `--start DATE`, read as a day to come.
pub(crate) fn parse_start(ctx: &Ctx, start: Option<String>) -> Result<Option<NaiveDate>> {
    start
        .map(|text| dates::parse_date(&text, ctx.today, Lean::Future).map_err(|e| Error::option("--start", e)))
        .transpose()
}

/// `--hours SPEC`.
pub(crate) fn parse_hours(hours: Option<String>) -> Result<Option<WeekHours>> {
    hours.map(|spec| WeekHours::parse(&spec).map_err(|e| Error::option("--hours", e))).transpose()
}

/// Checks track ids against the plan; empty or `all` means every track.
pub(crate) fn select_tracks(plan: &Plan, tracks: &[String]) -> Result<Option<Vec<String>>> {
    if tracks.is_empty() || tracks.iter().any(|t| t == "all") {
        return Ok(None);
    }
    for t in tracks {
        if !plan.tracks.iter().any(|pt| &pt.id == t) {
            let known = plan.tracks.iter().map(|pt| pt.id.as_str()).collect::<Vec<_>>().join(", ");
            return Err(
                Error::option("--track", format!("the plan has no track `{t}`")).with_hint(format!("tracks: {known}"))
            );
        }
    }
    Ok(Some(tracks.to_vec()))
}
