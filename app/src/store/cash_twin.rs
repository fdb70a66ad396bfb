//! What an entry's cash-basis twin must be, from its accrual entry and what it settles. The
//! steps read their facts through [`TwinFacts`]: posting and re-deriving one entry read them
//! one query at a time ([`Database`]), `settle check` from a few thousand entries read at
//! once ([`Chunk`]). Both take the same steps, so they cannot disagree about a twin.

mod chunk;
mod chunk_queries;
mod chunk_read;
mod database;

pub(crate) use chunk::{Chunk, NotRead};
pub(crate) use database::Database;

use crate::domain::cash_basis::{
    cash_postings, credit_note_twin, invoice_payment_settlement, mirror, settlement_for,
    InvoiceEvent, Settlement,
};
use crate::domain::posting::reversing_postings;
use crate::domain::{Currency, JournalEntry, Money, Posting};

/// A payment's allocation to an invoice, in the entry that posted it.
#[derive(Clone, Debug)]
pub(crate) struct AllocationRow {
    pub invoice: i64,
    pub amount_minor: i64,
    pub id: i64,
}

/// A payment of a bill, in the entry that posted it.
#[derive(Clone, Debug)]
pub(crate) struct BillPaymentRow {
    pub bill: i64,
    /// The bill's own entry, whose expenses and input tax the payment recognises.
    pub bill_entry: i64,
    pub amount_minor: i64,
    pub id: i64,
}

/// Something that happened to an invoice and matters to the cash basis: an allocation of a
/// payment (`allocation` is its id) or a credit note (`allocation` is 0), posted by `entry`.
#[derive(Clone, Debug)]
pub(crate) struct InvoiceRow {
    pub entry: i64,
    pub allocation: i64,
    pub kind: InvoiceRowKind,
}

#[derive(Clone, Debug)]
pub(crate) enum InvoiceRowKind {
    /// `reversed_by` is the entry that reversed or refunded the payment, if one did.
    Paid {
        amount_minor: i64,
        reversed_by: Option<i64>,
    },
    /// What it credits is its entry's composition.
    Credited,
}

/// The stored facts a twin is derived from. Each answers as the database would, including
/// its errors (a missing row, an unknown currency, an entry that does not balance).
pub(crate) trait TwinFacts {
    /// An entry's cash-basis postings as stored, in the order written.
    async fn stored_twin(&mut self, entry: i64) -> anyhow::Result<Vec<Posting>>;
    /// An accrual entry as a domain value.
    async fn entry(&mut self, entry: i64) -> anyhow::Result<JournalEntry>;
    /// A document's income or expense and tax postings: its entry without control postings.
    async fn composition(&mut self, entry: i64) -> anyhow::Result<Vec<Posting>>;
    /// The invoice, if `entry` posted a credit note.
    async fn credited_invoice(&mut self, entry: i64) -> anyhow::Result<Option<i64>>;
    /// The payment, if `entry` reversed or refunded one.
    async fn reversed_payment(&mut self, entry: i64) -> anyhow::Result<Option<i64>>;
    /// What a payment posted: its own entry and those that applied its credit, by id.
    async fn payment_entries(&mut self, payment: i64) -> anyhow::Result<Vec<i64>>;
    /// An issued invoice's issue entry and currency.
    async fn invoice(&mut self, invoice: i64) -> anyhow::Result<(i64, Currency)>;
    /// Every allocation to an invoice and every credit note of it, in any order.
    async fn invoice_rows(&mut self, invoice: i64) -> anyhow::Result<Vec<InvoiceRow>>;
    /// The allocations `entry` posted, by id.
    async fn allocations(&mut self, entry: i64) -> anyhow::Result<Vec<AllocationRow>>;
    /// The bill payments `entry` posted.
    async fn bill_payments(&mut self, entry: i64) -> anyhow::Result<Vec<BillPaymentRow>>;
    /// Every payment of a bill as (bill payment id, minor units), by id.
    async fn bill_paid(&mut self, bill: i64) -> anyhow::Result<Vec<(i64, i64)>>;
}

/// What the cash-basis twin of `entry` must be; `reverses` is the entry it reverses, if any.
pub(crate) async fn expected_twin(
    facts: &mut impl TwinFacts,
    entry: i64,
    reverses: Option<i64>,
) -> anyhow::Result<Vec<Posting>> {
    if let Some(reversed) = reverses {
        return Ok(mirror(&facts.stored_twin(reversed).await?));
    }
    if let Some(invoice) = facts.credited_invoice(entry).await? {
        let credit = facts.composition(entry).await?;
        return credit_twin(facts, invoice, &credit, Some((entry, 0))).await;
    }
    if let Some(payment) = facts.reversed_payment(entry).await? {
        return payment_reversal_twin(facts, payment).await;
    }
    settling_twin(facts, entry).await
}

/// The twin of a payment's reversal: the negation of the twins of everything it posted.
pub(crate) async fn payment_reversal_twin(
    facts: &mut impl TwinFacts,
    payment: i64,
) -> anyhow::Result<Vec<Posting>> {
    let mut twins = Vec::new();
    for entry in facts.payment_entries(payment).await? {
        twins.extend(facts.stored_twin(entry).await?);
    }
    Ok(reversing_postings(&twins))
}

