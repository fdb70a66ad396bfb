//! How many invoices have a derived status, counted from the totals kept by triggers
//! (migrations 0010 and 0014) instead of deriving the status of every invoice ever issued.
//!
//! An issued invoice is open exactly when it has a row in `open_invoices` (`settle check`
//! verifies that table), so the open statuses (overdue, partially paid, issued) are counted
//! among the open rows, and the closed ones (written off, credited, paid) among the write-offs,
//! the credit notes and what is left.

use crate::domain::InvoiceStatus;
use chrono::NaiveDate;
use sqlx::SqliteConnection;

/// Every invoice, whatever its status.
pub async fn all_invoices(conn: &mut SqliteConnection) -> sqlx::Result<i64> {
    sqlx::query_scalar("SELECT COALESCE(SUM(invoices), 0) FROM invoice_counts")
        .fetch_one(conn)
        .await
}

/// The invoices whose status as of `today` is `status`; the same number the status filter of
/// the invoice list finds by deriving each invoice's status.
pub async fn with_status(
    conn: &mut SqliteConnection,
    status: InvoiceStatus,
    today: NaiveDate,
) -> sqlx::Result<i64> {
    match status {
        InvoiceStatus::Draft => in_lifecycle(conn, "draft").await,
        InvoiceStatus::Void => in_lifecycle(conn, "void").await,
        InvoiceStatus::Overdue => {
            sqlx::query_scalar(
                "SELECT COALESCE(SUM(invoices), 0) FROM open_by_due_date WHERE due_date < ?",
            )
            .bind(today)
            .fetch_one(conn)
            .await
        }
        InvoiceStatus::Issued => not_yet_due(conn, today, "= 0").await,
        InvoiceStatus::PartiallyPaid => not_yet_due(conn, today, "> 0").await,
        InvoiceStatus::WrittenOff => written_off(conn).await,
        InvoiceStatus::Credited => credited(conn).await,
        InvoiceStatus::Paid => {
            let issued = in_lifecycle(&mut *conn, "issued").await?;
            let open: i64 =
                sqlx::query_scalar("SELECT COALESCE(SUM(invoices), 0) FROM open_by_due_date")
                    .fetch_one(&mut *conn)
                    .await?;
            let written_off = written_off(&mut *conn).await?;
            let credited = credited(conn).await?;
            Ok(issued - open - written_off - credited)
        }
    }
}

async fn in_lifecycle(conn: &mut SqliteConnection, lifecycle: &str) -> sqlx::Result<i64> {
    sqlx::query_scalar("SELECT COALESCE(SUM(invoices), 0) FROM invoice_counts WHERE lifecycle = ?")
        .bind(lifecycle)
        .fetch_one(conn)
        .await
}

/// Open invoices not yet due, by whether anything was paid on them (`paid` is "= 0" or "> 0").
async fn not_yet_due(
    conn: &mut SqliteConnection,
    today: NaiveDate,
    paid: &'static str,
) -> sqlx::Result<i64> {
    sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
        "SELECT COUNT(*) FROM open_invoices o WHERE o.due_date >= ?
         AND COALESCE((SELECT SUM(a.amount_minor) FROM allocations a
             WHERE a.invoice_id = o.invoice_id), 0) {paid}"
    )))
    .bind(today)
    .fetch_one(conn)
    .await
}

/// Issued invoices with nothing open and a write-off.
async fn written_off(conn: &mut SqliteConnection) -> sqlx::Result<i64> {
    sqlx::query_scalar(
        "SELECT COUNT(*) FROM write_offs w JOIN invoices i ON i.id = w.invoice_id
         WHERE i.lifecycle = 'issued'
            AND NOT EXISTS (SELECT 1 FROM open_invoices o WHERE o.invoice_id = w.invoice_id)",
    )
    .fetch_one(conn)
    .await
}

/// Issued invoices with nothing open, a credit note, no write-off and nothing paid.
async fn credited(conn: &mut SqliteConnection) -> sqlx::Result<i64> {
    sqlx::query_scalar(
        "SELECT COUNT(*) FROM (SELECT DISTINCT invoice_id FROM credit_notes) c
         JOIN invoices i ON i.id = c.invoice_id
         WHERE i.lifecycle = 'issued'
            AND NOT EXISTS (SELECT 1 FROM open_invoices o WHERE o.invoice_id = c.invoice_id)
            AND NOT EXISTS (SELECT 1 FROM write_offs w WHERE w.invoice_id = c.invoice_id)
            AND COALESCE((SELECT SUM(a.amount_minor) FROM allocations a
                WHERE a.invoice_id = c.invoice_id), 0) <= 0",
    )
    .fetch_one(conn)
    .await
}
