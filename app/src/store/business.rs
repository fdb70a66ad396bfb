//! The business's own settings: name, base currency, time zone, tax rounding, and the
//! profile its documents print (address, tax and company numbers, payment details, logo).

use crate::domain::profile::{BusinessProfile, PaymentInstructions};
use crate::domain::{Currency, TaxRounding};
use anyhow::Context;
use chrono::NaiveDate;
use sqlx::SqliteConnection;

#[derive(Clone, Debug)]
pub struct Business {
    pub name: String,
    pub base_currency: Currency,
    pub time_zone: chrono_tz::Tz,
    pub tax_rounding: TaxRounding,
}

impl Business {
    /// The calendar day it is now where the business is.
    pub fn today(&self) -> NaiveDate {
        day_in(self.time_zone, chrono::Utc::now())
    }
}

/// The calendar day an instant falls on in a time zone.
pub fn day_in(zone: chrono_tz::Tz, instant: chrono::DateTime<chrono::Utc>) -> NaiveDate {
    instant.with_timezone(&zone).date_naive()
}

pub async fn get_business(conn: &mut SqliteConnection) -> anyhow::Result<Business> {
    let (name, currency, tz, rounding): (String, String, String, String) = sqlx::query_as(
        "SELECT name, base_currency, time_zone, tax_rounding FROM business WHERE id = 1",
    )
    .fetch_one(conn)
    .await
    .context("cannot read the business settings")?;
    business_from_columns(name, &currency, &tz, &rounding)
}

/// The settings from their stored columns (name, base currency, time zone, tax rounding).
pub fn business_from_columns(
    name: String,
    currency: &str,
    tz: &str,
    rounding: &str,
) -> anyhow::Result<Business> {
    Ok(Business {
        name,
        base_currency: Currency::parse(currency)?,
        time_zone: tz
            .parse()
            .map_err(|_| anyhow::anyhow!("unknown time zone {tz}"))?,
        tax_rounding: rounding_from_text(rounding),
    })
}

pub async fn update_business(
    conn: &mut SqliteConnection,
    name: &str,
    currency: Currency,
    tz: &str,
) -> sqlx::Result<()> {
    sqlx::query("UPDATE business SET name = ?, base_currency = ?, time_zone = ? WHERE id = 1")
        .bind(name)
        .bind(currency.code())
        .bind(tz)
        .execute(conn)
        .await?;
    Ok(())
}

/// The profile documents print, as last saved.
pub async fn get_profile(conn: &mut SqliteConnection) -> anyhow::Result<BusinessProfile> {
    #[allow(clippy::type_complexity)]
    let row: (String, String, String, String, String, String, String) = sqlx::query_as(
        "SELECT name, legal_name, address, email, phone, tax_id, registration_number
         FROM business WHERE id = 1",
    )
    .fetch_one(&mut *conn)
    .await
    .context("cannot read the business profile")?;
    let more: (String, String, String, String, String, i64, bool) = sqlx::query_as(
        "SELECT bank_name, iban, bic, payment_note, invoice_footer, profile_version,
            logo IS NOT NULL FROM business WHERE id = 1",
    )
    .fetch_one(conn)
    .await
    .context("cannot read the business profile")?;
    let (name, legal_name, address, email, phone, tax_id, registration_number) = row;
    let (bank_name, iban, bic, note, invoice_footer, version, has_logo) = more;
    Ok(BusinessProfile {
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
        version,
        has_logo,
    })
}

/// Saves a checked profile with the time zone and tax rounding, if nobody saved since
/// `profile.version` was read. Returns the new version, or `None` when it was out of date.
pub async fn save_profile(
    conn: &mut SqliteConnection,
    profile: &BusinessProfile,
    time_zone: chrono_tz::Tz,
    rounding: TaxRounding,
) -> anyhow::Result<Option<i64>> {
    let p = profile;
    let version: Option<i64> = sqlx::query_scalar(
        "UPDATE business SET name = ?, legal_name = ?, address = ?, email = ?, phone = ?,
            tax_id = ?, registration_number = ?, bank_name = ?, iban = ?, bic = ?,
            payment_note = ?, invoice_footer = ?, time_zone = ?, tax_rounding = ?,
            profile_version = profile_version + 1
         WHERE id = 1 AND profile_version = ? RETURNING profile_version",
    )
    .bind(&p.name)
    .bind(&p.legal_name)
    .bind(&p.address)
    .bind(&p.email)
    .bind(&p.phone)
    .bind(&p.tax_id)
    .bind(&p.registration_number)
    .bind(&p.payment.bank_name)
    .bind(&p.payment.iban)
    .bind(&p.payment.bic)
    .bind(&p.payment.note)
    .bind(&p.invoice_footer)
    .bind(time_zone.name())
    .bind(rounding_to_text(rounding))
    .bind(p.version)
    .fetch_optional(conn)
    .await
    .context("cannot save the business profile")?;
    Ok(version)
}

