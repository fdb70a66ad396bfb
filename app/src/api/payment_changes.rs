//! After a payment: apply its credit, refund credit, reverse or refund the payment. Each
//! request carries an idempotency key; a retry returns the first answer and posts nothing.

use super::error::AppError;
use super::types::{ChangeReceipt, CreditForm, ReversalForm};
use crate::domain::CustomerId;
use leptos::prelude::*;
use server_fn::codec::Json;

#[cfg(feature = "ssr")]
fn change_error(e: crate::store::payment_changes::ChangeError) -> AppError {
    use crate::store::payment_changes::ChangeError;
    match e {
        ChangeError::NotFound(what) => AppError::NotFound(capitalised(what)),
        ChangeError::Invalid(field, message) => AppError::invalid(field, message),
        ChangeError::Locked(message) => AppError::invalid("date", message),
        ChangeError::AlreadyReversed(_)
        | ChangeError::CreditRefunded(_)
        | ChangeError::KeyReused
        | ChangeError::FromStatement(_) => AppError::Conflict(e.to_string()),
        ChangeError::Store(e) => super::context::internal(e),
    }
}

#[cfg(feature = "ssr")]
fn capitalised(what: &str) -> String {
    let mut chars = what.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

#[cfg(feature = "ssr")]
fn checked_key(key: &str) -> Result<String, AppError> {
    let key = key.trim();
    if key.len() < 8 || key.len() > 100 {
        return Err(AppError::invalid(
            "idempotency_key",
            "the form is missing its request key; reload the page",
        ));
    }
    Ok(key.to_string())
}

/// Reverses (a mistake) or refunds (money sent back) a whole payment: its entry is taken
/// back on the chosen day (by default the payment's own) and its invoices reopen.
#[server(endpoint = "reverse_payment", input = Json)]
pub async fn reverse_payment(form: ReversalForm) -> Result<ChangeReceipt, AppError> {
    use super::context::require_writer;
    let (state, user) = require_writer().await?;
    reverse_payment_as(&state, &user, form).await
}

/// Reverses or refunds a payment as `user`, who may change the books (server function and
/// HTTP API).
#[cfg(feature = "ssr")]
pub async fn reverse_payment_as(
    state: &super::context::AppState,
    user: &crate::store::users::User,
    form: ReversalForm,
) -> Result<ChangeReceipt, AppError> {
    use super::context::internal;
    use crate::store::payment_changes::{reverse_payment, Reversal};
    let key = checked_key(&form.idempotency_key)?;
    let today = super::context::business(state).await?.today();
    let mut tx = crate::store::begin_write(&state.pool, &super::context::actor(user))
        .await
        .map_err(internal)?;
    let date = match form.date.trim() {
        // By default the payment's own day, or the day its credit was last applied if later.
        "" => sqlx::query_scalar::<_, Option<chrono::NaiveDate>>(
            "SELECT MAX(day) FROM (SELECT received_on AS day FROM payments WHERE id = ?1
             UNION ALL SELECT j.date FROM allocations a JOIN journal_entries j ON j.id = a.entry_id
                WHERE a.payment_id = ?1)",
        )
        .bind(form.payment_id.0)
        .fetch_one(&mut *tx)
        .await
        .map_err(internal)?
        .ok_or(AppError::NotFound("The payment".into()))?,
        _ => {
            let mut errors = super::FieldErrors::default();
            let date = super::parse::date(&mut errors, "date", &form.date);
            errors.into_result()?;
            date.ok_or(AppError::invalid("date", "enter a date"))?
        }
    };
    if date > today {
        return Err(AppError::invalid("date", "choose today or an earlier day"));
    }
    let request = Reversal {
        payment: form.payment_id,
        kind: form.kind,
        date,
        idempotency_key: key,
    };
    let receipt = reverse_payment(&mut tx, &request)
        .await
        .map_err(change_error)?;
    tx.commit().await.map_err(internal)?;
    state.publish("payment");
    tracing::info!(
        payment = form.payment_id.0,
        kind = form.kind.key(),
        "payment taken back"
    );
    Ok(receipt)
}

/// Applies customer credit to an invoice (`invoice_id` set) or refunds it from a bank
/// account (`invoice_id` empty).
#[server(endpoint = "use_credit", input = Json)]
pub async fn use_credit(form: CreditForm) -> Result<ChangeReceipt, AppError> {
    use super::context::require_writer;
    let (state, user) = require_writer().await?;
    use_credit_as(&state, &user, form).await
}

/// Applies or refunds customer credit as `user`, who may change the books (server function
/// and HTTP API).
#[cfg(feature = "ssr")]
pub async fn use_credit_as(
    state: &super::context::AppState,
    user: &crate::store::users::User,
    form: CreditForm,
) -> Result<ChangeReceipt, AppError> {
    use super::context::{business, internal};
    use crate::store::payment_changes::{
        apply_credit, refund_credit, CreditApplication, CreditRefund,
    };
    let settings = business(state).await?;
    let key = checked_key(&form.idempotency_key)?;
    let mut errors = super::FieldErrors::default();
    let amount = super::parse::money(&mut errors, "amount", &form.amount, settings.base_currency);
    let date = match form.date.trim() {
        "" => Some(settings.today()),
        typed => super::parse::date(&mut errors, "date", typed),
    };
    if date.is_some_and(|d| d > settings.today()) {
        errors.add("date", "choose today or an earlier day");
    }
    errors.into_result()?;
    let (Some(amount), Some(date)) = (amount, date) else {
        return Err(AppError::invalid("amount", "check the form"));
    };
    let mut tx = crate::store::begin_write(&state.pool, &super::context::actor(user))
        .await
        .map_err(internal)?;
    let receipt = match form.invoice_id {
        Some(invoice) => {
            let request = CreditApplication {
                customer: form.customer_id,
                invoice,
                amount,
                date,
                idempotency_key: key,
            };
            apply_credit(&mut tx, &request).await
        }
        None => {
            let request = CreditRefund {
                customer: form.customer_id,
                amount,
                bank_account_id: form.bank_account_id.unwrap_or(1),
                date,
                idempotency_key: key,
            };
            refund_credit(&mut tx, &request).await
        }
    }
    .map_err(change_error)?;
    tx.commit().await.map_err(internal)?;
    state.publish("payment");
    tracing::info!(customer = form.customer_id.0, "customer credit used");
    Ok(receipt)
}

/// The customer credit a customer holds, to apply or refund.
#[server(endpoint = "get_customer_credit", input = Json)]
pub async fn get_customer_credit(
    customer_id: CustomerId,
) -> Result<crate::domain::Money, AppError> {
    use super::context::{business, internal, require_user};
    let (state, _) = require_user().await?;
    let currency = business(&state).await?.base_currency;
    let mut conn = state.pool.acquire().await.map_err(internal)?;
    let minor = crate::store::payment_changes::available_credit(&mut conn, customer_id)
        .await
        .map_err(internal)?;
    Ok(crate::domain::Money::from_minor(minor, currency))
}
