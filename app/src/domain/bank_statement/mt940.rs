//! SWIFT MT940: fields `:20:` to `:86:`, one statement per `:20:`, several per file. The
//! `:86:` text may be structured (German `?20`…`?63` subfields with SEPA keywords).

use super::amount::{parse_amount, quote, DecimalSeparator};
use super::dates::two_digit_year;
use super::{AccountStatement, Balance, BalanceCheck, Format, Location, Problems};
use super::{Statement, StatementLine, TextEncoding};
use crate::domain::money::Currency;
use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;

/// A field: its tag, its text (continuation lines joined by `\n`) and its first line.
struct Field {
    tag: String,
    value: String,
    line: usize,
}

/// True when the text has the fields every MT940 statement has.
pub(super) fn looks_like(content: &str) -> bool {
    let has = |tag: &str| {
        content
            .lines()
            .take(400)
            .any(|l| field_start(l.trim_start()).is_some_and(|(t, _)| t == tag))
    };
    has("20") && (has("25") || has("60F") || has("61"))
}

/// `:61:rest` → `("61", "rest")`.
fn field_start(line: &str) -> Option<(&str, &str)> {
    let body = line.strip_prefix(':')?;
    let (tag, rest) = body.split_once(':')?;
    let ok = (2..=3).contains(&tag.len())
        && tag.bytes().take(2).all(|b| b.is_ascii_digit())
        && tag.bytes().skip(2).all(|b| b.is_ascii_uppercase());
    ok.then_some((tag, rest))
}

fn fields(content: &str) -> Vec<Field> {
    let mut out: Vec<Field> = Vec::new();
    for (index, raw) in content.lines().enumerate() {
        let mut text = raw.trim_end();
        if let Some(at) = text.find("{4:") {
            text = &text[at + 3..];
        }
        if text.starts_with('{') || text.starts_with("-}") || text == "-" || text.is_empty() {
            continue;
        }
        match field_start(text.trim_start()) {
            Some((tag, rest)) => out.push(Field {
                tag: tag.to_string(),
                value: rest.to_string(),
                line: index + 1,
            }),
            None => {
                if let Some(last) = out.last_mut() {
                    last.value.push('\n');
                    last.value.push_str(text);
                }
            }
        }
    }
    out
}

pub(super) fn parse(content: &str, problems: &mut Problems) -> Option<Statement> {
    let mut accounts: Vec<AccountStatement> = Vec::new();
    let mut open_61: Option<usize> = None;
    for field in fields(content) {
        let here = Location::Line(field.line);
        if field.tag == "20" {
            close(accounts.last(), problems);
            accounts.push(AccountStatement {
                account: None,
                statement_id: Some(field.value.trim().to_string()),
                currency: None,
                opening: None,
                closing: None,
                lines: Vec::new(),
                location: here,
                balance_check: BalanceCheck::NotStated,
            });
            continue;
        }
        let Some(account) = accounts.last_mut() else {
            problems.push(here, format!(":{}: comes before any :20: field", field.tag));
            continue;
        };
        match field.tag.as_str() {
            "25" => account.account = Some(field.value.trim().to_string()),
            "28C" | "28" => {
                let number = field.value.trim();
                account.statement_id = Some(match &account.statement_id {
                    Some(id) => format!("{id} {number}"),
                    None => number.to_string(),
                });
            }
            "60F" | "60M" => {
                let read = balance(&field.value)
                    .map_err(|e| problems.push(here, e))
                    .ok();
                if let Some((bal, currency)) = read {
                    account.opening = Some(bal);
                    account.currency = Some(currency);
                }
            }
            "62F" | "62M" => {
                account.closing = balance(&field.value)
                    .map_err(|e| problems.push(here, e))
                    .ok()
                    .map(|b| b.0);
            }
            "61" => {
                open_61 = Some(account.lines.len());
                match line(&field.value, account.currency, here.clone()) {
                    Ok(l) => account.lines.push(l),
                    Err(e) => {
                        open_61 = None;
                        problems.push(here, e);
                    }
                }
            }
            "86" => {
                if let Some(l) = open_61.take().and_then(|i| account.lines.get_mut(i)) {
                    information(&field.value, l);
                }
            }
            _ => {}
        }
    }
    close(accounts.last(), problems);
    if accounts.is_empty() {
        problems.push(Location::File, "the MT940 file holds no statement (:20:)");
        return None;
    }
    Some(Statement {
        format: Format::Mt940,
        encoding: TextEncoding::Utf8,
        profile: None,
        accounts,
        notices: Vec::new(),
    })
}

