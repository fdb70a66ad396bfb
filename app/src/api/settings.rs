//! The business's settings: its profile on documents, time zone and tax rounding. Only the
//! owner reads the form or saves it; anyone signed in can read the profile documents print.

use super::error::{AppError, FieldErrors};
use crate::domain::profile::{
    looks_like_email, looks_like_phone, parse_bic, parse_iban, BusinessProfile, PaymentInstructions,
};
use crate::domain::TaxRounding;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use server_fn::codec::Json;

/// The settings as typed. `version` is the profile version the form was loaded at.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SettingsForm {
    pub name: String,
    pub legal_name: String,
    pub address: String,
    pub email: String,
    pub phone: String,
    pub tax_id: String,
    pub registration_number: String,
    pub bank_name: String,
    pub iban: String,
    pub bic: String,
    pub payment_note: String,
    pub invoice_footer: String,
    /// An IANA time zone name, such as Europe/London.
    pub time_zone: String,
    /// "per_document" or "per_line".
    pub tax_rounding: String,
    pub version: i64,
}

/// What the settings page opens with.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Settings {
    pub form: SettingsForm,
    pub has_logo: bool,
    /// Every time zone name the server knows, for the picker.
    pub time_zones: Vec<String>,
}

/// Checks every field of `form`; the profile with its time zone name and tax rounding when
/// all of them are fine, otherwise every problem by field name.
pub fn parse_settings(
    form: &SettingsForm,
    known_zone: impl Fn(&str) -> bool,
) -> Result<(BusinessProfile, String, TaxRounding), FieldErrors> {
    let mut errors = FieldErrors::default();
    let mut text =
        |field: &str, value: &str, max: usize| super::parse::text(&mut errors, field, value, max);
    let name = text("name", &form.name, 200);
    let legal_name = text("legal_name", &form.legal_name, 200);
    let address = text("address", &form.address, 500);
    let email = text("email", &form.email, 200);
    let phone = text("phone", &form.phone, 40);
    let tax_id = text("tax_id", &form.tax_id, 50);
    let registration_number = text("registration_number", &form.registration_number, 50);
    let bank_name = text("bank_name", &form.bank_name, 100);
    let note = text("payment_note", &form.payment_note, 500);
    let invoice_footer = text("invoice_footer", &form.invoice_footer, 500);
    if name.is_empty() {
        errors.add("name", "enter the business's name");
    }
    if address.lines().count() > 8 {
        errors.add("address", "keep the address to 8 lines");
    }
    if !email.is_empty() && !looks_like_email(&email) {
        errors.add("email", "enter an email address like accounts@example.com");
    }
    if !phone.is_empty() && !looks_like_phone(&phone) {
        errors.add(
            "phone",
            "enter a phone number: digits, spaces and a leading +",
        );
    }
    let iban = match form.iban.trim() {
        "" => String::new(),
        typed => parse_iban(typed).unwrap_or_else(|why| {
            errors.add("iban", why);
            String::new()
        }),
    };
    let bic = match form.bic.trim() {
        "" => String::new(),
        typed => parse_bic(typed).unwrap_or_else(|why| {
            errors.add("bic", why);
            String::new()
        }),
    };
    let time_zone = form.time_zone.trim().to_string();
    if !known_zone(&time_zone) {
        errors.add(
            "time_zone",
            "choose a time zone from the list, such as Europe/London",
        );
    }
    let rounding = match form.tax_rounding.as_str() {
        "per_document" => TaxRounding::PerDocument,
        "per_line" => TaxRounding::PerLine,
        _ => {
            errors.add("tax_rounding", "choose per document or per line");
            TaxRounding::PerDocument
        }
    };
    if !errors.is_empty() {
        return Err(errors);
    }
    let profile = BusinessProfile {
        name,
        legal_name,
        address,
        email,
        phone,
        tax_id,
        registration_number,
        payment: PaymentInstructions {
            bank_name,
            iban,
            bic,
            note,
        },
        invoice_footer,
        version: form.version,
        has_logo: false,
    };
    Ok((profile, time_zone, rounding))
}

