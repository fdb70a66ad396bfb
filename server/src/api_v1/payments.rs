//! Payments over the API: record (with allocations), allocate unapplied credit, refund. The
//! request's Idempotency-Key becomes the payment's own key, so the books refuse a second
//! payment under it even apart from the API's kept answers.

use super::idempotency::RequestKey;
use super::sales::{created, page_ids, path_id, Reply};
use super::{json_body, page_of, ApiError, Caller, ListPage, PageQuery};
use app::api::context::AppState;
use app::api::types::{
    ChangeReceipt, CreditForm, PaymentDetail, PaymentForm, PaymentMethod, ReversalForm,
    ReversalKind,
};
use app::domain::{CustomerId, InvoiceId, PaymentId};
use app::store::listing::Listed;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::{Extension, Json};
use serde::Deserialize;

pub async fn list_payments(
    State(state): State<AppState>,
    Query(query): Query<PageQuery>,
) -> Reply<ListPage<PaymentDetail>> {
    let (ids, limit) = page_ids(&state, Listed::Payments, &query).await?;
    let state = &state;
    Ok(Json(
        page_of(ids, limit, |id| async move {
            app::api::payments::load_payment(state, PaymentId(id)).await
        })
        .await?,
    ))
}

pub async fn get_payment(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Reply<PaymentDetail> {
    let id = PaymentId(path_id(&id)?);
    Ok(Json(app::api::payments::load_payment(&state, id).await?))
}

/// Part of a payment going to one invoice.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AllocationInput {
    pub invoice_id: i64,
    pub amount: String,
}

/// A payment received; amounts as decimal strings, `received_on` as YYYY-MM-DD.
#[derive(Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PaymentInput {
    pub customer_id: Option<i64>,
    pub amount: String,
    pub received_on: String,
    pub method: PaymentMethod,
    /// Empty: the first bank account.
    pub bank_account_id: Option<i64>,
    pub reference: String,
    pub allocations: Vec<AllocationInput>,
    /// What is not allocated becomes customer credit (true) or the payment is refused.
    pub keep_excess_as_credit: bool,
    pub fee: String,
    pub fee_account: Option<String>,
}

impl Default for PaymentInput {
    fn default() -> PaymentInput {
        PaymentInput {
            customer_id: None,
            amount: String::new(),
            received_on: String::new(),
            method: PaymentMethod::BankTransfer,
            bank_account_id: None,
            reference: String::new(),
            allocations: Vec::new(),
            keep_excess_as_credit: true,
            fee: String::new(),
            fee_account: None,
        }
    }
}

pub async fn record_payment(
    State(state): State<AppState>,
    Extension(caller): Caller,
    Extension(RequestKey(key)): Extension<RequestKey>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let input: PaymentInput = json_body(&headers, &body)?;
    let form = PaymentForm {
        customer_id: input.customer_id.map(CustomerId),
        amount: input.amount,
        received_on: input.received_on,
        method: input.method,
        bank_account_id: input.bank_account_id,
        reference: input.reference,
        allocations: input
            .allocations
            .into_iter()
            .map(|a| (InvoiceId(a.invoice_id), a.amount))
            .collect(),
        keep_excess_as_credit: input.keep_excess_as_credit,
        idempotency_key: key,
        fee: input.fee,
        fee_account: input.fee_account,
    };
    let receipt = app::api::payments::record_payment_as(&state, &caller.user, form).await?;
    Ok(created(
        app::api::payments::load_payment(&state, receipt.payment_id).await?,
    ))
}

/// Unapplied money of the payment's customer put towards one of their invoices.
#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CreditAllocationInput {
    pub invoice_id: Option<i64>,
    pub amount: String,
    /// Empty: today.
    pub date: String,
}

pub async fn allocate_payment(
    State(state): State<AppState>,
    Extension(caller): Caller,
    Extension(RequestKey(key)): Extension<RequestKey>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Reply<ChangeReceipt> {
    let payment = app::api::payments::load_payment(&state, PaymentId(path_id(&id)?)).await?;
    let input: CreditAllocationInput = json_body(&headers, &body)?;
    let Some(invoice) = input.invoice_id else {
        return Err(ApiError::field(
            422,
            "invoice_id",
            "choose the invoice to pay",
        ));
    };
    let form = CreditForm {
        customer_id: payment.customer_id,
        invoice_id: Some(InvoiceId(invoice)),
        bank_account_id: None,
        amount: input.amount,
        date: input.date,
        idempotency_key: key,
    };
    Ok(Json(
        app::api::payment_changes::use_credit_as(&state, &caller.user, form).await?,
    ))
}

/// A refund of a whole payment: its money goes back and its invoices reopen.
#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RefundInput {
    /// Empty: the payment's own day.
    pub date: String,
}

pub async fn refund_payment(
    State(state): State<AppState>,
    Extension(caller): Caller,
    Extension(RequestKey(key)): Extension<RequestKey>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Reply<ChangeReceipt> {
    let id = PaymentId(path_id(&id)?);
    let input: RefundInput = json_body(&headers, &body)?;
    let form = ReversalForm {
        payment_id: id,
        kind: ReversalKind::Refund,
        date: input.date,
        idempotency_key: key,
    };
    Ok(Json(
        app::api::payment_changes::reverse_payment_as(&state, &caller.user, form).await?,
    ))
}
