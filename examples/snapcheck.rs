fn main() {
    let path = std::path::PathBuf::from("/tmp/b10k/state.jsonl");
    let snap = std::path::PathBuf::from("/tmp/b10k/cache/state-3f3ca174835362ff.bin");
    let t = std::time::Instant::now();
    let r = roadmap::snapshot::read(&path, &snap);
    println!("{:?} {:?}", t.elapsed(), r.as_ref().map(|o| o.is_some()));
}
