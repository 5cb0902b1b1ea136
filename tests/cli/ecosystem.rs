//! The ecosystem around the commands: shell completions, the man page,
//! `--json` against docs/json.md, the iCalendar export read back by an
//! independent parser, colour, broken pipes, interrupts and `--version`.

use icalendar::parser::{Component, read_calendar, unfold};
use serde_json::Value;
use std::collections::BTreeSet;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;
use std::process::{Command as StdCommand, Stdio};

use super::support::{Sandbox, bin, has};

/// The day the fixture looks from: a Saturday (4 h), after some work, with
/// a task overdue against the baseline and LeetCode due.
const TODAY: &str = "2027-02-20";

/// A sandbox whose state was started 2027-01-04 (a Monday) with the default
/// calendar, Spring Festival off, one task done, time logged on the next, a
/// habit checked in today; its runs look from [`TODAY`].
fn in_progress() -> Sandbox {
    let f = Sandbox::new().dated(TODAY);
    f.on("2027-01-04").args(["init", "--start", "2027-01-04"]).ok();
    f.on("2027-01-04").args(["off", "2027-02-10..2027-02-17", "--note", "春节, 回家"]).ok();
    f.ok(&["done", "p4.frontier.agent", "--on", "2027-01-08"]);
    f.ok(&["log", "p4.frontier.moe", "2h", "--on", "2027-02-19"]);
    f.ok(&["done", "leetcode", "--count", "1"]);
    // Past its 6h estimate, with a note: `next`'s over_estimate, `show`'s history.
    f.ok(&["log", "p4.jobprep.resume", "7h", "--on", "2027-02-18", "--note", "改了三版简历"]);
    f
}

fn stdout_of(command: &mut StdCommand) -> String {
    let output = command.output().unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout).unwrap()
}

// ---------------------------------------------------------------- version

#[test]
fn version_names_the_plan_format() {
    let s = Sandbox::new();
    let out = stdout_of(s.roadmap().command().arg("--version"));
    assert!(out.starts_with("roadmap 0."), "{out}");
    assert!(out.contains("plan format 1"), "{out}");
    assert!(out.contains("state format 1"), "{out}");
}

// ------------------------------------------------------------ completions

const SHELLS: [&str; 5] = ["bash", "zsh", "fish", "elvish", "powershell"];

#[test]
fn completion_scripts_generate_for_every_shell() {
    let s = Sandbox::new();
    for shell in SHELLS {
        let script = stdout_of(s.roadmap().command().args(["completions", shell]));
        for word in ["next", "done", "schedule", "export", "completions", "json", "state"] {
            assert!(script.contains(word), "{shell} script lacks {word}");
        }
        assert!(!script.contains("Open tasks (and habits)"), "{shell} offers the hidden command");
    }
    let bad = s.roadmap().command().args(["completions", "tcsh"]).output().unwrap();
    assert_eq!(bad.status.code(), Some(2));
}

#[test]
fn dynamic_task_completion_is_wired_where_the_shell_allows_it() {
    let s = Sandbox::new();
    let script = |shell: &str| stdout_of(s.roadmap().command().args(["completions", shell]));
    assert!(script("bash").contains("complete -F _roadmap_tasks"));
    assert!(script("zsh").contains(":_roadmap_tasks' \\"));
    assert!(script("fish").contains("(__roadmap_complete_tasks)"));
    assert!(script("elvish").contains("roadmap __complete-tasks -- $@words"));
}

#[test]
fn complete_tasks_lists_open_task_ids_with_titles() {
    let f = in_progress();
    let out = f.ok(&["__complete-tasks", "--", "roadmap", "done", ""]);
    let lines: Vec<&str> = out.lines().collect();
    assert!(lines.contains(&"p4.frontier.moe\tMoE架构（Mixtral）"), "{out}");
    assert!(lines.contains(&"p4.jobprep.resume\t简历优化技巧"), "{out}");
    assert!(lines.iter().any(|l| l.starts_with("leetcode\t")), "done also takes habits: {out}");
    assert!(!out.contains("p4.frontier.agent"), "a done task is not offered: {out}");
    for line in &lines {
        let (id, title) = line.split_once('\t').unwrap();
        assert!(!id.is_empty() && !title.is_empty(), "{line:?}");
    }
    // `reopen` offers the done task only; `start` no habits.
    let reopen = f.ok(&["__complete-tasks", "--", "roadmap", "reopen", ""]);
    assert_eq!(reopen, "p4.frontier.agent\tAgent系统（AutoGPT）\n");
    let start = f.ok(&["__complete-tasks", "--", "roadmap", "start", "mo"]);
    assert!(start.contains("p4.frontier.moe\t") && !start.lines().any(|l| l.starts_with("leetcode\t")), "{start}");
    // Not a task argument: exit 1, nothing on stdout.
    for words in [&["roadmap", "list", ""][..], &["roadmap", "done", "--on", ""], &["roadmap", ""]] {
        let output = f.roadmap().command().arg("__complete-tasks").arg("--").args(words).output().unwrap();
        assert_eq!(output.status.code(), Some(1), "{words:?}");
        assert!(output.stdout.is_empty(), "{words:?}");
    }
}

