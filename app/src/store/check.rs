//! `settle check`: every invariant of DESIGN.md verified against the data, each violation
//! described in plain words.

use super::business::get_business;
use crate::domain::posting::accounts;
use crate::domain::{Currency, Money};
use sqlx::SqliteConnection;

/// Runs every check; an empty list means the books are sound.
pub async fn check_books(conn: &mut SqliteConnection) -> anyhow::Result<Vec<String>> {
    let business = get_business(conn).await?;
    let currency = business.base_currency;
    let mut problems = Vec::new();
    problems.extend(entries_balance(conn, currency).await?);
    problems.extend(trial_balance_zero(conn, currency).await?);
    problems.extend(receivables_match_invoices(conn, currency).await?);
    problems.extend(allocations_within_totals(conn, currency).await?);
    problems.extend(lifecycle_consistent(conn).await?);
    problems.extend(numbers_gapless(conn).await?);
    problems.extend(super::check_corrections::corrections_sound(conn, currency).await?);
    problems.extend(immutability_enforced(conn).await?);
    problems.extend(payables_match_bills(conn, currency).await?);
    problems.extend(monthly_balances_match(conn, currency).await?);
    problems.extend(open_invoices_match(conn, currency).await?);
    problems.extend(super::check_totals::kept_totals_match(conn, currency).await?);
    problems.extend(super::check_cash_basis::cash_basis_sound(conn, currency).await?);
    problems.extend(super::expense_void::voids_sound(conn).await?);
    problems.extend(super::business::profile_problems(conn).await?);
    Ok(problems)
}

async fn entries_balance(
    conn: &mut SqliteConnection,
    currency: Currency,
) -> sqlx::Result<Vec<String>> {
    let rows: Vec<(i64, String, i64, i64)> = sqlx::query_as(
        "SELECT e.id, e.memo, COALESCE(SUM(p.amount_minor), 0), COUNT(p.id) FROM journal_entries e
         LEFT JOIN postings p ON p.entry_id = e.id GROUP BY e.id
         HAVING (COALESCE(SUM(p.amount_minor), 0) <> 0 OR COUNT(p.id) < 2)
            -- a year-end close may have nothing to close on the accrual basis, only on the cash basis
            AND NOT (e.source = 'year_end_close' AND COUNT(p.id) = 0)",
    )
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, memo, sum, count)| {
            format!("journal entry {id} (\"{memo}\") has {count} postings that sum to {} instead of zero", Money::from_minor(sum, currency))
        })
        .collect())
}

async fn trial_balance_zero(
    conn: &mut SqliteConnection,
    currency: Currency,
) -> sqlx::Result<Vec<String>> {
    let sum: i64 = sqlx::query_scalar("SELECT COALESCE(SUM(amount_minor), 0) FROM postings")
        .fetch_one(conn)
        .await?;
    Ok((sum != 0)
        .then(|| {
            format!(
                "the trial balance sums to {} instead of zero",
                Money::from_minor(sum, currency)
            )
        })
        .into_iter()
        .collect())
}

async fn receivables_match_invoices(
    conn: &mut SqliteConnection,
    currency: Currency,
) -> sqlx::Result<Vec<String>> {
    let rows: Vec<(i64, String, i64, i64)> = sqlx::query_as(
        "SELECT c.id, c.name,
            COALESCE((SELECT SUM(amount_minor) FROM postings WHERE customer_id = c.id AND account_code = ?), 0),
            COALESCE((SELECT SUM(i.total_minor - r.credited_minor - r.written_off_minor
                    - COALESCE((SELECT SUM(a.amount_minor) FROM live_allocations a WHERE a.invoice_id = i.id), 0))
                FROM invoices i JOIN invoice_reductions r ON r.invoice_id = i.id
                WHERE i.customer_id = c.id AND i.lifecycle = 'issued'), 0)
         FROM customers c",
    )
    .bind(accounts::RECEIVABLES)
    .fetch_all(&mut *conn)
    .await?;
    let mut problems: Vec<String> = rows
        .iter()
        .filter(|(_, _, ledger, open)| ledger != open)
        .map(|(id, name, ledger, open)| {
            format!(
                "customer {id} ({name}): receivables in the ledger are {} but their open invoices add up to {}",
                Money::from_minor(*ledger, currency),
                Money::from_minor(*open, currency)
            )
        })
        .collect();
    let control: i64 = sqlx::query_scalar(
        "SELECT COALESCE(SUM(amount_minor), 0) FROM postings WHERE account_code = ?",
    )
    .bind(accounts::RECEIVABLES)
    .fetch_one(conn)
    .await?;
    let open_total: i64 = rows.iter().map(|r| r.3).sum();
    if control != open_total {
        problems.push(format!(
            "the receivables control account is {} but open invoices add up to {}",
            Money::from_minor(control, currency),
            Money::from_minor(open_total, currency)
        ));
    }
    Ok(problems)
}

