//! Merging copies of one state (two machines, a synced folder's conflict
//! copy): the union of their events, each once, in the events' own order
//! (recording time, then id). Pure; documented in `docs/state-format.md`
//! under "Several copies".
//!
//! The headers: copies of one state share the header `init` wrote, and then
//! the merge keeps it. Two different headers (two `init`s) are settled by
//! the rule "later change wins, both kept in history": the header written
//! first (by `created`, then by its bytes) stays the header, and each other
//! header becomes two events at its own `created` time, a `settings` (its
//! start, hours and tracks) and a `rebaselined` (its baseline and plan
//! snapshot), with ids derived from the header's bytes, so that every
//! machine derives the same ones. The merge is then commutative,
//! associative and idempotent: it is a set union followed by a sort.

use crate::core::state::{Change, Event, EventId, Header, STATE_VERSION, State, TaskId};
use std::collections::BTreeMap;

/// Merges copies of a state; `None` when there are none.
pub fn merge_all<'a>(states: impl IntoIterator<Item = &'a State>) -> Option<State> {
    let states: Vec<&State> = states.into_iter().collect();
    let mut headers: Vec<Header> = states.iter().map(|s| normal(&s.header)).collect();
    headers.sort_by_key(header_key);
    headers.dedup();
    let mut headers = headers.into_iter();
    let header = headers.next()?;
    let mut events: BTreeMap<EventId, Event> = BTreeMap::new();
    let mut add = |event: Event| match events.get(&event.id) {
        Some(kept) if event_key(kept) <= event_key(&event) => {}
        _ => {
            events.insert(event.id.clone(), event);
        }
    };
    for other in headers {
        header_events(&other).into_iter().for_each(&mut add);
    }
    for state in &states {
        state.events.iter().cloned().for_each(&mut add);
    }
    let mut events: Vec<Event> = events.into_values().collect();
    events.sort_by(|a, b| a.order().cmp(&b.order()));
    for (seq, event) in (1..).zip(events.iter_mut()) {
        event.seq = seq;
    }
    Some(State { header, events })
}

/// Merges two copies.
pub fn merge(a: &State, b: &State) -> State {
    // Two states in, so there is a first one.
    merge_all([a, b]).unwrap_or_else(|| a.clone())
}

/// The header as the current format writes it.
fn normal(header: &Header) -> Header {
    Header { roadmap_state: STATE_VERSION, ..header.clone() }
}

fn bytes<T: serde::Serialize>(value: &T) -> Vec<u8> {
    serde_json::to_vec(value).unwrap_or_default()
}

fn header_key(header: &Header) -> (chrono::DateTime<chrono::Utc>, Vec<u8>) {
    (header.created, bytes(header))
}

fn event_key(event: &Event) -> Vec<u8> {
    bytes(event)
}

/// A header that lost to an earlier one, as the events that keep its settings.
fn header_events(header: &Header) -> Vec<Event> {
    let hash = xxhash_rust::xxh3::xxh3_128(&bytes(header));
    let id = |index: u32| EventId(format!("h{:023x}{index:08x}", hash >> 36));
    let settings = Change::Settings {
        start: Some(header.start),
        hours: Some(header.hours),
        tracks: Some(header.tracks.clone().unwrap_or_default()),
    };
    let rebaselined = Change::Rebaselined { baseline: header.baseline.clone(), snapshot: header.snapshot.clone() };
    let note = Some("the settings of another copy's header (merged)".to_string());
    [settings, rebaselined]
        .into_iter()
        .zip(0..)
        .map(|(change, index)| Event { id: id(index), at: header.created, ..Event::new(change, note.clone()) })
        .collect()
}

/// Two events on one task that mean opposite things, recorded by different
/// copies of the state: every machine settles them the same way (the later
/// in the order wins), but the learner may have meant the other.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Conflict {
    pub task: TaskId,
    pub earlier: Event,
    pub later: Event,
}

