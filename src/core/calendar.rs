//! The learner's calendar: a start date, hours per weekday, days off; and a
//! day's capacity for tasks once habits have taken their share.

use crate::core::effort::Effort;
use chrono::{NaiveDate, Weekday};
use serde::{Deserialize, Serialize};
use std::fmt;

/// Available minutes for each weekday, Monday first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WeekHours {
    pub mon: u32,
    pub tue: u32,
    pub wed: u32,
    pub thu: u32,
    pub fri: u32,
    pub sat: u32,
    pub sun: u32,
}

/// A range of days off, both ends included.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DayOff {
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// Always written (the snapshot cache's binary format needs every field).
    #[serde(default)]
    pub note: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Calendar {
    pub start: NaiveDate,
    pub hours: WeekHours,
    /// Sorted by `from`.
    pub days_off: Vec<DayOff>,
}

/// Monday to Sunday.
pub const WEEKDAYS: [Weekday; 7] =
    [Weekday::Mon, Weekday::Tue, Weekday::Wed, Weekday::Thu, Weekday::Fri, Weekday::Sat, Weekday::Sun];

impl WeekHours {
    /// 2 h Monday to Friday, 4 h Saturday and Sunday.
    pub const DEFAULT: WeekHours = WeekHours { mon: 120, tue: 120, wed: 120, thu: 120, fri: 120, sat: 240, sun: 240 };

    pub fn from_array(minutes: [u32; 7]) -> WeekHours {
        let [mon, tue, wed, thu, fri, sat, sun] = minutes;
        WeekHours { mon, tue, wed, thu, fri, sat, sun }
    }

    pub fn to_array(self) -> [u32; 7] {
        [self.mon, self.tue, self.wed, self.thu, self.fri, self.sat, self.sun]
    }

    pub fn on(self, weekday: Weekday) -> u32 {
        self.to_array()[weekday.num_days_from_monday() as usize]
    }

    pub fn weekly(self) -> Effort {
        Effort::from_minutes(self.to_array().iter().sum())
    }

    /// Every day's minutes scaled by `factor`, each rounded down to the minute.
    pub fn scaled(self, factor: f64) -> WeekHours {
        WeekHours::from_array(self.to_array().map(|m| (f64::from(m) * factor).floor().max(0.0) as u32))
    }

    /// Every day's minutes times `numerator / denominator`, each rounded
    /// down to the minute, computed exactly: a float factor such as 1440/1080
    /// lands a hair under 4/3 and would lose a whole minute on every day.
    /// A zero denominator gives no hours.
    pub fn scaled_ratio(self, numerator: u32, denominator: u32) -> WeekHours {
        WeekHours::from_array(self.to_array().map(|m| {
            (u64::from(m) * u64::from(numerator))
                .checked_div(u64::from(denominator))
                .map_or(0, |v| u32::try_from(v).unwrap_or(u32::MAX))
        }))
    }

    /// Parses `mon-fri=2,sat-sun=4`, `mon=1.5,wed=2h30m,sat=6`, `all=2`,
    /// `weekdays=2,weekends=4`. Days not named get no hours.
    pub fn parse(spec: &str) -> Result<WeekHours, String> {
        let mut minutes = [0u32; 7];
        let mut named = [false; 7];
        let spec = spec.trim();
        if spec.is_empty() {
            return Err("the hours are empty: write e.g. mon-fri=2,sat-sun=4".into());
        }
        for part in spec.split(',') {
            let (days, amount) = part
                .split_once('=')
                .ok_or_else(|| format!("`{}` has no `=`: write DAYS=HOURS, e.g. mon-fri=2", part.trim()))?;
            let value = parse_amount(amount.trim())?;
            for day in parse_days(days.trim())? {
                let i = day.num_days_from_monday() as usize;
                if named[i] {
                    return Err(format!("{} is given hours twice in `{spec}`", weekday_name(day)));
                }
                named[i] = true;
                minutes[i] = value;
            }
        }
        if minutes.iter().all(|&m| m == 0) {
            return Err(format!("`{spec}` gives no hours on any day: nothing could ever be scheduled"));
        }
        Ok(WeekHours::from_array(minutes))
    }
}

/// Hours for one day: `2` or `1.5` (hours), or an effort such as `2h30m`, `90m`.
fn parse_amount(text: &str) -> Result<u32, String> {
    if matches!(text, "0" | "0h" | "0m") {
        return Ok(0);
    }
    let effort = if text.chars().all(|c| c.is_ascii_digit() || c == '.') {
        Effort::parse(&format!("{text}h"))
    } else {
        Effort::parse(text)
    };
    let minutes = effort.map_err(|e| format!("`{text}` is not an amount of hours: {}", e.message))?.minutes();
    if minutes > 24 * 60 {
        return Err(format!("`{text}` is more than a day holds"));
    }
    Ok(minutes)
}

fn parse_days(text: &str) -> Result<Vec<Weekday>, String> {
    let lower = text.to_lowercase();
    let range = |a: usize, b: usize| WEEKDAYS[a..=b].to_vec();
    match lower.as_str() {
        "all" | "daily" | "every" => return Ok(WEEKDAYS.to_vec()),
        "weekdays" | "weekday" => return Ok(range(0, 4)),
        "weekends" | "weekend" => return Ok(range(5, 6)),
        _ => {}
    }
    let day = |word: &str| {
        crate::core::cadence::parse_weekday(word)
            .ok_or_else(|| format!("`{word}` is not a weekday: write mon, tue, … sun, or mon-fri"))
    };
    match lower.split_once('-') {
        Some((a, b)) => {
            let (a, b) = (day(a)?.num_days_from_monday() as usize, day(b)?.num_days_from_monday() as usize);
            if a <= b { Ok(range(a, b)) } else { Ok((a..7).chain(0..=b).map(|i| WEEKDAYS[i]).collect()) }
        }
        None => Ok(vec![day(&lower)?]),
    }
}

