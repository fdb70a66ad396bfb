//! Archiving and deleting customers. A customer some document names (an invoice, even a
//! draft, a payment, a credit note, a quote, a recurring invoice or a posting) is archived:
//! left out of the customer list and the pickers and refused on new documents, while every
//! document keeps naming them. A customer nothing names can be deleted outright.

use super::customers::{to_customer, CustomerRow, SELECT};
use crate::api::types::{Customer, Page};
use crate::domain::posting::accounts;
use crate::domain::CustomerId;
use sqlx::SqliteConnection;

/// Why archiving, restoring or deleting was refused; shown to the person as is.
#[derive(Debug, thiserror::Error)]
pub enum ArchiveError {
    #[error("customer not found")]
    NotFound,
    #[error("{0}")]
    Refused(String),
    #[error(transparent)]
    Store(#[from] sqlx::Error),
}

/// What names a customer, as "3 invoices, 1 payment"; empty when nothing does.
pub async fn documents_naming(conn: &mut SqliteConnection, id: CustomerId) -> sqlx::Result<String> {
    let kinds = [
        ("invoices", "invoice", "invoices"),
        ("payments", "payment", "payments"),
        ("credit_notes", "credit note", "credit notes"),
        ("quotes", "quote", "quotes"),
        (
            "recurring_invoices",
            "recurring invoice",
            "recurring invoices",
        ),
    ];
    let mut parts = Vec::new();
    for (table, one, many) in kinds {
        let count: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
            "SELECT COUNT(*) FROM {table} WHERE customer_id = ?"
        )))
        .bind(id.0)
        .fetch_one(&mut *conn)
        .await?;
        if count > 0 {
            parts.push(format!("{count} {}", if count == 1 { one } else { many }));
        }
    }
    let posted: bool =
        sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM postings WHERE customer_id = ?)")
            .bind(id.0)
            .fetch_one(&mut *conn)
            .await?;
    if parts.is_empty() && posted {
        parts.push("entries in the books".into());
    }
    Ok(parts.join(", "))
}

async fn name_of(conn: &mut SqliteConnection, id: CustomerId) -> Result<String, ArchiveError> {
    sqlx::query_scalar("SELECT name FROM customers WHERE id = ?")
        .bind(id.0)
        .fetch_optional(conn)
        .await?
        .ok_or(ArchiveError::NotFound)
}

/// Archives a customer (or restores one, `archived` false) in the caller's transaction.
/// A customer with a recurring invoice still running is refused: pause it first, so no
/// invoice is made for someone archived.
pub async fn set_archived(
    conn: &mut SqliteConnection,
    id: CustomerId,
    archived: bool,
) -> Result<(), ArchiveError> {
    let name = name_of(conn, id).await?;
    if archived {
        let running: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM recurring_invoices WHERE customer_id = ? AND paused_at IS NULL",
        )
        .bind(id.0)
        .fetch_one(&mut *conn)
        .await?;
        if running > 0 {
            return Err(ArchiveError::Refused(format!(
                "{name} has a recurring invoice that is still running; pause it first"
            )));
        }
        sqlx::query("UPDATE customers SET archived_at = ? WHERE id = ? AND archived_at IS NULL")
            .bind(super::now_text())
            .bind(id.0)
            .execute(conn)
            .await?;
    } else {
        sqlx::query("UPDATE customers SET archived_at = NULL WHERE id = ?")
            .bind(id.0)
            .execute(conn)
            .await?;
    }
    Ok(())
}

/// Deletes a customer nothing names, in the caller's transaction. One that documents name is
/// refused, saying what names them, so the person archives them instead.
pub async fn delete(conn: &mut SqliteConnection, id: CustomerId) -> Result<String, ArchiveError> {
    let name = name_of(conn, id).await?;
    let naming = documents_naming(conn, id).await?;
    if !naming.is_empty() {
        return Err(ArchiveError::Refused(format!(
            "{name} has {naming}, which must keep their customer; archive {name} instead"
        )));
    }
    sqlx::query("DELETE FROM customers WHERE id = ?")
        .bind(id.0)
        .execute(conn)
        .await?;
    Ok(name)
}

/// The name of an archived customer, or `None` for one that is active (or does not exist):
/// new invoices and quotes are refused for archived customers.
pub async fn archived_name(
    conn: &mut SqliteConnection,
    id: CustomerId,
) -> sqlx::Result<Option<String>> {
    sqlx::query_scalar("SELECT name FROM customers WHERE id = ? AND archived_at IS NOT NULL")
        .bind(id.0)
        .fetch_optional(conn)
        .await
}

/// Archived customers, by name, one page at a time.
pub async fn list_archived(
    conn: &mut SqliteConnection,
    page: u32,
    per_page: u32,
) -> anyhow::Result<Page<Customer>> {
    let total: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM customers WHERE archived_at IS NOT NULL")
            .fetch_one(&mut *conn)
            .await?;
    let rows: Vec<CustomerRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{SELECT} WHERE c.archived_at IS NOT NULL AND ?3 IS NULL
         ORDER BY c.name COLLATE NOCASE, c.id LIMIT ?4 OFFSET ?5"
    )))
    .bind(accounts::RECEIVABLES)
    .bind(accounts::CUSTOMER_CREDITS)
    .bind(None::<i64>)
    .bind(i64::from(per_page))
    .bind(i64::from(page.saturating_sub(1)) * i64::from(per_page))
    .fetch_all(conn)
    .await?;
    Ok(Page {
        items: rows
            .into_iter()
            .map(to_customer)
            .collect::<anyhow::Result<Vec<_>>>()?,
        total: total as u64,
        page,
        per_page,
    })
}
