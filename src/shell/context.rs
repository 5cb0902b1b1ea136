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

/// The narrowest width honoured: below it, tables would stack every row.
const MIN_WIDTH: u16 = 40;

/// Columns a terminal gets when its size cannot be read.
const FALLBACK_WIDTH: u16 = 80;

/// The width output may take: `COLUMNS` when it is set to a number (also
/// for pipes: the user asked for it), the terminal's width when stdout is
/// a terminal, and no limit otherwise (a pipe or a file gets one line a
/// table row, never a wrapped id or date).
fn terminal_width() -> Option<u16> {
    let columns = std::env::var("COLUMNS").ok().and_then(|c| c.trim().parse::<u16>().ok());
    width_for(columns, std::io::stdout().is_terminal(), || comfy_table::Table::new().width())
}

/// The decision of `terminal_width`, apart from the world it reads.
fn width_for(columns: Option<u16>, is_terminal: bool, measure: impl FnOnce() -> Option<u16>) -> Option<u16> {
    if let Some(columns) = columns.filter(|&c| c > 0) {
        return Some(columns.max(MIN_WIDTH));
    }
    is_terminal.then(|| measure().unwrap_or(FALLBACK_WIDTH).max(MIN_WIDTH))
}

/// The default state file: `state.jsonl` in the user data directory.
pub fn default_state_path() -> Result<PathBuf> {
    directories::ProjectDirs::from("", "", "roadmap").map(|dirs| dirs.data_dir().join("state.jsonl")).ok_or_else(|| {
        Error::usage("cannot find a home directory for the state file")
            .with_hint("pass --state PATH or set ROADMAP_STATE")
    })
}

/// `~/x` → `$HOME/x`, as the shell would have done on a run (for paths
/// read from a command line being completed).
pub(crate) fn expand_home(path: &str) -> PathBuf {
    match (path.strip_prefix("~/"), std::env::var_os("HOME")) {
        (Some(rest), Some(home)) => PathBuf::from(home).join(rest),
        _ => PathBuf::from(path),
    }
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
        // To the millisecond: events of two machines are ordered by this time
        // (then by id), so commands a moment apart must not share it.
        let clock = Utc::now();
        let now = clock.with_nanosecond(clock.nanosecond() / 1_000_000 * 1_000_000).unwrap_or(clock);
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

#[cfg(test)]
mod tests {
    use super::width_for;

    #[test]
    fn columns_first_then_the_terminal_then_no_limit() {
        assert_eq!(width_for(Some(60), false, || None), Some(60));
        assert_eq!(width_for(Some(60), true, || Some(200)), Some(60));
        assert_eq!(width_for(Some(12), false, || None), Some(40));
        assert_eq!(width_for(Some(0), true, || Some(120)), Some(120));
        assert_eq!(width_for(None, true, || Some(120)), Some(120));
        assert_eq!(width_for(None, true, || None), Some(80));
        assert_eq!(width_for(None, false, || Some(120)), None);
    }
}