#[test]
fn complete_tasks_reads_the_state_named_on_the_line() {
    let f = in_progress();
    let state = f.state();
    let state = state.to_str().unwrap();
    // The completing process itself has no --state: only the words name it.
    let out = stdout_of(f.roadmap().command().env("ROADMAP_STATE", f.dir().join("elsewhere.jsonl")).args([
        "__complete-tasks",
        "--",
        "roadmap",
        "--state",
        state,
        "reopen",
        "",
    ]));
    assert_eq!(out, "p4.frontier.agent\tAgent系统（AutoGPT）\n");
}

#[test]
fn bash_completes_task_ids() {
    if !has("bash") {
        eprintln!("bash is not installed: skipped");
        return;
    }
    let f = in_progress();
    let script = f.dir().join("roadmap.bash");
    std::fs::write(&script, stdout_of(f.roadmap().command().args(["completions", "bash"]))).unwrap();
    let complete = |words: &str| -> Vec<String> {
        let program = format!(
            "source '{}'\nCOMP_WORDS=({words})\nCOMP_CWORD=$((${{#COMP_WORDS[@]}} - 1))\n\
             _roadmap_tasks roadmap \"${{COMP_WORDS[COMP_CWORD]}}\" \"${{COMP_WORDS[COMP_CWORD-1]}}\"\n\
             printf '%s\\n' \"${{COMPREPLY[@]}}\"",
            script.display()
        );
        let out =
            stdout_of(f.external("bash").args(["--norc", "--noprofile", "-c", &program]).env_remove("ROADMAP_PLAN"));
        out.lines().filter(|l| !l.is_empty()).map(str::to_string).collect()
    };
    let all = complete("roadmap done ''");
    assert!(all.contains(&"p4.frontier.moe".to_string()), "{all:?}");
    assert!(all.contains(&"leetcode".to_string()), "{all:?}");
    assert!(!all.contains(&"p4.frontier.agent".to_string()), "{all:?}");
    // A prefix, then a last segment the shell cannot prefix-match.
    assert_eq!(complete("roadmap done p4.f"), ["p4.frontier.moe"]);
    assert_eq!(complete("roadmap start moe"), ["p4.frontier.moe"]);
    // `--state` typed on the line wins over the environment's.
    let state = f.state();
    let state = state.display();
    assert_eq!(complete(&format!("roadmap --state '{state}' reopen ''")), ["p4.frontier.agent"]);
    // Elsewhere clap's completion answers: subcommands and options.
    assert_eq!(complete("roadmap expo"), ["export"]);
    assert!(complete("roadmap done --no").contains(&"--note".to_string()));
}

#[test]
fn fish_completes_task_ids_with_titles() {
    if !has("fish") {
        eprintln!("fish is not installed: skipped");
        return;
    }
    let f = in_progress();
    let script = f.dir().join("roadmap.fish");
    std::fs::write(&script, stdout_of(f.roadmap().command().args(["completions", "fish"]))).unwrap();
    let out = stdout_of(
        f.external("fish")
            .args(["--no-config", "-c"])
            .arg(format!("source '{}'; complete -C 'roadmap done '", script.display())),
    );
    assert!(out.lines().any(|l| l == "p4.frontier.moe\tMoE架构（Mixtral）"), "{out}");
    assert!(!out.contains("p4.frontier.agent"), "{out}");
}

// --------------------------------------------------------------- man page

