//! Period habits shown as periods (issue 11): on the built-in plan the blog
//! is `every: 2 weeks`, due once a fortnight on any day of it; `habits`,
//! `next`, `show` and `report` say so ("due this fortnight, by … (planned
//! …)", "met this fortnight on …"), never a missed day inside a running
//! period. Also `list`'s remaining hours of a task in progress.

use super::support::Sandbox;
use serde_json::Value;

/// The built-in plan from Mon 2027-01-04 at the default calendar, looked at
/// on Wed 2027-01-06.
fn started() -> Sandbox {
    let env = Sandbox::new().dated("2027-01-06");
    env.on("2027-01-04").args(["init", "--start", "2027-01-04"]).ok();
    env
}

fn blog(habits: &Value) -> &Value {
    habits["habits"].as_array().unwrap().iter().find(|h| h["id"] == "blog").expect("the blog habit")
}

/// `next`'s "Habits due today" section, up to the blank line.
fn habits_section(next: &str) -> String {
    let start = next.find("Habits due today").unwrap_or_else(|| panic!("no habits section:\n{next}"));
    next[start..].split("\n\n").next().unwrap().to_string()
}

#[test]
fn a_wednesday_check_in_meets_the_blogs_fortnight_on_every_screen() {
    let env = started();
    let before = env.ok(&["next"]);
    assert_eq!(
        habits_section(&before),
        "Habits due today\n\
         \x20 leetcode  LeetCode 每日2题（1道新题+1道复习）  0/2 题  streak 0 days\n\
         \x20 blog      定期更新技术博客，打造个人品牌       0/1     due this fortnight, by Sun 01-17 (planned\n\
         \x20                                                        Sat 01-09)"
    );
    let json = env.json(&["next", "--json"]);
    let due = json["habits"].as_array().unwrap().iter().find(|h| h["id"] == "blog").expect("the blog is due");
    assert_eq!(due["period_words"], "this fortnight");
    assert_eq!(due["period"]["from"], "2027-01-04");
    assert_eq!(due["period"]["to"], "2027-01-17");
    assert_eq!(due["period"]["reserved"], "2027-01-09");
    assert_eq!(due["period"]["mark"], "open");

    env.ok(&["done", "blog"]);

    // `next` no longer lists the blog as due, on the very day it was met.
    let after = env.ok(&["next"]);
    assert_eq!(
        habits_section(&after),
        "Habits due today\n  leetcode  LeetCode 每日2题（1道新题+1道复习）  0/2 题  streak 0 days"
    );
    let json = env.json(&["next", "--json"]);
    assert!(!json["habits"].as_array().unwrap().iter().any(|h| h["id"] == "blog"), "{json}");

    // `habits --json` and the report count that fortnight as met.
    for figures in [env.json(&["habits", "--json"]), env.json(&["report", "--format", "json"])] {
        let blog = blog(&figures);
        assert_eq!(blog["kind"], "period");
        assert_eq!(blog["period_words"], "this fortnight");
        assert_eq!((blog["met"].as_u64(), blog["missed"].as_u64()), (Some(1), Some(0)), "{blog}");
        assert_eq!(blog["adherence_percent"], 100);
        assert_eq!(blog["current_period"]["mark"], "met");
        assert_eq!(blog["current_period"]["met_on"], "2027-01-06");
        assert_eq!(blog["current_period"]["count"], 1);
    }

    // The text says it the period way.
    let habits = env.ok(&["habits"]);
    assert!(
        habits.contains(
            "blog  定期更新技术博客，打造个人品牌  every 2 weeks\n  --●\n  met this fortnight on Wed 01-06\n  \
             100% adherence (1/1 over 1 period) · 1 met, 0 partial, 0 missed, 0 off\n"
        ),
        "{habits}"
    );
    let report = env.ok(&["report"]);
    assert!(report.contains("\n  blog      1/1 met    --●   1 time      100%\n"), "{report}");
}

#[test]
fn a_running_period_is_due_by_its_end_and_never_missed() {
    let env = started();
    let habits = env.ok(&["habits"]);
    assert!(
        habits.contains(
            "blog  定期更新技术博客，打造个人品牌  every 2 weeks\n  --◌\n  \
             due this fortnight, by Sun 01-17 (planned Sat 01-09)\n  nothing due yet · 0 met, 0 partial, 0 missed, 0 off\n"
        ),
        "{habits}"
    );
    let report = env.ok(&["report"]);
    assert!(report.contains("\n  blog      0/1 due by Sun 01-17  --◌   0 times        –\n"), "{report}");
    // A fixed-day habit still counts due days.
    assert!(habits.contains("0% adherence (0/1 over 1 due day)"), "{habits}");
}

#[test]
fn show_of_a_period_habit_says_where_its_hours_go() {
    let env = started();
    assert_eq!(
        env.ok(&["show", "blog"]),
        "habit  blog  定期更新技术博客，打造个人品牌\n  every    2 weeks\n  target   1\n  \
         reserves 2h on the lightest working day of each period, released once it is met\n  phases   all\n  \
         period   0/1 · due this fortnight, by Sun 01-17 (planned Sat 01-09)\n  streak   0 times (longest 0 times)\n"
    );
    env.ok(&["done", "blog"]);
    let show = env.ok(&["show", "blog"]);
    assert!(show.contains("\n  period   1/1 · met this fortnight on Wed 01-06\n"), "{show}");
    let json = env.json(&["show", "blog", "--json"]);
    assert_eq!(json["period"]["mark"], "met");
    assert_eq!(json["period_words"], "this fortnight");
    // A fixed-day habit keeps its due days.
    let leetcode = env.ok(&["show", "leetcode"]);
    assert!(
        leetcode.contains("\n  reserves 1h on each due day\n") && leetcode.contains("\n  today    0/2 题\n"),
        "{leetcode}"
    );
    assert_eq!(env.json(&["show", "leetcode", "--json"])["period"], Value::Null);
}

#[test]
fn list_shows_what_is_left_of_a_task_in_progress() {
    let env = started();
    env.ok(&["log", "1", "1h"]);
    let list = env.ok(&["list"]);
    assert!(
        list.contains(
            "\n   1    p4.frontier.agent              Agent系统（AutoGPT）                  23h of 24h  in progress\n"
        ),
        "{list}"
    );
    assert!(
        list.contains(
            "\n   2    p4.frontier.moe                MoE架构（Mixtral）                           22h  todo\n"
        ),
        "{list}"
    );
    let json = env.json(&["list", "--json"]);
    let tasks = &json["phases"][0]["modules"][0]["tasks"];
    assert_eq!((tasks[0]["effort_minutes"].as_u64(), tasks[0]["remaining_minutes"].as_u64()), (Some(1440), Some(1380)));
    assert_eq!(tasks[1]["remaining_minutes"], 1320);
}
