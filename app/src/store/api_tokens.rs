//! Personal API tokens and the answers kept for `Idempotency-Key`. A token's secret is 256
//! random bits shown once; only its SHA-256 hash is stored, like session tokens.

use super::users::{new_token, token_hash, User};
use crate::api::api_tokens::{ApiToken, TokenScope};
use sqlx::SqliteConnection;

/// What every token's secret starts with, so a leaked one is recognisable in a scan.
pub const PREFIX: &str = "settle_";

/// A user reached through a token: who, which token, and what the token may do.
#[derive(Clone, Debug)]
pub struct TokenUser {
    pub user: User,
    pub token_id: i64,
    pub scope: TokenScope,
}

/// Makes a token for a user and returns it with its secret (the only time the secret exists).
pub async fn create(
    conn: &mut SqliteConnection,
    user_id: i64,
    name: &str,
    scope: TokenScope,
) -> sqlx::Result<(ApiToken, String)> {
    let secret = format!("{PREFIX}{}", new_token());
    let created_at = super::now_text();
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO api_tokens (user_id, name, scope, token_hash, created_at)
         VALUES (?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(user_id)
    .bind(name)
    .bind(scope.key())
    .bind(token_hash(&secret))
    .bind(&created_at)
    .fetch_one(conn)
    .await?;
    let token = ApiToken {
        id,
        name: name.to_string(),
        scope,
        created_at,
        last_used_at: None,
        revoked_at: None,
    };
    Ok((token, secret))
}

type TokenRow = (i64, String, String, String, Option<String>, Option<String>);

fn token_of((id, name, scope, created_at, last_used_at, revoked_at): TokenRow) -> ApiToken {
    ApiToken {
        id,
        name,
        scope: TokenScope::parse(&scope).unwrap_or(TokenScope::Read),
        created_at,
        last_used_at,
        revoked_at,
    }
}

/// The user with `email` who would own a token, and whether they are disabled.
pub async fn owner_by_email(
    conn: &mut SqliteConnection,
    email: &str,
) -> sqlx::Result<Option<(User, bool)>> {
    let row: Option<(i64, String, String, Option<String>)> =
        sqlx::query_as("SELECT id, email, role, disabled_at FROM users WHERE email = ?")
            .bind(email.trim())
            .fetch_optional(conn)
            .await?;
    Ok(row.map(|(id, email, role, disabled)| (User { id, email, role }, disabled.is_some())))
}

/// A user's tokens, newest first, revoked ones included.
pub async fn list(conn: &mut SqliteConnection, user_id: i64) -> sqlx::Result<Vec<ApiToken>> {
    let rows: Vec<TokenRow> = sqlx::query_as(
        "SELECT id, name, scope, created_at, last_used_at, revoked_at FROM api_tokens
         WHERE user_id = ? ORDER BY id DESC",
    )
    .bind(user_id)
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().map(token_of).collect())
}

