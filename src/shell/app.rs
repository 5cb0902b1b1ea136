//! The shell around the core: resolves today, paths, colour and the plan;
//! opens the state; dispatches to one function per command; prints.

use crate::cli::{Cli, ColorChoice, Command, Format};
use crate::commands;
use crate::core::calendar::{Calendar, WeekHours};
use crate::core::outlook::{self, Outlook};
use crate::core::plan::builtin;
use crate::core::plan::{self, Plan};
use crate::core::progress::{self, Progress};
use crate::core::state::{Event, Header, PlanRef, PlanSnapshot, STATE_VERSION, State};
use crate::error::{Error, Result};
use crate::render::Style;
use crate::shell::store::{Loaded, Lock, Store};
use chrono::{DateTime, Local, NaiveDate, Timelike, Utc};
use clap::Parser;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

/// Everything a command may read from the world, resolved once.
pub struct Ctx {
    pub today: NaiveDate,
    pub now: DateTime<Utc>,
    pub store: Store,
    pub plan_arg: Option<String>,
    pub style: Style,
    /// Where derived data is cached; `None` disables the cache.
    pub cache: Option<PathBuf>,
}

/// The process entry point: parses, runs, prints, returns the exit code.
pub fn main() -> i32 {
    EXITS_AFTER_COMMAND.store(true, std::sync::atomic::Ordering::Relaxed);
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return e.exit_code();
        }
    };
    let result = Ctx::from_cli(&cli).and_then(|ctx| dispatch(&ctx, cli.command));
    let (text, code) = match result {
        Ok(text) => (text, 0),
        Err(Error::Report(text)) => (text, 1),
        Err(e) => {
            let label = if color_allowed(cli.global.color, std::io::stderr().is_terminal()) {
                "\x1b[31;1merror\x1b[0m"
            } else {
                "error"
            };
            to_stderr(&format!("{label}: {e}"));
            return e.exit_code();
        }
    };
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => code,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => code,
        Err(e) => {
            to_stderr(&format!("error: cannot write the output: {e}"));
            1
        }
    }
}

/// Writes a line to stderr; if stderr is gone too, there is no one to tell
/// (unlike `eprintln!`, this never panics).
fn to_stderr(line: &str) {
    let _ = writeln!(std::io::stderr().lock(), "{line}");
}

/// Whether to colour a stream: `--color` first; for `auto`, `NO_COLOR`
/// (set and not empty) turns colour off, `CLICOLOR_FORCE` (not 0) turns it
/// on for pipes, and otherwise only a terminal gets colour.
fn color_allowed(choice: ColorChoice, is_terminal: bool) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
            let forced = std::env::var_os("CLICOLOR_FORCE").is_some_and(|v| !v.is_empty() && v != "0");
            !no_color && (forced || is_terminal)
        }
    }
}

fn terminal_width() -> u16 {
    if let Some(columns) = std::env::var("COLUMNS").ok().and_then(|c| c.parse::<u16>().ok()) {
        return columns.max(40);
    }
    if std::io::stdout().is_terminal()
        && let Some(width) = comfy_table::Table::new().width()
    {
        return width.max(40);
    }
    100
}

/// The default state file: `state.jsonl` in the user data directory.
pub fn default_state_path() -> Result<PathBuf> {
    directories::ProjectDirs::from("", "", "roadmap").map(|dirs| dirs.data_dir().join("state.jsonl")).ok_or_else(|| {
        Error::Usage(
            "cannot find a home directory for the state file\n  hint: pass --state PATH or set ROADMAP_STATE".into(),
        )
    })
}

