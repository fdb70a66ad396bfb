//! Private invoice links: read, create (or replace) and revoke the link that lets a customer
//! see one issued invoice without signing in.

use super::error::AppError;
use crate::domain::InvoiceId;
use chrono::{DateTime, Utc};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use server_fn::codec::Json;

/// An invoice's live private link, as its page shows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct InvoiceLink {
    /// The path the customer opens, `/p/<token>`; the page puts its own origin before it.
    pub path: String,
    pub created_at: DateTime<Utc>,
    /// How often the customer opened it (visits by signed-in users are not counted).
    pub views: i64,
    pub first_viewed: Option<DateTime<Utc>>,
    pub last_viewed: Option<DateTime<Utc>>,
    /// "Viewed by the customer on 5 Dec 2026 at 14:02" (twice: "…, first on …"), in the
    /// business's time zone; "Not viewed by the customer yet" before the first view.
    pub viewed_note: String,
}

/// What the invoice page says about a link's views, with times in `zone`.
#[cfg(feature = "ssr")]
fn viewed_note(
    views: i64,
    first: Option<DateTime<Utc>>,
    last: Option<DateTime<Utc>>,
    zone: chrono_tz::Tz,
) -> String {
    let at = |t: DateTime<Utc>| {
        t.with_timezone(&zone)
            .format("%-d %b %Y at %H:%M")
            .to_string()
    };
    match (views, first, last) {
        (0, ..) | (_, None, _) | (_, _, None) => "Not viewed by the customer yet".into(),
        (1, Some(first), _) => format!("Viewed by the customer on {}", at(first)),
        (n, Some(first), Some(last)) => format!(
            "Viewed by the customer {n} times, last on {}, first on {}",
            at(last),
            at(first)
        ),
    }
}

/// The path of the public page a token opens.
pub fn link_path(token: &str) -> String {
    format!("/p/{token}")
}

#[cfg(feature = "ssr")]
fn link_error(e: crate::store::invoice_links::LinkError) -> AppError {
    use crate::store::invoice_links::LinkError;
    match e {
        LinkError::NotFound => AppError::NotFound("The invoice".into()),
        LinkError::Draft => AppError::Conflict(e.to_string()),
        LinkError::Store(e) => super::context::internal(e),
    }
}

/// The invoice's live link, if it has one.
#[server(endpoint = "get_invoice_link", input = Json)]
pub async fn get_invoice_link(id: InvoiceId) -> Result<Option<InvoiceLink>, AppError> {
    use super::context::{business, internal, require_user};
    let (state, _) = require_user().await?;
    let zone = business(&state).await?.time_zone;
    let mut conn = state.pool.acquire().await.map_err(internal)?;
    let record = crate::store::invoice_links::live_link(&mut conn, id)
        .await
        .map_err(internal)?;
    Ok(record.map(|r| InvoiceLink {
        viewed_note: viewed_note(r.views, r.first_viewed, r.last_viewed, zone),
        path: link_path(&r.token),
        created_at: r.created_at,
        views: r.views,
        first_viewed: r.first_viewed,
        last_viewed: r.last_viewed,
    }))
}

/// Gives an issued invoice a new private link (revoking the one it had). Returns its path.
#[server(endpoint = "create_invoice_link", input = Json)]
pub async fn create_invoice_link(id: InvoiceId) -> Result<String, AppError> {
    use super::context::{internal, require_writer};
    let (state, user) = require_writer().await?;
    let mut tx = crate::store::begin_write(&state.pool, &super::context::actor(&user))
        .await
        .map_err(internal)?;
    let token = crate::store::invoice_links::create_link(&mut tx, id, user.id, Utc::now())
        .await
        .map_err(link_error)?;
    tx.commit().await.map_err(internal)?;
    state.publish("invoice");
    tracing::info!(invoice = id.0, "private invoice link created");
    Ok(link_path(&token))
}

/// Revokes the invoice's private link: from now on it answers "not found".
#[server(endpoint = "revoke_invoice_link", input = Json)]
pub async fn revoke_invoice_link(id: InvoiceId) -> Result<(), AppError> {
    use super::context::{internal, require_writer};
    let (state, user) = require_writer().await?;
    let mut tx = crate::store::begin_write(&state.pool, &super::context::actor(&user))
        .await
        .map_err(internal)?;
    let revoked = crate::store::invoice_links::revoke_link(&mut tx, id, Utc::now())
        .await
        .map_err(internal)?;
    tx.commit().await.map_err(internal)?;
    if revoked {
        state.publish("invoice");
        tracing::info!(invoice = id.0, "private invoice link revoked");
    }
    Ok(())
}
