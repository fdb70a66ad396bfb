//! Personal API tokens for `/api/v1`: the owner and the bookkeeper make, list and revoke
//! their own. A token's secret is shown once, when it is made.

use super::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use server_fn::codec::Json;

/// What a token may do: read (GET only) or also write (as far as its user's role allows).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TokenScope {
    Read,
    Write,
}

impl TokenScope {
    pub fn key(self) -> &'static str {
        match self {
            TokenScope::Read => "read",
            TokenScope::Write => "write",
        }
    }

    pub fn parse(text: &str) -> Option<TokenScope> {
        match text.trim() {
            "read" => Some(TokenScope::Read),
            "write" => Some(TokenScope::Write),
            _ => None,
        }
    }
}

/// A token as its owner sees it later: never its secret.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ApiToken {
    pub id: i64,
    pub name: String,
    pub scope: TokenScope,
    /// RFC 3339 instants.
    pub created_at: String,
    pub last_used_at: Option<String>,
    pub revoked_at: Option<String>,
}

/// A token just made, with its secret, which is not kept and cannot be shown again.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NewToken {
    pub token: ApiToken,
    pub secret: String,
}

/// Checks a token's name; a name says where the token is used ("accounting sync").
pub fn name_problem(name: &str) -> Option<&'static str> {
    let name = name.trim();
    if name.is_empty() {
        Some("name the token after what will use it")
    } else if name.chars().count() > 100 {
        Some("use at most 100 characters")
    } else {
        None
    }
}

/// Makes a token for `user` (the one place tokens are made: the page and the command line).
/// A viewer's token may carry the write scope, but it is still refused every change.
#[cfg(feature = "ssr")]
pub async fn make_token(
    pool: &sqlx::SqlitePool,
    actor: &crate::store::audit::Actor,
    user_id: i64,
    name: &str,
    scope: TokenScope,
) -> Result<NewToken, AppError> {
    use super::context::internal;
    if let Some(problem) = name_problem(name) {
        return Err(AppError::invalid("name", problem));
    }
    let mut tx = crate::store::begin_write(pool, actor)
        .await
        .map_err(internal)?;
    let (token, secret) = crate::store::api_tokens::create(&mut tx, user_id, name.trim(), scope)
        .await
        .map_err(internal)?;
    tx.commit().await.map_err(internal)?;
    tracing::info!(token = token.id, user = user_id, "API token created");
    Ok(NewToken { token, secret })
}

/// The signed-in person's own tokens, newest first.
#[server(endpoint = "list_api_tokens", input = Json)]
pub async fn list_api_tokens() -> Result<Vec<ApiToken>, AppError> {
    use super::context::{internal, require_writer};
    let (state, user) = require_writer().await?;
    let mut conn = state.pool.acquire().await.map_err(internal)?;
    crate::store::api_tokens::list(&mut conn, user.id)
        .await
        .map_err(internal)
}

/// Makes a token for the signed-in person; the answer holds the secret, shown once.
#[server(endpoint = "create_api_token", input = Json)]
pub async fn create_api_token(name: String, scope: TokenScope) -> Result<NewToken, AppError> {
    use super::context::{actor, require_writer};
    let (state, user) = require_writer().await?;
    make_token(&state.pool, &actor(&user), user.id, &name, scope).await
}

/// Revokes one of the signed-in person's tokens; it stops working at once.
#[server(endpoint = "revoke_api_token", input = Json)]
pub async fn revoke_api_token(id: i64) -> Result<(), AppError> {
    use super::context::{actor, internal, require_writer};
    let (state, user) = require_writer().await?;
    let mut tx = crate::store::begin_write(&state.pool, &actor(&user))
        .await
        .map_err(internal)?;
    if !crate::store::api_tokens::revoke(&mut tx, user.id, id)
        .await
        .map_err(internal)?
    {
        return Err(AppError::NotFound("The token".into()));
    }
    tx.commit().await.map_err(internal)?;
    tracing::info!(token = id, "API token revoked");
    Ok(())
}
