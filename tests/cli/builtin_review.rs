//! Spaced review on the built-in plans (issue 13, "Done when"): their
//! `review:` block (20m a review, retention 0.9), with pinned dates. The
//! dates come from FSRS-6 (`roadmap::core::review::Scheduler`, the `fsrs`
//! crate) and are cross-checked against the reference figures from
//! py-fsrs 6.x (`learning_steps=()`, `relearning_steps=()`, no fuzz): a
//! task done on 2027-01-05 is first due 2027-01-07; reviewed then, good
//! brings it back 11 days later, again 1 day, easy 19 days.

use super::support::{Sandbox, fixture};
use chrono::{Days, NaiveDate};
use roadmap::core::plan::builtin::BUILTINS;
use roadmap::core::review::Scheduler;
use roadmap::core::state::Rating;
use serde_json::Value;

const BLOCK: &str = "review:\n  effort: 20m\n  retention: 0.9\n";

fn date(text: &str) -> NaiveDate {
    text.parse().unwrap_or_else(|e| panic!("{text}: {e}"))
}

/// The built-in plan `name`'s text.
fn builtin_text(name: &str) -> &'static str {
    BUILTINS.iter().find(|b| b.name == name).unwrap_or_else(|| panic!("{name} is built in")).text
}

/// The built-in plan `name` without its `review:` block (its tasks'
/// `review: false` kept: without the block they mean nothing).
fn without_review(name: &str) -> String {
    let text = builtin_text(name);
    assert_eq!(text.matches(BLOCK).count(), 1, "{name} has the review block once");
    text.replace(BLOCK, "")
}

/// The built-in plan, started on Mon 2027-01-04 at the default calendar,
/// with `p4.frontier.agent` done on Tue 2027-01-05.
fn agent_done() -> Sandbox {
    let env = Sandbox::new();
    env.on("2027-01-04").args(["init", "--start", "2027-01-04"]).ok();
    env.on("2027-01-05").args(["done", "agent"]).ok();
    env
}

/// The agent's next review day in `review --json` on `today`.
fn agent_due(env: &Sandbox, today: &str) -> String {
    let list = env.on(today).args(["review", "--json"]).json();
    let rows: Vec<&Value> =
        list["due"].as_array().unwrap().iter().chain(list["upcoming"].as_array().unwrap()).collect();
    let row = rows.iter().find(|r| r["id"] == "p4.frontier.agent").unwrap_or_else(|| panic!("{list}"));
    row["due"].as_str().unwrap().to_string()
}

#[test]
fn both_built_in_plans_review_20_minutes_at_retention_90() {
    let env = Sandbox::new();
    for plan in ["llm-career-4-6.zh", "llm-career-4-6.en"] {
        let list = env.json(&["--plan", plan, "review", "--json"]);
        assert_eq!(
            (&list["enabled"], &list["effort_minutes"], &list["retention_percent"]),
            (&true.into(), &20.into(), &90.into()),
            "{plan}"
        );
    }
}

