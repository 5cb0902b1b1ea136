//! Synthetic plans and states for benchmarks, shared by `examples/generate.rs`
//! and the Criterion benches (included with `#[path]`; not part of the crate).
//!
//! A plan of N tasks (lean above [`LEAN_FROM`]): phases of about 2,000 tasks (3 to 50 phases), ten
//! modules each, tasks with CJK or English titles, a line of notes, two
//! deliverables, a resource on every fourth, ~40 % with dependencies (some
//! across modules), a track on some tasks of the last phase, three habits.
//! Phase windows are a mix of too tight, about right and loose, so verdicts
//! (and the weekly hours to fit) are all exercised.
//!
//! In the [`Shape::Handwritten`] shape the same plan (ids, titles, efforts,
//! dependencies, tracks, habits) is written the way the built-in plan is:
//! every task has a few hundred bytes of Markdown notes (a `**…**` heading
//! and 3 to 6 list lines, CJK and English), 2 to 4 deliverables with ids and
//! 1 to 3 resources with urls, at every size (never lean). Only the plan
//! text differs: the state's events are the same.
//!
//! A state of M events over one year from [`START`] to [`TODAY`]: the first
//! half of the plan (fewer when M is small) started, logged, its first
//! deliverable checked and done, in plan order; habit check-ins on most days;
//! the rest of the events are time logs on done tasks and on the next few
//! open ones. Events are in date order, as a learner would have written them.

#![allow(dead_code)]

use chrono::{DateTime, Datelike, Days, NaiveDate, TimeZone, Utc};
use roadmap::core::calendar::WeekHours;
use roadmap::core::effort::Effort;
use roadmap::core::outlook::{Outlook, baseline};
use roadmap::core::plan::Plan;
use roadmap::core::progress::replay;
use roadmap::core::state::{Change, Event, Header, PlanRef, STATE_VERSION, State, TaskId};
use std::fmt::Write;

/// The first day of the generated state (a Monday).
pub(crate) const START: (i32, u32, u32) = (2027, 1, 4);
/// The day benchmarks run "today": the end of the generated year.
pub(crate) const TODAY: &str = "2028-01-03";
/// Study hours per day: long, so that even 100,000 tasks fit in 50 years.
pub(crate) const DAILY_MINUTES: u32 = 12 * 60;

pub(crate) fn start() -> NaiveDate {
    NaiveDate::from_ymd_opt(START.0, START.1, START.2).expect("a valid start")
}

pub(crate) fn today() -> NaiveDate {
    NaiveDate::parse_from_str(TODAY, "%Y-%m-%d").expect("a valid today")
}

/// A small deterministic generator (xorshift), so runs are repeatable.
pub(crate) struct Rng(pub u64);

impl Rng {
    pub(crate) fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    pub(crate) fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

const TOPICS: [&str; 8] =
    ["Agent系统", "MoE架构", "向量数据库", "分布式训练", "RLHF", "Tokenizer", "推理加速", "评测体系"];
const WORDS: [&str; 8] =
    ["Transformers", "retrieval", "quantization", "fine-tuning", "serving", "evaluation", "datasets", "kernels"];
const VERBS: [&str; 4] = ["Read", "Implement", "Benchmark", "Write up"];

/// Above this many tasks, tasks are written lean (one line each, no notes,
/// no resources, one deliverable), so that the plan stays under the 16 MiB
/// limit on plan files: 100,000 full tasks would take 32 MB.
pub(crate) const LEAN_FROM: usize = 40_000;

/// How the tasks are laid out: (phases, modules per phase).
pub(crate) fn shape(tasks: usize) -> (usize, usize) {
    let phases = (tasks / 2000).clamp(3, 50).min(tasks.max(1));
    let modules = (tasks / phases).clamp(1, 10);
    (phases, modules)
}

/// How the plan's text is written; the tasks, their efforts and their
/// dependencies are the same in both.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Shape {
    /// A line of notes, two deliverables, a resource on every fourth task
    /// (lean above [`LEAN_FROM`]).
    Synthetic,
    /// Notes, deliverables and resources on every task, shaped like the
    /// built-in plan's, at every size.
    Handwritten,
}

impl Shape {
    pub(crate) fn parse(name: &str) -> Option<Shape> {
        match name {
            "synthetic" => Some(Shape::Synthetic),
            "handwritten" => Some(Shape::Handwritten),
            _ => None,
        }
    }
    pub(crate) fn name(self) -> &'static str {
        match self {
            Shape::Synthetic => "synthetic",
            Shape::Handwritten => "handwritten",
        }
    }
}

