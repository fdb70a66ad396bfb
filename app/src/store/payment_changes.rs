//! What happens to a payment after it is recorded: its credit applied to a later invoice or
//! refunded, or the payment itself reversed or refunded. Each is recorded once per
//! idempotency key and posts in the caller's transaction; nothing recorded is ever changed.
//!
//! What each posts (debits positive):
//! - apply credit: Dr customer credits, Cr receivables; one entry per payment the credit is
//!   drawn from (oldest first), each with an allocation of that payment to the invoice.
//! - refund credit: Dr customer credits, Cr the chosen bank account.
//! - reverse or refund a payment: the negation of the payment's entry together with the
//!   entries that applied its credit, so the bank, the fee, receivables and customer credits
//!   all return to where they were; its allocations are released and the invoices reopen. A
//!   refund differs from a reversal only in its name and memo (the money went back to the
//!   customer rather than the payment being a mistake). A processor that keeps its fee on a
//!   refund charges a new fee, which is recorded as an expense of its own.

use super::cash_twin::Database;
use super::ledger::{self, Party, Posted};
use super::payments::invoice_settlement;
use crate::api::types::{ChangeReceipt, ReversalKind};
use crate::domain::posting::{accounts, reversing_postings};
use crate::domain::{Currency, CustomerId, InvoiceId, JournalEntry, Money, PaymentId, Posting};
use chrono::NaiveDate;
use sqlx::SqliteConnection;

#[derive(Debug, thiserror::Error)]
pub enum ChangeError {
    #[error("{0} was not found")]
    NotFound(&'static str),
    #[error("this payment was already {0}")]
    AlreadyReversed(String),
    #[error("{0} of this payment's credit was refunded to the customer; a payment whose money partly went back cannot be reversed")]
    CreditRefunded(Money),
    #[error("{0}")]
    Locked(String),
    #[error("{1}")]
    Invalid(&'static str, String),
    #[error("this request was already used for something else")]
    KeyReused,
    #[error("this payment was confirmed from the bank statement line of {0}: the bank says the money arrived, so it stays; apply any credit it left, or record the refund when the money goes back")]
    FromStatement(NaiveDate),
    #[error(transparent)]
    Store(#[from] anyhow::Error),
}

impl From<sqlx::Error> for ChangeError {
    fn from(e: sqlx::Error) -> Self {
        ChangeError::Store(e.into())
    }
}

/// A whole payment taken back.
#[derive(Clone, Debug)]
pub struct Reversal {
    pub payment: PaymentId,
    pub kind: ReversalKind,
    pub date: NaiveDate,
    pub idempotency_key: String,
}

/// Customer credit applied to one open invoice.
#[derive(Clone, Debug)]
pub struct CreditApplication {
    pub customer: CustomerId,
    pub invoice: InvoiceId,
    pub amount: Money,
    pub date: NaiveDate,
    pub idempotency_key: String,
}

/// Customer credit paid back from a bank account.
#[derive(Clone, Debug)]
pub struct CreditRefund {
    pub customer: CustomerId,
    pub amount: Money,
    pub bank_account_id: i64,
    pub date: NaiveDate,
    pub idempotency_key: String,
}

/// The answer recorded for a key, if the key was used; `KeyReused` when it was used for
/// different content.
async fn remembered(
    conn: &mut SqliteConnection,
    key: &str,
    content: &str,
) -> Result<Option<ChangeReceipt>, ChangeError> {
    let row: Option<(String, String)> =
        sqlx::query_as("SELECT content, result FROM payment_requests WHERE idempotency_key = ?")
            .bind(key)
            .fetch_optional(conn)
            .await?;
    match row {
        None => Ok(None),
        Some((stored, _)) if stored != content => Err(ChangeError::KeyReused),
        Some((_, result)) => Ok(Some(
            serde_json::from_str(&result).map_err(anyhow::Error::from)?,
        )),
    }
}

async fn remember(
    conn: &mut SqliteConnection,
    key: &str,
    kind: &str,
    content: &str,
    receipt: &ChangeReceipt,
) -> Result<(), ChangeError> {
    sqlx::query(
        "INSERT INTO payment_requests (idempotency_key, kind, content, result, created_at)
         VALUES (?, ?, ?, ?, ?)",
    )
    .bind(key)
    .bind(kind)
    .bind(content)
    .bind(serde_json::to_string(receipt).map_err(anyhow::Error::from)?)
    .bind(super::now_text())
    .execute(conn)
    .await?;
    Ok(())
}

async fn refuse_locked(conn: &mut SqliteConnection, date: NaiveDate) -> Result<(), ChangeError> {
    match ledger::locked_message(conn, date).await? {
        Some(message) => Err(ChangeError::Locked(message)),
        None => Ok(()),
    }
}

/// One payment's credit not yet applied or refunded.
struct CreditSource {
    payment: i64,
    available: i64,
}

/// The customer's payments received on or before `on` that still hold credit, oldest first:
/// credit cannot be used before the money that made it arrived.
async fn credit_sources(
    conn: &mut SqliteConnection,
    customer: CustomerId,
    on: NaiveDate,
) -> sqlx::Result<Vec<CreditSource>> {
    let rows: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT id, available FROM (
            SELECT p.id, p.received_on, p.amount_minor
                - COALESCE((SELECT SUM(amount_minor) FROM allocations WHERE payment_id = p.id), 0)
                - COALESCE((SELECT SUM(amount_minor) FROM credit_refunds WHERE payment_id = p.id), 0)
                AS available
            FROM payments p
            WHERE p.customer_id = ? AND p.received_on <= ?
                AND NOT EXISTS (SELECT 1 FROM payment_reversals r WHERE r.payment_id = p.id))
         WHERE available > 0 ORDER BY received_on, id",
    )
    .bind(customer.0)
    .bind(on)
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(payment, available)| CreditSource { payment, available })
        .collect())
}

