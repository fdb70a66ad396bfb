//! Reconciling a bank account: the bank's statement balance against the book balance at a
//! date, what is not reconciled on either side, and marking the statement lines reconciled
//! (the database then refuses to change them).

use super::bank_import::BankImportError;
use crate::api::bank_types::{BookItem, ReconciliationView};
use crate::domain::{Currency, Money};
use chrono::NaiveDate;
use sqlx::SqliteConnection;

/// The state of a bank account's reconciliation at `as_of`.
pub async fn reconciliation(
    conn: &mut SqliteConnection,
    bank_account_id: i64,
    as_of: NaiveDate,
    currency: Currency,
) -> anyhow::Result<ReconciliationView> {
    let code: String = sqlx::query_scalar("SELECT account_code FROM bank_accounts WHERE id = ?")
        .bind(bank_account_id)
        .fetch_one(&mut *conn)
        .await?;
    let statement: Option<(i64, NaiveDate)> = sqlx::query_as(
        "SELECT closing_minor, closing_date FROM bank_statements
         WHERE bank_account_id = ? AND closing_minor IS NOT NULL AND closing_date <= ?
         ORDER BY closing_date DESC, id DESC LIMIT 1",
    )
    .bind(bank_account_id)
    .bind(as_of)
    .fetch_optional(&mut *conn)
    .await?;
    let book: i64 = sqlx::query_scalar(
        "SELECT COALESCE(SUM(p.amount_minor), 0) FROM postings p
         JOIN journal_entries e ON e.id = p.entry_id WHERE p.account_code = ? AND e.date <= ?",
    )
    .bind(&code)
    .bind(as_of)
    .fetch_one(&mut *conn)
    .await?;
    let (open_lines, open_lines_minor): (i64, i64) = sqlx::query_as(
        "SELECT COUNT(*), COALESCE(SUM(amount_minor), 0) FROM bank_lines
         WHERE bank_account_id = ? AND booking_date <= ? AND reconciled_at IS NULL
            AND state = 'unmatched'",
    )
    .bind(bank_account_id)
    .bind(as_of)
    .fetch_one(&mut *conn)
    .await?;
    let reconciled_through: Option<NaiveDate> = sqlx::query_scalar(
        "SELECT MAX(booking_date) FROM bank_lines WHERE bank_account_id = ? AND reconciled_at IS NOT NULL",
    )
    .bind(bank_account_id)
    .fetch_one(&mut *conn)
    .await?;
    let book_only = book_only_items(conn, bank_account_id, &code, as_of, currency).await?;
    let statement_balance = statement.map(|(minor, _)| Money::from_minor(minor, currency));
    Ok(ReconciliationView {
        as_of,
        statement_balance,
        statement_date: statement.map(|(_, date)| date),
        book_balance: Money::from_minor(book, currency),
        difference: statement_balance.map(|s| s - Money::from_minor(book, currency)),
        unsettled_lines: open_lines as usize,
        unsettled_amount: Money::from_minor(open_lines_minor, currency),
        book_only,
        reconciled_through,
    })
}

/// Money the books say moved through the bank account that no imported line accounts for.
async fn book_only_items(
    conn: &mut SqliteConnection,
    bank_account_id: i64,
    code: &str,
    as_of: NaiveDate,
    currency: Currency,
) -> sqlx::Result<Vec<BookItem>> {
    let rows: Vec<(i64, NaiveDate, String, i64)> = sqlx::query_as(
        "SELECT e.id, e.date, e.memo, SUM(p.amount_minor) FROM postings p
         JOIN journal_entries e ON e.id = p.entry_id
         WHERE p.account_code = ?1 AND e.date <= ?2
            AND e.id NOT IN (SELECT entry_id FROM bank_lines WHERE entry_id IS NOT NULL AND bank_account_id = ?3)
            AND e.id NOT IN (SELECT pay.entry_id FROM bank_lines l JOIN payments pay ON pay.id = l.payment_id
                             WHERE l.bank_account_id = ?3)
         GROUP BY e.id ORDER BY e.date DESC, e.id DESC LIMIT 200",
    )
    .bind(code)
    .bind(as_of)
    .bind(bank_account_id)
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(entry_id, date, memo, minor)| BookItem {
            entry_id,
            date,
            memo,
            amount: Money::from_minor(minor, currency),
        })
        .collect())
}

/// Marks every settled (matched, booked or ignored) line up to `as_of` reconciled, once the
/// statement's closing balance equals the book balance at that date. Returns how many lines
/// were marked.
pub async fn mark_reconciled(
    conn: &mut SqliteConnection,
    bank_account_id: i64,
    as_of: NaiveDate,
    currency: Currency,
) -> Result<usize, BankImportError> {
    let invalid = BankImportError::Invalid;
    let view = reconciliation(conn, bank_account_id, as_of, currency).await?;
    match view.difference {
        None => {
            return Err(invalid(
                "no imported statement states a closing balance on or before that date".into(),
            ))
        }
        Some(d) if !d.is_zero() => {
            return Err(invalid(format!(
                "the statement says {} but the books say {}: {} to find first",
                view.statement_balance.unwrap_or(d),
                view.book_balance,
                d
            )))
        }
        Some(_) => {}
    }
    if view.unsettled_lines > 0 {
        return Err(invalid(format!(
            "{} lines up to that date are not matched, booked or ignored yet",
            view.unsettled_lines
        )));
    }
    let done = sqlx::query(
        "UPDATE bank_lines SET reconciled_at = ? WHERE bank_account_id = ? AND booking_date <= ?
            AND reconciled_at IS NULL",
    )
    .bind(super::now_text())
    .bind(bank_account_id)
    .bind(as_of)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() as usize)
}
