//! Customer statements: one customer's receivables and credit over a period, read from the
//! postings of their sub-ledgers with the invoices and payments behind each entry.

use crate::api::types::{CustomerStatement, StatementBalance, StatementLine, StatementLineKind};
use crate::domain::posting::accounts;
use crate::domain::{Currency, CustomerId, InvoiceId, Money, PaymentId, Period};
use chrono::{Days, NaiveDate};
use sqlx::SqliteConnection;

/// The most lines one statement shows; a longer period is refused rather than cut short.
pub const MAX_LINES: i64 = 5_000;

/// Why a statement could not be made.
#[derive(Debug, thiserror::Error)]
pub enum StatementError {
    #[error("customer not found")]
    NotFound,
    #[error("more than {MAX_LINES} lines; choose a shorter period")]
    TooLong,
    #[error(transparent)]
    Store(#[from] anyhow::Error),
}

impl From<sqlx::Error> for StatementError {
    fn from(e: sqlx::Error) -> Self {
        StatementError::Store(e.into())
    }
}

/// The statement of `customer` for `period`, headed with `business_name`.
pub async fn customer_statement(
    conn: &mut SqliteConnection,
    customer: CustomerId,
    period: Period,
    business_name: &str,
) -> Result<CustomerStatement, StatementError> {
    let row: Option<(String, String, String, String)> =
        sqlx::query_as("SELECT name, billing_address, email, currency FROM customers WHERE id = ?")
            .bind(customer.0)
            .fetch_optional(&mut *conn)
            .await?;
    let (name, address, email, currency) = row.ok_or(StatementError::NotFound)?;
    let currency = Currency::parse(&currency).map_err(anyhow::Error::from)?;
    let opening = match period.from.checked_sub_days(Days::new(1)) {
        Some(day_before) => balance(conn, customer, currency, day_before).await?,
        None => balance_of(0, 0, currency),
    };
    let closing = balance(conn, customer, currency, period.to).await?;
    let mut lines = movements(conn, customer, currency, period).await?;
    let mut running = opening.owed;
    for line in &mut lines {
        running = running + line.amount;
        line.balance = running;
    }
    Ok(CustomerStatement {
        customer_id: customer,
        customer_name: name,
        customer_address: address,
        customer_email: email,
        business_name: business_name.to_string(),
        currency,
        period,
        opening,
        lines,
        closing,
    })
}

fn balance_of(receivable: i64, credit: i64, currency: Currency) -> StatementBalance {
    StatementBalance {
        receivable: Money::from_minor(receivable, currency),
        credit: Money::from_minor(credit, currency),
        owed: Money::from_minor(receivable - credit, currency),
    }
}

/// Receivables and credit held at the end of `as_of`, from the customer's postings.
async fn balance(
    conn: &mut SqliteConnection,
    customer: CustomerId,
    currency: Currency,
    as_of: NaiveDate,
) -> sqlx::Result<StatementBalance> {
    let (receivable, credit): (i64, i64) = sqlx::query_as(
        "SELECT COALESCE(SUM(CASE WHEN account_code = ?2 THEN amount_minor END), 0),
                COALESCE(-SUM(CASE WHEN account_code = ?3 THEN amount_minor END), 0)
         FROM postings WHERE customer_id = ?1 AND account_code IN (?2, ?3) AND date <= ?4",
    )
    .bind(customer.0)
    .bind(accounts::RECEIVABLES)
    .bind(accounts::CUSTOMER_CREDITS)
    .bind(as_of)
    .fetch_one(conn)
    .await?;
    Ok(balance_of(receivable, credit, currency))
}

#[derive(sqlx::FromRow)]
struct MovementRow {
    date: NaiveDate,
    source: String,
    memo: String,
    amount_minor: i64,
    issued: Option<i64>,
    issued_number: Option<String>,
    due_date: Option<NaiveDate>,
    voided: Option<i64>,
    voided_number: Option<String>,
    payment: Option<i64>,
    method: Option<String>,
    reference: Option<String>,
}

/// Every entry that moved the customer's receivables or credit in the period, oldest first;
/// balances are left at zero for the caller to run.
async fn movements(
    conn: &mut SqliteConnection,
    customer: CustomerId,
    currency: Currency,
    period: Period,
) -> Result<Vec<StatementLine>, StatementError> {
    // Receivables and credit together: a payment that leaves credit lowers what is owed by
    // the whole amount received.
    let rows: Vec<MovementRow> = sqlx::query_as(
        "SELECT e.date, e.source, e.memo, SUM(p.amount_minor) AS amount_minor,
            iss.id AS issued, iss.number AS issued_number, iss.due_date,
            vd.id AS voided, vd.number AS voided_number,
            pay.id AS payment, pay.method, pay.reference
         FROM postings p JOIN journal_entries e ON e.id = p.entry_id
         LEFT JOIN invoices iss ON iss.customer_id = ?1 AND iss.issue_entry_id = e.id
         LEFT JOIN invoices vd ON vd.customer_id = ?1 AND vd.void_entry_id = e.id
         LEFT JOIN payments pay ON pay.customer_id = ?1 AND pay.entry_id = e.id
         WHERE p.customer_id = ?1 AND p.account_code IN (?2, ?3) AND p.date BETWEEN ?4 AND ?5
         GROUP BY e.id ORDER BY e.date, e.id LIMIT ?6",
    )
    .bind(customer.0)
    .bind(accounts::RECEIVABLES)
    .bind(accounts::CUSTOMER_CREDITS)
    .bind(period.from)
    .bind(period.to)
    .bind(MAX_LINES + 1)
    .fetch_all(&mut *conn)
    .await?;
    if rows.len() as i64 > MAX_LINES {
        return Err(StatementError::TooLong);
    }
    let settled: Vec<(i64, i64, Option<String>, i64)> = sqlx::query_as(
        "SELECT a.payment_id, a.invoice_id, i.number, a.amount_minor
         FROM payments pay JOIN allocations a ON a.payment_id = pay.id JOIN invoices i ON i.id = a.invoice_id
         -- what the payment settled when received; a later reversal or credit application is
         -- a line of its own
         WHERE pay.customer_id = ?1 AND pay.received_on BETWEEN ?2 AND ?3 AND a.entry_id IS NULL
         ORDER BY a.id",
    )
    .bind(customer.0)
    .bind(period.from)
    .bind(period.to)
    .fetch_all(&mut *conn)
    .await?;
    let money = |minor| Money::from_minor(minor, currency);
    Ok(rows
        .into_iter()
        .map(|r| {
            let settled: Vec<(InvoiceId, String, Money)> = match r.payment {
                Some(payment) => settled
                    .iter()
                    .filter(|(p, ..)| *p == payment)
                    .map(|(_, i, number, m)| {
                        (InvoiceId(*i), number.clone().unwrap_or_default(), money(*m))
                    })
                    .collect(),
                None => Vec::new(),
            };
            let (kind, description) = describe(&r, &settled, currency);
            StatementLine {
                date: r.date,
                kind,
                description,
                invoice_id: r.issued.or(r.voided).map(InvoiceId),
                payment_id: r.payment.map(PaymentId),
                settled,
                amount: money(r.amount_minor),
                balance: Money::zero(currency),
            }
        })
        .collect())
}

fn describe(
    r: &MovementRow,
    settled: &[(InvoiceId, String, Money)],
    currency: Currency,
) -> (StatementLineKind, String) {
    let number = |n: &Option<String>| n.clone().unwrap_or_default();
    if r.issued.is_some() && r.source == "invoice" {
        let due = r
            .due_date
            .map(|d| format!(", due {}", d.format("%-d %b %Y")))
            .unwrap_or_default();
        let text = format!("Invoice {}{due}", number(&r.issued_number));
        return (StatementLineKind::InvoiceIssued, text);
    }
    if r.voided.is_some() {
        let text = format!("Invoice {} voided", number(&r.voided_number));
        return (StatementLineKind::InvoiceVoided, text);
    }
    if r.payment.is_some() {
        let method = r
            .method
            .as_deref()
            .and_then(crate::api::types::PaymentMethod::from_key)
            .map_or("", |m| m.label());
        let mut text = format!("Payment received ({method})");
        if let Some(reference) = r.reference.as_deref().filter(|s| !s.is_empty()) {
            text.push_str(&format!(", ref. {reference}"));
        }
        let applied = Money::sum(currency, settled.iter().map(|(_, _, m)| *m));
        let received = -Money::from_minor(r.amount_minor, currency);
        // One invoice paid with the whole amount needs no amount repeated after its number.
        let whole = settled.len() == 1 && applied == received;
        let parts: Vec<String> = settled
            .iter()
            .map(|(_, n, m)| {
                if whole {
                    n.clone()
                } else {
                    format!("{n} {}", crate::domain::money::group_thousands(m.amount()))
                }
            })
            .collect();
        if !parts.is_empty() {
            text.push_str(&format!(": paid {}", parts.join(", ")));
        }
        let credit = received - applied;
        if credit.is_positive() {
            text.push_str(&format!(
                "; {} kept as credit",
                crate::domain::money::group_thousands(credit.amount())
            ));
        }
        return (StatementLineKind::PaymentReceived, text);
    }
    (StatementLineKind::Other, r.memo.clone())
}
