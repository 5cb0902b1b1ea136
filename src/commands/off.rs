//! `roadmap off`: add, list and remove days off.

use super::emit;
use super::record::created;
use crate::core::calendar::DayOff;
use crate::core::dates::{self, Lean};
use crate::core::state::{Change, Event};
use crate::render::off::{self as screen, AddedView, DayOffRow, Health, RemovedView};
use crate::shell::context::Ctx;
use crate::shell::error::{Error, Result};
use crate::shell::session::{self, Session};

pub(crate) fn run(
    ctx: &Ctx,
    range: Option<String>,
    note: Option<String>,
    list: bool,
    remove: Option<String>,
    as_json: bool,
) -> Result<String> {
    if let Some(day) = remove {
        return remove_day(ctx, &day);
    }
    match range.filter(|_| !list) {
        Some(range) => add(ctx, &range, note),
        None => show(ctx, as_json),
    }
}

/// `--remove DAY`: every range that includes the day.
fn remove_day(ctx: &Ctx, day: &str) -> Result<String> {
    let date = dates::parse_date(day, ctx.today, Lean::Future).map_err(|e| Error::option("--remove", e))?;
    let mut removed = Vec::new();
    let written = session::write(ctx, |session, _| {
        let matching: Vec<DayOff> =
            session.calendar().days_off.iter().filter(|r| r.from <= date && date <= r.to).cloned().collect();
        if matching.is_empty() {
            return Err(
                Error::refused(format!("no days off include {date}")).with_hint("`roadmap off --list` shows them")
            );
        }
        removed = matching.iter().map(DayOffRow::of).collect();
        Ok(matching.into_iter().map(|off| Event::new(Change::DayOffRemoved { off }, None)).collect())
    })?;
    Ok(screen::removed(&RemovedView { created: created(ctx, &written), removed }))
}

/// `--list` (or no range): the days off, as text or JSON.
fn show(ctx: &Ctx, as_json: bool) -> Result<String> {
    let session = Session::open(ctx)?;
    let rows: Vec<DayOffRow> = session.calendar().days_off.iter().map(DayOffRow::of).collect();
    Ok(emit(&rows, as_json, |rows| screen::list(rows)))
}

/// `off RANGE`: a new range, refused when it overlaps one already there.
fn add(ctx: &Ctx, range: &str, note: Option<String>) -> Result<String> {
    let (from, to) = dates::parse_range(range, ctx.today).map_err(Error::usage)?;
    if (to - from).num_days() > 3660 {
        return Err(Error::usage(format!("{from}..{to} is more than ten years off")));
    }
    let off = DayOff { from, to, note };
    let written = session::write(ctx, |session, _| {
        if let Some(existing) = session.calendar().days_off.iter().find(|r| r.from <= to && from <= r.to) {
            let message = format!("{from}..{to} overlaps the days off {}", screen::describe(&DayOffRow::of(existing)));
            return Err(Error::refused(message).with_hint(format!("`roadmap off --remove {}` first", existing.from)));
        }
        Ok(vec![Event::new(Change::DayOff { off: off.clone() }, None)])
    })?;
    let session = &written.session;
    let outlook = session.outlook(ctx.today)?;
    let health = Health { forecast_end: outlook.schedule.end, baseline_end: session.progress.baseline.end };
    Ok(screen::added(&AddedView { created: created(ctx, &written), added: DayOffRow::of(&off), health }))
}
