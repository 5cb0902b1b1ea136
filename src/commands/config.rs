//! `roadmap config` (show or change hours and tracks) and `roadmap
//! rebaseline` (today's schedule becomes the baseline).

use super::init::select_tracks;
use super::json;
use crate::core::calendar::WeekHours;
use crate::core::outlook;
use crate::core::phrase;
use crate::core::state::{Change, Event};
use crate::shell::context::Ctx;
use crate::shell::error::{Error, Result};
use crate::shell::session::{self, Session};
use std::fmt::Write;

pub fn run(
    ctx: &Ctx,
    start: Option<String>,
    hours: Option<String>,
    tracks: Vec<String>,
    as_json: bool,
) -> Result<String> {
    let mut out = String::new();
    let session = if start.is_none() && hours.is_none() && tracks.is_empty() {
        Session::open(ctx)?
    } else {
        let start = match start {
            Some(text) => Some(
                crate::core::dates::parse_date(&text, ctx.today, crate::core::dates::Lean::Future)
                    .map_err(|e| Error::option("--start", e))?,
            ),
            None => None,
        };
        let hours = match hours {
            Some(spec) => Some(WeekHours::parse(&spec).map_err(|e| Error::option("--hours", e))?),
            None => None,
        };
        let written = session::write(ctx, |session, _| {
            let tracks = if tracks.is_empty() {
                None
            } else {
                Some(select_tracks(session.plan(), &tracks)?.unwrap_or_default())
            };
            Ok(vec![Event::new(Change::Settings { start, hours, tracks }, None)])
        })?;
        if written.created {
            out.push_str(&session::created_note(ctx, &written.session));
        }
        out.push_str("Settings changed; the baseline stays (`roadmap rebaseline --yes` replaces it).\n");
        written.session
    };
    let plan = session.plan();
    let progress = &session.progress;
    let calendar = session.calendar();
    let path = ctx.store.path().display().to_string();
    let tracks_shown: Vec<String> = match &progress.tracks {
        Some(t) => t.clone(),
        None => plan.tracks.iter().map(|t| t.id.clone()).collect(),
    };
    if as_json {
        return Ok(json(&serde_json::json!({
            "state": path,
            "saved": !session.is_preview(),
            "plan": session.source.label,
            "start": calendar.start,
            "hours": calendar.hours,
            "weekly_minutes": calendar.hours.weekly().minutes(),
            "tracks": tracks_shown,
            "all_tracks": progress.tracks.is_none(),
            "days_off": calendar.days_off.iter().map(|r| serde_json::json!({
                "from": r.from,
                "to": r.to,
                "days": (r.to - r.from).num_days() + 1,
                "note": r.note,
            })).collect::<Vec<_>>(),
            "baseline_end": progress.baseline.end,
        })));
    }
    let _ = writeln!(out, "  state     {path}{}", if session.is_preview() { " (not created yet)" } else { "" });
    let _ = writeln!(out, "  plan      {}", session.source.label);
    let _ = writeln!(out, "  start     {}", calendar.start);
    let _ = writeln!(
        out,
        "  hours     {} ({} h/week)",
        calendar.hours,
        phrase::hours(i64::from(calendar.hours.weekly().minutes())).trim_end_matches('h')
    );
    if !plan.tracks.is_empty() {
        let all = if progress.tracks.is_none() { " (all)" } else { "" };
        let _ = writeln!(out, "  tracks    {}{all}", tracks_shown.join(", "));
    }
    let _ = writeln!(out, "  days off  {}", calendar.days_off.len());
    if let Some(end) = progress.baseline.end {
        let _ = writeln!(out, "  baseline  plan end {end}");
    }
    Ok(out)
}

pub fn rebaseline(ctx: &Ctx, yes: bool) -> Result<String> {
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
    let show = |d: Option<chrono::NaiveDate>| d.map_or("-".to_string(), |d| d.to_string());
    Ok(format!("Baseline replaced: plan end {} (was {})\n", show(new_end), show(old_end)))
}
