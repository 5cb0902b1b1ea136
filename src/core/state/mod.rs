//! The state file's contents: a header (plan, calendar, tracks, baseline)
//! and an append-only list of events. Plain data; `codec` turns it into
//! bytes and back, `limits` holds the values it may hold; see `shell::store`
//! for the file and `core::progress` for what the events imply. Documented
//! in `docs/state-format.md`.

pub mod codec;
pub(crate) mod day;
pub mod event;
pub(crate) mod fingerprint;
pub(crate) mod limits;
pub mod merge;

pub use event::{Change, Event, EventId, HabitId, Kind, Rating, TaskId};

use crate::core::calendar::WeekHours;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The state format version this program writes (it reads 1 and 2; a
/// format-1 file is upgraded by its next write).
pub const STATE_VERSION: u32 = 2;

/// The first line of the state file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Header {
    /// The state format version.
    pub roadmap_state: u32,
    pub created: DateTime<Utc>,
    pub plan: PlanRef,
    pub start: NaiveDate,
    pub hours: WeekHours,
    /// Selected tracks; `None` means all of them. Always written (the
    /// snapshot cache's binary format needs every field).
    #[serde(default)]
    pub tracks: Option<Vec<String>>,
    pub baseline: Baseline,
    /// The plan's tasks when progress began (absent in older files): what
    /// `doctor` compares the plan with to say what changed. Always written
    /// (the snapshot cache's binary format needs every field).
    #[serde(default)]
    pub snapshot: Option<PlanSnapshot>,
}

/// A compact record of a plan: the hash of its text and each task's effort.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlanSnapshot {
    pub hash: String,
    /// Task full id → effort in minutes.
    pub tasks: BTreeMap<String, u32>,
}

/// Which plan the progress belongs to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum PlanRef {
    /// A plan embedded in the binary, by name.
    Builtin(String),
    /// A plan file, with the hash of its content when progress began.
    File { path: String, hash: String },
}

/// The schedule as first planned: what slip is measured against.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Baseline {
    pub computed: Option<NaiveDate>,
    pub end: Option<NaiveDate>,
    /// Task full id → [planned start, planned end]. Shared: a state's
    /// header and its progress hold the same baseline, and at 10,000 tasks
    /// copying it was a thirtieth of `next`.
    #[serde(with = "crate::core::state::day::span_map")]
    pub tasks: std::sync::Arc<BTreeMap<crate::core::text::Str, [NaiveDate; 2]>>,
    /// Phase id → [first day, last day].
    pub phases: BTreeMap<String, [NaiveDate; 2]>,
    /// Day → minutes of tasks planned that day: what a report's "planned
    /// hours" are. Start and end per task alone cannot give them back, and
    /// re-running the scheduler later would use today's calendar rather than
    /// the one the baseline was made with, so the hours are kept. Absent from
    /// state files written before this field existed (see `report`).
    /// Always written (the snapshot cache's binary format needs every field).
    #[serde(default, with = "crate::core::state::day::date_map")]
    pub planned: BTreeMap<NaiveDate, u32>,
}

/// A whole state: header and events in file order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct State {
    pub header: Header,
    pub events: Vec<Event>,
}

impl State {
    pub fn next_seq(&self) -> u64 {
        self.events.last().map_or(1, |e| e.seq + 1)
    }
}
