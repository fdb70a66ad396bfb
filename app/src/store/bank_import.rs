//! Imported bank statements and their lines: saving a parsed statement (lines already imported
//! into the bank account are recognised by fingerprint and skipped), matching incoming lines to
//! open invoices, confirming a match as a payment, booking a line to an account (learning a
//! rule from it) or ignoring it, and the CSV profile saved per bank account.

use super::bank_accounts;
use super::ledger::{self, Party, Posted};
use super::payments::{record_payment, NewPayment, PaymentError};
use crate::api::types::BankAccount;
use crate::api::types::PaymentMethod;
use crate::domain::bank_matching::{propose, IncomingLine, OpenItem, Proposal};
use crate::domain::bank_statement::{CsvProfile, Format, Statement, StatementLine};
use crate::domain::expenses::AmountsAre;
use crate::domain::{
    round_money, AccountCode, AccountKind, Currency, CustomerId, Excess, InvoiceId, JournalEntry,
    Money, PaymentId, Posting,
};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use sqlx::SqliteConnection;
use std::collections::HashSet;

/// What became of a line.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum LineState {
    Unmatched,
    Matched,
    Booked,
    Ignored,
}

impl LineState {
    pub fn key(self) -> &'static str {
        match self {
            LineState::Unmatched => "unmatched",
            LineState::Matched => "matched",
            LineState::Booked => "booked",
            LineState::Ignored => "ignored",
        }
    }

    pub fn parse(key: &str) -> Option<LineState> {
        [
            LineState::Unmatched,
            LineState::Matched,
            LineState::Booked,
            LineState::Ignored,
        ]
        .into_iter()
        .find(|s| s.key() == key)
    }
}

/// A saved statement line.
#[derive(Clone, Debug, PartialEq)]
pub struct BankLine {
    pub id: i64,
    pub bank_account_id: i64,
    pub booking_date: NaiveDate,
    pub amount: Money,
    pub description: String,
    pub counterparty: String,
    pub references: String,
    pub state: LineState,
    pub payment_id: Option<PaymentId>,
    pub entry_id: Option<i64>,
}

impl BankLine {
    /// Everything a person or a rule may recognise the line by.
    pub fn text(&self) -> String {
        format!(
            "{} {} {}",
            self.description, self.counterparty, self.references
        )
    }
}

/// What an import did.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportOutcome {
    /// `None` when every line was already imported: nothing was saved.
    pub statement_id: Option<i64>,
    pub imported: usize,
    pub skipped: usize,
}

