//! `roadmap habits`: each habit's consistency over the last weeks, one
//! glyph a day, with adherence and streaks.

use super::Style;
use crate::core::consistency::{Consistency, unit_for};
use crate::core::dates;
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
    out.push_str(&format!("\n{}\n", s.dim(super::MARK_LEGEND)));
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
    format!(
        "{}  {}  {asks}\n  {}\n  {} · {} met, {} partial, {} missed, {} off\n  {}\n",
        s.bold(&c.id),
        c.title,
        weeks.join(" "),
        adherence(c, &unit),
        c.met,
        c.partial,
        c.missed,
        c.off,
        streaks(c),
    )
}

/// `80% adherence (12/15 题 over 5 due days)`, `nothing due yet`.
fn adherence(c: &Consistency, unit: &str) -> String {
    match c.adherence_percent {
        Some(p) => format!(
            "{p}% adherence ({}/{}{unit} over {})",
            c.done,
            c.target_total,
            phrase::count(i64::from(c.due_days), "due day", "due days")
        ),
        None => "nothing due yet".to_string(),
    }
}

/// `streak 3 days · longest 5 days`.
fn streaks(c: &Consistency) -> String {
    let (now, longest) = (c.streak, c.longest_streak);
    format!("streak {now} {} · longest {longest} {}", unit_for(now, c.streak_unit), unit_for(longest, c.streak_unit))
}
