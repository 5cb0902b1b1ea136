//! The plan: its model, the loader and validator, and task lookup.

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
pub use model::{Deliverable, Habit, Module, Phase, Plan, Resource, Review, Task, Track, reading_from};
pub use read::load;

#[cfg(test)]
mod tests {
    use super::*;

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
