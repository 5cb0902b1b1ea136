//! The plan's routes (tracks) and the weekdays that habits fill, as lines
//! for `init`, `config`, `validate` and the zero-setup preview.

use super::verdict;
use crate::core::calendar::WeekHours;
use crate::core::phrase;
use crate::core::plan::Plan;
use crate::core::reserve::FilledWeekday;
use crate::core::window::Fit;
use chrono::{NaiveDate, Weekday};

const WEEKDAYS: [Weekday; 7] =
    [Weekday::Mon, Weekday::Tue, Weekday::Wed, Weekday::Thu, Weekday::Fri, Weekday::Sat, Weekday::Sun];
use serde::Serialize;
use std::fmt::Write;

/// A phase under one selection of tracks: its effort, span and verdict.
#[derive(Debug, Serialize)]
pub(crate) struct RoutePhase {
    pub id: String,
    pub title: String,
    pub effort_minutes: u32,
    pub duration: Option<String>,
    pub span_days: Option<i64>,
    pub verdict: Option<Fit>,
    pub weekly_minutes_to_fit: Option<u32>,
}

/// One track followed alone: the phases that hold its tasks.
#[derive(Debug, Serialize)]
pub(crate) struct TrackRoute {
    pub id: String,
    pub title: String,
    pub phases: Vec<RoutePhase>,
    /// The plan's end when only this track is followed.
    pub end: Option<NaiveDate>,
}

/// What a plan with tracks offers: each route alone, and the tracked
/// phases with every route followed.
#[derive(Debug, Serialize)]
pub(crate) struct RouteChoice {
    pub routes: Vec<TrackRoute>,
    pub all_tracks: Vec<RoutePhase>,
    pub all_end: Option<NaiveDate>,
    /// The tracks the learner follows (`None`: all of them).
    pub chosen: Option<Vec<String>>,
}

/// A weekday whose fixed-day habits take all its hours.
#[derive(Debug, Serialize)]
pub(crate) struct FilledDay {
    /// `mon` … `sun`.
    pub weekday: String,
    /// The weekday's hours, in minutes.
    pub minutes: u32,
    pub habit_minutes: u32,
    /// The habits' ids.
    pub habits: Vec<String>,
    /// The phases where they fill it (ids).
    pub phases: Vec<String>,
    /// Every phase: tasks never get that weekday.
    pub every_phase: bool,
    /// The command that gives tasks an hour on it.
    pub advice: String,
}

impl FilledDay {
    /// The filled weekday `f` of `plan` at the weekday `hours` in force.
    pub(crate) fn of(plan: &Plan, f: &FilledWeekday, hours: WeekHours) -> FilledDay {
        let day = short(f.weekday);
        // The same week with an hour more than the habits take on that day
        // (whole hours): the spec replaces every day's hours, so it names all.
        let mut week = [0u32; 7];
        for (i, minutes) in week.iter_mut().enumerate() {
            *minutes = hours.on(WEEKDAYS[i]);
        }
        week[f.weekday.num_days_from_monday() as usize] = (f.habit_minutes.div_ceil(60) + 1) * 60;
        FilledDay {
            weekday: day.to_string(),
            minutes: f.minutes,
            habit_minutes: f.habit_minutes,
            habits: f.habits.iter().map(|&h| plan.habits[h].id.clone()).collect(),
            phases: f.phases.iter().map(|&p| plan.phases[p].id.clone()).collect(),
            every_phase: f.every_phase,
            advice: format!("roadmap config --hours {}", WeekHours::from_array(week)),
        }
    }
}

fn short(day: Weekday) -> &'static str {
    match day {
        Weekday::Mon => "mon",
        Weekday::Tue => "tue",
        Weekday::Wed => "wed",
        Weekday::Thu => "thu",
        Weekday::Fri => "fri",
        Weekday::Sat => "sat",
        Weekday::Sun => "sun",
    }
}

fn plural(day: &str) -> &'static str {
    match day {
        "mon" => "Mondays",
        "tue" => "Tuesdays",
        "wed" => "Wednesdays",
        "thu" => "Thursdays",
        "fri" => "Fridays",
        "sat" => "Saturdays",
        _ => "Sundays",
    }
}

