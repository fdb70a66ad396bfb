//! Reading a [`Chunk`]: its entries, then what they post and settle (by the range of their
//! ids), then the documents and the entries outside the chunk those refer to (by lists of
//! ids). Every key is read whether or not the database has rows for it, so a missing row
//! reads as the one-query lookup's answer, never as a fact not read.

use super::chunk::{Chunk, ChunkEntry, EntryRows};
use super::chunk_queries::{
    grouped, id_list, listed, ranged, ALLOCATIONS, BILL_PAID, BILL_PAYMENTS, CASH_POSTINGS,
    CREDIT_NOTES, INVOICES, INVOICE_ROWS, OUTSIDE_CASH_POSTINGS, OUTSIDE_ENTRIES, OUTSIDE_POSTINGS,
    PAYMENT_ENTRIES, POSTINGS, REVERSALS,
};
use super::database::{allocation_row, bill_payment_row, invoice_row};
use super::InvoiceRowKind::Credited;
use sqlx::SqliteConnection;
use std::collections::BTreeSet;

impl Chunk {
    /// Up to `size` entries with ids after `after`, with what their twins are derived from;
    /// `None` past the last entry.
    pub(crate) async fn read(
        conn: &mut SqliteConnection,
        after: i64,
        size: i64,
    ) -> anyhow::Result<Option<Chunk>> {
        let mut chunk = Chunk::default();
        chunk.read_entries(conn, after, size).await?;
        if chunk.entries.is_empty() {
            return Ok(None);
        }
        let (first, last) = chunk.range();
        let postings = ranged(conn, POSTINGS, first, last).await?;
        chunk.add_postings(postings, Posted::Accrual);
        let cash = ranged(conn, CASH_POSTINGS, first, last).await?;
        chunk.add_postings(cash, Posted::Cash);
        chunk.read_settled(conn, first, last).await?;
        chunk.read_documents(conn).await?;
        chunk.read_outside(conn).await?;
        Ok(Some(chunk))
    }

    /// The id of the chunk's last entry, after which the next chunk starts.
    pub(crate) fn last(&self) -> i64 {
        self.range().1
    }

    async fn read_entries(
        &mut self,
        conn: &mut SqliteConnection,
        after: i64,
        size: i64,
    ) -> sqlx::Result<()> {
        let rows: Vec<(i64, Option<i64>, String, String, String)> = sqlx::query_as(
            "SELECT id, reverses, source, currency, date FROM journal_entries
             WHERE id > ? ORDER BY id LIMIT ?",
        )
        .bind(after)
        .bind(size)
        .fetch_all(&mut *conn)
        .await?;
        for (id, reverses, source, currency, date) in rows {
            self.entries.push(ChunkEntry {
                id,
                reverses,
                source,
            });
            let rows = EntryRows {
                currency,
                date,
                postings: Some(Vec::new()),
                cash: Some(Vec::new()),
            };
            self.journal.insert(id, Some(rows));
        }
        Ok(())
    }

    /// Postings of the entries read, into the lists they were read for (postings of an entry
    /// that does not exist are never asked for).
    fn add_postings(&mut self, rows: Vec<(i64, String, i64)>, posted: Posted) {
        for (entry, code, minor) in rows {
            let Some(Some(rows)) = self.journal.get_mut(&entry) else {
                continue;
            };
            let list = match posted {
                Posted::Accrual => &mut rows.postings,
                Posted::Cash => &mut rows.cash,
            };
            if let Some(list) = list {
                list.push((code, minor));
            }
        }
    }

    /// The credit notes, reversals, allocations and bill payments the chunk's entries posted.
    async fn read_settled(
        &mut self,
        conn: &mut SqliteConnection,
        first: i64,
        last: i64,
    ) -> sqlx::Result<()> {
        self.credit_notes = ranged::<(i64, i64)>(conn, CREDIT_NOTES, first, last)
            .await?
            .into_iter()
            .collect();
        // Ordered by id, so an entry that (wrongly) reversed two payments names the first, as
        // a lookup of one row would.
        for (entry, payment) in ranged::<(i64, i64)>(conn, REVERSALS, first, last).await? {
            self.reversals.entry(entry).or_insert(payment);
        }
        let allocations: Vec<(i64, i64, i64, i64)> = ranged(conn, ALLOCATIONS, first, last).await?;
        for (entry, invoice, amount_minor, id) in allocations {
            let row = allocation_row((invoice, amount_minor, id));
            self.allocations.entry(entry).or_default().push(row);
        }
        let bill_payments: Vec<(i64, i64, i64, i64, i64)> =
            ranged(conn, BILL_PAYMENTS, first, last).await?;
        for (entry, bill, bill_entry, amount_minor, id) in bill_payments {
            let row = bill_payment_row((bill, bill_entry, amount_minor, id));
            self.bill_payments.entry(entry).or_default().push(row);
        }
        Ok(())
    }

