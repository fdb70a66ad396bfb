//! What printed documents need beyond the invoice screen's detail: the customer's tax id as
//! billed (kept on the invoice from the day it was issued; a draft shows today's).

use crate::domain::InvoiceId;
use sqlx::SqliteConnection;

pub async fn billed_tax_id(
    conn: &mut SqliteConnection,
    invoice: InvoiceId,
) -> sqlx::Result<Option<String>> {
    sqlx::query_scalar(
        "SELECT COALESCE(i.billed_tax_id, c.tax_id) FROM invoices i
         JOIN customers c ON c.id = i.customer_id WHERE i.id = ?",
    )
    .bind(invoice.0)
    .fetch_optional(conn)
    .await
}
