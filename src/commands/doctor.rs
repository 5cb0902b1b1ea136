//! `roadmap doctor [--fix]`: checks the plan and the state together and
//! says what does not fit: progress on tasks the plan no longer has,
//! deliverables and habits it no longer knows, a plan changed since it was
//! recorded (what was added, removed, re-estimated), leftovers of a crash.
//! `--fix` does only what loses nothing: it never deletes an event.

use super::{Outcome, emit, style_of};
use crate::core::effort::Effort;
use crate::core::phrase;
use crate::core::plan::Plan;
use crate::core::progress::{self, Progress, Status};
use crate::core::state::{Change, Event, PlanRef, PlanSnapshot, State};
use crate::render::doctor::{self as screen, DoctorView, FindingRow, Level, PlanChanges, Reestimate, TaskEffort};
use crate::shell::context::Ctx;
use crate::shell::error::Result;
use crate::shell::loaded::Seen;
use crate::shell::plan_source::{PlanSource, load_plan};
use crate::shell::store::{Lock, Parsed};
use std::collections::BTreeSet;
use std::path::PathBuf;

/// What `--fix` can do about a finding, losslessly.
#[derive(Clone, Debug)]
enum Fix {
    /// Remove a cut-off last line (a copy of the file is kept).
    TrimTorn,
    /// Remove temporary files left by an interrupted rewrite.
    RemoveTemps(Vec<PathBuf>),
    /// Record the current plan as the one to compare with from now on.
    AcceptPlan,
    /// Merge a synced folder's conflict copies into the state, then remove them.
    MergeCopies(Vec<PathBuf>),
}

#[derive(Debug)]
struct Finding {
    level: Level,
    code: &'static str,
    message: String,
    details: Vec<String>,
    hint: Option<String>,
    fix: Option<Fix>,
    fixed: Option<String>,
}

impl Finding {
    fn new(level: Level, code: &'static str, message: impl Into<String>) -> Finding {
        Finding { level, code, message: message.into(), details: Vec::new(), hint: None, fix: None, fixed: None }
    }

    fn hint(mut self, hint: impl Into<String>) -> Finding {
        self.hint = Some(hint.into());
        self
    }

    fn details(mut self, details: Vec<String>) -> Finding {
        self.details = details;
        self
    }

    fn fix(mut self, fix: Fix) -> Finding {
        self.fix = Some(fix);
        self
    }

    fn row(self) -> FindingRow {
        let Finding { level, code, message, details, hint, fix, fixed } = self;
        FindingRow { level, code, message, details, hint, fixable: fix.is_some(), fixed }
    }
}

fn changes(recorded: &PlanSnapshot, now: &PlanSnapshot) -> PlanChanges {
    let mut c = PlanChanges::default();
    for (id, &minutes) in &now.tasks {
        match recorded.tasks.get(id) {
            None => c.added.push(TaskEffort { id: id.clone(), effort_minutes: minutes }),
            Some(&before) if before != minutes => {
                c.reestimated.push(Reestimate { id: id.clone(), from_minutes: before, to_minutes: minutes })
            }
            Some(_) => {}
        }
    }
    for (id, &minutes) in &recorded.tasks {
        if !now.tasks.contains_key(id) {
            c.removed.push(TaskEffort { id: id.clone(), effort_minutes: minutes });
        }
    }
    c
}

fn effort(minutes: u32) -> String {
    Effort::from_minutes(minutes).to_string()
}

/// What the check found besides the findings: for the JSON.
#[derive(Default)]
struct Found {
    orphaned: Vec<String>,
    plan_changes: Option<PlanChanges>,
}

pub(crate) fn run(ctx: &Ctx, fix: bool, as_json: bool) -> Result<Outcome> {
    let lock = if fix { Some(ctx.store.lock()?) } else { None };
    let mut findings = Vec::new();
    let loaded = read_state(ctx, lock.as_ref(), &mut findings);
    findings.extend(temp_finding(ctx));
    findings.extend(copies_finding(ctx));
    let recorded = loaded.as_ref().map(|l| &l.state.header.plan);
    let source = match load_plan(ctx.plan_arg.as_deref(), recorded) {
        Ok(source) => Some(source),
        Err(e) => {
            findings.push(Finding::new(Level::Error, "plan_invalid", e.to_string()));
            None
        }
    };
    let found = match &loaded {
        Some(loaded) => check_state(ctx, loaded, source.as_ref(), &mut findings),
        None => Found::default(),
    };
    if let Some(lock) = &lock {
        apply(ctx, lock, loaded.as_ref(), source.as_ref(), &mut findings)?;
    }
    findings.sort_by_key(|f| f.level);
    let view = doctor_view(ctx, loaded.as_ref(), source.as_ref(), findings, found, fix);
    let out = emit(&view, as_json, |v| screen::text(v, style_of(ctx)));
    Ok(if view.ok { Outcome::success(out) } else { Outcome::failure(out) })
}

