//! Plan edits after progress, and `roadmap doctor`: renamed, removed,
//! restored and re-estimated tasks; a plan that becomes invalid; what
//! changed since init; the lossless `--fix`.

use super::support::*;

/// p1.m.{a,b,c} with efforts 2h, 3h, 4h; `a` has a text deliverable and
/// an id deliverable; habit `lc`.
const PLAN: &str = "format: 1
id: small
title: Small
phases:
  - id: p1
    title: One
    modules:
      - id: m
        title: M
        tasks:
          - id: a
            title: Task A
            effort: 2h
            deliverables: [write it, {id: ship, title: Ship it}]
          - id: b
            title: Task B
            effort: 3h
          - id: c
            title: Task C
            effort: 4h
habits:
  - id: lc
    title: Leetcode
    every: day
";

fn env_with_progress() -> Sandbox {
    let env = Sandbox::with_plan(PLAN);
    env.init();
    env.ok(&["done", "a"]);
    env.ok(&["done", "a", "--deliverable", "1"]);
    env.ok(&["log", "b", "1h"]);
    env.ok(&["done", "lc"]);
    env
}

fn json(out: &str) -> serde_json::Value {
    serde_json::from_str(out).expect("JSON output")
}

fn task<'a>(list: &'a serde_json::Value, id: &str) -> Option<&'a serde_json::Value> {
    list["phases"][0]["modules"][0]["tasks"].as_array()?.iter().find(|t| t["id"] == id)
}

fn doctor(env: &Sandbox, args: &[&str]) -> (Option<i32>, serde_json::Value) {
    let mut full = vec!["doctor", "--json"];
    full.extend_from_slice(args);
    let out = env.output(&full);
    (out.status.code(), json(&text(&out.stdout)))
}

fn codes(report: &serde_json::Value) -> Vec<String> {
    report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["fixed"].is_null())
        .map(|f| f["code"].as_str().unwrap_or_default().to_string())
        .collect()
}

#[test]
fn a_fresh_state_is_healthy() {
    let env = env_with_progress();
    let out = env.ok(&["doctor"]);
    assert!(out.contains("No problems found."), "{out}");
    let (code, report) = doctor(&env, &[]);
    assert_eq!(code, Some(0));
    assert_eq!(report["ok"], true);
    assert!(codes(&report).is_empty(), "{report}");
    // The header records the plan's tasks and efforts at init.
    let header = parse_state(&env.state()).header;
    assert_eq!(header["snapshot"]["tasks"]["p1.m.c"], 240);
}

#[test]
fn a_renamed_task_keeps_its_progress() {
    let env = env_with_progress();
    env.write_plan(&PLAN.replace("title: Task A", "title: Task A, reworded"));
    let list = json(&env.ok(&["list", "--json"]));
    let a = task(&list, "p1.m.a").expect("task a");
    assert_eq!(a["status"], "done");
    assert_eq!(a["title"], "Task A, reworded");
    let (code, report) = doctor(&env, &[]);
    assert_eq!(code, Some(0));
    assert_eq!(codes(&report), ["plan_changed"]);
    let c = &report["plan_changes"];
    assert!(c["added"].as_array().is_some_and(Vec::is_empty), "{c}");
    assert!(c["removed"].as_array().is_some_and(Vec::is_empty), "{c}");
    let text = env.ok(&["doctor"]);
    assert!(text.contains("reworded or reordered only"), "{text}");
}

