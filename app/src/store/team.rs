//! The people who use the books: the owner invites a bookkeeper or a viewer by a one-time
//! link, and can disable and re-enable them. Invitation tokens, like session tokens, are
//! stored only as hashes.

use super::users::{create_user, new_token, revoke_sessions, token_hash};
use crate::api::team::{Invitation, TeamMember};
use sqlx::SqliteConnection;

/// How long an invitation link works.
pub const INVITATION_DAYS: i64 = 7;

pub async fn list_members(conn: &mut SqliteConnection) -> sqlx::Result<Vec<TeamMember>> {
    let rows: Vec<(i64, String, String, String, Option<String>)> = sqlx::query_as(
        "SELECT id, email, role, created_at, disabled_at FROM users ORDER BY role <> 'owner', email",
    )
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, email, role, created_at, disabled_at)| TeamMember {
            id,
            email,
            role,
            since: created_at.get(..10).unwrap_or_default().to_string(),
            disabled: disabled_at.is_some(),
        })
        .collect())
}

/// Invitations not yet accepted, revoked or expired.
pub async fn open_invitations(conn: &mut SqliteConnection) -> sqlx::Result<Vec<Invitation>> {
    let rows: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT email, role, expires_at FROM invitations
         WHERE accepted_at IS NULL AND revoked_at IS NULL AND expires_at > ?
         ORDER BY created_at",
    )
    .bind(chrono::Utc::now().to_rfc3339())
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(email, role, expires_at)| Invitation {
            email,
            role,
            expires_on: expires_at.get(..10).unwrap_or_default().to_string(),
        })
        .collect())
}

/// Why an invitation cannot be made.
#[derive(Debug, PartialEq, Eq)]
pub enum InviteRefusal {
    AlreadyAUser,
}

/// Makes a one-time invitation and returns its secret token (for the link). An earlier open
/// invitation for the same email stops working.
pub async fn invite(
    conn: &mut SqliteConnection,
    email: &str,
    role: &str,
    invited_by: i64,
) -> anyhow::Result<Result<String, InviteRefusal>> {
    let taken: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM users WHERE email = ?")
        .bind(email.trim())
        .fetch_one(&mut *conn)
        .await?;
    if taken > 0 {
        return Ok(Err(InviteRefusal::AlreadyAUser));
    }
    revoke_invitations(conn, email).await?;
    let token = new_token();
    let now = chrono::Utc::now();
    sqlx::query(
        "INSERT INTO invitations (token_hash, email, role, invited_by, created_at, expires_at)
         VALUES (?, ?, ?, ?, ?, ?)",
    )
    .bind(token_hash(&token))
    .bind(email.trim())
    .bind(role)
    .bind(invited_by)
    .bind(now.to_rfc3339())
    .bind((now + chrono::Duration::days(INVITATION_DAYS)).to_rfc3339())
    .execute(conn)
    .await?;
    Ok(Ok(token))
}

/// Stops every open invitation for an email; the number stopped.
pub async fn revoke_invitations(conn: &mut SqliteConnection, email: &str) -> sqlx::Result<u64> {
    let done = sqlx::query(
        "UPDATE invitations SET revoked_at = ? WHERE email = ? AND accepted_at IS NULL AND revoked_at IS NULL",
    )
    .bind(super::now_text())
    .bind(email.trim())
    .execute(conn)
    .await?;
    Ok(done.rows_affected())
}

/// The email and role of a usable invitation.
pub async fn find_invitation(
    conn: &mut SqliteConnection,
    token: &str,
) -> sqlx::Result<Option<(String, String)>> {
    sqlx::query_as(
        "SELECT email, role FROM invitations
         WHERE token_hash = ? AND accepted_at IS NULL AND revoked_at IS NULL AND expires_at > ?",
    )
    .bind(token_hash(token))
    .bind(chrono::Utc::now().to_rfc3339())
    .fetch_optional(conn)
    .await
}

/// Turns a usable invitation into a user with the password chosen; the link then stops
/// working. `None` when the invitation is not usable (used, revoked, expired or unknown).
pub async fn accept_invitation(
    conn: &mut SqliteConnection,
    token: &str,
    password: &str,
) -> anyhow::Result<Option<i64>> {
    let Some((email, role)) = find_invitation(conn, token).await? else {
        return Ok(None);
    };
    let claimed = sqlx::query(
        "UPDATE invitations SET accepted_at = ? WHERE token_hash = ? AND accepted_at IS NULL",
    )
    .bind(super::now_text())
    .bind(token_hash(token))
    .execute(&mut *conn)
    .await?;
    if claimed.rows_affected() != 1 {
        return Ok(None);
    }
    Ok(Some(create_user(conn, &email, password, &role).await?))
}

/// Why a user's access cannot be changed.
#[derive(Debug, PartialEq, Eq)]
pub enum DisableRefusal {
    NoSuchUser,
    Owner,
}

/// Disables (ending their sessions) or re-enables a user. The owner cannot be disabled.
pub async fn set_disabled(
    conn: &mut SqliteConnection,
    user_id: i64,
    disabled: bool,
) -> anyhow::Result<Result<(), DisableRefusal>> {
    let role: Option<String> = sqlx::query_scalar("SELECT role FROM users WHERE id = ?")
        .bind(user_id)
        .fetch_optional(&mut *conn)
        .await?;
    match role.as_deref() {
        None => return Ok(Err(DisableRefusal::NoSuchUser)),
        Some("owner") => return Ok(Err(DisableRefusal::Owner)),
        Some(_) => {}
    }
    let at = disabled.then(super::now_text);
    sqlx::query("UPDATE users SET disabled_at = ? WHERE id = ?")
        .bind(at)
        .bind(user_id)
        .execute(&mut *conn)
        .await?;
    if disabled {
        revoke_sessions(conn, user_id, None).await?;
    }
    Ok(Ok(()))
}
