//! The chart of accounts: listing with balances, adding, renaming and archiving accounts.

use super::error::AppError;
use super::types::{AccountForm, AccountRow};
use leptos::prelude::*;
use server_fn::codec::Json;

#[server(endpoint = "list_accounts", input = Json)]
pub async fn list_accounts() -> Result<Vec<AccountRow>, AppError> {
    use super::context::require_user;
    let (state, _) = require_user().await?;
    load_accounts(&state).await
}

/// The chart of accounts with each account's balance as of today (server function and API).
#[cfg(feature = "ssr")]
pub async fn load_accounts(state: &super::context::AppState) -> Result<Vec<AccountRow>, AppError> {
    use super::context::{business, internal};
    let settings = business(state).await?;
    let mut conn = state.pool.acquire().await.map_err(internal)?;
    crate::store::accounts::list_accounts(&mut conn, settings.base_currency, settings.today())
        .await
        .map_err(internal)
}

#[cfg(feature = "ssr")]
fn account_error(e: crate::store::accounts::AccountError) -> AppError {
    use crate::store::accounts::AccountError;
    match e {
        AccountError::Invalid(field, message) => AppError::invalid(field, message),
        AccountError::Store(e) => super::context::internal(e),
    }
}

/// Adds an account (`is_new`) or renames and regroups an existing one.
#[server(endpoint = "save_account", input = Json)]
pub async fn save_account(form: AccountForm, is_new: bool) -> Result<(), AppError> {
    use super::context::{internal, require_writer};
    use crate::domain::chart::valid_account_code;
    use crate::domain::AccountKind;
    use crate::store::accounts::AccountChange;
    let (state, user) = require_writer().await?;
    let mut errors = super::FieldErrors::default();
    let code = form.code.trim().to_string();
    if !valid_account_code(&code) {
        errors.add("code", "use 1 to 10 digits, like 6150");
    }
    let name = super::parse::text(&mut errors, "name", &form.name, 80);
    if name.is_empty() {
        errors.add("name", "give the account a name");
    }
    let kind = AccountKind::parse(form.kind.trim());
    if kind.is_none() {
        errors.add(
            "kind",
            "choose asset, liability, equity, revenue or expense",
        );
    }
    errors.into_result()?;
    let kind = kind.ok_or_else(|| AppError::invalid("kind", "choose a kind"))?;
    let parent = Some(form.parent.trim().to_string()).filter(|p| !p.is_empty());
    let change = AccountChange {
        code,
        name,
        kind,
        parent,
        is_money: form.is_money && matches!(kind, AccountKind::Asset | AccountKind::Liability),
    };
    let mut tx = crate::store::begin_write(&state.pool, &super::context::actor(&user))
        .await
        .map_err(internal)?;
    if is_new {
        crate::store::accounts::create_account(&mut tx, &change).await
    } else {
        crate::store::accounts::update_account(&mut tx, &change).await
    }
    .map_err(account_error)?;
    tx.commit().await.map_err(internal)?;
    state.publish("account");
    tracing::info!(code = %change.code, is_new, "account saved");
    Ok(())
}

/// Archives or restores an account.
#[server(endpoint = "archive_account", input = Json)]
pub async fn archive_account(code: String, archived: bool) -> Result<(), AppError> {
    use super::context::{internal, require_writer};
    let (state, user) = require_writer().await?;
    let mut tx = crate::store::begin_write(&state.pool, &super::context::actor(&user))
        .await
        .map_err(internal)?;
    crate::store::accounts::set_archived(&mut tx, code.trim(), archived)
        .await
        .map_err(account_error)?;
    tx.commit().await.map_err(internal)?;
    state.publish("account");
    Ok(())
}
