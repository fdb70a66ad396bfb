//! The `settle` binary's library: command line, start-up, routes, live updates, embedded
//! assets. `startup::router` builds the whole app without a socket, for tests.

#![recursion_limit = "512"]

pub mod api_v1;
pub mod assets;
pub mod auth;
pub mod backup;
pub mod bank_import;
pub mod bench;
pub mod cli;
pub mod commands;
pub mod documents;
pub mod downloads;
pub mod events;
pub mod limits;
pub mod pdf;
pub mod reporting;
pub mod scheduler;
pub mod shared_invoice;
pub mod startup;
pub mod status;
pub mod telemetry;
