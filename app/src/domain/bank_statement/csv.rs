//! CSV exports: records split by a [`CsvProfile`], columns found by their header names, and
//! each row read into a [`StatementLine`].

use super::amount::{parse_amount, DecimalSeparator};
use super::dates::{parse_date, DateFormat};
use super::text::TextEncoding;
use super::{detect, AccountStatement, Balance, BalanceCheck, Format, Location, Problems};
use super::{Statement, StatementLine};
use crate::domain::money::Currency;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// How to read one bank's CSV export; detected from the file, or saved per bank account.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CsvProfile {
    pub delimiter: char,
    pub encoding: TextEncoding,
    pub decimal: DecimalSeparator,
    pub date_format: DateFormat,
    /// The file line of the header (1-based). When a later export has more or fewer lines
    /// above it, the header is found again by its column names.
    pub header_line: usize,
    pub columns: ColumnMap,
    /// The currency of every line when the file has no currency column.
    pub currency: Option<Currency>,
}

/// Which header names hold what.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ColumnMap {
    pub booking_date: String,
    pub value_date: Option<String>,
    pub amount: AmountColumns,
    /// Joined with spaces into the line's description.
    pub description: Vec<String>,
    /// Who paid or was paid; with two (payer, then payee), money in names the first and
    /// money out the last that is not empty.
    pub counterparty: Vec<String>,
    pub references: Vec<String>,
    pub currency: Option<String>,
    pub balance: Option<String>,
    pub bank_id: Option<String>,
    pub kind: Option<String>,
}

/// Where the amount is: one signed column, money out and money in apart, or an unsigned
/// amount with a column saying credit or debit (`C`/`D`, `H`/`S`, `CR`/`DR`, `+`/`-`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum AmountColumns {
    Signed { amount: String },
    DebitCredit { debit: String, credit: String },
    WithIndicator { amount: String, indicator: String },
}

/// One CSV record and the file line it starts on.
pub(super) struct Record {
    pub line: usize,
    pub cells: Vec<String>,
}

/// Splits text into records; a quoted field may hold delimiters, newlines and `""`.
/// Fails with the line of a quote that is never closed (a file cut short).
pub(super) fn records(text: &str, delimiter: char) -> Result<Vec<Record>, usize> {
    let mut out = Vec::new();
    let (mut cells, mut cell) = (Vec::new(), String::new());
    let (mut line, mut start, mut quoted, mut quote_line) = (1, 1, false, 0);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if quoted {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    cell.push('"');
                }
                '"' => quoted = false,
                '\n' => {
                    line += 1;
                    cell.push('\n');
                }
                _ => cell.push(c),
            }
            continue;
        }
        match c {
            '"' if cell.trim().is_empty() => {
                cell.clear();
                quoted = true;
                quote_line = line;
            }
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' => {
                cells.push(std::mem::take(&mut cell));
                out.push(Record {
                    line: start,
                    cells: std::mem::take(&mut cells),
                });
                line += 1;
                start = line;
            }
            c if c == delimiter => cells.push(std::mem::take(&mut cell)),
            _ => cell.push(c),
        }
    }
    if quoted {
        return Err(quote_line);
    }
    if !cell.is_empty() || !cells.is_empty() {
        cells.push(cell);
        out.push(Record { line: start, cells });
    }
    Ok(out)
}

/// The records before a quote that is never closed, for detection to look at.
pub(super) fn records_before_broken_quote(text: &str, delimiter: char) -> Vec<Record> {
    records(text, delimiter).unwrap_or_else(|line| {
        let intact: String = text
            .lines()
            .take(line.saturating_sub(1))
            .map(|l| format!("{l}\n"))
            .collect();
        records(&intact, delimiter).unwrap_or_default()
    })
}

pub(super) fn parse(
    text: &str,
    given: Option<&CsvProfile>,
    encoding: TextEncoding,
    problems: &mut Problems,
) -> Option<Statement> {
    let (mut profile, notices) = match given {
        Some(p) => (p.clone(), Vec::new()),
        None => detect::detect(text, encoding)
            .map_err(|p| problems.push(p.location, p.message))
            .ok()?,
    };
    profile.encoding = encoding;
    let records = records(text, profile.delimiter)
        .map_err(|line| {
            problems.push(
                Location::Line(line),
                "a quoted field is never closed; is the file cut short?",
            )
        })
        .ok()?;
    let (header_index, columns) = find_header(&records, &profile, problems)?;
    profile.header_line = records[header_index].line;
    let mut lines = Vec::new();
    let mut balances = Vec::new();
    for record in &records[header_index + 1..] {
        if let Some((line, balance)) = read_row(record, &columns, &profile, problems) {
            lines.push(line);
            balances.push(balance);
        }
    }
    let (opening, closing) = balances_from_column(&lines, &balances);
    let currency = profile.currency.or_else(|| single_currency(&lines));
    let account = AccountStatement {
        account: None,
        statement_id: None,
        currency,
        opening,
        closing,
        lines,
        location: Location::Line(profile.header_line),
        balance_check: BalanceCheck::NotStated,
    };
    Some(Statement {
        format: Format::Csv,
        encoding,
        profile: Some(profile),
        accounts: vec![account],
        notices,
    })
}

