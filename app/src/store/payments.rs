//! Payments: recorded once (idempotency key), allocated to open invoices, posted in the same
//! transaction.

use super::cash_twin::{self, Database};
use super::ledger::{Party, Posted};
use super::{invoices, ledger};
use crate::api::types::{Page, PaymentMethod, PaymentReceipt, PaymentSummary};
use crate::domain::cash_basis::Settlement;
use crate::domain::posting::{check_fee, payment_entry_with_fee, PaymentFee};
use crate::domain::{
    allocate_payment, AllocationError, Currency, CustomerId, Excess, InvoiceId, Money, PaymentId,
};
use chrono::NaiveDate;
use sqlx::SqliteConnection;

/// A payment as validated, before it is allocated.
#[derive(Clone, Debug)]
pub struct NewPayment {
    pub customer: CustomerId,
    /// The bank account (`bank_accounts.id`) the money arrived in.
    pub bank_account_id: i64,
    pub amount: Money,
    pub received_on: NaiveDate,
    pub method: PaymentMethod,
    pub reference: String,
    pub requested: Vec<(InvoiceId, Money)>,
    pub excess: Excess,
    pub idempotency_key: String,
    /// A processor's fee kept back from the amount, if any.
    pub fee: Option<Fee>,
}

/// A fee on a payment: its amount and the expense account it posts to.
#[derive(Clone, Debug, PartialEq)]
pub struct Fee {
    pub account: String,
    pub amount: Money,
}

