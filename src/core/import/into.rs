//! `--into EXISTING.yaml`: the imported items that match items of the
//! existing plan take their ids (and the effort and fields the learner
//! gave them), so progress saved under those ids stays. A phase or module
//! matches by the same title, else by the same position and most of its
//! text; a task by the same title in the matched module, else the same
//! title anywhere (moved), else the same position in the matched module and
//! most of its text (title and notes). New items get ids no existing item
//! of the same parent has, so no old progress lands on them.

use super::Options;
use super::draft::{Draft, Phase, Task};
use crate::core::plan::Plan;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap, HashSet};

/// How much of the text must be alike for a match by position (0–1).
const ALIKE: f64 = 0.5;

/// An item of a plan: its full id and title.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct Item {
    pub id: String,
    pub title: String,
}

/// A task that kept an id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct Matched {
    pub id: String,
    /// `title`, `position` (same place, most of the text alike) or `moved`
    /// (same title in another module: its full id changed).
    pub by: &'static str,
    /// The existing full id, when it differs from `id`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub was: Option<String>,
}

/// What the re-import changed, task by task and habit by habit.
#[derive(Debug, Clone, Default, Serialize)]
pub(crate) struct Changes {
    /// Tasks in the existing plan.
    pub tasks_before: usize,
    pub matched: Vec<Matched>,
    pub added: Vec<Item>,
    pub removed: Vec<Item>,
    pub habits_matched: usize,
    pub habits_added: Vec<Item>,
    pub habits_removed: Vec<Item>,
    /// `after` entries of kept tasks that name a task no longer in the plan.
    pub dropped_after: Vec<String>,
}

