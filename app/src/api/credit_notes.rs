//! Correcting an issued invoice: credit notes, writing off, duplicating; and the numbering
//! patterns documents take their numbers from.

use super::error::AppError;
use super::types::Page;
use crate::domain::credit::Composition;
use crate::domain::{CreditNoteId, CustomerId, InvoiceId, Money};
use chrono::NaiveDate;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use server_fn::codec::Json;

/// A credit note as lists show it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CreditNoteSummary {
    pub id: CreditNoteId,
    pub number: String,
    pub invoice_id: InvoiceId,
    pub invoice_number: String,
    pub customer_id: CustomerId,
    pub customer_name: String,
    pub date: NaiveDate,
    pub reason: String,
    pub net: Money,
    pub tax: Money,
    pub total: Money,
}

/// A credit note with what it takes back per rate and account.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CreditNoteDetail {
    pub summary: CreditNoteSummary,
    pub composition: Composition,
    pub invoice_total: Money,
    pub invoice_open: Money,
}

/// A credit note as entered: an amount (gross), or empty for everything still open.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CreditNoteForm {
    pub invoice_id: Option<InvoiceId>,
    pub amount: String,
    pub date: String,
    pub reason: String,
    pub idempotency_key: String,
}

/// The numbering patterns, as the settings form shows and sends them.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct NumberingForm {
    pub invoice: String,
    pub credit_note: String,
    /// The quotes' pattern; left as it is when absent (clients from before quotes).
    #[serde(default)]
    pub quote: Option<String>,
}

#[cfg(feature = "ssr")]
fn credit_error(e: crate::store::credit_notes::CreditNoteError) -> AppError {
    use crate::store::credit_notes::CreditNoteError;
    match e {
        CreditNoteError::NotFound => AppError::NotFound("The invoice".into()),
        CreditNoteError::Invalid(field, why) => AppError::invalid(field, why),
        CreditNoteError::Conflict(why) => AppError::Conflict(why),
        e @ CreditNoteError::KeyReused => AppError::Conflict(e.to_string()),
        CreditNoteError::Store(e) => super::context::internal(e),
    }
}

/// Issues a credit note against an invoice: full (amount empty: everything still open) or
/// part, numbered from the credit-note series. Once per idempotency key.
#[server(endpoint = "create_credit_note", input = Json)]
pub async fn create_credit_note(form: CreditNoteForm) -> Result<CreditNoteId, AppError> {
    use super::context::require_writer;
    let (state, user) = require_writer().await?;
    create_credit_note_as(&state, &user, form).await
}

/// Issues a credit note as `user`, who may change the books (server function and HTTP API).
#[cfg(feature = "ssr")]
pub async fn create_credit_note_as(
    state: &super::context::AppState,
    user: &crate::store::users::User,
    form: CreditNoteForm,
) -> Result<CreditNoteId, AppError> {
    use super::context::{business, internal};
    use super::{parse, FieldErrors};
    use crate::store::credit_notes::{create_credit_note, invoice_figures, NewCreditNote};
    let settings = business(state).await?;
    let invoice = form
        .invoice_id
        .ok_or_else(|| AppError::invalid("invoice_id", "choose the invoice to credit"))?;
    let mut errors = FieldErrors::default();
    let key = form.idempotency_key.trim().to_string();
    if key.len() < 8 || key.len() > 100 {
        errors.add(
            "idempotency_key",
            "the form is missing its request key; reload the page",
        );
    }
    let date = parse::date(&mut errors, "date", &form.date);
    if date.is_some_and(|d| d > settings.today()) {
        errors.add("date", "a credit note cannot be dated in the future");
    }
    let reason = parse::text(&mut errors, "reason", &form.reason, 500);
    if reason.trim().is_empty() {
        errors.add(
            "reason",
            "say why the invoice is credited; it is printed on the credit note",
        );
    }
    let amount = match form.amount.trim() {
        "" => None,
        text => parse::money(&mut errors, "amount", text, settings.base_currency),
    };
    errors.into_result()?;
    let Some(date) = date else {
        return Err(AppError::invalid("date", "check the form"));
    };
    let mut tx = crate::store::begin_write(&state.pool, &super::context::actor(user))
        .await
        .map_err(internal)?;
    let amount = match amount {
        Some(amount) => amount,
        None => {
            let open = invoice_figures(&mut tx, invoice)
                .await
                .map_err(credit_error)?
                .open();
            if !open.is_positive() {
                return Err(AppError::invalid(
                    "amount",
                    "nothing is still open on this invoice, so there is nothing to credit",
                ));
            }
            open
        }
    };
    let note = NewCreditNote {
        invoice,
        amount,
        date,
        reason,
        idempotency_key: key,
    };
    let (id, number) = create_credit_note(&mut tx, &note, settings.time_zone, chrono::Utc::now())
        .await
        .map_err(credit_error)?;
    tx.commit().await.map_err(internal)?;
    state.publish("invoice");
    tracing::info!(invoice = invoice.0, number = %number, "credit note issued");
    Ok(id)
}

#[server(endpoint = "get_credit_note", input = Json)]
pub async fn get_credit_note(id: CreditNoteId) -> Result<CreditNoteDetail, AppError> {
    use super::context::{internal, require_user};
    let (state, _) = require_user().await?;
    let mut conn = state.pool.acquire().await.map_err(internal)?;
    crate::store::credit_notes::get_credit_note(&mut conn, id)
        .await
        .map_err(internal)?
        .ok_or(AppError::NotFound("The credit note".into()))
}

