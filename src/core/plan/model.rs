//! The validated plan: phases → modules → tasks, habits and tracks, with
//! dependencies resolved to task indexes. Built only by `plan::load`.

use crate::core::cadence::Cadence;
use crate::core::effort::Effort;
use crate::core::window::Window;
use serde::{Deserialize, Serialize};
use std::ops::Range;

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Plan {
    pub id: String,
    pub title: String,
    pub summary: Option<String>,
    /// Language of the plan's text (`zh`, `en`), a project extension.
    pub lang: Option<String>,
    pub tracks: Vec<Track>,
    pub phases: Vec<Phase>,
    pub modules: Vec<Module>,
    /// Every task in plan order; `list` numbers are index + 1.
    pub tasks: Vec<Task>,
    pub habits: Vec<Habit>,
    /// The plan-level `review:` block; `None`: the plan has no reviews.
    pub review: Option<Review>,
}

/// Spaced review of finished tasks (the plan's `review:` block).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Review {
    /// Time one review takes, reserved on its due day.
    pub effort: Effort,
    /// Desired retention, 0.7 to 0.97 (default 0.9).
    pub retention: f64,
}

impl Review {
    pub const DEFAULT_RETENTION: f64 = 0.9;
    pub const MIN_RETENTION: f64 = 0.7;
    pub const MAX_RETENTION: f64 = 0.97;
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Track {
    pub id: String,
    pub title: String,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Phase {
    pub id: String,
    pub title: String,
    pub duration: Option<Window>,
    pub summary: Option<String>,
    /// Indexes into `Plan::modules`.
    pub modules: Range<usize>,
    /// Indexes into `Plan::tasks`.
    pub tasks: Range<usize>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Module {
    pub id: String,
    pub title: String,
    pub summary: Option<String>,
    pub phase: usize,
    /// Indexes into `Plan::tasks`.
    pub tasks: Range<usize>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Task {
    /// `phase.module.task`, the key of saved progress.
    pub full_id: String,
    pub id: String,
    pub title: String,
    pub effort: Effort,
    pub notes: Option<String>,
    pub resources: Vec<Resource>,
    pub deliverables: Vec<Deliverable>,
    /// Indexes of the tasks this one waits for.
    pub after: Vec<usize>,
    pub track: Option<String>,
    pub tags: Vec<String>,
    pub phase: usize,
    pub module: usize,
    /// `review: false`: never reviewed, even when the plan has reviews.
    pub review: bool,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Resource {
    pub title: String,
    pub url: Option<String>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Deliverable {
    pub id: Option<String>,
    pub title: String,
}

impl Deliverable {
    /// The key progress is saved under: the id when there is one, else the text.
    pub fn key(&self) -> &str {
        self.id.as_deref().unwrap_or(&self.title)
    }
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Habit {
    pub id: String,
    pub title: String,
    pub every: Cadence,
    pub target: u32,
    pub unit: Option<String>,
    /// Hours reserved on each due day.
    pub effort: Effort,
    /// Phase indexes; empty means active in every phase.
    pub phases: Vec<usize>,
}

impl Habit {
    pub fn active_in(&self, phase: Option<usize>) -> bool {
        self.phases.is_empty() || phase.is_some_and(|p| self.phases.contains(&p))
    }
}

impl Plan {
    pub fn task_index(&self, full_id: &str) -> Option<usize> {
        self.tasks.iter().position(|t| t.full_id == full_id)
    }

    pub fn habit_index(&self, id: &str) -> Option<usize> {
        self.habits.iter().position(|h| h.id == id)
    }

    pub fn phase_effort(&self, phase: usize, selected: impl Fn(&Task) -> bool) -> Effort {
        self.tasks[self.phases[phase].tasks.clone()].iter().filter(|t| selected(t)).map(|t| t.effort).sum()
    }

    pub fn total_effort(&self) -> Effort {
        self.tasks.iter().map(|t| t.effort).sum()
    }

    /// Tasks that list `task` in their `after`.
    pub fn dependents(&self, task: usize) -> Vec<usize> {
        (0..self.tasks.len()).filter(|&i| self.tasks[i].after.contains(&task)).collect()
    }
}

/// The largest habit `target`: the state's limit for a check-in's count,
/// so that a plan's target can always be checked in.
pub(super) const MAX_TARGET: u32 = crate::core::state::limits::MAX_COUNT;