/// The plan's YAML text for `tasks` tasks, in the synthetic shape.
pub(crate) fn plan_yaml(tasks: usize) -> String {
    plan_yaml_shaped(tasks, Shape::Synthetic)
}

/// The plan's YAML text for `tasks` tasks, in `shape`.
pub(crate) fn plan_yaml_shaped(tasks: usize, shape_of_text: Shape) -> String {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    // The hand-written text draws from its own generator, so that the
    // tasks themselves come out the same in both shapes.
    let mut text_rng = Rng(0x243f_6a88_85a3_08d3);
    let handwritten = shape_of_text == Shape::Handwritten;
    let (phases, modules_per_phase) = shape(tasks);
    let modules = phases * modules_per_phase;
    let lean = tasks > LEAN_FROM && !handwritten;
    let mut out = String::with_capacity(tasks * if handwritten { 1200 } else { 400 } + 1024);
    out += "format: 1\nid: bench\ntitle: 基准计划 · Benchmark plan\nlang: zh\n";
    out += "tracks:\n  - {id: academic, title: 学术路线}\n  - {id: industry, title: 工业路线}\nphases:\n";
    let mut made = 0;
    for p in 0..phases {
        let in_phase: usize = (p * modules_per_phase..(p + 1) * modules_per_phase)
            .map(|m| tasks / modules + usize::from(m < tasks % modules))
            .sum();
        // Days this phase needs at the generated hours (105 minutes a task on
        // average, 690 a day after habits), as months; the window is half of
        // that, about that, or twice that.
        let months = (in_phase as f64 * 105.0 / 690.0 / 30.0).max(0.5);
        let (low, high) = match p % 3 {
            0 => ((months * 0.3).floor(), (months * 0.5).floor()),
            1 => ((months * 0.8).floor(), (months * 1.5).ceil()),
            _ => ((months * 2.0).ceil(), (months * 3.0).ceil()),
        };
        let (low, high) = (low.max(1.0) as u32, high.max(1.0) as u32);
        let _ = write!(
            out,
            "  - id: p{p}\n    title: 阶段{p} Phase {p}\n    duration: {low}-{} months\n    modules:\n",
            high.max(low)
        );
        for m in 0..modules_per_phase {
            let global = p * modules_per_phase + m;
            let count = tasks / modules + usize::from(global < tasks % modules);
            let _ = write!(out, "      - id: m{m}\n        title: 模块{m} {}\n        tasks:\n", WORDS[m % 8]);
            for t in 0..count {
                made += 1;
                let topic = TOPICS[rng.below(8) as usize];
                let word = WORDS[rng.below(8) as usize];
                let title = if rng.below(2) == 0 {
                    format!("{topic}（{word} {made}）")
                } else {
                    format!("{} {word} for {topic}, part {made}", VERBS[rng.below(4) as usize])
                };
                let effort = 30 * (1 + rng.below(6));
                let after = if t > 0 && rng.below(10) < 4 {
                    if m > 0 && rng.below(8) == 0 {
                        format!("t{}, p{p}.m{}.t0", rng.below(t as u64), rng.below(m as u64))
                    } else {
                        format!("t{}", rng.below(t as u64))
                    }
                } else {
                    String::new()
                };
                let track = if p == phases - 1 && rng.below(3) == 0 {
                    if rng.below(2) == 0 { "academic" } else { "industry" }
                } else {
                    ""
                };
                if lean {
                    let _ = write!(
                        out,
                        "          - {{id: t{t}, title: \"{title}\", effort: {effort}m, deliverables: [写一篇{word}总结]"
                    );
                    if !after.is_empty() {
                        let _ = write!(out, ", after: [{after}]");
                    }
                    if !track.is_empty() {
                        let _ = write!(out, ", track: {track}");
                    }
                    out += "}\n";
                    continue;
                }
                if handwritten {
                    let _ = write!(
                        out,
                        "          - id: t{t}\n            title: {title}\n            effort: {effort}m\n"
                    );
                    handwritten_text(&mut out, &mut text_rng, made, topic, word);
                    if !after.is_empty() {
                        let _ = writeln!(out, "            after: [{after}]");
                    }
                    if !track.is_empty() {
                        let _ = writeln!(out, "            track: {track}");
                    }
                    continue;
                }
                let _ = write!(
                    out,
                    "          - id: t{t}\n            title: {title}\n            effort: {effort}m\n            notes: 核心概念：{topic} and {word}；实战项目 with a deliverable.\n            deliverables: [{{id: d1, title: 完成{topic}实验}}, 写一篇{word}总结]\n"
                );
                if made % 4 == 0 {
                    let _ = writeln!(
                        out,
                        "            resources: [{{title: Paper {made}, url: \"https://example.org/{made}\"}}]"
                    );
                }
                if !after.is_empty() {
                    let _ = writeln!(out, "            after: [{after}]");
                }
                if !track.is_empty() {
                    let _ = writeln!(out, "            track: {track}");
                }
            }
        }
    }
    out += "habits:\n  - {id: leetcode, title: LeetCode 每日2题, every: day, target: 2, unit: 题, effort: 30m}\n";
    out +=
        "  - {id: arxiv, title: 速读arXiv, every: mon, effort: 30m}\n  - {id: blog, title: 技术博客, every: 2 weeks}\n";
    out
}

