//! How large a request body may be. Server functions take small JSON forms, except the bank
//! statement upload, which carries a file of up to 8 MiB as base64. A body announced larger
//! than its limit is refused at once with 413; one that arrives without a length is cut off
//! at the limit, so nobody can make the server hold an unbounded body in memory.

use axum::body::Body;
use axum::extract::Request;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};

/// A form of any size a person could type is far below this.
pub const MAX_FORM_BYTES: usize = 1024 * 1024;

/// A statement file of `MAX_STATEMENT_BYTES` in base64, with room for the JSON around it.
pub const MAX_STATEMENT_REQUEST_BYTES: usize =
    app::api::bank::MAX_STATEMENT_BYTES / 3 * 4 + 64 * 1024;

/// Server functions whose body carries a bank statement file.
const STATEMENT_FUNCTIONS: [&str; 2] = ["/api/preview_statement", "/api/import_statement"];

/// The limit for a request to `path`; `None` where the route reads its body itself, with its
/// own limit (receipt and logo uploads).
fn limit_for(path: &str) -> Option<usize> {
    if STATEMENT_FUNCTIONS.contains(&path) {
        Some(MAX_STATEMENT_REQUEST_BYTES)
    } else if path.starts_with("/api/") {
        Some(MAX_FORM_BYTES)
    } else {
        None
    }
}

/// The 413 refusal for a request whose announced length passes its route's limit.
pub fn announced_too_large(request: &Request) -> Option<Response> {
    let limit = limit_for(request.uri().path())?;
    let announced = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok())?;
    (announced > limit as u64).then(|| too_large(limit))
}

/// The request with its body cut off at its route's limit, however it arrives.
pub fn limit_body(request: Request) -> Request {
    match limit_for(request.uri().path()) {
        Some(limit) => request.map(|body| Body::new(http_body_util::Limited::new(body, limit))),
        None => request,
    }
}

fn too_large(limit: usize) -> Response {
    let error =
        app::api::AppError::Transport(format!("The request is larger than {} KiB.", limit / 1024));
    (
        StatusCode::PAYLOAD_TOO_LARGE,
        [(header::CONTENT_TYPE, "application/json")],
        serde_json::to_string(&error).unwrap_or_default(),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statements_may_be_larger_than_forms_and_uploads_keep_their_own_limits() {
        assert_eq!(limit_for("/api/save_customer"), Some(MAX_FORM_BYTES));
        assert!(limit_for("/api/import_statement").unwrap() > 8 * 1024 * 1024);
        assert_eq!(limit_for("/receipts"), None);
        assert_eq!(limit_for("/settings/logo"), None);
    }
}
