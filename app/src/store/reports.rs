//! Report figures read from the ledger: per-account sums over any period on either basis,
//! taken from the monthly table for whole months and from postings only for the days at the
//! ends of the period, so a report costs the same at a thousand postings or a million.

use crate::api::types::{Register, RegisterRow, TrialBalance, TrialBalanceRow};
use crate::domain::reports::{balance_sheet, profit_and_loss, AccountFigure};
use crate::domain::{AccountKind, BalanceSheet, Basis, Currency, Money, Period};
use chrono::{Datelike, Days, Months, NaiveDate};
use sqlx::SqliteConnection;
use std::collections::HashMap;

/// Whether year-end closing entries count: balances include them, profit and loss for a
/// period does not (else a closed year would show no profit).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Closing {
    Include,
    Exclude,
}

/// An account of the chart, as reports need it.
#[derive(Clone, Debug, PartialEq)]
pub struct ChartAccount {
    pub code: String,
    pub name: String,
    pub kind: AccountKind,
    pub parent: Option<String>,
    pub is_money: bool,
    pub archived: bool,
}

pub async fn chart(conn: &mut SqliteConnection) -> anyhow::Result<Vec<ChartAccount>> {
    let rows: Vec<(String, String, String, Option<String>, i64, i64)> = sqlx::query_as(
        "SELECT code, name, kind, parent_code, is_money, archived FROM accounts ORDER BY code",
    )
    .fetch_all(conn)
    .await?;
    rows.into_iter()
        .map(|(code, name, kind, parent, is_money, archived)| {
            let kind = AccountKind::parse(&kind)
                .ok_or_else(|| anyhow::anyhow!("account {code} has an unknown kind {kind}"))?;
            Ok(ChartAccount {
                code,
                name,
                kind,
                parent,
                is_money: is_money == 1,
                archived: archived == 1,
            })
        })
        .collect()
}

fn month_key(date: NaiveDate) -> String {
    format!("{:04}-{:02}", date.year(), date.month())
}

fn first_of_month(date: NaiveDate) -> NaiveDate {
    date.with_day(1).expect("every month has a first day")
}

fn last_of_month(date: NaiveDate) -> NaiveDate {
    first_of_month(date) + Months::new(1) - Days::new(1)
}

/// The debit-positive sum per account of postings dated from `from` (or the beginning) to
/// `to`, both included.
pub async fn sums(
    conn: &mut SqliteConnection,
    basis: Basis,
    from: Option<NaiveDate>,
    to: NaiveDate,
    closing: Closing,
) -> sqlx::Result<HashMap<String, i64>> {
    let mut totals: HashMap<String, i64> = HashMap::new();
    // Whole months inside the period come from the monthly table.
    let first_full = match from {
        None => NaiveDate::MIN,
        Some(f) if f.day() == 1 => f,
        Some(f) => first_of_month(f) + Months::new(1),
    };
    let last_full_end = if last_of_month(to) == to {
        to
    } else {
        first_of_month(to) - Days::new(1)
    };
    let mut partial: Vec<(NaiveDate, NaiveDate)> = Vec::new();
    let start = from.unwrap_or(NaiveDate::MIN);
    if first_full <= last_full_end {
        let excluded = if closing == Closing::Exclude {
            "closing_minor"
        } else {
            "0"
        };
        let rows: Vec<(String, i64)> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT account_code, SUM(amount_minor - {excluded}) FROM ledger_months
             WHERE basis = ? AND month BETWEEN ? AND ? GROUP BY account_code"
        )))
        .bind(basis.as_str())
        .bind(if from.is_none() {
            "0000-00".to_string()
        } else {
            month_key(first_full)
        })
        .bind(month_key(last_full_end))
        .fetch_all(&mut *conn)
        .await?;
        for (code, minor) in rows {
            *totals.entry(code).or_default() += minor;
        }
        if start < first_full {
            partial.push((start, first_full - Days::new(1)));
        }
        if last_full_end < to {
            partial.push((last_full_end + Days::new(1), to));
        }
    } else {
        partial.push((start, to));
    }
    // The days at either end come from the postings themselves.
    let table = match basis {
        Basis::Accrual => "postings",
        Basis::Cash => "cash_postings",
    };
    let exclude = if closing == Closing::Exclude {
        "AND p.entry_id NOT IN (SELECT id FROM journal_entries WHERE source = 'year_end_close')"
    } else {
        ""
    };
    for (a, b) in partial {
        let rows: Vec<(String, i64)> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT p.account_code, SUM(p.amount_minor) FROM {table} p
             WHERE p.date BETWEEN ? AND ? {exclude} GROUP BY p.account_code"
        )))
        .bind(a)
        .bind(b)
        .fetch_all(&mut *conn)
        .await?;
        for (code, minor) in rows {
            *totals.entry(code).or_default() += minor;
        }
    }
    Ok(totals)
}

