//! Files served outside the server functions: invoices and customer statements as PDF,
//! expense receipt uploads and downloads, the business's logo. Each route checks the
//! session itself; none answers without one.

mod file_names;
pub mod invoice_pdf;
mod logo;
mod receipts;
mod statement_pdf;

use app::api::context::AppState;
use app::api::AppError;
use app::domain::{CreditNoteId, CustomerId, InvoiceId};
use app::store::users::User;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;

pub use file_names::safe_file_name;
pub use statement_pdf::render as render_statement;

/// The statement download and the receipt routes, ready to merge into the app's router.
pub fn routes(state: AppState) -> Router {
    Router::new()
        .route("/customers/{id}/statement.pdf", get(statement))
        .route("/receipts", post(receipts::upload))
        .route("/receipts/{id}", get(receipts::download))
        .route("/invoices/{id}/pdf", get(invoice))
        .route("/invoices/{id}/ubl", get(einvoice))
        .route("/quotes/{id}/pdf", get(quote))
        .route("/credit-notes/{id}/ubl", get(credit_note_einvoice))
        .route("/settings/logo", get(logo::download).post(logo::upload))
        .with_state(state)
}

/// The signed-in user of a request, if its session cookie is valid.
async fn signed_in(state: &AppState, headers: &HeaderMap) -> Option<User> {
    let token = crate::auth::session_token(headers)?;
    let mut conn = state.pool.acquire().await.ok()?;
    app::store::users::session_user(&mut conn, &token)
        .await
        .ok()
        .flatten()
}

/// A refusal with a JSON body `{"error": "..."}` that a page can show as it is.
fn refuse(status: StatusCode, message: &str) -> Response {
    (status, Json(serde_json::json!({ "error": message }))).into_response()
}

/// Answers a request without a session: a browser following a link is sent to sign in and
/// back to `return_to`; anything else gets 401.
fn unsigned(headers: &HeaderMap, return_to: &str) -> Response {
    let wants_page = headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|accept| accept.contains("text/html"));
    if !wants_page {
        return refuse(StatusCode::UNAUTHORIZED, "Sign in first.");
    }
    let next = percent_encode(return_to);
    let location = format!("/login?next={next}");
    match HeaderValue::from_str(&location) {
        Ok(value) => (StatusCode::SEE_OTHER, [(header::LOCATION, value)]).into_response(),
        Err(_) => refuse(StatusCode::UNAUTHORIZED, "Sign in first."),
    }
}

/// Percent-encodes everything but unreserved characters, for a query value.
fn percent_encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The refusal for a server-function error, with the same status codes `crate::status` uses.
fn app_error(error: AppError) -> Response {
    let (status, message) = match &error {
        AppError::Invalid(fields) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            fields
                .0
                .first()
                .map(|(field, message)| format!("{field}: {message}"))
                .unwrap_or_default(),
        ),
        AppError::NotFound(what) => (StatusCode::NOT_FOUND, format!("{what} was not found.")),
        AppError::Unauthorised => (StatusCode::UNAUTHORIZED, "Sign in first.".into()),
        AppError::Forbidden(m) => (StatusCode::FORBIDDEN, m.clone()),
        AppError::Conflict(m) => (StatusCode::CONFLICT, m.clone()),
        AppError::Internal(m) | AppError::Transport(m) => {
            (StatusCode::INTERNAL_SERVER_ERROR, m.clone())
        }
    };
    refuse(status, &message)
}

#[derive(Deserialize)]
struct PeriodQuery {
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
}

/// GET /customers/:id/statement.pdf?from=…&to=…: the statement as a PDF download.
async fn statement(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Query(period): Query<PeriodQuery>,
    headers: HeaderMap,
    uri: Uri,
) -> Response {
    if signed_in(&state, &headers).await.is_none() {
        let page = format!(
            "/customers/{id}/statement?{}",
            uri.query().unwrap_or_default()
        );
        return unsigned(&headers, &page);
    }
    let statement = match app::api::statements::load_statement(
        &state,
        CustomerId(id),
        &period.from,
        &period.to,
    )
    .await
    {
        Ok(s) => s,
        Err(e) => return app_error(e),
    };
    let pdf = statement_pdf::render(&statement);
    let name = format!(
        "statement-{}-{}-{}.pdf",
        slug(&statement.customer_name),
        statement.period.from,
        statement.period.to
    );
    let disposition = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")).unwrap_or(
        HeaderValue::from_static("attachment; filename=\"statement.pdf\""),
    );
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/pdf"),
            ),
            (header::CONTENT_DISPOSITION, disposition),
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static("private, no-store"),
            ),
        ],
        pdf,
    )
        .into_response()
}

