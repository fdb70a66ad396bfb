//! Who may use the books: the owner invites, disables and re-enables people; anyone signed
//! in changes their own password or signs out everywhere; an invited person accepts a link.

use super::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use server_fn::codec::Json;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TeamMember {
    pub id: i64,
    pub email: String,
    pub role: String,
    /// The day the account was made.
    pub since: String,
    pub disabled: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Invitation {
    pub email: String,
    pub role: String,
    pub expires_on: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Team {
    pub members: Vec<TeamMember>,
    pub invitations: Vec<Invitation>,
}

/// What an invitation link shows before it is accepted.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct InvitationView {
    pub email: String,
    pub role: String,
    pub business_name: String,
}

/// The roles an owner can invite.
pub const INVITABLE_ROLES: [&str; 2] = ["bookkeeper", "viewer"];

#[server(endpoint = "list_team", input = Json)]
pub async fn list_team() -> Result<Team, AppError> {
    use super::context::{internal, require_owner};
    use crate::store::team;
    let (state, _) = require_owner().await?;
    let mut conn = state.pool.acquire().await.map_err(internal)?;
    Ok(Team {
        members: team::list_members(&mut conn).await.map_err(internal)?,
        invitations: team::open_invitations(&mut conn).await.map_err(internal)?,
    })
}

/// Invites someone; returns the path of their one-time link (shown once, to pass on).
#[server(endpoint = "invite_user", input = Json)]
pub async fn invite_user(email: String, role: String) -> Result<String, AppError> {
    use super::context::{internal, require_owner};
    use crate::store::{begin_write, team};
    let (state, owner) = require_owner().await?;
    let mut errors = super::FieldErrors::default();
    let email = email.trim().to_string();
    if !email.contains('@') || email.len() < 3 || email.len() > 254 {
        errors.add("email", "enter an email address");
    }
    if !INVITABLE_ROLES.contains(&role.as_str()) {
        errors.add("role", "choose bookkeeper or viewer");
    }
    errors.into_result()?;
    let mut tx = begin_write(&state.pool, &super::context::actor(&owner))
        .await
        .map_err(internal)?;
    let token = team::invite(&mut tx, &email, &role, owner.id)
        .await
        .map_err(internal)?
        .map_err(|_| AppError::invalid("email", "this person already has an account"))?;
    tx.commit().await.map_err(internal)?;
    state.publish("team");
    tracing::info!(invited_by = owner.id, role, "invitation made");
    Ok(format!("/invite/{token}"))
}

#[server(endpoint = "revoke_invitation", input = Json)]
pub async fn revoke_invitation(email: String) -> Result<(), AppError> {
    use super::context::{internal, require_owner};
    let (state, owner) = require_owner().await?;
    let mut tx = crate::store::begin_write(&state.pool, &super::context::actor(&owner))
        .await
        .map_err(internal)?;
    crate::store::team::revoke_invitations(&mut tx, &email)
        .await
        .map_err(internal)?;
    tx.commit().await.map_err(internal)?;
    state.publish("team");
    Ok(())
}

#[server(endpoint = "set_user_disabled", input = Json)]
pub async fn set_user_disabled(id: i64, disabled: bool) -> Result<(), AppError> {
    use super::context::{internal, require_owner};
    use crate::store::team::{set_disabled, DisableRefusal};
    let (state, owner) = require_owner().await?;
    let mut tx = crate::store::begin_write(&state.pool, &super::context::actor(&owner))
        .await
        .map_err(internal)?;
    match set_disabled(&mut tx, id, disabled)
        .await
        .map_err(internal)?
    {
        Ok(()) => {}
        Err(DisableRefusal::NoSuchUser) => return Err(AppError::NotFound("No such user.".into())),
        Err(DisableRefusal::Owner) => {
            return Err(AppError::Conflict("The owner cannot be disabled.".into()))
        }
    }
    tx.commit().await.map_err(internal)?;
    state.publish("team");
    tracing::info!(by = owner.id, user = id, disabled, "user access changed");
    Ok(())
}

/// What an invitation link is for; `NotFound` once it is used, revoked or expired.
#[server(endpoint = "get_invitation", input = Json)]
pub async fn get_invitation(token: String) -> Result<InvitationView, AppError> {
    use super::context::{business, internal, state};
    let state = state()?;
    let mut conn = state.pool.acquire().await.map_err(internal)?;
    let (email, role) = crate::store::team::find_invitation(&mut conn, &token)
        .await
        .map_err(internal)?
        .ok_or_else(used_up)?;
    drop(conn);
    Ok(InvitationView {
        email,
        role,
        business_name: business(&state).await?.name,
    })
}

#[cfg(feature = "ssr")]
fn used_up() -> AppError {
    AppError::NotFound(
        "This invitation link has been used, withdrawn or has expired; ask the owner for a new one."
            .into(),
    )
}

/// Accepts an invitation with the password the person chose, and signs them in.
#[server(endpoint = "accept_invitation", input = Json)]
pub async fn accept_invitation(token: String, password: String) -> Result<(), AppError> {
    use super::auth::server::{session_seconds, set_session_cookie};
    use super::context::{internal, state};
    use crate::store::{begin_write, team, users};
    if let Some(problem) = users::password_problem(&password) {
        return Err(AppError::invalid("password", problem));
    }
    let state = state()?;
    let newcomer = crate::store::audit::Actor::Named("invited person".into());
    let mut tx = begin_write(&state.pool, &newcomer)
        .await
        .map_err(internal)?;
    let user = team::accept_invitation(&mut tx, &token, &password)
        .await
        .map_err(internal)?
        .ok_or_else(used_up)?;
    let session = users::create_session(&mut tx, user)
        .await
        .map_err(internal)?;
    tx.commit().await.map_err(internal)?;
    set_session_cookie(&session, session_seconds())?;
    state.publish("team");
    tracing::info!(user, "invitation accepted");
    Ok(())
}

/// Changes the signed-in person's password; their other sessions end.
#[server(endpoint = "change_password", input = Json)]
pub async fn change_password(current: String, new: String) -> Result<(), AppError> {
    use super::context::{client_address, internal, require_user, session_token};
    use crate::store::users;
    let (state, user) = require_user().await?;
    let from = client_address();
    if let Some(problem) = users::password_problem(&new) {
        return Err(AppError::invalid("new", problem));
    }
    let Some(attempt) = state.sign_in_failures.begin_attempt(&user.email, from) else {
        return Err(AppError::Conflict(
            "Too many failed attempts for this account; try again in 15 minutes.".into(),
        ));
    };
    let token = session_token().unwrap_or_default();
    let mut tx = crate::store::begin_write(&state.pool, &super::context::actor(&user))
        .await
        .map_err(internal)?;
    if !users::change_password(&mut tx, &user, &current, &new, &token)
        .await
        .map_err(internal)?
    {
        return Err(AppError::invalid(
            "current",
            "that is not your current password",
        ));
    }
    tx.commit().await.map_err(internal)?;
    state.sign_in_failures.succeeded(&user.email, from, attempt);
    tracing::info!(user = user.id, "password changed; other sessions ended");
    Ok(())
}

/// Ends every session of the signed-in person, on every device, this one included.
#[server(endpoint = "sign_out_everywhere", input = Json)]
pub async fn sign_out_everywhere() -> Result<(), AppError> {
    use super::auth::server::set_session_cookie;
    use super::context::{internal, require_user};
    let (state, user) = require_user().await?;
    let mut conn = state.pool.acquire().await.map_err(internal)?;
    let ended = crate::store::users::revoke_sessions(&mut conn, user.id, None)
        .await
        .map_err(internal)?;
    set_session_cookie("", 0)?;
    tracing::info!(user = user.id, sessions = ended, "signed out everywhere");
    Ok(())
}
