//! Spaced review in the weekly report, the calendar export, the weekly fit
//! and today's hours (issue 13): `report`'s Retained figures in its three
//! forms, review events in `export ics`, review hours in "weekly hours to
//! fit", and the Today line less today's due reviews.
//!
//! The fixture `plans/retained.yaml`: two phases, 30 minutes a review at
//! the default retention 0.9, started Mon 2027-01-04 at 2h every day.

use super::support::{Sandbox, fixture};
use serde_json::{Value, json};

const FIXTURE: &str = "retained.yaml";

fn fixture_text() -> String {
    std::fs::read_to_string(fixture(&format!("plans/{FIXTURE}"))).expect("the fixture plan")
}

/// The fixture without its `review:` block.
fn without_review() -> String {
    let text = fixture_text();
    let plain = text.replace("review:\n  effort: 30m\n", "");
    assert_ne!(plain, text, "the fixture's review block was removed");
    plain
}

fn started(env: Sandbox) -> Sandbox {
    let path = env.plan().display().to_string();
    env.on("2027-01-04").args(["--plan", &path, "init", "--start", "2027-01-04", "--hours", "all=2"]).ok();
    env
}

/// a done Tue 01-05, b Wed 01-06, a reviewed (good) Thu 01-07, c Fri 01-08.
fn week_one(env: Sandbox) -> Sandbox {
    env.on("2027-01-05").args(["done", "a"]).ok();
    env.on("2027-01-06").args(["done", "b"]).ok();
    env.on("2027-01-07").args(["review", "a", "good"]).ok();
    env.on("2027-01-08").args(["done", "c"]).ok();
    env
}

fn reviewed() -> Sandbox {
    week_one(started(Sandbox::with_fixture(FIXTURE)))
}

/// FSRS-6 at retention 0.9 (py-fsrs 6.x, `learning_steps=()`,
/// `relearning_steps=()`, no fuzz; the dates of issue 13 and
/// `core::review`'s reference test): a task done on day D is first due
/// D+2 (stability 2.3065 days), and reviewed then rated good, due 11 days
/// later.
///
/// On Sat 01-09, week 2027-W01 (01-04..01-10):
/// - done in the week: a's review on 01-07 (1);
/// - due in the week: a's on 01-07 (done), b's on 01-08 (overdue, not
///   done), c's on 01-10 (done 01-08 + 2): 3. a's next is 01-18, after it.
/// - recall today: a reviewed 01-07 (stability ≈ 11 days, 2 days ago) and c
///   done 01-08 (1 day ago) are above 90%; b, done 01-06 and 3 days ago
///   past a 2.3-day stability, is below (88%, as `next` shows it). So p1
///   (a, b; `n` is never reviewed and not done) retains 1 of 2, p2 (c) 1 of 1.
#[test]
fn report_retained_figures_in_json_table_and_markdown() {
    let env = reviewed();
    let report = env.on("2027-01-09").args(["report", "--format", "json"]).json();
    assert_eq!(
        report["retained"],
        json!({
            "target_retention": 0.9,
            "review_minutes": 30,
            "reviews_done": 1,
            "reviews_due": 3,
            "phases": [
                {"id": "p1", "title": "Basics", "finished": 2, "retained": 1, "retained_percent": 50},
                {"id": "p2", "title": "Projects", "finished": 1, "retained": 1, "retained_percent": 100},
            ],
        })
    );
    // `next` agrees that b's recall is below the target today.
    let next = env.on("2027-01-09").args(["next", "--json"]).json();
    assert_eq!(next["reviews_due"][0]["id"], "p1.m.b");
    assert_eq!(next["reviews_due"][0]["recall_percent"], 88);

    let table = env.on("2027-01-09").args(["report"]).ok();
    let section = |text: &str, from: &str| -> String {
        let start = text.find(from).unwrap_or_else(|| panic!("no {from:?} in\n{text}"));
        text[start..].lines().take(7).collect::<Vec<_>>().join("\n")
    };
    assert_eq!(
        section(&table, "\nRetained\n").trim_start(),
        "Retained\n\
         Reviews this week: 1 done of 3 due (30m each).\n  \
         Phase        retained         share\n  \
         p1 Basics    1 of 2 finished    50%\n  \
         p2 Projects  1 of 1 finished   100%\n\
         Retained: a finished task whose predicted recall today (FSRS-6) is at least the target, 90%."
    );
    let markdown = env.on("2027-01-09").args(["report", "--format", "markdown"]).ok();
    let md: Vec<&str> = markdown.lines().skip_while(|l| *l != "### Retained").take(9).collect();
    assert_eq!(
        md,
        [
            "### Retained",
            "",
            "Reviews this week: 1 done of 3 due (30m each).",
            "",
            "| phase | retained | share |",
            "|---|---:|---:|",
            "| p1 Basics | 1 of 2 finished | 50% |",
            "| p2 Projects | 1 of 1 finished | 100% |",
            "",
        ]
    );
    // Last week's report (nothing was done yet) has no reviews due then.
    let before = env.on("2027-01-09").args(["report", "--week", "2026-W53", "--json"]).json();
    assert_eq!(
        (before["retained"]["reviews_done"].as_u64(), before["retained"]["reviews_due"].as_u64()),
        (Some(0), Some(0))
    );
}

