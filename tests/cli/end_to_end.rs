//! The command line end to end: lookup and errors, the state file's
//! safety rules, init, concurrency, and exact `list`/`show` output.

use super::support::*;
use std::process::Stdio;

#[test]
fn next_without_state_is_a_preview_and_writes_nothing() {
    let env = Sandbox::new();
    let out = env.ok(&["next"]);
    assert!(
        out.starts_with(
            "Mon 2027-01-04 (2027-W01) · p4 高阶项目与实习准备 · week 1 of 2-3个月 · 0% of the plan done\n"
        ),
        "{out}"
    );
    assert!(out.contains("Preview: nothing saved yet"), "{out}");
    assert!(!env.state().exists());
    // No command at all runs `next`.
    assert_eq!(env.ok(&[]), out);
}

#[test]
fn first_write_creates_the_state_with_defaults_and_says_so() {
    let env = Sandbox::new();
    let out = env.ok(&["done", "moe"]);
    assert!(
        out.starts_with("Created [DIR]/state.jsonl for built-in llm-career-4-6.zh, starting 2027-01-04 with 2h Mon–Fri and 4h Sat–Sun"),
        "{out}"
    );
    let header: serde_json::Value =
        serde_json::from_str(std::fs::read_to_string(env.state()).unwrap().lines().next().unwrap()).unwrap();
    assert_eq!(header["roadmap_state"], 2);
    assert_eq!(header["start"], "2027-01-04");
    assert_eq!(header["plan"]["builtin"], "llm-career-4-6.zh");
    assert_eq!(header["hours"]["sat"], 240);
    assert_eq!(env.events().len(), 1);
}

#[test]
fn a_missing_state_directory_is_created() {
    let env = Sandbox::new();
    let nested = env.dir().join("a/b/state.jsonl");
    env.roadmap().env("ROADMAP_STATE", &nested).args(["done", "agent"]).assert().success();
    assert!(nested.exists());
}

#[test]
fn refused_commands_write_nothing() {
    let env = Sandbox::new();
    let cases: &[(&[&str], i32, &str)] = &[
        (&["done", "moee"], 1, "error: no task or habit matches `moee`\n  hint: did you mean `moe`?\n"),
        (
            &["done", "99"],
            1,
            "error: there is no task number 99: the tasks are numbered 1 to 18\n  hint: `roadmap list` shows every task with its number\n",
        ),
        (&["done", "moe", "--on", "2027-02-30"], 2, "error: --on: `2027-02-30` is not a real date\n"),
        (
            &["done", "moe", "--on", "2027-01-05"],
            2,
            "error: --on: 2027-01-05 is in the future (today is 2027-01-04)\n  hint: only today (2027-01-04) is accepted: the plan starts today; `roadmap config --start DATE` moves the start\n",
        ),
        (&["log", "moe", "-2h"], 2, "error: effort `-2h` is negative\n  hint: write a positive duration such as 20h\n"),
        (&["log", "moe", "2"], 2, "error: effort `2` has no unit\n  hint: write 2h (hours) or 2m (minutes)\n"),
        (
            &["off", "2027-02-17..2027-02-10"],
            2,
            "error: `2027-02-17..2027-02-10` ends before it starts: write the earlier date first (2027-02-10..2027-02-17)\n",
        ),
        (
            &["init", "--hours", "mon-fri=0,sat-sun=0"],
            2,
            "error: --hours: `mon-fri=0,sat-sun=0` gives no hours on any day: nothing could ever be scheduled\n",
        ),
        (
            &["done", "moe", "--deliverable", "3"],
            2,
            "error: p4.frontier.moe has deliverables 1 to 2, not 3\n  hint: `roadmap show moe` numbers them\n",
        ),
        (&["reopen", "moe"], 1, "error: p4.frontier.moe is todo, not done or skipped: nothing to reopen\n"),
        (&["undo"], 1, "error: nothing to undo\n"),
        (
            &["init", "--track", "nope"],
            2,
            "error: --track: the plan has no track `nope`\n  hint: tracks: academic, industry\n",
        ),
        (
            &["--today", "someday", "next"],
            2,
            "error: --today: `someday` is not a date: write YYYY-MM-DD, today, yesterday, tomorrow or a weekday name\n",
        ),
    ];
    for (args, code, stderr) in cases {
        let run = env.run(args);
        assert_eq!((run.code, run.stderr.as_str()), (*code, *stderr), "roadmap {args:?}");
        assert!(!env.state().exists(), "roadmap {args:?} wrote a state file");
    }
}

