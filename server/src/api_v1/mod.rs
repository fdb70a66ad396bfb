//! The HTTP API for integrations under `/api/v1`: personal API tokens as Bearer tokens, JSON
//! with decimals as strings, `Idempotency-Key` on every POST, cursor pages, and an OpenAPI
//! document. Handlers call the same shared functions as the server functions.

mod auth;
mod books;
mod endpoints;
mod error;
mod idempotency;
pub mod openapi;
mod payments;
mod sales;

pub use endpoints::{endpoints, Endpoint, Reply};
pub use error::ApiError;

use app::api::api_tokens::TokenScope;
use app::api::context::AppState;
use app::store::api_tokens::TokenUser;
use axum::http::{header, HeaderMap};
use axum::routing::get;
use axum::Router;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

/// Where the API lives.
pub const PREFIX: &str = "/api/v1";

/// The API's routes, every one behind the token check but the OpenAPI document.
pub fn routes(state: AppState) -> Router {
    let mut by_path: std::collections::BTreeMap<&str, axum::routing::MethodRouter<AppState>> =
        std::collections::BTreeMap::new();
    for endpoint in endpoints() {
        let route = (endpoint.route)();
        let merged = match by_path.remove(endpoint.path) {
            Some(existing) => existing.merge(route),
            None => route,
        };
        by_path.insert(endpoint.path, merged);
    }
    let mut guarded = Router::new();
    for (path, route) in by_path {
        guarded = guarded.route(path, route);
    }
    let guarded = guarded
        .route_layer(axum::middleware::from_fn_with_state(
            state.clone(),
            idempotency::once_per_key,
        ))
        .route_layer(axum::middleware::from_fn_with_state(
            state.clone(),
            auth::require_token,
        ));
    Router::new()
        .route(&format!("{PREFIX}/openapi.json"), get(openapi::serve))
        .merge(guarded)
        .with_state(state)
}

/// The caller of a request that passed the token check.
pub type Caller = axum::Extension<TokenUser>;

/// Whether a token with this scope, held by a user with this role, may change things.
pub fn may_write(scope: TokenScope, role: &str) -> bool {
    scope == TokenScope::Write && matches!(role, "owner" | "bookkeeper")
}

/// A request body as JSON of type `T`; refuses other content types and names what is wrong.
pub fn json_body<T: DeserializeOwned>(headers: &HeaderMap, body: &[u8]) -> Result<T, ApiError> {
    // An empty body is an empty object: routes whose fields all have defaults need none.
    let body = if body.is_empty() {
        b"{}".as_slice()
    } else {
        body
    };
    let json = body == b"{}"
        || headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/json"));
    if !json {
        return Err(ApiError::new(
            415,
            "unsupported_media_type",
            "send the body as JSON with Content-Type: application/json",
        ));
    }
    serde_json::from_slice(body).map_err(|e| {
        let field = e
            .to_string()
            .split('`')
            .nth(1)
            .map(str::to_string)
            .filter(|_| e.is_data());
        ApiError {
            status: 400,
            code: "bad_request",
            message: format!("the body is not what this route takes: {e}"),
            field,
            fields: Vec::new(),
        }
    })
}

/// `?limit=&cursor=` of a list.
#[derive(Debug, Default, Deserialize)]
pub struct PageQuery {
    pub limit: Option<String>,
    pub cursor: Option<String>,
}

/// The most rows one page holds, and the default.
pub const MAX_LIMIT: i64 = 100;
pub const DEFAULT_LIMIT: i64 = 25;

impl PageQuery {
    /// The page size and the id after which the page starts.
    pub fn parse(&self) -> Result<(i64, i64), ApiError> {
        let limit = match self.limit.as_deref().map(str::trim) {
            None | Some("") => DEFAULT_LIMIT,
            Some(text) => text
                .parse::<i64>()
                .ok()
                .filter(|n| (1..=MAX_LIMIT).contains(n))
                .ok_or_else(|| {
                    ApiError::field(400, "limit", format!("use a number from 1 to {MAX_LIMIT}"))
                })?,
        };
        let after = match self.cursor.as_deref().map(str::trim) {
            None | Some("") => 0,
            Some(text) => decode_cursor(text).ok_or_else(|| {
                ApiError::field(
                    400,
                    "cursor",
                    "pass the next_cursor of an earlier page as it was",
                )
            })?,
        };
        Ok((limit, after))
    }
}

/// One page of a list: `next_cursor` is null on the last page.
#[derive(Debug, Serialize)]
pub struct ListPage<T> {
    pub data: Vec<T>,
    pub next_cursor: Option<String>,
}

/// A cursor names the last id of a page; it is opaque to clients (and versioned, so its form
/// can change).
pub fn encode_cursor(after: i64) -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(format!("v1:{after}"))
}

fn decode_cursor(text: &str) -> Option<i64> {
    use base64::Engine;
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(text)
        .ok()?;
    String::from_utf8(bytes)
        .ok()?
        .strip_prefix("v1:")?
        .parse()
        .ok()
        .filter(|id: &i64| *id >= 0)
}

/// Reads the rows of `ids` (a page of `limit` asked for) with `load`, and the cursor of the
/// page after, if there may be one.
pub async fn page_of<T, F, Fut>(ids: Vec<i64>, limit: i64, load: F) -> Result<ListPage<T>, ApiError>
where
    F: Fn(i64) -> Fut,
    Fut: std::future::Future<Output = Result<T, app::api::AppError>>,
{
    let next_cursor = (ids.len() as i64 == limit)
        .then(|| ids.last().copied().map(encode_cursor))
        .flatten();
    let mut data = Vec::with_capacity(ids.len());
    for id in ids {
        data.push(load(id).await?);
    }
    Ok(ListPage { data, next_cursor })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cursor_reads_back_as_the_id_it_names() {
        for id in [0, 1, 42, i64::MAX] {
            assert_eq!(decode_cursor(&encode_cursor(id)), Some(id));
        }
        assert_eq!(decode_cursor("not a cursor"), None);
        assert_eq!(decode_cursor(&encode_cursor(-1)), None);
    }

    #[test]
    fn only_a_write_token_of_an_owner_or_bookkeeper_may_write() {
        assert!(may_write(TokenScope::Write, "owner"));
        assert!(may_write(TokenScope::Write, "bookkeeper"));
        assert!(!may_write(TokenScope::Write, "viewer"));
        assert!(!may_write(TokenScope::Read, "owner"));
    }
}
