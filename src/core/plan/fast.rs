//! The fast path for a valid plan: the text read event by event straight
//! into the `Plan`, without a YAML tree, so a big plan costs about the
//! plan itself in memory (a 100,000-task chain: ~60 MB instead of ~470).
//!
//! It is only a shortcut: anything it is not sure of (a problem of any
//! kind, an alias, an anchor, a tag, a number where text is expected, a
//! scalar that might be a number or a boolean) makes it give up, and the
//! full loader reads the text again, reporting exactly what it always did.
//! So it must never accept what the full loader refuses, and must build the
//! same plan: `tests::agrees_with_the_full_loader` holds it to that.

use super::load::{
    DELIVERABLE_KEYS, FORMAT, HABIT_KEYS, MODULE_KEYS, PHASE_KEYS, PLAN_KEYS, RESOURCE_KEYS, TASK_KEYS, TRACK_KEYS,
    cycles, is_slug,
};
use super::model::{Deliverable, Details, Habit, Lazy, MAX_TARGET, Module, Phase, Plan, Resource, Str, Task, Track};
use crate::core::cadence::Cadence;
use crate::core::effort::Effort;
use crate::core::window::Window;
use libyaml_rs as sys;
use std::collections::{HashMap, HashSet};
use std::marker::PhantomData;
use std::mem::MaybeUninit;

/// The plan, if the text is a valid plan the fast path can read; `None`
/// to leave it to the full loader.
pub(super) fn load(text: &str) -> Option<Plan> {
    let mut r = Reader { events: Events::new(text)?, peeked: None };
    if !matches!(r.next()?, Ev::StreamStart) || !matches!(r.next()?, Ev::DocumentStart) {
        return None;
    }
    let plan = r.plan()?;
    // One document, and nothing after it.
    if !matches!(r.next()?, Ev::DocumentEnd) || !matches!(r.next()?, Ev::StreamEnd) {
        return None;
    }
    Some(plan)
}

/// A parsing event, as far as the fast path goes.
enum Ev {
    StreamStart,
    StreamEnd,
    DocumentStart,
    DocumentEnd,
    /// A scalar's text, and whether it was written plain (unquoted).
    Scalar(String, bool),
    SequenceStart,
    SequenceEnd,
    MappingStart,
    MappingEnd,
}

/// The YAML library's parser over one text. Every event is copied out and
/// freed at once: nothing is kept but the current one.
struct Events<'t> {
    parser: Box<MaybeUninit<sys::yaml_parser_t>>,
    _text: PhantomData<&'t str>,
}

impl<'t> Events<'t> {
    fn new(text: &'t str) -> Option<Events<'t>> {
        let size = u64::try_from(text.len()).ok()?;
        let mut parser = Box::new_uninit();
        let ptr = parser.as_mut_ptr();
        // SAFETY: `ptr` points to memory for one parser, which `initialize`
        // fills in; on failure it is not used (nor deleted) again.
        if unsafe { sys::yaml_parser_initialize(ptr) }.fail {
            return None;
        }
        // SAFETY: the parser is initialized; the input outlives it (`'t`)
        // and is not moved or changed while it is read.
        unsafe {
            sys::yaml_parser_set_encoding(ptr, sys::YAML_UTF8_ENCODING);
            sys::yaml_parser_set_input_string(ptr, text.as_ptr(), size);
        }
        Some(Events { parser, _text: PhantomData })
    }

    /// The next event; `None` on a syntax error, an alias, an anchor or a
    /// tag (left to the full loader).
    fn next(&mut self) -> Option<Ev> {
        let mut event = MaybeUninit::<sys::yaml_event_t>::uninit();
        let parser = self.parser.as_mut_ptr();
        // SAFETY: the parser is initialized (see `new`); on success the
        // event is filled in, read, then deleted exactly once. After a
        // failure nothing more is parsed: every caller gives up.
        unsafe {
            if sys::yaml_parser_parse(parser, event.as_mut_ptr()).fail {
                return None;
            }
            let ev = convert(&*event.as_ptr());
            sys::yaml_event_delete(event.as_mut_ptr());
            ev
        }
    }
}

impl Drop for Events<'_> {
    fn drop(&mut self) {
        // SAFETY: the parser was initialized in `new` (an `Events` exists
        // only then) and is deleted once, here.
        unsafe { sys::yaml_parser_delete(self.parser.as_mut_ptr()) }
    }
}

