//! The ledger: journal entries and their postings, append-only. Balances are always summed
//! from postings, never stored.

use crate::api::types::{TrialBalance, TrialBalanceRow};
use crate::domain::posting::accounts;
use crate::domain::{AccountCode, Currency, CustomerId, JournalEntry, Money, Posting};
use chrono::NaiveDate;
use sqlx::SqliteConnection;

/// Writes a balanced entry. Postings to receivables and customer credits carry the customer,
/// which keeps the per-customer sub-ledgers.
pub async fn insert_entry(
    conn: &mut SqliteConnection,
    entry: &JournalEntry,
    source: &str,
    customer: Option<CustomerId>,
    reverses: Option<i64>,
) -> sqlx::Result<i64> {
    let entry_id: i64 = sqlx::query_scalar(
        "INSERT INTO journal_entries (date, memo, currency, source, reverses, created_at)
         VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(entry.date)
    .bind(&entry.memo)
    .bind(entry.currency().code())
    .bind(source)
    .bind(reverses)
    .bind(super::now_text())
    .fetch_one(&mut *conn)
    .await?;
    for posting in entry.postings() {
        let sub_ledger = [accounts::RECEIVABLES, accounts::CUSTOMER_CREDITS]
            .contains(&posting.account.0.as_str());
        sqlx::query("INSERT INTO postings (entry_id, account_code, amount_minor, customer_id) VALUES (?, ?, ?, ?)")
            .bind(entry_id)
            .bind(&posting.account.0)
            .bind(posting.amount.to_minor())
            .bind(customer.filter(|_| sub_ledger).map(|c| c.0))
            .execute(&mut *conn)
            .await?;
    }
    Ok(entry_id)
}

/// Reads an entry back as a domain value (to reverse it).
pub async fn get_entry(conn: &mut SqliteConnection, entry_id: i64) -> anyhow::Result<JournalEntry> {
    let (date, memo, currency): (NaiveDate, String, String) =
        sqlx::query_as("SELECT date, memo, currency FROM journal_entries WHERE id = ?")
            .bind(entry_id)
            .fetch_one(&mut *conn)
            .await?;
    let currency = Currency::parse(&currency)?;
    let rows: Vec<(String, i64)> = sqlx::query_as(
        "SELECT account_code, amount_minor FROM postings WHERE entry_id = ? ORDER BY id",
    )
    .bind(entry_id)
    .fetch_all(&mut *conn)
    .await?;
    let postings = rows
        .into_iter()
        .map(|(code, minor)| Posting {
            account: AccountCode(code),
            amount: Money::from_minor(minor, currency),
        })
        .collect();
    Ok(JournalEntry::new(date, memo, postings)?)
}

/// The debit-positive balance of one account, over every posting or up to and including
/// `as_of`.
pub async fn account_balance(
    conn: &mut SqliteConnection,
    code: &str,
    as_of: Option<NaiveDate>,
) -> sqlx::Result<i64> {
    sqlx::query_scalar(
        "SELECT COALESCE(SUM(p.amount_minor), 0) FROM postings p
         JOIN journal_entries e ON e.id = p.entry_id
         WHERE p.account_code = ?1 AND (?2 IS NULL OR e.date <= ?2)",
    )
    .bind(code)
    .bind(as_of)
    .fetch_one(conn)
    .await
}

/// Every account with postings up to `as_of`, with its balance.
pub async fn trial_balance(
    conn: &mut SqliteConnection,
    currency: Currency,
    as_of: NaiveDate,
) -> sqlx::Result<TrialBalance> {
    let rows: Vec<(String, String, String, i64)> = sqlx::query_as(
        "SELECT a.code, a.name, a.kind, SUM(p.amount_minor) FROM postings p
         JOIN journal_entries e ON e.id = p.entry_id
         JOIN accounts a ON a.code = p.account_code
         WHERE e.date <= ?
         GROUP BY a.code ORDER BY a.code",
    )
    .bind(as_of)
    .fetch_all(conn)
    .await?;
    let rows: Vec<TrialBalanceRow> = rows
        .into_iter()
        .map(|(code, name, kind, minor)| TrialBalanceRow {
            code,
            name,
            kind,
            balance: Money::from_minor(minor, currency),
        })
        .collect();
    let total_debit = Money::sum(
        currency,
        rows.iter().map(|r| r.balance).filter(|b| b.is_positive()),
    );
    let total_credit = -Money::sum(
        currency,
        rows.iter().map(|r| r.balance).filter(|b| b.is_negative()),
    );
    Ok(TrialBalance {
        as_of,
        rows,
        total_debit,
        total_credit,
    })
}
