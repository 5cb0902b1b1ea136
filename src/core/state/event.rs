//! Events: what the learner recorded, one per state line after the header.
//!
//! In memory an event is a [`Change`] with exactly the fields its kind
//! needs, typed (`NaiveDate`, `Effort`, task and habit ids), so an
//! impossible event (a `done` without a task, `minutes` on a check-in)
//! cannot exist. On disk it is one flat JSON object with a `kind` field
//! (`docs/state-format.md`); [`Line`] is that wire shape, and decoding
//! checks it into a `Change` once, at the file's edge.

use crate::core::calendar::{DayOff, WeekHours};
use crate::core::effort::Effort;
use crate::core::state::{Baseline, PlanSnapshot};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use std::fmt;

/// A task's full id (`p4.frontier.moe`), as progress is keyed.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct TaskId(pub String);

/// A habit's id (`leetcode`).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct HabitId(pub String);

macro_rules! id_text {
    ($id:ident) => {
        impl $id {
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }
        impl fmt::Display for $id {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
        impl From<&str> for $id {
            fn from(id: &str) -> $id {
                $id(id.to_string())
            }
        }
    };
}
id_text!(TaskId);
id_text!(HabitId);

/// An event's identity, the same on every machine that holds a copy of the
/// state: 32 lowercase hex digits (128 bits) written by the recording
/// command: 8 of the copy that recorded it (its origin), 16 random, then 8
/// of the event's place among the events of its command. Events of a
/// format-1 file get an id derived from the line (`v1…`, see `derived`), so
/// two copies of one old file agree on them.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct EventId(pub String);
id_text!(EventId);

impl EventId {
    /// The id of event `index` of a command: `origin` and `random` name the copy and the command.
    pub fn new(origin: u32, random: u64, index: u32) -> EventId {
        EventId(format!("{origin:08x}{random:016x}{index:08x}"))
    }

    /// The id of a format-1 event: its seq (so that old events keep their
    /// order among those of the same second) and a hash of its line.
    pub fn derived(seq: u64, line_hash: u64) -> EventId {
        EventId(format!("v1{seq:014x}{line_hash:016x}"))
    }

    /// What the events of one command share (with their time): the id
    /// without its last 8 digits. A format-1 event is a command of its own:
    /// that format did not record which events one command wrote (several
    /// commands in one second share a time), and its `undo` reverted one
    /// event at a time.
    pub fn command(&self) -> &str {
        if self.0.starts_with("v1") { &self.0 } else { self.0.get(..self.0.len().saturating_sub(8)).unwrap_or("") }
    }

    /// The copy of the state that recorded the event ("" for a format-1 event).
    pub fn origin(&self) -> &str {
        if self.0.starts_with("v1") { "" } else { self.0.get(..8).unwrap_or("") }
    }

    /// An id as the file may hold it: 1 to 64 characters, ASCII letters, digits and `-`.
    pub fn is_valid(text: &str) -> bool {
        !text.is_empty() && text.len() <= 64 && text.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
    }
}

/// One recorded event: its identity, its place in the order (`seq`, from 1:
/// written in format 1, counted on reading in format 2), when it was
/// recorded, an optional note from the learner, and what changed. Events
/// are ordered by (`at`, `id`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "Line", into = "Line")]
pub struct Event {
    pub id: EventId,
    pub seq: u64,
    pub at: DateTime<Utc>,
    pub note: Option<String>,
    pub change: Change,
}

/// What an event changes, one variant per kind, with exactly its fields.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Change {
    Done {
        task: TaskId,
        on: NaiveDate,
    },
    Reopened {
        task: TaskId,
    },
    Started {
        task: TaskId,
        on: NaiveDate,
    },
    /// Older files may lack the day.
    Skipped {
        task: TaskId,
        on: Option<NaiveDate>,
    },
    /// A deliverable checked, by its id or its text.
    Deliverable {
        task: TaskId,
        deliverable: String,
        on: NaiveDate,
    },
    Checkin {
        habit: HabitId,
        on: NaiveDate,
        count: u32,
    },
    Logged {
        task: TaskId,
        on: NaiveDate,
        minutes: Effort,
    },
    DayOff {
        off: DayOff,
    },
    DayOffRemoved {
        off: DayOff,
    },
    /// A calendar or track change; only the fields given change.
    Settings {
        start: Option<NaiveDate>,
        hours: Option<WeekHours>,
        tracks: Option<Vec<String>>,
    },
    /// A new baseline, with the plan as it stood then.
    Rebaselined {
        baseline: Baseline,
        snapshot: Option<PlanSnapshot>,
    },
    /// `doctor --fix`: the plan's changes are intended; compare with it from now on.
    PlanAccepted {
        snapshot: PlanSnapshot,
    },
    /// A spaced review of a finished task, rated by the learner.
    Reviewed {
        task: TaskId,
        on: NaiveDate,
        rating: Rating,
    },
    /// Reverts the event with id `target` (an undo of an undo is a redo).
    /// Format 1 names the target by seq; the codec turns it into the id.
    Undo {
        target: EventId,
    },
}

