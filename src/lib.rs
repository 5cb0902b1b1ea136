//! `roadmap`: a study-plan tracker. The library holds the functional core
//! (plan, calendar, scheduler, progress, report) and the shell around it
//! (state file, command line, rendering); `main.rs` only calls `run`.

pub mod builtin;
pub mod cadence;
pub mod calendar;
pub mod effort;
pub mod plan;
pub mod schedule;
pub mod suggest;
pub mod text;
pub mod window;
