//! Customers, items and invoices over the API: each handler turns JSON into the form the
//! server functions take and calls the same shared function, so validation is one.

use super::idempotency::RequestKey;
use super::{json_body, page_of, ApiError, Caller, ListPage, PageQuery};
use app::api::context::{internal, AppState};
use app::api::credit_notes::CreditNoteForm;
use app::api::items::ItemForm;
use app::api::types::{Customer, CustomerForm, DraftForm, InvoiceDetail, LineForm};
use app::domain::items::Item;
use app::domain::{CustomerId, InvoiceId};
use app::store::listing::{ids_after, Listed};
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use serde::Deserialize;

pub type Reply<T> = Result<Json<T>, ApiError>;

/// An id from the path; anything else names no record.
pub fn path_id(text: &str) -> Result<i64, ApiError> {
    text.parse::<i64>()
        .ok()
        .filter(|id| *id > 0)
        .ok_or_else(|| ApiError::new(404, "not_found", "no record has that id"))
}

/// The ids of a page of `listed`.
pub async fn page_ids(
    state: &AppState,
    listed: Listed,
    query: &PageQuery,
) -> Result<(Vec<i64>, i64), ApiError> {
    let (limit, after) = query.parse()?;
    let mut conn = state.pool.acquire().await.map_err(internal)?;
    let ids = ids_after(&mut conn, listed, after, limit)
        .await
        .map_err(internal)?;
    Ok((ids, limit))
}

/// 201 Created with the new record.
pub fn created<T: serde::Serialize>(value: T) -> Response {
    (StatusCode::CREATED, Json(value)).into_response()
}

pub async fn list_customers(
    State(state): State<AppState>,
    Query(query): Query<PageQuery>,
) -> Reply<ListPage<Customer>> {
    let (ids, limit) = page_ids(&state, Listed::Customers, &query).await?;
    let state = &state;
    Ok(Json(
        page_of(ids, limit, |id| async move {
            app::api::customers::load_customer(state, CustomerId(id)).await
        })
        .await?,
    ))
}

pub async fn get_customer(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Reply<Customer> {
    let id = CustomerId(path_id(&id)?);
    Ok(Json(app::api::customers::load_customer(&state, id).await?))
}

/// A customer as the API takes it; only the name is required.
#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CustomerInput {
    pub name: String,
    pub email: String,
    pub billing_address: String,
    pub tax_id: String,
    pub payment_reference: String,
    /// Empty: the business's currency.
    pub currency: String,
    /// Absent: 30 days, as the app's form starts.
    pub payment_terms_days: Option<u32>,
    pub notes: String,
}

/// The terms a new customer gets when none are sent, as the app's form starts.
const DEFAULT_TERMS_DAYS: u32 = 30;

/// A currency code as sent, or the business's own when none is.
fn or_base(code: String, base: app::domain::Currency) -> String {
    if code.trim().is_empty() {
        base.code().to_string()
    } else {
        code
    }
}

pub async fn create_customer(
    State(state): State<AppState>,
    Extension(caller): Caller,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let input: CustomerInput = json_body(&headers, &body)?;
    let base = app::api::context::business(&state).await?.base_currency;
    let form = CustomerForm {
        name: input.name,
        email: input.email,
        billing_address: input.billing_address,
        tax_id: input.tax_id,
        payment_reference: input.payment_reference,
        currency: or_base(input.currency, base),
        payment_terms_days: input
            .payment_terms_days
            .unwrap_or(DEFAULT_TERMS_DAYS)
            .to_string(),
        notes: input.notes,
    };
    let id = app::api::customers::save_customer_as(&state, &caller.user, None, form).await?;
    Ok(created(
        app::api::customers::load_customer(&state, id).await?,
    ))
}

pub async fn list_items(
    State(state): State<AppState>,
    Query(query): Query<PageQuery>,
) -> Reply<ListPage<Item>> {
    let (ids, limit) = page_ids(&state, Listed::Items, &query).await?;
    let state = &state;
    Ok(Json(
        page_of(ids, limit, |id| async move {
            let mut conn = state.pool.acquire().await.map_err(internal)?;
            app::store::items::get(&mut conn, id)
                .await
                .map_err(internal)?
                .ok_or(app::api::AppError::NotFound("The item".into()))
        })
        .await?,
    ))
}

/// An item as the API takes it: the unit price as a decimal string.
#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ItemInput {
    pub name: String,
    pub description: String,
    pub unit: String,
    pub unit_price: String,
    pub tax_rate_id: Option<i64>,
    pub revenue_account: String,
}

pub async fn create_item(
    State(state): State<AppState>,
    Extension(caller): Caller,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let input: ItemInput = json_body(&headers, &body)?;
    let form = ItemForm {
        name: input.name,
        description: input.description,
        unit: input.unit,
        unit_price: input.unit_price,
        tax_rate_id: input
            .tax_rate_id
            .map(|id| id.to_string())
            .unwrap_or_default(),
        revenue_account: input.revenue_account,
    };
    let item = app::api::items::save_item_as(&state, &caller.user, None, form).await?;
    Ok(created(item))
}

pub async fn list_invoices(
    State(state): State<AppState>,
    Query(query): Query<PageQuery>,
) -> Reply<ListPage<InvoiceDetail>> {
    let (ids, limit) = page_ids(&state, Listed::Invoices, &query).await?;
    let state = &state;
    Ok(Json(
        page_of(ids, limit, |id| async move {
            app::api::invoices::load_invoice(state, InvoiceId(id)).await
        })
        .await?,
    ))
}