/// # Safety
/// `event` must be an event the parser just produced, not yet deleted.
unsafe fn convert(event: &sys::yaml_event_t) -> Option<Ev> {
    // SAFETY (all reads below): the union field read is the one `type_`
    // says is set; pointers are the parser's own, valid until deletion.
    unsafe {
        match event.type_ {
            sys::YAML_STREAM_START_EVENT => Some(Ev::StreamStart),
            sys::YAML_STREAM_END_EVENT => Some(Ev::StreamEnd),
            sys::YAML_DOCUMENT_START_EVENT => Some(Ev::DocumentStart),
            sys::YAML_DOCUMENT_END_EVENT => Some(Ev::DocumentEnd),
            sys::YAML_SCALAR_EVENT => {
                let scalar = event.data.scalar;
                if !scalar.anchor.is_null() || !scalar.tag.is_null() || scalar.value.is_null() {
                    return None;
                }
                let length = usize::try_from(scalar.length).ok()?;
                let bytes = std::slice::from_raw_parts(scalar.value, length);
                let text = std::str::from_utf8(bytes).ok()?.to_string();
                Some(Ev::Scalar(text, scalar.style == sys::YAML_PLAIN_SCALAR_STYLE))
            }
            sys::YAML_SEQUENCE_START_EVENT => {
                let start = event.data.sequence_start;
                (start.anchor.is_null() && start.tag.is_null()).then_some(Ev::SequenceStart)
            }
            sys::YAML_SEQUENCE_END_EVENT => Some(Ev::SequenceEnd),
            sys::YAML_MAPPING_START_EVENT => {
                let start = event.data.mapping_start;
                (start.anchor.is_null() && start.tag.is_null()).then_some(Ev::MappingStart)
            }
            sys::YAML_MAPPING_END_EVENT => Some(Ev::MappingEnd),
            // Aliases, and anything else.
            _ => None,
        }
    }
}

/// What a scalar is, where the full loader would agree for sure.
enum Scalar {
    Null,
    Text(String),
    /// A whole number written plainly in decimal.
    Count(u64),
}

/// Reads a scalar as the YAML library would, or `None` when unsure: a plain
/// scalar is null for ``, `~` and `null`, and text only when it cannot be
/// a boolean or a number (which has only number characters and starts,
/// after a sign, with a digit or a dot, or is inf or nan).
fn scalar(text: String, plain: bool) -> Option<Scalar> {
    if !plain {
        return Some(Scalar::Text(text));
    }
    if matches!(text.as_str(), "" | "~" | "null" | "Null" | "NULL") {
        return Some(Scalar::Null);
    }
    if matches!(text.as_str(), "true" | "True" | "TRUE" | "false" | "False" | "FALSE") {
        return None;
    }
    let unsigned = text.strip_prefix(['+', '-']).unwrap_or(&text);
    // Every character of any number form: digits, hex digits, the `0x`,
    // `0o`, `0b` prefixes, signs, a point, an exponent, inf and nan.
    let number_chars = text.chars().all(|c| c.is_ascii_hexdigit() || "xXoO+-._iInNtTyY".contains(c));
    let numeric = number_chars
        && (unsigned.starts_with(|c: char| c.is_ascii_digit() || c == '.')
            || ["inf", "infinity", "nan"].iter().any(|w| unsigned.eq_ignore_ascii_case(w)));
    if !numeric {
        return Some(Scalar::Text(text));
    }
    let canonical = text.bytes().all(|b| b.is_ascii_digit()) && (text == "0" || !text.starts_with('0'));
    if canonical { text.parse().ok().map(Scalar::Count) } else { None }
}

struct Reader<'t> {
    events: Events<'t>,
    peeked: Option<Ev>,
}

/// A task as read, before its `after` entries are resolved.
struct RawTask {
    task: Task,
    after: Vec<String>,
}

