//! `roadmap doctor [--fix]`: checks the plan and the state together and
//! says what does not fit: progress on tasks the plan no longer has,
//! deliverables and habits it no longer knows, a plan changed since it was
//! recorded (what was added, removed, re-estimated), leftovers of a crash.
//! `--fix` does only what loses nothing: it never deletes an event.

use super::Outcome;
use super::json;
use super::style_of;
use crate::core::effort::Effort;
use crate::core::phrase;
use crate::core::progress::{self, Progress, Status};
use crate::core::state::{Change, Event, PlanRef, PlanSnapshot, State};
use crate::shell::context::Ctx;
use crate::shell::error::{Error, Result};
use crate::shell::plan_source::{PlanSource, load_plan};
use crate::shell::store::{Lock, Parsed};
use std::collections::BTreeSet;
use std::fmt::Write;
use std::path::PathBuf;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
enum Level {
    Error,
    Warning,
    Info,
}

/// What `--fix` can do about a finding, losslessly.
#[derive(Clone, Debug)]
enum Fix {
    /// Remove a cut-off last line (a copy of the file is kept).
    TrimTorn,
    /// Remove temporary files left by an interrupted rewrite.
    RemoveTemps(Vec<PathBuf>),
    /// Record the current plan as the one to compare with from now on.
    AcceptPlan,
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
}

/// How the plan differs from the one recorded in the state.
#[derive(Debug, Default, serde::Serialize)]
struct PlanChanges {
    added: Vec<(String, u32)>,
    removed: Vec<(String, u32)>,
    reestimated: Vec<(String, u32, u32)>,
}

fn changes(recorded: &PlanSnapshot, now: &PlanSnapshot) -> PlanChanges {
    let mut c = PlanChanges::default();
    for (id, &minutes) in &now.tasks {
        match recorded.tasks.get(id) {
            None => c.added.push((id.clone(), minutes)),
            Some(&before) if before != minutes => c.reestimated.push((id.clone(), before, minutes)),
            Some(_) => {}
        }
    }
    for (id, &minutes) in &recorded.tasks {
        if !now.tasks.contains_key(id) {
            c.removed.push((id.clone(), minutes));
        }
    }
    c
}

fn effort(minutes: u32) -> String {
    Effort::from_minutes(minutes).to_string()
}

