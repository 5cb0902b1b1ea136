//! Trust (issue 12): no raw control character reaches the terminal from any
//! command, whatever a plan or the state holds; a change whose state could
//! not be scheduled is refused before anything is written; and, as a
//! property, every command that exits 0 leaves a state that loads, every
//! command that fails leaves the file byte-identical.

use crate::support::{Sandbox, TODAY, fixture};
use proptest::prelude::*;
use proptest::test_runner::{Config as ProptestConfig, TestRunner};
use std::sync::atomic::{AtomicUsize, Ordering};

/// A note typed on the command line that tries every trick the plan does.
const HOSTILE_NOTE: &str =
    "note \x1b[2J\x1b]0;title\x07 \x1b]8;;http://evil.example\x1b\\link\x1b]8;;\x1b\\ \rCR \x08\x08 \u{9b}2J \x7f";

/// The first raw control character in `text` (newline and tab are layout;
/// a CR is allowed only before a newline, and only where `crlf`), with its
/// byte offset.
fn raw_control(text: &str, crlf: bool) -> Option<(usize, char)> {
    text.char_indices().find(|&(i, c)| match c {
        '\n' | '\t' => false,
        '\r' => !(crlf && text[i + 1..].starts_with('\n')),
        c => c.is_control(),
    })
}

/// Asserts that neither stream of a run holds a raw control character.
fn assert_shown(what: &str, out: &std::process::Output, crlf: bool) {
    for (name, bytes) in [("stdout", &out.stdout), ("stderr", &out.stderr)] {
        let text = std::str::from_utf8(bytes).unwrap_or_else(|e| panic!("{what}: {name} is not UTF-8: {e}"));
        if let Some((at, c)) = raw_control(text, crlf) {
            panic!("{what}: raw {c:?} on {name} at byte {at}:\n{text}");
        }
    }
}

/// `text` without the SGR sequences (`ESC [ digits/; m`) our screens colour with.
fn without_sgr(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find("\x1b[") {
        out.push_str(&rest[..at]);
        let body = &rest[at + 2..];
        let end = body.find(|c: char| !(c.is_ascii_digit() || c == ';')).unwrap_or(body.len());
        if body[end..].starts_with('m') {
            rest = &body[end + 1..];
        } else {
            out.push_str("\x1b[");
            rest = body;
        }
    }
    out.push_str(rest);
    out
}

fn hostile_plan() -> Sandbox {
    let mut sandbox = Sandbox::new();
    sandbox.use_plan(&fixture("hostile/plan.yaml"));
    sandbox
}

