//! The one harness of the integration tests: a [`Sandbox`] (a temporary
//! directory that holds the state, the caches and the home of every run) and
//! the [`Roadmap`] builder that runs the built binary inside it.
//!
//! Every run starts from an empty environment: only `PATH` is kept, `HOME`,
//! the `XDG_*` directories, `ROADMAP_STATE` and `ROADMAP_CACHE_DIR` point
//! inside the sandbox, `today` is pinned (`ROADMAP_TODAY`), and the output
//! is plain (`NO_COLOR`, 100 columns). Nothing a test runs can write outside
//! its sandbox. The shared fixtures (plans, the state-file reader) live here
//! too, each once.

use std::ffi::{OsStr, OsString};
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::Duration;
use tempfile::TempDir;

/// The day every run is pinned to unless told otherwise: a Monday.
pub(crate) const TODAY: &str = "2027-01-04";

/// The built `roadmap` binary.
pub(crate) fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_roadmap")
}

/// A file under `tests/fixtures/`.
pub(crate) fn fixture(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(path)
}

/// A temporary directory that is the whole world of the runs made in it.
pub(crate) struct Sandbox {
    dir: TempDir,
    /// The plan file the tests talk about, shown as `[PLAN]` in the output.
    plan: Option<PathBuf>,
    /// Whether runs get `ROADMAP_PLAN` set to `plan`.
    plan_in_env: bool,
    today: String,
}

/// What a run printed (temp paths masked) and how it ended.
#[derive(Debug)]
pub(crate) struct Run {
    /// The exit code, or -1 when a signal ended the process.
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Sandbox {
    /// An empty sandbox: no state yet, the built-in plan.
    pub(crate) fn new() -> Sandbox {
        Sandbox { dir: TempDir::new().expect("a temp dir"), plan: None, plan_in_env: false, today: TODAY.into() }
    }

    /// Runs use the plan fixture `tests/fixtures/plans/NAME` (`ROADMAP_PLAN`).
    pub(crate) fn with_fixture(name: &str) -> Sandbox {
        let mut sandbox = Sandbox::new();
        sandbox.use_plan(&fixture(&format!("plans/{name}")));
        sandbox
    }

    /// A sandbox holding `plan.yaml` with this text; runs name it only where
    /// a test passes `--plan` (or the state remembers it).
    pub(crate) fn with_plan(text: &str) -> Sandbox {
        let mut sandbox = Sandbox::new();
        let path = sandbox.path("plan.yaml");
        std::fs::write(&path, text).expect("write the plan");
        sandbox.plan = Some(path);
        sandbox
    }

    /// Runs pinned to this day by default.
    pub(crate) fn dated(mut self, today: &str) -> Sandbox {
        self.today = today.to_string();
        self
    }

    /// From now on runs get `ROADMAP_PLAN=path`.
    pub(crate) fn use_plan(&mut self, path: &Path) {
        self.plan = Some(path.to_path_buf());
        self.plan_in_env = true;
    }

    pub(crate) fn dir(&self) -> &Path {
        self.dir.path()
    }

    pub(crate) fn path(&self, name: &str) -> PathBuf {
        self.dir().join(name)
    }

    /// The state file every run uses (`ROADMAP_STATE`).
    pub(crate) fn state(&self) -> PathBuf {
        self.path("state.jsonl")
    }

    /// The cache directory every run uses (`ROADMAP_CACHE_DIR`).
    pub(crate) fn cache_dir(&self) -> PathBuf {
        self.path(".cache/roadmap")
    }

    /// The plan file of [`Sandbox::with_plan`] or [`Sandbox::use_plan`].
    pub(crate) fn plan(&self) -> &Path {
        self.plan.as_deref().expect("a sandbox with a plan file")
    }

    pub(crate) fn write_plan(&self, text: &str) {
        std::fs::write(self.plan(), text).expect("write the plan");
    }

    /// The state file's bytes (empty when there is none).
    pub(crate) fn bytes(&self) -> Vec<u8> {
        std::fs::read(self.state()).unwrap_or_default()
    }

    /// The state file's events, parsed (none when there is no file).
    pub(crate) fn events(&self) -> Vec<serde_json::Value> {
        let text = std::fs::read_to_string(self.state()).unwrap_or_default();
        text.lines().skip(1).map(|l| serde_json::from_str(l).expect("event line")).collect()
    }

    /// `init` of the plan file, starting on [`TODAY`].
    pub(crate) fn init(&self) {
        let plan = self.plan().display().to_string();
        self.ok(&["--plan", &plan, "init", "--start", TODAY]);
    }

    /// The environment of every run: nothing inherited but `PATH`, with the
    /// sandbox's build of `roadmap` found first.
    pub(crate) fn environment(&self) -> Vec<(&'static str, OsString)> {
        let dir = self.dir();
        let mut env = vec![
            ("PATH", path_with_binary()),
            ("HOME", dir.into()),
            ("XDG_CONFIG_HOME", dir.join(".config").into()),
            ("XDG_DATA_HOME", dir.join(".local/share").into()),
            ("XDG_CACHE_HOME", dir.join(".cache").into()),
            ("XDG_STATE_HOME", dir.join(".local/state").into()),
            ("ROADMAP_STATE", self.state().into()),
            ("ROADMAP_CACHE_DIR", self.cache_dir().into()),
            ("ROADMAP_TODAY", self.today.clone().into()),
            ("NO_COLOR", "1".into()),
            ("COLUMNS", "100".into()),
        ];
        if self.plan_in_env {
            env.push(("ROADMAP_PLAN", self.plan().into()));
        }
        env
    }

    /// Another program (a shell, `sh` with a memory limit) run with the same
    /// environment as the binary, so whatever `roadmap` it starts stays here.
    pub(crate) fn external(&self, program: impl AsRef<OsStr>) -> Command {
        let mut command = Command::new(program);
        command.env_clear().envs(self.environment()).current_dir(self.dir()).stdin(Stdio::null());
        command
    }

    /// The builder for one run of the binary.
    pub(crate) fn roadmap(&self) -> Roadmap<'_> {
        Roadmap { sandbox: self, args: Vec::new(), env: Vec::new(), stdin: None, timeout: None }
    }

