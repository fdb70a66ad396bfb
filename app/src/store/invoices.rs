//! Invoices: drafts (freely editable, no number, nothing posted), issuing (gapless number and
//! journal entry in one transaction), voiding (exact reversal), and reads with derived status.

use super::ledger::{Party, Posted};
use super::numbering::{next_number, NumberingError};
use super::{from_scaled, ledger, to_scaled};
use crate::api::types::{
    AllocationView, InvoiceDetail, InvoiceLineView, InvoiceSummary, Page, WriteOffView,
};
use crate::domain::numbering::DocumentKind;
use crate::domain::posting::issue_entry;
use crate::domain::Settled;
use crate::domain::{
    derive_settled_status, document_totals, AccountCode, Currency, CustomerId, InvoiceId,
    InvoiceStatus, Lifecycle, LineInput, LineTax, Money, OpenInvoice, PaymentId, Pricing,
    TaxCategory,
};
use anyhow::{anyhow, Context};
use chrono::{DateTime, NaiveDate, Utc};
use sqlx::SqliteConnection;
use std::collections::HashMap;

/// A validated draft, ready to store.
#[derive(Clone, Debug)]
pub struct Draft {
    pub id: Option<InvoiceId>,
    pub customer_id: CustomerId,
    pub issue_date: NaiveDate,
    pub due_date: NaiveDate,
    pub currency: Currency,
    /// Tax-inclusive prices, document discount and tax rounding.
    pub pricing: Pricing,
    pub notes: String,
    pub lines: Vec<LineInput>,
}

