//! Writing the whole ledger for other tools: an hledger/ledger journal, a beancount file and a
//! CSV of every journal line, one entry at a time so that no export holds the ledger in memory.

use chrono::NaiveDate;
use std::collections::HashMap;
use std::fmt::{self, Write as _};
use std::io::{self, Write};

pub use super::chart::AccountKind;

impl AccountKind {
    /// The top-level account this kind lives under, named as beancount requires and as
    /// hledger and ledger recognise by default.
    pub fn top_level(self) -> &'static str {
        match self {
            AccountKind::Asset => "Assets",
            AccountKind::Liability => "Liabilities",
            AccountKind::Equity => "Equity",
            AccountKind::Revenue => "Income",
            AccountKind::Expense => "Expenses",
        }
    }

    fn hledger_type(self) -> &'static str {
        match self {
            AccountKind::Asset => "A",
            AccountKind::Liability => "L",
            AccountKind::Equity => "E",
            AccountKind::Revenue => "R",
            AccountKind::Expense => "X",
        }
    }
}

/// An account of Settle's chart, as the exporters need it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportAccount {
    /// Settle's account code, e.g. `1000`; unique within the chart.
    pub code: String,
    /// The name people read, e.g. `Owner's equity`.
    pub name: String,
    pub kind: AccountKind,
}

/// One line of a journal entry in minor units: debits positive, credits negative.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportPosting {
    pub account_code: String,
    /// The amount in minor units (pence for GBP): debit positive, credit negative.
    pub amount_minor: i64,
}

/// A posted journal entry; its postings must sum to zero.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportEntry {
    /// Settle's journal entry id, carried into every format so a line can be traced back.
    pub id: i64,
    pub date: NaiveDate,
    pub memo: String,
    pub postings: Vec<ExportPosting>,
}

/// The ledger's single currency: its ISO 4217 code and the digits of its minor unit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Commodity {
    /// The ISO 4217 code, e.g. `GBP`.
    pub code: String,
    /// Decimal places of the minor unit: 2 for GBP, 0 for JPY, 3 for BHD.
    pub minor_digits: u32,
}

/// Why an export stopped. Nothing of an entry is written when it is refused.
#[derive(Debug)]
pub enum ExportError {
    /// The writer failed.
    Io(io::Error),
    /// Two accounts share a code, so postings could not tell them apart.
    DuplicateAccount(String),
    /// A posting names an account that is not in the chart.
    UnknownAccount { entry_id: i64, code: String },
    /// An entry's postings do not sum to zero; the peers would reject the file.
    Unbalanced { entry_id: i64, total_minor: i128 },
    /// The currency code is not one the peers can all read (two to 24 capital letters).
    InvalidCommodity(String),
}

impl fmt::Display for ExportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ExportError::Io(e) => write!(f, "cannot write the export: {e}"),
            ExportError::DuplicateAccount(code) => {
                write!(f, "two accounts have the code \"{code}\"")
            }
            ExportError::UnknownAccount { entry_id, code } => {
                write!(f, "entry {entry_id} posts to unknown account \"{code}\"")
            }
            ExportError::Unbalanced {
                entry_id,
                total_minor,
            } => write!(
                f,
                "entry {entry_id} does not balance (off by {total_minor} minor units)"
            ),
            ExportError::InvalidCommodity(code) => {
                write!(f, "\"{code}\" cannot be used as a commodity code")
            }
        }
    }
}

impl std::error::Error for ExportError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ExportError::Io(e) => Some(e),
            _ => None,
        }
    }
}

impl From<io::Error> for ExportError {
    fn from(e: io::Error) -> Self {
        ExportError::Io(e)
    }
}

/// The account's name in every export, e.g. `Assets:1000-Bank` or `Income:4000-Sales`:
/// the kind's top-level account, then the code and the name in ASCII letters, digits and dashes.
///
/// Distinct codes always give distinct paths, whatever the names.
pub fn account_path(account: &ExportAccount) -> String {
    let mut path = String::from(account.kind.top_level());
    path.push(':');
    push_code(&mut path, &account.code);
    let name = ascii_name(&account.name);
    if !name.is_empty() {
        path.push('-');
        path.push_str(&name);
    }
    path
}

// The code comes first and never contains a dash, so the path's last component up to its first
// dash gives the code back: that is what keeps two accounts with look-alike names apart. Codes
// that are not already plain (a capital or digit, then letters and digits) are written as `X` and
// their bytes in hex; plain codes never start with `X`, so the two forms cannot meet.
fn push_code(out: &mut String, code: &str) {
    let mut chars = code.chars();
    let plain = matches!(chars.next(), Some(c) if (c.is_ascii_uppercase() && c != 'X') || c.is_ascii_digit())
        && chars.all(|c| c.is_ascii_alphanumeric());
    if plain {
        out.push_str(code);
    } else {
        out.push('X');
        for byte in code.bytes() {
            let _ = write!(out, "{byte:02X}");
        }
    }
}

