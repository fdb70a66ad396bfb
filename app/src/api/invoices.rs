//! Invoices: drafts, issuing, voiding, reading.

#[cfg(feature = "ssr")]
use super::customers::PER_PAGE;
use super::error::AppError;
use super::types::{DocumentDefaults, DraftForm, InvoiceDetail, InvoiceSummary, Page};
use crate::domain::{CustomerId, InvoiceId};
use leptos::prelude::*;
use server_fn::codec::Json;

#[cfg(feature = "ssr")]
fn invoice_error(e: crate::store::invoices::InvoiceError) -> AppError {
    use crate::store::invoices::InvoiceError;
    match e {
        InvoiceError::NotFound => AppError::NotFound("The invoice".into()),
        InvoiceError::Conflict(why) => AppError::Conflict(why),
        InvoiceError::Store(e) => super::context::internal(e),
    }
}

/// One page of invoices. `status` is a status slug ("overdue") or empty for all.
#[server(endpoint = "list_invoices", input = Json)]
pub async fn list_invoices(
    status: String,
    search: String,
    customer: Option<CustomerId>,
    page: u32,
) -> Result<Page<InvoiceSummary>, AppError> {
    use super::context::{business, internal, require_user};
    use crate::domain::InvoiceStatus;
    use crate::store::invoices::InvoiceFilter;
    let (state, _) = require_user().await?;
    let today = business(&state).await?.today();
    let status = match status.as_str() {
        "" | "all" => None,
        slug => Some(
            InvoiceStatus::from_slug(slug)
                .ok_or_else(|| AppError::invalid("status", "unknown status"))?,
        ),
    };
    let filter = InvoiceFilter {
        status,
        customer,
        search,
    };
    let mut conn = state.pool.acquire().await.map_err(internal)?;
    crate::store::invoices::list_invoices(&mut conn, &filter, today, page.max(1), PER_PAGE)
        .await
        .map_err(internal)
}

#[server(endpoint = "get_invoice", input = Json)]
pub async fn get_invoice(id: InvoiceId) -> Result<InvoiceDetail, AppError> {
    use super::context::require_user;
    let (state, _) = require_user().await?;
    load_invoice(&state, id).await
}

/// One invoice with its lines, totals, status as of today and payments (server function and
/// HTTP API).
#[cfg(feature = "ssr")]
pub async fn load_invoice(
    state: &super::context::AppState,
    id: InvoiceId,
) -> Result<InvoiceDetail, AppError> {
    use super::context::{business, internal};
    let today = business(state).await?.today();
    let mut conn = state.pool.acquire().await.map_err(internal)?;
    crate::store::invoices::get_invoice(&mut conn, id, today)
        .await
        .map_err(internal)?
        .ok_or(AppError::NotFound("The invoice".into()))
}

/// Everything a new invoice or payment form needs: today, the currency, the revenue accounts
/// and the customers.
#[server(endpoint = "get_document_defaults", input = Json)]
pub async fn get_document_defaults() -> Result<DocumentDefaults, AppError> {
    use super::context::{business, internal, require_user};
    use crate::store::accounts::{customer_options, revenue_accounts};
    let (state, _) = require_user().await?;
    let settings = business(&state).await?;
    let mut conn = state.pool.acquire().await.map_err(internal)?;
    Ok(DocumentDefaults {
        today: settings.today(),
        currency: settings.base_currency,
        tax_rounding: settings.tax_rounding,
        revenue_accounts: revenue_accounts(&mut conn).await.map_err(internal)?,
        customers: customer_options(&mut conn).await.map_err(internal)?,
        tax_rates: crate::store::tax_rates::list(&mut conn)
            .await
            .map_err(internal)?,
        items: crate::store::items::list(&mut conn, "", false)
            .await
            .map_err(internal)?,
    })
}
/// Saves a draft (new or existing) and returns its id. Nothing is posted.
#[server(endpoint = "save_draft", input = Json)]
pub async fn save_draft(form: DraftForm) -> Result<InvoiceId, AppError> {
    use super::context::require_writer;
    let (state, user) = require_writer().await?;
    save_draft_as(&state, &user, form).await
}

/// Saves a draft as `user`, who may change the books (server function and HTTP API).
#[cfg(feature = "ssr")]
pub async fn save_draft_as(
    state: &super::context::AppState,
    user: &crate::store::users::User,
    form: DraftForm,
) -> Result<InvoiceId, AppError> {
    use super::context::{business, internal};
    let settings = business(state).await?;
    let mut tx = crate::store::begin_write(&state.pool, &super::context::actor(user))
        .await
        .map_err(internal)?;
    // A new draft sent again with its key (a lost answer, the offline queue) is the one the
    // first request made.
    let key = form.request_key.trim();
    let keyed = form.id.is_none() && !key.is_empty();
    if keyed {
        if key.len() > 100 {
            return Err(AppError::invalid(
                "request_key",
                "the request key is longer than 100 characters",
            ));
        }
        if let Some(id) = crate::store::invoices::draft_for_key(&mut tx, key)
            .await
            .map_err(internal)?
        {
            return Ok(id);
        }
    }
    let draft = parse_draft(&mut tx, &form, &settings, "due date").await?;
    let id = crate::store::invoices::save_draft(&mut tx, &draft)
        .await
        .map_err(invoice_error)?;
    if keyed {
        crate::store::invoices::keep_draft_key(&mut tx, id, key)
            .await
            .map_err(internal)?;
    }
    tx.commit().await.map_err(internal)?;
    state.publish("invoice");
    Ok(id)
}