#[test]
fn ambiguous_references_list_the_candidates() {
    let env = Sandbox::new();
    let run = env.run(&["done", "阶段"]);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stderr,
        "error: `阶段` matches 2 items:\n    7  p4.bridge.to-p5  阶段4→5过渡\n   12  p5.bridge.to-p6  阶段5→6衔接\n  hint: use the full id or the number from `roadmap list`\n"
    );
}

#[test]
fn a_newer_state_version_is_refused_and_left_alone() {
    let env = Sandbox::new();
    let text = "{\"roadmap_state\":3,\"whatever\":true}\n";
    std::fs::write(env.state(), text).unwrap();
    for args in [&["next"][..], &["done", "moe"]] {
        let run = env.run(args);
        assert_eq!(run.code, 1);
        assert_eq!(
            run.stderr,
            "error: [DIR]/state.jsonl was written by a newer roadmap (state format 3; this one reads 2)\n  hint: update roadmap; the file was left as it is\n"
        );
    }
    assert_eq!(std::fs::read_to_string(env.state()).unwrap(), text);
}

#[test]
fn a_corrupt_state_is_refused_with_its_line_and_left_alone() {
    let env = Sandbox::new();
    env.ok(&["done", "moe"]);
    env.ok(&["done", "agent"]);
    let mut text = std::fs::read_to_string(env.state()).unwrap();
    text = text.replacen(
        "\"kind\":\"done\",\"task\":\"p4.frontier.agent\"",
        "\"kind\":\"dune\",\"task\":\"p4.frontier.agent\"",
        1,
    );
    std::fs::write(env.state(), &text).unwrap();
    let run = env.run(&["done", "resume"]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.starts_with("error: [DIR]/state.jsonl:3:"), "{}", run.stderr);
    assert!(run.stderr.contains("unknown variant `dune`"), "{}", run.stderr);
    assert!(run.stderr.contains("the file was left as it is"), "{}", run.stderr);
    assert_eq!(std::fs::read_to_string(env.state()).unwrap(), text);
}

#[test]
fn a_cut_off_last_line_is_ignored_then_repaired() {
    let env = Sandbox::new();
    env.ok(&["done", "moe"]);
    let good = std::fs::read_to_string(env.state()).unwrap();
    std::fs::write(env.state(), format!("{good}{{\"seq\":2,\"at\":\"2027-01-04T0")).unwrap();
    let run = env.run(&["list", "--json"]);
    assert_eq!(run.code, 0);
    assert_eq!(
        run.stderr,
        "warning: [DIR]/state.jsonl: the last line was cut off (a crash during a write?) and is ignored; the next change removes it\n"
    );
    env.ok(&["done", "agent"]);
    let text = std::fs::read_to_string(env.state()).unwrap();
    assert!(text.starts_with(&good));
    assert_eq!(env.events().len(), 2);
    assert_eq!(env.events()[1]["task"], "p4.frontier.agent");
}

