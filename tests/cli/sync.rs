//! `roadmap sync` with real git: a bare repository on local disk and clones
//! of it ("machines"), each recording without syncing, then syncing in
//! every order. Every git run here sets its own identity and reads no
//! config of the machine (HOME is the sandbox; no system config).

use crate::support::{Roadmap, Sandbox};
use proptest::prelude::*;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

const IDENTITY: [(&str, &str); 6] = [
    ("GIT_AUTHOR_NAME", "Test Learner"),
    ("GIT_AUTHOR_EMAIL", "learner@example.invalid"),
    ("GIT_COMMITTER_NAME", "Test Learner"),
    ("GIT_COMMITTER_EMAIL", "learner@example.invalid"),
    ("GIT_CONFIG_NOSYSTEM", "1"),
    ("GIT_CONFIG_GLOBAL", "/dev/null"),
];

/// A bare repository and its clones, in one sandbox.
struct World {
    env: Sandbox,
}

impl World {
    fn new() -> World {
        let world = World { env: Sandbox::new() };
        let bare = world.env.dir().join("remote.git");
        world.git(world.env.dir(), &["-c", "init.defaultBranch=main", "init", "-q", "--bare", &bare.to_string_lossy()]);
        world
    }

    fn git_output(&self, dir: &Path, args: &[&str]) -> Output {
        let mut command = Command::new("git");
        command.env_clear().envs(self.env.environment()).envs(IDENTITY).current_dir(dir).stdin(Stdio::null());
        command.args(args).output().expect("run git")
    }

    fn git(&self, dir: &Path, args: &[&str]) -> String {
        let out = self.git_output(dir, args);
        assert!(out.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// A clone of the bare repository: a machine.
    fn clone(&self, name: &str) -> PathBuf {
        let bare = self.env.dir().join("remote.git");
        self.git(self.env.dir(), &["clone", "-q", &bare.to_string_lossy(), name]);
        self.env.dir().join(name)
    }

    fn state(machine: &Path) -> PathBuf {
        machine.join("state.jsonl")
    }

    /// `roadmap` on a machine's state, with the git identity.
    fn on<'a>(&'a self, machine: &Path, today: &str) -> Roadmap<'a> {
        let mut run = self.env.on(today).env("ROADMAP_STATE", World::state(machine));
        for (key, value) in IDENTITY {
            run = run.env(key, value);
        }
        run
    }

    fn ok(&self, machine: &Path, today: &str, args: &[&str]) -> String {
        self.on(machine, today).args(args).ok()
    }

    fn sync(&self, machine: &Path) -> String {
        self.ok(machine, "2027-01-10", &["sync"])
    }

    fn bytes(machine: &Path) -> Vec<u8> {
        std::fs::read(World::state(machine)).expect("state")
    }

    fn ids(machine: &Path) -> Vec<String> {
        let text = String::from_utf8(World::bytes(machine)).expect("utf-8");
        text.lines()
            .skip(1)
            .map(|l| {
                serde_json::from_str::<serde_json::Value>(l).expect("event")["id"].as_str().expect("id").to_string()
            })
            .collect()
    }

    /// The figures a learner sees: `list --json` and `report --format json`.
    fn figures(&self, machine: &Path) -> (String, String) {
        let list = self.ok(machine, "2027-01-10", &["list", "--json"]);
        let report = self.ok(machine, "2027-01-10", &["report", "--format", "json"]);
        (list, report)
    }
}