// hledger, ledger and beancount all accept more than this, but ASCII letters, digits and dashes
// are the one alphabet that every version of each reads the same way and that shells and
// spreadsheets leave alone.
fn ascii_name(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut dash = false;
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            push_piece(&mut out, c.encode_utf8(&mut [0u8; 4]), &mut dash);
        } else if matches!(c, '\'' | '\u{2018}' | '\u{2019}' | '`' | '\u{b4}') {
            // "Owner's equity" reads better as Owners-equity than as Owner-s-equity.
        } else if c == '&' {
            dash = true;
            push_piece(&mut out, "and", &mut dash);
            dash = true;
        } else if let Some(latin) = fold_latin(c) {
            push_piece(&mut out, latin, &mut dash);
        } else {
            dash = true;
        }
    }
    out
}

fn push_piece(out: &mut String, piece: &str, dash: &mut bool) {
    if *dash && !out.is_empty() {
        out.push('-');
    }
    *dash = false;
    out.push_str(piece);
}

// Latin-1 and Latin Extended-A letters without their accents, so that "Café" stays legible as
// "Cafe" instead of losing the letter.
fn fold_latin(c: char) -> Option<&'static str> {
    const EXTENDED_A: &str = "AaAaAaCcCcCcCcDdDdEeEeEeEeEeGgGgGgGgHhHhIiIiIiIiIiIiJjKkkLlLlLlLlLlNnNnNnnNnOoOoOoOoRrRrRrSsSsSsSsTtTtTtUuUuUuUuUuUuWwYyYZzZzZzs";
    let folded = match c {
        'À'..='Å' => "A",
        'Æ' => "AE",
        'Ç' => "C",
        'È'..='Ë' => "E",
        'Ì'..='Ï' => "I",
        'Ð' => "D",
        'Ñ' => "N",
        'Ò'..='Ö' | 'Ø' => "O",
        'Ù'..='Ü' => "U",
        'Ý' => "Y",
        'Þ' => "Th",
        'ß' => "ss",
        'à'..='å' => "a",
        'æ' => "ae",
        'ç' => "c",
        'è'..='ë' => "e",
        'ì'..='ï' => "i",
        'ð' => "d",
        'ñ' => "n",
        'ò'..='ö' | 'ø' => "o",
        'ù'..='ü' => "u",
        'ý' | 'ÿ' => "y",
        'þ' => "th",
        'Œ' => "OE",
        'œ' => "oe",
        '\u{100}'..='\u{17f}' => {
            let i = c as usize - 0x100;
            &EXTENDED_A[i..i + 1]
        }
        _ => return None,
    };
    Some(folded)
}

/// The chart of accounts, checked and with each account's path worked out once for the export.
#[derive(Debug, Clone)]
pub struct Chart {
    accounts: Vec<(ExportAccount, String)>,
    by_code: HashMap<String, usize>,
    width: usize,
}

impl Chart {
    /// Takes the accounts in the order their declarations should be written; codes must be unique.
    pub fn new(accounts: impl IntoIterator<Item = ExportAccount>) -> Result<Chart, ExportError> {
        let mut chart = Chart {
            accounts: Vec::new(),
            by_code: HashMap::new(),
            width: 0,
        };
        for account in accounts {
            if chart.by_code.contains_key(&account.code) {
                return Err(ExportError::DuplicateAccount(account.code));
            }
            let path = account_path(&account);
            chart.width = chart.width.max(path.len());
            chart
                .by_code
                .insert(account.code.clone(), chart.accounts.len());
            chart.accounts.push((account, path));
        }
        Ok(chart)
    }

    /// The export path of the account with this code.
    pub fn path(&self, code: &str) -> Option<&str> {
        self.lookup(code).map(|(_, path)| path.as_str())
    }

    fn lookup(&self, code: &str) -> Option<&(ExportAccount, String)> {
        self.by_code.get(code).map(|&i| &self.accounts[i])
    }

    // Everything about an entry is checked before any of it is written, so a refused entry
    // never leaves half a transaction in the file.
    fn resolve<'a>(
        &'a self,
        entry: &'a ExportEntry,
    ) -> Result<Vec<(&'a ExportAccount, &'a str, i64)>, ExportError> {
        let mut total: i128 = 0;
        let mut lines = Vec::with_capacity(entry.postings.len());
        for posting in &entry.postings {
            let (account, path) =
                self.lookup(&posting.account_code)
                    .ok_or_else(|| ExportError::UnknownAccount {
                        entry_id: entry.id,
                        code: posting.account_code.clone(),
                    })?;
            total += i128::from(posting.amount_minor);
            lines.push((account, path.as_str(), posting.amount_minor));
        }
        if total != 0 {
            return Err(ExportError::Unbalanced {
                entry_id: entry.id,
                total_minor: total,
            });
        }
        Ok(lines)
    }
}