#[test]
fn a_removed_task_is_orphaned_not_dropped_and_comes_back() {
    let env = env_with_progress();
    let events_before = parse_state(&env.state()).events;
    let without_a = PLAN.replace(
        "          - id: a\n            title: Task A\n            effort: 2h\n            deliverables: [write it, {id: ship, title: Ship it}]\n",
        "",
    );
    assert_ne!(without_a, PLAN);
    env.write_plan(&without_a);
    // `next` says so in one line; its progress no longer counts.
    let next = env.ok(&["next"]);
    let notices: Vec<&str> = next.lines().filter(|l| l.contains("the plan no longer has")).collect();
    assert_eq!(notices.len(), 1, "{next}");
    assert!(notices[0].contains("p1.m.a") && notices[0].contains("roadmap doctor"), "{next}");
    let next_json = json(&env.ok(&["next", "--json"]));
    assert_eq!(next_json["orphaned_tasks"], serde_json::json!(["p1.m.a"]));
    // `doctor` lists it with what was saved, and nothing is written.
    let out = env.ok(&["doctor"]);
    assert!(out.contains("p1.m.a: done on 2027-01-04, 1 deliverable checked (2 events)"), "{out}");
    let (code, report) = doctor(&env, &[]);
    assert_eq!(code, Some(0));
    assert_eq!(report["orphaned_tasks"], serde_json::json!(["p1.m.a"]));
    assert!(codes(&report).contains(&"orphaned_tasks".to_string()));
    assert_eq!(report["plan_changes"]["removed"][0]["id"], "p1.m.a");
    // Recording other work keeps its events.
    env.ok(&["done", "b"]);
    let after = parse_state(&env.state()).events;
    assert_eq!(after[..events_before.len()], events_before[..]);
    // Putting it back restores its progress.
    env.write_plan(PLAN);
    let list = json(&env.ok(&["list", "--json"]));
    assert_eq!(task(&list, "p1.m.a").expect("task a")["status"], "done");
    let show = json(&env.ok(&["show", "a", "--json"]));
    assert!(show.to_string().contains("write it"), "{show}");
    let (_, report) = doctor(&env, &[]);
    assert!(codes(&report).is_empty(), "{report}");
}

#[test]
fn a_re_estimated_task_moves_the_schedule_and_the_figures() {
    let env = env_with_progress();
    let before = json(&env.ok(&["schedule", "--json"]));
    env.write_plan(&PLAN.replace("effort: 4h", "effort: 40h"));
    let list = json(&env.ok(&["list", "--json"]));
    assert_eq!(task(&list, "p1.m.c").expect("c")["effort_minutes"], 2400);
    assert_eq!(list["phases"][0]["effort_minutes"], (2 + 3 + 40) * 60);
    let after = json(&env.ok(&["schedule", "--json"]));
    assert!(after["end"].as_str() > before["end"].as_str(), "{before} → {after}");
    let (_, report) = doctor(&env, &[]);
    let re = &report["plan_changes"]["reestimated"][0];
    assert_eq!(re["id"], "p1.m.c");
    assert_eq!((re["from_minutes"].as_u64(), re["to_minutes"].as_u64()), (Some(240), Some(2400)));
    let out = env.ok(&["doctor"]);
    assert!(out.contains("re-estimated p1.m.c: 4h → 40h"), "{out}");
}

