//! Expenses paid now, bills to pay later, their payments and receipt files: each recorded
//! once (idempotency key) and posted in the same transaction.

use super::cash_twin::Database;
use super::ledger::{self, Party, Posted};
use crate::api::types::{ExpenseDetail, ExpenseLineView, ExpenseSummary, Page};
use crate::domain::cash_basis::Settlement;
use crate::domain::expenses::{
    bill_payment_entry, expense_entry, split_totals, AmountsAre, ExpenseSplit, PaidFrom,
};
use crate::domain::posting::accounts;
use crate::domain::{AccountCode, AccountKind, Currency, Money};
use chrono::NaiveDate;
use sha2::Digest;
use sqlx::SqliteConnection;

/// The largest receipt file kept, in bytes.
pub const MAX_RECEIPT_BYTES: usize = 5 * 1024 * 1024;

/// Accounts nothing is bought into, besides those Settle posts to itself: accumulated
/// depreciation only ever takes depreciation entries (it reduces what equipment is worth),
/// bad debts take written-off invoices and the exchange account differences on payments.
pub const NOT_SPENT_ON: [&str; 3] = ["1510", accounts::BAD_DEBTS, "7900"];

#[derive(Clone, Debug)]
pub struct NewReceipt {
    pub file_name: String,
    pub content_type: String,
    pub data: Vec<u8>,
}

#[derive(Clone, Debug)]
pub struct NewExpense {
    pub vendor: String,
    pub date: NaiveDate,
    /// `None` for a bill.
    pub paid_from: Option<AccountCode>,
    /// `Some` for a bill.
    pub due_date: Option<NaiveDate>,
    pub reference: String,
    pub memo: String,
    pub amounts: AmountsAre,
    pub splits: Vec<ExpenseSplit>,
    /// A receipt uploaded beforehand; it must exist and belong to no other expense.
    pub receipt_id: Option<i64>,
    pub idempotency_key: String,
}