#[test]
fn man_page_is_roff_with_every_command() {
    let s = Sandbox::new();
    let page = stdout_of(s.roadmap().command().arg("man"));
    assert!(page.lines().any(|l| l.starts_with(".TH roadmap 1")), "{page}");
    let name = page.find(".SH NAME\n").expect("a NAME section");
    assert!(page[name..].lines().nth(1).unwrap().starts_with("roadmap \\- "));
    for section in [
        ".SH SYNOPSIS",
        ".SH DESCRIPTION",
        ".SH OPTIONS",
        ".SH COMMANDS",
        ".SH ENVIRONMENT",
        ".SH FILES",
        ".SH EXIT STATUS",
        ".SH EXAMPLES",
    ] {
        assert!(page.contains(section), "no {section}");
    }
    for command in ["roadmap next", "roadmap done", "roadmap export ics", "roadmap completions", "roadmap man"] {
        assert!(page.contains(&format!(".SS \"{command}\"")), "no {command}");
    }
    assert!(page.contains("\\fB\\-\\-start\\-time\\fR"), "export's options are listed");
    assert!(!page.contains("__complete-tasks"));
    assert!(page.is_ascii(), "non-ASCII written as \\[uXXXX]");
    assert!(page.contains("\\[u6625]\\[u8282]"), "春节 in the example of `off`");
    assert!(page.contains("plan format 1"));
}

// ------------------------------------------------------------------- JSON

const DOC: &str = include_str!("../../docs/json.md");

#[derive(Debug)]
struct Field {
    path: String,
    kind: String,
    nullable: bool,
    optional: bool,
}

/// The sections of docs/json.md: the command in the heading and its fields.
fn doc_sections() -> Vec<(String, Vec<Field>)> {
    let mut sections: Vec<(String, Vec<Field>)> = Vec::new();
    for line in DOC.lines() {
        if let Some(heading) = line.strip_prefix("## `") {
            let command = heading.strip_suffix('`').unwrap_or_else(|| panic!("heading {line:?}"));
            sections.push((command.to_string(), Vec::new()));
            continue;
        }
        let Some(row) = line.strip_prefix("| `") else { continue };
        let cells: Vec<&str> = row.split('|').map(str::trim).collect();
        let (path, kind) = (cells[0].trim_end_matches('`'), cells[1]);
        let optional = kind.contains("(optional)");
        let kind = kind.split_whitespace().next().unwrap();
        let (kind, nullable) = match kind.strip_suffix('?') {
            Some(k) => (k, true),
            None => (kind, false),
        };
        assert!(
            ["string", "date", "integer", "number", "boolean", "object", "array"].contains(&kind),
            "docs/json.md: unknown type `{kind}` for `{path}`"
        );
        let (_, fields) = sections.last_mut().expect("a field table before any command heading");
        fields.push(Field { path: path.to_string(), kind: kind.to_string(), nullable, optional });
    }
    sections
}

fn type_ok(value: &Value, field: &Field) -> bool {
    match (value, field.kind.as_str()) {
        (Value::Null, _) => field.nullable,
        (Value::String(s), "date") => chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").is_ok() && s.len() == 10,
        (Value::String(_), "string") => true,
        (Value::Number(n), "integer") => n.is_i64() || n.is_u64(),
        (Value::Number(_), "number") => true,
        (Value::Bool(_), "boolean") | (Value::Object(_), "object") | (Value::Array(_), "array") => true,
        _ => false,
    }
}

/// Checks one field path in `value`; counts the places it was found.
fn walk(value: &Value, segments: &[&str], field: &Field, at: &str, seen: &mut usize, errors: &mut Vec<String>) {
    let Some((segment, rest)) = segments.split_first() else {
        *seen += 1;
        if !type_ok(value, field) {
            errors.push(format!("{at}: {value} is not {}{}", field.kind, if field.nullable { "?" } else { "" }));
        }
        return;
    };
    let (key, is_array) = match segment.strip_suffix("[]") {
        Some(key) => (key, true),
        None => (*segment, false),
    };
    let child = if key.is_empty() {
        value
    } else {
        let Some(object) = value.as_object() else {
            errors.push(format!("{at}: not an object"));
            return;
        };
        match object.get(key) {
            Some(child) => child,
            None if field.optional && rest.is_empty() => return,
            None => {
                errors.push(format!("{at}.{key}: missing"));
                return;
            }
        }
    };
    let here = format!("{at}.{key}");
    if is_array {
        match child.as_array() {
            Some(items) => {
                for (i, item) in items.iter().enumerate() {
                    walk(item, rest, field, &format!("{here}[{i}]"), seen, errors);
                }
            }
            None => errors.push(format!("{here}: not an array")),
        }
    } else if !rest.is_empty() && child.is_null() {
        // A null parent (a nullable object) has no fields to check.
    } else {
        walk(child, rest, field, &here, seen, errors);
    }
}

