//! The site's files (wasm, JS, CSS, icons, manifest, service worker), embedded in release
//! builds so the binary is the whole deployment; debug builds read them from `target/site`.

use axum::body::Body;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use rust_embed::RustEmbed;

#[derive(RustEmbed)]
#[folder = "../target/site/"]
#[allow_missing = true]
struct Site;

/// A site file, preferring a precompressed `.br` or `.gz` sibling the browser accepts;
/// `None` when there is no such file.
pub fn asset_response(uri: &Uri, headers: &HeaderMap) -> Option<Response> {
    let path = uri.path().trim_start_matches('/');
    let file = Site::get(path).filter(|_| !path.is_empty())?;
    let etag = format!("\"{}\"", hex_prefix(&file.metadata.sha256_hash()));
    if headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        == Some(etag.as_str())
    {
        return Some(StatusCode::NOT_MODIFIED.into_response());
    }
    let accepts = headers
        .get(header::ACCEPT_ENCODING)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let mime = mime_guess::from_path(path).first_or_octet_stream();
    let (body, encoding) = [("br", ".br"), ("gzip", ".gz")]
        .iter()
        .filter(|(name, _)| accepts.contains(name))
        .find_map(|(name, suffix)| {
            Site::get(&format!("{path}{suffix}")).map(|f| (f.data, Some(*name)))
        })
        .unwrap_or((file.data, None));
    let mut response = Response::new(Body::from(body.into_owned()));
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_str(mime.as_ref())
            .unwrap_or(HeaderValue::from_static("application/octet-stream")),
    );
    // File names are not content-hashed, so browsers revalidate with the ETag each time.
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    h.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    if let Ok(value) = HeaderValue::from_str(&etag) {
        h.insert(header::ETAG, value);
    }
    if let Some(encoding) = encoding {
        h.insert(header::CONTENT_ENCODING, HeaderValue::from_static(encoding));
    }
    Some(response)
}

fn hex_prefix(hash: &[u8]) -> String {
    hash.iter().take(12).map(|b| format!("{b:02x}")).collect()
}