impl Event {
    /// An event to record: its seq and time are set when it is written.
    pub fn new(change: Change, note: Option<String>) -> Event {
        Event { id: EventId::default(), seq: 0, at: DateTime::<Utc>::MIN_UTC, note, change }
    }

    /// The order of events: by recording time, then id.
    pub fn order(&self) -> (DateTime<Utc>, &EventId) {
        (self.at, &self.id)
    }

    /// True when `other` was recorded by the same command.
    pub fn same_command(&self, other: &Event) -> bool {
        self.at == other.at && self.id.command() == other.id.command()
    }

    pub fn kind(&self) -> Kind {
        self.change.kind()
    }

    pub fn is_undo(&self) -> bool {
        matches!(self.change, Change::Undo { .. })
    }

    /// The task the event is about, if any.
    pub fn task(&self) -> Option<&TaskId> {
        match &self.change {
            Change::Done { task, .. }
            | Change::Reopened { task }
            | Change::Started { task, .. }
            | Change::Skipped { task, .. }
            | Change::Deliverable { task, .. }
            | Change::Logged { task, .. }
            | Change::Reviewed { task, .. } => Some(task),
            _ => None,
        }
    }

    /// The day the event says something happened on, if it names one.
    pub fn on(&self) -> Option<NaiveDate> {
        match &self.change {
            Change::Done { on, .. }
            | Change::Started { on, .. }
            | Change::Deliverable { on, .. }
            | Change::Checkin { on, .. }
            | Change::Logged { on, .. }
            | Change::Reviewed { on, .. } => Some(*on),
            Change::Skipped { on, .. } => *on,
            _ => None,
        }
    }
}

impl Change {
    pub fn kind(&self) -> Kind {
        match self {
            Change::Done { .. } => Kind::Done,
            Change::Reopened { .. } => Kind::Reopened,
            Change::Started { .. } => Kind::Started,
            Change::Skipped { .. } => Kind::Skipped,
            Change::Deliverable { .. } => Kind::Deliverable,
            Change::Checkin { .. } => Kind::Checkin,
            Change::Logged { .. } => Kind::Logged,
            Change::DayOff { .. } => Kind::DayOff,
            Change::DayOffRemoved { .. } => Kind::DayOffRemoved,
            Change::Settings { .. } => Kind::Settings,
            Change::Rebaselined { .. } => Kind::Rebaselined,
            Change::PlanAccepted { .. } => Kind::PlanAccepted,
            Change::Undo { .. } => Kind::Undo,
            Change::Reviewed { .. } => Kind::Reviewed,
        }
    }
}

/// The kind of an event, as the file names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Done,
    Reopened,
    Started,
    Skipped,
    Deliverable,
    Checkin,
    Logged,
    DayOff,
    DayOffRemoved,
    Settings,
    Rebaselined,
    Undo,
    PlanAccepted,
    #[serde(rename = "review")]
    Reviewed,
}

