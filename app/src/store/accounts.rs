//! The chart of accounts and short option lists for forms.

use crate::api::types::{AccountOption, CustomerOption};
use crate::domain::CustomerId;
use sqlx::SqliteConnection;

pub async fn revenue_accounts(conn: &mut SqliteConnection) -> sqlx::Result<Vec<AccountOption>> {
    let rows: Vec<(String, String)> =
        sqlx::query_as("SELECT code, name FROM accounts WHERE kind = 'revenue' ORDER BY code")
            .fetch_all(conn)
            .await?;
    Ok(rows
        .into_iter()
        .map(|(code, name)| AccountOption { code, name })
        .collect())
}

pub async fn customer_options(conn: &mut SqliteConnection) -> sqlx::Result<Vec<CustomerOption>> {
    let rows: Vec<(i64, String, i64)> = sqlx::query_as(
        "SELECT id, name, payment_terms_days FROM customers ORDER BY name COLLATE NOCASE",
    )
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, name, terms)| CustomerOption {
            id: CustomerId(id),
            name,
            payment_terms_days: terms as u32,
        })
        .collect())
}
