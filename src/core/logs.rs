//! The time logged on a task, day by day, in the order it was logged.
//!
//! A snapshot holds a pair for every day a task was worked on, some
//! hundred thousand at 10,000 tasks, and most commands only add their
//! minutes up. Read from a snapshot kept for the run (`text::keeping`), the
//! pairs stay in its bytes, eight a pair (the day number from the common
//! era, then the minutes, each four bytes little-endian), and their days
//! are only checked to be in range; what is logged after is kept apart.
//! Human-readable formats hold a list of `[day, minutes]` pairs.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Bytes per pair in the binary form.
const WIDTH: usize = 8;

#[derive(Clone, Default)]
pub struct Logs {
    /// Pairs in the binary form, left in a snapshot's bytes; every day
    /// number among them has a date.
    kept: &'static [u8],
    /// Pairs logged after those (all of them, when not read from a snapshot).
    added: Vec<(NaiveDate, u32)>,
}

/// A pair's bytes as (day number, minutes).
fn pair(&[a, b, c, d, e, f, g, h]: &[u8; WIDTH]) -> (i32, u32) {
    (i32::from_le_bytes([a, b, c, d]), u32::from_le_bytes([e, f, g, h]))
}

/// The whole pairs in `bytes`.
fn pairs(bytes: &[u8]) -> impl Iterator<Item = (i32, u32)> + '_ {
    bytes.as_chunks::<WIDTH>().0.iter().map(pair)
}

/// The day numbers chrono has a date for.
fn in_range(number: i32) -> bool {
    (NaiveDate::MIN.num_days_from_ce()..=NaiveDate::MAX.num_days_from_ce()).contains(&number)
}

/// The date of a day number known to be in range (the days logged are
/// few, so most are remembered: `day::memo_date`).
fn date(number: i32) -> NaiveDate {
    crate::core::state::day::memo_date(number).unwrap_or(NaiveDate::MIN)
}

impl Logs {
    pub fn push(&mut self, day: NaiveDate, minutes: u32) {
        self.added.push((day, minutes));
    }

    pub fn is_empty(&self) -> bool {
        self.kept.is_empty() && self.added.is_empty()
    }

    /// Each pair as (day number from the common era, minutes), in the
    /// order logged: what sums by day and week need, without dates.
    pub fn numbered(&self) -> impl Iterator<Item = (i32, u32)> + '_ {
        let kept = pairs(self.kept);
        kept.chain(self.added.iter().map(|&(day, minutes)| (day.num_days_from_ce(), minutes)))
    }

    /// Each pair as (day, minutes), in the order logged.
    pub fn iter(&self) -> impl Iterator<Item = (NaiveDate, u32)> + '_ {
        let kept = pairs(self.kept).map(|(number, minutes)| (date(number), minutes));
        kept.chain(self.added.iter().copied())
    }

    /// The minutes of each pair, in the order logged.
    pub fn minutes(&self) -> impl Iterator<Item = u32> + '_ {
        pairs(self.kept).map(|p| p.1).chain(self.added.iter().map(|l| l.1))
    }

    /// Minutes logged on `day`.
    pub fn on(&self, day: NaiveDate) -> u64 {
        let number = day.num_days_from_ce();
        self.numbered().filter(|l| l.0 == number).map(|l| u64::from(l.1)).sum()
    }

    /// The first day logged.
    pub fn first_day(&self) -> Option<NaiveDate> {
        self.numbered().map(|l| l.0).min().map(date)
    }

    /// `first_day`, and the minutes of every pair as `f` adds them up, in
    /// one walk of the pairs (the work list asks both of every task).
    pub fn first_day_and<T>(&self, start: T, mut f: impl FnMut(T, u32) -> T) -> (Option<NaiveDate>, T) {
        let (mut first, mut sum) = (None::<i32>, start);
        for (day, minutes) in self.numbered() {
            first = Some(first.map_or(day, |f| f.min(day)));
            sum = f(sum, minutes);
        }
        (first.map(date), sum)
    }
}

