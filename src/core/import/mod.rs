//! `roadmap import`: a Markdown learning guide becomes a plan (pure: text
//! in, YAML text and a summary out). The rules are in docs/import.md:
//!
//! - outline.rs: the guide's sections (headings and bold numbered
//!   paragraphs) with their bodies, read with `pulldown-cmark`;
//! - heading.rs: a title's number and calendar window;
//! - routine.rs: routines that become habits;
//! - this file: levels → phases, modules, tasks; tracks; ids; estimates;
//! - into.rs: matching an existing plan so that its ids stay;
//! - yaml.rs: the plan as YAML text, estimates marked `# estimated`.

pub(crate) mod draft;
pub(crate) mod heading;
pub(crate) mod into;
pub(crate) mod outline;
pub(crate) mod routine;
pub(crate) mod yaml;

use crate::core::effort::Effort;
use crate::core::plan::Plan;
use crate::core::window::{Window, WindowUnit};
use draft::{Deliverable, Draft, Habit, Module, Phase, Resource, Task, Track};
use outline::{BOLD, Body, Outline, Section};
use std::collections::{BTreeSet, HashSet};

/// What the command line asks for.
#[derive(Debug, Clone, Default)]
pub(crate) struct Options {
    /// The guide's file name without its extension: the fallback title and id.
    pub name: String,
    pub id: Option<String>,
    pub lang: Option<String>,
    /// Section ranks for phases, modules, tasks (1–6 headings, 7 bold numbers).
    pub levels: Option<Vec<u8>>,
    /// Every estimated task's effort, instead of fitting the windows.
    pub effort: Option<Effort>,
}

/// Why a guide cannot be imported.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(crate) enum ImportError {
    #[error("the guide has no headings and no bold numbered paragraphs (`**1. …**`), so no tasks can be found in it")]
    NoSections,
    #[error("--levels {levels}: the guide has no section at {missing}")]
    MissingLevel { levels: String, missing: String },
}

/// A plan made from a guide, and what the summary says about it.
#[derive(Debug, Clone)]
pub(crate) struct Imported {
    pub yaml: String,
    pub levels: Vec<u8>,
    pub estimated: usize,
    /// `- [x]` items, as `task full id: text`.
    pub ticked: Vec<String>,
    pub links: usize,
    pub guesses: Vec<String>,
    pub changes: Option<into::Changes>,
}

/// The default weekly hours (`WeekHours::DEFAULT`) in minutes.
const WEEK_MINUTES: f64 = 18.0 * 60.0;
/// The most habits an import makes: a guide with more routines than this
/// is not describing routines.
const MAX_HABITS: usize = 50;
/// A task's effort when nothing says otherwise.
const DEFAULT_EFFORT: Effort = Effort::from_hours(8);

pub(crate) fn import(text: &str, options: &Options, existing: Option<&Plan>) -> Result<Imported, ImportError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text).replace("\r\n", "\n");
    let outline = outline::read(&text);
    if outline.sections.is_empty() {
        return Err(ImportError::NoSections);
    }
    let levels = match &options.levels {
        Some(levels) => {
            for &rank in levels {
                if !outline.sections.iter().any(|s| s.rank == rank) {
                    return Err(ImportError::MissingLevel { levels: levels_text(levels), missing: rank_name(rank) });
                }
            }
            levels.clone()
        }
        None => choose_levels(&outline),
    };
    let mut guesses = Vec::new();
    let mut draft = structure(outline, &levels, options, &mut guesses);
    let is_cjk = |c: char| ('\u{4e00}'..='\u{9fff}').contains(&c);
    draft.lang = options.lang.clone().or_else(|| Some(if text.chars().any(is_cjk) { "zh" } else { "en" }.to_string()));
    let changes = existing.map(|plan| into::apply(&mut draft, plan, options, &mut guesses));
    let estimated = estimate(&mut draft, options, &mut guesses);
    let ticked = draft
        .tasks()
        .flat_map(|(p, m, t)| {
            t.deliverables.iter().filter(|d| d.ticked).map(move |d| format!("{}: {}", Draft::full_id(p, m, t), d.title))
        })
        .collect();
    let links = draft.tasks().map(|(_, _, t)| t.resources.len()).sum();
    let yaml = yaml::write(&draft);
    Ok(Imported { yaml, levels, estimated, ticked, links, guesses, changes })
}

