//! Plan text → validated `Plan`, or every problem found.
//!
//! The text is parsed once into a position-free YAML tree (syntax errors,
//! duplicate keys and alias bombs are refused there), then walked here with
//! every rule of the contract checked and every problem collected. Positions
//! are looked up afterwards, only for the problems (see `locate`).

use super::diagnostic::{Diagnostic, PlanErrors};
use super::locate::{Path, Seg, duplicate_key, expands_past, locate, too_deep_at};
use super::model::{
    Deliverable, Details, Habit, Lazy, MAX_TARGET, Module, Phase, Plan, Resource, Review, Str, Task, Track,
};
use super::tree::{Tree, big_integer};
use crate::core::cadence::Cadence;
use crate::core::effort::Effort;
use crate::core::suggest::closest;
use crate::core::window::Window;
use serde_yaml::{Mapping, Value};
use std::collections::HashMap;

/// Files larger than this are refused before parsing.
pub const MAX_PLAN_BYTES: usize = 16 * 1024 * 1024;
/// Deeper nesting is refused.
pub const MAX_DEPTH: usize = 64;
/// The plan format this program reads.
pub const FORMAT: u64 = 1;
/// Problems located and listed at most; the rest are counted.
const MAX_LISTED: usize = 20;
/// Nodes that aliases may add beyond one per byte of the file (which no
/// text without aliases reaches).
const ALIAS_NODES: usize = 100_000;

const ALIAS_BOMB: &str = "aliases expand to too many nodes (an alias bomb?)";
const ALIAS_HINT: &str = "write the repeated parts out, or use fewer aliases";
const DEPTH_HINT: &str = "a plan needs about 8 levels; flatten the structure";
/// Bytes of plan text re-read, at most, to locate the problems listed.
const LOCATE_BUDGET: usize = 16 * 1024 * 1024;

pub(super) const PLAN_KEYS: &[&str] =
    &["format", "id", "title", "summary", "lang", "tracks", "phases", "habits", "review"];
pub(super) const REVIEW_KEYS: &[&str] = &["effort", "retention"];
pub(super) const TRACK_KEYS: &[&str] = &["id", "title"];
pub(super) const PHASE_KEYS: &[&str] = &["id", "title", "duration", "summary", "modules"];
pub(super) const MODULE_KEYS: &[&str] = &["id", "title", "summary", "tasks"];
pub(super) const TASK_KEYS: &[&str] =
    &["id", "title", "effort", "notes", "resources", "deliverables", "after", "track", "tags", "review"];
pub(super) const RESOURCE_KEYS: &[&str] = &["title", "url"];
pub(super) const DELIVERABLE_KEYS: &[&str] = &["id", "title"];
pub(super) const HABIT_KEYS: &[&str] = &["id", "title", "every", "target", "unit", "effort", "phases"];

/// Loads and validates a plan from its text (BOM removed), through a tree.
pub(super) fn load_text(source: &str, text: &str) -> Result<Plan, PlanErrors> {
    let fail = |d: Diagnostic| Err(PlanErrors::single(source, d));
    // The YAML library limits alias jumps, not the nodes one jump copies: a
    // long anchored list used many times still grows without bound. Only an
    // alias (`*`) can make the tree larger than the text.
    if text.contains('*') && expands_past(text, text.len() + ALIAS_NODES) {
        return fail(Diagnostic {
            line: None,
            column: None,
            id: None,
            message: ALIAS_BOMB.into(),
            hint: Some(ALIAS_HINT.into()),
        });
    }
    let value: Value = match serde_yaml::from_str::<Tree>(text) {
        Ok(Tree(value)) => value,
        Err(e) => return fail(yaml_error(&e, text)),
    };
    if let Some(path) = too_deep(&value, &mut Vec::new()) {
        let (line, column) = locate(text, &path).unwrap_or((1, 1));
        return fail(Diagnostic::at(line, column, format!("nesting deeper than {MAX_DEPTH} levels")).hint(DEPTH_HINT));
    }
    let mut walker = Walker::default();
    let plan = walker.plan(&value);
    if walker.issues.is_empty()
        && let Some(plan) = plan
    {
        return Ok(plan);
    }
    Err(walker.into_errors(source, text))
}

pub(super) fn line_column(bytes: &[u8], offset: usize) -> (usize, usize) {
    let before = &bytes[..offset];
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let line_start = before.iter().rposition(|&b| b == b'\n').map_or(0, |p| p + 1);
    let column = String::from_utf8_lossy(&before[line_start..]).chars().count() + 1;
    (line, column)
}

