//! `roadmap habits`: each habit's consistency over the last weeks, one
//! glyph a day, with adherence and streaks.

use super::Style;
use crate::core::consistency::{Consistency, unit_for};
use crate::core::dates;
use crate::core::habits::{Mark, PeriodMark};
use crate::core::phrase;
use chrono::NaiveDate;
use serde::Serialize;

/// Every habit's record from the Monday `from` to `today`.
#[derive(Debug, Serialize)]
pub(crate) struct HabitsView {
    pub(crate) today: NaiveDate,
    pub(crate) from: NaiveDate,
    pub(crate) weeks: u32,
    pub(crate) habits: Vec<Consistency>,
}

pub(crate) fn text(view: &HabitsView, s: Style) -> String {
    let weeks = phrase::count(i64::from(view.weeks), "week", "weeks");
    let heading = format!("Habits · {weeks} from {} to {}", dates::long(view.from), dates::long(view.today));
    let mut out = format!("{}\n", s.bold(&heading));
    for habit in &view.habits {
        out.push('\n');
        out.push_str(&self::habit(habit, s));
    }
    out.push_str(&format!("\n{}\n", s.dim(&super::fold(super::MARK_LEGEND, s, ""))));
    out
}

/// A habit's four lines: what it asks, its strip, adherence, streaks.
fn habit(c: &Consistency, s: Style) -> String {
    let unit = c.unit.as_deref().map(|u| format!(" {u}")).unwrap_or_default();
    let target =
        if c.target > 1 || c.unit.is_some() { format!(", {}{unit} each time", c.target) } else { String::new() };
    let asks = s.dim(&format!("every {}{target}", c.every));
    let weeks: Vec<String> =
        c.days.chunks(7).map(|week| week.iter().map(|d| super::mark(d.mark, s)).collect()).collect();
    let now = match (&c.period_words, &c.current_period) {
        (Some(words), Some(p)) => format!("  {}\n", period_state(words, p)),
        _ => String::new(),
    };
    let counts =
        format!("{} · {} met, {} partial, {} missed, {} off", adherence(c, &unit), c.met, c.partial, c.missed, c.off);
    format!(
        "{}  {}  {asks}\n  {}\n{now}{}\n  {}\n",
        s.bold(&c.id),
        c.title,
        weeks.join(" "),
        super::fold(&counts, s, "  "),
        streaks(c),
    )
}

/// A period habit's running period, said the period way: `due this
/// fortnight, by Sun 01-17 (planned Sat 01-16)`, `met this fortnight on
/// Wed 01-06`, `not due this fortnight` (inactive in its phase). The one
/// wording every screen uses.
pub(crate) fn period_state(words: &str, p: &PeriodMark) -> String {
    match (p.mark, p.met_on) {
        (Mark::Met, Some(on)) => format!("met {words} on {}", dates::short(on)),
        (Mark::Open, _) => {
            let planned = p.reserved.map(|r| format!(" (planned {})", dates::short(r))).unwrap_or_default();
            let count = if p.count > 0 { format!(", {}/{} so far", p.count, p.target) } else { String::new() };
            format!("due {words}, by {}{planned}{count}", dates::short(p.to))
        }
        (Mark::Off, _) => format!("{words}: days off"),
        _ => format!("not due {words}"),
    }
}

/// `80% adherence (12/15 题 over 5 due days)`, `nothing due yet`; a period
/// habit counts periods.
fn adherence(c: &Consistency, unit: &str) -> String {
    let (one, many) = if c.kind == "period" { ("period", "periods") } else { ("due day", "due days") };
    match c.adherence_percent {
        Some(p) => format!(
            "{p}% adherence ({}/{}{unit} over {})",
            c.done,
            c.target_total,
            phrase::count(i64::from(c.due_days), one, many)
        ),
        None => "nothing due yet".to_string(),
    }
}

/// `streak 3 days · longest 5 days`.
fn streaks(c: &Consistency) -> String {
    let (now, longest) = (c.streak, c.longest_streak);
    format!("streak {now} {} · longest {longest} {}", unit_for(now, c.streak_unit), unit_for(longest, c.streak_unit))
}
