//! `roadmap list`: phases → modules → tasks as one table. The view is what
//! `list --json` prints; the table reads the same view.

use super::Style;
use super::table::{self, Pieces, Table, cell, right};
use super::verdict;
use crate::core::effort::Effort;
use crate::core::forecast::WindowVerdict;
use crate::core::phrase;
use serde::Serialize;
use std::borrow::Cow;

/// The plan's phases, modules and tasks (after `--phase` and `--track`).
#[derive(Debug, Serialize)]
pub(crate) struct ListView<'a> {
    pub plan: PlanName,
    /// `--track`: the figures are those of that track alone.
    pub track: Option<String>,
    pub phases: Vec<PhaseRow<'a>>,
}

#[derive(Debug, Serialize)]
pub(crate) struct PlanName {
    pub id: String,
    pub title: String,
    /// `built-in NAME` or the plan file's path.
    pub source: String,
}

#[derive(Debug, Serialize)]
pub(crate) struct PhaseRow<'a> {
    pub id: String,
    pub title: String,
    pub summary: Option<String>,
    pub duration: Option<String>,
    pub effort_minutes: u32,
    pub earned_minutes: u32,
    pub modules: Vec<ModuleRow<'a>>,
    /// The phase against its window (text only).
    #[serde(skip)]
    pub window: Option<WindowVerdict>,
}

#[derive(Debug, Serialize)]
pub(crate) struct ModuleRow<'a> {
    /// `phase.module`.
    pub id: String,
    pub title: String,
    pub summary: Option<String>,
    pub tasks: Vec<TaskRow<'a>>,
    /// Effort of the tasks shown that count: selected and not skipped
    /// (text only).
    #[serde(skip)]
    pub counted_minutes: u32,
}

#[derive(Debug, Serialize)]
pub(crate) struct TaskRow<'a> {
    pub number: usize,
    pub id: &'a str,
    pub title: &'a str,
    pub effort_minutes: u32,
    /// The estimate less what is logged, while the task is open; `null`
    /// when done, skipped or off track.
    pub remaining_minutes: Option<u32>,
    /// `todo`, `in progress`, `done`, `skipped` or `off track`.
    pub status: &'static str,
    pub track: Option<&'a str>,
}