/// The customer credit a customer holds (unallocated, unrefunded parts of payments not
/// reversed), in minor units.
pub async fn available_credit(
    conn: &mut SqliteConnection,
    customer: CustomerId,
) -> sqlx::Result<i64> {
    let any_day = NaiveDate::from_ymd_opt(9999, 12, 31).unwrap_or_default();
    Ok(credit_sources(conn, customer, any_day)
        .await?
        .iter()
        .map(|s| s.available)
        .sum())
}

/// Splits `wanted` over the sources oldest first: (payment, part) pairs.
fn draw(sources: &[CreditSource], wanted: i64) -> Vec<(i64, i64)> {
    let mut left = wanted;
    let mut parts = Vec::new();
    for source in sources {
        if left == 0 {
            break;
        }
        let part = source.available.min(left);
        parts.push((source.payment, part));
        left -= part;
    }
    parts
}

async fn customer_currency(
    conn: &mut SqliteConnection,
    customer: CustomerId,
) -> Result<Currency, ChangeError> {
    let code: Option<String> = sqlx::query_scalar("SELECT currency FROM customers WHERE id = ?")
        .bind(customer.0)
        .fetch_optional(conn)
        .await?;
    let code = code.ok_or(ChangeError::NotFound("the customer"))?;
    Ok(Currency::parse(&code).map_err(anyhow::Error::from)?)
}

