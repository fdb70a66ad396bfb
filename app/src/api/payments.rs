//! Recording received payments.

use super::error::AppError;
use super::types::{Page, PaymentDetail, PaymentForm, PaymentReceipt, PaymentSummary};
use crate::domain::PaymentId;
use leptos::prelude::*;
use server_fn::codec::Json;

/// Records a payment once per idempotency key, allocates it and posts it, in one transaction.
#[server(endpoint = "record_payment", input = Json)]
pub async fn record_payment(form: PaymentForm) -> Result<PaymentReceipt, AppError> {
    use super::context::require_writer;
    let (state, user) = require_writer().await?;
    // Keys of this shape are the HTTP API's, one namespace per token: a form may not take
    // one and so block a client's later request.
    if form.idempotency_key.trim().starts_with("api-token:") {
        return Err(AppError::invalid(
            "idempotency_key",
            "this request key is reserved; reload the page",
        ));
    }
    record_payment_as(&state, &user, form).await
}

/// Records a payment as `user`, who may change the books (server function and HTTP API).
#[cfg(feature = "ssr")]
pub async fn record_payment_as(
    state: &super::context::AppState,
    user: &crate::store::users::User,
    form: PaymentForm,
) -> Result<PaymentReceipt, AppError> {
    use super::context::{business, internal};
    use super::{parse, FieldErrors};
    use crate::domain::posting::{accounts::PAYMENT_FEES, check_fee};
    use crate::domain::{AllocationError, Excess};
    use crate::store::payments::{Fee, NewPayment, PaymentError};
    let settings = business(state).await?;
    let currency = settings.base_currency;
    let mut errors = FieldErrors::default();
    if form.customer_id.is_none() {
        errors.add("customer_id", "choose the customer who paid");
    }
    let key = form.idempotency_key.trim().to_string();
    if key.len() < 8 || key.len() > 100 {
        errors.add(
            "idempotency_key",
            "the form is missing its request key; reload the page",
        );
    }
    let amount = parse::money(&mut errors, "amount", &form.amount, currency);
    if amount.is_some_and(|a| !a.is_positive()) {
        errors.add("amount", "the amount must be more than zero");
    }
    let received_on = parse::date(&mut errors, "received_on", &form.received_on);
    let reference = parse::text(&mut errors, "reference", &form.reference, 200);
    if received_on.is_some_and(|d| d > settings.today()) {
        errors.add("received_on", "a payment cannot be received in the future");
    }
    let mut requested = Vec::new();
    for (invoice, text) in form
        .allocations
        .iter()
        .filter(|(_, t)| !t.trim().is_empty())
    {
        if let Some(part) = parse::money(
            &mut errors,
            &format!("allocation.{invoice}"),
            text,
            currency,
        ) {
            requested.push((*invoice, part));
        }
    }
    let fee = match form.fee.trim() {
        "" => None,
        typed => parse::money(&mut errors, "fee", typed, currency).map(|amount| Fee {
            account: form
                .fee_account
                .clone()
                .filter(|a| !a.trim().is_empty())
                .unwrap_or_else(|| PAYMENT_FEES.to_string()),
            amount,
        }),
    };
    if let (Some(amount), Some(fee)) = (amount, &fee) {
        if let Err(e) = check_fee(amount, fee.amount) {
            errors.add("fee", e.to_string());
        }
    }
    errors.into_result()?;
    let (Some(customer), Some(amount), Some(received_on)) = (form.customer_id, amount, received_on)
    else {
        return Err(AppError::invalid("amount", "check the form"));
    };
    let payment = NewPayment {
        customer,
        bank_account_id: form.bank_account_id.unwrap_or(1),
        amount,
        received_on,
        method: form.method,
        reference,
        requested,
        excess: if form.keep_excess_as_credit {
            Excess::KeepAsCredit
        } else {
            Excess::Refuse
        },
        idempotency_key: key,
        fee,
    };
    // Committed (durably) together with the payments that arrived alongside, each on its own.
    let receipt = state
        .payments
        .record(payment, super::context::actor(user))
        .await
        .map_err(|e| match e {
            PaymentError::CustomerNotFound => {
                AppError::invalid("customer_id", "choose the customer who paid")
            }
            PaymentError::BankAccountNotFound => {
                AppError::invalid("bank_account_id", e.to_string())
            }
            PaymentError::WrongCurrency(c) => {
                AppError::invalid("amount", format!("this customer pays in {c}"))
            }
            PaymentError::Allocation(AllocationError::ExceedsOpenBalance {
                invoice, open, ..
            }) => AppError::invalid(
                &format!("allocation.{invoice}"),
                format!("only {open} is open on this invoice"),
            ),
            PaymentError::Allocation(e) => AppError::invalid("amount", e.to_string()),
            PaymentError::KeyReused => AppError::Conflict(e.to_string()),
            PaymentError::Fee(message) => AppError::invalid("fee", message),
            PaymentError::Locked(message) => AppError::invalid("received_on", message),
            PaymentError::Store(e) => internal(e),
        })?;
    state.publish("payment");
    tracing::info!(
        payment = receipt.payment_id.0,
        customer = customer.0,
        "payment recorded"
    );
    Ok(receipt)
}

/// One page of every payment received, newest first.
#[server(endpoint = "list_payments", input = Json)]
pub async fn list_payments(page: u32) -> Result<Page<PaymentSummary>, AppError> {
    use super::context::{business, internal, require_user};
    use super::customers::PER_PAGE;
    let (state, _) = require_user().await?;
    let currency = business(&state).await?.base_currency;
    let mut conn = state.pool.acquire().await.map_err(internal)?;
    crate::store::payments::list_payments(&mut conn, currency, page.max(1), PER_PAGE)
        .await
        .map_err(internal)
}

/// Everything about one payment: bank account, fee, allocations, credit, reversal.
#[server(endpoint = "get_payment", input = Json)]
pub async fn get_payment(id: PaymentId) -> Result<PaymentDetail, AppError> {
    use super::context::require_user;
    let (state, _) = require_user().await?;
    load_payment(&state, id).await
}

/// One payment with its allocations, credit and reversal (server function and HTTP API).
#[cfg(feature = "ssr")]
pub async fn load_payment(
    state: &super::context::AppState,
    id: PaymentId,
) -> Result<PaymentDetail, AppError> {
    use super::context::internal;
    let mut conn = state.pool.acquire().await.map_err(internal)?;
    crate::store::payment_detail::get_payment(&mut conn, id)
        .await
        .map_err(internal)?
        .ok_or(AppError::NotFound("The payment".into()))
}
