//! Quotes: drafts (editable, unnumbered), sending (the next number of the quote series),
//! the customer's answer, and conversion into a draft invoice with the same lines and
//! pricing, linked from the quote.

use super::invoices::{line_from_row, Draft, InvoiceError, LineRow};
use super::numbering::{next_number, NumberingError};
use super::to_scaled;
use crate::api::quotes::{QuoteDetail, QuoteSummary};
use crate::api::types::InvoiceLineView;
use crate::domain::numbering::DocumentKind;
use crate::domain::quotes::{quote_status, refuse_step, QuoteStep};
use crate::domain::{
    document_totals, Currency, CustomerId, InvoiceId, LineInput, Money, TaxCategory,
};
use anyhow::anyhow;
use chrono::{DateTime, Days, NaiveDate, Utc};
use sqlx::SqliteConnection;

/// Creates or replaces a draft quote; `draft.due_date` is the day it is valid until.
pub async fn save_quote(
    conn: &mut SqliteConnection,
    id: Option<i64>,
    draft: &Draft,
    today: NaiveDate,
) -> Result<i64, InvoiceError> {
    let totals = document_totals(&draft.lines, draft.currency, draft.pricing)
        .map_err(|e| InvoiceError::Conflict(e.to_string()))?;
    let (entry, kind, e4) = super::pricing::to_columns(&draft.pricing)?;
    let now = super::now_text();
    if let Some(id) = id {
        step_allowed(conn, id, QuoteStep::Edit, today).await?;
        sqlx::query("DELETE FROM quotes WHERE id = ?")
            .bind(id)
            .execute(&mut *conn)
            .await?;
    }
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO quotes (id, customer_id, status, issue_date, valid_until, currency, tax_rounding,
            price_entry, discount_kind, discount_e4, notes, net_minor, tax_minor, total_minor,
            created_at, updated_at)
         VALUES (?, ?, 'draft', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(id)
    .bind(draft.customer_id.0)
    .bind(draft.issue_date)
    .bind(draft.due_date)
    .bind(draft.currency.code())
    .bind(super::business::rounding_to_text(draft.pricing.rounding))
    .bind(entry)
    .bind(kind)
    .bind(e4)
    .bind(&draft.notes)
    .bind(totals.net.to_minor())
    .bind(totals.tax.to_minor())
    .bind(totals.gross.to_minor())
    .bind(&now)
    .bind(&now)
    .fetch_one(&mut *conn)
    .await?;
    for (position, (line, net)) in draft.lines.iter().zip(&totals.line_nets).enumerate() {
        insert_line(conn, id, position as i64, line, *net).await?;
    }
    Ok(id)
}

async fn insert_line(
    conn: &mut SqliteConnection,
    id: i64,
    position: i64,
    line: &LineInput,
    net: Money,
) -> anyhow::Result<()> {
    let scaled = |value, scale| {
        to_scaled(value, scale)
            .ok_or_else(|| anyhow!("line {} has too many decimals", position + 1))
    };
    sqlx::query(
        "INSERT INTO quote_lines (quote_id, position, description, quantity_e4, unit_price_e4,
            discount_bp, tax_rate_bp, revenue_account, net_minor, tax_category, tax_name,
            exemption_reason, unit)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(id)
    .bind(position)
    .bind(&line.description)
    .bind(scaled(line.quantity, 4)?)
    .bind(scaled(line.unit_price, 4)?)
    .bind(scaled(line.discount_percent, 2)?)
    .bind(scaled(line.tax_rate, 2)?)
    .bind(&line.revenue_account.0)
    .bind(net.to_minor())
    .bind(line.tax.category.map(TaxCategory::slug))
    .bind(&line.tax.name)
    .bind(&line.tax.exemption_reason)
    .bind(&line.unit)
    .execute(conn)
    .await?;
    Ok(())
}

async fn load_lines(conn: &mut SqliteConnection, id: i64) -> anyhow::Result<Vec<LineInput>> {
    let rows: Vec<LineRow> = sqlx::query_as(
        "SELECT description, quantity_e4, unit_price_e4, discount_bp, tax_rate_bp, revenue_account,
            tax_category, tax_name, exemption_reason, unit
         FROM quote_lines WHERE quote_id = ? ORDER BY position",
    )
    .bind(id)
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().map(line_from_row).collect())
}

