//! Summary lines that several screens share: a phase's progress against
//! its window, and the plan's health against the baseline.

use crate::core::outlook::{Outlook, phase_effort, slip};
use crate::core::phrase;
use crate::core::plan::Plan;
use crate::core::progress::Progress;
use crate::core::schedule::Verdict;
use crate::core::window::Fit;
use crate::render::verdict;
use chrono::NaiveDate;
use serde::Serialize;
use std::fmt::Write;

/// `fits 2-3个月`, `ahead of 2-3个月 by 5 days`, `over 2-3个月 by 12 days
/// (fits at 15h30m/week)`.
pub fn verdict_text(plan: &Plan, phase: usize, verdict: Option<&Verdict>) -> String {
    match plan.phases[phase].duration.as_ref() {
        Some(window) => verdict::verdict(&window.text, verdict),
        None => String::new(),
    }
}

/// `on track`, `3 days behind the baseline`, `2 days ahead of the baseline`.
pub fn slip_text(days: Option<i64>) -> String {
    verdict::slip(days)
}

/// The one health line: slip and the forecast plan end.
pub fn health_line(progress: &Progress, outlook: &Outlook) -> String {
    health(outlook.schedule.end, progress.baseline.end)
}

/// The health line from the forecast end and the baseline's.
pub fn health(end: Option<NaiveDate>, base: Option<NaiveDate>) -> String {
    let mut line = slip_text(slip(end, base));
    let capital = line.remove(0).to_ascii_uppercase();
    line.insert(0, capital);
    match (end, base) {
        (Some(end), Some(base)) if end != base => format!("{line} · plan ends {end} (baseline {base})"),
        (Some(end), _) => format!("{line} · plan ends {end}"),
        (None, _) => format!("{line} · nothing left to schedule"),
    }
}

/// One phase's progress against its window, as figures.
#[derive(Debug, Serialize)]
pub(crate) struct PhaseLine {
    pub id: String,
    pub title: String,
    pub earned_minutes: u32,
    pub total_minutes: u32,
    pub forecast_end: Option<NaiveDate>,
    /// The phase's window as the plan writes it (`2-3个月`).
    pub window: Option<String>,
    pub verdict: Option<Fit>,
    pub weekly_minutes_to_fit: Option<u32>,
}

impl PhaseLine {
    /// The phase's figures as the outlook has them now.
    pub(crate) fn of(plan: &Plan, progress: &Progress, outlook: &Outlook, phase: usize) -> PhaseLine {
        let (total, earned) = phase_effort(plan, progress, &outlook.work, phase);
        let p = &plan.phases[phase];
        let verdict = outlook.verdict(plan, phase);
        PhaseLine {
            id: p.id.clone(),
            title: p.title.clone(),
            earned_minutes: earned.minutes(),
            total_minutes: total.minutes(),
            forecast_end: outlook.schedule.phases[phase].map(|span| span.last),
            window: p.duration.as_ref().map(|w| w.text.clone()),
            verdict: verdict.map(|v| v.fit),
            weekly_minutes_to_fit: verdict.and_then(|v| v.weekly_to_fit),
        }
    }
}

/// `p4 高阶项目与实习准备: 36h of 97h (37%) · forecast end 2027-03-18 · fits 2-3个月`
pub fn phase_line(plan: &Plan, progress: &Progress, outlook: &Outlook, phase: usize) -> String {
    phase_text(&PhaseLine::of(plan, progress, outlook, phase))
}

/// The phase line from its figures.
pub(crate) fn phase_text(p: &PhaseLine) -> String {
    let mut line = format!(
        "{} {}: {} of {} ({}%)",
        p.id,
        p.title,
        phrase::hours(i64::from(p.earned_minutes)),
        phrase::hours(i64::from(p.total_minutes)),
        super::percent(p.earned_minutes, p.total_minutes)
    );
    if let Some(end) = p.forecast_end {
        let _ = write!(line, " · forecast end {end}");
    }
    if let Some(window) = &p.window {
        let v = p.verdict.map(|fit| Verdict { fit, weekly_to_fit: p.weekly_minutes_to_fit });
        let _ = write!(line, " · {}", verdict::verdict(window, v.as_ref()));
    }
    line
}