fn yaml_error(error: &serde_yaml::Error, text: &str) -> Diagnostic {
    let full = error.to_string();
    let (message, context) = full.split_once(" at line ").unwrap_or((&full, ""));
    // libyaml adds where the enclosing construct began: "…, while parsing a
    // flow sequence at line 6 column 12". Often that is the real mistake.
    let context = context.split_once(", ").map(|(_, c)| c).filter(|c| c.contains(" at line "));
    let location = error.location().map(|l| (l.line(), l.column()));
    let (message, hint) = match message {
        "recursion limit exceeded" => {
            // The library stops at level 128; point at the first node past ours.
            let (line, column) = too_deep_at(text, MAX_DEPTH).or(location).unwrap_or((1, 1));
            return Diagnostic::at(line, column, format!("nesting deeper than {MAX_DEPTH} levels")).hint(DEPTH_HINT);
        }
        "repetition limit exceeded" => (ALIAS_BOMB.to_string(), Some(ALIAS_HINT.to_string())),
        m if m.contains("duplicate entry") => {
            // The library names the mapping; point at the repeated key instead.
            if let Some((key, line, column)) = duplicate_key(text) {
                return Diagnostic::at(line, column, format!("the key `{key}` appears twice in one mapping"))
                    .hint("keep one of them");
            }
            (format!("{m}: a key appears twice in one mapping"), Some("keep one of them".to_string()))
        }
        m if m.contains("more than one document") => {
            ("the file holds more than one YAML document".to_string(), Some("remove the `---` separators".into()))
        }
        _ if location.is_some_and(|(line, column)| tab_at(text, line, column)) => (
            "a tab is used for indentation".to_string(),
            Some("indent with spaces: YAML does not allow tabs in indentation".to_string()),
        ),
        m => {
            let message = match context {
                Some(context) => format!(
                    "{m} ({})",
                    context.replace(" at line ", " that starts at line ").replace(" column ", ", column ")
                ),
                None => m.to_string(),
            };
            (message, Some("fix the YAML syntax at that point".to_string()))
        }
    };
    let (line, column) = location.map_or((None, None), |(l, c)| (Some(l), Some(c)));
    Diagnostic { line, column, id: None, message, hint }
}

/// Whether the line holds a tab within its indentation, at or before `column`.
fn tab_at(text: &str, line: usize, column: usize) -> bool {
    let Some(line) = text.lines().nth(line.saturating_sub(1)) else { return false };
    let indent = line.len() - line.trim_start_matches([' ', '\t']).len();
    line[..indent].contains('\t') && column <= indent + 1
}

/// The path to the first node nested deeper than `MAX_DEPTH`.
fn too_deep(value: &Value, path: &mut Path) -> Option<Path> {
    if path.len() > MAX_DEPTH {
        return Some(path.clone());
    }
    match value {
        Value::Sequence(items) => items.iter().enumerate().find_map(|(i, item)| {
            path.push(Seg::Index(i));
            let found = too_deep(item, path);
            path.pop();
            found
        }),
        Value::Mapping(map) => map.iter().find_map(|(key, item)| {
            path.push(Seg::Key(scalar_text(key).unwrap_or_default()));
            let found = too_deep(item, path);
            path.pop();
            found
        }),
        Value::Tagged(tagged) => too_deep(&tagged.value, path),
        _ => None,
    }
}

/// A problem before it is located.
struct Issue {
    path: Path,
    id: Option<String>,
    message: String,
    hint: Option<String>,
    /// For a duplicate: where the first one is, named in the hint.
    first: Option<Path>,
}

#[derive(Default)]
struct Walker {
    issues: Vec<Issue>,
}

/// A task as read, before its dependencies are resolved.
struct RawTask {
    task: Task,
    path: Path,
    after: Vec<(String, Path)>,
    track_path: Path,
}

fn push(path: &Path, seg: Seg) -> Path {
    let mut path = path.clone();
    path.push(seg);
    path
}

fn key(path: &Path, k: &str) -> Path {
    push(path, Seg::Key(k.to_string()))
}

fn index(path: &Path, i: usize) -> Path {
    push(path, Seg::Index(i))
}

fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        other => big_integer(other).map(str::to_string),
    }
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "empty",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "text",
        Value::Sequence(_) => "a list",
        Value::Mapping(_) => "a mapping",
        other if big_integer(other).is_some() => "a number",
        Value::Tagged(_) => "a tagged value",
    }
}

