//! The dashboard's figures, read from the ledger and the open invoices.

use super::ledger::account_balance;
use crate::api::types::Dashboard;
use crate::domain::aging::AgingReport;
use crate::domain::cash_flow::{last_months, month_start, monthly_flows};
use crate::domain::posting::accounts;
use crate::domain::{Currency, Money};
use chrono::NaiveDate;
use sqlx::SqliteConnection;

const MONTHS: u32 = 12;

pub async fn dashboard(
    conn: &mut SqliteConnection,
    currency: Currency,
    today: NaiveDate,
) -> anyhow::Result<Dashboard> {
    let money = |minor| Money::from_minor(minor, currency);
    let outstanding = account_balance(conn, accounts::RECEIVABLES, None).await?;
    let bank = account_balance(conn, accounts::BANK, None).await?;
    // What is open, per due date: the aging only adds amounts per bucket.
    let open: Vec<(NaiveDate, i64)> =
        sqlx::query_as("SELECT due_date, SUM(open_minor) FROM open_invoices GROUP BY due_date")
            .fetch_all(&mut *conn)
            .await?;
    let aging = AgingReport::build(
        currency,
        today,
        open.into_iter().map(|(due, minor)| (due, money(minor))),
    );
    let collected_this_month: i64 = sqlx::query_scalar(
        "SELECT COALESCE(SUM(amount_minor), 0) FROM payments WHERE received_on BETWEEN ? AND ?",
    )
    .bind(month_start(today))
    .bind(today)
    .fetch_one(&mut *conn)
    .await?;
    let issued_invoices: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM invoices WHERE lifecycle <> 'draft'")
            .fetch_one(&mut *conn)
            .await?;
    let first = last_months(today, MONTHS)[0];
    let invoiced = per_month(
        conn,
        // Credit notes lower what was invoiced in their month.
        "SELECT MIN(day), SUM(minor) FROM (
            SELECT issue_date AS day, total_minor AS minor FROM invoices WHERE lifecycle = 'issued'
            UNION ALL SELECT date, -total_minor FROM credit_notes)
         WHERE day >= ? GROUP BY strftime('%Y-%m', day)",
        first,
    )
    .await?;
    let collected = per_month(
        conn,
        "SELECT received_on, SUM(amount_minor) FROM payments WHERE received_on >= ? GROUP BY strftime('%Y-%m', received_on)",
        first,
    )
    .await?;
    let to_money = |rows: Vec<(NaiveDate, i64)>| {
        rows.into_iter()
            .map(|(d, m)| (d, money(m)))
            .collect::<Vec<_>>()
    };
    Ok(Dashboard {
        today,
        currency,
        outstanding: money(outstanding),
        overdue: aging.overdue(),
        collected_this_month: money(collected_this_month),
        bank_balance: money(bank),
        issued_invoices: issued_invoices as u64,
        cash_flow: monthly_flows(
            currency,
            today,
            MONTHS,
            &to_money(invoiced),
            &to_money(collected),
        ),
        aging,
    })
}

async fn per_month(
    conn: &mut SqliteConnection,
    sql: &'static str,
    from: NaiveDate,
) -> sqlx::Result<Vec<(NaiveDate, i64)>> {
    sqlx::query_as(sql).bind(from).fetch_all(conn).await
}
