//! Verdict and slip phrases: a phase against its window, the plan against
//! its baseline.

use crate::core::phrase::days;
use crate::core::schedule::Verdict;
use crate::core::window::Fit;

/// `on track`, `3 days behind the baseline`, `2 days ahead of the baseline`.
pub(crate) fn slip(n: Option<i64>) -> String {
    match n {
        None | Some(0) => "on track".to_string(),
        Some(d) if d > 0 => format!("{} behind the baseline", days(d)),
        Some(d) => format!("{} ahead of the baseline", days(-d)),
    }
}

/// A phase against its window: `fits 2-3个月`, `ahead of 2-3个月 by 5
/// days`, `over 2-3个月 by 12 days (fits at 15h30m/week)`, or `window
/// 2-3个月` while the phase has no span.
pub(crate) fn verdict(window: &str, verdict: Option<&Verdict>) -> String {
    let mut phrase = fit(window, verdict.map(|v| v.fit));
    if let Some(Verdict { fit: Fit::Over { .. }, weekly_to_fit }) = verdict {
        phrase.push_str(&format!(" ({})", fits_at(*weekly_to_fit)));
    }
    phrase
}

/// A phase's verdict from its parts as a view holds them: the window text
/// (none: no phrase), the fit and the weekly minutes that would fit.
pub(crate) fn of_window(window: Option<&str>, fit: Option<Fit>, weekly_to_fit: Option<u32>) -> Option<String> {
    let verdict = fit.map(|fit| Verdict { fit, weekly_to_fit });
    Some(self::verdict(window?, verdict.as_ref()))
}

/// The verdict without the weekly hours that would fit: `fits 2-3个月`,
/// `ahead of 2-3个月 by 5 days`, `over 2-3个月 by 12 days`, `window 2-3个月`.
pub(crate) fn fit(window: &str, fit: Option<Fit>) -> String {
    match fit {
        None => format!("window {window}"),
        Some(Fit::Fits) => format!("fits {window}"),
        Some(Fit::Ahead { days: n }) => format!("ahead of {window} by {}", days(n)),
        Some(Fit::Over { days: n }) => format!("over {window} by {}", days(n)),
    }
}

/// `p2 Projects: over 1 week by 4 days; it fits at 24h/week`: what `next`
/// and `report` say of a phase over its window.
pub(crate) fn over_window(phase: &str, window: &str, over_by: i64, weekly_to_fit: Option<u32>) -> String {
    let fix = match weekly_to_fit {
        Some(_) => format!("it {}", fits_at(weekly_to_fit)),
        None => fits_at(None),
    };
    format!("{phase}: {}; {fix}", fit(window, Some(Fit::Over { days: over_by })))
}

/// `fits at 15h30m/week`, from the weekly minutes that would fit a phase.
pub(crate) fn fits_at(weekly_to_fit: Option<u32>) -> String {
    match weekly_to_fit {
        Some(minutes) => format!("fits at {}", crate::core::phrase::per_week(i64::from(minutes))),
        None => "no weekly hours up to 168 fit it".to_string(),
    }
}
