//! Shared harness for the integration tests: runs the built binary against
//! a temporary state with a pinned `today`, no colour and a fixed width,
//! with nothing inherited from the host's environment.

#![allow(dead_code)]

use assert_cmd::Command;
use std::path::{Path, PathBuf};
use tempfile::TempDir;

pub struct Env {
    pub dir: TempDir,
    pub plan: Option<PathBuf>,
}

/// What a command printed and how it ended.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

pub fn fixture(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(path)
}

impl Env {
    pub fn new() -> Env {
        Env { dir: TempDir::new().expect("temp dir"), plan: None }
    }

    /// An environment using a plan fixture from `tests/fixtures/plans`.
    pub fn with_plan(name: &str) -> Env {
        Env { plan: Some(fixture(&format!("plans/{name}"))), ..Env::new() }
    }

    pub fn state(&self) -> PathBuf {
        self.dir.path().join("state.jsonl")
    }

    pub fn command(&self, today: &str) -> Command {
        let mut cmd = Command::cargo_bin("roadmap").expect("binary");
        cmd.env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", self.dir.path())
            .env("NO_COLOR", "1")
            .env("COLUMNS", "100")
            .env("ROADMAP_STATE", self.state())
            .env("ROADMAP_TODAY", today);
        if let Some(plan) = &self.plan {
            cmd.env("ROADMAP_PLAN", plan);
        }
        cmd
    }

    /// Runs `roadmap ARGS` on `today`; temp paths in the output become
    /// `[DIR]` and the plan fixture's path `[PLAN]`.
    pub fn run(&self, today: &str, args: &[&str]) -> Run {
        let output = self.command(today).args(args).output().expect("run roadmap");
        Run {
            code: output.status.code().unwrap_or(-1),
            stdout: self.clean(&String::from_utf8_lossy(&output.stdout)),
            stderr: self.clean(&String::from_utf8_lossy(&output.stderr)),
        }
    }

    /// Runs and expects success; returns stdout.
    pub fn ok(&self, today: &str, args: &[&str]) -> String {
        let run = self.run(today, args);
        assert_eq!(run.code, 0, "roadmap {args:?} failed: {}", run.stderr);
        run.stdout
    }

    fn clean(&self, text: &str) -> String {
        let mut text = text.replace(&self.dir.path().display().to_string(), "[DIR]");
        if let Some(plan) = &self.plan {
            text = text.replace(&plan.display().to_string(), "[PLAN]");
        }
        text
    }

    /// The state file's events, parsed.
    pub fn events(&self) -> Vec<serde_json::Value> {
        let text = std::fs::read_to_string(self.state()).unwrap_or_default();
        text.lines().skip(1).map(|l| serde_json::from_str(l).expect("event line")).collect()
    }
}