/// Without `review:`, the same progress has no Retained section, and the
/// JSON says `retained: null` (docs/report-json.md).
#[test]
fn a_plan_without_review_has_no_retained_section() {
    let env = started(Sandbox::with_plan(&without_review()));
    env.on("2027-01-05").args(["done", "a"]).ok();
    let report = env.on("2027-01-09").args(["report", "--json"]).json();
    assert_eq!(report.get("retained"), Some(&Value::Null));
    assert!(!env.on("2027-01-09").args(["report"]).ok().contains("Retained"));
    assert!(!env.on("2027-01-09").args(["report", "--format", "markdown"]).ok().contains("Retained"));
}

/// Every field of docs/report-json.md's `retained` table is in the JSON,
/// and every key of the JSON is in the table.
#[test]
fn the_retained_fields_are_documented() {
    let doc = include_str!("../../docs/report-json.md");
    let table: Vec<&str> = doc
        .lines()
        .skip_while(|l| *l != "### `retained`")
        .skip(1)
        .take_while(|l| !l.starts_with('#'))
        .filter_map(|l| l.strip_prefix("| `"))
        .map(|l| l.split('`').next().unwrap_or_default())
        .collect();
    let report = reviewed().on("2027-01-09").args(["report", "--json"]).json();
    let r = &report["retained"];
    let mut keys: Vec<String> = r.as_object().unwrap().keys().cloned().collect();
    keys.extend(r["phases"][0].as_object().unwrap().keys().map(|k| format!("phases[].{k}")));
    keys.sort();
    let mut documented: Vec<String> = table.iter().map(|s| s.to_string()).collect();
    documented.sort();
    assert_eq!(keys, documented);
}

/// The VEVENTs whose UID starts with `review.`, as (task id, date).
fn review_events(ics: &str) -> Vec<(String, String)> {
    ics.split("BEGIN:VEVENT")
        .filter_map(|e| {
            let uid = e.lines().find_map(|l| l.strip_prefix("UID:review."))?.split('@').next()?;
            let (id, day) = uid.rsplit_once('.')?;
            Some((id.to_string(), day.to_string()))
        })
        .collect()
}

fn event<'a>(ics: &'a str, uid: &str) -> &'a str {
    ics.split("BEGIN:VEVENT").find(|e| e.contains(&format!("UID:{uid}@"))).unwrap_or_else(|| panic!("no {uid}"))
}