#[derive(Debug, thiserror::Error)]
pub enum PaymentError {
    #[error("customer not found")]
    CustomerNotFound,
    #[error("choose the bank account the money arrived in")]
    BankAccountNotFound,
    #[error("this customer is billed in {0}; record the payment in that currency")]
    WrongCurrency(Currency),
    #[error(transparent)]
    Allocation(#[from] AllocationError),
    #[error("{0}")]
    Locked(String),
    #[error("this request was already used for a different payment")]
    KeyReused,
    #[error("{0}")]
    Fee(String),
    #[error(transparent)]
    Store(#[from] anyhow::Error),
}

impl From<sqlx::Error> for PaymentError {
    fn from(e: sqlx::Error) -> Self {
        PaymentError::Store(e.into())
    }
}

/// Records a payment and its allocations and posts its entry. A repeated call with the same
/// idempotency key returns the first result and records nothing new.
pub async fn record_payment(
    conn: &mut SqliteConnection,
    payment: &NewPayment,
) -> Result<PaymentReceipt, PaymentError> {
    if let Some(receipt) = find_by_key(conn, payment).await? {
        return Ok(receipt);
    }
    // The customer and the lock date in one query: each statement is a round trip, and every
    // payment waits for the ones before it (see `api::payment_writer`).
    let (currency, customer_name, lock): (Option<String>, Option<String>, Option<NaiveDate>) =
        sqlx::query_as(
            "SELECT (SELECT currency FROM customers WHERE id = ?1),
                (SELECT name FROM customers WHERE id = ?1),
                (SELECT lock_date FROM business WHERE id = 1)",
        )
        .bind(payment.customer.0)
        .fetch_one(&mut *conn)
        .await?;
    let (Some(currency), Some(customer_name)) = (currency, customer_name) else {
        return Err(PaymentError::CustomerNotFound);
    };
    let currency = Currency::parse(&currency).map_err(anyhow::Error::from)?;
    if currency != payment.amount.currency() {
        return Err(PaymentError::WrongCurrency(currency));
    }
    let bank = super::bank_accounts::by_id(conn, payment.bank_account_id)
        .await?
        .filter(|b| !b.archived)
        .ok_or(PaymentError::BankAccountNotFound)?;
    if let Some(message) = ledger::lock_message(lock, payment.received_on) {
        return Err(PaymentError::Locked(message));
    }
    let fee = match &payment.fee {
        Some(fee) => fee.clone(),
        None => Fee {
            account: crate::domain::posting::accounts::PAYMENT_FEES.to_string(),
            amount: Money::zero(currency),
        },
    };
    check_fee(payment.amount, fee.amount).map_err(|e| PaymentError::Fee(e.to_string()))?;
    if !fee.amount.is_zero() && !is_expense_account(conn, &fee.account).await? {
        return Err(PaymentError::Fee(
            "choose an expense account for the fee".into(),
        ));
    }
    let open =
        invoices::open_invoices(conn, payment.customer, currency, payment.received_on).await?;
    let plan = allocate_payment(payment.amount, &payment.requested, &open, payment.excess)?;
    // The memo names the customer so the bank's register reads without opening each entry.
    let memo = format!(
        "Payment received from {customer_name} ({})",
        payment.method.label()
    );
    let entry = payment_entry_with_fee(
        payment.received_on,
        memo,
        &bank.account_code,
        payment.amount,
        &PaymentFee {
            account: &fee.account,
            amount: fee.amount,
        },
        &plan,
    )
    .map_err(anyhow::Error::from)?;
    let mut settlements = Vec::new();
    for (invoice, amount) in &plan.allocations {
        settlements.push(invoice_settlement(conn, *invoice, *amount).await?);
    }
    let posted = Posted {
        settlements,
        ..Posted::new("payment", Party::Customer(payment.customer))
    };
    let entry_id = ledger::insert_entry(conn, &entry, posted).await?;
    let payment_id: i64 = sqlx::query_scalar(
        "INSERT INTO payments (customer_id, received_on, amount_minor, currency, method, reference, idempotency_key,
            entry_id, created_at, bank_account_id, fee_minor, fee_account)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(payment.customer.0)
    .bind(payment.received_on)
    .bind(payment.amount.to_minor())
    .bind(currency.code())
    .bind(payment.method.key())
    .bind(&payment.reference)
    .bind(&payment.idempotency_key)
    .bind(entry_id)
    .bind(super::now_text())
    .bind(bank.id)
    .bind(fee.amount.to_minor())
    .bind((!fee.amount.is_zero()).then_some(&fee.account))
    .fetch_one(&mut *conn)
    .await?;
    if !plan.allocations.is_empty() {
        let mut insert = sqlx::QueryBuilder::<sqlx::Sqlite>::new(
            "INSERT INTO allocations (payment_id, invoice_id, amount_minor) ",
        );
        insert.push_values(&plan.allocations, |mut row, (invoice, amount)| {
            row.push_bind(payment_id)
                .push_bind(invoice.0)
                .push_bind(amount.to_minor());
        });
        insert.build().execute(&mut *conn).await?;
    }
    Ok(PaymentReceipt {
        payment_id: PaymentId(payment_id),
        amount: payment.amount,
        allocated: plan.allocations,
        credit: plan.credit,
    })
}

/// Money received against an invoice now: it credits receivables, and on the cash basis
/// recognises the invoice's revenue and tax in proportion (after any credit notes, see
/// `domain::cash_basis::invoice_payment_settlement`).
pub async fn invoice_settlement(
    conn: &mut SqliteConnection,
    invoice: InvoiceId,
    amount: Money,
) -> anyhow::Result<Settlement> {
    cash_twin::invoice_settlement(&mut Database(conn), invoice.0, amount, None).await
}

/// Whether `code` is an expense account of the chart.
pub async fn is_expense_account(conn: &mut SqliteConnection, code: &str) -> sqlx::Result<bool> {
    let kind: Option<String> = sqlx::query_scalar("SELECT kind FROM accounts WHERE code = ?")
        .bind(code)
        .fetch_optional(conn)
        .await?;
    Ok(kind.as_deref() == Some("expense"))
}

async fn find_by_key(
    conn: &mut SqliteConnection,
    payment: &NewPayment,
) -> Result<Option<PaymentReceipt>, PaymentError> {
    let row: Option<(i64, i64, i64, String, NaiveDate, String)> = sqlx::query_as(
        "SELECT id, customer_id, amount_minor, currency, received_on, method FROM payments
         WHERE idempotency_key = ?1 AND fee_minor = ?2 AND COALESCE(bank_account_id, 1) = ?3
         UNION ALL
         -- the same key with another fee or bank account: a different payment
         SELECT 0, 0, 0, currency, received_on, '' FROM payments
         WHERE idempotency_key = ?1 AND NOT (fee_minor = ?2 AND COALESCE(bank_account_id, 1) = ?3)",
    )
    .bind(&payment.idempotency_key)
    .bind(payment.fee.as_ref().map_or(0, |f| f.amount.to_minor()))
    .bind(payment.bank_account_id)
    .fetch_optional(&mut *conn)
    .await?;
    let Some((id, customer, amount_minor, currency, received_on, method)) = row else {
        return Ok(None);
    };
    let currency = Currency::parse(&currency).map_err(anyhow::Error::from)?;
    let amount = Money::from_minor(amount_minor, currency);
    // The same key with different content is a client bug, not a retry: refuse it.
    let same = customer == payment.customer.0
        && amount == payment.amount
        && received_on == payment.received_on
        && method == payment.method.key();
    if !same {
        return Err(PaymentError::KeyReused);
    }
    let rows: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT invoice_id, amount_minor FROM allocations WHERE payment_id = ? AND entry_id IS NULL
         ORDER BY id",
    )
    .bind(id)
    .fetch_all(conn)
    .await?;
    let allocated: Vec<(InvoiceId, Money)> = rows
        .into_iter()
        .map(|(i, m)| (InvoiceId(i), Money::from_minor(m, currency)))
        .collect();
    let credit = amount - Money::sum(currency, allocated.iter().map(|(_, m)| *m));
    Ok(Some(PaymentReceipt {
        payment_id: PaymentId(id),
        amount,
        allocated,
        credit,
    }))
}

type PaymentRow = (
    i64,
    i64,
    String,
    NaiveDate,
    String,
    String,
    i64,
    i64,
    Option<String>,
    String,
    i64,
    bool,
);

/// Every payment received, newest first, one page at a time.
pub async fn list_payments(
    conn: &mut SqliteConnection,
    currency: Currency,
    page: u32,
    per_page: u32,
) -> anyhow::Result<Page<PaymentSummary>> {
    let total: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM payments")
        .fetch_one(&mut *conn)
        .await?;
    // The paid invoices travel as "id:number" pairs joined by commas; numbers never hold
    // either character.
    let rows: Vec<PaymentRow> = sqlx::query_as(
        "SELECT p.id, p.customer_id, c.name, p.received_on, p.method, p.reference, p.amount_minor,
            COALESCE((SELECT SUM(a.amount_minor) FROM allocations a WHERE a.payment_id = p.id), 0),
            (SELECT GROUP_CONCAT(i.id || ':' || i.number, ',') FROM allocations a
                JOIN invoices i ON i.id = a.invoice_id WHERE a.payment_id = p.id),
            (SELECT b.name FROM bank_accounts b WHERE b.id = COALESCE(p.bank_account_id, 1)),
            p.fee_minor,
            EXISTS (SELECT 1 FROM payment_reversals r WHERE r.payment_id = p.id)
         FROM payments p JOIN customers c ON c.id = p.customer_id
         ORDER BY p.received_on DESC, p.id DESC LIMIT ? OFFSET ?",
    )
    .bind(i64::from(per_page))
    .bind(i64::from(page.saturating_sub(1)) * i64::from(per_page))
    .fetch_all(conn)
    .await?;
    let items = rows
        .into_iter()
        .map(
            |(
                id,
                customer,
                name,
                received_on,
                method,
                reference,
                amount,
                allocated,
                paid,
                bank_account,
                fee,
                reversed,
            )| {
                let invoices = paid
                    .unwrap_or_default()
                    .split(',')
                    .filter_map(|pair| pair.split_once(':'))
                    .filter_map(|(id, number)| {
                        Some((InvoiceId(id.parse().ok()?), number.to_string()))
                    })
                    .collect();
                PaymentSummary {
                    id: PaymentId(id),
                    customer_id: CustomerId(customer),
                    customer_name: name,
                    received_on,
                    method,
                    reference,
                    amount: Money::from_minor(amount, currency),
                    allocated: Money::from_minor(allocated, currency),
                    invoices,
                    bank_account,
                    fee: Money::from_minor(fee, currency),
                    reversed,
                }
            },
        )
        .collect();
    Ok(Page {
        items,
        total: total as u64,
        page,
        per_page,
    })
}