pub(crate) fn apply(draft: &mut Draft, plan: &Plan, options: &Options, guesses: &mut Vec<String>) -> Changes {
    if options.id.is_none() {
        draft.id = plan.id.clone();
    }
    draft.title = plan.title.clone();
    if options.lang.is_none() && plan.lang.is_some() {
        draft.lang = plan.lang.clone();
    }
    tracks(draft, plan);
    let phase_match = match_phases(draft, plan);
    let mut changes = Changes { tasks_before: plan.tasks.len(), ..Changes::default() };
    // Existing task index → new full id, for `after`.
    let mut renamed: HashMap<usize, String> = HashMap::new();
    let mut task_used = vec![false; plan.tasks.len()];
    let mut module_matches: Vec<Vec<Option<usize>>> = Vec::new();
    for (p, phase) in draft.phases.iter_mut().enumerate() {
        let old = phase_match[p];
        module_matches.push(match old {
            Some(old) => match_modules(phase, plan, old),
            None => vec![None; phase.modules.len()],
        });
    }
    // Tasks: three passes so that a match by title is never taken by a
    // match by position.
    let mut by_title: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, task) in plan.tasks.iter().enumerate() {
        by_title.entry(&*task.title).or_default().push(i);
    }
    let mut task_match: BTreeMap<(usize, usize, usize), (usize, &'static str)> = BTreeMap::new();
    for pass in 0..3 {
        for (p, phase) in draft.phases.iter().enumerate() {
            for (m, module) in phase.modules.iter().enumerate() {
                let old_module = module_matches[p][m];
                for (t, task) in module.tasks.iter().enumerate() {
                    if task_match.contains_key(&(p, m, t)) {
                        continue;
                    }
                    let same_title = || by_title.get(task.title.as_str()).into_iter().flatten().copied();
                    let found = match (pass, old_module) {
                        (0, Some(om)) => {
                            let range = plan.modules[om].tasks.clone();
                            same_title().find(|&i| !task_used[i] && range.contains(&i)).map(|i| (i, "title"))
                        }
                        (1, _) => same_title().find(|&i| !task_used[i]).map(|i| (i, "moved")),
                        (2, Some(om)) => {
                            let range = plan.modules[om].tasks.clone();
                            let i = range.start + t;
                            (i < range.end
                                && !task_used[i]
                                && alike(&task_text(task), &old_task_text(&plan.tasks[i])) >= ALIKE)
                                .then_some((i, "position"))
                        }
                        _ => None,
                    };
                    if let Some((i, by)) = found {
                        task_used[i] = true;
                        task_match.insert((p, m, t), (i, by));
                    }
                }
            }
        }
    }
    // Carry ids and fields; give new items ids no existing sibling has.
    for (p, phase) in draft.phases.iter_mut().enumerate() {
        for (m, module) in phase.modules.iter_mut().enumerate() {
            let old_module = module_matches[p][m];
            let mut taken: HashSet<String> = old_module
                .map(|om| plan.modules[om].tasks.clone().map(|i| plan.tasks[i].id().to_string()).collect())
                .unwrap_or_default();
            for (t, task) in module.tasks.iter_mut().enumerate() {
                if let Some(&(i, _)) = task_match.get(&(p, m, t)) {
                    carry(task, &plan.tasks[i], plan);
                    taken.insert(task.id.clone());
                }
            }
            for (t, task) in module.tasks.iter_mut().enumerate() {
                if !task_match.contains_key(&(p, m, t)) {
                    task.id = super::unique(task.id.clone(), |id| taken.contains(id));
                    taken.insert(task.id.clone());
                }
            }
        }
    }
    for (p, phase) in draft.phases.iter().enumerate() {
        for (m, module) in phase.modules.iter().enumerate() {
            for (t, task) in module.tasks.iter().enumerate() {
                let full = Draft::full_id(phase, module, task);
                match task_match.get(&(p, m, t)) {
                    Some(&(i, by)) => {
                        renamed.insert(i, full.clone());
                        let was = &plan.tasks[i].full_id;
                        changes.matched.push(Matched {
                            id: full.clone(),
                            by,
                            was: (*was != full).then(|| was.to_string()),
                        });
                    }
                    None => changes.added.push(Item { id: full, title: task.title.clone() }),
                }
            }
        }
    }
    for (i, task) in plan.tasks.iter().enumerate() {
        if !task_used[i] {
            changes.removed.push(Item { id: task.full_id.to_string(), title: task.title.to_string() });
        }
    }
    // `after`: the kept tasks' dependencies, by their new full ids.
    for phase in &mut draft.phases {
        for module in &mut phase.modules {
            for task in &mut module.tasks {
                let mut kept = Vec::new();
                for old in std::mem::take(&mut task.after) {
                    match plan.task_index(&old).and_then(|i| renamed.get(&i)) {
                        Some(new) => kept.push(new.clone()),
                        None => changes.dropped_after.push(old),
                    }
                }
                task.after = kept;
            }
        }
    }
    habits(draft, plan, &mut changes);
    // Tracks the kept tasks name stay declared.
    for track in &plan.tracks {
        let used = draft.tasks().any(|(_, _, t)| t.track.as_deref() == Some(track.id.as_str()));
        if used && !draft.tracks.iter().any(|t| t.id == track.id) {
            draft.tracks.push(super::draft::Track { id: track.id.clone(), title: track.title.clone() });
        }
    }
    if !changes.dropped_after.is_empty() {
        guesses.push(format!(
            "{} dependency(ies) of kept tasks named tasks no longer in the plan: dropped",
            changes.dropped_after.len()
        ));
    }
    changes
}

fn tracks(draft: &mut Draft, plan: &Plan) {
    for track in &mut draft.tracks {
        let Some(old) = plan.tracks.iter().find(|o| o.title == track.title || o.id == track.id) else { continue };
        let new_id = old.id.clone();
        for task in draft.phases.iter_mut().flat_map(|p| &mut p.modules).flat_map(|m| &mut m.tasks) {
            if task.track.as_deref() == Some(track.id.as_str()) {
                task.track = Some(new_id.clone());
            }
        }
        track.id = new_id;
    }
}

