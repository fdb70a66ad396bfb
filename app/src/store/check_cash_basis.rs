//! `settle check` on the cash basis: every twin balances, and each equals a fresh derivation
//! from its accrual entry. Twins are derived a chunk of entries at a time from facts read in
//! bulk, by the same steps posting takes (`cash_twin`).

use super::cash_twin::{expected_twin, Chunk, NotRead};
use crate::domain::{Currency, Money};
use sqlx::SqliteConnection;

/// Entries derived at a time by `settle check`: about fifteen queries and a few megabytes
/// per chunk.
pub const CHUNK: i64 = 4096;

/// Every cash-basis entry balances, and each equals a fresh derivation from its accrual entry.
pub(super) async fn cash_basis_sound(
    conn: &mut SqliteConnection,
    currency: Currency,
) -> anyhow::Result<Vec<String>> {
    let unbalanced: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT entry_id, SUM(amount_minor) FROM cash_postings GROUP BY entry_id HAVING SUM(amount_minor) <> 0",
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut problems: Vec<String> = unbalanced
        .into_iter()
        .map(|(entry, sum)| {
            format!(
                "the cash-basis twin of journal entry {entry} sums to {} instead of zero",
                Money::from_minor(sum, currency)
            )
        })
        .collect();
    problems.extend(entries_with_wrong_twin(conn, CHUNK).await?.into_iter().map(|id| {
        format!("the cash-basis twin of journal entry {id} differs from what its accrual entry implies")
    }));
    Ok(problems)
}

/// The journal entries whose stored cash-basis twin differs from what their accrual entry
/// implies, in id order, derived `size` entries at a time.
pub async fn entries_with_wrong_twin(
    conn: &mut SqliteConnection,
    size: i64,
) -> anyhow::Result<Vec<i64>> {
    let mut wrong = Vec::new();
    let mut after = i64::MIN;
    while let Some(mut chunk) = Chunk::read(conn, after, size).await? {
        wrong.extend(wrong_in(&mut chunk).await?);
        after = chunk.last();
    }
    Ok(wrong)
}

async fn wrong_in(chunk: &mut Chunk) -> anyhow::Result<Vec<i64>> {
    let entries: Vec<(i64, Option<i64>)> = chunk
        .entries()
        .iter()
        // A year-end close computes its cash-basis twin from cash balances, not by rule.
        .filter(|e| e.source != "year_end_close")
        .map(|e| (e.id, e.reverses))
        .collect();
    let mut wrong = Vec::new();
    for (id, reverses) in entries {
        let expected = match expected_twin(chunk, id, reverses).await {
            Ok(twin) => twin,
            Err(e) if e.is::<NotRead>() => return Err(e),
            // An entry that cannot be read back (it does not balance) is reported by the
            // checks of the accrual ledger.
            Err(_) => continue,
        };
        let mut expected: Vec<(String, i64)> = expected
            .into_iter()
            .map(|p| (p.account.0, p.amount.to_minor()))
            .collect();
        let mut stored = chunk.stored_rows(id).to_vec();
        expected.sort();
        stored.sort();
        if expected != stored {
            wrong.push(id);
        }
    }
    Ok(wrong)
}
