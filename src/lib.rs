//! `roadmap`: a study-plan tracker. The library holds the functional core
//! (plan, calendar, scheduler, progress, report) and the shell around it
//! (state file, command line, rendering); `main.rs` only calls `run`.

pub mod app;
pub mod builtin;
pub mod cache;
pub mod cadence;
pub mod calendar;
pub mod cli;
pub mod commands;
pub mod consistency;
pub mod dates;
pub mod day;
pub mod earned;
pub mod effort;
pub mod error;
pub mod forecast;
pub mod habits;
pub mod outlook;
pub mod period;
pub mod plan;
pub mod progress;
pub mod render;
pub mod report;
pub mod schedule;
pub mod snapshot;
pub mod state;
pub mod store;
pub mod suggest;
#[cfg(test)]
mod testkit;
pub mod text;
pub mod window;

// The iCalendar export.
pub mod ics;
