//! Users and their sessions. Passwords are argon2id hashes; session tokens are stored only
//! as SHA-256 hashes.

use super::business::{business_from_columns, Business};
use argon2::password_hash::{
    rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString,
};
use argon2::Argon2;
use rand::RngCore;
use sha2::{Digest, Sha256};
use sqlx::SqliteConnection;

/// How long a session lasts without signing in again.
pub const SESSION_DAYS: i64 = 30;

#[derive(Clone, Debug)]
pub struct User {
    pub id: i64,
    pub email: String,
    pub role: String,
}

pub fn hash_password(password: &str) -> anyhow::Result<String> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| anyhow::anyhow!("cannot hash password: {e}"))
}

fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|parsed| {
        Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok()
    })
}

/// Refuses passwords that are too short to protect money.
pub fn password_problem(password: &str) -> Option<&'static str> {
    (password.chars().count() < 10).then_some("use at least 10 characters")
}

pub async fn count_users(conn: &mut SqliteConnection) -> sqlx::Result<i64> {
    sqlx::query_scalar("SELECT COUNT(*) FROM users")
        .fetch_one(conn)
        .await
}

pub async fn create_user(
    conn: &mut SqliteConnection,
    email: &str,
    password: &str,
    role: &str,
) -> anyhow::Result<i64> {
    let hash = hash_password(password)?;
    let id = sqlx::query_scalar("INSERT INTO users (email, password_hash, role, created_at) VALUES (?, ?, ?, ?) RETURNING id")
        .bind(email.trim())
        .bind(hash)
        .bind(role)
        .bind(super::now_text())
        .fetch_one(conn)
        .await?;
    Ok(id)
}

/// Checks an email and password; `None` when either is wrong. An unknown email costs the
/// same hashing work as a known one, so timing does not tell which emails have accounts, and
/// the work runs off the async threads so sign-ins do not stall other requests.
pub async fn authenticate(
    pool: &sqlx::SqlitePool,
    email: &str,
    password: &str,
) -> sqlx::Result<Option<User>> {
    // The connection goes back to the pool before the (deliberately slow) hash is checked,
    // so a burst of sign-ins cannot hold every connection.
    let row = {
        let mut conn = pool.acquire().await?;
        account_row(&mut conn, email).await?
    };
    verify(row, password).await
}

/// The same check inside the caller's transaction (a password change).
async fn authenticate_in(
    conn: &mut SqliteConnection,
    email: &str,
    password: &str,
) -> sqlx::Result<Option<User>> {
    let row = account_row(conn, email).await?;
    verify(row, password).await
}

type AccountRow = Option<(i64, String, String, String)>;

async fn account_row(conn: &mut SqliteConnection, email: &str) -> sqlx::Result<AccountRow> {
    sqlx::query_as(
        "SELECT id, email, role, password_hash FROM users WHERE email = ? AND disabled_at IS NULL",
    )
    .bind(email.trim())
    .fetch_optional(conn)
    .await
}

/// The user when `password` matches; an unknown email costs the same hash check.
async fn verify(row: AccountRow, password: &str) -> sqlx::Result<Option<User>> {
    let (user, hash) = match row {
        Some((id, email, role, hash)) => (Some(User { id, email, role }), hash),
        None => (None, unknown_user_hash().to_string()),
    };
    let password = password.to_string();
    let matches = tokio::task::spawn_blocking(move || verify_password(&password, &hash))
        .await
        .unwrap_or(false);
    Ok(user.filter(|_| matches))
}

/// A hash no password matches, checked when the email is unknown.
fn unknown_user_hash() -> &'static str {
    static HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HASH.get_or_init(|| {
        let mut secret = [0u8; 32];
        rand::thread_rng().fill_bytes(&mut secret);
        hash_password(&hex::encode(secret)).unwrap_or_default()
    })
}

pub(crate) fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// A fresh random secret, hex-encoded (for session cookies and invitation links).
pub(crate) fn new_token() -> String {
    let mut bytes = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut bytes);
    hex::encode(bytes)
}

/// Opens a session and returns its secret token (for the cookie).
pub async fn create_session(conn: &mut SqliteConnection, user_id: i64) -> sqlx::Result<String> {
    let token = new_token();
    let now = chrono::Utc::now();
    let expires = now + chrono::Duration::days(SESSION_DAYS);
    sqlx::query(
        "INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)",
    )
    .bind(token_hash(&token))
    .bind(user_id)
    .bind(now.to_rfc3339())
    .bind(expires.to_rfc3339())
    .execute(conn)
    .await?;
    Ok(token)
}

