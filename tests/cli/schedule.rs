//! The scheduler against hand-computed dates, and its invariants on
//! arbitrary plans, calendars and progress.

use chrono::{Datelike, NaiveDate};
use proptest::prelude::*;
use roadmap::core::calendar::{Calendar, DayOff, WeekHours};
use roadmap::core::effort::Effort;
use roadmap::core::plan::{Plan, load};
use roadmap::core::schedule::{
    Input, Schedule, ScheduleError, Work, schedule, verdicts, weekly_hours_to_fit, work_order,
};
use roadmap::core::window::Fit;

fn d(s: &str) -> NaiveDate {
    s.parse().expect("test date")
}

fn plan(yaml: &str) -> Plan {
    load("test plan", yaml.as_bytes()).unwrap_or_else(|e| panic!("{e}"))
}

fn open(plan: &Plan) -> Vec<Work> {
    plan.tasks.iter().map(|t| Work::Open { remaining: t.effort, first: None }).collect()
}

fn run(plan: &Plan, calendar: &Calendar, work: &[Work], today: &str) -> Schedule {
    schedule(Input { plan, calendar, work, today: d(today) }).unwrap_or_else(|e| panic!("{e}"))
}

/// (start, end) per task, as `MM-DD` strings.
fn spans(s: &Schedule) -> Vec<Option<(String, String)>> {
    s.tasks
        .iter()
        .map(|slot| slot.as_ref().map(|s| (s.start.format("%m-%d").to_string(), s.end.format("%m-%d").to_string())))
        .collect()
}

fn span(a: &str, b: &str) -> Option<(String, String)> {
    Some((a.to_string(), b.to_string()))
}

const ONE_MODULE: &str = "
format: 1
id: t
title: T
phases:
  - id: p1
    title: P1
    modules:
      - id: m
        title: M
        tasks:
          - {id: a, title: A, effort: 3h}
          - {id: b, title: B, effort: 2h}
          - {id: c, title: C, effort: 5h}
";

// 2027-01-04 is a Monday.
const MONDAY: &str = "2027-01-04";

fn every_day(hours: u32) -> WeekHours {
    WeekHours::from_array([hours * 60; 7])
}

#[test]
fn tasks_follow_each_other_within_and_across_days() {
    let p = plan(ONE_MODULE);
    let cal = Calendar::new(d(MONDAY), every_day(2));
    let s = run(&p, &cal, &open(&p), MONDAY);
    // a: Mon 2h + Tue 1h; b: Tue 1h + Wed 1h; c: Wed 1h, Thu 2h, Fri 2h.
    assert_eq!(spans(&s), vec![span("01-04", "01-05"), span("01-05", "01-06"), span("01-06", "01-08")]);
    assert_eq!(s.tasks[1].as_ref().map(|t| t.days.clone()), Some(vec![(d("2027-01-05"), 60), (d("2027-01-06"), 60)]));
    assert_eq!(s.end, Some(d("2027-01-08")));
}

#[test]
fn habits_reserve_hours_on_their_due_days() {
    let yaml = format!(
        "{ONE_MODULE}habits:\n  - {{id: h, title: H, every: day, effort: 30m}}\n  - {{id: w, title: W, every: wed, effort: 90m}}\n"
    );
    let p = plan(&yaml);
    let cal = Calendar::new(d(MONDAY), every_day(2));
    let s = run(&p, &cal, &open(&p), MONDAY);
    // 1.5h a day, Wednesday 0h (2h - 30m - 90m).
    // a 3h: Mon 1.5 + Tue 1.5. b 2h: Thu 1.5 + Fri 0.5. c 5h: Fri 1, Sat 1.5, Sun 1.5, Mon 1.
    assert_eq!(spans(&s), vec![span("01-04", "01-05"), span("01-07", "01-08"), span("01-08", "01-11")]);
}

