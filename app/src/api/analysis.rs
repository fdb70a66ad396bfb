//! Analysis reports: receivables and payables aging, the tax summary, money in and out, and
//! the 13-week cash forecast.

use super::error::AppError;
use crate::domain::forecast::Forecast;
use crate::domain::money_flow::MoneyFlow;
use crate::domain::party_aging::AgingTable;
use crate::domain::tax_summary::{RateDocuments, TaxSummary};
use chrono::NaiveDate;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use server_fn::codec::Json;

/// Who owes the business and whom it owes, by how late, as of one day.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AgingReports {
    pub as_of: NaiveDate,
    pub receivables: AgingTable,
    pub payables: AgingTable,
}

/// The most weeks or months one money-flow report shows.
pub const MAX_FLOW_ROWS: usize = 120;

/// A typed day, or `default` when left empty.
#[cfg(feature = "ssr")]
fn day_or(
    errors: &mut super::FieldErrors,
    field: &str,
    text: &str,
    default: NaiveDate,
) -> Option<NaiveDate> {
    if text.trim().is_empty() {
        Some(default)
    } else {
        super::parse::date(errors, field, text)
    }
}

#[cfg(feature = "ssr")]
fn ordered(
    errors: &mut super::FieldErrors,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
) -> Option<crate::domain::Period> {
    let (from, to) = (from?, to?);
    if from > to {
        errors.add("to", "the end must not be before the start");
        return None;
    }
    Some(crate::domain::Period { from, to })
}

/// Receivables per customer and payables per vendor, aged as of a day (empty: today).
#[server(endpoint = "get_aging", input = Json)]
pub async fn get_aging(as_of: String) -> Result<AgingReports, AppError> {
    use super::context::{business, internal, require_user};
    use crate::domain::party_aging::age_by_party;
    use crate::store::analysis::{open_payables, open_receivables};
    let (state, _) = require_user().await?;
    let settings = business(&state).await?;
    let mut errors = super::FieldErrors::default();
    let as_of = day_or(&mut errors, "as_of", &as_of, settings.today());
    errors.into_result()?;
    let as_of = as_of.ok_or_else(|| AppError::invalid("as_of", "enter a date"))?;
    let currency = settings.base_currency;
    let mut conn = state.pool.acquire().await.map_err(internal)?;
    let receivables = open_receivables(&mut conn, currency, as_of)
        .await
        .map_err(internal)?;
    let payables = open_payables(&mut conn, currency, as_of)
        .await
        .map_err(internal)?;
    Ok(AgingReports {
        as_of,
        receivables: age_by_party(currency, as_of, receivables),
        payables: age_by_party(currency, as_of, payables),
    })
}

/// Output and input tax per rate for a period (empty: this quarter) on either basis.
#[server(endpoint = "get_tax_summary", input = Json)]
pub async fn get_tax_summary(
    from: String,
    to: String,
    basis: String,
) -> Result<TaxSummary, AppError> {
    use super::context::{business, internal, require_user};
    let (state, _) = require_user().await?;
    let settings = business(&state).await?;
    let mut errors = super::FieldErrors::default();
    let chosen = tax_period(&mut errors, settings.today(), &from, &to, &basis);
    errors.into_result()?;
    let (period, basis) = chosen.ok_or_else(|| AppError::invalid("from", "check the dates"))?;
    let mut conn = state.pool.acquire().await.map_err(internal)?;
    crate::store::analysis::tax_summary_for(&mut conn, settings.base_currency, basis, period)
        .await
        .map_err(internal)
}

/// The period (empty: the quarter `today` is in) and basis a tax report was asked for.
#[cfg(feature = "ssr")]
fn tax_period(
    errors: &mut super::FieldErrors,
    today: NaiveDate,
    from: &str,
    to: &str,
    basis: &str,
) -> Option<(crate::domain::Period, crate::domain::Basis)> {
    use chrono::{Datelike, Days, Months};
    let quarter_start = today
        .with_day(1)
        .and_then(|d| d.with_month0(today.month0() / 3 * 3))
        .unwrap_or(today);
    let quarter_end = quarter_start + Months::new(3) - Days::new(1);
    let from = day_or(errors, "from", from, quarter_start);
    let to = day_or(errors, "to", to, quarter_end);
    let period = ordered(errors, from, to);
    let basis = crate::domain::Basis::parse(basis).or_else(|| {
        errors.add("basis", "choose accrual or cash");
        None
    });
    Some((period?, basis?))
}

