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
    // Money in the bank is the sum over every bank account's ledger account.
    let bank: i64 = sqlx::query_scalar(
        "SELECT COALESCE(SUM(amount_minor), 0) FROM ledger_months
         WHERE basis = 'accrual' AND account_code IN (SELECT account_code FROM bank_accounts)",
    )
    .fetch_one(&mut *conn)
    .await?;
    // What is open, per due date: the aging only adds amounts per bucket.
    let open: Vec<(NaiveDate, i64)> =
        sqlx::query_as("SELECT due_date, open_minor FROM open_by_due_date")
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
    // Every figure below reads totals kept by triggers (migration 0014), a few rows each.
    let issued_invoices: i64 = sqlx::query_scalar(
        "SELECT COALESCE(SUM(invoices), 0) FROM invoice_counts WHERE lifecycle <> 'draft'",
    )
    .fetch_one(&mut *conn)
    .await?;
    let first = last_months(today, MONTHS)[0];
    let months: Vec<(String, i64, i64)> = sqlx::query_as(
        "SELECT month, invoiced_minor, collected_minor FROM dashboard_months WHERE month >= ?",
    )
    .bind(first.format("%Y-%m").to_string())
    .fetch_all(&mut *conn)
    .await?;
    let mut invoiced = Vec::with_capacity(months.len());
    let mut collected = Vec::with_capacity(months.len());
    for (month, invoiced_minor, collected_minor) in months {
        let start = NaiveDate::parse_from_str(&format!("{month}-01"), "%Y-%m-%d")?;
        invoiced.push((start, invoiced_minor));
        collected.push((start, collected_minor));
    }
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
