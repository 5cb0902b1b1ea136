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
    memo_date(days).ok_or_else(|| E::custom(OUT_OF_RANGE))
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
pub(crate) fn memo_date(days: i32) -> Option<NaiveDate> {
    with_memo(|memo| memo.date(days))
}

/// The memo of day numbers, borrowed for a whole sequence at a time: a
/// snapshot holds some hundred thousand dates, and reaching the memo
/// through its thread-local cell for each of them cost as much as the
/// lookup itself.
struct Memo<'a>(Option<&'a mut Vec<Option<(i32, NaiveDate)>>>);

impl Memo<'_> {
    fn date(&mut self, days: i32) -> Option<NaiveDate> {
        let Some(memo) = self.0.as_deref_mut() else { return NaiveDate::from_num_days_from_ce_opt(days) };
        let slot = &mut memo[days as usize & (MEMO - 1)];
        match *slot {
            Some((known, date)) if known == days => Some(date),
            _ => {
                let date = NaiveDate::from_num_days_from_ce_opt(days)?;
                *slot = Some((days, date));
                Some(date)
            }
        }
    }
}

/// Runs `f` with the memo; should it be in use already (a sequence
/// decoded inside another's element, which no cached type does), `f`
/// works the dates out without it.
fn with_memo<R>(f: impl FnOnce(&mut Memo<'_>) -> R) -> R {
    DAYS.with(|cell| match cell.try_borrow_mut() {
        Ok(mut memo) => {
            if memo.is_empty() {
                memo.resize(MEMO, None);
            }
            f(&mut Memo(Some(&mut memo)))
        }
        Err(_) => f(&mut Memo(None)),
    })
}

/// A binary sequence of `T`, each turned into a `U` by `convert` with the
/// memo at hand (borrowed once for the whole sequence); `None` from
/// `convert` is a day number out of range.
fn seq<'de, D, T, U, F>(d: D, convert: F) -> Result<Vec<U>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
    F: FnMut(&mut Memo<'_>, T) -> Option<U>,
{
    struct Seq<T, U, F>(F, std::marker::PhantomData<fn(T) -> U>);

    impl<'de, T: Deserialize<'de>, U, F: FnMut(&mut Memo<'_>, T) -> Option<U>> serde::de::Visitor<'de> for Seq<T, U, F> {
        type Value = Vec<U>;

        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("a sequence")
        }

        fn visit_seq<A: serde::de::SeqAccess<'de>>(mut self, mut items: A) -> Result<Vec<U>, A::Error> {
            // A length read from the bytes is trusted up to 262,144 items
            // (as many as a plan's tasks, see `plan::model`), so that a
            // damaged one cannot reserve the machine's memory.
            let cap = items.size_hint().unwrap_or(0).min(1 << 18);
            let mut out = Vec::with_capacity(cap);
            with_memo(|memo| {
                while let Some(item) = items.next_element::<T>()? {
                    out.push((self.0)(memo, item).ok_or_else(|| <A::Error as serde::de::Error>::custom(OUT_OF_RANGE))?);
                }
                Ok(out)
            })
        }
    }

    d.deserialize_seq(Seq(convert, std::marker::PhantomData))
}

const OUT_OF_RANGE: &str = "a day number out of range";

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

    pub(crate) fn deserialize<'de, D, K, H>(d: D) -> Result<HashMap<K, NaiveDate, H>, D::Error>
    where
        D: Deserializer<'de>,
        K: Deserialize<'de> + crate::core::text::Keyed<'de> + Eq + Hash,
        H: BuildHasher + Default,
    {
        if d.is_human_readable() {
            HashMap::deserialize(d)
        } else {
            Ok(seq(d, |memo, (k, day): (K::Wire, i32)| Some((K::from_wire(k), memo.date(day)?)))?.into_iter().collect())
        }
    }
}

/// For `BTreeMap<Str, [NaiveDate; 2]>`.
pub(crate) mod span_map {
    use super::*;
    use std::sync::Arc;

    pub(crate) fn serialize<S: Serializer>(
        value: &Arc<BTreeMap<crate::core::text::Str, [NaiveDate; 2]>>,
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
    ) -> Result<Arc<BTreeMap<crate::core::text::Str, [NaiveDate; 2]>>, D::Error> {
        if d.is_human_readable() {
            BTreeMap::deserialize(d).map(Arc::new)
        } else {
            // Written in key order: collecting builds the map in one pass.
            let spans = seq(d, |memo, (k, v): (crate::core::text::Shared, [i32; 2])| {
                Some((k.0, [memo.date(v[0])?, memo.date(v[1])?]))
            })?;
            Ok(Arc::new(spans.into_iter().collect()))
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
            Ok(seq(d, |memo, (day, n): (i32, u32)| Some((memo.date(day)?, n)))?.into_iter().collect())
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

    /// A sequence decoded while the memo is already borrowed (no cached
    /// type nests them, but nothing forbids it) works its dates out
    /// without the memo and gives the same dates.
    #[test]
    fn a_nested_sequence_decodes_without_the_memo() {
        let dates = with_memo(|outer| {
            let first = outer.date(739_000);
            let inner = memo_date(739_000);
            (first, inner, with_memo(|m| m.0.is_none()))
        });
        assert_eq!(dates.0, NaiveDate::from_num_days_from_ce_opt(739_000));
        assert_eq!(dates.1, dates.0);
        assert!(dates.2, "the inner call had no memo");
    }

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Both {
        logs: crate::core::logs::Logs,
        #[serde(with = "span_map")]
        spans: std::sync::Arc<BTreeMap<crate::core::text::Str, [NaiveDate; 2]>>,
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
            logs: [(d("2027-01-04"), 90)].into_iter().collect(),
            spans: std::sync::Arc::new(BTreeMap::from([
                ("p1.m.a".into(), [d("2027-01-04"), d("2027-02-01")]),
                ("p1.m.b".into(), [d("2027-02-01"), d("2027-02-03")]),
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
