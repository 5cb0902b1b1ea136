//! The state file's path: one file has one lock whatever path reaches it
//! (a symlink and the real path at once), writes through a link keep the
//! link, special files are refused at once without a lock file, no
//! temporary file outlives a failed write, and a value the reader would
//! refuse is never written. Each test runs the binary in its own sandbox,
//! with `ROADMAP_STATE` pointed at the path under test.

use crate::support::{Sandbox, plan_with_tasks, text};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

const TODAY: &str = "2027-01-04";

/// A sandbox with a plan of tasks `t1`..`tN` and a daily habit `hb`; runs
/// name the state under test explicitly.
struct Home {
    sandbox: Sandbox,
    plan: PathBuf,
}

impl Home {
    fn new(tasks: usize) -> Home {
        let sandbox = Sandbox::with_plan(&plan_with_tasks(tasks));
        let plan = sandbox.plan().to_path_buf();
        Home { sandbox, plan }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.sandbox.path(name)
    }

    /// `roadmap ARGS…` on the state `state`, on TODAY.
    fn command(&self, state: &Path, args: &[&str]) -> Command {
        self.command_on(TODAY, state, args)
    }

    /// As `command`, on another day.
    fn command_on(&self, today: &str, state: &Path, args: &[&str]) -> Command {
        self.sandbox.on(today).env("ROADMAP_STATE", state).args(args).command()
    }

    fn run(&self, state: &Path, args: &[&str]) -> Output {
        self.command(state, args).output().expect("run roadmap")
    }

    fn ok(&self, state: &Path, args: &[&str]) -> String {
        let out = self.run(state, args);
        assert!(out.status.success(), "roadmap {args:?} failed: {}", text(&out.stderr));
        text(&out.stdout)
    }

    fn init(&self, state: &Path) {
        let plan = self.plan.display().to_string();
        self.ok(state, &["--plan", &plan, "init", "--start", TODAY]);
    }

    /// Every name in the directory `dir` (relative to the sandbox), sorted,
    /// leaving out the sandbox's own home directories.
    fn names(&self, dir: &str) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(self.path(dir))
            .expect("list the directory")
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| !(dir == "." && (n == ".cache" || n == ".config" || n == ".local")))
            .collect();
        names.sort();
        names
    }
}

/// The events of a state file as JSON values (the header skipped).
fn events(path: &Path) -> Vec<serde_json::Value> {
    let bytes = std::fs::read(path).expect("read the state");
    bytes
        .split(|&b| b == b'\n')
        .skip(1)
        .filter(|l| !l.is_empty())
        .map(|l| serde_json::from_slice(l).expect("a whole JSON line"))
        .collect()
}

#[cfg(unix)]
fn symlink(target: &Path, link: &Path) {
    std::os::unix::fs::symlink(target, link).expect("make a symlink");
}

#[cfg(unix)]
fn is_symlink(path: &Path) -> bool {
    std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink())
}

/// 40 writers at once, half through a symlink and half through the real
/// path: every acknowledged event is in the file exactly once, the seqs are
/// 1..=40, and there is one lock file, the real file's.
#[cfg(unix)]
#[test]
fn writers_through_a_symlink_and_the_real_path_share_one_lock() {
    const WRITERS: usize = 40;
    let home = Home::new(WRITERS);
    let real = home.path("real.jsonl");
    let link = home.path("link.jsonl");
    home.init(&real);
    symlink(&real, &link);
    let children: Vec<_> = (1..=WRITERS)
        .map(|n| {
            let state = if n % 2 == 0 { &real } else { &link };
            home.command(state, &["done", &format!("t{n}")])
                .env("ROADMAP_LOCK_WAIT", "120")
                .stdout(Stdio::null())
                .stderr(Stdio::piped())
                .spawn()
                .expect("spawn roadmap")
        })
        .collect();
    let mut acknowledged = Vec::new();
    for (n, child) in (1..=WRITERS).zip(children) {
        let out = child.wait_with_output().expect("wait");
        assert!(out.status.success(), "t{n}: {}", text(&out.stderr));
        acknowledged.push(format!("p1.m.t{n}"));
    }
    let events = events(&real);
    let mut tasks: Vec<String> = events.iter().map(|e| e["task"].as_str().unwrap_or("?").to_string()).collect();
    tasks.sort();
    acknowledged.sort();
    assert_eq!(tasks, acknowledged, "every acknowledged event exactly once");
    let ids: std::collections::BTreeSet<&str> = events.iter().filter_map(|e| e["id"].as_str()).collect();
    assert_eq!(ids.len(), WRITERS, "one id per event");
    assert!(is_symlink(&link), "the link is still a link");
    assert!(home.path("real.jsonl.lock").exists());
    assert!(!home.path("link.jsonl.lock").exists(), "a second lock for the same file");
}

