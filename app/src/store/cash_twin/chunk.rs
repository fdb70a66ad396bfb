//! A chunk of consecutive journal entries with every stored fact their twins are derived
//! from, read at once (see `chunk_read`), so `settle check` asks the database a dozen times
//! per few thousand entries instead of about ten times per entry.

use super::{AllocationRow, BillPaymentRow, InvoiceRow, TwinFacts};
use crate::domain::{Currency, JournalEntry, Posting};
use crate::store::ledger_rows::{composition_from, entry_from, postings_in};
use chrono::NaiveDate;
use std::collections::HashMap;

/// A fact the chunk was not read with. It is a mistake in what `chunk_read` reads, never a
/// problem of the books, so the check stops on it instead of skipping the entry.
#[derive(Debug, thiserror::Error)]
#[error("{0} {1}: not read with its chunk of journal entries")]
pub(crate) struct NotRead(pub &'static str, pub i64);

/// One journal entry of the chunk.
#[derive(Debug)]
pub(crate) struct ChunkEntry {
    pub id: i64,
    pub reverses: Option<i64>,
    pub source: String,
}

/// A journal entry's row, its postings and its stored cash-basis postings, in posting order;
/// `None` for those not read (an entry outside the chunk is read for what is asked of it).
#[derive(Debug, Default)]
pub(super) struct EntryRows {
    pub currency: String,
    pub date: String,
    pub postings: Option<Vec<(String, i64)>>,
    pub cash: Option<Vec<(String, i64)>>,
}

impl EntryRows {
    fn postings(&self, entry: i64) -> Result<&[(String, i64)], NotRead> {
        self.postings
            .as_deref()
            .ok_or(NotRead("the postings of journal entry", entry))
    }
}

/// The facts, keyed as the queries of [`super::Database`] ask for them. A key that is
/// present was read (an empty list or `None` means the database has nothing for it).
#[derive(Debug, Default)]
pub(crate) struct Chunk {
    pub(super) entries: Vec<ChunkEntry>,
    /// The chunk's entries, and those outside it that they refer to.
    pub(super) journal: HashMap<i64, Option<EntryRows>>,
    /// Per entry of the chunk: the invoice it credits, the payment it reverses, what it settles.
    pub(super) credit_notes: HashMap<i64, i64>,
    pub(super) reversals: HashMap<i64, i64>,
    pub(super) allocations: HashMap<i64, Vec<AllocationRow>>,
    pub(super) bill_payments: HashMap<i64, Vec<BillPaymentRow>>,
    /// Per invoice referred to: its issue entry (if issued) and currency.
    pub(super) invoices: HashMap<i64, Option<(Option<i64>, String)>>,
    pub(super) invoice_rows: HashMap<i64, Vec<InvoiceRow>>,
    /// Per bill paid in the chunk, per payment reversed in it.
    pub(super) bill_paid: HashMap<i64, Vec<(i64, i64)>>,
    pub(super) payment_entries: HashMap<i64, Vec<i64>>,
}

impl Chunk {
    /// The chunk's entries, in id order.
    pub(crate) fn entries(&self) -> &[ChunkEntry] {
        &self.entries
    }

    /// The id of the chunk's first and last entry.
    pub(super) fn range(&self) -> (i64, i64) {
        let first = self.entries.first().map_or(0, |e| e.id);
        (first, self.entries.last().map_or(0, |e| e.id))
    }

    /// An entry's stored cash-basis postings as (account, minor units).
    pub(crate) fn stored_rows(&self, entry: i64) -> &[(String, i64)] {
        match self.journal.get(&entry) {
            Some(Some(rows)) => rows.cash.as_deref().unwrap_or_default(),
            _ => &[],
        }
    }

    fn rows(&self, entry: i64) -> anyhow::Result<&EntryRows> {
        let (first, last) = self.range();
        match self.journal.get(&entry) {
            Some(Some(rows)) => Ok(rows),
            Some(None) => anyhow::bail!("journal entry {entry} not found"),
            // Every existing entry of the range is read, so one missing from it does not exist.
            None if (first..=last).contains(&entry) => {
                anyhow::bail!("journal entry {entry} not found")
            }
            None => Err(NotRead("journal entry", entry).into()),
        }
    }

    /// A fact about an entry, read for every entry of the chunk and none other.
    fn of_entry<'a, T>(
        &self,
        map: &'a HashMap<i64, T>,
        entry: i64,
    ) -> anyhow::Result<Option<&'a T>> {
        let (first, last) = self.range();
        if !(first..=last).contains(&entry) {
            return Err(NotRead("what was posted with journal entry", entry).into());
        }
        Ok(map.get(&entry))
    }
}

