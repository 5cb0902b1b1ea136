//! The values a state may hold, beyond their types: one set of rules for
//! the reader (a file breaking them is corrupt or hostile) and the writer
//! (an event breaking them is never written). Pure.

use crate::core::calendar::WeekHours;
use crate::core::state::{Change, Event, Header};
use chrono::NaiveDate;

/// The first date a state may hold.
pub(crate) const EARLIEST: NaiveDate = NaiveDate::from_ymd_opt(1900, 1, 1).expect("a valid date");
/// The last date a state may hold.
pub(crate) const LATEST: NaiveDate = NaiveDate::from_ymd_opt(9999, 12, 31).expect("a valid date");
/// The most minutes one `log` event may hold (the largest effort).
pub(crate) const MAX_LOG_MINUTES: u32 = 100_000 * 60;
/// The largest habit check-in count.
pub(crate) const MAX_COUNT: u32 = 1_000_000;
/// The most minutes a calendar may give one day.
pub(crate) const MAX_DAY_MINUTES: u32 = 24 * 60;

/// A value outside what a state may hold.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Violation {
    /// A date outside `EARLIEST..=LATEST`; `field` is its name in the file.
    Date { field: &'static str, date: NaiveDate },
    /// A day of the week given more minutes than a day holds.
    DayHours { minutes: u32 },
    /// Days off that end before they start.
    ReversedDaysOff { from: NaiveDate, to: NaiveDate },
    /// A time log over `MAX_LOG_MINUTES`.
    Minutes { minutes: u32 },
    /// A check-in count over `MAX_COUNT`.
    Count { count: u32 },
}

impl std::fmt::Display for Violation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Violation::Date { field, date } => write!(f, "`{field}` {date} is outside {EARLIEST}..{LATEST}"),
            Violation::DayHours { minutes } => {
                write!(f, "`hours` gives {minutes} minutes to one day, more than a day holds")
            }
            Violation::ReversedDaysOff { from, to } => write!(f, "days off {from}..{to} end before they start"),
            Violation::Minutes { minutes } => write!(f, "`minutes` {minutes} is more than 100000h"),
            Violation::Count { count } => write!(f, "`count` {count} is more than {MAX_COUNT}"),
        }
    }
}

fn date(field: &'static str, date: NaiveDate) -> Result<(), Violation> {
    if (EARLIEST..=LATEST).contains(&date) { Ok(()) } else { Err(Violation::Date { field, date }) }
}

fn hours(hours: &WeekHours) -> Result<(), Violation> {
    match hours.to_array().iter().find(|&&m| m > MAX_DAY_MINUTES) {
        Some(&minutes) => Err(Violation::DayHours { minutes }),
        None => Ok(()),
    }
}

/// Checks the values of a header.
pub(crate) fn check_header(header: &Header) -> Result<(), Violation> {
    date("start", header.start)?;
    hours(&header.hours)
}

/// Checks the values of an event.
pub(crate) fn check_event(e: &Event) -> Result<(), Violation> {
    if let Some(on) = e.on() {
        date("on", on)?;
    }
    match &e.change {
        Change::Settings { start, hours: week, .. } => {
            if let Some(start) = start {
                date("start", *start)?;
            }
            if let Some(week) = week {
                hours(week)?;
            }
        }
        Change::DayOff { off } | Change::DayOffRemoved { off } => {
            date("off.from", off.from)?;
            date("off.to", off.to)?;
            if off.from > off.to {
                return Err(Violation::ReversedDaysOff { from: off.from, to: off.to });
            }
        }
        Change::Logged { minutes, .. } if minutes.minutes() > MAX_LOG_MINUTES => {
            return Err(Violation::Minutes { minutes: minutes.minutes() });
        }
        Change::Checkin { count, .. } if *count > MAX_COUNT => {
            return Err(Violation::Count { count: *count });
        }
        _ => {}
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::testkit;

    #[test]
    fn dates_counts_and_minutes_have_one_range() {
        let day = |s: &str| s.parse::<NaiveDate>().expect("date");
        assert_eq!(check_event(&testkit::done("p.m.t", "1900-01-01")), Ok(()));
        assert_eq!(check_event(&testkit::done("p.m.t", "9999-12-31")), Ok(()));
        assert_eq!(
            check_event(&testkit::done("p.m.t", "0207-01-05")),
            Err(Violation::Date { field: "on", date: day("0207-01-05") })
        );
        assert_eq!(check_event(&testkit::checkin("h", "2027-01-04", MAX_COUNT)), Ok(()));
        assert_eq!(
            check_event(&testkit::checkin("h", "2027-01-04", MAX_COUNT + 1)),
            Err(Violation::Count { count: MAX_COUNT + 1 })
        );
        let message = Violation::Date { field: "on", date: day("0207-01-05") }.to_string();
        assert_eq!(message, "`on` 0207-01-05 is outside 1900-01-01..9999-12-31");
    }
}
