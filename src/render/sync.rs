//! `roadmap sync` in words, and the commit message it writes.

use crate::core::phrase;
use crate::core::state::Event;
use serde::Serialize;
use std::fmt::Write;

/// What a sync did.
#[derive(Debug, Default, Serialize)]
pub(crate) struct SyncView {
    /// The state file, relative to the work tree's top.
    pub file: String,
    /// What `--setup` (run by every sync) changed.
    pub setup: Vec<String>,
    /// `--setup`: only the set-up was done.
    pub setup_only: bool,
    /// An interrupted merge was committed first.
    pub finished_merge: bool,
    /// The events the commit added (`None`: nothing to commit).
    pub committed: Option<Vec<Event>>,
    pub no_remote: bool,
    /// `origin/main`
    pub remote: String,
    /// Events that came in from the remote.
    pub merged: usize,
    pub pushed: bool,
}

pub(crate) fn text(view: &SyncView) -> String {
    let mut out = String::new();
    for change in &view.setup {
        let _ = writeln!(out, "Set up: {change}");
    }
    if view.setup_only {
        if view.setup.is_empty() {
            let _ = writeln!(
                out,
                "Already set up: .gitattributes names `/{}` for the roadmap merge driver, and merge.roadmap.driver is set",
                view.file
            );
        }
        let _ = writeln!(out, "`roadmap sync` commits, pulls and pushes.");
        return out;
    }
    if view.finished_merge {
        let _ = writeln!(out, "Finished the merge an earlier sync left under way.");
    }
    match &view.committed {
        None => {
            let _ = writeln!(out, "Committed: nothing new in {}", view.file);
        }
        Some(events) if events.is_empty() => {
            let _ = writeln!(out, "Committed: {} (no new events)", view.file);
        }
        Some(events) => {
            let _ = writeln!(out, "Committed: {}", summary(events));
        }
    }
    if view.no_remote {
        let _ = writeln!(
            out,
            "No remote: the state is committed here only; `git remote add origin URL`, then `roadmap sync`, to share it"
        );
        return out;
    }
    if view.remote.is_empty() {
        return out;
    }
    let incoming = phrase::count(view.merged as i64, "event", "events");
    let _ = writeln!(out, "Pulled: {incoming} from {}", view.remote);
    if view.pushed {
        let _ = writeln!(out, "Pushed to {}", view.remote);
    }
    out
}

/// `3 events (done ×1, logged ×2)`
fn summary(events: &[Event]) -> String {
    let mut kinds: Vec<(&str, usize)> = Vec::new();
    for e in events {
        let name = e.kind().name();
        match kinds.iter_mut().find(|(k, _)| *k == name) {
            Some((_, n)) => *n += 1,
            None => kinds.push((name, 1)),
        }
    }
    let parts: Vec<String> = kinds.iter().map(|(k, n)| format!("{k} ×{n}")).collect();
    format!("{} ({})", phrase::count(events.len() as i64, "event", "events"), parts.join(", "))
}

/// The commit message: a summary line, then each event (at most 20).
pub(crate) fn commit_message(file: &str, added: bool, events: &[Event]) -> String {
    let verb = if added { format!("add {file} with ") } else { String::new() };
    if events.is_empty() {
        return if added {
            format!("roadmap: add {file}")
        } else {
            format!("roadmap: {file} rewritten (no new events)")
        };
    }
    let mut out = format!("roadmap: {verb}{}\n\n", summary(events));
    for e in events.iter().take(20) {
        let _ = writeln!(out, "- {}", super::event::describe(e));
    }
    if events.len() > 20 {
        let _ = writeln!(out, "- … and {} more", events.len() - 20);
    }
    out
}