/// `h3` for a heading rank, `b` for bold numbered paragraphs.
pub(crate) fn rank_name(rank: u8) -> String {
    if rank == BOLD { "b".into() } else { format!("h{rank}") }
}

pub(crate) fn levels_text(levels: &[u8]) -> String {
    levels.iter().map(|&r| rank_name(r)).collect::<Vec<_>>().join(",")
}

/// `3,4,b` or `h3,h4,b`: two or three ranks, shallow to deep.
pub(crate) fn parse_levels(text: &str) -> Result<Vec<u8>, String> {
    let mut levels = Vec::new();
    for part in text.split(',') {
        let part = part.trim().to_lowercase();
        let rank = match part.as_str() {
            "b" | "bold" => BOLD,
            _ => part.trim_start_matches('h').parse::<u8>().ok().filter(|r| (1..=6).contains(r)).ok_or_else(|| {
                format!("`{part}` is not a level: write heading levels 1-6 (or h1-h6) and b for bold numbered paragraphs, e.g. 3,4,b")
            })?,
        };
        levels.push(rank);
    }
    if levels.is_empty() || levels.len() > 3 || levels.windows(2).any(|w| w[0] >= w[1]) {
        return Err(format!(
            "`{text}`: give one to three levels, shallow to deep (phases, modules, tasks), e.g. 3,4,b"
        ));
    }
    Ok(levels)
}

/// The three deepest ranks that repeat (phases, modules, tasks); with two,
/// phases and tasks; with one, tasks. No rank repeats: the deepest one.
fn choose_levels(outline: &Outline) -> Vec<u8> {
    let mut counts = [0usize; 8];
    for s in &outline.sections {
        counts[usize::from(s.rank)] += 1;
    }
    let repeating: Vec<u8> = (1..=BOLD).filter(|&r| counts[usize::from(r)] >= 2).collect();
    if repeating.is_empty() {
        let deepest = outline.sections.iter().map(|s| s.rank).max().unwrap_or(1);
        return vec![deepest];
    }
    repeating[repeating.len().saturating_sub(3)..].to_vec()
}

/// A section while the structure is built.
struct Node {
    heading: heading::Heading,
    /// Made up to hold sections the guide has no level for.
    implicit: bool,
    body: Body,
    children: Vec<Node>,
}

impl Node {
    fn new(section: Section) -> Node {
        Node { heading: heading::parse(&section.title), implicit: false, body: section.body, children: Vec::new() }
    }

    fn implicit(title: &str) -> Node {
        Node {
            heading: heading::Heading { number: None, title: title.into(), duration: None },
            implicit: true,
            body: Body::default(),
            children: Vec::new(),
        }
    }
}

/// Where the next body goes.
#[derive(Clone, Copy, PartialEq, Eq)]
enum At {
    Preamble,
    Loose,
    Phase,
    Module,
    Task,
}

