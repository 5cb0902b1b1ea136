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
    b.ok(&["log", "moe", "2h"]);
    b.ok(&["done", "leetcode"]);
    let base = a.dir().join("base.jsonl");
    std::fs::write(&base, "").expect("base");
    let (ours, theirs) = (a.state(), b.state());
    let (o, t) = (ours.to_string_lossy().to_string(), theirs.to_string_lossy().to_string());
    let out = a.ok(&["merge", &base.to_string_lossy(), &o, &t]);
    assert_eq!(out, "Merged: 3 events (2 new from the other side)\n");
    let merged = std::fs::read(&ours).expect("merged");
    let mut all = ids(&ours);
    all.sort();
    let mut expected: Vec<String> = ids(&theirs);
    expected.push(a.events()[0]["id"].as_str().expect("id").to_string());
    expected.sort();
    assert_eq!(all, expected, "every event of either side, once");
    // Again, and the other way round: the same bytes.
    assert_eq!(a.ok(&["merge", &base.to_string_lossy(), &o, &t]), "Merged: 3 events (0 new from the other side)\n");
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
    assert!(doctor.stdout.contains("p4.frontier.agent: done p4.frontier.agent on 2027-01-04 (on this copy"), "{}", doctor.stdout);
    assert!(doctor.stdout.contains("then reopened p4.frontier.agent (on another copy"), "{}", doctor.stdout);
    assert!(a.ok(&["list"]).lines().any(|l| l.contains("p4.frontier.agent") && l.ends_with("todo")));
}
