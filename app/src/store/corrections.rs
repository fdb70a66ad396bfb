//! Correcting an issued invoice besides credit notes: writing off what will never be paid,
//! and duplicating any invoice into a new draft.

use super::credit_notes::{invoice_figures, CreditNoteError};
use super::invoices::{load_lines, save_draft, Draft};
use super::ledger::{self, Party, Posted};
use crate::domain::credit::write_off_entry;
use crate::domain::{Currency, CustomerId, InvoiceId};
use chrono::{Days, NaiveDate};
use sqlx::SqliteConnection;

/// Writes off an invoice's whole open balance on `date`: Dr Bad debts, Cr receivables. It
/// moves no money, so it has no cash-basis twin: on the cash basis the unpaid part was never
/// income.
pub async fn write_off_invoice(
    conn: &mut SqliteConnection,
    invoice: InvoiceId,
    date: NaiveDate,
    reason: &str,
) -> Result<(), CreditNoteError> {
    let figures = invoice_figures(conn, invoice).await?;
    if figures.written_off.is_positive() {
        return Err(CreditNoteError::Conflict(
            "this invoice is already written off".into(),
        ));
    }
    let open = figures.open();
    if !open.is_positive() {
        return Err(CreditNoteError::Conflict(
            "nothing is open on this invoice, so there is nothing to write off".into(),
        ));
    }
    let date = date.max(figures.issue_date);
    if let Some(message) = ledger::locked_message(conn, date).await? {
        return Err(CreditNoteError::Invalid("date", message));
    }
    let entry = write_off_entry(date, &figures.number, open).map_err(anyhow::Error::from)?;
    let posted = Posted::new("write_off", Party::Customer(figures.customer));
    let entry_id = ledger::insert_entry(conn, &entry, posted).await?;
    sqlx::query(
        "INSERT INTO write_offs (invoice_id, date, reason, amount_minor, entry_id, created_at) VALUES (?, ?, ?, ?, ?, ?)",
    )
    .bind(invoice.0)
    .bind(date)
    .bind(reason)
    .bind(open.to_minor())
    .bind(entry_id)
    .bind(super::now_text())
    .execute(conn)
    .await?;
    Ok(())
}

/// Copies an invoice of any status (its customer, lines, notes and payment terms) into a
/// new draft issued `today`. `None` when there is no such invoice.
pub async fn duplicate_invoice(
    conn: &mut SqliteConnection,
    invoice: InvoiceId,
    today: NaiveDate,
) -> anyhow::Result<Option<InvoiceId>> {
    let row: Option<(i64, NaiveDate, NaiveDate, String, String, String)> = sqlx::query_as(
        "SELECT customer_id, issue_date, due_date, currency, tax_rounding, notes FROM invoices WHERE id = ?",
    )
    .bind(invoice.0)
    .fetch_optional(&mut *conn)
    .await?;
    let Some((customer, issued, due, currency, rounding, notes)) = row else {
        return Ok(None);
    };
    let terms = (due - issued).num_days().max(0) as u64;
    let draft = Draft {
        id: None,
        customer_id: CustomerId(customer),
        issue_date: today,
        due_date: today + Days::new(terms),
        currency: Currency::parse(&currency)?,
        pricing: crate::domain::Pricing {
            rounding: super::business::rounding_from_text(&rounding),
            ..super::pricing::invoice_pricing(conn, invoice).await?
        },
        notes,
        lines: load_lines(conn, invoice).await?,
    };
    let id = save_draft(conn, &draft)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    Ok(Some(id))
}