#[derive(Debug, thiserror::Error)]
pub enum BankImportError {
    #[error("choose a bank account")]
    BankAccountNotFound,
    #[error("line not found")]
    LineNotFound,
    #[error("{0}")]
    Invalid(String),
    #[error("this line is already {0}")]
    AlreadySettled(&'static str),
    #[error(transparent)]
    Payment(#[from] PaymentError),
    #[error(transparent)]
    Store(#[from] anyhow::Error),
}

impl From<sqlx::Error> for BankImportError {
    fn from(e: sqlx::Error) -> Self {
        BankImportError::Store(e.into())
    }
}

pub async fn bank_account(
    conn: &mut SqliteConnection,
    id: i64,
) -> Result<BankAccount, BankImportError> {
    bank_accounts::by_id(conn, id)
        .await?
        .filter(|b| !b.archived)
        .ok_or(BankImportError::BankAccountNotFound)
}

/// The SHA-256 of an imported file, kept with the statement to tell which file it was.
pub fn file_digest(bytes: &[u8]) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(bytes))
}

/// The fingerprints of `statement`'s lines that the bank account already holds.
pub async fn known_fingerprints(
    conn: &mut SqliteConnection,
    bank_account_id: i64,
) -> sqlx::Result<HashSet<String>> {
    let rows: Vec<String> =
        sqlx::query_scalar("SELECT fingerprint FROM bank_lines WHERE bank_account_id = ?")
            .bind(bank_account_id)
            .fetch_all(conn)
            .await?;
    Ok(rows.into_iter().collect())
}

/// A line's amount in the bank account's currency, refusing another currency or more decimals
/// than the currency has (a bank never reports fractions of a cent).
pub fn line_money(line: &StatementLine, currency: Currency) -> Result<Money, String> {
    if line.currency.is_some_and(|c| c != currency) {
        return Err(format!(
            "{}: the line is in {}, the bank account in {currency}",
            line.location,
            line.currency
                .map(|c| c.code().to_string())
                .unwrap_or_default()
        ));
    }
    if round_money(line.amount, currency) != line.amount {
        return Err(format!(
            "{}: {} has more decimals than {currency} allows",
            line.location, line.amount
        ));
    }
    Ok(Money::new(line.amount, currency))
}

/// Saves the statement's lines the bank account does not hold yet (one statement row for
/// them); lines already imported are skipped, and when nothing is new nothing is saved. Run it
/// in a write transaction (`store::begin_write`) so two imports of one file cannot interleave.
pub async fn import_statement(
    conn: &mut SqliteConnection,
    bank_account_id: i64,
    file_name: &str,
    sha256: &str,
    imported_by: &str,
    statement: &Statement,
    currency: Currency,
) -> Result<ImportOutcome, BankImportError> {
    bank_account(conn, bank_account_id).await?;
    let known = known_fingerprints(conn, bank_account_id).await?;
    let mut new_lines = Vec::new();
    for line in statement.lines() {
        let amount = line_money(line, currency).map_err(BankImportError::Invalid)?;
        if !known.contains(&line.fingerprint) {
            new_lines.push((line, amount));
        }
    }
    let skipped = statement.lines().count() - new_lines.len();
    if new_lines.is_empty() {
        return Ok(ImportOutcome {
            statement_id: None,
            imported: 0,
            skipped,
        });
    }
    let statement_id = insert_statement(
        conn,
        bank_account_id,
        file_name,
        sha256,
        imported_by,
        statement,
        currency,
        new_lines.len(),
    )
    .await?;
    let mut imported = 0;
    for (line, amount) in new_lines {
        imported += insert_line(conn, bank_account_id, statement_id, line, amount).await?;
    }
    Ok(ImportOutcome {
        statement_id: Some(statement_id),
        imported,
        skipped: statement.lines().count() - imported,
    })
}

#[allow(clippy::too_many_arguments)]
async fn insert_statement(
    conn: &mut SqliteConnection,
    bank_account_id: i64,
    file_name: &str,
    sha256: &str,
    imported_by: &str,
    statement: &Statement,
    currency: Currency,
    line_count: usize,
) -> sqlx::Result<i64> {
    let first = statement.accounts.first();
    let minor =
        |b: &crate::domain::bank_statement::Balance| Money::new(b.amount, currency).to_minor();
    let opening = first.and_then(|a| a.opening.as_ref()).map(minor);
    let last = statement.accounts.last();
    let closing = last.and_then(|a| a.closing.as_ref());
    sqlx::query_scalar(
        "INSERT INTO bank_statements (bank_account_id, file_name, format, sha256, imported_by,
            imported_at, opening_minor, closing_minor, closing_date, line_count)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(bank_account_id)
    .bind(file_name.chars().take(200).collect::<String>())
    .bind(format_key(statement.format))
    .bind(sha256)
    .bind(imported_by)
    .bind(super::now_text())
    .bind(opening)
    .bind(closing.map(minor))
    .bind(closing.and_then(|b| b.date))
    .bind(line_count as i64)
    .fetch_one(conn)
    .await
}

async fn insert_line(
    conn: &mut SqliteConnection,
    bank_account_id: i64,
    statement_id: i64,
    line: &StatementLine,
    amount: Money,
) -> sqlx::Result<usize> {
    // OR IGNORE: the fingerprint is unique per bank account, the last word on "already there".
    let done = sqlx::query(
        "INSERT OR IGNORE INTO bank_lines (bank_account_id, statement_id, booking_date, value_date,
            amount_minor, description, counterparty, refs, bank_id, fingerprint)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(bank_account_id)
    .bind(statement_id)
    .bind(line.booking_date)
    .bind(line.value_date)
    .bind(amount.to_minor())
    .bind(&line.description)
    .bind(line.counterparty.clone().unwrap_or_default())
    .bind(line.references.join(" "))
    .bind(&line.bank_id)
    .bind(&line.fingerprint)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() as usize)
}

pub fn format_key(format: Format) -> &'static str {
    match format {
        Format::Csv => "csv",
        Format::Ofx => "ofx",
        Format::Camt053 => "camt053",
        Format::Mt940 => "mt940",
    }
}

type LineRow = (
    i64,
    i64,
    NaiveDate,
    i64,
    String,
    String,
    String,
    String,
    Option<i64>,
    Option<i64>,
);

const LINE_COLUMNS: &str = "SELECT id, bank_account_id, booking_date, amount_minor, description,
    counterparty, refs, state, payment_id, entry_id FROM bank_lines";

fn to_line(row: LineRow, currency: Currency) -> BankLine {
    let (id, bank, date, amount, description, counterparty, refs, state, payment, entry) = row;
    BankLine {
        id,
        bank_account_id: bank,
        booking_date: date,
        amount: Money::from_minor(amount, currency),
        description,
        counterparty,
        references: refs,
        state: LineState::parse(&state).unwrap_or(LineState::Unmatched),
        payment_id: payment.map(PaymentId),
        entry_id: entry,
    }
}