pub fn weekday_name(day: Weekday) -> &'static str {
    ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"][day.num_days_from_monday() as usize]
}

impl fmt::Display for WeekHours {
    /// `mon-fri=2,sat-sun=4` style: runs of equal days grouped. Exact, so
    /// the text parses back to the same hours: tenths of an hour as decimals
    /// (`1.5`), other amounts in hours and minutes (`2h46m`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let days = self.to_array();
        let names = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
        let mut parts = Vec::new();
        let mut i = 0;
        while i < 7 {
            let mut j = i;
            while j + 1 < 7 && days[j + 1] == days[i] {
                j += 1;
            }
            let amount = Effort::from_minutes(days[i]).to_string();
            if i == j {
                parts.push(format!("{}={amount}", names[i]));
            } else {
                parts.push(format!("{}-{}={amount}", names[i], names[j]));
            }
            i = j + 1;
        }
        f.write_str(&parts.join(","))
    }
}

impl Calendar {
    pub fn new(start: NaiveDate, hours: WeekHours) -> Calendar {
        Calendar { start, hours, days_off: Vec::new() }
    }

    pub fn is_off(&self, date: NaiveDate) -> bool {
        self.day_off(date).is_some()
    }

    pub fn day_off(&self, date: NaiveDate) -> Option<&DayOff> {
        // Ranges are few; a linear scan stops at the first range past `date`.
        self.days_off.iter().take_while(|r| r.from <= date).find(|r| date <= r.to)
    }

    pub fn last_day_off(&self) -> Option<NaiveDate> {
        self.days_off.iter().map(|r| r.to).max()
    }

    /// Adds a range of days off, keeping the list sorted.
    pub fn add_off(&mut self, off: DayOff) {
        let at = self.days_off.partition_point(|r| r.from <= off.from);
        self.days_off.insert(at, off);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_hour_specs() {
        assert_eq!(WeekHours::parse("mon-fri=2,sat-sun=4"), Ok(WeekHours::DEFAULT));
        let h = WeekHours::parse("mon=1.5,wed=2h30m,sat=6").unwrap();
        assert_eq!(h.to_array(), [90, 0, 150, 0, 0, 360, 0]);
        assert_eq!(WeekHours::parse("all=1").unwrap().to_array(), [60; 7]);
        assert_eq!(WeekHours::parse("weekdays=1,weekends=90m").unwrap().to_array(), [60, 60, 60, 60, 60, 90, 90]);
        assert_eq!(WeekHours::parse("Sat-Mon=2").unwrap().to_array(), [120, 0, 0, 0, 0, 120, 120]);
    }

    #[test]
    fn refuses_bad_specs() {
        let cases = [
            ("mon-fri=0,sat-sun=0", "`mon-fri=0,sat-sun=0` gives no hours on any day: nothing could ever be scheduled"),
            ("mon=2,mon=3", "Mon is given hours twice in `mon=2,mon=3`"),
            ("mon:2", "`mon:2` has no `=`: write DAYS=HOURS, e.g. mon-fri=2"),
            ("funday=2", "`funday` is not a weekday: write mon, tue, … sun, or mon-fri"),
            ("mon=-1", "`-1` is not an amount of hours: effort `-1` is negative"),
            ("mon=25", "`25` is more than a day holds"),
            ("", "the hours are empty: write e.g. mon-fri=2,sat-sun=4"),
        ];
        for (spec, message) in cases {
            assert_eq!(WeekHours::parse(spec), Err(message.to_string()), "{spec}");
        }
    }

    #[test]
    fn displays_grouped_runs() {
        // Durations as every screen writes them (`phrase::hours`).
        assert_eq!(WeekHours::DEFAULT.to_string(), "mon-fri=2h,sat-sun=4h");
        let mixed = WeekHours::from_array([90, 0, 150, 0, 0, 360, 0]);
        assert_eq!(mixed.to_string(), "mon=1h30m,tue=0h,wed=2h30m,thu-fri=0h,sat=6h,sun=0h");
        assert_eq!(WeekHours::parse(&mixed.to_string()), Ok(mixed));
        assert_eq!(WeekHours::parse(&WeekHours::DEFAULT.to_string()), Ok(WeekHours::DEFAULT));
        let odd = WeekHours::from_array([166, 166, 166, 166, 166, 333, 45]);
        assert_eq!(odd.to_string(), "mon-fri=2h46m,sat=5h33m,sun=45m");
        assert_eq!(WeekHours::parse(&odd.to_string()), Ok(odd));
        assert_eq!(WeekHours::DEFAULT.weekly(), Effort::from_hours(18));
    }

    #[test]
    fn scaling_rounds_each_day_down() {
        assert_eq!(WeekHours::DEFAULT.scaled(0.5).to_array(), [60, 60, 60, 60, 60, 120, 120]);
        assert_eq!(WeekHours::from_array([100; 7]).scaled(0.333).to_array(), [33; 7]);
        assert_eq!(WeekHours::DEFAULT.scaled_ratio(1440, 1080).to_array(), [160, 160, 160, 160, 160, 320, 320]);
        assert_eq!(WeekHours::DEFAULT.scaled_ratio(1, 0).to_array(), [0; 7]);
    }
}
