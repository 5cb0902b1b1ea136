//! `Cadence`: when a habit is due (`every:` in the plan).
//!
//! Two kinds. A **fixed-day** cadence (`day`, `weekday`, `weekend`, weekday
//! names) is due on exactly those weekdays. A **period** cadence (`week`,
//! `month`, `N days|weeks|months`) cuts time into periods counted from an
//! anchor, the calendar's start date: a `2 weeks` cadence anchored on a
//! Tuesday has periods Tuesday to the Monday two weeks later. A monthly
//! period anchored on the 29th–31st starts on the month's last day in
//! shorter months (31 Jan, 28 Feb, 31 Mar…) and ends the day before the
//! next period starts.

use chrono::{Datelike, Days, Months, NaiveDate, Weekday};
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

    /// Whether this is a period cadence (`week`, `month`, `N days|weeks|months`).
    pub fn is_period(&self) -> bool {
        matches!(self.rule, Rule::EveryDays(_) | Rule::EveryWeeks(_) | Rule::EveryMonths(_))
    }

    /// How a screen names the running period: `this week`, `this
    /// fortnight`, `this month`, `these 10 days`, `these 3 months`; `None`
    /// for a fixed-day cadence.
    pub fn period_words(&self) -> Option<String> {
        let words = match self.rule {
            Rule::EveryDays(1) => "this day".to_string(),
            Rule::EveryWeeks(1) => "this week".to_string(),
            Rule::EveryWeeks(2) => "this fortnight".to_string(),
            Rule::EveryMonths(1) => "this month".to_string(),
            Rule::EveryDays(n) => format!("these {n} days"),
            Rule::EveryWeeks(n) => format!("these {n} weeks"),
            Rule::EveryMonths(n) => format!("these {n} months"),
            Rule::Daily | Rule::Weekdays | Rule::Weekends | Rule::On(_) => return None,
        };
        Some(words)
    }

    /// Whether a fixed-day cadence falls on `weekday`; never for a period
    /// cadence.
    pub fn on_weekday(&self, weekday: Weekday) -> bool {
        match self.rule {
            Rule::Daily => true,
            Rule::Weekdays => weekday.number_from_monday() <= 5,
            Rule::Weekends => weekday.number_from_monday() > 5,
            Rule::On(mask) => mask & weekday_bit(weekday) != 0,
            Rule::EveryDays(_) | Rule::EveryWeeks(_) | Rule::EveryMonths(_) => false,
        }
    }

    /// Whether a fixed-day cadence is due on `date` (nothing before the
    /// anchor, the calendar's start). Never for a period cadence: see
    /// `period_of`.
    pub fn is_fixed_day(&self, date: NaiveDate, anchor: NaiveDate) -> bool {
        date >= anchor && self.on_weekday(date.weekday())
    }

    /// The period of a period cadence that holds `date`, counted from
    /// `anchor`; `None` before the anchor, for a fixed-day cadence, or past
    /// the end of the calendar.
    pub fn period_of(&self, date: NaiveDate, anchor: NaiveDate) -> Option<HabitPeriod> {
        if date < anchor {
            return None;
        }
        let days = |n: u64| {
            let index = (date - anchor).num_days() as u64 / n;
            let from = anchor.checked_add_days(Days::new(index * n))?;
            let to = from.checked_add_days(Days::new(n - 1)).unwrap_or(NaiveDate::MAX);
            Some(HabitPeriod { index: index as u32, from, to })
        };
        match self.rule {
            Rule::EveryDays(n) => days(u64::from(n)),
            Rule::EveryWeeks(n) => days(7 * u64::from(n)),
            Rule::EveryMonths(n) => {
                let months = (date.year() - anchor.year()) * 12 + date.month() as i32 - anchor.month() as i32;
                let mut index = u32::try_from(months).ok()? / n;
                let start = |index: u32| anchor.checked_add_months(Months::new(index.checked_mul(n)?));
                let mut from = start(index)?;
                // Anchored on the 31st, the period of 30 April starts then,
                // but 15 April still belongs to the one from 31 March.
                if from > date {
                    index = index.checked_sub(1)?;
                    from = start(index)?;
                }
                let to = start(index + 1).and_then(|next| next.pred_opt()).unwrap_or(NaiveDate::MAX);
                Some(HabitPeriod { index, from, to })
            }
            Rule::Daily | Rule::Weekdays | Rule::Weekends | Rule::On(_) => None,
        }
    }

    /// The period after `period`, if the calendar has one.
    pub fn next_period(&self, period: HabitPeriod, anchor: NaiveDate) -> Option<HabitPeriod> {
        self.period_of(period.to.succ_opt()?, anchor)
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

/// One period of a period cadence: `from..=to`, the `index`-th from the
/// anchor (0 is the period that starts on the anchor).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct HabitPeriod {
    pub index: u32,
    pub from: NaiveDate,
    pub to: NaiveDate,
}

