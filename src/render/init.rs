//! `roadmap init`: what is tracked from now on.

use super::config::week;
use super::routes::{self, FilledDay, RouteChoice};
use crate::core::calendar::WeekHours;
use crate::core::dates;
use chrono::NaiveDate;
use serde::Serialize;
use std::fmt::Write;

/// The new state: its plan, calendar, tracks and baseline.
#[derive(Debug, Serialize)]
pub(crate) struct InitView {
    /// Where the old state was copied, when there was one.
    pub backup: Option<String>,
    pub plan: String,
    pub title: String,
    pub state: String,
    pub start: NaiveDate,
    pub hours: WeekHours,
    /// The tracks selected (`None`: all of them).
    pub tracks: Option<Vec<String>>,
    /// Every track the plan declares.
    pub plan_tracks: Vec<String>,
    pub baseline_end: Option<NaiveDate>,
    /// The plan's routes, each followed alone (`None`: no tracks).
    pub routes: Option<RouteChoice>,
    /// The weekdays whose fixed-day habits take all their hours.
    pub filled: Vec<FilledDay>,
}

pub(crate) fn text(view: &InitView) -> String {
    let mut out = String::new();
    if let Some(backup) = &view.backup {
        let _ = writeln!(out, "Backed up the old state to {backup}");
    }
    let _ = writeln!(out, "Tracking {} · {}", view.plan, view.title);
    let _ = writeln!(out, "  state    {}", view.state);
    let _ = writeln!(out, "  start    {}", dates::long(view.start));
    let _ = writeln!(out, "  hours    {}", week(view.hours));
    if !view.plan_tracks.is_empty() {
        let shown = match &view.tracks {
            Some(list) => list.join(", "),
            None => format!("all ({})", view.plan_tracks.join(", ")),
        };
        let _ = writeln!(out, "  tracks   {shown}");
    }
    if let Some(end) = view.baseline_end {
        let _ = writeln!(out, "  baseline plan end {end}");
    }
    if let Some(choice) = &view.routes {
        out.push_str(&routes::choice_lines(choice, "roadmap config", "  "));
    }
    out.push_str(&routes::filled_lines(&view.filled, "  "));
    let _ = writeln!(out, "Next: `roadmap next` shows today's work.");
    out
}
