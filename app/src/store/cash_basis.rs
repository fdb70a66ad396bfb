//! Deriving the cash-basis journal for books written before it existed, one entry at a time.

use super::cash_twin::Database;
use super::ledger::{get_entry, insert_cash_postings};
use crate::domain::Posting;
use sqlx::{SqliteConnection, SqlitePool};

/// Derives the cash-basis twin of every entry once, when a database from before the cash
/// basis is first opened. New entries get their twin as they are posted.
pub async fn rebuild_if_missing(pool: &SqlitePool) -> anyhow::Result<()> {
    let mut tx = super::begin_write(pool, &super::audit::Actor::System).await?;
    let ready: i64 = sqlx::query_scalar("SELECT cash_basis_ready FROM business WHERE id = 1")
        .fetch_one(&mut *tx)
        .await?;
    if ready == 1 {
        return Ok(());
    }
    let ids: Vec<(i64, Option<i64>)> =
        sqlx::query_as("SELECT id, reverses FROM journal_entries ORDER BY id")
            .fetch_all(&mut *tx)
            .await?;
    for (id, reverses) in ids {
        let twin = derive_twin(&mut tx, id, reverses).await?;
        let entry = get_entry(&mut tx, id).await?;
        insert_cash_postings(&mut tx, id, entry.date, &twin).await?;
    }
    sqlx::query("UPDATE business SET cash_basis_ready = 1 WHERE id = 1")
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(())
}

/// What an entry's cash-basis twin must be, from the accrual entry and what it settles, read
/// one query at a time (see `cash_twin` for the steps; `settle check` reads them in bulk).
pub async fn derive_twin(
    conn: &mut SqliteConnection,
    entry_id: i64,
    reverses: Option<i64>,
) -> anyhow::Result<Vec<Posting>> {
    super::cash_twin::expected_twin(&mut Database(conn), entry_id, reverses).await
}
