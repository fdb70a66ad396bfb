//! The dashboard and the trial balance.

use super::error::AppError;
use super::types::{Dashboard, TrialBalance};
use leptos::prelude::*;
use server_fn::codec::Json;

#[server(endpoint = "get_dashboard", input = Json)]
pub async fn get_dashboard() -> Result<Dashboard, AppError> {
    use super::context::{business, internal, require_user};
    let (state, _) = require_user().await?;
    let settings = business(&state).await?;
    let mut conn = state.pool.acquire().await.map_err(internal)?;
    crate::store::dashboard::dashboard(&mut conn, settings.base_currency, settings.today())
        .await
        .map_err(internal)
}

/// The trial balance as of a day (empty: today in the business's time zone).
#[server(endpoint = "get_trial_balance", input = Json)]
pub async fn get_trial_balance(as_of: String) -> Result<TrialBalance, AppError> {
    use super::context::{business, internal, require_user};
    use super::FieldErrors;
    let (state, _) = require_user().await?;
    let settings = business(&state).await?;
    let as_of = if as_of.trim().is_empty() {
        settings.today()
    } else {
        let mut errors = FieldErrors::default();
        let date = super::parse::date(&mut errors, "as_of", &as_of);
        errors.into_result()?;
        date.unwrap_or_else(|| settings.today())
    };
    let mut conn = state.pool.acquire().await.map_err(internal)?;
    crate::store::ledger::trial_balance(&mut conn, settings.base_currency, as_of)
        .await
        .map_err(internal)
}