/// Why a lifecycle step was refused; shown to the person as is.
#[derive(Debug, thiserror::Error)]
pub enum InvoiceError {
    #[error("invoice not found")]
    NotFound,
    #[error("{0}")]
    Conflict(String),
    #[error(transparent)]
    Store(#[from] anyhow::Error),
}

impl From<sqlx::Error> for InvoiceError {
    fn from(e: sqlx::Error) -> Self {
        InvoiceError::Store(e.into())
    }
}

fn lifecycle_from_text(text: &str) -> Lifecycle {
    match text {
        "issued" => Lifecycle::Issued,
        "void" => Lifecycle::Void,
        _ => Lifecycle::Draft,
    }
}

/// Creates or replaces a draft with its lines. Refuses to touch an issued invoice.
pub async fn save_draft(
    conn: &mut SqliteConnection,
    draft: &Draft,
) -> Result<InvoiceId, InvoiceError> {
    let totals = document_totals(&draft.lines, draft.currency, draft.pricing)
        .map_err(|e| InvoiceError::Conflict(e.to_string()))?;
    let (entry, discount_kind, discount_e4) = super::pricing::to_columns(&draft.pricing)?;
    let now = super::now_text();
    let id = match draft.id {
        Some(id) => {
            let lifecycle = get_lifecycle(conn, id).await?;
            if lifecycle != Lifecycle::Draft {
                return Err(InvoiceError::Conflict("this invoice is no longer a draft and cannot be edited".into()));
            }
            sqlx::query(
                "UPDATE invoices SET customer_id = ?, issue_date = ?, due_date = ?, currency = ?, tax_rounding = ?,
                    price_entry = ?, discount_kind = ?, discount_e4 = ?,
                    notes = ?, net_minor = ?, tax_minor = ?, total_minor = ?, updated_at = ? WHERE id = ?",
            )
            .bind(draft.customer_id.0)
            .bind(draft.issue_date)
            .bind(draft.due_date)
            .bind(draft.currency.code())
            .bind(super::business::rounding_to_text(draft.pricing.rounding))
            .bind(entry)
            .bind(discount_kind)
            .bind(discount_e4)
            .bind(&draft.notes)
            .bind(totals.net.to_minor())
            .bind(totals.tax.to_minor())
            .bind(totals.gross.to_minor())
            .bind(&now)
            .bind(id.0)
            .execute(&mut *conn)
            .await?;
            // Lines are kept by position and rewritten in place (below), so the audit log
            // records only the lines that changed rather than every line removed and re-added.
            sqlx::query("DELETE FROM invoice_lines WHERE invoice_id = ? AND position >= ?")
                .bind(id.0)
                .bind(draft.lines.len() as i64)
                .execute(&mut *conn)
                .await?;
            id
        }
        None => InvoiceId(
            sqlx::query_scalar(
                "INSERT INTO invoices (customer_id, lifecycle, issue_date, due_date, currency, tax_rounding,
                    price_entry, discount_kind, discount_e4, notes,
                    net_minor, tax_minor, total_minor, created_at, updated_at)
                 VALUES (?, 'draft', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
            )
            .bind(draft.customer_id.0)
            .bind(draft.issue_date)
            .bind(draft.due_date)
            .bind(draft.currency.code())
            .bind(super::business::rounding_to_text(draft.pricing.rounding))
            .bind(entry)
            .bind(discount_kind)
            .bind(discount_e4)
            .bind(&draft.notes)
            .bind(totals.net.to_minor())
            .bind(totals.tax.to_minor())
            .bind(totals.gross.to_minor())
            .bind(&now)
            .bind(&now)
            .fetch_one(&mut *conn)
            .await?,
        ),
    };
    for (position, (line, net)) in draft.lines.iter().zip(&totals.line_nets).enumerate() {
        insert_line(conn, id, position as i64, line, *net).await?;
    }
    Ok(id)
}

async fn insert_line(
    conn: &mut SqliteConnection,
    id: InvoiceId,
    position: i64,
    line: &LineInput,
    net: Money,
) -> anyhow::Result<()> {
    let scaled = |value, scale| {
        to_scaled(value, scale)
            .ok_or_else(|| anyhow!("line {} has too many decimals", position + 1))
    };
    sqlx::query(
        "INSERT INTO invoice_lines (invoice_id, position, description, quantity_e4, unit_price_e4, discount_bp,
            tax_rate_bp, revenue_account, net_minor, tax_category, tax_name, exemption_reason, unit)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (invoice_id, position) DO UPDATE SET description = excluded.description,
            quantity_e4 = excluded.quantity_e4, unit_price_e4 = excluded.unit_price_e4,
            discount_bp = excluded.discount_bp, tax_rate_bp = excluded.tax_rate_bp,
            revenue_account = excluded.revenue_account, net_minor = excluded.net_minor,
            tax_category = excluded.tax_category, tax_name = excluded.tax_name,
            exemption_reason = excluded.exemption_reason, unit = excluded.unit",
    )
    .bind(id.0)
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

async fn get_lifecycle(
    conn: &mut SqliteConnection,
    id: InvoiceId,
) -> Result<Lifecycle, InvoiceError> {
    let row: Option<String> = sqlx::query_scalar("SELECT lifecycle FROM invoices WHERE id = ?")
        .bind(id.0)
        .fetch_optional(conn)
        .await?;
    row.map(|l| lifecycle_from_text(&l))
        .ok_or(InvoiceError::NotFound)
}

/// Deletes a draft (it has no number and posted nothing, so nothing is lost).
pub async fn delete_draft(conn: &mut SqliteConnection, id: InvoiceId) -> Result<(), InvoiceError> {
    if get_lifecycle(conn, id).await? != Lifecycle::Draft {
        return Err(InvoiceError::Conflict(
            "only drafts can be deleted; void an issued invoice instead".into(),
        ));
    }
    sqlx::query("DELETE FROM invoices WHERE id = ?")
        .bind(id.0)
        .execute(conn)
        .await?;
    Ok(())
}

pub(crate) async fn load_lines(
    conn: &mut SqliteConnection,
    id: InvoiceId,
) -> anyhow::Result<Vec<LineInput>> {
    let rows: Vec<LineRow> = sqlx::query_as(
        "SELECT description, quantity_e4, unit_price_e4, discount_bp, tax_rate_bp, revenue_account,
            tax_category, tax_name, exemption_reason, unit
         FROM invoice_lines WHERE invoice_id = ? ORDER BY position",
    )
    .bind(id.0)
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().map(line_from_row).collect())
}

