//! The items catalogue: list with search, create or change, archive.

use super::error::AppError;
use crate::domain::items::Item;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use server_fn::codec::Json;

/// An item as typed.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ItemForm {
    pub name: String,
    pub description: String,
    pub unit: String,
    pub unit_price: String,
    pub tax_rate_id: String,
    pub revenue_account: String,
}

impl ItemForm {
    pub fn of(item: &Item) -> ItemForm {
        ItemForm {
            name: item.name.clone(),
            description: item.description.clone(),
            unit: item.unit.clone(),
            unit_price: item.unit_price.normalize().to_string(),
            tax_rate_id: item.tax_rate_id.to_string(),
            revenue_account: item.revenue_account.clone(),
        }
    }
}

#[cfg(feature = "ssr")]
fn item_error(e: crate::store::items::ItemError) -> AppError {
    use crate::store::items::ItemError;
    match e {
        ItemError::NotFound => AppError::NotFound("The item".into()),
        ItemError::Invalid(field, message) => AppError::invalid(field, message),
        ItemError::Store(e) => super::context::internal(e),
    }
}

/// Items whose name or description holds `search`; archived ones too when asked.
#[server(endpoint = "list_items", input = Json)]
pub async fn list_items(search: String, with_archived: bool) -> Result<Vec<Item>, AppError> {
    use super::context::{internal, require_user};
    let (state, _) = require_user().await?;
    let mut conn = state.pool.acquire().await.map_err(internal)?;
    crate::store::items::list(&mut conn, &search, with_archived)
        .await
        .map_err(internal)
}

/// Creates an item, or changes the one `id` names.
#[server(endpoint = "save_item", input = Json)]
pub async fn save_item(id: Option<i64>, form: ItemForm) -> Result<Item, AppError> {
    use super::context::require_writer;
    let (state, user) = require_writer().await?;
    save_item_as(&state, &user, id, form).await
}

/// Creates or changes an item as `user`, who may change the books (server function and API).
#[cfg(feature = "ssr")]
pub async fn save_item_as(
    state: &super::context::AppState,
    user: &crate::store::users::User,
    id: Option<i64>,
    form: ItemForm,
) -> Result<Item, AppError> {
    use super::context::internal;
    use super::FieldErrors;
    use crate::domain::items::validate_item;
    use crate::domain::money::parse_decimal;
    use crate::store::items::ItemInput;
    let mut errors = FieldErrors::default();
    let price = match parse_decimal(&form.unit_price, 4) {
        Ok(p) => Some(p),
        Err(why) => {
            errors.add("unit_price", why);
            None
        }
    };
    let rate = form.tax_rate_id.trim().parse::<i64>().ok();
    if rate.is_none() {
        errors.add("tax_rate_id", "choose a tax rate");
    }
    let problems = validate_item(
        &form.name,
        &form.description,
        &form.unit,
        price.unwrap_or_default(),
    );
    for (field, message) in problems {
        errors.add(field, message);
    }
    errors.into_result()?;
    let (Some(unit_price), Some(tax_rate_id)) = (price, rate) else {
        return Err(AppError::invalid("unit_price", "check the form"));
    };
    let input = ItemInput {
        name: form.name,
        description: form.description,
        unit: form.unit,
        unit_price,
        tax_rate_id,
        revenue_account: form.revenue_account,
    };
    let mut tx = crate::store::begin_write(&state.pool, &super::context::actor(user))
        .await
        .map_err(internal)?;
    let item = crate::store::items::save(&mut tx, id, &input)
        .await
        .map_err(item_error)?;
    tx.commit().await.map_err(internal)?;
    state.publish("item");
    Ok(item)
}

/// Archives an item (`archived` true) or brings it back.
#[server(endpoint = "archive_item", input = Json)]
pub async fn archive_item(id: i64, archived: bool) -> Result<(), AppError> {
    use super::context::{internal, require_writer};
    let (state, user) = require_writer().await?;
    let mut tx = crate::store::begin_write(&state.pool, &super::context::actor(&user))
        .await
        .map_err(internal)?;
    crate::store::items::set_archived(&mut tx, id, archived)
        .await
        .map_err(item_error)?;
    tx.commit().await.map_err(internal)?;
    state.publish("item");
    Ok(())
}