impl Kind {
    /// The name the file uses: `done`, `day_off`, `plan_accepted`.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Done => "done",
            Kind::Reopened => "reopened",
            Kind::Started => "started",
            Kind::Skipped => "skipped",
            Kind::Deliverable => "deliverable",
            Kind::Checkin => "checkin",
            Kind::Logged => "logged",
            Kind::DayOff => "day_off",
            Kind::DayOffRemoved => "day_off_removed",
            Kind::Settings => "settings",
            Kind::Rebaselined => "rebaselined",
            Kind::Undo => "undo",
            Kind::PlanAccepted => "plan_accepted",
            Kind::Reviewed => "review",
        }
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// An event line as the file holds it: every field any kind may have.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Line {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    seq: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    id: Option<String>,
    at: Option<DateTime<Utc>>,
    kind: Option<Kind>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    task: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    habit: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    deliverable: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    on: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    count: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    minutes: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    off: Option<DayOff>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    hours: Option<WeekHours>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    tracks: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    start: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    baseline: Option<Baseline>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    target: Option<Target>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    note: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    snapshot: Option<PlanSnapshot>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    rating: Option<Rating>,
}

/// An undo's target as the file names it: by seq (format 1) or by id.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(untagged)]
enum Target {
    Seq(u64),
    Id(String),
}

/// The placeholder id of a format-1 undo's target, until the codec (which
/// sees the whole file) puts the target's id in its place.
pub fn seq_target(seq: u64) -> EventId {
    EventId(format!("seq-{seq}"))
}

/// Why a line is not an event: a field its kind needs is missing, or it
/// carries one its kind does not have.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LineError {
    MissingField { field: &'static str },
    BadId { id: String },
    Missing { kind: Kind, field: &'static str },
    Unexpected { kind: Kind, field: &'static str },
}

impl fmt::Display for LineError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LineError::MissingField { field } => write!(f, "missing field `{field}`"),
            LineError::BadId { id } => {
                write!(f, "event id `{id}` is not an id (1 to 64 letters, digits and `-`)")
            }
            LineError::Missing { kind, field } => write!(f, "a `{kind}` event without `{field}`"),
            LineError::Unexpected { kind, field } => write!(f, "a `{kind}` event cannot have `{field}`"),
        }
    }
}

impl Line {
    /// The names of the kind-specific fields this line sets.
    fn fields_set(&self) -> Vec<&'static str> {
        let set = [
            ("task", self.task.is_some()),
            ("habit", self.habit.is_some()),
            ("deliverable", self.deliverable.is_some()),
            ("on", self.on.is_some()),
            ("count", self.count.is_some()),
            ("minutes", self.minutes.is_some()),
            ("off", self.off.is_some()),
            ("hours", self.hours.is_some()),
            ("tracks", self.tracks.is_some()),
            ("start", self.start.is_some()),
            ("baseline", self.baseline.is_some()),
            ("target", self.target.is_some()),
            ("snapshot", self.snapshot.is_some()),
            ("rating", self.rating.is_some()),
        ];
        set.into_iter().filter(|(_, is_set)| *is_set).map(|(name, _)| name).collect()
    }
}

/// The fields each kind may carry besides `seq`, `at`, `kind` and `note`.
fn allowed(kind: Kind) -> &'static [&'static str] {
    match kind {
        Kind::Done | Kind::Started => &["task", "on"],
        Kind::Reopened => &["task"],
        Kind::Skipped => &["task", "on"],
        Kind::Deliverable => &["task", "deliverable", "on"],
        Kind::Checkin => &["habit", "on", "count"],
        Kind::Logged => &["task", "on", "minutes"],
        Kind::DayOff | Kind::DayOffRemoved => &["off"],
        Kind::Settings => &["start", "hours", "tracks"],
        Kind::Rebaselined => &["baseline", "snapshot"],
        Kind::PlanAccepted => &["snapshot"],
        Kind::Undo => &["target"],
        Kind::Reviewed => &["task", "on", "rating"],
    }
}

