//! `settle check` for the totals kept for the dashboard and the invoice list (migration 0014):
//! each equals a recomputation from the invoices, credit notes and payments themselves.

use crate::domain::{Currency, Money};
use sqlx::SqliteConnection;

/// Every kept total that differs from its recomputation, in plain words.
pub async fn kept_totals_match(
    conn: &mut SqliteConnection,
    currency: Currency,
) -> sqlx::Result<Vec<String>> {
    let mut problems = months_match(&mut *conn, currency).await?;
    problems.extend(counts_match(&mut *conn).await?);
    problems.extend(open_by_due_date_match(conn, currency).await?);
    Ok(problems)
}

async fn months_match(
    conn: &mut SqliteConnection,
    currency: Currency,
) -> sqlx::Result<Vec<String>> {
    let rows: Vec<(String, i64, i64, i64, i64)> = sqlx::query_as(
        "WITH direct AS (
            SELECT month, SUM(invoiced) AS invoiced, SUM(collected) AS collected FROM (
                SELECT substr(issue_date, 1, 7) AS month, total_minor AS invoiced, 0 AS collected
                FROM invoices WHERE lifecycle = 'issued'
                UNION ALL SELECT substr(date, 1, 7), -total_minor, 0 FROM credit_notes
                UNION ALL SELECT substr(received_on, 1, 7), 0, amount_minor FROM payments
                    WHERE id NOT IN (SELECT payment_id FROM payment_reversals))
            GROUP BY month)
         SELECT COALESCE(d.month, k.month), COALESCE(d.invoiced, 0), COALESCE(k.invoiced_minor, 0),
            COALESCE(d.collected, 0), COALESCE(k.collected_minor, 0)
         FROM direct d FULL OUTER JOIN dashboard_months k ON k.month = d.month
         WHERE COALESCE(d.invoiced, 0) <> COALESCE(k.invoiced_minor, 0)
            OR COALESCE(d.collected, 0) <> COALESCE(k.collected_minor, 0)",
    )
    .fetch_all(conn)
    .await?;
    let money = |m| Money::from_minor(m, currency);
    Ok(rows
        .into_iter()
        .map(
            |(month, invoiced, kept_invoiced, collected, kept_collected)| {
                format!(
                    "the dashboard keeps {} invoiced and {} collected for {month}, \
                 but the invoices, credit notes and payments add up to {} and {}",
                    money(kept_invoiced),
                    money(kept_collected),
                    money(invoiced),
                    money(collected)
                )
            },
        )
        .collect())
}

async fn counts_match(conn: &mut SqliteConnection) -> sqlx::Result<Vec<String>> {
    let rows: Vec<(String, i64, i64)> = sqlx::query_as(
        "WITH direct AS (SELECT lifecycle, COUNT(*) AS invoices FROM invoices GROUP BY lifecycle)
         SELECT COALESCE(d.lifecycle, k.lifecycle), COALESCE(d.invoices, 0), COALESCE(k.invoices, 0)
         FROM direct d FULL OUTER JOIN invoice_counts k ON k.lifecycle = d.lifecycle
         WHERE COALESCE(d.invoices, 0) <> COALESCE(k.invoices, 0)",
    )
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(lifecycle, direct, kept)| {
            format!("{kept} {lifecycle} invoices are counted, but there are {direct}")
        })
        .collect())
}

async fn open_by_due_date_match(
    conn: &mut SqliteConnection,
    currency: Currency,
) -> sqlx::Result<Vec<String>> {
    let rows: Vec<(String, i64, i64, i64, i64)> = sqlx::query_as(
        "WITH direct AS (SELECT due_date, COUNT(*) AS invoices, SUM(open_minor) AS open
            FROM open_invoices GROUP BY due_date)
         SELECT COALESCE(d.due_date, k.due_date), COALESCE(d.invoices, 0), COALESCE(k.invoices, 0),
            COALESCE(d.open, 0), COALESCE(k.open_minor, 0)
         FROM direct d FULL OUTER JOIN open_by_due_date k ON k.due_date = d.due_date
         WHERE COALESCE(d.invoices, 0) <> COALESCE(k.invoices, 0)
            OR COALESCE(d.open, 0) <> COALESCE(k.open_minor, 0)",
    )
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(due, invoices, kept_invoices, open, kept_open)| {
            format!(
                "{kept_invoices} open invoices of {} are kept as due on {due}, \
                 but {invoices} open invoices of {} are",
                Money::from_minor(kept_open, currency),
                Money::from_minor(open, currency)
            )
        })
        .collect())
}