fn doctor_view(
    ctx: &Ctx,
    loaded: Option<&Parsed>,
    source: Option<&PlanSource>,
    findings: Vec<Finding>,
    found: Found,
    fixing: bool,
) -> DoctorView {
    let findings: Vec<FindingRow> = findings.into_iter().map(Finding::row).collect();
    DoctorView {
        state: ctx.store.path().display().to_string(),
        plan: source.map(|s| s.label.clone()),
        events: loaded.map(|l| l.state.events.len()),
        ok: !findings.iter().any(|f| f.level == Level::Error && f.fixed.is_none()),
        findings,
        orphaned_tasks: found.orphaned,
        plan_changes: found.plan_changes,
        plan_tasks: source.map_or(0, |s| s.plan.tasks.len()),
        fixing,
    }
}

/// The state file, read whole (under the lock with `--fix`).
fn read_state(ctx: &Ctx, lock: Option<&Lock>, findings: &mut Vec<Finding>) -> Option<Parsed> {
    let read = match lock {
        Some(lock) => ctx.store.read_all_locked(lock),
        None => ctx.store.read_all(),
    };
    match read {
        Ok(Some(loaded)) => Some(loaded),
        Ok(None) => {
            findings.push(
                Finding::new(Level::Info, "no_state", "nothing is saved yet: only the plan is checked")
                    .hint("`roadmap init` or the first `roadmap done` creates the state file"),
            );
            None
        }
        Err(e) => {
            findings.push(Finding::new(Level::Error, "state_unreadable", e.to_string()));
            None
        }
    }
}

/// Temporary files an interrupted save left beside the state.
fn temp_finding(ctx: &Ctx) -> Option<Finding> {
    let temps = ctx.store.stale_temps();
    if temps.is_empty() {
        return None;
    }
    let files = phrase::count(temps.len() as i64, "temporary file", "temporary files");
    Some(
        Finding::new(
            Level::Warning,
            "stale_temp_files",
            format!("{files} left by an interrupted save (never the state itself)"),
        )
        .details(temps.iter().map(|p| p.display().to_string()).collect())
        .fix(Fix::RemoveTemps(temps)),
    )
}

/// Conflict copies a synced folder (Syncthing, Dropbox) made of the state.
fn copies_finding(ctx: &Ctx) -> Option<Finding> {
    let copies = ctx.store.conflict_copies();
    if copies.is_empty() {
        return None;
    }
    let files = phrase::count(copies.len() as i64, "conflict copy", "conflict copies");
    Some(
        Finding::new(
            Level::Warning,
            "sync_conflict_copies",
            format!("{files} of the state made by a synced folder: events recorded there are not in the state"),
        )
        .details(copies.iter().map(|p| p.display().to_string()).collect())
        .hint("`roadmap doctor --fix` merges their events into the state (each once, in order) and removes the copies")
        .fix(Fix::MergeCopies(copies)),
    )
}

/// Tasks marked one way on one copy of the state and the other way on another.
fn conflict_finding(ctx: &Ctx, state: &State) -> Option<Finding> {
    let found = crate::core::state::merge::conflicts(state);
    if found.is_empty() {
        return None;
    }
    let here = format!("{:08x}", ctx.store.origin());
    let copy = |e: &Event| if e.id.origin() == here { "on this copy" } else { "on another copy" };
    let word = |e: &Event| crate::render::event::describe(e);
    let details = found
        .iter()
        .map(|c| {
            format!(
                "{}: {} ({}, recorded {}), then {} ({}, recorded {}): {} stands",
                c.task,
                word(&c.earlier),
                copy(&c.earlier),
                c.earlier.at.format("%Y-%m-%d %H:%M"),
                word(&c.later),
                copy(&c.later),
                c.later.at.format("%Y-%m-%d %H:%M"),
                c.later.kind().name()
            )
        })
        .collect();
    let tasks = phrase::count(found.len() as i64, "task was", "tasks were");
    Some(
        Finding::new(
            Level::Warning,
            "conflicting_meanings",
            format!("{tasks} marked one way on one copy of the state and the other way on another; every machine keeps the later"),
        )
        .details(details)
        .hint("if the later is not what you meant, record it again (`roadmap done TASK`, `roadmap reopen TASK`)"),
    )
}

