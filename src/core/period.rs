//! The span of days a report covers: one ISO week (Monday to Sunday) or a
//! range of dates. Parsed from what the learner types, against a given today.

use crate::core::dates::{self, Lean};
use chrono::{Datelike, Days, NaiveDate, Weekday};
use serde::Serialize;

/// The longest span a report may cover, in days (ten years).
pub(crate) const MAX_DAYS: i64 = 3660;

/// Days `from..=to`; `week` is set when the span is exactly one ISO week.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub(crate) struct Period {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub week: Option<IsoWeek>,
}

/// An ISO week: the year it belongs to and its number (1–53).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub(crate) struct IsoWeek {
    pub year: i32,
    pub week: u32,
}

impl Period {
    /// The ISO week that holds `date`.
    pub(crate) fn week_of(date: NaiveDate) -> Period {
        let from = monday(date);
        let iso = date.iso_week();
        Period {
            from,
            to: from.checked_add_days(Days::new(6)).unwrap_or(NaiveDate::MAX),
            week: Some(IsoWeek { year: iso.year(), week: iso.week() }),
        }
    }

    /// Parses `this`, `last`, a date (`2027-01-13`, `yesterday`, `fri`) or
    /// `YYYY-Www` (`2027-W02`) into the ISO week it names.
    pub(crate) fn parse_week(text: &str, today: NaiveDate) -> Result<Period, String> {
        let word = text.trim().to_lowercase();
        match word.as_str() {
            "this" => return Ok(Period::week_of(in_range(today)?)),
            "last" => {
                return Ok(Period::week_of(in_range(today.checked_sub_days(Days::new(7)).unwrap_or(today))?));
            }
            _ => {}
        }
        if let Some((year, week)) = word.split_once("-w") {
            if year.parse::<i32>().is_ok_and(|y| !YEARS.contains(&y)) {
                return Err(format!("{year} is out of range: a report covers the years 1 to 9999"));
            }
            let (Ok(year), Ok(week)) = (year.parse::<i32>(), week.parse::<u32>()) else {
                return Err(format!("`{}` is not a week: write YYYY-Www, e.g. 2027-W02", text.trim()));
            };
            let first = NaiveDate::from_isoywd_opt(year, week, Weekday::Mon)
                .ok_or_else(|| format!("{year} has no ISO week {week}"))?;
            return Ok(Period::week_of(first));
        }
        let date = dates::parse_date(&word, today, Lean::Past).map_err(|_| {
            format!("`{}` is not a week: write this, last, a date (YYYY-MM-DD) or YYYY-Www", text.trim())
        })?;
        Ok(Period::week_of(in_range(date)?))
    }

    /// `--since DATE [--until DATE]`; `until` defaults to today.
    pub(crate) fn parse_span(since: &str, until: Option<&str>, today: NaiveDate) -> Result<Period, String> {
        let from = dates::parse_date(since, today, Lean::Past).map_err(|e| format!("--since: {e}"))?;
        let to = match until {
            Some(text) => dates::parse_date(text, today, Lean::Past).map_err(|e| format!("--until: {e}"))?,
            None => today,
        };
        let (from, to) = (in_range(from)?, in_range(to)?);
        if to < from {
            return Err(format!("--until {to} is before --since {from}"));
        }
        if (to - from).num_days() >= MAX_DAYS {
            return Err(format!("{from}..{to} is more than ten years: report a shorter span"));
        }
        let week = Period::week_of(from);
        Ok(if week.from == from && week.to == to { week } else { Period { from, to, week: None } })
    }

    /// The number of days, both ends included.
    pub(crate) fn days(&self) -> i64 {
        (self.to - self.from).num_days() + 1
    }

    pub(crate) fn contains(&self, date: NaiveDate) -> bool {
        self.from <= date && date <= self.to
    }

    /// Every day of the span, in order.
    pub(crate) fn dates(&self) -> impl Iterator<Item = NaiveDate> + use<> {
        let to = self.to;
        self.from.iter_days().take_while(move |d| *d <= to)
    }

