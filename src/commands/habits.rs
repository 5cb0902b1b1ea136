//! `roadmap habits`: each habit's consistency over the last weeks, one
//! glyph a day, with adherence and streaks.

use super::{emit, style_of};
use crate::core::calendar::Calendar;
use crate::core::consistency::{self, Consistency};
use crate::core::habits::{HabitView, PhaseClock};
use crate::core::period::{Period, monday};
use crate::core::plan::Plan;
use crate::core::progress::Progress;
use crate::render::habits::{self as screen, HabitsView};
use crate::shell::context::Ctx;
use crate::shell::error::{Error, Result};
use crate::shell::session::Session;
use chrono::{Days, NaiveDate};

pub(crate) fn run(ctx: &Ctx, weeks: u32, as_json: bool) -> Result<String> {
    let session = Session::open(ctx)?;
    let outlook = session.outlook(ctx.today)?;
    let (from, weeks) = span(ctx.today, session.calendar().start, weeks);
    let period = Period { from, to: ctx.today, week: None };
    let figures = Figures { calendar: session.calendar(), progress: &session.progress, clock: &outlook.clock };
    let habits = records(session.plan(), &figures, &period, ctx.today);
    let view = HabitsView { today: ctx.today, from, weeks, habits };
    if !as_json && view.habits.is_empty() {
        return Err(Error::refused(format!("{} has no habits", session.source.label)));
    }
    Ok(emit(&view, as_json, |v| screen::text(v, style_of(ctx))))
}

/// What a habit's record is read from.
struct Figures<'a> {
    calendar: &'a Calendar,
    progress: &'a Progress,
    clock: &'a PhaseClock,
}

/// Each habit's record over `period`.
fn records(plan: &Plan, f: &Figures, period: &Period, today: NaiveDate) -> Vec<Consistency> {
    let record = |habit| {
        let view = HabitView { habit, calendar: f.calendar, progress: f.progress, clock: f.clock, today };
        consistency::consistency(plan, &view, period)
    };
    plan.habits.iter().map(record).collect()
}

/// The Monday the strip starts on and how many weeks it shows: the last
/// `weeks` weeks up to today, from the week of the calendar's start at the
/// earliest.
fn span(today: NaiveDate, start: NaiveDate, weeks: u32) -> (NaiveDate, u32) {
    let back = Days::new(7 * u64::from(weeks.saturating_sub(1)));
    let from = (monday(today).checked_sub_days(back).unwrap_or(NaiveDate::MIN)).max(monday(start)).min(monday(today));
    (from, ((monday(today) - from).num_days() / 7 + 1) as u32)
}

#[cfg(test)]
mod tests {
    use super::span;
    use chrono::NaiveDate;

    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    #[test]
    fn the_strip_starts_no_earlier_than_the_calendar() {
        // Wednesday 2027-01-20; the calendar started on Monday 2027-01-04.
        assert_eq!(span(day("2027-01-20"), day("2027-01-04"), 2), (day("2027-01-11"), 2));
        assert_eq!(span(day("2027-01-20"), day("2027-01-04"), 8), (day("2027-01-04"), 3));
        assert_eq!(span(day("2027-01-20"), day("2027-01-06"), 0), (day("2027-01-18"), 1));
        // A calendar that starts later still shows this week.
        assert_eq!(span(day("2027-01-20"), day("2027-02-01"), 4), (day("2027-01-18"), 1));
    }
}
