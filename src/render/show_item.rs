//! `roadmap show p4` and `roadmap show p4.frontier`: a phase or a module
//! with its summary, its figures and what it holds.

use super::Style;
use super::table::{self, cell, right, status};
use super::verdict;
use crate::core::dates;
use crate::core::effort::Effort;
use crate::core::forecast::WindowVerdict;
use crate::core::schedule::Verdict;
use chrono::NaiveDate;
use serde::Serialize;
use std::fmt::Write;

/// A phase or a module, tagged `kind` in JSON.
#[derive(Debug, Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub(crate) enum ShowItemView {
    Phase(PhaseView),
    Module(ModuleView),
}

/// One phase.
#[derive(Debug, Serialize)]
pub(crate) struct PhaseView {
    pub id: String,
    pub title: String,
    pub summary: Option<String>,
    pub duration: Option<String>,
    /// Effort of the followed, unskipped tasks, and how much is earned.
    pub effort_minutes: u32,
    pub earned_minutes: u32,
    pub planned_start: Option<NaiveDate>,
    pub planned_end: Option<NaiveDate>,
    pub window: Option<WindowVerdict>,
    /// The verdict as the core gives it (text only).
    #[serde(skip)]
    pub verdict: Option<Verdict>,
    pub modules: Vec<ModuleLine>,
}

/// A module as a phase lists it.
#[derive(Debug, Serialize)]
pub(crate) struct ModuleLine {
    pub id: String,
    pub title: String,
    pub summary: Option<String>,
    pub tasks: usize,
    pub effort_minutes: u32,
    pub earned_minutes: u32,
}

/// One module.
#[derive(Debug, Serialize)]
pub(crate) struct ModuleView {
    pub id: String,
    pub title: String,
    pub summary: Option<String>,
    pub phase: String,
    pub phase_title: String,
    pub effort_minutes: u32,
    pub earned_minutes: u32,
    pub tasks: Vec<ItemTask>,
}

/// A task as a module lists it.
#[derive(Debug, Serialize)]
pub(crate) struct ItemTask {
    pub number: usize,
    pub id: String,
    pub title: String,
    pub effort_minutes: u32,
    pub status: &'static str,
    pub track: Option<String>,
    pub planned_end: Option<NaiveDate>,
}

pub(crate) fn text(view: &ShowItemView, style: Style) -> String {
    match view {
        ShowItemView::Phase(p) => phase(p, style),
        ShowItemView::Module(m) => module(m, style),
    }
}

fn effort(total: u32, earned: u32) -> String {
    format!("{} ({} earned)", Effort::from_minutes(total), Effort::from_minutes(earned))
}

/// The summary, indented, after a blank line.
fn summary(out: &mut String, summary: Option<&str>) {
    if let Some(text) = summary.map(str::trim).filter(|t| !t.is_empty()) {
        out.push('\n');
        for line in text.lines() {
            let _ = writeln!(out, "{}", format!("  {line}").trim_end());
        }
    }
}

fn phase(p: &PhaseView, s: Style) -> String {
    let mut out = format!("{}  {}\n", s.bold(&p.id), s.bold(&p.title));
    if let Some(w) = &p.window {
        let _ = writeln!(out, "  window   {}", verdict::verdict(&w.window, p.verdict.as_ref()));
    }
    if let (Some(start), Some(end)) = (p.planned_start, p.planned_end) {
        let _ = writeln!(out, "  planned  {} → {}", dates::long(start), dates::long(end));
    }
    let _ = writeln!(out, "  effort   {}", effort(p.effort_minutes, p.earned_minutes));
    summary(&mut out, p.summary.as_deref());
    let _ = writeln!(out, "\n{}", s.bold("Modules"));
    let mut t = table::plain(s);
    t.set_header(vec!["module", "title", "tasks", "effort", "earned"]);
    for m in &p.modules {
        t.add_row(vec![
            cell(&m.id),
            cell(&m.title),
            right(m.tasks.to_string()),
            right(Effort::from_minutes(m.effort_minutes).to_string()),
            right(Effort::from_minutes(m.earned_minutes).to_string()),
        ]);
    }
    out.push_str(&table::render(&t));
    if let Some(first) = p.modules.first() {
        let _ = writeln!(out, "{}", s.dim(&format!("`roadmap show {}` shows a module with its tasks.", first.id)));
    }
    out
}

fn module(m: &ModuleView, s: Style) -> String {
    let mut out = format!("{}  {}\n", s.bold(&m.id), s.bold(&m.title));
    let _ = writeln!(out, "  phase    {} {}", m.phase, m.phase_title);
    let _ = writeln!(out, "  effort   {}", effort(m.effort_minutes, m.earned_minutes));
    summary(&mut out, m.summary.as_deref());
    let _ = writeln!(out, "\n{}", s.bold("Tasks"));
    let mut t = table::plain(s);
    t.set_header(vec!["#", "id", "title", "effort", "status"]);
    for task in &m.tasks {
        t.add_row(vec![
            right(task.number.to_string()),
            cell(&task.id),
            cell(&task.title),
            right(Effort::from_minutes(task.effort_minutes).to_string()),
            status(task.status),
        ]);
    }
    out.push_str(&table::render(&t));
    out
}
