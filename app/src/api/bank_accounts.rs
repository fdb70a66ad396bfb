//! Bank accounts: list, open and archive the accounts money arrives in and leaves from.

use super::error::AppError;
use super::types::BankAccount;
use leptos::prelude::*;
use server_fn::codec::Json;

/// Every bank account, open ones first.
#[server(endpoint = "list_bank_accounts", input = Json)]
pub async fn list_bank_accounts() -> Result<Vec<BankAccount>, AppError> {
    use super::context::{internal, require_user};
    let (state, _) = require_user().await?;
    let mut conn = state.pool.acquire().await.map_err(internal)?;
    crate::store::bank_accounts::list(&mut conn)
        .await
        .map_err(internal)
}

/// Opens a bank account with its own ledger account; the IBAN is optional but checked.
#[server(endpoint = "create_bank_account", input = Json)]
pub async fn create_bank_account(name: String, iban: String) -> Result<BankAccount, AppError> {
    use super::context::{internal, require_writer};
    use crate::store::bank_accounts::{create, BankAccountError};
    let (state, user) = require_writer().await?;
    let iban = match iban.trim() {
        "" => String::new(),
        typed => crate::domain::profile::parse_iban(typed)
            .map_err(|why| AppError::invalid("iban", why))?,
    };
    let mut tx = crate::store::begin_write(&state.pool, &super::context::actor(&user))
        .await
        .map_err(internal)?;
    let account = create(&mut tx, &name, &iban).await.map_err(|e| match e {
        BankAccountError::Invalid(field, message) => AppError::invalid(field, message),
        BankAccountError::Store(e) => internal(e),
    })?;
    tx.commit().await.map_err(internal)?;
    state.publish("bank_account");
    tracing::info!(bank_account = account.id, "bank account opened");
    Ok(account)
}

/// Archives a bank account: its history stays, new payments cannot choose it.
#[server(endpoint = "archive_bank_account", input = Json)]
pub async fn archive_bank_account(id: i64) -> Result<(), AppError> {
    use super::context::{internal, require_writer};
    use crate::store::bank_accounts::{archive, BankAccountError};
    let (state, user) = require_writer().await?;
    let mut tx = crate::store::begin_write(&state.pool, &super::context::actor(&user))
        .await
        .map_err(internal)?;
    archive(&mut tx, id).await.map_err(|e| match e {
        BankAccountError::Invalid(_, message) => AppError::Conflict(message),
        BankAccountError::Store(e) => internal(e),
    })?;
    tx.commit().await.map_err(internal)?;
    state.publish("bank_account");
    Ok(())
}