/// Refuses `step` unless the quote's status allows it.
async fn step_allowed(
    conn: &mut SqliteConnection,
    id: i64,
    step: QuoteStep,
    today: NaiveDate,
) -> Result<(), InvoiceError> {
    let row: Option<(String, NaiveDate)> =
        sqlx::query_as("SELECT status, valid_until FROM quotes WHERE id = ?")
            .bind(id)
            .fetch_optional(conn)
            .await?;
    let (stored, valid_until) = row.ok_or(InvoiceError::NotFound)?;
    match refuse_step(quote_status(&stored, valid_until, today), step) {
        Some(why) => Err(InvoiceError::Conflict(why.into())),
        None => Ok(()),
    }
}

/// Sends a draft quote: it takes the next number of the quote series.
pub async fn send_quote(
    conn: &mut SqliteConnection,
    id: i64,
    now: DateTime<Utc>,
    today: NaiveDate,
) -> Result<String, InvoiceError> {
    step_allowed(conn, id, QuoteStep::Send, today).await?;
    let lines: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM quote_lines WHERE quote_id = ?")
        .bind(id)
        .fetch_one(&mut *conn)
        .await?;
    if lines == 0 {
        return Err(InvoiceError::Conflict(
            "add at least one line before sending".into(),
        ));
    }
    let zone = super::business::get_business(conn).await?.time_zone;
    let numbered = next_number(conn, DocumentKind::Quote, zone, now)
        .await
        .map_err(|e| match e {
            NumberingError::Store(e) => InvoiceError::Store(e),
            other => InvoiceError::Conflict(other.to_string()),
        })?;
    sqlx::query(
        "UPDATE quotes SET status = 'sent', series = ?, sequence = ?, number = ?, updated_at = ?
         WHERE id = ?",
    )
    .bind(&numbered.series)
    .bind(numbered.sequence)
    .bind(&numbered.number)
    .bind(super::now_text())
    .bind(id)
    .execute(conn)
    .await?;
    Ok(numbered.number)
}

