//! Server functions, one file per aggregate. Each checks the session, parses the input into
//! domain types, runs one store transaction, publishes a change and maps errors.

pub mod accounts;
pub mod analysis;
pub mod auth;
pub mod books;
#[cfg(feature = "ssr")]
pub mod context;
pub mod customers;
pub mod error;
pub mod expenses;
pub mod invoices;
pub mod parse;
#[cfg(feature = "ssr")]
pub mod payment_writer;
pub mod payments;
pub mod reports;
pub mod statements;
pub mod types;

pub use error::{AppError, FieldErrors};