#[test]
fn days_off_get_nothing() {
    let p = plan(ONE_MODULE);
    let mut cal = Calendar::new(d(MONDAY), every_day(2));
    cal.add_off(DayOff { from: d("2027-01-05"), to: d("2027-01-06"), note: None });
    let s = run(&p, &cal, &open(&p), MONDAY);
    // a: Mon 2h, Thu 1h; b: Thu 1h, Fri 1h; c: Fri 1h, Sat 2h, Sun 2h.
    assert_eq!(spans(&s), vec![span("01-04", "01-07"), span("01-07", "01-08"), span("01-08", "01-10")]);
}

#[test]
fn dependencies_reorder_but_keep_plan_order_otherwise() {
    let yaml = ONE_MODULE.replace("{id: a, title: A, effort: 3h}", "{id: a, title: A, effort: 3h, after: [c]}");
    let p = plan(&yaml);
    assert_eq!(work_order(&p, &open(&p)), vec![1, 2, 0]);
    let cal = Calendar::new(d(MONDAY), every_day(2));
    let s = run(&p, &cal, &open(&p), MONDAY);
    // b: Mon 2h; c: Tue 2, Wed 2, Thu 1; a: Thu 1, Fri 2.
    assert_eq!(spans(&s), vec![span("01-07", "01-08"), span("01-04", "01-04"), span("01-05", "01-07")]);
}

const TWO_PHASES: &str = "
format: 1
id: t
title: T
tracks:
  - {id: x, title: X}
  - {id: y, title: Y}
phases:
  - id: p1
    title: P1
    duration: 1 week
    modules:
      - id: m
        title: M
        tasks:
          - {id: a, title: A, effort: 4h}
          - {id: b, title: B, effort: 20h, track: x}
  - id: p2
    title: P2
    modules:
      - id: m
        title: M
        tasks:
          - {id: c, title: C, effort: 3h, after: [p1.m.a]}
          - {id: d, title: D, effort: 2h, track: y}
habits:
  - {id: h, title: H, every: day, effort: 1h, phases: [p2]}
";

#[test]
fn phases_follow_each_other_and_phase_habits_reserve_only_in_their_phase() {
    let p = plan(TWO_PHASES);
    let cal = Calendar::new(d(MONDAY), every_day(2));
    let s = run(&p, &cal, &open(&p), MONDAY);
    // p1: a Mon–Tue, b Wed 2h … 20h = 10 days → Wed 01-06 … Fri 01-15.
    // p2 starts Sat 01-16 with the habit reserving 1h: c 3h Sat–Mon, d 2h Tue–Wed.
    assert_eq!(
        spans(&s),
        vec![span("01-04", "01-05"), span("01-06", "01-15"), span("01-16", "01-18"), span("01-19", "01-20")]
    );
    let p1 = s.phases[0].expect("p1 span");
    assert_eq!((p1.first, p1.last, p1.days()), (d("2027-01-04"), d("2027-01-15"), 12));
}

#[test]
fn unselected_tracks_are_out_of_the_schedule() {
    let p = plan(TWO_PHASES);
    let cal = Calendar::new(d(MONDAY), every_day(2));
    let mut work = open(&p);
    work[1] = Work::Unselected; // track x off
    let s = run(&p, &cal, &work, MONDAY);
    // a Mon–Tue; p2 from Tue? No: a ends Tue (2h Mon + 2h Tue); c starts Wed with 1h/day: Wed, Thu, Fri.
    assert_eq!(spans(&s), vec![span("01-04", "01-05"), None, span("01-06", "01-08"), span("01-09", "01-10")]);
}

#[test]
fn done_tasks_sit_at_their_dates_and_remaining_work_starts_today() {
    let p = plan(ONE_MODULE);
    let cal = Calendar::new(d(MONDAY), every_day(2));
    let mut work = open(&p);
    work[0] = Work::Done { first: d("2027-01-04"), on: d("2027-01-06"), logged: Effort::ZERO };
    work[1] = Work::Skipped;
    work[2] = Work::Open { remaining: Effort::from_hours(3), first: Some(d("2027-01-05")) };
    let s = run(&p, &cal, &work, "2027-01-08");
    // c has 2h logged of 5h: 3h left from Fri 01-08: Fri 2h, Sat 1h; its start is its first worked day.
    assert_eq!(spans(&s), vec![span("01-04", "01-06"), None, span("01-05", "01-09")]);
    assert_eq!(s.tasks[2].as_ref().map(|t| t.days.clone()), Some(vec![(d("2027-01-08"), 120), (d("2027-01-09"), 60)]));
}

