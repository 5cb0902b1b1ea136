//! Refuse what cannot be true, warn what is odd: time logged on one day
//! above 24 h (all tasks together), a date before the plan's start or
//! after today for `done`/`log`/check-ins/`start` are refused (exit 1, or 2
//! for a future date, as for any usage error) and leave the state
//! byte-identical; a check-in above its target and a task done before its
//! dependencies are recorded and said.

use crate::support::Sandbox;

const START: &str = "2027-01-04";
const TODAY: &str = "2027-01-10";

fn tracked() -> Sandbox {
    let sandbox = Sandbox::new().dated(TODAY);
    sandbox.ok(&["init", "--start", START]);
    sandbox
}

/// Runs `args`, insists on `code` and `stderr`, and that the state file did
/// not change by a byte.
fn refused(sandbox: &Sandbox, args: &[&str], code: i32, stderr: &str) {
    let before = sandbox.bytes();
    let run = sandbox.run(args);
    assert_eq!((run.code, run.stderr.as_str(), run.stdout.as_str()), (code, stderr, ""), "roadmap {args:?}");
    assert_eq!(sandbox.bytes(), before, "roadmap {args:?} changed the state");
}

#[test]
fn a_day_holds_24_hours_of_logged_time_all_tasks_together() {
    let sandbox = tracked();
    refused(
        &sandbox,
        &["log", "own-project", "25h"],
        1,
        "error: 25h on 2027-01-10 is more than a day holds (24h)\n  hint: 24h is left to log on 2027-01-10\n",
    );
    refused(
        &sandbox,
        &["log", "own-project", "1000h"],
        1,
        "error: 1000h on 2027-01-10 is more than a day holds (24h)\n  hint: 24h is left to log on 2027-01-10\n",
    );
    sandbox.ok(&["log", "moe", "20h"]);
    sandbox.ok(&["log", "own-project", "3h", "--on", "2027-01-09"]);
    refused(
        &sandbox,
        &["log", "own-project", "4h30m"],
        1,
        "error: 4h30m more on 2027-01-10 makes 24h30m logged that day, more than a day holds (24h)\n  hint: 4h is left to log on 2027-01-10\n",
    );
    // Up to the day's last minute is accepted.
    sandbox.ok(&["log", "own-project", "4h"]);
    refused(
        &sandbox,
        &["log", "agent", "1m"],
        1,
        "error: 1m more on 2027-01-10 makes 24h1m logged that day, more than a day holds (24h)\n  hint: 0h is left to log on 2027-01-10\n",
    );
    // An undone log gives its hours back.
    sandbox.ok(&["undo"]);
    sandbox.ok(&["log", "agent", "4h"]);
}

#[test]
fn dates_before_the_plans_start_or_after_today_are_refused() {
    let sandbox = tracked();
    let before = "error: 2026-12-01 is before the plan's start (2027-01-04)\n  hint: dates from the plan's start (2027-01-04) to today (2027-01-10) are accepted; `roadmap config --start DATE` moves the start\n";
    refused(&sandbox, &["done", "leetcode", "--on", "2026-12-01"], 1, before);
    refused(&sandbox, &["done", "moe", "--on", "2026-12-01"], 1, before);
    refused(&sandbox, &["done", "moe", "--deliverable", "1", "--on", "2026-12-01"], 1, before);
    refused(&sandbox, &["start", "moe", "--on", "2026-12-01"], 1, before);
    refused(
        &sandbox,
        &["log", "moe", "1h", "--on", "2026-12-25"],
        1,
        &before.replace("2026-12-01 is", "2026-12-25 is"),
    );
    let after = "error: --on: 2027-01-11 is in the future (today is 2027-01-10)\n  hint: dates from the plan's start (2027-01-04) to today (2027-01-10) are accepted; `roadmap config --start DATE` moves the start\n";
    for args in [
        &["done", "leetcode", "--on", "2027-01-11"][..],
        &["done", "moe", "--on", "2027-01-11"],
        &["start", "moe", "--on", "2027-01-11"],
        &["log", "moe", "1h", "--on", "2027-01-11"],
    ] {
        refused(&sandbox, args, 2, after);
    }
    // The first and the last accepted day.
    sandbox.ok(&["log", "moe", "1h", "--on", START]);
    sandbox.ok(&["done", "leetcode", "--on", TODAY]);
}

#[test]
fn without_a_state_only_today_is_accepted_and_nothing_is_created() {
    let sandbox = Sandbox::new().dated(TODAY);
    let run = sandbox.run(&["done", "moe", "--on", "2027-01-09"]);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stderr,
        "error: 2027-01-09 is before the plan's start (2027-01-10)\n  hint: only today (2027-01-10) is accepted: the plan starts today; `roadmap config --start DATE` moves the start\n"
    );
    assert!(!sandbox.state().exists(), "a refused first command created the state");
}

#[test]
fn a_check_in_above_its_target_is_recorded_and_said() {
    let sandbox = tracked();
    let once = sandbox.ok(&["done", "arxiv"]);
    assert!(once.ends_with("1/1 on 2027-01-10 (met)\n"), "{once}");
    let twice = sandbox.ok(&["done", "arxiv"]);
    assert!(twice.ends_with("2/1 on 2027-01-10 (met, 1 above the target)\n"), "{twice}");
    assert_eq!(sandbox.events().iter().filter(|e| e["kind"] == "checkin").count(), 2);
    // A period habit's check-ins add up within its period.
    sandbox.ok(&["done", "blog", "--on", "2027-01-05"]);
    let blog = sandbox.ok(&["done", "blog"]);
    assert!(
        blog.ends_with("2/1 on 2027-01-10, in its period 2027-01-04 to 2027-01-17 (met, 1 above the target)\n"),
        "{blog}"
    );
}

#[test]
fn done_before_open_dependencies_is_recorded_and_warns_naming_them() {
    let sandbox = tracked();
    sandbox.ok(&["done", "hf-contrib"]);
    let out = sandbox.ok(&["done", "to-p5"]);
    assert!(
        out.starts_with("Done: p4.bridge.to-p5  阶段4→5过渡  (5h, 2027-01-10)\n  Warning: done before its dependencies: p4.oss.own-project  个人项目开源 (todo); p4.jobprep.resume  简历优化技巧 (todo)\n"),
        "{out}"
    );
    assert_eq!(sandbox.events().last().map(|e| e["task"].clone()), Some("p4.bridge.to-p5".into()));
    // Dependencies done or skipped, nothing to say.
    sandbox.ok(&["done", "agent", "moe"]);
    let out = sandbox.ok(&["done", "hf-contrib", "resume"]);
    assert!(!out.contains("Warning"), "{out}");
    sandbox.ok(&["log", "own-project", "1h"]);
    let out = sandbox.ok(&["done", "cicd"]);
    assert!(out.contains("Warning: done before its dependencies: p5.eng.pipeline  "), "{out}");
    assert!(out.contains("; p4.oss.own-project  个人项目开源 (in progress)\n"), "{out}");
}