fn structure(outline: Outline, levels: &[u8], options: &Options, guesses: &mut Vec<String>) -> Draft {
    let (phase_rank, module_rank, task_rank) = match *levels {
        [a, b, c] => (Some(a), Some(b), c),
        [a, b] => (Some(a), None, b),
        [a] => (None, None, a),
        _ => (None, None, levels.last().copied().unwrap_or(BOLD)),
    };
    let top = phase_rank.unwrap_or(task_rank);
    let mut title: Option<String> = None;
    let mut preamble = outline.preamble;
    let mut loose: Vec<(String, Body)> = Vec::new();
    let mut phases: Vec<Node> = Vec::new();
    let mut at = At::Preamble;
    let fallback_title = options.name.clone();
    for section in outline.sections {
        let rank = section.rank;
        if rank < top {
            if title.is_none() && phases.is_empty() && loose.is_empty() {
                title = Some(heading::parse(&section.title).title);
                preamble.blocks.extend(section.body.blocks);
                preamble.links.extend(section.body.links);
                at = At::Preamble;
            } else {
                loose.push((section.title.clone(), section.body));
                at = At::Loose;
            }
            continue;
        }
        let doc_title = title.clone().unwrap_or_else(|| fallback_title.clone());
        if Some(rank) == phase_rank {
            phases.push(Node::new(section));
            at = At::Phase;
        } else if Some(rank) == module_rank {
            let phase = last_or(&mut phases, &doc_title);
            phase.children.push(Node::new(section));
            at = At::Module;
        } else if rank == task_rank {
            let phase = last_or(&mut phases, &doc_title);
            let phase_title = phase.heading.title.clone();
            let module = last_or(&mut phase.children, &phase_title);
            module.children.push(Node::new(section));
            at = At::Task;
        } else {
            // A level that is not chosen: its heading and body are content
            // of whatever holds it.
            let mut body = section.body;
            body.blocks.insert(0, section.source);
            let target = match at {
                At::Preamble => &mut preamble,
                At::Loose => match loose.last_mut() {
                    Some((_, b)) => b,
                    None => &mut preamble,
                },
                At::Phase => body_of(&mut phases, 0),
                At::Module => body_of(&mut phases, 1),
                At::Task => body_of(&mut phases, 2),
            };
            absorb(target, body);
        }
    }
    let title = match title {
        Some(title) => title,
        None => {
            let title = first_sentence(&preamble).unwrap_or(fallback_title);
            guesses.push(format!(
                "no title heading: the plan's title is \"{title}\" (the intro's first words, or the file name)"
            ));
            title
        }
    };
    let mut draft = Draft { title, ..Draft::default() };
    let mut stray = Body::default();
    for mut node in phases {
        let mut modules = Vec::new();
        for module in std::mem::take(&mut node.children) {
            if module.children.is_empty() {
                guesses.push(format!("section \"{}\" has no tasks: kept in its phase's summary", module.heading.title));
                let mut body = module.body;
                body.blocks.insert(0, format!("**{}**", module.heading.title));
                absorb(&mut node.body, body);
            } else {
                modules.push(module);
            }
        }
        if modules.is_empty() {
            guesses.push(format!("section \"{}\" has no tasks: kept in the plan's summary", node.heading.title));
            loose.push((node.heading.title.clone(), node.body));
            continue;
        }
        let mut phase = Phase {
            title: node.heading.title.clone(),
            number: node.heading.number,
            duration: node.heading.duration.clone(),
            ..Phase::default()
        };
        let mut phase_extra = node.body;
        phase.summary = text_of(&phase_extra);
        for module in modules {
            let mut m = Module {
                title: module.heading.title.clone(),
                number: module.heading.number,
                implicit: module.implicit,
                ..Module::default()
            };
            m.summary = text_of(&module.body);
            let mut module_extra = module.body;
            for task in module.children {
                m.tasks.push(task_of(task));
            }
            move_findings(&mut module_extra, &mut m.tasks[0], guesses, &m.title);
            phase.modules.push(m);
        }
        move_findings(&mut phase_extra, &mut phase.modules[0].tasks[0], guesses, &phase.title);
        draft.phases.push(phase);
    }
    // Links and checks outside every task go to the nearest one.
    absorb(
        &mut stray,
        std::mem::take(&mut preamble.links).into_iter().fold(Body::default(), |mut b, l| {
            b.links.push(l);
            b
        }),
    );
    let mut summary_parts: Vec<String> = preamble.blocks.clone();
    for (title, body) in &loose {
        summary_parts.push(format!("**{}**", heading::parse(title).title));
        summary_parts.extend(body.blocks.iter().cloned());
        stray.links.extend(body.links.iter().cloned());
        stray.ticks.extend(body.ticks.iter().cloned());
        stray.checks.extend(body.checks.iter().cloned());
    }
    let summary = summary_parts.join("\n\n");
    draft.summary = (!summary.trim().is_empty()).then(|| summary.trim().to_string());
    habits(&mut draft, &preamble, &loose, guesses);
    if let Some(task) = draft.phases.last_mut().and_then(|p| p.modules.last_mut()).and_then(|m| m.tasks.last_mut()) {
        move_findings(&mut stray, task, guesses, "the plan's summary");
    }
    tracks(&mut draft, guesses);
    assign_ids(&mut draft, options);
    draft
}

