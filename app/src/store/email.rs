//! The SMTP account invoices are sent from (one row), and the log of every invoice email
//! sent or tried.

use crate::domain::delivery::EmailSecurity;
use crate::domain::InvoiceId;
use chrono::{DateTime, Utc};
use sqlx::SqliteConnection;

/// The mail server and sender, as stored. `password` never leaves the server.
#[derive(Clone, Debug, PartialEq)]
pub struct EmailSettings {
    pub host: String,
    pub port: u16,
    pub security: EmailSecurity,
    pub username: String,
    pub password: String,
    pub from_address: String,
    pub site_address: String,
}

/// What a save does with the stored password.
#[derive(Clone, Debug, PartialEq)]
pub enum PasswordChange {
    Keep,
    Replace(String),
}

type SettingsRow = (String, i64, String, String, String, String, String);

pub async fn get_email_settings(
    conn: &mut SqliteConnection,
) -> anyhow::Result<Option<EmailSettings>> {
    let row: Option<SettingsRow> = sqlx::query_as(
        "SELECT host, port, security, username, password, from_address, site_address
         FROM email_settings WHERE id = 1",
    )
    .fetch_optional(conn)
    .await?;
    let Some((host, port, security, username, password, from_address, site_address)) = row else {
        return Ok(None);
    };
    Ok(Some(EmailSettings {
        host,
        port: u16::try_from(port)?,
        security: EmailSecurity::from_key(&security)
            .ok_or_else(|| anyhow::anyhow!("unknown email security {security:?}"))?,
        username,
        password,
        from_address,
        site_address,
    }))
}

/// Saves the settings whole; the password is kept or replaced as `password` says.
pub async fn save_email_settings(
    conn: &mut SqliteConnection,
    settings: &EmailSettings,
    password: PasswordChange,
) -> sqlx::Result<()> {
    let keep = password == PasswordChange::Keep;
    let new_password = match password {
        PasswordChange::Keep => String::new(),
        PasswordChange::Replace(p) => p,
    };
    sqlx::query(
        "INSERT INTO email_settings (id, host, port, security, username, password, from_address, site_address, updated_at)
         VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
         ON CONFLICT (id) DO UPDATE SET host = ?1, port = ?2, security = ?3, username = ?4,
            password = CASE WHEN ?9 THEN email_settings.password ELSE ?5 END,
            from_address = ?6, site_address = ?7, updated_at = ?8",
    )
    .bind(&settings.host)
    .bind(i64::from(settings.port))
    .bind(settings.security.key())
    .bind(&settings.username)
    .bind(&new_password)
    .bind(&settings.from_address)
    .bind(&settings.site_address)
    .bind(super::now_text())
    .bind(keep)
    .execute(conn)
    .await?;
    Ok(())
}

/// Whether an email went out.
#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    Sent,
    Failed(String),
}

/// One email sent or tried, for the invoice's log.
#[derive(Clone, Debug, PartialEq)]
pub struct DeliveryRecord {
    pub recipient: String,
    pub subject: String,
    pub sent_at: DateTime<Utc>,
    pub outcome: Outcome,
}

pub async fn log_delivery(
    conn: &mut SqliteConnection,
    invoice: InvoiceId,
    record: &DeliveryRecord,
    user: i64,
) -> sqlx::Result<()> {
    let (outcome, error) = match &record.outcome {
        Outcome::Sent => ("sent", ""),
        Outcome::Failed(why) => ("failed", why.as_str()),
    };
    sqlx::query(
        "INSERT INTO invoice_deliveries (invoice_id, recipient, subject, sent_at, outcome, error, sent_by)
         VALUES (?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(invoice.0)
    .bind(&record.recipient)
    .bind(&record.subject)
    .bind(record.sent_at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true))
    .bind(outcome)
    .bind(error)
    .bind(user)
    .execute(conn)
    .await?;
    Ok(())
}

/// The invoice's emails, newest first.
pub async fn list_deliveries(
    conn: &mut SqliteConnection,
    invoice: InvoiceId,
) -> anyhow::Result<Vec<DeliveryRecord>> {
    let rows: Vec<(String, String, String, String, String)> = sqlx::query_as(
        "SELECT recipient, subject, sent_at, outcome, error FROM invoice_deliveries
         WHERE invoice_id = ? ORDER BY sent_at DESC, id DESC",
    )
    .bind(invoice.0)
    .fetch_all(conn)
    .await?;
    rows.into_iter()
        .map(|(recipient, subject, sent_at, outcome, error)| {
            Ok(DeliveryRecord {
                recipient,
                subject,
                sent_at: DateTime::parse_from_rfc3339(&sent_at)?.with_timezone(&Utc),
                outcome: if outcome == "sent" {
                    Outcome::Sent
                } else {
                    Outcome::Failed(error)
                },
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::test_db;

    fn settings(host: &str) -> EmailSettings {
        EmailSettings {
            host: host.into(),
            port: 587,
            security: EmailSecurity::StartTls,
            username: "billing".into(),
            password: String::new(),
            from_address: "billing@harbour.example".into(),
            site_address: String::new(),
        }
    }

    #[tokio::test]
    async fn a_save_keeps_the_password_unless_told_to_replace_it() {
        let pool = test_db().await;
        let mut conn = pool.acquire().await.unwrap();
        assert_eq!(get_email_settings(&mut conn).await.unwrap(), None);

        save_email_settings(
            &mut conn,
            &settings("smtp.one.example"),
            PasswordChange::Replace("s3cret".into()),
        )
        .await
        .unwrap();
        save_email_settings(
            &mut conn,
            &settings("smtp.two.example"),
            PasswordChange::Keep,
        )
        .await
        .unwrap();

        let stored = get_email_settings(&mut conn).await.unwrap().unwrap();
        assert_eq!(stored.host, "smtp.two.example");
        assert_eq!(stored.password, "s3cret");
        save_email_settings(
            &mut conn,
            &settings("smtp.two.example"),
            PasswordChange::Replace(String::new()),
        )
        .await
        .unwrap();
        let cleared = get_email_settings(&mut conn).await.unwrap().unwrap();
        assert_eq!(cleared.password, "");
    }
}