pub(crate) fn text(view: &ListView, style: Style) -> String {
    let count: usize = view.phases.iter().map(|p| 1 + p.modules.iter().map(|m| 1 + m.tasks.len()).sum::<usize>()).sum();
    let shown = || view.phases.iter().flat_map(|p| p.modules.iter().filter(|m| !m.tasks.is_empty()));
    let texts = task_texts(shown().flat_map(|m| &m.tasks), shown().map(|m| m.tasks.len()).sum());
    // The lines, made twice at a width limit (to measure, then to fill
    // the table) rather than kept: at 100,000 tasks they were 14 MB.
    let measured = |f: &mut dyn FnMut(Line<'_>, Option<&str>)| each_line(view, &texts, style, f);
    // The cells a summary may take: measured only when there is one to
    // cut (every title's width is a pass over the plan's text, a
    // twentieth of `list` at 10,000 tasks; at a width limit, every line
    // made once more).
    let room = if has_summaries(view) {
        let widest = widest_title(view);
        title_room(measured, style).map_or(widest, |room| room.min(widest))
    } else {
        0
    };
    let mut t = Table::new(style);
    t.reserve(count + view.phases.len(), 5);
    t.set_header(&["#", "id", "title", "effort", "status"]);
    each_line(view, &texts, style, &mut |line, summary| {
        add(&mut t, line);
        // Each header's summary after it.
        if let Some(line) = summary_line(summary, room, style) {
            add(&mut t, line);
        }
    });
    t.only_wrap(&[1, 2]);
    let mut out = t.render();
    if let Some(track) = &view.track {
        out.push_str(&format!("Figures for track {track} alone, as `schedule` gives them once `roadmap config --track {track}` selects it.\n"));
    }
    out
}

/// Whether a phase or a module shown in the table has a summary to show
/// under it.
fn has_summaries(view: &ListView) -> bool {
    view.phases
        .iter()
        .any(|p| p.summary.is_some() || p.modules.iter().any(|m| !m.tasks.is_empty() && m.summary.is_some()))
}

/// The widest title in the table, at least 20 cells: summaries are cut to
/// it, so they never widen the table.
fn widest_title(view: &ListView) -> usize {
    let titles = view.phases.iter().flat_map(|p| {
        let shown = p.modules.iter().filter(|m| !m.tasks.is_empty());
        let inner = shown.flat_map(|m| std::iter::once(m.title.as_str()).chain(m.tasks.iter().map(|t| t.title)));
        std::iter::once(super::width(&phase_title(p))).chain(inner.map(super::width))
    });
    titles.max().unwrap_or(0).max(20)
}

/// At a width limit, the cells the title column has when every other
/// column keeps its content width (comfy-table gives the title at least
/// that much unless the ids wrap too); `None` without a limit.
fn title_room(each_line: impl Fn(&mut dyn FnMut(Line<'_>, Option<&str>)), style: Style) -> Option<usize> {
    let super::style::Width::Columns(limit) = style.width else {
        return None;
    };
    let mut widths = [1, 2, 0, 6, 6]; // the header: `#`, `id`, -, `effort`, `status`
    each_line(&mut |line, _| {
        for (c, text) in line.cells.iter().enumerate() {
            widths[c] = widths[c].max(plain_width(text));
        }
    });
    let others: usize = widths.iter().enumerate().filter(|(c, _)| *c != 2).map(|(_, w)| w + 2).sum();
    Some(usize::from(limit).saturating_sub(others + 2).max(10))
}

/// Display width without the style's escape codes (`\x1b[…m`).
fn plain_width(text: &str) -> usize {
    let mut width = 0;
    let mut rest = text;
    while let Some(at) = rest.find('\x1b') {
        width += super::width(&rest[..at]);
        rest = rest[at..].find('m').map_or("", |m| &rest[at + m + 1..]);
    }
    width + super::width(rest)
}

/// A phase's or module's summary under its header: its first line, cut to
/// `cells` terminal cells (an ellipsis marks the cut).
fn summary_line(summary: Option<&str>, cells: usize, s: Style) -> Option<Line<'static>> {
    let first = summary?.trim().lines().next()?.trim();
    if first.is_empty() {
        return None;
    }
    let cut = super::cut(first, cells);
    Some(Line { cells: ["".into(), "".into(), s.dim(&cut).into(), "".into(), "".into()], status: false })
}

/// One table line before it becomes cells: `#`, id, title, effort and the
/// last column, which is a status word on task lines.
struct Line<'a> {
    cells: [Cow<'a, str>; 5],
    status: bool,
}

/// Each line of `view`'s table with the summary that goes under it (a
/// phase's or module's), in order; `texts` are the tasks' made-up cells.
fn each_line<'a>(view: &'a ListView, texts: &'a Pieces<3>, style: Style, f: &mut dyn FnMut(Line<'a>, Option<&'a str>)) {
    let mut task_texts = texts.iter();
    for phase in &view.phases {
        f(phase_line(phase, style), phase.summary.as_deref());
        for module in phase.modules.iter().filter(|m| !m.tasks.is_empty()) {
            f(module_line(module), module.summary.as_deref());
            for (task, texts) in module.tasks.iter().zip(&mut task_texts) {
                f(task_line(task, texts), None);
            }
        }
    }
}

/// A line as a table row: the number and effort columns right-aligned,
/// status words coloured (only id and title wrap: `text`).
fn add<'a>(t: &mut Table<'a>, Line { cells: [number, id, title, effort, last], status }: Line<'a>) {
    let last = if status { table::status_owned(last) } else { cell(last) };
    t.add_row([right(number), cell(id), cell(title), right(effort), last]);
}

/// `高阶项目与实习准备 · fits 2-3个月`
fn phase_title(phase: &PhaseRow) -> String {
    let verdict = phase.window.as_ref().map(|w| verdict::verdict(&w.window, w.as_verdict().as_ref()));
    match verdict {
        Some(verdict) => format!("{} · {verdict}", phase.title),
        None => phase.title.clone(),
    }
}

fn phase_line(phase: &PhaseRow, s: Style) -> Line<'static> {
    let title = phase_title(phase);
    let done = format!("{}% done", super::percent(phase.earned_minutes, phase.effort_minutes));
    let cells =
        ["".into(), s.bold(&phase.id).into(), s.bold(&title).into(), hours(phase.effort_minutes).into(), done.into()];
    Line { cells, status: false }
}

fn module_line<'a>(module: &'a ModuleRow<'_>) -> Line<'a> {
    let cells =
        ["".into(), (&module.id).into(), (&module.title).into(), hours(module.counted_minutes).into(), "".into()];
    Line { cells, status: false }
}

fn task_line<'a>(task: &'a TaskRow<'_>, [number, id, effort]: [&'a str; 3]) -> Line<'a> {
    let cells = [number.into(), id.into(), task.title.into(), effort.into(), task.status.into()];
    Line { cells, status: true }
}

/// The task lines' made-up cells: number, indented id, effort
/// (`table::Pieces`).
fn task_texts<'a>(tasks: impl Iterator<Item = &'a TaskRow<'a>> + Clone, count: usize) -> Pieces<3> {
    // Each task's id, and 28 bytes for its number, the two spaces and its
    // effort (`262144`, `  `, `999h30m of 999h30m`; a rare longer one is
    // made up for by the many shorter): room for all of them at once. (Room
    // for about 24 bytes a task was outgrown by ids of 10,000 tasks, and
    // the text copied into a block twice as big.)
    let ids: usize = tasks.clone().map(|task| task.id.len()).sum();
    let mut texts = Pieces::new(count, ids.div_ceil(count.max(1)) + 28);
    for task in tasks {
        let text = texts.text();
        text.push_str(itoa::Buffer::new().format(task.number));
        let number = text.len();
        text.push_str("  ");
        text.push_str(task.id);
        let id = text.len();
        push_effort(text, task);
        let effort = text.len();
        texts.row([number, id, effort]);
    }
    texts
}

