//! The ledger: journal entries and their postings, append-only, each with its cash-basis
//! twin. Balances are summed from postings (or their per-month sums kept by triggers).

use super::ledger_rows::{composition_from, entry_from, postings_in};
use crate::domain::cash_basis::{cash_postings, mirror, Settlement};
use crate::domain::posting::accounts;
use crate::domain::{Currency, CustomerId, JournalEntry, Posting};
use chrono::NaiveDate;
use sqlx::SqliteConnection;

/// Whose sub-ledger an entry's control postings belong to.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Party {
    Nobody,
    Customer(CustomerId),
    Vendor(i64),
}

/// What an entry is and what it settles, besides its postings.
#[derive(Clone, Debug)]
pub struct Posted<'a> {
    pub source: &'a str,
    pub party: Party,
    pub reverses: Option<i64>,
    /// The documents a payment settles, whose income or expense it recognises on the cash basis.
    pub settlements: Vec<Settlement>,
    /// A cash-basis twin worked out by the caller (a credit note's), instead of the rules.
    pub twin: Option<Vec<Posting>>,
}

impl<'a> Posted<'a> {
    pub fn new(source: &'a str, party: Party) -> Posted<'a> {
        Posted {
            source,
            party,
            reverses: None,
            settlements: Vec::new(),
            twin: None,
        }
    }
}

/// Writes a balanced entry and its cash-basis twin. Postings to receivables and customer
/// credits carry the customer, postings to payables the vendor: the sub-ledgers.
pub async fn insert_entry(
    conn: &mut SqliteConnection,
    entry: &JournalEntry,
    posted: Posted<'_>,
) -> anyhow::Result<i64> {
    let entry_id: i64 = sqlx::query_scalar(
        "INSERT INTO journal_entries (date, memo, currency, source, reverses, created_at)
         VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(entry.date)
    .bind(&entry.memo)
    .bind(entry.currency().code())
    .bind(posted.source)
    .bind(posted.reverses)
    .bind(super::now_text())
    .fetch_one(&mut *conn)
    .await?;
    // One statement for all the postings (and one for the cash twin below): each statement is
    // a round trip to the database's thread, and a payment's are on every caller's path.
    let mut insert = sqlx::QueryBuilder::<sqlx::Sqlite>::new(
        "INSERT INTO postings (entry_id, account_code, amount_minor, customer_id, vendor_id, date) ",
    );
    insert.push_values(entry.postings(), |mut row, posting| {
        let code = posting.account.0.as_str();
        let customer = match posted.party {
            Party::Customer(c)
                if [accounts::RECEIVABLES, accounts::CUSTOMER_CREDITS].contains(&code) =>
            {
                Some(c.0)
            }
            _ => None,
        };
        let vendor = match posted.party {
            Party::Vendor(v) if code == accounts::PAYABLES => Some(v),
            _ => None,
        };
        row.push_bind(entry_id)
            .push_bind(code.to_string())
            .push_bind(posting.amount.to_minor())
            .push_bind(customer)
            .push_bind(vendor)
            .push_bind(entry.date);
    });
    insert.build().execute(&mut *conn).await?;
    let twin = match (posted.twin, posted.reverses) {
        (Some(twin), _) => twin,
        (None, Some(reversed)) => mirror(&cash_twin(conn, reversed).await?),
        (None, None) => cash_postings(entry.postings(), &posted.settlements)?,
    };
    insert_cash_postings(conn, entry_id, entry.date, &twin).await?;
    Ok(entry_id)
}

/// Writes the cash-basis postings of an entry.
pub async fn insert_cash_postings(
    conn: &mut SqliteConnection,
    entry_id: i64,
    date: NaiveDate,
    postings: &[Posting],
) -> sqlx::Result<()> {
    if postings.is_empty() {
        return Ok(());
    }
    let mut insert = sqlx::QueryBuilder::<sqlx::Sqlite>::new(
        "INSERT INTO cash_postings (entry_id, date, account_code, amount_minor) ",
    );
    insert.push_values(postings, |mut row, posting| {
        row.push_bind(entry_id)
            .push_bind(date)
            .push_bind(posting.account.0.clone())
            .push_bind(posting.amount.to_minor());
    });
    insert.build().execute(conn).await?;
    Ok(())
}

/// An entry's cash-basis postings as written.
pub async fn cash_twin(conn: &mut SqliteConnection, entry_id: i64) -> anyhow::Result<Vec<Posting>> {
    let currency: String = sqlx::query_scalar("SELECT currency FROM journal_entries WHERE id = ?")
        .bind(entry_id)
        .fetch_one(&mut *conn)
        .await?;
    let currency = Currency::parse(&currency)?;
    let rows: Vec<(String, i64)> = sqlx::query_as(
        "SELECT account_code, amount_minor FROM cash_postings WHERE entry_id = ? ORDER BY id",
    )
    .bind(entry_id)
    .fetch_all(&mut *conn)
    .await?;
    Ok(postings_in(currency, rows))
}

/// A document's own income or expense and tax postings: its entry without the control
/// posting. A settlement recognises these in proportion on the cash basis.
pub async fn composition(
    conn: &mut SqliteConnection,
    entry_id: i64,
) -> anyhow::Result<Vec<Posting>> {
    // One query: a payment reads this for every invoice it settles. An entry without
    // postings gives one row of NULLs; a missing entry gives none.
    let rows: Vec<(String, Option<String>, Option<i64>)> = sqlx::query_as(
        "SELECT e.currency, p.account_code, p.amount_minor FROM journal_entries e
         LEFT JOIN postings p ON p.entry_id = e.id WHERE e.id = ? ORDER BY p.id",
    )
    .bind(entry_id)
    .fetch_all(&mut *conn)
    .await?;
    let Some(currency) = rows.first().map(|r| r.0.clone()) else {
        anyhow::bail!("journal entry {entry_id} not found");
    };
    let postings = rows
        .into_iter()
        .filter_map(|(_, code, minor)| Some((code?, minor?)));
    composition_from(&currency, postings)
}

/// The day the books are locked up to (included), if any.
pub async fn lock_date(conn: &mut SqliteConnection) -> sqlx::Result<Option<NaiveDate>> {
    sqlx::query_scalar("SELECT lock_date FROM business WHERE id = 1")
        .fetch_one(conn)
        .await
}

/// The sentence a form shows when its date falls in a locked period, or `None`.
pub async fn locked_message(
    conn: &mut SqliteConnection,
    date: NaiveDate,
) -> sqlx::Result<Option<String>> {
    Ok(lock_message(lock_date(conn).await?, date))
}

/// `locked_message` for a caller that has already read the lock date.
pub fn lock_message(lock: Option<NaiveDate>, date: NaiveDate) -> Option<String> {
    lock.filter(|lock| date <= *lock)
        .map(|lock| format!("the books are locked up to {lock}; choose a later date"))
}

/// Reads an entry back as a domain value (to reverse it).
pub async fn get_entry(conn: &mut SqliteConnection, entry_id: i64) -> anyhow::Result<JournalEntry> {
    let (date, memo, currency): (NaiveDate, String, String) =
        sqlx::query_as("SELECT date, memo, currency FROM journal_entries WHERE id = ?")
            .bind(entry_id)
            .fetch_one(&mut *conn)
            .await?;
    let rows: Vec<(String, i64)> = sqlx::query_as(
        "SELECT account_code, amount_minor FROM postings WHERE entry_id = ? ORDER BY id",
    )
    .bind(entry_id)
    .fetch_all(&mut *conn)
    .await?;
    entry_from(date, memo, &currency, rows)
}

/// The debit-positive balance of one account, over every posting or up to and including
/// `as_of`. Every posting's balance is the sum of the account's monthly totals, which the
/// posting triggers keep (and `settle check` verifies), so it costs a few rows however big the
/// book grows.
pub async fn account_balance(
    conn: &mut SqliteConnection,
    code: &str,
    as_of: Option<NaiveDate>,
) -> sqlx::Result<i64> {
    match as_of {
        None => {
            sqlx::query_scalar(
                "SELECT COALESCE(SUM(amount_minor), 0) FROM ledger_months
                 WHERE basis = 'accrual' AND account_code = ?",
            )
            .bind(code)
            .fetch_one(conn)
            .await
        }
        Some(as_of) => {
            sqlx::query_scalar(
                "SELECT COALESCE(SUM(p.amount_minor), 0) FROM postings p
                 JOIN journal_entries e ON e.id = p.entry_id
                 WHERE p.account_code = ? AND e.date <= ?",
            )
            .bind(code)
            .bind(as_of)
            .fetch_one(conn)
            .await
        }
    }
}
