//! Figures for the analysis pages: open balances per party as of a day, money in and out, the
//! forecast, and (in `tax`) tax per rate over a period. Sums are taken in SQL.

mod tax;

pub use tax::{tax_documents_for, tax_summary_for};

use super::reports::{sums, Closing};
use crate::domain::forecast::{forecast, Forecast};
use crate::domain::money_flow::{money_flow, Interval, MoneyFlow};
use crate::domain::party_aging::OpenItem;
use crate::domain::{Basis, Currency, Money, Period};
use chrono::{Days, NaiveDate};
use sqlx::SqliteConnection;

/// Issued invoices open on `as_of` (paid, credited and written off only by what was dated by
/// then, a payment reversed later still paying until the day of its reversal; voided later
/// counts as still issued then), summed per customer and due date.
pub async fn open_receivables(
    conn: &mut SqliteConnection,
    currency: Currency,
    as_of: NaiveDate,
) -> sqlx::Result<Vec<OpenItem>> {
    let rows: Vec<(i64, String, NaiveDate, i64)> = sqlx::query_as(
        "WITH open AS (
            SELECT i.customer_id AS party_id, i.due_date, i.total_minor - COALESCE((
                SELECT SUM(a.amount_minor) FROM dated_allocations a WHERE a.invoice_id = i.id
                    AND a.settled_on <= ?1 AND (a.released_on IS NULL OR a.released_on > ?1)), 0)
                - COALESCE((SELECT SUM(c.total_minor) FROM credit_notes c WHERE c.invoice_id = i.id AND c.date <= ?1), 0)
                - COALESCE((SELECT SUM(w.amount_minor) FROM write_offs w WHERE w.invoice_id = i.id AND w.date <= ?1), 0)
                AS open_minor
            FROM invoices i
            WHERE i.issue_date <= ?1 AND (i.lifecycle = 'issued' OR (i.lifecycle = 'void'
                AND (SELECT j.date FROM journal_entries j WHERE j.id = i.void_entry_id) > ?1)))
         SELECT o.party_id, c.name, o.due_date, SUM(o.open_minor) FROM open o
         JOIN customers c ON c.id = o.party_id WHERE o.open_minor > 0
         GROUP BY o.party_id, o.due_date",
    )
    .bind(as_of)
    .fetch_all(conn)
    .await?;
    Ok(to_items(rows, currency))
}

/// Bills open on `as_of` (paid only by payments made by then), per vendor and due date. A
/// void bill is reversed on its own day, so it is open on no day at all.
pub async fn open_payables(
    conn: &mut SqliteConnection,
    currency: Currency,
    as_of: NaiveDate,
) -> sqlx::Result<Vec<OpenItem>> {
    let rows: Vec<(i64, String, NaiveDate, i64)> = sqlx::query_as(
        "WITH open AS (
            SELECT e.vendor_id AS party_id, e.due_date, e.total_minor - COALESCE((
                SELECT SUM(b.amount_minor) FROM bill_payments b
                WHERE b.bill_id = e.id AND b.paid_on <= ?1), 0) AS open_minor
            FROM expenses e WHERE e.kind = 'bill' AND e.date <= ?1
                AND NOT EXISTS (SELECT 1 FROM expense_voids x WHERE x.expense_id = e.id))
         SELECT o.party_id, v.name, o.due_date, SUM(o.open_minor) FROM open o
         JOIN vendors v ON v.id = o.party_id WHERE o.open_minor > 0
         GROUP BY o.party_id, o.due_date",
    )
    .bind(as_of)
    .fetch_all(conn)
    .await?;
    Ok(to_items(rows, currency))
}

fn to_items(rows: Vec<(i64, String, NaiveDate, i64)>, currency: Currency) -> Vec<OpenItem> {
    rows.into_iter()
        .map(|(party_id, party, due, open)| OpenItem {
            party_id,
            party,
            due,
            open: Money::from_minor(open, currency),
        })
        .collect()
}

/// The balance of every money account (bank, cash, card) at the end of a day.
async fn money_balance(conn: &mut SqliteConnection, day: NaiveDate) -> sqlx::Result<i64> {
    let codes: Vec<String> = sqlx::query_scalar("SELECT code FROM accounts WHERE is_money = 1")
        .fetch_all(&mut *conn)
        .await?;
    let balances = sums(conn, Basis::Accrual, None, day, Closing::Include).await?;
    Ok(codes.iter().filter_map(|c| balances.get(c)).sum())
}