/// An amount in minor units as an exact decimal: `-5` with 2 digits is `-0.05`.
pub fn format_minor(amount_minor: i64, minor_digits: u32) -> String {
    let digits = minor_digits as usize;
    let mut text = amount_minor.unsigned_abs().to_string();
    if digits > 0 {
        if text.len() <= digits {
            text.insert_str(0, &"0".repeat(digits + 1 - text.len()));
        }
        text.insert(text.len() - digits, '.');
    }
    if amount_minor < 0 {
        text.insert(0, '-');
    }
    text
}

fn check_commodity(commodity: &Commodity) -> Result<(), ExportError> {
    let code = &commodity.code;
    if (2..=24).contains(&code.len()) && code.bytes().all(|b| b.is_ascii_uppercase()) {
        Ok(())
    } else {
        Err(ExportError::InvalidCommodity(code.clone()))
    }
}

// Memos are free text, but every format wants them on one line, and hledger ends a description
// at a semicolon (the rest becomes a comment), so a journal gets a comma there instead. Runs of
// whitespace become one space and the ends are trimmed, as hledger would show them anyway.
fn one_line(memo: &str, semicolon: Option<char>) -> String {
    let mut out = String::with_capacity(memo.len());
    let mut space = false;
    for c in memo.chars() {
        if c.is_whitespace() || c.is_control() {
            space = true;
            continue;
        }
        if space && !out.is_empty() {
            out.push(' ');
        }
        space = false;
        match (c, semicolon) {
            (';', Some(replacement)) => out.push(replacement),
            _ => out.push(c),
        }
    }
    out
}

/// Starts an hledger/ledger journal: the entry-id tag, the commodity with its decimal places,
/// and every account with the type tag hledger uses for its balance sheet and income statement.
pub fn write_journal_header<W: Write + ?Sized>(
    w: &mut W,
    chart: &Chart,
    commodity: &Commodity,
) -> Result<(), ExportError> {
    check_commodity(commodity)?;
    let code = &commodity.code;
    let mut out = String::new();
    out.push_str("; Settle ledger export for hledger and ledger.\n");
    // ledger --pedantic refuses metadata tags that were not declared.
    out.push_str("tag settle-id\n\n");
    let _ = writeln!(out, "commodity {code}");
    // hledger insists on a decimal mark in a format sample and ledger refuses a trailing one, so
    // a currency without minor units is declared without a sample.
    if commodity.minor_digits > 0 {
        let zeros = "0".repeat(commodity.minor_digits as usize);
        let _ = writeln!(out, "    format 1000.{zeros} {code}");
    }
    out.push('\n');
    for (account, path) in &chart.accounts {
        // ledger reads a comment on the directive's own line as part of the account name.
        let _ = writeln!(
            out,
            "account {path}\n    ; type: {}",
            account.kind.hledger_type()
        );
    }
    w.write_all(out.as_bytes())?;
    Ok(())
}

/// Writes one entry as a journal transaction: the entry id as its code and as a `settle-id`
/// tag, the memo on one line, and an explicit amount on every posting.
pub fn write_journal_entry<W: Write + ?Sized>(
    w: &mut W,
    entry: &ExportEntry,
    chart: &Chart,
    commodity: &Commodity,
) -> Result<(), ExportError> {
    let lines = chart.resolve(entry)?;
    let mut out = String::with_capacity(64 + 48 * lines.len());
    let _ = write!(out, "\n{} ({})", entry.date.format("%Y-%m-%d"), entry.id);
    let memo = one_line(&entry.memo, Some(','));
    if !memo.is_empty() {
        out.push(' ');
        out.push_str(&memo);
    }
    let _ = writeln!(out, "\n    ; settle-id: {}", entry.id);
    for (_, path, amount) in lines {
        let _ = writeln!(
            out,
            "    {path:<width$}  {} {}",
            format_minor(amount, commodity.minor_digits),
            commodity.code,
            width = chart.width
        );
    }
    w.write_all(out.as_bytes())?;
    Ok(())
}