/// The largest logo kept, in bytes.
pub const MAX_LOGO_BYTES: usize = 1024 * 1024;

/// A logo file and its content type (`image/png` or `image/jpeg`).
pub struct Logo {
    pub data: Vec<u8>,
    pub content_type: String,
}

/// Replaces the logo (or removes it, with `None`); returns the new profile version.
pub async fn set_logo(conn: &mut SqliteConnection, logo: Option<&Logo>) -> anyhow::Result<i64> {
    sqlx::query_scalar(
        "UPDATE business SET logo = ?, logo_type = ?, profile_version = profile_version + 1
         WHERE id = 1 RETURNING profile_version",
    )
    .bind(logo.map(|l| l.data.as_slice()))
    .bind(logo.map(|l| l.content_type.as_str()))
    .fetch_one(conn)
    .await
    .context("cannot store the logo")
}

pub async fn get_logo(conn: &mut SqliteConnection) -> anyhow::Result<Option<Logo>> {
    let row: (Option<Vec<u8>>, Option<String>) =
        sqlx::query_as("SELECT logo, logo_type FROM business WHERE id = 1")
            .fetch_one(conn)
            .await
            .context("cannot read the logo")?;
    Ok(match row {
        (Some(data), Some(content_type)) => Some(Logo { data, content_type }),
        _ => None,
    })
}

/// For `settle check`: the stored IBAN and BIC pass the checks the settings page applies, and
/// the logo's first bytes are those of its declared type.
pub async fn profile_problems(conn: &mut SqliteConnection) -> anyhow::Result<Vec<String>> {
    use crate::domain::profile::{parse_bic, parse_iban};
    let profile = get_profile(&mut *conn).await?;
    let mut problems = Vec::new();
    let iban = &profile.payment.iban;
    if !iban.is_empty() && parse_iban(iban).as_ref() != Ok(iban) {
        problems.push(format!("the business's IBAN {iban} fails its check digits"));
    }
    let bic = &profile.payment.bic;
    if !bic.is_empty() && parse_bic(bic).as_ref() != Ok(bic) {
        problems.push(format!("the business's BIC {bic} is not a valid BIC"));
    }
    if let Some(logo) = get_logo(conn).await? {
        let fits = match logo.content_type.as_str() {
            "image/png" => logo.data.starts_with(b"\x89PNG"),
            "image/jpeg" => logo.data.starts_with(&[0xFF, 0xD8, 0xFF]),
            _ => false,
        };
        if !fits {
            problems.push(format!(
                "the business's logo is stored as {} but its bytes are not that kind of image",
                logo.content_type
            ));
        }
    }
    Ok(problems)
}

pub fn rounding_to_text(rounding: TaxRounding) -> &'static str {
    match rounding {
        TaxRounding::PerDocument => "per_document",
        TaxRounding::PerLine => "per_line",
    }
}

pub fn rounding_from_text(text: &str) -> TaxRounding {
    if text == "per_line" {
        TaxRounding::PerLine
    } else {
        TaxRounding::PerDocument
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{derive_status, InvoiceStatus, Lifecycle, Money};
    use chrono::{TimeZone, Utc};

    #[test]
    fn overdue_starts_at_midnight_where_the_business_is_not_in_utc() {
        let london: chrono_tz::Tz = "Europe/London".parse().unwrap();
        let due = NaiveDate::from_ymd_opt(2026, 7, 16).unwrap();
        let gbp = crate::domain::Currency::parse("GBP").unwrap();
        let total = Money::parse("100.00", gbp).unwrap();
        // 23:30 UTC on the due date is already 00:30 the next day in London (BST).
        let late_evening_utc = Utc.with_ymd_and_hms(2026, 7, 16, 23, 30, 0).unwrap();

        let today = day_in(london, late_evening_utc);
        let status = derive_status(Lifecycle::Issued, total, Money::zero(gbp), due, today);

        assert_eq!(today, NaiveDate::from_ymd_opt(2026, 7, 17).unwrap());
        assert_eq!(status, InvoiceStatus::Overdue);
        assert_eq!(day_in(chrono_tz::UTC, late_evening_utc), due);
    }

    #[test]
    fn in_winter_london_and_utc_agree_on_the_day() {
        let london: chrono_tz::Tz = "Europe/London".parse().unwrap();
        let instant = Utc.with_ymd_and_hms(2026, 3, 16, 23, 30, 0).unwrap();

        let today = day_in(london, instant);

        assert_eq!(today, NaiveDate::from_ymd_opt(2026, 3, 16).unwrap());
    }
}
