//! The context: everything a command may read from the world (today, the
//! time, paths, the terminal's colour and width), resolved once from the
//! command line and the environment.

use crate::cli::{Cli, ColorChoice};
use crate::shell::error::{Error, Result};
use crate::shell::store::Store;
use crate::shell::terminal::{self, Terminal};
use chrono::{DateTime, Local, NaiveDate, Timelike, Utc};
use std::io::IsTerminal;
use std::path::PathBuf;

/// Everything a command may read from the world, resolved once.
pub struct Ctx {
    pub today: NaiveDate,
    pub now: DateTime<Utc>,
    pub store: Store,
    pub plan_arg: Option<String>,
    pub terminal: Terminal,
    /// Where derived data is cached; `None` disables the cache.
    pub cache: Option<PathBuf>,
}

/// Whether to colour a stream: `--color` first; for `auto`, `NO_COLOR`
/// (set and not empty) turns colour off, `CLICOLOR_FORCE` (not 0) turns it
/// on for pipes, and otherwise only a terminal gets colour.
pub fn color_allowed(choice: ColorChoice, is_terminal: bool) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
            let forced = std::env::var_os("CLICOLOR_FORCE").is_some_and(|v| !v.is_empty() && v != "0");
            !no_color && (forced || is_terminal)
        }
    }
}

fn terminal_width() -> u16 {
    if let Some(columns) = std::env::var("COLUMNS").ok().and_then(|c| c.parse::<u16>().ok()) {
        return columns.max(40);
    }
    if std::io::stdout().is_terminal()
        && let Some(width) = comfy_table::Table::new().width()
    {
        return width.max(40);
    }
    100
}

/// The default state file: `state.jsonl` in the user data directory.
pub fn default_state_path() -> Result<PathBuf> {
    directories::ProjectDirs::from("", "", "roadmap").map(|dirs| dirs.data_dir().join("state.jsonl")).ok_or_else(|| {
        Error::usage("cannot find a home directory for the state file")
            .with_hint("pass --state PATH or set ROADMAP_STATE")
    })
}

/// An environment variable's value, when it is set and not empty (as a
/// global option's fallback).
fn env_text(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}

impl Ctx {
    pub fn from_cli(cli: &Cli) -> Result<Ctx> {
        let g = &cli.global;
        let real_today = Local::now().date_naive();
        let today = match g.today.clone().or_else(|| env_text("ROADMAP_TODAY")) {
            Some(text) => crate::core::dates::parse_date(&text, real_today, crate::core::dates::Lean::Past)
                .map_err(|e| Error::option("--today", e))?,
            None => real_today,
        };
        let path = match g.state.clone().or_else(|| env_text("ROADMAP_STATE").map(PathBuf::from)) {
            Some(path) if path.as_os_str().is_empty() => return Err(Error::usage("--state is empty")),
            Some(path) => path,
            None => default_state_path()?,
        };
        let terminal =
            Terminal { color: color_allowed(g.color, std::io::stdout().is_terminal()), width: terminal_width() };
        let now = Utc::now().with_nanosecond(0).unwrap_or_else(Utc::now);
        let cache = match std::env::var_os("ROADMAP_CACHE_DIR") {
            Some(dir) if dir.is_empty() => None,
            Some(dir) => Some(PathBuf::from(dir)),
            None => directories::ProjectDirs::from("", "", "roadmap").map(|d| d.cache_dir().to_path_buf()),
        };
        let store = Store::new(path).with_snapshots(cache.as_deref());
        Ok(Ctx { today, now, store, plan_arg: g.plan.clone().or_else(|| env_text("ROADMAP_PLAN")), terminal, cache })
    }

    pub fn warn(&self, message: &str) {
        terminal::to_stderr(&format!("warning: {message}"));
    }
}
