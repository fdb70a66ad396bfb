//! Working out a [`CsvProfile`] from the file itself: the delimiter and header line from
//! header names banks use (German, English, French), then the decimal mark and the date
//! order from the values below the header.

use super::amount::DecimalSeparator;
use super::csv::{records_before_broken_quote, AmountColumns, ColumnMap, CsvProfile, Record};
use super::dates::{detect_date_format, DateDetection, DateFormat};
use super::text::{self, TextEncoding};
use super::{Location, Notice, ParseFailure, Problem, Problems};

const DELIMITERS: [char; 4] = [';', ',', '\t', '|'];

/// How many lines from the top may hold account details before the header.
const HEADER_SEARCH_LINES: usize = 40;

/// Detects how to read a CSV export, with a notice when its day/month order is a guess.
pub fn detect_profile(bytes: &[u8]) -> Result<(CsvProfile, Vec<Notice>), ParseFailure> {
    let (content, encoding) = text::decode(bytes, None).map_err(Problems::single)?;
    detect(&content, encoding).map_err(Problems::single)
}

/// What a header cell names.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Role {
    BookingDate,
    ValueDate,
    Amount,
    Debit,
    Credit,
    Indicator,
    Description,
    Counterparty,
    Reference,
    Currency,
    Balance,
    BankId,
    Kind,
}

fn classify(header: &str) -> Option<Role> {
    let h = header.trim().to_lowercase();
    let h = h.split('(').next().unwrap_or("").trim();
    let any = |words: &[&str]| words.iter().any(|w| h.contains(w));
    let starts = |words: &[&str]| words.iter().any(|w| h.starts_with(w));
    let role = if any(&[
        "iban",
        "bic",
        "kontonummer",
        "account number",
        "gläubiger",
        "glaeubiger",
    ]) {
        return None;
    } else if any(&[
        "valuta",
        "wertstellung",
        "value date",
        "date de valeur",
        "date valeur",
    ]) {
        Role::ValueDate
    } else if any(&[
        "buchungstag",
        "buchungsdatum",
        "transaction date",
        "posting date",
        "booking date",
    ]) || starts(&["date", "datum", "posted", "fecha"])
    {
        Role::BookingDate
    } else if matches!(
        h,
        "s/h"
            | "soll/haben"
            | "c/d"
            | "d/c"
            | "cr/dr"
            | "dr/cr"
            | "debit/credit"
            | "credit/debit"
            | "sens"
    ) {
        Role::Indicator
    } else if starts(&[
        "debit",
        "débit",
        "paid out",
        "money out",
        "withdrawal",
        "soll",
        "ausgang",
    ]) || h == "out"
    {
        Role::Debit
    } else if starts(&[
        "credit", "crédit", "paid in", "money in", "deposit", "haben", "eingang",
    ]) || h == "in"
    {
        Role::Credit
    } else if any(&["balance", "saldo", "kontostand", "solde"]) {
        Role::Balance
    } else if starts(&["betrag", "amount", "montant", "umsatz in", "importe"]) || h == "umsatz" {
        Role::Amount
    } else if any(&["währung", "waehrung", "currency", "devise"]) || h == "ccy" {
        Role::Currency
    } else if any(&["referenz", "reference", "check", "cheque", "end-to-end"]) || h == "ref" {
        Role::Reference
    } else if any(&["transaction id", "transaktions-id", "fitid"]) || h == "id" {
        Role::BankId
    } else if any(&[
        "zahlungspflichtige",
        "begünstigte",
        "beguenstigte",
        "empfänger",
        "auftraggeber",
        "payee",
        "payer",
        "counterparty",
        "beneficiary",
        "name",
        "tiers",
        "merchant",
    ]) {
        Role::Counterparty
    } else if any(&["buchungstext", "umsatztyp", "umsatzart", "type"]) {
        Role::Kind
    } else if any(&[
        "verwendungszweck",
        "description",
        "libellé",
        "libelle",
        "memo",
        "detail",
        "narrative",
        "purpose",
        "concepto",
        "particulars",
        "text",
    ]) {
        Role::Description
    } else {
        return None;
    };
    Some(role)
}

/// The header found for one delimiter: its record index and what each column is.
struct Header {
    delimiter: char,
    index: usize,
    roles: Vec<Option<Role>>,
}

impl Header {
    fn first(&self, role: Role) -> Option<usize> {
        self.roles.iter().position(|r| *r == Some(role))
    }

    fn all(&self, role: Role) -> Vec<usize> {
        (0..self.roles.len())
            .filter(|i| self.roles[*i] == Some(role))
            .collect()
    }

    fn has_amount(&self) -> bool {
        self.first(Role::Amount).is_some()
            || self.first(Role::Debit).is_some() && self.first(Role::Credit).is_some()
    }

    fn score(&self) -> usize {
        self.roles.iter().filter(|r| r.is_some()).count()
    }
}

