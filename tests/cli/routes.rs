//! Issue 11, "Choosing a route", "Summaries shown" and the weekday that
//! habits fill: the routes named in `init`, the preview and `validate`
//! (each route alone against its windows), `list --track` figures that
//! agree with `schedule`, the summaries in `list`, `plans`, the preview and
//! `show p4` / `show p4.frontier`, and the filled Mondays in `init`,
//! `config` and `validate`, with advice that does what it says.

use crate::support::Sandbox;
use serde_json::Value;

const ROUTES: &str = "p6 长期规划 has 2 routes: 学术路线 (academic, 860h, 378 days, fits 1-N年) and 工业路线 (industry, 860h, 378 days, fits 1-N年); following all of them takes 1720h, 756 days, fits 1-N年";
const MONDAYS: &str = "Mondays: habits (leetcode, arxiv) take all 2h in p4 and p5, so tasks get no Mondays there — `roadmap config --hours mon=3h,tue-fri=2h,sat-sun=4h`";

#[test]
fn init_names_the_routes_and_how_to_pick_one() {
    let env = Sandbox::new();
    let out = env.ok(&["init"]);
    let tail: Vec<&str> = out.lines().skip(6).collect();
    assert_eq!(
        tail,
        [
            &format!("  {ROUTES}") as &str,
            "  You follow all of them; to follow one: `roadmap config --track academic` or `roadmap config --track industry`",
            &format!("  {MONDAYS}"),
            "Next: `roadmap next` shows today's work.",
        ],
        "{out}"
    );
    // With a route chosen, init says so and how to follow both again.
    let out = env.ok(&["init", "--force", "--track", "industry"]);
    assert!(out.contains("  You follow industry; `roadmap config --track all` follows every route\n"), "{out}");
    // The advice, run as printed, selects that route.
    let fresh = Sandbox::new();
    fresh.ok(&["init"]);
    fresh.ok(&["config", "--track", "industry"]);
    assert_eq!(fresh.json(&["config", "--json"])["tracks"], serde_json::json!(["industry"]));
}

#[test]
fn the_preview_shows_the_plan_summary_and_its_routes() {
    let env = Sandbox::new();
    let out = env.ok(&["next"]);
    let lines: Vec<&str> = out.lines().collect();
    // The summary's first line, cut to the 100 columns.
    assert_eq!(
        lines[2],
        "阶段4到阶段6的详细拆解：高阶项目与实习准备、实习与行业深耕、长期规划（学术/工业两条路线）。每一步都…",
        "{out}"
    );
    assert_eq!(lines[3], ROUTES, "{out}");
    assert_eq!(
        lines[4],
        "You follow all of them; to follow one: `roadmap init --track academic` or `roadmap init --track industry`"
    );
    let json = env.json(&["next", "--json"]);
    assert_eq!(json["intro"]["routes"]["routes"][1]["id"], "industry");
    assert!(json["intro"]["summary"].as_str().is_some_and(|s| s.starts_with("阶段4到阶段6")));
    // Once a state exists, the preview's introduction is gone.
    env.ok(&["init"]);
    assert!(!env.ok(&["next"]).contains("has 2 routes"));
    assert!(env.json(&["next", "--json"]).get("intro").is_none());
}

/// Phase `id`'s effort in `list --json`.
fn list_effort(list: &Value, id: &str) -> u64 {
    let phase = list["phases"].as_array().unwrap().iter().find(|p| p["id"] == id).unwrap();
    phase["effort_minutes"].as_u64().unwrap()
}

/// Phase `id`'s effort in `schedule --json`: its tasks on the schedule.
fn schedule_effort(schedule: &Value, id: &str) -> u64 {
    let phase = schedule["phases"].as_array().unwrap().iter().find(|p| p["id"] == id).unwrap();
    let tasks = phase["tasks"].as_array().unwrap().iter().filter(|t| t["status"] != "off track");
    tasks.map(|t| t["effort_minutes"].as_u64().unwrap()).sum()
}