/// The state file's own findings, then what its progress says against the plan.
fn check_state(ctx: &Ctx, loaded: &Parsed, source: Option<&PlanSource>, findings: &mut Vec<Finding>) -> Found {
    state_findings(loaded, findings);
    findings.extend(conflict_finding(ctx, &loaded.state));
    match (progress::replay(&loaded.state), source) {
        (Err(e), _) => {
            findings.push(
                Finding::new(Level::Error, "state_invalid", format!("{}: {e}", ctx.store.path().display()))
                    .hint("the file was left as it is; fix or delete that line (keep a copy), or restore a backup"),
            );
            Found::default()
        }
        (Ok(progress), Some(source)) => {
            let orphaned = progress.orphans(&source.plan);
            let plan_changes = plan_findings(&loaded.state, &progress, source, findings);
            Found { orphaned, plan_changes }
        }
        (Ok(_), None) => Found::default(),
    }
}

/// What the file itself shows: a cut-off line, a clock that went back.
fn state_findings(loaded: &Parsed, findings: &mut Vec<Finding>) {
    findings.extend(torn_finding(loaded));
    findings.extend(clock_finding(loaded));
}

fn torn_finding(loaded: &Parsed) -> Option<Finding> {
    let bytes = phrase::count(loaded.torn_bytes()? as i64, "byte", "bytes");
    Some(
        Finding::new(
            Level::Warning,
            "torn_last_line",
            format!("the last line ({bytes}) was cut off by a crash during a save; it is ignored"),
        )
        .hint("the next change removes it; a copy of the file is kept when `--fix` does")
        .fix(Fix::TrimTorn),
    )
}

fn clock_finding(loaded: &Parsed) -> Option<Finding> {
    let clock: Vec<String> = loaded.warnings.iter().filter(|w| w.contains("dated before")).cloned().collect();
    if clock.is_empty() {
        return None;
    }
    let events = phrase::count(clock.len() as i64, "event is", "events are");
    Some(
        Finding::new(
            Level::Info,
            "clock_moved_back",
            format!("{events} dated before the one above (the clock moved back?); the order of the file is kept"),
        )
        .details(clock),
    )
}

/// What the plan and the progress say together; how the plan changed
/// since it was recorded, when the state records it.
fn plan_findings(
    state: &State,
    progress: &Progress,
    source: &PlanSource,
    findings: &mut Vec<Finding>,
) -> Option<PlanChanges> {
    let plan = &source.plan;
    findings.extend(orphan_finding(state, progress, plan));
    findings.extend(habit_finding(progress, plan));
    findings.extend(deliverable_finding(progress, plan));
    findings.extend(track_finding(progress, plan));
    let now = source.snapshot();
    match &progress.snapshot {
        Some(recorded) if recorded.hash != now.hash => {
            let c = changes(recorded, &now);
            findings.push(changed_finding(&c));
            Some(c)
        }
        Some(_) => None,
        None => {
            findings.push(no_snapshot_finding(state, &now));
            None
        }
    }
}

fn orphan_finding(state: &State, progress: &Progress, plan: &Plan) -> Option<Finding> {
    let orphans = progress.orphans(plan);
    if orphans.is_empty() {
        return None;
    }
    let details = orphans.iter().map(|id| orphan_line(state, progress, id)).collect();
    let tasks = phrase::count(orphans.len() as i64, "task", "tasks");
    Some(
        Finding::new(
            Level::Warning,
            "orphaned_tasks",
            format!(
                "{tasks} with saved progress the plan no longer has (orphaned: their events are kept, not counted)"
            ),
        )
        .details(details)
        .hint("put a task back in the plan under the same full id to count its progress again"),
    )
}

fn habit_finding(progress: &Progress, plan: &Plan) -> Option<Finding> {
    let habits: BTreeSet<&String> = progress.checkins.keys().filter(|h| plan.habit_index(h).is_none()).collect();
    if habits.is_empty() {
        return None;
    }
    let count = phrase::count(habits.len() as i64, "habit", "habits");
    Some(
        Finding::new(
            Level::Warning,
            "unknown_habits",
            format!("check-ins for {count} the plan no longer has (kept, not shown)"),
        )
        .details(habits.into_iter().cloned().collect())
        .hint("put the habit back under the same id to see them again"),
    )
}