/// Every command on a plan whose titles, notes, deliverables, URLs, tags,
/// habit unit and track title carry escape sequences, CR and backspace.
#[test]
fn every_command_on_a_hostile_plan_shows_control_characters_visibly() {
    let sandbox = hostile_plan();
    let plan = fixture("hostile/plan.yaml").display().to_string();
    let ics = sandbox.path("plan.ics").display().to_string();
    let commands: Vec<Vec<&str>> = vec![
        vec!["validate", &plan],
        vec!["validate", &plan, "--json"],
        vec!["next"],
        vec!["init"],
        vec!["next"],
        vec!["next", "--json"],
        vec!["list"],
        vec!["list", "--json"],
        vec!["show", "a"],
        vec!["show", "a", "--json"],
        vec!["show", "b"],
        vec!["show", "h"],
        vec!["schedule"],
        vec!["schedule", "--json"],
        vec!["plans"],
        vec!["report"],
        vec!["report", "--format", "markdown"],
        vec!["report", "--json"],
        vec!["habits"],
        vec!["habits", "--json"],
        vec!["forecast", "--weekly", "15h"],
        vec!["forecast", "--weekly", "15h", "--json"],
        vec!["config"],
        vec!["config", "--json"],
        vec!["doctor"],
        vec!["doctor", "--json"],
        vec!["__complete-tasks", "roadmap", "done", ""],
        vec!["export", "ics", "--out", &ics],
        vec!["start", "a", "--note", HOSTILE_NOTE],
        vec!["log", "a", "1h", "--note", HOSTILE_NOTE],
        vec!["done", "a", "--deliverable", "d1", "--note", HOSTILE_NOTE],
        vec!["done", "a", "--note", HOSTILE_NOTE],
        vec!["skip", "b", "--note", HOSTILE_NOTE],
        vec!["reopen", "b", "--note", HOSTILE_NOTE],
        vec!["done", "h", "--note", HOSTILE_NOTE],
        vec!["off", "2027-01-20..2027-01-21", "--note", HOSTILE_NOTE],
        vec!["off", "--list"],
        vec!["off", "--json"],
        vec!["next"],
        vec!["report"],
        vec!["habits"],
        vec!["rebaseline", "--yes"],
        vec!["undo"],
        vec!["show", "\x1b[2Jnothing"],
        vec!["done", "\x1b]0;x\x07"],
        vec!["init", "--force"],
    ];
    for args in &commands {
        let out = sandbox.output(args);
        assert!(out.status.code().is_some_and(|c| c <= 2), "{args:?} ended with {:?}", out.status);
        assert_shown(&format!("{args:?}"), &out, false);
    }
    let out = sandbox.output(&["export", "ics"]);
    assert_eq!(out.status.code(), Some(0));
    assert_shown("export ics", &out, true);
    let file = std::fs::read_to_string(sandbox.path("plan.ics")).expect("the export");
    assert_eq!(raw_control(&file, true), None, "{file}");
    assert!(file.contains("SUMMARY:task a [2J]0\\;title\r\n"), "ESC and BEL dropped from the TEXT value:\n{file}");

    // Shown, not dropped: what the plan says is still there to read.
    let show = sandbox.ok(&["show", "a"]);
    assert!(show.contains("task a ␛[2J␛]0;title␇"), "{show}");
    assert!(show.contains("␛[1A␛[2Kerased␍CR ␀ nul ␛[?1049h"), "{show}");
    assert!(show.contains("deliverable ␛[2J\\u{85}next"), "{show}");
    assert!(show.contains("tags     tag␛[2J, t␍x"), "{show}");
    let json = sandbox.json(&["show", "a", "--json"]);
    assert_eq!(json["title"], "task a \x1b[2J\x1b]0;title\x07", "JSON carries the text as written");
    assert_eq!(sandbox.json(&["show", "b", "--json"])["title"], "task b \u{9d}0;osc-c1\u{9c}");
    let error = sandbox.run(&["show", "\x1b[2Jnothing"]);
    assert_eq!(error.code, 1);
    assert!(error.stderr.contains("␛[2Jnothing"), "{}", error.stderr);
    assert_eq!(commands.len() + 1, 47);
}

/// The same with a state whose notes, orphaned task and habit ids and day
/// off carry escape sequences (the file written by hand, as a synced or
/// edited state might be).
#[test]
fn every_command_on_a_hostile_state_shows_control_characters_visibly() {
    let sandbox = Sandbox::new().dated("2027-01-06");
    std::fs::copy(fixture("hostile/state.jsonl"), sandbox.state()).expect("copy the state");
    let commands: Vec<Vec<&str>> = vec![
        vec!["next"],
        vec!["next", "--json"],
        vec!["list"],
        vec!["show", "agent"],
        vec!["show", "moe", "--json"],
        vec!["schedule"],
        vec!["report"],
        vec!["report", "--format", "markdown"],
        vec!["report", "--json"],
        vec!["habits"],
        vec!["habits", "--json"],
        vec!["forecast", "--hours", "mon-sun=3"],
        vec!["config"],
        vec!["config", "--json"],
        vec!["off", "--list"],
        vec!["off", "--json"],
        vec!["doctor"],
        vec!["doctor", "--json"],
        vec!["export", "ics", "--out", "state.ics"],
        vec!["undo"],
        vec!["next"],
    ];
    for args in &commands {
        let out = sandbox.output(args);
        assert!(out.status.code().is_some_and(|c| c <= 1), "{args:?} ended with {:?}", out.status);
        assert_shown(&format!("{args:?}"), &out, false);
    }
    let doctor = sandbox.run(&["doctor"]);
    assert!(doctor.stdout.contains("p9.gone.␛[2Jorphan: done on 2027-01-05"), "{}", doctor.stdout);
    let off = sandbox.ok(&["off", "--list"]);
    assert!(off.contains("off ␛[2J\\u{9b}2J"), "{off}");
    let json = sandbox.json(&["off", "--json"]);
    assert!(json.to_string().contains(r"off \u001b[2J"), "{json}");
    let raw = sandbox.output(&["off", "--json"]);
    assert!(String::from_utf8_lossy(&raw.stdout).contains(r"\u009b2J"), "C1 escaped as JSON does");
}