    /// The seven days after the span.
    pub(crate) fn following_week(&self) -> Period {
        let from = self.to + Days::new(1);
        let to = self.to + Days::new(7);
        let week = Period::week_of(from);
        Period { from, to, week: (week.from == from).then_some(week.week).flatten() }
    }
}

/// The years a report may cover: far enough from chrono's limits that a
/// week, four weeks back or one ahead never leaves its range.
const YEARS: std::ops::RangeInclusive<i32> = 1..=9999;

fn in_range(date: NaiveDate) -> Result<NaiveDate, String> {
    if YEARS.contains(&date.year()) {
        Ok(date)
    } else {
        Err(format!("{date} is out of range: a report covers the years 1 to 9999"))
    }
}

/// The Monday on or before `date`.
pub(crate) fn monday(date: NaiveDate) -> NaiveDate {
    date - Days::new(u64::from(date.weekday().num_days_from_monday()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn weeks_by_word_date_and_number() {
        let today = d("2027-01-13"); // a Wednesday, ISO week 2 of 2027
        let week2 = Period::parse_week("this", today).unwrap();
        assert_eq!((week2.from, week2.to), (d("2027-01-11"), d("2027-01-17")));
        assert_eq!(week2.week, Some(IsoWeek { year: 2027, week: 2 }));
        let last = Period::parse_week("last", today).unwrap();
        assert_eq!((last.from, last.to), (d("2027-01-04"), d("2027-01-10")));
        assert_eq!(Period::parse_week("2027-W02", today), Ok(week2));
        assert_eq!(Period::parse_week("2027-w2", today), Ok(week2));
        assert_eq!(Period::parse_week("2027-01-17", today), Ok(week2));
        assert_eq!(Period::parse_week("mon", today), Ok(week2));
        // 2027-01-01 is a Friday: it belongs to week 53 of 2026.
        let w53 = Period::parse_week("2027-01-01", today).unwrap();
        assert_eq!(w53.week, Some(IsoWeek { year: 2026, week: 53 }));
        assert_eq!(w53.from, d("2026-12-28"));
    }

    #[test]
    fn refuses_what_is_not_a_week() {
        let today = d("2027-01-13");
        assert_eq!(Period::parse_week("2027-W54", today), Err("2027 has no ISO week 54".to_string()));
        assert_eq!(
            Period::parse_week("soon", today),
            Err("`soon` is not a week: write this, last, a date (YYYY-MM-DD) or YYYY-Www".to_string())
        );
        assert_eq!(
            Period::parse_week("+262142-12-31", today),
            Err("+262142-12-31 is out of range: a report covers the years 1 to 9999".to_string())
        );
        assert_eq!(
            Period::parse_week("262143-W52", today),
            Err("262143 is out of range: a report covers the years 1 to 9999".to_string())
        );
        assert_eq!(
            Period::parse_week("2027-Wx", today),
            Err("`2027-Wx` is not a week: write YYYY-Www, e.g. 2027-W02".to_string())
        );
    }

    #[test]
    fn spans() {
        let today = d("2027-01-13");
        let span = Period::parse_span("2027-01-01", None, today).unwrap();
        assert_eq!((span.from, span.to, span.week, span.days()), (d("2027-01-01"), today, None, 13));
        let exact = Period::parse_span("2027-01-04", Some("2027-01-10"), today).unwrap();
        assert_eq!(exact.week, Some(IsoWeek { year: 2027, week: 1 }));
        assert_eq!(
            Period::parse_span("2027-01-10", Some("2027-01-04"), today),
            Err("--until 2027-01-04 is before --since 2027-01-10".to_string())
        );
        let next = exact.following_week();
        assert_eq!((next.from, next.to), (d("2027-01-11"), d("2027-01-17")));
        assert_eq!(next.week, Some(IsoWeek { year: 2027, week: 2 }));
        assert_eq!(span.following_week().week, None);
    }
}