/// `Mondays: habits take all 2h (leetcode, arxiv) in p4 and p5; tasks get
/// no Mondays there — `roadmap config --hours mon=3``, one line a weekday.
pub(crate) fn filled_lines(days: &[FilledDay], indent: &str) -> String {
    let mut out = String::new();
    for f in days {
        let name = plural(&f.weekday);
        let all = phrase::hours(i64::from(f.minutes));
        let habits = f.habits.join(", ");
        let line = if f.minutes == 0 {
            format!("{name}: no hours, yet habits ({habits}) are due on them in {}", phrase::and_list(&f.phases))
        } else if f.every_phase {
            format!("{name}: habits ({habits}) take all {all}; tasks never get {name}")
        } else {
            format!(
                "{name}: habits ({habits}) take all {all} in {}, so tasks get no {name} there",
                phrase::and_list(&f.phases)
            )
        };
        let _ = writeln!(out, "{indent}{line} — `{}`", f.advice);
    }
    out
}

/// `860h, 378 days, fits 1-N年`
fn figures(phase: &RoutePhase) -> String {
    let mut out = phrase::hours(i64::from(phase.effort_minutes));
    if let Some(span) = phase.span_days {
        let _ = write!(out, ", {}", phrase::days(span));
    }
    if let Some(window) = verdict::of_window(phase.duration.as_deref(), phase.verdict, phase.weekly_minutes_to_fit) {
        let _ = write!(out, ", {window}");
    }
    out
}

/// For each phase that holds tracked tasks: its routes and what following
/// all of them takes, then how to pick one with `command` (`roadmap config`
/// once a state exists, `roadmap init` before).
pub(crate) fn choice_lines(choice: &RouteChoice, command: &str, indent: &str) -> String {
    let mut out = String::new();
    for both in &choice.all_tracks {
        let routes: Vec<String> = choice
            .routes
            .iter()
            .filter_map(|r| {
                r.phases.iter().find(|p| p.id == both.id).map(|p| format!("{} ({}, {})", r.title, r.id, figures(p)))
            })
            .collect();
        let _ = write!(
            out,
            "{indent}{} {} has {}: {}",
            both.id,
            both.title,
            phrase::count(routes.len() as i64, "route", "routes"),
            phrase::and_list(&routes)
        );
        if routes.len() > 1 {
            let _ = write!(out, "; following all of them takes {}", figures(both));
        }
        out.push('\n');
    }
    let ids: Vec<&str> = choice.routes.iter().map(|r| r.id.as_str()).collect();
    match &choice.chosen {
        None => {
            let picks: Vec<String> = ids.iter().map(|id| format!("`{command} --track {id}`")).collect();
            let _ = writeln!(out, "{indent}You follow all of them; to follow one: {}", picks.join(" or "));
        }
        Some(chosen) => {
            let _ = writeln!(
                out,
                "{indent}You follow {}; `{command} --track all` follows every route",
                phrase::and_list(chosen)
            );
        }
    }
    out
}

/// What the zero-setup preview adds: the plan's summary and its routes.
#[derive(Debug, Serialize)]
pub(crate) struct PreviewIntro {
    pub summary: Option<String>,
    pub routes: Option<RouteChoice>,
}

/// The preview's summary line (first line, cut to the width) and routes,
/// picked with `roadmap init --track ID`.
pub(crate) fn preview_lines(intro: &PreviewIntro, style: super::Style) -> String {
    let mut out = String::new();
    if let Some(first) = intro.summary.as_deref().and_then(|s| s.trim().lines().next()) {
        let cut = match style.width {
            super::style::Width::Columns(n) => super::cut(first, usize::from(n)),
            super::style::Width::Unlimited => first.to_string(),
        };
        let _ = writeln!(out, "{}", style.dim(&cut));
    }
    if let Some(choice) = &intro.routes {
        out.push_str(&choice_lines(choice, "roadmap init", ""));
    }
    out
}