impl Ctx {
    fn from_cli(cli: &Cli) -> Result<Ctx> {
        let g = &cli.global;
        let real_today = Local::now().date_naive();
        let today = match &g.today {
            Some(text) => crate::core::dates::parse_date(text, real_today, crate::core::dates::Lean::Past)
                .map_err(|e| Error::Usage(format!("--today: {e}")))?,
            None => real_today,
        };
        let path = match &g.state {
            Some(path) if path.as_os_str().is_empty() => return Err(Error::Usage("--state is empty".into())),
            Some(path) => path.clone(),
            None => default_state_path()?,
        };
        let style = Style { color: color_allowed(g.color, std::io::stdout().is_terminal()), width: terminal_width() };
        let now = Utc::now().with_nanosecond(0).unwrap_or_else(Utc::now);
        let cache = match std::env::var_os("ROADMAP_CACHE_DIR") {
            Some(dir) if dir.is_empty() => None,
            Some(dir) => Some(PathBuf::from(dir)),
            None => directories::ProjectDirs::from("", "", "roadmap").map(|d| d.cache_dir().to_path_buf()),
        };
        let store = Store::new(path).with_snapshots(cache.as_deref());
        Ok(Ctx { today, now, store, plan_arg: g.plan.clone(), style, cache })
    }

    pub fn warn(&self, message: &str) {
        to_stderr(&format!("warning: {message}"));
    }
}

fn dispatch(ctx: &Ctx, command: Option<Command>) -> Result<String> {
    use Command as C;
    match command.unwrap_or(C::Next { json: false }) {
        C::Next { json } => commands::next::run(ctx, json),
        C::Done { tasks, on, note, deliverable, count } => {
            commands::record::done(ctx, &tasks, on, note, deliverable, count)
        }
        C::Start { task, on, note } => commands::record::start(ctx, &task, on, note),
        C::Skip { task, note } => commands::record::skip(ctx, &task, note),
        C::Reopen { task, note } => commands::record::reopen(ctx, &task, note),
        C::Log { task, time, on, note } => commands::record::log(ctx, &task, &time, on, note),
        C::Undo => commands::record::undo(ctx),
        C::Off { range, note, list, remove, json } => commands::off::run(ctx, range, note, list || json, remove, json),
        C::Init { start, hours, tracks, force } => commands::init::run(ctx, start, hours, tracks, force),
        C::Config { start, hours, tracks, json } => commands::config::run(ctx, start, hours, tracks, json),
        C::Schedule { phase, json } => commands::schedule::run(ctx, phase, json),
        C::Rebaseline { yes } => commands::config::rebaseline(ctx, yes),
        C::List { phase, track, json } => commands::list::run(ctx, phase, track, json),
        C::Show { task, json } => commands::show::run(ctx, &task, json),
        C::Validate { file, json } => commands::validate::run(ctx, file, json),
        C::Plans { json } => commands::plans::run(ctx, json),
        C::Completions { shell } => commands::complete::script(shell),
        C::Man => commands::complete::man(),
        C::Export { format } => commands::export::run(ctx, format),
        C::CompleteTasks { words } => commands::complete::tasks(ctx, &words),
        C::Report { week, since, until, format, json } => commands::report::run(
            ctx,
            commands::report::Request { week, since, until, format: if json { Format::Json } else { format } },
        ),
        C::Habits { weeks, json } => commands::habits::run(ctx, weeks, json),
        C::Forecast { hours, weekly, json } => commands::forecast::run(ctx, hours, weekly, json),
        C::Doctor { fix, json } => commands::doctor::run(ctx, fix, json),
    }
}

/// A plan and where it came from.
pub struct PlanSource {
    pub plan: Plan,
    pub reference: PlanRef,
    /// `built-in NAME` or the path, for messages.
    pub label: String,
    /// `content_hash` of the plan's text.
    pub hash: String,
}

impl PlanSource {
    /// The plan's hash and each task's effort, as recorded in the state.
    pub fn snapshot(&self) -> PlanSnapshot {
        PlanSnapshot {
            hash: self.hash.clone(),
            tasks: self.plan.tasks.iter().map(|t| (t.full_id.clone(), t.effort.minutes())).collect(),
        }
    }
}

/// A stable fingerprint of a plan file's content.
pub fn content_hash(bytes: &[u8]) -> String {
    format!("{:016x}", crate::shell::cache::hash(bytes))
}

/// Plans at least this large are kept validated in the cache (a 34 KB
/// plan of 100 tasks parses in 1.5 ms and loads from the cache in 0.1 ms).
const CACHE_PLANS_FROM: u64 = 4 * 1024;

/// A validated plan file in the cache, with the file's identity when read.
#[derive(serde::Serialize, serde::Deserialize)]
struct CachedPlan {
    len: u64,
    modified: u128,
    inode: u64,
    hash: u64,
    plan: Plan,
}

