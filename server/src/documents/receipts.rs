//! Receipt files: upload (a writer, same origin, at most 5 MiB, a JPEG, PNG, WebP or PDF that
//! really starts like one) and download (anyone signed in, sandboxed, never sniffed).

use super::file_names::{inline_disposition, safe_file_name};
use super::{refuse, signed_in};
use app::api::context::AppState;
use app::store::expenses::{get_receipt, insert_receipt, NewReceipt, MAX_RECEIPT_BYTES};
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use futures::StreamExt;

/// The accepted content types and how each file must begin.
const KINDS: [(&str, &str); 4] = [
    ("image/jpeg", "JPEG"),
    ("image/png", "PNG"),
    ("image/webp", "WebP"),
    ("application/pdf", "PDF"),
];

pub(super) fn starts_as(kind: &str, data: &[u8]) -> bool {
    match kind {
        "image/jpeg" => data.starts_with(&[0xFF, 0xD8, 0xFF]),
        "image/png" => data.starts_with(&[0x89, 0x50, 0x4E, 0x47]),
        "image/webp" => data.len() >= 12 && &data[..4] == b"RIFF" && &data[8..12] == b"WEBP",
        "application/pdf" => data.starts_with(b"%PDF-"),
        _ => false,
    }
}

/// Whether the request's Origin names this site: a page of this site sent it.
pub(super) fn same_origin(headers: &HeaderMap) -> bool {
    crate::auth::origin_matches(headers) == Some(true)
}

/// POST /receipts: stores the body as a receipt and answers `{"id": N}`.
pub async fn upload(State(state): State<AppState>, headers: HeaderMap, body: Body) -> Response {
    let Some(user) = signed_in(&state, &headers).await else {
        return refuse(StatusCode::UNAUTHORIZED, "Sign in to upload receipts.");
    };
    if user.role == "viewer" {
        return refuse(
            StatusCode::FORBIDDEN,
            "Your account can only view the books.",
        );
    }
    if !same_origin(&headers) {
        return refuse(
            StatusCode::FORBIDDEN,
            "Receipts can only be uploaded from Settle's own pages.",
        );
    }
    let declared = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .map(|v| v.trim().to_ascii_lowercase())
        .unwrap_or_default();
    let Some((kind, label)) = KINDS.iter().find(|(k, _)| *k == declared) else {
        return refuse(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "Receipts can be JPEG, PNG or WebP photos, or PDF files.",
        );
    };
    let too_large = "The file is larger than 5 MB; choose a smaller photo or PDF.";
    let declared_length = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared_length.is_some_and(|n| n > MAX_RECEIPT_BYTES as u64) {
        return refuse(StatusCode::PAYLOAD_TOO_LARGE, too_large);
    }
    let data = match read_limited(body, MAX_RECEIPT_BYTES).await {
        Ok(data) => data,
        Err(Read::TooLarge) => return refuse(StatusCode::PAYLOAD_TOO_LARGE, too_large),
        Err(Read::Broken) => {
            return refuse(
                StatusCode::BAD_REQUEST,
                "The upload was interrupted; try again.",
            )
        }
    };
    if data.is_empty() {
        return refuse(StatusCode::BAD_REQUEST, "The file is empty.");
    }
    if !starts_as(kind, &data) {
        return refuse(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            &format!("This file is not a {label} file, whatever its name says."),
        );
    }
    let raw_name = headers
        .get("x-file-name")
        .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
        .unwrap_or_default();
    let receipt = NewReceipt {
        file_name: safe_file_name(&raw_name),
        content_type: (*kind).to_string(),
        data,
    };
    let stored = match state.pool.acquire().await {
        Ok(mut conn) => insert_receipt(&mut conn, &receipt).await,
        Err(e) => Err(e),
    };
    match stored {
        Ok(id) => {
            tracing::info!(
                receipt = id,
                bytes = receipt.data.len(),
                kind,
                "receipt stored"
            );
            (StatusCode::CREATED, Json(serde_json::json!({ "id": id }))).into_response()
        }
        Err(error) => {
            tracing::error!(%error, "receipt not stored");
            refuse(
                StatusCode::INTERNAL_SERVER_ERROR,
                "The receipt could not be saved; please try again.",
            )
        }
    }
}

pub(super) enum Read {
    TooLarge,
    Broken,
}

/// The whole body, refused as soon as it passes `limit` bytes, whatever Content-Length said.
pub(super) async fn read_limited(body: Body, limit: usize) -> Result<Vec<u8>, Read> {
    let mut stream = body.into_data_stream();
    let mut data = Vec::new();
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(|_| Read::Broken)?;
        if data.len() + chunk.len() > limit {
            return Err(Read::TooLarge);
        }
        data.extend_from_slice(&chunk);
    }
    Ok(data)
}

/// GET /receipts/:id: the stored file, shown inline but never run or sniffed as anything else.
pub async fn download(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    headers: HeaderMap,
) -> Response {
    if signed_in(&state, &headers).await.is_none() {
        return refuse(StatusCode::UNAUTHORIZED, "Sign in first.");
    }
    let found = match state.pool.acquire().await {
        Ok(mut conn) => get_receipt(&mut conn, id).await,
        Err(e) => Err(e),
    };
    let (name, kind, data) = match found {
        Ok(Some(file)) => file,
        Ok(None) => return refuse(StatusCode::NOT_FOUND, "That receipt was not found."),
        Err(error) => {
            tracing::error!(%error, "receipt not read");
            return refuse(
                StatusCode::INTERNAL_SERVER_ERROR,
                "The receipt could not be read.",
            );
        }
    };
    let content_type = HeaderValue::from_str(&kind)
        .unwrap_or(HeaderValue::from_static("application/octet-stream"));
    let disposition = HeaderValue::from_str(&inline_disposition(&name))
        .unwrap_or(HeaderValue::from_static("inline"));
    (
        [
            (header::CONTENT_TYPE, content_type),
            (header::CONTENT_DISPOSITION, disposition),
            (
                header::X_CONTENT_TYPE_OPTIONS,
                HeaderValue::from_static("nosniff"),
            ),
            (
                header::CONTENT_SECURITY_POLICY,
                HeaderValue::from_static("sandbox"),
            ),
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static("private, no-store"),
            ),
        ],
        data,
    )
        .into_response()
}
