//! Signing in and out, and creating the owner on a fresh installation.

use super::error::AppError;
use super::types::SessionState;
use leptos::prelude::*;
use server_fn::codec::Json;

#[cfg(feature = "ssr")]
pub(crate) mod server {
    use super::super::context::{internal, SESSION_COOKIE};
    use super::super::error::AppError;
    use crate::store::users::SESSION_DAYS;
    use leptos::prelude::*;

    /// Sets the session cookie: HttpOnly, SameSite=Lax, Secure when the request came over
    /// HTTPS (directly or through a proxy that says so).
    pub fn set_session_cookie(token: &str, max_age_seconds: i64) -> Result<(), AppError> {
        let secure = use_context::<http::request::Parts>().is_some_and(|parts| {
            parts.uri.scheme_str() == Some("https")
                || parts
                    .headers
                    .get("x-forwarded-proto")
                    .and_then(|v| v.to_str().ok())
                    == Some("https")
        });
        let cookie = format!(
            "{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age_seconds}{}",
            if secure { "; Secure" } else { "" }
        );
        let response = use_context::<leptos_axum::ResponseOptions>()
            .ok_or_else(|| internal(anyhow::anyhow!("no response options")))?;
        let value = http::HeaderValue::from_str(&cookie).map_err(internal)?;
        response.append_header(http::header::SET_COOKIE, value);
        Ok(())
    }

    pub fn session_seconds() -> i64 {
        SESSION_DAYS * 24 * 3600
    }
}

/// Who is signed in, and whether the installation still needs its owner.
#[server(endpoint = "get_session", input = Json)]
pub async fn get_session() -> Result<SessionState, AppError> {
    use super::context::{business, internal, require_user, state};
    let state = state()?;
    let mut conn = state.pool.acquire().await.map_err(internal)?;
    let needs_owner = crate::store::users::count_users(&mut conn)
        .await
        .map_err(internal)?
        == 0;
    drop(conn);
    let user = match require_user().await {
        Ok((state, user)) => Some(super::types::UserInfo {
            email: user.email,
            role: user.role,
            business_name: business(&state).await?.name,
        }),
        Err(AppError::Unauthorised) => None,
        Err(other) => return Err(other),
    };
    Ok(SessionState { user, needs_owner })
}

#[server(endpoint = "sign_in", input = Json)]
pub async fn sign_in(email: String, password: String) -> Result<(), AppError> {
    use super::context::{client_address, internal, state};
    use crate::store::users::{authenticate, create_session};
    let state = state()?;
    let from = client_address();
    let Some(attempt) = state.sign_in_failures.begin_attempt(&email, from) else {
        tracing::warn!(address = ?from, "sign-in refused: too many recent failures");
        return Err(AppError::Conflict(
            "Too many failed attempts; try again in 15 minutes.".into(),
        ));
    };
    // The password is checked without holding a database connection.
    let Some(user) = authenticate(&state.pool, &email, &password)
        .await
        .map_err(internal)?
    else {
        tracing::warn!(address = ?from, "failed sign-in attempt");
        return Err(AppError::invalid(
            "password",
            "That email and password do not match an account.",
        ));
    };
    state.sign_in_failures.succeeded(&email, from, attempt);
    let mut conn = state.pool.acquire().await.map_err(internal)?;
    let token = create_session(&mut conn, user.id).await.map_err(internal)?;
    server::set_session_cookie(&token, server::session_seconds())?;
    tracing::info!(user = user.id, "signed in");
    Ok(())
}

/// Creates the owner account and the business on a fresh installation, then signs in.
#[server(endpoint = "create_owner", input = Json)]
pub async fn create_owner(
    business_name: String,
    email: String,
    password: String,
) -> Result<(), AppError> {
    use super::context::{internal, state};
    use super::FieldErrors;
    use crate::store::{begin_write, business, users};
    let mut errors = FieldErrors::default();
    if business_name.trim().is_empty() {
        errors.add("business_name", "enter your business's name");
    }
    if !email.contains('@') || email.trim().len() < 3 {
        errors.add("email", "enter an email address");
    }
    if let Some(problem) = users::password_problem(&password) {
        errors.add("password", problem);
    }
    errors.into_result()?;
    let state = state()?;
    let newcomer = crate::store::audit::Actor::Named(email.trim().to_string());
    let mut tx = begin_write(&state.pool, &newcomer)
        .await
        .map_err(internal)?;
    if users::count_users(&mut tx).await.map_err(internal)? > 0 {
        return Err(AppError::Conflict(
            "This installation already has an owner; sign in instead.".into(),
        ));
    }
    let settings = business::get_business(&mut tx).await.map_err(internal)?;
    business::update_business(
        &mut tx,
        business_name.trim(),
        settings.base_currency,
        settings.time_zone.name(),
    )
    .await
    .map_err(internal)?;
    let user_id = users::create_user(&mut tx, &email, &password, "owner")
        .await
        .map_err(internal)?;
    let token = users::create_session(&mut tx, user_id)
        .await
        .map_err(internal)?;
    tx.commit().await.map_err(internal)?;
    server::set_session_cookie(&token, server::session_seconds())?;
    tracing::info!(user = user_id, "owner account created");
    Ok(())
}

#[server(endpoint = "sign_out", input = Json)]
pub async fn sign_out() -> Result<(), AppError> {
    use super::context::{internal, session_token, state};
    let state = state()?;
    if let Some(token) = session_token() {
        let mut conn = state.pool.acquire().await.map_err(internal)?;
        crate::store::users::delete_session(&mut conn, &token)
            .await
            .map_err(internal)?;
    }
    server::set_session_cookie("", 0)
}
