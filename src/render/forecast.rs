//! `roadmap forecast`: the what-if beside today's forecast, phase by phase,
//! with the windows each would fit. The view is the core's `WhatIf`.

use super::Style;
use super::table::{self, Cell, cell, right};
use super::verdict;
use crate::core::effort::Effort;
use crate::core::forecast::{PhaseWhatIf, WhatIf, WindowVerdict};
use crate::core::phrase;
use crate::core::window::Fit;
use chrono::NaiveDate;

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
        Some(d) => format!("{d:+}d"),
    }
}

/// `fits`, `ahead by 4 days`, `over by 4 days`, red when over and colour is on.
fn verdict_cell(w: &Option<WindowVerdict>, s: Style) -> Cell {
    let fit = w.as_ref().and_then(|w| w.as_verdict()).map(|v| v.fit);
    let text = fit.map_or(String::new(), |f| f.to_string());
    table::red_if(text, matches!(fit, Some(Fit::Over { .. })), s)
}
