//! `Cadence`: when a habit is due (`every:` in the plan).
//!
//! `week`, `month` and the `N days|weeks|months` forms count from an anchor,
//! the calendar's start date; a monthly habit anchored on the 29th–31st falls
//! on the month's last day in shorter months.

use chrono::{Datelike, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Rule {
    Daily,
    Weekdays,
    Weekends,
    /// On these weekdays; bit 0 is Monday.
    On(u8),
    EveryDays(u32),
    EveryWeeks(u32),
    EveryMonths(u32),
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cadence {
    pub rule: Rule,
    /// The text as the plan wrote it.
    pub text: String,
}

const MAX_EVERY: u32 = 1000;

impl Cadence {
    pub fn parse(text: &str) -> Result<Cadence, String> {
        let original = text.trim();
        let lower = original.to_lowercase();
        let rule = match lower.as_str() {
            "day" | "daily" => Rule::Daily,
            "weekday" | "weekdays" => Rule::Weekdays,
            "weekend" | "weekends" => Rule::Weekends,
            "week" | "weekly" => Rule::EveryWeeks(1),
            "month" | "monthly" => Rule::EveryMonths(1),
            _ => parse_every_n(&lower).or_else(|| parse_weekdays(&lower).map(Rule::On)).ok_or_else(|| {
                format!(
                    "`{original}` is not a cadence: write day, weekday, weekend, week, month, \
                         weekday names (mon,thu) or N days|weeks|months"
                )
            })?,
        };
        Ok(Cadence { rule, text: original.to_string() })
    }

    /// Whether the habit is due on `date`, counting from `anchor` (the
    /// calendar start). Nothing is due before the anchor.
    pub fn is_due(&self, date: NaiveDate, anchor: NaiveDate) -> bool {
        if date < anchor {
            return false;
        }
        let weekday = date.weekday();
        match self.rule {
            Rule::Daily => true,
            Rule::Weekdays => weekday.number_from_monday() <= 5,
            Rule::Weekends => weekday.number_from_monday() > 5,
            Rule::On(mask) => mask & weekday_bit(weekday) != 0,
            Rule::EveryDays(n) => (date - anchor).num_days() % i64::from(n) == 0,
            Rule::EveryWeeks(n) => (date - anchor).num_days() % (7 * i64::from(n)) == 0,
            Rule::EveryMonths(n) => {
                let months = (date.year() - anchor.year()) * 12 + date.month() as i32 - anchor.month() as i32;
                months % n as i32 == 0 && date.day() == anchor.day().min(days_in_month(date))
            }
        }
    }

    /// Due days per week on average, for capacity estimates.
    pub fn per_week(&self) -> f64 {
        match self.rule {
            Rule::Daily => 7.0,
            Rule::Weekdays => 5.0,
            Rule::Weekends => 2.0,
            Rule::On(mask) => f64::from(mask.count_ones()),
            Rule::EveryDays(n) => 7.0 / f64::from(n),
            Rule::EveryWeeks(n) => 1.0 / f64::from(n),
            Rule::EveryMonths(n) => 12.0 / 52.0 / f64::from(n),
        }
    }

    /// True when due at most once a week: streaks then count in weeks.
    pub fn is_sparse(&self) -> bool {
        self.per_week() <= 1.0
    }
}

pub fn weekday_bit(weekday: Weekday) -> u8 {
    1 << weekday.num_days_from_monday()
}

fn days_in_month(date: NaiveDate) -> u32 {
    let (y, m) = (date.year(), date.month());
    let next = if m == 12 { NaiveDate::from_ymd_opt(y + 1, 1, 1) } else { NaiveDate::from_ymd_opt(y, m + 1, 1) };
    next.and_then(|n| n.pred_opt()).map_or(31, |last| last.day())
}

fn parse_every_n(lower: &str) -> Option<Rule> {
    let (count, unit) = lower.split_once(char::is_whitespace)?;
    let n: u32 = count.parse().ok().filter(|n| (1..=MAX_EVERY).contains(n))?;
    match unit.trim() {
        "day" | "days" => Some(Rule::EveryDays(n)),
        "week" | "weeks" => Some(Rule::EveryWeeks(n)),
        "month" | "months" => Some(Rule::EveryMonths(n)),
        _ => None,
    }
}

/// Parses a weekday name as written by people: `mon`, `Monday`, `tues`, `thu`.
pub fn parse_weekday(word: &str) -> Option<Weekday> {
    let word = word.trim().to_lowercase();
    let weekday = match word.as_str() {
        "mon" | "monday" => Weekday::Mon,
        "tue" | "tues" | "tuesday" => Weekday::Tue,
        "wed" | "wednesday" => Weekday::Wed,
        "thu" | "thur" | "thurs" | "thursday" => Weekday::Thu,
        "fri" | "friday" => Weekday::Fri,
        "sat" | "saturday" => Weekday::Sat,
        "sun" | "sunday" => Weekday::Sun,
        _ => return None,
    };
    Some(weekday)
}

fn parse_weekdays(lower: &str) -> Option<u8> {
    let mut mask = 0;
    for word in lower.split(',') {
        mask |= weekday_bit(parse_weekday(word)?);
    }
    Some(mask)
}

impl fmt::Display for Cadence {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
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
            ("day", Rule::Daily),
            ("daily", Rule::Daily),
            ("Weekdays", Rule::Weekdays),
            ("weekend", Rule::Weekends),
            ("week", Rule::EveryWeeks(1)),
            ("weekly", Rule::EveryWeeks(1)),
            ("month", Rule::EveryMonths(1)),
            ("monthly", Rule::EveryMonths(1)),
            ("mon", Rule::On(1)),
            ("monday", Rule::On(1)),
            ("mon,thu", Rule::On(0b1001)),
            ("Mon, Thu", Rule::On(0b1001)),
            ("sun", Rule::On(0b100_0000)),
            ("3 days", Rule::EveryDays(3)),
            ("2 weeks", Rule::EveryWeeks(2)),
            ("1 week", Rule::EveryWeeks(1)),
            ("6 months", Rule::EveryMonths(6)),
        ];
        for (text, rule) in cases {
            assert_eq!(Cadence::parse(text).map(|c| c.rule), Ok(rule), "{text}");
        }
    }

    #[test]
    fn refuses_bad_cadences() {
        for text in ["", "fortnightly", "0 days", "mon,funday", "2 years", "-1 weeks", "mon;thu", "1001 days"] {
            assert!(Cadence::parse(text).is_err(), "{text}");
        }
    }

    fn due_days(every: &str, anchor: &str, from: &str, n: u64) -> Vec<String> {
        let cadence = Cadence::parse(every).unwrap();
        d(from)
            .iter_days()
            .take(n as usize)
            .filter(|day| cadence.is_due(*day, d(anchor)))
            .map(|day| day.format("%m-%d").to_string())
            .collect()
    }

    #[test]
    fn weekly_forms_fall_on_the_anchor_weekday() {
        // 2027-01-13 is a Wednesday.
        assert_eq!(due_days("week", "2027-01-13", "2027-01-11", 21), ["01-13", "01-20", "01-27"]);
        assert_eq!(due_days("2 weeks", "2027-01-13", "2027-01-11", 28), ["01-13", "01-27"]);
        assert_eq!(due_days("mon,thu", "2027-01-13", "2027-01-11", 8), ["01-14", "01-18"]);
        assert_eq!(due_days("weekend", "2027-01-11", "2027-01-11", 7), ["01-16", "01-17"]);
        assert_eq!(due_days("3 days", "2027-01-11", "2027-01-11", 7), ["01-11", "01-14", "01-17"]);
    }

    #[test]
    fn monthly_on_the_31st_falls_on_the_last_day() {
        let dates = due_days("month", "2027-01-31", "2027-01-01", 120);
        assert_eq!(dates, ["01-31", "02-28", "03-31", "04-30"]);
        assert_eq!(due_days("2 months", "2027-01-31", "2027-01-01", 120), ["01-31", "03-31"]);
    }

    #[test]
    fn nothing_is_due_before_the_anchor() {
        assert_eq!(due_days("day", "2027-01-13", "2027-01-11", 4), ["01-13", "01-14"]);
    }
}