/// A bank account's lines: those still to settle first, then the others, newest first; only
/// those in `state` when given. At most 500: a page of lines to work through, not an archive.
pub async fn list_lines(
    conn: &mut SqliteConnection,
    bank_account_id: i64,
    state: Option<LineState>,
    currency: Currency,
) -> sqlx::Result<Vec<BankLine>> {
    let rows: Vec<LineRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{LINE_COLUMNS} WHERE bank_account_id = ? AND (? IS NULL OR state = ?)
         ORDER BY state = 'unmatched' DESC, booking_date DESC, id DESC LIMIT 500"
    )))
    .bind(bank_account_id)
    .bind(state.map(LineState::key))
    .bind(state.map(LineState::key))
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().map(|r| to_line(r, currency)).collect())
}

/// The lines one import saved, in file order.
pub async fn statement_lines(
    conn: &mut SqliteConnection,
    statement_id: i64,
    currency: Currency,
) -> sqlx::Result<Vec<BankLine>> {
    let rows: Vec<LineRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{LINE_COLUMNS} WHERE statement_id = ? ORDER BY id"
    )))
    .bind(statement_id)
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().map(|r| to_line(r, currency)).collect())
}

pub async fn get_line(
    conn: &mut SqliteConnection,
    id: i64,
    currency: Currency,
) -> Result<BankLine, BankImportError> {
    let row: Option<LineRow> =
        sqlx::query_as(sqlx::AssertSqlSafe(format!("{LINE_COLUMNS} WHERE id = ?")))
            .bind(id)
            .fetch_optional(conn)
            .await?;
    row.map(|r| to_line(r, currency))
        .ok_or(BankImportError::LineNotFound)
}

/// Every issued invoice with something open, with what the matcher needs to know of it.
pub async fn open_items(
    conn: &mut SqliteConnection,
    currency: Currency,
) -> sqlx::Result<Vec<OpenItem>> {
    let rows: Vec<(i64, String, i64, String, String, NaiveDate, i64)> = sqlx::query_as(
        "SELECT o.invoice_id, COALESCE(i.number, ''), o.customer_id, c.name, c.payment_reference,
            o.issue_date, o.open_minor
         FROM open_invoices o JOIN invoices i ON i.id = o.invoice_id
         JOIN customers c ON c.id = o.customer_id
         WHERE c.currency = ? ORDER BY o.issue_date, o.invoice_id",
    )
    .bind(currency.code())
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(
            |(invoice, number, customer, name, reference, issued, open)| OpenItem {
                invoice: InvoiceId(invoice),
                number,
                customer: CustomerId(customer),
                customer_name: name,
                customer_reference: reference,
                issue_date: issued,
                open: Money::from_minor(open, currency),
            },
        )
        .collect())
}

/// The matcher's proposals for a line, given the open invoices (see `open_items`).
pub fn proposals(line: &BankLine, open: &[OpenItem]) -> Vec<Proposal> {
    if line.state != LineState::Unmatched {
        return Vec::new();
    }
    propose(
        &IncomingLine {
            date: line.booking_date,
            amount: line.amount,
            text: line.text(),
        },
        open,
    )
}

/// The idempotency key of the payment a line becomes: one line, one payment, however often
/// the confirmation is sent.
pub fn payment_key(line_id: i64) -> String {
    format!("bank-line-{line_id}")
}

/// Confirms that an incoming line is this customer paying these invoices: records the payment
/// into the line's bank account (what is not allocated stays as customer credit) and links the
/// line to it. Confirming a line that already has its payment returns that payment.
///
/// Known shortcoming: when the payment is later reversed, the line stays linked to it as
/// "matched" (the link is locked like the payment); the reversal shows on the reconciliation
/// as an entry no line accounts for, and the owner records the money again by hand.
pub async fn confirm_line(
    conn: &mut SqliteConnection,
    line_id: i64,
    customer: CustomerId,
    allocations: &[(InvoiceId, Money)],
    currency: Currency,
) -> Result<PaymentId, BankImportError> {
    let line = get_line(conn, line_id, currency).await?;
    match (line.state, line.payment_id) {
        (LineState::Matched, Some(payment)) => return Ok(payment),
        (LineState::Unmatched, _) => {}
        (state, _) => return Err(BankImportError::AlreadySettled(state.key())),
    }
    if !line.amount.is_positive() {
        return Err(BankImportError::Invalid(
            "only money received can pay an invoice".into(),
        ));
    }
    let payment = NewPayment {
        customer,
        bank_account_id: line.bank_account_id,
        amount: line.amount,
        received_on: line.booking_date,
        method: PaymentMethod::BankTransfer,
        reference: line.text().trim().chars().take(200).collect(),
        requested: allocations.to_vec(),
        excess: Excess::KeepAsCredit,
        idempotency_key: payment_key(line.id),
        fee: None,
    };
    let receipt = record_payment(conn, &payment).await?;
    sqlx::query(
        "UPDATE bank_lines SET state = 'matched', payment_id = ?, settled_at = ?
         WHERE id = ? AND state = 'unmatched'",
    )
    .bind(receipt.payment_id.0)
    .bind(super::now_text())
    .bind(line.id)
    .execute(conn)
    .await?;
    Ok(receipt.payment_id)
}