/// Runs the section's command on the fixture and checks every field of its
/// table: present, of its type, and seen at least once.
fn check_json_section(f: &Sandbox, command: &str, fields: &[Field]) {
    let args: Vec<&str> = command
        .split_whitespace()
        .skip(1)
        .map(|word| match word {
            "TASK" => "p4.jobprep.resume",
            "HABIT" => "leetcode",
            "PHASE" => "p4",
            "MODULE" => "p4.frontier",
            w if w.len() > 1 && w.chars().all(|c| c.is_ascii_uppercase()) => {
                panic!("docs/json.md: `{command}`: add a value for {w} in tests/cli/ecosystem.rs")
            }
            w => w,
        })
        .collect();
    assert!(!fields.is_empty(), "docs/json.md: `{command}` has no field table");
    if args.contains(&"GUIDE.md") {
        // `import` reads a guide from the sandbox (and writes GUIDE.yaml there).
        let guide = crate::support::fixture("guides/python-checklist.en.md");
        std::fs::copy(guide, f.path("GUIDE.md")).expect("copy the guide into the sandbox");
    }
    let value = f.json(&args);
    let mut errors = Vec::new();
    for field in fields {
        let segments: Vec<&str> = field.path.split('.').collect();
        let mut seen = 0;
        walk(&value, &segments, field, "", &mut seen, &mut errors);
        if seen == 0 && !field.optional && !errors.iter().any(|e| e.contains(&field.path)) {
            errors.push(format!("`{}` never seen (an empty array or null parent in the fixture?)", field.path));
        }
    }
    assert!(errors.is_empty(), "`{command}` against docs/json.md:\n{}", errors.join("\n"));
}

fn check_documented(command: &str) {
    let sections = doc_sections();
    let (_, fields) = sections
        .iter()
        .find(|(c, _)| c == command)
        .unwrap_or_else(|| panic!("docs/json.md has no section for `{command}`"));
    check_json_section(&in_progress(), command, fields);
}

#[test]
fn json_next_matches_the_doc() {
    check_documented("roadmap next --json");
}

#[test]
fn json_list_matches_the_doc() {
    check_documented("roadmap list --json");
}

#[test]
fn json_show_task_matches_the_doc() {
    check_documented("roadmap show TASK --json");
}

#[test]
fn json_show_habit_matches_the_doc() {
    check_documented("roadmap show HABIT --json");
}

#[test]
fn json_schedule_matches_the_doc() {
    check_documented("roadmap schedule --json");
}

#[test]
fn json_config_matches_the_doc() {
    check_documented("roadmap config --json");
}

#[test]
fn json_why_matches_the_doc() {
    check_documented("roadmap why TASK --json");
}

#[test]
fn json_plans_matches_the_doc() {
    check_documented("roadmap plans --json");
}

#[test]
fn json_validate_matches_the_doc() {
    check_documented("roadmap validate --json");
}

#[test]
fn json_off_list_matches_the_doc() {
    check_documented("roadmap off --list --json");
}

/// Sections added for other commands are held to the same contract.
#[test]
fn json_every_documented_command_matches_the_doc() {
    let f = in_progress();
    let sections = doc_sections();
    assert!(sections.len() >= 9, "{} sections", sections.len());
    for (command, fields) in &sections {
        check_json_section(&f, command, fields);
    }
}

#[test]
fn json_errors_leave_stdout_empty() {
    let f = in_progress();
    let output = f.roadmap().command().args(["show", "no-such-task", "--json"]).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(output.stdout.is_empty());
    assert!(String::from_utf8_lossy(&output.stderr).starts_with("error: "));
}

// ------------------------------------------------------------------ colour

