//! `roadmap forecast`: the what-if beside today's forecast, phase by phase,
//! with the windows each would fit. The view is the core's `WhatIf`.

use super::Style;
use super::table::{self, Cell, cell, right};
use super::verdict;
use crate::core::calibration::{GroupFactor, MIN_FINISHED, times};
use crate::core::effort::Effort;
use crate::core::forecast::{PhaseWhatIf, WhatIf, WindowVerdict};
use crate::core::history::Learned;
use crate::core::montecarlo::Ranges;
use crate::core::phrase;
use crate::core::window::Fit;
use chrono::NaiveDate;
use serde::Serialize;

/// `roadmap forecast`'s view: the what-if (when other hours were given)
/// beside what the history says. The what-if's fields stay at the top
/// level of the JSON; the history is under `history`.
#[derive(Debug, Serialize)]
pub(crate) struct ForecastView {
    #[serde(flatten)]
    pub what_if: Option<WhatIf>,
    pub history: Learned,
}

pub(crate) fn view_text(v: &ForecastView, s: Style) -> String {
    let mut out = match &v.what_if {
        Some(w) => format!("{}\n", text(w, s)),
        None => String::new(),
    };
    out.push_str(&format!("{}\n", s.bold("From your history")));
    let at = if v.what_if.is_some() { "these hours" } else { "the calendar's hours" };
    out.push_str(&history_text(&v.history, at, s));
    if v.what_if.is_none() {
        out.push_str(&format!(
            "\n{}\n",
            s.dim("`roadmap forecast --weekly 15h` or `--hours mon-fri=3,sat-sun=5` sets other hours beside these.")
        ));
    }
    out
}

/// The calibration line, the re-estimated end and the ranges, as lines.
pub(crate) fn history_text(l: &Learned, at: &str, s: Style) -> String {
    let mut out = String::new();
    let c = &l.calibration;
    let (Some(factor), Some(r)) = (c.factor, &l.reestimate) else {
        let reason = c.reason.clone().unwrap_or_default();
        out.push_str(&format!("{}\n", super::fold(&format!("No calibration yet: {reason}."), s, "  ")));
        return out;
    };
    let takes = format!(
        "Your tasks take {} their estimate ({}): {} planned → ~{}.",
        times(factor),
        phrase::count(c.finished as i64, "finished task", "finished tasks"),
        whole_hours(r.planned_minutes),
        whole_hours(r.calibrated_minutes),
    );
    out.push_str(&format!("{}\n", super::fold(&takes, s, "  ")));
    if let Some(end) = r.end_calibrated {
        let now = r.end_now.map_or(String::new(), |n| format!(" instead of {n}"));
        let line = format!("At {at} the plan would end {end}{now} ({}).", change(r.change_days));
        out.push_str(&format!("{}\n", super::fold(&line, s, "  ")));
    }
    for (label, noun, gs) in [("By track", "track", &c.tracks), ("By tag", "tag", &c.tags)] {
        if let Some(line) = groups_line(label, noun, gs, factor) {
            out.push_str(&format!("{}\n", s.dim(&super::fold(&line, s, "  "))));
        }
    }
    match (&l.ranges, &l.ranges_reason) {
        (Some(m), _) => out.push_str(&ranges_text(m, s)),
        (None, Some(reason)) => {
            out.push_str(&format!("{}\n", super::fold(&format!("No finish-date range: {reason}."), s, "  ")))
        }
        (None, None) => {}
    }
    out
}

/// `By track: core 1.3× (4 tasks); 2 other tracks with fewer than 3 take the plan's 1.5×.`
fn groups_line(label: &str, noun: &str, gs: &[GroupFactor], plan: f64) -> Option<String> {
    let own: Vec<String> = gs
        .iter()
        .filter(|g| g.source == "group")
        .filter_map(|g| {
            Some(format!("{} {} ({})", g.id, times(g.factor?), phrase::count(g.finished as i64, "task", "tasks")))
        })
        .collect();
    let fallback = gs.len() - own.len();
    let rest = (fallback > 0).then(|| {
        let other = if own.is_empty() { "" } else { "other " };
        format!(
            "{} {other}with fewer than {MIN_FINISHED} finished take the plan's {}",
            phrase::count(fallback as i64, noun, &format!("{noun}s")),
            times(plan)
        )
    });
    let parts: Vec<String> = [(!own.is_empty()).then(|| own.join(", ")), rest].into_iter().flatten().collect();
    (!parts.is_empty()).then(|| format!("{label}: {}.", parts.join("; ")))
}

