//! Test helpers for the core's unit tests: a plan from YAML text, progress
//! from a list of events, dates from text.

use crate::core::calendar::WeekHours;
use crate::core::effort::Effort;
use crate::core::plan::{self, Plan};
use crate::core::progress::{self, Progress};
use crate::core::state::{Baseline, Change, Event, Header, PlanRef, STATE_VERSION, State};
use chrono::{DateTime, NaiveDate};

pub(crate) fn d(text: &str) -> NaiveDate {
    text.parse().expect("a test date")
}

pub(crate) fn plan(yaml: &str) -> Plan {
    plan::load("test", yaml.as_bytes()).unwrap_or_else(|e| panic!("{e}"))
}

/// A header for the built-in plan `test`, starting on `start` with `hours`
/// and `baseline`; nothing else set.
pub(crate) fn header(start: &str, hours: WeekHours, baseline: Baseline) -> Header {
    Header {
        roadmap_state: STATE_VERSION,
        created: DateTime::UNIX_EPOCH,
        plan: PlanRef::Builtin("test".into()),
        start: d(start),
        hours,
        tracks: None,
        baseline,
        snapshot: None,
    }
}

/// A state starting on `start` with `hours`, the given baseline and events.
pub(crate) fn progress(start: &str, hours: WeekHours, baseline: Baseline, events: Vec<Event>) -> Progress {
    let header = header(start, hours, baseline);
    let events = events
        .into_iter()
        .zip(1..)
        .map(|(e, seq)| Event { seq, id: crate::core::state::EventId::new(0, 0, seq as u32), ..e })
        .collect();
    progress::replay(&State { header, events }).unwrap_or_else(|e| panic!("{}", e.message))
}

fn event(change: Change) -> Event {
    Event { at: DateTime::UNIX_EPOCH, ..Event::new(change, None) }
}

pub(crate) fn done(task: &str, on: &str) -> Event {
    event(Change::Done { task: task.into(), on: d(on) })
}

pub(crate) fn logged(task: &str, on: &str, minutes: u32) -> Event {
    event(Change::Logged { task: task.into(), on: d(on), minutes: Effort::from_minutes(minutes) })
}

pub(crate) fn skipped(task: &str, on: &str) -> Event {
    event(Change::Skipped { task: task.into(), on: Some(d(on)) })
}

pub(crate) fn checkin(habit: &str, on: &str, count: u32) -> Event {
    event(Change::Checkin { habit: habit.into(), on: d(on), count })
}

pub(crate) fn deliverable(task: &str, key: &str, on: &str) -> Event {
    event(Change::Deliverable { task: task.into(), deliverable: key.into(), on: d(on) })
}

pub(crate) fn day_off(from: &str, to: &str) -> Event {
    event(Change::DayOff { off: crate::core::calendar::DayOff { from: d(from), to: d(to), note: None } })
}