/// Why an expense or a bill payment was refused, naming the form field.
#[derive(Debug, thiserror::Error)]
pub enum ExpenseError {
    #[error("{1}")]
    Invalid(&'static str, String),
    #[error("not found")]
    NotFound,
    #[error("{0}")]
    Conflict(String),
    #[error(transparent)]
    Store(#[from] anyhow::Error),
}

impl From<sqlx::Error> for ExpenseError {
    fn from(e: sqlx::Error) -> Self {
        ExpenseError::Store(e.into())
    }
}

async fn account_kind(
    conn: &mut SqliteConnection,
    code: &str,
) -> sqlx::Result<Option<(AccountKind, bool, bool)>> {
    let row: Option<(String, i64, i64)> =
        sqlx::query_as("SELECT kind, is_money, archived FROM accounts WHERE code = ?")
            .bind(code)
            .fetch_optional(conn)
            .await?;
    Ok(row.and_then(|(kind, money, archived)| {
        AccountKind::parse(&kind).map(|k| (k, money == 1, archived == 1))
    }))
}

/// The vendor of that name, created on first use.
pub async fn vendor_id(conn: &mut SqliteConnection, name: &str) -> sqlx::Result<i64> {
    if let Some(id) = sqlx::query_scalar("SELECT id FROM vendors WHERE name = ? COLLATE NOCASE")
        .bind(name)
        .fetch_optional(&mut *conn)
        .await?
    {
        return Ok(id);
    }
    sqlx::query_scalar("INSERT INTO vendors (name, created_at) VALUES (?, ?) RETURNING id")
        .bind(name)
        .bind(super::now_text())
        .fetch_one(conn)
        .await
}

/// Records an expense or a bill and posts it. A repeated key returns the first expense.
pub async fn record_expense(
    conn: &mut SqliteConnection,
    expense: &NewExpense,
    currency: Currency,
) -> Result<i64, ExpenseError> {
    let earlier: Option<(i64, String, NaiveDate)> = sqlx::query_as(
        "SELECT e.id, v.name, e.date FROM expenses e JOIN vendors v ON v.id = e.vendor_id WHERE e.idempotency_key = ?",
    )
    .bind(&expense.idempotency_key)
    .fetch_optional(&mut *conn)
    .await?;
    if let Some((id, vendor, date)) = earlier {
        // The same request again returns what it recorded; another expense under the same
        // key is a mistake to report, not to swallow.
        if vendor.to_lowercase() != expense.vendor.to_lowercase() || date != expense.date {
            return Err(ExpenseError::Conflict(
                "this form was already used for another expense; reload the page".into(),
            ));
        }
        return Ok(id);
    }
    if let Some(message) = ledger::locked_message(conn, expense.date).await? {
        return Err(ExpenseError::Invalid("date", message));
    }
    let paid_from = match &expense.paid_from {
        Some(code)
            if super::accounts::SYSTEM_ACCOUNTS.contains(&code.0.as_str())
                && code.0 != accounts::BANK =>
        {
            return Err(ExpenseError::Invalid(
                "paid_from",
                "choose a bank, cash or card account".into(),
            ))
        }
        Some(code) => match account_kind(conn, &code.0).await? {
            Some((_, true, false)) => PaidFrom::Account(code.clone()),
            _ => {
                return Err(ExpenseError::Invalid(
                    "paid_from",
                    "choose a bank, cash or card account".into(),
                ))
            }
        },
        None => PaidFrom::Payables,
    };
    for (i, split) in expense.splits.iter().enumerate() {
        let code = split.account.0.as_str();
        let bookable =
            !super::accounts::SYSTEM_ACCOUNTS.contains(&code) && !NOT_SPENT_ON.contains(&code);
        match account_kind(conn, code).await? {
            Some((AccountKind::Expense | AccountKind::Asset, false, false)) if bookable => {}
            _ => {
                return Err(ExpenseError::Invalid(
                    "splits",
                    format!("line {}: choose an expense or asset account", i + 1),
                ))
            }
        }
    }
    if let Some(receipt) = expense.receipt_id {
        check_receipt_free(conn, receipt).await?;
    }
    let totals: Vec<(AccountCode, _)> = expense
        .splits
        .iter()
        .map(|s| (s.account.clone(), split_totals(s, expense.amounts)))
        .collect();
    let vendor = vendor_id(conn, &expense.vendor).await?;
    let memo = if expense.memo.is_empty() {
        format!("{} from {}", kind_word(&paid_from), expense.vendor)
    } else {
        format!("{}: {}", expense.vendor, expense.memo)
    };
    let entry =
        expense_entry(expense.date, memo, &totals, &paid_from).map_err(anyhow::Error::from)?;
    let entry_id = ledger::insert_entry(
        conn,
        &entry,
        Posted::new(source(&paid_from), Party::Vendor(vendor)),
    )
    .await?;
    let net = Money::sum(currency, totals.iter().map(|(_, t)| t.net));
    let tax = Money::sum(currency, totals.iter().map(|(_, t)| t.tax));
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO expenses (kind, vendor_id, date, due_date, paid_from, reference, memo, currency,
            net_minor, tax_minor, total_minor, receipt_id, entry_id, idempotency_key, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(if expense.paid_from.is_some() { "expense" } else { "bill" })
    .bind(vendor)
    .bind(expense.date)
    .bind(expense.due_date)
    .bind(expense.paid_from.as_ref().map(|c| c.0.clone()))
    .bind(&expense.reference)
    .bind(&expense.memo)
    .bind(currency.code())
    .bind(net.to_minor())
    .bind(tax.to_minor())
    .bind((net + tax).to_minor())
    .bind(expense.receipt_id)
    .bind(entry_id)
    .bind(&expense.idempotency_key)
    .bind(super::now_text())
    .fetch_one(&mut *conn)
    .await?;
    for (i, (split, (_, t))) in expense.splits.iter().zip(&totals).enumerate() {
        sqlx::query(
            "INSERT INTO expense_lines (expense_id, position, account_code, description, tax_rate_bp, net_minor, tax_minor)
             VALUES (?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(id)
        .bind(i as i64)
        .bind(&split.account.0)
        .bind(&split.description)
        .bind(super::to_scaled(split.tax_rate, 2).unwrap_or(0))
        .bind(t.net.to_minor())
        .bind(t.tax.to_minor())
        .execute(&mut *conn)
        .await?;
    }
    Ok(id)
}

fn kind_word(paid_from: &PaidFrom) -> &'static str {
    match paid_from {
        PaidFrom::Account(_) => "Expense",
        PaidFrom::Payables => "Bill",
    }
}

fn source(paid_from: &PaidFrom) -> &'static str {
    match paid_from {
        PaidFrom::Account(_) => "expense",
        PaidFrom::Payables => "bill",
    }
}

/// Refuses a receipt that does not exist or is already linked to another expense. The caller's
/// immediate transaction keeps the answer true until the expense is written.
async fn check_receipt_free(conn: &mut SqliteConnection, receipt: i64) -> Result<(), ExpenseError> {
    let (exists, linked): (i64, Option<i64>) = sqlx::query_as(
        "SELECT EXISTS (SELECT 1 FROM receipts WHERE id = ?1),
                (SELECT id FROM expenses WHERE receipt_id = ?1 LIMIT 1)",
    )
    .bind(receipt)
    .fetch_one(&mut *conn)
    .await?;
    if exists == 0 {
        return Err(ExpenseError::Invalid(
            "receipt_id",
            "that receipt file was not found; upload it again".into(),
        ));
    }
    if let Some(other) = linked {
        return Err(ExpenseError::Invalid(
            "receipt_id",
            format!("that receipt already belongs to expense {other}; upload the file again"),
        ));
    }
    Ok(())
}

/// Stores a receipt file (already checked for size and type) and returns its id.
pub async fn insert_receipt(
    conn: &mut SqliteConnection,
    receipt: &NewReceipt,
) -> sqlx::Result<i64> {
    let digest = hex::encode(sha2::Sha256::digest(&receipt.data));
    sqlx::query_scalar(
        "INSERT INTO receipts (file_name, content_type, size_bytes, sha256, data, created_at)
         VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(&receipt.file_name)
    .bind(&receipt.content_type)
    .bind(receipt.data.len() as i64)
    .bind(digest)
    .bind(&receipt.data)
    .bind(super::now_text())
    .fetch_one(conn)
    .await
}

/// A receipt file: its name, content type and bytes.
pub async fn get_receipt(
    conn: &mut SqliteConnection,
    id: i64,
) -> sqlx::Result<Option<(String, String, Vec<u8>)>> {
    sqlx::query_as("SELECT file_name, content_type, data FROM receipts WHERE id = ?")
        .bind(id)
        .fetch_optional(conn)
        .await
}

/// Pays (part of) a bill from a money account. A repeated key records nothing new.
pub async fn pay_bill(
    conn: &mut SqliteConnection,
    bill: i64,
    paid_on: NaiveDate,
    paid_from: &AccountCode,
    amount: Money,
    idempotency_key: &str,
) -> Result<i64, ExpenseError> {
    let earlier: Option<(i64, i64, i64)> = sqlx::query_as(
        "SELECT id, bill_id, amount_minor FROM bill_payments WHERE idempotency_key = ?",
    )
    .bind(idempotency_key)
    .fetch_optional(&mut *conn)
    .await?;
    if let Some((id, paid_bill, paid)) = earlier {
        if paid_bill != bill || paid != amount.to_minor() {
            return Err(ExpenseError::Conflict(
                "this form was already used for another payment; reload the page".into(),
            ));
        }
        return Ok(id);
    }
    let row: Option<(String, i64, i64, i64, String, NaiveDate, bool)> = sqlx::query_as(
        "SELECT e.kind, e.vendor_id, e.entry_id, e.total_minor - COALESCE((SELECT SUM(amount_minor) FROM bill_payments WHERE bill_id = e.id), 0),
            v.name, e.date, EXISTS (SELECT 1 FROM expense_voids x WHERE x.expense_id = e.id)
         FROM expenses e JOIN vendors v ON v.id = e.vendor_id WHERE e.id = ?",
    )
    .bind(bill)
    .fetch_optional(&mut *conn)
    .await?;
    let Some((kind, vendor, bill_entry, open, vendor_name, bill_date, void)) = row else {
        return Err(ExpenseError::NotFound);
    };
    if void {
        return Err(ExpenseError::Invalid(
            "amount",
            "this bill is void; nothing is owed on it".into(),
        ));
    }
    if kind != "bill" {
        return Err(ExpenseError::Invalid(
            "amount",
            "this expense was paid when it was recorded".into(),
        ));
    }
    let open = Money::from_minor(open, amount.currency());
    if amount > open {
        return Err(ExpenseError::Invalid(
            "amount",
            format!("only {open} is still owed on this bill"),
        ));
    }
    if paid_on < bill_date {
        return Err(ExpenseError::Invalid(
            "paid_on",
            "a bill cannot be paid before its date".into(),
        ));
    }
    if let Some(message) = ledger::locked_message(conn, paid_on).await? {
        return Err(ExpenseError::Invalid("paid_on", message));
    }
    if !matches!(
        account_kind(conn, &paid_from.0).await?,
        Some((_, true, false))
    ) {
        return Err(ExpenseError::Invalid(
            "paid_from",
            "choose a bank, cash or card account".into(),
        ));
    }
    let entry = bill_payment_entry(
        paid_on,
        format!("Bill paid to {vendor_name}"),
        amount,
        paid_from,
    )
    .map_err(anyhow::Error::from)?;
    let posted = Posted {
        settlements: vec![bill_settlement(conn, bill, bill_entry, amount).await?],
        ..Posted::new("bill_payment", Party::Vendor(vendor))
    };
    let entry_id = ledger::insert_entry(conn, &entry, posted).await?;
    let id = sqlx::query_scalar(
        "INSERT INTO bill_payments (bill_id, paid_on, paid_from, amount_minor, entry_id, idempotency_key, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(bill)
    .bind(paid_on)
    .bind(&paid_from.0)
    .bind(amount.to_minor())
    .bind(entry_id)
    .bind(idempotency_key)
    .bind(super::now_text())
    .fetch_one(&mut *conn)
    .await?;
    Ok(id)
}

/// Money paid against a bill now: on the cash basis it recognises the bill's expenses and
/// input tax, the final payment exactly what earlier ones left.
pub async fn bill_settlement(
    conn: &mut SqliteConnection,
    bill: i64,
    bill_entry: i64,
    amount: Money,
) -> anyhow::Result<Settlement> {
    super::cash_twin::bill_settlement(&mut Database(conn), bill, bill_entry, amount, None).await
}

/// Expenses and bills per page, newest first, with what is still owed on each bill.
pub async fn list_expenses(
    conn: &mut SqliteConnection,
    currency: Currency,
    page: u32,
    per_page: u32,
) -> sqlx::Result<Page<ExpenseSummary>> {
    let total: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM expenses")
        .fetch_one(&mut *conn)
        .await?;
    let page = page.max(1);
    let rows: Vec<ExpenseRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{SUMMARY_SELECT} ORDER BY e.date DESC, e.id DESC LIMIT ? OFFSET ?"
    )))
    .bind(i64::from(per_page))
    .bind(i64::from(page - 1) * i64::from(per_page))
    .fetch_all(conn)
    .await?;
    Ok(Page {
        items: rows.into_iter().map(|r| r.summary(currency)).collect(),
        total: total as u64,
        page,
        per_page,
    })
}

const SUMMARY_SELECT: &str = "SELECT e.id, e.kind, e.vendor_id, v.name AS vendor, e.date, e.due_date, e.memo, e.total_minor,
    e.total_minor - COALESCE((SELECT SUM(amount_minor) FROM bill_payments WHERE bill_id = e.id), 0) AS open_minor,
    (SELECT x.entry_id FROM expense_voids x WHERE x.expense_id = e.id) AS void_entry_id
    FROM expenses e JOIN vendors v ON v.id = e.vendor_id";

#[derive(sqlx::FromRow)]
struct ExpenseRow {
    id: i64,
    kind: String,
    vendor_id: i64,
    vendor: String,
    date: NaiveDate,
    due_date: Option<NaiveDate>,
    memo: String,
    total_minor: i64,
    open_minor: i64,
    void_entry_id: Option<i64>,
}

impl ExpenseRow {
    fn summary(self, currency: Currency) -> ExpenseSummary {
        let is_bill = self.kind == "bill";
        let open = if is_bill && self.void_entry_id.is_none() {
            self.open_minor
        } else {
            0
        };
        ExpenseSummary {
            id: self.id,
            is_bill,
            void_entry_id: self.void_entry_id,
            vendor_id: self.vendor_id,
            vendor: self.vendor,
            date: self.date,
            due_date: self.due_date,
            memo: self.memo,
            total: Money::from_minor(self.total_minor, currency),
            open: Money::from_minor(open, currency),
        }
    }
}

/// One expense or bill with its lines and payments.
pub async fn get_expense(
    conn: &mut SqliteConnection,
    currency: Currency,
    id: i64,
) -> sqlx::Result<Option<ExpenseDetail>> {
    let Some(summary) = list_one(conn, currency, id).await? else {
        return Ok(None);
    };
    let (paid_from, reference, net, tax, receipt, entry_id): (Option<String>, String, i64, i64, Option<i64>, i64) =
        sqlx::query_as("SELECT e.paid_from || ' ' || a.name, e.reference, e.net_minor, e.tax_minor, e.receipt_id, e.entry_id
            FROM expenses e LEFT JOIN accounts a ON a.code = e.paid_from WHERE e.id = ?")
            .bind(id)
            .fetch_one(&mut *conn)
            .await?;
    let lines: Vec<(String, String, String, i64, i64, i64)> = sqlx::query_as(
        "SELECT l.account_code, a.name, l.description, l.tax_rate_bp, l.net_minor, l.tax_minor
         FROM expense_lines l JOIN accounts a ON a.code = l.account_code WHERE l.expense_id = ? ORDER BY l.position",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    let payments: Vec<(NaiveDate, String, i64)> = sqlx::query_as(
        "SELECT b.paid_on, b.paid_from || ' ' || a.name, b.amount_minor FROM bill_payments b
         JOIN accounts a ON a.code = b.paid_from WHERE b.bill_id = ? ORDER BY b.id",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    let receipt_file: Option<(String, String)> = match receipt {
        Some(r) => {
            sqlx::query_as("SELECT file_name, content_type FROM receipts WHERE id = ?")
                .bind(r)
                .fetch_optional(&mut *conn)
                .await?
        }
        None => None,
    };
    let (receipt_name, receipt_type) = receipt_file.unzip();
    let money = |m| Money::from_minor(m, currency);
    Ok(Some(ExpenseDetail {
        summary,
        paid_from,
        reference,
        net: money(net),
        tax: money(tax),
        entry_id,
        receipt_id: receipt,
        receipt_name,
        receipt_type,
        lines: lines
            .into_iter()
            .map(
                |(account, account_name, description, rate, net, tax)| ExpenseLineView {
                    account,
                    account_name,
                    description,
                    tax_rate: super::from_scaled(rate, 2),
                    net: money(net),
                    tax: money(tax),
                },
            )
            .collect(),
        payments: payments
            .into_iter()
            .map(|(date, from, amount)| (date, from, money(amount)))
            .collect(),
    }))
}

async fn list_one(
    conn: &mut SqliteConnection,
    currency: Currency,
    id: i64,
) -> sqlx::Result<Option<ExpenseSummary>> {
    let row: Option<ExpenseRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{SUMMARY_SELECT} WHERE e.id = ?"
    )))
    .bind(id)
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|r| r.summary(currency)))
}

/// Accounts money is paid from, and accounts an expense can be booked to.
pub async fn expense_options(
    conn: &mut SqliteConnection,
) -> sqlx::Result<(Vec<(String, String)>, Vec<(String, String)>)> {
    let money: Vec<(String, String)> = sqlx::query_as(
        "SELECT code, name FROM accounts WHERE is_money = 1 AND archived = 0 ORDER BY code",
    )
    .fetch_all(&mut *conn)
    .await?;
    let targets: Vec<(String, String)> = sqlx::query_as(
        "SELECT code, name FROM accounts WHERE kind IN ('expense', 'asset') AND is_money = 0 AND archived = 0
         AND code NOT IN ('1100', '1200', ?, ?, ?) ORDER BY kind DESC, code",
    )
    .bind(NOT_SPENT_ON[0])
    .bind(NOT_SPENT_ON[1])
    .bind(NOT_SPENT_ON[2])
    .fetch_all(conn)
    .await?;
    Ok((money, targets))
}