/// A string as a double-quoted YAML scalar: a JSON string is one (YAML 1.2
/// reads JSON's escapes).
pub(crate) fn quoted(text: &str) -> String {
    serde_json::to_string(text).unwrap_or_default()
}

/// The list lines notes are drawn from (a prime count, so that a stride
/// walks them all without repeating).
const NOTE_LINES: usize = 11;

fn note_line(i: usize, topic: &str, word: &str, other: &str) -> String {
    match i % NOTE_LINES {
        0 => format!("- {topic}的基本原理：先读综述（survey），再精读 1-2 篇代表性论文"),
        1 => format!("- 对比 {word} 与 {other} 两种做法在吞吐量和显存占用上的差异"),
        2 => "- 复现官方示例，记录每一步的命令与耗时，整理进 `README.md`".to_string(),
        3 => format!("- Key idea: {word} trades latency for throughput; measure both before tuning"),
        4 => format!(
            "- 典型架构：\n  - 编码器 + 解码器（encoder-decoder）\n  - 只有解码器（decoder-only），{topic}里更常见"
        ),
        5 => format!("- 工具链：Python、PyTorch、Hugging Face 上与 {word} 相关的库"),
        6 => "- 常见的坑：版本不兼容、随机种子没有固定、评测集泄漏（data leakage）".to_string(),
        7 => format!("- Read the official docs on {word} end to end, then skim the open issues"),
        8 => "- 产出要求（见交付物）：代码、实验记录和一篇总结".to_string(),
        9 => format!("- 每周复盘一次：{topic}里哪些概念还讲不清楚，补到笔记里"),
        _ => format!("- Run a small {other} benchmark with 3 seeds and report the median"),
    }
}

fn note_heading(i: u64, topic: &str, word: &str) -> String {
    match i % 4 {
        0 => format!("**核心概念：{topic}**"),
        1 => format!("**技术解析（{word}）**"),
        2 => format!("**实战项目：用 {word} 搭建{topic}原型**"),
        _ => "**学习重点 · Key ideas**".to_string(),
    }
}

fn deliverable(i: usize, topic: &str, word: &str, other: &str) -> String {
    match i % 5 {
        0 => format!("写一篇{word}总结（1,500 字以上，附参考文献）"),
        1 => format!("Publish the {word} notebook with results for {topic}"),
        2 => format!("对比实验表格：{word} vs {other}，同样的算力与数据"),
        3 => "在 GitHub 上开源代码，并写好 README 与复现步骤".to_string(),
        _ => format!("A 10-minute talk: what {topic} taught me about {other}"),
    }
}

fn resource(i: usize, made: usize, topic: &str, word: &str) -> (String, String) {
    let slug = word.to_lowercase();
    match i % 4 {
        0 => (
            format!("{topic}综述（论文）"),
            format!("https://arxiv.org/abs/24{:02}.{:05}", 1 + made % 12, made % 100_000),
        ),
        1 => (format!("{word} official documentation"), format!("https://example.org/docs/{slug}/{made}")),
        2 => (format!("参考实现（example/{slug}-{made}）"), format!("https://github.com/example/{slug}-{made}")),
        _ => (
            format!("Blog: {word} in practice, part {made}"),
            format!("https://blog.example.com/{slug}?part={made}&lang=zh"),
        ),
    }
}

