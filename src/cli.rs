//! The command line, as clap sees it. Only the shape lives here; `run`
//! and `shell::context` turn it into decisions, `commands` into behaviour.

use clap::{ArgMatches, Args, FromArgMatches, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// The version line: the program's and the plan format it reads.
pub const VERSION: &str = concat!(env!("CARGO_PKG_VERSION"), " (plan format 1, state format 1)");

/// Study-plan tracker: turns a long roadmap into today's work.
///
/// Each morning `roadmap next` shows what to do today; after finishing,
/// `roadmap done TASK` records it. Without a command, `next` runs.
#[derive(Debug, Parser)]
#[command(name = "roadmap", version = VERSION, propagate_version = true, max_term_width = 100)]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,
    #[command(subcommand)]
    pub command: Option<Command>,
}

// (Plain comments, not doc comments: those would become the about line of
// every subcommand whose arguments include these.)
//
// Options every command takes, before or after the subcommand's name
// (given in both places, the one after wins). Each falls back to an
// environment variable, read by `shell::context` (not by clap, so that a
// usage line never shows the environment's values).
//
// In the parser a run uses (`parser`) they are not clap's `global`
// arguments at the top: clap copies those into every one of the thirty
// subcommands each time the command line is built, to parse one: 7 % of
// the instructions of the built-in plan's `next`, 3-4 % of its time
// (BENCHMARKS.md, eighteenth round). There the subcommand being parsed
// defines them itself (`Deferred`), as global arguments of its own (for
// `export ics`), and `parse` takes the values given after the
// subcommand's name over those given before it. The whole definition
// (`Cli::command()`: help, man page, completions) has them global at the
// top, as clap shows them best.
#[derive(Debug, Args)]
#[command(next_help_heading = "Global options")]
pub struct Global {
    /// Plan to use: a built-in name (see `roadmap plans`) or a YAML file [env: ROADMAP_PLAN]
    #[arg(long, global = !deferring(), value_name = "NAME|FILE")]
    pub plan: Option<String>,
    /// State file holding your progress [env: ROADMAP_STATE] [default: the user data directory]
    #[arg(long, global = !deferring(), value_name = "PATH")]
    pub state: Option<PathBuf>,
    /// Act as if today were DATE (YYYY-MM-DD, yesterday, …) [env: ROADMAP_TODAY]
    #[arg(long, global = !deferring(), value_name = "DATE")]
    pub today: Option<String>,
    /// When to colour the output (auto: on a terminal, unless NO_COLOR is set)
    #[arg(long, global = !deferring(), value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Table,
    Markdown,
    Json,
}

/// The command line to parse with: each subcommand's arguments are defined
/// only when that subcommand is the one being parsed (clap's
/// `Command::defer`). Every run used to build all thirty subcommands'
/// arguments to parse one: a tenth of `next`'s instructions on a learner's
/// plan and a quarter of its page faults. The names and help lines are all
/// there, for `roadmap --help` and for suggestions. `Cli::command()`, which
/// completions, man pages and the tests read, defines every argument as
/// before.
pub fn parser() -> clap::Command {
    let _deferring = Deferring::start();
    <Cli as clap::CommandFactory>::command()
}

