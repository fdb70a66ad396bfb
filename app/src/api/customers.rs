//! Customers: list, read, create, edit.

use super::error::AppError;
use super::types::{Customer, CustomerForm, Page};
use crate::domain::CustomerId;
use leptos::prelude::*;
use server_fn::codec::Json;

/// Rows per page of every list.
pub const PER_PAGE: u32 = 25;

#[server(endpoint = "list_customers", input = Json)]
pub async fn list_customers(search: String, page: u32) -> Result<Page<Customer>, AppError> {
    use super::context::{internal, require_user};
    let (state, _) = require_user().await?;
    let mut conn = state.pool.acquire().await.map_err(internal)?;
    crate::store::customers::list_customers(&mut conn, &search, page.max(1), PER_PAGE)
        .await
        .map_err(internal)
}

#[server(endpoint = "get_customer", input = Json)]
pub async fn get_customer(id: CustomerId) -> Result<Customer, AppError> {
    use super::context::require_user;
    let (state, _) = require_user().await?;
    load_customer(&state, id).await
}

/// One customer with their open balance and credit (server function and HTTP API).
#[cfg(feature = "ssr")]
pub async fn load_customer(
    state: &super::context::AppState,
    id: CustomerId,
) -> Result<Customer, AppError> {
    use super::context::internal;
    let mut conn = state.pool.acquire().await.map_err(internal)?;
    crate::store::customers::get_customer(&mut conn, id)
        .await
        .map_err(internal)?
        .ok_or(AppError::NotFound("The customer".into()))
}

/// Creates a customer (`id` is `None`) or updates one; returns its id.
#[server(endpoint = "save_customer", input = Json)]
pub async fn save_customer(
    id: Option<CustomerId>,
    form: CustomerForm,
) -> Result<CustomerId, AppError> {
    use super::context::require_writer;
    let (state, user) = require_writer().await?;
    save_customer_as(&state, &user, id, form).await
}

/// Creates a customer (`id` is `None`) or updates one, as `user`, who may change the books:
/// the server function and the HTTP API both come here.
#[cfg(feature = "ssr")]
pub async fn save_customer_as(
    state: &super::context::AppState,
    user: &crate::store::users::User,
    id: Option<CustomerId>,
    form: CustomerForm,
) -> Result<CustomerId, AppError> {
    use super::context::{business, internal};
    use super::FieldErrors;
    use crate::store::customers::{create_customer, update_customer, NewCustomer};
    let base = business(state).await?.base_currency;
    let mut errors = FieldErrors::default();
    let parsed = super::parse::customer(&mut errors, &form, base);
    errors.into_result()?;
    let Some((currency, payment_terms_days)) = parsed else {
        return Err(AppError::invalid("name", "check the form"));
    };
    let customer = NewCustomer {
        name: form.name.trim().to_string(),
        email: form.email.trim().to_string(),
        billing_address: form.billing_address.trim().to_string(),
        tax_id: form.tax_id.trim().to_string(),
        payment_reference: form.payment_reference.trim().to_string(),
        currency,
        payment_terms_days,
        notes: form.notes.trim().to_string(),
    };
    let mut tx = crate::store::begin_write(&state.pool, &super::context::actor(user))
        .await
        .map_err(internal)?;
    if let Some(other) =
        crate::store::customers::reference_holder(&mut tx, &customer.payment_reference, id)
            .await
            .map_err(internal)?
    {
        return Err(AppError::invalid(
            "payment_reference",
            format!("{other} already has this reference; each customer needs their own"),
        ));
    }
    if let Some(number) =
        crate::store::customers::document_with_number(&mut tx, &customer.payment_reference)
            .await
            .map_err(internal)?
    {
        return Err(AppError::invalid(
            "payment_reference",
            format!("{number} is a document's number; choose a reference of the customer's own"),
        ));
    }
    let id = match id {
        None => create_customer(&mut tx, &customer)
            .await
            .map_err(internal)?,
        Some(id)
            if update_customer(&mut tx, id, &customer)
                .await
                .map_err(internal)? =>
        {
            id
        }
        Some(_) => return Err(AppError::NotFound("The customer".into())),
    };
    tx.commit().await.map_err(internal)?;
    state.publish("customer");
    tracing::info!(customer = id.0, "customer saved");
    Ok(id)
}
