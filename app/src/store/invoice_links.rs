//! Private invoice links: an unguessable token per issued invoice that shows that invoice,
//! and nothing else, to whoever holds it; revoked by stamping it, re-created with a new token.

use crate::domain::InvoiceId;
use chrono::{DateTime, Utc};
use sqlx::SqliteConnection;

/// An invoice's live link and how often the customer opened it.
#[derive(Clone, Debug, PartialEq)]
pub struct LinkRecord {
    pub token: String,
    pub created_at: DateTime<Utc>,
    pub views: i64,
    pub first_viewed: Option<DateTime<Utc>>,
    pub last_viewed: Option<DateTime<Utc>>,
}

#[derive(Debug, thiserror::Error)]
pub enum LinkError {
    #[error("invoice not found")]
    NotFound,
    #[error("a draft has no private link; issue it first")]
    Draft,
    #[error(transparent)]
    Store(#[from] sqlx::Error),
}

fn parse_time(text: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

/// Gives the invoice a new link, revoking the one it had. The token is 256 bits from the
/// operating system's random source, seeding a cryptographic generator.
pub async fn create_link(
    conn: &mut SqliteConnection,
    invoice: InvoiceId,
    user: i64,
    now: DateTime<Utc>,
) -> Result<String, LinkError> {
    let lifecycle: Option<String> =
        sqlx::query_scalar("SELECT lifecycle FROM invoices WHERE id = ?")
            .bind(invoice.0)
            .fetch_optional(&mut *conn)
            .await?;
    match lifecycle.as_deref() {
        None => return Err(LinkError::NotFound),
        Some("draft") => return Err(LinkError::Draft),
        Some(_) => {}
    }
    revoke_link(conn, invoice, now).await?;
    let token = super::users::new_token();
    sqlx::query(
        "INSERT INTO invoice_links (invoice_id, token, created_at, created_by) VALUES (?, ?, ?, ?)",
    )
    .bind(invoice.0)
    .bind(&token)
    .bind(now.to_rfc3339())
    .bind(user)
    .execute(&mut *conn)
    .await?;
    Ok(token)
}

/// Revokes the invoice's live link, if it has one; its token then answers nothing.
pub async fn revoke_link(
    conn: &mut SqliteConnection,
    invoice: InvoiceId,
    now: DateTime<Utc>,
) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "UPDATE invoice_links SET revoked_at = ? WHERE invoice_id = ? AND revoked_at IS NULL",
    )
    .bind(now.to_rfc3339())
    .bind(invoice.0)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() > 0)
}

type LinkRow = (String, String, i64, Option<String>, Option<String>);

/// The invoice's live link with its views, if it has one.
pub async fn live_link(
    conn: &mut SqliteConnection,
    invoice: InvoiceId,
) -> sqlx::Result<Option<LinkRecord>> {
    let row: Option<LinkRow> = sqlx::query_as(
        "SELECT l.token, l.created_at, COUNT(v.id), MIN(v.viewed_at), MAX(v.viewed_at)
         FROM invoice_links l LEFT JOIN invoice_link_views v ON v.link_id = l.id
         WHERE l.invoice_id = ? AND l.revoked_at IS NULL GROUP BY l.id",
    )
    .bind(invoice.0)
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|(token, created, views, first, last)| LinkRecord {
        token,
        created_at: parse_time(&created).unwrap_or_default(),
        views,
        first_viewed: first.as_deref().and_then(parse_time),
        last_viewed: last.as_deref().and_then(parse_time),
    }))
}

/// The link and invoice a token opens: only a live link of an issued or void invoice.
pub async fn open_link(
    conn: &mut SqliteConnection,
    token: &str,
) -> sqlx::Result<Option<(i64, InvoiceId)>> {
    let row: Option<(i64, i64)> = sqlx::query_as(
        "SELECT l.id, l.invoice_id FROM invoice_links l JOIN invoices i ON i.id = l.invoice_id
         WHERE l.token = ? AND l.revoked_at IS NULL AND i.lifecycle <> 'draft'",
    )
    .bind(token)
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|(link, invoice)| (link, InvoiceId(invoice))))
}

/// Notes that the customer opened the link. Known shortcoming: every visit is a row and there
/// is no rate limit, so a link opened thousands of times (a crawler given it) adds as many
/// small rows; the page itself still answers normally.
pub async fn record_view(
    conn: &mut SqliteConnection,
    link: i64,
    now: DateTime<Utc>,
) -> sqlx::Result<()> {
    sqlx::query("INSERT INTO invoice_link_views (link_id, viewed_at) VALUES (?, ?)")
        .bind(link)
        .bind(now.to_rfc3339_opts(chrono::SecondsFormat::Millis, true))
        .execute(conn)
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::test_db;

    async fn invoice(conn: &mut SqliteConnection, lifecycle: &str) -> InvoiceId {
        sqlx::query(
            "INSERT INTO customers (name, email, billing_address, tax_id, currency, payment_terms_days, notes, created_at)
             VALUES ('Harbor Cafe', '', '', '', 'GBP', 14, '', '2026-03-01')",
        )
        .execute(&mut *conn)
        .await
        .unwrap();
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO invoices (customer_id, lifecycle, issue_date, due_date, currency, tax_rounding,
                net_minor, tax_minor, total_minor, created_at, updated_at)
             VALUES (last_insert_rowid(), ?, '2026-03-02', '2026-03-16', 'GBP', 'per_document', 0, 0, 0, '', '')
             RETURNING id",
        )
        .bind(lifecycle)
        .fetch_one(&mut *conn)
        .await
        .unwrap();
        InvoiceId(id)
    }

    #[tokio::test]
    async fn a_draft_gets_no_link() {
        let pool = test_db().await;
        let mut conn = pool.acquire().await.unwrap();
        let draft = invoice(&mut conn, "draft").await;

        let refused = create_link(&mut conn, draft, 1, Utc::now()).await;

        assert!(matches!(refused, Err(LinkError::Draft)));
        let missing = create_link(&mut conn, InvoiceId(999), 1, Utc::now()).await;
        assert!(matches!(missing, Err(LinkError::NotFound)));
    }
}