/// Column positions of a profile's names in the header record.
struct Columns {
    booking_date: usize,
    value_date: Option<usize>,
    amount: AmountAt,
    description: Vec<usize>,
    counterparty: Vec<usize>,
    references: Vec<usize>,
    currency: Option<usize>,
    balance: Option<usize>,
    bank_id: Option<usize>,
    kind: Option<usize>,
}

enum AmountAt {
    Signed(usize),
    DebitCredit(usize, usize),
    WithIndicator(usize, usize),
}

/// The profile's header line when it has every named column, else the first record that has.
fn find_header(
    records: &[Record],
    profile: &CsvProfile,
    problems: &mut Problems,
) -> Option<(usize, Columns)> {
    let preferred = records.iter().position(|r| r.line == profile.header_line);
    let candidates = preferred.into_iter().chain(0..records.len().min(100));
    for index in candidates {
        if let Some(columns) = locate(&records[index].cells, &profile.columns) {
            return Some((index, columns));
        }
    }
    let message = format!(
        "no header line holds the columns \"{}\" and the amount's",
        profile.columns.booking_date
    );
    problems.push(Location::Line(profile.header_line), message);
    None
}

fn locate(header: &[String], map: &ColumnMap) -> Option<Columns> {
    let find = |name: &str| header.iter().position(|h| same_name(h, name));
    let all = |names: &[String]| names.iter().map(|n| find(n)).collect::<Option<Vec<_>>>();
    let optional = |name: &Option<String>| match name {
        Some(n) => find(n).map(Some),
        None => Some(None),
    };
    let amount = match &map.amount {
        AmountColumns::Signed { amount } => AmountAt::Signed(find(amount)?),
        AmountColumns::DebitCredit { debit, credit } => {
            AmountAt::DebitCredit(find(debit)?, find(credit)?)
        }
        AmountColumns::WithIndicator { amount, indicator } => {
            AmountAt::WithIndicator(find(amount)?, find(indicator)?)
        }
    };
    Some(Columns {
        booking_date: find(&map.booking_date)?,
        value_date: optional(&map.value_date)?,
        amount,
        description: all(&map.description)?,
        counterparty: all(&map.counterparty)?,
        references: all(&map.references)?,
        currency: optional(&map.currency)?,
        balance: optional(&map.balance)?,
        bank_id: optional(&map.bank_id)?,
        kind: optional(&map.kind)?,
    })
}

pub(super) fn same_name(cell: &str, name: &str) -> bool {
    cell.trim().to_lowercase() == name.trim().to_lowercase()
}

/// Reads one data row; blank rows and rows with neither date nor amount (totals, footers)
/// are passed over. Every bad cell of the row is reported.
fn read_row(
    record: &Record,
    columns: &Columns,
    profile: &CsvProfile,
    problems: &mut Problems,
) -> Option<(StatementLine, Option<Decimal>)> {
    let cell = |i: usize| record.cells.get(i).map_or("", |c| c.trim());
    let here = Location::Line(record.line);
    let amount_cells: Vec<&str> = match columns.amount {
        AmountAt::Signed(a) | AmountAt::WithIndicator(a, _) => vec![cell(a)],
        AmountAt::DebitCredit(d, c) => vec![cell(d), cell(c)],
    };
    if cell(columns.booking_date).is_empty() && amount_cells.iter().all(|c| c.is_empty()) {
        return None;
    }
    let mut errors = Vec::new();
    let date = |text: &str| parse_date(text, profile.date_format);
    let booking_date = keep(date(cell(columns.booking_date)), &mut errors);
    let value_date = keep(optional(columns.value_date.map(cell), date), &mut errors);
    let amount = keep(
        read_amount(&columns.amount, &cell, profile.decimal),
        &mut errors,
    );
    let currency = keep(
        optional(columns.currency.map(cell), |c| {
            Currency::parse(c).map_err(|e| e.to_string())
        }),
        &mut errors,
    );
    let balance = keep(
        optional(columns.balance.map(cell), |t| {
            parse_amount(t, profile.decimal)
        }),
        &mut errors,
    );
    for message in &errors {
        problems.push(here.clone(), message.clone());
    }
    let joined: Vec<&str> = columns
        .description
        .iter()
        .map(|i| cell(*i))
        .filter(|c| !c.is_empty())
        .collect();
    let some = |i: Option<usize>| i.map(cell).filter(|c| !c.is_empty()).map(str::to_string);
    let line = StatementLine {
        booking_date: booking_date?,
        value_date: value_date?,
        amount: amount?,
        currency: currency?.or(profile.currency),
        description: joined.join(" "),
        counterparty: counterparty(&columns.counterparty, amount.as_ref(), &some),
        references: columns
            .references
            .iter()
            .filter_map(|i| some(Some(*i)))
            .collect(),
        bank_id: some(columns.bank_id),
        kind: some(columns.kind),
        location: here,
        fingerprint: String::new(),
    };
    Some((line, balance?))
}