#[test]
fn init_refuses_to_replace_progress_unless_forced_and_keeps_a_backup() {
    let env = Sandbox::new();
    env.ok(&["init", "--start", "2027-01-04"]);
    env.ok(&["done", "moe"]);
    let before = std::fs::read_to_string(env.state()).unwrap();
    let run = env.run(&["init"]);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stderr,
        "error: [DIR]/state.jsonl already holds progress (1 event recorded)\n  hint: `roadmap init --force` replaces it and keeps a backup\n"
    );
    let out = env.ok(&["init", "--force", "--hours", "all=2", "--track", "industry"]);
    let backup_line = out.lines().next().unwrap();
    assert!(backup_line.starts_with("Backed up the old state to [DIR]/state.jsonl.bak-"), "{out}");
    let backup = backup_line
        .trim_start_matches("Backed up the old state to ")
        .replace("[DIR]", &env.dir().display().to_string());
    assert_eq!(std::fs::read_to_string(backup).unwrap(), before);
    assert!(out.contains("  hours    mon-sun=2h (14h/week)\n  tracks   industry\n"), "{out}");
    assert!(env.events().is_empty());
}

#[test]
fn eight_concurrent_writers_all_land() {
    let env = Sandbox::new();
    env.ok(&["init"]);
    let tasks = ["agent", "moe", "jobprep.leetcode", "resume", "hf-contrib", "own-project", "to-p5", "pipeline"];
    let children: Vec<_> = tasks
        .iter()
        .map(|task| {
            env.roadmap().args(["done", task]).command().stdout(Stdio::null()).stderr(Stdio::piped()).spawn().unwrap()
        })
        .collect();
    for child in children {
        let out = child.wait_with_output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    }
    let events = env.events();
    assert_eq!(events.len(), 8);
    let ids: std::collections::BTreeSet<&str> = events.iter().map(|e| e["id"].as_str().unwrap()).collect();
    assert_eq!(ids.len(), 8, "eight events, eight ids");
    let mut done: Vec<&str> = events.iter().map(|e| e["task"].as_str().unwrap()).collect();
    done.sort_unstable();
    let mut expected = vec![
        "p4.frontier.agent",
        "p4.frontier.moe",
        "p4.jobprep.leetcode",
        "p4.jobprep.resume",
        "p4.oss.hf-contrib",
        "p4.oss.own-project",
        "p4.bridge.to-p5",
        "p5.eng.pipeline",
    ];
    expected.sort_unstable();
    assert_eq!(done, expected);
}

#[test]
fn undo_reverts_the_last_event_repeatedly() {
    let env = Sandbox::new();
    env.ok(&["done", "agent"]);
    env.ok(&["log", "moe", "2h"]);
    assert_eq!(env.ok(&["undo"]), "Undid: logged p4.frontier.moe 2h on 2027-01-04\n");
    assert_eq!(env.ok(&["undo"]), "Undid: done p4.frontier.agent on 2027-01-04\n");
    assert_eq!(env.run(&["undo"]).stderr, "error: nothing to undo\n");
    let list = env.ok(&["list", "--json"]);
    let json: serde_json::Value = serde_json::from_str(&list).unwrap();
    assert_eq!(json["phases"][0]["modules"][0]["tasks"][0]["status"], "todo");
    assert_eq!(json["phases"][0]["earned_minutes"], 0);
}

#[test]
fn habits_take_counts_and_tasks_refuse_them() {
    let env = Sandbox::new();
    assert_eq!(
        env.ok(&["done", "leetcode", "--count", "1"]).lines().last(),
        Some("Checked in: leetcode  LeetCode 每日2题（1道新题+1道复习）  1/2 题 on 2027-01-04 (partial)")
    );
    assert_eq!(
        env.ok(&["done", "leetcode", "--count", "1"]).trim_end(),
        "Checked in: leetcode  LeetCode 每日2题（1道新题+1道复习）  2/2 题 on 2027-01-04 (met)"
    );
    assert_eq!(
        env.run(&["done", "moe", "--count", "2"]).stderr,
        "error: --count is for habits; p4.frontier.moe is a task\n"
    );
    assert_eq!(
        env.run(&["log", "leetcode", "1h"]).stderr,
        "error: `leetcode` is the habit leetcode; `roadmap log` takes a task\n  hint: did you mean task 3 p4.jobprep.leetcode (LeetCode高效刷题)? `roadmap log jobprep.leetcode 1h` is for it; `roadmap done leetcode` checks in the habit\n"
    );
}

