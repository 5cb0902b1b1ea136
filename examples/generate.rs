//! Generates a synthetic plan and state for benchmarks.
//!
//! `cargo run --release --example generate -- TASKS EVENTS DIR` writes
//! `DIR/plan.yaml` (TASKS tasks across phases and modules, CJK and English
//! titles, notes, deliverables, ~40 % with dependencies, three habits) and
//! `DIR/state.jsonl` (EVENTS events spread over a year: done, time logged,
//! habit check-ins, deliverables), then prints what it wrote.

use chrono::{Days, NaiveDate, TimeZone, Utc};
use roadmap::calendar::WeekHours;
use roadmap::outlook::{Outlook, baseline};
use roadmap::progress::replay;
use roadmap::state::{Event, Header, Kind, PlanRef, STATE_VERSION, State};
use std::fmt::Write;
use std::path::PathBuf;

/// A small deterministic generator (xorshift), so runs are repeatable.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

const TOPICS: [&str; 8] =
    ["Agent系统", "MoE架构", "向量数据库", "分布式训练", "RLHF", "Tokenizer", "推理加速", "评测体系"];
const WORDS: [&str; 8] =
    ["Transformers", "retrieval", "quantization", "fine-tuning", "serving", "evaluation", "datasets", "kernels"];

fn plan_yaml(tasks: usize, rng: &mut Rng) -> String {
    let phases = (tasks / 2000).clamp(3, 50);
    let modules_per_phase = 10.min(tasks / phases).max(1);
    let per_module = tasks.div_ceil(phases * modules_per_phase);
    let mut out = String::from("format: 1\nid: bench\ntitle: 基准计划 · Benchmark plan\nlang: zh\n");
    out += "tracks:\n  - {id: academic, title: 学术路线}\n  - {id: industry, title: 工业路线}\nphases:\n";
    let mut made = 0;
    for p in 0..phases {
        let _ = write!(out, "  - id: p{p}\n    title: 阶段{p} Phase {p}\n    duration: 2-3 months\n    modules:\n");
        for m in 0..modules_per_phase {
            let _ = write!(out, "      - id: m{m}\n        title: 模块{m} {}\n        tasks:\n", WORDS[m % 8]);
            for t in 0..per_module {
                if made == tasks {
                    break;
                }
                made += 1;
                let topic = TOPICS[rng.below(8) as usize];
                let word = WORDS[rng.below(8) as usize];
                let _ = write!(
                    out,
                    "          - id: t{t}\n            title: {topic}（{word} {made}）\n            effort: {}m\n            notes: |\n              核心概念：{topic} and {word}. 实战项目 with a deliverable and a few lines of notes.\n              Second line of notes for realistic size.\n            deliverables:\n              - {{id: d1, title: 完成{topic}实验}}\n              - 写一篇{word}总结\n            resources:\n              - {{title: Paper {made}, url: \"https://example.org/{made}\"}}\n",
                    30 * (1 + rng.below(6))
                );
                if t > 0 && rng.below(10) < 4 {
                    let _ = writeln!(out, "            after: [t{}]", rng.below(t as u64));
                }
                if p == phases - 1 && rng.below(3) == 0 {
                    let _ =
                        writeln!(out, "            track: {}", if rng.below(2) == 0 { "academic" } else { "industry" });
                }
            }
        }
    }
    out += "habits:\n  - {id: leetcode, title: LeetCode 每日2题, every: day, target: 2, unit: 题, effort: 30m}\n";
    out +=
        "  - {id: arxiv, title: 速读arXiv, every: mon, effort: 30m}\n  - {id: blog, title: 技术博客, every: 2 weeks}\n";
    out
}

fn main() -> Result<(), String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [tasks, events, dir] = args.as_slice() else {
        return Err("usage: generate TASKS EVENTS DIR".into());
    };
    let tasks: usize = tasks.parse().map_err(|_| "TASKS must be a number")?;
    let events: usize = events.parse().map_err(|_| "EVENTS must be a number")?;
    let dir = PathBuf::from(dir);
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let yaml = plan_yaml(tasks, &mut rng);
    let plan = roadmap::plan::load("generated", yaml.as_bytes()).map_err(|e| e.to_string())?;
    std::fs::write(dir.join("plan.yaml"), &yaml).map_err(|e| e.to_string())?;

    let start = NaiveDate::from_ymd_opt(2027, 1, 4).ok_or("date")?;
    let created = Utc.with_ymd_and_hms(2027, 1, 4, 8, 0, 0).single().ok_or("time")?;
    let plan_path = std::path::absolute(dir.join("plan.yaml")).map_err(|e| e.to_string())?;
    let mut header = Header {
        roadmap_state: STATE_VERSION,
        created,
        plan: PlanRef::File {
            path: plan_path.display().to_string(),
            hash: roadmap::app::content_hash(yaml.as_bytes()),
        },
        start,
        // Long days, so that even 100,000 tasks fit inside the 50-year limit.
        hours: WeekHours::from_array([12 * 60; 7]),
        tracks: None,
        baseline: Default::default(),
        snapshot: None,
    };
    let empty = replay(&State { header: header.clone(), events: Vec::new() }).map_err(|e| e.message)?;
    let outlook = Outlook::new(&plan, &empty, start).map_err(|e| e.to_string())?;
    header.baseline = baseline(&plan, &outlook.schedule, start);

    // Events over a year: one task done in ten, logs on others, daily habit check-ins.
    let mut list = Vec::with_capacity(events);
    let mut seq = 0;
    while list.len() < events {
        seq += 1;
        let day = start + Days::new(rng.below(365));
        let at = created + chrono::Duration::seconds(seq as i64 * 60);
        let task = plan.tasks[rng.below(plan.tasks.len() as u64) as usize].full_id.clone();
        let event = match rng.below(10) {
            0 => Event { task: Some(task), on: Some(day), ..Event::new(Kind::Done, at) },
            1..=5 => Event {
                task: Some(task),
                on: Some(day),
                minutes: Some(30 + rng.below(90) as u32),
                ..Event::new(Kind::Logged, at)
            },
            6 => Event {
                task: Some(task),
                deliverable: Some("d1".into()),
                on: Some(day),
                ..Event::new(Kind::Deliverable, at)
            },
            _ => Event {
                habit: Some("leetcode".into()),
                on: Some(day),
                count: Some(1 + rng.below(2) as u32),
                ..Event::new(Kind::Checkin, at)
            },
        };
        list.push(Event { seq, ..event });
    }
    let state = State { header, events: list };
    let mut bytes = Vec::new();
    roadmap::store::encode(&state, &mut bytes).map_err(|e| e.to_string())?;
    std::fs::write(dir.join("state.jsonl"), &bytes).map_err(|e| e.to_string())?;
    println!(
        "{}: plan.yaml {} tasks ({} bytes), state.jsonl {} events ({} bytes)",
        dir.display(),
        plan.tasks.len(),
        yaml.len(),
        state.events.len(),
        bytes.len()
    );
    Ok(())
}