#[server(endpoint = "list_credit_notes", input = Json)]
pub async fn list_credit_notes(page: u32) -> Result<Page<CreditNoteSummary>, AppError> {
    use super::context::{internal, require_user};
    let (state, _) = require_user().await?;
    let mut conn = state.pool.acquire().await.map_err(internal)?;
    crate::store::credit_notes::list_credit_notes(&mut conn, page.max(1), 50)
        .await
        .map_err(internal)
}

/// Writes off an invoice's whole open balance as a bad debt, dated today.
#[server(endpoint = "write_off_invoice", input = Json)]
pub async fn write_off_invoice(id: InvoiceId, reason: String) -> Result<(), AppError> {
    use super::context::{business, internal, require_writer};
    use super::{parse, FieldErrors};
    let (state, user) = require_writer().await?;
    let today = business(&state).await?.today();
    let mut errors = FieldErrors::default();
    let reason = parse::text(&mut errors, "reason", &reason, 500);
    errors.into_result()?;
    let mut tx = crate::store::begin_write(&state.pool, &super::context::actor(&user))
        .await
        .map_err(internal)?;
    crate::store::corrections::write_off_invoice(&mut tx, id, today, &reason)
        .await
        .map_err(credit_error)?;
    tx.commit().await.map_err(internal)?;
    state.publish("invoice");
    tracing::info!(invoice = id.0, "invoice written off");
    Ok(())
}

/// Copies an invoice (any status) into a new draft dated today; returns the draft's id.
#[server(endpoint = "duplicate_invoice", input = Json)]
pub async fn duplicate_invoice(id: InvoiceId) -> Result<InvoiceId, AppError> {
    use super::context::{business, internal, require_writer};
    let (state, user) = require_writer().await?;
    let today = business(&state).await?.today();
    let mut tx = crate::store::begin_write(&state.pool, &super::context::actor(&user))
        .await
        .map_err(internal)?;
    let copy = crate::store::corrections::duplicate_invoice(&mut tx, id, today)
        .await
        .map_err(internal)?
        .ok_or(AppError::NotFound("The invoice".into()))?;
    tx.commit().await.map_err(internal)?;
    state.publish("invoice");
    Ok(copy)
}

#[server(endpoint = "get_numbering", input = Json)]
pub async fn get_numbering() -> Result<NumberingForm, AppError> {
    use super::context::{internal, require_user};
    use crate::domain::numbering::DocumentKind;
    use crate::store::numbering::get_pattern;
    let (state, _) = require_user().await?;
    let mut conn = state.pool.acquire().await.map_err(internal)?;
    Ok(NumberingForm {
        invoice: get_pattern(&mut conn, DocumentKind::Invoice)
            .await
            .map_err(internal)?
            .as_str()
            .to_string(),
        credit_note: get_pattern(&mut conn, DocumentKind::CreditNote)
            .await
            .map_err(internal)?
            .as_str()
            .to_string(),
        quote: Some(
            get_pattern(&mut conn, DocumentKind::Quote)
                .await
                .map_err(internal)?
                .as_str()
                .to_string(),
        ),
    })
}

/// Saves the patterns for documents numbered from now on. Only the owner may.
#[server(endpoint = "save_numbering", input = Json)]
pub async fn save_numbering(form: NumberingForm) -> Result<NumberingForm, AppError> {
    use super::context::{internal, require_owner};
    use crate::domain::numbering::{DocumentKind, NumberPattern};
    use crate::store::numbering::{set_pattern, NumberingError};
    let (state, user) = require_owner().await?;
    let mut errors = super::FieldErrors::default();
    let quote = form.quote.as_ref();
    let texts = [
        ("invoice", Some(&form.invoice)),
        ("credit_note", Some(&form.credit_note)),
        ("quote", quote),
    ];
    for (field, text) in texts.into_iter().filter_map(|(f, t)| Some((f, t?))) {
        if let Err(e) = NumberPattern::parse(text) {
            errors.add(field, e.to_string());
        }
    }
    errors.into_result()?;
    let mut tx = crate::store::begin_write(&state.pool, &super::context::actor(&user))
        .await
        .map_err(internal)?;
    let fields = [
        (DocumentKind::Invoice, "invoice", Some(&form.invoice)),
        (
            DocumentKind::CreditNote,
            "credit_note",
            Some(&form.credit_note),
        ),
        (DocumentKind::Quote, "quote", quote),
    ];
    for (kind, field, text) in fields.into_iter().filter_map(|(k, f, t)| Some((k, f, t?))) {
        match set_pattern(&mut tx, kind, text).await {
            Ok(_) => {}
            Err(NumberingError::Store(e)) => return Err(internal(e)),
            Err(e) => return Err(AppError::invalid(field, e.to_string())),
        }
    }
    tx.commit().await.map_err(internal)?;
    state.publish("settings");
    Ok(NumberingForm {
        invoice: NumberPattern::parse(&form.invoice)
            .map_or_else(|_| form.invoice.clone(), |p| p.as_str().to_string()),
        credit_note: NumberPattern::parse(&form.credit_note)
            .map_or_else(|_| form.credit_note.clone(), |p| p.as_str().to_string()),
        quote: quote.map(|q| {
            NumberPattern::parse(q).map_or_else(|_| q.clone(), |p| p.as_str().to_string())
        }),
    })
}
