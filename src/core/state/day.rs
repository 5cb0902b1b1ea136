//! Dates in the binary cache as day numbers: chrono writes dates as text in
//! every format, and parsing that text dominated reading a snapshot.
//! Human-readable formats (the JSON state file) keep the text form, so the
//! file format does not change.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::collections::BTreeMap;

fn number(date: NaiveDate) -> i32 {
    date.num_days_from_ce()
}

fn date<E: serde::de::Error>(days: i32) -> Result<NaiveDate, E> {
    memo_date(days).ok_or_else(|| E::custom("a day number out of range"))
}

/// Slots of the memo of day numbers (a power of two).
const MEMO: usize = 4096;

thread_local! {
    /// Day numbers already turned into dates, by their low bits: a
    /// snapshot holds a date for every time log, and its days are few, so
    /// most are found here instead of worked out from the calendar again.
    static DAYS: std::cell::RefCell<Vec<Option<(i32, NaiveDate)>>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// `NaiveDate::from_num_days_from_ce_opt`, remembered.
fn memo_date(days: i32) -> Option<NaiveDate> {
    DAYS.with_borrow_mut(|memo| {
        if memo.is_empty() {
            memo.resize(MEMO, None);
        }
        let slot = &mut memo[days as usize & (MEMO - 1)];
        match *slot {
            Some((known, date)) if known == days => Some(date),
            _ => {
                let date = NaiveDate::from_num_days_from_ce_opt(days)?;
                *slot = Some((days, date));
                Some(date)
            }
        }
    })
}

/// For `Vec<(NaiveDate, u32)>`.
pub(crate) mod pairs {
    use super::*;

    pub(crate) fn serialize<S: Serializer>(value: &[(NaiveDate, u32)], s: S) -> Result<S::Ok, S::Error> {
        if s.is_human_readable() {
            value.serialize(s)
        } else {
            value.iter().map(|(d, n)| (number(*d), *n)).collect::<Vec<_>>().serialize(s)
        }
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<(NaiveDate, u32)>, D::Error> {
        if d.is_human_readable() {
            Vec::deserialize(d)
        } else {
            Vec::<(i32, u32)>::deserialize(d)?.into_iter().map(|(day, n)| Ok((date(day)?, n))).collect()
        }
    }
}

/// For one `NaiveDate`.
pub(crate) mod one {
    use super::*;

    pub(crate) fn serialize<S: Serializer>(value: &NaiveDate, s: S) -> Result<S::Ok, S::Error> {
        if s.is_human_readable() { value.serialize(s) } else { number(*value).serialize(s) }
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveDate, D::Error> {
        if d.is_human_readable() { NaiveDate::deserialize(d) } else { date(i32::deserialize(d)?) }
    }
}

/// For `Option<NaiveDate>`.
pub(crate) mod option {
    use super::*;

    pub(crate) fn serialize<S: Serializer>(value: &Option<NaiveDate>, s: S) -> Result<S::Ok, S::Error> {
        if s.is_human_readable() { value.serialize(s) } else { value.map(number).serialize(s) }
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<NaiveDate>, D::Error> {
        if d.is_human_readable() {
            Option::<NaiveDate>::deserialize(d)
        } else {
            Option::<i32>::deserialize(d)?.map(date).transpose()
        }
    }
}

/// For `HashMap<K, NaiveDate, H>`.
pub(crate) mod values {
    use super::*;
    use std::collections::HashMap;
    use std::hash::{BuildHasher, Hash};

    pub(crate) fn serialize<S: Serializer, K: Serialize + Eq + Hash, H: BuildHasher>(
        value: &HashMap<K, NaiveDate, H>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        if s.is_human_readable() {
            value.serialize(s)
        } else {
            s.collect_seq(value.iter().map(|(k, v)| (k, number(*v))))
        }
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>, K: Deserialize<'de> + Eq + Hash, H: BuildHasher + Default>(
        d: D,
    ) -> Result<HashMap<K, NaiveDate, H>, D::Error> {
        if d.is_human_readable() {
            HashMap::deserialize(d)
        } else {
            Vec::<(K, i32)>::deserialize(d)?.into_iter().map(|(k, day)| Ok((k, date(day)?))).collect()
        }
    }
}

/// For `BTreeMap<String, [NaiveDate; 2]>`.
pub(crate) mod span_map {
    use super::*;
    use std::sync::Arc;

    pub(crate) fn serialize<S: Serializer>(
        value: &Arc<BTreeMap<String, [NaiveDate; 2]>>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        if s.is_human_readable() {
            value.as_ref().serialize(s)
        } else {
            s.collect_seq(value.iter().map(|(k, v)| (k, [number(v[0]), number(v[1])])))
        }
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Arc<BTreeMap<String, [NaiveDate; 2]>>, D::Error> {
        if d.is_human_readable() {
            BTreeMap::deserialize(d).map(Arc::new)
        } else {
            // Written in key order: collecting builds the map in one pass.
            Vec::<(String, [i32; 2])>::deserialize(d)?
                .into_iter()
                .map(|(k, v)| Ok((k, [date(v[0])?, date(v[1])?])))
                .collect::<Result<_, _>>()
                .map(Arc::new)
        }
    }
}

/// For `BTreeMap<NaiveDate, u32>`.
pub(crate) mod date_map {
    use super::*;

    pub(crate) fn serialize<S: Serializer>(value: &BTreeMap<NaiveDate, u32>, s: S) -> Result<S::Ok, S::Error> {
        if s.is_human_readable() {
            value.serialize(s)
        } else {
            value.iter().map(|(d, n)| (number(*d), *n)).collect::<Vec<_>>().serialize(s)
        }
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<BTreeMap<NaiveDate, u32>, D::Error> {
        if d.is_human_readable() {
            BTreeMap::deserialize(d)
        } else {
            Vec::<(i32, u32)>::deserialize(d)?.into_iter().map(|(day, n)| Ok((date(day)?, n))).collect()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The memo gives chrono's date for every day number, found or not,
    /// whatever was looked up before in the same slot; out of range, none.
    #[test]
    fn remembered_days_are_chronos() {
        let days = (-800_000..800_000).step_by(7).chain([0, 4096, 8192, -4096, i32::MAX, i32::MIN]);
        for round in 0..2 {
            for d in days.clone() {
                assert_eq!(memo_date(d), NaiveDate::from_num_days_from_ce_opt(d), "{d} in round {round}");
            }
        }
    }

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Both {
        #[serde(with = "pairs")]
        logs: Vec<(NaiveDate, u32)>,
        #[serde(with = "span_map")]
        spans: std::sync::Arc<BTreeMap<String, [NaiveDate; 2]>>,
        #[serde(with = "one")]
        day: NaiveDate,
        #[serde(with = "option")]
        maybe: Option<NaiveDate>,
        #[serde(with = "values")]
        checked: std::collections::HashMap<String, NaiveDate>,
    }

    #[test]
    fn text_in_json_numbers_in_binary() {
        let d = |s: &str| s.parse::<NaiveDate>().expect("date");
        let value = Both {
            logs: vec![(d("2027-01-04"), 90)],
            spans: std::sync::Arc::new(BTreeMap::from([
                ("p1.m.a".to_string(), [d("2027-01-04"), d("2027-02-01")]),
                ("p1.m.b".to_string(), [d("2027-02-01"), d("2027-02-03")]),
            ])),
            day: d("2027-03-01"),
            maybe: Some(d("2027-03-02")),
            checked: std::collections::HashMap::from([("p1.m.a".into(), d("2027-03-03"))]),
        };
        let json = serde_json::to_string(&value).expect("json");
        assert_eq!(
            json,
            r#"{"logs":[["2027-01-04",90]],"spans":{"p1.m.a":["2027-01-04","2027-02-01"],"p1.m.b":["2027-02-01","2027-02-03"]},"day":"2027-03-01","maybe":"2027-03-02","checked":{"p1.m.a":"2027-03-03"}}"#
        );
        assert_eq!(serde_json::from_str::<Both>(&json).expect("json back"), value);
        let binary = postcard::to_stdvec(&value).expect("binary");
        assert_eq!(postcard::from_bytes::<Both>(&binary).expect("binary back"), value);
    }
}