/// A week on two machines: (machine, day, command). Each machine's `undo`
/// follows its own change, and what the two machines do commutes (other
/// tasks, other weekdays, check-ins and logs that add up), so one machine
/// recording all of it in this order shows the same figures.
const WEEK: &[(usize, &str, &[&str])] = &[
    (0, "2027-01-04", &["done", "agent", "--note", "laptop"]),
    (1, "2027-01-04", &["log", "moe", "2h"]),
    (0, "2027-01-05", &["done", "leetcode"]),
    (1, "2027-01-06", &["done", "leetcode", "--count", "1"]),
    (0, "2027-01-06", &["off", "2027-01-08", "--note", "trip"]),
    (1, "2027-01-07", &["log", "moe", "1h30m", "--note", "读了Mixtral论文"]),
    (0, "2027-01-07", &["log", "hf-contrib", "1h"]),
    (1, "2027-01-08", &["off", "2027-01-09..2027-01-10"]),
    (1, "2027-01-08", &["undo"]),
    (0, "2027-01-08", &["config", "--hours", "mon=3h"]),
    (1, "2027-01-09", &["config", "--hours", "sat=5h"]),
    (0, "2027-01-09", &["log", "resume", "45m"]),
    (0, "2027-01-09", &["undo"]),
    (1, "2027-01-10", &["done", "resume"]),
    (0, "2027-01-10", &["done", "arxiv"]),
];

/// Machine 0 starts the state and pushes it; the others clone it then.
fn start(world: &World, machines: usize) -> Vec<PathBuf> {
    let first = world.clone("m0");
    world.ok(&first, "2027-01-04", &["init", "--start", "2027-01-04"]);
    let out = world.sync(&first);
    assert!(out.contains("Set up: added `/state.jsonl merge=roadmap` to .gitattributes"), "{out}");
    assert!(out.contains("Pushed to origin/main"), "{out}");
    let mut all = vec![first];
    for n in 1..machines {
        let machine = world.clone(&format!("m{n}"));
        let out = world.sync(&machine);
        assert!(out.contains("Set up: set merge.roadmap.driver"), "{out}");
        all.push(machine);
    }
    all
}

#[test]
fn two_machines_record_a_week_apart_and_sync_to_one_state_in_either_order() {
    for order in [[0, 1, 0, 1], [1, 0, 1, 0]] {
        let world = World::new();
        let machines = start(&world, 2);
        let reference = world.clone("reference");
        world.ok(&reference, "2027-01-04", &["init", "--start", "2027-01-04"]);
        let mut recorded = BTreeSet::new();
        for (machine, today, args) in WEEK {
            world.ok(&machines[*machine], today, args);
            world.ok(&reference, today, args);
        }
        for machine in &machines {
            recorded.extend(World::ids(machine));
        }
        for m in order {
            world.sync(&machines[m]);
        }
        let (a, b) = (&machines[0], &machines[1]);
        assert_eq!(World::bytes(a), World::bytes(b), "order {order:?}: both states byte-identical");
        let ids = World::ids(a);
        assert_eq!(ids.iter().collect::<BTreeSet<_>>(), recorded.iter().collect::<BTreeSet<_>>(), "every event");
        assert_eq!(ids.len(), recorded.len(), "each once");
        assert_eq!(ids.len(), World::ids(&reference).len(), "as many events as one machine recording all");
        assert_eq!(world.figures(a), world.figures(&reference), "order {order:?}: the figures of one machine");
        assert_eq!(world.figures(b), world.figures(&reference));
        // The merge commits are in the history, the work trees are clean.
        for machine in &machines {
            assert_eq!(world.git(machine, &["status", "--porcelain"]), "", "clean work tree");
        }
        // A sync with nothing new changes nothing.
        let again = world.sync(a);
        assert_eq!(
            again,
            "Committed: nothing new in state.jsonl\nPulled: 0 events from origin/main\nPushed to origin/main\n"
        );
    }
}

#[test]
fn the_commit_message_names_what_changed() {
    let world = World::new();
    let machines = start(&world, 1);
    world.ok(&machines[0], "2027-01-05", &["done", "agent", "moe"]);
    let out = world.sync(&machines[0]);
    assert!(out.starts_with("Committed: 2 events (done ×2)\n"), "{out}");
    let message = world.git(&machines[0], &["log", "-1", "--format=%B"]);
    assert_eq!(
        message,
        "roadmap: 2 events (done ×2)\n\n- done p4.frontier.agent on 2027-01-05\n- done p4.frontier.moe on 2027-01-05\n\n"
    );
}

