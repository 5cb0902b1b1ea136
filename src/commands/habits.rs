//! `roadmap habits`: each habit's consistency over the last weeks, one
//! glyph a day, with adherence and streaks.

use super::json;
use super::style_of;
use crate::core::consistency::{self, Consistency, unit_for};
use crate::core::dates;
use crate::core::habits::HabitView;
use crate::core::period::{Period, monday};
use crate::render::{self, Style};
use crate::shell::context::Ctx;
use crate::shell::error::{Error, Result};
use crate::shell::session::Session;
use chrono::{Days, NaiveDate};
use std::fmt::Write;

pub fn run(ctx: &Ctx, weeks: u32, as_json: bool) -> Result<String> {
    let session = Session::open(ctx)?;
    let plan = session.plan();
    let outlook = session.outlook(ctx.today)?;
    // The strip starts with the week of the calendar's start at the earliest.
    let back = Days::new(7 * u64::from(weeks.saturating_sub(1)));
    let from = (monday(ctx.today).checked_sub_days(back).unwrap_or(NaiveDate::MIN))
        .max(monday(session.calendar().start))
        .min(monday(ctx.today));
    let weeks = ((monday(ctx.today) - from).num_days() / 7 + 1) as u32;
    let period = Period { from, to: ctx.today, week: None };
    let records: Vec<Consistency> = plan
        .habits
        .iter()
        .map(|habit| {
            let view = HabitView {
                habit,
                calendar: session.calendar(),
                progress: &session.progress,
                clock: &outlook.clock,
                today: ctx.today,
            };
            consistency::consistency(plan, &view, &period)
        })
        .collect();
    if as_json {
        let value = serde_json::json!({
            "today": ctx.today,
            "from": from,
            "weeks": weeks,
            "habits": records,
        });
        return Ok(json(&value));
    }
    if records.is_empty() {
        return Err(Error::refused(format!("{} has no habits", session.source.label)));
    }
    let s = style_of(ctx);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}",
        s.bold(&format!(
            "Habits · {} from {} to {}",
            crate::core::phrase::count(i64::from(weeks), "week", "weeks"),
            dates::long(from),
            dates::long(ctx.today)
        ))
    );
    for c in &records {
        out.push('\n');
        render_habit(&mut out, c, s);
    }
    let _ = writeln!(out, "\n{}", s.dim(render::MARK_LEGEND));
    Ok(out)
}

fn render_habit(out: &mut String, c: &Consistency, s: Style) {
    let unit = c.unit.as_deref().map(|u| format!(" {u}")).unwrap_or_default();
    let target =
        if c.target > 1 || c.unit.is_some() { format!(", {}{unit} each time", c.target) } else { String::new() };
    let _ = writeln!(out, "{}  {}  {}", s.bold(&c.id), c.title, s.dim(&format!("every {}{target}", c.every)));
    let weeks: Vec<String> =
        c.days.chunks(7).map(|week| week.iter().map(|d| render::mark(d.mark, s)).collect()).collect();
    let _ = writeln!(out, "  {}", weeks.join(" "));
    let adherence = match c.adherence_percent {
        Some(p) => format!(
            "{p}% adherence ({}/{}{unit} over {})",
            c.done,
            c.target_total,
            crate::core::phrase::count(i64::from(c.due_days), "due day", "due days")
        ),
        None => "nothing due yet".to_string(),
    };
    let _ = writeln!(out, "  {adherence} · {} met, {} partial, {} missed, {} off", c.met, c.partial, c.missed, c.off);
    let _ = writeln!(
        out,
        "  streak {} {} · longest {} {}",
        c.streak,
        unit_for(c.streak, c.streak_unit),
        c.longest_streak,
        unit_for(c.longest_streak, c.streak_unit)
    );
}
