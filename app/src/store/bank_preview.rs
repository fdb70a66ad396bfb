//! Reading a statement file for a bank account before anything is saved: the format, the CSV
//! settings used (the account's saved profile, or detected), every line marked new or already
//! imported, the balance check and any problem with its file line or XML element.

use super::bank_import::{known_fingerprints, line_money, saved_profile};
use crate::api::bank_types::{CsvSettings, PreviewLine, StatementPreview};
use crate::domain::bank_statement::{
    parse_statement, AmountColumns, BalanceCheck, CsvProfile, DateFormat, DecimalSeparator, Format,
    Notice, Statement,
};
use crate::domain::Currency;
use sqlx::SqliteConnection;

/// A parsed file and what the preview shows of it; `statement` is `None` when it was refused.
pub struct Reading {
    pub statement: Option<Statement>,
    pub preview: StatementPreview,
}

/// Reads `bytes` for the bank account. CSV settings: `settings` when the owner changed them,
/// else the account's saved profile when it reads the file, else detected.
pub async fn read_statement(
    conn: &mut SqliteConnection,
    bank_account_id: i64,
    bytes: &[u8],
    settings: Option<&CsvSettings>,
    currency: Currency,
) -> anyhow::Result<Reading> {
    let chosen = settings.map(profile_from_settings);
    let parsed = match chosen {
        Some(Err(problem)) => return Ok(refused(vec![problem])),
        Some(Ok(profile)) => parse_statement(bytes, Some(&profile)),
        None => match saved_profile(conn, bank_account_id).await? {
            // A saved profile is only tried on what is CSV; it falls back to detection when
            // the bank changed its export.
            Some(profile) => match parse_statement(bytes, None) {
                Ok(s) if s.format == Format::Csv => {
                    parse_statement(bytes, Some(&profile)).or(Ok(s))
                }
                other => other,
            },
            None => parse_statement(bytes, None),
        },
    };
    let statement = match parsed {
        Ok(statement) => statement,
        Err(failure) => {
            let mut problems: Vec<String> =
                failure.problems.iter().map(|p| p.to_string()).collect();
            if failure.not_listed > 0 {
                problems.push(format!("and {} more problems", failure.not_listed));
            }
            return Ok(refused(problems));
        }
    };
    let known = known_fingerprints(conn, bank_account_id).await?;
    let mut preview = describe(&statement);
    for line in statement.lines() {
        match line_money(line, currency) {
            Ok(amount) => {
                let is_known = known.contains(&line.fingerprint);
                preview.lines.push(PreviewLine {
                    date: line.booking_date,
                    amount,
                    text: line_text(line),
                    known: is_known,
                });
                if is_known {
                    preview.known_lines += 1;
                } else {
                    preview.new_lines += 1;
                }
            }
            Err(problem) => preview.problems.push(problem),
        }
    }
    let statement = preview.problems.is_empty().then_some(statement);
    Ok(Reading { statement, preview })
}

fn refused(problems: Vec<String>) -> Reading {
    Reading {
        statement: None,
        preview: StatementPreview {
            problems,
            ..StatementPreview::default()
        },
    }
}

fn line_text(line: &crate::domain::bank_statement::StatementLine) -> String {
    let mut parts = vec![line.description.trim().to_string()];
    parts.extend(line.counterparty.iter().map(|c| c.trim().to_string()));
    parts.extend(line.references.iter().map(|r| r.trim().to_string()));
    parts.retain(|p| !p.is_empty());
    parts.dedup();
    parts.join(" · ")
}

