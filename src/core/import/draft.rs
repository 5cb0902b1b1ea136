//! The plan an import builds, before it is written as YAML: the contract's
//! fields, plus what the summary needs to say (which values are guesses).

use crate::core::effort::Effort;

#[derive(Debug, Clone, Default)]
pub(crate) struct Draft {
    pub id: String,
    pub title: String,
    pub lang: Option<String>,
    pub summary: Option<String>,
    pub tracks: Vec<Track>,
    pub phases: Vec<Phase>,
    pub habits: Vec<Habit>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Track {
    pub id: String,
    pub title: String,
}

#[derive(Debug, Clone, Default)]
pub(crate) struct Phase {
    pub id: String,
    pub title: String,
    pub number: Option<u32>,
    pub duration: Option<String>,
    pub summary: Option<String>,
    pub modules: Vec<Module>,
}

#[derive(Debug, Clone, Default)]
pub(crate) struct Module {
    pub id: String,
    pub title: String,
    pub number: Option<u32>,
    /// One module made for a phase whose guide has no module level.
    pub implicit: bool,
    pub summary: Option<String>,
    pub tasks: Vec<Task>,
}

#[derive(Debug, Clone, Default)]
pub(crate) struct Task {
    pub id: String,
    pub title: String,
    pub number: Option<u32>,
    pub effort: Effort,
    /// The effort is the importer's estimate (written with `# estimated`).
    pub estimated: bool,
    pub notes: Option<String>,
    pub resources: Vec<Resource>,
    pub deliverables: Vec<Deliverable>,
    pub after: Vec<String>,
    pub track: Option<String>,
    pub tags: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Resource {
    pub title: String,
    pub url: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Deliverable {
    pub id: String,
    pub title: String,
    /// A `- [x]` box in the guide: the learner may mark it done.
    pub ticked: bool,
    /// Written without an id, as the existing plan had it (its progress is
    /// keyed by its text).
    pub text_key: bool,
}

#[derive(Debug, Clone, Default)]
pub(crate) struct Habit {
    pub id: String,
    pub title: String,
    pub every: String,
    pub target: Option<u32>,
    pub unit: Option<String>,
    pub effort: Effort,
    pub estimated: bool,
    pub phases: Vec<String>,
}

impl Draft {
    pub(crate) fn tasks(&self) -> impl Iterator<Item = (&Phase, &Module, &Task)> {
        self.phases.iter().flat_map(|p| p.modules.iter().flat_map(move |m| m.tasks.iter().map(move |t| (p, m, t))))
    }

    pub(crate) fn full_id(phase: &Phase, module: &Module, task: &Task) -> String {
        format!("{}.{}.{}", phase.id, module.id, task.id)
    }
}