    /// The builder, pinned to another day.
    pub(crate) fn on(&self, today: &str) -> Roadmap<'_> {
        self.roadmap().today(today)
    }

    /// `roadmap ARGS`: the raw output.
    pub(crate) fn output(&self, args: &[&str]) -> Output {
        self.roadmap().args(args).output()
    }

    /// `roadmap ARGS` with more environment: the raw output.
    pub(crate) fn output_with(&self, args: &[&str], env: &[(&str, &str)]) -> Output {
        let mut run = self.roadmap().args(args);
        for (key, value) in env {
            run = run.env(key, value);
        }
        run.output()
    }

    /// `roadmap ARGS`: exit code and masked text.
    pub(crate) fn run(&self, args: &[&str]) -> Run {
        self.roadmap().args(args).run()
    }

    /// `roadmap ARGS`, which must succeed: the masked stdout.
    pub(crate) fn ok(&self, args: &[&str]) -> String {
        self.roadmap().args(args).ok()
    }

    /// `roadmap ARGS`, which must succeed quietly and print JSON.
    pub(crate) fn json(&self, args: &[&str]) -> serde_json::Value {
        self.roadmap().args(args).json()
    }

    /// Temp paths in `text` become `[DIR]`, the plan file's `[PLAN]`.
    pub(crate) fn mask(&self, text: &str) -> String {
        let mut text = text.replace(&self.dir().display().to_string(), "[DIR]");
        if let Some(plan) = &self.plan {
            text = text.replace(&plan.display().to_string(), "[PLAN]");
        }
        text
    }
}

/// One run of the built binary inside a [`Sandbox`]: arguments, more
/// environment, stdin and a time limit, then one of the ways to run it.
#[must_use = "a Roadmap does nothing until it is run"]
pub(crate) struct Roadmap<'s> {
    sandbox: &'s Sandbox,
    args: Vec<OsString>,
    env: Vec<(OsString, Option<OsString>)>,
    stdin: Option<Vec<u8>>,
    timeout: Option<Duration>,
}