/// Loads and validates a plan file; returns it with its content hash. Large
/// plans are kept validated in the cache: an unchanged file (same length,
/// modification time and inode) is not even read again, and a touched one
/// whose content hashes the same is not validated again.
fn load_plan_file(path: &Path, label: &str, cache_dir: Option<&Path>) -> Result<(Plan, u64)> {
    let meta = std::fs::metadata(path).ok();
    let entry = cache_dir.zip(meta.as_ref()).filter(|(_, m)| m.len() >= CACHE_PLANS_FROM).map(|(dir, meta)| {
        let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
        let key = crate::shell::cache::key(absolute.as_os_str().as_encoded_bytes());
        (dir.join(format!("plan-{key:016x}.bin")), key, meta)
    });
    let cached = entry.as_ref().and_then(|(file, key, _)| crate::shell::cache::load::<CachedPlan>(file, *key));
    let unchanged = |c: &CachedPlan, meta: &std::fs::Metadata| {
        let (modified, inode) = crate::shell::cache::file_identity(meta);
        (c.len, c.modified, c.inode) == (meta.len(), modified, inode)
    };
    let cached = match (cached, &entry) {
        (Some(c), Some((_, _, meta))) if unchanged(&c, meta) => return Ok((c.plan, c.hash)),
        (cached, _) => cached,
    };
    let bytes = read_plan_file(path)?;
    let hash = crate::shell::cache::hash(&bytes);
    let plan = match cached {
        Some(c) if c.hash == hash => c.plan,
        _ => plan::load(label, &bytes)?,
    };
    if let Some((file, key, meta)) = &entry {
        let (modified, inode) = crate::shell::cache::file_identity(meta);
        let entry = CachedPlan { len: bytes.len() as u64, modified, inode, hash, plan };
        crate::shell::cache::store(file, *key, &entry);
        return Ok((entry.plan, hash));
    }
    Ok((plan, hash))
}

/// A built-in plan, validated, from the cache when it holds this text's
/// plan (the key covers the text and the program's version), else parsed
/// and cached: parsing it was most of a `next` on a fresh state.
fn load_builtin(b: &builtin::Builtin, label: &str, cache_dir: Option<&Path>) -> Result<Plan> {
    let Some(dir) = cache_dir else { return Ok(plan::load(label, b.text.as_bytes())?) };
    let key = crate::shell::cache::key(b.text.as_bytes());
    let file = dir.join(format!("builtin-{key:016x}.bin"));
    if let Some(plan) = crate::shell::cache::load::<Plan>(&file, key) {
        return Ok(plan);
    }
    let plan = plan::load(label, b.text.as_bytes())?;
    crate::shell::cache::store(&file, key, &plan);
    Ok(plan)
}

/// Reads a plan file's bytes, refusing huge files before reading them.
pub fn read_plan_file(path: &Path) -> Result<Vec<u8>> {
    let shown = path.display();
    let metadata = std::fs::metadata(path).map_err(|e| Error::Failed(format!("cannot read the plan {shown}: {e}")))?;
    if metadata.len() > plan::MAX_PLAN_BYTES as u64 {
        return Err(Error::Plan(plan::PlanErrors::single(
            &shown.to_string(),
            plan::Diagnostic {
                line: None,
                column: None,
                id: None,
                message: format!("the plan is {} bytes, over the limit of 16 MiB", metadata.len()),
                hint: Some("split it, or move long notes out of the plan".into()),
            },
        )));
    }
    std::fs::read(path).map_err(|e| Error::Failed(format!("cannot read the plan {shown}: {e}")))
}

/// Resolves `--plan NAME|FILE`, else the state's plan, else the default.
pub fn load_plan(arg: Option<&str>, recorded: Option<&PlanRef>) -> Result<PlanSource> {
    resolve_plan(arg, recorded, None)
}