#[test]
fn off_days_list_and_remove() {
    let env = Sandbox::new();
    env.ok(&["off", "2027-02-10..2027-02-17", "--note", "春节"]);
    assert_eq!(env.ok(&["off", "--list"]), "  Wed 2027-02-10 – Wed 2027-02-17 (8 days) 春节\n");
    let overlap = env.run(&["off", "2027-02-15"]);
    assert_eq!(overlap.code, 1);
    assert_eq!(
        env.ok(&["off", "--remove", "2027-02-12"]),
        "Removed days off Wed 2027-02-10 – Wed 2027-02-17 (8 days) 春节\n"
    );
    assert_eq!(env.ok(&["off", "--list"]), "No days off.\n");
    // `off fri` means the next Friday.
    assert!(env.ok(&["off", "fri"]).starts_with("Days off: Fri 2027-01-08\n"));
}

#[test]
fn validate_reports_every_error_with_lines() {
    let env = Sandbox::new();
    let broken = env.dir().join("broken.yaml");
    std::fs::write(
        &broken,
        "format: 1\nid: b\ntitle: B\nphases:\n  - id: p1\n    title: P\n    modules:\n      - id: m\n        title: M\n        tasks:\n          - id: a\n            title: A\n            efort: 2h\n          - id: b\n            title: B\n            effort: 20\n            after: [zz]\n",
    )
    .unwrap();
    let run = env.run(&["validate", broken.to_str().unwrap()]);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stderr,
        "error: [DIR]/broken.yaml:11:13: task p1.m.a has no `effort`\n  hint: add e.g. `effort: 10h`\n\
         [DIR]/broken.yaml:13:13: unknown key `efort` in task p1.m.a\n  hint: did you mean `effort`? task p1.m.a takes: id, title, effort, notes, resources, deliverables, after, track, tags, review\n\
         [DIR]/broken.yaml:16:21: effort `20` in task p1.m.b has no unit\n  hint: write 20h\n\
         [DIR]/broken.yaml:17:21: `after: zz` in task p1.m.b names no task\n  hint: did you mean `p1.m.a`? Name a task of the same module by its id, any other by its full id\n"
    );
}

#[test]
fn validate_summarises_the_english_plan() {
    let env = Sandbox::new();
    let plan = fixture("../../plans/llm-career-4-6.en.yaml");
    let out = env.ok(&["validate", plan.to_str().unwrap()]);
    let first = out.lines().next().unwrap();
    assert!(
        first.ends_with("llm-career-4-6.en.yaml: valid plan `llm-career-4-6` · AI & LLM Career Roadmap · Phases 4–6"),
        "{out}"
    );
    assert!(out.contains("3 phases, 9 modules, 18 tasks, 3 habits, 2 tracks (academic, industry)"), "{out}");
    for phase in ["fits 2-3 months", "fits 3-6 months", "fits 1-N years"] {
        assert!(out.contains(phase), "{phase} in {out}");
    }
}

