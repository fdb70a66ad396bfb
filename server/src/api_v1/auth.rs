//! The token check in front of every API route. Only `Authorization: Bearer` counts: a
//! session cookie does not reach the API, so another site cannot make a browser call it.

use super::{may_write, ApiError};
use app::api::context::AppState;
use app::store::audit::Actor;
use axum::extract::{Request, State};
use axum::http::{header, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// Finds the token's user, refuses a read token or a viewer anything but GET, and passes the
/// caller on to the handler.
pub async fn require_token(
    State(state): State<AppState>,
    mut request: Request,
    next: Next,
) -> Response {
    let secret = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(|v| v.trim().to_string());
    let Some(secret) = secret else {
        return ApiError::unauthorised().into_response();
    };
    let caller = match state.pool.acquire().await {
        Ok(mut conn) => app::store::api_tokens::token_user(&mut conn, &secret).await,
        Err(e) => Err(e),
    };
    let caller = match caller {
        Ok(Some(caller)) => caller,
        Ok(None) => return ApiError::unauthorised().into_response(),
        Err(e) => return ApiError::from(app::api::context::internal(e)).into_response(),
    };
    let reads = matches!(*request.method(), Method::GET | Method::HEAD);
    if !reads && !may_write(caller.scope, &caller.user.role) {
        let message = if caller.user.role == "viewer" {
            "a viewer's token can only read"
        } else {
            "this token can only read; make a token with the write scope"
        };
        return ApiError::new(403, "forbidden", message).into_response();
    }
    stamp_use(&state, &caller).await;
    request.extensions_mut().insert(caller);
    next.run(request).await
}

/// Notes when the token was last used; a failure here must not refuse the request.
async fn stamp_use(state: &AppState, caller: &app::store::api_tokens::TokenUser) {
    let actor = Actor::User {
        id: caller.user.id,
        email: caller.user.email.clone(),
    };
    let stamped = async {
        let mut tx = app::store::begin_write(&state.pool, &actor).await?;
        app::store::api_tokens::mark_used(&mut tx, caller.token_id).await?;
        tx.commit().await
    };
    if let Err(e) = stamped.await {
        tracing::warn!(error = %e, "could not note the API token's use");
    }
}