fn strip_ansi(text: &str) -> String {
    let mut out = String::new();
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\x1b' {
            for c in chars.by_ref() {
                if c.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

#[test]
fn colour_follows_the_flag_and_the_environment() {
    let f = in_progress();
    let run = |color: &str, env: &[(&str, &str)]| {
        let mut run = f.roadmap().env_remove("NO_COLOR");
        for (k, v) in env {
            run = run.env(k, v);
        }
        run.args(["--color", color, "list"]).ok()
    };
    let always = run("always", &[]);
    assert!(always.contains("\x1b["), "--color always paints");
    assert!(!run("auto", &[]).contains('\x1b'), "no colour into a pipe");
    assert!(!run("auto", &[("NO_COLOR", "1")]).contains('\x1b'));
    assert!(run("auto", &[("CLICOLOR_FORCE", "1")]).contains("\x1b["), "CLICOLOR_FORCE paints a pipe");
    assert!(!run("auto", &[("CLICOLOR_FORCE", "0")]).contains('\x1b'));
    assert!(!run("auto", &[("NO_COLOR", "1"), ("CLICOLOR_FORCE", "1")]).contains('\x1b'), "NO_COLOR wins");
    assert!(!run("never", &[("CLICOLOR_FORCE", "1")]).contains('\x1b'));
    assert!(run("always", &[("NO_COLOR", "1")]).contains("\x1b["), "the flag wins over NO_COLOR");
}

#[test]
fn output_reads_the_same_without_colour() {
    let f = in_progress();
    for args in [&["next"][..], &["list"], &["schedule"], &["show", "moe"], &["show", "leetcode"], &["config"]] {
        let with = stdout_of(f.roadmap().command().args(["--color", "always"]).args(args));
        let without = stdout_of(f.roadmap().command().args(["--color", "never"]).args(args));
        assert_eq!(strip_ansi(&with), without, "roadmap {args:?}");
    }
    // Status is a word, not only a colour.
    let list = f.ok(&["list"]);
    for word in ["done", "in progress", "todo"] {
        assert!(list.contains(word), "{word}");
    }
    assert!(f.ok(&["schedule"]).contains("overdue"));
}

// ------------------------------------------------------- pipes and signals

/// `roadmap … | head -1`: the reader goes away after one line (or before
/// any): exit 0, nothing on stderr.
#[test]
fn broken_pipe_exits_quietly() {
    let f = in_progress();
    for args in [&["list"][..], &["schedule", "--json"], &["export", "ics"], &["man"], &["completions", "bash"]] {
        for read_first_line in [true, false] {
            let mut child =
                f.roadmap().command().args(args).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
            let stdout = child.stdout.take().unwrap();
            if read_first_line {
                let mut line = String::new();
                BufReader::new(stdout).read_line(&mut line).unwrap();
                assert!(!line.is_empty());
            } else {
                drop(stdout);
            }
            let mut stderr = String::new();
            child.stderr.take().unwrap().read_to_string(&mut stderr).unwrap();
            let status = child.wait().unwrap();
            assert_eq!(status.code(), Some(0), "roadmap {args:?}: {stderr}");
            assert_eq!(stderr, "", "roadmap {args:?}");
        }
    }
}

#[test]
fn broken_pipe_through_a_shell_pipeline() {
    if !has("bash") {
        eprintln!("bash is not installed: skipped");
        return;
    }
    let f = in_progress();
    let script =
        format!("set -o pipefail; '{}' --state '{}' --today {TODAY} export ics | head -1", bin(), f.state().display());
    let output = f.external("bash").args(["-c", &script]).output().unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert_eq!(String::from_utf8_lossy(&output.stdout), "BEGIN:VCALENDAR\r\n");
    assert!(output.stderr.is_empty(), "{}", String::from_utf8_lossy(&output.stderr));
}

/// Ctrl-C at any moment of a write leaves the state whole: each interrupted
/// `log` either recorded its event or did not, and the file reads cleanly.
#[cfg(unix)]
#[test]
fn interrupts_never_leave_a_half_written_state() {
    if StdCommand::new("kill").arg("-l").stdout(Stdio::null()).status().is_err() {
        eprintln!("no kill command: skipped");
        return;
    }
    let f = in_progress();
    let events = |f: &Sandbox| std::fs::read_to_string(f.state()).unwrap().matches("\"kind\":\"logged\"").count();
    let before = events(&f);
    let mut finished = 0;
    let runs = 40;
    for i in 0..runs {
        let mut child = f
            .roadmap()
            .command()
            .args(["log", "p4.frontier.moe", "5m", "--note", "interrupted?"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_micros(600 * i));
        let _ = StdCommand::new("kill").arg("-INT").arg(child.id().to_string()).status();
        if child.wait().unwrap().success() {
            finished += 1;
        }
    }
    let output = f.roadmap().command().args(["list", "--json"]).output().unwrap();
    assert!(output.status.success());
    assert!(output.stderr.is_empty(), "{}", String::from_utf8_lossy(&output.stderr));
    let text = std::fs::read_to_string(f.state()).unwrap();
    assert!(text.ends_with('\n'));
    for line in text.lines() {
        serde_json::from_str::<Value>(line).unwrap_or_else(|e| panic!("{e}: {line}"));
    }
    let logged = events(&f) - before;
    eprintln!("{finished} of {runs} runs finished before Ctrl-C; {logged} events recorded");
    assert!(finished <= logged && logged <= runs as usize, "{finished} finished, {logged} logged");
}

// --------------------------------------------------------------- iCalendar

fn export(f: &Sandbox, extra: &[&str]) -> String {
    let output = f.roadmap().command().args(["export", "ics"]).args(extra).output().unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert!(output.stderr.is_empty());
    String::from_utf8(output.stdout).expect("the export is UTF-8 (no character split by folding)")
}

/// A property as the parser read it: name, value, parameters (key, value).
type Prop = (String, String, Vec<(String, String)>);

/// An event as the parser read it, with owned text.
struct Event {
    /// In file order.
    props: Vec<Prop>,
}

fn events(text: &str) -> Vec<Event> {
    let unfolded = unfold(text);
    let calendar = read_calendar(&unfolded).unwrap_or_else(|e| panic!("the icalendar crate cannot read it: {e}"));
    assert!(calendar.properties.iter().any(|p| p.name == "VERSION" && p.val == "2.0"));
    assert!(calendar.properties.iter().any(|p| p.name == "PRODID"));
    calendar.components.iter().filter(|c| c.name == "VEVENT").map(owned).collect()
}

fn owned(component: &Component<'_>) -> Event {
    Event {
        props: component
            .properties
            .iter()
            .map(|p| {
                let params = p
                    .params
                    .iter()
                    .map(|k| {
                        (k.key.as_str().to_string(), k.val.as_ref().map_or(String::new(), |v| v.as_str().to_string()))
                    })
                    .collect();
                (p.name.as_str().to_string(), p.val.as_str().to_string(), params)
            })
            .collect(),
    }
}

fn prop<'a>(event: &'a Event, name: &str) -> Option<&'a str> {
    event.props.iter().find(|p| p.0 == name).map(|p| p.1.as_str())
}

fn props<'a>(event: &'a Event, name: &str) -> Vec<&'a str> {
    event.props.iter().filter(|p| p.0 == name).map(|p| p.1.as_str()).collect()
}

