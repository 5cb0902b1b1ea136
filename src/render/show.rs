//! `roadmap show TASK`: one task or habit in full, as text. The view is what
//! `show --json` prints; the text reads the same view.

use super::Style;
use crate::core::dates;
use crate::core::effort::Effort;
use crate::core::habits::PeriodMark;
use crate::core::phrase;
use chrono::NaiveDate;
use serde::{Serialize, Serializer};
use std::fmt::Write;

/// A task or a habit, tagged `kind` in JSON.
#[derive(Debug, Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub(crate) enum ShowView {
    Task(Box<TaskView>),
    Habit(Box<HabitView>),
}

/// One task in full.
#[derive(Debug, Serialize)]
pub(crate) struct TaskView {
    pub number: usize,
    pub id: String,
    pub title: String,
    pub phase: Named,
    pub module: Named,
    pub effort_minutes: u32,
    pub logged_minutes: u32,
    /// `todo`, `in progress`, `done` or `skipped`.
    pub status: &'static str,
    pub planned_start: Option<NaiveDate>,
    pub planned_end: Option<NaiveDate>,
    pub baseline_end: Option<NaiveDate>,
    pub notes: Option<String>,
    pub deliverables: Vec<DeliverableView>,
    pub resources: Vec<ResourceView>,
    /// The tasks it waits for (ids in JSON).
    #[serde(serialize_with = "ids")]
    pub after: Vec<RelatedTask>,
    /// The tasks that wait for it (ids in JSON).
    #[serde(serialize_with = "ids")]
    pub needed_by: Vec<RelatedTask>,
    pub track: Option<String>,
    pub tags: Vec<String>,
    /// The day it was done (text only).
    #[serde(skip)]
    pub done_on: Option<NaiveDate>,
    /// Its track is not followed (text only).
    #[serde(skip)]
    pub off_track: bool,
    /// The schedule's slot is the done task's (text only: no planned line).
    #[serde(skip)]
    pub slot_done: bool,
    /// The title of its track, empty when the plan has none (text only).
    #[serde(skip)]
    pub track_title: String,
    /// What was recorded on it, oldest first: the study journal of the task.
    pub history: Vec<HistoryEntry>,
    /// Its next spaced review, when the plan has reviews and it is done.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub review: Option<super::review::ReviewRow>,
}

/// One thing recorded on a task (or a noted check-in or day off, in the report).
#[derive(Debug, Serialize)]
pub(crate) struct HistoryEntry {
    pub on: NaiveDate,
    /// `done`, `log`, `skip`, `start`, `reopen`, `deliverable`, `checkin`, `off`.
    pub kind: String,
    /// The time logged, for `log`.
    pub minutes: Option<u32>,
    /// The deliverable checked (its id, or its text), for `deliverable`.
    pub deliverable: Option<String>,
    pub note: Option<String>,
    /// The rating, for a spaced `review`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rating: Option<String>,
}

impl HistoryEntry {
    pub(crate) fn of(entry: &crate::core::progress::JournalEntry) -> HistoryEntry {
        HistoryEntry {
            on: entry.on,
            kind: entry.kind.clone(),
            minutes: entry.minutes,
            deliverable: entry.deliverable.clone(),
            note: entry.note.clone(),
            rating: entry.rating.clone(),
        }
    }

    /// `logged 1h30m`, `done`, `skipped`, `checked in`, `day off`.
    pub(crate) fn what(&self) -> String {
        match (self.kind.as_str(), self.minutes) {
            ("log", Some(m)) => format!("logged {}", phrase::hours(i64::from(m))),
            ("done", _) => "done".to_string(),
            ("skip", _) => "skipped".to_string(),
            ("start", _) => "started".to_string(),
            ("reopen", _) => "reopened".to_string(),
            ("deliverable", _) => match &self.deliverable {
                Some(d) => format!("checked deliverable {d}"),
                None => "checked a deliverable".to_string(),
            },
            ("checkin", _) => "checked in".to_string(),
            ("off", _) => "day off".to_string(),
            ("review", _) => format!("reviewed, {}", self.rating.as_deref().unwrap_or("rated")),
            (other, _) => other.to_string(),
        }
    }
}

/// A phase or module: id and title.
#[derive(Debug, Serialize)]
pub(crate) struct Named {
    pub id: String,
    pub title: String,
}

#[derive(Debug, Serialize)]
pub(crate) struct DeliverableView {
    pub number: usize,
    pub id: Option<String>,
    pub title: String,
    pub checked: bool,
}

#[derive(Debug, Serialize)]
pub(crate) struct ResourceView {
    pub title: String,
    pub url: Option<String>,
}

/// A task before or after this one.
#[derive(Debug)]
pub(crate) struct RelatedTask {
    pub number: usize,
    pub id: String,
    pub title: String,
    pub status: &'static str,
}

