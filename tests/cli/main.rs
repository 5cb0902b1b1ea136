//! The integration tests: one binary, one module per feature. Every run of
//! the built `roadmap` goes through `support::Sandbox` and its `Roadmap`
//! builder, which keep it inside a temporary directory; the library-level
//! suites (plan loading, lookup, scheduling, properties) live here too.

// Tests, benchmarks and examples stand outside the house: they may touch the world.
#![allow(clippy::disallowed_methods, clippy::disallowed_macros)]

mod support;

mod advice;
mod builtin_plans;
mod builtin_review;
mod cache;
mod daily_loop;
mod daily_truth;
mod doctor;
mod ecosystem;
mod end_to_end;
mod forecast_history;
mod import;
mod loader_props;
mod lookup;
mod merge;
mod periods;
mod plan_validation;
mod refusals;
mod reliability;
mod report;
mod review;
mod review_report;
mod routes;
mod schedule;
mod state_paths;
mod sync;
mod trust;
mod undo;
mod why;
mod widths;