#[test]
fn an_invalid_plan_after_progress_is_refused_and_the_state_kept() {
    let env = env_with_progress();
    let before = env.bytes();
    env.write_plan(&PLAN.replace("effort: 3h", "efort: 3h"));
    for args in [
        &["next"][..],
        &["list"][..],
        &["done", "c"][..],
        &["log", "c", "1h"][..],
        &["undo"][..],
        &["off", "2027-02-01"][..],
    ] {
        let out = env.output(args);
        let err = text(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {err}");
        assert!(err.contains("plan.yaml:17:13: unknown key `efort`"), "{args:?}: {err}");
        assert!(err.contains("has no `effort`"), "{args:?}: {err}");
        assert_eq!(env.bytes(), before, "{args:?}: the state changed");
    }
    let (code, report) = doctor(&env, &[]);
    assert_eq!(code, Some(1));
    assert_eq!(report["ok"], false);
    assert_eq!(codes(&report), ["plan_invalid"]);
    let (code, _) = doctor(&env, &["--fix"]);
    assert_eq!(code, Some(1));
    assert_eq!(env.bytes(), before, "--fix touched the state of an invalid plan");
}

#[test]
fn doctor_lists_what_changed_and_fix_records_the_plan() {
    let env = env_with_progress();
    let changed = PLAN
        .replace("          - id: b\n", "          - id: bb\n")
        .replace("effort: 4h", "effort: 6h")
        .replace("write it,", "write it well,")
        .replace("  - id: lc\n", "  - id: lc2\n");
    env.write_plan(&changed);
    let out = env.ok(&["doctor"]);
    for expected in [
        "warning: 1 task with saved progress the plan no longer has",
        "p1.m.b: in progress, 1h logged (1 event)",
        "warning: check-ins for 1 habit the plan no longer has",
        "warning: 1 deliverable checked that the plan's tasks no longer list",
        "p1.m.a: `write it`",
        "warning: the plan changed since it was recorded in the state: 1 added, 1 removed, 1 re-estimated",
        "added        p1.m.bb (3h)",
        "removed      p1.m.b (3h)",
        "re-estimated p1.m.c: 4h → 6h",
        "1 fixable with `roadmap doctor --fix`",
    ] {
        assert!(out.contains(expected), "expected `{expected}` in:\n{out}");
    }
    let before = parse_state(&env.state()).events;
    let fixed = env.ok(&["doctor", "--fix"]);
    assert!(fixed.contains("fixed: the plan changed"), "{fixed}");
    let after = parse_state(&env.state());
    assert_eq!(after.events[..before.len()], before[..], "--fix changed an event");
    assert_eq!(after.events.len(), before.len() + 1);
    assert_eq!(after.events[before.len()]["kind"], "plan_accepted");
    // What cannot be fixed without losing something stays reported.
    let (code, report) = doctor(&env, &[]);
    assert_eq!(code, Some(0));
    assert_eq!(codes(&report), ["orphaned_tasks", "unknown_habits", "unknown_deliverables"]);
    // The acceptance is an event like any other: undo reverts it.
    let undo = env.ok(&["undo"]);
    assert!(undo.contains("plan accepted"), "{undo}");
    let (_, report) = doctor(&env, &[]);
    assert!(codes(&report).contains(&"plan_changed".to_string()));
}

#[test]
fn rebaseline_records_the_plan_too() {
    let env = env_with_progress();
    env.write_plan(&PLAN.replace("effort: 4h", "effort: 5h"));
    let (_, report) = doctor(&env, &[]);
    assert_eq!(codes(&report), ["plan_changed"]);
    env.ok(&["rebaseline", "--yes"]);
    let (_, report) = doctor(&env, &[]);
    assert!(codes(&report).is_empty(), "{report}");
}

#[test]
fn an_older_state_without_a_snapshot_still_works() {
    let env = env_with_progress();
    let strip = |env: &Sandbox| {
        let text = String::from_utf8(env.bytes()).expect("UTF-8");
        let (header, rest) = text.split_once('\n').expect("a header line");
        let mut header: serde_json::Value = serde_json::from_str(header).expect("JSON");
        header.as_object_mut().expect("an object").remove("snapshot");
        std::fs::write(env.state(), format!("{header}\n{rest}")).expect("write");
    };
    strip(&env);
    let (code, report) = doctor(&env, &[]);
    assert_eq!(code, Some(0));
    assert_eq!(codes(&report), ["no_plan_snapshot"]);
    env.write_plan(&PLAN.replace("effort: 4h", "effort: 5h"));
    let (_, report) = doctor(&env, &[]);
    assert_eq!(codes(&report), ["plan_changed"]);
    assert!(report["plan_changes"].is_null());
    env.ok(&["doctor", "--fix"]);
    let (_, report) = doctor(&env, &[]);
    assert!(codes(&report).is_empty(), "{report}");
}

#[test]
fn doctor_fix_removes_crash_leftovers_and_keeps_a_copy() {
    let env = env_with_progress();
    let events = parse_state(&env.state()).events;
    // A crash half-way through an append and another during a rewrite.
    let out = env.output_with(&["done", "c"], &[("ROADMAP_FAULT", "append:half")]);
    assert!(out.status.code().is_none());
    let plan = env.plan().display().to_string();
    let out = env.output_with(&["--plan", &plan, "init", "--force"], &[("ROADMAP_FAULT", "rewrite:abort")]);
    assert!(out.status.code().is_none());
    let torn = env.bytes();
    let (code, report) = doctor(&env, &[]);
    assert_eq!(code, Some(0));
    assert_eq!(codes(&report), ["stale_temp_files", "torn_last_line"]);
    assert_eq!(env.bytes(), torn, "doctor without --fix wrote");
    let out = env.ok(&["doctor", "--fix"]);
    assert!(out.contains("removed the cut-off line"), "{out}");
    assert!(out.contains("removed 1 temporary file"), "{out}");
    let after = parse_state(&env.state());
    assert!(!after.torn_tail);
    assert_eq!(after.events, events);
    // The file as it was, cut-off line included, is kept beside it.
    let copy = out
        .split("the file as it was is kept at ")
        .nth(1)
        .and_then(|rest| rest.split(')').next())
        .expect("the copy's path");
    let copy = copy.replace("[DIR]", &env.dir().display().to_string());
    assert_eq!(std::fs::read(copy).expect("read the copy"), torn);
    assert!(env.ok(&["doctor"]).contains("No problems found."));
}

/// Both fixes in one run: the cut-off line is trimmed, then the plan is
/// recorded, appended to the file the trim left (each fix writes only to
/// the file as the one before it left it).
#[test]
fn doctor_fix_trims_a_cut_off_line_and_records_the_plan_in_one_run() {
    let env = env_with_progress();
    let events = parse_state(&env.state()).events;
    let out = env.output_with(&["done", "c"], &[("ROADMAP_FAULT", "append:half")]);
    assert!(out.status.code().is_none());
    env.write_plan(&PLAN.replace("effort: 4h", "effort: 5h"));
    let (_, report) = doctor(&env, &[]);
    assert_eq!(codes(&report), ["torn_last_line", "plan_changed"]);
    let fixed = env.ok(&["doctor", "--fix"]);
    assert!(fixed.contains("removed the cut-off line"), "{fixed}");
    assert!(fixed.contains("fixed: the plan changed"), "{fixed}");
    let after = parse_state(&env.state());
    assert!(!after.torn_tail);
    assert_eq!(after.events[..events.len()], events[..]);
    assert_eq!(after.events.len(), events.len() + 1);
    assert_eq!(after.events[events.len()]["kind"], "plan_accepted");
    let (_, report) = doctor(&env, &[]);
    assert!(codes(&report).is_empty(), "{report}");
}

#[test]
fn doctor_reports_an_unreadable_state_and_leaves_it() {
    let env = env_with_progress();
    let mut bytes = env.bytes();
    bytes.extend_from_slice(b"{\"seq\": \"x\"}\n");
    std::fs::write(env.state(), &bytes).expect("write");
    for args in [&["doctor"][..], &["doctor", "--fix"][..]] {
        let out = env.output(args);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        let report = text(&out.stdout);
        assert!(report.contains("error: ") && report.contains("state.jsonl:6:"), "{report}");
        assert!(report.contains("1 error"), "{report}");
        assert_eq!(env.bytes(), bytes, "{args:?} changed the file");
    }
}

#[test]
fn doctor_without_a_state_checks_the_plan() {
    let env = Sandbox::with_plan(PLAN);
    let plan = env.plan().display().to_string();
    let out = env.ok(&["--plan", &plan, "doctor"]);
    assert!(out.contains("nothing is saved yet"), "{out}");
    assert!(out.contains("No problems found."), "{out}");
    assert!(!env.state().exists());
    env.write_plan("format: 2\n");
    let out = env.output(&["--plan", &plan, "doctor"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stdout).contains("plan format 2 is not supported"));
}