pub(super) fn detect(
    content: &str,
    encoding: TextEncoding,
) -> Result<(CsvProfile, Vec<Notice>), Problem> {
    let head: String = content
        .lines()
        .take(HEADER_SEARCH_LINES)
        .collect::<Vec<_>>()
        .join("\n");
    let header = DELIMITERS
        .iter()
        .filter_map(|d| find_header(&head, *d))
        .max_by_key(|h| {
            (
                h.score(),
                std::cmp::Reverse(DELIMITERS.iter().position(|d| *d == h.delimiter)),
            )
        })
        .ok_or_else(no_format)?;
    let all = records_before_broken_quote(content, header.delimiter);
    let Some(header_record) = all.get(header.index) else {
        return Err(no_format());
    };
    let data = &all[header.index + 1..];
    let name = |i: usize| {
        header_record
            .cells
            .get(i)
            .map_or(String::new(), |c| c.trim().to_string())
    };
    let names = |role: Role| header.all(role).into_iter().map(name).collect::<Vec<_>>();
    let first = |role: Role| header.first(role).map(name);
    let date_column = header
        .first(Role::BookingDate)
        .or(header.first(Role::ValueDate))
        .unwrap_or(0);
    let amount = amount_columns(&header, &name);
    let columns = ColumnMap {
        booking_date: name(date_column),
        value_date: header
            .first(Role::ValueDate)
            .filter(|i| *i != date_column)
            .map(name),
        amount,
        description: names(Role::Description),
        counterparty: names(Role::Counterparty),
        references: names(Role::Reference),
        currency: first(Role::Currency),
        balance: first(Role::Balance),
        bank_id: first(Role::BankId),
        kind: first(Role::Kind),
    };
    let mut notices = Vec::new();
    let date_samples = sample(data, &[date_column]);
    let date_format = match detect_date_format(date_samples.iter().map(String::as_str)) {
        DateDetection::Certain(f) => f,
        DateDetection::Ambiguous(f) => {
            notices.push(Notice::AmbiguousDateOrder { assumed: f });
            f
        }
        // No rows to look at: the parse reports what is wrong with the file instead.
        DateDetection::None if date_samples.is_empty() => DateFormat::DayMonthYear,
        DateDetection::None => {
            return Err(Problem {
                location: Location::Line(header_record.line),
                message: format!(
                    "the column \"{}\" holds no dates Settle can read",
                    name(date_column)
                ),
            })
        }
    };
    let amount_at: Vec<usize> = [Role::Amount, Role::Debit, Role::Credit, Role::Balance]
        .into_iter()
        .flat_map(|r| header.all(r))
        .collect();
    let decimal = detect_decimal(&sample(data, &amount_at), header.delimiter);
    let profile = CsvProfile {
        delimiter: header.delimiter,
        encoding,
        decimal,
        date_format,
        header_line: header_record.line,
        columns,
        currency: None,
    };
    Ok((profile, notices))
}

fn no_format() -> Problem {
    Problem {
        location: Location::File,
        message: "the file is in no format Settle knows: not OFX, camt.053 or MT940, and no \
                  CSV header with a date and an amount column"
            .to_string(),
    }
}

fn find_header(head: &str, delimiter: char) -> Option<Header> {
    let records = records_before_broken_quote(head, delimiter);
    records.iter().enumerate().find_map(|(index, record)| {
        let roles: Vec<Option<Role>> = record.cells.iter().map(|c| classify(c)).collect();
        let header = Header {
            delimiter,
            index,
            roles,
        };
        let dated =
            header.first(Role::BookingDate).is_some() || header.first(Role::ValueDate).is_some();
        (record.cells.len() >= 2 && dated && header.has_amount()).then_some(header)
    })
}

fn amount_columns(header: &Header, name: &dyn Fn(usize) -> String) -> AmountColumns {
    match (header.first(Role::Amount), header.first(Role::Indicator)) {
        (Some(a), Some(i)) => AmountColumns::WithIndicator {
            amount: name(a),
            indicator: name(i),
        },
        (Some(a), None) => AmountColumns::Signed { amount: name(a) },
        _ => AmountColumns::DebitCredit {
            debit: name(header.first(Role::Debit).unwrap_or(0)),
            credit: name(header.first(Role::Credit).unwrap_or(0)),
        },
    }
}

fn sample(data: &[Record], columns: &[usize]) -> Vec<String> {
    data.iter()
        .flat_map(|r| columns.iter().filter_map(|i| r.cells.get(*i)))
        .map(|c| c.trim().to_string())
        .filter(|c| !c.is_empty())
        .collect()
}

/// The mark that ends a value followed by one, two or more than three digits is the decimal
/// mark; a mark followed by exactly three digits could be either and decides nothing alone.
fn detect_decimal(values: &[String], delimiter: char) -> DecimalSeparator {
    let (mut comma, mut point) = (0, 0);
    for value in values {
        let last = value.rfind([',', '.']);
        let Some(at) = last else { continue };
        let digits = value[at + 1..]
            .chars()
            .take_while(char::is_ascii_digit)
            .count();
        let mark = &value[at..at + 1];
        let other = if mark == "," { '.' } else { ',' };
        let repeated = value[..at].contains(mark);
        let decided_by_digits = digits != 3 && !repeated;
        let decided_by_other = value[..at].contains(other);
        match (mark, decided_by_digits || decided_by_other, repeated) {
            (",", true, _) | (".", false, true) => comma += 1,
            (".", true, _) | (",", false, true) => point += 1,
            _ => {}
        }
    }
    match comma.cmp(&point) {
        std::cmp::Ordering::Greater => DecimalSeparator::Comma,
        std::cmp::Ordering::Less => DecimalSeparator::Point,
        std::cmp::Ordering::Equal if delimiter == ';' => DecimalSeparator::Comma,
        std::cmp::Ordering::Equal => DecimalSeparator::Point,
    }
}