/// The documents behind one rate of the tax summary: each invoice, credit note, expense or
/// bill (or, on the cash basis, the money against one) with its part of the rate's figures.
#[server(endpoint = "get_tax_documents", input = Json)]
pub async fn get_tax_documents(
    from: String,
    to: String,
    basis: String,
    side: String,
    rate: String,
    page: u32,
) -> Result<RateDocuments, AppError> {
    use super::context::{business, internal, require_user};
    use crate::domain::tax_summary::TaxSide;
    let (state, _) = require_user().await?;
    let settings = business(&state).await?;
    let mut errors = super::FieldErrors::default();
    let chosen = tax_period(&mut errors, settings.today(), &from, &to, &basis);
    let side = TaxSide::parse(&side).or_else(|| {
        errors.add("side", "choose output or input tax");
        None
    });
    let rate = rate
        .trim()
        .parse::<rust_decimal::Decimal>()
        .ok()
        .filter(|r| !r.is_sign_negative() && *r <= rust_decimal::Decimal::ONE_HUNDRED)
        .filter(|r| crate::store::to_scaled(*r, 2).is_some())
        .or_else(|| {
            errors.add("rate", "a tax rate is a percentage like 20 or 7.5");
            None
        });
    errors.into_result()?;
    let (Some((period, basis)), Some(side), Some(rate)) = (chosen, side, rate) else {
        return Err(AppError::invalid("from", "check the dates"));
    };
    let mut conn = state.pool.acquire().await.map_err(internal)?;
    crate::store::analysis::tax_documents_for(
        &mut conn,
        settings.base_currency,
        basis,
        period,
        (side, rate),
        (page, 100),
    )
    .await
    .map_err(internal)
}

/// Money in and out of the bank, cash and card accounts per week or month over a period
/// (empty: the last 13 weeks or 12 months).
#[server(endpoint = "get_money_flow", input = Json)]
pub async fn get_money_flow(
    from: String,
    to: String,
    interval: String,
) -> Result<MoneyFlow, AppError> {
    use super::context::{business, internal, require_user};
    use crate::domain::money_flow::{row_count, Interval};
    use chrono::{Days, Months};
    let (state, _) = require_user().await?;
    let settings = business(&state).await?;
    let today = settings.today();
    let mut errors = super::FieldErrors::default();
    let interval = Interval::parse(&interval).unwrap_or_else(|| {
        errors.add("interval", "choose weeks or months");
        Interval::Week
    });
    let default_from = match interval {
        Interval::Week => interval.start_of(today) - Days::new(7 * 12),
        Interval::Month => interval.start_of(today) - Months::new(11),
    };
    let from = day_or(&mut errors, "from", &from, default_from);
    let to = day_or(&mut errors, "to", &to, today);
    let period = ordered(&mut errors, from, to);
    // Counted with a cap, so an absurd period is refused without walking all of it.
    let capped = period.map(|p| crate::domain::Period {
        from: p.from,
        to: p
            .from
            .checked_add_days(Days::new(31 * (MAX_FLOW_ROWS as u64 + 1)))
            .map_or(p.to, |cap| p.to.min(cap)),
    });
    if let Some(p) = capped {
        if row_count(p, interval) > MAX_FLOW_ROWS {
            errors.add(
                "from",
                format!("choose a shorter period: at most {MAX_FLOW_ROWS} weeks or months"),
            );
        }
    }
    errors.into_result()?;
    let period = period.ok_or_else(|| AppError::invalid("from", "check the dates"))?;
    let mut conn = state.pool.acquire().await.map_err(internal)?;
    crate::store::analysis::money_flow_for(&mut conn, settings.base_currency, period, interval)
        .await
        .map_err(internal)
}

/// The 13-week cash forecast, starting with the week of a day (empty: today).
#[server(endpoint = "get_cash_forecast", input = Json)]
pub async fn get_cash_forecast(as_of: String) -> Result<Forecast, AppError> {
    use super::context::{business, internal, require_user};
    let (state, _) = require_user().await?;
    let settings = business(&state).await?;
    let mut errors = super::FieldErrors::default();
    let as_of = day_or(&mut errors, "as_of", &as_of, settings.today());
    errors.into_result()?;
    let as_of = as_of.ok_or_else(|| AppError::invalid("as_of", "enter a date"))?;
    let mut conn = state.pool.acquire().await.map_err(internal)?;
    crate::store::analysis::forecast_for(&mut conn, settings.base_currency, as_of)
        .await
        .map_err(internal)
}

/// The entries behind a cash-flow figure: money in or out over a period, a page at a time.
#[server(endpoint = "get_money_movements", input = Json)]
pub async fn get_money_movements(
    from: String,
    to: String,
    direction: String,
    page: i64,
) -> Result<crate::domain::money_flow::Movements, AppError> {
    use super::context::{business, internal, require_user};
    use crate::domain::money_flow::Direction;
    let (state, _) = require_user().await?;
    let settings = business(&state).await?;
    let mut errors = super::FieldErrors::default();
    let period = super::books::period(&mut errors, &from, &to, settings.today());
    let direction = Direction::parse(&direction).unwrap_or_else(|| {
        errors.add("direction", "choose money in or money out");
        Direction::In
    });
    errors.into_result()?;
    let period = period.ok_or_else(|| AppError::invalid("from", "check the dates"))?;
    let mut conn = state.pool.acquire().await.map_err(internal)?;
    crate::store::analysis::money_movements(
        &mut conn,
        settings.base_currency,
        period,
        direction,
        page,
    )
    .await
    .map_err(internal)
}
