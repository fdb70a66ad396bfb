//! Emailing invoices: the SMTP settings (owner only; the password is never sent back), the
//! prefilled email for an invoice, sending it with its PDF, and the log of what was sent.

use super::error::AppError;
use crate::domain::delivery::EmailSecurity;
use crate::domain::InvoiceId;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use server_fn::codec::Json;

/// The email settings as the settings page shows them: the password only as "set or not".
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct EmailSettingsView {
    pub host: String,
    pub port: String,
    pub security: EmailSecurity,
    pub username: String,
    pub password_set: bool,
    pub from_address: String,
    pub site_address: String,
}

/// The email settings form. An empty `password` keeps the stored one.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct EmailSettingsForm {
    pub host: String,
    pub port: String,
    pub security: String,
    pub username: String,
    pub password: String,
    pub from_address: String,
    pub site_address: String,
}

/// An invoice's email as first offered: to the customer, subject and message filled in.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct EmailDraft {
    pub to: String,
    pub subject: String,
    pub message: String,
    /// Whether sending is set up in the settings.
    pub configured: bool,
    /// Whether the invoice has a private link (added below the message).
    pub has_link: bool,
}

/// The email form on the invoice page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EmailForm {
    pub invoice_id: InvoiceId,
    pub to: String,
    pub subject: String,
    pub message: String,
}

/// One line of an invoice's email log.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DeliveryView {
    pub recipient: String,
    pub subject: String,
    /// "5 Dec 2026 14:02", in the business's time zone.
    pub sent_at: String,
    pub sent: bool,
    pub error: String,
}

/// Makes an invoice's PDF. The PDF writer lives in the server binary, which provides this
/// in the request context so the server functions here can attach the PDF.
#[cfg(feature = "ssr")]
#[derive(Clone, Copy)]
pub struct InvoicePdf(
    pub fn(&super::documents::InvoiceDocument, Option<&crate::store::business::Logo>) -> Vec<u8>,
);

#[cfg(feature = "ssr")]
fn parse_settings(
    form: &EmailSettingsForm,
) -> Result<crate::store::email::EmailSettings, AppError> {
    use crate::domain::delivery::check_address;
    let mut errors = super::error::FieldErrors::default();
    let host = form.host.trim().to_string();
    if host.is_empty() || host.chars().any(|c| c.is_whitespace() || c == '/') {
        errors.add("host", "the mail server's name, like smtp.example.com");
    }
    let port = form.port.trim().parse::<u16>().ok().filter(|p| *p > 0);
    if port.is_none() {
        errors.add("port", "a port from 1 to 65535, usually 587 or 465");
    }
    let security = EmailSecurity::from_key(&form.security);
    if security.is_none() {
        errors.add("security", "choose how the connection is secured");
    }
    if let Err(why) = check_address(&form.from_address) {
        errors.add("from_address", why);
    }
    let site = form.site_address.trim().trim_end_matches('/').to_string();
    let site_ok = site.is_empty()
        || ((site.starts_with("https://") || site.starts_with("http://"))
            && !site.chars().any(|c| c.is_whitespace() || c.is_control()));
    if !site_ok {
        errors.add(
            "site_address",
            "the address customers reach Settle at, like https://books.example.com",
        );
    }
    if form.password.chars().any(|c| c.is_control()) {
        errors.add("password", "a password is one line");
    }
    errors.into_result()?;
    Ok(crate::store::email::EmailSettings {
        host,
        port: port.unwrap_or(587),
        security: security.unwrap_or_default(),
        username: form.username.trim().to_string(),
        password: String::new(),
        from_address: form.from_address.trim().to_string(),
        site_address: site,
    })
}

/// The email settings, for the owner.
#[server(endpoint = "get_email_settings", input = Json)]
pub async fn get_email_settings() -> Result<EmailSettingsView, AppError> {
    use super::context::{internal, require_owner};
    let (state, _) = require_owner().await?;
    let mut conn = state.pool.acquire().await.map_err(internal)?;
    let stored = crate::store::email::get_email_settings(&mut conn)
        .await
        .map_err(internal)?;
    Ok(match stored {
        Some(s) => EmailSettingsView {
            host: s.host,
            port: s.port.to_string(),
            security: s.security,
            username: s.username,
            password_set: !s.password.is_empty(),
            from_address: s.from_address,
            site_address: s.site_address,
        },
        None => EmailSettingsView {
            port: "587".into(),
            ..EmailSettingsView::default()
        },
    })
}