/// Writes a task's notes, resources and deliverables the way the built-in
/// plan does: a block of Markdown notes, resources with urls, deliverables
/// with ids (the first is `d1`, which the generated state checks).
fn handwritten_text(out: &mut String, rng: &mut Rng, made: usize, topic: &str, word: &str) {
    // Another word than the title's, for the comparisons.
    let at = WORDS.iter().position(|w| *w == word).unwrap_or(0);
    let other = WORDS[(at + 1 + rng.below(7) as usize) % WORDS.len()];
    out.push_str("            notes: |\n");
    let _ = writeln!(out, "              {}\n", note_heading(rng.below(4), topic, word));
    let lines = 3 + rng.below(4) as usize;
    let first = rng.below(NOTE_LINES as u64) as usize;
    let stride = 1 + rng.below(NOTE_LINES as u64 - 1) as usize;
    for k in 0..lines {
        for line in note_line(first + k * stride, topic, word, other).lines() {
            let _ = writeln!(out, "              {line}");
        }
    }
    if rng.below(2) == 0 {
        let _ = writeln!(out, "\n              注意：{word} 的接口变化较快，照做时以所装版本的文档为准。");
    }
    out.push_str("            resources:\n");
    let first = rng.below(4) as usize;
    for k in 0..1 + rng.below(3) as usize {
        let (title, url) = resource(first + k, made, topic, word);
        let _ = writeln!(out, "              - title: {}\n                url: {}", quoted(&title), quoted(&url));
    }
    out.push_str("            deliverables:\n");
    let _ = writeln!(
        out,
        "              - id: d1\n                title: {}",
        quoted(&format!("完成{topic}实验：在 {word} 上复现基线并记录结果"))
    );
    let first = rng.below(5) as usize;
    for k in 0..1 + rng.below(3) as usize {
        let _ = writeln!(
            out,
            "              - id: d{}\n                title: {}",
            k + 2,
            quoted(&deliverable(first + k, topic, word, other))
        );
    }
}

/// A state header for `plan` read from `plan_path`, with its baseline.
pub(crate) fn header(plan: &Plan, plan_path: &str, plan_text: &[u8]) -> Header {
    let created = at(start(), 0);
    let mut header = Header {
        roadmap_state: STATE_VERSION,
        created,
        plan: PlanRef::File { path: plan_path.to_string(), hash: roadmap::shell::plan_source::content_hash(plan_text) },
        start: start(),
        hours: WeekHours::from_array([DAILY_MINUTES; 7]),
        tracks: None,
        baseline: Default::default(),
        snapshot: None,
    };
    let empty = replay(&State { header: header.clone(), events: Vec::new() }).expect("an empty replay");
    let outlook = Outlook::new(plan, &empty, start()).expect("the plan schedules");
    header.baseline = baseline(plan, &outlook.schedule, start());
    header
}

fn at(day: NaiveDate, second: u32) -> DateTime<Utc> {
    let base = Utc.with_ymd_and_hms(day.year(), day.month(), day.day(), 7, 0, 0).single().expect("a valid time");
    base + chrono::Duration::seconds(i64::from(second))
}

/// How many tasks the state has finished: half the plan, fewer when the
/// events would not cover them (four events a finished task).
pub(crate) fn done_count(tasks: usize, events: usize) -> usize {
    (tasks / 2).min(events / 5)
}

/// `events` events over the year, in date order, numbered from 1.
pub(crate) fn events(plan: &Plan, events: usize) -> Vec<Event> {
    let mut rng = Rng(0x2545_f491_4f6c_dd1d);
    let n = plan.tasks.len();
    let done = done_count(n, events);
    let first = start();
    let day_of = |k: usize| (k * 364 / done.max(1)) as u64;
    // (day, event) before numbering.
    let mut list: Vec<(u64, Event)> = Vec::with_capacity(events + 8);
    let task = |i: usize| TaskId(plan.tasks[i].full_id.to_string());
    let on = |day: u64| first + Days::new(day);
    let event = |change: Change| Event::new(change, None);
    // Habits: leetcode on nine days in ten, arxiv on Mondays, blog fortnightly.
    let mut habits = Vec::new();
    for day in 0..365u64 {
        let date = first + Days::new(day);
        if rng.below(10) < 9 {
            habits.push((day, "leetcode", 1 + rng.below(2) as u32));
        }
        if date.weekday() == chrono::Weekday::Mon {
            habits.push((day, "arxiv", 1));
        }
        if day % 14 == 3 {
            habits.push((day, "blog", 1));
        }
    }
    let habit_budget = (events / 10).min(habits.len());
    for &(day, habit, count) in habits.iter().step_by(habits.len() / habit_budget.max(1)).take(habit_budget) {
        list.push((day, event(Change::Checkin { habit: habit.into(), on: on(day), count })));
    }
    // Finished tasks, in plan order over the year.
    for k in 0..done {
        if list.len() + 4 > events {
            break;
        }
        let day = day_of(k);
        list.push((day, event(Change::Started { task: task(k), on: on(day) })));
        list.push((day, event(Change::Logged { task: task(k), on: on(day), minutes: Effort::from_minutes(30) })));
        list.push((day, event(Change::Deliverable { task: task(k), deliverable: "d1".into(), on: on(day) })));
        list.push((day, event(Change::Done { task: task(k), on: on(day) })));
    }
    // The rest: time logged on finished tasks, and on the next open ones.
    let open_front = (n - done).min(20);
    while list.len() < events {
        let (task, day) = if open_front > 0 && (done == 0 || rng.below(20) == 0) {
            (done + rng.below(open_front as u64) as usize, 300 + rng.below(64))
        } else {
            let k = rng.below(done as u64) as usize;
            (k, day_of(k))
        };
        let minutes = Effort::from_minutes(15 + 15 * rng.below(4) as u32);
        list.push((
            day,
            event(Change::Logged { task: TaskId(plan.tasks[task].full_id.to_string()), on: on(day), minutes }),
        ));
    }
    list.truncate(events);
    list.sort_by_key(|(day, _)| *day);
    let mut previous_day = u64::MAX;
    let mut second = 0;
    list.into_iter()
        .zip(1..)
        .map(|((day, event), seq)| {
            second = if day == previous_day { second + 1 } else { 0 };
            previous_day = day;
            Event {
                seq,
                id: roadmap::core::state::EventId::new(0, seq, 0),
                at: at(first + Days::new(day), second),
                ..event
            }
        })
        .collect()
}

