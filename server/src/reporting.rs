//! `settle report` and `settle export`: the books' statements and the whole ledger from the
//! command line, for scripts and for checking Settle against other accounting tools.

use anyhow::{bail, Context};
use app::domain::reports::ReportSection;
use app::domain::{Basis, Money, Period};
use app::store;
use app::store::export::{export_ledger, ExportFormat};
use app::store::reports::{sums, Closing};
use chrono::NaiveDate;
use serde_json::json;
use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

/// Which statement `settle report` prints.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum ReportKind {
    TrialBalance,
    ProfitLoss,
    BalanceSheet,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum OutputFormat {
    Text,
    Csv,
    Json,
}

async fn open_existing(db: &Path) -> anyhow::Result<sqlx::SqlitePool> {
    if !db.exists() {
        bail!("{} does not exist", db.display());
    }
    store::open(db).await
}

pub async fn export(db: &Path, format: &str, out: Option<&Path>) -> anyhow::Result<ExitCode> {
    let format = ExportFormat::parse(format)
        .with_context(|| format!("unknown format {format}; use hledger, beancount or csv"))?;
    let pool = open_existing(db).await?;
    let mut conn = pool.acquire().await?;
    let business = store::business::get_business(&mut conn).await?;
    let entries = match out {
        Some(path) => {
            let file = std::fs::File::create(path)
                .with_context(|| format!("cannot create {}", path.display()))?;
            let mut writer = std::io::BufWriter::new(file);
            export_ledger(&mut conn, business.base_currency, format, &mut writer).await?
        }
        None => {
            let mut writer = std::io::BufWriter::new(std::io::stdout());
            export_ledger(&mut conn, business.base_currency, format, &mut writer).await?
        }
    };
    if let Some(path) = out {
        eprintln!("Wrote {entries} journal entries to {}.", path.display());
    }
    Ok(ExitCode::SUCCESS)
}

