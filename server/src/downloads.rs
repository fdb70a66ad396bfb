//! File downloads that are not pages: the whole ledger for hledger/ledger, beancount or a
//! spreadsheet, for any signed-in user.

use app::api::context::AppState;
use app::store::export::{export_ledger, ExportFormat};
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};

/// GET /export/ledger.journal | ledger.beancount | ledger.csv
pub async fn ledger(
    State(state): State<AppState>,
    Path(file): Path<String>,
    headers: HeaderMap,
) -> Response {
    if !crate::auth::has_session(&state, &headers).await {
        return (StatusCode::UNAUTHORIZED, "Sign in to download the ledger.").into_response();
    }
    let format = match file.as_str() {
        "ledger.journal" => ExportFormat::Hledger,
        "ledger.beancount" => ExportFormat::Beancount,
        "ledger.csv" => ExportFormat::Csv,
        _ => return StatusCode::NOT_FOUND.into_response(),
    };
    match render(&state, format).await {
        Ok((body, today)) => {
            let content_type = match format {
                ExportFormat::Csv => "text/csv; charset=utf-8",
                _ => "text/plain; charset=utf-8",
            };
            let name = format!("settle-ledger-{today}.{}", format.extension());
            (
                [
                    (header::CONTENT_TYPE, content_type.to_string()),
                    (
                        header::CONTENT_DISPOSITION,
                        format!("attachment; filename=\"{name}\""),
                    ),
                    (header::CACHE_CONTROL, "no-store".to_string()),
                ],
                body,
            )
                .into_response()
        }
        Err(e) => {
            tracing::error!(error = format!("{e:#}"), "ledger export failed");
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                "The export failed; nothing was changed. Please try again.",
            )
                .into_response()
        }
    }
}

async fn render(state: &AppState, format: ExportFormat) -> anyhow::Result<(Vec<u8>, String)> {
    let mut conn = state.pool.acquire().await?;
    let business = app::store::business::get_business(&mut conn).await?;
    let mut body = Vec::new();
    export_ledger(&mut conn, business.base_currency, format, &mut body).await?;
    Ok((body, business.today().to_string()))
}
