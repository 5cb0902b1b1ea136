//! `Window`: the calendar window a phase should fit, such as `2-3个月`,
//! `3-6 months`, `1-N年` or `2+ weeks`.
//!
//! Months and years are calendar months counted from the phase's first day.

use chrono::{Days, Months, NaiveDate};
use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum WindowUnit {
    Day,
    Week,
    Month,
    Year,
}

/// A window `[low, high]` in one unit; `high` is `None` when the window is open.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Window {
    pub low: u32,
    pub high: Option<u32>,
    pub unit: WindowUnit,
    /// The text as the plan wrote it, shown back unchanged.
    pub text: String,
}

/// How a span of days compares with a window.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "verdict", rename_all = "snake_case")]
pub enum Fit {
    /// Ends inside the window.
    Fits,
    /// Ends before the window's low end, by this many days.
    Ahead { days: i64 },
    /// Ends after the window's high end, by this many days.
    Over { days: i64 },
}

const MAX_COUNT: u32 = 10_000;

impl Window {
    pub fn parse(text: &str) -> Result<Window, String> {
        let original = text.trim();
        let lower = original.to_lowercase();
        let (numbers, unit) = split_unit(&lower).ok_or_else(|| {
            format!("`{original}` has no known unit: write days, weeks, months or years (or 天, 周, 个月, 年)")
        })?;
        let numbers = numbers.trim();
        let parse_count = |s: &str| -> Result<u32, String> {
            let s = s.trim();
            match s.parse::<u32>() {
                Ok(n) if n <= MAX_COUNT => Ok(n),
                Ok(_) => Err(format!("`{original}` is too long a window")),
                Err(_) => {
                    Err(format!("`{original}` is not a window: write N, N-M or N+ before the unit, e.g. 2-3 months"))
                }
            }
        };
        let (low, high) = if let Some(low) = numbers.strip_suffix('+') {
            (parse_count(low)?, None)
        } else if let Some((low, high)) = numbers.split_once(['-', '–', '~']) {
            let high = high.trim();
            let high = if high == "n" { None } else { Some(parse_count(high)?) };
            (parse_count(low)?, high)
        } else {
            let n = parse_count(numbers)?;
            (n, Some(n))
        };
        if let Some(high) = high
            && low > high
        {
            return Err(format!("`{original}` starts above its end ({low} > {high})"));
        }
        Ok(Window { low, high, unit, text: original.to_string() })
    }

    /// The first day after a window of `count` units that starts on `start`.
    fn after(&self, start: NaiveDate, count: u32) -> Option<NaiveDate> {
        match self.unit {
            WindowUnit::Day => start.checked_add_days(Days::new(count.into())),
            WindowUnit::Week => start.checked_add_days(Days::new(u64::from(count) * 7)),
            WindowUnit::Month => start.checked_add_months(Months::new(count)),
            WindowUnit::Year => start.checked_add_months(Months::new(count.saturating_mul(12))),
        }
    }

    /// The last day a phase starting on `start` may end on to fit; `None` when open.
    pub fn latest_end(&self, start: NaiveDate) -> Option<NaiveDate> {
        let high = self.high?;
        self.after(start, high).and_then(|d| d.pred_opt())
    }

    /// The earliest day a phase starting on `start` may end on to fit.
    pub fn earliest_end(&self, start: NaiveDate) -> Option<NaiveDate> {
        self.after(start, self.low).and_then(|d| d.pred_opt())
    }

    /// Compares the inclusive span `first..=last` with the window.
    pub fn fit(&self, first: NaiveDate, last: NaiveDate) -> Fit {
        if let Some(latest) = self.latest_end(first)
            && last > latest
        {
            return Fit::Over { days: (last - latest).num_days() };
        }
        match self.earliest_end(first) {
            Some(earliest) if last < earliest => Fit::Ahead { days: (earliest - last).num_days() },
            _ => Fit::Fits,
        }
    }
}

