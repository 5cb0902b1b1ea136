//! `roadmap forecast`: what-if without changing anything. The remaining
//! work is re-scheduled under other weekday hours and set beside today's
//! forecast, phase by phase, with the windows each would fit.

use super::{emit, style_of};
use crate::core::calendar::WeekHours;
use crate::core::effort::Effort;
use crate::core::forecast;
use crate::render::forecast as screen;
use crate::shell::context::Ctx;
use crate::shell::error::{Error, Result};
use crate::shell::session::Session;

/// The most hours a week holds.
const WEEK_MINUTES: u32 = 168 * 60;

pub(crate) fn run(ctx: &Ctx, hours: Option<String>, weekly: Option<String>, as_json: bool) -> Result<String> {
    let session = Session::open(ctx)?;
    let what_if_hours = other_hours(session.calendar().hours, hours, weekly)?;
    let plan = session.plan();
    let now = session.outlook(ctx.today)?;
    let w = forecast::what_if(plan, &session.progress, &now, what_if_hours, ctx.today)?;
    Ok(emit(&w, as_json, |w| screen::text(w, style_of(ctx))))
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
        (None, None) => Err(Error::usage("forecast needs other hours to compare with")
            .with_hint("`roadmap forecast --weekly 15h` or `roadmap forecast --hours mon-fri=3,sat-sun=5`")),
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
