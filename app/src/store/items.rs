//! The items catalogue: list with search, create, change, archive.

use super::{from_scaled, to_scaled};
use crate::domain::items::Item;
use sqlx::SqliteConnection;

#[derive(Debug, thiserror::Error)]
pub enum ItemError {
    #[error("item not found")]
    NotFound,
    #[error("{1}")]
    Invalid(&'static str, String),
    #[error(transparent)]
    Store(#[from] sqlx::Error),
}

/// An item as typed, with its own fields already checked by `domain::items::validate_item`.
#[derive(Clone, Debug)]
pub struct ItemInput {
    pub name: String,
    pub description: String,
    pub unit: String,
    pub unit_price: rust_decimal::Decimal,
    pub tax_rate_id: i64,
    pub revenue_account: String,
}

type Row = (i64, String, String, String, i64, i64, String, i64);

const COLUMNS: &str = "SELECT id, name, description, unit, unit_price_e4, tax_rate_id,
    revenue_account, archived FROM items";

fn from_row((id, name, description, unit, price, rate, account, archived): Row) -> Item {
    Item {
        id,
        name,
        description,
        unit,
        unit_price: from_scaled(price, 4),
        tax_rate_id: rate,
        revenue_account: account,
        archived: archived != 0,
    }
}

/// Items whose name or description holds `search`, by name; archived ones only when asked.
pub async fn list(
    conn: &mut SqliteConnection,
    search: &str,
    with_archived: bool,
) -> sqlx::Result<Vec<Item>> {
    let rows: Vec<Row> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{COLUMNS} WHERE (?1 OR archived = 0)
           AND (name LIKE ?2 ESCAPE '\\' OR description LIKE ?2 ESCAPE '\\')
         ORDER BY archived, name COLLATE NOCASE, id LIMIT 500"
    )))
    .bind(with_archived)
    .bind(super::like_pattern(search))
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().map(from_row).collect())
}

pub async fn get(conn: &mut SqliteConnection, id: i64) -> sqlx::Result<Option<Item>> {
    let row: Option<Row> = sqlx::query_as(sqlx::AssertSqlSafe(format!("{COLUMNS} WHERE id = ?")))
        .bind(id)
        .fetch_optional(conn)
        .await?;
    Ok(row.map(from_row))
}

/// Creates an item, or changes one when `id` is given. The tax rate must be one in use and the
/// account a revenue account.
pub async fn save(
    conn: &mut SqliteConnection,
    id: Option<i64>,
    input: &ItemInput,
) -> Result<Item, ItemError> {
    match super::tax_rates::get(conn, input.tax_rate_id).await? {
        Some(rate) if !rate.archived => {}
        _ => {
            return Err(ItemError::Invalid(
                "tax_rate_id",
                "choose a tax rate in use".into(),
            ))
        }
    }
    let revenue = super::accounts::revenue_accounts(conn).await?;
    if !revenue.iter().any(|a| a.code == input.revenue_account) {
        return Err(ItemError::Invalid(
            "revenue_account",
            "choose a revenue account".into(),
        ));
    }
    let price = to_scaled(input.unit_price, 4).ok_or(ItemError::Invalid(
        "unit_price",
        "a price has at most four decimals".into(),
    ))?;
    let now = super::now_text();
    let id = match id {
        Some(id) => {
            let changed = sqlx::query(
                "UPDATE items SET name = ?, description = ?, unit = ?, unit_price_e4 = ?,
                    tax_rate_id = ?, revenue_account = ?, updated_at = ? WHERE id = ?",
            )
            .bind(input.name.trim())
            .bind(input.description.trim())
            .bind(input.unit.trim())
            .bind(price)
            .bind(input.tax_rate_id)
            .bind(&input.revenue_account)
            .bind(&now)
            .bind(id)
            .execute(&mut *conn)
            .await?;
            if changed.rows_affected() == 0 {
                return Err(ItemError::NotFound);
            }
            id
        }
        None => {
            sqlx::query_scalar(
                "INSERT INTO items (name, description, unit, unit_price_e4, tax_rate_id,
                    revenue_account, created_at, updated_at)
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
            )
            .bind(input.name.trim())
            .bind(input.description.trim())
            .bind(input.unit.trim())
            .bind(price)
            .bind(input.tax_rate_id)
            .bind(&input.revenue_account)
            .bind(&now)
            .bind(&now)
            .fetch_one(&mut *conn)
            .await?
        }
    };
    get(conn, id).await?.ok_or(ItemError::NotFound)
}

/// Archives an item (or brings it back); lines that picked it keep what they copied.
pub async fn set_archived(
    conn: &mut SqliteConnection,
    id: i64,
    archived: bool,
) -> Result<(), ItemError> {
    let changed = sqlx::query("UPDATE items SET archived = ?, updated_at = ? WHERE id = ?")
        .bind(i64::from(archived))
        .bind(super::now_text())
        .bind(id)
        .execute(conn)
        .await?;
    if changed.rows_affected() == 0 {
        return Err(ItemError::NotFound);
    }
    Ok(())
}