/// A task a habit's id shadows, and the reference that reaches it.
#[derive(Debug, Serialize)]
pub(crate) struct SeeAlso {
    pub number: usize,
    pub id: String,
    pub title: String,
    pub reference: String,
}

/// One habit.
#[derive(Debug, Serialize)]
pub(crate) struct HabitView {
    pub id: String,
    pub title: String,
    pub every: String,
    pub target: u32,
    pub unit: Option<String>,
    pub effort_minutes: u32,
    pub phases: Vec<String>,
    pub due_today: bool,
    pub today: u32,
    pub streak: u32,
    pub longest_streak: u32,
    /// A period habit's period holding today (`null` for a fixed-day
    /// habit): `from`, `to`, `reserved`, `count`, `target`, `mark`, `met_on`.
    pub period: Option<PeriodMark>,
    /// How the period is named: `this fortnight`, `these 10 days`.
    pub period_words: Option<String>,
    /// Tasks whose short id is this habit's id (`leetcode` names the
    /// habit, so they are reached by another form, `reference`).
    pub see_also: Vec<SeeAlso>,
    /// What a streak counts, one and many: `day`/`days` (text only).
    #[serde(skip)]
    pub streak_units: [&'static str; 2],
}

/// Related tasks as their ids.
fn ids<S: Serializer>(tasks: &[RelatedTask], serializer: S) -> Result<S::Ok, S::Error> {
    serializer.collect_seq(tasks.iter().map(|t| &t.id))
}

pub(crate) fn text(view: &ShowView, style: Style) -> String {
    match view {
        ShowView::Task(task) => task_text(task, style),
        ShowView::Habit(habit) => habit_text(habit, style),
    }
}

fn task_text(t: &TaskView, s: Style) -> String {
    let mut out = task_fields(t, s);
    if let Some(notes) = &t.notes {
        let _ = writeln!(out, "\n{}", s.bold("Notes"));
        for line in notes.trim_end().lines() {
            let _ = writeln!(out, "{}", format!("  {line}").trim_end());
        }
    }
    if !t.deliverables.is_empty() {
        let _ = writeln!(out, "\n{}", s.bold("Deliverables"));
        for d in &t.deliverables {
            let _ = writeln!(out, "  {}. {} {}", d.number, if d.checked { "[x]" } else { "[ ]" }, d.title);
        }
    }
    resources(&mut out, &t.resources, s);
    related(&mut out, "Depends on", &t.after, s);
    related(&mut out, "Needed by", &t.needed_by, s);
    history(&mut out, &t.history, s);
    out
}

/// `History`: each thing recorded on the task, its day, what, and the note.
fn history(out: &mut String, entries: &[HistoryEntry], s: Style) {
    if entries.is_empty() {
        return;
    }
    let _ = writeln!(out, "\n{}", s.bold("History"));
    let mut t = super::table::plain(s);
    for e in entries {
        let note = e.note.clone().unwrap_or_default();
        t.add_row(vec![super::table::cell(dates::short(e.on)), super::table::cell(e.what()), super::table::cell(note)]);
    }
    out.push_str(&super::table::render(&t));
}

/// The head line and the field lines: phase, module, effort, status, plan,
/// track, tags.
fn task_fields(t: &TaskView, s: Style) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}  {}  {}", s.dim(&format!("#{}", t.number)), s.bold(&t.id), s.bold(&t.title));
    let _ = writeln!(out, "  phase    {} {}", t.phase.id, t.phase.title);
    let _ = writeln!(out, "  module   {} {}", t.module.id, t.module.title);
    let mut effort = Effort::from_minutes(t.effort_minutes).to_string();
    if t.logged_minutes > 0 {
        let _ = write!(effort, " ({} logged)", Effort::from_minutes(t.logged_minutes));
    }
    let _ = writeln!(out, "  effort   {effort}");
    let _ = writeln!(out, "  status   {}", status_text(t));
    if let Some(line) = planned_line(t) {
        let _ = writeln!(out, "{line}");
    }
    if let Some(track) = &t.track {
        let _ = writeln!(out, "  track    {track} {}", t.track_title);
    }
    if !t.tags.is_empty() {
        let _ = writeln!(out, "  tags     {}", t.tags.join(", "));
    }
    if let Some(r) = &t.review {
        let _ = writeln!(out, "{}", super::review::show_line(r));
    }
    out
}

/// `  planned  Fri 01-08 → Mon 01-18 (baseline end Fri 01-15)` while the
/// task is not done.
fn planned_line(t: &TaskView) -> Option<String> {
    let (Some(start), Some(end), false) = (t.planned_start, t.planned_end, t.slot_done) else {
        return None;
    };
    let mut line = format!("  planned  {} → {}", dates::short(start), dates::short(end));
    if let Some(b) = t.baseline_end {
        let _ = write!(line, " (baseline end {})", dates::short(b));
    }
    Some(line)
}

