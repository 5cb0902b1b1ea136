//! `roadmap merge BASE OURS THEIRS` (the git merge driver), synced-folder
//! conflict copies (`doctor`, `doctor --fix`) and conflicting meanings.

use crate::support::Sandbox;
use std::path::Path;

/// Two copies of one state: `a` initialised, `b` a copy of its file (another path: another origin).
fn two_copies() -> (Sandbox, Sandbox) {
    let a = Sandbox::new();
    a.ok(&["init", "--start", "2027-01-04"]);
    let b = Sandbox::new();
    std::fs::copy(a.state(), b.state()).expect("copy");
    (a, b)
}

fn ids(path: &Path) -> Vec<String> {
    std::fs::read_to_string(path)
        .expect("state")
        .lines()
        .skip(1)
        .map(|l| serde_json::from_str::<serde_json::Value>(l).expect("event")["id"].as_str().expect("id").to_string())
        .collect()
}

#[test]
fn the_merge_driver_writes_the_union_to_ours_and_is_idempotent() {
    let (a, b) = two_copies();
    a.ok(&["done", "agent"]);
    let ours_id = a.events()[0]["id"].as_str().expect("id").to_string();
    b.ok(&["log", "moe", "2h"]);
    b.ok(&["done", "leetcode"]);
    let base = a.dir().join("base.jsonl");
    std::fs::write(&base, "").expect("base");
    let (ours, theirs) = (a.state(), b.state());
    let (o, t) = (ours.to_string_lossy().to_string(), theirs.to_string_lossy().to_string());
    let out = a.ok(&["merge", &base.to_string_lossy(), &o, &t]);
    assert_eq!(out, "", "silent, as a merge driver is");
    let merged = std::fs::read(&ours).expect("merged");
    let mut all = ids(&ours);
    all.sort();
    let mut expected: Vec<String> = ids(&theirs);
    expected.push(ours_id);
    expected.sort();
    assert_eq!(all, expected, "every event of either side, once");
    // Again, and the other way round: the same bytes.
    a.ok(&["merge", &base.to_string_lossy(), &o, &t]);
    assert_eq!(std::fs::read(&ours).expect("again"), merged);
    b.ok(&["merge", &base.to_string_lossy(), &t, &o]);
    assert_eq!(std::fs::read(&theirs).expect("theirs"), merged);
    assert!(a.ok(&["list"]).lines().any(|l| l.contains("p4.frontier.moe") && l.ends_with("in progress")));
}

#[test]
fn an_unreadable_side_is_refused_and_ours_is_left_alone() {
    let (a, b) = two_copies();
    a.ok(&["done", "agent"]);
    std::fs::write(b.state(), "<<<<<<< conflict markers\n").expect("damage");
    let before = std::fs::read(a.state()).expect("state");
    let run = a.run(&["merge", "/dev/null", &a.state().to_string_lossy(), &b.state().to_string_lossy()]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("is not a roadmap state file"), "{}", run.stderr);
    assert_eq!(std::fs::read(a.state()).expect("state"), before);
}

#[test]
fn doctor_finds_conflict_copies_and_fix_merges_them_in() {
    let (a, b) = two_copies();
    a.ok(&["done", "agent"]);
    b.ok(&["log", "moe", "1h"]);
    let syncthing = a.dir().join("state.sync-conflict-20270105-101010-ABCDEFG.jsonl");
    let dropbox = a.dir().join("state (Alice's conflicted copy 2027-01-05).jsonl");
    std::fs::copy(b.state(), &syncthing).expect("copy");
    b.ok(&["done", "resume"]);
    std::fs::copy(b.state(), &dropbox).expect("copy");
    let run = a.run(&["doctor"]);
    assert!(run.stdout.contains("2 conflict copies of the state made by a synced folder"), "{}", run.stdout);
    assert!(run.stdout.contains("state.sync-conflict-20270105-101010-ABCDEFG.jsonl"), "{}", run.stdout);
    assert!(run.stdout.contains("state (Alice's conflicted copy 2027-01-05).jsonl"), "{}", run.stdout);
    let fixed = a.run(&["doctor", "--fix"]);
    assert!(fixed.stdout.contains("merged 2 conflict copies into the state (2 events added"), "{}", fixed.stdout);
    assert!(!syncthing.exists() && !dropbox.exists(), "the copies are removed");
    assert_eq!(ids(&a.state()).len(), 3, "done agent, log moe, done resume: each once");
    let list = a.ok(&["list"]);
    assert!(list.lines().any(|l| l.contains("p4.jobprep.resume") && l.ends_with("done")), "{list}");
    assert!(!a.run(&["doctor"]).stdout.contains("conflict cop"));
}

