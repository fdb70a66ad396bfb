//! Sending one email over SMTP with lettre (rustls, no OpenSSL): the message with its PDF
//! attached, through the account in the email settings.

use crate::domain::delivery::EmailSecurity;
use crate::store::email::EmailSettings;
use lettre::message::header::ContentType;
use lettre::message::{Attachment, Mailbox, MultiPart, SinglePart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::time::Duration;

/// An email ready to go.
pub struct Outgoing {
    pub to: String,
    pub subject: String,
    pub body: String,
    pub attachment_name: String,
    pub pdf: Vec<u8>,
}

/// A mail server that does not answer within this is given up on.
const TIMEOUT: Duration = Duration::from_secs(30);

/// An error with its causes, in one line a person can act on.
fn describe(error: &(dyn std::error::Error + 'static)) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        let words = cause.to_string();
        if !text.contains(&words) {
            text.push_str(": ");
            text.push_str(&words);
        }
        source = cause.source();
    }
    text
}

/// Sends `mail`; the error says what went wrong (refused, unreachable, bad address).
pub async fn send(settings: &EmailSettings, mail: Outgoing) -> Result<(), String> {
    let from: Mailbox = settings
        .from_address
        .trim()
        .parse()
        .map_err(|e| format!("the sender address in the settings is not valid ({e})"))?;
    let to: Mailbox = mail
        .to
        .trim()
        .parse()
        .map_err(|e| format!("the recipient address is not valid ({e})"))?;
    let pdf_type = ContentType::parse("application/pdf").map_err(|e| e.to_string())?;
    let message = Message::builder()
        .from(from)
        .to(to)
        .subject(mail.subject)
        .multipart(
            MultiPart::mixed()
                .singlepart(SinglePart::plain(mail.body))
                .singlepart(Attachment::new(mail.attachment_name).body(mail.pdf, pdf_type)),
        )
        .map_err(|e| format!("the message could not be put together ({e})"))?;
    let host = settings.host.trim();
    let builder = match settings.security {
        EmailSecurity::None => AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host),
        EmailSecurity::StartTls => {
            AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(host).map_err(|e| describe(&e))?
        }
        EmailSecurity::Tls => {
            AsyncSmtpTransport::<Tokio1Executor>::relay(host).map_err(|e| describe(&e))?
        }
    };
    let mut builder = builder.port(settings.port).timeout(Some(TIMEOUT));
    if !settings.username.is_empty() {
        builder = builder.credentials(Credentials::new(
            settings.username.clone(),
            settings.password.clone(),
        ));
    }
    builder
        .build()
        .send(message)
        .await
        .map(|_| ())
        .map_err(|e| describe(&e))
}