#[test]
fn a_valid_plan_that_the_default_calendar_cannot_schedule_still_validates() {
    let env = Sandbox::new();
    let hog = env.dir().join("hog.yaml");
    std::fs::write(
        &hog,
        "format: 1\nid: x\ntitle: X\nphases:\n  - id: p\n    title: P\n    modules:\n      - id: m\n        title: M\n        tasks:\n          - {id: a, title: A, effort: 1h}\nhabits:\n  - {id: h, title: H, every: day, effort: 5h}\n",
    )
    .unwrap();
    let out = env.ok(&["validate", hog.to_str().unwrap()]);
    assert_eq!(
        out,
        "[DIR]/hog.yaml: valid plan `x` · X\n  1 task, 1h of work\n  At the default calendar (2h Mon–Fri, 4h Sat–Sun) it cannot be scheduled: the calendar leaves no hours for tasks in the 366 days from 2027-01-04: the weekday hours are zero or habits take them all\n  \
  Mondays: habits (h) take all 2h; tasks never get Mondays — `roadmap config --hours mon=6h,tue-fri=2h,sat-sun=4h`\n  \
  Tuesdays: habits (h) take all 2h; tasks never get Tuesdays — `roadmap config --hours mon=2h,tue=6h,wed-fri=2h,sat-sun=4h`\n  \
  Wednesdays: habits (h) take all 2h; tasks never get Wednesdays — `roadmap config --hours mon-tue=2h,wed=6h,thu-fri=2h,sat-sun=4h`\n  \
  Thursdays: habits (h) take all 2h; tasks never get Thursdays — `roadmap config --hours mon-wed=2h,thu=6h,fri=2h,sat-sun=4h`\n  \
  Fridays: habits (h) take all 2h; tasks never get Fridays — `roadmap config --hours mon-thu=2h,fri=6h,sat-sun=4h`\n  \
  Saturdays: habits (h) take all 4h; tasks never get Saturdays — `roadmap config --hours mon-fri=2h,sat=6h,sun=4h`\n  \
  Sundays: habits (h) take all 4h; tasks never get Sundays — `roadmap config --hours mon-fri=2h,sat=4h,sun=6h`\n"
    );
}

#[test]
fn config_changes_start_hours_and_tracks_but_keeps_the_baseline() {
    let env = Sandbox::new();
    env.ok(&["init"]);
    let before: serde_json::Value = serde_json::from_str(&env.ok(&["config", "--json"])).unwrap();
    env.ok(&["config", "--start", "2027-01-11", "--hours", "mon-fri=3,sat-sun=5", "--track", "industry"]);
    let after: serde_json::Value = serde_json::from_str(&env.ok(&["config", "--json"])).unwrap();
    assert_eq!(after["start"], "2027-01-11");
    assert_eq!(after["weekly_minutes"], 25 * 60);
    assert_eq!(after["tracks"], serde_json::json!(["industry"]));
    assert_eq!(after["baseline_end"], before["baseline_end"]);
    env.ok(&["config", "--track", "all"]);
    let all: serde_json::Value = serde_json::from_str(&env.ok(&["config", "--json"])).unwrap();
    assert_eq!(all["all_tracks"], true);
    assert_eq!(env.run(&["config", "--hours", "mon=x"]).code, 2);
}

#[test]
fn show_prints_a_task_and_a_habit_in_full() {
    let env = Sandbox::with_fixture("study.yaml");
    env.ok(&["init"]);
    env.on("2027-01-05").args(["done", "agent"]).ok();
    env.on("2027-01-06").args(["done", "moe", "--deliverable", "2"]).ok();
    assert_eq!(
        env.on("2027-01-06").args(["show", "moe"]).ok(),
        "#2  p1.core.moe  MoE架构（Mixtral）
  phase    p1 基础阶段
  module   p1.core 核心概念
  effort   8h
  status   todo
  planned  Wed 01-06 → Sat 01-09 (baseline end Sun 01-10)

Notes
  稀疏专家模型：每个Token由路由层选择1-2个专家处理。

Deliverables
  1. [ ] 对比MoE与稠密模型的吞吐量
  2. [x] 部署Mixtral-Instruct API

Resources
  - Mixtral of Experts  https://arxiv.org/abs/2401.04088

Depends on
    1  p1.core.agent  Agent系统（AutoGPT）  (done)

History
  Wed 01-06  checked deliverable 部署Mixtral-Instruct API
"
    );
    assert_eq!(
        env.on("2027-01-06").args(["show", "leetcode"]).ok(),
        "habit  leetcode  LeetCode 每日2题
  every    day
  target   2 题
  reserves 30m on each due day
  phases   p1
  today    0/2 题
  streak   0 days (longest 0 days)
"
    );
}