/// Every plain-text line of a Markdown text (code blocks left out).
fn plain_lines(text: &str) -> Vec<String> {
    let outline = outline::read(text);
    let mut lines = outline.preamble.lines;
    for section in outline.sections {
        lines.push(section.title);
        lines.extend(section.body.lines);
    }
    lines
}

fn last_or<'a>(nodes: &'a mut Vec<Node>, title: &str) -> &'a mut Node {
    if nodes.is_empty() {
        nodes.push(Node::implicit(title));
    }
    let last = nodes.len() - 1;
    &mut nodes[last]
}

/// The body of the last node `depth` levels down.
fn body_of(phases: &mut [Node], depth: usize) -> &mut Body {
    // Callers only ask for a depth they have just created.
    let mut nodes = phases;
    let mut d = 0;
    loop {
        let len = nodes.len();
        let node = &mut nodes[len - 1];
        if d == depth || node.children.is_empty() {
            return &mut node.body;
        }
        nodes = &mut node.children;
        d += 1;
    }
}

fn absorb(target: &mut Body, body: Body) {
    target.blocks.extend(body.blocks);
    target.links.extend(body.links);
    target.checks.extend(body.checks);
    target.ticks.extend(body.ticks);
    target.lines.extend(body.lines);
}

fn text_of(body: &Body) -> Option<String> {
    let text = body.markdown();
    let text = text.trim();
    (!text.is_empty()).then(|| text.to_string())
}

/// The intro's first sentence, as a title.
fn first_sentence(body: &Body) -> Option<String> {
    let line = body.lines.first()?;
    let end = line.find(['，', '。', ',', '.', '：', ':']).unwrap_or(line.len());
    let sentence: String = line[..end].chars().take(80).collect();
    let sentence = sentence.trim();
    (!sentence.is_empty()).then(|| sentence.to_string())
}

fn task_of(node: Node) -> Task {
    let mut task = Task {
        title: node.heading.title.clone(),
        number: node.heading.number,
        notes: text_of(&node.body),
        ..Task::default()
    };
    let mut body = node.body;
    add_findings(&mut task, &mut body);
    task
}

/// Links → resources, ✅ lines and checkboxes → deliverables.
fn add_findings(task: &mut Task, body: &mut Body) {
    let mut urls: BTreeSet<String> = task.resources.iter().map(|r| r.url.clone()).collect();
    for link in body.links.drain(..) {
        if urls.insert(link.url.clone()) {
            task.resources.push(Resource { title: link.title, url: link.url });
        }
    }
    let mut titles: BTreeSet<String> = task.deliverables.iter().map(|d| d.title.clone()).collect();
    let ticks = body.ticks.drain(..).map(|t| (t, false));
    let checks = body.checks.drain(..).collect::<Vec<_>>();
    for (title, ticked) in ticks.collect::<Vec<_>>().into_iter().chain(checks) {
        let title = title.trim_start_matches('✅').trim().to_string();
        if titles.insert(title.clone()) {
            task.deliverables.push(Deliverable { id: String::new(), title, ticked, text_key: false });
        }
    }
}

fn move_findings(body: &mut Body, task: &mut Task, guesses: &mut Vec<String>, from: &str) {
    let n = body.links.len() + body.ticks.len() + body.checks.len();
    if n > 0 {
        guesses.push(format!(
            "{n} link(s) or deliverable(s) of \"{from}\" outside every task: given to task \"{}\"",
            task.title
        ));
        add_findings(task, body);
    }
}