/// Revokes one of a user's own tokens; false when they have no such live token.
pub async fn revoke(conn: &mut SqliteConnection, user_id: i64, id: i64) -> sqlx::Result<bool> {
    let done = sqlx::query(
        "UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND user_id = ? AND revoked_at IS NULL",
    )
    .bind(super::now_text())
    .bind(id)
    .bind(user_id)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The user a secret belongs to: `None` when it is unknown, revoked, or its user disabled.
pub async fn token_user(
    conn: &mut SqliteConnection,
    secret: &str,
) -> sqlx::Result<Option<TokenUser>> {
    if !secret.starts_with(PREFIX) {
        return Ok(None);
    }
    let row: Option<(i64, String, i64, String, String)> = sqlx::query_as(
        "SELECT t.id, t.scope, u.id, u.email, u.role FROM api_tokens t
         JOIN users u ON u.id = t.user_id
         WHERE t.token_hash = ? AND t.revoked_at IS NULL AND u.disabled_at IS NULL",
    )
    .bind(token_hash(secret))
    .fetch_optional(conn)
    .await?;
    Ok(row.and_then(|(token_id, scope, id, email, role)| {
        Some(TokenUser {
            user: User { id, email, role },
            token_id,
            scope: TokenScope::parse(&scope)?,
        })
    }))
}

/// Stamps the token as used now, at most once a minute, so reads do not each cost a write.
pub async fn mark_used(conn: &mut SqliteConnection, token_id: i64) -> sqlx::Result<()> {
    let now = chrono::Utc::now();
    let stale =
        (now - chrono::Duration::minutes(1)).to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    sqlx::query(
        "UPDATE api_tokens SET last_used_at = ?
         WHERE id = ? AND (last_used_at IS NULL OR last_used_at < ?)",
    )
    .bind(now.to_rfc3339_opts(chrono::SecondsFormat::Millis, true))
    .bind(token_id)
    .bind(stale)
    .execute(conn)
    .await?;
    Ok(())
}

/// A response kept for an idempotency key.
#[derive(Clone, Debug, PartialEq)]
pub struct KeptAnswer {
    pub status: u16,
    pub content_type: String,
    pub body: Vec<u8>,
}

/// What a key's record says about a request arriving with it.
#[derive(Clone, Debug, PartialEq)]
pub enum Reservation {
    /// First use of the key: it is now held for this request.
    Reserved,
    /// The same request was answered before; here is that answer.
    Answered(KeptAnswer),
    /// The same request is still running (or the server stopped while running it).
    InProgress,
    /// The key was used for a different request.
    Mismatch,
}

/// Holds `key` for a request with this `fingerprint`, or says why it cannot run.
pub async fn reserve(
    conn: &mut SqliteConnection,
    token_id: i64,
    key: &str,
    fingerprint: &str,
) -> sqlx::Result<Reservation> {
    let inserted = sqlx::query(
        "INSERT INTO api_requests (token_id, idempotency_key, fingerprint, created_at)
         VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
    )
    .bind(token_id)
    .bind(key)
    .bind(fingerprint)
    .bind(super::now_text())
    .execute(&mut *conn)
    .await?;
    if inserted.rows_affected() == 1 {
        return Ok(Reservation::Reserved);
    }
    let kept: (String, Option<i64>, Option<String>, Option<Vec<u8>>) = sqlx::query_as(
        "SELECT fingerprint, status, content_type, body FROM api_requests
         WHERE token_id = ? AND idempotency_key = ?",
    )
    .bind(token_id)
    .bind(key)
    .fetch_one(conn)
    .await?;
    Ok(match kept {
        (kept, _, _, _) if kept != fingerprint => Reservation::Mismatch,
        (_, Some(status), content_type, body) => Reservation::Answered(KeptAnswer {
            status: u16::try_from(status).unwrap_or(500),
            content_type: content_type.unwrap_or_default(),
            body: body.unwrap_or_default(),
        }),
        (_, None, _, _) => Reservation::InProgress,
    })
}

/// Keeps the answer to a reserved key.
pub async fn keep_answer(
    conn: &mut SqliteConnection,
    token_id: i64,
    key: &str,
    answer: &KeptAnswer,
) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE api_requests SET status = ?, content_type = ?, body = ?
         WHERE token_id = ? AND idempotency_key = ?",
    )
    .bind(i64::from(answer.status))
    .bind(&answer.content_type)
    .bind(&answer.body)
    .bind(token_id)
    .bind(key)
    .execute(conn)
    .await?;
    Ok(())
}

/// Frees a reserved key whose request failed on the server before changing anything, so
/// the client may retry with it.
pub async fn release(conn: &mut SqliteConnection, token_id: i64, key: &str) -> sqlx::Result<()> {
    sqlx::query(
        "DELETE FROM api_requests WHERE token_id = ? AND idempotency_key = ? AND status IS NULL",
    )
    .bind(token_id)
    .bind(key)
    .execute(conn)
    .await?;
    Ok(())
}

/// How long a key's answer is kept for retries.
pub const KEEP_ANSWERS_DAYS: i64 = 30;

/// Forgets the keys (and their answers) reserved before `before`; how many went. A client
/// retrying later than this is sending a new request.
pub async fn forget_answers_before(
    conn: &mut SqliteConnection,
    before: chrono::DateTime<chrono::Utc>,
) -> sqlx::Result<u64> {
    let cutoff = before.to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    let gone = sqlx::query("DELETE FROM api_requests WHERE created_at < ?")
        .bind(cutoff)
        .execute(conn)
        .await?;
    Ok(gone.rows_affected())
}