#[test]
fn list_track_totals_agree_with_schedule_under_that_track() {
    let env = Sandbox::new();
    env.ok(&["init"]);
    for track in ["academic", "industry"] {
        let list = env.json(&["list", "--track", track, "--json"]);
        assert_eq!(list["track"], track);
        // 860h, not the 1720h of both routes.
        assert_eq!(list_effort(&list, "p6"), 860 * 60, "{track}");
        let text = env.ok(&["list", "--track", track]);
        let p6 = text.lines().find(|l| l.trim_start().starts_with("p6 ")).unwrap_or_default();
        assert_eq!(
            p6.split_whitespace().collect::<Vec<_>>(),
            ["p6", "长期规划", "·", "fits", "1-N年", "860h", "0%", "done"]
        );
        assert!(text.ends_with(&format!(
            "Figures for track {track} alone, as `schedule` gives them once `roadmap config --track {track}` selects it.\n"
        )));
        let chosen = Sandbox::new();
        chosen.ok(&["init", "--track", track]);
        let schedule = chosen.json(&["schedule", "--json"]);
        for phase in ["p4", "p5", "p6"] {
            assert_eq!(list_effort(&list, phase), schedule_effort(&schedule, phase), "{track} {phase}");
        }
    }
}

/// Before anything is saved (the preview), `list --track` gives the same
/// figures as after `init`: the preview's outlook, made before the track
/// was chosen, once left both routes in (p6 at 1720h).
#[test]
fn list_track_in_the_preview_counts_that_track_alone() {
    let preview = Sandbox::new();
    let saved = Sandbox::new();
    saved.ok(&["init"]);
    for track in ["academic", "industry"] {
        let list = preview.json(&["list", "--track", track, "--json"]);
        assert_eq!(list_effort(&list, "p6"), 860 * 60, "{track}");
        let after_init = saved.json(&["list", "--track", track, "--json"]);
        assert_eq!(list["phases"], after_init["phases"], "{track}");
    }
    assert!(!preview.state().exists(), "the preview saved nothing");
}

#[test]
fn validate_checks_each_route_alone_against_its_windows() {
    let env = Sandbox::new();
    let out = env.ok(&["validate"]);
    let tail: Vec<&str> = out.lines().skip(7).collect();
    assert_eq!(
        tail,
        [
            "  Each track followed alone, at the same calendar:",
            "    academic 学术路线: p6 860h, 378 days, fits 1-N年 · plan ends 2028-08-19",
            "    industry 工业路线: p6 860h, 378 days, fits 1-N年 · plan ends 2028-08-19",
            &format!("  {MONDAYS}"),
        ],
        "{out}"
    );
    // Both routes fit 1-N年 on their own whatever weekday the plan starts on,
    // in both built-in plans.
    for plan in ["llm-career-4-6.zh", "llm-career-4-6.en"] {
        for day in 4..=10 {
            let today = format!("2027-01-{day:02}");
            let json = env.roadmap().args(["--plan", plan, "validate", "--json"]).today(&today).json();
            let routes = json["routes"].as_array().unwrap();
            assert_eq!(routes.len(), 2);
            for route in routes {
                let p6 = &route["phases"][0];
                assert_eq!((&p6["id"], &p6["verdict"]["verdict"]), (&"p6".into(), &"fits".into()), "{plan} {today}");
                assert!(p6["span_days"].as_i64().unwrap() >= 365, "{plan} {today}: {route}");
            }
        }
    }
}

#[test]
fn the_industry_route_has_deliverables_and_waits_for_the_phase_5_bridge() {
    let env = Sandbox::new();
    for plan in ["llm-career-4-6.zh", "llm-career-4-6.en"] {
        for task in ["p6.industry.leadership", "p6.industry.autodrive"] {
            let show = env.json(&["--plan", plan, "show", task, "--json"]);
            assert_eq!(show["after"], serde_json::json!(["p5.bridge.to-p6"]), "{plan} {task}");
            assert_eq!(show["deliverables"].as_array().unwrap().len(), 4, "{plan} {task}");
        }
    }
    let leadership = env.ok(&["show", "p6.industry.leadership"]);
    assert!(leadership.contains("\nDeliverables\n  1. [ ] 技术深度：模型优化、系统架构设计\n"), "{leadership}");
}