/// As `load_plan`, with large plan files served from the cache in `cache_dir`.
pub fn resolve_plan(arg: Option<&str>, recorded: Option<&PlanRef>, cache_dir: Option<&Path>) -> Result<PlanSource> {
    let from_builtin = |b: &builtin::Builtin| -> Result<PlanSource> {
        let label = format!("built-in {}", b.name);
        let plan = load_builtin(b, &label, cache_dir)?;
        Ok(PlanSource {
            plan,
            reference: PlanRef::Builtin(b.name.to_string()),
            label,
            hash: content_hash(b.text.as_bytes()),
        })
    };
    let from_file = |path: &Path| -> Result<PlanSource> {
        let label = path.display().to_string();
        let (plan, hash) = load_plan_file(path, &label, cache_dir)?;
        let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
        let hash = format!("{hash:016x}");
        Ok(PlanSource {
            plan,
            reference: PlanRef::File { path: absolute.display().to_string(), hash: hash.clone() },
            label,
            hash,
        })
    };
    match (arg, recorded) {
        (Some(arg), _) => match builtin::find(arg) {
            Some(b) => from_builtin(b),
            None if Path::new(arg).exists() => from_file(Path::new(arg)),
            None => Err(Error::Usage(format!(
                "no built-in plan or file named `{arg}`\n  hint: built-in plans: {}",
                builtin::BUILTINS.iter().map(|b| b.name).collect::<Vec<_>>().join(", ")
            ))),
        },
        (None, Some(PlanRef::Builtin(name))) => match builtin::find(name) {
            Some(b) => from_builtin(b),
            None => Err(Error::Failed(format!(
                "the state uses the built-in plan `{name}`, which this roadmap does not have\n  hint: pass --plan FILE with that plan"
            ))),
        },
        (None, Some(PlanRef::File { path, .. })) => from_file(Path::new(path)).map_err(|e| match e {
            Error::Failed(message) => Error::Failed(format!(
                "{message}\n  hint: your progress was recorded against this plan file: put it back, or pass --plan FILE (or a built-in name) to use another; the state file was left as it is"
            )),
            other => other,
        }),
        (None, None) => from_builtin(builtin::default_plan()),
    }
}

/// The plan and progress a command works on.
pub struct Session {
    pub source: PlanSource,
    /// `None` while nothing is saved: a preview on the defaults.
    pub loaded: Option<Loaded>,
    pub progress: Progress,
}

/// A fresh header for `plan`: calendar from `start`, baseline computed.
pub fn new_header(
    ctx: &Ctx,
    source: &PlanSource,
    start: NaiveDate,
    hours: WeekHours,
    tracks: Option<Vec<String>>,
) -> Result<Header> {
    let mut header = Header {
        roadmap_state: STATE_VERSION,
        created: ctx.now,
        plan: source.reference.clone(),
        start,
        hours,
        tracks,
        baseline: Default::default(),
        snapshot: Some(source.snapshot()),
    };
    let progress = progress::replay(&State { header: header.clone(), events: Vec::new() })
        .map_err(|e| Error::Failed(e.message))?;
    let outlook = Outlook::new(&source.plan, &progress, start)?;
    header.baseline = outlook::baseline(&source.plan, &outlook.schedule, start);
    Ok(header)
}

impl Session {
    /// Opens the plan and the saved progress for reading.
    pub fn open(ctx: &Ctx) -> Result<Session> {
        let loaded = ctx.store.read()?;
        Session::from_loaded(ctx, loaded)
    }

    fn from_loaded(ctx: &Ctx, loaded: Option<Loaded>) -> Result<Session> {
        if let Some(l) = &loaded {
            for w in &l.warnings {
                ctx.warn(w);
            }
        }
        let recorded = loaded.as_ref().map(|l| &l.header.plan);
        let source = resolve_plan(ctx.plan_arg.as_deref(), recorded, ctx.cache.as_deref())?;
        Session::with_source(ctx, source, loaded)
    }

    /// The session for a plan already resolved.
    fn with_source(ctx: &Ctx, source: PlanSource, loaded: Option<Loaded>) -> Result<Session> {
        match loaded {
            Some(mut l) => {
                let progress = std::mem::take(&mut l.progress);
                Ok(Session { source, loaded: Some(l), progress })
            }
            None => {
                let header = new_header(ctx, &source, ctx.today, WeekHours::DEFAULT, None)?;
                let progress =
                    progress::replay(&State { header, events: Vec::new() }).map_err(|e| Error::Failed(e.message))?;
                Ok(Session { source, loaded: None, progress })
            }
        }
    }