#[test]
fn done_here_and_reopened_there_resolves_the_same_everywhere_and_doctor_says_so() {
    let (a, b) = two_copies();
    a.ok(&["done", "agent"]);
    std::fs::copy(a.state(), b.state()).expect("sync");
    b.ok(&["reopen", "agent"]);
    a.ok(&["done", "moe"]);
    let (o, t) = (a.state().to_string_lossy().to_string(), b.state().to_string_lossy().to_string());
    a.ok(&["merge", "/dev/null", &o, &t]);
    b.ok(&["merge", "/dev/null", &t, &o]);
    assert_eq!(std::fs::read(a.state()).expect("a"), std::fs::read(b.state()).expect("b"));
    let doctor = a.run(&["doctor"]);
    assert!(
        doctor.stdout.contains("1 task was marked one way on one copy of the state and the other way on another; every machine keeps the later"),
        "{}",
        doctor.stdout
    );
    assert!(
        doctor.stdout.contains("p4.frontier.agent: done p4.frontier.agent on 2027-01-04 (on this copy"),
        "{}",
        doctor.stdout
    );
    assert!(doctor.stdout.contains("then reopened p4.frontier.agent (on another copy"), "{}", doctor.stdout);
    assert!(a.ok(&["list"]).lines().any(|l| l.contains("p4.frontier.agent") && l.ends_with("todo")));
}

/// Format-1 text of events given as (seq, at, kind-specific JSON fields).
fn format_1(header: &str, lines: &[String]) -> String {
    let header = header.replace("\"roadmap_state\":2", "\"roadmap_state\":1");
    let mut text = format!("{header}\n");
    for line in lines {
        text.push_str(line);
        text.push('\n');
    }
    text
}

/// Every state fixture (the fuzz seeds, written in format 1) is read as it
/// is, and the first write upgrades it without losing or reordering an
/// event: the same ids, the same figures, the new event after them.
#[test]
fn every_format_1_fixture_upgrades_losslessly_on_first_write() {
    let seeds = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/seeds/state_parse");
    let mut checked = 0;
    for entry in std::fs::read_dir(&seeds).expect("seeds") {
        let path = entry.expect("entry").path();
        let bytes = std::fs::read(&path).expect("seed");
        let Ok(old) = roadmap::core::state::codec::parse(&bytes) else { continue };
        assert_eq!(old.state.header.roadmap_state, 1, "{}", path.display());
        let env = Sandbox::new();
        std::fs::write(env.state(), &bytes).expect("fixture");
        let before = env.run(&["list", "--json"]);
        assert_eq!(std::fs::read(env.state()).expect("state"), bytes, "read as it is");
        // A state whose calendar cannot schedule the plan takes only a change
        // that fixes it (nothing else is written: see tests/cli/trust.rs), so
        // its first write gives it hours, and no undo puts it back.
        let schedulable = before.code == 0;
        let first_write: &[&str] =
            if schedulable { &["log", "moe", "1h"] } else { &["config", "--hours", "mon-fri=2h,sat-sun=4h"] };
        env.ok(first_write);
        let text = std::fs::read_to_string(env.state()).expect("state");
        let upgraded = roadmap::core::state::codec::parse(text.as_bytes()).expect("upgraded parses");
        assert_eq!(upgraded.state.header.roadmap_state, 2, "{}", path.display());
        assert!(!text.contains("\"seq\""), "{}", path.display());
        let n = old.state.events.len();
        assert_eq!(upgraded.state.events.len(), n + 1);
        assert_eq!(
            &upgraded.state.events[..n],
            &old.state.events[..],
            "{}: every event kept, in order",
            path.display()
        );
        if !schedulable {
            checked += 1;
            continue;
        }
        env.ok(&["undo"]);
        let after = env.run(&["list", "--json"]);
        assert_eq!(
            (after.code, after.stdout, after.stderr),
            (before.code, before.stdout, before.stderr),
            "{}: the same figures",
            path.display()
        );
        checked += 1;
    }
    assert!(checked >= 2, "the fixtures were found ({checked})");
}

#[test]
fn a_format_1_undo_by_seq_keeps_its_meaning_after_the_upgrade() {
    let a = Sandbox::new();
    a.ok(&["init", "--start", "2027-01-04"]);
    let header = std::fs::read_to_string(a.state()).expect("state").lines().next().expect("header").to_string();
    let text = format_1(
        &header,
        &[
            r#"{"seq":1,"at":"2027-01-04T20:00:00Z","kind":"done","task":"p4.frontier.agent","on":"2027-01-04"}"#
                .into(),
            r#"{"seq":2,"at":"2027-01-04T20:00:00Z","kind":"done","task":"p4.frontier.moe","on":"2027-01-04"}"#.into(),
            r#"{"seq":3,"at":"2027-01-04T19:00:00Z","kind":"undo","target":1}"#.into(),
        ],
    );
    std::fs::write(a.state(), &text).expect("old");
    let before = a.ok(&["list"]);
    a.ok(&["log", "resume", "1h"]);
    let events = a.events();
    assert_eq!(events[2]["target"], events[0]["id"], "the undo names its target by id now");
    assert_eq!(events[2]["at"], "2027-01-04T20:00:00Z", "a time before the line above is moved up to it");
    let after = a.ok(&["list"]);
    // The same row, whatever width the other rows give the columns.
    let line = |t: &str, id: &str| {
        t.lines().find(|l| l.contains(id)).map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
    };
    assert_eq!(line(&after, "p4.frontier.agent"), line(&before, "p4.frontier.agent"));
    assert_eq!(line(&after, "p4.frontier.moe"), line(&before, "p4.frontier.moe"));
}
