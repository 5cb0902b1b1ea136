//! The confirmations of the commands that record progress: what was
//! recorded and what it changed (`Done: …`, `Checked in: …`, `Logged …`,
//! `Undid: …`), each from a view built after the write.

use super::Style;
use super::summary::{PhaseLine, phase_text};
use super::verdict;
use crate::core::effort::Effort;
use crate::core::state::Event;
use chrono::NaiveDate;
use serde::Serialize;
use std::fmt::Write;

/// The state file was created for this write, with the defaults.
#[derive(Debug, Serialize)]
pub(crate) struct Created {
    pub state: String,
    pub plan: String,
    pub start: NaiveDate,
}

/// `roadmap done`: what was recorded, what was already so, and what changed.
#[derive(Debug, Serialize)]
pub(crate) struct DoneView {
    pub created: Option<Created>,
    /// Items named that needed nothing recorded, in the order named.
    pub already: Vec<Already>,
    /// What was recorded, in the order recorded.
    pub recorded: Vec<Recorded>,
    /// The phases of the tasks done, in plan order.
    pub phases: Vec<PhaseLine>,
    /// The plan against its baseline, when a task was done.
    pub plan: Option<PlanEnd>,
}

#[derive(Debug, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub(crate) enum Already {
    Done { id: String, title: String, on: NaiveDate },
    Checked { number: usize, title: String },
}

#[derive(Debug, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub(crate) enum Recorded {
    Done {
        id: String,
        /// The short id the learner types.
        reference: String,
        title: String,
        effort_minutes: u32,
        on: NaiveDate,
        /// Its dependencies that are still todo or in progress.
        open_after: Vec<OpenDependency>,
        deliverables: usize,
        /// Deliverables not checked, and the number of the first of them.
        open: usize,
        first_open: Option<usize>,
    },
    Deliverable {
        task: String,
        number: usize,
        title: String,
        checked: usize,
        deliverables: usize,
    },
    Checkin {
        habit: String,
        title: String,
        /// The day's count, or for a period habit the period's.
        count: u32,
        /// A period habit's period, first and last day.
        period: Option<[NaiveDate; 2]>,
        target: u32,
        unit: Option<String>,
        on: NaiveDate,
    },
}

/// A dependency of a task done before it.
#[derive(Debug, Serialize)]
pub(crate) struct OpenDependency {
    pub id: String,
    pub title: String,
    /// `todo` or `in progress`.
    pub status: String,
}

/// The plan's slip and its forecast end.
#[derive(Debug, Serialize)]
pub(crate) struct PlanEnd {
    pub slip_days: Option<i64>,
    pub end: Option<NaiveDate>,
}

/// A task as a confirmation names it.
#[derive(Debug, Serialize)]
pub(crate) struct TaskRef {
    pub id: String,
    /// The short id the learner types.
    pub reference: String,
    pub title: String,
}

#[derive(Debug, Serialize)]
pub(crate) struct StartedView {
    pub created: Option<Created>,
    pub task: TaskRef,
    pub on: NaiveDate,
}

#[derive(Debug, Serialize)]
pub(crate) struct SkippedView {
    pub created: Option<Created>,
    pub task: TaskRef,
    pub effort_minutes: u32,
    pub phase: PhaseLine,
}

#[derive(Debug, Serialize)]
pub(crate) struct ReopenedView {
    pub created: Option<Created>,
    pub task: TaskRef,
    /// Its status now (`todo`, `in progress`).
    pub status: String,
}

#[derive(Debug, Serialize)]
pub(crate) struct LoggedView {
    pub created: Option<Created>,
    pub task: TaskRef,
    pub on: NaiveDate,
    pub minutes: u32,
    pub logged_minutes: u32,
    pub effort_minutes: u32,
    pub done: bool,
}

#[derive(Debug, Serialize)]
pub(crate) struct UndidView {
    pub created: Option<Created>,
    /// The events reverted (for a redo: the events put back in force).
    pub undone: Vec<Event>,
    pub redo: bool,
    pub dry_run: bool,
}

/// The line that tells a newcomer their state file was just created.
pub(crate) fn created(created: Option<&Created>) -> String {
    match created {
        Some(c) => format!(
            "Created {} for {}, starting {} with 2h Mon–Fri and 4h Sat–Sun (change with `roadmap config --hours`).\n",
            c.state, c.plan, c.start
        ),
        None => String::new(),
    }
}

fn effort(minutes: u32) -> Effort {
    Effort::from_minutes(minutes)
}

pub(crate) fn done(view: &DoneView, style: Style) -> String {
    let mut out = created(view.created.as_ref());
    for a in &view.already {
        let _ = match a {
            Already::Checked { number, title } => writeln!(out, "Already checked: {number}. {title}"),
            Already::Done { id, title, on } => writeln!(out, "Already done: {id}  {title} (on {on})"),
        };
    }
    for r in &view.recorded {
        out.push_str(&recorded(r, style));
    }
    for p in &view.phases {
        let _ = writeln!(out, "  {}", phase_text(p));
    }
    if let Some(plan) = &view.plan {
        let end = plan.end.map(|e| format!(" · plan ends {e}")).unwrap_or_else(|| " · nothing left to do".into());
        let _ = writeln!(out, "  Plan: {}{end}", verdict::slip(plan.slip_days));
    }
    out
}