/// The conflicting meanings in a state's events (undone events aside).
pub fn conflicts(state: &State) -> Vec<Conflict> {
    let undone = crate::core::progress::undone(&state.events);
    let mut last: BTreeMap<&TaskId, &Event> = BTreeMap::new();
    let mut found = Vec::new();
    for event in &state.events {
        if undone.contains(&event.id) {
            continue;
        }
        let task = match &event.change {
            Change::Done { task, .. } | Change::Reopened { task } | Change::Skipped { task, .. } => task,
            _ => continue,
        };
        if let Some(before) = last.insert(task, event)
            && before.kind() != event.kind()
            && !before.id.origin().is_empty()
            && !event.id.origin().is_empty()
            && before.id.origin() != event.id.origin()
        {
            found.push(Conflict { task: task.clone(), earlier: before.clone(), later: event.clone() });
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::calendar::WeekHours;
    use crate::core::testkit;
    use chrono::{DateTime, Duration, TimeZone, Utc};
    use proptest::prelude::*;

    fn at(minute: i64) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2027, 1, 4, 8, 0, 0).single().expect("time") + Duration::minutes(minute)
    }

    fn header() -> Header {
        testkit::header("2027-01-04", WeekHours::DEFAULT, Default::default())
    }

    /// An event from a small space, so that generated logs share events.
    fn event(origin: u32, minute: i64, kind: u8, task: u8, random: u64) -> Event {
        let task = TaskId(format!("p.m.t{task}"));
        let on = "2027-01-05".parse().expect("date");
        let change = match kind % 4 {
            0 => Change::Done { task, on },
            1 => Change::Reopened { task },
            2 => Change::Logged { task, on, minutes: crate::core::effort::Effort::from_minutes(30) },
            _ => Change::Checkin { habit: "h".into(), on, count: 1 },
        };
        Event { id: EventId::new(origin, random, 0), at: at(minute), ..Event::new(change, None) }
    }

    fn state(events: Vec<Event>) -> State {
        merge_all([&State { header: header(), events }]).expect("one state")
    }

    fn log() -> impl Strategy<Value = State> {
        proptest::collection::vec((0u32..3, 0i64..20, 0u8..4, 0u8..3, 0u64..6), 0..12)
            .prop_map(|specs| state(specs.into_iter().map(|(o, m, k, t, r)| event(o, m, k, t, r)).collect()))
    }

    proptest! {
        #[test]
        fn merge_is_commutative_associative_and_idempotent(a in log(), b in log(), c in log()) {
            prop_assert_eq!(merge(&a, &b), merge(&b, &a));
            prop_assert_eq!(merge(&merge(&a, &b), &c), merge(&a, &merge(&b, &c)));
            prop_assert_eq!(merge(&a, &a), a.clone());
            let ab = merge(&a, &b);
            prop_assert_eq!(merge(&ab, &b), ab.clone());
            // Every event of either side, once.
            for e in a.events.iter().chain(&b.events) {
                prop_assert_eq!(ab.events.iter().filter(|x| x.id == e.id).count(), 1);
            }
            prop_assert!(ab.events.windows(2).all(|w| w[0].order() < w[1].order()));
        }
    }

    #[test]
    fn a_later_header_becomes_events_and_wins() {
        let mut later = header();
        later.created = at(60);
        later.hours = WeekHours::parse("mon-sun=3h").expect("hours");
        let a = State { header: header(), events: vec![event(1, 10, 0, 0, 1)] };
        let b = State { header: later.clone(), events: vec![event(2, 70, 2, 0, 2)] };
        let merged = merge(&a, &b);
        assert_eq!(merged, merge(&b, &a));
        assert_eq!(merged.header, header());
        let kinds: Vec<_> = merged.events.iter().map(|e| e.kind().name()).collect();
        assert_eq!(kinds, ["done", "settings", "rebaselined", "logged"]);
        let progress = crate::core::progress::replay(&merged).expect("replays");
        assert_eq!(progress.calendar.hours, later.hours);
    }

    #[test]
    fn done_here_and_reopened_there_is_a_conflict() {
        let s = state(vec![event(1, 1, 0, 0, 1), event(2, 2, 1, 0, 2), event(2, 3, 1, 1, 3), event(2, 4, 0, 1, 4)]);
        let found = conflicts(&s);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].task.as_str(), "p.m.t0");
        assert_eq!(found[0].later.kind().name(), "reopened");
    }
}
