//! Keyset pages for the HTTP API: the ids of the next rows of a table after a given id, in
//! id order, so a client walking the pages sees every row once even while rows are added.

use sqlx::SqliteConnection;

/// The tables the API lists a page at a time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Listed {
    Customers,
    Items,
    Invoices,
    Payments,
    JournalEntries,
}

impl Listed {
    fn table(self) -> &'static str {
        match self {
            Listed::Customers => "customers",
            Listed::Items => "items",
            Listed::Invoices => "invoices",
            Listed::Payments => "payments",
            Listed::JournalEntries => "journal_entries",
        }
    }
}

/// Up to `limit` ids after `after` (0: from the start), ascending.
pub async fn ids_after(
    conn: &mut SqliteConnection,
    listed: Listed,
    after: i64,
    limit: i64,
) -> sqlx::Result<Vec<i64>> {
    let sql = format!(
        "SELECT id FROM {} WHERE id > ? ORDER BY id LIMIT ?",
        listed.table()
    );
    sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
        .bind(after)
        .bind(limit)
        .fetch_all(conn)
        .await
}