#[server(endpoint = "get_settings", input = Json)]
pub async fn get_settings() -> Result<Settings, AppError> {
    use super::context::{internal, require_owner};
    use crate::store::business::{get_business, get_profile, rounding_to_text};
    let (state, _) = require_owner().await?;
    let mut conn = state.pool.acquire().await.map_err(internal)?;
    let business = get_business(&mut conn).await.map_err(internal)?;
    let p = get_profile(&mut conn).await.map_err(internal)?;
    let form = SettingsForm {
        name: p.name,
        legal_name: p.legal_name,
        address: p.address,
        email: p.email,
        phone: p.phone,
        tax_id: p.tax_id,
        registration_number: p.registration_number,
        bank_name: p.payment.bank_name,
        iban: crate::domain::profile::group_iban(&p.payment.iban),
        bic: p.payment.bic,
        payment_note: p.payment.note,
        invoice_footer: p.invoice_footer,
        time_zone: business.time_zone.name().to_string(),
        tax_rounding: rounding_to_text(business.tax_rounding).to_string(),
        version: p.version,
    };
    let time_zones = chrono_tz::TZ_VARIANTS
        .iter()
        .map(|tz| tz.name().to_string())
        .collect();
    Ok(Settings {
        form,
        has_logo: p.has_logo,
        time_zones,
    })
}

/// Saves the settings all at once, or nothing; returns the new profile version.
#[server(endpoint = "save_settings", input = Json)]
pub async fn save_settings(form: SettingsForm) -> Result<i64, AppError> {
    use super::context::{internal, require_owner};
    let (state, user) = require_owner().await?;
    let (profile, zone, rounding) =
        parse_settings(&form, |name| name.parse::<chrono_tz::Tz>().is_ok())
            .map_err(AppError::Invalid)?;
    let zone: chrono_tz::Tz = zone
        .parse()
        .map_err(|_| AppError::invalid("time_zone", "unknown time zone"))?;
    let mut tx = crate::store::begin_write(&state.pool, &super::context::actor(&user))
        .await
        .map_err(internal)?;
    let saved = crate::store::business::save_profile(&mut tx, &profile, zone, rounding)
        .await
        .map_err(internal)?;
    let Some(version) = saved else {
        return Err(AppError::Conflict(
            "The settings were changed elsewhere since you opened them; nothing was saved. \
             Reload to see the latest."
                .into(),
        ));
    };
    tx.commit().await.map_err(internal)?;
    state.publish("business");
    tracing::info!(version, "business settings saved");
    Ok(version)
}

/// Removes the logo from documents.
#[server(endpoint = "remove_logo", input = Json)]
pub async fn remove_logo() -> Result<i64, AppError> {
    use super::context::{internal, require_owner};
    let (state, owner) = require_owner().await?;
    let mut tx = crate::store::begin_write(&state.pool, &super::context::actor(&owner))
        .await
        .map_err(internal)?;
    let version = crate::store::business::set_logo(&mut tx, None)
        .await
        .map_err(internal)?;
    tx.commit().await.map_err(internal)?;
    state.publish("business");
    Ok(version)
}

/// The business as documents present it, for anyone signed in.
#[server(endpoint = "get_business_profile", input = Json)]
pub async fn get_business_profile() -> Result<BusinessProfile, AppError> {
    use super::context::{internal, require_user};
    let (state, _) = require_user().await?;
    let mut conn = state.pool.acquire().await.map_err(internal)?;
    crate::store::business::get_profile(&mut conn)
        .await
        .map_err(internal)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form() -> SettingsForm {
        SettingsForm {
            name: "Harbour Studio".into(),
            iban: "GB29 NWBK 6016 1331 9268 19".into(),
            bic: "nwbkgb2l".into(),
            time_zone: "Europe/Lisbon".into(),
            tax_rounding: "per_line".into(),
            version: 3,
            ..SettingsForm::default()
        }
    }

    #[test]
    fn a_valid_form_becomes_the_profile_with_iban_and_bic_in_their_stored_form() {
        let (profile, zone, rounding) = parse_settings(&form(), |z| z == "Europe/Lisbon").unwrap();

        assert_eq!(profile.payment.iban, "GB29NWBK60161331926819");
        assert_eq!(profile.payment.bic, "NWBKGB2L");
        assert_eq!(profile.version, 3);
        assert_eq!(zone, "Europe/Lisbon");
        assert_eq!(rounding, TaxRounding::PerLine);
    }

    #[test]
    fn every_bad_field_is_named() {
        let bad = SettingsForm {
            name: " ".into(),
            email: "accounts".into(),
            phone: "ring me".into(),
            iban: "GB00 NWBK 6016 1331 9268 19".into(),
            bic: "NWBK".into(),
            time_zone: "Mars/Olympus".into(),
            tax_rounding: "sometimes".into(),
            address: "1\n2\n3\n4\n5\n6\n7\n8\n9".into(),
            ..form()
        };

        let errors = parse_settings(&bad, |_| false).unwrap_err();

        let fields: Vec<&str> = errors.0.iter().map(|(f, _)| f.as_str()).collect();
        assert_eq!(
            fields,
            [
                "name",
                "address",
                "email",
                "phone",
                "iban",
                "bic",
                "time_zone",
                "tax_rounding"
            ]
        );
    }
}
