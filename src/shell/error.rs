//! Every way a command can fail, and the exit code each one gives.

use crate::core::plan::{LookupError, PlanErrors};
use crate::core::schedule::ScheduleError;
use crate::shell::store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{0}")]
    Plan(PlanErrors),
    #[error("{0}")]
    Lookup(#[from] LookupError),
    #[error("{0}")]
    Store(#[from] StoreError),
    #[error("{0}")]
    Schedule(#[from] ScheduleError),
    /// The command line asks for something impossible (a bad date, hours).
    #[error("{0}")]
    Usage(String),
    /// The request is well-formed but cannot be done with this data.
    #[error("{0}")]
    Failed(String),
}

impl From<PlanErrors> for Error {
    fn from(e: PlanErrors) -> Error {
        Error::Plan(e)
    }
}

impl Error {
    /// 2 for bad usage (as clap's own errors), 1 for everything else.
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Usage(_) => 2,
            _ => 1,
        }
    }
}

pub type Result<T> = std::result::Result<T, Error>;
