//! `report`, `habits`, `forecast` and `next`'s over-window line, driven
//! through the built binary against a state built by the CLI itself, with
//! `--today` fixed and the host's settings kept out.
//!
//! The fixture `tests/fixtures/plans/weekly.yaml` has p1 (env 4h, read 6h
//! after env, drill 5h; window 2-3 weeks) and p2 (app 12h, polish 8h; window
//! 1 week), a daily habit `leet` (target 2 题, 30m) and a Monday habit
//! `paper` (1h). With 2h Monday to Friday and 4h at weekends, the habits
//! leave 30m for tasks on Mondays, 1.5h Tuesday to Friday and 3.5h on
//! weekend days: 13.5h a week.
//!
//! The baseline from Mon 2027-01-04 is then: env Mon–Thu, read Thu–Sat,
//! drill Sun–Tue 01-12, app Tue 01-12–Sun 01-17, polish Mon 01-18–Sat 01-23;
//! planned 13.5h in week 1, 13.5h in week 2, 8h in week 3.

use super::support::Sandbox;
use serde_json::Value;

/// A sandbox on the weekly plan fixture, its state started Mon 2027-01-04
/// with 2h Monday to Friday and 4h at weekends.
fn started() -> Sandbox {
    let env = Sandbox::with_fixture("weekly.yaml");
    env.on("2027-01-04").args(["init", "--start", "2027-01-04", "--hours", "mon-fri=2,sat-sun=4"]).ok();
    env
}

/// Week 1 (Mon 2027-01-04 – Sun 01-10):
///
/// | day | tasks                                   | earned | leet     |
/// |-----|-----------------------------------------|--------|----------|
/// | Mon | log env 30m                             | 30m    | 2 met    |
/// | Tue | log env 1h                              | 1h     | 1 partial|
/// | Wed | day off                                 | –      | off      |
/// | Thu | done env (4h − 1.5h logged), deliverable 1 | 2.5h | 2 met    |
/// | Fri | log read 1h                             | 1h     | 2 met    |
/// | Sat | log read 2h, done drill (5h)            | 7h     | 1 partial|
/// | Sun | nothing                                 | –      | missed   |
///
/// Earned 12h of 13.5h planned; paper met on Monday.
fn week_one() -> Sandbox {
    let env = started();
    let steps: &[(&str, &[&str])] = &[
        ("2027-01-04", &["done", "leet", "--count", "2"]),
        ("2027-01-04", &["done", "paper"]),
        ("2027-01-04", &["log", "env", "30m"]),
        ("2027-01-05", &["done", "leet", "--count", "1"]),
        ("2027-01-05", &["log", "env", "1h"]),
        ("2027-01-06", &["off", "2027-01-06"]),
        ("2027-01-07", &["done", "leet", "--count", "2"]),
        ("2027-01-07", &["done", "env"]),
        ("2027-01-07", &["done", "env", "--deliverable", "1"]),
        ("2027-01-08", &["done", "leet", "--count", "2"]),
        ("2027-01-08", &["log", "read", "1h"]),
        ("2027-01-09", &["done", "leet", "--count", "1"]),
        ("2027-01-09", &["log", "read", "2h"]),
        ("2027-01-09", &["done", "drill"]),
    ];
    for (today, args) in steps {
        env.on(today).args(*args).ok();
    }
    env
}

// From Mon 01-11 the forecast is: read's last 3h Mon–Wed (p1 ends 01-13, a
// day after its baseline, 4 days before the 2-3 weeks' low end); app Wed
// 01-13–Tue 01-19, polish to Sat 01-23, the baseline's end. p2 spans 01-13..
// 01-23, 4 days over 1 week; alone from 01-13 it needs 20h by Tue 01-19: at
// 24.5 h/week the scaled days give 5×163m + 2×326m − 270m of habits = 1197m,
// short; at 25 h/week 5×166m + 2×333m − 270m = 1226m, enough. The pace,
// 12 h/week, takes the 23h left ⌈23 × 7 ÷ 12⌉ = 14 days: Sun 01-24.
const WEEK_ONE_TABLE: &str = "\
Week 1 of 2027 · Mon 2027-01-04 – Sun 2027-01-10 · p1 基础 Basics

