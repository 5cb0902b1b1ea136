//! `Effort`: an amount of work time, kept in whole minutes.
//!
//! The plan grammar is `20h`, `1.5h`, `90m`, `2h30m` or `2h 30m`. A bare
//! number is refused with a hint, and so is an amount that is not a whole
//! number of minutes (`0.01h`).

use serde::{Deserialize, Serialize};
use std::fmt;

/// Work time in whole minutes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Effort(u32);

/// Why a piece of text is not an effort; the message is shown to the user.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EffortError {
    pub message: String,
    pub hint: Option<String>,
}

/// The largest effort accepted: 100,000 hours keeps every sum far from overflow.
const MAX_MINUTES: u64 = 100_000 * 60;

impl Effort {
    pub const ZERO: Effort = Effort(0);

    pub const fn from_minutes(minutes: u32) -> Effort {
        Effort(minutes)
    }

    pub const fn from_hours(hours: u32) -> Effort {
        Effort(hours * 60)
    }

    pub const fn minutes(self) -> u32 {
        self.0
    }

    /// Hours as a float, for display and ratios only.
    pub fn hours_f64(self) -> f64 {
        f64::from(self.0) / 60.0
    }

    pub fn is_zero(self) -> bool {
        self.0 == 0
    }

    pub fn saturating_sub(self, other: Effort) -> Effort {
        Effort(self.0.saturating_sub(other.0))
    }

    pub fn saturating_add(self, other: Effort) -> Effort {
        Effort(self.0.saturating_add(other.0))
    }

    /// Parses `20h`, `1.5h`, `90m`, `2h30m`, `2h 30m`.
    pub fn parse(text: &str) -> Result<Effort, EffortError> {
        let trimmed = text.trim();
        if trimmed.is_empty() {
            return Err(err("the effort is empty", Some("write a duration such as 20h or 90m")));
        }
        if trimmed.starts_with('-') {
            return Err(err(format!("effort `{trimmed}` is negative"), Some("write a positive duration such as 20h")));
        }
        if trimmed.chars().all(|c| c.is_ascii_digit() || c == '.') {
            return Err(err(
                format!("effort `{trimmed}` has no unit"),
                Some(format!("write {trimmed}h (hours) or {trimmed}m (minutes)")),
            ));
        }
        let mut total: u64 = 0;
        let mut rest = trimmed;
        let mut seen_hours = false;
        let mut seen_minutes = false;
        while !rest.is_empty() {
            rest = rest.trim_start();
            let number_len = rest.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(rest.len());
            if number_len == 0 {
                return Err(unparsable(trimmed));
            }
            let number = &rest[..number_len];
            if number.matches('.').count() > 1 || number == "." {
                return Err(unparsable(trimmed));
            }
            rest = &rest[number_len..];
            let unit = rest.chars().next().ok_or_else(|| unparsable(trimmed))?;
            rest = &rest[unit.len_utf8()..];
            let per_unit = match unit {
                'h' if !seen_hours && !seen_minutes => {
                    seen_hours = true;
                    60
                }
                'm' if !seen_minutes => {
                    seen_minutes = true;
                    1
                }
                _ => return Err(unparsable(trimmed)),
            };
            let too_large = || err(format!("effort `{trimmed}` is too large"), Some("an effort is at most 100000h"));
            let (whole, fraction) = number.split_once('.').unwrap_or((number, ""));
            if whole.len() > 9 {
                return Err(too_large());
            }
            total += scaled_whole(whole, fraction, per_unit).ok_or_else(|| {
                err(
                    format!("effort `{trimmed}` is not a whole number of minutes"),
                    Some("round it to the minute, e.g. 1.5h or 2h10m"),
                )
            })?;
            if total > MAX_MINUTES {
                return Err(too_large());
            }
        }
        if total == 0 {
            return Err(err(format!("effort `{trimmed}` is zero"), Some("every task needs some work time, e.g. 30m")));
        }
        // MAX_MINUTES fits in u32.
        Ok(Effort(total as u32))
    }
}

fn err(message: impl Into<String>, hint: Option<impl Into<String>>) -> EffortError {
    EffortError { message: message.into(), hint: hint.map(Into::into) }
}

fn unparsable(text: &str) -> EffortError {
    err(format!("`{text}` is not an effort"), Some("write hours and minutes such as 20h, 1.5h, 90m or 2h30m"))
}

