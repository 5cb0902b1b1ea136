//! Property tests for the loaders and the replay: arbitrary bytes, YAML-ish
//! plans and JSON-ish state files never panic the plan loader, the state
//! parser, the replay or the scheduler behind them; any cut of a state file
//! (a crash at any byte) loads as a prefix of its events; replay follows
//! the events (undo is as if never recorded, time logged adds up, the last
//! word on a task's status wins). The fuzz targets in `fuzz/` run the same
//! loaders for longer.

use proptest::prelude::*;
use proptest::sample::Index;
use roadmap::core::calendar::{Calendar, DayOff, WeekHours};
use roadmap::core::effort::Effort;
use roadmap::core::outlook::Outlook;
use roadmap::core::plan::Plan;
use roadmap::core::progress::{self, Status};
use roadmap::core::schedule::Work;
use roadmap::core::state::codec;
use roadmap::core::state::{Baseline, Change, Event, EventId, Header, Kind, PlanRef, STATE_VERSION, State, TaskId};
use serde_json::{Value, json};
use std::sync::OnceLock;

fn config(cases: u32) -> ProptestConfig {
    ProptestConfig { cases, failure_persistence: None, ..ProptestConfig::default() }
}

fn day(n: u16) -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(2027, 1, 4).expect("a date") + chrono::Days::new(u64::from(n))
}

/// Schedules a loaded plan as `validate` does; must not panic.
fn schedule_plan(plan: &Plan) {
    let calendar = Calendar::new(day(0), WeekHours::DEFAULT);
    let work = plan.tasks.iter().map(|t| Work::Open { remaining: t.effort, first: None }).collect();
    if let Ok(outlook) = Outlook::with_calendar(plan, &calendar, work, day(0)) {
        let _ = outlook.current_phase(plan, day(0));
    }
}

/// The default built-in plan, loaded once.
fn builtin() -> &'static Plan {
    static PLAN: OnceLock<Plan> = OnceLock::new();
    PLAN.get_or_init(|| {
        let b = roadmap::core::plan::builtin::default_plan();
        roadmap::core::plan::load(b.name, b.text.as_bytes()).expect("the built-in plan loads")
    })
}

/// Parses, replays and schedules against the built-in plan; must not panic.
fn load_state(bytes: &[u8]) {
    let Ok(loaded) = codec::parse(bytes) else {
        return;
    };
    let Ok(progress) = progress::replay(&loaded.state) else {
        return;
    };
    let plan = builtin();
    let _ = progress.orphans(plan);
    if let Ok(outlook) = Outlook::new(plan, &progress, day(10)) {
        let _ = outlook.current_phase(plan, day(10));
    }
}

// ------------------------------------------------------------ YAML-ish plans

fn text_pool() -> impl Strategy<Value = Value> {
    prop_oneof![
        4 => prop::sample::select(vec![
            "p1", "m", "t", "a-b", "P One", "20h", "1.5h", "90m", "2h 30m", "0h", "-3h", "0.01h", "20", "2-3 months",
            "3-6个月", "1-N年", "6 weeks", "5-2 weeks", "day", "mon,thu", "2 weeks", "every day", "p1.m.t", "x", "",
            "~", "null", "true", "a\tb", "ü", "编辑距离", "&a", "*a", "- x", "{", "[",
        ])
        .prop_map(|s| json!(s)),
        1 => "[a-z0-9.-]{0,12}".prop_map(|s| json!(s)),
        1 => any::<i64>().prop_map(|n| json!(n)),
        1 => prop::sample::select(vec![json!(0), json!(1), json!(2), json!(-1), json!(1.5), json!(null), json!(true)]),
    ]
}

/// Mostly a value from `good`, sometimes noise from the pool above.
fn mostly(good: Vec<&'static str>) -> BoxedStrategy<Value> {
    prop_oneof![
        12 => prop::sample::select(good).prop_map(|s| json!(s)),
        1 => text_pool(),
    ]
    .boxed()
}

fn title() -> BoxedStrategy<Value> {
    prop_oneof![12 => "[A-Za-z][A-Za-z ]{0,8}".prop_map(|s| json!(s)), 1 => text_pool()].boxed()
}

fn list_of(item: impl Strategy<Value = Value>, max: usize) -> impl Strategy<Value = Value> {
    prop::collection::vec(item, 0..max).prop_map(Value::Array)
}

