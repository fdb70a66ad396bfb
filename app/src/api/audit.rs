//! The audit trail: the log of every recorded change, and one invoice's history.
//!
//! Who may read the log: the owner and the bookkeeper, who answer for the books and need to
//! see who changed what; a viewer may not, since the log holds the team's emails and every
//! earlier value of every record. An invoice's history is shown to anyone who can see the
//! invoice.

use super::error::AppError;
use crate::domain::audit::{FieldChange, HistoryItem};
use crate::domain::InvoiceId;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use server_fn::codec::Json;

/// Rows per page of the log.
pub const LOG_PAGE: i64 = 50;

/// What the log page asks for; empty strings do not filter. Dates are days in the business's
/// time zone, both included. `before` is the cursor: the id of the last row already shown.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct AuditQuery {
    pub kind: String,
    pub document: String,
    pub actor: String,
    pub from: String,
    pub to: String,
    pub before: Option<i64>,
}

/// One recorded change, ready to show.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub id: i64,
    /// When, in the business's time zone: `2026-12-05 14:03:07`.
    pub when: String,
    pub actor: String,
    pub kind: String,
    pub entity_id: i64,
    pub entity_ref: Option<String>,
    pub action: String,
    pub changes: Vec<FieldChange>,
    /// The page of the thing changed, when it has one.
    pub href: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AuditPage {
    pub entries: Vec<AuditEntry>,
    /// The cursor for the next (older) page, if there is one.
    pub next: Option<i64>,
    /// Everyone and everything that has written to the log, for the filter.
    pub actors: Vec<String>,
}

/// The kinds of things the log records, with their names for people.
pub const KINDS: &[(&str, &str)] = &[
    ("invoice", "Invoice"),
    ("payment", "Payment"),
    ("credit_note", "Credit note"),
    ("customer", "Customer"),
    ("expense", "Expense or bill"),
    ("vendor", "Vendor"),
    ("journal_entry", "Journal entry"),
    ("recurring", "Recurring invoice"),
    ("account", "Account"),
    ("bank_account", "Bank account"),
    ("bank_statement", "Bank statement"),
    ("bank_line", "Bank line"),
    ("bank_rule", "Bank rule"),
    ("business", "Business settings"),
    ("numbering", "Numbering"),
    ("user", "User"),
    ("invitation", "Invitation"),
    ("api_token", "API token"),
];

/// The name people use for a kind of thing.
pub fn kind_label(kind: &str) -> &str {
    KINDS
        .iter()
        .find(|(k, _)| *k == kind)
        .map_or(kind, |(_, label)| label)
}

/// A page of the log, newest first.
#[server(endpoint = "list_audit", input = Json)]
pub async fn list_audit(query: AuditQuery) -> Result<AuditPage, AppError> {
    use super::context::{business, internal, require_user};
    use crate::store::audit::{actors, list_log, LogFilter};
    let (state, user) = require_user().await?;
    if user.role == "viewer" {
        return Err(AppError::Forbidden(
            "Only the owner and the bookkeeper can read the audit log.".into(),
        ));
    }
    let zone = business(&state).await?.time_zone;
    let filter = LogFilter {
        kind: server::non_empty(&query.kind),
        document: server::non_empty(&query.document),
        actor: server::non_empty(&query.actor),
        from: server::day_start(&query.from, zone, 0, "from")?,
        to: server::day_start(&query.to, zone, 1, "to")?,
    };
    let mut conn = state.pool.acquire().await.map_err(internal)?;
    let mut rows = list_log(&mut conn, &filter, query.before, LOG_PAGE + 1)
        .await
        .map_err(internal)?;
    let more = rows.len() as i64 > LOG_PAGE;
    rows.truncate(LOG_PAGE as usize);
    let next = more.then(|| rows.last().map(|r| r.id)).flatten();
    Ok(AuditPage {
        entries: rows.into_iter().map(|r| server::entry(r, zone)).collect(),
        next,
        actors: actors(&mut conn).await.map_err(internal)?,
    })
}

/// What happened to an invoice, oldest first, with times in the business's time zone.
#[server(endpoint = "get_invoice_history", input = Json)]
pub async fn get_invoice_history(id: InvoiceId) -> Result<Vec<HistoryItem>, AppError> {
    use super::context::{business, internal, require_user};
    let (state, _) = require_user().await?;
    let zone = business(&state).await?.time_zone;
    let mut conn = state.pool.acquire().await.map_err(internal)?;
    let items = crate::store::invoice_history::invoice_history(&mut conn, id)
        .await
        .map_err(internal)?
        .ok_or(AppError::NotFound("The invoice".into()))?;
    Ok(items
        .into_iter()
        .map(|item| HistoryItem {
            at: server::local_time(&item.at, zone),
            ..item
        })
        .collect())
}

#[cfg(feature = "ssr")]
mod server {
    use super::{AppError, AuditEntry};
    use crate::domain::audit::field_changes;
    use crate::store::audit::LogRow;
    use chrono::{DateTime, Days, NaiveDate, TimeZone, Utc};

    pub fn non_empty(text: &str) -> Option<String> {
        let text = text.trim();
        (!text.is_empty()).then(|| text.to_string())
    }

    /// The instant a day (plus `add_days`) starts in `zone`, as the log stores instants.
    pub fn day_start(
        text: &str,
        zone: chrono_tz::Tz,
        add_days: u64,
        field: &str,
    ) -> Result<Option<String>, AppError> {
        if text.trim().is_empty() {
            return Ok(None);
        }
        let day = NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
            .map_err(|_| AppError::invalid(field, "enter a date as YYYY-MM-DD"))?;
        let start = (day + Days::new(add_days))
            .and_hms_opt(0, 0, 0)
            .and_then(|t| zone.from_local_datetime(&t).earliest())
            .ok_or_else(|| AppError::invalid(field, "that day does not exist here"))?;
        Ok(Some(
            start
                .with_timezone(&Utc)
                .to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
        ))
    }

    /// A stored instant shown in the business's time zone; left as it is if unreadable.
    pub fn local_time(at: &str, zone: chrono_tz::Tz) -> String {
        DateTime::parse_from_rfc3339(at)
            .map(|t| {
                t.with_timezone(&zone)
                    .format("%Y-%m-%d %H:%M:%S")
                    .to_string()
            })
            .unwrap_or_else(|_| at.to_string())
    }

    pub fn entry(row: LogRow, zone: chrono_tz::Tz) -> AuditEntry {
        let parse = |json: &Option<String>| {
            json.as_deref()
                .and_then(|j| serde_json::from_str::<serde_json::Value>(j).ok())
        };
        let changes = field_changes(parse(&row.before).as_ref(), parse(&row.after).as_ref());
        let href = match row.entity_kind.as_str() {
            "invoice" => Some(format!("/invoices/{}", row.entity_id)),
            "customer" => Some(format!("/customers/{}", row.entity_id)),
            "payment" => Some(format!("/payments/{}", row.entity_id)),
            "credit_note" => Some(format!("/credit-notes/{}", row.entity_id)),
            "expense" => Some(format!("/expenses/{}", row.entity_id)),
            "vendor" => Some(format!("/vendors/{}", row.entity_id)),
            "journal_entry" => Some(format!("/books/journal/{}", row.entity_id)),
            "recurring" => Some(format!("/recurring/{}", row.entity_id)),
            _ => None,
        };
        AuditEntry {
            id: row.id,
            when: local_time(&row.at, zone),
            actor: row.actor,
            kind: row.entity_kind,
            entity_id: row.entity_id,
            entity_ref: row.entity_ref,
            action: row.action,
            changes,
            href,
        }
    }
}
