//! The imperative shell: everything that touches the world.

pub mod app;
pub mod cache;
pub mod snapshot;
pub mod store;