fn figures(
    chart: &[ChartAccount],
    current: &HashMap<String, i64>,
    previous: Option<&HashMap<String, i64>>,
    currency: Currency,
) -> Vec<AccountFigure> {
    chart
        .iter()
        .map(|a| AccountFigure {
            code: a.code.clone(),
            name: a.name.clone(),
            kind: a.kind,
            parent: a.parent.clone(),
            amount: Money::from_minor(current.get(&a.code).copied().unwrap_or(0), currency),
            previous: previous
                .map(|p| Money::from_minor(p.get(&a.code).copied().unwrap_or(0), currency)),
        })
        .collect()
}

/// Profit and loss for a period, optionally compared with the period before.
pub async fn profit_loss(
    conn: &mut SqliteConnection,
    currency: Currency,
    basis: Basis,
    period: Period,
    compare: bool,
) -> anyhow::Result<crate::domain::reports::ProfitAndLoss> {
    let chart = chart(conn).await?;
    let current = sums(conn, basis, Some(period.from), period.to, Closing::Exclude).await?;
    let previous_period = compare.then(|| period.previous());
    let previous = match previous_period {
        Some(p) => Some(sums(conn, basis, Some(p.from), p.to, Closing::Exclude).await?),
        None => None,
    };
    let figures = figures(&chart, &current, previous.as_ref(), currency);
    Ok(profit_and_loss(
        period,
        previous_period,
        basis,
        &figures,
        currency,
    ))
}

/// The balance sheet as of a day, optionally compared with another day.
pub async fn balance_sheet_as_of(
    conn: &mut SqliteConnection,
    currency: Currency,
    basis: Basis,
    as_of: NaiveDate,
    compared_with: Option<NaiveDate>,
) -> anyhow::Result<BalanceSheet> {
    let chart = chart(conn).await?;
    let current = sums(conn, basis, None, as_of, Closing::Include).await?;
    let previous = match compared_with {
        Some(day) => Some(sums(conn, basis, None, day, Closing::Include).await?),
        None => None,
    };
    let figures = figures(&chart, &current, previous.as_ref(), currency);
    Ok(balance_sheet(
        as_of,
        compared_with,
        basis,
        &figures,
        currency,
    ))
}

/// Every account with a balance as of a day, debit-positive.
pub async fn trial_balance(
    conn: &mut SqliteConnection,
    currency: Currency,
    basis: Basis,
    as_of: NaiveDate,
) -> anyhow::Result<TrialBalance> {
    let chart = chart(conn).await?;
    let sums = sums(conn, basis, None, as_of, Closing::Include).await?;
    let rows: Vec<TrialBalanceRow> = chart
        .iter()
        .filter_map(|a| {
            // Accounts with postings stay listed at zero, so a settled account still shows.
            let minor = sums.get(&a.code).copied()?;
            Some(TrialBalanceRow {
                code: a.code.clone(),
                name: a.name.clone(),
                kind: a.kind.as_str().to_string(),
                balance: Money::from_minor(minor, currency),
            })
        })
        .collect();
    let total_debit = Money::sum(
        currency,
        rows.iter().map(|r| r.balance).filter(|b| b.is_positive()),
    );
    let total_credit = -Money::sum(
        currency,
        rows.iter().map(|r| r.balance).filter(|b| b.is_negative()),
    );
    Ok(TrialBalance {
        as_of,
        basis,
        rows,
        total_debit,
        total_credit,
    })
}

