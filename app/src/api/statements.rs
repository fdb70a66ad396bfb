//! Customer statements: what a customer owed at the start of a period, every invoice,
//! void and payment in it, and what they owe at its end.

use super::error::AppError;
use super::types::CustomerStatement;
use crate::domain::CustomerId;
use leptos::prelude::*;
use server_fn::codec::Json;

/// The statement of a customer for `from`–`to` (empty: the start of this year to today where
/// the business is), for any signed-in user. The server's PDF download uses it too.
#[cfg(feature = "ssr")]
pub async fn load_statement(
    state: &super::context::AppState,
    customer: CustomerId,
    from: &str,
    to: &str,
) -> Result<CustomerStatement, AppError> {
    use super::context::{business, internal};
    use crate::store::statements::{customer_statement, StatementError};
    let settings = business(state).await?;
    let mut errors = super::FieldErrors::default();
    let period = super::books::period(&mut errors, from, to, settings.today());
    errors.into_result()?;
    let period = period.ok_or_else(|| AppError::invalid("from", "check the dates"))?;
    let mut conn = state.pool.acquire().await.map_err(internal)?;
    customer_statement(&mut conn, customer, period, &settings.name)
        .await
        .map_err(|e| match e {
            StatementError::NotFound => AppError::NotFound("The customer".into()),
            StatementError::TooLong => AppError::invalid("from", e.to_string()),
            StatementError::Store(e) => internal(e),
        })
}

#[server(endpoint = "get_customer_statement", input = Json)]
pub async fn get_customer_statement(
    customer: CustomerId,
    from: String,
    to: String,
) -> Result<CustomerStatement, AppError> {
    let (state, _) = super::context::require_user().await?;
    load_statement(&state, customer, &from, &to).await
}