/// With `--color always` our own colours still reach the terminal, and
/// nothing else does.
#[test]
fn our_colours_pass_and_the_plans_escapes_do_not() {
    let sandbox = hostile_plan();
    sandbox.ok(&["init"]);
    for args in [["--color", "always", "next"], ["--color", "always", "list"], ["--color", "always", "show"]] {
        let args: Vec<&str> = if args[2] == "show" { vec!["--color", "always", "show", "a"] } else { args.to_vec() };
        let out = sandbox.output(&args);
        assert_eq!(out.status.code(), Some(0), "{args:?}");
        let text = String::from_utf8(out.stdout).expect("UTF-8");
        assert!(text.contains("\x1b["), "{args:?} is coloured:\n{text}");
        let rest = without_sgr(&text);
        assert_eq!(raw_control(&rest, false), None, "{args:?}: only SGR colours are raw:\n{text}");
        assert!(!text.contains("\x1b[31mred") && !text.contains("\x1b[8m"), "the plan's own SGR is shown:\n{text}");
    }
    let error = sandbox.output(&["--color", "always", "done", "\x1b[2J"]);
    let stderr = String::from_utf8(error.stderr).expect("UTF-8");
    assert!(stderr.starts_with("\x1b[31;1merror\x1b[0m: "), "{stderr}");
    assert!(stderr.contains("␛[2J"), "{stderr}");
}

// ---- A change is checked against its consequences --------------------

/// `config --hours mon-sun=1` on the built-in plan leaves no hours for
/// tasks once the habits are reserved: refused like `init` refuses it.
#[test]
fn hours_that_leave_no_room_are_refused_by_config_as_by_init() {
    let sandbox = Sandbox::new();
    sandbox.ok(&["init"]);
    let before = sandbox.bytes();
    let run = sandbox.run(&["config", "--hours", "mon-sun=1"]);
    assert_eq!(run.code, 1, "{run:?}");
    assert_eq!(
        run.stderr,
        "error: nothing was written: with this change, the calendar leaves no hours for tasks in the 366 days \
         from 2027-01-04: the weekday hours are zero or habits take them all\n  \
         hint: give more hours (`roadmap config --hours mon-fri=2,sat-sun=4`) or fewer days off (`roadmap off --list`)\n"
    );
    assert_eq!(sandbox.bytes(), before);
    let init = sandbox.run(&["init", "--force", "--hours", "mon-sun=1"]);
    assert_eq!(init.code, 1, "init refuses the same hours: {init:?}");
    sandbox.ok(&["skip", "moe"]);
}

/// A state an older version let through (hours with no room): a `skip`
/// exits 1 and writes nothing; the way out (`config --hours`) is taken.
#[test]
fn a_change_on_a_calendar_without_room_writes_nothing() {
    let sandbox = Sandbox::new();
    sandbox.ok(&["init"]);
    let settings = r#"{"id":"00000000000000000000000000000001","at":"2027-01-04T08:00:00Z","kind":"settings","hours":{"mon":60,"tue":60,"wed":60,"thu":60,"fri":60,"sat":60,"sun":60}}"#;
    let mut bytes = sandbox.bytes();
    bytes.extend_from_slice(format!("{settings}\n").as_bytes());
    std::fs::write(sandbox.state(), &bytes).expect("write the state");
    let run = sandbox.run(&["skip", "moe"]);
    assert_eq!(run.code, 1, "{run:?}");
    assert!(
        run.stderr.starts_with("error: nothing was written: with this change, the calendar leaves no hours"),
        "{run:?}"
    );
    assert_eq!(sandbox.bytes(), bytes, "the skip is not appended");
    sandbox.ok(&["config", "--hours", "mon-fri=2,sat-sun=4"]);
    sandbox.ok(&["skip", "moe"]);
    sandbox.ok(&["next"]);
}