fn match_phases(draft: &mut Draft, plan: &Plan) -> Vec<Option<usize>> {
    let n = draft.phases.len();
    let mut found: Vec<Option<usize>> = vec![None; n];
    let mut used = vec![false; plan.phases.len()];
    for (p, phase) in draft.phases.iter().enumerate() {
        if let Some(i) = (0..plan.phases.len()).find(|&i| !used[i] && plan.phases[i].title == phase.title) {
            used[i] = true;
            found[p] = Some(i);
        }
    }
    for (p, phase) in draft.phases.iter().enumerate() {
        if found[p].is_none() && p < plan.phases.len() && !used[p] {
            let old = &plan.phases[p];
            let old_text: String = std::iter::once(old.title.as_str())
                .chain(plan.modules[old.modules.clone()].iter().map(|m| m.title.as_str()))
                .collect::<Vec<_>>()
                .join(" ");
            let new_text: String = std::iter::once(phase.title.as_str())
                .chain(phase.modules.iter().map(|m| m.title.as_str()))
                .collect::<Vec<_>>()
                .join(" ");
            if alike(&new_text, &old_text) >= ALIKE {
                used[p] = true;
                found[p] = Some(p);
            }
        }
    }
    let mut taken: HashSet<String> = plan.phases.iter().map(|p| p.id.clone()).collect();
    for (p, phase) in draft.phases.iter_mut().enumerate() {
        if let Some(i) = found[p] {
            let old = &plan.phases[i];
            phase.id = old.id.clone();
            if phase.duration.is_none() {
                phase.duration = old.duration.as_ref().map(|d| d.text.clone());
            }
            if phase.summary.is_none() {
                phase.summary = old.summary.clone();
            }
        }
    }
    for (p, phase) in draft.phases.iter_mut().enumerate() {
        if found[p].is_none() {
            phase.id = super::unique(phase.id.clone(), |id| taken.contains(id));
            taken.insert(phase.id.clone());
        }
    }
    found
}

fn match_modules(phase: &mut Phase, plan: &Plan, old_phase: usize) -> Vec<Option<usize>> {
    let range = plan.phases[old_phase].modules.clone();
    let mut found: Vec<Option<usize>> = vec![None; phase.modules.len()];
    let mut used: Vec<bool> = vec![false; plan.modules.len()];
    for (m, module) in phase.modules.iter().enumerate() {
        if let Some(i) = range.clone().find(|&i| !used[i] && plan.modules[i].title == module.title) {
            used[i] = true;
            found[m] = Some(i);
        }
    }
    for (m, module) in phase.modules.iter().enumerate() {
        let i = range.start + m;
        if found[m].is_some() || i >= range.end || used[i] {
            continue;
        }
        let old = &plan.modules[i];
        let old_text = std::iter::once(old.title.as_str())
            .chain(plan.tasks[old.tasks.clone()].iter().map(|t| &*t.title))
            .collect::<Vec<_>>()
            .join(" ");
        let new_text = std::iter::once(module.title.as_str())
            .chain(module.tasks.iter().map(|t| t.title.as_str()))
            .collect::<Vec<_>>()
            .join(" ");
        if alike(&new_text, &old_text) >= ALIKE {
            used[i] = true;
            found[m] = Some(i);
        }
    }
    let mut taken: HashSet<String> = range.clone().map(|i| plan.modules[i].id.clone()).collect();
    for (m, module) in phase.modules.iter_mut().enumerate() {
        if let Some(i) = found[m] {
            module.id = plan.modules[i].id.clone();
            if module.summary.is_none() {
                module.summary = plan.modules[i].summary.clone();
            }
        }
    }
    for (m, module) in phase.modules.iter_mut().enumerate() {
        if found[m].is_none() {
            module.id = super::unique(module.id.clone(), |id| taken.contains(id));
            taken.insert(module.id.clone());
        }
    }
    found
}

/// The existing task's id, effort and the fields the guide does not give.
fn carry(task: &mut Task, old: &crate::core::plan::Task, plan: &Plan) {
    task.id = old.id().to_string();
    task.effort = old.effort;
    task.estimated = false;
    task.tags = old.tags.clone();
    task.after = old.after.iter().map(|&i| plan.tasks[i].full_id.to_string()).collect();
    if task.track.is_none() {
        task.track = old.track.as_deref().map(str::to_owned);
    }
    if task.notes.is_none() {
        task.notes = old.details().notes.clone();
    }
    let mut taken: HashSet<String> = old.details().deliverables.iter().filter_map(|d| d.id.clone()).collect();
    let mut fresh = Vec::new();
    for (i, d) in task.deliverables.iter_mut().enumerate() {
        match old.details().deliverables.iter().find(|o| o.title == d.title) {
            Some(o) => {
                d.text_key = o.id.is_none();
                d.id = o.id.clone().unwrap_or_default();
            }
            None => fresh.push(i),
        }
    }
    for i in fresh {
        let d = &mut task.deliverables[i];
        d.id = super::unique(d.id.clone(), |id| taken.contains(id));
        taken.insert(d.id.clone());
    }
}

