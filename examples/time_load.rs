//! Times the steps of a command on a generated state (a development aid).

// Tests, benchmarks and examples stand outside the house: they may touch the world.
#![allow(clippy::disallowed_methods, clippy::disallowed_macros)]
//
// `time_load DIR --parse-only`: only the first line's two figures, as
// `yaml_serde_ms roadmap_ms` (what `bench/run.sh` records), and nothing
// written.
fn main() {
    let dir = std::path::PathBuf::from(std::env::args().nth(1).unwrap_or_else(|| "/tmp/bench/n10000".into()));
    let parse_only = std::env::args().nth(2).as_deref() == Some("--parse-only");
    // The first run after an edit against the YAML library alone: the
    // median of 11 in-process runs each (issue 17's "≤ 2.5× yaml_serde").
    if let Ok(bytes) = std::fs::read(dir.join("plan.yaml")) {
        let median = |f: &dyn Fn()| {
            let mut times: Vec<_> = (0..11)
                .map(|_| {
                    let t = std::time::Instant::now();
                    f();
                    t.elapsed()
                })
                .collect();
            times.sort();
            times[5]
        };
        let text = String::from_utf8_lossy(&bytes);
        let parse = median(&|| drop(serde_yaml::from_str::<serde_yaml::Value>(&text)));
        let load = median(&|| drop(roadmap::core::plan::load("plan.yaml", &bytes)));
        let ratio = load.as_secs_f64() / parse.as_secs_f64();
        if parse_only {
            println!("{:.2} {:.2}", parse.as_secs_f64() * 1000.0, load.as_secs_f64() * 1000.0);
            return;
        }
        println!("yaml_serde parse alone {parse:?}; roadmap parse + validate {load:?} ({ratio:.2}x)");
    }
    if parse_only {
        return;
    }
    let today = chrono::NaiveDate::from_ymd_opt(2027, 6, 1).unwrap_or_default();
    let t = std::time::Instant::now();
    let source = roadmap::shell::plan_source::resolve_plan(
        Some(dir.join("plan.yaml").to_str().unwrap_or_default()),
        None,
        Some(&dir.join("cache")),
    );
    println!("plan (cached) {:?}", t.elapsed());
    let t = std::time::Instant::now();
    let store = roadmap::shell::store::Store::new(dir.join("state.jsonl")).with_snapshots(Some(&dir.join("cache")));
    let loaded = store.read();
    println!("state (snapshot) {:?}", t.elapsed());
    if let (Ok(source), Ok(Some(loaded))) = (source, loaded) {
        let t = std::time::Instant::now();
        let outlook = roadmap::core::outlook::Outlook::new(&source.plan, &loaded.progress, today);
        println!("outlook {:?}", t.elapsed());
        let t = std::time::Instant::now();
        let work = loaded.progress.work(&source.plan);
        println!("work {:?} {}", t.elapsed(), work.len());
        let t = std::time::Instant::now();
        let o = loaded.progress.orphans(&source.plan);
        println!("orphans {:?} {}", t.elapsed(), o.len());
        drop(outlook);
    }
}