fn deliverable_finding(progress: &Progress, plan: &Plan) -> Option<Finding> {
    let mut deliverables: Vec<String> = progress
        .checked
        .keys()
        .filter_map(|(task, key)| {
            let i = plan.task_index(task)?;
            (!plan.tasks[i].details().deliverables.iter().any(|d| d.key() == key)).then(|| format!("{task}: `{key}`"))
        })
        .collect();
    if deliverables.is_empty() {
        return None;
    }
    deliverables.sort();
    let count = phrase::count(deliverables.len() as i64, "deliverable", "deliverables");
    Some(
        Finding::new(
            Level::Warning,
            "unknown_deliverables",
            format!("{count} checked that the plan's tasks no longer list (reworded or removed?)"),
        )
        .details(deliverables)
        .hint("a deliverable without an id is saved under its text: restore the old text, or check the new one with `roadmap done TASK --deliverable N`"),
    )
}

fn track_finding(progress: &Progress, plan: &Plan) -> Option<Finding> {
    let tracks = progress.tracks.as_ref()?;
    let missing: Vec<String> = tracks.iter().filter(|t| !plan.tracks.iter().any(|pt| &pt.id == *t)).cloned().collect();
    if missing.is_empty() {
        return None;
    }
    Some(
        Finding::new(
            Level::Warning,
            "unknown_tracks",
            format!("the selected tracks include {} the plan does not declare", missing.join(", ")),
        )
        .hint("`roadmap config --track ID` selects tracks again (`--track all` for every one)"),
    )
}

/// The plan changed since the state recorded it: what was added, removed
/// and re-estimated.
fn changed_finding(c: &PlanChanges) -> Finding {
    let mut details = Vec::new();
    for t in &c.added {
        details.push(format!("added        {} ({})", t.id, effort(t.effort_minutes)));
    }
    for t in &c.removed {
        details.push(format!("removed      {} ({})", t.id, effort(t.effort_minutes)));
    }
    for r in &c.reestimated {
        details.push(format!("re-estimated {}: {} → {}", r.id, effort(r.from_minutes), effort(r.to_minutes)));
    }
    let summary = if details.is_empty() {
        "no task added, removed or re-estimated (reworded or reordered only)".to_string()
    } else {
        format!("{} added, {} removed, {} re-estimated", c.added.len(), c.removed.len(), c.reestimated.len())
    };
    Finding::new(Level::Warning, "plan_changed", format!("the plan changed since it was recorded in the state: {summary}"))
        .details(details)
        .hint("the schedule follows the plan as it is now; if the change is intended, `roadmap doctor --fix` records this plan as the reference (no progress changes)")
        .fix(Fix::AcceptPlan)
}

/// A state from an older roadmap records no plan snapshot to compare with.
fn no_snapshot_finding(state: &State, now: &PlanSnapshot) -> Finding {
    let differs = matches!(&state.header.plan, PlanRef::File { hash, .. } if *hash != now.hash);
    let finding = if differs {
        Finding::new(
            Level::Warning,
            "plan_changed",
            "the plan file changed since init (the state, written by an older roadmap, does not record its tasks, so what changed cannot be listed)",
        )
    } else {
        Finding::new(
            Level::Info,
            "no_plan_snapshot",
            "the state does not record the plan's tasks (written by an older roadmap), so later plan changes cannot be listed",
        )
    };
    finding
        .hint("`roadmap doctor --fix` records the current plan as the reference (no progress changes)")
        .fix(Fix::AcceptPlan)
}

/// `p4.frontier.old: done on 2027-01-05, 1 of 2 deliverables checked (3 events)`
fn orphan_line(state: &State, progress: &Progress, id: &str) -> String {
    let events = state
        .events
        .iter()
        .filter(|e| e.task().map(|t| t.as_str()) == Some(id) && !progress.undone.contains(&e.id))
        .count();
    let mut parts = Vec::new();
    if let Some(p) = progress.tasks.get(id) {
        parts.push(match p.status {
            Status::Done(on) => format!("done on {on}"),
            s => s.word().to_string(),
        });
        if !p.logs.is_empty() {
            parts.push(format!("{} logged", p.logged()));
        }
    }
    let checked = progress.checked.keys().filter(|(t, _)| t == id).count();
    if checked > 0 {
        parts.push(format!("{} checked", phrase::count(checked as i64, "deliverable", "deliverables")));
    }
    format!("{id}: {} ({})", parts.join(", "), phrase::count(events as i64, "event", "events"))
}

