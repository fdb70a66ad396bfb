//! Recurring invoices: repeat an invoice on a schedule; the server's scheduler makes each one.

use super::error::AppError;
use super::types::{RecurringDetail, RecurringForm, RecurringSummary};
use leptos::prelude::*;
use server_fn::codec::Json;

/// Every recurring invoice with its next date.
#[server(endpoint = "list_recurring", input = Json)]
pub async fn list_recurring() -> Result<Vec<RecurringSummary>, AppError> {
    use super::context::{internal, require_user};
    let (state, _) = require_user().await?;
    let mut conn = state.pool.acquire().await.map_err(internal)?;
    crate::store::recurring::list(&mut conn)
        .await
        .map_err(internal)
}

#[server(endpoint = "get_recurring", input = Json)]
pub async fn get_recurring(id: i64) -> Result<RecurringDetail, AppError> {
    use super::context::{internal, require_user};
    let (state, _) = require_user().await?;
    let mut conn = state.pool.acquire().await.map_err(internal)?;
    crate::store::recurring::get(&mut conn, id)
        .await
        .map_err(internal)?
        .ok_or_else(|| AppError::NotFound("That recurring invoice".into()))
}

/// Repeats an invoice (its customer, lines, notes and payment terms) on a schedule starting
/// today or later. Returns the new template's id; occurrences due today are made at once.
#[server(endpoint = "create_recurring", input = Json)]
pub async fn create_recurring(form: RecurringForm) -> Result<i64, AppError> {
    use super::context::{business, internal, require_writer};
    use super::{parse, FieldErrors};
    use crate::domain::recurrence::{Frequency, Schedule};
    use crate::store::invoices::InvoiceError;
    use crate::store::recurring::NewRecurring;
    let (state, user) = require_writer().await?;
    let settings = business(&state).await?;
    let today = settings.today();
    let mut errors = FieldErrors::default();
    let name = parse::text(&mut errors, "name", &form.name, 120);
    if name.trim().is_empty() {
        errors.add("name", "give it a name, like “Monthly retainer”");
    }
    let start = parse::date(&mut errors, "start", &form.start);
    if start.is_some_and(|s| s < today) {
        errors.add("start", "the first invoice cannot be dated before today");
    }
    let end = if form.end.trim().is_empty() {
        None
    } else {
        parse::date(&mut errors, "end", &form.end)
    };
    if let (Some(s), Some(e)) = (start, end) {
        if e < s {
            errors.add("end", "the end must not be before the start");
        }
    }
    let frequency = match form.frequency.as_str() {
        "weekly" => Some(Frequency::Weekly),
        "yearly" => Some(Frequency::Yearly),
        "monthly" => match form.day_of_month.trim().parse::<u32>() {
            Ok(day) if (1..=31).contains(&day) => Some(Frequency::Monthly { day }),
            _ => {
                errors.add("day_of_month", "a day of the month from 1 to 31");
                None
            }
        },
        _ => {
            errors.add("frequency", "choose weekly, monthly or yearly");
            None
        }
    };
    let Some(invoice) = form.invoice_id else {
        return Err(AppError::invalid(
            "invoice_id",
            "choose the invoice to repeat",
        ));
    };
    errors.into_result()?;
    let (Some(start), Some(frequency)) = (start, frequency) else {
        return Err(AppError::invalid("start", "check the schedule"));
    };
    let mut tx = crate::store::begin_write(&state.pool, &super::context::actor(&user))
        .await
        .map_err(internal)?;
    let (customer, currency, pricing, notes, lines, terms_days) =
        crate::store::recurring::from_invoice(&mut tx, invoice)
            .await
            .map_err(|e| match e {
                InvoiceError::NotFound => AppError::NotFound("That invoice".into()),
                other => internal(other),
            })?;
    if lines.is_empty() {
        return Err(AppError::invalid(
            "invoice_id",
            "the invoice has no lines to repeat",
        ));
    }
    super::customer_archive::refuse_if_archived(&mut tx, customer, "invoice_id").await?;
    let id = crate::store::recurring::create(
        &mut tx,
        &NewRecurring {
            name,
            customer,
            schedule: Schedule {
                frequency,
                start,
                end,
            },
            terms_days,
            currency,
            pricing,
            notes,
            auto_issue: form.auto_issue,
            lines,
        },
    )
    .await
    .map_err(internal)?;
    tx.commit().await.map_err(internal)?;
    tracing::info!(recurring = id, "recurring invoice created");
    // Today's occurrence, if the schedule starts today, is made now rather than at the next tick.
    let made = crate::store::recurring::run_due(
        &state.pool,
        &super::context::actor(&user),
        today,
        chrono::Utc::now(),
    )
    .await
    .map_err(internal)?;
    if !made.is_empty() {
        state.publish("invoice");
    }
    state.publish("recurring");
    Ok(id)
}

/// Pauses a recurring invoice, or resumes it (occurrences while paused are skipped).
#[server(endpoint = "set_recurring_paused", input = Json)]
pub async fn set_recurring_paused(id: i64, paused: bool) -> Result<(), AppError> {
    use super::context::{business, internal, require_writer};
    let (state, user) = require_writer().await?;
    let today = business(&state).await?.today();
    let mut tx = crate::store::begin_write(&state.pool, &super::context::actor(&user))
        .await
        .map_err(internal)?;
    let changed = crate::store::recurring::set_paused(&mut tx, id, paused, today)
        .await
        .map_err(internal)?;
    tx.commit().await.map_err(internal)?;
    if !changed {
        return Err(AppError::Conflict(if paused {
            "it is already paused (or does not exist)".into()
        } else {
            "it is not paused (or does not exist)".into()
        }));
    }
    state.publish("recurring");
    Ok(())
}