    /// The invoices credited or paid, the bills paid and the payments reversed in the chunk.
    async fn read_documents(&mut self, conn: &mut SqliteConnection) -> sqlx::Result<()> {
        let invoices: BTreeSet<i64> = (self.credit_notes.values().copied())
            .chain(self.allocations.values().flatten().map(|a| a.invoice))
            .collect();
        self.invoices = invoices.iter().map(|id| (*id, None)).collect();
        let rows: Vec<(i64, Option<i64>, String)> =
            listed(conn, INVOICES, &id_list(&invoices)).await?;
        for (id, issue_entry, currency) in rows {
            self.invoices.insert(id, Some((issue_entry, currency)));
        }
        self.invoice_rows = grouped(conn, INVOICE_ROWS, &invoices, |row: InvoiceRowOf| {
            let (invoice, entry, allocation, amount, reversed_by) = row;
            (
                invoice,
                invoice_row((entry, allocation, amount, reversed_by)),
            )
        })
        .await?;
        let bills = (self.bill_payments.values().flatten())
            .map(|b| b.bill)
            .collect();
        self.bill_paid = grouped(conn, BILL_PAID, &bills, |(bill, id, minor)| {
            (bill, (id, minor))
        })
        .await?;
        let payments = self.reversals.values().copied().collect();
        self.payment_entries = grouped(conn, PAYMENT_ENTRIES, &payments, |row| row).await?;
        Ok(())
    }

    /// The entries outside the chunk that its entries refer to: the postings of the
    /// invoices', bills' and credit notes' entries, and the stored twins of the entries
    /// reversed and of the reversed payments' entries.
    async fn read_outside(&mut self, conn: &mut SqliteConnection) -> sqlx::Result<()> {
        let (compositions, twins) = self.outside_needs();
        let all: BTreeSet<i64> = compositions.union(&twins).copied().collect();
        for id in &all {
            self.journal.insert(*id, None);
        }
        let rows: Vec<(i64, String, String)> =
            listed(conn, OUTSIDE_ENTRIES, &id_list(&all)).await?;
        for (id, currency, date) in rows {
            let rows = EntryRows {
                postings: compositions.contains(&id).then(Vec::new),
                cash: twins.contains(&id).then(Vec::new),
                currency,
                date,
            };
            self.journal.insert(id, Some(rows));
        }
        let postings = listed(conn, OUTSIDE_POSTINGS, &id_list(&compositions)).await?;
        self.add_postings(postings, Posted::Accrual);
        let cash = listed(conn, OUTSIDE_CASH_POSTINGS, &id_list(&twins)).await?;
        self.add_postings(cash, Posted::Cash);
        Ok(())
    }

    /// The entries outside the chunk whose postings (for a composition) and whose stored twin
    /// its entries' twins are derived from.
    fn outside_needs(&self) -> (BTreeSet<i64>, BTreeSet<i64>) {
        let (first, last) = self.range();
        let outside = |id: &i64| !(first..=last).contains(id);
        let credit_notes = (self.invoice_rows.values().flatten())
            .filter(|row| matches!(row.kind, Credited))
            .map(|row| row.entry);
        let compositions = (self.invoices.values().flatten())
            .filter_map(|invoice| invoice.0)
            .chain(credit_notes)
            .chain(self.bill_payments.values().flatten().map(|b| b.bill_entry))
            .filter(outside)
            .collect();
        let twins = (self.entries.iter().filter_map(|e| e.reverses))
            .chain(self.payment_entries.values().flatten().copied())
            .filter(outside)
            .collect();
        (compositions, twins)
    }
}

/// An invoice row as read: the invoice, the entry, the allocation id (0 for a credit note),
/// an allocation's amount and the entry that reversed its payment.
type InvoiceRowOf = (i64, i64, i64, Option<i64>, Option<i64>);

#[derive(Clone, Copy)]
enum Posted {
    Accrual,
    Cash,
}