fn split_unit(lower: &str) -> Option<(&str, WindowUnit)> {
    const UNITS: [(&str, WindowUnit); 16] = [
        ("个月", WindowUnit::Month),
        ("months", WindowUnit::Month),
        ("month", WindowUnit::Month),
        ("mo", WindowUnit::Month),
        ("天", WindowUnit::Day),
        ("days", WindowUnit::Day),
        ("day", WindowUnit::Day),
        ("d", WindowUnit::Day),
        ("周", WindowUnit::Week),
        ("weeks", WindowUnit::Week),
        ("week", WindowUnit::Week),
        ("w", WindowUnit::Week),
        ("年", WindowUnit::Year),
        ("years", WindowUnit::Year),
        ("year", WindowUnit::Year),
        ("y", WindowUnit::Year),
    ];
    UNITS.iter().find_map(|(suffix, unit)| lower.strip_suffix(suffix).map(|rest| (rest, *unit)))
}

impl fmt::Display for Window {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl fmt::Display for Fit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Fit::Fits => f.write_str("fits"),
            Fit::Ahead { days } => write!(f, "ahead by {}", crate::core::phrase::days(*days)),
            Fit::Over { days } => write!(f, "over by {}", crate::core::phrase::days(*days)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn parses_every_form() {
        let cases = [
            ("2-3个月", 2, Some(3), WindowUnit::Month),
            ("3-6个月", 3, Some(6), WindowUnit::Month),
            ("1-N年", 1, None, WindowUnit::Year),
            ("1-N years", 1, None, WindowUnit::Year),
            ("2-3 months", 2, Some(3), WindowUnit::Month),
            ("2–3 Months", 2, Some(3), WindowUnit::Month),
            ("2~3mo", 2, Some(3), WindowUnit::Month),
            ("10 days", 10, Some(10), WindowUnit::Day),
            ("1 day", 1, Some(1), WindowUnit::Day),
            ("5d", 5, Some(5), WindowUnit::Day),
            ("6 W", 6, Some(6), WindowUnit::Week),
            ("2+ weeks", 2, None, WindowUnit::Week),
            ("3周", 3, Some(3), WindowUnit::Week),
            ("30天", 30, Some(30), WindowUnit::Day),
            ("1y", 1, Some(1), WindowUnit::Year),
            ("2 - 4 years", 2, Some(4), WindowUnit::Year),
        ];
        for (text, low, high, unit) in cases {
            let window = Window::parse(text).unwrap_or_else(|e| panic!("{text}: {e}"));
            assert_eq!((window.low, window.high, window.unit), (low, high, unit), "{text}");
            assert_eq!(window.to_string(), text.trim());
        }
    }

    #[test]
    fn refuses_bad_windows() {
        let cases = [
            ("3-2个月", "`3-2个月` starts above its end (3 > 2)"),
            ("2-3", "`2-3` has no known unit: write days, weeks, months or years (or 天, 周, 个月, 年)"),
            ("two months", "`two months` is not a window: write N, N-M or N+ before the unit, e.g. 2-3 months"),
            ("months", "`months` is not a window: write N, N-M or N+ before the unit, e.g. 2-3 months"),
            ("-3 months", "`-3 months` is not a window: write N, N-M or N+ before the unit, e.g. 2-3 months"),
            ("20000 years", "`20000 years` is too long a window"),
        ];
        for (text, message) in cases {
            assert_eq!(Window::parse(text), Err(message.to_string()), "{text}");
        }
    }

    #[test]
    fn months_are_calendar_months_from_the_first_day() {
        let w = Window::parse("2-3个月").unwrap();
        assert_eq!(w.earliest_end(d("2027-01-31")), Some(d("2027-03-30")));
        assert_eq!(w.latest_end(d("2027-01-11")), Some(d("2027-04-10")));
        assert_eq!(w.fit(d("2027-01-11"), d("2027-04-10")), Fit::Fits);
        assert_eq!(w.fit(d("2027-01-11"), d("2027-04-12")), Fit::Over { days: 2 });
        assert_eq!(w.fit(d("2027-01-11"), d("2027-03-01")), Fit::Ahead { days: 9 });
        assert_eq!(w.fit(d("2027-01-11"), d("2027-03-10")), Fit::Fits);
    }

    #[test]
    fn open_windows_are_never_over() {
        let w = Window::parse("1-N年").unwrap();
        assert_eq!(w.fit(d("2027-01-01"), d("2040-01-01")), Fit::Fits);
        assert_eq!(w.fit(d("2027-01-01"), d("2027-12-30")), Fit::Ahead { days: 1 });
        assert_eq!(w.fit(d("2027-01-01"), d("2027-12-31")), Fit::Fits);
    }
}