/// With a payer and a payee column (payer first, as banks order them), money in names the
/// payer and money out the payee; with one column, whatever it holds.
fn counterparty(
    columns: &[usize],
    amount: Option<&Decimal>,
    some: &dyn Fn(Option<usize>) -> Option<String>,
) -> Option<String> {
    let named = |i: &usize| some(Some(*i));
    if amount.is_some_and(|a| a.is_sign_negative()) {
        columns.iter().rev().find_map(named)
    } else {
        columns.iter().find_map(named)
    }
}

/// The value of a cell that may be empty.
fn optional<T>(
    text: Option<&str>,
    read: impl FnOnce(&str) -> Result<T, String>,
) -> Result<Option<T>, String> {
    match text.filter(|t| !t.is_empty()) {
        Some(t) => read(t).map(Some),
        None => Ok(None),
    }
}

fn keep<T>(result: Result<T, String>, errors: &mut Vec<String>) -> Option<T> {
    result.map_err(|e| errors.push(e)).ok()
}

fn read_amount<'a>(
    at: &AmountAt,
    cell: &dyn Fn(usize) -> &'a str,
    decimal: DecimalSeparator,
) -> Result<Decimal, String> {
    let read = |i: usize| parse_amount(cell(i), decimal);
    match *at {
        AmountAt::Signed(a) => read(a),
        AmountAt::DebitCredit(d, c) => match (cell(d).is_empty(), cell(c).is_empty()) {
            (false, true) => Ok(-read(d)?.abs()),
            (true, false) => Ok(read(c)?.abs()),
            (true, true) => Err("neither money out nor money in is given".to_string()),
            (false, false) => {
                let (out, into) = (read(d)?.abs(), read(c)?.abs());
                if out.is_zero() || into.is_zero() {
                    Ok(into - out)
                } else {
                    Err("both money out and money in are given".to_string())
                }
            }
        },
        AmountAt::WithIndicator(a, i) => {
            let amount = read(a)?.abs();
            match cell(i).to_ascii_uppercase().as_str() {
                "C" | "CR" | "H" | "+" | "CRDT" | "CREDIT" | "HABEN" => Ok(amount),
                "D" | "DR" | "S" | "-" | "DBIT" | "DEBIT" | "SOLL" => Ok(-amount),
                other => Err(format!(
                    "\"{}\" says neither credit nor debit",
                    super::amount::quote(other)
                )),
            }
        }
    }
}

/// Opening and closing balances from a running-balance column, whichever order (oldest or
/// newest first) the rows are in: the order in which the balances add up, else by date.
fn balances_from_column(
    lines: &[StatementLine],
    balances: &[Option<Decimal>],
) -> (Option<Balance>, Option<Balance>) {
    let (Some(first), Some(last)) = (lines.first(), lines.last()) else {
        return (None, None);
    };
    let (Some(Some(first_balance)), Some(Some(last_balance))) = (balances.first(), balances.last())
    else {
        return (None, None);
    };
    let sum = lines
        .iter()
        .try_fold(Decimal::ZERO, |s, l| s.checked_add(l.amount));
    let oldest_first = (
        *first_balance - first.amount,
        *last_balance,
        first.booking_date,
        last.booking_date,
    );
    let newest_first = (
        *last_balance - last.amount,
        *first_balance,
        last.booking_date,
        first.booking_date,
    );
    let adds_up = |(open, close, ..): (Decimal, Decimal, NaiveDate, NaiveDate)| {
        sum.is_some_and(|s| open + s == close)
    };
    let chosen = if adds_up(oldest_first)
        || !adds_up(newest_first) && first.booking_date <= last.booking_date
    {
        oldest_first
    } else {
        newest_first
    };
    let (open, close, open_date, close_date) = chosen;
    let opening = Balance {
        date: Some(open_date),
        amount: open,
    };
    let closing = Balance {
        date: Some(close_date),
        amount: close,
    };
    (Some(opening), Some(closing))
}

fn single_currency(lines: &[StatementLine]) -> Option<Currency> {
    let first = lines.first()?.currency?;
    lines
        .iter()
        .all(|l| l.currency == Some(first))
        .then_some(first)
}
