//! `roadmap list`: phases → modules → tasks as one table. The view is what
//! `list --json` prints; the table reads the same view.

use super::Style;
use super::grid::{self, Grid, cell, right};
use super::verdict;
use crate::core::effort::Effort;
use crate::core::forecast::WindowVerdict;
use crate::core::phrase;
use serde::Serialize;

/// The plan's phases, modules and tasks (after `--phase` and `--track`).
#[derive(Debug, Serialize)]
pub(crate) struct ListView {
    pub plan: PlanName,
    pub phases: Vec<PhaseRow>,
}

#[derive(Debug, Serialize)]
pub(crate) struct PlanName {
    pub id: String,
    pub title: String,
    /// `built-in NAME` or the plan file's path.
    pub source: String,
}

#[derive(Debug, Serialize)]
pub(crate) struct PhaseRow {
    pub id: String,
    pub title: String,
    pub duration: Option<String>,
    pub effort_minutes: u32,
    pub earned_minutes: u32,
    pub modules: Vec<ModuleRow>,
    /// The phase against its window (text only).
    #[serde(skip)]
    pub window: Option<WindowVerdict>,
}

#[derive(Debug, Serialize)]
pub(crate) struct ModuleRow {
    /// `phase.module`.
    pub id: String,
    pub title: String,
    pub tasks: Vec<TaskRow>,
    /// Effort of the tasks shown that count: selected and not skipped
    /// (text only).
    #[serde(skip)]
    pub counted_minutes: u32,
}

#[derive(Debug, Serialize)]
pub(crate) struct TaskRow {
    pub number: usize,
    pub id: String,
    pub title: String,
    pub effort_minutes: u32,
    /// `todo`, `in progress`, `done`, `skipped` or `off track`.
    pub status: &'static str,
    pub track: Option<String>,
}

pub(crate) fn text(view: &ListView, style: Style) -> String {
    let mut lines = Vec::new();
    for phase in &view.phases {
        lines.push(phase_line(phase, style));
        for module in phase.modules.iter().filter(|m| !m.tasks.is_empty()) {
            lines.push(module_line(module));
            lines.extend(module.tasks.iter().map(task_line));
        }
    }
    table(&lines, style)
}

/// One table line before it becomes cells: `#`, id, title, effort and the
/// last column, which is a status word on task lines.
struct Line {
    cells: [String; 5],
    status: bool,
}

/// The one place that knows the table API: the number and effort columns
/// right-aligned, status words coloured, only id and title wrapping.
fn table(lines: &[Line], style: Style) -> String {
    let mut t = Grid::new(style);
    t.set_header(&["#", "id", "title", "effort", "status"]);
    for Line { cells: [number, id, title, effort, last], status } in lines {
        let last = if *status { grid::status(last) } else { cell(last) };
        t.add_row(vec![right(number), cell(id), cell(title), right(effort), last]);
    }
    t.only_wrap(&[1, 2]);
    t.render()
}

fn phase_line(phase: &PhaseRow, s: Style) -> Line {
    let verdict = phase.window.as_ref().map(|w| verdict::verdict(&w.window, w.as_verdict().as_ref()));
    let title = match verdict {
        Some(verdict) => format!("{} · {verdict}", phase.title),
        None => phase.title.clone(),
    };
    let done = format!("{}% done", super::percent(phase.earned_minutes, phase.effort_minutes));
    let cells = [String::new(), s.bold(&phase.id), s.bold(&title), hours(phase.effort_minutes), done];
    Line { cells, status: false }
}

fn module_line(module: &ModuleRow) -> Line {
    let cells = [String::new(), module.id.clone(), module.title.clone(), hours(module.counted_minutes), String::new()];
    Line { cells, status: false }
}

fn task_line(task: &TaskRow) -> Line {
    let cells = [
        (task.number).to_string(),
        format!("  {}", task.id),
        task.title.clone(),
        Effort::from_minutes(task.effort_minutes).to_string(),
        task.status.to_string(),
    ];
    Line { cells, status: true }
}

fn hours(minutes: u32) -> String {
    phrase::hours(i64::from(minutes))
}
