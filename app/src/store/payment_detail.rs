//! One payment read back whole: its bank account, fee, allocations, credit and reversal.

use crate::api::types::{PaymentAllocation, PaymentDetail, ReversalKind};
use crate::domain::{Currency, CustomerId, InvoiceId, Money, PaymentId};
use chrono::NaiveDate;
use sqlx::SqliteConnection;

type Row = (
    i64,
    String,
    NaiveDate,
    String,
    String,
    String,
    i64,
    String,
    i64,
    Option<String>,
    i64,
);

/// The payment `id`, or `None`.
pub async fn get_payment(
    conn: &mut SqliteConnection,
    id: PaymentId,
) -> anyhow::Result<Option<PaymentDetail>> {
    let row: Option<Row> = sqlx::query_as(
        "SELECT p.customer_id, c.name, p.received_on, p.method, p.reference,
            (SELECT b.name FROM bank_accounts b WHERE b.id = COALESCE(p.bank_account_id, 1)),
            p.amount_minor, p.currency, p.fee_minor, p.fee_account,
            COALESCE((SELECT SUM(amount_minor) FROM credit_refunds WHERE payment_id = p.id), 0)
         FROM payments p JOIN customers c ON c.id = p.customer_id WHERE p.id = ?",
    )
    .bind(id.0)
    .fetch_optional(&mut *conn)
    .await?;
    let Some((
        customer,
        name,
        received_on,
        method,
        reference,
        bank,
        amount,
        currency,
        fee,
        fee_account,
        refunded,
    )) = row
    else {
        return Ok(None);
    };
    let currency = Currency::parse(&currency)?;
    let money = |minor| Money::from_minor(minor, currency);
    let rows: Vec<(i64, Option<String>, i64, bool)> = sqlx::query_as(
        "SELECT a.invoice_id, i.number, a.amount_minor, a.entry_id IS NOT NULL FROM allocations a
         JOIN invoices i ON i.id = a.invoice_id WHERE a.payment_id = ? ORDER BY a.id",
    )
    .bind(id.0)
    .fetch_all(&mut *conn)
    .await?;
    let reversal: Option<(String, NaiveDate)> =
        sqlx::query_as("SELECT kind, reversed_on FROM payment_reversals WHERE payment_id = ?")
            .bind(id.0)
            .fetch_optional(&mut *conn)
            .await?;
    let allocated: i64 = rows.iter().map(|r| r.2).sum();
    let allocations = rows
        .into_iter()
        .map(|(invoice, number, minor, from_credit)| PaymentAllocation {
            invoice_id: InvoiceId(invoice),
            number: number.unwrap_or_default(),
            amount: money(minor),
            from_credit,
        })
        .collect();
    let reversal = reversal.map(|(kind, day)| {
        let kind = if kind == "refund" {
            ReversalKind::Refund
        } else {
            ReversalKind::Reversal
        };
        (kind, day)
    });
    let credit_left = if reversal.is_some() {
        0
    } else {
        amount - allocated - refunded
    };
    Ok(Some(PaymentDetail {
        id,
        customer_id: CustomerId(customer),
        customer_name: name,
        received_on,
        method,
        reference,
        bank_account: bank,
        amount: money(amount),
        fee: money(fee),
        fee_account,
        allocations,
        credit_refunded: money(refunded),
        credit_left: money(credit_left),
        reversal,
    }))
}
