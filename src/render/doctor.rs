//! `roadmap doctor`: what does not fit between the plan and the state, as
//! findings with their hints and what `--fix` did.

use super::Style;
use crate::core::phrase;
use serde::Serialize;
use std::fmt::Write;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Level {
    Error,
    Warning,
    Info,
}

/// One finding as shown: what is wrong, the items concerned, what to do.
#[derive(Debug, Serialize)]
pub(crate) struct FindingRow {
    pub level: Level,
    pub code: &'static str,
    pub message: String,
    pub details: Vec<String>,
    pub hint: Option<String>,
    /// `--fix` can repair it without losing anything.
    pub fixable: bool,
    /// What `--fix` did about it.
    pub fixed: Option<String>,
}

/// A task and its effort.
#[derive(Debug, Serialize)]
pub(crate) struct TaskEffort {
    pub id: String,
    pub effort_minutes: u32,
}

/// A task whose effort changed.
#[derive(Debug, Serialize)]
pub(crate) struct Reestimate {
    pub id: String,
    pub from_minutes: u32,
    pub to_minutes: u32,
}

/// How the plan differs from the one recorded in the state.
#[derive(Debug, Default, Serialize)]
pub(crate) struct PlanChanges {
    pub added: Vec<TaskEffort>,
    pub removed: Vec<TaskEffort>,
    pub reestimated: Vec<Reestimate>,
}

/// The whole check; `--json` serialises it.
#[derive(Debug, Serialize)]
pub(crate) struct DoctorView {
    pub state: String,
    pub plan: Option<String>,
    /// Events in the state file (`None`: not readable or not created yet).
    pub events: Option<usize>,
    /// No error is left.
    pub ok: bool,
    pub findings: Vec<FindingRow>,
    pub orphaned_tasks: Vec<String>,
    pub plan_changes: Option<PlanChanges>,
    /// Tasks in the plan (text only).
    #[serde(skip)]
    pub plan_tasks: usize,
    /// `--fix` was given (text only: no advice to run it).
    #[serde(skip)]
    pub fixing: bool,
}

pub(crate) fn text(view: &DoctorView, style: Style) -> String {
    let mut out = match view.events {
        Some(n) => format!("  state  {} ({})\n", view.state, phrase::count(n as i64, "event", "events")),
        None => format!("  state  {} (not readable or not created yet)\n", view.state),
    };
    if let Some(plan) = &view.plan {
        let _ = writeln!(out, "  plan   {plan} ({})", phrase::count(view.plan_tasks as i64, "task", "tasks"));
    }
    for f in &view.findings {
        out.push_str(&finding(f, style));
    }
    out.push_str(&tally(view));
    out
}

fn finding(f: &FindingRow, style: Style) -> String {
    let label = match (f.level, &f.fixed) {
        (_, Some(_)) => style.green("fixed"),
        (Level::Error, _) => style.red("error"),
        (Level::Warning, _) => style.yellow("warning"),
        (Level::Info, _) => style.cyan("note"),
    };
    let mut out = format!("{label}: {}\n", f.message);
    for d in &f.details {
        let _ = writeln!(out, "    {d}");
    }
    match (&f.fixed, &f.hint) {
        (Some(done), _) => {
            let _ = writeln!(out, "  → {done}");
        }
        (None, Some(hint)) => {
            let _ = writeln!(out, "  hint: {hint}");
        }
        (None, None) => {}
    }
    out
}

/// `1 error, 2 warnings; 1 fixable with …` or `No problems found.`
fn tally(view: &DoctorView) -> String {
    let open: Vec<&FindingRow> = view.findings.iter().filter(|f| f.fixed.is_none()).collect();
    let count = |level: Level| open.iter().filter(|f| f.level == level).count() as i64;
    let (errors, warnings) = (count(Level::Error), count(Level::Warning));
    if errors == 0 && warnings == 0 {
        return "No problems found.\n".to_string();
    }
    let fixable = open.iter().filter(|f| f.fixable).count() as i64;
    let mut line =
        format!("{}, {}", phrase::count(errors, "error", "errors"), phrase::count(warnings, "warning", "warnings"));
    if fixable > 0 && !view.fixing {
        let _ = write!(
            line,
            "; {} with `roadmap doctor --fix` (it never deletes progress)",
            phrase::count(fixable, "fixable", "fixable")
        );
    }
    line + ".\n"
}

#[cfg(test)]
mod tests {
    use super::*;

    fn view(findings: Vec<FindingRow>, fixing: bool) -> DoctorView {
        DoctorView {
            state: "s.jsonl".into(),
            plan: Some("built-in x".into()),
            events: Some(1),
            ok: true,
            findings,
            orphaned_tasks: Vec::new(),
            plan_changes: None,
            plan_tasks: 2,
            fixing,
        }
    }

    fn warning(fixed: Option<&str>) -> FindingRow {
        FindingRow {
            level: Level::Warning,
            code: "plan_changed",
            message: "the plan changed".into(),
            details: vec!["added        p1.m.c (4h)".into()],
            hint: Some("run doctor --fix".into()),
            fixable: true,
            fixed: fixed.map(str::to_string),
        }
    }

    #[test]
    fn an_open_fixable_warning_shows_its_hint_and_the_fix_advice() {
        let text = text(&view(vec![warning(None)], false), Style::PLAIN);
        assert_eq!(
            text,
            "  state  s.jsonl (1 event)\n  plan   built-in x (2 tasks)\nwarning: the plan changed\n    added        p1.m.c (4h)\n  hint: run doctor --fix\n0 errors, 1 warning; 1 fixable with `roadmap doctor --fix` (it never deletes progress).\n"
        );
    }

    #[test]
    fn a_fixed_finding_shows_what_was_done_and_counts_as_no_problem() {
        let text = text(&view(vec![warning(Some("recorded the plan"))], true), Style::PLAIN);
        assert!(text.contains("fixed: the plan changed\n"), "{text}");
        assert!(text.contains("  → recorded the plan\n"), "{text}");
        assert!(!text.contains("hint:"), "{text}");
        assert!(text.ends_with("No problems found.\n"), "{text}");
    }

    #[test]
    fn the_json_keeps_the_keys_it_always_had() {
        let json = serde_json::to_value(view(vec![warning(None)], false)).expect("serialises");
        let keys: Vec<&str> = json.as_object().expect("an object").keys().map(String::as_str).collect();
        assert_eq!(keys, ["events", "findings", "ok", "orphaned_tasks", "plan", "plan_changes", "state"]);
        assert_eq!(json["findings"][0]["level"], "warning");
        assert_eq!(json["findings"][0]["fixable"], true);
    }
}
