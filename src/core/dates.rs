//! Dates as people type them: `2027-02-10`, `today`, `yesterday`,
//! `tomorrow`, and weekday names, resolved against a given today.

use crate::core::cadence::parse_weekday;
use chrono::{Datelike, Days, NaiveDate};

/// The dates the tool accepts or computes: the state's own range, so that
/// every date it writes has four digits in its year (as iCalendar and the
/// state file need).
pub(crate) use crate::core::state::limits::{EARLIEST, LATEST};

/// Whether `date` lies in `EARLIEST..=LATEST`.
pub(crate) fn in_range(date: NaiveDate) -> bool {
    (EARLIEST..=LATEST).contains(&date)
}

/// Which way a weekday name points from today.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Lean {
    /// The most recent such day (today included): for `done --on fri`.
    Past,
    /// The next such day (today included): for `off fri`.
    Future,
}

pub(crate) fn parse_date(text: &str, today: NaiveDate, lean: Lean) -> Result<NaiveDate, String> {
    let word = text.trim().to_lowercase();
    match word.as_str() {
        "today" => return Ok(today),
        "yesterday" => return today.pred_opt().ok_or_else(|| "no day before today".to_string()),
        "tomorrow" => return today.succ_opt().ok_or_else(|| "no day after today".to_string()),
        _ => {}
    }
    if let Some(weekday) = parse_weekday(&word) {
        let from = today.weekday().num_days_from_monday();
        let to = weekday.num_days_from_monday();
        return Ok(match lean {
            Lean::Past => today - Days::new(u64::from((from + 7 - to) % 7)),
            Lean::Future => today + Days::new(u64::from((to + 7 - from) % 7)),
        });
    }
    NaiveDate::parse_from_str(&word, "%Y-%m-%d").map_err(|_| {
        if word.len() == 10 && word.as_bytes()[4] == b'-' && word.as_bytes()[7] == b'-' {
            format!("`{}` is not a real date", text.trim())
        } else {
            format!("`{}` is not a date: write YYYY-MM-DD, today, yesterday, tomorrow or a weekday name", text.trim())
        }
    })
}

/// `a..b` (both ends included) or a single date.
pub(crate) fn parse_range(text: &str, today: NaiveDate) -> Result<(NaiveDate, NaiveDate), String> {
    let (from, to) = match text.split_once("..") {
        Some((a, b)) => (parse_date(a, today, Lean::Future)?, parse_date(b, today, Lean::Future)?),
        None => {
            let day = parse_date(text, today, Lean::Future)?;
            (day, day)
        }
    };
    if to < from {
        return Err(format!("`{text}` ends before it starts: write the earlier date first ({to}..{from})"));
    }
    Ok((from, to))
}

/// `Mon 2027-01-11`.
pub(crate) fn long(date: NaiveDate) -> String {
    date.format("%a %Y-%m-%d").to_string()
}

/// `2027-01-22`.
pub(crate) fn iso(date: NaiveDate) -> String {
    let mut out = String::with_capacity(10);
    push_iso(&mut out, date);
    out
}

/// `iso`, written at the end of `out`.
pub(crate) fn push_iso(out: &mut String, date: NaiveDate) {
    use chrono::Datelike;
    // Written by hand for four-digit years: chrono's formatter is slow, and
    // `schedule` writes three dates a task.
    if let Ok(year @ 0..=9999) = u32::try_from(date.year()) {
        // Digit by digit into ten bytes: `format!` with padding was a sixth
        // of `schedule`.
        let digit = |n: u32| char::from(b'0' + (n % 10) as u8);
        let (month, day) = (date.month(), date.day());
        for c in [
            digit(year / 1000),
            digit(year / 100),
            digit(year / 10),
            digit(year),
            '-',
            digit(month / 10),
            digit(month),
            '-',
            digit(day / 10),
            digit(day),
        ] {
            out.push(c);
        }
    } else {
        use std::fmt::Write;
        // Writing to a `String` cannot fail.
        let _ = write!(out, "{}", date.format("%Y-%m-%d"));
    }
}

/// `Fri 01-22`.
pub(crate) fn short(date: NaiveDate) -> String {
    date.format("%a %m-%d").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The hand-written form is chrono's, over years of one to four digits
    /// and every month and day; beyond, chrono's own.
    #[test]
    fn iso_dates_are_chronos() {
        for (y, m, d) in
            [(1, 1, 1), (9, 12, 31), (99, 2, 28), (999, 10, 9), (2027, 1, 4), (2028, 2, 29), (9999, 12, 31)]
        {
            let date = NaiveDate::from_ymd_opt(y, m, d).expect("date");
            assert_eq!(iso(date), date.format("%Y-%m-%d").to_string());
        }
        let mut date = NaiveDate::from_ymd_opt(2027, 1, 1).expect("date");
        while date.year() == 2027 {
            assert_eq!(iso(date), date.format("%Y-%m-%d").to_string());
            date = date.succ_opt().expect("next");
        }
        let far = NaiveDate::from_ymd_opt(12345, 6, 7).expect("date");
        assert_eq!(iso(far), far.format("%Y-%m-%d").to_string());
        let before = NaiveDate::from_ymd_opt(-5, 6, 7).expect("date");
        assert_eq!(iso(before), before.format("%Y-%m-%d").to_string());
    }

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn resolves_words_and_weekdays() {
        let today = d("2027-01-13"); // a Wednesday
        assert_eq!(parse_date("today", today, Lean::Past), Ok(today));
        assert_eq!(parse_date("Yesterday", today, Lean::Past), Ok(d("2027-01-12")));
        assert_eq!(parse_date("tomorrow", today, Lean::Past), Ok(d("2027-01-14")));
        assert_eq!(parse_date("mon", today, Lean::Past), Ok(d("2027-01-11")));
        assert_eq!(parse_date("mon", today, Lean::Future), Ok(d("2027-01-18")));
        assert_eq!(parse_date("wednesday", today, Lean::Past), Ok(today));
        assert_eq!(parse_date("wed", today, Lean::Future), Ok(today));
        assert_eq!(parse_date("fri", today, Lean::Past), Ok(d("2027-01-08")));
        assert_eq!(parse_date("2027-02-10", today, Lean::Past), Ok(d("2027-02-10")));
    }

    #[test]
    fn refuses_impossible_dates() {
        let today = d("2027-01-13");
        assert_eq!(parse_date("2027-02-30", today, Lean::Past), Err("`2027-02-30` is not a real date".into()));
        assert_eq!(
            parse_date("next week", today, Lean::Past),
            Err("`next week` is not a date: write YYYY-MM-DD, today, yesterday, tomorrow or a weekday name".into())
        );
    }

    #[test]
    fn ranges() {
        let today = d("2027-01-13");
        assert_eq!(parse_range("2027-02-10..2027-02-17", today), Ok((d("2027-02-10"), d("2027-02-17"))));
        assert_eq!(parse_range("fri", today), Ok((d("2027-01-15"), d("2027-01-15"))));
        assert_eq!(
            parse_range("2027-02-17..2027-02-10", today),
            Err(
                "`2027-02-17..2027-02-10` ends before it starts: write the earlier date first (2027-02-10..2027-02-17)"
                    .into()
            )
        );
    }
}
