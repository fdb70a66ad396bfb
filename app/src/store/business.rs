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
        chrono::Utc::now().with_timezone(&self.time_zone).date_naive()
    }
}

pub async fn get_business(conn: &mut SqliteConnection) -> anyhow::Result<Business> {
    let (name, currency, tz, rounding): (String, String, String, String) =
        sqlx::query_as("SELECT name, base_currency, time_zone, tax_rounding FROM business WHERE id = 1")
            .fetch_one(conn)
            .await
            .context("cannot read the business settings")?;
    Ok(Business {
        name,
        base_currency: Currency::parse(&currency)?,
        time_zone: tz.parse().map_err(|_| anyhow::anyhow!("unknown time zone {tz}"))?,
        tax_rounding: rounding_from_text(&rounding),
    })
}

pub async fn update_business(conn: &mut SqliteConnection, name: &str, currency: Currency, tz: &str) -> sqlx::Result<()> {
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
    if text == "per_line" { TaxRounding::PerLine } else { TaxRounding::PerDocument }
}
