//! Where a plan comes from: a built-in name, a file, or the one the state
//! recorded; large plan files and the built-in plans are kept validated in
//! the cache.

use crate::core::plan::{self, Plan, apart, builtin};
use crate::core::state::{PlanRef, PlanSnapshot, fingerprint};
use crate::shell::error::{Error, Result};
use std::path::Path;

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
            tasks: self.plan.tasks.iter().map(|t| (t.full_id.to_string(), t.effort.minutes())).collect(),
        }
    }
}

/// A stable fingerprint of a plan file's content (the state records it).
pub fn content_hash(bytes: &[u8]) -> String {
    fingerprint::hex(bytes)
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

/// A plan from the cache entry at `file`, its tasks' text left in the
/// entry's bytes rather than copied (`text::keeping`) in the `roadmap`
/// process, and their details in the entry's tail, decoded when asked for
/// (`plan::apart`; from `reload` should they be damaged). The text is
/// copied elsewhere (`Entry::kept`), and on Windows, where a mapped file
/// cannot be replaced while it is mapped and the entry may be written anew
/// in this run.
fn cached<T: serde::de::DeserializeOwned>(file: &Path, key: u64, reload: apart::Reload) -> Option<T> {
    let entry = crate::shell::cache::Entry::open(file, key)?;
    // On Windows a mapped file cannot be replaced while it is mapped, and
    // the entry may be written anew in this run: the details are copied.
    let block = if cfg!(windows) {
        let tail = (*entry.shared()).as_ref().get(entry.tail_start()..)?.to_vec();
        apart::Block::open(std::sync::Arc::new(tail), 0, reload)?
    } else {
        apart::Block::open(entry.shared(), entry.tail_start(), reload)?
    };
    let read = || apart::reading_apart(block, || postcard::from_bytes(entry.payload()).ok());
    match entry.kept() {
        Some(kept) => crate::core::text::keeping(kept, read),
        None => read(),
    }
}

/// Writes a plan's cache entry, its tasks' details apart (`plan::apart`).
fn store<T: serde::Serialize>(file: &Path, key: u64, value: &T) {
    if let (Ok(payload), Some(details)) = apart::writing_apart(|| postcard::to_stdvec(value)) {
        crate::shell::cache::store_parts(file, key, &payload, &details);
    }
}

/// Every task's details of a plan, in plan order.
fn details_of(plan: Plan) -> Vec<plan::Details> {
    plan.tasks.iter().map(|t| t.details().clone()).collect()
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
    // Should a task's details in the entry be damaged: the plan file again,
    // while it still holds the plan that was cached.
    let reload = |hash: std::sync::Arc<std::sync::OnceLock<u64>>| -> apart::Reload {
        let (path, label) = (path.to_path_buf(), label.to_string());
        Box::new(move || {
            let bytes = std::fs::read(&path).ok()?;
            if Some(&fingerprint::fingerprint(&bytes)) != hash.get() {
                return None;
            }
            plan::load(&label, &bytes).ok().map(details_of)
        })
    };
    let cached_hash = std::sync::Arc::new(std::sync::OnceLock::new());
    let cached =
        entry.as_ref().and_then(|(file, key, _)| cached::<CachedPlan>(file, *key, reload(cached_hash.clone())));
    if let Some(c) = &cached {
        let _ = cached_hash.set(c.hash);
    }
    let unchanged = |c: &CachedPlan, meta: &std::fs::Metadata| {
        let (modified, inode) = crate::shell::cache::file_identity(meta);
        (c.len, c.modified, c.inode) == (meta.len(), modified, inode)
    };
    let cached = match (cached, &entry) {
        (Some(c), Some((_, _, meta))) if unchanged(&c, meta) => return Ok((c.plan, c.hash)),
        (cached, _) => cached,
    };
    let bytes = read_plan_file(path)?;
    // The fingerprint the state records; it also tells a touched file with
    // the same content from a changed one.
    let hash = fingerprint::fingerprint(&bytes);
    let plan = match cached {
        Some(c) if c.hash == hash => c.plan,
        _ => plan::load(label, &bytes)?,
    };
    if let Some((file, key, meta)) = &entry {
        let (modified, inode) = crate::shell::cache::file_identity(meta);
        let entry = CachedPlan { len: bytes.len() as u64, modified, inode, hash, plan };
        store(file, *key, &entry);
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
    let (text, name) = (b.text, label.to_string());
    let reload: apart::Reload = Box::new(move || plan::load(&name, text.as_bytes()).ok().map(details_of));
    if let Some(plan) = cached::<Plan>(&file, key, reload) {
        return Ok(plan);
    }
    let plan = plan::load(label, b.text.as_bytes())?;
    store(&file, key, &plan);
    Ok(plan)
}

/// Reads a plan file's bytes, refusing huge files before reading them.
pub fn read_plan_file(path: &Path) -> Result<Vec<u8>> {
    let shown = path.display();
    let metadata = std::fs::metadata(path).map_err(|e| Error::io("read the plan", path, e))?;
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
    crate::shell::alloc::expect_large(metadata.len());
    std::fs::read(path).map_err(|e| Error::io("read the plan", path, e))
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
            None => {
                let known = builtin::BUILTINS.iter().map(|b| b.name).collect::<Vec<_>>().join(", ");
                Err(Error::usage(format!("no built-in plan or file named `{arg}`"))
                    .with_hint(format!("built-in plans: {known}")))
            }
        },
        (None, Some(PlanRef::Builtin(name))) => match builtin::find(name) {
            Some(b) => from_builtin(b),
            None => Err(Error::refused(format!(
                "the state uses the built-in plan `{name}`, which this roadmap does not have"
            ))
            .with_hint("pass --plan FILE with that plan")),
        },
        (None, Some(PlanRef::File { path, .. })) => from_file(Path::new(path)).map_err(|e| match e {
            Error::Io { .. } => e.with_hint(
                "your progress was recorded against this plan file: put it back, or pass --plan FILE (or a built-in name) to use another; the state file was left as it is",
            ),
            other => other,
        }),
        (None, None) => from_builtin(builtin::default_plan()),
    }
}