fn describe(statement: &Statement) -> StatementPreview {
    let format = match statement.format {
        Format::Csv => "CSV",
        Format::Ofx => "OFX",
        Format::Camt053 => "camt.053",
        Format::Mt940 => "MT940",
    };
    let mut balances = Vec::new();
    let mut mismatch = false;
    for account in &statement.accounts {
        let name = account
            .account
            .clone()
            .unwrap_or_else(|| "statement".into());
        balances.push(match &account.balance_check {
            BalanceCheck::NotStated => format!("{name}: the file states no opening and closing balance"),
            BalanceCheck::Agrees => format!(
                "{name}: opening {} plus the lines is the closing balance {}: agrees",
                account.opening.as_ref().map(|b| b.amount).unwrap_or_default(),
                account.closing.as_ref().map(|b| b.amount).unwrap_or_default()
            ),
            BalanceCheck::Mismatch { expected, found } => {
                mismatch = true;
                format!("{name}: the stated closing balance is {expected} but opening plus the lines is {found}")
            }
        });
    }
    let notices = statement
        .notices
        .iter()
        .filter_map(|n| match n {
            Notice::AmbiguousDateOrder { assumed } => Some(format!(
                "no day in the file is above 12: dates were read as {}; change the date format if that is wrong",
                date_format_key(*assumed)
            )),
            Notice::BalanceMismatch { .. } => None,
        })
        .collect();
    StatementPreview {
        format: format.into(),
        encoding: format!("{:?}", statement.encoding),
        csv: statement.profile.as_ref().map(settings_from_profile),
        balances,
        balance_mismatch: mismatch,
        notices,
        ..StatementPreview::default()
    }
}

fn date_format_key(format: DateFormat) -> &'static str {
    match format {
        DateFormat::YearMonthDay => "ymd",
        DateFormat::DayMonthYear => "dmy",
        DateFormat::MonthDayYear => "mdy",
    }
}

/// The form fields for a profile.
pub fn settings_from_profile(profile: &CsvProfile) -> CsvSettings {
    let (amount, debit, credit) = match &profile.columns.amount {
        AmountColumns::Signed { amount } => (amount.clone(), String::new(), String::new()),
        AmountColumns::DebitCredit { debit, credit } => {
            (String::new(), debit.clone(), credit.clone())
        }
        AmountColumns::WithIndicator { amount, .. } => {
            (amount.clone(), String::new(), String::new())
        }
    };
    CsvSettings {
        profile: serde_json::to_string(profile).unwrap_or_default(),
        delimiter: match profile.delimiter {
            '\t' => "\\t".into(),
            c => c.to_string(),
        },
        decimal: match profile.decimal {
            DecimalSeparator::Point => "point".into(),
            DecimalSeparator::Comma => "comma".into(),
        },
        date_format: date_format_key(profile.date_format).into(),
        date_column: profile.columns.booking_date.clone(),
        amount_column: amount,
        debit_column: debit,
        credit_column: credit,
        description_columns: profile.columns.description.join(", "),
    }
}

/// The profile the form fields describe, on top of the profile they came with.
pub fn profile_from_settings(settings: &CsvSettings) -> Result<CsvProfile, String> {
    let mut profile: CsvProfile = serde_json::from_str(&settings.profile)
        .map_err(|_| "the CSV settings are damaged; upload the file again".to_string())?;
    profile.delimiter = match settings.delimiter.as_str() {
        "\\t" | "tab" => '\t',
        d if d.chars().count() == 1 => d.chars().next().unwrap_or(','),
        _ => return Err("the delimiter is one character (or \\t for a tab)".into()),
    };
    profile.decimal = match settings.decimal.as_str() {
        "comma" => DecimalSeparator::Comma,
        _ => DecimalSeparator::Point,
    };
    profile.date_format = match settings.date_format.as_str() {
        "dmy" => DateFormat::DayMonthYear,
        "mdy" => DateFormat::MonthDayYear,
        _ => DateFormat::YearMonthDay,
    };
    let named = |s: &str| s.trim().to_string();
    if !settings.date_column.trim().is_empty() {
        profile.columns.booking_date = named(&settings.date_column);
    }
    if !settings.amount_column.trim().is_empty() {
        if let AmountColumns::WithIndicator { indicator, .. } = &profile.columns.amount {
            profile.columns.amount = AmountColumns::WithIndicator {
                amount: named(&settings.amount_column),
                indicator: indicator.clone(),
            };
        } else {
            profile.columns.amount = AmountColumns::Signed {
                amount: named(&settings.amount_column),
            };
        }
    } else if !settings.debit_column.trim().is_empty() && !settings.credit_column.trim().is_empty()
    {
        profile.columns.amount = AmountColumns::DebitCredit {
            debit: named(&settings.debit_column),
            credit: named(&settings.credit_column),
        };
    }
    let description: Vec<String> = settings
        .description_columns
        .split(',')
        .map(named)
        .filter(|s| !s.is_empty())
        .collect();
    if !description.is_empty() {
        profile.columns.description = description;
    }
    Ok(profile)
}