fn need<T>(value: Option<T>, kind: Kind, field: &'static str) -> Result<T, LineError> {
    value.ok_or(LineError::Missing { kind, field })
}

impl TryFrom<Line> for Event {
    type Error = LineError;

    fn try_from(line: Line) -> Result<Event, LineError> {
        let kind = line.kind.ok_or(LineError::MissingField { field: "kind" })?;
        let at = line.at.ok_or(LineError::MissingField { field: "at" })?;
        let id = match &line.id {
            Some(id) if EventId::is_valid(id) => EventId(id.clone()),
            Some(id) => return Err(LineError::BadId { id: id.clone() }),
            None => {
                let seq = line.seq.ok_or(LineError::MissingField { field: "id" })?;
                let bytes = serde_json::to_vec(&line).unwrap_or_default();
                EventId::derived(seq, xxhash_rust::xxh3::xxh3_64(&bytes))
            }
        };
        if let Some(field) = line.fields_set().into_iter().find(|f| !allowed(kind).contains(f)) {
            return Err(LineError::Unexpected { kind, field });
        }
        let task = |t: Option<String>| need(t, kind, "task").map(TaskId);
        let change = match kind {
            Kind::Done => Change::Done { task: task(line.task)?, on: need(line.on, kind, "on")? },
            Kind::Reopened => Change::Reopened { task: task(line.task)? },
            Kind::Started => Change::Started { task: task(line.task)?, on: need(line.on, kind, "on")? },
            Kind::Skipped => Change::Skipped { task: task(line.task)?, on: line.on },
            Kind::Deliverable => Change::Deliverable {
                task: task(line.task)?,
                deliverable: need(line.deliverable, kind, "deliverable")?,
                on: need(line.on, kind, "on")?,
            },
            Kind::Checkin => Change::Checkin {
                habit: HabitId(need(line.habit, kind, "habit")?),
                on: need(line.on, kind, "on")?,
                count: line.count.unwrap_or(1),
            },
            Kind::Logged => Change::Logged {
                task: task(line.task)?,
                on: need(line.on, kind, "on")?,
                minutes: Effort::from_minutes(need(line.minutes, kind, "minutes")?),
            },
            Kind::DayOff => Change::DayOff { off: need(line.off, kind, "off")? },
            Kind::DayOffRemoved => Change::DayOffRemoved { off: need(line.off, kind, "off")? },
            Kind::Settings => Change::Settings { start: line.start, hours: line.hours, tracks: line.tracks },
            Kind::Rebaselined => {
                Change::Rebaselined { baseline: need(line.baseline, kind, "baseline")?, snapshot: line.snapshot }
            }
            Kind::PlanAccepted => Change::PlanAccepted { snapshot: need(line.snapshot, kind, "snapshot")? },
            Kind::Undo => Change::Undo {
                target: match need(line.target, kind, "target")? {
                    Target::Seq(seq) => seq_target(seq),
                    Target::Id(id) if EventId::is_valid(&id) => EventId(id),
                    Target::Id(id) => return Err(LineError::BadId { id }),
                },
            },
            Kind::Reviewed => Change::Reviewed {
                task: task(line.task)?,
                on: need(line.on, kind, "on")?,
                rating: need(line.rating, kind, "rating")?,
            },
        };
        Ok(Event { id, seq: line.seq.unwrap_or(0), at, note: line.note, change })
    }
}

