//! Finding a task or habit from what a user typed: a full id, a habit id,
//! a `list` number, a unique id suffix or a unique title substring, in that
//! order of precedence. Never a guess: ambiguity and no match are errors.

use super::model::Plan;
use crate::core::suggest::closest_n;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Item {
    Task(usize),
    Habit(usize),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LookupError {
    /// Several items match; their labels (`full id  title`).
    Ambiguous { reference: String, candidates: Vec<String> },
    /// Nothing matches; the closest ids, best first.
    NotFound { reference: String, suggestions: Vec<String> },
    /// A `list` number that no task has; `count` is the number of tasks.
    NoSuchNumber { reference: String, count: usize },
}

impl std::fmt::Display for LookupError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LookupError::Ambiguous { reference, candidates } => {
                write!(f, "`{reference}` matches {} items:", candidates.len())?;
                candidates.iter().try_for_each(|c| write!(f, "\n  {c}"))
            }
            LookupError::NotFound { reference, .. } => {
                write!(f, "no task or habit matches `{reference}`")
            }
            LookupError::NoSuchNumber { reference, count } => {
                write!(f, "there is no task number {reference}: the tasks are numbered 1 to {count}")
            }
        }
    }
}

impl Plan {
    /// Resolves a user's reference to a task or habit.
    pub fn lookup(&self, reference: &str) -> Result<Item, LookupError> {
        let reference = reference.trim();
        if reference.is_empty() {
            // Every title contains the empty string: no guess, no suggestions.
            return Err(LookupError::NotFound { reference: String::new(), suggestions: Vec::new() });
        }
        if let Some(i) = self.task_index(reference) {
            return Ok(Item::Task(i));
        }
        if let Some(i) = self.habit_index(reference) {
            return Ok(Item::Habit(i));
        }
        if reference.bytes().all(|b| b.is_ascii_digit()) {
            return match reference.parse::<usize>() {
                Ok(n) if (1..=self.tasks.len()).contains(&n) => Ok(Item::Task(n - 1)),
                _ => Err(LookupError::NoSuchNumber { reference: reference.to_string(), count: self.tasks.len() }),
            };
        }
        let suffix = format!(".{reference}");
        let by_suffix: Vec<usize> =
            (0..self.tasks.len()).filter(|&i| self.tasks[i].full_id.ends_with(&suffix)).collect();
        if let Some(found) = self.unique(reference, by_suffix)? {
            return Ok(found);
        }
        let needle = reference.to_lowercase();
        if !needle.is_empty() {
            let tasks = (0..self.tasks.len()).filter(|&i| self.tasks[i].title.to_lowercase().contains(&needle));
            let habits = (0..self.habits.len()).filter(|&i| self.habits[i].title.to_lowercase().contains(&needle));
            let mut items: Vec<Item> = tasks.map(Item::Task).collect();
            items.extend(habits.map(Item::Habit));
            match items.len() {
                0 => {}
                1 => return Ok(items[0]),
                _ => {
                    return Err(LookupError::Ambiguous {
                        reference: reference.to_string(),
                        candidates: items.iter().map(|&item| self.label(item)).collect(),
                    });
                }
            }
        }
        Err(LookupError::NotFound { reference: reference.to_string(), suggestions: self.suggestions(reference) })
    }

    fn unique(&self, reference: &str, tasks: Vec<usize>) -> Result<Option<Item>, LookupError> {
        match tasks.len() {
            0 => Ok(None),
            1 => Ok(Some(Item::Task(tasks[0]))),
            _ => Err(LookupError::Ambiguous {
                reference: reference.to_string(),
                candidates: tasks.into_iter().map(|i| self.label(Item::Task(i))).collect(),
            }),
        }
    }

    /// `12  p4.frontier.moe  MoE架构（Mixtral）` or `leetcode  LeetCode 每日2题`.
    pub fn label(&self, item: Item) -> String {
        match item {
            Item::Task(i) => format!("{:>3}  {}  {}", i + 1, self.tasks[i].full_id, self.tasks[i].title),
            Item::Habit(i) => format!("habit  {}  {}", self.habits[i].id, self.habits[i].title),
        }
    }

