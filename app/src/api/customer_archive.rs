//! Archiving, restoring and deleting customers, and the list of archived ones.

use super::error::AppError;
use super::types::{Customer, Page};
use crate::domain::CustomerId;
use leptos::prelude::*;
use server_fn::codec::Json;

#[cfg(feature = "ssr")]
fn archive_error(e: crate::store::customer_archive::ArchiveError) -> AppError {
    use crate::store::customer_archive::ArchiveError;
    match e {
        ArchiveError::NotFound => AppError::NotFound("The customer".into()),
        ArchiveError::Refused(why) => AppError::Conflict(why),
        ArchiveError::Store(e) => super::context::internal(e),
    }
}

/// Archived customers, by name.
#[server(endpoint = "list_archived_customers", input = Json)]
pub async fn list_archived_customers(page: u32) -> Result<Page<Customer>, AppError> {
    use super::context::{internal, require_user};
    let (state, _) = require_user().await?;
    let mut conn = state.pool.acquire().await.map_err(internal)?;
    crate::store::customer_archive::list_archived(
        &mut conn,
        page.max(1),
        super::customers::PER_PAGE,
    )
    .await
    .map_err(internal)
}

/// Archives a customer (`archived` true) or restores one.
#[server(endpoint = "archive_customer", input = Json)]
pub async fn archive_customer(id: CustomerId, archived: bool) -> Result<(), AppError> {
    use super::context::{internal, require_writer};
    let (state, user) = require_writer().await?;
    let mut tx = crate::store::begin_write(&state.pool, &super::context::actor(&user))
        .await
        .map_err(internal)?;
    crate::store::customer_archive::set_archived(&mut tx, id, archived)
        .await
        .map_err(archive_error)?;
    tx.commit().await.map_err(internal)?;
    state.publish("customer");
    tracing::info!(customer = id.0, archived, "customer archived or restored");
    Ok(())
}

/// Deletes a customer that no document names; one that documents name is refused, saying
/// what names them.
#[server(endpoint = "delete_customer", input = Json)]
pub async fn delete_customer(id: CustomerId) -> Result<(), AppError> {
    use super::context::{internal, require_writer};
    let (state, user) = require_writer().await?;
    let mut tx = crate::store::begin_write(&state.pool, &super::context::actor(&user))
        .await
        .map_err(internal)?;
    crate::store::customer_archive::delete(&mut tx, id)
        .await
        .map_err(archive_error)?;
    tx.commit().await.map_err(internal)?;
    state.publish("customer");
    tracing::info!(customer = id.0, "customer deleted");
    Ok(())
}

/// Refuses a new document for an archived customer.
#[cfg(feature = "ssr")]
pub async fn refuse_if_archived(
    conn: &mut sqlx::SqliteConnection,
    id: CustomerId,
    field: &str,
) -> Result<(), AppError> {
    match crate::store::customer_archive::archived_name(conn, id)
        .await
        .map_err(super::context::internal)?
    {
        Some(name) => Err(AppError::invalid(
            field,
            format!("{name} is archived; restore them on their page first"),
        )),
        None => Ok(()),
    }
}
