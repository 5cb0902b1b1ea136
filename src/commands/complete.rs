//! `roadmap completions SHELL`, `roadmap man` and the hidden
//! `roadmap __complete-tasks` that the completion scripts call to offer
//! task ids with their titles.

use crate::cli::Cli;
use crate::core::plan::Plan;
use crate::core::progress::Status;
use crate::core::schedule::Work;
use crate::shell::context::Ctx;
use crate::shell::error::{Error, Result};
use crate::shell::session::Session;
use crate::shell::store::Store;
use clap::{Command, CommandFactory};
use clap_complete::Shell;
use std::fmt::Write;
use std::path::Path;

/// The command line without hidden subcommands, which clap_complete would
/// otherwise offer.
fn visible_command() -> Command {
    let full = Cli::command();
    let visible: Vec<Command> = full.get_subcommands().filter(|c| !c.is_hide_set()).cloned().collect();
    let mut command = Command::new("roadmap");
    if let Some(about) = full.get_about() {
        command = command.about(about.clone());
    }
    if let Some(about) = full.get_long_about() {
        command = command.long_about(about.clone());
    }
    command
        .version(crate::cli::VERSION)
        .propagate_version(true)
        .max_term_width(100)
        .args(full.get_arguments().cloned())
        .subcommands(visible)
}

/// The clap_complete script, plus the glue that completes task ids by
/// asking `roadmap __complete-tasks` (bash, zsh, fish, elvish).
pub(crate) fn script(shell: Shell) -> Result<String> {
    let mut command = visible_command();
    let mut buffer = Vec::new();
    clap_complete::generate(shell, &mut command, "roadmap", &mut buffer);
    let generated = String::from_utf8_lossy(&buffer).into_owned();
    Ok(match shell {
        Shell::Bash => format!("{generated}{BASH_TASKS}"),
        Shell::Zsh => zsh_with_tasks(&generated),
        Shell::Fish => format!("{generated}{FISH_TASKS}"),
        Shell::Elvish => format!("{generated}{ELVISH_TASKS}"),
        _ => generated,
    })
}

