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

/// Site files that are not part of what a browser runs: precompressed copies (their originals
/// count) and TypeScript declarations.
fn counts_for_build(path: &str) -> bool {
    !(path.ends_with(".br") || path.ends_with(".gz") || path.ends_with(".d.ts"))
}

/// In the service worker's source, replaced by the build id when it is served.
const BUILD_PLACEHOLDER: &str = "__SETTLE_BUILD__";

/// The id of the build this binary serves: `SETTLE_BUILD_ID` when set (letters, digits, `.`,
/// `_` and `-`, at most 64; for tests and for forcing every browser to refresh its copy),
/// otherwise made from the hashes of the site files above, so two binaries carrying the same
/// web app share an id and any change to what the browser runs gives a new one. Worked out
/// once per process.
pub fn build_id() -> &'static str {
    static ID: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    ID.get_or_init(|| {
        std::env::var("SETTLE_BUILD_ID")
            .ok()
            .and_then(|id| clean_build_id(&id))
            .unwrap_or_else(site_build_id)
    })
}

fn clean_build_id(id: &str) -> Option<String> {
    let id = id.trim();
    let ok = !id.is_empty()
        && id.len() <= 64
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'));
    ok.then(|| id.to_string())
}

fn site_build_id() -> String {
    use sha2::{Digest, Sha256};
    // Every file counts: the wasm is cut into one piece per page plus the pieces they share,
    // and a change to any piece is a new build.
    let mut files: Vec<_> = Site::iter().filter(|p| counts_for_build(p)).collect();
    files.sort();
    let mut hasher = Sha256::new();
    for path in &files {
        if let Some(file) = Site::get(path) {
            hasher.update(path.as_bytes());
            hasher.update(file.metadata.sha256_hash());
        }
    }
    hex_prefix(&hasher.finalize())
}

/// The service worker's source with this build's id in it: a new build changes the script's
/// bytes, which is how a browser holding an older worker learns of it (`registration.update`).
fn service_worker(headers: &HeaderMap) -> Option<Response> {
    let file = Site::get("sw.js")?;
    let id = build_id();
    let etag = format!("\"sw-{id}\"");
    if headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        == Some(etag.as_str())
    {
        return Some((StatusCode::NOT_MODIFIED, [("x-settle-build", id)]).into_response());
    }
    let source = String::from_utf8_lossy(&file.data).replace(BUILD_PLACEHOLDER, id);
    let mut response = Response::new(Body::from(source));
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/javascript; charset=utf-8"),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    if let Ok(value) = HeaderValue::from_str(&etag) {
        h.insert(header::ETAG, value);
    }
    // Open pages compare it with their own build to learn that a new one is deployed.
    if let Ok(value) = HeaderValue::from_str(id) {
        h.insert("x-settle-build", value);
    }
    Some(response)
}

/// A site file, preferring a precompressed `.br` or `.gz` sibling the browser accepts;
/// `None` when there is no such file.
///
/// `/b/BUILD/pkg/…` is the same file under this build's name (what pages load their wasm,
/// JavaScript and wasm pieces from): it never changes, so browsers keep it without asking
/// again, and a page of an older build cannot be handed a piece of this one (404 instead).
pub fn asset_response(uri: &Uri, headers: &HeaderMap) -> Option<Response> {
    let mut path = uri.path().trim_start_matches('/');
    if path == "sw.js" {
        return service_worker(headers);
    }
    let mut immutable = false;
    if let Some(rest) = path.strip_prefix("b/") {
        let (build, file) = rest.split_once('/')?;
        if build != build_id() || !file.starts_with("pkg/") {
            return None;
        }
        path = file;
        immutable = true;
    }
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
    // Plain file names are not content-hashed, so browsers revalidate with the ETag each time.
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static(if immutable {
            "public, max-age=31536000, immutable"
        } else {
            "no-cache"
        }),
    );
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

#[cfg(test)]
mod tests {
    use super::clean_build_id;

    #[test]
    fn an_overriding_build_id_must_be_a_plain_word() {
        assert_eq!(clean_build_id(" e2e-2.1_b "), Some("e2e-2.1_b".into()));
        assert_eq!(clean_build_id(""), None);
        assert_eq!(clean_build_id("a'b"), None);
        assert_eq!(clean_build_id("</script>"), None);
        assert_eq!(clean_build_id(&"x".repeat(65)), None);
    }
}
