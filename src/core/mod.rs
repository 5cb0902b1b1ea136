//! The functional core: plain data and pure functions of it. `today` is an
//! argument; nothing here touches a file, the clock, the environment or the
//! terminal (the lints in `clippy.toml` keep it so).

pub mod cadence;
pub mod calendar;
pub mod consistency;
pub mod dates;
pub mod earned;
pub mod effort;
pub mod forecast;
pub mod habits;
pub mod ics;
pub mod outlook;
pub mod period;
pub mod phrase;
pub mod plan;
pub mod progress;
pub mod report;
pub mod reserve;
pub mod schedule;
pub mod state;
pub mod suggest;
#[cfg(test)]
pub(crate) mod testkit;
pub mod window;
