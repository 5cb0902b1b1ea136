//! Generates a synthetic plan and state for benchmarks (not a user command).
//!
//! `cargo run --release --example generate -- TASKS EVENTS DIR [--taskwarrior] [--shape synthetic|handwritten]`
//! writes `DIR/plan.yaml` (TASKS tasks across phases and modules, CJK and
//! English titles, notes, deliverables, ~40 % with dependencies, three
//! habits; with `--shape handwritten`, the same tasks with notes,
//! deliverables and resources on every one, like the built-in plan's, which
//! is refused above the 16 MiB plan limit, about 12,000 tasks),
//! `DIR/state.jsonl` (EVENTS events over a year: tasks started,
//! logged, checked and done in plan order, time logs, habit check-ins) and
//! `DIR/meta.env` (facts the benchmark script needs). With `--taskwarrior`
//! it also writes `DIR/taskwarrior.json`, the same roadmap for `task import`,
//! dated so that its year ends on the real today (Taskwarrior reads the
//! clock; roadmap is given `ROADMAP_TODAY`). The layout is described in `benches/support/synth.rs`.

// Tests, benchmarks and examples stand outside the house: they may touch the world.
#![allow(clippy::disallowed_methods, clippy::disallowed_macros)]

#[path = "../benches/support/synth.rs"]
mod synth;

use std::path::PathBuf;

fn main() -> Result<(), String> {
    const USAGE: &str = "usage: generate TASKS EVENTS DIR [--taskwarrior] [--shape synthetic|handwritten]";
    let mut taskwarrior = false;
    let mut shape = synth::Shape::Synthetic;
    let mut args = Vec::new();
    let mut given = std::env::args().skip(1);
    while let Some(arg) = given.next() {
        let name = match arg.as_str() {
            "--taskwarrior" => {
                taskwarrior = true;
                continue;
            }
            "--shape" => given.next().ok_or(USAGE)?,
            _ => match arg.strip_prefix("--shape=") {
                Some(name) => name.to_string(),
                None => {
                    args.push(arg);
                    continue;
                }
            },
        };
        shape =
            synth::Shape::parse(&name).ok_or_else(|| format!("unknown shape {name:?}: synthetic or handwritten"))?;
    }
    let [tasks, events, dir] = args.as_slice() else {
        return Err(USAGE.into());
    };
    let tasks: usize = tasks.parse().map_err(|_| "TASKS must be a number")?;
    let events: usize = events.parse().map_err(|_| "EVENTS must be a number")?;
    if tasks == 0 {
        return Err("TASKS must be at least 1".into());
    }
    let dir = PathBuf::from(dir);
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let plan_path = std::path::absolute(dir.join("plan.yaml")).map_err(|e| e.to_string())?;
    let yaml = synth::plan_yaml_shaped(tasks, shape);
    if yaml.len() > roadmap::core::plan::MAX_PLAN_BYTES {
        return Err(format!(
            "{tasks} tasks in the {} shape take {} bytes, over roadmap's 16 MiB limit on plans",
            shape.name(),
            yaml.len()
        ));
    }
    let generated = synth::generate_from(yaml, events, &plan_path.display().to_string());
    std::fs::write(&plan_path, &generated.yaml).map_err(|e| e.to_string())?;
    let mut bytes = Vec::new();
    roadmap::core::state::codec::encode(&generated.state, &mut bytes).map_err(|e| e.to_string())?;
    std::fs::write(dir.join("state.jsonl"), &bytes).map_err(|e| e.to_string())?;
    let done = synth::done_count(tasks, events);
    // The first open task: `roadmap done NUMBER`; for Taskwarrior, the first
    // pending task gets working-set id 1.
    let meta = format!(
        "TASKS={tasks}\nSHAPE={}\nEVENTS={}\nTODAY={}\nDONE_NUMBER={}\nTW_DONE_ID=1\nPLAN_BYTES={}\nSTATE_BYTES={}\n",
        shape.name(),
        generated.state.events.len(),
        synth::TODAY,
        (done + 1).min(tasks),
        generated.yaml.len(),
        bytes.len()
    );
    std::fs::write(dir.join("meta.env"), meta).map_err(|e| e.to_string())?;
    if taskwarrior {
        let shift = chrono::Local::now().date_naive() - synth::today();
        std::fs::write(dir.join("taskwarrior.json"), synth::taskwarrior_json(&generated, shift))
            .map_err(|e| e.to_string())?;
    }
    println!(
        "{}: plan.yaml {} tasks, {} shape ({} bytes), state.jsonl {} events ({} bytes){}",
        dir.display(),
        generated.plan.tasks.len(),
        shape.name(),
        generated.yaml.len(),
        generated.state.events.len(),
        bytes.len(),
        if taskwarrior { ", taskwarrior.json" } else { "" }
    );
    Ok(())
}