#[test]
fn a_finished_task_is_due_in_next_on_the_day_fsrs_says() {
    let fsrs = Scheduler::new(0.9);
    // The reference: done on 01-05, first due 01-07.
    assert_eq!(fsrs.first(date("2027-01-05")).due, date("2027-01-07"));
    let env = agent_done();
    assert_eq!(agent_due(&env, "2027-01-05"), "2027-01-07");
    let before = env.on("2027-01-06").args(["next"]).ok();
    assert!(!before.contains("Reviews due"), "{before}");
    let next = env.on("2027-01-07").args(["next"]).ok();
    assert!(
        next.contains(
            "\nReviews due\n  1  Agent系统（AutoGPT）  done 2 days ago  recall 91%  roadmap review agent good\n"
        ),
        "{next}"
    );
    let json = env.on("2027-01-07").args(["next", "--json"]).json();
    let due = json["reviews_due"].as_array().unwrap();
    assert_eq!(due.len(), 1, "{json}");
    assert_eq!((&due[0]["id"], &due[0]["due"]), (&"p4.frontier.agent".into(), &"2027-01-07".into()));
    // The reminder is the notes' first line of substance, not their
    // heading (`**核心概念**`) and without its list mark.
    assert_eq!(due[0]["reminder"], "Agent = LLM + 规划能力（Chain-of-Thought）+ 工具调用（Tool Calling）");
    assert!(next.contains("\n  1: Agent = LLM + 规划能力（Chain-of-Thought）+ 工具调用（Tool Calling）\n"), "{next}");
    // The calendar's review event says the same (its lines unfolded).
    let ics = env.on("2027-01-07").args(["export", "ics"]).ok().replace("\r\n ", "");
    assert!(ics.contains("Recall: Agent = LLM + 规划能力（Chain-of-Thought）+ 工具调用（Tool Calling）"), "{ics}");
    // A task that says `review: false` (the resume) never comes back.
    env.on("2027-01-07").args(["done", "resume"]).ok();
    let list = env.on("2027-01-20").args(["review", "--json"]).json();
    let ids: Vec<&Value> =
        list["due"].as_array().unwrap().iter().chain(list["upcoming"].as_array().unwrap()).map(|r| &r["id"]).collect();
    assert_eq!(ids, [&Value::from("p4.frontier.agent")], "{list}");
}

#[test]
fn again_brings_it_back_sooner_and_easy_later() {
    let fsrs = Scheduler::new(0.9);
    let first = fsrs.first(date("2027-01-05"));
    let on = date("2027-01-07");
    let env = agent_done();
    // (rating, days to the next review: the py-fsrs figures for
    // good, again and easy; hard from the same scheduler).
    for (rating, word, days) in
        [(Rating::Good, "good", 11), (Rating::Again, "again", 1), (Rating::Easy, "easy", 19), (Rating::Hard, "hard", 8)]
    {
        let expected = on + Days::new(days);
        assert_eq!(fsrs.review(&first, on, rating).due, expected, "{word}");
        let out = env.on("2027-01-07").args(["review", "agent", word]).ok();
        assert!(out.ends_with(&format!("rated {word}. Next review: {expected}.\n")), "{out}");
        assert_eq!(agent_due(&env, "2027-01-07"), expected.to_string(), "{word}");
        env.on("2027-01-07").args(["undo"]).ok();
        assert_eq!(agent_due(&env, "2027-01-07"), "2027-01-07", "undone");
    }
}

#[test]
fn a_day_off_on_the_due_day_moves_the_review_to_the_next_working_day() {
    let env = agent_done();
    env.on("2027-01-05").args(["off", "2027-01-07"]).ok();
    assert_eq!(agent_due(&env, "2027-01-05"), "2027-01-08");
    let off = env.on("2027-01-07").args(["next"]).ok();
    assert!(!off.contains("Reviews due"), "{off}");
    let next = env.on("2027-01-08").args(["next"]).ok();
    assert!(next.contains("\nReviews due\n  1  Agent系统（AutoGPT）  done 3 days ago"), "{next}");
    // Three days off in a row: the first day after them.
    env.on("2027-01-05").args(["off", "2027-01-08..2027-01-09"]).ok();
    assert_eq!(agent_due(&env, "2027-01-05"), "2027-01-10");
}