/// Applies the lossless fixes, under the lock; marks what was done.
fn apply(
    ctx: &Ctx,
    lock: &Lock,
    loaded: Option<&Parsed>,
    source: Option<&PlanSource>,
    findings: &mut [Finding],
) -> Result<()> {
    let mut accepted = false;
    // The file as it was read, then as each fix leaves it: each fix writes
    // only to the file the one before it left.
    let mut seen = loaded.and_then(|l| l.seen);
    for f in findings.iter_mut() {
        let Some(fix) = f.fix.clone() else { continue };
        f.fixed = match (fix, loaded) {
            (Fix::RemoveTemps(paths), _) => Some(remove_temps(ctx, lock, &paths)?),
            (Fix::TrimTorn, Some(loaded)) => Some(trim_torn(ctx, lock, loaded, &mut seen)?),
            (Fix::AcceptPlan, Some(loaded)) if !accepted => {
                let Some(source) = source else { continue };
                accepted = true;
                Some(accept_plan(ctx, lock, loaded, seen, source)?)
            }
            (Fix::MergeCopies(_), _) => None,
            _ => None,
        };
    }
    // Last: it rewrites the file, which the fixes above append to.
    for f in findings.iter_mut() {
        if let Some(Fix::MergeCopies(copies)) = f.fix.clone() {
            f.fixed = Some(merge_copies(ctx, lock, &copies)?);
        }
    }
    Ok(())
}

/// Merges the conflict copies' events into the state (a copy of the file
/// is kept first), then removes the copies, whose every event is now in it.
fn merge_copies(ctx: &Ctx, lock: &Lock, copies: &[PathBuf]) -> Result<String> {
    let current = ctx
        .store
        .read_all_locked(lock)?
        .ok_or_else(|| crate::shell::error::Error::refused("the state file vanished"))?;
    let mut states = vec![current.state];
    for copy in copies {
        let parsed = crate::shell::store::Store::read_other(copy)?
            .ok_or_else(|| crate::shell::error::Error::refused(format!("{} vanished", copy.display())))?;
        states.push(parsed.state);
    }
    let before = states[0].events.len();
    let merged = crate::core::state::merge::merge_all(&states).unwrap_or_else(|| states[0].clone());
    progress::replay(&merged).map_err(|e| {
        crate::shell::error::Error::refused(format!("the merged state cannot be read back: {e}"))
            .with_hint("nothing was changed; look at the copies by hand")
    })?;
    let stamp = ctx.now.format("%Y%m%dT%H%M%S").to_string();
    let backup = ctx.store.backup(lock, &stamp)?;
    ctx.store.write_all(lock, &merged)?;
    ctx.store.remove_temps(lock, copies)?;
    let added = merged.events.len().saturating_sub(before);
    Ok(format!(
        "merged {} into the state ({} added; the file as it was is kept at {}) and removed {}",
        phrase::count(copies.len() as i64, "conflict copy", "conflict copies"),
        phrase::count(added as i64, "event", "events"),
        backup.display(),
        if copies.len() == 1 { "it" } else { "them" }
    ))
}

fn remove_temps(ctx: &Ctx, lock: &Lock, paths: &[PathBuf]) -> Result<String> {
    ctx.store.remove_temps(lock, paths)?;
    Ok(format!("removed {}", phrase::count(paths.len() as i64, "temporary file", "temporary files")))
}

fn trim_torn(ctx: &Ctx, lock: &Lock, loaded: &Parsed, seen: &mut Option<Seen>) -> Result<String> {
    let stamp = ctx.now.format("%Y%m%dT%H%M%S").to_string();
    let backup = ctx.store.backup(lock, &stamp)?;
    *seen = ctx.store.trim_torn(lock, &loaded.ends, *seen)?;
    Ok(format!("removed the cut-off line (the file as it was is kept at {})", backup.display()))
}

/// Records the current plan as the reference: one undoable event.
fn accept_plan(ctx: &Ctx, lock: &Lock, loaded: &Parsed, seen: Option<Seen>, source: &PlanSource) -> Result<String> {
    let note = Some(format!("doctor --fix: {}", source.label));
    let mut events = [Event::new(Change::PlanAccepted { snapshot: source.snapshot() }, note)];
    let last = loaded.state.events.last().map(crate::core::state::codec::Last::of);
    ctx.store.stamp(ctx.now, last.as_ref(), &mut events);
    ctx.store.record(lock, &loaded.state.header, (&loaded.ends, seen), &events)?;
    Ok("recorded the current plan as the reference (`roadmap undo` reverts this)".to_string())
}
