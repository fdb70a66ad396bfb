//! Emailing invoices, the rules without the sending: how the connection to the mail server is
//! secured, which addresses and header texts are acceptable, and the message a customer gets
//! unless the sender changes it.

use serde::{Deserialize, Serialize};

/// How the connection to the SMTP server is protected.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum EmailSecurity {
    /// Plain text (only sensible for a relay on the same machine).
    None,
    /// Plain connection upgraded with STARTTLS before signing in (usually port 587).
    #[default]
    StartTls,
    /// TLS from the first byte (usually port 465).
    Tls,
}

impl EmailSecurity {
    pub const ALL: [EmailSecurity; 3] = [
        EmailSecurity::StartTls,
        EmailSecurity::Tls,
        EmailSecurity::None,
    ];

    /// The stored key: "none", "starttls", "tls".
    pub fn key(self) -> &'static str {
        match self {
            EmailSecurity::None => "none",
            EmailSecurity::StartTls => "starttls",
            EmailSecurity::Tls => "tls",
        }
    }

    pub fn from_key(key: &str) -> Option<EmailSecurity> {
        EmailSecurity::ALL.into_iter().find(|s| s.key() == key)
    }

    pub fn label(self) -> &'static str {
        match self {
            EmailSecurity::None => "None (local relay only)",
            EmailSecurity::StartTls => "STARTTLS (port 587)",
            EmailSecurity::Tls => "TLS (port 465)",
        }
    }
}

/// Whether `text` can be an email address: one `@` with something on each side, a dot in the
/// domain, no spaces or line breaks. The mail server has the last word.
pub fn check_address(text: &str) -> Result<(), &'static str> {
    let text = text.trim();
    let Some((local, domain)) = text.split_once('@') else {
        return Err("an email address looks like name@example.com");
    };
    let plain = |part: &str| {
        !part.is_empty()
            && !part
                .chars()
                .any(|c| c.is_whitespace() || c.is_control() || "<>(),;:\"@[]\\".contains(c))
    };
    if !plain(local) || !plain(domain) || !domain.contains('.') || domain.ends_with('.') {
        return Err("an email address looks like name@example.com");
    }
    Ok(())
}

/// Whether `text` can be a header's one line (a subject): not empty, no line breaks, which
/// would let it add headers of its own.
pub fn check_header_text(text: &str) -> Result<(), &'static str> {
    if text.trim().is_empty() {
        return Err("write a subject");
    }
    if text.chars().any(|c| c.is_control()) {
        return Err("a subject is one line");
    }
    if text.chars().count() > 200 {
        return Err("keep the subject under 200 characters");
    }
    Ok(())
}

/// "Invoice INV-2026-0007 from Harbour Studio"
pub fn default_subject(number: &str, business: &str) -> String {
    format!("Invoice {number} from {business}")
}

/// The message a customer gets unless the sender changes it.
pub fn default_message(
    customer: &str,
    number: &str,
    amount_due: &str,
    due: &str,
    business: &str,
) -> String {
    format!(
        "Dear {customer},\n\nPlease find attached invoice {number}. The amount due is {amount_due}, \
         payable by {due}.\n\nThank you for your business.\n\n{business}"
    )
}

/// The body as sent: the sender's message, and the private link below it when there is one.
pub fn body_with_link(message: &str, link: Option<&str>) -> String {
    let message = message.trim_end();
    match link {
        Some(url) => {
            format!("{message}\n\nView the invoice, its balance and how to pay online:\n{url}\n")
        }
        None => format!("{message}\n"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn ordinary_addresses_pass_and_odd_ones_are_refused() {
        assert_eq!(check_address("kasse@cafe.example"), Ok(()));
        assert_eq!(check_address(" a.b+c@sub.example.co.uk "), Ok(()));
        for bad in [
            "",
            "cafe.example",
            "@cafe.example",
            "a@b",
            "a b@c.example",
            "a@c.example.",
            "x@y.example\r\nBcc: z@z.example",
        ] {
            assert!(check_address(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn the_link_goes_below_the_message() {
        let body = body_with_link(
            "Dear Harbor Cafe,\n\nHere it is.\n\n",
            Some("https://books.example/p/ab"),
        );

        assert_eq!(
            body,
            "Dear Harbor Cafe,\n\nHere it is.\n\nView the invoice, its balance and how to pay online:\nhttps://books.example/p/ab\n"
        );
        assert_eq!(body_with_link("Hi", None), "Hi\n");
    }

    #[test]
    fn security_keys_round_trip() {
        for s in EmailSecurity::ALL {
            assert_eq!(EmailSecurity::from_key(s.key()), Some(s));
        }
        assert_eq!(EmailSecurity::from_key("ssl"), None);
    }

    proptest! {
        /// No subject or address that passes the checks can carry a line break, so none can
        /// add a header (Bcc:) of its own.
        #[test]
        fn nothing_accepted_can_break_a_header_line(text in ".{0,40}", cut in 0usize..40, brk in prop_oneof![Just("\r\n"), Just("\n"), Just("\r")]) {
            let at = text.char_indices().map(|(i, _)| i).nth(cut).unwrap_or(text.len());
            let injected = format!("{}{}Bcc: x@evil.example", &text[..at], brk);
            prop_assert!(check_header_text(&injected).is_err());
            let address = format!("a@b.example{}Bcc: x@evil.example", brk);
            prop_assert!(check_address(&address).is_err());
            if check_header_text(&text).is_ok() {
                prop_assert!(!text.contains('\n') && !text.contains('\r'));
            }
        }
    }
}