pub(crate) type LineRow = (
    String,
    i64,
    i64,
    i64,
    i64,
    String,
    Option<String>,
    String,
    String,
    String,
);

pub(crate) fn line_from_row(row: LineRow) -> LineInput {
    let (description, q, p, d, t, account, category, name, reason, unit) = row;
    LineInput {
        description,
        quantity: from_scaled(q, 4),
        unit_price: from_scaled(p, 4),
        discount_percent: from_scaled(d, 2),
        tax_rate: from_scaled(t, 2),
        revenue_account: AccountCode(account),
        unit,
        tax: LineTax {
            category: category.as_deref().and_then(TaxCategory::from_slug),
            name,
            exemption_reason: reason,
        },
    }
}

/// Issues a draft: takes the next number of the series and posts the issue entry, in the
/// caller's (immediate) transaction, so numbers stay gapless and unique.
pub async fn issue_invoice(
    conn: &mut SqliteConnection,
    id: InvoiceId,
    now: DateTime<Utc>,
) -> Result<String, InvoiceError> {
    let row: Option<(String, i64, NaiveDate, String)> = sqlx::query_as(
        "SELECT lifecycle, customer_id, issue_date, currency FROM invoices WHERE id = ?",
    )
    .bind(id.0)
    .fetch_optional(&mut *conn)
    .await?;
    let (lifecycle, customer, issue_date, currency) = row.ok_or(InvoiceError::NotFound)?;
    if lifecycle != "draft" {
        return Err(InvoiceError::Conflict(
            "this invoice has already been issued".into(),
        ));
    }
    if let Some(message) = ledger::locked_message(conn, issue_date).await? {
        return Err(InvoiceError::Conflict(format!("issue date: {message}")));
    }
    let currency = Currency::parse(&currency).map_err(anyhow::Error::from)?;
    let (lines, _, totals) = super::pricing::invoice_figures(conn, id, currency).await?;
    if lines.is_empty() {
        return Err(InvoiceError::Conflict(
            "add at least one line before issuing".into(),
        ));
    }
    if !totals.gross.is_positive() {
        return Err(InvoiceError::Conflict(
            "an invoice for nothing cannot be issued; give a line a price".into(),
        ));
    }
    let zone = super::business::get_business(conn).await?.time_zone;
    let numbered = next_number(conn, DocumentKind::Invoice, zone, now)
        .await
        .map_err(|e| match e {
            NumberingError::Store(e) => InvoiceError::Store(e),
            other => InvoiceError::Conflict(other.to_string()),
        })?;
    let number = numbered.number;
    let entry = issue_entry(issue_date, &number, &lines, &totals).map_err(anyhow::Error::from)?;
    let entry_id = ledger::insert_entry(
        conn,
        &entry,
        Posted::new("invoice", Party::Customer(CustomerId(customer))),
    )
    .await?;
    sqlx::query(
        "UPDATE invoices SET lifecycle = 'issued', series = ?, sequence = ?, number = ?, issue_entry_id = ?,
            net_minor = ?, tax_minor = ?, total_minor = ?, updated_at = ?,
            billed_name = c.name, billed_address = c.billing_address, billed_email = c.email, billed_tax_id = c.tax_id
         FROM customers c WHERE c.id = invoices.customer_id AND invoices.id = ?",
    )
    .bind(&numbered.series)
    .bind(numbered.sequence)
    .bind(&number)
    .bind(entry_id)
    .bind(totals.net.to_minor())
    .bind(totals.tax.to_minor())
    .bind(totals.gross.to_minor())
    .bind(super::now_text())
    .bind(id.0)
    .execute(conn)
    .await?;
    Ok(number)
}