impl Roadmap<'_> {
    pub(crate) fn arg(mut self, arg: impl AsRef<OsStr>) -> Self {
        self.args.push(arg.as_ref().to_os_string());
        self
    }

    pub(crate) fn args<I: IntoIterator<Item = S>, S: AsRef<OsStr>>(mut self, args: I) -> Self {
        self.args.extend(args.into_iter().map(|a| a.as_ref().to_os_string()));
        self
    }

    /// Pins `today` (`ROADMAP_TODAY`) for this run.
    pub(crate) fn today(self, today: &str) -> Self {
        self.env("ROADMAP_TODAY", today)
    }

    pub(crate) fn env(mut self, key: impl AsRef<OsStr>, value: impl AsRef<OsStr>) -> Self {
        self.env.push((key.as_ref().to_os_string(), Some(value.as_ref().to_os_string())));
        self
    }

    pub(crate) fn env_remove(mut self, key: impl AsRef<OsStr>) -> Self {
        self.env.push((key.as_ref().to_os_string(), None));
        self
    }

    /// What the process reads on stdin (otherwise nothing: `/dev/null`).
    /// No command reads stdin yet; kept so that the first one is tested here.
    #[allow(dead_code)]
    pub(crate) fn stdin(mut self, bytes: impl Into<Vec<u8>>) -> Self {
        self.stdin = Some(bytes.into());
        self
    }

    /// Kill the run (and fail the test) after this long.
    pub(crate) fn timeout(mut self, limit: Duration) -> Self {
        self.timeout = Some(limit);
        self
    }

    /// The process, ready to spawn (stdin `/dev/null`; a given stdin and
    /// the timeout apply only to the runs below).
    pub(crate) fn command(&self) -> Command {
        let mut command = self.sandbox.external(bin());
        command.args(&self.args);
        for (key, value) in &self.env {
            match value {
                Some(value) => command.env(key, value),
                None => command.env_remove(key),
            };
        }
        command
    }

    /// Runs it with assert_cmd's checks (`.code(2).stderr(…)`).
    pub(crate) fn assert(self) -> assert_cmd::assert::Assert {
        self.assert_cmd().assert()
    }

    /// Runs it: the raw output.
    pub(crate) fn output(self) -> Output {
        match (&self.stdin, self.timeout) {
            (None, None) => self.command().output().expect("run roadmap"),
            _ => self.assert_cmd().output().expect("run roadmap"),
        }
    }

    /// Runs it: the exit code and the masked text.
    pub(crate) fn run(self) -> Run {
        let sandbox = self.sandbox;
        let output = self.output();
        Run {
            code: output.status.code().unwrap_or(-1),
            stdout: sandbox.mask(&text(&output.stdout)),
            stderr: sandbox.mask(&text(&output.stderr)),
        }
    }

    /// Runs it and insists on exit 0: the masked stdout.
    pub(crate) fn ok(self) -> String {
        let args = self.args.clone();
        let run = self.run();
        assert_eq!(run.code, 0, "roadmap {args:?} failed:\n{}{}", run.stdout, run.stderr);
        run.stdout
    }

    /// Runs it and insists on exit 0, nothing on stderr and JSON on stdout.
    pub(crate) fn json(self) -> serde_json::Value {
        let args = self.args.clone();
        let run = self.run();
        assert_eq!(run.code, 0, "roadmap {args:?} failed: {}", run.stderr);
        assert!(run.stderr.is_empty(), "roadmap {args:?} wrote to stderr: {}", run.stderr);
        serde_json::from_str(&run.stdout)
            .unwrap_or_else(|e| panic!("roadmap {args:?} is not JSON ({e}): {}", run.stdout))
    }

    fn assert_cmd(self) -> assert_cmd::Command {
        let mut command = assert_cmd::Command::from_std(self.command());
        if let Some(bytes) = self.stdin {
            command.write_stdin(bytes);
        }
        if let Some(limit) = self.timeout {
            command.timeout(limit);
        }
        command
    }
}

/// The `PATH` that finds this build's `roadmap` first, then the host's.
fn path_with_binary() -> OsString {
    let dir = Path::new(bin()).parent().expect("the binary's directory").to_path_buf();
    let mut paths = vec![dir];
    paths.extend(std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()));
    std::env::join_paths(paths).expect("a PATH")
}

pub(crate) fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Whether `program` runs here (`program --version`).
pub(crate) fn has(program: &str) -> bool {
    Command::new(program).arg("--version").stdout(Stdio::null()).stderr(Stdio::null()).status().is_ok()
}

/// One line on the real stderr (seen even though the test passes), once per
/// `once` flag.
pub(crate) fn say_once(once: &std::sync::Once, line: &str) {
    once.call_once(|| {
        let _ = writeln!(std::io::stderr(), "{line}");
    });
}

// ------------------------------------------------------------ plans

/// A plan with one phase, one module and tasks `t1`..`tN` of 1h each
/// (titles `Task N`), and one daily habit `hb`.
pub(crate) fn plan_with_tasks(n: usize) -> String {
    let mut text = String::from(
        "format: 1\nid: many\ntitle: Many tasks\nphases:\n  - id: p1\n    title: One\n    modules:\n      - id: m\n        title: M\n        tasks:\n",
    );
    for i in 1..=n {
        text.push_str(&format!("          - id: t{i}\n            title: Task {i}\n            effort: 1h\n"));
    }
    text.push_str("habits:\n  - id: hb\n    title: Habit\n    every: day\n");
    text
}

// ------------------------------------------------------ the state file

/// The state file read independently of roadmap: the header, the complete
/// event lines as JSON values, and whether a cut-off last line follows.
#[derive(Debug)]
pub(crate) struct Parsed {
    pub header: serde_json::Value,
    pub events: Vec<serde_json::Value>,
    pub torn_tail: bool,
}

pub(crate) fn parse_state(path: &Path) -> Parsed {
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
pub(crate) fn done_tasks(parsed: &Parsed) -> Vec<String> {
    parsed
        .events
        .iter()
        .filter(|e| e["kind"] == "done")
        .filter_map(|e| e["task"].as_str().map(str::to_string))
        .collect()
}
