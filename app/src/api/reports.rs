//! The dashboard.

use super::error::AppError;
use super::types::Dashboard;
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