fn param<'a>(event: &'a Event, name: &str, key: &str) -> Option<&'a str> {
    let p = event.props.iter().find(|p| p.0 == name)?;
    p.2.iter().find(|k| k.0 == key).map(|k| k.1.as_str())
}

fn uid(event: &Event) -> String {
    prop(event, "UID").expect("every event has a UID").to_string()
}

#[test]
fn ics_is_crlf_folded_at_75_octets() {
    let f = in_progress();
    let text = export(&f, &[]);
    assert!(text.starts_with("BEGIN:VCALENDAR\r\n") && text.ends_with("END:VCALENDAR\r\n"));
    assert!(!text.replace("\r\n", "").contains('\n'), "a bare LF");
    assert!(!text.replace("\r\n", "").contains('\r'), "a bare CR");
    let mut folded = 0;
    for line in text.split("\r\n") {
        assert!(line.len() <= 75, "{} octets: {line:?}", line.len());
        if line.starts_with(' ') {
            folded += 1;
        }
    }
    assert!(folded > 0, "long CJK descriptions are folded");
}

#[test]
fn ics_events_times_and_uids() {
    let f = in_progress();
    let text = export(&f, &[]);
    let events = events(&text);
    for event in &events {
        assert!(prop(event, "DTSTAMP").is_some_and(|s| s.ends_with('Z')), "DTSTAMP in UTC");
        assert!(prop(event, "DTSTART").is_some());
        assert!(prop(event, "SUMMARY").is_some());
    }
    let uids: BTreeSet<String> = events.iter().map(uid).collect();
    assert_eq!(uids.len(), events.len(), "UIDs are unique");

    // The blog (every 2 weeks) is one event per fortnight from the start,
    // Mon 2027-01-04, through the one holding the forecast end: on the
    // fortnight's first Saturday (3h left after LeetCode, against 1h on
    // Tuesday to Friday and none on Mondays, which LeetCode and arXiv
    // fill), also in the two fortnights the days off (02-10..02-17) touch.
    let end = f.json(&["schedule", "--json"])["end"].as_str().unwrap().parse::<chrono::NaiveDate>().unwrap();
    let start = chrono::NaiveDate::from_ymd_opt(2027, 1, 4).unwrap();
    let fortnights = (end - start).num_days() / 14 + 1;
    let blog: Vec<&str> =
        events.iter().filter(|e| uid(e).starts_with("habit.blog.")).filter_map(|e| prop(e, "DTSTART")).collect();
    let saturdays: Vec<String> = (0..fortnights)
        .map(|k| (start + chrono::Days::new(14 * k as u64 + 5)).format("%Y%m%dT210000").to_string())
        .collect();
    assert_eq!(blog, saturdays);

    // Counted as the command reports them when writing a file: two
    // recurring habits (LeetCode, arXiv) and the blog's periods, each
    // event counted once.
    let out = f.dir().join("roadmap.ics");
    let message = f.ok(&["export", "ics", "--out", out.to_str().unwrap()]);
    let reviews = events.iter().filter(|e| uid(e).starts_with("review.")).count();
    assert!(reviews > 0, "the built-in plan's reviews are in the calendar");
    let tasks = events.len() - 2 - blog.len() - 1 - reviews;
    assert_eq!(
        message,
        format!(
            "Wrote {} events to [DIR]/roadmap.ics: {tasks} task days, 2 recurring habits, {} habit periods, \
             1 range of days off, {reviews} reviews.\n",
            events.len(),
            blog.len()
        )
    );
    assert_eq!(events_of_file(&out).len(), events.len());

    // Today's tasks, as `next` plans them: after LeetCode (19:00–20:00) and
    // the blog, whose fortnight (02-15..02-28) reserves today, Saturday
    // 02-20, the first of its days not off (21:00–23:00), one after another,
    // each lasting its planned minutes: 4h - 1h - 2h - 20m = 40m, the 20m
    // being the built-in plan's review of p4.frontier.agent (done 01-08,
    // due 01-10, overdue: assumed done today).
    let next = f.json(&["next", "--json"]);
    let today: Vec<&Event> = events
        .iter()
        .filter(|e| prop(e, "DTSTART").is_some_and(|s| s.starts_with("20270220T")) && uid(e).contains(".20270220@"))
        .filter(|e| !uid(e).starts_with("review."))
        .collect();
    let review = events.iter().find(|e| uid(e) == "review.p4.frontier.agent.20270220@llm-career-4-6.roadmap");
    assert_eq!(review.and_then(|e| prop(e, "DTSTART")), Some("20270220T230000"), "the review before the tasks");
    let planned = next["today"]["tasks"].as_array().unwrap();
    assert!(!planned.is_empty());
    assert_eq!(today.len(), planned.len());
    let mut clock = 23 * 60 + 20;
    for (event, task) in today.iter().zip(planned) {
        let id = task["id"].as_str().unwrap();
        let minutes = task["minutes_today"].as_u64().unwrap() as u32;
        assert_eq!(uid(event), format!("{id}.20270220@llm-career-4-6.roadmap"));
        assert_eq!(prop(event, "SUMMARY"), task["title"].as_str());
        assert_eq!(prop(event, "DTSTART").unwrap(), format!("20270220T{:02}{:02}00", clock / 60, clock % 60));
        assert_eq!(prop(event, "DURATION").unwrap(), iso_duration(minutes));
        assert!(prop(event, "DESCRIPTION").unwrap().contains(&format!("roadmap done {id}")));
        clock += minutes;
    }
    let total: u64 = planned.iter().map(|t| t["minutes_today"].as_u64().unwrap()).sum();
    // The Today line's hours for tasks are net of the review's 20m too.
    assert_eq!(total, next["today"]["task_minutes"].as_u64().unwrap());
    assert_eq!(next["today"]["review_minutes"].as_u64(), Some(20));
    assert_eq!(total, 40);

    // A CJK title comes back intact.
    let moe: Vec<_> = events.iter().filter(|e| uid(e).starts_with("p4.frontier.moe.")).collect();
    assert!(!moe.is_empty());
    assert!(moe.iter().all(|e| prop(e, "SUMMARY") == Some("MoE架构（Mixtral）")));
    // No task events on days off.
    assert!(
        !events
            .iter()
            .any(|e| prop(e, "DTSTART").is_some_and(|s| s.starts_with("20270212T")) && uid(e).starts_with("p"))
    );
}

