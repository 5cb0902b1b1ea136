//! `roadmap`: a study-plan tracker.
//!
//! The crate reads top-down, and imports only point down:
//!
//! - [`cli`]: the command line as clap sees it (imports nothing of the crate);
//! - [`commands`]: dispatch and one module per command: gather through the
//!   session, compute a view, render it or serialise it;
//! - [`shell`]: the only code that touches the world: the context (clock,
//!   environment, terminal), plan sources and caches, the state file on
//!   disk, and the session that ties them together;
//! - [`render`]: views and figures into text;
//! - [`core`]: the pure functional core: plan, calendar, schedule,
//!   progress, habits, report figures, iCalendar text. `today` is always an
//!   argument; nothing here reads a file, the clock or the environment.
//!
//! `docs/architecture.md` walks through it.

pub mod cli;
pub mod commands;
pub mod core;
pub mod render;
pub mod run;
pub mod shell;