/// The twin of a credit note crediting `credit` (revenue and tax, debits positive) on an
/// invoice, after what happened to the invoice before `before` (see [`invoice_history`]).
pub(crate) async fn credit_twin(
    facts: &mut impl TwinFacts,
    invoice: i64,
    credit: &[Posting],
    before: Option<(i64, i64)>,
) -> anyhow::Result<Vec<Posting>> {
    let (issue_entry, currency) = facts.invoice(invoice).await?;
    let composition = facts.composition(issue_entry).await?;
    let history = invoice_history(facts, invoice, currency, before).await?;
    Ok(credit_note_twin(&composition, &history, credit))
}

/// Any other entry: copied if it touches no control account, otherwise its control postings
/// replaced by what its allocations and bill payments settle.
async fn settling_twin(facts: &mut impl TwinFacts, entry_id: i64) -> anyhow::Result<Vec<Posting>> {
    let entry = facts.entry(entry_id).await?;
    let currency = entry.currency();
    let mut settlements = Vec::new();
    for allocation in facts.allocations(entry_id).await? {
        let amount = Money::from_minor(allocation.amount_minor, currency);
        let before = Some((entry_id, allocation.id));
        settlements.push(invoice_settlement(facts, allocation.invoice, amount, before).await?);
    }
    for payment in facts.bill_payments(entry_id).await? {
        let amount = Money::from_minor(payment.amount_minor, currency);
        let (bill, bill_entry) = (payment.bill, payment.bill_entry);
        settlements.push(bill_settlement(facts, bill, bill_entry, amount, Some(payment.id)).await?);
    }
    Ok(cash_postings(entry.postings(), &settlements)?)
}

/// Money received against an invoice: it credits receivables, and on the cash basis
/// recognises the invoice's revenue and tax in proportion (after any credit notes).
pub(crate) async fn invoice_settlement(
    facts: &mut impl TwinFacts,
    invoice: i64,
    amount: Money,
    before: Option<(i64, i64)>,
) -> anyhow::Result<Settlement> {
    let (issue_entry, currency) = facts.invoice(invoice).await?;
    let history = invoice_history(facts, invoice, currency, before).await?;
    let composition = facts.composition(issue_entry).await?;
    Ok(invoice_payment_settlement(&composition, &history, amount))
}

/// Money paid against a bill: it recognises the bill's expenses and input tax, the final
/// payment exactly what earlier ones left. `before` is the bill payment this is, when
/// re-deriving; `None` counts every payment so far as earlier.
pub(crate) async fn bill_settlement(
    facts: &mut impl TwinFacts,
    bill: i64,
    bill_entry: i64,
    amount: Money,
    before: Option<i64>,
) -> anyhow::Result<Settlement> {
    let currency = amount.currency();
    let earlier: Vec<Money> = facts
        .bill_paid(bill)
        .await?
        .into_iter()
        .filter(|(id, _)| before.is_none_or(|b| *id < b))
        .map(|(_, minor)| Money::from_minor(minor, currency))
        .collect();
    let composition = facts.composition(bill_entry).await?;
    Ok(settlement_for(amount, &composition, &earlier))
}

/// What happened to an invoice that matters to the cash basis, in the order it was posted.
/// With `before` (an entry and an allocation id), only what was posted before it; with
/// `None`, everything so far.
pub(crate) async fn invoice_history(
    facts: &mut impl TwinFacts,
    invoice: i64,
    currency: Currency,
    before: Option<(i64, i64)>,
) -> anyhow::Result<Vec<InvoiceEvent>> {
    let rows = rows_before(facts.invoice_rows(invoice).await?, before);
    let mut events = Vec::with_capacity(rows.len());
    for row in rows {
        events.push(match row.kind {
            InvoiceRowKind::Paid { amount_minor, .. } => {
                InvoiceEvent::Paid(Money::from_minor(amount_minor, currency))
            }
            InvoiceRowKind::Credited => InvoiceEvent::Credited(facts.composition(row.entry).await?),
        });
    }
    Ok(events)
}

/// The rows posted before `before`, ordered by entry and then allocation.
fn rows_before(mut rows: Vec<InvoiceRow>, before: Option<(i64, i64)>) -> Vec<InvoiceRow> {
    let (entry, allocation) = before.unwrap_or((i64::MAX, i64::MAX));
    rows.retain(|row| match row.kind {
        // A payment reversed before this point no longer counts: its reversal mirrored what
        // it recognised.
        InvoiceRowKind::Paid { reversed_by, .. } => {
            reversed_by.is_none_or(|r| r >= entry)
                && (row.entry < entry || (row.entry == entry && row.allocation < allocation))
        }
        InvoiceRowKind::Credited => row.entry < entry,
    });
    rows.sort_by_key(|row| (row.entry, row.allocation));
    rows
}

#[cfg(test)]
mod tests;
