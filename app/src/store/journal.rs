//! Manual journal entries and their reversal, the period lock and the year-end close.

use super::ledger::{self, Party, Posted};
use super::reports::{sums, Closing};
use crate::api::types::JournalEntryView;
use crate::domain::journal::{closing_entry, manual_entry, ManualLine};
use crate::domain::{AccountCode, AccountKind, Basis, Currency, Money};
use chrono::NaiveDate;
use sqlx::SqliteConnection;

#[derive(Debug, thiserror::Error)]
pub enum JournalError {
    #[error("{1}")]
    Invalid(&'static str, String),
    #[error("not found")]
    NotFound,
    #[error("{0}")]
    Conflict(String),
    #[error(transparent)]
    Store(#[from] anyhow::Error),
}

impl From<sqlx::Error> for JournalError {
    fn from(e: sqlx::Error) -> Self {
        JournalError::Store(e.into())
    }
}

/// Posts a manual entry after checking every account exists, is open and is not a control
/// account (receivables and payables move only with their documents, so the sub-ledgers
/// keep agreeing with them).
pub async fn post_manual_entry(
    conn: &mut SqliteConnection,
    date: NaiveDate,
    memo: &str,
    lines: &[ManualLine],
    currency: Currency,
) -> Result<i64, JournalError> {
    if let Some(message) = ledger::locked_message(conn, date).await? {
        return Err(JournalError::Invalid("date", message));
    }
    for (i, line) in lines.iter().enumerate() {
        let code = line.account.0.as_str();
        let row: Option<i64> = sqlx::query_scalar("SELECT archived FROM accounts WHERE code = ?")
            .bind(code)
            .fetch_optional(&mut *conn)
            .await?;
        let problem = match row {
            None => Some("choose an account from the list"),
            Some(1) => Some("this account is archived"),
            _ if crate::domain::cash_basis::is_control_account(code)
                || code == crate::domain::posting::accounts::CUSTOMER_CREDITS =>
            {
                Some("receivables, payables and customer credits change only through invoices, payments and bills")
            }
            _ => None,
        };
        if let Some(problem) = problem {
            return Err(JournalError::Invalid(
                "lines",
                format!("line {}: {problem}", i + 1),
            ));
        }
    }
    let entry = manual_entry(date, memo.to_string(), lines, currency)
        .map_err(|e| JournalError::Invalid("lines", e.to_string()))?;
    Ok(ledger::insert_entry(conn, &entry, Posted::new("journal", Party::Nobody)).await?)
}

/// Reverses a manual entry on a day: the exact mirror, linked to it. An entry is reversed at
/// most once; entries made by documents are corrected through their documents.
pub async fn reverse_entry(
    conn: &mut SqliteConnection,
    entry_id: i64,
    date: NaiveDate,
) -> Result<i64, JournalError> {
    let row: Option<(String, NaiveDate, Option<i64>)> = sqlx::query_as(
        "SELECT source, date, (SELECT id FROM journal_entries r WHERE r.reverses = e.id) FROM journal_entries e WHERE id = ?",
    )
    .bind(entry_id)
    .fetch_optional(&mut *conn)
    .await?;
    let (source, entry_date, reversed_by) = row.ok_or(JournalError::NotFound)?;
    if source != "journal" {
        return Err(JournalError::Conflict(
            "only manual entries are reversed here; correct a document through its own page".into(),
        ));
    }
    if reversed_by.is_some() {
        return Err(JournalError::Conflict(
            "this entry has already been reversed".into(),
        ));
    }
    if date < entry_date {
        return Err(JournalError::Invalid(
            "date",
            "a reversal cannot be dated before the entry".into(),
        ));
    }
    if let Some(message) = ledger::locked_message(conn, date).await? {
        return Err(JournalError::Invalid("date", message));
    }
    let entry = ledger::get_entry(conn, entry_id).await?;
    let reversal = entry.reversal(date, format!("Reversal of: {}", entry.memo));
    let posted = Posted {
        reverses: Some(entry_id),
        ..Posted::new("journal", Party::Nobody)
    };
    Ok(ledger::insert_entry(conn, &reversal, posted).await?)
}

/// Locks the books up to and including a day. The lock can move later, never earlier:
/// figures someone has filed must not change.
pub async fn lock_books(
    conn: &mut SqliteConnection,
    through: NaiveDate,
) -> Result<(), JournalError> {
    if let Some(current) = ledger::lock_date(conn).await? {
        if through < current {
            return Err(JournalError::Invalid(
                "lock_date",
                format!("the books are already locked up to {current}; a lock cannot move back"),
            ));
        }
    }
    sqlx::query("UPDATE business SET lock_date = ? WHERE id = 1")
        .bind(through)
        .execute(conn)
        .await?;
    Ok(())
}

/// Closes the year ending on `year_end`: posts the entry moving every revenue and expense
/// balance to retained earnings (on both bases) and locks the books up to that day.
pub async fn close_year(
    conn: &mut SqliteConnection,
    year_end: NaiveDate,
    currency: Currency,
) -> Result<Option<i64>, JournalError> {
    if let Some(message) = ledger::locked_message(conn, year_end).await? {
        return Err(JournalError::Invalid("year_end", message));
    }
    let chart = super::reports::chart(conn).await?;
    let pl_codes: Vec<&str> = chart
        .iter()
        .filter(|a| a.kind.is_profit_and_loss())
        .map(|a| a.code.as_str())
        .collect();
    let balances = |sums: &std::collections::HashMap<String, i64>| -> Vec<(AccountCode, Money)> {
        pl_codes
            .iter()
            .map(|c| {
                let minor = sums.get(*c).copied().unwrap_or(0);
                (AccountCode::new(c), Money::from_minor(minor, currency))
            })
            .collect()
    };
    let accrual = sums(conn, Basis::Accrual, None, year_end, Closing::Include).await?;
    let cash = sums(conn, Basis::Cash, None, year_end, Closing::Include).await?;
    let entry = closing_entry(year_end, &balances(&accrual), currency);
    // The cash-basis close zeroes the cash-basis balances, which differ from accrual; a year
    // can have something to close on one basis and nothing on the other.
    let cash_close = closing_entry(year_end, &balances(&cash), currency);
    let entry_id = if entry.is_some() || cash_close.is_some() {
        let memo = format!("Year-end close {year_end}");
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO journal_entries (date, memo, currency, source, created_at)
             VALUES (?, ?, ?, 'year_end_close', ?) RETURNING id",
        )
        .bind(year_end)
        .bind(&memo)
        .bind(currency.code())
        .bind(super::now_text())
        .fetch_one(&mut *conn)
        .await?;
        for p in entry.iter().flat_map(|e| e.postings()) {
            sqlx::query(
                "INSERT INTO postings (entry_id, account_code, amount_minor, date) VALUES (?, ?, ?, ?)",
            )
            .bind(id)
            .bind(&p.account.0)
            .bind(p.amount.to_minor())
            .bind(year_end)
            .execute(&mut *conn)
            .await?;
        }
        if let Some(cash_close) = cash_close {
            ledger::insert_cash_postings(conn, id, year_end, cash_close.postings()).await?;
        }
        Some(id)
    } else {
        None
    };
    lock_books(conn, year_end).await?;
    Ok(entry_id)
}

/// Manual entries per page, newest first, with their postings and whether they were reversed.
pub async fn list_journal(
    conn: &mut SqliteConnection,
    currency: Currency,
    page: u32,
    per_page: u32,
) -> sqlx::Result<(Vec<JournalEntryView>, u64)> {
    let total: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM journal_entries WHERE source IN ('journal', 'year_end_close')",
    )
    .fetch_one(&mut *conn)
    .await?;
    let rows: Vec<EntryRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{ENTRY_SELECT} WHERE e.source IN ('journal', 'year_end_close')
         ORDER BY e.date DESC, e.id DESC LIMIT ? OFFSET ?"
    )))
    .bind(i64::from(per_page))
    .bind(i64::from(page.max(1) - 1) * i64::from(per_page))
    .fetch_all(&mut *conn)
    .await?;
    let mut out = Vec::new();
    for row in rows {
        let postings = entry_postings(conn, row.id, currency).await?;
        out.push(row.view(postings));
    }
    Ok((out, total as u64))
}