/// `whole.fraction * per_unit` when that is a whole number, computed exactly
/// in decimal; `whole` has at most 9 digits.
fn scaled_whole(whole: &str, fraction: &str, per_unit: u64) -> Option<u64> {
    if fraction.len() > 9 {
        return None;
    }
    let whole: u64 = if whole.is_empty() { 0 } else { whole.parse().ok()? };
    let fraction_digits = fraction.trim_end_matches('0');
    let mut value = whole.checked_mul(per_unit)?;
    if !fraction_digits.is_empty() {
        let denominator = 10u64.pow(fraction_digits.len() as u32);
        let numerator: u64 = fraction_digits.parse().ok()?;
        let scaled = numerator * per_unit;
        if !scaled.is_multiple_of(denominator) {
            return None;
        }
        value += scaled / denominator;
    }
    Some(value)
}

impl fmt::Display for Effort {
    /// `20h`, `1h30m`, `45m`, `0h`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // itoa rather than `write!`: `schedule` and `list` write an effort
        // or two a task, and the formatting machinery was most of it.
        let (hours, minutes) = (self.0 / 60, self.0 % 60);
        let mut number = itoa::Buffer::new();
        if hours > 0 || minutes == 0 {
            f.write_str(number.format(hours))?;
            f.write_str("h")?;
        }
        if minutes > 0 {
            f.write_str(number.format(minutes))?;
            f.write_str("m")?;
        }
        Ok(())
    }
}

impl std::ops::Add for Effort {
    type Output = Effort;
    fn add(self, other: Effort) -> Effort {
        self.saturating_add(other)
    }
}

impl std::ops::AddAssign for Effort {
    fn add_assign(&mut self, other: Effort) {
        *self = self.saturating_add(other);
    }
}

impl std::iter::Sum for Effort {
    fn sum<I: Iterator<Item = Effort>>(iter: I) -> Effort {
        iter.fold(Effort::ZERO, |a, b| a + b)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_grammar() {
        let cases = [
            ("20h", 1200),
            ("1.5h", 90),
            ("90m", 90),
            ("2h30m", 150),
            ("2h 30m", 150),
            (" 45m ", 45),
            ("0.25h", 15),
            ("1.50h", 90),
            (".5h", 30),
            ("100000h", 6_000_000),
        ];
        for (text, minutes) in cases {
            assert_eq!(Effort::parse(text), Ok(Effort::from_minutes(minutes)), "{text}");
        }
    }

    #[test]
    fn refuses_what_is_not_an_effort() {
        let cases = [
            ("", "the effort is empty"),
            ("20", "effort `20` has no unit"),
            ("1.5", "effort `1.5` has no unit"),
            ("0.01h", "effort `0.01h` is not a whole number of minutes"),
            ("1.5m", "effort `1.5m` is not a whole number of minutes"),
            ("-2h", "effort `-2h` is negative"),
            ("0h", "effort `0h` is zero"),
            ("0m", "effort `0m` is zero"),
            ("20H", "`20H` is not an effort"),
            ("20 hours", "`20 hours` is not an effort"),
            ("30m2h", "`30m2h` is not an effort"),
            ("2h2h", "`2h2h` is not an effort"),
            ("h", "`h` is not an effort"),
            ("1..5h", "`1..5h` is not an effort"),
            ("100001h", "effort `100001h` is too large"),
            ("99999999999999999999h", "effort `99999999999999999999h` is too large"),
        ];
        for (text, message) in cases {
            assert_eq!(Effort::parse(text).map_err(|e| e.message), Err(message.to_string()), "{text}");
        }
    }

    #[test]
    fn bare_number_hint_says_how_to_write_it() {
        let error = Effort::parse("20").unwrap_err();
        assert_eq!(error.hint.as_deref(), Some("write 20h (hours) or 20m (minutes)"));
    }

    #[test]
    fn displays_compactly() {
        let cases = [(0, "0h"), (45, "45m"), (60, "1h"), (90, "1h30m"), (1200, "20h")];
        for (minutes, text) in cases {
            assert_eq!(Effort::from_minutes(minutes).to_string(), text);
        }
    }

    #[test]
    fn display_round_trips() {
        for minutes in [1, 59, 60, 61, 125, 6000] {
            let effort = Effort::from_minutes(minutes);
            assert_eq!(Effort::parse(&effort.to_string()), Ok(effort));
        }
    }
}
