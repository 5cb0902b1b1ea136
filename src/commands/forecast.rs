//! `roadmap forecast`: what-if without changing anything. The remaining
//! work is re-scheduled under other weekday hours and set beside today's
//! forecast, phase by phase, with the windows each would fit.

use super::{emit, style_of};
use crate::core::calendar::WeekHours;
use crate::core::effort::Effort;
use crate::core::forecast;
use crate::core::history;
use crate::render::forecast as screen;
use crate::shell::context::Ctx;
use crate::shell::error::{Error, Result};
use crate::shell::session::Session;

/// The most hours a week holds.
const WEEK_MINUTES: u32 = 168 * 60;

pub(crate) fn run(ctx: &Ctx, hours: Option<String>, weekly: Option<String>, as_json: bool) -> Result<String> {
    let session = Session::open(ctx)?;
    let asked = hours.is_some() || weekly.is_some();
    // `--weekly`'s total as given (the scaled days round down to the minute).
    let weekly_total = match (&hours, &weekly) {
        (None, Some(total)) => parse_weekly(total).ok(),
        _ => None,
    };
    let what_if_hours = if asked { Some(other_hours(session.calendar().hours, hours, weekly)?) } else { None };
    let plan = session.plan();
    let now = session.outlook(ctx.today)?;
    let what_if = match what_if_hours {
        Some(h) => Some(forecast::what_if(plan, &session.progress, &now, h, ctx.today)?),
        None => None,
    };
    // With other hours, the history's re-estimate is at those hours and the
    // Monte Carlo's weeks are those hours every week.
    let mut calendar = session.progress.calendar.clone();
    if let Some(h) = what_if_hours {
        calendar.hours = h;
    }
    let weekly = weekly_total.or(what_if_hours.map(|h| h.weekly()));
    let history = history::learned(plan, &session.progress, &calendar, &now, weekly, ctx.today)?;
    let view = screen::ForecastView { what_if, history };
    Ok(emit(&view, as_json, |v| screen::view_text(v, style_of(ctx))))
}

/// The hours to compare with: `--hours` as given, or `--weekly` as the
/// current hours scaled to that total.
fn other_hours(current: WeekHours, hours: Option<String>, weekly: Option<String>) -> Result<WeekHours> {
    match (hours, weekly) {
        (Some(spec), _) => WeekHours::parse(&spec).map_err(|e| Error::option("--hours", e)),
        (None, Some(total)) => {
            let total = parse_weekly(&total).map_err(|e| Error::option("--weekly", e))?;
            forecast::scaled_to(current, total).ok_or_else(|| {
                Error::option("--weekly", "the calendar has no hours to scale").with_hint("give them with --hours")
            })
        }
        (None, None) => Err(Error::usage("forecast needs other hours to compare with")),
    }
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
