//! The command line, as clap sees it. Only the shape lives here; `run`
//! and `shell::context` turn it into decisions, `commands` into behaviour.

use clap::{Args, Parser, Subcommand, ValueEnum};
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

/// Options every command takes. Each falls back to an environment
/// variable, read by `shell::context` (not by clap, so that a usage line
/// never shows the environment's values).
#[derive(Debug, Args)]
#[command(next_help_heading = "Global options")]
pub struct Global {
    /// Plan to use: a built-in name (see `roadmap plans`) or a YAML file [env: ROADMAP_PLAN]
    #[arg(long, global = true, value_name = "NAME|FILE")]
    pub plan: Option<String>,
    /// State file holding your progress [env: ROADMAP_STATE] [default: the user data directory]
    #[arg(long, global = true, value_name = "PATH")]
    pub state: Option<PathBuf>,
    /// Act as if today were DATE (YYYY-MM-DD, yesterday, …) [env: ROADMAP_TODAY]
    #[arg(long, global = true, value_name = "DATE")]
    pub today: Option<String>,
    /// When to colour the output (auto: on a terminal, unless NO_COLOR is set)
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
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

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Show today's work, habits due, overdue tasks and what comes next
    Next {
        /// Print JSON instead of text (shapes in docs/json.md)
        #[arg(long)]
        json: bool,
        /// Also say why each of today's tasks is today (as `roadmap why TASK`)
        #[arg(long)]
        why: bool,
    },
    /// Mark tasks done, check a deliverable, or check in a habit
    Done {
        /// Tasks or a habit: full id, id suffix, list number or title words
        #[arg(required = true, value_name = "TASK")]
        tasks: Vec<String>,
        /// The day it was done [default: today]
        #[arg(long, value_name = "DATE")]
        on: Option<String>,
        /// A note kept with the event
        #[arg(long)]
        note: Option<String>,
        /// Check deliverable N of the task (as numbered by `show`) instead
        #[arg(long, value_name = "N")]
        deliverable: Option<usize>,
        /// For a habit: how many were done (e.g. 2 problems)
        #[arg(long, value_name = "N")]
        count: Option<u32>,
    },
    /// Mark a task as started
    Start {
        /// The task: full id, id suffix, list number or title words
        #[arg(value_name = "TASK")]
        task: String,
        /// The day it started [default: today]
        #[arg(long, value_name = "DATE")]
        on: Option<String>,
        /// A note kept with the event
        #[arg(long)]
        note: Option<String>,
    },
    /// Skip a task: it leaves the schedule and is reported apart
    Skip {
        /// The task: full id, id suffix, list number or title words
        #[arg(value_name = "TASK")]
        task: String,
        /// A note kept with the event
        #[arg(long)]
        note: Option<String>,
    },
    /// Reopen a done or skipped task
    Reopen {
        /// The task: full id, id suffix, list number or title words
        #[arg(value_name = "TASK")]
        task: String,
        /// A note kept with the event
        #[arg(long)]
        note: Option<String>,
    },
    /// Log time spent on a task (e.g. `roadmap log moe 1.5h`)
    Log {
        /// The task: full id, id suffix, list number or title words
        #[arg(value_name = "TASK")]
        task: String,
        /// Time spent: 1.5h, 90m, 2h30m
        #[arg(value_name = "TIME", allow_hyphen_values = true)]
        time: String,
        /// The day it was spent [default: today]
        #[arg(long, value_name = "DATE")]
        on: Option<String>,
        /// A note kept with the event
        #[arg(long)]
        note: Option<String>,
    },
    /// Revert the last recorded change, all of its events (repeatable)
    Undo {
        /// Say what would be reverted, and change nothing
        #[arg(long)]
        dry_run: bool,
    },
    /// Re-apply the last undone change (repeatable, until a new change is recorded)
    Redo {
        /// Say what would be re-applied, and change nothing
        #[arg(long)]
        dry_run: bool,
    },
    /// Merge two copies of the state (a git merge driver: BASE OURS THEIRS; the result goes to OURS)
    Merge {
        /// The common ancestor (unused: the merge is the union of both sides)
        #[arg(value_name = "BASE")]
        base: std::path::PathBuf,
        /// Our copy; the merged state is written here
        #[arg(value_name = "OURS")]
        ours: std::path::PathBuf,
        /// Their copy
        #[arg(value_name = "THEIRS")]
        theirs: std::path::PathBuf,
    },
    /// Commit the state, pull (merging with the other machines) and push, with git
    Sync {
        /// Set the repository up for `roadmap sync` (the `.gitattributes` line and the merge driver), and stop
        #[arg(long)]
        setup: bool,
    },
    /// Add, list or remove days off (e.g. `roadmap off 2027-02-10..2027-02-17 --note 春节`)
    Off {
        /// A day or a range FROM..TO
        #[arg(value_name = "RANGE", conflicts_with_all = ["list", "remove"])]
        range: Option<String>,
        /// A note for the days off (e.g. 春节)
        #[arg(long)]
        note: Option<String>,
        /// List the days off
        #[arg(long)]
        list: bool,
        /// Remove the days off that include DATE
        #[arg(long, value_name = "DATE")]
        remove: Option<String>,
        /// With --list: print JSON instead of text (shapes in docs/json.md)
        #[arg(long, conflicts_with_all = ["range", "remove"])]
        json: bool,
    },
    /// Start tracking a plan: calendar, tracks and the baseline schedule
    Init {
        /// First day of study [default: today]
        #[arg(long, value_name = "DATE")]
        start: Option<String>,
        /// Hours per weekday, e.g. mon-fri=2,sat-sun=4 or mon=1.5,wed=2h30m,sat=6 [default: mon-fri=2,sat-sun=4]
        #[arg(long, value_name = "SPEC")]
        hours: Option<String>,
        /// Follow only these tracks (repeatable; the plan's tracks are listed below) [default: all]
        #[arg(long = "track", value_name = "ID")]
        tracks: Vec<String>,
        /// Replace existing progress (a backup is kept)
        #[arg(long)]
        force: bool,
    },
    /// Show or change the settings: start date, hours per weekday, tracks
    Config {
        /// New first day of study
        #[arg(long, value_name = "DATE")]
        start: Option<String>,
        /// New hours per weekday, e.g. mon-fri=2,sat-sun=4
        #[arg(long, value_name = "SPEC")]
        hours: Option<String>,
        /// New tracks (repeatable); `all` selects every track
        #[arg(long = "track", value_name = "ID")]
        tracks: Vec<String>,
        /// Print JSON instead of text (shapes in docs/json.md)
        #[arg(long)]
        json: bool,
    },
    /// The computed schedule: planned dates, baseline, slip and status
    Schedule {
        /// Only this phase
        #[arg(long, value_name = "ID")]
        phase: Option<String>,
        /// Print JSON instead of text (shapes in docs/json.md)
        #[arg(long)]
        json: bool,
    },
    /// Replace the baseline with today's schedule
    Rebaseline {
        /// Confirm replacing the baseline
        #[arg(long)]
        yes: bool,
    },
    /// List phases, modules and tasks with their status
    List {
        /// Only this phase
        #[arg(long, value_name = "ID")]
        phase: Option<String>,
        /// Only tasks of this track (and tasks of no track)
        #[arg(long, value_name = "ID")]
        track: Option<String>,
        /// Print JSON instead of text (shapes in docs/json.md)
        #[arg(long)]
        json: bool,
    },
    /// Show one task or habit in full
    Show {
        /// The task: full id, id suffix, list number or title words
        #[arg(value_name = "TASK")]
        task: String,
        /// Print JSON instead of text (shapes in docs/json.md)
        #[arg(long)]
        json: bool,
    },
    /// Why a task is where it is: what it waits for, the hours that day, what would bring it earlier
    Why {
        /// The task: full id, id suffix, list number or title words
        #[arg(value_name = "TASK")]
        task: String,
        /// Print JSON instead of text (shapes in docs/json.md)
        #[arg(long)]
        json: bool,
    },
    /// Check a plan file and summarise it
    Validate {
        /// The plan file [default: the plan in use]
        #[arg(value_name = "FILE")]
        file: Option<String>,
        /// Print JSON instead of text (shapes in docs/json.md)
        #[arg(long)]
        json: bool,
    },
    /// The built-in plans
    Plans {
        /// Print JSON instead of text (shapes in docs/json.md)
        #[arg(long)]
        json: bool,
    },
    /// The weekly report: work done and earned against the plan, habits,
    /// phases, pace and next week
    ///
    /// Effort counts, not tasks: a day earns the estimates of the tasks done
    /// that day (less what was logged on them before) and the hours logged on
    /// unfinished ones. The planned hours are the baseline's.
    Report {
        /// The ISO week: this, last, a date in it, or YYYY-Www [default: this]
        #[arg(long, value_name = "WEEK", conflicts_with_all = ["since", "until"])]
        week: Option<String>,
        /// Report the days from DATE instead of one week
        #[arg(long, value_name = "DATE")]
        since: Option<String>,
        /// The last day of a --since span [default: today]
        #[arg(long, value_name = "DATE", requires = "since")]
        until: Option<String>,
        /// The form: a terminal screen, a markdown weekly review, or JSON
        /// (documented in docs/report-json.md)
        #[arg(long, value_enum, default_value_t = Format::Table, value_name = "FORMAT")]
        format: Format,
        /// The same as --format json
        #[arg(long, conflicts_with = "format")]
        json: bool,
    },
    /// Each habit's consistency: a strip of the last weeks, adherence and streaks
    Habits {
        /// How many weeks to show, this one included
        #[arg(long, value_name = "N", default_value_t = 4, value_parser = clap::value_parser!(u32).range(1..=104))]
        weeks: u32,
        /// Print JSON instead of text (shapes in docs/json.md)
        #[arg(long)]
        json: bool,
    },
    /// What if you had other hours? Re-schedules the remaining work without
    /// changing anything
    Forecast {
        /// Other hours per weekday, e.g. mon-fri=3,sat-sun=5
        #[arg(long, value_name = "SPEC", conflicts_with = "weekly")]
        hours: Option<String>,
        /// Another weekly total (e.g. 15h): every weekday's hours scaled by one factor
        #[arg(long, value_name = "HOURS")]
        weekly: Option<String>,
        /// Print JSON instead of text (shapes in docs/json.md)
        #[arg(long)]
        json: bool,
    },
    /// Check the plan and the state together: orphaned progress, plan changes, crash leftovers
    Doctor {
        /// Repair what can be repaired without losing anything (never deletes an event)
        #[arg(long)]
        fix: bool,
        /// Print JSON instead of text (shapes in docs/json.md)
        #[arg(long)]
        json: bool,
    },
    /// List the spaced reviews due and coming, or record one: `review TASK good`
    Review {
        /// The finished task reviewed: full id, id suffix, list number or title words
        #[arg(value_name = "TASK")]
        task: Option<String>,
        /// How it went: again, hard, good or easy
        #[arg(value_name = "RATING")]
        rating: Option<String>,
        /// The day of the review [default: today]
        #[arg(long, value_name = "DATE")]
        on: Option<String>,
        /// A note kept with the event
        #[arg(long)]
        note: Option<String>,
        /// Print JSON instead of text (shapes in docs/json.md)
        #[arg(long)]
        json: bool,
    },
    /// Print a shell completion script (task ids complete with their titles)
    ///
    /// bash: `roadmap completions bash > ~/.local/share/bash-completion/completions/roadmap`;
    /// zsh: `roadmap completions zsh > ~/.zfunc/_roadmap` (with ~/.zfunc in $fpath);
    /// fish: `roadmap completions fish > ~/.config/fish/completions/roadmap.fish`.
    Completions {
        /// The shell to complete for
        #[arg(value_enum, value_name = "SHELL")]
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff): `roadmap man > ~/.local/share/man/man1/roadmap.1`
    Man,
    /// Export the schedule for other programs
    Export {
        /// The format to export
        #[command(subcommand)]
        format: ExportFormat,
    },
    /// Turn a Markdown learning guide into a plan (rules in docs/import.md)
    ///
    /// Headings (and bold numbered paragraphs such as `**1. Topic**`) become
    /// phases, modules and tasks; durations in headings become windows; ✅
    /// lines and checkboxes become deliverables; links become resources;
    /// routines become habits; alternative routes become tracks. Efforts are
    /// estimated and marked `# estimated`. With --into, matching items keep
    /// the existing plan's ids, so progress stays.
    Import {
        /// The Markdown guide
        #[arg(value_name = "GUIDE.md")]
        guide: PathBuf,
        /// Where to write the plan (`-` for standard output) [default: the
        /// --into file, else GUIDE with .yaml]
        #[arg(long, short, value_name = "PLAN.yaml")]
        out: Option<PathBuf>,
        /// The plan's id [default: from its title, else the file name]
        #[arg(long, value_name = "SLUG")]
        id: Option<String>,
        /// The plan's language [default: zh when the guide has Chinese text, else en]
        #[arg(long, value_name = "zh|en")]
        lang: Option<String>,
        /// Which sections are phases, modules and tasks, shallow to deep:
        /// heading levels 1-6 and b for bold numbered paragraphs (e.g. 3,4,b)
        #[arg(long, value_name = "LEVELS")]
        levels: Option<String>,
        /// An existing plan whose ids (and efforts, tags, dependencies) the
        /// matching items keep
        #[arg(long, value_name = "EXISTING.yaml")]
        into: Option<PathBuf>,
        /// Every estimated task's effort (e.g. 8h) instead of fitting the windows
        #[arg(long, value_name = "EFFORT")]
        effort: Option<String>,
        /// Print JSON instead of text (shapes in docs/json.md)
        #[arg(long)]
        json: bool,
    },
    /// For completion scripts: the tasks that fit the word under the cursor
    ///
    /// WORDS is the command line up to and including that word. Prints
    /// `ID<TAB>TITLE` lines and exits 0 when the word is a task argument;
    /// exits 1 when it is not, so the script completes as usual.
    #[command(name = "__complete-tasks", hide = true)]
    CompleteTasks {
        /// The command line up to the word under the cursor
        #[arg(trailing_var_arg = true, allow_hyphen_values = true, value_name = "WORDS")]
        words: Vec<String>,
    },
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
