//! What travels between the browser and the server for bank statement import. Amounts are
//! `Money` (decimal strings); the CSV settings travel as the text of the form fields.

use crate::domain::bank_matching::Confidence;
use crate::domain::{CustomerId, InvoiceId, Money, PaymentId};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// How a CSV file is read, as the preview shows it and the owner may change it. `profile`
/// carries the whole detected profile (JSON) so that what the form does not show survives.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CsvSettings {
    pub profile: String,
    /// One character; `\t` for a tab.
    pub delimiter: String,
    /// `point` or `comma`.
    pub decimal: String,
    /// `ymd`, `dmy` or `mdy`.
    pub date_format: String,
    pub date_column: String,
    /// The signed amount's column; empty when money out and money in are apart.
    pub amount_column: String,
    pub debit_column: String,
    pub credit_column: String,
    /// Column names joined with commas.
    pub description_columns: String,
}

/// A statement file as the preview reads it; nothing is saved yet.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct StatementPreview {
    /// `CSV`, `OFX`, `camt.053` or `MT940`; empty when the file could not be read.
    pub format: String,
    pub encoding: String,
    pub csv: Option<CsvSettings>,
    /// One sentence per account statement in the file, e.g. "Opening 100.00 + lines = closing
    /// 220.00: agrees".
    pub balances: Vec<String>,
    /// True when a stated closing balance is not opening plus the lines.
    pub balance_mismatch: bool,
    pub notices: Vec<String>,
    /// Why the file was refused, each naming the file line or XML element; nothing is
    /// imported while there are any.
    pub problems: Vec<String>,
    pub lines: Vec<PreviewLine>,
    pub new_lines: usize,
    pub known_lines: usize,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PreviewLine {
    pub date: NaiveDate,
    pub amount: Money,
    pub text: String,
    /// Already imported into this bank account: it will be skipped.
    pub known: bool,
}

/// A statement file sent for preview or import. The content is base64 (the file may not be
/// UTF-8).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatementUpload {
    pub bank_account_id: i64,
    pub file_name: String,
    pub content_base64: String,
    /// Changed CSV settings from the preview; `None` uses the saved or detected ones.
    pub csv: Option<CsvSettings>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportResult {
    pub imported: usize,
    pub skipped: usize,
}

/// A bank account to import into.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BankAccountOption {
    pub id: i64,
    pub name: String,
    pub account_code: String,
}

/// One imported line with what Settle proposes for it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BankLineView {
    pub id: i64,
    pub date: NaiveDate,
    pub amount: Money,
    pub text: String,
    /// `unmatched`, `matched`, `booked` or `ignored`.
    pub state: String,
    pub payment_id: Option<PaymentId>,
    pub proposals: Vec<MatchView>,
    /// The account a learnt rule proposes for booking, and the rule's text.
    pub rule: Option<(String, String)>,
}

/// A proposed match, spelt out for the owner.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MatchView {
    pub customer_id: CustomerId,
    pub customer_name: String,
    pub invoices: Vec<(InvoiceId, String, Money)>,
    /// What is left of the line after the allocations: it becomes customer credit.
    pub credit: Money,
    pub confidence: Confidence,
    pub evidence: String,
}

/// The lines of one bank account, and the accounts a line may be booked to.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BankLinesPage {
    pub lines: Vec<BankLineView>,
    pub expense_accounts: Vec<(String, String)>,
    pub income_accounts: Vec<(String, String)>,
}

/// A bank account's reconciliation at a date: the bank's word against the books'.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReconciliationView {
    pub as_of: NaiveDate,
    /// The closing balance of the latest imported statement that states one, up to `as_of`.
    pub statement_balance: Option<Money>,
    pub statement_date: Option<NaiveDate>,
    pub book_balance: Money,
    /// Statement minus books; zero when reconciled.
    pub difference: Option<Money>,
    /// Imported lines up to `as_of` not yet matched, booked or ignored, and their sum.
    pub unsettled_lines: usize,
    pub unsettled_amount: Money,
    /// Entries moving the bank account that no imported line accounts for (newest 200).
    pub book_only: Vec<BookItem>,
    /// The last day whose lines are reconciled (and locked).
    pub reconciled_through: Option<NaiveDate>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BookItem {
    pub entry_id: i64,
    pub date: NaiveDate,
    pub memo: String,
    pub amount: Money,
}