/// GET /invoices/:id/pdf: the invoice as a PDF download, named after its number.
async fn invoice(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    headers: HeaderMap,
) -> Response {
    if signed_in(&state, &headers).await.is_none() {
        return unsigned(&headers, &format!("/invoices/{id}"));
    }
    let (pdf, number) = match render_invoice(&state, InvoiceId(id)).await {
        Ok(done) => done,
        Err(e) => return app_error(e),
    };
    let name = match number {
        Some(number) => format!("{}.pdf", file_part(&number)),
        None => format!("invoice-draft-{id}.pdf"),
    };
    pdf_download(pdf, &name)
}

/// GET /quotes/:id/pdf: the quote as a PDF download, named after its number.
async fn quote(State(state): State<AppState>, Path(id): Path<i64>, headers: HeaderMap) -> Response {
    if signed_in(&state, &headers).await.is_none() {
        return unsigned(&headers, &format!("/quotes/{id}"));
    }
    let document = match app::api::documents::load_quote_document(&state, id).await {
        Ok(document) => document,
        Err(e) => return app_error(e),
    };
    let logo = match business_logo(&state, document.business.has_logo).await {
        Ok(logo) => logo,
        Err(e) => return app_error(e),
    };
    let pdf = invoice_pdf::render(&invoice_pdf::Printable::quote(&document, logo.as_ref()));
    let name = match &document.detail.summary.number {
        Some(number) => format!("{}.pdf", file_part(number)),
        None => format!("quote-draft-{id}.pdf"),
    };
    pdf_download(pdf, &name)
}

/// GET /invoices/:id/ubl: the issued invoice as a UBL e-invoice download.
async fn einvoice(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    headers: HeaderMap,
) -> Response {
    if signed_in(&state, &headers).await.is_none() {
        return unsigned(&headers, &format!("/invoices/{id}"));
    }
    match app::api::documents::load_einvoice(&state, InvoiceId(id)).await {
        Ok((xml, number)) => xml_download(xml, &number),
        Err(e) => app_error(e),
    }
}

/// GET /credit-notes/:id/ubl: the credit note as a UBL e-credit note download.
async fn credit_note_einvoice(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    headers: HeaderMap,
) -> Response {
    if signed_in(&state, &headers).await.is_none() {
        return unsigned(&headers, &format!("/credit-notes/{id}"));
    }
    match app::api::documents::load_credit_note_einvoice(&state, CreditNoteId(id)).await {
        Ok((xml, number)) => xml_download(xml, &number),
        Err(e) => app_error(e),
    }
}

/// An e-invoice sent as a download named after its document number.
fn xml_download(xml: String, number: &str) -> Response {
    let name = format!("{}.xml", file_part(number));
    let disposition = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")).unwrap_or(
        HeaderValue::from_static("attachment; filename=\"document.xml\""),
    );
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/xml"),
            ),
            (header::CONTENT_DISPOSITION, disposition),
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static("private, no-store"),
            ),
        ],
        xml,
    )
        .into_response()
}

/// The invoice's PDF and its number (none for a draft), read as any signed-in user may.
pub async fn render_invoice(
    state: &AppState,
    id: InvoiceId,
) -> Result<(Vec<u8>, Option<String>), AppError> {
    let document = app::api::documents::load_invoice_document(state, id).await?;
    let logo = business_logo(state, document.business.has_logo).await?;
    let printable = invoice_pdf::Printable::invoice(&document, logo.as_ref());
    let pdf = invoice_pdf::render(&printable);
    Ok((pdf, document.detail.summary.number.clone()))
}

/// The business's logo for a printed document, when it has one.
async fn business_logo(
    state: &AppState,
    has_logo: bool,
) -> Result<Option<app::store::business::Logo>, AppError> {
    if !has_logo {
        return Ok(None);
    }
    let mut conn = state
        .pool
        .acquire()
        .await
        .map_err(app::api::context::internal)?;
    app::store::business::get_logo(&mut conn)
        .await
        .map_err(app::api::context::internal)
}

/// A PDF sent as a download called `name`.
fn pdf_download(pdf: Vec<u8>, name: &str) -> Response {
    let disposition = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")).unwrap_or(
        HeaderValue::from_static("attachment; filename=\"document.pdf\""),
    );
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/pdf"),
            ),
            (header::CONTENT_DISPOSITION, disposition),
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static("private, no-store"),
            ),
        ],
        pdf,
    )
        .into_response()
}

/// An invoice number as a file name: ASCII letters, digits, `-` and `_` kept as they are.
pub(crate) fn file_part(number: &str) -> String {
    number
        .chars()
        .take(60)
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect()
}

/// A file-name part made of ASCII letters, digits and single hyphens: "Müller & Co" → "m-ller-co".
fn slug(text: &str) -> String {
    let mut out = String::new();
    for ch in text.chars().take(60) {
        if ch.is_ascii_alphanumeric() {
            out.push(ch.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    let out = out.trim_end_matches('-').to_string();
    if out.is_empty() {
        "customer".into()
    } else {
        out
    }
}
