//! The imperative shell: the only code that touches the world (clock,
//! environment, terminal, files). Commands reach the state and the plan
//! through the session; the core never sees any of this.

#![allow(clippy::disallowed_methods, clippy::disallowed_macros)]

pub mod alloc;
pub(crate) mod atomic;
pub(crate) mod cache;
pub mod context;
pub mod error;
pub(crate) mod fault;
pub(crate) mod files;
pub(crate) mod git;
pub(crate) mod loaded;
pub mod plan_source;
pub mod process;
pub(crate) mod session;
pub(crate) mod snapshot;
pub mod store;
pub(crate) mod teardown;
pub mod terminal;