/// Voids an issued invoice that has no payments, posting the exact reversal of its issue
/// entry on `date`.
pub async fn void_invoice(
    conn: &mut SqliteConnection,
    id: InvoiceId,
    date: NaiveDate,
) -> Result<(), InvoiceError> {
    let row: Option<(String, Option<String>, Option<i64>, i64)> = sqlx::query_as(
        "SELECT lifecycle, number, issue_entry_id, customer_id FROM invoices WHERE id = ?",
    )
    .bind(id.0)
    .fetch_optional(&mut *conn)
    .await?;
    let (lifecycle, number, issue_entry_id, customer) = row.ok_or(InvoiceError::NotFound)?;
    match (lifecycle.as_str(), issue_entry_id) {
        ("issued", Some(entry_id)) => {
            let paid: i64 = sqlx::query_scalar(
                "SELECT COALESCE(SUM(amount_minor), 0) FROM live_allocations WHERE invoice_id = ?",
            )
            .bind(id.0)
            .fetch_one(&mut *conn)
            .await?;
            if paid != 0 {
                return Err(InvoiceError::Conflict(
                    "this invoice has payments; it cannot be voided".into(),
                ));
            }
            let (credited, written_off): (i64, i64) = sqlx::query_as(
                "SELECT credited_minor, written_off_minor FROM invoice_reductions WHERE invoice_id = ?",
            )
            .bind(id.0)
            .fetch_one(&mut *conn)
            .await?;
            if credited != 0 || written_off != 0 {
                return Err(InvoiceError::Conflict(
                    "this invoice has a credit note or write-off; credit what is still open instead of voiding it".into(),
                ));
            }
            let issue = ledger::get_entry(conn, entry_id).await?;
            let number = number.unwrap_or_default();
            let reversal = issue.reversal(date.max(issue.date), format!("Invoice {number} voided"));
            let posted = Posted {
                reverses: Some(entry_id),
                ..Posted::new("invoice-void", Party::Customer(CustomerId(customer)))
            };
            let void_id = ledger::insert_entry(conn, &reversal, posted).await?;
            sqlx::query("UPDATE invoices SET lifecycle = 'void', void_entry_id = ?, updated_at = ? WHERE id = ?")
                .bind(void_id)
                .bind(super::now_text())
                .bind(id.0)
                .execute(conn)
                .await?;
            Ok(())
        }
        ("void", _) => Err(InvoiceError::Conflict(
            "this invoice is already void".into(),
        )),
        _ => Err(InvoiceError::Conflict(
            "a draft has nothing to void; delete it instead".into(),
        )),
    }
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
    i64,
    i64,
    i64,
);

const STATUS_CTE: &str = "WITH inv AS (
        SELECT i.id, i.number, i.customer_id, COALESCE(i.billed_name, c.name) AS customer_name, i.issue_date, i.due_date, i.currency,
            i.lifecycle, i.total_minor,
            COALESCE((SELECT SUM(a.amount_minor) FROM live_allocations a WHERE a.invoice_id = i.id), 0) AS paid_minor,
            r.credited_minor, r.written_off_minor
        FROM invoices i JOIN customers c ON c.id = i.customer_id JOIN invoice_reductions r ON r.invoice_id = i.id),
    s AS (SELECT *,
        -- Mirrors domain::status::derive_status for filtering in SQL; a store test checks they agree.
        CASE WHEN lifecycle = 'draft' THEN 'draft'
             WHEN lifecycle = 'void' THEN 'void'
             WHEN total_minor - paid_minor - credited_minor - written_off_minor <= 0 THEN
                CASE WHEN written_off_minor > 0 THEN 'written-off'
                     WHEN credited_minor > 0 AND paid_minor <= 0 THEN 'credited'
                     ELSE 'paid' END
             WHEN due_date < ?1 THEN 'overdue'
             WHEN paid_minor > 0 THEN 'partially-paid'
             ELSE 'issued' END AS status
        FROM inv)";

