//! Live updates over Server-Sent Events, and the health and readiness checks.

use app::api::context::AppState;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use futures::Stream;
use std::convert::Infallible;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;
use tokio_stream::wrappers::BroadcastStream;
use tokio_stream::StreamExt;

/// Streams a `{"kind": ...}` event whenever anything changes, to signed-in browsers only.
pub async fn stream(State(state): State<AppState>, headers: HeaderMap) -> Response {
    if !crate::auth::has_session(&state, &headers).await {
        return StatusCode::UNAUTHORIZED.into_response();
    }
    Sse::new(changes(&state))
        .keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
        .into_response()
}

fn changes(state: &AppState) -> impl Stream<Item = Result<Event, Infallible>> {
    // A lagging receiver skips missed messages; the next one still triggers a refetch,
    // and a refetch reads everything anew, so nothing is lost.
    BroadcastStream::new(state.changes.subscribe()).filter_map(|change| {
        let change = change.ok()?;
        Some(Ok(Event::default()
            .event("change")
            .json_data(&change)
            .unwrap_or_default()))
    })
}

/// Set once a shutdown signal arrives: the server finishes what is in flight but is no
/// longer ready for new work.
pub static SHUTTING_DOWN: AtomicBool = AtomicBool::new(false);

/// 200 when the server takes new requests: the database answers, its schema is this
/// version's, and no shutdown is under way. A proxy or orchestrator stops routing on 503.
pub async fn ready(State(state): State<AppState>) -> Response {
    if SHUTTING_DOWN.load(Ordering::SeqCst) {
        return (StatusCode::SERVICE_UNAVAILABLE, "shutting down").into_response();
    }
    let applied = sqlx::query_scalar::<_, i64>(
        "SELECT COALESCE(MAX(version), 0) FROM _sqlx_migrations WHERE success = 1",
    )
    .fetch_one(&state.pool)
    .await;
    let expected = app::store::latest_migration();
    match applied {
        Ok(version) if version == expected => (StatusCode::OK, "ready").into_response(),
        Ok(version) => {
            tracing::error!(version, expected, "database schema is not this version's");
            (StatusCode::SERVICE_UNAVAILABLE, "database schema mismatch").into_response()
        }
        Err(error) => {
            tracing::error!(%error, "readiness check failed");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable").into_response()
        }
    }
}

/// 200 when the database answers.
pub async fn health(State(state): State<AppState>) -> Response {
    match sqlx::query_scalar::<_, i64>("SELECT 1")
        .fetch_one(&state.pool)
        .await
    {
        Ok(_) => (StatusCode::OK, "ok").into_response(),
        Err(error) => {
            tracing::error!(%error, "health check failed");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable").into_response()
        }
    }
}