#[test]
fn show_of_a_phase_or_module() {
    let env = Sandbox::new();
    assert_eq!(
        env.ok(&["show", "p6.industry"]),
        "p6.industry  工业路线发展路径
  phase    p6 长期规划
  effort   860h (0h earned)

  培养技术领导力，并选一个垂直领域（如自动驾驶）深耕。

Tasks
  #   id                      title                         effort  status
  17  p6.industry.leadership  技术领导力培养                  400h  todo
  18  p6.industry.autodrive   垂直领域深耕示例（自动驾驶）    460h  todo
"
    );
    let p4 = env.ok(&["show", "p4"]);
    assert_eq!(
        p4.lines().take(5).collect::<Vec<_>>(),
        [
            "p4  高阶项目与实习准备",
            "  window   fits 2-3个月",
            "  planned  Tue 2027-01-05 → Tue 2027-03-23",
            "  effort   97h (0h earned)",
            "",
        ],
        "{p4}"
    );
    assert!(p4.contains("\n  用Agent与MoE两个前沿方向的实战项目充实作品集"), "{p4}");
    assert!(p4.contains("\n  p4.frontier  前沿技术深度实践           2     46h      0h\n"), "{p4}");
    let json = env.json(&["show", "p4", "--json"]);
    assert_eq!(
        (&json["kind"], &json["id"], &json["effort_minutes"]),
        (&"phase".into(), &"p4".into(), &(97 * 60).into())
    );
    assert_eq!(json["modules"][0]["summary"], "动手实践Agent系统与MoE稀疏专家架构，各做出可展示的项目产出。");
    let json = env.json(&["show", "p4.frontier", "--json"]);
    assert_eq!((&json["kind"], &json["phase"]), (&"module".into(), &"p4".into()));
    assert_eq!(json["tasks"][1]["id"], "p4.frontier.moe");
    // An unknown module is still an error, the task lookup's.
    let run = env.run(&["show", "p4.nothing"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
}

#[test]
fn the_paper_sprint_is_findable_by_name() {
    let env = Sandbox::new();
    let run = env.run(&["show", "顶会论文冲刺"]);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stderr,
        "error: `顶会论文冲刺` matches 3 items:
   13  p6.academic.paper-topic  顶会论文冲刺 · 第1-3月：确定方向+文献综述
   14  p6.academic.paper-experiments  顶会论文冲刺 · 第4-6月：实验设计+数据收集
   15  p6.academic.paper-writing  顶会论文冲刺 · 第7-9月：论文撰写+投稿
  hint: use the full id or the number from `roadmap list`
"
    );
    let en = env.ok(&["--plan", "llm-career-4-6.en", "list"]);
    assert!(en.contains("Top-venue paper sprint · months 1–3"), "{en}");
}

#[test]
fn list_and_plans_show_the_summaries() {
    let env = Sandbox::new();
    let list = env.ok(&["list"]);
    let lines: Vec<&str> = list.lines().collect();
    assert_eq!(lines[2], "                                       用Agent与MoE两个前沿方向的实战项目充实作…");
    assert_eq!(lines[4], "                                       动手实践Agent系统与MoE稀疏专家架构，各做…");
    // At 80 columns the title column narrows: each summary is still one
    // line, cut to the room the title has, never wrapped.
    let en = env.roadmap().args(["--plan", "llm-career-4-6.en", "list"]).env("COLUMNS", "80").ok();
    let lines: Vec<&str> = en.lines().collect();
    assert_eq!(lines[4], "                                       Build portfolio project…", "{en}");
    assert!(lines[5].starts_with("      p4.frontier "), "{en}");
    assert!(lines.iter().all(|l| unicode_width::UnicodeWidthStr::width(*l) <= 80), "{en}");
    let json = env.json(&["list", "--json"]);
    assert_eq!(json["phases"][2]["modules"][1]["summary"], "培养技术领导力，并选一个垂直领域（如自动驾驶）深耕。");
    let plans = env.json(&["plans", "--json"]);
    assert!(plans[1]["summary"].as_str().is_some_and(|s| s.starts_with("A detailed breakdown of phases 4 to 6")));
}

#[test]
fn a_weekday_that_habits_fill_is_said_and_the_advice_works() {
    let env = Sandbox::new();
    let config = env.ok(&["config"]);
    assert!(config.ends_with(&format!("  {MONDAYS}\n")), "{config}");
    assert_eq!(env.json(&["config", "--json"])["filled_weekdays"][0]["weekday"], "mon");
    assert!(env.ok(&["validate"]).ends_with(&format!("  {MONDAYS}\n")));
    // The advice, run as printed: Mondays get 3h, the other days keep theirs,
    // and no weekday is named any more.
    let after = env.ok(&["config", "--hours", "mon=3h,tue-fri=2h,sat-sun=4h"]);
    assert!(after.contains("  hours     mon=3h,tue-fri=2h,sat-sun=4h (19h/week)\n"), "{after}");
    assert!(!after.contains("Mondays"), "{after}");
    assert_eq!(env.json(&["config", "--json"])["filled_weekdays"], serde_json::json!([]));
    // A day habits fill in every phase: tasks never get it.
    let out = env.ok(&["config", "--hours", "mon=1,tue-fri=2,sat-sun=4"]);
    assert!(
        out.ends_with(
            "  Mondays: habits (leetcode, arxiv) take all 1h; tasks never get Mondays — `roadmap config --hours mon=3h,tue-fri=2h,sat-sun=4h`\n"
        ),
        "{out}"
    );
}
