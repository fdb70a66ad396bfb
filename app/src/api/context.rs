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

    /// Starts an attempt for this account from this address (when known): `None` when it
    /// already has too many recent failures. The attempt counts as a failure from this moment,
    /// before the password is even checked, so guesses sent all at once are held to the same
    /// limit as guesses sent one by one; [`SignInThrottle::succeeded`] takes it back.
    pub fn begin_attempt(
        &self,
        email: &str,
        from: Option<std::net::IpAddr>,
    ) -> Option<std::time::Instant> {
        let mut failures = self.0.lock().unwrap_or_else(|e| e.into_inner());
        // Someone trying thousands of made-up emails must not grow this without bound.
        if failures.len() >= 10_000 {
            failures.retain(|_, at| at.iter().any(|t| t.elapsed() < Self::WINDOW));
        }
        let mut recent = |key: &str| {
            failures.get_mut(key).map_or(0, |times| {
                times.retain(|at| at.elapsed() < Self::WINDOW);
                times.len()
            })
        };
        let account = Self::account(email);
        if recent(&account) >= Self::MAX_FAILURES {
            return None;
        }
        if let Some(ip) = from {
            if recent(&Self::address(ip)) >= Self::MAX_FAILURES_PER_ADDRESS {
                return None;
            }
        }
        let now = std::time::Instant::now();
        failures.entry(account).or_default().push(now);
        if let Some(ip) = from {
            failures.entry(Self::address(ip)).or_default().push(now);
        }
        Some(now)
    }

    /// The attempt begun at `at` was right: the account's failures are forgotten, and the
    /// address loses only this attempt, so one good password does not reset guessing at
    /// other accounts from there.
    pub fn succeeded(&self, email: &str, from: Option<std::net::IpAddr>, at: std::time::Instant) {
        let mut failures = self.0.lock().unwrap_or_else(|e| e.into_inner());
        failures.remove(&Self::account(email));
        if let Some(times) = from.and_then(|ip| failures.get_mut(&Self::address(ip))) {
            if let Some(i) = times.iter().position(|t| *t == at) {
                times.remove(i);
            }
        }
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

/// What the gate in front of the server functions found for this request's session, read in
/// one query and handed on in the request's extensions: who is signed in and the business's
/// settings as they were when the request arrived (`None` if they could not be read).
#[derive(Clone, Debug)]
pub struct SignedIn {
    pub user: User,
    pub business: Option<Business>,
}

/// The gate's finding for this request, when the gate saw it.
fn signed_in() -> Option<SignedIn> {
    use_context::<http::request::Parts>()?
        .extensions
        .get::<SignedIn>()
        .cloned()
}

/// The signed-in user, or `Unauthorised`: as the gate found the session for this request, or
/// looked up here when no gate did.
pub async fn require_user() -> Result<(AppState, User), AppError> {
    let state = state()?;
    if let Some(found) = signed_in() {
        return Ok((state, found.user));
    }
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

/// The business's settings: as the gate read them with the session for this request, or
/// read now.
pub async fn business(state: &AppState) -> Result<Business, AppError> {
    if let Some(business) = signed_in().and_then(|found| found.business) {
        return Ok(business);
    }
    let mut conn = state.pool.acquire().await.map_err(internal)?;
    get_business(&mut conn).await.map_err(internal)
}

#[cfg(test)]
mod throttle_tests {
    use super::SignInThrottle;

    #[test]
    fn attempts_count_from_the_start_so_a_burst_is_held_to_the_limit() {
        let throttle = SignInThrottle::default();
        let ip = Some("10.5.5.5".parse().unwrap());
        let begun: Vec<_> = (0..30)
            .filter_map(|_| throttle.begin_attempt("victim@example.com", ip))
            .collect();
        assert_eq!(begun.len(), SignInThrottle::MAX_FAILURES);
    }

    #[test]
    fn a_right_password_clears_the_account_and_only_its_own_attempt_from_the_address() {
        let throttle = SignInThrottle::default();
        let ip = Some("10.5.5.6".parse().unwrap());
        for n in 0..4 {
            throttle.begin_attempt(&format!("other{n}@example.com"), ip);
        }
        let at = throttle.begin_attempt("owner@example.com", ip).unwrap();
        throttle.succeeded("owner@example.com", ip, at);
        // Four failures remain from the address; the account starts afresh.
        let more: Vec<_> = (0..30)
            .filter_map(|n| throttle.begin_attempt(&format!("x{n}@example.com"), ip))
            .collect();
        assert_eq!(more.len(), SignInThrottle::MAX_FAILURES_PER_ADDRESS - 4);
        assert!(throttle.begin_attempt("owner@example.com", None).is_some());
    }
}
