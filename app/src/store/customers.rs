//! Customers, with their open balance and credit read from the ledger's sub-ledgers.

use crate::api::types::{Customer, Page};
use crate::domain::posting::accounts;
use crate::domain::{Currency, CustomerId, Money};
use sqlx::SqliteConnection;

/// A customer's details after validation.
#[derive(Clone, Debug)]
pub struct NewCustomer {
    pub name: String,
    pub email: String,
    pub billing_address: String,
    pub tax_id: String,
    pub payment_reference: String,
    pub currency: Currency,
    pub payment_terms_days: u32,
    pub notes: String,
}

pub(super) type CustomerRow = (
    i64,
    String,
    String,
    String,
    String,
    String,
    String,
    i64,
    String,
    i64,
    i64,
    bool,
);

pub(super) const SELECT: &str = "SELECT c.id, c.name, c.email, c.billing_address, c.tax_id, c.payment_reference,
        c.currency, c.payment_terms_days, c.notes,
        COALESCE((SELECT SUM(amount_minor) FROM postings WHERE customer_id = c.id AND account_code = ?1), 0),
        COALESCE((SELECT -SUM(amount_minor) FROM postings WHERE customer_id = c.id AND account_code = ?2), 0),
        c.archived_at IS NOT NULL
    FROM customers c";

pub(super) fn to_customer(row: CustomerRow) -> anyhow::Result<Customer> {
    let (
        id,
        name,
        email,
        billing_address,
        tax_id,
        reference,
        currency,
        terms,
        notes,
        open,
        credit,
        archived,
    ) = row;
    let currency = Currency::parse(&currency)?;
    Ok(Customer {
        id: CustomerId(id),
        name,
        email,
        billing_address,
        tax_id,
        payment_reference: reference,
        currency,
        payment_terms_days: terms as u32,
        notes,
        open_balance: Money::from_minor(open, currency),
        credit: Money::from_minor(credit, currency),
        archived,
    })
}

pub async fn get_customer(
    conn: &mut SqliteConnection,
    id: CustomerId,
) -> anyhow::Result<Option<Customer>> {
    let row: Option<CustomerRow> =
        sqlx::query_as(sqlx::AssertSqlSafe(format!("{SELECT} WHERE c.id = ?3")))
            .bind(accounts::RECEIVABLES)
            .bind(accounts::CUSTOMER_CREDITS)
            .bind(id.0)
            .fetch_optional(conn)
            .await?;
    row.map(to_customer).transpose()
}

/// Customers (not archived) whose name or email contains `search`, by name, one page at a
/// time.
pub async fn list_customers(
    conn: &mut SqliteConnection,
    search: &str,
    page: u32,
    per_page: u32,
) -> anyhow::Result<Page<Customer>> {
    let pattern = super::like_pattern(search);
    let total: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM customers
         WHERE (name LIKE ?1 ESCAPE '\\' OR email LIKE ?1 ESCAPE '\\') AND archived_at IS NULL",
    )
    .bind(&pattern)
    .fetch_one(&mut *conn)
    .await?;
    let rows: Vec<CustomerRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{SELECT} WHERE (c.name LIKE ?3 ESCAPE '\\' OR c.email LIKE ?3 ESCAPE '\\')
            AND c.archived_at IS NULL ORDER BY c.name COLLATE NOCASE, c.id LIMIT ?4 OFFSET ?5"
    )))
    .bind(accounts::RECEIVABLES)
    .bind(accounts::CUSTOMER_CREDITS)
    .bind(&pattern)
    .bind(i64::from(per_page))
    .bind(i64::from(page.saturating_sub(1)) * i64::from(per_page))
    .fetch_all(conn)
    .await?;
    let items = rows
        .into_iter()
        .map(to_customer)
        .collect::<anyhow::Result<Vec<_>>>()?;
    Ok(Page {
        items,
        total: total as u64,
        page,
        per_page,
    })
}

pub async fn create_customer(
    conn: &mut SqliteConnection,
    c: &NewCustomer,
) -> sqlx::Result<CustomerId> {
    let id = sqlx::query_scalar(
        "INSERT INTO customers (name, email, billing_address, tax_id, currency, payment_terms_days, notes,
            created_at, payment_reference)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(&c.name)
    .bind(&c.email)
    .bind(&c.billing_address)
    .bind(&c.tax_id)
    .bind(c.currency.code())
    .bind(i64::from(c.payment_terms_days))
    .bind(&c.notes)
    .bind(super::now_text())
    .bind(&c.payment_reference)
    .fetch_one(conn)
    .await?;
    Ok(CustomerId(id))
}

/// Updates details. The currency of a customer with invoices stays as it is: their documents
/// and sub-ledger are in it.
pub async fn update_customer(
    conn: &mut SqliteConnection,
    id: CustomerId,
    c: &NewCustomer,
) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "UPDATE customers SET name = ?1, email = ?2, billing_address = ?3, tax_id = ?4,
             currency = CASE WHEN EXISTS (SELECT 1 FROM invoices WHERE customer_id = ?8) THEN currency ELSE ?5 END,
             payment_terms_days = ?6, notes = ?7, payment_reference = ?9
         WHERE id = ?8",
    )
    .bind(&c.name)
    .bind(&c.email)
    .bind(&c.billing_address)
    .bind(&c.tax_id)
    .bind(c.currency.code())
    .bind(i64::from(c.payment_terms_days))
    .bind(&c.notes)
    .bind(id.0)
    .bind(&c.payment_reference)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The name of another customer (not `except`) whose payment reference reads the same as
/// `reference`, ignoring case, spaces and punctuation as the bank matcher does.
pub async fn reference_holder(
    conn: &mut SqliteConnection,
    reference: &str,
    except: Option<CustomerId>,
) -> sqlx::Result<Option<String>> {
    let wanted = reference_key(reference);
    if wanted.is_empty() {
        return Ok(None);
    }
    let rows: Vec<(i64, String, String)> = sqlx::query_as(
        "SELECT id, name, payment_reference FROM customers WHERE payment_reference <> ''",
    )
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .find(|(id, _, r)| Some(CustomerId(*id)) != except && reference_key(r) == wanted)
        .map(|(_, name, _)| name))
}

fn reference_key(reference: &str) -> String {
    reference
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// The invoice, credit note or quote whose number reads the same as `reference` (ignoring
/// case, spaces and punctuation), if any: such a reference would match that document's
/// payments to the wrong customer.
pub async fn document_with_number(
    conn: &mut SqliteConnection,
    reference: &str,
) -> sqlx::Result<Option<String>> {
    let wanted = reference_key(reference);
    if wanted.is_empty() {
        return Ok(None);
    }
    let numbers: Vec<String> = sqlx::query_scalar(
        "SELECT number FROM invoices WHERE number IS NOT NULL
         UNION ALL SELECT number FROM credit_notes
         UNION ALL SELECT number FROM quotes WHERE number IS NOT NULL",
    )
    .fetch_all(conn)
    .await?;
    Ok(numbers.into_iter().find(|n| reference_key(n) == wanted))
}
