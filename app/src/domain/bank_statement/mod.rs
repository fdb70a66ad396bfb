//! Bank statements read from the files banks export: CSV (with a [`CsvProfile`] that is
//! detected when none is given), OFX/QFX (SGML 1.x and XML 2.x), ISO 20022 camt.053 and
//! SWIFT MT940. Pure and free of I/O: [`parse_statement`] takes the file's bytes.
//!
//! The model: a file is a [`Statement`] holding one or more [`AccountStatement`]s (MT940 and
//! camt.053 files may carry several), each with optional opening and closing balances and its
//! [`StatementLine`]s. A line's amount is signed from the account holder's side: positive is
//! money in. Every line names where it came from ([`Location`]: a file line or an XML element
//! path such as `Stmt[1]/Ntry[3]`) and carries a [`fingerprint`](StatementLine::fingerprint)
//! that recognises it when the same data is imported again.
//!
//! Nothing is partial: when any line is bad the parse returns every problem found (up to
//! [`MAX_PROBLEMS`]) with its location and no statement. Balances that do not add up and a
//! day/month order that the file cannot settle are not errors but [`Notice`]s, so that a
//! preview can show them before anything is saved.

mod amount;
mod camt;
mod csv;
mod dates;
mod detect;
mod fingerprint;
#[cfg(test)]
mod fuzz;
mod mt940;
mod ofx;
mod text;

pub use amount::{parse_amount, DecimalSeparator};
pub use csv::{AmountColumns, ColumnMap, CsvProfile};
pub use dates::{parse_date, DateFormat};
pub use detect::detect_profile;
pub use fingerprint::FINGERPRINT_RULE;
pub use text::TextEncoding;

use super::money::Currency;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::fmt;

/// The most problems one parse reports; the rest are counted.
pub const MAX_PROBLEMS: usize = 50;

/// The kinds of file Settle reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Format {
    Csv,
    Ofx,
    Camt053,
    Mt940,
}

/// Where in the file something is: a line (1-based) or an XML element path.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Location {
    File,
    Line(usize),
    Element(String),
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Location::File => f.write_str("the file"),
            Location::Line(n) => write!(f, "line {n}"),
            Location::Element(path) => write!(f, "element {path}"),
        }
    }
}

/// One thing wrong with the file, and where.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Problem {
    pub location: Location,
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.location, self.message)
    }
}

/// Why a file was refused: every problem found (at most [`MAX_PROBLEMS`]) and how many more.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub struct ParseFailure {
    pub problems: Vec<Problem>,
    pub not_listed: usize,
}

impl fmt::Display for ParseFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let listed: Vec<String> = self.problems.iter().map(Problem::to_string).collect();
        f.write_str(&listed.join("; "))?;
        if self.not_listed > 0 {
            write!(f, "; and {} more problems", self.not_listed)?;
        }
        Ok(())
    }
}

/// A file's statements, with what was used to read it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Statement {
    pub format: Format,
    pub encoding: TextEncoding,
    /// The CSV profile given or detected; save it per bank account to read the next export.
    pub profile: Option<CsvProfile>,
    pub accounts: Vec<AccountStatement>,
    pub notices: Vec<Notice>,
}

impl Statement {
    /// Every line of every account statement, in file order.
    pub fn lines(&self) -> impl Iterator<Item = &StatementLine> {
        self.accounts.iter().flat_map(|a| a.lines.iter())
    }
}

/// One account's statement for one period.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountStatement {
    /// IBAN, account number or whatever the file names the account by.
    pub account: Option<String>,
    /// The bank's statement id or number (MT940 `:20:`/`:28C:`, camt `Stmt/Id`).
    pub statement_id: Option<String>,
    pub currency: Option<Currency>,
    pub opening: Option<Balance>,
    pub closing: Option<Balance>,
    pub lines: Vec<StatementLine>,
    pub location: Location,
    pub balance_check: BalanceCheck,
}

/// A balance the bank states, positive when the account holds money.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Balance {
    pub date: Option<NaiveDate>,
    pub amount: Decimal,
}

/// Whether opening balance plus the lines gives the closing balance.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum BalanceCheck {
    /// The file states no opening or no closing balance.
    NotStated,
    Agrees,
    /// `expected` is the stated closing balance, `found` opening plus the lines.
    Mismatch {
        expected: Decimal,
        found: Decimal,
    },
}

/// One booked movement of money.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatementLine {
    pub booking_date: NaiveDate,
    pub value_date: Option<NaiveDate>,
    /// Positive is money in, negative money out; at the currency's scale when it is known.
    pub amount: Decimal,
    /// `None` only for a CSV that names no currency; the bank account's currency applies.
    pub currency: Option<Currency>,
    pub description: String,
    pub counterparty: Option<String>,
    /// Payment references: end-to-end id, creditor reference, cheque number, customer ref.
    pub references: Vec<String>,
    /// The bank's own id of the line (OFX `FITID`, camt `AcctSvcrRef`, MT940 bank reference).
    pub bank_id: Option<String>,
    /// The bank's type of transaction (OFX `TRNTYPE`, MT940 type code), when given.
    pub kind: Option<String>,
    pub location: Location,
    /// Recognises the same line on a later import; see [`FINGERPRINT_RULE`].
    pub fingerprint: String,
}

/// Something a person should see before importing, which does not stop the import.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Notice {
    /// No date in the file has a day above 12, so day-first was assumed; pass a profile with
    /// the other order if that is wrong.
    AmbiguousDateOrder { assumed: DateFormat },
    /// Opening balance plus the lines is not the closing balance.
    BalanceMismatch {
        location: Location,
        expected: Decimal,
        found: Decimal,
    },
}

