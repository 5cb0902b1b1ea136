//! The daily screens telling the truth (issue 11): today less what was
//! logged today, tasks past their estimate, what is left of tasks in
//! progress, the study journal, one spelling of durations, one week
//! numbering, forecasts that say what they assume, and a weekday that
//! habits fill said out loud.

use super::support::Sandbox;
use serde_json::Value;

/// Three tasks worked in plan order (a 8h, b 6h, c 2h), a daily habit
/// without hours; the calendar is set by each test.
const PLAN: &str = "
format: 1
id: day
title: Day
phases:
  - id: p1
    title: One
    modules:
      - id: m
        title: M
        tasks:
          - {id: a, title: A, effort: 8h}
          - {id: b, title: B, effort: 6h}
          - {id: c, title: C, effort: 2h}
habits:
  - {id: read, title: Read, every: day}
";

/// The plan from `start` at `hours`.
fn started(start: &str, hours: &str) -> Sandbox {
    let env = Sandbox::with_plan(PLAN);
    let plan = env.plan().display().to_string();
    env.on(start).args(["--plan", &plan, "init", "--start", start, "--hours", hours]).ok();
    env
}

/// Task `number`'s planned end in `schedule --json` on `today`.
fn planned_end(env: &Sandbox, today: &str, number: u64) -> String {
    let schedule = env.on(today).args(["schedule", "--json"]).json();
    let tasks = schedule["phases"][0]["tasks"].as_array().unwrap().clone();
    let task = tasks.iter().find(|t| t["number"] == number).unwrap();
    task["end"].as_str().unwrap().to_string()
}

#[test]
fn logging_today_s_hours_makes_next_say_today_is_done() {
    // 1h a day from Mon 01-04: a's 8h go Mon 01-04 .. Mon 01-11.
    let env = started("2027-01-04", "all=1");
    let before = env.on("2027-01-04").args(["next"]).ok();
    assert!(before.contains("  1  p1.m.a  A  1h today · 8h left · ends Mon 01-11\n"), "{before}");

    // 3h logged today: today's hour is spent (and more). The 5h left go
    // Tue 01-05 .. Sat 01-09; counting today's hour as still free (the old
    // behaviour) ended it on Fri 01-08 and still asked for today's hour.
    env.on("2027-01-04").args(["log", "a", "3h"]).ok();
    let after = env.on("2027-01-04").args(["next"]).ok();
    assert!(
        after.contains(
            "Today: 1h available, 1h for tasks after habits\n  3h done of 1h planned: today's work is done.\n"
        ),
        "{after}"
    );
    assert!(!after.contains(" today · "), "no task asks for today's hour any more:\n{after}");
    assert!(!after.contains("Nothing planned today"), "{after}");
    assert_eq!(planned_end(&env, "2027-01-04", 1), "2027-01-09");
    // next, schedule and the report's forecast agree.
    let next = env.on("2027-01-04").args(["next", "--json"]).json();
    assert_eq!(next["today"]["logged_minutes"], 180);
    assert_eq!(next["today"]["tasks"], Value::Array(vec![]));
    let report = env.on("2027-01-04").args(["report", "--json"]).json();
    assert_eq!(report["plan"]["forecast_end"], next["forecast_end"]);
    let schedule = env.on("2027-01-04").args(["schedule", "--json"]).json();
    assert_eq!(schedule["end"], next["forecast_end"]);
    // The day after, the schedule starts afresh.
    let tomorrow = env.on("2027-01-05").args(["next"]).ok();
    assert!(tomorrow.contains("  1  p1.m.a  A  1h today · 5h left · ends Sat 01-09\n"), "{tomorrow}");
}

#[test]
fn part_of_today_logged_leaves_the_rest_for_the_next_piece_of_work() {
    // 2h a day: 30m logged on a, 1h30m of today left for it; a's 7h30m
    // left: 1h30m today, then 2h Tue, Wed, Thu.
    let env = started("2027-01-04", "all=2");
    env.on("2027-01-04").args(["log", "a", "30m"]).ok();
    let text = env.on("2027-01-04").args(["next"]).ok();
    assert!(text.contains("  30m done of 2h planned; 1h30m to go:\n"), "{text}");
    assert!(text.contains("  1  p1.m.a  A  1h30m today · 7h30m left · ends Thu 01-07\n"), "{text}");
}