/// A fact read for the documents the chunk refers to.
fn read<'a, T>(map: &'a HashMap<i64, T>, what: &'static str, id: i64) -> anyhow::Result<&'a T> {
    map.get(&id).ok_or_else(|| NotRead(what, id).into())
}

impl TwinFacts for Chunk {
    async fn stored_twin(&mut self, entry: i64) -> anyhow::Result<Vec<Posting>> {
        let rows = self.rows(entry)?;
        let currency = Currency::parse(&rows.currency)?;
        let cash = rows
            .cash
            .as_ref()
            .ok_or(NotRead("the stored twin of journal entry", entry))?;
        Ok(postings_in(currency, cash.clone()))
    }

    async fn entry(&mut self, entry: i64) -> anyhow::Result<JournalEntry> {
        let rows = self.rows(entry)?;
        // Read as sqlx reads a date column, so a date it cannot read is refused here too.
        let date = NaiveDate::parse_from_str(&rows.date, "%F")?;
        let postings = rows.postings(entry)?.to_vec();
        entry_from(date, String::new(), &rows.currency, postings)
    }

    async fn composition(&mut self, entry: i64) -> anyhow::Result<Vec<Posting>> {
        let rows = self.rows(entry)?;
        composition_from(&rows.currency, rows.postings(entry)?.to_vec())
    }

    async fn credited_invoice(&mut self, entry: i64) -> anyhow::Result<Option<i64>> {
        Ok(self.of_entry(&self.credit_notes, entry)?.copied())
    }

    async fn reversed_payment(&mut self, entry: i64) -> anyhow::Result<Option<i64>> {
        Ok(self.of_entry(&self.reversals, entry)?.copied())
    }

    async fn payment_entries(&mut self, payment: i64) -> anyhow::Result<Vec<i64>> {
        Ok(read(&self.payment_entries, "payment", payment)?.clone())
    }

    async fn invoice(&mut self, invoice: i64) -> anyhow::Result<(i64, Currency)> {
        match read(&self.invoices, "invoice", invoice)? {
            Some((Some(issue_entry), currency)) => Ok((*issue_entry, Currency::parse(currency)?)),
            Some((None, _)) => anyhow::bail!("invoice {invoice} was never issued"),
            None => anyhow::bail!("invoice {invoice} not found"),
        }
    }

    async fn invoice_rows(&mut self, invoice: i64) -> anyhow::Result<Vec<InvoiceRow>> {
        Ok(read(&self.invoice_rows, "invoice", invoice)?.clone())
    }

    async fn allocations(&mut self, entry: i64) -> anyhow::Result<Vec<AllocationRow>> {
        Ok(self
            .of_entry(&self.allocations, entry)?
            .cloned()
            .unwrap_or_default())
    }

    async fn bill_payments(&mut self, entry: i64) -> anyhow::Result<Vec<BillPaymentRow>> {
        Ok(self
            .of_entry(&self.bill_payments, entry)?
            .cloned()
            .unwrap_or_default())
    }

    async fn bill_paid(&mut self, bill: i64) -> anyhow::Result<Vec<(i64, i64)>> {
        Ok(read(&self.bill_paid, "bill", bill)?.clone())
    }
}
