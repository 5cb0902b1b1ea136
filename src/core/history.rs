//! What the learner's history says about the rest of the plan: the
//! calibration (`calibration`), the remaining work re-estimated with it and
//! the plan end at the calendar's hours, and the Monte Carlo's 50 %/85 %
//! dates (`montecarlo`). `forecast` and `report` show it; `next` never
//! computes it. Pure.

use crate::core::calendar::Calendar;
use crate::core::calibration::{self, Calibration, Reestimate};
use crate::core::effort::Effort;
use crate::core::montecarlo::{self, Ranges};
use crate::core::outlook::Outlook;
use crate::core::plan::Plan;
use crate::core::progress::Progress;
use crate::core::schedule::ScheduleError;
use chrono::NaiveDate;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Serialize)]
pub(crate) struct Learned {
    pub calibration: Calibration,
    /// `null` when there is no calibration (its `reason` says why).
    pub reestimate: Option<Reestimate>,
    /// `null` when there is no calibration or no week to draw from.
    pub ranges: Option<Ranges>,
    /// Why `ranges` is `null`.
    pub ranges_reason: Option<String>,
}

/// The history's forecast at `calendar`; `weekly` fixes the Monte Carlo's
/// weekly hours (else they are drawn from past weeks).
pub(crate) fn learned(
    plan: &Plan,
    progress: &Progress,
    calendar: &Calendar,
    now: &Outlook,
    weekly: Option<Effort>,
    today: NaiveDate,
) -> Result<Learned, ScheduleError> {
    let calibration = calibration::calibrate(plan, progress, &now.work);
    let reestimate = calibration::reestimate(plan, progress, calendar, &calibration, now, today)?;
    let ranges = match (&calibration.factor, &calibration.reason) {
        (None, reason) => Err(reason.clone().unwrap_or_default()),
        (Some(_), _) => {
            let ratios: Vec<f64> = calibration.ratios.iter().map(|r| r.ratio).collect();
            let weeks = weekly.map_or_else(|| montecarlo::past_weeks(progress, today), montecarlo::fixed_weeks);
            montecarlo::ranges(plan, &now.work, &now.order, &ratios, &weeks, weekly.is_some(), today)
        }
    };
    let (ranges, ranges_reason) = match ranges {
        Ok(r) => (Some(r), None),
        Err(reason) => (None, Some(reason)),
    };
    Ok(Learned { calibration, reestimate, ranges, ranges_reason })
}
