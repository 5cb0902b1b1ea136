//! `roadmap validate`: a valid plan's summary, with each phase against its
//! window at the default calendar, or why that calendar cannot schedule it.

use super::Style;
use super::routes::{FilledDay, TrackRoute, filled_lines};
use super::table::{self, cell, right};
use super::verdict;
use crate::core::phrase;
use crate::core::window::Fit;
use chrono::NaiveDate;
use serde::Serialize;

/// A valid plan, schedulable at the default calendar or not.
#[derive(Debug, Serialize)]
#[serde(untagged)]
pub(crate) enum ValidateView {
    Schedulable(ValidPlan),
    Unschedulable(UnschedulablePlan),
}

/// A valid plan that the default calendar schedules.
#[derive(Debug, Serialize)]
pub(crate) struct ValidPlan {
    /// Always true: an invalid plan has no view, only its errors.
    pub(crate) valid: bool,
    pub(crate) source: String,
    pub(crate) id: String,
    pub(crate) title: String,
    pub(crate) tracks: Vec<String>,
    /// Number of modules (text only).
    #[serde(skip)]
    pub(crate) modules: usize,
    pub(crate) habits: usize,
    pub(crate) tasks: usize,
    pub(crate) effort_minutes: u32,
    /// The day the default calendar starts (text only).
    #[serde(skip)]
    pub(crate) from: NaiveDate,
    pub(crate) phases: Vec<ValidPhase>,
    /// Each track followed alone at the default calendar.
    pub(crate) routes: Vec<TrackRoute>,
    /// The weekdays whose fixed-day habits take all their default hours.
    pub(crate) filled_weekdays: Vec<FilledDay>,
}

/// One phase at the default calendar.
#[derive(Debug, Serialize)]
pub(crate) struct ValidPhase {
    pub(crate) id: String,
    pub(crate) title: String,
    pub(crate) modules: usize,
    pub(crate) tasks: usize,
    pub(crate) effort_minutes: u32,
    /// Its window, as the plan wrote it.
    pub(crate) duration: Option<String>,
    pub(crate) span_days: Option<i64>,
    pub(crate) verdict: Option<Fit>,
    pub(crate) weekly_minutes_to_fit: Option<u32>,
}

/// A valid plan that the default calendar cannot schedule (habits take
/// every hour, say).
#[derive(Debug, Serialize)]
pub(crate) struct UnschedulablePlan {
    pub(crate) valid: bool,
    pub(crate) source: String,
    pub(crate) id: String,
    pub(crate) title: String,
    pub(crate) tasks: usize,
    pub(crate) effort_minutes: u32,
    /// Always false.
    pub(crate) schedulable: bool,
    pub(crate) reason: String,
    pub(crate) filled_weekdays: Vec<FilledDay>,
}

pub(crate) fn text(view: &ValidateView, style: Style) -> String {
    match view {
        ValidateView::Schedulable(plan) => valid(plan, style),
        ValidateView::Unschedulable(plan) => unschedulable(plan),
    }
}

fn valid(plan: &ValidPlan, style: Style) -> String {
    let mut out = format!("{}: valid plan `{}` · {}\n", plan.source, plan.id, plan.title);
    out.push_str(&format!(
        "  {}, {}, {}, {}{}, {} of work\n",
        phrase::count(plan.phases.len() as i64, "phase", "phases"),
        phrase::count(plan.modules as i64, "module", "modules"),
        phrase::count(plan.tasks as i64, "task", "tasks"),
        phrase::count(plan.habits as i64, "habit", "habits"),
        tracks(&plan.tracks),
        phrase::hours(i64::from(plan.effort_minutes)),
    ));
    out.push_str(&format!("  At the default calendar (2h Mon–Fri, 4h Sat–Sun, all tracks) from {}:\n", plan.from));
    out.push_str(&phase_table(&plan.phases, style));
    if !plan.routes.is_empty() {
        out.push_str("  Each track followed alone, at the same calendar:\n");
        for route in &plan.routes {
            out.push_str(&route_line(route));
        }
    }
    out.push_str(&filled_lines(&plan.filled_weekdays, "  "));
    out
}

/// `    academic 学术路线: p6 860h, 378 days, fits 1-N年 · plan ends 2028-12-13`
fn route_line(route: &TrackRoute) -> String {
    let phases: Vec<String> = route
        .phases
        .iter()
        .map(|p| {
            let mut text = format!("{} {}", p.id, phrase::hours(i64::from(p.effort_minutes)));
            if let Some(span) = p.span_days {
                text.push_str(&format!(", {}", phrase::days(span)));
            }
            if let Some(window) = verdict::of_window(p.duration.as_deref(), p.verdict, p.weekly_minutes_to_fit) {
                text.push_str(&format!(", {window}"));
            }
            text
        })
        .collect();
    let end = route.end.map(|e| format!(" · plan ends {e}")).unwrap_or_default();
    format!("    {} {}: {}{end}\n", route.id, route.title, phases.join("; "))
}

/// `, 2 tracks (a, b)`, or nothing for a plan without tracks.
fn tracks(ids: &[String]) -> String {
    if ids.is_empty() {
        return String::new();
    }
    format!(", {} ({})", phrase::count(ids.len() as i64, "track", "tracks"), ids.join(", "))
}

fn phase_table(phases: &[ValidPhase], style: Style) -> String {
    let mut t = table::plain(style);
    t.set_header(vec!["phase", "title", "tasks", "effort", "span", "window"]);
    for phase in phases {
        t.add_row(vec![
            cell(&phase.id),
            cell(&phase.title),
            right(phase.tasks.to_string()),
            right(phrase::hours(i64::from(phase.effort_minutes))),
            right(phase.span_days.map_or("-".to_string(), phrase::days)),
            cell(window(phase)),
        ]);
    }
    table::render(&t)
}

/// The phase against its window, or nothing without one.
fn window(phase: &ValidPhase) -> String {
    verdict::of_window(phase.duration.as_deref(), phase.verdict, phase.weekly_minutes_to_fit).unwrap_or_default()
}

fn unschedulable(plan: &UnschedulablePlan) -> String {
    let first = plan.reason.lines().next().unwrap_or(&plan.reason);
    let mut out = format!(
        "{}: valid plan `{}` · {}\n  {}, {} of work\n  At the default calendar (2h Mon–Fri, 4h Sat–Sun) it cannot be scheduled: {first}\n",
        plan.source,
        plan.id,
        plan.title,
        phrase::count(plan.tasks as i64, "task", "tasks"),
        phrase::hours(i64::from(plan.effort_minutes))
    );
    out.push_str(&filled_lines(&plan.filled_weekdays, "  "));
    out
}