const SUMMARY_COLUMNS: &str = "SELECT id, number, customer_id, customer_name, issue_date, due_date, currency, lifecycle, total_minor, paid_minor, credited_minor, written_off_minor FROM s";

fn to_summary(row: SummaryRow, today: NaiveDate) -> anyhow::Result<InvoiceSummary> {
    let (
        id,
        number,
        customer_id,
        customer_name,
        issue_date,
        due_date,
        currency,
        lifecycle,
        total,
        paid,
        credited,
        written_off,
    ) = row;
    let currency = Currency::parse(&currency)?;
    let total = Money::from_minor(total, currency);
    let settled = Settled {
        paid: Money::from_minor(paid, currency),
        credited: Money::from_minor(credited, currency),
        written_off: Money::from_minor(written_off, currency),
    };
    let lifecycle = lifecycle_from_text(&lifecycle);
    let open = if lifecycle == Lifecycle::Issued {
        settled.open(total)
    } else {
        Money::zero(currency)
    };
    Ok(InvoiceSummary {
        id: InvoiceId(id),
        number,
        customer_id: CustomerId(customer_id),
        customer_name,
        issue_date,
        due_date,
        total,
        open,
        status: derive_settled_status(lifecycle, total, settled, due_date, today),
    })
}

/// Which invoices a list shows.
#[derive(Clone, Debug, Default)]
pub struct InvoiceFilter {
    pub status: Option<InvoiceStatus>,
    pub customer: Option<CustomerId>,
    pub search: String,
}

/// One page of invoices, newest first, filtered by derived status as of `today`.
pub async fn list_invoices(
    conn: &mut SqliteConnection,
    filter: &InvoiceFilter,
    today: NaiveDate,
    page: u32,
    per_page: u32,
) -> anyhow::Result<Page<InvoiceSummary>> {
    // Each status also narrows the rows by an index its invoices are all found through, so a
    // rare status does not derive the status of every invoice to fill one page.
    let narrowed = match filter.status {
        Some(InvoiceStatus::Overdue) => {
            "AND id IN (SELECT invoice_id FROM open_invoices WHERE due_date < ?1)"
        }
        Some(InvoiceStatus::Issued | InvoiceStatus::PartiallyPaid) => {
            "AND id IN (SELECT invoice_id FROM open_invoices WHERE due_date >= ?1)"
        }
        Some(InvoiceStatus::WrittenOff) => "AND id IN (SELECT invoice_id FROM write_offs)",
        Some(InvoiceStatus::Credited) => "AND id IN (SELECT invoice_id FROM credit_notes)",
        Some(InvoiceStatus::Draft) => "AND lifecycle = 'draft'",
        Some(InvoiceStatus::Void) => "AND lifecycle = 'void'",
        Some(InvoiceStatus::Paid) | None => "",
    };
    let condition = format!(
        "WHERE (?2 IS NULL OR status = ?2) AND (?3 IS NULL OR customer_id = ?3)
        AND (customer_name LIKE ?4 ESCAPE '\\' OR COALESCE(number, '') LIKE ?4 ESCAPE '\\')
        {narrowed}"
    );
    let status = filter.status.map(InvoiceStatus::slug);
    let pattern = super::like_pattern(&filter.search);
    let by_status_only = filter.customer.is_none() && filter.search.trim().is_empty();
    // Without a customer or a search, the totals kept by triggers give the count (every invoice
    // has its customer, and "%%" matches any name); otherwise each matching status is derived.
    let total: i64 = match (filter.status, by_status_only) {
        (None, true) => super::invoice_counts::all_invoices(conn).await?,
        (Some(status), true) => super::invoice_counts::with_status(conn, status, today).await?,
        (_, false) => {
            sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
                "{STATUS_CTE} SELECT COUNT(*) FROM s {condition}"
            )))
            .bind(today)
            .bind(status)
            .bind(filter.customer.map(|c| c.0))
            .bind(&pattern)
            .fetch_one(&mut *conn)
            .await?
        }
    };
    // Overdue invoices are worked oldest debt first; every other list shows the newest first.
    let order = match filter.status {
        Some(InvoiceStatus::Overdue) => "due_date, id",
        _ => "issue_date DESC, id DESC",
    };
    // The overdue list on its own is a page of `open_invoices` read in due-date order (every
    // row there is an issued invoice with money owed, so overdue exactly when due before
    // today): only that page's statuses are derived, not those of every overdue invoice.
    let sql = if filter.status == Some(InvoiceStatus::Overdue) && by_status_only {
        format!(
            "{STATUS_CTE} {SUMMARY_COLUMNS} WHERE id IN (SELECT invoice_id FROM open_invoices WHERE due_date < ?1
                           ORDER BY due_date, invoice_id LIMIT ?5 OFFSET ?6)
             ORDER BY {order}"
        )
    } else {
        format!("{STATUS_CTE} {SUMMARY_COLUMNS} {condition} ORDER BY {order} LIMIT ?5 OFFSET ?6")
    };
    let rows: Vec<SummaryRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(today)
        .bind(status)
        .bind(filter.customer.map(|c| c.0))
        .bind(&pattern)
        .bind(i64::from(per_page))
        .bind(i64::from(page.saturating_sub(1)) * i64::from(per_page))
        .fetch_all(conn)
        .await?;
    let items = rows
        .into_iter()
        .map(|r| to_summary(r, today))
        .collect::<anyhow::Result<Vec<_>>>()?;
    Ok(Page {
        items,
        total: total as u64,
        page,
        per_page,
    })
}