async fn allocations_within_totals(
    conn: &mut SqliteConnection,
    currency: Currency,
) -> sqlx::Result<Vec<String>> {
    let mut problems = Vec::new();
    let over: Vec<(i64, Option<String>, i64, i64)> = sqlx::query_as(
        "SELECT i.id, i.number, i.total_minor, SUM(a.amount_minor) FROM invoices i JOIN live_allocations a ON a.invoice_id = i.id
         JOIN invoice_reductions r ON r.invoice_id = i.id
         GROUP BY i.id HAVING SUM(a.amount_minor) > i.total_minor - r.credited_minor - r.written_off_minor
            OR i.lifecycle <> 'issued'",
    )
    .fetch_all(&mut *conn)
    .await?;
    for (id, number, total, paid) in over {
        problems.push(format!(
            "invoice {} has {} allocated against a total of {} less its credit notes and write-off (or is not issued)",
            number.unwrap_or_else(|| format!("#{id}")),
            Money::from_minor(paid, currency),
            Money::from_minor(total, currency)
        ));
    }
    let payments: Vec<(i64, i64, i64, i64)> = sqlx::query_as(
        "SELECT p.id, p.amount_minor, COALESCE((SELECT SUM(amount_minor) FROM allocations WHERE payment_id = p.id), 0)
                + COALESCE((SELECT SUM(amount_minor) FROM credit_refunds WHERE payment_id = p.id), 0),
            COALESCE((SELECT SUM(amount_minor) FROM postings
                WHERE entry_id = p.entry_id AND account_code IN (SELECT account_code FROM bank_accounts)), 0)
                + p.fee_minor
         FROM payments p",
    )
    .fetch_all(conn)
    .await?;
    for (id, amount, allocated, banked) in payments {
        if allocated > amount || banked != amount {
            problems.push(format!(
                "payment {id} of {} has {} allocated or refunded and {} posted to the bank and fees",
                Money::from_minor(amount, currency),
                Money::from_minor(allocated, currency),
                Money::from_minor(banked, currency)
            ));
        }
    }
    Ok(problems)
}

/// Status is derived, so it agrees with balance and date by construction; what can go wrong
/// is the stored lifecycle disagreeing with the ledger.
async fn lifecycle_consistent(conn: &mut SqliteConnection) -> sqlx::Result<Vec<String>> {
    // id, number, lifecycle, total, allocated, receivables in the issue entry, in the void entry
    type Row = (
        i64,
        Option<String>,
        String,
        i64,
        i64,
        Option<i64>,
        Option<i64>,
    );
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT i.id, i.number, i.lifecycle, i.total_minor,
            COALESCE((SELECT SUM(a.amount_minor) FROM live_allocations a WHERE a.invoice_id = i.id), 0),
            (SELECT SUM(p.amount_minor) FROM postings p WHERE p.entry_id = i.issue_entry_id AND p.account_code = ?1),
            (SELECT SUM(p.amount_minor) FROM postings p WHERE p.entry_id = i.void_entry_id AND p.account_code = ?1)
         FROM invoices i",
    )
    .bind(accounts::RECEIVABLES)
    .fetch_all(conn)
    .await?;
    let mut problems = Vec::new();
    for (id, number, lifecycle, total, paid, issued, voided) in rows {
        let name = number.unwrap_or_else(|| format!("draft #{id}"));
        if lifecycle != "draft" && issued != Some(total) {
            problems.push(format!(
                "invoice {name}: its issue entry does not debit receivables with its total"
            ));
        }
        if lifecycle == "void" && (voided != Some(-total) || paid != 0) {
            problems.push(format!("invoice {name} is void but its issue entry is not exactly reversed, or it has payments"));
        }
        if lifecycle == "draft" && paid != 0 {
            problems.push(format!("invoice {name} is a draft but has payments"));
        }
    }
    Ok(problems)
}