/// Runs `roadmap ARGS` on `state`, expecting a refusal within a second.
fn refused_quickly(home: &Home, state: &Path, args: &[&str]) -> String {
    let started = Instant::now();
    let mut child = home.command(state, args).stdout(Stdio::null()).stderr(Stdio::piped()).spawn().expect("spawn");
    loop {
        if child.try_wait().expect("poll").is_some() {
            break;
        }
        if started.elapsed() > Duration::from_secs(10) {
            let _ = child.kill();
            let _ = child.wait();
            panic!("roadmap {args:?} on {} hung", state.display());
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    let elapsed = started.elapsed();
    let out = child.wait_with_output().expect("wait");
    assert_eq!(out.status.code(), Some(1), "{args:?} on {}: {}", state.display(), text(&out.stderr));
    assert!(elapsed < Duration::from_secs(1), "{args:?} on {} took {elapsed:?}", state.display());
    text(&out.stderr)
}

fn lock_of(path: &Path) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(".lock");
    PathBuf::from(name)
}

const COMMANDS: [&[&str]; 5] = [&["next"], &["list"], &["done", "t1"], &["init"], &["doctor", "--fix"]];

#[cfg(unix)]
#[test]
fn a_fifo_as_the_state_is_refused_at_once_without_a_lock_file() {
    let home = Home::new(3);
    let fifo = home.path("state.jsonl");
    let made = Command::new("mkfifo").arg(&fifo).status().expect("run mkfifo");
    assert!(made.success());
    for args in COMMANDS {
        let mut args = args.to_vec();
        let plan = home.plan.display().to_string();
        if args[0] == "init" {
            args = vec!["--plan", &plan, "init"];
        }
        let err = refused_quickly(&home, &fifo, &args);
        assert!(err.contains(&fifo.display().to_string()), "{err}");
        assert!(err.contains("is a FIFO (named pipe), not a roadmap state file"), "{err}");
        assert!(err.contains("hint: point --state or ROADMAP_STATE"), "{err}");
    }
    assert_eq!(home.names("."), ["plan.yaml", "state.jsonl"], "no lock file, no temporary file");
}

#[cfg(target_os = "linux")]
#[test]
fn devices_are_refused_at_once_without_a_lock_file() {
    let home = Home::new(3);
    for device in ["/dev/full", "/dev/null"] {
        let device = Path::new(device);
        let lock = lock_of(device);
        let stray_before = lock.exists();
        for args in COMMANDS {
            let err = refused_quickly(&home, device, args);
            assert!(err.contains(&format!("{} is a character device", device.display())), "{err}");
        }
        if !stray_before {
            assert!(!lock.exists(), "{} was left behind", lock.display());
        }
    }
}

#[test]
fn a_directory_as_the_state_is_refused_without_a_lock_file() {
    let home = Home::new(3);
    let dir = home.path("state.d");
    std::fs::create_dir(&dir).expect("mkdir");
    for args in COMMANDS {
        let err = refused_quickly(&home, &dir, args);
        assert!(err.contains("is a directory, not a roadmap state file"), "{err}");
    }
    let stray: Vec<String> =
        home.names(".").into_iter().filter(|n| n.contains(".lock") || n.contains(".tmp")).collect();
    assert!(stray.is_empty(), "{stray:?}");
    assert!(home.names("state.d").is_empty());
}

/// `init --force` through a link writes the target, keeps the link, and
/// puts the backup beside the target.
#[cfg(unix)]
#[test]
fn init_force_through_a_symlink_keeps_the_link() {
    let home = Home::new(3);
    std::fs::create_dir(home.path("data")).expect("mkdir");
    let real = home.path("data/state.jsonl");
    let link = home.path("state.jsonl");
    symlink(&real, &link);
    home.init(&link);
    assert!(is_symlink(&link), "the first save kept the link");
    home.ok(&link, &["done", "t1"]);
    let plan = home.plan.display().to_string();
    let out = home.ok(&link, &["--plan", &plan, "init", "--force", "--start", "2027-02-01"]);
    assert!(out.contains("Backed up the old state to"), "{out}");
    assert!(is_symlink(&link), "init --force replaced the link");
    assert!(events(&real).is_empty(), "the target holds the new state");
    let data = home.names("data");
    assert_eq!(data.len(), 3, "{data:?}");
    assert!(data[0] == "state.jsonl" && data[1].starts_with("state.jsonl.bak-") && data[2] == "state.jsonl.lock");
    let beside_link: Vec<_> =
        home.names(".").into_iter().filter(|n| n.contains(".bak-") || n.contains(".tmp")).collect();
    assert!(beside_link.is_empty(), "{beside_link:?}");
    // The plan now starts on 2027-02-01: progress is recorded from then.
    let out = home.command_on("2027-02-01", &link, &["done", "t2"]).output().expect("run");
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(events(&real).len(), 1, "later progress reaches the target");
}

/// A dangling link is written through (its target is created), not replaced.
#[cfg(unix)]
#[test]
fn a_dangling_link_is_written_through_to_its_target() {
    let home = Home::new(3);
    std::fs::create_dir(home.path("data")).expect("mkdir");
    let link = home.path("state.jsonl");
    symlink(Path::new("data/progress.jsonl"), &link);
    let plan = home.plan.display().to_string();
    home.ok(&link, &["--plan", &plan, "done", "t1"]);
    assert!(is_symlink(&link));
    let real = home.path("data/progress.jsonl");
    assert_eq!(events(&real).len(), 1);
    home.ok(&link, &["--plan", &plan, "init", "--force"]);
    assert!(is_symlink(&link));
    assert!(events(&real).is_empty());
}

/// `done --on` a year mistyped (0207 for 2027) is refused before anything
/// is written (it is before the plan's start); the state still loads.
#[test]
fn a_date_the_reader_would_refuse_is_never_written() {
    let home = Home::new(3);
    let state = home.path("state.jsonl");
    home.init(&state);
    home.ok(&state, &["done", "t1"]);
    let before = std::fs::read(&state).expect("read");
    let out = home.command_on("2027-01-07", &state, &["done", "t2", "--on", "0207-01-05"]).output().expect("run");
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let err = text(&out.stderr);
    assert_eq!(
        err,
        "error: 0207-01-05 is before the plan's start (2027-01-04)\n  hint: dates from the plan's start (2027-01-04) to today (2027-01-07) are accepted; `roadmap config --start DATE` moves the start\n"
    );
    assert_eq!(std::fs::read(&state).expect("read"), before, "the file changed");
    let next = home.command_on("2027-01-07", &state, &["next"]).output().expect("run");
    assert!(next.status.success(), "{}", text(&next.stderr));
}

/// A rewrite, an export and a cache write that fail at any step leave the
/// target as it was and no temporary file.
#[test]
fn a_failed_write_at_any_step_leaves_no_temporary_file() {
    let home = Home::new(3);
    let state = home.path("state.jsonl");
    home.init(&state);
    home.ok(&state, &["done", "t1"]);
    let old = std::fs::read(&state).expect("read");
    let plan = home.plan.display().to_string();
    for point in ["rewrite", "rewrite-sync", "rename"] {
        let out = home
            .command(&state, &["--plan", &plan, "init", "--force"])
            .env("ROADMAP_FAULT", format!("{point}:fail"))
            .output()
            .expect("run");
        assert_eq!(out.status.code(), Some(1), "{point}: {}", text(&out.stderr));
        assert!(text(&out.stderr).contains("no space left on device (injected)"), "{point}");
        assert_eq!(std::fs::read(&state).expect("read"), old, "{point}");
    }
    let ics = home.path("plan.ics");
    std::fs::write(&ics, b"old").expect("write");
    for point in ["export", "export-sync", "export-rename"] {
        let out = home
            .command(&state, &["export", "ics", "--out", &ics.display().to_string()])
            .env("ROADMAP_FAULT", format!("{point}:fail"))
            .output()
            .expect("run");
        assert_eq!(out.status.code(), Some(1), "{point}: {}", text(&out.stderr));
        assert!(text(&out.stderr).contains(&format!("{}: no space left", ics.display())), "{point}");
        assert_eq!(std::fs::read(&ics).expect("read"), b"old", "{point}");
    }
    std::fs::remove_dir_all(home.sandbox.cache_dir()).ok();
    for point in ["cache", "cache-rename"] {
        let out = home.command(&state, &["next"]).env("ROADMAP_FAULT", format!("{point}:fail")).output().expect("run");
        assert!(out.status.success(), "{point}: a cache that cannot be written is no error");
    }
    let temps: Vec<String> = ["."]
        .into_iter()
        .chain(home.sandbox.cache_dir().exists().then_some(".cache/roadmap"))
        .flat_map(|d| home.names(d))
        .filter(|n| n.contains(".tmp"))
        .collect();
    assert!(temps.is_empty(), "{temps:?}");
    let backups = home.names(".").into_iter().filter(|n| n.contains(".bak-")).count();
    assert_eq!(backups, 3, "each failed init --force made its backup first");
}

/// The snapshot files of the sandbox's cache (`state-*.bin`) with their
/// inodes: a snapshot that is written again gets a new inode (it is
/// replaced by a rename).
#[cfg(unix)]
fn snapshots(home: &Home) -> Vec<(String, u64)> {
    use std::os::unix::fs::MetadataExt;
    let dir = home.sandbox.cache_dir();
    let mut found: Vec<(String, u64)> = std::fs::read_dir(&dir)
        .expect("list the cache")
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with("state-"))
        .map(|e| (e.file_name().to_string_lossy().into_owned(), e.metadata().expect("metadata").ino()))
        .collect();
    found.sort();
    found
}