const BASH_TASKS: &str = r#"
# Task ids: `roadmap __complete-tasks` says whether the word under the cursor
# is a task argument and which tasks fit; otherwise complete as above.
_roadmap_tasks() {
    local cur=${COMP_WORDS[COMP_CWORD]} out line id
    if out=$(roadmap __complete-tasks -- "${COMP_WORDS[@]:0:COMP_CWORD+1}" 2>/dev/null); then
        COMPREPLY=()
        while IFS= read -r line; do
            id=${line%%$'\t'*}
            [[ -n $id && $id == "$cur"* ]] && COMPREPLY+=("$id")
        done <<< "$out"
        if ((${#COMPREPLY[@]} == 0)) && [[ -n $cur ]]; then
            while IFS= read -r line; do
                id=${line%%$'\t'*}
                [[ -n $id && $id == *."$cur"* ]] && COMPREPLY+=("$id")
            done <<< "$out"
        fi
        return 0
    fi
    _roadmap "$@"
}

if [[ "${BASH_VERSINFO[0]}" -eq 4 && "${BASH_VERSINFO[1]}" -ge 4 || "${BASH_VERSINFO[0]}" -gt 4 ]]; then
    complete -F _roadmap_tasks -o nosort -o bashdefault -o default roadmap
else
    complete -F _roadmap_tasks -o bashdefault -o default roadmap
fi
"#;

const ZSH_TASKS: &str = r#"(( $+functions[_roadmap_tasks] )) ||
_roadmap_tasks() {
    local -a args candidates
    local out line
    args=("${(@Q)${(z)LBUFFER}}")
    [[ $LBUFFER == *[[:space:]] ]] && args+=('')
    out=$(roadmap __complete-tasks -- "${args[@]}" 2>/dev/null) || return 1
    for line in "${(@f)out}"; do
        [[ -n $line ]] || continue
        candidates+=("${${line%%$'\t'*}//:/\\:}:${line#*$'\t'}")
    done
    _describe -t tasks 'task' candidates
}

"#;

/// Task arguments complete through `_roadmap_tasks` instead of `_default`.
fn zsh_with_tasks(generated: &str) -> String {
    let mut out = String::with_capacity(generated.len() + ZSH_TASKS.len());
    for line in generated.lines() {
        if line.starts_with("if [ \"$funcstack[1]\" = \"_roadmap\" ]") {
            out.push_str(ZSH_TASKS);
        }
        let is_task = line.starts_with("':task") || line.starts_with("'*::tasks");
        match line.strip_suffix(":_default' \\") {
            Some(head) if is_task => {
                let _ = writeln!(out, "{head}:_roadmap_tasks' \\");
            }
            _ => {
                out.push_str(line);
                out.push('\n');
            }
        }
    }
    out
}

const FISH_TASKS: &str = r#"
# Task ids with their titles, where the word under the cursor is a task argument.
function __roadmap_complete_tasks
    roadmap __complete-tasks -- (commandline -opc) (commandline -ct) 2>/dev/null
end
complete -c roadmap -n '__roadmap_complete_tasks >/dev/null' -f -a '(__roadmap_complete_tasks)'
"#;

const ELVISH_TASKS: &str = r#"
# Task ids with their titles, where the word under the cursor is a task argument.
var roadmap-static-completer = $edit:completion:arg-completer[roadmap]
set edit:completion:arg-completer[roadmap] = {|@words|
    var tasks = $true
    var lines = []
    try {
        set lines = [(roadmap __complete-tasks -- $@words 2>/dev/null | from-lines)]
    } catch {
        set tasks = $false
    }
    if $tasks {
        for line $lines {
            var id title = (str:split "\t" $line)
            edit:complex-candidate $id &display=$id'  '$title
        }
    } else {
        $roadmap-static-completer $@words
    }
}
"#;

/// The man page: the usual sections, every command with its options, and
/// environment, files, exit status and examples.
pub(crate) fn man() -> Result<String> {
    let command = visible_command();
    let page = clap_mangen::Man::new(command.clone());
    let mut buffer = Vec::new();
    let rendered = page
        .render_title(&mut buffer)
        .and_then(|()| page.render_name_section(&mut buffer))
        .and_then(|()| page.render_synopsis_section(&mut buffer))
        .and_then(|()| page.render_description_section(&mut buffer))
        .and_then(|()| page.render_options_section(&mut buffer));
    rendered.map_err(|e| Error::refused(format!("cannot render the man page: {e}")))?;
    let mut out = String::from_utf8_lossy(&buffer).into_owned();
    out.push_str(".SH COMMANDS\n");
    for sub in command.get_subcommands() {
        man_command(&mut out, sub, "roadmap")?;
    }
    out.push_str(MAN_EXTRA);
    let _ = writeln!(out, ".SH VERSION\nv{}", crate::cli::VERSION);
    Ok(ascii_roff(&once_aq_definition(&out)))
}

/// Writes characters beyond ASCII as groff's `\[uXXXX]`, so that the page
/// reads the same whether or not the formatter is told the encoding.
fn ascii_roff(page: &str) -> String {
    let mut out = String::with_capacity(page.len());
    for c in page.chars() {
        if c.is_ascii() {
            out.push(c);
        } else {
            let _ = write!(out, "\\[u{:04X}]", u32::from(c));
        }
    }
    out
}

/// Each rendered piece starts by defining the apostrophe string `Aq`; one
/// definition at the top is enough.
fn once_aq_definition(page: &str) -> String {
    let mut out = String::with_capacity(page.len());
    let mut seen = false;
    let mut lines = page.lines().peekable();
    while let Some(line) = lines.next() {
        if line.starts_with(".ie \\n(.g .ds Aq") && lines.peek().is_some_and(|l| l.starts_with(".el .ds Aq")) {
            if seen {
                lines.next();
                continue;
            }
            seen = true;
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// A command's subsection of COMMANDS, then its subcommands' ones.
fn man_command(out: &mut String, command: &Command, parent: &str) -> Result<()> {
    let name = format!("{parent} {}", command.get_name());
    let page = clap_mangen::Man::new(command.clone().bin_name(name.clone()).disable_help_subcommand(true));
    let mut buffer = Vec::new();
    let rendered = page
        .render_description_section(&mut buffer)
        .and_then(|()| page.render_synopsis_section(&mut buffer))
        .and_then(|()| page.render_options_section(&mut buffer));
    rendered.map_err(|e| Error::refused(format!("cannot render the man page: {e}")))?;
    let _ = writeln!(out, ".SS \"{name}\"");
    out.push_str(&without_sections(&String::from_utf8_lossy(&buffer)));
    for child in command.get_subcommands() {
        man_command(out, child, &name)?;
    }
    Ok(())
}

/// Sections of a command become paragraphs of its subsection.
fn without_sections(rendered: &str) -> String {
    let mut out = String::with_capacity(rendered.len());
    for line in rendered.lines() {
        match line.strip_prefix(".SH ") {
            Some(heading) if heading.contains("SYNOPSIS") => out.push_str(".PP\n"),
            Some(_) => {}
            None => {
                out.push_str(line);
                out.push('\n');
            }
        }
    }
    out
}

const MAN_EXTRA: &str = r#".SH ENVIRONMENT
.TP
\fBROADMAP_PLAN\fR, \fBROADMAP_STATE\fR, \fBROADMAP_TODAY\fR
Defaults for \fB\-\-plan\fR, \fB\-\-state\fR and \fB\-\-today\fR.
.TP
\fBNO_COLOR\fR
When set and not empty, no colour unless \fB\-\-color always\fR.
.TP
\fBCLICOLOR_FORCE\fR
When set and not 0, colour even when the output is not a terminal (\fB\-\-color auto\fR).
.TP
\fBCOLUMNS\fR
The width tables are fitted to.
.SH FILES
.TP
\fI~/.local/share/roadmap/state.jsonl\fR
The state file on Linux (the user data directory elsewhere): a header line,
then one event a line, appended and synced; never rewritten in place.
.SH EXIT STATUS
0 on success (also when the reader of the output goes away, as with \fBhead\fR),
1 for invalid data or a refused operation, 2 for bad usage.
.SH EXAMPLES
.TP
\fBroadmap next\fR
Each morning: today's work, habits due, overdue tasks and what comes next.
.TP
\fBroadmap done moe\fR
After finishing a task (full id, id suffix, list number or title words).
.TP
\fBroadmap list \-\-json | jq \-r '.phases[].modules[].tasks[] | select(.status == "todo") | .id'\fR
Every task still to do, through jq.
.TP
\fBroadmap export ics \-\-out ~/roadmap.ics\fR
The schedule for a calendar app to import or subscribe to.
.TP
\fBroadmap completions bash > ~/.local/share/bash\-completion/completions/roadmap\fR
Completions for bash; also zsh, fish, elvish and powershell.
"#;

/// What a task argument may name in a given command.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Want {
    /// Open tasks (start, skip, log).
    Open,
    /// Open tasks and habits (done).
    OpenAndHabits,
    /// Done and skipped tasks (reopen).
    Closed,
    /// Every task and habit (show).
    All,
}

/// A task argument under the cursor, with the global options typed before it.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Position {
    want: Want,
    state: Option<String>,
    plan: Option<String>,
}

/// Global options that take a value, then the task commands' ones.
const VALUE_OPTIONS: &[&str] = &["plan", "state", "today", "color", "on", "note", "deliverable", "count"];

/// Reads a command line up to the word under the cursor (the last word):
/// is that word a task argument, and of which command?
fn task_position(words: &[String]) -> Option<Position> {
    let (current, before) = words.split_last()?;
    // The program is the last word named `roadmap` (a shell may pass what
    // came before it on the line); else the first word.
    let program = before.iter().rposition(|w| Path::new(w).file_name().is_some_and(|n| n == "roadmap")).unwrap_or(0);
    let scan = Scan::of(before.get(program + 1..).unwrap_or_default());
    if scan.pending.is_some() || current.starts_with('-') {
        return None;
    }
    let want = wanted(scan.command?, scan.positionals)?;
    Some(Position { want, state: scan.state, plan: scan.plan })
}

/// What the task argument after `command` and `positionals` other
/// arguments may name, if it is a task argument at all.
fn wanted(command: &str, positionals: usize) -> Option<Want> {
    match (command, positionals) {
        ("done", _) => Some(Want::OpenAndHabits),
        ("start" | "skip" | "log", 0) => Some(Want::Open),
        ("reopen", 0) => Some(Want::Closed),
        ("show" | "why", 0) => Some(Want::All),
        _ => None,
    }
}

/// What the words after the program say: the command, how many arguments
/// follow it, the `--state` and `--plan` given, and an option still waiting
/// for its value.
#[derive(Default)]
struct Scan<'a> {
    command: Option<&'a str>,
    positionals: usize,
    pending: Option<&'static str>,
    state: Option<String>,
    plan: Option<String>,
}

impl<'a> Scan<'a> {
    fn of(words: &'a [String]) -> Scan<'a> {
        let mut scan = Scan::default();
        for word in words {
            scan.word(word);
        }
        scan
    }

    fn word(&mut self, word: &'a str) {
        if let Some(option) = self.pending {
            // bash splits `--state=FILE` into `--state`, `=`, `FILE`.
            if word != "=" {
                self.record(option, word);
                self.pending = None;
            }
        } else if let Some(long) = word.strip_prefix("--") {
            self.long_option(long);
        } else if word.len() > 1 && word.starts_with('-') {
            // Short flags take no value.
        } else if self.command.is_none() {
            self.command = Some(word);
        } else {
            self.positionals += 1;
        }
    }

    /// `--name=value` or `--name` (its value the next word), for the
    /// options that take one; other options are passed over.
    fn long_option(&mut self, long: &str) {
        let (name, value) = match long.split_once('=') {
            Some((name, value)) => (name, Some(value)),
            None => (long, None),
        };
        let Some(&option) = VALUE_OPTIONS.iter().find(|o| **o == name) else { return };
        match value {
            Some(value) => self.record(option, value),
            None => self.pending = Some(option),
        }
    }

    fn record(&mut self, option: &str, value: &str) {
        match option {
            "state" => self.state = Some(value.to_string()),
            "plan" => self.plan = Some(value.to_string()),
            _ => {}
        }
    }
}

/// `__complete-tasks -- WORDS`: the candidates as `ID<TAB>TITLE` lines.
pub(crate) fn tasks(ctx: &Ctx, words: &[String]) -> Result<String> {
    let position = task_position(words).ok_or_else(|| Error::refused("the word under the cursor is not a task"))?;
    let local = Ctx {
        today: ctx.today,
        now: ctx.now,
        store: match &position.state {
            Some(path) => Store::new(crate::shell::context::expand_home(path)).with_snapshots(ctx.cache.as_deref()),
            None => ctx.store.clone(),
        },
        plan_arg: position.plan.clone().or_else(|| ctx.plan_arg.clone()),
        terminal: ctx.terminal,
        cache: ctx.cache.clone(),
    };
    let session = Session::open(&local)?;
    let outlook = session.outlook(local.today)?;
    Ok(candidates(session.plan(), &outlook.work, |id| session.progress.status(id), position.want))
}

/// The tasks (and habits) `want` offers, as `ID<TAB>TITLE` lines.
fn candidates(plan: &Plan, work: &[Work], status: impl Fn(&str) -> Status, want: Want) -> String {
    let mut out = String::new();
    for (i, task) in plan.tasks.iter().enumerate() {
        if offers(want, &work[i], status(&task.full_id)) {
            let _ = writeln!(out, "{}\t{}", task.full_id, one_line(&task.title));
        }
    }
    if matches!(want, Want::OpenAndHabits | Want::All) {
        for habit in &plan.habits {
            let _ = writeln!(out, "{}\t{} (habit)", habit.id, one_line(&habit.title));
        }
    }
    out
}

/// Whether a task with this work and status is offered.
fn offers(want: Want, work: &Work, status: Status) -> bool {
    match want {
        Want::Open | Want::OpenAndHabits => matches!(work, Work::Open { .. }),
        Want::Closed => matches!(status, Status::Done(_) | Status::Skipped),
        Want::All => true,
    }
}

/// A title on one line: control characters (tabs, newlines) as spaces.
fn one_line(title: &str) -> String {
    title.chars().map(|c| if c.is_control() { ' ' } else { c }).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn position(line: &str) -> Option<Position> {
        let mut words: Vec<String> = line.split(' ').map(str::to_string).collect();
        if line.ends_with(' ') {
            words.pop();
            words.push(String::new());
        }
        task_position(&words)
    }

    fn want(line: &str) -> Option<Want> {
        position(line).map(|p| p.want)
    }

    #[test]
    fn finds_task_arguments() {
        assert_eq!(want("roadmap done "), Some(Want::OpenAndHabits));
        assert_eq!(want("roadmap done mo"), Some(Want::OpenAndHabits));
        assert_eq!(want("roadmap done p4.a.b "), Some(Want::OpenAndHabits));
        assert_eq!(want("roadmap start "), Some(Want::Open));
        assert_eq!(want("roadmap skip x"), Some(Want::Open));
        assert_eq!(want("roadmap log "), Some(Want::Open));
        assert_eq!(want("roadmap reopen "), Some(Want::Closed));
        assert_eq!(want("roadmap show "), Some(Want::All));
        assert_eq!(want("roadmap --today 2027-01-04 done --note hi "), Some(Want::OpenAndHabits));
        assert_eq!(want("cd x && roadmap start "), Some(Want::Open));
        assert_eq!(want("/usr/local/bin/roadmap start "), Some(Want::Open));
    }

    #[test]
    fn other_words_are_not_task_arguments() {
        assert_eq!(want("roadmap "), None);
        assert_eq!(want("roadmap do"), None);
        assert_eq!(want("roadmap done --"), None);
        assert_eq!(want("roadmap done --on "), None);
        assert_eq!(want("roadmap done --count "), None);
        assert_eq!(want("roadmap log moe "), None);
        assert_eq!(want("roadmap show moe "), None);
        assert_eq!(want("roadmap list "), None);
        assert_eq!(want("roadmap --state "), None);
        assert_eq!(want("roadmap"), None);
        assert_eq!(task_position(&[]), None);
    }

    #[test]
    fn keeps_the_state_and_plan_options() {
        let p = position("roadmap --state /tmp/s.jsonl --plan=x.yaml done ").unwrap();
        assert_eq!(p.state.as_deref(), Some("/tmp/s.jsonl"));
        assert_eq!(p.plan.as_deref(), Some("x.yaml"));
        // bash splits at `=`.
        let p = position("roadmap --state = /tmp/t.jsonl start ").unwrap();
        assert_eq!(p.state.as_deref(), Some("/tmp/t.jsonl"));
        let p = position("roadmap done --state=/tmp/u.jsonl ").unwrap();
        assert_eq!(p.state.as_deref(), Some("/tmp/u.jsonl"));
    }

    #[test]
    fn zsh_task_arguments_call_the_helper() {
        let script = script(Shell::Zsh).unwrap();
        assert_eq!(script.matches(":_roadmap_tasks' \\").count(), 7, "{script}");
        assert!(script.contains("_roadmap_tasks() {"));
        let helper = script.find("_roadmap_tasks() {").unwrap();
        let compdef = script.find("compdef _roadmap roadmap").unwrap();
        assert!(helper < compdef);
    }

    #[test]
    fn hidden_commands_are_not_offered() {
        for shell in [Shell::Bash, Shell::Zsh, Shell::Fish, Shell::Elvish, Shell::PowerShell] {
            let script = script(shell).unwrap();
            let mentions = script.matches("__complete-tasks").count();
            let glue = match shell {
                Shell::Bash | Shell::Zsh | Shell::Elvish => 2,
                Shell::Fish => 1,
                _ => 0,
            };
            assert!(mentions <= glue, "{shell}: {mentions} mentions");
        }
    }
}