/// Routines anywhere in the guide become habits; one found inside a phase
/// is active in that phase only.
fn habits(draft: &mut Draft, preamble: &Body, loose: &[(String, Body)], guesses: &mut Vec<String>) {
    let mut found: Vec<(String, Option<usize>)> = Vec::new();
    let mut lines_of = |lines: &[String], phase: Option<usize>| {
        for line in lines {
            found.push((line.clone(), phase));
        }
    };
    lines_of(&preamble.lines, None);
    for (i, phase) in draft.phases.iter().enumerate() {
        // The phase's and modules' own lines were moved into summaries; the
        // tasks' notes hold the rest. Scan the Markdown lines of all of them.
        let texts = phase.summary.iter().chain(
            phase.modules.iter().flat_map(|m| m.summary.iter().chain(m.tasks.iter().flat_map(|t| t.notes.iter()))),
        );
        for text in texts {
            lines_of(&plain_lines(text), Some(i));
        }
    }
    for (_, body) in loose {
        lines_of(&body.lines, None);
    }
    let mut titles = BTreeSet::new();
    for (line, phase) in found {
        if draft.habits.len() == MAX_HABITS {
            guesses.push(format!("more than {MAX_HABITS} routines: the rest are left as text"));
            break;
        }
        let Some(r) = routine::detect(&line) else { continue };
        let title = line
            .trim_start_matches(|c: char| "-*•✅ ".contains(c))
            .trim()
            .trim_end_matches(['。', '.', '；', ';'])
            .to_string();
        if !titles.insert(title.clone()) {
            continue;
        }
        if let Some(guess) = &r.guessed {
            guesses.push(format!("habit \"{title}\": {guess}"));
        }
        let daily = matches!(r.every.as_str(), "day" | "weekday");
        draft.habits.push(Habit {
            id: String::new(),
            title,
            every: r.every,
            target: r.target,
            unit: r.unit,
            effort: if daily { Effort::from_minutes(30) } else { Effort::from_hours(1) },
            estimated: true,
            phases: phase.into_iter().map(|p| format!("#{p}")).collect(),
        });
    }
}

/// A phase whose sections (two or more) are all routes becomes tracks.
fn tracks(draft: &mut Draft, guesses: &mut Vec<String>) {
    const WORDS: &[&str] = &["路线", "route", "track", "path "];
    let is_route = |t: &str| {
        let lower = format!("{} ", t.to_lowercase());
        WORDS.iter().any(|w| lower.contains(w))
    };
    for p in 0..draft.phases.len() {
        let modules = &draft.phases[p].modules;
        if modules.len() < 2 || !modules.iter().all(|m| is_route(&m.title)) {
            continue;
        }
        for m in 0..draft.phases[p].modules.len() {
            let module_title = draft.phases[p].modules[m].title.clone();
            let title = match module_title.find("路线") {
                Some(at) => module_title[..at + "路线".len()].to_string(),
                None => module_title.clone(),
            };
            let id = unique(slug(&title).unwrap_or_else(|| format!("track{}", draft.tracks.len() + 1)), |id| {
                draft.tracks.iter().any(|t| t.id == id)
            });
            guesses.push(format!(
                "the sections of \"{}\" are alternative routes: \"{title}\" is a track",
                draft.phases[p].title
            ));
            draft.tracks.push(Track { id: id.clone(), title });
            for task in &mut draft.phases[p].modules[m].tasks {
                task.track = Some(id.clone());
            }
        }
    }
}

/// An ASCII title's slug (at most 40 characters), or `None`.
pub(crate) fn slug(title: &str) -> Option<String> {
    if !title.is_ascii() {
        return None;
    }
    let mut slug = String::new();
    for c in title.to_ascii_lowercase().chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c);
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
    }
    if slug.len() > 40 {
        let cut = slug[..40].rfind('-').filter(|&i| i >= 10).unwrap_or(40);
        slug.truncate(cut);
    }
    let slug = slug.trim_matches('-').to_string();
    (!slug.is_empty()).then_some(slug)
}

