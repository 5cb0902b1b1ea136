//! One event in words, as `undo` and `doctor` name it.

use crate::core::state::{Change, Event};

/// `done p4.frontier.moe on 2027-01-21`, `checkin leetcode ×2 on 2027-01-05`.
pub(crate) fn describe(e: &Event) -> String {
    let mut parts = vec![e.kind().name().replace('_', " ")];
    match &e.change {
        Change::Done { task, .. } | Change::Reopened { task } | Change::Started { task, .. } => {
            parts.push(task.to_string());
        }
        Change::Skipped { task, .. } => parts.push(task.to_string()),
        Change::Reviewed { task, rating, .. } => {
            parts.push(task.to_string());
            parts.push(rating.to_string());
        }
        Change::Deliverable { task, deliverable, .. } => {
            parts.push(task.to_string());
            parts.push(format!("deliverable `{deliverable}`"));
        }
        Change::Checkin { habit, count, .. } => {
            parts.push(habit.to_string());
            parts.push(format!("×{count}"));
        }
        Change::Logged { task, minutes, .. } => {
            parts.push(task.to_string());
            parts.push(minutes.to_string());
        }
        Change::DayOff { off } | Change::DayOffRemoved { off } => parts.push(format!("{}..{}", off.from, off.to)),
        Change::Settings { hours, tracks, start } => {
            if let Some(h) = hours {
                parts.push(format!("hours {h}"));
            }
            if let Some(t) = tracks {
                parts.push(format!("tracks {}", if t.is_empty() { "all".to_string() } else { t.join(",") }));
            }
            if let Some(start) = start {
                parts.push(format!("start {start}"));
            }
        }
        Change::Rebaselined { .. } | Change::PlanAccepted { .. } | Change::Undo { .. } => {}
    }
    if let Some(on) = e.on() {
        parts.push(format!("on {on}"));
    }
    parts.join(" ")
}
