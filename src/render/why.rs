//! `roadmap why TASK`: the core's `Why` as plain sentences.

use super::Style;
use crate::core::dates;
use crate::core::effort::Effort;
use crate::core::phrase;
use crate::core::why::{TaskRef, Why};
use chrono::{Datelike, NaiveDate};

pub(crate) fn text(w: &Why, s: Style) -> String {
    let mut out = format!("{}\n", s.bold(&format!("Why {} {}", w.id, w.title)));
    for line in sentences(w) {
        out.push_str(&format!("  {line}\n"));
    }
    out
}

/// `Tue 01-12` within today's year, else `2029-09-02`.
fn on_day(d: NaiveDate, today: NaiveDate) -> String {
    if d.year() == today.year() { dates::short(d) } else { d.to_string() }
}

fn hours(e: Effort) -> String {
    phrase::hours(i64::from(e.minutes()))
}

fn named(t: &TaskRef) -> String {
    format!("{} {}", t.id, t.title)
}

/// The sentences, in the order they are read.
pub(crate) fn sentences(w: &Why) -> Vec<String> {
    let mut out = Vec::new();
    let day_of = |d: NaiveDate| on_day(d, w.today);
    let phase = format!("{} {}", w.phase.id, w.phase.title);
    if let Some(on) = w.done_on {
        let took = match w.ratio {
            Some(r) => format!(
                "it took {} against its estimate of {} ({r:.1}×)",
                hours(w.logged_minutes),
                hours(w.effort_minutes)
            ),
            None => format!("no time was logged on it (estimate {})", hours(w.effort_minutes)),
        };
        let since = w.first_worked.filter(|f| *f < on).map_or(String::new(), |f| format!(", worked on from {f}"));
        out.push(format!("Done on {on}{since}: {took}."));
        return out;
    }
    match w.status.as_str() {
        "skipped" => {
            out.push(format!("Skipped: it is out of the schedule (`roadmap reopen {}` puts it back).", w.id));
            return out;
        }
        "unselected" => {
            out.push(
                "Its track is not followed, so it is not scheduled (`roadmap config --track` changes that).".into(),
            );
            return out;
        }
        _ => {}
    }
    let (Some(start), Some(end)) = (w.start, w.end) else {
        out.push(format!("It is in phase {phase} and not scheduled."));
        return out;
    };
    let left = w.effort_minutes.saturating_sub(w.logged_minutes);
    let when = if start == w.today { "today".to_string() } else { day_of(start) };
    out.push(format!(
        "It is planned from {when} to {} in phase {phase}: {} left of {}.",
        day_of(end),
        hours(left),
        hours(w.effort_minutes)
    ));
    for dep in &w.after {
        out.push(match (dep.done, dep.end) {
            (true, Some(on)) => format!("It comes after {}, done on {on}.", named(dep)),
            (_, Some(e)) => format!("It waits for {}, planned to end {}.", named(dep), day_of(e)),
            _ => format!("It comes after {}.", named(dep)),
        });
    }
    for p in &w.earlier_phases {
        let end = p.end.map_or(String::new(), |e| format!(" (planned to end {})", day_of(e)));
        out.push(format!("Phase {} {} comes first and still has work{end}.", p.id, p.title));
    }
    if w.before_count > 0 {
        let names: Vec<String> = w.before.iter().map(named).collect();
        let last = if w.before_count > w.before.len() { "the last of them " } else { "" };
        out.push(format!(
            "Before it in the plan order: {} ({} left), {last}{}.",
            phrase::count(w.before_count as i64, "task", "tasks"),
            hours(w.before_minutes),
            phrase::and_list(&names)
        ));
    } else {
        out.push("Nothing comes before it in the plan order.".into());
    }
    if let Some(d) = &w.start_day {
        if d.habit_minutes > 0 {
            out.push(format!(
                "On {} the calendar gives {}; habits take {} of it, leaving {} for tasks.",
                day_of(d.date),
                hours(Effort::from_minutes(d.calendar_minutes)),
                hours(Effort::from_minutes(d.habit_minutes)),
                hours(Effort::from_minutes(d.task_minutes))
            ));
        } else {
            out.push(format!(
                "On {} the calendar gives {}, all for tasks.",
                day_of(d.date),
                hours(Effort::from_minutes(d.calendar_minutes))
            ));
        }
    }
    for off in &w.days_off {
        let span = if off.from == off.to {
            format!("{} is a day off", off.from)
        } else {
            format!("{} – {} are days off", off.from, off.to)
        };
        let note = off.note.as_ref().map_or(String::new(), |n| format!(" ({n})"));
        out.push(format!("{span}{note} on the way."));
    }
    if let Some(e) = &w.earlier {
        if let Some(at) = e.start_if_skipped.filter(|d| *d < start) {
            let names: Vec<String> = e.skippable.iter().map(named).collect();
            let last = if e.skippable_count > e.skippable.len() { "the last of them " } else { "" };
            out.push(format!(
                "Skipping the {} before it that it does not need ({}: {last}{}) would start it on {}.",
                phrase::count(e.skippable_count as i64, "task", "tasks"),
                hours(e.skippable_minutes),
                phrase::and_list(&names),
                day_of(at)
            ));
        }
        if let (Some(at), Some(weekly)) = (e.start_with_more.filter(|d| *d < start), e.weekly_minutes_more) {
            out.push(format!(
                "With {} (half again the hours) it would start on {}.",
                phrase::per_week(i64::from(weekly.minutes())),
                day_of(at)
            ));
        }
    }
    out
}