/// Money in and out per week or month over a period, with the running balance.
pub async fn money_flow_for(
    conn: &mut SqliteConnection,
    currency: Currency,
    period: Period,
    interval: Interval,
) -> sqlx::Result<MoneyFlow> {
    let opening = money_balance(conn, period.from - Days::new(1)).await?;
    // Netted per entry first, so moving money between the bank and the card is neither in
    // nor out.
    let rows: Vec<(NaiveDate, i64, i64)> = sqlx::query_as(
        "SELECT date, SUM(CASE WHEN net > 0 THEN net ELSE 0 END), SUM(CASE WHEN net < 0 THEN -net ELSE 0 END)
         FROM (SELECT p.date, SUM(p.amount_minor) AS net FROM postings p
               JOIN accounts a ON a.code = p.account_code
               WHERE a.is_money = 1 AND p.date BETWEEN ?1 AND ?2 GROUP BY p.entry_id, p.date)
         GROUP BY date ORDER BY date",
    )
    .bind(period.from)
    .bind(period.to)
    .fetch_all(&mut *conn)
    .await?;
    let money = |m| Money::from_minor(m, currency);
    let days: Vec<(NaiveDate, Money, Money)> = rows
        .into_iter()
        .map(|(d, i, o)| (d, money(i), money(o)))
        .collect();
    Ok(money_flow(
        currency,
        period,
        interval,
        money(opening),
        &days,
    ))
}

/// The 13-week forecast from `today`'s money, the open invoices and bills, and the invoices
/// recurring templates will make in those weeks (expected on their due dates).
pub async fn forecast_for(
    conn: &mut SqliteConnection,
    currency: Currency,
    today: NaiveDate,
) -> anyhow::Result<Forecast> {
    let opening = money_balance(conn, today).await?;
    let due = |items: Vec<OpenItem>| -> Vec<(NaiveDate, Money)> {
        items.into_iter().map(|i| (i.due, i.open)).collect()
    };
    let mut receivables = due(open_receivables(conn, currency, today).await?);
    let payables = due(open_payables(conn, currency, today).await?);
    let horizon = crate::domain::money_flow::week_start(today)
        + chrono::Days::new(7 * crate::domain::forecast::WEEKS);
    let recurring = super::recurring::expected(conn, currency, today, horizon).await?;
    let from_recurring = Money::sum(
        currency,
        recurring
            .iter()
            .filter(|(due, _)| *due < horizon)
            .map(|(_, amount)| *amount),
    );
    receivables.extend(recurring);
    let mut f = forecast(
        currency,
        today,
        Money::from_minor(opening, currency),
        &receivables,
        &payables,
    );
    f.from_recurring = from_recurring;
    Ok(f)
}

/// Entries per page of the money movements behind a cash-flow figure.
pub const MOVEMENTS_PAGE: i64 = 100;

/// The entries that moved money in (`inflow`) or out over a period, each netted over the
/// money accounts as the cash flow nets them, oldest first: what lies behind its figures.
pub async fn money_movements(
    conn: &mut SqliteConnection,
    currency: Currency,
    period: Period,
    direction: crate::domain::money_flow::Direction,
    page: i64,
) -> sqlx::Result<crate::domain::money_flow::Movements> {
    use crate::domain::money_flow::{Direction, Movement, Movements};
    let sign = match direction {
        Direction::In => 1,
        Direction::Out => -1,
    };
    let netted = "SELECT p.entry_id, p.date, SUM(p.amount_minor) * ?3 AS net,
            GROUP_CONCAT(DISTINCT p.account_code) AS accounts
         FROM postings p JOIN accounts a ON a.code = p.account_code
         WHERE a.is_money = 1 AND p.date BETWEEN ?1 AND ?2 GROUP BY p.entry_id, p.date";
    let (count, total): (i64, i64) = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT COUNT(*), COALESCE(SUM(net), 0) FROM ({netted}) WHERE net > 0"
    )))
    .bind(period.from)
    .bind(period.to)
    .bind(sign)
    .fetch_one(&mut *conn)
    .await?;
    let page = page.clamp(1, 1_000_000);
    let rows: Vec<(i64, NaiveDate, i64, String, String, String)> =
        sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT m.entry_id, m.date, m.net, m.accounts, e.memo, e.source FROM ({netted}) m
             JOIN journal_entries e ON e.id = m.entry_id
             WHERE m.net > 0 ORDER BY m.date, m.entry_id LIMIT ?4 OFFSET ?5"
        )))
        .bind(period.from)
        .bind(period.to)
        .bind(sign)
        .bind(MOVEMENTS_PAGE)
        .bind((page - 1) * MOVEMENTS_PAGE)
        .fetch_all(&mut *conn)
        .await?;
    let money = |m| Money::from_minor(m, currency);
    Ok(Movements {
        period,
        direction,
        total: money(total),
        count: count as u64,
        page: page as u32,
        pages: ((count + MOVEMENTS_PAGE - 1) / MOVEMENTS_PAGE).max(1) as u32,
        rows: rows
            .into_iter()
            .map(|(entry_id, date, net, accounts, memo, source)| Movement {
                entry_id,
                date,
                amount: money(net),
                accounts: accounts.split(',').map(str::to_string).collect(),
                memo,
                source,
            })
            .collect(),
    })
}