Done
  1  p1.setup.env    环境搭建  Thu 01-07  4h  1/2 deliverables
  3  p1.setup.drill  Drills    Sat 01-09  5h  –

Worked on
  2  p1.setup.read  Read the guide  3h  3h of 6h so far · in progress

Deliverables checked
  1  p1.setup.env  Install the toolchain  Thu 01-07

Earned 12h of 13h30m planned (88%) · logged 4h30m
Earned counts a done task's whole estimate; logged is the time you recorded.
  Days       Mon    Tue   Wed  Thu      Fri   Sat   Sun
  Mon 01-04  ▁ 30m  ▂ 1h  off  ▃ 2h30m  ▂ 1h  █ 7h  –
  logged     30m    1h                  1h    2h

  Habits  this week  days     streak  4 weeks
  leet    8/12 题    ●◐·●●◐○  0 days      66%
  paper   1/1        ●------  1 week     100%
  ● met  ◐ partial  ○ missed  ◌ due today  · day off  - not due

  Phase           progress           hours    forecast    slip  window
  p1 基础 Basics  ██████████░░  80%  12h/15h  2027-01-13   +1d  ahead of 2-3 weeks by 4 days
  p2 Projects     ░░░░░░░░░░░░   0%   0h/20h  2027-01-23     0  over 1 week by 4 days
  p2 Projects: over 1 week by 4 days; it fits at 25h/week

Velocity 12h/week over the 7 days Mon 01-04 – Sun 01-10 · calendar 18h/week, 12h/week of it for tasks
Plan 12h of 35h (34%) · at your calendar's 18h/week: ends 2027-01-23, on track (baseline 2027-01-23)
At your pace of the 7 days Mon 01-04 – Sun 01-10 (12h/week earned): ends 2027-01-24

From your history
  No calibration yet: 1 finished task with time logged; a calibration needs at least 3.

Next week · Mon 01-11 – Sun 01-17: 13h30m of tasks in 13h30m of capacity (the baseline planned 13h30m)
  2  p1.setup.read  Read the guide      3h
  4  p2.build.app   Small app       10h30m
";

const WEEK_ONE_MARKDOWN: &str = "\
## Week 1 of 2027 · Mon 2027-01-04 – Sun 2027-01-10

Phase: p1 基础 Basics

**Earned 12h of 13h30m planned (88%) · logged 4h30m**

Earned counts a done task's whole estimate; logged is the time you recorded.

### Done

| # | task | title | done | effort | earned here | deliverables |
|---:|---|---|---|---:|---:|---:|
| 1 | p1.setup.env | 环境搭建 | Thu 01-07 | 4h | 4h | 1/2 deliverables |
| 3 | p1.setup.drill | Drills | Sat 01-09 | 5h | 5h | – |

### Worked on

| # | task | title | earned here | so far |
|---:|---|---|---:|---|
| 2 | p1.setup.read | Read the guide | 3h | 3h of 6h so far · in progress |

### Deliverables checked

- Thu 01-07 · p1.setup.env · Install the toolchain

### Days

| week of | Mon | Tue | Wed | Thu | Fri | Sat | Sun |
|---|---:|---:|---:|---:|---:|---:|---:|
| Mon 01-04 | 30m | 1h | off | 2h30m | 1h | 7h | – |
| logged | 30m | 1h |  |  | 1h | 2h |  |

### Habits

| habit | this week | days | streak | 4 weeks |
|---|---:|---|---|---:|
| leet | 8/12 题 | `●◐·●●◐○` | 0 days | 66% |
| paper | 1/1 | `●------` | 1 week | 100% |

● met  ◐ partial  ○ missed  ◌ due today  · day off  - not due

### Phases

| phase | progress | hours | forecast end | slip | window |
|---|---:|---:|---|---:|---|
| p1 基础 Basics | 80% | 12h/15h | 2027-01-13 | +1d | ahead of 2-3 weeks by 4 days |
| p2 Projects | 0% | 0h/20h | 2027-01-23 | 0 | over 1 week by 4 days (fits at 25h/week) |