pub fn run(ctx: &Ctx, fix: bool, as_json: bool) -> Result<Outcome> {
    let lock = if fix { Some(ctx.store.lock()?) } else { None };
    let read = match &lock {
        Some(lock) => ctx.store.read_all_locked(lock),
        None => ctx.store.read_all(),
    };
    let mut findings = Vec::new();
    let loaded = match read {
        Ok(loaded) => loaded,
        Err(e) => {
            findings.push(Finding::new(Level::Error, "state_unreadable", e.to_string()));
            None
        }
    };
    let state_ok = findings.is_empty();
    if state_ok && loaded.is_none() {
        findings.push(
            Finding::new(Level::Info, "no_state", "nothing is saved yet: only the plan is checked")
                .hint("`roadmap init` or the first `roadmap done` creates the state file"),
        );
    }
    let temps = ctx.store.stale_temps();
    if !temps.is_empty() {
        findings.push(
            Finding::new(
                Level::Warning,
                "stale_temp_files",
                format!(
                    "{} left by an interrupted save (never the state itself)",
                    phrase::count(temps.len() as i64, "temporary file", "temporary files")
                ),
            )
            .details(temps.iter().map(|p| p.display().to_string()).collect())
            .fix(Fix::RemoveTemps(temps)),
        );
    }
    let recorded = loaded.as_ref().map(|l| &l.state.header.plan);
    let source = match load_plan(ctx.plan_arg.as_deref(), recorded) {
        Ok(source) => Some(source),
        Err(e) => {
            findings.push(Finding::new(Level::Error, "plan_invalid", e.to_string()));
            None
        }
    };
    let mut plan_changes = None;
    let mut orphaned = Vec::new();
    if let Some(loaded) = &loaded {
        state_findings(loaded, &mut findings);
        match progress::replay(&loaded.state) {
            Err(e) => findings.push(
                Finding::new(Level::Error, "state_invalid", format!("{}: {e}", ctx.store.path().display()))
                    .hint("the file was left as it is; fix or delete that line (keep a copy), or restore a backup"),
            ),
            Ok(progress) => {
                if let Some(source) = &source {
                    orphaned = progress.orphans(&source.plan);
                    plan_findings(&loaded.state, &progress, source, &mut findings, &mut plan_changes);
                }
            }
        }
    }
    if let Some(lock) = &lock {
        apply(ctx, lock, loaded.as_ref(), source.as_ref(), &mut findings)?;
    }
    findings.sort_by_key(|f| f.level);
    let errors = findings.iter().filter(|f| f.level == Level::Error && f.fixed.is_none()).count();
    let out = if as_json {
        json(&serde_json::json!({
            "state": ctx.store.path().display().to_string(),
            "plan": source.as_ref().map(|s| s.label.clone()),
            "events": loaded.as_ref().map(|l| l.state.events.len()),
            "ok": errors == 0,
            "findings": findings.iter().map(|f| serde_json::json!({
                "level": f.level,
                "code": f.code,
                "message": f.message,
                "details": f.details,
                "hint": f.hint,
                "fixable": f.fix.is_some(),
                "fixed": f.fixed,
            })).collect::<Vec<_>>(),
            "orphaned_tasks": orphaned,
            "plan_changes": plan_changes.as_ref().map(|c: &PlanChanges| serde_json::json!({
                "added": c.added.iter().map(|(id, m)| serde_json::json!({"id": id, "effort_minutes": m})).collect::<Vec<_>>(),
                "removed": c.removed.iter().map(|(id, m)| serde_json::json!({"id": id, "effort_minutes": m})).collect::<Vec<_>>(),
                "reestimated": c.reestimated.iter().map(|(id, a, b)| serde_json::json!({"id": id, "from_minutes": a, "to_minutes": b})).collect::<Vec<_>>(),
            })),
        }))
    } else {
        render(ctx, loaded.as_ref(), source.as_ref(), &findings, fix)
    };
    Ok(if errors > 0 { Outcome::failure(out) } else { Outcome::success(out) })
}

/// What the file itself shows: a cut-off line, a clock that went back.
fn state_findings(loaded: &Parsed, findings: &mut Vec<Finding>) {
    if let Some(bytes) = loaded.torn_bytes() {
        findings.push(
            Finding::new(
                Level::Warning,
                "torn_last_line",
                format!(
                    "the last line ({}) was cut off by a crash during a save; it is ignored",
                    phrase::count(bytes as i64, "byte", "bytes")
                ),
            )
            .hint("the next change removes it; a copy of the file is kept when `--fix` does")
            .fix(Fix::TrimTorn),
        );
    }
    let clock: Vec<String> = loaded.warnings.iter().filter(|w| w.contains("dated before")).cloned().collect();
    if !clock.is_empty() {
        findings.push(
            Finding::new(
                Level::Info,
                "clock_moved_back",
                format!(
                    "{} dated before the one above (the clock moved back?); the order of the file is kept",
                    phrase::count(clock.len() as i64, "event is", "events are")
                ),
            )
            .details(clock),
        );
    }
}

