//! The audit log's store side: naming who writes (`declare`, called by `begin_write`),
//! and reading the log back, newest first, filtered and a page at a time.
//!
//! Recording happens in SQLite triggers (migration 0018), not here, so every writer is caught,
//! including ones that never call this module, and the record shares the change's transaction.
//! The triggers read "who" from the one-row `audit_actor` table, which each write transaction
//! sets first and resets before committing; SQLite admits one writer at a time, so the row is
//! exact for the transaction that holds the write lock.

use sqlx::SqliteConnection;

/// Who makes a change.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Actor {
    /// A signed-in person.
    User { id: i64, email: String },
    /// The background jobs (recurring invoices, reminders).
    Scheduler,
    /// A `settle …` command run on the server.
    CommandLine,
    /// The app itself, when it derives data at start-up.
    System,
    /// Someone not signed in yet (creating the first account, accepting an invitation),
    /// named by what they typed or how they came.
    Named(String),
}

impl Actor {
    /// How the log names the actor: a person's email, or what ran.
    pub fn label(&self) -> &str {
        match self {
            Actor::User { email, .. } => email,
            Actor::Scheduler => "scheduler",
            Actor::CommandLine => "command line",
            Actor::System => "system",
            Actor::Named(name) => name,
        }
    }

    fn user_id(&self) -> Option<i64> {
        match self {
            Actor::User { id, .. } => Some(*id),
            _ => None,
        }
    }
}

/// Names `actor` as the writer of the current transaction, numbering the transaction anew, so
/// every row recorded from here on carries them. Also ends any pause (`pause_for_bulk_load`).
pub async fn declare(conn: &mut SqliteConnection, actor: &Actor) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE audit_actor SET txn = txn + 1, user_id = ?, actor = ?, recording = 1 WHERE id = 1",
    )
    .bind(actor.user_id())
    .bind(actor.label())
    .execute(conn)
    .await?;
    Ok(())
}

/// Forgets the current writer, so a write outside `begin_write` is logged as "unknown".
pub async fn forget(conn: &mut SqliteConnection) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE audit_actor SET user_id = NULL, actor = 'unknown', recording = 1 WHERE id = 1",
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// For the benchmark generator only: writes one row saying what the bulk load is, then stops
/// row-by-row recording until the transaction commits (or the next `declare`). Recording every
/// one of millions of generated rows would make the log the bulk of the file and the load
/// much slower, while saying nothing a person could act on.
pub async fn pause_for_bulk_load(conn: &mut SqliteConnection, summary: &str) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO audit_log (txn, user_id, actor, entity_kind, entity_id, action, after)
         SELECT txn, user_id, actor, 'business', 1, 'bulk load', json_object('summary', ?)
         FROM audit_actor WHERE id = 1",
    )
    .bind(summary)
    .execute(&mut *conn)
    .await?;
    sqlx::query("UPDATE audit_actor SET recording = 0 WHERE id = 1")
        .execute(conn)
        .await?;
    Ok(())
}

/// The tables whose changes the log records (each has `audit_<table>_…` triggers).
pub const AUDITED: &[&str] = &[
    "accounts",
    "allocations",
    "api_tokens",
    "bank_accounts",
    "bank_lines",
    "bank_rules",
    "bank_statements",
    "bill_payments",
    "business",
    "credit_notes",
    "credit_refunds",
    "customers",
    "email_settings",
    "expense_voids",
    "expenses",
    "invitations",
    "invoice_lines",
    "invoice_links",
    "invoices",
    "items",
    "journal_entries",
    "numbering",
    "payment_reversals",
    "payments",
    "quote_lines",
    "quotes",
    "recurring_invoices",
    "recurring_lines",
    "tax_rates",
    "users",
    "vendors",
    "write_offs",
];

