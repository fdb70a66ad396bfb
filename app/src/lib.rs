//! Settle's application: the accounting rules (`domain`), the server functions (`api`),
//! the SQLite store (`store`, server only) and the pages (`ui`).

#![recursion_limit = "512"]

pub mod api;
pub mod domain;
#[cfg(feature = "ssr")]
pub mod store;
pub mod ui;

pub use ui::{shell, App};