/// A customer's issued invoices with an open balance, oldest due first: the order a payment
/// without explicit allocations settles them in.
pub async fn open_invoices(
    conn: &mut SqliteConnection,
    customer: CustomerId,
    currency: Currency,
    as_of: NaiveDate,
) -> anyhow::Result<Vec<OpenInvoice>> {
    Ok(open_invoices_of(conn, &[customer.0])
        .await?
        .remove(&customer.0)
        .unwrap_or_default()
        .into_iter()
        .filter(|(_, issued, _)| *issued <= as_of)
        .map(|(invoice, _, open)| OpenInvoice {
            invoice,
            open: Money::from_minor(open, currency),
        })
        .collect())
}

/// The open invoices of several customers, in one query, in `open_invoices`' order: each
/// with its issue date and what is open in minor units.
pub async fn open_invoices_of(
    conn: &mut SqliteConnection,
    customers: &[i64],
) -> anyhow::Result<HashMap<i64, Vec<(InvoiceId, NaiveDate, i64)>>> {
    // The triggers of `open_invoices` keep exactly the issued invoices with money still owed.
    let rows: Vec<(i64, i64, NaiveDate, i64)> = super::json_rows(
        conn,
        sqlx::query_scalar(
            "SELECT json_group_array(json_array(customer_id, invoice_id, issue_date, open_minor)
            ORDER BY due_date, invoice_id)
             FROM open_invoices WHERE customer_id IN (SELECT value FROM json_each(?))",
        )
        .bind(serde_json::json!(customers).to_string()),
    )
    .await?;
    let mut open: HashMap<i64, Vec<_>> = HashMap::new();
    for (customer, invoice, issued, minor) in rows {
        open.entry(customer)
            .or_default()
            .push((InvoiceId(invoice), issued, minor));
    }
    Ok(open)
}