#[test]
fn a_calendar_without_capacity_is_an_error_not_a_loop() {
    let yaml = format!("{ONE_MODULE}habits:\n  - {{id: h, title: H, every: day, effort: 2h}}\n");
    let p = plan(&yaml);
    let cal = Calendar::new(d(MONDAY), every_day(2));
    let result = schedule(Input { plan: &p, calendar: &cal, work: &open(&p), today: d(MONDAY) });
    assert_eq!(result, Err(ScheduleError::NoCapacity { from: d(MONDAY) }));
}

#[test]
fn over_window_reports_the_weekly_hours_that_would_fit() {
    let p = plan(TWO_PHASES);
    let cal = Calendar::new(d(MONDAY), every_day(2));
    let work = open(&p);
    let s = run(&p, &cal, &work, MONDAY);
    let v = verdicts(&p, &cal, &work, &s, d(MONDAY));
    // p1 runs 01-04..01-15 (24h at 2h/day); a 1-week window ends 01-10: over by 5 days.
    // 24h in 7 days: 14h/week scaled to W gives floor(120·W/14) min a day; W = 24h → 205 min·7 = 1435 < 1440;
    // W = 24.5h → 210 min·7 = 1470 ≥ 1440. So 24.5 h/week.
    let verdict = v[0].expect("p1 has a window");
    assert_eq!(verdict.fit, Fit::Over { days: 5 });
    assert_eq!(verdict.weekly_to_fit, Some(24 * 60 + 30));
    assert_eq!(v[1], None, "p2 has no window");
}

// ---------------------------------------------------------------------------
// Invariants on arbitrary inputs.

#[derive(Clone, Debug)]
struct Case {
    /// Per phase, per module, task efforts in minutes.
    phases: Vec<Vec<Vec<u32>>>,
    /// (task index, dependency index) pairs, kept only when valid.
    deps: Vec<(usize, usize)>,
    /// Weekday minutes.
    hours: [u32; 7],
    /// (every, effort minutes, phase restriction)
    habits: Vec<(u8, u32, Option<usize>)>,
    /// (offset from start, length) of days off.
    off: Vec<(u8, u8)>,
    /// Per task: 0 open, 1 done, 2 skipped, 3 logged, 4 unselected.
    states: Vec<u8>,
    /// Today's offset from the start.
    today: u16,
}

fn case() -> impl Strategy<Value = Case> {
    (
        prop::collection::vec(prop::collection::vec(prop::collection::vec(15u32..1500, 1..5), 1..3), 1..4),
        prop::collection::vec((0usize..40, 0usize..40), 0..15),
        prop::array::uniform7(0u32..300),
        prop::collection::vec((0u8..4, 0u32..90, prop::option::of(0usize..3)), 0..3),
        prop::collection::vec((0u8..120, 0u8..10), 0..4),
        prop::collection::vec(0u8..5, 40),
        0u16..60,
    )
        .prop_map(|(phases, deps, hours, habits, off, states, today)| Case {
            phases,
            deps,
            hours,
            habits,
            off,
            states,
            today,
        })
}

fn build(case: &Case) -> (Plan, Calendar, Vec<Work>, NaiveDate) {
    build_with_windows(case, &[])
}