fn ranges_text(m: &Ranges, s: Style) -> String {
    let source = if m.weekly_source == "fixed" {
        format!("{} every week", phrase::per_week(i64::from(m.weeks.first().copied().unwrap_or(0))))
    } else {
        format!("the hours of your last {}", phrase::count(m.weeks.len() as i64, "week", "weeks"))
    };
    let mut out = format!(
        "  Over {} runs of your ratios and {source}: the plan ends by {} (50 %) or {} (85 %).\n",
        m.runs,
        date(m.plan.p50),
        date(m.plan.p85)
    );
    let mut t = table::plain(s);
    t.set_header(vec!["Phase", "50 %", "85 %"]);
    for p in &m.phases {
        t.add_row(vec![cell(format!("{} {}", p.id, p.title)), cell(date(p.range.p50)), cell(date(p.range.p85))]);
    }
    out.push_str(&table::render(&t));
    out
}

/// `1,249h`: whole hours, rounded, with thousands separators.
pub(crate) fn whole_hours(e: Effort) -> String {
    let hours = (u64::from(e.minutes()) + 30) / 60;
    let digits = hours.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    format!("{out}h")
}

pub(crate) fn text(w: &WhatIf, s: Style) -> String {
    let mut out = format!("{}\n\n", s.bold(&heading(w)));
    out.push_str(&phase_table(w, s));
    if let Some(base) = w.baseline_end {
        out.push_str(&format!("  {}\n", s.dim(&format!("The baseline ends the plan on {base}."))));
    }
    let over = over_windows(&w.phases);
    if !over.is_empty() {
        out.push_str("\nWith these hours:\n");
        for line in over {
            out.push_str(&format!("  {}\n", s.red(&line)));
        }
    }
    out.push_str(&format!("\nNothing was changed; `roadmap config --hours {}` would make it so.\n", w.hours_what_if));
    out
}

/// `What if: mon-fri=3h (15h/week) instead of … (…/week), from 2027-01-04`.
fn heading(w: &WhatIf) -> String {
    format!(
        "What if: {} ({}) instead of {} ({}), from {}",
        w.hours_what_if,
        weekly(w.weekly_minutes_what_if),
        w.hours_now,
        weekly(w.weekly_minutes_now),
        w.today
    )
}

fn phase_table(w: &WhatIf, s: Style) -> String {
    let mut t = table::plain(s);
    t.set_header(vec!["Phase", "window", "end now", "what if", "change", "now", "what if"]);
    for p in &w.phases {
        let window = p.window_now.as_ref().map_or(String::new(), |v| v.window.clone());
        t.add_row(vec![
            cell(format!("{} {}", p.id, p.title)),
            cell(window),
            cell(date(p.end_now)),
            cell(date(p.end_what_if)),
            right(change(p.change_days)),
            verdict_cell(&p.window_now, s),
            verdict_cell(&p.window_what_if, s),
        ]);
    }
    t.add_row(vec![
        cell("Plan"),
        cell(""),
        cell(date(w.end_now)),
        cell(date(w.end_what_if)),
        right(change(w.change_days)),
    ]);
    table::render(&t)
}

/// What each phase over its window under the other hours would need.
fn over_windows(phases: &[PhaseWhatIf]) -> Vec<String> {
    let over = |p: &PhaseWhatIf| {
        let v = p.window_what_if.as_ref()?;
        let days = v.days.filter(|_| v.verdict == Some("over"))?;
        let phase = format!("{} {}", p.id, p.title);
        Some(verdict::over_window(&phase, &v.window, days, v.weekly_minutes_to_fit))
    };
    phases.iter().filter_map(over).collect()
}

fn weekly(effort: Effort) -> String {
    phrase::per_week(i64::from(effort.minutes()))
}

fn date(d: Option<NaiveDate>) -> String {
    d.map_or("–".to_string(), |d| d.to_string())
}

/// `-7d`, `+2d`, `same day`.
fn change(days: Option<i64>) -> String {
    match days {
        None => String::new(),
        Some(0) => "same day".to_string(),
        Some(d) => super::signed_days(d),
    }
}

/// `fits`, `ahead by 4 days`, `over by 4 days`, red when over and colour is on.
fn verdict_cell(w: &Option<WindowVerdict>, s: Style) -> Cell<'static> {
    let fit = w.as_ref().and_then(|w| w.as_verdict()).map(|v| v.fit);
    let text = fit.map_or(String::new(), |f| f.to_string());
    table::red_if(text, matches!(fit, Some(Fit::Over { .. })), s)
}
