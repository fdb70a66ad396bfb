//! The business's own settings: name, base currency, time zone, tax rounding.

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
    Ok(Business {
        name,
        base_currency: Currency::parse(&currency)?,
        time_zone: tz
            .parse()
            .map_err(|_| anyhow::anyhow!("unknown time zone {tz}"))?,
        tax_rounding: rounding_from_text(&rounding),
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
