//! Receipt files: upload (a writer, same origin, at most 5 MiB, a JPEG, PNG, WebP or PDF that
//! really starts like one) and download (anyone signed in, sandboxed, never sniffed).

use super::{refuse, signed_in};
use app::api::context::AppState;
use app::store::expenses::{get_receipt, insert_receipt, NewReceipt, MAX_RECEIPT_BYTES};
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode, Uri};
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

fn starts_as(kind: &str, data: &[u8]) -> bool {
    match kind {
        "image/jpeg" => data.starts_with(&[0xFF, 0xD8, 0xFF]),
        "image/png" => data.starts_with(&[0x89, 0x50, 0x4E, 0x47]),
        "image/webp" => data.len() >= 12 && &data[..4] == b"RIFF" && &data[8..12] == b"WEBP",
        "application/pdf" => data.starts_with(b"%PDF-"),
        _ => false,
    }
}

/// Whether the request's Origin names the host it was sent to: a page of this site sent it.
fn same_origin(headers: &HeaderMap, uri: &Uri) -> bool {
    let origin = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok());
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .or_else(|| uri.authority().map(|a| a.as_str()));
    let (Some(origin), Some(host)) = (origin, host) else {
        return false;
    };
    origin
        .strip_prefix("https://")
        .or_else(|| origin.strip_prefix("http://"))
        .is_some_and(|authority| authority.eq_ignore_ascii_case(host))
}

/// POST /receipts: stores the body as a receipt and answers `{"id": N}`.
pub async fn upload(
    State(state): State<AppState>,
    headers: HeaderMap,
    uri: Uri,
    body: Body,
) -> Response {
    let Some(user) = signed_in(&state, &headers).await else {
        return refuse(StatusCode::UNAUTHORIZED, "Sign in to upload receipts.");
    };
    if user.role == "viewer" {
        return refuse(
            StatusCode::FORBIDDEN,
            "Your account can only view the books.",
        );
    }
    if !same_origin(&headers, &uri) {
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

enum Read {
    TooLarge,
    Broken,
}

/// The whole body, refused as soon as it passes `limit` bytes, whatever Content-Length said.
async fn read_limited(body: Body, limit: usize) -> Result<Vec<u8>, Read> {
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

/// `inline; filename="…"` with an ASCII stand-in, plus the exact name in RFC 5987 form.
fn inline_disposition(name: &str) -> String {
    let ascii: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_graphic() && c != '"' && c != '\\' || c == ' ' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let exact: String = name
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect();
    format!("inline; filename=\"{ascii}\"; filename*=UTF-8''{exact}")
}

/// The name a file is kept under: percent-decoded, without any folder part, control or
/// direction-changing characters, or characters file systems refuse; at most 100 characters.
pub fn safe_file_name(raw: &str) -> String {
    let decoded = percent_decode(raw);
    let base = decoded.rsplit(['/', '\\']).next().unwrap_or_default();
    let kept: String = base
        .chars()
        .filter(|c| {
            !c.is_control()
                && !matches!(c, '"' | '<' | '>' | ':' | '|' | '?' | '*')
                && !matches!(c, '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
        })
        .collect();
    let short: String = kept
        .trim()
        .trim_start_matches('.')
        .trim_start()
        .chars()
        .take(100)
        .collect();
    let short = short.trim_end();
    if short.is_empty() {
        "receipt".to_string()
    } else {
        short.to_string()
    }
}

/// `%2F`-style escapes decoded; anything that is not a valid escape is kept as typed.
fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match (bytes[i], bytes.get(i + 1), bytes.get(i + 2)) {
            (b'%', Some(&h), Some(&l)) if hex(h).is_some() && hex(l).is_some() => {
                out.push((hex(h).unwrap_or(0) * 16 + hex(l).unwrap_or(0)) as u8);
                i += 3;
            }
            (b, ..) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::safe_file_name;

    #[test]
    fn file_names_lose_folders_control_characters_and_excess_length() {
        let long = "a".repeat(150) + ".pdf";

        let names = [
            safe_file_name("..%2F..%2Fetc%2Fpasswd"),
            safe_file_name("C:\\Users\\me\\receipt.jpg"),
            safe_file_name("bad\u{0}na\u{202E}me\r\n.png"),
            safe_file_name("%E2%82%AC caf%C3%A9.pdf"),
            safe_file_name("../.."),
            safe_file_name(&long),
        ];

        assert_eq!(names[0], "passwd");
        assert_eq!(names[1], "receipt.jpg");
        assert_eq!(names[2], "badname.png");
        assert_eq!(names[3], "€ café.pdf");
        assert_eq!(names[4], "receipt");
        assert_eq!(names[5].chars().count(), 100);
    }
}
