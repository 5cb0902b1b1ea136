//! `roadmap init`: start tracking a plan with a calendar and tracks; the
//! schedule computed now becomes the baseline.

use crate::core::calendar::WeekHours;
use crate::core::dates::{self, Lean};
use crate::core::state::State;
use crate::shell::context::Ctx;
use crate::shell::error::{Error, Result};
use crate::shell::plan_source::load_plan;
use crate::shell::session::new_header;
use std::fmt::Write;

pub fn run(
    ctx: &Ctx,
    start: Option<String>,
    hours: Option<String>,
    tracks: Vec<String>,
    force: bool,
) -> Result<String> {
    let start = match start {
        Some(text) => dates::parse_date(&text, ctx.today, Lean::Future).map_err(|e| Error::option("--start", e))?,
        None => ctx.today,
    };
    let hours = match hours {
        Some(spec) => WeekHours::parse(&spec).map_err(|e| Error::option("--hours", e))?,
        None => WeekHours::DEFAULT,
    };
    let source = load_plan(ctx.plan_arg.as_deref(), None)?;
    let tracks = select_tracks(&source.plan, &tracks)?;
    let header = new_header(ctx, &source, start, hours, tracks)?;
    let lock = ctx.store.lock()?;
    let mut out = String::new();
    if let Some(existing) = ctx.store.read_locked(&lock)? {
        if existing.has_events() && !force {
            let events = crate::core::phrase::count(existing.next_seq as i64 - 1, "event", "events");
            let message = format!("{} already holds progress ({events} recorded)", ctx.store.path().display());
            return Err(Error::refused(message).with_hint("`roadmap init --force` replaces it and keeps a backup"));
        }
        let stamp = ctx.now.format("%Y%m%dT%H%M%S").to_string();
        let backup = ctx.store.backup(&lock, &stamp)?;
        let _ = writeln!(out, "Backed up the old state to {}", backup.display());
    }
    let end = header.baseline.end;
    let tracks = header.tracks.clone();
    ctx.store.write_all(&lock, &State { header, events: Vec::new() })?;
    let _ = writeln!(out, "Tracking {} · {}", source.label, source.plan.title);
    let _ = writeln!(out, "  state    {}", ctx.store.path().display());
    let _ = writeln!(out, "  start    {}", dates::long(start));
    let _ = writeln!(
        out,
        "  hours    {} ({} h/week)",
        hours,
        crate::core::phrase::hours(i64::from(hours.weekly().minutes())).trim_end_matches('h')
    );
    if !source.plan.tracks.is_empty() {
        let shown = match &tracks {
            Some(list) => list.join(", "),
            None => {
                format!("all ({})", source.plan.tracks.iter().map(|t| t.id.as_str()).collect::<Vec<_>>().join(", "))
            }
        };
        let _ = writeln!(out, "  tracks   {shown}");
    }
    if let Some(end) = end {
        let _ = writeln!(out, "  baseline plan end {end}");
    }
    let _ = writeln!(out, "Next: `roadmap next` shows today's work.");
    Ok(out)
}

/// Checks track ids against the plan; empty or `all` means every track.
pub fn select_tracks(plan: &crate::core::plan::Plan, tracks: &[String]) -> Result<Option<Vec<String>>> {
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
