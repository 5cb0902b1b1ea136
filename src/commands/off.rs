//! `roadmap off`: add, list and remove days off.

use crate::core::calendar::DayOff;
use crate::core::dates::{self, Lean};
use crate::core::state::{Change, Event};
use crate::shell::context::Ctx;
use crate::shell::error::{Error, Result};
use crate::shell::session::{self, Session};
use std::fmt::Write;

pub fn run(
    ctx: &Ctx,
    range: Option<String>,
    note: Option<String>,
    list: bool,
    remove: Option<String>,
    as_json: bool,
) -> Result<String> {
    if let Some(day) = remove {
        let date = dates::parse_date(&day, ctx.today, Lean::Future).map_err(|e| Error::option("--remove", e))?;
        let mut removed = Vec::new();
        let written = session::write(ctx, |session, _| {
            let matching: Vec<DayOff> =
                session.calendar().days_off.iter().filter(|r| r.from <= date && date <= r.to).cloned().collect();
            if matching.is_empty() {
                return Err(
                    Error::refused(format!("no days off include {date}")).with_hint("`roadmap off --list` shows them")
                );
            }
            removed = matching.clone();
            Ok(matching.into_iter().map(|off| Event::new(Change::DayOffRemoved { off }, None)).collect())
        })?;
        let mut out = if written.created { session::created_note(ctx, &written.session) } else { String::new() };
        for r in removed {
            let _ = writeln!(out, "Removed days off {}", describe(&r));
        }
        return Ok(out);
    }
    let Some(range) = range.filter(|_| !list) else {
        let session = Session::open(ctx)?;
        let days_off = &session.calendar().days_off;
        if as_json {
            let list: Vec<_> = days_off
                .iter()
                .map(|r| {
                    serde_json::json!({
                        "from": r.from,
                        "to": r.to,
                        "days": (r.to - r.from).num_days() + 1,
                        "note": r.note,
                    })
                })
                .collect();
            return Ok(super::json(&serde_json::Value::Array(list)));
        }
        if days_off.is_empty() {
            return Ok("No days off.\n".to_string());
        }
        let mut out = String::new();
        for r in days_off {
            let _ = writeln!(out, "  {}", describe(r));
        }
        return Ok(out);
    };
    let (from, to) = dates::parse_range(&range, ctx.today).map_err(Error::usage)?;
    if (to - from).num_days() > 3660 {
        return Err(Error::usage(format!("{from}..{to} is more than ten years off")));
    }
    let off = DayOff { from, to, note: note.clone() };
    let written = session::write(ctx, |session, _| {
        if let Some(existing) = session.calendar().days_off.iter().find(|r| r.from <= to && from <= r.to) {
            return Err(Error::refused(format!("{from}..{to} overlaps the days off {}", describe(existing)))
                .with_hint(format!("`roadmap off --remove {}` first", existing.from)));
        }
        Ok(vec![Event::new(Change::DayOff { off: off.clone() }, None)])
    })?;
    let session = &written.session;
    let outlook = session.outlook(ctx.today)?;
    let mut out = if written.created { session::created_note(ctx, session) } else { String::new() };
    let _ = writeln!(out, "Days off: {}", describe(&off));
    let _ = writeln!(out, "  {}", crate::render::summary::health_line(&session.progress, &outlook));
    Ok(out)
}

/// `Wed 2027-02-10 – Wed 2027-02-17 (8 days) 春节`
fn describe(r: &DayOff) -> String {
    let days = (r.to - r.from).num_days() + 1;
    let span = if r.from == r.to {
        dates::long(r.from)
    } else {
        format!("{} – {} ({})", dates::long(r.from), dates::long(r.to), crate::core::phrase::days(days))
    };
    match &r.note {
        Some(note) => format!("{span} {note}"),
        None => span,
    }
}