    fn suggestions(&self, reference: &str) -> Vec<String> {
        let mut names: Vec<&str> = Vec::new();
        for task in &self.tasks {
            names.push(&task.full_id);
            let mut rest = &*task.full_id;
            while let Some((_, tail)) = rest.split_once('.') {
                names.push(tail);
                rest = tail;
            }
        }
        names.extend(self.habits.iter().map(|h| h.id.as_str()));
        // A suggestion is advice: a name that does not resolve to one item
        // (a suffix two tasks share, a task's short id that is a habit's id)
        // becomes the reference of each item it was taken from.
        let mut out: Vec<String> = Vec::new();
        for name in closest_n(reference, names.into_iter(), 3) {
            let resolved = self.lookup(name).ok();
            let sources = (0..self.tasks.len())
                .filter(|&i| self.tasks[i].full_id == name || self.tasks[i].full_id.ends_with(&format!(".{name}")))
                .map(Item::Task)
                .chain(self.habit_index(name).map(Item::Habit));
            for item in sources {
                let form = if resolved == Some(item) { name.to_string() } else { self.reference(item) };
                if !out.contains(&form) {
                    out.push(form);
                }
            }
        }
        out.truncate(3);
        out
    }
}
impl std::error::Error for LookupError {}

impl Plan {
    /// The shortest form of an item's id that `lookup` resolves back to the
    /// same item: what every advised command line names. For a task, the
    /// shortest id suffix (`moe`, then `frontier.moe`, then the full id)
    /// that is not taken by a habit id, a `list` number or another task; for
    /// a habit, its id (ids have no `.`, so no full task id takes it).
    pub fn reference(&self, item: Item) -> String {
        let found = match item {
            Item::Task(i) => {
                let full = &self.tasks[i].full_id;
                let mut suffixes: Vec<&str> = Vec::new();
                let mut rest: &str = full;
                while let Some((_, tail)) = rest.split_once('.') {
                    suffixes.push(tail);
                    rest = tail;
                }
                suffixes.into_iter().rev().find(|s| self.suffix_names(s, i)).unwrap_or(full).to_string()
            }
            Item::Habit(h) => self.habits[h].id.clone(),
        };
        debug_assert_eq!(self.lookup(&found), Ok(item), "the reference {found} names its item");
        found
    }

    /// Whether `lookup(suffix)` gives task `task`, for a proper suffix of
    /// its full id (one or two of its ids): ids are slugs, without dots, so
    /// no full id is such a suffix, and `lookup` tries a habit id, then a
    /// `list` number, then the tasks whose full id ends in `.suffix`. The
    /// tasks are counted only up to a second one: `lookup` itself would
    /// describe every match of an ambiguous suffix, thousands in a large
    /// plan, to say that it is one.
    fn suffix_names(&self, suffix: &str, task: usize) -> bool {
        if self.habit_index(suffix).is_some() {
            return false;
        }
        if suffix.bytes().all(|b| b.is_ascii_digit()) {
            return suffix.parse::<usize>().ok() == Some(task + 1);
        }
        let dotted = format!(".{suffix}");
        let mut matching = self.tasks.iter().filter(|t| t.full_id.ends_with(&dotted));
        matching.next().is_some() && matching.next().is_none()
    }

    /// The tasks a reference would name if it were not taken by a habit id:
    /// those whose id ends in `.reference`, else those whose title holds it.
    /// What a command that takes a task says when given a habit.
    pub fn tasks_meant(&self, reference: &str) -> Vec<usize> {
        let reference = reference.trim();
        let suffix = format!(".{reference}");
        let by_suffix: Vec<usize> =
            (0..self.tasks.len()).filter(|&i| self.tasks[i].full_id.ends_with(&suffix)).collect();
        if !by_suffix.is_empty() || reference.is_empty() {
            return by_suffix;
        }
        let needle = reference.to_lowercase();
        (0..self.tasks.len()).filter(|&i| self.tasks[i].title.to_lowercase().contains(&needle)).collect()
    }
}
