//! `Idempotency-Key` on every POST: the first request with a key runs and its answer is kept;
//! a retry with the same key and body gets that answer again without running anything; the
//! same key with another body is refused. Keys belong to one token.
//!
//! Two requests racing with one key queue on a lock here, so the second waits for the first
//! and gets its answer. The key is also reserved in the database before the work runs, so even
//! a server stopped in the middle never runs that request twice: the retry is told it is still
//! in progress.

use super::ApiError;
use app::api::context::AppState;
use app::store::api_tokens::{keep_answer, release, reserve, KeptAnswer, Reservation, TokenUser};
use app::store::audit::Actor;
use axum::body::{to_bytes, Body};
use axum::extract::Request;
use axum::http::{header, HeaderValue, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

/// The largest request body the API reads.
pub const MAX_BODY: usize = 1024 * 1024;

/// The longest key a client may send.
pub const MAX_KEY: usize = 64;

/// The request's key, for the shared functions that keep their own idempotency records.
#[derive(Clone, Debug)]
pub struct RequestKey(pub String);

type Locks = Mutex<HashMap<(i64, String), Arc<tokio::sync::Mutex<()>>>>;

fn locks() -> &'static Locks {
    static LOCKS: OnceLock<Locks> = OnceLock::new();
    LOCKS.get_or_init(Locks::default)
}

pub async fn once_per_key(
    axum::extract::State(state): axum::extract::State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    if request.method() != Method::POST {
        return next.run(request).await;
    }
    let Some(caller) = request.extensions().get::<TokenUser>().cloned() else {
        return ApiError::unauthorised().into_response();
    };
    let (mut parts, body) = request.into_parts();
    let Ok(bytes) = to_bytes(body, MAX_BODY).await else {
        return ApiError::new(413, "payload_too_large", "send at most 1 MiB").into_response();
    };
    let key = match parts.headers.get("idempotency-key").map(|v| v.to_str()) {
        None => None,
        Some(Ok(key)) if !key.trim().is_empty() && key.trim().len() <= MAX_KEY => {
            Some(key.trim().to_string())
        }
        Some(_) => {
            return ApiError::field(
                400,
                "Idempotency-Key",
                format!("use 1 to {MAX_KEY} visible ASCII characters"),
            )
            .into_response()
        }
    };
    let Some(key) = key else {
        // Without a key each request is new; the shared functions still need one of their own.
        parts.extensions.insert(RequestKey(random_key()));
        return next
            .run(Request::from_parts(parts, Body::from(bytes)))
            .await;
    };
    parts
        .extensions
        .insert(RequestKey(format!("api-token:{}:{key}", caller.token_id)));
    let fingerprint = fingerprint(&parts.method, parts.uri.path(), &bytes);
    let lock = {
        let mut held = locks().lock().unwrap_or_else(|e| e.into_inner());
        held.entry((caller.token_id, key.clone()))
            .or_default()
            .clone()
    };
    let guard = lock.lock().await;
    let request = Request::from_parts(parts, Body::from(bytes));
    let answer = run_once(&state, &caller, &key, &fingerprint, request, next).await;
    drop(guard);
    locks()
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .remove(&(caller.token_id, key));
    answer
}

async fn run_once(
    state: &AppState,
    caller: &TokenUser,
    key: &str,
    fingerprint: &str,
    request: Request,
    next: Next,
) -> Response {
    let actor = actor(caller);
    let reserved = async {
        let mut tx = app::store::begin_write(&state.pool, &actor).await?;
        let reservation = reserve(&mut tx, caller.token_id, key, fingerprint).await?;
        tx.commit().await?;
        Ok::<_, sqlx::Error>(reservation)
    };
    match reserved.await {
        Err(e) => return ApiError::from(app::api::context::internal(e)).into_response(),
        Ok(Reservation::Answered(kept)) => return replay(kept),
        Ok(Reservation::InProgress) => {
            return ApiError::new(
                409,
                "request_in_progress",
                "a request with this Idempotency-Key has not finished; look up its result \
                 before sending it again",
            )
            .into_response()
        }
        Ok(Reservation::Mismatch) => {
            return ApiError::field(
                422,
                "Idempotency-Key",
                "this key was used for a different request; use a new key for a new request",
            )
            .into_response()
        }
        Ok(Reservation::Reserved) => {}
    }
    let response = next.run(request).await;
    let (parts, body) = response.into_parts();
    let body = to_bytes(body, usize::MAX).await.unwrap_or_default();
    let kept = KeptAnswer {
        status: parts.status.as_u16(),
        content_type: parts
            .headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("application/json")
            .to_string(),
        body: body.to_vec(),
    };
    let finished = async {
        let mut tx = app::store::begin_write(&state.pool, &actor).await?;
        if parts.status.is_server_error() {
            // Nothing was saved (the shared functions commit or fail whole): a retry may run.
            release(&mut tx, caller.token_id, key).await?;
        } else {
            keep_answer(&mut tx, caller.token_id, key, &kept).await?;
        }
        tx.commit().await
    };
    if let Err(e) = finished.await {
        tracing::error!(error = %e, "could not keep the answer to an idempotent request");
    }
    Response::from_parts(parts, Body::from(body))
}

fn replay(kept: KeptAnswer) -> Response {
    let status = axum::http::StatusCode::from_u16(kept.status)
        .unwrap_or(axum::http::StatusCode::INTERNAL_SERVER_ERROR);
    let content_type = HeaderValue::from_str(&kept.content_type)
        .unwrap_or(HeaderValue::from_static("application/json"));
    (
        status,
        [
            (header::CONTENT_TYPE, content_type),
            (
                header::HeaderName::from_static("idempotent-replayed"),
                HeaderValue::from_static("true"),
            ),
        ],
        kept.body,
    )
        .into_response()
}

fn actor(caller: &TokenUser) -> Actor {
    Actor::User {
        id: caller.user.id,
        email: caller.user.email.clone(),
    }
}

/// What makes two requests "the same": method, path and body, byte for byte.
fn fingerprint(method: &Method, path: &str, body: &[u8]) -> String {
    let mut hash = Sha256::new();
    hash.update(method.as_str().as_bytes());
    hash.update(b" ");
    hash.update(path.as_bytes());
    hash.update(b"\n");
    hash.update(body);
    hex::encode(hash.finalize())
}

fn random_key() -> String {
    use rand::RngCore;
    let mut bytes = [0u8; 16];
    rand::thread_rng().fill_bytes(&mut bytes);
    format!("api:{}", hex::encode(bytes))
}