### Pace

- Velocity 12h/week over the 7 days Mon 01-04 – Sun 01-10 · calendar 18h/week, 12h/week of it for tasks
- Plan 12h of 35h (34%) · at your calendar's 18h/week: ends 2027-01-23, on track (baseline 2027-01-23)
- At your pace of the 7 days Mon 01-04 – Sun 01-10 (12h/week earned): ends 2027-01-24

### From your history

```text
  No calibration yet: 1 finished task with time logged; a calibration needs at least 3.
```

### Next week

Next week · Mon 01-11 – Sun 01-17: 13h30m of tasks in 13h30m of capacity (the baseline planned 13h30m)

- p1.setup.read Read the guide · 3h
- p2.build.app Small app · 10h30m
";

#[test]
fn report_table_of_a_week_is_exact() {
    let env = week_one();
    assert_eq!(env.on("2027-01-11").args(["report", "--week", "last"]).ok(), WEEK_ONE_TABLE);
    // The same week named three other ways.
    for week in ["2027-W01", "2027-01-07", "2027-w1"] {
        assert_eq!(env.on("2027-01-11").args(["report", "--week", week]).ok(), WEEK_ONE_TABLE);
    }
}

#[test]
fn report_markdown_of_a_week_is_exact() {
    let env = week_one();
    let text = env.on("2027-01-11").args(["report", "--week", "last", "--format", "markdown"]).ok();
    assert_eq!(text, WEEK_ONE_MARKDOWN);
}