impl From<Event> for Line {
    fn from(event: Event) -> Line {
        let mut line = Line {
            seq: None,
            id: Some(event.id.0),
            at: Some(event.at),
            kind: Some(event.change.kind()),
            note: event.note,
            ..Line::default()
        };
        match event.change {
            Change::Done { task, on } | Change::Started { task, on } => {
                line.task = Some(task.0);
                line.on = Some(on);
            }
            Change::Reopened { task } => line.task = Some(task.0),
            Change::Skipped { task, on } => {
                line.task = Some(task.0);
                line.on = on;
            }
            Change::Deliverable { task, deliverable, on } => {
                line.task = Some(task.0);
                line.deliverable = Some(deliverable);
                line.on = Some(on);
            }
            Change::Checkin { habit, on, count } => {
                line.habit = Some(habit.0);
                line.on = Some(on);
                line.count = Some(count);
            }
            Change::Logged { task, on, minutes } => {
                line.task = Some(task.0);
                line.on = Some(on);
                line.minutes = Some(minutes.minutes());
            }
            Change::DayOff { off } | Change::DayOffRemoved { off } => line.off = Some(off),
            Change::Settings { start, hours, tracks } => {
                line.start = start;
                line.hours = hours;
                line.tracks = tracks;
            }
            Change::Rebaselined { baseline, snapshot } => {
                line.baseline = Some(baseline);
                line.snapshot = snapshot;
            }
            Change::PlanAccepted { snapshot } => line.snapshot = Some(snapshot),
            Change::Undo { target } => line.target = Some(Target::Id(target.0)),
            Change::Reviewed { task, on, rating } => {
                line.task = Some(task.0);
                line.on = Some(on);
                line.rating = Some(rating);
            }
        }
        line
    }
}

/// How well a review went, as the learner rates it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Rating {
    Again,
    Hard,
    Good,
    Easy,
}

impl Rating {
    pub const ALL: [Rating; 4] = [Rating::Again, Rating::Hard, Rating::Good, Rating::Easy];

    pub fn word(self) -> &'static str {
        match self {
            Rating::Again => "again",
            Rating::Hard => "hard",
            Rating::Good => "good",
            Rating::Easy => "easy",
        }
    }

    pub fn parse(text: &str) -> Option<Rating> {
        Rating::ALL.into_iter().find(|r| r.word().eq_ignore_ascii_case(text.trim()))
    }
}