fn beancount_string(text: &str) -> String {
    let line = one_line(text, None);
    let mut out = String::with_capacity(line.len() + 2);
    out.push('"');
    for c in line.chars() {
        if c == '"' || c == '\\' {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('"');
    out
}

/// Starts a beancount file: the operating currency, the commodity, and an `open` for every
/// account dated `first_date`, which must be on or before the first entry's date.
pub fn write_beancount_header<W: Write + ?Sized>(
    w: &mut W,
    chart: &Chart,
    commodity: &Commodity,
    first_date: NaiveDate,
) -> Result<(), ExportError> {
    check_commodity(commodity)?;
    let code = &commodity.code;
    let date = first_date.format("%Y-%m-%d");
    let mut out = String::new();
    out.push_str("; Settle ledger export for beancount.\n");
    let _ = writeln!(out, "option \"operating_currency\" \"{code}\"\n");
    let _ = writeln!(out, "{date} commodity {code}");
    for (account, path) in &chart.accounts {
        let _ = writeln!(
            out,
            "{date} open {path} {code}\n  name: {}",
            beancount_string(&account.name)
        );
    }
    w.write_all(out.as_bytes())?;
    Ok(())
}

/// Writes one entry as a completed beancount transaction with `settle-id` metadata.
pub fn write_beancount_entry<W: Write + ?Sized>(
    w: &mut W,
    entry: &ExportEntry,
    chart: &Chart,
    commodity: &Commodity,
) -> Result<(), ExportError> {
    let lines = chart.resolve(entry)?;
    let mut out = String::with_capacity(64 + 48 * lines.len());
    let _ = writeln!(
        out,
        "\n{} * {}\n  settle-id: {}",
        entry.date.format("%Y-%m-%d"),
        beancount_string(&entry.memo),
        entry.id
    );
    for (_, path, amount) in lines {
        let _ = writeln!(
            out,
            "  {path:<width$}  {} {}",
            format_minor(amount, commodity.minor_digits),
            commodity.code,
            width = chart.width
        );
    }
    w.write_all(out.as_bytes())?;
    Ok(())
}

/// The CSV's column names, in order.
pub const CSV_COLUMNS: [&str; 7] = [
    "entry_id",
    "date",
    "memo",
    "account_code",
    "account_name",
    "debit",
    "credit",
];

// RFC 4180 quoting, and a leading apostrophe on text a spreadsheet would otherwise run as a
// formula (OWASP's CSV injection advice; tab and carriage return are on its list too).
fn push_csv_text(out: &mut String, text: &str) {
    let defuse = text.starts_with(['=', '+', '-', '@', '\t', '\r']);
    let quote = defuse || text.contains([',', '"', '\n', '\r']);
    if quote {
        out.push('"');
    }
    if defuse {
        out.push('\'');
    }
    for c in text.chars() {
        if c == '"' {
            out.push('"');
        }
        out.push(c);
    }
    if quote {
        out.push('"');
    }
}

/// Writes the CSV's header row.
pub fn write_csv_header<W: Write + ?Sized>(w: &mut W) -> Result<(), ExportError> {
    let mut out = CSV_COLUMNS.join(",");
    out.push_str("\r\n");
    w.write_all(out.as_bytes())?;
    Ok(())
}

/// Writes one CSV row per posting of the entry; the amount goes in `debit` when it is zero or
/// positive and in `credit`, without its sign, when it is negative.
pub fn write_csv_entry<W: Write + ?Sized>(
    w: &mut W,
    entry: &ExportEntry,
    chart: &Chart,
    commodity: &Commodity,
) -> Result<(), ExportError> {
    let lines = chart.resolve(entry)?;
    let date = entry.date.format("%Y-%m-%d").to_string();
    let mut out = String::with_capacity(lines.len() * (64 + entry.memo.len()));
    for (account, _, amount) in lines {
        let _ = write!(out, "{},{date},", entry.id);
        push_csv_text(&mut out, &entry.memo);
        out.push(',');
        push_csv_text(&mut out, &account.code);
        out.push(',');
        push_csv_text(&mut out, &account.name);
        let figure = format_minor(amount, commodity.minor_digits);
        if amount < 0 {
            let _ = write!(out, ",,{}\r\n", &figure[1..]);
        } else {
            let _ = write!(out, ",{figure},\r\n");
        }
    }
    w.write_all(out.as_bytes())?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::collections::BTreeMap;

    fn account(code: &str, name: &str, kind: AccountKind) -> ExportAccount {
        ExportAccount {
            code: code.to_string(),
            name: name.to_string(),
            kind,
        }
    }

    fn gbp() -> Commodity {
        Commodity {
            code: "GBP".to_string(),
            minor_digits: 2,
        }
    }

    fn chart() -> Chart {
        Chart::new([
            account("1000", "Bank", AccountKind::Asset),
            account("2200", "Tax payable", AccountKind::Liability),
            account("3900", "Retained earnings", AccountKind::Equity),
            account("4000", "Sales", AccountKind::Revenue),
            account("6900", "Bad debts", AccountKind::Expense),
        ])
        .unwrap()
    }

    fn entry(id: i64, memo: &str, postings: &[(&str, i64)]) -> ExportEntry {
        ExportEntry {
            id,
            date: NaiveDate::from_ymd_opt(2026, 3, 14).unwrap(),
            memo: memo.to_string(),
            postings: postings
                .iter()
                .map(|(code, amount)| ExportPosting {
                    account_code: code.to_string(),
                    amount_minor: *amount,
                })
                .collect(),
        }
    }

    fn journal(entry: &ExportEntry, commodity: &Commodity) -> String {
        let mut out = Vec::new();
        write_journal_entry(&mut out, entry, &chart(), commodity).unwrap();
        String::from_utf8(out).unwrap()
    }

    fn beancount(entry: &ExportEntry) -> String {
        let mut out = Vec::new();
        write_beancount_entry(&mut out, entry, &chart(), &gbp()).unwrap();
        String::from_utf8(out).unwrap()
    }

    fn csv(entry: &ExportEntry) -> String {
        let mut out = Vec::new();
        write_csv_entry(&mut out, entry, &chart(), &gbp()).unwrap();
        String::from_utf8(out).unwrap()
    }

    fn path(code: &str, name: &str) -> String {
        account_path(&account(code, name, AccountKind::Expense))
    }

    #[test]
    fn negative_amounts_below_one_keep_their_sign() {
        assert_eq!(format_minor(-5, 2), "-0.05");
        assert_eq!(format_minor(-99, 2), "-0.99");
        assert_eq!(format_minor(-1, 3), "-0.001");
        assert_eq!(format_minor(5, 2), "0.05");
        assert_eq!(format_minor(0, 2), "0.00");
    }

    #[test]
    fn zero_and_three_digit_currencies_get_their_own_decimal_places() {
        assert_eq!(format_minor(-1500, 0), "-1500");
        assert_eq!(format_minor(1_234_567, 3), "1234.567");
        assert_eq!(format_minor(100_000_000, 2), "1000000.00");
    }

    #[test]
    fn the_extreme_amounts_are_written_exactly() {
        assert_eq!(format_minor(i64::MIN, 2), "-92233720368547758.08");
        assert_eq!(format_minor(i64::MAX, 2), "92233720368547758.07");
    }

    #[test]
    fn account_paths_put_the_code_before_a_dashed_name_under_the_kind() {
        let chart = chart();
        let paths: Vec<&str> = chart.accounts.iter().map(|(_, p)| p.as_str()).collect();
        assert_eq!(
            paths,
            [
                "Assets:1000-Bank",
                "Liabilities:2200-Tax-payable",
                "Equity:3900-Retained-earnings",
                "Income:4000-Sales",
                "Expenses:6900-Bad-debts",
            ]
        );
    }

    #[test]
    fn apostrophes_ampersands_slashes_and_accents_become_plain_ascii() {
        assert_eq!(
            path("3000", "Owner's equity"),
            "Expenses:3000-Owners-equity"
        );
        assert_eq!(
            path("6100", "Travel & subsistence"),
            "Expenses:6100-Travel-and-subsistence"
        );
        assert_eq!(path("6200", "R&D"), "Expenses:6200-R-and-D");
        assert_eq!(
            path("6300", "Phone/Internet"),
            "Expenses:6300-Phone-Internet"
        );
        assert_eq!(
            path("6400", " Café — Łódź, Straße! "),
            "Expenses:6400-Cafe-Lodz-Strasse"
        );
        assert_eq!(path("6500", "Œuvres d’art"), "Expenses:6500-OEuvres-dart");
    }

    #[test]
    fn the_accent_table_covers_latin_extended_a_exactly() {
        assert_eq!(fold_latin('\u{17f}'), Some("s"));
        assert_eq!(fold_latin('Ł'), Some("L"));
        assert_eq!(fold_latin('ž'), Some("z"));
        assert_eq!(fold_latin('ő'), Some("o"));
        assert_eq!(fold_latin('Ř'), Some("R"));
        assert_eq!(fold_latin('Ÿ'), Some("Y"));
        assert_eq!(fold_latin('\u{180}'), None);
    }

    #[test]
    fn names_with_nothing_ascii_leave_just_the_code() {
        assert_eq!(path("6000", ""), "Expenses:6000");
        assert_eq!(path("6001", "売上 / 費用"), "Expenses:6001");
        assert_eq!(path("6002", "---"), "Expenses:6002");
    }

    #[test]
    fn accounts_whose_names_sanitise_alike_stay_apart_by_their_codes() {
        let chart = Chart::new([
            account("6100", "Food & drink", AccountKind::Expense),
            account("6101", "Food and drink", AccountKind::Expense),
            account("6102", "Food/and/drink", AccountKind::Expense),
        ])
        .unwrap();
        let paths: Vec<&str> = ["6100", "6101", "6102"]
            .iter()
            .map(|c| chart.path(c).unwrap())
            .collect();
        assert_eq!(
            paths,
            [
                "Expenses:6100-Food-and-drink",
                "Expenses:6101-Food-and-drink",
                "Expenses:6102-Food-and-drink",
            ]
        );
    }

    #[test]
    fn unusual_codes_are_spelled_out_so_that_paths_stay_unique_and_valid() {
        assert_eq!(path("a-1", "Misc"), "Expenses:X612D31-Misc");
        assert_eq!(path("a/1", "Misc"), "Expenses:X612F31-Misc");
        assert_eq!(path("X612D31", "Misc"), "Expenses:X58363132443331-Misc");
        assert_eq!(path("", "Misc"), "Expenses:X-Misc");
        assert_eq!(path("B7", "Misc"), "Expenses:B7-Misc");
    }

    #[test]
    fn two_accounts_with_one_code_are_refused() {
        let result = Chart::new([
            account("1000", "Bank", AccountKind::Asset),
            account("1000", "Cash", AccountKind::Asset),
        ]);
        assert!(matches!(result, Err(ExportError::DuplicateAccount(code)) if code == "1000"));
    }

    #[test]
    fn journal_header_declares_the_id_tag_the_commodity_format_and_typed_accounts() {
        let mut out = Vec::new();
        write_journal_header(&mut out, &chart(), &gbp()).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.contains("tag settle-id\n"));
        assert!(text.contains("commodity GBP\n    format 1000.00 GBP\n"));
        assert!(text.contains("account Assets:1000-Bank\n    ; type: A\n"));
        assert!(text.contains("account Liabilities:2200-Tax-payable\n    ; type: L\n"));
        assert!(text.contains("account Equity:3900-Retained-earnings\n    ; type: E\n"));
        assert!(text.contains("account Income:4000-Sales\n    ; type: R\n"));
        assert!(text.contains("account Expenses:6900-Bad-debts\n    ; type: X\n"));
    }

    #[test]
    fn currencies_without_minor_units_are_declared_without_a_format_sample() {
        let jpy = Commodity {
            code: "JPY".to_string(),
            minor_digits: 0,
        };
        let mut out = Vec::new();
        write_journal_header(&mut out, &chart(), &jpy).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.contains("commodity JPY\n\n"));
        assert!(!text.contains("format"));
    }

    #[test]
    fn commodity_codes_the_peers_cannot_read_are_refused() {
        for code in ["gbp", "£", "G", "US$"] {
            let commodity = Commodity {
                code: code.to_string(),
                minor_digits: 2,
            };
            let result = write_journal_header(&mut Vec::new(), &chart(), &commodity);
            assert!(
                matches!(result, Err(ExportError::InvalidCommodity(_))),
                "{code}"
            );
        }
    }

    #[test]
    fn journal_entries_carry_the_settle_id_as_code_and_tag_with_explicit_amounts() {
        let text = journal(
            &entry(
                42,
                "Invoice INV-00042",
                &[("1000", 12_000), ("4000", -12_000)],
            ),
            &gbp(),
        );
        assert_eq!(
            text,
            "\n2026-03-14 (42) Invoice INV-00042\n    ; settle-id: 42\n    \
             Assets:1000-Bank               120.00 GBP\n    \
             Income:4000-Sales              -120.00 GBP\n"
        );
    }

    #[test]
    fn journal_memos_lose_newlines_and_semicolons_but_keep_their_words() {
        let text = journal(
            &entry(
                7,
                "  Lunch;\twith \"Bob\"\r\n# café * 100% ",
                &[("1000", -5), ("6900", 5)],
            ),
            &gbp(),
        );
        assert!(text.starts_with("\n2026-03-14 (7) Lunch, with \"Bob\" # café * 100%\n"));
        assert!(text.contains("-0.05 GBP\n"));
    }

    #[test]
    fn an_entry_without_a_memo_has_no_trailing_space() {
        let text = journal(&entry(8, " \n ", &[("1000", 0)]), &gbp());
        assert!(text.starts_with("\n2026-03-14 (8)\n"));
    }

    #[test]
    fn beancount_memos_escape_quotes_and_backslashes() {
        let text = beancount(&entry(
            9,
            "Say \"hi\" C:\\tmp\nnext; #x",
            &[("1000", 1), ("4000", -1)],
        ));
        assert!(text
            .starts_with("\n2026-03-14 * \"Say \\\"hi\\\" C:\\\\tmp next; #x\"\n  settle-id: 9\n"));
        assert!(text.contains("  Income:4000-Sales              -0.01 GBP\n"));
    }

    #[test]
    fn beancount_header_opens_every_account_on_the_first_date_in_the_currency() {
        let mut out = Vec::new();
        let first = NaiveDate::from_ymd_opt(2025, 1, 1).unwrap();
        write_beancount_header(&mut out, &chart(), &gbp(), first).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.contains("option \"operating_currency\" \"GBP\"\n"));
        assert!(text.contains("2025-01-01 commodity GBP\n"));
        assert!(text.contains(
            "2025-01-01 open Equity:3900-Retained-earnings GBP\n  name: \"Retained earnings\"\n"
        ));
        assert_eq!(text.matches(" open ").count(), 5);
    }

    #[test]
    fn csv_splits_amounts_into_debit_and_credit_columns() {
        let mut out = Vec::new();
        write_csv_header(&mut out).unwrap();
        let text =
            String::from_utf8(out).unwrap() + &csv(&entry(3, "Fee", &[("6900", 5), ("1000", -5)]));
        assert_eq!(
            text,
            "entry_id,date,memo,account_code,account_name,debit,credit\r\n\
             3,2026-03-14,Fee,6900,Bad debts,0.05,\r\n\
             3,2026-03-14,Fee,1000,Bank,,0.05\r\n"
        );
    }

    #[test]
    fn csv_quotes_commas_quotes_and_newlines() {
        let text = csv(&entry(4, "a,b \"c\"\nd", &[("1000", 0)]));
        assert_eq!(
            text,
            "4,2026-03-14,\"a,b \"\"c\"\"\nd\",1000,Bank,0.00,\r\n"
        );
    }

    #[test]
    fn csv_text_that_looks_like_a_formula_is_defused() {
        for (memo, cell) in [
            ("=SUM(A1)", "\"'=SUM(A1)\""),
            ("+1", "\"'+1\""),
            ("-2", "\"'-2\""),
            ("@cmd", "\"'@cmd\""),
            ("\tx", "\"'\tx\""),
        ] {
            let text = csv(&entry(5, memo, &[("1000", 0)]));
            assert!(
                text.starts_with(&format!("5,2026-03-14,{cell},1000,")),
                "{text}"
            );
        }
    }

    #[test]
    fn unbalanced_entries_are_refused_before_anything_is_written() {
        let mut out = Vec::new();
        let result = write_journal_entry(
            &mut out,
            &entry(11, "x", &[("1000", 100), ("4000", -99)]),
            &chart(),
            &gbp(),
        );
        assert!(matches!(
            result,
            Err(ExportError::Unbalanced {
                entry_id: 11,
                total_minor: 1
            })
        ));
        assert!(out.is_empty());
    }

    #[test]
    fn postings_to_unknown_accounts_are_refused() {
        let mut out = Vec::new();
        let result = write_beancount_entry(
            &mut out,
            &entry(12, "x", &[("1000", 1), ("9999", -1)]),
            &chart(),
            &gbp(),
        );
        assert!(
            matches!(result, Err(ExportError::UnknownAccount { entry_id: 12, ref code }) if code == "9999")
        );
        assert!(out.is_empty());
    }

    #[test]
    fn writers_accept_a_trait_object() {
        let mut buffer = Vec::new();
        let w: &mut dyn Write = &mut buffer;
        write_csv_header(w).unwrap();
        write_csv_entry(w, &entry(1, "x", &[("1000", 0)]), &chart(), &gbp()).unwrap();
        assert_eq!(String::from_utf8(buffer).unwrap().lines().count(), 2);
    }

    // Reading our own output back: posting lines are the indented ones that are not comments or
    // metadata, with the path, the amount and the commodity separated by spaces.
    fn totals_from_text(text: &str, indent: &str, digits: u32) -> BTreeMap<String, i64> {
        let mut totals = BTreeMap::new();
        for line in text.lines().filter(|l| l.starts_with(indent)) {
            let fields: Vec<&str> = line.split_whitespace().collect();
            if fields.len() != 3 || !fields[0].contains(':') || fields[0].ends_with(':') {
                continue;
            }
            *totals.entry(fields[0].to_string()).or_insert(0) += parse_minor(fields[1], digits);
        }
        totals.retain(|_, v| *v != 0);
        totals
    }

    fn parse_minor(text: &str, digits: u32) -> i64 {
        let (whole, frac) = text.split_once('.').unwrap_or((text, ""));
        assert_eq!(frac.len(), digits as usize, "{text}");
        let negative = whole.starts_with('-');
        let magnitude: i64 = format!("{}{frac}", whole.trim_start_matches('-'))
            .parse()
            .unwrap();
        if negative {
            -magnitude
        } else {
            magnitude
        }
    }

    fn parse_csv(text: &str) -> Vec<Vec<String>> {
        let mut rows = Vec::new();
        let mut row = Vec::new();
        let mut cell = String::new();
        let mut chars = text.chars().peekable();
        let mut quoted = false;
        while let Some(c) = chars.next() {
            match (quoted, c) {
                (true, '"') if chars.peek() == Some(&'"') => {
                    chars.next();
                    cell.push('"');
                }
                (true, '"') => quoted = false,
                (true, c) => cell.push(c),
                (false, '"') => quoted = true,
                (false, ',') => row.push(std::mem::take(&mut cell)),
                (false, '\r') => {}
                (false, '\n') => {
                    row.push(std::mem::take(&mut cell));
                    rows.push(std::mem::take(&mut row));
                }
                (false, c) => cell.push(c),
            }
        }
        rows
    }

    fn random_entries() -> impl Strategy<Value = (u32, Vec<ExportEntry>)> {
        let posting = (
            0usize..5,
            prop_oneof![-200i64..200, -1_000_000_000_000i64..1_000_000_000_000],
        );
        let entry = (
            any::<String>(),
            0u32..3000,
            prop::collection::vec(posting, 1..6),
        );
        (0u32..4, prop::collection::vec(entry, 1..20)).prop_map(|(digits, raw)| {
            let codes = ["1000", "2200", "3900", "4000", "6900"];
            let entries = raw
                .into_iter()
                .enumerate()
                .map(|(i, (memo, day, lines))| {
                    let mut postings: Vec<ExportPosting> = lines
                        .iter()
                        .map(|&(a, amount)| ExportPosting {
                            account_code: codes[a].to_string(),
                            amount_minor: amount,
                        })
                        .collect();
                    let balance: i64 = postings.iter().map(|p| p.amount_minor).sum();
                    postings.push(ExportPosting {
                        account_code: codes[(lines[0].0 + 1) % 5].to_string(),
                        amount_minor: -balance,
                    });
                    ExportEntry {
                        id: i as i64 + 1,
                        date: NaiveDate::from_ymd_opt(2024, 1, 1).unwrap()
                            + chrono::Days::new(day.into()),
                        memo,
                        postings,
                    }
                })
                .collect();
            (digits, entries)
        })
    }

    proptest! {
        #[test]
        fn every_format_reads_back_to_the_same_per_account_totals((digits, entries) in random_entries()) {
            let chart = chart();
            let commodity = Commodity { code: "BHD".to_string(), minor_digits: digits };
            let mut expected: BTreeMap<String, i64> = BTreeMap::new();
            for posting in entries.iter().flat_map(|e| &e.postings) {
                *expected.entry(chart.path(&posting.account_code).unwrap().to_string()).or_insert(0) += posting.amount_minor;
            }
            expected.retain(|_, v| *v != 0);

            let (mut journal, mut bean, mut table) = (Vec::new(), Vec::new(), Vec::new());
            write_journal_header(&mut journal, &chart, &commodity).unwrap();
            write_beancount_header(&mut bean, &chart, &commodity, entries[0].date).unwrap();
            write_csv_header(&mut table).unwrap();
            for entry in &entries {
                write_journal_entry(&mut journal, entry, &chart, &commodity).unwrap();
                write_beancount_entry(&mut bean, entry, &chart, &commodity).unwrap();
                write_csv_entry(&mut table, entry, &chart, &commodity).unwrap();
            }
            let journal = String::from_utf8(journal).unwrap();
            let bean = String::from_utf8(bean).unwrap();
            prop_assert_eq!(&totals_from_text(&journal, "    ", digits), &expected);
            prop_assert_eq!(&totals_from_text(&bean, "  ", digits), &expected);
            prop_assert_eq!(journal.matches("\n    ; settle-id: ").count(), entries.len());

            let rows = parse_csv(&String::from_utf8(table).unwrap());
            prop_assert_eq!(rows.len(), 1 + entries.iter().map(|e| e.postings.len()).sum::<usize>());
            let mut from_csv: BTreeMap<String, i64> = BTreeMap::new();
            for row in &rows[1..] {
                prop_assert_eq!(row.len(), 7);
                let entry = &entries[row[0].parse::<usize>().unwrap() - 1];
                let memo = row[2].strip_prefix('\'').filter(|_| entry.memo.starts_with(['=', '+', '-', '@', '\t', '\r']));
                prop_assert_eq!(memo.unwrap_or(&row[2]), entry.memo.as_str());
                let amount = if row[6].is_empty() { parse_minor(&row[5], digits) } else { -parse_minor(&row[6], digits) };
                *from_csv.entry(chart.path(&row[3]).unwrap().to_string()).or_insert(0) += amount;
            }
            from_csv.retain(|_, v| *v != 0);
            prop_assert_eq!(&from_csv, &expected);
        }
    }
}
