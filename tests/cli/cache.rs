//! The caches never change an answer: snapshots of the state and validated
//! plans are used only while true to their files, and rebuilt otherwise.

use super::support::*;

fn status_of(env: &Sandbox, number: usize) -> String {
    let json: serde_json::Value = serde_json::from_str(&env.ok(&["list", "--json"])).expect("json");
    let mut tasks = Vec::new();
    for phase in json["phases"].as_array().into_iter().flatten() {
        for module in phase["modules"].as_array().into_iter().flatten() {
            tasks.extend(module["tasks"].as_array().into_iter().flatten().cloned());
        }
    }
    tasks[number - 1]["status"].as_str().unwrap_or_default().to_string()
}

fn cache_files(env: &Sandbox, prefix: &str) -> Vec<std::path::PathBuf> {
    let dir = env.cache_dir();
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .flatten()
                .map(|e| e.path())
                .filter(|p| p.file_name().is_some_and(|n| n.to_string_lossy().starts_with(prefix)))
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn snapshot_follows_appends_rewrites_and_damage() {
    let env = Sandbox::new();
    env.ok(&["done", "agent"]);
    assert_eq!(status_of(&env, 1), "done");
    assert_eq!(cache_files(&env, "state-").len(), 1, "a snapshot was written");

    // An event appended by another writer: read from the snapshot plus the new line.
    let line = r#"{"id":"00000001000000000000000200000000","at":"2027-01-04T09:00:00Z","kind":"done","task":"p4.frontier.moe","on":"2027-01-04"}"#;
    let mut text = std::fs::read_to_string(env.state()).expect("state");
    text.push_str(line);
    text.push('\n');
    std::fs::write(env.state(), &text).expect("append");
    assert_eq!(status_of(&env, 2), "done");

    // An undo among the new lines: the whole file is replayed.
    let mut text = std::fs::read_to_string(env.state()).expect("state");
    text.push_str(r#"{"id":"00000001000000000000000300000000","at":"2027-01-04T09:01:00Z","kind":"undo","target":"00000001000000000000000200000000"}"#);
    text.push('\n');
    std::fs::write(env.state(), &text).expect("append undo");
    assert_eq!(status_of(&env, 2), "todo");

    // The same length but other content (an edit by hand): not taken from the snapshot.
    let edited = text.replace("p4.frontier.agent", "p4.frontier.xgent");
    assert_eq!(edited.len(), text.len());
    std::fs::write(env.state(), &edited).expect("edit");
    assert_eq!(status_of(&env, 1), "todo");

    // A damaged snapshot is ignored.
    for file in cache_files(&env, "state-") {
        std::fs::write(file, b"RMCACHE2 garbage garbage garbage").expect("damage");
    }
    assert_eq!(status_of(&env, 1), "todo");

    // A rewrite (init --force) replaces the file: nothing of the old progress shows.
    env.ok(&["init", "--force"]);
    assert_eq!(status_of(&env, 1), "todo");
    assert_eq!(status_of(&env, 2), "todo");
}

/// A plan large enough to be cached (over 4 KiB).
fn big_plan(effort: &str) -> String {
    let mut yaml = String::from(
        "format: 1\nid: big\ntitle: Big\nphases:\n  - id: p1\n    title: P1\n    modules:\n      - id: m\n        title: M\n        tasks:\n",
    );
    for i in 0..400 {
        yaml += &format!(
            "          - id: t{i}\n            title: 任务 {i} with a long enough title\n            effort: {}\n            notes: |\n              {}\n",
            if i == 0 { effort } else { "1h" },
            "notes ".repeat(20)
        );
    }
    yaml
}

#[test]
fn cached_plans_follow_their_file() {
    let mut env = Sandbox::new();
    let plan = env.dir().join("big.yaml");
    std::fs::write(&plan, big_plan("2h")).expect("plan");
    env.use_plan(&plan);
    let effort = |env: &Sandbox| {
        let json: serde_json::Value = serde_json::from_str(&env.ok(&["show", "t0", "--json"])).expect("json");
        json["effort_minutes"].as_u64()
    };
    assert_eq!(effort(&env), Some(120));
    assert_eq!(cache_files(&env, "plan-").len(), 1, "the validated plan was cached");
    assert_eq!(effort(&env), Some(120));

    std::fs::write(&plan, big_plan("3h")).expect("plan");
    assert_eq!(effort(&env), Some(180), "an edited plan is read again");

    std::fs::write(&plan, big_plan("0h")).expect("plan");
    let run = env.run(&["show", "t0"]);
    assert_eq!(run.code, 1, "an invalid plan is refused, never served from the cache");
    assert!(run.stderr.contains("effort `0h` is zero"), "{}", run.stderr);

    std::fs::write(&plan, big_plan("3h")).expect("plan");
    for file in cache_files(&env, "plan-") {
        std::fs::write(file, b"RMCACHE2 garbage garbage garbage").expect("damage");
    }
    assert_eq!(effort(&env), Some(180));
}

/// A cached plan keeps its tasks' details apart, each with its own
/// checksum (`plan::apart`): a task whose details were damaged in the
/// entry shows them as the plan file has them, and the other tasks come
/// from the entry as before.
#[test]
fn a_tasks_damaged_details_in_the_cache_are_read_from_the_plan() {
    let mut env = Sandbox::new();
    let plan = env.dir().join("big.yaml");
    std::fs::write(&plan, big_plan("2h")).expect("plan");
    env.use_plan(&plan);
    let notes = |env: &Sandbox, task: &str| env.json(&["show", task, "--json"])["notes"].as_str().map(str::to_string);
    let written = notes(&env, "t399").expect("notes");
    assert!(written.starts_with("notes notes"), "{written}");
    let [entry] = &cache_files(&env, "plan-")[..] else { panic!("one cached plan") };
    let mut bytes = std::fs::read(entry).expect("entry");
    let at = bytes.windows(6).rposition(|w| w == b"notes ").expect("the last task's notes");
    bytes[at] = b'N';
    std::fs::write(entry, &bytes).expect("damage");
    assert_eq!(notes(&env, "t399"), Some(written.clone()), "the damaged task's notes, from the plan");
    assert_eq!(notes(&env, "t0"), Some(written.clone()), "another task's, from the entry");
    assert_eq!(std::fs::read(entry).expect("entry"), bytes, "the entry was served, not rebuilt");

    // The plan file touched, its content the same: the entry is written
    // again from the cached plan, every task's details whole (the damaged
    // one's from the file), and served as before.
    let text = std::fs::read(&plan).expect("plan");
    std::fs::write(&plan, &text).expect("touch");
    assert_eq!(notes(&env, "t399"), Some(written.clone()));
    let rewritten = std::fs::read(entry).expect("entry");
    assert_ne!(rewritten, bytes, "the entry was written again for the touched file");
    assert!(!rewritten.windows(6).any(|w| w == b"Notes "), "the damaged bytes were not written again");
    for task in ["t0", "t200", "t399"] {
        assert_eq!(notes(&env, task), Some(written.clone()), "{task}");
    }
}

#[test]
fn built_in_plans_are_cached_and_a_damaged_entry_is_rebuilt() {
    let env = Sandbox::new();
    let first = env.ok(&["next"]);
    assert_eq!(cache_files(&env, "builtin-").len(), 1, "the validated built-in plan was cached");
    assert_eq!(env.ok(&["next"]), first, "served from the cache, the same screen");
    for file in cache_files(&env, "builtin-") {
        let mut bytes = std::fs::read(&file).expect("entry");
        let last = bytes.len() - 1;
        bytes[last] ^= 0x55;
        std::fs::write(&file, bytes).expect("damage");
    }
    assert_eq!(env.ok(&["next"]), first, "a damaged entry is ignored and rebuilt");
    assert_eq!(env.ok(&["next"]), first);
}

/// 2,000 tasks, `p1.m0.t0` to `p1.m19.t99`, each with notes.
fn large_plan() -> String {
    let mut yaml =
        String::from("format: 1\nid: large\ntitle: Large\nphases:\n  - id: p1\n    title: P1\n    modules:\n");
    for m in 0..20 {
        yaml += &format!("      - id: m{m}\n        title: 模块 {m}\n        tasks:\n");
        for t in 0..100 {
            yaml += &format!(
                "          - id: t{t}\n            title: 任务 {m}.{t} with a title\n            effort: 1h\n            notes: |\n              {}\n",
                "笔记 notes ".repeat(8)
            );
        }
    }
    yaml
}

/// Appends a `done` event for each of `tasks` (numbers of the large plan,
/// 0 to 1999), on 2027-01-05, ids from `first`.
fn append_done(env: &Sandbox, tasks: impl Iterator<Item = u32>, first: u64) {
    let mut lines = String::new();
    for (k, n) in tasks.enumerate() {
        lines += &format!(
            "{{\"id\":\"{:032x}\",\"at\":\"2027-01-05T08:00:00Z\",\"kind\":\"done\",\"task\":\"p1.m{}.t{}\",\"on\":\"2027-01-05\"}}\n",
            first + k as u64,
            n / 100,
            n % 100
        );
    }
    let mut state = std::fs::OpenOptions::new().append(true).open(env.state()).expect("state");
    std::io::Write::write_all(&mut state, lines.as_bytes()).expect("append");
}

/// Progress recorded far out of the plan's order is put in it once and its
/// snapshot written so (`Progress::put_in_plan_order`): screens say what
/// they say without a cache, and the snapshot is not written again by
/// the runs after, below the point of putting in order or past it.
#[test]
fn progress_out_of_the_plans_order_is_saved_in_it_once() {
    let mut env = Sandbox::new().dated("2027-01-20");
    let plan = env.dir().join("large.yaml");
    std::fs::write(&plan, large_plan()).expect("plan");
    env.use_plan(&plan);
    env.on("2027-01-04").args(["init"]).ok();
    let modified = |env: &Sandbox| {
        let snapshot = cache_files(env, "state-");
        assert_eq!(snapshot.len(), 1);
        std::fs::metadata(&snapshot[0]).and_then(|m| m.modified()).expect("snapshot")
    };
    let same_as_uncached = |env: &Sandbox| {
        for args in [&["list", "--json"][..], &["report", "--week", "last", "--json"], &["next"]] {
            let uncached = env.roadmap().env("ROADMAP_CACHE_DIR", "").args(args).ok();
            assert_eq!(env.roadmap().args(args).ok(), uncached, "{args:?}");
        }
    };
    let initial = std::fs::metadata(env.state()).expect("state").len();
    // 200 tasks done from the last back: out of order, but too few to move.
    append_done(&env, (1800..2000).rev(), 0xd0_0000);
    same_as_uncached(&env);
    let first = modified(&env);
    env.ok(&["next"]);
    assert_eq!(modified(&env), first, "a snapshot left as it was");
    // 100 more (a tail too short for the store to write a snapshot anew,
    // `snapshot::TAIL_KEPT`): now the progress is put in order, and saved.
    append_done(&env, (1700..1800).rev(), 0xd1_0000);
    let appended = std::fs::metadata(env.state()).expect("state").len() - initial;
    assert!(appended < 64 * 1024, "{appended} bytes appended");
    env.ok(&["next"]);
    let sorted = modified(&env);
    assert_ne!(sorted, first, "the snapshot written in the plan's order");
    same_as_uncached(&env);
    env.ok(&["done", "p1.m0.t0"]);
    same_as_uncached(&env);
    assert_eq!(modified(&env), sorted, "in order, the snapshot is not written again");
}

/// Large input takes the other road: a plan and a state snapshot over
/// 256 KiB are mapped rather than read, the journal is left in the mapped
/// snapshot, and the program allocates from mimalloc from then on
/// (`shell::alloc`). Every screen says what the same commands say with no
/// cache at all, before and after an event is appended on top.
#[test]
fn large_plans_and_states_read_through_mapped_caches_say_the_same() {
    let mut env = Sandbox::new().dated("2027-01-20");
    let plan = env.dir().join("large.yaml");
    let yaml = large_plan();
    assert!(yaml.len() > 256 * 1024, "{} bytes", yaml.len());
    std::fs::write(&plan, &yaml).expect("plan");
    env.use_plan(&plan);
    env.on("2027-01-04").args(["init"]).ok();
    // Three thousand time logs with notes on the first tasks: a snapshot
    // (and a journal) well over 256 KiB. Fifteen days in order, every 7th
    // log `--on` a day of the first week: the journal's blocks (of 256
    // entries) are about a few days each, so a week's report steps over
    // most of them, and back-dated entries sit in blocks of later days.
    let mut lines = String::new();
    for i in 0..3000u32 {
        let day = if i % 7 == 6 { 4 + i % 5 } else { 4 + i / 200 };
        lines += &format!(
            "{{\"id\":\"{:032x}\",\"at\":\"2027-01-{day:02}T08:00:00Z\",\"kind\":\"logged\",\"task\":\"p1.m{}.t{}\",\"on\":\"2027-01-{day:02}\",\"minutes\":5,\"note\":\"{}\"}}\n",
            0xabc0_0000_u64 + u64::from(i),
            i % 3,
            i % 40,
            "读了一节 read a section ".repeat(3)
        );
    }
    let mut state = std::fs::OpenOptions::new().append(true).open(env.state()).expect("state");
    std::io::Write::write_all(&mut state, lines.as_bytes()).expect("append");
    drop(state);
    let screens: [&[&str]; 7] = [
        &["next"],
        &["list", "--json"],
        &["schedule"],
        &["show", "p1.m0.t0"],
        &["report", "--week", "last", "--json"],
        &["report", "--since", "2027-01-11", "--until", "2027-01-13", "--json"],
        &["next", "--json"],
    ];
    let compare = |env: &Sandbox, when: &str| {
        for args in screens {
            let uncached = env.roadmap().env("ROADMAP_CACHE_DIR", "").args(args).ok();
            // Twice: the first run writes the caches, the second reads them.
            for round in ["writes", "reads"] {
                assert_eq!(env.roadmap().args(args).ok(), uncached, "{args:?} {when}, the run that {round} the caches");
            }
        }
    };
    compare(&env, "after the logs");
    let snapshot = cache_files(&env, "state-");
    assert_eq!(snapshot.len(), 1);
    let size = std::fs::metadata(&snapshot[0]).expect("snapshot").len();
    assert!(size > 256 * 1024, "the snapshot is {size} bytes");
    assert!(env.ok(&["show", "p1.m0.t0"]).contains("读了一节"), "the journal comes from the mapped snapshot");
    let week = env.ok(&["report", "--week", "last", "--json"]);
    assert!(week.contains("读了一节"), "a week's notes come through the journal's blocks");
    env.ok(&["done", "p1.m0.t1", "--note", "写完 done"]);
    compare(&env, "after a done on top of the snapshot");
    assert!(env.ok(&["show", "p1.m0.t1"]).contains("写完 done"));
}
