//! The ledger: journal entries and their postings, append-only, each with its cash-basis
//! twin. Balances are summed from postings (or their per-month sums kept by triggers).

use super::ledger_rows::{composition_from, entry_from, postings_in};
use crate::domain::cash_basis::{cash_postings, mirror, Settlement};
use crate::domain::posting::accounts;
use crate::domain::{Currency, CustomerId, JournalEntry, Posting};
use chrono::NaiveDate;
use serde_json::{json, Value};
use sqlx::SqliteConnection;
use std::collections::HashMap;

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
    let ids = insert_entries(conn, &[(entry, posted)]).await?;
    ids.first()
        .copied()
        .ok_or_else(|| anyhow::anyhow!("the entry was not written"))
}

/// Writes entries as `insert_entry` does, in order, and returns their ids. Whatever their
/// number, it takes one statement per table: each statement is a round trip to the
/// database's thread, and the payment writer records many payments at once (see
/// `store::payment_batch`). The ids are chosen here, after the highest one, so the rows of
/// each table can be written together; every writer holds the write lock, so no one else
/// can take them meanwhile.
pub async fn insert_entries(
    conn: &mut SqliteConnection,
    entries: &[(&JournalEntry, Posted<'_>)],
) -> anyhow::Result<Vec<i64>> {
    let first: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(id), 0) + 1 FROM journal_entries")
        .fetch_one(&mut *conn)
        .await?;
    let ids: Vec<i64> = (first..).take(entries.len()).collect();
    let created_at = super::now_text();
    let mut heads = Vec::with_capacity(entries.len());
    let mut postings = Vec::new();
    let mut twins = Vec::new();
    for ((entry, posted), id) in entries.iter().zip(&ids) {
        heads.push(json!([
            id,
            entry.date,
            entry.memo,
            entry.currency().code(),
            posted.source,
            posted.reverses,
            created_at
        ]));
        postings.extend(entry.postings().iter().map(|posting| {
            let (customer, vendor) = sub_ledger(posting, posted.party);
            json!([
                id,
                posting.account.0,
                posting.amount.to_minor(),
                customer,
                vendor,
                entry.date
            ])
        }));
        let twin = twin_of(conn, entry, posted).await?;
        twins.extend(
            twin.iter()
                .map(|p| json!([id, entry.date, p.account.0, p.amount.to_minor()])),
        );
    }
    sqlx::query(
        "INSERT INTO journal_entries (id, date, memo, currency, source, reverses, created_at)
         SELECT value ->> 0, value ->> 1, value ->> 2, value ->> 3, value ->> 4, value ->> 5,
             value ->> 6
         FROM json_each(?) ORDER BY key",
    )
    .bind(Value::Array(heads).to_string())
    .execute(&mut *conn)
    .await?;
    sqlx::query(
        "INSERT INTO postings (entry_id, account_code, amount_minor, customer_id, vendor_id, date)
         SELECT value ->> 0, value ->> 1, value ->> 2, value ->> 3, value ->> 4, value ->> 5
         FROM json_each(?) ORDER BY key",
    )
    .bind(Value::Array(postings).to_string())
    .execute(&mut *conn)
    .await?;
    write_cash_postings(conn, twins).await?;
    Ok(ids)
}

/// The customer or vendor a posting's sub-ledger names, if it posts to a control account.
fn sub_ledger(posting: &Posting, party: Party) -> (Option<i64>, Option<i64>) {
    let code = posting.account.0.as_str();
    match party {
        Party::Customer(c)
            if [accounts::RECEIVABLES, accounts::CUSTOMER_CREDITS].contains(&code) =>
        {
            (Some(c.0), None)
        }
        Party::Vendor(v) if code == accounts::PAYABLES => (None, Some(v)),
        _ => (None, None),
    }
}

/// An entry's cash-basis twin: the caller's, the mirror of the reversed entry's, or by the
/// rules from its postings and what it settles.
async fn twin_of(
    conn: &mut SqliteConnection,
    entry: &JournalEntry,
    posted: &Posted<'_>,
) -> anyhow::Result<Vec<Posting>> {
    Ok(match (&posted.twin, posted.reverses) {
        (Some(twin), _) => twin.clone(),
        (None, Some(reversed)) => mirror(&cash_twin(conn, reversed).await?),
        (None, None) => cash_postings(entry.postings(), &posted.settlements)?,
    })
}

/// Writes cash-basis posting rows (`[entry_id, date, account_code, amount_minor]`), in order.
async fn write_cash_postings(conn: &mut SqliteConnection, rows: Vec<Value>) -> sqlx::Result<()> {
    if rows.is_empty() {
        return Ok(());
    }
    sqlx::query(
        "INSERT INTO cash_postings (entry_id, date, account_code, amount_minor)
         SELECT value ->> 0, value ->> 1, value ->> 2, value ->> 3 FROM json_each(?) ORDER BY key",
    )
    .bind(Value::Array(rows).to_string())
    .execute(conn)
    .await?;
    Ok(())
}

/// Writes the cash-basis postings of an entry.
pub async fn insert_cash_postings(
    conn: &mut SqliteConnection,
    entry_id: i64,
    date: NaiveDate,
    postings: &[Posting],
) -> sqlx::Result<()> {
    let rows = postings
        .iter()
        .map(|p| json!([entry_id, date, p.account.0, p.amount.to_minor()]))
        .collect();
    write_cash_postings(conn, rows).await
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

/// The compositions of several entries, in one query: a batch of payments reads those of
/// every invoice it settles. An entry with no composition (or none at all) is missing.
pub async fn compositions(
    conn: &mut SqliteConnection,
    entry_ids: &[i64],
) -> anyhow::Result<HashMap<i64, Vec<Posting>>> {
    let rows: Vec<(i64, String, i64, String)> = super::json_rows(
        conn,
        sqlx::query_scalar(
            "SELECT json_group_array(json_array(p.entry_id, p.account_code, p.amount_minor, e.currency)
                ORDER BY p.id)
             FROM postings p JOIN journal_entries e ON e.id = p.entry_id
             WHERE p.entry_id IN (SELECT value FROM json_each(?))",
        )
        .bind(json!(entry_ids).to_string()),
    )
    .await?;
    let mut by_entry: HashMap<i64, (String, Vec<(String, i64)>)> = HashMap::new();
    for (entry, code, minor, currency) in rows {
        let (_, postings) = by_entry
            .entry(entry)
            .or_insert_with(|| (currency, Vec::new()));
        postings.push((code, minor));
    }
    let mut found = HashMap::new();
    for (entry, (currency, postings)) in by_entry {
        let composition = composition_from(&currency, postings)?;
        if !composition.is_empty() {
            found.insert(entry, composition);
        }
    }
    Ok(found)
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
