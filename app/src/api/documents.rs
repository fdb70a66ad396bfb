//! Printed documents: an invoice with everything its paper or PDF form shows, read in one
//! place so that the print view and the PDF say the same, with the screen's figures.

use super::error::AppError;
use super::types::InvoiceDetail;
use crate::domain::profile::BusinessProfile;
use crate::domain::InvoiceId;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use server_fn::codec::Json;

/// An invoice as it prints: the screen's detail (lines, totals, payments) plus both
/// parties' details.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct InvoiceDocument {
    pub detail: InvoiceDetail,
    pub customer_tax_id: String,
    pub business: BusinessProfile,
}

/// The invoice `id` ready to print, for anyone signed in. The server's PDF download uses it
/// too.
#[cfg(feature = "ssr")]
pub async fn load_invoice_document(
    state: &super::context::AppState,
    id: InvoiceId,
) -> Result<InvoiceDocument, AppError> {
    use super::context::{business, internal};
    let today = business(state).await?.today();
    let mut conn = state.pool.acquire().await.map_err(internal)?;
    let detail = crate::store::invoices::get_invoice(&mut conn, id, today)
        .await
        .map_err(internal)?
        .ok_or(AppError::NotFound("The invoice".into()))?;
    let customer_tax_id = crate::store::documents::billed_tax_id(&mut conn, id)
        .await
        .map_err(internal)?
        .unwrap_or_default();
    let business = crate::store::business::get_profile(&mut conn)
        .await
        .map_err(internal)?;
    Ok(InvoiceDocument {
        detail,
        customer_tax_id,
        business,
    })
}

#[server(endpoint = "get_invoice_document", input = Json)]
pub async fn get_invoice_document(id: InvoiceId) -> Result<InvoiceDocument, AppError> {
    let (state, _) = super::context::require_user().await?;
    load_invoice_document(&state, id).await
}