    pub fn plan(&self) -> &Plan {
        &self.source.plan
    }

    pub fn is_preview(&self) -> bool {
        self.loaded.is_none()
    }

    pub fn calendar(&self) -> &Calendar {
        &self.progress.calendar
    }

    pub fn outlook(&self, today: NaiveDate) -> Result<Outlook> {
        Ok(Outlook::new(self.plan(), &self.progress, today)?)
    }
}

/// The result of a write: the session after it, the events recorded, and
/// whether the state file was created for it.
pub struct Written {
    pub session: Session,
    pub events: Vec<Event>,
    pub created: bool,
}

/// Runs a read-modify-write under the lock: `decide` sees the session and
/// returns the events to append (none: nothing is written); it is given the
/// lock for reads that must see the file as the lock holder does. Without a state
/// file, one is created with the defaults, but only if there is something
/// to record: a refused command leaves no trace.
pub fn write(ctx: &Ctx, decide: impl FnOnce(&Session, &Lock) -> Result<Vec<Event>>) -> Result<Written> {
    let lock = ctx.store.lock()?;
    let (session, created) = match ctx.store.read_locked(&lock)? {
        Some(loaded) => (Session::from_loaded(ctx, Some(loaded))?, false),
        None => {
            let source = resolve_plan(ctx.plan_arg.as_deref(), None, ctx.cache.as_deref())?;
            let header = new_header(ctx, &source, ctx.today, WeekHours::DEFAULT, None)?;
            (Session::with_source(ctx, source, Some(Loaded::unsaved(header)?))?, true)
        }
    };
    let mut events = decide(&session, &lock)?;
    let Session { source, loaded, mut progress } = session;
    let Some(mut loaded) = loaded else {
        return Err(Error::Failed("no state to write to".into()));
    };
    if events.is_empty() {
        return Ok(Written { session: Session { source, loaded: Some(loaded), progress }, events, created: false });
    }
    for (seq, event) in (loaded.next_seq..).zip(events.iter_mut()) {
        event.seq = seq;
        event.at = ctx.now;
    }
    if created {
        ctx.store.write_all(&lock, &State { header: loaded.header.clone(), events: events.clone() })?;
    } else {
        let len = ctx.store.append(&lock, &loaded.ends, &events)?;
        if progress.apply_all(&events).is_ok() {
            loaded.progress = progress;
            loaded.absorb(&events, len);
            ctx.store.remember(&loaded);
            let progress = std::mem::take(&mut loaded.progress);
            return Ok(Written { session: Session { source, loaded: Some(loaded), progress }, events, created });
        }
    }
    // A new file, or an undo: read the state back whole.
    let mut loaded = ctx.store.read_locked(&lock)?.ok_or_else(|| Error::Failed("the state file vanished".into()))?;
    drop(lock);
    let progress = std::mem::take(&mut loaded.progress);
    Ok(Written { session: Session { source, loaded: Some(loaded), progress }, events, created })
}

/// Set by `main`: the process ends after the command, so its large values
/// need not be freed.
static EXITS_AFTER_COMMAND: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Ends the life of a command's large values. In the `roadmap` process they
/// are not freed: it exits right after the command, and freeing a big plan,
/// progress and schedule piece by piece only costs time (a tenth of `next`
/// at 10,000 tasks); the operating system takes the memory back at exit.
/// Elsewhere (tests, benchmarks, other callers of the library) they are
/// dropped as usual.
pub fn skip_teardown<T>(value: T) {
    if EXITS_AFTER_COMMAND.load(std::sync::atomic::Ordering::Relaxed) {
        std::mem::forget(value);
    } else {
        drop(value);
    }
}

/// The line that tells a newcomer their state file was just created.
pub fn created_note(ctx: &Ctx, session: &Session) -> String {
    format!(
        "Created {} for {}, starting {} with 2h Mon–Fri and 4h Sat–Sun (change with `roadmap config --hours`).\n",
        ctx.store.path().display(),
        session.source.label,
        ctx.today
    )
}
