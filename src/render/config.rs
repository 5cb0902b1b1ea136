//! `roadmap config` (the settings in force, after a change) and `roadmap
//! rebaseline` (the baseline replaced).

use super::off::DayOffRow;
use super::record::{Created, created};
use super::routes::{FilledDay, filled_lines};
use crate::core::calendar::WeekHours;
use crate::core::phrase;
use chrono::NaiveDate;
use serde::Serialize;
use std::fmt::Write;

/// The settings in force; `--json` serialises it (`docs/json.md`).
#[derive(Debug, Serialize)]
pub(crate) struct ConfigView {
    /// The state file was created for the change (text only).
    #[serde(skip)]
    pub created: Option<Created>,
    /// The settings were just changed (text only).
    #[serde(skip)]
    pub changed: bool,
    pub state: String,
    pub saved: bool,
    pub plan: String,
    pub start: NaiveDate,
    pub hours: WeekHours,
    pub weekly_minutes: u32,
    pub tracks: Vec<String>,
    pub all_tracks: bool,
    /// The plan declares tracks (the text shows them only then).
    #[serde(skip)]
    pub plan_has_tracks: bool,
    pub days_off: Vec<DayOffRow>,
    pub baseline_end: Option<NaiveDate>,
    /// The weekdays whose fixed-day habits take all their hours.
    pub filled_weekdays: Vec<FilledDay>,
}

/// The baseline before and after `rebaseline`.
#[derive(Debug, Serialize)]
pub(crate) struct RebaselineView {
    pub old_end: Option<NaiveDate>,
    pub new_end: Option<NaiveDate>,
}

/// `mon-fri=2h,sat-sun=4h (18h/week)`
pub(crate) fn week(hours: WeekHours) -> String {
    format!("{hours} ({})", phrase::per_week(i64::from(hours.weekly().minutes())))
}

pub(crate) fn text(view: &ConfigView) -> String {
    let mut out = created(view.created.as_ref());
    if view.changed {
        out.push_str("Settings changed; the baseline stays (`roadmap rebaseline --yes` replaces it).\n");
    }
    let _ = writeln!(out, "  state     {}{}", view.state, if view.saved { "" } else { " (not created yet)" });
    let _ = writeln!(out, "  plan      {}", view.plan);
    let _ = writeln!(out, "  start     {}", view.start);
    let _ = writeln!(out, "  hours     {}", week(view.hours));
    if view.plan_has_tracks {
        let all = if view.all_tracks { " (all)" } else { "" };
        let _ = writeln!(out, "  tracks    {}{all}", view.tracks.join(", "));
    }
    let _ = writeln!(out, "  days off  {}", view.days_off.len());
    if let Some(end) = view.baseline_end {
        let _ = writeln!(out, "  baseline  plan end {end}");
    }
    out.push_str(&filled_lines(&view.filled_weekdays, "  "));
    out
}

pub(crate) fn rebaselined(view: &RebaselineView) -> String {
    let show = |d: Option<NaiveDate>| d.map_or("-".to_string(), |d| d.to_string());
    format!("Baseline replaced: plan end {} (was {})\n", show(view.new_end), show(view.old_end))
}