impl HabitPeriod {
    pub fn contains(&self, date: NaiveDate) -> bool {
        self.from <= date && date <= self.to
    }

    /// Every day of the period, in order.
    pub fn dates(&self) -> impl Iterator<Item = NaiveDate> + use<> {
        let to = self.to;
        self.from.iter_days().take_while(move |d| *d <= to)
    }

    /// Its length in days.
    pub fn days(&self) -> i64 {
        (self.to - self.from).num_days() + 1
    }
}

pub(crate) fn weekday_bit(weekday: Weekday) -> u8 {
    1 << weekday.num_days_from_monday()
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
pub(crate) fn parse_weekday(word: &str) -> Option<Weekday> {
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
            .filter(|day| cadence.is_fixed_day(*day, d(anchor)))
            .map(|day| day.format("%m-%d").to_string())
            .collect()
    }

    /// The periods met by the days `from..from+n`, as `index from..to`.
    fn periods(every: &str, anchor: &str, from: &str, n: u64) -> Vec<String> {
        let cadence = Cadence::parse(every).unwrap();
        let mut seen: Vec<String> = Vec::new();
        for day in d(from).iter_days().take(n as usize) {
            if let Some(p) = cadence.period_of(day, d(anchor)) {
                assert!(p.contains(day), "{day} outside {p:?}");
                let text = format!("{} {}..{}", p.index, p.from.format("%m-%d"), p.to.format("%m-%d"));
                if seen.last() != Some(&text) {
                    seen.push(text);
                }
            }
        }
        seen
    }

    #[test]
    fn fixed_day_cadences_fall_on_their_weekdays() {
        // 2027-01-13 is a Wednesday.
        assert_eq!(due_days("mon,thu", "2027-01-13", "2027-01-11", 8), ["01-14", "01-18"]);
        assert_eq!(due_days("weekend", "2027-01-11", "2027-01-11", 7), ["01-16", "01-17"]);
        assert_eq!(due_days("weekdays", "2027-01-11", "2027-01-15", 4), ["01-15", "01-18"]);
        // A period cadence is never due on a fixed day.
        assert!(due_days("week", "2027-01-13", "2027-01-11", 21).is_empty());
        assert!(Cadence::parse("2 weeks").unwrap().is_period());
        assert!(!Cadence::parse("mon").unwrap().is_period());
    }

    #[test]
    fn two_week_periods_from_a_tuesday_run_tuesday_to_monday() {
        // 2027-01-05 is a Tuesday: periods Tue 01-05..Mon 01-18, Tue 01-19..Mon 02-01.
        assert_eq!(
            periods("2 weeks", "2027-01-05", "2027-01-01", 33),
            ["0 01-05..01-18", "1 01-19..02-01", "2 02-02..02-15"]
        );
        assert_eq!(periods("week", "2027-01-05", "2027-01-05", 8), ["0 01-05..01-11", "1 01-12..01-18"]);
        assert_eq!(
            periods("3 days", "2027-01-05", "2027-01-05", 7),
            ["0 01-05..01-07", "1 01-08..01-10", "2 01-11..01-13"]
        );
        let words = |t: &str| Cadence::parse(t).unwrap().period_words();
        assert_eq!(words("2 weeks").as_deref(), Some("this fortnight"));
        assert_eq!(words("week").as_deref(), Some("this week"));
        assert_eq!(words("month").as_deref(), Some("this month"));
        assert_eq!(words("10 days").as_deref(), Some("these 10 days"));
        assert_eq!(words("mon"), None);
        assert_eq!(Cadence::parse("day").unwrap().period_of(d("2027-01-05"), d("2027-01-05")), None);
    }

    #[test]
    fn monthly_periods_anchored_on_the_31st_start_on_the_last_day() {
        assert_eq!(
            periods("month", "2027-01-31", "2027-01-01", 120),
            ["0 01-31..02-27", "1 02-28..03-30", "2 03-31..04-29", "3 04-30..05-30"]
        );
        assert_eq!(periods("2 months", "2027-01-15", "2027-01-15", 70), ["0 01-15..03-14", "1 03-15..05-14"]);
        let p = Cadence::parse("month").unwrap().period_of(d("2027-04-15"), d("2027-01-31")).unwrap();
        assert_eq!((p.index, p.from, p.to, p.days()), (2, d("2027-03-31"), d("2027-04-29"), 30));
    }

    #[test]
    fn nothing_is_due_before_the_anchor() {
        assert_eq!(due_days("day", "2027-01-13", "2027-01-11", 4), ["01-13", "01-14"]);
        assert_eq!(periods("week", "2027-01-13", "2027-01-11", 3), ["0 01-13..01-19"]);
    }
}