#[test]
fn report_json_of_a_week_has_the_hand_computed_figures() {
    let env = week_one();
    let r = env.on("2027-01-11").args(["report", "--week", "last", "--json"]).json();
    assert_eq!(r, env.on("2027-01-11").args(["report", "--week", "last", "--format", "json"]).json());
    assert_eq!(r["report_version"], 1);
    assert_eq!(r["today"], "2027-01-11");
    assert_eq!(r["period"]["from"], "2027-01-04");
    assert_eq!(r["period"]["to"], "2027-01-10");
    assert_eq!(r["period"]["week"]["year"], 2027);
    assert_eq!(r["period"]["week"]["week"], 1);
    assert_eq!(r["phases_in_period"][0]["id"], "p1");
    assert_eq!(r["planned_minutes"], 810);
    assert_eq!(r["planned_to_date_minutes"], 810);
    assert_eq!(r["earned_minutes"], 720);
    assert_eq!(r["earned_percent"], 88);
    let per_day: Vec<(u64, u64, bool)> = r["days"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["earned_minutes"].as_u64().unwrap(),
                d["planned_minutes"].as_u64().unwrap(),
                d["day_off"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        per_day,
        vec![
            (30, 30, false),
            (60, 90, false),
            (0, 90, true),
            (150, 90, false),
            (60, 90, false),
            (420, 210, false),
            (0, 210, false),
        ]
    );
    let done: Vec<(&str, &str, u64, u64)> = r["done"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            (
                t["id"].as_str().unwrap(),
                t["on"].as_str().unwrap(),
                t["effort_minutes"].as_u64().unwrap(),
                t["deliverables_checked"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(done, vec![("p1.setup.env", "2027-01-07", 240, 1), ("p1.setup.drill", "2027-01-09", 300, 0)]);
    assert_eq!(r["worked"][0]["id"], "p1.setup.read");
    assert_eq!(r["worked"][0]["earned_minutes"], 180);
    assert_eq!(r["worked"][0]["status"], "in progress");
    assert_eq!(r["deliverables"][0]["title"], "Install the toolchain");
    assert_eq!(r["deliverables"][0]["on"], "2027-01-07");

    let leet = &r["habits"][0];
    assert_eq!(leet["id"], "leet");
    let marks: Vec<&str> = leet["days"].as_array().unwrap().iter().map(|d| d["mark"].as_str().unwrap()).collect();
    assert_eq!(marks, ["met", "partial", "off", "met", "met", "partial", "missed"]);
    for (field, value) in [
        ("due_days", 6),
        ("met", 3),
        ("partial", 2),
        ("missed", 1),
        ("off", 1),
        ("done", 8),
        ("target_total", 12),
        ("adherence_percent", 66),
        ("recent_adherence_percent", 66),
        ("streak", 0),
        ("longest_streak", 5),
    ] {
        assert_eq!(leet[field], value, "leet {field}");
    }
    assert_eq!(leet["unit"], "题");
    assert_eq!(r["habits"][1]["streak"], 1);
    assert_eq!(r["habits"][1]["streak_unit"], "weeks");

    let p1 = &r["phases"][0];
    assert_eq!(
        (&p1["earned_minutes"], &p1["total_minutes"], &p1["percent"]),
        (&Value::from(720), &Value::from(900), &Value::from(80))
    );
    assert_eq!(p1["forecast_end"], "2027-01-13");
    assert_eq!(p1["baseline_end"], "2027-01-12");
    assert_eq!(p1["slip_days"], 1);
    assert_eq!(p1["window"]["verdict"], "ahead");
    assert_eq!(p1["window"]["days"], 4);
    let p2 = &r["phases"][1];
    assert_eq!(p2["window"]["window"], "1 week");
    assert_eq!(p2["window"]["verdict"], "over");
    assert_eq!(p2["window"]["days"], 4);
    assert_eq!(p2["window"]["weekly_minutes_to_fit"], 1500);

    let v = &r["velocity"];
    assert_eq!((v["from"].as_str(), v["to"].as_str()), (Some("2027-01-04"), Some("2027-01-10")));
    assert_eq!(v["days"], 7);
    assert_eq!(v["weekly_minutes"], 720);
    assert_eq!(v["calendar_weekly_minutes"], 1080);
    assert_eq!(v["capacity_weekly_minutes"], 720);
    assert_eq!(r["plan"]["earned_minutes"], 720);
    assert_eq!(r["plan"]["total_minutes"], 2100);
    assert_eq!(r["plan"]["forecast_end"], "2027-01-23");
    assert_eq!(r["plan"]["slip_days"], 0);
    assert_eq!(r["plan"]["end_at_velocity"], "2027-01-24");

    let next = &r["next"];
    assert_eq!(next["from"], "2027-01-11");
    assert_eq!(next["scheduled_minutes"], 810);
    assert_eq!(next["capacity_minutes"], 810);
    assert_eq!(next["baseline_minutes"], 810);
    assert_eq!(next["tasks"][1]["id"], "p2.build.app");
    assert_eq!(next["tasks"][1]["minutes"], 630);
}

#[test]
fn report_of_the_current_week_counts_only_what_happened_so_far() {
    let env = week_one();
    // Wednesday of week 2: read's last 3h were due Mon–Wed; log 1h today.
    env.on("2027-01-13").args(["log", "read", "1h"]).ok();
    let r = env.on("2027-01-13").args(["report", "--json"]).json();
    assert_eq!(r["period"]["from"], "2027-01-11");
    assert_eq!(r["planned_minutes"], 810);
    // Baseline Mon 30m + Tue 1.5h + Wed 1.5h.
    assert_eq!(r["planned_to_date_minutes"], 210);
    assert_eq!(r["earned_minutes"], 60);
    let future: Vec<bool> = r["days"].as_array().unwrap().iter().map(|d| d["future"].as_bool().unwrap()).collect();
    assert_eq!(future, [false, false, false, true, true, true, true]);
    let table = env.on("2027-01-13").args(["report"]).ok();
    assert!(table.contains("Earned 1h of 13h30m planned (7%) · logged 1h · 3h30m planned up to today\n"), "{table}");
    assert!(table.contains("  Mon 01-11  –    –    █ 1h\n"), "{table}");
}

#[test]
fn report_of_a_span_covers_its_days() {
    let env = week_one();
    env.on("2027-01-12").args(["done", "read"]).ok();
    let r = env.on("2027-01-13").args(["report", "--since", "2027-01-09", "--until", "2027-01-12", "--json"]).json();
    assert_eq!(r["period"]["week"], Value::Null);
    assert_eq!(r["days"].as_array().map(Vec::len), Some(4));
    // Sat 7h, Sun 0, Mon 0, Tue: read done, its 6h less the 1h logged on
    // Friday and the 2h on Saturday, 3h.
    assert_eq!(r["earned_minutes"], 600);
    // Baseline Sat 3.5h, Sun 3.5h, Mon 30m, Tue 1.5h.
    assert_eq!(r["planned_minutes"], 540);
    let done: Vec<&str> = r["done"].as_array().unwrap().iter().map(|t| t["id"].as_str().unwrap()).collect();
    assert_eq!(done, ["p1.setup.drill", "p1.setup.read"]);
    // read earned 2h + 3h inside the span, its first hour before it.
    assert_eq!(r["done"][1]["earned_minutes"], 300);
    assert_eq!(r["next"]["from"], "2027-01-13");
    let table = env.on("2027-01-13").args(["report", "--since", "2027-01-09", "--until", "2027-01-12"]).ok();
    assert!(table.starts_with("Sat 2027-01-09 – Tue 2027-01-12 (4 days) · p1 基础 Basics\n"), "{table}");
    assert!(table.contains("6h (5h here)"), "{table}");
    assert!(table.contains("Earned 10h of 9h planned (111%) · logged 2h\n"), "{table}");
}

#[test]
fn report_refuses_bad_weeks_and_spans() {
    let env = week_one();
    let cases: &[(&[&str], &str)] = &[
        (&["report", "--week", "2027-W54"], "error: --week: 2027 has no ISO week 54\n"),
        (
            &["report", "--since", "2027-01-10", "--until", "2027-01-04"],
            "error: --until 2027-01-04 is before --since 2027-01-10\n",
        ),
    ];
    for (args, message) in cases {
        env.on("2027-01-11").args(*args).assert().code(2).stderr(*message);
    }
    env.on("2027-01-11").args(["report", "--week", "last", "--since", "2027-01-01"]).assert().code(2);
    env.on("2027-01-11").args(["report", "--json", "--format", "markdown"]).assert().code(2);
}

const WEEK_ONE_HABITS: &str = "\
Habits · 2 weeks from Mon 2027-01-04 to Mon 2027-01-11

leet  LeetCode 每日2题  every day, 2 题 each time
  ●◐·●●◐○ ◌
  66% adherence (8/12 题 over 6 due days) · 3 met, 2 partial, 1 missed, 1 off
  streak 0 days · longest 5 days

paper  Read a paper  every mon
  ●------ ◌
  100% adherence (1/1 over 1 due day) · 1 met, 0 partial, 0 missed, 0 off
  streak 1 week · longest 1 week

● met  ◐ partial  ○ missed  ◌ due today  · day off  - not due
";

#[test]
fn habits_shows_strips_adherence_and_streaks() {
    let env = week_one();
    assert_eq!(env.on("2027-01-11").args(["habits"]).ok(), WEEK_ONE_HABITS);
}

#[test]
fn streaks_keep_through_partial_days_days_off_and_days_not_due() {
    let env = week_one();
    // Week 2: Mon 1 (partial), Tue–Wed off, Thu 2, Fri 2; paper kept on Monday.
    env.on("2027-01-11").args(["done", "leet", "--count", "1"]).ok();
    env.on("2027-01-11").args(["done", "paper"]).ok();
    env.on("2027-01-11").args(["off", "2027-01-12..2027-01-13"]).ok();
    env.on("2027-01-14").args(["done", "leet"]).ok();
    env.on("2027-01-15").args(["done", "leet"]).ok();
    let h = env.on("2027-01-15").args(["habits", "--weeks", "1", "--json"]).json();
    assert_eq!(h["from"], "2027-01-11");
    let leet = &h["habits"][0];
    let marks: Vec<&str> = leet["days"].as_array().unwrap().iter().map(|d| d["mark"].as_str().unwrap()).collect();
    assert_eq!(marks, ["partial", "off", "off", "met", "met"]);
    // Sunday 01-10 was missed: the streak restarts on Monday and the days
    // off neither add to it nor break it.
    assert_eq!((&leet["streak"], &leet["longest_streak"]), (&Value::from(3), &Value::from(5)));
    assert_eq!(leet["adherence_percent"], 83);
    // paper: two Mondays met, the days between not due.
    assert_eq!(h["habits"][1]["streak"], 2);
    assert_eq!(h["habits"][1]["days"][1]["mark"], "not_due");
    // A miss on Saturday (checked in on Sunday only) ends it.
    env.on("2027-01-17").args(["done", "leet"]).ok();
    let leet = &env.on("2027-01-17").args(["habits", "--weeks", "1", "--json"]).json()["habits"][0];
    assert_eq!(leet["days"][5]["mark"], "missed");
    assert_eq!(leet["streak"], 1);
}

#[test]
fn forecast_with_other_hours_gives_the_hand_computed_ends() {
    let env = week_one();
    // mon-sun=3 leaves 1.5h for tasks on Mondays and 2.5h on other days.
    // From Mon 01-11: read's 3h Mon 1.5h + Tue 1.5h (p1 ends Tue 01-12, a day
    // sooner); app 12h Tue 1h, Wed–Sat 4 × 2.5h, Sun 1h (ends Sun 01-17);
    // polish 8h Sun 1.5h, Mon 1.5h, Tue 2.5h, Wed 2.5h (ends Wed 01-20, 3
    // days sooner). p2 spans Tue 01-12..Wed 01-20, 2 days over 1 week; alone
    // from 01-12 each day gets ⌊180 × W/1260⌋ = ⌊W/7⌋ minutes, and 7⌊W/7⌋ −
    // 270m of habits ≥ 1200m needs W ≥ 1470m: 24.5 h/week.
    let w = env.on("2027-01-11").args(["forecast", "--hours", "mon-sun=3", "--json"]).json();
    assert_eq!(w["weekly_minutes_what_if"], 1260);
    assert_eq!(w["end_now"], "2027-01-23");
    assert_eq!(w["end_what_if"], "2027-01-20");
    assert_eq!(w["change_days"], -3);
    let ends: Vec<(&str, &str, i64)> = w["phases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (p["end_now"].as_str().unwrap(), p["end_what_if"].as_str().unwrap(), p["change_days"].as_i64().unwrap())
        })
        .collect();
    assert_eq!(ends, [("2027-01-13", "2027-01-12", -1), ("2027-01-23", "2027-01-20", -3)]);
    let p2 = &w["phases"][1]["window_what_if"];
    assert_eq!((&p2["verdict"], &p2["days"]), (&Value::from("over"), &Value::from(2)));
    assert_eq!(p2["weekly_minutes_to_fit"], 1470);

    // Half the hours, 9 h/week: every day scaled by 1/2, so 1h on weekdays
    // and 2h at weekends; habits leave nothing on Mondays, 30m Tuesday to
    // Friday and 1.5h at weekends. read's 3h: Tue–Fri 2h + Sat 1h (ends Sat
    // 01-16); app 12h: Sat 30m, Sun 1.5h, then 5h a week (Tue–Sun) for two
    // weeks: ends Sun 01-31; polish 8h: 5h a week, then Tue–Fri 2h and Sat
    // 1h: ends Sat 02-13.
    let table = env.on("2027-01-11").args(["forecast", "--weekly", "9h"]).ok();
    assert_eq!(
        table,
        "\
What if: mon-fri=1h,sat-sun=2h (9h/week) instead of mon-fri=2h,sat-sun=4h (18h/week), from 2027-01-11

  Phase           window     end now     what if     change  now              what if
  p1 基础 Basics  2-3 weeks  2027-01-13  2027-01-16     +3d  ahead by 4 days  ahead by 1 day
  p2 Projects     1 week     2027-01-23  2027-02-13    +21d  over by 4 days   over by 22 days
  Plan                       2027-01-23  2027-02-13    +21d
  The baseline ends the plan on 2027-01-23.

With these hours:
  p2 Projects: over 1 week by 22 days; it fits at 25h/week

Nothing was changed; `roadmap config --hours mon-fri=1h,sat-sun=2h` would make it so.

From your history
  No calibration yet: 1 finished task with time logged; a calibration needs at least 3.
"
    );
    // Nothing was written.
    assert_eq!(env.on("2027-01-11").args(["config", "--json"]).json()["hours"]["mon"], 120);
}

#[test]
fn forecast_needs_other_hours() {
    let env = week_one();
    // Without other hours, `forecast` shows only what the history says.
    let out = env.on("2027-01-11").args(["forecast"]).ok();
    assert!(out.starts_with("From your history\n  No calibration yet: "), "{out}");
    env.on("2027-01-11")
        .args(["forecast", "--weekly", "200h"])
        .assert()
        .code(2)
        .stderr("error: --weekly: `200h` is more than the 168 hours of a week\n");
}

#[test]
fn next_says_when_the_current_phase_is_over_its_window() {
    let env = week_one();
    env.on("2027-01-11").args(["done", "read"]).ok();
    // p2 from Mon 01-11: 20h at 13.5h a week ends Fri 01-22, 5 days over 1
    // week; alone, 25 h/week ends it by Sun 01-17 (see the report test).
    let text = env.on("2027-01-11").args(["next"]).ok();
    assert!(
        text.ends_with(
            "1 day ahead of the baseline · plan ends 2027-01-22 (baseline 2027-01-23)\n\
             p2 Projects: over 1 week by 5 days; it fits at 25h/week\n"
        ),
        "{text}"
    );
    let phase = &env.on("2027-01-11").args(["next", "--json"]).json()["phase"];
    assert_eq!(phase["window"]["verdict"], "over");
    assert_eq!(phase["window"]["days"], 5);
    assert_eq!(phase["window"]["weekly_minutes_to_fit"], 1500);
}

/// A month of daily use: each day the learner does what `next` plans,
/// except on Fridays (half of it, logged), and Sundays (nothing); leetcode
/// kept at 2, 1 on Wednesdays, skipped on Sundays; two days off.
#[test]
fn after_a_scripted_month_the_three_forms_agree_with_the_state() {
    let env = started();
    env.on("2027-01-19").args(["off", "2027-01-20..2027-01-21", "--note", "trip"]).ok();
    let mut day = chrono::NaiveDate::from_ymd_opt(2027, 1, 4).unwrap();
    let end = chrono::NaiveDate::from_ymd_opt(2027, 1, 31).unwrap();
    while day <= end {
        let today = day.to_string();
        let weekday = chrono::Datelike::weekday(&day);
        use chrono::Weekday::{Fri, Mon, Sun, Wed};
        if weekday != Sun {
            let count = if weekday == Wed { "1" } else { "2" };
            env.on(&today).args(["done", "leet", "--count", count]).ok();
        }
        if weekday == Mon {
            env.on(&today).args(["done", "paper"]).ok();
        }
        let next = env.on(&today).args(["next", "--json"]).json();
        for task in next["today"]["tasks"].as_array().unwrap() {
            let id = task["id"].as_str().unwrap();
            let minutes = task["minutes_today"].as_u64().unwrap();
            let left = task["remaining_minutes"].as_u64().unwrap();
            match weekday {
                Sun => {}
                Fri => {
                    env.on(&today).args(["log", id, &format!("{}m", minutes.div_ceil(2))]).ok();
                }
                _ if minutes >= left => {
                    env.on(&today).args(["done", id]).ok();
                }
                _ => {
                    env.on(&today).args(["log", id, &format!("{minutes}m")]).ok();
                }
            }
        }
        day = day.succ_opt().unwrap();
    }
    let args = ["report", "--week", "last"];
    let json = env.on("2027-02-01").args([&args[..], &["--json"]].concat()).json();
    let table = env.on("2027-02-01").args(args).ok();
    let markdown = env.on("2027-02-01").args([&args[..], &["--format", "markdown"]].concat()).ok();
    assert_eq!(json["period"]["from"], "2027-01-25");
    let minutes = |v: &Value| v.as_u64().unwrap();

    // The figures agree with each other and with the state.
    let days_earned: u64 = json["days"].as_array().unwrap().iter().map(|d| minutes(&d["earned_minutes"])).sum();
    assert_eq!(days_earned, minutes(&json["earned_minutes"]));
    let tasks_earned: u64 = json["done"]
        .as_array()
        .unwrap()
        .iter()
        .chain(json["worked"].as_array().unwrap())
        .map(|t| minutes(&t["earned_minutes"]))
        .sum();
    assert_eq!(tasks_earned, minutes(&json["earned_minutes"]));
    let days_planned: u64 = json["days"].as_array().unwrap().iter().map(|d| minutes(&d["planned_minutes"])).sum();
    assert_eq!(days_planned, minutes(&json["planned_minutes"]));
    // Logged: the Fridays' half days and the days worked without finishing,
    // each day's sum the week's.
    let days_logged: u64 = json["days"].as_array().unwrap().iter().map(|d| minutes(&d["logged_minutes"])).sum();
    assert_eq!(days_logged, minutes(&json["logged_minutes"]));
    let next = env.on("2027-02-01").args(["next", "--json"]).json();
    assert_eq!(json["plan"]["earned_minutes"], next["progress"]["earned_minutes"]);
    assert_eq!(json["plan"]["total_minutes"], next["progress"]["total_minutes"]);
    assert_eq!(json["plan"]["forecast_end"], next["forecast_end"]);
    let month =
        env.on("2027-02-01").args(["report", "--since", "2027-01-04", "--until", "2027-01-31", "--json"]).json();
    assert_eq!(month["earned_minutes"], json["plan"]["earned_minutes"]);
    let velocity_days: u64 = month["days"].as_array().unwrap()[..].iter().map(|d| minutes(&d["earned_minutes"])).sum();
    assert_eq!(json["velocity"]["days"], 28);
    assert_eq!(minutes(&json["velocity"]["weekly_minutes"]), velocity_days * 7 / 28);

    // The three forms carry the same numbers.
    // Durations as every screen writes them: `9h`, `1h30m`, `45m`.
    let hours = |m: u64| match (m / 60, m % 60) {
        (0, 0) => "0h".to_string(),
        (0, m) => format!("{m}m"),
        (h, 0) => format!("{h}h"),
        (h, m) => format!("{h}h{m}m"),
    };
    let earned_line = match json["earned_percent"].as_u64() {
        Some(percent) => format!(
            "Earned {} of {} planned ({percent}%)",
            hours(minutes(&json["earned_minutes"])),
            hours(minutes(&json["planned_minutes"])),
        ),
        None => format!("Earned {} (nothing planned by the baseline)", hours(minutes(&json["earned_minutes"]))),
    };
    let earned_line = format!("{earned_line} · logged {}", hours(minutes(&json["logged_minutes"])));
    assert!(table.contains(&format!("{earned_line}\n")), "{table}");
    assert!(markdown.contains(&format!("**{earned_line}**\n")), "{markdown}");
    for phase in json["phases"].as_array().unwrap() {
        let hours_cell =
            format!("{}/{}", hours(minutes(&phase["earned_minutes"])), hours(minutes(&phase["total_minutes"])));
        let end = phase["forecast_end"].as_str().unwrap();
        assert!(table.contains(&hours_cell) && table.contains(end), "{table}");
        assert!(markdown.contains(&format!("| {}% | {hours_cell} | {end} |", phase["percent"])), "{markdown}");
    }
    for habit in json["habits"].as_array().unwrap() {
        let count = format!("{}/{}", habit["done"], habit["target_total"]);
        assert!(table.contains(&count) && markdown.contains(&count), "{count}");
    }
    let pace = format!(
        "At your pace of the last 4 weeks ({}/week earned): ends {}",
        hours(minutes(&json["velocity"]["weekly_minutes"])),
        json["plan"]["end_at_velocity"].as_str().unwrap()
    );
    assert!(table.contains(&pace) && markdown.contains(&pace), "{table}");
    assert!(table.starts_with("Week 4 of 2027 · Mon 2027-01-25 – Sun 2027-01-31 · "), "{table}");
}
