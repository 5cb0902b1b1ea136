//! Summary lines that several screens share: a phase's progress against
//! its window, and the plan's health against the baseline.

use crate::core::outlook::{Outlook, phase_effort, slip};
use crate::core::phrase;
use crate::core::plan::Plan;
use crate::core::progress::Progress;
use crate::core::schedule::Verdict;
use crate::render::verdict;
use chrono::NaiveDate;

/// `fits 2-3个月`, `ahead of 2-3个月 by 5 days`, `over 2-3个月 by 12 days
/// (fits at 15.5 h/week)`.
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
    health_text(outlook.schedule.end, progress.baseline.end)
}

/// The health line from the forecast end and the baseline end.
pub(crate) fn health_text(end: Option<NaiveDate>, base: Option<NaiveDate>) -> String {
    let mut line = slip_text(slip(end, base));
    let capital = line.remove(0).to_ascii_uppercase();
    line.insert(0, capital);
    match (end, base) {
        (Some(end), Some(base)) if end != base => format!("{line} · plan ends {end} (baseline {base})"),
        (Some(end), _) => format!("{line} · plan ends {end}"),
        (None, _) => format!("{line} · nothing left to schedule"),
    }
}

/// `p4 高阶项目与实习准备: 36h of 97h (37%) · forecast end 2027-03-18 · fits 2-3个月`
pub fn phase_line(plan: &Plan, progress: &Progress, outlook: &Outlook, phase: usize) -> String {
    let (total, earned) = phase_effort(plan, progress, &outlook.work, phase);
    let p = &plan.phases[phase];
    let mut line = format!(
        "{} {}: {} of {} ({}%)",
        p.id,
        p.title,
        phrase::hours(i64::from(earned.minutes())),
        phrase::hours(i64::from(total.minutes())),
        super::percent(earned.minutes(), total.minutes())
    );
    if let Some(span) = outlook.schedule.phases[phase] {
        line.push_str(&format!(" · forecast end {}", span.last));
    }
    let verdict = verdict_text(plan, phase, outlook.verdicts[phase].as_ref());
    if !verdict.is_empty() {
        line.push_str(&format!(" · {verdict}"));
    }
    line
}