#[test]
fn setup_is_idempotent() {
    let world = World::new();
    let machine = world.clone("m0");
    world.ok(&machine, "2027-01-04", &["init", "--start", "2027-01-04"]);
    let first = world.ok(&machine, "2027-01-04", &["sync", "--setup"]);
    assert!(first.contains("added `/state.jsonl merge=roadmap` to .gitattributes"), "{first}");
    assert!(first.ends_with("`roadmap sync` commits, pulls and pushes.\n"), "{first}");
    assert_eq!(
        world.ok(&machine, "2027-01-04", &["sync", "--setup"]),
        "Already set up: .gitattributes names `/state.jsonl` for the roadmap merge driver, and merge.roadmap.driver is set\n`roadmap sync` commits, pulls and pushes.\n"
    );
    assert_eq!(
        world.git(&machine, &["status", "--porcelain"]),
        "?? .gitattributes\n?? state.jsonl\n",
        "--setup commits nothing"
    );
    let attributes = std::fs::read_to_string(machine.join(".gitattributes")).expect("attributes");
    assert_eq!(attributes, "/state.jsonl merge=roadmap\n");
    let driver = world.git(&machine, &["config", "--get", "merge.roadmap.driver"]);
    assert!(driver.trim_end().ends_with(" merge %O %A %B"), "{driver}");
}

#[test]
fn every_failure_is_explained_and_leaves_the_state_alone() {
    let world = World::new();
    // No repository.
    let env = &world.env;
    let lone = env.dir().join("lone");
    std::fs::create_dir(&lone).expect("dir");
    world.ok(&lone, "2027-01-04", &["init", "--start", "2027-01-04"]);
    let before = World::bytes(&lone);
    let run = world.on(&lone, "2027-01-04").arg("sync").run();
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stderr,
        "error: [DIR]/lone is not inside a git work tree\n  hint: make it one (`git init`, then `git remote add origin URL` for a shared repository) and run `roadmap sync --setup`; nothing was changed\n"
    );
    assert_eq!(World::bytes(&lone), before);

    // A repository without a remote: committed here, said so, exit 0.
    world.git(&lone, &["-c", "init.defaultBranch=main", "init", "-q"]);
    let out = world.sync(&lone);
    assert!(out.ends_with("No remote: the state is committed here only; `git remote add origin URL`, then `roadmap sync`, to share it\n"), "{out}");
    assert_eq!(World::bytes(&lone), before);

    // A remote that cannot be reached.
    world.git(&lone, &["remote", "add", "origin", &env.dir().join("nowhere.git").to_string_lossy()]);
    let run = world.on(&lone, "2027-01-04").arg("sync").run();
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(run.stderr.starts_with("error: git could not fetch from origin: "), "{}", run.stderr);
    assert!(run.stderr.contains("hint: the remote could not be reached"), "{}", run.stderr);
    assert!(run.stderr.contains("the state file was not changed by this failure"), "{}", run.stderr);
    assert_eq!(World::bytes(&lone), before);

    // A conflict in another file: the merge is aborted, the state is as it was.
    let machines = start(&world, 2);
    let (a, b) = (&machines[0], &machines[1]);
    for (machine, text) in [(a, "mine\n"), (b, "theirs\n")] {
        std::fs::write(machine.join("notes.txt"), text).expect("notes");
        world.git(machine, &["add", "notes.txt"]);
        world.git(machine, &["commit", "-q", "-m", "notes"]);
    }
    world.ok(a, "2027-01-05", &["done", "agent"]);
    world.ok(b, "2027-01-05", &["done", "moe"]);
    world.sync(a);
    let before = World::bytes(b);
    let run = world.on(b, "2027-01-10").arg("sync").run();
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert_eq!(
        run.stderr,
        "error: merging what the remote holds conflicts in notes.txt, which roadmap does not merge\n  hint: nothing was merged and your state is as it was (committed); merge those files with git (`git pull`, resolve, `git commit`), then run `roadmap sync` again\n"
    );
    assert_eq!(World::bytes(b), before);
    assert_eq!(world.git(b, &["status", "--porcelain"]), "", "no merge left under way");
}

