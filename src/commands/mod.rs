//! One module per command: load → core → render (→ save). Shared phrasing
//! of phases, verdicts and health lives here.

pub(crate) mod config;
pub(crate) mod doctor;
pub(crate) mod forecast;
pub(crate) mod habits;
pub(crate) mod import;
pub(crate) mod init;
pub mod list;
pub(crate) mod merge;
pub mod next;
pub(crate) mod off;
pub(crate) mod plans;
pub(crate) mod record;
pub(crate) mod report;
pub(crate) mod review;
pub mod schedule;
pub(crate) mod show;
pub(crate) mod sync;
pub(crate) mod validate;
pub(crate) mod why;

// Completions, man page and export.
pub(crate) mod complete;
pub(crate) mod export;

// Routes and filled weekdays (init, config, validate, preview); show of a phase or module.
pub(crate) mod routes;
pub(crate) mod show_item;

use crate::cli::Command;
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
    // Each subcommand's arguments, `Deferred` and named `…Args` in `cli`.
    use crate::cli::*;
    use Command as C;
    let text = match command.unwrap_or(C::Next(Deferred(NextArgs { json: false, why: false }))) {
        C::Next(Deferred(NextArgs { json, why: false })) => next::run(ctx, json),
        C::Next(Deferred(NextArgs { json, why: true })) => next::run_with_why(ctx, json),
        C::Done(Deferred(DoneArgs { tasks, on, note, deliverable, count })) => {
            record::done(ctx, &tasks, on, note, deliverable, count)
        }
        C::Start(Deferred(StartArgs { task, on, note })) => record::start(ctx, &task, on, note),
        C::Skip(Deferred(SkipArgs { task, note })) => record::skip(ctx, &task, note),
        C::Reopen(Deferred(ReopenArgs { task, note })) => record::reopen(ctx, &task, note),
        C::Log(Deferred(LogArgs { task, time, on, note })) => record::log(ctx, &task, &time, on, note),
        C::Undo(Deferred(UndoArgs { dry_run })) => record::undo(ctx, false, dry_run),
        C::Redo(Deferred(RedoArgs { dry_run })) => record::undo(ctx, true, dry_run),
        C::Merge(Deferred(MergeArgs { base, ours, theirs })) => merge::run(ctx, &base, &ours, &theirs),
        C::Sync(Deferred(SyncArgs { setup })) => sync::run(ctx, setup),
        C::Off(Deferred(OffArgs { range, note, list, remove, json })) => {
            off::run(ctx, range, note, list || json, remove, json)
        }
        C::Init(Deferred(InitArgs { start, hours, tracks, force })) => init::run(ctx, start, hours, tracks, force),
        C::Config(Deferred(ConfigArgs { start, hours, tracks, json })) => config::run(ctx, start, hours, tracks, json),
        C::Schedule(Deferred(ScheduleArgs { phase, json })) => schedule::run(ctx, phase, json),
        C::Rebaseline(Deferred(RebaselineArgs { yes })) => config::rebaseline(ctx, yes),
        C::List(Deferred(ListArgs { phase, track, json })) => list::run(ctx, phase, track, json),
        C::Show(Deferred(ShowArgs { task, json })) => show::run(ctx, &task, json),
        C::Why(Deferred(WhyArgs { task, json })) => why::run(ctx, &task, json),
        C::Validate(Deferred(ValidateArgs { file, json })) => validate::run(ctx, file, json),
        C::Plans(Deferred(PlansArgs { json })) => plans::run(ctx, json),
        C::Completions(Deferred(CompletionsArgs { shell })) => complete::script(shell),
        C::Man(_) => complete::man(),
        C::Export(Deferred(ExportArgs { format })) => export::run(ctx, format),
        C::Import(Deferred(ImportArgs { guide, out, id, lang, levels, into, effort, json })) => {
            import::run(ctx, import::Request { guide, out, id, lang, levels, into, effort }, json)
        }
        C::CompleteTasks(Deferred(CompleteTasksArgs { words })) => complete::tasks(ctx, &words),
        C::Report(Deferred(ReportArgs { week, since, until, format, json })) => {
            report::run(ctx, report::Request { week, since, until, format: if json { Format::Json } else { format } })
        }
        C::Habits(Deferred(HabitsArgs { weeks, json })) => habits::run(ctx, weeks, json),
        C::Forecast(Deferred(ForecastArgs { hours, weekly, json })) => forecast::run(ctx, hours, weekly, json),
        C::Doctor(Deferred(DoctorArgs { fix, json })) => return doctor::run(ctx, fix, json),
        C::Review(Deferred(ReviewArgs { task, rating, on, note, json })) => {
            review::run(ctx, task, rating, on, note, json)
        }
    };
    text.map(Outcome::success)
}

/// How this terminal wants output styled.
pub fn style_of(ctx: &Ctx) -> crate::render::Style {
    crate::render::Style { color: ctx.terminal.color, width: crate::render::Width::from_columns(ctx.terminal.width) }
}

/// JSON text with a trailing newline.
pub fn json<V: serde::Serialize + ?Sized>(value: &V) -> String {
    let mut text = serde_json::to_string_pretty(value).unwrap_or_else(|_| "null".to_string());
    // serde escapes C0 in strings; DEL, C1 and the colour mark too, so that
    // no raw control character reaches a terminal and the output edge finds
    // no mark to colour (the value is the same JSON string).
    let escaped = |c: char| ('\x7f'..='\u{9f}').contains(&c) || c == crate::core::visible::MARK;
    if text.chars().any(escaped) {
        text = text
            .chars()
            .map(|c| {
                if escaped(c) {
                    c.encode_utf16(&mut [0; 2]).iter().map(|u| format!("\\u{u:04x}")).collect()
                } else {
                    c.to_string()
                }
            })
            .collect();
    }
    text.push('\n');
    text
}

/// A view as text for people or as JSON for programs: both come from the
/// same view, so they cannot disagree.
pub fn emit<V: serde::Serialize + ?Sized>(view: &V, as_json: bool, text: impl FnOnce(&V) -> String) -> String {
    if as_json { json(view) } else { text(view) }
}