/// Books a line to an account: money out as an expense (net, no input tax), money in as other
/// income; the entry moves the line's bank account. A rule "text contains X → this account" is
/// learnt (or strengthened) from the choice.
pub async fn book_line(
    conn: &mut SqliteConnection,
    line_id: i64,
    account: &AccountCode,
    currency: Currency,
) -> Result<i64, BankImportError> {
    let line = get_line(conn, line_id, currency).await?;
    if line.state != LineState::Unmatched {
        return match (line.state, line.entry_id) {
            (LineState::Booked, Some(entry)) => Ok(entry),
            (state, _) => Err(BankImportError::AlreadySettled(state.key())),
        };
    }
    let bank = bank_account(conn, line.bank_account_id).await?;
    if let Some(message) = ledger::locked_message(conn, line.booking_date).await? {
        return Err(BankImportError::Invalid(message));
    }
    let entry_id = if line.amount.is_negative() {
        book_expense(conn, &line, &bank, account, currency).await?
    } else {
        book_income(conn, &line, &bank, account).await?
    };
    sqlx::query(
        "UPDATE bank_lines SET state = 'booked', entry_id = ?, account_code = ?, settled_at = ?
         WHERE id = ?",
    )
    .bind(entry_id)
    .bind(&account.0)
    .bind(super::now_text())
    .bind(line.id)
    .execute(&mut *conn)
    .await?;
    learn_rule(conn, &line, account).await?;
    Ok(entry_id)
}

async fn book_expense(
    conn: &mut SqliteConnection,
    line: &BankLine,
    bank: &BankAccount,
    account: &AccountCode,
    currency: Currency,
) -> Result<i64, BankImportError> {
    use super::expenses::{record_expense, ExpenseError, NewExpense};
    use crate::domain::expenses::ExpenseSplit;
    let vendor = if line.counterparty.trim().is_empty() {
        line.description.trim()
    } else {
        line.counterparty.trim()
    };
    let expense = NewExpense {
        vendor: vendor
            .chars()
            .take(100)
            .collect::<String>()
            .trim()
            .to_string(),
        date: line.booking_date,
        paid_from: Some(AccountCode::new(&bank.account_code)),
        due_date: None,
        reference: line.references.chars().take(200).collect(),
        memo: line.description.chars().take(200).collect(),
        amounts: AmountsAre::TaxInclusive,
        splits: vec![ExpenseSplit {
            account: account.clone(),
            description: line.description.chars().take(200).collect(),
            amount: line.amount.abs(),
            tax_rate: rust_decimal::Decimal::ZERO,
        }],
        receipt_id: None,
        idempotency_key: format!("bank-line-{}", line.id),
    };
    let id = record_expense(conn, &expense, currency)
        .await
        .map_err(|e| match e {
            ExpenseError::Store(e) => BankImportError::Store(e),
            other => BankImportError::Invalid(other.to_string()),
        })?;
    Ok(
        sqlx::query_scalar("SELECT entry_id FROM expenses WHERE id = ?")
            .bind(id)
            .fetch_one(conn)
            .await?,
    )
}

async fn book_income(
    conn: &mut SqliteConnection,
    line: &BankLine,
    bank: &BankAccount,
    account: &AccountCode,
) -> Result<i64, BankImportError> {
    let kind: Option<(String, i64)> =
        sqlx::query_as("SELECT kind, archived FROM accounts WHERE code = ?")
            .bind(&account.0)
            .fetch_optional(&mut *conn)
            .await?;
    let bookable = !super::accounts::SYSTEM_ACCOUNTS.contains(&account.0.as_str());
    match kind {
        Some((kind, 0)) if bookable && AccountKind::parse(&kind) == Some(AccountKind::Revenue) => {}
        _ => {
            return Err(BankImportError::Invalid(
                "choose an income account for money received".into(),
            ))
        }
    }
    let memo = format!("Received: {}", line.text().trim())
        .chars()
        .take(200)
        .collect();
    let entry = JournalEntry::new(
        line.booking_date,
        memo,
        vec![
            Posting::debit(&bank.account_code, line.amount),
            Posting::credit(&account.0, line.amount),
        ],
    )
    .map_err(anyhow::Error::from)?;
    Ok(ledger::insert_entry(conn, &entry, Posted::new("bank_line", Party::Nobody)).await?)
}