/// Everything generated for one size.
pub(crate) struct Generated {
    pub yaml: String,
    pub plan: Plan,
    pub state: State,
}

/// Generates a plan of `tasks` tasks and a state of `events` events that
/// says the plan lives at `plan_path`.
pub(crate) fn generate(tasks: usize, events_count: usize, plan_path: &str) -> Generated {
    generate_from(plan_yaml(tasks), events_count, plan_path)
}

/// Loads the plan text `yaml` (from [`plan_yaml_shaped`]) and generates a
/// state of `events_count` events for it that says it lives at `plan_path`.
pub(crate) fn generate_from(yaml: String, events_count: usize, plan_path: &str) -> Generated {
    let plan = roadmap::core::plan::load("generated", yaml.as_bytes()).unwrap_or_else(|e| panic!("{e}"));
    let header = header(&plan, plan_path, yaml.as_bytes());
    let events = events(&plan, events_count);
    Generated { yaml, plan, state: State { header, events } }
}

fn stamp(t: DateTime<Utc>) -> String {
    t.format("%Y%m%dT%H%M%SZ").to_string()
}

/// A stable UUID for task `i`, for Taskwarrior.
pub(crate) fn uuid(i: usize) -> String {
    format!("00000000-0000-4000-8000-{i:012x}")
}

/// The same roadmap for Taskwarrior's `task import`: one task per plan
/// task, project `phase.module`, `depends` for `after`, the notes as an
/// annotation, and the state's progress (completed with its end date,
/// started). Dates are moved by `shift` days: Taskwarrior reads the real
/// clock, so the generated year must end on the real today, as it ends on
/// [`TODAY`] for roadmap.
pub(crate) fn taskwarrior_json(generated: &Generated, shift: chrono::TimeDelta) -> String {
    let plan = &generated.plan;
    let progress = replay(&generated.state).expect("the generated state replays");
    let stamp = |t: DateTime<Utc>| stamp(t + shift);
    let entry = stamp(at(start(), 0));
    let mut out = String::with_capacity(plan.tasks.len() * 400);
    out.push('[');
    for (i, task) in plan.tasks.iter().enumerate() {
        if i > 0 {
            out.push_str(",\n");
        }
        let module = &plan.modules[task.module];
        let mut value = serde_json::json!({
            "uuid": uuid(i),
            "description": task.title,
            "project": format!("{}.{}", plan.phases[task.phase].id, module.id),
            "entry": entry,
            "status": "pending",
            "annotations": [{"entry": entry, "description": task.details().notes.clone().unwrap_or_default()}],
        });
        if !task.after.is_empty() {
            value["depends"] = serde_json::json!(task.after.iter().map(|&d| uuid(d)).collect::<Vec<_>>().join(","));
        }
        if let Some(track) = &task.track {
            value["tags"] = serde_json::json!([track]);
        }
        if let Some(p) = progress.tasks.get(&*task.full_id) {
            if let Some(started) = p.started {
                value["start"] = serde_json::json!(stamp(at(started, 0)));
            }
            if let roadmap::core::progress::Status::Done(on) = p.status {
                value["status"] = serde_json::json!("completed");
                value["end"] = serde_json::json!(stamp(at(on, 3600)));
                value.as_object_mut().map(|o| o.remove("start"));
            }
        }
        out.push_str(&value.to_string());
    }
    out.push_str("]\n");
    out
}
