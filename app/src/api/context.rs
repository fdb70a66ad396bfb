//! What server functions share: the database pool, the change broadcaster, the session.

use super::error::AppError;
use crate::store::business::{get_business, Business};
use crate::store::users::{session_user, User};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use sqlx::SqlitePool;
use tokio::sync::broadcast;

/// The session cookie's name.
pub const SESSION_COOKIE: &str = "settle_session";

/// A change another screen may want to see; sent to browsers over Server-Sent Events.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Change {
    /// What changed: "customer", "invoice", "payment".
    pub kind: String,
}

#[derive(Clone)]
pub struct AppState {
    pub pool: SqlitePool,
    pub changes: broadcast::Sender<Change>,
    pub sign_in_failures: SignInThrottle,
    /// Records payments, committing those that arrive together in one transaction.
    pub payments: super::payment_writer::PaymentWriter,
}

impl AppState {
    /// Needs a Tokio runtime: it starts the payment writer.
    pub fn new(pool: SqlitePool) -> AppState {
        AppState {
            payments: super::payment_writer::PaymentWriter::start(pool.clone()),
            pool,
            changes: broadcast::channel(256).0,
            sign_in_failures: SignInThrottle::default(),
        }
    }

    /// Tells every open screen that something changed. Nobody listening is fine.
    pub fn publish(&self, kind: &str) {
        let _ = self.changes.send(Change {
            kind: kind.to_string(),
        });
    }
}

/// Recent failed sign-ins per account. After too many in a window, that account refuses
/// sign-in until the window passes, which makes guessing a password impractically slow.
/// Kept in memory: a restart forgets it, which only helps an attacker once per restart.
#[derive(Clone, Default)]
pub struct SignInThrottle(
    std::sync::Arc<std::sync::Mutex<std::collections::HashMap<String, Vec<std::time::Instant>>>>,
);

impl SignInThrottle {
    pub const MAX_FAILURES: usize = 5;
    pub const WINDOW: std::time::Duration = std::time::Duration::from_secs(15 * 60);

    fn key(email: &str) -> String {
        email.trim().to_lowercase()
    }

    /// Whether this account may try to sign in now.
    pub fn allows(&self, email: &str) -> bool {
        let mut failures = self.0.lock().unwrap_or_else(|e| e.into_inner());
        let recent = failures.entry(Self::key(email)).or_default();
        recent.retain(|at| at.elapsed() < Self::WINDOW);
        recent.len() < Self::MAX_FAILURES
    }

    pub fn record_failure(&self, email: &str) {
        let mut failures = self.0.lock().unwrap_or_else(|e| e.into_inner());
        // Someone trying thousands of made-up emails must not grow this without bound.
        if failures.len() >= 10_000 {
            failures.retain(|_, at| at.iter().any(|t| t.elapsed() < Self::WINDOW));
        }
        failures
            .entry(Self::key(email))
            .or_default()
            .push(std::time::Instant::now());
    }

    pub fn clear(&self, email: &str) {
        self.0
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(&Self::key(email));
    }
}

pub fn state() -> Result<AppState, AppError> {
    use_context::<AppState>()
        .ok_or_else(|| internal(anyhow::anyhow!("application state missing from context")))
}

/// Logs an unexpected failure with its cause chain once and gives the person a plain sentence.
pub fn internal(error: impl Into<anyhow::Error>) -> AppError {
    let error = error.into();
    tracing::error!(error = format!("{error:#}"), "request failed");
    AppError::Internal(
        "Something went wrong on the server; nothing was saved. Please try again.".into(),
    )
}

/// The session token from the request's cookie, if any.
pub fn session_token() -> Option<String> {
    let parts = use_context::<http::request::Parts>()?;
    let header = parts.headers.get(http::header::COOKIE)?.to_str().ok()?;
    header.split(';').find_map(|pair| {
        let (name, value) = pair.trim().split_once('=')?;
        (name == SESSION_COOKIE).then(|| value.to_string())
    })
}

/// The signed-in user, or `Unauthorised`.
pub async fn require_user() -> Result<(AppState, User), AppError> {
    let state = state()?;
    let token = session_token().ok_or(AppError::Unauthorised)?;
    let mut conn = state.pool.acquire().await.map_err(internal)?;
    let user = session_user(&mut conn, &token)
        .await
        .map_err(internal)?
        .ok_or(AppError::Unauthorised)?;
    Ok((state, user))
}

/// A signed-in user allowed to change the books (owner or bookkeeper, not a viewer).
pub async fn require_writer() -> Result<(AppState, User), AppError> {
    let (state, user) = require_user().await?;
    if user.role == "viewer" {
        return Err(AppError::Forbidden(
            "Your account can only view the books.".into(),
        ));
    }
    Ok((state, user))
}

/// The owner: the only role that may lock the books, close a year or change settings.
pub async fn require_owner() -> Result<(AppState, User), AppError> {
    let (state, user) = require_user().await?;
    if user.role != "owner" {
        return Err(AppError::Forbidden("Only the owner can do this.".into()));
    }
    Ok((state, user))
}

pub async fn business(state: &AppState) -> Result<Business, AppError> {
    let mut conn = state.pool.acquire().await.map_err(internal)?;
    get_business(&mut conn).await.map_err(internal)
}