/// Every MT940 statement ends with its closing balance; one without is cut short.
fn close(account: Option<&AccountStatement>, problems: &mut Problems) {
    if let Some(a) = account.filter(|a| a.closing.is_none()) {
        let message = "the statement has no closing balance (:62F:); is the file cut short?";
        problems.push(a.location.clone(), message);
    }
}

/// `C240131EUR1234,56` → the balance on 31 January 2024 and its currency.
fn balance(value: &str) -> Result<(Balance, Currency), String> {
    let refuse = || {
        format!(
            "\"{}\" is not a balance (like C240131EUR1234,56)",
            quote(value)
        )
    };
    let value = value.trim();
    let sign = match value.get(..1) {
        Some("C") => Decimal::ONE,
        Some("D") => Decimal::NEGATIVE_ONE,
        _ => return Err(refuse()),
    };
    let date = yymmdd(value.get(1..7).ok_or_else(refuse)?)?;
    let currency =
        Currency::parse(value.get(7..10).ok_or_else(refuse)?).map_err(|e| e.to_string())?;
    let amount = amount(value.get(10..).ok_or_else(refuse)?)?;
    Ok((
        Balance {
            date: Some(date),
            amount: sign * amount,
        },
        currency,
    ))
}

fn yymmdd(text: &str) -> Result<NaiveDate, String> {
    let refuse = || format!("\"{}\" is not a date (YYMMDD)", quote(text));
    if text.len() != 6 || !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(refuse());
    }
    let number = |r: std::ops::Range<usize>| text[r].parse::<u32>().map_err(|_| refuse());
    let year = two_digit_year(i32::try_from(number(0..2)?).map_err(|_| refuse())?);
    NaiveDate::from_ymd_opt(year, number(2..4)?, number(4..6)?)
        .ok_or_else(|| format!("\"{text}\" is not a day of the calendar"))
}

/// MT940 amounts have a decimal comma and may end in it (`1234,`).
fn amount(text: &str) -> Result<Decimal, String> {
    let text = text.trim();
    if text.contains(['.', '-', '+']) {
        return Err(format!("\"{}\" is not an MT940 amount", quote(text)));
    }
    let padded = if text.ends_with(',') {
        format!("{text}0")
    } else {
        text.to_string()
    };
    parse_amount(&padded, DecimalSeparator::Comma)
}

/// `:61:` — value date, entry date (MMDD), mark, funds code, amount, type, references.
fn line(value: &str, currency: Option<Currency>, here: Location) -> Result<StatementLine, String> {
    let refuse = |what: &str| format!("\"{}\": {what}", quote(value));
    let (first, supplementary) = value.split_once('\n').unwrap_or((value, ""));
    let value_date = yymmdd(first.get(..6).ok_or_else(|| refuse("no value date"))?)?;
    let mut rest = &first[6..];
    let mut booking_date = value_date;
    if rest.len() >= 4 && rest.as_bytes()[..4].iter().all(u8::is_ascii_digit) {
        booking_date = entry_date(&rest[..4], value_date)
            .ok_or_else(|| refuse("the entry date is not a day"))?;
        rest = &rest[4..];
    }
    let (sign, after) = if let Some(r) = rest.strip_prefix("RC") {
        (Decimal::NEGATIVE_ONE, r)
    } else if let Some(r) = rest.strip_prefix("RD") {
        (Decimal::ONE, r)
    } else if let Some(r) = rest.strip_prefix('C') {
        (Decimal::ONE, r)
    } else if let Some(r) = rest.strip_prefix('D') {
        (Decimal::NEGATIVE_ONE, r)
    } else {
        return Err(refuse("no credit or debit mark (C, D, RC, RD)"));
    };
    let after = after
        .strip_prefix(|c: char| c.is_ascii_alphabetic())
        .unwrap_or(after);
    let amount_end = after
        .find(|c: char| !(c.is_ascii_digit() || c == ','))
        .unwrap_or(after.len());
    let amount = amount(&after[..amount_end])?;
    let tail = &after[amount_end..];
    let kind = tail.get(..4).filter(|k| k.len() == 4).map(str::to_string);
    let references = tail.get(4..).unwrap_or("");
    let (customer, bank) = references.split_once("//").unwrap_or((references, ""));
    let useful = |r: &str| Some(r.trim().to_string()).filter(|r| !r.is_empty() && r != "NONREF");
    Ok(StatementLine {
        booking_date,
        value_date: Some(value_date),
        amount: sign * amount,
        currency,
        description: supplementary.trim().to_string(),
        counterparty: None,
        references: useful(customer).into_iter().collect(),
        bank_id: useful(bank),
        kind,
        location: here,
        fingerprint: String::new(),
    })
}