/// A state reached through a symlink, to the file or to its directory, is
/// read through its snapshot like any other: a reading command neither
/// replays every event nor writes the snapshot again (it did, on every
/// run, when the snapshot was looked up by the link's path and saved by
/// the real one's).
#[cfg(unix)]
#[test]
fn a_state_behind_a_symlink_is_read_through_its_snapshot() {
    let home = Home::new(3);
    std::fs::create_dir(home.path("data")).expect("mkdir");
    let real = home.path("data/state.jsonl");
    home.init(&real);
    home.ok(&real, &["done", "t1"]);
    symlink(&real, &home.path("file-link.jsonl"));
    symlink(&home.path("data"), &home.path("dir-link"));
    for (n, state) in [real.clone(), home.path("file-link.jsonl"), home.path("dir-link/state.jsonl")].iter().enumerate()
    {
        let first = home.ok(state, &["next"]);
        let written = snapshots(&home);
        assert_eq!(written.len(), 1, "one snapshot for the one real file ({n}): {written:?}");
        assert_eq!(home.ok(state, &["next"]), first, "the same screen from the snapshot ({n})");
        assert_eq!(snapshots(&home), written, "the snapshot was written again on a plain read ({n})");
    }
    // A state that a link's path creates has its snapshot under the real
    // file's name too: one snapshot, used by the next read.
    std::fs::remove_file(&real).expect("remove the state");
    for file in snapshots(&home) {
        std::fs::remove_file(home.sandbox.cache_dir().join(file.0)).expect("remove the snapshot");
    }
    let through = home.path("dir-link/state.jsonl");
    let plan = home.plan.display().to_string();
    home.ok(&through, &["--plan", &plan, "done", "t1"]);
    home.ok(&through, &["next"]);
    let written = snapshots(&home);
    assert_eq!(written.len(), 1, "one snapshot for a state made through a link: {written:?}");
    home.ok(&through, &["next"]);
    assert_eq!(snapshots(&home), written, "the snapshot was written again on a plain read");
}
