//! `roadmap forecast`: what-if without changing anything. The remaining
//! work is re-scheduled under other weekday hours and set beside today's
//! forecast, phase by phase, with the windows each would fit.

use super::json;
use super::style_of;
use crate::core::calendar::WeekHours;
use crate::core::effort::Effort;
use crate::core::forecast::{self, WhatIf, WindowVerdict};
use crate::core::phrase;
use crate::core::window::Fit;
use crate::render::Style;
use crate::render::table::{self, Cell, cell, right};
use crate::render::verdict;
use crate::shell::context::Ctx;
use crate::shell::error::{Error, Result};
use crate::shell::session::Session;
use chrono::NaiveDate;
use std::fmt::Write;

/// The most hours a week holds.
const WEEK_MINUTES: u32 = 168 * 60;

pub fn run(ctx: &Ctx, hours: Option<String>, weekly: Option<String>, as_json: bool) -> Result<String> {
    let session = Session::open(ctx)?;
    let current = session.calendar().hours;
    let what_if_hours = match (hours, weekly) {
        (Some(spec), _) => WeekHours::parse(&spec).map_err(|e| Error::Usage(format!("--hours: {e}")))?,
        (None, Some(total)) => {
            let total = parse_weekly(&total).map_err(|e| Error::Usage(format!("--weekly: {e}")))?;
            forecast::scaled_to(current, total).ok_or_else(|| {
                Error::Usage("--weekly: the calendar has no hours to scale\n  hint: give them with --hours".into())
            })?
        }
        (None, None) => {
            return Err(Error::Usage(
                "forecast needs other hours to compare with\n  hint: `roadmap forecast --weekly 15h` or `roadmap forecast --hours mon-fri=3,sat-sun=5`"
                    .into(),
            ));
        }
    };
    let plan = session.plan();
    let now = session.outlook(ctx.today)?;
    let w = forecast::what_if(plan, &session.progress, &now, what_if_hours, ctx.today)?;
    if as_json {
        let value = serde_json::to_value(&w).map_err(|e| Error::Failed(format!("cannot write JSON: {e}")))?;
        return Ok(json(&value));
    }
    Ok(render(&w, style_of(ctx)))
}

/// `15h`, `15`, `12.5`, `12h30m`: hours a week, more than zero, at most 168.
fn parse_weekly(text: &str) -> std::result::Result<Effort, String> {
    let trimmed = text.trim();
    let with_unit = if !trimmed.is_empty() && trimmed.chars().all(|c| c.is_ascii_digit() || c == '.') {
        format!("{trimmed}h")
    } else {
        trimmed.to_string()
    };
    let effort = Effort::parse(&with_unit).map_err(|e| e.message)?;
    if effort.minutes() > WEEK_MINUTES {
        return Err(format!("`{trimmed}` is more than the 168 hours of a week"));
    }
    Ok(effort)
}

fn weekly(effort: Effort) -> String {
    phrase::hours(i64::from(effort.minutes())).trim_end_matches('h').to_string()
}

fn date(d: Option<NaiveDate>) -> String {
    d.map_or("–".to_string(), |d| d.to_string())
}

/// `-7d`, `+2d`, `same day`.
fn change(days: Option<i64>) -> String {
    match days {
        None => String::new(),
        Some(0) => "same day".to_string(),
        Some(d) => format!("{d:+}d"),
    }
}

/// `fits`, `ahead by 4 days`, `over by 4 days`, red when over and colour is on.
fn verdict(w: &Option<WindowVerdict>, s: Style) -> Cell {
    let fit = w.as_ref().and_then(|w| w.as_verdict()).map(|v| v.fit);
    let text = fit.map_or(String::new(), |f| f.to_string());
    table::red_if(text, matches!(fit, Some(Fit::Over { .. })), s)
}

fn render(w: &WhatIf, s: Style) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}",
        s.bold(&format!(
            "What if: {} ({} h/week) instead of {} ({} h/week), from {}",
            w.hours_what_if,
            weekly(w.weekly_minutes_what_if),
            w.hours_now,
            weekly(w.weekly_minutes_now),
            w.today
        ))
    );
    out.push('\n');
    let mut t = table::plain(s);
    t.set_header(vec!["Phase", "window", "end now", "what if", "change", "now", "what if"]);
    for p in &w.phases {
        let window = p.window_now.as_ref().map_or(String::new(), |v| v.window.clone());
        t.add_row(vec![
            cell(format!("{} {}", p.id, p.title)),
            cell(window),
            cell(date(p.end_now)),
            cell(date(p.end_what_if)),
            right(change(p.change_days)),
            verdict(&p.window_now, s),
            verdict(&p.window_what_if, s),
        ]);
    }
    t.add_row(vec![
        cell("Plan"),
        cell(""),
        cell(date(w.end_now)),
        cell(date(w.end_what_if)),
        right(change(w.change_days)),
    ]);
    out.push_str(&table::render(&t));
    if let Some(base) = w.baseline_end {
        let _ = writeln!(out, "  {}", s.dim(&format!("The baseline ends the plan on {base}.")));
    }
    let over: Vec<String> = w
        .phases
        .iter()
        .filter_map(|p| {
            let v = p.window_what_if.as_ref()?;
            let days = v.days.filter(|_| v.verdict == Some("over"))?;
            let phase = format!("{} {}", p.id, p.title);
            Some(verdict::over_window(&phase, &v.window, days, v.weekly_minutes_to_fit))
        })
        .collect();
    if !over.is_empty() {
        let _ = writeln!(out, "\nWith these hours:");
        for line in over {
            let _ = writeln!(out, "  {}", s.red(&line));
        }
    }
    let _ = writeln!(out, "\nNothing was changed; `roadmap config --hours {}` would make it so.", w.hours_what_if);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weekly_hours_take_a_unit_or_none() {
        assert_eq!(parse_weekly("15h"), Ok(Effort::from_hours(15)));
        assert_eq!(parse_weekly("15"), Ok(Effort::from_hours(15)));
        assert_eq!(parse_weekly("12.5"), Ok(Effort::from_minutes(750)));
        assert_eq!(parse_weekly("169h"), Err("`169h` is more than the 168 hours of a week".into()));
        assert_eq!(parse_weekly("0h"), Err("effort `0h` is zero".into()));
    }
}