/// Rows per page of an account register.
pub const REGISTER_PAGE: i64 = 100;

/// One account's postings over a period with the running balance: what lies behind any figure
/// of a report.
pub async fn register(
    conn: &mut SqliteConnection,
    currency: Currency,
    basis: Basis,
    code: &str,
    period: Period,
    page: i64,
) -> anyhow::Result<Option<Register>> {
    let chart = chart(conn).await?;
    let Some(account) = chart.into_iter().find(|a| a.code == code) else {
        return Ok(None);
    };
    let table = match basis {
        Basis::Accrual => "postings",
        Basis::Cash => "cash_postings",
    };
    let before = period.from - Days::new(1);
    let opening = sums(conn, basis, None, before, Closing::Include)
        .await?
        .get(code)
        .copied()
        .unwrap_or(0);
    let (count, movement): (i64, i64) = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT COUNT(*), COALESCE(SUM(amount_minor), 0) FROM {table}
         WHERE account_code = ? AND date BETWEEN ? AND ?"
    )))
    .bind(code)
    .bind(period.from)
    .bind(period.to)
    .fetch_one(&mut *conn)
    .await?;
    let page = page.clamp(1, 1_000_000);
    let rows: Vec<(NaiveDate, i64, String, String, i64, i64)> =
        sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT p.date, p.entry_id, e.memo, e.source, p.amount_minor,
            SUM(p.amount_minor) OVER (ORDER BY p.date, p.id ROWS UNBOUNDED PRECEDING)
         FROM {table} p JOIN journal_entries e ON e.id = p.entry_id
         WHERE p.account_code = ? AND p.date BETWEEN ? AND ?
         ORDER BY p.date, p.id LIMIT ? OFFSET ?"
        )))
        .bind(code)
        .bind(period.from)
        .bind(period.to)
        .bind(REGISTER_PAGE)
        .bind((page - 1) * REGISTER_PAGE)
        .fetch_all(&mut *conn)
        .await?;
    let money = |minor: i64| Money::from_minor(minor, currency);
    Ok(Some(Register {
        code: account.code,
        name: account.name,
        kind: account.kind,
        basis,
        period,
        opening: money(opening),
        closing: money(opening + movement),
        rows: rows
            .into_iter()
            .map(
                |(date, entry_id, memo, source, amount, running)| RegisterRow {
                    date,
                    entry_id,
                    memo,
                    source,
                    amount: money(amount),
                    balance: money(opening + running),
                },
            )
            .collect(),
        page,
        pages: ((count + REGISTER_PAGE - 1) / REGISTER_PAGE).max(1),
        total: count,
    }))
}

/// Income and expenses per month for the twelve months ending with the month of `to` (the
/// last month only up to `to`).
pub async fn profit_trend(
    conn: &mut SqliteConnection,
    currency: Currency,
    basis: Basis,
    to: NaiveDate,
) -> anyhow::Result<Vec<crate::domain::reports::MonthProfit>> {
    let chart = chart(conn).await?;
    let mut months = Vec::new();
    for back in (0..12u32).rev() {
        let month = first_of_month(to) - Months::new(back);
        let end = last_of_month(month).min(to);
        let totals = sums(conn, basis, Some(month), end, Closing::Exclude).await?;
        let total_of = |kind: AccountKind| {
            let minor: i64 = chart
                .iter()
                .filter(|a| a.kind == kind)
                .filter_map(|a| totals.get(&a.code))
                .sum();
            Money::from_minor(minor, currency)
        };
        months.push(crate::domain::reports::MonthProfit {
            month,
            income: -total_of(AccountKind::Revenue),
            expenses: total_of(AccountKind::Expense),
        });
    }
    Ok(months)
}

