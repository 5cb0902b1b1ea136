//! Criterion benchmarks of the core at 100, 1,000, 10,000 and 100,000 tasks
//! (ten events a task): plan load + validate, the plan and state caches,
//! replay, the schedule (outlook), report figures, lookup, and whole
//! commands in-process (no process start). See BENCHMARKS.md.
//!
//! `cargo bench --bench core` runs them all; `ROADMAP_BENCH_SIZES=100,1000`
//! picks sizes; Criterion's own filter picks benchmarks
//! (`cargo bench --bench core -- schedule`).

// Tests, benchmarks and examples stand outside the house: they may touch the world.
#![allow(clippy::disallowed_methods, clippy::disallowed_macros)]

#[path = "support/synth.rs"]
mod synth;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use roadmap::commands;
use roadmap::core::habits::HabitView;
use roadmap::core::outlook::{Outlook, slip};
use roadmap::core::progress::replay;
use roadmap::shell::context::Ctx;
use roadmap::shell::plan_source::resolve_plan;
use roadmap::shell::store::Store;
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::Duration;

fn sizes() -> Vec<usize> {
    std::env::var("ROADMAP_BENCH_SIZES")
        .ok()
        .map(|s| s.split(',').filter_map(|n| n.trim().parse().ok()).collect())
        .unwrap_or_else(|| vec![100, 1_000, 10_000, 100_000])
}

/// One generated size, written to disk with warm caches.
struct Fixture {
    tasks: usize,
    generated: synth::Generated,
    dir: tempfile::TempDir,
}

impl Fixture {
    fn new(tasks: usize) -> Fixture {
        let dir = tempfile::tempdir().expect("temp dir");
        let plan_path = dir.path().join("plan.yaml");
        let generated = synth::generate(tasks, tasks * 10, &plan_path.display().to_string());
        std::fs::write(&plan_path, &generated.yaml).expect("plan");
        let mut bytes = Vec::new();
        roadmap::core::state::codec::encode(&generated.state, &mut bytes).expect("encode");
        std::fs::write(dir.path().join("state.jsonl"), &bytes).expect("state");
        let fixture = Fixture { tasks, generated, dir };
        // Warm both caches.
        let _ = fixture.store().read().expect("state reads");
        let _ = fixture.plan_from_cache();
        fixture
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn cache(&self) -> PathBuf {
        self.path("cache")
    }

    fn store(&self) -> Store {
        Store::new(self.path("state.jsonl")).with_snapshots(Some(&self.cache()))
    }

    fn plan_from_cache(&self) -> roadmap::core::plan::Plan {
        let path = self.path("plan.yaml");
        resolve_plan(path.to_str(), None, Some(&self.cache())).expect("plan").plan
    }

    fn ctx(&self) -> Ctx {
        Ctx {
            today: synth::today(),
            now: chrono::Utc::now(),
            store: self.store(),
            plan_arg: None,
            terminal: roadmap::shell::terminal::Terminal::PLAIN,
            cache: Some(self.cache()),
        }
    }
}

fn group<'a>(
    c: &'a mut Criterion,
    name: &str,
    tasks: usize,
) -> criterion::BenchmarkGroup<'a, criterion::measurement::WallTime> {
    let mut g = c.benchmark_group(name);
    g.throughput(Throughput::Elements(tasks as u64));
    if tasks >= 10_000 {
        g.sample_size(10).measurement_time(Duration::from_secs(if tasks >= 100_000 { 20 } else { 5 }));
    }
    g
}

fn benches(c: &mut Criterion) {
    for tasks in sizes() {
        let f = Fixture::new(tasks);
        let plan = f.plan_from_cache();
        let id = BenchmarkId::from_parameter(tasks);

        let mut g = group(c, "plan_load_validate", tasks);
        g.bench_with_input(id.clone(), &f.generated.yaml, |b, yaml| {
            b.iter(|| roadmap::core::plan::load("bench", black_box(yaml.as_bytes())).expect("valid"))
        });
        g.finish();

        let mut g = group(c, "plan_from_cache", tasks);
        g.bench_function(id.clone(), |b| b.iter(|| f.plan_from_cache()));
        g.finish();

        let mut g = group(c, "state_replay_all_events", tasks);
        g.bench_function(id.clone(), |b| b.iter(|| replay(black_box(&f.generated.state)).expect("replays")));
        g.finish();

        let mut g = group(c, "state_from_snapshot", tasks);
        g.bench_function(id.clone(), |b| b.iter(|| f.store().read().expect("reads")));
        g.finish();

        let loaded = f.store().read().expect("reads").expect("a state");
        let progress = &loaded.progress;
        let today = synth::today();

        let mut g = group(c, "schedule_outlook", tasks);
        g.bench_function(id.clone(), |b| b.iter(|| Outlook::new(&plan, progress, today).expect("schedules")));
        g.finish();

        let outlook = Outlook::new(&plan, progress, today).expect("schedules");
        let mut g = group(c, "report_figures", tasks);
        g.bench_function(id.clone(), |b| {
            b.iter(|| {
                let (total, earned) = roadmap::core::outlook::plan_effort(&plan, progress, &outlook.work);
                let phases: Vec<String> = (0..plan.phases.len())
                    .map(|p| roadmap::render::summary::phase_line(&plan, progress, &outlook, p))
                    .collect();
                let streaks: Vec<(u32, u32)> = plan
                    .habits
                    .iter()
                    .map(|habit| {
                        let view =
                            HabitView { habit, calendar: &progress.calendar, progress, clock: &outlook.clock, today };
                        (view.current_streak(), view.longest_streak())
                    })
                    .collect();
                let health = roadmap::render::summary::health_line(progress, &outlook);
                (total, earned, phases, streaks, health, slip(outlook.schedule.end, progress.baseline.end))
            })
        });
        g.finish();

        let last = plan.tasks.last().map(|t| t.full_id.to_string()).unwrap_or_default();
        let suffix = last.split_once('.').map(|(_, s)| s.to_string()).unwrap_or_default();
        let title = plan.tasks.last().map(|t| t.title.to_string()).unwrap_or_default();
        let number = plan.tasks.len().to_string();
        let mut g = group(c, "lookup", tasks);
        for (what, reference) in [
            ("full_id_last", last.as_str()),
            ("number", number.as_str()),
            ("suffix", suffix.as_str()),
            ("title", title.as_str()),
            ("miss_with_suggestions", "no-such-task-anywhere"),
        ] {
            g.bench_function(BenchmarkId::new(what, tasks), |b| b.iter(|| plan.lookup(black_box(reference))));
        }
        g.finish();

        let ctx = f.ctx();
        let mut g = group(c, "command_in_process", tasks);
        g.bench_function(BenchmarkId::new("next", tasks), |b| {
            b.iter(|| commands::next::run(&ctx, false).expect("next"))
        });
        g.bench_function(BenchmarkId::new("list", tasks), |b| {
            b.iter(|| commands::list::run(&ctx, None, None, false).expect("list"))
        });
        g.bench_function(BenchmarkId::new("schedule", tasks), |b| {
            b.iter(|| commands::schedule::run(&ctx, None, false).expect("schedule"))
        });
        g.finish();
        drop_fixture(f.tasks, f.dir.path());
    }
}

/// Says where a size's files were, for a rerun by hand.
fn drop_fixture(tasks: usize, dir: &Path) {
    eprintln!("({tasks} tasks done; fixture {} removed)", dir.display());
}

criterion_group!(core, benches);
criterion_main!(core);