impl Reader<'_> {
    fn next(&mut self) -> Option<Ev> {
        match self.peeked.take() {
            Some(ev) => Some(ev),
            None => self.events.next(),
        }
    }

    /// Reads a mapping's entries, each key one of `allowed` and given once,
    /// passing the key's index to `entry`, which reads the value.
    fn mapping(&mut self, allowed: &[&str], mut entry: impl FnMut(&mut Self, usize) -> Option<()>) -> Option<()> {
        if !matches!(self.next()?, Ev::MappingStart) {
            return None;
        }
        let mut seen = 0u32;
        loop {
            match self.next()? {
                Ev::MappingEnd => return Some(()),
                Ev::Scalar(key, plain) => {
                    let Scalar::Text(key) = scalar(key, plain)? else { return None };
                    let at = allowed.iter().position(|k| *k == key)?;
                    if seen & (1 << at) != 0 {
                        return None;
                    }
                    seen |= 1 << at;
                    entry(self, at)?;
                }
                _ => return None,
            }
        }
    }

    /// Reads a list (null is no list), calling `item` for each entry;
    /// the count of entries.
    fn list(&mut self, mut item: impl FnMut(&mut Self) -> Option<()>) -> Option<usize> {
        match self.next()? {
            Ev::Scalar(text, plain) => match scalar(text, plain)? {
                Scalar::Null => Some(0),
                _ => None,
            },
            Ev::SequenceStart => {
                let mut count = 0;
                loop {
                    match self.next()? {
                        Ev::SequenceEnd => return Some(count),
                        ev => {
                            self.peeked = Some(ev);
                            item(self)?;
                            count += 1;
                        }
                    }
                }
            }
            _ => None,
        }
    }

    /// A list that must have entries.
    fn required_list(&mut self, item: impl FnMut(&mut Self) -> Option<()>) -> Option<()> {
        (self.list(item)? > 0).then_some(())
    }

    fn scalar(&mut self) -> Option<Scalar> {
        match self.next()? {
            Ev::Scalar(text, plain) => scalar(text, plain),
            _ => None,
        }
    }

    /// Optional text: null is none; only text is taken.
    fn opt_text(&mut self) -> Option<Option<String>> {
        match self.scalar()? {
            Scalar::Null => Some(None),
            Scalar::Text(text) => Some(Some(text)),
            Scalar::Count(_) => None,
        }
    }

    fn text(&mut self) -> Option<String> {
        self.opt_text()?
    }

    fn slug(&mut self) -> Option<String> {
        self.text().filter(|id| is_slug(id))
    }

    fn text_list(&mut self) -> Option<Vec<String>> {
        let mut out = Vec::new();
        self.list(|r| {
            out.push(r.text()?);
            Some(())
        })?;
        Some(out)
    }

    fn plan(&mut self) -> Option<Plan> {
        let (mut format, mut id, mut title, mut summary, mut lang) = (false, None, None, None, None);
        let mut tracks = Vec::new();
        let mut phases = Vec::new();
        let mut modules = Vec::new();
        let mut raw = Vec::new();
        let mut habits = Vec::new();
        self.mapping(PLAN_KEYS, |r, key| {
            match PLAN_KEYS[key] {
                "format" => format = matches!(r.scalar()?, Scalar::Count(n) if n == FORMAT),
                "id" => id = Some(r.slug()?),
                "title" => title = Some(r.text()?),
                "summary" => summary = r.opt_text()?,
                "lang" => lang = r.opt_text()?,
                "tracks" => tracks = r.tracks()?,
                "phases" => r.required_list(|r| r.phase(&mut phases, &mut modules, &mut raw))?,
                "habits" => {
                    // Read once the phases are known: they may come first.
                    let mut list = Vec::new();
                    r.list(|r| {
                        list.push(r.habit()?);
                        Some(())
                    })?;
                    habits = list;
                }
                _ => return None,
            }
            Some(())
        })?;
        if !format || phases.is_empty() {
            return None;
        }
        let mut seen = HashSet::new();
        if !phases.iter().all(|p: &Phase| seen.insert(p.id.as_str())) {
            return None;
        }
        let tasks = resolve(&phases, &tracks, raw)?;
        let habits = habits
            .into_iter()
            .map(|(habit, names): (Habit, Vec<String>)| {
                let phases = names.iter().map(|n| phases.iter().position(|p| &p.id == n)).collect::<Option<_>>()?;
                Some(Habit { phases, ..habit })
            })
            .collect::<Option<Vec<_>>>()?;
        let mut seen = HashSet::new();
        if !habits.iter().all(|h| seen.insert(h.id.as_str())) {
            return None;
        }
        Some(Plan { id: id?, title: title?, summary, lang, tracks, phases, modules, tasks, habits, review: None })
    }

    fn tracks(&mut self) -> Option<Vec<Track>> {
        let mut tracks: Vec<Track> = Vec::new();
        let mut seen = HashSet::new();
        self.list(|r| {
            let (mut id, mut title) = (None, None);
            r.mapping(TRACK_KEYS, |r, key| {
                match TRACK_KEYS[key] {
                    "id" => id = Some(r.slug()?),
                    _ => title = r.opt_text()?,
                }
                Some(())
            })?;
            let id = id?;
            if !seen.insert(id.clone()) {
                return None;
            }
            tracks.push(Track { title: title.unwrap_or_else(|| id.clone()), id });
            Some(())
        })?;
        Some(tracks)
    }

    fn phase(&mut self, phases: &mut Vec<Phase>, modules: &mut Vec<Module>, raw: &mut Vec<RawTask>) -> Option<()> {
        let (mut id, mut title, mut duration, mut summary) = (None, None, None, None);
        let phase = phases.len();
        let (first_module, first_task) = (modules.len(), raw.len());
        // The module list may come before the id: full ids are set after.
        self.mapping(PHASE_KEYS, |r, key| {
            match PHASE_KEYS[key] {
                "id" => id = Some(r.slug()?),
                "title" => title = Some(r.text()?),
                "duration" => {
                    duration = r.opt_text()?.map(|t| Window::parse(&t).ok()).map_or(Some(None), |w| w.map(Some))?
                }
                "summary" => summary = r.opt_text()?,
                _ => r.required_list(|r| r.module(phase, modules, raw))?,
            }
            Some(())
        })?;
        let id: String = id?;
        if modules.len() == first_module {
            return None;
        }
        let mut seen = HashSet::new();
        for module in &modules[first_module..] {
            if !seen.insert(module.id.as_str()) {
                return None;
            }
            for t in module.tasks.clone() {
                let task = &mut raw[t].task;
                // Until here `full_id` is the task's own id.
                task.full_id = format!("{id}.{}.{}", module.id, task.full_id).into();
            }
        }
        phases.push(Phase {
            id,
            title: title?,
            duration,
            summary,
            modules: first_module..modules.len(),
            tasks: first_task..raw.len(),
        });
        Some(())
    }

    fn module(&mut self, phase: usize, modules: &mut Vec<Module>, raw: &mut Vec<RawTask>) -> Option<()> {
        let (mut id, mut title, mut summary) = (None, None, None);
        let module = modules.len();
        let first_task = raw.len();
        self.mapping(MODULE_KEYS, |r, key| {
            match MODULE_KEYS[key] {
                "id" => id = Some(r.slug()?),
                "title" => title = Some(r.text()?),
                "summary" => summary = r.opt_text()?,
                _ => r.required_list(|r| {
                    raw.push(r.task(phase, module)?);
                    Some(())
                })?,
            }
            Some(())
        })?;
        if raw.len() == first_task {
            return None;
        }
        let mut seen = HashSet::new();
        if !raw[first_task..].iter().all(|t| seen.insert(&*t.task.full_id)) {
            return None;
        }
        modules.push(Module { id: id?, title: title?, summary, phase, tasks: first_task..raw.len() });
        Some(())
    }

    fn task(&mut self, phase: usize, module: usize) -> Option<RawTask> {
        let (mut id, mut title, mut effort, mut notes, mut track) = (None, None, None, None, None);
        let (mut resources, mut deliverables, mut after, mut tags) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        self.mapping(TASK_KEYS, |r, key| {
            match TASK_KEYS[key] {
                "id" => id = Some(r.slug()?),
                "title" => title = Some(r.text()?),
                "effort" => effort = Some(Effort::parse(&r.text()?).ok()?),
                "notes" => notes = r.opt_text()?,
                "resources" => resources = r.resources()?,
                "deliverables" => deliverables = r.deliverables()?,
                "after" => after = r.text_list()?,
                "track" => track = r.opt_text()?,
                "tags" => tags = r.text_list()?,
                // `review:` is validated by the full loader only.
                _ => return None,
            }
            Some(())
        })?;
        let task = Task {
            // The task's own id until its phase and module are known.
            full_id: id?.into(),
            title: title?.into(),
            effort: effort?,
            details: Lazy::new(Details { notes, resources, deliverables }),
            after: Vec::new(),
            track: track.map(Str::from),
            tags,
            phase,
            module,
            review: true,
        };
        Some(RawTask { task, after })
    }

    fn resources(&mut self) -> Option<Vec<Resource>> {
        let mut out = Vec::new();
        self.list(|r| {
            if let Some(Ev::Scalar(..)) = &r.peeked {
                let text = r.text()?;
                let url = (text.starts_with("http://") || text.starts_with("https://")).then(|| text.clone());
                out.push(Resource { title: text, url });
                return Some(());
            }
            let (mut title, mut url) = (None, None);
            r.mapping(RESOURCE_KEYS, |r, key| {
                match RESOURCE_KEYS[key] {
                    "title" => title = r.opt_text()?,
                    _ => url = Some(r.text()?),
                }
                Some(())
            })?;
            let url: String = url?;
            out.push(Resource { title: title.unwrap_or_else(|| url.clone()), url: Some(url) });
            Some(())
        })?;
        Some(out)
    }

    fn deliverables(&mut self) -> Option<Vec<Deliverable>> {
        let mut out: Vec<Deliverable> = Vec::new();
        let mut seen = HashSet::new();
        self.list(|r| {
            if let Some(Ev::Scalar(..)) = &r.peeked {
                out.push(Deliverable { id: None, title: r.text()? });
                return Some(());
            }
            let (mut id, mut title) = (None, None);
            r.mapping(DELIVERABLE_KEYS, |r, key| {
                match DELIVERABLE_KEYS[key] {
                    "id" => id = Some(r.slug()?),
                    _ => title = Some(r.text()?),
                }
                Some(())
            })?;
            let id: String = id?;
            if !seen.insert(id.clone()) {
                return None;
            }
            out.push(Deliverable { id: Some(id), title: title? });
            Some(())
        })?;
        Some(out)
    }

    /// A habit, with the ids of the phases it names.
    fn habit(&mut self) -> Option<(Habit, Vec<String>)> {
        let (mut id, mut title, mut every, mut unit) = (None, None, None, None);
        let (mut target, mut effort, mut phases) = (1, Effort::ZERO, Vec::new());
        self.mapping(HABIT_KEYS, |r, key| {
            match HABIT_KEYS[key] {
                "id" => id = Some(r.slug()?),
                "title" => title = Some(r.text()?),
                "every" => every = Some(Cadence::parse(&r.text()?).ok()?),
                "target" => {
                    target = match r.scalar()? {
                        Scalar::Null => 1,
                        Scalar::Count(n) if (1..=u64::from(MAX_TARGET)).contains(&n) => u32::try_from(n).ok()?,
                        _ => return None,
                    }
                }
                "unit" => unit = r.opt_text()?,
                "effort" => {
                    effort = match r.opt_text()? {
                        None => Effort::ZERO,
                        Some(text) => Effort::parse(&text).ok()?,
                    }
                }
                _ => phases = r.text_list()?,
            }
            Some(())
        })?;
        let habit = Habit { id: id?, title: title?, every: every?, target, unit, effort, phases: Vec::new() };
        Some((habit, phases))
    }
}