/// Invoice, credit-note and quote numbers: within each series unique and gapless, and the series'
/// next number follows the last one used.
async fn numbers_gapless(conn: &mut SqliteConnection) -> sqlx::Result<Vec<String>> {
    let rows: Vec<(String, i64, i64, i64, i64)> = sqlx::query_as(
        "SELECT series, COUNT(*), COUNT(DISTINCT sequence), MIN(sequence), MAX(sequence)
         FROM (SELECT series, sequence FROM invoices WHERE series IS NOT NULL
               UNION ALL SELECT series, sequence FROM credit_notes
               UNION ALL SELECT series, sequence FROM quotes WHERE series IS NOT NULL)
         GROUP BY series",
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut problems = Vec::new();
    for (series, count, distinct, min, max) in rows {
        if count != distinct {
            problems.push(format!(
                "series {series}: {} numbers are used twice",
                count - distinct
            ));
        }
        if min != 1 || max != count {
            problems.push(format!(
                "series {series}: {count} documents numbered {min} to {max}, so numbers are missing"
            ));
        }
        let next: i64 = sqlx::query_scalar("SELECT next_value FROM number_series WHERE name = ?")
            .bind(&series)
            .fetch_one(&mut *conn)
            .await?;
        if next != max + 1 {
            problems.push(format!(
                "series {series}: the next number is {next} but the last issued is {max}"
            ));
        }
    }
    Ok(problems)
}

/// Nothing posted may change: the triggers that refuse it must all be in place.
async fn immutability_enforced(conn: &mut SqliteConnection) -> sqlx::Result<Vec<String>> {
    const REQUIRED: [&str; 43] = [
        "credit_notes_no_update",
        "credit_notes_no_delete",
        "credit_note_lines_no_update",
        "credit_note_lines_no_delete",
        "credit_note_taxes_no_update",
        "credit_note_taxes_no_delete",
        "write_offs_no_update",
        "write_offs_no_delete",
        "expenses_no_update",
        "expenses_no_delete",
        "expense_lines_no_update",
        "expense_lines_no_delete",
        "bill_payments_no_update",
        "bill_payments_no_delete",
        "receipts_no_update",
        "receipts_no_delete",
        "cash_postings_no_update",
        "cash_postings_no_delete",
        "journal_entries_respect_lock",
        "journal_entries_no_update",
        "journal_entries_no_delete",
        "postings_no_update",
        "postings_no_delete",
        "payments_no_update",
        "payments_no_delete",
        "allocations_no_update",
        "allocations_no_delete",
        "invoices_issued_immutable",
        "invoices_issued_no_delete",
        "invoices_open_on_issue",
        "invoices_open_on_insert",
        "invoices_open_on_void",
        "allocations_reduce_open",
        "credit_notes_reduce_open",
        "write_offs_reduce_open",
        "payment_requests_no_update",
        "payment_requests_no_delete",
        "payment_reversals_no_update",
        "payment_reversals_no_delete",
        "credit_refunds_no_update",
        "credit_refunds_no_delete",
        "allocations_not_from_reversed",
        "payment_reversals_reopen",
    ];
    let present: Vec<String> =
        sqlx::query_scalar("SELECT name FROM sqlite_master WHERE type = 'trigger'")
            .fetch_all(conn)
            .await?;
    Ok(REQUIRED
        .iter()
        .filter(|name| !present.iter().any(|p| p == *name))
        .map(|name| format!("the safeguard {name} is missing, so posted records could be changed"))
        .collect())
}

/// The payables control account equals what is still owed on bills, per vendor and in total.
async fn payables_match_bills(
    conn: &mut SqliteConnection,
    currency: Currency,
) -> sqlx::Result<Vec<String>> {
    let rows: Vec<(i64, String, i64, i64)> = sqlx::query_as(
        "SELECT v.id, v.name,
            COALESCE((SELECT -SUM(amount_minor) FROM postings WHERE vendor_id = v.id AND account_code = ?), 0),
            COALESCE((SELECT SUM(e.total_minor - COALESCE((SELECT SUM(b.amount_minor) FROM bill_payments b WHERE b.bill_id = e.id), 0))
                FROM expenses e WHERE e.vendor_id = v.id AND e.kind = 'bill'
                    AND NOT EXISTS (SELECT 1 FROM expense_voids x WHERE x.expense_id = e.id)), 0)
         FROM vendors v",
    )
    .bind(accounts::PAYABLES)
    .fetch_all(&mut *conn)
    .await?;
    let mut problems: Vec<String> = rows
        .iter()
        .filter(|(_, _, ledger, open)| ledger != open)
        .map(|(id, name, ledger, open)| {
            format!(
                "vendor {id} ({name}): payables in the ledger are {} but their open bills add up to {}",
                Money::from_minor(*ledger, currency),
                Money::from_minor(*open, currency)
            )
        })
        .collect();
    let control: i64 = sqlx::query_scalar(
        "SELECT COALESCE(-SUM(amount_minor), 0) FROM postings WHERE account_code = ?",
    )
    .bind(accounts::PAYABLES)
    .fetch_one(conn)
    .await?;
    let open_total: i64 = rows.iter().map(|r| r.3).sum();
    if control != open_total {
        problems.push(format!(
            "the payables control account is {} but open bills add up to {}",
            Money::from_minor(control, currency),
            Money::from_minor(open_total, currency)
        ));
    }
    Ok(problems)
}

/// The per-month balances reports read equal the postings they summarise, on both bases.
async fn monthly_balances_match(
    conn: &mut SqliteConnection,
    currency: Currency,
) -> sqlx::Result<Vec<String>> {
    let mut problems = Vec::new();
    for (basis, table) in [("accrual", "postings"), ("cash", "cash_postings")] {
        let rows: Vec<(String, String, i64, i64)> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "WITH direct AS (
                SELECT account_code, substr(date, 1, 7) AS month, SUM(amount_minor) AS amount FROM {table}
                GROUP BY account_code, substr(date, 1, 7))
             SELECT COALESCE(d.account_code, m.account_code), COALESCE(d.month, m.month),
                COALESCE(d.amount, 0), COALESCE(m.amount_minor, 0)
             FROM direct d FULL OUTER JOIN (SELECT * FROM ledger_months WHERE basis = '{basis}') m
                ON m.account_code = d.account_code AND m.month = d.month
             WHERE COALESCE(d.amount, 0) <> COALESCE(m.amount_minor, 0)"
        )))
        .fetch_all(&mut *conn)
        .await?;
        problems.extend(rows.into_iter().map(|(code, month, direct, kept)| {
            format!(
                "{basis} balance of account {code} for {month} is kept as {} but its postings add up to {}",
                Money::from_minor(kept, currency),
                Money::from_minor(direct, currency)
            )
        }));
    }
    Ok(problems)
}

