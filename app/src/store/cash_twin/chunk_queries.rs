//! The queries a [`super::Chunk`] is read with: each is the bulk form of one query of
//! `Database`, over the range of the chunk's entry ids (`?1` to `?2`) or over a JSON array of
//! ids (`?1`, opened with `json_each`).

use sqlx::SqliteConnection;
use std::collections::{BTreeSet, HashMap};

/// A JSON array of ids, which the queries below open with `json_each`.
pub(super) fn id_list(ids: &BTreeSet<i64>) -> String {
    let ids: Vec<String> = ids.iter().map(i64::to_string).collect();
    format!("[{}]", ids.join(","))
}

/// Rows of a query over the entries with ids from `?1` to `?2`.
pub(super) async fn ranged<T>(
    conn: &mut SqliteConnection,
    sql: &'static str,
    first: i64,
    last: i64,
) -> sqlx::Result<Vec<T>>
where
    T: for<'r> sqlx::FromRow<'r, sqlx::sqlite::SqliteRow> + Send + Unpin,
{
    sqlx::query_as(sql)
        .bind(first)
        .bind(last)
        .fetch_all(conn)
        .await
}

/// Rows of a query over `ids`, grouped by the id `row` finds in each, with an empty group for
/// every id the database has nothing for.
pub(super) async fn grouped<R, T>(
    conn: &mut SqliteConnection,
    sql: &'static str,
    ids: &BTreeSet<i64>,
    row: impl Fn(R) -> (i64, T),
) -> sqlx::Result<HashMap<i64, Vec<T>>>
where
    R: for<'r> sqlx::FromRow<'r, sqlx::sqlite::SqliteRow> + Send + Unpin,
{
    let mut groups: HashMap<i64, Vec<T>> = ids.iter().map(|id| (*id, Vec::new())).collect();
    for (id, value) in listed(conn, sql, &id_list(ids)).await?.into_iter().map(row) {
        groups.entry(id).or_default().push(value);
    }
    Ok(groups)
}

/// Rows of a query over the ids of a JSON array `?1`; none for an empty one.
pub(super) async fn listed<T>(
    conn: &mut SqliteConnection,
    sql: &'static str,
    list: &str,
) -> sqlx::Result<Vec<T>>
where
    T: for<'r> sqlx::FromRow<'r, sqlx::sqlite::SqliteRow> + Send + Unpin,
{
    if list == "[]" {
        return Ok(Vec::new());
    }
    sqlx::query_as(sql).bind(list).fetch_all(conn).await
}

pub(super) const POSTINGS: &str = "SELECT entry_id, account_code, amount_minor FROM postings
    WHERE entry_id BETWEEN ?1 AND ?2 ORDER BY entry_id, id";

pub(super) const CASH_POSTINGS: &str =
    "SELECT entry_id, account_code, amount_minor FROM cash_postings
    WHERE entry_id BETWEEN ?1 AND ?2 ORDER BY entry_id, id";

pub(super) const CREDIT_NOTES: &str =
    "SELECT entry_id, invoice_id FROM credit_notes WHERE entry_id BETWEEN ?1 AND ?2";

pub(super) const REVERSALS: &str = "SELECT entry_id, payment_id FROM payment_reversals
    WHERE entry_id BETWEEN ?1 AND ?2 ORDER BY id";

// An allocation is posted by its own entry (credit applied later) or else by its payment's;
// two halves so that each can use its index.
pub(super) const ALLOCATIONS: &str = "SELECT p.entry_id, a.invoice_id, a.amount_minor, a.id
    FROM payments p JOIN allocations a ON a.payment_id = p.id
    WHERE p.entry_id BETWEEN ?1 AND ?2 AND a.entry_id IS NULL
    UNION ALL
    SELECT a.entry_id, a.invoice_id, a.amount_minor, a.id
    FROM allocations a JOIN payments p ON p.id = a.payment_id
    WHERE a.entry_id BETWEEN ?1 AND ?2
    ORDER BY 4";

pub(super) const BILL_PAYMENTS: &str =
    "SELECT b.entry_id, b.bill_id, e.entry_id, b.amount_minor, b.id
    FROM bill_payments b JOIN expenses e ON e.id = b.bill_id WHERE b.entry_id BETWEEN ?1 AND ?2";

pub(super) const INVOICES: &str = "SELECT id, issue_entry_id, currency FROM invoices
    WHERE id IN (SELECT value FROM json_each(?1))";

pub(super) const INVOICE_ROWS: &str = "SELECT a.invoice_id, COALESCE(a.entry_id, p.entry_id), a.id,
        a.amount_minor, r.entry_id
    FROM allocations a JOIN payments p ON p.id = a.payment_id
    LEFT JOIN payment_reversals r ON r.payment_id = a.payment_id
    WHERE a.invoice_id IN (SELECT value FROM json_each(?1))
    UNION ALL
    SELECT invoice_id, entry_id, 0, NULL, NULL FROM credit_notes
    WHERE invoice_id IN (SELECT value FROM json_each(?1))";

pub(super) const BILL_PAID: &str = "SELECT bill_id, id, amount_minor FROM bill_payments
    WHERE bill_id IN (SELECT value FROM json_each(?1)) ORDER BY bill_id, id";

pub(super) const PAYMENT_ENTRIES: &str = "SELECT id, entry_id FROM payments
    WHERE id IN (SELECT value FROM json_each(?1))
    UNION SELECT payment_id, entry_id FROM allocations
    WHERE payment_id IN (SELECT value FROM json_each(?1)) AND entry_id IS NOT NULL
    ORDER BY 1, 2";

pub(super) const OUTSIDE_ENTRIES: &str = "SELECT id, currency, date FROM journal_entries
    WHERE id IN (SELECT value FROM json_each(?1))";

pub(super) const OUTSIDE_POSTINGS: &str =
    "SELECT entry_id, account_code, amount_minor FROM postings
    WHERE entry_id IN (SELECT value FROM json_each(?1)) ORDER BY entry_id, id";

pub(super) const OUTSIDE_CASH_POSTINGS: &str =
    "SELECT entry_id, account_code, amount_minor FROM cash_postings
    WHERE entry_id IN (SELECT value FROM json_each(?1)) ORDER BY entry_id, id";