thread_local! {
    /// Set while `parser` builds the command line.
    static DEFER: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// `DEFER` set for as long as it lives; dropped (also by a panic), it puts
/// back what was there before.
struct Deferring(bool);

impl Deferring {
    fn start() -> Deferring {
        Deferring(DEFER.replace(true))
    }
}

impl Drop for Deferring {
    fn drop(&mut self) {
        DEFER.set(self.0);
    }
}

/// A subcommand's arguments, deferred when `parser` builds the command line.
#[derive(Debug)]
pub struct Deferred<T>(pub T);

impl<T: Args> Args for Deferred<T> {
    fn augment_args(cmd: clap::Command) -> clap::Command {
        if DEFER.get() { cmd.defer(with_globals::<T>) } else { T::augment_args(cmd) }
    }

    fn augment_args_for_update(cmd: clap::Command) -> clap::Command {
        if DEFER.get() { cmd.defer(with_globals_for_update::<T>) } else { T::augment_args_for_update(cmd) }
    }
}

/// Whether `parser` is building the command line (see `Global`).
fn deferring() -> bool {
    DEFER.get()
}

/// A deferred subcommand's own arguments, then the global options
/// (`Global`), global within it (so its own subcommands take them too),
/// listed in its help under their own heading, after its own.
fn with_globals<T: Args>(cmd: clap::Command) -> clap::Command {
    global_within(Global::augment_args(T::augment_args(cmd)))
}

fn with_globals_for_update<T: Args>(cmd: clap::Command) -> clap::Command {
    global_within(Global::augment_args_for_update(T::augment_args_for_update(cmd)))
}

fn global_within(cmd: clap::Command) -> clap::Command {
    const GLOBAL: [&str; 4] = ["plan", "state", "today", "color"];
    cmd.mut_args(|arg| {
        let global = GLOBAL.contains(&arg.get_id().as_str());
        if global { arg.global(true) } else { arg }
    })
}

/// The command line parsed into a `Cli`: the global options as given after
/// the subcommand's name, else as given before it.
pub fn parse(matches: &ArgMatches) -> Result<Cli, clap::Error> {
    let mut cli = Cli::from_arg_matches(matches)?;
    if let Some((_, sub)) = matches.subcommand() {
        cli.global.take_given(sub);
    }
    Ok(cli)
}

impl Global {
    /// Takes each option that `sub` (a subcommand's matches) was given on
    /// the command line; leaves the others (a default is not a value given).
    fn take_given(&mut self, sub: &ArgMatches) {
        // A value's source is known only for an argument the subcommand
        // defines, so only those are read (clap's `help` defines none).
        let given = |id: &str| sub.value_source(id) == Some(clap::parser::ValueSource::CommandLine);
        if given("plan") {
            self.plan = sub.try_get_one::<String>("plan").ok().flatten().cloned();
        }
        if given("state") {
            self.state = sub.try_get_one::<PathBuf>("state").ok().flatten().cloned();
        }
        if given("today") {
            self.today = sub.try_get_one::<String>("today").ok().flatten().cloned();
        }
        if given("color")
            && let Ok(Some(&color)) = sub.try_get_one::<ColorChoice>("color")
        {
            self.color = color;
        }
    }
}

impl<T: FromArgMatches> FromArgMatches for Deferred<T> {
    fn from_arg_matches(matches: &ArgMatches) -> Result<Self, clap::Error> {
        T::from_arg_matches(matches).map(Deferred)
    }

    fn update_from_arg_matches(&mut self, matches: &ArgMatches) -> Result<(), clap::Error> {
        self.0.update_from_arg_matches(matches)
    }
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Show today's work, habits due, overdue tasks and what comes next
    Next(Deferred<NextArgs>),
    /// Mark tasks done, check a deliverable, or check in a habit
    Done(Deferred<DoneArgs>),
    /// Mark a task as started
    Start(Deferred<StartArgs>),
    /// Skip a task: it leaves the schedule and is reported apart
    Skip(Deferred<SkipArgs>),
    /// Reopen a done or skipped task
    Reopen(Deferred<ReopenArgs>),
    /// Log time spent on a task (e.g. `roadmap log moe 1.5h`)
    Log(Deferred<LogArgs>),
    /// Revert the last recorded change, all of its events (repeatable)
    Undo(Deferred<UndoArgs>),
    /// Re-apply the last undone change (repeatable, until a new change is recorded)
    Redo(Deferred<RedoArgs>),
    /// Merge two copies of the state (a git merge driver: BASE OURS THEIRS; the result goes to OURS)
    Merge(Deferred<MergeArgs>),
    /// Commit the state, pull (merging with the other machines) and push, with git
    Sync(Deferred<SyncArgs>),
    /// Add, list or remove days off (e.g. `roadmap off 2027-02-10..2027-02-17 --note 春节`)
    Off(Deferred<OffArgs>),
    /// Start tracking a plan: calendar, tracks and the baseline schedule
    Init(Deferred<InitArgs>),
    /// Show or change the settings: start date, hours per weekday, tracks
    Config(Deferred<ConfigArgs>),
    /// The computed schedule: planned dates, baseline, slip and status
    Schedule(Deferred<ScheduleArgs>),
    /// Replace the baseline with today's schedule
    Rebaseline(Deferred<RebaselineArgs>),
    /// List phases, modules and tasks with their status
    List(Deferred<ListArgs>),
    /// Show one task or habit in full
    Show(Deferred<ShowArgs>),
    /// Why a task is where it is: what it waits for, the hours that day, what would bring it earlier
    Why(Deferred<WhyArgs>),
    /// Check a plan file and summarise it
    Validate(Deferred<ValidateArgs>),
    /// The built-in plans
    Plans(Deferred<PlansArgs>),
    /// The weekly report: work done and earned against the plan, habits,
    /// phases, pace and next week
    ///
    /// Effort counts, not tasks: a day earns the estimates of the tasks done
    /// that day (less what was logged on them before) and the hours logged on
    /// unfinished ones. The planned hours are the baseline's.
    Report(Deferred<ReportArgs>),
    /// Each habit's consistency: a strip of the last weeks, adherence and streaks
    Habits(Deferred<HabitsArgs>),
    /// What if you had other hours? Re-schedules the remaining work without
    /// changing anything
    Forecast(Deferred<ForecastArgs>),
    /// Check the plan and the state together: orphaned progress, plan changes, crash leftovers
    Doctor(Deferred<DoctorArgs>),
    /// List the spaced reviews due and coming, or record one: `review TASK good`
    Review(Deferred<ReviewArgs>),
    /// Print a shell completion script (task ids complete with their titles)
    ///
    /// bash: `roadmap completions bash > ~/.local/share/bash-completion/completions/roadmap`;
    /// zsh: `roadmap completions zsh > ~/.zfunc/_roadmap` (with ~/.zfunc in $fpath);
    /// fish: `roadmap completions fish > ~/.config/fish/completions/roadmap.fish`.
    Completions(Deferred<CompletionsArgs>),
    /// Print the man page (roff): `roadmap man > ~/.local/share/man/man1/roadmap.1`
    Man(Deferred<ManArgs>),
    /// Export the schedule for other programs
    Export(Deferred<ExportArgs>),
    /// Turn a Markdown learning guide into a plan (rules in docs/import.md)
    ///
    /// Headings (and bold numbered paragraphs such as `**1. Topic**`) become
    /// phases, modules and tasks; durations in headings become windows; ✅
    /// lines and checkboxes become deliverables; links become resources;
    /// routines become habits; alternative routes become tracks. Efforts are
    /// estimated and marked `# estimated`. With --into, matching items keep
    /// the existing plan's ids, so progress stays.
    Import(Deferred<ImportArgs>),
    /// For completion scripts: the tasks that fit the word under the cursor
    ///
    /// WORDS is the command line up to and including that word. Prints
    /// `ID<TAB>TITLE` lines and exits 0 when the word is a task argument;
    /// exits 1 when it is not, so the script completes as usual.
    #[command(name = "__complete-tasks", hide = true)]
    CompleteTasks(Deferred<CompleteTasksArgs>),
}

#[derive(Debug, Args)]
pub struct NextArgs {
    /// Print JSON instead of text (shapes in docs/json.md)
    #[arg(long)]
    pub json: bool,
    /// Also say why each of today's tasks is today (as `roadmap why TASK`)
    #[arg(long)]
    pub why: bool,
}

#[derive(Debug, Args)]
pub struct DoneArgs {
    /// Tasks or a habit: full id, id suffix, list number or title words
    #[arg(required = true, value_name = "TASK")]
    pub tasks: Vec<String>,
    /// The day it was done [default: today]
    #[arg(long, value_name = "DATE")]
    pub on: Option<String>,
    /// A note kept with the event
    #[arg(long)]
    pub note: Option<String>,
    /// Check deliverable N of the task (as numbered by `show`) instead
    #[arg(long, value_name = "N")]
    pub deliverable: Option<usize>,
    /// For a habit: how many were done (e.g. 2 problems)
    #[arg(long, value_name = "N")]
    pub count: Option<u32>,
}

#[derive(Debug, Args)]
pub struct StartArgs {
    /// The task: full id, id suffix, list number or title words
    #[arg(value_name = "TASK")]
    pub task: String,
    /// The day it started [default: today]
    #[arg(long, value_name = "DATE")]
    pub on: Option<String>,
    /// A note kept with the event
    #[arg(long)]
    pub note: Option<String>,
}

#[derive(Debug, Args)]
pub struct SkipArgs {
    /// The task: full id, id suffix, list number or title words
    #[arg(value_name = "TASK")]
    pub task: String,
    /// A note kept with the event
    #[arg(long)]
    pub note: Option<String>,
}

#[derive(Debug, Args)]
pub struct ReopenArgs {
    /// The task: full id, id suffix, list number or title words
    #[arg(value_name = "TASK")]
    pub task: String,
    /// A note kept with the event
    #[arg(long)]
    pub note: Option<String>,
}

#[derive(Debug, Args)]
pub struct LogArgs {
    /// The task: full id, id suffix, list number or title words
    #[arg(value_name = "TASK")]
    pub task: String,
    /// Time spent: 1.5h, 90m, 2h30m
    #[arg(value_name = "TIME", allow_hyphen_values = true)]
    pub time: String,
    /// The day it was spent [default: today]
    #[arg(long, value_name = "DATE")]
    pub on: Option<String>,
    /// A note kept with the event
    #[arg(long)]
    pub note: Option<String>,
}

#[derive(Debug, Args)]
pub struct UndoArgs {
    /// Say what would be reverted, and change nothing
    #[arg(long)]
    pub dry_run: bool,
}

#[derive(Debug, Args)]
pub struct RedoArgs {
    /// Say what would be re-applied, and change nothing
    #[arg(long)]
    pub dry_run: bool,
}

#[derive(Debug, Args)]
pub struct MergeArgs {
    /// The common ancestor (unused: the merge is the union of both sides)
    #[arg(value_name = "BASE")]
    pub base: std::path::PathBuf,
    /// Our copy; the merged state is written here
    #[arg(value_name = "OURS")]
    pub ours: std::path::PathBuf,
    /// Their copy
    #[arg(value_name = "THEIRS")]
    pub theirs: std::path::PathBuf,
}

#[derive(Debug, Args)]
pub struct SyncArgs {
    /// Set the repository up for `roadmap sync` (the `.gitattributes` line and the merge driver), and stop
    #[arg(long)]
    pub setup: bool,
}

#[derive(Debug, Args)]
pub struct OffArgs {
    /// A day or a range FROM..TO
    #[arg(value_name = "RANGE", conflicts_with_all = ["list", "remove"])]
    pub range: Option<String>,
    /// A note for the days off (e.g. 春节)
    #[arg(long)]
    pub note: Option<String>,
    /// List the days off
    #[arg(long)]
    pub list: bool,
    /// Remove the days off that include DATE
    #[arg(long, value_name = "DATE")]
    pub remove: Option<String>,
    /// With --list: print JSON instead of text (shapes in docs/json.md)
    #[arg(long, conflicts_with_all = ["range", "remove"])]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// First day of study [default: today]
    #[arg(long, value_name = "DATE")]
    pub start: Option<String>,
    /// Hours per weekday, e.g. mon-fri=2,sat-sun=4 or mon=1.5,wed=2h30m,sat=6 [default: mon-fri=2,sat-sun=4]
    #[arg(long, value_name = "SPEC")]
    pub hours: Option<String>,
    /// Follow only these tracks (repeatable; the plan's tracks are listed below) [default: all]
    #[arg(long = "track", value_name = "ID")]
    pub tracks: Vec<String>,
    /// Replace existing progress (a backup is kept)
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Args)]
pub struct ConfigArgs {
    /// New first day of study
    #[arg(long, value_name = "DATE")]
    pub start: Option<String>,
    /// New hours per weekday, e.g. mon-fri=2,sat-sun=4
    #[arg(long, value_name = "SPEC")]
    pub hours: Option<String>,
    /// New tracks (repeatable); `all` selects every track
    #[arg(long = "track", value_name = "ID")]
    pub tracks: Vec<String>,
    /// Print JSON instead of text (shapes in docs/json.md)
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct ScheduleArgs {
    /// Only this phase
    #[arg(long, value_name = "ID")]
    pub phase: Option<String>,
    /// Print JSON instead of text (shapes in docs/json.md)
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct RebaselineArgs {
    /// Confirm replacing the baseline
    #[arg(long)]
    pub yes: bool,
}

#[derive(Debug, Args)]
pub struct ListArgs {
    /// Only this phase
    #[arg(long, value_name = "ID")]
    pub phase: Option<String>,
    /// Only tasks of this track (and tasks of no track)
    #[arg(long, value_name = "ID")]
    pub track: Option<String>,
    /// Print JSON instead of text (shapes in docs/json.md)
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// The task: full id, id suffix, list number or title words
    #[arg(value_name = "TASK")]
    pub task: String,
    /// Print JSON instead of text (shapes in docs/json.md)
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct WhyArgs {
    /// The task: full id, id suffix, list number or title words
    #[arg(value_name = "TASK")]
    pub task: String,
    /// Print JSON instead of text (shapes in docs/json.md)
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// The plan file [default: the plan in use]
    #[arg(value_name = "FILE")]
    pub file: Option<String>,
    /// Print JSON instead of text (shapes in docs/json.md)
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct PlansArgs {
    /// Print JSON instead of text (shapes in docs/json.md)
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// The ISO week: this, last, a date in it, or YYYY-Www [default: this]
    #[arg(long, value_name = "WEEK", conflicts_with_all = ["since", "until"])]
    pub week: Option<String>,
    /// Report the days from DATE instead of one week
    #[arg(long, value_name = "DATE")]
    pub since: Option<String>,
    /// The last day of a --since span [default: today]
    #[arg(long, value_name = "DATE", requires = "since")]
    pub until: Option<String>,
    /// The form: a terminal screen, a markdown weekly review, or JSON
    /// (documented in docs/report-json.md)
    #[arg(long, value_enum, default_value_t = Format::Table, value_name = "FORMAT")]
    pub format: Format,
    /// The same as --format json
    #[arg(long, conflicts_with = "format")]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct HabitsArgs {
    /// How many weeks to show, this one included
    #[arg(long, value_name = "N", default_value_t = 4, value_parser = clap::value_parser!(u32).range(1..=104))]
    pub weeks: u32,
    /// Print JSON instead of text (shapes in docs/json.md)
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct ForecastArgs {
    /// Other hours per weekday, e.g. mon-fri=3,sat-sun=5
    #[arg(long, value_name = "SPEC", conflicts_with = "weekly")]
    pub hours: Option<String>,
    /// Another weekly total (e.g. 15h): every weekday's hours scaled by one factor
    #[arg(long, value_name = "HOURS")]
    pub weekly: Option<String>,
    /// Print JSON instead of text (shapes in docs/json.md)
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct DoctorArgs {
    /// Repair what can be repaired without losing anything (never deletes an event)
    #[arg(long)]
    pub fix: bool,
    /// Print JSON instead of text (shapes in docs/json.md)
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct ReviewArgs {
    /// The finished task reviewed: full id, id suffix, list number or title words
    #[arg(value_name = "TASK")]
    pub task: Option<String>,
    /// How it went: again, hard, good or easy
    #[arg(value_name = "RATING")]
    pub rating: Option<String>,
    /// The day of the review [default: today]
    #[arg(long, value_name = "DATE")]
    pub on: Option<String>,
    /// A note kept with the event
    #[arg(long)]
    pub note: Option<String>,
    /// Print JSON instead of text (shapes in docs/json.md)
    #[arg(long)]
    pub json: bool,
}

// `man` takes only the global options (plain comment: a doc comment would be its about line).
#[derive(Debug, Args)]
pub struct ManArgs {}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete for
    #[arg(value_enum, value_name = "SHELL")]
    pub shell: clap_complete::Shell,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The format to export
    #[command(subcommand)]
    pub format: ExportFormat,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The Markdown guide
    #[arg(value_name = "GUIDE.md")]
    pub guide: PathBuf,
    /// Where to write the plan (`-` for standard output) [default: the
    /// --into file, else GUIDE with .yaml]
    #[arg(long, short, value_name = "PLAN.yaml")]
    pub out: Option<PathBuf>,
    /// The plan's id [default: from its title, else the file name]
    #[arg(long, value_name = "SLUG")]
    pub id: Option<String>,
    /// The plan's language [default: zh when the guide has Chinese text, else en]
    #[arg(long, value_name = "zh|en")]
    pub lang: Option<String>,
    /// Which sections are phases, modules and tasks, shallow to deep:
    /// heading levels 1-6 and b for bold numbered paragraphs (e.g. 3,4,b)
    #[arg(long, value_name = "LEVELS")]
    pub levels: Option<String>,
    /// An existing plan whose ids (and efforts, tags, dependencies) the
    /// matching items keep
    #[arg(long, value_name = "EXISTING.yaml")]
    pub into: Option<PathBuf>,
    /// Every estimated task's effort (e.g. 8h) instead of fitting the windows
    #[arg(long, value_name = "EFFORT")]
    pub effort: Option<String>,
    /// Print JSON instead of text (shapes in docs/json.md)
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct CompleteTasksArgs {
    /// The command line up to the word under the cursor
    #[arg(trailing_var_arg = true, allow_hyphen_values = true, value_name = "WORDS")]
    pub words: Vec<String>,
}

#[derive(Debug, Subcommand)]
pub enum ExportFormat {
    /// The schedule as an iCalendar file (RFC 5545) a calendar app can import or subscribe to
    ///
    /// One event per task per planned day, lasting that day's planned hours,
    /// from the daily start time; habits as recurring events; days off as
    /// all-day events. Times are floating local time. Event UIDs are stable,
    /// so importing a newer export updates the events instead of duplicating them.
    Ics {
        /// Write to FILE (atomically) instead of standard output
        #[arg(long, short, value_name = "FILE")]
        out: Option<PathBuf>,
        /// When each day's study begins (HH:MM, local time)
        #[arg(long, value_name = "HH:MM", default_value = "19:00")]
        start_time: String,
    },
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_command_line_is_consistent() {
        Cli::command().debug_assert();
    }

    /// The parser defines a subcommand's arguments only once it is parsed,
    /// and parses every command line as the whole definition does.
    #[test]
    fn the_parser_defers_each_subcommands_arguments() {
        let eager = Cli::command();
        let deferred = parser();
        for name in ["next", "done", "report", "import", "log"] {
            let defined = |c: &clap::Command| c.find_subcommand(name).map(|s| s.get_arguments().count());
            assert!(defined(&eager).is_some_and(|n| n > 0), "{name}");
            assert_eq!(defined(&deferred), Some(0), "{name}");
        }
        let lines: [&[&str]; 9] = [
            &["roadmap"],
            &["roadmap", "next", "--json", "--plan", "p.yaml"],
            &["roadmap", "--today", "2027-01-04", "done", "a", "b", "--on", "yesterday", "--count", "2"],
            &["roadmap", "report", "--week", "last", "--format", "markdown"],
            &["roadmap", "export", "ics", "--start-time", "07:30"],
            &["roadmap", "log", "moe", "-1h"],
            &["roadmap", "habits", "--weeks", "8", "--color", "never"],
            &["roadmap", "--today", "2027-01-04", "export", "ics", "--today", "2027-01-05", "--color", "always"],
            &["roadmap", "--color", "never", "--state", "s.jsonl", "list", "--plan", "p.yaml", "--today", "monday"],
        ];
        for line in lines {
            let parsed = |command: clap::Command| {
                let matches = command.try_get_matches_from(line).map_err(|e| e.to_string())?;
                parse(&matches).map(|cli| format!("{cli:?}")).map_err(|e| e.to_string())
            };
            let want = parsed(Cli::command());
            assert!(want.is_ok(), "{line:?}: {want:?}");
            assert_eq!(parsed(parser()), want, "{line:?}");
        }
        // The values themselves, read without the whole definition.
        let matches = parser().try_get_matches_from(lines[2]).map_err(|e| e.to_string());
        let cli = matches.and_then(|m| parse(&m).map_err(|e| e.to_string()));
        let Ok(Cli { global, command: Some(Command::Done(Deferred(done))) }) = cli else {
            panic!("{:?}: {cli:?}", lines[2]);
        };
        assert_eq!(global.today.as_deref(), Some("2027-01-04"));
        assert_eq!(done.tasks, ["a", "b"]);
        assert_eq!(
            (done.on.as_deref(), done.note, done.deliverable, done.count),
            (Some("yesterday"), None, None, Some(2))
        );
        assert!(!DEFER.get(), "the flag is put back");
        // Errors inside a deferred subcommand read as before.
        let error = |command: clap::Command| {
            command.try_get_matches_from(["roadmap", "done", "--count", "x"]).map(|_| ()).map_err(|e| e.to_string())
        };
        assert_eq!(error(parser()), error(Cli::command()));
        assert!(error(parser()).is_err());
    }

    /// The global options are read before and after the subcommand's name,
    /// the one after winning; a subcommand's default does not undo a value
    /// given before it; `man` and `help` take them too.
    #[test]
    fn the_global_options_are_read_on_either_side_of_the_subcommand() {
        let global = |line: &[&str]| {
            let matches = parser().try_get_matches_from(line).map_err(|e| e.to_string())?;
            parse(&matches).map(|cli| cli.global).map_err(|e| e.to_string())
        };
        let today = |line: &[&str]| global(line).map(|g| g.today);
        assert_eq!(today(&["roadmap", "--today", "2027-01-04", "next"]), Ok(Some("2027-01-04".into())));
        assert_eq!(today(&["roadmap", "next", "--today", "2027-01-05"]), Ok(Some("2027-01-05".into())));
        assert_eq!(
            today(&["roadmap", "--today", "2027-01-04", "next", "--today", "2027-01-05"]),
            Ok(Some("2027-01-05".into()))
        );
        assert_eq!(today(&["roadmap", "next"]), Ok(None));
        assert_eq!(today(&["roadmap", "--today", "tomorrow"]), Ok(Some("tomorrow".into())));
        let color = |line: &[&str]| global(line).map(|g| g.color);
        assert_eq!(color(&["roadmap", "--color", "never", "list"]), Ok(ColorChoice::Never));
        assert_eq!(color(&["roadmap", "--color", "never", "list", "--color", "always"]), Ok(ColorChoice::Always));
        assert_eq!(color(&["roadmap", "list"]), Ok(ColorChoice::Auto));
        assert_eq!(color(&["roadmap", "man", "--color", "never"]), Ok(ColorChoice::Never));
        // A subcommand's own subcommand (`export ics`) takes them too.
        let b = Ok(Some("2027-01-05".into()));
        assert_eq!(today(&["roadmap", "export", "ics", "--today", "2027-01-05"]), b);
        assert_eq!(today(&["roadmap", "export", "--today", "2027-01-05", "ics"]), b);
        assert_eq!(today(&["roadmap", "--today", "2027-01-04", "export", "ics", "--today", "2027-01-05"]), b);
        assert_eq!(today(&["roadmap", "--today", "2027-01-05", "export", "ics"]), b);
        let all = global(&["roadmap", "done", "a", "--plan", "p.yaml", "--state", "s.jsonl"]);
        let all = all.map(|g| (g.plan, g.state));
        assert_eq!(all, Ok((Some("p.yaml".into()), Some(PathBuf::from("s.jsonl")))));
        // A value missing after the subcommand is an error, as before it.
        let missing = global(&["roadmap", "next", "--today"]).map(|_| ()).unwrap_err();
        assert!(missing.contains("a value is required for '--today <DATE>'"), "{missing}");
        // Every subcommand takes them (built, each defines its own), and
        // lists them in its help.
        let mut built = parser();
        built.build();
        for sub in built.get_subcommands().filter(|s| s.get_name() != "help") {
            let ids: Vec<&str> = sub.get_arguments().map(|a| a.get_id().as_str()).collect();
            for id in ["plan", "state", "today", "color"] {
                assert!(ids.contains(&id), "{} has no --{id}: {ids:?}", sub.get_name());
            }
        }
        let help = parser().try_get_matches_from(["roadmap", "help", "next"]).map(|_| ()).unwrap_err().to_string();
        assert!(help.contains("Global options:\n      --plan <NAME|FILE>"), "{help}");
    }

    /// Every option and argument of every visible command says what it is.
    #[test]
    fn every_flag_is_described() {
        fn walk(command: &clap::Command, path: &str, missing: &mut Vec<String>) {
            for arg in command.get_arguments() {
                let builtin = matches!(arg.get_id().as_str(), "help" | "version");
                if !builtin && !arg.is_hide_set() && arg.get_help().is_none() {
                    missing.push(format!("{path} {}", arg.get_id()));
                }
            }
            for sub in command.get_subcommands().filter(|s| !s.is_hide_set()) {
                walk(sub, &format!("{path} {}", sub.get_name()), missing);
            }
        }
        let mut missing = Vec::new();
        walk(&Cli::command(), "roadmap", &mut missing);
        assert_eq!(missing, Vec::<String>::new());
    }
}
