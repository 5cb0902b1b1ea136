//! The functional core: plain data and pure functions of it. `today` is an
//! argument; nothing here touches a file, the clock, the environment or the
//! terminal (the lints in `clippy.toml` keep it so).

pub(crate) mod cadence;
pub mod calendar;
pub(crate) mod calibration;
pub(crate) mod consistency;
pub(crate) mod dates;
pub(crate) mod earned;
pub mod effort;
pub(crate) mod forecast;
pub mod habits;
pub(crate) mod history;
pub(crate) mod ics;
pub(crate) mod import;
pub mod journal;
pub mod logs;
pub(crate) mod montecarlo;
pub mod outlook;
pub(crate) mod period;
pub(crate) mod phrase;
pub mod plan;
pub mod progress;
pub(crate) mod report;
pub(crate) mod reserve;
pub mod review;
pub mod schedule;
pub mod state;
pub(crate) mod suggest;
#[cfg(test)]
pub(crate) mod testkit;
pub(crate) mod text;
pub(crate) mod visible;
pub(crate) mod why;
pub mod window;
pub mod work;
