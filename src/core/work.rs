//! What has happened to each task, as the scheduler takes it: progress
//! builds it, the scheduler and the outlook read it.

use crate::core::effort::Effort;
use chrono::NaiveDate;

/// What has happened to a task so far.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Work {
    /// Not in the schedule: its track is not selected.
    Unselected,
    /// Skipped by the learner: out of the schedule.
    Skipped,
    /// Finished on `on`; `first` is the first day it was worked, `logged`
    /// the time logged on it, all told (what calibration compares with
    /// its estimate, read here rather than looked up again).
    Done { first: NaiveDate, on: NaiveDate, logged: Effort },
    /// Still to do: `remaining` effort; `first` worked day, if any.
    Open { remaining: Effort, first: Option<NaiveDate> },
}