pub async fn report(
    db: &Path,
    kind: ReportKind,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
    basis: Basis,
    format: OutputFormat,
) -> anyhow::Result<ExitCode> {
    let pool = open_existing(db).await?;
    let mut conn = pool.acquire().await?;
    let business = store::business::get_business(&mut conn).await?;
    let currency = business.base_currency;
    let to = to.unwrap_or_else(|| business.today());
    if from.is_some_and(|f| f > to) {
        bail!("--from must not be after --to");
    }
    let chart = store::reports::chart(&mut conn).await?;
    // Rows are every account the report covers, debit-positive, so other tools compare directly.
    // Profit and loss runs from the start of the year unless told otherwise, as in the app.
    let from = match kind {
        ReportKind::ProfitLoss => Some(from.unwrap_or_else(|| {
            NaiveDate::from_ymd_opt(chrono::Datelike::year(&to), 1, 1).unwrap_or(to)
        })),
        _ => from,
    };
    let (closing, from_for_sums) = match kind {
        ReportKind::ProfitLoss => (Closing::Exclude, from),
        _ => (Closing::Include, None),
    };
    let totals = sums(&mut conn, basis, from_for_sums, to, closing).await?;
    let rows: Vec<(String, String, &'static str, Money)> = chart
        .iter()
        .filter(|a| match kind {
            ReportKind::TrialBalance => true,
            ReportKind::ProfitLoss => a.kind.is_profit_and_loss(),
            ReportKind::BalanceSheet => !a.kind.is_profit_and_loss(),
        })
        .filter_map(|a| {
            let minor = totals.get(&a.code).copied().filter(|m| *m != 0)?;
            Some((
                a.code.clone(),
                a.name.clone(),
                a.kind.as_str(),
                Money::from_minor(minor, currency),
            ))
        })
        .collect();
    let name = match kind {
        ReportKind::TrialBalance => "trial-balance",
        ReportKind::ProfitLoss => "profit-loss",
        ReportKind::BalanceSheet => "balance-sheet",
    };
    let mut out = std::io::stdout().lock();
    match format {
        OutputFormat::Json => {
            let total = |kinds: &[&str]| -> String {
                let minor: i64 = rows
                    .iter()
                    .filter(|r| kinds.contains(&r.2))
                    .map(|r| r.3.to_minor())
                    .sum();
                Money::from_minor(minor, currency).amount().to_string()
            };
            // Totals in each report's natural sign; the rows stay debit-positive.
            let totals = match kind {
                ReportKind::TrialBalance => {
                    json!({"sum_of_balances": total(&["asset", "liability", "equity", "revenue", "expense"])})
                }
                ReportKind::ProfitLoss => json!({
                    "income": negate(&total(&["revenue"])),
                    "expenses": total(&["expense"]),
                    "net_profit": negate(&total(&["revenue", "expense"])),
                }),
                ReportKind::BalanceSheet => {
                    let earnings: i64 = chart
                        .iter()
                        .filter(|a| a.kind.is_profit_and_loss())
                        .filter_map(|a| totals.get(&a.code))
                        .sum();
                    json!({
                        "assets": total(&["asset"]),
                        "liabilities": negate(&total(&["liability"])),
                        "equity": negate(&total(&["equity"])),
                        "current_earnings": Money::from_minor(-earnings, currency).amount().to_string(),
                    })
                }
            };
            let value = json!({
                "report": name,
                "totals": totals,
                "from": from_for_sums,
                "to": to,
                "basis": basis.as_str(),
                "currency": currency.code(),
                "rows": rows.iter().map(|(code, name, kind, balance)| json!({
                    "code": code, "name": name, "kind": kind, "balance": balance.amount().to_string(),
                })).collect::<Vec<_>>(),
            });
            writeln!(out, "{}", serde_json::to_string_pretty(&value)?)?;
        }
        OutputFormat::Csv => {
            writeln!(out, "code,name,kind,balance")?;
            for (code, name, kind, balance) in &rows {
                writeln!(out, "{code},{},{kind},{}", csv_text(name), balance.amount())?;
            }
        }
        OutputFormat::Text => {
            let text = match kind {
                ReportKind::TrialBalance => trial_text(&rows, to, basis),
                ReportKind::ProfitLoss => {
                    let period = Period {
                        from: from.unwrap_or(NaiveDate::MIN),
                        to,
                    };
                    let pl = store::reports::profit_loss(&mut conn, currency, basis, period, false)
                        .await?;
                    let mut t = format!(
                        "Profit and loss, {} to {to}, {} basis\n\n",
                        from.map(|f| f.to_string())
                            .unwrap_or_else(|| "the beginning".into()),
                        basis.as_str()
                    );
                    t += &section_text(&pl.income);
                    t += &section_text(&pl.expenses);
                    t += &format!("{:<48}{:>18}\n", "Net profit", pl.net_profit.amount());
                    t
                }
                ReportKind::BalanceSheet => {
                    let bs =
                        store::reports::balance_sheet_as_of(&mut conn, currency, basis, to, None)
                            .await?;
                    let mut t = format!("Balance sheet as of {to}, {} basis\n\n", basis.as_str());
                    t += &section_text(&bs.assets);
                    t += &section_text(&bs.liabilities);
                    t += &section_text(&bs.equity);
                    t += &format!(
                        "{:<48}{:>18}\n",
                        "Liabilities and equity",
                        bs.liabilities_and_equity.amount()
                    );
                    t
                }
            };
            write!(out, "{text}")?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn trial_text(rows: &[(String, String, &str, Money)], to: NaiveDate, basis: Basis) -> String {
    let mut t = format!("Trial balance as of {to}, {} basis\n\n", basis.as_str());
    t += &format!("{:<48}{:>18}{:>18}\n", "Account", "Debit", "Credit");
    let (mut debit, mut credit) = (rust_decimal::Decimal::ZERO, rust_decimal::Decimal::ZERO);
    for (code, name, _, balance) in rows {
        let label = format!("{code} {name}");
        if balance.is_positive() {
            debit += balance.amount();
            t += &format!("{label:<48}{:>18}\n", balance.amount());
        } else {
            credit -= balance.amount();
            t += &format!("{label:<48}{:>18}{:>18}\n", "", -balance.amount());
        }
    }
    t += &format!("{:<48}{debit:>18}{credit:>18}\n", "Total");
    t
}

fn section_text(section: &ReportSection) -> String {
    let mut t = format!("{}\n", section.title);
    for line in &section.lines {
        let name = format!("{} {}", line.code, line.name);
        let label = format!(
            "{}{}",
            "  ".repeat(usize::from(line.depth) + 1),
            name.trim()
        );
        t += &format!("{label:<48}{:>18}\n", line.amount.amount());
    }
    t += &format!(
        "{:<48}{:>18}\n\n",
        format!("Total {}", section.title.to_lowercase()),
        section.total.amount()
    );
    t
}

fn csv_text(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}

/// "-12.50" for "12.50" and back, for totals shown in their natural sign.
fn negate(amount: &str) -> String {
    match amount.strip_prefix('-') {
        Some(rest) => rest.to_string(),
        None if amount.chars().all(|c| c == '0' || c == '.') => amount.to_string(),
        None => format!("-{amount}"),
    }
}
