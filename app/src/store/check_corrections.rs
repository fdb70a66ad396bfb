//! `settle check` for credit notes and write-offs: each agrees with its entry and its
//! invoice, and nothing takes back more than an invoice asked for.

use crate::domain::posting::accounts;
use crate::domain::{Currency, Money};
use sqlx::SqliteConnection;

/// Every problem found with credit notes and write-offs, in plain words.
pub async fn corrections_sound(
    conn: &mut SqliteConnection,
    currency: Currency,
) -> sqlx::Result<Vec<String>> {
    let mut problems = credit_notes_agree(conn, currency).await?;
    problems.extend(write_offs_agree(conn, currency).await?);
    problems.extend(within_invoices(conn, currency).await?);
    problems.extend(numbers_distinct(conn).await?);
    Ok(problems)
}

async fn credit_notes_agree(
    conn: &mut SqliteConnection,
    currency: Currency,
) -> sqlx::Result<Vec<String>> {
    // number, invoice lifecycle, same customer, total, net, tax, lines' net, rates' base and
    // tax, receivables posted (and to this customer)
    type Row = (String, String, i64, i64, i64, i64, i64, i64, i64, i64, i64);
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT c.number, i.lifecycle, i.customer_id = c.customer_id, c.total_minor, c.net_minor, c.tax_minor,
            COALESCE((SELECT SUM(net_minor) FROM credit_note_lines WHERE credit_note_id = c.id), 0),
            COALESCE((SELECT SUM(base_minor) FROM credit_note_taxes WHERE credit_note_id = c.id), 0),
            COALESCE((SELECT SUM(tax_minor) FROM credit_note_taxes WHERE credit_note_id = c.id), 0),
            COALESCE((SELECT SUM(amount_minor) FROM postings WHERE entry_id = c.entry_id AND account_code = ?1), 0),
            COALESCE((SELECT SUM(amount_minor) FROM postings WHERE entry_id = c.entry_id AND account_code = ?1
                AND customer_id = c.customer_id), 0)
         FROM credit_notes c JOIN invoices i ON i.id = c.invoice_id",
    )
    .bind(accounts::RECEIVABLES)
    .fetch_all(conn)
    .await?;
    let money = |m| Money::from_minor(m, currency);
    let mut problems = Vec::new();
    for (number, lifecycle, same, total, net, tax, lines, base, taxes, ar, ar_own) in rows {
        if lifecycle != "issued" || same != 1 {
            problems.push(format!(
                "credit note {number} credits an invoice that is {lifecycle} or belongs to another customer"
            ));
        }
        if lines != net || base != net || taxes != tax {
            problems.push(format!(
                "credit note {number}: its net {} and tax {} differ from its lines ({}) and rates ({} and {})",
                money(net), money(tax), money(lines), money(base), money(taxes)
            ));
        }
        if ar != -total || ar_own != ar {
            problems.push(format!(
                "credit note {number} of {} credits receivables of its customer with {} in its entry",
                money(total),
                money(-ar_own)
            ));
        }
    }
    Ok(problems)
}

async fn write_offs_agree(
    conn: &mut SqliteConnection,
    currency: Currency,
) -> sqlx::Result<Vec<String>> {
    let rows: Vec<(Option<String>, String, i64, i64, i64)> = sqlx::query_as(
        "SELECT i.number, i.lifecycle, w.amount_minor,
            COALESCE((SELECT SUM(amount_minor) FROM postings WHERE entry_id = w.entry_id AND account_code = ?1
                AND customer_id = i.customer_id), 0),
            COALESCE((SELECT SUM(amount_minor) FROM postings WHERE entry_id = w.entry_id AND account_code = ?2), 0)
         FROM write_offs w JOIN invoices i ON i.id = w.invoice_id",
    )
    .bind(accounts::RECEIVABLES)
    .bind(accounts::BAD_DEBTS)
    .fetch_all(conn)
    .await?;
    let money = |m| Money::from_minor(m, currency);
    Ok(rows
        .into_iter()
        .filter(|(_, lifecycle, amount, ar, bad)| {
            lifecycle != "issued" || *ar != -amount || *bad != *amount
        })
        .map(|(number, lifecycle, amount, ar, bad)| {
            format!(
                "the write-off of invoice {} ({lifecycle}) of {} posts {} to receivables and {} to bad debts",
                number.unwrap_or_default(),
                money(amount),
                money(ar),
                money(bad)
            )
        })
        .collect())
}

/// Payments, credit notes and a write-off together never exceed an invoice, and credit notes
/// never take back more net from a rate and account than the invoice's lines hold.
async fn within_invoices(
    conn: &mut SqliteConnection,
    currency: Currency,
) -> sqlx::Result<Vec<String>> {
    let over: Vec<(Option<String>, i64, i64, i64, i64)> = sqlx::query_as(
        "SELECT i.number, i.total_minor,
            COALESCE((SELECT SUM(a.amount_minor) FROM live_allocations a WHERE a.invoice_id = i.id), 0),
            r.credited_minor, r.written_off_minor
         FROM invoices i JOIN invoice_reductions r ON r.invoice_id = i.id
         WHERE r.credited_minor + r.written_off_minor > 0
           AND i.total_minor < r.credited_minor + r.written_off_minor
               + COALESCE((SELECT SUM(a.amount_minor) FROM live_allocations a WHERE a.invoice_id = i.id), 0)",
    )
    .fetch_all(&mut *conn)
    .await?;
    let money = |m| Money::from_minor(m, currency);
    let mut problems: Vec<String> = over
        .into_iter()
        .map(|(number, total, paid, credited, off)| {
            format!(
                "invoice {} of {} has {} paid, {} credited and {} written off: more than its total",
                number.unwrap_or_default(),
                money(total),
                money(paid),
                money(credited),
                money(off)
            )
        })
        .collect();
    let lines: Vec<(Option<String>, i64, String, i64, i64)> = sqlx::query_as(
        "WITH credited AS (
            SELECT c.invoice_id, l.tax_rate_bp, l.revenue_account, SUM(l.net_minor) AS net
            FROM credit_note_lines l JOIN credit_notes c ON c.id = l.credit_note_id
            GROUP BY c.invoice_id, l.tax_rate_bp, l.revenue_account)
         SELECT i.number, cr.tax_rate_bp, cr.revenue_account, cr.net,
            COALESCE((SELECT SUM(il.net_minor) FROM invoice_lines il WHERE il.invoice_id = cr.invoice_id
                AND il.tax_rate_bp = cr.tax_rate_bp AND il.revenue_account = cr.revenue_account), 0) AS held
         FROM credited cr JOIN invoices i ON i.id = cr.invoice_id WHERE cr.net > held",
    )
    .fetch_all(conn)
    .await?;
    problems.extend(lines.into_iter().map(|(number, rate, account, net, held)| {
        format!(
            "invoice {}: its credit notes take back {} of account {account} at {}% but its lines hold {}",
            number.unwrap_or_default(),
            money(net),
            crate::store::from_scaled(rate, 2),
            money(held)
        )
    }));
    Ok(problems)
}

/// No credit note carries an invoice's number.
async fn numbers_distinct(conn: &mut SqliteConnection) -> sqlx::Result<Vec<String>> {
    let shared: Vec<String> = sqlx::query_scalar(
        "SELECT c.number FROM credit_notes c JOIN invoices i ON i.number = c.number",
    )
    .fetch_all(conn)
    .await?;
    Ok(shared
        .into_iter()
        .map(|n| format!("the number {n} is used by an invoice and a credit note"))
        .collect())
}