pub async fn get_invoice(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Reply<InvoiceDetail> {
    let id = InvoiceId(path_id(&id)?);
    Ok(Json(app::api::invoices::load_invoice(&state, id).await?))
}

/// A line of a new invoice; decimals as strings.
#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LineInput {
    pub description: String,
    pub quantity: String,
    pub unit: String,
    pub unit_price: String,
    pub discount_percent: String,
    /// A named tax rate (see the app's tax rates); or `tax_rate` as a bare percentage.
    pub tax_rate_id: Option<i64>,
    pub tax_rate: String,
    pub revenue_account: String,
}

/// A new draft invoice; dates as YYYY-MM-DD.
#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct InvoiceInput {
    pub customer_id: Option<i64>,
    pub issue_date: String,
    pub due_date: String,
    /// Empty: the business's currency.
    pub currency: String,
    pub notes: String,
    pub prices_include_tax: bool,
    /// "none", "percent" or "amount".
    pub discount_kind: String,
    pub discount: String,
    pub lines: Vec<LineInput>,
}

pub async fn create_invoice(
    State(state): State<AppState>,
    Extension(caller): Caller,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let input: InvoiceInput = json_body(&headers, &body)?;
    let base = app::api::context::business(&state).await?.base_currency;
    let form = DraftForm {
        id: None,
        customer_id: input.customer_id.map(CustomerId),
        issue_date: input.issue_date,
        due_date: input.due_date,
        currency: or_base(input.currency, base),
        notes: input.notes,
        prices_include_tax: input.prices_include_tax,
        discount_kind: input.discount_kind,
        discount: input.discount,
        // The API's Idempotency-Key already makes a retry return the first answer.
        request_key: String::new(),
        lines: input
            .lines
            .into_iter()
            .map(|line| LineForm {
                description: line.description,
                quantity: line.quantity,
                unit_price: line.unit_price,
                discount_percent: line.discount_percent,
                tax_rate: line.tax_rate,
                revenue_account: line.revenue_account,
                tax_rate_id: line
                    .tax_rate_id
                    .map(|id| id.to_string())
                    .unwrap_or_default(),
                tax_name: String::new(),
                unit: line.unit,
            })
            .collect(),
    };
    let id = app::api::invoices::save_draft_as(&state, &caller.user, form).await?;
    Ok(created(app::api::invoices::load_invoice(&state, id).await?))
}

pub async fn issue_invoice(
    State(state): State<AppState>,
    Extension(caller): Caller,
    Path(id): Path<String>,
) -> Reply<InvoiceDetail> {
    let id = InvoiceId(path_id(&id)?);
    app::api::invoices::issue_invoice_as(&state, &caller.user, id).await?;
    Ok(Json(app::api::invoices::load_invoice(&state, id).await?))
}

pub async fn void_invoice(
    State(state): State<AppState>,
    Extension(caller): Caller,
    Path(id): Path<String>,
) -> Reply<InvoiceDetail> {
    let id = InvoiceId(path_id(&id)?);
    app::api::invoices::void_invoice_as(&state, &caller.user, id).await?;
    Ok(Json(app::api::invoices::load_invoice(&state, id).await?))
}

/// A credit note against an invoice: `amount` (gross) empty for everything still open.
#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CreditNoteInput {
    pub amount: String,
    /// Empty: today.
    pub date: String,
    pub reason: String,
}

pub async fn credit_invoice(
    State(state): State<AppState>,
    Extension(caller): Caller,
    Extension(RequestKey(key)): Extension<RequestKey>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let id = InvoiceId(path_id(&id)?);
    let input: CreditNoteInput = json_body(&headers, &body)?;
    let date = match input.date.trim() {
        "" => app::api::context::business(&state)
            .await?
            .today()
            .to_string(),
        typed => typed.to_string(),
    };
    let form = CreditNoteForm {
        invoice_id: Some(id),
        amount: input.amount,
        date,
        reason: input.reason,
        idempotency_key: key,
    };
    app::api::credit_notes::create_credit_note_as(&state, &caller.user, form).await?;
    Ok(created(app::api::invoices::load_invoice(&state, id).await?))
}

pub async fn invoice_pdf(State(state): State<AppState>, Path(id): Path<String>) -> Response {
    let id = match path_id(&id) {
        Ok(id) => InvoiceId(id),
        Err(e) => return e.into_response(),
    };
    match crate::documents::render_invoice(&state, id).await {
        Ok((pdf, _)) => (
            [
                (axum::http::header::CONTENT_TYPE, "application/pdf"),
                (axum::http::header::CACHE_CONTROL, "private, no-store"),
            ],
            pdf,
        )
            .into_response(),
        Err(e) => ApiError::from(e).into_response(),
    }
}

pub async fn invoice_ubl(State(state): State<AppState>, Path(id): Path<String>) -> Response {
    let id = match path_id(&id) {
        Ok(id) => InvoiceId(id),
        Err(e) => return e.into_response(),
    };
    match app::api::documents::load_einvoice(&state, id).await {
        Ok((xml, _)) => (
            [
                (axum::http::header::CONTENT_TYPE, "application/xml"),
                (axum::http::header::CACHE_CONTROL, "private, no-store"),
            ],
            xml,
        )
            .into_response(),
        Err(e) => ApiError::from(e).into_response(),
    }
}