/// A mapping: required fields almost always there, optional ones often,
/// and now and then a misspelt key.
fn mapping(fields: Vec<(&'static str, bool, BoxedStrategy<Value>)>) -> impl Strategy<Value = Value> {
    let names: Vec<&'static str> = fields.iter().map(|(k, _, _)| *k).collect();
    let values: Vec<BoxedStrategy<Option<Value>>> = fields
        .into_iter()
        .map(|(_, required, s)| prop::option::weighted(if required { 0.97 } else { 0.5 }, s).boxed())
        .collect();
    (values, prop::option::weighted(0.03, text_pool())).prop_map(move |(values, extra)| {
        let mut map = serde_json::Map::new();
        for (k, v) in names.iter().zip(values) {
            if let Some(v) = v {
                map.insert((*k).to_string(), v);
            }
        }
        if let Some(extra) = extra {
            map.insert("efort".into(), extra);
        }
        Value::Object(map)
    })
}

fn task() -> impl Strategy<Value = Value> {
    mapping(vec![
        ("id", true, mostly(vec!["a", "b", "c", "d"])),
        ("title", true, title()),
        ("effort", true, mostly(vec!["20h", "1.5h", "90m", "2h 30m", "1m", "100000h"])),
        ("after", false, list_of(mostly(vec!["a", "b", "c", "p1.m.a", "p1.n.b", "p2.m.a"]), 3).boxed()),
        ("track", false, mostly(vec!["x", "y"])),
        (
            "deliverables",
            false,
            list_of(prop_oneof![title(), Just(json!({"id": "d", "title": "D"})), Just(json!({"title": "no id"}))], 3)
                .boxed(),
        ),
        ("resources", false, list_of(prop_oneof![title(), Just(json!({"title": "R", "url": "https://x"}))], 2).boxed()),
        ("notes", false, title()),
    ])
}

fn module() -> impl Strategy<Value = Value> {
    mapping(vec![
        ("id", true, mostly(vec!["m", "n"])),
        ("title", true, title()),
        ("tasks", true, prop_oneof![12 => list_of(task(), 5), 1 => text_pool()].boxed()),
    ])
}

fn phase() -> impl Strategy<Value = Value> {
    mapping(vec![
        ("id", true, mostly(vec!["p1", "p2", "p3"])),
        ("title", true, title()),
        ("duration", false, mostly(vec!["2-3 months", "3-6个月", "1-N年", "6 weeks", "1 day", "2+ weeks"])),
        ("modules", true, prop_oneof![12 => list_of(module(), 3), 1 => text_pool()].boxed()),
    ])
}

fn habit() -> impl Strategy<Value = Value> {
    mapping(vec![
        ("id", true, mostly(vec!["h", "g"])),
        ("title", true, title()),
        ("every", true, mostly(vec!["day", "weekdays", "mon,thu", "2 weeks", "month", "3 days"])),
        ("target", false, prop_oneof![8 => (1u32..5).prop_map(|n| json!(n)), 1 => text_pool()].boxed()),
        ("effort", false, mostly(vec!["30m", "1h", "3h"])),
        ("phases", false, list_of(mostly(vec!["p1", "p2"]), 2).boxed()),
    ])
}

fn plan_value() -> impl Strategy<Value = Value> {
    mapping(vec![
        ("format", true, prop_oneof![12 => Just(json!(1)), 1 => text_pool()].boxed()),
        ("id", true, mostly(vec!["plan", "my-plan"])),
        ("title", true, title()),
        (
            "tracks",
            false,
            list_of(prop_oneof![Just(json!({"id": "x", "title": "X"})), Just(json!({"id": "y"}))], 3).boxed(),
        ),
        ("phases", true, prop_oneof![12 => list_of(phase(), 3), 1 => text_pool()].boxed()),
        ("habits", false, list_of(habit(), 3).boxed()),
    ])
}

/// A plan that follows every rule: ids unique by construction, `after`
/// naming earlier tasks of the same module, tracks declared.
fn valid_plan() -> impl Strategy<Value = Value> {
    let effort = prop::sample::select(vec!["20h", "1.5h", "90m", "2h 30m", "1m", "300h"]);
    let task = (effort, prop::option::of(any::<Index>()), prop::option::of(prop::bool::ANY), any::<bool>());
    let module = prop::collection::vec(task, 1..5);
    let phase = (
        prop::collection::vec(module, 1..3),
        prop::option::of(prop::sample::select(vec!["2-3 months", "1 week", "1-N年", "3+ days"])),
    );
    let habit = (
        prop::sample::select(vec!["day", "weekdays", "mon,thu", "2 weeks", "month"]),
        prop::sample::select(vec!["10m", "30m", "1h"]),
        1u32..3,
    );
    (prop::collection::vec(phase, 1..4), prop::collection::vec(habit, 0..3)).prop_map(|(phases, habits)| {
        let phases: Vec<Value> = phases
            .into_iter()
            .enumerate()
            .map(|(p, (modules, duration))| {
                let modules: Vec<Value> = modules
                    .into_iter()
                    .enumerate()
                    .map(|(m, tasks)| {
                        let tasks: Vec<Value> = tasks
                            .iter()
                            .enumerate()
                            .map(|(t, (effort, after, track, deliverable))| {
                                let mut task = json!({"id": format!("t{t}"), "title": format!("Task {p}.{m}.{t}"), "effort": effort});
                                if let (Some(after), true) = (after, t > 0) {
                                    task["after"] = json!([format!("t{}", after.index(t))]);
                                }
                                if let Some(track) = track {
                                    task["track"] = json!(if *track { "x" } else { "y" });
                                }
                                if *deliverable {
                                    task["deliverables"] = json!(["write", {"id": "ship", "title": "Ship"}]);
                                }
                                task
                            })
                            .collect();
                        json!({"id": format!("m{m}"), "title": "Module", "tasks": tasks})
                    })
                    .collect();
                let mut phase = json!({"id": format!("p{p}"), "title": "Phase", "modules": modules});
                if let Some(d) = duration {
                    phase["duration"] = json!(d);
                }
                phase
            })
            .collect();
        let habits: Vec<Value> = habits
            .into_iter()
            .enumerate()
            .map(|(h, (every, effort, target))| {
                json!({"id": format!("h{h}"), "title": "Habit", "every": every, "effort": effort, "target": target})
            })
            .collect();
        json!({
            "format": 1, "id": "valid", "title": "Valid",
            "tracks": [{"id": "x", "title": "X"}, {"id": "y"}],
            "phases": phases, "habits": habits,
        })
    })
}

/// Text edits that turn YAML into YAML-ish: cut, repeat or splice lines,
/// and drop in tokens that mean something to a YAML parser.
#[derive(Clone, Debug)]
enum Edit {
    Cut(Index, Index),
    RepeatLine(Index),
    Insert(Index, &'static str),
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        (any::<Index>(), any::<Index>()).prop_map(|(a, b)| Edit::Cut(a, b)),
        any::<Index>().prop_map(Edit::RepeatLine),
        (
            any::<Index>(),
            prop::sample::select(vec![
                "&a ",
                "*a",
                "!!binary ",
                "? ",
                ": ",
                "- ",
                "\t",
                "\r\n",
                "\n---\n",
                "{",
                "]",
                "'",
                "\"",
                "#",
                "|\n",
                "\u{feff}",
                "\u{0}",
                "  ",
                "<<: *a\n",
                "%YAML 1.2\n",
            ]),
        )
            .prop_map(|(at, s)| Edit::Insert(at, s)),
    ]
}

fn apply_edits(mut text: String, edits: &[Edit]) -> String {
    let char_start = |text: &str, mut at: usize| {
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        at
    };
    let boundary = |text: &str, i: &Index| char_start(text, i.index(text.len() + 1));
    for e in edits {
        match e {
            Edit::Cut(a, b) => {
                let (a, b) = (boundary(&text, a), boundary(&text, b));
                let (a, b) = (a.min(b), a.max(b));
                let end = char_start(&text, b.min(a + 40));
                text.replace_range(a..end, "");
            }
            Edit::RepeatLine(i) => {
                let lines: Vec<&str> = text.lines().collect();
                if !lines.is_empty() {
                    let n = i.index(lines.len());
                    let mut out: Vec<&str> = lines.clone();
                    out.insert(n, lines[n]);
                    text = out.join("\n");
                }
            }
            Edit::Insert(i, s) => {
                let at = boundary(&text, i);
                text.insert_str(at, s);
            }
        }
    }
    text
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn the_plan_loader_never_panics_on_bytes(bytes in prop::collection::vec(any::<u8>(), 0..1024)) {
        if let Ok(plan) = roadmap::core::plan::load("p.yaml", &bytes) {
            schedule_plan(&plan);
        }
    }

    #[test]
    fn the_plan_loader_never_panics_on_yaml_ish_plans(
        value in prop_oneof![valid_plan(), plan_value()],
        flow in any::<bool>(),
        edits in prop_oneof![Just(Vec::new()), prop::collection::vec(edit(), 1..4)],
    ) {
        let yaml = if flow {
            serde_json::to_string(&value).expect("JSON is flow YAML")
        } else {
            serde_yaml::to_string(&value).expect("YAML")
        };
        let text = apply_edits(yaml, &edits);
        match roadmap::core::plan::load("p.yaml", text.as_bytes()) {
            Ok(plan) => schedule_plan(&plan),
            Err(errors) => {
                // Every error names the file, and a location or what it is about.
                prop_assert!(errors.count() > 0);
                let shown = errors.to_string();
                prop_assert!(shown.starts_with("p.yaml"), "{}", shown);
            }
        }
    }

    #[test]
    fn the_state_parser_never_panics_on_bytes(bytes in prop::collection::vec(any::<u8>(), 0..1024)) {
        load_state(&bytes);
    }

    #[test]
    fn the_state_parser_never_panics_on_json_ish_states(
        header in header_value(),
        lines in prop::collection::vec(event_line(), 0..12),
    ) {
        let mut text = header;
        for (i, line) in lines.iter().enumerate() {
            text.push('\n');
            text.push_str(&line.replacen("\"seq\":0,", &format!("\"seq\":{},", i + 1), 1));
        }
        load_state(text.as_bytes());
        text.push('\n');
        load_state(text.as_bytes());
    }
}

// --------------------------------------------------------- JSON-ish states

fn json_pool() -> impl Strategy<Value = Value> {
    prop::sample::select(vec![
        json!(0),
        json!(1),
        json!(2),
        json!(-1),
        json!(1.5),
        json!(4_294_967_295u64),
        json!(u64::MAX),
        json!(null),
        json!(true),
        json!(""),
        json!("2027-01-05"),
        json!("1900-01-01"),
        json!("9999-12-31"),
        json!("+262142-12-31"),
        json!("-0001-01-01"),
        json!("2027-02-29"),
        json!("p4.frontier.moe"),
        json!("leetcode"),
        json!("nosuch"),
        json!([]),
        json!({}),
        json!({"from": "2027-01-05", "to": "2027-01-09"}),
        json!({"from": "9999-12-30", "to": "9999-12-31"}),
        json!({"mon": 1440, "tue": 0, "wed": 0, "thu": 0, "fri": 0, "sat": 0, "sun": 0}),
        json!({"mon": 0, "tue": 0, "wed": 0, "thu": 0, "fri": 0, "sat": 0, "sun": 0}),
        json!(["academic"]),
        json!({"computed": null, "end": "2027-02-01", "tasks": {}, "phases": {}}),
        json!({"hash": "0", "tasks": {"p4.frontier.moe": 60}}),
    ])
}

fn header_value() -> impl Strategy<Value = String> {
    (
        prop::sample::select(vec!["2027-01-04", "1900-01-01", "9999-12-31", "+262142-01-01"]),
        prop::sample::select(vec![0u64, 1, 120, 1440, 1441, 4_294_967_295]),
        any::<bool>(),
    )
        .prop_map(|(start, minutes, tracks)| {
            let mut h = json!({
                "roadmap_state": 1,
                "created": "2027-01-01T00:00:00Z",
                "plan": {"builtin": "llm-career-4-6.zh"},
                "start": start,
                "hours": {"mon": minutes, "tue": 120, "wed": 0, "thu": 0, "fri": 0, "sat": 0, "sun": 0},
                "baseline": {"computed": null, "end": "2027-06-01", "tasks": {}, "phases": {}},
            });
            if tracks {
                h["tracks"] = json!(["industry"]);
            }
            h.to_string()
        })
}

/// Values that fit a field of an event, mostly harmless.
fn good_values(field: &str) -> Vec<Value> {
    match field {
        "task" => {
            ["p4.frontier.moe", "p4.frontier.agent", "p4.oss.hf-contrib", "p9.gone.task"].map(|s| json!(s)).to_vec()
        }
        "habit" => vec![json!("leetcode"), json!("arxiv"), json!("gone")],
        "deliverable" => vec![json!("d"), json!("对比MoE与稠密模型在相同算力下的吞吐量差异")],
        "on" | "start" => ["2027-01-04", "2027-01-05", "2027-02-01", "2026-12-31", "1900-01-01", "9999-12-31"]
            .map(|s| json!(s))
            .to_vec(),
        "count" => vec![json!(1), json!(2), json!(1_000_000)],
        "minutes" => vec![json!(1), json!(90), json!(6_000_000)],
        "off" => vec![
            json!({"from": "2027-01-05", "to": "2027-01-09", "note": "x"}),
            json!({"from": "2027-01-04", "to": "2037-01-01"}),
            json!({"from": "9999-12-30", "to": "9999-12-31"}),
        ],
        "hours" => vec![
            json!({"mon": 60, "tue": 60, "wed": 60, "thu": 60, "fri": 60, "sat": 0, "sun": 0}),
            json!({"mon": 0, "tue": 0, "wed": 0, "thu": 0, "fri": 0, "sat": 0, "sun": 1}),
            json!({"mon": 1440, "tue": 1440, "wed": 1440, "thu": 1440, "fri": 1440, "sat": 1440, "sun": 1440}),
        ],
        "tracks" => vec![json!([]), json!(["industry"]), json!(["nosuch"])],
        "baseline" => vec![json!({"computed": "2027-01-04", "end": "2027-06-01", "tasks": {}, "phases": {}})],
        "snapshot" => vec![json!({"hash": "0", "tasks": {"p4.frontier.moe": 60}})],
        "target" => vec![json!(1), json!(2), json!(99)],
        _ => Vec::new(),
    }
}

/// An event line: usually one that names the fields its kind needs, with
/// values from the pool (valid or hostile), sometimes any fields at all,
/// sometimes not JSON. `seq` 0 is replaced by the line's position.
fn event_line() -> impl Strategy<Value = String> {
    let fields = vec![
        "task",
        "habit",
        "deliverable",
        "on",
        "count",
        "minutes",
        "off",
        "hours",
        "tracks",
        "start",
        "baseline",
        "target",
        "note",
        "snapshot",
    ];
    let needs: Vec<(&str, Vec<&str>)> = vec![
        ("done", vec!["task", "on"]),
        ("reopened", vec!["task"]),
        ("started", vec!["task", "on"]),
        ("skipped", vec!["task"]),
        ("deliverable", vec!["task", "deliverable", "on"]),
        ("checkin", vec!["habit", "on", "count"]),
        ("logged", vec!["task", "on", "minutes"]),
        ("day_off", vec!["off"]),
        ("day_off_removed", vec!["off"]),
        ("settings", vec!["hours", "tracks", "start"]),
        ("rebaselined", vec!["baseline", "snapshot"]),
        ("undo", vec!["target"]),
        ("plan_accepted", vec!["snapshot"]),
        ("teleported", vec!["task"]),
    ];
    prop_oneof![
        10 => (
            prop::sample::select(needs),
            prop::collection::vec((any::<Index>(), json_pool(), prop::bool::weighted(0.9)), 3),
            prop::sample::select(vec![0u64, 0, 0, 0, 0, 0, 0, 1, 7, 9_007_199_254_740_992]),
        )
            .prop_map(|((kind, names), values, seq)| {
                let mut e = json!({"seq": seq, "at": "2027-01-04T10:00:00Z", "kind": kind});
                for (k, (pick, noise, good)) in names.iter().zip(values) {
                    let fitting = good_values(k);
                    e[*k] = if good && !fitting.is_empty() { pick.get(&fitting).clone() } else { noise };
                }
                e.to_string()
            }),
        2 => (
            prop::sample::select(vec!["done", "checkin", "logged", "undo", "settings"]),
            prop::collection::vec((prop::sample::select(fields), json_pool()), 0..5),
        )
            .prop_map(|(kind, fields)| {
                let mut e = json!({"seq": 0, "at": "2027-01-04T10:00:00Z", "kind": kind});
                for (k, v) in fields {
                    e[k] = v;
                }
                e.to_string()
            }),
        1 => "[ -~]{0,40}",
        1 => Just(String::new()),
    ]
}

// ------------------------------------------------- valid event sequences

const TASKS: [&str; 3] = ["p4.frontier.moe", "p4.frontier.agent", "p4.oss.hf-contrib"];

#[derive(Clone, Debug)]
enum Op {
    Done(usize, u16),
    Reopen(usize),
    Start(usize, u16),
    Skip(usize),
    Log(usize, u16, u32),
    Deliverable(usize, u16),
    Checkin(u16, u32),
    Off(u16, u16),
    Hours(u32),
    Undo,
}

fn op() -> impl Strategy<Value = Op> {
    let t = 0..TASKS.len();
    prop_oneof![
        3 => (t.clone(), 0u16..60).prop_map(|(t, d)| Op::Done(t, d)),
        2 => t.clone().prop_map(Op::Reopen),
        2 => (t.clone(), 0u16..60).prop_map(|(t, d)| Op::Start(t, d)),
        1 => t.clone().prop_map(Op::Skip),
        3 => (t.clone(), 0u16..60, 1u32..600).prop_map(|(t, d, m)| Op::Log(t, d, m)),
        1 => (t, 0u16..60).prop_map(|(t, d)| Op::Deliverable(t, d)),
        2 => (0u16..60, 1u32..4).prop_map(|(d, c)| Op::Checkin(d, c)),
        1 => (0u16..60, 0u16..10).prop_map(|(d, n)| Op::Off(d, n)),
        1 => (30u32..600).prop_map(Op::Hours),
        3 => Just(Op::Undo),
    ]
}

fn header() -> Header {
    Header {
        roadmap_state: STATE_VERSION,
        created: "2027-01-01T00:00:00Z".parse().expect("a time"),
        plan: PlanRef::Builtin("llm-career-4-6.zh".into()),
        start: day(0),
        hours: WeekHours::DEFAULT,
        tracks: None,
        baseline: Baseline::default(),
        snapshot: None,
    }
}

/// Events as the commands would record them (undo targets the latest event
/// not yet undone), with seqs and times in order.
fn events(ops: &[Op]) -> Vec<Event> {
    let mut state = State { header: header(), events: Vec::new() };
    for (i, op) in ops.iter().enumerate() {
        let at = "2027-01-04T00:00:00Z".parse::<chrono::DateTime<chrono::Utc>>().expect("a time")
            + chrono::Duration::minutes(i as i64);
        let task = |t: usize| TaskId::from(TASKS[t]);
        let change = match *op {
            Op::Done(t, d) => Change::Done { task: task(t), on: day(d) },
            Op::Reopen(t) => Change::Reopened { task: task(t) },
            Op::Start(t, d) => Change::Started { task: task(t), on: day(d) },
            Op::Skip(t) => Change::Skipped { task: task(t), on: Some(day(0)) },
            Op::Log(t, d, m) => Change::Logged { task: task(t), on: day(d), minutes: Effort::from_minutes(m) },
            Op::Deliverable(t, d) => Change::Deliverable { task: task(t), deliverable: "d".into(), on: day(d) },
            Op::Checkin(d, c) => Change::Checkin { habit: "leetcode".into(), on: day(d), count: c },
            Op::Off(d, n) => Change::DayOff { off: DayOff { from: day(d), to: day(d + n), note: None } },
            Op::Hours(m) => Change::Settings { start: None, hours: Some(WeekHours::from_array([m; 7])), tracks: None },
            Op::Undo => match progress::undo_target(&state, None).first() {
                Some(target) => Change::Undo { target: target.id.clone() },
                None => continue,
            },
        };
        let e = Event { at, ..Event::new(change, None) };
        let seq = state.next_seq();
        state.events.push(Event { seq, id: EventId::new(1, seq, 0), ..e });
    }
    state.events
}

fn encoded(events: &[Event]) -> Vec<u8> {
    let mut bytes = Vec::new();
    codec::encode(&State { header: header(), events: events.to_vec() }, &mut bytes).expect("encode");
    bytes
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn a_state_file_round_trips(ops in prop::collection::vec(op(), 0..30)) {
        let events = events(&ops);
        let loaded = codec::parse(&encoded(&events)).expect("parse");
        prop_assert_eq!(loaded.state.events, events);
        prop_assert!(loaded.warnings.is_empty());
    }

    #[test]
    fn any_cut_of_a_state_file_loads_as_a_prefix(
        ops in prop::collection::vec(op(), 1..30),
        cuts in prop::collection::vec(any::<Index>(), 8),
    ) {
        let events = events(&ops);
        let bytes = encoded(&events);
        let header_len = bytes.iter().position(|&b| b == b'\n').expect("a header line") + 1;
        for cut in cuts {
            let at = cut.index(bytes.len() + 1);
            match codec::parse(&bytes[..at]) {
                Ok(loaded) => {
                    let n = loaded.state.events.len();
                    prop_assert_eq!(&loaded.state.events[..], &events[..n]);
                    // Only what was cut is missing: at most the line cut through.
                    let whole = bytes[header_len.min(at)..at].iter().filter(|&&b| b == b'\n').count();
                    prop_assert!(n == whole || n == whole + 1, "cut at {}: {} events, {} whole lines", at, n, whole);
                    prop_assert!(progress::replay(&loaded.state).is_ok());
                }
                Err(e) => prop_assert!(at < header_len, "cut at {} (header {}): {}", at, header_len, e),
            }
        }
    }

    #[test]
    fn replay_follows_the_events(ops in prop::collection::vec(op(), 0..40)) {
        let events = events(&ops);
        let state = State { header: header(), events: events.clone() };
        let progress = progress::replay(&state).expect("replay");
        let undone: Vec<EventId> = events
            .iter()
            .filter_map(|e| match &e.change {
                Change::Undo { target } => Some(target.clone()),
                _ => None,
            })
            .collect();
        let live: Vec<&Event> = events
            .iter()
            .filter(|e| !e.is_undo() && !undone.contains(&e.id))
            .collect();
        // Undo is as if the event had never been recorded.
        let without = State {
            header: header(),
            events: live.iter().map(|e| (*e).clone()).collect(),
        };
        let clean = progress::replay(&without).expect("replay");
        prop_assert_eq!(&progress.tasks, &clean.tasks);
        prop_assert_eq!(&progress.checked, &clean.checked);
        prop_assert_eq!(&progress.checkins, &clean.checkins);
        prop_assert_eq!(&progress.calendar, &clean.calendar);
        for (t, id) in TASKS.iter().enumerate() {
            let mine: Vec<&&Event> = live.iter().filter(|e| e.task().map(TaskId::as_str) == Some(*id)).collect();
            // Time logged adds up.
            let logged: u32 = mine
                .iter()
                .filter_map(|e| match e.change {
                    Change::Logged { minutes, .. } => Some(minutes.minutes()),
                    _ => None,
                })
                .sum();
            let p = progress.tasks.get(*id);
            prop_assert_eq!(p.map_or(0, |p| p.logged().minutes()), logged, "task {}", t);
            // The last done, reopen or skip decides done and skipped.
            let last = mine.iter().rev().find(|e| matches!(e.kind(), Kind::Done | Kind::Reopened | Kind::Skipped));
            let started_after_skip = last.is_some_and(|l| {
                l.kind() == Kind::Skipped && mine.iter().any(|e| e.kind() == Kind::Started && e.seq > l.seq)
            });
            let status = progress.status(id);
            match last.map(|e| (e.kind(), e.on())) {
                Some((Kind::Done, Some(on))) => prop_assert_eq!(status, Status::Done(on)),
                Some((Kind::Skipped, _)) if !started_after_skip => prop_assert_eq!(status, Status::Skipped),
                _ => prop_assert!(matches!(status, Status::Todo | Status::InProgress), "{:?}", status),
            }
        }
        // Check-ins add up per day.
        let total: u32 = live
            .iter()
            .filter_map(|e| match e.change {
                Change::Checkin { count, .. } => Some(count),
                _ => None,
            })
            .sum();
        let counted: u32 = progress.checkins.values().flat_map(|d| d.values()).sum();
        prop_assert_eq!(total, counted);
        // And the scheduler takes whatever the events say.
        let plan = builtin();
        if let Ok(outlook) = Outlook::new(plan, &progress, day(30)) {
            for (i, task) in plan.tasks.iter().enumerate() {
                if let Status::Done(on) = progress.status(&task.full_id) {
                    let same = matches!(outlook.work[i], Work::Done { on: o, .. } if o == on);
                    prop_assert!(same, "{} done on {} but scheduled as {:?}", task.full_id, on, outlook.work[i]);
                }
            }
        }
    }
}
