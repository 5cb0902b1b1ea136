//! `roadmap off`: days off added, removed and listed.

use super::record::{Created, created};
use super::summary;
use crate::core::calendar::DayOff;
use crate::core::dates;
use crate::core::phrase;
use chrono::NaiveDate;
use serde::Serialize;
use std::fmt::Write;

/// One range of days off, both ends included.
#[derive(Debug, Serialize)]
pub(crate) struct DayOffRow {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub days: i64,
    pub note: Option<String>,
}

impl DayOffRow {
    pub(crate) fn of(off: &DayOff) -> DayOffRow {
        DayOffRow { from: off.from, to: off.to, days: (off.to - off.from).num_days() + 1, note: off.note.clone() }
    }
}

/// The plan's forecast end against its baseline.
#[derive(Debug, Serialize)]
pub(crate) struct Health {
    pub forecast_end: Option<NaiveDate>,
    pub baseline_end: Option<NaiveDate>,
}

/// Days off added, and the plan's health with them.
#[derive(Debug, Serialize)]
pub(crate) struct AddedView {
    pub created: Option<Created>,
    pub added: DayOffRow,
    pub health: Health,
}

/// Days off removed.
#[derive(Debug, Serialize)]
pub(crate) struct RemovedView {
    pub created: Option<Created>,
    pub removed: Vec<DayOffRow>,
}

/// `Wed 2027-02-10 – Wed 2027-02-17 (8 days) 春节`
pub(crate) fn describe(r: &DayOffRow) -> String {
    let span = if r.from == r.to {
        dates::long(r.from)
    } else {
        format!("{} – {} ({})", dates::long(r.from), dates::long(r.to), phrase::days(r.days))
    };
    match &r.note {
        Some(note) => format!("{span} {note}"),
        None => span,
    }
}

pub(crate) fn list(rows: &[DayOffRow]) -> String {
    if rows.is_empty() {
        return "No days off.\n".to_string();
    }
    rows.iter().map(|r| format!("  {}\n", describe(r))).collect()
}

pub(crate) fn added(view: &AddedView) -> String {
    let mut out = created(view.created.as_ref());
    let _ = writeln!(out, "Days off: {}", describe(&view.added));
    let _ = writeln!(out, "  {}", summary::health(view.health.forecast_end, view.health.baseline_end));
    out
}

pub(crate) fn removed(view: &RemovedView) -> String {
    let mut out = created(view.created.as_ref());
    for r in &view.removed {
        let _ = writeln!(out, "Removed days off {}", describe(r));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_range_names_both_ends_and_its_length_a_single_day_only_the_day() {
        let d = |day| NaiveDate::from_ymd_opt(2027, 2, day).expect("a date");
        let range = DayOffRow::of(&DayOff { from: d(10), to: d(17), note: Some("春节".into()) });
        let one = DayOffRow::of(&DayOff { from: d(3), to: d(3), note: None });
        assert_eq!(range.days, 8);
        assert_eq!(list(&[range, one]), "  Wed 2027-02-10 – Wed 2027-02-17 (8 days) 春节\n  Wed 2027-02-03\n");
        assert_eq!(list(&[]), "No days off.\n");
    }
}
