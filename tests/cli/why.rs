//! `roadmap why TASK` (issue 16): the blocking dependency, the habit hours
//! of its day, the day off on the way, what is before it and what would
//! bring it earlier; a done task's actual against its estimate.

use super::support::Sandbox;

/// 3h every day, a 1h daily habit: 2h a day for tasks. `b` comes after `a`;
/// `c` is independent but before `b` in the plan order.
const PLAN: &str = "
format: 1
id: why
title: Why
phases:
  - id: p1
    title: One
    modules:
      - id: m
        title: M
        tasks:
          - {id: a, title: Alpha, effort: 10h}
          - {id: c, title: Gamma, effort: 4h}
          - {id: b, title: Beta, effort: 2h, after: [a]}
habits:
  - {id: drill, title: Drill, every: day, effort: 1h}
";

fn sandbox() -> Sandbox {
    let env = Sandbox::with_plan(PLAN).dated("2027-01-04");
    let plan = env.plan().display().to_string();
    env.ok(&["--plan", &plan, "init", "--start", "2027-01-04", "--hours", "mon-sun=3"]);
    env.ok(&["off", "2027-01-06", "--note", "dentist"]);
    env
}

#[test]
fn why_names_the_dependency_the_habit_hours_and_the_day_off() {
    let env = sandbox();
    // a: 2h a day on Mon, Tue, (Wed off), Thu, Fri, Sat → ends Sat 01-09.
    // c: Sun 01-10 and Mon 01-11. b: Tue 01-12 (2h).
    // Skipping c: b on Sun 01-10. At 4h30m a day (3h30m for tasks):
    // a Mon 3h30m, Tue 3h30m, Thu 3h → Thu 01-07; c Thu 30m + Fri 3h30m;
    // b Sat 01-09.
    assert_eq!(
        env.ok(&["why", "b"]),
        "Why p1.m.b Beta
  It is planned from Tue 01-12 to Tue 01-12 in phase p1 One: 2h left of 2h.
  It waits for p1.m.a Alpha, planned to end Sat 01-09.
  Before it in the plan order: 2 tasks (14h left), p1.m.a Alpha and p1.m.c Gamma.
  On Tue 01-12 the calendar gives 3h; habits take 1h of it, leaving 2h for tasks.
  2027-01-06 is a day off (dentist) on the way.
  Skipping the 1 task before it that it does not need (4h: p1.m.c Gamma) would start it on Sun 01-10.
  With 31h30m/week (half again the hours) it would start on Sat 01-09.
"
    );
    let json = env.json(&["why", "b", "--json"]);
    assert_eq!(json["after"][0]["id"], "p1.m.a");
    assert_eq!(json["after"][0]["end"], "2027-01-09");
    assert_eq!(json["start_day"]["habit_minutes"], 60);
    assert_eq!(json["days_off"][0]["from"], "2027-01-06");
    assert_eq!(json["earlier"]["start_if_skipped"], "2027-01-10");
    // Nothing was written.
    assert_eq!(env.events().len(), sandbox().events().len());
}

#[test]
fn why_a_done_task_tells_when_and_against_its_estimate() {
    let env = sandbox();
    env.ok(&["log", "a", "12h", "--on", "2027-01-04"]);
    env.on("2027-01-05").args(["done", "a"]).ok();
    assert_eq!(
        env.on("2027-01-05").args(["why", "a"]).ok(),
        "Why p1.m.a Alpha
  Done on 2027-01-05, worked on from 2027-01-04: it took 12h against its estimate of 10h (1.2×).
"
    );
    assert_eq!(env.on("2027-01-05").args(["why", "a", "--json"]).json()["ratio"], 1.2);
}

#[test]
fn why_a_habit_is_a_usage_error() {
    let env = sandbox();
    env.roadmap().args(["why", "drill"]).assert().code(2).stderr(
        "error: `drill` is a habit; `why` explains a task\n  hint: `roadmap show HABIT` shows a habit's days\n",
    );
}

/// `next --why`: the day's screen, then the explanation of each task planned
/// today, the same one `why TASK` gives; `--json` adds a `why` array beside
/// the next view's fields.
#[test]
fn next_why_explains_each_of_today_s_tasks() {
    let env = sandbox();
    let next = env.ok(&["next"]);
    let why_a = env.ok(&["why", "a"]);
    assert_eq!(env.ok(&["next", "--why"]), format!("{next}\n{why_a}"));
    let json = env.json(&["next", "--why", "--json"]);
    assert_eq!(json["today"]["tasks"][0]["id"], "p1.m.a");
    assert_eq!(json["why"].as_array().map(Vec::len), Some(1));
    assert_eq!(json["why"][0], env.json(&["why", "a", "--json"]));
}
