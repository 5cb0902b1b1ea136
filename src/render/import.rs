//! `roadmap import`: what the importer found in the guide, every guess it
//! made, and (with --into) which ids it kept.

use super::Style;
use crate::core::import::into::{Changes, Item};
use crate::core::phrase;
use serde::Serialize;
use std::fmt::Write as _;

#[derive(Debug, Serialize)]
pub(crate) struct ImportView {
    pub guide: String,
    pub out: String,
    pub id: String,
    pub title: String,
    pub lang: Option<String>,
    /// Which sections became phases, modules and tasks (`h3`, `b`…).
    pub levels: Vec<Level>,
    pub phases: Vec<PhaseRow>,
    pub modules: usize,
    pub tasks: usize,
    pub habits: Vec<HabitRow>,
    pub tracks: Vec<String>,
    pub links: usize,
    pub deliverables: usize,
    /// Tasks whose effort the importer estimated.
    pub estimated: usize,
    /// `- [x]` items of the guide, as `task: text`: mark them done with `roadmap done TASK --deliverable …`.
    pub ticked: Vec<String>,
    pub guesses: Vec<String>,
    pub into: Option<IntoView>,
}

#[derive(Debug, Serialize)]
pub(crate) struct Level {
    pub role: &'static str,
    pub level: String,
}

#[derive(Debug, Serialize)]
pub(crate) struct PhaseRow {
    pub id: String,
    pub title: String,
    pub duration: Option<String>,
    pub tasks: usize,
    pub effort_minutes: u32,
    /// `fits`, `ahead by 3 days`, `over by 2 days` at the default calendar;
    /// `None` without a window or when the calendar cannot schedule it.
    pub fit: Option<String>,
}

#[derive(Debug, Serialize)]
pub(crate) struct HabitRow {
    pub id: String,
    pub title: String,
    pub every: String,
}

#[derive(Debug, Serialize)]
pub(crate) struct IntoView {
    pub file: String,
    #[serde(flatten)]
    pub changes: Changes,
}

pub(crate) fn text(view: &ImportView, _style: Style) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "Imported {} into {} (plan {}).", view.guide, view.out, view.id);
    let levels: Vec<String> = view.levels.iter().map(|l| format!("{} {}", l.role, l.level)).collect();
    let _ = writeln!(out, "  levels: {}", levels.join(", "));
    let _ = writeln!(
        out,
        "  found: {}, {}, {}, {}, {}, {}, {}",
        count(view.phases.len(), "phase", "phases"),
        count(view.modules, "module", "modules"),
        count(view.tasks, "task", "tasks"),
        count(view.links, "link", "links"),
        count(view.deliverables, "deliverable", "deliverables"),
        count(view.habits.len(), "habit", "habits"),
        count(view.tracks.len(), "track", "tracks"),
    );
    for phase in &view.phases {
        let window = phase.duration.as_deref().map_or("no window".to_string(), |d| format!("window {d}"));
        let fit = phase.fit.as_deref().map_or(String::new(), |f| format!(", {f} at the default calendar"));
        let _ = writeln!(
            out,
            "  phase {} {}: {}, {}, {window}{fit}",
            phase.id,
            phase.title,
            count(phase.tasks, "task", "tasks"),
            phrase::hours(i64::from(phase.effort_minutes)),
        );
    }
    for habit in &view.habits {
        let _ = writeln!(out, "  habit {} (every {}): {}", habit.id, habit.every, habit.title);
    }
    if !view.tracks.is_empty() {
        let _ = writeln!(out, "  tracks: {}", view.tracks.join(", "));
    }
    if !view.guesses.is_empty() {
        out.push_str("Guesses:\n");
        for guess in &view.guesses {
            let _ = writeln!(out, "  - {guess}");
        }
    }
    if !view.ticked.is_empty() {
        out.push_str("Ticked in the guide (mark them done with `roadmap done TASK --deliverable ID`):\n");
        for item in &view.ticked {
            let _ = writeln!(out, "  - {item}");
        }
    }
    if let Some(into) = &view.into {
        into_text(&mut out, into);
    }
    let _ = writeln!(out, "Next: roadmap validate {0}; roadmap init --plan {0}", view.out);
    out
}

fn into_text(out: &mut String, into: &IntoView) {
    let c = &into.changes;
    let _ = writeln!(
        out,
        "Kept from {}: {} of its {} matched ({} by title, {} by position, {} moved); {} added, {} removed.",
        into.file,
        count(c.matched.len(), "task", "tasks"),
        c.tasks_before,
        c.matched.iter().filter(|m| m.by == "title").count(),
        c.matched.iter().filter(|m| m.by == "position").count(),
        c.matched.iter().filter(|m| m.by == "moved").count(),
        c.added.len(),
        c.removed.len(),
    );
    for m in c.matched.iter().filter(|m| m.was.is_some()) {
        let _ = writeln!(out, "  moved: {} → {}", m.was.as_deref().unwrap_or(""), m.id);
    }
    list(out, "added", &c.added);
    list(out, "removed", &c.removed);
    let _ = writeln!(
        out,
        "  habits: {} kept, {} added, {} removed",
        c.habits_matched,
        c.habits_added.len(),
        c.habits_removed.len()
    );
    list(out, "added habit", &c.habits_added);
    list(out, "removed habit", &c.habits_removed);
    if !c.removed.is_empty() || !c.habits_removed.is_empty() {
        out.push_str("  Progress saved on removed items stays in the state; `roadmap doctor` reports it.\n");
    }
}

fn list(out: &mut String, what: &str, items: &[Item]) {
    for item in items {
        let _ = writeln!(out, "  {what}: {} {}", item.id, item.title);
    }
}

fn count(n: usize, one: &str, many: &str) -> String {
    phrase::count(n as i64, one, many)
}