/// Reads a bank statement file. With a profile the file is read as CSV with it; without one
/// the format is recognised from the content and, for CSV, the profile detected.
pub fn parse_statement(
    bytes: &[u8],
    profile: Option<&CsvProfile>,
) -> Result<Statement, ParseFailure> {
    let encoding = profile.map(|p| p.encoding);
    let (content, encoding) = text::decode(bytes, encoding).map_err(Problems::single)?;
    let format = match profile {
        Some(_) => Format::Csv,
        None => detect_format(&content)?,
    };
    let mut problems = Problems::default();
    let mut statement = match format {
        Format::Csv => csv::parse(&content, profile, encoding, &mut problems),
        Format::Ofx => ofx::parse(&content, &mut problems),
        Format::Camt053 => camt::parse(&content, &mut problems),
        Format::Mt940 => mt940::parse(&content, &mut problems),
    }
    .unwrap_or_else(|| Statement {
        format,
        encoding,
        profile: None,
        accounts: Vec::new(),
        notices: Vec::new(),
    });
    statement.encoding = encoding;
    finish(&mut statement, &mut problems);
    problems.into_result(statement)
}

/// Recognises the kind of file from its content.
pub fn detect_format(content: &str) -> Result<Format, ParseFailure> {
    let head: String = content.trim_start().chars().take(4096).collect();
    let upper = head.to_ascii_uppercase();
    if upper.starts_with("OFXHEADER") || upper.contains("<OFX>") || upper.contains("<OFX ") {
        return Ok(Format::Ofx);
    }
    if head.contains("camt.053") || head.contains("BkToCstmrStmt") {
        return Ok(Format::Camt053);
    }
    if upper.starts_with("%PDF") {
        return Err(unknown(
            "a PDF; export the statement as CSV, OFX, camt.053 or MT940",
        ));
    }
    if upper.starts_with("<?XML") || upper.starts_with('<') {
        return Err(unknown("an XML file that is neither OFX nor camt.053"));
    }
    if mt940::looks_like(content) {
        return Ok(Format::Mt940);
    }
    if content.contains('\0') {
        return Err(unknown("not a text file"));
    }
    Ok(Format::Csv)
}

fn unknown(what: &str) -> ParseFailure {
    Problems::single(Problem {
        location: Location::File,
        message: format!("the file is {what}"),
    })
}

/// Brings amounts to their currency's scale, checks balances and assigns fingerprints.
fn finish(statement: &mut Statement, problems: &mut Problems) {
    for account in &mut statement.accounts {
        for line in &mut account.lines {
            let currency = line.currency.or(account.currency);
            line.amount = to_scale(line.amount, currency, &line.location, problems);
        }
        for balance in [&mut account.opening, &mut account.closing]
            .into_iter()
            .flatten()
        {
            balance.amount = to_scale(
                balance.amount,
                account.currency,
                &account.location,
                problems,
            );
        }
        account.balance_check = check_balance(account);
        if let BalanceCheck::Mismatch { expected, found } = account.balance_check {
            statement.notices.push(Notice::BalanceMismatch {
                location: account.location.clone(),
                expected,
                found,
            });
        }
    }
    if statement.lines().next().is_none() && problems.is_empty() {
        problems.push(Location::File, "the file holds no statement lines");
    }
    fingerprint::assign(&mut statement.accounts);
}

/// At the currency's scale (refusing finer amounts); without a currency, at least cents.
fn to_scale(
    amount: Decimal,
    currency: Option<Currency>,
    location: &Location,
    problems: &mut Problems,
) -> Decimal {
    let mut scaled = amount.normalize();
    let places = match currency {
        Some(c) if scaled.scale() > c.minor_units() => {
            let message = format!("{amount} has more decimal places than {c} has");
            problems.push(location.clone(), message);
            return amount;
        }
        Some(c) => c.minor_units(),
        None => scaled.scale().max(2),
    };
    scaled.rescale(places);
    scaled
}

fn check_balance(account: &AccountStatement) -> BalanceCheck {
    let (Some(opening), Some(closing)) = (&account.opening, &account.closing) else {
        return BalanceCheck::NotStated;
    };
    let found = account
        .lines
        .iter()
        .try_fold(opening.amount, |sum, line| sum.checked_add(line.amount));
    match found {
        Some(found) if found == closing.amount => BalanceCheck::Agrees,
        Some(found) => BalanceCheck::Mismatch {
            expected: closing.amount,
            found,
        },
        None => BalanceCheck::Mismatch {
            expected: closing.amount,
            found: Decimal::MAX,
        },
    }
}

/// Problems collected while reading, capped at [`MAX_PROBLEMS`].
#[derive(Default)]
pub(crate) struct Problems {
    listed: Vec<Problem>,
    not_listed: usize,
}

impl Problems {
    pub(crate) fn push(&mut self, location: Location, message: impl Into<String>) {
        if self.listed.len() < MAX_PROBLEMS {
            self.listed.push(Problem {
                location,
                message: message.into(),
            });
        } else {
            self.not_listed += 1;
        }
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.listed.is_empty()
    }

    fn single(problem: Problem) -> ParseFailure {
        ParseFailure {
            problems: vec![problem],
            not_listed: 0,
        }
    }

    fn into_result(self, statement: Statement) -> Result<Statement, ParseFailure> {
        if self.listed.is_empty() {
            Ok(statement)
        } else {
            Err(ParseFailure {
                problems: self.listed,
                not_listed: self.not_listed,
            })
        }
    }
}

#[cfg(test)]
mod tests;