/// What the plan and the progress say together.
fn plan_findings(
    state: &State,
    progress: &Progress,
    source: &PlanSource,
    findings: &mut Vec<Finding>,
    plan_changes: &mut Option<PlanChanges>,
) {
    let plan = &source.plan;
    let orphans = progress.orphans(plan);
    if !orphans.is_empty() {
        let details = orphans.iter().map(|id| orphan_line(state, progress, id)).collect();
        findings.push(
            Finding::new(
                Level::Warning,
                "orphaned_tasks",
                format!(
                    "{} with saved progress the plan no longer has (orphaned: their events are kept, not counted)",
                    phrase::count(orphans.len() as i64, "task", "tasks")
                ),
            )
            .details(details)
            .hint("put a task back in the plan under the same full id to count its progress again"),
        );
    }
    let habits: BTreeSet<&String> = progress.checkins.keys().filter(|h| plan.habit_index(h).is_none()).collect();
    if !habits.is_empty() {
        findings.push(
            Finding::new(
                Level::Warning,
                "unknown_habits",
                format!(
                    "check-ins for {} the plan no longer has (kept, not shown)",
                    phrase::count(habits.len() as i64, "habit", "habits")
                ),
            )
            .details(habits.into_iter().cloned().collect())
            .hint("put the habit back under the same id to see them again"),
        );
    }
    let mut deliverables: Vec<String> = progress
        .checked
        .keys()
        .filter_map(|(task, key)| {
            let i = plan.task_index(task)?;
            (!plan.tasks[i].deliverables.iter().any(|d| d.key() == key)).then(|| format!("{task}: `{key}`"))
        })
        .collect();
    deliverables.sort();
    if !deliverables.is_empty() {
        findings.push(
            Finding::new(
                Level::Warning,
                "unknown_deliverables",
                format!(
                    "{} checked that the plan's tasks no longer list (reworded or removed?)",
                    phrase::count(deliverables.len() as i64, "deliverable", "deliverables")
                ),
            )
            .details(deliverables)
            .hint("a deliverable without an id is saved under its text: restore the old text, or check the new one with `roadmap done TASK --deliverable N`"),
        );
    }
    if let Some(tracks) = &progress.tracks {
        let missing: Vec<String> =
            tracks.iter().filter(|t| !plan.tracks.iter().any(|pt| &pt.id == *t)).cloned().collect();
        if !missing.is_empty() {
            findings.push(
                Finding::new(
                    Level::Warning,
                    "unknown_tracks",
                    format!("the selected tracks include {} the plan does not declare", missing.join(", ")),
                )
                .hint("`roadmap config --track ID` selects tracks again (`--track all` for every one)"),
            );
        }
    }
    let now = source.snapshot();
    match &progress.snapshot {
        Some(recorded) if recorded.hash != now.hash => {
            let c = changes(recorded, &now);
            let mut details = Vec::new();
            for (id, m) in &c.added {
                details.push(format!("added        {id} ({})", effort(*m)));
            }
            for (id, m) in &c.removed {
                details.push(format!("removed      {id} ({})", effort(*m)));
            }
            for (id, a, b) in &c.reestimated {
                details.push(format!("re-estimated {id}: {} → {}", effort(*a), effort(*b)));
            }
            let summary = if details.is_empty() {
                "no task added, removed or re-estimated (reworded or reordered only)".to_string()
            } else {
                format!("{} added, {} removed, {} re-estimated", c.added.len(), c.removed.len(), c.reestimated.len())
            };
            findings.push(
                Finding::new(
                    Level::Warning,
                    "plan_changed",
                    format!("the plan changed since it was recorded in the state: {summary}"),
                )
                .details(details)
                .hint("the schedule follows the plan as it is now; if the change is intended, `roadmap doctor --fix` records this plan as the reference (no progress changes)")
                .fix(Fix::AcceptPlan),
            );
            *plan_changes = Some(c);
        }
        Some(_) => {}
        None => {
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
            findings.push(
                finding
                    .hint("`roadmap doctor --fix` records the current plan as the reference (no progress changes)")
                    .fix(Fix::AcceptPlan),
            );
        }
    }
}

