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
    /// Failures one account may have in the window.
    pub const MAX_FAILURES: usize = 5;
    /// Failures one network address may have in the window, across all accounts it tries.
    pub const MAX_FAILURES_PER_ADDRESS: usize = 20;
    pub const WINDOW: std::time::Duration = std::time::Duration::from_secs(15 * 60);

    fn account(email: &str) -> String {
        format!("account {}", email.trim().to_lowercase())
    }

    fn address(ip: std::net::IpAddr) -> String {
        format!("address {ip}")
    }

    /// Whether this account may try to sign in now, from this address (when known).
    pub fn allows(&self, email: &str, from: Option<std::net::IpAddr>) -> bool {
        self.below(&Self::account(email), Self::MAX_FAILURES)
            && from.is_none_or(|ip| self.below(&Self::address(ip), Self::MAX_FAILURES_PER_ADDRESS))
    }

    fn below(&self, key: &str, limit: usize) -> bool {
        let mut failures = self.0.lock().unwrap_or_else(|e| e.into_inner());
        let Some(recent) = failures.get_mut(key) else {
            return true;
        };
        recent.retain(|at| at.elapsed() < Self::WINDOW);
        recent.len() < limit
    }

    pub fn record_failure(&self, email: &str, from: Option<std::net::IpAddr>) {
        let mut failures = self.0.lock().unwrap_or_else(|e| e.into_inner());
        // Someone trying thousands of made-up emails must not grow this without bound.
        if failures.len() >= 10_000 {
            failures.retain(|_, at| at.iter().any(|t| t.elapsed() < Self::WINDOW));
        }
        let now = std::time::Instant::now();
        failures.entry(Self::account(email)).or_default().push(now);
        if let Some(ip) = from {
            failures.entry(Self::address(ip)).or_default().push(now);
        }
    }

    /// Forgets an account's failures after it signs in; its address's failures stay, so
    /// one good password does not reset guessing at others.
    pub fn clear(&self, email: &str) {
        self.0
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(&Self::account(email));
    }
}

/// The address a request came from: the peer, or, when the peer is a proxy on this machine,
/// the client it names last in `X-Forwarded-For`. `None` when unknown.
pub fn client_address() -> Option<std::net::IpAddr> {
    let parts = use_context::<http::request::Parts>()?;
    let peer = parts
        .extensions
        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()?
        .0
        .ip();
    if !peer.is_loopback() {
        return Some(peer);
    }
    let forwarded = parts
        .headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .filter_map(|ip| ip.trim().parse().ok())
        .next_back();
    Some(forwarded.unwrap_or(peer))
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

/// How the audit log names a signed-in user.
pub fn actor(user: &User) -> crate::store::audit::Actor {
    crate::store::audit::Actor::User {
        id: user.id,
        email: user.email.clone(),
    }
}

pub async fn business(state: &AppState) -> Result<Business, AppError> {
    let mut conn = state.pool.acquire().await.map_err(internal)?;
    get_business(&mut conn).await.map_err(internal)
}