/// The general ledger summary: every account with an opening balance or postings in the
/// period, with its debits, credits and closing balance.
pub async fn general_ledger(
    conn: &mut SqliteConnection,
    currency: Currency,
    basis: Basis,
    period: Period,
) -> anyhow::Result<crate::api::types::LedgerSummary> {
    let chart = chart(conn).await?;
    let opening = sums(
        conn,
        basis,
        None,
        period.from - Days::new(1),
        Closing::Include,
    )
    .await?;
    let table = match basis {
        Basis::Accrual => "postings",
        Basis::Cash => "cash_postings",
    };
    let moves: Vec<(String, i64, i64)> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT account_code, SUM(MAX(amount_minor, 0)), SUM(MIN(amount_minor, 0))
         FROM {table} WHERE date BETWEEN ? AND ? GROUP BY account_code"
    )))
    .bind(period.from)
    .bind(period.to)
    .fetch_all(&mut *conn)
    .await?;
    let moves: HashMap<String, (i64, i64)> =
        moves.into_iter().map(|(c, d, k)| (c, (d, k))).collect();
    let money = |minor: i64| Money::from_minor(minor, currency);
    let rows = chart
        .into_iter()
        .filter_map(|a| {
            let open = opening.get(&a.code).copied();
            let (debits, credits) = moves.get(&a.code).copied().unwrap_or((0, 0));
            if open.is_none_or(|o| o == 0) && debits == 0 && credits == 0 {
                return None;
            }
            let open = open.unwrap_or(0);
            Some(crate::api::types::LedgerSummaryRow {
                code: a.code,
                name: a.name,
                kind: a.kind,
                opening: money(open),
                debits: money(debits),
                credits: money(-credits),
                closing: money(open + debits + credits),
            })
        })
        .collect();
    Ok(crate::api::types::LedgerSummary {
        period,
        basis,
        rows,
    })
}

/// One account's debit-positive balance at the end of each month of a year, from one read of
/// the monthly table (the bank account's monthly balances, say).
pub async fn month_end_balances(
    conn: &mut SqliteConnection,
    currency: Currency,
    basis: Basis,
    code: &str,
    year: i32,
) -> sqlx::Result<Vec<(NaiveDate, Money)>> {
    let (opening, months): (i64, Vec<(String, i64)>) = {
        let opening: i64 = sqlx::query_scalar(
            "SELECT COALESCE(SUM(amount_minor), 0) FROM ledger_months
             WHERE basis = ? AND account_code = ? AND month < ?",
        )
        .bind(basis.as_str())
        .bind(code)
        .bind(format!("{year:04}-01"))
        .fetch_one(&mut *conn)
        .await?;
        let months = sqlx::query_as(
            "SELECT month, amount_minor FROM ledger_months
             WHERE basis = ? AND account_code = ? AND month BETWEEN ? AND ? ORDER BY month",
        )
        .bind(basis.as_str())
        .bind(code)
        .bind(format!("{year:04}-01"))
        .bind(format!("{year:04}-12"))
        .fetch_all(&mut *conn)
        .await?;
        (opening, months)
    };
    let mut balance = opening;
    let mut out = Vec::with_capacity(12);
    for month in 1..=12u32 {
        let key = format!("{year:04}-{month:02}");
        balance += months
            .iter()
            .find(|(m, _)| *m == key)
            .map_or(0, |(_, amount)| *amount);
        let first = NaiveDate::from_ymd_opt(year, month, 1).expect("a month");
        out.push((last_of_month(first), Money::from_minor(balance, currency)));
    }
    Ok(out)
}
