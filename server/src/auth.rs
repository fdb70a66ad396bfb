//! The gate in front of every server function: without a valid session, only the sign-in
//! functions answer. Each function checks the session again itself (`require_user`, from what
//! this gate found for the same request, handed on in its extensions); this layer makes sure a
//! function that forgot to cannot leak anything.

use app::api::context::{AppState, SignedIn, SESSION_COOKIE};
use app::api::AppError;
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// Server functions that answer without a session.
pub const PUBLIC_FUNCTIONS: [&str; 6] = [
    "/api/get_session",
    "/api/sign_in",
    "/api/create_owner",
    "/api/sign_out",
    "/api/get_invitation",
    "/api/accept_invitation",
];

pub fn session_token(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|pair| {
            pair.trim()
                .strip_prefix(&format!("{SESSION_COOKIE}="))
                .map(str::to_string)
        })
}

pub async fn has_session(state: &AppState, headers: &HeaderMap) -> bool {
    let Some(token) = session_token(headers) else {
        return false;
    };
    match state.pool.acquire().await {
        Ok(mut conn) => app::store::users::session_user(&mut conn, &token)
            .await
            .ok()
            .flatten()
            .is_some(),
        Err(_) => false,
    }
}

/// The request's session, if it is valid, with the business's settings.
async fn signed_in(state: &AppState, headers: &HeaderMap) -> Option<SignedIn> {
    let token = session_token(headers)?;
    let mut conn = state.pool.acquire().await.ok()?;
    match app::store::users::session_user_and_business(&mut conn, &token).await {
        Ok(found) => found.map(|(user, business)| SignedIn { user, business }),
        Err(e) => {
            tracing::error!(error = format!("{e:#}"), "cannot read the session");
            None
        }
    }
}

pub async fn require_session(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let path = request.uri().path();
    // The HTTP API takes only Bearer tokens, never the session cookie, so a page on another
    // site cannot make a browser call it: it needs neither this gate nor the CSRF checks.
    if path == crate::api_v1::PREFIX || path.starts_with(&format!("{}/", crate::api_v1::PREFIX)) {
        return next.run(request).await;
    }
    if let Some(refusal) = cross_site_refusal(&request) {
        return refusal;
    }
    if let Some(refusal) = crate::limits::announced_too_large(&request) {
        return refusal;
    }
    let mut request = crate::limits::limit_body(request);
    let path = request.uri().path();
    let guarded = path.starts_with("/api/") && !PUBLIC_FUNCTIONS.contains(&path);
    if !guarded {
        return next.run(request).await;
    }
    // The function checks the session again, from what is found here for this very request
    // (`require_user`), so one query serves both and the business's settings come with it.
    let Some(found) = signed_in(&state, request.headers()).await else {
        let body = serde_json::to_string(&AppError::Unauthorised).unwrap_or_default();
        return (
            StatusCode::UNAUTHORIZED,
            [(header::CONTENT_TYPE, "application/json")],
            body,
        )
            .into_response();
    };
    request.extensions_mut().insert(found);
    next.run(request).await
}

/// Refuses a state-changing request another site could have sent: one whose `Origin` is not
/// this server, or a server-function call whose body is not JSON (a plain HTML form on
/// another site can send only form or text bodies). SameSite cookies cover the rest.
fn cross_site_refusal(request: &Request) -> Option<Response> {
    let method = request.method();
    if method == axum::http::Method::GET || method == axum::http::Method::HEAD {
        return None;
    }
    let headers = request.headers();
    if origin_matches(headers) == Some(false) {
        return Some(
            (
                StatusCode::FORBIDDEN,
                "Requests from other sites are refused.",
            )
                .into_response(),
        );
    }
    let json = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if request.uri().path().starts_with("/api/") && !json {
        return Some(
            (
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "Server functions take JSON.",
            )
                .into_response(),
        );
    }
    None
}

/// Whether the request's `Origin` names this site: `None` when the browser sent no Origin,
/// else whether its host equals the `Host` the request was sent to or, behind a reverse proxy
/// that rewrites `Host`, the `X-Forwarded-Host` it passes on.
pub fn origin_matches(headers: &HeaderMap) -> Option<bool> {
    let origin = headers.get(header::ORIGIN)?.to_str().ok()?;
    let authority = origin
        .strip_prefix("https://")
        .or_else(|| origin.strip_prefix("http://"))
        .unwrap_or(origin);
    let names = [header::HOST.as_str(), "x-forwarded-host"];
    Some(names.iter().any(|name| {
        headers
            .get(*name)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(',').next())
            .is_some_and(|host| host.trim().eq_ignore_ascii_case(authority))
    }))
}