/// Review days per phase of a `schedule --json`: each reviewed task's
/// reviews from its scheduled end, assumed on time and rated good, up to
/// the plan's end (at the default calendar every day is a working day).
fn review_days(schedule: &Value, reviewed: impl Fn(&str) -> bool) -> Vec<(String, u32)> {
    let fsrs = Scheduler::new(0.9);
    let end = date(schedule["end"].as_str().unwrap());
    let phases = schedule["phases"].as_array().unwrap();
    let starts: Vec<NaiveDate> = phases.iter().map(|p| date(p["start"].as_str().unwrap())).collect();
    let mut counts = vec![0; phases.len()];
    for task in phases.iter().flat_map(|p| p["tasks"].as_array().unwrap()) {
        let (Some(id), Some(done)) = (task["id"].as_str(), task["end"].as_str()) else { continue };
        if !reviewed(id) {
            continue;
        }
        for day in fsrs.projected(&fsrs.first(date(done)), date(done), end) {
            counts[starts.iter().rposition(|s| *s <= day).unwrap()] += 1;
        }
    }
    phases.iter().map(|p| p["id"].as_str().unwrap().to_string()).zip(counts).collect()
}

/// `text` with task `id`'s effort `from` replaced by `to`.
fn with_effort(text: &str, id: &str, from: &str, to: &str) -> String {
    let at = text.find(&format!("\n          - id: {id}\n")).unwrap_or_else(|| panic!("{id}"));
    let rest = &text[at..];
    let effort = rest.find(&format!("effort: {from}\n")).unwrap_or_else(|| panic!("{id} {from}"));
    format!("{}{}effort: {to}\n{}", &text[..at], &rest[..effort], &rest[effort + "effort: \n".len() + from.len()..])
}

fn schedule_of(plan_text: &str) -> Value {
    let env = Sandbox::with_plan(plan_text);
    let path = env.plan().display().to_string();
    env.on("2027-01-04").args(["--plan", &path, "init", "--start", "2027-01-04"]).ok();
    env.on("2027-01-04").args(["schedule", "--json"]).json()
}

fn phase_end(schedule: &Value, phase: usize) -> &str {
    schedule["phases"][phase]["end"].as_str().unwrap()
}

#[test]
fn the_plan_end_moves_by_the_review_hours() {
    let env = Sandbox::new();
    env.on("2027-01-04").args(["init", "--start", "2027-01-04"]).ok();
    let reviewed = env.on("2027-01-04").args(["schedule", "--json"]).json();
    let plain = schedule_of(&without_review("llm-career-4-6.zh"));
    // Eight tasks say `review: false`.
    let never = ["resume", "hf-contrib", "own-project", "report", "to-p6", "paper-experiments", "paper-writing", "phd"];
    let text = builtin_text("llm-career-4-6.zh");
    for id in never {
        assert!(text.contains(&format!("\n          - id: {id}\n")), "{id}");
    }
    let counts = review_days(&reviewed, |id| !never.iter().any(|n| id.ends_with(&format!(".{n}"))));
    // 6 reviews of 20m in p4 (2h), 14 in p5 (4h40m), 22 in p6 (7h20m).
    assert_eq!(counts, [("p4".to_string(), 6), ("p5".to_string(), 14), ("p6".to_string(), 22)]);
    // The same tasks with the same efforts, later by the reviews' time: the
    // plan ends 8 days later, p4 2 days later.
    assert_eq!((reviewed["end"].as_str(), plain["end"].as_str()), (Some("2029-09-01"), Some("2029-08-24")));
    assert_eq!((phase_end(&reviewed, 0), phase_end(&plain, 0)), ("2027-03-23", "2027-03-21"));
    let efforts = |s: &Value| -> Vec<(String, u64)> {
        s["phases"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|p| p["tasks"].as_array().unwrap())
            .map(|t| (t["id"].as_str().unwrap().to_string(), t["effort_minutes"].as_u64().unwrap()))
            .collect()
    };
    assert_eq!(efforts(&reviewed), efforts(&plain));
    // Without reviews, but each phase's last task longer by that phase's
    // review hours: p4 ends on the same day as with the reviews, and the
    // plan within a day of it (the reviews' time falls on their own days,
    // the extra effort at each phase's end).
    let mut longer = without_review("llm-career-4-6.zh");
    longer = with_effort(&longer, "to-p5", "5h", "7h");
    longer = with_effort(&longer, "to-p6", "6h", "10h40m");
    longer = with_effort(&longer, "autodrive", "460h", "467h20m");
    let longer = schedule_of(&longer);
    assert_eq!(phase_end(&longer, 0), phase_end(&reviewed, 0));
    let gap = (date(longer["end"].as_str().unwrap()) - date(reviewed["end"].as_str().unwrap())).num_days();
    assert!(gap.abs() <= 1, "{} against {}", longer["end"], reviewed["end"]);
}

