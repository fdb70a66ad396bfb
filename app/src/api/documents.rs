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

/// A quote as it prints: its lines and totals, the customer's current details (a quote
/// keeps no billed copy of them) and the business's.
#[cfg(feature = "ssr")]
pub struct QuoteDocument {
    pub detail: super::quotes::QuoteDetail,
    pub customer: super::types::Customer,
    pub business: BusinessProfile,
}

/// The quote `id` ready to print, for anyone signed in: the server's quote PDF uses it.
#[cfg(feature = "ssr")]
pub async fn load_quote_document(
    state: &super::context::AppState,
    id: i64,
) -> Result<QuoteDocument, AppError> {
    use super::context::{business, internal};
    let today = business(state).await?.today();
    let mut conn = state.pool.acquire().await.map_err(internal)?;
    let detail = crate::store::quotes::get_quote(&mut conn, id, today)
        .await
        .map_err(internal)?
        .ok_or(AppError::NotFound("The quote".into()))?;
    let customer = crate::store::customers::get_customer(&mut conn, detail.summary.customer_id)
        .await
        .map_err(internal)?
        .ok_or(AppError::NotFound("The quote's customer".into()))?;
    let business = crate::store::business::get_profile(&mut conn)
        .await
        .map_err(internal)?;
    Ok(QuoteDocument {
        detail,
        customer,
        business,
    })
}

/// An issued invoice as a UBL 2.1 e-invoice (Peppol BIS Billing 3.0), with its number, for
/// anyone signed in. Its figures are the ones the screen, the PDF and the books show.
#[cfg(feature = "ssr")]
pub async fn load_einvoice(
    state: &super::context::AppState,
    id: InvoiceId,
) -> Result<(String, String), AppError> {
    use super::context::internal;
    use crate::domain::einvoice::{priced_invoice_xml, EInvoice, EParty};
    let document = load_invoice_document(state, id).await?;
    let detail = &document.detail;
    let Some(number) = detail.summary.number.clone() else {
        return Err(AppError::Conflict(
            "a draft has no e-invoice yet; issue it first".into(),
        ));
    };
    if detail.summary.status == crate::domain::InvoiceStatus::Void {
        return Err(AppError::Conflict(
            "a void invoice asks for nothing; it has no e-invoice".into(),
        ));
    }
    let mut conn = state.pool.acquire().await.map_err(internal)?;
    let lines = crate::store::invoices::load_lines(&mut conn, id)
        .await
        .map_err(internal)?;
    let business = &document.business;
    let einvoice = EInvoice {
        number: number.clone(),
        issue_date: detail.summary.issue_date,
        due_date: detail.summary.due_date,
        currency: detail.currency,
        rounding: detail.pricing.rounding,
        note: detail.notes.clone(),
        seller: EParty {
            name: business.display_name().to_string(),
            address: business.address.clone(),
            email: business.email.clone(),
            tax_id: business.tax_id.clone(),
            registration_number: business.registration_number.clone(),
        },
        buyer: EParty {
            name: detail.summary.customer_name.clone(),
            address: detail.customer_address.clone(),
            email: detail.customer_email.clone(),
            tax_id: document.customer_tax_id.clone(),
            registration_number: String::new(),
        },
        lines,
        paid: detail.paid,
        iban: business.payment.iban.clone(),
        bic: business.payment.bic.clone(),
    };
    let (xml, totals) = priced_invoice_xml(&einvoice, detail.pricing)
        .map_err(|e| AppError::Conflict(e.to_string()))?;
    // One arithmetic: the e-invoice's total is the invoice's, to the cent.
    if totals.gross != detail.totals.gross {
        return Err(internal(anyhow::anyhow!(
            "e-invoice total {} differs from the invoice's {}",
            totals.gross,
            detail.totals.gross
        )));
    }
    Ok((xml, number))
}

/// An issued credit note as a UBL 2.1 e-credit note (Peppol BIS Billing 3.0) referring to its
/// invoice, with its number, for anyone signed in. Its figures are the ones booked.
#[cfg(feature = "ssr")]
pub async fn load_credit_note_einvoice(
    state: &super::context::AppState,
    id: crate::domain::CreditNoteId,
) -> Result<(String, String), AppError> {
    use super::context::internal;
    use crate::domain::einvoice::EParty;
    use crate::domain::einvoice_credit_note::{credit_note_xml, ECreditNote};
    let mut conn = state.pool.acquire().await.map_err(internal)?;
    let note = crate::store::credit_notes::get_credit_note(&mut conn, id)
        .await
        .map_err(internal)?
        .ok_or(AppError::NotFound("The credit note".into()))?;
    drop(conn);
    let invoice = load_invoice_document(state, note.summary.invoice_id).await?;
    let business = &invoice.business;
    let detail = &invoice.detail;
    let document = ECreditNote {
        number: note.summary.number.clone(),
        issue_date: note.summary.date,
        reason: note.summary.reason.clone(),
        invoice_number: note.summary.invoice_number.clone(),
        invoice_issue_date: detail.summary.issue_date,
        seller: EParty {
            name: business.display_name().to_string(),
            address: business.address.clone(),
            email: business.email.clone(),
            tax_id: business.tax_id.clone(),
            registration_number: business.registration_number.clone(),
        },
        buyer: EParty {
            name: detail.summary.customer_name.clone(),
            address: detail.customer_address.clone(),
            email: detail.customer_email.clone(),
            tax_id: invoice.customer_tax_id.clone(),
            registration_number: String::new(),
        },
        credit: note.composition.clone(),
        iban: business.payment.iban.clone(),
    };
    let (xml, gross) = credit_note_xml(&document).map_err(|e| AppError::Conflict(e.to_string()))?;
    if gross != note.summary.total {
        return Err(internal(anyhow::anyhow!(
            "e-credit note total {gross} differs from the credit note's {}",
            note.summary.total
        )));
    }
    Ok((xml, note.summary.number))
}

#[server(endpoint = "get_invoice_document", input = Json)]
pub async fn get_invoice_document(id: InvoiceId) -> Result<InvoiceDocument, AppError> {
    let (state, _) = super::context::require_user().await?;
    load_invoice_document(&state, id).await
}
