//! The forecast that learns from the learner (issue 16): calibration from
//! finished tasks, the Monte Carlo's 50 %/85 % ends, in `report` and
//! `forecast`, on the built-in plan.

use super::support::Sandbox;
use chrono::{Days, NaiveDate};
use serde_json::Value;

fn day(text: &str) -> NaiveDate {
    text.parse().unwrap()
}

/// The built-in plan from Mon 2027-01-04 at 8h every day, and a scripted
/// four weeks: every day 8h logged on the tasks in list order, each task
/// done once exactly 1.5× its estimate is logged (the last of the day's
/// hours going to the next task). Today is Mon 2027-02-01.
fn month_at_one_and_a_half() -> Sandbox {
    let env = Sandbox::new().dated("2027-02-01");
    env.on("2027-01-04").args(["init", "--start", "2027-01-04", "--hours", "mon-sun=8"]).ok();
    let list = env.on("2027-01-04").args(["list", "--json"]).json();
    let mut tasks = Vec::new();
    for phase in list["phases"].as_array().unwrap() {
        for module in phase["modules"].as_array().unwrap() {
            for task in module["tasks"].as_array().unwrap() {
                tasks.push((task["id"].as_str().unwrap().to_string(), task["effort_minutes"].as_u64().unwrap()));
            }
        }
    }
    let (mut k, mut left) = (0, tasks[0].1 * 3 / 2);
    let mut on = day("2027-01-04");
    for _ in 0..28 {
        let date = on.to_string();
        let mut capacity = 480;
        while capacity > 0 {
            let minutes = left.min(capacity);
            env.on(&date).args(["log", &tasks[k].0, &format!("{minutes}m"), "--on", &date]).ok();
            capacity -= minutes;
            left -= minutes;
            if left == 0 {
                env.on(&date).args(["done", &tasks[k].0, "--on", &date]).ok();
                k += 1;
                left = tasks[k].1 * 3 / 2;
            }
        }
        on = on.succ_opt().unwrap();
    }
    env
}

#[test]
fn a_month_at_one_and_a_half_times_the_estimates_is_seen_and_dated() {
    let env = month_at_one_and_a_half();
    let before = env.events().len();
    let report = env.json(&["report", "--json"]);
    let h = &report["history"];
    let factor = h["calibration"]["factor"].as_f64().unwrap();
    assert!((factor - 1.5).abs() <= 0.05, "{factor}");
    assert!(h["calibration"]["finished"].as_u64().unwrap() >= 3);
    let text = env.ok(&["report"]);
    assert!(text.contains("Your tasks take 1.5× their estimate"), "{text}");
    // Four whole weeks of 8h a day were logged.
    assert_eq!(h["ranges"]["weeks"], serde_json::json!([3360, 3360, 3360, 3360]));
    // Every ratio is 1.5 and every week 56h, so each run ends on the pace
    // date: remaining × 1.5 at 56h/week, today being day 1.
    let planned = h["reestimate"]["planned_minutes"].as_u64().unwrap();
    let days = (planned * 3 * 7).div_ceil(2 * 3360);
    let expected = day("2027-02-01").checked_add_days(Days::new(days - 1)).unwrap();
    let p50: NaiveDate = h["ranges"]["plan"]["p50"].as_str().unwrap().parse().unwrap();
    assert_eq!(p50, expected);
    assert_eq!(h["ranges"]["plan"]["p85"], h["ranges"]["plan"]["p50"]);
    // Later than the calendar's forecast (estimates as written) by that many days.
    let calendar_end: NaiveDate = report["plan"]["forecast_end"].as_str().unwrap().parse().unwrap();
    assert_eq!(h["reestimate"]["end_now"], report["plan"]["forecast_end"]);
    let later = (p50 - calendar_end).num_days();
    assert_eq!(later, (expected - calendar_end).num_days());
    assert!(later > 0, "{p50} vs {calendar_end}");
    // The same state gives the same answer, and nothing was written.
    assert_eq!(env.json(&["report", "--json"])["history"], *h);
    assert_eq!(env.json(&["forecast", "--json"])["history"]["ranges"], h["ranges"]);
    assert_eq!(env.events().len(), before);
}

#[test]
fn forecast_weekly_draws_the_given_hours() {
    let env = month_at_one_and_a_half();
    let f = env.json(&["forecast", "--weekly", "15h", "--json"]);
    let r = &f["history"]["ranges"];
    assert_eq!(r["weekly_source"], "fixed");
    assert_eq!(r["weeks"], serde_json::json!([900]));
    let planned = f["history"]["reestimate"]["planned_minutes"].as_u64().unwrap();
    let days = (planned * 3 * 7).div_ceil(2 * 900);
    let expected = day("2027-02-01").checked_add_days(Days::new(days - 1)).unwrap().to_string();
    assert_eq!(r["plan"]["p50"], Value::String(expected));
    let text = env.ok(&["forecast", "--weekly", "15h"]);
    assert!(text.contains("Over 1000 runs of your ratios and 15h/week every week"), "{text}");
}

#[test]
fn no_finished_task_means_no_calibration_and_says_why() {
    let env = Sandbox::new().dated("2027-01-11");
    env.on("2027-01-04").args(["init", "--start", "2027-01-04"]).ok();
    let f = env.json(&["forecast", "--json"]);
    let h = &f["history"];
    assert_eq!(h["calibration"]["factor"], Value::Null);
    assert_eq!(h["calibration"]["reason"], "0 finished tasks with time logged; a calibration needs at least 3");
    assert_eq!(h["reestimate"], Value::Null);
    assert_eq!(h["ranges"], Value::Null);
    assert!(f.get("end_what_if").is_none());
    let text = env.ok(&["report"]);
    assert!(text.contains("No calibration yet: 0 finished tasks with time logged"), "{text}");
    assert!(!text.contains("Your tasks take"), "{text}");
}