fn events_of_file(path: &Path) -> Vec<Event> {
    events(&std::fs::read_to_string(path).unwrap())
}

fn iso_duration(minutes: u32) -> String {
    match (minutes / 60, minutes % 60) {
        (0, m) => format!("PT{m}M"),
        (h, 0) => format!("PT{h}H"),
        (h, m) => format!("PT{h}H{m}M"),
    }
}

#[test]
fn ics_uids_are_stable_across_exports() {
    let f = in_progress();
    let first: BTreeSet<String> = events(&export(&f, &[])).iter().map(uid).collect();
    let second: BTreeSet<String> = events(&export(&f, &[])).iter().map(uid).collect();
    assert_eq!(first, second);
    // After more work, the days still planned keep their UIDs: a re-import
    // updates them instead of adding copies.
    f.ok(&["log", "p4.frontier.moe", "30m"]);
    let third: BTreeSet<String> = events(&export(&f, &[])).iter().map(uid).collect();
    assert!(third.iter().any(|u| u.starts_with("p4.frontier.moe.20270220@")));
    assert!(third.contains("habit.arxiv@llm-career-4-6.roadmap"));
    assert!(third.contains("off.20270210-20270217@llm-career-4-6.roadmap"));
    assert!(first.intersection(&third).count() > first.len() / 2);
}