/// `id`, or `id-2`, `id-3`… the first that `taken` refuses.
pub(crate) fn unique(id: String, taken: impl Fn(&str) -> bool) -> String {
    if !taken(&id) {
        return id;
    }
    (2..).map(|n| format!("{id}-{n}")).find(|c| !taken(c)).unwrap_or(id)
}

/// The id an item gets on its own: its ASCII title's slug, else its own
/// number (`p4` for `阶段4`), else its position.
fn fresh(prefix: char, title: &str, number: Option<u32>, position: usize) -> String {
    slug(title).unwrap_or_else(|| format!("{prefix}{}", number.map_or(position + 1, |n| n as usize)))
}

fn assign_ids(draft: &mut Draft, options: &Options) {
    draft.id = options
        .id
        .clone()
        .or_else(|| slug(&draft.title))
        .or_else(|| slug(&options.name.chars().filter(char::is_ascii).collect::<String>()))
        .unwrap_or_else(|| "imported".into());
    let mut phase_ids: HashSet<String> = HashSet::new();
    for (p, phase) in draft.phases.iter_mut().enumerate() {
        phase.id = unique(fresh('p', &phase.title, phase.number, p), |id| phase_ids.contains(id));
        phase_ids.insert(phase.id.clone());
        let mut module_ids: HashSet<String> = HashSet::new();
        for (m, module) in phase.modules.iter_mut().enumerate() {
            let id = if module.implicit { format!("m{}", m + 1) } else { fresh('m', &module.title, module.number, m) };
            module.id = unique(id, |id| module_ids.contains(id));
            module_ids.insert(module.id.clone());
            let mut task_ids: HashSet<String> = HashSet::new();
            for (t, task) in module.tasks.iter_mut().enumerate() {
                task.id = unique(fresh('t', &task.title, task.number, t), |id| task_ids.contains(id));
                task_ids.insert(task.id.clone());
                deliverable_ids(task);
            }
        }
    }
    let order: Vec<String> = draft.phases.iter().map(|p| p.id.clone()).collect();
    for habit in &mut draft.habits {
        habit.phases = habit
            .phases
            .iter()
            .filter_map(|p| p.strip_prefix('#').and_then(|i| i.parse::<usize>().ok()))
            .filter_map(|i| order.get(i).cloned())
            .collect();
    }
    let mut habit_ids: HashSet<String> = HashSet::new();
    for (h, habit) in draft.habits.iter_mut().enumerate() {
        habit.id = unique(slug(&habit.title).unwrap_or_else(|| format!("h{}", h + 1)), |id| habit_ids.contains(id));
        habit_ids.insert(habit.id.clone());
    }
}

pub(crate) fn deliverable_ids(task: &mut Task) {
    let mut ids: HashSet<String> =
        task.deliverables.iter().filter(|d| !d.id.is_empty()).map(|d| d.id.clone()).collect();
    for (d, deliverable) in task.deliverables.iter_mut().enumerate() {
        if deliverable.id.is_empty() {
            deliverable.id = unique(fresh('d', &deliverable.title, None, d), |id| ids.contains(id));
            ids.insert(deliverable.id.clone());
        }
    }
}

