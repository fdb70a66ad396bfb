//! The customer's side of a private invoice link: `/p/{token}` shows that one invoice (its
//! parties, lines, tax per rate, total, what was paid, the balance and how to pay), with its
//! PDF at `/p/{token}/pdf` and the business's logo at `/p/{token}/logo`. No session is needed
//! and nothing else is reachable with the token; an unknown or revoked token is a plain 404.

mod page;

use app::api::context::AppState;
use app::domain::InvoiceId;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderName, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;

/// The public routes, ready to merge into the app's router.
pub fn routes(state: AppState) -> Router {
    Router::new()
        .route("/p/{token}", get(show))
        .route("/p/{token}/pdf", get(pdf))
        .route("/p/{token}/logo", get(logo))
        .with_state(state)
}

/// What every answer under `/p/` carries: not stored by any cache, never indexed, the token
/// never sent on as a referrer, nothing from elsewhere loaded and no script run.
fn private_headers() -> [(HeaderName, HeaderValue); 4] {
    [
        (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
        (
            header::REFERRER_POLICY,
            HeaderValue::from_static("no-referrer"),
        ),
        (
            HeaderName::from_static("x-robots-tag"),
            HeaderValue::from_static("noindex, nofollow"),
        ),
        (
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(
                "default-src 'none'; style-src 'self'; img-src 'self'; base-uri 'none'; \
                 form-action 'none'; frame-ancestors 'none'",
            ),
        ),
    ]
}

fn not_found() -> Response {
    (
        StatusCode::NOT_FOUND,
        private_headers(),
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        "Not found.",
    )
        .into_response()
}

fn unavailable() -> Response {
    (
        StatusCode::INTERNAL_SERVER_ERROR,
        private_headers(),
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        "This invoice cannot be shown right now; please try again later.",
    )
        .into_response()
}

/// The live link a token opens: its id and its invoice.
async fn open(state: &AppState, token: &str) -> Result<Option<(i64, InvoiceId)>, Response> {
    // Tokens are 64 hex digits; anything else is not looked up at all.
    if token.len() != 64 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Ok(None);
    }
    let mut conn = state.pool.acquire().await.map_err(|e| {
        tracing::error!(error = %e, "private link not read");
        unavailable()
    })?;
    app::store::invoice_links::open_link(&mut conn, token)
        .await
        .map_err(|e| {
            tracing::error!(error = %e, "private link not read");
            unavailable()
        })
}

/// GET /p/:token: the invoice page. Each view by someone not signed in is recorded.
async fn show(
    State(state): State<AppState>,
    Path(token): Path<String>,
    headers: HeaderMap,
) -> Response {
    let (link, invoice) = match open(&state, &token).await {
        Ok(Some(found)) => found,
        Ok(None) => return not_found(),
        Err(refusal) => return refusal,
    };
    let document = match app::api::documents::load_invoice_document(&state, invoice).await {
        Ok(document) => document,
        Err(e) => {
            tracing::error!(error = ?e, invoice = invoice.0, "private link invoice not read");
            return unavailable();
        }
    };
    if !crate::auth::has_session(&state, &headers).await {
        record_view(&state, link).await;
    }
    let html = page::render(&document, &token);
    (
        private_headers(),
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        html,
    )
        .into_response()
}

async fn record_view(state: &AppState, link: i64) {
    let recorded = match state.pool.acquire().await {
        Ok(mut conn) => {
            app::store::invoice_links::record_view(&mut conn, link, chrono::Utc::now()).await
        }
        Err(e) => Err(e),
    };
    match recorded {
        Ok(()) => state.publish("invoice"),
        // The customer still sees the invoice; only the "viewed" note misses this visit.
        Err(e) => tracing::warn!(error = %e, "private link view not recorded"),
    }
}

/// GET /p/:token/pdf: the invoice's PDF, named after its number.
async fn pdf(State(state): State<AppState>, Path(token): Path<String>) -> Response {
    let invoice = match open(&state, &token).await {
        Ok(Some((_, invoice))) => invoice,
        Ok(None) => return not_found(),
        Err(refusal) => return refusal,
    };
    let (pdf, number) = match crate::documents::render_invoice(&state, invoice).await {
        Ok(done) => done,
        Err(e) => {
            tracing::error!(error = ?e, invoice = invoice.0, "private link PDF not made");
            return unavailable();
        }
    };
    let name = format!(
        "{}.pdf",
        crate::documents::file_part(&number.unwrap_or_else(|| "invoice".into()))
    );
    let disposition = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")).unwrap_or(
        HeaderValue::from_static("attachment; filename=\"invoice.pdf\""),
    );
    (
        private_headers(),
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/pdf"),
            ),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        pdf,
    )
        .into_response()
}

/// GET /p/:token/logo: the business's logo for the page's heading.
async fn logo(State(state): State<AppState>, Path(token): Path<String>) -> Response {
    match open(&state, &token).await {
        Ok(Some(_)) => {}
        Ok(None) => return not_found(),
        Err(refusal) => return refusal,
    }
    let found = match state.pool.acquire().await {
        Ok(mut conn) => app::store::business::get_logo(&mut conn).await,
        Err(e) => Err(e.into()),
    };
    match found {
        Ok(Some(logo)) => {
            let content_type = HeaderValue::from_str(&logo.content_type)
                .unwrap_or(HeaderValue::from_static("application/octet-stream"));
            (
                private_headers(),
                [(header::CONTENT_TYPE, content_type)],
                logo.data,
            )
                .into_response()
        }
        Ok(None) => not_found(),
        Err(e) => {
            tracing::error!(error = format!("{e:#}"), "logo not read");
            unavailable()
        }
    }
}