#[test]
fn ics_habits_recur_and_days_off_are_all_day() {
    let f = in_progress();
    let events = events(&export(&f, &[]));
    let find = |id: &str| events.iter().find(|e| uid(e) == id).unwrap_or_else(|| panic!("no {id}"));

    // LeetCode: daily from the calendar start, 19:00 for 1 h, only while
    // phases p4 and p5 last, not on the days off.
    let leetcode = find("habit.leetcode.p4@llm-career-4-6.roadmap");
    assert_eq!(prop(leetcode, "SUMMARY"), Some("LeetCode 每日2题（1道新题+1道复习）"));
    assert_eq!(prop(leetcode, "DTSTART"), Some("20270104T190000"));
    assert_eq!(prop(leetcode, "DURATION"), Some("PT1H"));
    let rule = prop(leetcode, "RRULE").unwrap();
    assert!(rule.starts_with("FREQ=DAILY;UNTIL="), "{rule}");
    let until = &rule["FREQ=DAILY;UNTIL=".len()..];
    let p5_end = f.json(&["schedule", "--json"])["phases"][1]["end"].as_str().unwrap().replace('-', "");
    assert_eq!(until, format!("{p5_end}T235959"), "until the forecast end of p5");
    let exdates = props(leetcode, "EXDATE");
    assert_eq!(exdates.len(), 8);
    assert_eq!(exdates[0], "20270210T190000");

    // arXiv on Mondays, stacked after LeetCode. The blog, a period habit
    // (every 2 weeks), has no weekday rule: one event per fortnight, the
    // first (Mon 01-04 to Sun 01-17) on its reservation day, Saturday 01-09
    // (3h left after LeetCode; Tuesday to Friday 1h, Monday none), stacked
    // after arXiv's slot.
    let arxiv = find("habit.arxiv@llm-career-4-6.roadmap");
    assert_eq!(prop(arxiv, "RRULE"), Some("FREQ=WEEKLY;BYDAY=MO"));
    assert_eq!(prop(arxiv, "DTSTART"), Some("20270104T200000"));
    assert!(!events.iter().any(|e| uid(e) == "habit.blog@llm-career-4-6.roadmap"));
    let blog = find("habit.blog.20270104@llm-career-4-6.roadmap");
    assert_eq!(prop(blog, "RRULE"), None);
    assert_eq!(prop(blog, "DTSTART"), Some("20270109T210000"));
    assert_eq!(prop(blog, "DURATION"), Some("PT2H"));
    assert!(prop(blog, "DESCRIPTION").is_some_and(|d| d.contains("Due once from 2027-01-04 to 2027-01-17")));

    // The days off: one all-day event, the note unescaped.
    let off = find("off.20270210-20270217@llm-career-4-6.roadmap");
    assert_eq!(param(off, "DTSTART", "VALUE"), Some("DATE"));
    assert_eq!(prop(off, "DTSTART"), Some("20270210"));
    assert_eq!(param(off, "DTEND", "VALUE"), Some("DATE"));
    assert_eq!(prop(off, "DTEND"), Some("20270218"));
    assert_eq!(prop(off, "SUMMARY"), Some("Day off: 春节, 回家"));
}

#[test]
fn ics_start_time_moves_the_day() {
    let f = in_progress();
    let events = events(&export(&f, &["--start-time", "07:30"]));
    let leetcode = events.iter().find(|e| uid(e).starts_with("habit.leetcode.")).unwrap();
    assert_eq!(prop(leetcode, "DTSTART"), Some("20270104T073000"));
    let first_task = events
        .iter()
        .filter(|e| uid(e).contains(".20270220@") && uid(e).starts_with('p'))
        .map(|e| prop(e, "DTSTART").unwrap().to_string())
        .min()
        .unwrap();
    // Today, Sat 02-20, holds LeetCode (07:30–08:30), the blog's
    // reservation in its slot after arXiv's (09:30–11:30) and the overdue
    // review of p4.frontier.agent (11:30–11:50).
    assert_eq!(first_task, "20270220T115000");

    let bad = f.roadmap().command().args(["export", "ics", "--start-time", "7pm"]).output().unwrap();
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("--start-time: `7pm` is not a time of day"));
}