/// Any entry with its postings (account code, name, debit-positive amount).
pub async fn get_journal_entry(
    conn: &mut SqliteConnection,
    currency: Currency,
    id: i64,
) -> sqlx::Result<Option<JournalEntryView>> {
    let row: Option<EntryRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{ENTRY_SELECT} WHERE e.id = ?"
    )))
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(row) = row else {
        return Ok(None);
    };
    let postings = entry_postings(conn, id, currency).await?;
    Ok(Some(row.view(postings)))
}

const ENTRY_SELECT: &str = "SELECT e.id, e.date, e.memo, e.source, e.reverses,
    (SELECT r.id FROM journal_entries r WHERE r.reverses = e.id) AS reversed_by
    FROM journal_entries e";

#[derive(sqlx::FromRow)]
struct EntryRow {
    id: i64,
    date: NaiveDate,
    memo: String,
    source: String,
    reverses: Option<i64>,
    reversed_by: Option<i64>,
}

impl EntryRow {
    fn view(self, postings: Vec<(String, String, Money)>) -> JournalEntryView {
        JournalEntryView {
            id: self.id,
            date: self.date,
            memo: self.memo,
            source: self.source,
            reverses: self.reverses,
            reversed_by: self.reversed_by,
            postings,
        }
    }
}

async fn entry_postings(
    conn: &mut SqliteConnection,
    id: i64,
    currency: Currency,
) -> sqlx::Result<Vec<(String, String, Money)>> {
    let rows: Vec<(String, String, i64)> = sqlx::query_as(
        "SELECT p.account_code, a.name, p.amount_minor FROM postings p JOIN accounts a ON a.code = p.account_code
         WHERE p.entry_id = ? ORDER BY p.id",
    )
    .bind(id)
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(code, name, minor)| (code, name, Money::from_minor(minor, currency)))
        .collect())
}

/// Every open account, for pickers.
pub async fn account_choices(
    conn: &mut SqliteConnection,
) -> sqlx::Result<Vec<(String, String, AccountKind)>> {
    let rows: Vec<(String, String, String)> =
        sqlx::query_as("SELECT code, name, kind FROM accounts WHERE archived = 0 ORDER BY code")
            .fetch_all(conn)
            .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(c, n, k)| AccountKind::parse(&k).map(|k| (c, n, k)))
        .collect())
}