fn recorded(r: &Recorded, style: Style) -> String {
    match r {
        Recorded::Done { id, reference, title, effort_minutes, on, open_after, deliverables, open, first_open } => {
            let mut out = format!("{} {id}  {title}  ({}, {on})\n", style.green("Done:"), effort(*effort_minutes));
            if !open_after.is_empty() {
                let names: Vec<String> =
                    open_after.iter().map(|d| format!("{}  {} ({})", d.id, d.title, d.status)).collect();
                let what = if names.len() == 1 { "dependency" } else { "dependencies" };
                let _ = writeln!(out, "  {} done before its {what}: {}", style.yellow("Warning:"), names.join("; "));
            }
            if let Some(first) = first_open {
                let _ = writeln!(
                    out,
                    "  Deliverables not checked: {open} of {deliverables} (roadmap done {reference} --deliverable {first})"
                );
            }
            out
        }
        Recorded::Deliverable { task, number, title, checked, deliverables } => format!(
            "{} {number}. {title}\n  {task}: {checked} of {deliverables} deliverables checked\n",
            style.green("Checked:")
        ),
        Recorded::Checkin { habit, title, count, period, target, unit, on } => {
            let unit = unit.as_deref().map(|u| format!(" {u}")).unwrap_or_default();
            let state = match count.checked_sub(*target) {
                None => "partial".to_string(),
                Some(0) => "met".to_string(),
                Some(over) => format!("met, {over} above the target"),
            };
            let period = period.map(|[from, to]| format!(", in its period {from} to {to}")).unwrap_or_default();
            format!(
                "{} {habit}  {title}  {count}/{target}{unit} on {on}{period} ({state})\n",
                style.green("Checked in:")
            )
        }
    }
}

pub(crate) fn started(view: &StartedView) -> String {
    let t = &view.task;
    format!("{}Started: {}  {} on {}\n", created(view.created.as_ref()), t.id, t.title, view.on)
}

pub(crate) fn skipped(view: &SkippedView) -> String {
    let t = &view.task;
    format!(
        "{}Skipped: {}  {} ({} left out of the schedule; `roadmap reopen {}` brings it back)\n  {}\n",
        created(view.created.as_ref()),
        t.id,
        t.title,
        effort(view.effort_minutes),
        t.reference,
        phase_text(&view.phase)
    )
}

pub(crate) fn reopened(view: &ReopenedView) -> String {
    let t = &view.task;
    format!("{}Reopened: {}  {} (now {})\n", created(view.created.as_ref()), t.id, t.title, view.status)
}

pub(crate) fn logged(view: &LoggedView) -> String {
    let t = &view.task;
    let mut out = created(view.created.as_ref());
    let (logged, estimate) = (effort(view.logged_minutes), effort(view.effort_minutes));
    let left = estimate.saturating_sub(logged);
    let _ = writeln!(out, "Logged {} on {}  {} ({})", effort(view.minutes), t.id, t.title, view.on);
    let _ = writeln!(out, "  {logged} of {estimate} logged · {left} left");
    if left.is_zero() && !view.done {
        let _ = writeln!(out, "  The estimate is used up: `roadmap done {}` when it is finished.", t.reference);
    }
    out
}

/// `Undid: done p.m.t on …`; several events of one command on lines of their own;
/// `Would undo: …` for a dry run; `Redid: …` for a redo.
pub(crate) fn undid(view: &UndidView) -> String {
    let label = match (view.redo, view.dry_run) {
        (false, false) => "Undid",
        (false, true) => "Would undo",
        (true, false) => "Redid",
        (true, true) => "Would redo",
    };
    let mut out = created(view.created.as_ref());
    match view.undone.as_slice() {
        [one] => {
            let _ = writeln!(out, "{label}: {}", super::event::describe(one));
        }
        many => {
            let _ = writeln!(out, "{label} {} events of one command:", many.len());
            for e in many {
                let _ = writeln!(out, "  {}", super::event::describe(e));
            }
        }
    }
    if view.dry_run {
        let command = if view.redo { "roadmap redo" } else { "roadmap undo" };
        let _ = writeln!(out, "Nothing was changed; `{command}` does it.");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn task() -> TaskRef {
        TaskRef { id: "p1.m.a".into(), reference: "a".into(), title: "Alpha".into() }
    }

    #[test]
    fn done_names_the_open_deliverables_and_the_plan_end() {
        let day = NaiveDate::from_ymd_opt(2027, 1, 4).expect("a date");
        let view = DoneView {
            created: None,
            already: vec![Already::Checked { number: 2, title: "Notes".into() }],
            recorded: vec![Recorded::Done {
                id: "p1.m.a".into(),
                reference: "a".into(),
                title: "Alpha".into(),
                effort_minutes: 90,
                on: day,
                open_after: Vec::new(),
                deliverables: 3,
                open: 2,
                first_open: Some(2),
            }],
            phases: Vec::new(),
            plan: Some(PlanEnd { slip_days: Some(2), end: Some(day) }),
        };
        assert_eq!(
            done(&view, Style::PLAIN),
            "Already checked: 2. Notes\nDone: p1.m.a  Alpha  (1h30m, 2027-01-04)\n  Deliverables not checked: 2 of 3 (roadmap done a --deliverable 2)\n  Plan: 2 days behind the baseline · plan ends 2027-01-04\n"
        );
    }

    #[test]
    fn a_log_that_uses_up_the_estimate_says_so_until_the_task_is_done() {
        let day = NaiveDate::from_ymd_opt(2027, 1, 4).expect("a date");
        let mut view = LoggedView {
            created: None,
            task: task(),
            on: day,
            minutes: 120,
            logged_minutes: 240,
            effort_minutes: 180,
            done: false,
        };
        assert!(logged(&view).contains("The estimate is used up: `roadmap done a`"));
        view.done = true;
        assert!(!logged(&view).contains("used up"));
    }
}