/// Efforts for the tasks that have none yet: each phase's share of its
/// window at the default calendar (less its habits' hours), split evenly;
/// `--effort` when given; 8h in a phase without a window.
fn estimate(draft: &mut Draft, options: &Options, guesses: &mut Vec<String>) -> usize {
    let mut estimated = 0;
    let habits = draft.habits.clone();
    for phase in &mut draft.phases {
        let open: usize = phase.modules.iter().flat_map(|m| &m.tasks).filter(|t| t.effort.is_zero()).count();
        if open == 0 {
            continue;
        }
        let each = match (options.effort, phase.duration.as_deref().and_then(|d| Window::parse(d).ok())) {
            (Some(effort), _) => effort,
            (None, Some(window)) => {
                let habit_minutes: f64 = habits
                    .iter()
                    .filter(|h| h.phases.is_empty() || h.phases.contains(&phase.id))
                    .map(|h| weekly_times(&h.every) * f64::from(h.effort.minutes()))
                    .sum();
                let days = window_days(&window);
                let budget = days * (WEEK_MINUTES - habit_minutes).max(WEEK_MINUTES / 4.0) / 7.0;
                let kept: f64 =
                    phase.modules.iter().flat_map(|m| &m.tasks).map(|t| f64::from(t.effort.minutes())).sum();
                let hours = ((budget - kept).max(0.0) / open as f64 / 60.0).round().max(1.0);
                Effort::from_hours(hours.min(10_000.0) as u32)
            }
            (None, None) => DEFAULT_EFFORT,
        };
        for task in phase.modules.iter_mut().flat_map(|m| &mut m.tasks).filter(|t| t.effort.is_zero()) {
            task.effort = each;
            task.estimated = true;
            estimated += 1;
        }
    }
    if estimated > 0 {
        let how = match options.effort {
            Some(e) => format!("set to --effort {e}"),
            None => {
                "estimated so that each phase fits its window at the default calendar (8h where a phase states none)"
                    .into()
            }
        };
        guesses.push(format!("{estimated} task effort(s) {how}; each is marked `# estimated` in the plan"));
    }
    estimated
}

/// The window's days to aim at: its middle, or 1.2 × an open window's low end.
fn window_days(window: &Window) -> f64 {
    let unit = match window.unit {
        WindowUnit::Day => 1.0,
        WindowUnit::Week => 7.0,
        WindowUnit::Month => 30.44,
        WindowUnit::Year => 365.25,
    };
    let low = f64::from(window.low.max(1));
    let days = match window.high {
        // A single value (`4 weeks`) is met only on the day: aim a little short.
        Some(high) if high == window.low => low * 0.97,
        Some(high) => (low + f64::from(high)) / 2.0,
        None => low * 1.2,
    };
    days * unit
}

/// How many times a week a habit of this cadence is due (on average).
fn weekly_times(every: &str) -> f64 {
    let every = every.trim().to_lowercase();
    match every.as_str() {
        "day" | "daily" => 7.0,
        "weekday" | "weekdays" => 5.0,
        "weekend" | "weekends" => 2.0,
        "week" | "weekly" => 1.0,
        "month" | "monthly" => 7.0 / 30.44,
        _ => {
            let mut parts = every.split_whitespace();
            match (parts.next().and_then(|n| n.parse::<f64>().ok()), parts.next()) {
                (Some(n), Some(u)) if n > 0.0 => match u.trim_end_matches('s') {
                    "day" => 7.0 / n,
                    "week" => 1.0 / n,
                    "month" => 7.0 / 30.44 / n,
                    _ => 1.0,
                },
                _ => every.split(',').count() as f64,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_parse_and_refuse() {
        assert_eq!(parse_levels("3,4,b"), Ok(vec![3, 4, BOLD]));
        assert_eq!(parse_levels("h2,h3"), Ok(vec![2, 3]));
        assert!(parse_levels("4,3").is_err());
        assert!(parse_levels("1,2,3,4").is_err());
        assert!(parse_levels("x").is_err());
    }

    #[test]
    fn slugs_and_unique_ids() {
        assert_eq!(slug("Week 1: Python basics!").as_deref(), Some("week-1-python-basics"));
        assert_eq!(slug("Agent系统"), None);
        assert_eq!(unique("a".into(), |id| id == "a" || id == "a-2"), "a-3");
    }

    #[test]
    fn no_sections_is_an_error() {
        let e = import("just a paragraph\n\n- and a list\n", &Options::default(), None).map(|_| ()).unwrap_err();
        assert_eq!(e, ImportError::NoSections);
    }
}