/// Applies customer credit to one of the customer's open invoices.
pub async fn apply_credit(
    conn: &mut SqliteConnection,
    request: &CreditApplication,
) -> Result<ChangeReceipt, ChangeError> {
    let content = format!(
        "apply_credit:{}:{}:{}:{}",
        request.customer.0,
        request.invoice.0,
        request.amount.to_minor(),
        request.date
    );
    if let Some(receipt) = remembered(conn, &request.idempotency_key, &content).await? {
        return Ok(receipt);
    }
    let currency = customer_currency(conn, request.customer).await?;
    refuse_locked(conn, request.date).await?;
    let invoice: Option<(i64, Option<String>, NaiveDate)> =
        sqlx::query_as("SELECT customer_id, number, issue_date FROM invoices WHERE id = ? AND lifecycle = 'issued'")
            .bind(request.invoice.0)
            .fetch_optional(&mut *conn)
            .await?;
    let (owner, number, issued) = invoice.ok_or(ChangeError::NotFound("the invoice"))?;
    if owner != request.customer.0 {
        return Err(ChangeError::Invalid(
            "invoice_id",
            "credit applies only to the same customer's invoices".into(),
        ));
    }
    if request.date < issued {
        return Err(ChangeError::Invalid(
            "date",
            format!("the invoice was issued on {issued}; apply credit on or after that day"),
        ));
    }
    let open: i64 = sqlx::query_scalar(
        "SELECT COALESCE(MAX(open_minor), 0) FROM open_invoices WHERE invoice_id = ?",
    )
    .bind(request.invoice.0)
    .fetch_one(&mut *conn)
    .await?;
    let wanted = request.amount.to_minor();
    if wanted <= 0 || wanted > open {
        return Err(ChangeError::Invalid(
            "amount",
            format!(
                "apply more than zero and at most the {} open on this invoice",
                Money::from_minor(open, currency)
            ),
        ));
    }
    let sources = credit_sources(conn, request.customer, request.date).await?;
    let available: i64 = sources.iter().map(|s| s.available).sum();
    if wanted > available {
        return Err(ChangeError::Invalid(
            "amount",
            format!(
                "the customer had {} of credit on that day",
                Money::from_minor(available, currency)
            ),
        ));
    }
    let number = number.unwrap_or_default();
    let mut entry_ids = Vec::new();
    // One entry per payment drawn from, so reversing that payment later takes back exactly
    // its own part.
    for (payment, part) in draw(&sources, wanted) {
        let amount = Money::from_minor(part, currency);
        let entry = JournalEntry::new(
            request.date,
            format!("Customer credit applied to invoice {number}"),
            vec![
                Posting::debit(accounts::CUSTOMER_CREDITS, amount),
                Posting::credit(accounts::RECEIVABLES, amount),
            ],
        )
        .map_err(anyhow::Error::from)?;
        let settlement = invoice_settlement(conn, request.invoice, amount).await?;
        let posted = Posted {
            settlements: vec![settlement],
            ..Posted::new("credit_applied", Party::Customer(request.customer))
        };
        let entry_id = ledger::insert_entry(conn, &entry, posted).await?;
        sqlx::query(
            "INSERT INTO allocations (payment_id, invoice_id, amount_minor, entry_id) VALUES (?, ?, ?, ?)",
        )
        .bind(payment)
        .bind(request.invoice.0)
        .bind(part)
        .bind(entry_id)
        .execute(&mut *conn)
        .await?;
        entry_ids.push(entry_id);
    }
    let receipt = ChangeReceipt {
        amount: request.amount,
        entry_ids,
    };
    remember(
        conn,
        &request.idempotency_key,
        "apply_credit",
        &content,
        &receipt,
    )
    .await?;
    Ok(receipt)
}