/// The hand case of issue 13 in the calendar: a done Tue 2027-01-05 is first
/// due 01-07 and, the scheduler assuming Good, 11 days later (01-18);
/// reviewed on 01-07 rated again it comes back 1 day later (01-08), rated
/// easy 19 days later (01-26). Each review is a 30-minute event at the
/// start time (no habits), and the day's tasks start after it.
/// The task events of 01-07 take only what the reviews leave of its 2h.
#[test]
fn export_ics_has_review_events_on_the_fsrs_dates() {
    let env = started(Sandbox::with_fixture(FIXTURE));
    env.on("2027-01-05").args(["done", "a"]).ok();
    let ics = env.on("2027-01-05").args(["export", "ics"]).ok();
    let a: Vec<String> = review_events(&ics).into_iter().filter(|(id, _)| id == "p1.m.a").map(|(_, day)| day).collect();
    assert_eq!(a[..2], ["20270107", "20270118"]);
    let first = event(&ics, "review.p1.m.a.20270107");
    for line in ["DTSTART:20270107T190000", "DURATION:PT30M", "SUMMARY:Review: Alpha", "CATEGORIES:roadmap,review"] {
        assert!(first.contains(&format!("{line}\r\n")), "{line} in {first}");
    }
    assert!(first.contains("roadmap review p1.m.a good"), "{first}");
    // b, scheduled on 01-05 (today's 2h), is reviewed 2 days after, the
    // same day: its review follows a's, and the day's task (d) both.
    assert!(event(&ics, "review.p1.m.b.20270107").contains("DTSTART:20270107T193000\r\n"));
    assert!(event(&ics, "p1.m.d.20270107").contains("DTSTART:20270107T200000\r\n"));
    assert!(event(&ics, "p1.m.d.20270107").contains("DURATION:PT1H\r\n"));
    let wrote = env.on("2027-01-05").args(["export", "ics", "--out", "r.ics"]).ok();
    assert!(wrote.contains(&format!("{} reviews.", review_events(&ics).len())), "{wrote}");

    let next_of_a = |rating: &str| -> String {
        env.on("2027-01-07").args(["review", "a", rating]).ok();
        let ics = env.on("2027-01-07").args(["export", "ics"]).ok();
        env.on("2027-01-07").args(["undo"]).ok();
        review_events(&ics).into_iter().find(|(id, _)| id == "p1.m.a").map(|(_, d)| d).unwrap_or_default()
    };
    assert_eq!(next_of_a("good"), "20270118");
    assert_eq!(next_of_a("again"), "20270108");
    assert_eq!(next_of_a("easy"), "20270126");
}

#[test]
fn export_ics_without_review_has_no_review_events() {
    let env = started(Sandbox::with_plan(&without_review()));
    env.on("2027-01-05").args(["done", "a"]).ok();
    let ics = env.on("2027-01-05").args(["export", "ics"]).ok();
    assert!(review_events(&ics).is_empty());
    assert!(!ics.contains("review"));
}

/// p2 (window 1 week from c's day, Fri 01-08; 20h left) is over on Sat
/// 01-09. Scheduled alone from today at scaled hours, its weekly fit is
/// 23h30m without reviews; with them (b's overdue review today, c's on
/// 01-10, d's and e's as they are finished, 30m each) it needs 25h30m.
#[test]
fn weekly_hours_to_fit_count_the_review_hours() {
    let fit = |env: &Sandbox| -> Value {
        let report = env.on("2027-01-09").args(["report", "--json"]).json();
        report["phases"][1]["window"].clone()
    };
    let with = fit(&reviewed());
    let without = fit(&week_one_without_review());
    assert_eq!(with["verdict"], "over");
    assert_eq!(without["verdict"], "over");
    assert_eq!(without["weekly_minutes_to_fit"], 1410);
    assert_eq!(with["weekly_minutes_to_fit"], 1530);
    let table = reviewed().on("2027-01-09").args(["report"]).ok();
    assert!(table.contains("it fits at 25h30m/week"), "{table}");
}

fn week_one_without_review() -> Sandbox {
    let env = started(Sandbox::with_plan(&without_review()));
    env.on("2027-01-05").args(["done", "a"]).ok();
    env.on("2027-01-06").args(["done", "b"]).ok();
    env.on("2027-01-08").args(["done", "c"]).ok();
    env
}

/// On Sat 01-09 b's review (due 01-08) is overdue: its 30 minutes come off
/// today's 2h, as the schedule reserves them; once recorded, they are back.
#[test]
fn the_today_line_takes_off_todays_due_reviews() {
    let env = reviewed();
    let text = env.on("2027-01-09").args(["next"]).ok();
    assert!(text.contains("Today: 2h available, 1h30m for tasks after habits and 30m of reviews\n"), "{text}");
    let next = env.on("2027-01-09").args(["next", "--json"]).json();
    assert_eq!(next["today"]["task_minutes"], 90);
    assert_eq!(next["today"]["review_minutes"], 30);
    // The schedule gives today's task exactly what the line says.
    assert_eq!(next["today"]["tasks"][0]["minutes_today"], 90);

    env.on("2027-01-09").args(["review", "b", "good"]).ok();
    let text = env.on("2027-01-09").args(["next"]).ok();
    assert!(text.contains("Today: 2h available, 2h for tasks after habits\n"), "{text}");
    assert_eq!(env.on("2027-01-09").args(["next", "--json"]).json()["today"]["review_minutes"], 0);
}
