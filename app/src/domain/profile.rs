//! The business as its documents present it (legal name, address, tax and company numbers,
//! where to pay), and the checks on what the owner types: IBANs carry their own check
//! digits (ISO 13616), BICs have a fixed shape (ISO 9362).

use serde::{Deserialize, Serialize};

/// What an invoice says about the business that sent it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct BusinessProfile {
    /// The trading name, shown in the app's top bar and at the head of documents.
    pub name: String,
    /// The registered name, when it differs from the trading name.
    pub legal_name: String,
    pub address: String,
    pub email: String,
    pub phone: String,
    /// VAT number or other tax id.
    pub tax_id: String,
    pub registration_number: String,
    pub payment: PaymentInstructions,
    pub invoice_footer: String,
    /// Goes up by one with each save; a save based on an older version is refused.
    pub version: i64,
    /// Whether a logo is stored (served at `/settings/logo`).
    pub has_logo: bool,
}

impl BusinessProfile {
    /// The name documents print as the sender: the legal name if there is one.
    pub fn display_name(&self) -> &str {
        if self.legal_name.trim().is_empty() {
            &self.name
        } else {
            &self.legal_name
        }
    }
}

/// Where and how customers pay.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PaymentInstructions {
    pub bank_name: String,
    /// Stored without spaces, upper case; shown in groups of four.
    pub iban: String,
    pub bic: String,
    /// Anything else: a sort code and account number, a payment link, a reference to quote.
    pub note: String,
}

impl PaymentInstructions {
    pub fn is_empty(&self) -> bool {
        self.bank_name.is_empty()
            && self.iban.is_empty()
            && self.bic.is_empty()
            && self.note.is_empty()
    }
}

/// An IBAN as typed (spaces allowed, any case) in its stored form, or what is wrong with it.
pub fn parse_iban(text: &str) -> Result<String, &'static str> {
    let iban: String = text
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_ascii_uppercase();
    if !(15..=34).contains(&iban.len()) || !iban.chars().all(|c| c.is_ascii_alphanumeric()) {
        return Err("an IBAN has 15 to 34 letters and digits");
    }
    let bytes = iban.as_bytes();
    if !bytes[..2].iter().all(u8::is_ascii_alphabetic)
        || !bytes[2..4].iter().all(u8::is_ascii_digit)
    {
        return Err("an IBAN starts with a country code and two check digits, like GB29");
    }
    // Move the first four characters to the end, read letters as 10–35, and the whole
    // number must leave 1 when divided by 97.
    let rearranged = iban[4..].chars().chain(iban[..4].chars());
    let mut remainder: u32 = 0;
    for c in rearranged {
        let value = c.to_digit(36).unwrap_or(0);
        remainder = if value >= 10 {
            (remainder * 100 + value) % 97
        } else {
            (remainder * 10 + value) % 97
        };
    }
    if remainder != 1 {
        return Err("this IBAN's check digits do not match; check it for typing mistakes");
    }
    Ok(iban)
}

/// An IBAN in groups of four, as people read it.
pub fn group_iban(iban: &str) -> String {
    iban.as_bytes()
        .chunks(4)
        .map(|chunk| String::from_utf8_lossy(chunk).into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}

/// A BIC (SWIFT code) in its stored form, or what is wrong with it: four letters for the
/// bank, two for the country, two letters or digits for the place, and an optional branch.
pub fn parse_bic(text: &str) -> Result<String, &'static str> {
    let bic = text.trim().to_ascii_uppercase();
    let b = bic.as_bytes();
    let shaped = (b.len() == 8 || b.len() == 11)
        && b[..6].iter().all(u8::is_ascii_alphabetic)
        && b[6..].iter().all(u8::is_ascii_alphanumeric);
    if shaped {
        Ok(bic)
    } else {
        Err("a BIC has 8 or 11 characters, like NWBKGB2L")
    }
}

/// Whether `text` looks like an email address: something, an @, and a domain with a dot.
pub fn looks_like_email(text: &str) -> bool {
    match text.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !text.chars().any(char::is_whitespace)
        }
        None => false,
    }
}

/// Whether `text` looks like a phone number: digits with spaces, dots, dashes, brackets and
/// a leading plus, at least five digits.
pub fn looks_like_phone(text: &str) -> bool {
    let digits = text.chars().filter(char::is_ascii_digit).count();
    digits >= 5
        && text
            .chars()
            .enumerate()
            .all(|(i, c)| c.is_ascii_digit() || " .-()/".contains(c) || (c == '+' && i == 0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ibans_are_checked_by_their_check_digits_and_stored_without_spaces() {
        assert_eq!(
            parse_iban("gb29 nwbk 6016 1331 9268 19"),
            Ok("GB29NWBK60161331926819".to_string())
        );
        assert_eq!(
            parse_iban("DE89 3704 0044 0532 0130 00"),
            Ok("DE89370400440532013000".to_string())
        );
        assert!(parse_iban("GB28 NWBK 6016 1331 9268 19").is_err());
        assert!(parse_iban("GB29NWBK").is_err());
        assert!(parse_iban("2929NWBK60161331926819").is_err());
        assert_eq!(
            group_iban("GB29NWBK60161331926819"),
            "GB29 NWBK 6016 1331 9268 19"
        );
    }

    #[test]
    fn bics_have_eight_or_eleven_characters_of_the_right_kind() {
        assert_eq!(parse_bic(" nwbkgb2l "), Ok("NWBKGB2L".to_string()));
        assert_eq!(parse_bic("DEUTDEFF500"), Ok("DEUTDEFF500".to_string()));
        assert!(parse_bic("NWBK1B2L").is_err());
        assert!(parse_bic("NWBKGB2").is_err());
    }

    #[test]
    fn emails_and_phone_numbers_are_checked_for_their_shape() {
        assert!(looks_like_email("accounts@harbour.studio"));
        assert!(!looks_like_email("accounts@localhost"));
        assert!(!looks_like_email("not an email"));
        assert!(looks_like_phone("+44 (0)20 7946 0958"));
        assert!(!looks_like_phone("call me"));
        assert!(!looks_like_phone("12+34567"));
    }

    #[test]
    fn documents_print_the_legal_name_when_there_is_one() {
        let mut profile = BusinessProfile {
            name: "Harbour Studio".into(),
            ..BusinessProfile::default()
        };
        assert_eq!(profile.display_name(), "Harbour Studio");
        profile.legal_name = "Harbour Studio Ltd".into();
        assert_eq!(profile.display_name(), "Harbour Studio Ltd");
    }
}