/// Pays customer credit back out of a bank account.
pub async fn refund_credit(
    conn: &mut SqliteConnection,
    request: &CreditRefund,
) -> Result<ChangeReceipt, ChangeError> {
    let content = format!(
        "refund_credit:{}:{}:{}:{}",
        request.customer.0,
        request.amount.to_minor(),
        request.bank_account_id,
        request.date
    );
    if let Some(receipt) = remembered(conn, &request.idempotency_key, &content).await? {
        return Ok(receipt);
    }
    let currency = customer_currency(conn, request.customer).await?;
    refuse_locked(conn, request.date).await?;
    let bank = super::bank_accounts::by_id(conn, request.bank_account_id)
        .await?
        .filter(|b| !b.archived)
        .ok_or(ChangeError::Invalid(
            "bank_account_id",
            "choose the bank account the money leaves from".into(),
        ))?;
    let sources = credit_sources(conn, request.customer, request.date).await?;
    let available: i64 = sources.iter().map(|s| s.available).sum();
    let wanted = request.amount.to_minor();
    if wanted <= 0 || wanted > available {
        return Err(ChangeError::Invalid(
            "amount",
            format!(
                "refund more than zero and at most the customer's credit on that day, {}",
                Money::from_minor(available, currency)
            ),
        ));
    }
    let entry = JournalEntry::new(
        request.date,
        "Customer credit refunded".to_string(),
        vec![
            Posting::debit(accounts::CUSTOMER_CREDITS, request.amount),
            Posting::credit(&bank.account_code, request.amount),
        ],
    )
    .map_err(anyhow::Error::from)?;
    let posted = Posted::new("credit_refund", Party::Customer(request.customer));
    let entry_id = ledger::insert_entry(conn, &entry, posted).await?;
    for (payment, part) in draw(&sources, wanted) {
        sqlx::query(
            "INSERT INTO credit_refunds (payment_id, amount_minor, refunded_on, bank_account_id, entry_id)
             VALUES (?, ?, ?, ?, ?)",
        )
        .bind(payment)
        .bind(part)
        .bind(request.date)
        .bind(bank.id)
        .bind(entry_id)
        .execute(&mut *conn)
        .await?;
    }
    let receipt = ChangeReceipt {
        amount: request.amount,
        entry_ids: vec![entry_id],
    };
    remember(
        conn,
        &request.idempotency_key,
        "refund_credit",
        &content,
        &receipt,
    )
    .await?;
    Ok(receipt)
}

/// The entries a payment posted: its own and those that applied its credit later.
pub(super) async fn payment_entries(
    conn: &mut SqliteConnection,
    payment: i64,
) -> sqlx::Result<Vec<i64>> {
    sqlx::query_scalar(
        "SELECT entry_id FROM payments WHERE id = ?1
         UNION SELECT entry_id FROM allocations WHERE payment_id = ?1 AND entry_id IS NOT NULL
         ORDER BY 1",
    )
    .bind(payment)
    .fetch_all(conn)
    .await
}

/// The cash-basis twin of a payment's reversal: the negation of the twins of everything the
/// payment posted.
async fn reversal_twin(conn: &mut SqliteConnection, payment: i64) -> anyhow::Result<Vec<Posting>> {
    super::cash_twin::payment_reversal_twin(&mut Database(conn), payment).await
}