/// The entry date has no year: it is the one nearest the value date.
fn entry_date(mmdd: &str, value_date: NaiveDate) -> Option<NaiveDate> {
    let month: u32 = mmdd.get(..2)?.parse().ok()?;
    let day: u32 = mmdd.get(2..)?.parse().ok()?;
    let year = value_date.year();
    [year - 1, year, year + 1]
        .into_iter()
        .filter_map(|y| NaiveDate::from_ymd_opt(y, month, day))
        .min_by_key(|d| (*d - value_date).num_days().abs())
}

/// `:86:` — structured `NNN?00…?20…?32…` subfields, or free text.
fn information(value: &str, line: &mut StatementLine) {
    let joined: String = value.lines().collect::<Vec<_>>().join("");
    let structured = joined.len() > 4
        && joined.as_bytes()[..3].iter().all(u8::is_ascii_digit)
        && joined[3..].starts_with('?');
    if !structured {
        let text = value.lines().map(str::trim).collect::<Vec<_>>().join(" ");
        line.description = [line.description.as_str(), text.as_str()]
            .join(" ")
            .trim()
            .to_string();
        return;
    }
    let mut purpose = String::new();
    let mut name = String::new();
    for part in joined[4..].split('?') {
        let (Some(code), Some(text)) = (part.get(..2), part.get(2..)) else {
            continue;
        };
        match code.parse::<u8>() {
            Ok(0) if !text.trim().is_empty() => line.kind = Some(text.trim().to_string()),
            Ok(20..=29 | 60..=63) => purpose.push_str(text),
            Ok(32 | 33) => name.push_str(text),
            _ => {}
        }
    }
    line.counterparty = Some(name.trim().to_string()).filter(|n| !n.is_empty());
    let (description, references) = sepa_keywords(&purpose);
    line.description = description;
    line.references.extend(references);
}

/// Splits `EREF+…KREF+…SVWZ+…` into the remittance text and the references.
fn sepa_keywords(purpose: &str) -> (String, Vec<String>) {
    const KEYS: [&str; 11] = [
        "EREF+", "KREF+", "MREF+", "CRED+", "DEBT+", "SVWZ+", "ABWA+", "ABWE+", "COAS+", "OAMT+",
        "BREF+",
    ];
    let mut starts: Vec<(usize, &str)> =
        KEYS.iter().flat_map(|k| purpose.match_indices(k)).collect();
    if starts.is_empty() {
        return (purpose.trim().to_string(), Vec::new());
    }
    starts.sort();
    let mut description = purpose[..starts[0].0].trim().to_string();
    let mut references = Vec::new();
    for (i, (at, key)) in starts.iter().enumerate() {
        let end = starts.get(i + 1).map_or(purpose.len(), |n| n.0);
        let text = purpose.get(at + key.len()..end).unwrap_or("").trim();
        match *key {
            "SVWZ+" => description = [description.as_str(), text].join(" ").trim().to_string(),
            "EREF+" | "KREF+" if text != "NOTPROVIDED" && !text.is_empty() => {
                references.push(text.to_string())
            }
            _ => {}
        }
    }
    (description, references)
}