#[test]
fn an_old_format_state_upgrades_and_merges() {
    let world = World::new();
    let a = world.clone("m0");
    world.ok(&a, "2027-01-04", &["init", "--start", "2027-01-04"]);
    // The same state as format 1 wrote it: seqs, an undo by seq.
    let text = String::from_utf8(World::bytes(&a)).expect("utf-8");
    let header = text.lines().next().expect("header").replace("\"roadmap_state\":2", "\"roadmap_state\":1");
    let old = format!(
        "{header}\n{}\n{}\n{}\n",
        r#"{"seq":1,"at":"2027-01-04T20:00:00Z","kind":"done","task":"p4.frontier.agent","on":"2027-01-04"}"#,
        r#"{"seq":2,"at":"2027-01-04T20:01:00Z","kind":"logged","task":"p4.frontier.moe","on":"2027-01-04","minutes":60}"#,
        r#"{"seq":3,"at":"2027-01-04T20:02:00Z","kind":"undo","target":1}"#,
    );
    std::fs::write(World::state(&a), &old).expect("old state");
    // Read as it is before any write.
    let before_text = world.ok(&a, "2027-01-05", &["list"]);
    assert_eq!(std::fs::read_to_string(World::state(&a)).expect("state"), old);
    world.sync(&a);
    let b = world.clone("m1");
    world.sync(&b);
    world.ok(&a, "2027-01-05", &["log", "moe", "1h"]);
    world.ok(&b, "2027-01-05", &["done", "resume"]);
    for m in [&a, &b, &a, &b] {
        world.sync(m);
    }
    assert_eq!(World::bytes(&a), World::bytes(&b));
    let text = String::from_utf8(World::bytes(&a)).expect("utf-8");
    assert!(text.starts_with("{\"roadmap_state\":2,"), "upgraded: {text}");
    assert_eq!(World::ids(&a).len(), 5, "three old events once, two new: {text}");
    assert!(!text.contains("\"seq\""), "{text}");
    // The old events mean what they meant: agent's done is still undone.
    let list = world.ok(&a, "2027-01-05", &["list"]);
    let status = |text: &str, id: &str| {
        text.lines().find(|l| l.contains(id)).map(|l| l.split_whitespace().last().unwrap_or("").to_string())
    };
    assert_eq!(status(&before_text, "p4.frontier.agent").as_deref(), Some("todo"));
    assert_eq!(status(&list, "p4.frontier.agent").as_deref(), Some("todo"), "{list}");
    assert_eq!(status(&list, "p4.jobprep.resume").as_deref(), Some("done"), "{list}");
}

/// A sync killed after git recorded the merge but before it wrote the
/// merge's message leaves `MERGE_HEAD` without `MERGE_MSG`: the next sync
/// finishes the merge with a message of its own (git refuses an empty one)
/// and both machines end with one state.
#[test]
fn a_merge_interrupted_before_its_message_is_finished_by_the_next_sync() {
    let world = World::new();
    let machines = start(&world, 2);
    let (a, b) = (&machines[0], &machines[1]);
    world.ok(a, "2027-01-05", &["done", "agent"]);
    world.ok(b, "2027-01-06", &["log", "moe", "2h"]);
    world.sync(b);
    world.git(a, &["add", "state.jsonl"]);
    world.git(a, &["commit", "-q", "-m", "roadmap: 1 event"]);
    world.git(a, &["fetch", "-q", "origin"]);
    world.git(a, &["merge", "-q", "--no-commit", "--no-ff", "origin/main"]);
    let git_dir = a.join(".git");
    assert!(git_dir.join("MERGE_HEAD").exists());
    std::fs::remove_file(git_dir.join("MERGE_MSG")).expect("the merge's message");
    world.sync(a);
    assert!(!git_dir.join("MERGE_HEAD").exists(), "the merge is finished");
    let subjects = world.git(a, &["log", "--format=%s", "-3"]);
    assert!(subjects.contains("roadmap: merge state.jsonl (finishing an interrupted sync)\n"), "{subjects}");
    world.sync(b);
    assert_eq!(World::bytes(a), World::bytes(b), "one state");
    assert_eq!(world.git(a, &["status", "--porcelain"]), "");
}