#[test]
fn a_task_past_its_estimate_stays_in_next_and_the_advice_finishes_it() {
    let env = started("2027-01-04", "all=1");
    // c: 3h logged of 2h, still open. The schedule gives it no hours, so
    // before this change it was in neither today, overdue nor coming up.
    env.on("2027-01-04").args(["log", "c", "3h"]).ok();
    let text = env.on("2027-01-05").args(["next"]).ok();
    assert!(text.contains("Over the estimate\n"), "{text}");
    assert!(
        text.contains("  3  p1.m.c  C  3h of 2h — `roadmap done 3` when finished, or `roadmap log 3 1h` to go on\n"),
        "{text}"
    );
    let json = env.on("2027-01-05").args(["next", "--json"]).json();
    assert_eq!(json["over_estimate"][0]["id"], "p1.m.c");
    assert_eq!(
        (json["over_estimate"][0]["logged_minutes"].as_u64(), json["over_estimate"][0]["effort_minutes"].as_u64()),
        (Some(180), Some(120))
    );
    // The advice, run as printed, does what it says.
    env.on("2027-01-05").args(["done", "3"]).ok();
    assert_eq!(env.events().last().unwrap()["task"], "p1.m.c");
    let text = env.on("2027-01-05").args(["next"]).ok();
    assert!(!text.contains("Over the estimate"), "{text}");
}

#[test]
fn a_task_in_progress_shows_what_is_left_of_it_everywhere() {
    // b started out of order: 1h logged of 6h; a is worked first.
    let env = started("2027-01-04", "all=1");
    env.on("2027-01-04").args(["log", "b", "1h"]).ok();
    let json = env.on("2027-01-05").args(["next", "--json"]).json();
    let b = &json["coming_up"][0];
    assert_eq!(
        (b["id"].as_str(), b["effort_minutes"].as_u64(), b["remaining_minutes"].as_u64()),
        (Some("p1.m.b"), Some(360), Some(300))
    );
    let text = env.on("2027-01-05").args(["next"]).ok();
    // a's 8h from Tue 01-05 end Tue 01-12; b's 5h left start Wed 01-13.
    assert!(text.contains("  Wed 01-13  2  p1.m.b  B  5h\n"), "{text}");
    let schedule = env.on("2027-01-05").args(["schedule"]).ok();
    assert!(schedule.contains("  2  p1.m.b  B      5h of 6h  2027-01-04  "), "{schedule}");
    let json = env.on("2027-01-05").args(["schedule", "--json"]).json();
    assert_eq!(json["phases"][0]["tasks"][1]["remaining_minutes"], 300);
    assert_eq!(json["phases"][0]["tasks"][2]["remaining_minutes"], 120);
}

/// Notes on `log`, `done`, `skip`, a habit check-in and `off` in week 1.
fn journal() -> Sandbox {
    let env = started("2027-01-04", "all=1");
    env.on("2027-01-04").args(["log", "a", "1h", "--note", "读了Mixtral论文"]).ok();
    env.on("2027-01-05").args(["log", "a", "30m"]).ok();
    env.on("2027-01-05").args(["done", "a", "--note", "finished early"]).ok();
    env.on("2027-01-06").args(["skip", "b", "--note", "not needed"]).ok();
    env.on("2027-01-06").args(["done", "read", "--note", "a chapter"]).ok();
    env.on("2027-01-06").args(["off", "2027-01-08", "--note", "trip"]).ok();
    env
}

#[test]
fn show_ends_with_the_task_s_history() {
    let env = journal();
    let text = env.on("2027-01-07").args(["show", "a"]).ok();
    assert!(
        text.ends_with(
            "\nHistory\n  Mon 01-04  logged 1h   读了Mixtral论文\n  Tue 01-05  logged 30m\n  Tue 01-05  done        finished early\n"
        ),
        "{text}"
    );
    let json = env.on("2027-01-07").args(["show", "a", "--json"]).json();
    assert_eq!(
        json["history"],
        serde_json::json!([
            {"on": "2027-01-04", "kind": "log", "minutes": 60, "deliverable": null, "note": "读了Mixtral论文"},
            {"on": "2027-01-05", "kind": "log", "minutes": 30, "deliverable": null, "note": null},
            {"on": "2027-01-05", "kind": "done", "minutes": null, "deliverable": null, "note": "finished early"},
        ])
    );
    let b = env.on("2027-01-07").args(["show", "b"]).ok();
    assert!(b.ends_with("\nHistory\n  Wed 01-06  skipped  not needed\n"), "{b}");
}