/// Days off that push a short plan past 9999-12-31: `off` exits 1 with
/// nothing written (before: exit 1 after the line was saved, then `next`
/// and `list` failed until `undo`); `done` on such a state writes nothing.
#[test]
fn days_off_past_the_last_date_write_nothing() {
    let sandbox = Sandbox::with_fixture("study.yaml").dated("9999-10-01");
    sandbox.ok(&["init"]);
    let before = sandbox.bytes();
    let run = sandbox.run(&["off", "9999-10-02..9999-12-30"]);
    assert_eq!(run.code, 1, "{run:?}");
    assert_eq!(
        run.stderr,
        "error: nothing was written: with this change, the remaining work, scheduled from 9999-10-01, would run \
         past 9999-12-31, the last date roadmap handles\n  hint: give more hours (`roadmap config --hours …`), \
         fewer days off (`roadmap off --list`), or skip tasks\n"
    );
    assert_eq!(sandbox.bytes(), before);
    sandbox.ok(&["next"]);
    sandbox.ok(&["list"]);

    // A state that already cannot be scheduled (written by an older version).
    let off = r#"{"id":"00000000000000000000000000000001","at":"9999-10-01T08:00:00Z","kind":"day_off","off":{"from":"9999-10-02","to":"9999-12-30"}}"#;
    let mut bytes = before.clone();
    bytes.extend_from_slice(format!("{off}\n").as_bytes());
    std::fs::write(sandbox.state(), &bytes).expect("write the state");
    let done = sandbox.run(&["done", "agent"]);
    assert_eq!(done.code, 1, "{done:?}");
    assert_eq!(sandbox.bytes(), bytes, "the done is not appended");
    sandbox.ok(&["undo"]);
    sandbox.ok(&["next"]);
}

// ---- The property: exit 0 → the state loads; exit ≠ 0 → byte-identical --

static COMMANDS: AtomicUsize = AtomicUsize::new(0);
static SUCCEEDED: AtomicUsize = AtomicUsize::new(0);
static REFUSED: AtomicUsize = AtomicUsize::new(0);

fn date() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("0207-01-05".to_string()),
        Just("1850-06-01".to_string()),
        Just("1066-10-14".to_string()),
        Just("1899-12-31".to_string()),
        Just("1900-01-01".to_string()),
        Just("2027-01-05".to_string()),
        Just("9999-12-31".to_string()),
        Just("yesterday".to_string()),
        (0u32..=12_000, 1u32..=13, 1u32..=32).prop_map(|(y, m, d)| format!("{y:04}-{m:02}-{d:02}")),
        (1900u32..=2100, 1u32..=12, 1u32..=28).prop_map(|(y, m, d)| format!("{y:04}-{m:02}-{d:02}")),
    ]
}

fn note() -> impl Strategy<Value = String> {
    // No NUL: a command line cannot carry one.
    "[a-z \\x01-\\x1f\\x7f\\x{80}-\\x{9f}é中]{0,12}"
}

fn task() -> impl Strategy<Value = String> {
    prop_oneof![Just("agent"), Just("moe"), Just("resume"), Just("leetcode"), Just("arxiv"), Just("1")]
        .prop_map(str::to_string)
}

fn count() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("0".to_string()),
        Just("1000000".to_string()),
        Just("1000001".to_string()),
        Just("18446744073709551616".to_string()),
        (1u64..=u64::MAX).prop_map(|n| n.to_string()),
    ]
}

fn hours() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("mon-sun=0".to_string()),
        Just("mon-sun=1".to_string()),
        Just("mon-sun=0.01".to_string()),
        Just("mon-sun=24".to_string()),
        Just("mon-sun=25".to_string()),
        Just("mon-fri=2,sat-sun=4".to_string()),
        Just("mon=0".to_string()),
        (0u32..=30).prop_map(|h| format!("mon-fri={h}")),
    ]
}

fn time() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("0m".to_string()),
        Just("1h".to_string()),
        Just("1000000h".to_string()),
        Just("99999999999h".to_string()),
        (0u64..=10_000_000).prop_map(|m| format!("{m}m")),
    ]
}