fn habits(draft: &mut Draft, plan: &Plan, changes: &mut Changes) {
    let mut used = vec![false; plan.habits.len()];
    let phase_ids: Vec<String> = draft.phases.iter().map(|p| p.id.clone()).collect();
    let mut matched = vec![None; draft.habits.len()];
    for (h, habit) in draft.habits.iter().enumerate() {
        let same = (0..plan.habits.len()).find(|&i| !used[i] && plan.habits[i].title == habit.title);
        let like = || {
            (0..plan.habits.len())
                .filter(|&i| !used[i])
                .map(|i| (i, alike(&habit.title, &plan.habits[i].title)))
                .filter(|&(i, a)| {
                    a >= ALIKE || (a >= 0.3 && plan.habits[i].every.text.eq_ignore_ascii_case(&habit.every))
                })
                .max_by(|a, b| a.1.total_cmp(&b.1))
                .map(|(i, _)| i)
        };
        if let Some(i) = same.or_else(like) {
            used[i] = true;
            matched[h] = Some(i);
        }
    }
    let mut taken: HashSet<String> = plan.habits.iter().map(|h| h.id.clone()).collect();
    for (h, habit) in draft.habits.iter_mut().enumerate() {
        match matched[h] {
            Some(i) => {
                let old = &plan.habits[i];
                habit.id = old.id.clone();
                habit.effort = old.effort;
                habit.estimated = false;
                habit.phases =
                    old.phases.iter().map(|&p| plan.phases[p].id.clone()).filter(|id| phase_ids.contains(id)).collect();
                habit.target = habit.target.or((old.target > 1).then_some(old.target));
                habit.unit = habit.unit.clone().or_else(|| old.unit.clone());
                changes.habits_matched += 1;
            }
            None => {
                habit.id = super::unique(habit.id.clone(), |id| taken.contains(id));
                taken.insert(habit.id.clone());
                changes.habits_added.push(Item { id: habit.id.clone(), title: habit.title.clone() });
            }
        }
    }
    for (i, habit) in plan.habits.iter().enumerate() {
        if !used[i] {
            changes.habits_removed.push(Item { id: habit.id.clone(), title: habit.title.clone() });
        }
    }
}

fn task_text(task: &Task) -> String {
    format!("{} {}", task.title, task.notes.as_deref().unwrap_or(""))
}

fn old_task_text(task: &crate::core::plan::Task) -> String {
    format!("{} {}", task.title, task.details().notes.as_deref().unwrap_or(""))
}

/// How alike two texts are: the Dice coefficient of their character pairs
/// (whitespace left out, case folded), 0 to 1. Works for CJK and English.
pub(crate) fn alike(a: &str, b: &str) -> f64 {
    let pairs = |s: &str| -> HashMap<(char, char), usize> {
        let chars: Vec<char> =
            s.chars().filter(|c| !c.is_whitespace()).flat_map(char::to_lowercase).take(4000).collect();
        let mut counts = HashMap::new();
        for w in chars.windows(2) {
            *counts.entry((w[0], w[1])).or_insert(0) += 1;
        }
        counts
    };
    let (a, b) = (pairs(a), pairs(b));
    let total: usize = a.values().sum::<usize>() + b.values().sum::<usize>();
    if total == 0 {
        return 0.0;
    }
    let common: usize = a.iter().map(|(k, n)| (*n).min(b.get(k).copied().unwrap_or(0))).sum();
    2.0 * common as f64 / total as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alike_texts() {
        assert!((alike("abc", "abc") - 1.0).abs() < 1e-9);
        assert_eq!(alike("abc", "xyz"), 0.0);
        assert!(
            alike("每周一早晨速读arXiv最新论文（关注cs.CL、cs.LG分类）", "每周一早晨速读arXiv最新论文（cs.CL、cs.LG）")
                > 0.7
        );
    }
}
