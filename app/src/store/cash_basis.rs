//! Deriving the cash-basis journal for books written before it existed, and checking the
//! stored one against a fresh derivation.

use super::ledger::{cash_twin, composition, compositions, get_entry, insert_cash_postings};
use super::payments::invoice_settlement;
use crate::domain::cash_basis::{cash_postings, credit_note_twin, InvoiceEvent};
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
    let credit_note: Option<i64> =
        sqlx::query_scalar("SELECT invoice_id FROM credit_notes WHERE entry_id = ?")
            .bind(entry_id)
            .fetch_optional(&mut *conn)
            .await?;
    if let Some(invoice) = credit_note {
        let issue_entry: i64 =
            sqlx::query_scalar("SELECT issue_entry_id FROM invoices WHERE id = ?")
                .bind(invoice)
                .fetch_one(&mut *conn)
                .await?;
        let composition = composition(conn, issue_entry).await?;
        let history = invoice_history(conn, InvoiceId(invoice), Some((entry_id, 0))).await?;
        let credit = composition_of_credit(conn, entry_id).await?;
        return Ok(credit_note_twin(&composition, &history, &credit));
    }
    if let Some(twin) = super::payment_changes::reversal_twin_of_entry(conn, entry_id).await? {
        return Ok(twin);
    }
    let entry = get_entry(conn, entry_id).await?;
    let allocations: Vec<(i64, i64, i64)> = sqlx::query_as(
        "SELECT a.invoice_id, a.amount_minor, a.id FROM allocations a JOIN payments p ON p.id = a.payment_id
         WHERE COALESCE(a.entry_id, p.entry_id) = ? ORDER BY a.id",
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

/// A credit note entry's revenue and tax postings (its entry without receivables).
async fn composition_of_credit(
    conn: &mut SqliteConnection,
    entry_id: i64,
) -> anyhow::Result<Vec<Posting>> {
    composition(conn, entry_id).await
}

/// What happened to an invoice that matters to the cash basis, in the order it was posted:
/// each payment's allocation and each credit note. With `before` (an entry and an
/// allocation id), only what was posted before it; with `None`, everything so far.
pub async fn invoice_history(
    conn: &mut SqliteConnection,
    invoice: InvoiceId,
    before: Option<(i64, i64)>,
) -> anyhow::Result<Vec<InvoiceEvent>> {
    let currency: String = sqlx::query_scalar("SELECT currency FROM invoices WHERE id = ?")
        .bind(invoice.0)
        .fetch_one(&mut *conn)
        .await?;
    let currency = Currency::parse(&currency)?;
    invoice_history_in(conn, invoice, currency, before).await
}

/// `invoice_history` for a caller that has already read the invoice's currency.
pub async fn invoice_history_in(
    conn: &mut SqliteConnection,
    invoice: InvoiceId,
    currency: Currency,
    before: Option<(i64, i64)>,
) -> anyhow::Result<Vec<InvoiceEvent>> {
    Ok(invoice_histories(conn, &[(invoice, currency)], before)
        .await?
        .remove(&invoice)
        .unwrap_or_default())
}

/// `invoice_history` of several invoices (each with its currency) in two queries, however
/// many there are: a batch of payments reads those of every invoice it settles.
pub async fn invoice_histories(
    conn: &mut SqliteConnection,
    invoices: &[(InvoiceId, Currency)],
    before: Option<(i64, i64)>,
) -> anyhow::Result<HashMap<InvoiceId, Vec<InvoiceEvent>>> {
    let (entry, allocation) = before.unwrap_or((i64::MAX, i64::MAX));
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
                -- a payment reversed before this point no longer counts: its reversal mirrored
                -- what it recognised
                WHERE a.invoice_id IN (SELECT value FROM json_each(?1))
                    AND (r.entry_id IS NULL OR r.entry_id >= ?2)
            UNION ALL
            SELECT c.invoice_id, 'credited', c.entry_id, 0, c.total_minor FROM credit_notes c
                WHERE c.invoice_id IN (SELECT value FROM json_each(?1)))
         WHERE entry_id < ?2 OR (entry_id = ?2 AND kind = 'paid' AND id < ?3)",
        )
        .bind(serde_json::json!(ids).to_string())
        .bind(entry)
        .bind(allocation),
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
