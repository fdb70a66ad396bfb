//! Named tax rates: list, create or change, archive.

use super::error::AppError;
use crate::domain::TaxRate;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use server_fn::codec::Json;

/// A rate as typed in Settings.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct TaxRateForm {
    pub name: String,
    pub rate: String,
    /// "standard", "reduced", "zero" or "exempt".
    pub category: String,
    pub exemption_reason: String,
}

#[cfg(feature = "ssr")]
fn rate_error(e: crate::store::tax_rates::TaxRateError) -> AppError {
    use crate::store::tax_rates::TaxRateError;
    match e {
        TaxRateError::NotFound => AppError::NotFound("The tax rate".into()),
        TaxRateError::Invalid(field, message) => AppError::invalid(field, message),
        TaxRateError::Store(e) => super::context::internal(e),
    }
}

/// Every named rate, those in use first.
#[server(endpoint = "list_tax_rates", input = Json)]
pub async fn list_tax_rates() -> Result<Vec<TaxRate>, AppError> {
    use super::context::{internal, require_user};
    let (state, _) = require_user().await?;
    let mut conn = state.pool.acquire().await.map_err(internal)?;
    crate::store::tax_rates::list(&mut conn)
        .await
        .map_err(internal)
}

/// Creates a rate, or changes the one `id` names. Lines already written keep the rate they
/// were billed at.
#[server(endpoint = "save_tax_rate", input = Json)]
pub async fn save_tax_rate(id: Option<i64>, form: TaxRateForm) -> Result<TaxRate, AppError> {
    use super::context::{internal, require_writer};
    use super::{parse, FieldErrors};
    use crate::domain::tax_rates::validate_tax_rate;
    use crate::domain::TaxCategory;
    use crate::store::tax_rates::RateInput;
    let (state, user) = require_writer().await?;
    let mut errors = FieldErrors::default();
    let category = TaxCategory::from_slug(&form.category);
    if category.is_none() {
        errors.add("category", "choose standard, reduced, zero-rated or exempt");
    }
    let rate = parse::percentage(&mut errors, "rate", &form.rate);
    if let (Some(category), Some(rate)) = (category, rate) {
        for (field, message) in
            validate_tax_rate(&form.name, rate, category, &form.exemption_reason)
        {
            errors.add(field, message);
        }
    }
    errors.into_result()?;
    let (Some(category), Some(rate)) = (category, rate) else {
        return Err(AppError::invalid("rate", "check the form"));
    };
    let input = RateInput {
        name: form.name,
        rate,
        category,
        exemption_reason: form.exemption_reason,
    };
    let mut tx = crate::store::begin_write(&state.pool, &super::context::actor(&user))
        .await
        .map_err(internal)?;
    let saved = crate::store::tax_rates::save(&mut tx, id, &input)
        .await
        .map_err(rate_error)?;
    tx.commit().await.map_err(internal)?;
    state.publish("tax_rate");
    tracing::info!(tax_rate = saved.id, "tax rate saved");
    Ok(saved)
}

/// Archives a rate (`archived` true) or brings it back.
#[server(endpoint = "archive_tax_rate", input = Json)]
pub async fn archive_tax_rate(id: i64, archived: bool) -> Result<(), AppError> {
    use super::context::{internal, require_writer};
    let (state, user) = require_writer().await?;
    let mut tx = crate::store::begin_write(&state.pool, &super::context::actor(&user))
        .await
        .map_err(internal)?;
    crate::store::tax_rates::set_archived(&mut tx, id, archived)
        .await
        .map_err(rate_error)?;
    tx.commit().await.map_err(internal)?;
    state.publish("tax_rate");
    Ok(())
}
