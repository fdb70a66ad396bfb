//! A vendor's page: what was bought from them and paid to them over a period, read from the
//! expenses, bills, bill payments and voids, with the balance owed taken from their payables
//! sub-ledger.

use crate::api::vendors::{VendorLine, VendorLineKind, VendorStatement};
use crate::domain::posting::accounts;
use crate::domain::{Currency, Money, Period};
use chrono::{Days, NaiveDate};
use sqlx::SqliteConnection;

/// The most lines one page shows; a longer period is refused rather than cut short.
pub const MAX_LINES: i64 = 5_000;

#[derive(Debug, thiserror::Error)]
pub enum VendorError {
    #[error("vendor not found")]
    NotFound,
    #[error("more than {MAX_LINES} lines; choose a shorter period")]
    TooLong,
    #[error(transparent)]
    Store(#[from] anyhow::Error),
}

impl From<sqlx::Error> for VendorError {
    fn from(e: sqlx::Error) -> Self {
        VendorError::Store(e.into())
    }
}

/// Owed to the vendor at the end of `as_of`: their payables postings, credit-positive.
async fn owed(conn: &mut SqliteConnection, vendor: i64, as_of: NaiveDate) -> sqlx::Result<i64> {
    sqlx::query_scalar(
        "SELECT COALESCE(-SUM(amount_minor), 0) FROM postings
         WHERE vendor_id = ? AND account_code = ? AND date <= ?",
    )
    .bind(vendor)
    .bind(accounts::PAYABLES)
    .bind(as_of)
    .fetch_one(conn)
    .await
}

#[derive(sqlx::FromRow)]
struct LineRow {
    date: NaiveDate,
    kind: String,
    expense_id: i64,
    entry_id: i64,
    memo: String,
    reference: String,
    account: Option<String>,
    billed: i64,
    paid: i64,
}

// Each document and each void is one line, on the day its entry is dated. Expenses paid at
// once are billed and paid together; a void carries the negative of what it undoes.
const LINES: &str = "
    SELECT e.date, e.kind, e.id AS expense_id, e.entry_id, e.memo, e.reference, e.paid_from AS account,
        e.total_minor AS billed, CASE WHEN e.kind = 'expense' THEN e.total_minor ELSE 0 END AS paid
    FROM expenses e WHERE e.vendor_id = ?1 AND e.date BETWEEN ?2 AND ?3
    UNION ALL
    SELECT b.paid_on, 'bill_payment', b.bill_id, b.entry_id, '', e.reference, b.paid_from,
        0, b.amount_minor
    FROM bill_payments b JOIN expenses e ON e.id = b.bill_id
    WHERE e.vendor_id = ?1 AND b.paid_on BETWEEN ?2 AND ?3
    UNION ALL
    SELECT j.date, e.kind || '_void', e.id, x.entry_id, x.reason, e.reference, e.paid_from,
        -e.total_minor, CASE WHEN e.kind = 'expense' THEN -e.total_minor ELSE 0 END
    FROM expense_voids x JOIN expenses e ON e.id = x.expense_id JOIN journal_entries j ON j.id = x.entry_id
    WHERE e.vendor_id = ?1 AND j.date BETWEEN ?2 AND ?3
    UNION ALL
    SELECT r.date, 'bill_payment_void', b.bill_id, r.id, '', e.reference, b.paid_from,
        0, -b.amount_minor
    FROM bill_payments b JOIN expenses e ON e.id = b.bill_id JOIN journal_entries r ON r.reverses = b.entry_id
    WHERE e.vendor_id = ?1 AND r.date BETWEEN ?2 AND ?3
    ORDER BY 1, 4 LIMIT ?4";

/// The vendor's page for a period: opening balance owed, each line with the running
/// balance, the totals bought and paid, and the closing balance owed.
pub async fn vendor_statement(
    conn: &mut SqliteConnection,
    currency: Currency,
    vendor: i64,
    period: Period,
) -> Result<VendorStatement, VendorError> {
    let name: Option<String> = sqlx::query_scalar("SELECT name FROM vendors WHERE id = ?")
        .bind(vendor)
        .fetch_optional(&mut *conn)
        .await?;
    let name = name.ok_or(VendorError::NotFound)?;
    let opening = match period.from.checked_sub_days(Days::new(1)) {
        Some(day_before) => owed(conn, vendor, day_before).await?,
        None => 0,
    };
    let closing = owed(conn, vendor, period.to).await?;
    let rows: Vec<LineRow> = sqlx::query_as(LINES)
        .bind(vendor)
        .bind(period.from)
        .bind(period.to)
        .bind(MAX_LINES + 1)
        .fetch_all(&mut *conn)
        .await?;
    if rows.len() as i64 > MAX_LINES {
        return Err(VendorError::TooLong);
    }
    let money = |minor| Money::from_minor(minor, currency);
    let mut running = opening;
    let lines: Vec<VendorLine> = rows
        .into_iter()
        .map(|r| {
            running += r.billed - r.paid;
            VendorLine {
                date: r.date,
                kind: kind_of(&r.kind),
                expense_id: r.expense_id,
                entry_id: r.entry_id,
                description: describe(&r),
                billed: money(r.billed),
                paid: money(r.paid),
                balance: money(running),
            }
        })
        .collect();
    Ok(VendorStatement {
        vendor_id: vendor,
        vendor_name: name,
        period,
        opening: money(opening),
        billed: Money::sum(currency, lines.iter().map(|l| l.billed)),
        paid: Money::sum(currency, lines.iter().map(|l| l.paid)),
        lines,
        closing: money(closing),
    })
}

fn kind_of(text: &str) -> VendorLineKind {
    match text {
        "bill" => VendorLineKind::Bill,
        "bill_payment" => VendorLineKind::BillPayment,
        "expense_void" => VendorLineKind::ExpenseVoided,
        "bill_void" => VendorLineKind::BillVoided,
        "bill_payment_void" => VendorLineKind::PaymentVoided,
        _ => VendorLineKind::Expense,
    }
}

fn describe(r: &LineRow) -> String {
    let mut text = kind_of(&r.kind).label().to_string();
    if !r.reference.is_empty() {
        text.push_str(&format!(" {}", r.reference));
    }
    if let Some(account) = r.account.as_deref().filter(|_| r.paid != 0) {
        text.push_str(&format!(", from account {account}"));
    }
    if !r.memo.is_empty() {
        text.push_str(&format!(": {}", r.memo));
    }
    text
}