#[cfg(unix)]
#[test]
fn kill_9_during_sync_leaves_the_state_and_the_repository_consistent() {
    let world = World::new();
    let machines = start(&world, 2);
    let (a, b) = (&machines[0], &machines[1]);
    let mut landed = 0;
    for (n, delay) in [1u64, 5, 10, 20, 30, 45, 60, 90, 120, 150].into_iter().enumerate() {
        world.ok(a, "2027-01-05", &["log", "moe", &format!("{}m", n + 1)]);
        world.ok(b, "2027-01-05", &["log", "agent", &format!("{}m", n + 1)]);
        world.sync(b);
        let mut command = world.on(a, "2027-01-10").arg("sync").command();
        // Its own process group, so that SIGKILL takes the git it runs too.
        std::os::unix::process::CommandExt::process_group(&mut command, 0);
        let mut child = command.stdout(Stdio::null()).stderr(Stdio::null()).spawn().expect("spawn");
        std::thread::sleep(std::time::Duration::from_millis(delay));
        if child.try_wait().expect("wait").is_none() {
            landed += 1;
        }
        let group = format!("-{}", child.id());
        let _ = Command::new("kill").args(["-KILL", "--", &group]).status();
        let _ = child.wait();
        std::thread::sleep(std::time::Duration::from_millis(100));
        // The state is there and loads, every event recorded on this machine in it.
        let logged = String::from_utf8(World::bytes(a)).expect("utf-8").matches("\"task\":\"p4.frontier.moe\"").count();
        assert_eq!(logged, n + 1, "delay {delay}: every log of this machine");
        world.ok(a, "2027-01-10", &["list"]);
        let fsck = world.git_output(a, &["fsck", "--no-progress"]);
        assert!(fsck.status.success(), "delay {delay}: {}", String::from_utf8_lossy(&fsck.stderr));
        // The next sync finishes the work. A lock file git left when killed,
        // in this clone or in the remote (a push killed on the receiving
        // side), is named (never removed by roadmap: a git may be running);
        // removed as the hint says, the sync goes on.
        sync_past_stale_locks(&world, a, delay);
        sync_past_stale_locks(&world, b, delay);
        assert_eq!(World::bytes(a), World::bytes(b), "delay {delay}");
    }
    let text = String::from_utf8(World::bytes(a)).expect("utf-8");
    assert_eq!(text.matches("\"kind\":\"logged\"").count(), 20, "{text}");
    assert!(landed >= 3, "the kill landed during a sync {landed} times");
}

/// Syncs `machine`, removing each lock file a sync names as left by a
/// killed git (at most four), as its hint says; the sync then succeeds.
#[cfg(unix)]
fn sync_past_stale_locks(world: &World, machine: &Path, delay: u64) {
    let mut run = world.on(machine, "2027-01-10").arg("sync").run();
    for _ in 0..4 {
        if run.code == 0 {
            break;
        }
        let lock = stale_lock(world, &run.stderr).unwrap_or_else(|| panic!("delay {delay}: {}", run.stderr));
        std::fs::remove_file(&lock).expect("stale lock");
        run = world.on(machine, "2027-01-10").arg("sync").run();
    }
    assert_eq!(run.code, 0, "delay {delay}: {}", run.stderr);
}

/// The lock file a failed sync's message names, with the sandbox's path.
fn stale_lock(world: &World, stderr: &str) -> Option<PathBuf> {
    let lock = stderr
        .split(": ")
        .nth(2)?
        .strip_suffix(" exists (a git command is running, or was killed)\n  hint")?
        .replace("[DIR]", &world.env.dir().to_string_lossy());
    assert!(lock.ends_with(".lock"), "{lock}");
    Some(PathBuf::from(lock))
}