/// `off track (its track is not selected)`, `done on 2027-01-06`, `todo`.
fn status_text(t: &TaskView) -> String {
    match (t.off_track, t.done_on) {
        (true, _) => "off track (its track is not selected)".to_string(),
        (false, Some(on)) => format!("done on {on}"),
        (false, None) => t.status.to_string(),
    }
}

fn resources(out: &mut String, resources: &[ResourceView], s: Style) {
    if resources.is_empty() {
        return;
    }
    let _ = writeln!(out, "\n{}", s.bold("Resources"));
    for r in resources {
        match &r.url {
            Some(url) if url != &r.title => {
                let _ = writeln!(out, "  - {}  {}", r.title, s.cyan(url));
            }
            _ => {
                let _ = writeln!(out, "  - {}", r.title);
            }
        }
    }
}

fn related(out: &mut String, title: &str, tasks: &[RelatedTask], s: Style) {
    if tasks.is_empty() {
        return;
    }
    let _ = writeln!(out, "\n{}", s.bold(title));
    for t in tasks {
        let _ = writeln!(out, "  {:>3}  {}  {}  ({})", t.number, t.id, t.title, t.status);
    }
}

fn habit_text(h: &HabitView, s: Style) -> String {
    let unit = h.unit.as_deref().map(|u| format!(" {u}")).unwrap_or_default();
    let streak_unit = |n: u32| h.streak_units[usize::from(n != 1)];
    let mut out = String::new();
    let _ = writeln!(out, "{}  {}  {}", s.dim("habit"), s.bold(&h.id), s.bold(&h.title));
    let _ = writeln!(out, "  every    {}", h.every);
    let _ = writeln!(out, "  target   {}{unit}", h.target);
    let effort = Effort::from_minutes(h.effort_minutes);
    match (&h.period_words, &h.period) {
        (Some(_), _) if h.effort_minutes > 0 => {
            let _ = writeln!(
                out,
                "  reserves {effort} on the lightest working day of each period, released once it is met"
            );
        }
        (None, _) if h.effort_minutes > 0 => {
            let _ = writeln!(out, "  reserves {effort} on each due day");
        }
        _ => {}
    }
    let _ = writeln!(out, "  phases   {}", if h.phases.is_empty() { "all".to_string() } else { h.phases.join(", ") });
    match (&h.period_words, &h.period) {
        (Some(words), Some(p)) => {
            let _ = writeln!(
                out,
                "  period   {}{unit} · {}",
                format_args!("{}/{}", p.count, p.target),
                super::habits::period_state(words, p)
            );
        }
        _ => {
            let due = if h.due_today { format!("{}/{}{unit}", h.today, h.target) } else { "not due".to_string() };
            let _ = writeln!(out, "  today    {due}");
        }
    }
    let longest = phrase::count(i64::from(h.longest_streak), h.streak_units[0], h.streak_units[1]);
    let _ = writeln!(out, "  streak   {} {} (longest {longest})", h.streak, streak_unit(h.streak));
    for t in &h.see_also {
        let _ = writeln!(out, "  see also task {} {}  {} (`roadmap show {}`)", t.number, t.id, t.title, t.reference);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn habit() -> HabitView {
        HabitView {
            id: "leetcode".into(),
            title: "LeetCode".into(),
            every: "day".into(),
            target: 2,
            unit: Some("题".into()),
            effort_minutes: 30,
            phases: vec![],
            due_today: true,
            today: 1,
            streak: 1,
            longest_streak: 3,
            see_also: Vec::new(),
            streak_units: ["day", "days"],
            period: None,
            period_words: None,
        }
    }

    #[test]
    fn a_habit_is_tagged_and_keeps_text_only_facts_out_of_json() {
        let json = serde_json::to_value(ShowView::Habit(Box::new(habit()))).unwrap();
        assert_eq!(json["kind"], "habit");
        assert_eq!(json["today"], 1);
        assert!(json.get("streak_units").is_none());
    }

    #[test]
    fn a_habit_reads_the_same_view_as_text() {
        let text = text(&ShowView::Habit(Box::new(habit())), Style::PLAIN);
        assert!(text.contains("  today    1/2 题\n"), "{text}");
        assert!(text.contains("  streak   1 day (longest 3 days)\n"), "{text}");
        assert!(text.contains("  reserves 30m on each due day\n"), "{text}");
    }

    #[test]
    fn related_tasks_serialise_as_their_ids() {
        let related = vec![RelatedTask { number: 1, id: "p1.a.b".into(), title: "B".into(), status: "todo" }];
        let mut out = Vec::new();
        ids(&related, &mut serde_json::Serializer::new(&mut out)).unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), r#"["p1.a.b"]"#);
    }
}