/// `6h`, or `5h of 6h` (what is left) once time is logged on it, as in
/// `schedule`.
fn push_effort(out: &mut String, task: &TaskRow) {
    use std::fmt::Write;
    let effort = Effort::from_minutes(task.effort_minutes);
    // Writing to a `String` cannot fail.
    let _ = match task.remaining_minutes {
        Some(left) if left != task.effort_minutes => write!(out, "{} of {effort}", Effort::from_minutes(left)),
        _ => write!(out, "{effort}"),
    };
}

fn hours(minutes: u32) -> String {
    phrase::hours(i64::from(minutes))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each task's number, indented id and effort, read back in order
    /// from the one string they are written to.
    #[test]
    fn task_texts_are_each_tasks_cells_in_order() {
        let task = |number, id, remaining_minutes| TaskRow {
            number,
            id,
            title: "T",
            effort_minutes: 360,
            remaining_minutes,
            status: "todo",
            track: None,
        };
        let tasks = [task(9, "p1.m.a", None), task(10, "p1.m.学习", Some(300)), task(11, "p2.m.c", Some(360))];
        let texts = task_texts(tasks.iter(), tasks.len());
        let cells: Vec<[&str; 3]> = texts.iter().collect();
        assert_eq!(cells, [["9", "  p1.m.a", "6h"], ["10", "  p1.m.学习", "5h of 6h"], ["11", "  p2.m.c", "6h"]]);
    }

    /// A summary is cut to the widest title, whether a phase or only a
    /// module has one (the widths are measured only when one does), and a
    /// table without summaries has no line for them.
    #[test]
    fn summaries_are_cut_to_the_widest_title_when_only_a_module_has_one() {
        let task = |id, title| TaskRow {
            number: 1,
            id,
            title,
            effort_minutes: 60,
            remaining_minutes: None,
            status: "todo",
            track: None,
        };
        let view = |summary: Option<&str>| {
            let module = ModuleRow {
                id: "p1.a".into(),
                title: "A".into(),
                summary: summary.map(Into::into),
                tasks: vec![task("p1.a.t", "学习编辑距离与动态规划的基础")],
                counted_minutes: 60,
            };
            let phase = PhaseRow {
                id: "p1".into(),
                title: "One".into(),
                summary: None,
                duration: None,
                effort_minutes: 60,
                earned_minutes: 0,
                modules: vec![module],
                window: None,
            };
            let plan = PlanName { id: "p".into(), title: "P".into(), source: "s".into() };
            ListView { plan, track: None, phases: vec![phase] }
        };
        let long = "What module A is for, told at more length than any title in this table.";
        let text = text(&view(Some(long)), Style::PLAIN);
        // The title is 28 cells wide: the summary takes 27 and the ellipsis.
        assert!(text.contains("\n               What module A is for, told …\n"), "{text}");
        let without = super::text(&view(None), Style::PLAIN);
        assert_eq!(without.lines().count(), 4, "{without}");
        assert_eq!(text.lines().count(), 5, "{text}");
    }

    #[test]
    fn modules_without_shown_tasks_stay_in_json_but_leave_the_table() {
        let module =
            |id: &str, tasks| ModuleRow { id: id.into(), title: id.into(), summary: None, tasks, counted_minutes: 0 };
        let task = TaskRow {
            number: 1,
            id: "p1.a.t",
            title: "T",
            effort_minutes: 90,
            remaining_minutes: None,
            status: "off track",
            track: Some("x"),
        };
        let phase = PhaseRow {
            id: "p1".into(),
            title: "One".into(),
            summary: Some("What phase one is for.".into()),
            duration: None,
            effort_minutes: 0,
            earned_minutes: 0,
            modules: vec![module("p1.a", vec![task]), module("p1.empty", vec![])],
            window: None,
        };
        let plan = PlanName { id: "p".into(), title: "P".into(), source: "s".into() };
        let view = ListView { plan, track: None, phases: vec![phase] };
        let json = serde_json::to_value(&view).unwrap();
        assert_eq!(json["phases"][0]["modules"][1]["tasks"], serde_json::json!([]));
        assert!(json["phases"][0].get("window").is_none());
        let text = text(&view, Style::PLAIN);
        assert!(!text.contains("p1.empty"), "{text}");
        assert!(text.contains("p1.a.t") && text.contains("1h30m") && text.contains("off track"), "{text}");
        // Cut to the widest title, at least 20 cells, an ellipsis marking the cut.
        assert!(text.contains("\n               What phase one is f…\n"), "{text}");
        assert_eq!(json["phases"][0]["summary"], "What phase one is for.");
    }
}