/// A lock file left in the remote by a push killed there is not a remote
/// that keeps moving: the sync tries again, then names the file (seen in
/// CI's kill -9 test as "origin kept moving while syncing"); removed, the
/// next sync pushes.
#[test]
fn a_lock_left_in_the_remote_is_named_not_taken_for_a_moving_remote() {
    let world = World::new();
    let machines = start(&world, 1);
    let a = &machines[0];
    world.ok(a, "2027-01-05", &["log", "moe", "30m"]);
    let lock = world.env.dir().join("remote.git/refs/heads/main.lock");
    std::fs::write(&lock, "").expect("lock");
    let run = world.on(a, "2027-01-10").arg("sync").run();
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(!run.stderr.contains("kept moving"), "{}", run.stderr);
    let named = stale_lock(&world, &run.stderr).unwrap_or_else(|| panic!("{}", run.stderr));
    assert_eq!(named.file_name(), lock.file_name(), "{}", run.stderr);
    assert!(run.stderr.contains("remove "), "{}", run.stderr);
    std::fs::remove_file(&named).expect("the named lock");
    let out = world.sync(a);
    assert!(out.contains("Pushed to origin/main"), "{out}");
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 4, ..ProptestConfig::default() })]

    /// Three machines, random recordings and syncs interleaved; then each
    /// syncs twice in turn: one state, every event once, the figures of
    /// one machine that recorded everything.
    #[test]
    fn three_machines_with_interleaved_syncs_agree(ops in prop::collection::vec((0usize..3, 0u8..4), 4..12)) {
        let world = World::new();
        let machines = start(&world, 3);
        let reference = world.clone("reference");
        world.ok(&reference, "2027-01-04", &["init", "--start", "2027-01-04"]);
        let tasks = ["agent", "moe", "hf-contrib"];
        for (i, (m, op)) in ops.iter().enumerate() {
            let minutes = format!("{}m", 10 + i);
            let off = format!("2027-02-{:02}", i + 1);
            let args: Vec<&str> = match op {
                0 => vec!["log", tasks[*m], &minutes],
                1 => vec!["done", "leetcode", "--count", "1", "--on", "2027-01-05"],
                2 => vec!["off", &off],
                _ => vec!["sync"],
            };
            world.ok(&machines[*m], "2027-01-10", &args);
            if args[0] != "sync" {
                world.ok(&reference, "2027-01-10", &args);
            }
        }
        for _ in 0..2 {
            for machine in &machines {
                world.sync(machine);
            }
        }
        let first = World::bytes(&machines[0]);
        for machine in &machines[1..] {
            prop_assert_eq!(&World::bytes(machine), &first);
        }
        let ids = World::ids(&machines[0]);
        prop_assert_eq!(ids.iter().collect::<BTreeSet<_>>().len(), ids.len());
        prop_assert_eq!(ids.len(), World::ids(&reference).len());
        prop_assert_eq!(world.figures(&machines[0]), world.figures(&reference));
    }
}

/// After a sync, `undo` on a machine reverts that machine's own latest
/// change, not the one that came in from the other machine.
#[test]
fn undo_after_a_sync_reverts_this_machines_change() {
    let world = World::new();
    let machines = start(&world, 2);
    let (a, b) = (&machines[0], &machines[1]);
    world.ok(a, "2027-01-05", &["done", "agent"]);
    world.sync(a);
    world.ok(b, "2027-01-05", &["log", "moe", "1h"]);
    world.sync(b);
    world.sync(a);
    assert_eq!(
        world.ok(a, "2027-01-05", &["undo", "--dry-run"]),
        "Would undo: done p4.frontier.agent on 2027-01-05\nNothing was changed; `roadmap undo` does it.\n"
    );
    assert_eq!(world.ok(b, "2027-01-05", &["undo"]), "Undid: logged p4.frontier.moe 1h on 2027-01-05\n");
    // A fresh clone has recorded nothing of its own: it undoes the latest of all.
    world.sync(b);
    let c = world.clone("m2");
    world.sync(&c);
    assert_eq!(
        world.ok(&c, "2027-01-05", &["undo", "--dry-run"]).lines().next(),
        Some("Would undo: done p4.frontier.agent on 2027-01-05")
    );
}