/// Reverses or refunds a whole payment: see the module's notes for what it posts.
pub async fn reverse_payment(
    conn: &mut SqliteConnection,
    request: &Reversal,
) -> Result<ChangeReceipt, ChangeError> {
    let content = format!(
        "{}:{}:{}",
        request.kind.key(),
        request.payment.0,
        request.date
    );
    if let Some(receipt) = remembered(conn, &request.idempotency_key, &content).await? {
        return Ok(receipt);
    }
    let row: Option<(i64, i64, String, NaiveDate)> = sqlx::query_as(
        "SELECT customer_id, amount_minor, currency, received_on FROM payments WHERE id = ?",
    )
    .bind(request.payment.0)
    .fetch_optional(&mut *conn)
    .await?;
    let (customer, amount, currency, received_on) =
        row.ok_or(ChangeError::NotFound("the payment"))?;
    let currency = Currency::parse(&currency).map_err(anyhow::Error::from)?;
    let earlier: Option<String> =
        sqlx::query_scalar("SELECT kind FROM payment_reversals WHERE payment_id = ?")
            .bind(request.payment.0)
            .fetch_optional(&mut *conn)
            .await?;
    if let Some(kind) = earlier {
        let done = if kind == "refund" {
            "refunded"
        } else {
            "reversed"
        };
        return Err(ChangeError::AlreadyReversed(done.into()));
    }
    // A payment confirmed from an imported statement line is what the bank reported; undoing
    // it here would leave the line matched to nothing.
    let from_statement: Option<NaiveDate> =
        sqlx::query_scalar("SELECT booking_date FROM bank_lines WHERE payment_id = ?")
            .bind(request.payment.0)
            .fetch_optional(&mut *conn)
            .await?;
    if let Some(day) = from_statement {
        return Err(ChangeError::FromStatement(day));
    }
    let refunded: i64 = sqlx::query_scalar(
        "SELECT COALESCE(SUM(amount_minor), 0) FROM credit_refunds WHERE payment_id = ?",
    )
    .bind(request.payment.0)
    .fetch_one(&mut *conn)
    .await?;
    if refunded > 0 {
        return Err(ChangeError::CreditRefunded(Money::from_minor(
            refunded, currency,
        )));
    }
    if request.date < received_on {
        return Err(ChangeError::Invalid(
            "date",
            format!("the payment was received on {received_on}; choose that day or later"),
        ));
    }
    // Its credit applied later is taken back too, so not before the last of those days.
    let applied: Option<NaiveDate> = sqlx::query_scalar(
        "SELECT MAX(j.date) FROM allocations a JOIN journal_entries j ON j.id = a.entry_id
         WHERE a.payment_id = ?",
    )
    .bind(request.payment.0)
    .fetch_one(&mut *conn)
    .await?;
    if let Some(applied) = applied.filter(|d| request.date < *d) {
        return Err(ChangeError::Invalid(
            "date",
            format!("its credit was applied on {applied}; choose that day or later"),
        ));
    }
    // An invoice written off after this payment would be left open with its write-off used.
    let written_off: Option<String> = sqlx::query_scalar(
        "SELECT i.number FROM allocations a JOIN invoices i ON i.id = a.invoice_id
         JOIN write_offs w ON w.invoice_id = i.id WHERE a.payment_id = ? LIMIT 1",
    )
    .bind(request.payment.0)
    .fetch_optional(&mut *conn)
    .await?;
    if let Some(number) = written_off {
        return Err(ChangeError::Invalid(
            "payment_id",
            format!("{number} was written off after this payment; reversing it would reopen a balance already written off. Record a credit note or a manual entry instead"),
        ));
    }
    refuse_locked(conn, request.date).await?;
    let entries = payment_entries(conn, request.payment.0).await?;
    let mut postings = Vec::new();
    for entry in &entries {
        postings.extend(ledger::get_entry(conn, *entry).await?.postings().to_vec());
    }
    let memo = match request.kind {
        ReversalKind::Reversal => format!("Payment {} reversed", request.payment.0),
        ReversalKind::Refund => format!("Payment {} refunded to the customer", request.payment.0),
    };
    let entry = JournalEntry::new(request.date, memo, reversing_postings(&postings))
        .map_err(anyhow::Error::from)?;
    let posted = Posted {
        twin: Some(reversal_twin(conn, request.payment.0).await?),
        ..Posted::new(
            match request.kind {
                ReversalKind::Reversal => "payment_reversal",
                ReversalKind::Refund => "payment_refund",
            },
            Party::Customer(CustomerId(customer)),
        )
    };
    let entry_id = ledger::insert_entry(conn, &entry, posted).await?;
    sqlx::query(
        "INSERT INTO payment_reversals (payment_id, kind, reversed_on, entry_id, created_at)
         VALUES (?, ?, ?, ?, ?)",
    )
    .bind(request.payment.0)
    .bind(request.kind.key())
    .bind(request.date)
    .bind(entry_id)
    .bind(super::now_text())
    .execute(&mut *conn)
    .await?;
    let receipt = ChangeReceipt {
        amount: Money::from_minor(amount, currency),
        entry_ids: vec![entry_id],
    };
    let kind = request.kind.key();
    remember(conn, &request.idempotency_key, kind, &content, &receipt).await?;
    Ok(receipt)
}
