//! The plan: its model, the loader and validator, and task lookup.

pub mod apart;
pub mod builtin;
mod diagnostic;
mod fast;
mod load;
mod locate;
mod lookup;
mod model;
mod read;
mod tree;

pub use diagnostic::{Diagnostic, PlanErrors};
pub use load::{FORMAT, MAX_DEPTH, MAX_PLAN_BYTES, is_slug};
pub use locate::{Path, Seg, locate};
pub use lookup::{Item, LookupError};
pub use model::{Deliverable, Details, Habit, Module, Phase, Plan, Resource, Review, Task, Track};
pub use read::load;

#[cfg(test)]
mod tests {
    use super::*;

    /// A task whose id is empty is no task to depend on: both `after`
    /// entries that try (by its id and by its full id) are reported, beside
    /// the empty id itself (a task's id is the last part of its full id,
    /// which for this one is `p1.m.`).
    #[test]
    fn a_task_with_an_empty_id_is_no_dependency() {
        let plan = "format: 1\nid: demo\ntitle: Demo\nphases:\n  - id: p1\n    title: P\n    modules:\n      - id: m\n        \
                    title: M\n        tasks:\n          - {id: \"\", title: A, effort: 1h}\n          \
                    - {id: b, title: B, effort: 1h, after: [\"\"]}\n          - {id: c, title: C, effort: 1h, after: [p1.m.]}\n";
        let Err(errors) = load("demo.yaml", plan.as_bytes()) else { panic!("an empty id loads") };
        let messages: Vec<&str> = errors.diagnostics.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "id `` of task #1 of module p1.m is not a slug",
                "`after: ` in task p1.m.b names no task",
                "`after: p1.m.` in task p1.m.c names no task",
            ]
        );
    }

    #[test]
    fn builtin_plans_load() {
        for b in crate::core::plan::builtin::BUILTINS {
            match load(b.name, b.text.as_bytes()) {
                Ok(plan) => assert!(!plan.tasks.is_empty()),
                Err(e) => panic!("{e}"),
            }
        }
    }
}