/// Saves the email settings (owner only). An empty password keeps the stored one; clearing
/// the user name clears the password too.
#[server(endpoint = "save_email_settings", input = Json)]
pub async fn save_email_settings(form: EmailSettingsForm) -> Result<(), AppError> {
    use super::context::{internal, require_owner};
    use crate::store::email::PasswordChange;
    let (state, user) = require_owner().await?;
    let settings = parse_settings(&form)?;
    let password = if settings.username.is_empty() {
        PasswordChange::Replace(String::new())
    } else if form.password.is_empty() {
        PasswordChange::Keep
    } else {
        PasswordChange::Replace(form.password.clone())
    };
    let mut tx = crate::store::begin_write(&state.pool, &super::context::actor(&user))
        .await
        .map_err(internal)?;
    crate::store::email::save_email_settings(&mut tx, &settings, password)
        .await
        .map_err(internal)?;
    tx.commit().await.map_err(internal)?;
    state.publish("settings");
    tracing::info!("email settings saved");
    Ok(())
}

/// The email an invoice would be sent with, prefilled from the customer and the invoice.
#[server(endpoint = "get_invoice_email", input = Json)]
pub async fn get_invoice_email(id: InvoiceId) -> Result<EmailDraft, AppError> {
    use super::context::{internal, require_user};
    use crate::domain::delivery::{default_message, default_subject};
    let (state, _) = require_user().await?;
    let document = super::documents::load_invoice_document(&state, id).await?;
    let mut conn = state.pool.acquire().await.map_err(internal)?;
    let configured = crate::store::email::get_email_settings(&mut conn)
        .await
        .map_err(internal)?
        .is_some();
    let has_link = crate::store::invoice_links::live_link(&mut conn, id)
        .await
        .map_err(internal)?
        .is_some();
    let s = &document.detail.summary;
    let number = s.number.clone().unwrap_or_default();
    let business = document.business.display_name().to_string();
    let due = s.due_date.format("%-d %B %Y").to_string();
    Ok(EmailDraft {
        to: document.detail.customer_email.clone(),
        subject: default_subject(&number, &business),
        message: default_message(
            &s.customer_name,
            &number,
            &s.open.to_string(),
            &due,
            &business,
        ),
        configured,
        has_link,
    })
}

/// Where the customer reaches this server: the settings' site address, else the address
/// the request came to.
#[cfg(feature = "ssr")]
fn site_address(configured: &str) -> String {
    if !configured.is_empty() {
        return configured.to_string();
    }
    let Some(parts) = use_context::<http::request::Parts>() else {
        return String::new();
    };
    let header = |name: http::header::HeaderName| {
        parts
            .headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    };
    header(http::header::ORIGIN)
        .filter(|o| o.starts_with("http"))
        .or_else(|| header(http::header::HOST).map(|h| format!("http://{h}")))
        .unwrap_or_default()
}

