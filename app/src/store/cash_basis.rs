//! Deriving the cash-basis journal for books written before it existed, one entry at a time.

use super::cash_twin::Database;
use super::ledger::{compositions, get_entry, insert_cash_postings};
use crate::domain::cash_basis::InvoiceEvent;
use crate::domain::{Currency, InvoiceId, Money, Posting};
use sqlx::{SqliteConnection, SqlitePool};
use std::collections::HashMap;

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

/// What has happened so far to each of several invoices (each with its currency) that matters
/// to the cash basis, in the order it was posted: each payment's allocation (but not of a
/// payment since reversed: its reversal mirrored what it recognised) and each credit note.
/// Two queries however many invoices: a batch of payments reads those of every invoice it
/// settles (`store::payment_batch`). `cash_twin` reads the same history as of an earlier
/// point, to re-derive an entry already posted.
pub async fn invoice_histories(
    conn: &mut SqliteConnection,
    invoices: &[(InvoiceId, Currency)],
) -> anyhow::Result<HashMap<InvoiceId, Vec<InvoiceEvent>>> {
    let ids: Vec<i64> = invoices.iter().map(|(invoice, _)| invoice.0).collect();
    let rows: Vec<(i64, String, i64, i64, i64)> = super::json_rows(
        conn,
        sqlx::query_scalar(
            "SELECT json_group_array(json_array(invoice_id, kind, entry_id, id, amount)
                ORDER BY invoice_id, entry_id, id)
             FROM (
                SELECT a.invoice_id, 'paid' AS kind, COALESCE(a.entry_id, p.entry_id) AS entry_id,
                    a.id, a.amount_minor AS amount FROM allocations a
                    JOIN payments p ON p.id = a.payment_id
                    LEFT JOIN payment_reversals r ON r.payment_id = a.payment_id
                    WHERE a.invoice_id IN (SELECT value FROM json_each(?1)) AND r.entry_id IS NULL
                UNION ALL
                SELECT c.invoice_id, 'credited', c.entry_id, 0, c.total_minor FROM credit_notes c
                    WHERE c.invoice_id IN (SELECT value FROM json_each(?1)))",
        )
        .bind(serde_json::json!(ids).to_string()),
    )
    .await?;
    let credit_entries: Vec<i64> = rows
        .iter()
        .filter(|(_, kind, ..)| kind != "paid")
        .map(|(_, _, entry_id, ..)| *entry_id)
        .collect();
    let mut credits = if credit_entries.is_empty() {
        HashMap::new()
    } else {
        compositions(conn, &credit_entries).await?
    };
    let currencies: HashMap<InvoiceId, Currency> = invoices.iter().copied().collect();
    let mut histories: HashMap<InvoiceId, Vec<InvoiceEvent>> = HashMap::new();
    for (invoice, kind, entry_id, _, minor) in rows {
        let invoice = InvoiceId(invoice);
        let currency = currencies
            .get(&invoice)
            .copied()
            .ok_or_else(|| anyhow::anyhow!("invoice {} has no currency", invoice.0))?;
        histories
            .entry(invoice)
            .or_default()
            .push(match kind.as_str() {
                "paid" => InvoiceEvent::Paid(Money::from_minor(minor, currency)),
                _ => InvoiceEvent::Credited(credits.remove(&entry_id).unwrap_or_default()),
            });
    }
    Ok(histories)
}