/// The open amounts the dashboard and payments read are exactly the issued invoices' totals
/// less their allocations, credit notes and write-offs, with a row for every such invoice that still has money owed and for
/// no other.
async fn open_invoices_match(
    conn: &mut SqliteConnection,
    currency: Currency,
) -> sqlx::Result<Vec<String>> {
    // Both directions by key lookups (a full outer join here would compare every pair).
    let rows: Vec<(i64, i64, i64)> = sqlx::query_as(
        "SELECT i.id, i.total_minor - r.credited_minor - r.written_off_minor
                - COALESCE((SELECT SUM(a.amount_minor) FROM live_allocations a WHERE a.invoice_id = i.id), 0) AS open,
            COALESCE(o.open_minor, 0)
         FROM invoices i JOIN invoice_reductions r ON r.invoice_id = i.id
         LEFT JOIN open_invoices o ON o.invoice_id = i.id
         WHERE i.lifecycle = 'issued' AND (
            (open > 0 AND (o.invoice_id IS NULL OR o.open_minor <> open OR o.customer_id <> i.customer_id
                OR o.issue_date <> i.issue_date OR o.due_date <> i.due_date))
            OR (open <= 0 AND o.invoice_id IS NOT NULL))
         UNION ALL
         SELECT o.invoice_id, 0, o.open_minor FROM open_invoices o LEFT JOIN invoices i ON i.id = o.invoice_id
         WHERE i.id IS NULL OR i.lifecycle <> 'issued'",
    )
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(invoice, direct, kept)| {
            format!(
                "invoice {invoice} is kept as {} open but its total less its payments, credit notes and write-off is {}",
                Money::from_minor(kept, currency),
                Money::from_minor(direct, currency)
            )
        })
        .collect())
}