pub fn is_slug(id: &str) -> bool {
    !id.is_empty() && id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

fn slugify(id: &str) -> String {
    let mut slug = String::new();
    for c in id.to_lowercase().chars() {
        if c.is_ascii_lowercase() || c.is_ascii_digit() {
            slug.push(c);
        } else if !slug.ends_with('-') {
            slug.push('-');
        }
    }
    let slug = slug.trim_matches('-').to_string();
    if slug.is_empty() { "task-1".to_string() } else { slug }
}

impl Walker {
    fn issue(&mut self, path: Path, id: Option<&str>, message: impl Into<String>, hint: Option<String>) {
        self.issues.push(Issue { path, id: id.map(str::to_string), message: message.into(), hint, first: None });
    }

    fn into_errors(mut self, source: &str, text: &str) -> PlanErrors {
        let more = self.issues.len().saturating_sub(MAX_LISTED);
        self.issues.truncate(MAX_LISTED);
        // Each lookup re-reads the whole text: a huge file gets fewer of
        // them (the rest still name their id), so many errors stay quick.
        let located = (LOCATE_BUDGET / text.len().max(1)).max(1);
        let mut diagnostics: Vec<Diagnostic> = self
            .issues
            .into_iter()
            .enumerate()
            .map(|(i, issue)| {
                let located = i < located;
                let position = if located { locate(text, &issue.path) } else { None };
                let first_line = issue.first.filter(|_| located).and_then(|first| locate(text, &first)).map(|p| p.0);
                let hint = match (first_line, issue.hint) {
                    (Some(line), Some(hint)) => Some(format!("the first is at line {line}; {hint}")),
                    (_, hint) => hint,
                };
                Diagnostic {
                    line: position.map(|p| p.0),
                    column: position.map(|p| p.1),
                    id: issue.id,
                    message: issue.message,
                    hint,
                }
            })
            .collect();
        diagnostics.sort_by_key(|d| (d.line.is_none(), d.line, d.column));
        PlanErrors { source: source.to_string(), diagnostics, more }
    }

    /// The mapping at `value`, or an issue saying it is not one.
    fn mapping<'v>(&mut self, value: &'v Value, path: &Path, what: &str) -> Option<&'v Mapping> {
        let Value::Mapping(map) = value else {
            self.issue(path.clone(), None, format!("{what} must be a mapping, not {}", kind(value)), None);
            return None;
        };
        Some(map)
    }

    /// Reports the keys of `map` that `what` does not take. Called once the
    /// item's id is known, so that the message can name it.
    fn known_keys(&mut self, map: &Mapping, path: &Path, what: &str, allowed: &[&str]) {
        for k in map.keys() {
            let name = scalar_text(k).unwrap_or_else(|| "?".to_string());
            if !allowed.contains(&name.as_str()) {
                let hint = match closest(&name, allowed.iter().copied()) {
                    Some(best) => format!("did you mean `{best}`? {what} takes: {}", allowed.join(", ")),
                    None => format!("{what} takes: {}", allowed.join(", ")),
                };
                self.issue(
                    push(path, Seg::KeyName(name.clone())),
                    None,
                    format!("unknown key `{name}` in {what}"),
                    Some(hint),
                );
            }
        }
    }

    /// Optional free text; numbers and booleans are taken as their text.
    fn opt_text(&mut self, map: &Mapping, k: &str, path: &Path, what: &str) -> Option<String> {
        let value = map.get(k)?;
        if value.is_null() {
            return None;
        }
        let text = scalar_text(value);
        if text.is_none() {
            self.issue(key(path, k), None, format!("`{k}` of {what} must be text, not {}", kind(value)), None);
        }
        text
    }

    fn req_text(&mut self, map: &Mapping, k: &str, path: &Path, what: &str) -> Option<String> {
        if map.get(k).is_none_or(Value::is_null) {
            self.issue(path.clone(), None, format!("{what} has no `{k}`"), Some(format!("add `{k}: …`")));
            return None;
        }
        self.opt_text(map, k, path, what)
    }

    fn id(&mut self, map: &Mapping, path: &Path, what: &str) -> Option<String> {
        let id = self.req_text(map, "id", path, what)?;
        if !is_slug(&id) {
            self.issue(
                key(path, "id"),
                Some(&id),
                format!("id `{id}` of {what} is not a slug"),
                Some(format!("use only a-z, 0-9 and '-', e.g. `{}`", slugify(&id))),
            );
        }
        Some(id)
    }

    fn list<'v>(&mut self, map: &'v Mapping, k: &str, path: &Path, what: &str) -> Option<&'v Vec<Value>> {
        match map.get(k)? {
            Value::Null => None,
            Value::Sequence(items) => Some(items),
            other => {
                let hint = match other {
                    Value::String(s) => Some(format!("write a list: `{k}: [{s}]`")),
                    _ => None,
                };
                self.issue(key(path, k), None, format!("`{k}` of {what} must be a list, not {}", kind(other)), hint);
                None
            }
        }
    }

    fn required_list<'v>(&mut self, map: &'v Mapping, k: &str, path: &Path, what: &str) -> &'v [Value] {
        match self.list(map, k, path, what) {
            Some(items) if !items.is_empty() => items,
            Some(_) => {
                self.issue(key(path, k), None, format!("`{k}` of {what} is empty"), Some("add at least one".into()));
                &[]
            }
            None => {
                if map.get(k).is_none_or(Value::is_null) {
                    self.issue(
                        path.clone(),
                        None,
                        format!("{what} has no `{k}`"),
                        Some(format!("add `{k}:` with at least one entry")),
                    );
                }
                &[]
            }
        }
    }

    fn text_list(&mut self, map: &Mapping, k: &str, path: &Path, what: &str) -> Vec<(String, Path)> {
        let Some(items) = self.list(map, k, path, what) else { return Vec::new() };
        let mut out = Vec::new();
        for (i, item) in items.iter().enumerate() {
            match scalar_text(item) {
                Some(text) => out.push((text, index(&key(path, k), i))),
                None => self.issue(
                    index(&key(path, k), i),
                    None,
                    format!("items of `{k}` in {what} must be text, not {}", kind(item)),
                    None,
                ),
            }
        }
        out
    }

    fn effort(&mut self, value: &Value, path: Path, what: &str, id: Option<&str>) -> Option<Effort> {
        match value {
            Value::String(text) => match Effort::parse(text) {
                Ok(effort) => Some(effort),
                Err(e) => {
                    self.issue(path, id, format!("{} in {what}", e.message), e.hint);
                    None
                }
            },
            Value::Number(_) => {
                let n = scalar_text(value).unwrap_or_default();
                self.issue(path, id, format!("effort `{n}` in {what} has no unit"), Some(format!("write {n}h")));
                None
            }
            other if big_integer(other).is_some() => {
                let n = scalar_text(other).unwrap_or_default();
                self.issue(
                    path,
                    id,
                    format!("effort `{n}` in {what} is too large"),
                    Some("an effort is at most 100000h".into()),
                );
                None
            }
            other => {
                self.issue(
                    path,
                    id,
                    format!("effort of {what} must be a duration such as 20h, not {}", kind(other)),
                    None,
                );
                None
            }
        }
    }

    fn plan(&mut self, value: &Value) -> Option<Plan> {
        let root: Path = Vec::new();
        if value.is_null() {
            self.issue(
                root,
                None,
                "the plan is empty",
                Some("a plan needs `format: 1`, `id`, `title` and `phases`".into()),
            );
            return None;
        }
        let map = self.mapping(value, &root, "the plan")?;
        self.known_keys(map, &root, "the plan", PLAN_KEYS);
        self.format(map);
        let id = self.id(map, &root, "the plan");
        let title = self.req_text(map, "title", &root, "the plan");
        let summary = self.opt_text(map, "summary", &root, "the plan");
        let lang = self.opt_text(map, "lang", &root, "the plan");
        let tracks = self.tracks(map);
        let mut plan = Plan {
            id: id.unwrap_or_default(),
            title: title.unwrap_or_default(),
            summary,
            lang,
            tracks,
            phases: Vec::new(),
            modules: Vec::new(),
            tasks: Vec::new(),
            habits: Vec::new(),
            review: None,
        };
        let raw_tasks = self.phases(map, &mut plan);
        self.resolve_tasks(&mut plan, raw_tasks);
        plan.habits = self.habits(map, &plan);
        plan.review = self.review(map);
        Some(plan)
    }

    fn format(&mut self, map: &Mapping) {
        match map.get("format") {
            None | Some(Value::Null) => {
                self.issue(Vec::new(), None, "the plan has no `format`", Some("add `format: 1` at the top".into()))
            }
            Some(Value::Number(n)) if n.as_u64() == Some(FORMAT) => {}
            Some(value @ Value::Number(_)) => self.unsupported_format(value),
            Some(value) if big_integer(value).is_some() => self.unsupported_format(value),
            Some(other) => self.issue(
                key(&Vec::new(), "format"),
                None,
                format!("`format` must be the number 1, not {}", kind(other)),
                Some("write `format: 1`".into()),
            ),
        }
    }

    fn unsupported_format(&mut self, value: &Value) {
        let n = scalar_text(value).unwrap_or_default();
        self.issue(
            key(&Vec::new(), "format"),
            None,
            format!("plan format {n} is not supported: this roadmap reads format {FORMAT}"),
            Some("write `format: 1`, or update roadmap".into()),
        );
    }

    fn tracks(&mut self, map: &Mapping) -> Vec<Track> {
        let root = Vec::new();
        let mut tracks: Vec<Track> = Vec::new();
        let mut seen = HashMap::new();
        for (i, item) in self.list(map, "tracks", &root, "the plan").into_iter().flatten().enumerate() {
            let path = index(&key(&root, "tracks"), i);
            let what = format!("track #{}", i + 1);
            let Some(m) = self.mapping(item, &path, &what) else { continue };
            self.known_keys(m, &path, &what, TRACK_KEYS);
            let Some(id) = self.id(m, &path, &what) else { continue };
            let title = self.opt_text(m, "title", &path, &what).unwrap_or_else(|| id.clone());
            self.unique(&mut seen, &id, &path, "track", None);
            tracks.push(Track { id, title });
        }
        tracks
    }

    /// Reports `id` if `seen` has it already; `within` names where ids must
    /// be unique, when not in the whole plan.
    fn unique(&mut self, seen: &mut HashMap<String, Path>, id: &str, path: &Path, kind: &str, within: Option<&str>) {
        if let Some(first) = seen.get(id) {
            let within = within.map(|w| format!(" in {w}")).unwrap_or_default();
            self.issues.push(Issue {
                path: key(path, "id"),
                id: Some(id.to_string()),
                message: format!("{kind} id `{id}` is used twice{within}"),
                hint: Some("give each one its own id".to_string()),
                first: Some(key(first, "id")),
            });
        } else {
            seen.insert(id.to_string(), path.clone());
        }
    }

    fn phases(&mut self, map: &Mapping, plan: &mut Plan) -> Vec<RawTask> {
        let root = Vec::new();
        let mut raw_tasks = Vec::new();
        let mut seen = HashMap::new();
        for (i, item) in self.required_list(map, "phases", &root, "the plan").iter().enumerate() {
            let path = index(&key(&root, "phases"), i);
            let fallback = format!("phase #{}", i + 1);
            let Some(m) = self.mapping(item, &path, &fallback) else { continue };
            let id = self.id(m, &path, &fallback);
            let what = id.as_ref().map_or(fallback, |id| format!("phase {id}"));
            self.known_keys(m, &path, &what, PHASE_KEYS);
            let title = self.req_text(m, "title", &path, &what);
            let summary = self.opt_text(m, "summary", &path, &what);
            let duration = self.duration(m, &path, &what);
            if let Some(id) = &id {
                self.unique(&mut seen, id, &path, "phase", None);
            }
            let phase_index = plan.phases.len();
            let phase_id = id.clone().unwrap_or_default();
            let first_module = plan.modules.len();
            let first_task = raw_tasks.len();
            self.modules(m, &path, &what, &phase_id, phase_index, plan, &mut raw_tasks);
            plan.phases.push(Phase {
                id: phase_id,
                title: title.unwrap_or_default(),
                duration,
                summary,
                modules: first_module..plan.modules.len(),
                tasks: first_task..raw_tasks.len(),
            });
        }
        raw_tasks
    }

    fn duration(&mut self, m: &Mapping, path: &Path, what: &str) -> Option<Window> {
        let value = m.get("duration")?;
        match value {
            Value::Null => None,
            Value::String(text) => match Window::parse(text) {
                Ok(window) => Some(window),
                Err(message) => {
                    self.issue(
                        key(path, "duration"),
                        None,
                        format!("duration of {what}: {message}"),
                        Some("write e.g. `2-3 months`, `6 weeks` or `1-N年`".into()),
                    );
                    None
                }
            },
            other => {
                self.issue(
                    key(path, "duration"),
                    None,
                    format!("duration of {what} must be text such as `2-3 months`, not {}", kind(other)),
                    None,
                );
                None
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn modules(
        &mut self,
        m: &Mapping,
        path: &Path,
        what: &str,
        phase_id: &str,
        phase_index: usize,
        plan: &mut Plan,
        raw_tasks: &mut Vec<RawTask>,
    ) {
        let mut seen = HashMap::new();
        for (i, item) in self.required_list(m, "modules", path, what).iter().enumerate() {
            let path = index(&key(path, "modules"), i);
            let fallback = format!("module #{} of {what}", i + 1);
            let Some(mm) = self.mapping(item, &path, &fallback) else { continue };
            let id = self.id(mm, &path, &fallback);
            let full = id.as_ref().map(|id| format!("{phase_id}.{id}"));
            let what = full.as_ref().map_or(fallback, |f| format!("module {f}"));
            self.known_keys(mm, &path, &what, MODULE_KEYS);
            let title = self.req_text(mm, "title", &path, &what);
            let summary = self.opt_text(mm, "summary", &path, &what);
            if let Some(id) = &id {
                self.unique(&mut seen, id, &path, "module", Some(&format!("phase {phase_id}")));
            }
            let module_index = plan.modules.len();
            let first_task = raw_tasks.len();
            let module_full = full.unwrap_or_default();
            self.tasks(mm, &path, &what, &module_full, phase_index, module_index, raw_tasks);
            plan.modules.push(Module {
                id: id.unwrap_or_default(),
                title: title.unwrap_or_default(),
                summary,
                phase: phase_index,
                tasks: first_task..raw_tasks.len(),
            });
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn tasks(
        &mut self,
        m: &Mapping,
        path: &Path,
        what: &str,
        module_full: &str,
        phase: usize,
        module: usize,
        raw_tasks: &mut Vec<RawTask>,
    ) {
        let mut seen = HashMap::new();
        for (i, item) in self.required_list(m, "tasks", path, what).iter().enumerate() {
            let path = index(&key(path, "tasks"), i);
            let fallback = format!("task #{} of {what}", i + 1);
            let Some(tm) = self.mapping(item, &path, &fallback) else { continue };
            let id = self.id(tm, &path, &fallback);
            let full_id = id.as_ref().map(|id| format!("{module_full}.{id}")).unwrap_or_default();
            let what = if full_id.is_empty() { fallback } else { format!("task {full_id}") };
            self.known_keys(tm, &path, &what, TASK_KEYS);
            let title = self.req_text(tm, "title", &path, &what);
            let effort = match tm.get("effort") {
                None | Some(Value::Null) => {
                    self.issue(
                        path.clone(),
                        Some(&full_id),
                        format!("{what} has no `effort`"),
                        Some("add e.g. `effort: 10h`".into()),
                    );
                    None
                }
                Some(value) => self.effort(value, key(&path, "effort"), &what, Some(&full_id)),
            };
            if let Some(id) = &id {
                self.unique(&mut seen, id, &path, "task", Some(&format!("module {module_full}")));
            }
            let review = self.task_review(tm, &path, &what, &full_id);
            let task = Task {
                full_id: full_id.into(),
                title: title.unwrap_or_default().into(),
                effort: effort.unwrap_or(Effort::ZERO),
                details: Lazy::new(Details {
                    notes: self.opt_text(tm, "notes", &path, &what),
                    resources: self.resources(tm, &path, &what),
                    deliverables: self.deliverables(tm, &path, &what),
                }),
                after: Vec::new(),
                track: self.opt_text(tm, "track", &path, &what).map(Str::from),
                tags: self.text_list(tm, "tags", &path, &what).into_iter().map(|(t, _)| t).collect(),
                phase,
                module,
                review,
            };
            let after = self.text_list(tm, "after", &path, &what);
            raw_tasks.push(RawTask { task, track_path: key(&path, "track"), path, after });
        }
    }

    fn resources(&mut self, m: &Mapping, path: &Path, what: &str) -> Vec<Resource> {
        let mut out = Vec::new();
        for (i, item) in self.list(m, "resources", path, what).into_iter().flatten().enumerate() {
            let path = index(&key(path, "resources"), i);
            if let Some(text) = scalar_text(item) {
                let url = (text.starts_with("http://") || text.starts_with("https://")).then(|| text.clone());
                out.push(Resource { title: text, url });
                continue;
            }
            let rwhat = format!("resource #{} of {what}", i + 1);
            let Some(rm) = self.mapping(item, &path, &rwhat) else { continue };
            self.known_keys(rm, &path, &rwhat, RESOURCE_KEYS);
            let url = self.req_text(rm, "url", &path, &rwhat);
            let title = self.opt_text(rm, "title", &path, &rwhat);
            if let Some(url) = url {
                out.push(Resource { title: title.unwrap_or_else(|| url.clone()), url: Some(url) });
            }
        }
        out
    }

    fn deliverables(&mut self, m: &Mapping, path: &Path, what: &str) -> Vec<Deliverable> {
        let mut out = Vec::new();
        let mut seen = HashMap::new();
        for (i, item) in self.list(m, "deliverables", path, what).into_iter().flatten().enumerate() {
            let path = index(&key(path, "deliverables"), i);
            if let Some(title) = scalar_text(item) {
                out.push(Deliverable { id: None, title });
                continue;
            }
            let dwhat = format!("deliverable #{} of {what}", i + 1);
            let Some(dm) = self.mapping(item, &path, &dwhat) else { continue };
            self.known_keys(dm, &path, &dwhat, DELIVERABLE_KEYS);
            let id = self.id(dm, &path, &dwhat);
            let title = self.req_text(dm, "title", &path, &dwhat);
            if let Some(id) = &id {
                self.unique(&mut seen, id, &path, "deliverable", Some(what));
            }
            if let (Some(id), Some(title)) = (id, title) {
                out.push(Deliverable { id: Some(id), title });
            }
        }
        out
    }

    fn resolve_tasks(&mut self, plan: &mut Plan, raw_tasks: Vec<RawTask>) {
        let by_full_id: HashMap<&str, usize> = raw_tasks
            .iter()
            .enumerate()
            .filter(|(_, r)| !r.task.id().is_empty())
            .map(|(i, r)| (&*r.task.full_id, i))
            .collect();
        let all_ids: Vec<&str> = by_full_id.keys().copied().collect();
        let mut resolved: Vec<Vec<(usize, Path)>> = Vec::with_capacity(raw_tasks.len());
        for raw in &raw_tasks {
            let module_prefix = raw.task.full_id.rsplit_once('.').map_or("", |(m, _)| m);
            let mut deps = Vec::new();
            for (reference, path) in &raw.after {
                let full =
                    if reference.contains('.') { reference.clone() } else { format!("{module_prefix}.{reference}") };
                match by_full_id.get(full.as_str()) {
                    Some(&dep) => {
                        let dep_phase = raw_tasks[dep].task.phase;
                        if dep_phase > raw.task.phase {
                            self.issue(
                                path.clone(),
                                Some(&raw.task.full_id),
                                format!("task {} depends on {full}, a task of a later phase", raw.task.full_id),
                                Some("phases run in order: move one of them, or drop the dependency".into()),
                            );
                        } else {
                            deps.push((dep, path.clone()));
                        }
                    }
                    None => {
                        // A suggestion scans every id: only for the problems that get listed.
                        let suggestions = if self.issues.len() < MAX_LISTED {
                            after_suggestions(reference, &full, &raw.task.full_id, &all_ids)
                        } else {
                            Vec::new()
                        };
                        let hint = match suggestions.as_slice() {
                            [] => None,
                            some => Some(some.iter().map(|s| format!("`{s}`")).collect::<Vec<_>>().join(" or ")),
                        };
                        let hint = match hint {
                            Some(best) => format!(
                                "did you mean {best}? Name a task of the same module by its id, any other by its full id"
                            ),
                            None => {
                                "name a task of the same module by its id, any other by its full id (phase.module.task)"
                                    .to_string()
                            }
                        };
                        self.issue(
                            path.clone(),
                            Some(&raw.task.full_id),
                            format!("`after: {reference}` in task {} names no task", raw.task.full_id),
                            Some(hint),
                        );
                    }
                }
            }
            resolved.push(deps);
        }
        for raw in &raw_tasks {
            if let Some(track) = &raw.task.track
                && !plan.tracks.iter().any(|t| &t.id == track)
            {
                let declared: Vec<&str> = plan.tracks.iter().map(|t| t.id.as_str()).collect();
                let hint = if declared.is_empty() {
                    "declare it under `tracks:` at the top of the plan".to_string()
                } else {
                    format!("declared tracks: {}", declared.join(", "))
                };
                self.issue(
                    raw.track_path.clone(),
                    Some(&raw.task.full_id),
                    format!("track `{track}` of task {} is not declared", raw.task.full_id),
                    Some(hint),
                );
            }
        }
        for cycle in cycles(&resolved) {
            let names: Vec<String> = cycle.iter().map(|&i| raw_tasks[i].task.full_id.to_string()).collect();
            let first = cycle[0];
            let path = resolved[first]
                .iter()
                .find(|(d, _)| cycle.contains(d))
                .map_or_else(|| raw_tasks[first].path.clone(), |(_, p)| p.clone());
            let (message, hint) = if names.len() == 1 {
                (format!("task {} depends on itself", names[0]), "remove it from its own `after`".to_string())
            } else {
                // Say which entries close the cycle, so the user knows what to cut.
                let edges: Vec<String> = cycle
                    .iter()
                    .flat_map(|&t| resolved[t].iter().filter(|(d, _)| cycle.contains(d)).map(move |(d, _)| (t, *d)))
                    .map(|(t, d)| format!("{} waits for {}", raw_tasks[t].task.full_id, raw_tasks[d].task.full_id))
                    .collect();
                (
                    format!("dependency cycle between {}", crate::core::phrase::and_list(&names)),
                    format!("{}: remove one of these `after` entries", edges.join(", ")),
                )
            };
            self.issue(path, Some(&names[0]), message, Some(hint));
        }
        plan.tasks = raw_tasks
            .into_iter()
            .zip(resolved)
            .map(|(raw, deps)| Task { after: deps.into_iter().map(|(d, _)| d).collect(), ..raw.task })
            .collect();
    }

    /// A task's `review:`: only `false` (never reviewed) or `true` (the default).
    fn task_review(&mut self, tm: &Mapping, path: &Path, what: &str, full_id: &str) -> bool {
        match tm.get("review") {
            None | Some(Value::Null) => true,
            Some(Value::Bool(b)) => *b,
            Some(other) => {
                let shown = scalar_text(other).map_or_else(|| kind(other).to_string(), |t| format!("`{t}`"));
                self.issue(
                    key(path, "review"),
                    Some(full_id),
                    format!("`review` of {what} must be true or false, not {shown}"),
                    Some("write `review: false` to never review this task".into()),
                );
                true
            }
        }
    }

    /// The plan-level `review:` block: `effort` (required) and `retention`.
    fn review(&mut self, map: &Mapping) -> Option<Review> {
        let root: Path = Vec::new();
        let value = map.get("review")?;
        let path = key(&root, "review");
        let what = "the plan's `review`";
        let m = self.mapping(value, &path, what)?;
        self.known_keys(m, &path, what, REVIEW_KEYS);
        let effort = match m.get("effort") {
            None | Some(Value::Null) => {
                self.issue(
                    path.clone(),
                    None,
                    format!("{what} has no `effort`"),
                    Some("add the time one review takes, e.g. `effort: 20m`".into()),
                );
                None
            }
            Some(v) => self.effort(v, key(&path, "effort"), what, None),
        };
        let effort = match effort {
            Some(e) if e == Effort::ZERO => {
                self.issue(
                    key(&path, "effort"),
                    None,
                    format!("`effort` of {what} must be more than 0m"),
                    Some("write e.g. `effort: 20m`".into()),
                );
                None
            }
            other => other,
        };
        let retention = match m.get("retention") {
            None | Some(Value::Null) => Some(Review::DEFAULT_RETENTION),
            Some(Value::Number(n))
                if n.as_f64().is_some_and(|r| (Review::MIN_RETENTION..=Review::MAX_RETENTION).contains(&r)) =>
            {
                n.as_f64()
            }
            Some(other) => {
                let shown = scalar_text(other).unwrap_or_else(|| kind(other).to_string());
                self.issue(
                    key(&path, "retention"),
                    None,
                    format!("`retention` of {what} must be a number from 0.7 to 0.97, not {shown}"),
                    Some("write e.g. `retention: 0.9` (the share of reviews you expect to recall)".into()),
                );
                None
            }
        };
        Some(Review { effort: effort?, retention: retention? })
    }

    fn habits(&mut self, map: &Mapping, plan: &Plan) -> Vec<Habit> {
        let root = Vec::new();
        let mut habits = Vec::new();
        let mut seen = HashMap::new();
        for (i, item) in self.list(map, "habits", &root, "the plan").into_iter().flatten().enumerate() {
            let path = index(&key(&root, "habits"), i);
            let fallback = format!("habit #{}", i + 1);
            let Some(hm) = self.mapping(item, &path, &fallback) else { continue };
            let id = self.id(hm, &path, &fallback);
            let what = id.as_ref().map_or(fallback, |id| format!("habit {id}"));
            self.known_keys(hm, &path, &what, HABIT_KEYS);
            let title = self.req_text(hm, "title", &path, &what);
            let every = match self.req_text(hm, "every", &path, &what) {
                Some(text) => match Cadence::parse(&text) {
                    Ok(c) => Some(c),
                    Err(message) => {
                        self.issue(key(&path, "every"), id.as_deref(), format!("`every` of {what}: {message}"), None);
                        None
                    }
                },
                None => None,
            };
            let target = match hm.get("target") {
                None | Some(Value::Null) => Some(1),
                Some(Value::Number(n)) if n.as_u64().is_some_and(|t| (1..=u64::from(MAX_TARGET)).contains(&t)) => {
                    n.as_u64().and_then(|t| u32::try_from(t).ok())
                }
                Some(other) => {
                    let shown = match other {
                        Value::Number(_) => scalar_text(other).unwrap_or_default(),
                        other => big_integer(other).map_or_else(|| kind(other).to_string(), str::to_string),
                    };
                    self.issue(
                        key(&path, "target"),
                        id.as_deref(),
                        format!("`target` of {what} must be a whole number from 1 to 1,000,000, not {shown}"),
                        Some("write e.g. `target: 2`".into()),
                    );
                    None
                }
            };
            let unit = self.opt_text(hm, "unit", &path, &what);
            let effort = match hm.get("effort") {
                None | Some(Value::Null) => Some(Effort::ZERO),
                Some(value) => self.effort(value, key(&path, "effort"), &what, id.as_deref()),
            };
            let mut phases = Vec::new();
            for (phase_id, ppath) in self.text_list(hm, "phases", &path, &what) {
                match plan.phases.iter().position(|p| p.id == phase_id) {
                    Some(p) => phases.push(p),
                    None => {
                        let ids: Vec<&str> = plan.phases.iter().map(|p| p.id.as_str()).collect();
                        self.issue(
                            ppath,
                            id.as_deref(),
                            format!("{what} names phase `{phase_id}`, which the plan does not have"),
                            Some(format!("phases: {}", ids.join(", "))),
                        );
                    }
                }
            }
            if let Some(id) = &id {
                self.unique(&mut seen, id, &path, "habit", None);
            }
            if let (Some(id), Some(title), Some(every), Some(target), Some(effort)) = (id, title, every, target, effort)
            {
                habits.push(Habit { id, title, every, target, unit, effort, phases });
            }
        }
        habits
    }
}

/// What an `after: reference` that names no task may have meant, for task
/// `own` (never suggested itself): the tasks of other modules whose id is
/// `reference` (a task of another module named by its id alone), else the
/// id closest to `full`, the reference as resolved in the task's module.
fn after_suggestions<'a>(reference: &str, full: &str, own: &str, all_ids: &[&'a str]) -> Vec<&'a str> {
    const SHOWN: usize = 3;
    let others = || all_ids.iter().copied().filter(|id| *id != own);
    if !reference.contains('.') {
        let mut same_id: Vec<&str> =
            others().filter(|id| id.rsplit_once('.').is_some_and(|(_, last)| last == reference)).collect();
        if !same_id.is_empty() {
            same_id.sort_unstable();
            same_id.truncate(SHOWN);
            return same_id;
        }
    }
    closest(full, others()).into_iter().collect()
}

/// The dependency cycles (strongly connected components with a cycle), each
/// listed in plan order, in the order of their first task.
pub(super) fn cycles<T>(deps: &[Vec<(usize, T)>]) -> Vec<Vec<usize>> {
    // Iterative Tarjan, so deep chains cannot overflow the stack.
    let n = deps.len();
    let mut index_of = vec![usize::MAX; n];
    let mut low = vec![0; n];
    let mut on_stack = vec![false; n];
    let mut stack = Vec::new();
    let mut next_index = 0;
    let mut found = Vec::new();
    for root in 0..n {
        if index_of[root] != usize::MAX {
            continue;
        }
        let mut work: Vec<(usize, usize)> = vec![(root, 0)];
        index_of[root] = next_index;
        low[root] = next_index;
        next_index += 1;
        stack.push(root);
        on_stack[root] = true;
        while let Some(&mut (v, ref mut edge)) = work.last_mut() {
            if let Some((w, _)) = deps[v].get(*edge) {
                let w = *w;
                *edge += 1;
                if index_of[w] == usize::MAX {
                    index_of[w] = next_index;
                    low[w] = next_index;
                    next_index += 1;
                    stack.push(w);
                    on_stack[w] = true;
                    work.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(index_of[w]);
                }
            } else {
                work.pop();
                if let Some(&(parent, _)) = work.last() {
                    low[parent] = low[parent].min(low[v]);
                }
                if low[v] == index_of[v] {
                    let mut component = Vec::new();
                    while let Some(w) = stack.pop() {
                        on_stack[w] = false;
                        component.push(w);
                        if w == v {
                            break;
                        }
                    }
                    let self_loop = component.len() == 1 && deps[v].iter().any(|(d, _)| *d == v);
                    if component.len() > 1 || self_loop {
                        component.sort_unstable();
                        found.push(component);
                    }
                }
            }
        }
    }
    found.sort();
    found
}