/// The tasks with their `after` entries resolved, as the full loader
/// resolves them; `None` on any problem (a name of no task, a later
/// phase, a cycle, an undeclared track).
fn resolve(phases: &[Phase], tracks: &[Track], raw: Vec<RawTask>) -> Option<Vec<Task>> {
    let by_full_id: HashMap<&str, usize> = raw.iter().enumerate().map(|(i, r)| (&*r.task.full_id, i)).collect();
    let mut deps: Vec<Vec<(usize, ())>> = Vec::with_capacity(raw.len());
    for r in &raw {
        let module_prefix = r.task.full_id.rsplit_once('.').map_or("", |(m, _)| m);
        let mut mine = Vec::with_capacity(r.after.len());
        for reference in &r.after {
            let dep = if reference.contains('.') {
                by_full_id.get(reference.as_str())
            } else {
                by_full_id.get(format!("{module_prefix}.{reference}").as_str())
            };
            let dep = *dep?;
            if raw[dep].task.phase > r.task.phase {
                return None;
            }
            mine.push((dep, ()));
        }
        if let Some(track) = &r.task.track
            && !tracks.iter().any(|t| &t.id == track)
        {
            return None;
        }
        deps.push(mine);
    }
    if phases.iter().any(|p| p.tasks.is_empty()) || !cycles(&deps).is_empty() {
        return None;
    }
    drop(by_full_id);
    Some(
        raw.into_iter()
            .zip(deps)
            .map(|(r, deps)| Task { after: deps.into_iter().map(|(d, ())| d).collect(), ..r.task })
            .collect(),
    )
}

