//! Quotes: drafts, sending, the customer's answer, and conversion into a draft invoice.

use super::error::AppError;
use super::types::{DraftForm, InvoiceLineView};
use crate::domain::quotes::QuoteStatus;
use crate::domain::{Currency, CustomerId, InvoiceId, InvoiceTotals, Money, Pricing};
use chrono::NaiveDate;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use server_fn::codec::Json;

/// A quote in a list.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct QuoteSummary {
    pub id: i64,
    /// `None` until it is sent.
    pub number: Option<String>,
    pub customer_id: CustomerId,
    pub customer_name: String,
    pub issue_date: NaiveDate,
    pub valid_until: NaiveDate,
    pub total: Money,
    pub status: QuoteStatus,
    /// The invoice made from it, if any.
    pub invoice_id: Option<InvoiceId>,
}

/// A quote with its lines and totals, priced as an invoice would be.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct QuoteDetail {
    pub summary: QuoteSummary,
    pub currency: Currency,
    pub notes: String,
    pub lines: Vec<InvoiceLineView>,
    pub pricing: Pricing,
    pub totals: InvoiceTotals,
    pub invoice_number: Option<String>,
}

impl QuoteDetail {
    /// The editor's form; the due date field holds the valid-until day.
    pub fn to_form(&self) -> DraftForm {
        let as_invoice = super::types::InvoiceDetailParts {
            lines: &self.lines,
            pricing: self.pricing,
        };
        DraftForm {
            id: Some(InvoiceId(self.summary.id)),
            customer_id: Some(self.summary.customer_id),
            issue_date: self.summary.issue_date.to_string(),
            due_date: self.summary.valid_until.to_string(),
            currency: self.currency.code().to_string(),
            notes: self.notes.clone(),
            ..as_invoice.form()
        }
    }
}

#[cfg(feature = "ssr")]
fn quote_error(e: crate::store::invoices::InvoiceError) -> AppError {
    use crate::store::invoices::InvoiceError;
    match e {
        InvoiceError::NotFound => AppError::NotFound("The quote".into()),
        InvoiceError::Conflict(why) => AppError::Conflict(why),
        InvoiceError::Store(e) => super::context::internal(e),
    }
}

#[server(endpoint = "list_quotes", input = Json)]
pub async fn list_quotes() -> Result<Vec<QuoteSummary>, AppError> {
    use super::context::{business, internal, require_user};
    let (state, _) = require_user().await?;
    let today = business(&state).await?.today();
    let mut conn = state.pool.acquire().await.map_err(internal)?;
    crate::store::quotes::list_quotes(&mut conn, today)
        .await
        .map_err(internal)
}

#[server(endpoint = "get_quote", input = Json)]
pub async fn get_quote(id: i64) -> Result<QuoteDetail, AppError> {
    use super::context::{business, internal, require_user};
    let (state, _) = require_user().await?;
    let today = business(&state).await?.today();
    let mut conn = state.pool.acquire().await.map_err(internal)?;
    crate::store::quotes::get_quote(&mut conn, id, today)
        .await
        .map_err(internal)?
        .ok_or(AppError::NotFound("The quote".into()))
}

/// Saves a draft quote (new when `form.id` is `None`); `form.due_date` is its valid-until day.
/// Checked exactly as an invoice draft is.
#[server(endpoint = "save_quote", input = Json)]
pub async fn save_quote(form: DraftForm) -> Result<i64, AppError> {
    use super::context::{business, internal, require_writer};
    let (state, user) = require_writer().await?;
    let settings = business(&state).await?;
    let mut tx = crate::store::begin_write(&state.pool, &super::context::actor(&user))
        .await
        .map_err(internal)?;
    let draft = super::invoices::parse_draft(&mut tx, &form, &settings, "valid until").await?;
    let id =
        crate::store::quotes::save_quote(&mut tx, form.id.map(|i| i.0), &draft, settings.today())
            .await
            .map_err(quote_error)?;
    tx.commit().await.map_err(internal)?;
    state.publish("quote");
    Ok(id)
}

/// Sends a draft quote: gives it the next quote number. Returns the number.
#[server(endpoint = "send_quote", input = Json)]
pub async fn send_quote(id: i64) -> Result<String, AppError> {
    use super::context::{business, internal, require_writer};
    let (state, user) = require_writer().await?;
    let today = business(&state).await?.today();
    let mut tx = crate::store::begin_write(&state.pool, &super::context::actor(&user))
        .await
        .map_err(internal)?;
    let number = crate::store::quotes::send_quote(&mut tx, id, chrono::Utc::now(), today)
        .await
        .map_err(quote_error)?;
    tx.commit().await.map_err(internal)?;
    state.publish("quote");
    tracing::info!(quote = id, number = %number, "quote sent");
    Ok(number)
}

/// Records the customer's answer: accepted (`true`) or declined.
#[server(endpoint = "answer_quote", input = Json)]
pub async fn answer_quote(id: i64, accepted: bool) -> Result<(), AppError> {
    use super::context::{business, internal, require_writer};
    let (state, user) = require_writer().await?;
    let today = business(&state).await?.today();
    let mut tx = crate::store::begin_write(&state.pool, &super::context::actor(&user))
        .await
        .map_err(internal)?;
    crate::store::quotes::answer_quote(&mut tx, id, accepted, today)
        .await
        .map_err(quote_error)?;
    tx.commit().await.map_err(internal)?;
    state.publish("quote");
    Ok(())
}

/// Makes a draft invoice of a quote, with its lines and pricing. Returns the invoice.
#[server(endpoint = "convert_quote", input = Json)]
pub async fn convert_quote(id: i64) -> Result<InvoiceId, AppError> {
    use super::context::{business, internal, require_writer};
    let (state, user) = require_writer().await?;
    let today = business(&state).await?.today();
    let mut tx = crate::store::begin_write(&state.pool, &super::context::actor(&user))
        .await
        .map_err(internal)?;
    let invoice = crate::store::quotes::convert_quote(&mut tx, id, today)
        .await
        .map_err(quote_error)?;
    tx.commit().await.map_err(internal)?;
    state.publish("quote");
    state.publish("invoice");
    tracing::info!(quote = id, invoice = invoice.0, "quote invoiced");
    Ok(invoice)
}
