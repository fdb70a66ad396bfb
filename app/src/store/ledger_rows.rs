//! Journal rows as SQLite returns them, turned into domain values. One-entry reads in `ledger`
//! and the chunked reads of `settle check` both go through here, so they agree on every row.

use crate::domain::cash_basis::is_control_account;
use crate::domain::{AccountCode, Currency, JournalEntry, Money, Posting};
use chrono::NaiveDate;

/// Postings (account, minor units) in one currency.
pub fn postings_in(
    currency: Currency,
    rows: impl IntoIterator<Item = (String, i64)>,
) -> Vec<Posting> {
    rows.into_iter()
        .map(|(code, minor)| Posting {
            account: AccountCode(code),
            amount: Money::from_minor(minor, currency),
        })
        .collect()
}

/// A document's composition from its entry's postings in posting order: all but the control
/// postings. The entry's currency is only read when some posting needs it.
pub fn composition_from(
    currency: &str,
    rows: impl IntoIterator<Item = (String, i64)>,
) -> anyhow::Result<Vec<Posting>> {
    let kept: Vec<(String, i64)> = rows
        .into_iter()
        .filter(|(code, _)| !is_control_account(code))
        .collect();
    if kept.is_empty() {
        return Ok(Vec::new());
    }
    Ok(postings_in(Currency::parse(currency)?, kept))
}

/// A journal entry from its row and its postings in posting order; refused as the domain
/// refuses it (fewer than two postings, or not balanced).
pub fn entry_from(
    date: NaiveDate,
    memo: String,
    currency: &str,
    rows: impl IntoIterator<Item = (String, i64)>,
) -> anyhow::Result<JournalEntry> {
    let postings = postings_in(Currency::parse(currency)?, rows);
    Ok(JournalEntry::new(date, memo, postings)?)
}