#[cfg(test)]
#[allow(clippy::disallowed_methods)] // Tests read their fixtures.
mod tests {
    use super::*;

    fn slow(text: &str) -> Option<String> {
        super::super::load::load_text("t", text).ok().map(|p| json(&p))
    }

    fn json(plan: &Plan) -> String {
        serde_json::to_string(plan).unwrap_or_default()
    }

    /// Wherever the fast path answers, the full loader gives the same plan.
    fn check(text: &str) -> bool {
        match load(text) {
            Some(plan) => {
                assert_eq!(Some(json(&plan)), slow(text), "the fast path differs on\n{text}");
                true
            }
            None => false,
        }
    }

    #[test]
    fn agrees_with_the_full_loader() {
        for b in crate::core::plan::builtin::BUILTINS {
            // The fast path leaves `review:` to the full loader, so the
            // built-in plans (which have it) take the full loader; without
            // their review lines, they take the fast path.
            assert!(!check(b.text), "{} has review lines: the fast path gives up", b.name);
            let plain = b
                .text
                .replace("review:\n  effort: 20m\n  retention: 0.9\n", "")
                .replace("            review: false\n", "");
            assert!(check(&plain), "{} without its review lines takes the fast path", b.name);
        }
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/invalid");
        for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let text = std::fs::read_to_string(entry.path()).unwrap_or_default();
            assert!(load(&text).is_none(), "{} is invalid: the fast path must give up", entry.path().display());
        }
    }

    #[test]
    fn scalars_are_read_as_the_library_reads_them() {
        let text = |s: &str| matches!(scalar(s.to_string(), true), Some(Scalar::Text(_)));
        for s in ["3h", "2h30m", "day", "mon,thu", "2-3 months", "p1.m1.a", "abc", "Infinite", "n", "y", "yes", "no"] {
            assert!(text(s), "{s} is text");
            let value: serde_yaml::Value = serde_yaml::from_str(s).unwrap_or(serde_yaml::Value::Null);
            assert!(value.is_string(), "{s} is text to the library too");
        }
        for s in ["1", "0", "+1", "-1", "1.5", ".5", "1e3", "0x1f", "0o7", "007", "inf", ".inf", "-.inf", "NaN", "true"]
        {
            assert!(!text(s), "{s} is not surely text");
        }
        assert!(matches!(scalar("12".into(), true), Some(Scalar::Count(12))));
        assert!(matches!(scalar("~".into(), true), Some(Scalar::Null)));
        assert!(matches!(scalar("1".into(), false), Some(Scalar::Text(_))));
        assert!(scalar("99999999999999999999".into(), true).is_none());
    }

    const BASE: &str = "format: 1
