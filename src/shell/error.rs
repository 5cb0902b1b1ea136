//! Every way a command can fail, as data: what went wrong, with the values
//! involved, and a hint. The text is built once, where the error is shown
//! ([`Error::report`]); the exit code comes from [`Error::exit_code`].
//!
//! Core errors (plan lookup, scheduling) say what is wrong in the plan's or
//! calendar's terms; the advice that names a command line is added here.

use crate::core::plan::{LookupError, PlanErrors};
use crate::core::schedule::ScheduleError;
use crate::shell::store::StoreError;
use std::fmt;
use std::path::PathBuf;

#[derive(Debug)]
pub enum Error {
    /// The plan does not load: every problem, each with file, line, hint.
    Plan(PlanErrors),
    /// A task or habit reference that names nothing, or several things.
    Lookup(LookupError),
    /// The state file cannot be read or written.
    Store(StoreError),
    /// The calendar cannot schedule the remaining work.
    Schedule(ScheduleError),
    /// A command-line option's value cannot be used (exit 2).
    Option { option: &'static str, reason: String, hint: Option<String> },
    /// The command line asks for something impossible (exit 2).
    Usage { message: String, hint: Option<String> },
    /// Well-formed, but this data does not allow it (exit 1).
    Refused { message: String, hint: Option<String> },
    /// A file other than the state could not be read or written.
    Io { action: &'static str, path: PathBuf, source: std::io::Error, hint: Option<String> },
}

impl Error {
    pub fn usage(message: impl Into<String>) -> Error {
        Error::Usage { message: message.into(), hint: None }
    }

    pub fn refused(message: impl Into<String>) -> Error {
        Error::Refused { message: message.into(), hint: None }
    }

    /// `--on: 2027-13-01 is not a date`.
    pub fn option(option: &'static str, reason: impl fmt::Display) -> Error {
        Error::Option { option, reason: reason.to_string(), hint: None }
    }

    pub fn io(action: &'static str, path: impl Into<PathBuf>, source: std::io::Error) -> Error {
        Error::Io { action, path: path.into(), source, hint: None }
    }

    /// The same error with a hint (replacing any it had).
    pub fn with_hint(mut self, text: impl Into<String>) -> Error {
        let text = Some(text.into());
        match &mut self {
            Error::Option { hint, .. }
            | Error::Usage { hint, .. }
            | Error::Refused { hint, .. }
            | Error::Io { hint, .. } => *hint = text,
            Error::Plan(_) | Error::Lookup(_) | Error::Store(_) | Error::Schedule(_) => {}
        }
        self
    }

    /// What to do about it, when there is something to say.
    pub fn hint(&self) -> Option<String> {
        match self {
            Error::Plan(_) => None,
            Error::Lookup(e) => Some(lookup_hint(e)),
            Error::Store(e) => e.hint(),
            Error::Schedule(e) => Some(schedule_hint(e).to_string()),
            Error::Option { hint, .. }
            | Error::Usage { hint, .. }
            | Error::Refused { hint, .. }
            | Error::Io { hint, .. } => hint.clone(),
        }
    }

    /// 2 for bad usage (as clap's own errors), 1 for everything else.
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Option { .. } | Error::Usage { .. } => 2,
            _ => 1,
        }
    }

    /// The whole text shown to the learner: the message, then the hint.
    pub fn report(&self) -> String {
        match self.hint() {
            Some(hint) => format!("{self}\n  hint: {hint}"),
            None => self.to_string(),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Plan(e) => e.fmt(f),
            Error::Lookup(e) => e.fmt(f),
            Error::Store(e) => f.write_str(&e.message()),
            Error::Schedule(e) => e.fmt(f),
            Error::Option { option, reason, .. } => write!(f, "{option}: {reason}"),
            Error::Usage { message, .. } | Error::Refused { message, .. } => f.write_str(message),
            Error::Io { action, path, source, .. } => write!(f, "cannot {action} {}: {source}", path.display()),
        }
    }
}

impl std::error::Error for Error {}

fn lookup_hint(e: &LookupError) -> String {
    match e {
        LookupError::Ambiguous { .. } => "use the full id or the number from `roadmap list`".to_string(),
        LookupError::NotFound { suggestions, .. } if suggestions.is_empty() => {
            "`roadmap list` shows every task with its number and id".to_string()
        }
        LookupError::NotFound { suggestions, .. } => {
            format!("did you mean {}?", suggestions.iter().map(|s| format!("`{s}`")).collect::<Vec<_>>().join(" or "))
        }
        LookupError::NoSuchNumber { .. } => "`roadmap list` shows every task with its number".to_string(),
    }
}

fn schedule_hint(e: &ScheduleError) -> &'static str {
    match e {
        ScheduleError::NoCapacity { .. } => "give more hours with `roadmap config --hours mon-fri=2,sat-sun=4`",
        ScheduleError::TooLong { .. } => "give more hours with `roadmap config --hours …`, or skip tasks",
    }
}

impl From<PlanErrors> for Error {
    fn from(e: PlanErrors) -> Error {
        Error::Plan(e)
    }
}

impl From<LookupError> for Error {
    fn from(e: LookupError) -> Error {
        Error::Lookup(e)
    }
}

impl From<StoreError> for Error {
    fn from(e: StoreError) -> Error {
        Error::Store(e)
    }
}

impl From<ScheduleError> for Error {
    fn from(e: ScheduleError) -> Error {
        Error::Schedule(e)
    }
}

pub type Result<T> = std::result::Result<T, Error>;