/// As `build`, phase `p` with a window of `windows[p]` weeks when given.
fn build_with_windows(case: &Case, windows: &[u8]) -> (Plan, Calendar, Vec<Work>, NaiveDate) {
    let mut yaml = String::from("format: 1\nid: gen\ntitle: Gen\ntracks: [{id: x}]\nphases:\n");
    let mut ids = Vec::new();
    for (p, modules) in case.phases.iter().enumerate() {
        yaml += &format!("  - id: p{p}\n    title: P{p}\n");
        if let Some(weeks) = windows.get(p) {
            yaml += &format!("    duration: {weeks} weeks\n");
        }
        yaml += "    modules:\n";
        for (m, tasks) in modules.iter().enumerate() {
            yaml += &format!("      - id: m{m}\n        title: M{m}\n        tasks:\n");
            for (t, minutes) in tasks.iter().enumerate() {
                ids.push((format!("p{p}.m{m}.t{t}"), p));
                yaml += &format!("          - id: t{t}\n            title: T{t}\n            effort: {minutes}m\n");
                let me = ids.len() - 1;
                let after: Vec<String> = case
                    .deps
                    .iter()
                    .filter(|(task, dep)| *task == me && *dep < me && ids[*dep].1 <= p)
                    .map(|(_, dep)| ids[*dep].0.clone())
                    .collect();
                if !after.is_empty() {
                    yaml += &format!("            after: [{}]\n", after.join(", "));
                }
                if case.states.get(me) == Some(&4) {
                    yaml += "            track: x\n";
                }
            }
        }
    }
    if !case.habits.is_empty() {
        yaml += "habits:\n";
        for (i, (every, minutes, phase)) in case.habits.iter().enumerate() {
            let every = ["day", "weekdays", "mon,thu", "2 days"][usize::from(*every)];
            yaml += &format!("  - id: h{i}\n    title: H{i}\n    every: {every}\n    effort: {}m\n", minutes + 1);
            if let Some(p) = phase.filter(|p| *p < case.phases.len()) {
                yaml += &format!("    phases: [p{p}]\n");
            }
        }
    }
    let plan = load("generated", yaml.as_bytes()).unwrap_or_else(|e| panic!("{e}\n{yaml}"));
    let start = d("2027-01-04");
    let mut hours = case.hours;
    // At least one day with more hours than all habits can take, so the plan can finish.
    hours[5] = 600;
    let mut calendar = Calendar::new(start, WeekHours::from_array(hours));
    for &(offset, len) in &case.off {
        let from = start + chrono::Days::new(u64::from(offset));
        calendar.add_off(DayOff { from, to: from + chrono::Days::new(u64::from(len)), note: None });
    }
    let today = start + chrono::Days::new(u64::from(case.today));
    let work = plan
        .tasks
        .iter()
        .enumerate()
        .map(|(i, t)| match case.states.get(i).copied().unwrap_or(0) {
            1 => Work::Done { first: start, on: start, logged: Effort::ZERO },
            2 => Work::Skipped,
            3 => Work::Open { remaining: Effort::from_minutes(t.effort.minutes() / 2), first: Some(start) },
            4 => Work::Unselected,
            _ => Work::Open { remaining: t.effort, first: None },
        })
        .collect();
    (plan, calendar, work, today)
}