/// Records the customer's answer to a sent quote.
pub async fn answer_quote(
    conn: &mut SqliteConnection,
    id: i64,
    accepted: bool,
    today: NaiveDate,
) -> Result<(), InvoiceError> {
    let step = if accepted {
        QuoteStep::Accept
    } else {
        QuoteStep::Decline
    };
    step_allowed(conn, id, step, today).await?;
    sqlx::query("UPDATE quotes SET status = ?, updated_at = ? WHERE id = ?")
        .bind(if accepted { "accepted" } else { "declined" })
        .bind(super::now_text())
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Makes a draft invoice of a sent or accepted quote (accepting it): same customer, lines and
/// pricing, dated today and due after the customer's terms. Returns the invoice.
pub async fn convert_quote(
    conn: &mut SqliteConnection,
    id: i64,
    today: NaiveDate,
) -> Result<InvoiceId, InvoiceError> {
    let linked: Option<Option<i64>> =
        sqlx::query_scalar("SELECT invoice_id FROM quotes WHERE id = ?")
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?;
    if let Some(invoice) = linked.ok_or(InvoiceError::NotFound)? {
        return Err(InvoiceError::Conflict(format!(
            "this quote is already invoiced (invoice {invoice})"
        )));
    }
    step_allowed(conn, id, QuoteStep::Convert, today).await?;
    let (customer, currency, rounding, entry, kind, e4, notes): (
        i64,
        String,
        String,
        String,
        String,
        i64,
        String,
    ) = sqlx::query_as(
        "SELECT customer_id, currency, tax_rounding, price_entry, discount_kind, discount_e4, notes
             FROM quotes WHERE id = ?",
    )
    .bind(id)
    .fetch_one(&mut *conn)
    .await?;
    let terms = super::customers::get_customer(conn, CustomerId(customer))
        .await?
        .map_or(0, |c| c.payment_terms_days);
    let draft = Draft {
        id: None,
        customer_id: CustomerId(customer),
        issue_date: today,
        due_date: today + Days::new(u64::from(terms)),
        currency: Currency::parse(&currency).map_err(anyhow::Error::from)?,
        pricing: super::pricing::from_columns(&rounding, &entry, &kind, e4),
        notes,
        lines: load_lines(conn, id).await?,
    };
    let invoice = super::invoices::save_draft(conn, &draft).await?;
    sqlx::query(
        "UPDATE quotes SET status = 'accepted', invoice_id = ?, updated_at = ? WHERE id = ?",
    )
    .bind(invoice.0)
    .bind(super::now_text())
    .bind(id)
    .execute(conn)
    .await?;
    Ok(invoice)
}

type SummaryRow = (
    i64,
    Option<String>,
    i64,
    String,
    NaiveDate,
    NaiveDate,
    String,
    String,
    i64,
    Option<i64>,
);

const SUMMARY: &str = "SELECT q.id, q.number, q.customer_id, c.name, q.issue_date, q.valid_until,
    q.currency, q.status, q.total_minor, q.invoice_id FROM quotes q JOIN customers c ON c.id = q.customer_id";

fn to_summary(row: SummaryRow, today: NaiveDate) -> anyhow::Result<QuoteSummary> {
    let (id, number, customer, name, issued, valid_until, currency, status, total, invoice) = row;
    Ok(QuoteSummary {
        id,
        number,
        customer_id: CustomerId(customer),
        customer_name: name,
        issue_date: issued,
        valid_until,
        total: Money::from_minor(total, Currency::parse(&currency)?),
        status: quote_status(&status, valid_until, today),
        invoice_id: invoice.map(InvoiceId),
    })
}

/// Every quote, newest first (a small business sends a few hundred at most).
pub async fn list_quotes(
    conn: &mut SqliteConnection,
    today: NaiveDate,
) -> anyhow::Result<Vec<QuoteSummary>> {
    let rows: Vec<SummaryRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{SUMMARY} ORDER BY q.issue_date DESC, q.id DESC LIMIT 1000"
    )))
    .fetch_all(conn)
    .await?;
    rows.into_iter().map(|r| to_summary(r, today)).collect()
}

/// A quote with its lines and totals.
pub async fn get_quote(
    conn: &mut SqliteConnection,
    id: i64,
    today: NaiveDate,
) -> anyhow::Result<Option<QuoteDetail>> {
    let row: Option<SummaryRow> =
        sqlx::query_as(sqlx::AssertSqlSafe(format!("{SUMMARY} WHERE q.id = ?")))
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?;
    let Some(row) = row else { return Ok(None) };
    let summary = to_summary(row, today)?;
    let (rounding, entry, kind, e4, notes): (String, String, String, i64, String) = sqlx::query_as(
        "SELECT tax_rounding, price_entry, discount_kind, discount_e4, notes FROM quotes WHERE id = ?",
    )
    .bind(id)
    .fetch_one(&mut *conn)
    .await?;
    let pricing = super::pricing::from_columns(&rounding, &entry, &kind, e4);
    let currency = summary.total.currency();
    let lines = load_lines(conn, id).await?;
    let totals = document_totals(&lines, currency, pricing)
        .map_err(|e| anyhow!("quote {id} can no longer be priced: {e}"))?;
    let invoice_number: Option<String> = match summary.invoice_id {
        Some(invoice) => sqlx::query_scalar("SELECT number FROM invoices WHERE id = ?")
            .bind(invoice.0)
            .fetch_optional(&mut *conn)
            .await?
            .flatten(),
        None => None,
    };
    Ok(Some(QuoteDetail {
        lines: lines
            .iter()
            .zip(&totals.line_amounts)
            .map(|(l, net)| InvoiceLineView::of(l, *net))
            .collect(),
        summary,
        currency,
        notes,
        pricing,
        totals,
        invoice_number,
    }))
}

/// The quote an invoice was made from, if any.
pub async fn quote_of_invoice(
    conn: &mut SqliteConnection,
    invoice: InvoiceId,
) -> sqlx::Result<Option<(i64, Option<String>)>> {
    sqlx::query_as("SELECT id, number FROM quotes WHERE invoice_id = ?")
        .bind(invoice.0)
        .fetch_optional(conn)
        .await
}
