//! Times the steps of a command on a generated state (a development aid).

// Tests, benchmarks and examples stand outside the house: they may touch the world.
#![allow(clippy::disallowed_methods, clippy::disallowed_macros)]
fn main() {
    let dir = std::path::PathBuf::from(std::env::args().nth(1).unwrap_or_else(|| "/tmp/bench/n10000".into()));
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
