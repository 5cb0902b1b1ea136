//! Shared helpers for the integration tests: a temporary home for the state
//! and plan, and the built binary run with a fixed day and no colour.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

pub const TODAY: &str = "2027-01-04";

/// The built `roadmap` binary.
pub fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_roadmap")
}

/// A plan with one phase, one module and tasks `t1`..`tN` of 1h each
/// (titles `Task N`), and one daily habit `hb`.
pub fn plan_with_tasks(n: usize) -> String {
    let mut text = String::from(
        "format: 1\nid: many\ntitle: Many tasks\nphases:\n  - id: p1\n    title: One\n    modules:\n      - id: m\n        title: M\n        tasks:\n",
    );
    for i in 1..=n {
        text.push_str(&format!("          - id: t{i}\n            title: Task {i}\n            effort: 1h\n"));
    }
    text.push_str("habits:\n  - id: hb\n    title: Habit\n    every: day\n");
    text
}

/// A temporary directory holding `state.jsonl` and `plan.yaml`.
pub struct Env {
    pub dir: tempfile::TempDir,
    pub state: PathBuf,
    pub plan: PathBuf,
}

impl Env {
    pub fn new(plan: &str) -> Env {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let state = dir.path().join("state.jsonl");
        let plan_path = dir.path().join("plan.yaml");
        std::fs::write(&plan_path, plan).expect("write the plan");
        Env { dir, state, plan: plan_path }
    }

    /// `roadmap --state S --today TODAY ARGS…` with a clean environment
    /// (the plan comes from the state, or `--plan` given in `args`).
    pub fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(bin());
        cmd.arg("--state")
            .arg(&self.state)
            .arg("--today")
            .arg(TODAY)
            .args(args)
            .env("NO_COLOR", "1")
            .env("COLUMNS", "100")
            .env("HOME", self.dir.path())
            .env("XDG_DATA_HOME", self.dir.path().join("data"))
            .env_remove("ROADMAP_PLAN")
            .env_remove("ROADMAP_STATE")
            .env_remove("ROADMAP_TODAY")
            .env_remove("ROADMAP_FAULT")
            .env_remove("ROADMAP_LOCK_WAIT")
            .env_remove("CLICOLOR_FORCE")
            .stdin(Stdio::null());
        cmd
    }

    pub fn run(&self, args: &[&str]) -> Output {
        self.command(args).output().expect("run roadmap")
    }

    pub fn run_with(&self, args: &[&str], env: &[(&str, &str)]) -> Output {
        let mut cmd = self.command(args);
        for (k, v) in env {
            cmd.env(k, v);
        }
        cmd.output().expect("run roadmap")
    }

    /// Runs and insists on success.
    pub fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(
            out.status.success(),
            "roadmap {args:?} failed ({:?}):\n{}{}",
            out.status,
            text(&out.stdout),
            text(&out.stderr)
        );
        text(&out.stdout)
    }

    /// `init` with this env's plan file.
    pub fn init(&self) {
        let plan = self.plan.display().to_string();
        self.ok(&["--plan", &plan, "init", "--start", TODAY]);
    }

    pub fn bytes(&self) -> Vec<u8> {
        std::fs::read(&self.state).unwrap_or_default()
    }

    pub fn write_plan(&self, text: &str) {
        std::fs::write(&self.plan, text).expect("write the plan");
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }
}

pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// The state file read independently of roadmap: the header, the complete
/// event lines as JSON values, and whether a cut-off last line follows.
#[derive(Debug)]
pub struct Parsed {
    pub header: serde_json::Value,
    pub events: Vec<serde_json::Value>,
    pub torn_tail: bool,
}

pub fn parse_state(path: &Path) -> Parsed {
    let bytes = std::fs::read(path).expect("the state file exists");
    let end = bytes.iter().rposition(|&b| b == b'\n').map_or(0, |p| p + 1);
    let tail = &bytes[end..];
    let torn_tail = !tail.is_empty();
    let mut lines = bytes[..end].split(|&b| b == b'\n').filter(|l| !l.iter().all(u8::is_ascii_whitespace));
    let first = lines.next().expect("a header line");
    let first = first.strip_prefix("\u{feff}".as_bytes()).unwrap_or(first);
    let header: serde_json::Value = serde_json::from_slice(first).expect("the header is JSON");
    assert!(header.get("roadmap_state").is_some(), "not a state header: {header}");
    let events = lines
        .map(|l| {
            serde_json::from_slice(l).unwrap_or_else(|e| panic!("a complete line that is not JSON ({e}): {}", text(l)))
        })
        .collect();
    if torn_tail {
        assert!(serde_json::from_slice::<serde_json::Value>(tail).is_err(), "a whole event lacks its newline");
    }
    Parsed { header, events, torn_tail }
}

/// The task ids of `done` events, in file order.
pub fn done_tasks(parsed: &Parsed) -> Vec<String> {
    parsed
        .events
        .iter()
        .filter(|e| e["kind"] == "done")
        .filter_map(|e| e["task"].as_str().map(str::to_string))
        .collect()
}