/// One command line (after `roadmap`).
fn command() -> impl Strategy<Value = Vec<String>> {
    let with = |flag: &'static str, value: Option<String>| value.map(|v| vec![flag.to_string(), v]).unwrap_or_default();
    prop_oneof![
        (task(), proptest::option::of(date()), proptest::option::of(note()), proptest::option::of(count())).prop_map(
            move |(t, on, n, c)| [vec!["done".to_string(), t], with("--on", on), with("--note", n), with("--count", c)]
                .concat()
        ),
        (task(), time(), proptest::option::of(date()), proptest::option::of(note())).prop_map(move |(t, d, on, n)| {
            [vec!["log".to_string(), t, d], with("--on", on), with("--note", n)].concat()
        }),
        (task(), proptest::option::of(date())).prop_map(move |(t, on)| [
            vec!["start".to_string(), t],
            with("--on", on)
        ]
        .concat()),
        (task(), proptest::option::of(note()))
            .prop_map(move |(t, n)| [vec!["skip".to_string(), t], with("--note", n)].concat()),
        task().prop_map(|t| vec!["reopen".to_string(), t]),
        (date(), date(), proptest::option::of(note()))
            .prop_map(move |(a, b, n)| { [vec!["off".to_string(), format!("{a}..{b}")], with("--note", n)].concat() }),
        (date(), proptest::option::of(note()))
            .prop_map(move |(a, n)| [vec!["off".to_string(), a], with("--note", n)].concat()),
        hours().prop_map(|h| vec!["config".to_string(), "--hours".to_string(), h]),
        date().prop_map(|d| vec!["config".to_string(), "--start".to_string(), d]),
        Just(vec!["undo".to_string()]),
        Just(vec!["rebaseline".to_string(), "--yes".to_string()]),
    ]
}

/// Runs one command line; checks the property; returns the failure text.
fn check(sandbox: &Sandbox, args: &[String]) -> Result<(), TestCaseError> {
    let before = sandbox.bytes();
    let run = sandbox.roadmap().args(args).run();
    COMMANDS.fetch_add(1, Ordering::Relaxed);
    prop_assert!(run.code == 0 || run.code == 1 || run.code == 2, "{args:?} ended with {}: {}", run.code, run.stderr);
    prop_assert!(!run.stderr.contains("panicked"), "{args:?} panicked: {}", run.stderr);
    if run.code == 0 {
        SUCCEEDED.fetch_add(1, Ordering::Relaxed);
        for read in ["next", "list"] {
            let after = sandbox.run(&[read]);
            prop_assert_eq!(after.code, 0, "{:?} exited 0, then `{}` failed: {}", args, read, after.stderr);
        }
    } else {
        REFUSED.fetch_add(1, Ordering::Relaxed);
        prop_assert!(sandbox.bytes() == before, "{:?} exited {} and changed the file: {}", args, run.code, run.stderr);
    }
    Ok(())
}

/// Command lines with absurd dates, huge counts, zero or huge hours and
/// notes with control characters, against a fresh state each case.
#[test]
fn every_command_that_succeeds_leaves_a_state_that_loads() {
    let config = ProptestConfig { cases: 192, failure_persistence: None, ..ProptestConfig::default() };
    let mut runner = TestRunner::new(config);
    let cases = AtomicUsize::new(0);
    let result = runner.run(&proptest::collection::vec(command(), 1..=6), |lines| {
        cases.fetch_add(1, Ordering::Relaxed);
        let sandbox = Sandbox::with_fixture("study.yaml");
        sandbox.ok(&["init", "--start", TODAY]);
        for args in &lines {
            check(&sandbox, args)?;
        }
        Ok(())
    });
    if let Err(e) = result {
        panic!("{e}");
    }
    eprintln!(
        "trust property: {} cases, {} commands, {} exited 0 (then next and list exited 0), {} refused with the file byte-identical",
        cases.load(Ordering::Relaxed),
        COMMANDS.load(Ordering::Relaxed),
        SUCCEEDED.load(Ordering::Relaxed),
        REFUSED.load(Ordering::Relaxed)
    );
}
