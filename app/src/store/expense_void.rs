//! Voiding a recorded expense or bill: the exact reversal of its entry on the expense's own
//! day (and of each payment of a bill, on the payment's day), so every report of any period
//! reads as if it had never been recorded. Refused when that day is locked.

use super::expenses::ExpenseError;
use super::ledger::{self, Party, Posted};
use chrono::NaiveDate;
use sqlx::SqliteConnection;

/// What to do with the payments of a bill being voided.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BillPayments {
    /// A bill with payments is not voided; the caller is told to void them with it.
    Refuse,
    /// Each payment is reversed on its own day too: the money goes back to the account it
    /// was paid from, as if it had never been paid.
    VoidToo,
}

/// A bill payment not yet reversed: (id, entry, day paid, amount in minor units).
type OpenPayment = (i64, i64, NaiveDate, i64);

/// Voids an expense or bill once; voiding it again returns the first void's entry and posts
/// nothing. Returns the entry that reverses the expense.
pub async fn void_expense(
    conn: &mut SqliteConnection,
    id: i64,
    payments: BillPayments,
    reason: &str,
) -> Result<i64, ExpenseError> {
    let row: Option<(String, i64, String, NaiveDate, i64, Option<i64>)> = sqlx::query_as(
        "SELECT e.kind, e.vendor_id, v.name, e.date, e.entry_id,
            (SELECT x.entry_id FROM expense_voids x WHERE x.expense_id = e.id)
         FROM expenses e JOIN vendors v ON v.id = e.vendor_id WHERE e.id = ?",
    )
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?;
    let Some((kind, vendor, vendor_name, date, entry_id, voided)) = row else {
        return Err(ExpenseError::NotFound);
    };
    if let Some(void_entry) = voided {
        return Ok(void_entry);
    }
    let word = if kind == "bill" { "bill" } else { "expense" };
    // The reversal is dated the expense's own day, so no report of any period ever shows
    // the expense without its void; a day in a locked period is final.
    if let Some(lock) = ledger::lock_date(conn).await?.filter(|l| date <= *l) {
        return Err(ExpenseError::Conflict(format!(
            "this {word} is dated {date}, in the books locked up to {lock}, so it can no longer \
             be voided; record the correction in an open period instead"
        )));
    }
    let open: Vec<OpenPayment> = sqlx::query_as(
        "SELECT b.id, b.entry_id, b.paid_on, b.amount_minor FROM bill_payments b
         WHERE b.bill_id = ? AND NOT EXISTS (SELECT 1 FROM journal_entries r WHERE r.reverses = b.entry_id)
         ORDER BY b.id",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    if !open.is_empty() {
        if payments == BillPayments::Refuse {
            return Err(ExpenseError::Conflict(format!(
                "this bill has {} payment{}; void it together with its payments (the money \
                 goes back to the account it was paid from), or leave it as it is",
                open.len(),
                if open.len() == 1 { "" } else { "s" }
            )));
        }
        reverse_payments(conn, &open, vendor, &vendor_name).await?;
    }
    let entry = ledger::get_entry(conn, entry_id).await?;
    let memo = match reason.trim() {
        "" => format!("Void of: {}", entry.memo),
        reason => format!("Void of: {} ({reason})", entry.memo),
    };
    let reversal = entry.reversal(date, memo);
    let posted = Posted {
        reverses: Some(entry_id),
        ..Posted::new(
            if kind == "bill" {
                "bill_void"
            } else {
                "expense_void"
            },
            Party::Vendor(vendor),
        )
    };
    let void_entry = ledger::insert_entry(conn, &reversal, posted).await?;
    sqlx::query(
        "INSERT INTO expense_voids (expense_id, entry_id, reason, created_at) VALUES (?, ?, ?, ?)",
    )
    .bind(id)
    .bind(void_entry)
    .bind(reason.trim())
    .bind(super::now_text())
    .execute(&mut *conn)
    .await?;
    Ok(void_entry)
}

/// Reverses each payment of a bill on the day it was paid.
async fn reverse_payments(
    conn: &mut SqliteConnection,
    payments: &[OpenPayment],
    vendor: i64,
    vendor_name: &str,
) -> Result<(), ExpenseError> {
    for (_, entry_id, paid_on, _) in payments {
        if let Some(lock) = ledger::lock_date(conn).await?.filter(|l| paid_on <= l) {
            return Err(ExpenseError::Conflict(format!(
                "a payment of this bill is dated {paid_on}, in the books locked up to {lock}, \
                 so the bill can no longer be voided"
            )));
        }
        let entry = ledger::get_entry(conn, *entry_id).await?;
        let reversal = entry.reversal(*paid_on, format!("Void of bill payment to {vendor_name}"));
        let posted = Posted {
            reverses: Some(*entry_id),
            ..Posted::new("bill_payment_void", Party::Vendor(vendor))
        };
        ledger::insert_entry(conn, &reversal, posted).await?;
    }
    Ok(())
}

/// For `settle check`: each void exactly reverses its expense's entry, a void bill has every
/// payment reversed and any other bill none, and the triggers guarding voids are in place.
pub async fn voids_sound(conn: &mut SqliteConnection) -> sqlx::Result<Vec<String>> {
    let mut problems = Vec::new();
    let unreversed: Vec<(i64, String)> = sqlx::query_as(
        "SELECT x.expense_id, p.account_code FROM expense_voids x JOIN expenses e ON e.id = x.expense_id
         JOIN postings p ON p.entry_id IN (e.entry_id, x.entry_id)
         GROUP BY x.expense_id, p.account_code HAVING SUM(p.amount_minor) <> 0",
    )
    .fetch_all(&mut *conn)
    .await?;
    problems.extend(unreversed.into_iter().map(|(id, code)| {
        format!("expense {id} is void but its entry is not exactly reversed on account {code}")
    }));
    let payments: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT b.bill_id, b.id FROM bill_payments b
         WHERE EXISTS (SELECT 1 FROM expense_voids x WHERE x.expense_id = b.bill_id)
            <> EXISTS (SELECT 1 FROM journal_entries r WHERE r.reverses = b.entry_id)",
    )
    .fetch_all(&mut *conn)
    .await?;
    problems.extend(payments.into_iter().map(|(bill, payment)| {
        format!("bill {bill}: payment {payment} is reversed although the bill is not void, or the bill is void and the payment stands")
    }));
    const REQUIRED: [&str; 5] = [
        "expense_voids_no_update",
        "expense_voids_no_delete",
        "expense_voids_reverse_the_expense",
        "expense_voids_after_payments",
        "bill_payments_not_on_void_bills",
    ];
    let present: Vec<String> =
        sqlx::query_scalar("SELECT name FROM sqlite_master WHERE type = 'trigger'")
            .fetch_all(conn)
            .await?;
    problems.extend(
        REQUIRED
            .iter()
            .filter(|name| !present.iter().any(|p| p == *name))
            .map(|name| format!("the safeguard {name} is missing, so voids could be changed")),
    );
    Ok(problems)
}
