//! One module per command: load → core → render (→ save). Shared phrasing
//! of phases, verdicts and health lives here.

pub mod config;
pub mod doctor;
pub mod forecast;
pub mod habits;
pub mod init;
pub mod list;
pub mod next;
pub mod off;
pub mod plans;
pub mod record;
pub mod report;
pub mod schedule;
pub mod show;
pub mod validate;

// Completions, man page and export.
pub mod complete;
pub mod export;

use crate::cli::{Command, Format};
use crate::core::effort::Effort;
use crate::core::outlook::{Outlook, slip};
use crate::core::phrase;
use crate::core::plan::Plan;
use crate::core::progress::Progress;
use crate::core::schedule::{Verdict, Work};
use crate::render::verdict;
use crate::shell::context::Ctx;
use crate::shell::error::Result;

/// What a command that ran gives back: its output and the exit code that
/// goes with it. A command that finds problems (`doctor`) still succeeds in
/// running: its report is an outcome with code 1, not an error.
#[derive(Debug, PartialEq, Eq)]
pub struct Outcome {
    pub text: String,
    pub code: i32,
}

impl Outcome {
    pub fn success(text: String) -> Outcome {
        Outcome { text, code: 0 }
    }

    /// Output that reports a failure found by the command (exit 1).
    pub fn failure(text: String) -> Outcome {
        Outcome { text, code: 1 }
    }
}

/// Runs one command: the only place that knows every command.
pub fn dispatch(ctx: &Ctx, command: Option<Command>) -> Result<Outcome> {
    use Command as C;
    let text = match command.unwrap_or(C::Next { json: false }) {
        C::Next { json } => next::run(ctx, json),
        C::Done { tasks, on, note, deliverable, count } => record::done(ctx, &tasks, on, note, deliverable, count),
        C::Start { task, on, note } => record::start(ctx, &task, on, note),
        C::Skip { task, note } => record::skip(ctx, &task, note),
        C::Reopen { task, note } => record::reopen(ctx, &task, note),
        C::Log { task, time, on, note } => record::log(ctx, &task, &time, on, note),
        C::Undo => record::undo(ctx),
        C::Off { range, note, list, remove, json } => off::run(ctx, range, note, list || json, remove, json),
        C::Init { start, hours, tracks, force } => init::run(ctx, start, hours, tracks, force),
        C::Config { start, hours, tracks, json } => config::run(ctx, start, hours, tracks, json),
        C::Schedule { phase, json } => schedule::run(ctx, phase, json),
        C::Rebaseline { yes } => config::rebaseline(ctx, yes),
        C::List { phase, track, json } => list::run(ctx, phase, track, json),
        C::Show { task, json } => show::run(ctx, &task, json),
        C::Validate { file, json } => validate::run(ctx, file, json),
        C::Plans { json } => plans::run(ctx, json),
        C::Completions { shell } => complete::script(shell),
        C::Man => complete::man(),
        C::Export { format } => export::run(ctx, format),
        C::CompleteTasks { words } => complete::tasks(ctx, &words),
        C::Report { week, since, until, format, json } => {
            report::run(ctx, report::Request { week, since, until, format: if json { Format::Json } else { format } })
        }
        C::Habits { weeks, json } => habits::run(ctx, weeks, json),
        C::Forecast { hours, weekly, json } => forecast::run(ctx, hours, weekly, json),
        C::Doctor { fix, json } => return doctor::run(ctx, fix, json),
    };
    text.map(Outcome::success)
}

/// `fits 2-3个月`, `ahead of 2-3个月 by 5 days`, `over 2-3个月 by 12 days
/// (fits at 15.5 h/week)`.
pub fn verdict_text(plan: &Plan, phase: usize, verdict: Option<&Verdict>) -> String {
    match plan.phases[phase].duration.as_ref() {
        Some(window) => verdict::verdict(&window.text, verdict),
        None => String::new(),
    }
}

/// Effort of a phase's selected, unskipped tasks, and how much is earned
/// (as `Progress::earned` counts it, read off `work`: the estimate when
/// done, else the time logged up to the estimate, which is the estimate
/// less what remains).
pub fn phase_effort(plan: &Plan, progress: &Progress, work: &[Work], phase: usize) -> (Effort, Effort) {
    let mut total = Effort::ZERO;
    let mut earned = Effort::ZERO;
    for i in plan.phases[phase].tasks.clone() {
        let effort = plan.tasks[i].effort;
        let this = match work[i] {
            Work::Unselected | Work::Skipped => continue,
            Work::Done { .. } => effort,
            Work::Open { remaining, .. } => effort.saturating_sub(remaining),
        };
        debug_assert_eq!(this, progress.earned(plan, i), "earned effort of task {i}");
        total += effort;
        earned += this;
    }
    (total, earned)
}

/// Effort of the whole selected plan, and how much is earned.
pub fn plan_effort(plan: &Plan, progress: &Progress, work: &[Work]) -> (Effort, Effort) {
    (0..plan.phases.len())
        .map(|p| phase_effort(plan, progress, work, p))
        .fold((Effort::ZERO, Effort::ZERO), |a, b| (a.0 + b.0, a.1 + b.1))
}

/// `on track`, `3 days behind the baseline`, `2 days ahead of the baseline`.
pub fn slip_text(days: Option<i64>) -> String {
    verdict::slip(days)
}

/// The one health line: slip and the forecast plan end.
pub fn health_line(progress: &Progress, outlook: &Outlook) -> String {
    let end = outlook.schedule.end;
    let base = progress.baseline.end;
    let mut line = slip_text(slip(end, base));
    let capital = line.remove(0).to_ascii_uppercase();
    line.insert(0, capital);
    match (end, base) {
        (Some(end), Some(base)) if end != base => format!("{line} · plan ends {end} (baseline {base})"),
        (Some(end), _) => format!("{line} · plan ends {end}"),
        (None, _) => format!("{line} · nothing left to schedule"),
    }
}

/// `p4 高阶项目与实习准备: 36h of 97h (37%) · forecast end 2027-03-18 · fits 2-3个月`
pub fn phase_line(plan: &Plan, progress: &Progress, outlook: &Outlook, phase: usize) -> String {
    let (total, earned) = phase_effort(plan, progress, &outlook.work, phase);
    let p = &plan.phases[phase];
    let mut line = format!(
        "{} {}: {} of {} ({}%)",
        p.id,
        p.title,
        phrase::hours(i64::from(earned.minutes())),
        phrase::hours(i64::from(total.minutes())),
        crate::render::percent(earned.minutes(), total.minutes())
    );
    if let Some(span) = outlook.schedule.phases[phase] {
        line.push_str(&format!(" · forecast end {}", span.last));
    }
    let verdict = verdict_text(plan, phase, outlook.verdicts[phase].as_ref());
    if !verdict.is_empty() {
        line.push_str(&format!(" · {verdict}"));
    }
    line
}

/// How this terminal wants output styled.
pub fn style_of(ctx: &Ctx) -> crate::render::Style {
    crate::render::Style { color: ctx.terminal.color, width: crate::render::Width::from_columns(ctx.terminal.width) }
}

/// JSON text with a trailing newline.
pub fn json(value: &serde_json::Value) -> String {
    let mut text = serde_json::to_string_pretty(value).unwrap_or_else(|_| "null".to_string());
    text.push('\n');
    text
}
