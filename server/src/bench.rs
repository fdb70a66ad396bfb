//! `settle bench`: times Settle's own reports on a database in this process, the way the
//! benchmark suite compares them with hledger, ledger and beancount reading the same book.

use app::domain::{Basis, Period};
use app::store;
use chrono::{Datelike, NaiveDate};
use serde_json::json;
use std::path::Path;
use std::process::ExitCode;
use std::time::{Duration, Instant};

fn summary(mut times: Vec<Duration>) -> serde_json::Value {
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let at = |q: f64| times[((times.len() as f64 - 1.0) * q).round() as usize];
    json!({"median_ms": ms(at(0.5)), "p99_ms": ms(at(0.99)), "min_ms": ms(times[0]), "runs": times.len()})
}

/// Times the trial balance as of the last entry, profit and loss of `year`, and the bank
/// account's balance at each month end of `year`, `runs` times each; prints JSON.
pub async fn bench(db: &Path, runs: usize, year: Option<i32>) -> anyhow::Result<ExitCode> {
    let pool = store::open(db).await?;
    let mut conn = pool.acquire().await?;
    let business = store::business::get_business(&mut conn).await?;
    let currency = business.base_currency;
    let last: NaiveDate = sqlx::query_scalar("SELECT MAX(date) FROM journal_entries")
        .fetch_one(&mut *conn)
        .await?;
    let year = year.unwrap_or(last.year() - 1);
    let period = Period {
        from: NaiveDate::from_ymd_opt(year, 1, 1).expect("a year"),
        to: NaiveDate::from_ymd_opt(year, 12, 31).expect("a year"),
    };
    let postings: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM postings")
        .fetch_one(&mut *conn)
        .await?;
    let mut trial = Vec::new();
    let mut profit = Vec::new();
    let mut bank = Vec::new();
    for _ in 0..runs.max(1) {
        let started = Instant::now();
        store::reports::trial_balance(&mut conn, currency, Basis::Accrual, last).await?;
        trial.push(started.elapsed());
        let started = Instant::now();
        store::reports::profit_loss(&mut conn, currency, Basis::Accrual, period, false).await?;
        profit.push(started.elapsed());
        let started = Instant::now();
        let months =
            store::reports::month_end_balances(&mut conn, currency, Basis::Accrual, "1000", year)
                .await?;
        std::hint::black_box(months);
        bank.push(started.elapsed());
    }
    let result = json!({
        "postings": postings,
        "year": year,
        "trial_balance": summary(trial),
        "profit_loss": summary(profit),
        "bank_monthly_balances": summary(bank),
    });
    println!("{}", serde_json::to_string(&result)?);
    Ok(ExitCode::SUCCESS)
}
