//! The imperative shell: the only code that touches the world (clock,
//! environment, terminal, files). Commands reach the state and the plan
//! through the session; the core never sees any of this.

pub mod atomic;
pub mod cache;
pub mod context;
pub mod error;
pub mod fault;
pub mod loaded;
pub mod plan_source;
pub mod session;
pub mod snapshot;
pub mod store;
pub mod teardown;
pub mod terminal;
