//! Named tax rates: list, create, change and archive. Lines copy a rate when they are written,
//! so changing a rate here changes no invoice already written.

use super::{from_scaled, to_scaled};
use crate::domain::{TaxCategory, TaxRate};
use sqlx::SqliteConnection;

#[derive(Debug, thiserror::Error)]
pub enum TaxRateError {
    #[error("tax rate not found")]
    NotFound,
    #[error("{1}")]
    Invalid(&'static str, String),
    #[error(transparent)]
    Store(#[from] sqlx::Error),
}

/// A rate as typed, already checked by `domain::tax_rates::validate_tax_rate`.
#[derive(Clone, Debug)]
pub struct RateInput {
    pub name: String,
    pub rate: rust_decimal::Decimal,
    pub category: TaxCategory,
    pub exemption_reason: String,
}

type Row = (i64, String, i64, String, String, i64);

const COLUMNS: &str =
    "SELECT id, name, rate_bp, category, exemption_reason, archived FROM tax_rates";

fn from_row((id, name, bp, category, reason, archived): Row) -> TaxRate {
    TaxRate {
        id,
        name,
        rate: from_scaled(bp, 2),
        category: TaxCategory::from_slug(&category).unwrap_or_default(),
        exemption_reason: reason,
        archived: archived != 0,
    }
}

/// Every rate, those in use first, then by rate (highest first) and name.
pub async fn list(conn: &mut SqliteConnection) -> sqlx::Result<Vec<TaxRate>> {
    let rows: Vec<Row> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{COLUMNS} ORDER BY archived, rate_bp DESC, name"
    )))
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().map(from_row).collect())
}

pub async fn get(conn: &mut SqliteConnection, id: i64) -> sqlx::Result<Option<TaxRate>> {
    let row: Option<Row> = sqlx::query_as(sqlx::AssertSqlSafe(format!("{COLUMNS} WHERE id = ?")))
        .bind(id)
        .fetch_optional(conn)
        .await?;
    Ok(row.map(from_row))
}

async fn name_taken(conn: &mut SqliteConnection, name: &str, except: i64) -> sqlx::Result<bool> {
    let taken: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM tax_rates WHERE lower(name) = lower(?) AND id <> ?",
    )
    .bind(name)
    .bind(except)
    .fetch_one(conn)
    .await?;
    Ok(taken > 0)
}

fn bp(input: &RateInput) -> Result<i64, TaxRateError> {
    to_scaled(input.rate, 2).ok_or(TaxRateError::Invalid(
        "rate",
        "a rate has at most two decimals".into(),
    ))
}

/// Creates a rate, or changes one when `id` is given.
pub async fn save(
    conn: &mut SqliteConnection,
    id: Option<i64>,
    input: &RateInput,
) -> Result<TaxRate, TaxRateError> {
    let name = input.name.trim();
    if name_taken(conn, name, id.unwrap_or(0)).await? {
        return Err(TaxRateError::Invalid(
            "name",
            format!("there is already a rate called {name}"),
        ));
    }
    let reason = input.exemption_reason.trim();
    let id = match id {
        Some(id) => {
            let changed = sqlx::query(
                "UPDATE tax_rates SET name = ?, rate_bp = ?, category = ?, exemption_reason = ?
                 WHERE id = ?",
            )
            .bind(name)
            .bind(bp(input)?)
            .bind(input.category.slug())
            .bind(reason)
            .bind(id)
            .execute(&mut *conn)
            .await?;
            if changed.rows_affected() == 0 {
                return Err(TaxRateError::NotFound);
            }
            id
        }
        None => {
            sqlx::query_scalar(
                "INSERT INTO tax_rates (name, rate_bp, category, exemption_reason, created_at)
                 VALUES (?, ?, ?, ?, ?) RETURNING id",
            )
            .bind(name)
            .bind(bp(input)?)
            .bind(input.category.slug())
            .bind(reason)
            .bind(super::now_text())
            .fetch_one(&mut *conn)
            .await?
        }
    };
    get(conn, id).await?.ok_or(TaxRateError::NotFound)
}

/// Archives a rate (or brings it back): lines keep what they were billed at, new lines and
/// items cannot choose it.
pub async fn set_archived(
    conn: &mut SqliteConnection,
    id: i64,
    archived: bool,
) -> Result<(), TaxRateError> {
    if archived {
        let others: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM tax_rates WHERE archived = 0 AND id <> ?")
                .bind(id)
                .fetch_one(&mut *conn)
                .await?;
        if others == 0 {
            return Err(TaxRateError::Invalid(
                "archived",
                "keep at least one rate in use".into(),
            ));
        }
    }
    let changed = sqlx::query("UPDATE tax_rates SET archived = ? WHERE id = ?")
        .bind(i64::from(archived))
        .bind(id)
        .execute(conn)
        .await?;
    if changed.rows_affected() == 0 {
        return Err(TaxRateError::NotFound);
    }
    Ok(())
}