/// `p4.frontier.old: done on 2027-01-05, 1 of 2 deliverables checked (3 events)`
fn orphan_line(state: &State, progress: &Progress, id: &str) -> String {
    let events = state
        .events
        .iter()
        .filter(|e| e.task().map(|t| t.as_str()) == Some(id) && !progress.undone.contains(&e.seq))
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
    for f in findings.iter_mut() {
        let Some(fix) = f.fix.clone() else { continue };
        f.fixed = match (fix, loaded) {
            (Fix::RemoveTemps(paths), _) => {
                for p in &paths {
                    std::fs::remove_file(p)
                        .map_err(|e| Error::refused(format!("cannot remove {}: {e}", p.display())))?;
                }
                Some(format!("removed {}", phrase::count(paths.len() as i64, "temporary file", "temporary files")))
            }
            (Fix::TrimTorn, Some(loaded)) => {
                let stamp = ctx.now.format("%Y%m%dT%H%M%S").to_string();
                let backup = ctx.store.backup(lock, &stamp)?;
                ctx.store.trim_torn(lock, &loaded.ends)?;
                Some(format!("removed the cut-off line (the file as it was is kept at {})", backup.display()))
            }
            (Fix::AcceptPlan, Some(loaded)) if !accepted => {
                let Some(source) = source else { continue };
                let note = Some(format!("doctor --fix: {}", source.label));
                let event = Event {
                    seq: loaded.state.next_seq(),
                    at: ctx.now,
                    ..Event::new(Change::PlanAccepted { snapshot: source.snapshot() }, note)
                };
                ctx.store.append(lock, &loaded.ends, &[event])?;
                accepted = true;
                Some("recorded the current plan as the reference (`roadmap undo` reverts this)".to_string())
            }
            _ => None,
        };
    }
    Ok(())
}

fn render(ctx: &Ctx, loaded: Option<&Parsed>, source: Option<&PlanSource>, findings: &[Finding], fix: bool) -> String {
    let s = style_of(ctx);
    let mut out = String::new();
    let state = match loaded {
        Some(l) => {
            format!(
                "{} ({})",
                ctx.store.path().display(),
                phrase::count(l.state.events.len() as i64, "event", "events")
            )
        }
        None => format!("{} (not readable or not created yet)", ctx.store.path().display()),
    };
    let _ = writeln!(out, "  state  {state}");
    if let Some(source) = source {
        let _ = writeln!(
            out,
            "  plan   {} ({})",
            source.label,
            phrase::count(source.plan.tasks.len() as i64, "task", "tasks")
        );
    }
    for f in findings {
        let label = match (f.level, &f.fixed) {
            (_, Some(_)) => s.green("fixed"),
            (Level::Error, _) => s.red("error"),
            (Level::Warning, _) => s.yellow("warning"),
            (Level::Info, _) => s.cyan("note"),
        };
        let _ = writeln!(out, "{label}: {}", f.message);
        for d in &f.details {
            let _ = writeln!(out, "    {d}");
        }
        match &f.fixed {
            Some(done) => {
                let _ = writeln!(out, "  → {done}");
            }
            None => {
                if let Some(hint) = &f.hint {
                    let _ = writeln!(out, "  hint: {hint}");
                }
            }
        }
    }
    let open: Vec<&Finding> = findings.iter().filter(|f| f.fixed.is_none()).collect();
    let count = |level: Level| open.iter().filter(|f| f.level == level).count() as i64;
    let (errors, warnings) = (count(Level::Error), count(Level::Warning));
    let fixable = open.iter().filter(|f| f.fix.is_some()).count() as i64;
    if errors == 0 && warnings == 0 {
        let _ = writeln!(out, "No problems found.");
    } else {
        let mut line =
            format!("{}, {}", phrase::count(errors, "error", "errors"), phrase::count(warnings, "warning", "warnings"));
        if fixable > 0 && !fix {
            let _ = write!(
                line,
                "; {} with `roadmap doctor --fix` (it never deletes progress)",
                phrase::count(fixable, "fixable", "fixable")
            );
        }
        let _ = writeln!(out, "{line}.");
    }
    out
}
