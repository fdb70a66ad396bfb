//! SQLite storage. Every function takes `&mut SqliteConnection` so the caller owns the
//! transaction; rows become domain types here and nowhere else.

pub mod accounts;
pub mod analysis;
pub mod api_tokens;
pub mod audit;
pub mod bank_accounts;
pub mod bank_import;
pub mod bank_preview;
pub mod bank_reconcile;
pub mod business;
pub mod cash_basis;
mod cash_twin;
pub mod check;
pub mod check_cash_basis;
mod check_corrections;
mod check_totals;
pub mod corrections;
pub mod credit_notes;
pub mod customer_archive;
pub mod customers;
pub mod dashboard;
pub mod demo;
pub mod documents;
pub mod email;
pub mod expense_void;
pub mod expenses;
pub mod export;
pub mod generate;
pub mod invoice_counts;
pub mod invoice_history;
pub mod invoice_links;
pub mod invoices;
pub mod items;
pub mod journal;
pub mod ledger;
mod ledger_rows;
pub mod listing;
pub mod numbering;
pub mod payment_batch;
pub mod payment_changes;
pub mod payment_detail;
pub mod payments;
pub mod pricing;
pub mod quotes;
pub mod recurring;
pub mod reports;
pub mod statements;
pub mod tax_rates;
pub mod team;
pub mod users;
pub mod vendors;

use anyhow::Context;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Sqlite, SqlitePool, Transaction};
use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

/// Opens (creating if missing) the database file and applies pending migrations.
pub async fn open(path: &Path) -> anyhow::Result<SqlitePool> {
    let url = format!("sqlite://{}", path.display());
    let options = SqliteConnectOptions::from_str(&url)
        .with_context(|| format!("bad database path {}", path.display()))?
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        // FULL: a payment the server has acknowledged survives a power cut.
        .synchronous(SqliteSynchronous::Full)
        .foreign_keys(true)
        .busy_timeout(Duration::from_secs(10));
    let pool = SqlitePoolOptions::new()
        .max_connections(8)
        .connect_with(options)
        .await
        .with_context(|| format!("cannot open database {}", path.display()))?;
    sqlx::migrate!("../migrations")
        .run(&pool)
        .await
        .context("cannot migrate the database")?;
    cash_basis::rebuild_if_missing(&pool)
        .await
        .context("cannot derive the cash-basis books")?;
    Ok(pool)
}

/// The version of the newest migration this build carries.
pub fn latest_migration() -> i64 {
    sqlx::migrate!("../migrations")
        .iter()
        .map(|m| m.version)
        .max()
        .unwrap_or(0)
}

/// Starts a write transaction that holds SQLite's write lock from the start, so a
/// read-then-write sequence (next invoice number, open balance) cannot be interleaved.
/// It first names `actor` as the one making the change, which the audit log records
/// beside every change the transaction makes.
pub async fn begin_write(pool: &SqlitePool, actor: &audit::Actor) -> sqlx::Result<WriteTx> {
    let mut tx = pool.begin_with("BEGIN IMMEDIATE").await?;
    audit::declare(&mut tx, actor).await?;
    Ok(WriteTx(tx))
}

/// A write transaction from `begin_write`. Committing first forgets its actor, so a later
/// write that names nobody is recorded as "unknown" rather than as this transaction's actor.
pub struct WriteTx(Transaction<'static, Sqlite>);

impl WriteTx {
    pub async fn commit(mut self) -> sqlx::Result<()> {
        audit::forget(&mut self.0).await?;
        self.0.commit().await
    }

    pub async fn rollback(self) -> sqlx::Result<()> {
        self.0.rollback().await
    }
}

impl std::ops::Deref for WriteTx {
    type Target = sqlx::SqliteConnection;

    fn deref(&self) -> &Self::Target {
        &self.0
    }
}

impl std::ops::DerefMut for WriteTx {
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut self.0
    }
}

/// The rows of a query that selects them as one JSON array of arrays (`json_group_array`).
/// sqlx hands each row from the database's thread to the caller on its own, a wake-up of
/// each thread per row; the payment writer's reads run to thousands of rows per batch, and
/// this makes them one.
pub async fn json_rows<T: serde::de::DeserializeOwned>(
    conn: &mut sqlx::SqliteConnection,
    query: sqlx::query::QueryScalar<'_, Sqlite, String, sqlx::sqlite::SqliteArguments>,
) -> anyhow::Result<Vec<T>> {
    let rows = query.fetch_one(conn).await?;
    Ok(serde_json::from_str(&rows)?)
}

/// Now, as stored in `created_at` columns.
pub fn now_text() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

/// Scaled integer ↔ decimal, for quantities and prices (scale 4) and rates (scale 2).
pub fn to_scaled(value: rust_decimal::Decimal, scale: u32) -> Option<i64> {
    let mut v = value;
    if v.scale() > scale {
        return None;
    }
    v.rescale(scale);
    i64::try_from(v.mantissa()).ok()
}

pub fn from_scaled(value: i64, scale: u32) -> rust_decimal::Decimal {
    rust_decimal::Decimal::new(value, scale).normalize()
}

/// A `LIKE` pattern that finds `search` anywhere, with `%`, `_` and backslash taken literally
/// (the queries declare backslash as the escape character), cut to a sensible length.
pub fn like_pattern(search: &str) -> String {
    let mut pattern = String::from("%");
    for ch in search.trim().chars().take(100) {
        if matches!(ch, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(ch);
    }
    pattern.push('%');
    pattern
}

/// A fresh, migrated database in a temporary directory, for store tests.
#[cfg(test)]
pub async fn test_db() -> SqlitePool {
    let dir = Box::leak(Box::new(
        tempfile::tempdir().expect("a temporary directory"),
    ));
    open(&dir.path().join("settle.sqlite"))
        .await
        .expect("a migrated database")
}
