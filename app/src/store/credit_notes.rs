//! Credit notes: taking back part or all of an issued invoice with a numbered document and
//! its entry (Dr revenue and tax, Cr receivables), in one transaction; and reading them.

use super::cash_twin::{credit_twin, Database};
use super::ledger::{self, Party, Posted};
use super::numbering::{next_number, NumberingError};
use super::{from_scaled, to_scaled};
use crate::api::credit_notes::{CreditNoteDetail, CreditNoteSummary};
use crate::api::types::Page;
use crate::domain::credit::{
    check_credit, credit_note_entry, split_credit, Composition, CreditError, RatePart,
};
use crate::domain::numbering::DocumentKind;
use crate::domain::{AccountCode, CreditNoteId, Currency, CustomerId, InvoiceId, Money};
use chrono::{DateTime, NaiveDate, Utc};
use sqlx::SqliteConnection;

/// A credit note as validated, before it is numbered.
#[derive(Clone, Debug)]
pub struct NewCreditNote {
    pub invoice: InvoiceId,
    pub amount: Money,
    pub date: NaiveDate,
    pub reason: String,
    pub idempotency_key: String,
}

/// Why a credit note was refused; `Invalid` names the form field.
#[derive(Debug, thiserror::Error)]
pub enum CreditNoteError {
    #[error("invoice not found")]
    NotFound,
    #[error("{1}")]
    Invalid(&'static str, String),
    #[error("{0}")]
    Conflict(String),
    #[error("this request was already used for a different credit note")]
    KeyReused,
    #[error(transparent)]
    Store(#[from] anyhow::Error),
}

impl From<sqlx::Error> for CreditNoteError {
    fn from(e: sqlx::Error) -> Self {
        CreditNoteError::Store(e.into())
    }
}

impl From<NumberingError> for CreditNoteError {
    fn from(e: NumberingError) -> Self {
        match e {
            NumberingError::Store(e) => CreditNoteError::Store(e),
            other => CreditNoteError::Conflict(other.to_string()),
        }
    }
}

/// An issued invoice's figures that a credit or write-off is checked against.
pub struct InvoiceFigures {
    pub number: String,
    pub customer: CustomerId,
    pub currency: Currency,
    pub issue_date: NaiveDate,
    pub issue_entry: i64,
    pub total: Money,
    pub paid: Money,
    pub credited: Money,
    pub written_off: Money,
}

impl InvoiceFigures {
    pub fn open(&self) -> Money {
        self.total - self.paid - self.credited - self.written_off
    }
}

type FiguresRow = (
    String,
    Option<String>,
    i64,
    String,
    NaiveDate,
    Option<i64>,
    i64,
    i64,
    i64,
    i64,
);

/// Reads an invoice's figures; refuses anything but an issued invoice.
pub async fn invoice_figures(
    conn: &mut SqliteConnection,
    invoice: InvoiceId,
) -> Result<InvoiceFigures, CreditNoteError> {
    let row: Option<FiguresRow> = sqlx::query_as(
        "SELECT i.lifecycle, i.number, i.customer_id, i.currency, i.issue_date, i.issue_entry_id, i.total_minor,
            COALESCE((SELECT SUM(a.amount_minor) FROM live_allocations a WHERE a.invoice_id = i.id), 0),
            r.credited_minor, r.written_off_minor
         FROM invoices i JOIN invoice_reductions r ON r.invoice_id = i.id WHERE i.id = ?",
    )
    .bind(invoice.0)
    .fetch_optional(&mut *conn)
    .await?;
    let (lifecycle, number, customer, currency, issue_date, entry, total, paid, credited, off) =
        row.ok_or(CreditNoteError::NotFound)?;
    let (Some(number), Some(issue_entry), "issued") = (number, entry, lifecycle.as_str()) else {
        return Err(CreditNoteError::Conflict(match lifecycle.as_str() {
            "void" => "this invoice is void; there is nothing to credit or write off".into(),
            _ => "a draft has nothing to credit; edit or delete it instead".into(),
        }));
    };
    let currency = Currency::parse(&currency).map_err(anyhow::Error::from)?;
    let money = |minor| Money::from_minor(minor, currency);
    Ok(InvoiceFigures {
        number,
        customer: CustomerId(customer),
        currency,
        issue_date,
        issue_entry,
        total: money(total),
        paid: money(paid),
        credited: money(credited),
        written_off: money(off),
    })
}

/// Issues a credit note against an invoice, numbered from the credit-note series at `now`.
/// A repeated call with the same idempotency key returns the first credit note.
pub async fn create_credit_note(
    conn: &mut SqliteConnection,
    note: &NewCreditNote,
    zone: chrono_tz::Tz,
    now: DateTime<Utc>,
) -> Result<(CreditNoteId, String), CreditNoteError> {
    if let Some(found) = find_by_key(conn, note).await? {
        return Ok(found);
    }
    let invoice = invoice_figures(conn, note.invoice).await?;
    if note.date < invoice.issue_date {
        let message = format!(
            "a credit note cannot be dated before its invoice ({})",
            invoice.issue_date
        );
        return Err(CreditNoteError::Invalid("date", message));
    }
    if let Some(message) = ledger::locked_message(conn, note.date).await? {
        return Err(CreditNoteError::Invalid("date", message));
    }
    if note.amount.currency() != invoice.currency {
        let message = format!("the invoice is in {}", invoice.currency);
        return Err(CreditNoteError::Invalid("amount", message));
    }
    let creditable = invoice.total - invoice.credited;
    check_credit(note.amount, creditable, invoice.open())
        .map_err(|e: CreditError| CreditNoteError::Invalid("amount", e.to_string()))?;
    let remaining = remaining_composition(conn, note.invoice, invoice.currency).await?;
    let credit = split_credit(&remaining, note.amount);
    let numbered = next_number(conn, DocumentKind::CreditNote, zone, now).await?;
    let entry = credit_note_entry(note.date, &numbered.number, &invoice.number, &credit)
        .map_err(anyhow::Error::from)?;
    let credited = credit.reversing_postings();
    let twin = credit_twin(&mut Database(conn), note.invoice.0, &credited, None).await?;
    let posted = Posted {
        twin: Some(twin),
        ..Posted::new("credit_note", Party::Customer(invoice.customer))
    };
    let entry_id = ledger::insert_entry(conn, &entry, posted).await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO credit_notes (invoice_id, customer_id, series, sequence, number, date, reason, currency,
            net_minor, tax_minor, total_minor, entry_id, idempotency_key, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(note.invoice.0)
    .bind(invoice.customer.0)
    .bind(&numbered.series)
    .bind(numbered.sequence)
    .bind(&numbered.number)
    .bind(note.date)
    .bind(&note.reason)
    .bind(invoice.currency.code())
    .bind(credit.net().to_minor())
    .bind(credit.tax().to_minor())
    .bind(credit.gross().to_minor())
    .bind(entry_id)
    .bind(&note.idempotency_key)
    .bind(super::now_text())
    .fetch_one(&mut *conn)
    .await?;
    insert_composition(conn, id, &credit).await?;
    Ok((CreditNoteId(id), numbered.number))
}

async fn insert_composition(
    conn: &mut SqliteConnection,
    id: i64,
    credit: &Composition,
) -> anyhow::Result<()> {
    for part in &credit.rates {
        let rate = to_scaled(part.rate, 2).ok_or_else(|| anyhow::anyhow!("odd tax rate"))?;
        for (account, net) in part.nets.iter().filter(|(_, n)| !n.is_zero()) {
            sqlx::query(
                "INSERT INTO credit_note_lines (credit_note_id, tax_rate_bp, revenue_account, net_minor) VALUES (?, ?, ?, ?)",
            )
            .bind(id)
            .bind(rate)
            .bind(&account.0)
            .bind(net.to_minor())
            .execute(&mut *conn)
            .await?;
        }
        if part.gross().is_zero() {
            continue;
        }
        sqlx::query(
            "INSERT INTO credit_note_taxes (credit_note_id, tax_rate_bp, base_minor, tax_minor) VALUES (?, ?, ?, ?)",
        )
        .bind(id)
        .bind(rate)
        .bind(part.net().to_minor())
        .bind(part.tax.to_minor())
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

async fn find_by_key(
    conn: &mut SqliteConnection,
    note: &NewCreditNote,
) -> Result<Option<(CreditNoteId, String)>, CreditNoteError> {
    let row: Option<(i64, i64, i64, String)> = sqlx::query_as(
        "SELECT id, invoice_id, total_minor, number FROM credit_notes WHERE idempotency_key = ?",
    )
    .bind(&note.idempotency_key)
    .fetch_optional(conn)
    .await?;
    match row {
        None => Ok(None),
        Some((id, invoice, total, number)) => {
            if invoice != note.invoice.0 || total != note.amount.to_minor() {
                return Err(CreditNoteError::KeyReused);
            }
            Ok(Some((CreditNoteId(id), number)))
        }
    }
}

/// An issued invoice's composition per rate and account, from its stored lines.
pub async fn invoice_composition(
    conn: &mut SqliteConnection,
    invoice: InvoiceId,
    currency: Currency,
) -> anyhow::Result<Composition> {
    let (lines, _, totals) = super::pricing::invoice_figures(conn, invoice, currency).await?;
    Ok(Composition::of_invoice(&lines, &totals))
}

/// What an invoice still holds after its credit notes.
pub async fn remaining_composition(
    conn: &mut SqliteConnection,
    invoice: InvoiceId,
    currency: Currency,
) -> anyhow::Result<Composition> {
    let whole = invoice_composition(conn, invoice, currency).await?;
    let ids: Vec<i64> =
        sqlx::query_scalar("SELECT id FROM credit_notes WHERE invoice_id = ? ORDER BY id")
            .bind(invoice.0)
            .fetch_all(&mut *conn)
            .await?;
    let mut credits = Vec::new();
    for id in ids {
        credits.push(credit_composition(conn, id, currency).await?);
    }
    Ok(whole.minus(&Composition::total_of(&whole, &credits)))
}

/// A credit note's composition as stored.
async fn credit_composition(
    conn: &mut SqliteConnection,
    id: i64,
    currency: Currency,
) -> anyhow::Result<Composition> {
    let taxes: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT tax_rate_bp, tax_minor FROM credit_note_taxes WHERE credit_note_id = ? ORDER BY tax_rate_bp",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    let lines: Vec<(i64, String, i64)> = sqlx::query_as(
        "SELECT tax_rate_bp, revenue_account, net_minor FROM credit_note_lines WHERE credit_note_id = ?
         ORDER BY tax_rate_bp, revenue_account",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    let rates = taxes
        .into_iter()
        .map(|(rate, tax)| RatePart {
            rate: from_scaled(rate, 2),
            nets: lines
                .iter()
                .filter(|(r, ..)| *r == rate)
                .map(|(_, a, n)| (AccountCode(a.clone()), Money::from_minor(*n, currency)))
                .collect(),
            tax: Money::from_minor(tax, currency),
        })
        .collect();
    Ok(Composition { currency, rates })
}

type SummaryRow = (
    i64,
    String,
    i64,
    Option<String>,
    i64,
    String,
    NaiveDate,
    String,
    String,
    i64,
    i64,
    i64,
);

const SUMMARY: &str = "SELECT c.id, c.number, c.invoice_id, i.number, c.customer_id, COALESCE(i.billed_name, cu.name),
        c.date, c.reason, c.currency, c.net_minor, c.tax_minor, c.total_minor
    FROM credit_notes c JOIN invoices i ON i.id = c.invoice_id JOIN customers cu ON cu.id = c.customer_id";

fn to_summary(row: SummaryRow) -> anyhow::Result<CreditNoteSummary> {
    let (
        id,
        number,
        invoice,
        invoice_number,
        customer,
        name,
        date,
        reason,
        currency,
        net,
        tax,
        total,
    ) = row;
    let currency = Currency::parse(&currency)?;
    let money = |minor| Money::from_minor(minor, currency);
    Ok(CreditNoteSummary {
        id: CreditNoteId(id),
        number,
        invoice_id: InvoiceId(invoice),
        invoice_number: invoice_number.unwrap_or_default(),
        customer_id: CustomerId(customer),
        customer_name: name,
        date,
        reason,
        net: money(net),
        tax: money(tax),
        total: money(total),
    })
}

/// The credit notes of one invoice, oldest first.
pub async fn invoice_credit_notes(
    conn: &mut SqliteConnection,
    invoice: InvoiceId,
) -> anyhow::Result<Vec<CreditNoteSummary>> {
    let rows: Vec<SummaryRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{SUMMARY} WHERE c.invoice_id = ? ORDER BY c.id"
    )))
    .bind(invoice.0)
    .fetch_all(conn)
    .await?;
    rows.into_iter().map(to_summary).collect()
}

/// Every credit note, newest first, a page at a time.
pub async fn list_credit_notes(
    conn: &mut SqliteConnection,
    page: u32,
    per_page: u32,
) -> anyhow::Result<Page<CreditNoteSummary>> {
    let total: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM credit_notes")
        .fetch_one(&mut *conn)
        .await?;
    let rows: Vec<SummaryRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{SUMMARY} ORDER BY c.date DESC, c.id DESC LIMIT ? OFFSET ?"
    )))
    .bind(i64::from(per_page))
    .bind(i64::from(page.saturating_sub(1)) * i64::from(per_page))
    .fetch_all(conn)
    .await?;
    Ok(Page {
        items: rows
            .into_iter()
            .map(to_summary)
            .collect::<anyhow::Result<_>>()?,
        total: total as u64,
        page,
        per_page,
    })
}

/// One credit note with its figures per rate and account and its invoice's balance.
pub async fn get_credit_note(
    conn: &mut SqliteConnection,
    id: CreditNoteId,
) -> anyhow::Result<Option<CreditNoteDetail>> {
    let row: Option<SummaryRow> =
        sqlx::query_as(sqlx::AssertSqlSafe(format!("{SUMMARY} WHERE c.id = ?")))
            .bind(id.0)
            .fetch_optional(&mut *conn)
            .await?;
    let Some(row) = row else { return Ok(None) };
    let summary = to_summary(row)?;
    let composition = credit_composition(conn, id.0, summary.total.currency()).await?;
    let invoice = invoice_figures(conn, summary.invoice_id)
        .await
        .map_err(|e| anyhow::anyhow!("the credited invoice cannot be read: {e}"))?;
    Ok(Some(CreditNoteDetail {
        summary,
        composition,
        invoice_total: invoice.total,
        invoice_open: invoice.open(),
    }))
}