/// `weekly_hours_to_fit` as the contract words it, by brute force: the whole
/// scheduler run on the phase alone (other phases out, its finished tasks
/// at their dates, its logged hours as logged) from today or the phase's
/// first day, whichever is later, for every weekly total tried. The real
/// one takes a shortcut.
fn weekly_hours_to_fit_by_scheduling(
    plan: &Plan,
    calendar: &Calendar,
    work: &[Work],
    p: usize,
    first: NaiveDate,
    today: NaiveDate,
) -> Option<u32> {
    let window = plan.phases[p].duration.as_ref()?;
    let latest = window.latest_end(first)?;
    let base = calendar.hours.weekly().minutes();
    if base == 0 {
        return None;
    }
    let phase_work: Vec<Work> =
        work.iter().enumerate().map(|(i, w)| if plan.tasks[i].phase == p { *w } else { Work::Unselected }).collect();
    if !phase_work.iter().any(|w| matches!(w, Work::Open { .. })) {
        return None;
    }
    let ends_in_time = |weekly: u32| {
        let mut scaled = calendar.clone();
        scaled.hours = calendar.hours.scaled_ratio(weekly, base);
        let input = Input { plan, calendar: &scaled, work: &phase_work, today: today.max(first) };
        matches!(schedule(input), Ok(s) if s.end.is_some_and(|e| e <= latest))
    };
    (1u32..=168 * 2).find(|&steps| ends_in_time(steps * 30)).map(|steps| steps * 30)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn weekly_hours_to_fit_matches_scheduling_the_phase(
        case in case(),
        windows in prop::collection::vec(1u8..6, 4),
        first_offset in 0u64..30,
        first_before_today in any::<bool>(),
    ) {
        let (plan, calendar, work, today) = build_with_windows(&case, &windows);
        // The phase's first day: later than today (a phase still ahead), or
        // earlier (a phase under way, its finished work in the past).
        let first = if first_before_today {
            calendar.start.max(today - chrono::Days::new(first_offset))
        } else {
            today + chrono::Days::new(first_offset)
        };
        for p in 0..plan.phases.len() {
            prop_assert_eq!(
                weekly_hours_to_fit(&plan, &calendar, &work, p, first, today),
                weekly_hours_to_fit_by_scheduling(&plan, &calendar, &work, p, first, today),
                "phase {}", p
            );
        }
    }

    #[test]
    fn schedule_invariants(case in case()) {
        let (plan, calendar, work, today) = build(&case);
        let input = Input { plan: &plan, calendar: &calendar, work: &work, today };
        let s = schedule(input).map_err(|e| TestCaseError::fail(e.to_string()))?;
        // Deterministic.
        prop_assert_eq!(&schedule(input).map_err(|e| TestCaseError::fail(e.to_string()))?, &s);
        let order = work_order(&plan, &work);
        let mut per_day: std::collections::BTreeMap<NaiveDate, (u32, usize)> = Default::default();
        for (i, w) in work.iter().enumerate() {
            let slot = &s.tasks[i];
            match w {
                Work::Unselected | Work::Skipped => prop_assert!(slot.is_none(), "task {} must be out", i),
                Work::Done { on, .. } => {
                    let slot = slot.as_ref().ok_or_else(|| TestCaseError::fail("done task missing"))?;
                    prop_assert_eq!(slot.end, *on);
                    prop_assert!(slot.days.is_empty());
                }
                Work::Open { remaining, .. } => {
                    let slot = slot.as_ref().ok_or_else(|| TestCaseError::fail("open task missing"))?;
                    prop_assert_eq!(order.iter().filter(|&&o| o == i).count(), 1, "scheduled exactly once");
                    let planned: u32 = slot.days.iter().map(|d| d.1).sum();
                    prop_assert_eq!(planned, remaining.minutes(), "scheduled hours equal remaining effort");
                    for &(day, minutes) in &slot.days {
                        prop_assert!(day >= today, "work is planned from today");
                        prop_assert!(!calendar.is_off(day), "days off get nothing");
                        prop_assert!(minutes > 0);
                        let position = order.iter().position(|&o| o == i).unwrap_or(usize::MAX);
                        let entry = per_day.entry(day).or_insert((0, position));
                        entry.0 += minutes;
                        entry.1 = entry.1.min(position);
                    }
                    for &dep in &plan.tasks[i].after {
                        if let (Work::Open { .. }, Some(dep_slot)) = (work[dep], &s.tasks[dep]) {
                            prop_assert!(dep_slot.end <= slot.days.first().map_or(slot.end, |d| d.0), "dependency first");
                        }
                    }
                }
            }
        }
        for (day, (minutes, first)) in per_day {
            let phase = plan.tasks[order[first]].phase;
            let capacity = calendar.capacity(&plan, day, Some(phase));
            prop_assert!(minutes <= capacity, "{} planned {} > capacity {} ({:?})", day, minutes, capacity, day.weekday());
        }
        // Phases in sequence: every open task of a later phase starts after the earlier phases' open work ends.
        let last_of_phase = |p: usize| plan.phases[p].tasks.clone().filter_map(|i| match work[i] {
            Work::Open { .. } => s.tasks[i].as_ref().and_then(|t| t.days.last().map(|d| d.0)),
            _ => None,
        }).max();
        for p in 1..plan.phases.len() {
            if let Some(before) = (0..p).filter_map(last_of_phase).max() {
                for i in plan.phases[p].tasks.clone() {
                    if let (Work::Open { .. }, Some(slot)) = (work[i], &s.tasks[i])
                        && let Some(first) = slot.days.first() {
                            prop_assert!(first.0 >= before, "phase order");
                        }
                }
            }
        }
    }
}