impl fmt::Display for Rating {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.word())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode(text: &str) -> Result<Event, String> {
        serde_json::from_str(text).map_err(|e| e.to_string().split(" at line ").next().unwrap_or_default().to_string())
    }

    #[test]
    fn every_kind_round_trips_through_its_line() {
        let lines = [
            r#"{"id":"00000000000000000000000000000001","at":"2027-01-04T08:00:00Z","kind":"done","task":"p.m.a","on":"2027-01-04","note":"n"}"#,
            r#"{"id":"00000000000000000000000000000002","at":"2027-01-04T08:00:00Z","kind":"reopened","task":"p.m.a"}"#,
            r#"{"id":"00000000000000000000000000000003","at":"2027-01-04T08:00:00Z","kind":"started","task":"p.m.a","on":"2027-01-04"}"#,
            r#"{"id":"00000000000000000000000000000004","at":"2027-01-04T08:00:00Z","kind":"skipped","task":"p.m.a","on":"2027-01-04"}"#,
            r#"{"id":"00000000000000000000000000000005","at":"2027-01-04T08:00:00Z","kind":"skipped","task":"p.m.a"}"#,
            r#"{"id":"00000000000000000000000000000006","at":"2027-01-04T08:00:00Z","kind":"deliverable","task":"p.m.a","deliverable":"d1","on":"2027-01-04"}"#,
            r#"{"id":"00000000000000000000000000000007","at":"2027-01-04T08:00:00Z","kind":"checkin","habit":"h","on":"2027-01-04","count":2}"#,
            r#"{"id":"00000000000000000000000000000008","at":"2027-01-04T08:00:00Z","kind":"logged","task":"p.m.a","on":"2027-01-04","minutes":90}"#,
            r#"{"id":"00000000000000000000000000000009","at":"2027-01-04T08:00:00Z","kind":"day_off","off":{"from":"2027-01-05","to":"2027-01-06","note":null}}"#,
            r#"{"id":"0000000000000000000000000000000a","at":"2027-01-04T08:00:00Z","kind":"settings","tracks":["a"]}"#,
            r#"{"id":"0000000000000000000000000000000b","at":"2027-01-04T08:00:00Z","kind":"undo","target":"0000000100000000000000000000000a"}"#,
            r#"{"id":"0000000000000000000000000000000c","at":"2027-01-04T08:00:00Z","kind":"review","task":"p.m.a","on":"2027-01-04","rating":"easy"}"#,
        ];
        for text in lines {
            let event = decode(text).unwrap_or_else(|e| panic!("{text}: {e}"));
            let again = serde_json::to_string(&event).expect("encodes");
            assert_eq!(again, text);
        }
    }

    /// A format-1 line (a seq, no id) gets an id derived from the line:
    /// the same on every machine, ordered by seq, different for another line.
    #[test]
    fn a_format_1_line_gets_a_derived_id_and_is_written_with_it() {
        let one = r#"{"seq":3,"at":"2027-01-04T08:00:00Z","kind":"done","task":"p.m.a","on":"2027-01-04"}"#;
        let other = r#"{"seq":3,"at":"2027-01-04T08:00:00Z","kind":"done","task":"p.m.b","on":"2027-01-04"}"#;
        let a = decode(one).expect("decodes");
        assert_eq!(a.seq, 3);
        assert!(a.id.as_str().starts_with("v100000000000003"), "{}", a.id);
        assert_eq!(a.id, decode(one).expect("decodes").id);
        assert_ne!(a.id, decode(other).expect("decodes").id);
        let written = serde_json::to_string(&a).expect("encodes");
        assert_eq!(
            written,
            format!(
                r#"{{"id":"{}","at":"2027-01-04T08:00:00Z","kind":"done","task":"p.m.a","on":"2027-01-04"}}"#,
                a.id
            )
        );
        let undo = decode(r#"{"seq":4,"at":"2027-01-04T08:00:00Z","kind":"undo","target":3}"#).expect("decodes");
        assert_eq!(undo.change, Change::Undo { target: seq_target(3) });
    }

    #[test]
    fn a_checkin_without_a_count_counts_one() {
        let event = decode(r#"{"seq":1,"at":"2027-01-04T08:00:00Z","kind":"checkin","habit":"h","on":"2027-01-04"}"#)
            .expect("decodes");
        assert_eq!(
            event.change,
            Change::Checkin { habit: "h".into(), on: "2027-01-04".parse().expect("date"), count: 1 }
        );
    }

    #[test]
    fn impossible_events_are_refused_by_name() {
        let cases = [
            (r#"{"seq":1,"at":"2027-01-04T08:00:00Z","kind":"done","task":"p.m.a"}"#, "a `done` event without `on`"),
            (
                r#"{"seq":1,"at":"2027-01-04T08:00:00Z","kind":"logged","task":"a","on":"2027-01-04"}"#,
                "a `logged` event without `minutes`",
            ),
            (
                r#"{"seq":1,"at":"2027-01-04T08:00:00Z","kind":"checkin","habit":"h","on":"2027-01-04","minutes":5}"#,
                "a `checkin` event cannot have `minutes`",
            ),
            (r#"{"seq":1,"at":"2027-01-04T08:00:00Z","kind":"undo"}"#, "a `undo` event without `target`"),
            (r#"{"seq":1,"kind":"undo","target":1}"#, "missing field `at`"),
            (
                r#"{"seq":1,"at":"2027-01-04T08:00:00Z","kind":"review","task":"p.m.a","on":"2027-01-04"}"#,
                "a `review` event without `rating`",
            ),
            (
                r#"{"seq":1,"at":"2027-01-04T08:00:00Z","kind":"done","task":"p.m.a","on":"2027-01-04","rating":"good"}"#,
                "a `done` event cannot have `rating`",
            ),
        ];
        for (text, message) in cases {
            assert_eq!(decode(text).expect_err(text), message, "{text}");
        }
    }
}