/// The tables the log leaves out, each with the reason. A test fails when a table is in
/// neither list, so a new table gets a decision.
pub const NOT_AUDITED: &[(&str, &str)] = &[
    (
        "api_requests",
        "idempotency answers of the HTTP API, not changes",
    ),
    ("audit_actor", "the log's own plumbing"),
    ("audit_log", "the log itself, append-only"),
    (
        "invoice_deliveries",
        "its own append-only log of each email sent or failed, shown on the invoice",
    ),
    (
        "invoice_link_views",
        "its own append-only log of the customer's visits, shown on the invoice",
    ),
    (
        "bank_csv_profiles",
        "a remembered file layout, not a record",
    ),
    ("cash_postings", "derived from recorded documents"),
    (
        "credit_note_lines",
        "written once with its credit note, which is recorded",
    ),
    (
        "credit_note_taxes",
        "written once with its credit note, which is recorded",
    ),
    ("dashboard_months", "totals kept from recorded documents"),
    (
        "expense_lines",
        "written once with its expense, which is recorded",
    ),
    ("invoice_counts", "totals kept from recorded documents"),
    ("ledger_months", "totals kept from postings"),
    (
        "number_series",
        "a counter; the issued invoice records its number",
    ),
    ("open_by_due_date", "kept from open invoices"),
    ("open_invoices", "kept from recorded documents"),
    ("payment_requests", "idempotency answers, not changes"),
    (
        "postings",
        "written once with their journal entry; the document is recorded",
    ),
    (
        "receipts",
        "an attachment written once with its expense, which is recorded",
    ),
    (
        "recurring_runs",
        "the invoice a run creates is recorded, by the scheduler",
    ),
    ("sessions", "sign-ins, not changes to the books"),
];

/// One recorded change, as stored.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct LogRow {
    pub id: i64,
    pub at: String,
    pub txn: i64,
    pub user_id: Option<i64>,
    pub actor: String,
    pub entity_kind: String,
    pub entity_id: i64,
    pub entity_ref: Option<String>,
    pub action: String,
    pub before: Option<String>,
    pub after: Option<String>,
}

/// Which rows to read. Empty fields do not filter; `from`/`to` are RFC 3339 instants, `to`
/// excluded.
#[derive(Clone, Debug, Default)]
pub struct LogFilter {
    pub kind: Option<String>,
    /// A document's id, or what people call it (an invoice number, a customer's name).
    pub document: Option<String>,
    pub actor: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
}

const LOG_COLUMNS: &str =
    "id, at, txn, user_id, actor, entity_kind, entity_id, entity_ref, action, before, after";

/// Up to `limit` rows older than `before_id` (all when `None`), newest first.
pub async fn list_log(
    conn: &mut SqliteConnection,
    filter: &LogFilter,
    before_id: Option<i64>,
    limit: i64,
) -> sqlx::Result<Vec<LogRow>> {
    let document_id = filter
        .document
        .as_deref()
        .and_then(|d| d.trim().parse::<i64>().ok());
    // Only the constant column list is formatted in; every value is bound.
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {LOG_COLUMNS} FROM audit_log l
         WHERE l.id < ?1
           AND (?2 IS NULL OR l.entity_kind = ?2)
           AND (?3 IS NULL OR l.entity_id = ?4
                OR (l.entity_kind, l.entity_id) IN (
                    SELECT entity_kind, entity_id FROM audit_log
                    WHERE entity_ref = ?3 COLLATE NOCASE AND (?2 IS NULL OR entity_kind = ?2)))
           AND (?5 IS NULL OR l.actor = ?5)
           AND (?6 IS NULL OR l.at >= ?6)
           AND (?7 IS NULL OR l.at < ?7)
         ORDER BY l.id DESC LIMIT ?8"
    )))
    .bind(before_id.unwrap_or(i64::MAX))
    .bind(&filter.kind)
    .bind(filter.document.as_deref().map(str::trim))
    .bind(document_id)
    .bind(&filter.actor)
    .bind(&filter.from)
    .bind(&filter.to)
    .bind(limit)
    .fetch_all(conn)
    .await
}

/// Everyone and everything that has written to the log, for the filter.
pub async fn actors(conn: &mut SqliteConnection) -> sqlx::Result<Vec<String>> {
    sqlx::query_scalar("SELECT DISTINCT actor FROM audit_log ORDER BY actor")
        .fetch_all(conn)
        .await
}

/// One document's rows, oldest first.
pub async fn entity_log(
    conn: &mut SqliteConnection,
    kind: &str,
    id: i64,
) -> sqlx::Result<Vec<LogRow>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {LOG_COLUMNS} FROM audit_log WHERE entity_kind = ? AND entity_id = ? ORDER BY id"
    )))
    .bind(kind)
    .bind(id)
    .fetch_all(conn)
    .await
}

/// Who made the change the log recorded as `action` on a document, if it did.
pub async fn actor_of(
    conn: &mut SqliteConnection,
    kind: &str,
    id: i64,
    action: &str,
) -> sqlx::Result<Option<String>> {
    sqlx::query_scalar(
        "SELECT actor FROM audit_log WHERE entity_kind = ? AND entity_id = ? AND action = ?
         ORDER BY id LIMIT 1",
    )
    .bind(kind)
    .bind(id)
    .bind(action)
    .fetch_optional(conn)
    .await
}