/// Emails the issued invoice with its PDF attached (and its private link, if it has one),
/// and logs the attempt. A failure is logged too and explained.
#[server(endpoint = "email_invoice", input = Json)]
pub async fn email_invoice(form: EmailForm) -> Result<(), AppError> {
    use super::context::{internal, require_writer};
    use crate::domain::delivery::{body_with_link, check_address, check_header_text};
    use crate::domain::InvoiceStatus;
    use crate::store::email::{DeliveryRecord, Outcome};
    let (state, user) = require_writer().await?;
    let mut errors = super::error::FieldErrors::default();
    if let Err(why) = check_address(&form.to) {
        errors.add("to", why);
    }
    if let Err(why) = check_header_text(&form.subject) {
        errors.add("subject", why);
    }
    if form.message.chars().count() > 20_000 {
        errors.add("message", "keep the message under 20,000 characters");
    }
    errors.into_result()?;
    let document = super::documents::load_invoice_document(&state, form.invoice_id).await?;
    let number = match (
        document.detail.summary.status,
        &document.detail.summary.number,
    ) {
        (InvoiceStatus::Void, _) => {
            return Err(AppError::Conflict(
                "this invoice is void; there is nothing to send".into(),
            ))
        }
        (_, Some(number)) => number.clone(),
        (_, None) => {
            return Err(AppError::Conflict(
                "a draft cannot be emailed; issue it first".into(),
            ))
        }
    };
    let mut conn = state.pool.acquire().await.map_err(internal)?;
    let settings = crate::store::email::get_email_settings(&mut conn)
        .await
        .map_err(internal)?
        .ok_or_else(|| {
            AppError::Conflict(
                "sending email is not set up yet: the owner fills in the mail server in Settings"
                    .into(),
            )
        })?;
    let logo = if document.business.has_logo {
        crate::store::business::get_logo(&mut conn)
            .await
            .map_err(internal)?
    } else {
        None
    };
    let link = crate::store::invoice_links::live_link(&mut conn, form.invoice_id)
        .await
        .map_err(internal)?
        .map(|l| {
            format!(
                "{}{}",
                site_address(&settings.site_address),
                super::invoice_links::link_path(&l.token)
            )
        });
    drop(conn);
    let render = use_context::<InvoicePdf>()
        .ok_or_else(|| internal(anyhow::anyhow!("no PDF renderer in the request context")))?;
    let pdf = (render.0)(&document, logo.as_ref());
    let outgoing = super::mailer::Outgoing {
        to: form.to.trim().to_string(),
        subject: form.subject.trim().to_string(),
        body: body_with_link(&form.message, link.as_deref()),
        attachment_name: format!("{}.pdf", file_name_part(&number)),
        pdf,
    };
    let sent = super::mailer::send(&settings, outgoing).await;
    let record = DeliveryRecord {
        recipient: form.to.trim().to_string(),
        subject: form.subject.trim().to_string(),
        sent_at: chrono::Utc::now(),
        outcome: match &sent {
            Ok(()) => Outcome::Sent,
            Err(why) => Outcome::Failed(why.clone()),
        },
    };
    let mut tx = crate::store::begin_write(&state.pool, &super::context::actor(&user))
        .await
        .map_err(internal)?;
    crate::store::email::log_delivery(&mut tx, form.invoice_id, &record, user.id)
        .await
        .map_err(internal)?;
    tx.commit().await.map_err(internal)?;
    state.publish("invoice");
    match sent {
        Ok(()) => {
            tracing::info!(invoice = form.invoice_id.0, "invoice emailed");
            Ok(())
        }
        Err(why) => {
            tracing::warn!(invoice = form.invoice_id.0, error = %why, "invoice email failed");
            Err(AppError::Conflict(format!("The email was not sent: {why}")))
        }
    }
}

/// An invoice number as a file name: ASCII letters, digits, `-` and `_`.
#[cfg(feature = "ssr")]
fn file_name_part(number: &str) -> String {
    number
        .chars()
        .take(60)
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect()
}

/// The invoice's emails, newest first.
#[server(endpoint = "list_invoice_deliveries", input = Json)]
pub async fn list_invoice_deliveries(id: InvoiceId) -> Result<Vec<DeliveryView>, AppError> {
    use super::context::{business, internal, require_user};
    use crate::store::email::Outcome;
    let (state, _) = require_user().await?;
    let zone = business(&state).await?.time_zone;
    let mut conn = state.pool.acquire().await.map_err(internal)?;
    let records = crate::store::email::list_deliveries(&mut conn, id)
        .await
        .map_err(internal)?;
    Ok(records
        .into_iter()
        .map(|r| DeliveryView {
            recipient: r.recipient,
            subject: r.subject,
            sent_at: r
                .sent_at
                .with_timezone(&zone)
                .format("%-d %b %Y %H:%M")
                .to_string(),
            sent: r.outcome == Outcome::Sent,
            error: match r.outcome {
                Outcome::Sent => String::new(),
                Outcome::Failed(why) => why,
            },
        })
        .collect())
}
