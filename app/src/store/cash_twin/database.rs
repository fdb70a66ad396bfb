//! The facts of a twin read one query at a time: what posting needs for the one entry it
//! writes, and re-deriving a single entry.

use super::{AllocationRow, BillPaymentRow, InvoiceRow, InvoiceRowKind, TwinFacts};
use crate::domain::{Currency, JournalEntry, Posting};
use crate::store::{ledger, payment_changes};
use sqlx::SqliteConnection;

/// Reads each fact from the database as it is asked for, in the caller's transaction.
pub(crate) struct Database<'c>(pub &'c mut SqliteConnection);

impl TwinFacts for Database<'_> {
    async fn stored_twin(&mut self, entry: i64) -> anyhow::Result<Vec<Posting>> {
        ledger::cash_twin(self.0, entry).await
    }

    async fn entry(&mut self, entry: i64) -> anyhow::Result<JournalEntry> {
        ledger::get_entry(self.0, entry).await
    }

    async fn composition(&mut self, entry: i64) -> anyhow::Result<Vec<Posting>> {
        ledger::composition(self.0, entry).await
    }

    async fn credited_invoice(&mut self, entry: i64) -> anyhow::Result<Option<i64>> {
        Ok(
            sqlx::query_scalar("SELECT invoice_id FROM credit_notes WHERE entry_id = ?")
                .bind(entry)
                .fetch_optional(&mut *self.0)
                .await?,
        )
    }

    async fn reversed_payment(&mut self, entry: i64) -> anyhow::Result<Option<i64>> {
        Ok(
            sqlx::query_scalar("SELECT payment_id FROM payment_reversals WHERE entry_id = ?")
                .bind(entry)
                .fetch_optional(&mut *self.0)
                .await?,
        )
    }

    async fn payment_entries(&mut self, payment: i64) -> anyhow::Result<Vec<i64>> {
        Ok(payment_changes::payment_entries(self.0, payment).await?)
    }

    async fn invoice(&mut self, invoice: i64) -> anyhow::Result<(i64, Currency)> {
        let (issue_entry, currency): (i64, String) =
            sqlx::query_as("SELECT issue_entry_id, currency FROM invoices WHERE id = ?")
                .bind(invoice)
                .fetch_one(&mut *self.0)
                .await?;
        Ok((issue_entry, Currency::parse(&currency)?))
    }

    async fn invoice_rows(&mut self, invoice: i64) -> anyhow::Result<Vec<InvoiceRow>> {
        let rows: Vec<(i64, i64, Option<i64>, Option<i64>)> = sqlx::query_as(
            "SELECT COALESCE(a.entry_id, p.entry_id), a.id, a.amount_minor, r.entry_id
             FROM allocations a JOIN payments p ON p.id = a.payment_id
             LEFT JOIN payment_reversals r ON r.payment_id = a.payment_id
             WHERE a.invoice_id = ?1
             UNION ALL
             SELECT entry_id, 0, NULL, NULL FROM credit_notes WHERE invoice_id = ?1",
        )
        .bind(invoice)
        .fetch_all(&mut *self.0)
        .await?;
        Ok(rows.into_iter().map(invoice_row).collect())
    }

    async fn allocations(&mut self, entry: i64) -> anyhow::Result<Vec<AllocationRow>> {
        let rows: Vec<(i64, i64, i64)> = sqlx::query_as(
            "SELECT a.invoice_id, a.amount_minor, a.id FROM allocations a
             JOIN payments p ON p.id = a.payment_id
             WHERE COALESCE(a.entry_id, p.entry_id) = ? ORDER BY a.id",
        )
        .bind(entry)
        .fetch_all(&mut *self.0)
        .await?;
        Ok(rows.into_iter().map(allocation_row).collect())
    }

    async fn bill_payments(&mut self, entry: i64) -> anyhow::Result<Vec<BillPaymentRow>> {
        let rows: Vec<(i64, i64, i64, i64)> = sqlx::query_as(
            "SELECT b.bill_id, e.entry_id, b.amount_minor, b.id FROM bill_payments b
             JOIN expenses e ON e.id = b.bill_id WHERE b.entry_id = ?",
        )
        .bind(entry)
        .fetch_all(&mut *self.0)
        .await?;
        Ok(rows.into_iter().map(bill_payment_row).collect())
    }

    async fn bill_paid(&mut self, bill: i64) -> anyhow::Result<Vec<(i64, i64)>> {
        Ok(sqlx::query_as(
            "SELECT id, amount_minor FROM bill_payments WHERE bill_id = ? ORDER BY id",
        )
        .bind(bill)
        .fetch_all(&mut *self.0)
        .await?)
    }
}

/// An allocation row from (invoice, minor units, id).
pub(super) fn allocation_row((invoice, amount_minor, id): (i64, i64, i64)) -> AllocationRow {
    AllocationRow {
        invoice,
        amount_minor,
        id,
    }
}

/// An invoice row from (entry, allocation id or 0, amount if an allocation, its payment's
/// reversal entry).
pub(super) fn invoice_row(
    (entry, allocation, amount, reversed_by): (i64, i64, Option<i64>, Option<i64>),
) -> InvoiceRow {
    let kind = match amount {
        Some(amount_minor) => InvoiceRowKind::Paid {
            amount_minor,
            reversed_by,
        },
        None => InvoiceRowKind::Credited,
    };
    InvoiceRow {
        entry,
        allocation,
        kind,
    }
}

/// A bill payment row from (bill, bill's entry, minor units, id).
pub(super) fn bill_payment_row(
    (bill, bill_entry, amount_minor, id): (i64, i64, i64, i64),
) -> BillPaymentRow {
    BillPaymentRow {
        bill,
        bill_entry,
        amount_minor,
        id,
    }
}