/// Checks a document's form (an invoice draft or a quote) and prices it, collecting every
/// problem by field; `due` names the second date ("due date", "valid until").
#[cfg(feature = "ssr")]
pub(crate) async fn parse_draft(
    tx: &mut sqlx::SqliteConnection,
    form: &DraftForm,
    settings: &crate::store::business::Business,
    due: &str,
) -> Result<crate::store::invoices::Draft, AppError> {
    use super::context::internal;
    use super::{parse, FieldErrors};
    use crate::store::invoices::Draft;
    let accounts: Vec<String> = crate::store::accounts::revenue_accounts(&mut *tx)
        .await
        .map_err(internal)?
        .into_iter()
        .map(|a| a.code)
        .collect();
    let mut errors = FieldErrors::default();
    let customer = match form.customer_id {
        Some(id) => crate::store::customers::get_customer(&mut *tx, id)
            .await
            .map_err(internal)?,
        None => None,
    };
    match &customer {
        None => errors.add("customer_id", "choose a customer"),
        Some(c) if c.archived => errors.add(
            "customer_id",
            format!("{} is archived; restore them on their page first", c.name),
        ),
        Some(_) => {}
    }
    let issue_date = parse::date(&mut errors, "issue_date", &form.issue_date);
    let due_date = parse::date(&mut errors, "due_date", &form.due_date);
    if let (Some(issue), Some(due_day)) = (issue_date, due_date) {
        if due_day < issue {
            errors.add(
                "due_date",
                format!("the {due} cannot be before the issue date"),
            );
        }
    }
    let currency = parse::currency(
        &mut errors,
        "currency",
        &form.currency,
        settings.base_currency,
    );
    let rates = crate::store::tax_rates::list(&mut *tx)
        .await
        .map_err(internal)?;
    let lines = parse::lines(&mut errors, &form.lines, &accounts, &rates);
    let notes = parse::text(&mut errors, "notes", &form.notes, 5000);
    let pricing = parse::pricing(
        &mut errors,
        form,
        settings.tax_rounding,
        currency.unwrap_or(settings.base_currency),
    );
    if let (true, Some(currency)) = (errors.is_empty(), currency) {
        match crate::domain::document_totals(&lines, currency, pricing) {
            Ok(totals) => {
                if let Some(problem) = crate::domain::totals::total_problem(&totals) {
                    errors.add("lines", problem);
                }
            }
            Err(refused) => errors.add(refused.field(), refused.to_string()),
        }
    }
    errors.into_result()?;
    let (Some(customer), Some(issue_date), Some(due_date), Some(currency)) =
        (customer, issue_date, due_date, currency)
    else {
        return Err(AppError::invalid("customer_id", "check the form"));
    };
    Ok(Draft {
        id: form.id,
        customer_id: customer.id,
        issue_date,
        due_date,
        currency,
        pricing,
        notes,
        lines,
    })
}

/// Issues a draft: assigns its number and posts it. Returns the number.
#[server(endpoint = "issue_invoice", input = Json)]
pub async fn issue_invoice(id: InvoiceId) -> Result<String, AppError> {
    use super::context::require_writer;
    let (state, user) = require_writer().await?;
    issue_invoice_as(&state, &user, id).await
}

/// Issues a draft as `user`, who may change the books (server function and HTTP API).
#[cfg(feature = "ssr")]
pub async fn issue_invoice_as(
    state: &super::context::AppState,
    user: &crate::store::users::User,
    id: InvoiceId,
) -> Result<String, AppError> {
    use super::context::internal;
    let mut tx = crate::store::begin_write(&state.pool, &super::context::actor(user))
        .await
        .map_err(internal)?;
    let number = crate::store::invoices::issue_invoice(&mut tx, id, chrono::Utc::now())
        .await
        .map_err(invoice_error)?;
    tx.commit().await.map_err(internal)?;
    state.publish("invoice");
    tracing::info!(invoice = id.0, number = %number, "invoice issued");
    Ok(number)
}

/// Voids an issued invoice without payments, posting the reversal today.
#[server(endpoint = "void_invoice", input = Json)]
pub async fn void_invoice(id: InvoiceId) -> Result<(), AppError> {
    use super::context::require_writer;
    let (state, user) = require_writer().await?;
    void_invoice_as(&state, &user, id).await
}

/// Voids an issued invoice as `user`, who may change the books (server function and API).
#[cfg(feature = "ssr")]
pub async fn void_invoice_as(
    state: &super::context::AppState,
    user: &crate::store::users::User,
    id: InvoiceId,
) -> Result<(), AppError> {
    use super::context::{business, internal};
    let today = business(state).await?.today();
    let mut tx = crate::store::begin_write(&state.pool, &super::context::actor(user))
        .await
        .map_err(internal)?;
    crate::store::invoices::void_invoice(&mut tx, id, today)
        .await
        .map_err(invoice_error)?;
    tx.commit().await.map_err(internal)?;
    state.publish("invoice");
    tracing::info!(invoice = id.0, "invoice voided");
    Ok(())
}

#[server(endpoint = "delete_draft", input = Json)]
pub async fn delete_draft(id: InvoiceId) -> Result<(), AppError> {
    use super::context::{internal, require_writer};
    let (state, user) = require_writer().await?;
    let mut tx = crate::store::begin_write(&state.pool, &super::context::actor(&user))
        .await
        .map_err(internal)?;
    crate::store::invoices::delete_draft(&mut tx, id)
        .await
        .map_err(invoice_error)?;
    tx.commit().await.map_err(internal)?;
    state.publish("invoice");
    Ok(())
}