pub async fn session_user(conn: &mut SqliteConnection, token: &str) -> sqlx::Result<Option<User>> {
    let row: Option<(i64, String, String)> = sqlx::query_as(
        "SELECT u.id, u.email, u.role FROM sessions s JOIN users u ON u.id = s.user_id
         WHERE s.token_hash = ? AND s.expires_at > ? AND u.disabled_at IS NULL",
    )
    .bind(token_hash(token))
    .bind(chrono::Utc::now().to_rfc3339())
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|(id, email, role)| User { id, email, role }))
}

/// A session's user together with the business's settings, in one query: what every
/// request behind the sign-in gate needs first. `None` as `session_user`. Settings that
/// cannot be read (say, a time zone this build does not know) leave the user signed in,
/// without them: whoever needs them then reads them and gets the error.
pub async fn session_user_and_business(
    conn: &mut SqliteConnection,
    token: &str,
) -> sqlx::Result<Option<(User, Option<Business>)>> {
    type Row = (i64, String, String, String, String, String, String);
    let row: Option<Row> = sqlx::query_as(
        "SELECT u.id, u.email, u.role, b.name, b.base_currency, b.time_zone, b.tax_rounding
         FROM sessions s JOIN users u ON u.id = s.user_id JOIN business b ON b.id = 1
         WHERE s.token_hash = ? AND s.expires_at > ? AND u.disabled_at IS NULL",
    )
    .bind(token_hash(token))
    .bind(chrono::Utc::now().to_rfc3339())
    .fetch_optional(conn)
    .await?;
    let Some((id, email, role, name, currency, tz, rounding)) = row else {
        return Ok(None);
    };
    let business = business_from_columns(name, &currency, &tz, &rounding).ok();
    Ok(Some((User { id, email, role }, business)))
}

pub async fn delete_session(conn: &mut SqliteConnection, token: &str) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM sessions WHERE token_hash = ?")
        .bind(token_hash(token))
        .execute(conn)
        .await?;
    Ok(())
}

/// Ends every session of a user, or every one but `keep` (a session token).
pub async fn revoke_sessions(
    conn: &mut SqliteConnection,
    user_id: i64,
    keep: Option<&str>,
) -> sqlx::Result<u64> {
    let kept = keep.map(token_hash).unwrap_or_default();
    let done = sqlx::query("DELETE FROM sessions WHERE user_id = ? AND token_hash <> ?")
        .bind(user_id)
        .bind(kept)
        .execute(conn)
        .await?;
    Ok(done.rows_affected())
}

/// Sets a new password after checking the current one; ends the user's other sessions.
/// `false` when the current password is wrong.
pub async fn change_password(
    conn: &mut SqliteConnection,
    user: &User,
    current: &str,
    new: &str,
    keep_session: &str,
) -> anyhow::Result<bool> {
    if authenticate_in(conn, &user.email, current).await?.is_none() {
        return Ok(false);
    }
    set_password(conn, user.id, new).await?;
    revoke_sessions(conn, user.id, Some(keep_session)).await?;
    Ok(true)
}

/// Sets a user's password by email (the command line's reset) and ends all their sessions.
/// `None` when no user has that email.
pub async fn reset_password(
    conn: &mut SqliteConnection,
    email: &str,
    new: &str,
) -> anyhow::Result<Option<i64>> {
    let id: Option<i64> = sqlx::query_scalar("SELECT id FROM users WHERE email = ?")
        .bind(email.trim())
        .fetch_optional(&mut *conn)
        .await?;
    let Some(id) = id else { return Ok(None) };
    set_password(conn, id, new).await?;
    revoke_sessions(conn, id, None).await?;
    Ok(Some(id))
}

async fn set_password(
    conn: &mut SqliteConnection,
    user_id: i64,
    password: &str,
) -> anyhow::Result<()> {
    let owned = password.to_string();
    let hash = tokio::task::spawn_blocking(move || hash_password(&owned)).await??;
    sqlx::query("UPDATE users SET password_hash = ? WHERE id = ?")
        .bind(hash)
        .bind(user_id)
        .execute(conn)
        .await?;
    Ok(())
}
