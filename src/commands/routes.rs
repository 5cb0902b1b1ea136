//! The plan's routes (its tracks) and the weekdays that habits fill, as
//! `init`, `config`, `validate` and the zero-setup preview name them: each
//! route scheduled on its own at a calendar, every task open.

use crate::core::calendar::{Calendar, WeekHours};
use crate::core::outlook::Outlook;
use crate::core::plan::Plan;
use crate::core::reserve::filled_weekdays;
use crate::core::schedule::Work;
use crate::render::routes::{FilledDay, PreviewIntro, RouteChoice, RoutePhase, TrackRoute};
use chrono::NaiveDate;

/// Every task open; the tasks of tracks outside `selected` (`None`: all)
/// out of the schedule.
pub(crate) fn open_work(plan: &Plan, selected: Option<&str>) -> Vec<Work> {
    let chosen = |track: Option<&str>| match (selected, track) {
        (Some(want), Some(has)) => want == has,
        _ => true,
    };
    plan.tasks
        .iter()
        .map(|t| {
            if chosen(t.track.as_deref()) { Work::Open { remaining: t.effort, first: None } } else { Work::Unselected }
        })
        .collect()
}

/// The phases of an outlook that hold a task `keep` lets through, with
/// effort, span and verdict.
fn phases_of(plan: &Plan, outlook: &Outlook, keep: impl Fn(usize) -> bool) -> Vec<RoutePhase> {
    (0..plan.phases.len())
        .filter(|&p| plan.phases[p].tasks.clone().any(&keep))
        .map(|p| {
            let phase = &plan.phases[p];
            let selected = |i: &usize| keep(*i) && !matches!(outlook.work[*i], Work::Unselected);
            let effort = phase.tasks.clone().filter(selected).map(|i| plan.tasks[i].effort.minutes()).sum();
            let verdict = outlook.verdict(plan, p);
            RoutePhase {
                id: phase.id.clone(),
                title: phase.title.clone(),
                effort_minutes: effort,
                duration: phase.duration.as_ref().map(|d| d.text.clone()),
                span_days: outlook.schedule.phases[p].map(|s| s.days()),
                verdict: verdict.map(|v| v.fit),
                weekly_minutes_to_fit: verdict.and_then(|v| v.weekly_to_fit),
            }
        })
        .collect()
}

/// Each track followed alone at `calendar` from `from`, with the phases
/// that hold its tasks; a track the calendar cannot schedule is left out.
pub(crate) fn each_track(plan: &Plan, calendar: &Calendar, from: NaiveDate) -> Vec<TrackRoute> {
    plan.tracks
        .iter()
        .filter_map(|track| {
            let work = open_work(plan, Some(&track.id));
            let outlook = Outlook::with_calendar(plan, calendar, work, from).ok()?;
            let ours = |i: usize| plan.tasks[i].track.as_deref() == Some(track.id.as_str());
            Some(TrackRoute {
                id: track.id.clone(),
                title: track.title.clone(),
                phases: phases_of(plan, &outlook, ours),
                end: outlook.schedule.end,
            })
        })
        .collect()
}

/// The choice a plan with tracks offers, at `hours` from `from`: each
/// track alone, and the phases that hold tracked tasks with every track
/// followed. `None` for a plan without tracks.
pub(crate) fn choice(plan: &Plan, hours: WeekHours, from: NaiveDate, chosen: Option<&[String]>) -> Option<RouteChoice> {
    if plan.tracks.is_empty() {
        return None;
    }
    let calendar = Calendar::new(from, hours);
    let all = Outlook::with_calendar(plan, &calendar, open_work(plan, None), from).ok();
    Some(choice_beside(plan, &calendar, from, chosen, all.as_ref()))
}

/// `choice` with the outlook of every track followed already made (`all`:
/// every task open at `calendar` from `from`; `None`: it could not be).
fn choice_beside(
    plan: &Plan,
    calendar: &Calendar,
    from: NaiveDate,
    chosen: Option<&[String]>,
    all: Option<&Outlook>,
) -> RouteChoice {
    let tracked = |i: usize| plan.tasks[i].track.is_some();
    RouteChoice {
        routes: each_track(plan, calendar, from),
        all_tracks: all.map(|o| phases_of(plan, o, tracked)).unwrap_or_default(),
        all_end: all.and_then(|o| o.schedule.end),
        chosen: chosen.map(<[String]>::to_vec),
    }
}

/// The weekdays whose fixed-day habits take all their `hours`.
pub(crate) fn filled(plan: &Plan, hours: WeekHours) -> Vec<FilledDay> {
    filled_weekdays(plan, hours).iter().map(|f| FilledDay::of(plan, f, hours)).collect()
}

/// What the zero-setup preview adds: the plan's summary and its routes.
/// `every_track` is the preview's own outlook: every task open, every
/// track followed, on a calendar of `hours` from `from` with no day off,
/// which is the outlook `choice` makes for the phases of every track; it
/// is used as that one rather than made again (a fourth of the preview's
/// work on the built-in plan).
pub(crate) fn preview_intro(plan: &Plan, hours: WeekHours, from: NaiveDate, every_track: &Outlook) -> PreviewIntro {
    let routes = (!plan.tracks.is_empty())
        .then(|| choice_beside(plan, &Calendar::new(from, hours), from, None, Some(every_track)));
    PreviewIntro { summary: plan.summary.clone(), routes }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::calendar::WeekHours;
    use crate::core::plan::builtin::BUILTINS;
    use crate::core::testkit::{d, plan, progress};

    /// The preview's routes, made with its own outlook, are those `choice`
    /// makes from nothing: every built-in plan (each has tracks), at the
    /// default hours and at hours a week's habits nearly fill.
    #[test]
    fn the_previews_routes_are_those_made_from_nothing() {
        let from = d("2027-01-04");
        let few = WeekHours::parse("mon-fri=1,sat-sun=2").expect("hours");
        let mut compared = 0;
        for builtin in BUILTINS {
            let plan = plan(builtin.text);
            assert!(!plan.tracks.is_empty(), "{}", builtin.name);
            for hours in [WeekHours::DEFAULT, few] {
                let fresh = progress("2027-01-04", hours, Default::default(), Vec::new());
                let outlook = Outlook::new(&plan, &fresh, from).expect("the preview's outlook");
                let shown = preview_intro(&plan, hours, from, &outlook).routes;
                let made = choice(&plan, hours, from, None);
                assert!(made.as_ref().is_some_and(|c| !c.all_tracks.is_empty()), "{}", builtin.name);
                let json = |c: &Option<RouteChoice>| serde_json::to_value(c).expect("json");
                assert_eq!(json(&shown), json(&made), "{} at {hours:?}", builtin.name);
                compared += 1;
            }
        }
        assert_eq!(compared, 2 * BUILTINS.len());
    }
}