/// An invoice with its lines, totals, payments and derived status.
pub async fn get_invoice(
    conn: &mut SqliteConnection,
    id: InvoiceId,
    today: NaiveDate,
) -> anyhow::Result<Option<InvoiceDetail>> {
    let row: Option<SummaryRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{STATUS_CTE} {SUMMARY_COLUMNS} WHERE id = ?2"
    )))
    .bind(today)
    .bind(id.0)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(row) = row else { return Ok(None) };
    let summary = to_summary(row, today)?;
    let (email, address, tax_id, notes): (String, String, String, String) = sqlx::query_as(
        "SELECT COALESCE(i.billed_email, c.email), COALESCE(i.billed_address, c.billing_address),
            COALESCE(i.billed_tax_id, c.tax_id), i.notes
         FROM invoices i JOIN customers c ON c.id = i.customer_id WHERE i.id = ?",
    )
    .bind(id.0)
    .fetch_one(&mut *conn)
    .await
    .context("invoice vanished while being read")?;
    let currency = summary.total.currency();
    let (lines, pricing, totals) = super::pricing::invoice_figures(conn, id, currency).await?;
    let payments = invoice_payments(conn, id, currency).await?;
    let paid = Money::sum(currency, payments.iter().map(|p| p.amount));
    let credit_notes = super::credit_notes::invoice_credit_notes(conn, id).await?;
    let write_off: Option<(NaiveDate, i64, String)> =
        sqlx::query_as("SELECT date, amount_minor, reason FROM write_offs WHERE invoice_id = ?")
            .bind(id.0)
            .fetch_optional(&mut *conn)
            .await?;
    let write_off = write_off.map(|(date, minor, reason)| WriteOffView {
        date,
        amount: Money::from_minor(minor, currency),
        reason,
    });
    let line_views = lines
        .iter()
        .zip(&totals.line_amounts)
        .map(|(l, net)| InvoiceLineView::of(l, *net))
        .collect();
    Ok(Some(InvoiceDetail {
        summary,
        customer_email: email,
        customer_address: address,
        customer_tax_id: tax_id,
        currency,
        notes,
        lines: line_views,
        pricing,
        totals,
        paid,
        payments,
        credited: Money::sum(currency, credit_notes.iter().map(|c| c.total)),
        credit_notes,
        write_off,
        today,
        quote: super::quotes::quote_of_invoice(conn, id).await?,
    }))
}

async fn invoice_payments(
    conn: &mut SqliteConnection,
    id: InvoiceId,
    currency: Currency,
) -> anyhow::Result<Vec<AllocationView>> {
    let rows: Vec<(i64, NaiveDate, String, String, i64, i64)> = sqlx::query_as(
        "SELECT p.id, p.received_on, p.method, p.reference, a.amount_minor, p.amount_minor FROM live_allocations a
         JOIN payments p ON p.id = a.payment_id WHERE a.invoice_id = ? ORDER BY p.received_on, p.id",
    )
    .bind(id.0)
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(
            |(pid, received_on, method, reference, minor, total)| AllocationView {
                payment_id: PaymentId(pid),
                received_on,
                method,
                reference,
                amount: Money::from_minor(minor, currency),
                payment_total: Money::from_minor(total, currency),
            },
        )
        .collect())
}

/// The invoice a new draft with this request key made, if any.
pub async fn draft_for_key(
    conn: &mut SqliteConnection,
    key: &str,
) -> sqlx::Result<Option<InvoiceId>> {
    let id: Option<i64> = sqlx::query_scalar("SELECT id FROM invoices WHERE idempotency_key = ?")
        .bind(key)
        .fetch_optional(conn)
        .await?;
    Ok(id.map(InvoiceId))
}

/// Notes the request key a new draft was made with, in the same transaction.
pub async fn keep_draft_key(
    conn: &mut SqliteConnection,
    id: InvoiceId,
    key: &str,
) -> sqlx::Result<()> {
    sqlx::query("UPDATE invoices SET idempotency_key = ? WHERE id = ?")
        .bind(key)
        .bind(id.0)
        .execute(conn)
        .await?;
    Ok(())
}
