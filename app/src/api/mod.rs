//! Server functions, one file per aggregate. Each checks the session, parses the input into
//! domain types, runs one store transaction, publishes a change and maps errors.

pub mod accounts;
pub mod analysis;
pub mod api_tokens;
pub mod audit;
pub mod auth;
pub mod bank;
pub mod bank_accounts;
pub mod bank_types;
pub mod books;
#[cfg(feature = "ssr")]
pub mod context;
pub mod credit_notes;
pub mod customer_archive;
pub mod customers;
pub mod documents;
pub mod email;
pub mod error;
pub mod expenses;
pub mod invoice_links;
pub mod invoices;
pub mod items;
#[cfg(feature = "ssr")]
pub mod mailer;
pub mod parse;
pub mod payment_changes;
#[cfg(feature = "ssr")]
pub mod payment_writer;
pub mod payments;
pub mod quotes;
pub mod recurring;
pub mod reports;
pub mod settings;
pub mod statements;
pub mod tax_rates;
pub mod team;
pub mod types;
pub mod vendors;

pub use error::{AppError, FieldErrors};