/// Sets a line aside (a transfer between own accounts, a duplicate the bank sent): it posts
/// nothing. An ignored line can be taken back with `restore_line`.
pub async fn ignore_line(
    conn: &mut SqliteConnection,
    line_id: i64,
    state: LineState,
) -> Result<(), BankImportError> {
    let (from, to) = match state {
        LineState::Ignored => ("unmatched", "ignored"),
        _ => ("ignored", "unmatched"),
    };
    let done = sqlx::query("UPDATE bank_lines SET state = ? WHERE id = ? AND state = ?")
        .bind(to)
        .bind(line_id)
        .bind(from)
        .execute(conn)
        .await?;
    if done.rows_affected() == 0 {
        return Err(BankImportError::Invalid(format!(
            "only a line that is {from} can become {to}"
        )));
    }
    Ok(())
}

/// What a rule recognises a line by: its counterparty when the bank names one, else the first
/// words of its description; lower-case, at most 40 characters.
pub fn rule_pattern(line: &BankLine) -> String {
    let source = if line.counterparty.trim().is_empty() {
        line.description
            .split_whitespace()
            .take(3)
            .collect::<Vec<_>>()
            .join(" ")
    } else {
        line.counterparty.trim().to_string()
    };
    source
        .to_lowercase()
        .chars()
        .take(40)
        .collect::<String>()
        .trim()
        .to_string()
}

fn direction(line: &BankLine) -> &'static str {
    if line.amount.is_negative() {
        "out"
    } else {
        "in"
    }
}

async fn learn_rule(
    conn: &mut SqliteConnection,
    line: &BankLine,
    account: &AccountCode,
) -> sqlx::Result<()> {
    let pattern = rule_pattern(line);
    if pattern.chars().count() < 2 {
        return Ok(());
    }
    sqlx::query(
        "INSERT INTO bank_rules (pattern, direction, account_code, updated_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (pattern, direction) DO UPDATE SET
            times_used = CASE WHEN account_code = excluded.account_code THEN times_used + 1 ELSE 1 END,
            account_code = excluded.account_code, updated_at = excluded.updated_at",
    )
    .bind(pattern)
    .bind(direction(line))
    .bind(&account.0)
    .bind(super::now_text())
    .execute(conn)
    .await?;
    Ok(())
}

/// The account a learnt rule proposes for a line, with the rule's text: the longest pattern
/// found in the line's text wins.
pub async fn rule_for(
    conn: &mut SqliteConnection,
    line: &BankLine,
) -> sqlx::Result<Option<(String, String)>> {
    sqlx::query_as(
        "SELECT pattern, account_code FROM bank_rules WHERE direction = ? AND instr(lower(?), pattern) > 0
         ORDER BY length(pattern) DESC, times_used DESC LIMIT 1",
    )
    .bind(direction(line))
    .bind(line.text())
    .fetch_optional(conn)
    .await
}

/// The CSV settings saved for a bank account's exports.
pub async fn saved_profile(
    conn: &mut SqliteConnection,
    bank_account_id: i64,
) -> anyhow::Result<Option<CsvProfile>> {
    let json: Option<String> =
        sqlx::query_scalar("SELECT profile_json FROM bank_csv_profiles WHERE bank_account_id = ?")
            .bind(bank_account_id)
            .fetch_optional(conn)
            .await?;
    // A profile saved by an older version that no longer reads is detected afresh.
    Ok(json.and_then(|j| serde_json::from_str(&j).ok()))
}

pub async fn save_profile(
    conn: &mut SqliteConnection,
    bank_account_id: i64,
    profile: &CsvProfile,
) -> anyhow::Result<()> {
    sqlx::query(
        "INSERT INTO bank_csv_profiles (bank_account_id, profile_json, updated_at) VALUES (?, ?, ?)
         ON CONFLICT (bank_account_id) DO UPDATE SET profile_json = excluded.profile_json,
            updated_at = excluded.updated_at",
    )
    .bind(bank_account_id)
    .bind(serde_json::to_string(profile)?)
    .bind(super::now_text())
    .execute(conn)
    .await?;
    Ok(())
}
