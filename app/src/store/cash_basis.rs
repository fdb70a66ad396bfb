//! Deriving the cash-basis journal for books written before it existed, and checking the
//! stored one against a fresh derivation.

use super::ledger::{cash_twin, get_entry, insert_cash_postings};
use super::payments::invoice_settlement;
use crate::domain::cash_basis::cash_postings;
use crate::domain::{InvoiceId, Money, Posting};
use sqlx::{SqliteConnection, SqlitePool};

/// Derives the cash-basis twin of every entry once, when a database from before the cash
/// basis is first opened. New entries get their twin as they are posted.
pub async fn rebuild_if_missing(pool: &SqlitePool) -> anyhow::Result<()> {
    let mut tx = super::begin_write(pool).await?;
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

/// What an entry's cash-basis twin must be, from the accrual entry and what it settles.
pub async fn derive_twin(
    conn: &mut SqliteConnection,
    entry_id: i64,
    reverses: Option<i64>,
) -> anyhow::Result<Vec<Posting>> {
    if let Some(reversed) = reverses {
        return Ok(cash_twin(conn, reversed)
            .await?
            .into_iter()
            .map(|p| Posting {
                account: p.account,
                amount: -p.amount,
            })
            .collect());
    }
    let entry = get_entry(conn, entry_id).await?;
    let allocations: Vec<(i64, i64, i64)> = sqlx::query_as(
        "SELECT a.invoice_id, a.amount_minor, a.id FROM allocations a JOIN payments p ON p.id = a.payment_id
         WHERE p.entry_id = ? ORDER BY a.id",
    )
    .bind(entry_id)
    .fetch_all(&mut *conn)
    .await?;
    let mut settlements = Vec::new();
    let currency = entry.currency();
    for (invoice, minor, allocation) in allocations {
        let amount = Money::from_minor(minor, currency);
        settlements
            .push(invoice_settlement(conn, InvoiceId(invoice), amount, Some(allocation)).await?);
    }
    let bill_payments: Vec<(i64, i64, i64, i64)> = sqlx::query_as(
        "SELECT e.entry_id, b.amount_minor, b.bill_id, b.id FROM bill_payments b JOIN expenses e ON e.id = b.bill_id
         WHERE b.entry_id = ?",
    )
    .bind(entry_id)
    .fetch_all(&mut *conn)
    .await?;
    for (bill_entry, minor, bill, payment) in bill_payments {
        let amount = Money::from_minor(minor, currency);
        settlements.push(
            super::expenses::bill_settlement(conn, bill, bill_entry, amount, Some(payment)).await?,
        );
    }
    Ok(cash_postings(entry.postings(), &settlements)?)
}