#[test]
fn the_report_lists_the_week_s_notes_and_the_hours_logged_beside_those_earned() {
    let env = journal();
    let table = env.on("2027-01-10").args(["report"]).ok();
    // a done on Tue: its 8h earned (1h on Mon, 7h on Tue) of 1h30m logged.
    assert!(table.contains("Earned 8h of 7h planned (114%) · logged 1h30m\n"), "{table}");
    assert!(
        table.contains("Earned counts a done task's whole estimate; logged is the time you recorded.\n"),
        "{table}"
    );
    assert!(table.contains("  Mon 01-04  ▂ 1h  █ 7h  –    –    off  –    –\n  logged     1h    30m\n"), "{table}");
    assert!(
        table.contains(
            "\nNotes\n  Mon 01-04  logged 1h   p1.m.a  读了Mixtral论文\n  Tue 01-05  done        p1.m.a  finished early\n  Wed 01-06  skipped     p1.m.b  not needed\n  Wed 01-06  checked in  read    a chapter\n  Fri 01-08  day off             trip\n"
        ),
        "{table}"
    );
    let markdown = env.on("2027-01-10").args(["report", "--format", "markdown"]).ok();
    assert!(markdown.contains("\n### Notes\n\n- Mon 01-04 · logged 1h · p1.m.a · 读了Mixtral论文\n"), "{markdown}");
    assert!(markdown.contains("| logged | 1h | 30m |"), "{markdown}");
    let json = env.on("2027-01-10").args(["report", "--json"]).json();
    assert_eq!(json["logged_minutes"], 90);
    assert_eq!(json["earned_minutes"], 480);
    assert_eq!(json["days"][0]["logged_minutes"], 60);
    assert_eq!(json["days"][1]["logged_minutes"], 30);
    let notes: Vec<(&str, &str)> = json["notes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| (n["kind"].as_str().unwrap(), n["note"].as_str().unwrap()))
        .collect();
    assert_eq!(
        notes,
        [
            ("log", "读了Mixtral论文"),
            ("done", "finished early"),
            ("skip", "not needed"),
            ("checkin", "a chapter"),
            ("off", "trip")
        ]
    );
    // The week after has no notes.
    let next_week = env.on("2027-01-17").args(["report", "--json"]).json();
    assert_eq!(next_week["notes"], Value::Array(vec![]));
}

#[test]
fn durations_are_spelled_one_way_on_every_screen() {
    let env = started("2027-01-04", "mon-fri=1h40m,sat-sun=1.5");
    env.on("2027-01-04").args(["log", "a", "90m"]).ok();
    let screens: [&[&str]; 8] = [
        &["next"],
        &["schedule"],
        &["report"],
        &["report", "--format", "markdown"],
        &["config"],
        &["forecast", "--weekly", "20.5h"],
        &["show", "a"],
        &["habits"],
    ];
    let decimal = regex_lite_decimal_hours;
    for args in screens {
        let out = env.on("2027-01-05").args(args).ok();
        assert!(!decimal(&out), "roadmap {args:?} writes a decimal duration:\n{out}");
        assert!(!out.contains(" h/week"), "roadmap {args:?}:\n{out}");
    }
    let config = env.on("2027-01-05").args(["config"]).ok();
    assert!(config.contains("mon-fri=1h40m,sat-sun=1h30m (11h20m/week)"), "{config}");
    let forecast = env.on("2027-01-05").args(["forecast", "--weekly", "20.5h"]).ok();
    // 20h30m a week scales 1h40m to 3h and 1h30m to 2h42m (each day
    // rounded down to the minute): 20h24m.
    assert!(forecast.contains("What if: mon-fri=3h,sat-sun=2h42m (20h24m/week) instead of"), "{forecast}");
}

/// Whether `text` holds a duration with a decimal point, as `1.5h`.
fn regex_lite_decimal_hours(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.windows(4).any(|w| w[0].is_ascii_digit() && w[1] == b'.' && w[2].is_ascii_digit() && w[3] == b'h')
}

#[test]
fn next_and_report_count_the_same_monday_to_sunday_weeks() {
    // Started Tue 01-05: Mon 01-11 and Tue 01-12 are both in ISO week 2,
    // the phase's second. Counting 7-day blocks from the first task day,
    // Mon 01-11 was still "week 1".
    let env = started("2027-01-05", "all=1");
    env.on("2027-01-05").args(["log", "a", "1h"]).ok();
    for day in ["2027-01-11", "2027-01-12"] {
        let next = env.on(day).args(["next"]).ok();
        assert!(next.contains(" (2027-W02) · p1 One · week 2 · "), "{day}: {next}");
        let report = env.on(day).args(["report"]).ok();
        assert!(report.starts_with("Week 2 of 2027 · Mon 2027-01-11 – Sun 2027-01-17"), "{day}: {report}");
    }
    let next = env.on("2027-01-10").args(["next"]).ok();
    assert!(next.contains(" (2027-W01) · p1 One · week 1 · "), "{next}");
    assert_eq!(env.on("2027-01-11").args(["next", "--json"]).json()["phase"]["week"], 2);
}

#[test]
fn the_report_s_two_forecasts_say_what_each_assumes() {
    let env = started("2027-01-04", "all=1");
    env.on("2027-01-04").args(["log", "a", "2h"]).ok();
    env.on("2027-01-05").args(["log", "a", "2h"]).ok();
    let report = env.on("2027-01-06").args(["report"]).ok();
    // The schedule's forecast at 7h a week; the pace of the 3 days Mon–Wed
    // (4h earned: 9h20m a week).
    assert!(report.contains("Plan 4h of 16h (25%) · at your calendar's 7h/week: ends "), "{report}");
    assert!(
        report.contains("\nAt your pace of the 3 days Mon 01-04 – Wed 01-06 (9h20m/week earned): ends "),
        "{report}"
    );
}

#[test]
fn on_day_one_of_the_built_in_plan_there_is_a_task_unless_habits_fill_the_weekday() {
    // Every start weekday, Mon 2027-01-04 .. Sun 01-10, at the default calendar.
    for (day, weekday) in [
        ("2027-01-04", "Monday"),
        ("2027-01-05", "Tuesday"),
        ("2027-01-06", "Wednesday"),
        ("2027-01-07", "Thursday"),
        ("2027-01-08", "Friday"),
        ("2027-01-09", "Saturday"),
        ("2027-01-10", "Sunday"),
    ] {
        let env = Sandbox::new();
        env.on(day).args(["init", "--start", day]).ok();
        let next = env.on(day).args(["next"]).ok();
        let has_task = next.contains(" today · ");
        if weekday == "Monday" {
            // leetcode (daily, 1h) and arXiv (Mondays, 1h) take Monday's 2h.
            assert!(!has_task, "{next}");
            // Said as init, config and validate say it.
            let line = "  Mondays: habits (leetcode, arxiv) take all 2h in p4 and p5, so tasks get no Mondays there — \
                        `roadmap config --hours mon=3h,tue-fri=2h,sat-sun=4h`\n";
            assert!(next.contains(line), "{next}");
            assert!(!next.contains("Nothing planned today"), "{next}");
            let json = env.on(day).args(["next", "--json"]).json();
            assert_eq!(json["today"]["filled_by_habits"]["weekday"], "Mon");
            // The advice, run as printed, gives Monday a task.
            env.on(day).args(["config", "--hours", "mon=3h,tue-fri=2h,sat-sun=4h"]).ok();
            let next = env.on(day).args(["next"]).ok();
            assert!(next.contains(" today · "), "{next}");
        } else {
            assert!(has_task, "{weekday} {day}: {next}");
            assert!(!next.contains("habits take all"), "{next}");
        }
    }
}

/// `next`'s overdue list: open tasks whose baseline end has passed, in
/// plan order with their baseline end; a skipped task is not overdue, a
/// done one neither.
#[test]
fn overdue_lists_open_tasks_past_their_baseline_end_and_not_skipped_ones() {
    // 1h a day from Mon 01-04: a ends 01-11, b 01-17, c 01-19 in the baseline.
    let env = started("2027-01-04", "all=1");
    let overdue = |env: &Sandbox| -> Vec<(String, String)> {
        let next = env.on("2027-01-25").args(["next", "--json"]).json();
        let list = next["overdue"].as_array().unwrap().clone();
        list.iter().map(|t| (t["id"].as_str().unwrap().into(), t["baseline_end"].as_str().unwrap().into())).collect()
    };
    let all = overdue(&env);
    assert_eq!(
        all,
        [("p1.m.a", "2027-01-11"), ("p1.m.b", "2027-01-17"), ("p1.m.c", "2027-01-19")]
            .map(|(id, end)| (id.to_string(), end.to_string()))
    );
    env.on("2027-01-25").args(["skip", "b"]).ok();
    env.on("2027-01-25").args(["done", "c"]).ok();
    assert_eq!(overdue(&env), [("p1.m.a".to_string(), "2027-01-11".to_string())]);
}