id: demo
title: Demo
tracks:
  - {id: x, title: X}
  - id: y
phases:
  - id: p1
    title: Basics
    duration: 2-3 months
    modules:
      - id: m1
        title: First
        summary: ~
        tasks:
          - id: a
            title: A
            effort: 2h
            notes: |
              Some notes
            resources: [https://example.com, 'A book', {url: 'http://x.org', title: X}]
            deliverables: [one, {id: two, title: Two}]
            tags: [t1, t2]
            track: x
          - {id: b, title: B, effort: 90m, after: [a]}
  - id: p2
    title: Later
    modules:
      - id: m1
        title: Other
        tasks:
          - {id: c, title: C, effort: 1h, after: [p1.m1.b, p1.m1.a]}
habits:
  - {id: h, title: H, every: day, effort: 30m, target: 3, unit: pages, phases: [p2]}
  - {id: k, title: K, every: 'mon,thu'}
";

    #[test]
    fn every_field_is_read_as_the_full_loader_reads_it() {
        assert!(check(BASE));
        // Each change below is either read the same way by both or refused
        // by the full loader (and left to it).
        let changes: &[(&str, &str)] = &[
            ("format: 1", "format: 2"),
            ("format: 1", "format: '1'"),
            ("id: demo", "id: Demo"),
            ("title: Demo", "title: 2024"),
            ("title: Demo", "title: ~"),
            ("  - id: y", "  - id: x"),
            ("track: x", "track: z"),
            ("after: [a]", "after: [b]"),
            ("after: [a]", "after: [c]"),
            ("after: [a]", "after: [zz]"),
            ("after: [p1.m1.b, p1.m1.a]", "after: [b]"),
            ("effort: 2h", "effort: 2"),
            ("effort: 2h", "effort: 0h"),
            ("effort: 90m", "effort: ~"),
            ("target: 3", "target: 1000001"),
            ("target: 3", "target: 0"),
            ("target: 3", "target: ~"),
            ("phases: [p2]", "phases: [p3]"),
            ("every: day", "every: often"),
            ("duration: 2-3 months", "duration: soon"),
            ("duration: 2-3 months", "duration: ~"),
            (
                "deliverables: [one, {id: two, title: Two}]",
                "deliverables: [one, {id: one, title: Two}, {id: one, title: X}]",
            ),
            ("tags: [t1, t2]", "tags: t1"),
            ("tags: [t1, t2]", "tags: [1, 2]"),
            ("tags: [t1, t2]", "tags: ~"),
            ("  - {id: k, title: K, every: 'mon,thu'}", "  - {id: h, title: K, every: 'mon,thu'}"),
            ("        summary: ~", "        summary: ~\n        summary: again"),
            ("        summary: ~", "        extra: 1"),
            ("        summary: ~", "        tasks: []"),
            ("  - id: p2", "  - id: p1"),
            ("title: Demo", "title: &a Demo"),
            ("title: Demo", "title: !!str Demo"),
            ("id: demo", "id: demo\n---\nid: again"),
            ("    title: Later", "    title: Later\n    modules: []"),
        ];
        let mut fast = 0;
        for (from, to) in changes {
            assert!(BASE.contains(from), "{from}");
            let text = BASE.replacen(from, to, 1);
            let taken = check(&text);
            fast += usize::from(taken);
            if slow(&text).is_none() {
                assert!(!taken, "refused by the full loader, taken by the fast path:\n{text}");
            }
        }
        assert!(fast >= 3, "some changes stay valid and take the fast path ({fast})");
    }

    /// Every line of the example dropped, doubled, or with its value made a
    /// number, a list or null in turn: the fast path never takes what the
    /// full loader refuses, and reads the same plan where it answers.
    #[test]
    fn never_takes_what_the_full_loader_refuses() {
        let lines: Vec<&str> = BASE.lines().collect();
        let mut variants = Vec::new();
        for i in 0..lines.len() {
            let with = |line: String| {
                let mut v: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
                v[i] = line;
                v.join("\n") + "\n"
            };
            variants.push(with(String::new()));
            variants.push(with(format!("{}\n{}", lines[i], lines[i])));
            if let Some((key, _)) = lines[i].split_once(": ") {
                for value in ["7", "[x]", "~", "{a: b}", "''", "true", "p1"] {
                    variants.push(with(format!("{key}: {value}")));
                }
            }
        }
        for text in &variants {
            let taken = check(text);
            if taken {
                assert!(slow(text).is_some(), "taken by the fast path, refused by the full loader:\n{text}");
            }
        }
    }
}