#[test]
fn plans_lists_the_built_in_plans() {
    let env = Sandbox::new();
    assert_eq!(
        env.ok(&["plans"]),
        "  name               title                                 lang  tasks  effort
  llm-career-4-6.zh  AI 大模型学习路线 · 阶段4–6           zh       18   1989h  default
  llm-career-4-6.en  AI & LLM Career Roadmap · Phases 4–6  en       18   1989h

llm-career-4-6.zh
  阶段4到阶段6的详细拆解：高阶项目与实习准备、实习与行业深耕、长期规划（学术/工业两条路线）。每一步都绑定具体工具与产出，帮助系统化构建AI大模型领域的核心竞争力，无论选择学术还是工业道路，都能高效达成职业里程碑。

llm-career-4-6.en
  A detailed breakdown of phases 4 to 6: advanced projects and internship preparation, the internship and industry specialisation, and long-term planning (an academic and an industry route). Every step is tied to concrete tools and outputs, so that you build core competence in large language models systematically and reach your career milestones efficiently, whichever route you choose.
"
    );
    // The English plan by name, and its short alias.
    assert!(env.ok(&["--plan", "en", "show", "moe"]).starts_with("#2  p4.frontier.moe  MoE architecture"));
}

#[test]
fn rebaseline_needs_confirmation_and_moves_the_baseline() {
    let env = Sandbox::with_fixture("study.yaml");
    env.ok(&["init"]);
    assert_eq!(
        env.run(&["rebaseline"]).stderr,
        "error: rebaseline replaces the baseline that slip is measured against\n  hint: run `roadmap rebaseline --yes` to confirm\n"
    );
    // Ten days later with nothing done, the plan has slipped; a new baseline resets it. From Thu 01-14:
    // p1 (18h) takes 1.5h a weekday (1h on Monday after both habits) and 3.5h a weekend day, ending
    // Sat 01-23 with 2.5h left that day; p2 (22h) then gets 2h a weekday (1.5h Monday), 4h a weekend
    // day: 2.5 + 4 + 1.5 + 2·4 + 4 = 20h by Sat 01-30, the last 2h on Sun 01-31.
    let late = "2027-01-14";
    assert!(env.on(late).args(["next"]).ok().contains("days behind the baseline"));
    assert_eq!(
        env.on(late).args(["rebaseline", "--yes"]).ok(),
        "Baseline replaced: plan end 2027-01-31 (was 2027-01-23)\n"
    );
    assert!(env.on(late).args(["next"]).ok().contains("On track · plan ends 2027-01-31\n"));
}

/// A writer reads the file back under its own lock: with a cut-off last line
/// left by a crash, `undo` must not wait on a shared lock that its own
/// exclusive lock blocks (it used to, for the whole lock wait).
#[test]
fn undo_after_a_crash_leftover_does_not_wait_on_itself() {
    let env = Sandbox::new();
    env.ok(&["done", "agent"]);
    env.ok(&["done", "moe"]);
    let good = std::fs::read_to_string(env.state()).unwrap();
    std::fs::write(env.state(), format!("{good}{{\"seq\":3,\"at\":\"2027-01-04T0")).unwrap();
    let output =
        env.roadmap().env("ROADMAP_LOCK_WAIT", "600").arg("undo").timeout(std::time::Duration::from_secs(120)).output();
    assert_eq!(String::from_utf8_lossy(&output.stdout), "Undid: done p4.frontier.moe on 2027-01-04\n");
    assert!(output.status.success());
    assert_eq!(env.events().len(), 3);
    assert_eq!(env.events()[2]["kind"], "undo");
}