#[test]
fn without_its_review_block_the_built_in_plan_schedules_byte_for_byte_as_main_did() {
    // The goldens were written by main at 939962d, before the built-in
    // plans had a `review:` block: `init --start 2027-01-04 [--track T]`
    // of the built-in plan, then `schedule --json` on 2027-01-04.
    for lang in ["zh", "en"] {
        let text = without_review(&format!("llm-career-4-6.{lang}"));
        for track in ["all", "academic", "industry"] {
            let env = Sandbox::with_plan(&text);
            let path = env.plan().display().to_string();
            let mut init = vec!["--plan", &path, "init", "--start", "2027-01-04"];
            if track != "all" {
                init.extend(["--track", track]);
            }
            env.on("2027-01-04").args(&init).ok();
            let out = env.on("2027-01-04").args(["schedule", "--json"]).output();
            let golden =
                std::fs::read(fixture(&format!("golden/schedule-builtin-{lang}-{track}-main-939962d.json"))).unwrap();
            assert!(out.stdout == golden, "{lang} {track}:\n{}", String::from_utf8_lossy(&out.stdout));
            // With the block, the same plan is not the same schedule.
            let reviewed = Sandbox::new();
            let mut init =
                vec!["--plan", &format!("llm-career-4-6.{lang}")].into_iter().map(String::from).collect::<Vec<_>>();
            init.extend(["init", "--start", "2027-01-04"].map(String::from));
            if track != "all" {
                init.extend(["--track".to_string(), track.to_string()]);
            }
            reviewed.on("2027-01-04").args(&init).ok();
            let out = reviewed.on("2027-01-04").args(["schedule", "--json"]).output();
            assert!(out.stdout != golden, "{lang} {track}");
        }
    }
}

/// `report` on the built-in plan shows the retained figures: the agent,
/// done 01-05 and reviewed `good` on its due day 01-07, is retained on
/// 01-10 (recall above 90 % three days after a review with an 11-day
/// interval); one review done of one due in that week.
#[test]
fn report_shows_the_retained_figures_on_the_built_in_plan() {
    let env = agent_done();
    env.on("2027-01-07").args(["review", "agent", "good"]).ok();
    let report = env.on("2027-01-10").args(["report", "--format", "json"]).json();
    let retained = &report["retained"];
    assert_eq!(retained["target_retention"], 0.9, "{report}");
    assert_eq!(retained["review_minutes"], 20);
    assert_eq!((&retained["reviews_done"], &retained["reviews_due"]), (&1.into(), &1.into()), "{retained}");
    assert_eq!(retained["phases"][0]["id"], "p4");
    assert_eq!(
        (&retained["phases"][0]["finished"], &retained["phases"][0]["retained"]),
        (&1.into(), &1.into()),
        "{retained}"
    );
    let text = env.on("2027-01-10").args(["report"]).ok();
    assert!(text.contains("Retained"), "{text}");
    let markdown = env.on("2027-01-10").args(["report", "--format", "markdown"]).ok();
    assert!(markdown.contains("Retained"), "{markdown}");
}

/// At 80 columns the review's command stays whole on its line, to be
/// copied; the title wraps instead.
#[test]
fn the_review_command_never_wraps() {
    let env = agent_done();
    for columns in ["70", "80", "100"] {
        let next = env.on("2027-01-07").env("COLUMNS", columns).args(["next"]).ok();
        assert!(next.lines().any(|l| l.trim_end().ends_with("roadmap review agent good")), "{columns}:\n{next}");
    }
}