impl PartialEq for Logs {
    fn eq(&self, other: &Logs) -> bool {
        self.numbered().eq(other.numbered())
    }
}

impl Eq for Logs {}

impl std::fmt::Debug for Logs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl FromIterator<(NaiveDate, u32)> for Logs {
    fn from_iter<I: IntoIterator<Item = (NaiveDate, u32)>>(pairs: I) -> Logs {
        Logs { kept: &[], added: pairs.into_iter().collect() }
    }
}

impl Serialize for Logs {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if s.is_human_readable() {
            return s.collect_seq(self.iter());
        }
        let mut bytes = Vec::with_capacity(self.kept.len() + self.added.len() * WIDTH);
        bytes.extend_from_slice(self.kept);
        for &(day, minutes) in &self.added {
            bytes.extend_from_slice(&day.num_days_from_ce().to_le_bytes());
            bytes.extend_from_slice(&minutes.to_le_bytes());
        }
        s.serialize_bytes(&bytes)
    }
}

impl<'de> Deserialize<'de> for Logs {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Logs, D::Error> {
        if d.is_human_readable() {
            return Vec::<(NaiveDate, u32)>::deserialize(d).map(|added| Logs { kept: &[], added });
        }
        d.deserialize_bytes(Pairs)
    }
}

struct Pairs;

impl Pairs {
    /// `bytes` checked: whole pairs, every day in range.
    fn checked<E: serde::de::Error>(&self, bytes: &[u8]) -> Result<(), E> {
        if !bytes.len().is_multiple_of(WIDTH) {
            return Err(E::invalid_length(bytes.len(), self));
        }
        match pairs(bytes).all(|p| in_range(p.0)) {
            true => Ok(()),
            false => Err(E::custom("a day number out of range")),
        }
    }
}

