//! Payments: recorded once (idempotency key), allocated to open invoices, posted in the same
//! transaction.

use super::cash_twin::{self, Database};
use crate::api::types::{Page, PaymentMethod, PaymentReceipt, PaymentSummary};
use crate::domain::cash_basis::Settlement;
use crate::domain::{AllocationError, Currency, CustomerId, Excess, InvoiceId, Money, PaymentId};
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
    // One way to record, alone or many together: see `store::payment_batch`.
    super::payment_batch::record_payments(conn, &[payment])
        .await?
        .pop()
        .unwrap_or_else(|| Err(anyhow::anyhow!("the payment was not recorded").into()))
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

pub(super) async fn find_by_key(
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