impl<'de> serde::de::Visitor<'de> for Pairs {
    type Value = Logs;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("day and minutes pairs as bytes")
    }

    fn visit_borrowed_bytes<E: serde::de::Error>(self, bytes: &'de [u8]) -> Result<Logs, E> {
        self.checked(bytes)?;
        match crate::core::text::kept(bytes) {
            Some(kept) => Ok(Logs { kept, added: Vec::new() }),
            None => self.visit_bytes(bytes),
        }
    }

    fn visit_bytes<E: serde::de::Error>(self, bytes: &[u8]) -> Result<Logs, E> {
        self.checked(bytes)?;
        let added = pairs(bytes).map(|(number, minutes)| (date(number), minutes)).collect();
        Ok(Logs { kept: &[], added })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().expect("date")
    }

    /// One walk gives the first day and the sum that `first_day` and
    /// `minutes` give, logs out of order and none at all.
    #[test]
    fn the_first_day_and_the_sum_come_in_one_walk() {
        let mut logs = Logs::default();
        assert_eq!(logs.first_day_and(0u64, |s, m| s + u64::from(m)), (None, 0));
        for (day, minutes) in [("2027-01-09", 30), ("2027-01-04", 45), ("2027-02-01", 5)] {
            logs.push(d(day), minutes);
        }
        let sum: u64 = logs.minutes().map(u64::from).sum();
        assert_eq!(logs.first_day_and(0u64, |s, m| s + u64::from(m)), (logs.first_day(), sum));
        assert_eq!(logs.first_day_and(0u64, |s, m| s + u64::from(m)), (Some(d("2027-01-04")), 80));
    }

    fn logs() -> Logs {
        [(d("2027-01-05"), 90), (d("2027-01-04"), 0), (d("1970-01-01"), u32::MAX)].into_iter().collect()
    }

    /// Logs cross the binary form as one block of eight bytes a pair;
    /// read from kept bytes they stay in them, and what is logged after
    /// comes after them, in every view of the pairs and in what is written
    /// again. Read from other bytes, they are copied.
    #[test]
    fn logs_stay_in_kept_bytes_and_add_up_the_same() {
        let binary = postcard::to_stdvec(&logs()).expect("binary");
        assert_eq!(binary.len(), 1 + 3 * WIDTH, "a length, then the pairs");
        assert_eq!(&binary[1..5], &d("2027-01-05").num_days_from_ce().to_le_bytes());
        assert_eq!(&binary[5..9], &90u32.to_le_bytes());
        assert_eq!(postcard::from_bytes::<Logs>(&[0]).expect("none"), Logs::default());
        let kept: &'static [u8] = Box::leak(binary.clone().into_boxed_slice());
        let mut read: Logs = crate::core::text::keeping(kept, || postcard::from_bytes(kept)).expect("kept");
        assert!(kept.as_ptr_range().contains(&read.kept.as_ptr()) && read.added.is_empty(), "left in the bytes");
        let copied: Logs = postcard::from_bytes(&binary).expect("copied");
        assert!(copied.kept.is_empty() && copied.added.len() == 3);
        assert_eq!(read, logs());
        assert_eq!(copied, logs());
        read.push(d("2027-01-05"), 30);
        let mut all = logs();
        all.push(d("2027-01-05"), 30);
        assert_eq!(read, all);
        assert_eq!(format!("{read:?}"), format!("{all:?}"));
        let dates: Vec<(NaiveDate, u32)> = read.iter().collect();
        assert_eq!(
            dates,
            [(d("2027-01-05"), 90), (d("2027-01-04"), 0), (d("1970-01-01"), u32::MAX), (d("2027-01-05"), 30)]
        );
        assert_eq!(read.minutes().collect::<Vec<_>>(), [90, 0, u32::MAX, 30]);
        assert_eq!(read.on(d("2027-01-05")), 120);
        assert_eq!(read.on(d("1970-01-01")), u64::from(u32::MAX));
        assert_eq!(read.on(d("2027-01-06")), 0);
        assert_eq!(read.first_day(), Some(d("1970-01-01")));
        assert_eq!(read.numbered().next(), Some((d("2027-01-05").num_days_from_ce(), 90)));
        let again: Logs = postcard::from_bytes(&postcard::to_stdvec(&read).expect("binary")).expect("again");
        assert_eq!(again, all);
        assert!(Logs::default().is_empty() && !read.is_empty() && Logs::default().first_day().is_none());
    }

    /// A block of another length, or a day number chrono has no date for,
    /// is an error, kept or not, never a panic or a wrong date.
    #[test]
    fn damaged_pairs_are_an_error() {
        let good = postcard::to_stdvec(&logs()).expect("binary");
        let mut short = good.clone();
        short[0] -= 1;
        short.pop();
        let mut far = good.clone();
        far[1..5].copy_from_slice(&i32::MAX.to_le_bytes());
        for bad in [short, far] {
            assert!(postcard::from_bytes::<Logs>(&bad).is_err(), "{bad:?}");
            let kept: &'static [u8] = Box::leak(bad.into_boxed_slice());
            assert!(crate::core::text::keeping(kept, || postcard::from_bytes::<Logs>(kept)).is_err());
        }
        let mut one = vec![8];
        one.extend_from_slice(&739_000i32.to_le_bytes());
        one.extend_from_slice(&1u32.to_le_bytes());
        let read: Logs = postcard::from_bytes(&one).expect("in range");
        assert_eq!(read.iter().next(), Some((d("2024-04-24"), 1)));
        let edge = [(NaiveDate::MIN, 1), (NaiveDate::MAX, 2)].into_iter().collect::<Logs>();
        let back: Logs = postcard::from_bytes(&postcard::to_stdvec(&edge).expect("binary")).expect("in range");
        assert_eq!(back, edge);
    }

    /// JSON holds the pairs as a list of `[day, minutes]`.
    #[test]
    fn json_holds_a_list_of_pairs() {
        let json = serde_json::to_string(&logs()).expect("json");
        assert_eq!(json, r#"[["2027-01-05",90],["2027-01-04",0],["1970-01-01",4294967295]]"#);
        assert_eq!(serde_json::from_str::<Logs>(&json).expect("back"), logs());
    }
}
